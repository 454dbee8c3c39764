/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* engine.c -- what the engines share: the networks each one evaluates,
   the classes of a result and where a replay dies. */

#include "gc-impl.h"

GC_NAMES_DEFINE(gc_engine, gc_engine_t, "mpfr", "arb", "replay",
                "fast")
GC_NAMES_SET_STR(gc_engine, gc_engine_t)

/* Every engine evaluates every activation, per layer, and every cost;
   cross-entropy needs a sigmoid output layer (gc_net_cost_is_valid). */
int
gc_engine_check(gc_engine_t engine, const gc_net_t net)
{
    if ((int) engine < 0 || engine > GC_ENGINE_FAST)
        gc_throw("gc_engine_check: bad engine %d", (int) engine);
    return gc_net_cost_is_valid(net) ? GC_SUCCESS : GC_UNABLE;
}

GC_NAMES_DEFINE(gc_class, gc_class_t, "normal", "subnormal", "zero",
                "infinite", "nan")

/* gc_death_scan, skipping the subnormal and zero classes of the layers
   whose exact value exact[j-1] is an exact zero (exact may be NULL). */
static void
death_scan(gc_death_struct * d, const gc_class_t * cls, arb_srcptr exact,
           slong len)
{
    slong j;

    d->first_subnormal = d->first_zero = d->first_inf = d->first_nan = 0;
    for (j = len; j >= 1; j--)
    {
        slong * first = NULL;
        int lost = exact == NULL || !arb_is_zero(exact + j - 1);

        switch (cls[j - 1])
        {
            case GC_CLASS_SUBNORMAL:
                first = lost ? &d->first_subnormal : NULL;
                break;
            case GC_CLASS_ZERO:
                first = lost ? &d->first_zero : NULL;
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

void
gc_death_scan(gc_death_struct * d, const gc_class_t * cls, slong len)
{
    death_scan(d, cls, NULL, len);
}

void
gc_death_scan_arb(gc_death_struct * d, const gc_class_t * cls,
                  arb_srcptr exact, slong len)
{
    death_scan(d, cls, exact, len);
}
