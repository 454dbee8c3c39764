/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* formats.c -- format descriptors, names and lists, constants, correctly
   rounded emulation (mpfr_check_range + mpfr_subnormalize), loss-scale
   parsing.  See gradchain/formats.h for the conventions. */

#include "config.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gc-impl.h"

/* The built-in formats of this build, as rows R(name, p, emin, emax,
   top_reserved, has_inf, has_nan, overflow, kind), from which both the
   descriptors and the list of names are made.  IEEE_ROW gives the row of
   an IEEE-like format from the p, Emin, Emax of IEEE: emin = Emin - p + 2
   and emax = Emax + 1. */
#define IEEE_ROW(R, name, p, Emin, Emax, kind)                              \
    R(name, p, (Emin) - (p) + 2, (Emax) + 1, 0, 1, 1, GC_OVERFLOW_INF, kind)

#if LDBL_MANT_DIG == 64
#define X87_ROW(R) IEEE_ROW(R, "x87", 64, -16382, 16383, GC_NUMFMT_LONG_DOUBLE)
#else
#define X87_ROW(R)
#endif
#ifdef GC_HAVE_QUADMATH
#define QUAD_ROW(R)                                                         \
    IEEE_ROW(R, "binary128", 113, -16382, 16383, GC_NUMFMT_FLOAT128)
#else
#define QUAD_ROW(R)
#endif

/* E4M3FN: IEEE exponents -6..8, no infinity, S.1111.111 is NaN */
#define BUILTIN_ROWS(R)                                                     \
    IEEE_ROW(R, "binary64", 53, -1022, 1023, GC_NUMFMT_DOUBLE)              \
    IEEE_ROW(R, "binary32", 24, -126, 127, GC_NUMFMT_FLOAT)                 \
    X87_ROW(R)                                                              \
    QUAD_ROW(R)                                                             \
    IEEE_ROW(R, "binary16", 11, -14, 15, GC_NUMFMT_EMULATED)                \
    IEEE_ROW(R, "bfloat16", 8, -126, 127, GC_NUMFMT_EMULATED)               \
    IEEE_ROW(R, "e5m2", 3, -14, 15, GC_NUMFMT_EMULATED)                     \
    R("e4m3", 4, -6 - 4 + 2, 8 + 1, 1, 0, 1, GC_OVERFLOW_SATURATE,          \
      GC_NUMFMT_EMULATED)                                                   \
    IEEE_ROW(R, "binary64-emu", 53, -1022, 1023, GC_NUMFMT_EMULATED)        \
    IEEE_ROW(R, "binary32-emu", 24, -126, 127, GC_NUMFMT_EMULATED)          \
    IEEE_ROW(R, "x87-emu", 64, -16382, 16383, GC_NUMFMT_EMULATED)           \
    IEEE_ROW(R, "binary128-emu", 113, -16382, 16383, GC_NUMFMT_EMULATED)

#define DESCRIPTOR(name, p, emin, emax, top, inf, nan, overflow, kind)      \
    {name, p, emin, emax, top, inf, nan, overflow, kind, NULL},
#define NAME(name, p, emin, emax, top, inf, nan, overflow, kind) name,

static const gc_numfmt_struct builtin[] = {BUILTIN_ROWS(DESCRIPTOR)};

static const char * const builtin_names[] = {BUILTIN_ROWS(NAME) NULL};

#define NBUILTIN ((slong) (sizeof builtin / sizeof builtin[0]))

const char * const *
gc_numfmt_names(void)
{
    return builtin_names;
}

/* The built-in format named by [s, s+n), or NULL. */
static const gc_numfmt_struct *
builtin_find(const char * s, size_t n)
{
    slong i;

    for (i = 0; i < NBUILTIN; i++)
        if (strlen(builtin[i].name) == n
            && memcmp(builtin[i].name, s, n) == 0)
            return builtin + i;
    return NULL;
}

/* Sets *err* to "WHY, got 'TOKEN'" for the text [s, s + n). */
static int
numfmt_bad(gc_parse_error_t err, const char * s, size_t n,
           const char * why)
{
    size_t k;

    _gc_parse_error_set(err, 0, s, n, "%s", why);
    k = strlen(err->msg);
    snprintf(err->msg + k, GC_PARSE_MSG_MAX - k, ", got '%s'", err->token);
    return GC_INVALID;
}

/* Reads a decimal integer ending at *end* or at a separator in *stops*;
   returns 1 on success. */
static int
read_long(long * v, const char ** s, const char * end, const char * stops)
{
    const char * p = *s;
    char * q;

    if (p == end || !(*p == '-' || *p == '+' || (*p >= '0' && *p <= '9')))
        return 0;
    errno = 0;
    *v = strtol(p, &q, 10);
    if (errno != 0 || q == p || q > end
        || (q != end && strchr(stops, *q) == NULL))
        return 0;
    *s = q;
    return 1;
}

