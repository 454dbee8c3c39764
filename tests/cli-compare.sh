#!/bin/sh
# CLI tests of 'compare' keeping only the gradients of its replays (issue
# 12): --summary, which replays the formats one at a time through one
# replay, prints the sections of the full report byte for byte; formats
# replayed side by side give each the rows it gets alone.  The formats
# change the layout of the replay from one to the next (binary64 doubles,
# mpfr_t for x87 and binary128, stochastic rounding, mixed).
set -eu
. "$srcdir/tests/cli-lib.sh"

# (custom:53 has binary64's precision and keeps mpfr_t; x87 and binary128
# where the build has them)
FMTL="binary64 custom:53,-20000,20000 x87 bfloat16:sr binary128 e4m3 mixed:binary16/binary32 binary16"
"$GRADCHAIN" compare --formats x87,binary128 "$REF/n4_s0.net" >/dev/null 2>&1 ||
    FMTL=$(echo "$FMTL" | sed 's/ x87//; s/ binary128//')
FMTS=$(echo "$FMTL" | tr ' ' ,)

# the report less its table of layers: from the ' layer' header to the
# blank line after it, and less the precision of the exact values, which
# the full report may raise until every relative error it prints is
# decided
sections() {
    awk '/^# exact_precision_bits: / { next }
         skip == 0 && /^ layer / { skip = 1 }
         skip == 1 { if ($0 == "") skip = 2; next }
         { print }' "$1"
}

for net in "$REF/quarter600.net" "$REF/explode2000.net" "$REF/act7_ce.net"; do
    for extra in "" "--loss-scale 2^16" "--sequence textbook --loss-scale 2^-4"; do
        # shellcheck disable=SC2086
        run 0 compare --formats "$FMTS" $extra "$net"
        sections "$tmp/out" >"$tmp/full"
        # shellcheck disable=SC2086
        run 0 compare --summary --formats "$FMTS" $extra "$net"
        sections "$tmp/out" >"$tmp/sum"
        same "$tmp/sum" "$tmp/full" "compare --summary $extra $(basename "$net")"
    done
done

# the relative errors are those to the exact value, computed apart with
# mpmath (tests/data/ref/rel_error_reference.py, from the 40-digit values
# of NET.expected): a 64-bit ball's midpoint is not close enough for the
# third digit of a binary64 value's error (n4_s0 layer 1: 2.28e-17, and
# 2.36e-17 against the midpoint)
for n in n4_s0 n4_s1 n10_s0; do
    run 0 compare --format csv --formats binary64,binary32,bfloat16,binary16 \
        "$REF/$n.net"
    { echo layer,format,rel_error
      grep ',normal$' "$tmp/out" | cut -d, -f1,2,5; } >"$tmp/rel.csv"
    same "$tmp/rel.csv" "$REF/$n.relerr" "compare: relative errors of $n"
    run 0 compare --engine arb --format csv --formats binary64 "$REF/$n.net"
    { echo layer,format,rel_error
      grep ',normal$' "$tmp/out" | cut -d, -f1,2,5; } >"$tmp/rel.csv"
    grep -e '^layer' -e ',binary64,' "$REF/$n.relerr" >"$tmp/rel64.csv"
    same "$tmp/rel.csv" "$tmp/rel64.csv" "compare --engine arb: relative errors of $n"
done

# a --max-prec too small to decide a relative error (review 20): '?', not
# the digits of the midpoint (layer 2 printed 2.93e-16; mpmath 2.912e-16),
# and exit 1 with the reason
run 1 compare --random normal:0,1 --layers 10 --seed 0 --max-prec 100 \
    --formats binary64 --format csv
checks=$((checks + 1))
[ "$(grep -c ',binary64,.*,?,normal$' "$tmp/out")" -eq 10 ] \
    || fail "--max-prec 100: not every relative error '?'"
has "$tmp/err" "compare: relative errors that the exact values at --max-prec 100 bits do not decide, printed as '?'" \
    "--max-prec 100: the message"
run 1 compare --random normal:0,1 --neurons 3 --layers 4 --max-prec 100 \
    --formats binary64 --format csv
has "$tmp/err" "printed as '?'" "wide, --max-prec 100: the message"
run 0 compare --random normal:0,1 --layers 10 --seed 0 --formats binary64 \
    --format csv
has "$tmp/out" "2,binary64,-3.5425499932127944e-9,-3.542549993e-9,2.91e-16,normal" \
    "the default --max-prec: layer 2 decided (mpmath: 2.912e-16)"

