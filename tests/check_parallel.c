/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_parallel.c -- the parallel for of the studies (src/study/
   parallel.c): every item runs exactly once, on a thread whose state was
   set up, whatever the number of threads; a stop request leaves done
   flags that are exactly the completed items; a failure stops the run
   and its status comes back; progress is serialized, never decreases and
   ends at the total. */

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "gc-test.h"
#include "study/parallel.h"

#define STATE_MAGIC 0x5eed

/* One run's record, shared by the threads through the job's arg. */
typedef struct
{
    slong n;
    atomic_int * runs;      /* runs[i]: times item i ran */
    slong * value;          /* value[i]: what item i computed */
    atomic_int inits;       /* init calls */
    atomic_int clears;      /* clear calls */
    atomic_int bad_state;   /* items run with a state not set up */
    atomic_int computed;    /* items run to their end */
    slong stop_after;       /* stop once this many are computed (-1: never) */
    slong fail_at;          /* this item fails (-1: none) */
    long sleep_ns;          /* each item sleeps this long */
    /* progress */
    atomic_int in_progress; /* a progress call is running */
    int overlapped;         /* two progress calls at once */
    slong calls;
    slong last;
    slong last_total;
    int decreased;
} rec_struct;

typedef struct
{
    int magic;
    slong items;
} state_struct;

static void
rec_init(rec_struct * r, slong n)
{
    slong i;

    memset(r, 0, sizeof *r);
    r->n = n;
    r->runs = flint_malloc(FLINT_MAX(n, 1) * sizeof(atomic_int));
    for (i = 0; i < n; i++)
        atomic_init(r->runs + i, 0);
    r->value = flint_calloc(FLINT_MAX(n, 1), sizeof(slong));
    r->stop_after = -1;
    r->fail_at = -1;
    r->last = -1;
}

static void
rec_clear(rec_struct * r)
{
    flint_free(r->runs);
    flint_free(r->value);
}

static void
state_init(void * state, void * arg)
{
    state_struct * s = state;
    rec_struct * r = arg;

    s->magic = STATE_MAGIC;
    s->items = 0;
    atomic_fetch_add(&r->inits, 1);
}

static void
state_clear(void * state, void * arg)
{
    state_struct * s = state;
    rec_struct * r = arg;

    s->magic = 0;
    atomic_fetch_add(&r->clears, 1);
}

/* Item i: i^2 + m (m - 1) / 2 mod 1000003, m = 200 (i mod 7), the second
   term summed by a loop of uneven length, so that chunks take different
   times. */
static int
item(void * state, slong i, void * arg)
{
    state_struct * s = state;
    rec_struct * r = arg;
    ulong x = 0, k;

    if (s->magic != STATE_MAGIC)
        atomic_fetch_add(&r->bad_state, 1);
    atomic_fetch_add(r->runs + i, 1);
    if (i == r->fail_at)
        return GC_UNABLE;
    for (k = 0; k < (ulong) (i % 7) * 200; k++)
        x += k;
    if (r->sleep_ns > 0)
    {
        struct timespec ts = {0, r->sleep_ns};

        nanosleep(&ts, NULL);
    }
    r->value[i] = (slong) (((ulong) i * (ulong) i + x) % 1000003);
    s->items++;
    atomic_fetch_add(&r->computed, 1);
    return GC_SUCCESS;
}

static int
stop(void * arg)
{
    rec_struct * r = arg;

    return r->stop_after >= 0 && atomic_load(&r->computed) >= r->stop_after;
}

static void
progress(void * arg, slong done, slong total)
{
    rec_struct * r = arg;

    if (atomic_exchange(&r->in_progress, 1))
        r->overlapped = 1;
    if (done < r->last)
        r->decreased = 1;
    r->last = done;
    r->last_total = total;
    r->calls++;
    atomic_store(&r->in_progress, 0);
}

/* Runs the job of *r* over *threads* threads into *done*; returns the
   status and sets *ndone*. */
