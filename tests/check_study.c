/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_study.c -- sweeps: network i is compare's network of seed S + i,
   the records are compare's summary, the thread count changes nothing;
   order statistics of known samples. */

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "gc-test.h"

#define STUDY_LAYERS 150
#define STUDY_SAMPLES 6

static const char study_formats[] = "binary64,bfloat16,binary16,e4m3";

/* Sets *spec* to a sweep of *samples* networks of *layers* layers of
   *normal* in the formats fmts[0..nfmts) with *seq*, nothing else. */
static void
study_spec(gc_sweep_spec_struct * spec, const gc_random_t normal,
           slong layers, slong samples, const gc_numfmt_struct * fmts,
           slong nfmts, gc_seq_t seq)
{
    memset(spec, 0, sizeof(gc_sweep_spec_struct));
    spec->random = normal;
    spec->layers = layers;
    spec->samples = samples;
    spec->fmts = fmts;
    spec->nfmts = nfmts;
    spec->seq = seq;
}

/* Runs the sweep *spec* into *s* on *threads* threads, without progress
   nor stop; returns the status of gc_sweep_run. */
static int
study_run(gc_sweep_t s, const gc_sweep_spec_struct * spec, slong threads)
{
    gc_run_ctl_t ctl;

    gc_run_ctl_init(ctl);
    ctl->threads = threads;
    return gc_sweep_run(s, spec, ctl);
}

/* Checks every record of *s* against what 'compare --random N(mu, sd)
   --seed S+i' computes for network i: gc_net_set_random with that seed,
   the Arb exact values at 10 digits, gc_replay and gc_death_scan_arb. */
static void
study_check_compare(const gc_sweep_t s, const gc_random_t rnd,
                    const gc_numfmt_struct * fmts, slong nfmts,
                    mpfr_srcptr scale)
{
    gc_net_t net;
    gc_arb_trace_t exact;
    gc_replay_t r;
    gc_random_t n;
    slong i, k, prec;

    gc_net_init(net);
    gc_arb_trace_init(exact, s->layers);
    gc_replay_init(r);
    *n = *rnd;
    for (i = 0; i < s->samples; i++)
    {
        n->seed = rnd->seed + (ulong) i;
        gc_net_set_random(net, n, s->layers);
        gc_net_materialize(net);
        ck_assert_int_eq(gc_eval_arb_digits(exact, net, 10,
                                            GC_MAX_PREC_DEFAULT, &prec),
                         GC_SUCCESS);
        for (k = 0; k < nfmts; k++)
        {
            slong want[GC_EVENTS];
            int e;

            ck_assert_int_eq(gc_replay(r, net, fmts + k, GC_SEQ_PYTORCH,
                                       scale), GC_SUCCESS);
            gc_death_scan_arb(&r->death, r->db_class, exact->db, net->len);
            want[GC_EVENT_ZERO] = r->death.first_zero;
            want[GC_EVENT_NONFINITE] = FLINT_MAX(r->death.first_inf,
                                                 r->death.first_nan);
            want[GC_EVENT_OVERFLOW] = FLINT_MAX(
                FLINT_MAX(r->overflow_layer, r->scale_overflow),
                want[GC_EVENT_NONFINITE]);
            /* scaled: the subnormals of the values the format holds */
            if (scale != NULL)
                gc_death_scan_arb(&r->death, r->scaled_class, exact->db,
                                  net->len);
            want[GC_EVENT_SUBNORMAL] = r->death.first_subnormal;
            /* one neuron: every entry is the entry; subnormal or zero
               in the classes of the subnormal event */
            want[GC_EVENT_NORM_ZERO] = want[GC_EVENT_ZERO];
            want[GC_EVENT_NORM_SUBNORMAL] = FLINT_MAX(
                r->death.first_subnormal, r->death.first_zero);
            for (e = 0; e < GC_EVENTS; e++)
                ck_assert_msg(gc_sweep_layer(s, i, k, (gc_event_t) e)
                                  == want[e],
                              "seed=%lu format=%s event=%s: %ld, compare "
                              "%ld", (ulong) n->seed, fmts[k].name,
                              gc_event_name((gc_event_t) e),
                              (long) gc_sweep_layer(s, i, k, (gc_event_t) e),
                              (long) want[e]);
        }
    }
    gc_replay_clear(r);
    gc_arb_trace_clear(exact);
    gc_net_clear(net);
}

START_TEST(test_sweep_compare)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_struct * fmts;
    slong nfmts;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    mpfr_t scale;

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts, study_formats,
                                            err), GC_SUCCESS);
    mpfr_init2(scale, 64);
    mpfr_set_ui_2exp(scale, 1, 16, MPFR_RNDN);
    gc_sweep_init(s);
    study_spec(&spec, normal, STUDY_LAYERS, STUDY_SAMPLES, fmts, nfmts,
               GC_SEQ_PYTORCH);
    ck_assert_int_eq(study_run(s, &spec, 1), GC_SUCCESS);
    ck_assert_int_eq(s->samples, STUDY_SAMPLES);
    ck_assert(s->seed == normal->seed);
    study_check_compare(s, normal, fmts, nfmts, NULL);
    /* with a loss scale, and a seed that wraps around 2^64 */
    normal->seed = UWORD_MAX - 2;
    spec.scales = scale;
    spec.nscales = 1;
    ck_assert_int_eq(study_run(s, &spec, 2), GC_SUCCESS);
    study_check_compare(s, normal, fmts, nfmts, scale);
    gc_sweep_clear(s);
    mpfr_clear(scale);
    flint_free(fmts);
}
END_TEST

START_TEST(test_sweep_threads)
{
    gc_random_t normal = GC_TEST_NORMAL(0.25, 1.5, gc_test_seed());
    gc_numfmt_struct * fmts;
    slong nfmts, k, t, n = gc_test_iters(13);
    gc_parse_error_t err;
    gc_sweep_t s1, s;
    gc_sweep_spec_struct spec;
    static const slong depths[] = {1, 40, 80};
    gc_param_struct ratios[2];

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts, study_formats,
                                            err), GC_SUCCESS);
    gc_param_set(ratios, GC_PARAM_B, 2);
    gc_param_set(ratios + 1, GC_PARAM_B, 70);
    gc_sweep_init(s1);
    gc_sweep_init(s);
    study_spec(&spec, normal, 80, n, fmts, nfmts, GC_SEQ_TEXTBOOK);
    spec.depths = depths;
    spec.ndepths = 3;
    spec.ratios = ratios;
    spec.nratios = 1;
    spec.factors = 1;
    spec.scale_auto = 1;
    ck_assert_int_eq(study_run(s1, &spec, 1), GC_SUCCESS);
    /* more threads than networks too */
    for (t = 2; t <= n + 2; t += n)
    {
        ck_assert_int_eq(study_run(s, &spec, t), GC_SUCCESS);
        ck_assert_msg(memcmp(s->layer, s1->layer,
                             n * nfmts * GC_EVENTS * sizeof(slong)) == 0
                      && memcmp(s->scale_exp, s1->scale_exp,
                                n * nfmts * sizeof(slong)) == 0
                      && memcmp(s->log10, s1->log10,
                                n * 3 * sizeof(double)) == 0
                      && memcmp(s->ratio, s1->ratio, n * sizeof(double))
                             == 0
                      && memcmp(s->factor, s1->factor,
                                n * 79 * sizeof(double)) == 0,
                      "threads=%ld seed=%lu", (long) t, normal->seed);
        for (k = 0; k < nfmts; k++)
        {
            int e;

            for (e = 0; e < GC_EVENTS; e++)
            {
                gc_stats_t a, b;

                gc_sweep_stats(a, s1, k, (gc_event_t) e, 1);
                gc_sweep_stats(b, s, k, (gc_event_t) e, 1);
                ck_assert(memcmp(a, b, sizeof(gc_stats_struct)) == 0);
            }
        }
    }
    gc_sweep_clear(s1);
    gc_sweep_clear(s);
    flint_free(fmts);
}
END_TEST

