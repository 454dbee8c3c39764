/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* param.c -- parameter names ("b1", "w3") and the working precision for
   a number of digits. */

#include <string.h>

#include "gc-impl.h"

int
gc_param_set_str(gc_param_struct * p, const char * str, slong len,
                 gc_parse_error_t err)
{
    const char * s = str;
    char kind;
    slong layer = 0;

    kind = (*s == 'B' || *s == 'b') ? 'b' : (*s == 'W' || *s == 'w') ? 'w'
                                                                     : 0;
    if (kind == 0)
    {
        _gc_parse_error_set(err, 0, str, strlen(str),
                            "expected a parameter b<j> or w<j>");
        return GC_INVALID;
    }
    s++;
    if (*s < '0' || *s > '9')
    {
        _gc_parse_error_set(err, 0, str, strlen(str),
                            "expected a layer number after '%c'", *str);
        return GC_INVALID;
    }
    for (; *s >= '0' && *s <= '9'; s++)
    {
        if (layer > (WORD_MAX - 9) / 10)
        {
            _gc_parse_error_set(err, 0, str, strlen(str),
                                "layer number too large");
            return GC_INVALID;
        }
        layer = 10 * layer + (*s - '0');
    }
    if (*s != '\0')
    {
        _gc_parse_error_set(err, 0, str, strlen(str),
                            "unexpected text after the layer number");
        return GC_INVALID;
    }
    if (layer < 1 || (len > 0 && layer > len))
    {
        if (len > 0)
            _gc_parse_error_set(err, 0, str, strlen(str),
                                "layer %ld out of range 1..%ld",
                                (long) layer, (long) len);
        else
            _gc_parse_error_set(err, 0, str, strlen(str),
                                "layers are numbered from 1");
        return GC_INVALID;
    }
    p->kind = kind;
    p->layer = layer;
    return GC_SUCCESS;
}

mpfr_prec_t
gc_prec_for_digits(slong digits, slong len)
{
    mpfr_t x;
    mpfr_prec_t bits;

    if (digits < 1 || len < 0)
        gc_throw("gc_prec_for_digits: %ld digits, %ld layers",
                 (long) digits, (long) len);
    /* ceil(digits log2(10)) from a 128-bit upper bound of the irrational
       product: wrong only if it lay within 2^-64 of an integer */
    mpfr_init2(x, 128);
    mpfr_set_ui(x, 10, MPFR_RNDN);
    mpfr_log2(x, x, MPFR_RNDU);
    mpfr_mul_si(x, x, digits, MPFR_RNDU);
    mpfr_ceil(x, x);
    bits = (mpfr_prec_t) mpfr_get_si(x, MPFR_RNDN);
    mpfr_clear(x);
    return bits + 2 * FLINT_CLOG2((ulong) len + 1) + 16;
}
