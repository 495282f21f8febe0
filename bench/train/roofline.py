"""How fast could any implementation of the paper's WGAN-GP critic step be on this machine? The floor of
bench/train-vs-torch.sh's target (our seconds per critic step at most half of PyTorch's), one thread.

Counts the multiply-adds a critic step of the paper's loop needs at the least (the loop of torch_fig5.py; weights
only, biases and activations are a rounding error):
  forward of the real, fake and interpolated batches          192 F
  the input gradient at the interpolates (the penalty's g)     64 F
  the penalty's parameter gradient (backward through g)       128 F  (weight products and the chain through g)
  parameter gradients of the real and fake scores             128 F + the chain below the first layer: 128 (F - F1)
  a generator step every 5 critic steps                       (64 F forward + 64 F input gradient) / 5
where F is the critic's multiply-adds per image forward and F1 its first layer's. Then measures the machine's
single-thread float32 peak: the best rate of torch.mm over large squares and the step's own GEMM shapes (on a
2-core AVX-512 VM a 192 x 1024 x 1024 product ran faster than 2048^3). The floor is FLOPs / peak: no
implementation of this loop does less arithmetic, and none multiplies faster than the core's best GEMM.
    python3 roofline.py PYTORCH_SECONDS_PER_STEP_FC PYTORCH_SECONDS_PER_STEP_CNN
Prints one JSON line per critic.
"""
import json, os, sys, time
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one thread: Debian's OpenBLAS ignores torch.set_num_threads
import torch

torch.set_num_threads(1)


def best_rate(a_rows, inner, b_cols, seconds=1.5):
    """Best GFLOP/s of a (a_rows x inner) @ (inner x b_cols) float32 product over repeated timed batches."""
    a = torch.randn(a_rows, inner)
    b = torch.randn(inner, b_cols)
    out = torch.empty(a_rows, b_cols)
    torch.mm(a, b, out=out)
    flops = 2.0 * a_rows * inner * b_cols
    reps = max(1, int(2e8 / flops))
    best = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=out)
        best = max(best, reps * flops / (time.perf_counter() - t) / 1e9)
    return best


def critic_macs(layers):
    """(multiply-adds per image forward, of which the first layer's)."""
    return sum(layers), layers[0]


def step_gflop(forward, first):
    macs = 192 * forward + 64 * forward + 128 * forward + 128 * forward + 128 * (forward - first) + (64 * forward + 64 * forward) / 5
    return 2 * macs / 1e9


fc = critic_macs([784 * 1024, 1024 * 1024, 1024 * 1024, 1024])
# 3x3 stride-2 convolutions without padding, 28 -> 13 -> 6 -> 2 px, then a linear score over 256 pooled channels
cnn = critic_macs([13 * 13 * 64 * 9 * 1, 6 * 6 * 128 * 9 * 64, 2 * 2 * 256 * 9 * 128, 256])
shapes = {"64x784x1024": best_rate(64, 784, 1024), "192x1024x1024": best_rate(192, 1024, 1024), "1024x192x1024": best_rate(1024, 192, 1024)}
peak = max([best_rate(2048, 2048, 2048), best_rate(1024, 1024, 1024)] + list(shapes.values()))
for name, (forward, first), pytorch in (("fc", fc, float(sys.argv[1])), ("cnn", cnn, float(sys.argv[2]))):
    gflop = step_gflop(forward, first)
    floor = gflop / peak
    print(json.dumps({"critic": name, "macs_per_image_forward": forward, "gflop_per_step": round(gflop, 3), "peak_gflops": round(peak, 1),
                      "step_shape_gflops": {k: round(v, 1) for k, v in shapes.items()}, "floor_s_per_step": round(floor, 4),
                      "pytorch_s_per_step": pytorch, "pytorch_gflops": round(gflop / pytorch, 1), "target_s_per_step": pytorch / 2,
                      "target_over_floor": round(pytorch / 2 / floor, 3)}))