static int
run(unsigned char * done, slong * ndone, rec_struct * r, slong threads)
{
    gc_par_job_struct job;
    gc_run_ctl_t ctl;

    job.n = r->n;
    job.state_bytes = sizeof(state_struct);
    job.init = state_init;
    job.item = item;
    job.clear = state_clear;
    job.arg = r;
    gc_run_ctl_init(ctl);
    ctl->threads = threads;
    ctl->progress = progress;
    ctl->progress_arg = r;
    ctl->stop = stop;
    ctl->stop_arg = r;
    return gc_parallel_run(done, ndone, &job, ctl);
}

/* The value of item i, in closed form. */
static slong
item_value(slong i)
{
    slong m = 200 * (i % 7);

    return (i * i + m * (m - 1) / 2) % 1000003;
}

/* Checks that the done flags of *r* are exactly the items computed, that
   *ndone* counts them and that the progress calls were serialized,
   nondecreasing and ended with *ndone* of n. */
static void
check_consistent(const rec_struct * r, const unsigned char * done,
                 slong ndone, slong threads)
{
    slong i, set = 0;

    for (i = 0; i < r->n; i++)
    {
        int runs = atomic_load(r->runs + i);

        ck_assert_msg(done[i] == 0 || done[i] == 1, "done[%ld] = %d", (long) i,
                      done[i]);
        ck_assert_msg(runs <= 1, "item %ld ran %d times (threads %ld)",
                      (long) i, runs, (long) threads);
        if (done[i])
        {
            set++;
            ck_assert_msg(runs == 1 && r->value[i] == item_value(i),
                          "item %ld done but not computed (threads %ld)",
                          (long) i, (long) threads);
        }
        else
            ck_assert_msg(i == r->fail_at || (runs == 0 && r->value[i] == 0),
                          "item %ld computed but not done (threads %ld)",
                          (long) i, (long) threads);
    }
    ck_assert_msg(set == ndone && ndone == atomic_load(&r->computed),
                  "%ld flags set, ndone %ld, %d computed (threads %ld)",
                  (long) set, (long) ndone, atomic_load(&r->computed),
                  (long) threads);
    ck_assert_int_eq(atomic_load(&r->bad_state), 0);
    ck_assert_int_eq(atomic_load(&r->inits), atomic_load(&r->clears));
    ck_assert_int_le(atomic_load(&r->inits), FLINT_MAX(threads, 1));
    ck_assert_msg(!r->overlapped && !r->decreased,
                  "progress overlapped %d or decreased %d", r->overlapped,
                  r->decreased);
    ck_assert_msg(r->calls >= 1 && r->last == ndone && r->last_total == r->n,
                  "%ld progress calls, last %ld of %ld, ndone %ld of %ld",
                  (long) r->calls, (long) r->last, (long) r->last_total,
                  (long) ndone, (long) r->n);
}

/* Every item exactly once, for 1, 2, 7 and n + 3 threads. */
START_TEST(test_parallel_all_items)
{
    slong n = 60 + _i;
    slong threads[4] = {1, 2, 7, n + 3};
    int k;

    for (k = 0; k < 4; k++)
    {
        rec_struct r;
        unsigned char * done = flint_malloc(n);
        slong i, ndone = -1;
        int status;

        rec_init(&r, n);
        status = run(done, &ndone, &r, threads[k]);
        ck_assert_msg(status == GC_SUCCESS && ndone == n,
                      "status %d, %ld of %ld done (threads %ld)", status,
                      (long) ndone, (long) n, (long) threads[k]);
        for (i = 0; i < n; i++)
            ck_assert_msg(atomic_load(r.runs + i) == 1 && done[i] == 1,
                          "item %ld ran %d times, done %d (threads %ld)",
                          (long) i, atomic_load(r.runs + i), done[i],
                          (long) threads[k]);
        check_consistent(&r, done, ndone, threads[k]);
        ck_assert_int_ge(atomic_load(&r.inits), 1);
        rec_clear(&r);
        flint_free(done);
    }
}
END_TEST

