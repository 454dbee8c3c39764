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

#include <string.h>

#include "latex/latex-impl.h"

/* A piece of text and its length in bytes. */
typedef struct
{
    const char * str;
    size_t len;
} piece_struct;

#define P(lit) {lit, sizeof lit - 1}

/* Adds 1 to the index of *len* bytes at *str* in *format*; returns 0,
   leaving str unusable, when that needs one more digit (99 + 1). */
static int
index_increment(char * str, size_t len, gc_print_format_t format)
{
    /* a digit is d (LaTeX within braces, ASCII) or E2 82 80+d (text) */
    const char zero = format == GC_PRINT_TEXT ? '\x80' : '0';
    const size_t step = format == GC_PRINT_TEXT ? 3 : 1;
    const size_t first = format == GC_PRINT_TEXT ? 2
                         : format == GC_PRINT_LATEX ? 1 : 0;
    size_t i = len - 1 - (format == GC_PRINT_LATEX);

    while (str[i] == zero + 9)
    {
        if (i == first)
            return 0;
        str[i] = zero;
        i -= step;
    }
    str[i]++;
    return 1;
}

/* Sets the last index of *s* to k >= 0 in *format*: a copy when it is
   already, an increment when it was k - 1, else digits by hand (not
   printf: this is the inner loop of printing a million factors). */
static void
index_set(gc_sink_t s, slong k, gc_print_format_t format)
{
    char * q = s->idx_str + GC_INDEX_MAX;
    ulong u = k, d;

    if (s->idx >= 0 && s->idx_format == format)
    {
        if (k == s->idx)
            return;
        if (k == s->idx + 1
            && index_increment(s->idx_str, s->idx_len, format))
        {
            s->idx = k;
            return;
        }
    }
    /* the digits of k from the last, U+2080 + d in text */
    if (format == GC_PRINT_LATEX)
        *--q = '}';
    do
    {
        d = u % 10;
        u /= 10;
        if (format == GC_PRINT_TEXT)
        {
            *--q = (char) (0x80 + d);
            *--q = '\x82';
            *--q = '\xe2';
        }
        else
        {
            *--q = (char) ('0' + d);
        }
    } while (u > 0);
    if (format == GC_PRINT_LATEX)
        *--q = '{';
    s->idx_len = s->idx_str + GC_INDEX_MAX - q;
    memmove(s->idx_str, q, s->idx_len);
    s->idx = k;
    s->idx_format = format;
}

const char *
gc_index_letter_sub(char c)
{
    /* U+1D62, U+2C7C, U+2096, U+2098, U+2099 */
    static const char * const sub[5] = {
        "\xe1\xb5\xa2", "\xe2\xb1\xbc", "\xe2\x82\x96", "\xe2\x82\x98",
        "\xe2\x82\x99"};
    const char * at = strchr("ijkmn", c);

    if (c == '\0' || at == NULL)
        gc_throw("gc_index_letter_sub: no subscript letter '%c'", c);
    return sub[at - "ijkmn"];
}

/* Writes the index k in *format* at *p*, which has room for GC_INDEX_MAX
   bytes; returns the number of bytes. */
static size_t
index_put(char * p, gc_sink_t s, slong k, gc_print_format_t format)
{
    if (k < 0)
    {
        /* a letter (GC_SYM_INDEX): {c}, its subscript, c */
        char c = (char) -k;
        const char * sub = gc_index_letter_sub(c);

        if (format == GC_PRINT_TEXT)
        {
            memcpy(p, sub, strlen(sub));
            return strlen(sub);
        }
        if (format == GC_PRINT_ASCII)
        {
            *p = c;
            return 1;
        }
        p[0] = '{';
        p[1] = c;
        p[2] = '}';
        return 3;
    }
    index_set(s, k, format);
    memcpy(p, s->idx_str, s->idx_len);
    return s->idx_len;
}

void
gc_index_write_sink(gc_sink_t s, slong k, gc_print_format_t format)
{
    s->len += index_put(gc_sink_room(s, GC_INDEX_MAX), s, k, format);
}

/* The pieces of each factor: before the first index, between the
   indices, after the last; per format (LaTeX, text, ASCII). */
typedef struct
{
    piece_struct part[3][4];
    int nidx;
} factor_form_struct;

