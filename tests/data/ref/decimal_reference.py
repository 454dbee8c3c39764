#!/usr/bin/env python3
# Independent reference values for networks whose inputs are NOT dyadic
# (0.1, 1/3, 1e-5): Python's decimal module at 120 significant digits,
# with its correctly rounded exp, written as 40 correctly rounded digits.
# The forward and backward passes are the textbook formulas, written
# without any of gradchain's code.  Run it to regenerate NAME.expected from
# NAME.net:   python3 decimal_reference.py nondyadic5.net > nondyadic5.expected
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 120


def exact(s):
    f = Fraction(s)  # "0.1", "1/3", "1e-5" are all exact here
    return Decimal(f.numerator) / Decimal(f.denominator)


a0, y, layers = Decimal(1), Decimal(0), []
name = sys.argv[1]
for line in open(name):
    words = line.split('#')[0].split()
    if not words:
        continue
    if words[0] == 'a0':
        a0 = exact(words[1])
    elif words[0] == 'y':
        y = exact(words[1])
    else:
        layers.append((exact(words[0]), exact(words[1])))

a, sp = [a0], []
for w, b in layers:
    s = 1 / (1 + (-(w * a[-1] + b)).exp())
    a.append(s)
    sp.append(s * (1 - s))
L = len(layers)
delta = [None] * L
delta[L - 1] = sp[L - 1] * (a[L] - y)
for j in range(L - 2, -1, -1):
    delta[j] = sp[j] * layers[j + 1][0] * delta[j + 1]

print('# network: %s' % name)
print('# independent evaluation: Python decimal, 120 digits')
print('# j dC/db_j dC/dw_j')
for j in range(L):
    print(j + 1, format(delta[j], '.39e'), format(delta[j] * a[j], '.39e'))
