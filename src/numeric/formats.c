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
#include <stdint.h>
#include <float.h>
#include <limits.h>
#include <math.h>
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
    {name, p, emin, emax, top, inf, nan, overflow, kind, NULL,              \
     GC_NUMFMT_RNDN, 0, 0},
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

/* The modifiers of a format name, in the order of the canonical name:
   kind 0 rounding, 1 flush to zero, 2 overflow policy. */
static const struct
{
    const char * word;
    int kind;
    int value;
} modifiers[] = {
    {"rz", 0, GC_NUMFMT_RNDZ},        {"ru", 0, GC_NUMFMT_RNDU},
    {"rd", 0, GC_NUMFMT_RNDD},        {"sr", 0, GC_NUMFMT_RNDSR},
    {"ftz", 1, 1},                    {"sat", 2, GC_OVERFLOW_SATURATE},
    {"nan", 2, GC_OVERFLOW_NAN},      {"inf", 2, GC_OVERFLOW_INF}};

#define NMODIFIERS ((int) (sizeof modifiers / sizeof modifiers[0]))

/* The modifier named by [s, s+n), or -1. */
static int
modifier_find(const char * s, size_t n)
{
    int i;

    for (i = 0; i < NMODIFIERS; i++)
        if (strlen(modifiers[i].word) == n
            && memcmp(modifiers[i].word, s, n) == 0)
            return i;
    return -1;
}

static int
set_strn(gc_numfmt_struct * f, const char * str, size_t n,
         gc_parse_error_t err)
{
    const char * end = str + n;
    int given[3] = {-1, -1, -1};
    int status, k;

    if (n == 0)
        return numfmt_bad(err, str, n, "empty format name");
    if (n >= GC_NUMFMT_NAME_MAX)
        return numfmt_bad(err, str, n, "format name too long");

    /* the modifiers, from the end: ":WORD" with a known WORD */
    for (;;)
    {
        const char * colon = end;
        int m;

        while (colon > str && colon[-1] != ':')
            colon--;
        if (colon == str)
            break;
        m = modifier_find(colon, end - colon);
        if (m < 0)
            break;
        if (given[modifiers[m].kind] >= 0)
            return numfmt_bad(err, str, n,
                              modifiers[m].kind == 0
                                  ? "two rounding modifiers"
                              : modifiers[m].kind == 1
                                  ? "':ftz' twice"
                                  : "two overflow policies");
        given[modifiers[m].kind] = m;
        end = colon - 1;
    }

    status = set_base(f, str, end, err);
    if (status != GC_SUCCESS)
        return status;
    f->rnd = GC_NUMFMT_RNDN;
    f->ftz = 0;
    f->sr_seed = 0;

    if (end == str + n)
    {
        memcpy(f->name, str, n);
        f->name[n] = '\0';
        return GC_SUCCESS;
    }
    if (f->kind != GC_NUMFMT_EMULATED)
        return numfmt_bad(err, str, n,
                          given[0] < 0 && given[1] < 0
                              ? "a hardware format keeps IEEE overflow; "
                                "use NAME-emu with a policy"
                              : "a hardware format rounds to nearest "
                                "with subnormals; use its emulated twin "
                                "NAME-emu with rounding modifiers (e.g. "
                                "binary32-emu:ftz)");
    if (given[0] >= 0)
        f->rnd = (gc_numfmt_rnd_t) modifiers[given[0]].value;
    f->ftz = (given[1] >= 0);
    if (given[2] >= 0)
    {
        f->overflow = (gc_overflow_t) modifiers[given[2]].value;
        if (f->overflow == GC_OVERFLOW_INF && !f->has_inf)
            return numfmt_bad(err, str, n,
                              "this format has no infinity");
    }

    /* the canonical name: base, rounding, ftz, policy */
    memcpy(f->name, str, end - str);
    f->name[end - str] = '\0';
    for (k = 0; k < 3; k++)
        if (given[k] >= 0)
        {
            strcat(f->name, ":");
            strcat(f->name, modifiers[given[k]].word);
        }
    return GC_SUCCESS;
}

