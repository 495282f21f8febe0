#!/usr/bin/env bash
# Exact W1, Fashion-MNIST images (d = 784, Euclidean, uniform weights), ours vs POT's ot.emd2, side by side on
# this machine in one run. Times are measured inside each process (cost + solve; data loading and library loading
# excluded on both sides: numpy/POT's import, our OpenBLAS load through JavaCPP). Ours three times:
# the first solve in a fresh JVM (JIT compilation included), in a JVM that has solved one 1000 x 1000 problem
# before (warm: a Spark executor's later tasks), and after five (steady: the JIT done, as in a training run that
# evaluates W1 at every log interval, e.g. Fig. 6's 1000 generated against 1000 training images).
#   [REPEATS=k] bench/exact-vs-pot.sh [sizes...]        default: 1000 2000 5000 10000, one run of each side
# With REPEATS the sides run k times interleaved and the table gives the median times (this VM's times move by up to
# 50 % from run to run, POT's as much as ours).
# Needs: Debian's python3-pot and dataset-fashion-mnist; `mvn -DskipTests package` done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
OUT="$ROOT/bench/results"
mkdir -p "$OUT" "$ROOT/bench/target"
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 2000 5000 10000)
REPEATS="${REPEATS:-1}"  # runs of each side per size; the table gives the medians
# ot-kernels and its one dependency (OpenBLAS through JavaCPP), resolved offline from the local repository
(cd "$ROOT" && mvn -q -o dependency:build-classpath -pl ot-kernels -Dmdep.outputFile="$ROOT/bench/target/ot-kernels.classpath" >/dev/null)
CP="$ROOT/ot-kernels/target/classes:$ROOT/bench/target:$(cat "$ROOT/bench/target/ot-kernels.classpath")"
javac -d "$ROOT/bench/target" -cp "$CP" "$ROOT/bench/exact/ExactBench.java"
# ND4J's OpenBLAS build misdetects this CPU type (Prescott kernels) unless told the core type, as bin/wgan-spark does
source "$ROOT/deploy/openblas-core.sh"
# Debian's numpy and OpenBLAS, without this workplace's OpenBLAS core-type override (it slows numpy).
python_cmd=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u OMP_NUM_THREADS /usr/bin/python3)
# Ours with one OpenBLAS thread, as bin/wgan-spark runs it: the cost matrix then goes in row blocks on both cores.
java_cmd=(env OMP_NUM_THREADS=1 java --add-modules=jdk.incubator.vector -Xmx12g -cp "$CP")
report="$OUT/exact-vs-pot.md"
{
  echo "# Exact W1 vs POT ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), medians of $REPEATS interleaved runs)"
  echo
  echo "| n = m | POT cost | ours cost | rel. diff | POT s | ours s (fresh JVM) | ours / POT | ours s (warm JVM) | warm / POT | ours s (steady) | steady / POT | our certificate: max violation, gap |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$report.tmp"
for n in "${sizes[@]}"; do
  runs="$ROOT/bench/target/exact-$n.jsonl"; : > "$runs"
  for r in $(seq 1 "$REPEATS"); do  # the four sides interleaved, so a slow spell of the VM hits all of them
    echo "pot $("${python_cmd[@]}" "$ROOT/bench/exact/pot_exact.py" "$DATA" "$n")" >> "$runs"
    echo "ours $("${java_cmd[@]}" ExactBench "$DATA" "$n" 2>/dev/null)" >> "$runs"
    echo "warm $("${java_cmd[@]}" -Dwarmups=1 ExactBench "$DATA" "$n" 2>/dev/null)" >> "$runs"
    echo "steady $("${java_cmd[@]}" -Dwarmups=5 ExactBench "$DATA" "$n" 2>/dev/null)" >> "$runs"
  done
  /usr/bin/python3 - "$runs" >> "$report.tmp" <<'PY'
import json, statistics, sys
side = {"pot": [], "ours": [], "warm": [], "steady": []}
for line in open(sys.argv[1]):
    name, text = line.split(" ", 1)
    side[name].append(json.loads(text))
p, o = side["pot"][0], side["ours"][0]
# without OpenBLAS the cost matrix falls back to Java loops (1.3 s instead of 0.1 at n = 1000): not a run to report
assert all(r["blas"] for r in side["ours"] + side["warm"] + side["steady"]), "OpenBLAS did not load on our side; see bench/target/ot-kernels.classpath"
assert all(r["cost"] == o["cost"] for r in side["ours"] + side["warm"] + side["steady"]), "our cost changed between runs"
rel = abs(p["cost"] - o["cost"]) / p["cost"]
ps, os_, ws, ss = (statistics.median(r["seconds"] for r in side[k]) for k in ("pot", "ours", "warm", "steady"))
print(f'| {o["n"]} | {p["cost"]:.12f} | {o["cost"]:.12f} | {rel:.1e} | {ps:.2f} | {os_:.2f} | '
      f'{os_ / ps:.2f} | {ws:.2f} | {ws / ps:.2f} | {ss:.3f} | {ss / ps:.2f} | '
      f'{o["max_violation"]:.1e}, {o["relative_gap"]:.1e} |')
PY
  tail -1 "$report.tmp"
done
mv "$report.tmp" "$report"
echo "written $report"
