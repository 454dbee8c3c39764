#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# latex-compile.sh -- generated documents, fragments, plots and the LaTeX
# golden files compile with pdflatex -halt-on-error (a representative set;
# skipped with a message when pdflatex is missing).

set -e
. "$srcdir/tests/cli-lib.sh"
. "$srcdir/tests/latex-lib.sh"
command -v pdflatex >/dev/null 2>&1 \
    || skip "pdflatex is not installed: LaTeX output not compiled"
golden="$srcdir/tests/data/golden"

# a document around fragments: $1 name, $2 babel language, rest files;
# $pre is added to the preamble, and each fragment is put between $open
# and $close (set by the plots)
open= close=
wrap () {
    name=$1 lang=$2
    shift 2
    {
        preamble '\documentclass{article}' "$lang"
        for f in "$@"; do printf '%s\\input{%s}%s\n' "$open" "$f" "$close"; done
        printf '%s\n' '\end{document}'
    } >"$tmp/$name.tex"
    compile "$name"
}

# clean NAME: the log of NAME has no box or reference warning
clean () {
    checks=$((checks + 1))
    ! grep -a 'Overfull \\[hv]box\|Underfull \\[hv]box\|undefined\|multiply defined' \
        "$tmp/$1.log" || fail "$1.tex: a box or reference warning"
}

# g ARGS...: gradchain ARGS succeeds (one check)
g () {
    run 0 "$@"
}

g derivation --layers 4 --wrt b1 --compare b3 --figure --plot-sigma --standalone \
    -o "$tmp/en.tex"
compile en
g derivation --layers 5 --wrt b4 --compare b2 --figure --plot-sigma --standalone \
    --lang pt --cost cross-entropy -o "$tmp/pt.tex"
compile pt
g derivation --layers 12 --wrt w3 --activation per-layer --cost quadratic \
    --figure --standalone --break multline -o "$tmp/perlayer.tex"
compile perlayer
g derivation --layers 40 --wrt b1 --compare b39 --expand exp --standalone \
    --lang pt --break split -o "$tmp/deep.tex"
compile deep
# 81 lines of cascade cross pages instead of running off the first one
checks=$((checks + 1))
! grep -q 'Overfull \\vbox' "$tmp/deep.log" \
    || fail "deep.tex: a display runs off the page"
g derivation --layers 6 --wrt b2 --compare b5 --figure --form compact \
    --activation f --cost cross-entropy -o "$tmp/frag.tex"
g derive --layers 12 --break multline -o "$tmp/d1.tex"
g derive --layers 30 --form grouped --break split --width 50 -o "$tmp/d2.tex"
g derive --layers 5 --wrt w2 --expand logistic --form compact -o "$tmp/d3.tex"
wrap fragments english frag d1 d2 d3
# every activation of the numeric side, abstract and closed, with all
# parts, in both languages: compiles, and no line runs into the margin
for a in tanh relu leaky-relu softplus identity gelu; do
    for x in none closed; do
        [ "$a-$x" = identity-closed ] && continue
        for l in en pt; do
            g derivation --layers 4 --wrt b1 --compare b3 --figure --plot \
                --standalone --activation $a --expand $x --lang $l \
                -o "$tmp/act-$a-$x-$l.tex"
            compile "act-$a-$x-$l"
            checks=$((checks + 1))
            ! grep -aq 'Overfull \\hbox\|Underfull \\hbox' "$tmp/act-$a-$x-$l.log" \
                || fail "act-$a-$x-$l.tex: overfull or underfull box"
        done
    done
done
g derivation --layers 7 --wrt b2 --compare b6 --activation gelu --cost quadratic \
    --lang pt --standalone --break split -o "$tmp/act-gelu-long.tex"
compile act-gelu-long
g derive --layers 6 --activation leaky-relu --expand closed --break multline \
    -o "$tmp/d4.tex"
g derive --layers 6 --activation tanh --expand closed --form compact -o "$tmp/d5.tex"
wrap fragments-acts english d4 d5 "$golden/doc-relu-fragment.tex"
wrap golden-en english "$golden/doc-en-L4.tex" "$golden/expr-latex-compact.txt" \
    "$golden/expr-latex-elided.txt" "$golden/expr-latex-grouped.txt" \
    "$golden/breaks-latex.txt"
wrap golden-pt brazilian "$golden/doc-pt-L5.tex" "$golden/doc-pt-L1.tex" \
    "$golden/shapes-latex.txt"

