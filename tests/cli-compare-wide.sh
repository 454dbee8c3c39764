#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-compare-wide.sh -- 'gradchain compare' on wide networks (issue 13):
# every dC/db^l_i and ||dC/db^l||_2 per format against a replay emulated
# in Python (tests/data/wide/compare, made by compare_ref.py), widths 1
# against the chain, the events of a network built by hand, random wide
# networks (--neurons, --init, --save-network), --summary, JSON, and the
# errors.
set -eu
. "$srcdir/tests/cli-lib.sh"
D="$srcdir/tests/data/wide/compare"

# the report's tables without its '#' lines
body() {
    grep -v '^#' "$1" || :
}

# ---- every entry and norm against the independent replay -----------------
while read -r name opts; do
    # shellcheck disable=SC2086
    run 0 compare --format csv $opts "$D/$name.net"
    body "$tmp/out" >"$tmp/body"
    same "$tmp/body" "$D/$name.csv" "compare $opts $name.net"
done <"$D/commands"

# text and JSON hold the same rows
run 0 compare --formats binary64,binary16 "$D/r0.net"
has "$tmp/out" "# widths: 3,4,3,2" "widths metadata"
has "$tmp/out" "# activations: relu,relu,identity" "activations metadata"
matches "$tmp/out" '^     1       3  6.397372323e+2  *6.3973723229748543e+2  *7.70e-17  *normal  *6.3850e+2  *1.93e-3  *normal$' \
    "text row"
matches "$tmp/out" '^ layer  exact ||dC/db^l||_2 ' "text norm table"
matches "$tmp/out" '^format  *event  *layer  exact ||dC/db^l||_2 there$' "text summary"
run 0 compare --format json --formats binary64,binary16 "$D/r0.net"
has "$tmp/out" '{"layer":1,"neuron":3,"format":"binary16","value":"6.3850e+2","exact":"6.397372323e+2","rel_error":"1.93e-3","class":"normal"}' \
    "JSON row"
has "$tmp/out" '"norms": [{"layer":1,"format":"binary64",' "JSON norms"
has "$tmp/out" '"summary": [{"format":"binary64","event":"none","layer":0,"exact":"-"}' \
    "JSON summary"
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    python3 -m json.tool "$tmp/out" >/dev/null || fail "compare JSON does not parse"
fi

# ---- widths 1: the chain's numbers ----------------------------------------
# each 'w b [NAME]' line of a chain file as a layer block of one neuron
towide() {
    awk '/^[-0-9.]/ { print (NF == 3 ? "layer act " $3 : "layer"); print $1, $2; next }
         { print }' "$1"
}
# the rows of a table (CSV) without the columns named in $2 (awk fields),
# and a relative error below 1e-12 blanked: the chain's is taken against
# the midpoint of a 64-bit ball (its third digit may differ there), the
# wide network's against the exact value
rows() {
    awk -F, -v drop="$2" 'BEGIN { split(drop, d, " "); for (i in d) skip[d[i]] = 1 }
         NF == 0 { exit }
         { out = ""; for (i = 1; i <= NF; i++) {
               if (i in skip) continue
               v = $i
               if (v ~ /e-[0-9]+$/ && i == NF - 1) { split(v, m, "e-"); if (m[2] + 0 > 12) v = "tiny" }
               out = out (out == "" ? "" : ",") v }
           print out }' "$1"
}
F=binary64,binary32,bfloat16,binary16,e4m3,e5m2:sr:ftz,mixed:bfloat16/binary32
for n in n4_s0 act7_ce quarter600; do
    towide "$REF/$n.net" >"$tmp/$n.net"
    for extra in "" "--loss-scale 2^10" "--sequence textbook"; do
        # shellcheck disable=SC2086
        run 0 compare --format csv --formats "$F" $extra "$REF/$n.net"
        body "$tmp/out" | rows /dev/stdin "" >"$tmp/chain"
        # shellcheck disable=SC2086
        run 0 compare --format csv --formats "$F" $extra "$tmp/$n.net"
        has "$tmp/out" "layer,neuron,format,value,exact,rel_error,class" \
            "width 1: the neuron column"
        body "$tmp/out" | rows /dev/stdin 2 >"$tmp/wide"
        same "$tmp/wide" "$tmp/chain" "width 1 $n $extra: every value"
        # the summary: X-any and X-every are the chain's X, at |dC/db_j|;
        # the parameter counts and the loss scaling are the chain's
        # shellcheck disable=SC2086
        run 0 compare --summary --format csv --formats "$F" $extra "$REF/$n.net"
        body "$tmp/out" | awk -F, -v OFS=, '
            $1 == "format" { t = $2 }
            t == "event" && $4 ~ /^-[0-9]/ { $4 = substr($4, 2) }
            t == "changed" && NF == 6 { NF = 4 }
            { print }' >"$tmp/chain"
        # shellcheck disable=SC2086
        run 0 compare --summary --format csv --formats "$F" $extra "$tmp/$n.net"
        body "$tmp/out" >"$tmp/wide"
        grep -v -e '-every,' "$tmp/wide" | sed 's/-any,/,/' >"$tmp/any"
        same "$tmp/any" "$tmp/chain" "width 1 $n $extra: the summaries"
        # zero-every and nonfinite-every are the one entry's any;
        # subnormal-every means no normal entry left (subnormal or zero):
        # the later (from the output) of the chain's subnormal and zero
        grep -e '-every,' "$tmp/wide" | grep -v '^[^,]*,subnormal-' |
            sed 's/-every,/,/' >"$tmp/every"
        grep -e '-any,' "$tmp/wide" | grep -v '^[^,]*,subnormal-' |
            sed 's/-any,/,/' >"$tmp/anyrows"
        same "$tmp/every" "$tmp/anyrows" "width 1 $n $extra: every = any"
        awk -F, '$2 == "subnormal-every" { print $1 "," $3 }' "$tmp/wide" \
            >"$tmp/every"
        awk -F, '$2 == "subnormal-any" || $2 == "zero-any" {
                     if (!($1 in m) || $3 > m[$1]) m[$1] = $3
                     if (!($1 in o)) o[$1] = ++k }
                 END { for (f in o) r[o[f]] = f
                       for (i = 1; i <= k; i++) print r[i] "," m[r[i]] }' \
            "$tmp/wide" >"$tmp/anyrows"
        same "$tmp/every" "$tmp/anyrows" \
            "width 1 $n $extra: subnormal-every = later of subnormal, zero"
    done
