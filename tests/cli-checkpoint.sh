#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-checkpoint.sh -- 'gradchain sweep --checkpoint FILE' in one process
# (with or without MPI built in): the reports are those of the sweep
# without it; a rerun continues from the networks in FILE (taken from it,
# not recomputed) and ends with the uninterrupted output, after --samples
# was raised or after SIGTERM stopped the run; a FILE of other arguments,
# or not a checkpoint, is refused with exit 2 naming why; a failed network
# is named, exit 1, no output.
set -e
. "$srcdir/tests/cli-lib.sh"
PY=/usr/bin/python3

SW="sweep --random normal:0,1 --layers 50 --seed 3 --formats binary32,bfloat16
    --loss-scale 2^8,auto --depths 1,25 --ratio b2:b40 --threads 2"
# shellcheck disable=SC2086 # $SW is words
run 0 $SW --samples 40 -o "$tmp/want.txt" --per-network "$tmp/want.csv"
# shellcheck disable=SC2086
run 0 $SW --samples 40 --format json -o "$tmp/want.json"

# a fresh checkpoint: the same reports, FILE with the 40 networks, no
# temporary file left
# shellcheck disable=SC2086
run 0 $SW --samples 40 -o "$tmp/got.txt" --per-network "$tmp/got.csv" \
    --checkpoint "$tmp/ck"
same "$tmp/got.txt" "$tmp/want.txt" "a fresh checkpoint: the report"
same "$tmp/got.csv" "$tmp/want.csv" "a fresh checkpoint: --per-network"
has "$tmp/ck" "networks 40" "the checkpoint: its networks"
has "$tmp/ck" "formats binary32,bfloat16" "the checkpoint: its formats"
checks=$((checks + 1))
[ ! -e "$tmp/ck.tmp" ] || fail "a temporary checkpoint was left"

# the --samples prefix trick: 15 networks, then 40 from the same FILE
# shellcheck disable=SC2086
run 0 $SW --samples 15 -o /dev/null --checkpoint "$tmp/ck15"
has "$tmp/ck15" "networks 15" "15 networks: the checkpoint"
cp "$tmp/ck15" "$tmp/ck15.copy"
# shellcheck disable=SC2086
run 0 $SW --samples 40 --format json -o "$tmp/got.json" --checkpoint "$tmp/ck15"
same "$tmp/got.json" "$tmp/want.json" "15 then 40 networks: the report"
has "$tmp/ck15" "networks 40" "15 then 40 networks: the checkpoint"

# the networks in FILE are read, not recomputed: network 0's first record
# (its first_subnormal_layer in binary32) set to 7 in the file shows in
# --per-network ('networks N' ends the text, the records follow)
$PY - "$tmp/ck15.copy" <<'EOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
at = data.index(b'\nnetworks 15\n') + len(b'\nnetworks 15\n')
data = data[:at] + struct.pack('=q', 7) + data[at + 8:]
open(sys.argv[1], 'wb').write(data)
EOF
# shellcheck disable=SC2086
run 0 $SW --samples 20 -o /dev/null --per-network "$tmp/doctored.csv" \
    --checkpoint "$tmp/ck15.copy"
checks=$((checks + 1))
[ "$(sed -n 2p "$tmp/doctored.csv" | cut -d, -f1-4)" = "3,binary32,2^8,7" ] \
    || fail "network 0 not taken from the checkpoint: $(sed -n 2p "$tmp/doctored.csv")"
checks=$((checks + 1))
[ "$(sed -n 3p "$tmp/doctored.csv")" = "$(sed -n 3p "$tmp/want.csv")" ] \
    || fail "network 0's other rows changed"

# ---- other arguments, or not a checkpoint: exit 2, naming why, no output ------
refused() {
    _what=$1 _pat=$2
    shift 2
    rm -f "$tmp/no.txt"
    run 2 "$@" -o "$tmp/no.txt" --checkpoint "$tmp/ck"
    has "$tmp/err" "$_pat" "$_what"
    checks=$((checks + 1))
    [ ! -e "$tmp/no.txt" ] || fail "$_what: an output was written"
}
# shellcheck disable=SC2086
refused "other layers" "made by a sweep with 'layers 50', not 'layers 51'" \
    $(echo $SW | sed 's/--layers 50/--layers 51/') --samples 40
# shellcheck disable=SC2086
refused "other formats" "'formats binary32,bfloat16', not 'formats binary32'" \
    $(echo $SW | sed 's/binary32,bfloat16/binary32/') --samples 40
# shellcheck disable=SC2086
refused "other loss scales" "'loss_scales 0x1p+8 auto', not 'loss_scales auto'" \
    $(echo $SW | sed 's/2^8,auto/auto/') --samples 40
# shellcheck disable=SC2086
refused "other depths" "'depths 1 25', not 'depths 1 26'" \
    $(echo $SW | sed 's/1,25/1,26/') --samples 40
# shellcheck disable=SC2086
refused "another seed" "'seed 3', not 'seed 4'" \
    $(echo $SW | sed 's/--seed 3/--seed 4/') --samples 40
cp "$tmp/ck" "$tmp/ck.good"
echo "not a checkpoint" >"$tmp/ck"
# shellcheck disable=SC2086
refused "not a checkpoint" "--checkpoint $tmp/ck: not a gradchain sweep checkpoint" \
    $SW --samples 40
head -c 600 "$tmp/ck.good" >"$tmp/ck"
# shellcheck disable=SC2086
refused "a truncated checkpoint" "--checkpoint $tmp/ck: truncated" \
    $SW --samples 40
