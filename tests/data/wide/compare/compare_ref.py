#!/usr/bin/python3
# compare_ref.py -- the reference outputs of 'gradchain compare' on wide
# networks, written without gradchain: the format replay emulated in
# Python, each operation computed exactly (fractions) or to 300 bits
# (mpmath's exp and tanh) and rounded to the format here (round to
# nearest even, subnormals, overflow to infinity, IEEE signed zeros), in
# the order gradchain/wide.h documents for gc_wreplay:
#   forward   t = W_i1 * a_1;  t = t + (W_ik * a_k), k = 2..n;
#             z_i = t + b_i;  a_i = f(z_i)
#   backward  g = a^L - y;  g_i = sum over m, left to right, of
#             delta^{l+1}_m * W^{l+1}_mi (product, then sum);
#             delta = the sequence's backward of g
# with every parameter, a0 and y rounded once from its exact rational.
# The exact values are exact rationals (relu and identity layers) or
# mpmath at 300 bits (sigmoid, tanh).  For each network NAME:
#   NAME.net      the network in the file format of wide layers
#   NAME.csv      what 'gradchain compare --format csv --formats F,...
#                 [--sequence S] NAME.net' prints after its '#' lines:
#                 every dC/db^l_i per format (the format's digits), the
#                 exact value (10 digits), the relative error (3 digits)
#                 and class, then the table of ||dC/db^l||_2
#   /usr/bin/python3 tests/data/wide/compare/compare_ref.py
import math
import os
import random
from fractions import Fraction as F

import mpmath

mpmath.mp.prec = 300
HERE = os.path.dirname(os.path.abspath(__file__))
INF = float("inf")

# precision p, exponent of the least normal number, largest exponent
FORMATS = {"binary64": (53, -1022, 1023), "binary32": (24, -126, 127),
           "binary32-emu": (24, -126, 127), "binary16": (11, -14, 15),
           "bfloat16": (8, -126, 127)}


def digits_of(fmt):
    """gc_numfmt_digits: 1 + ceil(p log10 2)"""
    return 1 + math.ceil(FORMATS[fmt][0] * math.log10(2))


def exp2(e):
    return F(2) ** e


def rnd(x, fmt, sign=1):
    """the Fraction x rounded to nearest even in fmt, as a float; a zero
    result takes the sign of x (or *sign* when x is 0)"""
    p, emin, emax = FORMATS[fmt]
    if x == 0:
        return math.copysign(0.0, sign)
    s = -1 if x < 0 else 1
    a = abs(x)
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if exp2(e) > a:
        e -= 1
    e = max(e, emin)
    q = a / exp2(e - p + 1)
    n = q.numerator // q.denominator
    r = q - n
    if r > F(1, 2) or (r == F(1, 2) and n % 2 == 1):
        n += 1
    v = n * exp2(e - p + 1)
    if v > (2 - exp2(1 - p)) * exp2(emax):
        return s * INF
    if v == 0:
        return math.copysign(0.0, s)
    return s * float(v)


def mul(a, b, fmt):
    if not (math.isfinite(a) and math.isfinite(b)):
        return a * b
    r = F(a) * F(b)
    return rnd(r, fmt, math.copysign(1, a) * math.copysign(1, b))


def add(a, b, fmt):
    if not (math.isfinite(a) and math.isfinite(b)):
        return a + b
    r = F(a) + F(b)
    if r == 0:  # -0 only for -0 + -0 (round to nearest)
        neg = a == 0 and b == 0 and math.copysign(1, a) < 0 \
            and math.copysign(1, b) < 0
        return -0.0 if neg else 0.0
    return rnd(r, fmt)


def div(a, b, fmt):
    if math.isinf(b):
        return math.copysign(0.0, a * b)
    return rnd(F(a) / F(b), fmt)


def mp_frac(v):
    sign, m, e, _ = mpmath.mpf(v)._mpf_
    q = F(m) * exp2(e) if e >= 0 else F(m, 2 ** -e)
    return -q if sign else q


def fn(f, x, fmt):
    """f(x) correctly rounded to fmt (x a finite float)"""
    return rnd(mp_frac(f(mpmath.mpf(x))), fmt)


# ---- the replay ---------------------------------------------------------

