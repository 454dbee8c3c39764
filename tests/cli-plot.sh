#!/bin/sh
# Copyright (C) 2026 The gradchain authors
#
# This file is part of gradchain.
#
# gradchain is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the
# Free Software Foundation; either version 3 of the License, or (at your
# option) any later version.

# cli-plot.sh -- 'gradchain plot': the lines and levels against closed
# forms, where each format's line stops, pt's decimal commas, usage errors
# naming the token, and all-or-nothing output files.
set -e
. "$srcdir/tests/cli-lib.sh"

# The chain of factor 1/4: a0 = 1/2, w = 1, b = -1/2 keep every z_j = 0,
# so s'(z_j) = 1/4 and dC/db_j = (1/2) 4^-(L-j+1) exactly (y = 0):
# log10|dC/db_j| = log10(1/2) - (L-j+1) log10(4).  Every value is a power
# of two, so a format rounds it only below its min subnormal 2^(m): the
# pytorch sequence forms g (1-a) = 2^-(2d+2) before a, and 2^(m-1) ties to
# even 0, so the last depth d a format keeps is the largest with
# 2d + 2 <= -m: binary16 (m = -24) 11, bfloat16 (-133) 65 + 1 = 66 (the
# product 2^-134 is a tie, but 2^-133 at d = 66 is kept), binary32
# (-149) 74, binary64 (-1074) all 80.
L=80
{
    printf 'a0 1/2\ny 0\n'
    i=0
    while [ $i -lt $L ]; do printf '1 -1/2\n'; i=$((i + 1)); done
} >"$tmp/quarter.net"

run 0 plot "$tmp/quarter.net"
empty "$tmp/err" "plot: stderr"
cp "$tmp/out" "$tmp/q.tex"
has "$tmp/q.tex" '% gradchain plot (fragment)' "fragment header"
has "$tmp/q.tex" '\pgfplotsset{compat=1.18}' "fragment header: compat"

# points STYLE: the points of the line in style STYLE, one per line
points () {
    awk -v s="$1" 'index($0, "\\addplot[" s ",") == 1 { f = 1 }
        f { print } f && /;$/ { exit }' "$tmp/q.tex" |
        grep -o '([^)]*)' | tr -d '()'
}

# closed forms of every exact point and of the stops
points 'gradchain exact' >"$tmp/exact"
checks=$((checks + 1))
awk -F, -v L=$L 'BEGIN { bad = 0 }
    { want = log(0.5) / log(10) - (L - $1 + 1) * log(4) / log(10)
      if ($2 - want > 1e-6 || want - $2 > 1e-6) { bad = 1; print } n++ }
    END { exit bad || n != L }' "$tmp/exact" \
    || fail "exact line: not the closed form of every layer"
for f in "1 binary64 80" "2 binary32 74" "3 bfloat16 66" "4 binary16 11"; do
    set -- $f
    points "gradchain format $1" >"$tmp/f$1"
    checks=$((checks + 1))
    [ "$(wc -l <"$tmp/f$1")" -eq "$3" ] \
        || fail "$2: $(wc -l <"$tmp/f$1") points, expected $3"
    checks=$((checks + 1))
    [ "$(sed -n 1p "$tmp/f$1" | cut -d, -f1)" -eq $((L - $3 + 1)) ] \
        && [ "$(sed -n '$p' "$tmp/f$1" | cut -d, -f1)" -eq $L ] \
        || fail "$2: the line does not run from layer $((L - $3 + 1)) to $L"
    # where it is drawn, the format holds the exact power of two
    checks=$((checks + 1))
    awk -F, 'NR == FNR { e[$1] = $2; next }
        { d = $2 - e[$1]; if (d > 1e-6 || d < -1e-6) exit 1 }' \
        "$tmp/exact" "$tmp/f$1" || fail "$2: not the exact values"
    has "$tmp/q.tex" "\\addlegendentry{$2}" "$2: legend"
done
# levels: binary16's min normal 2^-14 and min subnormal 2^-24; the far
# ones (binary64's) in a comment; binary32 and bfloat16 share 2^-126
has "$tmp/q.tex" '(1,-4.21441994) (80,-4.21441994)' "binary16 min normal"
has "$tmp/q.tex" '(1,-7.2247199) (80,-7.2247199)' "binary16 min subnormal"
has "$tmp/q.tex" '{binary16 min. subnormal}' "level label"
has "$tmp/q.tex" '{binary32, bfloat16 min. normal}' "a shared level"
has "$tmp/q.tex" '% level beyond the axis, not drawn: -323.306215 binary64 min. subnormal' \
    "far level"

# pt: decimal commas and 1.000, Portuguese words
run 0 plot --lang pt --formats binary16 "$tmp/quarter.net"
has "$tmp/out" '/pgf/number format/use comma' "pt: use comma"
has "$tmp/out" '/pgf/number format/1000 sep={.}' "pt: 1000 sep"
has "$tmp/out" '{binary16 mín. normal}' "pt: words"
has "$tmp/out" '\addlegendentry{exato}' "pt: legend"
has "$tmp/out" 'xlabel={camada $j$}' "pt: axis"
run 0 plot --formats binary16 "$tmp/quarter.net"
checks=$((checks + 1))
! grep -q 'use comma' "$tmp/out" || fail "en: decimal commas"
run 0 plot --standalone --formats bfloat16:ftz --random normal:0,1 \
    --layers 30 --seed 2
