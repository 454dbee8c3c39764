#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# 'gradchain derive --neurons' and 'gradchain derivation --neurons': the
# gradient of layers of several neurons (issue 13), its forms, the chain
# as the case of one neuron, and the usage errors.

set -e
. "$srcdir/tests/cli-lib.sh"

G=$srcdir/tests/data/golden

# ---- derive: written out by hand from Nielsen's formula -------------------
cat >"$tmp/want" <<'EOT'
\begin{equation}
  \frac{\partial C}{\partial b^{1}} = \Sigma'(z^{1})\,(W^{2})^{T}\,\Sigma'(z^{2})\,\nabla_{a} C
\end{equation}
EOT
run 0 derive --layers 2 --neurons n
same "$tmp/out" "$tmp/want" "matrix form, L = 2, latex"
printf '%s\n' '∂C/∂b¹ = Σ′(z¹) (W²)ᵀ Σ′(z²) ∇ₐC' >"$tmp/want"
run 0 derive --layers 2 --neurons 3 --format text
same "$tmp/out" "$tmp/want" "matrix form, L = 2, text"
printf '%s\n' "dC/db^1 = Sigma'(z^1) * (W^2)^T * Sigma'(z^2) * (a^2 - y)" >"$tmp/want"
run 0 derive --layers 2 --neurons 3 --format ascii --cost quadratic
same "$tmp/out" "$tmp/want" "matrix form, L = 2, ascii, quadratic"
# the cross-entropy with a sigmoid: Sigma'(z^L) grad_a C = a^L - y
printf '%s\n' "dC/db^1 = Sigma'(z^1) * (W^2)^T * (a^2 - y)" >"$tmp/want"
run 0 derive --layers 2 --neurons 3 --format ascii --cost cross-entropy
same "$tmp/out" "$tmp/want" "matrix form, cross-entropy simplified"
# one bias: the nested sum over the neurons of the later layers
cat >"$tmp/want" <<'EOT'
\begin{equation}
  \frac{\partial C}{\partial b^{1}_{2}} = \sigma'(z^{1}_{2})\,\sum_{k_{2}=1}^{n} w^{2}_{k_{2},2}\,\sigma'(z^{2}_{k_{2}})\,\frac{\partial C}{\partial a^{2}_{k_{2}}}
\end{equation}
EOT
run 0 derive --layers 2 --neurons n --wrt 'b1[2]'
same "$tmp/out" "$tmp/want" "entry-wise sum, L = 2, latex"
printf '%s\n' "dC/db^2[i] = sigma'(z^2[i]) * dC/da^2[i]" >"$tmp/want"
run 0 derive --layers 2 --neurons 64 --wrt 'b2[i]' --format ascii
same "$tmp/out" "$tmp/want" "entry of the last layer: no sum"
printf '%s\n' "dC/dw^2[i,j] = a^1[j] * sigma'(z^2[i]) * dC/da^2[i]" >"$tmp/want"
run 0 derive --layers 2 --neurons n --wrt 'w2[i,j]' --format ascii
same "$tmp/out" "$tmp/want" "entry of a weight"
printf '%s\n' "dC/dW^2 = Sigma'(z^2) * grad_a C * (a^1)^T" >"$tmp/want"
run 0 derive --layers 2 --neurons n --wrt w2 --format ascii
same "$tmp/out" "$tmp/want" "weights: delta (a^{J-1})^T"
# --no-lhs: the product alone, for inline math
printf '%s\n' "\\Sigma'(z^{2})\\,\\nabla_{a} C" >"$tmp/want"
run 0 derive --layers 2 --neurons n --wrt b2 --no-lhs
same "$tmp/out" "$tmp/want" "--no-lhs"
run 0 derive --layers 2 --neurons n --label ch5
has "$tmp/out" '\label{ch5:matrix}' "--label, matrix form"
run 0 derive --layers 2 --neurons n --wrt 'b1[i]' --label ch5
has "$tmp/out" '\label{ch5:entry}' "--label, entry"