# ---- gradchain plot ---------------------------------------------------------
# fragments centred in a minimal document, as an author would, and
# --standalone, in en and pt, for the 4-layer textbook chain and a
# 2000-layer random chain: no box or reference warning
net4="$srcdir/examples/textbook4.net"
deep="--random normal:0,1 --layers 2000 --seed 3"
# and a sweep: the quartile band and the vertical first-zero levels
sweep="--sweep --random normal:0,1 --layers 400 --samples 50 --no-progress"
for l in en pt; do
    g plot --lang $l "$net4" -o "$tmp/plot4-$l.tex"
    g plot --lang $l $deep -o "$tmp/plotdeep-$l.tex"
    g plot --lang $l $sweep -o "$tmp/plotsweep-$l.tex"
    g plot --lang $l --standalone $sweep -o "$tmp/plotssweep-$l.tex"
    compile "plotssweep-$l"
    clean "plotssweep-$l"
    g plot --lang $l --standalone "$net4" -o "$tmp/plots4-$l.tex"
    compile "plots4-$l"
    clean "plots4-$l"
    g plot --lang $l --standalone $deep -o "$tmp/plotsdeep-$l.tex"
    compile "plotsdeep-$l"
    clean "plotsdeep-$l"
done
open='\begin{center}' close='\end{center}'
wrap plotfrag-en english plot4-en plotdeep-en plotsweep-en
clean plotfrag-en
wrap plotfrag-pt brazilian plot4-pt plotdeep-pt plotsweep-pt
clean plotfrag-pt
# every format style, and a 9th line reusing the first style
g plot --random normal:0,1 --layers 300 --seed 1 -o "$tmp/plotmany.tex" \
    --formats binary64,binary32,bfloat16,binary16,e5m2,e4m3,custom:5,-20,20,custom:6,-30,30
wrap plotmany-doc english plotmany
clean plotmany-doc
# an author's own style and colour, set before \input, win
pre='\tikzset{gradchain format 1/.style={red, very thick}}\definecolor{gradchain-exact}{HTML}{444444}'
wrap plotrestyled english plot4-en
clean plotrestyled
checks=$((checks + 1))
grep -q '^\\pgfkeysifdefined{/tikz/gradchain format 1/.@cmd}{}' "$tmp/plot4-en.tex" \
    && grep -q '^\\providecolor{gradchain-exact}' "$tmp/plot4-en.tex" \
    || fail "plot: styles and colours not guarded"

# ---- plot: the standalone page cut to the figure (issue 10, plotfix) -------
# tight NAME: the page of NAME.pdf (rendered at 100 dpi, 3 mm = 12 px) has
# a white border of 2 mm (nothing clipped at an edge) and ink within 5 mm
# of each edge (no blank band); pdftoppm and /usr/bin/python3 read it
tight () {
    checks=$((checks + 1))
    pdftoppm -gray -r 100 -singlefile "$tmp/$1.pdf" "$tmp/$1" || {
        fail "$1.pdf: pdftoppm failed"; return; }
    /usr/bin/python3 - "$tmp/$1.pgm" <<'EOF' || fail "$1.pdf: the page is not cut to the figure"
import sys
data = open(sys.argv[1], 'rb').read()
fields, pos = [], 0
while len(fields) < 4:
    while data[pos:pos + 1].isspace():
        pos += 1
    end = pos
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[pos:end])
    pos = end
w, h = int(fields[1]), int(fields[2])
px = data[pos + 1:]
ink = lambda x, y: px[y * w + x] < 160
cols = [x for x in range(w) if any(ink(x, y) for y in range(h))]
rows = [y for y in range(h) if any(ink(x, y) for x in range(w))]
gaps = (cols[0], w - 1 - cols[-1], rows[0], h - 1 - rows[-1])
print("ink from the edges (left, right, top, bottom), px:", gaps)
sys.exit(0 if all(8 <= g <= 20 for g in gaps) else 1)
EOF
}
if command -v pdftoppm >/dev/null 2>&1 && [ -x /usr/bin/python3 ]; then
    # long pt level labels (clipped by a fixed page) and a legend of 7
    g plot --random normal:0,1 --layers 60 --seed 3 --lang pt --standalone \
        --formats binary32,bfloat16,binary16,e4m3,bfloat16:sr,binary16:ftz \
        -o "$tmp/plotlong.tex"
    compile plotlong
    clean plotlong
    tight plotlong
    # no level drawn (blank paper on a fixed page); a format with no point
    g plot --random normal:0,1 --layers 20 --seed 0 --formats binary16 \
        --loss-scale 2^24 --standalone -o "$tmp/plotlost.tex"
    compile plotlost
    tight plotlost
    g plot --standalone --formats binary64 "$net4" -o "$tmp/plotnolevel.tex"
    compile plotnolevel
    tight plotnolevel
fi
# ---- several derivations in one document (issue 11: labels, colours) -------
# Fragments of different derivations \input into one article, book,
# memoir or beamer document, in en and pt, compiled twice: the log has no
# undefined or multiply defined reference, every label is defined once in
# the .aux, and each fragment's product is the first equation after the
# point where it was \input (so its \eqref points at its own product).
for l in en pt; do
    frag "m1-$l" --layers 4 --wrt b1 --compare b3 --figure --plot-sigma --lang $l
    frag "m2-$l" --layers 4 --wrt b1 --compare b3 --figure --plot-sigma --lang $l \
        --cost cross-entropy
    frag "m3-$l" --layers 5 --wrt w2 --figure --form compact --lang $l
    frag "m4-$l" --layers 2 --wrt b1 --compare b2 --lang $l
    frag "m5-$l" --layers 2 --wrt b1 --compare b2 --lang $l --cost cross-entropy
