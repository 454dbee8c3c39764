/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* random.c -- the reproducible Gaussian stream of random networks.

   The stream is part of the interface: a network drawn from (mu, sd,
   seed) is identical on every machine and in every gradchain version.
   Layer j (j >= 1) takes w_j = W(2j-2) and b_j = W(2j-1), where W(k) is
   computed from the counter k alone (so any layer can be drawn without
   the others) as follows.  All integer arithmetic is modulo 2^64.

   1. SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c):
          mix(z) = z ^= z >> 30, z *= 0xBF58476D1CE4E5B9,
                   z ^= z >> 27, z *= 0x94D049BB133111EB,
                   z ^= z >> 31, return z
      and output number c (c = 1, 2, ...) of the generator seeded with
      *seed* is X(c) = mix(seed + c * 0x9E3779B97F4A7C15).
   2. Two uniforms in (0, 1), never 0 nor 1, exact rationals:
          u1 = ((X(2k+1) >> 11) + 1/2) / 2^53,
          u2 = ((X(2k+2) >> 11) + 1/2) / 2^53.
   3. Box-Muller: N(k) is the binary64 number nearest to the real number
          sqrt(-2 ln u1) cos(2 pi u2).
      This is a definition, not an algorithm: it is computed with Arb
      balls, raising the precision until the ball proves the rounding
      (Ziv), so no libm, compiler or library version can change it.  (The
      real number is transcendental and not 0, so it is never a tie.)
      Since u1 >= 2^-54, |N| <= sqrt(108 ln 2) < 8.66.
   4. W(k) = fma(sd, N(k), mu): the binary64 nearest to mu + sd N(k), one
      IEEE 754 rounding (C99 fma is correctly rounded by definition).

   This uses the first two outputs of any standard SplitMix64 started from
   seed + 2k * 0x9E3779B97F4A7C15, so it can be checked against any
   independent implementation (tests/check_net.c does, with values
   computed by Python and bc at 60 digits).

   Computing it.  Evaluating the definition in Arb costs about 1.5 us per
   draw, most of it in arb_log and arb_cos_pi, so draws would dominate a
   streamed gradient.  A fast path (about 5 times faster) therefore
   encloses N(k)^2 first in 128-bit fixed-point integer arithmetic with
   2^-120 as unit: log by 2 atanh((m-1)/(m+1)) after an exact reduction of
   u1 to m in [1/sqrt 2, sqrt 2], the cosine by an exact reduction of 2 u2
   to an angle in (0, pi/4] and a Taylor polynomial.  Every truncation is
   bounded, so the result is an interval of integers known to contain
   N(k)^2 2^120; a binary64 candidate for N(k) is then proven to be the
   nearest by comparing the squares of the two rounding boundaries around
   it with that interval, exactly.  When that fails (about once in 2^38
   draws) the Arb evaluation above decides.  The proof uses integers
   only: libm, the rounding mode and the compiler's floating-point choices
   can change which candidate is tried (so the speed), never the result.
   Without a 128-bit integer type only the Arb path is compiled, with the
   same results. */

#include <math.h>
#include <stdint.h>

#include "net-impl.h"

/* The first precision tried; the Ziv loop doubles it when the ball
   cannot decide the rounding (about one draw in 10^6 at 80 bits). */
#define GC_RANDOM_PREC 80

