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

set -e
. "$srcdir/tests/cli-lib.sh"

printf '%s\n' "dC/db_1 = sigma'(z_1) * w_2 * sigma'(z_2) * w_3 * sigma'(z_3) * w_4 * sigma'(z_4) * dC/da_4" >"$tmp/want"
run 0 derive --layers 4 --wrt b1 --format ascii
same "$tmp/out" "$tmp/want" "ascii b1"

printf '%s\n' "a_1 * sigma'(z_2) * (w_3 * sigma'(z_3)) * (a_3 - y)" >"$tmp/want"
run 0 derive --layers 3 --wrt w2 --format ascii --form grouped --cost quadratic --no-lhs
same "$tmp/out" "$tmp/want" "grouped w2 quadratic"

printf '%s\n' "∂C/∂b₁ = σ′(z₁) (∏ₖ₌₂³ wₖ σ′(zₖ)) w₄ (a₄ − y)" >"$tmp/want"
run 0 derive --layers 4 --format text --form compact --cost cross-entropy
same "$tmp/out" "$tmp/want" "text compact cross-entropy"

cat >"$tmp/want" <<'EOT'
\begin{equation}
  \frac{\partial C}{\partial b_{2}} = f_{2}'(z_{2})\,w_{3}\,f_{3}'(z_{3})\,\frac{\partial C}{\partial a_{3}}
\end{equation}
EOT
run 0 derive --layers 3 --wrt b2 --activation per-layer
same "$tmp/out" "$tmp/want" "latex per-layer"

# the activations of the numeric side: abstract and closed-form
# derivatives, in each format (see the table in symbolic.h)
printf '%s\n' "dC/db_1 = tanh'(z_1) * w_2 * tanh'(z_2) * dC/da_2" >"$tmp/want"
run 0 derive --layers 2 --activation tanh --format ascii
same "$tmp/out" "$tmp/want" "ascii tanh"
printf '%s\n' "dC/db_1 = (1 - tanh(z_1)^2) * w_2 * (1 - tanh(z_2)^2) * (a_2 - y)" >"$tmp/want"
run 0 derive --layers 2 --activation tanh --expand closed --cost quadratic --format ascii
same "$tmp/out" "$tmp/want" "ascii tanh closed"
printf '%s\n' "∂C/∂b₁ = 𝟏[z₁ > 0] w₂ 𝟏[z₂ > 0] ∂C/∂a₂" >"$tmp/want"
run 0 derive --layers 2 --activation relu --expand closed --format text
same "$tmp/out" "$tmp/want" "text relu closed"
printf '%s\n' "∂C/∂w₂ = a₁ (𝟏[z₂ > 0] + α 𝟏[z₂ ≤ 0]) ∂C/∂a₂" >"$tmp/want"
run 0 derive --layers 2 --wrt w2 --activation leaky-relu --expand closed --format text
same "$tmp/out" "$tmp/want" "text leaky-relu closed"
printf '%s\n' "dC/db_1 = sigma(z_1) * w_2 * sigma(z_2) * dC/da_2" >"$tmp/want"
run 0 derive --layers 2 --activation softplus --expand closed --format ascii
same "$tmp/out" "$tmp/want" "ascii softplus closed"
printf '%s\n' "dC/db_1 = id'(z_1) * w_2 * id'(z_2) * dC/da_2" >"$tmp/want"
run 0 derive --layers 2 --activation identity --format ascii
same "$tmp/out" "$tmp/want" "ascii identity"
cat >"$tmp/want" <<'EOT'
\begin{equation}
  \frac{\partial C}{\partial b_{2}} = \bigl(\Phi(z_{2}) + z_{2}\,\varphi(z_{2})\bigr)\,\frac{\partial C}{\partial a_{2}}
\end{equation}
EOT
run 0 derive --layers 2 --wrt b2 --activation gelu --expand closed
same "$tmp/out" "$tmp/want" "latex gelu closed"
# the old spellings: sigmoid is sigma, logistic is sigma's closed form
run 0 derive --layers 3 --activation sigmoid --expand logistic --format ascii
cp "$tmp/out" "$tmp/want"
run 0 derive --layers 3 --expand closed --format ascii
same "$tmp/out" "$tmp/want" "closed = logistic for sigma"

