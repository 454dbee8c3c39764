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
# exponential (lemma E at the top of src/numeric/fast.c): Horner's scheme
# on the Taylor polynomial of degree 14 of e^R, |R| <= 0.3501, in binary64
# with c_i = fl(1/i!).  Runs with mpmath at 200 bits (/usr/bin/python3)
# and prints the bounds in units of u = 2^-53; fast.c uses EXP_POLY = 3.5 u.
from mpmath import mp, mpf, factorial, exp

mp.prec = 200
u = mpf(2) ** -53
R = mpf("0.3501")
n = 14
# M[i] >= |Q_i|, Q_i = sum_{k=i..n} R^(k-i)/k!, the exact suffix at R
M = [sum(R ** (k - i) / factorial(k) for k in range(i, n + 1))
     for i in range(n + 1)]
# e[i] >= |q_i - Q_i| for q_i = fl(fl(R q_{i+1}) + c_i): the propagated
# error, the product's rounding, the coefficient's rounding (c_0..c_2
# exact), the sum's rounding; e[i] on the right-hand side through
# |q_i| <= M[i] + e[i], solved for e[i] (division by 1 - u)
e = [mpf(0)] * (n + 1)
e[n] = u / factorial(n)
for i in range(n - 1, -1, -1):
    ci = 0 if i <= 2 else u / factorial(i)
    prod = R * (M[i + 1] + e[i + 1])
    e[i] = (R * e[i + 1] + u * prod + ci + u * M[i]) / (1 - u)
trunc = R ** (n + 1) / factorial(n + 1) * exp(R)
rel = (e[0] + trunc) / exp(-R)
print("evaluation error e_0 <= %.4f u" % (e[0] / u))
print("truncation <= %.4f u" % (trunc / u))
print("relative to e^R >= e^-0.3501: <= %.4f u" % (rel / u))
assert rel < 3.5 * u
