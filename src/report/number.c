/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* number.c -- decimal scientific notation with the exact exponent. */

#include <string.h>

#include "gc-impl.h"

char *
gc_mpfr_get_str_sci(const mpfr_t x, slong digits)
{
    return gc_mpfr_get_str_sci_round(x, digits, MPFR_RNDN);
}

char *
gc_mpfr_get_str_sci_round(const mpfr_t x, slong digits, mpfr_rnd_t rnd)
{
    char * mant;
    char * res;
    mpfr_exp_t e;
    size_t n;
    const char * s;

    if (digits < 1)
        gc_throw("gc_mpfr_get_str_sci: digits = %ld < 1", (long) digits);

    if (!mpfr_regular_p(x))
    {
        if (mpfr_nan_p(x))
            s = "nan";
        else if (mpfr_inf_p(x))
            s = mpfr_signbit(x) ? "-inf" : "inf";
        else
            s = mpfr_signbit(x) ? "-0" : "0";
        res = flint_malloc(strlen(s) + 1);
        strcpy(res, s);
        return res;
    }

    /* mpfr_get_str rounds correctly to *digits* digits and returns the
       exponent e with x ~ 0.d1d2... * 10^e, whatever the size of e */
    mant = mpfr_get_str(NULL, &e, 10, (size_t) digits, x, rnd);
    n = strlen(mant) + 32;
    res = flint_malloc(n);
    {
        const char * d = mant;
        char * p = res;

        if (*d == '-')
            *p++ = *d++;
        *p++ = *d++;
        if (*d != '\0')
        {
            *p++ = '.';
            while (*d != '\0')
                *p++ = *d++;
        }
        /* the sign of the exponent is always written, as printf's %e
           and the reference data do: "1.5e+600", "7.7e-4" */
        snprintf(p, n - (size_t) (p - res), "e%+ld", (long) (e - 1));
    }
    mpfr_free_str(mant);
    return res;
}
