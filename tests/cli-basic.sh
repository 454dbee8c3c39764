#!/bin/sh
# CLI tests of 'gradchain' itself, 'eval' and 'compare': output against the
# independent reference data, exit codes, diagnostics, all-or-nothing
# output files.
set -e
. "$srcdir/tests/cli-lib.sh"

# ---- program-level options and usage errors --------------------------------
run 0 --help
has "$tmp/out" "Usage: gradchain COMMAND" "--help"
has "$tmp/out" "gradchain eval [OPTION]" "--help lists eval"
run 0 --version
head -n 1 "$tmp/out" > "$tmp/v"
echo "gradchain 0.1.0" > "$tmp/v.want"
same "$tmp/v" "$tmp/v.want" "--version first line"
run 2
has "$tmp/err" "gradchain: missing command" "no command"
has "$tmp/err" "Try 'gradchain --help' for more information." "no command"
run 2 frobnicate
has "$tmp/err" "gradchain: unknown command 'frobnicate'" "unknown command"
run 0 eval --help
has "$tmp/out" "--wrt all|bJ|wJ" "eval --help"
run 2 eval --bogus "$REF/n4_s0.net"
printf "%s\n" "gradchain: eval: unrecognized option '--bogus'" \
    "Try 'gradchain eval --help' for more information." > "$tmp/want"
same "$tmp/err" "$tmp/want" "unknown option diagnostic"
empty "$tmp/out" "stdout after a usage error"
run 2 compare "$REF/n4_s0.net" --formats
has "$tmp/err" "gradchain: compare: missing argument to '--formats'" "missing argument"
run 0 compare --help
has "$tmp/out" "--loss-scale S" "compare --help"
has "$tmp/out" "--random DIST" "compare --help shows the network options"
run 2 eval
has "$tmp/err" "missing network" "eval without network"
run 2 eval "$REF/n4_s0.net" "$REF/n4_s1.net"
has "$tmp/err" "extra operand" "two networks"
run 2 eval --digits 0 "$REF/n4_s0.net"
has "$tmp/err" "--digits: expected an integer" "--digits 0"
run 2 eval --digits 10 --prec 100 "$REF/n4_s0.net"
run 2 eval --digits 1000001 "$REF/n4_s0.net"
has "$tmp/err" "--digits: expected an integer from 1 to 1000000, got '1000001'" "--digits bound"
run 2 eval --format xml "$REF/n4_s0.net"
run 2 eval --wrt b5 "$REF/n4_s0.net"
has "$tmp/err" "gradchain: --wrt: layer 5 out of range 1..4, got 'b5'" "--wrt b5"
run 2 eval --wrt "b 1" "$REF/n4_s0.net"
has "$tmp/err" "got 'b 1'" "--wrt 'b 1' names the text"
run 2 eval --wrt q1 "$REF/n4_s0.net"
# one spelling of a parameter for every command: bJ or wJ, lower case,
# no leading zeros
for p in B3 b03 W1 w+1; do
    run 2 eval --wrt "$p" "$REF/n4_s0.net"
    has "$tmp/err" "--wrt: expected" "eval --wrt $p is refused"
    run 2 derive --layers 4 --wrt "$p"
    has "$tmp/err" "--wrt: expected" "derive --wrt $p is refused"
done
run 2 eval --random normal:0,1
has "$tmp/err" "--random needs --layers" "--random without --layers"
# the spec is the library's (gc_dist_set_str): its reason, then the text
# (more in cli-random.sh)
run 2 eval --random poisson:1 --layers 3
has "$tmp/err" "gradchain: --random: expected normal:MU,SD or uniform:LO,HI or const:V, got 'poisson:1'" "--random poisson:1"
run 2 eval --random normal:0,-1 --layers 3
has "$tmp/err" "gradchain: --random: standard deviation must not be negative, got '-1'" "--random negative SD"
run 2 eval --random normal:x,1 --layers 3
has "$tmp/err" "gradchain: --random: mean: expected a number, got 'x'" "--random bad mean"
run 2 eval --random normal:0,1/0 --layers 3
has "$tmp/err" "gradchain: --random: standard deviation: zero denominator, got '1/0'" "--random zero denominator"
# draws that leave binary64 are a usage error (they used to abort)
for r in normal:0,1e308 normal:1e400,1 normal:-1e308,1e308; do
    run 2 eval --random "$r" --layers 3
    has "$tmp/err" "gradchain: --random: draws of N(MU, SD) must be finite" "$r"
