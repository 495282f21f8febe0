#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, loopback only: one master and N workers, each its own
# JVM, from a SPARK_HOME that Maven assembles (deploy/spark-home; no Spark distribution is downloaded).
#
#   deploy/local-standalone.sh start [--workers N] [--cores C] [--memory M]   (defaults 2, 1, 2g)
#   deploy/local-standalone.sh status
#   deploy/local-standalone.sh stop
#
# Then: bin/wgan-spark --master spark://127.0.0.1:17077 <command> ...
# Environment: WGAN_MASTER_PORT (17077), WGAN_MASTER_UI_PORT (18080; workers use the next ports),
# WGAN_CLUSTER_DIR (deploy/run: pid files, logs, executor work folders).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${WGAN_CLUSTER_DIR:-$ROOT/deploy/run}"
PORT="${WGAN_MASTER_PORT:-17077}"
UI_PORT="${WGAN_MASTER_UI_PORT:-18080}"
export SPARK_HOME="$ROOT/deploy/spark-home/target/spark-home"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.12
# executors inherit the workers' environment: OpenBLAS kernels by CPU flags (see the file)
source "$ROOT/deploy/openblas-core.sh"
# Daemons only: faster start, small heap. Executors get Spark's Java 17 flags from the Worker's launcher.
DAEMON_OPTS="-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

cmd="${1:-}"; shift || true
workers=2; cores=1; memory=2g
while [[ $# -gt 0 ]]; do
  case "$1" in
    --workers) workers="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    *) echo "local-standalone.sh: unknown option '$1' (expected --workers N, --cores C, --memory M)" >&2; exit 2 ;;
  esac
done

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # file, text, seconds, what
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if (( SECONDS > deadline )); then
      echo "local-standalone.sh: $4 did not come up within $3 s; last lines of $1:" >&2
      tail -n 20 "$1" >&2 || true
      return 1
    fi
    sleep 0.3
  done
}

start() {
  if alive "$RUN/master.pid"; then
    echo "already running: spark://127.0.0.1:$PORT (deploy/local-standalone.sh stop first)"; return 0
  fi
  if [[ ! -d "$SPARK_HOME/jars" ]]; then
    echo "[cluster] assembling SPARK_HOME from Maven artifacts ($SPARK_HOME)..." >&2
    (cd "$ROOT" && mvn -q -B -pl deploy/spark-home -am -DskipTests package) >&2
  fi
  mkdir -p "$RUN/work"
  local t0=$SECONDS
  # shellcheck disable=SC2086
  nohup java -cp "$SPARK_HOME/jars/*" $DAEMON_OPTS org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$PORT" --webui-port "$UI_PORT" > "$RUN/master.log" 2>&1 &
  echo $! > "$RUN/master.pid"
  wait_for "$RUN/master.log" "I have been elected leader" 60 "the master"
  for i in $(seq 1 "$workers"); do
    # shellcheck disable=SC2086
    nohup java -cp "$SPARK_HOME/jars/*" $DAEMON_OPTS org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$PORT" \
      --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port $((UI_PORT + i)) \
      --work-dir "$RUN/work" > "$RUN/worker$i.log" 2>&1 &
    echo $! > "$RUN/worker$i.pid"
  done
  for i in $(seq 1 "$workers"); do
    wait_for "$RUN/worker$i.log" "Successfully registered with master" 120 "worker $i"
  done
  echo "master spark://127.0.0.1:$PORT (UI http://127.0.0.1:$UI_PORT), $workers workers x $cores cores x $memory, up in $((SECONDS - t0)) s; logs in $RUN"
}

stop() {
  local any=0
  for f in "$RUN"/worker*.pid "$RUN/master.pid"; do
    [[ -f "$f" ]] || continue
    if alive "$f"; then kill -TERM "$(cat "$f")" 2>/dev/null || true; any=1; fi
  done
  for f in "$RUN"/worker*.pid "$RUN/master.pid"; do
    [[ -f "$f" ]] || continue
    for _ in $(seq 1 50); do alive "$f" || break; sleep 0.2; done
    alive "$f" && kill -KILL "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  # Every executor keeps a copy of the application jar here: 130 MB per app.
  rm -rf "$RUN/work"
  [[ $any == 1 ]] && echo "stopped" || echo "not running"
}

status() {
  if alive "$RUN/master.pid"; then
    echo "master spark://127.0.0.1:$PORT pid $(cat "$RUN/master.pid")"
    for f in "$RUN"/worker*.pid; do
      [[ -f "$f" ]] || continue
      if alive "$f"; then echo "$(basename "$f" .pid) pid $(cat "$f")"; else echo "$(basename "$f" .pid) dead"; fi
    done
  else
    echo "not running"; return 3
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: deploy/local-standalone.sh start|stop|status [--workers N] [--cores C] [--memory M]" >&2; exit 2 ;;
esac
