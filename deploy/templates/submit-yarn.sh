#!/usr/bin/env bash
# TEMPLATE: submit a wgan-spark job to YARN (Spark 3.5, Java 17 on the nodes). Copy, then set the variables.
# Needs HADOOP_CONF_DIR (or YARN_CONF_DIR) pointing at the cluster's client configs, and a Spark 3.5.x
# distribution in SPARK_HOME (bin/wgan-spark uses $SPARK_HOME/bin/spark-submit when it exists).
# Data and outputs are Hadoop paths: hdfs:///..., s3a://... (s3a needs hadoop-aws on the cluster classpath).
set -euo pipefail
: "${SPARK_HOME:?set SPARK_HOME to a Spark 3.5 distribution}"
: "${HADOOP_CONF_DIR:?set HADOOP_CONF_DIR to the cluster client configuration}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Executors: the ND4J natives unpack once per executor into the JavaCPP cache (about 400 MB).
export WGAN_SUBMIT_ARGS="--deploy-mode cluster --num-executors 8 --executor-cores 4 --executor-memory 8g --driver-memory 8g
  --conf spark.executorEnv.OMP_NUM_THREADS=4
  --conf spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.cachedir=./javacpp-cache --add-modules=jdk.incubator.vector"

exec "$ROOT/bin/wgan-spark" --master yarn patches \
  --data hdfs:///datasets/fashion-mnist/train-images-idx3-ubyte.gz \
  --size 7 --stride 4 --per-location --out hdfs:///user/$USER/wgan-spark/patches-fmnist \
  data.partitions=64
