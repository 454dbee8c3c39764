/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* progress.h -- what a long run of the program needs (progress.c): a
   progress line on stderr, ^C that stops the run instead of killing it,
   and the number of cores for the default --threads. */

#ifndef GC_PROGRESS_H
#define GC_PROGRESS_H

#include "cli.h"

/* The exit status of a run stopped by ^C (SIGINT) that wrote its report
   over the work completed (128 + SIGINT, what a shell shows for a
   program killed by it). */
#define GC_EXIT_INTERRUPTED 130

/* ---- the progress line ------------------------------------------------- */

/* --progress, --no-progress, or neither (then: on iff stderr is a
   terminal). */
typedef enum
{
    GC_CLI_PROGRESS_AUTO = 0,
    GC_CLI_PROGRESS_ON,
    GC_CLI_PROGRESS_OFF
} gc_cli_progress_mode_t;

/* The seconds between two progress lines when stderr is not a terminal. */
#define GC_CLI_PROGRESS_LOG_INTERVAL 5.0

/* The state of a progress line "WHAT: DONE/TOTAL UNIT, RATE/s, ETA M:SS".
   On a terminal the line is rewritten in place (\r) at each report and
   erased at the end; elsewhere (--progress into a file or pipe) a line
   is written every GC_CLI_PROGRESS_LOG_INTERVAL seconds at most, and a
   last one at the end. */
typedef struct
{
    const char * what;
    const char * unit;
    int on;           /* print anything at all */
    int tty;          /* stderr is a terminal */
    double start;     /* seconds, CLOCK_MONOTONIC */
    double printed_at;
    slong done;       /* the last report */
    slong total;
    slong printed;    /* the done count last printed, -1 for none */
    int width;        /* of the line on the terminal */
} gc_cli_progress_struct;

/* Starts the clock of *p* for a run of WHAT (the command's name) counted
   in UNIT ("networks"); *mode* says whether to print. */
void gc_cli_progress_init(gc_cli_progress_struct * p,
                          gc_cli_progress_mode_t mode, const char * what,
                          const char * unit);

/* The progress callback of gc_run_ctl_struct, *arg* a
   gc_cli_progress_struct: reports *done* items of *total*.  Calls must
   not overlap (the library serializes them). */
void gc_cli_progress(void * arg, slong done, slong total);

/* Ends the progress of *p*: erases the line on a terminal, or writes the
   final count elsewhere (if it was not the last line written).  Call it
   before anything else is written to stderr. */
void gc_cli_progress_finish(gc_cli_progress_struct * p);

/* ---- ^C ------------------------------------------------------------------ */

/* Makes SIGINT (^C) and SIGTERM (what a scheduler sends at the end of a
   job's time, or on scancel) ask the run to stop instead of ending the
   program: the first sets a flag that gc_cli_interrupted reads, and gives
   both signals back the actions they had before (main's: remove the
   temporary output files, then the default action), so a second one ends
   the program.  A signal that is ignored (nohup; SIGINT in a background
   job of a script) stays ignored.  One catch at a time: each is released
   before the next. */
void gc_cli_interrupt_catch(void);

/* Gives SIGINT and SIGTERM back the actions they had before
   gc_cli_interrupt_catch (if the first signal has not done so already).
   gc_cli_interrupted still says whether one came. */
void gc_cli_interrupt_release(void);

/* The stop callback of gc_run_ctl_struct (*arg* unused): returns 1 after
   a ^C or SIGTERM since the last gc_cli_interrupt_catch, 0 otherwise.
   Safe to call from any thread. */
int gc_cli_interrupted(void * arg);

/* ---- threads ------------------------------------------------------------- */

/* Returns the number of processors this process may run on (its CPU
   affinity mask where the system has sched_getaffinity, else the
   processors online), bounded to [1, max]: the default of --threads.
   CPU quotas of containers (cgroups) are not taken into account. */
slong gc_cli_cores(slong max);

#endif /* GC_PROGRESS_H */