done
multi multi2-en article english '' m1-en m2-en
multi multi3-en article english '\section{A}' m1-en m2-en m3-en
multi multi3-pt article brazilian '\section{A}' m1-pt m2-pt m3-pt
multi book-en book english '\chapter{A}' m1-en m2-en m3-en
multi book-pt book brazilian '\chapter{A}' m1-pt m3-pt m2-pt
multi memoir-pt memoir brazilian '\chapter{A}' m2-pt m1-pt
multi beamer-en beamer english '' m4-en m5-en
multi beamer-pt beamer brazilian '' m4-pt m5-pt m1-pt
# the same derivation twice is the author's duplicate: same labels
checks=$((checks + 1))
g derivation --layers 4 --wrt b1 --compare b3 --lang pt --figure -o "$tmp/again.tex"
[ "$(grep '^% Labels' "$tmp/again.tex")" = "$(grep '^% Labels' "$tmp/m1-pt.tex")" ] \
    || fail "the same derivation has other labels"
# the author's colours win; --color none compiles without colour
pre='\definecolor{gradchain-extra}{HTML}{112233}\definecolor{gradchain-shared}{gray}{0.4}'
{
    cat "$tmp/m1-en.tex"
    printf '%s\n' '\extractcolorspecs{gradchain-extra}{\gcm}{\gcs}\typeout{GCEXTRA \gcm\space\gcs}' \
        '\extractcolorspecs{gradchain-shared}{\gcm}{\gcs}\typeout{GCSHARED \gcm\space\gcs}'
} >"$tmp/m1-spec.tex"
multi restyled article english '' m1-spec
checks=$((checks + 1))
grep -aq '^GCEXTRA rgb 0.06668,0.13333,0.2$' "$tmp/restyled.log" \
    && grep -aq '^GCSHARED gray 0.4' "$tmp/restyled.log" \
    || fail "restyled.tex: the document's colours do not win"
pre=
{ cat "$tmp/m1-en.tex"; printf '%s\n' '\extractcolorspecs{gradchain-extra}{\gcm}{\gcs}\typeout{GCEXTRA \gcm\space\gcs}'; } >"$tmp/m1-spec.tex"
multi defaultcolor article english '' m1-spec
checks=$((checks + 1))
grep -aq '^GCEXTRA rgb 0.90196,0.62354,0$' "$tmp/defaultcolor.log" \
    || fail "defaultcolor.tex: the default colour is not provided"
g derivation --layers 4 --wrt b1 --compare b3 --figure --plot --standalone \
    --color none -o "$tmp/nocolor.tex"
compile nocolor
compile nocolor
clean nocolor
# ---- parts, headings, floats and the general part (issue 11) -------------
# each part in its own file, \input out of document order (the cascade,
# the figure and the general part before the product they refer to): the
# references resolve through the shared labels, none is undefined
for l in en pt; do
    [ $l = en ] && babel=english lab=gradchain:L4-b1-b3 \
        || babel=brazilian lab=gradchain:L4-b1-b3-pt
    for p in product cascade compare figure plot general; do
        g derivation --layers 4 --wrt b1 --compare b3 --figure --plot --float \
            --lang $l --part $p -o "$tmp/part-$p-$l.tex"
    done
    {
        cat "$tmp/part-figure-$l.tex" "$tmp/part-plot-$l.tex"
        printf '%s\n' "Figures \\ref{$lab:figure} and \\ref{$lab:plot}."
    } >"$tmp/part-floats-$l.tex"
    wrap "parts-$l" $babel part-cascade-$l part-floats-$l part-general-$l \
        part-compare-$l part-product-$l
    compile "parts-$l"
    clean "parts-$l"
    has "$tmp/parts-$l.aux" "\\newlabel{$lab:figure}{{1}" "parts-$l: figure 1"
    has "$tmp/parts-$l.aux" "\\newlabel{$lab:plot}{{2}" "parts-$l: plot, figure 2"
    # the product is the last display: its number is the cascade's reference
    n=$(sed -n "s/^\\\\newlabel{$lab:product}{{\\([0-9]*\\)}.*/\\1/p" "$tmp/parts-$l.aux")
    checks=$((checks + 1))
    [ -n "$n" ] && [ "$n" -gt 8 ] || fail "parts-$l: the product is equation '$n'"
    pdftotext "$tmp/parts-$l.pdf" "$tmp/parts-$l.txt"
    [ $l = en ] && gives="gives ($n)." || gives="obtém-se ($n)."
    has "$tmp/parts-$l.txt" "$gives" "parts-$l: the cascade refers to the product"
    [ $l = en ] && gives="formula gives ($n)." || gives="fórmula dá ($n)."
    has "$tmp/parts-$l.txt" "$gives" "parts-$l: the general part refers to the product"
    # without the product anywhere, the reference is in words, not "??"
    wrap "noproduct-$l" $babel part-cascade-$l part-general-$l
    compile "noproduct-$l"
    clean "noproduct-$l"
    pdftotext "$tmp/noproduct-$l.pdf" "$tmp/noproduct-$l.txt"
    checks=$((checks + 1))
    ! grep -q '??' "$tmp/noproduct-$l.txt" || fail "noproduct-$l: an unresolved reference"
    # and the formula at j = J is shown by its product, displayed (review
    # 11, defect 11: "the formula gives dC/db1" said nothing)
    [ $l = en ] && gives="formula gives" || gives="fórmula dá"
    checks=$((checks + 1))
    tr '\n' ' ' <"$tmp/noproduct-$l.txt" | grep -q "$gives [^.]*= σ ′ (z1 ) w2" \
        || fail "noproduct-$l: the product at j = 1 not displayed"
