#!/usr/bin/env bash
# Exact W1 where POT cannot run (its dense n x m matrix alone would be 20 GB at 50k): Fashion-MNIST images
# (d = 784, Euclidean, uniform weights), 50,000 x 50,000, and 100,000 x 100,000 7x7 patches (train vs test, identical
# patches merged into weighted points), local mode on this machine (both cores), each with its dual certificate.
# Reports the wall time inside the process, rounds, arcs, the certificate and the peak RSS.
#   bench/exact-at-scale.sh [images N] [patches N]      defaults: 50000 100000 (about 30 minutes in all); 0 skips one
# Images: X = train[0, N), Y = train[60000 - N, 60000) moved one pixel right (and, as a second case, flipped
# left-right), so no image of Y is an image of X. Needs: Debian's dataset-fashion-mnist; `mvn -DskipTests package` done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA=/usr/share/datasets/fashion-mnist
IMAGES="${1:-50000}"
PATCHES="${2:-100000}"
OUT="$ROOT/bench/results"
mkdir -p "$OUT" "$ROOT/bench/target"
javac -d "$ROOT/bench/target" -cp "$ROOT/ot-kernels/target/classes" --add-modules jdk.incubator.vector \
  "$ROOT/bench/exact/ExactBench.java" "$ROOT/bench/entropic/PatchSinkhornBench.java" "$ROOT/bench/exact/ExactPatchBench.java" 2>/dev/null
CP="$ROOT/ot-kernels/target/classes:$ROOT/bench/target"
report="$OUT/exact-at-scale-$IMAGES-$PATCHES.md"
{
  echo "# Exact W1 at scale ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), -Xmx6g)"
  echo
  echo "| problem | distinct points | cost | status | rounds | arcs | seconds | peak RSS | max violation | relative gap |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$report.tmp"
run() {  # name, log file, java main class and args
  local name="$1" log="$2"
  shift 2
  /usr/bin/time -v -o "$log.time" java -Xmx6g --add-modules=jdk.incubator.vector -cp "$CP" "$@" > "$log.json" 2> "$log.tmp"
  grep -v WARNING "$log.tmp" > "$log"
  local rss_kb
  rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log.time")
  python3 - "$name" "$(cat "$log.json")" "$rss_kb" >> "$report.tmp" <<'PY'
import json, sys
name, r, rss_kb = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
distinct = f"{r['distinct'][0]:,} x {r['distinct'][1]:,}" if "distinct" in r else f"{r['n']:,} x {r['n']:,}"
print(f"| {name} | {distinct} | {r['cost']:.12f} | {r['status']} | {r['rounds']} | {r['arcs']:,} | {r['seconds']:.0f} "
      f"| {rss_kb / 1024 / 1024:.2f} GB | {r['max_violation']:.1e} | {r['relative_gap']:.1e} |")
PY
  tail -1 "$report.tmp"
  rm -f "$log.tmp" "$log.time" "$log.json"
}
if [[ "$IMAGES" -gt 0 ]]; then
run "$IMAGES x $IMAGES images, Y shifted one pixel" "$OUT/exact-images-${IMAGES}-shift.log" \
  ExactBench "$DATA/train-images-idx3-ubyte.gz" "$IMAGES" shift
run "$IMAGES x $IMAGES images, Y flipped" "$OUT/exact-images-${IMAGES}-mirror.log" \
  ExactBench "$DATA/train-images-idx3-ubyte.gz" "$IMAGES" mirror
fi
if [[ "$PATCHES" -gt 0 ]]; then
run "$PATCHES x $PATCHES 7x7 patches, train vs test" "$OUT/exact-patches-${PATCHES}.log" \
  ExactPatchBench "$DATA/train-images-idx3-ubyte.gz" "$DATA/t10k-images-idx3-ubyte.gz" "$PATCHES"
fi
mv "$report.tmp" "$report"
echo "written $report"
