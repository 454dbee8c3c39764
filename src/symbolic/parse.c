/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* parse.c -- reading back the ASCII form of a product. */

#include <string.h>

#include "gc-impl.h"

/* The index "k" of a prod_{k=M}^{N}(...) template. */
#define IDX_K (-1)

/* The longest product a string may expand to through prod_{k=M}^{N}:
   2^20 factors, 24 MB (and about 16 MB printed back).  It was 2^26, and
   the 26 bytes "prod_{k=1}^{67108864}(w_k)" took 1.6 GB (F11 of the
   hardening review).  Documented in symbolic.h. */
#define PARSE_MAX_FACTORS (WORD(1) << 20)
#define PARSE_MAX_FACTORS_STR "2^20"

typedef struct
{
    const char * s;     /* the text without blanks */
    const char * p;     /* current position */
    int in_prod;        /* the index k is allowed */
    gc_parse_error_struct * err;
} parser_t;

static int
fail(parser_t * ps, const char * why)
{
    size_t n = strcspn(ps->p, "*");

    if (n == 0)
        n = strlen(ps->p);
    _gc_parse_error_set(ps->err, 0, ps->p, n, "%s", why);
    return GC_INVALID;
}

/* Reads an index at *q: digits (value < 10^15), or k inside a template;
   returns the end, or NULL. */
static const char *
read_index(slong * v, const char * q, int in_prod)
{
    slong x = 0;
    int n = 0;

    if (*q == 'k' && in_prod)
    {
        *v = IDX_K;
        return q + 1;
    }
    while (*q >= '0' && *q <= '9' && n < 15)
    {
        x = 10 * x + (*q++ - '0');
        n++;
    }
    if (n == 0 || (*q >= '0' && *q <= '9'))
        return NULL;
    *v = x;
    return q;
}

/* Matches *pat* at the current position, where each '#' is an index
   stored in idx[]; advances and returns the number of indices, or -1
   without moving. */
static int
match(parser_t * ps, const char * pat, slong * idx)
{
    const char * q = ps->p;
    int n = 0;

    for (; *pat != '\0'; pat++)
    {
        if (*pat == '#')
        {
            q = read_index(idx + n, q, ps->in_prod);
            if (q == NULL)
                return -1;
            n++;
        }
        else if (*q++ != *pat)
        {
            return -1;
        }
    }
    ps->p = q;
    return n;
}

typedef struct
{
    const char * pat;
    gc_factor_kind_t kind;
    gc_sym_act_t act;
    gc_sym_expand_t expand;
} atom_t;

/* Longer patterns first where one is a prefix of another. */
static const atom_t atoms[] = {
    {"sigma'(z_#)", GC_FACTOR_DACT, GC_SYM_SIGMA, GC_SYM_EXPAND_NONE},
    {"sigma(z_#)(1-sigma(z_#))", GC_FACTOR_DACT, GC_SYM_SIGMA,
     GC_SYM_EXPAND_LOGISTIC},
    {"exp(-z_#)/(1+exp(-z_#))^2", GC_FACTOR_DACT, GC_SYM_SIGMA,
     GC_SYM_EXPAND_EXP},
    {"sigma(z_#)", GC_FACTOR_DACT, GC_SYM_SOFTPLUS, GC_SYM_EXPAND_CLOSED},
    {"tanh'(z_#)", GC_FACTOR_DACT, GC_SYM_TANH, GC_SYM_EXPAND_NONE},
    {"(1-tanh(z_#)^2)", GC_FACTOR_DACT, GC_SYM_TANH, GC_SYM_EXPAND_CLOSED},
    {"relu'(z_#)", GC_FACTOR_DACT, GC_SYM_RELU, GC_SYM_EXPAND_NONE},
    {"1[z_#>0]", GC_FACTOR_DACT, GC_SYM_RELU, GC_SYM_EXPAND_CLOSED},
    {"lrelu'(z_#)", GC_FACTOR_DACT, GC_SYM_LEAKY_RELU, GC_SYM_EXPAND_NONE},
    {"(1[z_#>0]+alpha1[z_#<=0])", GC_FACTOR_DACT, GC_SYM_LEAKY_RELU,
     GC_SYM_EXPAND_CLOSED},
    {"softplus'(z_#)", GC_FACTOR_DACT, GC_SYM_SOFTPLUS, GC_SYM_EXPAND_NONE},
    {"id'(z_#)", GC_FACTOR_DACT, GC_SYM_IDENTITY, GC_SYM_EXPAND_NONE},
    {"gelu'(z_#)", GC_FACTOR_DACT, GC_SYM_GELU, GC_SYM_EXPAND_NONE},
    {"(Phi(z_#)+z_#phi(z_#))", GC_FACTOR_DACT, GC_SYM_GELU,
     GC_SYM_EXPAND_CLOSED},
    {"f'(z_#)", GC_FACTOR_DACT, GC_SYM_F, GC_SYM_EXPAND_NONE},
    {"f_#'(z_#)", GC_FACTOR_DACT, GC_SYM_F_LAYER, GC_SYM_EXPAND_NONE},
    {"w_#", GC_FACTOR_W, GC_SYM_SIGMA, GC_SYM_EXPAND_NONE},
    {"a_#", GC_FACTOR_A, GC_SYM_SIGMA, GC_SYM_EXPAND_NONE},
    {"dC/da_#", GC_FACTOR_DC_DA, GC_SYM_SIGMA, GC_SYM_EXPAND_NONE},
    {"dC/db_#", GC_FACTOR_DC_DB, GC_SYM_SIGMA, GC_SYM_EXPAND_NONE},
    {"(a_#-y)/(a_#(1-a_#))", GC_FACTOR_CE_DC_DA, GC_SYM_SIGMA,
     GC_SYM_EXPAND_NONE},
    {"(a_#-y)", GC_FACTOR_RESIDUAL, GC_SYM_SIGMA, GC_SYM_EXPAND_NONE}};

