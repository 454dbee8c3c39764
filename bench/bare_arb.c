/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bare_arb.c -- the bare Arb loop of the benchmarks: per layer one
   exponential and the multiplications, additions and one inversion of
   the sigmoid chain, forward and backward. */

#include "bare_arb.h"

void
bare_arb(arb_ptr z, arb_ptr a, arb_ptr sp, arb_ptr db, arb_ptr dw,
         arb_srcptr w, arb_srcptr b, slong len, slong prec)
{
    arb_t d, g;
    slong j;

    arb_init(d);
    arb_init(g);
    arb_one(a);
    for (j = 0; j < len; j++)
    {
        arb_mul(z + j, w + j, a + j, prec);
        arb_add(z + j, z + j, b + j, prec);
        arb_neg(sp + j, z + j);
        arb_exp(sp + j, sp + j, prec);
        arb_add_ui(d, sp + j, 1, prec);
        arb_inv(a + j + 1, d, prec);
        arb_mul(sp + j, sp + j, a + j + 1, prec);
        arb_mul(sp + j, sp + j, a + j + 1, prec);
    }
    arb_set(g, a + len); /* y = 0 */
    for (j = len - 1; j >= 0; j--)
    {
        arb_mul(db + j, sp + j, g, prec);
        arb_mul(g, w + j, db + j, prec);
        arb_mul(dw + j, a + j, db + j, prec);
    }
    arb_clear(d);
    arb_clear(g);
}
