/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_random.c -- speed of the random streams.  Not a test.

   bench_random [L [REPS [OLDLIB]]]
       draws layers 1..L (default 1000000) of the N(0,1) and U(-1,1)
       streams with seed 7 by gc_dist_draw, best of REPS (default 5) CPU
       times of the thread; then, on 2 L random pairs (u1, u2), the
       normal draw's fast enclosure alone (_gc_normal_fx) and how many
       pairs it leaves to Arb, and the Arb definition (_gc_normal_arb) on
       L / 100 of them; and for scale a bare MPFR Box-Muller at 64 bits
       on L / 10 layers (no proof of the rounding).  With OLDLIB (the
       path of another build's libgradchain.so, e.g. the main branch's
       .libs/libgradchain.so), its gc_dist_draw draws the same N(0,1)
       layers in the same run, alternating with this build's, and the
       two streams are compared draw by draw. */

#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradchain.h"
#include "net/net-impl.h"

typedef double (*draw_fn)(const gc_dist_t, ulong, ulong);

static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Seconds for layers 1..len (2 len draws) of *d* with seed 7 by *draw*;
   *sum* defeats the optimiser. */
static double
time_draw(double * sum, draw_fn draw, const gc_dist_t d, slong len)
{
    double t = cpu_now();
    ulong k;

    for (k = 0; k < 2 * (ulong) len; k++)
        *sum += draw(d, 7, k);
    return cpu_now() - t;
}

/* The odd n < 2^54 of a 64-bit LCG state. */
static ulong
lcg_odd(ulong * x)
{
    *x = *x * 6364136223846793005UL + 1442695040888963407UL;
    return (*x >> 10) | 1;
}

/* Seconds for _gc_normal_fx on n random pairs; sets *fallback* to the
   number it leaves undecided. */
static double
time_fx(double * sum, slong * fallback, slong n)
{
    ulong x = 7, n1, n2;
    double t = cpu_now(), v;
    slong i;

    *fallback = 0;
    for (i = 0; i < n; i++)
    {
        n1 = lcg_odd(&x);
        n2 = lcg_odd(&x);
        if (_gc_normal_fx(&v, n1, n2))
            *sum += v;
        else
            (*fallback)++;
    }
    return cpu_now() - t;
}

/* Seconds for _gc_normal_arb on n random pairs. */
static double
time_arb(double * sum, slong n)
{
    ulong x = 7, n1, n2;
    double t = cpu_now();
    slong i;

    for (i = 0; i < n; i++)
    {
        n1 = lcg_odd(&x);
        n2 = lcg_odd(&x);
        *sum += _gc_normal_arb(n1, n2);
    }
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

/* Returns the number of k < 2 len where the two draws differ. */
static slong
count_differences(draw_fn a, draw_fn b, const gc_dist_t d, slong len)
{
    slong diff = 0;
    ulong k;

    for (k = 0; k < 2 * (ulong) len; k++)
    {
        double x = a(d, 7, k), y = b(d, 7, k);

        diff += memcmp(&x, &y, sizeof x) != 0;
    }
    return diff;
}

static void
print_rate(const char * what, slong items, double t)
{
    printf("%-16s %9ld  %.3f s  %.3g /s  %.1f ns each\n", what, (long) items,
           t, items / t, 1e9 * t / items);
}

int
main(int argc, char ** argv)
{
    slong len = argc > 1 ? atol(argv[1]) : 1000000, fallback = 0;
    int r, reps = argc > 2 ? atoi(argv[2]) : 5;
    double best = 1e300, old = 1e300, unif = 1e300, fx = 1e300;
    double arb = 1e300, bare = 1e300, sum = 0, t;
    draw_fn old_draw = NULL;
    void (*old_set)(gc_dist_t, double, double) = NULL;
    void * lib = NULL;
    gc_dist_t normal, uniform, old_normal;

    if (len < 100 || reps < 1)
    {
        fprintf(stderr, "usage: bench_random [L >= 100 [REPS >= 1 "
                "[OLDLIB]]]\n");
        return 2;
    }
    if (argc > 3)
    {
        lib = dlopen(argv[3], RTLD_NOW | RTLD_LOCAL);
        if (lib == NULL)
        {
            fprintf(stderr, "bench_random: %s\n", dlerror());
            return 2;
        }
        *(void **) &old_draw = dlsym(lib, "gc_dist_draw");
        *(void **) &old_set = dlsym(lib, "gc_dist_set_normal");
        if (old_draw == NULL || old_set == NULL)
        {
            fprintf(stderr, "bench_random: %s: no gc_dist_draw\n", argv[3]);
            return 2;
        }
        old_set(old_normal, 0.0, 1.0);
    }
    gc_dist_set_normal(normal, 0.0, 1.0);
    gc_dist_set_uniform(uniform, -1.0, 1.0);
    for (r = 0; r < reps; r++)
    {
        t = time_draw(&sum, gc_dist_draw, normal, len);
        best = FLINT_MIN(best, t);
        if (old_draw != NULL)
        {
            t = time_draw(&sum, old_draw, old_normal, len);
            old = FLINT_MIN(old, t);
        }
        t = time_draw(&sum, gc_dist_draw, uniform, len);
        unif = FLINT_MIN(unif, t);
        t = time_fx(&sum, &fallback, 2 * len);
        fx = FLINT_MIN(fx, t);
        t = time_arb(&sum, len / 100);
        arb = FLINT_MIN(arb, t);
        t = time_bare_mpfr(&sum, len / 10);
        bare = FLINT_MIN(bare, t);
    }
    printf("CPU time of the thread, best of %d; draws of seed 7, layers "
           "1..%ld\n", reps, (long) len);
    print_rate("normal:0,1", 2 * len, best);
    if (old_draw != NULL)
    {
        print_rate("normal:0,1 old", 2 * len, old);
        printf("old / new        %.2f; draws that differ: %ld of %ld\n",
               old / best,
               (long) count_differences(gc_dist_draw, old_draw, normal, len),
               (long) (2 * len));
    }
    print_rate("uniform:-1,1", 2 * len, unif);
    print_rate("fast enclosure", 2 * len, fx);
    printf("left to Arb      %ld of %ld pairs (%.2g)\n", (long) fallback,
           (long) (2 * len), (double) fallback / (2 * len));
    print_rate("Arb definition", len / 100, arb);
    print_rate("bare MPFR (64)", 2 * (len / 10), bare);
    printf("(checksum %.17g)\n", sum);
    if (lib != NULL)
        dlclose(lib);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
