#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-sweep-wide.sh -- 'gradchain sweep --neurons': wide networks of
# width 1 are the chains (the same report and per-network events, the
# norm events in their width-1 meaning), the same output for every
# --threads, norms in closed form, and the usage errors.  The events of
# wider networks against gc_wreplay: check_study (test_sweep_wide).
set -e
. "$srcdir/tests/cli-lib.sh"
F="--formats binary32,bfloat16,binary16,e4m3"
CH="--random normal:0,1 --layers 60 --samples 6 --seed 11"
LS="--loss-scale 1,2^8,auto"

# ---- width 1: the chain ------------------------------------------------------
run 0 sweep $CH $F $LS --depths 1,30 --format csv --per-network "$tmp/pc.csv"
cp "$tmp/out" "$tmp/chain.csv"
run 0 sweep $CH --neurons 1 $F $LS --depths 1,30 --format csv \
    --per-network "$tmp/pw.csv"
# the report: the chain's rows and the two norm events' rows
grep -v '^events,[^,]*,[^,]*,norm_' "$tmp/out" >"$tmp/rows" || true
same "$tmp/rows" "$tmp/chain.csv" "--neurons 1: the chain's report"
matches "$tmp/out" '^events,e4m3,2^8,norm_zero,depth,' "norm_zero rows"
checks=$((checks + 1))
[ "$(sed -n 1p "$tmp/pw.csv")" = \
  "seed,format,loss_scale,first_subnormal_layer,first_zero_layer,first_nonfinite_layer,first_overflow_layer,first_norm_subnormal_layer,first_norm_zero_layer,scale_used" ] \
    || fail "--per-network header: $(sed -n 1p "$tmp/pw.csv")"
cut -d, -f1-7,10 "$tmp/pw.csv" >"$tmp/got"
same "$tmp/got" "$tmp/pc.csv" "--neurons 1: the chain's per-network rows"
# one neuron: norm_zero is zero, and where the scaled classes are the
# values' (loss scale 1), norm_subnormal the later of subnormal and zero
checks=$((checks + 1))
awk -F, 'NR > 1 && ($9 != $5 ||
                    ($3 == "1" && $8 != ($4 > $5 ? $4 : $5))) { bad++ }
         NR > 1 && $3 == "1" && $8 != "" { n++ }
         END { exit !(bad == 0 && n > 0) }' "$tmp/pw.csv" \
    || fail "--neurons 1: the norm events are not the chain's"

# ---- threads never change the output ----------------------------------------
W="sweep --random normal:0,1 --neurons 3,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,2"
W="$W --samples 5 --seed 7 --init fan-in --act tanh $F"
for fmt in text csv json; do
    run 0 $W --loss-scale auto --format $fmt --threads 1 \
        --per-network "$tmp/t1.csv"
    empty "$tmp/err" "wide sweep --format $fmt: stderr"
    cp "$tmp/out" "$tmp/one"
    run 0 $W --loss-scale auto --format $fmt --threads 2 \
        --per-network "$tmp/t2.csv"
    same "$tmp/out" "$tmp/one" "wide sweep --format $fmt --threads 2"
    same "$tmp/t2.csv" "$tmp/t1.csv" "wide --per-network with --threads 2"
done
has "$tmp/one" '"neurons":"3,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,2"' \
    "JSON meta: the widths"
has "$tmp/one" '"fan_in_scale":"lecun"' "JSON meta: --init fan-in"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/t1.csv")" -eq 21 ] || fail "wide --per-network: not 20 rows"
# the formats lose the vector somewhere in these networks
matches "$tmp/t1.csv" '^[0-9]*,e4m3,auto,[0-9]*,[0-9]*,,,[0-9][0-9]*,' \
    "e4m3: a norm_subnormal event"
