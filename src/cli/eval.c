/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* eval.c -- 'gradchain eval': every gradient of a chain (or one,
   streamed), certified in binary64 with a proven error bound or with Arb
   balls, or rounded with MPFR. */

#include <stdlib.h>
#include <string.h>

#include "netopts.h"
#include "output.h"

enum
{
    OPT_WRT = GC_NETOPT_LOCAL,
    OPT_PREC,
    OPT_ENGINE,
    OPT_MAX_PREC,
    OPT_CERTIFY
};

const char gc_cmd_eval_help[] =
    "Usage: gradchain eval [OPTION]... [NETWORK]\n"
    "Evaluate dC/db_j and dC/dw_j of every layer j (or of one parameter).\n"
    "Each value is printed with its exact decimal exponent.  The Arb engine\n"
    "proves every printed digit with ball arithmetic: the precision is\n"
    "doubled (Ziv loop) until the requested digits are certain, and if\n"
    "--max-prec is reached only the proven digits are printed and the exit\n"
    "status is 1.  The default engine, fast, computes the whole table in\n"
    "binary64 with 64-bit exponents and a proven bound on every value's\n"
    "error when D <= 13 (sigmoid layers only), and hands the network to the\n"
    "Arb engine when D > 13, another activation, or a bound that does not\n"
    "decide a digit: the printed digits are the Arb engine's either way,\n"
    "and the 'engine' line says which one decided them.  The MPFR engine\n"
    "rounds to nearest at a working precision with guard bits for the depth\n"
    "and says that its digits are not certified.\n"
    "\n"
    "      --wrt all|bJ|wJ      all layers (default), or the single parameter\n"
    "                           b_J or w_J computed forward in O(1) memory\n"
    "      --digits D           significant digits (default 20)\n"
    "      --engine fast|arb|mpfr\n"
    "                           certified, binary64 first (default);\n"
    "                           certified, Arb balls only; or MPFR rounding\n"
    "                           (--wrt streams with Arb in both certified\n"
    "                           engines)\n"
    "      --prec BITS          working precision in bits instead of --digits\n"
    "                           (arb: the maximum; the digits follow from\n"
    "                           it; at most " GC_MAX_PREC_LIMIT_STR ")\n"
    "      --max-prec BITS      arb: give up above this precision (default\n"
    "                           " GC_MAX_PREC_DEFAULT_STR ", at most "
    GC_MAX_PREC_LIMIT_STR ")\n"
    "      --certify            fast, arb: add the proven bound on the\n"
    "                           relative error of each value's ball\n"
    "                           midpoint\n";

static const struct option eval_longopts[] = {
    GC_NETOPTS_LONGOPTS,
    {"wrt", required_argument, NULL, OPT_WRT},
    {"prec", required_argument, NULL, OPT_PREC},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"max-prec", required_argument, NULL, OPT_MAX_PREC},
    {"certify", no_argument, NULL, OPT_CERTIFY},
    {NULL, 0, NULL, 0}};

/* Everything one evaluation needs and produces. */
typedef struct
{
    const gc_net_struct * net;
    const gc_param_struct * p; /* NULL: all layers */
    int arb;                   /* a certified engine: fast or arb */
    int fast;                  /* the fast engine (then arb too) */
    int certify;
    slong digits;
    slong prec;                /* mpfr: the precision; arb: the last one
                                  (53: the fast path decided) */
    slong max_prec;
    gc_report_format_t format;
    /* results: db/dw of every layer, or v for one parameter */
    gc_trace_t t;
    gc_arb_trace_t at;
    mpfr_t v;
    arb_t av;
    int status;                /* of the evaluation */
    slong uncertain;           /* values with fewer digits than asked */
} eval_struct;

