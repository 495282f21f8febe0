"""POT's side of bench/eval-score.sh: exact W1 (ot.emd2) between a generated set and the first `limit` Fashion-MNIST
training images, as images or as their pooled 7x7 patches at stride 7 (identical points merged into weights, as
wgan-spark merges them). Cost matrix (ot.dist, Euclidean, float64) plus the solve, timed inside the process."""
import gzip, json, sys, time
import numpy as np
import ot

generated_path, train_path, mode, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
g = np.load(generated_path).astype(np.float64).reshape(-1, 28, 28)
with gzip.open(train_path, "rb") as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
t = (raw[:limit].astype(np.float32) / 127.5 - 1.0).astype(np.float64)


def patches(images, p=7, s=7):
    rows = []
    for r in range(0, 28 - p + 1, s):
        for c in range(0, 28 - p + 1, s):
            rows.append(images[:, r:r + p, c:c + p].reshape(len(images), -1))
    return np.concatenate(rows, axis=0)


x, y = (g.reshape(len(g), -1), t.reshape(len(t), -1)) if mode == "image" else (patches(g), patches(t))
start = time.perf_counter()
x, ca = np.unique(x, axis=0, return_counts=True)
y, cb = np.unique(y, axis=0, return_counts=True)
M = ot.dist(x, y, metric="euclidean")
cost = ot.emd2(ca / ca.sum(), cb / cb.sum(), M, numItermax=1_000_000_000)
seconds = time.perf_counter() - start
print(json.dumps({"tool": "pot " + ot.__version__, "mode": mode, "n": int(len(x)), "m": int(len(y)), "cost": float(cost),
                  "seconds": round(seconds, 3)}))
