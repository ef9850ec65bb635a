#!/usr/bin/env bash
# A markdown table of the last fuzz run of each target, from the logs fuzz/run-ci.sh leaves
# in fuzz/artifacts/TARGET.log: executions, seconds, executions per second, and libFuzzer's
# coverage at the end (cov: edges covered; ft: features; corp: inputs in the corpus).
# Usage: bash fuzz/summary.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
echo "| target | executions | seconds | exec/s | cov (edges) | ft (features) | corpus |"
echo "|---|---:|---:|---:|---:|---:|---:|"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in artifacts/*.log; do targets+=("$(basename "$f" .log)"); done
fi
for t in "${targets[@]}"; do
  log="artifacts/$t.log"
  [ -f "$log" ] || continue
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\)/\1/p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  echo "| $t | ${runs:-?} | ${secs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} |"
done