def replay(net, fmt, seq):
    a0, y, layers = net
    r = lambda q: rnd(F(q), fmt)
    a = [r(q) for q in a0]
    yy = [r(q) for q in y]
    Ws = [([[r(q) for q in row[:-1]] for row in rows],
           [r(row[-1]) for row in rows], act) for rows, act in layers]
    zs, sps, As = [], [], []
    for W, b, act in Ws:
        z = []
        for i, row in enumerate(W):
            t = mul(row[0], a[0], fmt)
            for k in range(1, len(row)):
                t = add(t, mul(row[k], a[k], fmt), fmt)
            z.append(add(t, b[i], fmt))
        na, sp = [], []
        for zi in z:
            if act == "relu":
                ai = zi if zi > 0 else 0.0
                sp.append(None)
            elif act == "identity":
                ai = zi
                sp.append(None)
            elif act == "sigmoid":  # textbook: 1/(1+exp(-z)), a(1-a)
                e = fn(mpmath.exp, -zi, fmt)
                ai = div(1.0, add(1.0, e, fmt), fmt)
                sp.append(mul(ai, add(1.0, -ai, fmt), fmt))
            elif act == "tanh":     # textbook: tanh z, 1 - a a
                ai = fn(mpmath.tanh, zi, fmt)
                sp.append(add(1.0, -mul(ai, ai, fmt), fmt))
            na.append(ai)
        zs.append(z)
        sps.append(sp)
        As.append(na)
        a = na
    L = len(Ws)
    db = [None] * L
    g = [add(a[i], -yy[i], fmt) for i in range(len(a))]
    for l in range(L - 1, -1, -1):
        act = Ws[l][2]
        if l < L - 1:
            W = Ws[l + 1][0]
            d = db[l + 1]
            g = []
            for i in range(len(As[l])):
                t = mul(d[0], W[0][i], fmt)
                for m in range(1, len(d)):
                    t = add(t, mul(d[m], W[m][i], fmt), fmt)
                g.append(t)
        if act == "relu":      # pytorch: a > 0 ? g : 0
            db[l] = [gi if As[l][i] > 0 else 0.0 for i, gi in enumerate(g)]
        elif act == "identity":
            db[l] = list(g)
        else:                  # textbook: delta = g * s'
            db[l] = [mul(gi, sps[l][i], fmt) for i, gi in enumerate(g)]
    return db


def exact(net):
    """dC/db^l_i: Fractions for relu and identity layers, otherwise
    mpmath numbers converted to Fractions"""
    a0, y, layers = net
    smooth = any(act in ("sigmoid", "tanh") for _, act in layers)
    cv = (lambda q: mpmath.mpf(q.numerator) / q.denominator) if smooth \
        else (lambda q: q)
    a = [cv(q) for q in a0]
    sps, As = [], []
    for rows, act in layers:
        z = [sum((cv(row[k]) * a[k] for k in range(len(a))), cv(row[-1]))
             for row in rows]
        if act == "relu":
            assert all(zi != 0 for zi in z), "a relu at its kink"
            a = [zi if zi > 0 else 0 for zi in z]
            sps.append([1 if zi > 0 else 0 for zi in z])
        elif act == "identity":
            sps.append([1] * len(z))
        elif act == "sigmoid":
            a = [1 / (1 + mpmath.exp(-zi)) for zi in z]
            sps.append([ai * (1 - ai) for ai in a])
        elif act == "tanh":
            a = [mpmath.tanh(zi) for zi in z]
            sps.append([1 - ai * ai for ai in a])
        if act == "identity":
            a = z
        As.append(a)
    L = len(layers)
    db = [None] * L
    d = [sps[L - 1][i] * (a[i] - cv(y[i])) for i in range(len(a))]
    db[L - 1] = d
    for l in range(L - 2, -1, -1):
        rows = layers[l + 1][0]
        d = [sps[l][i] * sum(d[m] * cv(rows[m][i]) for m in range(len(d)))
             for i in range(len(As[l]))]
        db[l] = d
    if smooth:
        db = [[mp_frac(v) for v in row] for row in db]
    return db


# ---- printing as gradchain does ----------------------------------------

