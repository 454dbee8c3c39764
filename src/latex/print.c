/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* print.c -- products in the expanded, compact, elided and grouped forms,
   and equations with line breaks. */

#include <string.h>

#include "latex/latex-impl.h"

void
gc_print_opts_init(gc_print_opts_t o)
{
    o->format = GC_PRINT_LATEX;
    o->form = GC_FORM_AUTO;
    o->breaks = GC_BREAK_NONE;
    o->width = 72;
    o->head = 3;
    o->tail = 3;
}

GC_NAMES_DEFINE(gc_print_format, gc_print_format_t, "latex", "text", "ascii")
GC_NAMES_SET_STR(gc_print_format, gc_print_format_t)

GC_NAMES_DEFINE(gc_form, gc_form_t, "auto", "expanded", "compact", "elided",
                "grouped")
GC_NAMES_SET_STR(gc_form, gc_form_t)

GC_NAMES_DEFINE(gc_break, gc_break_t, "none", "multline", "split")
GC_NAMES_SET_STR(gc_break, gc_break_t)

/* A unit of the printed product. */
typedef enum
{
    ITEM_FACTOR,
    ITEM_GROUP, /* (w_k f'(z_k)) */
    ITEM_PROD,  /* \prod_{k=m}^{n} (w_k f'(z_k)) */
    ITEM_DOTS   /* \cdots */
} item_kind_t;

typedef struct
{
    item_kind_t kind;
    slong pos; /* first factor */
    slong n;   /* factors covered */
} item_struct;

static const char * const sep_str[3] = {"\\,", " ", " * "};
static const char * const dots_str[3] = {"\\cdots", "\xe2\x8b\xaf", "..."};

/* 1 if factors i, i+1 of *e* are w_m, f'(z_m) with the same m. */
static int
is_pair(const gc_expr_t e, slong i, slong end)
{
    const gc_factor_struct * f = e->fac + i;

    return i + 1 < end && f[0].kind == GC_FACTOR_W
        && f[1].kind == GC_FACTOR_DACT && f[1].index == f[0].index
        && f[0].index >= 0;
}

/* The printed width of the text in *s*: UTF-8 characters. */
static slong
sink_width(const gc_sink_t s)
{
    slong w = 0;
    size_t i;

    for (i = 0; i < s->len; i++)
        w += ((unsigned char) s->buf[i] & 0xc0) != 0x80;
    return w;
}

/* The format whose width measures *fmt*: LaTeX is measured by its text
   form. */
static gc_print_format_t
measure_format(gc_print_format_t fmt)
{
    return fmt == GC_PRINT_LATEX ? GC_PRINT_TEXT : fmt;
}

/* The form actually used for factors [start, start + n). */
static gc_form_t
resolve_form(const gc_expr_t e, slong start, slong n,
             const gc_print_opts_t o)
{
    gc_form_t form = o->form;

    if (form == GC_FORM_AUTO)
    {
        gc_print_format_t mf = measure_format(o->format);
        slong i, w = -1;

        form = GC_FORM_EXPANDED;
        if (o->breaks == GC_BREAK_NONE)
        {
            for (i = start; i < start + n && form == GC_FORM_EXPANDED; i++)
            {
                w += gc_factor_width(e->fac + i, mf) + 1;
                if (w > o->width)
                    form = GC_FORM_ELIDED;
            }
        }
    }
    if (form == GC_FORM_ELIDED && n <= o->head + o->tail + 1)
        form = GC_FORM_EXPANDED;
    return form;
}

/* Sets *it* to the item at position *pos* of [start, end). */
static void
next_item(item_struct * it, const gc_expr_t e, slong start, slong pos,
          slong end, gc_form_t form, const gc_print_opts_t o)
{
    it->kind = ITEM_FACTOR;
    it->pos = pos;
    it->n = 1;
    if (form == GC_FORM_ELIDED && pos == start + o->head)
    {
        it->kind = ITEM_DOTS;
        it->n = end - o->tail - pos;
    }
    else if (form == GC_FORM_GROUPED && is_pair(e, pos, end))
    {
        it->kind = ITEM_GROUP;
        it->n = 2;
    }
    else if (form == GC_FORM_COMPACT && is_pair(e, pos, end))
    {
        slong r = 1;
        const gc_factor_struct * f = e->fac + pos;

        while (is_pair(e, pos + 2 * r, end)
               && f[2 * r].index == f[0].index + r
               && f[2 * r + 1].act == f[1].act
               && f[2 * r + 1].expand == f[1].expand)
            r++;
        if (r >= 2)
        {
            it->kind = ITEM_PROD;
            it->n = 2 * r;
        }
    }
}

