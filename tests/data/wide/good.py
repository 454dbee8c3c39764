#!/usr/bin/python3
# good.py -- an independent reading of good.net with Python's fractions:
# prints good.expected (widths, a0, y, activations, cost, then every
# parameter "IDX P/Q" in the order of gc_wnet_param_index).  It knows
# the few line kinds good.net uses; it shares no code with gradchain.
#   /usr/bin/python3 good.py < good.net > good.expected
import sys
from fractions import Fraction


def num(tok):
    if tok.lower().startswith(('0x', '-0x')):
        return Fraction(float.fromhex(tok))
    return Fraction(tok)


a0, y, act, cost = [Fraction(1)], None, 'sigmoid', 'quadratic'
widths, acts, params = [], [], []
block = False
for line in sys.stdin:
    tok = line.split('#')[0].split()
    if not tok:
        continue
    if tok[0] == 'a0':
        a0 = [num(t) for t in tok[1:]]
    elif tok[0] == 'y':
        y = [num(t) for t in tok[1:]]
    elif tok[0] == 'act':
        act = tok[1]
    elif tok[0] == 'cost':
        cost = tok[1]
    elif tok[0] == 'layer':
        block = True
        widths.append(0)
        acts.append(tok[2] if len(tok) == 3 else act)
    elif block:  # a neuron of the open layer
        nin = widths[-2] if len(widths) > 1 else len(a0)
    else:  # a one-neuron layer: weights, bias, optional activation
        nin = widths[-1] if widths else len(a0)
        widths.append(0)
        acts.append(tok[nin + 1] if len(tok) == nin + 2 else act)
        tok = tok[:nin + 1]
    if tok[0] not in ('a0', 'y', 'act', 'cost', 'layer'):
        assert len(tok) == nin + 1
        widths[-1] += 1
        params += [num(t) for t in tok]
if y is None:
    y = [Fraction(0)] * widths[-1]
print('widths', len(a0), *widths)
print('a0', *a0)
print('y', *y)
print('acts', *acts)
print('cost', cost)
for i, p in enumerate(params):
    print(i, p)
