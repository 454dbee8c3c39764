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

slong
gc_digits_for_prec(slong prec, slong len)
{
    slong d, guard;
    ulong hi, lo;

    if (prec < 1 || len < 0)
        gc_throw("gc_digits_for_prec: precision %ld, %ld layers",
                 (long) prec, (long) len);
    guard = 2 * FLINT_CLOG2((ulong) len + 1) + 16;
    if (prec <= guard)
        return 1;
    /* floor((prec - guard) log10(2)), within one below: the fixed-point
       log10(2) = 0x4d104d427de7fbcc / 2^64 is rounded down by less than
       2^-64, so the product is low by less than (prec - guard) 2^-64 */
    umul_ppmm(hi, lo, (ulong) (prec - guard), UWORD(0x4d104d427de7fbcc));
    (void) lo;
    d = FLINT_MAX((slong) hi, 1);
    /* gc_prec_for_digits decides: at most one step either way */
    if (gc_prec_for_digits(d + 1, len) <= prec)
        d++;
    else if (d > 1 && gc_prec_for_digits(d, len) > prec)
        d--;
    return d;
}
