#!/usr/bin/env bash
# run.sh: the graph benchmark of BENCHMARKS.md. Both graph stores load the
# same generated graph (internal/graph/graphtest/large.go: 17 clusters,
# 20 topics, 10,000 organisations, 40,000 people, 22,000 documents and
# 1,000,000+ relationships) through kg.GraphStore.ReplaceFacts, one fact
# set per document as ingest writes them, and then answer topic → clusters,
# cluster detail, partners and the network map on it. The embedded store
# runs in a temporary directory; Neo4j is the test engine of
# deploy/neo4j-test, started here and stopped at the end.
#
#   bench/graph/run.sh                 # full graph, one load per store
#   RUNS=3 bench/graph/run.sh          # three loads per store; medians
#   SCALE=0.1 bench/graph/run.sh       # a tenth of the graph, for a try
#   bench/graph/run.sh table DIR       # only the table of earlier output in DIR
#
# Each run is one go test process per store: it loads the graph once and
# then runs every query for BENCHTIME. The Markdown table at the end gives,
# for every figure, the median over the runs (and the runs' values when
# there are several).
#
# Environment:
#   RUNS        processes per store (loads); default 1
#   SCALE       fraction of the graph, in (0, 1]; default 1
#   WRITERS     concurrent writers of the load; default 4
#   BENCHTIME   go test -benchtime of each query; default 5s
#   STORES      stores to run; default "embedded neo4j"
#   OUT         directory for the raw go test output; default a new one
#               under ${TMPDIR:-/tmp}
#   NEO4J_TEST_DIR, NEO4J_TEST_JAVA_OPTS, NEO4J_TEST_PAGECACHE_MB: passed
#               to deploy/neo4j-test/neo4j-test.sh; this script defaults
#               them to its own state directory, a 2 GiB heap and a
#               2 GiB page cache, which the full graph needs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

runs=${RUNS:-1}
benchtime=${BENCHTIME:-5s}
stores=${STORES:-embedded neo4j}
export KLUSTERKARTA_GRAPH_BENCH_SCALE=${SCALE:-1}
export KLUSTERKARTA_GRAPH_BENCH_WRITERS=${WRITERS:-4}
export NEO4J_TEST_DIR=${NEO4J_TEST_DIR:-${TMPDIR:-/tmp}/klusterkarta-graph-bench-neo4j}
export NEO4J_TEST_JAVA_OPTS=${NEO4J_TEST_JAVA_OPTS:--Xms2g -Xmx2g}
export NEO4J_TEST_PAGECACHE_MB=${NEO4J_TEST_PAGECACHE_MB:-2048}

say() { echo "graph-bench: $*" >&2; }

# The table: for every store, benchmark and unit, the median of the values
# the runs reported.
table() {
	local dir=$1 stores=$2 store f
	for store in $stores; do
		for f in "$dir/$store"-*.txt; do
			[[ -f $f ]] || continue
			awk -v store="$store" '/^BenchmarkLarge\// {
				name = $1; sub(/^BenchmarkLarge\//, "", name); sub(/-[0-9]+$/, "", name)
				for (i = 3; i < NF; i += 2) print store, name, $(i + 1), $i
			}' "$f"
		done
	done | awk -v stores="$stores" '
function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++) {
		t = v[i] + 0
		for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]
		v[j + 1] = t
	}
	if (n % 2) return v[(n + 1) / 2]
	return (v[n / 2] + v[n / 2 + 1]) / 2
}
function fmt(x) {
	if (x >= 100 || x == int(x)) return sprintf("%.0f", x)
	if (x >= 10) return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}
# cell returns the median of store/name/unit, with the runs in brackets
# when there are several.
function cell(store, name, unit,    k, n, v) {
	k = store SUBSEP name SUBSEP unit
	if (!(k in vals)) return "—"
	n = split(vals[k], v, " ")
	if (n == 1) return fmt(v[1])
	return fmt(median(vals[k])) " (" n " runs)"
}
function ms(store, name) {
	if (!((store SUBSEP name SUBSEP "p50-ms") in vals)) return "—"
	return "p50 " cell(store, name, "p50-ms") " ms, p99 " cell(store, name, "p99-ms") " ms"
}
{ k = $1 SUBSEP $2 SUBSEP $3; vals[k] = (k in vals) ? vals[k] " " $4 : $4 }
END {
	n = split(stores, s, " ")
	head = "| |"; rule = "|---|"
	for (i = 1; i <= n; i++) { head = head " " (s[i] == "neo4j" ? "Neo4j" : s[i]) " |"; rule = rule "---|" }
	print head; print rule
	row = "| graph |"
	for (i = 1; i <= n; i++) row = row " " cell(s[i], "Load", "rels") " relationships, " cell(s[i], "Load", "rows") " rows |"
	print row
	row = "| initial load |"
	for (i = 1; i <= n; i++) row = row " " cell(s[i], "Load", "rows/s") " rows/s, " cell(s[i], "Load", "s") " s, " cell(s[i], "Load", "writers") " writers |"
	print row
	row = "| replace a changed document |"
	for (i = 1; i <= n; i++) row = row " " cell(s[i], "ReplaceFacts", "rows/s") " rows/s; " ms(s[i], "ReplaceFacts") " |"
	print row
	split("TopicClusters Cluster Partners Network", q, " ")
	split("topic → clusters|cluster detail|partners (query.Partners)|network (query.Network)", label, "|")
	for (j = 1; j <= 4; j++) {
		row = "| " label[j] " |"
		for (i = 1; i <= n; i++) row = row " " ms(s[i], q[j]) ", " cell(s[i], q[j], "ops") " ops |"
		print row
	}
}'
}

if [[ ${1:-} == table ]]; then
	table "${2:?usage: run.sh table DIR}" "$stores"
	exit 0
fi

out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/klusterkarta-graph-bench-XXXXXX")}
mkdir -p "$out"
neo4j=deploy/neo4j-test/neo4j-test.sh
started=false
stop_engine() {
	if $started; then
		"$neo4j" stop || true
		started=false
	fi
}
trap stop_engine EXIT

say "scale $KLUSTERKARTA_GRAPH_BENCH_SCALE, $KLUSTERKARTA_GRAPH_BENCH_WRITERS writers, $runs run(s), benchtime $benchtime, output in $out"
say "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

for store in $stores; do
	case $store in
	embedded) pkg=./internal/graph/embedded/ ;;
	neo4j)
		pkg=./internal/graph/neo4j/
		if ! "$neo4j" status >/dev/null 2>&1; then
			started=true
		fi
		engine_env=$("$neo4j" start)
		eval "$engine_env"
		;;
	*)
		say "unknown store $store (want embedded or neo4j)"
		exit 2
		;;
	esac
	for run in $(seq "$runs"); do
		say "$store, run $run of $runs"
		go test -run '^$' -bench '^BenchmarkLarge$' -benchtime "$benchtime" -timeout 4h "$pkg" | tee "$out/$store-$run.txt"
	done
	if [[ $store == neo4j ]]; then
		stop_engine
	fi
done

say "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

table "$out" "$stores"
