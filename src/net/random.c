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
   3. Box-Muller, N = sqrt(-2 ln u1) cos(2 pi u2), evaluated with GNU MPFR
      at 128 bits, each step correctly rounded to nearest:
          l = log(u1); l = -2 l; r = sqrt(l);
          t = pi; t = t u2; t = 2 t; c = cos(t); n = r c;
      then N(k) = n rounded to the nearest binary64.  (MPFR rounds
      correctly, so libm, FMA contraction and x87 never matter.)  Since
      u1 >= 2^-54, |N| <= sqrt(108 ln 2) < 8.66.
   4. W(k) = mu + sd N(k), computed by mpfr_fma to 53 bits (one rounding
      to nearest) and returned as a binary64 (exact, unless the result is
      below 2^-1022 in magnitude, where it is rounded once more).

   This is the first two outputs of any standard SplitMix64 started from
   seed + 2k * 0x9E3779B97F4A7C15, so it can be checked against any
   independent implementation (tests/check_net.c does, with values
   computed by bc at 50 digits). */

#include <stdint.h>

#include "net-impl.h"

#define GC_RANDOM_PREC 128

static uint64_t
gc_splitmix64(uint64_t seed, uint64_t c)
{
    uint64_t z = seed + c * UINT64_C(0x9E3779B97F4A7C15);

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Sets u to ((x >> 11) + 1/2) / 2^53, exactly (u has 128 bits). */
static void
gc_uniform(mpfr_t u, uint64_t x)
{
    /* x >> 11 < 2^53 is exact as a double */
    mpfr_set_d(u, (double) (x >> 11), MPFR_RNDN);
    mpfr_add_d(u, u, 0.5, MPFR_RNDN);
    mpfr_div_2ui(u, u, 53, MPFR_RNDN);
}

/* Returns W(k) of the stream, with tmp[0..3] as scratch (128 bits) and
   res as the 53-bit result. */
static double
gc_normal_w(const gc_normal_t normal, uint64_t k, mpfr_ptr tmp, mpfr_t res)
{
    mpfr_ptr u1 = tmp, u2 = tmp + 1, r = tmp + 2, t = tmp + 3;
    uint64_t seed = (uint64_t) normal->seed;

    gc_uniform(u1, gc_splitmix64(seed, 2 * k + 1));
    gc_uniform(u2, gc_splitmix64(seed, 2 * k + 2));

    mpfr_log(r, u1, MPFR_RNDN);
    mpfr_mul_si(r, r, -2, MPFR_RNDN);
    mpfr_sqrt(r, r, MPFR_RNDN);

    mpfr_const_pi(t, MPFR_RNDN);
    mpfr_mul(t, t, u2, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_cos(t, t, MPFR_RNDN);
    mpfr_mul(r, r, t, MPFR_RNDN);

    /* N(k) as a binary64, then mu + sd N(k) with one rounding */
    mpfr_set_d(r, mpfr_get_d(r, MPFR_RNDN), MPFR_RNDN);
    mpfr_set_d(t, normal->sd, MPFR_RNDN);
    mpfr_set_d(u1, normal->mu, MPFR_RNDN);
    mpfr_fma(res, t, r, u1, MPFR_RNDN);
    return mpfr_get_d(res, MPFR_RNDN);
}

void
gc_normal_draw(double * w, double * b, const gc_normal_t normal, slong j)
{
    __mpfr_struct tmp[4];
    mpfr_t res;
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_flags_t flags = mpfr_flags_save();
    uint64_t k = 2 * (uint64_t) j - 2;
    int i;

    if (j < 1)
        gc_throw("gc_normal_draw: layer %ld < 1", (long) j);

    /* the caller may have narrowed the range to emulate a format */
    gc_mpfr_widen_exponent_range();
    for (i = 0; i < 4; i++)
        mpfr_init2(tmp + i, GC_RANDOM_PREC);
    mpfr_init2(res, 53);

    *w = gc_normal_w(normal, k, tmp, res);
    *b = gc_normal_w(normal, k + 1, tmp, res);

    for (i = 0; i < 4; i++)
        mpfr_clear(tmp + i);
    mpfr_clear(res);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_flags_restore(flags, MPFR_FLAGS_ALL);
}
