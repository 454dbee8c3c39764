/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* replayopts.c -- the replay options of compare and plot. */

#include <string.h>

#include "replayopts.h"

void
gc_replayopts_init(gc_replayopts_struct * o, const char * formats)
{
    o->formats = formats;
    o->fmts = NULL;
    o->nfmts = 0;
    o->seq = GC_SEQ_PYTORCH;
    o->scale_str = NULL;
    mpfr_init2(o->scale, 64);
    o->sr_seed = 0;
}

void
gc_replayopts_clear(gc_replayopts_struct * o)
{
    flint_free(o->fmts);
    mpfr_clear(o->scale);
}

int
gc_replayopts_parse(gc_replayopts_struct * o, int opt, const char * arg)
{
    gc_parse_error_t err;

    switch (opt)
    {
        case GC_REPLAYOPT_FORMATS:
            o->formats = arg;
            return GC_EXIT_OK;
        case GC_REPLAYOPT_SEQUENCE:
            if (gc_seq_set_str(&o->seq, arg) != GC_SUCCESS)
                return gc_cli_name_error("--sequence", "sequence", arg,
                                         gc_seq_names());
            return GC_EXIT_OK;
        case GC_REPLAYOPT_LOSS_SCALE:
            o->scale_str = arg;
            if (gc_loss_scale_set_str(o->scale, arg, err) != GC_SUCCESS)
                return gc_cli_usage_error("--loss-scale: %s", err->msg);
            return GC_EXIT_OK;
        case GC_REPLAYOPT_SR_SEED:
            return gc_cli_parse_slong(&o->sr_seed, arg, "--sr-seed", 0,
                                      WORD_MAX);
    }
    gc_throw("gc_replayopts_parse: not a replay option");
}

int
gc_replayopts_check_scale(const gc_numfmt_struct * fmts, slong nfmts,
                          mpfr_srcptr scale, const char * text)
{
    slong i;

    for (i = 0; i < nfmts; i++)
        if (gc_loss_scale_check(fmts + i, scale) != GC_SUCCESS)
            return gc_cli_usage_error(
                "--loss-scale: not a finite nonzero %s number (the format "
                "in which %s is scaled), got '%s'",
                gc_numfmt_scale_format(fmts + i)->name, fmts[i].name, text);
    return GC_EXIT_OK;
}

/* The replay options' part of gc_replayopts_finish.  A format given
   twice (by its canonical name, so "bfloat16:ftz:sr" repeats
   "bfloat16:sr:ftz") is refused: its column or rows would be ambiguous. */
static int
replayopts_check(gc_replayopts_struct * o)
{
    gc_parse_error_t err;
    slong i, k;

    if (gc_numfmt_list_set_str(&o->fmts, &o->nfmts, o->formats, err)
        != GC_SUCCESS)
        return gc_cli_usage_error("--formats: %s", err->msg);
    for (k = 0; k < o->nfmts; k++)
    {
        for (i = 0; i < k; i++)
            if (strcmp(o->fmts[i].name, o->fmts[k].name) == 0)
                return gc_cli_usage_error("--formats: '%s' twice",
                                          o->fmts[k].name);
        gc_numfmt_set_sr_seed(o->fmts + k, (ulong) o->sr_seed);
    }
    if (o->scale_str == NULL)
        return GC_EXIT_OK;
    return gc_replayopts_check_scale(o->fmts, o->nfmts, o->scale,
                                     o->scale_str);
}

/* gc_replayopts_finish_any, or gc_replayopts_finish when *wide* is NULL
   (chains only). */
static int
replayopts_finish(gc_replayopts_struct * o, gc_net_t net, gc_wnet_t wide,
                  int * is_wide, gc_netopts_struct * no, int nargs,
                  char ** args)
{
    int rc = replayopts_check(o);

    *is_wide = 0;
    if (rc != GC_EXIT_OK)
        return rc;
    no->engines[0] = GC_ENGINE_ARB;
    no->engines[1] = GC_ENGINE_REPLAY;
    no->nengines = 2;
    return wide != NULL
               ? gc_netopts_load_any(net, wide, is_wide, no, nargs, args)
               : gc_netopts_load(net, no, nargs, args);
}

int
gc_replayopts_finish(gc_replayopts_struct * o, gc_net_t net,
                     gc_netopts_struct * no, int nargs, char ** args)
{
    int is_wide;

    return replayopts_finish(o, net, NULL, &is_wide, no, nargs, args);
}

int
gc_replayopts_finish_any(gc_replayopts_struct * o, gc_net_t net,
                         gc_wnet_t wide, int * is_wide,
                         gc_netopts_struct * no, int nargs, char ** args)
{
    return replayopts_finish(o, net, wide, is_wide, no, nargs, args);
}

/* The bytes of one replay of the network *net* (a chain's length, or a
   gc_wnet_struct) in *fmt*, kept (peak 0) or while it runs. */
typedef size_t (*replayopts_bytes_t)(const void * net, slong len,
                                     const gc_numfmt_struct * fmt, int peak);

static size_t
replayopts_chain_bytes(const void * net, slong len,
                       const gc_numfmt_struct * fmt, int peak)
{
    (void) net;
    return gc_replay_grads_bytes(len, fmt, peak);
}

static size_t
replayopts_wide_bytes(const void * net, slong len,
                      const gc_numfmt_struct * fmt, int peak)
{
    (void) len;
    return gc_wreplay_bytes((const gc_wnet_struct *) net, fmt, peak);
}

/* The sum of the kept replays (if *kept*) and the largest peak. */
static size_t
replayopts_bytes(const gc_numfmt_struct * fmts, slong nfmts,
                 replayopts_bytes_t bytes, const void * net, slong len,
                 int kept)
{
    size_t b = 0, peak = 0;
    slong i;

    for (i = 0; i < nfmts; i++)
    {
        if (kept)
            b = gc_cli_bytes_add(b, bytes(net, len, fmts + i, 0));
        peak = FLINT_MAX(peak, bytes(net, len, fmts + i, 1));
    }
    return gc_cli_bytes_add(b, peak);
}

size_t
gc_replayopts_bytes(const gc_numfmt_struct * fmts, slong nfmts, slong len,
                    int kept)
{
    return replayopts_bytes(fmts, nfmts, replayopts_chain_bytes, NULL, len,
                            kept);
}

size_t
gc_replayopts_wide_bytes(const gc_numfmt_struct * fmts, slong nfmts,
                         const gc_wnet_t net, int kept)
{
    return replayopts_bytes(fmts, nfmts, replayopts_wide_bytes, net, 0,
                            kept);
}
