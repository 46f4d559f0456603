package web

import "fmt"

// Languages of the user interface.
const (
	LangSV = "sv" // Swedish, the default
	LangEN = "en" // English
)

// DefaultLang is the language pages are shown in unless the user chose
// another.
const DefaultLang = LangSV

// Langs lists the interface languages in the order the switch shows them.
var Langs = []string{LangSV, LangEN}

// LangNames names each interface language in itself, as the switch shows it.
var LangNames = map[string]string{LangSV: "Svenska", LangEN: "English"}

// IsLang reports whether lang is an interface language.
func IsLang(lang string) bool {
	_, ok := messages[lang]
	return ok
}

// T returns the message key in lang, falling back to Swedish and then to
// the key itself.
func T(lang, key string) string {
	if m, ok := messages[lang][key]; ok {
		return m
	}
	if m, ok := messages[DefaultLang][key]; ok {
		return m
	}
	return key
}

// Tf formats the message key in lang with args.
func Tf(lang, key string, args ...any) string {
	return fmt.Sprintf(T(lang, key), args...)
}

// Tn formats the message key in lang with the number n, choosing the
// singular form key+".one" when n is 1 and key+".other" otherwise.
func Tn(lang, key string, n int) string {
	if n == 1 {
		return Tf(lang, key+".one", n)
	}
	return Tf(lang, key+".other", n)
}

