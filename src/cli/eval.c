/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* eval.c -- 'gradchain eval': every gradient of a chain (or one,
   streamed) in arbitrary precision. */

#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum
{
    OPT_WRT = GC_OPT_LOCAL,
    OPT_PREC,
    OPT_DIGITS,
    OPT_FORMAT
};

const char gc_cmd_eval_help[] =
    "Usage: gradchain eval [OPTION]... [NETWORK]\n"
    "Evaluate dC/db_j and dC/dw_j of every layer j (or of one parameter)\n"
    "with GNU MPFR.  Results are rounded to nearest with the requested\n"
    "number of significant digits and printed with their exact decimal\n"
    "exponent; the working precision is stated in the output.\n"
    "\n"
    "      --wrt all|bJ|wJ      all layers (default), or the single parameter\n"
    "                           b_J or w_J computed forward in O(1) memory\n"
    "      --digits D           significant digits to print (default 20); the\n"
    "                           working precision adds guard bits for the depth\n"
    "      --prec BITS          working precision in bits instead (digits then\n"
    "                           follow from it)\n"
    "      --format text|csv|json  output format (default text)\n"
    "  -o, --output FILE        write to FILE, all or nothing (default stdout)\n";

static const struct option eval_longopts[] = {
    {"wrt", required_argument, NULL, OPT_WRT},
    {"prec", required_argument, NULL, OPT_PREC},
    {"digits", required_argument, NULL, OPT_DIGITS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, GC_OPT_HELP}};

/* Digits that a precision of *prec* bits supports, less the guard bits
   that gc_prec_for_digits adds for *len* layers (at least 1). */
static slong
eval_digits_for_prec(mpfr_prec_t prec, slong len)
{
    slong d = 1;

    while (gc_prec_for_digits(d + 1, len) <= prec)
        d++;
    return d;
}

/* Writes the metadata common to both eval reports. */
static void
eval_meta(gc_report_t r, const gc_net_t net, mpfr_prec_t prec, slong digits)
{
    char buf[96];

    gc_report_meta_int(r, "layers", net->len);
    gc_report_meta(r, "activation", gc_act_name(net->act));
    gc_report_meta(r, "cost", gc_cost_name(net->cost));
    gc_report_meta(r, "engine", "mpfr");
    gc_report_meta_int(r, "precision_bits", (slong) prec);
    gc_report_meta_int(r, "digits", digits);
    snprintf(buf, sizeof buf,
             "round to nearest at %ld bits, not certified",
             (long) prec);
    gc_report_meta(r, "accuracy", buf);
}

static const gc_col_struct eval_all_cols[] = {
    {"layer", "layer", GC_COL_INT, 6},
    {"dC_db", "dC/db_j", GC_COL_STR, -28},
    {"dC_dw", "dC/dw_j", GC_COL_STR, -28}};

static const gc_col_struct eval_one_cols[] = {
    {"param", "parameter", GC_COL_STR, -9},
    {"value", "derivative", GC_COL_STR, -28}};

/* Writes the report of an evaluation to *out*: a row per layer of *t*
   (all layers), or the single value *v* of parameter *p*.  Returns
   GC_SUCCESS or GC_INVALID after a write error. */
static int
eval_write(FILE * out, gc_report_format_t format, const gc_net_t net,
           const gc_trace_t t, const gc_param_struct * p, const mpfr_t v,
           slong digits)
{
    gc_report_t r;
    char name[40];
    const char * cells[3];
    slong j;

    gc_report_init(r, out, format, p == NULL ? eval_all_cols : eval_one_cols,
                   p == NULL ? 3 : 2);
    eval_meta(r, net, p == NULL ? t->prec : mpfr_get_prec(v), digits);
    cells[0] = name;
    if (p != NULL)
    {
        snprintf(name, sizeof name, "%c%ld", p->kind, (long) p->layer);
        cells[1] = gc_mpfr_get_str_sci(v, digits);
        gc_report_row(r, cells);
        flint_free((char *) cells[1]);
    }
    else
        for (j = 1; j <= net->len; j++)
        {
            snprintf(name, sizeof name, "%ld", (long) j);
            cells[1] = gc_mpfr_get_str_sci(t->db + j - 1, digits);
            cells[2] = gc_mpfr_get_str_sci(t->dw + j - 1, digits);
            gc_report_row(r, cells);
            flint_free((char *) cells[1]);
            flint_free((char *) cells[2]);
        }
    return gc_report_clear(r);
}