/* The proven relative error bound of the ball *x*, rounded up. */
static char *
eval_bound_str(const arb_t x)
{
    mpfr_t b;
    char * s;

    mpfr_init2(b, 32);
    gc_arb_rel_error_bound(b, x);
    s = gc_mpfr_get_str_sci_round(b, 2, MPFR_RNDU);
    mpfr_clear(b);
    return s;
}

static const gc_col_struct eval_all_cols[] = {
    {"layer", "layer", GC_COL_INT, 6},
    {"dC_db", "dC/db_j", GC_COL_STR, -28},
    {"dC_dw", "dC/dw_j", GC_COL_STR, -28},
    {"dC_db_rel_error_bound", "db rel.err <=", GC_COL_STR, -13},
    {"dC_dw_rel_error_bound", "dw rel.err <=", GC_COL_STR, -13}};

static const gc_col_struct eval_one_cols[] = {
    {"param", "parameter", GC_COL_STR, -9},
    {"value", "derivative", GC_COL_STR, -28},
    {"rel_error_bound", "rel.err <=", GC_COL_STR, -10}};

/* Fills cells[0..) of one row: the value(s) of layer j (p == NULL) or of
   the parameter; the strings from index 1 on are freed by the caller. */
static slong
eval_row(eval_struct * e, const char ** cells, slong j)
{
    slong n = 1;

    if (e->arb)
    {
        arb_srcptr db = e->p ? e->av : e->at->db + j - 1;
        arb_srcptr dw = e->p ? NULL : e->at->dw + j - 1;

        cells[n++] = gc_cli_ball_str(db, e->digits, &e->uncertain);
        if (dw != NULL)
            cells[n++] = gc_cli_ball_str(dw, e->digits, &e->uncertain);
        if (e->certify)
        {
            cells[n++] = eval_bound_str(db);
            if (dw != NULL)
                cells[n++] = eval_bound_str(dw);
        }
    }
    else if (e->p != NULL)
        cells[n++] = gc_mpfr_get_str_sci(e->v, e->digits);
    else
    {
        cells[n++] = gc_mpfr_get_str_sci(e->t->db + j - 1, e->digits);
        cells[n++] = gc_mpfr_get_str_sci(e->t->dw + j - 1, e->digits);
    }
    return n;
}

/* Adds one to the decimal numeral *s* (which has room for one more
   digit): the layer column counts up without a printf a row. */
static void
numeral_increment(char * s)
{
    size_t n = strlen(s), i = n;

    while (i > 0 && s[i - 1] == '9')
        s[--i] = '0';
    if (i > 0)
        s[i - 1]++;
    else
    {
        memmove(s + 1, s, n + 1);
        s[0] = '1';
    }
}

static int
eval_write(FILE * out, const void * ctx)
{
    eval_struct * e = (eval_struct *) ctx;
    gc_report_t r;
    char name[40], buf[160];
    const char * cells[5];
    slong j, k, n, ncols = (e->p ? 2 : 3) + (e->certify ? (e->p ? 1 : 2) : 0);
    char * act;

    gc_report_init(r, out, e->format, e->p ? eval_one_cols : eval_all_cols,
                   ncols);
    gc_report_meta_int(r, "layers", e->net->len);
    act = gc_activation_get_str(&e->net->act);
    /* a file with per-layer names: the default, and that there are some */
    if (e->net->layer_act != NULL)
    {
        char * both = flint_malloc(strlen(act) + 32);

        sprintf(both, "%s, per-layer overrides", act);
        flint_free(act);
        act = both;
    }
    gc_report_meta(r, "activation", act);
    flint_free(act);
    gc_report_meta(r, "cost", gc_cost_name(e->net->cost));
    gc_report_meta(r, "engine",
                   gc_engine_name(!e->arb ? GC_ENGINE_MPFR
                                  : e->prec == 53 ? GC_ENGINE_FAST
                                                  : GC_ENGINE_ARB));
    gc_report_meta_int(r, "precision_bits", e->prec);
    gc_report_meta_int(r, "digits", e->digits);
    if (e->arb)
        snprintf(buf, sizeof buf, "certified: every printed digit is proven "
                 "by %s%s", e->prec == 53 ? "a binary64 error bound"
                                         : "ball arithmetic",
                 e->status != GC_SUCCESS ? "; '?' or fewer digits where the "
                                           "ball at --max-prec proves less "
                                           "or the value cannot be printed"
                                         : "");
    else
        snprintf(buf, sizeof buf,
                 "round to nearest at %ld bits, not certified",
                 (long) e->prec);
    gc_report_meta(r, "accuracy", buf);

    cells[0] = name;
    strcpy(name, "0");
    for (j = 1; j <= (e->p ? 1 : e->net->len); j++)
    {
        if (e->p)
        {
            char * s = gc_param_get_str(e->p);

            snprintf(name, sizeof name, "%s", s);
            flint_free(s);
        }
        else
            numeral_increment(name);
        n = eval_row(e, cells, j);
        gc_report_row(r, cells);
        for (k = 1; k < n; k++)
            flint_free((char *) cells[k]);
    }
    return gc_report_clear(r);
}

