#!/usr/bin/env bash
# Runs the rollout bench N times, each in a fresh process (as a user's command runs), and prints
# each run's wall seconds and the median and best of each figure: this VM's speed varies run to run,
# so one run says little.
#
#   npm run build && bash test/bench/rollout-runs.sh [N=5] [bench options…]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-5}
shift || true
runs=$(mktemp)
trap 'rm -f "$runs"' EXIT
for i in $(seq 1 "$n"); do
  out=$(node --import tsx test/bench/rollout.bench.ts "$@")
  cal=$(sed -nE 's/^calibration.*: ([0-9]+) ms$/\1/p' <<<"$out")
  create=$(sed -nE 's/.*created → Available in ([0-9.]+) s wall.*/\1/p' <<<"$out")
  roll=$(sed -nE 's/^rolling update.*: ([0-9.]+) s wall.*/\1/p' <<<"$out")
  many=$(sed -nE 's/.*created → all Available in ([0-9.]+) s wall.*/\1/p' <<<"$out")
  echo "run $i: calibration ${cal} ms, create ${create} s, roll ${roll} s, many ${many} s"
  echo "$cal $create $roll $many" >>"$runs"
done
stat() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %s, best %s", m, v[1] }'; }
echo "calibration: $(cut -d' ' -f1 "$runs" | stat) ms"
echo "create → Available: $(cut -d' ' -f2 "$runs" | stat) s"
echo "roll (target ≤ 2 s at 1,000 replicas): $(cut -d' ' -f3 "$runs" | stat) s"
echo "many to Available (target ≤ 3 s at 100 × 30): $(cut -d' ' -f4 "$runs" | stat) s"