done
run 2 eval --layers 3 "$REF/n4_s0.net"
run 2 eval /nonexistent/net.txt
has "$tmp/err" "gradchain: /nonexistent/net.txt: No such file or directory" "missing file"

# ---- every gradient of every reference network, 40 digits ------------------
# The .expected files come from an independent mpmath program; their
# columns are j, dC/db_j and (when present) dC/dw_j.
for f in "$REF"/*.net; do
    name=$(basename "$f" .net)
    exp="$REF/$name.expected"
    run 0 eval --digits 40 --format csv "$f"
    awk '!/^#/ && NF >= 2 { print $1 "," $2 }' "$exp" > "$tmp/want"
    cut -d, -f1,2 "$tmp/out" | tail -n +2 > "$tmp/got"
    same "$tmp/got" "$tmp/want" "$name: dC/db_j at 40 digits"
    if awk '!/^#/ && NF >= 3 { found = 1 } END { exit !found }' "$exp"; then
        awk '!/^#/ && NF >= 3 { print $1 "," $3 }' "$exp" > "$tmp/want"
        cut -d, -f1,3 "$tmp/out" | tail -n +2 > "$tmp/got"
        same "$tmp/got" "$tmp/want" "$name: dC/dw_j at 40 digits"
    fi
done
run 0 eval --digits 40 --format csv "$REF/n4_s0.net"
head -n 1 "$tmp/out" > "$tmp/got"
echo "layer,dC_db,dC_dw" > "$tmp/want"
same "$tmp/got" "$tmp/want" "CSV header"

# the network from standard input
checks=$((checks + 1))
"$GRADCHAIN" eval --digits 40 --format csv - < "$REF/n4_s1.net" > "$tmp/stdin.csv" \
    || fail "eval - (stdin)"
checks=$((checks + 1))
"$GRADCHAIN" eval --digits 40 --format csv "$REF/n4_s1.net" > "$tmp/file.csv" \
    || fail "eval FILE, the reference for stdin"
same "$tmp/stdin.csv" "$tmp/file.csv" "eval from stdin"

# ---- both engines agree at 40 digits; --certify adds proven bounds ---------
for f in "$REF/n10_s0.net" "$REF/neutral1000.net"; do
    run 0 eval --digits 40 --format csv "$f"
    cp "$tmp/out" "$tmp/arb.csv"
    run 0 eval --digits 40 --format csv --engine mpfr "$f"
    same "$tmp/out" "$tmp/arb.csv" "$(basename "$f"): mpfr and arb engines"
done
run 0 eval --digits 30 --certify --format csv "$REF/n4_s0.net"
has "$tmp/out" "layer,dC_db,dC_dw,dC_db_rel_error_bound,dC_dw_rel_error_bound" "--certify header"
checks=$((checks + 1))
awk -F, 'NR > 1 && !($4 + 0 > 0 && $4 + 0 < 1e-30) { bad = 1 } END { exit bad }' \
    "$tmp/out" || fail "--certify bounds not in (0, 1e-30): $(cat "$tmp/out")"
run 0 eval --digits 10 --certify --format csv "$REF/neutral1000.net"
has "$tmp/out" "1,1.250000000e-1,6.250000000e-2,0,0" "exact balls have bound 0"
run 2 eval --certify --engine mpfr "$REF/n4_s0.net"
run 2 eval --engine gmp "$REF/n4_s0.net"
has "$tmp/err" "--engine: unknown engine 'gmp' (mpfr, arb, replay, fast)" "--engine lists the library's engines"
run 2 eval --engine replay "$REF/n4_s0.net"
has "$tmp/err" "'replay' is what compare does" "--engine replay in eval"

# ---- the Ziv loop gives up: only proven digits, exit status 1 --------------
# At --max-prec 80 the balls cannot prove 40 digits: every printed value
# must have fewer digits and still be the expected value rounded to them.
run 1 eval --digits 40 --max-prec 80 --format csv "$REF/n4_s0.net"
has "$tmp/err" "fewer than 40 proven digits at --max-prec 80 bits" "Ziv failure message"
awk '!/^#/ { print $2 }' "$REF/n4_s0.expected" > "$tmp/exp"
tail -n +2 "$tmp/out" | cut -d, -f2 | paste -d' ' - "$tmp/exp" > "$tmp/pairs"
checks=$((checks + 1))
awk '{ m = $1; sub(/e.*/, "", m); gsub(/[-.]/, "", m); k = length(m);
       if (k >= 40 || k < 15) bad = 1;
       d = ($1 - $2) / $2; if (d < 0) d = -d;
       if (d > 10 ^ (1 - k)) bad = 1 }
     END { exit bad }' "$tmp/pairs" || fail "uncertified digits: $(cat "$tmp/pairs")"
