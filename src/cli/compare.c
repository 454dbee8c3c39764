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
    "value, each format's value, its relative error and class (normal,\n"
    "subnormal, zero, infinite, nan); then, per format, the first layer\n"
    "counted from the output where it goes subnormal, to zero, to infinity\n"
    "or NaN, or where an operation overflowed (saturation included: every\n"
    "gradient below is computed from it), with the exact value there; the\n"
    "parameters the format changed; and, with --loss-scale, the layers the\n"
    "scaling gains (negative when it makes an overflow lose more).\n"
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
    "                           at most " GC_MAX_PREC_LIMIT_STR ")\n"
    "      --summary            print the summaries only, not every layer\n"
    "      --sr-seed N          seed of the stochastic rounding of :sr formats\n"
    "                           (default 0): the same seed, the same run\n"
    "CSV output is one tidy table: layer,format,value,exact,rel_error,class.\n"
    "Memory grows with the layers: the exact values of every layer, the\n"
    "gradients of every format (36 bytes a layer for formats up to binary64;\n"
    "none with --summary, which replays the formats one at a time) and,\n"
    "while a format replays, three numbers a layer of its forward pass.\n";

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
} compare_sum_struct;

typedef struct
{
    const gc_net_struct * net;
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
} compare_struct;

/* The relative error of *v* against the ball *x* (its midpoint), with 3
   digits; "-" when undefined (v not finite, or x's midpoint 0). */
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
    else
        s = gc_mpfr_get_str_sci(e, 3);
    mpfr_clear(e);
    return s;
}

/* Returns 1 if the relative error of *v* against the fast path's ball
   *x* prints (compare_rel_error) as it does against Arb's ball for the
   same value, 0 if that is not shown.

   Let m = mid(x), eps >= rad(x)/|x'| for every x' in x
   (gc_arb_rel_error_bound), and r = |v - m|/|m|.  Arb's midpoint m' is
   within its radius of the exact value, itself within rad(x) of m.  We
   take Arb's radius to be at most rad(x): Arb works at 64 bits or more
   (gc_prec_for_digits) where the fast path works at 53, and its bound
   grows by about 20 u a layer; the randomised test cli-compare-engine.sh
   checks the outputs against each other.  Then |m' - m| <= 2 rad(x)
   <= d |m| with d = 2 eps, and for d <= 1/4
       |r' - r| <= d (1 + r)/(1 - d) <= 4 eps (1 + r)
   for r' = |v - m'|/|m'|.  gc_arb_rel_error computes r and r' within a
   relative 2^-62 (two roundings at 80 bits, one at 64), so the computed
   r' lies within D = 4 eps (1 + r) + r 2^-56 of the computed r (bounds
   rounded up).  Printing to 3 digits rounds to nearest, a monotone map:
   if r - D and r + D print alike, so does everything between them, r'
   included.  Where the midpoint is 0 or v is not finite both print
   "-" (the fast path decides only exact zeros, and so does Arb); where
   v = 0 both print 1, exactly |0 - m|/|m| for any m != 0. */
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

    if (mpfr_zero_p(v))
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

/* Returns 1 if every relative error that the layer rows print from the
   fast path's exact values is the one Arb's would print
   (compare_rel_error_decided); stops at the first that is not shown,
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

/* The events of the summary, in the order of its rows, and the row of a
   run without any. */
static const char * const compare_events[] = {
    "subnormal", "zero", "infinite", "nan", "scaled-overflow", "overflow"};

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

/* Writes the rows of every layer: wide for text, tidy otherwise. */
static void
compare_layers(gc_report_t r, compare_struct * c)
{
    slong j, i, n = c->format == GC_REPORT_TEXT ? 2 + 3 * c->ro->nfmts : 6;
    const char ** cells = flint_malloc(n * sizeof(char *));
    char ** owned = flint_malloc((1 + 2 * c->ro->nfmts) * sizeof(char *));
    char lay[32];
    mpfr_t x;

    mpfr_init2(x, 2);
    for (j = 1; j <= c->net->len; j++)
    {
        char * ex = gc_cli_ball_str(c->exact->db + j - 1, c->digits,
                                    NULL);

        snprintf(lay, sizeof lay, "%ld", (long) j);
        owned[0] = ex;
        cells[0] = lay;
        cells[1] = ex;
        for (i = 0; i < c->ro->nfmts; i++)
        {
            const gc_replay_struct * rp = c->rp + i;
            const char * cls = gc_class_name(rp->db_class[j - 1]);
            char * v, * re;

            mpfr_set_prec(x, rp->prec); /* exact */
            gc_replay_get_db(x, rp, j);
            v = gc_mpfr_get_str_sci(x, gc_numfmt_digits(rp->value_format));
            re = compare_rel_error(x, c->exact->db + j - 1);

            owned[1 + 2 * i] = v;
            owned[2 + 2 * i] = re;
            if (c->format == GC_REPORT_TEXT)
            {
                cells[2 + 3 * i] = v;
                cells[3 + 3 * i] = re;
                cells[4 + 3 * i] = cls;
            }
            else
            {
                const char * row[6] = {lay, c->ro->fmts[i].name, v, ex, re,
                                       cls};

                gc_report_row(r, row);
            }
        }
        if (c->format == GC_REPORT_TEXT)
            gc_report_row(r, cells);
        for (i = 0; i < 1 + 2 * c->ro->nfmts; i++)
            flint_free(owned[i]);
    }
    mpfr_clear(x);
    flint_free(cells);
    flint_free(owned);
}

