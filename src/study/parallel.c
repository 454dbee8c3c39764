/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* parallel.c -- the parallel for of the studies: items handed out in
   small chunks from an atomic counter, per-thread state, serialized
   progress, a stop request, and a done flag per completed item. */

#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "gc-impl.h"
#include "study/parallel.h"

/* A thread takes chunks of about n / (threads * PAR_CHUNKS) items, at
   most PAR_CHUNK_MAX: small enough that the threads end within a chunk of
   each other when the items' costs differ, large enough that the shared
   counter is not touched at every item of cheap items. */
#define PAR_CHUNKS 16
#define PAR_CHUNK_MAX 64

/* Each thread's state starts on its own cache line (and is so aligned
   for any object). */
#define PAR_LINE 64

/* What the threads of one run share. */
typedef struct
{
    const gc_par_job_struct * job;
    const gc_run_ctl_struct * ctl;
    unsigned char * done;
    slong chunk;
    _Atomic slong next;      /* the first item not handed out */
    _Atomic slong ndone;     /* the items completed */
    atomic_int halt;         /* stop asked, or an item failed */
    atomic_int status;       /* OR of the failures */
    atomic_llong report_ns;  /* no progress call before this time */
    pthread_mutex_t lock;    /* serializes the progress calls */
} par_struct;

/* A worker thread: the run and its state. */
typedef struct
{
    par_struct * p;
    void * state;
} par_thread_struct;

static long long
par_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
gc_run_ctl_init(gc_run_ctl_t ctl)
{
    ctl->threads = 1;
    ctl->progress = NULL;
    ctl->progress_arg = NULL;
    ctl->stop = NULL;
    ctl->stop_arg = NULL;
}

/* Calls the progress callback if the interval has passed since the last
   call and no other thread is calling it; always if *final*. */
static void
par_progress(par_struct * p, int final)
{
    const gc_run_ctl_struct * ctl = p->ctl;
    long long now;

    if (ctl->progress == NULL)
        return;
    now = par_now_ns();
    if (final)
        pthread_mutex_lock(&p->lock);
    else if (now < atomic_load_explicit(&p->report_ns, memory_order_relaxed)
             || pthread_mutex_trylock(&p->lock) != 0)
        return;
    if (final || now >= atomic_load(&p->report_ns))
    {
        atomic_store(&p->report_ns,
                     now + (long long) (GC_RUN_PROGRESS_INTERVAL * 1e9));
        ctl->progress(ctl->progress_arg, atomic_load(&p->ndone),
                      p->job->n);
    }
    pthread_mutex_unlock(&p->lock);
}

/* Returns 1 if no more items may start (and makes it so for every thread
   when the stop callback says it first), 0 otherwise. */
static int
par_halted(par_struct * p)
{
    const gc_run_ctl_struct * ctl = p->ctl;

    if (atomic_load(&p->halt))
        return 1;
    if (ctl->stop != NULL && ctl->stop(ctl->stop_arg))
    {
        atomic_store(&p->halt, 1);
        return 1;
    }
    return 0;
}

/* One thread's work: chunks of items until none is left or the run is
   halted, with the thread's own *state*. */
static void
par_work(par_struct * p, void * state)
{
    const gc_par_job_struct * job = p->job;

    if (job->init != NULL)
        job->init(state, job->arg);
    while (!par_halted(p))
    {
        slong i, lo = atomic_fetch_add(&p->next, p->chunk);
        slong hi = FLINT_MIN(lo + p->chunk, job->n);

        for (i = lo; i < hi && (i == lo || !par_halted(p)); i++)
        {
            int status = job->item(state, i, job->arg);

            if (status != GC_SUCCESS)
            {
                atomic_fetch_or(&p->status, status);
                atomic_store(&p->halt, 1);
                break;
            }
            if (p->done != NULL)
                p->done[i] = 1;
            atomic_fetch_add(&p->ndone, 1);
            par_progress(p, 0);
        }
        if (hi == job->n)
            break;
    }
    if (job->clear != NULL)
        job->clear(state, job->arg);
}

static void *
par_thread(void * arg)
{
    par_thread_struct * th = arg;

    par_work(th->p, th->state);
    /* this thread's caches */
    flint_cleanup();
    mpfr_free_cache();
    return NULL;
}

int
gc_parallel_run(unsigned char * done, slong * ndone,
                const gc_par_job_struct * job, const gc_run_ctl_t ctl)
{
    par_struct p;
    par_thread_struct * th;
    pthread_t * tid;
    char * states;
    int * started;
    size_t bytes;
    slong t, threads;

    if (job->n < 0 || ctl->threads < 1 || job->item == NULL)
        gc_throw("gc_parallel_run: bad items %ld, threads %ld or item "
                 "callback", (long) job->n, (long) ctl->threads);
    threads = FLINT_MAX(FLINT_MIN(ctl->threads, job->n), 1);
    /* the counter passes n by at most a chunk per thread */
    if (threads > WORD_MAX / 2 / PAR_CHUNK_MAX
        || job->n > WORD_MAX - threads * PAR_CHUNK_MAX)
        gc_throw("gc_parallel_run: %ld items are too many", (long) job->n);
    if (done != NULL)
        memset(done, 0, (size_t) job->n);

    p.job = job;
    p.ctl = ctl;
    p.done = done;
    p.chunk = FLINT_MIN(FLINT_MAX(job->n / (threads * PAR_CHUNKS), 1),
                        PAR_CHUNK_MAX);
    atomic_init(&p.next, 0);
    atomic_init(&p.ndone, 0);
    atomic_init(&p.halt, 0);
    atomic_init(&p.status, GC_SUCCESS);
    atomic_init(&p.report_ns,
                par_now_ns() + (long long) (GC_RUN_PROGRESS_INTERVAL * 1e9));
    pthread_mutex_init(&p.lock, NULL);

    bytes = (job->state_bytes + PAR_LINE - 1) / PAR_LINE * PAR_LINE;
    states = flint_malloc(_gc_array_bytes(threads, FLINT_MAX(bytes, 1),
                                          "gc_parallel_run"));
    th = flint_malloc(threads * sizeof(par_thread_struct));
    tid = flint_malloc(threads * sizeof(pthread_t));
    started = flint_calloc(threads, sizeof(int));
    for (t = 0; t < threads; t++)
    {
        th[t].p = &p;
        th[t].state = states + t * bytes;
    }
    /* thread 0 is the calling thread; a thread that cannot be created
       leaves its items to the others */
    for (t = 1; t < threads; t++)
        started[t] = pthread_create(tid + t, NULL, par_thread, th + t) == 0;
    if (job->n > 0)
        par_work(&p, th[0].state);
    for (t = 1; t < threads; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    par_progress(&p, 1);

    if (ndone != NULL)
        *ndone = atomic_load(&p.ndone);
    pthread_mutex_destroy(&p.lock);
    flint_free(started);
    flint_free(tid);
    flint_free(th);
    flint_free(states);
    return atomic_load(&p.status);
}
