#!/usr/bin/env python3
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.
"""Reference gradients of chains with mixed activations (issue 9),
independent of gradchain: mpmath at 200 digits, recomputed at 300 digits
to check that the 40 printed digits do not change.  Inputs are exact
rationals (Fraction); while every layer so far is piecewise linear (relu,
leaky-relu, identity) z_j is computed exactly, so the sign at a kink is
exact (relu'(0) = 0, leaky-relu'(0) = S, as PyTorch).  Writes NAME.net and
NAME.expected (j dC/db_j dC/dw_j, 40 significant digits, round half to
even; an exact zero as 0) into the directory of this script.

    python3 activations_reference.py
"""
import os
from decimal import Decimal, ROUND_HALF_EVEN, getcontext
from fractions import Fraction as F

import mpmath
from mpmath import mp, mpf

DIGITS = 40
PL = ("relu", "leaky-relu", "identity")

# name, comment, a0, y, default act, cost line, layers (w, b, act or None)
NETS = [
    ("act8_quad", "tanh default with per-layer overrides; exact z_2 = 0 at a relu",
     "1/3", "1/4", "tanh", None,
     [("3", "-1", "identity"), ("2", "0", "relu"), ("0.5", "-0.25", None),
      ("-1.5", "0.5", "leaky-relu:0.2"), ("1.25", "0.1", "gelu"),
      ("-0.8", "0.3", "softplus"), ("1.1", "-0.2", "gelu"),
      ("0.9", "0.05", "sigmoid")]),
    ("act7_ce", "relu default, sigmoid output, cross-entropy",
     "0.75", "1", "relu", "cost cross-entropy",
     [("1.5", "0.25", None), ("-0.5", "-0.75", "leaky-relu:0.2"),
      ("-2", "0.125", "gelu"), ("1.75", "0.5", "tanh"),
      ("0.625", "-0.375", "softplus"), ("1.2", "-0.1", None),
      ("-1.3", "0.4", "sigmoid")]),
    ("act6_given", "gelu default, given dC/da_L, leaky-relu at z = 0 and z < 0",
     "-0.5", "0", "gelu", "cost given 3/2",
     [("2", "1", "leaky-relu:0.2"), ("0.75", "-0.5", "leaky-relu:1/8"),
      ("-3", "-2.5", None), ("1.5", "0.25", "identity"),
      ("-0.9", "0.2", "softplus"), ("1.1", "-0.3", None)]),
    ("act6_quad", "softplus default, quadratic cost, tanh output",
     "2", "-0.5", "softplus", None,
     [("0.5", "-1", None), ("-1.25", "0.75", "relu"), ("0.8", "0.1", "tanh"),
      ("1.5", "-2.25", "gelu"), ("-0.6", "0.9", "identity"),
      ("1.3", "-0.2", "tanh")]),
]


def parse_act(name):
    if name.startswith("leaky-relu"):
        return "leaky-relu", F(name.split(":")[1]) if ":" in name else F(1, 100)
    return name, None


def f_and_df(kind, slope, z, zq):
    """a = f(z), f'(z); zq is the exact z (Fraction) or None."""
    sign = (zq > 0) - (zq < 0) if zq is not None else (z > 0) - (z < 0)
    if kind == "sigmoid":
        s = 1 / (1 + mpmath.exp(-z))
        return s, s * (1 - s)
    if kind == "tanh":
        return mpmath.tanh(z), 1 - mpmath.tanh(z) ** 2
    if kind == "relu":
        return (z, mpf(1)) if sign > 0 else (mpf(0), mpf(0))
    if kind == "leaky-relu":
        S = mpf(slope.numerator) / slope.denominator
        return (z, mpf(1)) if sign > 0 else (S * z, S)
    if kind == "softplus":
        return mpmath.log(1 + mpmath.exp(z)), 1 / (1 + mpmath.exp(-z))
    if kind == "identity":
        return z, mpf(1)
    if kind == "gelu":
        Phi = (1 + mpmath.erf(z / mpmath.sqrt(2))) / 2
        phi = mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)
        return z * Phi, Phi + z * phi
    raise ValueError(kind)


def q(x):
    return mpf(x.numerator) / x.denominator


def gradients(net):
    name, _, a0, y, act, cost, layers = net
    a0, y = F(a0), F(y)
    a, aq = q(a0), a0         # aq: exact while the prefix is piecewise linear
    acts, zs, sps, alist = [], [], [], [a]
    for w, b, la in layers:
        kind, slope = parse_act(la or act)
        w, b = F(w), F(b)
        zq = w * aq + b if aq is not None else None
        z = q(zq) if zq is not None else q(w) * a + q(b)
        a, sp = f_and_df(kind, slope, z, zq)
        if aq is not None and kind in PL:
            aq = zq if (kind == "identity" or zq > 0) else (
                F(0) if kind == "relu" else zq * slope)
        else:
            aq = None
        acts.append(kind)
        sps.append(sp)
        alist.append(a)
    aL = alist[-1]
    if cost is None:
        g = (aL - q(y)) * sps[-1]
    elif cost == "cost cross-entropy":
        assert acts[-1] == "sigmoid"
        g = aL - q(y)       # dC/dz_L
    else:
        g = q(F(cost.split()[2])) * sps[-1]
    db = [None] * len(layers)
    db[-1] = g
    for j in range(len(layers) - 2, -1, -1):
        db[j] = sps[j] * q(F(layers[j + 1][0])) * db[j + 1]
    dw = [alist[j] * db[j] for j in range(len(layers))]
    return db, dw


def sci(x):
    if x == 0:
        return "0"
    d = Decimal(mpmath.nstr(x, DIGITS + 30, strip_zeros=False,
                            min_fixed=1, max_fixed=0))
    e = d.adjusted()
    m = d.scaleb(-e).quantize(Decimal(1).scaleb(-(DIGITS - 1)),
                              rounding=ROUND_HALF_EVEN)
    if abs(m) >= 10:
        m, e = (m / 10).quantize(Decimal(1).scaleb(-(DIGITS - 1)),
                                 rounding=ROUND_HALF_EVEN), e + 1
    return "%se%+d" % (m, e)


def main():
    getcontext().prec = 120
    here = os.path.dirname(os.path.abspath(__file__))
    for net in NETS:
        name, comment, a0, y, act, cost, layers = net
        mp.dps = 200
        db, dw = gradients(net)
        mp.dps = 300
        db2, dw2 = gradients(net)
        rows = []
        for j in range(len(layers)):
            r = (sci(db[j]), sci(dw[j]))
            assert r == (sci(db2[j]), sci(dw2[j])), (name, j)
            rows.append(r)
        with open(os.path.join(here, name + ".net"), "w") as f:
            f.write("# network %s: %s\n# made by activations_reference.py\n"
                    % (name, comment))
            f.write("a0 %s\ny %s\nact %s\n" % (a0, y, act))
            if cost:
                f.write(cost + "\n")
            for w, b, la in layers:
                f.write("%s %s%s\n" % (w, b, " " + la if la else ""))
        with open(os.path.join(here, name + ".expected"), "w") as f:
            f.write("# network %s: %s\n" % (name, comment))
            f.write("# independent mpmath evaluation (activations_reference.py),"
                    " 200 digits, checked at 300\n# j dC/db_j dC/dw_j\n")
            for j, (b, w) in enumerate(rows):
                f.write("%d %s %s\n" % (j + 1, b, w))


if __name__ == "__main__":
    main()
