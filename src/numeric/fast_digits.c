/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* fast_digits.c -- the balls of the fast path and the cheap test of
   their decimal digits.

   PROOF that _gc_fast_has_digits returns gc_arb_has_digits(b, D).

   The ball.  _gc_fast_get_arb makes b = [X - R, X + R], X = m 2^e,
   1/2 <= |m| < 1, R = rad 2^e rounded up: N = floor(rad 2^60) + 1 over
   2^(e - 60), then rounded up to 30 bits (plus one unit of the 30th
   bit when bits are dropped), so
   R <= (rad + 2^-60)(1 + 2^-29) 2^e and R/|X| <= rho_b =
   (rad + 2^-60)(1 + 2^-29)/|m|.

   What gc_arb_has_digits(b, D) does (ball_digits.c): 1 for the zero
   ball; 0 if arb_rel_accuracy_bits(b) < goal = floor(D log2 10) + 3 (or
   b is not printable: never, an slong exponent has at most 64 bits);
   otherwise 1 if and only if the ball's points are proved to round to
   one D-digit decimal, by arb_round_decimal or by rounding the two
   endpoints with MPFR (exact here: mid and radius have at most 61 bits
   together, and the endpoints are computed at 53 + 64 bits or more).
   So if every point t of |b| 10^k, k = D - 1 - e10, lies in the open
   cell (n - 1/2, n + 1/2) of an integer 10^(D-1) <= n < 10^D (or in
   (n - 1/20, n + 1/2) for n = 10^(D-1): the points just below n are
   printed, one decade lower, as 10^D, the same string), both endpoints
   round to nearest to n 10^-k and MPFR's strings are equal: the answer
   is 1.  The zero test and the accuracy test are done exactly as there
   (on the ball itself); only the cell test is cheap, and where it does
   not succeed gc_arb_has_digits is called.  So the answer is always
   gc_arb_has_digits's, and the printed digits are those of the ball.

   The cheap cell test (u = 2^-53).
   - e10 = floor((e - 2 + 2 |m|) log10 2) in double, for |e| < 2^40:
     log10 |X| less at most 0.026 (2 |m| - 1 is within 0.086 below
     log2(2 |m|)), and the product errs by less than 2^-12; a wrong e10
     only moves the decade, which is checked: n must land in
     [10^(D-1), 10^D), else e10 moves by one, three tries.
   - 10^k, k = STEP j + d, 0 <= d < STEP = 32: th[d] + tl[d] = 10^d
     exactly (10^d is exact for d <= 22, and 10^22 10^(d-22) is exactly
     a Dekker product; so is 10^32); 10^(STEP j) = (bh + bl) 2^be
     (1 + t_b), |t_b| <= eb <= 2^-95: from MPFR, eb = 2^-105 (its
     correctly rounded power at 128 bits, 2^-128, then bh = RN_53, and
     bl = RN(rest), |bl| <= 2^-54, within 2^-107 of the rest, that is
     2^-106 of bh >= 1/2); or one step from the base of j -+ 1, times
     the exact 10^32 or times 10^-32 (from MPFR, within 2^-105), a
     double-double product as P below (2^-102) renormalised exactly
     (Fast2Sum, a power of two): eb grows to (1 + eb)(1 + 2^-102)
     (1 + 2^-105) - 1 <= eb (1 + 2^-101) + 2^-101, and steps are taken
     only from eb <= 2^-96.
   - P = (bh + bl)(th + tl): ph + pl1 = bh th exactly (Dekker), pl =
     fl(pl1 + fl(fl(bh tl) + fl(bl th))), bl tl dropped: each of the
     four roundings and the dropped term is at most 2^-106, 2^-106,
     2^-105, 2^-104, 2^-106 of P, so ph + pl = P (1 + t_p),
     |t_p| <= 2^-102.
   - |m| (ph + pl) = h + l with h + l1 = |m| ph exactly, l = fl(l1 +
     fl(|m| pl)): |t_m| <= 2^-102 likewise, and |l| <= 2^-51 h.
   - So T = |X| 10^k = (h + l) 2^s (1 + theta), s = e + be,
     |theta| <= eb + 2^-101 + 2^-190 < 2^-94.9; h 2^s and l 2^s are exact (s in [-1022, 1023]
     and h 2^s >= 1/2; l 2^s may underflow, by at most 2^-1075, far
     below the margin below), and h, l now denote them.
   - n = rint(h) (the 1.5 2^52 trick, h < 2^50), delta = fl((h - n) + l)
     with h - n exact (Sterbenz: n >= 1, |h - n| <= 1/2), so delta is
     h + l - n within 2^-53.
   - The points of |b| 10^k lie within T rho_b of T, hence within
     (h + l)(rho_b + 2^-93) of h + l (rho_b + |theta| + rho_b |theta|,
     rho_b <= 1); w = up(h up(rho_b + 2^-93)) bounds that, up() of the
     rounded quotient and sums and of the factor h + l <= h (1 + 2^-51).
   - Cell: fl(delta + w) <= 1/2 - 2^-40 and fl(w - delta) <= 1/2 -
     2^-40 (1/20 - 2^-40 at n = 10^(D-1); the double 0.05 exceeds 1/20
     by less than 2^-57): the sums err by at most 2^-52
     with delta's error, far inside the margin, so the ball is strictly
     inside the cell.  Values within 2^-40 units of the last digit of a
     boundary go to gc_arb_has_digits.
   - The quick form, tried first: h = fl(|m| fl(bh th[d])) 2^s, l = 0.
     bh = (bh + bl)(1 + t1), |t1| <= 2^-54/(1/2 - 2^-54) <= u (1 + u);
     th[d] = 10^d (1 + t2), |t2| <= u; two roundings (no underflow: the
     factors are at least 1/2, 1/2 and 1); with the base's t_b, h =
     T (1 + theta'), |theta'| <= 4.01 u + 2 eb < 2^-50.9, so |h - T| <=
     h 2^-50 and the ball's points lie within h (rho_b + 2^-49) of h
     (rho_b <= 1): w = up(h up(rho + 2^-49)).  delta = h - n is exact
     as above, and the cell test is the same.  It decides every value
     but those within about h 2^-49 of a boundary, which the
     double-double form then tries: three roundings and no Dekker
     product instead of two Dekker products and six. */

#include <math.h>
#include <string.h>

#include "numeric/fast-impl.h"

void
_gc_fast_pow10_init(gc_fast_pow10_struct * c)
{
    slong d;

    c->th[0] = 1;
    c->tl[0] = 0;
    for (d = 1; d <= 22; d++)
    {
        c->th[d] = 10 * c->th[d - 1];
        c->tl[d] = 0;
    }
    for (; d < GC_FAST_POW10_STEP; d++)
        two_prod(c->th + d, c->tl + d, c->th[22], c->th[d - 22]);
    /* 10^32 = 10^22 10^10 */
    two_prod(&c->sh, &c->sl, c->th[22], c->th[GC_FAST_POW10_STEP - 22]);
    c->me = 0;
    c->valid = 0;
    c->j = 0;
    c->quick = c->cheap = c->exact = 0;
    mpfr_init2(c->x, 128);
    mpfr_init2(c->y, 128);
}

void
_gc_fast_pow10_clear(gc_fast_pow10_struct * c)
{
    mpfr_clear(c->x);
    mpfr_clear(c->y);
}

/* 10^(STEP j) rounded to 128 bits by MPFR (2^-128), as *h* + *l*
   times 2^*e*: *h* = RN_53 in [1/2, 1) and *l* the rest, exact at 128
   bits, rounded (within 2^-107, that is 2^-106 of h): within 2^-105. */
static void
pow10_mpfr(double * h, double * l, slong * e, gc_fast_pow10_struct * c,
           slong j)
{
    long be;

    mpfr_set_ui(c->x, 10, MPFR_RNDN);
    mpfr_pow_si(c->x, c->x, (long) (GC_FAST_POW10_STEP * j), MPFR_RNDN);
    *h = mpfr_get_d_2exp(&be, c->x, MPFR_RNDN);
    mpfr_set_d(c->y, *h, MPFR_RNDN);
    mpfr_mul_2si(c->y, c->y, be, MPFR_RNDN);
    mpfr_sub(c->y, c->x, c->y, MPFR_RNDN);
    mpfr_mul_2si(c->y, c->y, -be, MPFR_RNDN);
    *l = mpfr_get_d(c->y, MPFR_RNDN);
    *e = be;
}

/* (h + l) 2^e, h, l from a product of double-doubles, as *c*'s base:
   renormalised exactly (Fast2Sum, then a power of two). */
static void
set_base(gc_fast_pow10_struct * c, double h, double l, slong e)
{
    double s = h + l;
    uint64_t bits;
    slong ex;

    l = l - (s - h);
    memcpy(&bits, &s, sizeof bits);
    ex = (slong) ((bits >> 52) & 0x7ff) - 1022;
    c->bh = s * pow2(-ex);
    c->bl = l * pow2(-ex);
    c->be = e + ex;
}

/* (h + l) = (bh + bl)(ph + pl) within 2^-102 (the proof's P), for
   double-doubles with |bl| <= ulp(bh)/2, |pl| <= ulp(ph)/2 (pl may be
   0). */
static void
dd_mul(double * h, double * l, double bh, double bl, double ph, double pl)
{
    two_prod(h, l, bh, ph);
    *l += bh * pl + bl * ph;
}

/* Sets the base of *c* to 10^(STEP j): one step from the base of j - 1
   (times the exact 10^STEP) or of j + 1 (times 10^-STEP, within 2^-105)
   while the error bound stays below 2^-95; otherwise from MPFR. */
void
_gc_fast_pow10_base(gc_fast_pow10_struct * c, slong j)
{
    double h, l;
    int up_step = c->valid && c->j == j - 1, down_step = c->valid
                                                         && c->j == j + 1;

    if ((up_step || down_step) && c->eb <= 0x1p-96)
    {
        if (down_step && c->me == 0)
            pow10_mpfr(&c->mh, &c->ml, &c->me, c, -1);
        if (up_step)
            dd_mul(&h, &l, c->bh, c->bl, c->sh, c->sl);
        else
            dd_mul(&h, &l, c->bh, c->bl, c->mh, c->ml);
        set_base(c, h, l, c->be + (up_step ? 0 : c->me));
        /* (1 + eb)(1 + 2^-102)(1 + 2^-105) - 1 */
        c->eb = up(c->eb * (1 + 0x1p-101) + 0x1p-101);
    }
    else
    {
        pow10_mpfr(&h, &l, &c->be, c, j);
        c->bh = h;
        c->bl = l;
        c->eb = 0x1p-105;
    }
    c->j = j;
    c->valid = 1;
}

int
_gc_fast_has_digits_slow(gc_fast_pow10_struct * c, const arb_t b, double m,
                         slong e, double rad, slong digits)
{
    if (_gc_fast_cell_test(c, m, e, rad, digits, 0))
    {
        c->cheap++;
        return 1;
    }
    c->exact++;
    return gc_arb_has_digits(b, digits);
}