void
gc_sup_write_sink(gc_sink_t s, slong k)
{
    static const char * const sup[10] = {
        "\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3", "\xe2\x81\xb4",
        "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8",
        "\xe2\x81\xb9"};
    char d[24];
    int i, n = snprintf(d, sizeof d, "%ld", (long) k);

    for (i = 0; i < n; i++)
        gc_sink_puts(s, sup[d[i] - '0']);
}

/* Writes the pair w_k f'(z_k) with the letter k as index. */
static void
pair_k_write(gc_sink_t s, const gc_factor_struct * f, gc_print_format_t fmt)
{
    gc_factor_struct w = f[0], d = f[1];

    w.index = GC_INDEX_K;
    d.index = GC_INDEX_K;
    gc_factor_write_sink(s, &w, fmt);
    gc_sink_puts(s, sep_str[fmt]);
    gc_factor_write_sink(s, &d, fmt);
}

static void
item_write(gc_sink_t s, const gc_expr_t e, const item_struct * it,
           gc_print_format_t fmt)
{
    const gc_factor_struct * f = e->fac + it->pos;
    slong m, n;

    switch (it->kind)
    {
        case ITEM_DOTS:
            gc_sink_puts(s, dots_str[fmt]);
            break;
        case ITEM_GROUP:
            gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\bigl(" : "(");
            gc_factor_write_sink(s, f, fmt);
            gc_sink_puts(s, sep_str[fmt]);
            gc_factor_write_sink(s, f + 1, fmt);
            gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\bigr)" : ")");
            break;
        case ITEM_PROD:
            m = f[0].index;
            n = f[it->n - 2].index;
            if (fmt == GC_PRINT_LATEX)
                gc_sink_printf(s, "\\left(\\prod_{k=%ld}^{%ld} ", (long) m,
                               (long) n);
            else if (fmt == GC_PRINT_ASCII)
                gc_sink_printf(s, "prod_{k=%ld}^{%ld}(", (long) m,
                               (long) n);
            else
            {
                /* (prod with subscript k= m, superscript n */
                gc_sink_puts(s, "(\xe2\x88\x8f\xe2\x82\x96\xe2\x82\x8c");
                gc_index_write_sink(s, m, fmt);
                gc_sup_write_sink(s, n);
                gc_sink_puts(s, " ");
            }
            pair_k_write(s, f, fmt);
            gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\right)" : ")");
            break;
        default:
            gc_factor_write_sink(s, f, fmt);
    }
}

/* The characters that a \prod with its limits and parentheses takes
   beyond its text form "(∏ₖ₌₂³ ...)" (measured: about 16 pt). */
#define PROD_EXTRA 4

/* The width of item *it* in the measure format *mf*: counted for factors
   and groups, measured in the string sink *scratch* for the rare others
   (each printed factor is written once, not once more to be measured). */
static slong
item_width(gc_sink_t scratch, const gc_expr_t e, const item_struct * it,
           gc_print_format_t mf)
{
    const gc_factor_struct * f = e->fac + it->pos;

    if (it->kind == ITEM_FACTOR)
        return gc_factor_width(f, mf);
    if (it->kind == ITEM_GROUP)
        return gc_factor_width(f, mf) + (slong) strlen(sep_str[mf])
            + gc_factor_width(f + 1, mf) + 2; /* "(" and ")" */
    scratch->len = 0;
    item_write(scratch, e, it, mf);
    /* \left(\prod_{k=m}^{n} ...\right) is wider than its text form */
    return sink_width(scratch) + (it->kind == ITEM_PROD) * PROD_EXTRA;
}

/* 1 if a line may break before item *it*: not between f'(z_k) and the
   factor before it. */
