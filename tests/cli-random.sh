#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-random.sh -- random networks: the distribution specs of --random,
# --weights and --biases (which option wins), --fan-in-scale, seeds, the
# usage errors, and the metadata that reproduce a sweep.
set -e
. "$srcdir/tests/cli-lib.sh"

# ---- bad specs: exit 2 and a message naming the token -----------------------
usage_error "LO > HI" \
    "gradchain: --random: the lower bound must not exceed the upper bound, got 'uniform:1,0'" \
    eval --random uniform:1,0 --layers 3
usage_error "bad LO" \
    "gradchain: --random: lower bound: expected a number, got 'a'" \
    eval --random uniform:a,1 --layers 3
usage_error "empty V" "gradchain: --random: value: expected a number, got ''" \
    compare --random const: --layers 3
usage_error "unknown distribution" \
    "gradchain: --random: expected normal:MU,SD or uniform:LO,HI or const:V, got 'poisson:1'" \
    eval --random poisson:1 --layers 3
usage_error "negative SD" \
    "gradchain: --random: standard deviation must not be negative, got '-1'" \
    sweep --random normal:0,-1 --layers 3 --samples 2
usage_error "bad --weights" \
    "gradchain: --weights: upper bound: expected a number, got ''" \
    eval --weights uniform:0, --biases const:0 --layers 3
usage_error "bad --biases" \
    "gradchain: --biases: V must be a finite binary64 number" \
    eval --weights const:1 --biases const:1e309 --layers 3
usage_error "--weights alone" \
    "gradchain: --weights needs --biases DIST (or --random DIST)" \
    eval --weights const:1 --layers 3
usage_error "--biases alone" \
    "gradchain: --biases needs --weights DIST (or --random DIST)" \
    sweep --biases const:1 --layers 3 --samples 2
usage_error "--weights without --layers" "--weights needs --layers L" \
    eval --weights const:1 --biases const:0
usage_error "a file and --biases" "give a network file or --biases, not both" \
    eval --biases const:1 --random const:0 --layers 2 "$REF/n4_s0.net"
usage_error "bad rule" "gradchain: --fan-in-scale: unknown rule 'kaiming' (none, lecun, he, xavier)" \
    eval --random normal:0,1 --fan-in-scale kaiming --layers 3
usage_error "rule with a file" "--fan-in-scale is for random networks" \
    eval --fan-in-scale he "$REF/n4_s0.net"
# N(0, 1.5 2^1019) is valid (16 SD = 1.5 2^1023), but 16 sqrt(2) SD is
# beyond DBL_MAX
usage_error "he overflows" "--fan-in-scale he: the scaled weights' draws would not all be finite" \
    eval --random normal:0,0x1.8p1019 --fan-in-scale he --layers 3

# ---- const:1/2: every w and b is 1/2 ------------------------------------------
run 0 eval --random const:1/2 --layers 5 --save-network "$tmp/c.net" \
    -o /dev/null
checks=$((checks + 1))
[ "$(grep -cx '0.5 0.5' "$tmp/c.net")" -eq 5 ] || fail "const:1/2 layers"
# identity chain, a0 = 1, y = 0: a_j = a_{j-1}/2 + 1/2 = 1, dC/da_L = 1,
# delta_j = (1/2)^(L-j), so dC/db_j = dC/dw_j = 2^(j-5) exactly
run 0 eval --random const:1/2 --act identity --layers 5 --format csv \
    --digits 10
printf '%s\n' layer,dC_db,dC_dw 1,6.250000000e-2,6.250000000e-2 \
    2,1.250000000e-1,1.250000000e-1 3,2.500000000e-1,2.500000000e-1 \
    4,5.000000000e-1,5.000000000e-1 5,1.000000000e+0,1.000000000e+0 \
    >"$tmp/want"
same "$tmp/out" "$tmp/want" "const:1/2 identity chain against 2^(j-L)"

# ---- which option wins: later options, per distribution ----------------------
run 0 eval --random uniform:-1,1 --layers 6 --seed 5 --save-network \
    "$tmp/u.net" -o /dev/null
run 0 eval --random uniform:-1,1 --layers 6 --seed 5 --save-network \
    "$tmp/u2.net" -o /dev/null
same "$tmp/u2.net" "$tmp/u.net" "uniform: the same seed, the same network"
run 0 eval --random uniform:-1,1 --layers 6 --seed 6 --save-network \
    "$tmp/u6.net" -o /dev/null
checks=$((checks + 1))
! cmp -s "$tmp/u6.net" "$tmp/u.net" || fail "seeds 5 and 6 draw the same"
# every uniform value in (-1, 1), and not all equal
checks=$((checks + 1))
awk '$1 ~ /^-?[0-9.]+$/ && NF == 2 { n++; if ($1 <= -1 || $1 >= 1 ||
     $2 <= -1 || $2 >= 1) bad = 1; v[$1] = 1 }
     END { for (k in v) d++; exit !(n == 6 && !bad && d == 6) }' \
    "$tmp/u.net" || fail "uniform:-1,1 draws out of range"
