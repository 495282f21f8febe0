#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: does training on ND4J's CUDA backend give the CPU's numbers?
#
#   deploy/gpu-check.sh [steps=200] [tolerance=0.01]
#
# Builds the CPU jar and the -Pcuda jar, trains the paper's Fig. 5 config (FC critic) and Fig. 7 config (CNN critic
# with global average pooling) for `steps` critic steps with the same seed on the CPU and on the GPU, and compares
# the exact image W1 and patch W1 of every evaluation (every 50 steps). Prints one verdict line:
#   gpu-check: PASS fig5 (W1 at 200: cpu 21.71 gpu 21.72, largest relative difference 0.4 %), fig7 (...)
# and exits 0 when every pair of values agrees within `tolerance` (relative), 1 when one does not, 2 when there is no
# GPU or a build or run fails. The GPU runs on `kernels = portable` (what CUDA runs); the CPU reference runs the
# default `auto`, the hand-written CPU steps, so the check covers both kernel paths against each other too. (On the
# CPU alone, auto and portable agree to about 0.1 % in W1 after 200 steps of either config; hence 1 % by default.)
# Needs: nvidia-smi, CUDA 11.6 and cuDNN 8.3 libraries on the library path (what ND4J 1.0.0-M2.1's CUDA backend
# links), Debian's dataset-fashion-mnist (or network access for the download), Maven with access to Maven Central
# the first time. Work folder: $GPU_CHECK_OUT (default /tmp/wgan-gpu-check).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEPS="${1:-200}"
TOLERANCE="${2:-0.01}"
OUT="${GPU_CHECK_OUT:-/tmp/wgan-gpu-check}"
say() { echo "[gpu-check] $*" >&2; }
verdict() { echo "gpu-check: $*"; }

if ! nvidia-smi -L > "$OUT.gpus" 2>/dev/null || [[ ! -s "$OUT.gpus" ]]; then
  verdict "NO GPU: nvidia-smi lists no NVIDIA GPU on this machine"; exit 2
fi
say "$(head -1 "$OUT.gpus")"
mkdir -p "$OUT"
cd "$ROOT"

# Two jars from one tree: the CPU build first, copied aside, then the CUDA build.
say "building the CPU jar"
mvn -q -B -DskipTests package > "$OUT/build-cpu.log" 2>&1 || { verdict "BUILD FAILED (CPU): see $OUT/build-cpu.log"; exit 2; }
cp spark-jobs/target/wgan-spark.jar "$OUT/wgan-spark-cpu.jar"
say "building the CUDA jar (-Pcuda)"
mvn -q -B -Pcuda -DskipTests package > "$OUT/build-cuda.log" 2>&1 || { verdict "BUILD FAILED (-Pcuda): see $OUT/build-cuda.log"; exit 2; }
cp spark-jobs/target/wgan-spark.jar "$OUT/wgan-spark-cuda.jar"
# leave the tree with the CPU jar, as a plain build would
cp "$OUT/wgan-spark-cpu.jar" spark-jobs/target/wgan-spark.jar

train() {  # name, jar, config, kernels
  local name="$1" jar="$2" config="$3" kernels="$4"
  say "training $name ($STEPS critic steps)"
  WGAN_JAR="$jar" bin/wgan-spark train --config "$config" --iterations "$STEPS" --out "$OUT/$name" --overwrite \
    seed=1 data.partitions=1 train.log-every=50 train.eval-rows=2000 kernels="$kernels" > "$OUT/$name.json" 2> "$OUT/$name.log" \
    || { verdict "RUN FAILED ($name): see $OUT/$name.log"; exit 2; }
}
for fig in fig5 fig7; do
  config=conf/train-fig5-fashion.conf
  [[ $fig == fig7 ]] && config=conf/train-fig7-cnn-fashion.conf
  train "$fig-cpu" "$OUT/wgan-spark-cpu.jar" "$config" auto
  train "$fig-gpu" "$OUT/wgan-spark-cuda.jar" "$config" portable
done
grep -qi "cuda" "$OUT/fig5-gpu.log" "$OUT/fig7-gpu.log" || say "the GPU runs' logs do not mention CUDA: check that ND4J chose its CUDA backend"

python3 - "$OUT" "$TOLERANCE" <<'PY'
import csv, sys
out, tolerance = sys.argv[1], float(sys.argv[2])
parts, ok = [], True
for fig in ("fig5", "fig7"):
    cpu = list(csv.DictReader(open(f"{out}/{fig}-cpu/metrics.csv")))
    gpu = list(csv.DictReader(open(f"{out}/{fig}-gpu/metrics.csv")))
    if len(cpu) != len(gpu) or not cpu:
        parts.append(f"{fig} (evaluations: cpu {len(cpu)}, gpu {len(gpu)})")
        ok = False
        continue
    worst = 0.0
    for c, g in zip(cpu, gpu):
        for key in ("sample_w1", "sample_patch_w1"):
            if c.get(key) and g.get(key):
                a, b = float(c[key]), float(g[key])
                worst = max(worst, abs(a - b) / max(abs(a), 1e-12))
    ok = ok and worst <= tolerance
    parts.append(f"{fig} (W1 at {cpu[-1]['iteration']}: cpu {float(cpu[-1]['sample_w1']):.4f} gpu {float(gpu[-1]['sample_w1']):.4f}, "
                 f"largest relative difference {100 * worst:.2f} %)")
print("gpu-check: " + ("PASS " if ok else f"FAIL (tolerance {100 * tolerance:.1f} %) ") + ", ".join(parts))
sys.exit(0 if ok else 1)
PY
