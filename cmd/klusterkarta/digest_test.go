package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseSince(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7d", 7 * 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"0d", 0, false},
		{"-3h", 0, false},
		{"week", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSince(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSince(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestDigestAndExport(t *testing.T) {
	_, seeds := MustStartDemoWeb(t)
	dir := t.TempDir()
	MustCrawl(t, seeds, dir)
	run := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := RunEnv(context.Background(), append(args, "--data", dir), &stdout, &stderr, Env{}); code != 0 {
			t.Fatalf("%v exited %d: %s", args, code, stderr.String())
		}
		return stdout.String()
	}
	// The demo web's pages are dated up to some years back and ahead.
	text := run("digest", "--since", "5000d", "--topic", "bioenergy")
	if !strings.Contains(text, "Bioenergi\n---------") || strings.Contains(text, "Självförsörjning\n") {
		t.Errorf("digest on bioenergy:\n%s", text)
	}
	html := run("digest", "--since", "5000d", "--format", "html", "--lang", "en")
	if !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, "<h1>New at the green clusters</h1>") {
		t.Errorf("html digest:\n%.500s", html)
	}
	graphml := run("export", "--format", "graphml")
	var g struct {
		Nodes []struct{} `xml:"graph>node"`
	}
	if err := xml.Unmarshal([]byte(graphml), &g); err != nil || len(g.Nodes) < 4 {
		t.Errorf("export graphml: %d nodes, %v", len(g.Nodes), err)
	}
	out := filepath.Join(t.TempDir(), "csv")
	run("export", "--format", "csv", "--out", out)
	for _, f := range []string{"nodes.csv", "edges.csv"} {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || bytes.Count(b, []byte("\n")) < 5 {
			t.Errorf("%s: %d bytes, %v", f, len(b), err)
		}
	}
	var stderr bytes.Buffer
	if code := RunEnv(context.Background(), []string{"export", "--data", t.TempDir()}, &bytes.Buffer{}, &stderr, Env{}); code != 1 {
		t.Errorf("export of an empty directory exited %d: %s", code, stderr.String())
	}
}
