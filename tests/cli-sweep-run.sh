#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-sweep-run.sh -- long sweeps: the progress line on stderr never
# changes stdout; ^C stops the sweep after the networks in flight, writes
# the report over the completed networks marked partial and exits 130; a
# second ^C ends it at once, leaving no output file.
set -e
. "$srcdir/tests/cli-lib.sh"
SW="sweep --random normal:0,1 --layers 120 --samples 7 --seed 3"
F="--formats binary32,bfloat16"

# ---- progress ------------------------------------------------------------------
# stderr is a file here: no progress by default, nor with --no-progress
run 0 $SW $F
empty "$tmp/err" "sweep: stderr not a terminal"
cp "$tmp/out" "$tmp/plain"
run 0 $SW $F --no-progress
empty "$tmp/err" "sweep --no-progress"
same "$tmp/out" "$tmp/plain" "sweep --no-progress: stdout"
# --progress: the same stdout, and a last plain line (no \r) on stderr
for fmt in text csv json; do
    run 0 $SW $F --format $fmt --no-progress
    cp "$tmp/out" "$tmp/want"
    run 0 $SW $F --format $fmt --progress
    same "$tmp/out" "$tmp/want" "sweep --progress --format $fmt: stdout"
    matches "$tmp/err" \
        '^sweep: 7/7 networks in [0-9]*:[0-5][0-9], [0-9.e+-]*/s$' \
        "sweep --progress --format $fmt: stderr"
done
checks=$((checks + 1))
[ "$(wc -l <"$tmp/err")" -eq 1 ] && ! grep -q "$(printf '\r')" "$tmp/err" \
    || fail "sweep --progress into a file: not one plain line"
# the last of --progress and --no-progress counts
run 0 $SW $F --progress --no-progress
empty "$tmp/err" "--progress --no-progress"
run 0 $SW $F --help
has "$tmp/out" "--no-progress" "sweep --help: --no-progress"
has "$tmp/out" "130" "sweep --help: exit status 130"

# on a terminal (script(1) gives the program one): the line is rewritten
# in place with \r and erased at the end; the report (-o) is the same
if command -v script >/dev/null 2>&1 \
    && script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "'$GRADCHAIN' $SW $F -o '$tmp/tty.txt'" /dev/null \
        >"$tmp/tty.log" 2>&1 </dev/null || true
    same "$tmp/tty.txt" "$tmp/plain" "sweep on a terminal: the report"
    has "$tmp/tty.log" "$(printf '\r')sweep: 7/7 networks" \
        "sweep on a terminal: the progress line"
    checks=$((checks + 1))
    # the line ends erased: \r, blanks, \r
    tail -c 3 "$tmp/tty.log" | od -c | grep -q '\\r' \
        || fail "sweep on a terminal: the line is not erased"
else
    echo "script(1) with -e -c not available: terminal checks skipped"
fi

# ---- ^C ----------------------------------------------------------------------------
# A background job of a script ignores SIGINT (and gradchain keeps it so,
# as nohup expects): env --default-signal gives it its default action
# back, so that gradchain catches it.
if ! env --default-signal=INT true 2>/dev/null; then
    skip "env --default-signal not available (GNU coreutils >= 8.31)"
fi

# sweep_int CMD ARGS...: starts 'CMD --random normal:0,1 --no-progress
# ARGS' in the background, its stdout to $tmp/out, stderr to $tmp/err;
# sets pid
sweep_int() {
    _cmd=$1
    shift
    env --default-signal=INT "$GRADCHAIN" $_cmd --random normal:0,1 \
        --no-progress "$@" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
}

# wait_130 WHAT: waits for that sweep, which must exit with status 130
wait_130() {
    set +e
    wait "$pid"
    _status=$?
    set -e
    checks=$((checks + 1))
    [ "$_status" -eq 130 ] || fail "$1 exited $_status, not 130"
}

# one ^C after 2 s: about 50 networks of 20000 layers are done
rm -f "$tmp/int.txt" "$tmp/int.csv"
sweep_int sweep --layers 20000 --samples 100000 --seed 11 --formats binary32 \
    --threads 2 -o "$tmp/int.txt" --per-network "$tmp/int.csv"
caught "$pid"
sleep 2
kill -INT "$pid"
wait_130 "sweep after ^C"
empty "$tmp/out" "sweep after ^C: stdout"
matches "$tmp/int.txt" '^# partial: [0-9]* of 100000 networks (interrupted)$' \
    "sweep after ^C: the partial header"
k=$(sed -n 's/^# partial: \([0-9]*\) of .*/\1/p' "$tmp/int.txt")
has "$tmp/err" "interrupted: the report covers $k of 100000 networks" \
    "sweep after ^C: stderr"
checks=$((checks + 1))
[ -n "$k" ] && [ "$k" -ge 1 ] && [ "$k" -lt 100000 ] \
    || fail "sweep after ^C: '$k' networks completed"
# the per-network file has exactly the completed networks, one row each
checks=$((checks + 1))
[ "$(wc -l <"$tmp/int.csv")" -eq $((k + 1)) ] \
    || fail "--per-network after ^C: not $k rows"