has "$tmp/out" '\documentclass{article}' "standalone"
has "$tmp/out" '\end{document}' "standalone: end"
checks=$((checks + 1))
! grep -q 'bfloat16:ftz min. subnormal' "$tmp/out" \
    || fail "ftz: a min subnormal level"

# the stop of a random chain is compare's first zero counted from the output
run 0 compare --random normal:0,1 --layers 300 --seed 5 --formats binary16 \
    --summary --format csv
z=$(awk -F, '$1 == "binary16" && $2 == "zero" { print $3 }' "$tmp/out")
run 0 plot --random normal:0,1 --layers 300 --seed 5 --formats binary16
cp "$tmp/out" "$tmp/q.tex"
checks=$((checks + 1))
[ -n "$z" ] && [ "$(points 'gradchain format 1' | sed -n 1p | cut -d, -f1)" \
    -eq $((z + 1)) ] || fail "binary16 line does not stop at compare's zero $z"

# a gradient that is exactly zero everywhere has nothing to draw
run 1 plot --y 1/2 "$tmp/quarter.net"
has "$tmp/err" 'no layer has a nonzero finite gradient' "nothing to draw"
empty "$tmp/out" "nothing to draw: stdout"

# usage errors name the token
usage_error "--lang" "'xx'" plot --lang xx "$tmp/quarter.net"
usage_error "--formats" "binary99" plot --formats binary99 "$tmp/quarter.net"
usage_error "--sequence" "'nope'" plot --sequence nope "$tmp/quarter.net"
usage_error "--loss-scale" "--loss-scale" plot --loss-scale 0 "$tmp/quarter.net"
usage_error "--format (read as --formats)" "'csv'" plot --format csv "$tmp/quarter.net"
usage_error "--digits" "'--digits'" plot --digits 5 "$tmp/quarter.net"
usage_error "--lang without argument" "'--lang'" plot "$tmp/quarter.net" --lang
usage_error "two networks" "" plot "$tmp/quarter.net" "$tmp/quarter.net"
run 2 plot "$tmp/missing.net"
has "$tmp/err" "missing.net" "missing network file"

# -o: all or nothing
echo keep >"$tmp/fig.tex"
run 2 plot --formats binary99 -o "$tmp/fig.tex" "$tmp/quarter.net"
same "$tmp/fig.tex" /dev/stdin "failed run: -o file" <<EOT
keep
EOT
run 1 plot --y 1/2 -o "$tmp/fig.tex" "$tmp/quarter.net"
has "$tmp/fig.tex" keep "nothing to draw: -o file kept"
run 0 plot --formats binary16 -o "$tmp/fig.tex" "$tmp/quarter.net"
empty "$tmp/out" "-o: stdout"
has "$tmp/fig.tex" '\end{tikzpicture}' "-o file written"
checks=$((checks + 1))
set +e
"$GRADCHAIN" plot "$tmp/quarter.net" >/dev/full 2>"$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "plot >/dev/full exited $rc"
has "$tmp/err" "write error" "/dev/full"

# ---- plot --sweep ---------------------------------------------------------------
# Every network of normal:1/2,0 with the identity is the same chain: w =
# b = 1/2 keep a_j = 1 (a0 = 1), so dC/db_j = (1/2)^(L-j) (a_L - y = 1)
# exactly, and the band is one line: q1 = median = q3 = -(L-j) log10(2) at
# every layer.  A format's first zero is where 2^-(L-j) first rounds to 0:
# the tie 2^(m-1) below its min subnormal 2^m goes to even 0, so layer
# j = L + m - 1: binary32 (m = -149) L - 150, bfloat16 (-133) L - 134,
# binary16 (-24) L - 25; the same in every network, so that is the median.
L=300
PS="plot --sweep --random normal:1/2,0 --act identity --layers $L --samples 3"
PF="--formats binary32,bfloat16,binary16"
run 0 $PS $PF --threads 1
empty "$tmp/err" "plot --sweep: stderr"
cp "$tmp/out" "$tmp/s.tex"
# band_points: the band's points, lo forwards then hi backwards
awk 'index($0, "\\addplot[gradchain band 0, area legend]") == 1 { f = 1 }
    f { print } f && /;$/ { exit }' "$tmp/s.tex" |
    grep -o '([^)]*)' | tr -d '()' >"$tmp/band"
checks=$((checks + 1))
awk -F, -v L=$L 'BEGIN { bad = 0 }
    { want = -(L - $1) * log(2) / log(10)
      if ($2 - want > 1e-6 || want - $2 > 1e-6) { bad = 1; print } n++ }
    END { exit bad || n != 2 * L }' "$tmp/band" \
    || fail "plot --sweep: the band is not the closed form at every layer"
