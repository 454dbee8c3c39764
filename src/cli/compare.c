/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* compare.c -- 'gradchain compare': the certified gradient of every layer
   beside its replay in machine number formats, where each format goes
   subnormal, to zero or to infinity, and what loss scaling buys. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "replayopts.h"

enum
{
    OPT_MAX_PREC = GC_REPLAYOPT_LOCAL,
    OPT_ENGINE,
    OPT_SUMMARY
};

const char gc_cmd_compare_help[] =
    "Usage: gradchain compare [OPTION]... [NETWORK]\n"
    "Replay the chain in machine number formats and compare every dC/db_j\n"
    "with its exact value, whose printed digits are proven: by a binary64\n"
    "error bound (the fast engine, for up to 13 digits) or by Arb ball\n"
    "arithmetic where that bound does not decide a digit or a relative\n"
    "error; the output is the same either way but for the header lines\n"
    "exact_precision_bits (53: the fast engine decided) and exact.\n"
    "Hardware formats use the C types and the C library's exp; binary16,\n"
    "bfloat16 and FP8 are emulated bit for bit with MPFR (correct\n"
    "rounding after every operation, subnormals, the format's range).  Every\n"
    "parameter is first rounded to the format.  For each layer: the exact\n"
    "value, each format's value, its relative error to the exact value\n"
    "(3 digits, proven: Arb refines the exact values up to 4096 bits\n"
    "until they decide them) and class (normal,\n"
    "subnormal, zero, infinite, nan); then, per format, the first layer\n"
    "counted from the output where it goes subnormal, to zero, to infinity\n"
    "or NaN, or where an operation overflowed (saturation included: every\n"
    "gradient below is computed from it), with the exact value there; the\n"
    "parameters the format changed; and, with --loss-scale, the layers the\n"
    "scaling gains (negative when it makes an overflow lose more).  Under a\n"
    "scale the value and class are of the unscaled gradient, and the\n"
    "subnormal events of the scaled one the format holds, as in sweep.\n"
    "\n"
    "      --formats LIST       comma-separated formats (default binary64):\n"
    "                           binary64 binary32 x87 binary128 binary16\n"
    "                           bfloat16 e5m2 e4m3 (FP8 E4M3FN saturates at\n"
    "                           448; e4m3:nan makes overflow NaN),\n"
    "                           binary64-emu binary32-emu (MPFR twins),\n"
    "                           custom:P,EMIN,EMAX, mixed:STORAGE/COMPUTE;\n"
    "                           emulated formats take modifiers :rz :ru :rd\n"
    "                           (directed rounding), :sr (stochastic), :ftz\n"
    "                           (flush subnormals to zero), :sat :nan :inf\n"
    "                           (overflow), e.g. bfloat16:sr:ftz\n"
    "      --sequence pytorch|textbook|stable  operation sequence (default\n"
    "                           pytorch: PyTorch 1.13 autograd on CPU op for\n"
    "                           op, sigmoid delta = (g*(1-a))*a; textbook:\n"
    "                           s' = f'(z), delta = (delta*w)*s' (formerly\n"
    "                           'framework', still accepted); stable: s'\n"
    "                           from exp(-|z|), no cancellation)\n"
    "      --loss-scale S       multiply dC/da_L by S before the backward pass\n"
    "                           and divide the gradients by S after it, as\n"
    "                           PyTorch's GradScaler (S: 2^16, 65536, ...)\n"
    "      --engine fast|arb    the exact values: binary64 first, Arb\n"
    "                           where it does not decide (default); or\n"
    "                           Arb balls only\n"
    "      --max-prec BITS      give up proving digits of the exact values\n"
    "                           above this precision (default "
    GC_MAX_PREC_DEFAULT_STR ",\n"
    "                           at most " GC_MAX_PREC_LIMIT_STR "); a relative\n"
    "                           error they do not decide prints '?' (exit 1)\n"
    "      --summary            print the summaries only, not every layer\n"
    "      --sr-seed N          seed of the stochastic rounding of :sr formats\n"
    "                           (default 0): the same seed, the same run\n"
    "CSV output is one tidy table: layer,format,value,exact,rel_error,class.\n"
    "Memory grows with the layers: the exact values of every layer, the\n"
    "gradients of every format (36 bytes a layer for formats up to binary64;\n"
    "none with --summary, which replays the formats one at a time) and,\n"
    "while a format replays, three numbers a layer of its forward pass.\n"
    "\n"
    "A wide network (a file with 'layer' blocks or vectors a0 and y, or\n"
    "--neurons) is replayed with each matrix-vector product summed left to\n"
    "right, product and sum each rounded, no fma (gradchain(3),\n"
    "gc_wreplay); its exact values come from Arb (--engine fast is the\n"
    "chain's), the relative errors printed decided against the exact\n"
    "values.  One row per neuron: layer,neuron,format,value,exact,\n"
    "rel_error,class in CSV; then the table 'norms', each format's\n"
    "||dC/db^l||_2 against the exact norm: layer,format,norm,exact_norm,\n"
    "rel_error (CSV too; not with --summary).  The summary gives, per\n"
    "format, the first layer from the output where any entry and where\n"
    "every entry of dC/db^l is subnormal, zero, or infinite or NaN\n"
    "(subnormal-any, subnormal-every, zero-any, zero-every, nonfinite-any,\n"
    "nonfinite-every; subnormal-every: no normal entry left, every one\n"
    "subnormal or zero; for -any a subnormal or zero entry counts only\n"
    "where the exact entry is not 0, for -every the exact vector must not\n"
    "be 0), with the exact norm there; the loss scaling's first\n"
    "zero is zero-every, where the gradient's norm dies.\n";

static const struct option compare_longopts[] = {
    GC_NETOPTS_LONGOPTS,
    GC_REPLAYOPTS_LONGOPTS,
    {"max-prec", required_argument, NULL, OPT_MAX_PREC},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {NULL, 0, NULL, 0}};

/* What the sections after the layers read of one replay, kept after the
   replay itself is dropped or reused: its events (losses against the
   exact values), counts and first flagged parameters. */
typedef struct
{
    gc_death_struct death;
    const gc_numfmt_struct * value_format;
    int scaled;
    slong scale_overflow;
    slong overflow_layer;  /* gc_replay_struct's: saturation included */
    slong changed;
    slong overflowed;
    slong underflowed;
    slong overflows;
    slong first_overflow;  /* parameter layers, gc_replay_first_param */
    slong first_underflow;
    /* the first zero of the loss scaling section: death's, or for a
       wide network the first layer whose every entry is zero */
    slong first_zero;
    int wide;
    slong wev[6];          /* wide: compare_wide_events */
} compare_sum_struct;