/* Evaluates all layers (p == NULL) or parameter *p* of *net* at *prec*
   bits and writes the report to *output*.  Returns an exit status. */
static int
eval_run(const char * output, gc_report_format_t format, const gc_net_t net,
         const gc_param_struct * p, mpfr_prec_t prec, slong digits)
{
    gc_trace_t t;
    mpfr_t v;
    gc_out_struct out;
    int status, rc = GC_EXIT_OK;

    gc_trace_init(t, p == NULL ? net->len : 0, prec);
    mpfr_init2(v, prec);
    status = p == NULL ? gc_eval_mpfr(t, net) : gc_eval_param_mpfr(v, net, p);
    if (status != GC_SUCCESS)
    {
        gc_cli_error("eval: %s", gc_status_str(status));
        rc = GC_EXIT_EVAL;
    }
    else if (!gc_out_open(&out, output))
        rc = GC_EXIT_USAGE;
    else
    {
        int ok = eval_write(out.f, format, net, t, p, v, digits) == GC_SUCCESS;

        if (!ok)
            gc_cli_error("%s: write error", output ? output : "stdout");
        if (!gc_out_close(&out, ok) || !ok)
            rc = GC_EXIT_USAGE;
    }
    mpfr_clear(v);
    gc_trace_clear(t);
    return rc;
}

int
gc_cmd_eval(int argc, char ** argv)
{
    struct option longopts[GC_LONGOPTS_MAX];
    gc_netopts_struct no;
    gc_report_format_t format = GC_REPORT_TEXT;
    const char * wrt = "all";
    const char * output = NULL;
    slong digits = 0, prec = 0;
    gc_net_t net;
    int opt, rc = GC_EXIT_OK;

    gc_cli_longopts(longopts, eval_longopts,
                    sizeof eval_longopts / sizeof *eval_longopts);
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
                fputs(gc_cmd_eval_help, stdout);
                fputs(gc_netopts_help, stdout);
                return GC_EXIT_OK;
            case OPT_WRT:
                wrt = optarg;
                break;
            case OPT_PREC:
                if (!gc_cli_parse_slong(&prec, optarg, "--prec", 2,
                                        (slong) MPFR_PREC_MAX / 2))
                    return GC_EXIT_USAGE;
                break;
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
            case 'o':
                output = optarg;
                break;
            default:
                return gc_cli_usage_error("eval: invalid option");
        }
    }
    if (prec != 0 && digits != 0)
        return gc_cli_usage_error("give --prec or --digits, not both");

    gc_net_init(net);
    rc = gc_netopts_load(net, &no, argc - optind, argv + optind);
    if (rc == GC_EXIT_OK)
    {
        gc_param_struct p;
        gc_parse_error_t err;
        int all = strcmp(wrt, "all") == 0;

        if (!all && gc_param_set_str(&p, wrt, net->len, err) != GC_SUCCESS)
            rc = gc_cli_usage_error("--wrt: %s", err->msg);
        else
        {
            if (prec == 0)
            {
                if (digits == 0)
                    digits = 20;
                prec = gc_prec_for_digits(digits, net->len);
            }
            else
                digits = eval_digits_for_prec(prec, net->len);
            rc = eval_run(output, format, net, all ? NULL : &p, prec, digits);
        }
    }
    gc_net_clear(net);
    return rc;
}