cp "$tmp/s.tex" "$tmp/q.tex"
points 'gradchain exact' >"$tmp/median"
checks=$((checks + 1))
head -n $L "$tmp/band" | cmp -s - "$tmp/median" \
    || fail "plot --sweep: the median line is not the band's edge"
has "$tmp/s.tex" '\addlegendentry{quartiles}' "plot --sweep: band legend"
has "$tmp/s.tex" '\addlegendentry{median}' "plot --sweep: median legend"
for f in "1 binary32 150" "2 bfloat16 134" "3 binary16 25"; do
    set -- $f
    x=$((L - $3))
    has "$tmp/s.tex" "\\addplot[gradchain level $1, forget plot] coordinates {($x," \
        "plot --sweep: $2 median first zero at layer $x"
    has "$tmp/s.tex" "{$2 median first zero}" "plot --sweep: $2 label"
done
has "$tmp/s.tex" '{binary16 min. subnormal}' "plot --sweep: min levels"
# the same figure for any number of threads, and --progress only on stderr
run 0 $PS $PF --threads 2 --progress
same "$tmp/out" "$tmp/s.tex" "plot --sweep --threads 2"
matches "$tmp/err" '^plot: 3/3 networks in ' "plot --sweep --progress"
# pt words
run 0 $PS --formats binary16 --lang pt --standalone
has "$tmp/out" '\addlegendentry{quartis}' "plot --sweep pt: band"
has "$tmp/out" '{binary16 mediana do primeiro zero}' "plot --sweep pt: level"
# a deep sweep's band is thinned like a line: 5000 layers, every 3rd point
run 0 plot --sweep --random normal:0,1 --layers 5000 --samples 2 \
    --formats binary32
awk 'index($0, "\\addplot[gradchain band 0, area legend]") == 1 { f = 1 }
    f { print } f && /;$/ { exit }' "$tmp/out" | grep -o '([^)]*)' >"$tmp/band"
checks=$((checks + 1))
n=$(wc -l <"$tmp/band")
[ "$n" -le $((2 * 2000 + 20)) ] && [ "$n" -ge $((2 * 1667)) ] \
    || fail "plot --sweep --layers 5000: $n band points, not thinned"
# usage errors name the token
usage_error "--samples without --sweep" "--samples" \
    plot --samples 3 "$tmp/quarter.net"
usage_error "--sweep without --samples" "--samples" \
    plot --sweep --random normal:0,1 --layers 5
usage_error "--sweep on a file" "--random" plot --sweep --samples 2 \
    "$tmp/quarter.net"
usage_error "--sweep --save-network" "--save-network" $PS \
    --save-network "$tmp/n.net"
usage_error "--sweep --threads 0" "'0'" $PS --threads 0
usage_error "--sweep --samples x" "'x'" plot --sweep --random normal:0,1 \
    --layers 5 --samples x

# help
run 0 plot --help
has "$tmp/out" "Usage: gradchain plot" "help"
has "$tmp/out" "--lang en|pt" "help: --lang"
has "$tmp/out" "--sweep" "help: --sweep"

# ---- issue 10: figures a textbook author can use (plotfix) -----------------
# A format lost at the output (binary16 with the loss scaled by 2^24
# overflows at layer 20, as compare says) has no point, but stays in the
# legend saying so, with its levels; in pt too.
lost="--random normal:0,1 --layers 20 --seed 0 --formats binary16 --loss-scale 2^24"
run 0 compare $lost --summary --format csv
has "$tmp/out" 'binary16*2^24,infinite,20,' "binary16 overflows at layer 20"
run 0 plot $lost
has "$tmp/out" '\addlegendimage{gradchain format 1}' "lost format: legend image"
has "$tmp/out" '\addlegendentry{binary16 (lost at layer 20)}' "lost format: legend"
has "$tmp/out" '{binary16 min. normal}' "lost format: its level"
checks=$((checks + 1))
! grep -q '^\\addplot\[gradchain format 1' "$tmp/out" \
    || fail "lost format: a line drawn"
run 0 plot --lang pt $lost
has "$tmp/out" '\addlegendentry{binary16 (perdido na camada 20)}' "lost format: pt"
# the random chain's options of compare: other distributions, fan-in rule
run 0 plot --weights uniform:-2,2 --biases const:0 --fan-in-scale he \
    --layers 30 --seed 3 --formats binary16
has "$tmp/out" '\addplot[gradchain exact' "plot --weights/--biases"
run 0 plot --sweep --weights uniform:-2,2 --biases const:0 --layers 30 \
    --samples 3 --formats binary16 --no-progress
has "$tmp/out" '\addplot[gradchain band 0' "plot --sweep --weights/--biases"
# --format is not taken as an abbreviation of --formats (it used to
# replay a format named "csv")
usage_error "plot --format" "plot writes LaTeX only" \
    plot --format csv --random normal:0,1 --layers 5
usage_error "plot --sweep --format" "got 'json'" \
    plot --sweep --format json --random normal:0,1 --layers 5 --samples 2

finish
