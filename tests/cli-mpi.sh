#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-mpi.sh -- 'mpirun -np K gradchain sweep' (configure --with-mpi):
# for K = 1, 2, 3 and several thread counts, every output (text, CSV,
# JSON, --per-network, stdout) is byte for byte that of the single
# process; only rank 0 writes and shows progress; SIGTERM on the ranks
# (as a scheduler sends it) gives the partial report of the completed
# prefix, exit 130, and a checkpoint from which a rerun on another number
# of ranks ends with the uninterrupted output; a network that fails is
# named with its rank, exit 1, no output.  Skipped without MPI.
set -e
. "$srcdir/tests/cli-lib.sh"

"$GRADCHAIN" sweep --help >"$tmp/help"
grep -q '^This gradchain is built with MPI' "$tmp/help" \
    || skip "gradchain is built without MPI (configure --with-mpi)"
command -v mpirun >/dev/null 2>&1 || skip "no mpirun (openmpi-bin)"
# root in CI; --oversubscribe: more ranks than this machine's cores
MPIRUN="mpirun --allow-run-as-root --oversubscribe"

# mpi EXPECTED_STATUS K ARGS...: runs 'mpirun -np K gradchain ARGS', stdout
# to $tmp/out, stderr to $tmp/err (mpirun's own notes included)
mpi() {
    _want=$1 _k=$2
    shift 2
    checks=$((checks + 1))
    set +e
    $MPIRUN -np "$_k" "$GRADCHAIN" "$@" >"$tmp/out" 2>"$tmp/err"
    _got=$?
    set -e
    if [ "$_got" != "$_want" ]; then
        fail "mpirun -np $_k gradchain $* exited $_got, expected $_want:"
        sed 's/^/  | /' "$tmp/err" >&2
    fi
}

# ---- byte for byte the single process, K = 1, 2, 3 --------------------------
# option sets: formats, loss scales (auto too), depths, ratios, factors,
# activations, CSV and JSON, wide networks; each with --per-network
set1="--random normal:0,1 --layers 60 --samples 23 --seed 7
    --formats binary32,bfloat16,e4m3 --loss-scale 1,2^8,auto"
set2="--weights uniform:-1,1 --biases const:0 --fan-in-scale he --act tanh
    --layers 40 --samples 17 --seed 5 --depths 1,20,40 --ratio b1:b10
    --ratio b3:b4 --factors --format json"
set3="--random normal:0.5,2 --layers 30 --samples 31 --a0 1/2 --y 1
    --formats binary16,bfloat16:sr --sr-seed 3 --loss-scale auto
    --depths 30 --format csv"
# wide networks (issue 13): norm events, log10 of the norms
set4="--random normal:0,1 --neurons 3,5,4,2 --init glorot --samples 19
    --seed 2 --formats binary16,e4m3 --loss-scale 1,auto --depths 1,3"
