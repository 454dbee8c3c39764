#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-eval-ziv.sh -- when eval's Ziv loop stops: early, with the reason,
# where no precision up to --max-prec can prove the digits (chains and
# wide networks), and not before --max-prec where a doubling helps.
set -e
. "$srcdir/tests/cli-lib.sh"

# z_10 is about -7e12 behind gelu layers: Arb's bound on erfc loses about
# 3e17 bits whatever the precision, so no ball narrows enough.  The loop
# used to double up to --max-prec (36 s at 2^20 bits), then blame it.
run 1 eval --random normal:0,100 --layers 10 --seed 3 --act gelu --digits 5
has "$tmp/err" "gradchain: eval: 20 value(s) with fewer than 5 proven digits, not narrowing: at 256 bits their balls lack more accuracy than any precision up to --max-prec 1048576 bits can give, so this engine cannot decide them (raising --max-prec would not help)" \
    "chain: the loop stops early and says why"
has "$tmp/out" "# precision_bits: 256" "chain: the last precision"
has "$tmp/out" "'?' or fewer digits where the ball proves less and cannot narrow enough by --max-prec" \
    "chain: the accuracy line"
matches "$tmp/out" '^    10  ?  *?$' "chain: '?' printed"
# a wide network: the same loop
run 1 eval --random normal:0,100 --neurons 2 --layers 10 --seed 3 \
    --act gelu --digits 5
has "$tmp/err" "not narrowing: at 128 bits" "wide: the loop stops early"
has "$tmp/out" "# precision_bits: 128" "wide: the last precision"
# compare's exact values: the same loop and message
run 1 compare --random normal:0,100 --layers 10 --seed 3 --act gelu --summary
has "$tmp/err" "gradchain: compare: exact values with fewer than 10 proven digits, not narrowing: at 256 bits" \
    "compare: the loop stops early and says why"

# where the balls narrow but --max-prec is too small, --max-prec is blamed
run 1 eval --digits 40 --max-prec 80 --format csv "$REF/n4_s0.net"
has "$tmp/err" "fewer than 40 proven digits at --max-prec 80 bits" \
    "--max-prec reached"
run 1 compare --digits 40 --max-prec 80 --summary "$REF/n4_s0.net"
has "$tmp/err" "gradchain: compare: exact values with fewer than 40 proven digits at --max-prec 80 bits" \
    "compare: --max-prec reached"
checks=$((checks + 1))
! grep -q "not narrowing" "$tmp/err" || fail "--max-prec 80: not narrowing"

finish