/* custom:p,emin,emax from [s, end), s just after "custom:". */
static int
set_custom(gc_numfmt_struct * f, const char * s, const char * end,
           gc_parse_error_t err)
{
    const char * p = s;
    long v[3];
    int i;

    for (i = 0; i < 3; i++)
    {
        if ((i > 0 && (p == end || *p++ != ','))
            || !read_long(v + i, &p, end, ","))
            return numfmt_bad(err, s, end - s,
                              "expected custom:p,emin,emax with three "
                              "integers");
    }
    if (p != end)
        return numfmt_bad(err, s, end - s,
                          "custom:p,emin,emax takes three integers");
    if (v[0] < 2 || v[0] > 1000000L)
        return numfmt_bad(err, s, end - s,
                          "custom format: precision must be 2..1000000");
    if (v[1] <= mpfr_get_emin_min() || v[2] >= mpfr_get_emax_max()
        || v[1] + v[0] - 1 > v[2])
        return numfmt_bad(err, s, end - s,
                          "custom format: need emin + p - 1 <= emax "
                          "(MPFR exponents: min subnormal 2^(emin-1))");
    f->prec = v[0];
    f->emin = v[1];
    f->emax = v[2];
    f->top_reserved = 0;
    f->has_inf = 1;
    f->has_nan = 1;
    f->overflow = GC_OVERFLOW_INF;
    f->kind = GC_NUMFMT_EMULATED;
    f->compute = NULL;
    return GC_SUCCESS;
}

/* Sets *err* to "unknown format (NAMES), got 'TOKEN'" for [s, s + n),
   with the built-in names of this build, the emulated twins NAME-emu
   written once, and the two families. */
static int
unknown_format(gc_parse_error_t err, const char * s, size_t n)
{
    const char * names[NBUILTIN + 4];
    char why[GC_PARSE_MSG_MAX];
    char * list;
    slong i, k = 0;

    for (i = 0; i < NBUILTIN; i++)
    {
        size_t len = strlen(builtin_names[i]);

        if (len < 4 || strcmp(builtin_names[i] + len - 4, "-emu") != 0)
            names[k++] = builtin_names[i];
    }
    names[k++] = "NAME-emu";
    names[k++] = "custom:p,emin,emax";
    names[k++] = "mixed:S/C";
    names[k] = NULL;
    list = gc_names_join(names, ", ");
    snprintf(why, sizeof why, "unknown format (%s)", list);
    flint_free(list);
    return numfmt_bad(err, s, n, why);
}

/* A format name without policy suffix, from [s, end). */
static int
set_base(gc_numfmt_struct * f, const char * s, const char * end,
         gc_parse_error_t err)
{
    const gc_numfmt_struct * b;
    size_t n = end - s;

    if (n > 7 && memcmp(s, "custom:", 7) == 0)
        return set_custom(f, s + 7, end, err);
    if (n > 6 && memcmp(s, "mixed:", 6) == 0)
    {
        const char * slash = memchr(s, '/', n);
        const gc_numfmt_struct * c;

        if (slash == NULL)
            return numfmt_bad(err, s, n, "expected mixed:STORAGE/COMPUTE");
        b = builtin_find(s + 6, slash - s - 6);
        c = builtin_find(slash + 1, end - slash - 1);
        if (b == NULL || c == NULL)
            return numfmt_bad(err, s, n,
                              "mixed:STORAGE/COMPUTE takes two built-in "
                              "format names");
        *f = *b;
        f->kind = GC_NUMFMT_EMULATED;
        f->compute = c;
        return GC_SUCCESS;
    }
    b = builtin_find(s, n);
    if (b == NULL)
        return unknown_format(err, s, n);
    *f = *b;
    return GC_SUCCESS;
}

static int
set_strn(gc_numfmt_struct * f, const char * str, size_t n,
         gc_parse_error_t err)
{
    const char * end = str + n;
    const char * colon;
    int status;

    if (n == 0)
        return numfmt_bad(err, str, n, "empty format name");
    if (n >= GC_NUMFMT_NAME_MAX)
        return numfmt_bad(err, str, n, "format name too long");

    /* an overflow-policy suffix */
    colon = NULL;
    if (n > 4 && str[n - 4] == ':')
        colon = str + n - 4;
    if (colon != NULL && (memcmp(colon + 1, "sat", 3) == 0
                          || memcmp(colon + 1, "nan", 3) == 0
                          || memcmp(colon + 1, "inf", 3) == 0))
        end = colon;
    else
        colon = NULL;

    status = set_base(f, str, end, err);
    if (status != GC_SUCCESS)
        return status;

    if (colon != NULL)
    {
        if (f->kind != GC_NUMFMT_EMULATED)
            return numfmt_bad(err, str, n,
                              "a hardware format keeps IEEE overflow; "
                              "use NAME-emu with a policy");
        if (colon[1] == 's')
            f->overflow = GC_OVERFLOW_SATURATE;
        else if (colon[1] == 'n')
            f->overflow = GC_OVERFLOW_NAN;
        else if (f->has_inf)
            f->overflow = GC_OVERFLOW_INF;
        else
            return numfmt_bad(err, str, n,
                              "this format has no infinity");
    }
    memcpy(f->name, str, n);
    f->name[n] = '\0';
    return GC_SUCCESS;
}