typedef struct
{
    const gc_net_struct * net;       /* the chain, or NULL: */
    const gc_wnet_struct * wnet;     /* the wide network, or NULL */
    slong len;                       /* layers */
    const gc_random_struct * random; /* the random chain's, NULL: a file */
    const gc_replayopts_struct * ro; /* formats, sequence, loss scale */
    slong digits;
    slong max_prec;
    slong prec;              /* precision of the exact values' balls
                                (53: the fast path decided them) */
    int fast;                /* --engine fast */
    gc_report_format_t format;
    int summary_only;
    gc_arb_trace_t exact;
    /* per format, keeping only the gradients (GC_REPLAY_GRADS): the run
       asked for, which the layer rows read; NULL with --summary, which
       replays the formats one at a time into one replay */
    gc_replay_struct * rp;
    compare_sum_struct * sum;  /* per format: the run asked for */
    compare_sum_struct * sum0; /* per format: unscaled, with --loss-scale */
    int exact_status;          /* of the exact values' evaluation */
    int rel_open;              /* a printed relative error not decided */
    /* a wide network: the exact dC/db^l_i (gc_wnet_neuron_index order)
       and ||dC/db^l||_2, and the kept replays (rp's, NULL: --summary) */
    arb_ptr wdb;
    arb_ptr wnorm;
    gc_wreplay_struct * wrp;
} compare_struct;


/* Returns 1 if the relative error of *v* against the ball *x* prints
   (compare_rel_error, from x's midpoint) as the relative error of v to
   any number of x prints: to the exact value, and to the midpoint of
   any ball of Arb's or the fast path's that is no wider than x around
   it; 0 if that is not shown.

   Let m = mid(x), eps >= rad(x)/|x'| for every x' in x
   (gc_arb_rel_error_bound), and r = |v - m|/|m|.  The exact value e is
   in x, and the midpoint m' of another such ball within its radius of
   e, so |m' - m| <= 2 rad(x) <= d |m| with d = 2 eps (m' = e: d = eps
   suffices), and for d <= 1/4
       |r' - r| <= d (1 + r)/(1 - d) <= 4 eps (1 + r)
   for r' = |v - m'|/|m'|.  gc_arb_rel_error computes r and r' within a
   relative 2^-62 (two roundings at 80 bits, one at 64), so the computed
   r' lies within D = 4 eps (1 + r) + r 2^-56 of the computed r (bounds
   rounded up).  Printing to 3 digits rounds to nearest, a monotone map:
   if r - D and r + D print alike, so does everything between them, r'
   included.  Where the midpoint is 0 or v is not finite both print
   "-" (the fast path decides only exact zeros, and so does Arb); where
   v = 0 both print 1, exactly |0 - m|/|m| for any m != 0.  An exact
   ball (radius 0) decides it: its midpoint is the exact value. */
/* Returns 1 if the numbers 0 < *lo* <= *hi* print alike with 3 digits,
   0 otherwise.  gc_mpfr_get_str_sci rounds to nearest: with A = lo
   10^-k, B = hi 10^-k in [100, 1000) and n = floor(A), they print alike
   if A - n < 1/2 and B - n < 1/2 (both round to n), or A - n > 1/2 and
   B - n < 3/2 (both to n + 1).  Decided in double where the scaled
   values lie in [100.5, 999): their computed a <= A and b >= B, since
   pow, the products and the factors 1 -/+ 2^-40 err by at most 8 u
   together, and a - n (Sterbenz) and b - n (or it exceeds 100) are
   exact; elsewhere by the strings. */
static int
compare_same_3_digits(const mpfr_t lo, const mpfr_t hi)
{
    double a = mpfr_get_d(lo, MPFR_RNDD), b = mpfr_get_d(hi, MPFR_RNDU);
    int same;
    char * s, * t;

    if (a >= 1e-290 && b <= 1e290)
    {
        double p = pow(10.0, 2 - floor(log10(a)));

        a *= p * (1 - 0x1p-40);
        b *= p * (1 + 0x1p-40);
        if (a >= 100.5 && b < 999.0)
        {
            double n = floor(a);

            return (a - n < 0.5 && b - n < 0.5)
                   || (a - n > 0.5 && b - n < 1.5);
        }
    }
    s = gc_mpfr_get_str_sci(lo, 3);
    t = gc_mpfr_get_str_sci(hi, 3);
    same = strcmp(s, t) == 0;
    flint_free(s);
    flint_free(t);
    return same;
}

static int
compare_rel_error_decided(const mpfr_t v, const arb_t x)
{
    mpfr_t r, eps, lo, hi;
    int ok = 1;

    /* an exact ball's midpoint is the exact value (where the test below
       would see the sign of 0 - 0) */
    if (mpfr_zero_p(v) || arb_is_exact(x))
        return 1;
    mpfr_inits2(64, r, eps, lo, hi, (mpfr_ptr) 0);
    if (gc_arb_rel_error(r, v, x) == GC_SUCCESS)
    {
        gc_arb_rel_error_bound(eps, x);
        ok = mpfr_cmp_d(eps, 0.125) <= 0;
        if (ok)
        {
            mpfr_add_ui(lo, r, 1, MPFR_RNDU);
            mpfr_mul(lo, lo, eps, MPFR_RNDU);
            mpfr_mul_2ui(lo, lo, 2, MPFR_RNDU);
            mpfr_div_2ui(hi, r, 56, MPFR_RNDU);
            mpfr_add(eps, lo, hi, MPFR_RNDU); /* D */
            mpfr_sub(lo, r, eps, MPFR_RNDD);
            mpfr_add(hi, r, eps, MPFR_RNDU);
            ok = mpfr_sgn(lo) >= 0 && compare_same_3_digits(lo, hi);
        }
    }
    mpfr_clears(r, eps, lo, hi, (mpfr_ptr) 0);
    return ok;
}

/* The relative error of *v* against the ball *x* (its midpoint), with 3
   digits; "-" when undefined (v not finite, or x's midpoint 0); "?" when
   the ball does not decide them (compare_rel_error_decided: a --max-prec
   below what they need). */
static char *
compare_rel_error(const mpfr_t v, const arb_t x)
{
    mpfr_t e;
    char * s;

    mpfr_init2(e, 64);
    if (gc_arb_rel_error(e, v, x) != GC_SUCCESS)
    {
        s = flint_malloc(2);
        strcpy(s, "-");
    }
    else if (!compare_rel_error_decided(v, x))
    {
        s = flint_malloc(2);
        strcpy(s, "?");
    }
    else
        s = gc_mpfr_get_str_sci(e, 3);
    mpfr_clear(e);
    return s;
}

/* Returns 1 if every relative error that the layer rows print is the
   relative error to the exact value (compare_rel_error_decided); stops
   at the first that is not shown,
   looking first near the output, where the formats' values are nonzero
   and their errors smallest. */