// messages is every user interface string, by language and key.
var messages = map[string]map[string]string{
	LangSV: {
		"site.tagline": "Sök i de gröna klustrens webbplatser: vem arbetar med vad, och var det står.",
		"skip":         "Hoppa till innehållet",
		"nav.label":    "Huvudmeny",
		"nav.search":   "Sök",
		"nav.clusters": "Kluster",
		"nav.topics":   "Ämnen",
		"lang.label":   "Språk",
		"footer.about": "Klusterkarta samlar vad Sveriges gröna kluster skriver på sina webbplatser.",

		"search.title":          "Sök",
		"search.heading":        "Sök bland klustrens sidor",
		"search.label":          "Sökord",
		"search.button":         "Sök",
		"search.results":        "Träffar",
		"search.total.one":      "%d träff",
		"search.total.other":    "%d träffar",
		"search.none":           "Inga träffar. Pröva andra ord eller ta bort ett filter.",
		"search.invalid":        "Sökningen kunde inte utföras",
		"search.filters":        "Valda filter",
		"search.clear":          "Rensa alla filter",
		"search.remove":         "Ta bort filtret %s",
		"search.facets":         "Avgränsa",
		"search.source":         "Källa",
		"search.clusters":       "Kluster",
		"facet.cluster":         "Kluster",
		"facet.topic":           "Ämne",
		"facet.kind":            "Typ av sida",
		"facet.lang":            "Språk",
		"facet.county":          "Län",
		"facet.year":            "År",
		"search.didyoumean":     "Menade du",
		"search.alsoon":         "Samma text finns också på",
		"kind.about":            "Om klustret",
		"kind.news":             "Nyhet",
		"kind.newsletter":       "Nyhetsbrev",
		"kind.event":            "Evenemang",
		"kind.project":          "Projekt",
		"kind.report":           "Rapport",
		"kind.contact":          "Kontakt",
		"kind.other":            "Övrigt",
		"doclang.sv":            "Svenska",
		"doclang.en":            "Engelska",
		"pager.label":           "Sidor",
		"pager.prev":            "Föregående",
		"pager.next":            "Nästa",
		"pager.page":            "Sida %d",
		"pager.status":          "Sida %d av %d",
		"clusters.title":        "Gröna kluster",
		"clusters.intro":        "Regionala kompetenscentrum för lantbruk, livsmedel, skog och energi.",
		"clusters.none":         "Inga kluster finns ännu.",
		"clusters.docs.one":     "%d dokument",
		"clusters.docs.other":   "%d dokument",
		"clusters.top":          "Starkaste ämnen",
		"cluster.facts":         "Fakta",
		"cluster.county":        "Län",
		"cluster.town":          "Ort",
		"cluster.aliases":       "Även kallat",
		"cluster.sites":         "Webbplatser",
		"cluster.documents":     "Dokument",
		"cluster.topics":        "Ämnen klustret arbetar med",
		"cluster.notopics":      "Inga ämnen har hittats ännu.",
		"cluster.search":        "Sök bland klustrets sidor",
		"weight":                "Vikt",
		"evidence":              "Belägg",
		"evidence.more.one":     "och %d belägg till",
		"evidence.more.other":   "och %d belägg till",
		"topics.title":          "Ämnen",
		"topics.intro":          "Ämnen som klustren arbetar med, och hur många som gör det.",
		"topics.none":           "Inga ämnen finns ännu.",
		"topics.clusters.one":   "%d kluster",
		"topics.clusters.other": "%d kluster",
		"topics.docs.one":       "%d dokument",
		"topics.docs.other":     "%d dokument",
		"topic.terms":           "Ord som visar ämnet",
		"topic.clusters":        "Kluster som arbetar med ämnet",
		"topic.none":            "Inget kluster arbetar med ämnet ännu.",
		"topic.search":          "Sök dokument om ämnet",
		"error.400":             "Felaktig förfrågan",
		"error.404":             "Sidan finns inte",
		"error.404.text":        "Det finns ingen sida på den här adressen.",
		"error.405":             "Metoden stöds inte",
		"error.409":             "Konflikt",
		"error.500":             "Något gick fel",
		"error.500.text":        "Ett internt fel inträffade. Försök igen om en stund.",
		"error.503":             "Tjänsten är inte tillgänglig",
		"error.503.text":        "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
		"error.cluster":         "Det finns inget kluster med id %q.",
		"error.topic":           "Det finns inget ämne med id %q.",
		"error.reference":       "Referens: %s",
		"error.home":            "Till startsidan",
	},
	LangEN: {
		"site.tagline": "Search the green clusters' websites: who works on what, and where it says so.",
		"skip":         "Skip to content",
		"nav.label":    "Main menu",
		"nav.search":   "Search",
		"nav.clusters": "Clusters",
		"nav.topics":   "Topics",
		"lang.label":   "Language",
		"footer.about": "Klusterkarta gathers what Sweden's green clusters write on their websites.",

		"search.title":          "Search",
		"search.heading":        "Search the clusters' pages",
		"search.label":          "Search terms",
		"search.button":         "Search",
		"search.results":        "Results",
		"search.total.one":      "%d result",
		"search.total.other":    "%d results",
		"search.none":           "No results. Try other words or remove a filter.",
		"search.invalid":        "The search could not be run",
		"search.filters":        "Active filters",
		"search.clear":          "Clear all filters",
		"search.remove":         "Remove the filter %s",
		"search.facets":         "Narrow down",
		"search.source":         "Source",
		"search.clusters":       "Clusters",
		"facet.cluster":         "Cluster",
		"facet.topic":           "Topic",
		"facet.kind":            "Kind of page",
		"facet.lang":            "Language",
		"facet.county":          "County",
		"facet.year":            "Year",
		"search.didyoumean":     "Did you mean",
		"search.alsoon":         "The same text is also on",
		"kind.about":            "About the cluster",
		"kind.news":             "News",
		"kind.newsletter":       "Newsletter",
		"kind.event":            "Event",
		"kind.project":          "Project",
		"kind.report":           "Report",
		"kind.contact":          "Contact",
		"kind.other":            "Other",
		"doclang.sv":            "Swedish",
		"doclang.en":            "English",
		"pager.label":           "Pages",
		"pager.prev":            "Previous",
		"pager.next":            "Next",
		"pager.page":            "Page %d",
		"pager.status":          "Page %d of %d",
		"clusters.title":        "Green clusters",
		"clusters.intro":        "Regional competence centres for farming, food, forestry and energy.",
		"clusters.none":         "There are no clusters yet.",
		"clusters.docs.one":     "%d document",
		"clusters.docs.other":   "%d documents",
		"clusters.top":          "Strongest topics",
		"cluster.facts":         "Facts",
		"cluster.county":        "County",
		"cluster.town":          "Town",
		"cluster.aliases":       "Also known as",
		"cluster.sites":         "Websites",
		"cluster.documents":     "Documents",
		"cluster.topics":        "Topics the cluster works on",
		"cluster.notopics":      "No topics have been found yet.",
		"cluster.search":        "Search the cluster's pages",
		"weight":                "Weight",
		"evidence":              "Evidence",
		"evidence.more.one":     "and %d more piece of evidence",
		"evidence.more.other":   "and %d more pieces of evidence",
		"topics.title":          "Topics",
		"topics.intro":          "Topics the clusters work on, and how many do.",
		"topics.none":           "There are no topics yet.",
		"topics.clusters.one":   "%d cluster",
		"topics.clusters.other": "%d clusters",
		"topics.docs.one":       "%d document",
		"topics.docs.other":     "%d documents",
		"topic.terms":           "Words that signal the topic",
		"topic.clusters":        "Clusters working on the topic",
		"topic.none":            "No cluster works on the topic yet.",
		"topic.search":          "Search documents on the topic",
		"error.400":             "Bad request",
		"error.404":             "Page not found",
		"error.404.text":        "There is no page at this address.",
		"error.405":             "Method not allowed",
		"error.409":             "Conflict",
		"error.500":             "Something went wrong",
		"error.500.text":        "An internal error occurred. Please try again in a moment.",
		"error.503":             "Service unavailable",
		"error.503.text":        "The service is temporarily unavailable. Please try again in a moment.",
		"error.cluster":         "There is no cluster with id %q.",
		"error.topic":           "There is no topic with id %q.",
		"error.reference":       "Reference: %s",
		"error.home":            "Back to the start page",
	},
}