done
# the whole document with every part, section headings, floats, the
# general part, in both languages, standalone
for l in en pt; do
    g derivation --layers 6 --wrt b2 --compare b4 --figure --plot --float \
        --heading section --lang $l --standalone --cost cross-entropy \
        --part product,cascade,compare,figure,plot,general -o "$tmp/all-$l.tex"
    compile "all-$l"
    compile "all-$l"
    clean "all-$l"
done
g derivation --layers 12 --wrt b1 --activation gelu --expand closed \
    --heading none --part general --standalone -o "$tmp/general-gelu.tex"
compile general-gelu
clean general-gelu

# ---- the figure: every expansion, both costs, L = 2, 4, 12, en and pt ------
# (issue 11, defects 2, 4, 6) the documents compile; the figures of L = 2
# and 4, taken out of their \resizebox and set alone on a line, fit the
# text width at their natural size: no overfull box, so no label runs out
for l in en pt; do
    figs=
    for x in none logistic exp; do
        for c in quadratic cross-entropy; do
            for n in 2 4 12; do
                f="fig-$x-$c-$n-$l"
                g derivation --layers $n --wrt b1 --compare b$n --figure \
                    --standalone --expand $x --cost $c --lang $l -o "$tmp/$f.tex"
                compile "$f"
                [ $n = 12 ] && continue
                { printf '\\noindent\n'
                  sed -n -e '/^\\begin{tikzpicture}/,/^\\end{tikzpicture}/p' \
                      "$tmp/$f.tex" | sed 's/^\(\\end{tikzpicture}\)}$/\1/'
                  printf '\n\n'; } >"$tmp/$f-alone.tex"
                figs="$figs $f-alone"
            done
        done
    done
    [ $l = en ] && babel=english || babel=brazilian
    pre='\providecolor{gradchain-extra}{HTML}{E69F00}\providecolor{gradchain-shared}{HTML}{0072B2}'
    wrap "figures-$l" $babel $figs
    clean "figures-$l"
    pre=
done

# ---- every display fits the text width (issue 11, defects 3, 6) ------------
# L = 1..12 in every --form and --expand, both languages, in an A4 article
# (\textwidth 345pt, the default) and on A5 paper with 15 mm margins (118
# mm, --textwidth 118mm): the fragments of each page and language in one
# document, compiled twice; no overfull box, no undefined or multiply
# defined reference.  (Underfull boxes are allowed here: a paragraph with
# formulas that cannot break may stretch its spaces, \emergencystretch.)
# The cost cycles through generic, quadratic, cross-entropy with L, and
# for L >= 2 dC/db_1 is compared with dC/db_L (the widest comparison).  The whole matrix: 720 fragments, 8 pdflatex runs.
for page in a4 a5; do
    page_geometry $page
    for l in en pt; do
        [ $l = en ] && babel=english || babel=brazilian
        doc="fit-$page-$l"
        {
            printf '%s\n' '\documentclass{article}' '\usepackage[T1]{fontenc}' \
                '\usepackage[utf8]{inputenc}' "\\usepackage[$babel]{babel}" \
                "$geom" '\usepackage{amsmath}' '\usepackage{xcolor}' \
                '\begin{document}'
        } >"$tmp/$doc.tex"
        L=1
        while [ $L -le 12 ]; do
            case $((L % 3)) in
                0) cost=generic ;; 1) cost=quadratic ;; *) cost=cross-entropy ;;
            esac
            cmp=
            [ $L -ge 2 ] && cmp="--compare b$L"
            for form in auto expanded compact elided grouped; do
                for x in none logistic exp; do
                    f="$doc-$L-$form-$x"
                    # shellcheck disable=SC2086
                    g derivation --layers $L $cmp --form $form --expand $x \
                        --cost $cost --lang $l --textwidth $tw -o "$tmp/$f.tex"
                    printf '\\input{%s}\n' "$f" >>"$tmp/$doc.tex"
                done
            done
            L=$((L + 1))
        done
        printf '%s\n' '\end{document}' >>"$tmp/$doc.tex"
        compile "$doc"
        compile "$doc"
        checks=$((checks + 1))
        ! grep -a 'Overfull \\hbox\|undefined\|multiply defined' "$tmp/$doc.log" \
            || fail "$doc.tex: a line passes the text width, or a reference warning"
    done
