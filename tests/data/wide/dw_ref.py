#!/usr/bin/python3
# dw_ref.py -- reference outputs of 'gradchain eval --wrt wL' on wide
# networks: dC/dW^L_ik = dC/db^L_i a^(L-1)_k of the last layer L, from
# make_ref.py's passes in mpmath at 200 digits (the activations a^(L-1)
# kept on the way), written without gradchain as eval_ref.py writes:
#   eval/NAME-wL.csv   for every network NAME of ref.txt (L >= 2: the
#                      weights of an inner layer's outputs), what
#                      'gradchain eval --wrt wL --format csv --digits 15'
#                      prints
#   eval/dwcancel.net  a network whose a^1_1 = 1 + 3 (1/3) + (2^-200 - 2)
#                      = 2^-200 comes from a cancellation that no dC/db
#                      sees: dC/dW^2_11 = dC/db^2_1 2^-200 needs about 200
#                      bits more than every dC/db, so a Ziv loop that
#                      proves dC/db only prints '?' there
#   eval/dwcancel.csv, eval/dwcancel-w1.csv, eval/dwcancel-w2.csv   its
#                      outputs as above
#   /usr/bin/python3 tests/data/wide/dw_ref.py   (from the source tree)
import os
from decimal import Decimal
from fractions import Fraction

import mpmath

import eval_ref
import make_ref

HERE = os.path.dirname(os.path.abspath(__file__))


def write_dw(net):
    """eval/NAME-wL.csv of the ref.txt-style dict net, L its last layer"""
    widths = [int(v) for v in net["widths"]]
    L = len(widths) - 1
    fr = [Fraction(v) for v in net["params"]]
    keep = []
    db = make_ref.grads(widths, net["acts"], fr,
                        [Fraction(v) for v in net["a0"]],
                        [Fraction(v) for v in net["y"]], net["cost"][0], keep)
    first = sum(widths[1:L])
    rows = ["neuron,input,dC_dw"]
    for i in range(widths[L]):
        for k in range(widths[L - 1]):
            v = db[first + i] * keep[L - 1][k]
            rows.append("%d,%d,%s" % (i + 1, k + 1, eval_ref.sci(
                Decimal(mpmath.nstr(v, 60, min_fixed=1, max_fixed=0)))))
    name = os.path.join(HERE, "eval", "%s-w%d.csv" % (net["net"][0], L))
    with open(name, "w") as f:
        f.write("\n".join(rows) + "\n")


def cancellation():
    """the ref.txt-style dict of dwcancel, with its 40-digit dC/db"""
    b = Fraction(1, 2 ** 200) - 2
    net = {"net": ["dwcancel"], "cost": ["quadratic"],
           "widths": ["2", "2", "1"], "acts": ["identity", "sigmoid"],
           "a0": ["1", "1/3"], "y": ["0"],
           "params": ["1", "3", str(b), "1", "1", "0", "1", "1", "0"]}
    db = make_ref.grads([2, 2, 1], net["acts"],
                        [Fraction(v) for v in net["params"]],
                        [Fraction(1), Fraction(1, 3)], [Fraction(0)],
                        "quadratic")
    net["db"] = [make_ref.fmt(v) for v in db]
    return net


def main():
    for net in eval_ref.networks():
        write_dw(net)
    net = cancellation()
    eval_ref.write(net, "tests/data/wide/dw_ref.py: a^1_1 = 2^-200")
    write_dw(net)

if __name__ == "__main__":
    main()
