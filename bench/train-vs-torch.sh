#!/usr/bin/env bash
# Training speed and quality against PyTorch, side by side on this machine in one run: the paper's Fig. 5 loop (FC
# critic nf 1024, batch 64/64, GP 10, a generator step every 5 critic steps) and the Fig. 7 CNN+GAP critic, ours
# through `bin/wgan-spark train` on one worker (one partition, one OpenMP thread) and PyTorch's CPU build from
# Debian (python3-torch, one thread), three seeds each. Reported: seconds per critic step (training only: ours
# from metrics.csv, which includes the parameter-averaging rounds and excludes start-up and evaluation; PyTorch's
# loop timed inside the process) and the exact image W1 of the 64 generated images against the first 10,000
# training images after the same number of critic steps (ours: our exact OT; PyTorch's side: POT's ot.emd2).
#   bench/train-vs-torch.sh [fc steps] [cnn steps] [seeds] [critics]    default 1000 300 3 "fc cnn"
# (critics "cnn" reruns the CNN rows alone; the report then holds those rows only)
# Writes bench/results/train-vs-torch.md and appends to train-vs-torch.csv.
# Needs: python3-torch, python3-pot, dataset-fashion-mnist; the jar built (bin/wgan-spark builds it on first use).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$BENCH_ROOT"
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
FC_STEPS="${1:-1000}"; CNN_STEPS="${2:-300}"; SEEDS="${3:-3}"; CRITICS="${4:-fc cnn}"
OUT="$ROOT/bench/results"; WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
source "$ROOT/deploy/openblas-core.sh"  # both sides get the same OpenBLAS kernels
# and one thread each: torch.set_num_threads(1) bounds PyTorch's own (OpenMP) threads, not Debian's pthreads OpenBLAS,
# which otherwise starts one thread per core for every large product. Ours: bin/wgan-spark sets OMP_NUM_THREADS=1,
# which ND4J's OpenBLAS reads.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
rows="$WORK/rows.jsonl"; : > "$rows"
for critic in $CRITICS; do
  if [[ $critic == fc ]]; then steps=$FC_STEPS; conf=conf/train-fig5-fashion.conf; else steps=$CNN_STEPS; conf=conf/train-fig7-cnn-fashion.conf; fi
  for seed in $(seq 1 "$SEEDS"); do
    torch=$(/usr/bin/python3 "$ROOT/bench/train/torch_fig5.py" "$DATA" "$steps" "$seed" 1 10000 "$critic")
    echo "$torch" >&2
    run="$WORK/$critic-$seed"
    "$ROOT/bin/wgan-spark" train --config "$ROOT/$conf" --iterations "$steps" --out "$run" seed="$seed" data.partitions=1 \
      train.log-every="$steps" train.averaging-frequency=10 train.eval-rows=10000 train.patch-size=0 > "$WORK/log" 2>&1 \
      || { tail -20 "$WORK/log" >&2; exit 1; }
    ours=$(tail -1 "$run/metrics.csv")
    echo "ours $critic seed $seed: $ours" >&2
    /usr/bin/python3 - "$critic" "$seed" "$steps" "$torch" "$ours" >> "$rows" <<'PY'
import json, sys
critic, seed, steps, torch, ours = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5].split(",")
print(json.dumps({"critic": critic, "seed": seed, "steps": steps, "torch_s": torch["seconds_per_step"], "torch_w1": torch["w1"],
                  "ours_s": float(ours[1]) / steps, "ours_w1": float(ours[2])}))
PY
  done
done
# the floor under both: the arithmetic a critic step needs at the least, at this core's best GEMM rate
avg() { /usr/bin/python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["critic"]==sys.argv[2]]; print(sum(x["torch_s"] for x in r)/len(r) if r else "nan")' "$rows" "$1"; }
/usr/bin/python3 "$ROOT/bench/train/roofline.py" "$(avg fc)" "$(avg cnn)" > "$WORK/roofline.jsonl"
/usr/bin/python3 - "$rows" "${OPENBLAS_CORETYPE:-auto}" "$(/usr/bin/python3 -c 'import torch; print(torch.__version__)')" \
  "$WORK/roofline.jsonl" "$OUT/train-vs-torch.csv" > "$OUT/train-vs-torch.md.tmp" <<'PY'
import json, sys
import benchreport
rows = [json.loads(l) for l in open(sys.argv[1])]
m = benchreport.machine()
print("# Training vs PyTorch: the paper's critic steps, one thread a side")
print()
print(benchreport.header_line(m) + f" OPENBLAS_CORETYPE {sys.argv[2]}, torch {sys.argv[3]}.")
print()
print("| critic | critic steps | seeds | PyTorch s/step | ours s/step | ours / PyTorch | PyTorch W1 mean [min, max] | ours W1 mean [min, max] |")
print("|---|---|---|---|---|---|---|---|")
for critic in ("fc", "cnn"):
    r = [x for x in rows if x["critic"] == critic]
    if not r:
        continue
    ts = sum(x["torch_s"] for x in r) / len(r)
    os_ = sum(x["ours_s"] for x in r) / len(r)
    tw = [x["torch_w1"] for x in r]
    ow = [x["ours_w1"] for x in r]
    name = "FC nf 1024 (Fig. 5)" if critic == "fc" else "CNN+GAP (Fig. 7)"
    print(f"| {name} | {r[0]['steps']} | {len(r)} | {ts:.4f} | {os_:.4f} | {os_ / ts:.2f} | {sum(tw) / len(tw):.3f} [{min(tw):.3f}, {max(tw):.3f}] | "
          f"{sum(ow) / len(ow):.3f} [{min(ow):.3f}, {max(ow):.3f}] |")
print()
roof = {r["critic"]: r for r in map(json.loads, open(sys.argv[4]))}
print("The floor (`bench/train/roofline.py`, same run): the multiply-adds a critic step of this loop needs at the least,")
print("at the best rate this core multiplies float matrices (torch.mm, one thread, large squares and the step's own shapes):")
print()
print("| critic | GFLOP a step | core's peak GFLOP/s | floor s/step | PyTorch GFLOP/s (% of peak) | ours GFLOP/s (% of peak) | half PyTorch / floor |")
print("|---|---|---|---|---|---|---|")
for critic in ("fc", "cnn"):
    r = [x for x in rows if x["critic"] == critic]
    if not r or critic not in roof:
        continue
    f = roof[critic]
    os_ = sum(x["ours_s"] for x in r) / len(r)
    ours = f["gflop_per_step"] / os_
    print(f"| {critic} | {f['gflop_per_step']:.2f} | {f['peak_gflops']:.0f} | {f['floor_s_per_step']:.4f} | {f['pytorch_gflops']:.0f} "
          f"({100 * f['pytorch_gflops'] / f['peak_gflops']:.0f} %) | {ours:.0f} ({100 * ours / f['peak_gflops']:.0f} %) | {f['target_over_floor']:.2f} |")
print()
print("Per seed:")
print()
for x in rows:
    print(f"- {x['critic']} seed {x['seed']}: PyTorch {x['torch_s']:.4f} s/step, W1 {x['torch_w1']:.4f}; ours {x['ours_s']:.4f} s/step, W1 {x['ours_w1']:.4f}")
benchreport.append_csv(sys.argv[5], rows, m)
PY
mv "$OUT/train-vs-torch.md.tmp" "$OUT/train-vs-torch.md"
cat "$OUT/train-vs-torch.md"
