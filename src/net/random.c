/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* random.c -- the reproducible streams of random networks.

   The streams are part of the interface: a network drawn from (weights'
   distribution, biases' distribution, fan-in rule, seed) is identical on
   every machine and in every gradchain version.  Layer j (j >= 1) takes
   w_j = W(2j-2) from the weights' distribution (after the fan-in
   scaling of gc_random_get_weights) and b_j = W(2j-1) from the biases',
   where the draw W(k) of a distribution is computed from the counter k
   alone (so any layer can be drawn without the others) as follows.  All
   integer arithmetic is modulo 2^64.

   1. SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c):
          mix(z) = z ^= z >> 30, z *= 0xBF58476D1CE4E5B9,
                   z ^= z >> 27, z *= 0x94D049BB133111EB,
                   z ^= z >> 31, return z
      and output number c (c = 1, 2, ...) of the generator seeded with
      *seed* is X(c) = mix(seed + c * 0x9E3779B97F4A7C15).
   2. Two uniforms in (0, 1), never 0 nor 1, exact rationals:
          u1 = ((X(2k+1) >> 11) + 1/2) / 2^53,
          u2 = ((X(2k+2) >> 11) + 1/2) / 2^53.
   3. normal:MU,SD (binary64 mu and sd).  Box-Muller: N(k) is the binary64
      number nearest to the real number
          sqrt(-2 ln u1) cos(2 pi u2).
      This is a definition, not an algorithm: it is computed with Arb
      balls, raising the precision until the ball proves the rounding
      (Ziv), so no libm, compiler or library version can change it.  (The
      real number is transcendental and not 0, so it is never a tie.)
      Since u1 >= 2^-54, |N| <= sqrt(108 ln 2) < 8.66.
      W(k) = fma(sd, N(k), mu): the binary64 nearest to mu + sd N(k), one
      IEEE 754 rounding (C99 fma is correctly rounded by definition).
   4. uniform:LO,HI (binary64 lo <= hi).  W(k) is the binary64 number
      nearest to the rational
          lo + (hi - lo) u1 = (lo (2^54 - n) + hi n) / 2^54,
      n = 2 (X(2k+1) >> 11) + 1 (ties to even; subnormals included).  It
      lies in [lo, hi]: never outside, lo and hi themselves only by
      rounding.  Computed exactly with MPFR (the sum at 2176 bits holds
      every bit of both products, then one rounding by mpfr_get_d, to
      the subnormals' precision below 2^-1022), so it depends on no
      floating-point environment either; about 300 ns a draw, twice a
      normal one.  u2 is not used.
   5. const:V.  W(k) = v, no output of the generator is used.

   Wide networks (gc_wnet_set_random) number their parameters as
   gc_wnet_param_index does, layer after layer, row after row (the row
   of neuron i of layer l: W^l_{i1}, ..., W^l_{i n_{l-1}}, then b^l_i),
   and the parameter of index idx is W(idx) of its distribution: the
   weights' scaled by gc_random_get_weights for fan_in = n_{l-1} and
   fan_out = n_l, or the biases'.  With every width 1 the indices are
   2j-2 and 2j-1: the chain's stream.

   This uses the first two outputs of any standard SplitMix64 started from
   seed + 2k * 0x9E3779B97F4A7C15, so it can be checked against any
   independent implementation (tests/check_net.c does, with values
   computed by Python and bc at 60 digits, and for the uniform draws by
   Python's fractions).

   Computing the normal draws.  Evaluating the definition in Arb costs about 1.5 us per
   draw, most of it in arb_log and arb_cos_pi, so draws would dominate a
   streamed gradient.  A fast path (about 8 times faster) therefore
   encloses N(k)^2 first in fixed-point integer arithmetic (128-bit, unit
   2^-120, with the high-order terms of the series in 64 bits): log by
   2 atanh((m-1)/(m+1)) after an exact reduction of u1 to m in [1/sqrt 2,
   sqrt 2], the cosine by an exact reduction of 2 u2 to an angle in (0,
   pi/4] and a Taylor series.  Every truncation is bounded, so the result
   is an interval of integers known to contain N(k)^2 2^120; a binary64
   candidate for N(k) is then proven to be the nearest by comparing the
   squares of the two rounding boundaries around it with that interval,
   exactly.  When that fails (about one draw in 3 10^5, and regularly
   when u1 is next to 1) the Arb evaluation above decides.  The proof
   uses integers only: libm, the rounding mode and the compiler's
   floating-point choices can change which candidate is tried (so the
   speed), never the result.  Without a 128-bit integer type only the Arb
   path is compiled, with the same results. */

#include <math.h>
#include <stdint.h>

#include "net-impl.h"

/* The first precision tried; the Ziv loop doubles it when the ball
   cannot decide the rounding (about one draw in 10^6 at 80 bits). */
#define GC_RANDOM_PREC 80

static uint64_t
splitmix64(uint64_t seed, uint64_t c)
{
    uint64_t z = seed + c * UINT64_C(0x9E3779B97F4A7C15);

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Sets u to ((x >> 11) + 1/2) / 2^53, exactly. */
static void
uniform(arb_t u, uint64_t x)
{
    /* x >> 11 < 2^53 is exact as a double, 2 (x >> 11) + 1 < 2^54 */
    arb_set_d(u, (double) (x >> 11));
    arb_mul_2exp_si(u, u, 1);
    arb_add_ui(u, u, 1, 64);
    arb_mul_2exp_si(u, u, -54);
}

/* Returns N(k) of the stream evaluated with Arb balls (the definition). */
static double
normal_arb(uint64_t seed, uint64_t k)
{
    /* arf_get_d goes through MPFR: keep the caller's MPFR flags */
    mpfr_flags_t flags = mpfr_flags_save();
    arb_ptr t = _arb_vec_init(3);
    slong prec;
    double n;

    for (prec = GC_RANDOM_PREC;; prec *= 2)
    {
        /* t0 = sqrt(-2 ln u1), t1 = cos(pi * 2 u2), t2 = t0 t1 */
        uniform(t, splitmix64(seed, 2 * k + 1));
        arb_log(t, t, prec);
        arb_mul_si(t, t, -2, prec);
        arb_sqrt(t, t, prec);
        uniform(t + 1, splitmix64(seed, 2 * k + 2));
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
   derive them (|s| <= 0.1716, theta <= pi/4 < 0.7854; products of
   errors by errors, below 2^-100, are left out). */

__extension__ typedef unsigned __int128 gc_u128;

#define GC_FX 120
#define GC_FX_ONE ((gc_u128) 1 << GC_FX)
#define GC_U128(hi, lo) (((gc_u128) UINT64_C(hi) << 64) | UINT64_C(lo))

/* pi and ln 2 in units of u, rounded down (bc -l, obase=16) */
#define GC_FX_PI GC_U128(0x3243F6A8885A308, 0xD313198A2E037073)
#define GC_FX_LN2 GC_U128(0xB17217F7D1CF79, 0xABC9E3B39803F2F6)

/* Bounds of |computed - exact|: GC_FX_ERR_LOG for -ln u1 and
   GC_FX_ERR_COS for |cos 2 pi u2| (derived in the functions: 2^44 + 54
   and 2^41.2).  The series stop near 2^-80 and their high-order parts run
   in 64-bit arithmetic: N is known to about 2^-75 relative, which decides
   the rounding of all but about one draw in 3 10^5 at a fraction of the
   cost of 2^-120. */
#define GC_FX_ERR_LOG ((gc_u128) 1 << 45)
#define GC_FX_ERR_COS ((gc_u128) 1 << 43)

/* floor(2^120 / k!) for k = 0..23.  Nested floor divisions are exact:
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

/* 1/k! for k = 0..7 in units u, and for k = 8..23 in units 2^-79
   (floor(2^79 / k!) < 2^64) */
static const gc_u128 gc_fx_invfac[8] = {
    GC_IF0, GC_IF1, GC_IF2, GC_IF3, GC_IF4, GC_IF5, GC_IF6, GC_IF7
};

#define GC_IF64(k) ((uint64_t) (GC_IF##k >> 41))
static const uint64_t gc_fx64_invfac[16] = {
    GC_IF64(8), GC_IF64(9), GC_IF64(10), GC_IF64(11), GC_IF64(12),
    GC_IF64(13), GC_IF64(14), GC_IF64(15), GC_IF64(16), GC_IF64(17),
    GC_IF64(18), GC_IF64(19), GC_IF64(20), GC_IF64(21), GC_IF64(22),
    GC_IF64(23)
};

/* 1/(2i + 1) for i = 2..15 in units 2^-66 (floor(2^66 / 5) < 2^64) */
#define GC_FX64_INV(d) ((uint64_t) (((gc_u128) 1 << 66) / (d)))
static const uint64_t gc_fx64_invodd[14] = {
    GC_FX64_INV(5), GC_FX64_INV(7), GC_FX64_INV(9), GC_FX64_INV(11),
    GC_FX64_INV(13), GC_FX64_INV(15), GC_FX64_INV(17), GC_FX64_INV(19),
    GC_FX64_INV(21), GC_FX64_INV(23), GC_FX64_INV(25), GC_FX64_INV(27),
    GC_FX64_INV(29), GC_FX64_INV(31)
};

/* Returns floor(a b / 2^120), which must be below 2^128: the product
   rounded down, error in [0, 1). */
static inline gc_u128
fx_mul(gc_u128 a, gc_u128 b)
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

/* Returns sum_{i < len} c[i step] x^i, or with alt the alternating sum
   of the same terms (whose partial sums must stay positive), by Horner in
   64-bit fixed point: x in units 2^-64, c and the result in a common unit
   w.  Each step errs by < 2 w + |x error| (partial sum) + x (previous
   error). */
static inline uint64_t
fx64_horner(const uint64_t * c, int step, int len, uint64_t x, int alt)
{
    uint64_t h = c[(len - 1) * step], p;
    int i;

    for (i = len - 2; i >= 0; i--)
    {
        p = (uint64_t) (((gc_u128) x * h) >> 64);
        h = alt ? c[i * step] - p : c[i * step] + p;
    }
    return h;
}

static inline int
u128_bits(gc_u128 x)
{
    uint64_t hi = (uint64_t) (x >> 64);

    return hi != 0 ? 64 + (int) FLINT_BIT_COUNT(hi)
                   : (int) FLINT_BIT_COUNT((uint64_t) x);
}

/* Returns -ln(n1 / 2^54) for odd n1 < 2^54, within GC_FX_ERR_LOG.

   n1 = 2^e m exactly with m in [1/sqrt 2, sqrt 2], and -ln u1 =
   (54 - e) ln 2 - ln m, ln m = 2 atanh s, s = (n1 - 2^e) / (n1 + 2^e),
   |s| <= (sqrt 2 - 1) / (sqrt 2 + 1) < 0.1716.  atanh |s| = |s| P(t),
   t = s^2 < 0.02944, P(t) = 1 + t (1/3 + t R(t)), R(t) = sum_{i >= 2}
   t^(i-2) / (2i + 1) < 0.207, R to i = 15 in 64 bits (unit 2^-66).
   Errors (in u, unless said): |s| rounded down, < 1; t, < 1 + 2 |s| <
   1.35; t in units 2^-64, < 1.0001 2^-64; R, < (2 + 0.83) / (1 - t) <
   2.92 units 2^-66, plus its tail t^14 / 33 / (1 - t) < 0.01 of them,
   so < 2.93 2^54; 1/3 + t R, < 2 + 1.35 0.207 + t 2.93 2^54 < 2^50.5;
   P, < 1 + 1.35 0.34 + t 2^50.5 < 2^45.5; |s| P (P < 1.031), < 2.04 +
   0.1716 2^45.5 < 2^43, doubled < 2^44; (54 - e) ln 2, < 54. */
static gc_u128
fx_minus_log(uint64_t n1)
{
    int e = (int) FLINT_BIT_COUNT(n1) - 1;
    uint64_t p, d, den;
    gc_u128 s, t, q, h, l;

    if ((gc_u128) n1 * n1 > (gc_u128) 1 << (2 * e + 1))
        e++;
    p = UINT64_C(1) << e;
    d = n1 >= p ? n1 - p : p - n1;
    den = n1 + p;

    /* s = floor(d 2^120 / den) by two exact divisions (d < den < 2^56) */
    q = ((gc_u128) d << 72) / den;
    s = ((gc_u128) d << 72) - q * den;
    s = (q << 48) | ((s << 48) / den);

    t = fx_mul(s, s);
    h = (gc_u128) fx64_horner(gc_fx64_invodd, 1, 14, (uint64_t) (t >> 56),
                                 0) << 54;
    h = GC_FX_ONE / 3 + fx_mul(t, h);
    h = 2 * fx_mul(s, GC_FX_ONE + fx_mul(t, h));

    /* (54 - e) ln 2 - ln m is >= ln 2 / 2 when m >= 1: no wrap-around */
    l = (gc_u128) (54 - e) * GC_FX_LN2;
    return n1 >= p ? l - h : l + h;
}

/* Returns |cos(2 pi n2 / 2^54)| for odd n2 < 2^54, within GC_FX_ERR_COS,
   and sets *neg* to 1 when the cosine is negative.

   2 u2 = n2 / 2^53 = q / 2 + f exactly, with quadrant q = 0..3 and f in
   (0, 1/2); cos(pi (q/2 + f)) is cos(pi f), -sin(pi f), -cos(pi f) or
   sin(pi f), and f > 1/4 turns cos(pi f) into sin(pi (1/2 - f)) and back.
   So the result is sin or cos of theta = pi g, g = m / 2^53 in (0, 1/4].
   With t = theta^2 < 0.6169 and c_i = 1/(2i)! (cos) or 1/(2i+1)! (sin /
   theta), the alternating series sum_i (-1)^i c_i t^i is c_0 - t (c_1 -
   t (c_2 - t (c_3 - t R(t)))), R(t) = sum_{i >= 4} (-1)^i c_i t^(i-4) <
   2.5e-5, R to i = 11 in 64 bits (unit 2^-79); the terms decrease, so
   every partial sum is positive and each tail is below its first term.
   Errors (in u, unless said): theta < 0.7854, < 1.25 (pi rounded down,
   and the product); t, < 1 + 2 theta 1.25 < 2.97; t in units 2^-64, <
   1.0001 2^-64; R, < (2 + 0.82) / (1 - t) < 7.4 units 2^-79, plus its
   tail t^8 / 24! < 0.03 of them, so < 7.5 2^41; then four steps, each
   < 2 + 2.97 (partial sum <= 1/2) + t (previous), < 2^41.13 + 3.5; the
   product by theta (sin), < 2.25 + 0.7854 (2^41.13 + 3.5) < 2^41.2. */
static gc_u128
fx_abs_cos_2pi(int * neg, uint64_t n2)
{
    int q = (int) (n2 >> 52), sine = q & 1, i;
    uint64_t m = n2 & ((UINT64_C(1) << 52) - 1);
    gc_u128 theta, t, h;

    *neg = (q == 1 || q == 2);
    if (m > UINT64_C(1) << 51)
    {
        m = (UINT64_C(1) << 52) - m;
        sine ^= 1;
    }
    theta = fx_mul(GC_FX_PI, (gc_u128) m << 67);
    t = fx_mul(theta, theta);
    h = (gc_u128) fx64_horner(gc_fx64_invfac + sine, 2, 8,
                                 (uint64_t) (t >> 56), 1) << 41;
    for (i = 3; i >= 0; i--)
        h = gc_fx_invfac[2 * i + sine] - fx_mul(t, h);
    return sine ? fx_mul(theta, h) : h;
}

/* Sets *n* to N(k) and returns 1, or returns 0 when the enclosure does
   not decide the rounding. */
static int
normal_fx(double * n, uint64_t seed, uint64_t k)
{
    uint64_t n1 = 2 * (splitmix64(seed, 2 * k + 1) >> 11) + 1;
    uint64_t n2 = 2 * (splitmix64(seed, 2 * k + 2) >> 11) + 1;
    gc_u128 a, c, lo, hi, b;
    uint64_t q;
    int neg, bits, sh, ue, iter;

    /* N^2 = (-2 ln u1) cos^2(2 pi u2) is in [lo u, hi u].  -2 ln u1 >=
       2^-53 and |cos 2 pi u2| >= sin(pi 2^-53) > 2^-52 are far above
       their errors, so the subtractions do not wrap around. */
    a = 2 * fx_minus_log(n1);
    c = fx_abs_cos_2pi(&neg, n2);
    lo = fx_mul(a - 2 * GC_FX_ERR_LOG, fx_mul(c - GC_FX_ERR_COS,
                                                    c - GC_FX_ERR_COS));
    hi = fx_mul(a + 2 * GC_FX_ERR_LOG,
                   fx_mul(c + GC_FX_ERR_COS, c + GC_FX_ERR_COS) + 1) + 1;

    /* A candidate q 2^(sh/2 + 39) u for |N|, 2^52 <= q < 2^53, from the
       binary64 square root of the leading bits of lo, lo >> sh in [2^62,
       2^64) with sh even.  Its accuracy (about an ulp) only matters for
       speed: q 2^ue u is RN(|N|) iff the rounding boundaries (q -+ 1/2)
       2^ue u enclose |N|, which is decided below on their squares,
       rounded outwards, against [lo, hi].  A boundary on the wrong side
       moves q.  q = 2^52 is left to Arb (the boundary below it is 1/4 ulp
       away). */
    bits = u128_bits(lo);
    if (bits < 64)
        return 0;
    sh = (bits - 63) & ~1;
    ue = sh / 2 + 39;
    q = (uint64_t) (sqrt((double) (uint64_t) (lo >> sh)) * 0x1p21);
    for (iter = 0;; iter++)
    {
        if (iter == 4 || q <= UINT64_C(1) << 52 || q >= UINT64_C(1) << 53)
            return 0;
        b = (gc_u128) (2 * q - 1) << (ue - 1);
        b = fx_mul(b, b);
        if (b + 1 >= lo)
        {
            if (b < hi)
                return 0;
            q--;
            continue;
        }
        b = (gc_u128) (2 * q + 1) << (ue - 1);
        b = fx_mul(b, b);
        if (b <= hi)
        {
            if (b + 1 >= lo)
                return 0;
            q++;
            continue;
        }
        break;
    }
    /* q 2^(sh/2 - 81), two exact products */
    *n = (double) q * 0x1p-81 * (double) (UINT64_C(1) << (sh / 2));
    if (neg)
        *n = -*n;
    return 1;
}

#endif /* __SIZEOF_INT128__ && GMP_LIMB_BITS == 64 */

/* Returns N(k) of the stream: the fast enclosure when it decides, else
   the Arb evaluation. */
static double
normal_n(uint64_t seed, uint64_t k)
{
#if defined(__SIZEOF_INT128__) && GMP_LIMB_BITS == 64
    double n;

    if (normal_fx(&n, seed, k))
        return n;
#endif
    return normal_arb(seed, k);
}

/* The precision that holds lo (2^54 - n) + hi n exactly: the products
   have 107 bits, exponents at most 1024 + 54, and their lowest bit is at
   least 2^-1074, so the sum spans at most 1078 + 1074 + 1 bits. */
#define GC_UNIFORM_PREC 2176

/* Returns draw 4 of random.c for U(lo, hi) with x = X(2k+1) >> 11. */
static double
uniform_draw(double lo, double hi, uint64_t x)
{
    gc_expo_struct e;
    double res;
    MPFR_DECL_INIT(a, 107);
    MPFR_DECL_INIT(b, 107);
    MPFR_DECL_INIT(s, GC_UNIFORM_PREC);

    if (lo == hi)
        return lo;
    GC_SAVE_EXPO(e);
    /* a = lo (2^54 - n) with 2^54 - n = 2 (2^53 - 1 - x) + 1, b = hi n
       with n = 2 x + 1; x and 2^53 - 1 - x are exact doubles: every step
       is exact */
    mpfr_set_d(a, (double) ((UINT64_C(1) << 53) - 1 - x), MPFR_RNDN);
    mpfr_mul_2ui(a, a, 1, MPFR_RNDN);
    mpfr_add_ui(a, a, 1, MPFR_RNDN);
    mpfr_mul_d(a, a, lo, MPFR_RNDN);
    mpfr_set_d(b, (double) x, MPFR_RNDN);
    mpfr_mul_2ui(b, b, 1, MPFR_RNDN);
    mpfr_add_ui(b, b, 1, MPFR_RNDN);
    mpfr_mul_d(b, b, hi, MPFR_RNDN);
    /* the exact sum, then one rounding by mpfr_get_d (to the subnormals'
       precision below 2^-1022) */
    mpfr_add(s, a, b, MPFR_RNDN);
    mpfr_div_2ui(s, s, 54, MPFR_RNDN);
    res = mpfr_get_d(s, MPFR_RNDN);
    GC_RESTORE_EXPO(e);
    return res;
}

double
gc_dist_draw(const gc_dist_t d, ulong seed, ulong k)
{
    switch (d->kind)
    {
        case GC_DIST_NORMAL:
            return fma(d->par[1], normal_n((uint64_t) seed, (uint64_t) k),
                       d->par[0]);
        case GC_DIST_UNIFORM:
            return uniform_draw(d->par[0], d->par[1],
                                splitmix64((uint64_t) seed,
                                           2 * (uint64_t) k + 1) >> 11);
        case GC_DIST_CONST:
            return d->par[0];
        default:
            gc_throw("gc_dist_draw: bad kind %d", (int) d->kind);
    }
}

void
gc_random_draw(double * w, double * b, const gc_random_t r, slong j)
{
    gc_dist_t wd;

    if (j < 1)
        gc_throw("gc_random_draw: layer %ld < 1", (long) j);
    gc_random_get_weights(wd, r, 1, 1);
    *w = gc_dist_draw(wd, r->seed, 2 * (ulong) j - 2);
    *b = gc_dist_draw(&r->biases, r->seed, 2 * (ulong) j - 1);
}