/* Checks that the sweeps s1 and s2 have the same statistics: those of
   variant v, of depth index t, of ratio 0 and of the factors. */
static void
study_same_stats(const gc_sweep_t s1, const gc_sweep_t s2, slong v,
                 slong t)
{
    gc_stats_t a, b;
    int e;

    for (e = 0; e < GC_EVENTS; e++)
    {
        gc_sweep_stats(a, s1, v, (gc_event_t) e, 1);
        gc_sweep_stats(b, s2, v, (gc_event_t) e, 1);
        ck_assert(memcmp(a, b, sizeof(gc_stats_struct)) == 0);
    }
    gc_sweep_reached_stats(a, s1, v);
    gc_sweep_reached_stats(b, s2, v);
    ck_assert(memcmp(a, b, sizeof(gc_stats_struct)) == 0);
    gc_sweep_scale_stats(a, s1, v);
    gc_sweep_scale_stats(b, s2, v);
    ck_assert(memcmp(a, b, sizeof(gc_stats_struct)) == 0);
    gc_sweep_log10_stats(a, s1, t);
    gc_sweep_log10_stats(b, s2, t);
    ck_assert(memcmp(a, b, sizeof(gc_stats_struct)) == 0);
    ck_assert_int_eq(gc_sweep_lost_count(s1, v, s1->depths[t]),
                     gc_sweep_lost_count(s2, v, s2->depths[t]));
    ck_assert_int_eq(gc_sweep_ratio_stats(a, s1, 0),
                     gc_sweep_ratio_stats(b, s2, 0));
    ck_assert(memcmp(a, b, sizeof(gc_stats_struct)) == 0);
    ck_assert_int_eq(gc_sweep_factor_stats(a, s1),
                     gc_sweep_factor_stats(b, s2));
    ck_assert(memcmp(a, b, sizeof(gc_stats_struct)) == 0);
}

/* A sweep stopped after K networks: done and completed say which, and
   every statistic is that of a sweep of those K networks alone; stopped
   before the first (K = 0), every statistic is empty. */
/* Sets *spec* to the sweep of the stop tests: n networks of *layers*
   layers of *normal* in the format *f*, the depths depths[0..2), the
   ratio b1:b3 (set in ratios[0..2)), the factors and the automatic loss
   scale. */
static void
study_spec_all(gc_sweep_spec_struct * spec, gc_param_struct * ratios,
               const slong * depths, const gc_random_t normal, slong layers,
               slong n, const gc_numfmt_struct * f)
{
    study_spec(spec, normal, layers, n, f, 1, GC_SEQ_PYTORCH);
    spec->depths = depths;
    spec->ndepths = 2;
    gc_param_set(ratios, GC_PARAM_B, 1);
    gc_param_set(ratios + 1, GC_PARAM_B, 3);
    spec->ratios = ratios;
    spec->nratios = 1;
    spec->factors = 1;
    spec->scale_auto = 1;
}

/* Checks that the stopped sweep *s* of *spec* covers networks 0 ..
   K-1 exactly, K = s->completed, with the statistics of a sweep of K
   samples (run into *s1*; spec->samples becomes K). */
static void
study_check_stopped(const gc_sweep_t s, gc_sweep_t s1,
                    gc_sweep_spec_struct * spec)
{
    slong i, t;

    ck_assert_msg(s->completed >= 1 && s->completed < spec->samples,
                  "completed=%ld seed=%lu", (long) s->completed,
                  spec->random->seed);
    for (i = 0; i < spec->samples; i++)
        ck_assert_int_eq(s->done[i], i < s->completed);
    spec->samples = s->completed;
    ck_assert_int_eq(study_run(s1, spec, 1), GC_SUCCESS);
    ck_assert_int_eq(s1->completed, s->completed);
    for (t = 0; t < 2; t++)
        study_same_stats(s, s1, 0, t);
}

/* A stop callback: nonzero from its (*arg + 1)-th call on (*arg counts
   down, atomically: several threads call it). */
static int
study_stop_after(void * arg)
{
    return atomic_fetch_sub((atomic_long *) arg, 1) <= 0;
}

/* Stopped (_i = 0: one thread; 1: 2 threads, which take chunks of many
   networks, so networks past one not done may be done: they are
   dropped), the records are those of a sweep of the completed prefix;
   and stopped at once, every statistic is empty.  The sweep's items are
   groups of up to 8 networks (the kernel's lanes): the stop callback is
   asked between groups. */
START_TEST(test_sweep_stopped)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_sweep_t s, s1;
    gc_sweep_spec_struct spec;
    gc_run_ctl_t ctl;
    gc_stats_t st;
    static const slong depths[2][2] = {{1, 30}, {1, 5}};
    gc_param_struct ratios[2];
    atomic_long left;
    slong n = _i == 0 ? 80 : 3000;

    ck_assert_int_eq(gc_numfmt_set_str(f, _i == 0 ? "bfloat16" : "binary16",
                                       err), GC_SUCCESS);
    study_spec_all(&spec, ratios, depths[_i], normal, depths[_i][1], n, f);
    gc_sweep_init(s);
    gc_sweep_init(s1);
    gc_run_ctl_init(ctl);
    ctl->threads = _i + 1;
    ctl->stop = study_stop_after;
    ctl->stop_arg = &left;
    atomic_init(&left, _i == 0 ? 3 : 125);
    ck_assert_int_eq(gc_sweep_run(s, &spec, ctl), GC_SUCCESS);
    study_check_stopped(s, s1, &spec);
    /* K = 0 */
    spec.samples = n;
    atomic_store(&left, 0);
    ck_assert_int_eq(gc_sweep_run(s, &spec, ctl), GC_SUCCESS);
    ck_assert_int_eq(s->completed, 0);
    gc_sweep_stats(st, s, 0, GC_EVENT_ZERO, 1);
    ck_assert(st->count == 0 && st->total == 0 && st->median == 0);
    gc_sweep_reached_stats(st, s, 0);
    ck_assert(st->count == 0 && st->total == 0);
    ck_assert_int_eq(gc_sweep_ratio_stats(st, s, 0), 0);
    ck_assert(st->count == 0 && st->total == 0);
    ck_assert_int_eq(gc_sweep_factor_stats(st, s), 0);
    ck_assert(st->count == 0 && st->total == 0);
    ck_assert_int_eq(gc_sweep_lost_count(s, 0, depths[_i][1]), 0);
    gc_sweep_clear(s1);
    gc_sweep_clear(s);
}
END_TEST

START_TEST(test_stats_quartiles)
{
    static const slong v[] = {4, 1, 3, 2};
    static const slong one[] = {7};
    static const slong odd[] = {10, 30, 20, 50, 40};
    gc_stats_t st;

    gc_stats_set_slong(st, v, 4, 10);
    ck_assert_int_eq(st->count, 4);
    ck_assert_int_eq(st->total, 10);
    ck_assert(st->min == 1 && st->q1 == 1.75 && st->median == 2.5
              && st->q3 == 3.25 && st->max == 4);
    ck_assert(v[0] == 4 && v[1] == 1); /* not sorted in place */
    gc_stats_set_slong(st, odd, 5, 5);
    ck_assert(st->min == 10 && st->q1 == 20 && st->median == 30
              && st->q3 == 40 && st->max == 50);
    gc_stats_set_slong(st, one, 1, 3);
    ck_assert(st->min == 7 && st->q1 == 7 && st->median == 7
              && st->q3 == 7 && st->max == 7);
    gc_stats_set_slong(st, NULL, 0, 3);
    ck_assert(st->count == 0 && st->total == 3 && st->min == 0
              && st->median == 0 && st->max == 0);
}
END_TEST

