/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* study.c -- sweeps over random networks (threads inside) and their
   order statistics. */

#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gc-impl.h"

/* The precision of the exact values whose exact zeros the death scan
   needs (see gc_sweep_run). */
#define STUDY_PREC 64

static const char * const study_event_names[GC_EVENTS] = {
    "subnormal", "zero", "nonfinite"};

const char *
gc_event_name(gc_event_t e)
{
    if ((int) e < 0 || (int) e >= GC_EVENTS)
        gc_throw("gc_event_name: bad event %d", (int) e);
    return study_event_names[e];
}

void
gc_sweep_init(gc_sweep_t s)
{
    s->samples = 0;
    s->nfmts = 0;
    s->layers = 0;
    s->seed = 0;
    s->layer = NULL;
}

void
gc_sweep_clear(gc_sweep_t s)
{
    flint_free(s->layer);
}

/* One thread's share of a sweep: networks lo .. hi-1. */
typedef struct
{
    gc_sweep_struct * s;
    const gc_random_struct * random;
    const gc_activation_struct * act;
    const gc_numfmt_struct * fmts;
    gc_seq_t seq;
    mpfr_srcptr scale;
    slong lo;
    slong hi;
    int status;
} study_block_struct;

/* Sweeps the networks of the block *b* with objects of its own. */
static void
study_block(study_block_struct * b)
{
    gc_sweep_struct * s = b->s;
    gc_net_t net;
    gc_arb_trace_t exact;
    gc_replay_t r;
    gc_random_t random;
    slong i, k;

    gc_net_init(net);
    gc_arb_trace_init(exact, s->layers);
    gc_replay_init(r);
    *random = *b->random;

    for (i = b->lo; i < b->hi; i++)
    {
        random->seed = b->random->seed + (ulong) i;
        gc_net_set_random(net, random, s->layers);
        if (b->act != NULL)
            gc_net_set_act(net, b->act);
        gc_net_materialize(net);
        b->status |= gc_eval_arb(exact, net, STUDY_PREC);
        for (k = 0; k < s->nfmts; k++)
        {
            slong * ev = s->layer + (i * s->nfmts + k) * GC_EVENTS;

            b->status |= gc_replay(r, net, b->fmts + k, b->seq, b->scale);
            if (b->status != GC_SUCCESS)
                break;
            gc_death_scan_arb(&r->death, r->db_class, exact->db, s->layers);
            ev[GC_EVENT_SUBNORMAL] = r->death.first_subnormal;
            ev[GC_EVENT_ZERO] = r->death.first_zero;
            ev[GC_EVENT_NONFINITE] = FLINT_MAX(r->death.first_inf,
                                               r->death.first_nan);
        }
        if (b->status != GC_SUCCESS)
            break;
    }

    gc_replay_clear(r);
    gc_arb_trace_clear(exact);
    gc_net_clear(net);
}

static void *
study_thread(void * arg)
{
    study_block(arg);
    /* this thread's caches */
    flint_cleanup();
    mpfr_free_cache();
    return NULL;
}