static int
compare_rel_errors_decided(const compare_struct * c)
{
    slong j, i;
    int ok = 1;
    mpfr_t x;

    if (c->rp == NULL) /* --summary prints none */
        return 1;
    mpfr_init2(x, 2);
    for (j = c->net->len; ok && j >= 1; j--)
        for (i = 0; ok && i < c->ro->nfmts; i++)
        {
            mpfr_set_prec(x, c->rp[i].prec); /* exact */
            gc_replay_get_db(x, c->rp + i, j);
            ok = compare_rel_error_decided(x, c->exact->db + j - 1);
        }
    mpfr_clear(x);
    return ok;
}

static const gc_col_struct compare_long_cols[] = {
    {"layer", NULL, GC_COL_INT, 0},     {"format", NULL, GC_COL_STR, 0},
    {"value", NULL, GC_COL_STR, 0},     {"exact", NULL, GC_COL_STR, 0},
    {"rel_error", NULL, GC_COL_STR, 0}, {"class", NULL, GC_COL_STR, 0}};

/* A wide network's: the chain's with the neuron after the layer. */
static const gc_col_struct compare_wide_cols[] = {
    {"layer", NULL, GC_COL_INT, 0},     {"neuron", NULL, GC_COL_INT, 0},
    {"format", NULL, GC_COL_STR, 0},    {"value", NULL, GC_COL_STR, 0},
    {"exact", NULL, GC_COL_STR, 0},     {"rel_error", NULL, GC_COL_STR, 0},
    {"class", NULL, GC_COL_STR, 0}};

/* A wide network's second table, tidy: each format's ||dC/db^l||_2
   against the exact norm. */
static const gc_col_struct compare_norm_cols[] = {
    {"layer", NULL, GC_COL_INT, 0},     {"format", NULL, GC_COL_STR, 0},
    {"norm", NULL, GC_COL_STR, 0},      {"exact_norm", NULL, GC_COL_STR, 0},
    {"rel_error", NULL, GC_COL_STR, 0}};

/* The events of the summary, in the order of its rows, and the row of a
   run without any: a chain's first four, a wide network's six after
   them (compare_wide_events), then both's overflows. */
static const char * const compare_events[] = {
    "subnormal", "zero", "infinite", "nan",
    "subnormal-any", "subnormal-every", "zero-any", "zero-every",
    "nonfinite-any", "nonfinite-every", "scaled-overflow", "overflow"};

#define COMPARE_NEVENTS \
    ((int) (sizeof compare_events / sizeof compare_events[0]))

static const char compare_no_event[] = "none";

/* The summary's columns; the event column is widened to the longest
   event name that the summary shows (compare_sections). */
static const gc_col_struct compare_summary_cols[] = {
    {"format", "format", GC_COL_STR, -14},
    {"event", "event", GC_COL_STR, -10},
    {"layer", "layer", GC_COL_INT, 6},
    {"exact", "exact dC/db_j there", GC_COL_STR, -18}};

/* (a wide network has the first four only: no flags per parameter) */
static const gc_col_struct compare_params_cols[] = {
    {"format", "format", GC_COL_STR, -14},
    {"changed", "parameters changed", GC_COL_INT, 18},
    {"overflowed", "overflowed", GC_COL_INT, 10},
    {"underflowed", "to zero", GC_COL_INT, 7},
    {"first_overflow_layer", "first overflow at", GC_COL_INT, 17},
    {"first_underflow_layer", "first zero at", GC_COL_INT, 13}};

static const gc_col_struct compare_scaling_cols[] = {
    {"format", "format", GC_COL_STR, -14},
    {"first_zero", "first zero", GC_COL_INT, 10},
    {"first_zero_scaled", "scaled", GC_COL_INT, 6},
    {"layers_gained", "gained", GC_COL_INT, 6},
    {"scaled_overflow", "inf/nan layer", GC_COL_INT, 13},
    {"overflowed_ops", "overflowed ops", GC_COL_INT, 14}};

/* Returns the columns of a wide text table: lead[0..nlead), then for
   each format its value (named by the format, as wide as its digits),
   the relative error and, if *cls*, the class; sets *ncols*.  Free with
   flint_free. */
static gc_col_struct *
compare_text_cols(const compare_struct * c, const gc_col_struct * lead,
                  slong nlead, int cls, slong * ncols)
{
    slong i, k = nlead, per = cls ? 3 : 2;
    gc_col_struct * cols = flint_malloc((nlead + per * c->ro->nfmts)
                                        * sizeof(gc_col_struct));

    memcpy(cols, lead, nlead * sizeof(gc_col_struct));
    for (i = 0; i < c->ro->nfmts; i++)
    {
        int w = (int) gc_numfmt_digits(c->sum[i].value_format) + 8;

        cols[k++] = (gc_col_struct){c->ro->fmts[i].name, NULL, GC_COL_STR,
                                    -w};
        cols[k++] = (gc_col_struct){"rel_error", "rel.err", GC_COL_STR, -9};
        if (cls)
            cols[k++] = (gc_col_struct){"class", "class", GC_COL_STR, -9};
    }
    *ncols = k;
    return cols;
}

/* The value of format i in row (j, k) of a table per layer: sets *x*
   (its precision too) exactly and *vf* to its value format; returns its
   class, or -1 in a table without classes. */
typedef int (*compare_value_t)(mpfr_t x, const gc_numfmt_struct ** vf,
                               const compare_struct * c, slong i, slong j,
                               slong k);

/* compare_value_t of the table of every layer: format i's dC/db_j (the
   chain) or dC/db^j_k (a wide network). */
static int
compare_get(mpfr_t x, const gc_numfmt_struct ** vf, const compare_struct * c,
            slong i, slong j, slong k)
{
    if (c->wnet != NULL)
    {
        const gc_wreplay_struct * rp = c->wrp + i;

        mpfr_set_prec(x, rp->gd != NULL ? 53 : rp->prec);
        gc_wreplay_get_db(x, rp, j, k);
        *vf = rp->value_format;
        return rp->db_class[rp->noff[j - 1] + k - 1];
    }
    mpfr_set_prec(x, c->rp[i].prec); /* exact */
    gc_replay_get_db(x, c->rp + i, j);
    *vf = c->rp[i].value_format;
    return c->rp[i].db_class[j - 1];
}

/* Sets *x* to the ||dC/db^l||_2 of the kept replay *rp* that the tables
   print: gc_wreplay_norm at twice the format's precision and 32 bits
   more, so that printing it to the format's digits and its relative
   error to 3 digits rounds the norm of the format's numbers itself (but
   in the rarest ties). */
static void
compare_wide_norm(mpfr_t x, const gc_wreplay_struct * rp, slong l)
{
    mpfr_set_prec(x, 2 * (rp->gd != NULL ? 53 : rp->prec) + 32);
    gc_wreplay_norm(x, rp, l);
}

