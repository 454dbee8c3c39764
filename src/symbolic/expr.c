/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* expr.c -- products of factors, shapes, and the gradient of a chain. */

#include <stdlib.h>
#include <string.h>

#include "gc-impl.h"

void
gc_shape_init(gc_shape_t s, slong len)
{
    s->len = len;
    s->act = GC_SYM_SIGMA;
    s->expand = GC_SYM_EXPAND_NONE;
    s->cost = GC_SYM_COST_GENERIC;
}

int
gc_sym_act_has_expand(gc_sym_act_t act, gc_sym_expand_t e)
{
    if (e == GC_SYM_EXPAND_NONE)
        return 1;
    if (e == GC_SYM_EXPAND_EXP)
        return act == GC_SYM_SIGMA;
    if (e == GC_SYM_EXPAND_CLOSED)
        return act != GC_SYM_F && act != GC_SYM_F_LAYER
            && act != GC_SYM_IDENTITY && (int) act >= 0
            && (int) act < GC_SYM_NACTS;
    return 0;
}

int
gc_sym_cost_is_valid(const gc_shape_t s)
{
    /* the cross-entropy needs a_L in (0, 1): sigma, or an abstract f */
    return s->cost != GC_SYM_COST_CROSS_ENTROPY || s->act == GC_SYM_SIGMA
           || s->act == GC_SYM_F || s->act == GC_SYM_F_LAYER;
}

int
gc_shape_check(const gc_shape_t s)
{
    if (s->len < 1)
        return GC_INVALID;
    if (!gc_sym_act_has_expand(s->act, s->expand))
        return GC_INVALID;
    if (s->cost == GC_SYM_COST_CROSS_ENTROPY && !gc_sym_cost_is_valid(s))
        return GC_INVALID;
    return GC_SUCCESS;
}

GC_NAMES_DEFINE(gc_sym_act, gc_sym_act_t, "sigma", "f", "per-layer", "tanh",
                "relu", "leaky-relu", "softplus", "identity", "gelu")

_Static_assert(sizeof gc_sym_act_table / sizeof gc_sym_act_table[0]
                   == GC_SYM_NACTS + 1,
               "one name per symbolic activation");

int
gc_sym_act_set_str(gc_sym_act_t * res, const char * str)
{
    int i;

    /* "sigmoid" is the numeric side's name of sigma */
    if (gc_name_lookup(&i, strcmp(str, "sigmoid") == 0 ? "sigma" : str,
                       gc_sym_act_table) != GC_SUCCESS)
        return GC_INVALID;
    *res = (gc_sym_act_t) i;
    return GC_SUCCESS;
}

GC_NAMES_DEFINE(gc_sym_expand, gc_sym_expand_t, "none", "logistic", "exp")

int
gc_sym_expand_set_str(gc_sym_expand_t * res, const char * str)
{
    int i;

    /* "closed" is the closed form of any activation, "logistic" for sigma */
    if (strcmp(str, "closed") == 0)
    {
        *res = GC_SYM_EXPAND_CLOSED;
        return GC_SUCCESS;
    }
    if (gc_name_lookup(&i, str, gc_sym_expand_table) != GC_SUCCESS)
        return GC_INVALID;
    *res = (gc_sym_expand_t) i;
    return GC_SUCCESS;
}

GC_NAMES_DEFINE(gc_sym_cost, gc_sym_cost_t, "generic", "quadratic",
                "cross-entropy")
GC_NAMES_SET_STR(gc_sym_cost, gc_sym_cost_t)

int
gc_factor_equal(const gc_factor_struct * a, const gc_factor_struct * b)
{
    return a->kind == b->kind && a->index == b->index && a->act == b->act
        && a->expand == b->expand;
}

void
gc_expr_init(gc_expr_t e)
{
    e->fac = NULL;
    e->len = 0;
    e->alloc = 0;
}

void
gc_expr_clear(gc_expr_t e)
{
    flint_free(e->fac);
}

void
gc_expr_zero(gc_expr_t e)
{
    e->len = 0;
}

/* Makes room for *n* factors. */
static void
expr_fit(gc_expr_t e, slong n)
{
    if (n > e->alloc)
    {
        /* 2 alloc cannot wrap: alloc passed the check below before */
        slong a = FLINT_MAX(n, 2 * e->alloc);

        e->fac = flint_realloc(e->fac, _gc_array_bytes(
                                           a, sizeof(gc_factor_struct),
                                           "gc_expr: product"));
        e->alloc = a;
    }
}

