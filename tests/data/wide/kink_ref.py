#!/usr/bin/python3
# kink_ref.py -- wide networks with a relu or leaky-relu z that is exactly
# 0 after a smooth layer, and their reference outputs from mpmath at 200
# digits (make_ref.py's passes: relu'(0) = 0, leaky-relu'(0) = slope),
# written without gradchain as eval_ref.py writes (eval/NAME.net and
# eval/NAME.csv, what 'gradchain eval --format csv --digits 15 --summary'
# prints):
#   kink0  a sigmoid layer, then a relu neuron whose weights and bias are
#          all 0: z = 0 whatever the sigmoid values
#   kink1  a gelu layer, one neuron at z = 0 (gelu(0) = 0 exactly) and
#          one away from 0, then leaky-relu neurons at z = 5 gelu(0) +
#          0 gelu(.) = 0 and z = 2 gelu(0) = 0 (leaky-relu'(0) = slope)
# Both engines decide these zeros exactly (the exact pass of wide_eval.c);
# the MPFR engine refused them (GC_UNABLE) before.
#   /usr/bin/python3 tests/data/wide/kink_ref.py   (from the source tree)
from fractions import Fraction

import eval_ref
import make_ref

NETS = [
    ("kink0", [2, 2, 2, 1], ["sigmoid", "relu", "identity"],
     ["1/3", "2/7"], ["1/2"],
     ["1", "-2", "1/2", "3/4", "1/4", "-1",
      "0", "0", "0", "1", "-1", "0",
      "2", "3", "1/10"]),
    ("kink1", [2, 2, 2, 1], ["gelu", "leaky-relu", "identity"],
     ["1/3", "2/7"], ["0"],
     ["0", "0", "0", "1", "1", "1/4",
      "5", "0", "0", "2", "0", "0",
      "1", "-2", "1/16"]),
]


def main():
    for name, widths, acts, a0, y, params in NETS:
        db = make_ref.grads(widths, acts, [Fraction(v) for v in params],
                            [Fraction(v) for v in a0],
                            [Fraction(v) for v in y], "quadratic")
        eval_ref.write({"net": [name], "cost": ["quadratic"],
                        "widths": [str(n) for n in widths], "acts": acts,
                        "a0": a0, "y": y, "params": params,
                        "db": [make_ref.fmt(v) for v in db]},
                       "tests/data/wide/kink_ref.py")


if __name__ == "__main__":
    main()
