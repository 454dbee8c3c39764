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

#include "output.h"
#include "sweep-mpi.h"

enum
{
    OPT_DEPTHS = GC_SWEEPOPT_LOCAL,
    OPT_RATIO,
    OPT_FACTORS,
    OPT_PER_NETWORK,
    OPT_CHECKPOINT
};

const char gc_cmd_sweep_help[] =
    "Usage: gradchain sweep --random DIST --layers L --samples N [OPTION]...\n"
    "  or:  gradchain sweep --weights DIST --biases DIST --layers L\n"
    "                       --samples N [OPTION]...\n"
    "  or:  gradchain sweep --random DIST --neurons N0,N1,...,NL\n"
    "                       --samples N [OPTION]...\n"
    "Replay N random chains in machine number formats and report, per\n"
    "format and loss scale, where the gradient is lost: the first layer\n"
    "counted from the output whose dC/db_j is subnormal, zero, or infinite\n"
    "or NaN (nonfinite), and where the replay overflowed (overflow: an\n"
    "operation of layer j's backward step, or before it, rounded beyond\n"
    "the largest finite number, to inf or NaN or saturated at max as e4m3\n"
    "does; the forward pass counts as layer L; a nonfinite dC/db_j is an\n"
    "overflow too).  A subnormal or zero counts only where the exact value\n"
    "is not zero; under a loss scale, subnormal is that of the scaled\n"
    "gradient in the format, so --loss-scale 1 gives the events of no\n"
    "scaling.  Each event is reported as depth d = L - j + 1 (the number\n"
    "of s' factors) and as layer j: the fraction of networks where it\n"
    "happens, and min, quartiles, median and max over those networks\n"
    "(quantiles interpolated linearly, R's type 7).  The gradient is lost\n"
    "from the first zero, nonfinite or overflow depth on (a saturated\n"
    "gradient is lost); 'reached' is the depth reached before that (the\n"
    "first lost depth minus 1, or L when it is never lost), 'gained' the\n"
    "depth reached minus the depth reached without loss scaling, per\n"
    "network.  Network i (0 .. N-1) is the\n"
    "one that 'gradchain compare --random DIST --layers L --seed S+i' (with\n"
    "the same --weights, --biases, --fan-in-scale, --act, --a0 and --y)\n"
    "draws, so any sample can be replayed alone.  The output is the same\n"
    "for every --threads.\n"
    "With --neurons the networks are wide (layer l has n_l neurons; the\n"
    "same draws as 'gradchain compare --neurons'): dC/db^l is a vector,\n"
    "subnormal and zero are the first layer where ANY entry is (where its\n"
    "exact value is not zero), nonfinite where any entry is, overflow as\n"
    "above, and two more events take the whole vector, where its exact\n"
    "value is not the zero vector: norm_subnormal, EVERY entry subnormal\n"
    "or zero (under a loss scale, of the scaled gradient: the format holds\n"
    "no normal number of it), and norm_zero, EVERY entry zero (its norm\n"
    "is 0: the gradient vector is lost).  'reached' stops where the\n"
    "vector is lost (norm_zero, nonfinite or overflow), not at a zero\n"
    "entry.  --depths then gives log10 of the exact norm\n"
    "||dC/db^j||_2; --ratio and --factors are for chains.\n"
    "\n"
    GC_NETOPTS_RANDOM_HELP
    "      --layers L             number of layers of every chain\n"
    "      --neurons N|N0,N1,...,NL\n"
    "                             wide networks: every layer and a_0 N wide\n"
    "                             (needs --layers), or the widths of a_0 and\n"
    "                             of each layer; fan_in and fan_out of --init\n"
    "                             are the widths around a weight\n"
    "      --samples N            number of networks\n"
    "      --seed S               seed of network 0 (default 0); network i\n"
    "                             has seed S+i, and S+N-1 must not exceed\n"
    "                             2^64-1\n"
    "      --act NAME             activation of every layer (default\n"
    "                             sigmoid)\n"
    "      --a0 X                 input a_0 of every network (default 1); with\n"
    "                             --neurons n_0 values ('1/2,-0.25')\n"
    "      --y X                  target y of every network (default 0); with\n"
    "                             --neurons n_L values\n"
    "      --formats LIST         comma-separated formats (default\n"
    "                             binary64), as for compare, with rounding\n"
    "                             modifiers (bfloat16:sr, binary16:ftz)\n"
    "      --sequence NAME        operation sequence, as for compare\n"
    "                             (default pytorch)\n"
    "      --loss-scale LIST      comma-separated loss scales, each as for\n"
    "                             compare (1,2^8,2^16) or 'auto': per\n"
    "                             network and format the largest 2^k, k >= 0,\n"
    "                             whose replay does not overflow (saturation\n"
    "                             included; bisection on k, assuming a scale\n"
    "                             that overflows makes every larger one\n"
    "                             overflow); 'auto' is reported last\n"
    "      --sr-seed N            seed of the stochastic rounding of :sr\n"
    "                             formats, the same for every network\n"
    "                             (default 0)\n"
    "      --depths LIST          comma-separated depths d in 1..L: per\n"
    "                             format the fraction of networks whose\n"
    "                             gradient at depth d is lost, and quantiles\n"
    "                             of log10|dC/db_j| of the exact value (log10\n"
    "                             rounded to binary64; exact zeros left out;\n"
    "                             with --neurons of the norm ||dC/db^j||_2)\n"
    "      --ratio bJ:bK          (repeatable; J < K) quantiles of\n"
    "                             |dC/db_J / dC/db_K| of the exact values\n"
    "                             (rounded to binary64) and the fraction of\n"
    "                             networks where dC/db_J is at least\n"
    "                             4^(K-J) times smaller (decided exactly)\n"
    "      --factors              the factors |w_k s'(z_k)|, k = 2..L, of\n"
    "                             dC/db_1, pooled over the networks: the\n"
    "                             fraction below 1/4 (decided exactly) and\n"
    "                             quantiles (rounded to binary64); needs\n"
    "                             8 (L-1) N bytes\n"
    "      --threads N            threads (default: the processors this\n"
    "                             process may run on)\n"
    "      --progress             show progress on stderr (networks done,\n"
    "                             rate, ETA) even when it is not a terminal\n"
    "      --no-progress          never show progress (default: shown when\n"
    "                             stderr is a terminal)\n"
    "      --per-network FILE     also write one CSV row per network, format\n"
    "                             and loss scale: seed,format,loss_scale,\n"
    "                             first_subnormal_layer,first_zero_layer,\n"
    "                             first_nonfinite_layer,first_overflow_layer\n"
    "                             (then first_norm_subnormal_layer,\n"
    "                             first_norm_zero_layer with --neurons;\n"
    "                             empty where it did not happen;\n"
    "                             loss_scale as in the report: empty\n"
    "                             without scaling, or 'auto'), a\n"
    "                             ratio_bJ_bK column per --ratio (%.17g of\n"
    "                             the binary64 nearest to the exact ratio)\n"
    "                             and scale_used (the 2^k that auto chose)\n"
    GC_SWEEP_CHECKPOINT_HELP
    "      --format text|csv|json output format (default text)\n"
    "  -o, --output FILE          write to FILE, all or nothing (default\n"
    "                             stdout)\n"
    "The text report is a table of events (format, loss_scale, event,\n"
    "measure, networks, fraction, min, q1, median, q3, max), followed by\n"
    "the tables lost and log10 (--depths), ratios (--ratio) and factors\n"
    "(--factors); JSON has them as arrays 'rows', 'lost', 'log10',\n"
    "'ratios' and 'factors' of objects keyed by the CSV column names, with\n"
    "numbers as JSON numbers, and the run's parameters in 'meta'.  CSV is\n"
    "one tidy table, one row per statistic:\n"
    "table,format,loss_scale,event,measure,depth,ratio,total,count,\n"
    "fraction,min,q1,median,q3,max (table: events, lost, log10, ratios or\n"
    "factors; count out of total, e.g. networks with the event out of the\n"
    "networks, ratios with dC/db_J 4^(K-J) times smaller out of those\n"
    "with dC/db_K nonzero, factors below 1/4 out of all; an empty field\n"
    "where a column does not apply); it carries no parameters (text and\n"
    "JSON do).  fraction = count/total with 6 significant digits,\n"
    "quantiles with 15.  An absent value is '-' in text, an empty field\n"
    "in CSV and null in JSON.\n"
    "A format (by its canonical name), loss scale, depth or ratio given\n"
    "twice is refused.\n"
    "^C or SIGTERM stops the sweep after the networks in flight, writes\n"
    "the report over networks 0 .. K-1 (those of --samples K: the\n"
    "completed ones up to the first missing), marked partial ('# partial:\n"
    "K of N networks (interrupted)' in text, \"partial\" in JSON; CSV,\n"
    "which has no header, and --per-network hold the completed networks'\n"
    "rows), and exits with status 130; a second one ends it at once,\n"
    "writing nothing.\n"
    GC_SWEEP_MPI_HELP
    "\n"
    "Examples:\n"
    "  gradchain sweep --random normal:0,1 --layers 4 --samples 10000 \\\n"
    "      --ratio b1:b3 --formats binary32,bfloat16 --threads 2\n"
    "  gradchain sweep --random normal:0,1 --neurons 16 --layers 20 \\\n"
    "      --init fan-in --samples 100 --formats bfloat16,binary16\n";

