#!/bin/sh
# CLI tests of the limits: lengths, precisions and memory that gradchain
# refuses before any work (exit 2, a reason on stderr, nothing on
# stdout), and values at the edges of what can be printed.
set -e
. "$srcdir/tests/cli-lib.sh"

# refused WHAT PATTERN ARGS...: gradchain ARGS exits 2 with nothing on
# stdout and PATTERN on stderr (3 checks).
refused() {
    _what=$1 _pat=$2
    shift 2
    run 2 "$@"
    empty "$tmp/out" "$_what: stdout"
    has "$tmp/err" "$_pat" "$_what"
}

# ---- F1: --layers whose per-layer arrays would wrap the size ----------------
# 2^60 and 2^59 layers made len * sizeof wrap to 0: the init loop wrote
# past a block of 0 bytes.  --layers is bounded by GC_NET_LEN_MAX = 2^52.
for L in 1152921504606846976 576460752303423488 2305843009213693951; do
    for cmd in eval compare; do
        refused "$cmd --layers $L" \
            "--layers: expected an integer from 1 to 4503599627370496" \
            $cmd --random normal:0,1 --layers $L
    done
done

# ---- F4: --prec and --max-prec are capped ----------------------------------
# --prec 10^9 spent minutes in a linear search for the digit count; the
# count is now in closed form (check_numeric), and the precisions are at
# most GC_MAX_PREC_LIMIT = 2^24 bits.
refused "--prec 10^9" "--prec: expected an integer from 2 to 16777216" \
    eval --prec 1000000000 "$REF/n4_s0.net"
refused "--max-prec 2^62" "--max-prec: expected an integer from 2 to 16777216" \
    eval --max-prec 4611686018427387775 "$REF/n4_s0.net"
refused "compare --max-prec" "--max-prec: expected an integer from 2 to 16777216" \
    compare --max-prec 16777217 "$REF/n4_s0.net"
# the digits follow from --prec: 155 bits give 40 digits for 4 layers
run 0 eval --prec 155 "$REF/n4_s0.net"
has "$tmp/out" "# digits: 40" "--prec 155: digits"

finish
