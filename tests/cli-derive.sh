#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-derive.sh -- 'gradchain derive' and 'gradchain derivation': outputs,
# exit codes and messages, -o, write errors, the examples of
# doc/derivation.md, and the shipped examples/derivation-*.tex.

: "${GRADCHAIN:?GRADCHAIN must name the gradchain binary}"
: "${srcdir:=.}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect_out WHAT EXPECTED-FILE CMD...: exit 0 and exactly this stdout
expect_out () {
    what=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if test $rc -ne 0 || ! cmp -s "$want" "$tmp/out"; then
        echo "FAIL: $what (exit $rc)"; diff "$want" "$tmp/out"
        cat "$tmp/err"; fail=1
    fi
}

# expect_usage WHAT PATTERN CMD...: exit 2, nothing on stdout, the
# pattern and the --help hint on stderr
expect_usage () {
    what=$1 pat=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if test $rc -ne 2 || test -s "$tmp/out" \
        || ! grep -q -- "$pat" "$tmp/err" \
        || ! grep -q "Try 'gradchain --help'" "$tmp/err"; then
        echo "FAIL: $what: exit $rc, stderr:"; cat "$tmp/err"; fail=1
    fi
}

printf '%s\n' "dC/db_1 = sigma'(z_1) * w_2 * sigma'(z_2) * w_3 * sigma'(z_3) * w_4 * sigma'(z_4) * dC/da_4" >"$tmp/want"
expect_out "ascii b1" "$tmp/want" "$GRADCHAIN" derive --layers 4 --wrt b1 --format ascii

printf '%s\n' "a_1 * sigma'(z_2) * (w_3 * sigma'(z_3)) * (a_3 - y)" >"$tmp/want"
expect_out "grouped w2 quadratic" "$tmp/want" "$GRADCHAIN" derive --layers 3 --wrt w2 \
    --format ascii --form grouped --cost quadratic --no-lhs

printf '%s\n' "∂C/∂b₁ = σ′(z₁) (∏ₖ₌₂³ wₖ σ′(zₖ)) w₄ (a₄ − y)" >"$tmp/want"
expect_out "text compact cross-entropy" "$tmp/want" "$GRADCHAIN" derive --layers 4 \
    --format text --form compact --cost cross-entropy

cat >"$tmp/want" <<'EOT'
\begin{equation}
  \frac{\partial C}{\partial b_{2}} = f_{2}'(z_{2})\,w_{3}\,f_{3}'(z_{3})\,\frac{\partial C}{\partial a_{3}}
\end{equation}
EOT
expect_out "latex per-layer" "$tmp/want" "$GRADCHAIN" derive --layers 3 --wrt b2 \
    --activation per-layer

# -o writes the file and nothing on stdout
"$GRADCHAIN" derive --layers 2 --format ascii -o "$tmp/d.txt" >"$tmp/out" 2>&1
if test $? -ne 0 || test -s "$tmp/out" || ! grep -q "dC/da_2" "$tmp/d.txt"; then
    echo "FAIL: -o"; fail=1
fi

# documents
"$GRADCHAIN" derivation --layers 4 --wrt b1 --compare b3 --figure --plot-sigma \
    --standalone --lang pt >"$tmp/d.tex" 2>"$tmp/err"
if test $? -ne 0 || ! grep -q '^\\documentclass' "$tmp/d.tex" \
    || ! grep -q 'usepackage\[brazilian\]{babel}' "$tmp/d.tex" \
    || ! grep -q 'pelo menos 16 vezes menor' "$tmp/d.tex" \
    || ! grep -q '^\\end{document}' "$tmp/d.tex"; then
    echo "FAIL: standalone pt"; cat "$tmp/err"; fail=1
fi
# the shipped examples are what gradchain writes today
expect_out "examples/derivation-en.tex" "$srcdir/examples/derivation-en.tex" \
    "$GRADCHAIN" derivation --layers 4 --wrt b1 --compare b3 --figure --plot-sigma \
    --standalone
