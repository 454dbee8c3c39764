#!/usr/bin/python3
# make_ref.py -- reference gradients dC/db^l_i of small wide networks
# replayed in binary64, binary32, binary16 and bfloat16, for
# tests/check_wide_replay.c.  Independent of gradchain: every operation is
# computed exactly with Python's fractions and rounded to the format by
# round_to() below (IEEE round to nearest, ties to even, subnormals,
# overflow to infinity); exp and tanh are the C library's (through ctypes:
# exp, tanh for binary64, expf, tanhf for binary32, as the replay's
# hardware formats call them) or, in the emulated formats binary16 and
# bfloat16, correctly rounded (mpmath at 300 bits, then round_to).
# The operation order is the one documented in gradchain/wide.h
# ("Replays of wide networks") and formats.h (the sequences):
#   z^l_i = ((W_i1 a_1 + W_i2 a_2) + ...) + b_i, every product and sum rounded;
#   g^{l-1}_k = (delta_1 W_1k + delta_2 W_2k) + ..., likewise;
#   pytorch: activation and its backward in binary32 for binary16/bfloat16
#   (rounded once to the format), sigmoid (g (1 - a)) a, tanh g fma(-a, a, 1),
#   relu a > 0 ? g : 0; textbook: s' = a (1 - a), 1 - a a, z > 0 ? 1 : 0 and
#   delta = (g) s' (s' g at the output); stable: sigmoid from exp(-|z|);
#   costs: quadratic g = a - y; cross-entropy (sigmoid output): pytorch's
#   BCELoss backward (a - y) / max((1 - a) a, 1e-12), then the sigmoid's
#   backward; textbook and stable delta_L = a - y.
# Run: /usr/bin/python3 make_ref.py > ref.txt   (deterministic: seed 13)
import ctypes
import math
import random
from fractions import Fraction as F

import mpmath

mpmath.mp.prec = 300
libm = ctypes.CDLL("libm.so.6")
for name in ("expf", "tanhf"):
    fn = getattr(libm, name)
    fn.restype = ctypes.c_float
    fn.argtypes = [ctypes.c_float]

# precision p, MPFR's emin and emax: x = m 2^e with 1/2 <= m < 1
FORMATS = {
    "binary64": (53, -1021, 1024),
    "binary32": (24, -125, 128),
    "binary16": (11, -13, 16),
    "bfloat16": (8, -125, 128),
}
HARDWARE = ("binary64", "binary32")


def round_to(x, f):
    """The Fraction x != 0 rounded to nearest even in format f, a float."""
    p, emin, emax = FORMATS[f]
    s = -1 if x < 0 else 1
    a = abs(x)
    e = a.numerator.bit_length() - a.denominator.bit_length()
    while F(2) ** e <= a:          # 2^(e-1) <= a < 2^e
        e += 1
    while F(2) ** (e - 1) > a:
        e -= 1
    q = max(e, emin) - p           # the exponent of the ulp
    m = a / F(2) ** q
    n = math.floor(m)
    r = m - n
    if r > F(1, 2) or (r == F(1, 2) and n % 2 == 1):
        n += 1
    v = n * F(2) ** q
    if v >= F(2) ** emax:
        return s * math.inf
    return math.copysign(float(v), s) if v != 0 else math.copysign(0.0, s)


def finite(*xs):
    return all(math.isfinite(x) for x in xs)


def add(x, y, f):
    if not finite(x, y):
        return x + y
    s = F(x) + F(y)
    if s == 0:
        return -0.0 if math.copysign(1, x) < 0 and math.copysign(1, y) < 0 else 0.0
    return round_to(s, f)


def sub(x, y, f):
    return add(x, -y, f)


def mul(x, y, f):
    if not finite(x, y):
        return x * y
    p = F(x) * F(y)
    if p == 0:
        return math.copysign(0.0, math.copysign(1, x) * math.copysign(1, y))
    return round_to(p, f)


def div(x, y, f):
    sign = math.copysign(1, x) * math.copysign(1, y)
    if math.isnan(x) or math.isnan(y) or (x == 0 and y == 0):
        return math.nan
    if y == 0:
        return math.copysign(math.inf, sign)
    if not finite(x, y):
        return x / y
    q = F(x) / F(y)
    if q == 0:
        return math.copysign(0.0, sign)
    return round_to(q, f)


def fma(x, y, z, f):
    if not finite(x, y, z):
        return x * y + z
    s = F(x) * F(y) + F(z)
    return round_to(s, f) if s != 0 else 0.0


def fn(name, x, f):
    """exp or tanh of x in format f (see the top)."""
    if f == "binary64":
        return getattr(math, name)(x)
    if f == "binary32":
        return getattr(libm, name + "f")(x)
    if not math.isfinite(x):
        return getattr(math, name)(x) if name == "tanh" or x < 0 or math.isnan(x) \
            else math.inf
    sign, m, e, _ = getattr(mpmath, name)(mpmath.mpf(x))._mpf_
    if m == 0:
        return math.copysign(0.0, x)
    return round_to((-1) ** sign * F(m) * F(2) ** e, f)


def sigmoid(z, f, stable):
    if stable:
        t = fn("exp", -abs(z), f)
        v = add(1.0, t, f)
        return div(t if z < 0 else 1.0, v, f)
    t = fn("exp", -z, f)
    t = add(1.0, t, f)
    return div(1.0, t, f)


def forward(act, z, c, ar, seq):
    """a = f(z): computed in ar, rounded to the compute format c."""
    if act == "sigmoid":
        a = sigmoid(z, ar, seq == "stable")
    elif act == "tanh":
        a = fn("tanh", z, ar)
    else:
        a = z if z > 0 else 0.0
    return rnd(a, c)