static const factor_form_struct dact_sigma[3] = {
    {{{P("\\sigma'(z_"), P(")")}, {P("\xcf\x83\xe2\x80\xb2(z"), P(")")},
      {P("sigma'(z_"), P(")")}}, 1},
    {{{P("\\sigma(z_"), P(")\\bigl(1-\\sigma(z_"), P(")\\bigr)")},
      {P("\xcf\x83(z"), P(")(1 \xe2\x88\x92 \xcf\x83(z"), P("))")},
      {P("sigma(z_"), P(")(1-sigma(z_"), P("))")}}, 2},
    {{{P("\\frac{e^{-z_"), P("}}{(1+e^{-z_"), P("})^{2}}")},
      {P("e^(\xe2\x88\x92z"), P(")/(1 + e^(\xe2\x88\x92z"),
       P("))\xc2\xb2")},
      {P("exp(-z_"), P(")/(1+exp(-z_"), P("))^2")}}, 2}};

static const factor_form_struct dact_f = {
    {{P("f'(z_"), P(")")}, {P("f\xe2\x80\xb2(z"), P(")")},
     {P("f'(z_"), P(")")}}, 1};

static const factor_form_struct dact_f_layer = {
    {{P("f_"), P("'(z_"), P(")")}, {P("f"), P("\xe2\x80\xb2(z"), P(")")},
     {P("f_"), P("'(z_"), P(")")}}, 2};

/* The derivatives of the activations of the numeric side, indexed by
   act - GC_SYM_TANH: abstract, then in closed form (none for the
   identity).  U+1D7CF is the bold digit one of the indicator. */
static const factor_form_struct dact_more[GC_SYM_NACTS - GC_SYM_TANH][2] = {
    {{{{P("\\tanh'(z_"), P(")")}, {P("tanh\xe2\x80\xb2(z"), P(")")},
       {P("tanh'(z_"), P(")")}}, 1},
     {{{P("\\bigl(1-\\tanh^{2}(z_"), P(")\\bigr)")},
       {P("(1 \xe2\x88\x92 tanh\xc2\xb2(z"), P("))")},
       {P("(1 - tanh(z_"), P(")^2)")}}, 1}},
    {{{{P("\\mathrm{ReLU}'(z_"), P(")")},
       {P("ReLU\xe2\x80\xb2(z"), P(")")}, {P("relu'(z_"), P(")")}}, 1},
     {{{P("\\mathbf{1}[z_"), P(" > 0]")},
       {P("\xf0\x9d\x9f\x8f[z"), P(" > 0]")}, {P("1[z_"), P(" > 0]")}},
      1}},
    {{{{P("\\mathrm{LReLU}'(z_"), P(")")},
       {P("LReLU\xe2\x80\xb2(z"), P(")")}, {P("lrelu'(z_"), P(")")}}, 1},
     {{{P("\\bigl(\\mathbf{1}[z_"),
        P(" > 0] + \\alpha\\,\\mathbf{1}[z_"), P(" \\le 0]\\bigr)")},
       {P("(\xf0\x9d\x9f\x8f[z"), P(" > 0] + \xce\xb1 \xf0\x9d\x9f\x8f[z"),
        P(" \xe2\x89\xa4 0])")},
       {P("(1[z_"), P(" > 0] + alpha 1[z_"), P(" <= 0])")}}, 2}},
    {{{{P("\\mathrm{softplus}'(z_"), P(")")},
       {P("softplus\xe2\x80\xb2(z"), P(")")},
       {P("softplus'(z_"), P(")")}}, 1},
     {{{P("\\sigma(z_"), P(")")}, {P("\xcf\x83(z"), P(")")},
       {P("sigma(z_"), P(")")}}, 1}},
    {{{{P("\\mathrm{id}'(z_"), P(")")}, {P("id\xe2\x80\xb2(z"), P(")")},
       {P("id'(z_"), P(")")}}, 1},
     {{{P("\\mathrm{id}'(z_"), P(")")}, {P("id\xe2\x80\xb2(z"), P(")")},
       {P("id'(z_"), P(")")}}, 1}},
    {{{{P("\\mathrm{GELU}'(z_"), P(")")},
       {P("GELU\xe2\x80\xb2(z"), P(")")}, {P("gelu'(z_"), P(")")}}, 1},
     {{{P("\\bigl(\\Phi(z_"), P(") + z_"), P("\\,\\varphi(z_"),
        P(")\\bigr)")},
       {P("(\xce\xa6(z"), P(") + z"), P(" \xcf\x86(z"), P("))")},
       {P("(Phi(z_"), P(") + z_"), P(" phi(z_"), P("))")}}, 3}}};