# the checkpoint is no output file
# shellcheck disable=SC2086
usage_error "--checkpoint = -o" "--checkpoint and an output are the same file" \
    $SW --samples 5 -o "$tmp/same" --checkpoint "$tmp/same"
# shellcheck disable=SC2086
usage_error "--checkpoint = --per-network" "--checkpoint and an output are" \
    $SW --samples 5 --per-network "$tmp/same" --checkpoint "$tmp/same"
# a checkpoint that cannot be written: exit 2, no output
rm -f "$tmp/no.txt"
# shellcheck disable=SC2086
run 2 $SW --samples 5 -o "$tmp/no.txt" --checkpoint "$tmp/nodir/ck"
has "$tmp/err" "--checkpoint $tmp/nodir/ck: No such file or directory" \
    "an unwritable checkpoint"
checks=$((checks + 1))
[ ! -e "$tmp/no.txt" ] || fail "an unwritable checkpoint: an output"

# ---- a network that fails: named, exit 1, no output; the checkpoint keeps
# the chunks before it (32 networks a thread: 0 .. 31) --------------------------
rm -f "$tmp/fail.txt" "$tmp/fail.ck"
GRADCHAIN_TEST_FAIL_SEED=43
export GRADCHAIN_TEST_FAIL_SEED
run 1 sweep --random normal:0,1 --layers 20 --samples 60 --seed 3 \
    --threads 1 -o "$tmp/fail.txt" --checkpoint "$tmp/fail.ck"
unset GRADCHAIN_TEST_FAIL_SEED
has "$tmp/err" "gradchain: sweep: network 40 (seed 43): " "a failed network"
checks=$((checks + 1))
[ ! -e "$tmp/fail.txt" ] || fail "a failed network: an output"
has "$tmp/fail.ck" "networks 32" "a failed network: the checkpoint"

# ---- SIGTERM: the partial report, exit 130; the rerun ends as the whole ------------
# (2 10^5 layers: about 14 s of CPU in all since issue 12's sweep
# kernel, so the second of CPU that 'caught' waits for comes early)
LONG="sweep --random normal:0,1 --layers 200000 --samples 300 --seed 11
    --formats binary32,bfloat16 --threads 2"
# shellcheck disable=SC2086
run 0 $LONG -o "$tmp/long.want" --per-network "$tmp/long.want.csv"
rm -f "$tmp/lck"
# shellcheck disable=SC2086
"$GRADCHAIN" $LONG -o "$tmp/part.txt" --checkpoint "$tmp/lck" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
# once it has run for a second of CPU (some networks are done)
caught "$pid" 0 "$(getconf CLK_TCK)"
kill -TERM "$pid"
set +e
wait "$pid"
status=$?
set -e
checks=$((checks + 1))
[ "$status" -eq 130 ] || fail "SIGTERM: exit $status, not 130"
matches "$tmp/part.txt" '^# partial: [0-9]* of 300 networks (interrupted)$' \
    "SIGTERM: the partial header"
k=$(sed -n 's/^# partial: \([0-9]*\) of .*/\1/p' "$tmp/part.txt")
has "$tmp/lck" "networks $k" "SIGTERM: the checkpoint has the $k networks"
# shellcheck disable=SC2086
run 0 $LONG -o "$tmp/long.got" --per-network "$tmp/long.got.csv" \
    --checkpoint "$tmp/lck"
same "$tmp/long.got" "$tmp/long.want" "the rerun after SIGTERM: the report"
same "$tmp/long.got.csv" "$tmp/long.want.csv" \
    "the rerun after SIGTERM: --per-network"
# a rerun of a completed sweep only writes the reports
# shellcheck disable=SC2086
run 0 $LONG -o "$tmp/long.again" --checkpoint "$tmp/lck"
same "$tmp/long.again" "$tmp/long.want" "a rerun of a completed sweep"

# wide networks (issue 13): 15 then 40 networks give the uninterrupted
# report; other widths are refused, naming the line that differs
SWW="sweep --random normal:0,1 --neurons 4 --layers 10 --init he
    --formats binary16,bfloat16 --loss-scale auto --depths 1,10"
# shellcheck disable=SC2086
run 0 $SWW --samples 40 -o "$tmp/wwant.txt" --per-network "$tmp/wwant.csv"
# shellcheck disable=SC2086
run 0 $SWW --samples 15 -o /dev/null --checkpoint "$tmp/ckw"
has "$tmp/ckw" "widths 4,4,4,4,4,4,4,4,4,4,4" "wide: the checkpoint's widths"
# shellcheck disable=SC2086
run 0 $SWW --samples 40 -o "$tmp/wgot.txt" --per-network "$tmp/wgot.csv" \
    --checkpoint "$tmp/ckw"
same "$tmp/wgot.txt" "$tmp/wwant.txt" "wide: 15 then 40 networks: the report"
same "$tmp/wgot.csv" "$tmp/wwant.csv" "wide: 15 then 40 networks: --per-network"
# shellcheck disable=SC2086
run 2 sweep --random normal:0,1 --neurons 4,4,4,4,4,4,4,4,4,4,3 --init he \
    --formats binary16,bfloat16 --loss-scale auto --depths 1,10 \
    --samples 40 -o "$tmp/no.txt" --checkpoint "$tmp/ckw"
has "$tmp/err" "made by a sweep with 'widths 4,4,4,4,4,4,4,4,4,4,4', not 'widths 4,4,4,4,4,4,4,4,4,4,3' as this one" \
    "wide: other widths refused"
checks=$((checks + 1))
[ ! -e "$tmp/no.txt" ] || fail "wide: other widths: an output file"

finish
