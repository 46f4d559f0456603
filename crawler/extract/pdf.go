package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// maxPDFPages is how many pages of a PDF are read.
const maxPDFPages = 300

// parsePDF reads the text and title of a PDF. A malformed or encrypted PDF
// is an error, never a panic.
func parsePDF(ctx context.Context, body []byte) (p parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = parsed{}, fmt.Errorf("malformed PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) {
			return parsed{}, errors.New("PDF is encrypted")
		}
		return parsed{}, fmt.Errorf("reading PDF: %w", err)
	}
	p.kind = kg.KindReport
	info := r.Trailer().Key("Info")
	p.title = collapse(pdfString(info.Key("Title")))
	if d, ok := parsePDFDate(info.Key("CreationDate").RawString()); ok {
		p.published = d
	}
	var b strings.Builder
	n := min(r.NumPage(), maxPDFPages)
	for i := 1; i <= n; i++ {
		if err := ctx.Err(); err != nil {
			return parsed{}, err
		}
		page := r.Page(i)
		if page.V.IsNull() {
			continue
		}
		text, err := page.GetPlainText(nil)
		if err != nil {
			return parsed{}, fmt.Errorf("reading PDF page %d: %w", i, err)
		}
		b.WriteString(text)
		b.WriteString("\n")
		if b.Len() > 4*maxTextRunes {
			break
		}
	}
	p.text = normalizeLines(clean(b.String()))
	if p.title == "" || isFileName(p.title) {
		p.title = firstLine(p.text, maxTitleRunes)
	}
	return p, nil
}

// pdfString decodes a PDF text string: UTF-16 or UTF-8 with a byte-order
// mark, or PDFDocEncoding.
func pdfString(v pdf.Value) string {
	raw := v.RawString()
	switch {
	case strings.HasPrefix(raw, "\xfe\xff"):
		return clean(strings.TrimPrefix(v.TextFromUTF16(), "\ufeff"))
	case strings.HasPrefix(raw, "\xef\xbb\xbf"):
		return clean(raw[3:])
	}
	return clean(v.Text())
}

// isFileName reports whether a PDF title is a file name or a placeholder
// that authoring tools leave, rather than a title.
func isFileName(s string) bool {
	l := strings.ToLower(s)
	for _, ext := range []string{".doc", ".docx", ".pdf", ".ppt", ".pptx", ".indd", ".odt"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return l == "untitled" || l == "namnlös" || strings.HasPrefix(l, "microsoft word")
}

// parsePDFDate reads a PDF date string such as "D:20240315120000+01'00'";
// only the date is kept.
func parsePDFDate(s string) (time.Time, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 8 {
		return time.Time{}, false
	}
	return parseMachineDate(s[0:4] + "-" + s[4:6] + "-" + s[6:8])
}