/* Depths are L + 1 - layers: their quartiles mirror those of the
   layers. */
START_TEST(test_sweep_depth)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_stats_t l, d;
    gc_sweep_spec_struct spec;
    int e;


    ck_assert_int_eq(gc_numfmt_set_str(f, "binary16", err), GC_SUCCESS);
    gc_sweep_init(s);
    study_spec(&spec, normal, 60, 9, f, 1, GC_SEQ_PYTORCH);
    ck_assert_int_eq(study_run(s, &spec, 2), GC_SUCCESS);
    for (e = 0; e < GC_EVENTS; e++)
    {
        gc_sweep_stats(l, s, 0, (gc_event_t) e, 0);
        gc_sweep_stats(d, s, 0, (gc_event_t) e, 1);
        ck_assert_int_eq(l->count, d->count);
        if (l->count == 0)
            continue;
        ck_assert(d->min == 61 - l->max && d->q1 == 61 - l->q3
                  && d->median == 61 - l->median && d->q3 == 61 - l->q1
                  && d->max == 61 - l->min);
    }
    gc_sweep_stats(l, s, 0, GC_EVENT_ZERO, 0);
    ck_assert_msg(l->count > 0, "binary16 never reaches zero in 60 layers "
                  "of N(0,1), seed=%lu", normal->seed);
    ck_assert_str_eq(gc_event_name(GC_EVENT_NONFINITE), "nonfinite");
    gc_sweep_clear(s);
}
END_TEST

/* The chapter's 16x claim on 10,000 four-layer N(0, 1) chains, against a
   plain binary64 loop written here: the same binary64 draws, sigmoid
   layers, a_0 = 1, y = 0, quadratic cost (dC/da_4 = a_4), s'(z) =
   e^-|z| / (1 + e^-|z|)^2. */
#define RATIO_SAMPLES 10000

static int
study_dcmp(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

START_TEST(test_sweep_ratio16)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    gc_param_struct ratios[2];
    gc_stats_t st;
    double * ratio = flint_malloc(RATIO_SAMPLES * sizeof(double));
    double median;
    slong i, j, small = 0, near = 0, got;

    ck_assert_int_eq(gc_numfmt_set_str(f, "binary64", err), GC_SUCCESS);
    gc_param_set(ratios, GC_PARAM_B, 1);
    gc_param_set(ratios + 1, GC_PARAM_B, 3);
    study_spec(&spec, normal, 4, RATIO_SAMPLES, f, 1, GC_SEQ_PYTORCH);
    spec.ratios = ratios;
    spec.nratios = 1;
    gc_sweep_init(s);
    ck_assert_int_eq(study_run(s, &spec, 2), GC_SUCCESS);

    for (i = 0; i < RATIO_SAMPLES; i++)
    {
        gc_random_t n = GC_TEST_NORMAL(0.0, 1.0, normal->seed + (ulong) i);
        double w[5], b[5], sp[5], db[5], a = 1.0;

        for (j = 1; j <= 4; j++)
        {
            double z, e;

            gc_random_draw(w + j, b + j, n, j);
            z = w[j] * a + b[j];
            a = 1.0 / (1.0 + exp(-z));
            e = exp(-fabs(z));
            sp[j] = e / ((1.0 + e) * (1.0 + e));
        }
        db[4] = sp[4] * a;
        for (j = 3; j >= 1; j--)
            db[j] = sp[j] * w[j + 1] * db[j + 1];
        ratio[i] = fabs(db[1] / db[3]);
        ck_assert_msg(fabs(s->ratio[i] - ratio[i]) <= 1e-12 * ratio[i],
                      "seed=%lu: ratio %.17g, binary64 loop %.17g",
                      (ulong) n->seed, s->ratio[i], ratio[i]);
        if (fabs(ratio[i] * 16 - 1) <= 1e-12)
            near++;
        else
            small += ratio[i] <= 1.0 / 16;
    }
    got = gc_sweep_ratio_stats(st, s, 0);
    ck_assert_int_eq(st->count, RATIO_SAMPLES);
    ck_assert_msg(got >= small && got <= small + near,
                  "seed=%lu: %ld networks with b1 16x smaller, binary64 loop "
                  "%ld (+%ld within 1e-12 of 1/16)", normal->seed,
                  (long) got, (long) small, (long) near);
    qsort(ratio, RATIO_SAMPLES, sizeof(double), study_dcmp);
    median = (ratio[RATIO_SAMPLES / 2 - 1] + ratio[RATIO_SAMPLES / 2]) / 2;
    ck_assert_msg(fabs(st->median - median) <= 1e-12 * median,
                  "seed=%lu: median %.17g, binary64 loop %.17g",
                  normal->seed, st->median, median);
    /* not a vacuous claim: most but not all chains satisfy it */
    ck_assert(got > RATIO_SAMPLES / 2 && got < RATIO_SAMPLES);
    gc_sweep_clear(s);
    flint_free(ratio);
}
END_TEST

/* The constant chain w_j = b_j = 1/2 (N(1/2, 0)) with the identity and
   a_0 = 1: every z_j = 1, a_j = 1, dC/da_L = a_L - y = 1 and dC/db_j =
   (1/2)^(d-1) at depth d = L - j + 1, exactly.  A format whose smallest
   normal is 2^emin and precision p bits (IEEE's conventions, written
   here) first gives a subnormal at depth 2 - emin and zero at
   p - emin + 1 (2^-(p - emin) is a tie with 0, rounded to even), or
   with flush-to-zero zero at 2 - emin. */
typedef struct
{
    const char * name;
    slong p;
    slong emin;
    int ftz;
} study_ieee_struct;

static const study_ieee_struct study_ieee[] = {
    {"binary64", 53, -1022, 0},  {"binary32", 24, -126, 0},
    {"bfloat16", 8, -126, 0},    {"binary16", 11, -14, 0},
    {"e5m2", 3, -14, 0},         {"binary16:ftz", 11, -14, 1},
    {"binary64-emu", 53, -1022, 0}};

#define STUDY_NIEEE ((slong) (sizeof study_ieee / sizeof study_ieee[0]))
#define HALF_LAYERS 1100

