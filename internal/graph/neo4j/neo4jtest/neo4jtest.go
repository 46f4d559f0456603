// Package neo4jtest gives tests the Neo4j test engine that NEO4J_URI,
// NEO4J_USER and NEO4J_PASSWORD (and optionally NEO4J_DATABASE) name, as
// deploy/neo4j-test/neo4j-test.sh starts it.
//
// Neo4j Community has one database, and go test runs the packages of
// ./... in parallel processes, so tests that empty and fill it would
// interfere. Settings therefore takes a lock on a file named after the
// URI, which the test process holds until it exits: the packages that use
// the engine take turns.
package neo4jtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Settings is how to reach the test engine.
type Settings struct {
	URI, User, Password, Database string
}

// Skip is the message of a test skipped for want of an engine.
const Skip = `NEO4J_URI is not set; to run the Neo4j tests: eval "$(deploy/neo4j-test/neo4j-test.sh start)"; go test ./...`

var (
	lockOnce sync.Once
	lockErr  error
)

// Use returns the settings of the test engine, once this process holds
// the engine's lock. Without NEO4J_URI it skips tb, or fails it when the
// environment has CI=true.
func Use(tb testing.TB) Settings {
	tb.Helper()
	s := Settings{
		URI:      os.Getenv("NEO4J_URI"),
		User:     os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
	if s.URI == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("NEO4J_URI is not set; under CI the Neo4j tests must run")
		}
		tb.Skip(Skip)
	}
	lockOnce.Do(func() { lockErr = lock(lockPath(s.URI, s.Database)) })
	if lockErr != nil {
		tb.Fatalf("locking the Neo4j test engine: %v", lockErr)
	}
	return s
}

// lockPath names the lock file of a database.
func lockPath(uri, database string) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, uri+"_"+database)
	return filepath.Join(os.TempDir(), fmt.Sprintf("klusterkarta-neo4j-test-%s.lock", name))
}
