/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_fast.c -- the certified fast path (gc_eval_fast) against the Arb
   engine at 64 bits (gc_eval_arb), and the whole Ziv loops that eval
   runs, gc_eval_fast_digits against gc_eval_arb_digits (both with the
   test of the digits of every value), on random N(0,1) chains of 10^5 and
   10^6 layers (stored, so that drawing the layers is not timed).  Times
   are the best of REPS runs, wall clock (CLOCK_MONOTONIC) and CPU time of
   the thread (CLOCK_THREAD_CPUTIME_ID); the ratios are Arb's time over
   the fast path's.  Usage: bench_fast [REPS [DIGITS]] (default 5, 6). */

#include <stdlib.h>
#include <time.h>

#include "gradchain.h"

static double
now(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The evaluations timed: gc_eval_fast, gc_eval_arb at 64 bits,
   gc_eval_fast_digits, gc_eval_arb_digits. */
#define NEVAL 4

/* Runs evaluation i of *net* into *t* at *digits*; *prec* is the
   precision the digit loops used. */
static int
run(int i, gc_arb_trace_t t, const gc_net_t net, slong digits,
    slong * prec)
{
    switch (i)
    {
        case 0:
            return gc_eval_fast(t, net);
        case 1:
            return gc_eval_arb(t, net, 64);
        case 2:
            return gc_eval_fast_digits(t, net, digits, GC_MAX_PREC_DEFAULT,
                                       prec);
        default:
            return gc_eval_arb_digits(t, net, digits, GC_MAX_PREC_DEFAULT,
                                      prec);
    }
}

int
main(int argc, char ** argv)
{
    static const slong lens[] = {100000, 1000000};
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    slong digits = argc > 2 ? atol(argv[2]) : 6;
    slong prec[NEVAL] = {53, 64, 0, 0};
    int k, i, r, c;

    gc_mpfr_widen_exponent_range();
    printf("random N(0,1) chains, best of %d runs, digits %ld\n", reps,
           (long) digits);
    printf("%8s %5s %9s %9s %7s %11s %11s %7s %6s %6s\n", "L", "clock",
           "fast (s)", "arb64 (s)", "ratio", "fast_dig(s)", "arb_dig (s)",
           "ratio", "prec_f", "prec_a");
    for (k = 0; k < 2; k++)
    {
        gc_random_t rnd;
        gc_net_t net;
        gc_arb_trace_t t;
        double best[2][NEVAL], t0, t1;

        gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
        gc_random_set_dist(rnd, &rnd->weights, 1);
        gc_net_init(net);
        gc_net_set_random(net, rnd, lens[k]);
        gc_net_materialize(net);
        gc_arb_trace_init(t, lens[k]);
        for (i = 0; i < NEVAL; i++)
        {
            best[0][i] = best[1][i] = 1e300;
            for (r = 0; r < reps; r++)
            {
                t0 = now(CLOCK_MONOTONIC);
                t1 = now(CLOCK_THREAD_CPUTIME_ID);
                if (run(i, t, net, digits, prec + i) != GC_SUCCESS)
                    abort();
                best[0][i] = FLINT_MIN(best[0][i], now(CLOCK_MONOTONIC) - t0);
                best[1][i] = FLINT_MIN(best[1][i],
                                       now(CLOCK_THREAD_CPUTIME_ID) - t1);
            }
        }
        for (c = 0; c < 2; c++)
            printf("%8ld %5s %9.4f %9.4f %7.2f %11.4f %11.4f %7.2f %6ld "
                   "%6ld\n", (long) lens[k], c ? "cpu" : "wall", best[c][0],
                   best[c][1], best[c][1] / best[c][0], best[c][2],
                   best[c][3], best[c][3] / best[c][2], (long) prec[2],
                   (long) prec[3]);
        gc_arb_trace_clear(t);
        gc_net_clear(net);
    }
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