done
# a random wide network of widths 1 is the random chain (the same draws)
run 0 compare --random normal:0,1 --layers 6 --seed 3 --formats binary16 --format csv
body "$tmp/out" | rows /dev/stdin "" >"$tmp/chain"
run 0 compare --random normal:0,1 --neurons 1 --layers 6 --seed 3 --formats binary16 --format csv
body "$tmp/out" | rows /dev/stdin 2 >"$tmp/wide"
same "$tmp/wide" "$tmp/chain" "--neurons 1 is the chain"

# ---- the events: built by hand (events.net says how) ---------------------
run 0 compare --summary --format csv --formats binary64,binary16,bfloat16 "$D/events.net"
body "$tmp/out" | sed -n '1,/^$/p' >"$tmp/events"
cat >"$tmp/want" <<'END'
format,event,layer,exact
binary64,none,0,-
binary16,subnormal-any,3,1.000000000e+0
binary16,subnormal-every,2,9.313225746e-10
binary16,zero-any,2,9.313225746e-10
binary16,zero-every,2,9.313225746e-10
bfloat16,none,0,-

END
same "$tmp/events" "$tmp/want" "the events of events.net"
# every entry means the whole vector (review 20): layer 1's first entry
# is exactly 0 (a dead relu) but normal in binary16, its second is 1e-12
# and rounds to 0; the vector's norm is not 0, so zero-any only
printf 'a0 11 1\ny 0 0\nlayer act relu\n-1/11 0 1\n0 1 0\nlayer act identity\n1 0 0\n1 1e-6 0\n' \
    >"$tmp/alive.net"
run 0 compare --summary --format csv --formats binary16 "$tmp/alive.net"
body "$tmp/out" | sed -n '1,/^$/p' >"$tmp/events"
printf 'format,event,layer,exact\nbinary16,zero-any,1,1.000000000e-12\n\n' \
    >"$tmp/want"
same "$tmp/events" "$tmp/want" "an exact zero that is normal keeps the vector alive"
# r0's layer 1 has two dead relus: zero where the exact value is zero is
# no loss
run 0 compare --summary --format csv --formats binary64,binary16 "$D/r0.net"
has "$tmp/out" "binary16,none,0,-" "exact zeros are no event"
run 0 compare --formats binary16 "$D/events.net"
matches "$tmp/out" '^     2       2  0  *0  *-  *zero$' "an exact zero stays zero"
matches "$tmp/out" '^     3       1  9.536743164e-7  *9.5367e-7  *0  *subnormal$' "the subnormal entry"
# loss scaling by 2^14 keeps layers 2 and 1 (the scaled delta^2 = 2^-16,
# subnormal in binary16); by 2^20 the scaled delta^4 = 2^20 overflows binary16
run 0 compare --summary --format csv --formats binary16 --loss-scale 2^14 "$D/events.net"
has "$tmp/out" "binary16,2,0,2,0,0" "loss scaling gains layers 2 and 1"
# the scaled run loses nothing to zero (its unscaled gradients are
# binary32 numbers, the scale format's, as for chains), but the scaled
# delta^2 the format holds is subnormal, as sweep counts it
body "$tmp/out" | grep '^binary16\*' >"$tmp/events"
printf 'binary16*2^14,subnormal-any,2,9.313225746e-10\nbinary16*2^14,subnormal-every,2,9.313225746e-10\n' \
    >"$tmp/want"
