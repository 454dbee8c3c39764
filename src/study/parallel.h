/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* parallel.h -- a parallel for over items 0 .. n-1 with dynamic
   scheduling, per-thread state, progress, a stop request and a record of
   the completed items (parallel.c).  Private to the library: the sweeps
   of src/study run on it.  Its gc_run_ctl_struct is public
   (include/gradchain/study.h): the way a caller of a long computation
   chooses its threads, follows its progress and stops it. */

#ifndef GC_PARALLEL_H
#define GC_PARALLEL_H

#include "gradchain.h"

/* A job for gc_parallel_run: n >= 0 items, each thread's state of
   state_bytes bytes, which init(state, arg) sets up in the thread before
   its first item and clear(state, arg) frees after its last one (init
   and clear may be NULL, state_bytes 0), and item(state, i, arg), which
   computes item i with the thread's state and returns GC_SUCCESS or a
   failure status.  An item must write only what belongs to it (its own
   records): then the results do not depend on the threads nor on the
   order in which items run. */
typedef struct
{
    slong n;
    size_t state_bytes;
    void (*init)(void * state, void * arg);
    int (*item)(void * state, slong i, void * arg);
    void (*clear)(void * state, void * arg);
    void * arg;
} gc_par_job_struct;

/* Runs the items 0 .. n-1 of *job* over ctl->threads threads (at most n):
   each thread takes the next small chunk of items from a shared counter
   as soon as it is free, so items of uneven cost balance.  A worker
   thread calls flint_cleanup() and mpfr_free_cache() before it exits;
   the calling thread's caches are left to the caller.

   Sets done[i] (unless *done* is NULL; n bytes) to 1 for each item that
   completed with GC_SUCCESS and to 0 for the others, and *ndone* (unless
   NULL) to their number.  Items stop being started when ctl->stop asks
   for it or after the first item that fails.  Returns GC_SUCCESS if no
   item failed (*ndone* < n then means that the run was stopped), else
   the OR of the statuses of the items that failed.  gc_throw if n < 0
   or ctl->threads < 1. */
int gc_parallel_run(unsigned char * done, slong * ndone,
                    const gc_par_job_struct * job,
                    const gc_run_ctl_t ctl) GC_WARN_UNUSED_RESULT;

#endif /* GC_PARALLEL_H */