void
gc_expr_set(gc_expr_t res, const gc_expr_t e)
{
    if (res != e)
    {
        expr_fit(res, e->len);
        if (e->len > 0)
            memcpy(res->fac, e->fac, e->len * sizeof(gc_factor_struct));
        res->len = e->len;
    }
}

void
gc_expr_push(gc_expr_t e, const gc_factor_struct * f)
{
    expr_fit(e, e->len + 1);
    e->fac[e->len++] = *f;
}

void
gc_expr_mul(gc_expr_t res, const gc_expr_t a, const gc_expr_t b)
{
    slong la = a->len, lb = b->len;

    expr_fit(res, la + lb);
    /* b may alias res: move its factors first, then a's */
    if (lb > 0)
        memmove(res->fac + la, b->fac, lb * sizeof(gc_factor_struct));
    if (la > 0 && res != a)
        memmove(res->fac, a->fac, la * sizeof(gc_factor_struct));
    res->len = la + lb;
}

int
gc_expr_equal(const gc_expr_t a, const gc_expr_t b)
{
    slong i;

    if (a->len != b->len)
        return 0;
    for (i = 0; i < a->len; i++)
        if (!gc_factor_equal(a->fac + i, b->fac + i))
            return 0;
    return 1;
}

/* Appends the factor (kind, k) to *e*, with the activation of *s* when it
   is f'(z_k). */
static void
push_factor(gc_expr_t e, gc_factor_kind_t kind, slong k, const gc_shape_t s)
{
    gc_factor_struct * f;

    /* not through gc_expr_push: an exported function is not inlined, and
       this builds a million factors */
    expr_fit(e, e->len + 1);
    f = e->fac + e->len++;
    f->kind = kind;
    f->index = k;
    f->act = kind == GC_FACTOR_DACT ? s->act : GC_SYM_SIGMA;
    f->expand = kind == GC_FACTOR_DACT ? s->expand : GC_SYM_EXPAND_NONE;
}

gc_factor_kind_t
gc_sym_cost_kind(const gc_shape_t s)
{
    if (s->cost == GC_SYM_COST_QUADRATIC)
        return GC_FACTOR_RESIDUAL;
    if (s->cost == GC_SYM_COST_CROSS_ENTROPY)
        return GC_FACTOR_CE_DC_DA;
    return GC_FACTOR_DC_DA;
}

/* 1 if sigma'(z_L) dC/da_L simplifies to a_L - y. */
static int
cost_simplifies(const gc_shape_t s)
{
    return s->cost == GC_SYM_COST_CROSS_ENTROPY && s->act == GC_SYM_SIGMA;
}

/* Sets *e* to the unsimplified product of the cascade for p_j. */
static void
chain_product(gc_expr_t e, const gc_shape_t s, const gc_param_t p)
{
    slong k, j = p->layer;

    gc_expr_zero(e);
    /* 2 (L - j) + 3 <= 2 L + 1 factors: a length that would wrap it is
       refused */
    (void) _gc_array_bytes(s->len, 2 * sizeof(gc_factor_struct),
                           "gc_expr_set_grad");
    expr_fit(e, 2 * (s->len - j) + 3);
    if (p->kind == GC_PARAM_W)
        push_factor(e, GC_FACTOR_A, j - 1, s);
    push_factor(e, GC_FACTOR_DACT, j, s);
    for (k = j + 1; k <= s->len; k++)
    {
        push_factor(e, GC_FACTOR_W, k, s);
        push_factor(e, GC_FACTOR_DACT, k, s);
    }
    push_factor(e, gc_sym_cost_kind(s), s->len, s);
}

/* Replaces the last two factors sigma'(z_L) dC/da_L by (a_L - y). */
static void
simplify_cost(gc_expr_t e, const gc_shape_t s)
{
    e->len -= 2;
    push_factor(e, GC_FACTOR_RESIDUAL, s->len, s);
}

static int
check_request(const gc_shape_t s, slong j)
{
    if (gc_shape_check(s) != GC_SUCCESS || j < 1 || j > s->len)
        return GC_INVALID;
    return GC_SUCCESS;
}