# the compact form is an ordered product, and says so
run 0 derive --layers 5 --neurons n --form compact --format text
printf '%s\n' '∂C/∂b¹ = Σ′(z¹) (∏ₖ₌₂⁵ (Wᵏ)ᵀ Σ′(zᵏ)) ∇ₐC   (k = 2, …, 5 from left to right)' \
    >"$tmp/want"
same "$tmp/out" "$tmp/want" "compact, ordered"

# the elided sums fit --width: fewer sums kept around the ellipsis, down
# to the first and the last (written out by hand)
printf '%s\n' '∂C/∂b¹[i] = σ′(z¹[i]) ∑ₖ₂₌₁ⁿ w²[k₂,i] σ′(z²[k₂]) ⋯ ∑ₖ₁₂₌₁ⁿ w¹²[k₁₂,k₁₁] σ′(z¹²[k₁₂]) ∂C/∂a¹²[k₁₂]' \
    >"$tmp/want"
for x in auto elided; do
    run 0 derive --layers 12 --neurons n --wrt 'b1[i]' --format text --form $x --width 100
    same "$tmp/out" "$tmp/want" "--form $x: the sums elided to --width 100"
done
run 0 derive --layers 12 --neurons n --wrt 'b1[i]' --format text --width 150
checks=$((checks + 1))
[ "$(wc -m <"$tmp/out")" -le 151 ] && grep -q 'σ′(z³\[k₃\]) ⋯' "$tmp/out" \
    || fail "--width 150: two sums before the ellipsis, within the width"
# with --break, lines of at most --width characters
run 0 derive --layers 12 --neurons n --wrt 'w3[i,j]' --format ascii --form elided \
    --width 60 --break multline
checks=$((checks + 1))
[ "$(awk 'length($0) > 60' "$tmp/out" | wc -l)" = 0 ] \
    || fail "--break multline --width 60: a line passes 60"
has "$tmp/out" '...' "--break multline --width 60: elided"

# --neurons 1 is the chain, byte for byte
for a in "--wrt b1" "--wrt w2 --format ascii --form grouped" \
    "--wrt b2 --format text --cost cross-entropy" "--wrt bj --format text" \
    "--wrt b1 --break multline --width 40 --activation tanh" "--no-lhs"; do
    # shellcheck disable=SC2086
    run 0 derive --layers 6 $a
    cp "$tmp/out" "$tmp/chain"
    # shellcheck disable=SC2086
    run 0 derive --layers 6 $a --neurons 1
    same "$tmp/out" "$tmp/chain" "--neurons 1 $a is the chain"
done

# every format, numeric and symbolic width, bJ and bJ[i], forms and
# breaks: the golden file was read against the formulas above
: >"$tmp/all"
for n in 64 n; do
    for f in latex text ascii; do
        for w in b1 'b3[2]' w2 'w2[i,j]'; do
            for x in auto expanded compact grouped elided; do
                "$GRADCHAIN" derive --layers 8 --neurons $n --wrt "$w" --format $f \
                    --form $x >>"$tmp/all" 2>/dev/null || :
            done
        done
        "$GRADCHAIN" derive --layers 12 --neurons $n --wrt 'b1[i]' --format $f \
            --break split >>"$tmp/all"
        "$GRADCHAIN" derive --layers 12 --neurons $n --format $f --form expanded \
            --break multline --activation per-layer >>"$tmp/all"
    done
done
same "$tmp/all" "$G/derive-wide.txt" "wide forms"
# every activation names its diagonal matrix as the chain names f'
: >"$tmp/acts"
for a in sigma f per-layer tanh relu leaky-relu softplus identity gelu; do
    "$GRADCHAIN" derive --layers 2 --neurons n --activation $a --format text >>"$tmp/acts"
    "$GRADCHAIN" derive --layers 2 --neurons n --activation $a --wrt 'b1[i]' >>"$tmp/acts"
done
same "$tmp/acts" "$G/derive-wide-acts.txt" "wide activations"

# ---- derive: usage errors ---------------------------------------------------
usage_error "width 0" "--neurons: a width is a number 1..100000000 or one of the letters i, j, m, n, got '0'" \
    derive --layers 3 --neurons 0
