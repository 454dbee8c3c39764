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
  "seed,format,loss_scale,first_subnormal_layer,first_zero_layer,first_nonfinite_layer,first_overflow_layer,scale_used" ] \
    || fail "--per-network header: $(sed -n 1p "$tmp/pn1.csv")"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/pn1.csv")" -eq 22 ] || fail "--per-network: not 21 rows"
# against_compare SEED FILE ARGS...: the subnormal and zero layers of the
# network of seed SEED in the per-network FILE are those of 'compare
# --seed SEED ARGS... --summary'
against_compare() {
    _seed=$1
    _file=$2
    shift 2
    run 0 compare --seed "$_seed" "$@" --summary --format csv
    awk -F, '$2 == "subnormal" || $2 == "zero" { print $1 "," $2 "," $3 }' \
        "$tmp/out" >"$tmp/want"
    awk -F, -v s="$_seed" '$1 == s { if ($4 != "") print $2 ",subnormal," $4;
                                    if ($5 != "") print $2 ",zero," $5 }' \
        "$_file" >"$tmp/got"
    checks=$((checks + 1))
    [ -s "$tmp/want" ] || fail "compare --seed $_seed $*: no event to compare"
    same "$tmp/got" "$tmp/want" "--per-network seed $_seed against compare $*"
}
# network 1 is compare's --seed 4: the same layers as its summary
against_compare 4 "$tmp/pn1.csv" --random normal:0,1 --layers 120 $F
# with --act: network 2 of seed 0 is compare's --seed 2 --act tanh
run 0 sweep --random normal:0,1 --layers 50 --samples 3 --act tanh \
    --formats binary16,e5m2 --per-network "$tmp/pnt.csv" -o /dev/null
against_compare 2 "$tmp/pnt.csv" --random normal:0,1 --layers 50 --act tanh \
    --formats binary16,e5m2
# with --a0 and --y (exact rationals; the report shows them): network 2 is
# compare's --seed 5 --a0 1/3 --y 1000, and they change the events
AY="--random normal:0,1 --layers 120 --a0 1/3 --y 1000 $F"
run 0 sweep $AY --samples 4 --seed 3 --per-network "$tmp/pnay.csv"
has "$tmp/out" "# a0: 1/3" "sweep --a0 1/3: the report"
has "$tmp/out" "# y: 1000" "sweep --y 1000: the report"
against_compare 5 "$tmp/pnay.csv" $AY
head -n 13 "$tmp/pn1.csv" >"$tmp/pn1head"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/pnay.csv")" -eq 13 ] \
    && ! cmp -s "$tmp/pnay.csv" "$tmp/pn1head" \
    || fail "--a0 1/3 --y 1000: the same events as without them"
# an event that never happens is an empty cell: binary32 never overflows
matches "$tmp/pn1.csv" '^3,binary32,,[0-9]*,[0-9]*,,,$' "empty nonfinite cell"

# ---- the report ---------------------------------------------------------------
run 0 $SW --format csv
checks=$((checks + 1))
[ "$(sed -n 1p "$tmp/out")" = \
  "table,format,loss_scale,event,measure,depth,ratio,total,count,fraction,min,q1,median,q3,max" ] \
    || fail "CSV header: $(sed -n 1p "$tmp/out")"
# binary64 does not overflow: fraction 0 and empty statistics
has "$tmp/out" "events,binary64,,nonfinite,depth,,,7,0,0,,,,," \
    "binary64 nonfinite"
# one table: every row has the 15 fields
checks=$((checks + 1))
awk -F, 'NF != 15 { exit 1 }' "$tmp/out" || fail "CSV: a row without 15 fields"
run 0 $SW --format json
has "$tmp/out" '"samples":7' "JSON samples"
# an absent statistic is null in JSON, '-' in text
has "$tmp/out" '"event":"nonfinite","measure":"depth","count":0,"fraction":0,"min":null,"q1":null,"median":null,"q3":null,"max":null' \
    "JSON null for an absent statistic"
