#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# latex-narrow.sh -- derivations on narrow pages (--textwidth 150pt to
# 240pt, a column or a small book), standalone, compiled twice: no
# overfull box, no undefined reference.  First the four cases of the
# session-21 review, each of which passed the margin before: a wide
# derivation's Portuguese heading without formula at 180pt (justified
# headings of a few long words in 12pt bold have no feasible break), the
# norm bound of a wide comparison at 150pt (its first line could not
# break), the plot of a wide derivation at 200pt (pgfplots' fixed 9 cm),
# and the chain of 10^6 layers at 200pt and 240pt (auto's elided product
# never broke, and the cascade's rows of 7-digit indices left too little
# room right of their variables).  Then a matrix at 200pt and 240pt, en
# and pt: the chain with every part at L = 4, 40 and 10^6 and several
# activations, expansions and costs, and wide layers with comparison,
# figure and plot (softplus' norm bound, the widest, in four lines).
# 49 documents, 98 pdflatex runs: about 50 s of CPU (1 to 3 minutes of
# wall time on the shared two-core machine).

set -e
. "$srcdir/tests/cli-lib.sh"
. "$srcdir/tests/latex-lib.sh"
command -v pdflatex >/dev/null 2>&1 \
    || skip "pdflatex is not installed: narrow pages not compiled"
for f in geometry.sty tikz.sty pgfplots.sty english.ldf brazilian.ldf; do
    [ -n "$(kpsewhich $f)" ] || skip "$f is not installed: narrow pages not compiled"
done

# narrow NAME ARGS...: gradchain derivation ARGS --standalone compiles
# twice with no overfull box and no undefined reference
n=0
narrow () {
    _f=narrow-$1
    shift
    run 0 derivation "$@" --standalone -o "$tmp/$_f.tex"
    compile "$_f"
    compile "$_f"
    checks=$((checks + 1))
    ! grep -a -A2 'Overfull \\[hv]box\|undefined' "$tmp/$_f.log" \
        || fail "$_f.tex ($*): a line passes the text width, or a reference is undefined"
}

# the review's four cases
narrow heading-pt --layers 4 --neurons n --lang pt --textwidth 180pt
narrow norm --layers 6 --neurons n --compare b3 --textwidth 150pt
narrow plot --layers 6 --neurons n --plot --textwidth 200pt
narrow deep-200 --layers 1000000 --textwidth 200pt
narrow deep-240 --layers 1000000 --textwidth 240pt

for tw in 200pt 240pt; do
    for l in en pt; do
        while read -r args; do
            n=$((n + 1))
            # shellcheck disable=SC2086
            narrow "$tw-$l-$n" $args --lang $l --textwidth $tw
        done <<EOF
--layers 4 --wrt b1 --compare b3 --figure --plot --part product,cascade,compare,figure,plot,general
--layers 12 --wrt w3 --cascade full --form expanded --expand exp --cost cross-entropy
--layers 8 --compare b8 --activation tanh --figure --plot --float --cost quadratic
--layers 1000000 --compare b3 --expand logistic --cascade none --plot
--layers 6 --activation per-layer --compare b6 --plot --form compact --cost cross-entropy
--layers 5 --activation softplus --plot --wrt w5 --cost quadratic
--layers 7 --wrt b2 --compare b7 --expand exp --form grouped --activation sigma
--layers 4 --neurons n --compare b3 --plot --figure --float --activation softplus
--layers 12 --neurons 64 --wrt w3[2,1] --cascade full --plot --activation relu
--layers 1000000 --neurons n --compare b999999 --plot --activation per-layer --figure
--layers 100 --neurons 64 --wrt b1[64] --break split --activation leaky-relu --plot
EOF
    done
done
finish
