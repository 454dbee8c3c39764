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

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gc-impl.h"
#include "numeric/replay_lanes.h"
#include "study/parallel.h"

/* The precision of the exact values whose exact zeros the death scan
   needs (see gc_sweep_run). */
#define STUDY_PREC 64

/* The most layers x networks of a group of networks replayed together
   by the kernel (replay_lanes.h): its per-thread arrays (the networks'
   parameters, the kernel's scratch and classes, about 90 bytes a layer
   and network) stay within a few megabytes. */
#define STUDY_LANE_LAYERS 65536

static const char * const study_event_names[GC_EVENTS] = {
    "subnormal", "zero", "nonfinite", "overflow", "norm_subnormal",
    "norm_zero"};

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
    memset(s, 0, sizeof(gc_sweep_struct));
}

void
gc_sweep_clear(gc_sweep_t s)
{
    flint_free(s->layer);
    flint_free(s->scale_exp);
    flint_free(s->base_lost);
    flint_free(s->depths);
    flint_free(s->log10);
    flint_free(s->ratios);
    flint_free(s->ratio);
    flint_free(s->ratio_small);
    flint_free(s->factor);
    flint_free(s->factor_below);
    flint_free(s->done);
    gc_sweep_init(s);
}

/* The sizes of the records of *spec*, in objects. */
typedef struct
{
    slong nslots;
    slong events;  /* layer */
    slong fmts;    /* scale_exp, base_lost */
    slong log10;
    slong ratio;   /* ratio, ratio_small */
    slong factor;
} study_sizes_struct;

/* Returns a * b, or -1 when a * b exceeds WORD_MAX (a, b >= 0). */
static slong
study_mul(slong a, slong b)
{
    if (a < 0 || b < 0 || (b != 0 && a > WORD_MAX / b))
        return -1;
    return a * b;
}

static void
study_sizes(study_sizes_struct * z, const gc_sweep_spec_struct * spec)
{
    slong n = spec->samples;

    z->nslots = FLINT_MAX(spec->nscales + (spec->scale_auto != 0), 1);
    z->events = study_mul(study_mul(n, study_mul(z->nslots, spec->nfmts)),
                          GC_EVENTS);
    z->fmts = study_mul(n, spec->nfmts);
    z->log10 = study_mul(n, spec->ndepths);
    z->ratio = study_mul(n, spec->nratios);
    z->factor = spec->factors ? study_mul(n, spec->layers - 1) : 0;
}

/* Returns a + b, or -1 when a or b is negative or a + b exceeds
   WORD_MAX. */
static slong
study_add(slong a, slong b)
{
    if (a < 0 || b < 0 || a > WORD_MAX - b)
        return -1;
    return a + b;
}

size_t
gc_sweep_records_bytes(const gc_sweep_spec_struct * spec)
{
    study_sizes_struct z;
    slong words;

    /* layer, scale_exp, base_lost, log10, ratio and factor are words;
       ratio_small and done (a byte each) and factor_below count as words
       too */
    study_sizes(&z, spec);
    words = study_add(z.events, study_mul(z.fmts, 2));
    words = study_add(words, study_add(z.log10, study_mul(z.ratio, 2)));
    words = study_add(words, study_add(z.factor,
                                       study_mul(spec->samples, 2)));
    if (words < 0)
        return SIZE_MAX;
    return _gc_bytes_estimate(words, sizeof(slong), 0);
}

/* Returns n zeroed objects of *size* bytes (gc_throw when n < 0: a size
   beyond the address space). */
static void *
study_calloc(slong n, size_t size)
{
    (void) _gc_array_bytes(n, size, "gc_sweep_run");
    return flint_calloc(FLINT_MAX(n, 1), size);
}

/* Checks the wide part of *spec* (gc_throw): widths >= 1, no ratio nor
   factor. */
static void
study_check_wide(const gc_sweep_spec_struct * spec)
{
    slong l;

    for (l = 0; l <= spec->layers; l++)
        if (spec->widths[l] < 1)
            gc_throw("gc_sweep_run: width %ld of layer %ld",
                     (long) spec->widths[l], (long) l);
    if (spec->nratios != 0 || spec->factors)
        gc_throw("gc_sweep_run: ratios and factors are for chains only");
}

