#!/usr/bin/env bash
# Entropic OT between the 7x7 patches (stride 7) of Fashion-MNIST train[0, N/16) and test[0, N/16): eps = 0.05 x
# the median cost, marginal error 1e-6, local mode on this machine (both cores). Reports the wall time inside the
# process, the iterations, the time per iteration, the peak RSS, and next to them the machine's limit for this
# work: the same number of pairwise products as one float32 GEMM (numpy's OpenBLAS).
#   bench/sinkhorn-patches.sh [N]        default: 100000 (about 17 minutes on 2 cores)
# Writes bench/results/sinkhorn-patches.md (and the solver's log next to it) and appends to sinkhorn-patches.csv.
# Needs: Debian's dataset-fashion-mnist and numpy (python3-numpy).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$BENCH_ROOT"
DATA=/usr/share/datasets/fashion-mnist
N="${1:-100000}"
log="$BENCH_RESULTS/sinkhorn-patches-$((N / 1000))k.log"
# numpy first (a failure here must not come after a long run)
gemm=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$ROOT/bench/entropic/gemm_limit.py")
# a 3 GB heap: the run's arrays are ~0.3 GB; without a bound the JVM would grow its heap toward 6 GB before collecting
/usr/bin/time -v -o "$log.time" java -Xmx3g --add-modules=jdk.incubator.vector -cp "$BENCH_JAR" \
  org.wganspark.bench.PatchSinkhornBench "$DATA/train-images-idx3-ubyte.gz" "$DATA/t10k-images-idx3-ubyte.gz" "$N" > "$log.json" 2> "$log.tmp"
grep -v WARNING "$log.tmp" > "$log"
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log.time")
rm -f "$log.tmp" "$log.time"
python3 - "$(cat "$log.json")" "$rss_kb" "$gemm" "$BENCH_RESULTS/sinkhorn-patches" <<'PY'
import json, re, sys
import benchreport
r, rss_kb, gemm, out = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
gemm_s = float(re.search(r"all 80,610 rows: ([0-9.]+) s", gemm).group(1))
m = benchreport.machine()
lines = [f"# Entropic OT, {r['n']:,} x {r['n']:,} Fashion-MNIST 7x7 patches ({r['distinct'][0]:,} x {r['distinct'][1]:,} distinct)", "",
         benchreport.header_line(m), "",
         "| eps | iterations | status | marginal error (L1) | seconds | s / iteration | one GEMM of the same pairs, s | iteration / GEMM | peak RSS |",
         "|---|---|---|---|---|---|---|---|---|",
         f"| {r['eps']:.4f} | {r['iterations']} | {r['status']} | {r['marginal_error_l1']:.2g} | {r['seconds']:.0f} "
         f"| {r['seconds_per_iteration']:.1f} | {gemm_s:.1f} | {r['seconds_per_iteration'] / gemm_s:.1f} | {rss_kb / 1024 / 1024:.2f} GB |", "",
         f"<P, C> = {r['cost']:.10f}, objective {r['objective']:.10f}; one pass of all costs alone: {r['cost_pass_seconds']:.1f} s. GEMM: {gemm}"]
open(out + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(out + ".csv", [{"n": r["n"], "eps": r["eps"], "iterations": r["iterations"], "status": r["status"],
    "marginal_error_l1": r["marginal_error_l1"], "seconds": r["seconds"], "seconds_per_iteration": r["seconds_per_iteration"],
    "gemm_s": gemm_s, "iteration_over_gemm": round(r["seconds_per_iteration"] / gemm_s, 2), "peak_rss_gb": round(rss_kb / 1024 / 1024, 2),
    "cost": r["cost"]}], m)
print("\n".join(lines))
PY
rm -f "$log.json"