# valid JSON whose counts, fractions and quantiles are numbers
checks=$((checks + 1))
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for row in d["rows"]:
    for k in ("count", "fraction", "min", "q1", "median", "q3", "max"):
        v = row[k]
        assert v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)), (k, v)
    assert row["count"] == 0 or row["min"] is not None
assert any(r["median"] is not None for r in d["rows"])
' "$tmp/out" || fail "JSON: a statistic that is not a number"
run 0 $SW
matches "$tmp/out" '^binary64 *- *nonfinite *depth *0 *0 *- *- *- *- *-$' \
    "text '-' for an absent statistic"
run 0 $SW -o "$tmp/report.txt"
empty "$tmp/out" "-o: stdout"
has "$tmp/report.txt" "# samples: 7" "-o file"
run 0 sweep --help
has "$tmp/out" "--per-network FILE" "sweep --help"

# ---- --ratio: the 16x report -------------------------------------------------
# the report's count and median recomputed from the per-network column
R="sweep --random normal:0,1 --layers 4 --samples 2000 --seed 11 --ratio b1:b3"
run 0 $R --per-network "$tmp/ratio.csv"
cp "$tmp/out" "$tmp/ratio.txt"
matches "$tmp/ratio.csv" '^11,binary64,,,,,,0\.[0-9]*' "ratio_b1_b3 column"
awk -F, 'NR > 1 { print $8 }' "$tmp/ratio.csv" | sort -g >"$tmp/sorted"
want=$(awk '{ v[NR] = $1; if ($1 <= 1 / 16) n++ }
            END { printf "%d %.12g\n", n, (v[NR / 2] + v[NR / 2 + 1]) / 2 }' \
           "$tmp/sorted")
got=$(awk '$1 == "b1:b3" { printf "%d %.12g\n", $3, $7 }' "$tmp/ratio.txt")
checks=$((checks + 1))
[ -n "$got" ] && [ "$got" = "$want" ] \
    || fail "--ratio b1:b3 report '$got', from the rows '$want'"
# network 2 (seed 13) against eval's exact dC/db_1 and dC/db_3
run 0 eval --random normal:0,1 --layers 4 --seed 13 --format csv
d1=$(awk -F, '$1 == 1 { print $2 }' "$tmp/out")
d3=$(awk -F, '$1 == 3 { print $2 }' "$tmp/out")
r=$(awk -F, '$1 == 13 { print $8 }' "$tmp/ratio.csv")
checks=$((checks + 1))
awk -v a="$d1" -v b="$d3" -v r="$r" 'BEGIN { x = a / b; if (x < 0) x = -x;
    d = x - r; if (d < 0) d = -d; exit !(d <= 1e-12 * x) }' \
    || fail "ratio of seed 13: $r, eval gives $d1 / $d3"
# the same with --threads 2
run 0 $R --threads 2 --per-network "$tmp/ratio2.csv"
same "$tmp/out" "$tmp/ratio.txt" "--ratio with --threads 2"
same "$tmp/ratio2.csv" "$tmp/ratio.csv" "ratio rows with --threads 2"

# ---- --depths, --factors -----------------------------------------------------
run 0 $SW $F --depths 1,60,120 --factors --format csv
has "$tmp/out" "lost,binary16,,,depth,120,,7,7,1,,,,," \
    "binary16 lost at depth 120"
matches "$tmp/out" '^log10,,,,depth,1,,7,7,1,-[0-9.]*,' "log10 at depth 1"
matches "$tmp/out" '^factors,,,,,,,833,[0-9]*,0\.[0-9]*,' "factors: 7 x 119"
# pandas-style: the one table loads in one call (python's csv module)
checks=$((checks + 1))
/usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert {r["table"] for r in rows} == {"events", "lost", "log10", "factors"}
' "$tmp/out" || fail "CSV: not one table"

# ---- --loss-scale and --sr-seed ----------------------------------------------
run 0 $SW --formats binary16,bfloat16:sr --loss-scale 1,2^16,auto \
    --per-network "$tmp/ls.csv" --format csv
has "$tmp/out" "events,binary16,2^16,gained,depth,,,7,7,1," \
    "gained over no scaling"