# every activation and expansion, in every format (the refused
# combinations print nothing): the golden file was read against the
# notation table of symbolic.h
: >"$tmp/acts"
for a in sigma f per-layer tanh relu leaky-relu softplus identity gelu; do
    for x in none closed exp; do
        for f in latex text ascii; do
            "$GRADCHAIN" derive --layers 3 --wrt w2 --activation $a --expand $x \
                --format $f --form compact >>"$tmp/acts" 2>/dev/null || :
        done
    done
done
same "$tmp/acts" "$srcdir/tests/data/golden/acts-derive.txt" "all activations"
run 0 derivation --layers 4 --wrt b1 --compare b3 --figure --plot --standalone \
    --activation tanh --lang pt
same "$tmp/out" "$srcdir/tests/data/golden/doc-tanh-pt.tex" "tanh document, pt"
run 0 derivation --layers 3 --wrt b1 --compare b3 --plot --activation relu \
    --expand closed
same "$tmp/out" "$srcdir/tests/data/golden/doc-relu-fragment.tex" "relu fragment"
has "$tmp/out" 'dying ReLU' "relu: the bound in the prose"
# --plot-sigma is --plot
run 0 derivation --layers 4 --plot-sigma --activation gelu
cp "$tmp/out" "$tmp/want"
run 0 derivation --layers 4 --plot --activation gelu
same "$tmp/out" "$tmp/want" "--plot-sigma = --plot"
has "$tmp/out" '1.1289' "gelu: the bound of its derivative"

# -o writes the file and nothing on stdout or stderr
run 0 derive --layers 2 --format ascii -o "$tmp/d.txt"
empty "$tmp/out" "-o: stdout"
empty "$tmp/err" "-o: stderr"
has "$tmp/d.txt" "dC/da_2" "-o: the file"

# documents
run 0 derivation --layers 4 --wrt b1 --compare b3 --figure --plot-sigma \
    --standalone --lang pt
matches "$tmp/out" '^\\documentclass' "standalone pt"
has "$tmp/out" 'usepackage[brazilian]{babel}' "standalone pt"
has "$tmp/out" 'pelo menos 16 vezes menor' "standalone pt"
matches "$tmp/out" '^\\end{document}' "standalone pt"
# the shipped examples are what gradchain writes today
run 0 derivation --layers 4 --wrt b1 --compare b3 --figure --plot-sigma \
    --standalone
same "$tmp/out" "$srcdir/examples/derivation-en.tex" "examples/derivation-en.tex"
run 0 derivation --layers 4 --wrt b1 --compare b3 --figure --plot-sigma \
    --standalone --lang pt
same "$tmp/out" "$srcdir/examples/derivation-pt.tex" "examples/derivation-pt.tex"
run 0 derivation --layers 4 --wrt b3 --compare b1
head -n 1 "$tmp/out" >"$tmp/first"
matches "$tmp/first" '^% gradchain derivation' "fragment, swapped comparison: first line"
checks=$((checks + 1))
! grep -q documentclass "$tmp/out" || fail "fragment, swapped comparison: has a preamble"
has "$tmp/out" 'at least 16 times smaller' "fragment, swapped comparison"