int
gc_sweep_run(gc_sweep_t s, const gc_random_t random, slong layers,
             const gc_activation_struct * act, slong samples,
             const gc_numfmt_struct * fmts, slong nfmts, gc_seq_t seq,
             mpfr_srcptr scale, slong threads)
{
    study_block_struct * blocks;
    pthread_t * tid;
    int * started;
    slong t, n;
    int status = GC_SUCCESS;

    if (samples < 1 || layers < 1 || layers > GC_NET_LEN_MAX || nfmts < 1
        || threads < 1)
        gc_throw("gc_sweep_run: bad samples %ld, layers %ld, formats %ld "
                 "or threads %ld", (long) samples, (long) layers,
                 (long) nfmts, (long) threads);
    threads = FLINT_MIN(threads, samples);
    flint_free(s->layer);
    s->samples = samples;
    s->nfmts = nfmts;
    s->layers = layers;
    s->seed = random->seed;
    if ((ulong) samples > (ulong) WORD_MAX / GC_EVENTS / (ulong) nfmts)
        gc_throw("gc_sweep_run: %ld samples of %ld formats exceed the "
                 "address space", (long) samples, (long) nfmts);
    n = samples * nfmts * GC_EVENTS;
    s->layer = flint_malloc(_gc_array_bytes(n, sizeof(slong),
                                            "gc_sweep_run"));
    memset(s->layer, 0, n * sizeof(slong));

    blocks = flint_malloc(threads * sizeof(study_block_struct));
    tid = flint_malloc(threads * sizeof(pthread_t));
    started = flint_calloc(threads, sizeof(int));
    for (t = 0; t < threads; t++)
    {
        study_block_struct * b = blocks + t;

        b->s = s;
        b->random = random;
        b->act = act;
        b->fmts = fmts;
        b->seq = seq;
        b->scale = scale;
        b->lo = samples * t / threads;
        b->hi = samples * (t + 1) / threads;
        b->status = GC_SUCCESS;
    }
    /* block 0 runs here; a block whose thread cannot start too */
    for (t = 1; t < threads; t++)
        started[t] = pthread_create(tid + t, NULL, study_thread,
                                    blocks + t) == 0;
    for (t = 0; t < threads; t++)
        if (!started[t])
            study_block(blocks + t);
    for (t = 0; t < threads; t++)
    {
        if (started[t])
            pthread_join(tid[t], NULL);
        status |= blocks[t].status;
    }

    flint_free(started);
    flint_free(tid);
    flint_free(blocks);
    return status;
}

slong
gc_sweep_layer(const gc_sweep_t s, slong i, slong k, gc_event_t e)
{
    if (i < 0 || i >= s->samples || k < 0 || k >= s->nfmts || (int) e < 0
        || (int) e >= GC_EVENTS)
        gc_throw("gc_sweep_layer: network %ld, format %ld or event %d out "
                 "of range", (long) i, (long) k, (int) e);
    return s->layer[(i * s->nfmts + k) * GC_EVENTS + e];
}

static int
study_cmp(const void * a, const void * b)
{
    slong x = *(const slong *) a, y = *(const slong *) b;

    return (x > y) - (x < y);
}

/* Returns the quantile *p* of the sorted values v[0..n), n >= 1. */
static double
study_quantile(const slong * v, slong n, double p)
{
    double h = (double) (n - 1) * p;
    slong lo = (slong) h;

    if (lo >= n - 1)
        return (double) v[n - 1];
    return (double) v[lo] + (h - (double) lo) * (double) (v[lo + 1] - v[lo]);
}

void
gc_stats_set_slong(gc_stats_t st, const slong * v, slong n, slong total)
{
    slong * w;

    if (n < 0 || total < n)
        gc_throw("gc_stats_set_slong: %ld values out of %ld", (long) n,
                 (long) total);
    st->count = n;
    st->total = total;
    st->min = st->q1 = st->median = st->q3 = st->max = 0;
    if (n == 0)
        return;
    w = flint_malloc(n * sizeof(slong));
    memcpy(w, v, n * sizeof(slong));
    qsort(w, n, sizeof(slong), study_cmp);
    st->min = (double) w[0];
    st->q1 = study_quantile(w, n, 0.25);
    st->median = study_quantile(w, n, 0.5);
    st->q3 = study_quantile(w, n, 0.75);
    st->max = (double) w[n - 1];
    flint_free(w);
}

void
gc_sweep_stats(gc_stats_t st, const gc_sweep_t s, slong k, gc_event_t e,
               int depth)
{
    slong i, n = 0;
    slong * v = flint_malloc(FLINT_MAX(s->samples, 1) * sizeof(slong));

    for (i = 0; i < s->samples; i++)
    {
        slong j = gc_sweep_layer(s, i, k, e);

        if (j != 0)
            v[n++] = depth ? s->layers - j + 1 : j;
    }
    gc_stats_set_slong(st, v, n, s->samples);
    flint_free(v);
}
