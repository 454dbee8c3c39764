/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_arb.c -- the Arb engine (gc_eval_arb) against a bare Arb loop, a
   bare MPFR loop with the same operations, and the MPFR engine
   (gc_eval_mpfr), on a random N(0,1) chain of 10^5 layers at 64, 256 and
   1024 bits.  Per layer both bare loops do one exponential and the same
   multiplications, additions and one division, forward and backward, from
   parameters rounded beforehand; the engine also rounds the exact rational
   parameters itself.  Times are the best of several runs, in wall-clock
   time (CLOCK_MONOTONIC) and in CPU time of the thread
   (CLOCK_THREAD_CPUTIME_ID, steadier on a loaded machine); the last column
   is the MPFR engine's time over the Arb engine's.
   Usage: bench_arb [LAYERS]. */

#include <stdlib.h>
#include <time.h>

#include "bare_arb.h"

static double
now(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The evaluations timed: bare MPFR, bare Arb, gc_eval_arb, gc_eval_mpfr. */
#define NEVAL 4

/* Starts (t[0], t[1]) or ends a timing: best[0] is the best wall-clock
   time, best[NEVAL] the best CPU time. */
static void
tic(double t[2])
{
    t[0] = now(CLOCK_MONOTONIC);
    t[1] = now(CLOCK_THREAD_CPUTIME_ID);
}

static void
toc(double * best, const double t[2])
{
    best[0] = FLINT_MIN(best[0], now(CLOCK_MONOTONIC) - t[0]);
    best[NEVAL] = FLINT_MIN(best[NEVAL],
                            now(CLOCK_THREAD_CPUTIME_ID) - t[1]);
}

/* The bare MPFR loop, the same operations rounded to nearest. */
static void
bare_mpfr(mpfr_ptr z, mpfr_ptr a, mpfr_ptr sp, mpfr_ptr db, mpfr_ptr dw,
          mpfr_srcptr w, mpfr_srcptr b, slong len, slong prec)
{
    mpfr_t d, g;
    slong j;

    mpfr_init2(d, prec);
    mpfr_init2(g, prec);
    mpfr_set_ui(a, 1, MPFR_RNDN);
    for (j = 0; j < len; j++)
    {
        mpfr_mul(z + j, w + j, a + j, MPFR_RNDN);
        mpfr_add(z + j, z + j, b + j, MPFR_RNDN);
        mpfr_neg(sp + j, z + j, MPFR_RNDN);
        mpfr_exp(sp + j, sp + j, MPFR_RNDN);
        mpfr_add_ui(d, sp + j, 1, MPFR_RNDN);
        mpfr_ui_div(a + j + 1, 1, d, MPFR_RNDN);
        mpfr_mul(sp + j, sp + j, a + j + 1, MPFR_RNDN);
        mpfr_mul(sp + j, sp + j, a + j + 1, MPFR_RNDN);
    }
    mpfr_set(g, a + len, MPFR_RNDN);
    for (j = len - 1; j >= 0; j--)
    {
        mpfr_mul(db + j, sp + j, g, MPFR_RNDN);
        mpfr_mul(g, w + j, db + j, MPFR_RNDN);
        mpfr_mul(dw + j, a + j, db + j, MPFR_RNDN);
    }
    mpfr_clear(d);
    mpfr_clear(g);
}

/* Best times of the evaluations over reps runs: best[0..NEVAL-1] wall
   clock, best[NEVAL..2 NEVAL-1] CPU time. */
static void
bench(double best[2 * NEVAL], const gc_net_t net, slong prec, int reps)
{
    slong j, len = net->len;
    arb_ptr w = _arb_vec_init(len), b = _arb_vec_init(len);
    arb_ptr av = _arb_vec_init(5 * len + 1);
    mpfr_ptr mw = flint_malloc(sizeof(__mpfr_struct) * (7 * len + 1));
    mpfr_ptr mv = mw + 2 * len;
    gc_arb_trace_t t;
    gc_trace_t mt;
    mpq_t wq, bq;
    double t0[2];
    int r, status;

    mpq_init(wq);
    mpq_init(bq);
    for (j = 0; j < 7 * len + 1; j++)
        mpfr_init2(mw + j, prec);
    for (j = 0; j < len; j++)
    {
        gc_net_get_layer_q(wq, bq, net, j + 1);
        arb_set_d(w + j, mpq_get_d(wq)); /* binary64 draws: exact */
        arb_set_d(b + j, mpq_get_d(bq));
        arb_set_round(w + j, w + j, prec);
        arb_set_round(b + j, b + j, prec);
        mpfr_set_q(mw + j, wq, MPFR_RNDN);
        mpfr_set_q(mw + len + j, bq, MPFR_RNDN);
    }
    gc_arb_trace_init(t, len);
    gc_trace_init(mt, len, prec);

    for (r = 0; r < 2 * NEVAL; r++)
        best[r] = 1e300;
    for (r = 0; r < reps; r++)
    {
        tic(t0);
        bare_mpfr(mv, mv + len, mv + 2 * len + 1, mv + 3 * len + 1,
                  mv + 4 * len + 1, mw, mw + len, len, prec);
        toc(best, t0);

        tic(t0);
        bare_arb(av, av + len, av + 2 * len + 1, av + 3 * len + 1,
                 av + 4 * len + 1, w, b, len, prec);
        toc(best + 1, t0);

        tic(t0);
        status = gc_eval_arb(t, net, prec);
        toc(best + 2, t0);

        tic(t0);
        status |= gc_eval_mpfr(mt, net);
        toc(best + 3, t0);
        if (status != GC_SUCCESS)
            abort();
    }

    gc_arb_trace_clear(t);
    gc_trace_clear(mt);
    for (j = 0; j < 7 * len + 1; j++)
        mpfr_clear(mw + j);
    flint_free(mw);
    _arb_vec_clear(w, len);
    _arb_vec_clear(b, len);
    _arb_vec_clear(av, 5 * len + 1);
    mpq_clear(wq);
    mpq_clear(bq);
}

int
main(int argc, char ** argv)
{
    static const slong precs[] = {64, 256, 1024};
    static const int reps[] = {15, 11, 5};
    slong len = argc > 1 ? atol(argv[1]) : 100000;
    gc_random_t rnd;
    gc_net_t net;
    double best[2 * NEVAL];
    int i, c;

    gc_mpfr_widen_exponent_range();
    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 1);
    gc_net_init(net);
    gc_net_set_random(net, rnd, len);
    gc_net_materialize(net);

    printf("random N(0,1) chain, L = %ld, best of %d, %d, %d runs\n",
           (long) len, reps[0], reps[1], reps[2]);
    printf("%6s %5s %9s %9s %9s %9s %10s %11s %11s\n", "prec", "clock",
           "MPFR (s)", "Arb (s)", "engine", "eval_mpfr", "engine/Arb",
           "MPFR/engine", "eval_mpfr/");
    for (i = 0; i < 3; i++)
    {
        bench(best, net, precs[i], reps[i]);
        for (c = 0; c < 2; c++)
        {
            const double * b = best + NEVAL * c;

            printf("%6ld %5s %9.4f %9.4f %9.4f %9.4f %10.3f %11.3f %11.3f\n",
                   (long) precs[i], c ? "cpu" : "wall", b[0], b[1], b[2],
                   b[3], b[2] / b[1], b[0] / b[2], b[3] / b[2]);
        }
    }

    gc_net_clear(net);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