done
# --float references and breaking
# (issue 11) an ellipsis never stands alone on a line: the 6-layer
# cross-entropy cascade that broke "\times \cdots" onto a line of its own,
# with other forms and expansions, on A4 and A5, compiles without an
# overfull box and no line of its source holds the ellipsis alone (with
# the floated figure: its sentence on the expansion, whose example passed
# the margin of A5 when it was inline).  With
# --float the prose cites the floats: the comparison written alone cites
# the figure only once the document has it (no "??" without it), and with
# the figure and plot \input after it, "Figure 1 marks" / "A Figura 1
# marca", and the plot's "Figure 2 plots it" / "A Figura 2 mostra".
for page in a4 a5; do
    page_geometry $page
    files=
    for form in auto expanded elided; do
        for x in none exp; do
            f="dots-$page-$form-$x"
            g derivation --layers 6 --cost cross-entropy --wrt b2 --compare b5 \
                --form $form --expand $x --textwidth $tw --figure --float \
                --label "$f" -o "$tmp/$f.tex"
            checks=$((checks + 1))
            ! grep -n '^ *&\\qquad\\times \\cdots\( \\notag\\\\\)*$\|\\cdots \\notag\\\\$' \
                "$tmp/$f.tex" || fail "$f.tex: an ellipsis alone or ending a line"
            files="$files $f"
        done
    done
    pre=$geom
    # shellcheck disable=SC2086
    wrap "dots-$page" english $files
    pre=
    compile "dots-$page"
    checks=$((checks + 1))
    ! grep -a 'Overfull \\hbox\|undefined\|multiply defined' "$tmp/dots-$page.log" \
        || fail "dots-$page.tex: a line passes the text width, or a reference warning"
done
# an A5 book numbers equations by chapter: every step of the full 12-layer
# cascade keeps its tag "(1.10)" on its line (pdftotext -layout shows no
# line holding a tag alone), en and pt
for l in en pt; do
    [ $l = en ] && babel=english || babel=brazilian
    g derivation --layers 12 --wrt b2 --compare b9 --form expanded \
        --cost cross-entropy --cascade full --textwidth 118mm --lang $l \
        -o "$tmp/tags-$l-frag.tex"
    {
        printf '%s\n' '\documentclass[a5paper]{book}' '\usepackage[T1]{fontenc}' \
            '\usepackage[utf8]{inputenc}' "\\usepackage[$babel]{babel}" \
            '\usepackage[a5paper,margin=15mm]{geometry}' '\usepackage{amsmath}' \
            '\usepackage{xcolor}' '\begin{document}' '\chapter{A}' \
            "\\input{tags-$l-frag}" '\end{document}'
    } >"$tmp/tags-$l.tex"
    compile "tags-$l"
    compile "tags-$l"
    checks=$((checks + 1))
    ! grep -a 'Overfull \\hbox\|undefined\|multiply defined' "$tmp/tags-$l.log" \
        || fail "tags-$l.tex: a line passes the text width, or a reference warning"
    pdftotext -layout "$tmp/tags-$l.pdf" "$tmp/tags-$l.txt"
    checks=$((checks + 1))
    ! grep -E '^ *\([0-9]+\.[0-9]+\) *$' "$tmp/tags-$l.txt" \
        || fail "tags-$l: an equation's tag on a line of its own"
done
for l in en pt; do
    [ $l = en ] && babel=english cite='Figure 1 marks the extra' \
        plot='Figure 2 plots it' \
        || babel=brazilian cite='A Figura 1 marca os fatores' \
        plot='A Figura 2 mostra o seu gr'
    for p in compare figure plot; do
        g derivation --layers 4 --wrt b1 --compare b3 --figure --plot --float \
            --lang $l --part $p -o "$tmp/cite-$p-$l.tex"
    done
    wrap "cite-alone-$l" $babel cite-compare-$l
    compile "cite-alone-$l"
    clean "cite-alone-$l"
    pdftotext "$tmp/cite-alone-$l.pdf" "$tmp/cite-alone-$l.txt"
    checks=$((checks + 1))
    ! grep -q '??\|Figur' "$tmp/cite-alone-$l.txt" \
        || fail "cite-alone-$l: a citation of a figure the document lacks"
    wrap "cite-$l" $babel cite-compare-$l cite-figure-$l cite-plot-$l
    compile "cite-$l"
    clean "cite-$l"
    pdftotext "$tmp/cite-$l.pdf" - | tr '\n' ' ' >"$tmp/cite-$l.txt"
    checks=$((checks + 1))
    ! grep -q '??' "$tmp/cite-$l.txt" || fail "cite-$l: an unresolved reference"
    has "$tmp/cite-$l.txt" "$cite" "cite-$l: the comparison cites the figure"
    has "$tmp/cite-$l.txt" "$plot" "cite-$l: the plot is cited"
