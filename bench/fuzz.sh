#!/usr/bin/env bash
# Runs every fuzz target of the module for a fixed time and prints how many
# inputs each one executed and whether it found a failure.
#
#   bench/fuzz.sh [seconds-per-target]   (default 10)
set -uo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
printf '%-60s %12s  %s\n' "target" "executions" "result"
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
	pkg="./$(dirname "${file#./}")"
	for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
		out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "${secs}s" "$pkg" 2>&1)
		execs=$(printf '%s\n' "$out" | grep -o 'execs: [0-9]*' | tail -n 1 | cut -d' ' -f2)
		if printf '%s\n' "$out" | grep -q '^ok'; then result=pass; else result=FAIL; fi
		printf '%-60s %12s  %s\n' "$pkg $target" "${execs:-?}" "$result"
		[ "$result" = pass ] || printf '%s\n' "$out" | tail -n 20
	done
done