usage_error "width k" "got 'k'" derive --layers 3 --neurons k
usage_error "entry without width" "--wrt b1[2]: an entry needs --neurons N" \
    derive --layers 3 --wrt 'b1[2]'
usage_error "neuron out of range" "--wrt b1[5]: neuron 5 out of range 1..4" \
    derive --layers 3 --neurons 4 --wrt 'b1[5]'
usage_error "letter of the width" "the letter n is the width of --neurons" \
    derive --layers 3 --neurons n --wrt 'b1[n]'
usage_error "bias with two indices" "the entry of a bias is bJ[i], of a weight wJ[i,j], got 'b1[1,2]'" \
    derive --layers 3 --neurons n --wrt 'b1[1,2]'
usage_error "weight with one index" "got 'w1[2]'" \
    derive --layers 3 --neurons n --wrt 'w1[2]'
usage_error "unclosed entry" "an entry is bJ[i] or wJ[i,j]" \
    derive --layers 3 --neurons n --wrt 'b1[2'
usage_error "entry 0" "an entry is bJ[i] or wJ[i,j]" \
    derive --layers 3 --neurons n --wrt 'b1[0]'
usage_error "layer out of range" "--wrt: layer 4 out of range 1..3" \
    derive --layers 3 --neurons n --wrt 'b4[1]'
usage_error "general formula" "--wrt bj: the general formula is the chain's" \
    derive --layers 3 --neurons n --wrt bj
usage_error "expand" "--expand closed: with --neurons, f' is written abstractly" \
    derive --layers 3 --neurons n --expand closed
usage_error "cross-entropy without sigma" "--cost cross-entropy with --neurons is written for --activation sigma" \
    derive --layers 3 --neurons n --activation f --cost cross-entropy
usage_error "compact entry" "--form compact: the entry-wise sum b1[i] has no such form" \
    derive --layers 3 --neurons n --wrt 'b1[i]' --form compact
usage_error "grouped entry" "--form grouped: the entry-wise sum" \
    derive --layers 3 --neurons n --wrt 'b1[i]' --form grouped
usage_error "no-lhs break" "--break: --no-lhs prints the product on one line" \
    derive --layers 3 --neurons n --no-lhs --break multline
usage_error "label in text" "--label: only LaTeX has labels" \
    derive --layers 3 --neurons n --format text --label x

# ---- derivation --neurons ----------------------------------------------------
# golden files, read against the formulas above and the prose: en and pt,
# fragment and standalone, numeric and symbolic width, bias and weight
run 0 derivation --layers 4 --neurons n
same "$tmp/out" "$G/doc-wide-en.tex" "wide derivation, en"
run 0 derivation --layers 4 --neurons 64 --wrt 'w2[3,1]' --lang pt \
    --cost cross-entropy --form compact
same "$tmp/out" "$G/doc-wide-pt.tex" "wide derivation, pt, weight"
run 0 derivation --layers 12 --neurons 64 --wrt 'b1[2]' --cost quadratic \
    --standalone
same "$tmp/out" "$G/doc-wide-en-standalone.tex" "wide derivation, standalone"
run 0 derivation --layers 100 --neurons n --lang pt --standalone \
    --textwidth 118mm --textheight 170mm
same "$tmp/out" "$G/doc-wide-pt-standalone.tex" "wide derivation, pt, A5"
# past 4 lines the matrix form is a \prod, in order, and the sums elided
has "$tmp/out" '\prod_{k=2}^{100}' "deep: the matrix form as a prod"
has "$tmp/out" 'os fatores do $\prod$ de $k = 2$, à esquerda, a $k = 100$, à direita' \
    "deep: the order of the prod, pt"
has "$tmp/out" '\cdots' "deep: the sums elided"
has "$tmp/out" 'textheight=483.70pt]{geometry}' \
    "deep: the small page"
