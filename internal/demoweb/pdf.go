package demoweb

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// pdfDoc is a plain-text document rendered as a minimal PDF: one or more A4
// pages of Helvetica text, with a document information dictionary.
type pdfDoc struct {
	title      string
	author     string
	date       time.Time
	paragraphs []string
}

// PDF layout: A4 in points, a 56 pt margin, 11 pt text on 14 pt lines.
const (
	pdfPageWidth    = 595
	pdfPageHeight   = 842
	pdfMargin       = 56
	pdfLineHeight   = 14
	pdfLineChars    = 90
	pdfLinesPerPage = (pdfPageHeight - 2*pdfMargin) / pdfLineHeight
)

// lines wraps the title and paragraphs into lines, a blank line between
// paragraphs.
func (d pdfDoc) lines() []string {
	out := []string{d.title, ""}
	for i, p := range d.paragraphs {
		if i > 0 {
			out = append(out, "")
		}
		var line string
		for _, word := range strings.Fields(p) {
			switch {
			case line == "":
				line = word
			case len([]rune(line))+1+len([]rune(word)) > pdfLineChars:
				out = append(out, line)
				line = word
			default:
				line += " " + word
			}
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// bytes renders the document. Object offsets in the cross-reference table
// are byte offsets of each "N 0 obj" line, as the format requires.
func (d pdfDoc) bytes() []byte {
	lines := d.lines()
	var pages [][]string
	for len(lines) > pdfLinesPerPage {
		pages = append(pages, lines[:pdfLinesPerPage])
		lines = lines[pdfLinesPerPage:]
	}
	pages = append(pages, lines)

	// Objects: 1 catalog, 2 page tree, 3 font, 4 info, then a page and its
	// content stream for every page.
	var objects []string
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 5+2*i)
	}
	objects = append(objects,
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Title %s /Author %s /Producer (Klusterkarta demoweb) /CreationDate (D:%s) >>",
			pdfTextString(d.title), pdfTextString(d.author), d.date.UTC().Format("20060102150405Z")),
	)
	for i, pl := range pages {
		var content bytes.Buffer
		fmt.Fprintf(&content, "BT\n/F1 11 Tf\n%d TL\n%d %d Td\n", pdfLineHeight, pdfMargin, pdfPageHeight-pdfMargin)
		for j, l := range pl {
			if j > 0 {
				content.WriteString("T*\n")
			}
			fmt.Fprintf(&content, "%s Tj\n", pdfLiteral(l))
		}
		content.WriteString("ET")
		objects = append(objects,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>",
				pdfPageWidth, pdfPageHeight, 6+2*i),
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

// pdfLiteral encodes s as a PDF literal string in WinAnsiEncoding, the
// encoding of the page font. Characters it lacks become '?'; bytes outside
// printable ASCII and the delimiters are written as octal escapes.
func pdfLiteral(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	enc := charmap.Windows1252
	for _, r := range s {
		c, ok := enc.EncodeRune(r)
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

// pdfTextString encodes s as a PDF text string: UTF-16BE with a byte order
// mark, written in hexadecimal.
func pdfTextString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// reportPDF is Ängsmarken's report on self-sufficiency in the county.
var reportPDF = pdfDoc{
	title:  "Självförsörjning i Östergötland 2025 – en lägesbild",
	author: "Ängsmarkens Gröna Kluster",
	date:   day("2025-11-03"),
	paragraphs: []string{
		"Rapport från Ängsmarkens Gröna Kluster, Lövåsa, november 2025. Författare: Malin Ekedahl och Johan Strandvik.",
		"Sammanfattning. Självförsörjningsgraden för livsmedel i Östergötland är högre än i landet som helhet, " +
			"men länet är fortfarande beroende av insatsvaror utifrån: drivmedel, handelsgödsel, fodertillskott och reservdelar. " +
			"Vår kartläggning av 62 gårdar och 14 livsmedelsföretag visar att spannmål, matpotatis och griskött räcker till " +
			"länets behov med god marginal, medan grönsaker, frukt och baljväxter till största delen kommer från andra håll.",
		"Krisberedskap på gårdsnivå. Endast var femte gård i undersökningen har en skriftlig plan för hur driften ska " +
			"fortsätta vid ett längre elavbrott. Få har ett beredskapslager av diesel och foder som räcker mer än två veckor. " +
			"Vi föreslår att försörjningsberedskap blir en del av den ordinarie rådgivningen till lantbrukare.",
		"Livsmedelsstrategin. Den regionala livsmedelsstrategin för Östergötland pekar ut ökad inhemsk produktion som ett mål. " +
			"För att nå dit behövs fler förädlingsled i länet, bättre lönsamhet i primärproduktionen och offentliga kök " +
			"som efterfrågar östgötska råvaror.",
		"Rekommendationer. 1. Inför en årlig beredskapsövning för lantbruket i varje kommun. 2. Kartlägg lagringskapaciteten " +
			"för spannmål och foder. 3. Öka odlingen av åkerböna och ärt till livsmedel. 4. Följ upp självförsörjningsgraden vart tredje år.",
		"Kontakt: Malin Ekedahl, verksamhetsledare, malin.ekedahl@angsmarken.example",
	},
}