done

# ---- issue 11: every activation's derivation with --plot-activation
# and a floated plot, derive --label beside it, referred to by \eqref
# and \ref: in en and pt, two runs, no box or reference warning
for l in en pt; do
    case $l in en) bl=english ;; *) bl=brazilian ;; esac
    files=
    for a in tanh relu leaky-relu softplus identity gelu; do
        g derivation --layers 4 --wrt b1 --compare b3 --figure \
            --plot-activation --float --activation $a --lang $l \
            --label "doc-$a" -o "$tmp/lab-$l-$a.tex"
        g derive --layers 4 --wrt b2 --activation $a --label "eq-$a" \
            -o "$tmp/lab-$l-$a-d.tex"
        g derive --layers 4 --wrt wj --activation $a --label "gen-$a" \
            -o "$tmp/lab-$l-$a-g.tex"
        printf '%s\n' "See \\eqref{eq-$a:product}, \\eqref{gen-$a:general-w}," \
            "\\eqref{doc-$a:product} and plot \\ref{doc-$a:plot}." \
            >"$tmp/lab-$l-$a-r.tex"
        files="$files lab-$l-$a lab-$l-$a-d lab-$l-$a-g lab-$l-$a-r"
    done
    # shellcheck disable=SC2086
    wrap "labels-$l" $bl $files
    compile "labels-$l"
    clean "labels-$l"
done


# ---- deep chains: the elided figure fits the text width at its size ------
# (issue 11) L = 12 and 40, dC/db_1 compared with b_2, en and pt, on A4
# (345 pt) and A5 with 15 mm margins (--textwidth 118mm): each figure
# taken out of its \resizebox and set alone on a line has no overfull
# box (longer chains and two ellipses: the last block).  The standalone
# document of --textwidth 118mm compiles and its \textwidth is 118 mm.
for page in a4 a5; do
    page_geometry $page
    for l in en pt; do
        [ $l = en ] && babel=english || babel=brazilian
        doc="deepfig-$page-$l" figs=
        for n in 12 40; do
            f="$doc-$n"
            g derivation --layers $n --wrt b1 --compare b2 --figure \
                --part figure --lang $l --textwidth $tw -o "$tmp/$f.tex"
            { printf '\\noindent\n'
              sed -n -e '/^\\begin{tikzpicture}/,/^\\end{tikzpicture}/p' \
                  "$tmp/$f.tex" | sed 's/^\(\\end{tikzpicture}\)}$/\1/'
              printf '\n\n'; } >"$tmp/$f-alone.tex"
            figs="$figs $f-alone"
        done
        pre="$geom\\providecolor{gradchain-extra}{HTML}{E69F00}"
        pre="$pre\\providecolor{gradchain-shared}{HTML}{0072B2}"
        # shellcheck disable=SC2086
        wrap "$doc" $babel $figs
        pre=
        checks=$((checks + 1))
        ! grep -a 'Overfull \\hbox' "$tmp/$doc.log" \
            || fail "$doc.tex: an elided figure passes the text width"
    done
done
for n in 40 1000; do
    g derivation --layers $n --compare b$((n / 2)) --figure --textwidth 118mm \
        --standalone -o "$tmp/deepfig-page.tex"
    sed 's/^\\end{document}/\\typeout{TW=\\the\\textwidth}&/' \
        "$tmp/deepfig-page.tex" >"$tmp/deepfig-tw.tex"
    compile deepfig-tw
    compile deepfig-tw
    checks=$((checks + 1))
    ! grep -a 'Overfull \\hbox\|undefined\|multiply defined' \
        "$tmp/deepfig-tw.log" || fail "deepfig-tw.tex (L = $n): a line passes \
the text width, or a reference warning"
done
checks=$((checks + 1))
grep -q '^TW=335\.7' "$tmp/deepfig-tw.log" \
    || fail "deepfig-tw.tex: --standalone --textwidth 118mm: \\textwidth is not 118 mm"

