#!/usr/bin/env python3
"""Relative errors of compare's format values against the exact values,
computed apart from gradchain with mpmath (used by tests/cli-compare.sh).

Usage: rel_error_reference.py NET.expected < compare.csv > NET.relerr

compare.csv is 'gradchain compare NET --format csv --formats ...' (its
value column: each number prints with enough digits to name its format
number, which is recovered here by rounding to the format's precision).
The exact dC/db_j are the 40-digit values of NET.expected (an
independent mpmath evaluation).  Output, for the normal values: layer,format,rel_error with the
relative error |v - e|/|e| rounded to 3 significant digits, as compare
prints it."""
import sys
from mpmath import mp, mpf

PREC = {"binary64": 53, "binary32": 24, "bfloat16": 8, "binary16": 11}

exact = {}
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    f = line.split()
    exact[int(f[0])] = f[1]

print("layer,format,rel_error")
for line in sys.stdin:
    if line.startswith("#") or line.startswith("layer"):
        continue
    f = line.strip().split(",")
    layer, fmt, value, cls = f[0], f[1], f[2], f[-1]
    if fmt not in PREC or cls != "normal":  # (subnormals: fewer bits)
        continue
    mp.prec = PREC[fmt]
    v = mpf(value)          # the format number (normal range)
    mp.prec = 300
    e = mpf(exact[int(layer)])
    r = abs((v - e) / e)
    x = int(mp.floor(mp.log10(r)))
    m = mp.nint(r / mpf(10) ** (x - 2))
    if m >= 1000:
        m, x = m / 10, x + 1
    m = int(m)
    print("%s,%s,%d.%02de%+d" % (layer, fmt, m // 100, m % 100, x))