def sci(x, digits):
    """x (a Fraction or float) to *digits* significant digits, rounded to
    nearest even: D.DDDe+N as gc_mpfr_get_str_sci and the balls print"""
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "-inf" if x < 0 else "inf"
        if x == 0:
            return "-0" if math.copysign(1, x) < 0 else "0"
        x = F(x)
    if x == 0:
        return "0"
    s = "-" if x < 0 else ""
    a = abs(x)
    e = len(str(a.numerator // a.denominator)) - 1 if a >= 1 else \
        -len(str(a.denominator // a.numerator))
    while F(10) ** e > a:
        e -= 1
    while F(10) ** (e + 1) <= a:
        e += 1
    q = a * F(10) ** (digits - 1 - e)
    n = q.numerator // q.denominator
    r = q - n
    if r > F(1, 2) or (r == F(1, 2) and n % 2 == 1):
        n += 1
    if n == 10 ** digits:
        n //= 10
        e += 1
    m = str(n)
    m = m[0] + ("." + m[1:] if digits > 1 else "")
    return "%s%se%+d" % (s, m, e)


def rel_error(v, x):
    if not math.isfinite(v) or x == 0:
        return "-"
    return sci(abs(F(v) - x) / abs(x), 3)


def cls(v, fmt):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "infinite"
    if v == 0:
        return "zero"
    return "subnormal" if abs(v) < 2.0 ** FORMATS[fmt][1] else "normal"


def sqrt_frac(q):
    return mp_frac(mpmath.sqrt(mpmath.mpf(q.numerator) / q.denominator))


def norm(vals):
    if any(math.isnan(v) for v in vals):
        return float("nan")
    if any(math.isinf(v) for v in vals):
        return INF
    return sqrt_frac(sum(F(v) ** 2 for v in vals))


def report(net, fmts, seq):
    ex = exact(net)
    reps = {f: replay(net, f, seq) for f in fmts}
    out = ["layer,neuron,format,value,exact,rel_error,class"]
    for l, row in enumerate(ex):
        for i, x in enumerate(row):
            for f in fmts:
                v = reps[f][l][i]
                out.append("%d,%d,%s,%s,%s,%s,%s" % (
                    l + 1, i + 1, f, sci(v, digits_of(f)), sci(x, 10),
                    rel_error(v, x), cls(v, f)))
    out += ["", "layer,format,norm,exact_norm,rel_error"]
    for l, row in enumerate(ex):
        xn = sqrt_frac(sum(x * x for x in row))
        for f in fmts:
            v = norm(reps[f][l])
            vs = sci(v, digits_of(f))
            re = "-" if not isinstance(v, F) else \
                sci(abs(v - xn) / xn, 3) if xn != 0 else "-"
            out.append("%d,%s,%s,%s,%s" % (l + 1, f, vs, sci(xn, 10), re))
    return "\n".join(out) + "\n"


def q_str(q):
    return str(q.numerator) if q.denominator == 1 else str(q)


def write_net(name, net, comment):
    a0, y, layers = net
    lines = ["# %s: %s (compare_ref.py)" % (name, comment),
             "a0 " + " ".join(q_str(q) for q in a0),
             "y " + " ".join(q_str(q) for q in y)]
    for rows, act in layers:
        lines.append("layer act " + act)
        lines += [" ".join(q_str(q) for q in row) for row in rows]
    with open(os.path.join(HERE, name + ".net"), "w") as f:
        f.write("\n".join(lines) + "\n")


def random_net(rng, widths, acts, den):
    def q():
        return F(rng.randint(-40, 40), rng.choice(den))
    layers = [([[q() for _ in range(widths[l] + 1)]
                for _ in range(widths[l + 1])], acts[l])
              for l in range(len(acts))]
    return ([q() for _ in range(widths[0])],
            [q() for _ in range(widths[-1])], layers)


rng = random.Random(13)
NETS = [
    # relu and identity: exact rationals; the pytorch sequence (its relu
    # and identity need no function), formats in hardware and emulated
    ("r0", random_net(rng, [3, 4, 3, 2], ["relu", "relu", "identity"],
                      [3, 7, 9, 11, 13]),
     "relu, relu, identity", ["binary64", "binary32", "binary16",
                              "bfloat16"], None),
    # sigmoid and tanh with the textbook sequence: every operation and
    # function correctly rounded in the emulated formats
    ("s0", random_net(rng, [2, 3, 3, 2], ["sigmoid", "tanh", "sigmoid"],
                      [5, 7, 9, 13]),
     "sigmoid, tanh, sigmoid", ["binary16", "bfloat16", "binary32-emu"],
     "textbook"),
]

if __name__ == "__main__":
    with open(os.path.join(HERE, "commands"), "w") as cmds:
        for name, net, comment, fmts, seq in NETS:
            write_net(name, net, comment)
            with open(os.path.join(HERE, name + ".csv"), "w") as f:
                f.write(report(net, fmts, seq))
            cmds.write("%s --formats %s%s\n" % (
                name, ",".join(fmts),
                " --sequence " + seq if seq else ""))