# ---- every figure at its natural size (issue 11): L = 5 .. 999999 --------
# The figure of each (J, K) -- b_1 alone, b_1 against b_2 and b_L, b_J
# against b_K with both far from each other and from L (two gaps), b_{L-1}
# against b_L, w_J -- for L = 5, 12, 13, 40, 100, 1000 and 999999, the
# costs, expansions and activations in turn, en and pt, A4 (345 pt) and
# A5 with 15 mm margins (--textwidth 118mm): each tikzpicture, out of its
# \resizebox, is boxed and its natural width written to the log; none
# passes \textwidth, so \resizebox never scales a figure.  One pdflatex
# run a page and language (168 figures in 4 runs).
n=0
for page in a4 a5; do
    page_geometry $page
    for l in en pt; do
        figs=
        for L in 5 12 13 40 100 1000 999999; do
            h=$((L / 2 + 1)) q=$((L / 4 > 2 ? L / 4 : 2))
            for jk in 1:0 1:2 1:$L $q:$h $((L - 1)):$L w$h; do
                n=$((n + 1))
                case $((n % 3)) in
                    0) opt="--cost cross-entropy --expand logistic" ;;
                    1) opt="--cost quadratic --expand exp" ;;
                    *) opt="--cost cross-entropy --expand none" ;;
                esac
                [ $((n % 7)) = 0 ] && opt="--activation gelu --expand closed"
                [ $((n % 11)) = 0 ] && opt="--activation per-layer --cost cross-entropy"
                case $jk in
                    w*) wrt=$jk cmp= ;;
                    *:0) wrt=b1 cmp= ;;
                    *) wrt=b${jk%:*} cmp="--compare b${jk#*:}" ;;
                esac
                f="natfig-$page-$l-$L-$wrt${cmp#--compare }"
                # shellcheck disable=SC2086
                g derivation --layers $L --wrt $wrt $cmp $opt --figure \
                    --part figure --lang $l --textwidth $tw -o "$tmp/$f.tex"
                # (the picture alone: no space at its ends, as in its \resizebox)
                { printf '\\setbox0\\hbox{%%\n'
                  sed -n '/^\\begin{tikzpicture}/,/^\\end{tikzpicture}/p' "$tmp/$f.tex" \
                      | sed 's/^\(\\end{tikzpicture}\)}\{0,1\}$/\1%/'
                  printf '}\\typeout{GCWD %s \\the\\wd0 \\the\\textwidth}\n' "$f"
                } >"$tmp/$f-box.tex"
                figs="$figs $f-box"
            done
        done
        [ $l = en ] && babel=english || babel=brazilian
        pre="$geom\\providecolor{gradchain-extra}{HTML}{E69F00}"
        pre="$pre\\providecolor{gradchain-shared}{HTML}{0072B2}"
        # shellcheck disable=SC2086
        wrap "natfig-$page-$l" $babel $figs
        pre=
        checks=$((checks + 1))
        awk '/^GCWD / { n++; split($3, v, "pt")
                 if (v[1] + 0 > v[2] + 0) { print "  " $2 ": " v[1] " > " v[2] " pt"; bad = 1 } }
             END { if (n != 42) { print "  " n " figures measured, not 42"; bad = 1 }
                   exit bad }' "$tmp/natfig-$page-$l.log" >&2 \
            || fail "natfig-$page-$l: a figure is wider than the text at its natural size"
    done
done

# review of issue 11 (defects 3, 4, 9): the pt figure sentence with its
# pronoun (no overfull line at 345pt), the conclusion's product displayed
# when it holds a fraction or is long (no underfull "Hence $...$. Since"
# line), the elided figure's sentence; en and pt, A4 and A5
for l in en pt; do
    [ $l = en ] && babel=english || babel=brazilian
    for page in a4 a5; do
        case $page in
            a4) tw=345pt pre='\usepackage{lmodern}' ;;
            a5) tw=118mm pre='\usepackage{lmodern}\usepackage[a5paper,margin=15mm]{geometry}' ;;
        esac
        files=
        n=0
        for args in "--layers 3 --wrt w2 --figure" \
            "--layers 6 --compare b3 --expand exp" \
            "--layers 12 --form expanded --expand exp --cost cross-entropy --compare b12" \
            "--layers 40 --compare b5 --activation gelu --figure" \
            "--layers 40 --compare b5 --figure"; do
            n=$((n + 1))
            # shellcheck disable=SC2086
            g derivation $args --lang $l --textwidth $tw --label r11-$n \
                -o "$tmp/r11-$page-$l-$n.tex"
            files="$files r11-$page-$l-$n"
        done
        # shellcheck disable=SC2086
        wrap "r11-$page-$l" $babel $files
        compile "r11-$page-$l"
        clean "r11-$page-$l"
        pre=
    done
done

