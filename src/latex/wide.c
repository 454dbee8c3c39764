/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* wide.c -- the gradient of wide layers (gc_wexpr_t) in LaTeX, text and
   ASCII: the matrix product in Nielsen's notation, with superscript
   layers, and the entry-wise nested sums. */

#include "latex/latex-impl.h"

/* The activation f without its prime, per format, in the order of
   gc_sym_act_t (per-layer: f, then the layer as a subscript). */
static const char * const act_name[GC_SYM_NACTS][3] = {
    {"\\sigma", "\xcf\x83", "sigma"},
    {"f", "f", "f"},
    {"f", "f", "f"},
    {"\\tanh", "tanh", "tanh"},
    {"\\mathrm{ReLU}", "ReLU", "relu"},
    {"\\mathrm{LReLU}", "LReLU", "lrelu"},
    {"\\mathrm{softplus}", "softplus", "softplus"},
    {"\\mathrm{id}", "id", "id"},
    {"\\mathrm{GELU}", "GELU", "gelu"}};

/* Between factors; after a sum, a space. */
static const char * const sep_str[3] = {"\\,", " ", " * "};

/* The superscript letters of text (U+1D4F k, U+2071 i, U+02B2 j,
   U+1D50 m, U+207F n), in the order of "kijmn". */
static const char * const sup_letter[5] = {
    "\xe1\xb5\x8f", "\xe2\x81\xb1", "\xca\xb2", "\xe1\xb5\x90",
    "\xe2\x81\xbf"};

/* Writes the number or letter k as a superscript: ^{k} in LaTeX and
   ASCII (^k for a one-character layer in ASCII when *brace* is 0), in
   Unicode superscripts in text. */
static void
sup_write(gc_sink_t s, slong k, gc_print_format_t fmt, int brace)
{
    if (fmt == GC_PRINT_TEXT)
    {
        if (k >= 0)
            gc_sup_write_sink(s, k);
        else
            gc_sink_puts(s, sup_letter[strchr("kijmn", (char) -k)
                                       - "kijmn"]);
        return;
    }
    gc_sink_puts(s, fmt == GC_PRINT_LATEX || brace ? "^{" : "^");
    if (k >= 0)
        gc_sink_printf(s, "%ld", (long) k);
    else
        gc_sink_printf(s, "%c", (char) -k);
    if (fmt == GC_PRINT_LATEX || brace)
        gc_sink_puts(s, "}");
}

/* Writes an index of a neuron: a number, a letter, or k_l. */
static void
idx_write(gc_sink_t s, slong k, gc_print_format_t fmt)
{
    if (k >= 1)
        gc_sink_printf(s, "%ld", (long) k);
    else if (!GC_SYM_IS_SUM_INDEX(k))
        gc_sink_printf(s, "%c", (char) -k);
    else if (fmt == GC_PRINT_TEXT)
    {
        gc_sink_puts(s, "k");
        gc_index_write_sink(s, GC_SYM_SUM_INDEX(0) - k, fmt);
    }
    else
        gc_sink_printf(s, fmt == GC_PRINT_LATEX ? "k_{%ld}" : "k_%ld",
                       (long) (GC_SYM_SUM_INDEX(0) - k));
}

/* Writes the entry (r) or (r, c) of a vector or matrix: _{r,c} in LaTeX,
   [r,c] in text and ASCII. */
static void
entry_write(gc_sink_t s, slong r, slong c, gc_print_format_t fmt)
{
    gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "_{" : "[");
    idx_write(s, r, fmt);
    if (c != 0)
    {
        gc_sink_puts(s, ",");
        idx_write(s, c, fmt);
    }
    gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "}" : "]");
}

/* f' of layer l: sigma', tanh', f_l', ... */
static void
dname_write(gc_sink_t s, gc_sym_act_t act, slong l, gc_print_format_t fmt)
{
    gc_sink_puts(s, act_name[act][fmt]);
    if (act == GC_SYM_F_LAYER)
    {
        gc_sink_puts(s, fmt == GC_PRINT_TEXT ? "" : "_");
        gc_index_write_sink(s, l, fmt);
    }
    gc_sink_puts(s, fmt == GC_PRINT_TEXT ? "\xe2\x80\xb2" : "'");
}

