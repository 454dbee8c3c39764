/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* sweep.c -- 'gradchain sweep': where machine formats lose the gradient
   over many random chains, with statistics per format (the study module
   does the work). */

#include <stdlib.h>
#include <string.h>

#include "netopts.h"
#include "output.h"

enum
{
    OPT_SAMPLES = GC_NETOPT_LOCAL,
    OPT_FORMATS,
    OPT_SEQUENCE,
    OPT_LOSS_SCALE,
    OPT_THREADS,
    OPT_PER_NETWORK
};

/* The most threads: far above the cores of any machine this runs on. */
#define SWEEP_THREADS_MAX 1024

const char gc_cmd_sweep_help[] =
    "Usage: gradchain sweep --random DIST --layers L --samples N [OPTION]...\n"
    "  or:  gradchain sweep --weights DIST --biases DIST --layers L\n"
    "                       --samples N [OPTION]...\n"
    "Replay N random chains in machine number formats and report, per\n"
    "format, where the gradient is lost: the first layer counted from the\n"
    "output whose dC/db_j is subnormal, zero, or infinite or NaN (a\n"
    "subnormal or zero counts only where the exact value is not zero), as\n"
    "depth d = L - j + 1 (the number of s' factors) and as layer j: the\n"
    "fraction of networks where it happens, and min, quartiles, median and\n"
    "max over those networks (quantiles interpolated linearly, R's type\n"
    "7).  Network i (0 .. N-1) is the one that 'gradchain compare --random\n"
    "DIST --layers L --seed S+i' draws (with the same --weights, --biases\n"
    "and --fan-in-scale), so any sample can be replayed alone.  The output\n"
    "is the same for every --threads.\n"
    "\n"
    GC_NETOPTS_RANDOM_HELP
    "      --layers L             number of layers of every chain\n"
    "      --samples N            number of networks\n"
    "      --seed S               seed of network 0 (default 0)\n"
    "      --act NAME             activation of every layer (default\n"
    "                             sigmoid)\n"
    "      --formats LIST         comma-separated formats (default\n"
    "                             binary64), as for compare\n"
    "      --sequence NAME        operation sequence, as for compare\n"
    "                             (default pytorch)\n"
    "      --loss-scale S         loss scale, as for compare\n"
    "      --threads N            threads (default 1)\n"
    "      --per-network FILE     also write one CSV row per network and\n"
    "                             format: seed,format,first_subnormal_layer,\n"
    "                             first_zero_layer,first_nonfinite_layer\n"
    "                             (empty where it did not happen)\n"
    "      --format text|csv|json output format (default text)\n"
    "  -o, --output FILE          write to FILE, all or nothing (default\n"
    "                             stdout)\n"
    "CSV output is one tidy table:\n"
    "format,event,measure,networks,fraction,min,q1,median,q3,max.\n"
    "\n"
    "Example:\n"
    "  gradchain sweep --random normal:0,1 --layers 600 --samples 1000 \\\n"
    "      --formats binary32,bfloat16,binary16 --threads 4\n";

static const struct option sweep_longopts[] = {
    GC_NETOPTS_RANDOM_LONGOPTS,
    {"act", required_argument, NULL, GC_NETOPT_ACT},
    {"format", required_argument, NULL, GC_NETOPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, GC_OPT_HELP},
    {"samples", required_argument, NULL, OPT_SAMPLES},
    {"formats", required_argument, NULL, OPT_FORMATS},
    {"sequence", required_argument, NULL, OPT_SEQUENCE},
    {"loss-scale", required_argument, NULL, OPT_LOSS_SCALE},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"per-network", required_argument, NULL, OPT_PER_NETWORK},
    {NULL, 0, NULL, 0}};

typedef struct
{
    gc_sweep_t s;
    gc_numfmt_struct * fmts;
    slong nfmts;
    gc_seq_t seq;
    const char * scale_str; /* NULL: no loss scaling */
    mpfr_t scale;
    slong samples;
    slong threads;
    const gc_random_struct * random;
    gc_report_format_t format;
} sweep_struct;

static const gc_col_struct sweep_cols[] = {
    {"format", "format", GC_COL_STR, -14},
    {"event", "event", GC_COL_STR, -9},
    {"measure", "measure", GC_COL_STR, -7},
    {"networks", "networks", GC_COL_INT, 8},
    {"fraction", "fraction", GC_COL_STR, 8},
    {"min", "min", GC_COL_STR, 7},
    {"q1", "q1", GC_COL_STR, 7},
    {"median", "median", GC_COL_STR, 7},
    {"q3", "q3", GC_COL_STR, 7},
    {"max", "max", GC_COL_STR, 7}};

