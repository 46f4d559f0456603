package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const timeOutput = `	Command being timed: "wget --mirror -e robots=on http://127.0.0.3:18480/"
	User time (seconds): 0.21
	System time (seconds): 0.05
	Percent of CPU this job got: 7%
	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:03.41
	Average shared text size (kbytes): 0
	Maximum resident set size (kbytes): 5604
	Exit status: 8
	Page size (bytes): 4096
`

func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    TimeReport
		wantErr bool
	}{
		{"wget", timeOutput, TimeReport{User: 0.21, System: 0.05, Wall: 3.41, MaxRSSKB: 5604, ExitStatus: 8}, false},
		{"hours", "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02:03\nMaximum resident set size (kbytes): 10\n", TimeReport{Wall: 3723, MaxRSSKB: 10}, false},
		{"no rss", "User time (seconds): 1.5\n", TimeReport{}, true},
		{"bad rss", "Maximum resident set size (kbytes): lots\n", TimeReport{}, true},
		{"bad clock", "Elapsed (wall clock) time (h:mm:ss or m:ss): soon\nMaximum resident set size (kbytes): 1\n", TimeReport{}, true},
		{"empty", "", TimeReport{}, true},
	} {
		got, err := ParseTime(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err = %v, want error %t", tc.name, err, tc.wantErr)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	f.Add(timeOutput)
	f.Add("Maximum resident set size (kbytes): 1\nElapsed (wall clock) time (h:mm:ss or m:ss): 1:2:3:4\n")
	f.Add("Exit status: -1\nMaximum resident set size (kbytes): 0")
	f.Fuzz(func(t *testing.T, in string) {
		tr, err := ParseTime(in)
		if err != nil {
			return
		}
		if !strings.Contains(in, "Maximum resident set size (kbytes): ") {
			t.Errorf("parsed %q without a resident set size: %+v", in, tr)
		}
		if tr.Wall < 0 {
			t.Errorf("negative wall time %v from %q", tr.Wall, in)
		}
	})
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestRecordAndTable records two runs of two modes through the command
// and checks the table's medians and ratio.
func TestRecordAndTable(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	results := filepath.Join(dir, "results.jsonl")
	timeFile := func(name string, rssKB int, cpu string) string {
		return write(name, "User time (seconds): "+cpu+"\nSystem time (seconds): 0\nMaximum resident set size (kbytes): "+
			itoa(rssKB)+"\nExit status: 0\n")
	}
	stats := write("stats.json", `{"pages":1000,"by_kind":{"html":990,"pdf":10}}`)
	summary := write("summary.json", `{"pages_kept":1000}`)
	runs := []struct {
		mode  string
		wall  string
		times []string
		extra []string
	}{
		{"full", "10", []string{timeFile("f1", 2048, "4")}, []string{"-summary", summary}},
		{"full", "30", []string{timeFile("f2", 4096, "6")}, []string{"-summary", summary}},
		{"wget", "2", []string{timeFile("w1a", 1024, "0.5"), timeFile("w1b", 1024, "0.5")}, []string{"-files", "1000"}},
		{"wget", "2", []string{timeFile("w2a", 1024, "0.5"), timeFile("w2b", 1024, "0.5")}, []string{"-files", "1000"}},
	}
	for i, r := range runs {
		args := append([]string{"record", "-out", results, "-mode", r.mode, "-run", itoa(i + 1), "-wall", r.wall, "-stats", stats}, r.extra...)
		args = append(args, r.times...)
		var stderr bytes.Buffer
		if err := run(args, &bytes.Buffer{}, &stderr); err != nil {
			t.Fatalf("record %v: %v %s", args, err, stderr.String())
		}
	}
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	var first Run
	if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &first); err != nil {
		t.Fatal(err)
	}
	if first.Pages != 1000 || first.ToolPages != 1000 || first.PeakRSSKB != 2048 || first.CPU != 4 || first.Processes != 1 {
		t.Errorf("first run recorded as %+v", first)
	}
	var out bytes.Buffer
	if err := run([]string{"table", results}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	table := out.String()
	for _, want := range []string{
		"| Klusterkarta full pipeline (fetch + extract + graph + index) | 2 | 1000 | 1000 | 20.0 | 67 | 3 | 5.0 | 5.00 |",
		"| wget --mirror, 20 processes (one per host) (RSS and CPU summed over 2 processes) | 2 | 1000 | 1000 | 2.0 | 500 | 2 | 1.0 | 1.00 |",
		"full pages/s ÷ wget pages/s: **0.133**",
		"full pipeline CPU per page ÷ wget CPU per page: 5.0",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Index(table, "full pipeline") > strings.Index(table, "wget --mirror") {
		t.Error("the full pipeline row does not come before wget's")
	}
}

func TestRecordNeedsArguments(t *testing.T) {
	if err := run([]string{"record", "-mode", "full"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("record without -out, -stats and time files succeeded")
	}
	if err := run([]string{"bogus"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("an unknown command succeeded")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
