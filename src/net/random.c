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

   Computing the normal draws.  Evaluating the definition in Arb costs
   about 1.5 us per draw, most of it in arb_log and arb_cos_pi, so draws
   would dominate a streamed gradient.  A fast path (about 45 ns a draw)
   therefore encloses N(k)^2 first in fixed-point integer
   arithmetic (128-bit sums, unit 2^-120, the small terms in 64-bit
   words): log by a table of 256 divisors g_i (exact) and logarithms (to
   2^-121), which leaves ln(1 + r), |r| < 1.22 2^-9, to a short series;
   the cosine by an exact reduction of 2 u2 to an angle in (0, pi/4], a
   table of cos and sin at the multiples of pi/1024 (to 2^-121) and short
   series for the rest, |phi| < pi 2^-11.  The tables are integers written
   by src/net/random_tables.py (mpmath), which checks the bounds used
   here.  Every truncation is bounded, so the result is an interval of
   integers known to contain N(k)^2 2^120; a binary64 candidate for N(k)
   is then proven to be the nearest by comparing the exact squares of the
   two rounding boundaries around it with that interval.  When that fails
   (under one draw in 10^6, and regularly when u1 is next to 1 or N next
   to 0) the Arb evaluation above decides.  The proof uses integers only:
   libm, the rounding mode and the compiler's floating-point choices can
   change which candidate is tried (so the speed), never the result.
   Without a 128-bit integer type only the Arb path is compiled, with the
   same results. */

#include <math.h>
#include <stdint.h>
#include <string.h>

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

/* Sets u to n / 2^54 (n odd, below 2^54), exactly. */
static void
uniform(arb_t u, uint64_t n)
{
    /* n >> 1 < 2^53 is exact as a double */
    arb_set_d(u, (double) (n >> 1));
    arb_mul_2exp_si(u, u, 1);
    arb_add_ui(u, u, 1, 64);
    arb_mul_2exp_si(u, u, -54);
}