#define SWEEP_NCOLS ((slong) (sizeof sweep_cols / sizeof sweep_cols[0]))

static int
sweep_write(FILE * out, const void * ctx)
{
    const sweep_struct * c = ctx;
    gc_report_t r;
    slong k;
    int e, depth;
    char buf[160];

    gc_report_init(r, out, c->format, sweep_cols, SWEEP_NCOLS);
    gc_netopts_meta_random(r, c->random);
    gc_report_meta_int(r, "layers", c->s->layers);
    gc_report_meta_int(r, "samples", c->s->samples);
    snprintf(buf, sizeof buf, "%lu", (unsigned long) c->s->seed);
    gc_report_meta(r, "seed", buf);
    gc_report_meta(r, "sequence", gc_seq_name(c->seq));
    gc_report_meta(r, "loss_scale", c->scale_str ? c->scale_str : "1");

    for (k = 0; k < c->nfmts; k++)
        for (e = 0; e < GC_EVENTS; e++)
            for (depth = 1; depth >= 0; depth--)
            {
                gc_stats_t st;
                char num[7][32];
                const char * cells[SWEEP_NCOLS];
                double q[5];
                int i;

                gc_sweep_stats(st, c->s, k, (gc_event_t) e, depth);
                q[0] = st->min;
                q[1] = st->q1;
                q[2] = st->median;
                q[3] = st->q3;
                q[4] = st->max;
                snprintf(num[0], 32, "%ld", (long) st->count);
                snprintf(num[1], 32, "%.6g",
                         (double) st->count / (double) st->total);
                for (i = 0; i < 5; i++)
                {
                    if (st->count == 0)
                        strcpy(num[2 + i],
                               c->format == GC_REPORT_TEXT ? "-" : "");
                    else
                        snprintf(num[2 + i], 32, "%.15g", q[i]);
                }
                cells[0] = c->fmts[k].name;
                cells[1] = gc_event_name((gc_event_t) e);
                cells[2] = depth ? "depth" : "layer";
                for (i = 0; i < 7; i++)
                    cells[3 + i] = num[i];
                gc_report_row(r, cells);
            }
    return gc_report_clear(r) == GC_SUCCESS ? GC_EXIT_OK : GC_EXIT_USAGE;
}

/* The tidy per-network CSV: one row per network and format. */
static int
sweep_write_networks(FILE * out, const void * ctx)
{
    const sweep_struct * c = ctx;
    slong i, k;
    int e;

    fputs("seed,format,first_subnormal_layer,first_zero_layer,"
          "first_nonfinite_layer\n", out);
    for (i = 0; i < c->s->samples; i++)
        for (k = 0; k < c->nfmts; k++)
        {
            fprintf(out, "%lu,%s", (unsigned long) (c->s->seed + (ulong) i),
                    c->fmts[k].name);
            for (e = 0; e < GC_EVENTS; e++)
            {
                slong j = gc_sweep_layer(c->s, i, k, (gc_event_t) e);

                if (j != 0)
                    fprintf(out, ",%ld", (long) j);
                else
                    fputs(",", out);
            }
            fputs("\n", out);
        }
    return ferror(out) ? GC_EXIT_USAGE : GC_EXIT_OK;
}

/* Checks the loss scale for every format (gc_loss_scale_check).
   Returns an exit status. */
static int
sweep_check_scale(const sweep_struct * c)
{
    slong i;

    for (i = 0; i < c->nfmts; i++)
        if (gc_loss_scale_check(c->fmts + i, c->scale) != GC_SUCCESS)
            return gc_cli_usage_error(
                "--loss-scale: not a finite nonzero %s number (the format "
                "in which %s is scaled), got '%s'",
                gc_numfmt_scale_format(c->fmts + i)->name, c->fmts[i].name,
                c->scale_str);
    return GC_EXIT_OK;
}

/* Returns an upper bound of the bytes of the sweep of *net*'s shape:
   per thread a network, its exact values and a replay; the records. */
static size_t
sweep_bytes(const sweep_struct * c, const gc_net_t net)
{
    size_t b = gc_net_materialize_bytes(net), t = 0;
    slong i;

    b = gc_cli_bytes_add(b, gc_eval_arb_bytes(net->len, 64));
    for (i = 0; i < c->nfmts; i++)
        b = FLINT_MAX(b, gc_cli_bytes_add(gc_net_materialize_bytes(net)
                                          + gc_eval_arb_bytes(net->len, 64),
                                          gc_replay_bytes(net->len,
                                                          c->fmts + i)));
    for (i = 0; i < FLINT_MIN(c->threads, c->samples); i++)
        t = gc_cli_bytes_add(t, b);
    for (i = 0; i < c->nfmts * GC_EVENTS; i++)
        t = gc_cli_bytes_add(t, (size_t) c->samples * sizeof(slong));
    return t;
}