/* compare_value_t of the table of norms: format i's ||dC/db^j||_2. */
static int
compare_norm_get(mpfr_t x, const gc_numfmt_struct ** vf,
                 const compare_struct * c, slong i, slong j, slong k)
{
    (void) k;
    compare_wide_norm(x, c->wrp + i, j);
    *vf = c->wrp[i].value_format;
    return -1;
}

/* Writes row (j, k) of a table per layer: its leading cells
   lead[0..nlead) (the layer, and the neuron), the ball *exact* and each
   format's value from *get*, with the relative error (and class): in
   text one row, lead, exact, then value, rel.err (and class) of each
   format; otherwise one tidy row per format, lead, format, value, exact,
   rel_error (and class). */
static void
compare_row(gc_report_t r, const compare_struct * c, const char ** lead,
            slong nlead, arb_srcptr exact, compare_value_t get, slong j,
            slong k)
{
    slong i, m, t, nf = c->ro->nfmts;
    const char ** text = flint_malloc((nlead + 1 + 3 * nf) * sizeof(char *));
    char ** owned = flint_malloc((1 + 2 * nf) * sizeof(char *));
    mpfr_t x;

    mpfr_init2(x, 2);
    owned[0] = gc_cli_ball_str(exact, c->digits, NULL);
    for (t = 0; t < nlead; t++)
        text[t] = lead[t];
    text[t++] = owned[0];
    for (i = 0; i < nf; i++)
    {
        const gc_numfmt_struct * vf;
        int cl = get(x, &vf, c, i, j, k);
        const char * row[7];

        owned[1 + 2 * i] = gc_mpfr_get_str_sci(x, gc_numfmt_digits(vf));
        owned[2 + 2 * i] = compare_rel_error(x, exact);
        text[t++] = owned[1 + 2 * i];
        text[t++] = owned[2 + 2 * i];
        if (cl >= 0)
            text[t++] = gc_class_name((gc_class_t) cl);
        if (c->format == GC_REPORT_TEXT)
            continue;
        for (m = 0; m < nlead; m++)
            row[m] = lead[m];
        row[m++] = c->ro->fmts[i].name;
        row[m++] = owned[1 + 2 * i];
        row[m++] = owned[0];
        row[m++] = owned[2 + 2 * i];
        if (cl >= 0)
            row[m++] = gc_class_name((gc_class_t) cl);
        gc_report_row(r, row);
    }
    if (c->format == GC_REPORT_TEXT)
        gc_report_row(r, text);
    for (i = 0; i < 1 + 2 * nf; i++)
        flint_free(owned[i]);
    flint_free(owned);
    flint_free(text);
    mpfr_clear(x);
}

/* Writes the rows of every layer (of every neuron of a wide network):
   wide for text, tidy otherwise. */
static void
compare_layers(gc_report_t r, compare_struct * c)
{
    slong w = c->wnet != NULL, j, k;
    char lay[32], neu[32];
    const char * lead[2] = {lay, neu};

    for (j = 1; j <= c->len; j++)
        for (k = w; k <= (w ? c->wnet->width[j] : 0); k++)
        {
            snprintf(lay, sizeof lay, "%ld", (long) j);
            snprintf(neu, sizeof neu, "%ld", (long) k);
            compare_row(r, c, lead, 1 + w,
                        w ? c->wdb + gc_wnet_neuron_index(c->wnet, j, k)
                          : c->exact->db + j - 1,
                        compare_get, j, k);
        }
}

/* Writes a wide network's second table: per layer, each format's
   ||dC/db^l||_2 (compare_wide_norm, printed with the format's digits)
   beside the exact norm, and its relative error; *cols* are the text
   columns. */
static void
compare_norms(gc_report_t r, compare_struct * c, const gc_col_struct * cols,
              slong ncols)
{
    slong l;
    char lay[32];
    const char * lead[1] = {lay};

    if (c->format == GC_REPORT_TEXT)
        gc_report_section(r, "norms", cols, ncols);
    else
        gc_report_section(r, "norms", compare_norm_cols, 5);
    for (l = 1; l <= c->len; l++)
    {
        snprintf(lay, sizeof lay, "%ld", (long) l);
        compare_row(r, c, lead, 1, c->wnorm + l - 1, compare_norm_get, l, 0);
    }
}

/* Sets layers[i] to the layer of event compare_events[i] in the run
   *rp*, 0 when it does not happen. */
static void
compare_event_layers(slong * layers, const compare_sum_struct * rp)
{
    int i;

    for (i = 0; i < COMPARE_NEVENTS; i++)
        layers[i] = 0;
    if (rp->wide)
        for (i = 0; i < 6; i++)
            layers[4 + i] = rp->wev[i];
    else
    {
        layers[0] = rp->death.first_subnormal;
        layers[1] = rp->death.first_zero;
        layers[2] = rp->death.first_inf;
        layers[3] = rp->death.first_nan;
    }
    layers[10] = rp->scaled ? rp->scale_overflow : 0;
    /* an operation overflowed (to inf or NaN, or saturated by the
       format's policy) before the end of this layer's backward step:
       every dC/db_j below is computed from it, so lost, as sweep's
       overflow event says (a saturated E4M3 gradient is finite and
       wrong: no other event shows it) */
    layers[11] = rp->overflow_layer;
}

/* Returns *w* raised to the length of every event name of the run *rp*
   that the summary shows. */
static int
compare_event_width(int w, const compare_sum_struct * rp)
{
    slong layers[COMPARE_NEVENTS];
    int i;

    compare_event_layers(layers, rp);
    for (i = 0; i < COMPARE_NEVENTS; i++)
        if (layers[i] != 0)
            w = FLINT_MAX(w, (int) strlen(compare_events[i]));
    return w;
}

/* Writes the summary rows of one run: one per event that happens, with
   the exact dC/db_j there (a wide network: the exact ||dC/db^l||_2). */
static void
compare_summary(gc_report_t r, compare_struct * c, const char * name,
                const compare_sum_struct * rp)
{
    slong layers[COMPARE_NEVENTS];
    int i, any = 0;

    compare_event_layers(layers, rp);
    for (i = 0; i < COMPARE_NEVENTS; i++)
    {
        char lay[32];
        char * ex;
        const char * cells[4];

        if (layers[i] == 0)
            continue;
        any = 1;
        snprintf(lay, sizeof lay, "%ld", (long) layers[i]);
        ex = gc_cli_ball_str(c->wnet != NULL ? c->wnorm + layers[i] - 1
                                             : c->exact->db + layers[i] - 1,
                             c->digits, NULL);
        cells[0] = name;
        cells[1] = compare_events[i];
        cells[2] = lay;
        cells[3] = ex;
        gc_report_row(r, cells);
        flint_free(ex);
    }
    if (!any)
    {
        const char * cells[4] = {name, compare_no_event, "0", "-"};

        gc_report_row(r, cells);
    }
}

