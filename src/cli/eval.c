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

#include <ctype.h>
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
    OPT_CERTIFY,
    OPT_SUMMARY
};

const char gc_cmd_eval_help[] =
    "Usage: gradchain eval [OPTION]... [NETWORK]\n"
    "Evaluate dC/db_j and dC/dw_j of every layer j (or of one parameter).\n"
    "Each value is printed with its exact decimal exponent.  The Arb engine\n"
    "proves every printed digit with ball arithmetic: the precision is\n"
    "doubled (Ziv loop) until the requested digits are certain, and if\n"
    "--max-prec is reached only the proven digits are printed and the exit\n"
    "status is 1 (sooner, saying 'not narrowing', where the balls are too\n"
    "wide for any precision up to --max-prec to prove them).  The default\n"
    "engine, fast, computes the whole table in binary64 with 64-bit\n"
    "exponents and a proven bound on every value's error when D <= 13\n"
    "(sigmoid layers only), and hands the network to the\n"
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
    "                           midpoint\n"
    "\n"
    "A wide network (a file with 'layer' blocks or vectors a0 and y, or\n"
    "--neurons) gives one row per neuron: layer,neuron,dC_db (dC/db^l_i),\n"
    "evaluated by the arb engine (fast is the chain's: a wide network\n"
    "uses arb) or mpfr.  There --wrt takes bL[I], the entry dC/db^L_I\n"
    "streamed forward in O(n^2) memory, or wL, the matrix dC/dW^L (rows\n"
    "neuron i, columns input k: neuron,input,dC_dw); both need arb.\n"
    "      --summary            wide networks: a second table, per layer, of\n"
    "                           ||dC/db^l||_2 and the largest and smallest\n"
    "                           |dC/db^l_i| (layer,norm,max_abs,min_abs;\n"
    "                           'summary' in JSON)\n";

static const struct option eval_longopts[] = {
    GC_NETOPTS_LONGOPTS,
    {"wrt", required_argument, NULL, OPT_WRT},
    {"prec", required_argument, NULL, OPT_PREC},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"max-prec", required_argument, NULL, OPT_MAX_PREC},
    {"certify", no_argument, NULL, OPT_CERTIFY},
    {"summary", no_argument, NULL, OPT_SUMMARY},
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

/* The end of the 'accuracy' line of a certified table whose Ziv loop
   returned *status* at precision *prec*: where the digits fall short,
   at --max-prec or where the loop stopped early (eval_shortfall). */
static const char *
eval_gap(int status, slong prec, slong max_prec)
{
    if (status == GC_SUCCESS)
        return "";
    return prec < max_prec
           ? "; '?' or fewer digits where the ball proves less and cannot "
             "narrow enough by --max-prec, or the value cannot be printed"
           : "; '?' or fewer digits where the ball at --max-prec proves "
             "less or the value cannot be printed";
}

/* The metadata of the evaluation: engine, precision_bits, digits and
   the accuracy line, for the chain's and the wide network's report. */