int
gc_cmd_sweep(int argc, char ** argv)
{
    gc_netopts_struct no;
    sweep_struct c;
    gc_parse_error_t err;
    const char * formats = "binary64";
    const char * per_network = NULL;
    gc_cli_opts_struct cli = {gc_cmd_sweep_help, "", gc_netopts_parse,
                              &no};
    gc_net_t net;
    int opt, rc = GC_EXIT_OK;

    memset(&c, 0, sizeof c);
    c.seq = GC_SEQ_PYTORCH;
    c.threads = 1;
    mpfr_init2(c.scale, 64);
    gc_netopts_init(&no);
    while ((opt = gc_cli_getopt(argc, argv, sweep_longopts, &cli, &rc)) > 0)
    {
        switch (opt)
        {
            case OPT_SAMPLES:
                rc = gc_cli_parse_slong(&c.samples, optarg, "--samples", 1,
                                        WORD_MAX);
                break;
            case OPT_FORMATS:
                formats = optarg;
                break;
            case OPT_SEQUENCE:
                if (gc_seq_set_str(&c.seq, optarg) != GC_SUCCESS)
                    rc = gc_cli_name_error("--sequence", "sequence", optarg,
                                           gc_seq_names());
                break;
            case OPT_LOSS_SCALE:
                c.scale_str = optarg;
                if (gc_loss_scale_set_str(c.scale, optarg, err) != GC_SUCCESS)
                    rc = gc_cli_usage_error("--loss-scale: %s", err->msg);
                break;
            case OPT_THREADS:
                rc = gc_cli_parse_slong(&c.threads, optarg, "--threads", 1,
                                        SWEEP_THREADS_MAX);
                break;
            case OPT_PER_NETWORK:
                per_network = optarg;
                break;
        }
    }
    if (opt == GC_CLI_STOP)
    {
        mpfr_clear(c.scale);
        return rc;
    }
    if (!no.random)
        rc = gc_cli_usage_error("sweep needs --random DIST");
    else if (c.samples == 0)
        rc = gc_cli_usage_error("sweep needs --samples N");
    else if (per_network != NULL
             && gc_cli_same_output(per_network, no.output))
        rc = gc_cli_usage_error("--per-network and the output are the same "
                                "file '%s'", per_network);
    if (rc == GC_EXIT_OK
        && gc_numfmt_list_set_str(&c.fmts, &c.nfmts, formats, err)
               != GC_SUCCESS)
        rc = gc_cli_usage_error("--formats: %s", err->msg);
    if (rc == GC_EXIT_OK && c.scale_str != NULL)
        rc = sweep_check_scale(&c);

    /* network 0 checks the options as compare does (engines, --act) */
    no.engines[0] = GC_ENGINE_ARB;
    no.engines[1] = GC_ENGINE_REPLAY;
    no.nengines = 2;
    gc_net_init(net);
    if (rc == GC_EXIT_OK)
        rc = gc_netopts_load(net, &no, argc - optind, argv + optind);
    if (rc == GC_EXIT_OK)
        rc = gc_cli_check_memory("sweep", sweep_bytes(&c, net), net->len,
                                 "for the networks, exact values and "
                                 "replays of every thread",
                                 "use fewer layers or threads");
    if (rc == GC_EXIT_OK)
    {
        int status;

        c.random = &net->random;
        c.format = no.format;
        gc_sweep_init(c.s);
        status = gc_sweep_run(c.s, &net->random, net->len,
                              no.act != NULL ? &net->act : NULL, c.samples,
                              c.fmts, c.nfmts, c.seq,
                              c.scale_str ? c.scale : NULL, c.threads);
        if (status != GC_SUCCESS)
        {
            gc_cli_error("sweep: %s", gc_status_str(status));
            rc = GC_EXIT_EVAL;
        }
        else
            rc = gc_cli_emit_pair(no.output, sweep_write, &c, per_network,
                                  sweep_write_networks, &c);
        gc_sweep_clear(c.s);
    }
    gc_net_clear(net);
    flint_free(c.fmts);
    mpfr_clear(c.scale);
    return rc;
}
