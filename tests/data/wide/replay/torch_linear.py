#!/usr/bin/python3
# torch_linear.py -- how often PyTorch 1.13's nn.Linear (CPU) differs from
# the documented order of gc_wreplay (gradchain/wide.h): z_i = ((W_i1 a_1 +
# W_i2 a_2) + ...) + b_i and g_k = (delta_1 W_1k + delta_2 W_2k) + ...,
# each product and sum rounded to the format, no fma.  The documented
# values come from make_ref.py's exact arithmetic (round_to); "exact" is the
# exact sum rounded once.  Forward z = linear(a, W, b) and backward
# g = dL/da for dL/dz = delta, with a one vector (torch.addmv) and a batch
# of 32 (torch.addmm), n_out = 8, 100 random networks of each n_in (10
# with the batch).
# float16 has no CPU Linear in torch 1.13 ("addmm_impl_cpu_" not
# implemented for 'Half').  Run: /usr/bin/python3 torch_linear.py
import random
from fractions import Fraction as F

import torch

from make_ref import add, mul, round_to

torch.set_num_threads(1)
FMT = {torch.float64: "binary64", torch.float32: "binary32",
       torch.bfloat16: "bfloat16"}


def documented(ws, xs, b, f):
    r = mul(ws[0], xs[0], f)
    for w, x in zip(ws[1:], xs[1:]):
        r = add(r, mul(w, x, f), f)
    return add(r, b, f) if b is not None else r


def exact(ws, xs, b, f):
    s = sum(F(w) * F(x) for w, x in zip(ws, xs)) + (F(b) if b is not None else 0)
    return round_to(s, f) if s != 0 else 0.0


def main():
    rng = random.Random(1)
    torch.manual_seed(1)
    print("dtype     batch n_in  fwd!=doc fwd!=exact  bwd!=doc bwd!=exact (of entries)")
    for dt, f in FMT.items():
        for batch in (1, 32):
            for n in (2, 3, 4, 8, 16, 64, 256) if batch == 1 else (2, 4, 16, 64):
                m, trials = 8, (100 if batch == 1 else 10)
                cnt = [0, 0, 0, 0]
                tot_f = tot_b = 0
                for _ in range(trials):
                    W = (torch.randn(m, n, dtype=torch.float64) / n ** 0.5).to(dt)
                    b = torch.randn(m, dtype=torch.float64).to(dt)
                    a = torch.randn(batch, n, dtype=torch.float64).to(dt)
                    d = torch.randn(batch, m, dtype=torch.float64).to(dt)
                    a.requires_grad_(True)
                    z = torch.nn.functional.linear(a[0] if batch == 1 else a, W, b)
                    z.backward(d[0] if batch == 1 else d)
                    z = z.detach().reshape(batch, m)
                    g = a.grad
                    Wl = W.double().tolist()
                    for r in range(batch):
                        ar = a[r].detach().double().tolist()
                        dr = d[r].double().tolist()
                        for i in range(m):
                            zt = z[r, i].item()
                            cnt[0] += zt != documented(Wl[i], ar, b[i].item(), f)
                            cnt[1] += zt != exact(Wl[i], ar, b[i].item(), f)
                            tot_f += 1
                        for k in range(n):
                            col = [Wl[i][k] for i in range(m)]
                            gt = g[r, k].item()
                            cnt[2] += gt != documented(dr, col, None, f)
                            cnt[3] += gt != exact(dr, col, None, f)
                            tot_b += 1
                print("%-9s %5d %4d  %7.3f %9.3f  %8.3f %9.3f"
                      % (f, batch, n, cnt[0] / tot_f, cnt[1] / tot_f,
                         cnt[2] / tot_b, cnt[3] / tot_b), flush=True)


if __name__ == "__main__":
    main()