/* Checks *spec* (gc_throw) and sizes *s* for it, records zeroed. */
static void
study_alloc(gc_sweep_t s, const gc_sweep_spec_struct * spec)
{
    study_sizes_struct z;
    slong t, L = spec->layers;

    if (spec->samples < 1 || L < 1 || L > GC_NET_LEN_MAX
        || spec->nfmts < 1 || spec->nscales < 0 || spec->ndepths < 0
        || spec->nratios < 0)
        gc_throw("gc_sweep_run: bad samples %ld, layers %ld, formats %ld "
                 "or list length", (long) spec->samples, (long) L,
                 (long) spec->nfmts);
    if (spec->widths != NULL)
        study_check_wide(spec);
    for (t = 0; t < spec->ndepths; t++)
        if (spec->depths[t] < 1 || spec->depths[t] > L)
            gc_throw("gc_sweep_run: depth %ld out of 1..%ld",
                     (long) spec->depths[t], (long) L);
    for (t = 0; t < 2 * spec->nratios; t++)
        if (spec->ratios[t].kind != GC_PARAM_B || spec->ratios[t].layer < 1
            || spec->ratios[t].layer > L
            || (t % 2 == 1
                && spec->ratios[t - 1].layer >= spec->ratios[t].layer))
            gc_throw("gc_sweep_run: ratio %ld is not bJ:bK with 1 <= J < "
                     "K <= %ld", (long) (t / 2), (long) L);
    study_sizes(&z, spec);
    gc_sweep_clear(s);
    s->samples = spec->samples;
    s->nfmts = spec->nfmts;
    s->nslots = z.nslots;
    s->nvariants = z.nslots * spec->nfmts;
    s->layers = L;
    s->seed = spec->random->seed;
    s->ndepths = spec->ndepths;
    s->nratios = spec->nratios;
    s->layer = study_calloc(z.events, sizeof(slong));
    s->done = study_calloc(spec->samples, 1);
    if (spec->scale_auto)
        s->scale_exp = study_calloc(z.fmts, sizeof(slong));
    if (spec->scale_auto || spec->nscales > 0)
        s->base_lost = study_calloc(z.fmts, sizeof(slong));
    s->depths = study_calloc(spec->ndepths, sizeof(slong));
    s->log10 = study_calloc(z.log10, sizeof(double));
    s->ratios = study_calloc(2 * spec->nratios, sizeof(slong));
    s->ratio = study_calloc(z.ratio, sizeof(double));
    s->ratio_small = study_calloc(z.ratio, 1);
    if (spec->factors)
    {
        s->factor = study_calloc(z.factor, sizeof(double));
        s->factor_below = study_calloc(spec->samples, sizeof(slong));
    }
    for (t = 0; t < spec->ndepths; t++)
        s->depths[t] = spec->depths[t];
    for (t = 0; t < 2 * spec->nratios; t++)
        s->ratios[t] = spec->ratios[t].layer;
}

/* One thread's objects: the networks of a group (nets; the one being
   recorded, net, is lane *lane* of the group), its exact values, a
   replay per format (each keeps only the gradients, GC_REPLAY_GRADS:
   the sweep reads their classes and the replay's counts; a replay keeps its
   storage from one network to the next only while its format stays: one
   replay for every format would allocate it anew at each change of
   format), a power of two for the automatic scale and Arb
   temporaries.  A sweep of wide networks (wide != 0) uses wnet, wdb
   (its exact dC/db^l_i, in gc_wnet_neuron_index order) and wreps
   instead of net, exact and reps.  The kernel's (lw == NULL without
   it): the group's parameters lw, lb (lane l's w_j at (j - 1) n + l in
   a group of n), its scratch, and of format k the classes of lane l at
   lcls + (k lanes + l) L, the overflow layers at lovl[k lanes + l], the
   lanes it declined (every one where the kernel did not run) at
   ldecl[k]. */
typedef struct
{
    const gc_numfmt_struct * fmts; /* the spec's, with its sr_seed */
    gc_net_struct nets[GC_LANES_MAX];
    gc_net_struct * net;
    slong lanes; /* networks a group */
    slong lane;
    double * lw;
    double * lb;
    double * scratch;
    gc_class_t * lcls;
    slong * lovl;
    unsigned * ldecl;
    gc_random_t random;
    gc_arb_trace_t exact;
    gc_replay_struct * reps;
    gc_replay_struct * r; /* that of the format being replayed */
    int wide;
    gc_wnet_t wnet;
    arb_ptr wdb;
    slong nwdb;
    gc_wreplay_struct * wreps;
    gc_wreplay_struct * wr; /* that of the format being replayed */
    slong nfmts;
    mpfr_t pow2;
    arb_t x;
    arb_t y;
    arb_t z;
    arb_t one;
    arb_t ln10;
    arf_t lo;
    arf_t hi;
} study_work_struct;

/* Returns n objects of *size* bytes (gc_throw for a size beyond
   size_t). */
static void *
study_malloc(slong n, size_t size)
{
    return flint_malloc(_gc_array_bytes(n, size, "gc_sweep_run"));
}

/* The wide part of study_work_init: the network's widths (its
   parameters come with each network) and a replay per format. */
static void
study_work_init_wide(study_work_struct * w, const gc_sweep_spec_struct * spec)
{
    slong k;

    gc_wnet_init(w->wnet);
    gc_wnet_set_widths(w->wnet, spec->layers, spec->widths);
    w->nwdb = w->wnet->noff[spec->layers];
    w->wdb = _arb_vec_init(w->nwdb);
    w->wreps = study_malloc(spec->nfmts, sizeof(gc_wreplay_struct));
    for (k = 0; k < spec->nfmts; k++)
        gc_wreplay_init(w->wreps + k);
    w->wr = w->wreps;
}

/* The networks of a group of *spec*: up to GC_LANES_MAX chains for the
   kernel, within STUDY_LANE_LAYERS layers in all; 1 for wide networks or
   without the kernel. */
static slong
study_lanes(const gc_sweep_spec_struct * spec)
{
    if (spec->widths != NULL || spec->replay_generic)
        return 1;
    return FLINT_MAX(FLINT_MIN(GC_LANES_MAX,
                               STUDY_LANE_LAYERS / spec->layers), 1);
}

/* The kernel's part of study_work_init (not for wide networks nor
   spec->replay_generic). */
static void
study_work_init_lanes(study_work_struct * w,
                      const gc_sweep_spec_struct * spec)
{
    slong K = w->lanes, L = spec->layers;

    w->lw = study_malloc(study_mul(K, L), sizeof(double));
    w->lb = study_malloc(study_mul(K, L), sizeof(double));
    w->scratch = study_malloc(_gc_lanes_scratch(L, K), sizeof(double));
    w->lcls = study_malloc(study_mul(study_mul(spec->nfmts, K), L),
                           sizeof(gc_class_t));
    w->lovl = study_malloc(study_mul(spec->nfmts, K), sizeof(slong));
}