# ---- wide layers (derivation --neurons, derive --neurons; issue 13) ----------
# standalone documents at A4 and on a small page (A5-like text, 118 mm by
# 170 mm), en and pt, numeric and symbolic width, up to L = 12 with every
# factor and L = 100 as a \prod: compiled twice (the \eqref of the
# matrix form), no box or reference warning
n=0
for args in "--layers 12 --neurons 64 --wrt b1[2] --cost quadratic" \
    "--layers 12 --neurons n --wrt w2[3,1] --cost cross-entropy --lang pt" \
    "--layers 12 --neurons 64 --activation tanh --textwidth 118mm --textheight 170mm" \
    "--layers 12 --neurons n --wrt w12[i,j] --lang pt --textwidth 118mm --textheight 170mm" \
    "--layers 100 --neurons 64 --wrt b1[64] --break split --textwidth 118mm"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    g derivation $args --standalone -o "$tmp/wide-$n.tex"
    compile "wide-$n"
    compile "wide-$n"
    clean "wide-$n"
done
# an A5 book (10pt, \textwidth 276pt), en and pt, inner and output layer:
# the inline formulas of the prose ($\Sigma'(z^{l}) = \sigma'(z_{l})$) fit
# because \emergencystretch acts at the end of each paragraph
for l in en pt; do
    for w in b1 'b4[i]' 'w4[i,j]'; do
        n=a5-$l-$(echo "$w" | tr -d '[],')
        g derivation --layers 4 --neurons n --wrt "$w" --lang $l \
            --textwidth 276pt --standalone -o "$tmp/$n.tex"
        compile "$n"
        compile "$n"
        clean "$n"
    done
done
# the chain's parts on wide layers (cascade, comparison, plot, floats,
# colours) and the figure (all columns, middle columns elided, long
# labels: diag(GELU'), L = 10^6), at A4 and on the small page, en and
# pt: compiled twice, no box or reference warning
for page in a4 a5; do
    if [ $page = a4 ]; then sz=; else sz="--textwidth 118mm --textheight 170mm"; fi
    for l in en pt; do
        m=0
        for args in "--layers 6 --neurons n --compare b4 --plot --float" \
            "--layers 20 --neurons 64 --wrt b15[3] --compare b2 --plot --activation tanh --cost quadratic --color none" \
            "--layers 1000000 --neurons n --compare b999999 --plot --activation per-layer" \
            "--layers 12 --neurons n --wrt b3 --compare b12 --cascade full --cost cross-entropy" \
            "--layers 12 --neurons 64 --wrt w3[2,1] --cascade full --plot --activation relu" \
            "--layers 6 --neurons n --compare b4 --figure --float" \
            "--layers 3 --neurons 2 --part figure" \
            "--layers 40 --neurons 64 --wrt b20[3] --figure --activation gelu --color none" \
            "--layers 1000000 --neurons 5 --wrt w3[2,1] --figure --float --plot --activation per-layer"; do
            m=$((m + 1))
            n=wparts-$page-$l-$m
            # shellcheck disable=SC2086
            g derivation $args $sz --lang $l --standalone -o "$tmp/$n.tex"
            compile "$n"
            compile "$n"
            clean "$n"
        done
    done
done
# a page narrower than 250pt at L = 10^6 (200pt): the chain's elided product
# breaks after its ellipsis, a wide row of the cascade after diag(...),
# the comparison after its first pair
for l in en pt; do
    g derivation --layers 1000000 --neurons n --activation gelu --compare b3 \
        --lang $l --textwidth 200pt --standalone -o "$tmp/narrow-$l.tex"
    compile "narrow-$l"
    compile "narrow-$l"
    # so narrow a line may be loose (underfull), but nothing passes the
    # margin
    checks=$((checks + 1))
    ! grep -a 'Overfull \\[hv]box\|undefined' "$tmp/narrow-$l.log" \
        || fail "narrow-$l.tex: an overfull box or an undefined reference"
done
# two derivations of wide layers, each in parts from separate files, and
# a chain's, in one document: no label defined twice, none undefined
g derivation --layers 6 --neurons n --compare b4 --plot --float --part product,compare \
    -o "$tmp/wp1.tex"
g derivation --layers 6 --neurons n --compare b4 --plot --figure --float \
    --part cascade,figure,plot \
    -o "$tmp/wp2.tex"
g derivation --layers 6 --neurons n --compare b3 --plot --float -o "$tmp/wp3.tex"
g derivation --layers 6 --compare b3 --plot --float -o "$tmp/wp4.tex"
wrap wide-parts english wp1 wp2 wp3 wp4
compile wide-parts
clean wide-parts

# fragments of two derivations and derive's equations in one document:
# their labels never meet
open= close=
g derive --layers 12 --neurons n --break multline --label dw1 -o "$tmp/wd1.tex"
g derive --layers 12 --neurons 64 --wrt 'b1[i]' --break split --width 60 \
    --label dw2 -o "$tmp/wd2.tex"
g derivation --layers 6 --neurons 64 --wrt b2 --cost quadratic -o "$tmp/wd3.tex"
wrap wide-fragments english "$golden/doc-wide-en.tex" wd1 wd2 wd3
compile wide-fragments
clean wide-fragments
wrap wide-fragments-pt brazilian "$golden/doc-wide-pt.tex"
compile wide-fragments-pt
clean wide-fragments-pt

finish
