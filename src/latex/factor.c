/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* factor.c -- one factor (sigma'(z_k), w_k, dC/da_L, ...) in LaTeX, text
   and ASCII, and the left-hand side dC/db_j of an equation. */

#include "gradchain.h"
#include "latex/latex-impl.h"

void
gc_index_write_sink(gc_sink_t s, slong k, gc_print_format_t format)
{
    char buf[3 * 24 + 2];
    char digits[24];
    slong n = 0, i, m = 0;

    if (k == GC_INDEX_K)
    {
        gc_sink_puts(s, format == GC_PRINT_LATEX ? "{k}"
                        : format == GC_PRINT_ASCII ? "k"
                        : "\xe2\x82\x96"); /* U+2096 subscript k */
        return;
    }
    /* digits of k >= 0, least significant first (no printf: this is the
       inner loop of printing a million factors) */
    do
    {
        digits[n++] = (char) ('0' + k % 10);
        k /= 10;
    } while (k > 0);
    if (format == GC_PRINT_LATEX)
        buf[m++] = '{';
    for (i = n - 1; i >= 0; i--)
    {
        if (format == GC_PRINT_TEXT)
        {
            buf[m++] = '\xe2'; /* U+2080 + d */
            buf[m++] = '\x82';
            buf[m++] = (char) (0x80 + (digits[i] - '0'));
        }
        else
        {
            buf[m++] = digits[i];
        }
    }
    if (format == GC_PRINT_LATEX)
        buf[m++] = '}';
    gc_sink_putn(s, buf, m);
}

/* Writes a, the index, then b. */
static void
put3(gc_sink_t s, const char * a, slong k, const char * b,
     gc_print_format_t fmt)
{
    gc_sink_puts(s, a);
    gc_index_write_sink(s, k, fmt);
    gc_sink_puts(s, b);
}

/* The pieces of each factor: before the first index, between the
   indices, after the last; per format (LaTeX, text, ASCII). */
typedef struct
{
    const char * part[3][4];
    int nidx;
} factor_form_t;

static const factor_form_t dact_sigma[3] = {
    {{{"\\sigma'(z_", ")"}, {"\xcf\x83\xe2\x80\xb2(z", ")"},
      {"sigma'(z_", ")"}}, 1},
    {{{"\\sigma(z_", ")\\bigl(1-\\sigma(z_", ")\\bigr)"},
      {"\xcf\x83(z", ")(1 \xe2\x88\x92 \xcf\x83(z", "))"},
      {"sigma(z_", ")(1-sigma(z_", "))"}}, 2},
    {{{"\\frac{e^{-z_", "}}{(1+e^{-z_", "})^{2}}"},
      {"e^(\xe2\x88\x92z", ")/(1 + e^(\xe2\x88\x92z", "))\xc2\xb2"},
      {"exp(-z_", ")/(1+exp(-z_", "))^2"}}, 2}};

static const factor_form_t dact_f = {
    {{"f'(z_", ")"}, {"f\xe2\x80\xb2(z", ")"}, {"f'(z_", ")"}}, 1};

static const factor_form_t dact_f_layer = {
    {{"f_", "'(z_", ")"}, {"f", "\xe2\x80\xb2(z", ")"},
     {"f_", "'(z_", ")"}}, 2};

/* Indexed by gc_factor_kind_t from GC_FACTOR_W on. */
static const factor_form_t others[GC_FACTOR_NKINDS - 1] = {
    {{{"w_", ""}, {"w", ""}, {"w_", ""}}, 1},
    {{{"a_", ""}, {"a", ""}, {"a_", ""}}, 1},
    {{{"\\frac{\\partial C}{\\partial a_", "}"},
      {"\xe2\x88\x82" "C/\xe2\x88\x82" "a", ""}, {"dC/da_", ""}}, 1},
    {{{"\\frac{\\partial C}{\\partial b_", "}"},
      {"\xe2\x88\x82" "C/\xe2\x88\x82" "b", ""}, {"dC/db_", ""}}, 1},
    {{{"(a_", "-y)"}, {"(a", " \xe2\x88\x92 y)"}, {"(a_", " - y)"}}, 1},
    {{{"\\frac{a_", "-y}{a_", "(1-a_", ")}"},
      {"(a", " \xe2\x88\x92 y)/(a", "(1 \xe2\x88\x92 a", "))"},
      {"(a_", " - y)/(a_", "(1 - a_", "))"}}, 3}};

static const factor_form_t *
factor_form(const gc_factor_struct * fac)
{
    if (fac->kind == GC_FACTOR_DACT)
    {
        if (fac->act == GC_SYM_F)
            return &dact_f;
        if (fac->act == GC_SYM_F_LAYER)
            return &dact_f_layer;
        return dact_sigma + fac->expand;
    }
    return others + (fac->kind - GC_FACTOR_W);
}

void
gc_factor_write_sink(gc_sink_t s, const gc_factor_struct * fac,
                     gc_print_format_t format)
{
    const factor_form_t * ff = factor_form(fac);
    const char * const * part = ff->part[format];
    int i;

    gc_sink_puts(s, part[0]);
    for (i = 0; i < ff->nidx; i++)
        put3(s, "", fac->index, part[i + 1], format);
}

void
gc_lhs_write_sink(gc_sink_t s, gc_sym_param_t p, slong j,
                  gc_print_format_t format)
{
    static const char * const head[3] = {
        "\\frac{\\partial C}{\\partial ", "\xe2\x88\x82" "C/\xe2\x88\x82",
        "dC/d"};

    gc_sink_puts(s, head[format]);
    gc_sink_puts(s, p == GC_PARAM_B ? "b" : "w");
    if (format == GC_PRINT_LATEX)
        put3(s, "_", j, "}", format);
    else
        put3(s, format == GC_PRINT_ASCII ? "_" : "", j, "", format);
}
