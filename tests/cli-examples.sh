#!/bin/sh
# Every command shown in README.md ("$ gradchain ...") and under EXAMPLES
# in the man page (man/gradchain.x) runs and succeeds (jq's man.test idea):
# documentation that drifts from the program fails here.
set -e
. "$srcdir/tests/cli-lib.sh"

cd "$tmp"
{
    sed -n 's/^\$ gradchain //p' "$srcdir/README.md"
    sed -n '/^\[EXAMPLES\]/,/^\[/{/^gradchain /{s/^gradchain //;s/\\-/-/g;p}}' \
        "$srcdir/man/gradchain.x"
} | sed "s|tests/data/ref/|$REF/|g; s|net\.txt|$REF/n4_s0.net|g" > examples.txt

n=$(wc -l < examples.txt)
checks=$((checks + 1))
[ "$n" -ge 8 ] || fail "only $n documented examples found"

while IFS= read -r cmd; do
    rm -f ./*.tex
    # shellcheck disable=SC2086 # the example's words are the arguments
    run 0 $cmd
    checks=$((checks + 1))
    [ -s out ] || ls ./*.tex >/dev/null 2>&1 || fail "gradchain $cmd: no output"
done < examples.txt

finish
