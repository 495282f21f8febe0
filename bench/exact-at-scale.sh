#!/usr/bin/env bash
# Exact W1 where POT cannot run (its dense n x m matrix alone would be 20 GB at 50k): Fashion-MNIST images
# (d = 784, Euclidean, uniform weights), 50,000 x 50,000, and 100,000 x 100,000 7x7 patches (train vs test, identical
# patches merged into weighted points), local mode on this machine (both cores), each with its dual certificate.
# Reports the wall time inside the process, rounds, arcs, the certificate and the peak RSS.
#   bench/exact-at-scale.sh [images N] [patches N]      defaults: 50000 100000 (about 30 minutes on 2 cores); 0 skips one
# Images: X = train[0, N), Y = train[60000 - N, 60000) moved one pixel right (and, as a second case, flipped
# left-right), so no image of Y is an image of X. Writes bench/results/exact-at-scale.md (and each solve's log next
# to it) and appends to exact-at-scale.csv. Needs: Debian's dataset-fashion-mnist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DATA=/usr/share/datasets/fashion-mnist
IMAGES="${1:-50000}"
PATCHES="${2:-100000}"
OUT="$BENCH_RESULTS"
runs="$BENCH_ROOT/bench/target/exact-at-scale.jsonl"; : > "$runs"
run() {  # name, log file, java main class and args
  local name="$1" log="$2"
  shift 2
  /usr/bin/time -v -o "$log.time" java -Xmx6g -Dprogress=true --add-modules=jdk.incubator.vector -cp "$BENCH_JAR" "$@" > "$log.json" 2> "$log.tmp"
  grep -v WARNING "$log.tmp" > "$log" || true  # the solver's round lines
  local rss_kb
  rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log.time")
  python3 -c 'import json,sys; r=json.loads(sys.argv[2]); r["problem"]=sys.argv[1]; r["rss_kb"]=int(sys.argv[3]); print(json.dumps(r))' \
    "$name" "$(cat "$log.json")" "$rss_kb" >> "$runs"
  echo "[bench] $name: $(tail -1 "$runs")" >&2
  rm -f "$log.tmp" "$log.time" "$log.json"
}
if [[ "$IMAGES" -gt 0 ]]; then
run "$IMAGES x $IMAGES images, Y shifted one pixel" "$OUT/exact-images-${IMAGES}-shift.log" \
  org.wganspark.bench.ExactBench "$DATA/train-images-idx3-ubyte.gz" "$IMAGES" shift
run "$IMAGES x $IMAGES images, Y flipped" "$OUT/exact-images-${IMAGES}-mirror.log" \
  org.wganspark.bench.ExactBench "$DATA/train-images-idx3-ubyte.gz" "$IMAGES" mirror
fi
if [[ "$PATCHES" -gt 0 ]]; then
run "$PATCHES x $PATCHES 7x7 patches, train vs test" "$OUT/exact-patches-${PATCHES}.log" \
  org.wganspark.bench.ExactPatchBench "$DATA/train-images-idx3-ubyte.gz" "$DATA/t10k-images-idx3-ubyte.gz" "$PATCHES"
fi
python3 - "$runs" "$OUT/exact-at-scale" <<'PY'
import json, sys
import benchreport
m = benchreport.machine()
lines = ["# Exact W1 at scale, with dual certificates", "", benchreport.header_line(m) + " Local mode, -Xmx6g.", "",
         "| problem | distinct points | cost | status | rounds | arcs | seconds | peak RSS | max violation | relative gap |",
         "|---|---|---|---|---|---|---|---|---|---|"]
rows = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    distinct = f"{r['distinct'][0]:,} x {r['distinct'][1]:,}" if "distinct" in r else f"{r['n']:,} x {r['n']:,}"
    lines.append(f"| {r['problem']} | {distinct} | {r['cost']:.12f} | {r['status']} | {r['rounds']} | {r['arcs']:,} | {r['seconds']:.0f} "
                 f"| {r['rss_kb'] / 1024 / 1024:.2f} GB | {r['max_violation']:.1e} | {r['relative_gap']:.1e} |")
    rows.append({"problem": r["problem"], "distinct": distinct, "cost": r["cost"], "status": r["status"], "rounds": r["rounds"],
                 "arcs": r["arcs"], "seconds": r["seconds"], "peak_rss_gb": round(r["rss_kb"] / 1024 / 1024, 2),
                 "max_violation": r["max_violation"], "relative_gap": r["relative_gap"]})
open(sys.argv[2] + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(sys.argv[2] + ".csv", rows, m)
print("\n".join(lines))
PY