for n in 1 2 3 4; do
    eval "set=\$set$n"
    # shellcheck disable=SC2086 # the option sets are words
    run 0 sweep $set --threads 2 -o "$tmp/want$n" \
        --per-network "$tmp/want$n.csv"
    # ranks:threads
    for kt in 1:2 2:1 2:2 3:1; do
        k=${kt%:*} threads=${kt#*:}
        rm -f "$tmp/got" "$tmp/got.csv"
        # shellcheck disable=SC2086
        mpi 0 "$k" sweep $set --threads "$threads" -o "$tmp/got" \
            --per-network "$tmp/got.csv"
        same "$tmp/got" "$tmp/want$n" "set $n, $k ranks, $threads threads"
        same "$tmp/got.csv" "$tmp/want$n.csv" \
            "set $n, $k ranks, $threads threads: --per-network"
    done
done
# ranks on other --threads (nodes of other core counts, where the default
# differs): the chunks are rank 0's
# (300 networks: chunks of 32 on rank 0, which 64 on the others would
# misplace)
many="--random normal:0,1 --layers 10 --samples 300 --formats binary32,e5m2"
rm -f "$tmp/got"
# shellcheck disable=SC2086
run 0 sweep $many --per-network "$tmp/many.csv"
cp "$tmp/out" "$tmp/want"
# shellcheck disable=SC2086
$MPIRUN -np 1 "$GRADCHAIN" sweep $many --threads 1 -o "$tmp/got" \
    --per-network "$tmp/got.csv" : -np 2 "$GRADCHAIN" sweep $many \
    --threads 2 -o "$tmp/got" --per-network "$tmp/got.csv" \
    >"$tmp/out" 2>"$tmp/err" || fail "ranks on 1 and 2 threads: exit $?"
same "$tmp/got" "$tmp/want" "ranks on 1 and 2 threads"
same "$tmp/got.csv" "$tmp/many.csv" "ranks on 1 and 2 threads: --per-network"
# stdout: rank 0's report only, once
# shellcheck disable=SC2086
run 0 sweep $set1 --threads 1
cp "$tmp/out" "$tmp/want"
# shellcheck disable=SC2086
mpi 0 3 sweep $set1 --threads 1
same "$tmp/out" "$tmp/want" "3 ranks: stdout"

# progress: rank 0's lines only, the last one with every network
# shellcheck disable=SC2086
mpi 0 3 sweep $set1 --threads 1 --progress -o /dev/null
matches "$tmp/err" '^sweep: 23/23 networks in [0-9]*:[0-5][0-9], ' \
    "3 ranks --progress: the last line"
checks=$((checks + 1))
[ "$(grep -c '^sweep: 23/23' "$tmp/err")" -eq 1 ] \
    || fail "3 ranks --progress: not one final line"

# ---- a network that fails: named with its rank, exit 1, nothing written -------
# (GRADCHAIN_TEST_FAIL_SEED: the fault that no engine makes today)
# chunks of 32 networks: with 2 ranks, network 40 (seed 47) is rank 1's
rm -f "$tmp/fail.txt" "$tmp/fail.csv"
GRADCHAIN_TEST_FAIL_SEED=47
export GRADCHAIN_TEST_FAIL_SEED
mpi 1 2 sweep --random normal:0,1 --layers 20 --samples 100 --seed 7 \
    --threads 1 -o "$tmp/fail.txt" --per-network "$tmp/fail.csv"
unset GRADCHAIN_TEST_FAIL_SEED
has "$tmp/err" "gradchain: sweep: rank 1: network 40 (seed 47): " \
    "a failed network: the message"
empty "$tmp/out" "a failed network: stdout"
checks=$((checks + 1))
[ ! -e "$tmp/fail.txt" ] && [ ! -e "$tmp/fail.csv" ] \
    || fail "a failed network: an output was written"

# ---- SIGTERM on the ranks; checkpoint; rerun on 3 ranks ---------------------------
# (about 240 ns a layer and network since issue 12's sweep kernel and
# draws: 300 networks of 2 10^5 layers are about 7 s of CPU a rank, so
# a rank reaches 'caught''s second of CPU well before the end; with
# 20000 layers the sweep ended first)
long="sweep --random normal:0,1 --layers 200000 --samples 300 --seed 11
    --formats binary32,bfloat16 --threads 1"
# shellcheck disable=SC2086
run 0 $long --threads 2 -o "$tmp/long.want" --per-network "$tmp/long.want.csv"
rm -f "$tmp/ck" "$tmp/part.txt" "$tmp/part.csv"
# shellcheck disable=SC2086
$MPIRUN -np 2 "$GRADCHAIN" $long -o "$tmp/part.txt" \
    --per-network "$tmp/part.csv" --checkpoint "$tmp/ck" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
# as Slurm does: the signal to every rank (mpirun's children), once each
# has run the sweep for a second of CPU
caught "$pid" 2 "$(getconf CLK_TCK)"
# shellcheck disable=SC2086 # the pids are words
kill -TERM $caught 2>/dev/null || true
set +e
wait "$pid"
status=$?
set -e
checks=$((checks + 1))
[ "$status" -eq 130 ] || fail "SIGTERM on the ranks: exit $status, not 130"
matches "$tmp/part.txt" '^# partial: [0-9]* of 300 networks (interrupted)$' \
    "SIGTERM on the ranks: the partial header"
k=$(sed -n 's/^# partial: \([0-9]*\) of .*/\1/p' "$tmp/part.txt")
has "$tmp/err" "interrupted: the report covers $k of 300 networks" \
    "SIGTERM on the ranks: stderr"
# the partial report is the single process's report of --samples k
# (but for its 'samples' and 'partial' lines)
# shellcheck disable=SC2086
run 0 $(echo $long | sed "s/--samples 300/--samples $k/") --threads 2 \
    -o "$tmp/k.want" --per-network "$tmp/k.want.csv"
grep -v '^# partial:' "$tmp/part.txt" | sed "s/^# samples: 300$/# samples: $k/" \
    >"$tmp/part.cut"
same "$tmp/part.cut" "$tmp/k.want" "SIGTERM on the ranks: the report of $k"
same "$tmp/part.csv" "$tmp/k.want.csv" "SIGTERM on the ranks: --per-network"
matches "$tmp/ck" "^networks $k\$" "SIGTERM on the ranks: the checkpoint"
# a rerun on 3 ranks from the checkpoint ends as the uninterrupted run
# shellcheck disable=SC2086
mpi 0 3 $long -o "$tmp/long.got" --per-network "$tmp/long.got.csv" \
    --checkpoint "$tmp/ck"
same "$tmp/long.got" "$tmp/long.want" "rerun on 3 ranks from the checkpoint"
same "$tmp/long.got.csv" "$tmp/long.want.csv" \
    "rerun on 3 ranks from the checkpoint: --per-network"
matches "$tmp/ck" '^networks 300$' "the checkpoint at the end"
# another sweep's checkpoint is refused by rank 0, once, exit 2
# shellcheck disable=SC2086
mpi 2 2 $(echo $long | sed "s/--seed 11/--seed 12/") -o "$tmp/no.txt" \
    --checkpoint "$tmp/ck"
has "$tmp/err" "made by a sweep with 'seed 11', not 'seed 12'" \
    "2 ranks, another sweep's checkpoint"
checks=$((checks + 1))
[ "$(grep -c "made by a sweep" "$tmp/err")" -eq 1 ] && [ ! -e "$tmp/no.txt" ] \
    || fail "2 ranks, another sweep's checkpoint: not one message, or output"

finish
