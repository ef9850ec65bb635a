#!/usr/bin/env bash
# Refresh benchmark (issue 4): `akhbar refresh` over 1,000 feeds x 50 items on 64 loopback
# hosts served with 50 ms latency, cold (no cache) and warm (every feed answers 304), timed
# with /work/shared/bench/measure.py (wall, cpu, peak RSS; quote the medians).
#
# Needs: a release build with `akhbar refresh --config FILE` (cargo build --release), and for
# the warm run, the validators (ETag / Last-Modified) saved by the first run in akhbar's state
# files, which are put under a throwaway XDG dir here.
# Usage: benches/refresh_bench.sh [FEEDS] [ITEMS]   (env BENCH=/work/shared/bench RUNS=5)
set -euo pipefail

FEEDS=${1:-1000}
ITEMS=${2:-50}
HOSTS=${HOSTS:-64}
LATENCY_MS=${LATENCY_MS:-50}
RUNS=${RUNS:-5}
BENCH=${BENCH:-/work/shared/bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release/akhbar}
WORK=$(mktemp -d /tmp/akhbar-bench.XXXXXX)
SERVER_PID=""

cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

[[ -x "$BIN" ]] || { echo "missing $BIN: run cargo build --release first" >&2; exit 2; }

python3 "$BENCH/gen_feeds.py" --feeds "$FEEDS" --items "$ITEMS" --hosts "$HOSTS" \
    --base-url http://127.0.0.1:0 --out "$WORK/corpus" --quiet
python3 "$BENCH/serve.py" --dir "$WORK/corpus" --port 0 --port-file "$WORK/port" \
    --pid-file "$WORK/pid" --hosts "$HOSTS" --latency-ms "$LATENCY_MS" --max-seconds 1800 \
    --preload &
for _ in $(seq 100); do [[ -s "$WORK/port" && -s "$WORK/pid" ]] && break; sleep 0.1; done
SERVER_PID=$(cat "$WORK/pid")
PORT=$(cat "$WORK/port")

# The corpus was generated for port 0; point every URL at the real port.
{
    echo 'refresh_interval = "15m"'
    echo 'concurrency = 64'
    echo 'per_host_concurrency = 4'
    sed -E "s#^(https?://[^/:]+):0/#\\1:$PORT/#" "$WORK/corpus/urls" \
        | while read -r url; do printf '[[feed]]\nurl = "%s"\n' "$url"; done
} > "$WORK/bench.toml"

run() { # label, xdg dir, then measure.py options
    local label=$1 home=$2
    shift 2
    echo "== $label: $FEEDS feeds x $ITEMS items, $HOSTS hosts, ${LATENCY_MS} ms latency"
    XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state" XDG_DATA_HOME="$home/data" \
        python3 "$BENCH/measure.py" "$@" -- "$BIN" refresh --config "$WORK/bench.toml"
}

# Cold: a fresh, empty state dir for every run.
run cold "$WORK/cold" -n "$RUNS" --warmup 0 --json "$WORK/cold.json" \
    2>&1 | sed 's/^/  /' || true
# (measure.py reuses one environment for all runs, so the cold figure above is only truly cold
# for the first run if akhbar persists state; the loop below gives one strictly cold run each.)
for i in $(seq "$RUNS"); do
    run "cold #$i (fresh state)" "$WORK/cold-$i" -n 1 --warmup 0 2>&1 | grep -E 'wall|peak' | sed 's/^/  /'
done
# Warm: one uncounted run fills the state (validators), then every feed answers 304.
run warm "$WORK/warm" -n "$RUNS" --warmup 1 --json "$WORK/warm.json" 2>&1 | sed 's/^/  /'
curl -s "http://127.0.0.1:$PORT/__stats" 2>/dev/null && echo