/* S'(z^l): \Sigma'(z^l) for the sigmoid, diag(f'(z^l)) otherwise. */
static void
diag_write(gc_sink_t s, gc_sym_act_t act, slong l, gc_print_format_t fmt)
{
    static const char * const diag[3][2] = {
        {"\\operatorname{diag}\\bigl(", "\\bigr)"}, {"diag(", ")"},
        {"diag(", ")"}};

    if (act == GC_SYM_SIGMA)
        gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\Sigma'(z"
                        : fmt == GC_PRINT_TEXT ? "\xce\xa3\xe2\x80\xb2(z"
                                               : "Sigma'(z");
    else
    {
        gc_sink_puts(s, diag[fmt][0]);
        dname_write(s, act, l, fmt);
        gc_sink_puts(s, "(z");
    }
    sup_write(s, l, fmt, 0);
    gc_sink_puts(s, ")");
    if (act != GC_SYM_SIGMA)
        gc_sink_puts(s, diag[fmt][1]);
}

/* (X^l)^T for the letter X */
static void
transpose_write(gc_sink_t s, const char * x, slong l, gc_print_format_t fmt)
{
    gc_sink_printf(s, "(%s", x);
    sup_write(s, l, fmt, 0);
    gc_sink_puts(s, fmt == GC_PRINT_LATEX ? ")^{T}"
                    : fmt == GC_PRINT_TEXT ? ")\xe1\xb5\x80" : ")^T");
}

/* dC/d, then the letter x */
static void
partial_write(gc_sink_t s, const char * x, gc_print_format_t fmt)
{
    static const char * const head[3] = {
        "\\frac{\\partial C}{\\partial ", "\xe2\x88\x82" "C/\xe2\x88\x82",
        "dC/d"};

    gc_sink_puts(s, head[fmt]);
    gc_sink_puts(s, x);
}

/* The sum over k_l = 1..n. */
static void
sum_write(gc_sink_t s, const gc_wfactor_struct * f, gc_print_format_t fmt)
{
    gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\sum_{"
                    : fmt == GC_PRINT_TEXT ? "\xe2\x88\x91" : "sum_{");
    if (fmt == GC_PRINT_TEXT)
    {
        /* U+2096 k, the layer in subscript, U+208C =, U+2081 1 */
        gc_sink_puts(s, "\xe2\x82\x96");
        gc_index_write_sink(s, f->layer, fmt);
        gc_sink_puts(s, "\xe2\x82\x8c\xe2\x82\x81");
    }
    else
    {
        idx_write(s, f->row, fmt);
        gc_sink_puts(s, "=1}");
    }
    sup_write(s, f->col, fmt, 1);
}

static void
factor_write(gc_sink_t s, gc_sym_act_t act, const gc_wfactor_struct * f,
             gc_print_format_t fmt)
{
    const char * minus = fmt == GC_PRINT_LATEX ? "-"
                         : fmt == GC_PRINT_TEXT ? " \xe2\x88\x92 " : " - ";

    switch (f->kind)
    {
        case GC_WFACTOR_DIAG:
            diag_write(s, act, f->layer, fmt);
            break;
        case GC_WFACTOR_WT:
            transpose_write(s, "W", f->layer, fmt);
            break;
        case GC_WFACTOR_AT:
            transpose_write(s, "a", f->layer, fmt);
            break;
        case GC_WFACTOR_GRAD:
            gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\nabla_{a} C"
                            : fmt == GC_PRINT_TEXT ? "\xe2\x88\x87\xe2\x82\x90"
                                                     "C" : "grad_a C");
            break;
        case GC_WFACTOR_RESIDUAL:
            gc_sink_puts(s, "(a");
            sup_write(s, f->layer, fmt, 0);
            gc_sink_printf(s, "%sy)", minus);
            break;
        case GC_WFACTOR_DACT:
            dname_write(s, act, f->layer, fmt);
            gc_sink_puts(s, "(z");
            sup_write(s, f->layer, fmt, 0);
            entry_write(s, f->row, 0, fmt);
            gc_sink_puts(s, ")");
            break;
        case GC_WFACTOR_W:
        case GC_WFACTOR_A:
            gc_sink_puts(s, f->kind == GC_WFACTOR_W ? "w" : "a");
            sup_write(s, f->layer, fmt, 0);
            entry_write(s, f->row, f->col, fmt);
            break;
        case GC_WFACTOR_SUM:
            sum_write(s, f, fmt);
            break;
        case GC_WFACTOR_DC_DA:
            partial_write(s, "a", fmt);
            sup_write(s, f->layer, fmt, 0);
            entry_write(s, f->row, 0, fmt);
            gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "}" : "");
            break;
        case GC_WFACTOR_RESIDUAL_ENTRY:
            gc_sink_puts(s, "(a");
            sup_write(s, f->layer, fmt, 0);
            entry_write(s, f->row, 0, fmt);
            gc_sink_printf(s, "%sy", minus);
            entry_write(s, f->row, 0, fmt);
            gc_sink_puts(s, ")");
            break;
        default:
            gc_throw("gc_wexpr_write: unknown factor kind %d",
                     (int) f->kind);
    }
}