static int
may_break_before(const gc_expr_t e, const item_struct * it)
{
    return it->kind != ITEM_FACTOR || e->fac[it->pos].kind != GC_FACTOR_DACT;
}

/* 1 if the items from *jt* (at *pos*) to *end* may not make a line of
   their own: a single factor, or the ellipsis with at most one factor
   after it (an ellipsis is no factor: a line of it alone says nothing,
   and a line of it and the last factor leaves that factor alone). */
static int
is_lone_tail(const gc_expr_t e, const item_struct * jt, slong start,
             slong pos, slong end, gc_form_t form, const gc_print_opts_t o)
{
    item_struct kt;

    if (pos + jt->n >= end)
        return jt->kind == ITEM_FACTOR || jt->kind == ITEM_DOTS;
    if (jt->kind != ITEM_DOTS)
        return 0;
    next_item(&kt, e, start, pos + jt->n, end, form, o);
    return pos + jt->n + kt.n >= end && kt.kind == ITEM_FACTOR;
}

/* Sets *it* to the item at *pos* and returns the width (with the
   separator before it, *sepw*) of the run of items from there up to the
   next point where a line may break; *q* is set to the end of the
   run.  An ellipsis never ends a run: it stays on the line of the
   factor after it, so that no line holds it alone.  That is at *glue*
   2; at 1 the last factor may stand alone, and at 0 f'(z_k) may leave
   the factor before it too (the ellipsis still never ends a run). */
static slong
run_width(item_struct * it, slong * q, gc_sink_t scratch,
          const gc_expr_t e, slong start, slong pos, slong end,
          gc_form_t form, const gc_print_opts_t o, slong sepw, int glue)
{
    gc_print_format_t mf = measure_format(o->format);
    item_struct jt;
    slong run = 0;
    int dots;

    next_item(it, e, start, pos, end, form, o);
    jt = *it;
    *q = pos;
    for (;;)
    {
        run += sepw + item_width(scratch, e, &jt, mf);
        *q += jt.n;
        if (*q >= end)
            break;
        dots = jt.kind == ITEM_DOTS;
        next_item(&jt, e, start, *q, end, form, o);
        /* the last factor never stands alone on a line (a \prod may) */
        if (!dots && (glue == 0 || may_break_before(e, &jt))
            && (glue < 2 || !is_lone_tail(e, &jt, start, *q, end, form, o)))
            break;
    }
    return run;
}

/* The run of run_width from *pos*; when *relax*, with the most glue
   that does not pass the line width o->width on a continuation line of
   its own (7-digit indices on a narrow page: the ellipsis, a weight and
   a derivative, and the last factor pass it together), a line looser
   than the rules want rather than one past the margin of a document. */
static slong
fit_run(item_struct * it, slong * q, gc_sink_t scratch,
        const gc_expr_t e, slong start, slong pos, slong end,
        gc_form_t form, const gc_print_opts_t o, slong sepw, int relax)
{
    int glue = 2;
    slong run;

    do
        run = run_width(it, q, scratch, e, start, pos, end, form, o, sepw,
                        glue);
    while (relax && 6 - sepw + run > o->width && glue-- > 0);
    return run;
}

/* The lines the greedy breaking of factors [start, end) takes at line
   width *cap*, the first line having *used* characters already and the
   others 6 (a continuation mark); *total* is set to the width of the
   whole range on one line. */
static slong
range_lines(const gc_expr_t e, slong start, slong end, gc_form_t form,
            const gc_print_opts_t o, slong used, slong cap, slong * total,
            int relax)
{
    gc_sink_t scratch;
    item_struct it;
    slong sepw = (slong) strlen(sep_str[measure_format(o->format)]);
    slong pos = start, q, run, col = used, lines = 1;

    gc_sink_init_str(scratch);
    *total = used;
    while (pos < end)
    {
        run = fit_run(&it, &q, scratch, e, start, pos, end, form, o, sepw,
                      relax);
        if (pos == start)
            run -= sepw;
        if (pos > start && col + run > cap)
        {
            lines++;
            col = 6 - sepw;
        }
        col += run;
        *total += run;
        pos = q;
    }
    gc_sink_clear(scratch);
    return lines;
}

