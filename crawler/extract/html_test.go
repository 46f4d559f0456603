package extract

import (
	"strings"
	"testing"
)

func TestChooseTitle(t *testing.T) {
	tests := []struct {
		title, h1, want string
	}{
		{"Om oss – Vreta Kluster", "Om oss", "Om oss"},
		{"Nyheter | Agroväst", "Nyheter", "Nyheter"},
		{"Agroväst | Nyheter", "Nyheter", "Nyheter"},
		{"Biogas - en resurs - Agro Sörmland", "Biogas - en resurs", "Biogas - en resurs"},
		{"Om oss – Vreta Kluster", "Välkommen", "Om oss – Vreta Kluster"},
		{"Om oss – Vreta Kluster", "", "Om oss – Vreta Kluster"},
		{"", "Kalender", "Kalender"},
		{"  Hem  ", "hem", "Hem"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := chooseTitle(tt.title, tt.h1); got != tt.want {
			t.Errorf("chooseTitle(%q, %q) = %q, want %q", tt.title, tt.h1, got, tt.want)
		}
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct {
		declared, text, want string
	}{
		{"sv-SE", "The cluster and the farmers", "sv"},
		{"en-GB", "Klustret och lantbrukarna", "en"},
		{"en_US", "", "en"},
		{"SV", "", "sv"},
		{"", "Klustret är en mötesplats för företag och forskning i länet.", "sv"},
		{"", "The cluster is a meeting place for companies and research in the region.", "en"},
		{"de", "The cluster is a meeting place for the region.", "en"},
		{"", "", "sv"},
		{"", "Biogas Biogas 2024", "sv"},
	}
	for _, tt := range tests {
		if got := detectLang(tt.declared, tt.text); got != tt.want {
			t.Errorf("detectLang(%q, %q) = %q, want %q", tt.declared, tt.text, got, tt.want)
		}
	}
}

func TestParseHTMLFurniture(t *testing.T) {
	page := `<html><body class="home has-sidebar no-cookies">
	<div class="elementor-widget-nav-menu"><a>Start</a><a>Om oss</a></div>
	<div id="onetrust-banner-sdk"><p>Vi använder kakor.</p></div>
	<div class="sidebar-right"><p>Populärt just nu</p></div>
	<ul class="social-icons"><li>Facebook</li></ul>
	<div role="navigation"><a>Nästa sida</a></div>
	<div hidden><p>Dold text</p></div>
	<div style="display: none"><p>Också dold</p></div>
	<div aria-label="Brödsmulor"><a>Hem</a></div>
	<div class="content with-sidebar">
	  <div class="hero-banner"><h1>Välkommen till klustret</h1></div>
	  <p>Klustret samlar de gröna näringarna.</p>
	  <p>Rad ett<br>Rad två</p>
	  <table><tr><td>Projektägare</td><td>Klustret</td></tr></table>
	</div>
	</body></html>`
	p := parseHTML(page)
	want := "Välkommen till klustret\nKlustret samlar de gröna näringarna.\nRad ett\nRad två\nProjektägare Klustret"
	if p.text != want {
		t.Errorf("text:\n%s\nwant:\n%s", p.text, want)
	}
	if p.title != "Välkommen till klustret" {
		t.Errorf("title %q", p.title)
	}
}

func TestParseHTMLPrefersMain(t *testing.T) {
	long := strings.Repeat("Innehåll om växtodling i länet. ", 10)
	page := `<html><body><div class="intro">Text utanför main</div><main><h1>Rubrik</h1><p>` + long + `</p></main></body></html>`
	p := parseHTML(page)
	if strings.Contains(p.text, "utanför") || !strings.Contains(p.text, "växtodling") {
		t.Errorf("text %q", p.text)
	}
	// A near-empty <main> (filled by scripts) gives way to the body.
	page = `<html><body><main><div id="app"></div></main><div class="page"><p>` + long + `</p></div></body></html>`
	if p := parseHTML(page); !strings.Contains(p.text, "växtodling") {
		t.Errorf("text %q, want the body's", p.text)
	}
	// Several articles (a list page): the whole body.
	page = `<html><body><article><h2>Ett</h2></article><article><h2>Två</h2></article></body></html>`
	if p := parseHTML(page); p.text != "Ett\nTvå" {
		t.Errorf("text %q, want both articles", p.text)
	}
}

func TestParseHTMLMetadata(t *testing.T) {
	page := `<!doctype html><html lang="en-GB"><head>
	<title>Fallback | Site</title>
	<meta property="og:title" content="Open Graph title">
	<meta property="article:published_time" content="2023-05-03T08:00:00+02:00">
	<link rel="alternate canonical" href="/a/b/">
	</head><body><article><header><h1>Open Graph title</h1><time datetime="2023-05-04">4 maj</time></header><p>Text.</p></article></body></html>`
	p := parseHTML(page)
	if p.title != "Open Graph title" || p.lang != "en-GB" || p.canonical != "/a/b/" {
		t.Errorf("title %q lang %q canonical %q", p.title, p.lang, p.canonical)
	}
	if p.published.UTC().Format("2006-01-02T15") != "2023-05-03T06" || p.timeAttr.Format("2006-01-02") != "2023-05-04" {
		t.Errorf("published %v time %v", p.published, p.timeAttr)
	}
	if !strings.HasPrefix(p.text, "Open Graph title\n4 maj") {
		t.Errorf("an article's own header must stay: %q", p.text)
	}
}