/* Writes the sections after the layers: summary, parameters, scaling. */
/* Starts section *name* of the summary with the columns cols[0..ncols),
   copied to *own* (which the report reads until the next section) with
   the first, the format's, as wide as the longest name it shows (with
   --loss-scale, NAME*SCALE) and at least as its title, and the integer
   columns as wide as the deepest layer with a sign. */
static void
compare_section(gc_report_t r, const compare_struct * c, const char * name,
                gc_col_struct * own, const gc_col_struct * cols,
                slong ncols)
{
    int w = -cols[0].width;
    char digits[24];
    slong i;

    for (i = 0; i < c->ro->nfmts; i++)
        w = FLINT_MAX(w, (int) strlen(c->ro->fmts[i].name)
                             + (c->ro->scale_str != NULL
                                    ? 1 + (int) strlen(c->ro->scale_str)
                                    : 0));
    memmove(own, cols, ncols * sizeof *cols);
    own[0].width = -w;
    /* the integers are layers (or differences of layers, or counts that
       a layer bounds): room for the deepest, and a sign */
    snprintf(digits, sizeof digits, "-%ld",
             (long) (c->wnet != NULL ? c->wnet->len : c->net->len));
    for (i = 1; i < ncols; i++)
        if (own[i].kind == GC_COL_INT)
            own[i].width = FLINT_MAX(own[i].width, (int) strlen(digits));
    gc_report_section(r, name, own, ncols);
}

static void
compare_sections(gc_report_t r, compare_struct * c)
{
    slong i;
    char num[5][32];
    gc_col_struct cols[4], params[6], scaling[6];
    int w = -compare_summary_cols[1].width;

    /* the event column as wide as the longest event name shown */
    for (i = 0; i < c->ro->nfmts; i++)
    {
        w = compare_event_width(w, c->sum + i);
        if (c->ro->scale_str != NULL)
            w = compare_event_width(w, c->sum0 + i);
    }
    memcpy(cols, compare_summary_cols, sizeof cols);
    cols[1].width = -w;
    if (c->wnet != NULL)
    {
        cols[3].title = "exact ||dC/db^l||_2 there";
        cols[3].width = -25;
    }
    compare_section(r, c, "summary", cols, cols, 4);
    for (i = 0; i < c->ro->nfmts; i++)
    {
        if (c->ro->scale_str != NULL)
        {
            char name[GC_NUMFMT_NAME_MAX + 48];

            compare_summary(r, c, c->ro->fmts[i].name, c->sum0 + i);
            snprintf(name, sizeof name, "%s*%s", c->ro->fmts[i].name,
                     c->ro->scale_str);
            compare_summary(r, c, name, c->sum + i);
        }
        else
            compare_summary(r, c, c->ro->fmts[i].name, c->sum + i);
    }

    compare_section(r, c, "parameters", params, compare_params_cols,
                    c->wnet != NULL ? 4 : 6);
    for (i = 0; i < c->ro->nfmts; i++)
    {
        const compare_sum_struct * rp = c->sum + i;
        const char * cells[6] = {c->ro->fmts[i].name, num[0], num[1], num[2],
                                 num[3], num[4]};

        snprintf(num[0], 32, "%ld", (long) rp->changed);
        snprintf(num[1], 32, "%ld", (long) rp->overflowed);
        snprintf(num[2], 32, "%ld", (long) rp->underflowed);
        snprintf(num[3], 32, "%ld", (long) rp->first_overflow);
        snprintf(num[4], 32, "%ld", (long) rp->first_underflow);
        gc_report_row(r, cells);
    }

    if (c->ro->scale_str == NULL)
        return;
    compare_section(r, c, "loss_scaling", scaling, compare_scaling_cols,
                    6);
    for (i = 0; i < c->ro->nfmts; i++)
    {
        slong z0 = c->sum0[i].first_zero;
        slong z1 = c->sum[i].first_zero;
        /* the first layer each run loses: its first zero, or the layer of
           an overflow if later (from the output), see compare_event_layers */
        slong l0 = FLINT_MAX(z0, c->sum0[i].overflow_layer);
        slong l1 = FLINT_MAX(z1, c->sum[i].overflow_layer);
        const char * cells[6] = {c->ro->fmts[i].name, num[0], num[1], num[2],
                                 num[3], num[4]};

        snprintf(num[0], 32, "%ld", (long) z0);
        snprintf(num[1], 32, "%ld", (long) z1);
        /* layers that keep a nonzero gradient, not corrupted by an
           overflow, thanks to the scaling (negative: lost to it); a run
           that loses none counts as layer 0 */
        snprintf(num[2], 32, "%ld", (long) (l0 - l1));
        snprintf(num[3], 32, "%ld", (long) c->sum[i].scale_overflow);
        snprintf(num[4], 32, "%ld", (long) c->sum[i].overflows);
        gc_report_row(r, cells);
    }
}

static int
compare_write(FILE * out, const void * ctx)
{
    compare_struct * c = (compare_struct *) ctx;
    int wide = c->wnet != NULL;
    gc_report_t r;
    gc_col_struct * cols = NULL, * ncols_text = NULL;
    slong i, ncols = 0, nnorm = 0;
    char buf[160];

    if (c->format == GC_REPORT_TEXT && !c->summary_only)
    {
        gc_col_struct lead[3];
        int dw = (int) -(c->digits + 7);

        lead[0] = (gc_col_struct){"layer", "layer", GC_COL_INT, 6};
        lead[1] = (gc_col_struct){"neuron", "neuron", GC_COL_INT, 6};
        lead[1 + wide] = (gc_col_struct){
            "exact", wide ? "exact dC/db^l_i" : "exact dC/db_j", GC_COL_STR,
            dw};
        cols = compare_text_cols(c, lead, 2 + wide, 1, &ncols);
        if (wide)
        {
            lead[1] = (gc_col_struct){"exact_norm", "exact ||dC/db^l||_2",
                                      GC_COL_STR, FLINT_MIN(dw, -20)};
            ncols_text = compare_text_cols(c, lead, 2, 0, &nnorm);
        }
        gc_report_init(r, out, c->format, cols, ncols);
    }
    else if (wide)
        gc_report_init(r, out, c->format, compare_wide_cols, 7);
    else
        gc_report_init(r, out, c->format, compare_long_cols, 6);

    gc_report_meta_int(r, "layers", c->len);
    if (wide)
        gc_cli_meta_wide(r, c->wnet);
    if (c->random != NULL)
    {
        /* enough to draw the network again */
        char seed[24];

        gc_netopts_meta_random(r, c->random);
        snprintf(seed, sizeof seed, "%lu", (unsigned long) c->random->seed);
        gc_report_meta(r, "seed", seed);
    }
    gc_report_meta(r, "sequence", gc_seq_name(c->ro->seq));
    gc_report_meta(r, "loss_scale", c->ro->scale_str ? c->ro->scale_str : "1");
    for (i = 0; i < c->ro->nfmts; i++)
        if (c->ro->fmts[i].rnd == GC_NUMFMT_RNDSR)
        {
            gc_report_meta_int(r, "sr_seed", c->ro->sr_seed);
            break;
        }
    gc_report_meta_int(r, "exact_precision_bits", c->prec);
    snprintf(buf, sizeof buf, "certified by %s, %ld digits%s",
             c->prec == 53 ? "a binary64 error bound" : "ball arithmetic",
             (long) c->digits,
             c->exact_status != GC_SUCCESS
                 ? "; '?' or fewer digits where not proven" : "");
    gc_report_meta(r, "exact", buf);

    if (!c->summary_only)
    {
        compare_layers(r, c);
        if (wide)
            compare_norms(r, c, ncols_text, nnorm);
    }
    if (c->format != GC_REPORT_CSV || c->summary_only)
        compare_sections(r, c);
    flint_free(cols);
    flint_free(ncols_text);
    return gc_report_clear(r);
}

