/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* plot.c -- pgfplots figures of log10|dC/db_j| against the layer: lines,
   levels and bands from plain data (see gradchain/latex.h). */

#include <math.h>
#include <stdlib.h>

#include "gradchain.h"
#include "latex/latex-impl.h"

static const char * const plot_words[2][GC_PLOT_WORDS] = {
    {"exact", "min. normal", "min. subnormal", "median", "quartiles",
     "median first zero", "lost at layer", "no nonzero value"},
    {"exato", "m\xc3\xadn. normal", "m\xc3\xadn. subnormal", "mediana",
     "quartis", "mediana do primeiro zero", "perdido na camada",
     "nenhum valor n\xc3\xa3o nulo"}};

const char *
gc_plot_word(gc_lang_t lang, gc_plot_word_t w)
{
    if ((unsigned) lang > GC_LANG_PT || (unsigned) w >= GC_PLOT_WORDS)
        gc_throw("gc_plot_word: unknown language or word");
    return plot_words[lang][w];
}

/* The Okabe-Ito palette (Okabe and Ito 2008), the exact value black, the
   formats in an order that keeps the first ones far apart; each format
   style also has its own dash pattern and marker. */
static const struct
{
    const char * rgb;
    const char * dash;
    const char * mark;
} plot_styles[GC_PLOT_STYLES + 1] = {
    {"000000", "solid", "none"},
    {"0072B2", "dashed", "o"},
    {"D55E00", "densely dotted", "square"},
    {"009E73", "dashdotted", "triangle"},
    {"CC79A7", "densely dashed", "diamond"},
    {"E69F00", "loosely dashed", "x"},
    {"56B4E9", "dashdotdotted", "+"},
    {"F0E442", "loosely dotted", "pentagon"}};

/* The markers a line carries, about. */
#define PLOT_MARKS 12

/* Label sizes outside the axis, in cm: a line of \scriptsize text, and
   the gap between the axis and a label. */
#define PLOT_LABEL_CM 0.32
#define PLOT_LABEL_GAP_CM 0.35

/* Legend sizes, in cm: an entry's line and gaps, a \footnotesize
   character (about), and the room of the y tick and axis labels. */
#define PLOT_LEGEND_CM 0.8
#define PLOT_CHAR_CM 0.12
#define PLOT_YLABELS_CM 2.0

/* Tick label sizes, in cm: a digit or separator, and the least gap
   between two labels. */
#define PLOT_DIGIT_CM 0.18
#define PLOT_TICK_GAP_CM 0.4

void
gc_plot_init(gc_plot_t p)
{
    memset(p, 0, sizeof(gc_plot_struct));
    p->lang = GC_LANG_EN;
    p->width = 5.5;
    p->height = 5.5;
}

/* The style index of *k* (>= 0) among 0 .. GC_PLOT_STYLES. */
static int
plot_style(int k)
{
    return k == 0 ? 0 : 1 + (k - 1) % GC_PLOT_STYLES;
}

