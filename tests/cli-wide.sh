#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-wide.sh -- 'gradchain eval' on wide networks: every dC/db^l_i and
# the per-layer summary against mpmath (tests/data/wide/eval, made by
# tests/data/wide/eval_ref.py from ref.txt; dC/dW^L by dw_ref.py), both engines, every format,
# --wrt bL[I] and wL, --certify, --a0/--y vectors, random wide networks
# (--neurons, --init), --save-network round trips, and the errors.
set -e
. "$srcdir/tests/cli-lib.sh"
W="$srcdir/tests/data/wide"
E="$W/eval"

# ---- every dC/db^l_i and the summary, against mpmath --------------------------
for f in "$E"/w*.net; do
    n=${f%.net}
    run 0 eval --format csv --digits 15 --summary "$f"
    same "$tmp/out" "$n.csv" "eval --summary $(basename "$f")"
    run 0 eval --engine mpfr --format csv --digits 15 --summary "$f"
    same "$tmp/out" "$n.csv" "eval --engine mpfr $(basename "$f")"
    run 0 eval --format csv --digits 15 --wrt w1 "$f"
    same "$tmp/out" "$n-w1.csv" "eval --wrt w1 $(basename "$f")"
done

# ---- dC/dW^L of each network's last layer, against mpmath -------------------
# (tests/data/wide/dw_ref.py: a^(L-1) of an inner layer).  In dwcancel,
# a^1_1 = 2^-200 comes from a cancellation that no dC/db sees: the Ziv loop
# must prove the weights' digits themselves (it proved dC/db only, and
# printed '?' for dC/dW^2_11 with exit 1)
for c in "$E"/*-w[2-9].csv; do
    n=${c%-w*.csv}
    l=${c##*-w}
    l=${l%.csv}
    run 0 eval --format csv --digits 15 --wrt "w$l" "$n.net"
    same "$tmp/out" "$c" "eval --wrt w$l $(basename "$n.net")"
done
run 0 eval --format csv --digits 15 --summary "$E/dwcancel.net"
same "$tmp/out" "$E/dwcancel.csv" "eval --summary dwcancel.net"
run 0 eval --format csv --digits 15 --wrt w1 "$E/dwcancel.net"
same "$tmp/out" "$E/dwcancel-w1.csv" "eval --wrt w1 dwcancel.net"

# the fast engine (the default) is the chain's: a wide network uses arb
run 0 eval --engine fast --digits 15 "$E/w0.net"
has "$tmp/out" "# engine: arb" "fast on a wide network"
has "$tmp/out" "# widths: 4,4,3" "widths metadata"
has "$tmp/out" "# activations: sigmoid,tanh" "activations metadata"
# a run of three or more equal widths is NxK: one short line at any depth
run 0 eval --random normal:0,1 --neurons 2 --layers 3000 --digits 3 --wrt 'b1[1]'
matches "$tmp/out" '^# widths: 2x3001$' "widths of 3000 layers: one run"
run 0 eval --random normal:0,1 --neurons 3,4,4,4,2,2,1,1,1,1 --digits 3
matches "$tmp/out" '^# widths: 3,4x3,2,2,1x4$' "widths: runs of 3 or more only"

# text and JSON hold the same values as the reference CSV
run 0 eval --digits 15 --summary "$E/w0.net"
matches "$tmp/out" '^     2       1  -1.05505353702294e+0$' "text row"
has "$tmp/out" "||dC/db^l||_2" "text summary header"
matches "$tmp/out" '^     2  1.06232328604344e+0 ' "text summary row"
run 0 eval --digits 15 --summary --format json "$E/w0.net"
has "$tmp/out" '{"layer":2,"neuron":1,"dC_db":"-1.05505353702294e+0"}' "json row"
has "$tmp/out" '"summary": [{"layer":1,' "json summary"
has "$tmp/out" '{"layer":2,"norm":"1.06232328604344e+0",' "json summary row"

# --certify: the bound beside each value
run 0 eval --format csv --digits 15 --certify "$E/w0.net"
has "$tmp/out" "layer,neuron,dC_db,dC_db_rel_error_bound" "--certify header"
matches "$tmp/out" '^2,1,-1.05505353702294e+0,[0-9.]*e-[0-9]*$' "--certify row"
run 0 eval --format csv --digits 15 --certify --wrt w1 "$E/w0.net"
has "$tmp/out" "neuron,input,dC_dw,dC_dw_rel_error_bound" "--certify --wrt w1"

# --wrt bL[I]: one entry, streamed forward, the same digits
for e in "1,3" "2,1" "2,3"; do
    l=${e%,*} i=${e#*,}
    v=$(grep "^$l,$i," "$E/w0.csv" | cut -d, -f3)
    run 0 eval --format csv --digits 15 --wrt "b$l[$i]" "$E/w0.net"
    has "$tmp/out" "b$l[$i],$v" "--wrt b$l[$i]"
done
run 0 eval --format csv --digits 15 --wrt 'b1[2]' "$E/w1.net"
has "$tmp/out" "b1[2],0" "--wrt a relu's zero"

# standard input, and --a0/--y vectors over a file without them
run 0 eval --format csv --digits 15 --summary - <"$E/w0.net"
same "$tmp/out" "$E/w0.csv" "eval - (stdin)"
sed 's/^a0 .*/a0 0 0 0 0/; s/^y .*/y 0 0 0/' "$E/w0.net" >"$tmp/noinput.net"
run 0 eval --format csv --digits 15 --summary --a0 '0,11/4,-11/4,-12/7' \
    --y '7/8 7/8 1/2' "$tmp/noinput.net"
