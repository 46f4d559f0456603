package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// Name parts of the fictional clusters, one per host.
var (
	clusterPlaces = []string{
		"Älvdalens", "Myrlandets", "Sjöbygdens", "Lövskogens", "Bergslagsgårdens",
		"Slättlandets", "Kustbandets", "Fjällbygdens", "Åsundens", "Ekhagens",
		"Mossmarkens", "Dalgångens", "Hagmarkens", "Strandängens", "Vallbygdens",
		"Tallhedens", "Kärrlandets", "Höglandets", "Bäckadalens", "Ängsbackens",
	}
	clusterKinds = []string{"Gröna Kluster", "Matkluster", "Skogskluster", "Energikluster", "Kluster"}
	counties     = []string{
		"Norrbottens län", "Västerbottens län", "Jämtlands län", "Västernorrlands län", "Gävleborgs län",
		"Dalarnas län", "Värmlands län", "Örebro län", "Västmanlands län", "Uppsala län",
		"Stockholms län", "Södermanlands län", "Östergötlands län", "Jönköpings län", "Kronobergs län",
		"Kalmar län", "Gotlands län", "Blekinge län", "Skåne län", "Hallands län", "Västra Götalands län",
	}
	towns = []string{
		"Granliden", "Lövåsa", "Tångeviken", "Vallby", "Björkhamn", "Ekeberga", "Myrviken", "Stensjö",
		"Hedåker", "Sandvalla", "Rosendal", "Norrbacka", "Kvarnby", "Åbrink", "Ljungdala", "Furuby",
		"Mälarhöjd", "Storträsk", "Backhult", "Lindås", "Källstorp", "Hallberga", "Rydsnäs", "Bodviken",
	}
	givenNames = []string{
		"Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per", "Emma", "Nils",
		"Kristina", "Mikael", "Lena", "Jonas", "Malin", "Oskar", "Ingrid", "Fredrik", "Elin", "Gustav",
		"Sofia", "Henrik", "Petra", "Magnus", "Helena", "Olof", "Linnea", "Tobias",
	}
	surnames = []string{
		"Andersson", "Lindqvist", "Ekedahl", "Strandvik", "Vallgren", "Lindmyr", "Hedåker", "Rosendal",
		"Bergström", "Sjöberg", "Holmgren", "Lundin", "Nyberg", "Forsberg", "Åkesson", "Engström",
		"Dahlberg", "Björklund", "Wikström", "Sandberg", "Hägglund", "Norling", "Ström", "Ekholm",
	}
	roles = []string{
		"Verksamhetsledare", "Projektledare", "Kommunikatör", "Affärsutvecklare", "Rådgivare",
		"Ekonomiansvarig", "Innovationsrådgivare", "Processledare", "Koordinator",
	}
	funders = []string{
		"Jordbruksverket", "Tillväxtverket", "Vinnova", "Europeiska jordbruksfonden för landsbygdsutveckling",
		"Formas", "Stiftelsen Lantbruksforskning", "Energimyndigheten",
	}
	orgKinds = []string{"Mejeri", "Slakteri", "Bryggeri", "Kvarn", "Sågverk", "Biogas AB", "Trädgård", "Fiskeförening", "Gårdsbutik"}
)

