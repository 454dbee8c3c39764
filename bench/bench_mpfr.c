/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_mpfr.c -- the MPFR engine against a bare MPFR loop, and the
   memory of the streamed gradient.  Not a test; see bench/README.md.

   bench_mpfr [L [REPS]]      L-layer N(0,1) chain (default 100000) at 64,
                              256 and 1024 bits: best of REPS (default 5)
                              times of the bare loop, gc_eval_chain_mpfr
                              and gc_eval_mpfr, and the ratios
   bench_mpfr --stream L [PREC]
                              dC/db_1 of a generated L-layer chain by
                              gc_eval_param_mpfr: time and peak RSS */

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "gradchain.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static long
peak_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static mpfr_ptr
vec_init(slong n, mpfr_prec_t prec)
{
    mpfr_ptr v = flint_malloc(sizeof(__mpfr_struct) * n);
    slong i;

    for (i = 0; i < n; i++)
        mpfr_init2(v + i, prec);
    return v;
}

static void
vec_clear(mpfr_ptr v, slong n)
{
    slong i;

    for (i = 0; i < n; i++)
        mpfr_clear(v + i);
    flint_free(v);
}

/* The bare loop: the least MPFR work for the forward and backward passes
   with pre-rounded w, b and preallocated arrays, written as a user would
   (a = 1/(1+e^-z), s' = a(1-a), dC/da_L = a_L - y with y rounded): per
   layer fma, neg, exp, add, div, sub, mul forward and three mul
   backward. */
static void
bare_loop(mpfr_ptr db, mpfr_ptr dw, mpfr_ptr z, mpfr_ptr a, mpfr_ptr sp,
          mpfr_srcptr w, mpfr_srcptr b, const mpfr_t y, slong len,
          mpfr_t tmp)
{
    slong j;

    for (j = 0; j < len; j++)
    {
        mpfr_fma(z + j, w + j, a + j, b + j, MPFR_RNDN);
        mpfr_neg(tmp, z + j, MPFR_RNDN);
        mpfr_exp(tmp, tmp, MPFR_RNDN);
        mpfr_add_ui(tmp, tmp, 1, MPFR_RNDN);
        mpfr_ui_div(a + j + 1, 1, tmp, MPFR_RNDN);
        mpfr_ui_sub(tmp, 1, a + j + 1, MPFR_RNDN);
        mpfr_mul(sp + j, a + j + 1, tmp, MPFR_RNDN);
    }
    mpfr_sub(tmp, a + len, y, MPFR_RNDN);
    mpfr_mul(db + len - 1, sp + len - 1, tmp, MPFR_RNDN);
    for (j = len - 2; j >= 0; j--)
    {
        mpfr_mul(tmp, w + j + 1, db + j + 1, MPFR_RNDN);
        mpfr_mul(db + j, sp + j, tmp, MPFR_RNDN);
    }
    for (j = 0; j < len; j++)
        mpfr_mul(dw + j, a + j, db + j, MPFR_RNDN);
}

static void
bench_ratio(slong len, int reps)
{
    static const mpfr_prec_t precs[] = {64, 256, 1024};
    gc_random_t rnd;
    gc_net_t net;
    int i, r;

    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 7);
    gc_net_init(net);
    gc_net_set_random(net, rnd, len);
    gc_net_materialize(net);
    printf("L = %ld, N(0,1) seed 7, best of %d runs (seconds)\n",
           (long) len, reps);
    printf("%6s %10s %10s %10s %8s %8s %10s\n", "bits", "bare", "chain",
           "eval", "chain/b", "eval/b", "max rel");
    for (i = 0; i < 3; i++)
    {
        mpfr_prec_t prec = precs[i];
        gc_chain_mpfr_t c;
        gc_trace_t t;
        mpfr_ptr z, a, sp, db, dw;
        mpfr_t y, tmp;
        double tb = 1e300, tc = 1e300, te = 1e300, t0;
        double maxrel = 0.0;
        slong j;

        gc_chain_mpfr_init(c, net, prec);
        gc_trace_init(t, len, prec);
        z = vec_init(len, prec);
        a = vec_init(len + 1, prec);
        sp = vec_init(len, prec);
        db = vec_init(len, prec);
        dw = vec_init(len, prec);
        mpfr_inits2(prec, y, tmp, (mpfr_ptr) 0);
        mpfr_set_q(y, net->y, MPFR_RNDN);
        mpfr_set_q(a, net->a0, MPFR_RNDN);

        for (r = 0; r < reps; r++)
        {
            t0 = now();
            bare_loop(db, dw, z, a, sp, c->w, c->b, y, len, tmp);
            tb = FLINT_MIN(tb, now() - t0);

            t0 = now();
            if (gc_eval_chain_mpfr(t, c) != GC_SUCCESS)
                abort();
            tc = FLINT_MIN(tc, now() - t0);

            t0 = now();
            if (gc_eval_mpfr(t, net) != GC_SUCCESS)
                abort();
            te = FLINT_MIN(te, now() - t0);
        }
        /* the two compute the same numbers (different roundings) */
        for (j = 0; j < len; j++)
            if (!mpfr_zero_p(t->db + j))
            {
                mpfr_sub(tmp, db + j, t->db + j, MPFR_RNDN);
                mpfr_div(tmp, tmp, t->db + j, MPFR_RNDN);
                mpfr_abs(tmp, tmp, MPFR_RNDN);
                maxrel = FLINT_MAX(maxrel, mpfr_get_d(tmp, MPFR_RNDU));
            }
        printf("%6ld %10.4f %10.4f %10.4f %8.3f %8.3f %10.2e\n",
               (long) prec, tb, tc, te, tc / tb, te / tb, maxrel);
        fflush(stdout);

        mpfr_clears(y, tmp, (mpfr_ptr) 0);
        vec_clear(z, len);
        vec_clear(a, len + 1);
        vec_clear(sp, len);
        vec_clear(db, len);
        vec_clear(dw, len);
        gc_trace_clear(t);
        gc_chain_mpfr_clear(c);
    }
    gc_net_clear(net);
}

static void
bench_stream(slong len, mpfr_prec_t prec)
{
    gc_random_t rnd;
    gc_param_t p;
    gc_net_t net;
    mpfr_t res;
    long rss0;
    double t0;

    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 7);
    gc_param_set(p, GC_PARAM_B, 1);
    gc_net_init(net);
    gc_net_set_random(net, rnd, len);
    mpfr_init2(res, prec);
    rss0 = peak_rss_kib();
    t0 = now();
    if (gc_eval_param_mpfr(res, net, p) != GC_SUCCESS)
        abort();
    t0 = now() - t0;
    mpfr_printf("L = %ld, %ld bits: dC/db_1 = %.10Re\n", (long) len,
                (long) prec, res);
    printf("time %.2f s, peak RSS %ld KiB (%ld KiB before the "
           "evaluation)\n", t0, peak_rss_kib(), rss0);
    mpfr_clear(res);
    gc_net_clear(net);
}

int
main(int argc, char ** argv)
{
    if (argc >= 3 && strcmp(argv[1], "--stream") == 0)
        bench_stream(atol(argv[2]), argc >= 4 ? atol(argv[3]) : 64);
    else
        bench_ratio(argc >= 2 ? atol(argv[1]) : 100000,
                    argc >= 3 ? atoi(argv[2]) : 5);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