static uint64_t
gc_splitmix64(uint64_t seed, uint64_t c)
{
    uint64_t z = seed + c * UINT64_C(0x9E3779B97F4A7C15);

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Sets u to ((x >> 11) + 1/2) / 2^53, exactly. */
static void
gc_uniform(arb_t u, uint64_t x)
{
    /* x >> 11 < 2^53 is exact as a double, 2 (x >> 11) + 1 < 2^54 */
    arb_set_d(u, (double) (x >> 11));
    arb_mul_2exp_si(u, u, 1);
    arb_add_ui(u, u, 1, 64);
    arb_mul_2exp_si(u, u, -54);
}

/* Returns N(k) of the stream evaluated with Arb balls (the definition). */
static double
gc_normal_arb(uint64_t seed, uint64_t k)
{
    /* arf_get_d goes through MPFR: keep the caller's MPFR flags */
    mpfr_flags_t flags = mpfr_flags_save();
    arb_ptr t = _arb_vec_init(3);
    slong prec;
    double n;

    for (prec = GC_RANDOM_PREC;; prec *= 2)
    {
        /* t0 = sqrt(-2 ln u1), t1 = cos(pi * 2 u2), t2 = t0 t1 */
        gc_uniform(t, gc_splitmix64(seed, 2 * k + 1));
        arb_log(t, t, prec);
        arb_mul_si(t, t, -2, prec);
        arb_sqrt(t, t, prec);
        gc_uniform(t + 1, gc_splitmix64(seed, 2 * k + 2));
        arb_mul_2exp_si(t + 1, t + 1, 1);
        arb_cos_pi(t + 1, t + 1, prec);
        arb_mul(t + 2, t, t + 1, prec);
        if (arb_can_round_arf(t + 2, 53, ARF_RND_NEAR))
            break;
    }
    n = arf_get_d(arb_midref(t + 2), ARF_RND_NEAR);
    _arb_vec_clear(t, 3);
    mpfr_flags_restore(flags, MPFR_FLAGS_ALL);
    return n;
}

#if defined(__SIZEOF_INT128__) && GMP_LIMB_BITS == 64

/* ---- the fast path: fixed point with unit u = 2^-120 ----------------

   A fixed-point number is an unsigned 128-bit integer x standing for
   x u (values below 2^8).  Error bounds are in units of u; the comments
   derive them (|s| <= 0.1716, theta <= pi/4 < 0.7854, products of
   errors by errors, below 2^-100, are left out). */

__extension__ typedef unsigned __int128 gc_u128;

#define GC_FX 120
#define GC_FX_ONE ((gc_u128) 1 << GC_FX)
#define GC_U128(hi, lo) (((gc_u128) UINT64_C(hi) << 64) | UINT64_C(lo))

/* pi and ln 2 in units of u, rounded down (bc -l, obase=16) */
#define GC_FX_PI GC_U128(0x3243F6A8885A308, 0xD313198A2E037073)
#define GC_FX_LN2 GC_U128(0xB17217F7D1CF79, 0xABC9E3B39803F2F6)

/* Bounds of |computed - exact|: GC_FX_ERR_LOG for -ln u1 and
   GC_FX_ERR_COS for |cos 2 pi u2| (see the functions).  The polynomials
   stop at about 2^-100, which makes the fast path fail about once in
   2^38 draws: more terms would cost time and gain nothing. */
#define GC_FX_ERR_LOG (1 << 23)
#define GC_FX_ERR_COS (1 << 14)

/* floor(2^120 / k!) for k = 0..27.  Nested floor divisions are exact:
   floor(floor(x / a) / b) = floor(x / (a b)) for positive integers. */
#define GC_IF0 GC_FX_ONE
#define GC_IF1 GC_IF0
#define GC_IF2 (GC_IF1 / 2)
#define GC_IF3 (GC_IF2 / 3)
#define GC_IF4 (GC_IF3 / 4)
#define GC_IF5 (GC_IF4 / 5)
#define GC_IF6 (GC_IF5 / 6)
#define GC_IF7 (GC_IF6 / 7)
#define GC_IF8 (GC_IF7 / 8)
#define GC_IF9 (GC_IF8 / 9)
#define GC_IF10 (GC_IF9 / 10)
#define GC_IF11 (GC_IF10 / 11)
#define GC_IF12 (GC_IF11 / 12)
#define GC_IF13 (GC_IF12 / 13)
#define GC_IF14 (GC_IF13 / 14)
#define GC_IF15 (GC_IF14 / 15)
#define GC_IF16 (GC_IF15 / 16)
#define GC_IF17 (GC_IF16 / 17)
#define GC_IF18 (GC_IF17 / 18)
#define GC_IF19 (GC_IF18 / 19)
#define GC_IF20 (GC_IF19 / 20)
#define GC_IF21 (GC_IF20 / 21)
#define GC_IF22 (GC_IF21 / 22)
#define GC_IF23 (GC_IF22 / 23)
#define GC_IF24 (GC_IF23 / 24)
#define GC_IF25 (GC_IF24 / 25)
#define GC_IF26 (GC_IF25 / 26)
#define GC_IF27 (GC_IF26 / 27)

static const gc_u128 gc_fx_invfac[28] = {
    GC_IF0, GC_IF1, GC_IF2, GC_IF3, GC_IF4, GC_IF5, GC_IF6, GC_IF7,
    GC_IF8, GC_IF9, GC_IF10, GC_IF11, GC_IF12, GC_IF13, GC_IF14, GC_IF15,
    GC_IF16, GC_IF17, GC_IF18, GC_IF19, GC_IF20, GC_IF21, GC_IF22, GC_IF23,
    GC_IF24, GC_IF25, GC_IF26, GC_IF27
};

/* floor(2^120 / (2i + 1)) for i = 0..17: the atanh series */
#define GC_FX_INV(d) (GC_FX_ONE / (d))
static const gc_u128 gc_fx_invodd[18] = {
    GC_FX_INV(1), GC_FX_INV(3), GC_FX_INV(5), GC_FX_INV(7), GC_FX_INV(9),
    GC_FX_INV(11), GC_FX_INV(13), GC_FX_INV(15), GC_FX_INV(17),
    GC_FX_INV(19), GC_FX_INV(21), GC_FX_INV(23), GC_FX_INV(25),
    GC_FX_INV(27), GC_FX_INV(29), GC_FX_INV(31), GC_FX_INV(33),
    GC_FX_INV(35)
};

/* Returns floor(a b / 2^120), which must be below 2^128: the product
   rounded down, error in [0, 1). */
static inline gc_u128
gc_fx_mul(gc_u128 a, gc_u128 b)
{
    uint64_t a1 = (uint64_t) (a >> 64), a0 = (uint64_t) a;
    uint64_t b1 = (uint64_t) (b >> 64), b0 = (uint64_t) b;
    gc_u128 p00 = (gc_u128) a0 * b0, p01 = (gc_u128) a0 * b1;
    gc_u128 p10 = (gc_u128) a1 * b0, p11 = (gc_u128) a1 * b1;
    gc_u128 mid = (p00 >> 64) + (uint64_t) p01 + (uint64_t) p10;
    gc_u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);

    /* a b = hi 2^128 + (mid mod 2^64) 2^64 + (p00 mod 2^64) */
    return (hi << 8) | ((uint64_t) mid >> 56);
}

