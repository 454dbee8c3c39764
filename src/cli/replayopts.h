/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* replayopts.h -- the options of the replay in machine formats shared by
   'gradchain compare' and 'gradchain plot' (replayopts.c): --formats,
   --sequence, --loss-scale, --sr-seed.  Their codes follow the network
   options (netopts.h). */

#ifndef GC_REPLAYOPTS_H
#define GC_REPLAYOPTS_H

#include "netopts.h"

/* Option codes; a command numbers its own from GC_REPLAYOPT_LOCAL. */
enum
{
    GC_REPLAYOPT_FORMATS = GC_NETOPT_LOCAL,
    GC_REPLAYOPT_SEQUENCE,
    GC_REPLAYOPT_LOSS_SCALE,
    GC_REPLAYOPT_SR_SEED,
    GC_REPLAYOPT_LOCAL
};

/* The getopt_long entries of these options. */
#define GC_REPLAYOPTS_LONGOPTS                                              \
    {"formats", required_argument, NULL, GC_REPLAYOPT_FORMATS},             \
    {"sequence", required_argument, NULL, GC_REPLAYOPT_SEQUENCE},           \
    {"loss-scale", required_argument, NULL, GC_REPLAYOPT_LOSS_SCALE},       \
    {"sr-seed", required_argument, NULL, GC_REPLAYOPT_SR_SEED}

typedef struct
{
    const char * formats;    /* --formats text */
    gc_numfmt_struct * fmts; /* after gc_replayopts_finish */
    slong nfmts;
    gc_seq_t seq;            /* --sequence (default pytorch) */
    const char * scale_str;  /* --loss-scale text; NULL: no loss scaling */
    mpfr_t scale;
    slong sr_seed;           /* --sr-seed (default 0) */
} gc_replayopts_struct;

/* Sets *o* to the defaults, with the format list *formats*. */
void gc_replayopts_init(gc_replayopts_struct * o, const char * formats);

void gc_replayopts_clear(gc_replayopts_struct * o);

/* Stores the option *opt* (one of the GC_REPLAYOPT_* codes, otherwise
   gc_throw) with argument *arg* in *o*.  Returns an exit code. */
int gc_replayopts_parse(gc_replayopts_struct * o, int opt, const char * arg);

/* Checks the loss scale *scale* (its text *text*) against each of the
   *nfmts* formats *fmts* (gc_loss_scale_check): a usage error naming the
   first format it does not suit.  Returns an exit code. */
int gc_replayopts_check_scale(const gc_numfmt_struct * fmts, slong nfmts,
                              mpfr_srcptr scale, const char * text);

/* After the options: parses the format list (a format given
   twice is refused), seeds the :sr formats with
   --sr-seed, checks the loss scale against every format, then builds
   *net* (initialised by the caller) from the network options *no* and
   the operands *args* (gc_netopts_load) for a command that sets the
   exact values beside the replays: the network must suit both the Arb
   engine and the replay.  Returns an exit code. */
int gc_replayopts_finish(gc_replayopts_struct * o, gc_net_t net,
                         gc_netopts_struct * no, int nargs, char ** args);

/* As gc_replayopts_finish, and takes a wide network too: a wide file or
   --neurons gives *wide* with *is_wide* = 1 (gc_netopts_load_any); a
   chain is checked as above. */
int gc_replayopts_finish_any(gc_replayopts_struct * o, gc_net_t net,
                             gc_wnet_t wide, int * is_wide,
                             gc_netopts_struct * no, int nargs,
                             char ** args);

/* Returns an upper bound of the bytes of replays of *len* layers in the
   *nfmts* formats *fmts*, each kept with GC_REPLAY_GRADS: their kept
   gradients if *kept* (none when each is dropped after its summary),
   plus the scratch of the largest while it runs. */
size_t gc_replayopts_bytes(const gc_numfmt_struct * fmts, slong nfmts,
                           slong len, int kept);

/* As gc_replayopts_bytes for replays of the wide network *net*
   (gc_wreplay_bytes). */
size_t gc_replayopts_wide_bytes(const gc_numfmt_struct * fmts, slong nfmts,
                                const gc_wnet_t net, int kept);

#endif /* GC_REPLAYOPTS_H */
