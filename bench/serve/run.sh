#!/usr/bin/env bash
# Serving under load: builds klusterkarta, starts `klusterkarta demo` on
# loopback with rate limiting off, and runs wrk at 50 connections against
# the search, topic and partner endpoints of the JSON API. Records the
# server's resident memory (VmRSS) before the load and after each wrk run,
# repeats everything RUNS times and prints a Markdown table of medians.
#
#   bench/serve/run.sh                     # 3 runs of 30 s per endpoint
#   RUNS=1 DURATION=5s bench/serve/run.sh  # a short validation run
#
# Environment: RUNS (3), DURATION (30s), CONNECTIONS (50), THREADS (2),
# TIMEOUT (10s: wrk's own 2s would leave the slowest requests out of the
# percentiles and count them as socket errors), PORT (18392), OUT
# (bench/out/serve). Needs wrk (apt-get install wrk)
# and curl. Only loopback is used.
set -euo pipefail

RUNS=${RUNS:-3}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10s}
PORT=${PORT:-18392}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/bench/out/serve}
BASE="http://127.0.0.1:$PORT"

# name|path of each endpoint under load.
ENDPOINTS=(
	"search|/api/v1/search?q=biogas"
	"topic|/api/v1/topics/self-sufficiency/clusters"
	"partners|/api/v1/partners?topic=self-sufficiency&cluster=angsmarkens-grona-kluster"
)

for tool in wrk curl go; do
	command -v "$tool" >/dev/null || { echo "serve bench: $tool is missing (apt-get install -y wrk curl)" >&2; exit 1; }
done
mkdir -p "$OUT"
rm -f "$OUT"/*.wrk "$OUT"/rss.tsv

echo "Building klusterkarta" >&2
(cd "$ROOT" && go build -o "$OUT/klusterkarta" ./cmd/klusterkarta)

DATA=$(mktemp -d /tmp/klusterkarta-serve-bench.XXXXXX)
SERVER_PID=""
cleanup() {
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$DATA"
}
trap cleanup EXIT

echo "Starting klusterkarta demo on $BASE (rate limit off)" >&2
"$OUT/klusterkarta" demo --addr "127.0.0.1:$PORT" --rate-limit 0 --data "$DATA" --log-level warn \
	>"$OUT/server.log" 2>&1 &
SERVER_PID=$!

# The demo crawls its web before it serves.
for _ in $(seq 1 300); do
	if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
		break
	fi
	kill -0 "$SERVER_PID" 2>/dev/null || { echo "serve bench: server exited; see $OUT/server.log" >&2; exit 1; }
	sleep 0.2
done
curl -fsS -o /dev/null "$BASE/healthz" || { echo "serve bench: server did not come up; see $OUT/server.log" >&2; exit 1; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }

# Every endpoint answers 200 with a body, and a burst well above the
# default limit (burst 40) gets no 429: the rate limiter is off.
for e in "${ENDPOINTS[@]}"; do
	path=${e#*|}
	code=$(curl -s -o "$OUT/${e%%|*}.json" -w '%{http_code}' "$BASE$path")
	if [[ $code != 200 ]]; then
		echo "serve bench: GET $path answered $code" >&2
		exit 1
	fi
done
for i in $(seq 1 100); do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/topics/self-sufficiency/clusters")
	if [[ $code != 200 ]]; then
		echo "serve bench: request $i of a burst answered $code; is the rate limiter off?" >&2
		exit 1
	fi
done

RSS_START=$(rss_kib)
echo "Server pid $SERVER_PID, RSS $((RSS_START / 1024)) MiB before load" >&2

for run in $(seq 1 "$RUNS"); do
	for e in "${ENDPOINTS[@]}"; do
		name=${e%%|*}
		path=${e#*|}
		before=$(rss_kib)
		echo "run $run/$RUNS: $name for $DURATION at $CONNECTIONS connections" >&2
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency "$BASE$path" >"$OUT/$name.$run.wrk"
		after=$(rss_kib)
		printf '%s\t%s\t%s\t%s\n' "$name" "$run" "$before" "$after" >>"$OUT/rss.tsv"
	done
done

# to_ms converts a wrk duration (850.00us, 1.23ms, 2.01s, 1.5m) to ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n
	}'
}

# median prints the median of the numbers on stdin.
median() {
	sort -g | awk '{a[NR] = $1} END { if (NR == 0) { print "-"; exit }
		if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout $TIMEOUT --latency, $RUNS runs, medians; RSS of the server in MiB (before the first run: $((RSS_START / 1024)) MiB)"
echo
echo "| endpoint | requests/s | p50 | p99 | non-2xx | socket errors | RSS before | RSS after |"
echo "|---|---|---|---|---|---|---|---|"
for e in "${ENDPOINTS[@]}"; do
	name=${e%%|*}
	path=${e#*|}
	rps=() p50=() p99=() non2xx=() errs=()
	for run in $(seq 1 "$RUNS"); do
		f="$OUT/$name.$run.wrk"
		rps+=("$(awk '/^Requests\/sec:/ {print $2}' "$f")")
		p50+=("$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")")
		p99+=("$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")")
		non2xx+=("$(awk '/Non-2xx or 3xx responses:/ {print $NF} END {}' "$f" | tail -1)")
		errs+=("$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$f" | tail -1)")
	done
	med() { printf '%s\n' "$@" | sed 's/^$/0/' | median; }
	rb=$(awk -v n="$name" '$1 == n {printf "%.0f\n", $3 / 1024}' "$OUT/rss.tsv" | median)
	ra=$(awk -v n="$name" '$1 == n {printf "%.0f\n", $4 / 1024}' "$OUT/rss.tsv" | median)
	printf '| `%s` | %s | %s ms | %s ms | %s | %s | %s MiB | %s MiB |\n' "$path" "$(med "${rps[@]}")" \
		"$(med "${p50[@]}")" "$(med "${p99[@]}")" "$(med "${non2xx[@]}")" "$(med "${errs[@]}")" "$rb" "$ra"
done
echo
echo "Per run (requests/s): "
for e in "${ENDPOINTS[@]}"; do
	name=${e%%|*}
	printf '  %s:' "$name"
	for run in $(seq 1 "$RUNS"); do
		printf ' %s' "$(awk '/^Requests\/sec:/ {print $2}' "$OUT/$name.$run.wrk")"
	done
	echo
done
echo "RSS after all runs: $(( $(rss_kib) / 1024 )) MiB; raw wrk output in $OUT"