# the header says so (it used to be written before the values were
# counted, so it never did)
run 1 eval --digits 40 --max-prec 80 "$REF/n4_s0.net"
has "$tmp/out" "; '?' or fewer digits where the ball at --max-prec proves less" \
    "eval header after a Ziv failure"
run 1 compare --max-prec 2 "$REF/n4_s0.net"
has "$tmp/out" "10 digits; '?' or fewer digits where not proven" \
    "compare header after a Ziv failure"

# a saturated output against y = 1: dC/db_1 = -u^2/(1+u)^3, u = e^-(2 10^6)
# (mpmath); the certified engine formed 1 - y (1 + u) and lost u to
# cancellation, so it printed '?' and exited 1 at --max-prec
printf 'y 1\n1e6 1e6\n' > "$tmp/sat.net"
run 0 eval --digits 12 "$tmp/sat.net"
has "$tmp/out" "     1  -1.18137286875e-1737178       -1.18137286875e-1737178" \
    "saturated a_L = y"
run 0 eval --digits 12 --wrt b1 "$tmp/sat.net"
has "$tmp/out" "b1         -1.18137286875e-1737178" "saturated a_L = y, --wrt b1"

# sigma'(z_1) = e^-(10^30) is below MPFR's range, 2^-(2^62): the MPFR
# engine printed 0 with status 0; it now says so, exit 1, no table; the
# arb engine prints '?' there (exit 1) and proves layer 2
printf '1e30 0\n1 0\n' > "$tmp/under.net"
run 1 eval --engine mpfr "$tmp/under.net"
has "$tmp/err" "eval: the mpfr engine cannot vouch for this result (a value left MPFR's exponent range" "mpfr underflow"
empty "$tmp/out" "stdout after an MPFR underflow"
# dC/db_2 does not depend on sigma'(z_1): the underflow there is no reason
# to refuse it
run 0 eval --digits 5 --engine mpfr --wrt b2 "$tmp/under.net"
has "$tmp/out" "b2         1.4373e-1" "mpfr --wrt b2 beside an underflow"
run 1 eval --digits 5 "$tmp/under.net"
has "$tmp/out" "     1  ?                             ?" "arb beyond the exponent range"
has "$tmp/out" "     2  1.4373e-1                     1.4373e-1" "arb layer 2"