void
gc_numfmt_set_sr_seed(gc_numfmt_t f, ulong seed)
{
    f->sr_seed = seed;
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

mpfr_rnd_t
gc_numfmt_mpfr_rnd(const gc_numfmt_t f)
{
    switch (f->rnd)
    {
        case GC_NUMFMT_RNDZ:
            return MPFR_RNDZ;
        case GC_NUMFMT_RNDU:
            return MPFR_RNDU;
        case GC_NUMFMT_RNDD:
            return MPFR_RNDD;
        default:
            return MPFR_RNDN;
    }
}

/* 1 if an overflow of a value of sign *neg* rounds toward a finite
   number in the mode *rnd* (IEEE 754: then +-max finite). */
static int
overflow_finite(mpfr_rnd_t rnd, int neg)
{
    return rnd == MPFR_RNDZ || (rnd == MPFR_RNDD && !neg)
           || (rnd == MPFR_RNDU && neg);
}

/* Sets the non-NaN x, an infinite result or an overflow (*over*), to what
   the overflow policy of *f* makes of it in the mode *rnd*. */
static void
overflow_result(mpfr_t x, int over, mpfr_rnd_t rnd, const gc_numfmt_t f)
{
    int neg = mpfr_signbit(x);

    if ((over && overflow_finite(rnd, neg))
        || f->overflow == GC_OVERFLOW_SATURATE)
    {
        gc_numfmt_max(x, f);
        if (neg)
            mpfr_neg(x, x, MPFR_RNDN);
    }
    else if (f->overflow == GC_OVERFLOW_INF && f->has_inf)
        mpfr_set_inf(x, neg ? -1 : 1);
    else
        mpfr_set_nan(x);
}

/* 1 if the regular x is below the min normal of f in magnitude. */
static int
below_normal(const mpfr_t x, const gc_numfmt_t f)
{
    return mpfr_get_exp(x) < f->emin + f->prec - 1;
}

int
_gc_numfmt_round(mpfr_t x, int t, const gc_numfmt_t f)
{
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_rnd_t rnd = gc_numfmt_mpfr_rnd(f);
    int regular = mpfr_regular_p(x);
    int flags = 0, over;

    /* flush to zero: tiny after rounding to p bits */
    if (f->ftz && regular && below_normal(x, f))
    {
        mpfr_set_zero(x, mpfr_signbit(x) ? -1 : 1);
        return GC_ROUND_INEXACT | GC_ROUND_UNDERFLOW;
    }
    /* overflow: beyond max finite after rounding to p bits */
    over = regular && (mpfr_get_exp(x) > f->emax || above_max(x, f));
    mpfr_set_emin(f->emin);
    mpfr_set_emax(f->emax);
    t = mpfr_check_range(x, t, rnd);
    t = mpfr_subnormalize(x, t, rnd);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);

    if (t != 0)
        flags |= GC_ROUND_INEXACT;
    if (regular && mpfr_zero_p(x))
        flags |= GC_ROUND_UNDERFLOW;
    if (over)
        flags |= GC_ROUND_OVERFLOW | GC_ROUND_INEXACT;
    if (over || mpfr_inf_p(x))
        overflow_result(x, over, rnd, f);
    return flags;
}

/* gc_numfmt_round (sr = 0) and gc_numfmt_round_sr (sr = 1, word r),
   named *who* in the messages. */
