package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// pdfLiteral writes s as a PDF literal string in WinAnsiEncoding (which
// agrees with PDFDocEncoding on the Swedish letters).
func pdfLiteral(tb testing.TB, s string) string {
	tb.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatalf("encoding %q: %v", s, err)
	}
	var out strings.Builder
	out.WriteByte('(')
	for _, c := range b {
		switch {
		case c == '(' || c == ')' || c == '\\':
			out.WriteByte('\\')
			out.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&out, "\\%03o", c)
		default:
			out.WriteByte(c)
		}
	}
	out.WriteByte(')')
	return out.String()
}

// pdfUTF16 writes s as a PDF hex string in UTF-16BE with a byte-order
// mark, as authoring tools write titles.
func pdfUTF16(s string) string {
	var out strings.Builder
	out.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&out, "%04X", u)
	}
	out.WriteString(">")
	return out.String()
}

// buildPDF returns a one-page PDF with the given lines of text and, unless
// empty, a Title in its document information.
func buildPDF(tb testing.TB, title string, lines []string) []byte {
	tb.Helper()
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 14 TL 72 770 Td\n")
	for _, l := range lines {
		content.WriteString(pdfLiteral(tb, l) + " Tj T*\n")
	}
	content.WriteString("ET\n")
	info := "<< /Producer (Klusterkarta test) >>"
	if title != "" {
		info = "<< /Title " + pdfUTF16(title) + " /CreationDate (D:20240315120000+01'00') >>"
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		info,
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
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
