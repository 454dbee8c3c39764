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

# ---- F5: work that cannot fit in memory is refused before it starts -------
# Under a 300 MB address-space limit (ulimit -v, in a subshell), a table
# of 2 million layers (about 720 MB) is refused with the estimate and the
# alternative, before any work and without FLINT's abort.
limited() {
    _kb=$1
    shift
    checks=$((checks + 1))
    set +e
    (ulimit -v "$_kb" && exec "$GRADCHAIN" "$@") >"$tmp/out" 2>"$tmp/err"
    _got=$?
    set -e
    [ "$_got" = 2 ] || fail "ulimit -v $_kb; gradchain $* exited $_got, expected 2"
    empty "$tmp/out" "ulimit -v $_kb; gradchain $*: stdout"
}
if ulimit_v_works 300000; then
    # the table of every layer keeps dC/db_j and dC/dw_j only, about 120
    # bytes a layer: 4 10^6 layers do not fit in 300 MB
    limited 300000 eval --random normal:0,1 --layers 4000000
    matches "$tmp/err" "^gradchain: eval: 4000000 layers need about [0-9.]* [MG]B for the table of every layer, more than the [0-9.]* [kMG]B available (RLIMIT_AS, ulimit -v); use --wrt bJ to stream one parameter in O(1) memory\$" \
        "eval refused under ulimit -v"
    limited 300000 eval --engine mpfr --random normal:0,1 --layers 2000000
    has "$tmp/err" "for the table of every layer" "eval --engine mpfr refused"
    limited 300000 compare --random normal:0,1 --layers 1000000 --summary
    matches "$tmp/err" "^gradchain: compare: 1000000 layers need about .*; compare has no streaming mode yet" \
        "compare refused under ulimit -v"
    # the documented maximum of derive, 10^8 layers (about 6 GB)
    limited 300000 derive --layers 100000000 --format ascii
    matches "$tmp/err" "^gradchain: derive: 100000000 layers need about [0-9.]* GB for the product of the gradient, .*; use a smaller --layers\$" \
        "derive refused under ulimit -v"
    limited 300000 derivation --layers 10000000
    has "$tmp/err" "; use a smaller --layers" "derivation refused under ulimit -v"
    # streaming one parameter needs O(1) memory: the same chain runs
    set +e
    (ulimit -v 300000 && exec "$GRADCHAIN" eval --random normal:0,1 \
        --layers 2000000 --wrt b1999999 --digits 5 --format csv) \
        >"$tmp/out" 2>"$tmp/err"
    _got=$?
    set -e
    checks=$((checks + 1))
    [ "$_got" = 0 ] && grep -q "^b1999999," "$tmp/out" \
        || fail "eval --wrt under ulimit -v exited $_got"
else
    echo "ulimit -v is not available (or this is a sanitizer build):" \
        "the memory checks are skipped"
fi
# beyond any machine: refused at once with the estimate
refused "eval --layers 2^52" "4503599627370496 layers need about 1.4 EB for the table of every layer" \
    eval --random normal:0,1 --layers 4503599627370496
refused "compare --layers 2^52" "4503599627370496 layers need about" \
    compare --random normal:0,1 --layers 4503599627370496

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

# ---- F6: values beyond MPFR's exponent range print from Arb's exponent -----
# dC/db_1 = e^(-10^19) (1 + ...) ~ 10^(-4.3e18): it printed '?', exited 1
# and blamed --max-prec.  The decimal exponent comes from the fmpz now
# (value from mpmath: 3.08113559223776048154e-4342944819032518277).
printf '1e19 0\n' > "$tmp/w1e19.net"
run 0 eval --format csv "$tmp/w1e19.net"
printf '%s\n' "layer,dC_db,dC_dw" \
    "1,3.0811355922377604815e-4342944819032518277,3.0811355922377604815e-4342944819032518277" \
    > "$tmp/want"
same "$tmp/out" "$tmp/want" "eval of w = 1e19"
empty "$tmp/err" "eval of w = 1e19: stderr"
run 0 eval --wrt w1 --digits 5 --format csv "$tmp/w1e19.net"
has "$tmp/out" "w1,3.0811e-4342944819032518277" "eval --wrt of w = 1e19"
# Beyond the printable range (|e| >= 2^64 bits: decimal exponents past
# 5.5e18), e^(-10^30): '?', exit 1, the reason, and no futile Ziv loop
# (it doubled the precision up to --max-prec); layer 2 is proved.
printf '1e30 0\n1 0\n' > "$tmp/w1e30.net"
run 1 eval --digits 5 --max-prec 16777216 "$tmp/w1e30.net"
has "$tmp/out" "# precision_bits: 128" "w = 1e30: first precision only"
has "$tmp/out" "     1  ?                             ?" "w = 1e30: '?'"
has "$tmp/out" "     2  1.4373e-1                     1.4373e-1" "w = 1e30: layer 2"
has "$tmp/err" "gradchain: eval: 2 value(s) with an exponent beyond what can be printed (|e| >= 2^64 bits, a decimal exponent beyond 5.5e18); no precision can help" \
    "w = 1e30: the reason"
checks=$((checks + 1))
! grep -q -- "--max-prec" "$tmp/err" || fail "w = 1e30: --max-prec blamed"
run 1 eval --wrt b1 "$tmp/w1e30.net"
has "$tmp/err" "eval: 1 value(s) with an exponent beyond" "w = 1e30, --wrt b1"
run 1 compare --summary "$tmp/w1e30.net"
has "$tmp/err" "compare: 2 value(s) with an exponent beyond" "compare, w = 1e30"
# the MPFR engine cannot hold them and says so
run 1 eval --engine mpfr "$tmp/w1e19.net"
empty "$tmp/out" "mpfr engine, w = 1e19: stdout"
has "$tmp/err" "left MPFR's exponent range" "mpfr engine, w = 1e19"

# ---- F12: an exact zero gradient is no format event ------------------------
# w_2 = 0 makes dC/db_1 = 0 exactly: binary64 and e4m3 give 0 there, which
# is exactly right, and the summary listed it as a 'zero' event.
printf '1 1\n0 0\n1 1\n' > "$tmp/dead.net"
run 0 compare --formats binary64,e4m3 --summary --format csv "$tmp/dead.net"
printf '%s\n' "format,event,layer,exact" "binary64,none,0,-" "e4m3,none,0,-" \
    "" "format,changed,overflowed,underflowed,first_overflow_layer,first_underflow_layer" \
    "binary64,0,0,0,0,0" "e4m3,0,0,0,0,0" > "$tmp/want"
same "$tmp/out" "$tmp/want" "compare of a dead chain: no zero event"
# y = a_1 = 1/2 exactly: dC/db_1 = 0
printf 'y 0.5\n0 0\n' > "$tmp/exactzero.net"
run 0 compare --formats binary64,binary16 --summary "$tmp/exactzero.net"
has "$tmp/out" "binary16        none             0  -" "exact zero: binary16"
# a zero where the exact value is not zero is still an event
run 0 compare --summary "$REF/quarter600.net"
has "$tmp/out" "binary64        zero            64  2.470328229e-324" "a real zero event"

# ---- F13: the event column fits the longest event shown ---------------------
run 0 compare --formats e4m3:nan,binary64 --loss-scale 2^16 --summary "$REF/n4_s0.net"
has "$tmp/out" "format          event             layer  exact dC/db_j there" \
    "summary header with scaled-overflow"
has "$tmp/out" "e4m3:nan*2^16   scaled-overflow       4  1.156269582e-1" \
    "scaled-overflow row aligned"
has "$tmp/out" "binary64*2^16   none                  0  -" "none row aligned"

finish
