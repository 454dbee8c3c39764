/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* ball_digits.c -- the decimal digits an Arb ball proves, and its
   relative error bound. */

#include <string.h>

#include "gc-impl.h"

/* log2(10), rounded up in the last place used */
#define GC_LOG2_10 3.3219280948873623

/* Returns 1 if the finite arf x converts to an mpfr of the current
   exponent range without overflow or underflow. */
static int
_gc_arf_fits_mpfr(const arf_t x)
{
    return arf_is_zero(x)
           || (fmpz_cmp_si(ARF_EXPREF(x), mpfr_get_emin()) >= 0
               && fmpz_cmp_si(ARF_EXPREF(x), mpfr_get_emax()) <= 0);
}

/* If lo and hi round to nearest to the same k-digit decimal, returns its
   string (gc_mpfr_get_str_sci, free with flint_free); NULL otherwise. */
static char *
_gc_same_rounding(const mpfr_t lo, const mpfr_t hi, slong k)
{
    char * slo = gc_mpfr_get_str_sci(lo, k);
    char * shi = gc_mpfr_get_str_sci(hi, k);
    int same = (strcmp(slo, shi) == 0);

    flint_free(shi);
    if (same)
        return slo;
    flint_free(slo);
    return NULL;
}

static char *
_gc_strdup(const char * s)
{
    char * r = flint_malloc(strlen(s) + 1);

    strcpy(r, s);
    return r;
}

int
gc_arb_get_str_digits(char ** str, slong * certified, const arb_t x,
                      slong digits)
{
    slong k, kmax, prec;
    arf_t lo, hi;
    mpfr_t mlo, mhi;
    char * m;

    if (digits < 1)
        gc_throw("gc_arb_get_str_digits: digits %ld < 1", (long) digits);
    if (arb_is_zero(x))
    {
        *str = _gc_strdup("0");
        *certified = digits;
        return GC_SUCCESS;
    }
    *str = _gc_strdup("");
    *certified = 0;
    if (!arb_is_finite(x) || arb_contains_zero(x))
        return GC_UNABLE;

    gc_mpfr_widen_exponent_range();
    /* the endpoints, rounded outward: exact for an exact ball */
    prec = FLINT_MAX(arf_bits(arb_midref(x)),
                     (slong) (digits * GC_LOG2_10)) + 64;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, x, prec);
    arb_get_ubound_arf(hi, x, prec);
    if (!_gc_arf_fits_mpfr(lo) || !_gc_arf_fits_mpfr(hi))
    {
        arf_clear(lo);
        arf_clear(hi);
        return GC_UNABLE;
    }
    mpfr_init2(mlo, prec);
    mpfr_init2(mhi, prec);
    arf_get_mpfr(mlo, lo, MPFR_RNDD);
    arf_get_mpfr(mhi, hi, MPFR_RNDU);

    /* rounding to nearest is monotone, so the endpoints decide for the
       whole ball; k digits determined need 2 rad <= 10^(2-k) |x|, hence
       k < 3 + rel_accuracy_bits log10(2) */
    m = _gc_same_rounding(mlo, mhi, digits);
    k = digits;
    if (m == NULL)
    {
        kmax = FLINT_MIN(digits - 1,
                         (slong) (arb_rel_accuracy_bits(x) / GC_LOG2_10)
                             + 3);
        for (k = kmax; k >= 1; k--)
            if ((m = _gc_same_rounding(mlo, mhi, k)) != NULL)
                break;
    }
    if (m != NULL)
    {
        flint_free(*str);
        *str = m;
        *certified = k;
    }

    mpfr_clear(mlo);
    mpfr_clear(mhi);
    arf_clear(lo);
    arf_clear(hi);
    return *certified == digits ? GC_SUCCESS : GC_UNABLE;
}

void
gc_arb_rel_error_bound(mpfr_t res, const arb_t x)
{
    mag_t lo, r;
    arf_t f;

    gc_mpfr_widen_exponent_range();
    if (mag_is_zero(arb_radref(x)))
    {
        mpfr_set_zero(res, 1);
        return;
    }
    mag_init(lo);
    mag_init(r);
    arf_init(f);

    arb_get_mag_lower(lo, x);
    mag_div(r, arb_radref(x), lo);
    arf_set_mag(f, r);
    if (!arf_is_finite(f) || fmpz_cmp_si(ARF_EXPREF(f), mpfr_get_emax()) > 0)
        mpfr_set_inf(res, 1);
    else if (fmpz_cmp_si(ARF_EXPREF(f), mpfr_get_emin()) < 0)
    {
        mpfr_set_zero(res, 1);
        mpfr_nextabove(res);
    }
    else
        arf_get_mpfr(res, f, MPFR_RNDU);

    mag_clear(lo);
    mag_clear(r);
    arf_clear(f);
}

int
gc_arb_has_digits(const arb_t x, slong digits)
{
    slong goal = (slong) (digits * GC_LOG2_10) + 3;
    slong certified;
    char * s;
    int status;

    if (arb_is_zero(x))
        return 1;
    if (arb_rel_accuracy_bits(x) < goal)
        return 0;
    status = gc_arb_get_str_digits(&s, &certified, x, digits);
    flint_free(s);
    return status == GC_SUCCESS;
}
