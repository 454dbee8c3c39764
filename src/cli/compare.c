/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* compare.c -- 'gradchain compare': the exact gradient of every layer
   beside its replay in machine number formats, and where each format
   goes subnormal, to zero or to infinity. */

#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum
{
    OPT_DIGITS = GC_OPT_LOCAL,
    OPT_FORMAT,
    OPT_SUMMARY
};

const char gc_cmd_compare_help[] =
    "Usage: gradchain compare [OPTION]... [NETWORK]\n"
    "Replay the chain in binary64 (C double) with the operation sequence of\n"
    "an autograd framework: a = 1/(1+exp(-z)), s' = a(1-a),\n"
    "delta = delta*w*s', every parameter first rounded to nearest double.\n"
    "For every layer print the exact dC/db_j (MPFR), the binary64 value,\n"
    "its relative error and its class (normal, subnormal, zero, infinite,\n"
    "nan), then the first layer, counting from the output, where binary64\n"
    "goes subnormal, to zero, or to infinity, with the exact value there.\n"
    "\n"
    "      --digits D           significant digits of the exact values\n"
    "                           (default 10)\n"
    "      --format text|csv|json  output format (default text); CSV is tidy:\n"
    "                           layer,format,value,exact,rel_error,class\n"
    "      --summary            print only the summary, not every layer\n"
    "  -o, --output FILE        write to FILE, all or nothing (default stdout)\n";

static const struct option compare_longopts[] = {
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"digits", required_argument, NULL, OPT_DIGITS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, GC_OPT_HELP}};

/* One replayed format: its values as exact MPFR numbers and classes. */
typedef struct
{
    const char * name;
    mpfr_ptr val;
    gc_class_t * cls;
    gc_death_struct death;
} compare_replay_struct;

/* Replays *net* in native binary64 into *rp* (len entries allocated). */
static int
compare_replay_binary64(compare_replay_struct * rp, const gc_net_t net)
{
    double * db = flint_malloc(net->len * sizeof(double));
    double * dw = flint_malloc(net->len * sizeof(double));
    slong j;
    int status = gc_eval_double(db, dw, net);

    for (j = 0; j < net->len; j++)
    {
        mpfr_set_d(rp->val + j, db[j], MPFR_RNDN); /* exact at 53 bits */
        rp->cls[j] = gc_class_double(db[j]);
    }
    gc_death_scan(&rp->death, rp->cls, net->len);
    flint_free(db);
    flint_free(dw);
    return status;
}

/* Sets *res* to the relative error |v - exact| / |exact| as a 3-digit
   string; "-" where it is undefined (exact 0 or a non-finite v). */
static char *
compare_rel_error(const mpfr_t v, const mpfr_t exact)
{
    mpfr_t e;
    char * s;

    if (!mpfr_number_p(v) || mpfr_zero_p(exact))
    {
        s = flint_malloc(2);
        strcpy(s, "-");
        return s;
    }
    mpfr_init2(e, 64);
    mpfr_sub(e, v, exact, MPFR_RNDN);
    mpfr_div(e, e, exact, MPFR_RNDN);
    mpfr_abs(e, e, MPFR_RNDN);
    s = gc_mpfr_get_str_sci(e, 3);
    mpfr_clear(e);
    return s;
}

static const gc_col_struct compare_text_cols[] = {
    {"layer", "layer", GC_COL_INT, 6},
    {"exact", "exact dC/db_j", GC_COL_STR, -18},
    {"value", "binary64", GC_COL_STR, -24},
    {"rel_error", "rel. error", GC_COL_STR, -10},
    {"class", "class", GC_COL_STR, -9}};

static const gc_col_struct compare_long_cols[] = {
    {"layer", NULL, GC_COL_INT, 0},
    {"format", NULL, GC_COL_STR, 0},
    {"value", NULL, GC_COL_STR, 0},
    {"exact", NULL, GC_COL_STR, 0},
    {"rel_error", NULL, GC_COL_STR, 0},
    {"class", NULL, GC_COL_STR, 0}};

static const gc_col_struct compare_summary_cols[] = {
    {"format", "format", GC_COL_STR, -9},
    {"event", "event", GC_COL_STR, -10},
    {"layer", "layer", GC_COL_INT, 6},
    {"exact", "exact dC/db_j there", GC_COL_STR, -18}};

/* Writes the summary rows of replay *rp*: one per event that happens. */
static void
compare_summary(gc_report_t r, const compare_replay_struct * rp,
                const gc_trace_t t, slong digits)
{
    const char * names[] = {"subnormal", "zero", "infinite", "nan"};
    slong layers[4];
    int i, any = 0;

    layers[0] = rp->death.first_subnormal;
    layers[1] = rp->death.first_zero;
    layers[2] = rp->death.first_inf;
    layers[3] = rp->death.first_nan;
    for (i = 0; i < 4; i++)
    {
        char lay[32];
        char * ex;
        const char * cells[4];

        if (layers[i] == 0)
            continue;
        any = 1;
        snprintf(lay, sizeof lay, "%ld", (long) layers[i]);
        ex = gc_mpfr_get_str_sci(t->db + layers[i] - 1, digits);
        cells[0] = rp->name;
        cells[1] = names[i];
        cells[2] = lay;
        cells[3] = ex;
        gc_report_row(r, cells);
        flint_free(ex);
    }
    if (!any)
    {
        const char * cells[4] = {rp->name, "none", "0", "-"};

        gc_report_row(r, cells);
    }
}