/* The line width at which factors [start, end) break into as few lines
   as at o->width, but as evenly as they can: the least width that needs
   no more lines (found by bisection: the lines only decrease as the
   width grows), so that the last line never holds one factor alone when
   the others could give it company. */
static slong
balanced_width(const gc_expr_t e, slong start, slong end, gc_form_t form,
               const gc_print_opts_t o, slong used, int relax)
{
    slong total, lo, hi = o->width, mid;
    slong lines = range_lines(e, start, end, form, o, used, hi, &total,
                              relax);

    if (lines == 1)
        return hi;
    lo = total / lines;
    while (lo < hi)
    {
        mid = lo + (hi - lo) / 2;
        if (range_lines(e, start, end, form, o, used, mid, &total, relax)
            <= lines)
            hi = mid;
        else
            lo = mid + 1;
    }
    return hi;
}

/* Writes factors [start, start + n) of *e*; when *breaks* is not NULL,
   starts a new line (writing *breaks* instead of the separator) before a
   run of items that would pass the balanced width (at most o->width), the
   first line having *used* characters already and the others 6. */
static void
range_write(gc_sink_t s, const gc_expr_t e, slong start, slong n,
            const gc_print_opts_t o, const char * breaks, slong used,
            int relax)
{
    gc_sink_t scratch;
    gc_form_t form;
    slong pos = start, end = start + n, col = used, q, r0, run, cap = 0;
    slong sepw = (slong) strlen(sep_str[measure_format(o->format)]);
    const char * sep = sep_str[o->format];
    size_t seplen = strlen(sep);
    item_struct it;

    if (n == 0)
    {
        gc_sink_puts(s, "1");
        return;
    }
    gc_sink_init_str(scratch);
    form = resolve_form(e, start, n, o);
    if (breaks != NULL)
        cap = balanced_width(e, start, end, form, o, used, relax);
    while (pos < end)
    {
        if (breaks == NULL)
        {
            next_item(&it, e, start, pos, end, form, o);
            if (pos > start)
                gc_sink_putn(s, sep, seplen);
            item_write(s, e, &it, o->format);
            pos += it.n;
            continue;
        }
        /* a run up to the next break point, on this line or the next */
        run = fit_run(&it, &q, scratch, e, start, pos, end, form, o, sepw,
                      relax);
        if (pos == start)
            run -= sepw;
        if (pos > start && col + run > cap)
        {
            gc_sink_puts(s, breaks);
            col = 6 - sepw;
        }
        else if (pos > start)
        {
            gc_sink_putn(s, sep, seplen);
        }
        col += run;
        /* the rest of the run is written without breaks */
        for (r0 = pos; pos < q; pos += it.n)
        {
            next_item(&it, e, start, pos, end, form, o);
            if (pos > r0)
                gc_sink_putn(s, sep, seplen);
            item_write(s, e, &it, o->format);
        }
    }
    gc_sink_clear(scratch);
}

void
gc_expr_write_range_sink(gc_sink_t s, const gc_expr_t e, slong start,
                         slong n, const gc_print_opts_t o)
{
    if (start < 0 || n < 0 || start + n > e->len)
        gc_throw("gc_expr_write_range_sink: range out of bounds");
    range_write(s, e, start, n, o, NULL, 0, 0);
}

int
gc_expr_write(FILE * f, const gc_expr_t e, const gc_print_opts_t o)
{
    gc_sink_t s;

    gc_sink_init_file(s, f);
    gc_expr_write_range_sink(s, e, 0, e->len, o);
    return gc_sink_clear(s);
}

char *
gc_expr_get_str(const gc_expr_t e, const gc_print_opts_t o)
{
    gc_sink_t s;

    gc_sink_init_str(s);
    gc_expr_write_range_sink(s, e, 0, e->len, o);
    return gc_sink_take_str(s);
}

void
gc_expr_write_lines_sink(gc_sink_t s, const gc_expr_t e, slong start,
                         slong n, const gc_print_opts_t o,
                         const char * breaks, slong used)
{
    if (start < 0 || n < 0 || start + n > e->len)
        gc_throw("gc_expr_write_lines_sink: range out of bounds");
    range_write(s, e, start, n, o, breaks, used, 1);
}

