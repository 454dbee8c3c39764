#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-act.sh -- activations (issue 9): per-layer names in the file, --act,
# the round trip of --save-network, the errors, streaming --wrt.
set -e
. "$srcdir/tests/cli-lib.sh"

# both engines and streaming --wrt against the mpmath values
for name in act8_quad act7_ce act6_given act6_quad; do
    for engine in arb mpfr; do
        run 0 eval --engine "$engine" --digits 40 --format csv "$REF/$name.net"
        awk '!/^#/ { print $1 "," $2 "," $3 }' "$REF/$name.expected" > "$tmp/want"
        tail -n +2 "$tmp/out" > "$tmp/got"
        same "$tmp/got" "$tmp/want" "$name: $engine engine"
        for p in b1 w3 b5; do
            run 0 eval --engine "$engine" --digits 40 --wrt "$p" "$REF/$name.net"
            col=$(echo "$p" | sed 's/^b.*/2/; s/^w.*/3/')
            j=$(echo "$p" | cut -c2-)
            want=$(awk -v j="$j" -v c="$col" '!/^#/ && $1 == j { print $c }' \
                   "$REF/$name.expected")
            has "$tmp/out" "$p         $want" "$name: $engine --wrt $p"
        done
    done
done

# --save-network writes what it read: per-layer names, the act line
run 0 eval --digits 5 --save-network "$tmp/a.net" "$REF/act8_quad.net"
run 0 eval --digits 5 --save-network "$tmp/b.net" "$tmp/a.net"
same "$tmp/b.net" "$tmp/a.net" "round trip of per-layer activations"
has "$tmp/a.net" "act tanh" "the act line"
has "$tmp/a.net" " leaky-relu:1/5" "a per-layer slope"

# --act sets every layer of a random network, and overrides a file's
run 0 eval --random normal:0,1 --layers 4 --act leaky-relu:0.2 --digits 5 \
    --save-network "$tmp/r.net"
has "$tmp/r.net" "act leaky-relu:1/5" "--act on --random"
run 0 eval --act sigmoid --digits 40 --format csv "$REF/act7_ce.net"
run 2 eval --act tanh "$REF/act7_ce.net"
has "$tmp/err" "--act tanh: cost 'cross-entropy' needs an output activation" "--act against cross-entropy"
run 2 eval --act foo "$REF/n4_s0.net"
has "$tmp/err" "--act: unknown activation 'foo'" "--act foo"

# file errors name the line and the token
printf '1 0\nact tanh\n' > "$tmp/late.net"
run 2 eval "$tmp/late.net"
has "$tmp/err" "late.net:2: keyword 'act' after the first layer" "act after a layer"
printf '1 0 tanhh\n' > "$tmp/bad.net"
run 2 eval "$tmp/bad.net"
has "$tmp/err" "bad.net:1: unknown activation 'tanhh'" "unknown per-layer name"
printf 'cost cross-entropy\n1 0\n1 0 tanh\n' > "$tmp/ce.net"
run 2 eval "$tmp/ce.net"
has "$tmp/err" "ce.net:1: cost 'cross-entropy' needs an output activation with values in (0, 1) (sigmoid), not 'tanh'" "cross-entropy with tanh"

# relu at an exact z = 0: relu'(0) = 0 in both engines
printf 'a0 1/3\nact relu\n3 -1\n1 0.5\n' > "$tmp/kink.net"
for engine in arb mpfr; do
    run 0 eval --engine "$engine" --digits 10 --format csv "$tmp/kink.net"
    has "$tmp/out" "1,0,0" "$engine: relu'(0) = 0"
done

# a relu whose z_j the MPFR engine cannot separate from 0 after a smooth
# layer (z_2 = 1 / (1 + e^-100) - (1 - 10^-40) is about 3.7e-44 > 0, not
# rational): it does not print a guessed 0, it says it cannot vouch for
# the result (exit 1); the Arb engine proves it
printf 'a0 1\n1 99\n1 -0.9999999999999999999999999999999999999999 relu\n' \
    > "$tmp/nearkink.net"
run 1 eval --engine mpfr --digits 12 "$tmp/nearkink.net"
has "$tmp/err" "the sign of z at a relu or leaky-relu kink could not be decided" "mpfr near-kink"
run 0 eval --digits 12 "$tmp/nearkink.net"
has "$tmp/out" "3.71869207949e-84" "arb near-kink"

finish
