/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_random.c -- speed of the random streams.  Not a test.

   bench_random [L [REPS]]    draws layers 1..L (default 1000000) of the
                              N(0,1) and U(-1,1) streams with seed 7 by
                              gc_dist_draw, best of REPS (default 5) CPU
                              times, and for scale a bare MPFR Box-Muller
                              at 64 bits on L / 10 layers (no proof of the
                              rounding) */

#include <stdlib.h>
#include <time.h>

#include "gradchain.h"

static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Seconds for layers 1..len (2 len draws) of *d* with seed 7; *sum*
   defeats the optimiser. */
static double
time_draw(double * sum, const gc_dist_t d, slong len)
{
    double t = cpu_now();
    ulong k;

    for (k = 0; k < 2 * (ulong) len; k++)
        *sum += gc_dist_draw(d, 7, k);
    return cpu_now() - t;
}

/* Seconds for 2 len draws of sqrt(-2 ln u1) cos(2 pi u2) by MPFR at 64
   bits from an LCG: the cost of the bare arithmetic. */
static double
time_bare_mpfr(double * sum, slong len)
{
    mpfr_t u, c;
    ulong x = 7;
    slong i;
    double t;

    mpfr_init2(u, 64);
    mpfr_init2(c, 64);
    t = cpu_now();
    for (i = 0; i < 2 * len; i++)
    {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        mpfr_set_ui_2exp(u, (x >> 11) | 1, -53, MPFR_RNDN);
        mpfr_log(u, u, MPFR_RNDN);
        mpfr_mul_si(u, u, -2, MPFR_RNDN);
        mpfr_sqrt(u, u, MPFR_RNDN);
        mpfr_set_ui_2exp(c, (x & 0xFFFFFFFF) | 1, -31, MPFR_RNDN);
        mpfr_cospi(c, c, MPFR_RNDN);
        mpfr_mul(u, u, c, MPFR_RNDN);
        *sum += mpfr_get_d(u, MPFR_RNDN);
    }
    t = cpu_now() - t;
    mpfr_clear(u);
    mpfr_clear(c);
    return t;
}

int
main(int argc, char ** argv)
{
    slong len = argc > 1 ? atol(argv[1]) : 1000000;
    int r, reps = argc > 2 ? atoi(argv[2]) : 5;
    double best = 1e300, unif = 1e300, bare = 1e300, sum = 0;
    gc_dist_t normal, uniform;

    if (len < 10 || reps < 1)
    {
        fprintf(stderr, "usage: bench_random [L >= 10 [REPS >= 1]]\n");
        return 2;
    }
    gc_dist_set_normal(normal, 0.0, 1.0);
    gc_dist_set_uniform(uniform, -1.0, 1.0);
    for (r = 0; r < reps; r++)
    {
        best = FLINT_MIN(best, time_draw(&sum, normal, len));
        unif = FLINT_MIN(unif, time_draw(&sum, uniform, len));
        bare = FLINT_MIN(bare, time_bare_mpfr(&sum, len / 10));
    }
    printf("normal:0,1      %ld layers  %.3f s  %.3g draws/s  %.1f ns/draw\n",
           (long) len, best, 2 * len / best, 1e9 * best / (2 * len));
    printf("uniform:-1,1    %ld layers  %.3f s  %.3g draws/s  %.1f ns/draw\n",
           (long) len, unif, 2 * len / unif, 1e9 * unif / (2 * len));
    printf("bare MPFR (64)  %ld layers  %.3f s  %.3g draws/s  %.1f ns/draw\n",
           (long) (len / 10), bare, 2 * (len / 10) / bare,
           1e9 * bare / (2 * (len / 10)));
    printf("(checksum %.17g)\n", sum);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
