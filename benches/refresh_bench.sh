#!/usr/bin/env bash
# Refresh benchmark (issue 4): `akhbar refresh` over 1,000 feeds x 50 items on 64 loopback
# hosts served with 50 ms latency, cold (no cache) and warm (every feed answers 304), timed
# with ../shared/bench/measure.py (wall, cpu, peak RSS; quote the medians).
#
# Needs: a release build (cargo build --release). The warm runs use the validators (ETag /
# Last-Modified) the uncounted first run saved in its data dir.
# Usage: benches/refresh_bench.sh [FEEDS] [ITEMS]
#   env: BENCH=../shared/bench RUNS=5 HOSTS=64 LATENCY_MS=50 BIN=... KEEP=DIR (keep the
#   warm data dir there, e.g. for the start-up benchmark)
set -euo pipefail

FEEDS=${1:-1000}
ITEMS=${2:-50}
HOSTS=${HOSTS:-64}
LATENCY_MS=${LATENCY_MS:-50}
RUNS=${RUNS:-5}
PORT=${PORT:-8790}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
bench_workdir akhbar-bench

# serve.py's --hosts (127.0.0.1..N on one port) needs a fixed port: PORT, default 8790.
python3 "$BENCH/gen_feeds.py" --feeds "$FEEDS" --items "$ITEMS" --hosts "$HOSTS" \
    --base-url "http://127.0.0.1:$PORT" --out "$WORK/corpus" --quiet
serve_corpus "$PORT" "127.0.0.$HOSTS" --pid-file "$WORK/pid" --hosts "$HOSTS" \
    --latency-ms "$LATENCY_MS"
write_config "$WORK/bench.toml" 'concurrency = 64' 'per_host_concurrency = 4'

# Every run gets its data directory by --data-dir, never from the environment, so nothing of
# the user's own cache is read or written.
run() { # label, then measure.py options, then the command
    local label=$1
    shift
    echo "== $label: $FEEDS feeds x $ITEMS items, $HOSTS hosts, ${LATENCY_MS} ms latency"
    python3 "$BENCH/measure.py" "$@"
}

# Cold: every run starts from a fresh, empty data dir (measure.py repeats one command, so the
# command makes its own directory; mktemp costs about a millisecond of the wall time).
# shellcheck disable=SC2016 # expanded by the inner shell, once per run
run cold -n "$RUNS" --warmup 0 --json "$WORK/cold.json" -- \
    sh -c 'exec "$1" refresh --config "$2" --data-dir "$(mktemp -d "$3/cold.XXXXXX")"' \
    sh "$BIN" "$WORK/bench.toml" "$WORK"
# Warm: one uncounted run fills the cache (validators), then every feed answers 304.
curl -s "http://127.0.0.1:$PORT/__reset" >/dev/null 2>&1 || true
run warm -n "$RUNS" --warmup 1 --json "$WORK/warm.json" -- \
    "$BIN" refresh --config "$WORK/bench.toml" --data-dir "$WORK/warm"
echo "server counters since the warm runs began:"
curl -s "http://127.0.0.1:$PORT/__stats" 2>/dev/null && echo
if [[ -n "${KEEP:-}" ]]; then
    cp -r "$WORK/warm" "$KEEP"
    echo "warm data dir copied to $KEEP"
fi