START_TEST(test_sweep_half_chain)
{
    gc_random_t normal = GC_TEST_NORMAL(0.5, 0.0, gc_test_seed());
    gc_numfmt_struct fmts[STUDY_NIEEE];
    gc_activation_t id;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    gc_param_struct ratios[2];
    static const slong depths[] = {1, 2, 30, 1075, HALF_LAYERS};
    gc_stats_t st;
    slong k, t, v;

    for (k = 0; k < STUDY_NIEEE; k++)
        ck_assert_int_eq(gc_numfmt_set_str(fmts + k, study_ieee[k].name,
                                           err), GC_SUCCESS);
    gc_activation_init(id);
    ck_assert_int_eq(gc_activation_set_str(id, "identity", err),
                     GC_SUCCESS);
    gc_param_set(ratios, GC_PARAM_B, 7);
    gc_param_set(ratios + 1, GC_PARAM_B, 10);
    study_spec(&spec, normal, HALF_LAYERS, 3, fmts, STUDY_NIEEE,
               GC_SEQ_PYTORCH);
    spec.act = id;
    spec.depths = depths;
    spec.ndepths = 5;
    spec.ratios = ratios;
    spec.nratios = 1;
    spec.factors = 1;
    gc_sweep_init(s);
    ck_assert_int_eq(study_run(s, &spec, 2), GC_SUCCESS);
    for (k = 0; k < STUDY_NIEEE; k++)
    {
        const study_ieee_struct * f = study_ieee + k;
        slong sub = f->ftz ? 0 : 2 - f->emin;
        slong zero = f->ftz ? 2 - f->emin : f->p - f->emin + 1;

        gc_sweep_stats(st, s, k, GC_EVENT_SUBNORMAL, 1);
        ck_assert_msg(sub == 0 ? st->count == 0
                               : st->count == 3 && st->min == sub
                                     && st->q1 == sub && st->median == sub
                                     && st->max == sub,
                      "%s: first subnormal depth %g (%ld networks), want "
                      "%ld", f->name, st->median, (long) st->count,
                      (long) sub);
        gc_sweep_stats(st, s, k, GC_EVENT_ZERO, 1);
        ck_assert_msg(st->count == 3 && st->min == zero && st->q3 == zero
                          && st->median == zero && st->max == zero,
                      "%s: first zero depth %g (%ld networks), want %ld",
                      f->name, st->median, (long) st->count, (long) zero);
        gc_sweep_reached_stats(st, s, k);
        ck_assert(st->count == 3 && st->median == zero - 1);
        ck_assert_int_eq(gc_sweep_lost_count(s, k, zero - 1), 0);
        ck_assert_int_eq(gc_sweep_lost_count(s, k, zero), 3);
        ck_assert_int_eq(gc_sweep_lost_count(s, k, HALF_LAYERS), 3);
    }
    for (t = 0; t < 5; t++)
    {
        double want = -(double) (depths[t] - 1) * log10(2.0);

        gc_sweep_log10_stats(st, s, t);
        ck_assert_msg(st->count == 3 && st->min == st->max
                          && fabs(st->median - want)
                                 <= 1e-15 * fabs(want) + 1e-300,
                      "depth %ld: log10 %.17g, want %.17g",
                      (long) depths[t], st->median, want);
    }
    /* dC/db_7 / dC/db_10 = 1/8 exactly: not 64 times smaller */
    ck_assert_int_eq(gc_sweep_ratio_stats(st, s, 0), 0);
    ck_assert(st->count == 3 && st->min == 0.125 && st->max == 0.125);
    /* every factor |w s'| is 1/2 */
    ck_assert_int_eq(gc_sweep_factor_stats(st, s), 0);
    ck_assert(st->count == 3 * (HALF_LAYERS - 1) && st->min == 0.5
              && st->max == 0.5);

    /* binary16 with loss scales 2^15, 2^16 and auto: a scaled dC/da_L =
       2^15 is binary16's largest power of two, 2^16 overflows (65504 is
       the largest number); bfloat16 goes up to 2^127 */
    {
        mpfr_t scales;
        gc_numfmt_struct f2[2];

        f2[0] = fmts[3];
        f2[1] = fmts[2];
        mpfr_init2(scales, 2);
        mpfr_set_ui_2exp(scales, 1, 15, MPFR_RNDN);
        study_spec(&spec, normal, 60, 2, f2, 2, GC_SEQ_PYTORCH);
        spec.act = id;
        spec.scales = scales;
        spec.nscales = 1;
        spec.scale_auto = 1;
        ck_assert_int_eq(study_run(s, &spec, 1), GC_SUCCESS);
        ck_assert_int_eq(s->nvariants, 4);
        gc_sweep_scale_stats(st, s, 0);
        ck_assert(st->count == 2 && st->min == 15 && st->max == 15);
        gc_sweep_scale_stats(st, s, 1);
        ck_assert(st->count == 2 && st->min == 127 && st->max == 127);
        /* binary16 at 2^15 and auto (also 2^15): 15 more halvings */
        for (v = 0; v < 4; v += 2)
        {
            gc_sweep_stats(st, s, v, GC_EVENT_ZERO, 1);
            ck_assert_msg(st->count == 2 && st->median == 26 + 15,
                          "variant %ld: zero depth %g", (long) v,
                          st->median);
            gc_sweep_gained_stats(st, s, v);
            ck_assert(st->min == 15 && st->max == 15);
            gc_sweep_stats(st, s, v, GC_EVENT_NONFINITE, 1);
            ck_assert_int_eq(st->count, 0);
        }
        mpfr_set_ui_2exp(scales, 1, 16, MPFR_RNDN);
        spec.scale_auto = 0;
        spec.nfmts = 1;
        ck_assert_int_eq(study_run(s, &spec, 1), GC_SUCCESS);
        gc_sweep_stats(st, s, 0, GC_EVENT_NONFINITE, 1);
        ck_assert(st->count == 2 && st->median == 1);
        mpfr_clear(scales);
    }
    gc_sweep_clear(s);
    gc_activation_clear(id);
}
END_TEST

/* The half chain of test_sweep_half_chain (dC/db_j = 2^-(d-1), dC/da_L
   = 1) under loss scales, in formats whose largest finite number M is
   written here: the scaled dC/da_L = 2^e overflows exactly when 2^e >
   M, at layer L, so the automatic scale is 2^floor(log2 M).  e4m3
   saturates at 448 instead of giving inf: its overflow is no nonfinite
   event, but the gradient is lost all the same (reached 0).  At the
   automatic scale the scaled gradient 2^(e-d+1) is first subnormal at
   depth 2 - emin + e and zero at p - emin + 1 + e. */
typedef struct
{
    const char * name;
    double max;
    slong p;
    slong emin;
    int saturates;
} study_big_struct;

static const study_big_struct study_big[] = {
    {"e4m3", 448.0, 4, -6, 1},
    {"e5m2", 57344.0, 3, -14, 0},
    {"binary16", 65504.0, 11, -14, 0}};

#define STUDY_NBIG ((slong) (sizeof study_big / sizeof study_big[0]))
#define BIG_LAYERS 40
#define BIG_SAMPLES 2

