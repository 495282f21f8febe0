#!/usr/bin/env bash
# Parameter averaging on the local standalone cluster: 2 one-core workers against 1, at equal samples seen.
# Each worker takes `iterations` critic steps on its own shard per run, so 1 worker runs N steps and 2 workers run
# N/2 steps each (the same N x 64 real images seen). Reports the training seconds of each and their ratio.
#   bench/train-scaling.sh [N=400] [config=conf/train-fig5-fashion.conf]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${1:-400}"
CONFIG="${2:-conf/train-fig5-fashion.conf}"
OUT="${WGAN_BENCH_OUT:-/tmp/wgan-train-scaling}"
export WGAN_CLUSTER_DIR="$OUT/cluster" WGAN_MASTER_PORT=17277 WGAN_MASTER_UI_PORT=18280
mkdir -p "$OUT"
declare -A seconds
for workers in 1 2; do
  deploy/local-standalone.sh stop >/dev/null 2>&1 || true
  deploy/local-standalone.sh start --workers "$workers" --cores 1 --memory 5g >&2
  steps=$((N / workers))
  json=$(WGAN_SUBMIT_ARGS="--executor-memory 4g" bin/wgan-spark --master "spark://127.0.0.1:$WGAN_MASTER_PORT" train --config "$CONFIG" \
    --iterations "$steps" --out "$OUT/run-$workers" "train.log-every=$steps" "data.partitions=$workers" train.eval-rows=1000 | tail -n 1)
  seconds[$workers]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$json")
  echo "[bench] $workers worker(s), $steps critic steps each: ${seconds[$workers]} s" >&2
done
deploy/local-standalone.sh stop >/dev/null 2>&1 || true
python3 - "${seconds[1]}" "${seconds[2]}" "$N" <<'PY'
import sys
one, two, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"| samples seen | 1 worker s | 2 workers s | speed-up |\n|---|---|---|---|\n| {n} x 64 | {one:.1f} | {two:.1f} | {one / two:.2f} |")
PY