/* Sets *ev* and *od* to sum_{j < len} c[2 j step] x^j and sum_{j < len}
   c[(2 j + 1) step] x^j: the even and odd halves of sum_i c[i step] y^i,
   x = y^2, as two independent Horner chains (they run in parallel).
   Each step errs by < 2 + |x error| * (the partial sum) + x * (the
   previous error). */
static inline void
gc_fx_horner2(gc_u128 * ev, gc_u128 * od, const gc_u128 * c, int step,
              int len, gc_u128 x)
{
    gc_u128 e = c[(2 * len - 2) * step], o = c[(2 * len - 1) * step];
    int j;

    for (j = len - 2; j >= 0; j--)
    {
        e = c[2 * j * step] + gc_fx_mul(x, e);
        o = c[(2 * j + 1) * step] + gc_fx_mul(x, o);
    }
    *ev = e;
    *od = o;
}

static inline int
gc_u128_bits(gc_u128 x)
{
    uint64_t hi = (uint64_t) (x >> 64);

    return hi != 0 ? 64 + (int) FLINT_BIT_COUNT(hi)
                   : (int) FLINT_BIT_COUNT((uint64_t) x);
}

/* Returns -ln(n1 / 2^54) for odd n1 < 2^54, within GC_FX_ERR_LOG.

   n1 = 2^e m exactly with m in [1/sqrt 2, sqrt 2], and -ln u1 =
   (54 - e) ln 2 - ln m, ln m = 2 atanh s, s = (n1 - 2^e) / (n1 + 2^e),
   |s| <= (sqrt 2 - 1) / (sqrt 2 + 1) < 0.1716.  atanh |s| = |s| P(t),
   t = s^2 < 0.02944, P(t) = sum_i t^i / (2i + 1) = E(t^2) + t O(t^2) to
   i = 17.  Errors: |s| rounded down, < 1; t, < 1 + 2 |s| < 1.35; t^2,
   < 1 + 2 t 1.35 < 1.1; the Horner chains (partial sums < 0.21), < 2.24;
   E + t O (O < 0.34), < 2.24 + 1 + 1.35 0.34 + t 2.24 < 3.8; |s| P
   (P < 1.031), < 1 + 1.031 + 0.1716 3.8 < 2.7, doubled < 5.4; (54 - e)
   ln 2, < 54; the tail 2 |s| t^18 / 37 / (1 - t) < 2^-98.2 < 2^22 - 60. */
