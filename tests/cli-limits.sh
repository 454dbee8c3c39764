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

finish
