#!/usr/bin/env bash
# Entropic OT, Fashion-MNIST images (d = 784, Euclidean, uniform weights), ours vs POT's
# ot.sinkhorn(method="sinkhorn_log"), side by side on this machine in one run. reg = 0.01 x the largest cost,
# stop at marginal error 1e-9 (ours: L1 over both marginals; POT: its own stopThr check). Times are measured
# inside each process (cost matrix + solve).
#   bench/sinkhorn-vs-pot.sh [sizes...]        default: 2000
# Needs: Debian's python3-pot and dataset-fashion-mnist; `mvn -DskipTests package` done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
OUT="$ROOT/bench/results"
mkdir -p "$OUT" "$ROOT/bench/target"
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(2000)
javac -d "$ROOT/bench/target" -cp "$ROOT/ot-kernels/target/classes" --add-modules jdk.incubator.vector \
  "$ROOT/bench/exact/ExactBench.java" "$ROOT/bench/entropic/SinkhornBench.java" 2>/dev/null
java_cmd=(java --add-modules=jdk.incubator.vector -Xmx12g -cp "$ROOT/ot-kernels/target/classes:$ROOT/bench/target")
python_cmd=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
report="$OUT/sinkhorn-vs-pot.md"
{
  echo "# Entropic OT vs POT ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo
  echo "| n = m | reg | POT <P,C> | ours <P,C> | rel. diff | POT iterations | ours | POT s | ours s | ours / POT |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$report.tmp"
for n in "${sizes[@]}"; do
  reg=$("${java_cmd[@]}" SinkhornBench "$DATA" "$n" 2>/dev/null)
  pot=$("${python_cmd[@]}" "$ROOT/bench/entropic/pot_sinkhorn.py" "$DATA" "$n" "$reg" 1e-9)
  ours=$("${java_cmd[@]}" SinkhornBench "$DATA" "$n" "$reg" 1e-9 2>/dev/null)
  /usr/bin/python3 - "$pot" "$ours" "$reg" >> "$report.tmp" <<'PY'
import json, sys
p, o, reg = json.loads(sys.argv[1]), json.loads(sys.argv[2]), float(sys.argv[3])
rel = abs(p["cost"] - o["cost"]) / p["cost"]
print(f'| {o["n"]} | {reg:.4f} | {p["cost"]:.12f} | {o["cost"]:.12f} | {rel:.1e} | {p["iterations"]} | {o["iterations"]} | '
      f'{p["seconds"]:.2f} | {o["seconds"]:.2f} | {o["seconds"] / p["seconds"]:.3f} |')
PY
  tail -1 "$report.tmp"
done
mv "$report.tmp" "$report"
echo "written $report"