same "$tmp/out" "$E/w0.csv" "--a0 and --y vectors"

# ---- --save-network: exact, read back to the same output ----------------------
run 0 eval --format csv --save-network "$tmp/w14.net" "$E/w14.net"
cp "$tmp/out" "$tmp/first.csv"
run 0 eval --format csv "$tmp/w14.net"
same "$tmp/out" "$tmp/first.csv" "saved wide file read back"
run 0 eval --random normal:0,1 --neurons 3,4,2 --seed 7 --act tanh \
    --y '1/2,-1' --format csv --save-network "$tmp/r.net"
cp "$tmp/out" "$tmp/first.csv"
has "$tmp/r.net" "act tanh" "saved random network"
run 0 eval --random normal:0,1 --neurons 3,4,2 --act tanh
has "$tmp/out" "# activations: tanh" "one activation named once"
run 0 eval --format csv "$tmp/r.net"
same "$tmp/out" "$tmp/first.csv" "saved random wide network read back"
run 0 eval --format csv --save-network "$tmp/r2.net" "$tmp/r.net"
same "$tmp/r2.net" "$tmp/r.net" "saved twice, the same bytes"

# ---- random wide networks ----------------------------------------------------
# widths 1 are the chain: the same draws (gc_wnet_set_random), the same dC/db
run 0 eval --random normal:0,1 --layers 4 --seed 3 --format csv
cut -d, -f2 "$tmp/out" >"$tmp/chain.csv"
run 0 eval --random normal:0,1 --neurons 1 --layers 4 --seed 3 --format csv
cut -d, -f3 "$tmp/out" | sed 's/dC_db/dC_db/' >"$tmp/wide.csv"
same "$tmp/wide.csv" "$tmp/chain.csv" "--neurons 1 is the chain"
# --neurons N with --layers, and the list
run 0 eval --random normal:0,1 --neurons 3 --layers 2 --format csv
cp "$tmp/out" "$tmp/first.csv"
run 0 eval --random normal:0,1 --neurons 3,3,3 --format csv
same "$tmp/out" "$tmp/first.csv" "--neurons N --layers L = the list"
run 0 eval --random normal:0,1 --neurons 3,3,3 --layers 2 --format csv
same "$tmp/out" "$tmp/first.csv" "--layers agreeing with the list"
# --init: the names of --fan-in-scale's rules, one setting, the later wins
for p in "fan-in lecun" "glorot xavier" "he he" "none none"; do
    run 0 eval --random normal:0,1 --neurons 4,8,8,2 --init "${p% *}" \
        --format csv
    cp "$tmp/out" "$tmp/init.csv"
    run 0 eval --random normal:0,1 --neurons 4,8,8,2 --fan-in-scale "${p#* }" \
        --format csv
    same "$tmp/out" "$tmp/init.csv" "--init ${p% *} = --fan-in-scale ${p#* }"
done
run 0 eval --random normal:0,1 --neurons 4,8,8,2 --init he \
    --fan-in-scale lecun --format csv
cp "$tmp/out" "$tmp/later.csv"
run 0 eval --random normal:0,1 --neurons 4,8,8,2 --init fan-in --format csv
same "$tmp/out" "$tmp/later.csv" "the later of --init and --fan-in-scale"
checks=$((checks + 1))
! cmp -s "$tmp/out" "$tmp/init.csv" || fail "--init fan-in changed nothing"

# --digits beyond --max-prec: the proven digits, exit 1
run 1 eval --digits 40 --max-prec 64 "$E/w0.net"
has "$tmp/err" "with fewer than 40 proven digits at --max-prec 64 bits" \
    "--max-prec reached"

# ---- errors: exit 2, the token named, no partial output -----------------------
usage_error "--a0 count" \
    "gradchain: --a0: the network needs 4 value(s), got 3 in '1,2,3'" \
    eval --a0 1,2,3 "$E/w0.net"
usage_error "--y token" "gradchain: --y: " eval --y '1,x,2' "$E/w0.net"
# an empty field is an error, not dropped (review 20)
usage_error "--a0 empty field" "gradchain: --a0: an empty value in '1,,3,4'" \
    eval --a0 1,,3,4 "$E/w0.net"
usage_error "--a0 trailing comma" \
    "gradchain: --a0: an empty value in '1,2,3,4,'" eval --a0 1,2,3,4, "$E/w0.net"