static void
study_work_init(study_work_struct * w, const gc_sweep_spec_struct * spec,
                const gc_numfmt_struct * fmts)
{
    slong k;

    w->fmts = fmts;
    w->lanes = study_lanes(spec);
    for (k = 0; k < w->lanes; k++)
    {
        gc_net_init(w->nets + k);
        /* gc_net_set_random keeps them */
        if (spec->a0 != NULL && spec->widths == NULL)
            mpq_set(w->nets[k].a0, spec->a0);
        if (spec->y != NULL && spec->widths == NULL)
            mpq_set(w->nets[k].y, spec->y);
    }
    w->net = w->nets;
    w->lane = 0;
    w->lw = w->lb = w->scratch = NULL;
    w->lcls = NULL;
    w->lovl = NULL;
    w->ldecl = study_malloc(spec->nfmts, sizeof(unsigned));
    if (spec->widths == NULL && !spec->replay_generic)
        study_work_init_lanes(w, spec);
    *w->random = *spec->random;
    w->nfmts = spec->nfmts;
    w->wide = spec->widths != NULL;
    /* a chain's, or an empty one for a sweep of wide networks */
    gc_arb_trace_init(w->exact, w->wide ? 0 : spec->layers);
    w->reps = NULL;
    if (w->wide)
        study_work_init_wide(w, spec);
    else
        w->reps = study_malloc(spec->nfmts, sizeof(gc_replay_struct));
    for (k = 0; k < spec->nfmts && !w->wide; k++)
    {
        gc_replay_init(w->reps + k);
        w->reps[k].keep = GC_REPLAY_GRADS; /* classes and counts only */
    }
    w->r = w->reps;
    mpfr_init2(w->pow2, 2);
    arb_init(w->x);
    arb_init(w->y);
    arb_init(w->z);
    arb_init(w->one);
    arb_one(w->one);
    arb_init(w->ln10);
    arf_init(w->lo);
    arf_init(w->hi);
}

static void
study_work_clear(study_work_struct * w)
{
    slong k;

    arf_clear(w->hi);
    arf_clear(w->lo);
    arb_clear(w->ln10);
    arb_clear(w->one);
    arb_clear(w->z);
    arb_clear(w->y);
    arb_clear(w->x);
    mpfr_clear(w->pow2);
    for (k = 0; k < w->nfmts && !w->wide; k++)
        gc_replay_clear(w->reps + k);
    flint_free(w->reps);
    if (w->wide)
    {
        for (k = 0; k < w->nfmts; k++)
            gc_wreplay_clear(w->wreps + k);
        flint_free(w->wreps);
        _arb_vec_clear(w->wdb, w->nwdb);
        gc_wnet_clear(w->wnet);
    }
    gc_arb_trace_clear(w->exact);
    for (k = 0; k < w->lanes; k++)
        gc_net_clear(w->nets + k);
    flint_free(w->lw);
    flint_free(w->lb);
    flint_free(w->scratch);
    flint_free(w->lcls);
    flint_free(w->lovl);
    flint_free(w->ldecl);
}

/* Sets *res* to x rounded to the nearest binary64 number and returns 1
   if both ends of the ball x round to it; returns 0 otherwise (the
   rounding is undecided at this precision). */
static int
study_get_d(double * res, study_work_struct * w, const arb_t x, slong prec)
{
    arb_get_lbound_arf(w->lo, x, prec + 64);
    arb_get_ubound_arf(w->hi, x, prec + 64);
    *res = arf_get_d(w->lo, ARF_RND_NEAR);
    return *res == arf_get_d(w->hi, ARF_RND_NEAR);
}

/* Records the log10 at the depths of network i from the exact values
   at precision *prec*: of |dC/db_j| of a chain (w->exact), of
   ||dC/db^j||_2 of a wide network (w->wdb); returns 1, or 0 when one
   of them is undecided at this precision. */
static int
study_decide_log10(gc_sweep_struct * s, study_work_struct * w, slong i,
                   slong prec)
{
    slong t, j;

    arb_log_ui(w->ln10, 10, prec);
    for (t = 0; t < s->ndepths; t++)
    {
        double * res = s->log10 + i * s->ndepths + t;

        j = s->layers - s->depths[t] + 1;
        if (w->wide)
            gc_wnet_layer_stats_arb(w->x, w->y, w->z, w->wdb, w->wnet, j,
                                    prec);
        else
            arb_set(w->x, w->exact->db + j - 1);
        if (arb_is_zero(w->x))
        {
            *res = NAN;
            continue;
        }
        arb_abs(w->x, w->x);
        arb_log(w->x, w->x, prec);
        arb_div(w->x, w->x, w->ln10, prec);
        if (!study_get_d(res, w, w->x, prec))
            return 0;
    }
    return 1;
}

/* From the exact values of network i (w->exact), records the log10 at
   the depths, the ratios and the factors of network i; returns 1, or 0
   when one of them is undecided at this precision. */
