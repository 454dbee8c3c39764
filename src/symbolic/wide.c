/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* wide.c -- the gradient of layers of several neurons: the matrix
   product S'(z^J) (W^{J+1})^T ... S'(z^L) grad_a C and its entry-wise
   nested sums (see symbolic.h). */

#include "gc-impl.h"

void
gc_wexpr_init(gc_wexpr_t e)
{
    e->fac = NULL;
    e->len = 0;
    e->alloc = 0;
    gc_param_set(e->param, GC_PARAM_B, 1);
    e->row = 0;
    e->col = 0;
    e->width = 1;
    e->act = GC_SYM_SIGMA;
}

void
gc_wexpr_clear(gc_wexpr_t e)
{
    flint_free(e->fac);
}

/* 1 if k is a letter of GC_SYM_INDEX_LETTERS. */
static int
is_letter(slong k)
{
    gc_param_t p;

    gc_param_set(p, GC_PARAM_B, k);
    return gc_sym_param_is_general(p);
}

int
gc_sym_width_is_valid(slong width)
{
    return width >= 1 || is_letter(width);
}

/* 1 if k can index a neuron of layers of *width* neurons: a number in
   1..width (any number for a letter width), or another letter. */
static int
neuron_is_valid(slong k, slong width)
{
    if (k >= 1)
        return width < 0 || k <= width;
    return is_letter(k) && k != width;
}

static void
push(gc_wexpr_t e, gc_wfactor_kind_t kind, slong layer, slong row,
     slong col)
{
    gc_wfactor_struct * f;

    if (e->len == e->alloc)
    {
        e->alloc = FLINT_MAX(8, 2 * e->alloc);
        e->fac = flint_realloc(e->fac, _gc_array_bytes(e->alloc, sizeof *f,
                                                       "gc_wexpr_set_grad"));
    }
    f = e->fac + e->len++;
    f->kind = kind;
    f->layer = layer;
    f->row = row;
    f->col = col;
}

/* The matrix form: S'(z^J) (W^{J+1})^T S'(z^{J+1}) ... grad_a C. */
static void
matrix_set(gc_wexpr_t e, const gc_shape_t s, slong j, int simplify)
{
    slong l, L = s->len;

    push(e, GC_WFACTOR_DIAG, j, 0, 0);
    for (l = j + 1; l <= L; l++)
    {
        push(e, GC_WFACTOR_WT, l, 0, 0);
        push(e, GC_WFACTOR_DIAG, l, 0, 0);
    }
    if (simplify)
        e->len--;
    push(e, s->cost == GC_SYM_COST_GENERIC ? GC_WFACTOR_GRAD
                                           : GC_WFACTOR_RESIDUAL, L, 0, 0);
}

/* The entry-wise sum for neuron i of layer J: f'(z^J_i), then for each
   later layer l the sum over k_l of w^l_{k_l,k_{l-1}} f'(z^l_{k_l}), and
   the cost factor of neuron k_L. */
static void
entry_set(gc_wexpr_t e, const gc_shape_t s, slong j, slong i, int simplify)
{
    slong l, L = s->len, prev = i;

    push(e, GC_WFACTOR_DACT, j, i, 0);
    for (l = j + 1; l <= L; l++)
    {
        push(e, GC_WFACTOR_SUM, l, GC_SYM_SUM_INDEX(l), e->width);
        push(e, GC_WFACTOR_W, l, GC_SYM_SUM_INDEX(l), prev);
        push(e, GC_WFACTOR_DACT, l, GC_SYM_SUM_INDEX(l), 0);
        prev = GC_SYM_SUM_INDEX(l);
    }
    if (simplify)
        e->len--;
    push(e, s->cost == GC_SYM_COST_GENERIC ? GC_WFACTOR_DC_DA
                                           : GC_WFACTOR_RESIDUAL_ENTRY,
         L, prev, 0);
}

int
gc_wexpr_set_grad(gc_wexpr_t e, const gc_shape_t s, slong width,
                  const gc_param_t p, slong row, slong col)
{
    const int w = p->kind == GC_PARAM_W;
    const slong j = p->layer;

    if (gc_shape_check(s) != GC_SUCCESS
        || s->expand != GC_SYM_EXPAND_NONE
        || (s->cost == GC_SYM_COST_CROSS_ENTROPY && s->act != GC_SYM_SIGMA)
        || j < 1 || j > s->len || !gc_sym_width_is_valid(width))
        return GC_INVALID;
    if (row == 0 ? col != 0
                 : !neuron_is_valid(row, width)
                   || (w ? !neuron_is_valid(col, width) : col != 0))
        return GC_INVALID;
    /* 3 (L - J) + 3 factors: a length that would wrap it is refused */
    (void) _gc_array_bytes(s->len, 3 * sizeof(gc_wfactor_struct),
                           "gc_wexpr_set_grad");
    e->len = 0;
    *e->param = *p;
    e->row = row;
    e->col = col;
    e->width = width;
    e->act = s->act;
    if (row == 0)
    {
        matrix_set(e, s, j, s->cost == GC_SYM_COST_CROSS_ENTROPY);
        if (w)
            push(e, GC_WFACTOR_AT, j - 1, 0, 0);
    }
    else
    {
        if (w)
            push(e, GC_WFACTOR_A, j - 1, col, 0);
        entry_set(e, s, j, row, s->cost == GC_SYM_COST_CROSS_ENTROPY);
    }
    return GC_SUCCESS;
}

size_t
gc_wexpr_grad_bytes(const gc_shape_t s, const gc_param_t p)
{
    const size_t size = sizeof(gc_wfactor_struct);

    /* the array doubles: at most twice the 3 (L - J) + 3 factors */
    return _gc_bytes_estimate(s->len - p->layer + 1, 6 * size, 6 * size);
}