/* No items, and one item: progress still ends the run once. */
START_TEST(test_parallel_special)
{
    slong n = _i, ndone = -1;
    unsigned char done[1] = {7};
    rec_struct r;

    rec_init(&r, n);
    ck_assert_int_eq(run(done, &ndone, &r, 4), GC_SUCCESS);
    ck_assert_int_eq(ndone, n);
    ck_assert_int_eq(r.calls, 1);
    check_consistent(&r, done, ndone, 1);
    rec_clear(&r);
    /* done and ndone may be NULL */
    rec_init(&r, 5);
    ck_assert_int_eq(run(NULL, NULL, &r, 3), GC_SUCCESS);
    ck_assert_int_eq(atomic_load(&r.computed), 5);
    rec_clear(&r);
}
END_TEST

/* A stop after k items: no item starts once the stop callback said so,
   so at most k + threads - 1 items complete, and the done flags are
   exactly the computed items. */
START_TEST(test_parallel_stop)
{
    static const slong threads[3] = {1, 2, 8};
    slong n = 3000, k, t;

    for (t = 0; t < 3; t++)
        for (k = 0; k < 200; k += 99)
        {
            rec_struct r;
            unsigned char * done = flint_malloc(n);
            slong ndone = -1;
            int status;

            rec_init(&r, n);
            r.stop_after = k;
            status = run(done, &ndone, &r, threads[t]);
            ck_assert_int_eq(status, GC_SUCCESS);
            ck_assert_msg(ndone >= k && ndone <= k + threads[t] - 1,
                          "stop after %ld: %ld done (threads %ld)", (long) k,
                          (long) ndone, (long) threads[t]);
            check_consistent(&r, done, ndone, threads[t]);
            rec_clear(&r);
            flint_free(done);
        }
}
END_TEST

/* A failing item: its status comes back, it is not done, and the run
   stops early. */
START_TEST(test_parallel_failure)
{
    static const slong threads[3] = {1, 2, 5};
    slong n = 5000, t;

    for (t = 0; t < 3; t++)
    {
        rec_struct r;
        unsigned char * done = flint_malloc(n);
        slong ndone = -1;
        int status;

        rec_init(&r, n);
        r.fail_at = 10;
        status = run(done, &ndone, &r, threads[t]);
        ck_assert_msg(status == GC_UNABLE, "status %d (threads %ld)", status,
                      (long) threads[t]);
        ck_assert_int_eq(done[10], 0);
        ck_assert_msg(ndone < n - 1, "%ld done after a failure (threads %ld)",
                      (long) ndone, (long) threads[t]);
        check_consistent(&r, done, ndone, threads[t]);
        rec_clear(&r);
        flint_free(done);
    }
}
END_TEST

/* A run of about 0.6 s: progress calls in between, at most one per
   interval (and the final one), serialized, nondecreasing, ending at the
   total. */
START_TEST(test_parallel_progress)
{
    slong n = 120, ndone = -1, bound;
    unsigned char done[120];
    rec_struct r;
    struct timespec t0, t1;
    double secs;

    rec_init(&r, n);
    r.sleep_ns = 10000000;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(run(done, &ndone, &r, 2), GC_SUCCESS);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    check_consistent(&r, done, ndone, 2);
    ck_assert_int_eq(ndone, n);
    bound = (slong) (secs / GC_RUN_PROGRESS_INTERVAL) + 1;
    ck_assert_msg(r.calls >= 2 && r.calls <= bound,
                  "%ld progress calls in %g s", (long) r.calls, secs);
    rec_clear(&r);
}
END_TEST

static Suite *
gc_parallel_suite(void)
{
    Suite * s = suite_create("parallel");
    TCase * tc = tcase_create("core");

    tcase_add_loop_test(tc, test_parallel_all_items, 0, 2);
    tcase_add_test(tc, test_parallel_stop);
    tcase_add_test(tc, test_parallel_failure);
    tcase_add_test(tc, test_parallel_progress);
    suite_add_tcase(s, tc);
    tc = tcase_create("special");
    tcase_add_loop_test(tc, test_parallel_special, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_parallel_suite());
}
