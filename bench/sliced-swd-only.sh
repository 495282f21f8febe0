#!/usr/bin/env bash
# `ot sliced` on the driver's cores against `ot sliced --swd-only` on the executors (a shuffle by direction), side by
# side on the same inputs: the 7x7 patches (stride 7) of all 60,000 Fashion-MNIST training images (960,000) against
# those of the 10,000 test images (160,000), 128 directions, local[*]. The distributed path is for sets too large for
# the driver; on one machine it should not be the slower one. Reports wall time, seconds_solve, peak RSS and the SWD of
# each (they must agree: the same projections, the same exact 1-D W1).
#   bench/sliced-swd-only.sh            (about a minute)
# Writes bench/results/sliced-swd-only.md and appends to sliced-swd-only.csv. Needs: Debian's dataset-fashion-mnist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="$BENCH_RESULTS"
cd "$BENCH_ROOT"
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
python3 - "$OUT/sliced-swd-only" "${wall[driver]}" "${solve[driver]}" "${rss[driver]}" "${swd[driver]}" \
  "${wall[executors]}" "${solve[executors]}" "${rss[executors]}" "${swd[executors]}" <<'PY'
import sys
import benchreport
out, values = sys.argv[1], sys.argv[2:]
m = benchreport.machine()
sides = {"driver": values[0:4], "executors": values[4:8]}
lines = ["# ot sliced: driver against --swd-only on the executors", "", benchreport.header_line(m), "",
         "| path | wall s | solve s | peak RSS MB | SWD |", "|---|---|---|---|---|"]
rows = []
for side, (wall, solve, rss, swd) in sides.items():
    lines.append(f"| {side} | {wall} | {solve} | {int(rss) // 1024} | {swd} |")
    rows.append({"path": side, "wall_s": float(wall), "solve_s": float(solve), "peak_rss_mb": int(rss) // 1024, "swd": float(swd)})
ratio = float(sides["executors"][0]) / float(sides["driver"][0])
lines += ["", f"Executors' wall time over the driver's: {ratio:.2f}x (the driver path also computes the upper bound and the max-sliced estimate)."]
open(out + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(out + ".csv", rows, m)
print("\n".join(lines))
PY
