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

/* floor(k log10(2)) within one, for |k| < 2^40: k is exact as a double,
   and the rounded product errs by less than 2^-12. */
static slong
log10_2_times_si(slong k)
{
    double f = (double) k * 0.30102999566398119521;
    slong e = (slong) f;

    return f < (double) e ? e - 1 : e;
}

/* Sets e10 to floor(k log10(2)) within one. */
static void
log10_2_times(fmpz_t e10, const fmpz_t k)
{
    if (fmpz_bits(k) <= 40)
        fmpz_set_si(e10, log10_2_times_si(fmpz_get_si(k)));
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

/* The limb-level decimal test, tried before arb_round_decimal: the same
   question, whether every point of the ball x = [mid - r, mid + r]
   rounds to one decimal m 10^(e10 - digits + 1), answered on the limbs
   of the midpoint, with no arb, arf or fmpz arithmetic.

   Its power of ten: per thread, 10^k ~ pw 2^f with pw a normalised
   integer of p limbs (its top bit set) and a relative error
       |10^k / (pw 2^f) - 1| <= err u,   u = 2^(1 - 64 p),
   with p limbs enough for digits + 48 bits, computed afresh in Arb and
   then stepped to the next k by a multiplication or division of the
   limbs by 10^s, s <= 19 (10^19 < 2^64).  Truncating a product or
   quotient to p limbs errs by less than one unit of its last limb, a
   relative error in [0, u) as its top bit is set; a quotient is
   truncated once more by the division.  A step so turns a relative
   error of at most err u into (1 + err u)(1 + a)(1 + b) - 1 with a, b in
   [0, u), less than (err + 3) u while err u < 1: err grows by 2 for a
   multiplication and 3 for a division, and the power is computed afresh
   beyond FAST_MAX_ERR (or after a jump of more than 4 steps).

   The test: with mid = d 2^(E - 64 n) (d its n limbs) and t = |y| 10^k
   for a point y of x, k = digits - 1 - e10, the product
       T = d pw 2^(E - 64 n + f) = |mid| pw 2^f
   is exact in limbs, and for every point y
       |t - T| <= r 10^k + |mid| |10^k - pw 2^f|
               <= r pw 2^f (1 + err u) + T err u.
   T splits into its integer part I and fraction F, known to 64 bits:
   F in [fr 2^-64, (fr + 1) 2^-64).  m = I + (F >= 1/2) is the nearest
   integer to T, and every t lies strictly inside (m - 1/2, m + 1/2)
   (inside (m - 1/20, m + 1/2) for m = 10^(digits-1), as in
   arb_round_decimal) when the distance from T to each end, bounded
   below through fr, exceeds the bound above on |t - T|.  That bound is
   evaluated in double arithmetic, then rounded up by a relative 2^-40
   (far more than the few roundings of a double product and sum) and one
   unit of 2^-64 (a term below it dropped), and FAST_SLACK units are added:
   so a ball the test accepts keeps more than 2^-56 between its ends and
   the rounding boundaries, more than the outward rounding of the ends in
   get_str_digits moves them (less than 2^-62 on t's scale, the ends
   having digits log2(10) + 64 bits): the slow path (arb_round_decimal,
   then the ends) would accept it too, with the same decimal.  Hence the
   same decisions and strings; anything the test cannot decide this way
   (too close to a boundary, a wide ball, exponents beyond 2^40, more
   than FAST_LIMBS limbs) goes to the slow path. */
#define FAST_LIMBS 8
#define FAST_EXP (WORD(1) << 40)
#define FAST_MAX_ERR (UWORD(1) << 20)
#define FAST_SLACK 256

typedef struct
{
    slong digits;  /* of lo, hi, p (0: none yet) */
    slong p;       /* limbs of pw */
    slong k, f;    /* 10^k ~ pw 2^f */
    ulong err;     /* the relative error in units u; 0: no power */
    mp_limb_t pw[FAST_LIMBS];
    mp_limb_t lo[FAST_LIMBS + 1], hi[FAST_LIMBS + 1];
    slong lon, hin; /* 10^(digits-1) and 10^digits, normalised limbs */
    mp_limb_t dinv[20]; /* n_preinvert_limb(10^s), s <= 19 */
} fpow_struct;

/* Allocated at the first use, so that a function holds its address in
   a register: compilers recompute the address of a thread-local struct
   at each use, a call to __tls_get_addr in a shared library. */
static _Thread_local fpow_struct * fpow;

static void
fpow_clear(void)
{
    flint_free(fpow);
    fpow = NULL;
}

static const ulong pow10_ui[20] = {
    UWORD(1), UWORD(10), UWORD(100), UWORD(1000), UWORD(10000),
    UWORD(100000), UWORD(1000000), UWORD(10000000), UWORD(100000000),
    UWORD(1000000000), UWORD(10000000000), UWORD(100000000000),
    UWORD(1000000000000), UWORD(10000000000000), UWORD(100000000000000),
    UWORD(1000000000000000), UWORD(10000000000000000),
    UWORD(100000000000000000), UWORD(1000000000000000000),
    UWORD(10000000000000000000)};

/* This thread's power for *digits*; NULL if it needs more than
   FAST_LIMBS limbs. */
static fpow_struct *
fpow_get(slong digits)
{
    fpow_struct * c = fpow;
    slong i;

    if (c == NULL)
    {
        c = fpow = flint_calloc(1, sizeof(fpow_struct));
        for (i = 1; i < 20; i++)
            c->dinv[i] = n_preinvert_limb(pow10_ui[i]);
        flint_register_cleanup_function(fpow_clear);
    }
    if (c->digits != digits)
    {
        c->p = ((slong) (digits * GC_LOG2_10) + 48 + FLINT_BITS - 1)
               / FLINT_BITS;
        c->digits = digits;
        c->err = 0;
        if (c->p > FAST_LIMBS)
            return NULL;
        c->lo[0] = 1;
        c->lon = 1;
        for (i = 1; i < digits; i++)
        {
            mp_limb_t cy = mpn_mul_1(c->lo, c->lo, c->lon, 10);

            if (cy != 0)
                c->lo[c->lon++] = cy;
        }
        c->hi[c->lon] = mpn_mul_1(c->hi, c->lo, c->lon, 10);
        c->hin = c->lon + (c->hi[c->lon] != 0);
    }
    return c->p > FAST_LIMBS ? NULL : c;
}

/* c->pw = 10^k from a ball at 64 bits more than pw holds: with
   relative radius below 2^(-64 p) and a truncation below u, the
   relative error is below 2 u.  Returns 0 if Arb gives less. */
static int
fpow_fresh(fpow_struct * c, slong k)
{
    slong prec = FLINT_BITS * (c->p + 1) + FLINT_BIT_COUNT(FLINT_ABS(k));
    mp_srcptr d;
    mp_size_t n;
    slong i;
    fmpz_t e;
    arb_t t;
    int ok;

    fmpz_init_set_si(e, k);
    arb_init(t);
    arb_set_ui(t, 10);
    arb_pow_fmpz(t, t, e, prec);
    ok = arb_rel_accuracy_bits(t) >= FLINT_BITS * c->p
         && !COEFF_IS_MPZ(ARF_EXP(arb_midref(t)));
    if (ok)
    {
        ARF_GET_MPN_READONLY(d, n, arb_midref(t));
        for (i = 0; i < c->p; i++)
            c->pw[c->p - 1 - i] = i < n ? d[n - 1 - i] : 0;
        c->f = ARF_EXP(arb_midref(t)) - FLINT_BITS * c->p;
        c->k = k;
        c->err = 2;
    }
    else
        c->err = 0;
    fmpz_clear(e);
    arb_clear(t);
    return ok;
}

/* c->pw, c->f = the top p limbs of the qn-limb q 2^f, q[qn-1] != 0. */
static void
fpow_normalise(fpow_struct * c, mp_ptr q, slong qn)
{
    unsigned int l;

    count_leading_zeros(l, q[qn - 1]);
    if (l != 0)
        mpn_lshift(q, q, qn, l);
    flint_mpn_copyi(c->pw, q + qn - c->p, c->p);
    c->f += FLINT_BITS * (qn - c->p) - (slong) l;
    c->err += 2;
}

/* q (p + 1 limbs) = floor(pw 2^64 / 10^s): the dividend shifted by the
   l bits that normalise 10^s, divided a limb at a time by its inverse
   (mpn_divrem_1 inverts the divisor at each call). */
static void
fpow_div(const fpow_struct * c, mp_ptr q, slong s)
{
    unsigned int l;
    mp_limb_t d, r, u;
    slong j;

    count_leading_zeros(l, pow10_ui[s]);
    d = pow10_ui[s] << l;
    /* the top l bits of pw, below 2^l <= d */
    r = l != 0 ? c->pw[c->p - 1] >> (FLINT_BITS - l) : 0;
    for (j = c->p - 1; j >= 0; j--)
    {
        u = c->pw[j] << l;
        if (l != 0 && j > 0)
            u |= c->pw[j - 1] >> (FLINT_BITS - l);
        udiv_qrnnd_preinv(q[j + 1], r, r, u, d, c->dinv[s]);
    }
    udiv_qrnnd_preinv(q[0], r, r, 0, d, c->dinv[s]);
}

/* Sets c->pw to 10^k, stepping from the power it holds; returns 0 if Arb
   could not give a fresh power. */
static int
fpow_set(fpow_struct * c, slong k)
{
    mp_limb_t q[FAST_LIMBS + 1];
    slong d = k - c->k, s;

    if (c->err == 0 || c->err > FAST_MAX_ERR || FLINT_ABS(d) > 4 * 19)
        return fpow_fresh(c, k);
    for (; d != 0; d += d > 0 ? -s : s)
    {
        s = FLINT_MIN(FLINT_ABS(d), 19);
        if (d > 0)
        {
            /* pw 10^s >= 2^(64 p - 1) 10: the top limb is nonzero */
            q[c->p] = mpn_mul_1(q, c->pw, c->p, pow10_ui[s]);
            fpow_normalise(c, q, c->p + 1);
        }
        else
        {
            /* pw 2^64 / 10^s >= 2^(64 p - 1): p limbs at least */
            fpow_div(c, q, s);
            c->f -= FLINT_BITS;
            fpow_normalise(c, q, c->p + (q[c->p] != 0));
            c->err++;
        }
    }
    c->k = k;
    return 1;
}

/* 2^e, -1022 <= e <= 1023, from its bits (ldexp costs more than the
   rest of the bound). */
static double
pow2_si(slong e)
{
    ulong u = (ulong) (e + 1023) << 52;
    double d;

    memcpy(&d, &u, sizeof d);
    return d;
}

/* Compares normalised limb numbers. */
static int
limbs_cmp(mp_srcptr a, slong an, mp_srcptr b, slong bn)
{
    if (an != bn)
        return an < bn ? -1 : 1;
    return mpn_cmp(a, b, an);
}

/* The limb-level test above: if it proves the decimal of x, sets m (at
   least 2 FAST_LIMBS + 1 limbs) and *mn* to its normalised limbs, *e10*
   to its exponent, and returns 1; 0 if it cannot tell. */
static int
fast_round_decimal(mp_ptr m, slong * mn, slong * e10, const arb_t x,
                   slong digits)
{
    const arf_struct * mid = arb_midref(x);
    const mag_struct * rad = arb_radref(x);
    fpow_struct * c;
    mp_limb_t q[2 * FAST_LIMBS];
    mp_srcptr d;
    mp_size_t n;
    slong E, sh, qn, in, i, ex;
    ulong fr, lo, hi, err;
    double b;

    if (arf_is_special(mid) || COEFF_IS_MPZ(ARF_EXP(mid))
        || !mag_is_finite(rad) || COEFF_IS_MPZ(MAG_EXP(rad))
        || (c = fpow_get(digits)) == NULL)
        return 0;
    E = ARF_EXP(mid);
    ARF_GET_MPN_READONLY(d, n, mid);
    if (E > FAST_EXP || E < -FAST_EXP || n > FAST_LIMBS)
        return 0;
    /* |mid| in [2^(E-1), 2^E): e10 within one, as in arb_round_decimal */
    *e10 = log10_2_times_si(E - 1);
    for (i = 0;; i++)
    {
        if (i == 3 || !fpow_set(c, digits - 1 - *e10))
            return 0;
        /* T = q 2^-sh; I = floor(T) to m, fr = the 64 bits after it */
        if (n >= c->p)
            mpn_mul(q, d, n, c->pw, c->p);
        else
            mpn_mul(q, c->pw, c->p, d, n);
        qn = n + c->p;
        sh = FLINT_BITS * n - E - c->f;
        if (sh < FLINT_BITS || sh >= FLINT_BITS * qn)
            return 0;
        in = qn - sh / FLINT_BITS;
        if (sh % FLINT_BITS == 0)
        {
            flint_mpn_copyi(m, q + sh / FLINT_BITS, in);
            fr = q[sh / FLINT_BITS - 1];
        }
        else
        {
            mpn_rshift(m, q + sh / FLINT_BITS, in, sh % FLINT_BITS);
            fr = (q[sh / FLINT_BITS] << (FLINT_BITS - sh % FLINT_BITS))
                 | (q[sh / FLINT_BITS - 1] >> (sh % FLINT_BITS));
        }
        while (in > 0 && m[in - 1] == 0)
            in--;
        /* m = I + 1 if F >= 1/2 */
        if (fr >> (FLINT_BITS - 1))
        {
            if (in == 0)
                m[in++] = 1;
            else if (mpn_add_1(m, m, in, 1) != 0)
                m[in++] = 1;
        }
        if (in > 0 && limbs_cmp(m, in, c->lo, c->lon) < 0)
            (*e10)--;
        else if (in == 0)
            (*e10)--;
        else if (limbs_cmp(m, in, c->hi, c->hin) >= 0)
            (*e10)++;
        else
            break;
    }
    *mn = in;

    /* lower bounds, in units of 2^-64, of T - (m - 1/2) and (m + 1/2) - T */
    if (fr >> (FLINT_BITS - 1))
    {
        lo = fr - (UWORD(1) << (FLINT_BITS - 1));
        hi = UWORD(1) << (FLINT_BITS - 1);
    }
    else
    {
        lo = fr + (UWORD(1) << (FLINT_BITS - 1));
        hi = (UWORD(1) << (FLINT_BITS - 1)) - fr - 1;
    }
    if (limbs_cmp(m, in, c->lo, c->lon) == 0)
    {
        /* the low end m - 1/20 = (m - 1/2) + 9/20, and 9/20 < 9 floor((2^64
           - 1) / 20) + 10 units */
        ulong nine20 = (UWORD_MAX / 20) * 9 + 10;

        if (lo <= nine20)
            return 0;
        lo -= nine20;
    }

    /* the bound on |t - T| in units of 2^-64: T err u, with T < 2^bits,
       bits those of m (2^(bits + 65 - 64 p) in [2^-446, 2^20]), and r pw
       2^f (1 + err u) with r = MAG_MAN(rad) 2^(MAG_EXP(rad) - MAG_BITS)
       and pw < (pw[p-1] + 1) 2^(64 (p-1)), below 2^(94 + ex): less than
       one unit for ex <= -1000, and a normal double above */
    b = (double) c->err
        * pow2_si(FLINT_BITS * (in - 1) + FLINT_BIT_COUNT(m[in - 1]) + 1
                  - FLINT_BITS * c->p + FLINT_BITS);
    ex = MAG_EXP(rad) - MAG_BITS + FLINT_BITS * c->p + c->f;
    if (MAG_MAN(rad) != 0 && ex > 0)
        return 0;
    if (MAG_MAN(rad) != 0 && ex > -1000)
        b += (double) MAG_MAN(rad) * ((double) c->pw[c->p - 1] + 1.0)
             * pow2_si(ex);
    b *= 1.0 + pow2_si(-40);
    if (!(b < pow2_si(61)))
        return 0;
    /* a unit for the truncation, one for the term dropped */
    err = (ulong) b + 2 + FAST_SLACK;
    return lo > err && hi > err;
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
   limbs.  At most DCACHE_WORDS words (24 MB) are kept: the balls beyond
   them are converted twice.  The table is dropped by the next
   _gc_digits_cache_begin and by flint_cleanup(). */
#define DCACHE_WORDS (WORD(3) << 20)
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

/* Records that x rounds to the decimal m (mn limbs), e10. */
static void
dcache_put(const arb_t x, slong digits, mp_srcptr m, slong mn, slong e10)
{
    ulong * r = dcache_rec(x, digits);
    slong n;

    if (r == NULL || mn > dcache.mlimbs
        || (n = dcache_key(r + 1, x)) == 0)
    {
        if (r != NULL)
            r[0] = 0;
        return;
    }
    r[0] = n;
    r[1 + n] = (ulong) e10;
    r[2 + n] = mn;
    flint_mpn_copyi(r + 3 + n, m, mn);
}

/* If gc_arb_has_digits proved the decimal of x, returns its limbs and
   sets *mn* and *e10*; NULL otherwise. */
static mp_srcptr
dcache_get_decimal(slong * mn, slong * e10, const arb_t x, slong digits)
{
    const arf_struct * mid = arb_midref(x);
    ulong * r = dcache_rec(x, digits);
    mp_srcptr d;
    mp_size_t n;

    if (r == NULL || r[0] == 0 || COEFF_IS_MPZ(ARF_EXP(mid))
        || COEFF_IS_MPZ(MAG_EXP(arb_radref(x))))
        return NULL;
    ARF_GET_MPN_READONLY(d, n, mid);
    if (r[0] != (ulong) (DCACHE_KEY + n) || r[1] != (ulong) ARF_XSIZE(mid)
        || r[2] != (ulong) ARF_EXP(mid)
        || r[3] != (ulong) MAG_EXP(arb_radref(x))
        || r[4] != MAG_MAN(arb_radref(x)) || r[5] != (ulong) n
        || memcmp(r + 1 + DCACHE_KEY, d, n * sizeof(ulong)) != 0)
        return NULL;
    r += r[0];
    *e10 = (slong) r[1];
    *mn = r[2];
    return r + 3;
}

/* The limbs of the positive fmpz m (one of them in *tmp* if it is
   small), their number in *mn*. */
static mp_srcptr
fmpz_limbs(mp_ptr tmp, slong * mn, const fmpz_t m)
{
    if (!COEFF_IS_MPZ(*m))
    {
        *tmp = (mp_limb_t) *m;
        *mn = 1;
        return tmp;
    }
    *mn = COEFF_TO_PTR(*m)->_mp_size;
    return COEFF_TO_PTR(*m)->_mp_d;
}

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* The most limbs decimal_str converts by chunks of 19 digits, in time
   quadratic in the limbs. */
#define DEC_LIMBS 8

/* floor((2^128 - 1) / 10^19) - 2^64, the inverse of udiv_qrnnd_preinv
   (n_preinvert_limb(10^19)). */
#define POW10_19_INV UWORD(0xd83c94fb6d2ac34a)

/* Writes the 8 digits of v < 10^8 to p, by pairs, in 32-bit words. */
static void
write8(char * p, unsigned int v)
{
    unsigned int a = v / 10000, b = v % 10000;

    memcpy(p, digit_pairs + 2 * (a / 100), 2);
    memcpy(p + 2, digit_pairs + 2 * (a % 100), 2);
    memcpy(p + 4, digit_pairs + 2 * (b / 100), 2);
    memcpy(p + 6, digit_pairs + 2 * (b % 100), 2);
}

/* Writes the 19 digits of r < 10^19 to p: 3 + 8 + 8. */
static void
write19(char * p, ulong r)
{
    ulong q = r / 100000000, t = q / 100000000;

    p[0] = '0' + (char) (t / 100);
    memcpy(p + 1, digit_pairs + 2 * (t % 100), 2);
    write8(p + 3, (unsigned int) (q - t * 100000000));
    write8(p + 11, (unsigned int) (r - q * 100000000));
}

/* The string of gc_mpfr_get_str_sci for the decimal m 10^(e - digits +
   1), m of mn limbs with exactly *digits* digits, negative if *neg*:
   "-1.25e-1", "2e+0".  The digits are written in place, 19 at a time
   from the remainders of m by 10^19, with no intermediate strings (and
   no sprintf, which cost more than the digits): e fits an slong, as |e|
   < 2^64 log10(2) for a printable ball. */
static char *
decimal_str(mp_srcptr m, slong mn, slong e, slong digits, int neg)
{
    char * res = flint_malloc(digits + 32);
    char * p = res + neg + 1;
    char tmp[24];
    ulong u = e < 0 ? -(ulong) e : (ulong) e;
    slong i = digits;
    mp_ptr t;
    int n = 0;
    TMP_INIT;

    TMP_START;
    t = TMP_ALLOC(mn * sizeof(mp_limb_t));
    flint_mpn_copyi(t, m, mn);
    res[0] = '-';
    /* the digits after one place for the point, then the first before
       it: "-_125" -> "-1.25".  Beyond DEC_LIMBS limbs GMP's
       subquadratic conversion (m has exactly *digits* digits, and the at
       most digits + 22 bytes mpn_get_str may use for mn limbs fit in
       res) */
    if (mn > DEC_LIMBS)
    {
        mpn_get_str((unsigned char *) p, 10, t, mn);
        for (i = 0; i < digits; i++)
            p[i] += '0';
        i = 0;
    }
    while (i > 0)
    {
        ulong r;
        slong j;

        /* t = t / 10^19, r = the remainder, by the inverse of 10^19
           (>= 2^63: normalised) */
        for (j = mn - 1, r = 0; j >= 0; j--)
            udiv_qrnnd_preinv(t[j], r, r, t[j], pow10_ui[19], POW10_19_INV);
        while (mn > 0 && t[mn - 1] == 0)
            mn--;
        if (i >= 19)
        {
            i -= 19;
            write19(p + i, r);
        }
        else
            for (; i > 0; r /= 10)
                p[--i] = '0' + r % 10;
    }
    TMP_END;
    p[-1] = p[0];
    if (digits > 1)
        p[0] = '.';
    else
        p--;
    p += digits;
    *p++ = 'e';
    *p++ = e < 0 ? '-' : '+';
    /* the exponent's digits by pairs from the right, at tmp + 24 - n */
    for (; u >= 10; u /= 100)
    {
        n += 2;
        memcpy(tmp + sizeof tmp - n, digit_pairs + 2 * (u % 100), 2);
    }
    if (u != 0 || n == 0)
        tmp[sizeof tmp - ++n] = '0' + (char) u;
    memcpy(p, tmp + sizeof tmp - n, n);
    p[n] = '\0';
    return res;
}

static char *
str_dup(const char * s)
{
    char * r = flint_malloc(strlen(s) + 1);

    strcpy(r, s);
    return r;
}

/* If the limb-level test (when *fast*) or else arb_round_decimal
   proves the decimal of the finite ball x, which does not contain zero,
   returns its limbs (in m, 2 FAST_LIMBS + 1 limbs, or z's) and sets *mn*
   and *e10*; NULL otherwise. */
static mp_srcptr
prove_decimal(mp_ptr m, slong * mn, slong * e10, fmpz_t z, const arb_t x,
              slong digits, int fast)
{
    mp_srcptr res = NULL;
    fmpz_t e;

    if (fast && fast_round_decimal(m, mn, e10, x, digits))
        return m;
    fmpz_init(e);
    if (arb_round_decimal(z, e, x, digits))
    {
        res = fmpz_limbs(m, mn, z);
        *e10 = fmpz_get_si(e);
    }
    fmpz_clear(e);
    return res;
}

/* gc_arb_get_str_digits from the ends of a finite ball x that does not
   contain zero, in MPFR's widest range. */
static int
get_str_digits_ends(char ** str, slong * certified, const arb_t x,
                    slong digits)
{
    slong k, kmax, prec;
    arf_t lo, hi;
    mpfr_t mlo, mhi;
    char * m;

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

/* gc_arb_get_str_digits, with the decimals of gc_arb_has_digits and the
   limb-level test if *fast*, or converting afresh without them (the
   reference of the tests). */
static int
arb_get_str_digits(char ** str, slong * certified, const arb_t x,
                   slong digits, int fast)
{
    mp_limb_t buf[2 * FAST_LIMBS + 1];
    gc_expo_struct expo;
    mp_srcptr m = NULL;
    slong mn, e10;
    fmpz_t z;
    int status;

    if (digits < 1)
        gc_throw("gc_arb_get_str_digits: digits %ld < 1", (long) digits);
    if (arb_is_zero(x))
    {
        *str = str_dup("0");
        *certified = digits;
        return GC_SUCCESS;
    }
    /* a record is only kept for a ball with its digits */
    if (fast && (m = dcache_get_decimal(&mn, &e10, x, digits)) != NULL)
    {
        *str = decimal_str(m, mn, e10, digits, arf_sgn(arb_midref(x)) < 0);
        *certified = digits;
        return GC_SUCCESS;
    }
    *str = NULL;
    *certified = 0;
    if (!arb_is_finite(x) || arb_contains_zero(x) || !gc_arb_is_printable(x))
    {
        *str = str_dup("");
        return GC_UNABLE;
    }

    /* every point rounds as the midpoint does */
    fmpz_init(z);
    m = prove_decimal(buf, &mn, &e10, z, x, digits, fast);
    if (m != NULL)
    {
        *str = decimal_str(m, mn, e10, digits, arf_sgn(arb_midref(x)) < 0);
        *certified = digits;
    }
    fmpz_clear(z);
    if (m != NULL)
        return GC_SUCCESS;

    *str = str_dup("");
    GC_SAVE_EXPO(expo);
    status = get_str_digits_ends(str, certified, x, digits);
    GC_RESTORE_EXPO(expo);
    return status;
}

int
gc_arb_get_str_digits(char ** str, slong * certified, const arb_t x,
                      slong digits)
{
    return arb_get_str_digits(str, certified, x, digits, 1);
}

int
_gc_arb_get_str_digits_ref(char ** str, slong * certified, const arb_t x,
                           slong digits)
{
    return arb_get_str_digits(str, certified, x, digits, 0);
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

/* gc_arb_has_digits, as arb_get_str_digits says for *fast*. */
static int
has_digits(const arb_t x, slong digits, int fast)
{
    mp_limb_t buf[2 * FAST_LIMBS + 1];
    slong goal = (slong) (digits * GC_LOG2_10) + 3;
    slong certified, mn, e10;
    mp_srcptr m;
    fmpz_t z;
    char * s;
    int status;

    if (arb_is_zero(x))
        return 1;
    /* a ball with its digits is finite and does not contain zero, and
       printable if its exponent is a small fmpz */
    if (_gc_rel_accuracy_bits(x) < goal
        || (COEFF_IS_MPZ(ARF_EXP(arb_midref(x))) && !gc_arb_is_printable(x)))
        return 0;
    fmpz_init(z);
    m = prove_decimal(buf, &mn, &e10, z, x, digits, fast);
    if (m != NULL && fast)
        dcache_put(x, digits, m, mn, e10);
    fmpz_clear(z);
    if (m != NULL)
        return 1;
    status = arb_get_str_digits(&s, &certified, x, digits, fast);
    flint_free(s);
    return status == GC_SUCCESS;
}

int
gc_arb_has_digits(const arb_t x, slong digits)
{
    return has_digits(x, digits, 1);
}

int
_gc_arb_has_digits_ref(const arb_t x, slong digits)
{
    return has_digits(x, digits, 0);
}