static int
numfmt_round_entry(mpfr_t res, const mpfr_t x, const gc_numfmt_t f, int sr,
                   ulong r, const char * who)
{
    gc_expo_struct expo;
    mpfr_t t;
    int flags;

    if (mpfr_get_prec(res) < f->prec)
        gc_throw("%s: precision %ld < %ld", who, (long) mpfr_get_prec(res),
                 (long) f->prec);
    if (f->emin < mpfr_get_emin() || f->emax > mpfr_get_emax())
        gc_throw("%s: MPFR's exponent range [%ld, %ld] does not hold %s, "
                 "[%ld, %ld]", who, (long) mpfr_get_emin(),
                 (long) mpfr_get_emax(), f->name, (long) f->emin,
                 (long) f->emax);
    if (!sr && f->rnd == GC_NUMFMT_RNDSR)
        gc_throw("%s: %s rounds stochastically: use gc_numfmt_round_sr",
                 who, f->name);
    GC_SAVE_EXPO(expo);
    mpfr_init2(t, f->prec);
    if (sr)
        flags = _gc_numfmt_round_sr(t, x, 0, f, r);
    else
        flags = _gc_numfmt_round(t, mpfr_set(t, x, gc_numfmt_mpfr_rnd(f)),
                                 f);
    mpfr_set(res, t, MPFR_RNDN);
    mpfr_clear(t);
    GC_RESTORE_EXPO(expo);
    return flags;
}

int
gc_numfmt_round(mpfr_t res, const mpfr_t x, const gc_numfmt_t f)
{
    return numfmt_round_entry(res, x, f, 0, 0, "gc_numfmt_round");
}

/* SplitMix64's output number c of the generator seeded with s. */
static ulong
sr_mix(ulong s, ulong c)
{
    uint64_t z = (uint64_t) s + (uint64_t) c * UINT64_C(0x9E3779B97F4A7C15);

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return (ulong) (z ^ (z >> 31));
}

ulong
gc_numfmt_sr_word(ulong seed, int pass, slong j, slong i)
{
    return sr_mix(sr_mix(sr_mix(seed, (ulong) pass + 1), (ulong) j + 1),
                  (ulong) i + 1);
}

int
_gc_numfmt_round_sr(mpfr_t res, const mpfr_t x, int t, const gc_numfmt_t f,
                    ulong r)
{
    mpfr_exp_t ue;
    mpfr_t q, rr;
    int cmp, neg, flags = 0;

    if (!mpfr_regular_p(x))
    {
        mpfr_set(res, x, MPFR_RNDN);
        return _gc_numfmt_round(res, 0, f);
    }
    neg = mpfr_signbit(x);
    /* the spacing 2^ue of the format at x: p bits, or the subnormals'
       (without them under ftz, which flushes what is below normal) */
    ue = mpfr_get_exp(x) - f->prec;
    if (!f->ftz)
        ue = FLINT_MAX(ue, f->emin - 1);

    /* |x| / 2^ue = n + frac: n the integer part, n < 2^p */
    mpfr_init2(q, FLINT_MAX(mpfr_get_prec(x), f->prec + 1));
    mpfr_init2(rr, 64);
    mpfr_abs(q, x, MPFR_RNDN);
    mpfr_mul_2si(q, q, -ue, MPFR_RNDN);
    if (t != 0 || !mpfr_integer_p(q))
    {
        mpfr_t fr;

        flags |= GC_ROUND_INEXACT;
        mpfr_init2(fr, mpfr_get_prec(q));
        mpfr_frac(fr, q, MPFR_RNDN); /* exact */
        /* away from zero iff r < frac 2^64: rr = r 2^-64 exactly; when
           x is below v (t != 0) and rr equals x's frac, v's frac is
           larger (by less than 2^-64, as x has p + 64 bits) */
        mpfr_set_uj(rr, (uintmax_t) r, MPFR_RNDN);
        mpfr_div_2ui(rr, rr, 64, MPFR_RNDN);
        cmp = mpfr_cmp(rr, fr);
        mpfr_floor(q, q);
        if (cmp < 0 || (cmp == 0 && t != 0))
            mpfr_add_ui(q, q, 1, MPFR_RNDN); /* <= 2^p: exact */
        mpfr_clear(fr);
    }
    mpfr_mul_2si(q, q, ue, MPFR_RNDN);
    if (neg)
        mpfr_neg(q, q, MPFR_RNDN);
    mpfr_set(res, q, MPFR_RNDN); /* q has at most p bits */
    mpfr_clear(q);
    mpfr_clear(rr);

    if (mpfr_zero_p(res))
    {
        mpfr_set_zero(res, neg ? -1 : 1);
        return flags | GC_ROUND_UNDERFLOW;
    }
    if (f->ftz && below_normal(res, f))
    {
        mpfr_set_zero(res, neg ? -1 : 1);
        return GC_ROUND_INEXACT | GC_ROUND_UNDERFLOW;
    }
    if (mpfr_get_exp(res) > f->emax || above_max(res, f))
    {
        /* the number after max finite is infinite */
        mpfr_set_inf(res, neg ? -1 : 1);
        overflow_result(res, 0, MPFR_RNDN, f);
        flags |= GC_ROUND_OVERFLOW | GC_ROUND_INEXACT;
    }
    return flags;
}

