package web

import (
	"html"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

func TestSanitizeSnippet(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "vall och bete", "vall och bete"},
		{"marks kept", "om <mark>biogas</mark> i Skåne", "om <mark>biogas</mark> i Skåne"},
		{"escaped text kept", "Mat &amp; miljö &lt;3 &#39;x&#39; &#x41; &quot;q&quot;", "Mat &amp; miljö &lt;3 &#39;x&#39; &#x41; &quot;q&quot;"},
		{"script escaped", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"mark with attribute escaped", `<mark onclick="x">a</mark>`, `&lt;mark onclick=&#34;x&#34;&gt;a`},
		{"upper case mark escaped", "<MARK>a</MARK>", "&lt;MARK&gt;a&lt;/MARK&gt;"},
		{"img escaped", `<img src=x onerror=alert(1)>`, `&lt;img src=x onerror=alert(1)&gt;`},
		{"bare ampersand", "A & B", "A &amp; B"},
		{"broken reference", "&amp &#; &#x; &1;", "&amp;amp &amp;#; &amp;#x; &amp;1;"},
		{"quotes", `"a" 'b'`, "&#34;a&#34; &#39;b&#39;"},
		{"stray close dropped", "a</mark>b", "ab"},
		{"open mark closed", "<mark>a", "<mark>a</mark>"},
		{"nested marks balanced", "<mark><mark>a</mark>", "<mark><mark>a</mark></mark>"},
		{"mark split tag", "<mar<mark>k>", "&lt;mar<mark>k&gt;</mark>"},
		{"comment escaped", "<!-- x -->", "&lt;!-- x --&gt;"},
		{"nul replaced", "a\x00b", "a\uFFFDb"},
		{"invalid utf8 replaced", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SanitizeSnippet(tt.in); got != tt.want {
				t.Errorf("SanitizeSnippet(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSnippetHTMLType(t *testing.T) {
	if got := string(SnippetHTML("<b>x</b>")); got != "&lt;b&gt;x&lt;/b&gt;" {
		t.Errorf("SnippetHTML = %q", got)
	}
}

// checkOnlyMarks parses out as an HTML fragment and fails unless every
// element is a mark with no attributes and the marks are balanced.
func checkOnlyMarks(t *testing.T, in, out string) {
	t.Helper()
	z := xhtml.NewTokenizer(strings.NewReader(out))
	depth := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			if depth != 0 {
				t.Fatalf("SanitizeSnippet(%q) = %q leaves %d marks open", in, out, depth)
			}
			return
		case xhtml.TextToken:
		case xhtml.StartTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "mark" || hasAttr {
				t.Fatalf("SanitizeSnippet(%q) = %q has element %s (attributes %v)", in, out, name, hasAttr)
			}
			depth++
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			if string(name) != "mark" {
				t.Fatalf("SanitizeSnippet(%q) = %q has end tag %s", in, out, name)
			}
			depth--
			if depth < 0 {
				t.Fatalf("SanitizeSnippet(%q) = %q closes a mark it did not open", in, out)
			}
		default:
			t.Fatalf("SanitizeSnippet(%q) = %q has a %v token", in, out, tt)
		}
	}
}

func FuzzSanitizeSnippet(f *testing.F) {
	for _, s := range []string{
		"", "plain text", "<mark>biogas</mark> och <mark>vall</mark>", "Mat &amp; miljö",
		"<script>alert(1)</script>", `<mark class="x">`, "</mark><mark>", "<<mark>>",
		"&#x1F600; &#128512; &nbsp;", "<!--", "<![CDATA[x]]>", "<svg/onload=alert(1)>",
		"\x00\xff", "&", "<", "<mark", "</mar", "'\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SanitizeSnippet(in)
		checkOnlyMarks(t, in, out)
		if again := SanitizeSnippet(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, again)
		}
		// Text escaped the way the index escapes it comes through unchanged.
		esc := html.EscapeString(strings.ToValidUTF8(strings.ReplaceAll(in, "\x00", ""), ""))
		if got := SanitizeSnippet(esc); got != esc {
			t.Fatalf("SanitizeSnippet(%q) = %q, want it unchanged", esc, got)
		}
		marked := "<mark>" + esc + "</mark>"
		if got := SanitizeSnippet(marked); got != marked {
			t.Fatalf("SanitizeSnippet(%q) = %q, want it unchanged", marked, got)
		}
	})
}
