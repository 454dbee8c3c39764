#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# man-symbols.sh -- man/gradchain.3 documents every function the built
# library exports: each gc_/_gc_ symbol of libgradchain's dynamic symbol
# table needs a prototype line in the page, written as
#     int  \fBgc_foo_bar\fR(gc_foo_t res, ...);
# in the section of its header.  Skipped when the library was built
# without a shared object (--disable-shared) or nm is missing.
set -e
. "$srcdir/tests/cli-lib.sh"
: "${builddir:?builddir is not set}"
page="$srcdir/man/gradchain.3"

command -v nm >/dev/null 2>&1 || skip "nm is not installed"
# the shared object, by the name libtool recorded (libgradchain.so.0 here)
dlname=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$builddir/libgradchain.la")
[ -n "$dlname" ] && [ -f "$builddir/.libs/$dlname" ] \
    || skip "no shared libgradchain in $builddir/.libs"
nm -D --defined-only "$builddir/.libs/$dlname" \
    | awk '$2 ~ /^[TWi]$/ && $3 ~ /^_?gc_/ { print $3 }' | sort -u >"$tmp/syms"

checks=$((checks + 1))
[ "$(wc -l <"$tmp/syms")" -ge 50 ] \
    || fail "only $(wc -l <"$tmp/syms") gc_ functions exported by $dlname"
while read -r sym; do
    checks=$((checks + 1))
    grep -qF -- "\\fB$sym\\fR(" "$page" \
        || fail "$sym is exported but man/gradchain.3 has no prototype for it"
done <"$tmp/syms"

finish
