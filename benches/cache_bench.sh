#!/usr/bin/env bash
# Start-up benchmark (issue 5): a cache of FEEDS x ITEMS articles (default 1,000 x 100 =
# 100,000), filled by one `akhbar refresh` from a local server; then, timed with
# ../shared/bench/measure.py (quote the medians):
#   - the TUI's first frame (AKHBAR_EXIT_AFTER_FIRST_FRAME=1, in a 120x40 pty, benches/
#     first_frame.py): time until the first frame is written, and peak RSS;
#   - `akhbar print-unread`.
# NEWSBOAT=1 also times `newsboat -x print-unread` on the same corpus (once; it can take
# ~95 s, bounded by 200 s), after filling its cache with `newsboat -x reload`.
# Usage: benches/cache_bench.sh [FEEDS] [ITEMS]
#   env: BENCH=../shared/bench RUNS=5 PORT=8793 BIN=... NEWSBOAT=1
set -euo pipefail

FEEDS=${1:-1000}
ITEMS=${2:-100}
RUNS=${RUNS:-5}
PORT=${PORT:-8793}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
bench_workdir akhbar-cache-bench

python3 "$BENCH/gen_feeds.py" --feeds "$FEEDS" --items "$ITEMS" \
    --base-url "http://127.0.0.1:$PORT" --out "$WORK/corpus" --quiet
serve_corpus "$PORT" 127.0.0.1
write_config "$WORK/bench.toml"

echo "== filling the cache: $FEEDS feeds x $ITEMS items"
"$BIN" refresh --config "$WORK/bench.toml" --data-dir "$WORK/data" --log-file "$WORK/akhbar.log"
echo "cache: $(du -h "$WORK/data/cache.sqlite" | cut -f1), unread: $("$BIN" print-unread --config "$WORK/bench.toml" --data-dir "$WORK/data")"

# The server stays up: the TUI starts its poller at once, and every feed answers 304 (the
# timed part ends at the first frame, before most answers arrive).
echo "== first frame of the TUI (120x40)"
# first_frame.py stops the clock when the status line of the first frame is written; the
# whole run (which also saves on exit) and the peak RSS are reported beside it.
AKHBAR_EXIT_AFTER_FIRST_FRAME=1 python3 "$ROOT/benches/first_frame.py" -n "$RUNS" --warmup 1 \
    --cols 120 --rows 40 --marker 'cached articles' -- \
    "$BIN" --config "$WORK/bench.toml" --data-dir "$WORK/data" --log-file "$WORK/akhbar.log"
echo "== first frame before the cache is read (feeds and 'reading the cache')"
AKHBAR_EXIT_AFTER_FIRST_FRAME=early python3 "$ROOT/benches/first_frame.py" -n "$RUNS" --warmup 1 \
    --cols 120 --rows 40 --marker 'reading the cache' -- \
    "$BIN" --config "$WORK/bench.toml" --data-dir "$WORK/data" --log-file "$WORK/akhbar.log"
echo "== until the whole cache is restored (the 'whole run' column; peak RSS with every article)"
AKHBAR_EXIT_AFTER_FIRST_FRAME=restored python3 "$ROOT/benches/first_frame.py" -n "$RUNS" --warmup 1 \
    --cols 120 --rows 40 --marker 'cached articles' -- \
    "$BIN" --config "$WORK/bench.toml" --data-dir "$WORK/data" --log-file "$WORK/akhbar.log"
echo "start-up phases (from the log, last run):"
grep -E 'cache read|articles restored|session open|rest of the cache' "$WORK/akhbar.log" | tail -4 | sed 's/^/  /'
echo "== akhbar print-unread"
python3 "$BENCH/measure.py" -n "$RUNS" --warmup 1 --json "$WORK/unread.json" -- \
    "$BIN" print-unread --config "$WORK/bench.toml" --data-dir "$WORK/data"
echo "unread after the runs: $("$BIN" print-unread --config "$WORK/bench.toml" --data-dir "$WORK/data") (the runs must not lose any)"

if [[ -n "${NEWSBOAT:-}" ]]; then
    command -v newsboat >/dev/null || { echo "newsboat is not installed" >&2; exit 2; }
    cp "$WORK/corpus/urls" "$WORK/nb-urls"
    echo 'reload-threads 8' > "$WORK/nb-config"
    echo "== newsboat -x reload (fills its cache)"
    python3 "$BENCH/measure.py" -n 1 --warmup 0 --timeout 600 -- \
        newsboat -u "$WORK/nb-urls" -c "$WORK/nb-cache.db" -C "$WORK/nb-config" -x reload
    echo "== newsboat -x print-unread (once, at most 200 s)"
    python3 "$BENCH/measure.py" -n 1 --warmup 0 --timeout 200 -- \
        newsboat -u "$WORK/nb-urls" -c "$WORK/nb-cache.db" -C "$WORK/nb-config" -x print-unread
fi