checks=$((checks + 1))
[ "$(sed 1d "$tmp/int.csv" | cut -d, -f1 | sort -u | wc -l)" -eq "$k" ] \
    || fail "--per-network after ^C: a network twice"
# the statistics are over those networks: the subnormal counts of binary32
# are the nonempty cells of the per-network file
# (seed,format,loss_scale,first_subnormal_layer,...)
# and their fraction is of the k completed networks, not of the 100000
n=$(sed 1d "$tmp/int.csv" | awk -F, '$4 != ""' | wc -l)
frac=$(awk -v n="$n" -v k="$k" 'BEGIN { printf "%.6g", n / k }')
matches "$tmp/int.txt" "^binary32  *-  *subnormal  *depth  *$n  *$frac " \
    "sweep after ^C: the statistics cover the completed networks"
# a completed network is the network of a sweep of its own
s=$(sed -n 2p "$tmp/int.csv" | cut -d, -f1)
run 0 sweep --random normal:0,1 --layers 20000 --samples 1 --seed "$s" \
    --formats binary32 --per-network "$tmp/one.csv" -o /dev/null
checks=$((checks + 1))
[ "$(sed -n 2p "$tmp/one.csv")" = "$(sed -n 2p "$tmp/int.csv")" ] \
    || fail "network $s after ^C: $(sed -n 2p "$tmp/int.csv"), alone: \
$(sed -n 2p "$tmp/one.csv")"
checks=$((checks + 1))
[ -z "$(ls "$tmp" | grep '\.tmp')" ] || fail "after ^C: a temporary file"

# JSON: "partial" in meta; CSV: no comment line, only the exit status
rm -f "$tmp/int.json"
sweep_int sweep --layers 20000 --samples 100000 --formats binary32 \
    --format json -o "$tmp/int.json"
caught "$pid"
sleep 1
kill -INT "$pid"
wait_130 "sweep --format json after ^C"
matches "$tmp/int.json" \
    '"partial":"[0-9]* of 100000 networks (interrupted)"' \
    "sweep --format json after ^C: meta"
sweep_int sweep --layers 20000 --samples 100000 --formats binary32 \
    --format csv -o "$tmp/int.csv"
caught "$pid"
sleep 1
kill -INT "$pid"
wait_130 "sweep --format csv after ^C"
checks=$((checks + 1))
! grep -q '^#' "$tmp/int.csv" || fail "sweep --format csv after ^C: a comment"
has "$tmp/err" "interrupted: the report covers" "sweep --format csv: stderr"

# SIGTERM (a scheduler's end of job) stops a plain sweep as ^C does: the
# partial report, status 130 (a review found it killed with no report
# unless --checkpoint or MPI was in use); a second SIGTERM ends it
sweep_int sweep --layers 20000 --samples 100000 --formats binary32 \
    -o "$tmp/term.txt"
caught "$pid"
sleep 1
kill -TERM "$pid"
wait_130 "sweep after SIGTERM"
matches "$tmp/term.txt" '^# partial: [0-9]* of 100000 networks (interrupted)$' \
    "sweep after SIGTERM: the partial report"
has "$tmp/err" "interrupted: the report covers" "sweep after SIGTERM: stderr"

# plot --sweep: one ^C draws the networks completed, says so, exits 130
# (20000 networks: about 30 s whole since issue 12, so ^C comes in time)
rm -f "$tmp/intp.tex"
sweep_int "plot --sweep" --layers 5000 --samples 20000 --seed 11 \
    --formats binary32 --threads 2 -o "$tmp/intp.tex"
caught "$pid"
sleep 2
kill -INT "$pid"
wait_130 "plot --sweep after ^C"
has "$tmp/intp.tex" '\end{tikzpicture}' "plot --sweep after ^C: the figure"
matches "$tmp/err" \
    '^gradchain: plot: interrupted: the report covers [0-9]* of 20000 networks$' \
    "plot --sweep after ^C: stderr"

# a second ^C ends it at once: no report, no temporary file.  Both ^C
# must come while the first network is in flight: one of 5 10^5 layers
# in binary128 and x87 (software and MPFR arithmetic, which no fast path
# shortens) takes about 2.3 s of CPU on this 2-core machine, 280 MB.
# (10^6 layers in 6 formats took 2.5 s before issue 12's sweep kernel
# and 0.56 s after it, and then a report was sometimes written.)
rm -f "$tmp/int2.txt"
sweep_int sweep --layers 500000 --samples 10 --threads 1 -o "$tmp/int2.txt" \
    --formats binary128,x87
caught "$pid"
sleep 0.5
kill -INT "$pid"
sleep 0.3
kill -INT "$pid" 2>/dev/null || true
wait_130 "sweep after two ^C"
checks=$((checks + 1))
[ ! -e "$tmp/int2.txt" ] || fail "sweep after two ^C: wrote its report"
checks=$((checks + 1))
[ -z "$(ls "$tmp" | grep '\.tmp')" ] || fail "after two ^C: a temporary file"

finish