matches "$tmp/out" '^events,bfloat16:sr,auto,scale,log2,,,7,7,1,' \
    "auto's exponents"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/ls.csv")" -eq 43 ] || fail "--loss-scale: not 42 rows"
matches "$tmp/ls.csv" '^3,binary16,2\^1[0-9],' "auto scale 2^k per network"
run 0 $SW --formats bfloat16:sr --sr-seed 5 --per-network "$tmp/sr5.csv"
run 0 $SW --formats bfloat16:sr --sr-seed 5 --per-network "$tmp/sr5b.csv"
same "$tmp/sr5b.csv" "$tmp/sr5.csv" "--sr-seed 5 twice"
run 0 $SW --formats bfloat16:sr --sr-seed 6 --per-network "$tmp/sr6.csv"
checks=$((checks + 1))
! cmp -s "$tmp/sr6.csv" "$tmp/sr5.csv" || fail "--sr-seed 5 and 6 agree"
# network 1 with --sr-seed 6 is compare's --seed 4 --sr-seed 6
run 0 compare --random normal:0,1 --layers 120 --seed 4 --sr-seed 6 \
    --formats bfloat16:sr --summary --format csv
awk -F, '$2 == "zero" { print $3 }' "$tmp/out" >"$tmp/want"
awk -F, '$1 == 4 { print $5 }' "$tmp/sr6.csv" >"$tmp/got"
same "$tmp/got" "$tmp/want" "--sr-seed 6 seed 4 against compare"

# ---- overflow and saturation: a constant chain in closed form -----------------
# w = 1/2, b = 0, identity, a_0 = 0, y = -1: a_j = 0, dC/da_L = 1 and
# dC/db_j = 2^-(d-1) at depth d = L - j + 1.  A scale 2^e overflows at
# layer L (the scaled dC/da_L) exactly when 2^e exceeds the largest
# number: 448 for e4m3 (which saturates: no inf), 57344 for e5m2, 65504
# for binary16; so auto picks 2^8, 2^15, 2^15 and a saturated gradient
# is lost from depth 1.  Unscaled, the first zero is at depth p - emin + 1
# (2^-(p-emin) ties with 0): 11 for e4m3 (p 4, emin -6), 18 for e5m2 (3,
# -14), 26 for binary16 (11, -14); at 2^e, e depths deeper: layer
# j = L - d + 1.  Beyond the largest number, e4m3's gradients are
# 448 2^-(d-1) (its zero layer stays that of 2^9) and the others' inf
# (never zero).
HC="--weights const:1/2 --biases const:0 --act identity --a0 0 --y -1"
run 0 sweep $HC --layers 40 --samples 2 --formats e4m3,e5m2,binary16 \
    --loss-scale 2^8,2^9,2^15,2^16,auto --per-network "$tmp/hc.csv"
# format,scale,zero layer,overflow layer,scale used of network 1
awk -F, 'NR > 1 && $1 == 1 { print $2 "," $3 "," $5 "," $7 "," $8 }' "$tmp/hc.csv" \
    >"$tmp/got"
cat >"$tmp/want" <<'EOF'
e4m3,2^8,22,,
e5m2,2^8,15,,
binary16,2^8,7,,
e4m3,2^9,21,40,
e5m2,2^9,14,,
binary16,2^9,6,,
e4m3,2^15,21,40,
e5m2,2^15,8,,
binary16,2^15,,,
e4m3,2^16,21,40,
e5m2,2^16,,40,
binary16,2^16,,40,
e4m3,auto,22,,2^8
e5m2,auto,8,,2^15
binary16,auto,,,2^15
EOF
same "$tmp/got" "$tmp/want" "constant chain: zero and overflow layers"
# e4m3 at 2^9 saturates: no nonfinite layer, lost at depth 1
matches "$tmp/hc.csv" '^0,e4m3,2\^9,[0-9]*,21,,40,$' "e4m3 saturates, no inf"

