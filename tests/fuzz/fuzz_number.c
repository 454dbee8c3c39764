/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* fuzz_number.c -- libFuzzer target for the exact number parser
   gc_q_set_str.

   The input is one number (up to the first NUL).  Oracles:
   - the result is canonical (denominator > 0, gcd 1) and an error has a
     non-empty message;
   - an independent scanner of the grammar (number.c) agrees on what is
     accepted, except for exponents beyond the bound, which must give
     "exponent beyond 10^6" (also for hex floats);
   - plain integers and fractions equal GMP's mpq_set_str;
   - decimals and hex floats, rounded to binary64 (to nearest even, with
     subnormals and overflow to infinity), equal glibc's strtod, which
     rounds correctly, and strtod consumes the whole string. */

#include <errno.h>
#include <math.h>

#include "fuzz-common.h"

enum
{
    KIND_BAD = 0,
    KIND_FRACTION, /* [sign] digits / digits, or [sign] digits */
    KIND_DECIMAL,
    KIND_HEX
};

static const char *
digits(const char * s, int hex)
{
    while ((*s >= '0' && *s <= '9')
           || (hex && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))))
        s++;
    return s;
}

/* Classifies *s* by the grammar of number.c, written again; sets *exp_big*
   if the exponent is beyond its bound (10^6, also for hex). */
static int
classify(const char * s, int * exp_big)
{
    const char * p = s, * q;
    int hex = 0, mant;

    *exp_big = 0;
    if (*p == '+' || *p == '-')
        p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
        hex = 1;
        p += 2;
    }
    q = digits(p, hex);
    mant = q > p;
    if (!hex && mant && *q == '/')
    {
        p = q + 1;
        q = digits(p, 0);
        return (q > p && *q == '\0') ? KIND_FRACTION : KIND_BAD;
    }
    if (*q == '.')
    {
        p = q + 1;
        q = digits(p, hex);
        mant = mant || q > p;
    }
    if (!mant)
        return KIND_BAD;
    if (*q == (hex ? 'p' : 'e') || *q == (hex ? 'P' : 'E'))
    {
        double v = 0;

        p = q + 1;
        if (*p == '+' || *p == '-')
            p++;
        q = digits(p, 0);
        if (q == p || *q != '\0')
            return KIND_BAD;
        for (; p < q; p++)
            v = 10 * v + (*p - '0');
        *exp_big = v > 1000000.0;
        return hex ? KIND_HEX : KIND_DECIMAL;
    }
    if (*q != '\0')
        return KIND_BAD;
    if (hex)
        return KIND_HEX;
    return strchr(s, '.') != NULL ? KIND_DECIMAL : KIND_FRACTION;
}

/* The binary64 nearest to q, as IEEE 754 rounds: to nearest even, with
   subnormals (emin -1073) and overflow to infinity (emax 1024). */
static double
q_get_d(const mpq_t q)
{
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_t x;
    double d;
    int t;

    mpfr_init2(x, 53);
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
    t = mpfr_set_q(x, q, MPFR_RNDN);
    t = mpfr_check_range(x, t, MPFR_RNDN);
    mpfr_subnormalize(x, t, MPFR_RNDN);
    d = mpfr_get_d(x, MPFR_RNDN);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_clear(x);
    return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    gc_parse_error_t err;
    char * s = gc_fuzz_strdup(data, size, NULL);
    mpq_t q, r;
    int st, kind, big;

    mpq_init(q);
    mpq_init(r);
    st = gc_q_set_str(q, s, err);
    kind = classify(s, &big);
    if (st == GC_SUCCESS)
    {
        GC_FUZZ_CHECK(kind != KIND_BAD && !big, "'%s' accepted", s);
        GC_FUZZ_CHECK(mpz_sgn(mpq_denref(q)) > 0, "'%s': denominator", s);
        mpz_gcd(mpq_numref(r), mpq_numref(q), mpq_denref(q));
        GC_FUZZ_CHECK(mpz_cmp_ui(mpq_numref(r), 1) == 0, "'%s': gcd", s);
    }
    else
    {
        GC_FUZZ_CHECK(st == GC_INVALID, "'%s': status %d", s, st);
        gc_fuzz_check_error(err, s);
        GC_FUZZ_CHECK(err->line == 0, "'%s': line %ld", s, (long) err->line);
        if (big)
            GC_FUZZ_CHECK(strncmp(err->msg, "exponent beyond 10^6 in", 23)
                              == 0,
                          "'%s': %s", s, err->msg);
        else if (kind == KIND_FRACTION)
            GC_FUZZ_CHECK(strncmp(err->msg, "zero denominator", 16) == 0,
                          "'%s' refused: %s", s, err->msg);
        else
            GC_FUZZ_CHECK(kind == KIND_BAD, "'%s' refused: %s", s, err->msg);
    }

    if (st == GC_SUCCESS && kind == KIND_FRACTION)
    {
        /* GMP reads "-3/4" and "12" but not a leading '+' */
        GC_FUZZ_CHECK(mpq_set_str(r, s + (s[0] == '+'), 10) == 0,
                      "GMP refused '%s'", s);
        mpq_canonicalize(r);
        GC_FUZZ_CHECK(mpq_equal(q, r), "'%s' differs from GMP", s);
    }
    if (st == GC_SUCCESS && strchr(s, '/') == NULL)
    {
        char * end;
        double d, e;

        errno = 0;
        d = strtod(s, &end);
        GC_FUZZ_CHECK(*end == '\0', "strtod stops at '%s' in '%s'", end, s);
        e = q_get_d(q);
        if (mpq_sgn(q) == 0) /* an exact zero has no sign: "-0" is 0 */
            GC_FUZZ_CHECK(d == 0.0 && !signbit(d) == (s[0] != '-'),
                          "'%s': strtod %a", s, d);
        else
            GC_FUZZ_CHECK(memcmp(&d, &e, sizeof d) == 0,
                          "'%s': strtod %a, gc_q_set_str %a", s, d, e);
    }
    mpq_clear(q);
    mpq_clear(r);
    free(s);
    return 0;
}
