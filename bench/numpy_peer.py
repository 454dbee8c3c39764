#!/usr/bin/python3
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

"""numpy_peer.py -- the peer of a gradchain sweep (issue 12, goal 6): a
researcher replaying N(0,1) sigmoid chains in numpy, vectorised across
networks, with no exact value at all.  Not a test.

    /usr/bin/python3 bench/numpy_peer.py [L [N [REPS]]]

N (default 10000) chains of L (default 1000) layers, w_j and b_j N(0,1),
a_0 = 1, y = 0, quadratic cost, replayed in float64, float32 and float16
(numpy) and bfloat16 (torch: numpy has no bfloat16; torch's CPU tensors,
one thread, also in float64 and float32 as a second peer; this torch
has no float16 sigmoid on CPU).  The operations and
their order are those of gradchain's pytorch sequence
(src/numeric/formats_replay.c) for a sigmoid chain:

    forward   t = w_j a_{j-1};  z_j = t + b_j;  a_j = 1 / (1 + exp(-z_j))
    cost      g = a_L - y
    backward  g = delta_{j+1} w_{j+1} (j < L);
              delta_j = (g (1 - a_j)) a_j;  dW_j = a_{j-1} delta_j

every operation rounded to the format, except that for the formats
narrower than binary32 (float16, bfloat16) the sigmoid and its backward
are computed in float32 and rounded once, as PyTorch does on CPU.  Every
a_j is kept for the backward pass and every delta_j = dC/db_j is stored
(what a sweep needs to find where the gradient dies); dW_j is computed and
dropped.  Drawing the parameters is not timed; rounding them to the format
is.  Prints, per format, the best of REPS (default 5) CPU times of the
process (one thread: numpy's elementwise operations do not thread, and
torch is set to one thread) as ns per layer and network, and their sum
over the four formats. """

import sys
import time

import numpy as np

try:
    import torch
except ImportError:  # the numpy rows still print
    torch = None


def replay_numpy(w64, b64, dtype):
    """One replay of the chains w64[j], b64[j] (shape (L, N)) in dtype;
    returns the stored dC/db_j, shape (L, N)."""
    L, n = w64.shape
    narrow = np.finfo(dtype).bits < 32
    w = w64.astype(dtype)
    b = b64.astype(dtype)
    a = np.empty((L + 1, n), dtype)
    a[0] = 1
    one = dtype(1)
    for j in range(L):
        z = w[j] * a[j] + b[j]
        if narrow:
            z32 = z.astype(np.float32)
            a32 = np.float32(1) / (np.float32(1) + np.exp(-z32))
            a[j + 1] = a32.astype(dtype)
        else:
            a[j + 1] = one / (one + np.exp(-z))
    db = np.empty((L, n), dtype)
    g = a[L] - dtype(0)
    for j in range(L - 1, -1, -1):
        if j < L - 1:
            g = db[j + 1] * w[j + 1]
        if narrow:
            aj = a[j + 1].astype(np.float32)
            d32 = (g.astype(np.float32) * (np.float32(1) - aj)) * aj
            db[j] = d32.astype(dtype)
        else:
            db[j] = (g * (one - a[j + 1])) * a[j + 1]
        dw = a[j] * db[j]  # noqa: F841 (computed as the sequence does)
    return db


def replay_torch(w64, b64, dtype):
    """As replay_numpy with torch tensors (torch computes the narrow
    formats' sigmoid in float32 and rounds once by itself)."""
    L, n = w64.shape
    w = w64.to(dtype)
    b = b64.to(dtype)
    a = torch.empty((L + 1, n), dtype=dtype)
    a[0] = 1
    for j in range(L):
        z = w[j] * a[j] + b[j]
        a[j + 1] = torch.sigmoid(z)
    db = torch.empty((L, n), dtype=dtype)
    g = a[L] - 0
    for j in range(L - 1, -1, -1):
        if j < L - 1:
            g = db[j + 1] * w[j + 1]
        # sigmoid_backward: (g * (1 - a)) * a
        db[j] = torch.ops.aten.sigmoid_backward(g, a[j + 1])
        dw = a[j] * db[j]  # noqa: F841
    return db


def best_ns(fn, w, b, dtype, reps, L, n):
    best = float("inf")
    for _ in range(reps):
        t = time.process_time()
        fn(w, b, dtype)
        best = min(best, time.process_time() - t)
    return 1e9 * best / (L * n)


def main():
    L = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rng = np.random.default_rng(1)
    w = rng.standard_normal((L, n))
    b = rng.standard_normal((L, n))
    print("numpy %s, %d networks x %d layers, best of %d, ns per layer "
          "and network" % (np.__version__, n, L, reps))
    total = 0.0
    for name, dtype in (("float64", np.float64), ("float32", np.float32),
                        ("float16", np.float16)):
        ns = best_ns(replay_numpy, w, b, dtype, reps, L, n)
        total += ns
        print("  numpy  %-9s %8.1f" % (name, ns))
    if torch is None:
        print("  (no torch: bfloat16 not measured)")
        print("  numpy  sum (3 formats) %.1f" % total)
        return
    torch.set_num_threads(1)
    wt = torch.from_numpy(w)
    bt = torch.from_numpy(b)
    ns = best_ns(replay_torch, wt, bt, torch.bfloat16, reps, L, n)
    print("  torch  %-9s %8.1f" % ("bfloat16", ns))
    print("  numpy float64, float32, float16 + torch bfloat16: %.1f"
          % (total + ns))
    for name, dtype in (("float64", torch.float64),
                        ("float32", torch.float32)):
        print("  torch  %-9s %8.1f"
              % (name, best_ns(replay_torch, wt, bt, dtype, reps, L, n)))
    print("  (torch %s, 1 thread; its CPU sigmoid has no float16)"
          % torch.__version__)


if __name__ == "__main__":
    main()
