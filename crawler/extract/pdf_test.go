package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/pdfwrite"
)

// buildPDF returns a one-page PDF with the given lines of text and, unless
// empty, a Title in its document information.
func buildPDF(tb testing.TB, title string, lines []string) []byte {
	tb.Helper()
	return pdfwrite.Doc{Title: title, Producer: "Klusterkarta test",
		Date: time.Date(2024, 3, 15, 11, 0, 0, 0, time.UTC), Lines: lines}.Bytes()
}

// encryptedPDF returns a PDF whose standard security handler refuses the
// empty password.
func encryptedPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	xref := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	fmt.Fprintf(&b, "trailer\n<< /Size 1 /ID [(%s)] /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /O (%s) /U (%s) /P 0 >> >>\n",
		strings.Repeat("I", 16), strings.Repeat("O", 32), strings.Repeat("U", 32))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func mustParseURL(tb testing.TB, s string) *url.URL {
	tb.Helper()
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestBuildPDFReadsBack(t *testing.T) {
	p, err := parsePDF(t.Context(), buildPDF(t, "Åkerbönor (del 2)", []string{"Första raden", "Andra raden"}))
	if err != nil {
		t.Fatal(err)
	}
	if p.title != "Åkerbönor (del 2)" {
		t.Errorf("title %q", p.title)
	}
	if p.text != "Första raden\nAndra raden" {
		t.Errorf("text %q", p.text)
	}
	if p.published.Format("2006-01-02") != "2024-03-15" {
		t.Errorf("creation date %v", p.published)
	}
}