START_TEST(test_sweep_overflow)
{
    gc_random_t half = GC_TEST_NORMAL(0.5, 0.0, gc_test_seed());
    gc_numfmt_struct fmts[STUDY_NBIG];
    gc_activation_t id;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    gc_stats_t st;
    mpfr_t scales[2];
    slong k, slot;

    gc_activation_init(id);
    ck_assert_int_eq(gc_activation_set_str(id, "identity", err),
                     GC_SUCCESS);
    for (k = 0; k < STUDY_NBIG; k++)
        ck_assert_int_eq(gc_numfmt_set_str(fmts + k, study_big[k].name,
                                           err), GC_SUCCESS);
    gc_sweep_init(s);
    for (k = 0; k < STUDY_NBIG; k++)
    {
        const study_big_struct * f = study_big + k;
        slong e = (slong) floor(log2(f->max));
        slong zero = f->p - f->emin + 1 + e;

        /* slot 0: 2^e, slot 1: 2^(e+1), slot 2: auto */
        mpfr_init2(scales[0], 2);
        mpfr_init2(scales[1], 2);
        mpfr_set_ui_2exp(scales[0], 1, e, MPFR_RNDN);
        mpfr_set_ui_2exp(scales[1], 1, e + 1, MPFR_RNDN);
        study_spec(&spec, half, BIG_LAYERS, BIG_SAMPLES, fmts + k, 1,
                   GC_SEQ_PYTORCH);
        spec.act = id;
        spec.scales = scales[0];
        spec.nscales = 2;
        spec.scale_auto = 1;
        ck_assert_int_eq(study_run(s, &spec, 2), GC_SUCCESS);
        gc_sweep_scale_stats(st, s, 0);
        ck_assert_msg(st->count == BIG_SAMPLES && st->min == e
                          && st->max == e,
                      "%s: automatic scale 2^%g, want 2^%ld", f->name,
                      st->median, (long) e);
        for (slot = 0; slot < 3; slot += 2)
        {
            gc_sweep_stats(st, s, slot, GC_EVENT_OVERFLOW, 1);
            ck_assert_int_eq(st->count, 0);
            gc_sweep_stats(st, s, slot, GC_EVENT_SUBNORMAL, 1);
            ck_assert_msg(st->count == BIG_SAMPLES
                              && st->min == 2 - f->emin + e
                              && st->max == 2 - f->emin + e,
                          "%s slot %ld: subnormal depth %g, want %ld",
                          f->name, (long) slot, st->median,
                          (long) (2 - f->emin + e));
            gc_sweep_reached_stats(st, s, slot);
            ck_assert_msg(st->min == zero - 1 && st->max == zero - 1,
                          "%s slot %ld: reached %g, want %ld", f->name,
                          (long) slot, st->median, (long) (zero - 1));
            gc_sweep_gained_stats(st, s, slot);
            ck_assert(st->min == e && st->max == e);
        }
        /* 2^(e+1) overflows at layer L: nothing is reached */
        gc_sweep_stats(st, s, 1, GC_EVENT_OVERFLOW, 0);
        ck_assert_msg(st->count == BIG_SAMPLES && st->min == BIG_LAYERS
                          && st->max == BIG_LAYERS,
                      "%s at 2^%ld: overflow layer %g in %ld networks",
                      f->name, (long) (e + 1), st->median, (long) st->count);
        gc_sweep_stats(st, s, 1, GC_EVENT_NONFINITE, 0);
        ck_assert_int_eq(st->count, f->saturates ? 0 : BIG_SAMPLES);
        gc_sweep_reached_stats(st, s, 1);
        ck_assert(st->count == BIG_SAMPLES && st->min == 0 && st->max == 0);
        ck_assert_int_eq(gc_sweep_lost_layer(s, 0, 1), BIG_LAYERS);
        ck_assert_int_eq(gc_sweep_lost_count(s, 1, 1), BIG_SAMPLES);
        mpfr_clear(scales[0]);
        mpfr_clear(scales[1]);
    }
    gc_sweep_clear(s);
    gc_activation_clear(id);
}
END_TEST

/* A loss scale of 1 changes nothing: every event of every network is
   that of the unscaled replay, also in formats narrower than the scale
   format (binary32), whose subnormals are normal binary32 numbers. */
START_TEST(test_sweep_scale_one)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_struct * fmts;
    slong nfmts, i, k;
    gc_parse_error_t err;
    gc_sweep_t s, s1;
    gc_sweep_spec_struct spec;
    gc_stats_t st;
    mpfr_t one;
    int e;

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts,
                                            "binary16,bfloat16,e5m2", err),
                     GC_SUCCESS);
    mpfr_init2(one, 2);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    gc_sweep_init(s);
    gc_sweep_init(s1);
    study_spec(&spec, normal, STUDY_LAYERS, STUDY_SAMPLES, fmts, nfmts,
               GC_SEQ_PYTORCH);
    ck_assert_int_eq(study_run(s, &spec, 1), GC_SUCCESS);
    spec.scales = one;
    spec.nscales = 1;
    ck_assert_int_eq(study_run(s1, &spec, 2), GC_SUCCESS);
    for (i = 0; i < STUDY_SAMPLES; i++)
        for (k = 0; k < nfmts; k++)
            for (e = 0; e < GC_EVENTS; e++)
                ck_assert_int_eq(gc_sweep_layer(s1, i, k, (gc_event_t) e),
                                 gc_sweep_layer(s, i, k, (gc_event_t) e));
    /* not vacuous: binary16 has subnormals in these chains */
    gc_sweep_stats(st, s1, 0, GC_EVENT_SUBNORMAL, 1);
    ck_assert_int_gt(st->count, 0);
    gc_sweep_clear(s);
    gc_sweep_clear(s1);
    mpfr_clear(one);
    flint_free(fmts);
}
END_TEST

/* N(1, 0) sigmoid chains are all the same network (w = b = 1, a_0 = 1):
   every quantile is the one value, here dC/db_L = s'(z_L) a_L from a
   binary64 loop. */
START_TEST(test_sweep_constant)
{
    gc_random_t normal = GC_TEST_NORMAL(1.0, 0.0, gc_test_seed());
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    static const slong depths[] = {1};
    gc_stats_t st;
    double a = 1.0, z = 0.0, e, want;
    slong j;

    for (j = 1; j <= 8; j++)
    {
        z = a + 1.0;
        a = 1.0 / (1.0 + exp(-z));
    }
    e = exp(-z);
    want = log10(e / ((1.0 + e) * (1.0 + e)) * a);
    ck_assert_int_eq(gc_numfmt_set_str(f, "binary32", err), GC_SUCCESS);
    study_spec(&spec, normal, 8, 5, f, 1, GC_SEQ_PYTORCH);
    spec.depths = depths;
    spec.ndepths = 1;
    gc_sweep_init(s);
    ck_assert_int_eq(study_run(s, &spec, 3), GC_SUCCESS);
    gc_sweep_log10_stats(st, s, 0);
    ck_assert_msg(st->count == 5 && st->min == st->q1
                      && st->q1 == st->median && st->median == st->q3
                      && st->q3 == st->max
                      && fabs(st->median - want) <= 1e-14 * fabs(want),
                  "log10 %.17g .. %.17g, binary64 loop %.17g", st->min,
                  st->max, want);
    gc_sweep_clear(s);
}
END_TEST

/* bfloat16:sr: the same --sr-seed replays the same, another seed
   rounds differently. */
START_TEST(test_sweep_sr_seed)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_sweep_t s1, s2;
    gc_sweep_spec_struct spec;
    slong n = 12, bytes = n * GC_EVENTS * sizeof(slong);

    ck_assert_int_eq(gc_numfmt_set_str(f, "bfloat16:sr", err), GC_SUCCESS);
    study_spec(&spec, normal, 150, n, f, 1, GC_SEQ_PYTORCH);
    gc_sweep_init(s1);
    gc_sweep_init(s2);
    spec.sr_seed = 1;
    ck_assert_int_eq(study_run(s1, &spec, 2), GC_SUCCESS);
    ck_assert_int_eq(study_run(s2, &spec, 2), GC_SUCCESS);
    ck_assert(memcmp(s1->layer, s2->layer, bytes) == 0);
    spec.sr_seed = 2;
    ck_assert_int_eq(study_run(s2, &spec, 2), GC_SUCCESS);
    ck_assert_msg(memcmp(s1->layer, s2->layer, bytes) != 0,
                  "seed=%lu: --sr-seed 1 and 2 give the same events",
                  normal->seed);
    gc_sweep_clear(s1);
    gc_sweep_clear(s2);
}
END_TEST

/* Sets *d* to a random distribution of the fast-path test: N(mu, sd),
   U(lo, hi), or the constants 0 and 1/2 (exact zeros, z_j = 0). */
static void
study_random_dist(gc_dist_t d, flint_rand_t state)
{
    switch (n_randint(state, 5))
    {
        case 0:
            gc_dist_set_const(d, n_randint(state, 2) ? 0.0 : 0.5);
            break;
        case 1:
            gc_dist_set_uniform(d, -1.0, 1.0);
            break;
        default:
            gc_dist_set_normal(d, 0.25 * (double) n_randint(state, 5) - 0.5,
                               0.5 * (double) n_randint(state, 9));
    }
}

/* Two sweeps of one random spec, for the comparisons of two ways of
   running it: the spec (its formats, distribution, a_0, y, tanh, loss
   scale) and the records of each way (s, t). */
typedef struct
{
    flint_rand_t state;
    gc_numfmt_struct fmts[4];
    gc_random_t rnd;
    gc_activation_t act;
    gc_sweep_t s, t;
    gc_sweep_spec_struct spec;
    mpq_t a0, y;
    mpfr_t scale;
} study_pair_struct;

