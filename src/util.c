/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* util.c -- version, status messages, gc_throw, MPFR exponent range
   (widening it, and checking results into the caller's), name tables. */

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gc-impl.h"

const char *
gc_version(void)
{
    return GRADCHAIN_VERSION;
}

const char *
gc_status_str(int status)
{
    if (status & GC_INVALID)
        return "invalid input";
    if (status & GC_DOMAIN)
        return "domain error";
    if (status & GC_UNABLE)
        return "unable to give a proven result (precision limit, not "
               "implemented, or beyond the exponent range)";
    return "success";
}

void
gc_throw(const char * fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("gradchain: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    abort();
}

void
gc_mpfr_widen_exponent_range(void)
{
    /* set emin before emax: both calls succeed from any valid state */
    if (mpfr_get_emin() != mpfr_get_emin_min())
        mpfr_set_emin(mpfr_get_emin_min());
    if (mpfr_get_emax() != mpfr_get_emax_max())
        mpfr_set_emax(mpfr_get_emax_max());
}

int
_gc_mpfr_vec_check_range(mpfr_ptr v, slong n, const gc_expo_struct * s,
                         mpfr_rnd_t rnd)
{
    slong i;
    int status = GC_SUCCESS;

    mpfr_set_emin(s->emin);
    mpfr_set_emax(s->emax);
    for (i = 0; i < n; i++)
    {
        if (mpfr_regular_p(v + i) && (mpfr_get_exp(v + i) < s->emin
                                      || mpfr_get_exp(v + i) > s->emax))
        {
            status = GC_UNABLE;
            (void) mpfr_check_range(v + i, 0, rnd);
        }
    }
    gc_mpfr_widen_exponent_range();
    return status;
}

void
_gc_parse_error_set(gc_parse_error_t err, slong line, const char * tok,
                    size_t n, const char * fmt, ...)
{
    va_list ap;
    size_t i, k;

    err->line = line;
    for (i = 0, k = 0; tok != NULL && i < n && k + 1 < GC_PARSE_TOKEN_MAX;
         i++)
    {
        unsigned char c = (unsigned char) tok[i];

        err->token[k++] = isprint(c) ? (char) c : '?';
    }
    if (tok != NULL && i < n && k >= 4)
        memcpy(err->token + k - 3, "...", 3);
    err->token[k] = '\0';

    va_start(ap, fmt);
    vsnprintf(err->msg, GC_PARSE_MSG_MAX, fmt, ap);
    va_end(ap);
}

int
gc_name_lookup(int * res, const char * str, const char * const * names)
{
    int i;

    for (i = 0; names[i] != NULL; i++)
    {
        if (strcmp(str, names[i]) == 0)
        {
            *res = i;
            return GC_SUCCESS;
        }
    }
    return GC_INVALID;
}

const char *
gc_name_get(const char * const * names, int i, const char * fn)
{
    int n;

    for (n = 0; names[n] != NULL; n++)
        ;
    if (i < 0 || i >= n)
        gc_throw("%s: value %d out of range 0..%d", fn, i, n - 1);
    return names[i];
}

char *
gc_names_join(const char * const * names, const char * sep)
{
    size_t len = 1, k = 0;
    slong i;
    char * res;

    for (i = 0; names[i] != NULL; i++)
        len += strlen(names[i]) + (i > 0 ? strlen(sep) : 0);
    res = flint_malloc(len);
    for (i = 0; names[i] != NULL; i++)
    {
        if (i > 0)
        {
            memcpy(res + k, sep, strlen(sep));
            k += strlen(sep);
        }
        memcpy(res + k, names[i], strlen(names[i]));
        k += strlen(names[i]);
    }
    res[k] = '\0';
    return res;
}
