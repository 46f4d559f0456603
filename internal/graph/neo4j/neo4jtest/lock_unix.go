//go:build unix

package neo4jtest

import (
	"fmt"
	"os"
	"syscall"
)

// lock waits for an exclusive lock on the file path and keeps it until
// the process exits, which releases it.
func lock(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return fmt.Errorf("locking %s: %w", path, err)
	}
	held = f
	return nil
}

// held keeps the locked file reachable, so that no finalizer closes it:
// it stays open, and locked, for the life of the process.
var held *os.File
