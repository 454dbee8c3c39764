/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/study.h -- studies over many networks: a sweep replays N
   random chains in a list of formats and records, per network and
   format, where the gradient is lost; then statistics per format.
   Included by gradchain.h; do not include it directly.

   Network i of a sweep (i = 0 .. N-1) is the network that
   'gradchain compare --random DIST --layers L --seed S+i' draws:
   gc_net_set_random with the same distributions and fan-in rule and the
   seed S + i (modulo 2^64), then gc_net_set_act with the sweep's activation if one is
   given, with the default a_0, y and cost.  So any sample can be
   replayed alone with compare. */

#ifndef GRADCHAIN_STUDY_H
#define GRADCHAIN_STUDY_H

#ifdef __cplusplus
extern "C" {
#endif

/* The events of a sweep: the first layer, counted from the output as in
   gc_death_struct, where a format's dC/db_j is subnormal, zero, or
   infinite or NaN (the larger of first_inf and first_nan). */
typedef enum
{
    GC_EVENT_SUBNORMAL = 0,
    GC_EVENT_ZERO,
    GC_EVENT_NONFINITE
} gc_event_t;

#define GC_EVENTS 3

/* Returns "subnormal", "zero" or "nonfinite". */
const char * gc_event_name(gc_event_t e);

/* The results of a sweep: layer[(i * nfmts + k) * GC_EVENTS + e] is the
   layer of event e of network i in format k, 0 when it did not happen. */
typedef struct
{
    slong samples;
    slong nfmts;
    slong layers;
    ulong seed;     /* of network 0 */
    slong * layer;
} gc_sweep_struct;

typedef gc_sweep_struct gc_sweep_t[1];

/* Initialises *s* to an empty sweep (no samples). */
void gc_sweep_init(gc_sweep_t s);

/* Frees *s*. */
void gc_sweep_clear(gc_sweep_t s);

/* Sweeps *samples* >= 1 random networks of *layers* >= 1 layers (network
   i as at the top of this file: *random* with seed random->seed + i, and
   the activation *act* on every layer unless it is NULL) over the
   *nfmts* >= 1 formats *fmts* with the sequence *seq* and the loss scale
   *scale* (NULL: none); otherwise gc_throw.  For each network and
   format it replays the network (gc_replay) and scans the deaths as
   gc_death_scan_arb does, with the exact values from gc_eval_arb at 64
   bits: a ball is an exact zero only where exact arithmetic (a product
   by an exact zero) made it so, which does not depend on the
   precision, so the events are those compare reports.  *threads* >= 1
   threads share the networks in contiguous blocks, each with its own
   objects; every network is independent of the others and of the
   split, so *s* does not depend on *threads*.  Returns GC_SUCCESS; or
   the OR of the statuses of gc_eval_arb and gc_replay (GC_UNABLE for a
   network an engine cannot evaluate, GC_INVALID for a scale that
   gc_loss_scale_check rejects), then *s* is unspecified. */
int gc_sweep_run(gc_sweep_t s, const gc_random_t random, slong layers,
                 const gc_activation_struct * act, slong samples,
                 const gc_numfmt_struct * fmts, slong nfmts, gc_seq_t seq,
                 mpfr_srcptr scale, slong threads) GC_WARN_UNUSED_RESULT;

/* Returns the layer of event *e* of network *i* in format *k* of *s*,
   0 when it did not happen (gc_throw for an index out of range). */
slong gc_sweep_layer(const gc_sweep_t s, slong i, slong k, gc_event_t e);

/* Order statistics of a sample: count values out of total, their min,
   quartiles q1 and q3, median and max, where the quantile p of sorted
   values v_0 <= ... <= v_{n-1} is v_h interpolated linearly at
   h = (n - 1) p (R's type 7, numpy's default).  All are 0 when count
   is 0. */
typedef struct
{
    slong count;
    slong total;
    double min;
    double q1;
    double median;
    double q3;
    double max;
} gc_stats_struct;

typedef gc_stats_struct gc_stats_t[1];

/* Sets *st* to the statistics of the *n* values *v* (not changed) out of
   *total* >= n. */
void gc_stats_set_slong(gc_stats_t st, const slong * v, slong n,
                        slong total);

/* Sets *st* to the statistics of event *e* in format *k* of *s* over the
   networks where it happened (total: all the networks), as layers j, or
   as depths d = L - j + 1 (the number of s' factors) if *depth* is
   nonzero. */
void gc_sweep_stats(gc_stats_t st, const gc_sweep_t s, slong k,
                    gc_event_t e, int depth);

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_STUDY_H */
