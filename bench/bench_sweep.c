/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_sweep.c -- throughput of sweeps, the speed-up of threads, and
   where a sweep's time goes.  Not a test.

   bench_sweep [L [N [REPS]]]   N (default 400) N(0,1) chains of L layers
                                (default 1000), best of REPS (default 3)
                                wall-clock times (CLOCK_MONOTONIC):

   sweep    gc_sweep_run in binary64 with 1 and 2 threads: layers x
            networks per second, and the speed-up;
   parfor   the parallel for alone (gc_parallel_run, private) on a
            CPU-bound synthetic item of uneven cost, against a plain loop
            calling the same items (its own overhead) and against two bare
            pthreads each running half of the items (what two threads of
            this machine can give at most on this item);
   phases   one network at a time, as a sweep's thread does it: drawing
            the network, materializing it, the exact values (gc_eval_arb
            at 64 bits), one binary64 replay and the death scan, each
            over the replay. */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradchain.h"
#include "study/parallel.h"

static double
wall_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* ---- sweep ---------------------------------------------------------------- */

/* Sets *r* to the chains of every bench: N(0, 1), seed 1. */
static void
bench_normal(gc_random_t r)
{
    gc_dist_t d;

    gc_dist_set_normal(d, 0.0, 1.0);
    gc_random_set_dist(r, d, 1);
}

/* The sweep of N networks of *len* layers from *normal* in the format
   *f* on *threads* threads; returns the seconds it took. */
static double
time_sweep(gc_sweep_t s, const gc_random_t normal, slong len, slong n,
           const gc_numfmt_t f, slong threads)
{
    gc_sweep_spec_struct spec;
    gc_run_ctl_t ctl;
    double t;

    memset(&spec, 0, sizeof spec);
    spec.random = normal;
    spec.layers = len;
    spec.samples = n;
    spec.fmts = f;
    spec.nfmts = 1;
    spec.seq = GC_SEQ_PYTORCH;
    gc_run_ctl_init(ctl);
    ctl->threads = threads;
    t = wall_now();
    if (gc_sweep_run(s, &spec, ctl) != GC_SUCCESS)
    {
        fprintf(stderr, "bench_sweep: gc_sweep_run failed\n");
        exit(1);
    }
    return wall_now() - t;
}

static void
bench_sweep(slong len, slong n, int reps, const gc_numfmt_t f)
{
    gc_random_t normal;
    gc_sweep_t s1, s2;
    double t1 = 1e300, t2 = 1e300;
    int r;

    bench_normal(normal);
    gc_sweep_init(s1);
    gc_sweep_init(s2);
    for (r = 0; r < reps; r++)
    {
        t1 = FLINT_MIN(t1, time_sweep(s1, normal, len, n, f, 1));
        t2 = FLINT_MIN(t2, time_sweep(s2, normal, len, n, f, 2));
    }
    if (memcmp(s1->layer, s2->layer, n * GC_EVENTS * sizeof(slong)) != 0)
    {
        fprintf(stderr, "bench_sweep: 1 and 2 threads differ\n");
        exit(1);
    }
    printf("sweep   %ld networks x %ld layers, binary64\n", (long) n,
           (long) len);
    printf("  1 thread    %8.3f s  %.3g layers x networks/s\n", t1,
           (double) len * n / t1);
    printf("  2 threads   %8.3f s  %.3g layers x networks/s  speed-up "
           "%.2f\n", t2, (double) len * n / t2, t1 / t2);
    gc_sweep_clear(s1);
    gc_sweep_clear(s2);
}

/* ---- the parallel for alone ----------------------------------------------- */

/* Iterations of one unit of the synthetic item (about 20 us). */
#define SYNTH_UNIT 20000
#define SYNTH_ITEMS 4000

/* Item i: 1 + i mod 7 units of xorshift, stored in ((ulong *) arg)[i]. */
static int
synth_item(void * state, slong i, void * arg)
{
    ulong x = (ulong) i + 1, k, m = SYNTH_UNIT * (1 + (ulong) (i % 7));

    (void) state;
    for (k = 0; k < m; k++)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    ((ulong *) arg)[i] = x;
    return GC_SUCCESS;
}

/* The items of one bare thread: lo, lo + 2, ... (the odd and the even
   items have nearly the same total cost). */
typedef struct
{
    ulong * out;
    slong lo;
} synth_half_struct;

static void *
synth_half(void * arg)
{
    synth_half_struct * h = arg;
    slong i;

    for (i = h->lo; i < SYNTH_ITEMS; i += 2)
        synth_item(NULL, i, h->out);
    return NULL;
}

/* Seconds for the synthetic items by a plain loop (threads 0), two bare
   pthreads (threads -1) or gc_parallel_run over *threads* threads. */
