/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bare_arb.h -- the bare Arb loop that bench_arb and bench_output hold
   the engine to. */

#ifndef GC_BENCH_BARE_ARB_H
#define GC_BENCH_BARE_ARB_H

#include "gradchain.h"

/* The sigmoid chain with quadratic cost and y = 0 written directly in Arb
   from w, b already rounded to prec: z, a (len + 1), sp, db, dw as in
   gc_arb_trace. */
void bare_arb(arb_ptr z, arb_ptr a, arb_ptr sp, arb_ptr db, arb_ptr dw,
              arb_srcptr w, arb_srcptr b, slong len, slong prec);

#endif