# a loss scale of 1 gives the events of no scaling, row for row, also the
# subnormals of formats narrower than binary32 (the scale format)
F3="--formats binary16,bfloat16,e5m2"
run 0 $SW $F3 --per-network "$tmp/ls0.csv"
run 0 $SW $F3 --loss-scale 1 --per-network "$tmp/ls1.csv"
sed 's/^\([0-9]*,[^,]*\),1,/\1,,/' "$tmp/ls1.csv" >"$tmp/ls1u.csv"
same "$tmp/ls1u.csv" "$tmp/ls0.csv" "--loss-scale 1 against no scaling"
matches "$tmp/ls1.csv" '^3,binary16,1,[0-9][0-9]*,' "binary16 subnormals at 1"

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
usage_error "operand" "sweep takes no network file, got 'net.txt'" $SW net.txt
usage_error "depth beyond L" "'121'" $SW --depths 1,121
usage_error "depth 0" "'0'" $SW --depths 0
usage_error "malformed depths" "'x'" $SW --depths 3,x
usage_error "empty depth" "--depths" $SW --depths 3,,4
usage_error "ratio J >= K" "'b3:b1'" $SW --ratio b3:b1
usage_error "ratio of weights" "'w1:w2'" $SW --ratio w1:w2
usage_error "ratio beyond L" "'b121'" $SW --ratio b1:b121
usage_error "ratio without colon" "'b1'" $SW --ratio b1
# the message offers biases only (a weight wJ is refused)
usage_error "ratio of an unknown parameter" "expected bJ:bK, biases" $SW \
    --ratio x1:b3
checks=$((checks + 1))
! grep -q wJ "$tmp/err" || fail "--ratio x1:b3 offers wJ"
usage_error "bad loss scale" "--loss-scale" $SW --loss-scale 1,0
usage_error "auto twice" "auto" $SW --loss-scale auto,auto
# a repeated item would give duplicate rows or columns: refused, naming it
usage_error "ratio twice" "'b1:b3' twice" $SW --ratio b1:b3 --ratio b1:b3
usage_error "depth twice" "'3' twice" $SW --depths 3,2,3
usage_error "scale twice" "'1' repeats" $SW --loss-scale 1,1
usage_error "scale twice, other spelling" "'65536' repeats the scale '2^16'" \
    $SW --loss-scale 2^16,65536
usage_error "format twice" "'binary32' twice" $SW --formats binary32,binary32
usage_error "format twice, other order" "'bfloat16:sr:ftz' twice" $SW \
    --formats bfloat16:ftz:sr,bfloat16:sr:ftz
usage_error "bad sr seed" "--sr-seed" $SW --sr-seed -1
usage_error "a compare option" "--digits" $SW --digits 5
# the seeds S .. S+N-1 never wrap around 2^64: 2^64-2 takes 2 networks
usage_error "seeds beyond 2^64-1" "--seed 18446744073709551614 --samples 3" \
    sweep --random normal:0,1 --layers 3 --samples 3 \
    --seed 18446744073709551614
run 0 sweep --random normal:0,1 --layers 3 --samples 2 \
    --seed 18446744073709551614 --per-network "$tmp/top.csv"
awk -F, 'NR > 1 { print $1 }' "$tmp/top.csv" >"$tmp/got"
printf '18446744073709551614\n18446744073709551615\n' >"$tmp/want"
same "$tmp/got" "$tmp/want" "the last two seeds"
run 2 $SW --per-network "$tmp/same" -o "$tmp/same"
has "$tmp/err" "same file" "--per-network and -o the same file"
run 2 $SW --per-network "$tmp/nodir/x.csv"
checks=$((checks + 1))
[ ! -e "$tmp/nodir" ] || fail "a failed --per-network left a file"

# the report names the activation (a tanh sweep must not look like sigmoid)
run 0 sweep --random normal:0,1 --layers 10 --samples 3 --act tanh
has "$tmp/out" "# act: tanh" "sweep metadata: --act"
run 0 sweep --random normal:0,1 --layers 10 --samples 3 --format json
has "$tmp/out" '"act":"sigmoid"' "sweep metadata: default act"

finish
