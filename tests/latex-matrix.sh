#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# latex-matrix.sh -- issue 11's acceptance matrix: for each document class
# (article with \section, book and memoir with \chapter, beamer with one
# derivation per frame), at two text widths and in en and pt, one document
# holds twelve DIFFERENT derivations that together cover L = 1..12, every
# --form and --expand, the three costs, with and without --figure and
# --plot, some --float, --cascade full and none, and two derivations split
# by --part with the author's prose between the parts.  Each document is
# compiled twice; its log has no error, no overfull \hbox, no undefined or
# multiply defined reference, every product label is defined once on its
# own equation (multi), and its \textwidth is the --textwidth given to
# gradchain; no overfull \vbox either (a display running off a page or
# a frame: beamer frames cannot break an align, so there the derivations
# are given --textheight, the frame's height as doc/derivation.md says).
# Then the golden files of issue 11's options compile the same way.  The
# matrix takes about 65 s of CPU (2 x 16 pdflatex runs, one at a time),
# 100 to 110 s of wall time on a shared two-core machine.
#
# The widths: A4, the class's own \textwidth with the a4paper option
# (article and book 345 pt, memoir 341 pt); A5, a5paper with 15 mm
# margins (geometry), --textwidth 118mm.  A beamer frame is 128 mm wide
# (4:3, \textwidth 307.29 pt) or 160 mm (aspectratio=169, 398.34 pt),
# and beamer sets 11pt type (10.95 pt): as doc/derivation.md says for
# 11pt, the --textwidth given is the frame's \textwidth times 10/10.95,
# rounded down: 280pt and 363pt.  The height a frame leaves a display
# (\textheight, 269.15 pt at 4:3 and 252.07 pt at 16:9, less the frame
# title and the line of text a display is glued to) is about 216 pt and
# 200 pt, measured with a rule in an align: times 10/10.95, less a margin
# for the height model, --textheight 205pt and 190pt.

set -e
. "$srcdir/tests/cli-lib.sh"
. "$srcdir/tests/latex-lib.sh"
command -v pdflatex >/dev/null 2>&1 \
    || skip "pdflatex is not installed: the LaTeX matrix is not compiled"
command -v kpsewhich >/dev/null 2>&1 \
    || skip "kpsewhich is not installed: cannot look for the LaTeX packages"
for f in memoir.cls beamer.cls geometry.sty tikz.sty pgfplots.sty english.ldf \
    brazilian.ldf; do
    [ -n "$(kpsewhich $f)" ] || skip "$f is not installed: the LaTeX matrix is not compiled"
done

# the labels of --textheight's derivations (...-tw363pt-th190pt:product)
# make the GCFRAG lines of the log longer than TeX's 79 columns: unwrapped
max_print_line=1000
export max_print_line

forms='auto expanded compact elided grouped'
expands='none logistic exp'
costs='generic quadratic cross-entropy'
# nth N WORDS...: the word N (from 0) of WORDS
nth () {
    _i=$1
    shift
    shift "$_i"
    echo "$1"
}
# derivations DOC C LANG TW HEADING...: the fragments $tmp/DOC-L.tex, L =
# 1..12, rotated by C (the class's index) so that each class sees other
# pairs of L and form, expansion and cost; sets list (their names).  The
# fragments of L = 6 and 11 are split into two --part files \input by a
# third with the author's prose between them.
derivations () {
    _d=$1 _c=$2 _l=$3 _tw=$4 _h=$5
    list=
    L=1
    while [ $L -le 12 ]; do
        k=$((L + _c))
        set -- --layers $L --lang $_l --textwidth $_tw --heading "$_h" $th \
            --form "$(nth $((k % 5)) $forms)" --expand "$(nth $((k % 3)) $expands)" \
            --cost "$(nth $(((L - 1) / 3 % 3)) $costs)"
        cmp=,compare
        if [ $((L % 4)) = 3 ]; then
            set -- "$@" --wrt w$((L / 2))
            cmp=
        elif [ $((L % 4)) = 0 ]; then
            set -- "$@" --wrt b2 --compare b$L
        elif [ $L -ge 2 ]; then
            set -- "$@" --compare b$L
        fi
        [ $((k % 2)) = 0 ] && set -- "$@" --figure
        [ $((k % 4)) = 1 ] && set -- "$@" --plot
        # --float only with something to float (without, it exits 2)
        if [ $((L % 3)) = 0 ]; then
            case " $* " in
                *" --figure "* | *" --plot "*) set -- "$@" --float ;;
            esac
        fi
        [ $L = 8 ] && set -- "$@" --cascade full
        [ $L = 10 ] && set -- "$@" --cascade none
        # a cascade whose first and last steps alone pass the frame's
        # height is refused (exit 2 naming --textheight): a talk writes
        # it without the cascade
        if [ -n "$th" ] && ! "$GRADCHAIN" derivation "$@" >/dev/null 2>"$tmp/err" \
            && grep -q '^gradchain: --textheight' "$tmp/err"; then
            echo "$_d-$L: the cascade does not fit --textheight: --cascade none"
            set -- "$@" --cascade none
        fi
        f="$_d-$L"
        if [ $L = 6 ] || [ $L = 11 ]; then
            frag "$f-a" "$@" --part product$cmp,figure
            frag "$f-b" "$@" --figure --plot --part cascade,plot,general
            {
                grep '^% Labels:' "$tmp/$f-a.tex"
                printf '%s\n' "\\input{$f-a}" \
                    "The author's prose between the parts of one derivation." \
                    "\\input{$f-b}"
            } >"$tmp/$f.tex"
        else
            frag "$f" "$@"
        fi
        list="$list $f"
        L=$((L + 1))
    done
}