/* Reads one atom into *e*; returns GC_SUCCESS or GC_INVALID. */
static int
parse_atom(gc_expr_t e, parser_t * ps)
{
    slong idx[3];
    size_t i;
    int n, t;

    for (i = 0; i < sizeof atoms / sizeof atoms[0]; i++)
    {
        n = match(ps, atoms[i].pat, idx);
        if (n >= 0)
        {
            gc_factor_struct f;

            for (t = 1; t < n; t++)
                if (idx[t] != idx[0])
                    return fail(ps, "the indices of a factor differ");
            f.kind = atoms[i].kind;
            f.index = idx[0];
            f.act = atoms[i].act;
            f.expand = atoms[i].expand;
            gc_expr_push(e, &f);
            return GC_SUCCESS;
        }
    }
    if (strncmp(ps->p, "...", 3) == 0)
        return fail(ps, "an elided product cannot be read back");
    return fail(ps, "expected a factor");
}

static int parse_product(gc_expr_t e, parser_t * ps, char close);

/* Appends template *t* for k = m..n to *e*. */
static int
expand_prod(gc_expr_t e, const gc_expr_t t, slong m, slong n,
            parser_t * ps)
{
    slong k, i;

    if (m > n)
        return fail(ps, "empty product range");
    if (t->len == 0 || (n - m + 1) > PARSE_MAX_FACTORS / t->len
        || e->len + (n - m + 1) * t->len > PARSE_MAX_FACTORS)
        return fail(ps, "product longer than " PARSE_MAX_FACTORS_STR
                        " factors");
    for (k = m; k <= n; k++)
    {
        for (i = 0; i < t->len; i++)
        {
            gc_factor_struct f = t->fac[i];

            if (f.index == IDX_K)
                f.index = k;
            gc_expr_push(e, &f);
        }
    }
    return GC_SUCCESS;
}

/* Reads one item: a prod, a group, or an atom. */
static int
parse_item(gc_expr_t e, parser_t * ps)
{
    slong r[2];
    int status;

    if (!ps->in_prod && match(ps, "prod_{k=#}^{#}(", r) == 2)
    {
        gc_expr_t t;

        gc_expr_init(t);
        ps->in_prod = 1;
        status = parse_product(t, ps, ')');
        ps->in_prod = 0;
        if (status == GC_SUCCESS)
            status = expand_prod(e, t, r[0], r[1], ps);
        gc_expr_clear(t);
        return status;
    }
    if (ps->p[0] == '(')
    {
        /* a factor in parentheses, (a_k-y) or (1-tanh(z_k)^2), or a
           group */
        const char * save = ps->p;

        if (parse_atom(e, ps) == GC_SUCCESS)
            return GC_SUCCESS;
        ps->p = save + 1;
        return parse_product(e, ps, ')');
    }
    return parse_atom(e, ps);
}

/* Reads items joined by '*' up to *close* (')' or '\0'). */
static int
parse_product(gc_expr_t e, parser_t * ps, char close)
{
    for (;;)
    {
        if (parse_item(e, ps) != GC_SUCCESS)
            return GC_INVALID;
        if (*ps->p == '*')
        {
            ps->p++;
            continue;
        }
        if (*ps->p == close)
        {
            if (close != '\0')
                ps->p++;
            return GC_SUCCESS;
        }
        return fail(ps, close == ')' ? "expected '*' or ')'"
                                     : "expected '*' or the end");
    }
}

int
gc_expr_set_str_ascii(gc_expr_t e, const char * str, gc_parse_error_t err)
{
    size_t n = strlen(str), i, k;
    char * s = flint_malloc(n + 1);
    parser_t ps;
    int status;

    for (i = 0, k = 0; i < n; i++)
        if (str[i] != ' ' && str[i] != '\t' && str[i] != '\n'
            && str[i] != '\r')
            s[k++] = str[i];
    s[k] = '\0';
    ps.s = s;
    ps.p = s;
    ps.in_prod = 0;
    ps.err = err;
    gc_expr_zero(e);
    if (strcmp(s, "1") == 0)
        status = GC_SUCCESS;
    else if (k == 0)
        status = fail(&ps, "empty expression");
    else
        status = parse_product(e, &ps, '\0');
    flint_free(s);
    return status;
}
