// Package pdfwrite renders plain lines of text as a small, valid PDF: A4
// pages of Helvetica text with a document information dictionary. The demo
// web serves its reports with it, and extraction tests build their PDFs
// with it.
package pdfwrite

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// Page layout: A4 in points, a 56 pt margin, 11 pt text on 14 pt lines.
const (
	pageWidth  = 595
	pageHeight = 842
	margin     = 56
	lineHeight = 14
	// LinesPerPage is how many lines of text fit on one page.
	LinesPerPage = (pageHeight - 2*margin) / lineHeight
)

// Doc is a document to render. Empty Title and Author and a zero Date are
// left out of the document information.
type Doc struct {
	Title    string
	Author   string
	Producer string
	Date     time.Time
	Lines    []string // one line of text each, in page order
}

// Bytes renders the document. Object offsets in the cross-reference table
// are the byte offsets of each "N 0 obj" line, as the format requires.
func (d Doc) Bytes() []byte {
	lines := d.Lines
	var pages [][]string
	for len(lines) > LinesPerPage {
		pages = append(pages, lines[:LinesPerPage])
		lines = lines[LinesPerPage:]
	}
	pages = append(pages, lines)

	// Objects: 1 catalog, 2 page tree, 3 font, 4 info, then a page and its
	// content stream for every page.
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 5+2*i)
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		d.info(),
	}
	for i, pl := range pages {
		var content bytes.Buffer
		fmt.Fprintf(&content, "BT\n/F1 11 Tf\n%d TL\n%d %d Td\n", lineHeight, margin, pageHeight-margin)
		for j, l := range pl {
			if j > 0 {
				content.WriteString("T*\n")
			}
			fmt.Fprintf(&content, "%s Tj\n", literal(l))
		}
		content.WriteString("ET")
		objects = append(objects,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>",
				pageWidth, pageHeight, 6+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		)
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
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// info is the document information dictionary.
func (d Doc) info() string {
	var b strings.Builder
	b.WriteString("<<")
	if d.Title != "" {
		b.WriteString(" /Title " + textString(d.Title))
	}
	if d.Author != "" {
		b.WriteString(" /Author " + textString(d.Author))
	}
	if d.Producer != "" {
		b.WriteString(" /Producer " + textString(d.Producer))
	}
	if !d.Date.IsZero() {
		b.WriteString(" /CreationDate (D:" + d.Date.UTC().Format("20060102150405Z") + ")")
	}
	b.WriteString(" >>")
	return b.String()
}

// literal encodes s as a PDF literal string in WinAnsiEncoding, the
// encoding of the page font. Characters it lacks become '?'; bytes outside
// printable ASCII and the delimiters are written as octal escapes.
func literal(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			c = '?'
		}
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// textString encodes s as a PDF text string: UTF-16BE with a byte order
// mark, written in hexadecimal.
func textString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}