# side by side: every format's CSV rows as alone
run 0 compare --format csv --formats "$FMTS" --loss-scale 1024 "$REF/quarter600.net"
cp "$tmp/out" "$tmp/all.csv"
for f in $FMTL; do
    run 0 compare --format csv --formats "$f" --loss-scale 1024 "$REF/quarter600.net"
    grep -v '^#' "$tmp/out" >"$tmp/alone.csv"
    { head -1 "$tmp/alone.csv"; grep -F -e ",$f," -e ",\"$f\"," "$tmp/all.csv" || :; } >"$tmp/side.csv"
    same "$tmp/side.csv" "$tmp/alone.csv" "compare --format csv: $f among $FMTS"
done
# a saturated gradient is lost (review 12): E4M3 saturates at 448, so
# dC/db_5 = 0.1466... scaled by 2^30 saturates in layer 5's step and
# every gradient below is computed from it; the summary names the
# overflow, and the scaling gains first-zero minus 5 layers (negative),
# as sweep counts it
run 0 compare --random normal:0,1 --layers 5 --seed 1 --formats e4m3 --loss-scale 2^30
has "$tmp/out" " 5  1.466874683e-1" "compare: dC/db_5 of the saturating chain"
matches "$tmp/out" '^e4m3\*2^30 *overflow *5 ' "compare --loss-scale: saturation is an overflow event"
awk '$1 == "format" && $2 == "first" { t = 1; next }
     t == 1 && $1 == "e4m3" { print ($4 == $2 - 5) ? "ok" : "bad: " $0; t = 2 }' \
    "$tmp/out" >"$tmp/gained"
has "$tmp/gained" "ok" "compare --loss-scale: gained counts the overflowed layers as lost"
# the summary's tables are aligned whatever the formats' names: in the
# first (events) the third column, right-aligned, ends at
# the same place on every line, and the lines of the others (numbers,
# right-aligned) have one length
aligned() {
    awk 'BEGIN { t = 0 } /^#/ { next } NF == 0 { t++; next }
         t == 0 { match($0, /^[^ ]+ +[^ ]+ +[^ ]+/); print t, RLENGTH; next }
         { print t, length($0) }' "$tmp/out" \
        | sort -u | awk '{ n[$1]++ } END { for (t in n) if (n[t] > 1) print "table", t, "misaligned" }' \
        >"$tmp/align"
    empty "$tmp/align" "$1"
}
run 0 compare --random normal:0,1 --layers 50 --seed 1 --summary \
    --formats binary64,mixed:binary16/binary32,custom:8,-10,10:rz \
    --loss-scale 1024
aligned "compare --summary: columns aligned with long format names"
# under --loss-scale the subnormal event is the scaled gradient's in the
# format, as sweep records it (a review found compare reading the
# unscaled binary32 value): binary16*2^16 holds 5.86e-11 * 2^16 = 3.8e-6
# at layer 593, below binary16's smallest normal 6.1e-5
run 0 compare --random normal:0,1 --layers 600 --seed 7 --summary --format csv \
    --formats binary16,bfloat16 --loss-scale 2^16
grep -E '^(binary16|bfloat16)\*2\^16,(subnormal|zero),' "$tmp/out" \
    | cut -d, -f1-3 >"$tmp/cmp.ev"
run 0 sweep --random normal:0,1 --layers 600 --seed 7 --samples 1 \
    --formats binary16,bfloat16 --loss-scale 2^16 --per-network "$tmp/pn.csv"
awk -F, 'NR > 1 { print $2 "*" $3 ",subnormal," $4; print $2 "*" $3 ",zero," $5 }' \
    "$tmp/pn.csv" >"$tmp/sweep.ev"
same "$tmp/cmp.ev" "$tmp/sweep.ev" "compare --loss-scale: the events sweep records"
has "$tmp/cmp.ev" "binary16*2^16,subnormal,593" "compare --loss-scale: the scaled binary16 subnormal"
# the hardware formats count the operations that overflow as their
# emulated twins do (a review found binary64 with no overflow event and
# gained 0 where binary64-emu has overflow 975 and gained -1)
for f in binary64 binary32; do
    run 0 compare --summary --format csv --formats "$f,$f-emu" \
        --loss-scale 2 "$REF/explode2000.net"
    grep "^$f[,*]" "$tmp/out" | sed "s/^$f/X/" >"$tmp/hw.ev"
    grep "^$f-emu[,*]" "$tmp/out" | sed "s/^$f-emu/X/" >"$tmp/emu.ev"
    same "$tmp/hw.ev" "$tmp/emu.ev" "compare: $f counts overflows as $f-emu"
    has "$tmp/hw.ev" "X,overflow," "compare: $f's overflow event"
done
finish
