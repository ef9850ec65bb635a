#!/usr/bin/env bash
# fever.sh - a real Fever-API server (coldsweat 0.10.2 from PyPI, Flask + SQLite) on
# 127.0.0.1 for akhbar's sync tests, with a static feed server beside it.
#
#   fever.sh up [DIR]       make the venv and install coldsweat if missing, create the user,
#                           start both servers, print the AKHBAR_FEVER_* variables
#   fever.sh env [DIR]      print the variables again
#   fever.sh subscribe GROUP URL...   subscribe the user (GROUP "" = "Default") and fetch
#   fever.sh fetch URL...   fetch these feeds now
#   fever.sh status / down / reset [DIR]
#
# DIR (default: target/harness under the repo; also AKHBAR_HARNESS_DIR) holds everything:
# DIR/fever/{venv,state,feeds}. Ports: AKHBAR_FEVER_PORT (18390), AKHBAR_FEVER_FEED_PORT
# (18391). coldsweat fetches through a proxy on a closed loopback port except for loopback
# addresses, so nothing it tries (favicons from an icon service) leaves the machine; only pip
# (and apt-get for python3-venv) reach out, on the first run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CMD=${1:-up}
[ $# -gt 0 ] && shift
case "$CMD" in subscribe | fetch) DIR=${AKHBAR_HARNESS_DIR:-$REPO/target/harness} ;;
*) DIR=${1:-${AKHBAR_HARNESS_DIR:-$REPO/target/harness}} ;; esac
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
BASE=$DIR/fever
VENV=$BASE/venv STATE=$BASE/state FEEDS=$BASE/feeds
PORT=${AKHBAR_FEVER_PORT:-18390}
FEED_PORT=${AKHBAR_FEVER_FEED_PORT:-18391}
EMAIL=akhbar@example.org
PASSWORD=akhbar-fever-test-password
PYTHON=${AKHBAR_PYTHON:-python3}
VERSION=0.10.2

export FLASK_DATABASE_URL="sqlite:///$STATE/coldsweat.db" FLASK_SECRET_KEY=akhbar-harness
export PYTHONWARNINGS=ignore::DeprecationWarning
GUARD=(env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9
	http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
	NO_PROXY=127.0.0.1,localhost,::1 no_proxy=127.0.0.1,localhost,::1)

log() { printf '[fever] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
admin() { "${GUARD[@]}" "$VENV/bin/python" "$HERE/coldsweat_admin.py" "$@"; }

ensure_venv() {
	[ -x "$VENV/bin/coldsweat" ] && [ "$(cat "$VENV/.akhbar-version" 2>/dev/null)" = $VERSION ] && return 0
	rm -rf "$VENV"; mkdir -p "$BASE"
	if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
		rm -rf "$VENV"
		[ "$(id -u)" = 0 ] || die "python3's venv module is missing: apt-get install python3-venv"
		log "apt-get install python3-venv"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
		"$PYTHON" -m venv "$VENV"
	fi
	log "pip install coldsweat==$VERSION"
	"$VENV/bin/pip" install -q --disable-pip-version-check "coldsweat==$VERSION" >&2
	echo $VERSION >"$VENV/.akhbar-version"
}

wait_port() { for _ in $(seq 150); do port_open "$1" && return 0; sleep 0.1; done; return 1; }

start_servers() {
	mkdir -p "$FEEDS"
	if ! alive "$STATE/feeds.pid"; then
		port_open "$FEED_PORT" && die "127.0.0.1:$FEED_PORT is taken (set AKHBAR_FEVER_FEED_PORT)"
		(cd "$FEEDS" && exec setsid "$PYTHON" -m http.server --bind 127.0.0.1 "$FEED_PORT" >"$STATE/feeds.log" 2>&1 </dev/null) &
		echo $! >"$STATE/feeds.pid"
	fi
	if ! alive "$STATE/server.pid"; then
		port_open "$PORT" && die "127.0.0.1:$PORT is taken (set AKHBAR_FEVER_PORT)"
		setsid "${GUARD[@]}" "$VENV/bin/coldsweat" run --host 127.0.0.1 --port "$PORT" >"$STATE/server.log" 2>&1 </dev/null &
		echo $! >"$STATE/server.pid"
	fi
	wait_port "$FEED_PORT" || die "the feed server did not start (see $STATE/feeds.log)"
	wait_port "$PORT" || die "coldsweat did not start (see $STATE/server.log)"
}

stop() {
	local pidf=$1 pid
	alive "$pidf" || { rm -f "$pidf"; return 0; }
	pid=$(cat "$pidf")
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL -- "-$pid" 2>/dev/null || true
	rm -f "$pidf"
}

print_env() {
	cat <<-EOF
	AKHBAR_FEVER_URL=http://127.0.0.1:$PORT/fever/
	AKHBAR_FEVER_USER=$EMAIL
	AKHBAR_FEVER_PASSWORD=$PASSWORD
	AKHBAR_FEVER_FEED_DIR=$FEEDS
	AKHBAR_FEVER_FEED_URL=http://127.0.0.1:$FEED_PORT/
	AKHBAR_FEVER_HARNESS=$HERE/fever.sh
	AKHBAR_HARNESS_DIR=$DIR
	EOF
}

case "$CMD" in
up)
	t0=$SECONDS
	ensure_venv
	mkdir -p "$STATE"
	admin user "$EMAIL" "$PASSWORD" >/dev/null
	start_servers
	log "up in $((SECONDS - t0)) s: http://127.0.0.1:$PORT/fever/?api"
	print_env
	;;
env) print_env ;;
subscribe) [ $# -ge 2 ] || die "usage: fever.sh subscribe GROUP URL..."; admin subscribe "$EMAIL" "$@" ;;
fetch) [ $# -ge 1 ] || die "usage: fever.sh fetch URL..."; admin fetch "$@" ;;
status)
	alive "$STATE/server.pid" && echo "coldsweat: running" || echo "coldsweat: stopped"
	alive "$STATE/feeds.pid" && echo "feeds: running" || echo "feeds: stopped" ;;
down) stop "$STATE/server.pid"; stop "$STATE/feeds.pid"; log "stopped" ;;
reset) stop "$STATE/server.pid"; stop "$STATE/feeds.pid"; rm -rf "$BASE"; log "removed $BASE" ;;
*) echo "usage: $0 up|env|subscribe GROUP URL...|fetch URL...|status|down|reset [DIR]" >&2; exit 2 ;;
esac
