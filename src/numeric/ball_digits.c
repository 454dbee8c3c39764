/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* ball_digits.c -- the decimal digits an Arb ball proves, its relative
   error bound, and the relative error of a number against it. */

#include <string.h>

#include "gc-impl.h"

/* Returns 1 if the finite arf x converts to an mpfr of the current
   exponent range without overflow or underflow. */
static int
arf_fits_mpfr(const arf_t x)
{
    return arf_is_zero(x)
           || (fmpz_cmp_si(ARF_EXPREF(x), mpfr_get_emin()) >= 0
               && fmpz_cmp_si(ARF_EXPREF(x), mpfr_get_emax()) <= 0);
}

/* If lo and hi round to nearest to the same k-digit decimal, returns its
   string (gc_mpfr_get_str_sci, free with flint_free); NULL otherwise. */
static char *
same_rounding(const mpfr_t lo, const mpfr_t hi, slong k)
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

/* The powers of ten of arb_round_decimal, one cache per thread (as Arb
   caches its constants; flint_cleanup() frees it): the last power used,
   pow containing 10^k, at prec + POW10_GUARD bits, and 10^(digits-1),
   10^digits.  The decimal exponents of consecutive values (the layers of
   a chain) differ by a few units, so the next power is pow times or
   divided by an exact 10^|d|, |d| < 2^POW10_STEP_BITS: one operation
   instead of a binary powering (a squaring per bit of k).  Ball
   arithmetic keeps it rigorous: each step widens the radius by about an
   ulp at prec + POW10_GUARD, and the power is computed afresh when fewer
   than prec + POW10_GUARD / 2 bits remain. */
#define POW10_GUARD 64
#define POW10_STEP_BITS 6

typedef struct
{
    int init;
    slong digits, prec; /* of the entries below */
    fmpz_t k;
    arb_t pow;
    fmpz_t lo, hi;
} pow10_cache_struct;

static _Thread_local pow10_cache_struct pow10_cache;

static void
pow10_cache_clear(void)
{
    pow10_cache_struct * c = &pow10_cache;

    fmpz_clear(c->k);
    arb_clear(c->pow);
    fmpz_clear(c->lo);
    fmpz_clear(c->hi);
    c->init = 0;
}

/* This thread's cache for *digits* at *prec*, emptied of another
   precision's power. */
static pow10_cache_struct *
pow10_cache_get(slong digits, slong prec)
{
    pow10_cache_struct * c = &pow10_cache;

    if (!c->init)
    {
        fmpz_init(c->k);
        arb_init(c->pow);
        fmpz_init(c->lo);
        fmpz_init(c->hi);
        c->init = 1;
        c->digits = 0;
        c->prec = 0;
        flint_register_cleanup_function(pow10_cache_clear);
    }
    if (c->digits != digits)
    {
        fmpz_ui_pow_ui(c->lo, 10, digits - 1);
        fmpz_mul_ui(c->hi, c->lo, 10);
        c->digits = digits;
    }
    if (c->prec != prec)
    {
        arb_indeterminate(c->pow); /* no accuracy: computed afresh */
        c->prec = prec;
    }
    return c;
}

/* Sets c->pow to a ball containing 10^k, and c->k to k. */
static void
pow10_cache_set(pow10_cache_struct * c, const fmpz_t k)
{
    slong prec = c->prec + POW10_GUARD;
    fmpz_t d;

    fmpz_init(d);
    fmpz_sub(d, k, c->k);
    if (arb_rel_accuracy_bits(c->pow) >= c->prec + POW10_GUARD / 2
        && fmpz_bits(d) <= POW10_STEP_BITS)
    {
        int neg = (fmpz_sgn(d) < 0);

        fmpz_abs(d, d);
        fmpz_ui_pow_ui(d, 10, fmpz_get_ui(d));
        if (neg)
            arb_div_fmpz(c->pow, c->pow, d, prec);
        else
            arb_mul_fmpz(c->pow, c->pow, d, prec);
    }
    else
    {
        arb_set_ui(c->pow, 10);
        arb_pow_fmpz(c->pow, c->pow, k, prec + fmpz_bits(k));
    }
    fmpz_set(c->k, k);
    fmpz_clear(d);
}

