#!/usr/bin/env bash
# neo4j-test.sh: a Neo4j 5 Community engine on 127.0.0.1 for tests, run
# embedded in a JVM from the Maven Central jars of pom.xml (no Docker).
#
#   eval "$(deploy/neo4j-test/neo4j-test.sh start)"   # sets NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD
#   go test ./internal/graph/neo4j/
#   deploy/neo4j-test/neo4j-test.sh stop
#
# Commands:
#   start   resolve the jars (offline when Maven has them cached), start the
#           engine in the background, wait until Bolt answers and print the
#           NEO4J_* variables on stdout as export lines; progress and timings go to stderr.
#           If the engine of this state directory runs already, only print.
#   stop    stop the engine cleanly (SIGTERM, the engine deletes its data)
#           and wait for it to exit.
#   status  tell whether the engine runs; exit 1 if it does not.
#   env     print the NEO4J_* variables of the running engine.
#
# Environment:
#   NEO4J_TEST_DIR            state directory (pid, env, log); default
#                             ${TMPDIR:-/tmp}/klusterkarta-neo4j-test
#   NEO4J_TEST_PORT           Bolt port; default: a free one
#   NEO4J_TEST_START_TIMEOUT  seconds to wait for Bolt; default 180
#   NEO4J_TEST_JAVA_OPTS      JVM options; default "-Xms256m -Xmx1g"
#   NEO4J_TEST_PAGECACHE_MB   page cache; default 128
#   NEO4J_TEST_KEEP_DATA      "true" keeps the data directory after stop
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${NEO4J_TEST_DIR:-${TMPDIR:-/tmp}/klusterkarta-neo4j-test}
lib=$here/lib
pidfile=$state/neo4j.pid
envfile=$state/neo4j.env
logfile=$state/neo4j.log

say() { echo "neo4j-test: $*" >&2; }

die() {
	say "$*"
	if [[ -s $logfile ]]; then
		say "last lines of $logfile:"
		tail -n 40 "$logfile" >&2
	fi
	exit 1
}

# now prints the time in milliseconds.
now() { date +%s%3N; }

# secs prints the seconds between two now readings.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

running() {
	[[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# resolve copies the jars of pom.xml into lib/ unless lib/ already holds
# them for this pom.xml: offline first, from Maven Central if that fails.
resolve() {
	command -v mvn >/dev/null || die "mvn not found: install Maven 3 (apt-get install maven)"
	local sum
	sum=$(sha256sum "$here/pom.xml" | cut -d' ' -f1)
	if [[ -f $lib/.pom.sha256 && $(cat "$lib/.pom.sha256") == "$sum" ]]; then
		return
	fi
	rm -rf "$lib"
	local mvnlog=$state/mvn.log
	say "resolving jars with Maven (log: $mvnlog)"
	if ! mvn -B -q -o -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib" >"$mvnlog" 2>&1; then
		rm -rf "$lib"
		if ! mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib" >"$mvnlog" 2>&1; then
			tail -n 40 "$mvnlog" >&2
			die "Maven could not resolve the jars of $here/pom.xml"
		fi
	fi
	echo "$sum" >"$lib/.pom.sha256"
}

# bolt_answers tells whether something accepts TCP connections on port $1.
bolt_answers() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
	mkdir -p "$state"
	if running; then
		say "already running (pid $(cat "$pidfile"))"
		cat "$envfile"
		return
	fi
	rm -f "$pidfile" "$envfile"
	command -v java >/dev/null || die "java not found: install a Java 17 runtime (apt-get install openjdk-17-jdk-headless)"

	local t0 t1 t2
	t0=$(now)
	resolve
	t1=$(now)

	local password
	password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
	: >"$logfile"
	# shellcheck disable=SC2086 # the options are a list of words
	NEO4J_TEST_PASSWORD=$password setsid java ${NEO4J_TEST_JAVA_OPTS:--Xms256m -Xmx1g} \
		-XX:+ExitOnOutOfMemoryError -cp "$lib/*" "$here/Launcher.java" \
		>>"$logfile" 2>&1 </dev/null &
	local pid=$!
	echo "$pid" >"$pidfile"

	local timeout=${NEO4J_TEST_START_TIMEOUT:-180} uri=""
	local deadline=$((SECONDS + timeout))
	while [[ -z $uri ]]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$pidfile"
			die "the engine exited while starting"
		fi
		if ((SECONDS >= deadline)); then
			kill -TERM "$pid" 2>/dev/null || true
			rm -f "$pidfile"
			die "Bolt did not answer within ${timeout}s"
		fi
		uri=$(sed -n 's/^NEO4J_READY \(bolt:\/\/.*\)$/\1/p' "$logfile" | head -n 1)
		[[ -n $uri ]] || sleep 0.2
	done
	bolt_answers "${uri##*:}" || die "the engine reported $uri but nothing listens there"
	t2=$(now)

	umask 077
	cat >"$envfile" <<EOF
export NEO4J_URI=$uri
export NEO4J_USER=neo4j
export NEO4J_PASSWORD=$password
EOF
	say "started in $(secs "$t0" "$t2")s (jars $(secs "$t0" "$t1")s, engine $(secs "$t1" "$t2")s), pid $pid, $uri, log $logfile"
	cat "$envfile"
}

stop() {
	if ! running; then
		say "not running"
		rm -f "$pidfile" "$envfile"
		return
	fi
	local pid t0
	pid=$(cat "$pidfile")
	t0=$(now)
	kill -TERM "$pid"
	local deadline=$((SECONDS + 90))
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			kill -KILL "$pid" 2>/dev/null || true
			rm -f "$pidfile" "$envfile"
			die "the engine (pid $pid) did not stop within 90s; killed"
		fi
		sleep 0.2
	done
	rm -f "$pidfile" "$envfile"
	say "stopped in $(secs "$t0" "$(now)")s"
}

case ${1:-} in
start) start ;;
stop) stop ;;
status)
	if running; then
		say "running (pid $(cat "$pidfile"))"
	else
		say "not running"
		exit 1
	fi
	;;
env)
	running || die "not running"
	cat "$envfile"
	;;
*)
	echo "usage: $0 start|stop|status|env" >&2
	exit 2
	;;
esac
