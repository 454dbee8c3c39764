#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU Lesser General Public License (LGPL) as
# published by the Free Software Foundation; either version 3 of the
# License, or (at your option) any later version.
#
# fuzz-smoke.sh CORPUSDIR SECONDS TARGET... -- run each libFuzzer TARGET
# (a path in the build tree, tests/fuzz/fuzz_X) for SECONDS seconds, one
# at a time, over a copy of CORPUSDIR/fuzz_X in tests/fuzz/work/fuzz_X
# (the source corpus is never written).  Exits 1 if any target reports a
# crash, leak, timeout, out-of-memory or sanitizer error; the reproducer
# is left in tests/fuzz/work/ and its path printed.  'make fuzz-smoke'
# calls this script.

set -u
corpus=$1
seconds=$2
shift 2
status=0
for target in "$@"; do
    name=$(basename "$target")
    work=tests/fuzz/work/$name
    rm -rf "$work"
    mkdir -p "$work/corpus" || exit 1
    if [ -d "$corpus/$name" ]; then
        cp "$corpus/$name"/* "$work/corpus/" 2>/dev/null
        chmod u+w "$work/corpus"/* 2>/dev/null
    fi
    echo "fuzz-smoke: $name for ${seconds}s ($(ls "$work/corpus" | wc -l) seeds)"
    # -timeout: a slow unit is a finding; -rss_limit_mb: so is an input
    # that needs more than 2 GB.  Leaks are detected (LeakSanitizer).
    # -seed: a fixed seed (FUZZ_SEED, default 1) makes a run repeatable, a
    # slower machine running a prefix of the same inputs, so CI does not
    # turn red by chance; FUZZ_SEED=0 draws a fresh seed for exploring.
    if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
       UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
       "./$target" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" \
           -rss_limit_mb=2048 \
           -timeout=10 -print_final_stats=1 \
           -artifact_prefix="$work/" "$work/corpus" > "$work/log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb):' \
            "$work/log" | sed "s/^/fuzz-smoke: $name: /"
        echo "fuzz-smoke: $name: corpus $(ls "$work/corpus" | wc -l) files, no findings"
    else
        status=1
        tail -n 40 "$work/log"
        echo "fuzz-smoke: $name: FAILED; reproducer(s):" \
            $(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* \
                 "$work"/oom-* "$work"/slow-unit-* 2>/dev/null)
        echo "fuzz-smoke: full log in $work/log"
    fi
done
exit $status
