"""The machine's limit for one Sinkhorn iteration's pairwise work on 100k x 100k 7x7 patches: the time the same
number of pairwise products takes as float32 GEMM (numpy's OpenBLAS), 4096-row tiles against 81,494 columns of
dimension 49, scaled to 80,610 rows (the distinct patch counts of bench/entropic/PatchSinkhornBench.java)."""
import time
import numpy as np

rng = np.random.default_rng(0)
x = rng.standard_normal((4096, 49)).astype(np.float32)
yt = np.ascontiguousarray(rng.standard_normal((81494, 49)).astype(np.float32).T)
out = np.empty((4096, 81494), dtype=np.float32)
np.matmul(x, yt, out=out)
start = time.perf_counter()
for _ in range(3):
    np.matmul(x, yt, out=out)
tile = (time.perf_counter() - start) / 3
print(f"float32 GEMM, 4096 x 49 x 81494: {tile:.3f} s per tile; all 80,610 rows: {tile * 80610 / 4096:.1f} s "
      f"({2 * 4096 * 49 * 81494 / tile / 1e9:.0f} GFLOP/s)")
