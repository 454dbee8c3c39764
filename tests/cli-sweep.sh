#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-sweep.sh -- 'gradchain sweep': the same output for every --threads,
# the per-network CSV (network i is compare's network of seed S+i), the
# report formats and the usage errors.
set -e
. "$srcdir/tests/cli-lib.sh"
SW="sweep --random normal:0,1 --layers 120 --samples 7 --seed 3"
F="--formats binary32,bfloat16,binary16"

# ---- threads never change the output ----------------------------------------
for fmt in text csv json; do
    run 0 $SW $F --format $fmt --threads 1 --per-network "$tmp/pn1.csv"
    empty "$tmp/err" "sweep --format $fmt: stderr"
    cp "$tmp/out" "$tmp/one"
    run 0 $SW $F --format $fmt --threads 2 --per-network "$tmp/pn2.csv"
    same "$tmp/out" "$tmp/one" "sweep --format $fmt --threads 2"
    same "$tmp/pn2.csv" "$tmp/pn1.csv" "--per-network with --threads 2"
    run 0 $SW $F --format $fmt --threads 9
    same "$tmp/out" "$tmp/one" "sweep --format $fmt --threads 9"
done

# ---- the per-network CSV -----------------------------------------------------
checks=$((checks + 1))
[ "$(sed -n 1p "$tmp/pn1.csv")" = \
  "seed,format,loss_scale,first_subnormal_layer,first_zero_layer,first_nonfinite_layer" ] \
    || fail "--per-network header: $(sed -n 1p "$tmp/pn1.csv")"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/pn1.csv")" -eq 22 ] || fail "--per-network: not 21 rows"
# network 1 is compare's --seed 4: the same layers as its summary
run 0 compare --random normal:0,1 --layers 120 --seed 4 $F --summary \
    --format csv
awk -F, '$2 == "subnormal" || $2 == "zero" { print $1 "," $2 "," $3 }' \
    "$tmp/out" >"$tmp/want"
awk -F, '$1 == 4 { if ($4 != "") print $2 ",subnormal," $4;
                   if ($5 != "") print $2 ",zero," $5 }' \
    "$tmp/pn1.csv" >"$tmp/got"
checks=$((checks + 1))
[ -s "$tmp/want" ] || fail "compare --seed 4 has no event to compare"
same "$tmp/got" "$tmp/want" "--per-network seed 4 against compare"
# with --act: network 2 of seed 0 is compare's --seed 2 --act tanh
run 0 sweep --random normal:0,1 --layers 50 --samples 3 --act tanh \
    --formats binary16,e5m2 --per-network "$tmp/pnt.csv" -o /dev/null
run 0 compare --random normal:0,1 --layers 50 --seed 2 --act tanh \
    --formats binary16,e5m2 --summary --format csv
awk -F, '$2 == "subnormal" || $2 == "zero" { print $1 "," $2 "," $3 }' \
    "$tmp/out" >"$tmp/want"
awk -F, '$1 == 2 { if ($4 != "") print $2 ",subnormal," $4;
                   if ($5 != "") print $2 ",zero," $5 }' \
    "$tmp/pnt.csv" >"$tmp/got"
same "$tmp/got" "$tmp/want" "--per-network --act tanh seed 2 against compare"
# an event that never happens is an empty cell: binary32 never overflows
matches "$tmp/pn1.csv" '^3,binary32,,[0-9]*,[0-9]*,$' "empty nonfinite cell"

# ---- the report ---------------------------------------------------------------
run 0 $SW --format csv
checks=$((checks + 1))
[ "$(sed -n 1p "$tmp/out")" = \
  "format,loss_scale,event,measure,networks,fraction,min,q1,median,q3,max" ] \
    || fail "CSV header: $(sed -n 1p "$tmp/out")"
# binary64 does not overflow: fraction 0 and empty statistics
has "$tmp/out" "binary64,,nonfinite,depth,0,0,,,,," "binary64 nonfinite"
run 0 $SW --format json
has "$tmp/out" '"samples":7' "JSON samples"
# an absent statistic is null in JSON, '-' in text
has "$tmp/out" '"event":"nonfinite","measure":"depth","networks":0,"fraction":"0","min":null,"q1":null,"median":null,"q3":null,"max":null' \
    "JSON null for an absent statistic"
run 0 $SW
matches "$tmp/out" '^binary64 *- *nonfinite *depth *0 *0 *- *- *- *- *-$' \
    "text '-' for an absent statistic"
run 0 $SW -o "$tmp/report.txt"
empty "$tmp/out" "-o: stdout"
has "$tmp/report.txt" "# samples: 7" "-o file"
run 0 sweep --help
has "$tmp/out" "--per-network FILE" "sweep --help"

# ---- usage errors ---------------------------------------------------------------
usage_error "zero samples" "--samples" sweep --random normal:0,1 \
    --layers 10 --samples 0
usage_error "no samples" "sweep needs --samples N" sweep \
    --random normal:0,1 --layers 10
usage_error "no --random" "sweep needs --random" sweep --layers 10 \
    --samples 3
usage_error "bad format list" "bfloat17" $SW --formats binary32,bfloat17
usage_error "empty format item" "--formats" $SW --formats binary32,
usage_error "bad threads" "--threads" $SW --threads 0
usage_error "bad distribution" "--random" sweep --random normal:0,-1 \
    --layers 10 --samples 3
usage_error "bad sequence" "sloppy" $SW --sequence sloppy
usage_error "operand" "not both" $SW net.txt
usage_error "a compare option" "--digits" $SW --digits 5
run 2 $SW --per-network "$tmp/same" -o "$tmp/same"
has "$tmp/err" "same file" "--per-network and -o the same file"
run 2 $SW --per-network "$tmp/nodir/x.csv"
checks=$((checks + 1))
[ ! -e "$tmp/nodir" ] || fail "a failed --per-network left a file"

finish