int
gc_numfmt_set_str(gc_numfmt_t f, const char * str, gc_parse_error_t err)
{
    return set_strn(f, str, strlen(str), err);
}

int
gc_numfmt_list_set_str(gc_numfmt_struct ** res, slong * len,
                       const char * str, gc_parse_error_t err)
{
    const char * p = str;
    slong n = 1, k = 0;
    int status = GC_SUCCESS;

    for (; *p != '\0'; p++)
        n += (*p == ',');
    *res = flint_malloc(n * sizeof(gc_numfmt_struct));

    p = str;
    while (status == GC_SUCCESS)
    {
        const char * q = p;
        int skip = (strncmp(p, "custom:", 7) == 0) ? 2 : 0;

        /* the commas of custom:p,emin,emax belong to the item */
        for (; *q != '\0' && (*q != ',' || skip-- > 0); q++)
            ;
        status = set_strn(*res + k, p, q - p, err);
        k++;
        if (*q == '\0')
            break;
        p = q + 1;
    }
    if (status != GC_SUCCESS)
    {
        flint_free(*res);
        *res = NULL;
        k = 0;
    }
    *len = k;
    return status;
}

void
gc_numfmt_max(mpfr_t res, const gc_numfmt_t f)
{
    if (mpfr_get_prec(res) < f->prec)
        gc_throw("gc_numfmt_max: precision %ld < %ld",
                 (long) mpfr_get_prec(res), (long) f->prec);
    mpfr_set_ui_2exp(res, 1, f->prec, MPFR_RNDN);
    mpfr_sub_ui(res, res, 1 + f->top_reserved, MPFR_RNDN);
    mpfr_mul_2si(res, res, f->emax - f->prec, MPFR_RNDN);
}

void
gc_numfmt_min_normal(mpfr_t res, const gc_numfmt_t f)
{
    mpfr_set_ui_2exp(res, 1, f->emin + f->prec - 2, MPFR_RNDN);
}

void
gc_numfmt_min_subnormal(mpfr_t res, const gc_numfmt_t f)
{
    mpfr_set_ui_2exp(res, 1, f->emin - 1, MPFR_RNDN);
}

gc_class_t
gc_numfmt_classify(const mpfr_t x, const gc_numfmt_t f)
{
    if (mpfr_nan_p(x))
        return GC_CLASS_NAN;
    if (mpfr_inf_p(x))
        return GC_CLASS_INF;
    if (mpfr_zero_p(x))
        return GC_CLASS_ZERO;
    /* min normal 2^(emin+p-2) has MPFR exponent emin + p - 1 */
    if (mpfr_get_exp(x) < f->emin + f->prec - 1)
        return GC_CLASS_SUBNORMAL;
    return GC_CLASS_NORMAL;
}

/* 1 if the regular number x (already rounded to f->prec bits) is above
   max finite in absolute value; only formats with top_reserved > 0 can
   hold such a number inside [emin, emax]. */
static int
above_max(const mpfr_t x, const gc_numfmt_t f)
{
    ulong m;

    if (f->top_reserved == 0)
        return 0;
    /* max = (2^p - 1 - top_reserved) 2^(emax - p), p < 64 here */
    m = (UWORD(1) << f->prec) - 1 - f->top_reserved;
    if (mpfr_sgn(x) > 0)
        return mpfr_cmp_ui_2exp(x, m, f->emax - f->prec) > 0;
    return mpfr_cmp_si_2exp(x, -(slong) m, f->emax - f->prec) < 0;
}

