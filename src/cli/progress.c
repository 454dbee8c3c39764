/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* progress.c -- a progress line on stderr, ^C that stops a run, and the
   number of cores (progress.h). */

/* sched_getaffinity and CPU_COUNT (glibc) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "config.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

/* ---- the progress line ------------------------------------------------- */

static double
progress_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

void
gc_cli_progress_init(gc_cli_progress_struct * p,
                     gc_cli_progress_mode_t mode, const char * what,
                     const char * unit)
{
    p->what = what;
    p->unit = unit;
    p->tty = isatty(STDERR_FILENO);
    p->on = mode == GC_CLI_PROGRESS_ON
            || (mode == GC_CLI_PROGRESS_AUTO && p->tty);
    p->start = p->printed_at = progress_now();
    p->done = p->total = 0;
    p->printed = -1;
    p->width = 0;
}

/* Writes the duration *secs* as M:SS, or H:MM:SS from an hour on, into
   buf[32]; "?" when it is not known (infinite, or beyond 10^5 hours). */
static void
progress_duration(char * buf, double secs)
{
    long s;

    if (!(secs >= 0 && secs < 3.6e8))
    {
        strcpy(buf, "?");
        return;
    }
    s = lround(secs);
    if (s >= 3600)
        snprintf(buf, 32, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, 32, "%ld:%02ld", s / 60, s % 60);
}

/* Writes "WHAT: DONE/TOTAL UNIT, RATE/s, ETA T" into buf[256], or, at the
   end, "WHAT: DONE/TOTAL UNIT in T, RATE/s".  Returns its length. */
static int
progress_line(char * buf, const gc_cli_progress_struct * p, double now,
              int end)
{
    double secs = now - p->start;
    double rate = secs > 0 ? (double) p->done / secs : 0;
    char r[32], t[32];

    if (p->done == 0 || secs <= 0)
        strcpy(r, "?");
    else
        snprintf(r, sizeof r, rate >= 10 ? "%.0f" : "%.2g", rate);
    progress_duration(t, end ? secs
                             : rate > 0 ? (double) (p->total - p->done) / rate
                                        : HUGE_VAL);
    return snprintf(buf, 256, end ? "%s: %ld/%ld %s in %s, %s/s"
                                  : "%s: %ld/%ld %s, %s/s, ETA %s",
                    p->what, (long) p->done, (long) p->total, p->unit,
                    end ? t : r, end ? r : t);
}

/* Prints the current line: in place on a terminal, as a line of its own
   elsewhere. */
static void
progress_print(gc_cli_progress_struct * p, double now, int end)
{
    char buf[256];
    int len = progress_line(buf, p, now, end);

    if (p->tty)
    {
        fprintf(stderr, "\r%s%*s", buf, FLINT_MAX(p->width - len, 0), "");
        p->width = len;
    }
    else
        fprintf(stderr, "%s\n", buf);
    fflush(stderr);
    p->printed = p->done;
    p->printed_at = now;
}

void
gc_cli_progress(void * arg, slong done, slong total)
{
    gc_cli_progress_struct * p = arg;
    double now;

    p->done = done;
    p->total = total;
    if (!p->on)
        return;
    now = progress_now();
    if (p->tty || now - p->printed_at >= GC_CLI_PROGRESS_LOG_INTERVAL)
        progress_print(p, now, 0);
}

void
gc_cli_progress_finish(gc_cli_progress_struct * p)
{
    if (!p->on)
        return;
    if (p->tty)
    {
        if (p->printed >= 0)
            fprintf(stderr, "\r%*s\r", p->width, "");
        fflush(stderr);
    }
    else if (p->printed != p->done)
        progress_print(p, progress_now(), 1);
    p->printed = -1;
    p->width = 0;
}

/* ---- ^C ------------------------------------------------------------------ */

/* The flag is read by the threads of the run while the handler may set
   it in any thread: a lock-free atomic_int is what C11 (7.14.1.1) allows
   a handler to touch besides a volatile sig_atomic_t, and unlike the
   latter it is also free of data races between threads. */
#if ATOMIC_INT_LOCK_FREE != 2
#error "gradchain needs a lock-free atomic_int for its SIGINT flag"
#endif
static atomic_int interrupt_flag;
/* the signals that stop a run: SIGTERM first, so that a process whose
   SIGINT is caught has both (tests/cli-lib.sh's 'caught' reads SIGINT's) */
static const int interrupt_signals[] = {SIGTERM, SIGINT};
#define INTERRUPT_NSIG \
    ((int) (sizeof interrupt_signals / sizeof interrupt_signals[0]))
static atomic_int interrupt_caught;  /* bit i: signal i's handler is set */
static struct sigaction interrupt_old[INTERRUPT_NSIG]; /* before them */

/* Gives the signals of the bits *caught* their actions of before. */
static void
interrupt_restore(int caught)
{
    int i;

    for (i = 0; i < INTERRUPT_NSIG; i++)
        if (caught & (1 << i))
            sigaction(interrupt_signals[i], interrupt_old + i, NULL);
}

static void
interrupt_on_signal(int sig)
{
    int err = errno;

    (void) sig;
    atomic_store(&interrupt_flag, 1);
    /* a second ^C or SIGTERM does what it did before */
    interrupt_restore(atomic_exchange(&interrupt_caught, 0));
    errno = err;
}

void
gc_cli_interrupt_catch(void)
{
    struct sigaction sa;
    int i;

    if (atomic_load(&interrupt_caught))
        gc_throw("gc_cli_interrupt_catch: SIGINT is already caught");
    atomic_store(&interrupt_flag, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_on_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < INTERRUPT_NSIG; i++)
        sigaddset(&sa.sa_mask, interrupt_signals[i]);
    for (i = 0; i < INTERRUPT_NSIG; i++)
    {
        if (sigaction(interrupt_signals[i], NULL, interrupt_old + i) != 0
            || interrupt_old[i].sa_handler == SIG_IGN)
            continue;
        /* the bit before the handler: a signal at once finds it */
        atomic_fetch_or(&interrupt_caught, 1 << i);
        if (sigaction(interrupt_signals[i], &sa, NULL) != 0)
            atomic_fetch_and(&interrupt_caught, ~(1 << i));
    }
}

void
gc_cli_interrupt_release(void)
{
    sigset_t set, old;
    int i;

    /* with the signals blocked, the handler cannot restore them at the
       same time */
    sigemptyset(&set);
    for (i = 0; i < INTERRUPT_NSIG; i++)
        sigaddset(&set, interrupt_signals[i]);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    interrupt_restore(atomic_exchange(&interrupt_caught, 0));
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int
gc_cli_interrupted(void * arg)
{
    (void) arg;
    return atomic_load(&interrupt_flag);
}

/* ---- threads ------------------------------------------------------------- */

slong
gc_cli_cores(slong max)
{
    slong n = 0;

#ifdef CPU_COUNT
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
#endif
    if (n < 1)
    {
        long online = sysconf(_SC_NPROCESSORS_ONLN);

        n = online > 0 ? online : 1;
    }
    return FLINT_MAX(FLINT_MIN(n, max), 1);
}