/* dC/db^J, dC/dW^J, dC/db^J_i, dC/dw^J_{i,j} */
static void
lhs_write(gc_sink_t s, const gc_wexpr_struct * e, gc_print_format_t fmt)
{
    const int w = e->param->kind == GC_PARAM_W;

    partial_write(s, w ? (e->row == 0 ? "W" : "w") : "b", fmt);
    sup_write(s, e->param->layer, fmt, 0);
    if (e->row != 0)
        entry_write(s, e->row, e->col, fmt);
    gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "}" : "");
}

/* A piece of a line: one factor, a sum with the factors it starts with
   (a sum never ends a line), a pair in parentheses (grouped form), a
   product over k of a run of pairs (W^k)^T S'(z^k) (compact form), or
   the ellipsis of the elided form. */
typedef enum
{
    ITEM_FACTOR = 0,
    ITEM_SUM,
    ITEM_GROUP,
    ITEM_PROD,
    ITEM_DOTS
} item_kind_t;

typedef struct
{
    item_kind_t kind;
    slong pos;
    slong n;
} item_struct;

/* 1 if factors pos, pos + 1 are the pair (W^l)^T S'(z^l), l = first
   when first > 0. */
static int
pair_at(const gc_wexpr_struct * e, slong pos, slong first)
{
    const gc_wfactor_struct * f = e->fac + pos;

    return pos + 1 < e->len && f[0].kind == GC_WFACTOR_WT
           && f[1].kind == GC_WFACTOR_DIAG && f[1].layer == f[0].layer
           && (first <= 0 || f[0].layer == first);
}

/* The item at factor *pos* in *form* (EXPANDED, COMPACT or GROUPED). */
static item_struct
item_at(const gc_wexpr_struct * e, slong pos, gc_form_t form)
{
    item_struct it = {ITEM_FACTOR, pos, 1};

    if (e->fac[pos].kind == GC_WFACTOR_SUM)
    {
        it.kind = ITEM_SUM;
        while (pos + it.n < e->len
               && (e->fac[pos + it.n].kind == GC_WFACTOR_W
                   || e->fac[pos + it.n].kind == GC_WFACTOR_DACT))
            it.n++;
    }
    else if (form == GC_FORM_GROUPED && pair_at(e, pos, 0))
    {
        it.kind = ITEM_GROUP;
        it.n = 2;
    }
    else if (form == GC_FORM_COMPACT && pair_at(e, pos, 0)
             && pair_at(e, pos + 2, e->fac[pos].layer + 1))
    {
        it.kind = ITEM_PROD;
        it.n = 2;
        while (pair_at(e, pos + it.n, e->fac[pos].layer + it.n / 2))
            it.n += 2;
    }
    return it;
}

/* How a gradient is laid out: its form (EXPANDED, COMPACT, GROUPED or
   ELIDED) and, for ELIDED, the factors [hide, hide_end) that the
   ellipsis stands for (hide = -1: none). */
typedef struct
{
    const gc_wexpr_struct * e;
    gc_form_t form;
    slong hide;
    slong hide_end;
} layout_struct;

static void
layout_init(layout_struct * l, const gc_wexpr_struct * e, gc_form_t form,
            slong head, slong tail)
{
    slong pos, n = 0, k = 0;
    item_struct it;

    l->e = e;
    l->form = form;
    l->hide = -1;
    if (form != GC_FORM_ELIDED)
        return;
    for (pos = 0; pos < e->len; pos += it.n)
    {
        it = item_at(e, pos, GC_FORM_EXPANDED);
        n++;
    }
    /* an ellipsis that hides fewer than two items hides nothing */
    if (n - head - tail < 2)
        return;
    for (pos = 0; pos < e->len; pos += it.n, k++)
    {
        it = item_at(e, pos, GC_FORM_EXPANDED);
        if (k == head)
            l->hide = pos;
        if (k == n - tail)
            l->hide_end = pos;
    }
}

