#!/usr/bin/python3
# eval_ref.py -- the reference outputs of 'gradchain eval' on wide
# networks, from ref.txt (mpmath at 200 digits, make_ref.py), written
# without gradchain: for each network NAME of ref.txt,
#   eval/NAME.net   the network in the file format of wide layers
#   eval/NAME.csv   what 'gradchain eval --format csv --digits 15
#                   --summary' prints: every dC/db^l_i rounded to 15
#                   significant digits, then the per-layer table (norm,
#                   max and min |dC/db^l_i|, from the 40 digits of
#                   ref.txt, far beyond the 15 printed)
#   eval/NAME-w1.csv what '--wrt w1 --format csv --digits 15' prints:
#                   dC/dW^1_ik = dC/db^1_i a0_k (a0 exact)
#   /usr/bin/python3 tests/data/wide/eval_ref.py   (from the source tree)
import os
from decimal import Decimal, getcontext, ROUND_HALF_EVEN

getcontext().prec = 60
HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = 15


def sci(d):
    """gradchain's numbers: D.DDDDe+N or e-N, 15 digits; zero is 0"""
    if d == 0:
        return "0"
    t = Decimal(d).normalize()
    exp = t.adjusted()
    m = (t.scaleb(-exp)).quantize(Decimal(1).scaleb(1 - DIGITS),
                                  rounding=ROUND_HALF_EVEN)
    if abs(m) >= 10:  # rounding carried into a new digit
        exp += 1
        m = (t.scaleb(-exp)).quantize(Decimal(1).scaleb(1 - DIGITS),
                                      rounding=ROUND_HALF_EVEN)
    return "%se%+d" % (m, exp)


def act_name(a):
    return "leaky-relu:1/100" if a == "leaky-relu" else a


def write(net, source="tests/data/wide/ref.txt (eval_ref.py)"):
    """eval/NAME.net, NAME.csv and NAME-w1.csv of the ref.txt-style dict
    net; the .net file's first line names its source"""
    widths = [int(v) for v in net["widths"]]
    p = net["params"]
    lines = ["# %s of %s" % (net["net"][0], source),
             "a0 " + " ".join(net["a0"]), "y " + " ".join(net["y"]),
             "cost " + net["cost"][0]]
    pos = 0
    for l in range(1, len(widths)):
        lines.append("layer act " + act_name(net["acts"][l - 1]))
        for i in range(widths[l]):
            lines.append(" ".join(p[pos:pos + widths[l - 1] + 1]))
            pos += widths[l - 1] + 1
    name = os.path.join(HERE, "eval", net["net"][0])
    with open(name + ".net", "w") as f:
        f.write("\n".join(lines) + "\n")
    db = [Decimal(v) for v in net["db"]]
    rows = ["layer,neuron,dC_db"]
    summ = ["layer,norm,max_abs,min_abs"]
    pos = 0
    for l in range(1, len(widths)):
        layer = db[pos:pos + widths[l]]
        pos += widths[l]
        for i, v in enumerate(layer):
            rows.append("%d,%d,%s" % (l, i + 1, sci(v)))
        norm = sum(v * v for v in layer).sqrt()
        summ.append("%d,%s,%s,%s" % (l, sci(norm), sci(max(abs(v) for v in layer)),
                                     sci(min(abs(v) for v in layer))))
    with open(name + ".csv", "w") as f:
        f.write("\n".join(rows) + "\n\n" + "\n".join(summ) + "\n")
    rows = ["neuron,input,dC_dw"]
    for i in range(widths[1]):
        for k, a in enumerate(net["a0"]):
            p, _, q = a.partition("/")
            rows.append("%d,%d,%s" % (i + 1, k + 1, sci(db[i] * Decimal(p)
                                                          / Decimal(q or 1))))
    with open(name + "-w1.csv", "w") as f:
        f.write("\n".join(rows) + "\n")


def networks():
    """the networks of ref.txt, each a dict of its lines' tokens"""
    net = {}
    with open(os.path.join(HERE, "ref.txt")) as f:
        for line in f:
            tok = line.split()
            if not tok:
                continue
            if tok[0] == "end":
                yield net
                net = {}
            else:
                net[tok[0]] = tok[1:]


def main():
    for net in networks():
        write(net)


if __name__ == "__main__":
    main()
