/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_threads.c -- the engines called from two threads at once on
   different networks: the MPFR engine, the Arb engine and the replay give
   bit for bit the sequential results, and each thread's own narrow MPFR
   exponent range and flags are left as it set them. */

#include <pthread.h>
#include <string.h>

#include "gc-test.h"

#define NTHREADS 2

/* One thread's work and its results; failures are counted here and
   checked by the main thread (Check's assertions belong to it). */
typedef struct
{
    const char * net_name;
    const char * fmt_name;
    mpfr_exp_t emin, emax; /* the thread's own range */
    mpfr_flags_t flags;    /* and flags */
    slong iters;
    gc_trace_t t;          /* MPFR engine */
    gc_arb_trace_t at;     /* Arb engine */
    slong prec;
    gc_replay_t r;         /* replay */
    int status;
    slong bad_state;       /* range or flags changed */
} work_struct;

static const char * const net_names[NTHREADS] = {"n10_s0", "n4_s1"};
static const char * const fmt_names[NTHREADS] = {"bfloat16", "binary64"};

/* The three evaluations of *w* into its results. */
static void
work_eval(work_struct * w, const gc_net_t net, const gc_numfmt_t f)
{
    w->status |= gc_eval_mpfr(w->t, net);
    w->status |= gc_eval_arb_digits(w->at, net, 30, GC_MAX_PREC_DEFAULT,
                                    &w->prec);
    w->status |= gc_replay(w->r, net, f, GC_SEQ_FRAMEWORK, NULL);
}

static void
work_init(work_struct * w, const gc_net_t net, slong i)
{
    memset(w, 0, sizeof *w);
    w->net_name = net_names[i];
    w->fmt_name = fmt_names[i];
    w->emin = -200 - 100 * i;
    w->emax = 200 + 100 * i;
    w->flags = i ? MPFR_FLAGS_NAN | MPFR_FLAGS_INEXACT
                 : MPFR_FLAGS_UNDERFLOW | MPFR_FLAGS_OVERFLOW;
    w->iters = gc_test_iters(3);
    gc_trace_init(w->t, net->len, gc_prec_for_digits(30, net->len));
    gc_arb_trace_init(w->at, net->len);
    gc_replay_init(w->r);
}

static void
work_clear(work_struct * w)
{
    gc_trace_clear(w->t);
    gc_arb_trace_clear(w->at);
    gc_replay_clear(w->r);
}

/* 1 if the results of *w* and *v* are the same bit for bit. */
static int
work_equal(const work_struct * w, const work_struct * v)
{
    slong i, n = 5 * w->t->len + 1;

    if (w->status != v->status || w->prec != v->prec)
        return 0;
    for (i = 0; i < n; i++)
        if (!mpfr_equal_p(w->t->z + i, v->t->z + i)
            || !arb_equal(w->at->z + i, v->at->z + i)
            || !(mpfr_equal_p(w->r->t->z + i, v->r->t->z + i)
                 || (mpfr_nan_p(w->r->t->z + i)
                     && mpfr_nan_p(v->r->t->z + i))))
            return 0;
    return 1;
}

/* The thread: sets its own range and flags, evaluates w->iters times,
   and checks after each evaluation that the range and flags are its
   own; the last results stay in *w*. */
static void *
work_run(void * arg)
{
    work_struct * w = arg;
    gc_parse_error_t err;
    gc_numfmt_t f;
    gc_net_t net;
    slong k;
    char path[512];
    FILE * in;

    snprintf(path, sizeof path, "%s/%s.net", GC_TEST_REFDIR, w->net_name);
    gc_net_init(net);
    in = fopen(path, "r");
    if (in == NULL || gc_net_read(net, in, err) != GC_SUCCESS
        || gc_numfmt_set_str(f, w->fmt_name, err) != GC_SUCCESS)
        w->status |= GC_INVALID;
    if (in != NULL)
        fclose(in);
    mpfr_set_emin(w->emin);
    mpfr_set_emax(w->emax);
    mpfr_flags_clear(MPFR_FLAGS_ALL);
    mpfr_flags_set(w->flags);
    for (k = 0; k < w->iters && w->status == GC_SUCCESS; k++)
    {
        work_eval(w, net, f);
        w->bad_state += mpfr_get_emin() != w->emin
                        || mpfr_get_emax() != w->emax
                        || mpfr_flags_save() != w->flags;
    }
    gc_net_clear(net);
    /* this thread's caches */
    flint_cleanup();
    mpfr_free_cache();
    return NULL;
}

START_TEST(test_threads_engines)
{
    work_struct seq[NTHREADS], par[NTHREADS];
    pthread_t tid[NTHREADS];
    gc_parse_error_t err;
    gc_numfmt_t f;
    gc_net_t net;
    slong i;

    /* sequential, in the main thread, in the widest range */
    gc_mpfr_widen_exponent_range();
    for (i = 0; i < NTHREADS; i++)
    {
        gc_net_init(net);
        gc_test_read_ref_net(net, net_names[i]);
        work_init(seq + i, net, i);
        work_init(par + i, net, i);
        ck_assert(gc_numfmt_set_str(f, fmt_names[i], err) == GC_SUCCESS);
        work_eval(seq + i, net, f);
        ck_assert_int_eq(seq[i].status, GC_SUCCESS);
        gc_net_clear(net);
    }
    for (i = 0; i < NTHREADS; i++)
        ck_assert(pthread_create(tid + i, NULL, work_run, par + i) == 0);
    for (i = 0; i < NTHREADS; i++)
        ck_assert(pthread_join(tid[i], NULL) == 0);
    for (i = 0; i < NTHREADS; i++)
    {
        ck_assert_msg(par[i].status == GC_SUCCESS, "thread %ld: %s", i,
                      gc_status_str(par[i].status));
        ck_assert_msg(par[i].bad_state == 0,
                      "thread %ld: MPFR's range or flags changed", i);
        ck_assert_msg(work_equal(par + i, seq + i),
                      "thread %ld (%s, %s): results differ from sequential",
                      i, net_names[i], fmt_names[i]);
        work_clear(seq + i);
        work_clear(par + i);
    }
    /* the main thread's range is its own too */
    ck_assert(mpfr_get_emin() == mpfr_get_emin_min());
}
END_TEST

static Suite *
gc_threads_suite(void)
{
    Suite * s = suite_create("threads");
    TCase * tc = tcase_create("core");

    tcase_add_test(tc, test_threads_engines);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_threads_suite());
}