# labels: the chain's key and the width, unique per derivation
run 0 derivation --layers 4 --neurons n
has "$tmp/out" '\label{gradchain:L4-b1-nn:matrix}' "derived label, n"
run 0 derivation --layers 4 --neurons n --standalone --textheight 170mm
has "$tmp/out" '\label{gradchain:L4-b1-nn:matrix}' "the text height is no key"
run 0 derivation --layers 4 --neurons 64 --wrt 'b2[3]'
has "$tmp/out" '\label{gradchain:L4-b2-n64-i3:entry}' "derived label, entry"
run 0 derivation --layers 4 --neurons 64 --label ch5:wide
has "$tmp/out" '\label{ch5:wide:matrix}' "--label, matrix"
has "$tmp/out" '\label{ch5:wide:entry}' "--label, entry"
has "$tmp/out" '\label{ch5:wide:chain}' "--label, chain"
has "$tmp/out" '\eqref{ch5:wide:matrix}' "--label, reference"
# --neurons 1 is the chain's document, byte for byte
run 0 derivation --layers 4 --compare b3 --figure --lang pt
cp "$tmp/out" "$tmp/chain"
run 0 derivation --layers 4 --compare b3 --figure --lang pt --neurons 1
same "$tmp/out" "$tmp/chain" "derivation --neurons 1 is the chain"

# ---- derivation at the output layer (J = L): no product of matrices, no
# transpose, no sum, in both languages and for biases and weights
for l in en pt; do
    for w in 'b5[i]' 'w5[i,j]'; do
        for c in quadratic cross-entropy; do
            run 0 derivation --layers 5 --neurons n --wrt "$w" --cost $c --lang $l
            checks=$((checks + 1))
            ! grep -v '^%' "$tmp/out" | grep -q 'product of matrices\|produto de matrizes\|transpose\|transposta\|nested sum\|soma aninhada\|single term \$k\|único termo, \$k' \
                || fail "derivation --wrt $w --cost $c --lang $l: prose of an inner layer"
        done
    done
done
has "$tmp/out" 'não precisa de retropropaga' 'pt: the output layer needs no backpropagation'

# ---- derivation --neurons: the chain's parts (cascade, compare, plot) -----
# golden files, read against backpropagation (delta^L = S'(z^L) grad_a C,
# delta^l = S'(z^l) (W^{l+1})^T delta^{l+1}) and the prose: every part,
# en and pt, colours and floats, full and elided cascade
run 0 derivation --layers 6 --neurons n --compare b4 --plot --float
same "$tmp/out" "$G/doc-wide-parts-en.tex" "wide parts, en"
run 0 derivation --layers 20 --neurons 64 --wrt 'b15[3]' --compare b2 --plot \
    --activation tanh --cost quadratic --color none --lang pt --standalone
same "$tmp/out" "$G/doc-wide-parts-pt.tex" "wide parts, pt, tanh, no colour"
# the cascade, row by row: numbered, from delta^L down to the gradient
run 0 derivation --layers 5 --neurons n --wrt w3 --part cascade --cost cross-entropy
cat >"$tmp/want" <<'EOT'
\begin{align}
  \delta^{5} &= a^{5} - y \\
  \delta^{4} &= \Sigma'(z^{4})\,(W^{5})^{T}\,\delta^{5} \\
  \delta^{3} &= \Sigma'(z^{3})\,(W^{4})^{T}\,\delta^{4} \\
  \frac{\partial C}{\partial W^{3}} &= \delta^{3}\,(a^{2})^{T}
\end{align}
EOT
sed -n '/^\\begin{align}/,/^\\end{align}/p' "$tmp/out" >"$tmp/got"
same "$tmp/got" "$tmp/want" "the cascade of w3, cross-entropy"
has "$tmp/out" '\ifcsname r@gradchain:L5-w3-cross-entropy-nn:matrix\endcsname' \
    "--part cascade: the matrix form by reference if defined"
has "$tmp/out" '% It defines no label.' "--part cascade: no label"
empty_of () { ! grep -q "$2" "$1"; }
checks=$((checks + 1))
empty_of "$tmp/out" 'subsection\*{The gradient in matrix form' \
    || fail "--part cascade wrote the product"