/* Copies into the summary *sum* what the replay *rp* (a gc_replay_struct
   or a gc_wreplay_struct: the same names) counts. */
#define COMPARE_SUM_COUNTS(sum, rp)                                         \
    do                                                                      \
    {                                                                       \
        (sum)->value_format = (rp)->value_format;                           \
        (sum)->scaled = (rp)->scaled;                                       \
        (sum)->scale_overflow = (rp)->scale_overflow;                       \
        (sum)->overflow_layer = (rp)->overflow_layer;                       \
        (sum)->changed = (rp)->changed;                                     \
        (sum)->overflowed = (rp)->overflowed;                               \
        (sum)->underflowed = (rp)->underflowed;                             \
        (sum)->overflows = (rp)->overflows;                                 \
    } while (0)

/* Replays format i into *rp* (keeping its gradients), with the loss
   scale when *scaled*, and summarises the run into *sum*; returns the
   status of gc_replay. */
static int
compare_replay(compare_sum_struct * sum, gc_replay_struct * rp,
               const compare_struct * c, slong i, int scaled)
{
    int status = gc_replay(rp, c->net, c->ro->fmts + i, c->ro->seq,
                           scaled ? c->ro->scale : NULL);

    /* events are losses: not a zero where the exact value is zero */
    gc_death_scan_arb(&rp->death, rp->db_class, c->exact->db, c->net->len);
    sum->death = rp->death;
    if (rp->scaled)
    {
        gc_death_struct held;

        /* subnormal: of the scaled delta the format holds, as sweep */
        gc_death_scan_arb(&held, rp->scaled_class, c->exact->db,
                          c->net->len);
        sum->death.first_subnormal = held.first_subnormal;
    }
    sum->first_zero = rp->death.first_zero;
    sum->wide = 0;
    COMPARE_SUM_COUNTS(sum, rp);
    sum->first_overflow = gc_replay_first_param(rp, GC_ROUND_OVERFLOW);
    sum->first_underflow = gc_replay_first_param(rp, GC_ROUND_UNDERFLOW);
    return status;
}

/* Sets ev[0..6) to the first layer counted from the output (the largest
   l, 0: none) where ANY and where EVERY entry of the replay's dC/db^l is
   subnormal (ev[0], ev[1]: for EVERY, subnormal or zero, no normal entry
   left), zero (ev[2], ev[3]), or infinite or NaN (ev[4], ev[5]):
   gc_events_scan's subnormal, norm_subnormal, zero, norm_zero, nonfinite
   and every entry nonfinite.  As for chains, a subnormal or zero entry
   counts for ANY only where the exact entry is not an exact zero; EVERY
   is of the whole vector and needs the exact vector nonzero (something
   to lose): zero-every is where the format's norm is 0 and the exact
   norm is not, as sweep's norm_zero.  Under loss scaling the subnormal
   events read the scaled deltas, the values the format holds, as
   sweep's do. */
static void
compare_wide_events(slong * ev, const gc_wreplay_struct * rp,
                    arb_srcptr exact)
{
    slong e[GC_EVENTS];

    gc_events_scan(e, ev + 5, rp->db_class,
                   rp->scaled ? rp->scaled_class : rp->db_class, exact,
                   rp->len, rp->width, rp->noff);
    ev[0] = e[GC_EVENT_SUBNORMAL];
    ev[1] = e[GC_EVENT_NORM_SUBNORMAL];
    ev[2] = e[GC_EVENT_ZERO];
    ev[3] = e[GC_EVENT_NORM_ZERO];
    ev[4] = e[GC_EVENT_NONFINITE];
}

/* As compare_replay for the wide network: format i replayed into *rp*.
   The loss scaling section's first zero is the first layer whose every
   entry is zero: where the gradient norm dies. */
static int
compare_wreplay(compare_sum_struct * sum, gc_wreplay_struct * rp,
                const compare_struct * c, slong i, int scaled)
{
    int status = gc_wreplay(rp, c->wnet, c->ro->fmts + i, c->ro->seq,
                            scaled ? c->ro->scale : NULL);

    compare_wide_events(sum->wev, rp, c->wdb);
    sum->wide = 1;
    sum->first_zero = sum->wev[3];
    COMPARE_SUM_COUNTS(sum, rp);
    sum->first_overflow = sum->first_underflow = 0;
    return status;
}

/* Replays every format, summarised into c->sum (and c->sum0 unscaled
   with --loss-scale), each into its kept replay (c->rp or c->wrp) or,
   with --summary and for the unscaled runs, one at a time through one
   scratch replay, whose summary is all that stays.  Returns the
   statuses of the replays. */
static int
compare_formats(compare_struct * c)
{
    slong i;
    int status = 0, scaled = (c->ro->scale_str != NULL);
    gc_replay_t work;
    gc_wreplay_t wwork;

    gc_replay_init(work);
    work->keep = GC_REPLAY_GRADS;
    gc_wreplay_init(wwork);
    for (i = 0; i < c->ro->nfmts; i++)
    {
        if (c->wnet != NULL)
            status |= compare_wreplay(c->sum + i,
                                      c->wrp != NULL ? c->wrp + i : wwork,
                                      c, i, scaled);
        else
            status |= compare_replay(c->sum + i,
                                     c->rp != NULL ? c->rp + i : work, c, i,
                                     scaled);
        if (scaled && c->wnet != NULL)
            status |= compare_wreplay(c->sum0 + i, wwork, c, i, 0);
        else if (scaled)
            status |= compare_replay(c->sum0 + i, work, c, i, 0);
    }
    gc_wreplay_clear(wwork);
    gc_replay_clear(work);
    return status;
}

