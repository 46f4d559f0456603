#!/usr/bin/env bash
# Hot-path benchmarks, before and after: builds the benchmark binaries of
# extraction, Swedish analysis and decompounding, topic matching and
# organisation finding at BASE and at the working tree, runs them in turn
# COUNT times (alternating which goes first, so that load from other work
# on the machine falls on both alike), and compares them with benchstat.
#
#   bench/hotpaths/run.sh            # BASE: the commit that added the benchmarks
#   bench/hotpaths/run.sh 995a394    # any other base
#   COUNT=3 BENCHTIME=200ms bench/hotpaths/run.sh   # a short validation run
#
# Environment: COUNT (8), BENCHTIME (1s), OUT (bench/out/hotpaths).
# benchstat: go install golang.org/x/perf/cmd/benchstat@latest
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BASE=${1:-$(git log --diff-filter=A --format=%h -- crawler/extract/bench_test.go | tail -1)}
COUNT=${COUNT:-8}
BENCHTIME=${BENCHTIME:-1s}
OUT=${OUT:-$ROOT/bench/out/hotpaths}
BENCHSTAT=${BENCHSTAT:-$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")}

# package|benchmarks
SUITES=(
	"crawler/extract|Extract$|ParseHTML|ParseDate|ScanDates"
	"index|AnalyzeSwedish|Split$|DecompoundTokens|CompoundFilter"
	"internal/topics|Match"
	"internal/orgs|Find$"
)
# Benchmarks added after BASE that run on BASE's code unchanged.
CARRY=(internal/orgs/find_test.go)

rm -rf "$OUT"
mkdir -p "$OUT/base" "$OUT/bin"
echo "Exporting $BASE" >&2
git archive "$BASE" | tar -x -C "$OUT/base"
for f in "${CARRY[@]}"; do
	[[ -e $OUT/base/$f ]] || cp "$f" "$OUT/base/$f"
done
# The generated general word list is not in the repository: both sides
# use the working tree's, so that both decompound alike.
if [[ -e index/dict/general.txt ]]; then
	cp index/dict/general.txt "$OUT/base/index/dict/general.txt"
else
	echo "note: index/dict/general.txt is missing; decompounding uses the domain words only (see README)" >&2
fi

for suite in "${SUITES[@]}"; do
	pkg=${suite%%|*}
	name=${pkg//\//_}
	echo "Building $pkg" >&2
	(cd "$OUT/base" && go test -c -o "$OUT/bin/base.$name.test" "./$pkg")
	go test -c -o "$OUT/bin/head.$name.test" "./$pkg"
done

run() { # side tree pkg regexp
	local side=$1 tree=$2 pkg=$3 re=$4
	(cd "$tree/$pkg" && "$OUT/bin/$side.${pkg//\//_}.test" -test.run '^$' -test.bench "$re" \
		-test.benchmem -test.benchtime "$BENCHTIME" -test.count 1) >>"$OUT/$side.txt"
}

for i in $(seq 1 "$COUNT"); do
	echo "round $i/$COUNT" >&2
	for suite in "${SUITES[@]}"; do
		pkg=${suite%%|*}
		re=${suite#*|}
		if ((i % 2)); then
			run base "$OUT/base" "$pkg" "$re"
			run head "$ROOT" "$pkg" "$re"
		else
			run head "$ROOT" "$pkg" "$re"
			run base "$OUT/base" "$pkg" "$re"
		fi
	done
done

echo "base: $BASE; head: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted changes'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BENCHSTAT" base="$OUT/base.txt" head="$OUT/head.txt"
