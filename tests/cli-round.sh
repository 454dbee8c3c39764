#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-round.sh -- rounding modifiers of the emulated formats in 'compare':
# directed rounding, stochastic rounding seeded by --sr-seed, flush to
# zero; the first-zero layers of the factor-1/4 chain quarter600 (dC/db_j
# = 2^-(2(600-j)+3) exactly) where the format constants put them, and
# reproducible stochastic runs.
set -e
. "$srcdir/tests/cli-lib.sh"
Q="$REF/quarter600.net"

# ---- first zeros from the format constants ---------------------------------
# bfloat16:ftz: flushed below the min normal 2^-126, first at j = 538
# (2^-127), where bfloat16 without FTZ goes subnormal; binary16:rz cuts
# 2^-25 (half the min subnormal 2^-24) to 0 at j = 589, as round to nearest
# does (a tie to even); bfloat16:sr with seed 7 keeps 2^-133 and rounds
# 2^-135 to 0 at j = 534 (0 with probability 3/4, 2^-133 otherwise).
cat >"$tmp/want" <<'END'
# layers: 600
# sequence: pytorch
# loss_scale: 1
# sr_seed: 7
# exact_precision_bits: 70
# exact: certified by ball arithmetic, 10 digits
format          event        layer  exact dC/db_j there
bfloat16:sr     subnormal      538  5.877471754e-39
bfloat16:sr     zero           534  2.295887404e-41
bfloat16:ftz    zero           538  5.877471754e-39
binary16:rz     subnormal      594  3.051757812e-5
binary16:rz     zero           589  2.980232239e-8

format          parameters changed  overflowed  to zero  first overflow at  first zero at
bfloat16:sr                      0           0        0                  0              0
bfloat16:ftz                     0           0        0                  0              0
binary16:rz                      0           0        0                  0              0
END
run 0 compare --formats bfloat16:sr,bfloat16:ftz,binary16:rz --sr-seed 7 \
    "$Q" --summary
same "$tmp/out" "$tmp/want" "compare bfloat16:sr,bfloat16:ftz,binary16:rz"
empty "$tmp/err" "compare with modifiers: stderr"
cp "$tmp/out" "$tmp/first"
run 0 compare --formats bfloat16:sr,bfloat16:ftz,binary16:rz --sr-seed 7 \
    "$Q" --summary
same "$tmp/out" "$tmp/first" "the same --sr-seed twice"

# e4m3:ftz: min normal 2^-6, so 2^-7 at j = 598 is flushed; binary16:ru
# keeps the min subnormal 2^-24 (1/4 of it rounds up to it): no zero;
# the canonical name puts the rounding before ftz.
cat >"$tmp/want" <<'END'
format,event,layer,exact
bfloat16:sr:ftz,zero,538,5.877471754e-39
binary16:ru,subnormal,594,3.051757812e-5
e4m3:ftz,zero,598,7.812500000e-3
binary32-emu:ftz,zero,538,5.877471754e-39
END
run 0 compare --formats bfloat16:ftz:sr,binary16:ru,e4m3:ftz,binary32-emu:ftz \
    "$Q" --summary --format csv
sed -n '/^format,event/,/^$/p' "$tmp/out" | sed '/^$/d' >"$tmp/got"
same "$tmp/got" "$tmp/want" "compare --format csv with modifiers"

# ---- the seed: another seed, another run ----------------------------------
run 0 compare --formats bfloat16:sr --sr-seed 2 "$Q" --summary --format csv
has "$tmp/out" "bfloat16:sr,zero,532," "bfloat16:sr --sr-seed 2"
# a random chain: different values from seed 7 and seed 8
run 0 compare --random normal:0,1 --layers 60 --seed 3 --formats bfloat16:sr \
    --sr-seed 7
sed 1,6d "$tmp/out" >"$tmp/s7"
run 0 compare --random normal:0,1 --layers 60 --seed 3 --formats bfloat16:sr \
    --sr-seed 8
sed 1,6d "$tmp/out" >"$tmp/s8"
checks=$((checks + 1))
! cmp -s "$tmp/s7" "$tmp/s8" || fail "--sr-seed 7 and 8 gave the same values"
# without :sr the seed changes nothing and is not shown
run 0 compare --formats binary16:rz,bfloat16 "$Q" --summary
cp "$tmp/out" "$tmp/nosr"
run 0 compare --formats binary16:rz,bfloat16 --sr-seed 5 "$Q" --summary
same "$tmp/out" "$tmp/nosr" "--sr-seed without :sr formats"
checks=$((checks + 1))
! grep -q "sr_seed" "$tmp/out" || fail "sr_seed shown without :sr formats"

# ---- refused ----------------------------------------------------------------
usage_error "hardware format with :ftz" "use its emulated twin NAME-emu" \
    compare --formats binary32:ftz "$Q"
has "$tmp/err" "binary32-emu:ftz" "the emulated twin named"
usage_error "hardware format with :rz" "got 'binary64:rz'" \
    compare --formats binary16,binary64:rz "$Q"
usage_error "two rounding modes" "two rounding modifiers" \
    compare --formats binary16:rz:sr "$Q"
usage_error "ftz twice" "':ftz' twice" compare --formats bfloat16:ftz:ftz "$Q"
# A format given twice, by any spelling of its canonical name, is refused
# by every command that replays (the check sweep always had).
usage_error "compare: format twice" "'binary16' twice" \
    compare --formats binary16,binary32,binary16 "$Q"
usage_error "compare: modifiers in another order" "'bfloat16:sr:ftz' twice" \
    compare --formats bfloat16:sr:ftz,bfloat16:ftz:sr "$Q"
usage_error "plot: format twice" "'binary32' twice" \
    plot --formats binary32,binary32 "$Q"
usage_error "negative seed" "--sr-seed: expected an integer" \
    compare --sr-seed -1 "$Q"
usage_error "seed not a number" "--sr-seed: expected an integer" \
    compare --sr-seed 7x "$Q"

finish