/* Writes the report (and the network, as *no* says) after the exact
   values and the replays gave *status*.  Returns an exit status. */
static int
compare_report(compare_struct * c, const gc_netopts_struct * no, int status)
{
    int rc;

    if (status & GC_DOMAIN)
    {
        gc_cli_error("compare: %s", gc_status_str(status));
        return GC_EXIT_EVAL;
    }
    rc = c->wnet != NULL
             ? gc_netopts_emit_wide(no, c->wnet, compare_write, c)
             : gc_netopts_emit(no, c->net, compare_write, c);
    if (rc == GC_EXIT_OK && status != GC_SUCCESS)
    {
        /* the Ziv loop proves dC/dw_j too, though not shown */
        if ((c->wnet != NULL
                 ? gc_netopts_unprintable("compare", c->wdb,
                                          c->wnet->noff[c->len])
                 : gc_netopts_unprintable("compare", c->exact->db,
                                          2 * c->len)) == 0)
            gc_netopts_shortfall("compare", "exact values", c->digits,
                                 c->prec, c->max_prec);
        rc = GC_EXIT_EVAL;
    }
    if (rc == GC_EXIT_OK && c->rel_open)
    {
        gc_cli_error("compare: relative errors that the exact values at "
                     "--max-prec %ld bits do not decide, printed as '?'",
                     (long) c->max_prec);
        rc = GC_EXIT_EVAL;
    }
    return rc;
}

/* The precision up to which the relative errors are refined. */
#define COMPARE_REL_PREC 4096

/* Evaluates the exact values, replays every format and writes the
   report (and the network, as *no* says).  Every replay keeps only its
   gradients.  Returns an exit status. */
static int
compare_run(compare_struct * c, const gc_netopts_struct * no)
{
    slong i, n = c->ro->nfmts;
    int status, rc;

    c->rp = c->summary_only ? NULL
                            : flint_malloc(n * sizeof(gc_replay_struct));
    for (i = 0; c->rp != NULL && i < n; i++)
    {
        gc_replay_init(c->rp + i);
        c->rp[i].keep = GC_REPLAY_GRADS;
    }
    /* the exact values: only dC/db_j and dC/dw_j are read (dw follows db,
       as gc_netopts_unprintable wants), so the gradients-only trace */
    gc_arb_trace_init_grads(c->exact, c->net->len);

    c->exact_status = c->fast ? gc_eval_fast_digits(c->exact, c->net,
                                                    c->digits, c->max_prec,
                                                    &c->prec)
                              : gc_eval_arb_digits(c->exact, c->net,
                                                   c->digits, c->max_prec,
                                                   &c->prec);
    status = compare_formats(c);
    /* the events above only read which exact values are zero, which both
       engines decide alike: only the relative errors may need Arb, and
       more precision than the exact column's digits (compare_wide_exact
       says why COMPARE_REL_PREC) */
    if (c->prec == 53 && !compare_rel_errors_decided(c))
        c->exact_status = gc_eval_arb_digits(c->exact, c->net, c->digits,
                                             c->max_prec, &c->prec);
    while (c->exact_status == GC_SUCCESS && 2 * c->prec <= COMPARE_REL_PREC
           && 2 * c->prec <= c->max_prec && !compare_rel_errors_decided(c))
    {
        c->prec *= 2;
        c->exact_status = gc_eval_arb(c->exact, c->net, c->prec);
    }
    c->rel_open = !compare_rel_errors_decided(c);
    rc = compare_report(c, no, status | c->exact_status);

    gc_arb_trace_clear(c->exact);
    for (i = 0; c->rp != NULL && i < n; i++)
        gc_replay_clear(c->rp + i);
    flint_free(c->rp);
    return rc;
}

/* Returns an upper bound of the bytes compare_run needs for *net*: the
   network stored, the exact values at the first precision of their Ziv
   loop, the gradients that the kept replays hold (none with --summary)
   and the largest replay while it runs. */
static size_t
compare_bytes(const compare_struct * c, const gc_net_t net)
{
    size_t b = gc_net_materialize_bytes(net);

    b = gc_cli_bytes_add(b, gc_eval_arb_grads_bytes(
                                net->len,
                                gc_prec_for_digits(c->digits, net->len)));
    if (c->fast) /* its scratch, freed before Arb would run */
        b = gc_cli_bytes_add(b, gc_eval_fast_bytes(net->len));
    return gc_cli_bytes_add(b, gc_replayopts_bytes(c->ro->fmts, c->ro->nfmts,
                                                   net->len,
                                                   !c->summary_only));
}

/* Sets c->wnorm to every exact ||dC/db^l||_2 (gc_wnet_layer_stats_arb)
   from the balls c->wdb at c->prec; returns the number of norms that do
   not prove c->digits digits (and could be printed). */
static slong
compare_wide_norms(compare_struct * c)
{
    slong l, open = 0;
    arb_t mx, mn;

    arb_init(mx);
    arb_init(mn);
    for (l = 1; l <= c->len; l++)
    {
        arb_ptr nl = c->wnorm + l - 1;

        gc_wnet_layer_stats_arb(nl, mx, mn, c->wdb, c->wnet, l, c->prec);
        open += !gc_arb_has_digits(nl, c->digits) && gc_arb_is_printable(nl);
    }
    arb_clear(mx);
    arb_clear(mn);
    return open;
}

/* Returns 1 if every relative error that the tables print (each format's
   dC/db^l_i and norm) is decided by the exact balls at c->prec, as
   compare_rel_error_decided shows it for the chain's fast path (the
   bound holds for the exact value as for Arb's midpoint): printed to 3
   digits it is then the relative error to the exact value itself. */
static int
compare_wide_decided(const compare_struct * c)
{
    slong l, k, i;
    int ok = 1;
    mpfr_t x;

    if (c->wrp == NULL) /* --summary prints none */
        return 1;
    mpfr_init2(x, 2);
    for (l = c->len; ok && l >= 1; l--)
        for (i = 0; ok && i < c->ro->nfmts; i++)
        {
            const gc_numfmt_struct * vf;

            for (k = 1; ok && k <= c->wnet->width[l]; k++)
            {
                compare_get(x, &vf, c, i, l, k);
                ok = compare_rel_error_decided(
                    x, c->wdb + gc_wnet_neuron_index(c->wnet, l, k));
            }
            compare_wide_norm(x, c->wrp + i, l);
            ok = ok && compare_rel_error_decided(x, c->wnorm + l - 1);
        }
    mpfr_clear(x);
    return ok;
}

