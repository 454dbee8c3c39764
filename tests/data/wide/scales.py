#!/usr/bin/python3
# scales.py -- the fan-in scale factors c of gradchain's rules for the
# layers of widths 3 -> 5 -> 2, computed with mpmath at 100 digits and
# rounded once to binary64 (mpmath's round-to-nearest conversion), as
# the table of tests/check_wide_net.c test_wnet_random_fanin:
#   lecun c = 1/sqrt(fan_in), he c = sqrt(2/fan_in),
#   xavier c = sqrt(2/(fan_in + fan_out)).
#   /usr/bin/python3 scales.py
from mpmath import mp, mpf, sqrt

mp.dps = 100
layers = [(3, 5), (5, 2)]
for name, c in (('lecun', lambda i, o: 1 / sqrt(mpf(i))),
                ('he', lambda i, o: sqrt(mpf(2) / i)),
                ('xavier', lambda i, o: sqrt(mpf(2) / (i + o)))):
    vals = [float(c(i, o)).hex() for i, o in layers]
    print('    {"%s", {%s}},' % (name, ', '.join(vals)))
