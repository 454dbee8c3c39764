#!/usr/bin/env python3
"""Reference data of PyTorch's autograd for gradchain's pytorch replay.

Usage: make_reference.py GRADCHAIN OUTDIR   (run from the build tree;
needs Debian's python3-torch 1.13, CPU).

For seeds 1..20, writes a random N(0,1) chain of 1200 layers with
  GRADCHAIN compare --random normal:0,1 --layers 1200 --seed S
            --save-network FILE
reads its exact binary64 parameters (a0 = 1, y = 0), and for every
activation lets PyTorch's autograd compute dC/db_j, C = (a_L - y)^2 / 2,
in float64, float32 and bfloat16 (float16: PyTorch 1.13 has no CPU
activations for Half).  Each layer is z = w * a + b on 0-dim tensors (so
every kernel takes its one-element path), a = f(z).

Writes OUTDIR/first_zero.txt: "ACT FORMAT SEED L" where L is the largest
layer j whose dC/db_j is 0 (0 when none), for every seed; and
OUTDIR/values.txt: "ACT FORMAT SEED J HEX", dC/db_j as float.hex of the
exact value, for every layer of seeds 1 and 2 (float64) and seed 1
(float32, bfloat16)."""

import os
import subprocess
import sys
from fractions import Fraction

import torch
import torch.nn.functional as F

ACTS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky-relu": lambda z: F.leaky_relu(z, 0.01),
    "softplus": F.softplus,
    "identity": lambda z: z,
    "gelu": F.gelu,
}
FORMATS = {"binary64": torch.float64, "binary32": torch.float32,
           "bfloat16": torch.bfloat16}
SEEDS = range(1, 21)
LAYERS = 1200


def read_net(path):
    w, b, a0, y = [], [], 1.0, 0.0
    for line in open(path):
        f = line.split("#")[0].split()
        if not f:
            continue
        if f[0] == "a0":
            a0 = float(Fraction(f[1]))
        elif f[0] == "y":
            y = float(Fraction(f[1]))
        elif f[0] in ("act", "cost"):
            continue
        else:
            w.append(float(Fraction(f[0])))  # exact: binary64 values
            b.append(float(Fraction(f[1])))
    return w, b, a0, y


def grads(net, act, dtype):
    w, b, a0, y = net
    ws = [torch.tensor(v, dtype=dtype, requires_grad=True) for v in w]
    bs = [torch.tensor(v, dtype=dtype, requires_grad=True) for v in b]
    a = torch.tensor(a0, dtype=dtype)
    for wj, bj in zip(ws, bs):
        a = ACTS[act](wj * a + bj)
    loss = 0.5 * (a - torch.tensor(y, dtype=dtype)) ** 2
    loss.backward()
    return [float(t.grad.double()) for t in bs]


def main():
    gradchain, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    fz = open(os.path.join(out, "first_zero.txt"), "w")
    vals = open(os.path.join(out, "values.txt"), "w")
    fz.write("# made by make_reference.py with torch %s\n" % torch.__version__)
    vals.write("# made by make_reference.py with torch %s\n" % torch.__version__)
    for s in SEEDS:
        path = os.path.join(out, "chain-%d.net" % s)
        subprocess.run([gradchain, "compare", "--random", "normal:0,1",
                        "--layers", str(LAYERS), "--seed", str(s),
                        "--save-network", path, "--summary"],
                       check=True, stdout=subprocess.DEVNULL)
        net = read_net(path)
        os.remove(path)
        for act in ACTS:
            for name, dt in FORMATS.items():
                g = grads(net, act, dt)
                zero = max([j + 1 for j, v in enumerate(g) if v == 0],
                           default=0)
                fz.write("%s %s %d %d\n" % (act, name, s, zero))
                if s == 1 or (s == 2 and name == "binary64"):
                    for j, v in enumerate(g):
                        vals.write("%s %s %d %d %s\n"
                                   % (act, name, s, j + 1, v.hex()))


if __name__ == "__main__":
    main()