static void
eval_meta_accuracy(gc_report_t r, gc_engine_t engine, slong prec,
                   slong digits, int status, slong max_prec)
{
    char buf[256];

    gc_report_meta(r, "engine", gc_engine_name(engine));
    gc_report_meta_int(r, "precision_bits", prec);
    gc_report_meta_int(r, "digits", digits);
    if (engine != GC_ENGINE_MPFR)
        snprintf(buf, sizeof buf, "certified: every printed digit is proven "
                 "by %s%s", engine == GC_ENGINE_FAST
                                ? "a binary64 error bound" : "ball arithmetic",
                 eval_gap(status, prec, max_prec));
    else
        snprintf(buf, sizeof buf,
                 "round to nearest at %ld bits, not certified", (long) prec);
    gc_report_meta(r, "accuracy", buf);
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

/* Copies cols[0..ncols) to *own* (at most 5), its value columns (text,
   not a parameter's name nor an error bound) at least digits + 8
   characters wide: a sign, the digits and their point, and an exponent
   of up to four digits keep their column in the text table. */
static const gc_col_struct *
eval_cols(gc_col_struct * own, const gc_col_struct * cols, slong ncols,
          slong digits)
{
    slong i;

    memcpy(own, cols, ncols * sizeof *cols);
    for (i = 0; i < ncols; i++)
        if (own[i].kind == GC_COL_STR && strcmp(own[i].name, "param") != 0
            && strstr(own[i].name, "rel_error") == NULL)
            own[i].width = -(int) FLINT_MAX(-own[i].width, digits + 8);
    return own;
}

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
    char name[40];
    const char * cells[5];
    gc_col_struct cols[5];
    slong j, k, n, ncols = (e->p ? 2 : 3) + (e->certify ? (e->p ? 1 : 2) : 0);
    char * act;

    gc_report_init(r, out, e->format,
                   eval_cols(cols, e->p ? eval_one_cols : eval_all_cols,
                             ncols, e->digits),
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
    eval_meta_accuracy(r, !e->arb ? GC_ENGINE_MPFR
                          : e->prec == 53 ? GC_ENGINE_FAST : GC_ENGINE_ARB,
                       e->prec, e->digits, e->status, e->max_prec);

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

/* Returns GC_EXIT_EVAL after reporting when the evaluation's *status*
   gives no table: GC_DOMAIN, or an MPFR result (*arb* 0) that is not
   GC_SUCCESS; GC_EXIT_OK otherwise. */
static int
eval_refused(int status, int arb)
{
    if (status & GC_DOMAIN)
    {
        gc_cli_error("eval: %s", gc_status_str(status));
        return GC_EXIT_EVAL;
    }
    if (!arb && status != GC_SUCCESS)
    {
        /* a value beyond 2^(+-2^62) became 0 or infinite, or a relu's
           branch was taken on a sign the engine could not decide (z
           within rounding of 0 and not known exactly: _gc_exact_z,
           wexact_z): the table would show a wrong number */
        gc_cli_error("eval: the mpfr engine cannot vouch for this result (a "
                     "value left MPFR's exponent range, or the sign of z at "
                     "a relu or leaky-relu kink could not be decided: z is 0 "
                     "or within rounding of 0 behind a smooth layer, where "
                     "the exact z is known only through zero weights or a "
                     "sigmoid, tanh or gelu at 0); --engine arb prints only "
                     "what it proves");
        return GC_EXIT_EVAL;
    }
    return GC_EXIT_OK;
}

/* After a table printed with *uncertain* values short of *digits*, *lost*
   of them unprintable (already reported), the Ziv loop's last precision
   *prec*: reports the others and returns GC_EXIT_EVAL.  A loop that
   stopped below max_prec found that no precision up to it could prove
   them (_gc_ziv_loop's rule), so raising --max-prec is not the remedy. */
static int
eval_shortfall(slong uncertain, slong lost, slong digits, slong prec,
               slong max_prec)
{
    char what[48];

    if (uncertain > lost)
    {
        snprintf(what, sizeof what, "%ld value(s)", (long) (uncertain - lost));
        gc_netopts_shortfall("eval", what, digits, prec, max_prec);
    }
    return GC_EXIT_EVAL;
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

    rc = eval_refused(e->status, e->arb);
    if (rc == GC_EXIT_OK)
    {
        /* GC_UNABLE: print what the balls prove, then say why not more:
           values no precision can print, or --max-prec */
        rc = gc_netopts_emit(no, net, eval_write, e);
        if (rc == GC_EXIT_OK && e->status != GC_SUCCESS)
            rc = eval_shortfall(
                e->uncertain,
                e->p ? gc_netopts_unprintable("eval", e->av, 1)
                     : gc_netopts_unprintable("eval", e->at->db,
                                              2 * net->len),
                e->digits, e->prec, e->max_prec);
    }
    arb_clear(e->av);
    mpfr_clear(e->v);
    gc_arb_trace_clear(e->at);
    gc_trace_clear(e->t);
    return rc;
}

/* ---- wide networks --------------------------------------------------- */

/* Everything one evaluation of a wide network needs and produces. */
typedef struct
{
    const gc_wnet_struct * net;
    int arb;                   /* Arb balls; 0: MPFR */
    int certify;
    int summary;               /* --summary: the per-layer table too */
    slong digits;
    slong prec;                /* mpfr: the precision; arb: the last one */
    slong max_prec;
    gc_report_format_t format;
    slong wl, wi;              /* --wrt: 0 0 all; L I for bL[I]; L 0 wL */
    arb_ptr db;                /* noff[len] balls (all, wL) */
    mpfr_ptr mdb;              /* noff[len] numbers (mpfr) */
    arb_ptr dw;                /* n_L n_{L-1} balls (wL) */
    arb_t one;                 /* bL[I] */
    int status;
    slong uncertain;
} weval_struct;

static const gc_col_struct weval_all_cols[] = {
    {"layer", "layer", GC_COL_INT, 6},
    {"neuron", "neuron", GC_COL_INT, 6},
    {"dC_db", "dC/db^l_i", GC_COL_STR, -28},
    {"dC_db_rel_error_bound", "rel.err <=", GC_COL_STR, -10}};

static const gc_col_struct weval_dw_cols[] = {
    {"neuron", "i", GC_COL_INT, 6},
    {"input", "k", GC_COL_INT, 6},
    {"dC_dw", "dC/dW^l_ik", GC_COL_STR, -28},
    {"dC_dw_rel_error_bound", "rel.err <=", GC_COL_STR, -10}};

static const gc_col_struct weval_sum_cols[] = {
    {"layer", "layer", GC_COL_INT, 6},
    {"norm", "||dC/db^l||_2", GC_COL_STR, -16},
    {"max_abs", "max |dC/db^l_i|", GC_COL_STR, -16},
    {"min_abs", "min |dC/db^l_i|", GC_COL_STR, -16}};

/* Parses --wrt *arg* for the wide network *net*: all, bL[I] or wL. */
static int
weval_parse_wrt(weval_struct * e, const char * arg, const gc_wnet_t net)
{
    char * end = (char *) arg;
    long l = 0, i = 0;
    int ok = arg[0] == 'b' || arg[0] == 'w';

    if (strcmp(arg, "all") == 0)
        return GC_EXIT_OK;
    if (ok && isdigit((unsigned char) arg[1]))
        l = strtol(arg + 1, &end, 10);
    ok = ok && l >= 1 && l <= net->len;
    if (ok && arg[0] == 'b')
    {
        ok = end[0] == '[' && isdigit((unsigned char) end[1]);
        if (ok)
            i = strtol(end + 1, &end, 10);
        ok = ok && i >= 1 && i <= net->width[l] && end[0] == ']';
        end += ok;
    }
    if (!ok || *end != '\0')
        return gc_cli_usage_error("--wrt: expected all, bL[I] or wL with 1 "
                                  "<= L <= %ld and 1 <= I <= n_L, got '%s'",
                                  (long) net->len, arg);
    e->wl = l;
    e->wi = i;
    return GC_EXIT_OK;
}

/* The cells of a value: the ball's digits (or the MPFR number's) and,
   with --certify, its bound, at cells[0..); returns the count. */
static slong
weval_value(weval_struct * e, const char ** cells, arb_srcptr x,
            mpfr_srcptr m)
{
    if (!e->arb)
    {
        cells[0] = gc_mpfr_get_str_sci(m, e->digits);
        return 1;
    }
    cells[0] = gc_cli_ball_str(x, e->digits, &e->uncertain);
    if (!e->certify)
        return 1;
    cells[1] = eval_bound_str(x);
    return 2;
}

/* Writes the rows of a table whose first *nint* columns are the
   integers ints[0..nint) and whose value is x (or m). */
static void
weval_row(weval_struct * e, gc_report_t r, const slong * ints, slong nint,
          arb_srcptr x, mpfr_srcptr m)
{
    char buf[2][24];
    const char * cells[4];
    slong k, n;

    for (k = 0; k < nint; k++)
    {
        snprintf(buf[k], sizeof buf[k], "%ld", (long) ints[k]);
        cells[k] = buf[k];
    }
    n = weval_value(e, cells + nint, x, m);
    gc_report_row(r, cells);
    for (k = 0; k < n; k++)
        flint_free((char *) cells[nint + k]);
}

/* The per-layer table: norm, largest and smallest |dC/db^l_i|. */
static void
weval_summary(weval_struct * e, gc_report_t r, gc_col_struct * cols)
{
    const gc_wnet_struct * net = e->net;
    const char * cells[4];
    char buf[24];
    arb_t st[3];
    arb_ptr db = e->db;
    slong l, k, n = net->noff[net->len];

    gc_report_section(r, "summary",
                      eval_cols(cols, weval_sum_cols, 4, e->digits),
                      4);
    if (!e->arb)
    {
        /* the summary of the rounded values, each taken exactly */
        db = _arb_vec_init(n);
        for (k = 0; k < n; k++)
            arb_set_interval_mpfr(db + k, e->mdb + k, e->mdb + k, e->prec);
    }
    for (k = 0; k < 3; k++)
        arb_init(st[k]);
    for (l = 1; l <= net->len; l++)
    {
        gc_wnet_layer_stats_arb(st[0], st[1], st[2], db, net, l, e->prec);
        snprintf(buf, sizeof buf, "%ld", (long) l);
        cells[0] = buf;
        for (k = 0; k < 3; k++)
            cells[k + 1] = gc_cli_ball_str(st[k], e->digits,
                                           e->arb ? &e->uncertain : NULL);
        gc_report_row(r, cells);
        for (k = 1; k < 4; k++)
            flint_free((char *) cells[k]);
    }
    for (k = 0; k < 3; k++)
        arb_clear(st[k]);
    if (!e->arb)
        _arb_vec_clear(db, n);
}

static int
weval_write(FILE * out, const void * ctx)
{
    weval_struct * e = (weval_struct *) ctx;
    const gc_wnet_struct * net = e->net;
    gc_report_t r;
    char name[48];
    const char * cells[3];
    gc_col_struct cols[4], sum[4];
    slong l, i, k, ints[2], n;

    if (e->wi != 0)
        gc_report_init(r, out, e->format,
                       eval_cols(cols, eval_one_cols, 2 + e->certify,
                                 e->digits),
                       2 + e->certify);
    else
        gc_report_init(r, out, e->format,
                       eval_cols(cols, e->wl != 0 ? weval_dw_cols
                                                  : weval_all_cols,
                                 3 + e->certify, e->digits),
                       3 + e->certify);
    gc_report_meta_int(r, "layers", net->len);
    gc_cli_meta_wide(r, net);
    gc_report_meta(r, "cost", gc_cost_name(net->cost));
    eval_meta_accuracy(r, e->arb ? GC_ENGINE_ARB : GC_ENGINE_MPFR, e->prec,
                       e->digits, e->status, e->max_prec);

    if (e->wi != 0)
    {
        snprintf(name, sizeof name, "b%ld[%ld]", (long) e->wl, (long) e->wi);
        cells[0] = name;
        n = weval_value(e, cells + 1, e->one, NULL);
        gc_report_row(r, cells);
        for (k = 1; k <= n; k++)
            flint_free((char *) cells[k]);
    }
    else if (e->wl != 0)
    {
        gc_report_meta_int(r, "layer", e->wl);
        for (i = 1; i <= net->width[e->wl]; i++)
            for (k = 1; k <= net->width[e->wl - 1]; k++)
            {
                ints[0] = i;
                ints[1] = k;
                weval_row(e, r, ints, 2, e->dw + (i - 1)
                          * net->width[e->wl - 1] + k - 1, NULL);
            }
    }
    else
    {
        for (l = 1; l <= net->len; l++)
            for (i = 1; i <= net->width[l]; i++)
            {
                ints[0] = l;
                ints[1] = i;
                n = gc_wnet_neuron_index(net, l, i);
                weval_row(e, r, ints, 2, e->arb ? e->db + n : NULL,
                          e->arb ? NULL : e->mdb + n);
            }
        if (e->summary)
            weval_summary(e, r, sum);
    }
    return gc_report_clear(r);
}

/* Evaluates the wide network of *e* and writes its report (and the
   network, as *no* says).  Returns an exit status. */
static int
weval_run(weval_struct * e, const gc_netopts_struct * no)
{
    const gc_wnet_struct * net = e->net;
    slong k, n = net->noff[net->len];
    slong ndw = e->wl != 0 && e->wi == 0
                ? net->width[e->wl] * net->width[e->wl - 1] : 0;
    int rc;

    e->db = _arb_vec_init(e->arb && e->wi == 0 ? n : 0);
    e->dw = _arb_vec_init(ndw);
    e->mdb = flint_malloc((e->arb ? 1 : n) * sizeof(mpfr_t));
    for (k = 0; !e->arb && k < n; k++)
        mpfr_init2(e->mdb + k, e->prec);
    arb_init(e->one);

    if (!e->arb)
        e->status = gc_wnet_eval_mpfr(e->mdb, net);
    else if (e->wi != 0)
        e->status = gc_wnet_eval_entry_arb_digits(e->one, net, e->wl, e->wi,
                                                  e->digits, e->max_prec,
                                                  &e->prec);
    else if (ndw != 0)
        e->status = gc_wnet_eval_dw_arb_digits(e->dw, e->db, net, e->wl,
                                               e->digits, e->max_prec,
                                               &e->prec);
    else
        e->status = gc_wnet_eval_arb_digits(e->db, net, e->digits,
                                            e->max_prec, &e->prec);

    rc = eval_refused(e->status, e->arb);
    if (rc == GC_EXIT_OK)
    {
        rc = gc_netopts_emit_wide(no, net, weval_write, e);
        if (rc == GC_EXIT_OK && (e->status != GC_SUCCESS || e->uncertain))
            rc = eval_shortfall(
                e->uncertain,
                e->wi != 0 ? gc_netopts_unprintable("eval", e->one, 1)
                : ndw != 0 ? gc_netopts_unprintable("eval", e->dw, ndw)
                           : gc_netopts_unprintable("eval", e->db,
                                                    e->arb ? n : 0),
                e->digits, e->prec, e->max_prec);
    }
    arb_clear(e->one);
    for (k = 0; !e->arb && k < n; k++)
        mpfr_clear(e->mdb + k);
    flint_free(e->mdb);
    _arb_vec_clear(e->dw, ndw);
    _arb_vec_clear(e->db, e->arb && e->wi == 0 ? n : 0);
    return rc;
}

/* eval on the wide network *net*: the engine, digits and --wrt of the
   chain's options *c*, the memory checked first. */
static int
weval(const gc_wnet_t net, const eval_struct * c, const char * wrt,
      slong prec, int summary, const gc_netopts_struct * no)
{
    weval_struct e;
    size_t bytes;
    int rc;

    memset(&e, 0, sizeof e);
    e.net = net;
    e.arb = c->arb;
    e.certify = c->certify;
    e.summary = summary;
    e.max_prec = c->max_prec;
    e.format = no->format;
    rc = weval_parse_wrt(&e, wrt, net);
    if (rc == GC_EXIT_OK && e.wl != 0 && !e.arb)
        return gc_cli_usage_error("--wrt %s: one entry or one layer's "
                                  "weights of a wide network need --engine "
                                  "arb", wrt);
    if (rc == GC_EXIT_OK && summary && e.wl != 0)
        return gc_cli_usage_error("--summary is for the table of every "
                                  "layer, not --wrt %s", wrt);
    if (rc != GC_EXIT_OK)
        return rc;
    if (prec == 0)
    {
        e.digits = no->digits != 0 ? no->digits : 20;
        e.prec = gc_prec_for_digits(e.digits, net->len);
    }
    else
    {
        e.digits = gc_digits_for_prec(prec, net->len);
        e.prec = e.max_prec = prec;
    }
    bytes = !e.arb ? gc_wnet_eval_mpfr_bytes(net, e.prec)
            : e.wi != 0 ? gc_wnet_eval_entry_arb_bytes(net, e.prec)
                        : gc_wnet_eval_arb_bytes(net, e.prec);
    if (e.wl != 0 && e.wi == 0)
        bytes = gc_cli_bytes_add(
            bytes, gc_wnet_eval_entry_arb_bytes(net, e.prec));
    rc = gc_cli_check_memory("eval", bytes, net->len,
                             "for every neuron's gradient",
                             "use --wrt bL[I] to stream one entry in O(n^2) "
                             "memory");
    return rc == GC_EXIT_OK ? weval_run(&e, no) : rc;
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
    gc_wnet_t wide;
    int is_wide, summary = 0;
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
            case OPT_SUMMARY:
                summary = 1;
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
    gc_wnet_init(wide);
    rc = gc_netopts_load_any(net, wide, &is_wide, &no, argc - optind,
                             argv + optind);
    if (rc == GC_EXIT_OK && is_wide)
        rc = weval(wide, &e, wrt, prec, summary, &no);
    else if (rc == GC_EXIT_OK && summary)
        rc = gc_cli_usage_error("--summary is for wide networks (a chain's "
                                "table has one neuron a layer)");
    else if (rc == GC_EXIT_OK)
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
    gc_wnet_clear(wide);
    gc_net_clear(net);
    return rc;
}