static item_struct
layout_item(const layout_struct * l, slong pos)
{
    item_struct it = {ITEM_DOTS, pos, 0};

    if (pos != l->hide)
        return item_at(l->e, pos, l->form == GC_FORM_ELIDED
                                  ? GC_FORM_EXPANDED : l->form);
    it.n = l->hide_end - pos;
    return it;
}

/* Writes factors pos .. pos + n - 1, separated. */
static void
factors_write(gc_sink_t s, const gc_wexpr_struct * e, slong pos, slong n,
              gc_print_format_t fmt)
{
    slong i;

    for (i = pos; i < pos + n; i++)
    {
        if (i > pos)
            gc_sink_puts(s, e->fac[i - 1].kind == GC_WFACTOR_SUM
                            ? " " : sep_str[fmt]);
        factor_write(s, e->act, e->fac + i, fmt);
    }
}

static void
item_write(gc_sink_t s, const gc_wexpr_struct * e, const item_struct * it,
           gc_print_format_t fmt)
{
    static const char * const paren[3][2] = {
        {"\\bigl(", "\\bigr)"}, {"(", ")"}, {"(", ")"}};
    static const char * const dots[3] = {"\\cdots", "\xe2\x8b\xaf", "..."};
    gc_wfactor_struct pair[2];

    if (it->kind == ITEM_DOTS)
        gc_sink_puts(s, dots[fmt]);
    else if (it->kind == ITEM_GROUP)
    {
        gc_sink_puts(s, paren[fmt][0]);
        factors_write(s, e, it->pos, 2, fmt);
        gc_sink_puts(s, paren[fmt][1]);
    }
    else if (it->kind == ITEM_PROD)
    {
        const slong first = e->fac[it->pos].layer;

        if (fmt == GC_PRINT_TEXT)
        {
            /* U+220F, U+2096 k, U+208C =, the first in subscript */
            gc_sink_puts(s, "(\xe2\x88\x8f\xe2\x82\x96\xe2\x82\x8c");
            gc_index_write_sink(s, first, fmt);
            gc_sup_write_sink(s, first + it->n / 2 - 1);
            gc_sink_puts(s, " ");
        }
        else
            gc_sink_printf(s, fmt == GC_PRINT_LATEX
                              ? "\\left(\\prod_{k=%ld}^{%ld} "
                              : "prod_{k=%ld}^{%ld}(",
                           (long) first, (long) (first + it->n / 2 - 1));
        pair[0] = e->fac[it->pos];
        pair[1] = e->fac[it->pos + 1];
        pair[0].layer = pair[1].layer = GC_INDEX_K;
        factor_write(s, e->act, pair, fmt);
        gc_sink_puts(s, sep_str[fmt]);
        factor_write(s, e->act, pair + 1, fmt);
        gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\right)" : ")");
    }
    else
        factors_write(s, e, it->pos, it->n, fmt);
}

/* Returns the width of what *scratch* holds and frees it: characters,
   or, when *pt*, points of LaTeX (gc_tex_str_width). */
static double
scratch_width(gc_sink_t scratch, int pt)
{
    double w = 0;
    size_t i;

    gc_sink_fit(scratch, 0);
    scratch->buf[scratch->len] = '\0';
    if (pt)
        w = gc_tex_str_width(scratch->buf);
    else
        for (i = 0; i < scratch->len; i++)
            w += ((unsigned char) scratch->buf[i] & 0xc0) != 0x80;
    flint_free(scratch->buf);
    return w;
}

/* Where lines break: widths in characters of the text form (ASCII for
   ASCII), or, when *pt*, in points of LaTeX; *room* per line, the first
   line starting at *lhs* (the left-hand side and " = "), the others at
   *indent*.  The break string is NULL for one line. */
typedef struct
{
    gc_print_format_t fmt;
    int pt;
    double room;
    double lhs;
    double indent;
    const char * brk;
} lines_struct;

/* The width of an item, plus what a displayed \sum or \prod with its
   limits takes beyond one command. */
static double
item_width(const gc_wexpr_struct * e, const item_struct * it,
           const lines_struct * ln)
{
    gc_sink_t scratch;

    gc_sink_init_str(scratch);
    item_write(scratch, e, it, ln->pt ? GC_PRINT_LATEX
                               : ln->fmt == GC_PRINT_ASCII ? GC_PRINT_ASCII
                                                           : GC_PRINT_TEXT);
    return scratch_width(scratch, ln->pt)
           + ln->pt * (12.0 * (it->kind == ITEM_SUM)
                       + 14.0 * (it->kind == ITEM_PROD));
}