/* Sets e10 to floor(k log10(2)) within one. */
static void
log10_2_times(fmpz_t e10, const fmpz_t k)
{
    if (fmpz_bits(k) <= 40)
    {
        /* k is exact as a double, and the rounded product errs by less
           than 2^-12 */
        double f = (double) fmpz_get_si(k) * 0.30102999566398119521;
        slong e = (slong) f;

        fmpz_set_si(e10, f < (double) e ? e - 1 : e);
    }
    else
    {
        /* log10(2) to 64 bits more than k has */
        slong prec = fmpz_bits(k) + 64;
        arb_t t, p;

        arb_init(t);
        arb_init(p);
        arb_const_log2(t, prec);
        arb_const_log10(p, prec);
        arb_div(t, t, p, prec);
        arb_mul_fmpz(t, t, k, prec);
        arf_get_fmpz(e10, arb_midref(t), ARF_RND_FLOOR);
        arb_clear(t);
        arb_clear(p);
    }
}

/* If every point of the finite ball x, which does not contain zero, is
   proved to round to nearest to the same decimal of *digits* digits,
   sets *m* to its digits and *e10* to its decimal exponent (the decimal
   is m 10^(e10 - digits + 1), 10^(digits-1) <= m < 10^digits) and
   returns 1: t = |x| 10^(digits - e10 - 1) lies strictly inside
   (m - 1/2, m + 1/2), or inside (m - 1/20, m + 1/2) for m = 10^(digits-1)
   (points just below it round up to the same decimal at the exponent
   below).  One power of ten (usually a step from the cached one) and no
   decimal conversion, so it is much cheaper than rounding both endpoints
   with mpfr_get_str; and the exponents are fmpz, so it works for any
   exponent Arb holds, far beyond MPFR's range.  Returns 0 when this test
   cannot decide (ties, a wide ball): the caller then rounds the
   endpoints. */
