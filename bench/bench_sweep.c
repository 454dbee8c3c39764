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
   peer     gc_sweep_run in binary64, binary32, bfloat16 and binary16
            (the formats of bench/numpy_peer.py) on one thread, with the
            fast path and the replay kernel (the default), with gc_replay
            forced (spec.replay_generic) and with the Arb engine forced
            too (spec.exact_arb; the records must be equal), and the
            statistics the CLI prints: ns per layer and network, the
            thread's CPU time;
   phases   one network at a time, as a sweep's thread does it: drawing
            the network, materializing it, the exact values (gc_eval_arb
            at 64 bits, and gc_eval_fast, which the sweep uses instead
            when it can), one replay in each of the peer's formats
            (keeping only the gradients, GC_REPLAY_GRADS, as the sweep
            does) and the death scans, in ns per layer and network (the
            thread's CPU time) and over the binary64 replay; then the
            sweep's replay kernel (replay_lanes.c) in each format, on
            groups of 8 networks as the sweep runs it, and on one network
            at a time;
   floor    the same chains' parameters drawn as doubles
            (gc_random_draw) and replayed (pytorch sequence, the class
            of every dC/db_j) in bare C doubles and floats, one network
            at a time: what a replay costs without mpfr_t, rounding
            emulation nor exact values. */

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradchain.h"
#include "gc-impl.h"
#include "numeric/replay_lanes.h"
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

/* ---- four formats on one thread: the peer of numpy_peer.py -------------- */

/* The formats of the peer: numpy's float64, float32, float16 and torch's
   bfloat16. */
static const char peer_formats[] = "binary64,binary32,bfloat16,binary16";
#define PEER_NFMTS 4

static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The statistics that 'gradchain sweep' prints (every event as depths
   and as layers, and the depth reached, per variant); returns the
   thread's CPU seconds. */
static double
time_stats(const gc_sweep_t s)
{
    gc_stats_t st;
    double t = cpu_now();
    slong v;
    int e;

    for (v = 0; v < s->nvariants; v++)
    {
        for (e = 0; e < 2 * GC_EVENTS; e++)
            gc_sweep_stats(st, s, v, (gc_event_t) (e / 2), e % 2);
        gc_sweep_reached_stats(st, s, v);
    }
    return cpu_now() - t;
}

/* The sweep of N networks of *len* layers in the peer's formats on one
   thread, with the fast path and with the Arb engine forced (the records
   must be the same), and the statistics, in ns per layer and network
   (the thread's CPU time, best of *reps*). */
static void
bench_peer(slong len, slong n, int reps, const gc_numfmt_struct * fmts,
           slong nfmts)
{
    gc_random_t normal;
    gc_sweep_spec_struct spec;
    gc_sweep_t s[3];
    double t[4] = {1e300, 1e300, 1e300, 1e300}, c;
    double per = 1e9 / ((double) len * n);
    int r, k;

    bench_normal(normal);
    memset(&spec, 0, sizeof spec);
    spec.random = normal;
    spec.layers = len;
    spec.samples = n;
    spec.fmts = fmts;
    spec.nfmts = nfmts;
    spec.seq = GC_SEQ_PYTORCH;
    for (r = 0; r < reps; r++)
        for (k = 0; k < 3; k++)
        {
            gc_sweep_init(s[k]);
            spec.replay_generic = k >= 1;
            spec.exact_arb = k == 2;
            c = cpu_now();
            if (gc_sweep_run(s[k], &spec, NULL) != GC_SUCCESS)
            {
                fprintf(stderr, "bench_sweep: gc_sweep_run failed\n");
                exit(1);
            }
            t[k] = FLINT_MIN(t[k], cpu_now() - c);
            if (k >= 1 && memcmp(s[0]->layer, s[k]->layer,
                                 n * nfmts * GC_EVENTS * sizeof(slong)))
            {
                fprintf(stderr, "bench_sweep: the records differ\n");
                exit(1);
            }
        }
    t[3] = FLINT_MIN(t[3], time_stats(s[0]));
    for (k = 0; k < 3; k++)
        gc_sweep_clear(s[k]);
    printf("peer    %ld networks x %ld layers, %s, 1 thread, CPU\n",
           (long) n, (long) len, peer_formats);
    printf("  sweep, fast path, kernel %8.1f ns/(layer x network)\n",
           per * t[0]);
    printf("  sweep, gc_replay forced  %8.1f ns/(layer x network)\n",
           per * t[1]);
    printf("  sweep, and Arb forced    %8.1f ns/(layer x network)\n",
           per * t[2]);
    printf("  statistics               %8.1f ns/(layer x network)\n",
           per * t[3]);
}

/* ---- the floor: the same chains on bare doubles and floats -------------- */

/* The pytorch sequence of a sigmoid chain (quadratic cost, y = 0, a_0 =
   1) in the C type T with exp function EXP, vectorised by nothing:
   forward a_j = 1 / (1 + EXP(-(w_j a_{j-1} + b_j))), backward delta_j =
   (g (1 - a_j)) a_j, g = delta_j w_j, dW_j = a_{j-1} delta_j, and the
   class of every delta_j (what the death scan reads); *a* has len + 1
   entries.  Returns the number of zero and subnormal deltas (so that
   nothing is optimised away). */
#define FLOOR_REPLAY(name, T, EXP)                                          \
    static slong name(T * a, unsigned char * cls, const double * w,        \
                      const double * b, slong len)                         \
    {                                                                      \
        T g, d, dw, sink = 0;                                              \
        slong j, dead = 0;                                                 \
                                                                           \
        a[0] = 1;                                                          \
        for (j = 0; j < len; j++)                                          \
            a[j + 1] = (T) 1 / ((T) 1 + EXP(-((T) w[j] * a[j]              \
                                               + (T) b[j])));              \
        g = a[len];                                                        \
        for (j = len - 1; j >= 0; j--)                                     \
        {                                                                  \
            d = (g * ((T) 1 - a[j + 1])) * a[j + 1];                       \
            dw = a[j] * d;                                                 \
            sink += dw;                                                    \
            cls[j] = (unsigned char) fpclassify(d);                        \
            dead += cls[j] == FP_ZERO || cls[j] == FP_SUBNORMAL;           \
            g = d * (T) w[j];                                              \
        }                                                                  \
        return dead + (sink != sink);                                      \
    }

FLOOR_REPLAY(floor_double, double, exp)
FLOOR_REPLAY(floor_float, float, expf)

/* The thread's CPU time of drawing the parameters of networks 0 .. n-1
   (gc_random_draw, the sweep's stream) and of replaying them on doubles
   and on floats, in ns per layer and network, best of *reps*. */
static void
bench_floor(slong len, slong n, int reps)
{
    gc_random_t normal;
    double * w = flint_malloc(2 * len * sizeof(double)), * b = w + len;
    double * ad = flint_malloc((len + 1) * sizeof(double));
    float * af = flint_malloc((len + 1) * sizeof(float));
    unsigned char * cls = flint_malloc(len);
    double t[3] = {1e300, 1e300, 1e300}, u[3], c, per;
    slong i, j, dead = 0;
    int r;

    bench_normal(normal);
    for (r = 0; r < reps; r++)
    {
        memset(u, 0, sizeof u);
        for (i = 0; i < n; i++)
        {
            normal->seed = 1 + (ulong) i;
            c = cpu_now();
            for (j = 0; j < len; j++)
                gc_random_draw(w + j, b + j, normal, j + 1);
            u[0] += cpu_now() - c;
            c = cpu_now();
            dead += floor_double(ad, cls, w, b, len);
            u[1] += cpu_now() - c;
            c = cpu_now();
            dead += floor_float(af, cls, w, b, len);
            u[2] += cpu_now() - c;
        }
        for (i = 0; i < 3; i++)
            t[i] = FLINT_MIN(t[i], u[i]);
    }
    per = 1e9 / ((double) len * n);
    printf("floor   %ld networks x %ld layers on bare C types, 1 thread, "
           "CPU (%ld dead deltas)\n", (long) n, (long) len, (long) dead);
    printf("  draw (gc_random_draw)  %8.1f ns/(layer x network)\n",
           per * t[0]);
    printf("  replay in double       %8.1f ns/(layer x network)\n",
           per * t[1]);
    printf("  replay in float        %8.1f ns/(layer x network)\n",
           per * t[2]);
    flint_free(w);
    flint_free(ad);
    flint_free(af);
    flint_free(cls);
}

/* ---- the phases of one network -------------------------------------------- */

/* draw, materialize, eval_arb, eval_fast, one replay per format, the
   death scans */
#define PHASES_FIXED 4
#define PHASES_MAX (PHASES_FIXED + PEER_NFMTS + 1)
static const char * const phase_names[PHASES_FIXED] = {
    "draw", "materialize", "eval_arb 64", "eval_fast"};

/* Adds to t[] the thread's CPU seconds of each phase for networks
   0 .. n-1, the formats fmts[0 .. nfmts). */
static void
time_phases(double * t, slong len, slong n, const gc_numfmt_struct * fmts,
            slong nfmts)
{
    gc_random_t normal;
    gc_net_t net;
    gc_arb_trace_t exact;
    gc_replay_struct r[PEER_NFMTS]; /* one per format, as in a sweep */
    double c[PHASES_FIXED + 1];
    slong i, k, np = PHASES_FIXED + nfmts + 1;
    int status = GC_SUCCESS;

    bench_normal(normal);
    gc_net_init(net);
    gc_arb_trace_init(exact, len);
    for (k = 0; k < nfmts; k++)
    {
        gc_replay_init(r + k);
        r[k].keep = GC_REPLAY_GRADS; /* as the sweep's (study.c) */
    }
    for (i = 0; i < n; i++)
    {
        normal->seed = 1 + (ulong) i;
        c[0] = cpu_now();
        gc_net_set_random(net, normal, len);
        c[1] = cpu_now();
        gc_net_materialize(net);
        c[2] = cpu_now();
        status |= gc_eval_arb(exact, net, 64);
        c[3] = cpu_now();
        status |= gc_eval_fast(exact, net);
        c[4] = cpu_now();
        for (k = 0; k < PHASES_FIXED; k++)
            t[k] += c[k + 1] - c[k];
        for (k = 0; k < nfmts; k++)
        {
            status |= gc_replay(r + k, net, fmts + k, GC_SEQ_PYTORCH, NULL);
            c[0] = cpu_now();
            gc_death_scan_arb(&r[k].death, r[k].db_class, exact->db, len);
            c[1] = cpu_now();
            t[PHASES_FIXED + k] += c[0] - c[PHASES_FIXED];
            t[np - 1] += c[1] - c[0];
            c[PHASES_FIXED] = c[1];
        }
    }
    if (status != GC_SUCCESS)
    {
        fprintf(stderr, "bench_sweep: an evaluation failed\n");
        exit(1);
    }
    for (k = 0; k < nfmts; k++)
        gc_replay_clear(r + k);
    gc_arb_trace_clear(exact);
    gc_net_clear(net);
}

static void
bench_phases(slong len, slong n, int reps, const gc_numfmt_struct * fmts,
             slong nfmts)
{
    double best[PHASES_MAX], t[PHASES_MAX], per = 1e9 / ((double) len * n);
    double fast = 0;
    slong k, np = PHASES_FIXED + nfmts + 1;
    int r;

    for (k = 0; k < np; k++)
        best[k] = 1e300;
    for (r = 0; r < reps; r++)
    {
        memset(t, 0, sizeof t);
        time_phases(t, len, n, fmts, nfmts);
        for (k = 0; k < np; k++)
            best[k] = FLINT_MIN(best[k], t[k]);
    }
    for (k = 0; k < np; k++)
        fast += k == 2 ? 0 : best[k];
    printf("phases  %ld networks x %ld layers, 1 thread, CPU\n", (long) n,
           (long) len);
    printf("  %-18s %14s %8s %8s\n", "phase", "ns/(layer x net)",
           "/replay", "share");
    for (k = 0; k < np; k++)
    {
        char name[64];

        if (k < PHASES_FIXED)
            snprintf(name, sizeof name, "%s", phase_names[k]);
        else if (k < np - 1)
            snprintf(name, sizeof name, "replay %s",
                     fmts[k - PHASES_FIXED].name);
        else
            snprintf(name, sizeof name, "death scans");
        printf("  %-18s %14.1f %8.2f %7.1f%%%s\n", name, per * best[k],
               best[k] / best[PHASES_FIXED], 100 * best[k] / fast,
               k == 2 ? " (not in the sum)" : "");
    }
    printf("  %-18s %14.1f\n", "sum, fast path", per * fast);
}

/* The sweep's replay kernel in each format of fmts[0 .. nfmts) on the
   chains of the phases, K networks at a time (the parameters extracted
   beforehand, not timed): ns per layer and network, best of *reps*. */
static void
bench_kernel(slong len, slong n, int reps, const gc_numfmt_struct * fmts,
             slong nfmts, slong K)
{
    gc_random_t normal;
    gc_net_t net;
    double * w = flint_malloc(n * len * sizeof(double));
    double * b = flint_malloc(n * len * sizeof(double));
    double * scratch = flint_malloc(_gc_lanes_scratch(len, K)
                                    * sizeof(double));
    gc_class_t * cls = flint_malloc(K * len * sizeof(gc_class_t));
    double best[PEER_NFMTS], per = 1e9 / ((double) len * n), c;
    slong i, j, k, ovl[GC_LANES_MAX];
    unsigned declined = 0;
    int r;

    bench_normal(normal);
    gc_net_init(net);
    /* group g's lane l is network g K + l, its w_j at g K len + (j - 1) K
       + l */
    for (i = 0; i < n; i++)
    {
        slong g = i / K, l = i % K, m = FLINT_MIN(K, n - g * K);

        normal->seed = 1 + (ulong) i;
        gc_net_set_random(net, normal, len);
        gc_net_materialize(net);
        for (j = 1; j <= len; j++)
            _gc_net_get_layer_d(w + g * K * len + (j - 1) * m + l,
                                b + g * K * len + (j - 1) * m + l, net, j);
    }
    for (k = 0; k < nfmts; k++)
        best[k] = 1e300;
    for (r = 0; r < reps; r++)
        for (k = 0; k < nfmts; k++)
        {
            c = cpu_now();
            for (i = 0; i < n; i += K)
                declined |= _gc_replay_lanes(cls, ovl, NULL, w + i * len,
                                             b + i * len, 1.0, 0.0, len,
                                             FLINT_MIN(K, n - i), fmts + k,
                                             GC_SEQ_PYTORCH, scratch);
            best[k] = FLINT_MIN(best[k], cpu_now() - c);
        }
    printf("kernel  %ld networks x %ld layers, %ld a group, 1 thread, "
           "CPU%s\n", (long) n, (long) len, (long) K,
           declined ? " (some declined)" : "");
    for (k = 0; k < nfmts; k++)
        printf("  %-18s %14.1f ns/(layer x network)\n", fmts[k].name,
               per * best[k]);
    flint_free(w);
    flint_free(b);
    flint_free(scratch);
    flint_free(cls);
    gc_net_clear(net);
}

int
main(int argc, char ** argv)
{
    slong len = argc > 1 ? atol(argv[1]) : 1000;
    slong n = argc > 2 ? atol(argv[2]) : 400;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    gc_numfmt_t f;
    gc_numfmt_struct * fmts;
    slong nfmts;
    gc_parse_error_t err;

    if (len < 1 || len > GC_NET_LEN_MAX || n < 1 || reps < 1)
    {
        fprintf(stderr, "usage: bench_sweep [L >= 1 [N >= 1 [REPS >= 1]]]\n");
        return 2;
    }
    if (gc_numfmt_set_str(f, "binary64", err) != GC_SUCCESS
        || gc_numfmt_list_set_str(&fmts, &nfmts, peer_formats, err)
               != GC_SUCCESS)
        return 2;
    bench_sweep(len, n, reps, f);
    bench_parfor(reps);
    bench_peer(len, n, reps, fmts, nfmts);
    bench_phases(len, n, reps, fmts, nfmts);
    bench_kernel(len, n, reps, fmts, nfmts, GC_LANES_MAX);
    bench_kernel(len, n, reps, fmts, nfmts, 1);
    bench_floor(len, n, reps);
    flint_free(fmts);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