static int
study_decide(gc_sweep_struct * s, study_work_struct * w, slong i)
{
    slong t, k, L = s->layers, prec = w->exact->prec;
    arb_srcptr db = w->exact->db;

    if (!study_decide_log10(s, w, i, prec))
        return 0;
    for (t = 0; t < s->nratios; t++)
    {
        slong J = s->ratios[2 * t], K = s->ratios[2 * t + 1];
        double * res = s->ratio + i * s->nratios + t;
        unsigned char * small = s->ratio_small + i * s->nratios + t;

        *small = 0;
        if (arb_is_zero(db + K - 1))
        {
            *res = NAN;
            continue;
        }
        /* |db_J| 4^(K-J) against |db_K|: a power of two scales exactly */
        arb_abs(w->x, db + J - 1);
        arb_mul_2exp_si(w->x, w->x, 2 * (K - J));
        arb_abs(w->y, db + K - 1);
        if (arb_le(w->x, w->y))
            *small = 1;
        else if (!arb_gt(w->x, w->y))
            return 0;
        arb_abs(w->x, db + J - 1);
        arb_div(w->x, w->x, w->y, prec);
        if (!study_get_d(res, w, w->x, prec))
            return 0;
    }
    if (s->factor == NULL)
        return 1;
    s->factor_below[i] = 0;
    for (k = 2; k <= L; k++)
    {
        double wk, bk;

        gc_random_draw(&wk, &bk, w->random, k);
        arb_set_d(w->x, wk);
        arb_mul(w->x, w->x, w->exact->sp + k - 1, prec);
        arb_abs(w->x, w->x);
        if (!study_get_d(s->factor + i * (L - 1) + k - 2, w, w->x, prec))
            return 0;
        arb_mul_2exp_si(w->x, w->x, 2);
        if (arb_lt(w->x, w->one))
            s->factor_below[i]++;
        else if (!arb_ge(w->x, w->one))
            return 0;
    }
    return 1;
}

/* Returns the first lost layer of the events ev (see
   gc_sweep_lost_layer). */
static slong
study_lost(const slong * ev)
{
    /* norm_zero: zero's layer in a chain, where the one entry is the
       vector */
    return FLINT_MAX(FLINT_MAX(ev[GC_EVENT_NORM_ZERO],
                               ev[GC_EVENT_NONFINITE]),
                     ev[GC_EVENT_OVERFLOW]);
}

/* The events of a replay (gc_events_scan with the classes cls, scaled the
   scaled deltas' or NULL without loss scaling), and overflow from its
   overflow_layer and scale_overflow *so* and the nonfinite event. */
static void
study_events(slong * ev, const gc_class_t * cls, const gc_class_t * scaled,
             arb_srcptr exact, slong L, const slong * width,
             const slong * noff, slong overflow_layer, slong so)
{
    gc_events_scan(ev, NULL, cls, scaled != NULL ? scaled : cls, exact, L,
                   width, noff);
    ev[GC_EVENT_OVERFLOW] = FLINT_MAX(FLINT_MAX(overflow_layer, so),
                                      ev[GC_EVENT_NONFINITE]);
}

/* Replays the network of *w* (w->net with w->r, or w->wnet with w->wr)
   in format *f* with the loss scale *scale* (NULL: none) and records
   its events in ev[0 .. GC_EVENTS); returns the status of the
   replay. */
static int
study_replay(slong * ev, study_work_struct * w, const gc_numfmt_struct * f,
             gc_seq_t seq, mpfr_srcptr scale)
{
    const gc_wreplay_struct * wr = w->wr;
    const gc_replay_struct * r = w->r;
    int status;

    if (w->wide && (status = gc_wreplay(w->wr, w->wnet, f, seq, scale))
                       == GC_SUCCESS)
        study_events(ev, wr->db_class, wr->scaled ? wr->scaled_class : NULL,
                     w->wdb, wr->len, wr->width, wr->noff,
                     wr->overflow_layer, wr->scale_overflow);
    else if (!w->wide && (status = gc_replay(w->r, w->net, f, seq, scale))
                             == GC_SUCCESS)
        study_events(ev, r->db_class, r->scaled ? r->scaled_class : NULL,
                     w->exact->db, r->len, NULL, NULL, r->overflow_layer,
                     r->scale_overflow);
    return status;
}

/* study_replay of network w->net in format k (*f*) without loss scale:
   from the kernel's replay of its group (study_lanes_replay) unless the
   kernel declined it, by gc_replay otherwise. */
static int
study_replay_plain(slong * ev, study_work_struct * w, slong k,
                   const gc_numfmt_struct * f, gc_seq_t seq)
{
    slong L = w->net->len, v = k * w->lanes + w->lane;

    if ((w->ldecl[k] >> w->lane) & 1)
        return study_replay(ev, w, f, seq, NULL);
    study_events(ev, w->lcls + v * L, NULL, w->exact->db, L, NULL, NULL,
                 w->lovl[v], 0);
    return GC_SUCCESS;
}

/* Replays network w->net in format *f* with the scale 2^e and records
   its events in ev; returns the status of the replay. */
static int
study_replay_pow2(slong * ev, study_work_struct * w,
                  const gc_numfmt_struct * f, gc_seq_t seq, slong e)
{
    mpfr_set_ui_2exp(w->pow2, 1, e, MPFR_RNDN);
    return study_replay(ev, w, f, seq, w->pow2);
}

/* The automatic scale of network w->net in format *f* (see
   gc_sweep_spec_struct): sets *exp* and the events ev of its replay. */
static int
study_auto(slong * exp, slong * ev, study_work_struct * w,
           const gc_numfmt_struct * f, gc_seq_t seq)
{
    slong probe[GC_EVENTS];
    slong lo = 0, hi = gc_numfmt_scale_format(f)->emax - 1, mid;
    int status = study_replay_pow2(ev, w, f, seq, 0);

    /* invariant: 2^lo does not overflow (or lo = 0), 2^(hi+1) does */
    if (ev[GC_EVENT_OVERFLOW] != 0)
        hi = 0;
    while (status == GC_SUCCESS && lo < hi)
    {
        mid = lo + (hi - lo + 1) / 2;
        status = study_replay_pow2(probe, w, f, seq, mid);
        if (probe[GC_EVENT_OVERFLOW] != 0)
            hi = mid - 1;
        else
        {
            lo = mid;
            memcpy(ev, probe, sizeof probe);
        }
    }
    *exp = lo;
    return status;
}

