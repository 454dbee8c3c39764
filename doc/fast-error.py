#!/usr/bin/python3
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# fast-error.py -- the error bound of the polynomial of the fast path's
# exponential (lemma E at the top of src/numeric/fast.c): the Taylor
# polynomial of degree 14 of e^R, |R| <= 0.3501, in binary64 with c_i =
# fl(1/i!), as 1 + (R + R^2 Q(R)) with Q = c_2 + c_3 R + ... + c_14 R^12 by
# Estrin's scheme, in exactly the order of exp_poly() in fast.c.  Runs
# with mpmath at 200 bits (/usr/bin/python3) and prints the bounds in
# units of u = 2^-53; fast.c uses EXP_POLY = 3.5 u.
#
# Each computed quantity is a pair (M, E): M >= |its exact value| (the
# same expression in exact arithmetic at the same R), E >= |computed -
# exact|.  A product of computed a, b differs from the exact one by at
# most M_a E_b + M_b E_a + E_a E_b before its rounding, which adds at most
# u (M_a + E_a)(M_b + E_b); a sum, E_a + E_b and u (M_a + E_a + M_b +
# E_b).  R itself is exact (the reduction's error is counted apart).
from mpmath import mp, mpf, factorial, exp

mp.prec = 200
u = mpf(2) ** -53
R = mpf("0.3501")
n = 14


def const(i):
    # fl(1/i!): exact for i <= 2, one rounding otherwise
    return (1 / factorial(i), 0 if i <= 2 else u / factorial(i))


def mul(a, b):
    (ma, ea), (mb, eb) = a, b
    return (ma * mb, ma * eb + mb * ea + ea * eb + u * (ma + ea) * (mb + eb))


def add(a, b):
    (ma, ea), (mb, eb) = a, b
    return (ma + mb, ea + eb + u * (ma + ea + mb + eb))


r = (R, mpf(0))
c = [const(i) for i in range(n + 1)]
# exp_poly: pairs c_i + c_i+1 R (i = 2, 4, .., 12) and c_14, then R^2,
# R^4, R^8 folding them into Q
p = [add(c[i], mul(c[i + 1], r)) for i in range(2, 14, 2)] + [c[14]]
r2 = mul(r, r)
q = [add(p[2 * i], mul(p[2 * i + 1], r2)) for i in range(3)] + [p[6]]
r4 = mul(r2, r2)
s = [add(q[0], mul(q[1], r4)), add(q[2], mul(q[3], r4))]
r8 = mul(r4, r4)
Q = add(s[0], mul(s[1], r8))
res = add(c[0], add(r, mul(r2, Q)))
trunc = R ** (n + 1) / factorial(n + 1) * exp(R)
rel = (res[1] + trunc) / exp(-R)
# the constants of the short reduction: C1 = ln 2 to 29 bits, C2 =
# RN(ln 2 - C1), |ln 2 - C1 - C2| < 2^-89, |C2| < 2^-34
C1 = mpf(float.fromhex("0x1.62e42ffp-1"))
C2 = mpf(float.fromhex("-0x1.718432a1b0e26p-35"))
ln2 = mp.log(2)
assert C1 * 2 ** 29 == int(C1 * 2 ** 29) and abs(C1 - ln2) < mpf(2) ** -29
assert abs(C2 - (ln2 - C1)) <= abs(C2) * u
assert abs(ln2 - C1 - C2) < mpf(2) ** -89 and abs(C2) < mpf(2) ** -34
print("short reduction: |ln 2 - C1 - C2| = %.3g 2^-89"
      % (abs(ln2 - C1 - C2) * mpf(2) ** 89))
print("evaluation error <= %.4f u" % (res[1] / u))
print("truncation <= %.4f u" % (trunc / u))
print("relative to e^R >= e^-0.3501: <= %.4f u" % (rel / u))
assert rel < 3.5 * u

# Lemma P (the plain lane): for |z| <= 700 every value of a layer is a
# normal binary64 number.  The k of the reduction (-z = k ln 2 + R,
# |R| <= 0.35) satisfies |k| <= (700 + 0.35) / ln 2: 2^k is a
# normal double; U = p 2^k with p in [e^-0.3501, e^0.3501] (with its
# error) is normal and finite; A = 1/(1 + U), U A = U/(1 + U) and
# f'(z) = U A A = U/(1 + U)^2 are at least 2^-1013, and stay above
# 2^-1022 with their bounds (at most RMAX = 2^-4 relative).  The
# underflows left are in the bound formulas (and in w a_(j-1)), each at
# most 2^-1075 absolute, at most 16 of them per bound: below
# PLAIN_TINY = 2^-1000.
zmax = 700
kmax = int(mp.floor((zmax + mpf("0.35")) / ln2))
assert kmax <= 1021
pmin, pmax = exp(-mpf("0.3501")) * (1 - 4 * u), exp(mpf("0.3501")) * (1 + 4 * u)
umin, umax = pmin * mpf(2) ** -kmax, pmax * mpf(2) ** kmax
assert umin >= mpf(2) ** -1022 and umax < mpf(2) ** 1024
amin = 1 / (1 + umax)
spmin = min(umin / (1 + umin) ** 2, umax / (1 + umax) ** 2)
low = mpf(2) ** -1013
assert amin >= low and umin / (1 + umin) >= low and spmin >= low
assert low * (1 - mpf(2) ** -4) ** 3 >= mpf(2) ** -1022
assert 16 * mpf(2) ** -1075 < mpf(2) ** -1000
print("plain lane: |k| <= %d, min f'(z) = 2^%.2f, min a = 2^%.2f"
      % (kmax, mp.log(spmin, 2), mp.log(amin, 2)))

# Lemma D: S' = fl(fl(U A') A'), A' = fl(1/fl(1 + U)) is s(U) = U/(1 + U)^2
# times (1 + d2)^2 (1 + d3)(1 + d4)/(1 + d1)^2, |d_i| <= u: at most
# SP_ROUND = 6.01 u away.  And s(U (1 + t))/s(U) = (1 + t)/(1 + theta t)^2,
# theta = U/(1 + U) in (0, 1), stays within r (1 + 2 r) of 1 for |t| <= r
# <= RMAX = 2^-4: checked on a grid of theta and t (the extremes are at
# theta = 0 and 1, t = +-r).
sp_round = (1 + u) ** 4 / (1 - u) ** 2 - 1
assert sp_round <= mpf("6.01") * u
rmax = mpf(2) ** -4
worst = mpf(0)
for i in range(0, 101):
    theta = mpf(i) / 100
    for rr in (rmax, rmax / 7, mpf(2) ** -30, u):
        for t in (rr, -rr, rr / 3, -rr / 3):
            dev = abs((1 + t) / (1 + theta * t) ** 2 - 1) / (rr * (1 + 2 * rr))
            worst = max(worst, dev)
assert worst <= 1
print("lemma D: SP_ROUND = %.4f u, s(U(1 + t))/s(U) - 1 <= %.4f r (1 + 2 r)"
      % (sp_round / u, worst))