expect_out "examples/derivation-pt.tex" "$srcdir/examples/derivation-pt.tex" \
    "$GRADCHAIN" derivation --layers 4 --wrt b1 --compare b3 --figure --plot-sigma \
    --standalone --lang pt
"$GRADCHAIN" derivation --layers 4 --wrt b3 --compare b1 >"$tmp/f.tex" 2>"$tmp/err"
if test $? -ne 0 || ! head -n 1 "$tmp/f.tex" | grep -q '^% gradchain derivation' \
    || grep -q documentclass "$tmp/f.tex" \
    || ! grep -q 'at least 16 times smaller' "$tmp/f.tex"; then
    echo "FAIL: fragment, swapped comparison"; cat "$tmp/err"; fail=1
fi

for cmd in derive derivation; do
    "$GRADCHAIN" $cmd --help >"$tmp/out" 2>&1
    if test $? -ne 0 || ! grep -q "^Usage: gradchain $cmd" "$tmp/out"; then
        echo "FAIL: $cmd --help"; fail=1
    fi
done

# bad requests: exit 2 and a clear message
expect_usage "j > L" "layer 5 out of range 1..4" "$GRADCHAIN" derive --layers 4 --wrt b5
expect_usage "L = 0" "expected an integer from 1" "$GRADCHAIN" derive --layers 0
expect_usage "no L" "missing --layers" "$GRADCHAIN" derive --wrt b1
expect_usage "bad wrt" "expected a parameter bJ or wJ" "$GRADCHAIN" derive --layers 4 --wrt c1
expect_usage "activation" "unknown activation 'tanh'" "$GRADCHAIN" derive --layers 4 --activation tanh
expect_usage "form" "unknown form 'wide'" "$GRADCHAIN" derive --layers 4 --form wide
expect_usage "format" "unknown format 'rtf'" "$GRADCHAIN" derive --layers 4 --format rtf
expect_usage "expand f" "needs --activation sigma" "$GRADCHAIN" derive --layers 4 --activation f --expand exp
expect_usage "operand" "unexpected operand" "$GRADCHAIN" derive --layers 4 extra
expect_usage "b1 with b1" "cannot be compared with itself" "$GRADCHAIN" derivation --layers 4 --wrt b1 --compare b1
expect_usage "compare w" "only biases bK can be compared" "$GRADCHAIN" derivation --layers 4 --compare w2
expect_usage "compare > L" "not in 1..L" "$GRADCHAIN" derivation --layers 4 --compare b9
expect_usage "compare with weight" "only biases" "$GRADCHAIN" derivation --layers 4 --wrt w1 --compare b2
expect_usage "figure L" "at most 12 layers" "$GRADCHAIN" derivation --layers 13 --figure
expect_usage "lang" "unknown language 'fr'" "$GRADCHAIN" derivation --layers 4 --lang fr

# an unwritable output: exit 2 and no file
"$GRADCHAIN" derive --layers 4 -o "$tmp/no/such/dir/x.tex" >/dev/null 2>&1
if test $? -ne 2 || test -e "$tmp/no/such/dir/x.tex"; then
    echo "FAIL: unwritable -o"; fail=1
fi
if test -w /dev/full; then
    "$GRADCHAIN" derivation --layers 4 --figure >/dev/full 2>"$tmp/err"
    if test $? -ne 2 || ! grep -q "write error" "$tmp/err"; then
        echo "FAIL: /dev/full"; cat "$tmp/err"; fail=1
    fi
fi

# the examples of doc/derivation.md
sed -n 's/^    \$ gradchain /gradchain /p' "$srcdir/doc/derivation.md" >"$tmp/examples"
test -s "$tmp/examples" || { echo "FAIL: no examples in doc/derivation.md"; fail=1; }
while read -r line; do
    (cd "$tmp" && eval "\"\$GRADCHAIN\" ${line#gradchain }") >/dev/null 2>"$tmp/err" \
        || { echo "FAIL: example: $line"; cat "$tmp/err"; fail=1; }
done <"$tmp/examples"

exit $fail
