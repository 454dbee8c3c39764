/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* general.c -- the general formula, with a letter j for the layer:
   dC/db_j = f'(z_j) (prod_{k=j+1}^{L} w_k f'(z_k)) dC/da_L and
   dC/dw_j = a_{j-1} dC/db_j, in LaTeX, text and ASCII. */

#include "latex-impl.h"

static const char * const sep_str[3] = {"\\,", " ", " * "};

/* Writes j+1 (off > 0) or j-1 for the letter c: plain in LaTeX and
   ASCII (the caller adds braces), in subscripts in text. */
static void
shifted_write(gc_sink_t s, char c, int off, gc_print_format_t fmt)
{
    if (fmt == GC_PRINT_TEXT)
    {
        gc_sink_puts(s, gc_index_letter_sub(c));
        /* U+208A or U+208B, then U+2081 */
        gc_sink_puts(s, off > 0 ? "\xe2\x82\x8a\xe2\x82\x81"
                                : "\xe2\x82\x8b\xe2\x82\x81");
    }
    else
        gc_sink_printf(s, "%c%c1", c, off > 0 ? '+' : '-');
}

static void
factor_write(gc_sink_t s, gc_factor_kind_t kind, slong index,
             const gc_shape_t shape, gc_print_format_t fmt)
{
    gc_factor_struct f;

    f.kind = kind;
    f.index = index;
    f.act = kind == GC_FACTOR_DACT ? shape->act : GC_SYM_SIGMA;
    f.expand = kind == GC_FACTOR_DACT ? shape->expand : GC_SYM_EXPAND_NONE;
    gc_factor_write_sink(s, &f, fmt);
}

/* a_{j-1} */
static void
a_write(gc_sink_t s, char c, gc_print_format_t fmt)
{
    gc_sink_puts(s, fmt == GC_PRINT_TEXT ? "a" : "a_{");
    shifted_write(s, c, -1, fmt);
    gc_sink_puts(s, fmt == GC_PRINT_TEXT ? "" : "}");
}

/* f'(z_j) (prod_{k=j+1}^{L} w_k f'(z_k)) dC/da_L */
static void
rhs_b_write(gc_sink_t s, char c, const gc_shape_t shape,
            gc_print_format_t fmt)
{
    slong L = shape->len;

    factor_write(s, GC_FACTOR_DACT, GC_SYM_INDEX(c), shape, fmt);
    gc_sink_puts(s, sep_str[fmt]);
    if (fmt == GC_PRINT_LATEX)
        gc_sink_puts(s, "\\left(\\prod_{k=");
    else if (fmt == GC_PRINT_ASCII)
        gc_sink_puts(s, "prod_{k=");
    else
        gc_sink_puts(s, "(\xe2\x88\x8f\xe2\x82\x96\xe2\x82\x8c");
    shifted_write(s, c, 1, fmt);
    if (fmt == GC_PRINT_TEXT)
    {
        gc_sup_write_sink(s, L);
        gc_sink_puts(s, " ");
    }
    else
        gc_sink_printf(s, fmt == GC_PRINT_LATEX ? "}^{%ld} " : "}^{%ld}(",
                       (long) L);
    factor_write(s, GC_FACTOR_W, GC_INDEX_K, shape, fmt);
    gc_sink_puts(s, sep_str[fmt]);
    factor_write(s, GC_FACTOR_DACT, GC_INDEX_K, shape, fmt);
    gc_sink_puts(s, fmt == GC_PRINT_LATEX ? "\\right)" : ")");
    gc_sink_puts(s, sep_str[fmt]);
    factor_write(s, gc_sym_cost_kind(shape), L, shape, fmt);
}

static void
label_write(gc_sink_t s, const char * label, const char * name)
{
    if (label != NULL)
        gc_sink_printf(s, "\\label{%s:%s}", label, name);
}

void
gc_general_write_sink(gc_sink_t s, const gc_param_t p,
                      const gc_shape_t shape, gc_print_format_t fmt,
                      int lhs, const char * label)
{
    const char c = (char) -p->layer;
    const int w = p->kind == GC_PARAM_W, latex = fmt == GC_PRINT_LATEX;
    gc_param_t b;

    if (!lhs)
    {
        if (w)
        {
            a_write(s, c, fmt);
            gc_sink_puts(s, sep_str[fmt]);
        }
        rhs_b_write(s, c, shape, fmt);
        return;
    }
    gc_param_set(b, GC_PARAM_B, p->layer);
    if (latex)
        gc_sink_puts(s, w ? "\\begin{align}\n  " : "\\begin{equation}\n  ");
    gc_lhs_write_sink(s, b, fmt);
    gc_sink_puts(s, latex && w ? " &= " : " = ");
    rhs_b_write(s, c, shape, fmt);
    if (latex)
        label_write(s, label, "general-b");
    if (w)
    {
        gc_sink_puts(s, latex ? " \\\\\n  " : "\n");
        gc_lhs_write_sink(s, p, fmt);
        gc_sink_puts(s, latex ? " &= " : " = ");
        a_write(s, c, fmt);
        gc_sink_puts(s, sep_str[fmt]);
        gc_lhs_write_sink(s, b, fmt);
        if (latex)
            label_write(s, label, "general-w");
    }
    if (latex)
        gc_sink_puts(s, w ? "\n\\end{align}" : "\n\\end{equation}");
    gc_sink_puts(s, "\n");
}

/* Aborts unless p is symbolic and the shape valid. */
static void
general_check(const gc_param_t p, const gc_shape_t shape,
              gc_print_format_t fmt)
{
    if (!gc_sym_param_is_general(p) || gc_shape_check(shape) != GC_SUCCESS
        || (unsigned) fmt > GC_PRINT_ASCII)
        gc_throw("gc_general_write: not a symbolic parameter, a valid "
                 "shape and a format");
}

int
gc_general_write(FILE * f, const gc_param_t p, const gc_shape_t shape,
                 gc_print_format_t format, int lhs)
{
    return gc_general_write_label(f, p, shape, format, lhs, NULL);
}

int
gc_general_write_label(FILE * f, const gc_param_t p, const gc_shape_t shape,
                       gc_print_format_t format, int lhs, const char * label)
{
    gc_sink_t s;

    general_check(p, shape, format);
    if (label != NULL && !gc_doc_label_is_valid(label))
        gc_throw("gc_general_write_label: invalid label prefix");
    gc_sink_init_file(s, f);
    gc_general_write_sink(s, p, shape, format, lhs, label);
    return gc_sink_clear(s);
}

char *
gc_general_get_str(const gc_param_t p, const gc_shape_t shape,
                   gc_print_format_t format, int lhs)
{
    gc_sink_t s;

    general_check(p, shape, format);
    gc_sink_init_str(s);
    gc_general_write_sink(s, p, shape, format, lhs, NULL);
    return gc_sink_take_str(s);
}