# --random D1 --weights D2: biases from D1, weights from D2
run 0 eval --random uniform:-1,1 --weights const:1/2 --layers 6 --seed 5 \
    --save-network "$tmp/m.net" -o /dev/null
awk 'NF == 2 && $1 != "a0" { print $2 }' "$tmp/u.net" >"$tmp/want"
awk 'NF == 2 && $1 != "a0" { print $2 }' "$tmp/m.net" >"$tmp/got"
same "$tmp/got" "$tmp/want" "--random then --weights keeps the biases"
checks=$((checks + 1))
[ "$(awk 'NF == 2 && $1 == "0.5"' "$tmp/m.net" | wc -l)" -eq 6 ] \
    || fail "--random then --weights: weights not 1/2"
# --weights D2 --random D1: --random comes later and sets both
run 0 eval --weights const:1/2 --random uniform:-1,1 --layers 6 --seed 5 \
    --save-network "$tmp/r.net" -o /dev/null
same "$tmp/r.net" "$tmp/u.net" "--weights then --random: --random wins"
run 0 eval --weights uniform:-1,1 --biases uniform:-1,1 --layers 6 \
    --seed 5 --save-network "$tmp/wb.net" -o /dev/null
same "$tmp/wb.net" "$tmp/u.net" "--weights D --biases D is --random D"

# ---- fan-in scaling: he is sqrt 2 in a chain, the others 1 --------------------
run 0 eval --random const:1/2 --fan-in-scale he --layers 2 \
    --save-network "$tmp/he.net" -o /dev/null
checks=$((checks + 1))
# the weights are RN(sqrt(2)/2) (sqrt is correctly rounded), biases 1/2
/usr/bin/python3 -c '
import math, sys
rows = [l.split() for l in open(sys.argv[1]) if l[0] in "0123456789-"]
ok = len(rows) == 2 and all(float(w) == math.sqrt(2) / 2 and b == "0.5"
                            for w, b in rows)
sys.exit(0 if ok else 1)' "$tmp/he.net" || fail "he: weights not sqrt(2)/2"
for rule in none lecun xavier; do
    run 0 eval --random uniform:-1,1 --fan-in-scale $rule --layers 6 \
        --seed 5 --save-network "$tmp/f.net" -o /dev/null
    same "$tmp/f.net" "$tmp/u.net" "--fan-in-scale $rule in a chain"
done

# ---- sweep: network i is compare's, and the metadata reproduce the run -------
D="--weights uniform:-2,2 --biases const:-1/4 --fan-in-scale he"
F="--formats binary16,bfloat16"
run 0 sweep $D --layers 60 --samples 3 --seed 10 $F \
    --per-network "$tmp/pn.csv"
has "$tmp/out" "# weights: uniform:-2,2" "sweep metadata: weights"
has "$tmp/out" "# biases: const:-0.25" "sweep metadata: biases"
has "$tmp/out" "# fan_in_scale: he" "sweep metadata: rule"
run 0 compare $D --layers 60 --seed 12 $F --summary
has "$tmp/out" "# weights: uniform:-2,2" "compare metadata: weights"
has "$tmp/out" "# fan_in_scale: he" "compare metadata: rule"
has "$tmp/out" "# seed: 12" "compare metadata: seed"
run 0 compare --random normal:0,1 --layers 3 --seed 5 --summary
has "$tmp/out" "# random: normal:0,1" "compare metadata: one spec"
run 0 compare $D --layers 60 --seed 12 $F --summary --format csv
# compare's summary rows FORMAT,EVENT,LAYER against the per-network row of
# seed 12 (columns seed,format,loss_scale,subnormal,zero,...); at least one
# event
checks=$((checks + 1))
awk -F, 'NR == FNR { if ($2 == "subnormal") s[$1] = $3
                     if ($2 == "zero") z[$1] = $3; next }
         $1 == 12 { rows++; n += ($4 != "") + ($5 != "")
                    if (s[$2] != $4 || z[$2] != $5) bad = 1 }
         END { exit !(rows == 2 && n > 0 && !bad) }' "$tmp/out" "$tmp/pn.csv" \
    || fail "sweep network 2 is not compare's --seed 12"
run 0 sweep --random normal:1/3,0.1 --layers 5 --samples 2 --format json
has "$tmp/out" '"random":"normal:0.3333333333333333,0.1"' \
    "sweep metadata: one exact spec"

# ---- every command that draws random chains documents the options ----------
for cmd in eval compare sweep; do
    run 0 $cmd --help
    has "$tmp/out" "--weights DIST" "$cmd --help: --weights"
    has "$tmp/out" "--fan-in-scale RULE" "$cmd --help: --fan-in-scale"
done

finish