/* study_exact for a wide network: w->wdb by gc_wnet_eval_arb, at
   STUDY_PREC bits and then twice the precision until the log10 of the
   norms are decided. */
static int
study_exact_wide(gc_sweep_struct * s, study_work_struct * w, slong i)
{
    slong prec;
    int status;

    for (prec = STUDY_PREC; ; prec *= 2)
    {
        status = gc_wnet_eval_arb(w->wdb, w->wnet, prec);
        if (status != GC_SUCCESS || study_decide_log10(s, w, i, prec))
            return status;
        if (prec >= GC_MAX_PREC_DEFAULT)
            return GC_UNABLE;
    }
}

/* Sets w->exact to the exact values of network w->net (network i), by
   the fast path when the sweep needs only their exact zeros (see
   gc_sweep_run), by Arb otherwise, then recording network i's log10,
   ratios and factors (study_decide); returns the status of the
   evaluation.  A wide network: study_exact_wide. */
static int
study_exact(gc_sweep_struct * s, const gc_sweep_spec_struct * spec,
            study_work_struct * w, slong i)
{
    slong prec;
    int status;

    if (w->wide)
        return study_exact_wide(s, w, i);
    /* only the exact zeros of dC/db_j are needed: the fast path's balls
       have them (and nothing else is read: it writes db and dw only) */
    if (!spec->exact_arb && s->ndepths == 0 && s->nratios == 0
        && s->factor == NULL && gc_eval_fast(w->exact, w->net) == GC_SUCCESS)
        return GC_SUCCESS;
    for (prec = STUDY_PREC; ; prec *= 2)
    {
        status = gc_eval_arb(w->exact, w->net, prec);
        if (status != GC_SUCCESS || study_decide(s, w, i))
            return status;
        if (prec >= GC_MAX_PREC_DEFAULT)
            return GC_UNABLE;
    }
}

/* Sets w->wnet to wide network i of the sweep (see study.h). */
static void
study_set_wide(study_work_struct * w, const gc_sweep_spec_struct * spec)
{
    slong l, k, L = spec->layers;

    gc_wnet_set_random(w->wnet, L, spec->widths, w->random);
    for (l = 1; l <= L && spec->act != NULL; l++)
        gc_wnet_set_act(w->wnet, l, spec->act);
    for (k = 0; k < spec->widths[0] && spec->a0 != NULL; k++)
        mpq_set(w->wnet->a0 + k, spec->a0 + k);
    for (k = 0; k < spec->widths[L] && spec->y != NULL; k++)
        mpq_set(w->wnet->y + k, spec->y + k);
}

/* Replays the n networks nets[0 .. n) of a group with the kernel in
   every format it covers (ldecl[k]: the lanes it leaves to gc_replay,
   every one where it does not run). */
static void
study_lanes_replay(study_work_struct * w, const gc_sweep_spec_struct * spec,
                   slong n)
{
    slong j, k, l, L = spec->layers;
    double a0, y;
    int ok = (w->lw != NULL);

    for (k = 0; k < w->nfmts; k++)
        w->ldecl[k] = ~0u;
    /* what gc_replay reads as binary64 numbers without MPFR */
    ok = ok && _gc_q_get_d_exact(&a0, w->nets->a0)
         && _gc_q_get_d_exact(&y, w->nets->y);
    for (l = 0; l < n && ok; l++)
    {
        gc_net_struct * net = w->nets + l;

        ok = net->cost == GC_COST_QUADRATIC
             && gc_engine_check(GC_ENGINE_REPLAY, net) == GC_SUCCESS;
        for (j = 1; j <= L && ok; j++)
            ok = gc_net_get_act(net, j)->kind == GC_ACT_SIGMOID
                 && _gc_net_get_layer_d(w->lw + (j - 1) * n + l,
                                        w->lb + (j - 1) * n + l, net, j);
    }
    for (k = 0; k < w->nfmts && ok; k++)
        if (_gc_lanes_covers(w->fmts + k, spec->seq))
            w->ldecl[k] = _gc_replay_lanes(w->lcls + k * w->lanes * L,
                                           w->lovl + k * w->lanes, NULL,
                                           w->lw,
                                           w->lb, a0, y, L, n, w->fmts + k,
                                           spec->seq, w->scratch);
}

/* Sets network i of the sweep: w->wnet for a wide network, else the
   chain w->nets[l] (lane l of its group). */
static void
study_set(study_work_struct * w, const gc_sweep_spec_struct * spec, slong i,
          slong l)
{
    gc_net_struct * net = w->nets + l;

    w->random->seed = spec->random->seed + (ulong) i;
    if (w->wide)
        study_set_wide(w, spec);
    else
    {
        gc_net_set_random(net, w->random, spec->layers);
        if (spec->act != NULL)
            gc_net_set_act(net, spec->act);
        gc_net_materialize(net);
    }
}

/* Evaluates network i of the sweep, set by study_set (w->net, its lane
   w->lane), and records all of it; the only writes to *s* are network
   i's records. */
