# Shared helpers of the pdflatex tests (sourced after tests/cli-lib.sh;
# POSIX sh): latex-compile.sh and latex-matrix.sh.

# compile NAME: $tmp/NAME.tex compiles (one check)
compile () {
    checks=$((checks + 1))
    (cd "$tmp" && pdflatex -halt-on-error -interaction=nonstopmode "$1.tex" \
        >"$1.out" 2>&1) || {
        fail "$1.tex does not compile:"
        grep -A3 '^!' "$tmp/$1.out" | sed 's/^/  | /' >&2 || :
    }
}

# preamble CLASSLINE BABEL: the lines from \documentclass to
# \begin{document} of a document loading every package a derivation or a
# plot may name, then $pre (the caller's additions)
pre=
preamble () {
    printf '%s\n' "$1" '\usepackage[T1]{fontenc}' \
        '\usepackage[utf8]{inputenc}' "\\usepackage[$2]{babel}" \
        '\usepackage{amsmath}' '\usepackage{xcolor}' \
        '\usepackage{graphicx}' '\usepackage{tikz}' \
        '\usetikzlibrary{decorations.pathreplacing}' '\usepackage{pgfplots}' \
        '\pgfplotsset{compat=1.18}' "$pre" '\begin{document}'
}

# frag NAME ARGS...: the fragment $tmp/NAME.tex of gradchain derivation ARGS
frag () {
    _n=$1
    shift
    run 0 derivation "$@" -o "$tmp/$_n.tex"
}

# multi NAME CLASS BABEL HEADING FRAGMENTS...: the document NAME of class
# CLASS (with the options $classopt, if any) around the fragments, each
# after HEADING (in beamer: each in a frame; no bookmarks, whose file
# NAME.out is compile's log), compiled twice, then its references checked
# (memoir writes a label's number as \M@TitleReference {NUMBER}{TITLE}):
# no undefined or multiply defined reference, each fragment's product
# defined once and numbered as the first equation after its \input
classopt=
multi () {
    _n=$1 _class=$2 _lang=$3 _head=$4 _opt=$classopt
    shift 4
    [ "$_class" = beamer ] && _opt="${_opt:+$_opt,}hyperref={bookmarks=false}"
    {
        preamble "\\documentclass${_opt:+[$_opt]}{$_class}" "$_lang"
        for f in "$@"; do
            _p=$(sed -n 's/^% Labels: \(.*\):product .*/\1/p' "$tmp/$f.tex")
            [ "$_class" = beamer ] && printf '%s\n' '\begin{frame}[allowframebreaks]'
            printf '%s\n' "$_head" "\\typeout{GCFRAG $_p \\theequation}" "\\input{$f}"
            [ "$_class" = beamer ] && printf '%s\n' '\end{frame}'
        done
        printf '%s\n' '\end{document}'
    } >"$tmp/$_n.tex"
    compile "$_n"
    compile "$_n"
    checks=$((checks + 1))
    ! grep -a 'undefined\|multiply defined' "$tmp/$_n.log" \
        || fail "$_n.tex: an undefined or multiply defined reference"
    checks=$((checks + 1))
    grep -a '^GCFRAG ' "$tmp/$_n.log" | while read -r _x _p _eq; do
        # the number just after _eq: its last component plus one
        _want=$(echo "$_eq" | awk -F. '{ $NF = $NF + 1; print }' OFS=.)
        _got=$(grep -c "^\\\\newlabel{$_p:product}{" "$tmp/$_n.aux")
        [ "$_got" = 1 ] || { echo "$_p:product defined $_got times"; exit 1; }
        grep -q "^\\\\newlabel{$_p:product}{{\\(\\\\M@TitleReference {\\)\\{0,1\\}$_want}" \
            "$tmp/$_n.aux" \
            || { echo "$_p:product is not ($_want)"; exit 1; }
    done || fail "$_n.aux: a label defined twice or on the wrong equation"
    checks=$((checks + 1))
    [ "$(grep -ac '^GCFRAG ' "$tmp/$_n.log")" = $# ] \
        || fail "$_n: not every fragment was read"
}

# page_geometry PAGE: sets tw (the --textwidth) and geom (the preamble's
# geometry line) of PAGE: a4, an article's 345 pt; a5, 15 mm margins
page_geometry() {
    if [ "$1" = a4 ]; then
        tw=345pt geom=
    else
        tw=118mm geom='\usepackage[a5paper,margin=15mm]{geometry}'
    fi
}