gc_form_t
gc_expr_form(const gc_expr_t e, const gc_print_opts_t o)
{
    return resolve_form(e, 0, e->len, o);
}

slong
gc_expr_width(const gc_expr_t e, slong start, slong n,
              const gc_print_opts_t o)
{
    slong total;

    if (start < 0 || n < 0 || start + n > e->len)
        gc_throw("gc_expr_width: range out of bounds");
    if (n == 0)
        return 1;
    range_lines(e, start, start + n, resolve_form(e, start, n, o), o, 0,
                o->width, &total, 0);
    return total;
}

void
gc_equation_write_sink(gc_sink_t s, const gc_param_t p, const gc_expr_t e,
                       const gc_print_opts_t opts, const char * label,
                       int relax)
{
    static const char * const cont[3] = {"", "\n    \xc3\x97 ", " *\n    "};
    gc_print_opts_t o;
    const char * brk;
    slong lhs_w, total;
    gc_sink_t scratch;

    gc_sink_init_str(scratch);
    gc_lhs_write_sink(scratch, p, measure_format(opts->format));
    lhs_w = sink_width(scratch) + 3;
    gc_sink_clear(scratch);
    /* an equation that takes one line is not broken: no multline (and
       its gap around "=") for it */
    *o = *opts;
    if (o->breaks != GC_BREAK_NONE
        && (e->len == 0
            || range_lines(e, 0, e->len, resolve_form(e, 0, e->len, o), o,
                           lhs_w, o->width, &total, relax) == 1))
        o->breaks = GC_BREAK_NONE;
    brk = o->breaks == GC_BREAK_NONE ? NULL : cont[o->format];
    if (o->format == GC_PRINT_LATEX)
    {
        if (o->breaks == GC_BREAK_MULTLINE)
        {
            gc_sink_puts(s, "\\begin{multline}\n  ");
            brk = " \\\\\n  \\times ";
        }
        else if (o->breaks == GC_BREAK_SPLIT)
        {
            gc_sink_puts(s, "\\begin{equation}\n\\begin{split}\n  ");
            brk = " \\\\\n  &\\quad\\times ";
        }
        else
        {
            gc_sink_puts(s, "\\begin{equation}\n  ");
        }
    }
    gc_lhs_write_sink(s, p, o->format);
    gc_sink_puts(s, o->format == GC_PRINT_LATEX
                            && o->breaks == GC_BREAK_SPLIT ? " &= " : " = ");
    range_write(s, e, 0, e->len, o, brk, lhs_w, relax);
    if (o->format == GC_PRINT_LATEX && label != NULL)
        gc_sink_printf(s, "\\label{%s:product}", label);
    if (o->format == GC_PRINT_LATEX)
    {
        if (o->breaks == GC_BREAK_MULTLINE)
            gc_sink_puts(s, "\n\\end{multline}");
        else if (o->breaks == GC_BREAK_SPLIT)
            gc_sink_puts(s, "\n\\end{split}\n\\end{equation}");
        else
            gc_sink_puts(s, "\n\\end{equation}");
    }
    gc_sink_puts(s, "\n");
}

int
gc_expr_write_equation(FILE * f, const gc_param_t p, const gc_expr_t e,
                       const gc_print_opts_t o)
{
    return gc_expr_write_equation_label(f, p, e, o, NULL);
}

int
gc_expr_write_equation_label(FILE * f, const gc_param_t p,
                             const gc_expr_t e, const gc_print_opts_t o,
                             const char * label)
{
    gc_sink_t s;

    if (label != NULL && !gc_doc_label_is_valid(label))
        gc_throw("gc_expr_write_equation_label: invalid label prefix");
    gc_sink_init_file(s, f);
    gc_equation_write_sink(s, p, e, o, label, 0);
    return gc_sink_clear(s);
}

char *
gc_expr_get_str_equation(const gc_param_t p, const gc_expr_t e,
                         const gc_print_opts_t o)
{
    gc_sink_t s;

    gc_sink_init_str(s);
    gc_equation_write_sink(s, p, e, o, NULL, 0);
    return gc_sink_take_str(s);
}
