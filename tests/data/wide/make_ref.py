#!/usr/bin/python3
# make_ref.py -- reference gradients of small wide networks, computed
# with mpmath at 200 digits, independently of gradchain.
#
#   /usr/bin/python3 tests/data/wide/make_ref.py > tests/data/wide/ref.txt
#
# Networks of widths 2..5 and 2..6 layers, every activation (one per
# layer, cycling), both costs (cross-entropy with a sigmoid output).
# Parameters are exact rationals: some binary64 numbers (k/16), some not
# (k/7, k/10).  For each network the file holds, one item a line:
#   net NAME
#   cost quadratic|cross-entropy
#   widths n0 n1 ... nL
#   acts NAME1 ... NAMEL             (gradchain's activation names)
#   a0 Q1 ... Qn0                    (exact rationals p/q)
#   y Q1 ... QnL
#   params Q...                      (layer by layer, row by row:
#                                     W_i1 .. W_in, b_i)
#   db D...                          (dC/db^l_i, l = 1..L, i = 1..n_l,
#                                     40 significant digits)
#   end
# Conventions as gradchain's: relu'(0) = 0, leaky-relu'(0) = slope
# (z > 0 takes the linear branch), gelu(z) = z Phi(z).
import random
from fractions import Fraction
import mpmath
from mpmath import mp, mpf

mp.dps = 200
ACTS = ["sigmoid", "tanh", "relu", "leaky-relu", "softplus", "identity",
        "gelu"]
SLOPE = Fraction(1, 100)


def q(x):
    return mpf(x.numerator) / x.denominator


def act(name, z):
    """(f(z), f'(z))"""
    if name == "sigmoid":
        s = 1 / (1 + mpmath.exp(-z))
        return s, s * (1 - s)
    if name == "tanh":
        t = mpmath.tanh(z)
        return t, 1 - t * t
    if name == "relu":
        return (z, mpf(1)) if z > 0 else (mpf(0), mpf(0))
    if name == "leaky-relu":
        return (z, mpf(1)) if z > 0 else (q(SLOPE) * z, q(SLOPE))
    if name == "softplus":
        return mpmath.log1p(mpmath.exp(z)), 1 / (1 + mpmath.exp(-z))
    if name == "identity":
        return z, mpf(1)
    if name == "gelu":
        phi = mpmath.erfc(-z / mpmath.sqrt(2)) / 2
        return z * phi, phi + z * mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)
    raise ValueError(name)


def rand_q(rng):
    den = rng.choice([16, 7, 10, 4])
    return Fraction(rng.randint(-3 * den, 3 * den), den)


def grads(widths, acts, params, a0, y, cost, keep=None):
    """every dC/db^l_i, layer after layer; the activations a^0 .. a^L
    appended to the list keep if given (dw_ref.py)"""
    L = len(widths) - 1
    a = [q(v) for v in a0]
    if keep is not None:
        keep.append(a)
    sps, pos = [], 0
    rows = []
    for l in range(1, L + 1):
        n, m = widths[l - 1], widths[l]
        W = []
        z, anew, sp = [], [], []
        for i in range(m):
            row = params[pos:pos + n + 1]
            pos += n + 1
            W.append(row)
            zi = q(row[n]) + mpmath.fsum(q(row[k]) * a[k] for k in range(n))
            f, d = act(acts[l - 1], zi)
            z.append(zi)
            anew.append(f)
            sp.append(d)
        rows.append(W)
        sps.append(sp)
        a = anew
        if keep is not None:
            keep.append(a)
    g = [a[i] - q(y[i]) for i in range(widths[L])]
    if cost == "cross-entropy":
        delta = g   # sigmoid output: dC/dz^L = a - y
    else:
        delta = [g[i] * sps[L - 1][i] for i in range(widths[L])]
    out = [delta]
    for l in range(L - 1, 0, -1):
        W = rows[l]       # layer l+1
        delta = [sps[l - 1][k] * mpmath.fsum(q(W[i][k]) * delta[i]
                                              for i in range(widths[l + 1]))
                 for k in range(widths[l])]
        out.insert(0, delta)
    return [v for layer in out for v in layer]


def fmt(x):
    return mpmath.nstr(x, 40, min_fixed=1, max_fixed=0, strip_zeros=False)


def main():
    rng = random.Random(13)
    k = 0
    for L in range(2, 7):
        for rep in range(3):
            widths = [rng.randint(2, 5) for _ in range(L + 1)]
            acts = [ACTS[(k + j) % len(ACTS)] for j in range(L)]
            cost = "quadratic"
            if rep == 2:
                cost = "cross-entropy"
                acts[-1] = "sigmoid"
            npar = sum(widths[l] * (widths[l - 1] + 1) for l in range(1, L + 1))
            params = [rand_q(rng) for _ in range(npar)]
            a0 = [rand_q(rng) for _ in range(widths[0])]
            y = [Fraction(rng.randint(0, 8), 8) for _ in range(widths[L])]
            db = grads(widths, acts, params, a0, y, cost)
            print("net w%d" % k)
            print("cost", cost)
            print("widths", *widths)
            print("acts", *acts)
            print("a0", *a0)
            print("y", *y)
            print("params", *params)
            print("db", *[fmt(v) for v in db])
            print("end")
            k += 1


if __name__ == "__main__":
    main()