/* Evaluates *e* and writes its report (and the network, as *no* says).
   Returns an exit status. */
static int
eval_run(eval_struct * e, const gc_netopts_struct * no)
{
    int rc;
    const gc_net_struct * net = e->net;

    gc_trace_init(e->t, e->p == NULL && !e->arb ? net->len : 0, e->prec);
    /* eval prints dC/db_j and dC/dw_j only: a gradients-only trace */
    gc_arb_trace_init_grads(e->at, e->p == NULL && e->arb ? net->len : 0);
    mpfr_init2(e->v, e->prec);
    arb_init(e->av);
    e->uncertain = 0;

    if (e->fast && e->p == NULL)
        e->status = gc_eval_fast_digits(e->at, net, e->digits,
                                        e->max_prec, &e->prec);
    else if (e->arb && e->p == NULL)
        e->status = gc_eval_arb_digits(e->at, net, e->digits,
                                       e->max_prec, &e->prec);
    else if (e->arb)
        e->status = gc_eval_param_arb_digits(e->av, net, e->p, e->digits,
                                             e->max_prec, &e->prec);
    else if (e->p == NULL)
        e->status = gc_eval_mpfr(e->t, net);
    else
        e->status = gc_eval_param_mpfr(e->v, net, e->p);

    if (e->status & GC_DOMAIN)
    {
        gc_cli_error("eval: %s", gc_status_str(e->status));
        rc = GC_EXIT_EVAL;
    }
    else if (!e->arb && e->status != GC_SUCCESS)
    {
        /* a value beyond 2^(+-2^62) became 0 or infinite, or a relu's
           branch was taken on a sign the engine could not decide: the
           table would show a wrong number */
        gc_cli_error("eval: the mpfr engine cannot vouch for this result (a "
                     "value left MPFR's exponent range, or the sign of z at "
                     "a relu or leaky-relu kink could not be decided); the "
                     "arb engine prints only what it proves");
        rc = GC_EXIT_EVAL;
    }
    else
    {
        /* GC_UNABLE: print what the balls prove, then say why not more:
           values no precision can print, or --max-prec */
        rc = gc_netopts_emit(no, net, eval_write, e);
        if (rc == GC_EXIT_OK && e->status != GC_SUCCESS)
        {
            slong lost = e->p ? gc_netopts_unprintable("eval", e->av, 1)
                              : gc_netopts_unprintable("eval", e->at->db,
                                                       2 * net->len);

            if (e->uncertain > lost)
                gc_cli_error("eval: %ld value(s) with fewer than %ld proven "
                             "digits at --max-prec %ld bits",
                             (long) (e->uncertain - lost), (long) e->digits,
                             (long) e->max_prec);
            rc = GC_EXIT_EVAL;
        }
    }
    arb_clear(e->av);
    mpfr_clear(e->v);
    gc_arb_trace_clear(e->at);
    gc_trace_clear(e->t);
    return rc;
}

