#!/usr/bin/env bash
# Entropic OT, Fashion-MNIST images (d = 784, Euclidean, uniform weights), ours vs POT's
# ot.sinkhorn(method="sinkhorn_log"), side by side on this machine in one run. reg = 0.01 x the largest cost,
# stop at marginal error 1e-9 (ours: L1 over both marginals; POT: its own stopThr check). Times are measured
# inside each process (cost matrix + solve).
#   bench/sinkhorn-vs-pot.sh [sizes...]        default: 2000
# Writes bench/results/sinkhorn-vs-pot.md and appends to sinkhorn-vs-pot.csv.
# Needs: Debian's python3-pot and dataset-fashion-mnist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$BENCH_ROOT"
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(2000)
java_cmd=(java --add-modules=jdk.incubator.vector -Xmx12g -cp "$BENCH_JAR" org.wganspark.bench.SinkhornBench)
python_cmd=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
runs="$ROOT/bench/target/sinkhorn-vs-pot.jsonl"; : > "$runs"
for n in "${sizes[@]}"; do
  reg=$("${java_cmd[@]}" "$DATA" "$n" 2>/dev/null)
  pot=$("${python_cmd[@]}" "$ROOT/bench/entropic/pot_sinkhorn.py" "$DATA" "$n" "$reg" 1e-9)
  ours=$("${java_cmd[@]}" "$DATA" "$n" "$reg" 1e-9 2>/dev/null)
  echo "{\"reg\": $reg, \"pot\": $pot, \"ours\": $ours}" >> "$runs"
done
python3 - "$runs" "$BENCH_RESULTS/sinkhorn-vs-pot" <<'PY'
import json, sys
import benchreport
m = benchreport.machine()
lines = ["# Entropic OT vs POT (ot.sinkhorn, log domain), Fashion-MNIST images", "", benchreport.header_line(m), "",
         "| n = m | reg | POT <P,C> | ours <P,C> | rel. diff | POT iterations | ours | POT s | ours s | ours / POT |",
         "|---|---|---|---|---|---|---|---|---|---|"]
rows = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    p, o, reg = r["pot"], r["ours"], r["reg"]
    rel = abs(p["cost"] - o["cost"]) / p["cost"]
    lines.append(f'| {o["n"]} | {reg:.4f} | {p["cost"]:.12f} | {o["cost"]:.12f} | {rel:.1e} | {p["iterations"]} | {o["iterations"]} | '
                 f'{p["seconds"]:.2f} | {o["seconds"]:.2f} | {o["seconds"] / p["seconds"]:.3f} |')
    rows.append({"n": o["n"], "reg": reg, "pot_cost": p["cost"], "ours_cost": o["cost"], "pot_iterations": p["iterations"],
                 "ours_iterations": o["iterations"], "pot_s": p["seconds"], "ours_s": o["seconds"], "ours_over_pot": round(o["seconds"] / p["seconds"], 3)})
open(sys.argv[2] + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(sys.argv[2] + ".csv", rows, m)
print("\n".join(lines))
PY