# ---- one parameter, streamed, equals the row of the full table -------------
for p in b1 b3 w2 w4; do
    j=${p#?}
    col=2
    [ "${p%$j}" = w ] && col=3
    for engine in arb mpfr; do
        run 0 eval --digits 30 --wrt "$p" --format csv --engine $engine "$REF/n4_s0.net"
        tail -n 1 "$tmp/out" | cut -d, -f2 > "$tmp/got"
        "$GRADCHAIN" eval --digits 30 --format csv "$REF/n4_s0.net" |
            awk -F, -v j="$j" -v c="$col" '$1 == j { print $c }' > "$tmp/want"
        same "$tmp/got" "$tmp/want" "--wrt $p --engine $engine"
    done
done

# ---- text and JSON forms ----------------------------------------------------
run 0 eval --digits 12 "$REF/n4_s0.net"
has "$tmp/out" "# precision_bits:" "text states the precision"
has "$tmp/out" "# engine: fast" "fast is the default engine, and decides 12 digits of n4_s0"
has "$tmp/out" "proven by a binary64 error bound" "the fast path says how it proved them"
cp "$tmp/out" "$tmp/fast12"
run 0 eval --digits 12 --engine arb "$REF/n4_s0.net"
has "$tmp/out" "# engine: arb" "--engine arb forces Arb"
grep -v '^#' "$tmp/out" >"$tmp/got"; grep -v '^#' "$tmp/fast12" >"$tmp/want"
same "$tmp/got" "$tmp/want" "fast and arb print the same digits"
has "$tmp/out" "certified: every printed digit is proven" "text says the digits are proven"
run 0 eval --digits 12 --engine mpfr "$REF/n4_s0.net"
has "$tmp/out" "not certified" "MPFR output says its digits are not certified"
has "$tmp/out" "     1  -7.72641404452e-4" "MPFR text row 1"
has "$tmp/out" "     1  -7.72641404452e-4" "text row 1"
run 0 eval --digits 12 --format json "$REF/n4_s0.net"
has "$tmp/out" '{"layer":1,"dC_db":"-7.72641404452e-4","dC_dw":"-7.72641404452e-4"}' "JSON row"
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    python3 -m json.tool "$tmp/out" >/dev/null || fail "eval JSON does not parse"
fi

# ---- random networks: reproducible, saved exactly ---------------------------
run 0 eval --random normal:0,1 --layers 50 --seed 7 --digits 25 --format csv \
    --save-network "$tmp/r.net"
cp "$tmp/out" "$tmp/r1.csv"
run 0 eval --digits 25 --format csv "$tmp/r.net"
same "$tmp/out" "$tmp/r1.csv" "saved random network reloads bit for bit"
run 0 eval --random normal:0,1 --layers 50 --seed 7 --digits 25 --format csv
same "$tmp/out" "$tmp/r1.csv" "same seed, same network"
run 0 eval --random normal:0,1 --layers 50 --seed 8 --digits 25 --format csv
checks=$((checks + 1))
! cmp -s "$tmp/out" "$tmp/r1.csv" || fail "another seed gives the same network"
# a seed is decimal or 0x hexadecimal: 010 is 10 (it was octal 8), and
# " -1" is not a seed (strtoul wrapped it to 2^64 - 1)
run 0 eval --random normal:0,1 --layers 3 --seed 10 --format csv
cp "$tmp/out" "$tmp/s10.csv"
run 0 eval --random normal:0,1 --layers 3 --seed 010 --format csv
same "$tmp/out" "$tmp/s10.csv" "--seed 010"
run 0 eval --random normal:0,1 --layers 3 --seed 0xa --format csv
same "$tmp/out" "$tmp/s10.csv" "--seed 0xa"
run 2 eval --random normal:0,1 --layers 3 --seed " -1"
has "$tmp/err" "--seed: expected a non-negative integer, got ' -1'" "--seed ' -1'"
# --save-network is an output file too: written with the report or not at
# all (it was written before --wrt was checked and before -o failed), and
# never the file the report goes to (-o would overwrite it)
run 2 eval --wrt b9 --save-network "$tmp/s.net" "$REF/n4_s0.net"
checks=$((checks + 1))
[ ! -e "$tmp/s.net" ] || fail "--save-network written after a usage error"
run 2 compare --save-network "$tmp/s.net" -o "$tmp/nodir/out" "$REF/n4_s0.net"
checks=$((checks + 1))
[ ! -e "$tmp/s.net" ] || fail "--save-network written when -o failed"
run 2 eval --save-network "$tmp/same" -o "$tmp/same" "$REF/n4_s0.net"
has "$tmp/err" "--save-network and the output are the same file" "save = -o"
run 2 eval --save-network - "$REF/n4_s0.net"
has "$tmp/err" "--save-network and the output are the same file '-' ('-')" "save = stdout"
run 0 compare --save-network "$tmp/s.net" -o "$tmp/c.txt" "$REF/n4_s0.net"
run 0 compare -o "$tmp/c2.txt" "$tmp/s.net"
same "$tmp/c2.txt" "$tmp/c.txt" "compare --save-network reloads"

# doubling the working precision does not change the printed digits
run 0 eval --random normal:0,2 --layers 300 --seed 3 --digits 30 --format csv
cp "$tmp/out" "$tmp/p1.csv"
bits=$(awk '/precision_bits/' "$tmp/p1.csv")
run 0 eval --random normal:0,2 --layers 300 --seed 3 --prec 800 --format csv
cut -d, -f2 "$tmp/out" | cut -c1-20 > "$tmp/got"
cut -d, -f2 "$tmp/p1.csv" | cut -c1-20 > "$tmp/want"
same "$tmp/got" "$tmp/want" "digits stable when the precision grows"

# exact exponents far below binary64: 1000 saturated layers
run 0 eval --random normal:0,30 --layers 1000 --seed 1 --wrt b1 --digits 5
checks=$((checks + 1))
grep -Eq 'b1 +-?[1-9]\.[0-9]{4}e-[0-9]{4,}' "$tmp/out" || fail "tiny exact value: $(cat "$tmp/out")"

# ---- compare: where binary64 dies ------------------------------------------
# quarter600: dC/db_j = 2^-(2(600-j)+3) exactly.  Subnormal once the
# exponent is below -1022: 2(600-j)+3 >= 1023, j <= 90.  Zero once below
# 2^-1074, with the tie 2^-1075 rounding to even, i.e. to 0: j <= 64.
run 0 compare --format csv "$REF/quarter600.net"
has "$tmp/out" "90,binary64,1.1125369292536007e-308," "quarter600 j=90 is subnormal"
has "$tmp/out" "65,binary64,9.8813129168249309e-324," "quarter600 keeps 2^-1073"
run 0 compare "$REF/quarter600.net"
has "$tmp/out" "binary64        subnormal       90" "first subnormal layer"
has "$tmp/out" "binary64        zero            64  2.470328229e-324" "first zero layer and exact value"
# The same chain in every format: the first zero layer is the largest j
# with 2^-(2(600-j)+3) <= min subnormal / 2 (the tie rounds to even, 0):
# binary32 2^-149: j <= 526; bfloat16 2^-133: j <= 534; binary16 2^-24:
# j <= 589; e5m2 2^-16: j <= 593; e4m3 2^-9: j <= 596.
run 0 compare --summary --formats binary32,bfloat16,binary16,e5m2,e4m3 "$REF/quarter600.net"
for fz in binary32:526 bfloat16:534 binary16:589 e5m2:593 e4m3:596; do
    checks=$((checks + 1))
    awk -v f="${fz%:*}" -v z="${fz#*:}" '$1 == f && $2 == "zero" && $3 == z { ok = 1 }
        END { exit !ok }' "$tmp/out" || fail "first zero of ${fz%:*} is not ${fz#*:}"
done
# loss scaling by 2^16 = 4^8 moves binary16's first zero 8 layers down
run 0 compare --summary --formats binary16 --loss-scale 2^16 "$REF/quarter600.net"
has "$tmp/out" "binary16*2^16   zero           581" "loss-scaled first zero"
checks=$((checks + 1))
awk '$1 == "binary16" && $2 == 589 && $3 == 581 && $4 == 8 { ok = 1 } END { exit !ok }' \
    "$tmp/out" || fail "loss scaling gains 8 layers: $(cat "$tmp/out")"
# (binary64 rounds 1e-4, which is not dyadic, and holds the rest.)
# E4M3 cannot hold w = 500 (saturates to 448) nor b = 1e-4 (below half its
# least subnormal 2^-9, so it becomes 0): layers 2 and 3 of this chain
printf 'a0 1\ny 0\n0.5 0.25\n500 0\n1 1e-4\n' > "$tmp/e4m3.net"
run 0 compare --summary --formats binary64,e4m3 "$tmp/e4m3.net"
has "$tmp/out" "binary64                         1           0        0                  0              0" "binary64 only rounds 1e-4"
has "$tmp/out" "e4m3                             2           1        1                  2              3" "where E4M3 cannot hold the parameters"
run 2 compare --formats binary64,float99 "$REF/n4_s0.net"
has "$tmp/err" "--formats:" "unknown format"
# the diagnostic names the format or the scale it rejects
has "$tmp/err" ", got 'float99'" "unknown format named"
run 2 compare --formats e4m3:inf "$REF/n4_s0.net"
has "$tmp/err" "--formats: this format has no infinity, got 'e4m3:inf'" "e4m3:inf"
run 2 compare --loss-scale -4 "$REF/n4_s0.net"
has "$tmp/err" "--loss-scale: the loss scale must be positive, got '-4'" "S < 0"
# binary16 is scaled in binary32, which holds 2^-149 but not 2^-150 (a tie
# that rounds to 0) nor 2^128
run 0 compare --summary --formats binary16 --loss-scale 2^-149 "$REF/n4_s0.net"
run 2 compare --formats binary16 --loss-scale 2^-150 "$REF/n4_s0.net"
has "$tmp/err" "--loss-scale: not a finite nonzero binary32-emu number (the format in which binary16 is scaled), got '2^-150'" "loss scale below the scale format"
run 2 compare --formats binary64,binary16 --loss-scale 2^128 "$REF/n4_s0.net"
has "$tmp/err" "in which binary16 is scaled" "loss scale above the scale format"
run 0 compare --summary --formats binary64 --loss-scale 2^128 "$REF/n4_s0.net"
# the check rounds the scale at the scale format's precision: binary128's
# 113 bits made it abort ("gc_numfmt_round: precision 64 < 113")
run 0 compare --summary --formats binary128-emu,custom:65,-100,100,mixed:binary16/binary128-emu --loss-scale 2^16 "$REF/n4_s0.net"
run 2 compare --sequence magic "$REF/n4_s0.net"
# "framework", the former name of textbook, is still read
run 0 compare --sequence framework --format json "$REF/n4_s0.net"
has "$tmp/out" '"sequence":"textbook"' "framework reads as textbook"
run 0 compare --format csv --formats binary64,e4m3 "$REF/n4_s0.net"
head -n 1 "$tmp/out" > "$tmp/got"
echo "layer,format,value,exact,rel_error,class" > "$tmp/want"
same "$tmp/got" "$tmp/want" "tidy CSV header"
checks=$((checks + 1))
[ "$(wc -l < "$tmp/out")" -eq 9 ] || fail "tidy CSV: 4 layers x 2 formats + header"
# explode2000: dC/db_j = 2^(1997-j) itself exceeds DBL_MAX for j <= 973, but
# the textbook sequence computes delta_{j+1} * w_{j+1} = 2^(1996-j) * 8
# before multiplying by s' = 1/4, and that product overflows once
# 1999-j >= 1024: binary64 is infinite from j = 975, where the exact value
# is still 2^1022 = 4.494e+307.
run 0 compare --sequence textbook "$REF/explode2000.net"
has "$tmp/out" "binary64        infinite       975  4.494232837e+307" "first infinite layer"
has "$tmp/out" "   976  2.247116419e+307   2.2471164185778949e+307    0          normal" "j = 976 still finite"
run 0 compare --format json "$REF/n4_s0.net"
has "$tmp/out" '"summary": [{"format":"binary64","event":"none","layer":0,"exact":"-"}]' "JSON summary"
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    python3 -m json.tool "$tmp/out" >/dev/null || fail "compare JSON does not parse"
fi

# ---- malformed networks: exit 2, file:line: message, nothing written --------
# tests/data/bad/EXPECTED lists "NAME.net:LINE: MESSAGE" for each file.
cd "$srcdir/tests/data/bad"
while IFS= read -r line; do
    file=${line%%:*}
    # a file the chain reader refuses as wide is a wide file to eval and
    # compare (tests/cli-wide.sh): plot reads chains only
    case $line in *": wide layers: "*) cmd=plot ;; *) cmd=eval ;; esac
    run 2 "$cmd" -o "$tmp/never.csv" "$file"
    # a message without a line (":0:") names the file alone; plot adds
    # that it takes chains only
    echo "gradchain: $line" | sed 's/^\([^:]*: [^:]*\):0: /\1: /' > "$tmp/want"
    [ "$cmd" = eval ] || echo "gradchain: $file: this command takes chains only (eval, compare and sweep take wide layers)" >>"$tmp/want"
    same "$tmp/err" "$tmp/want" "diagnostic for $file"
    empty "$tmp/out" "stdout for $file"
    checks=$((checks + 1))
    [ ! -e "$tmp/never.csv" ] || fail "$file: output file written"