// Sentence templates. {T} and {U} are topic terms, {C} the cluster, {O} an
// organisation, {P} a person, {W} a town, {L} the county, {N} a number.
var sentences = []string{
	"Under året har {C} samlat {N} företag kring frågor om {T}.",
	"Arbetet med {T} har fått ny fart sedan {O} gick in som partner.",
	"– Vi ser ett stort intresse för {T} bland medlemmarna, säger {P}.",
	"Satsningen på {T} och {U} ska ge fler arbetstillfällen i {W}.",
	"Enligt {O} behövs mer kunskap om {T} ute på gårdarna i {L}.",
	"Deltagarna fick höra om {T} och diskutera hur {U} kan stärka landsbygden.",
	"{C} driver frågan om {T} tillsammans med {O} och flera kommuner.",
	"Projektet har hittills nått {N} lantbrukare och livsmedelsföretag.",
	"Många av företagen i {W} har redan börjat arbeta med {T}.",
	"Nästa steg är att sprida erfarenheterna av {T} till fler regioner.",
	"{P} på {O} leder arbetsgruppen för {T}.",
	"I {L} finns goda förutsättningar för {T}, men också utmaningar kring {U}.",
	"Seminariet lockade {N} deltagare från hela regionen.",
	"Målet är att öka lönsamheten genom {T} och samtidigt minska klimatpåverkan.",
	"En förstudie om {T} visar att {U} kan bli en viktig del av lösningen.",
	"Klustret erbjuder rådgivning om {T} till medlemsföretagen.",
	"Samverkan mellan forskning och näringsliv är avgörande för {T}.",
	"Under hösten ordnas studiebesök på gårdar som arbetar med {U}.",
	"{O} bidrar med kunskap om {T} och med kontakter i branschen.",
	"Resultaten från {W} ska samlas i en rapport om {T}.",
}

// swedishMonths are the month names in Swedish dates.
var swedishMonths = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// swedishDate writes t as "14 mars 2026".
func swedishDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), swedishMonths[t.Month()-1], t.Year())
}

// textGen writes Swedish-like text for one cluster from a seeded source.
type textGen struct {
	rnd     *rand.Rand
	cluster string
	county  string
	focus   []kg.Topic // the cluster's own topics, used most
	all     []kg.Topic
	orgs    []string
	people  []string
}

// term returns a topic term: mostly from the cluster's focus topics.
func (g *textGen) term() string {
	ts := g.focus
	if g.rnd.IntN(4) == 0 {
		ts = g.all
	}
	t := ts[g.rnd.IntN(len(ts))]
	return t.Terms[g.rnd.IntN(swedishTerms(t))]
}

// swedishTerms returns how many of t's first terms the text draws from.
// The vocabulary lists Swedish terms before English ones; the first three
// fifths are taken as Swedish.
func swedishTerms(t kg.Topic) int {
	return max(1, (len(t.Terms)*3+4)/5)
}

// regionName returns the name of a county's region: "Region Gävleborg"
// for "Gävleborgs län".
func regionName(county string) string {
	name := strings.TrimSuffix(county, " län")
	if strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss") {
		name = strings.TrimSuffix(name, "s")
	}
	return "Region " + name
}

func (g *textGen) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

// sentence fills one template.
func (g *textGen) sentence() string {
	s := g.pick(sentences)
	r := strings.NewReplacer(
		"{C}", g.cluster, "{O}", g.pick(g.orgs), "{P}", g.pick(g.people), "{W}", g.pick(towns),
		"{L}", g.county, "{N}", fmt.Sprint(5+g.rnd.IntN(140)),
	)
	s = r.Replace(s)
	s = strings.Replace(s, "{T}", g.term(), 1)
	s = strings.Replace(s, "{U}", g.term(), 1)
	return s
}

// paragraph returns n sentences.
func (g *textGen) paragraph(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.sentence()
	}
	return strings.Join(parts, " ")
}

// title returns a headline around a topic term.
func (g *textGen) title() string {
	t := g.term()
	forms := []string{
		"Nya möjligheter inom %s i %s",
		"Så arbetar företagen med %s kring %s",
		"Fokus på %s när klustret träffas i %s",
		"Satsning på %s ska stärka %s",
		"Erfarenheter av %s från %s",
		"Träff om %s lockade många i %s",
		"Därför behövs mer %s i %s",
	}
	return upperFirst(fmt.Sprintf(g.pick(forms), t, g.pick(towns)))
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// slug turns a title into a path segment of ASCII letters and hyphens. It
// drops digits, so that the crawler's URL-pattern budget sees distinct
// shapes only where the words differ.
func slug(s string) string {
	r := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "Å", "a", "Ä", "a", "Ö", "o", "É", "e")
	s = strings.ToLower(r.Replace(s))
	var b strings.Builder
	dash := false
	for _, c := range s {
		if c >= 'a' && c <= 'z' {
			b.WriteRune(c)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}
