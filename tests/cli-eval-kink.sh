#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-eval-kink.sh -- a relu or leaky-relu z that is exactly 0 behind a
# smooth layer: both engines decide it exactly where the exact pass knows
# z (zero weights; sigmoid, tanh, gelu at z = 0), on chains (closed forms
# below) and wide networks (tests/data/wide/kink_ref.py, mpmath); the
# MPFR engine refused them before.  Where z is not known (a difference of
# two identical tanh neurons), MPFR still refuses and says why.
set -e
. "$srcdir/tests/cli-lib.sh"
E="$srcdir/tests/data/wide/eval"

# z_1 = 0: a_1 = sigmoid(0) = 1/2, z_2 = 2 (1/2) - 1 = 0, relu'(0) = 0, so
# only layer 3 (identity, a_3 = 1/2 = dC/da_3) has a gradient
printf 'a0 1\n0 0\n2 -1 relu\n3 1/2 identity\n' >"$tmp/k1.net"
# z_1 = 0: a_1 = tanh(0) = 0, tanh'(0) = 1; z_2 = 7 (0) + 0 = 0 takes the
# leaky slope 1/100: dC/db_3 = 1/2, dC/db_2 = (1/100) 3 (1/2) = 0.015,
# dC/db_1 = 7 (0.015) = 0.105 = dC/dw_1 (a_0 = 1); dC/dw_2 = a_1 ... = 0
printf 'a0 1\n0 0 tanh\n7 0 leaky-relu\n3 1/2 identity\n' >"$tmp/k2.net"
printf 'layer,dC_db,dC_dw\n1,0,0\n2,0,0\n3,5.000000000e-1,0\n' \
    >"$tmp/k1.csv"
printf 'layer,dC_db,dC_dw\n1,1.050000000e-1,1.050000000e-1\n2,1.500000000e-2,0\n3,5.000000000e-1,0\n' \
    >"$tmp/k2.csv"
for k in k1 k2; do
    for engine in mpfr arb; do
        run 0 eval --engine "$engine" --digits 10 --format csv "$tmp/$k.net"
        sed '/^#/d' "$tmp/out" >"$tmp/rows.csv"
        same "$tmp/rows.csv" "$tmp/$k.csv" "$engine: chain $k"
    done
done

# wide: a relu row of zero weights behind a sigmoid layer (kink0), and
# leaky-relu zeros behind gelu(0) (kink1), against mpmath
for k in kink0 kink1; do
    for engine in mpfr arb; do
        run 0 eval --engine "$engine" --format csv --digits 15 --summary \
            "$E/$k.net"
        same "$tmp/out" "$E/$k.csv" "$engine: $k.net"
    done
    run 0 eval --format csv --digits 15 --wrt w1 "$E/$k.net"
    same "$tmp/out" "$E/$k-w1.csv" "--wrt w1 $k.net"
done

# z = tanh(z_1) - tanh(z_1) = 0 from two identical neurons: not known, so
# MPFR refuses, saying why and naming the arb engine
printf 'a0 1 2\nlayer act tanh\n1 1 1/4\n1 1 1/4\nlayer act relu\n1 -1 0\nlayer act identity\n2 1/2\n' \
    >"$tmp/sym.net"
run 1 eval --engine mpfr --digits 10 "$tmp/sym.net"
has "$tmp/err" "the sign of z at a relu or leaky-relu kink could not be decided: z is 0 or within rounding of 0 behind a smooth layer, where the exact z is known only through zero weights or a sigmoid, tanh or gelu at 0); --engine arb prints only what it proves" \
    "mpfr: an undecided zero says why"
empty "$tmp/out" "mpfr: no table for an undecided zero"

finish
