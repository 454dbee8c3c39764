#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-compare-engine.sh -- 'compare --engine fast' (the default) prints
# what 'compare --engine arb' prints, but for the two header lines that
# say which engine decided the exact values: exact values, relative
# errors, classes and summaries, on randomised networks (N(0,1), N(0,5),
# and chains whose a_L - y nearly cancels), every built-in format alone
# and all together, text, CSV and --summary.  The seeds change from run to
# run (GC_TEST_SEED fixes them) and every failure names its seed.
set -eu
. "$srcdir/tests/cli-lib.sh"

# the built-in formats this build has (x87 and binary128 may be missing)
FMTL=
for f in binary64 binary32 x87 binary128 binary16 bfloat16 e5m2 e4m3 \
    binary64-emu binary32-emu; do
    if "$GRADCHAIN" compare --formats "$f" "$REF/n4_s0.net" >/dev/null 2>&1; then
        FMTL="${FMTL:+$FMTL }$f"
    fi
done
ALL=$(echo "$FMTL" | tr ' ' ,)
BASE=${GC_TEST_SEED:-$(($(date +%s) % 100000))}
fast=0
arb=0

# the report less the lines naming the engine
strip() {
    grep -v -e '^# exact_precision_bits: ' -e '^# exact: ' "$1" || :
}

# both NAME ARGS...: compare ARGS with each engine, the same output
both() {
    _name=$1
    shift
    run 0 compare "$@"
    strip "$tmp/out" >"$tmp/fast"
    if grep -q '^# exact_precision_bits: 53$' "$tmp/out"; then
        fast=$((fast + 1))
    else
        arb=$((arb + 1))
    fi
    run 0 compare --engine arb "$@"
    strip "$tmp/out" >"$tmp/arb"
    same "$tmp/fast" "$tmp/arb" "$_name: compare $*"
}

# every format alone and all together, in text, CSV and --summary
formats() {
    _what=$1
    shift
    for f in $FMTL "$ALL"; do
        for out in "" "--format csv" "--summary"; do
            # shellcheck disable=SC2086
            both "$_what" --formats "$f" $out "$@"
        done
    done
}

for k in 0 1 2; do
    s=$((BASE + k))
    L=$((3 + s % 40))
    formats "seed $s" --random normal:0,1 --layers "$L" --seed "$s"
    formats "seed $s" --random normal:0,5 --layers "$L" --seed "$s"
done

# a_L - y nearly cancels: y = a_L + d, |d| from 1e-6 down to 1e-14, a_L
# from mpmath at 60 digits (the fast path's bound on dC/da_L grows as
# 1/|d|, and hands the values to Arb where it no longer decides them)
if /usr/bin/python3 -c 'import mpmath' 2>/dev/null; then
    /usr/bin/python3 - "$BASE" "$tmp" <<'EOF'
import random, sys
from mpmath import mp, mpf, exp
mp.dps = 60
base, tmp = int(sys.argv[1]), sys.argv[2]
for k in range(3):
    rng = random.Random(base + k)
    L = 2 + rng.randrange(20)
    w = [rng.gauss(0, 1) for _ in range(L)]
    b = [rng.gauss(0, 1) for _ in range(L)]
    a = mpf(1)
    for j in range(L):
        a = 1 / (1 + exp(-(mpf(w[j]) * a + mpf(b[j]))))
    d = mpf(10) ** -(6 + 4 * k) * rng.choice((-1, 1))
    with open("%s/cancel%d.net" % (tmp, k), "w") as f:
        f.write("a0 1\ny %s\n" % mp.nstr(a + d, 40))
        for j in range(L):
            f.write("%r %r\n" % (w[j], b[j]))
EOF
    for k in 0 1 2; do
        formats "seed $BASE, near-cancelling chain $k" "$tmp/cancel$k.net"
    done
fi

# neither path is untested: the fast path decides the low-precision
# formats, binary64's relative errors need Arb
checks=$((checks + 1))
[ "$fast" -gt 0 ] && [ "$arb" -gt 0 ] ||
    fail "seed $BASE: fast path decided $fast runs, Arb $arb (both should be > 0)"

# --engine takes fast and arb only
usage_error "--engine mpfr" "--engine: compare's exact values come from fast or arb" \
    compare --engine mpfr "$REF/n4_s0.net"
usage_error "--engine gmp" "--engine: unknown engine 'gmp'" \
    compare --engine gmp "$REF/n4_s0.net"
finish