int
gc_numfmt_round_sr(mpfr_t res, const mpfr_t x, const gc_numfmt_t f, ulong r)
{
    return numfmt_round_entry(res, x, f, 1, r, "gc_numfmt_round_sr");
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

/* Rounding a binary64 number to an emulated format in hardware arithmetic
   (see gc-impl.h).  The value v to round is given as d = RN_53(v) and
   the sign t of v - d.  Every boundary of a rounding to the format is a
   binary64 number: a format number or the midpoint of two (p + 1 <= 53
   bits, exponents within binary64's normal range), the subnormals too
   (multiples of 2^(emin - 1) and their midpoints, of fewer bits, and
   2^(emin - 2) >= 2^-302 is normal in binary64), as are the overflow
   threshold (max + half an ulp) and the min normal that ":ftz" tests.  No binary64 number
   lies strictly between v and d (it would be nearer to v than d is), so
   v and d round alike unless d is itself a boundary, and then t says on
   which side v lies.  That is what makes one rounding of d, with t,
   the correct rounding of v, in every mode and with subnormals. */

int
_gc_numfmt_hw_ok(const gc_numfmt_struct * f)
{
    /* p + 1 <= 53 would do for the rounding; p <= 25 also makes the
       product of two format numbers exact in binary64 (2p <= 53), which
       the fma of the replay needs.  The exponent bounds keep products,
       quotients and the residuals of gc-impl.h's error-free
       transformations inside binary64's normal range. */
    return f->kind == GC_NUMFMT_EMULATED && f->prec <= 25
           && f->emin - 1 >= -300 && f->emax <= 300
           && f->rnd != GC_NUMFMT_RNDSR;
}

/* How a magnitude rounds: to nearest (ties to even), toward zero, away
   from zero. */
typedef enum
{
    MAG_NEAREST,
    MAG_TRUNC,
    MAG_AWAY
} mag_rnd_t;

/* The magnitude |v| > 0, given as a = |d| > 0 (normal) and the sign ta
   of |v| - a, rounded to p bits (2 <= p <= 52) with an unbounded
   exponent in the mode *m*, on the bits of a: the last 53 - p bits of
   the significand are cleared, then a unit of the p-th bit is added or
   subtracted as m and ta say (a carry or borrow into the exponent field
   is the next or previous binade, so that 2^e less a hair truncates to
   2^e - 2^(e - p), the spacing below 2^e). */
static double
bits_round(double a, int ta, mpfr_prec_t p, mag_rnd_t m)
{
    uint64_t u, ulp = UWORD(1) << (53 - p), low;

    memcpy(&u, &a, sizeof(double));
    low = u & (ulp - 1);
    u -= low;
    if (m == MAG_NEAREST)
    {
        /* without branches: whether to round up is as random as the
           bits below the p-th */
        u += ulp & -(uint64_t) ((low > ulp / 2)
                                | ((low == ulp / 2)
                                   & ((ta > 0) | ((ta == 0)
                                                  & ((u & ulp) != 0)))));
    }
    else if (m == MAG_TRUNC)
    {
        if (low == 0 && ta < 0)
            u -= ulp;
    }
    else if (low != 0 || ta > 0)
        u += ulp;
    memcpy(&a, &u, sizeof(double));
    return a;
}

/* The magnitude |v| > 0, given as a = |d| > 0 and the sign ta of |v| - a,
   rounded to a multiple of 2^k in the mode *m* (a 2^-k < 2^26: exact). */
static double
grid_round(double a, int ta, slong k, mag_rnd_t m)
{
    double y = a * _gc_pow2_d(-k), fr;
    uint64_t n = (uint64_t) y;

    fr = y - (double) n;
    if (m == MAG_NEAREST)
        n += (fr > 0.5 || (fr == 0.5 && (ta > 0 || (ta == 0 && (n & 1)))));
    else if (m == MAG_TRUNC)
        n -= (fr == 0 && ta < 0);
    else
        n += (fr > 0 || ta > 0);
    return (double) n * _gc_pow2_d(k);
}

int
_gc_numfmt_round_d(double * res, double d, int t, const gc_numfmt_struct * f)
{
    int neg = signbit(d) != 0, ta = neg ? -t : t, flags = 0;
    double a = fabs(d), x, maxf, min_normal;
    mag_rnd_t m;

    if (f->rnd == GC_NUMFMT_RNDSR)
        gc_throw("_gc_numfmt_round_d: %s rounds stochastically", f->name);
    if (isnan(d) || d == 0)
    {
        *res = d;
        return 0;
    }
    /* hardware binary32 (round to nearest, subnormals, overflow to inf):
       the C conversion is IEEE 754's correctly rounded one, which the
       code below computes too (the replays round every parameter so) */
    if (f->kind == GC_NUMFMT_FLOAT && t == 0 && f->rnd == GC_NUMFMT_RNDN
        && !f->ftz && f->overflow == GC_OVERFLOW_INF)
    {
        float y = (float) d;

        *res = y;
        if (isinf(y))
            return isinf(d) ? 0 : GC_ROUND_OVERFLOW | GC_ROUND_INEXACT;
        return ((double) y != d) * GC_ROUND_INEXACT
               | (y == 0) * GC_ROUND_UNDERFLOW;
    }
    /* max < 2^26 2^emax, min normal: a signed conversion (x86-64 converts
       an unsigned 64-bit integer in several instructions) */
    maxf = (double) (slong) ((UWORD(1) << f->prec) - 1 - f->top_reserved)
           * _gc_pow2_d(f->emax - f->prec);
    min_normal = _gc_pow2_d(f->emin + f->prec - 2);
    if (isinf(d))
    {
        /* as overflow_result of an infinite number */
        x = (f->overflow == GC_OVERFLOW_SATURATE) ? maxf
            : (f->overflow == GC_OVERFLOW_INF && f->has_inf) ? INFINITY
                                                             : NAN;
        *res = (isnan(x) || !neg) ? x : -x;
        return 0;
    }
    if (f->rnd == GC_NUMFMT_RNDN)
        m = MAG_NEAREST;
    else if (f->rnd == GC_NUMFMT_RNDZ || (f->rnd == GC_NUMFMT_RNDU) == neg)
        m = MAG_TRUNC;
    else
        m = MAG_AWAY;

    /* x: |v| rounded to p bits with an unbounded exponent */
    x = bits_round(a, ta, f->prec, m);
    if (f->ftz && x < min_normal)
    {
        *res = neg ? -0.0 : 0.0;
        return GC_ROUND_INEXACT | GC_ROUND_UNDERFLOW;
    }
    if (x > maxf)
    {
        /* as overflow_result */
        if (m == MAG_TRUNC || f->overflow == GC_OVERFLOW_SATURATE)
            x = maxf;
        else if (f->overflow == GC_OVERFLOW_INF && f->has_inf)
            x = INFINITY;
        else
            x = NAN;
        *res = (isnan(x) || !neg) ? x : -x;
        return GC_ROUND_OVERFLOW | GC_ROUND_INEXACT;
    }
    if (x < min_normal) /* the subnormals' spacing 2^(emin - 1) */
        x = grid_round(a, ta, f->emin - 1, m);
    flags |= ((x != a) | (ta != 0)) * GC_ROUND_INEXACT;
    if (x == 0)
        flags |= GC_ROUND_UNDERFLOW;
    *res = copysign(x, d);
    return flags;
}