# textwidth DOC TW: the \textwidth that DOC's log reports (GCTW, in pt, with
# the font size) times 10 over the font size is TW (to 1.5 pt)
textwidth () {
    checks=$((checks + 1))
    grep -a '^GCTW ' "$tmp/$1.log" | head -1 | awk -v tw="$2" '
        { u = substr(tw, length(tw) - 1); v = substr(tw, 1, length(tw) - 2)
          want = v * (u == "mm" ? 72.27 / 25.4 : 1); got = $2 * 10 / $3
          printf "%s: \\textwidth %s pt at %s pt, --textwidth %s (%.2f pt)\n", \
              FILENAME, $2, $3, tw, want
          exit !(got >= want && got - want < 1.5) }' \
        || fail "$1: \\textwidth is not the --textwidth $2"
}

start=$(date +%s)
c=0
for class in article book memoir beamer; do
    for page in a4 a5; do
        page_geometry $page
        th=
        case $class-$page in
            memoir-a4) tw=341pt ;;
            beamer-a4) tw=363pt th=--textheight=190pt ;;
            beamer-a5) tw=280pt th=--textheight=205pt ;;
        esac
        case $class in
            beamer) head='\frametitle{Derivation}' heading=none geom=
                    [ $page = a4 ] && classopt=aspectratio=169 || classopt= ;;
            article) head='\section{Derivation}' heading=subsection classopt=${page}paper ;;
            *) head='\chapter{Derivation}' heading=section classopt=${page}paper ;;
        esac
        for l in en pt; do
            [ $l = en ] && babel=english || babel=brazilian
            doc="$class-$page-$l"
            derivations "$doc" $c $l $tw $heading
            pre="$geom\\makeatletter\\AtBeginDocument{\\typeout{GCTW"
            pre="$pre \\strip@pt\\textwidth\\space\\f@size}}\\makeatother"
            # memoir's running head, "CAPÍTULO 1", is 0.16 pt taller than
            # its 12 pt \headheight: an author sets it higher (memoir's
            # own layout on A4, geometry's on A5)
            case $class-$page in
                memoir-a4) pre="$pre\\setheadfoot{14pt}{\\footskip}\\checkandfixthelayout" ;;
                memoir-a5) pre="$pre\\geometry{headheight=14pt}" ;;
            esac
            # shellcheck disable=SC2086
            multi "$doc" $class $babel "$head" $list
            checks=$((checks + 1))
            ! grep -a -A2 'Overfull \\hbox' "$tmp/$doc.log" \
                || fail "$doc.tex: a line passes the text width"
            textwidth "$doc" $tw
            # a page's content taller than the page: the long aligns of
            # the cascade break across pages (\allowdisplaybreaks), and
            # fit beamer's frames, which cannot break them, by
            # --textheight
            checks=$((checks + 1))
            ! grep -a 'Overfull \\vbox' "$tmp/$doc.log" \
                || fail "$doc.tex: a display runs off the page or frame"
            if [ -n "${GC_MATRIX_KEEP-}" ]; then
                mkdir -p "$GC_MATRIX_KEEP"
                cp "$tmp/$doc.pdf" "$tmp/$doc.tex" "$GC_MATRIX_KEEP/"
            fi
        done
    done
    c=$((c + 1))
done
echo "the matrix took $(($(date +%s) - start)) s"

# golden_doc NAME BABEL FILES...: the golden files FILES of issue 11's
# options (cli-derive.sh) \input into one article, compiled twice, with
# no box or reference warning
golden_doc () {
    _n=$1 _b=$2
    shift 2
    {
        preamble '\documentclass{article}' "$_b"
        for f in "$@"; do printf '\\input{%s}\n' "$srcdir/tests/data/golden/$f"; done
        printf '%s\n' '\end{document}'
    } >"$tmp/$_n.tex"
    compile "$_n"
    compile "$_n"
    checks=$((checks + 1))
    ! grep -a 'Overfull\|undefined\|multiply defined' "$tmp/$_n.log" \
        || fail "$_n.tex: a box or reference warning"
}
pre=
golden_doc golden-en english doc-label-nocolor-en.tex doc-cascade.tex \
    doc-textheight.tex
# doc-textwidth-pt is laid out for A5's 118 mm
pre='\usepackage[a5paper,margin=15mm]{geometry}'
golden_doc golden-pt brazilian doc-textwidth-pt.tex doc-gelu-plot-pt.tex \
    derive-label.txt
finish
