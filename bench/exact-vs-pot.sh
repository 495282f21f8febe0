#!/usr/bin/env bash
# Exact W1, Fashion-MNIST images (d = 784, Euclidean, uniform weights), ours vs POT's ot.emd2, side by side on
# this machine in one run. Times are measured inside each process (cost + solve; data loading and library loading
# excluded on both sides: numpy/POT's import, our OpenBLAS load through JavaCPP). Ours twice:
# the first solve in a fresh JVM (JIT compilation included), and in a JVM that has solved a 1000 x 1000 problem
# before (warm: a training run's W1 evaluations, a Spark executor's later tasks).
#   bench/exact-vs-pot.sh [sizes...]        default: 1000 2000 5000 10000
# Needs: Debian's python3-pot and dataset-fashion-mnist; `mvn -DskipTests package` done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
OUT="$ROOT/bench/results"
mkdir -p "$OUT" "$ROOT/bench/target"
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 2000 5000 10000)
# ot-kernels and its one dependency (OpenBLAS through JavaCPP), resolved offline from the local repository
(cd "$ROOT" && mvn -q -o dependency:build-classpath -pl ot-kernels -Dmdep.outputFile="$ROOT/bench/target/ot-kernels.classpath" >/dev/null)
CP="$ROOT/ot-kernels/target/classes:$ROOT/bench/target:$(cat "$ROOT/bench/target/ot-kernels.classpath")"
javac -d "$ROOT/bench/target" -cp "$CP" "$ROOT/bench/exact/ExactBench.java"
# ND4J's OpenBLAS build misdetects this CPU type (Prescott kernels) unless told the core type, as bin/wgan-spark does
source "$ROOT/deploy/openblas-core.sh"
# Debian's numpy and OpenBLAS, without this workplace's OpenBLAS core-type override (it slows numpy).
python_cmd=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
report="$OUT/exact-vs-pot.md"
{
  echo "# Exact W1 vs POT ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo
  echo "| n = m | POT cost | ours cost | rel. diff | POT s | ours s (fresh JVM) | ours / POT | ours s (warm JVM) | warm / POT | our certificate: max violation, gap |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$report.tmp"
for n in "${sizes[@]}"; do
  pot=$("${python_cmd[@]}" "$ROOT/bench/exact/pot_exact.py" "$DATA" "$n")
  ours=$(java --add-modules=jdk.incubator.vector -Xmx12g -cp "$CP" ExactBench "$DATA" "$n" 2>/dev/null)
  warm=$(java -Dwarm=true --add-modules=jdk.incubator.vector -Xmx12g -cp "$CP" ExactBench "$DATA" "$n" 2>/dev/null)
  /usr/bin/python3 - "$pot" "$ours" "$warm" >> "$report.tmp" <<'PY'
import json, sys
p, o, w = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
# without OpenBLAS the cost matrix falls back to Java loops (1.3 s instead of 0.1 at n = 1000): not a run to report
assert o["blas"] and w["blas"], "OpenBLAS did not load on our side; see bench/target/ot-kernels.classpath"
rel = abs(p["cost"] - o["cost"]) / p["cost"]
assert w["cost"] == o["cost"], (w["cost"], o["cost"])
print(f'| {o["n"]} | {p["cost"]:.12f} | {o["cost"]:.12f} | {rel:.1e} | {p["seconds"]:.2f} | {o["seconds"]:.2f} | '
      f'{o["seconds"] / p["seconds"]:.2f} | {w["seconds"]:.2f} | {w["seconds"] / p["seconds"]:.2f} | '
      f'{o["max_violation"]:.1e}, {o["relative_gap"]:.1e} |')
PY
  tail -1 "$report.tmp"
done
mv "$report.tmp" "$report"
echo "written $report"