static gc_u128
gc_fx_minus_log(uint64_t n1)
{
    int e = (int) FLINT_BIT_COUNT(n1) - 1;
    uint64_t p, d, den;
    gc_u128 s, t, q, ev, od, h, l;

    if ((gc_u128) n1 * n1 > (gc_u128) 1 << (2 * e + 1))
        e++;
    p = UINT64_C(1) << e;
    d = n1 >= p ? n1 - p : p - n1;
    den = n1 + p;

    /* s = floor(d 2^120 / den) by two exact divisions (d < den < 2^56) */
    q = ((gc_u128) d << 72) / den;
    s = ((gc_u128) d << 72) - q * den;
    s = (q << 48) | ((s << 48) / den);

    t = gc_fx_mul(s, s);
    gc_fx_horner2(&ev, &od, gc_fx_invodd, 1, 9, gc_fx_mul(t, t));
    h = 2 * gc_fx_mul(s, ev + gc_fx_mul(t, od));

    /* (54 - e) ln 2 - ln m is >= ln 2 / 2 when m >= 1: no wrap-around */
    l = (gc_u128) (54 - e) * GC_FX_LN2;
    return n1 >= p ? l - h : l + h;
}

/* Returns |cos(2 pi n2 / 2^54)| for odd n2 < 2^54, within GC_FX_ERR_COS,
   and sets *neg* to 1 when the cosine is negative.

   2 u2 = n2 / 2^53 = q / 2 + f exactly, with quadrant q = 0..3 and f in
   (0, 1/2); cos(pi (q/2 + f)) is cos(pi f), -sin(pi f), -cos(pi f) or
   sin(pi f), and f > 1/4 turns cos(pi f) into sin(pi (1/2 - f)) and back.
   So the result is sin or cos of theta = pi g, g = m / 2^53 in (0, 1/4],
   evaluated as E(t^2) - t O(t^2), t = theta^2, with the Taylor
   coefficients c_i = 1/(2i)! (cos) or 1/(2i+1)! (sin / theta) to i = 13.
   Errors: theta < 0.7854 is < 1.25 too low (pi rounded down, and the
   product); t < 0.6169, < 1 + 2 theta 1.25 < 2.97; t^2 < 0.3806, < 1 +
   2 t 2.97 < 4.67; the Horner chains (partial sums < 0.042), < 2.2 /
   (1 - 0.3806) < 3.6; E - t O (O < 0.501), < 3.6 + 1 + 2.97 0.501 +
   0.617 3.6 < 8.4; the product by theta (sin, P < 1), < 1 + 1.25 +
   0.7854 8.4 < 8.9; the tail (alternating, decreasing terms) is below
   theta^28 / 28! < 2^-107.7 < 2^14 - 9. */
static gc_u128
gc_fx_abs_cos_2pi(int * neg, uint64_t n2)
{
    int q = (int) (n2 >> 52), sine = q & 1;
    uint64_t m = n2 & ((UINT64_C(1) << 52) - 1);
    gc_u128 theta, t, ev, od, h;

    *neg = (q == 1 || q == 2);
    if (m > UINT64_C(1) << 51)
    {
        m = (UINT64_C(1) << 52) - m;
        sine ^= 1;
    }
    theta = gc_fx_mul(GC_FX_PI, (gc_u128) m << 67);
    t = gc_fx_mul(theta, theta);
    gc_fx_horner2(&ev, &od, gc_fx_invfac + sine, 2, 7, gc_fx_mul(t, t));
    h = ev - gc_fx_mul(t, od);
    return sine ? gc_fx_mul(theta, h) : h;
}