/* Writes the comparison to *out*: every layer (unless *summary_only*),
   then the summary (not in CSV, which stays one tidy table). */
static int
compare_write(FILE * out, gc_report_format_t format, const gc_net_t net,
              const gc_trace_t t, const compare_replay_struct * rp,
              slong digits, int summary_only)
{
    gc_report_t r;
    slong j;
    int tidy = format != GC_REPORT_TEXT;

    if (summary_only)
        gc_report_init(r, out, format, compare_summary_cols, 4);
    else
        gc_report_init(r, out, format,
                       tidy ? compare_long_cols : compare_text_cols,
                       tidy ? 6 : 5);
    gc_report_meta_int(r, "layers", net->len);
    gc_report_meta(r, "sequence", "framework");
    gc_report_meta_int(r, "exact_precision_bits", (slong) t->prec);
    gc_report_meta(r, "exact", "MPFR, round to nearest, not certified");
    for (j = 1; j <= net->len && !summary_only; j++)
    {
        char lay[32];
        char * ex = gc_mpfr_get_str_sci(t->db + j - 1, digits);
        char * v = gc_mpfr_get_str_sci(rp->val + j - 1, 17);
        char * re = compare_rel_error(rp->val + j - 1, t->db + j - 1);
        const char * cls = gc_class_name(rp->cls[j - 1]);

        snprintf(lay, sizeof lay, "%ld", (long) j);
        if (tidy)
        {
            const char * cells[6] = {lay, rp->name, v, ex, re, cls};

            gc_report_row(r, cells);
        }
        else
        {
            const char * cells[5] = {lay, ex, v, re, cls};

            gc_report_row(r, cells);
        }
        flint_free(ex);
        flint_free(v);
        flint_free(re);
    }
    if (summary_only)
        compare_summary(r, rp, t, digits);
    else if (format != GC_REPORT_CSV)
    {
        gc_report_section(r, "summary", compare_summary_cols, 4);
        compare_summary(r, rp, t, digits);
    }
    return gc_report_clear(r);
}

int
gc_cmd_compare(int argc, char ** argv)
{
    struct option longopts[GC_LONGOPTS_MAX];
    gc_netopts_struct no;
    gc_report_format_t format = GC_REPORT_TEXT;
    const char * output = NULL;
    slong digits = 10;
    int summary_only = 0;
    gc_net_t net;
    int opt, rc;

    gc_cli_longopts(longopts, compare_longopts,
                    sizeof compare_longopts / sizeof *compare_longopts);
    gc_netopts_init(&no);
    while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1)
    {
        int h = gc_netopts_parse(&no, opt, optarg);

        if (h < 0)
            return GC_EXIT_USAGE;
        if (h > 0)
            continue;
        switch (opt)
        {
            case GC_OPT_HELP:
                fputs(gc_cmd_compare_help, stdout);
                fputs(gc_netopts_help, stdout);
                return GC_EXIT_OK;
            case OPT_DIGITS:
                if (!gc_cli_parse_slong(&digits, optarg, "--digits", 1,
                                        100000000))
                    return GC_EXIT_USAGE;
                break;
            case OPT_FORMAT:
                if (gc_report_format_set_str(&format, optarg) != GC_SUCCESS)
                    return gc_cli_usage_error("--format: expected text, csv "
                                              "or json, got '%s'", optarg);
                break;
            case OPT_SUMMARY:
                summary_only = 1;
                break;
            case 'o':
                output = optarg;
                break;
            default:
                return gc_cli_usage_error("compare: invalid option");
        }
    }

    gc_net_init(net);
    rc = gc_netopts_load(net, &no, argc - optind, argv + optind);
    if (rc == GC_EXIT_OK)
    {
        gc_trace_t t;
        compare_replay_struct rp;
        slong j;
        int status;

        gc_net_materialize(net);
        gc_trace_init(t, net->len, gc_prec_for_digits(digits, net->len));
        rp.name = "binary64";
        rp.val = flint_malloc(net->len * sizeof(__mpfr_struct));
        rp.cls = flint_malloc(net->len * sizeof(gc_class_t));
        for (j = 0; j < net->len; j++)
            mpfr_init2(rp.val + j, 53);

        status = gc_eval_mpfr(t, net);
        status |= compare_replay_binary64(&rp, net);
        if (status != GC_SUCCESS)
        {
            gc_cli_error("compare: %s", gc_status_str(status));
            rc = GC_EXIT_EVAL;
        }
        else
        {
            gc_out_struct out;

            if (!gc_out_open(&out, output))
                rc = GC_EXIT_USAGE;
            else
            {
                int ok = compare_write(out.f, format, net, t, &rp, digits,
                                       summary_only) ==
                         GC_SUCCESS;

                if (!ok)
                    gc_cli_error("%s: write error",
                                 output ? output : "stdout");
                if (!gc_out_close(&out, ok) || !ok)
                    rc = GC_EXIT_USAGE;
            }
        }
        for (j = 0; j < net->len; j++)
            mpfr_clear(rp.val + j);
        flint_free(rp.val);
        flint_free(rp.cls);
        gc_trace_clear(t);
    }
    gc_net_clear(net);
    return rc;
}
