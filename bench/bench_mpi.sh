#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# bench_mpi.sh -- 'gradchain sweep' under MPI: networks per second on 1
# and 2 ranks (one thread each) of the same sweep, in the same run, with
# one process on 2 threads as the control (what the machine gives two
# workers), the CPU time per network of the sweep of bench/README.md's
# estimate (10^4 layers, 8 formats), and the cost of the rounds' gathers
# per network (a sweep of 2-layer
# networks, whose work is nearly all exchange, on 2 ranks against one
# process without MPI).  Needs a gradchain built with --with-mpi.
#
#   bench/bench_mpi.sh [GRADCHAIN [LAYERS [SAMPLES [REPS]]]]
#
# defaults: ./gradchain, 10000 layers, 400 samples, best of 2.  Every run's
# report is compared with the single process's (they must be the same).
set -e
G=${1:-./gradchain}
L=${2:-10000}
N=${3:-400}
REPS=${4:-2}
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_mpi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$G" sweep --help | grep -q '^This gradchain is built with MPI' \
    || { echo "$G is built without MPI (configure --with-mpi)" >&2; exit 1; }

# cpu: prints the CPU seconds (user + system) of the children this shell
# waited for so far (the ranks count: mpirun waits for them)
cpu() {
    sed -n 2p "$tmp/times" | tr 'ms' '  ' | awk '{ print $1 * 60 + $2 + $3 * 60 + $4 }'
}

# best ARGS...: prints "WALL CPU" seconds of the fastest of REPS runs of
# ARGS, each report compared with $tmp/want
best() {
    _best=
    for _r in $(seq "$REPS"); do
        times >"$tmp/times"
        _c0=$(cpu)
        _t0=$(date +%s.%N)
        "$@" -o "$tmp/got" --no-progress
        _t1=$(date +%s.%N)
        times >"$tmp/times"
        _c1=$(cpu)
        cmp -s "$tmp/got" "$tmp/want" || { echo "report differs: $*" >&2; exit 1; }
        _best=$(echo "$_t0 $_t1 $_c0 $_c1 $_best" | awk '{ t = $2 - $1;
            print ($5 == "" || t < $5) ? t " " $4 - $3 : $5 " " $6 }')
    done
    echo "$_best"
}

SW="sweep --random normal:0,1 --layers $L --samples $N --seed 1
    --formats binary32,bfloat16,binary16,e4m3 --threads 1"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
# shellcheck disable=SC2086 # $SW is words
"$G" $SW -o "$tmp/want" --no-progress
# shellcheck disable=SC2086
t0=$(best "$G" $SW)
# shellcheck disable=SC2086
tt=$(best "$G" $SW --threads 2)
# shellcheck disable=SC2086
t1=$(best $MPIRUN -np 1 "$G" $SW)
# shellcheck disable=SC2086
t2=$(best $MPIRUN -np 2 "$G" $SW)
awk -v n="$N" -v l="$L" -v t0="$t0" -v tt="$tt" -v t1="$t1" -v t2="$t2" 'BEGIN {
    split(t0, a, " "); split(t1, b, " "); split(t2, c, " "); split(tt, d, " ")
    printf "%d networks of %d layers, 4 formats, 1 thread a rank (fastest run):\n", n, l
    printf "           wall (s)  networks/s   CPU (s)  networks/CPU-s\n"
    printf "  no MPI   %8.2f  %10.2f  %8.2f  %10.2f\n", a[1], n / a[1], a[2], n / a[2]
    printf "  2 threads%8.2f  %10.2f  %8.2f  %10.2f  (no MPI: the control)\n", d[1], n / d[1], d[2], n / d[2]
    printf "  1 rank   %8.2f  %10.2f  %8.2f  %10.2f\n", b[1], n / b[1], b[2], n / b[2]
    printf "  2 ranks  %8.2f  %10.2f  %8.2f  %10.2f\n", c[1], n / c[1], c[2], n / c[2]
    printf "  2 ranks against 1: %.2fx the networks/s (2 threads against 1: %.2fx)\n",
        b[1] / c[1], a[1] / d[1] }'

# the per-core rate of the paper sweep (bench/README.md): 10^4 layers,
# eight formats, one process, one thread
SW="sweep --random normal:0,1 --layers 10000 --samples 40 --seed 1 --threads 1
    --formats binary64,binary32,bfloat16,binary16,e5m2,e4m3,binary16:ftz,bfloat16:sr"
# shellcheck disable=SC2086
"$G" $SW -o "$tmp/want" --no-progress
# shellcheck disable=SC2086
p8=$(best "$G" $SW)
awk -v p="$p8" 'BEGIN { split(p, a, " ")
    printf "40 networks of 10^4 layers in 8 formats, 1 thread: %.2f s, %.2f CPU s: %.1f CPU ms a network\n",
        a[1], a[2], a[2] / 40 * 1000 }'

# the exchange: 2-layer networks, 20000 of them
SW="sweep --random normal:0,1 --layers 2 --samples 20000 --seed 1
    --formats binary32,bfloat16,binary16,e4m3 --threads 1"
# shellcheck disable=SC2086
"$G" $SW -o "$tmp/want" --no-progress
# shellcheck disable=SC2086
e0=$(best "$G" $SW)
# shellcheck disable=SC2086
e2=$(best $MPIRUN -np 2 "$G" $SW)
awk -v e0="$e0" -v e2="$e2" 'BEGIN {
    split(e0, a, " "); split(e2, b, " ")
    printf "20000 networks of 2 layers: no MPI %.2f s (%.2f CPU s), 2 ranks %.2f s (%.2f CPU s)\n", a[1], a[2], b[1], b[2]
    printf "  exchange, rounds and start-up: %.1f CPU us a network\n",
        (b[2] - a[2]) / 20000 * 1e6 }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