static void
study_pair_init(study_pair_struct * p)
{
    gc_parse_error_t err;

    gc_test_randinit(p->state);
    gc_activation_init(p->act);
    ck_assert_int_eq(gc_activation_set_str(p->act, "tanh", err),
                     GC_SUCCESS);
    mpq_init(p->a0);
    mpq_init(p->y);
    mpfr_init2(p->scale, 64);
    gc_sweep_init(p->s);
    gc_sweep_init(p->t);
}

static void
study_pair_clear(study_pair_struct * p)
{
    gc_sweep_clear(p->s);
    gc_sweep_clear(p->t);
    mpfr_clear(p->scale);
    mpq_clear(p->a0);
    mpq_clear(p->y);
    gc_activation_clear(p->act);
    flint_randclear(p->state);
}

/* Sets p->spec to a random sweep: 1 to *nfmts* formats of names[0 ..
   nnames), 1 to *layers* layers, 1 to *samples* networks, random
   distributions (study_random_dist), every sequence, a_0 in -2 .. 2 (or
   halves of those), y in 0, 1/2, 1 (or thirds), tanh one time in 4, a
   loss scale one time in 3, the automatic scale one time in 4. */
static void
study_pair_spec(study_pair_struct * p, const char * const * names,
                slong nnames, slong nfmts, slong layers, slong samples)
{
    flint_rand_t * state = &p->state;
    gc_parse_error_t err;
    slong k;

    nfmts = 1 + n_randint(*state, nfmts);
    for (k = 0; k < nfmts; k++)
        ck_assert_int_eq(gc_numfmt_set_str(p->fmts + k,
                                           names[n_randint(*state, nnames)],
                                           err), GC_SUCCESS);
    study_random_dist(&p->rnd->weights, *state);
    study_random_dist(&p->rnd->biases, *state);
    p->rnd->fanin = GC_FANIN_NONE;
    p->rnd->seed = n_randlimb(*state);
    study_spec(&p->spec, p->rnd, 1 + n_randint(*state, layers),
               1 + n_randint(*state, samples), p->fmts, nfmts,
               (gc_seq_t) n_randint(*state, 3));
    mpq_set_si(p->a0, (slong) n_randint(*state, 5) - 2,
               1 + n_randint(*state, 2));
    mpq_set_si(p->y, (slong) n_randint(*state, 3),
               n_randint(*state, 4) ? 2 : 3);
    p->spec.a0 = p->a0;
    p->spec.y = p->y;
    if (n_randint(*state, 4) == 0)
        p->spec.act = p->act;
    if (n_randint(*state, 3) == 0)
    {
        mpfr_set_ui_2exp(p->scale, 1, n_randint(*state, 12), MPFR_RNDN);
        p->spec.scales = p->scale;
        p->spec.nscales = 1;
    }
    p->spec.scale_auto = n_randint(*state, 4) == 0;
}

/* Checks that p->s and p->t, both complete, have the same records
   (iteration *it*; *what*: the two ways). */
static void
study_pair_same(const study_pair_struct * p, slong it, const char * what)
{
    const gc_sweep_spec_struct * spec = &p->spec;
    slong bytes = spec->samples * spec->nfmts * sizeof(slong);

    ck_assert_msg(p->s->completed == spec->samples
                      && p->t->completed == spec->samples
                      && memcmp(p->s->layer, p->t->layer,
                                spec->samples * p->s->nvariants * GC_EVENTS
                                    * sizeof(slong)) == 0
                      && (p->s->scale_exp == NULL
                          || memcmp(p->s->scale_exp, p->t->scale_exp, bytes)
                                 == 0)
                      && (p->s->base_lost == NULL
                          || memcmp(p->s->base_lost, p->t->base_lost, bytes)
                                 == 0),
                  "seed=%lu layers=%ld samples=%ld iteration %ld (test seed "
                  "%lu): %s give other records", spec->random->seed,
                  (long) spec->layers, (long) spec->samples, (long) it,
                  gc_test_seed(), what);
}

/* The exact values by the fast path or by the Arb engine forced
   (spec.exact_arb) give the same records, on random sweeps: random
   distributions (exact zeros among them), a_0 and y (y = 1/2 with w =
   b = 0 makes dC/da_L exactly 0), activations (a tanh chain goes to Arb
   either way), formats, sequences and loss scales.  Both run on the same
   threads; the seed of each sweep is printed. */
START_TEST(test_sweep_fast_arb)
{
    static const char * const names[] = {
        "binary64", "binary32", "bfloat16", "binary16", "e4m3", "e5m2",
        "bfloat16:sr"};
    study_pair_struct p;
    slong it, n = gc_test_iters(60);

    study_pair_init(&p);
    for (it = 0; it < n; it++)
    {
        study_pair_spec(&p, names, 7, 3, 120, 4);
        p.spec.sr_seed = it;
        ck_assert_int_eq(study_run(p.s, &p.spec, 2), GC_SUCCESS);
        p.spec.exact_arb = 1;
        ck_assert_int_eq(study_run(p.t, &p.spec, 2), GC_SUCCESS);
        study_pair_same(&p, it, "the fast path and Arb");
    }
    study_pair_clear(&p);
}
END_TEST

/* The sweep's kernel and gc_replay alone (spec.replay_generic) give the
   same records, on random sweeps: 1 to 20 networks (groups of 8 and a
   smaller last one, on 1 or 2 threads) of 1 to 150 layers, random
   distributions (exact zeros; two times in three N(0, sd) weights that
   overflow the narrow formats or lie outside the hardware path's range,
   which the kernel leaves to gc_replay), a_0 and y (y = 1/2 with w = b
   = 0 is a_L; thirds are not binary64 numbers: no kernel), formats the
   kernel covers and others, every sequence (the stable one is not the
   kernel's), sigmoid and tanh chains, loss scales.  The seed of each
   sweep is printed. */
START_TEST(test_sweep_lanes)
{
    static const char * const names[] = {
        "binary64", "binary32", "bfloat16", "binary16", "e4m3", "e5m2",
        "binary16", "bfloat16:rd", "binary32-emu"};
    static const double sds[] = {1, 1, 1, 0.25, 4, 100, 0x1p20, 0x1p-310};
    study_pair_struct p;
    slong it, n = gc_test_iters(80);

    study_pair_init(&p);
    for (it = 0; it < n; it++)
    {
        study_pair_spec(&p, names, 9, 4, 150, 20);
        if (n_randint(p.state, 3))
            gc_dist_set_normal(&p.rnd->weights, 0,
                               sds[n_randint(p.state, 8)]);
        ck_assert_int_eq(study_run(p.s, &p.spec, 1 + n_randint(p.state, 2)),
                         GC_SUCCESS);
        p.spec.replay_generic = 1;
        ck_assert_int_eq(study_run(p.t, &p.spec, 2), GC_SUCCESS);
        study_pair_same(&p, it, "the kernel and gc_replay");
    }
    study_pair_clear(&p);
}
END_TEST

START_TEST(test_stats_double)
{
    static const double v[] = {4.5, NAN, 1.5, 3.5, 2.5};
    gc_stats_t st;

    gc_stats_set_double(st, v, 5, 7);
    ck_assert_int_eq(st->count, 4);
    ck_assert_int_eq(st->total, 7);
    ck_assert(st->min == 1.5 && st->q1 == 2.25 && st->median == 3
              && st->q3 == 3.75 && st->max == 4.5);
    ck_assert(v[0] == 4.5); /* not sorted in place */
}
END_TEST

/* ---- sweeps of wide networks ------------------------------------------ */

