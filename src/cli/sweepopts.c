/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* sweepopts.c -- the sweep options and the run of a sweep, for sweep
   and plot --sweep. */

#include "sweepopts.h"

void
gc_sweepopts_init(gc_sweepopts_struct * o)
{
    o->samples = 0;
    gc_run_ctl_init(o->ctl);
    o->ctl->threads = gc_cli_cores(GC_SWEEPOPTS_THREADS_MAX);
    o->progress = GC_CLI_PROGRESS_AUTO;
}

int
gc_sweepopts_parse(gc_sweepopts_struct * o, int opt, const char * arg)
{
    switch (opt)
    {
        case GC_SWEEPOPT_SAMPLES:
            return gc_cli_parse_slong(&o->samples, arg, "--samples", 1,
                                      WORD_MAX);
        case GC_SWEEPOPT_THREADS:
            return gc_cli_parse_slong(&o->ctl->threads, arg, "--threads", 1,
                                      GC_SWEEPOPTS_THREADS_MAX);
        case GC_SWEEPOPT_PROGRESS:
            o->progress = GC_CLI_PROGRESS_ON;
            return GC_EXIT_OK;
        case GC_SWEEPOPT_NO_PROGRESS:
            o->progress = GC_CLI_PROGRESS_OFF;
            return GC_EXIT_OK;
    }
    gc_throw("gc_sweepopts_parse: not a sweep option");
}

int
gc_sweepopts_check(const gc_sweepopts_struct * o,
                   const gc_netopts_struct * no, const char * cmd)
{
    if (!no->random)
        return gc_cli_usage_error("%s needs --random DIST (or --weights DIST --biases DIST)", cmd);
    if (o->samples == 0)
        return gc_cli_usage_error("%s needs --samples N", cmd);
    /* the seeds S .. S + N - 1 must not wrap around 2^64 */
    if ((ulong) (o->samples - 1) > UWORD_MAX - no->spec.seed)
        return gc_cli_usage_error("--seed %lu --samples %ld: the last "
                                  "seed S + N - 1 exceeds 2^64 - 1",
                                  (unsigned long) no->spec.seed,
                                  (long) o->samples);
    return GC_EXIT_OK;
}

/* The sample and replay fields of *spec*, from *o* and *ro*. */
static void
sweepopts_spec_runs(gc_sweep_spec_struct * spec,
                    const gc_sweepopts_struct * o,
                    const gc_replayopts_struct * ro)
{
    spec->samples = o->samples;
    spec->fmts = ro->fmts;
    spec->nfmts = ro->nfmts;
    spec->seq = ro->seq;
    spec->sr_seed = (ulong) ro->sr_seed;
}

void
gc_sweepopts_spec(gc_sweep_spec_struct * spec, const gc_sweepopts_struct * o,
                  const gc_net_t net, const gc_netopts_struct * no,
                  const gc_replayopts_struct * ro)
{
    spec->random = &net->random;
    spec->layers = net->len;
    spec->act = no->act != NULL ? &net->act : NULL;
    spec->a0 = net->a0;
    spec->y = net->y;
    sweepopts_spec_runs(spec, o, ro);
}

void
gc_sweepopts_spec_wide(gc_sweep_spec_struct * spec,
                       const gc_sweepopts_struct * o, const gc_wnet_t net,
                       const gc_netopts_struct * no,
                       const gc_replayopts_struct * ro)
{
    spec->random = &no->spec;
    spec->layers = net->len;
    spec->widths = net->width;
    spec->act = no->act != NULL ? net->act : NULL;
    spec->a0 = net->a0;
    spec->y = net->y;
    sweepopts_spec_runs(spec, o, ro);
}

size_t
gc_sweepopts_bytes(const gc_sweep_spec_struct * spec,
                   const gc_net_struct * net, const gc_wnet_struct * wide,
                   slong threads)
{
    size_t b, t = 0;
    slong i;

    /* a thread's network, exact values and replays (one a format, and
       the scratch of the one that runs) */
    if (wide != NULL)
    {
        b = gc_cli_bytes_add(gc_wnet_bytes(wide->len, wide->width),
                             gc_wnet_eval_arb_bytes(wide, 64));
        b = gc_cli_bytes_add(b, gc_replayopts_wide_bytes(spec->fmts,
                                                         spec->nfmts, wide,
                                                         1));
    }
    else
    {
        b = gc_cli_bytes_add(gc_net_materialize_bytes(net),
                             gc_eval_arb_bytes(net->len, 64));
        b = gc_cli_bytes_add(b, gc_replayopts_bytes(spec->fmts, spec->nfmts,
                                                    net->len, 1));
    }
    for (i = 0; i < FLINT_MIN(threads, spec->samples); i++)
        t = gc_cli_bytes_add(t, b);
    return gc_cli_bytes_add(t, gc_sweep_records_bytes(spec));
}

/* gc_sweepopts_run (*wide* NULL) and gc_sweepopts_run_wide. */
static int
sweepopts_run(gc_sweep_t s, const gc_sweep_spec_struct * spec,
              gc_sweepopts_struct * o, const gc_net_struct * net,
              const gc_wnet_struct * wide, const char * cmd)
{
    gc_cli_progress_struct pr;
    int status, rc;

    rc = gc_cli_check_memory(cmd, gc_sweepopts_bytes(spec, net, wide,
                                                     o->ctl->threads),
                             spec->layers, "for the networks, exact values "
                             "and replays of every thread, and the records",
                             "use fewer layers, samples or threads");
    if (rc != GC_EXIT_OK)
        return rc;
    o->ctl->progress = gc_cli_progress;
    o->ctl->progress_arg = &pr;
    o->ctl->stop = gc_cli_interrupted;
    gc_cli_progress_init(&pr, o->progress, cmd, "networks");
    gc_cli_interrupt_catch();
    status = gc_sweep_run(s, spec, o->ctl);
    gc_cli_interrupt_release();
    gc_cli_progress_finish(&pr);
    o->ctl->progress = NULL;
    o->ctl->progress_arg = NULL;
    if (status != GC_SUCCESS)
    {
        gc_cli_error("%s: %s", cmd, gc_status_str(status));
        return GC_EXIT_EVAL;
    }
    return GC_EXIT_OK;
}

int
gc_sweepopts_run(gc_sweep_t s, const gc_sweep_spec_struct * spec,
                 gc_sweepopts_struct * o, const gc_net_t net,
                 const char * cmd)
{
    return sweepopts_run(s, spec, o, net, NULL, cmd);
}

int
gc_sweepopts_run_wide(gc_sweep_t s, const gc_sweep_spec_struct * spec,
                      gc_sweepopts_struct * o, const gc_wnet_t net,
                      const char * cmd)
{
    return sweepopts_run(s, spec, o, NULL, net, cmd);
}

int
gc_sweepopts_finish(const gc_sweep_t s, const char * cmd, int rc)
{
    if (rc != GC_EXIT_OK || s->completed == s->samples)
        return rc;
    gc_cli_error("%s: interrupted: the report covers %ld of %ld networks",
                 cmd, (long) s->completed, (long) s->samples);
    return GC_EXIT_INTERRUPTED;
}
