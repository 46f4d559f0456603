package docgen

// Word lists of the generated text. They are ordered roughly from the most
// to the least frequent word, since words are drawn with a Zipf
// distribution over each list, as in natural text.

// svFunction are Swedish function words; most are stop words the Swedish
// analysis removes, as on real pages.
var svFunction = []string{
	"och", "i", "att", "det", "som", "en", "på", "är", "av", "för",
	"med", "till", "den", "har", "de", "inte", "om", "ett", "vi", "kan",
	"från", "under", "även", "så", "mellan", "genom", "vid", "efter", "där",
	"nu", "också", "alla", "mer", "många", "flera", "både", "ska", "blir",
	"vara", "hur", "när", "sina", "sitt", "sin", "vår", "våra", "era", "man",
	"under", "inom", "utan", "samt", "eller", "men", "därför", "bland",
	"kring", "mot", "hos", "redan", "gärna", "varje", "hela", "andra",
}

// svVerbs are present-tense and infinitive verbs of the clusters' pages.
var svVerbs = []string{
	"arbetar", "utvecklar", "stärker", "bidrar", "samlar", "erbjuder",
	"driver", "presenterar", "diskuterar", "odlar", "producerar",
	"investerar", "behöver", "ökar", "minskar", "visar", "bjuder",
	"planerar", "genomför", "startar", "leder", "söker", "finansierar",
	"säljer", "förädlar", "levererar", "träffas", "delar", "skapar",
	"utveckla", "stärka", "öka", "bygga", "hitta", "skapa", "samverka",
	"lära", "testa", "odla", "minska", "säkra", "förbättra", "ställa",
	"analyserar", "kartlägger", "medverkar", "välkomnar", "anordnar",
}

// svAdjectives are adjectives in the forms pages use.
var svAdjectives = []string{
	"regionala", "lokal", "lokala", "hållbar", "hållbara", "svensk",
	"svenska", "ny", "nya", "gröna", "stor", "små", "viktig", "viktiga",
	"gemensamma", "digitala", "ekologisk", "ekologiska",
	"konkurrenskraftig", "innovativa", "nationell", "nationella",
	"långsiktig", "praktisk", "praktiska", "öppen", "öppna", "aktuella",
	"kommande", "framtida", "biobaserade", "cirkulära", "robusta",
	"attraktiv", "ökad", "minskad", "stärkt", "trygg", "kostnadsfri",
}

// svNouns are common Swedish nouns that are not domain words.
var svNouns = []string{
	"år", "vecka", "dagar", "frågor", "möjlighet", "möjligheter", "exempel",
	"deltagare", "seminarium", "webbinarium", "workshop", "dialog",
	"studie", "resultat", "analys", "aktör", "aktörer", "kommun",
	"kommuner", "länsstyrelsen", "universitet", "högskola", "bransch",
	"branschen", "kunder", "medlemmar", "partner", "partners", "styrelse",
	"anmälan", "inbjudan", "nyhetsbrev", "hemsida", "webbplats", "film",
	"presentation", "besök", "studiebesök", "konferens", "mässa", "vår",
	"höst", "sommar", "vinter", "helhet", "steg", "nivå", "fokus",
	"uppdrag", "erbjudande", "satsning", "satsningar", "ansökan",
	"utlysning", "förslag", "behov", "lösningar", "metoder", "verktyg",
}

// svInflections are the endings added to domain nouns: indefinite and
// definite, singular and plural, and the genitive.
var svInflections = []string{"", "", "", "", "en", "er", "ar", "erna", "arna", "s", "et", "ens"}

// svVowelInflections are the endings of nouns that end in a vowel.
var svVowelInflections = []string{"", "", "", "", "n", "r", "rna", "s", "ns"}

// svLinks are the linking letters between the parts of a compound, with
// the bare join most frequent.
var svLinks = []string{"", "", "", "", "", "s", "s", "s", "e", "a", "o"}

// svHeadings are the headings sections of pages open with.
var svHeadings = []string{
	"Bakgrund", "Om projektet", "Syfte och mål", "Program", "Anmälan",
	"Kontakt", "Resultat", "Så här går det till", "Vilka kan delta",
	"Finansiering", "Nästa steg", "Läs mer", "Praktisk information",
	"Sammanfattning", "Vad händer nu", "Tid och plats", "Målgrupp",
}

// enFunction are English function words.
var enFunction = []string{
	"the", "and", "of", "to", "in", "a", "for", "is", "on", "with", "that",
	"are", "as", "by", "from", "at", "we", "this", "an", "be", "our",
	"their", "it", "or", "will", "more", "can", "new", "between", "also",
	"through", "about", "all", "has", "have", "which", "into", "its",
}

// enWords are English content words of the green industries.
var enWords = []string{
	"food", "farmers", "farming", "cluster", "clusters", "innovation",
	"research", "regional", "development", "companies", "forestry",
	"energy", "production", "network", "project", "projects", "rural",
	"sustainable", "agriculture", "knowledge", "growers", "market",
	"supply", "chain", "strategy", "region", "businesses", "support",
	"biogas", "dairy", "livestock", "greenhouse", "vegetables", "timber",
	"resilience", "preparedness", "funding", "investment", "entrepreneurs",
	"seminar", "workshop", "meeting", "partners", "collaboration",
	"processing", "bioeconomy", "climate", "emissions", "soil", "water",
	"fisheries", "aquaculture", "skills", "education", "digital",
	"precision", "harvest", "crops", "cereals", "security", "local",
	"producers", "consumers", "exports", "report", "results", "growth",
	"circular", "renewable", "fuel", "forest", "owners", "welfare",
}

// enVerbs are English verbs of the generated sentences.
var enVerbs = []string{
	"supports", "develops", "brings", "connects", "strengthens", "helps",
	"builds", "invites", "presents", "explores", "offers", "leads",
	"funds", "improves", "grows", "shares", "creates", "reduces",
}

// enHeadings are English section headings.
var enHeadings = []string{
	"Background", "About the project", "Aims", "Programme", "Registration",
	"Contact", "Results", "Next steps", "Read more", "Summary",
}

// firstNames and lastNames make the names of the people pages state.
var (
	firstNames = []string{"Anna", "Erik", "Karin", "Lars", "Maria", "Johan", "Eva", "Per", "Sara", "Anders", "Lena", "Mikael", "Ingrid", "Nils", "Sofia", "Olof", "Emma", "Gustav", "Helena", "Björn"}
	lastNames  = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Lindqvist", "Berg", "Holm", "Ek", "Sjöberg", "Åberg", "Lundgren", "Öberg"}
	roles      = []string{"verksamhetsledare", "projektledare", "VD", "rådgivare", "kommunikatör", "processledare", "ordförande", "koordinator"}
)

// organisations are organisations pages name besides the clusters.
var organisations = []string{
	"Jordbruksverket", "Länsstyrelsen", "LRF", "Hushållningssällskapet",
	"SLU", "RISE", "Vinnova", "Tillväxtverket", "Region", "Livsmedelsverket",
	"Skogsstyrelsen", "Almi", "Energimyndigheten", "Formas",
}

// months are Swedish month names, for dates written out in the text.
var months = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}
