#!/usr/bin/env bash
# Submit a wgan-spark job to YARN (Spark 3.5, Java 17 on the nodes).
#   deploy/templates/submit-yarn.sh [command and its arguments]     default: the 7x7 patches of Fashion-MNIST, per location
# Needs HADOOP_CONF_DIR (or YARN_CONF_DIR) pointing at the cluster's client configuration. With SPARK_HOME set to a
# Spark 3.5 distribution its spark-submit is used; otherwise the Spark runtime bin/wgan-spark assembles, which
# includes Spark's YARN client. Data and outputs are Hadoop paths: hdfs:///..., s3a://... (s3a needs hadoop-aws on
# the cluster's classpath). WGAN_SUBMIT_ARGS replaces the resources below (the tests run two small executors).
set -euo pipefail
export HADOOP_CONF_DIR="${HADOOP_CONF_DIR:-${YARN_CONF_DIR:-}}"
if [[ -z "$HADOOP_CONF_DIR" ]]; then
  echo "submit-yarn.sh: set HADOOP_CONF_DIR to the folder of the cluster's client configuration (core-site.xml, yarn-site.xml)" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Executors: the ND4J natives unpack once per executor into the JavaCPP cache (about 400 MB).
export WGAN_SUBMIT_ARGS="${WGAN_SUBMIT_ARGS:---deploy-mode cluster --num-executors 8 --executor-cores 4 --executor-memory 8g --driver-memory 8g
  --conf spark.executorEnv.OMP_NUM_THREADS=4
  --conf spark.executorEnv.JAVA_TOOL_OPTIONS=-Dorg.bytedeco.javacpp.cachedir=./javacpp-cache}"

# The executors run OpenBLAS with the kernels this machine's CPU flags call for (deploy/openblas-core.sh): the
# OpenBLAS in ND4J misreads some newer CPUs, and the same kernels everywhere give the same numbers as a local run.
# On nodes of another CPU type, set spark.executorEnv.OPENBLAS_CORETYPE in WGAN_SUBMIT_ARGS yourself.
source "$ROOT/deploy/openblas-core.sh"
if [[ -n "${OPENBLAS_CORETYPE:-}" && "$WGAN_SUBMIT_ARGS" != *OPENBLAS_CORETYPE* ]]; then
  WGAN_SUBMIT_ARGS="$WGAN_SUBMIT_ARGS --conf spark.executorEnv.OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE --conf spark.yarn.appMasterEnv.OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE"
fi

if [[ $# -eq 0 ]]; then
  set -- patches --data hdfs:///datasets/fashion-mnist/train-images-idx3-ubyte.gz \
    --size 7 --stride 4 --per-location --out "hdfs:///user/$USER/wgan-spark/patches-fmnist" data.partitions=64
fi
exec "$ROOT/bin/wgan-spark" --master yarn "$@"
