/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* double_eval.c -- the native binary64 replay (framework sequence), the
   classes of a double, and where a replay dies. */

#include <math.h>

#include "gc-impl.h"

/* The replay must round after every operation: no contraction of
   w*a + b into a fused multiply-add (GCC contracts by default in GNU C
   mode when the target has FMA). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

gc_class_t
gc_class_double(double x)
{
    switch (fpclassify(x))
    {
        case FP_NORMAL:
            return GC_CLASS_NORMAL;
        case FP_SUBNORMAL:
            return GC_CLASS_SUBNORMAL;
        case FP_ZERO:
            return GC_CLASS_ZERO;
        case FP_INFINITE:
            return GC_CLASS_INF;
        default:
            return GC_CLASS_NAN;
    }
}

const char *
gc_class_name(gc_class_t c)
{
    static const char * const names[] = {"normal", "subnormal", "zero",
                                         "infinite", "nan"};

    if ((int) c < 0 || (int) c > (int) GC_CLASS_NAN)
        gc_throw("gc_class_name: bad class %d", (int) c);
    return names[c];
}

void
gc_death_scan(gc_death_struct * d, const gc_class_t * cls, slong len)
{
    slong j;

    d->first_subnormal = d->first_zero = d->first_inf = d->first_nan = 0;
    for (j = len; j >= 1; j--)
    {
        slong * first = NULL;

        switch (cls[j - 1])
        {
            case GC_CLASS_SUBNORMAL:
                first = &d->first_subnormal;
                break;
            case GC_CLASS_ZERO:
                first = &d->first_zero;
                break;
            case GC_CLASS_INF:
                first = &d->first_inf;
                break;
            case GC_CLASS_NAN:
                first = &d->first_nan;
                break;
            default:
                break;
        }
        if (first != NULL && *first == 0)
            *first = j;
    }
}

/* Returns the double nearest the rational *q* (ties to even, subnormals
   and overflow to infinity included).  *x* is scratch of 64 bits: *q* is
   rounded to odd there (truncate, then set the last bit if inexact),
   after which the rounding to nearest double is correct (64 >= 53 + 2). */
static double
gc_q_get_d(const mpq_t q, mpfr_t x)
{
    if (mpfr_set_q(x, q, MPFR_RNDZ) != 0
        && mpfr_min_prec(x) < mpfr_get_prec(x))
    {
        if (mpfr_sgn(x) > 0)
            mpfr_nextabove(x);
        else
            mpfr_nextbelow(x);
    }
    return mpfr_get_d(x, MPFR_RNDN);
}

int
gc_eval_double(double * db, double * dw, const gc_net_t net)
{
    slong j, len = net->len;
    double * w;
    double a, b, z, y, delta;
    mpq_t qw, qb;
    mpfr_t x;

    if (net->act != GC_ACT_SIGMOID || net->cost != GC_COST_QUADRATIC)
        return GC_DOMAIN;
    if (len == 0)
        return GC_SUCCESS;

    gc_mpfr_widen_exponent_range();
    mpq_init(qw);
    mpq_init(qb);
    mpfr_init2(x, 64);
    w = flint_malloc(sizeof(double) * len);

    /* forward: dw[j-1] holds a_{j-1} and db[j-1] holds s'_j until the
       backward pass overwrites them */
    a = gc_q_get_d(net->a0, x);
    y = gc_q_get_d(net->y, x);
    for (j = 1; j <= len; j++)
    {
        gc_net_get_layer_q(qw, qb, net, j);
        w[j - 1] = gc_q_get_d(qw, x);
        b = gc_q_get_d(qb, x);
        dw[j - 1] = a;
        z = w[j - 1] * a + b;
        a = 1.0 / (1.0 + exp(-z));
        db[j - 1] = a * (1.0 - a);
    }

    delta = db[len - 1] * (a - y);
    for (j = len; j >= 1; j--)
    {
        if (j < len)
            delta = (delta * w[j]) * db[j - 1];
        db[j - 1] = delta;
        dw[j - 1] = dw[j - 1] * delta;
    }

    flint_free(w);
    mpfr_clear(x);
    mpq_clear(qw);
    mpq_clear(qb);
    return GC_SUCCESS;
}
