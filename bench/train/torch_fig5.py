"""The paper's Fig. 5 / Fig. 7 discrete WGAN-GP in PyTorch (CPU): the peer side of bench/train-vs-torch.sh.

Same loop as `wgan-spark train --config conf/train-fig5-fashion.conf` (critic "fc") or
conf/train-fig7-cnn-fashion.conf (critic "cnn") on one worker: 64 fixed latent codes (z 64), FC generator
64 -> 128 -> 784 (LeakyReLU 0.2, Tanh); FC critic 784 -> 1024 -> 1024 -> 1024 -> 1 (LeakyReLU 0.2), or the CNN
critic 1 -> 64 -> 128 -> 256 (3x3 stride 2, no padding, ReLU), global average pooling, Linear(256 -> 1, no bias);
WGAN-GP 10 (two-sided, one interpolation coefficient per batch), Adam (0.5, 0.9), lrG 1e-4, lrD 1e-3, a generator
step every 5 critic steps, real batches of 64 drawn with replacement from the 60,000 training images. Prints one
JSON line: seconds of training (inside the process, data loading excluded), seconds per critic step, and the exact
W1 (POT's ot.emd2, Euclidean) of the 64 generated images against the first eval_rows training images.
    python3 torch_fig5.py TRAIN_IMAGES_GZ STEPS SEED [THREADS] [EVAL_ROWS] [fc|cnn]
"""
import gzip, json, os, sys, time
# Debian's OpenBLAS (pthreads) takes its thread count from the environment when it loads, not from
# torch.set_num_threads: without this, its large products ran on both cores
os.environ.setdefault("OPENBLAS_NUM_THREADS", sys.argv[4] if len(sys.argv) > 4 else "1")
import numpy as np
import torch
import torch.nn as nn
import ot

path, steps, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
eval_rows = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
critic = sys.argv[6] if len(sys.argv) > 6 else "fc"
torch.set_num_threads(threads)
torch.manual_seed(seed)
rng = np.random.default_rng(seed)
with gzip.open(path, "rb") as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
data = torch.from_numpy(raw.astype(np.float32) / 127.5 - 1.0)


def fc(sizes, last):
    layers = []
    for k in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[k], sizes[k + 1]))
        layers.append(nn.LeakyReLU(0.2) if k < len(sizes) - 2 else last)
    return nn.Sequential(*layers)


G = fc([64, 128, 784], nn.Tanh())
class CnnGap(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.Sequential(nn.Conv2d(1, 64, 3, 2), nn.ReLU(), nn.Conv2d(64, 128, 3, 2), nn.ReLU(), nn.Conv2d(128, 256, 3, 2), nn.ReLU())
        self.score = nn.Linear(256, 1, bias=False)

    def forward(self, x):
        return self.score(self.convs(x.view(-1, 1, 28, 28)).mean(dim=(2, 3)))


D = fc([784, 1024, 1024, 1024, 1], nn.Identity()) if critic == "fc" else CnnGap()
z = torch.randn(64, 64)  # the discrete prior: M = 64 fixed codes, the whole table every step
opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.9))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.9))

start = time.perf_counter()
for step in range(1, steps + 1):
    real = data[torch.from_numpy(rng.integers(0, data.shape[0], 64))]
    with torch.no_grad():
        fake = G(z)
    alpha = torch.rand(1)  # one coefficient per batch, as the paper's code
    xhat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grad = torch.autograd.grad(D(xhat).sum(), xhat, create_graph=True)[0]
    penalty = ((grad.norm(2, dim=1) - 1) ** 2).mean()
    loss_d = -(D(real).mean() - D(fake).mean()) + 10 * penalty
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    if step % 5 == 0:
        loss_g = -D(G(z)).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
seconds = time.perf_counter() - start

with torch.no_grad():
    gen = G(z).double().numpy()
ref = data[:eval_rows].double().numpy()
cost = ot.dist(gen, ref, metric="euclidean")
w1 = ot.emd2(np.full(64, 1 / 64), np.full(eval_rows, 1 / eval_rows), cost, numItermax=10_000_000)
print(json.dumps({"tool": "pytorch " + torch.__version__, "critic": critic, "steps": steps, "seed": seed, "threads": threads, "seconds": round(seconds, 3),
                  "seconds_per_step": seconds / steps, "w1": float(w1)}))
