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
        ulong n = (ulong) (slong) (rad * 0x1p60) + 1, man; /* < 2^60 */
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

/* Sets the base of *c* to 10^(GC_FAST_POW10_STEP j) (fast_digits.c). */
void _gc_fast_pow10_base(gc_fast_pow10_struct * c, slong j);

/* The cheap cell test of the proof at the top of fast_digits.c, in
   double-double, or when *quick* its one-double form: 1 if it proves the
   digits, 0 if it cannot tell. */
static inline int
_gc_fast_cell_test(gc_fast_pow10_struct * c, double m, slong e, double rad,
          slong digits, int quick)
{
    const double lo10 = c->th[digits - 1], hi10 = c->th[digits];
    double rho, ph, pl, h, l, n, delta, w, t10, am = fabs(m);
    slong e10, i, k, j, d, s;

    if (FLINT_ABS(e) >= (WORD(1) << 40))
        return 0;
    rho = up((rad + 0x1p-60) * (1 + 0x1p-29) / am + 0x1p-93);
    /* floor, without the libm call: the conversion truncates */
    t10 = ((double) (e - 2) + 2 * am) * 0.30102999566398119521;
    e10 = (slong) t10;
    if ((double) e10 > t10)
        e10--;
    for (i = 0; i < 3; i++)
    {
        k = digits - 1 - e10;
        j = (k >= 0 ? k : k - GC_FAST_POW10_STEP + 1) / GC_FAST_POW10_STEP;
        d = k - GC_FAST_POW10_STEP * j;
        if (!c->valid || c->j != j)
            _gc_fast_pow10_base(c, j);
        s = e + c->be;
        if (quick)
        {
            h = am * (c->bh * c->th[d]);
            l = 0;
        }
        else
        {
            two_prod(&ph, &pl, c->bh, c->th[d]);
            pl += c->bh * c->tl[d] + c->bl * c->th[d];
            two_prod(&h, &l, am, ph);
            l += am * pl;
        }
        if (s < -1022 || s > 1023)
            return 0;
        h *= pow2(s);
        l *= pow2(s);
        if (!(h < 0x1p50))
        {
            e10++;
            continue;
        }
        n = (h + 0x1.8p52) - 0x1.8p52;
        if (n < lo10)
            e10--;
        else if (n >= hi10)
            e10++;
        else
        {
            delta = (h - n) + l;
            w = up(h * (quick ? up(rho + 0x1p-49) : rho));
            return delta + w <= 0.5 - 0x1p-40
                   && w - delta <= (n == lo10 ? 0.05 : 0.5) - 0x1p-40;
        }
    }
    return 0;
}

/* The double-double cell test, then gc_arb_has_digits: the end of
   _gc_fast_has_digits. */
int _gc_fast_has_digits_slow(gc_fast_pow10_struct * c, const arb_t b,
                             double m, slong e, double rad, slong digits);

/* Returns gc_arb_has_digits(b, digits) for the ball b that
   _gc_fast_get_arb(b, m, e, rad) set, 1 <= digits <= GC_FAST_DIGITS_MAX,
   in double and integer arithmetic where it can (the proof is at the top
   of fast_digits.c) and by gc_arb_has_digits itself where its test is
   too close to call.  Between GC_SAVE_EXPO and GC_RESTORE_EXPO. */
static inline int
_gc_fast_has_digits(gc_fast_pow10_struct * c, const arb_t b, double m,
                    slong e, double rad, slong digits)
{
    if (m == 0 && rad == 0)
        return 1;
    /* gc_arb_has_digits's accuracy goal, on the ball itself */
    if (_gc_rel_accuracy_bits(b) < (slong) (digits * GC_LOG2_10) + 3)
        return 0;
    if (_gc_fast_cell_test(c, m, e, rad, digits, 1))
    {
        c->quick++;
        return 1;
    }
    return _gc_fast_has_digits_slow(c, b, m, e, rad, digits);
}

#endif
