package pdfwrite

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestBytesCrossReferencePointsAtObjects(t *testing.T) {
	var lines []string
	for i := range LinesPerPage + 5 {
		lines = append(lines, fmt.Sprintf("Rad %d om självförsörjning (och \\ beredskap)", i))
	}
	pdf := Doc{Title: "Lägesbild", Author: "Ängsmarken", Date: time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC), Lines: lines}.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("not framed as a PDF")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	entries := strings.Split(string(pdf[xref:]), "\n")[3:]
	objects := 0
	for _, e := range entries {
		if !strings.HasSuffix(e, " n ") {
			break
		}
		objects++
		off, _ := strconv.Atoi(e[:10])
		if want := fmt.Sprintf("%d 0 obj\n", objects); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", objects, pdf[off:off+12])
		}
	}
	if objects != 4+2*2 {
		t.Errorf("%d objects, want catalog, pages, font, info and two pages with their streams", objects)
	}
}

func TestInfoLeavesOutEmptyFields(t *testing.T) {
	info := Doc{Lines: []string{"x"}}.info()
	if strings.Contains(info, "/Title") || strings.Contains(info, "/Author") || strings.Contains(info, "/CreationDate") {
		t.Errorf("empty fields written: %s", info)
	}
	if info := (Doc{Title: "Å"}).info(); !strings.Contains(info, "/Title <FEFF00C5>") {
		t.Errorf("title not a UTF-16 text string: %s", info)
	}
}