int
_gc_numfmt_round(mpfr_t x, int t, const gc_numfmt_t f)
{
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    int regular = mpfr_regular_p(x);
    int flags = 0, over;

    mpfr_set_emin(f->emin);
    mpfr_set_emax(f->emax);
    t = mpfr_check_range(x, t, MPFR_RNDN);
    t = mpfr_subnormalize(x, t, MPFR_RNDN);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);

    if (t != 0)
        flags |= GC_ROUND_INEXACT;
    if (regular && mpfr_zero_p(x))
        flags |= GC_ROUND_UNDERFLOW;
    over = regular && (mpfr_inf_p(x) || above_max(x, f));
    if (over)
        flags |= GC_ROUND_OVERFLOW | GC_ROUND_INEXACT;
    if ((over || mpfr_inf_p(x))
        && !(f->overflow == GC_OVERFLOW_INF && f->has_inf))
    {
        if (f->overflow == GC_OVERFLOW_SATURATE)
        {
            int neg = mpfr_signbit(x);

            gc_numfmt_max(x, f);
            if (neg)
                mpfr_neg(x, x, MPFR_RNDN);
        }
        else
            mpfr_set_nan(x);
    }
    return flags;
}

int
gc_numfmt_round(mpfr_t res, const mpfr_t x, const gc_numfmt_t f)
{
    gc_expo_struct expo;
    mpfr_t t;
    int flags;

    if (mpfr_get_prec(res) < f->prec)
        gc_throw("gc_numfmt_round: precision %ld < %ld",
                 (long) mpfr_get_prec(res), (long) f->prec);
    if (f->emin < mpfr_get_emin() || f->emax > mpfr_get_emax())
        gc_throw("gc_numfmt_round: MPFR's exponent range [%ld, %ld] does "
                 "not hold %s, [%ld, %ld]", (long) mpfr_get_emin(),
                 (long) mpfr_get_emax(), f->name, (long) f->emin,
                 (long) f->emax);
    GC_SAVE_EXPO(expo);
    mpfr_init2(t, f->prec);
    flags = _gc_numfmt_round(t, mpfr_set(t, x, MPFR_RNDN), f);
    mpfr_set(res, t, MPFR_RNDN);
    mpfr_clear(t);
    GC_RESTORE_EXPO(expo);
    return flags;
}

slong
gc_numfmt_digits(const gc_numfmt_t f)
{
    gc_expo_struct expo;
    size_t d;

    GC_SAVE_EXPO(expo);
    d = mpfr_get_str_ndigits(10, f->prec);
    GC_RESTORE_EXPO(expo);
    return (slong) d;
}

int
gc_loss_scale_set_str(mpfr_t s, const char * str, gc_parse_error_t err)
{
    size_t n = strlen(str);
    gc_expo_struct expo;
    long e;
    mpq_t q;
    int status;

    if (n > 2 && str[0] == '2' && str[1] == '^')
    {
        const char * p = str + 2;

        if (!read_long(&e, &p, str + n, "") || e < -100000L || e > 100000L)
            return numfmt_bad(err, str, n,
                              "expected 2^E with an integer |E| <= "
                              "100000");
        GC_SAVE_EXPO(expo);
        mpfr_set_ui_2exp(s, 1, e, MPFR_RNDN);
        status = _gc_mpfr_vec_check_range(s, 1, &expo, MPFR_RNDN);
        GC_RESTORE_EXPO(expo);
        return status;
    }
    mpq_init(q);
    status = gc_q_set_str(q, str, err);
    if (status == GC_SUCCESS && mpq_sgn(q) <= 0)
        status = numfmt_bad(err, str, n, "the loss scale must be positive");
    if (status == GC_SUCCESS)
    {
        GC_SAVE_EXPO(expo);
        mpfr_set_q(s, q, MPFR_RNDN);
        status = _gc_mpfr_vec_check_range(s, 1, &expo, MPFR_RNDN);
        GC_RESTORE_EXPO(expo);
    }
    mpq_clear(q);
    return status;
}

int
gc_loss_scale_check(const gc_numfmt_t f, mpfr_srcptr s)
{
    const gc_numfmt_struct * u = gc_numfmt_scale_format(f);
    gc_expo_struct expo;
    mpfr_t t;
    int flags;

    if (!mpfr_regular_p(s) || mpfr_sgn(s) < 0)
        return GC_INVALID;
    GC_SAVE_EXPO(expo);
    mpfr_init2(t, u->prec);
    flags = _gc_numfmt_round(t, mpfr_set(t, s, MPFR_RNDN), u);
    mpfr_clear(t);
    GC_RESTORE_EXPO(expo);
    return (flags & (GC_ROUND_OVERFLOW | GC_ROUND_UNDERFLOW)) ? GC_INVALID
                                                              : GC_SUCCESS;
}

const gc_numfmt_struct *
gc_numfmt_scale_format(const gc_numfmt_t f)
{
    const gc_numfmt_struct * c = (f->compute != NULL) ? f->compute : f;

    if (c->prec >= 24 && c->emax >= 128 && c->emin <= -148)
        return c;
    return builtin_find("binary32-emu", 12);
}
