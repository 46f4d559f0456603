package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// noOrgs finds no organisations.
func noOrgs(string) []string { return nil }

// projectNames returns the names of the projects extracted from text.
func projectNames(title, text, kind string, find func(string) []string) []string {
	var out []string
	for _, p := range extractProjects(title, text, kind, fixedNow, find) {
		out = append(out, p.Name)
	}
	return out
}

func TestExtractProjectsFromRunningText(t *testing.T) {
	tests := []struct {
		name, title, text, kind string
		want                    []string
	}{
		{"sentence case after projektet", "Nyheter", "Klustret driver projektet Lokalproducerat på bordet som ska nå storköken.", kg.KindNews,
			[]string{"Lokalproducerat på bordet"}},
		{"compound cue", "Nyheter", "ESF-projektet Grön kompetens – livsmedel drivs 2020–2022.", kg.KindNews,
			[]string{"Grön kompetens – livsmedel"}},
		{"cue with comma", "Nyheter", "De har beviljats ett treårigt Vinnovaprojekt, Matlyftet, på nio miljoner kronor.", kg.KindNews,
			[]string{"Matlyftet"}},
		{"connector before a capitalised word", "Nyheter", "Stöd går till projektet SMAK – Synliggöra Mat genom Aktiviteter mot Konsument, som ska stärka företagen.", kg.KindNews,
			[]string{"SMAK – Synliggöra Mat genom Aktiviteter mot Konsument"}},
		{"time word ends the name", "Nyheter", "Nämnden ger medel till projektet Mötesplats Nuntorp hösten 2022.", kg.KindNews,
			[]string{"Mötesplats Nuntorp"}},
		{"genitive ends the name", "Nyheter", "Vi var på projektet Skogens krafts konvent i Lammhult.", kg.KindNews,
			[]string{"Skogens kraft"}},
		{"appositive", "Nyheter", "Högskolan 2018: Arena grön tillväxt, ett treårigt samverkansprojekt finansierat av ERUF, avslutades.", kg.KindNews,
			[]string{"Arena grön tillväxt"}},
		{"quoted names in a sentence about projects", "Nyheter", "Två integrationsprojekt, 'Future Farming' och 'Green Start', drivs av högskolan.", kg.KindNews,
			[]string{"Future Farming", "Green Start"}},
		{"quoted name opening the next sentence", "Nyheter", "Krinova har fått medel för två matprojekt. 'Nya drycker' ska ta fram koncept. 'En bit av Skåne' låter turister äta hos värdar.", kg.KindNews,
			[]string{"Nya drycker", "En bit av Skåne"}},
		{"quoted radio series is no project", "Nyheter", "Hon medverkar i radioserien 'Maten och klimatet' varje vecka.", kg.KindNews, nil},
		{"numbered list of projects", "Rotary", "Fyra projekt presenterades: Arena Skog (kunskap hos skogsägare), Lokalproducerat på bordet (försäljning), Cirkulära system och Fiskodling med en anläggning.", kg.KindNews,
			[]string{"Arena Skog", "Lokalproducerat på bordet", "Cirkulära system", "Fiskodling"}},
		{"project list page", "Projekt", "Projektlista på matlyftet.nu. Hallonodling i norr: enligt räkningen saknas odlingar. Arctic Gardens: utvecklingscentrum för trädgård. Bakgrund: länets strategi.", kg.KindProject,
			[]string{"Hallonodling i norr", "Arctic Gardens"}},
		{"colon heads that are no names", "Projekt", "Agro Testas projektsida: förstudien pågår. Förväntade synergier: bättre beredskap. LRF Halland 2019: en fokusgrupp planerar.", kg.KindProject,
			nil},
		{"fate of a project on a report page", "Summering", "Arena Äng startade med visionen om en arena. Lokalt på bordet avslutades i våras. Flera idéprocesser pågår.", kg.KindReport,
			[]string{"Arena Äng", "Lokalt på bordet"}},
		{"förstudie sentence on a project page", "Taggsida", "Taggsida på matlyftet.nu. Förstudie för att nå ökad försörjningsförmåga (2024), med Piteå som pilot.", kg.KindProject,
			[]string{"Förstudie för att nå ökad försörjningsförmåga"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			find := noOrgs
			if strings.Contains(tt.text, "LRF") {
				find = func(s string) []string {
					if strings.Contains(s, "LRF") {
						return []string{"LRF"}
					}
					return nil
				}
			}
			got := projectNames(tt.title, tt.text, tt.kind, find)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("projects\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestProjectPageTitle(t *testing.T) {
	tests := []struct {
		name, title, text string
		want              []string
	}{
		{"own project unnamed", "Business development in green industries", "Projektet undersöker hur mångfald kan bli en fördel.",
			[]string{"Business development in green industries"}},
		{"named project wins over a headline", "Klustret får miljonbelopp för nytt projekt", "Klustret har beviljats medel för projektet Matarenan, som ska skapa jobb. Vd säger att projektet ska hjälpa företagen.",
			[]string{"Matarenan"}},
		{"exclaiming headline", "Västra Götaland satsar på skog!", "En ny satsning på skogsutveckling startar.", nil},
		{"fact box names the project before it", "Taggsida", "Projektet Gröna Gården: från 2018 satsar kommunen. Projektledare: Anna Berg, Kommunen. Projektägare: Piteå kommun.",
			[]string{"Gröna Gården"}},
		{"fact box without a name takes the title", "Ökad odling och hållbar konsumtion", "Projekt inom Matlyftet. Projektledare: Eva Ek, Länsstyrelsen. Projektägare: Länsstyrelsen. Projekttid 2022-03-01 till 2023-12-31.",
			[]string{"Ökad odling och hållbar konsumtion"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := projectNames(tt.title, tt.text, kg.KindProject, noOrgs)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("projects\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestProjectFactBoxFields(t *testing.T) {
	text := "Projektnamn: Vattenlyftet\nProjektägare: Styrelsen för Testklustret\nProjektledare: Eva Ek, Testklustret\n" +
		"Finansiärer: Europeiska havs-, fiskeri- och vattenbruksfonden och Region Gotland\nIntressenter: LRF, SLU och RISE\nProjekttid: 220501-240430"
	ps := extractProjects("Vattenlyftet", text, kg.KindProject, fixedNow, noOrgs)
	if len(ps) != 1 {
		t.Fatalf("projects = %+v, want one", ps)
	}
	p := ps[0]
	if p.Name != "Vattenlyftet" || p.Owner != "Testklustret" || p.Leader != "Eva Ek" {
		t.Errorf("name %q owner %q leader %q", p.Name, p.Owner, p.Leader)
	}
	if got := strings.Join(p.Funders, "|"); got != "Europeiska havs-, fiskeri- och vattenbruksfonden|Region Gotland" {
		t.Errorf("funders = %q", got)
	}
	if got := strings.Join(p.Stakeholders, "|"); got != "LRF|SLU|RISE" {
		t.Errorf("stakeholders = %q", got)
	}
	if !p.Start.Equal(day(2022, 5, 1)) || !p.End.Equal(day(2024, 4, 30)) || p.Status != kg.StatusFinished {
		t.Errorf("period %v–%v status %q, want 2022-05-01–2024-04-30 finished (the clock is June 2024)", p.Start, p.End, p.Status)
	}
}

func TestProjectStatus(t *testing.T) {
	ref := day(2024, 6, 1)
	tests := []struct {
		text       string
		start, end time.Time
		want       string
	}{
		{"Avslutat projekt där man byggde samarbeten.", time.Time{}, time.Time{}, kg.StatusFinished},
		{"Projektet pågår.", time.Time{}, time.Time{}, kg.StatusOngoing},
		{"", day(2021, 1, 1), day(2023, 12, 31), kg.StatusFinished},
		{"", day(2023, 1, 1), day(2025, 12, 31), kg.StatusOngoing},
		{"", day(2025, 1, 1), day(2026, 12, 31), kg.StatusPlanned},
		{"", day(2022, 1, 1), time.Time{}, kg.StatusOngoing},
		{"", time.Time{}, time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := projectStatus(tt.text, tt.start, tt.end, ref); got != tt.want {
			t.Errorf("projectStatus(%q, %v, %v) = %q, want %q", tt.text, tt.start, tt.end, got, tt.want)
		}
	}
}

func TestParsePeriodForms(t *testing.T) {
	tests := []struct {
		in         string
		start, end time.Time
	}{
		{"Projekttid: 220501-240430", day(2022, 5, 1), day(2024, 4, 30)},
		{"2022-05-01–2024-04-30", day(2022, 5, 1), day(2024, 4, 30)},
		{"maj 2022 – april 2024", day(2022, 5, 1), day(2024, 4, 30)},
		{"Projekttid maj 2023–april 2024.", day(2023, 5, 1), day(2024, 4, 30)},
		{"2021–2023", day(2021, 1, 1), day(2023, 12, 31)},
		{"mars 2022 till 31 december 2023", day(2022, 3, 1), day(2023, 12, 31)},
	}
	for _, tt := range tests {
		s, e, ok := ParsePeriod(tt.in)
		if !ok || !s.Equal(tt.start) || !e.Equal(tt.end) {
			t.Errorf("ParsePeriod(%q) = %v, %v, %v; want %v, %v", tt.in, s, e, ok, tt.start, tt.end)
		}
	}
}

// FuzzProjectFields runs the fact-box reader and the project extraction
// over arbitrary text: no panics, every project named, every field value
// inside the text.
func FuzzProjectFields(f *testing.F) {
	for _, s := range []string{
		"Projektnamn: Vattenlyftet\nProjektägare: Testklustret\nFinansiärer: EU och Region Gotland\nProjekttid: 220501-240430",
		"Projektledare: Anna Berg, SLU. Projektägare: SLU. Projekttid 2022-03-01 till 2023-12-31.",
		"Fyra projekt presenterades: A (x), B och C",
		"projektet 'X' och 'Y'. 'Z' ska",
		"Projektlista: Hallon i norr: enligt", "Finansiärer: havs-, fiskeri- och ", "Projekttid:", ":::",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fv := range readProjectFields(s) {
			if fv.value != "" && !strings.Contains(s, fv.value) {
				t.Fatalf("field value %q not in text", fv.value)
			}
		}
		for _, kind := range []string{kg.KindProject, kg.KindNews} {
			for _, p := range extractProjects("Titel", s, kind, fixedNow, noOrgs) {
				if kg.Slug(p.Name) == "" {
					t.Fatalf("project without a name: %+v", p)
				}
				if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
					t.Fatalf("project %q ends before it starts", p.Name)
				}
			}
		}
	})
}