usage_error "--neurons empty field" \
    "gradchain: --neurons: expected N or N0,N1,...,NL, got '2,,1'" \
    eval --random normal:0,1 --neurons 2,,1
usage_error "--neurons 1 layer" \
    "gradchain: --neurons 2,1 lists 1 layer but --layers is 3" \
    eval --random normal:0,1 --neurons 2,1 --layers 3
usage_error "--neurons with a file" \
    "gradchain: --neurons is for random networks; a file gives its own widths" \
    eval --neurons 3 "$E/w0.net"
usage_error "--neurons N alone" \
    "gradchain: --neurons 3 needs --layers L (or the list of widths N0,N1,...,NL)" \
    eval --random normal:0,1 --neurons 3
usage_error "--neurons and --layers disagree" \
    "gradchain: --neurons 2,3,1 lists 2 layers but --layers is 3" \
    eval --random normal:0,1 --neurons 2,3,1 --layers 3
usage_error "--neurons token" \
    "gradchain: --neurons: expected an integer from 1 to" \
    eval --random normal:0,1 --neurons 2,x,1
usage_error "--neurons 0" "got '0'" eval --random normal:0,1 --neurons 2,0,1
usage_error "--init with a file" \
    "gradchain: --fan-in-scale is for random networks (--init too); a file gives its own weights" \
    eval --init he "$E/w0.net"
usage_error "--init name" "gradchain: --init: unknown scaling 'lecun'" \
    eval --random normal:0,1 --neurons 2,2 --init lecun
for w in 'b3[1]' 'b1[5]' 'b1[0]' 'b1' 'w0' 'w3' 'b1[1]x' 'x1'; do
    usage_error "--wrt $w" "gradchain: --wrt: expected all, bL[I] or wL with 1 <= L <= 2 and 1 <= I <= n_L, got '$w'" \
        eval --wrt "$w" "$E/w0.net"
done
usage_error "--wrt with mpfr" "--wrt b1[1]: one entry or one layer's weights of a wide network need --engine arb" \
    eval --engine mpfr --wrt 'b1[1]' "$E/w0.net"
usage_error "--summary with --wrt" "--summary is for the table of every layer" \
    eval --summary --wrt w1 "$E/w0.net"
usage_error "--summary on a chain" "--summary is for wide networks" \
    eval --summary --random normal:0,1 --layers 3
printf 'a0 1 2\nlayer\n1 2 3\n1 2\n' >"$tmp/bad.net"
run 2 eval -o "$tmp/never.csv" "$tmp/bad.net"
has "$tmp/err" "gradchain: $tmp/bad.net:4: a neuron of layer 1 takes 3 numbers (2 weights, then the bias), got 2, ending with '2'" \
    "a neuron line with a wrong count"
empty "$tmp/out" "stdout of a bad file"
checks=$((checks + 1))
[ ! -e "$tmp/never.csv" ] || fail "an error left an -o file"
usage_error "--act cross-entropy" "cost 'cross-entropy' needs an output activation" \
    eval --act tanh "$E/w2.net"
# without an a0 line, n_0 is 1: the message says so at layer 1 only
printf 'layer\n0.5 -0.25 0.1\nlayer\n1 2 3\n' >"$tmp/noa0.net"
run 2 eval "$tmp/noa0.net"
has "$tmp/err" "noa0.net:2: a neuron of layer 1 takes 2 numbers (1 weight, then the bias), got 3, the first extra '0.1' (no 'a0' line before it: n_0 = 1)" \
    "a wide file without a0"
printf 'a0 1\nlayer\n0.5 0.1\nlayer\n1 2 3\n' >"$tmp/noa0.net"
run 2 eval "$tmp/noa0.net"
has "$tmp/err" "noa0.net:5: a neuron of layer 2 takes 2 numbers (1 weight, then the bias), got 3, the first extra '3'" \
    "a wide file, layer 2: no a0 hint"
checks=$((checks + 1))
! grep -q "no 'a0' line" "$tmp/err" || fail "the a0 hint at layer 2"

# the commands that take chains only refuse a wide network, not misread it
run 2 plot "$E/w0.net"
has "$tmp/err" "gradchain: $E/w0.net:2: wide layers: a chain has one input, one neuron a layer and one target; got '11/4'" \
    "plot a wide file"
has "$tmp/err" "gradchain: $E/w0.net: this command takes chains only (eval, compare and sweep take wide layers)" \
    "plot a wide file: chains only"
empty "$tmp/out" "plot a wide file: stdout"
# a0 with two values makes a wide file: eval names the neuron line
run 2 eval "$srcdir/tests/data/bad/a0-extra-token.net"
has "$tmp/err" "a0-extra-token.net:3: a neuron of layer 1 takes 3 numbers (2 weights, then the bias), got 2, ending with '0'" \
    "eval reads a0 1 2 as a wide file"
usage_error "plot --neurons" "unrecognized option '--neurons'" \
    plot --random normal:0,1 --neurons 3 --layers 2

finish