done < EXPECTED
cd "$tmp"
# cost cross-entropy needs a sigmoid output (the engines evaluate every
# activation and cost since issue 9; tests/cli-act.sh tests them)
printf 'act relu\ncost cross-entropy\n0.5 0.25\n' > "$tmp/relu.net"
run 2 eval -o "$tmp/never.csv" "$tmp/relu.net"
has "$tmp/err" "relu.net:2: cost 'cross-entropy' needs an output activation with values in (0, 1) (sigmoid), not 'relu'" "act relu, cost cross-entropy"
empty "$tmp/out" "stdout for an invalid cost"
checks=$((checks + 1))
[ ! -e "$tmp/never.csv" ] || fail "output file written for an unsupported activation"
nbad=$(wc -l < "$srcdir/tests/data/bad/EXPECTED")
checks=$((checks + 1))
[ "$nbad" -ge 20 ] || fail "only $nbad malformed inputs"

# ---- output files and write errors -------------------------------------------
run 0 eval -o "$tmp/ok.csv" --format csv "$REF/n4_s0.net"
empty "$tmp/out" "stdout with -o"
has "$tmp/ok.csv" "layer,dC_db,dC_dw" "-o file"
checks=$((checks + 1))
[ -z "$(ls "$tmp" | grep '\.tmp')" ] || fail "temporary file left behind"
# -o writes through a symbolic link (keeping the link and the target's
# mode), and into a fifo or a device instead of renaming a file over it
# (-o /dev/null, run as root, used to replace /dev/null by a regular file)
printf 'old\n' > "$tmp/target.csv"
chmod 600 "$tmp/target.csv"
ln -s target.csv "$tmp/link.csv"
run 0 eval -o "$tmp/link.csv" --format csv "$REF/n4_s0.net"
checks=$((checks + 1))
[ -L "$tmp/link.csv" ] || fail "-o replaced a symbolic link by a file"
has "$tmp/target.csv" "layer,dC_db,dC_dw" "-o through a symbolic link"
checks=$((checks + 1))
case $(ls -l "$tmp/target.csv") in
    -rw-------*) ;;
    *) fail "-o changed the mode of the file it replaced" ;;
