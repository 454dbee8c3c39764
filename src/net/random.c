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
   computed by Python and bc at 60 digits). */

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

/* Returns W(k) of the stream, using the scratch balls t[0..2]. */
static double
gc_normal_w(const gc_normal_t normal, uint64_t k, arb_ptr t)
{
    uint64_t seed = (uint64_t) normal->seed;
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
    return fma(normal->sd, n, normal->mu);
}

void
gc_normal_draw(double * w, double * b, const gc_normal_t normal, slong j)
{
    /* arf_get_d goes through MPFR: keep the caller's MPFR flags */
    mpfr_flags_t flags = mpfr_flags_save();
    arb_ptr t;

    if (j < 1)
        gc_throw("gc_normal_draw: layer %ld < 1", (long) j);
    t = _arb_vec_init(3);
    *w = gc_normal_w(normal, 2 * (uint64_t) j - 2, t);
    *b = gc_normal_w(normal, 2 * (uint64_t) j - 1, t);
    _arb_vec_clear(t, 3);
    mpfr_flags_restore(flags, MPFR_FLAGS_ALL);
}