/* Sets *n* to N(k) and returns 1, or returns 0 when the enclosure does
   not decide the rounding. */
static int
gc_normal_fx(double * n, uint64_t seed, uint64_t k)
{
    uint64_t n1 = 2 * (gc_splitmix64(seed, 2 * k + 1) >> 11) + 1;
    uint64_t n2 = 2 * (gc_splitmix64(seed, 2 * k + 2) >> 11) + 1;
    gc_u128 a, c, lo, hi, q, b;
    int neg, ex, ue;
    double x, r;

    /* N^2 = (-2 ln u1) cos^2(2 pi u2) is in [lo u, hi u].  -2 ln u1 >=
       2^-53 and |cos 2 pi u2| >= sin(pi 2^-53) > 2^-52 are far above
       their errors, so the subtractions do not wrap around. */
    a = 2 * gc_fx_minus_log(n1);
    c = gc_fx_abs_cos_2pi(&neg, n2);
    lo = gc_fx_mul(a - 2 * GC_FX_ERR_LOG, gc_fx_mul(c - GC_FX_ERR_COS,
                                                    c - GC_FX_ERR_COS));
    hi = gc_fx_mul(a + 2 * GC_FX_ERR_LOG,
                   gc_fx_mul(c + GC_FX_ERR_COS, c + GC_FX_ERR_COS) + 1) + 1;

    /* A candidate q 2^ue u for |N|, q of 53 bits: a binary64 square root
       corrected by one Newton step (N - x = (N^2 - x^2) / 2x).  Its
       accuracy only matters for speed: the test below is exact. */
    x = frexp(sqrt(ldexp((double) lo, -GC_FX)), &ex);
    ue = ex + GC_FX - 53;
    if (ue < 1)
        return 0;
    q = (gc_u128) ldexp(x, 53);
    b = q << ue;
    r = (double) (__extension__ (__int128) (lo - gc_fx_mul(b, b)));
    q += (gc_u128) (__extension__ (__int128)
                    floor(ldexp(r / (double) q, GC_FX - 1 - 2 * ue) + 0.5));

    /* q 2^ue u = RN(|N|) iff (q -+ 1/2) 2^ue u enclose |N|: compare the
       squares, rounded outwards.  q = 2^52 is left to Arb (the boundary
       below it is 1/4 ulp away), as is a candidate that left the binade. */
    if (q <= (gc_u128) 1 << 52 || q >= (gc_u128) 1 << 53)
        return 0;
    b = (2 * q - 1) << (ue - 1);
    if (gc_fx_mul(b, b) + 1 >= lo)
        return 0;
    b = (2 * q + 1) << (ue - 1);
    if (gc_fx_mul(b, b) <= hi)
        return 0;
    *n = ldexp((double) (uint64_t) q, ue - GC_FX);
    if (neg)
        *n = -*n;
    return 1;
}

#endif /* __SIZEOF_INT128__ && GMP_LIMB_BITS == 64 */

/* Returns N(k) of the stream: the fast enclosure when it decides, else
   the Arb evaluation. */
static double
gc_normal_n(uint64_t seed, uint64_t k)
{
#if defined(__SIZEOF_INT128__) && GMP_LIMB_BITS == 64
    double n;

    if (gc_normal_fx(&n, seed, k))
        return n;
#endif
    return gc_normal_arb(seed, k);
}

void
gc_normal_draw(double * w, double * b, const gc_normal_t normal, slong j)
{
    uint64_t seed = (uint64_t) normal->seed;

    if (j < 1)
        gc_throw("gc_normal_draw: layer %ld < 1", (long) j);
    *w = fma(normal->sd, gc_normal_n(seed, 2 * (uint64_t) j - 2),
             normal->mu);
    *b = fma(normal->sd, gc_normal_n(seed, 2 * (uint64_t) j - 1),
             normal->mu);
}
