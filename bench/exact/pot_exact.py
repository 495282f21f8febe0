"""Exact W1 with POT between Fashion-MNIST train[0, n) and train[30000, 30000 + n): the peer side of
bench/exact-vs-pot.sh. Cost matrix (ot.dist, Euclidean, float64) plus ot.emd2, timed inside the process."""
import gzip, json, sys, time
import numpy as np
import ot

path, n = sys.argv[1], int(sys.argv[2])
with gzip.open(path, "rb") as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
x = raw[:n].astype(np.float32) / 127.5 - 1.0
y = raw[30000:30000 + n].astype(np.float32) / 127.5 - 1.0
x = x.astype(np.float64)
y = y.astype(np.float64)
start = time.perf_counter()
M = ot.dist(x, y, metric="euclidean")
a = np.full(n, 1.0 / n)
cost = ot.emd2(a, a, M, numItermax=100_000_000)
seconds = time.perf_counter() - start
print(json.dumps({"tool": "pot " + ot.__version__, "n": n, "cost": float(cost), "seconds": round(seconds, 3)}))