# elided past 12 rows as the chain's: the first 4, \vdots, the last 3
run 0 derivation --layers 100 --neurons n --part cascade --activation per-layer
checks=$((checks + 1))
[ "$(grep -c '&= ' "$tmp/out")" = 7 ] && grep -q '\\vdots' "$tmp/out" \
    || fail "--cascade elided: not 7 rows and a \\vdots"
has "$tmp/out" '\delta^{97} &= \operatorname{diag}\bigl(f_{97}'"'"'(z^{97})\bigr)\,(W^{98})^{T}\,\delta^{98}' \
    "per-layer: f_{97}'"
run 0 derivation --layers 100 --neurons n --part cascade --cascade full
checks=$((checks + 1))
[ "$(grep -c '&= ' "$tmp/out")" = 101 ] || fail "--cascade full: not 101 rows"
run 0 derivation --layers 6 --neurons n --cascade none
checks=$((checks + 1))
empty_of "$tmp/out" 'begin{align}' || fail "--cascade none wrote a cascade"
# the comparison: the smaller layer is the extra factors times the other,
# elided past three pairs; --color none has no colour command
run 0 derivation --layers 30 --neurons n --wrt b25 --compare b3 --part compare --color none
has "$tmp/out" '\frac{\partial C}{\partial b^{3}} = \Sigma'"'"'(z^{3})\,(W^{4})^{T}\,\cdots\,\Sigma'"'"'(z^{24})\,(W^{25})^{T}\,\frac{\partial C}{\partial b^{25}}' \
    "compare b3 with b25, elided"
has "$tmp/out" 'at least $4^{22}$ times smaller' "compare: 4^(k-i)"
checks=$((checks + 1))
empty_of "$tmp/out" 'color' || fail "--color none wrote a colour"
# --plot is the chain's plot, labelled with the wide prefix
run 0 derivation --layers 4 --neurons 8 --part plot --plot --float --activation relu
run 0 derivation --layers 4 --part plot --plot --float --activation relu
cp "$tmp/out" "$tmp/chainplot"
run 0 derivation --layers 4 --neurons 8 --part plot --plot --float --activation relu
sed -n '/^\\subsection/,$p' "$tmp/chainplot" | sed 's/gradchain:L4-b1-relu:/P:/g' >"$tmp/want"
sed -n '/^\\subsection/,$p' "$tmp/out" | sed 's/gradchain:L4-b1-relu-n8:/P:/g' >"$tmp/got"
same "$tmp/got" "$tmp/want" "--plot: the chain's plot"
has "$tmp/out" '% Labels: gradchain:L4-b1-relu-n8:plot (the plot).' "--plot --float: its label"
# labels: a comparison is in the key, so two derivations never meet
run 0 derivation --layers 6 --neurons n --compare b3
has "$tmp/out" '\label{gradchain:L6-b1-b3-nn:matrix}' "the comparison is in the label"

