# Sourced by the bench scripts: the jar they run, and the machine every result is labelled with.
#   BENCH_JAR       bench/target/benchmarks.jar (ot-kernels, OpenBLAS and the bench mains), built here when missing
#   PYTHONPATH      gains bench/, for benchreport.py (the header and the CSV history of every result)
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_JAR="$BENCH_ROOT/bench/target/benchmarks.jar"
BENCH_RESULTS="$BENCH_ROOT/bench/results"
export PYTHONPATH="$BENCH_ROOT/bench${PYTHONPATH:+:$PYTHONPATH}"
export BENCH_COMMIT
BENCH_COMMIT="$(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$BENCH_ROOT" diff --quiet HEAD -- . ':!bench/results' 2>/dev/null || echo +changes)"
mkdir -p "$BENCH_RESULTS" "$BENCH_ROOT/bench/target"
if [[ ! -f "$BENCH_JAR" || -n "${BENCH_REBUILD:-}" ]]; then
  (cd "$BENCH_ROOT" && mvn -q -o -B -pl bench -am package -DskipTests) >&2
fi
