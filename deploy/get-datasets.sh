#!/usr/bin/env bash
# Makes sure Fashion-MNIST is on this machine: Debian's dataset-fashion-mnist package puts the IDX files in
# /usr/share/datasets/fashion-mnist. Needs root (or passwordless sudo) for apt-get; otherwise says what to do.
# The tests read the real test split from there; `mvn verify` runs this before the tests.
set -euo pipefail
DIR=/usr/share/datasets/fashion-mnist
if [[ -f "$DIR/train-images-idx3-ubyte.gz" && -f "$DIR/t10k-images-idx3-ubyte.gz" ]]; then
  exit 0
fi
SUDO=""
if [[ $(id -u) != 0 ]]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "get-datasets.sh: Fashion-MNIST is missing from $DIR; run 'sudo apt-get install dataset-fashion-mnist'" >&2
    exit 2
  fi
fi
echo "[get-datasets] installing Debian package dataset-fashion-mnist (30 MB)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 \
  || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q dataset-fashion-mnist >/dev/null; }
test -f "$DIR/t10k-images-idx3-ubyte.gz" || { echo "get-datasets.sh: apt-get did not install $DIR" >&2; exit 1; }