/* The norm_subnormal event of the replay *r*: the largest l whose every
   entry is subnormal or zero in the classes of the subnormal event (the
   scaled deltas' under loss scaling), 0 when none is; written out here
   from the classes, as a second reading of the definition. */
static slong
study_all_small(const gc_wreplay_t r)
{
    const gc_class_t * c = r->scaled ? r->scaled_class : r->db_class;
    slong l, i;

    for (l = r->len; l >= 1; l--)
    {
        int all = 1;

        for (i = 0; i < r->width[l]; i++)
            all &= c[r->noff[l - 1] + i] == GC_CLASS_SUBNORMAL
                   || c[r->noff[l - 1] + i] == GC_CLASS_ZERO;
        if (all)
            return l;
    }
    return 0;
}

/* Checks every record of the wide sweep *s* (widths *width*, sigmoid
   layers, inputs 1, targets 0) against its networks drawn here
   (gc_wnet_set_random, seed S + i) and replayed with gc_wreplay, the
   events read with gc_wreplay_first_layer: the exact values of these
   networks have no zero (checked, so that every class counts).  Adds to
   seen[e] the records where event e happened, and to seen[GC_EVENTS]
   those where an entry is zero before the vector is lost. */
static void
study_check_wide(const gc_sweep_t s, const gc_random_t rnd,
                 const slong * width, const gc_numfmt_struct * fmts,
                 slong nfmts, mpfr_srcptr scale, slong * seen)
{
    gc_wnet_t net;
    gc_wreplay_t r;
    gc_random_t n;
    arb_ptr db;
    slong i, k, j, L = s->layers;

    gc_wnet_init(net);
    gc_wreplay_init(r);
    *n = *rnd;
    gc_wnet_set_widths(net, L, width);
    db = _arb_vec_init(net->noff[L]);
    for (i = 0; i < s->samples; i++)
    {
        n->seed = rnd->seed + (ulong) i;
        gc_wnet_set_random(net, L, width, n);
        ck_assert_int_eq(gc_wnet_eval_arb(db, net, 64), GC_SUCCESS);
        for (j = 0; j < net->noff[L]; j++)
            ck_assert(!arb_is_zero(db + j));
        for (k = 0; k < nfmts; k++)
        {
            slong want[GC_EVENTS];
            int e;

            ck_assert_int_eq(gc_wreplay(r, net, fmts + k, GC_SEQ_PYTORCH,
                                        scale), GC_SUCCESS);
            want[GC_EVENT_SUBNORMAL]
                = gc_wreplay_first_layer(r, GC_CLASS_SUBNORMAL, 0);
            want[GC_EVENT_ZERO] = gc_wreplay_first_layer(r, GC_CLASS_ZERO, 0);
            want[GC_EVENT_NONFINITE]
                = gc_wreplay_first_layer(r, GC_CLASS_INF, 0);
            want[GC_EVENT_OVERFLOW] = FLINT_MAX(
                FLINT_MAX(r->overflow_layer, r->scale_overflow),
                want[GC_EVENT_NONFINITE]);
            want[GC_EVENT_NORM_SUBNORMAL] = study_all_small(r);
            want[GC_EVENT_NORM_ZERO]
                = gc_wreplay_first_layer(r, GC_CLASS_ZERO, 1);
            for (e = 0; e < GC_EVENTS; e++)
            {
                slong got = gc_sweep_layer(s, i, k, (gc_event_t) e);

                ck_assert_msg(got == want[e], "seed=%lu format=%s "
                              "event=%s: %ld, replay %ld", (ulong) n->seed,
                              fmts[k].name, gc_event_name((gc_event_t) e),
                              (long) got, (long) want[e]);
                seen[e] += got != 0;
            }
            /* the gradient is lost where its vector is: a zero entry
               leaves the others (seen[GC_EVENTS] counts the records
               where that is before the vector's loss) */
            ck_assert_int_eq(gc_sweep_lost_layer(s, i, k),
                             FLINT_MAX(FLINT_MAX(want[GC_EVENT_NORM_ZERO],
                                                 want[GC_EVENT_NONFINITE]),
                                       want[GC_EVENT_OVERFLOW]));
            seen[GC_EVENTS] += want[GC_EVENT_ZERO]
                               > gc_sweep_lost_layer(s, i, k);
        }
    }
    _arb_vec_clear(db, net->noff[L]);
    gc_wreplay_clear(r);
    gc_wnet_clear(net);
}

/* Network i of a wide sweep is gc_wnet_set_random's of seed S + i, its
   events those of gc_wreplay; with and without a loss scale; every
   event happens somewhere (the test is not vacuous). */
/* gc_events_scan on classes built by hand: a wide layout of widths
   2, 3, 2 (layers 1..3 from index 0, 2, 5) and the chain of its first
   entries; entry (layer 3, neuron 2) is an exact zero, so its zero is
   no loss, and layer 1's scaled classes differ. */
START_TEST(test_events_scan)
{
    static const slong width[] = {1, 2, 3, 2}, noff[] = {0, 2, 5, 7};
    gc_class_t cls[7] = {GC_CLASS_ZERO, GC_CLASS_ZERO,
                         GC_CLASS_SUBNORMAL, GC_CLASS_NORMAL, GC_CLASS_INF,
                         GC_CLASS_NORMAL, GC_CLASS_ZERO};
    gc_class_t held[7];
    slong ev[GC_EVENTS], every_nonfinite, k;
    arb_ptr exact = _arb_vec_init(7);

    for (k = 0; k < 7; k++)
    {
        arb_set_si(exact + k, k == 6 ? 0 : 1 + k);
        held[k] = cls[k];
    }
    gc_events_scan(ev, &every_nonfinite, cls, held, exact, 3, width, noff);
    /* layer 3: (normal, exact-zero zero): nothing; layer 2: a subnormal
       and an infinity; layer 1: both zero */
    ck_assert_int_eq(ev[GC_EVENT_SUBNORMAL], 2);
    ck_assert_int_eq(ev[GC_EVENT_NONFINITE], 2);
    ck_assert_int_eq(ev[GC_EVENT_ZERO], 1);
    ck_assert_int_eq(ev[GC_EVENT_NORM_ZERO], 1);
    ck_assert_int_eq(ev[GC_EVENT_NORM_SUBNORMAL], 1);
    ck_assert_int_eq(ev[GC_EVENT_OVERFLOW], 0);
    ck_assert_int_eq(every_nonfinite, 0);
    /* the subnormal events read held: layer 3 scaled subnormal */
    held[5] = GC_CLASS_SUBNORMAL;
    held[6] = GC_CLASS_SUBNORMAL;
    gc_events_scan(ev, NULL, cls, held, exact, 3, width, noff);
    ck_assert_int_eq(ev[GC_EVENT_SUBNORMAL], 3);
    ck_assert_int_eq(ev[GC_EVENT_NORM_SUBNORMAL], 3);
    ck_assert_int_eq(ev[GC_EVENT_ZERO], 1);
    /* every entry of layer 2 infinite or NaN */
    cls[2] = cls[3] = GC_CLASS_NAN;
    gc_events_scan(ev, &every_nonfinite, cls, cls, exact, 3, width, noff);
    ck_assert_int_eq(every_nonfinite, 2);
    /* the chain: layer j is entry j - 1 */
    gc_events_scan(ev, NULL, cls, cls, exact, 3, NULL, NULL);
    ck_assert_int_eq(ev[GC_EVENT_ZERO], 2);
    ck_assert_int_eq(ev[GC_EVENT_NORM_ZERO], 2);
    ck_assert_int_eq(ev[GC_EVENT_NONFINITE], 3);
    _arb_vec_clear(exact, 7);
}
END_TEST