/* Sets layers[i] to the layer of event compare_events[i] in the run
   *rp*, 0 when it does not happen. */
static void
compare_event_layers(slong * layers, const compare_sum_struct * rp)
{
    layers[0] = rp->death.first_subnormal;
    layers[1] = rp->death.first_zero;
    layers[2] = rp->death.first_inf;
    layers[3] = rp->death.first_nan;
    layers[4] = rp->scaled ? rp->scale_overflow : 0;
    /* an operation overflowed (to inf or NaN, or saturated by the
       format's policy) before the end of this layer's backward step:
       every dC/db_j below is computed from it, so lost, as sweep's
       overflow event says (a saturated E4M3 gradient is finite and
       wrong: no other event shows it) */
    layers[5] = rp->overflow_layer;
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

/* Writes the summary rows of one run: one per event that happens. */
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
        ex = gc_cli_ball_str(c->exact->db + layers[i] - 1, c->digits,
                             NULL);
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
static void
compare_sections(gc_report_t r, compare_struct * c)
{
    slong i;
    char num[5][32];
    gc_col_struct cols[4];
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
    gc_report_section(r, "summary", cols, 4);
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

    gc_report_section(r, "parameters", compare_params_cols, 6);
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
    gc_report_section(r, "loss_scaling", compare_scaling_cols, 6);
    for (i = 0; i < c->ro->nfmts; i++)
    {
        slong z0 = c->sum0[i].death.first_zero;
        slong z1 = c->sum[i].death.first_zero;
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
    gc_report_t r;
    gc_col_struct * cols = NULL;
    slong i, ncols;
    char buf[160];

    if (c->format == GC_REPORT_TEXT && !c->summary_only)
    {
        ncols = 2 + 3 * c->ro->nfmts;
        cols = flint_malloc(ncols * sizeof(gc_col_struct));
        cols[0] = (gc_col_struct){"layer", "layer", GC_COL_INT, 6};
        cols[1] = (gc_col_struct){"exact", "exact dC/db_j", GC_COL_STR,
                                  (int) -(c->digits + 7)};
        for (i = 0; i < c->ro->nfmts; i++)
        {
            int w = (int) gc_numfmt_digits(c->sum[i].value_format) + 8;

            cols[2 + 3 * i] = (gc_col_struct){c->ro->fmts[i].name, NULL,
                                              GC_COL_STR, -w};
            cols[3 + 3 * i] = (gc_col_struct){"rel_error", "rel.err",
                                              GC_COL_STR, -9};
            cols[4 + 3 * i] = (gc_col_struct){"class", "class",
                                              GC_COL_STR, -9};
        }
        gc_report_init(r, out, c->format, cols, ncols);
    }
    else
        gc_report_init(r, out, c->format, compare_long_cols, 6);

    gc_report_meta_int(r, "layers", c->net->len);
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
        compare_layers(r, c);
    if (c->format != GC_REPORT_CSV || c->summary_only)
        compare_sections(r, c);
    flint_free(cols);
    return gc_report_clear(r);
}

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
    sum->value_format = rp->value_format;
    sum->scaled = rp->scaled;
    sum->scale_overflow = rp->scale_overflow;
    sum->overflow_layer = rp->overflow_layer;
    sum->changed = rp->changed;
    sum->overflowed = rp->overflowed;
    sum->underflowed = rp->underflowed;
    sum->overflows = rp->overflows;
    sum->first_overflow = gc_replay_first_param(rp, GC_ROUND_OVERFLOW);
    sum->first_underflow = gc_replay_first_param(rp, GC_ROUND_UNDERFLOW);
    return status;
}

/* Evaluates the exact values, replays every format and writes the
   report (and the network, as *no* says).  Every replay keeps only its
   gradients; with --summary, and for the unscaled runs of
   --loss-scale, the formats go one at a time through one replay, whose
   summary is all that stays.  Returns an exit status. */
static int
compare_run(compare_struct * c, const gc_netopts_struct * no)
{
    slong i, n = c->ro->nfmts;
    int status, rc, scaled = (c->ro->scale_str != NULL);
    gc_replay_t work;

    c->random = no->random ? &no->spec : NULL;
    c->sum = flint_malloc(n * sizeof(compare_sum_struct));
    c->sum0 = flint_malloc(n * sizeof(compare_sum_struct));
    c->rp = c->summary_only ? NULL
                            : flint_malloc(n * sizeof(gc_replay_struct));
    for (i = 0; c->rp != NULL && i < n; i++)
    {
        gc_replay_init(c->rp + i);
        c->rp[i].keep = GC_REPLAY_GRADS;
    }
    gc_replay_init(work);
    work->keep = GC_REPLAY_GRADS;
    /* the exact values: only dC/db_j and dC/dw_j are read (dw follows db,
       as gc_netopts_unprintable wants), so the gradients-only trace */
    gc_arb_trace_init_grads(c->exact, c->net->len);

    c->exact_status = c->fast ? gc_eval_fast_digits(c->exact, c->net,
                                                    c->digits, c->max_prec,
                                                    &c->prec)
                              : gc_eval_arb_digits(c->exact, c->net,
                                                   c->digits, c->max_prec,
                                                   &c->prec);
    status = 0;
    for (i = 0; i < n; i++)
    {
        status |= compare_replay(c->sum + i,
                                 c->rp != NULL ? c->rp + i : work, c, i,
                                 scaled);
        if (scaled)
            status |= compare_replay(c->sum0 + i, work, c, i, 0);
    }
    gc_replay_clear(work);
    /* the events above only read which exact values are zero, which both
       engines decide alike: only the relative errors may need Arb */
    if (c->prec == 53 && !compare_rel_errors_decided(c))
        c->exact_status = gc_eval_arb_digits(c->exact, c->net, c->digits,
                                             c->max_prec, &c->prec);
    status |= c->exact_status;

    if (status & GC_DOMAIN)
    {
        gc_cli_error("compare: %s", gc_status_str(status));
        rc = GC_EXIT_EVAL;
    }
    else
    {
        rc = gc_netopts_emit(no, c->net, compare_write, c);
        if (rc == GC_EXIT_OK && status != GC_SUCCESS)
        {
            /* the Ziv loop proves dC/dw_j too, though not shown */
            if (gc_netopts_unprintable("compare", c->exact->db,
                                       2 * c->net->len) == 0)
                gc_cli_error("compare: exact values with fewer than %ld "
                             "proven digits at --max-prec %ld bits",
                             (long) c->digits, (long) c->max_prec);
            rc = GC_EXIT_EVAL;
        }
    }

    gc_arb_trace_clear(c->exact);
    for (i = 0; c->rp != NULL && i < n; i++)
        gc_replay_clear(c->rp + i);
    flint_free(c->rp);
    flint_free(c->sum);
    flint_free(c->sum0);
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

int
gc_cmd_compare(int argc, char ** argv)
{
    gc_netopts_struct no;
    gc_replayopts_struct ro;
    compare_struct c;
    gc_cli_opts_struct cli = {gc_cmd_compare_help, gc_netopts_help,
                              gc_netopts_parse, &no};
    gc_net_t net;
    int opt, rc = GC_EXIT_OK;

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
    rc = gc_replayopts_finish(&ro, net, &no, argc - optind, argv + optind);
    if (rc == GC_EXIT_OK)
    {
        c.net = net;
        c.digits = no.digits != 0 ? no.digits : 10;
        c.format = no.format;
        /* every layer is kept: refused before it starts if the memory
           cannot hold it */
        rc = gc_cli_check_memory(
            "compare", compare_bytes(&c, net), net->len,
            "for the exact values and the replays of every layer",
            c.summary_only ? "compare has no streaming mode yet: use fewer "
                             "layers"
                           : "compare has no streaming mode yet: use fewer "
                             "layers or formats, or --summary");
    }
    if (rc == GC_EXIT_OK)
    {
        /* every layer is replayed and kept: draw a random chain once */
        gc_net_materialize(net);
        rc = compare_run(&c, &no);
    }
    gc_net_clear(net);
    gc_replayopts_clear(&ro);
    return rc;
}