static int
study_network(gc_sweep_struct * s, const gc_sweep_spec_struct * spec,
              study_work_struct * w, slong i)
{
    slong k, slot;
    int status;

    /* study_decide's factors draw from it */
    w->random->seed = spec->random->seed + (ulong) i;
    status = study_exact(s, spec, w, i);
    for (k = 0; k < s->nfmts && status == GC_SUCCESS; k++)
    {
        const gc_numfmt_struct * f = w->fmts + k;

        if (w->wide)
            w->wr = w->wreps + k;
        else
            w->r = w->reps + k;
        if (s->base_lost != NULL)
        {
            slong ev[GC_EVENTS];

            status |= study_replay_plain(ev, w, k, f, spec->seq);
            if (status != GC_SUCCESS)
                break;
            s->base_lost[i * s->nfmts + k] = study_lost(ev);
        }
        for (slot = 0; slot < s->nslots && status == GC_SUCCESS; slot++)
        {
            slong * ev = s->layer
                         + (i * s->nvariants + slot * s->nfmts + k)
                               * GC_EVENTS;

            if (slot < spec->nscales)
                status |= study_replay(ev, w, f, spec->seq,
                                       spec->scales + slot);
            else if (!spec->scale_auto)
                status |= study_replay_plain(ev, w, k, f, spec->seq);
            else
                status |= study_auto(s->scale_exp + i * s->nfmts + k, ev,
                                     w, f, spec->seq);
        }
    }
    return status;
}

/* What every network of a sweep shares: the records, the spec and the
   formats with the sweep's stochastic-rounding seed. */
typedef struct
{
    gc_sweep_struct * s;
    const gc_sweep_spec_struct * spec;
    const gc_numfmt_struct * fmts;
} study_job_struct;

static void
study_state_init(void * state, void * arg)
{
    const study_job_struct * job = arg;

    study_work_init(state, job->spec, job->fmts);
}

static void
study_state_clear(void * state, void * arg)
{
    (void) arg;
    study_work_clear(state);
}

/* Group g of the sweep: networks g lanes .. g lanes + n - 1 (n = lanes
   but for the last group), set, replayed by the kernel, then each
   evaluated and recorded, and marked done (s->done). */
static int
study_item(void * state, slong g, void * arg)
{
    const study_job_struct * job = arg;
    study_work_struct * w = state;
    slong l, i0 = g * w->lanes;
    slong n = FLINT_MIN(w->lanes, job->s->samples - i0);
    int status = GC_SUCCESS;

    for (l = 0; l < n; l++)
        study_set(w, job->spec, i0 + l, l);
    study_lanes_replay(w, job->spec, n);
    for (l = 0; l < n && status == GC_SUCCESS; l++)
    {
        w->net = w->nets + l;
        w->lane = l;
        status = study_network(job->s, job->spec, w, i0 + l);
        job->s->done[i0 + l] = (status == GC_SUCCESS);
    }
    return status;
}

/* The progress of a sweep run in groups of *lanes* networks: the
   caller's callback *ctl* counting networks. */
typedef struct
{
    const gc_run_ctl_struct * ctl;
    slong lanes;
    slong samples;
} study_progress_struct;

static void
study_progress(void * arg, slong done, slong total)
{
    const study_progress_struct * p = arg;

    (void) total;
    p->ctl->progress(p->ctl->progress_arg,
                     FLINT_MIN(done * p->lanes, p->samples), p->samples);
}

int
gc_sweep_run(gc_sweep_t s, const gc_sweep_spec_struct * spec,
             const gc_run_ctl_struct * ctl)
{
    gc_numfmt_struct * fmts;
    study_job_struct job;
    gc_par_job_struct par;
    gc_run_ctl_t one;
    gc_run_ctl_struct groups;
    study_progress_struct progress;
    slong k, lanes = study_lanes(spec);
    int status;

    study_alloc(s, spec);
    if (ctl == NULL)
    {
        gc_run_ctl_init(one);
        ctl = one;
    }
    fmts = flint_malloc(_gc_array_bytes(spec->nfmts,
                                        sizeof(gc_numfmt_struct),
                                        "gc_sweep_run"));
    for (k = 0; k < spec->nfmts; k++)
    {
        fmts[k] = spec->fmts[k];
        gc_numfmt_set_sr_seed(fmts + k, spec->sr_seed);
    }
    job.s = s;
    job.spec = spec;
    job.fmts = fmts;
    /* the items are the groups of networks; each marks its networks
       done */
    par.n = (spec->samples + lanes - 1) / lanes;
    par.state_bytes = sizeof(study_work_struct);
    par.init = study_state_init;
    par.item = study_item;
    par.clear = study_state_clear;
    par.arg = &job;
    groups = *ctl;
    progress.ctl = ctl;
    progress.lanes = lanes;
    progress.samples = spec->samples;
    if (ctl->progress != NULL)
    {
        groups.progress = study_progress;
        groups.progress_arg = &progress;
    }

    status = gc_parallel_run(NULL, NULL, &par, &groups);
    flint_free(fmts);
    s->completed = 0;
    for (k = 0; k < spec->samples; k++)
        s->completed += s->done[k];
    /* stopped: the networks done past the first one not done were in
       flight on other threads; dropping them makes the records those of a
       sweep of s->completed samples, whatever the threads did */
    if (status == GC_SUCCESS && s->completed < s->samples)
        gc_sweep_keep_prefix(s);
    return status;
}

static void
study_check(const gc_sweep_t s, slong i, slong v, const char * fn)
{
    if (i < 0 || i >= s->samples || v < 0 || v >= s->nvariants)
        gc_throw("%s: network %ld or variant %ld out of range", fn,
                 (long) i, (long) v);
}

slong
gc_sweep_layer(const gc_sweep_t s, slong i, slong v, gc_event_t e)
{
    study_check(s, i, v, "gc_sweep_layer");
    if ((int) e < 0 || (int) e >= GC_EVENTS)
        gc_throw("gc_sweep_layer: bad event %d", (int) e);
    return s->layer[(i * s->nvariants + v) * GC_EVENTS + e];
}