# network i is compare's network of seed 7+i: the events of any entry
# and norm_zero are compare's subnormal-any, zero-any, nonfinite-any and
# zero-every (compare's subnormal-every is every entry subnormal, not
# subnormal or zero as norm_subnormal)
for seed in 8 9 11; do
    run 0 compare --random normal:0,1 --seed $seed --init fan-in --act tanh \
        --neurons 3,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,2 $F \
        --summary --format csv
    awk -F, '$2 ~ /^(subnormal-any|zero-any|nonfinite-any|zero-every)$/ {
                 print $1 "," $2 "," $3 }' "$tmp/out" | sort >"$tmp/want"
    run 0 $W --seed $seed --samples 1 -o /dev/null \
        --per-network "$tmp/cmp.csv"
    awk -F, 'NR > 1 { if ($4 != "") print $2 ",subnormal-any," $4;
                      if ($5 != "") print $2 ",zero-any," $5;
                      if ($6 != "") print $2 ",nonfinite-any," $6;
                      if ($9 != "") print $2 ",zero-every," $9 }' \
        "$tmp/cmp.csv" | sort >"$tmp/got"
    checks=$((checks + 1))
    [ -s "$tmp/want" ] || fail "compare --seed $seed: no event to compare"
    same "$tmp/got" "$tmp/want" "seed $seed against compare"
done
run 0 $W --loss-scale auto --threads 2
has "$tmp/out" "# neurons: 3,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,2" \
    "text meta: the widths"
has "$tmp/out" "# a0: 1,1,1" "text meta: the inputs"

# ---- norms in closed form ----------------------------------------------------
# W^l = [[1/2, 1/2], [1/2, 1/2]], b = 0, identity, a^0 = (1, 1), y = 0:
# a^l = (1, 1), dC/da^L = (1, 1) and dC/db^l = (1, 1) in every layer: the
# norm is sqrt(2), log10 = log10(2)/2 = 0.150514997831991 (15 digits)
C="sweep --weights const:1/2 --biases const:0 --neurons 2 --layers 3"
run 0 $C --act identity --samples 2 --depths 1,3 --format csv \
    --formats binary16
has "$tmp/out" "log10,,,,depth,1,,2,2,1,0.150514997831991,0.150514997831991,0.150514997831991,0.150514997831991,0.150514997831991" \
    "log10 of the norm at depth 1"
has "$tmp/out" "log10,,,,depth,3,,2,2,1,0.150514997831991," \
    "log10 of the norm at depth 3"
has "$tmp/out" "events,binary16,,norm_zero,depth,,,2,0,0,,,,," \
    "no norm_zero"
# W = 0, b = 0, sigmoid, y = 0: dC/db^L = (1/2 - 0) s'(0) = 1/8 in each
# of the 4 outputs (norm 1/4, log10 -0.602059991327962) and every deeper
# dC/db^l is exactly 0: the replay's zeros there are no event, and the
# norm at depth 2 has no log10
run 0 sweep --random const:0 --neurons 3,4,4,4 --samples 3 --depths 1,2 \
    --formats e4m3 --format csv --per-network "$tmp/z.csv"
has "$tmp/out" "log10,,,,depth,1,,3,3,1,-0.602059991327962," \
    "log10 of the norm 1/4"
has "$tmp/out" "log10,,,,depth,2,,3,0,0,,,,," "an exactly zero norm"
has "$tmp/z.csv" "0,e4m3,,,,,,,," "exact zeros are no event"

# ---- usage errors ------------------------------------------------------------
N="sweep --random normal:0,1 --samples 2"
usage_error "--neurons --ratio" "ratios are for chains" $N --neurons 2 \
    --layers 4 --ratio b1:b3
usage_error "--neurons --factors" "--factors" $N --neurons 2 --layers 4 \
    --factors
usage_error "--neurons 0" "--neurons" $N --neurons 0 --layers 4
usage_error "--neurons without --layers" "needs --layers" $N --neurons 2
usage_error "--neurons and --layers disagree" "--layers is 5" $N \
    --neurons 2,3,1 --layers 5
usage_error "--a0 count" "--a0: the network needs 2 value(s)" $N \
    --neurons 2,3,1 --a0 1,2,3
usage_error "--y count" "--y: the network needs 1 value(s)" $N \
    --neurons 2,3,1 --y 1,2
usage_error "--neurons with a file" "takes no network file" $N \
    --neurons 2,3,1 "$srcdir/tests/cli-sweep-wide.sh"
usage_error "--depths beyond L" "--depths" $N --neurons 2,3,1 --depths 3

finish
