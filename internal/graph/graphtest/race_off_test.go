//go:build !race

package graphtest

// raceEnabled tells the tests that the race detector runs, which makes
// generating the full large graph take minutes.
const raceEnabled = false
