package demoweb

import (
	"strings"
	"time"

	"github.com/klusterkarta/klusterkarta/internal/pdfwrite"
)

// pdfDoc is a plain-text document rendered as a minimal PDF: one or more A4
// pages of Helvetica text, with a document information dictionary.
type pdfDoc struct {
	title      string
	author     string
	date       time.Time
	paragraphs []string
}

// Text layout: lines wrap at 90 characters; pages hold
// pdfwrite.LinesPerPage lines.
const (
	pdfLineChars    = 90
	pdfLinesPerPage = pdfwrite.LinesPerPage
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

// bytes renders the document as a PDF.
func (d pdfDoc) bytes() []byte {
	return pdfwrite.Doc{Title: d.title, Author: d.author, Producer: "Klusterkarta demoweb", Date: d.date, Lines: d.lines()}.Bytes()
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