static int
all_finite(const double * v, slong n)
{
    slong i;

    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

int
gc_plot_check(const gc_plot_t p, const char ** why)
{
    const char * w = NULL;
    slong i, j;

    if ((unsigned) p->lang > GC_LANG_PT)
        w = "unknown language";
    else if (!(p->width > 0 && p->height > 0 && isfinite(p->width)
               && isfinite(p->height)))
        w = "the width and height must be positive";
    else if (p->nseries < 0 || p->nbands < 0 || p->nlevels < 0)
        w = "a negative count";
    for (i = 0, j = p->nbands; w == NULL && i < p->nseries; i++)
    {
        const gc_plot_series_struct * s = p->series + i;

        j += s->len > 0;
        if (s->len < 0 || (s->len > 0 && (s->x == NULL || s->y == NULL)))
            w = "a line with a negative length or NULL points";
        else if (!all_finite(s->x, s->len) || !all_finite(s->y, s->len))
            w = "a point of a line is not finite";
        else if (s->style < 0)
            w = "a negative style";
    }
    if (w == NULL && j == 0)
        w = "nothing to draw: no line with points or band";
    for (i = 0; w == NULL && i < p->nbands; i++)
    {
        const gc_plot_band_struct * b = p->bands + i;

        if (b->len < 1 || b->x == NULL || b->lo == NULL || b->hi == NULL)
            w = "a band without points";
        else if (!all_finite(b->x, b->len) || !all_finite(b->lo, b->len)
                 || !all_finite(b->hi, b->len)
                 || (b->mid != NULL && !all_finite(b->mid, b->len)))
            w = "a point of a band is not finite";
        else if (b->style < 0)
            w = "a negative style";
        for (j = 0; w == NULL && j < b->len; j++)
            if (b->lo[j] > b->hi[j])
                w = "a band with lo > hi";
    }
    for (i = 0; w == NULL && i < p->nlevels; i++)
        if (!isfinite(p->levels[i].value))
            w = "a level is not finite";
        else if (p->levels[i].style < 0)
            w = "a negative style";
    if (why != NULL)
        *why = w;
    return w == NULL ? GC_SUCCESS : GC_INVALID;
}

/* Writes *v* as a number TeX reads ("-12.5", "-4.34294916e+08"), with
   a decimal point whatever the C locale says. */
static void
num_write(gc_sink_t s, double v, int digits)
{
    char buf[48], * c;

    snprintf(buf, sizeof buf, "%.*g", digits, v == 0 ? 0.0 : v);
    for (c = buf; *c != '\0'; c++)
        if (*c == ',')
            *c = '.';
    gc_sink_puts(s, buf);
}

/* Writes the coordinates "x,y" of a point: x to 10 digits (a layer up
   to 10^10 exactly), y to 9. */
static void
xy_write(gc_sink_t s, double x, double y)
{
    num_write(s, x, 10);
    gc_sink_puts(s, ",");
    num_write(s, y, 9);
}

/* Writes plain text *t* escaped for LaTeX. */
static void
text_write(gc_sink_t s, const char * t)
{
    for (; *t != '\0'; t++)
        switch (*t)
        {
            case '\\':
                gc_sink_puts(s, "\\textbackslash{}");
                break;
            case '~':
                gc_sink_puts(s, "\\textasciitilde{}");
                break;
            case '^':
                gc_sink_puts(s, "\\textasciicircum{}");
                break;
            case '#': case '$': case '%': case '&': case '_': case '{':
            case '}':
                gc_sink_putn(s, "\\", 1);
                gc_sink_putn(s, t, 1);
                break;
            default:
                gc_sink_putn(s, t, 1);
        }
}

/* The ranges of the axis, and the x values where a line starts or
   stops (kept by the thinning). */
typedef struct
{
    double xmin, xmax, ymin, ymax;
    double * stops;
    slong nstops;
    int * shown; /* per level: drawn */
} plot_axis_struct;

static void
range_add(double * lo, double * hi, const double * v, slong n)
{
    slong i;

    for (i = 0; i < n; i++)
    {
        *lo = FLINT_MIN(*lo, v[i]);
        *hi = FLINT_MAX(*hi, v[i]);
    }
}

static void
axis_init(plot_axis_struct * a, const gc_plot_struct * p)
{
    double ylo = INFINITY, yhi = -INFINITY, margin, pad;
    slong i;

    a->xmin = INFINITY;
    a->xmax = -INFINITY;
    a->stops = flint_malloc((2 * p->nseries + 1) * sizeof(double));
    a->nstops = 0;
    for (i = 0; i < p->nseries; i++)
    {
        const gc_plot_series_struct * s = p->series + i;

        if (s->len == 0)
            continue;
        range_add(&a->xmin, &a->xmax, s->x, s->len);
        range_add(&ylo, &yhi, s->y, s->len);
        a->stops[a->nstops++] = s->x[0];
        a->stops[a->nstops++] = s->x[s->len - 1];
    }
    for (i = 0; i < p->nbands; i++)
    {
        const gc_plot_band_struct * b = p->bands + i;

        range_add(&a->xmin, &a->xmax, b->x, b->len);
        range_add(&ylo, &yhi, b->lo, b->len);
        range_add(&ylo, &yhi, b->hi, b->len);
    }
    /* horizontal levels near the data widen the axis; far ones are left
       out, so a shallow chain's lines are not squashed */
    margin = FLINT_MAX(yhi - ylo, 5.0);
    a->shown = flint_malloc((p->nlevels + 1) * sizeof(int));
    for (i = 0; i < p->nlevels; i++)
    {
        const gc_plot_level_struct * l = p->levels + i;

        if (l->vertical)
        {
            a->shown[i] = 1;
            range_add(&a->xmin, &a->xmax, &l->value, 1);
        }
        else
            a->shown[i] = l->value >= ylo - margin
                          && l->value <= yhi + margin;
    }
    for (i = 0; i < p->nlevels; i++)
        if (a->shown[i] && !p->levels[i].vertical)
            range_add(&ylo, &yhi, &p->levels[i].value, 1);
    pad = 0.05 * FLINT_MAX(yhi - ylo, 1.0);
    a->ymin = ylo - pad;
    a->ymax = yhi + pad;
    if (a->xmax <= a->xmin)
    {
        /* one layer: its tick alone in the middle */
        a->xmin -= 0.5;
        a->xmax += 0.5;
    }
}

static void
axis_clear(plot_axis_struct * a)
{
    flint_free(a->stops);
    flint_free(a->shown);
}

/* Returns 1 if point i of n, at x, is drawn: see "Size" in
   gradchain/latex.h. */
static int
point_kept(const plot_axis_struct * a, slong i, slong n, double x)
{
    slong stride = (n + GC_PLOT_MAX_POINTS - 1) / GC_PLOT_MAX_POINTS, k;

    if (stride <= 1 || i % stride == 0 || i == n - 1)
        return 1;
    for (k = 0; k < a->nstops; k++)
        if (a->stops[k] == x)
            return 1;
    return 0;
}

/* Writes the points (x[i], y[i]) that are kept, in order or (reverse)
   backwards, 4 to a line. */
static void
points_write(gc_sink_t s, const plot_axis_struct * a, const double * x,
             const double * y, slong n, int reverse)
{
    slong i, k, written = 0;

    for (k = 0; k < n; k++)
    {
        i = reverse ? n - 1 - k : k;
        if (!point_kept(a, i, n, x[i]))
            continue;
        gc_sink_puts(s, written % 4 == 0 ? "\n  (" : " (");
        xy_write(s, x[i], y[i]);
        gc_sink_puts(s, ")");
        written++;
    }
}

/* "gradchain format 3", "gradchain exact", ... */
static void
style_name_write(gc_sink_t s, const char * kind, int k)
{
    if (k == 0 && kind[0] == 'f')
        gc_sink_puts(s, "gradchain exact");
    else
        gc_sink_printf(s, "gradchain %s %d", kind, plot_style(k));
}

/* Defines a style unless the document has. */
static void
style_define(gc_sink_t s, const char * kind, int k, const char * fmt,
             int c)
{
    gc_sink_puts(s, "\\pgfkeysifdefined{/tikz/");
    style_name_write(s, kind, k);
    gc_sink_puts(s, "/.@cmd}{}{\\tikzset{");
    style_name_write(s, kind, k);
    gc_sink_puts(s, "/.style={");
    if (c == 0)
        gc_sink_printf(s, fmt, "gradchain-exact");
    else
    {
        char col[32];

        snprintf(col, sizeof col, "gradchain-%d", c);
        gc_sink_printf(s, fmt, col);
    }
    gc_sink_puts(s, "}}}%\n");
}

/* The colours and styles used by the figure (each once). */
static void
styles_write(gc_sink_t s, const gc_plot_struct * p)
{
    int used[GC_PLOT_STYLES + 1] = {0}, k;
    slong i;

    for (i = 0; i < p->nseries; i++)
        used[plot_style(p->series[i].style)]
            |= p->series[i].len > 0 || p->series[i].label != NULL;
    for (i = 0; i < p->nlevels; i++)
        used[plot_style(p->levels[i].style)] |= 2;
    for (i = 0; i < p->nbands; i++)
        used[plot_style(p->bands[i].style)] |= 4 | (p->bands[i].mid ? 1 : 0);
    for (k = 0; k <= GC_PLOT_STYLES; k++)
    {
        char fmt[160];

        if (!used[k])
            continue;
        if (k == 0)
            gc_sink_printf(s, "\\providecolor{gradchain-exact}{HTML}{%s}%%\n",
                           plot_styles[k].rgb);
        else
            gc_sink_printf(s, "\\providecolor{gradchain-%d}{HTML}{%s}%%\n",
                           k, plot_styles[k].rgb);
        if (used[k] & 1)
        {
            if (k == 0)
                snprintf(fmt, sizeof fmt, "%%s, solid, very thick, "
                                          "mark=none");
            else
                snprintf(fmt, sizeof fmt, "%%s, %s, thick, mark=%s, "
                         "mark options={solid, fill=white}",
                         plot_styles[k].dash, plot_styles[k].mark);
            style_define(s, "format", k, fmt, k);
        }
        if (used[k] & 2)
            style_define(s, "level", k, "%s, thin, densely dashed", k);
        if (used[k] & 4)
            style_define(s, "band", k, "fill=%s, fill opacity=0.25, "
                         "draw=none", k);
    }
}

/* Spreads the label positions pos[0..n) (sorted decreasing, starting at
   the values) at least *gap* apart within [lo, hi] as far as they fit. */
static void
labels_spread(double * pos, slong n, double gap, double lo, double hi)
{
    slong i;

    if (n == 0)
        return;
    pos[0] = FLINT_MIN(pos[0], hi);
    for (i = 1; i < n; i++)
        pos[i] = FLINT_MIN(pos[i], pos[i - 1] - gap);
    pos[n - 1] = FLINT_MAX(pos[n - 1], lo);
    for (i = n - 2; i >= 0; i--)
        pos[i] = FLINT_MAX(pos[i], pos[i + 1] + gap);
}

static int
level_cmp(const void * a, const void * b)
{
    double u = ((const gc_plot_level_struct *) a)->value;
    double v = ((const gc_plot_level_struct *) b)->value;

    return (u < v) - (u > v);
}

/* Writes the levels of one orientation that are shown, with their
   labels spread outside the axis. */
static void
levels_write(gc_sink_t s, const gc_plot_struct * p,
             const plot_axis_struct * a, int vertical)
{
    gc_plot_level_struct * l = flint_malloc((p->nlevels + 1)
                                            * sizeof(gc_plot_level_struct));
    double * pos;
    double span = vertical ? a->xmax - a->xmin : a->ymax - a->ymin;
    double size = vertical ? p->width : p->height;
    slong i, n = 0;

    for (i = 0; i < p->nlevels; i++)
        if (a->shown[i] && !p->levels[i].vertical == !vertical)
            l[n++] = p->levels[i];
    qsort(l, n, sizeof(gc_plot_level_struct), level_cmp);
    pos = flint_malloc((n + 1) * sizeof(double));
    for (i = 0; i < n; i++)
        pos[i] = l[i].value;
    labels_spread(pos, n, span * PLOT_LABEL_CM / size,
                  vertical ? a->xmin : a->ymin, vertical ? a->xmax : a->ymax);
    for (i = 0; i < n; i++)
    {
        /* the level across the axis, from (x0, y0) to (x1, y1); its
           leader from (x1, y1) and its label at (lx, ly): above the
           axis or right of it */
        double v = l[i].value;
        double x0 = vertical ? v : a->xmin, y0 = vertical ? a->ymin : v;
        double x1 = vertical ? v : a->xmax, y1 = vertical ? a->ymax : v;
        double lx = vertical ? pos[i] : a->xmax;
        double ly = vertical ? a->ymax : pos[i];
        const char * shift = vertical ? "yshift" : "xshift";

        gc_sink_puts(s, "\\addplot[");
        style_name_write(s, "level", l[i].style);
        gc_sink_puts(s, ", forget plot] coordinates {(");
        xy_write(s, x0, y0);
        gc_sink_puts(s, ") (");
        xy_write(s, x1, y1);
        gc_sink_puts(s, ")};\n");
        if (l[i].label == NULL)
            continue;
        gc_sink_printf(s, "\\node[font=\\scriptsize, inner sep=1pt, "
                          "%s=%.2fcm, anchor=west%s] (gclevel%ld) at "
                          "(axis cs:", shift, PLOT_LABEL_GAP_CM,
                       vertical ? ", rotate=90" : "", (long) i);
        xy_write(s, lx, ly);
        gc_sink_puts(s, ") {");
        text_write(s, l[i].label);
        gc_sink_puts(s, "};\n\\draw[");
        style_name_write(s, "level", l[i].style);
        gc_sink_puts(s, ", solid] (axis cs:");
        xy_write(s, x1, y1);
        gc_sink_printf(s, ") -- ([%s=1mm]axis cs:", shift);
        xy_write(s, x1, y1);
        gc_sink_printf(s, ") -- (gclevel%ld.west);\n", (long) i);
    }
    flint_free(pos);
    flint_free(l);
}

/* The options of a line of n points in style k: its markers on about
   PLOT_MARKS points, shifted by style so that lines on top of each
   other show each marker. */
static void
line_open(gc_sink_t s, int k, slong n, const char * label)
{
    slong rep = FLINT_MAX(1, n / PLOT_MARKS);

    gc_sink_puts(s, "\\addplot[");
    style_name_write(s, "format", k);
    gc_sink_printf(s, ", mark repeat=%ld, mark phase=%ld%s] coordinates {",
                   (long) rep,
                   (long) (1 + (rep * plot_style(k)) / (GC_PLOT_STYLES + 1)),
                   label == NULL ? ", forget plot" : "");
}

/* The legend entry *label* (NULL: none) of the plot just written. */
static void
legend_entry_write(gc_sink_t s, const char * label)
{
    if (label == NULL)
        return;
    gc_sink_puts(s, "\\addlegendentry{");
    text_write(s, label);
    gc_sink_puts(s, "}\n");
}

static void
line_close(gc_sink_t s, const char * label)
{
    gc_sink_puts(s, "};\n");
    legend_entry_write(s, label);
}

static void
bands_write(gc_sink_t s, const gc_plot_struct * p,
            const plot_axis_struct * a)
{
    slong i;

    for (i = 0; i < p->nbands; i++)
    {
        const gc_plot_band_struct * b = p->bands + i;

        gc_sink_puts(s, "\\addplot[");
        style_name_write(s, "band", b->style);
        /* a band's legend is a filled patch, not a line */
        gc_sink_printf(s, ", area legend%s] coordinates {",
                       b->label == NULL ? ", forget plot" : "");
        points_write(s, a, b->x, b->lo, b->len, 0);
        points_write(s, a, b->x, b->hi, b->len, 1);
        gc_sink_puts(s, "} -- cycle;\n");
        legend_entry_write(s, b->label);
        if (b->mid == NULL)
            continue;
        line_open(s, b->style, b->len, b->mid_label);
        points_write(s, a, b->x, b->mid, b->len, 0);
        line_close(s, b->mid_label);
    }
}

/* The distance of the x ticks: the least of 1, 2, 5, 10, 20, ... that
   puts at most as many ticks on the axis as labels of its widest value
   fit side by side (a digit or separator takes PLOT_DIGIT_CM, a label
   PLOT_TICK_GAP_CM more), at least 2. */
static double
xtick_step(const plot_axis_struct * a, double width)
{
    double big = FLINT_MAX(fabs(a->xmin), fabs(a->xmax)), step = 1;
    slong digits = big < 10 ? 1 : (slong) floor(log10(big)) + 1, n, k;

    n = (slong) (width / ((digits + (digits - 1) / 3) * PLOT_DIGIT_CM
                          + PLOT_TICK_GAP_CM));
    n = FLINT_MAX(n, 2);
    for (k = 0; floor(a->xmax / step) - ceil(a->xmin / step) + 1 > n; k++)
        step *= k % 3 == 1 ? 2.5 : 2;
    return step;
}

/* Counts the legend entry *label* (NULL: none) in *n* and its width in
   characters (UTF-8) in *w*, the widest so far. */
static void
legend_count(slong * n, slong * w, const char * label)
{
    slong c = 0;

    if (label == NULL)
        return;
    for (; *label != '\0'; label++)
        c += (*label & 0xC0) != 0x80;
    *n += 1;
    *w = FLINT_MAX(*w, c);
}

/* The columns of the legend below the axis: as many entries side by
   side as fit in the axis width and the y labels left of it (an entry
   takes PLOT_LEGEND_CM plus PLOT_CHAR_CM a character), at least 1. */
static slong
legend_columns(const gc_plot_struct * p)
{
    slong i, n = 0, w = 0, c;

    for (i = 0; i < p->nseries; i++)
        legend_count(&n, &w, p->series[i].label);
    for (i = 0; i < p->nbands; i++)
    {
        legend_count(&n, &w, p->bands[i].label);
        legend_count(&n, &w, p->bands[i].mid_label);
    }
    c = (slong) ((p->width + PLOT_YLABELS_CM)
                 / (PLOT_LEGEND_CM + w * PLOT_CHAR_CM));
    return FLINT_MAX(1, FLINT_MIN(c, n));
}

static void
plot_write(gc_sink_t s, const gc_plot_struct * p)
{
    plot_axis_struct a;
    slong i;
    int pt = p->lang == GC_LANG_PT;

    axis_init(&a, p);
    if (p->standalone)
        /* the figure is set in a box, and the page cut to the box with a
           margin of 3 mm: whatever its labels take, nothing is clipped
           and no paper is left blank */
        gc_sink_puts(s, "\\documentclass{article}\n"
                        "\\usepackage[T1]{fontenc}\n"
                        "\\usepackage[utf8]{inputenc}\n"
                        "\\IfFileExists{lmodern.sty}"
                        "{\\usepackage{lmodern}}{}\n"
                        "\\usepackage{pgfplots}\n"
                        "\\pgfplotsset{compat=1.18}\n"
                        "\\newsavebox{\\gradchainfigure}\n"
                        "\\begin{document}\n"
                        "\\begin{lrbox}{\\gradchainfigure}%\n");
    else
        gc_sink_puts(s, "% gradchain plot (fragment): log10|dC/db_j| against "
                        "the layer j.\n"
                        "% It needs \\usepackage{pgfplots} and "
                        "\\pgfplotsset{compat=1.18} (or later),\n"
                        "% and [utf8]{inputenc} for the accents.  "
                        "Restyle before \\input with\n"
                        "% \\tikzset{gradchain format 1/.style={...}} "
                        "(also gradchain exact, gradchain level K,\n"
                        "% gradchain band K) or "
                        "\\definecolor{gradchain-1}{HTML}{...} "
                        "(also gradchain-exact).\n");
    for (i = 0; i < p->nlevels; i++)
        if (!a.shown[i])
        {
            gc_sink_puts(s, "% level beyond the axis, not drawn: ");
            num_write(s, p->levels[i].value, 9);
            if (p->levels[i].label != NULL)
            {
                gc_sink_puts(s, " ");
                gc_sink_puts(s, p->levels[i].label);
            }
            gc_sink_puts(s, "\n");
        }
    styles_write(s, p);
    gc_sink_printf(s, "\\begin{tikzpicture}\n\\begin{axis}[scale only axis, "
                      "width=%.2fcm, height=%.2fcm,\n  xmin=",
                   p->width, p->height);
    num_write(s, a.xmin, 10);
    gc_sink_puts(s, ", xmax=");
    num_write(s, a.xmax, 10);
    gc_sink_puts(s, ", ymin=");
    num_write(s, a.ymin, 9);
    gc_sink_puts(s, ", ymax=");
    num_write(s, a.ymax, 9);
    gc_sink_puts(s, ",\n  xlabel={");
    gc_sink_puts(s, p->xlabel != NULL ? p->xlabel
                    : pt ? "camada $j$" : "layer $j$");
    gc_sink_puts(s, "}, ylabel={");
    gc_sink_puts(s, p->ylabel != NULL ? p->ylabel
                    : "$\\log_{10}|\\partial C/\\partial b_j|$");
    gc_sink_puts(s, "},\n  clip=false, scaled x ticks=false, "
                    "scaled y ticks=false,");
    /* fixed notation (never 1e5 on a tick) and x ticks apart */
    gc_sink_puts(s, " xtick distance=");
    num_write(s, xtick_step(&a, p->width), 10);
    gc_sink_puts(s, ",\n  /pgf/number format/fixed,");
    /* the legend below the x label, in columns: it covers no data */
    gc_sink_printf(s, "\n  xlabel style={name=gradchain xlabel}, "
                      "legend cell align=left, legend columns=%ld,\n"
                      "  legend style={font=\\footnotesize, draw=none, "
                      "at={(gradchain xlabel.south)}, anchor=north,\n"
                      "    /tikz/every even column/.append style="
                      "{column sep=0.6em}},\n"
                      "  /pgf/number format/1000 sep={%s}%s]\n",
                   (long) legend_columns(p), pt ? "." : "{,}",
                   pt ? ", /pgf/number format/use comma" : "");
    bands_write(s, p, &a);
    for (i = 0; i < p->nseries; i++)
    {
        const gc_plot_series_struct * r = p->series + i;

        if (r->len == 0)
        {
            /* no point to draw: the legend still names it */
            if (r->label == NULL)
                continue;
            gc_sink_puts(s, "\\addlegendimage{");
            style_name_write(s, "format", r->style);
            gc_sink_puts(s, "}\n");
            legend_entry_write(s, r->label);
            continue;
        }
        line_open(s, r->style, r->len, r->label);
        points_write(s, &a, r->x, r->y, r->len, 0);
        line_close(s, r->label);
    }
    levels_write(s, p, &a, 0);
    levels_write(s, p, &a, 1);
    gc_sink_puts(s, "\\end{axis}\n\\end{tikzpicture}\n");
    if (p->standalone)
        gc_sink_puts(s, "\\end{lrbox}%\n"
                        "\\pdfpagewidth=\\dimexpr\\wd\\gradchainfigure"
                        "+6mm\\relax\n"
                        "\\pdfpageheight=\\dimexpr\\ht\\gradchainfigure"
                        "+\\dp\\gradchainfigure+6mm\\relax\n"
                        "\\hoffset=\\dimexpr3mm-1in\\relax\n"
                        "\\voffset=\\dimexpr3mm-1in\\relax\n"
                        "\\shipout\\box\\gradchainfigure\n"
                        "\\end{document}\n");
    axis_clear(&a);
}

/* gc_sink_run's writer for plot_write. */
static void
plot_emit(gc_sink_t s, const void * obj)
{
    plot_write(s, obj);
}

int
gc_plot_write(FILE * f, const gc_plot_t p)
{
    if (gc_plot_check(p, NULL) != GC_SUCCESS)
        return GC_INVALID;
    return gc_sink_run(f, NULL, plot_emit, p);
}

int
gc_plot_get_str(char ** res, const gc_plot_t p)
{
    *res = NULL;
    if (gc_plot_check(p, NULL) != GC_SUCCESS)
        return GC_INVALID;
    return gc_sink_run(NULL, res, plot_emit, p);
}
