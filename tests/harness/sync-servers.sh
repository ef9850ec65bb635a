#!/usr/bin/env bash
# sync-servers.sh - both sync test servers at once (tests/harness/ttrss.sh and fever.sh):
#
#   sync-servers.sh up [DIR]     bring both up (in parallel), print every AKHBAR_* variable
#   sync-servers.sh env|down|status|reset [DIR]
#
# `eval "$(tests/harness/sync-servers.sh up | sed 's/^/export /')"` then `cargo test --test sync`.
# DIR defaults to target/harness under the repo (AKHBAR_HARNESS_DIR also sets it).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CMD=${1:-up}
DIR=${2:-${AKHBAR_HARNESS_DIR:-$(cd "$HERE/../.." && pwd)/target/harness}}
mkdir -p "$DIR"
case "$CMD" in
up)
	# apt (TT-RSS) and pip (coldsweat) wait on different servers: side by side.
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	bash "$HERE/ttrss.sh" up "$DIR" >"$out/ttrss" & t=$!
	bash "$HERE/fever.sh" up "$DIR" >"$out/fever" & f=$!
	rc=0
	wait $t || rc=1
	wait $f || rc=1
	[ $rc = 0 ] || { echo "[sync-servers] a server did not come up" >&2; exit 1; }
	cat "$out/ttrss" "$out/fever"
	;;
env | down | status | reset)
	bash "$HERE/ttrss.sh" "$CMD" "$DIR"
	bash "$HERE/fever.sh" "$CMD" "$DIR"
	;;
*) echo "usage: $0 up|env|down|status|reset [DIR]" >&2; exit 2 ;;
esac