/* The exact values of a wide network (--engine fast is the chain's: a
   wide network uses Arb, as eval does): every dC/db^l_i by the Ziv loop
   of gc_wnet_eval_arb_digits, to c->digits digits as the chain's exact
   column, then the replays (whose events read only which exact entries
   are exact zeros, the same at every precision), then every
   ||dC/db^l||_2 from the balls (gc_wnet_layer_stats_arb).  Where a norm
   does not prove the digits yet, or a printed relative error is not
   decided (compare_wide_decided) below COMPARE_REL_PREC bits (a true
   tie would never be), the evaluation goes on at twice the precision,
   up to --max-prec.  Returns the statuses of both
   (c->exact_status that of the exact values: GC_UNABLE when fewer
   digits are proven somewhere). */
static int
compare_wide_exact(compare_struct * c)
{
    slong open;
    int status;

    c->exact_status = gc_wnet_eval_arb_digits(c->wdb, c->wnet, c->digits,
                                              c->max_prec, &c->prec);
    status = compare_formats(c);
    while ((open = compare_wide_norms(c)) != 0
           || (2 * c->prec <= COMPARE_REL_PREC && !compare_wide_decided(c)))
    {
        if (c->exact_status != GC_SUCCESS || 2 * c->prec > c->max_prec)
            break;
        c->prec *= 2;
        c->exact_status = gc_wnet_eval_arb(c->wdb, c->wnet, c->prec);
    }
    if (open != 0)
        c->exact_status |= GC_UNABLE;
    c->rel_open = !compare_wide_decided(c);
    return status | c->exact_status;
}

/* compare on the wide network *net*: the memory checked first, then the
   exact values, the replays (kept in c->wrp unless --summary) and the
   report.  Returns an exit status. */
static int
compare_wide(compare_struct * c, const gc_wnet_t net,
             const gc_netopts_struct * no)
{
    slong i, n = c->ro->nfmts, nn = net->noff[net->len];
    size_t bytes;
    int rc;

    c->wnet = net;
    c->len = net->len;
    /* the network is built already (the process's peak size counts it):
       the exact balls at the first precision of their Ziv loop, the
       norms, and the replays */
    bytes = gc_wnet_eval_arb_bytes(net, gc_prec_for_digits(c->digits,
                                                           net->len));
    bytes = gc_cli_bytes_add(bytes, net->len * sizeof(arb_struct));
    bytes = gc_cli_bytes_add(bytes, gc_replayopts_wide_bytes(
                                        c->ro->fmts, n, net,
                                        !c->summary_only));
    rc = gc_cli_check_memory(
        "compare", bytes, net->len,
        "for the exact values and the replays of every neuron",
        c->summary_only ? "use fewer or narrower layers"
                        : "use fewer or narrower layers, fewer formats, "
                          "or --summary");
    if (rc != GC_EXIT_OK)
        return rc;

    c->wrp = c->summary_only ? NULL
                             : flint_malloc(n * sizeof(gc_wreplay_struct));
    for (i = 0; c->wrp != NULL && i < n; i++)
        gc_wreplay_init(c->wrp + i);
    c->wdb = _arb_vec_init(nn);
    c->wnorm = _arb_vec_init(net->len);
    rc = compare_report(c, no, compare_wide_exact(c));
    _arb_vec_clear(c->wnorm, net->len);
    _arb_vec_clear(c->wdb, nn);
    for (i = 0; c->wrp != NULL && i < n; i++)
        gc_wreplay_clear(c->wrp + i);
    flint_free(c->wrp);
    return rc;
}

int
gc_cmd_compare(int argc, char ** argv)
{
    gc_netopts_struct no;
    gc_replayopts_struct ro;
    compare_struct c;
    gc_cli_opts_struct cli = {gc_cmd_compare_help, gc_netopts_help,
                              gc_netopts_parse, &no};
    gc_net_t net;
    gc_wnet_t wide;
    int opt, is_wide, rc = GC_EXIT_OK;

    memset(&c, 0, sizeof c);
    c.max_prec = GC_MAX_PREC_DEFAULT;
    c.fast = 1;
    c.ro = &ro;
    gc_replayopts_init(&ro, "binary64");
    gc_netopts_init(&no);
    while ((opt = gc_cli_getopt(argc, argv, compare_longopts, &cli, &rc))
           > 0)
    {
        switch (opt)
        {
            case OPT_MAX_PREC:
                rc = gc_cli_parse_slong(&c.max_prec, optarg, "--max-prec", 2,
                                        GC_MAX_PREC_LIMIT);
                break;
            case OPT_ENGINE:
            {
                gc_engine_t engine = GC_ENGINE_FAST;

                rc = gc_netopts_parse_engine(
                    &engine, optarg,
                    1u << GC_ENGINE_FAST | 1u << GC_ENGINE_ARB,
                    "compare's exact values come from fast or arb");
                c.fast = (engine == GC_ENGINE_FAST);
                break;
            }
            case OPT_SUMMARY:
                c.summary_only = 1;
                break;
            default:
                rc = gc_replayopts_parse(&ro, opt, optarg);
        }
    }
    if (opt == GC_CLI_STOP)
    {
        gc_replayopts_clear(&ro);
        return rc;
    }
    gc_net_init(net);
    gc_wnet_init(wide);
    rc = gc_replayopts_finish_any(&ro, net, wide, &is_wide, &no,
                                  argc - optind, argv + optind);
    if (rc == GC_EXIT_OK)
    {
        c.digits = no.digits != 0 ? no.digits : 10;
        c.format = no.format;
        c.random = no.random ? &no.spec : NULL;
        c.sum = flint_malloc(ro.nfmts * sizeof(compare_sum_struct));
        c.sum0 = flint_malloc(ro.nfmts * sizeof(compare_sum_struct));
    }
    if (rc == GC_EXIT_OK && is_wide)
        rc = compare_wide(&c, wide, &no);
    else if (rc == GC_EXIT_OK)
    {
        c.net = net;
        c.len = net->len;
        /* every layer is kept: refused before it starts if the memory
           cannot hold it */
        rc = gc_cli_check_memory(
            "compare", compare_bytes(&c, net), net->len,
            "for the exact values and the replays of every layer",
            c.summary_only ? "compare has no streaming mode yet: use fewer "
                             "layers"
                           : "compare has no streaming mode yet: use fewer "
                             "layers or formats, or --summary");
        if (rc == GC_EXIT_OK)
        {
            /* every layer is replayed and kept: draw a random chain once */
            gc_net_materialize(net);
            rc = compare_run(&c, &no);
        }
    }
    flint_free(c.sum);
    flint_free(c.sum0);
    gc_wnet_clear(wide);
    gc_net_clear(net);
    gc_replayopts_clear(&ro);
    return rc;
}
