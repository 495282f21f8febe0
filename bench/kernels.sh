#!/usr/bin/env bash
# The JMH benchmarks of the OT kernels (bench/src/main/java/org/wganspark/bench/jmh): the distance block with the
# Vector API kernel and the plain-Java one, and one fused Sinkhorn sweep of a Spark task's block. JMH's own warm-up
# and forks; a few minutes. Extra arguments go to JMH (e.g. a benchmark name, or -f 3 for more forks).
# Writes bench/results/kernels.md and appends to kernels.csv.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
json="$BENCH_ROOT/bench/target/jmh.json"
java --add-modules=jdk.incubator.vector -jar "$BENCH_JAR" -rf json -rff "$json" "$@" >&2
python3 - "$json" "$BENCH_RESULTS/kernels" <<'PY'
import json, sys
import benchreport
m = benchreport.machine()
lines = ["# OT kernels (JMH)", "", benchreport.header_line(m), "", "| benchmark | parameters | score | error (99.9 %) | unit |", "|---|---|---|---|---|"]
rows = []
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1]
    params = ", ".join(f"{k} {v}" for k, v in r.get("params", {}).items())
    p = r["primaryMetric"]
    lines.append(f"| {name} | {params} | {p['score']:.4g} | {p['scoreError']:.2g} | {p['scoreUnit']} |")
    rows.append({"benchmark": name, "parameters": params, "score": p["score"], "error": p["scoreError"], "unit": p["scoreUnit"]})
open(sys.argv[2] + ".md", "w").write("\n".join(lines) + "\n")
benchreport.append_csv(sys.argv[2] + ".csv", rows, m)
print("\n".join(lines))
PY
