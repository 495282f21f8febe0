#!/usr/bin/env bash
# Parameter averaging on the local standalone cluster: 2 one-core workers against 1, at equal samples seen.
# Each worker takes `iterations` critic steps on its own shard per run, so 1 worker runs N steps and 2 workers run
# N/2 steps each (the same N x 64 real images seen). Reports the training seconds of each and their ratio.
# Then the machine's ceiling for that ratio: two independent one-worker runs of N/2 steps at the same time on the
# same two workers (no averaging at all), against the one-worker run; what two training processes get from two
# cores here, before any communication.
#   bench/train-scaling.sh [N=2000] [config=conf/train-fig5-fashion.conf] [key=value ...]   (e.g. train.averaging-frequency=50)
# One worker runs the rounds between evaluations in one task (no exchange to make); two exchange their states every
# averaging-frequency steps among themselves (train.exchange=auto: peers; pass train.exchange=driver to average at
# the driver). Writes bench/results/train-scaling.md and appends to train-scaling.csv.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BENCH_ROOT"
N="${1:-2000}"
CONFIG="${2:-conf/train-fig5-fashion.conf}"
EXTRA=("${@:3}")
OUT="${WGAN_BENCH_OUT:-/tmp/wgan-train-scaling}"
export WGAN_CLUSTER_DIR="$OUT/cluster" WGAN_MASTER_PORT=17277 WGAN_MASTER_UI_PORT=18280
mkdir -p "$OUT"
seconds_of() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$1"; }
train() {  # workers-in-this-app, steps, out, extra submit args
  WGAN_SUBMIT_ARGS="--executor-memory 4g ${4:-}" bin/wgan-spark --master "spark://127.0.0.1:$WGAN_MASTER_PORT" train --config "$CONFIG" \
    --iterations "$2" --out "$3" --overwrite "train.log-every=$2" "data.partitions=$1" train.eval-rows=1000 train.exchange=auto "${EXTRA[@]}" | tail -n 1
}
declare -A seconds
for workers in 1 2; do
  deploy/local-standalone.sh stop >/dev/null 2>&1 || true
  deploy/local-standalone.sh start --workers "$workers" --cores 1 --memory 5g >&2
  steps=$((N / workers))
  seconds[$workers]=$(seconds_of "$(train "$workers" "$steps" "$OUT/run-$workers")")
  echo "[bench] $workers worker(s), $steps critic steps each: ${seconds[$workers]} s" >&2
done
# the ceiling: the 2-worker cluster still up, two one-executor applications side by side
train 1 $((N / 2)) "$OUT/run-independent-a" "--conf spark.cores.max=1" > "$OUT/independent-a.json" &
train 1 $((N / 2)) "$OUT/run-independent-b" "--conf spark.cores.max=1" > "$OUT/independent-b.json"
wait
a=$(seconds_of "$(cat "$OUT/independent-a.json")"); b=$(seconds_of "$(cat "$OUT/independent-b.json")")
echo "[bench] 2 independent one-worker runs, $((N / 2)) critic steps each: $a s and $b s" >&2
deploy/local-standalone.sh stop >/dev/null 2>&1 || true
python3 - "${seconds[1]}" "${seconds[2]}" "$N" "$a" "$b" "$CONFIG" "${EXTRA[*]:-}" "$BENCH_RESULTS/train-scaling" <<'PY'
import sys
import benchreport
one, two, n, a, b = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
config, extra, out = sys.argv[6], sys.argv[7], sys.argv[8]
slow = max(a, b)
m = benchreport.machine()
lines = ["# Parameter averaging: 2 workers against 1 at equal samples seen", "",
         benchreport.header_line(m) + f" Local standalone cluster of one-core workers; {config}" + (f", {extra}" if extra else "") + ".", "",
         "| samples seen | 1 worker s | 2 workers s | speed-up | 2 independent runs s (no averaging) | ceiling | speed-up / ceiling |",
         "|---|---|---|---|---|---|---|",
         f"| {n} x 64 | {one:.1f} | {two:.1f} | {one / two:.2f} | {a:.1f}, {b:.1f} | {one / slow:.2f} | {one / two / (one / slow):.2f} |", "",
         "The ceiling is what two training processes that never talk get from the same two workers: the speed-up no",
         "averaging scheme can beat on this machine."]
open(out + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(out + ".csv", [{"config": config, "extra": extra, "critic_steps": n, "one_worker_s": one, "two_workers_s": two,
    "speedup": round(one / two, 3), "independent_a_s": a, "independent_b_s": b, "ceiling": round(one / slow, 3),
    "speedup_over_ceiling": round(one / two / (one / slow), 3)}], m)
print("\n".join(lines))
PY