static const struct option sweep_longopts[] = {
    GC_SWEEPOPTS_STUDY_LONGOPTS,
    {"format", required_argument, NULL, GC_NETOPT_FORMAT},
    {"depths", required_argument, NULL, OPT_DEPTHS},
    {"ratio", required_argument, NULL, OPT_RATIO},
    {"factors", no_argument, NULL, OPT_FACTORS},
    {"per-network", required_argument, NULL, OPT_PER_NETWORK},
    {"neurons", required_argument, NULL, GC_NETOPT_NEURONS},
    {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
    {NULL, 0, NULL, 0}};

/* The most items of --depths, --loss-scale and --ratio. */
#define SWEEP_LIST_MAX 256

typedef struct
{
    gc_sweep_t s;
    gc_sweep_spec_struct spec;
    gc_replayopts_struct ro;               /* all but --loss-scale */
    gc_sweepopts_struct so;
    const gc_numfmt_struct * fmts;         /* ro's */
    const char * scale_list;               /* NULL: no loss scaling */
    char * scale_text;                     /* a copy, split at commas */
    const char * scale_str[SWEEP_LIST_MAX]; /* of the fixed scales */
    __mpfr_struct scales[SWEEP_LIST_MAX];
    const char * depth_list;
    slong depths[SWEEP_LIST_MAX];
    const char * ratio_str[SWEEP_LIST_MAX];
    gc_param_struct ratios[2 * SWEEP_LIST_MAX];
    gc_report_format_t format;
    const gc_wnet_struct * wide;           /* network 0, NULL: chains */
    int nevents;                           /* the events reported */
    const char * checkpoint;               /* --checkpoint (NULL: none) */
} sweep_struct;

/* The report: one record per statistic, the cells of the tidy CSV
   table (SWEEP_CELL_*; NULL where not applicable).  Text and JSON show
   each kind of record (a table) with the columns that apply to it. */
enum
{
    SWEEP_CELL_TABLE = 0,
    SWEEP_CELL_FORMAT,
    SWEEP_CELL_SCALE,
    SWEEP_CELL_EVENT,
    SWEEP_CELL_MEASURE,
    SWEEP_CELL_DEPTH,
    SWEEP_CELL_RATIO,
    SWEEP_CELL_TOTAL,
    SWEEP_CELL_COUNT,
    SWEEP_CELL_FRACTION,
    SWEEP_CELL_MIN,
    SWEEP_CELLS = SWEEP_CELL_MIN + 5
};

/* The five quantile columns, *w* wide. */
#define SWEEP_QUANTILE_COLS(w)                                              \
    {"min", "min", GC_COL_NUM, w}, {"q1", "q1", GC_COL_NUM, w},             \
        {"median", "median", GC_COL_NUM, w}, {"q3", "q3", GC_COL_NUM, w},   \
        {"max", "max", GC_COL_NUM, w}

#define SWEEP_QUANTILE_IDX                                                  \
    SWEEP_CELL_MIN, SWEEP_CELL_MIN + 1, SWEEP_CELL_MIN + 2,                 \
        SWEEP_CELL_MIN + 3, SWEEP_CELL_MIN + 4

/* The CSV table: every cell. */
static const gc_col_struct sweep_csv_cols[SWEEP_CELLS] = {
    {"table", "table", GC_COL_STR, 0},
    {"format", "format", GC_COL_STR, 0},
    {"loss_scale", "loss_scale", GC_COL_STR, 0},
    {"event", "event", GC_COL_STR, 0},
    {"measure", "measure", GC_COL_STR, 0},
    {"depth", "depth", GC_COL_INT, 0},
    {"ratio", "ratio", GC_COL_STR, 0},
    {"total", "total", GC_COL_INT, 0},
    {"count", "count", GC_COL_INT, 0},
    {"fraction", "fraction", GC_COL_NUM, 0},
    SWEEP_QUANTILE_COLS(0)};

/* The events table's columns, the event's *w* wide. */
#define SWEEP_EVENTS_COLS(w)                                                \
    {"format", "format", GC_COL_STR, -23},                                  \
        {"loss_scale", "loss_scale", GC_COL_STR, -10},                      \
        {"event", "event", GC_COL_STR, w},                                  \
        {"measure", "measure", GC_COL_STR, -7},                             \
        {"count", "networks", GC_COL_INT, 8},                               \
        {"fraction", "fraction", GC_COL_NUM, 9}, SWEEP_QUANTILE_COLS(6)

static const gc_col_struct sweep_events_cols[] = {SWEEP_EVENTS_COLS(-9)};
/* wide networks': "norm_subnormal" */
static const gc_col_struct sweep_wide_events_cols[] = {
    SWEEP_EVENTS_COLS(-14)};
static const int sweep_events_idx[] = {
    SWEEP_CELL_FORMAT, SWEEP_CELL_SCALE, SWEEP_CELL_EVENT,
    SWEEP_CELL_MEASURE, SWEEP_CELL_COUNT, SWEEP_CELL_FRACTION,
    SWEEP_QUANTILE_IDX};

static const gc_col_struct sweep_lost_cols[] = {
    {"depth", "depth", GC_COL_INT, 6},
    {"format", "format", GC_COL_STR, -23},
    {"loss_scale", "loss_scale", GC_COL_STR, -10},
    {"count", "lost", GC_COL_INT, 8},
    {"fraction", "fraction", GC_COL_NUM, 9}};
static const int sweep_lost_idx[] = {
    SWEEP_CELL_DEPTH, SWEEP_CELL_FORMAT, SWEEP_CELL_SCALE, SWEEP_CELL_COUNT,
    SWEEP_CELL_FRACTION};

static const gc_col_struct sweep_log10_cols[] = {
    {"depth", "depth", GC_COL_INT, 6},
    {"count", "networks", GC_COL_INT, 8},
    {"fraction", "fraction", GC_COL_NUM, 9},
    SWEEP_QUANTILE_COLS(18)};
static const int sweep_log10_idx[] = {
    SWEEP_CELL_DEPTH, SWEEP_CELL_COUNT, SWEEP_CELL_FRACTION,
    SWEEP_QUANTILE_IDX};

static const gc_col_struct sweep_ratio_cols[] = {
    {"ratio", "ratio", GC_COL_STR, -8},
    {"total", "networks", GC_COL_INT, 8},
    {"count", "smaller", GC_COL_INT, 8},
    {"fraction", "fraction", GC_COL_NUM, 9},
    SWEEP_QUANTILE_COLS(20)};
static const int sweep_ratio_idx[] = {
    SWEEP_CELL_RATIO, SWEEP_CELL_TOTAL, SWEEP_CELL_COUNT,
    SWEEP_CELL_FRACTION, SWEEP_QUANTILE_IDX};

static const gc_col_struct sweep_factor_cols[] = {
    {"total", "factors", GC_COL_INT, 10},
    {"count", "below_1/4", GC_COL_INT, 10},
    {"fraction", "fraction", GC_COL_NUM, 9},
    SWEEP_QUANTILE_COLS(20)};
static const int sweep_factor_idx[] = {
    SWEEP_CELL_TOTAL, SWEEP_CELL_COUNT, SWEEP_CELL_FRACTION,
    SWEEP_QUANTILE_IDX};

#define SWEEP_NCOLS(c) ((slong) (sizeof c / sizeof c[0]))

/* A table of the text and JSON reports: its name (the JSON key), its
   name in the CSV column 'table', columns and their cells. */
typedef struct
{
    const char * name;
    const char * csv;
    const gc_col_struct * cols;
    slong ncols;
    const int * idx;
} sweep_table_struct;

#define SWEEP_TABLE(n, csv, t)                                              \
    {n, csv, sweep_##t##_cols, SWEEP_NCOLS(sweep_##t##_cols), sweep_##t##_idx}

static const sweep_table_struct sweep_tables[] = {
    SWEEP_TABLE("rows", "events", events), SWEEP_TABLE("lost", "lost", lost),
    SWEEP_TABLE("log10", "log10", log10),
    SWEEP_TABLE("ratios", "ratios", ratio),
    SWEEP_TABLE("factors", "factors", factor)};

/* The tables, in sweep_tables. */
enum
{
    SWEEP_EVENTS = 0,
    SWEEP_LOST,
    SWEEP_LOG10,
    SWEEP_RATIOS,
    SWEEP_FACTORS
};

/* A statistic: count out of total, and the quantiles of *st* unless
   NULL; the other cells are set by the caller (NULL: not applicable). */
typedef struct
{
    const char * cells[SWEEP_CELLS];
    char buf[SWEEP_CELLS][32];
} sweep_rec_struct;

static void
sweep_rec_init(sweep_rec_struct * rec, slong table)
{
    int i;

    for (i = 0; i < SWEEP_CELLS; i++)
        rec->cells[i] = NULL;
    rec->cells[SWEEP_CELL_TABLE] = sweep_tables[table].csv;
}

/* Sets cell *i* of *rec* to the integer *x*. */
static void
sweep_rec_int(sweep_rec_struct * rec, int i, slong x)
{
    snprintf(rec->buf[i], 32, "%ld", (long) x);
    rec->cells[i] = rec->buf[i];
}

/* Sets the count, total, fraction (6 significant digits; absent when
   total is 0) and the quantiles of *st* (absent when it has no values
   or st is NULL), then writes *rec* as a row of table *table*: all
   cells in CSV, the table's in text and JSON. */
static void
sweep_rec_write(gc_report_t r, sweep_rec_struct * rec, slong table,
                slong count, slong total, const gc_stats_struct * st)
{
    const sweep_table_struct * t = sweep_tables + table;
    const char * cells[SWEEP_CELLS];
    double q[5];
    slong i;

    sweep_rec_int(rec, SWEEP_CELL_COUNT, count);
    sweep_rec_int(rec, SWEEP_CELL_TOTAL, total);
    if (total > 0)
    {
        snprintf(rec->buf[SWEEP_CELL_FRACTION], 32, "%.6g",
                 (double) count / (double) total);
        rec->cells[SWEEP_CELL_FRACTION] = rec->buf[SWEEP_CELL_FRACTION];
    }
    if (st != NULL && st->count > 0)
    {
        q[0] = st->min;
        q[1] = st->q1;
        q[2] = st->median;
        q[3] = st->q3;
        q[4] = st->max;
        for (i = 0; i < 5; i++)
        {
            snprintf(rec->buf[SWEEP_CELL_MIN + i], 32, "%.*g",
                     GC_REPORT_NUM_DIGITS, q[i]);
            rec->cells[SWEEP_CELL_MIN + i] = rec->buf[SWEEP_CELL_MIN + i];
        }
    }
    if (r->format == GC_REPORT_CSV)
    {
        gc_report_row(r, rec->cells);
        return;
    }
    for (i = 0; i < t->ncols; i++)
        cells[i] = rec->cells[t->idx[i]];
    gc_report_row(r, cells);
}

/* Starts table *table* (text and JSON; CSV has one), with the events
   columns of wide networks if *wide*. */
static void
sweep_table(gc_report_t r, slong table, int wide)
{
    const sweep_table_struct * t = sweep_tables + table;

    if (r->format != GC_REPORT_CSV)
        gc_report_section(r, t->name,
                          wide && table == SWEEP_EVENTS
                              ? sweep_wide_events_cols : t->cols,
                          t->ncols);
}

/* Returns the name of the loss scale of slot *slot* (NULL: none). */
static const char *
sweep_scale_name(const sweep_struct * c, slong slot)
{
    if (slot < c->spec.nscales)
        return c->scale_str[slot];
    return c->spec.scale_auto ? "auto" : NULL;
}

/* Starts a record of table *table* for variant *v*. */
static void
sweep_rec_variant(sweep_rec_struct * rec, slong table, const sweep_struct * c,
                  slong v)
{
    sweep_rec_init(rec, table);
    rec->cells[SWEEP_CELL_FORMAT] = c->fmts[v % c->spec.nfmts].name;
    rec->cells[SWEEP_CELL_SCALE] = sweep_scale_name(c, v / c->spec.nfmts);
}

/* Writes one events-table row of variant v. */
static void
sweep_row(gc_report_t r, const sweep_struct * c, slong v, const char * ev,
          const char * measure, const gc_stats_t st)
{
    sweep_rec_struct rec;

    sweep_rec_variant(&rec, SWEEP_EVENTS, c, v);
    rec.cells[SWEEP_CELL_EVENT] = ev;
    rec.cells[SWEEP_CELL_MEASURE] = measure;
    sweep_rec_write(r, &rec, SWEEP_EVENTS, st->count, st->total, st);
}

static void
sweep_write_events(gc_report_t r, const sweep_struct * c)
{
    const gc_sweep_struct * s = c->s;
    gc_stats_t st;
    slong v;
    int e, depth;

    sweep_table(r, SWEEP_EVENTS, c->wide != NULL);
    for (v = 0; v < s->nvariants; v++)
    {
        for (e = 0; e < c->nevents; e++)
            for (depth = 1; depth >= 0; depth--)
            {
                gc_sweep_stats(st, s, v, (gc_event_t) e, depth);
                sweep_row(r, c, v, gc_event_name((gc_event_t) e),
                          depth ? "depth" : "layer", st);
            }
        gc_sweep_reached_stats(st, s, v);
        sweep_row(r, c, v, "reached", "depth", st);
        if (s->base_lost != NULL)
        {
            gc_sweep_gained_stats(st, s, v);
            sweep_row(r, c, v, "gained", "depth", st);
        }
        if (s->scale_exp != NULL && v / s->nfmts == s->nslots - 1)
        {
            gc_sweep_scale_stats(st, s, v % s->nfmts);
            sweep_row(r, c, v, "scale", "log2", st);
        }
    }
}

static void
sweep_write_depths(gc_report_t r, const sweep_struct * c)
{
    const gc_sweep_struct * s = c->s;
    sweep_rec_struct rec;
    gc_stats_t st;
    slong t, v;

    sweep_table(r, SWEEP_LOST, 0);
    for (t = 0; t < s->ndepths; t++)
        for (v = 0; v < s->nvariants; v++)
        {
            sweep_rec_variant(&rec, SWEEP_LOST, c, v);
            rec.cells[SWEEP_CELL_MEASURE] = "depth";
            sweep_rec_int(&rec, SWEEP_CELL_DEPTH, s->depths[t]);
            sweep_rec_write(r, &rec, SWEEP_LOST,
                            gc_sweep_lost_count(s, v, s->depths[t]),
                            s->completed, NULL);
        }
    sweep_table(r, SWEEP_LOG10, 0);
    for (t = 0; t < s->ndepths; t++)
    {
        gc_sweep_log10_stats(st, s, t);
        sweep_rec_init(&rec, SWEEP_LOG10);
        rec.cells[SWEEP_CELL_MEASURE] = "depth";
        sweep_rec_int(&rec, SWEEP_CELL_DEPTH, s->depths[t]);
        sweep_rec_write(r, &rec, SWEEP_LOG10, st->count, st->total, st);
    }
}

static void
sweep_write_ratios(gc_report_t r, const sweep_struct * c)
{
    const gc_sweep_struct * s = c->s;
    sweep_rec_struct rec;
    gc_stats_t st;
    slong t;

    sweep_table(r, SWEEP_RATIOS, 0);
    for (t = 0; t < s->nratios; t++)
    {
        slong n = gc_sweep_ratio_stats(st, s, t);

        sweep_rec_init(&rec, SWEEP_RATIOS);
        rec.cells[SWEEP_CELL_RATIO] = c->ratio_str[t];
        sweep_rec_write(r, &rec, SWEEP_RATIOS, n, st->count, st);
    }
}

static void
sweep_write_factors(gc_report_t r, const sweep_struct * c)
{
    sweep_rec_struct rec;
    gc_stats_t st;
    slong n = gc_sweep_factor_stats(st, c->s);

    sweep_table(r, SWEEP_FACTORS, 0);
    sweep_rec_init(&rec, SWEEP_FACTORS);
    sweep_rec_write(r, &rec, SWEEP_FACTORS, n, st->count, st);
}

/* Adds the exact rationals q[0 .. n) as the metadata *key*, separated
   by commas. */
static void
sweep_meta_q(gc_report_t r, const char * key, mpq_srcptr q, slong n)
{
    size_t len = 1, at = 0;
    char * buf;
    slong k;

    for (k = 0; k < n; k++)
        len += mpz_sizeinbase(mpq_numref(q + k), 10)
               + mpz_sizeinbase(mpq_denref(q + k), 10) + 4;
    buf = flint_malloc(len);
    for (k = 0; k < n; k++)
        at += gmp_snprintf(buf + at, len - at, k > 0 ? ",%Qd" : "%Qd",
                           q + k);
    gc_report_meta(r, key, buf);
    flint_free(buf);
}

/* Adds the widths of a sweep of wide networks as the metadata
   "neurons" (N0,N1,...,NL). */
static void
sweep_meta_widths(gc_report_t r, const gc_wnet_struct * net)
{
    char * buf = flint_malloc((net->len + 1) * 24);
    size_t at = 0;
    slong l;

    for (l = 0; l <= net->len; l++)
        at += sprintf(buf + at, l > 0 ? ",%ld" : "%ld",
                      (long) net->width[l]);
    gc_report_meta(r, "neurons", buf);
    flint_free(buf);
}

/* Adds the activation of every layer, *act* (NULL: the default), to
   the report's parameters. */
static void
sweep_meta_act(gc_report_t r, const gc_activation_struct * act)
{
    gc_activation_t a;
    char * name;

    gc_activation_init(a);
    name = gc_activation_get_str(act != NULL ? act : a);
    gc_report_meta(r, "act", name);
    flint_free(name);
    gc_activation_clear(a);
}

static int
sweep_write(FILE * out, const void * ctx)
{
    const sweep_struct * c = ctx;
    gc_report_t r;
    char buf[160];

    gc_report_init(r, out, c->format, sweep_csv_cols, SWEEP_CELLS);
    gc_netopts_meta_random(r, c->spec.random);
    gc_report_meta_int(r, "layers", c->s->layers);
    if (c->wide != NULL)
        sweep_meta_widths(r, c->wide);
    sweep_meta_act(r, c->spec.act);
    sweep_meta_q(r, "a0", c->spec.a0, c->wide ? c->wide->width[0] : 1);
    sweep_meta_q(r, "y", c->spec.y,
                 c->wide ? c->wide->width[c->wide->len] : 1);
    gc_report_meta_int(r, "samples", c->s->samples);
    if (c->s->completed < c->s->samples)
    {
        snprintf(buf, sizeof buf, "%ld of %ld networks (interrupted)",
                 (long) c->s->completed, (long) c->s->samples);
        gc_report_meta(r, "partial", buf);
    }
    snprintf(buf, sizeof buf, "%lu", (unsigned long) c->s->seed);
    gc_report_meta(r, "seed", buf);
    gc_report_meta(r, "sequence", gc_seq_name(c->spec.seq));
    gc_report_meta(r, "loss_scale", c->scale_list ? c->scale_list : "none");
    gc_report_meta_int(r, "sr_seed", c->ro.sr_seed);

    sweep_write_events(r, c);
    if (c->s->ndepths > 0)
        sweep_write_depths(r, c);
    if (c->s->nratios > 0)
        sweep_write_ratios(r, c);
    if (c->s->factor != NULL)
        sweep_write_factors(r, c);
    return gc_report_clear(r) == GC_SUCCESS ? GC_EXIT_OK : GC_EXIT_USAGE;
}

/* The tidy per-network CSV (written by the report module, which quotes
   a format name holding a comma): one row per network and variant, the
   variant's loss scale as in the report (empty: none; "auto"), the
   events' layers, the ratios, and last the scale an automatic variant
   chose (2^k; empty for the others). */
static int
sweep_write_networks(FILE * out, const void * ctx)
{
    const sweep_struct * c = ctx;
    const gc_sweep_struct * s = c->s;
    slong i, v, t, ne = c->nevents, ncols = 4 + ne + s->nratios;
    gc_col_struct * cols = flint_malloc(ncols * sizeof(gc_col_struct));
    char (* names)[40] = flint_malloc((ne + s->nratios) * sizeof(*names));
    char (* num)[40] = flint_malloc((ne + s->nratios + 2) * sizeof(*num));
    const char ** cells = flint_malloc(ncols * sizeof(const char *));
    gc_report_t r;
    int e, rc;

    for (t = 0; t < ncols; t++)
        cols[t] = (gc_col_struct){NULL, NULL, GC_COL_STR, 0};
    cols[0].name = "seed";
    cols[1].name = "format";
    cols[2].name = "loss_scale";
    for (e = 0; e < ne; e++)
    {
        snprintf(names[e], 40, "first_%s_layer",
                 gc_event_name((gc_event_t) e));
        cols[3 + e].name = names[e];
    }
    for (t = 0; t < s->nratios; t++)
    {
        snprintf(names[ne + t], 40, "ratio_b%ld_b%ld",
                 (long) s->ratios[2 * t], (long) s->ratios[2 * t + 1]);
        cols[3 + ne + t].name = names[ne + t];
    }
    cols[ncols - 1].name = "scale_used";
    gc_report_init(r, out, GC_REPORT_CSV, cols, ncols);
    for (i = 0; i < s->samples; i++)
        for (v = 0; v < s->nvariants && s->done[i]; v++)
        {
            slong k = v % s->nfmts, slot = v / s->nfmts;

            snprintf(num[0], 40, "%lu", (unsigned long) (s->seed + (ulong) i));
            cells[0] = num[0];
            cells[1] = c->fmts[k].name;
            cells[2] = sweep_scale_name(c, slot);
            for (e = 0; e < ne; e++)
            {
                slong j = gc_sweep_layer(s, i, v, (gc_event_t) e);

                snprintf(num[2 + e], 40, "%ld", (long) j);
                cells[3 + e] = j != 0 ? num[2 + e] : NULL;
            }
            for (t = 0; t < s->nratios; t++)
            {
                double x = s->ratio[i * s->nratios + t];

                snprintf(num[2 + ne + t], 40, "%.17g", x);
                cells[3 + ne + t] = x == x ? num[2 + ne + t] : NULL;
            }
            cells[ncols - 1] = NULL;
            if (slot >= c->spec.nscales && c->spec.scale_auto)
            {
                snprintf(num[1], 40, "2^%ld",
                         (long) s->scale_exp[i * s->nfmts + k]);
                cells[ncols - 1] = num[1];
            }
            gc_report_row(r, cells);
        }
    rc = gc_report_clear(r) == GC_SUCCESS ? GC_EXIT_OK : GC_EXIT_USAGE;
    flint_free(cells);
    flint_free(num);
    flint_free(names);
    flint_free(cols);
    return rc;
}

/* Splits the copy *text* of a comma-separated list of *opt* into items[]
   (at most SWEEP_LIST_MAX, none empty) and sets *n*.  Returns an exit
   status. */
static int
sweep_split(const char ** items, slong * n, char * text, const char * opt)
{
    char * p = text;

    for (*n = 0; ; (*n)++)
    {
        char * comma = strchr(p, ',');

        if (comma != NULL)
            *comma = '\0';
        if (*p == '\0')
            return gc_cli_usage_error("%s: empty item in the list", opt);
        if (*n == SWEEP_LIST_MAX)
            return gc_cli_usage_error("%s: more than %d items, got '%s'",
                                      opt, SWEEP_LIST_MAX, p);
        items[*n] = p;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    (*n)++;
    return GC_EXIT_OK;
}

/* Parses --loss-scale into the spec: fixed scales in order, 'auto' (at
   most once) as the last slot.  Returns an exit status. */
static int
sweep_parse_scales(sweep_struct * c)
{
    const char * items[SWEEP_LIST_MAX];
    gc_parse_error_t err;
    slong n, i, t;
    int rc;

    c->scale_text = flint_malloc(strlen(c->scale_list) + 1);
    strcpy(c->scale_text, c->scale_list);
    rc = sweep_split(items, &n, c->scale_text, "--loss-scale");
    for (i = 0; i < n && rc == GC_EXIT_OK; i++)
    {
        if (strcmp(items[i], "auto") == 0)
        {
            if (c->spec.scale_auto)
                return gc_cli_usage_error("--loss-scale: 'auto' twice");
            c->spec.scale_auto = 1;
            continue;
        }
        c->scale_str[c->spec.nscales] = items[i];
        if (gc_loss_scale_set_str(c->scales + c->spec.nscales, items[i],
                                  err) != GC_SUCCESS)
            return gc_cli_usage_error("--loss-scale: %s", err->msg);
        for (t = 0; t < c->spec.nscales; t++)
            if (mpfr_equal_p(c->scales + t, c->scales + c->spec.nscales))
                return gc_cli_usage_error("--loss-scale: '%s' repeats the "
                                          "scale '%s'", items[i],
                                          c->scale_str[t]);
        c->spec.nscales++;
    }
    return rc;
}

/* Checks every loss scale for every format.  Returns an exit status. */
static int
sweep_check_scales(const sweep_struct * c)
{
    slong t;
    int rc = GC_EXIT_OK;

    for (t = 0; t < c->spec.nscales && rc == GC_EXIT_OK; t++)
        rc = gc_replayopts_check_scale(c->fmts, c->spec.nfmts,
                                       c->scales + t, c->scale_str[t]);
    return rc;
}

/* Parses --depths (each in 1..L) into the spec.  Returns an exit
   status. */
static int
sweep_parse_depths(sweep_struct * c, slong L)
{
    const char * items[SWEEP_LIST_MAX];
    char * text = flint_malloc(strlen(c->depth_list) + 1);
    slong n, i;
    int rc;

    strcpy(text, c->depth_list);
    rc = sweep_split(items, &n, text, "--depths");
    for (i = 0; i < n && rc == GC_EXIT_OK; i++)
    {
        slong t;

        rc = gc_cli_parse_slong(c->depths + i, items[i], "--depths", 1, L);
        for (t = 0; t < i && rc == GC_EXIT_OK; t++)
            if (c->depths[t] == c->depths[i])
                rc = gc_cli_usage_error("--depths: depth '%s' twice",
                                        items[i]);
    }
    if (rc == GC_EXIT_OK)
    {
        c->spec.depths = c->depths;
        c->spec.ndepths = n;
    }
    flint_free(text);
    return rc;
}

/* Returns 1 if the n characters at *str* are 'b' and decimal digits. */
static int
sweep_is_bias(const char * str, size_t n)
{
    return n >= 2 && str[0] == 'b' && strspn(str + 1, "0123456789") == n - 1;
}

/* Parses the --ratio bJ:bK options (biases, 1 <= J < K <= L) into the
   spec.  Returns an exit status. */
static int
sweep_parse_ratios(sweep_struct * c, slong L)
{
    slong t, u;
    int rc = GC_EXIT_OK;

    for (t = 0; t < c->spec.nratios && rc == GC_EXIT_OK; t++)
    {
        const char * str = c->ratio_str[t];
        const char * colon = strchr(str, ':');
        gc_param_struct * p = c->ratios + 2 * t;
        char * first;

        /* only biases: gc_cli_parse_param would offer wJ too */
        if (colon == NULL || !sweep_is_bias(str, colon - str)
            || !sweep_is_bias(colon + 1, strlen(colon + 1)))
            return gc_cli_usage_error("--ratio: expected bJ:bK, biases of "
                                      "layers J < K, got '%s'", str);
        first = flint_malloc(colon - str + 1);
        memcpy(first, str, colon - str);
        first[colon - str] = '\0';
        rc = gc_cli_parse_param(p, first, "--ratio", L);
        if (rc == GC_EXIT_OK)
            rc = gc_cli_parse_param(p + 1, colon + 1, "--ratio", L);
        if (rc == GC_EXIT_OK
            && (p[0].kind != GC_PARAM_B || p[1].kind != GC_PARAM_B
                || p[0].layer >= p[1].layer))
            rc = gc_cli_usage_error("--ratio: expected bJ:bK with J < K, "
                                    "got '%s'", str);
        for (u = 0; u < t && rc == GC_EXIT_OK; u++)
            if (c->ratios[2 * u].layer == p[0].layer
                && c->ratios[2 * u + 1].layer == p[1].layer)
                rc = gc_cli_usage_error("--ratio: '%s' twice", str);
        flint_free(first);
    }
    c->spec.ratios = c->ratios;
    return rc;
}

/* A sweep of wide networks like *wide* (network 0): the spec, the
   events of wide networks; --ratio and --factors, defined on chains,
   are refused.  Returns an exit status. */
static int
sweep_wide(sweep_struct * c, const gc_wnet_struct * wide,
           const gc_netopts_struct * no)
{
    if (c->spec.nratios > 0)
        return gc_cli_usage_error("--ratio %s: ratios are for chains; a "
                                  "wide network (--neurons) has vectors "
                                  "dC/db^l (see --depths for their norms)",
                                  c->ratio_str[0]);
    if (c->spec.factors)
        return gc_cli_usage_error("--factors: the factors w_k s'(z_k) are "
                                  "a chain's; a wide network (--neurons) "
                                  "has matrices");
    gc_sweepopts_spec_wide(&c->spec, &c->so, wide, no, &c->ro);
    c->wide = wide;
    c->nevents = GC_EVENTS;
    return GC_EXIT_OK;
}

/* Loads network 0 (which checks the options as compare does: engines,
   --act) and the formats, the lists that depend on L, runs the sweep and
   writes the reports.  Returns an exit status. */
static int
sweep_run(sweep_struct * c, gc_netopts_struct * no, const char * per_network,
          int argc, char ** argv)
{
    gc_net_t net;
    gc_wnet_t wide;
    int rc, is_wide = 0, writes = 1;

    gc_net_init(net);
    gc_wnet_init(wide);
    if (optind < argc)
        rc = gc_cli_usage_error("sweep takes no network file, got '%s'",
                                argv[optind]);
    else
        rc = gc_replayopts_finish_any(&c->ro, net, wide, &is_wide, no, 0,
                                      argv + optind);
    if (is_wide)
        rc = rc != GC_EXIT_OK ? rc : sweep_wide(c, wide, no);
    else
        gc_sweepopts_spec(&c->spec, &c->so, net, no, &c->ro);
    c->fmts = c->spec.fmts;
    if (rc == GC_EXIT_OK && c->scale_list != NULL)
        rc = sweep_parse_scales(c);
    if (rc == GC_EXIT_OK)
        rc = sweep_check_scales(c);
    if (rc == GC_EXIT_OK && c->depth_list != NULL)
        rc = sweep_parse_depths(c, c->spec.layers);
    if (rc == GC_EXIT_OK)
        rc = sweep_parse_ratios(c, c->spec.layers);
    c->spec.scales = c->scales;
    c->format = no->format;
    gc_sweep_init(c->s);
    /* alone, or one of the ranks of an MPI job (sweep-mpi.c): only rank 0
       writes */
    if (rc == GC_EXIT_OK)
        rc = gc_sweep_mpi_run(c->s, &c->spec, &c->so, net, c->wide,
                              c->checkpoint, &writes);
    if (rc == GC_EXIT_OK && writes)
        rc = gc_sweepopts_finish(c->s, "sweep",
                                 gc_cli_emit_pair(no->output, sweep_write, c,
                                                  per_network,
                                                  sweep_write_networks, c));
    gc_sweep_clear(c->s);
    gc_wnet_clear(wide);
    gc_net_clear(net);
    return rc;
}

int
gc_cmd_sweep(int argc, char ** argv)
{
    gc_netopts_struct no;
    sweep_struct * c = flint_calloc(1, sizeof(sweep_struct));
    const char * per_network = NULL;
    gc_cli_opts_struct cli = {gc_cmd_sweep_help, "", gc_netopts_parse,
                              &no};
    slong t;
    int opt, rc = GC_EXIT_OK;

    gc_replayopts_init(&c->ro, "binary64");
    c->nevents = GC_CHAIN_EVENTS;
    gc_sweepopts_init(&c->so);
    for (t = 0; t < SWEEP_LIST_MAX; t++)
        mpfr_init2(c->scales + t, 64);
    gc_netopts_init(&no);
    while ((opt = gc_cli_getopt(argc, argv, sweep_longopts, &cli, &rc)) > 0)
    {
        switch (opt)
        {
            case GC_REPLAYOPT_LOSS_SCALE:
                c->scale_list = optarg;
                break;
            case OPT_DEPTHS:
                c->depth_list = optarg;
                break;
            case OPT_RATIO:
                if (c->spec.nratios == SWEEP_LIST_MAX)
                    rc = gc_cli_usage_error("--ratio: more than %d, got "
                                            "'%s'", SWEEP_LIST_MAX, optarg);
                else
                    c->ratio_str[c->spec.nratios++] = optarg;
                break;
            case OPT_FACTORS:
                c->spec.factors = 1;
                break;
            case OPT_PER_NETWORK:
                per_network = optarg;
                break;
            case OPT_CHECKPOINT:
                c->checkpoint = optarg;
                break;
            default:
                rc = opt < GC_REPLAYOPT_LOCAL
                         ? gc_replayopts_parse(&c->ro, opt, optarg)
                         : gc_sweepopts_parse(&c->so, opt, optarg);
        }
    }
    if (opt != GC_CLI_STOP)
    {
        rc = gc_sweepopts_check(&c->so, &no, "sweep");
        if (rc == GC_EXIT_OK && per_network != NULL
            && gc_cli_same_output(per_network, no.output))
            rc = gc_cli_usage_error("--per-network and the output are the "
                                    "same file '%s'", per_network);
        if (rc == GC_EXIT_OK && c->checkpoint != NULL
            && (gc_cli_same_output(c->checkpoint, no.output)
                || (per_network != NULL
                    && gc_cli_same_output(c->checkpoint, per_network))))
            rc = gc_cli_usage_error("--checkpoint and an output are the "
                                    "same file '%s'", c->checkpoint);
        if (rc == GC_EXIT_OK)
            rc = sweep_run(c, &no, per_network, argc, argv);
    }
    for (t = 0; t < SWEEP_LIST_MAX; t++)
        mpfr_clear(c->scales + t);
    flint_free(c->scale_text);
    gc_replayopts_clear(&c->ro);
    flint_free(c);
    return rc;
}
