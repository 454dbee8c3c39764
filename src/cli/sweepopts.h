/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* sweepopts.h -- what 'gradchain sweep' and 'gradchain plot --sweep'
   share (sweepopts.c): the options --samples, --threads, --progress and
   --no-progress, whose codes follow the replay options (replayopts.h),
   and the run of a sweep: memory check, progress line and ^C. */

#ifndef GC_SWEEPOPTS_H
#define GC_SWEEPOPTS_H

#include "progress.h"
#include "replayopts.h"

/* Option codes; a command numbers its own from GC_SWEEPOPT_LOCAL. */
enum
{
    GC_SWEEPOPT_SAMPLES = GC_REPLAYOPT_LOCAL,
    GC_SWEEPOPT_THREADS,
    GC_SWEEPOPT_PROGRESS,
    GC_SWEEPOPT_NO_PROGRESS,
    GC_SWEEPOPT_LOCAL
};

/* The getopt_long entries of these options. */
#define GC_SWEEPOPTS_LONGOPTS                                               \
    {"samples", required_argument, NULL, GC_SWEEPOPT_SAMPLES},              \
    {"threads", required_argument, NULL, GC_SWEEPOPT_THREADS},              \
    {"progress", no_argument, NULL, GC_SWEEPOPT_PROGRESS},                  \
    {"no-progress", no_argument, NULL, GC_SWEEPOPT_NO_PROGRESS}

/* The entries every command that sweeps random chains takes (sweep and
   plot): the random network, its input and target, the activation, the
   output, the replay and the sweep options. */
#define GC_SWEEPOPTS_STUDY_LONGOPTS                                         \
    GC_NETOPTS_RANDOM_LONGOPTS,                                             \
    {"act", required_argument, NULL, GC_NETOPT_ACT},                        \
    {"a0", required_argument, NULL, GC_NETOPT_A0},                          \
    {"y", required_argument, NULL, GC_NETOPT_Y},                            \
    {"output", required_argument, NULL, 'o'},                               \
    {"help", no_argument, NULL, GC_OPT_HELP},                               \
    GC_REPLAYOPTS_LONGOPTS,                                                 \
    GC_SWEEPOPTS_LONGOPTS

/* The most threads: far above the cores of any machine this runs on. */
#define GC_SWEEPOPTS_THREADS_MAX 1024

typedef struct
{
    slong samples;                   /* --samples (0: not given) */
    gc_run_ctl_t ctl;                /* --threads (default: the cores) */
    gc_cli_progress_mode_t progress; /* --progress, --no-progress */
} gc_sweepopts_struct;

/* Sets *o* to the defaults. */
void gc_sweepopts_init(gc_sweepopts_struct * o);

/* Stores the option *opt* (one of the GC_SWEEPOPT_* codes, otherwise
   gc_throw) with argument *arg* in *o*.  Returns an exit code. */
int gc_sweepopts_parse(gc_sweepopts_struct * o, int opt, const char * arg);

/* After the options of command *cmd*: checks that --random and --samples
   were given and that the seeds S .. S + N - 1 of the networks fit in
   64 bits (never wrap).  Returns an exit code. */
int gc_sweepopts_check(const gc_sweepopts_struct * o,
                       const gc_netopts_struct * no, const char * cmd);

/* Sets the network, sample and replay fields of *spec* (the others are
   the caller's): network 0 is *net*, loaded by gc_replayopts_finish
   with the options *no* (its random parameters, layers, activation if
   --act was given, a_0 and y: --a0 and --y), the samples of *o*, the formats, sequence
   and --sr-seed of *ro*.  *spec* points into net and ro. */
void gc_sweepopts_spec(gc_sweep_spec_struct * spec,
                       const gc_sweepopts_struct * o, const gc_net_t net,
                       const gc_netopts_struct * no,
                       const gc_replayopts_struct * ro);

/* As gc_sweepopts_spec for a sweep of wide networks like *net*,
   network 0 as gc_replayopts_finish_any built it: the random parameters
   of *no*, the widths, the activation if --act was given, the inputs
   and targets of *net*. */
void gc_sweepopts_spec_wide(gc_sweep_spec_struct * spec,
                            const gc_sweepopts_struct * o,
                            const gc_wnet_t net,
                            const gc_netopts_struct * no,
                            const gc_replayopts_struct * ro);

/* Returns an upper bound of the bytes of the sweep *spec* of networks
   like the chain *net*, or like the wide network *wide* when it is not
   NULL, on *threads* threads: per thread a network, its exact values and
   a replay per format (and the scratch of the one that runs); the
   records. */
size_t gc_sweepopts_bytes(const gc_sweep_spec_struct * spec,
                          const gc_net_struct * net,
                          const gc_wnet_struct * wide, slong threads);

/* Checks that the formats of *spec* are distinct (canonical names; a
   usage error naming the repeated one otherwise) and that the sweep
   *spec* of networks like *net* fits in memory
   (per thread a network, its exact values and a replay; the records),
   then runs it into *s* (initialised) on o->ctl's threads with the
   progress line of o->progress and ^C stopping it (s->completed then
   says how far it went).  Returns GC_EXIT_OK, also when stopped, or an
   exit code after a message naming *cmd*. */
int gc_sweepopts_run(gc_sweep_t s, const gc_sweep_spec_struct * spec,
                     gc_sweepopts_struct * o, const gc_net_t net,
                     const char * cmd);

/* As gc_sweepopts_run for a sweep of wide networks like *net* (the
   memory of gc_wnet_bytes, gc_wnet_eval_arb_bytes and gc_wreplay_bytes
   per thread). */
int gc_sweepopts_run_wide(gc_sweep_t s, const gc_sweep_spec_struct * spec,
                          gc_sweepopts_struct * o, const gc_wnet_t net,
                          const char * cmd);

/* Returns *rc*, the exit code of writing the reports of *s*, unless it
   is GC_EXIT_OK and the sweep was stopped by ^C: then says on stderr
   how many networks the reports cover and returns
   GC_EXIT_INTERRUPTED. */
int gc_sweepopts_finish(const gc_sweep_t s, const char * cmd, int rc);

#endif /* GC_SWEEPOPTS_H */
