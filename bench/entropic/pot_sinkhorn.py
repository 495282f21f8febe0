"""Entropic OT with POT between Fashion-MNIST train[0, n) and train[30000, 30000 + n): the peer side of
bench/sinkhorn-vs-pot.sh. Cost matrix (ot.dist, Euclidean, float64) plus ot.sinkhorn(method="sinkhorn_log"),
timed inside the process. reg is given (0.01 x the largest cost, computed once by the driver script)."""
import gzip, json, sys, time
import numpy as np
import ot

path, n, reg, thr = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
with gzip.open(path, "rb") as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
x = (raw[:n].astype(np.float32) / 127.5 - 1.0).astype(np.float64)
y = (raw[30000:30000 + n].astype(np.float32) / 127.5 - 1.0).astype(np.float64)
start = time.perf_counter()
M = ot.dist(x, y, metric="euclidean")
a = np.full(n, 1.0 / n)
P, log = ot.sinkhorn(a, a, M, reg, method="sinkhorn_log", stopThr=thr, numItermax=1_000_000, log=True)
cost = float(np.sum(P * M))
seconds = time.perf_counter() - start
err = float(np.abs(P.sum(0) - a).sum() + np.abs(P.sum(1) - a).sum())
print(json.dumps({"tool": "pot " + ot.__version__, "n": n, "cost": cost, "seconds": round(seconds, 3), "iterations": int(log["niter"]),
                  "marginal_error_l1": err}))