same "$tmp/events" "$tmp/want" "the scaled run: subnormal in the format, never zero"
run 0 compare --summary --format csv --formats binary16 --loss-scale 2^20 "$D/events.net"
has "$tmp/out" "binary16*2^20,nonfinite-every,4,1.414213562e+0" "the scaled overflow: every entry"
has "$tmp/out" "binary16*2^20,scaled-overflow,4," "the scaled overflow event"
has "$tmp/out" "binary16,2,0,-2,4,2" "the overflow loses layers"

# ---- random wide networks, --save-network, --summary ---------------------
run 0 compare --random normal:0,1 --neurons 3,5,4,2 --init fan-in --seed 7 \
    --act tanh --formats binary32,bfloat16 --save-network "$tmp/r.net"
has "$tmp/out" "# fan_in_scale: lecun" "--init fan-in in the metadata"
has "$tmp/out" "# seed: 7" "the seed in the metadata"
body "$tmp/out" >"$tmp/first"
has "$tmp/r.net" "layer" "a saved wide network"
run 0 compare --formats binary32,bfloat16 "$tmp/r.net"
body "$tmp/out" >"$tmp/again"
same "$tmp/again" "$tmp/first" "the saved wide network compares alike"
# --summary: the sections of the full report, byte for byte
sed '/^ layer /,/^$/d' "$tmp/first" >"$tmp/sections"
run 0 compare --summary --formats binary32,bfloat16 "$tmp/r.net"
body "$tmp/out" >"$tmp/summary"
same "$tmp/summary" "$tmp/sections" "--summary prints the summaries only"
# --a0 and --y vectors
run 0 compare --a0 1,2,3 --y '1/2 1/4' --format csv "$tmp/r.net"
cp "$tmp/out" "$tmp/ay"
run 0 compare --format csv "$tmp/r.net"
checks=$((checks + 1))
! cmp -s "$tmp/out" "$tmp/ay" || fail "--a0 and --y changed nothing"

# ---- errors: exit 2, the token named, no partial output ------------------
usage_error "--a0 count" \
    "gradchain: --a0: the network needs 3 value(s), got 2 in '1,2'" \
    compare --a0 1,2 "$tmp/r.net"
usage_error "--neurons with a file" "--neurons is for random networks" \
    compare --neurons 3 "$tmp/r.net"
usage_error "--neurons without --layers" "--neurons 3 needs --layers L" \
    compare --random normal:0,1 --neurons 3
usage_error "--init with a file" "--fan-in-scale is for random networks (--init too)" \
    compare --init he "$tmp/r.net"
usage_error "--loss-scale beyond binary32" \
    "--loss-scale: not a finite nonzero binary32-emu number" \
    compare --formats binary16 --loss-scale 2^200 "$tmp/r.net"
usage_error "--formats" "--formats: " compare --formats binary17 "$tmp/r.net"
printf 'a0 1 2\nlayer\n1 2 3\n1 2\n' >"$tmp/bad.net"
run 2 compare -o "$tmp/never.csv" "$tmp/bad.net"
has "$tmp/err" "bad.net:4: a neuron of layer 1 takes 3 numbers (2 weights, then the bias), got 2, ending with '2'" \
    "a neuron line with a wrong count"
empty "$tmp/out" "stdout of a bad file"
checks=$((checks + 1))
[ ! -e "$tmp/never.csv" ] || fail "an error left an -o file"
# digits that --max-prec cannot prove: exit 1, the proven digits printed
run 1 compare --digits 30 --max-prec 64 "$tmp/r.net"
has "$tmp/err" "exact values with fewer than 30 proven digits at --max-prec 64 bits" \
    "--max-prec reached"
# a write error: no -o file, exit 2
if [ -w /dev/full ]; then
    run 2 compare "$tmp/r.net" -o /dev/full
    has "$tmp/err" "gradchain: " "write error reported"
fi
# memory: a network that fits, its exact values and replays that do not,
# refused before the work
if ulimit_v_works 300000; then
    checks=$((checks + 1))
    set +e
    (ulimit -v 300000 && exec "$GRADCHAIN" compare --summary --random normal:0,1 \
        --neurons 2000 --layers 2) >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
    [ "$rc" = 2 ] || fail "compare beyond ulimit -v exited $rc, expected 2"
    matches "$tmp/err" "^gradchain: compare: 2 layers need about [0-9.]* [MG]B for the exact values and the replays of every neuron, more than" \
        "compare refused under ulimit -v"
    empty "$tmp/out" "compare refused under ulimit -v: stdout"
fi
run 0 compare -o "$tmp/ok.csv" --format csv "$tmp/r.net"
empty "$tmp/out" "stdout with -o"
has "$tmp/ok.csv" "layer,neuron,format" "the -o file"
finish
