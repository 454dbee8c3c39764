/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* param.c -- the working precision for a number of digits. */

#include "gc-impl.h"

mpfr_prec_t
gc_prec_for_digits(slong digits, slong len)
{
    gc_expo_struct expo;
    mpfr_t x;
    mpfr_prec_t bits;

    if (digits < 1 || len < 0)
        gc_throw("gc_prec_for_digits: %ld digits, %ld layers",
                 (long) digits, (long) len);
    /* ceil(digits log2(10)) from a 128-bit upper bound of the irrational
       product: wrong only if it lay within 2^-64 of an integer */
    GC_SAVE_EXPO(expo);
    mpfr_init2(x, 128);
    mpfr_set_ui(x, 10, MPFR_RNDN);
    mpfr_log2(x, x, MPFR_RNDU);
    mpfr_mul_si(x, x, digits, MPFR_RNDU);
    mpfr_ceil(x, x);
    bits = (mpfr_prec_t) mpfr_get_si(x, MPFR_RNDN);
    mpfr_clear(x);
    GC_RESTORE_EXPO(expo);
    return bits + 2 * FLINT_CLOG2((ulong) len + 1) + 16;
}
