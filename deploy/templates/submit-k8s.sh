#!/usr/bin/env bash
# TEMPLATE: submit a wgan-spark job to Kubernetes. Build an image first (deploy/templates/Dockerfile), push it
# where the cluster can pull it, and create a service account that may create pods:
#   kubectl create serviceaccount spark
#   kubectl create clusterrolebinding spark-role --clusterrole=edit --serviceaccount=default:spark
set -euo pipefail
: "${K8S_API:?set K8S_API, e.g. https://10.0.0.1:6443}"
: "${IMAGE:?set IMAGE, e.g. registry.example.org/wgan-spark:0.1.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# In cluster mode on k8s the application jar must be inside the image (local://) or on a shared file system.
export WGAN_SUBMIT_ARGS="--deploy-mode cluster --name wgan-spark-patches
  --conf spark.kubernetes.container.image=$IMAGE
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark
  --conf spark.executor.instances=4 --conf spark.executor.cores=2 --conf spark.executor.memory=6g
  --conf spark.executorEnv.OMP_NUM_THREADS=2"

# bin/wgan-spark passes spark-jobs/target/wgan-spark.jar; for k8s submit the in-image copy instead:
exec "$SPARK_HOME/bin/spark-submit" --master "k8s://$K8S_API" --properties-file "$ROOT/conf/spark-defaults.conf" \
  --class org.wganspark.cli.Main $WGAN_SUBMIT_ARGS local:///opt/wgan-spark/wgan-spark.jar \
  patches --data s3a://datasets/fashion-mnist/train-images-idx3-ubyte.gz --out s3a://results/patches-fmnist
