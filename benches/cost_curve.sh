#!/usr/bin/env bash
# The cost curve (issue 15): caches of 10k, 100k, 500k and 1M articles, each built once by
# benches/build_cache.rs through akhbar's own cache writer (index included) and kept in
# $CURVE_DIR/N for later runs, then for each (medians of RUNS runs, one warm-up):
#   - first frame of the TUI (AKHBAR_EXIT_AFTER_FIRST_FRAME=1, 120x40 pty, first_frame.py);
#   - until the whole cache is restored (AKHBAR_EXIT_AFTER_FIRST_FRAME=restored: the run's
#     wall time, which includes the save on exit) and the TUI's peak RSS then;
#   - `akhbar print-unread` (../shared/bench/measure.py);
#   - searches through the index and filters over every article (build_cache query);
#   - the cache's size on disk;
#   - a warm refresh: `akhbar refresh` with every feed answering 304 (benches/not_modified.py);
#   - a refresh where NEWS feeds (default 10) bring one new item each and the others answer
#     304 (not_modified.py --news; the feeds' own cached articles are read for the dedupe).
# Prints each tool's output, then a summary table (also written to $CURVE_DIR/summary.md).
# Usage: benches/cost_curve.sh
#   env: SIZES="10000 100000 500000 1000000" FEEDS=1000 RUNS=3 PORT=8794 CURVE_DIR=/tmp/akhbar-curve
#        BENCH=../shared/bench BIN=target/release/akhbar
# Build first: cargo build --release --bin akhbar --bench build_cache
set -euo pipefail

SIZES=${SIZES:-10000 100000 500000 1000000}
FEEDS=${FEEDS:-1000}
RUNS=${RUNS:-3}
NEWS=${NEWS:-10}
PORT=${PORT:-8794}
CURVE_DIR=${CURVE_DIR:-/tmp/akhbar-curve}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
# The newest build of the bench binary (cargo names it build_cache-HASH).
BUILDER=${BUILDER:-$(ls -t "$ROOT"/target/release/deps/build_cache-* 2>/dev/null | grep -v '\.d$' | head -1)}
[[ -x "$BUILDER" ]] || { echo "missing the builder: cargo build --release --bench build_cache" >&2; exit 2; }
mkdir -p "$CURVE_DIR"
# The end of the status line "N cached articles; ...". Not 'cached articles': the frame with
# the cached articles follows one saying "reading the cache…", and the terminal backend
# rewrites only the cells that changed, so with 5-digit counts (10000) the "he" and the "a"
# that stand where they stood are never written. Past column 18 every cell is new.
MARKER='les;'

SERVER_PID=
# serve [ARGS...]: (re)starts the feed server on PORT with not_modified.py's ARGS.
serve() {
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    python3 "$ROOT/benches/not_modified.py" --port "$PORT" --max-seconds 7200 "$@" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
        sleep 0.1
    done
}
trap 'kill -TERM "$SERVER_PID" 2>/dev/null || true' EXIT
serve

# median FILE ROW COLUMN: the median column (3rd number) of a row of first_frame.py /
# measure.py output.
median() { grep -m1 "^$2" "$1" | awk -v c="$3" '{print $(NF-c)}'; }

SUMMARY="$CURVE_DIR/summary.md"
{
    echo "| articles | cache on disk | first frame | until restored | peak RSS (restored) | print-unread | search (frequent / rare word) | filter (unread and age) | warm refresh | its peak RSS | refresh, $NEWS feeds with news | its peak RSS |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$SUMMARY"

for N in $SIZES; do
    D="$CURVE_DIR/$N"
    if [[ ! -f "$D/data/cache.sqlite" || ! -f "$D/bench.toml" ]]; then
        echo "== building $N articles in $FEEDS feeds"
        rm -rf "$D"
        "$BUILDER" build "$D" "$N" "$FEEDS" "$PORT"
    fi
    ARGS=(--config "$D/bench.toml" --data-dir "$D/data" --log-file "$D/akhbar.log")
    size=$(du -m "$D/data/cache.sqlite" | cut -f1)
    echo "== $N articles: cache file ${size} MiB"

    echo "-- first frame"
    AKHBAR_EXIT_AFTER_FIRST_FRAME=1 python3 "$ROOT/benches/first_frame.py" -n "$RUNS" --warmup 1 \
        --timeout 300 --cols 120 --rows 40 --marker "$MARKER" -- "$BIN" "${ARGS[@]}" \
        | tee "$D/first.txt"
    echo "-- until restored"
    AKHBAR_EXIT_AFTER_FIRST_FRAME=restored python3 "$ROOT/benches/first_frame.py" -n "$RUNS" \
        --warmup 1 --timeout 300 --cols 120 --rows 40 --marker "$MARKER" -- \
        "$BIN" "${ARGS[@]}" | tee "$D/restored.txt"
    grep -E 'cache read|articles restored|session open|rest of the cache' "$D/akhbar.log" \
        | tail -4 | sed 's/^/  /'
    echo "-- print-unread"
    python3 "$BENCH/measure.py" -n "$RUNS" --warmup 1 --timeout 600 -- \
        "$BIN" print-unread --config "$D/bench.toml" --data-dir "$D/data" | tee "$D/unread.txt"
    echo "-- searches and filters"
    "$BUILDER" query "$D" | tee "$D/query.txt"
    echo "-- warm refresh (every feed answers 304)"
    python3 "$BENCH/measure.py" -n "$RUNS" --warmup 1 --timeout 1200 -- \
        "$BIN" refresh "${ARGS[@]}" | tee "$D/refresh.txt"
    grep 'refresh done' "$D/akhbar.log" | tail -1 | sed 's/^/  /'
    echo "-- refresh, $NEWS feeds with one new item each (the rest 304)"
    serve --news "$NEWS"
    # Retention off, so the kept cache stays the same size from run to run.
    { echo "keep_days = 0"; echo "keep_per_feed = 0"; cat "$D/bench.toml"; } > "$D/news.toml"
    python3 "$BENCH/measure.py" -n "$RUNS" --warmup 1 --timeout 1200 -- \
        "$BIN" refresh --config "$D/news.toml" --data-dir "$D/data" | tee "$D/news.txt"
    serve

    ms() { awk -v s="$1" 'BEGIN{printf "%.0f ms", s*1000}'; }
    q() { grep -m1 "^$1" "$D/query.txt" | sed 's/.*: \([0-9.]*\) ms.*/\1 ms/'; }
    printf '| %s | %s MiB | %s ms | %s s | %s MiB | %s | %s / %s | %s | %s | %s MiB | %s | %s MiB |\n' \
        "$N" "$size" "$(median "$D/first.txt" 'first frame ms' 1)" \
        "$(median "$D/restored.txt" 'whole run s' 1)" "$(median "$D/restored.txt" 'peak MiB' 1)" \
        "$(ms "$(median "$D/unread.txt" 'A wall s' 1)")" \
        "$(q 'search, frequent')" "$(q 'search, rare')" "$(q 'filter, unread and age')" \
        "$(ms "$(median "$D/refresh.txt" 'A wall s' 1)")" \
        "$(median "$D/refresh.txt" 'A peak MiB' 1)" \
        "$(ms "$(median "$D/news.txt" 'A wall s' 1)")" "$(median "$D/news.txt" 'A peak MiB' 1)" \
        >> "$SUMMARY"
done
echo
cat "$SUMMARY"