esac
if mkfifo "$tmp/fifo" 2>/dev/null; then
    cat "$tmp/fifo" > "$tmp/fromfifo" &
    run 0 eval -o "$tmp/fifo" --format csv "$REF/n4_s0.net"
    checks=$((checks + 1))
    [ -p "$tmp/fifo" ] || { fail "-o replaced a fifo by a file"; kill $!; }
    wait
    has "$tmp/fromfifo" "layer,dC_db,dC_dw" "-o into a fifo"
fi
if [ -w /dev/full ]; then
    checks=$((checks + 1))
    set +e
    "$GRADCHAIN" eval "$REF/n4_s0.net" > /dev/full 2> "$tmp/err"
    st=$?
    set -e
    [ "$st" = 2 ] || fail "write to /dev/full exited $st"
    has "$tmp/err" "write error: No space left on device" "/dev/full"
    # the reason survives a second output file written after stdout
    checks=$((checks + 1))
    set +e
    "$GRADCHAIN" compare "$REF/n4_s0.net" --save-network "$tmp/saved.net" \
        > /dev/full 2> "$tmp/err"
    st=$?
    set -e
    [ "$st" = 2 ] || fail "write to /dev/full with a second file exited $st"
    has "$tmp/err" "write error: No space left on device" \
        "/dev/full with --save-network"
fi

finish