# labels: derived from what changes the equations, or --label
run 0 derivation --layers 4 --compare b3 --cost cross-entropy --lang pt
has "$tmp/out" '% Labels: gradchain:L4-b1-b3-cross-entropy-pt:product (the gradient),' "derived labels: header"
has "$tmp/out" '\label{gradchain:L4-b1-b3-cross-entropy-pt:simplify}' "derived labels: simplify"
has "$tmp/out" 'com \eqref{gradchain:L4-b1-b3-cross-entropy-pt:simplify}, obtém\discretionary{-}{-}{-}se \eqref{gradchain:L4-b1-b3-cross-entropy-pt:product}.' "derived labels: references"
run 0 derivation --layers 4 --compare b3 --figure --label ch3:b1
checks=$((checks + 1))
[ "$(grep -o '\\\(label\|eqref\){[^}]*}' "$tmp/out" | sort | uniq -c | tr -s ' ')" = \
" 2 \eqref{ch3:b1:product}
 1 \label{ch3:b1:product}" ] || fail "--label: every label and reference"
# --color none: no colour command, in the document and its preamble;
# the braces of the figure still differ
run 0 derivation --layers 4 --compare b3 --figure --plot --standalone --color none
checks=$((checks + 1))
! grep -qi 'color\|xcolor\|gradchain-\|blue\|{red' "$tmp/out" || fail "--color none: a colour command"
has "$tmp/out" 'brace,amplitude=5pt},thick]' "--color none: extra brace"
has "$tmp/out" 'brace,amplitude=5pt},densely dashed]' "--color none: shared brace"
# the figure's sentence says what is drawn: factors from neuron J on, a_{J-1}
# at w_J for a weight
run 0 derivation --layers 4 --wrt b3 --figure
has "$tmp/out" 'writing $\sigma'"'"'(z_{k})$ at neurons 3 and 4, $w_{4}$ at the weight between them and' "figure sentence, b3"
run 0 derivation --layers 4 --wrt w2 --figure
has "$tmp/out" 'writing $a_{1}$ at the weight $w_{2}$, $\sigma'"'"'(z_{k})$ at neurons 2 to 4, $w_{k}$ at the weights between them and' "figure sentence, w2"
run 0 derivation --layers 4 --wrt w4 --figure --lang pt
has "$tmp/out" 'escrevendo $a_{3}$ no peso $w_{4}$, $\sigma'"'"'(z_{4})$ no neurônio 4 e' "figure sentence, w4 pt"
# Portuguese: decimal commas on the plot, grouped digits, the chapter's terms
run 0 derivation --layers 11 --compare b1 --wrt b11 --plot --lang pt
has "$tmp/out" 'yticklabels={$0$,$0{,}05$,$0{,}10$,$0{,}15$,$0{,}20$,$\frac{1}{4}$}' "pt plot ticks"
has "$tmp/out" '/pgf/number format/use comma' "pt plot number format"
has "$tmp/out" 'pelo menos 1.048.576 vezes menor' "pt grouped digits"
has "$tmp/out" 'a dissipação do gradiente' "pt vanishing gradient"
run 0 derivation --layers 11 --compare b11 --plot
has "$tmp/out" 'at least 1,048,576 times smaller' "en grouped digits"
has "$tmp/out" 'yticklabels={$0$,$0.05$,$0.10$,$0.15$,$0.20$,$\frac{1}{4}$}' "en plot ticks"
run 0 derivation --layers 4 --compare b3 --figure --lang pt
has "$tmp/out" 'cada um dos pares $' "pt pairs"
has "$tmp/out" '{compartilhados com $\partial C/\partial b_{3}$}' "pt shared brace"
has "$tmp/out" 'com ${|w_{j}| < 1}$, cada um' "pt comma"

for cmd in derive derivation; do
    run 0 $cmd --help
    matches "$tmp/out" "^Usage: gradchain $cmd" "$cmd --help"
done

# bad requests: exit 2 and a clear message
usage_error "j > L" "layer 5 out of range 1..4" derive --layers 4 --wrt b5
usage_error "L = 0" "expected an integer from 1" derive --layers 0
usage_error "no L" "missing --layers" derive --wrt b1
usage_error "bad wrt" "expected a parameter bJ or wJ" derive --layers 4 --wrt c1
usage_error "activation" "unknown activation 'swish'" derive --layers 4 --activation swish
usage_error "activation names" "sigma, f, per-layer, tanh, relu, leaky-relu, softplus, identity, gelu" derive --layers 4 --activation swish
usage_error "expand closed f" "has no closed form" derive --layers 4 --activation f --expand closed
usage_error "expand closed identity" "activation identity has no closed form" derive --layers 4 --activation identity --expand closed
usage_error "expand exp tanh" "--expand exp needs --activation sigma" derive --layers 4 --activation tanh --expand exp
usage_error "expand names" "none, closed, logistic, exp" derive --layers 4 --expand full
usage_error "form" "unknown form 'wide'" derive --layers 4 --form wide
usage_error "format" "unknown format 'rtf'" derive --layers 4 --format rtf
usage_error "expand f" "needs --activation sigma" derive --layers 4 --activation f --expand exp
usage_error "operand" "extra operand" derive --layers 4 extra
usage_error "cross-entropy relu" "--cost cross-entropy needs an output activation with values in (0, 1) (sigma, f, per-layer), got --activation relu" derive --layers 2 --activation relu --cost cross-entropy
usage_error "cross-entropy tanh in a document" "got --activation tanh" derivation --layers 2 --activation tanh --cost cross-entropy
usage_error "b1 with b1" "cannot be compared with itself" derivation --layers 4 --wrt b1 --compare b1
usage_error "compare w" "only biases bK can be compared" derivation --layers 4 --compare w2
# the limits that depend on L name the option and the number (issue 11,
# defect 9): never --wrt for a --figure or --compare fault
usage_error "compare > L" "gradchain: --compare: layer 9 out of range 1..4, got 'b9'" derivation --layers 4 --compare b9
usage_error "compare b5" "--compare: layer 5 out of range 1..4, got 'b5'" derivation --layers 4 --wrt b1 --compare b5
usage_error "figure beyond its limit" "gradchain: --figure: the figure is drawn for at most 1000000 layers, got --layers 1000001" derivation --layers 1000001 --wrt b1 --compare b3 --figure
checks=$((checks + 1))
! grep -q -- '--wrt' "$tmp/err" || fail "figure beyond its limit: blames --wrt"
usage_error "label" "--label: 'eq 1': a label prefix is 1 to 100 letters, digits and :-._/+" derivation --layers 4 --label 'eq 1'
usage_error "label braces" "--label: 'a{b}'" derivation --layers 4 --label 'a{b}'
usage_error "label empty" "--label: ''" derivation --layers 4 --label ''
usage_error "color" "--color: unknown colour mode 'red' (default, none)" derivation --layers 4 --color red
usage_error "compare with weight" "only biases" derivation --layers 4 --wrt w1 --compare b2
usage_error "figure L" "at most 1000000 layers" derivation --layers 1000001 --figure
usage_error "lang" "unknown language 'fr'" derivation --layers 4 --lang fr

# an unwritable output: exit 2 and no file
run 2 derive --layers 4 -o "$tmp/no/such/dir/x.tex"
checks=$((checks + 1))
[ ! -e "$tmp/no/such/dir/x.tex" ] || fail "unwritable -o: file written"
if [ -w /dev/full ]; then
    checks=$((checks + 1))
    set +e
    "$GRADCHAIN" derivation --layers 4 --figure >/dev/full 2>"$tmp/err"
    st=$?
    set -e
    [ "$st" = 2 ] || fail "write to /dev/full exited $st"
    has "$tmp/err" "write error" "/dev/full"
fi

# ---- deep chains and the text width (issue 11, defects 3, 5, 6) -------------
# the cascade of L=40 is elided by default: 7 numbered steps and a \vdots
# line, not 80; --cascade full gives 2L steps, none no cascade
run 0 derivation --layers 40
checks=$((checks + 1))
[ "$(grep -c '^  \\Delta ' "$tmp/out")" = 7 ] || fail "L=40: not 7 steps"
has "$tmp/out" '\vdots \notag' "L=40: the ellipsis"
run 0 derivation --layers 40 --cascade full
checks=$((checks + 1))
[ "$(grep -c '^  \\Delta ' "$tmp/out")" = 80 ] || fail "--cascade full: not 80 steps"
run 0 derivation --layers 40 --cascade none
checks=$((checks + 1))
! grep -q 'Delta' "$tmp/out" || fail "--cascade none: a cascade"
usage_error "cascade" "--cascade: unknown cascade mode 'all' (elided, full, none)" \
    derivation --layers 4 --cascade all
# a million layers: a small document by default; the full cascade or
# every factor is refused before any work, with its size and a way out
run 0 derivation --layers 1000000
checks=$((checks + 1))
[ "$(wc -c <"$tmp/out")" -lt 20000 ] || fail "L=10^6: not a small document"
usage_error "size, cascade" "--layers 1000000 with --cascade full: the document would take about 800 MB, more than the 10 MB a derivation may take; use --cascade elided or none" \
    derivation --layers 1000000 --cascade full
usage_error "size, form" "use --form auto, elided or compact" \
    derivation --layers 1000000 --form expanded -o "$tmp/big.tex"
checks=$((checks + 1))
[ ! -e "$tmp/big.tex" ] || fail "refused document: -o file written"
# --textwidth: TeX units; the same width in any unit gives the same text
run 0 derivation --layers 12 --form expanded --cascade full --textwidth 118mm
cp "$tmp/out" "$tmp/tw-mm"
has "$tmp/tw-mm" '\begin{multline}' "118mm: the product broken"
has "$tmp/tw-mm" '\notag\\' "118mm: cascade lines broken"
run 0 derivation --layers 12 --form expanded --cascade full --textwidth 11.8cm
same "$tmp/out" "$tmp/tw-mm" "--textwidth 11.8cm against 118mm"
run 0 derivation --layers 12 --form expanded --cascade full --textwidth 16000pt --width 100000
checks=$((checks + 1))
! grep -q 'multline\|notag\\\\' "$tmp/out" || fail "a wide text: broken lines"
# a formula that fits is not put in a multline (no gap around "=")
run 0 derive --layers 4 --break multline
has "$tmp/out" '\begin{equation}' "derive L=4 multline"
usage_error "textwidth unit" "--textwidth: '12xx' is not a dimension" \
    derivation --layers 4 --textwidth 12xx
usage_error "textwidth range" "--textwidth: '1cm' is not in 72pt..16383pt" \
    derivation --layers 4 --textwidth 1cm
# --textheight: a cascade whose first and last steps with the \vdots pass
# the height is refused after the parse, before any output
usage_error "textheight unit" "--textheight: '9xx' is not a dimension" \
    derivation --layers 4 --textheight 9xx
usage_error "textheight range" "--textheight: '0.5in' is not in 72pt..16383pt" \
    derivation --layers 4 --textheight 0.5in
usage_error "textheight too low" "--textheight 3cm: the cascade is taller than the text height even with one first step" \
    derivation --layers 12 --form expanded --textheight 3cm -o "$tmp/th.tex"
checks=$((checks + 1))
[ ! -e "$tmp/th.tex" ] || fail "refused --textheight: -o file written"
run 0 derivation --layers 12 --form expanded --textheight 3cm --cascade none
has "$tmp/out" ':product}' "--textheight with --cascade none"

# the examples of doc/derivation.md
sed -n 's/^    \$ gradchain /gradchain /p' "$srcdir/doc/derivation.md" >"$tmp/examples"
checks=$((checks + 1))
[ -s "$tmp/examples" ] || fail "no examples in doc/derivation.md"
while read -r line; do
    checks=$((checks + 1))
    (cd "$tmp" && eval "\"\$GRADCHAIN\" ${line#gradchain }") </dev/null >/dev/null 2>"$tmp/err" \
        || { fail "example: $line"; sed 's/^/  | /' "$tmp/err" >&2; }
done <"$tmp/examples"

# ---- the general formula with a letter for the layer (issue 11) ----------
# references typed from dC/db_j = s'(z_j) (prod_{k=j+1}^{L} w_k s'(z_k))
# dC/da_L and dC/dw_j = a_{j-1} dC/db_j
run 0 derive --layers 4 --wrt bj --format ascii
printf '%s\n' "dC/db_j = sigma'(z_j) * prod_{k=j+1}^{4}(w_k * sigma'(z_k)) * dC/da_4" >"$tmp/want"
same "$tmp/out" "$tmp/want" "general bj ascii"
run 0 derive --layers 7 --wrt wm --format ascii --cost quadratic --activation tanh
printf '%s\n' "dC/db_m = tanh'(z_m) * prod_{k=m+1}^{7}(w_k * tanh'(z_k)) * (a_7 - y)" \
    "dC/dw_m = a_{m-1} * dC/db_m" >"$tmp/want"
same "$tmp/out" "$tmp/want" "general wm ascii"
run 0 derive --layers 4 --wrt wj --format text
printf '%s\n' '∂C/∂bⱼ = σ′(zⱼ) (∏ₖ₌ⱼ₊₁⁴ wₖ σ′(zₖ)) ∂C/∂a₄' '∂C/∂wⱼ = aⱼ₋₁ ∂C/∂bⱼ' >"$tmp/want"
same "$tmp/out" "$tmp/want" "general wj text"
run 0 derive --layers 4 --wrt wj --no-lhs --format ascii
printf '%s\n' "a_{j-1} * sigma'(z_j) * prod_{k=j+1}^{4}(w_k * sigma'(z_k)) * dC/da_4" >"$tmp/want"
same "$tmp/out" "$tmp/want" "general wj no-lhs"
run 0 derive --layers 4 --wrt bj
has "$tmp/out" '\begin{equation}' "general bj latex: equation"
has "$tmp/out" '\frac{\partial C}{\partial b_{j}} = \sigma'"'"'(z_{j})\,\left(\prod_{k=j+1}^{4} w_{k}\,\sigma'"'"'(z_{k})\right)\,\frac{\partial C}{\partial a_{4}}' "general bj latex"
run 0 derive --layers 4 --wrt wi
has "$tmp/out" '\begin{align}' "general wi latex: align"
has "$tmp/out" '\frac{\partial C}{\partial w_{i}} &= a_{i-1}\,\frac{\partial C}{\partial b_{i}}' "general wi latex"
# the formula does not grow with L (L is only the upper bound)
run 0 derive --layers 100000000 --wrt bj --format ascii
printf '%s\n' "dC/db_j = sigma'(z_j) * prod_{k=j+1}^{100000000}(w_k * sigma'(z_k)) * dC/da_100000000" >"$tmp/want"
same "$tmp/out" "$tmp/want" "general deep"
usage_error "general k" "--wrt: the layer of the general formula is one of the letters i, j, m, n, got 'bk'" derive --layers 4 --wrt bk
usage_error "general in derivation" "--wrt: a derivation is written for a layer number, got 'bj'" derivation --layers 4 --wrt bj
# the numeric side keeps refusing letters
run 2 eval --random normal:0,1 --layers 3 --wrt bj
has "$tmp/err" "--wrt: expected a layer number from 1" "eval --wrt bj"

# ---- derivation: --part, --heading, --float (issue 11) -------------------
run 0 derivation --layers 4 --compare b3 --figure --plot
cp "$tmp/out" "$tmp/all"
run 0 derivation --layers 4 --compare b3 --figure --plot --part plot,compare,figure,cascade,product
same "$tmp/out" "$tmp/all" "--part of every default part"
run 0 derivation --layers 4 --part general,product
cp "$tmp/out" "$tmp/gp"
run 0 derivation --layers 4 --part product,general
same "$tmp/out" "$tmp/gp" "--part in any order"
has "$tmp/out" '\label{gradchain:L4-b1:general-w}' "--part general: its labels"
has "$tmp/out" 'for ${j = 1}$ the formula gives \eqref{gradchain:L4-b1:product}.' "--part general: the product"
run 0 derivation --layers 4 --part cascade
has "$tmp/out" '\ifcsname r@gradchain:L4-b1:product\endcsname\eqref{gradchain:L4-b1:product}\else $\partial C/\partial b_{1}$\fi{}' "--part cascade: guarded reference"
has "$tmp/out" '% It defines no label.' "--part cascade: no label"
checks=$((checks + 1))
! grep -q 'begin{equation}\|Network' "$tmp/out" || fail "--part cascade: the product written"
run 0 derivation --layers 4 --part figure
has "$tmp/out" '\begin{tikzpicture}' "--part figure draws the figure"
run 0 derivation --layers 4 --part plot --lang pt --float
has "$tmp/out" '\begin{figure}[htbp]' "--float: a figure"
has "$tmp/out" '\label{gradchain:L4-b1-pt:plot}' "--float: the plot's label"
has "$tmp/out" '% Labels: gradchain:L4-b1-pt:plot (the plot).' "--float: the label listed"
run 0 derivation --layers 4 --heading none
checks=$((checks + 1))
! grep -q 'section' "$tmp/out" || fail "--heading none: a heading"
run 0 derivation --layers 4 --heading section
has "$tmp/out" '\section*{\raggedright The gradient as a product}' "--heading section"
usage_error "part unknown" "--part: unknown part 'figures' (product, cascade, compare, figure, plot, general)" derivation --layers 4 --part product,figures
usage_error "part empty" "--part: unknown part ''" derivation --layers 4 --part product,,cascade
usage_error "part compare" "--part compare needs --compare bK" derivation --layers 4 --part compare
usage_error "part figure L" "gradchain: --part figure: the figure is drawn for at most 1000000 layers, got --layers 1000001" derivation --layers 1000001 --part figure
usage_error "heading" "--heading: unknown heading 'chapter' (none, section, subsection, subsubsection)" derivation --layers 4 --heading chapter
# review of issue 11, defects 10 and 11: options that would write nothing
usage_error "part cascade none" "gradchain: --part cascade --cascade none: the document would be empty" \
    derivation --layers 4 --part cascade --cascade none
usage_error "float alone" "gradchain: --float: no figure or plot to float; add --figure or --plot" derivation --layers 4 --float
usage_error "float, part product" "gradchain: --float: no figure or plot to float; add --figure or --plot" \
    derivation --layers 4 --part product,cascade --float
run 0 derivation --layers 4 --figure --part product,cascade --float
has "$tmp/out" '\eqref{gradchain:L4-b1:product}' "--float with the figure in another fragment"
run 0 derivation --layers 4 --compare b3 --figure --part compare --float
has "$tmp/out" '\ifcsname r@gradchain:L4-b1-b3:figure\endcsname' "--float, compare part: it cites the figure"
usage_error "general at L = 1" "gradchain: --part general: the general formula needs at least two layers, got --layers 1" \
    derivation --layers 1 --part product,cascade,general
run 0 derivation --layers 1 --figure --plot
checks=$((checks + 1))
! grep -q 'general\|le j \\le' "$tmp/out" || fail "L = 1: a general part"
run 0 derivation --layers 3 --wrt w2 --part general
has "$tmp/out" '\partial C}{\partial w_{2}} = a_{1}\,\sigma'"'"'(z_{2})\,w_{3}' "--part general alone: the product at j = J"

# golden files (read against the formula and the prose): the general
# formula of every activation, expansion and cost in every format; parts
# with floats and headings
: >"$tmp/gen"
for a in sigma f per-layer tanh relu leaky-relu softplus identity gelu; do
    for x in none closed; do
        for c in generic quadratic; do
            for f in latex text ascii; do
                "$GRADCHAIN" derive --layers 5 --wrt wj --activation $a --expand $x \
                    --cost $c --format $f >>"$tmp/gen" 2>/dev/null || :
            done
        done
    done
done
"$GRADCHAIN" derive --layers 5 --wrt bn --cost cross-entropy --format text >>"$tmp/gen"
same "$tmp/gen" "$srcdir/tests/data/golden/general-derive.txt" "general formulas"
run 0 derivation --layers 4 --wrt b1 --compare b3 --figure --plot --float \
    --heading subsubsection --part cascade,figure,plot,general
same "$tmp/out" "$srcdir/tests/data/golden/doc-parts-en.tex" "parts, en"
run 0 derivation --layers 4 --wrt w2 --activation tanh --cost quadratic --lang pt \
    --heading none --part general,cascade
same "$tmp/out" "$srcdir/tests/data/golden/doc-parts-pt.tex" "parts, pt"

# ---- issue 11: --plot-activation, derive --label
# --plot-activation is --plot, and plots the activation's own derivative
for a in tanh relu leaky-relu softplus identity gelu; do
    run 0 derivation --layers 3 --plot --activation $a
    cp "$tmp/out" "$tmp/want"
    run 0 derivation --layers 3 --plot-activation --activation $a
    same "$tmp/out" "$tmp/want" "--plot-activation = --plot, $a"
done
run 0 derivation --layers 3 --plot-activation --activation tanh
has "$tmp/out" "{1-tanh(x)^2}" "--plot-activation: tanh' plotted"
checks=$((checks + 1))
! grep -q 'frac{1}{4}' "$tmp/out" || fail "--plot-activation tanh: no 1/4"
# derive --label: the labels a derivation gives the same equations (the
# golden file: a product, both general formulas of wj, bj's alone, the
# label on a multline's last line and inside a split)
: >"$tmp/lab"
for args in "--layers 2 --activation tanh --label ch3:grad" \
    "--layers 3 --wrt wj --activation relu --label g" \
    "--layers 3 --wrt bj --cost quadratic --label ch3:gen" \
    "--layers 12 --form expanded --break multline --label m" \
    "--layers 12 --form grouped --break split --expand logistic --wrt w4 --label s"; do
    # shellcheck disable=SC2086
    run 0 derive $args
    cat "$tmp/out" >>"$tmp/lab"
done
same "$tmp/lab" "$srcdir/tests/data/golden/derive-label.txt" "derive --label"
run 0 derive --layers 2 --activation tanh
checks=$((checks + 1))
! grep -q 'label' "$tmp/out" || fail "derive: a label without --label"
# a multline keeps its label on the last line
run 0 derive --layers 30 --form expanded --break multline --label m
has "$tmp/out" '\frac{\partial C}{\partial a_{30}}\label{m:product}' "--label in a multline"
# the longest prefix is written whole, by derive and by the derivation
long=$(printf '%0100d' 0)
run 0 derive --layers 2 --label "$long"
has "$tmp/out" "\\label{$long:product}" "derive --label, 100 characters"
run 0 derivation --layers 2 --label "$long"
has "$tmp/out" "\\label{$long:product}" "derivation --label, 100 characters"
has "$tmp/out" "\\eqref{$long:product}" "derivation --label, its reference"
usage_error "derive --label 101" "a label prefix is 1 to 100" derive --layers 2 --label "${long}1"
usage_error "derive --label space" "'a b'" derive --layers 2 --label 'a b'
usage_error "derive --label text" "only LaTeX has labels, not --format text" \
    derive --layers 2 --label a --format text
usage_error "derive --label no-lhs" "--no-lhs writes no equation" \
    derive --layers 2 --label a --no-lhs
for b in multline split; do
    usage_error "derive --no-lhs --break $b" "--no-lhs prints the product on one line" \
        derive --layers 12 --no-lhs --break $b
done
run 0 derive --layers 12 --no-lhs --break none
has "$tmp/out" '\frac{\partial C}{\partial a_{12}}' "derive --no-lhs --break none"

# pt: a verb with an enclitic pronoun breaks at its hyphen only as pt-BR
# sets it, repeating the hyphen on the next line: every such hyphen is
# \discretionary{-}{-}{-} (a plain hyphen breaks without the repetition,
# an \mbox cannot break and leaves lines overfull)
for args in "--layers 4" "--layers 4 --cost cross-entropy --figure" \
    "--layers 4 --wrt w2 --figure" "--layers 4 --activation leaky-relu --compare b3"; do
    # shellcheck disable=SC2086
    run 0 derivation --lang pt $args
    checks=$((checks + 1))
    if grep -nE -- '-(se|lo|la)([^[:alpha:]]|$)' "$tmp/out" >"$tmp/hy"; then
        fail "pt $args: a pronoun's hyphen TeX may break:"
        sed 's/^/  | /' "$tmp/hy" >&2
    fi
    has "$tmp/out" 'discretionary{-}{-}{-}' "pt $args: the pronoun's hyphen"
done
has "$tmp/out" 'anulá\discretionary{-}{-}{-}lo' "pt leaky-relu: anulá-lo"

# ---- issue 11: golden files of the document's new options (read against
# the formula, the prose and doc/derivation.md; see the commit message)
golden () {
    _g=$1
    shift
    run 0 derivation "$@"
    same "$tmp/out" "$srcdir/tests/data/golden/$_g" "$_g"
}
# --label, --color none (no colour command, the brace styles), --heading
# section (ragged right), a figure of b2 against b4
golden doc-label-nocolor-en.tex --layers 4 --wrt b2 --compare b4 --figure \
    --label ch3:grad --color none --heading section
# --textwidth 118mm: the product in a multline, cascade lines continued,
# the comparison elided; the cascade elided (18 steps); pt
golden doc-textwidth-pt.tex --layers 9 --form expanded --compare b3 \
    --textwidth 118mm --lang pt --part product,cascade,compare
# --textheight 190pt (a 16:9 beamer frame): the issue's reproducer, its
# 16 steps elided to the first 2 and Delta C, whose rows, with the \vdots
# and the display skips, are 188 pt in doc/derivation.md's model
golden doc-textheight.tex --layers 8 --wrt b2 --compare b8 --expand exp \
    --cascade full --textwidth 363pt --textheight 190pt --part cascade
# --cascade full (14 steps, no ellipsis; the reference to the product in
# words when the document lacks it), then --cascade none with the
# cross-entropy (no cascade, no simplification)
run 0 derivation --layers 7 --cascade full --part cascade
cp "$tmp/out" "$tmp/casc"
run 0 derivation --layers 3 --cascade none --cost cross-entropy --compare b3
cat "$tmp/out" >>"$tmp/casc"
same "$tmp/casc" "$srcdir/tests/data/golden/doc-cascade.tex" "--cascade full, none"
# --plot-activation for GELU, in a float, pt (decimal commas)
golden doc-gelu-plot-pt.tex --layers 3 --activation gelu --plot-activation \
    --float --part plot --lang pt

finish