/* Writes the items of *l* to *s* (NULL: only counts), breaking lines
   where the next item would pass the room; returns the number of
   lines. */
static slong
layout_lines(gc_sink_t s, const layout_struct * l, const lines_struct * ln)
{
    double used = ln->lhs, w;
    slong pos, lines = 1;
    item_struct it;

    for (pos = 0; pos < l->e->len; pos += it.n)
    {
        it = layout_item(l, pos);
        w = item_width(l->e, &it, ln) + 1;
        if (pos > 0 && used + w > ln->room && used > ln->indent)
        {
            lines++;
            used = ln->indent;
            if (s != NULL)
                gc_sink_puts(s, ln->brk != NULL ? ln->brk
                                                : sep_str[ln->fmt]);
        }
        else if (pos > 0 && s != NULL)
            gc_sink_puts(s, sep_str[ln->fmt]);
        if (s != NULL)
            item_write(s, l->e, &it, ln->fmt);
        used += w;
    }
    return lines;
}

/* The elided layout of *e* on one line: o->head and o->tail pieces, or
   fewer, down to the first and the last sum with what precedes and
   follows them, while the line passes the room (an entry's sums are
   long: the chain's few factors always fit). */
static void
elided_fit(layout_struct * l, const gc_wexpr_struct * e,
           const gc_print_opts_t o, const lines_struct * ln)
{
    slong pos, n = 0, first = -1, last = -1, head = o->head, tail = o->tail;
    item_struct it;

    for (pos = 0; pos < e->len; pos += it.n, n++)
    {
        it = item_at(e, pos, GC_FORM_EXPANDED);
        if (it.kind == ITEM_SUM)
        {
            first = first < 0 ? n : first;
            last = n;
        }
    }
    for (;;)
    {
        layout_init(l, e, GC_FORM_ELIDED, head, tail);
        if (first < 0 || layout_lines(NULL, l, ln) == 1)
            return;
        if (tail > n - last && tail >= head)
            tail--;
        else if (head > first + 1)
            head--;
        else if (tail > n - last)
            tail--;
        else
            return;
    }
}

/* The note that a product over k is ordered. */
static void
order_note_write(gc_sink_t s, const layout_struct * l, gc_print_format_t fmt)
{
    slong pos, first = 0, last = 0;
    item_struct it;

    for (pos = 0; pos < l->e->len; pos += it.n)
    {
        it = layout_item(l, pos);
        if (it.kind == ITEM_PROD)
        {
            first = l->e->fac[pos].layer;
            last = first + it.n / 2 - 1;
        }
    }
    if (first == 0)
        return;
    if (fmt == GC_PRINT_LATEX)
        gc_sink_printf(s, "\\quad\\text{($k = %ld, \\dots, %ld$ from left "
                          "to right)}", (long) first, (long) last);
    else
        gc_sink_printf(s, "   (k = %ld, %s, %ld from left to right)",
                       (long) first,
                       fmt == GC_PRINT_TEXT ? "\xe2\x80\xa6" : "...",
                       (long) last);
}

int
gc_wexpr_form_is_valid(const gc_wexpr_t e, gc_form_t form)
{
    return (unsigned) form <= GC_FORM_GROUPED
           && (e->row == 0 || form == GC_FORM_AUTO
               || form == GC_FORM_EXPANDED || form == GC_FORM_ELIDED);
}