static double
time_synth(ulong * out, slong threads)
{
    gc_par_job_struct job = {SYNTH_ITEMS, 0, NULL, synth_item, NULL, out};
    synth_half_struct h[2] = {{out, 0}, {out, 1}};
    gc_run_ctl_t ctl;
    pthread_t tid;
    double t = wall_now();
    slong ndone;

    if (threads <= 0)
    {
        if (threads < 0 && pthread_create(&tid, NULL, synth_half, h + 1))
            threads = 0;
        synth_half(h);
        if (threads < 0)
            pthread_join(tid, NULL);
        else
            synth_half(h + 1);
        return wall_now() - t;
    }
    gc_run_ctl_init(ctl);
    ctl->threads = threads;
    if (gc_parallel_run(NULL, &ndone, &job, ctl) != GC_SUCCESS
        || ndone != SYNTH_ITEMS)
    {
        fprintf(stderr, "bench_sweep: gc_parallel_run failed\n");
        exit(1);
    }
    return wall_now() - t;
}

static void
bench_parfor(int reps)
{
    ulong * out = flint_malloc(SYNTH_ITEMS * sizeof(ulong));
    double t[4] = {1e300, 1e300, 1e300, 1e300};
    int r, k;

    /* t[0]: plain loop, t[1], t[2]: 1 and 2 threads, t[3]: bare */
    for (r = 0; r < reps; r++)
        for (k = 0; k < 4; k++)
            t[k] = FLINT_MIN(t[k], time_synth(out, k < 3 ? k : -1));
    printf("parfor  %d synthetic items of 1..7 units of %d xorshifts\n",
           SYNTH_ITEMS, SYNTH_UNIT);
    printf("  plain loop  %8.3f s\n", t[0]);
    printf("  1 thread    %8.3f s  over the loop %.3f\n", t[1], t[1] / t[0]);
    printf("  2 threads   %8.3f s  speed-up %.2f\n", t[2], t[0] / t[2]);
    printf("  2 bare      %8.3f s  speed-up %.2f (the machine's)\n", t[3],
           t[0] / t[3]);
    flint_free(out);
}

/* ---- the phases of one network -------------------------------------------- */

#define PHASES 5
static const char * const phase_names[PHASES] = {
    "draw", "materialize", "eval_arb 64", "replay binary64", "death scan"};

/* Adds to t[] the seconds of each phase for networks 0 .. n-1. */
static void
time_phases(double * t, slong len, slong n, const gc_numfmt_t f)
{
    gc_random_t normal;
    gc_net_t net;
    gc_arb_trace_t exact;
    gc_replay_t r;
    double c[PHASES + 1];
    slong i;
    int k, status = GC_SUCCESS;

    bench_normal(normal);
    gc_net_init(net);
    gc_arb_trace_init(exact, len);
    gc_replay_init(r);
    for (i = 0; i < n; i++)
    {
        normal->seed = 1 + (ulong) i;
        c[0] = wall_now();
        gc_net_set_random(net, normal, len);
        c[1] = wall_now();
        gc_net_materialize(net);
        c[2] = wall_now();
        status |= gc_eval_arb(exact, net, 64);
        c[3] = wall_now();
        status |= gc_replay(r, net, f, GC_SEQ_PYTORCH, NULL);
        c[4] = wall_now();
        gc_death_scan_arb(&r->death, r->db_class, exact->db, len);
        c[5] = wall_now();
        for (k = 0; k < PHASES; k++)
            t[k] += c[k + 1] - c[k];
    }
    if (status != GC_SUCCESS)
    {
        fprintf(stderr, "bench_sweep: an evaluation failed\n");
        exit(1);
    }
    gc_replay_clear(r);
    gc_arb_trace_clear(exact);
    gc_net_clear(net);
}

static void
bench_phases(slong len, slong n, int reps, const gc_numfmt_t f)
{
    double best[PHASES], t[PHASES], all = 0;
    int r, k;

    for (k = 0; k < PHASES; k++)
        best[k] = 1e300;
    for (r = 0; r < reps; r++)
    {
        memset(t, 0, sizeof t);
        time_phases(t, len, n, f);
        for (k = 0; k < PHASES; k++)
            best[k] = FLINT_MIN(best[k], t[k]);
    }
    for (k = 0; k < PHASES; k++)
        all += best[k];
    printf("phases  %ld networks x %ld layers, 1 thread\n", (long) n,
           (long) len);
    printf("  %-16s %10s %12s %8s %8s\n", "phase", "s", "us/network",
           "/replay", "share");
    for (k = 0; k < PHASES; k++)
        printf("  %-16s %10.4f %12.1f %8.2f %7.1f%%\n", phase_names[k],
               best[k], 1e6 * best[k] / n, best[k] / best[3],
               100 * best[k] / all);
}

int
main(int argc, char ** argv)
{
    slong len = argc > 1 ? atol(argv[1]) : 1000;
    slong n = argc > 2 ? atol(argv[2]) : 400;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    gc_numfmt_t f;
    gc_parse_error_t err;

    if (len < 1 || len > GC_NET_LEN_MAX || n < 1 || reps < 1)
    {
        fprintf(stderr, "usage: bench_sweep [L >= 1 [N >= 1 [REPS >= 1]]]\n");
        return 2;
    }
    if (gc_numfmt_set_str(f, "binary64", err) != GC_SUCCESS)
        return 2;
    bench_sweep(len, n, reps, f);
    bench_parfor(reps);
    bench_phases(len, n, reps, f);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