def rnd(x, f):
    if not math.isfinite(x) or x == 0:
        return x
    return round_to(F(x), f)


def sprime(act, z, a, f, seq):
    """s' = f'(z) of the textbook and stable sequences, in f."""
    if act == "sigmoid":
        if seq == "stable":
            t = fn("exp", -abs(z), f)
            v = add(1.0, t, f)
            v = mul(v, v, f)
            return div(t, v, f)
        t = sub(1.0, a, f)
        return mul(a, t, f)
    if act == "tanh":
        t = mul(a, a, f)
        return sub(1.0, t, f)
    return 1.0 if z > 0 else 0.0


def torch_backward(act, g, a, c, ar):
    if act == "sigmoid":
        t = sub(1.0, a, ar)
        t = mul(g, t, ar)
        d = mul(t, a, ar)
    elif act == "tanh":
        t = fma(-a, a, 1.0, ar)
        d = mul(g, t, ar)
    else:
        d = g if a > 0 else 0.0
    return rnd(d, c)


def dot(xs, ys, f):
    r = mul(xs[0], ys[0], f)
    for x, y in zip(xs[1:], ys[1:]):
        r = add(r, mul(x, y, f), f)
    return r


def replay(net, f, seq):
    """dC/db of every neuron, layer after layer, as floats."""
    a0, y, layers, cost = net
    # pytorch computes the activations of narrow formats in binary32
    ar = "binary32" if seq == "pytorch" and FORMATS[f][0] < 24 else f
    a = [round_to(x, f) if x != 0 else 0.0 for x in a0]
    yr = [round_to(x, f) if x != 0 else 0.0 for x in y]
    acts, zs, sps, Ws = [a], [], [], []
    for act, rows in layers:
        W = [[round_to(v, f) if v != 0 else 0.0 for v in row] for row in rows]
        Ws.append(W)
        z = [add(dot(row[:-1], acts[-1], f), row[-1], f) for row in W]
        an = [forward(act, zi, f, ar, seq) for zi in z]
        zs.append(z)
        acts.append(an)
        if seq != "pytorch":
            sps.append([sprime(act, zi, ai, f, seq) for zi, ai in zip(z, an)])
    L = len(layers)
    aL = acts[-1]
    g = [sub(ai, yi, f) for ai, yi in zip(aL, yr)]
    if cost == "cross-entropy" and seq == "pytorch":
        eps = rnd(1e-12, ar)
        gn = []
        for gi, ai in zip(g, aL):
            t = sub(1.0, ai, ar)
            t = mul(t, ai, ar)
            if t < eps:
                t = eps
            gn.append(rnd(div(gi, t, ar), f))
        g = gn
    db = [None] * L
    delta_next = None
    for l in range(L, 0, -1):
        act = layers[l - 1][0]
        n = len(layers[l - 1][1])
        if l < L:
            Wn = Ws[l]
            g = [dot(delta_next, [row[i] for row in Wn], f) for i in range(n)]
        delta = []
        for i in range(n):
            if seq == "pytorch":
                d = torch_backward(act, g[i], acts[l][i], f, ar)
            elif l == L and cost == "cross-entropy":
                d = g[i]
            elif l == L:
                d = mul(sps[l - 1][i], g[i], f)
            else:
                d = mul(g[i], sps[l - 1][i], f)
            delta.append(d)
        db[l - 1] = delta
        delta_next = delta
    return [d for layer in db for d in layer]


def rand_q(rng, lo, hi, den):
    return F(rng.randint(lo * den, hi * den), den)


def main():
    rng = random.Random(13)
    shapes = [[2, 3, 2], [3, 4, 1], [2, 2, 3, 2], [4, 3, 4], [3, 2, 2, 4],
              [2, 4, 4, 1], [4, 4, 2], [1, 3, 2, 2], [3, 3, 3, 3], [2, 1, 3],
              [4, 2, 4, 2], [2, 3, 3, 1]]
    print("# dC/db^l_i of small wide networks in four formats and three")
    print("# sequences, made by make_ref.py (fractions, mpmath, the C library's")
    print("# exp and tanh), not by gradchain; read by tests/check_wide_replay.c.")
    print("# 'net N' starts a network file (gc_wnet_read), 'end' ends it;")
    print("# 'replay FORMAT SEQUENCE' lists dC/db^l_i in neuron index order (hex).")
    for k, shape in enumerate(shapes):
        den = rng.choice([10, 7, 100, 3])
        scale = rng.choice([1, 2, 4])
        a0 = [rand_q(rng, -1, 1, den) for _ in range(shape[0])]
        y = [F(rng.randint(0, 10), 10) for _ in range(shape[-1])]
        layers = []
        for l in range(1, len(shape)):
            act = rng.choice(["sigmoid", "tanh", "relu"])
            if l == len(shape) - 1 and k % 3 == 0:
                act = "sigmoid"
            rows = [[rand_q(rng, -scale, scale, den) for _ in range(shape[l - 1] + 1)]
                    for _ in range(shape[l])]
            layers.append((act, rows))
        cost = "cross-entropy" if k % 3 == 0 else "quadratic"
        net = (a0, y, layers, cost)
        print("net %d" % k)
        print("a0 " + " ".join(str(x) for x in a0))
        print("y " + " ".join(str(x) for x in y))
        print("cost " + cost)
        for act, rows in layers:
            print("layer act " + act)
            for row in rows:
                print(" ".join(str(v) for v in row))
        print("end")
        for f in FORMATS:
            for seq in ("pytorch", "textbook", "stable"):
                db = replay(net, f, seq)
                print("replay %s %s %s" % (f, seq, " ".join(float.hex(d) for d in db)))


if __name__ == "__main__":
    main()