int
gc_cmd_eval(int argc, char ** argv)
{
    gc_netopts_struct no;
    eval_struct e;
    gc_param_t p;
    const char * wrt = "all";
    slong prec = 0;
    gc_net_t net;
    gc_cli_opts_struct cli = {gc_cmd_eval_help, gc_netopts_help,
                              gc_netopts_parse, &no};
    int opt, rc = GC_EXIT_OK;

    memset(&e, 0, sizeof e);
    e.arb = e.fast = 1;
    e.max_prec = GC_MAX_PREC_DEFAULT;
    gc_netopts_init(&no);
    while ((opt = gc_cli_getopt(argc, argv, eval_longopts, &cli, &rc)) > 0)
    {
        switch (opt)
        {
            case OPT_WRT:
                wrt = optarg;
                break;
            case OPT_PREC:
                rc = gc_cli_parse_slong(&prec, optarg, "--prec", 2,
                                        GC_MAX_PREC_LIMIT);
                break;
            case OPT_ENGINE:
            {
                gc_engine_t engine = GC_ENGINE_FAST;

                rc = gc_netopts_parse_engine(
                    &engine, optarg,
                    1u << GC_ENGINE_FAST | 1u << GC_ENGINE_ARB
                        | 1u << GC_ENGINE_MPFR,
                    "eval evaluates with fast, arb or mpfr; 'replay' is "
                    "what compare does");
                e.fast = (engine == GC_ENGINE_FAST);
                e.arb = e.fast || engine == GC_ENGINE_ARB;
                break;
            }
            case OPT_MAX_PREC:
                rc = gc_cli_parse_slong(&e.max_prec, optarg, "--max-prec", 2,
                                        GC_MAX_PREC_LIMIT);
                break;
            case OPT_CERTIFY:
                e.certify = 1;
                break;
        }
    }
    if (opt == GC_CLI_STOP)
        return rc;
    if (prec != 0 && no.digits != 0)
        return gc_cli_usage_error("give --prec or --digits, not both");
    if (e.certify && !e.arb)
        return gc_cli_usage_error("--certify needs --engine fast or arb");

    no.engines[0] = e.fast  ? GC_ENGINE_FAST
                    : e.arb ? GC_ENGINE_ARB
                            : GC_ENGINE_MPFR;
    no.nengines = 1;
    gc_net_init(net);
    rc = gc_netopts_load(net, &no, argc - optind, argv + optind);
    if (rc == GC_EXIT_OK)
    {
        e.net = net;
        e.format = no.format;
        if (strcmp(wrt, "all") != 0)
        {
            rc = gc_cli_parse_param(p, wrt, "--wrt", net->len);
            e.p = p;
        }
        if (prec == 0)
        {
            e.digits = no.digits != 0 ? no.digits : 20;
            e.prec = gc_prec_for_digits(e.digits, net->len);
        }
        else
        {
            e.digits = gc_digits_for_prec(prec, net->len);
            e.prec = prec;
            e.max_prec = prec;
        }
        /* the table of every layer is refused before it starts if the
           memory cannot hold it (the Ziv loop's first precision; the
           fast path's scratch is freed before Arb runs, the sum bounds
           both) */
        if (rc == GC_EXIT_OK && e.p == NULL)
            rc = gc_cli_check_memory(
                "eval", e.arb ? gc_cli_bytes_add(
                                    gc_eval_arb_grads_bytes(net->len, e.prec),
                                    e.fast ? gc_eval_fast_bytes(net->len) : 0)
                              : gc_eval_mpfr_bytes(net->len, e.prec),
                net->len, "for the table of every layer",
                "use --wrt bJ to stream one parameter in O(1) memory");
        if (rc == GC_EXIT_OK)
            rc = eval_run(&e, &no);
    }
    gc_net_clear(net);
    return rc;
}