/* Indexed by gc_factor_kind_t from GC_FACTOR_W on. */
static const factor_form_struct others[GC_FACTOR_NKINDS - 1] = {
    {{{P("w_"), P("")}, {P("w"), P("")}, {P("w_"), P("")}}, 1},
    {{{P("a_"), P("")}, {P("a"), P("")}, {P("a_"), P("")}}, 1},
    {{{P("\\frac{\\partial C}{\\partial a_"), P("}")},
      {P("\xe2\x88\x82" "C/\xe2\x88\x82" "a"), P("")}, {P("dC/da_"), P("")}},
     1},
    {{{P("\\frac{\\partial C}{\\partial b_"), P("}")},
      {P("\xe2\x88\x82" "C/\xe2\x88\x82" "b"), P("")}, {P("dC/db_"), P("")}},
     1},
    {{{P("(a_"), P("-y)")}, {P("(a"), P(" \xe2\x88\x92 y)")},
      {P("(a_"), P(" - y)")}}, 1},
    {{{P("\\frac{a_"), P("-y}{a_"), P("(1-a_"), P(")}")},
      {P("(a"), P(" \xe2\x88\x92 y)/(a"), P("(1 \xe2\x88\x92 a"), P("))")},
      {P("(a_"), P(" - y)/(a_"), P("(1 - a_"), P("))")}}, 3}};

/* The longest part of a factor, in bytes. */
#define PART_MAX 32

static const factor_form_struct *
factor_form(const gc_factor_struct * fac)
{
    if (fac->kind == GC_FACTOR_DACT)
    {
        if (fac->act == GC_SYM_F)
            return &dact_f;
        if (fac->act == GC_SYM_F_LAYER)
            return &dact_f_layer;
        if (fac->act >= GC_SYM_TANH && fac->act < GC_SYM_NACTS)
            return dact_more[fac->act - GC_SYM_TANH]
                   + (fac->expand != GC_SYM_EXPAND_NONE);
        return dact_sigma + fac->expand;
    }
    return others + (fac->kind - GC_FACTOR_W);
}

void
gc_factor_write_sink(gc_sink_t s, const gc_factor_struct * fac,
                     gc_print_format_t format)
{
    const factor_form_struct * ff = factor_form(fac);
    const piece_struct * part = ff->part[format];
    char * p = gc_sink_room(s, (PART_MAX + GC_INDEX_MAX) * 4);
    char * q = p;
    size_t m;
    int i;

    memcpy(q, part[0].str, part[0].len);
    q += part[0].len;
    /* the index once, then copied to each place it appears */
    m = index_put(q, s, fac->index, format);
    for (i = 0; i < ff->nidx; i++)
    {
        if (i > 0)
            memcpy(q, q - m - part[i].len, m);
        q += m;
        memcpy(q, part[i + 1].str, part[i + 1].len);
        q += part[i + 1].len;
    }
    s->len += q - p;
}

/* The number of UTF-8 characters in *n* bytes at *str*. */
static slong
utf8_width(const char * str, size_t n)
{
    slong w = 0;
    size_t i;

    for (i = 0; i < n; i++)
        w += ((unsigned char) str[i] & 0xc0) != 0x80;
    return w;
}

slong
gc_factor_width(const gc_factor_struct * fac, gc_print_format_t format)
{
    const factor_form_struct * ff = factor_form(fac);
    const piece_struct * part = ff->part[format];
    slong w = 0, d = 1;
    ulong p10;
    int i;

    for (i = 0; i <= ff->nidx; i++)
        w += utf8_width(part[i].str, part[i].len);
    /* the digits of the index (1 for a letter) */
    if (fac->index >= 0)
        for (p10 = 10; d < 19 && (ulong) fac->index >= p10; p10 *= 10)
            d++;
    return w + d * ff->nidx;
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

void
gc_lhs_write_sink(gc_sink_t s, const gc_param_t p, gc_print_format_t format)
{
    static const char * const head[3] = {
        "\\frac{\\partial C}{\\partial ", ("\xe2\x88\x82" "C/\xe2\x88\x82"),
        "dC/d"};

    gc_sink_puts(s, head[format]);
    gc_sink_puts(s, p->kind == GC_PARAM_B ? "b" : "w");
    if (format == GC_PRINT_LATEX)
        put3(s, "_", p->layer, "}", format);
    else
        put3(s, format == GC_PRINT_ASCII ? "_" : "", p->layer, "", format);
}
