#!/usr/bin/env bash
# Exact W1, Fashion-MNIST images (d = 784, Euclidean, uniform weights), ours vs POT's ot.emd2, side by side on
# this machine in one run. Times are measured inside each process (cost + solve; data loading and library loading
# excluded on both sides: numpy/POT's import, our OpenBLAS load through JavaCPP). Ours three times:
# the first solve in a fresh JVM (JIT compilation included), in a JVM that has solved one 1000 x 1000 problem
# before (warm: a Spark executor's later tasks), and after five (steady: the JIT done, as in a training run that
# evaluates W1 at every log interval, e.g. Fig. 6's 1000 generated against 1000 training images).
#   [REPEATS=k] bench/exact-vs-pot.sh [sizes...]        default: 1000 2000 5000 10000, three runs of each side
# The sides run k times interleaved and the table gives the median times (a shared machine's times move from run to
# run, POT's as much as ours). Writes bench/results/exact-vs-pot.md and appends to exact-vs-pot.csv.
# Needs: Debian's python3-pot and dataset-fashion-mnist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$BENCH_ROOT"
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 2000 5000 10000)
REPEATS="${REPEATS:-3}"
# ND4J's OpenBLAS build misdetects some CPU types unless told the core type, as bin/wgan-spark does
source "$ROOT/deploy/openblas-core.sh"
# Debian's numpy and OpenBLAS, without the OpenBLAS core-type override (it slows numpy).
python_cmd=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u OMP_NUM_THREADS /usr/bin/python3)
# Ours with one OpenBLAS thread, as bin/wgan-spark runs it: the cost matrix then goes in row blocks on both cores.
java_cmd=(env OMP_NUM_THREADS=1 java --add-modules=jdk.incubator.vector -Xmx12g -cp "$BENCH_JAR")
main=org.wganspark.bench.ExactBench
runs="$ROOT/bench/target/exact-vs-pot.jsonl"; : > "$runs"
for n in "${sizes[@]}"; do
  for r in $(seq 1 "$REPEATS"); do  # the four sides interleaved, so a slow spell of the machine hits all of them
    echo "pot $("${python_cmd[@]}" "$ROOT/bench/exact/pot_exact.py" "$DATA" "$n")" >> "$runs"
    echo "ours $("${java_cmd[@]}" "$main" "$DATA" "$n" 2>/dev/null)" >> "$runs"
    echo "warm $("${java_cmd[@]}" -Dwarmups=1 "$main" "$DATA" "$n" 2>/dev/null)" >> "$runs"
    echo "steady $("${java_cmd[@]}" -Dwarmups=5 "$main" "$DATA" "$n" 2>/dev/null)" >> "$runs"
    echo "[bench] n = $n, run $r of $REPEATS done" >&2
  done
done
python3 - "$runs" "$REPEATS" "$BENCH_RESULTS/exact-vs-pot" <<'PY'
import json, statistics, sys
import benchreport
runs, repeats, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
by_n = {}
for line in open(runs):
    name, text = line.split(" ", 1)
    r = json.loads(text)
    by_n.setdefault(int(r["n"]), {"pot": [], "ours": [], "warm": [], "steady": []})[name].append(r)
m = benchreport.machine()
lines = [f"# Exact W1 vs POT (ot.emd2), Fashion-MNIST images", "", benchreport.header_line(m) + f" Medians of {repeats} interleaved runs.", "",
         "| n = m | POT cost | ours cost | rel. diff | POT s | ours s (fresh JVM) | ours / POT | ours s (warm JVM) | warm / POT | ours s (steady) | steady / POT | our certificate: max violation, gap |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
rows = []
for n, side in sorted(by_n.items()):
    p, o = side["pot"][0], side["ours"][0]
    ours_all = side["ours"] + side["warm"] + side["steady"]
    # without OpenBLAS the cost matrix falls back to Java loops: not a run to report
    assert all(r["blas"] for r in ours_all), "OpenBLAS did not load on our side"
    assert all(r["cost"] == o["cost"] for r in ours_all), "our cost changed between runs"
    rel = abs(p["cost"] - o["cost"]) / p["cost"]
    ps, os_, ws, ss = (statistics.median(r["seconds"] for r in side[k]) for k in ("pot", "ours", "warm", "steady"))
    lines.append(f'| {n} | {p["cost"]:.12f} | {o["cost"]:.12f} | {rel:.1e} | {ps:.2f} | {os_:.2f} | {os_ / ps:.2f} | {ws:.2f} | '
                 f'{ws / ps:.2f} | {ss:.3f} | {ss / ps:.2f} | {o["max_violation"]:.1e}, {o["relative_gap"]:.1e} |')
    rows.append({"n": n, "repeats": repeats, "pot_cost": p["cost"], "ours_cost": o["cost"], "pot_s": ps, "ours_fresh_s": os_,
                 "ours_warm_s": ws, "ours_steady_s": ss, "fresh_over_pot": round(os_ / ps, 3), "steady_over_pot": round(ss / ps, 3),
                 "max_violation": o["max_violation"], "relative_gap": o["relative_gap"]})
open(out + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(out + ".csv", rows, m)
print("\n".join(lines))
PY
