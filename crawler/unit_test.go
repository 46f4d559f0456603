package crawler

import (
	"bytes"
	"compress/gzip"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIsPrivateAddr(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"::1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"172.32.0.1", false},
		{"192.168.1.1", true},
		{"169.254.169.254", true},
		{"fe80::1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"0.0.0.0", true},
		{"::", true},
		{"0.1.2.3", true},
		{"100.64.0.1", true},
		{"100.127.255.254", true},
		{"100.128.0.1", false},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"255.255.255.255", true},
		{"8.8.8.8", false},
		{"193.10.1.1", false},
		{"2001:4860:4860::8888", false},
		{"::ffff:8.8.8.8", false},
	}
	for _, tt := range tests {
		ip := net.ParseIP(tt.ip)
		if ip == nil {
			t.Fatalf("bad test IP %q", tt.ip)
		}
		if got := IsPrivateAddr(ip); got != tt.want {
			t.Errorf("IsPrivateAddr(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
	if IsPrivateAddr(nil) {
		t.Error("IsPrivateAddr(nil) = true")
	}
}

func TestDialControl(t *testing.T) {
	tests := []struct {
		addr    string
		refused bool
	}{
		{"127.0.0.1:80", true},
		{"[::1]:443", true},
		{"[fe80::1%eth0]:80", true},
		{"100.100.1.1:80", true},
		{"93.184.216.34:443", false},
		{"[2a00:1450::1]:443", false},
		{"garbage", true},
	}
	for _, tt := range tests {
		err := dialControl("tcp", tt.addr, nil)
		if (err != nil) != tt.refused {
			t.Errorf("dialControl(%q) = %v, want refused %v", tt.addr, err, tt.refused)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://Vretakluster.SE", "https://vretakluster.se/"},
		{"http://example.se:80/a#frag", "http://example.se/a"},
		{"https://example.se:443/a?b=1#x", "https://example.se/a?b=1"},
		{"http://example.se:8080/", "http://example.se:8080/"},
		{"webcal://example.se/kalender.ics", "https://example.se/kalender.ics"},
		{"HTTPS://example.se/Sida", "https://example.se/Sida"},
		{"  https://example.se/  ", "https://example.se/"},
		{"http://[::1]:8080/x", "http://[::1]:8080/x"},
		{"mailto:info@example.se", ""},
		{"javascript:void(0)", ""},
		{"ftp://example.se/", ""},
		{"/relative", ""},
		{"https://user:pw@example.se/", ""},
		{"https://", ""},
		{"http://%zz/", ""},
	}
	for _, tt := range tests {
		got := ""
		if u := normalizeURL(tt.in); u != nil {
			got = u.String()
		}
		if got != tt.want {
			t.Errorf("normalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://Example.se:443/a#b", "webcal://x/y.ics", "http://[::1]:80/", "mailto:x", "%", "http://a b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u := normalizeURL(raw)
		if u == nil {
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Fragment != "" || u.Path == "" {
			t.Fatalf("normalizeURL(%q) = %q", raw, u)
		}
		// Normalizing twice changes nothing.
		if again := normalizeURL(u.String()); again == nil || again.String() != u.String() {
			t.Fatalf("normalizeURL is not idempotent on %q: %q then %v", raw, u, again)
		}
	})
}

func TestScope(t *testing.T) {
	tests := []struct {
		root, u string
		want    bool
	}{
		{"https://example.se/", "https://example.se/om-oss/", true},
		{"https://example.se/", "http://example.se/nyheter", true},
		{"https://www.example.se/", "https://example.se/a", true},
		{"https://example.se/", "https://www.example.se/a", true},
		{"https://example.se/", "https://annan.se/a", false},
		{"https://example.se/", "https://sub.example.se/a", false},
		{"http://example.se:8080/", "http://example.se:8081/", false},
		{"http://example.se:8080/", "http://example.se:8080/a", true},
		{"https://lrf.se/gronakluster", "https://lrf.se/gronakluster", true},
		{"https://lrf.se/gronakluster", "https://lrf.se/gronakluster/vreta", true},
		{"https://lrf.se/gronakluster", "https://lrf.se/gronakluster-ny", false},
		{"https://lrf.se/gronakluster", "https://lrf.se/annat", false},
		{"https://lrf.se/kluster/index.html", "https://lrf.se/kluster/a", true},
		{"https://lrf.se/kluster/index.html", "https://lrf.se/a", false},
	}
	for _, tt := range tests {
		root, u := normalizeURL(tt.root), normalizeURL(tt.u)
		if got := scopeOf(root).contains(u); got != tt.want {
			t.Errorf("scope %q contains %q = %v, want %v", tt.root, tt.u, got, tt.want)
		}
	}
}

func TestContentKind(t *testing.T) {
	tests := []struct {
		ct, want string
	}{
		{"text/html; charset=utf-8", typeHTML},
		{"TEXT/HTML", typeHTML},
		{"application/xhtml+xml", typeHTML},
		{"application/pdf", typePDF},
		{"text/calendar; charset=utf-8", typeICal},
		{"application/rss+xml", typeXML},
		{"application/atom+xml", typeXML},
		{"text/xml", typeXML},
		{"text/plain", typeText},
		{"image/jpeg", ""},
		{"application/zip", ""},
		{"text/css", ""},
		{"", ""},
		{"text/html; charset", typeHTML},
	}
	for _, tt := range tests {
		if got := contentKind(tt.ct); got != tt.want {
			t.Errorf("contentKind(%q) = %q, want %q", tt.ct, got, tt.want)
		}
	}
}

func TestEffectiveType(t *testing.T) {
	u := func(s string) *url.URL { return normalizeURL(s) }
	tests := []struct {
		ct   string
		url  string
		body string
		want string
	}{
		{"text/html; charset=utf-8", "https://x.se/", "<html>", "text/html; charset=utf-8"},
		{"text/html; charset=iso-8859-1", "https://x.se/", "<html>", "text/html; charset=utf-8"},
		{"application/octet-stream", "https://x.se/a.pdf", "x", "application/pdf"},
		{"application/octet-stream", "https://x.se/a", "%PDF-1.7", "application/pdf"},
		{"application/octet-stream", "https://x.se/a", "BEGIN:VCALENDAR\r\n", "text/calendar"},
		{"application/octet-stream", "https://x.se/a", "PK\x03\x04", "application/octet-stream"},
		{"", "https://x.se/a", "<!doctype html><html>", "text/html; charset=utf-8"},
		{"", "https://x.se/k.ics", "BEGIN:VCALENDAR", "text/calendar"},
	}
	for _, tt := range tests {
		if got := effectiveType(tt.ct, u(tt.url), []byte(tt.body)); got != tt.want {
			t.Errorf("effectiveType(%q, %s) = %q, want %q", tt.ct, tt.url, got, tt.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"5", 5 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.v != "" {
			h.Set("Retry-After", tt.v)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func gzipped(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

func TestParseSitemap(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		urls     []string
		sitemaps []string
		err      bool
	}{
		{
			name: "urlset",
			body: `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
				<url><loc> https://x.se/a </loc><lastmod>2025-01-01</lastmod></url><url><loc>https://x.se/b?c=1&amp;d=2</loc></url><url><loc></loc></url></urlset>`,
			urls: []string{"https://x.se/a", "https://x.se/b?c=1&d=2"},
		},
		{
			name:     "index",
			body:     `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.se/s1.xml</loc></sitemap></sitemapindex>`,
			sitemaps: []string{"https://x.se/s1.xml"},
		},
		{
			name: "gzip",
			body: gzipped(`<urlset><url><loc>https://x.se/z</loc></url></urlset>`),
			urls: []string{"https://x.se/z"},
		},
		{
			name: "latin-1",
			body: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://x.se/f\xe4lt</loc></url></urlset>",
			urls: []string{"https://x.se/fält"},
		},
		{
			name: "truncated keeps what it read",
			body: `<urlset><url><loc>https://x.se/a</loc></url><url><loc>https://x.se/b`,
			urls: []string{"https://x.se/a"},
		},
		{name: "rss", body: `<rss><channel><link>https://x.se/</link></channel></rss>`, err: true},
		{name: "html", body: `<!doctype html><html><body>nej</body></html>`, err: true},
		{name: "empty", body: ``, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := parseSitemap([]byte(tt.body))
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if !slices.Equal(sm.URLs, tt.urls) || !slices.Equal(sm.Sitemaps, tt.sitemaps) {
				t.Errorf("got %q and %q, want %q and %q", sm.URLs, sm.Sitemaps, tt.urls, tt.sitemaps)
			}
		})
	}
	if !isSitemap([]byte(`<?xml version="1.0"?><urlset/>`)) || isSitemap([]byte(`<rss/>`)) {
		t.Error("isSitemap does not tell sitemaps from feeds")
	}
}

func FuzzParseSitemap(f *testing.F) {
	for _, s := range []string{
		`<urlset><url><loc>https://x.se/a</loc></url></urlset>`,
		`<sitemapindex><sitemap><loc>https://x.se/s.xml</loc></sitemap></sitemapindex>`,
		gzipped(`<urlset><url><loc>u</loc></url></urlset>`),
		`<urlset><loc>`,
		"\x1f\x8b",
		`<?xml version="1.0" encoding="windows-1252"?><urlset/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sm, err := parseSitemap(body)
		if err != nil && (len(sm.URLs) > 0 || len(sm.Sitemaps) > 0) {
			t.Fatalf("error %v with results %v", err, sm)
		}
		if len(sm.URLs) > maxSitemapURLs {
			t.Fatalf("%d URLs, over the limit", len(sm.URLs))
		}
		isSitemap(body)
	})
}

func TestNormalizeURLCleansQueryAndPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.se/a?utm_source=x&b=2&a=1&fbclid=y&gclid=z", "https://example.se/a?a=1&b=2"},
		{"https://example.se/a?UTM_Medium=x", "https://example.se/a"},
		{"https://example.se/a;jsessionid=ABC123?x=1", "https://example.se/a?x=1"},
		{"https://example.se/a?PHPSESSID=1&sid=2", "https://example.se/a"},
		{"https://example.se/a/./b/../c/", "https://example.se/a/c/"},
		{"https://example.se//a//b", "https://example.se/a/b"},
		{"https://example.se/a?", "https://example.se/a"},
		{"https://example.se/s%C3%B6k?q=%C3%A4", "https://example.se/s%C3%B6k?q=%C3%A4"},
		{"https://example.se/a?b=2&b=1", "https://example.se/a?b=2&b=1"},
	}
	for _, tt := range tests {
		got := ""
		if u := normalizeURL(tt.in); u != nil {
			got = u.String()
		}
		if got != tt.want {
			t.Errorf("normalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, pair := range [][2]string{
		{"https://example.se/om-oss/", "https://example.se/om-oss"},
		{"https://example.se/a/?x=1#f", "https://example.se/a?x=1"},
	} {
		a, b := normalizeURL(pair[0]), normalizeURL(pair[1])
		if urlKey(a) != urlKey(b) {
			t.Errorf("urlKey(%s) = %s, urlKey(%s) = %s; want one page", pair[0], urlKey(a), pair[1], urlKey(b))
		}
	}
	if urlKey(normalizeURL("https://example.se/")) != "https://example.se/" {
		t.Error("the root lost its slash")
	}
}

func TestIsPrivateAddrMoreRanges(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"169.254.169.254", true},
		{"fd00:ec2::254", true},
		{"::ffff:169.254.169.254", true},
		{"::ffff:127.0.0.1", true},
		{"::127.0.0.1", true},
		{"64:ff9b::7f00:1", true},
		{"64:ff9b::808:808", false},
		{"2002:7f00:1::1", true},
		{"2002:a00:1::1", true},
		{"2002:808:808::1", false},
		{"2001:0:4136:e378::1", true},
		{"100.100.100.200", true},
		{"192.0.0.192", true},
		{"192.0.2.1", true},
		{"198.18.0.1", true},
		{"203.0.113.9", true},
		{"224.0.0.251", true},
		{"239.1.1.1", true},
		{"240.0.0.1", true},
		{"ff02::1", true},
		{"2001:db8::1", true},
		{"1.1.1.1", false},
		{"2a00:1450:4001::1", false},
	}
	for _, tt := range tests {
		ip := net.ParseIP(tt.ip)
		if ip == nil {
			t.Fatalf("bad test IP %q", tt.ip)
		}
		if got := IsPrivateAddr(ip); got != tt.want {
			t.Errorf("IsPrivateAddr(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func TestTrapReason(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		url  string
		trap bool
	}{
		{"https://example.se/nyheter/2024/05/biogas", false},
		{"https://example.se/kalender?month=2025-07", false},
		{"https://example.se/kalender?month=2031-07", true},
		{"https://example.se/kalender/1890-01-01/", true},
		{"https://example.se/arkiv/2009/", false},
		{"https://example.se/events/list/?tribe-bar-date=2099-01-01", true},
		{"https://example.se/rapport-1890.pdf", false},
		{"https://example.se/a/b/a/b/", true},
		{"https://example.se/x/x/x/", true},
		{"https://example.se/a/b/c/d", false},
		{"https://example.se/bilder/2024/05/05/", false},
		{"https://example.se/" + strings.Repeat("s/", 20), true},
		{"https://example.se/sok?a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1", true},
		{"https://example.se/" + strings.Repeat("x", 2100), true},
	}
	for _, tt := range tests {
		u := normalizeURL(tt.url)
		if got := trapReason(u, now); (got != "") != tt.trap {
			t.Errorf("trapReason(%s) = %q, want trap %v", tt.url, got, tt.trap)
		}
	}
	if a, b := urlPattern(normalizeURL("https://e.se/kal?m=2024-01")), urlPattern(normalizeURL("https://e.se/kal?m=2031-12")); a != b {
		t.Errorf("calendar pages have patterns %q and %q, want one", a, b)
	}
}

func FuzzTrapReason(f *testing.F) {
	for _, s := range []string{"https://e.se/a/b/a/b", "https://e.se/k?month=2099-01", "https://e.se/2024-05-01/", "https://e.se/?a&b&c"} {
		f.Add(s)
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		u := normalizeURL(raw)
		if u == nil {
			return
		}
		_ = trapReason(u, now)
		if urlPattern(u) == "" {
			t.Fatalf("empty pattern for %q", u)
		}
	})
}

func TestDirectives(t *testing.T) {
	tests := []struct {
		name     string
		header   map[string][]string
		body     string
		noindex  bool
		nofollow bool
		canon    string
	}{
		{"meta none", nil, `<head><meta name="robots" content="none"></head>`, true, true, ""},
		{"meta for us", nil, `<meta name="Klusterkarta" content="noindex">`, true, false, ""},
		{"meta for another bot", nil, `<meta name="googlebot" content="noindex">`, false, false, ""},
		{"header", map[string][]string{"X-Robots-Tag": {"noindex, nofollow"}}, ``, true, true, ""},
		{"header for another bot", map[string][]string{"X-Robots-Tag": {"googlebot: noindex"}}, ``, false, false, ""},
		{"header for us", map[string][]string{"X-Robots-Tag": {"klusterkarta: nofollow"}}, ``, false, true, ""},
		{"header with parameter", map[string][]string{"X-Robots-Tag": {"unavailable_after: 2020-01-01", "noindex"}}, ``, true, false, ""},
		{"canonical", nil, `<link rel="Canonical" href="/en"><link rel="canonical" href="/två">`, false, false, "/en"},
		{"meta in body ignored", nil, `<body><meta name="robots" content="noindex"></body>`, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agent := agentToken(DefaultUserAgent)
			d := htmlDirectives(headerDirectives(tt.header, agent), []byte(tt.body), agent)
			if d.noindex != tt.noindex || d.nofollow != tt.nofollow || d.canonical != tt.canon {
				t.Errorf("got %+v", d)
			}
		})
	}
}

func FuzzHTMLDirectives(f *testing.F) {
	for _, s := range []string{`<meta name="robots" content="noindex">`, `<link rel=canonical href=/x>`, `<body>`, `<meta name=robots content="a: b, c">`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		d := htmlDirectives(directives{}, []byte(body), "klusterkarta")
		d.applyRobots(body, "klusterkarta")
	})
}