# ---- derivation --neurons --figure: the network as Nielsen draws it ---------
# written by hand from the layout: columns 22 mm apart (a^0, layers 1..3),
# neurons 9 mm apart, each labelled under its column 6 mm below its last
# neuron, every neuron of a column joined to every neuron of the next, W^l
# over the middle of the lines; layer J = 1 thick (no colour)
run 0 derivation --layers 3 --neurons 2 --part figure --color none
cat >"$tmp/want" <<'EOT'
\begin{tikzpicture}[x=1mm,y=1mm,
  neuron/.style={circle,draw,minimum size=6mm,inner sep=0pt},
  hj/.style={very thick},
  hk/.style={very thick,dashed}]
  \node[neuron] (c0-0) at (0,0) {};
  \node[neuron] (c0-1) at (0,-9) {\scriptsize $2$};
  \node[anchor=north,align=center] at (0,-15) {$a^{0}$};
  \node[neuron,hj] (c1-0) at (22,0) {};
  \node[neuron,hj] (c1-1) at (22,-9) {\scriptsize $2$};
  \node[anchor=north,align=center] at (22,-15) {$z^{1}$\\ $\Sigma'(z^{1})$};
  \node[neuron] (c2-0) at (44,0) {};
  \node[neuron] (c2-1) at (44,-9) {\scriptsize $2$};
  \node[anchor=north,align=center] at (44,-15) {$z^{2}$\\ $\Sigma'(z^{2})$};
  \node[neuron] (c3-0) at (66,0) {};
  \node[neuron] (c3-1) at (66,-9) {\scriptsize $2$};
  \node[anchor=north,align=center] at (66,-15) {$z^{3}$\\ $\Sigma'(z^{3})$};
  \draw[thin] (c0-0) -- (c1-0);
  \draw[thin] (c0-0) -- (c1-1);
  \draw[thin] (c0-1) -- (c1-0);
  \draw[thin] (c0-1) -- (c1-1);
  \node[anchor=south] at (11,6) {$W^{1}$};
  \draw[thin] (c1-0) -- (c2-0);
  \draw[thin] (c1-0) -- (c2-1);
  \draw[thin] (c1-1) -- (c2-0);
  \draw[thin] (c1-1) -- (c2-1);
  \node[anchor=south] at (33,6) {$W^{2}$};
  \draw[thin] (c2-0) -- (c3-0);
  \draw[thin] (c2-0) -- (c3-1);
  \draw[thin] (c2-1) -- (c3-0);
  \draw[thin] (c2-1) -- (c3-1);
  \node[anchor=south] at (55,6) {$W^{3}$};
\end{tikzpicture}}
EOT
sed -n '/^\\begin{tikzpicture}/,/^\\end{tikzpicture}/p' "$tmp/out" >"$tmp/got"
same "$tmp/got" "$tmp/want" "--figure: two neurons, three layers"
has "$tmp/out" '% It defines no label.' "--figure without --float: no label"
checks=$((checks + 1))
empty_of "$tmp/out" 'gradchain-' || fail "--color none: a colour in the figure"
# five neurons: three, \vdots, and the fifth labelled 5; 4 x 4 lines
run 0 derivation --layers 2 --neurons 5 --part figure
checks=$((checks + 1))
[ "$(grep -c '^  \\node\[neuron' "$tmp/out")" = 12 ] \
    && [ "$(grep -c '^  \\draw\[thin\]' "$tmp/out")" = 32 ] \
    && [ "$(grep -c '{\\scriptsize \$5\$}' "$tmp/out")" = 3 ] \
    && [ "$(grep -c '{\$\\vdots\$}' "$tmp/out")" = 3 ] \
    || fail "--neurons 5: 4 circles and a \\vdots a column, 16 lines a layer"
has "$tmp/out" '\node[neuron] (c0-3) at (0,-36) {\scriptsize $5$};' \
    "--neurons 5: the last neuron after the \\vdots"
# elided on A4's text width (160 mm, 158 mm of figure at most): a^0, 19,
# 20, 21, 39, 40, with \cdots in the two gaps (33 mm each), 154 mm wide
# (half a column of labels each side); no W^l over a gap
run 0 derivation --layers 40 --neurons n --wrt b20 --part figure --figure \
    --textwidth 160mm
grep -o 'at ([0-9]*,-42) {\$[az]^{[0-9]*}\$' "$tmp/out" | tr '\n' ' ' >"$tmp/got"
printf '%s ' 'at (0,-42) {$a^{0}$' 'at (33,-42) {$z^{19}$' \
    'at (55,-42) {$z^{20}$' 'at (77,-42) {$z^{21}$' 'at (110,-42) {$z^{39}$' \
    'at (132,-42) {$z^{40}$' >"$tmp/want"
same "$tmp/got" "$tmp/want" "--figure: the columns kept past the text width"
grep -o '{\$W^{[0-9]*}\$}\|{\$\\cdots\$}' "$tmp/out" | tr '\n' ' ' >"$tmp/got"
printf '%s ' '{$\cdots$}' '{$W^{20}$}' '{$W^{21}$}' '{$\cdots$}' \
    '{$W^{40}$}' >"$tmp/want"
same "$tmp/got" "$tmp/want" "--figure: W^l between adjacent columns, \\cdots in gaps"
checks=$((checks + 1))
[ "$(grep -c '\\node\[neuron,hj\] (c2-' "$tmp/out")" = 4 ] \
    && [ "$(grep -c 'neuron,h' "$tmp/out")" = 4 ] \
    || fail "--figure: only the column of layer 20 highlighted"
# at the default 345pt (119 mm): 21 would make it 132 mm, 39 too
run 0 derivation --layers 40 --neurons n --wrt b20 --part figure --figure
grep -o 'at ([0-9]*,-42) {\$[az]^{[0-9]*}\$' "$tmp/out" | tr '\n' ' ' >"$tmp/got"
printf '%s ' 'at (0,-42) {$a^{0}$' 'at (33,-42) {$z^{19}$' \
    'at (55,-42) {$z^{20}$' 'at (88,-42) {$z^{40}$' >"$tmp/want"
same "$tmp/got" "$tmp/want" "--figure: the columns kept at 345pt"
# the compared layer: thick and dashed, in the shared colour
run 0 derivation --layers 6 --neurons n --compare b4 --part figure --figure
checks=$((checks + 1))
[ "$(grep -c '\\node\[neuron,hj\] (c1-' "$tmp/out")" = 4 ] \
    && [ "$(grep -c '\\node\[neuron,hk\] (c4-' "$tmp/out")" = 4 ] \
    || fail "--figure --compare: the two layers highlighted"
has "$tmp/out" 'hk/.style={very thick,dashed,draw=gradchain-shared,fill=gradchain-shared!20}]' \
    "--figure --compare: the shared colour"
# golden files, read against the reference figures: en with a comparison
# and a float, pt on a small page, elided, without colour
run 0 derivation --layers 6 --neurons n --compare b4 --figure --float
same "$tmp/out" "$G/doc-wide-figure-en.tex" "wide figure, en"
has "$tmp/out" '% gradchain:L6-b1-b4-nn:figure (the figure).' "--figure --float: its label"
run 0 derivation --layers 30 --neurons 64 --wrt 'w2[3,1]' --figure --lang pt \
    --textwidth 118mm --textheight 170mm --color none --standalone
same "$tmp/out" "$G/doc-wide-figure-pt.tex" "wide figure, pt, small page"

# ---- derivation: usage errors -------------------------------------------------
usage_error "derivation --neurons --part general" \
    "--part general: with --neurons the derivation has no general formula" \
    derivation --layers 4 --neurons n --part general
usage_error "derivation --neurons --float" \
    "--float: no figure or plot to float; add --figure or --plot" \
    derivation --layers 4 --neurons n --float
usage_error "derivation --neurons --compare out of range" \
    "--compare: layer 9 out of range 1..4, got 'b9'" \
    derivation --layers 4 --neurons n --compare b9
usage_error "derivation --neurons --compare itself" \
    "--compare b2: a bias cannot be compared with itself" \
    derivation --layers 4 --neurons n --wrt 'b2[1]' --compare b2
usage_error "derivation --neurons --compare weight" \
    "--compare b2: only biases can be compared" \
    derivation --layers 4 --neurons n --wrt w3 --compare b2
usage_error "derivation --neurons --part compare" "--part compare needs --compare bK" \
    derivation --layers 4 --neurons n --part compare
usage_error "derivation --neurons empty" "--part cascade --cascade none: the document would be empty" \
    derivation --layers 4 --neurons n --part cascade --cascade none
usage_error "derivation --neurons --cascade full too big" \
    "--layers 1000000 with --cascade full: the document would take about 120 MB" \
    derivation --layers 1000000 --neurons n --cascade full
usage_error "derivation, entry out of range" "--wrt b1[9]: neuron 9 out of range 1..8" \
    derivation --layers 4 --neurons 8 --wrt 'b1[9]'
usage_error "derivation, general" "--wrt bj: the general formula is the chain's" \
    derivation --layers 4 --neurons n --wrt bj
usage_error "derivation, expanded too big" "--layers 100000 with --form expanded: the document would take about 24 MB" \
    derivation --layers 100000 --neurons n --form expanded

finish