int
gc_expr_set_grad(gc_expr_t e, const gc_shape_t s, const gc_param_t p)
{
    if (check_request(s, p->layer) != GC_SUCCESS)
        return GC_INVALID;
    chain_product(e, s, p);
    if (cost_simplifies(s))
        simplify_cost(e, s);
    return GC_SUCCESS;
}

/* The heap bytes of 2 (L - j) + 3 objects of *size* bytes (chain_product
   and gc_cascade_set). */
static size_t
grad_bytes(const gc_shape_t s, const gc_param_t p, size_t size)
{
    return _gc_bytes_estimate(s->len - p->layer + 1, 2 * size, size);
}

size_t
gc_expr_grad_bytes(const gc_shape_t s, const gc_param_t p)
{
    return grad_bytes(s, p, sizeof(gc_factor_struct));
}

size_t
gc_cascade_bytes(const gc_shape_t s, const gc_param_t p)
{
    return grad_bytes(s, p, sizeof(gc_factor_struct)
                                + sizeof(gc_cascade_step_struct));
}

void
gc_cascade_init(gc_cascade_t c)
{
    c->wrt.kind = GC_VAR_B;
    c->wrt.index = 0;
    c->step = NULL;
    c->len = 0;
    gc_expr_init(c->prod);
    c->simplified = 0;
}

void
gc_cascade_clear(gc_cascade_t c)
{
    flint_free(c->step);
    gc_expr_clear(c->prod);
}

/* Appends the step  Delta (lk, li) ~ fac Delta (rk, ri), whose product
   is the first n factors. */
static void
add_step(gc_cascade_t c, gc_var_kind_t lk, slong li, gc_var_kind_t rk,
         slong ri, slong n)
{
    gc_cascade_step_struct * st = c->step + c->len++;

    st->lhs.kind = lk;
    st->lhs.index = li;
    st->rhs.kind = rk;
    st->rhs.index = ri;
    st->local = c->prod->fac[n - 1];
    st->acc_len = n;
}

int
gc_cascade_set(gc_cascade_t c, const gc_shape_t s, const gc_param_t p)
{
    slong k, n, j = p->layer;

    if (check_request(s, j) != GC_SUCCESS)
        return GC_INVALID;
    chain_product(c->prod, s, p);
    c->simplified = cost_simplifies(s);
    c->wrt.kind = p->kind == GC_PARAM_B ? GC_VAR_B : GC_VAR_W;
    c->wrt.index = j;
    c->step = flint_realloc(c->step, _gc_array_bytes(
                                         c->prod->len,
                                         sizeof(gc_cascade_step_struct),
                                         "gc_cascade_set"));
    c->len = 0;
    n = 0;
    if (p->kind == GC_PARAM_W)
    {
        /* Delta z_j ~ a_{j-1} Delta w_j */
        add_step(c, GC_VAR_Z, j, GC_VAR_W, j, ++n);
        add_step(c, GC_VAR_A, j, GC_VAR_Z, j, ++n);
    }
    else
    {
        add_step(c, GC_VAR_A, j, GC_VAR_B, j, ++n);
    }
    for (k = j + 1; k <= s->len; k++)
    {
        add_step(c, GC_VAR_Z, k, GC_VAR_A, k - 1, ++n);
        add_step(c, GC_VAR_A, k, GC_VAR_Z, k, ++n);
    }
    add_step(c, GC_VAR_C, 0, GC_VAR_A, s->len, ++n);
    return GC_SUCCESS;
}

int
gc_expr_set_compare(gc_expr_t extra, gc_expr_t shared, const gc_shape_t s,
                    slong i, slong k)
{
    slong m;
    gc_param_t bk;

    gc_param_set(bk, GC_PARAM_B, k);
    if (check_request(s, i) != GC_SUCCESS || k <= i || k > s->len)
        return GC_INVALID;
    if (gc_expr_set_grad(shared, s, bk) != GC_SUCCESS)
        return GC_INVALID;
    gc_expr_zero(extra);
    for (m = i; m < k; m++)
    {
        push_factor(extra, GC_FACTOR_DACT, m, s);
        push_factor(extra, GC_FACTOR_W, m + 1, s);
    }
    return GC_SUCCESS;
}