gc_form_t
gc_wexpr_write_sink(gc_sink_t s, const gc_wexpr_t e,
                    const gc_print_opts_t o, int lhs, const char * label,
                    double textwidth, slong max_lines, int note)
{
    static const char * const cont[3] = {"", "\n    ", " *\n    "};
    const int latex = o->format == GC_PRINT_LATEX;
    gc_break_t breaks = lhs ? o->breaks : GC_BREAK_NONE;
    layout_struct l;
    lines_struct ln;
    gc_form_t form = o->form;

    ln.fmt = o->format;
    ln.pt = textwidth > 0;
    /* multline indents its first line and the equation number takes
       about 2 em at the end of the last: 40 pt; split indents the lines
       after the first by a \quad */
    ln.room = ln.pt ? textwidth - 40.0 : (double) o->width;
    ln.indent = ln.pt ? 10.0 : 6.0;
    ln.brk = NULL;
    ln.lhs = 0;
    if (lhs)
    {
        gc_sink_t scratch;

        gc_sink_init_str(scratch);
        lhs_write(scratch, e, ln.pt ? GC_PRINT_LATEX
                              : o->format == GC_PRINT_ASCII ? GC_PRINT_ASCII
                                                            : GC_PRINT_TEXT);
        ln.lhs = scratch_width(scratch, ln.pt) + (ln.pt ? 13.3 : 3.0);
    }
    /* auto: every factor when that takes at most max_lines lines (one
       without breaks, any number with breaks when max_lines is 0), else
       the \prod of the matrix form or the elided sum */
    if (form == GC_FORM_AUTO)
    {
        slong most = breaks == GC_BREAK_NONE ? 1 : max_lines;

        layout_init(&l, e, GC_FORM_EXPANDED, 0, 0);
        form = most == 0 || layout_lines(NULL, &l, &ln) <= most
               ? GC_FORM_EXPANDED
               : e->row == 0 ? GC_FORM_COMPACT : GC_FORM_ELIDED;
    }
    if (form == GC_FORM_ELIDED && breaks == GC_BREAK_NONE)
        elided_fit(&l, e, o, &ln);
    else
        layout_init(&l, e, form, o->head, o->tail);
    /* an equation that fits on one line is not broken */
    if (breaks != GC_BREAK_NONE && layout_lines(NULL, &l, &ln) == 1)
        breaks = GC_BREAK_NONE;
    if (breaks == GC_BREAK_NONE)
        ln.room = 1e300;
    else
        ln.brk = !latex ? cont[o->format] : breaks == GC_BREAK_MULTLINE
                                            ? " \\\\\n  " : " \\\\\n  &\\quad ";
    if (lhs && latex)
        gc_sink_puts(s, breaks == GC_BREAK_MULTLINE
                        ? "\\begin{multline}\n  "
                        : breaks == GC_BREAK_SPLIT
                        ? "\\begin{equation}\n\\begin{split}\n  "
                        : "\\begin{equation}\n  ");
    if (lhs)
    {
        lhs_write(s, e, o->format);
        gc_sink_puts(s, latex && breaks == GC_BREAK_SPLIT ? " &= " : " = ");
    }
    layout_lines(s, &l, &ln);
    if (note && form == GC_FORM_COMPACT)
        order_note_write(s, &l, o->format);
    if (lhs && latex && label != NULL)
        gc_sink_printf(s, "\\label{%s:%s}", label,
                       e->row == 0 ? "matrix" : "entry");
    if (lhs && latex)
        gc_sink_puts(s, breaks == GC_BREAK_MULTLINE ? "\n\\end{multline}"
                        : breaks == GC_BREAK_SPLIT
                        ? "\n\\end{split}\n\\end{equation}"
                        : "\n\\end{equation}");
    if (lhs)
        gc_sink_puts(s, "\n");
    return form;
}

/* Aborts unless the request can be written. */
static void
wexpr_check(const gc_wexpr_t e, const gc_print_opts_t o, const char * label)
{
    if ((unsigned) o->format > GC_PRINT_ASCII || e->len == 0)
        gc_throw("gc_wexpr_write: unknown format or empty gradient");
    if (label != NULL && !gc_doc_label_is_valid(label))
        gc_throw("gc_wexpr_write: invalid label prefix");
}

int
gc_wexpr_write(FILE * f, const gc_wexpr_t e, const gc_print_opts_t o,
               int lhs, const char * label)
{
    gc_sink_t s;

    wexpr_check(e, o, label);
    if (!gc_wexpr_form_is_valid(e, o->form))
        return GC_INVALID;
    gc_sink_init_file(s, f);
    gc_wexpr_write_sink(s, e, o, lhs, label, 0.0, 0, 1);
    return gc_sink_clear(s);
}

char *
gc_wexpr_get_str(const gc_wexpr_t e, const gc_print_opts_t o, int lhs)
{
    gc_sink_t s;

    wexpr_check(e, o, NULL);
    if (!gc_wexpr_form_is_valid(e, o->form))
        return NULL;
    gc_sink_init_str(s);
    gc_wexpr_write_sink(s, e, o, lhs, NULL, 0.0, 0, 1);
    return gc_sink_take_str(s);
}
