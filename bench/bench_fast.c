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
   test of the digits of every value), at several D, on random N(0,1)
   chains of 10^5 and 10^6 layers (stored, so that drawing the layers is
   not timed).  Times are the best of REPS runs of the CPU time of the
   thread (CLOCK_THREAD_CPUTIME_ID); the ratios are Arb's time over the
   fast path's; prec_f is the precision gc_eval_fast_digits reports (53:
   the fast path decided every digit; more: it fell back to Arb).  Then
   the depth limit: for L = 10^3 .. 10^6, the largest D such that the
   fast path decides every value at 1 .. D digits (the scan stops at the
   first D that falls back).  Usage: bench_fast [REPS] (default 5). */

#include <stdlib.h>
#include <time.h>

#include "gradchain.h"

static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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

/* The best CPU time of REPS runs of evaluation i. */
static double
best_time(int i, int reps, gc_arb_trace_t t, const gc_net_t net,
          slong digits, slong * prec)
{
    double best = 1e300, t0;
    int r;

    for (r = 0; r < reps; r++)
    {
        t0 = cpu_now();
        if (run(i, t, net, digits, prec) != GC_SUCCESS)
            abort();
        best = FLINT_MIN(best, cpu_now() - t0);
    }
    return best;
}

/* The stored N(0,1) chain of *len* layers, seed 1. */
static void
normal_net(gc_net_t net, slong len)
{
    gc_random_t rnd;

    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 1);
    gc_net_init(net);
    gc_net_set_random(net, rnd, len);
    gc_net_materialize(net);
}

int
main(int argc, char ** argv)
{
    static const slong lens[] = {100000, 1000000};
    static const slong dlist[] = {1, 3, 6, 10};
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    slong k, d, prec;

    gc_mpfr_widen_exponent_range();
    printf("random N(0,1) chains (seed 1), CPU time, best of %d runs\n",
           reps);
    printf("%8s %3s %10s %10s %7s %7s %7s %6s\n", "L", "D", "fast (s)",
           "arb (s)", "ratio", "ns/L f", "ns/L a", "prec_f");
    for (k = 0; k < 2; k++)
    {
        gc_net_t net;
        gc_arb_trace_t t;
        double tf, ta;

        normal_net(net, lens[k]);
        gc_arb_trace_init(t, lens[k]);
        /* D = 0: the evaluation alone, gc_eval_fast and gc_eval_arb */
        for (d = -1; d < (slong) (sizeof dlist / sizeof dlist[0]); d++)
        {
            slong digits = d < 0 ? 0 : dlist[d];
            int i = d < 0 ? 0 : 2;

            prec = 53;
            tf = best_time(i, reps, t, net, digits, &prec);
            ta = best_time(i + 1, reps, t, net, digits, &prec);
            /* prec of the fast path, run last */
            if (d >= 0)
                (void) run(i, t, net, digits, &prec);
            printf("%8ld %3ld %10.4f %10.4f %7.2f %7.1f %7.1f %6ld\n",
                   (long) lens[k], (long) digits, tf, ta, ta / tf,
                   1e9 * tf / lens[k], 1e9 * ta / lens[k], (long) prec);
            fflush(stdout);
        }
        gc_arb_trace_clear(t);
        gc_net_clear(net);
    }
    printf("\ndepth limit: the largest D with every value decided by the "
           "fast path\n%8s %5s\n", "L", "D");
    for (k = 1000; k <= 1000000; k *= 10)
    {
        gc_net_t net;
        gc_arb_trace_t t;

        normal_net(net, k);
        gc_arb_trace_init(t, k);
        for (d = 1; d <= GC_FAST_DIGITS_MAX; d++)
            if (gc_eval_fast_digits(t, net, d, 64, &prec) != GC_SUCCESS
                || prec != 53)
                break;
        printf("%8ld %5ld\n", (long) k, (long) d - 1);
        fflush(stdout);
        gc_arb_trace_clear(t);
        gc_net_clear(net);
    }
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
