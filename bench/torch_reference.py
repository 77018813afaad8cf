#!/usr/bin/python3
"""The reference training step of bench/reference.ts in PyTorch (Debian's python3-torch, CPU).

32×32 DCGAN, batch 64: G = z(128) → dense 4·4·128 → [nearest ×2, conv3×3, lrelu] to 8×8×64,
16×16×32, 32×32×1 (tanh); D = 3 × [conv3×3, lrelu, avgpool2] (32, 64, 128) → dense 1;
non-saturating loss, Adam(2e-4, β1 0.5), one D update then one G update.
Prints ms per step (median of the timed steps after 2 warm-up steps) for 1 and 2 threads.
Run with /usr/bin/python3 (the python3 on PATH may be a separate build without torch).
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(128, 4 * 4 * 128)
        self.convs = nn.ModuleList([nn.Conv2d(128, 64, 3, padding=1), nn.Conv2d(64, 32, 3, padding=1), nn.Conv2d(32, 1, 3, padding=1)])

    def forward(self, z):
        x = F.leaky_relu(self.dense(z), 0.2).view(-1, 128, 4, 4)
        for i, c in enumerate(self.convs):
            x = c(F.interpolate(x, scale_factor=2, mode="nearest"))
            x = torch.tanh(x) if i == len(self.convs) - 1 else F.leaky_relu(x, 0.2)
        return x


class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(1, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1), nn.Conv2d(64, 128, 3, padding=1)])
        self.dense = nn.Linear(4 * 4 * 128, 1)

    def forward(self, x):
        for c in self.convs:
            x = F.avg_pool2d(F.leaky_relu(c(x), 0.2), 2)
        return self.dense(x.flatten(1))


def bench(threads, steps):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    g, d = G(), D()
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real = torch.rand(64, 1, 32, 32) * 2 - 1

    def step():
        fake = g(torch.randn(64, 128)).detach()
        loss_d = F.softplus(d(fake)).mean() + F.softplus(-d(real)).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = F.softplus(-d(g(torch.randn(64, 128)))).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    for _ in range(2):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = [{"threads": t, "msPerStep": bench(t, a.steps)} for t in (1, 2)]
    if a.json:
        print(json.dumps(rows))
    else:
        for r in rows:
            print(f"PyTorch {torch.__version__}, {r['threads']} thread(s): {r['msPerStep']:.0f} ms/step")
