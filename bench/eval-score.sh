#!/usr/bin/env bash
# eval score on one logged step of the paper's Fig. 5 run (64 generated images) against the whole Fashion-MNIST
# training set: exact image W1 (64 x 60,000), then the same command again, which finds nothing new (the warm hourly
# run), then exact 7x7 patch W1 (1,024 patches against all 960,000 training patches, duplicates merged); wall time
# and peak RSS of each whole command, under EVAL_TIMEOUT. POT side by side: ot.emd2 on the image problem and, since it cannot hold
# 1,024 x 960,000 here, on the patches of the first POT_IMAGES training images, with ours on that same problem.
#   [GENERATED=file.npy] [POT_IMAGES=2500] [EVAL_TIMEOUT=1800] bench/eval-score.sh
# GENERATED defaults to the last step of the quickstart's WGAN (made by bin/wgan-spark quickstart when missing).
# Writes bench/results/eval-score.md and appends to eval-score.csv. Needs: Debian's python3-pot, dataset-fashion-mnist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$BENCH_ROOT"
cd "$ROOT"
DATA=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
GENERATED="${GENERATED:-runs/quickstart/train/generated-0000300.npy}"
POT_IMAGES="${POT_IMAGES:-2500}"
EVAL_TIMEOUT="${EVAL_TIMEOUT:-1800}"
[[ -f "$GENERATED" ]] || bin/wgan-spark quickstart > /dev/null
WORK="$ROOT/bench/target/eval-score"; rm -rf "$WORK"; mkdir -p "$WORK"
python_cmd=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u OMP_NUM_THREADS /usr/bin/python3)

# timed NAME CMD...: runs CMD under the timeout, records wall seconds, peak RSS (MB) and exit code in $WORK/NAME.time
timed() {
  local name=$1; shift
  set +e
  /usr/bin/time -f "%e %M" -o "$WORK/$name.rusage" timeout "$EVAL_TIMEOUT" "$@" > "$WORK/$name.json" 2> "$WORK/$name.err"
  local code=$?
  set -e
  read -r wall rss < <(tail -1 "$WORK/$name.rusage") || { wall=$EVAL_TIMEOUT; rss=0; }
  echo "$wall $((rss / 1024)) $code" > "$WORK/$name.time"
}

timed cold-image bin/wgan-spark eval score --runs "$GENERATED" --table "$WORK/table" --metrics image-w1 eval.floor=none
timed warm bin/wgan-spark eval score --runs "$GENERATED" --table "$WORK/table" --metrics image-w1 eval.floor=none
timed cold-patch bin/wgan-spark eval score --runs "$GENERATED" --table "$WORK/table" --metrics patch-w1 eval.floor=none
bin/wgan-spark eval report --table "$WORK/table" --out "$WORK/report" > /dev/null 2>&1 || true
"${python_cmd[@]}" bench/eval/pot_eval.py "$GENERATED" "$DATA" image 60000 > "$WORK/pot-image.json" 2> "$WORK/pot-image.err" || echo '{}' > "$WORK/pot-image.json"
timed ours-patch bin/wgan-spark ot exact --x "$GENERATED" --y "$DATA" --limit-y "$POT_IMAGES" --patch 7 --stride 7
"${python_cmd[@]}" bench/eval/pot_eval.py "$GENERATED" "$DATA" patch "$POT_IMAGES" > "$WORK/pot-patch.json" 2> "$WORK/pot-patch.err" || echo '{}' > "$WORK/pot-patch.json"

python3 - "$ROOT/bench/results/eval-score" "$WORK" "$POT_IMAGES" "$EVAL_TIMEOUT" <<'PY'
import csv, json, os, sys
import benchreport
out, work, pot_images, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
m = benchreport.machine()
def t(name):
    wall, rss, code = open(os.path.join(work, name + ".time")).read().split()
    return float(wall), int(rss), int(code)
def j(name):
    text = open(os.path.join(work, name + ".json")).read().strip().splitlines()
    return json.loads(text[-1]) if text else {}
rows = {}
report = os.path.join(work, "report", "metrics.csv")
if os.path.exists(report):
    for r in csv.DictReader(open(report)):
        rows[r["metric"]] = r
cold_image, cold_patch, warm = t("cold-image"), t("cold-patch"), t("warm")
lines = ["# eval score: one Fig. 5 step against the whole training set", "", benchreport.header_line(m), "",
         "| run | wall s | peak RSS MB | exit | what it did |", "|---|---|---|---|---|"]
state = lambda code: f"did not finish in {timeout:.0f} s" if code == 124 else "ok" if code == 0 else f"exit {code}"
def did(metric):
    v = rows.get(metric)
    return f"{metric} {float(v['value']):.9f} in {float(v['seconds']):.1f} s, certificate {v['certificate']}" if v else f"no {metric} row"
lines.append(f"| cold: image-w1 | {cold_image[0]:.1f} | {cold_image[1]} | {state(cold_image[2])} | {did('image-w1')} |")
lines.append(f"| cold: patch-w1 (all 960,000 patches) | {cold_patch[0]:.1f} | {cold_patch[1]} | {state(cold_patch[2])} | {did('patch-w1')} |")
lines.append(f"| warm, nothing new | {warm[0]:.1f} | {warm[1]} | {state(warm[2])} | {j('warm').get('added', '?')} rows added |")
pi, pp, op = j("pot-image"), j("pot-patch"), j("ours-patch")
ours_patch = t("ours-patch")
lines += ["", "| problem | ours s | POT s | POT / ours | ours cost | POT cost |", "|---|---|---|---|---|---|"]
if "image-w1" in rows and pi:
    ours = float(rows["image-w1"]["seconds"])
    lines.append(f"| image W1, 64 x 60,000 | {ours:.1f} | {pi['seconds']:.1f} | {pi['seconds'] / ours:.2f} | {float(rows['image-w1']['value']):.9f} | {pi['cost']:.9f} |")
if op and pp:
    lines.append(f"| patch W1, {pp['n']} x {pp['m']} distinct ({pot_images} images) | {op['seconds_solve']:.1f} | {pp['seconds']:.1f} | "
                 f"{pp['seconds'] / op['seconds_solve']:.2f} | {op['cost']:.9f} | {pp['cost']:.9f} |")
lines += ["", "Ours: the seconds of the metric inside eval score (image) or ot exact's seconds_solve (patch); POT: cost matrix",
          "plus ot.emd2 inside the process. Both merge identical points into weights first."]
open(out + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(out + ".csv", [{"run": "cold image-w1", "wall_s": cold_image[0], "peak_rss_mb": cold_image[1], "exit": cold_image[2]},
                                      {"run": "cold patch-w1", "wall_s": cold_patch[0], "peak_rss_mb": cold_patch[1], "exit": cold_patch[2]},
                                      {"run": "warm", "wall_s": warm[0], "peak_rss_mb": warm[1], "exit": warm[2]}], m)
print("\n".join(lines))
PY
