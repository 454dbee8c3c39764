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
   given, with the sweep's a_0 and y (those of 'compare --a0 X --y Y')
   and the default cost.  So any sample can be replayed alone with
   compare.

   A sweep of wide networks (spec->widths not NULL) draws network i as
   'gradchain compare --random DIST --neurons N0,..,NL --seed S+i' does:
   gc_wnet_set_random with the widths, the fan-in rule (fan_in and
   fan_out the widths around a weight) and the seed S + i, then every
   layer's activation, the inputs a^0 and the targets y of the sweep, the
   quadratic cost; it replays it with gc_wreplay (gradchain/wide.h). */

#ifndef GRADCHAIN_STUDY_H
#define GRADCHAIN_STUDY_H

#ifdef __cplusplus
extern "C" {
#endif

/* The events of a sweep: the first layer, counted from the output as in
   gc_death_struct, where a format's dC/db_j is subnormal, zero, or
   infinite or NaN (the larger of first_inf and first_nan), and where the
   replay overflowed: the largest of the replay's overflow_layer (an
   operation rounded beyond the largest finite number, to inf, NaN or
   saturated at max by the overflow policy, as e4m3 does; the forward
   pass counts as layer L), its scale_overflow and the nonfinite event.
   An overflow is what a loss scaler must avoid: a saturated gradient is
   as wrong as an infinite one, and every gradient computed from it too.
   With loss scaling the subnormal event is that of the scaled delta_j
   in the format (the replay's scaled_class), the value the format
   holds; zero and nonfinite are those of the unscaled dC/db_j in the
   scale format, so a loss scale of 1 gives the events of no scaling.

   In a wide network the layer's dC/db^l is a vector of n_l entries:
   subnormal and zero are the first layer where ANY entry is subnormal
   (zero) while its exact value is not zero, nonfinite where any entry
   is infinite or NaN, and overflow as above.  Two more events look at
   the whole vector, where its exact value is not the zero vector (some
   entry's exact value is not zero):
     norm_subnormal: EVERY entry is subnormal or zero (the classes the
       subnormal event reads: the scaled deltas' under loss scaling):
       the format holds no normal number of the vector, whose norm is
       then at most sqrt(n_l) times the largest subnormal number;
     norm_zero: EVERY entry is zero (the classes the zero event reads):
       the norm ||dC/db^l||_2 in the format is 0, the gradient vector is
       lost.
   A chain is the case n_l = 1: norm_zero is then the zero event and,
   without loss scaling, norm_subnormal the larger of the subnormal and
   zero events.  Every sweep records the GC_EVENTS events; GC_CHAIN_EVENTS
   are the first ones, those 'gradchain sweep' reports for chains. */
typedef enum
{
    GC_EVENT_SUBNORMAL = 0,
    GC_EVENT_ZERO,
    GC_EVENT_NONFINITE,
    GC_EVENT_OVERFLOW,
    GC_EVENT_NORM_SUBNORMAL,
    GC_EVENT_NORM_ZERO
} gc_event_t;

#define GC_EVENTS 6
#define GC_CHAIN_EVENTS 4

/* Returns "subnormal", "zero", "nonfinite", "overflow", "norm_subnormal"
   or "norm_zero". */
const char * gc_event_name(gc_event_t e);

/* Sets ev[0 .. GC_EVENTS) to the events above of a replay of *len*
   layers, but ev[GC_EVENT_OVERFLOW], set to 0 (the replay's counts give
   it): dC/db^l has width[l] entries (every width 1 when width is NULL: a
   chain) from index noff[l-1] (l - 1 when noff is NULL) of cls (their
   classes in the value format), held (the classes the subnormal events
   read: the scaled deltas' under loss scaling, else cls) and exact (the
   exact values' balls, where a ball is an exact zero only if the value
   is 0).  Unless NULL, *every_nonfinite* is set to the first layer
   (from the output) whose every entry is infinite or NaN. */
void gc_events_scan(slong * ev, slong * every_nonfinite,
                    const gc_class_t * cls, const gc_class_t * held,
                    arb_srcptr exact, slong len, const slong * width,
                    const slong * noff);

/* How a long run is carried out.

   threads >= 1: the number of threads that work, the calling thread
   included (threads - 1 are created; any that cannot be created leaves
   its share to the others, so the work is done even with one thread).

   progress, unless NULL, is called with progress_arg, the number of items
   completed so far and the number of items: at most every
   GC_RUN_PROGRESS_INTERVAL seconds while the run goes on, and once at the
   end (with the final count, the total when nothing stopped the run).
   Calls are serialized (never two at once) and the counts they pass never
   decrease, but they may come from any of the threads: a callback that
   prints must not rely on thread-local state.  Never from a signal
   handler.

   stop, unless NULL, is called with stop_arg before each item is started,
   from any of the threads, possibly at the same time: it must be
   thread-safe (reading an atomic flag is).  Once it returns nonzero no
   new item starts; the items in flight finish and are recorded. */
typedef struct
{
    slong threads;
    void (*progress)(void * arg, slong done, slong total);
    void * progress_arg;
    int (*stop)(void * arg);
    void * stop_arg;
} gc_run_ctl_struct;

typedef gc_run_ctl_struct gc_run_ctl_t[1];

/* The seconds between two calls of the progress callback, at least. */
#define GC_RUN_PROGRESS_INTERVAL 0.2

/* Sets *ctl* to one thread, no progress callback and no stop callback. */
void gc_run_ctl_init(gc_run_ctl_t ctl);

/* What a sweep computes (gc_sweep_run).  The arrays are the caller's and
   are only read during gc_sweep_run.

   Variants: every format is replayed with every loss-scale slot, and
   variant v = slot * nfmts + k is format k with slot "slot".  The slots
   are scales[0 .. nscales) in this order, then, if scale_auto, the
   automatic scale; with neither (nscales = 0, scale_auto = 0) there is
   one slot, without loss scaling, so that variants and formats are the
   same.

   The automatic scale of a network in format k is 2^e with e the
   largest integer in 0 .. emax - 1 (emax of the scale format
   gc_numfmt_scale_format, in MPFR's convention: 127 for binary32) whose
   replay has no overflow event (no operation overflowed, saturation
   included), found by bisection on e assuming that a replay that
   overflows at 2^e also overflows at every larger scale (the scaled
   gradients only grow with the scale); e = 0 when even 2^0 overflows.
   Its events are those of the replay at 2^e.

   Depths: depths[0 .. ndepths) are depths d = L - j + 1 in 1 .. L.

   Ratios: ratios[2t] and ratios[2t + 1] are the biases b_J and b_K,
   1 <= J < K <= L, of the ratio t = 0 .. nratios - 1, |dC/db_J /
   dC/db_K|.

   factors: nonzero to record the factors |w_k f'(z_k)|, k = 2 .. L, of
   every network (the factors of the product dC/db_1 = f'(z_1) prod_{k=2}^L
   w_k f'(z_k) dC/da_L): (L - 1) samples doubles.

   exact_arb: nonzero to compute every network's exact values with the
   Arb engine, never the fast path (see gc_sweep_run); the records are
   the same either way, this is for tests and benchmarks.

   replay_generic: nonzero to replay every network with gc_replay, never
   the sweep's kernel, which replays chains in groups where it can (see
   gc_sweep_run); the records are the same either way, this too is for
   tests and benchmarks. */
typedef struct
{
    const gc_random_struct * random; /* network i: seed random->seed + i */
    slong layers;
    const gc_activation_struct * act; /* every layer; NULL: sigmoid */
    mpq_srcptr a0;      /* input a_0 of every network; NULL: 1 */
    mpq_srcptr y;       /* target y of every network; NULL: 0 */
    slong samples;
    const gc_numfmt_struct * fmts;
    slong nfmts;
    gc_seq_t seq;
    mpfr_srcptr scales; /* nscales loss scales (an array of mpfr) */
    slong nscales;
    int scale_auto;
    ulong sr_seed;      /* of every :sr format, for every network */
    const slong * depths;
    slong ndepths;
    const gc_param_struct * ratios; /* 2 nratios biases */
    slong nratios;
    int factors;
    int exact_arb;
    int replay_generic;
    /* wide networks (gc_sweep_run): NULL for chains, else the layers + 1
       widths n_0, .., n_L of every network; a0 (NULL: every input 1)
       then points to n_0 inputs and y (NULL: every target 0) to n_L
       targets.  depths are then those of the norms ||dC/db^l||_2; ratios
       and factors are for chains only (nratios = factors = 0). */
    const slong * widths;
} gc_sweep_spec_struct;

/* The results of a sweep, for samples networks, nvariants = nslots nfmts
   variants (see gc_sweep_spec_struct):
     layer[(i * nvariants + v) * GC_EVENTS + e]: the layer of event e of
       network i in variant v, 0 when it did not happen;
     scale_exp[i * nfmts + k]: the exponent of the automatic scale of
       network i in format k (NULL without it);
     base_lost[i * nfmts + k]: the first lost layer (see
       gc_sweep_lost_layer) of network i in format k without loss
       scaling (NULL without loss scaling);
     log10[i * ndepths + t]: log10 |dC/db_j| of the exact value at depth
       depths[t], rounded to binary64 (NaN where it is exactly 0); in a
       sweep of wide networks log10 ||dC/db^j||_2 of the exact norm of
       the layer j = L - d + 1 (NaN where every entry is exactly 0);
     ratio[i * nratios + t]: |dC/db_J / dC/db_K| of the exact values,
       rounded to binary64 (NaN where dC/db_K is exactly 0), and
       ratio_small[i * nratios + t] 1 where |dC/db_J| * 4^(K-J) <=
       |dC/db_K| (decided exactly), 0 otherwise;
     factor[i * (layers - 1) + k - 2]: |w_k f'(z_k)| rounded to binary64,
       and factor_below[i] the number of network i's factors below 1/4
       (decided exactly);
     done[i]: 1 if network i was completed, 0 if the run was stopped
       before it (its records are then zero and meaningless), and
       completed the number of networks completed.
   Every statistic below is over the completed networks only: its total
   is completed, and a network that was not completed counts nowhere. */
typedef struct
{
    slong samples;
    slong nfmts;
    slong nslots;
    slong nvariants;
    slong layers;
    ulong seed;     /* of network 0 */
    slong * layer;
    slong * scale_exp;
    slong * base_lost;
    slong * depths;
    slong ndepths;
    double * log10;
    slong * ratios; /* J, K of each ratio */
    slong nratios;
    double * ratio;
    unsigned char * ratio_small;
    double * factor;
    slong * factor_below;
    unsigned char * done;
    slong completed;
} gc_sweep_struct;

typedef gc_sweep_struct gc_sweep_t[1];

/* Initialises *s* to an empty sweep (no samples). */
void gc_sweep_init(gc_sweep_t s);

/* Frees *s*. */
void gc_sweep_clear(gc_sweep_t s);

/* Runs the sweep *spec* into *s*: spec->samples >= 1 random networks of
   spec->layers >= 1 layers (network i as at the top of this file),
   spec->nfmts >= 1 formats, every depth and ratio in range; otherwise
   gc_throw.  For each network it evaluates the exact values with
   gc_eval_arb, at 64 bits and then at twice the precision until every
   log10, ratio and factor is decided (rounded to binary64 the same way
   from both ends of its ball, compared exactly with 4^(K-J) or 1/4), and
   replays every variant (gc_replay), scanning the deaths as
   gc_death_scan_arb does: a ball is an exact zero only where exact
   arithmetic (a product by an exact zero) made it so, which does not
   depend on the precision, so the events are those compare reports.
   A sweep that records no log10, ratio nor factor needs of the exact
   values only which dC/db_j are exact zeros: unless spec->exact_arb is
   set, it takes them from gc_eval_fast where that succeeds (sigmoid
   chains), whose balls are exact zeros exactly where the values are 0
   (a ball of radius at most 2^-4 of its midpoint is an exact zero or
   excludes 0), and from gc_eval_arb otherwise; the records are the
   same.  A sweep of wide networks (spec->widths, each width >= 1, the
   layers nonzero, no ratio nor factor, otherwise gc_throw) takes them
   from gc_wnet_eval_arb (an exact zero ball only where exact arithmetic
   made it so, as above), the norms from gc_wnet_layer_stats_arb, and
   replays with gc_wreplay.
   The replays without loss scale of sigmoid chains with the quadratic
   cost, in binary64, binary32 and the emulated formats that gc_replay
   computes in binary64 (binary16, bfloat16, e5m2, e4m3, ... rounding to
   nearest, no ":ftz", not mixed), pytorch or textbook sequence, are
   computed by a kernel that replays up to 8 networks together (unless
   spec->replay_generic is set): it gives gc_replay's classes and
   overflow layer, and leaves to gc_replay every network where gc_replay
   would need MPFR; the records are the same.

   *ctl* (NULL: as set by gc_run_ctl_init) says how: ctl->threads >= 1
   threads share the networks (items), each with its own objects (a
   network, its exact values and one replay per format); every
   network is independent of the others and of the split, so *s* does
   not depend on the threads.  Its progress callback counts networks;
   when its stop callback asks for it, the networks in flight (a group
   of up to 8 for each thread) finish and no other starts: then s->completed < spec->samples, and the records
   cover exactly networks 0 .. s->completed - 1 (networks completed past
   the first one not completed are dropped), so they are those of a
   sweep of s->completed samples.

   Returns GC_SUCCESS, also when stopped; or the OR of the statuses of
   gc_eval_arb and gc_replay (gc_wnet_eval_arb and gc_wreplay for wide
   networks; GC_UNABLE for a network an engine cannot
   evaluate or a value still undecided at GC_MAX_PREC_DEFAULT bits,
   GC_INVALID for a scale that gc_loss_scale_check rejects), then *s* is
   unspecified. */
int gc_sweep_run(gc_sweep_t s, const gc_sweep_spec_struct * spec,
                 const gc_run_ctl_struct * ctl) GC_WARN_UNUSED_RESULT;

/* Returns the layer of event *e* of network *i* in variant *v* of *s*,
   0 when it did not happen (gc_throw for an index out of range). */
slong gc_sweep_layer(const gc_sweep_t s, slong i, slong v, gc_event_t e);

/* Returns the first layer of network *i* in variant *v* of *s* where the
   gradient is lost: the largest of the norm_zero, nonfinite and
   overflow events' layers (a zero stays zero in every deeper layer, and
   a nonfinite or saturated value is lost too; in a chain norm_zero is
   the zero event; in a wide network the vector is lost where every
   entry is zero, while an entry zero leaves the others to carry the
   gradient, and one nonfinite entry makes every deeper one nonfinite),
   0 when it is never lost.  The gradient at depth d is lost
   when d >= L - j + 1 for this layer j >= 1; the depth reached is L - j,
   or L when j = 0. */
slong gc_sweep_lost_layer(const gc_sweep_t s, slong i, slong v);

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

/* As gc_stats_set_slong for doubles; NaNs are not counted (count is the
   number of the others), infinities are. */
void gc_stats_set_double(gc_stats_t st, const double * v, slong n,
                         slong total);

/* Sets *st* to the statistics of event *e* in variant *v* of *s* over
   the networks where it happened (total: the completed networks), as
   layers j, or as depths d = L - j + 1 (the number of s' factors) if
   *depth* is nonzero. */
void gc_sweep_stats(gc_stats_t st, const gc_sweep_t s, slong v,
                    gc_event_t e, int depth);

/* Returns the number of completed networks of *s* whose gradient at
   depth *d* (1 <= d <= L) is lost in variant *v* (see
   gc_sweep_lost_layer). */
slong gc_sweep_lost_count(const gc_sweep_t s, slong v, slong d);

/* Sets *st* to the statistics over the completed networks of the depth
   reached before the gradient is lost in variant *v* (see
   gc_sweep_lost_layer: the first lost depth minus 1, or L when it is
   never lost). */
void gc_sweep_reached_stats(gc_stats_t st, const gc_sweep_t s, slong v);

/* Sets *st* to the statistics over the completed networks of the depth
   gained by the loss scale of variant *v* over no loss scaling in the
   same format: the depth reached in *v* minus the depth reached unscaled
   (may be negative).  gc_throw if *s* has no loss scaling. */
void gc_sweep_gained_stats(gc_stats_t st, const gc_sweep_t s, slong v);

/* Sets *st* to the statistics of the exponents e of the automatic scales
   2^e of format *k* over the completed networks (gc_throw without them). */
void gc_sweep_scale_stats(gc_stats_t st, const gc_sweep_t s, slong k);

/* Sets *st* to the statistics of log10 |dC/db_j| (exact values rounded
   to binary64) at depth s->depths[t] over the completed networks where
   dC/db_j is not exactly 0. */
void gc_sweep_log10_stats(gc_stats_t st, const gc_sweep_t s, slong t);

/* Sets *st* to the statistics of ratio t, |dC/db_J / dC/db_K| rounded to
   binary64, over the completed networks where dC/db_K is not exactly 0,
   and returns the number of them where |dC/db_J| 4^(K-J) <= |dC/db_K|
   (dC/db_J at least 4^(K-J) times smaller; decided exactly). */
slong gc_sweep_ratio_stats(gc_stats_t st, const gc_sweep_t s, slong t);

/* Sets *st* to the statistics of the pooled factors |w_k f'(z_k)|, k =
   2 .. L, of every completed network, rounded to binary64, and returns
   the number of them below 1/4 (decided exactly); gc_throw if the sweep
   did not record them. */
slong gc_sweep_factor_stats(gc_stats_t st, const gc_sweep_t s);

/* Returns an upper bound of the bytes of the records of the sweep
   *spec* (not of its threads' networks and replays), SIZE_MAX when it
   exceeds a size_t. */
size_t gc_sweep_records_bytes(const gc_sweep_spec_struct * spec);

/* ---- sweeps in pieces: distributed and resumable runs (issue 14) ----

   A sweep can be run in pieces and put together: networks first ..
   first + n - 1 of a sweep are the networks 0 .. n - 1 of the sweep with
   the same spec, random->seed + first as the seed and n samples (network
   i has seed random->seed + i and depends on nothing else).  The records
   of a network travel as a buffer of gc_sweep_network_bytes bytes, in
   the machine's byte order (between processes of one program on like
   machines, and in checkpoint files read back there). */

/* Sizes *s* for *spec* as gc_sweep_run does (gc_throw for a spec that it
   refuses), with zeroed records, no network done and completed 0. */
void gc_sweep_alloc(gc_sweep_t s, const gc_sweep_spec_struct * spec);

/* Returns the bytes of the records of one network of *s*: every
   per-network array of gc_sweep_struct that *s* has, except done. */
size_t gc_sweep_network_bytes(const gc_sweep_t s);

/* Copies the records of network *i* of *s* into buf[0 ..
   gc_sweep_network_bytes(s)) (gc_throw for i out of range). */
void gc_sweep_pack(unsigned char * buf, const gc_sweep_t s, slong i);

/* Sets the records of network *i* of *s* from *buf*, as gc_sweep_pack
   wrote them for a sweep of the same spec, and marks it done (completed
   counts it once). */
void gc_sweep_unpack(gc_sweep_t s, slong i, const unsigned char * buf);

/* Keeps of *s* the networks 0 .. c - 1 before the first one not done:
   sets completed to c and marks the networks past it not done, so that
   *s* is the sweep of c samples, as gc_sweep_run leaves a stopped run. */
void gc_sweep_keep_prefix(gc_sweep_t s);

/* ---- (end sweeps in pieces) ---- */

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_STUDY_H */