static int
arb_round_decimal(fmpz_t m, fmpz_t e10, const arb_t x, slong digits)
{
    slong prec = (slong) (digits * GC_LOG2_10) + 64;
    pow10_cache_struct * c = pow10_cache_get(digits, prec);
    slong i;
    fmpz_t k;
    arb_t t;
    arf_t u, d, r;
    int res = 0;

    fmpz_init(k);
    arb_init(t);
    arf_init(u);
    arf_init(d);
    arf_init(r);
    /* |x| in [2^(e-1), 2^e): 10^(e10 - 1) <= |x| < 10^(e10 + 2) with
       e10 = floor((e - 1) log10(2)) within one */
    fmpz_sub_ui(k, ARF_EXPREF(arb_midref(x)), 1);
    log10_2_times(e10, k);
    for (i = 0; i < 3; i++)
    {
        /* t = |x| 10^k, k = digits - 1 - e10 */
        fmpz_sub_si(k, e10, digits - 1);
        fmpz_neg(k, k);
        pow10_cache_set(c, k);
        arb_abs(t, x);
        arb_mul(t, t, c->pow, prec);
        arf_get_fmpz(m, arb_midref(t), ARF_RND_NEAR);
        if (fmpz_cmp(m, c->lo) < 0)
            fmpz_sub_ui(e10, e10, 1);
        else if (fmpz_cmp(m, c->hi) >= 0)
            fmpz_add_ui(e10, e10, 1);
        else
            break;
    }
    if (i < 3)
    {
        /* d = mid(t) - m exactly, then upper bounds of the distances
           from m to the ends of t: t - m <= d + rad(t) < 1/2, and m - t
           <= rad(t) - d < 1/2, or < 1/20 at m = 10^(digits-1) */
        arf_sub_fmpz(d, arb_midref(t), m, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_set_mag(r, arb_radref(t));
        arf_add(u, r, d, MAG_BITS, ARF_RND_CEIL);
        res = (arf_cmp_2exp_si(u, -1) < 0);
        arf_sub(u, r, d, MAG_BITS, ARF_RND_CEIL);
        if (fmpz_equal(m, c->lo))
            arf_mul_ui(u, u, 10, MAG_BITS, ARF_RND_CEIL);
        res = res && (arf_cmp_2exp_si(u, -1) < 0);
    }

    fmpz_clear(k);
    arb_clear(t);
    arf_clear(u);
    arf_clear(d);
    arf_clear(r);
    return res;
}

/* The decimals gc_arb_has_digits proved for the balls of a trace, one
   table per thread (as the powers of ten above), so that printing the
   same ball does not convert it again: the Ziv loop checks every dC/db_j
   and dC/dw_j (2 len consecutive balls from t->db), then the caller
   prints them.  _gc_digits_cache_begin gives the balls' array; the
   record of the ball at base + i is at rec + i stride, written in order
   and read by address, with no hashing.  A record is keyed by the
   ball's exact contents (the midpoint's size field, exponent and limbs,
   the radius's exponent and mantissa), compared word for word, so a hit
   is the decimal proved for exactly this ball whatever happened to the
   array meanwhile; balls with a large (mpz) exponent or more midpoint
   limbs than the precision gives are not kept.  Record words: the key's
   length (0: no record), the key, then e10, the limb count of m and m's
   limbs.  At most DCACHE_WORDS words (32 MB) are kept: the balls beyond
   them are converted twice.  The table is dropped by the next
   _gc_digits_cache_begin and by flint_cleanup(). */
#define DCACHE_WORDS (WORD(1) << 22)
#define DCACHE_KEY 5 /* key words besides the midpoint's limbs */

typedef struct
{
    int init;
    slong digits;
    const arb_struct * base; /* the balls */
    slong n;                 /* of them with a record */
    slong limbs, mlimbs;     /* the most midpoint and m limbs kept */
    slong stride;            /* words of a record */
    ulong * rec;
} dcache_struct;

static _Thread_local dcache_struct dcache;

static void
dcache_clear(void)
{
    flint_free(dcache.rec);
    dcache.rec = NULL;
    dcache.n = 0;
}

void
_gc_digits_cache_begin(const arb_struct * base, slong n, slong prec,
                       slong digits)
{
    dcache_struct * c = &dcache;

    if (!c->init)
    {
        c->init = 1;
        flint_register_cleanup_function(dcache_clear);
    }
    dcache_clear();
    c->digits = digits;
    c->base = base;
    c->limbs = (prec + FLINT_BITS - 1) / FLINT_BITS;
    c->mlimbs = (slong) (digits * GC_LOG2_10) / FLINT_BITS + 1;
    c->stride = 1 + DCACHE_KEY + c->limbs + 2 + c->mlimbs;
    c->n = FLINT_MIN(n, DCACHE_WORDS / c->stride);
    /* zero pages: every record empty */
    c->rec = c->n > 0 ? flint_calloc(c->n * c->stride, sizeof(ulong)) : NULL;
}

/* The record of x, or NULL if x is not one of the balls kept. */
static ulong *
dcache_rec(const arb_t x, slong digits)
{
    dcache_struct * c = &dcache;
    uintptr_t a = (uintptr_t) x, b = (uintptr_t) c->base;

    if (c->n == 0 || c->digits != digits || a < b
        || a >= b + c->n * sizeof(arb_struct)
        || (a - b) % sizeof(arb_struct) != 0)
        return NULL;
    return c->rec + (a - b) / sizeof(arb_struct) * c->stride;
}

/* Writes the key of x to key (at most DCACHE_KEY + dcache.limbs words;
   dcache_get_decimal compares a ball to it in place) and returns its
   length, or 0 if x is not kept. */
static slong
dcache_key(ulong * key, const arb_t x)
{
    const arf_struct * mid = arb_midref(x);
    mp_srcptr d;
    mp_size_t n;

    if (COEFF_IS_MPZ(ARF_EXP(mid)) || COEFF_IS_MPZ(MAG_EXP(arb_radref(x))))
        return 0;
    ARF_GET_MPN_READONLY(d, n, mid);
    if (n > dcache.limbs)
        return 0;
    key[0] = ARF_XSIZE(mid);
    key[1] = (ulong) ARF_EXP(mid);
    key[2] = (ulong) MAG_EXP(arb_radref(x));
    key[3] = MAG_MAN(arb_radref(x));
    key[4] = n;
    flint_mpn_copyi(key + DCACHE_KEY, d, n);
    return DCACHE_KEY + n;
}

/* Records that x rounds to the decimal m, e10 of arb_round_decimal. */
static void
dcache_put(const arb_t x, slong digits, const fmpz_t m, const fmpz_t e10)
{
    ulong * r = dcache_rec(x, digits);
    slong n, mn = fmpz_size(m);

    if (r == NULL || mn > dcache.mlimbs
        || (n = dcache_key(r + 1, x)) == 0)
    {
        if (r != NULL)
            r[0] = 0;
        return;
    }
    r[0] = n;
    r[1 + n] = (ulong) fmpz_get_si(e10);
    r[2 + n] = mn;
    fmpz_get_ui_array(r + 3 + n, mn, m);
}

/* If gc_arb_has_digits proved the decimal of x, sets m and e10 to it
   and returns 1; 0 otherwise. */
static int
dcache_get_decimal(fmpz_t m, fmpz_t e10, const arb_t x, slong digits)
{
    const arf_struct * mid = arb_midref(x);
    ulong * r = dcache_rec(x, digits);
    mp_srcptr d;
    mp_size_t n;

    if (r == NULL || r[0] == 0 || COEFF_IS_MPZ(ARF_EXP(mid))
        || COEFF_IS_MPZ(MAG_EXP(arb_radref(x))))
        return 0;
    ARF_GET_MPN_READONLY(d, n, mid);
    if (r[0] != (ulong) (DCACHE_KEY + n) || r[1] != (ulong) ARF_XSIZE(mid)
        || r[2] != (ulong) ARF_EXP(mid)
        || r[3] != (ulong) MAG_EXP(arb_radref(x))
        || r[4] != MAG_MAN(arb_radref(x)) || r[5] != (ulong) n
        || memcmp(r + 1 + DCACHE_KEY, d, n * sizeof(ulong)) != 0)
        return 0;
    r += r[0];
    fmpz_set_si(e10, (slong) r[1]);
    fmpz_set_ui_array(m, r + 3, r[2]);
    return 1;
}

/* The string of gc_mpfr_get_str_sci for the decimal m 10^(e10 - digits
   + 1) of arb_round_decimal, negative if *neg*: "-1.25e-1", "2e+0".  The
   digits are written in place, with no intermediate strings (and no
   sprintf, which cost more than the digits): e10 fits an slong, as
   |e10| < 2^64 log10(2) for a printable ball. */
static char *
decimal_str(const fmpz_t m, const fmpz_t e10, slong digits, int neg)
{
    char * res = flint_malloc(digits + 32);
    char * p = res + neg + 1;
    char tmp[24];
    slong e = fmpz_get_si(e10);
    ulong u = e < 0 ? -(ulong) e : (ulong) e;
    int n = 0;

    res[0] = '-';
    /* the digits after one place for the point, then the first before
       it: "-_125" -> "-1.25" */
    fmpz_get_str(p, 10, m);
    p[-1] = p[0];
    if (digits > 1)
        p[0] = '.';
    else
        p--;
    p += digits;
    *p++ = 'e';
    *p++ = e < 0 ? '-' : '+';
    do
        tmp[n++] = '0' + u % 10;
    while ((u /= 10) != 0);
    while (n > 0)
        *p++ = tmp[--n];
    *p = '\0';
    return res;
}

static char *
str_dup(const char * s)
{
    char * r = flint_malloc(strlen(s) + 1);

    strcpy(r, s);
    return r;
}

/* gc_arb_get_str_digits for a finite ball x that does not contain zero,
   in MPFR's widest range. */
static int
get_str_digits(char ** str, slong * certified, const arb_t x, slong digits)
{
    slong k, kmax, prec;
    arf_t lo, hi;
    mpfr_t mlo, mhi;
    fmpz_t dm, de;
    char * m;
    int found;

    fmpz_init(dm);
    fmpz_init(de);
    found = dcache_get_decimal(dm, de, x, digits)
            || arb_round_decimal(dm, de, x, digits);
    if (found)
    {
        /* every point rounds as the midpoint does */
        flint_free(*str);
        *str = decimal_str(dm, de, digits, arf_sgn(arb_midref(x)) < 0);
        *certified = digits;
    }
    fmpz_clear(dm);
    fmpz_clear(de);
    if (found)
        return GC_SUCCESS;
    /* the endpoints, rounded outward: exact for an exact ball */
    prec = FLINT_MAX(arf_bits(arb_midref(x)),
                     (slong) (digits * GC_LOG2_10)) + 64;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, x, prec);
    arb_get_ubound_arf(hi, x, prec);
    if (!arf_fits_mpfr(lo) || !arf_fits_mpfr(hi))
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
    m = same_rounding(mlo, mhi, digits);
    k = digits;
    if (m == NULL)
    {
        kmax = FLINT_MIN(digits - 1,
                         (slong) (arb_rel_accuracy_bits(x) / GC_LOG2_10)
                             + 3);
        for (k = kmax; k >= 1; k--)
            if ((m = same_rounding(mlo, mhi, k)) != NULL)
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

int
gc_arb_get_str_digits(char ** str, slong * certified, const arb_t x,
                      slong digits)
{
    gc_expo_struct expo;
    int status;

    if (digits < 1)
        gc_throw("gc_arb_get_str_digits: digits %ld < 1", (long) digits);
    if (arb_is_zero(x))
    {
        *str = str_dup("0");
        *certified = digits;
        return GC_SUCCESS;
    }
    *str = str_dup("");
    *certified = 0;
    if (!arb_is_finite(x) || arb_contains_zero(x) || !gc_arb_is_printable(x))
        return GC_UNABLE;

    GC_SAVE_EXPO(expo);
    status = get_str_digits(str, certified, x, digits);
    GC_RESTORE_EXPO(expo);
    return status;
}

int
gc_arb_is_printable(const arb_t x)
{
    return !arb_is_finite(x) || arb_contains_zero(x)
           || fmpz_bits(ARF_EXPREF(arb_midref(x))) <= 64;
}

void
gc_arb_rel_error_bound(mpfr_t res, const arb_t x)
{
    gc_expo_struct expo;
    mag_t lo, r;
    arf_t f;

    if (mag_is_zero(arb_radref(x)))
    {
        mpfr_set_zero(res, 1);
        return;
    }
    GC_SAVE_EXPO(expo);
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
    /* rounded up into the caller's range, it is still an upper bound */
    (void) _gc_mpfr_vec_check_range(res, 1, &expo, MPFR_RNDU);
    GC_RESTORE_EXPO(expo);
}

int
gc_arb_rel_error(mpfr_t res, const mpfr_t x, const arb_t exact)
{
    gc_expo_struct expo;
    slong prec = mpfr_get_prec(res) + 16;
    arf_t d, m;
    int status;

    if (!mpfr_number_p(x) || !arb_is_finite(exact)
        || arf_is_zero(arb_midref(exact)))
    {
        mpfr_set_nan(res);
        return GC_DOMAIN;
    }
    GC_SAVE_EXPO(expo);
    arf_init(d);
    arf_init(m);
    /* two roundings at prec(res) + 16 bits of exact operands, then one to
       the precision of res */
    arf_set_mpfr(d, x);
    arf_sub(d, d, arb_midref(exact), prec, ARF_RND_NEAR);
    arf_abs(d, d);
    arf_abs(m, arb_midref(exact));
    arf_div(d, d, m, prec, ARF_RND_NEAR);
    if (arf_fits_mpfr(d))
    {
        arf_get_mpfr(res, d, MPFR_RNDN);
        status = _gc_mpfr_vec_check_range(res, 1, &expo, MPFR_RNDN);
    }
    else
    {
        /* beyond MPFR's widest range: 0 or +inf in any range */
        if (fmpz_sgn(ARF_EXPREF(d)) < 0)
            mpfr_set_zero(res, 1);
        else
            mpfr_set_inf(res, 1);
        status = GC_UNABLE;
    }
    arf_clear(d);
    arf_clear(m);
    GC_RESTORE_EXPO(expo);
    return status;
}

int
gc_arb_has_digits(const arb_t x, slong digits)
{
    slong goal = (slong) (digits * GC_LOG2_10) + 3;
    slong certified;
    fmpz_t m, e10;
    char * s;
    int status;

    if (arb_is_zero(x))
        return 1;
    if (arb_rel_accuracy_bits(x) < goal || !gc_arb_is_printable(x))
        return 0;
    fmpz_init(m);
    fmpz_init(e10);
    status = arb_round_decimal(m, e10, x, digits) ? GC_SUCCESS : GC_UNABLE;
    if (status == GC_SUCCESS)
        dcache_put(x, digits, m, e10);
    fmpz_clear(m);
    fmpz_clear(e10);
    if (status == GC_SUCCESS)
        return 1;
    status = gc_arb_get_str_digits(&s, &certified, x, digits);
    flint_free(s);
    return status == GC_SUCCESS;
}