slong
gc_sweep_lost_layer(const gc_sweep_t s, slong i, slong v)
{
    study_check(s, i, v, "gc_sweep_lost_layer");
    return study_lost(s->layer + (i * s->nvariants + v) * GC_EVENTS);
}

static int
study_cmp(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

/* Returns the quantile *p* of the sorted values v[0..n), n >= 1. */
static double
study_quantile(const double * v, slong n, double p)
{
    double h = (double) (n - 1) * p;
    slong lo = (slong) h;

    if (lo >= n - 1 || h == (double) lo || v[lo + 1] == v[lo])
        return v[lo];
    return v[lo] + (h - (double) lo) * (v[lo + 1] - v[lo]);
}

/* Sets *st* to the statistics of the n values w (sorted here, then
   freed) out of *total*. */
static void
study_stats(gc_stats_t st, double * w, slong n, slong total)
{
    st->count = n;
    st->total = total;
    st->min = st->q1 = st->median = st->q3 = st->max = 0;
    if (n > 0)
    {
        qsort(w, n, sizeof(double), study_cmp);
        st->min = w[0];
        st->q1 = study_quantile(w, n, 0.25);
        st->median = study_quantile(w, n, 0.5);
        st->q3 = study_quantile(w, n, 0.75);
        st->max = w[n - 1];
    }
    flint_free(w);
}

static double *
study_buffer(slong n, slong total, const char * fn)
{
    if (n < 0 || total < n)
        gc_throw("%s: %ld values out of %ld", fn, (long) n, (long) total);
    return flint_malloc(_gc_array_bytes(FLINT_MAX(n, 1), sizeof(double),
                                        fn));
}

void
gc_stats_set_slong(gc_stats_t st, const slong * v, slong n, slong total)
{
    double * w = study_buffer(n, total, "gc_stats_set_slong");
    slong i;

    for (i = 0; i < n; i++)
        w[i] = (double) v[i];
    study_stats(st, w, n, total);
}

void
gc_stats_set_double(gc_stats_t st, const double * v, slong n, slong total)
{
    double * w = study_buffer(n, total, "gc_stats_set_double");
    slong i, m = 0;

    for (i = 0; i < n; i++)
        if (v[i] == v[i])
            w[m++] = v[i];
    study_stats(st, w, m, total);
}

/* A value of network i of a sweep (NaN: none), with an argument. */
typedef double (*study_value_fn)(const gc_sweep_struct * s, slong i,
                                 slong arg);

/* Sets *st* to the statistics of f(s, i, arg) over the completed
   networks i of *s* (NaNs not counted). */
static void
study_over(gc_stats_t st, const gc_sweep_t s, study_value_fn f, slong arg)
{
    double * w = study_buffer(s->completed, s->completed,
                              "gc_sweep_stats");
    slong i, n = 0;

    for (i = 0; i < s->samples; i++)
        if (s->done[i])
        {
            w[n] = f(s, i, arg);
            n += w[n] == w[n];
        }
    study_stats(st, w, n, s->completed);
}

/* arg = (v * GC_EVENTS + e) * 2 + depth */
static double
study_event(const gc_sweep_struct * s, slong i, slong arg)
{
    slong j = gc_sweep_layer(s, i, arg / 2 / GC_EVENTS,
                             (gc_event_t) (arg / 2 % GC_EVENTS));

    if (j == 0)
        return NAN;
    return (double) (arg % 2 ? s->layers - j + 1 : j);
}

void
gc_sweep_stats(gc_stats_t st, const gc_sweep_t s, slong v, gc_event_t e,
               int depth)
{
    study_check(s, 0, v, "gc_sweep_stats");
    if ((int) e < 0 || (int) e >= GC_EVENTS)
        gc_throw("gc_sweep_stats: bad event %d", (int) e);
    study_over(st, s, study_event, (v * GC_EVENTS + e) * 2 + (depth != 0));
}

slong
gc_sweep_lost_count(const gc_sweep_t s, slong v, slong d)
{
    slong i, n = 0;

    if (d < 1 || d > s->layers)
        gc_throw("gc_sweep_lost_count: depth %ld out of 1..%ld", (long) d,
                 (long) s->layers);
    for (i = 0; i < s->samples; i++)
    {
        slong j = s->done[i] ? gc_sweep_lost_layer(s, i, v) : 0;

        n += j != 0 && d >= s->layers - j + 1;
    }
    return n;
}

/* Returns the depth reached before the gradient is lost when the first
   lost layer is j (0: never). */
static slong
study_reached(const gc_sweep_t s, slong j)
{
    return j == 0 ? s->layers : s->layers - j;
}

static double
study_reached_v(const gc_sweep_struct * s, slong i, slong v)
{
    return (double) study_reached(s, gc_sweep_lost_layer(s, i, v));
}

static double
study_gained(const gc_sweep_struct * s, slong i, slong v)
{
    return study_reached_v(s, i, v)
           - (double) study_reached(s, s->base_lost[i * s->nfmts
                                                    + v % s->nfmts]);
}

static double
study_scale_exp(const gc_sweep_struct * s, slong i, slong k)
{
    return (double) s->scale_exp[i * s->nfmts + k];
}

static double
study_log10(const gc_sweep_struct * s, slong i, slong t)
{
    return s->log10[i * s->ndepths + t];
}

static double
study_ratio(const gc_sweep_struct * s, slong i, slong t)
{
    return s->ratio[i * s->nratios + t];
}

void
gc_sweep_reached_stats(gc_stats_t st, const gc_sweep_t s, slong v)
{
    study_check(s, 0, v, "gc_sweep_reached_stats");
    study_over(st, s, study_reached_v, v);
}

void
gc_sweep_gained_stats(gc_stats_t st, const gc_sweep_t s, slong v)
{
    study_check(s, 0, v, "gc_sweep_gained_stats");
    if (s->base_lost == NULL)
        gc_throw("gc_sweep_gained_stats: the sweep has no loss scaling");
    study_over(st, s, study_gained, v);
}

void
gc_sweep_scale_stats(gc_stats_t st, const gc_sweep_t s, slong k)
{
    if (s->scale_exp == NULL || k < 0 || k >= s->nfmts)
        gc_throw("gc_sweep_scale_stats: no automatic scale of format %ld",
                 (long) k);
    study_over(st, s, study_scale_exp, k);
}

void
gc_sweep_log10_stats(gc_stats_t st, const gc_sweep_t s, slong t)
{
    if (t < 0 || t >= s->ndepths)
        gc_throw("gc_sweep_log10_stats: depth index %ld out of range",
                 (long) t);
    study_over(st, s, study_log10, t);
}

slong
gc_sweep_ratio_stats(gc_stats_t st, const gc_sweep_t s, slong t)
{
    slong i, n = 0;

    if (t < 0 || t >= s->nratios)
        gc_throw("gc_sweep_ratio_stats: ratio %ld out of range", (long) t);
    study_over(st, s, study_ratio, t);
    for (i = 0; i < s->samples; i++)
        n += s->done[i] && s->ratio_small[i * s->nratios + t];
    return n;
}

slong
gc_sweep_factor_stats(gc_stats_t st, const gc_sweep_t s)
{
    slong i, n = 0, m = 0, per = s->layers - 1;
    double * w;

    if (s->factor == NULL)
        gc_throw("gc_sweep_factor_stats: the sweep has no factors");
    w = study_buffer(s->completed * per, s->completed * per,
                     "gc_sweep_factor_stats");
    for (i = 0; i < s->samples; i++)
        if (s->done[i])
        {
            memcpy(w + m, s->factor + i * per, per * sizeof(double));
            m += per;
            n += s->factor_below[i];
        }
    study_stats(st, w, m, m);
    return n;
}

/* ---- sweeps in pieces (issue 14) ------------------------------------------ */

void
gc_sweep_alloc(gc_sweep_t s, const gc_sweep_spec_struct * spec)
{
    study_alloc(s, spec);
}

/* A per-network array of a sweep: its start and the bytes of one
   network's records in it. */
typedef struct
{
    unsigned char * base;
    size_t bytes;
} study_field_struct;

#define STUDY_FIELDS_MAX 16

/* Sets f[] to the per-network arrays that *s* has (done aside) and
   returns how many.  A per-network array added to gc_sweep_struct needs
   its line here, and nothing else, to travel with gc_sweep_pack. */
static slong
study_fields(study_field_struct * f, const gc_sweep_struct * s)
{
    slong n = 0;

#define STUDY_FIELD(a, per)                                                 \
    if (s->a != NULL)                                                       \
    {                                                                       \
        f[n].base = (unsigned char *) s->a;                                 \
        f[n++].bytes = (size_t) (per) * sizeof *s->a;                       \
    }
    STUDY_FIELD(layer, s->nvariants * GC_EVENTS);
    STUDY_FIELD(scale_exp, s->nfmts);
    STUDY_FIELD(base_lost, s->nfmts);
    STUDY_FIELD(log10, s->ndepths);
    STUDY_FIELD(ratio, s->nratios);
    STUDY_FIELD(ratio_small, s->nratios);
    STUDY_FIELD(factor, s->layers - 1);
    STUDY_FIELD(factor_below, 1);
#undef STUDY_FIELD
    return n;
}

size_t
gc_sweep_network_bytes(const gc_sweep_t s)
{
    study_field_struct f[STUDY_FIELDS_MAX];
    slong t, n = study_fields(f, s);
    size_t bytes = 0;

    for (t = 0; t < n; t++)
        bytes += f[t].bytes;
    return bytes;
}

/* Copies network i's records between *s* and *buf*: into buf if *out*,
   from it otherwise. */
static void
study_copy(unsigned char * buf, const gc_sweep_struct * s, slong i, int out,
           const char * fn)
{
    study_field_struct f[STUDY_FIELDS_MAX];
    slong t, n = study_fields(f, s);

    if (i < 0 || i >= s->samples)
        gc_throw("%s: network %ld out of 0..%ld", fn, (long) i,
                 (long) s->samples - 1);
    for (t = 0; t < n; t++)
    {
        unsigned char * rec = f[t].base + (size_t) i * f[t].bytes;

        if (out)
            memcpy(buf, rec, f[t].bytes);
        else
            memcpy(rec, buf, f[t].bytes);
        buf += f[t].bytes;
    }
}

void
gc_sweep_pack(unsigned char * buf, const gc_sweep_t s, slong i)
{
    study_copy(buf, s, i, 1, "gc_sweep_pack");
}

void
gc_sweep_unpack(gc_sweep_t s, slong i, const unsigned char * buf)
{
    study_copy((unsigned char *) buf, s, i, 0, "gc_sweep_unpack");
    s->completed += !s->done[i];
    s->done[i] = 1;
}

void
gc_sweep_keep_prefix(gc_sweep_t s)
{
    slong i;

    for (i = 0; i < s->samples && s->done[i]; i++)
        ;
    s->completed = i;
    memset(s->done + i, 0, s->samples - i);
}
