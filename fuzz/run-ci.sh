#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (FUZZ_SECONDS each, default 20) from the committed
# seeds, so a parser regression shows up in CI. Installs cargo-fuzz if it is missing; a missing
# nightly toolchain is a failure under CI (CI=true) and a skip elsewhere. A crash leaves its
# input in fuzz/artifacts/TARGET/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-20}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "fuzz: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
    exit 1
  fi
  echo "fuzz: no nightly toolchain, skipped" >&2
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# No sanitizer: the code under test is safe Rust (ASan would triple the build and run time
# for nothing); libFuzzer's coverage and the targets' own invariant checks remain. CI builds
# unoptimised (--dev: about 2 min instead of 11 on 2 cores; debug assertions on, so overflow
# checks are part of the invariants); long runs: FUZZ_BUILD="-O" for the optimised build, or
# FUZZ_BUILD="-O --no-trace-compares --target-dir target-ntc" for about three times the
# executions (html_layout: 1,470 exec/s instead of 440) with less help on comparisons (the
# dictionaries remain): grow a corpus with the first, then run long on the second.
read -r -a build <<<"-s none ${FUZZ_BUILD:---dev}"
cargo +nightly fuzz build "${build[@]}"

dict_of() {
  case "$1" in
    feed) echo dicts/xml.dict ;;
    html_layout | extract) echo dicts/html.dict ;;
    text_pipeline) echo dicts/text.dict ;;
    sync_answers) echo dicts/json.dict ;;
    config) echo dicts/toml.dict ;;
    filter) echo dicts/filter.dict ;;
    import) echo dicts/import.dict ;;
    *) echo "" ;;
  esac
}

# The project's own fixtures are seeds too, taken from where the tests keep them (not
# copied into seeds/): feeds and demo feeds for `feed`, news pages for `html_layout` and
# `extract`, each with the first byte the target reads as its option (0: the first charset
# path; 60: width; 65: text/html and width 16).
prefixed() { # prefixed BYTE OUT_DIR FILE...
  local byte=$1 out=$2; shift 2
  mkdir -p "$out"
  for f in "$@"; do
    { printf "\\$(printf '%03o' "$byte")"; cat "$f"; } >"$out/$(basename "$f")"
  done
}
prefixed 0 corpus/fixtures-feed ../tests/fixtures/feeds/* ../config/demo/*.xml
prefixed 60 corpus/fixtures-html_layout ../tests/fixtures/pages/*.html
prefixed 65 corpus/fixtures-extract ../tests/fixtures/pages/*.html
mkdir -p corpus/fixtures-import && cp ../tests/fixtures/persist/urls ../tests/fixtures/persist/nested.opml corpus/fixtures-import/

status=0
# FUZZ_TARGETS="feed filter" runs only those (long sessions split across runs).
for target in ${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}; do
  mkdir -p "corpus/$target"
  extra=()
  [ -d "corpus/fixtures-$target" ] && extra=("corpus/fixtures-$target")
  # A fixed seed and a fixed number of runs: CI explores the same inputs on every machine, so
  # a landing does not depend on luck; the time limit only caps a slow machine. Long runs to
  # find new crashes: FUZZ_RUNS=-1 FUZZ_SECONDS=3600 FUZZ_SEED=0 (0: libFuzzer picks one).
  # FUZZ_MAX_LEN caps the inputs libFuzzer makes (default 256 KiB, room for a real page).
  # Most of a run's time is libFuzzer's comparison tracing, not the inputs' size (a perf
  # profile of html_layout: ~65% in __sanitizer_cov_trace_*cmp*), so it changes little; the
  # build without comparison tracing (above) is what makes a long run faster.
  args=(-seed="${FUZZ_SEED:-20261202}" -runs="${FUZZ_RUNS:-20000}" -max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-262144}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
  dict=$(dict_of "$target")
  [ -n "$dict" ] && args+=(-dict="$dict")
  echo "fuzz: $target for ${seconds}s"
  log="artifacts/$target.log"
  mkdir -p artifacts
  if cargo +nightly fuzz run "${build[@]}" "$target" "corpus/$target" "seeds/$target" "${extra[@]}" -- "${args[@]}" >"$log" 2>&1; then
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  else
    tail -n 60 "$log" >&2
    echo "fuzz: $target FAILED (the input is in fuzz/artifacts/$target/)" >&2
    status=1
  fi
done
exit $status
