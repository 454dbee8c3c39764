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
finish
