#!/usr/bin/env bash
# `ot sliced` on the driver's cores against `ot sliced --swd-only` on the executors (a shuffle by direction), side by
# side on the same inputs: the 7x7 patches (stride 7) of all 60,000 Fashion-MNIST training images (960,000) against
# those of the 10,000 test images (160,000), 128 directions, local[*]. The distributed path is for sets too large for
# the driver; on one machine it should not be the slower one. Reports wall time, seconds_solve, peak RSS and the SWD of
# each (they must agree: the same projections, the same exact 1-D W1).
#   bench/sliced-swd-only.sh            (about a minute)
# Needs: Debian's dataset-fashion-mnist; `mvn -DskipTests package` done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
cd "$ROOT"
declare -A wall solve rss swd
for side in driver executors; do
  flag=""
  [[ $side == executors ]] && flag="--swd-only"
  json=$( { /usr/bin/time -f "TIME %e %M" bin/wgan-spark ot sliced --x fashion-mnist --x-split train --y fashion-mnist --y-split test \
    --patch 7 --stride 7 $flag 2> >(grep '^TIME' > "$OUT/.sliced-$side.time") ; } )
  sleep 1
  read -r _ wall[$side] rss[$side] < "$OUT/.sliced-$side.time"
  rm -f "$OUT/.sliced-$side.time"
  solve[$side]=$(sed -E 's/.*"seconds_solve":([0-9.]+).*/\1/' <<< "$json")
  swd[$side]=$(sed -E 's/.*"swd":([0-9.eE+-]+).*/\1/' <<< "$json")
done
ratio=$(python3 -c "print(f'{${wall[executors]} / ${wall[driver]}:.2f}')")
{
  echo "# ot sliced: driver against --swd-only on the executors"
  echo
  echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(java -version 2>&1 | head -1), commit $(git rev-parse --short HEAD)"
  echo
  echo "| path | wall s | solve s | peak RSS MB | SWD |"
  echo "|---|---|---|---|---|"
  for side in driver executors; do
    echo "| $side | ${wall[$side]} | ${solve[$side]} | $(( ${rss[$side]} / 1024 )) | ${swd[$side]} |"
  done
  echo
  echo "Executors' wall time over the driver's: ${ratio}x (the driver path also computes the upper bound and the max-sliced estimate)."
} | tee "$OUT/sliced-swd-only.md"
