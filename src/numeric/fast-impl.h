/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* fast-impl.h -- what fast.c and fast_digits.c share: the ball of a
   fast value and the cheap test of its decimal digits.  Private to the
   library (and its Check programs). */

#ifndef GC_FAST_IMPL_H
#define GC_FAST_IMPL_H

#include <string.h>

#include "gc-impl.h"

/* Dekker's and Veltkamp's algorithms, and the error analysis, count
   one rounding per operation: gc-impl.h turns off contraction into fused
   multiply-adds. */

/* An upper bound of x, a sum of products (and quotients) of n <= 16
   nonnegative rounded terms: rounding to nearest makes such a result at
   most (1 - u)^-n times too small (fast.c's analysis). */
static inline double
up(double x)
{
    return x * (1 + 0x1p-48);
}

/* 2^k for -1022 <= k <= 1023, exactly. */
static inline double
pow2(slong k)
{
    uint64_t bits = (uint64_t) (k + 1023) << 52;
    double x;

    memcpy(&x, &bits, sizeof x);
    return x;
}

/* Splits a double into two halves of at most 26 bits (Veltkamp). */
static inline void
split(double * hi, double * lo, double a)
{
    double t = 134217729.0 * a;

    *hi = t - (t - a);
    *lo = a - *hi;
}

/* a b = *hi* + *lo* exactly, *hi* = fl(a b) (Dekker), when nothing
   overflows or underflows. */
static inline void
two_prod(double * hi, double * lo, double a, double b)
{
    double ah, al, bh, bl;

    split(&ah, &al, a);
    split(&bh, &bl, b);
    *hi = a * b;
    *lo = ((ah * bh - *hi) + ah * bl + al * bh) + al * bl;
}

/* The exact double-double 10^d, d < GC_FAST_POW10_STEP, is a table; the
   powers 10^(GC_FAST_POW10_STEP j) come from MPFR, one per block of
   decimal exponents. */
#define GC_FAST_POW10_STEP 32

/* The powers of ten of _gc_fast_has_digits for one evaluation (one per
   sequence of values whose decimal exponents change slowly: the base
   steps by 10^(+-GC_FAST_POW10_STEP) in double-double, and comes from
   MPFR again only after a jump or when its error bound has grown to
   2^-95), and counts of its answers. */
typedef struct
{
    double th[GC_FAST_POW10_STEP], tl[GC_FAST_POW10_STEP]; /* 10^d exactly */
    double sh, sl;      /* 10^STEP exactly */
    double mh, ml;      /* 10^-STEP within 2^-105, 1/2 <= mh < 1, */
    slong me;           /*   times 2^me; me = 0: not computed yet */
    int valid;          /* whether the base below is set */
    slong j;            /* of the base */
    double bh, bl;      /* 10^(STEP j) = (bh + bl) 2^be (1 + t), */
    slong be;           /*   |t| <= eb <= 2^-95, 1/2 <= bh < 1, */
    double eb;          /*   |bl| <= ulp(bh)/2 */
    mpfr_t x, y;        /* 128-bit scratch numbers for the base */
    slong quick, cheap; /* answers by the cheap test's quick form, by its
                           double-double form */
    slong exact;        /* answers by gc_arb_has_digits */
} gc_fast_pow10_struct;

void _gc_fast_pow10_init(gc_fast_pow10_struct * c);
void _gc_fast_pow10_clear(gc_fast_pow10_struct * c);

/* fmpz_set_si(f, e) for an exponent: the small value written in place
   when f holds no mpz (the common case: the call was a third of the
   cost of a ball). */
static inline void
exp_set(fmpz * f, slong e)
{
    if (!COEFF_IS_MPZ(*f) && e >= COEFF_MIN && e <= COEFF_MAX)
        *f = e;
    else
        fmpz_set_si(f, e);
}

/* Sets *b* to the ball of the value m 2^e (m a double, 1/2 <= |m| < 1,
   or m = 0 with e = 0) whose absolute error is at most rad 2^e
   (0 <= rad < 1): midpoint m 2^e exactly, radius rad 2^e rounded up
   (the proof is at the top of fast_digits.c). */
static inline void
_gc_fast_get_arb(arb_t b, double m, slong e, double rad)
{
    arf_struct * mid = arb_midref(b);
    mag_struct * r = arb_radref(b);

    /* written in place (the library calls cost more than the whole
       backward step): the midpoint's one limb holds the 53-bit integer
       |m| 2^53 at its top, exponent e; the radius is N = floor(rad 2^60)
       + 1 over 2^(e - 60), its top 30 bits plus one (an upper bound),
       exponent bits(N) + e - 60 (one more if the mantissa reached
       2^30) */
    if (m == 0)
        arf_zero(mid);
    else
    {
        ARF_DEMOTE(mid);
        ARF_NOPTR_D(mid)[0] = (mp_limb_t) (fabs(m) * 0x1p53) << 11;
        ARF_XSIZE(mid) = ARF_MAKE_XSIZE(1, m < 0);
        exp_set(ARF_EXPREF(mid), e);
    }
    if (rad == 0)
        mag_zero(r);
    else
    {
        ulong n = (ulong) (rad * 0x1p60) + 1, man;
        slong bits = FLINT_BIT_COUNT(n), ex = e - 60 + bits;

        man = bits <= MAG_BITS ? n << (MAG_BITS - bits)
                               : (n >> (bits - MAG_BITS)) + 1;
        if (man >> MAG_BITS)
        {
            man >>= 1;
            ex++;
        }
        MAG_MAN(r) = man;
        exp_set(MAG_EXPREF(r), ex);
    }
}

/* Returns gc_arb_has_digits(b, digits) for the ball b that
   _gc_fast_get_arb(b, m, e, rad) set, 1 <= digits <= GC_FAST_DIGITS_MAX,
   in double and integer arithmetic where it can (the proof is at the top
   of fast_digits.c) and by gc_arb_has_digits itself where its test is
   too close to call.  Between GC_SAVE_EXPO and GC_RESTORE_EXPO. */
int _gc_fast_has_digits(gc_fast_pow10_struct * c, const arb_t b, double m,
                        slong e, double rad, slong digits);

#endif