START_TEST(test_sweep_wide)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    static const slong width[] = {3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
                                  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
                                  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2};
    gc_numfmt_struct * fmts;
    slong nfmts, seen[GC_EVENTS + 1] = {0};
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    mpfr_t scale;
    int e;

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts, study_formats,
                                            err), GC_SUCCESS);
    gc_sweep_init(s);
    study_spec(&spec, normal, 40, STUDY_SAMPLES, fmts, nfmts,
               GC_SEQ_PYTORCH);
    spec.widths = width;
    /* unscaled on 2 threads, then 2^17 (the scaled dC/da^L of binary16
       is often beyond 65504) on one */
    mpfr_init2(scale, 64);
    mpfr_set_ui_2exp(scale, 1, 17, MPFR_RNDN);
    for (spec.nscales = 0; spec.nscales <= 1; spec.nscales++)
    {
        spec.scales = spec.nscales > 0 ? scale : NULL;
        ck_assert_int_eq(study_run(s, &spec, 2 - spec.nscales), GC_SUCCESS);
        study_check_wide(s, normal, width, fmts, nfmts, spec.scales, seen);
    }
    for (e = 0; e < GC_EVENTS; e++)
        ck_assert_msg(seen[e] > 0, "event %s never happened, seed=%lu",
                      gc_event_name((gc_event_t) e), normal->seed);
    ck_assert_msg(seen[GC_EVENTS] > 0, "no zero entry before the vector's "
                  "loss, seed=%lu", normal->seed);
    gc_sweep_clear(s);
    mpfr_clear(scale);
    flint_free(fmts);
}
END_TEST

/* Sets *spec* to the chain sweep *spec* as a sweep of wide networks of
   widths 1 (width[0 .. layers], set here). */
static void
study_spec_width1(gc_sweep_spec_struct * wide, slong * width,
                  const gc_sweep_spec_struct * spec)
{
    slong l;

    *wide = *spec;
    for (l = 0; l <= spec->layers; l++)
        width[l] = 1;
    wide->widths = width;
}

/* Wide networks of widths 1 are the chains: the same records (every
   event, the automatic scales, log10 at the depths) with loss scales,
   the automatic one and an activation. */
START_TEST(test_sweep_wide_width1)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_struct * fmts;
    slong nfmts, n = 5, L = 90, width[91];
    static const slong depths[] = {1, 45, 90};
    gc_parse_error_t err;
    gc_sweep_t s, sw;
    gc_sweep_spec_struct spec, wide;
    gc_activation_t tanh_act;
    mpfr_t scale;

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts,
                                            "binary32,bfloat16:sr,binary16,"
                                            "e4m3", err), GC_SUCCESS);
    mpfr_init2(scale, 64);
    mpfr_set_ui_2exp(scale, 1, 12, MPFR_RNDN);
    gc_activation_init(tanh_act);
    gc_sweep_init(s);
    gc_sweep_init(sw);
    study_spec(&spec, normal, L, n, fmts, nfmts, GC_SEQ_PYTORCH);
    spec.scales = scale;
    spec.nscales = 1;
    spec.scale_auto = 1;
    spec.depths = depths;
    spec.ndepths = 3;
    spec.sr_seed = 7;
    for (spec.act = NULL; ; spec.act = tanh_act)
    {
        study_spec_width1(&wide, width, &spec);
        ck_assert_int_eq(study_run(s, &spec, 1), GC_SUCCESS);
        ck_assert_int_eq(study_run(sw, &wide, 2), GC_SUCCESS);
        ck_assert(memcmp(s->layer, sw->layer,
                         n * s->nvariants * GC_EVENTS * sizeof(slong)) == 0);
        ck_assert(memcmp(s->scale_exp, sw->scale_exp,
                         n * nfmts * sizeof(slong)) == 0);
        ck_assert(memcmp(s->base_lost, sw->base_lost,
                         n * nfmts * sizeof(slong)) == 0);
        ck_assert(memcmp(s->log10, sw->log10, n * 3 * sizeof(double)) == 0);
        if (spec.act != NULL)
            break;
        tanh_act->kind = GC_ACT_TANH;
    }
    gc_sweep_clear(s);
    gc_sweep_clear(sw);
    gc_activation_clear(tanh_act);
    mpfr_clear(scale);
    flint_free(fmts);
}
END_TEST

/* relu networks: many dC/db^l_i are exactly 0 (a unit off), in the
   replay too; such an entry is no event (nor a layer whose exact
   vector is 0), so binary64 over a few layers has none, though the
   replay's classes have zeros. */
START_TEST(test_sweep_wide_relu)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    static const slong width[] = {2, 3, 3, 3, 3, 3, 1};
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    gc_activation_t relu;
    gc_wnet_t net;
    gc_wreplay_t r;
    gc_random_t rnd;
    slong i, n = 40, zeros = 0;
    int e;

    ck_assert_int_eq(gc_numfmt_set_str(f, "binary64", err), GC_SUCCESS);
    gc_activation_init(relu);
    relu->kind = GC_ACT_RELU;
    gc_sweep_init(s);
    study_spec(&spec, normal, 6, n, f, 1, GC_SEQ_PYTORCH);
    spec.widths = width;
    spec.act = relu;
    ck_assert_int_eq(study_run(s, &spec, 2), GC_SUCCESS);
    for (i = 0; i < n; i++)
        for (e = 0; e < GC_EVENTS; e++)
            ck_assert_int_eq(gc_sweep_layer(s, i, 0, (gc_event_t) e), 0);
    /* not vacuous: the replays have zero entries */
    gc_wnet_init(net);
    gc_wreplay_init(r);
    *rnd = *normal;
    for (i = 0; i < n; i++)
    {
        slong l;

        rnd->seed = normal->seed + (ulong) i;
        gc_wnet_set_random(net, 6, width, rnd);
        for (l = 1; l <= 6; l++)
            gc_wnet_set_act(net, l, relu);
        ck_assert_int_eq(gc_wreplay(r, net, f, GC_SEQ_PYTORCH, NULL),
                         GC_SUCCESS);
        zeros += gc_wreplay_first_layer(r, GC_CLASS_ZERO, 0) != 0;
    }
    ck_assert_msg(zeros > 0, "no zero entry, seed=%lu", normal->seed);
    gc_wreplay_clear(r);
    gc_wnet_clear(net);
    gc_sweep_clear(s);
    gc_activation_clear(relu);
}
END_TEST

static Suite *
gc_study_suite(void)
{
    Suite * s = suite_create("study");
    TCase * tc = tcase_create("core");
    TCase * tr = tcase_create("random");

    tcase_add_test(tc, test_stats_quartiles);
    tcase_add_test(tc, test_events_scan);
    tcase_add_test(tc, test_sweep_depth);
    tcase_add_test(tc, test_stats_double);
    tcase_add_test(tc, test_sweep_constant);
    tcase_add_test(tc, test_sweep_half_chain);
    tcase_add_test(tc, test_sweep_overflow);
    tcase_add_test(tr, test_sweep_scale_one);
    tcase_add_test(tr, test_sweep_ratio16);
    tcase_add_test(tr, test_sweep_sr_seed);
    tcase_add_test(tr, test_sweep_compare);
    tcase_add_test(tr, test_sweep_threads);
    tcase_add_test(tr, test_sweep_fast_arb);
    tcase_add_test(tr, test_sweep_lanes);
    tcase_add_loop_test(tr, test_sweep_stopped, 0, 2);
    tcase_add_test(tr, test_sweep_wide);
    tcase_add_test(tr, test_sweep_wide_width1);
    tcase_add_test(tr, test_sweep_wide_relu);
    /* 10,000 networks under valgrind or the sanitizers */
    tcase_set_timeout(tr, 120);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tr);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_study_suite());
}
