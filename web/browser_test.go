package web_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBrowserEndToEnd runs the web UI tests in web/e2e: they start
// `klusterkarta demo`, drive Debian's Chromium through playwright-core and
// click through search, cluster, partners and network pages. They need
// Node.js, Chromium and `npm ci` in web/e2e; without them the test skips,
// except under CI=true, where a skip would hide a missing install step.
func TestBrowserEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are slow; run without -short")
	}
	const howTo = "install Chromium (apt-get install chromium) and run `npm ci` in web/e2e"
	node, err := exec.LookPath("node")
	if err != nil {
		mustHave(t, "node is not installed: "+howTo)
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium, _ = exec.LookPath("chromium")
	}
	if chromium == "" {
		mustHave(t, "chromium is not installed: "+howTo)
	}
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", "playwright-core")); err != nil {
		mustHave(t, "playwright-core is not installed: "+howTo)
	}
	cmd := exec.Command(node, "--test", "--test-concurrency=1", "ui.test.mjs")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("browser tests failed: %v", err)
	}
}

// mustHave skips the test, or fails it under CI.
func mustHave(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}
