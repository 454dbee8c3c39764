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
# blank line after it
sections() {
    awk 'skip == 0 && /^ layer / { skip = 1 }
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
        same "$tmp/out" "$tmp/full" "compare --summary $extra $(basename "$net")"
    done
done

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
finish
