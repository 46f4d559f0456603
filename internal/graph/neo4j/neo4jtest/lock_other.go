//go:build !unix

package neo4jtest

// lock does nothing where file locks are not available: run the packages
// that use the engine one at a time (go test -p 1).
func lock(string) error { return nil }