double
_gc_normal_arb(ulong n1, ulong n2)
{
    /* arf_get_d goes through MPFR: keep the caller's MPFR flags */
    mpfr_flags_t flags = mpfr_flags_save();
    arb_ptr t = _arb_vec_init(3);
    slong prec;
    double n;

    for (prec = GC_RANDOM_PREC;; prec *= 2)
    {
        /* t0 = sqrt(-2 ln u1), t1 = cos(pi * 2 u2), t2 = t0 t1 */
        uniform(t, n1);
        arb_log(t, t, prec);
        arb_mul_si(t, t, -2, prec);
        arb_sqrt(t, t, prec);
        uniform(t + 1, n2);
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

#if GC_HAVE_NORMAL_FX

/* ---- the fast path: fixed point with unit u = 2^-120 ----------------

   A fixed-point number is an unsigned 128-bit integer x standing for
   x u (values below 2^8); some terms run in 64-bit words with the unit
   their comment gives.  Error bounds are in units of u unless said; the
   comments derive them.  The tables (random-tables.h, generated with
   mpmath by random_tables.py) hold integers: divisors, exact, and
   logarithms, cosines and sines rounded to the nearest multiple of u
   (error <= u/2). */

__extension__ typedef unsigned __int128 gc_u128;
__extension__ typedef __int128 gc_s128;

#define GC_U128(hi, lo) (((gc_u128) UINT64_C(hi) << 64) | UINT64_C(lo))

#include "random-tables.h"

/* Bounds of |computed - exact|: GC_FX_ERR_LOG for -ln u1 and
   GC_FX_ERR_COS for |cos 2 pi u2|, in u (derived in the functions: <
   2^33 and < 2^39.95; twice that here, as a margin).  So N^2 is known to
   about 2^-80 relative (absolute in -ln u1 and |cos 2 pi u2|), which
   decides the rounding of all but about one draw in 2 10^6 (half of those
   next to 0, from |cos 2 pi u2| below about 2^-10). */
#define GC_FX_ERR_LOG ((gc_u128) 1 << 34)
#define GC_FX_ERR_COS ((gc_u128) 1 << 41)

/* floor(2^64 / (k + 3)), k = 0..6: the log's series */
#define GC_FX64_INV64(d) ((uint64_t) (((gc_u128) 1 << 64) / (d)))
static const uint64_t gc_fx64_log_p[7] = {
    GC_FX64_INV64(3), GC_FX64_INV64(4), GC_FX64_INV64(5), GC_FX64_INV64(6),
    GC_FX64_INV64(7), GC_FX64_INV64(8), GC_FX64_INV64(9)
};

/* floor(2^64 / (k + 2)!), k = 0..5: 1/2, 1/6, ..., 1/5040 (even k for
   1 - cos, odd k for sin) */
static const uint64_t gc_fx64_trig[6] = {
    GC_FX64_INV64(2), GC_FX64_INV64(6), GC_FX64_INV64(24),
    GC_FX64_INV64(120), GC_FX64_INV64(720), GC_FX64_INV64(5040)
};

/* Returns a b / 2^120 (which must be below 2^128) from three of the four
   64-bit partial products, each rounded down: the result is in (a b /
   2^120 - 2^8 - 2, a b / 2^120] (the product of the low words, left
   out, is below 2^128). */
static inline gc_u128
fx_mul3(gc_u128 a, gc_u128 b)
{
    uint64_t a1 = (uint64_t) (a >> 64), a0 = (uint64_t) a;
    uint64_t b1 = (uint64_t) (b >> 64), b0 = (uint64_t) b;

    return ((gc_u128) a1 * b1 << 8) + (((gc_u128) a1 * b0) >> 56)
           + (((gc_u128) a0 * b1) >> 56);
}

/* Returns floor(a b / 2^64). */
static inline uint64_t
mulhi(uint64_t a, uint64_t b)
{
    return (uint64_t) (((gc_u128) a * b) >> 64);
}

/* Returns the alternating sum_{i < len} (-1)^i c[i step] x^i (whose
   partial sums must stay positive) by Horner in 64-bit fixed point: x in
   units 2^-64, c and the result in a common unit w.  Each step errs by <
   2 w (the coefficient and the product rounded down) + |x error|
   (partial sum) + x (previous error). */
static inline uint64_t
fx64_horner_alt(const uint64_t * c, int step, int len, uint64_t x)
{
    uint64_t h = c[(len - 1) * step];
    int i;

    for (i = len - 2; i >= 0; i--)
        h = c[i * step] - mulhi(x, h);
    return h;
}

/* Returns floor(x h / 2^64) for signed x and h. */
static inline int64_t
smulhi(int64_t x, int64_t h)
{
    /* >> of a negative __int128 is arithmetic (floor) in GCC and Clang */
    return (int64_t) (((gc_s128) x * h) >> 64);
}

/* Returns -ln(n1 / 2^54) for odd n1 < 2^54, within GC_FX_ERR_LOG.

   n1 = 2^e m exactly with m = M / 2^53 in [1, 2), M = n1 2^(53 - e), so
   -ln u1 = (54 - e) ln 2 - ln m.  The 8 bits of m after its leading one
   give i (m in [1 + i/256, 1 + (i+1)/256)) and the table's g_i, 2^9 <=
   g_i <= 2^10, for which m g_i / 2^10 = 1 + r, |r| < 1.22 2^-9 (checked
   by the script): M g_i < 2^64, so r = (M g_i - 2^63) / 2^63 exactly,
   and ln m = ln(1 + r) + l_i, l_i = ln(2^10 / g_i) from the table.  (For
   i = 255, g = 2^9 and l = ln 2 joins the multiple of ln 2, so that -ln u1
   next to u1 = 1 is -ln(1 + r) with r exact: no cancellation.)  Then
   ln(1 + r) = r - r^2/2 + T, T = r^3 P, P = sum_{k >= 0} (-r)^k / (k +
   3) <= 0.3341, with signed r (all in two's complement, so no branch
   on the sign).

   Errors.  c ln 2 and l_i from the tables, <= 1/2 each; r exact; r^2/2,
   < 1 (rounded down); T: P to k = 6 in 64 bits (unit w = 2^-64), by
   Horner with r exact (each step < 2 w + |r| (previous)), < 2 w / (1 -
   |r|) + the tail |r|^7 / 10 / (1 - |r|) < 0.22 w, so < 2.23 w; r^2 in
   units 2^-81, < 1 of them; r^2 P in units 2^-81, < 0.335 + r^2 2^81
   2.23 w (1.67 of them) + 1 < 3.01 of them; r^3 P in units 2^-88, < 3.01
   |r| 2^7 + 1 < 1.92 of them, 1.92 2^32 < 2^32.94 in u.  In all <
   2^32.94 + 2 < 2^33. */
static gc_u128
fx_minus_log(uint64_t n1)
{
    int e = (int) FLINT_BIT_COUNT(n1) - 1;
    uint64_t mm = n1 << (53 - e);
    int i = (int) (mm >> 45) & 255;
    int c = 54 - e - (i == 255);
    /* r 2^63 = M g_i - 2^63, |r| 2^63 < 2^54.3 */
    int64_t x = (int64_t) (mm * gc_fx_log_g[i] - (UINT64_C(1) << 63)), p, y;
    gc_u128 s2 = (gc_u128) ((gc_s128) x * x), a;
    int k;

    /* P = sum_k (-r)^k / (k + 3) by Horner, signed r */
    p = (int64_t) gc_fx64_log_p[6];
    for (k = 5; k >= 0; k--)
        p = (int64_t) gc_fx64_log_p[k] - smulhi(2 * x, p);
    y = (int64_t) (((gc_u128) (uint64_t) (s2 >> 45) * (uint64_t) p) >> 64);
    y = smulhi(y, x * 256);

    /* -ln u1 = c ln 2 - l_i - r + r^2/2 - T, computed modulo 2^128 (the
       signed terms sign-extended): the exact value is >= 2^-54, far above
       the error, so the result does not wrap around */
    a = gc_fx_ln2k[c] - gc_fx_log_l[i] + (s2 >> 7);
    return a - ((gc_u128) (gc_s128) x << 57)
             - ((gc_u128) (gc_s128) y << 32);
}

/* Returns |cos(2 pi n2 / 2^54)| for odd n2 < 2^54, within GC_FX_ERR_COS,
   and sets *neg* to 1 when the cosine is negative.

   2 u2 = n2 / 2^53 = q / 2 + f exactly, with quadrant q = 0..3 and f in
   (0, 1/2); cos(pi (q/2 + f)) is cos(pi f), -sin(pi f), -cos(pi f) or
   sin(pi f), and f > 1/4 turns cos(pi f) into sin(pi (1/2 - f)) and back.
   So the result is sin or cos of theta = pi m / 2^53, m odd, 0 < m <
   2^51.  Then theta = pi j / 1024 + phi, j = round(m / 2^43) in 0..256,
   phi = pi d / 2^53, d = m - j 2^43 exact, |d| < 2^42, |phi| < 2^-9.34,
   and with A_j, B_j = cos, sin(pi j / 1024) from the table, V = 1 - cos
   phi and W = sin |phi|:
       cos theta = A_j - A_j V - sign(d) B_j W,
       sin theta = B_j - B_j V + sign(d) A_j W.
   t = phi^2 < 2^-18.68; V = t h_V, h_V = 1/2 - t/24 + t^2/720 (- ...);
   W = |phi| - |phi| t h_E, h_E = 1/6 - t/120 + t^2/5040 (- ...); the
   dropped tails, t^3/8!, t^3/9!, are below 2^-71.
   Errors.  |phi| = |d| pi 2^67 u from pi 2^125 rounded to nearest, <
   1.01; phi rounded to 64 bits (unit 2^-73), < 1/2 of that unit + 2^-46;
   t in units 2^-82 (< 2^63.32), < 2 |phi| 2^73 (1/2 + 2^-46) 2^-64 + 1
   < 1.8 of them; t in units 2^-64, < 1.01 of them.  h_V and h_E in units
   w = 2^-64 by Horner, < 2 w (start) and two steps of 2 w + 1.01 w / 24 +
   t (previous): < 2.1 w.  V in units 2^-83 (< 2^63.32), < 1.8 + 2^-18.68
   2.1 2^19 (2.6) + 1 < 5.4 of them, < 2^-80.5.  A_j V, from A_j in units
   2^-63 (rounded down, error < 2^-63 V < 2^-82.6), < 2^-80.5 + 2^-82.6 +
   u < 2^-80.15 = 2^39.85 u.  t h_E in units 2^-85 (< 2^63.7), < (1.8 2^-82
   / 6 + 2^-18.68 2.1 2^-64 + 2^-85) < 2^-81.3; |phi| t h_E in units
   2^-94, < 2^-73 2^-21.3 + 2^-9.34 2^-81.3 + 2^-94 < 2^-90.5 = 2^29.5 u;
   W, < 2^29.5 + 1.01; B_j W, from the table (< W/2 < 1) and fx_mul3
   (< 2^8 + 2), < 2^29.5 + 2^8 + 5.  In all, with A_j (< 1/2): < 2^39.85
   + 2^29.5 + 2^8 + 6 < 2^39.95. */
static gc_u128
fx_abs_cos_2pi(int * neg, uint64_t n2)
{
    int q = (int) (n2 >> 52), sine = q & 1, j, dneg;
    uint64_t m = n2 & ((UINT64_C(1) << 52) - 1), d, ph, t, tl, v, w;
    gc_u128 phi, a, b, c, mask;

    *neg = (q == 1 || q == 2);
    if (m > UINT64_C(1) << 51)
    {
        m = (UINT64_C(1) << 52) - m;
        sine ^= 1;
    }
    j = (int) ((m + (UINT64_C(1) << 42)) >> 43);
    d = m - ((uint64_t) j << 43);
    dneg = (d >> 63) != 0;
    d = dneg ? -d : d;

    /* |phi| = floor(|d| pi 2^125 / 2^58) u */
    phi = ((gc_u128) d * (uint64_t) (GC_FX_PI125 >> 64) << 6)
          + (((gc_u128) d * (uint64_t) GC_FX_PI125) >> 58);
    ph = (uint64_t) ((phi + ((gc_u128) 1 << 46)) >> 47);
    t = mulhi(ph, ph);
    tl = t >> 18;
    v = (uint64_t) (((gc_u128) t * fx64_horner_alt(gc_fx64_trig, 2, 3, tl))
                    >> 63);
    w = (uint64_t) (((gc_u128) t * fx64_horner_alt(gc_fx64_trig + 1, 2, 3,
                                                    tl)) >> 61);
    phi -= (gc_u128) mulhi(ph, w) << 26;

    a = gc_fx_cossin[sine][j];
    b = gc_fx_cossin[sine ^ 1][j];
    c = fx_mul3(b, phi);
    a -= ((gc_u128) (uint64_t) (a >> 57) * v) >> 26;
    /* a + c or a - c, without a branch: (c ^ -1) + 1 = -c */
    mask = (gc_u128) 0 - (gc_u128) ((sine ^ dneg) ^ 1);
    return a + ((c ^ mask) - mask);
}

/* Sets [*lo*, *hi*] to an enclosure of N^2 / u for u1 = n1 / 2^54 and
   u2 = n2 / 2^54, and *neg* to the sign of N; returns 1, or returns 0
   (*lo* and *hi* unset) when the enclosure would contain 0. */
static inline int
fx_square(gc_u128 * lo, gc_u128 * hi, double * nd, int * neg, uint64_t n1,
          uint64_t n2)
{
    gc_u128 a, c, p, err;
    uint64_t c1, ah, ch;

    /* N^2 = 2 a c^2 with a = -ln u1 and c = |cos 2 pi u2|, computed a'
       and c' within ea and ec (GC_FX_ERR_LOG, GC_FX_ERR_COS).  -ln u1 >=
       2^-54 and c >= sin(pi 2^-53) > 2^-52 are far above their errors:
       nothing wraps around.  With A = ah 2^-32 >= max(a, a') and C = ch
       2^-32 >= max(c, c') (2^120 u = 1): c2' = c'^2 / u from c1^2 and 2
       c1 c0 (c' = c1 2^64 + c0; c0^2 < 2^128 left out, each term rounded
       down) is at most C^2 and within 2 C ec + ec^2 / u + 2^8 + 1 < 2 C
       ec + 259 of c^2, so fx_mul3(a', c2') is within ea C^2 + A (2 C ec +
       259) + 2^8 + 2 of a c^2: err bounds twice that, its three products
       rounded up (+ 3, so 261 with 2^8 + 2), and N^2 is in [p - err, p +
       err], p = 2 fx_mul3(a', c2').  The width scales with c (relative
       2 ec / c from the cosine) and is absolute in a. */
    a = fx_minus_log(n1);
    c = fx_abs_cos_2pi(neg, n2);
    c1 = (uint64_t) (c >> 64);
    p = 2 * fx_mul3(a, ((gc_u128) c1 * c1 << 8)
                       + (((gc_u128) c1 * (uint64_t) c) >> 55));
    ah = (uint64_t) ((a + GC_FX_ERR_LOG) >> 88) + 1;
    ch = (uint64_t) ((c + GC_FX_ERR_COS) >> 88) + 1;
    err = 2 * ((((gc_u128) ch * ch * GC_FX_ERR_LOG) >> 64)
               + (((gc_u128) ah * ch * GC_FX_ERR_COS) >> 63)
               + ((ah * 259) >> 32) + 261);
    /* |N| about, from a' and c' in binary64 (through int64_t: a' >> 64 <
       2^62, c' >> 64 < 2^57) */
    *nd = sqrt(2 * ((double) (int64_t) (a >> 64) * 0x1p-56
                    + (double) (int64_t) ((uint64_t) a >> 1) * 0x1p-119))
          * ((double) (int64_t) c1 * 0x1p-56
             + (double) (int64_t) ((uint64_t) c >> 1) * 0x1p-119);
    if (p <= err)
        return 0;
    *lo = p - err;
    *hi = p + err;
    return 1;
}

int
_gc_normal_fx_sq(ulong * lo, ulong * hi, ulong n1, ulong n2)
{
    gc_u128 l, h;
    double nd;
    int neg;

    if (!fx_square(&l, &h, &nd, &neg, (uint64_t) n1, (uint64_t) n2))
        return 0;
    lo[0] = (ulong) l;
    lo[1] = (ulong) (l >> 64);
    hi[0] = (ulong) h;
    hi[1] = (ulong) (h >> 64);
    return 1;
}

/* _gc_normal_fx, inlined into normal_n (under -fPIC the compiler does
   not inline the exported function, which could be interposed) */
static inline int
normal_fx(double * n, uint64_t n1, uint64_t n2)
{
    gc_u128 lo, hi, bl, bh;
    uint64_t q, bits;
    double nd;
    int neg, e, kb, iter;

    if (!fx_square(&lo, &hi, &nd, &neg, n1, n2) || (lo >> 61) == 0)
        return 0;

    /* A candidate q 2^(e - 1075) for |N|, 2^52 <= q < 2^53: the
       significand and biased exponent e of nd, computed alongside the
       enclosure.  Its accuracy (a few ulps) only matters for speed: q
       2^(e - 1075) is RN(|N|) iff the rounding boundaries (q -+ 1/2)
       2^(e - 1075) enclose |N|, decided below on their squares, (2q -+
       1)^2 2^(2e - 2032) u, compared exactly with [lo, hi], both sides
       scaled by a power of 2 to integers: (2q + 1)^2 < 2^108 shifted by
       at most 20 bits, or lo and hi by less than 128 bits and to below
       2^128 (tested; with N < 8.7 and N^2 >= lo u >= 2^-59, about 2^106).
       A boundary on the wrong side moves q.  q = 2^52 is left to Arb (the
       boundary below it is 1/4 ulp away). */
    memcpy(&bits, &nd, sizeof bits);
    e = (int) (bits >> 52);
    q = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    kb = 2 * e - 2032;
    if (kb > 20 || kb <= -128 || (kb < 0 && (hi >> (128 + kb)) != 0))
        return 0;
    if (kb < 0)
    {
        lo <<= -kb;
        hi <<= -kb;
        kb = 0;
    }
    for (iter = 0;; iter++)
    {
        if (iter == 4 || q <= UINT64_C(1) << 52 || q >= UINT64_C(1) << 53)
            return 0;
        bl = (gc_u128) (2 * q - 1) * (2 * q - 1) << kb;
        bh = (gc_u128) (2 * q + 1) * (2 * q + 1) << kb;
        if (bl >= lo)
        {
            if (bl <= hi)
                return 0;
            q--;
            continue;
        }
        if (bh <= hi)
        {
            if (bh >= lo)
                return 0;
            q++;
            continue;
        }
        break;
    }
    /* +-q 2^(e - 1075), exact */
    bits = (uint64_t) e << 52 | (q & ((UINT64_C(1) << 52) - 1));
    memcpy(n, &bits, sizeof bits);
    *n *= (double) (1 - 2 * neg);
    return 1;
}

#else

static inline int
normal_fx(double * n, uint64_t n1, uint64_t n2)
{
    (void) n, (void) n1, (void) n2;
    return 0;
}

#endif /* GC_HAVE_NORMAL_FX */

int
_gc_normal_fx(double * n, ulong n1, ulong n2)
{
    return normal_fx(n, (uint64_t) n1, (uint64_t) n2);
}

/* Returns N(k) of the stream: the fast enclosure when it decides, else
   the Arb evaluation. */
static double
normal_n(uint64_t seed, uint64_t k)
{
    uint64_t n1 = 2 * (splitmix64(seed, 2 * k + 1) >> 11) + 1;
    uint64_t n2 = 2 * (splitmix64(seed, 2 * k + 2) >> 11) + 1;
    double n;

    if (normal_fx(&n, n1, n2))
        return n;
    return _gc_normal_arb(n1, n2);
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
