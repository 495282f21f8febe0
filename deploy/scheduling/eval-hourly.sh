#!/usr/bin/env bash
# The hourly evaluation job: score every new logged step of every run under RUNS against the whole training set,
# then redraw the report. Idempotent: a run with nothing new adds nothing (and prints "added":0). Started by cron
# (crontab.example) or by hand; the Airflow DAG (wgan_spark_eval.py) runs the same two commands.
#   RUNS    runs to score, a glob (default hdfs:///user/$USER/wgan-spark/runs/*)
#   TABLE   the score table (default hdfs:///user/$USER/wgan-spark/scores)
#   REPORT  the report folder (default hdfs:///user/$USER/wgan-spark/report)
#   MASTER  yarn (default), spark://host:7077, or local[*]
# Exit codes: 0 done; 2 bad input (a set that cannot be read is named on stderr, the others are scored); 5 another
# evaluation holds the table's lock (the next hour retries).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${RUNS:-hdfs:///user/$USER/wgan-spark/runs/*}"
TABLE="${TABLE:-hdfs:///user/$USER/wgan-spark/scores}"
REPORT="${REPORT:-hdfs:///user/$USER/wgan-spark/report}"
MASTER="${MASTER:-yarn}"
status=0
"$ROOT/bin/wgan-spark" eval score --master "$MASTER" --runs "$RUNS" --table "$TABLE" || status=$?
if [[ $status -eq 5 ]]; then
  exit 5  # another job is scoring; it writes the report when done
fi
"$ROOT/bin/wgan-spark" eval report --master "$MASTER" --table "$TABLE" --out "$REPORT"
exit $status
