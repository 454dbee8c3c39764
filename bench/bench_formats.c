/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_formats.c -- the replay of the emulated formats: the MPFR
   path against the hardware path on mpfr_t values and on doubles
   (_gc_replay_path, private), in the same run.  Not a test.

   bench_formats [L [REPS [SEQ]]]   an N(0,1) sigmoid chain of L layers
                                    (default 100000), seed 1, replayed in
                                    binary16, bfloat16, e4m3, e5m2 and
                                    binary32 with the sequence SEQ
                                    (default pytorch); best of REPS
                                    (default 5) times, in ns per layer, of
                                    three paths: every emulated operation
                                    in MPFR keeping the trace (the
                                    reference), the hardware path keeping
                                    the trace (mpfr_t values), and the
                                    hardware path keeping only the
                                    gradients (GC_REPLAY_GRADS: values as
                                    doubles); the speed-up of the last
                                    over the first, and whether the three
                                    agree bit for bit (gradients, classes,
                                    counts); then gc_replay keeping its
                                    trace against keeping only the
                                    gradients in binary64, binary32,
                                    bfloat16 and binary16.
   The times are the CPU time of the thread (CLOCK_THREAD_CPUTIME_ID):
   on the shared 2-core machine, where other jobs keep the load at 4 to
   10, wall-clock times vary by a factor of 2 between runs. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gc-impl.h"

static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Best of *reps* times of one replay of *net* in *f* on the path
   *hardware*, into *r*. */
static double
best_time(gc_replay_t r, const gc_net_t net, const gc_numfmt_t f,
          gc_seq_t seq, int hardware, int reps)
{
    double best = 1e300, t;
    int k;

    for (k = 0; k < reps; k++)
    {
        t = cpu_now();
        if (_gc_replay_path(r, net, f, seq, NULL, hardware) != GC_SUCCESS)
            abort();
        t = cpu_now() - t;
        best = (t < best) ? t : best;
    }
    return best;
}

/* Sets t[0] and t[1] to the best times of the replays of *net* in the
   format *name* into *r* on the path *hr* and into *s* on the path
   *hs*. */
static void
pair_times(double * t, const char * name, gc_replay_t r, int hr,
           gc_replay_t s, int hs, const gc_net_t net, gc_seq_t seq,
           int reps)
{
    gc_numfmt_t f;
    gc_parse_error_t err;

    if (gc_numfmt_set_str(f, name, err) != GC_SUCCESS)
        abort();
    t[0] = best_time(r, net, f, seq, hr, reps);
    t[1] = best_time(s, net, f, seq, hs, reps);
}

/* 1 if the traces of r and s hold the same numbers. */
static int
same_trace(const gc_replay_t r, const gc_replay_t s)
{
    slong i, n = 5 * r->t->len + 1;

    for (i = 0; i < n; i++)
    {
        mpfr_srcptr x = r->t->z + i, y = s->t->z + i;

        if (!(mpfr_nan_p(x) && mpfr_nan_p(y)) && !mpfr_equal_p(x, y))
            return 0;
    }
    return r->overflows == s->overflows;
}

/* 1 if the replay *s* keeping only the gradients has those of the trace
   *r*: every dC/db_j and dC/dw_j (signs of zeros included), class and
   count. */
static int
same_grads(const gc_replay_t r, const gc_replay_t s)
{
    mpfr_t x, y;
    slong j;
    int k, ok = r->overflows == s->overflows && r->changed == s->changed;

    mpfr_init2(x, 64);
    mpfr_init2(y, 64);
    for (j = 1; ok && j <= r->len; j++)
        for (k = 0; ok && k < 2; k++)
        {
            if (k == 0)
                ok = gc_replay_get_db(x, r, j) == 0
                     && gc_replay_get_db(y, s, j) == 0;
            else
                ok = gc_replay_get_dw(x, r, j) == 0
                     && gc_replay_get_dw(y, s, j) == 0;
            ok = ok && ((mpfr_nan_p(x) && mpfr_nan_p(y))
                        || (mpfr_equal_p(x, y)
                            && mpfr_signbit(x) == mpfr_signbit(y)))
                 && r->db_class[j - 1] == s->db_class[j - 1]
                 && r->dw_class[j - 1] == s->dw_class[j - 1];
        }
    mpfr_clear(x);
    mpfr_clear(y);
    return ok;
}

int
main(int argc, char ** argv)
{
    static const char * const names[] = {"binary16", "bfloat16", "e4m3",
                                         "e5m2", "binary32"};
    static const char * const kept[] = {"binary64", "binary32", "bfloat16",
                                        "binary16"};
    slong len = (argc > 1) ? atol(argv[1]) : 100000;
    int reps = (argc > 2) ? atoi(argv[2]) : 5, k;
    gc_seq_t seq = GC_SEQ_PYTORCH;
    gc_random_t rnd;
    gc_dist_t d;
    gc_net_t net;
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_replay_t r, s, q;
    double t[3];

    if (argc > 3 && gc_seq_set_str(&seq, argv[3]) != GC_SUCCESS)
    {
        fprintf(stderr, "bench_formats: unknown sequence %s\n", argv[3]);
        return 2;
    }
    gc_dist_set_normal(d, 0.0, 1.0);
    gc_random_set_dist(rnd, d, 1);
    gc_net_init(net);
    gc_net_set_random(net, rnd, len);
    gc_net_materialize(net); /* the replay, not the drawing */
    gc_replay_init(r);
    gc_replay_init(s);
    printf("replay of an N(0,1) sigmoid chain, L = %ld, %s, best of %d\n",
           (long) len, gc_seq_name(seq), reps);
    printf("%-10s %10s %10s %10s %8s %s\n", "format", "MPFR ns/L",
           "hw mpfr_t", "hw double", "speed-up", "same");
    gc_replay_init(q);
    q->keep = GC_REPLAY_GRADS;
    for (k = 0; k < 5; k++)
    {
        pair_times(t, names[k], s, 0, r, 1, net, seq, reps);
        if (gc_numfmt_set_str(f, names[k], err) != GC_SUCCESS)
            abort();
        t[2] = best_time(q, net, f, seq, 1, reps);
        printf("%-10s %10.0f %10.0f %10.0f %8.1f %s\n", names[k],
               1e9 * t[0] / len, 1e9 * t[1] / len, 1e9 * t[2] / len,
               t[0] / t[2],
               same_trace(r, s) && same_grads(s, q) ? "yes" : "NO");
    }
    gc_replay_clear(q);
    printf("\ngc_replay keeping the trace against only the gradients\n");
    printf("%-10s %12s %12s %8s\n", "format", "trace ns/L", "grads ns/L",
           "ratio");
    s->keep = GC_REPLAY_GRADS;
    for (k = 0; k < 4; k++)
    {
        pair_times(t, kept[k], r, 1, s, 1, net, seq, reps);
        printf("%-10s %12.0f %12.0f %8.2f\n", kept[k], 1e9 * t[0] / len,
               1e9 * t[1] / len, t[1] / t[0]);
    }
    gc_replay_clear(r);
    gc_replay_clear(s);
    gc_net_clear(net);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
