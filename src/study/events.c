/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* events.c -- the events of a replay (gradchain/study.h), which sweep
   records and compare summarises. */

#include "config.h"

#include "gc-impl.h"

/* Sets *first* to l unless an event was found before (nonzero), when
   *happened*. */
static void
events_first(slong * first, int happened, slong l)
{
    if (happened && *first == 0)
        *first = l;
}

void
gc_events_scan(slong * ev, slong * every_nonfinite, const gc_class_t * cls,
               const gc_class_t * held, arb_srcptr exact, slong len,
               const slong * width, const slong * noff)
{
    slong l, i;

    for (i = 0; i < GC_EVENTS; i++)
        ev[i] = 0;
    if (every_nonfinite != NULL)
        *every_nonfinite = 0;
    for (l = len; l >= 1; l--)
    {
        slong o = noff != NULL ? noff[l - 1] : l - 1;
        slong n = width != NULL ? width[l] : 1;
        int sub = 0, zero = 0, nonfinite = 0, nonzero = 0;
        int all_small = 1, all_zero = 1, all_nonfinite = 1;

        for (i = o; i < o + n; i++)
        {
            int lost = !arb_is_zero(exact + i);
            int inf_nan = cls[i] == GC_CLASS_INF || cls[i] == GC_CLASS_NAN;

            nonzero |= lost;
            sub |= lost && held[i] == GC_CLASS_SUBNORMAL;
            zero |= lost && cls[i] == GC_CLASS_ZERO;
            nonfinite |= inf_nan;
            all_nonfinite &= inf_nan;
            all_small &= held[i] == GC_CLASS_SUBNORMAL
                         || held[i] == GC_CLASS_ZERO;
            all_zero &= cls[i] == GC_CLASS_ZERO;
        }
        events_first(ev + GC_EVENT_SUBNORMAL, sub, l);
        events_first(ev + GC_EVENT_ZERO, zero, l);
        events_first(ev + GC_EVENT_NONFINITE, nonfinite, l);
        events_first(ev + GC_EVENT_NORM_SUBNORMAL, nonzero && all_small, l);
        events_first(ev + GC_EVENT_NORM_ZERO, nonzero && all_zero, l);
        if (every_nonfinite != NULL)
            events_first(every_nonfinite, all_nonfinite, l);
    }
}
