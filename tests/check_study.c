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

#include <string.h>

#include "gc-test.h"

#define STUDY_LAYERS 150
#define STUDY_SAMPLES 6

static const char study_formats[] = "binary64,bfloat16,binary16,e4m3";

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
            want[GC_EVENT_SUBNORMAL] = r->death.first_subnormal;
            want[GC_EVENT_ZERO] = r->death.first_zero;
            want[GC_EVENT_NONFINITE] = FLINT_MAX(r->death.first_inf,
                                                 r->death.first_nan);
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
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_struct * fmts;
    slong nfmts;
    gc_parse_error_t err;
    gc_sweep_t s;
    mpfr_t scale;

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts, study_formats,
                                            err), GC_SUCCESS);
    mpfr_init2(scale, 64);
    mpfr_set_ui_2exp(scale, 1, 16, MPFR_RNDN);
    gc_sweep_init(s);
    ck_assert_int_eq(gc_sweep_run(s, rnd, STUDY_LAYERS, NULL,
                                  STUDY_SAMPLES, fmts, nfmts,
                                  GC_SEQ_PYTORCH, NULL, 1), GC_SUCCESS);
    ck_assert_int_eq(s->samples, STUDY_SAMPLES);
    ck_assert(s->seed == rnd->seed);
    study_check_compare(s, rnd, fmts, nfmts, NULL);
    /* with a loss scale, and a seed that wraps around 2^64 */
    rnd->seed = UWORD_MAX - 2;
    ck_assert_int_eq(gc_sweep_run(s, rnd, STUDY_LAYERS, NULL,
                                  STUDY_SAMPLES, fmts, nfmts,
                                  GC_SEQ_PYTORCH, scale, 2), GC_SUCCESS);
    study_check_compare(s, rnd, fmts, nfmts, scale);
    gc_sweep_clear(s);
    mpfr_clear(scale);
    flint_free(fmts);
}
END_TEST

START_TEST(test_sweep_threads)
{
    gc_random_t rnd = GC_TEST_NORMAL(0.25, 1.5, gc_test_seed());
    gc_numfmt_struct * fmts;
    slong nfmts, k, t, n = gc_test_iters(13);
    gc_parse_error_t err;
    gc_sweep_t s1, s;

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts, study_formats,
                                            err), GC_SUCCESS);
    gc_sweep_init(s1);
    gc_sweep_init(s);
    ck_assert_int_eq(gc_sweep_run(s1, rnd, 80, NULL, n, fmts, nfmts,
                                  GC_SEQ_TEXTBOOK, NULL, 1), GC_SUCCESS);
    /* more threads than networks too */
    for (t = 2; t <= n + 2; t += n)
    {
        ck_assert_int_eq(gc_sweep_run(s, rnd, 80, NULL, n, fmts, nfmts,
                                      GC_SEQ_TEXTBOOK, NULL, t),
                         GC_SUCCESS);
        ck_assert_msg(memcmp(s->layer, s1->layer,
                             n * nfmts * GC_EVENTS * sizeof(slong)) == 0,
                      "threads=%ld seed=%lu", (long) t, rnd->seed);
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
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_sweep_t s;
    gc_stats_t l, d;
    int e;

    ck_assert_int_eq(gc_numfmt_set_str(f, "binary16", err), GC_SUCCESS);
    gc_sweep_init(s);
    ck_assert_int_eq(gc_sweep_run(s, rnd, 60, NULL, 9, f, 1,
                                  GC_SEQ_PYTORCH, NULL, 2), GC_SUCCESS);
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
                  "of N(0,1), seed=%lu", rnd->seed);
    ck_assert_str_eq(gc_event_name(GC_EVENT_NONFINITE), "nonfinite");
    gc_sweep_clear(s);
}
END_TEST

static Suite *
gc_study_suite(void)
{
    Suite * s = suite_create("study");
    TCase * tc = tcase_create("core");
    TCase * tr = tcase_create("random");

    tcase_add_test(tc, test_stats_quartiles);
    tcase_add_test(tc, test_sweep_depth);
    tcase_add_test(tr, test_sweep_compare);
    tcase_add_test(tr, test_sweep_threads);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tr);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_study_suite());
}
