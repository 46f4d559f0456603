#!/usr/bin/env bash
# Crawl pipeline benchmark: Klusterkarta against wget --mirror on one
# generated local web.
#
#   bench/crawl/run.sh [RUNS]      (default 3)
#
# Serves the generated web of bench/crawlweb (10,000 resources over 20
# hosts, host N on 127.0.0.N), then for each run crawls all of it three
# ways, each with no politeness delay and from a fresh directory:
#
#   fetch-only  klusterkarta crawl --fetch-only: the crawler alone (robots.txt,
#               sitemaps, link following, one request at a time per host,
#               20 hosts at once); pages are discarded
#   full        klusterkarta crawl: fetch, extract, embedded graph and Bleve
#               index, in a fresh data directory
#   wget        wget --mirror -e robots=on, one process per host, the 20
#               processes at once (wget crawls one host per process; this
#               gives it the same one-connection-per-host, 20-hosts-at-once
#               shape as Klusterkarta's crawl)
#
# Every process runs under /usr/bin/time -v. The script prints, and leaves
# in $WORK/table.md, a Markdown table of medians over the runs: pages the
# web served (counted by the server, the same for every tool), pages/s,
# peak RSS (for wget the sum over its 20 processes), CPU time, and the
# ratios of pages/s to wget's.
#
# Environment: WORK (directory for binaries, logs and results; default a
# new one under /tmp), PORT (default 18480), CONTROL (crawlweb control
# address, default 127.0.0.1:18479), HOSTS (default 20), PAGES (default
# 10000), KEEP=1 keeps data directories and mirrors.
set -euo pipefail

RUNS=${1:-3}
HOSTS=${HOSTS:-20}
PAGES=${PAGES:-10000}
PORT=${PORT:-18480}
CONTROL=${CONTROL:-127.0.0.1:18479}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/crawlbench.XXXXXX)}
mkdir -p "$WORK/bin"

for tool in wget curl /usr/bin/time go awk; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed (wget and time are Debian packages)" >&2; exit 1; }
done

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

echo "Building into $WORK/bin" >&2
(cd "$ROOT" && go build -o "$WORK/bin/klusterkarta" ./cmd/klusterkarta &&
	go build -o "$WORK/bin/crawlweb" ./bench/crawlweb &&
	go build -o "$WORK/bin/crawlreport" ./bench/crawl)
KK=$WORK/bin/klusterkarta
REPORT=$WORK/bin/crawlreport

"$WORK/bin/crawlweb" -hosts "$HOSTS" -pages "$PAGES" -port "$PORT" -control "$CONTROL" \
	-registry "$WORK/web.yaml" >"$WORK/seeds.txt" 2>"$WORK/crawlweb.log" &
WEB_PID=$!
trap 'kill "$WEB_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
	curl -fsS "http://$CONTROL/web" >"$WORK/web.json" 2>/dev/null && break
	kill -0 "$WEB_PID" 2>/dev/null || { cat "$WORK/crawlweb.log" >&2; exit 1; }
	sleep 0.5
done
[ -s "$WORK/web.json" ] || { echo "run.sh: crawlweb did not start" >&2; exit 1; }
mapfile -t SEEDS <"$WORK/seeds.txt"
echo "Web: $(cat "$WORK/web.json")" >&2

# Limits high enough that nothing of the web is cut: pages and depth per
# site, the time per site and per request.
KK_FLAGS=(--seeds "$WORK/web.yaml" --allow-private --delay 0 --parallel "$HOSTS"
	--max-pages 1000000 --max-depth 50 --site-timeout 24h --timeout 60s
	--log-level warn --json)

reset() { curl -fsS -X POST "http://$CONTROL/reset"; }
stats() { curl -fsS "http://$CONTROL/stats" >"$1"; }

{
	echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(go version | cut -d' ' -f3), $(wget --version | head -1)"
	echo "started: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$WORK/machine.txt" >&2

RESULTS=$WORK/results.jsonl
: >"$RESULTS"
for run in $(seq 1 "$RUNS"); do
	R=$WORK/run$run
	mkdir -p "$R"
	echo "run $run of $RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2

	for mode in fetch-only full; do
		extra=()
		[ "$mode" = fetch-only ] && extra=(--fetch-only)
		reset
		t0=$(now)
		/usr/bin/time -v -o "$R/time.$mode" "$KK" crawl "${extra[@]}" "${KK_FLAGS[@]}" --data "$R/data-$mode" \
			>"$R/summary.$mode.json" 2>"$R/log.$mode" || echo "run.sh: klusterkarta $mode exited with an error; see $R/log.$mode" >&2
		t1=$(now)
		stats "$R/stats.$mode.json"
		"$REPORT" record -out "$RESULTS" -mode "$mode" -run "$run" -wall "$(elapsed "$t0" "$t1")" \
			-stats "$R/stats.$mode.json" -summary "$R/summary.$mode.json" "$R/time.$mode"
		echo "  $mode: $(elapsed "$t0" "$t1") s, served $(cat "$R/stats.$mode.json")" >&2
		[ "${KEEP:-}" = 1 ] || rm -rf "$R/data-$mode"
	done

	reset
	pids=()
	t0=$(now)
	for i in "${!SEEDS[@]}"; do
		/usr/bin/time -v -o "$R/time.wget.$i" wget --mirror -e robots=on --no-verbose -P "$R/wget" "${SEEDS[$i]}" \
			>"$R/log.wget.$i" 2>&1 &
		pids+=($!)
	done
	# wget exits with 8 when a server answered with an error: the web has
	# one broken link per host, on purpose.
	for p in "${pids[@]}"; do wait "$p" || true; done
	t1=$(now)
	stats "$R/stats.wget.json"
	files=$(find "$R/wget" -type f ! -name robots.txt | wc -l)
	"$REPORT" record -out "$RESULTS" -mode wget -run "$run" -wall "$(elapsed "$t0" "$t1")" \
		-stats "$R/stats.wget.json" -files "$files" "$R"/time.wget.*
	echo "  wget: $(elapsed "$t0" "$t1") s, served $(cat "$R/stats.wget.json")" >&2
	[ "${KEEP:-}" = 1 ] || rm -rf "$R/wget"
done
echo "finished: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine.txt" >&2

"$REPORT" table "$RESULTS" | tee "$WORK/table.md"
echo >&2
echo "Results in $WORK (results.jsonl, table.md, machine.txt, run*/)" >&2
