/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* plot.c -- 'gradchain plot': a pgfplots figure of log10|dC/db_j|
   against the layer j, exact and replayed in machine formats, with each
   format's smallest normal and subnormal as levels; or, with --sweep,
   the median and quartiles of the exact values over a sweep, with each
   format's median first-zero layer. */

#include <math.h>
#include <string.h>

#include "output.h"
#include "sweepopts.h"

enum
{
    OPT_LANG = GC_SWEEPOPT_LOCAL,
    OPT_STANDALONE,
    OPT_SWEEP,
    OPT_FORMAT
};

#define PLOT_FORMATS_DEFAULT "binary64,binary32,bfloat16,binary16"

/* The working precision of the exact values: they are drawn, not
   printed, so a few correct digits of log10 are plenty. */
#define PLOT_PREC 128

const char gc_cmd_plot_help[] =
    "Usage: gradchain plot [OPTION]... [NETWORK]\n"
    "  or:  gradchain plot --sweep --random DIST --layers L\n"
    "                      --samples N [OPTION]...\n"
    "Write a pgfplots figure (LaTeX) of log10|dC/db_j| against the layer\n"
    "j: the exact value (Arb balls, " GC_XSTR_(PLOT_PREC)
    " bits) and its replay in each\n"
    "format, as compare computes them.  A format's line stops at the first\n"
    "layer, counted from the output, where its dC/db_j is zero, infinite\n"
    "or NaN.  Each format's smallest normal and subnormal numbers are\n"
    "drawn as levels with a label (those far beyond the lines are left out\n"
    "and listed in a comment); y is a plain axis of log10 values, so any\n"
    "depth fits.  Lines differ in colour (Okabe-Ito palette), dash pattern\n"
    "and marker; the styles 'gradchain exact', 'gradchain format K',\n"
    "'gradchain level K' and the colours 'gradchain-K' are defined only if\n"
    "the document has not defined them.  Past "
    GC_XSTR_(GC_PLOT_MAX_POINTS) " points a line is\n"
    "thinned, keeping the points where lines stop.  A fragment starts with\n"
    "a comment naming what the document needs: \\usepackage{pgfplots} and\n"
    "\\pgfplotsset{compat=1.18}.\n"
    "\n"
    "With --sweep it draws, over the N networks of 'gradchain sweep' (the\n"
    "same options: network i is compare's with --seed S+i), the median\n"
    "line and the quartile band of the exact log10|dC/db_j| at every layer\n"
    "(networks whose dC/db_j is exactly 0 left out), and for each format a\n"
    "vertical level at the median of its first zero layer (over the\n"
    "networks where it has one), besides the same min normal and subnormal\n"
    "levels.  ^C stops the sweep as for sweep: the figure covers the\n"
    "networks completed, stderr says how many, and the exit status is 130.\n"
    "\n"
    "      --formats LIST       formats, as for compare (default\n"
    "                           " PLOT_FORMATS_DEFAULT ")\n"
    "      --sequence NAME      operation sequence, as for compare (default\n"
    "                           pytorch)\n"
    "      --loss-scale S       loss scale, as for compare\n"
    "      --sr-seed N          seed of the :sr formats, as for compare\n"
    "      --lang en|pt         language of the labels; pt writes decimal\n"
    "                           commas (0,5) and 1.000 (default en)\n"
    "      --standalone         a complete document, not a fragment\n"
    "  -o, --output FILE        write to FILE, all or nothing (default\n"
    "                           stdout)\n"
    "      --random, --weights, --biases, --fan-in-scale, --layers,\n"
    "      --seed, --a0, --y, --act, --save-network\n"
    "                           the network, as for compare\n"
    "      --sweep              a sweep of networks (no --save-network)\n"
    "      --samples N          number of networks of the sweep\n"
    "      --threads N          threads of the sweep (default: the\n"
    "                           processors this process may run on)\n"
    "      --progress, --no-progress\n"
    "                           the sweep's progress on stderr, as for\n"
    "                           sweep (default: when it is a terminal)\n"
    "\n"
    "Example:\n"
    "  gradchain plot --random normal:0,1 --layers 600 --seed 1 \\\n"
    "      --standalone -o plot.tex && pdflatex plot.tex\n"
    "  gradchain plot --sweep --random normal:0,1 --layers 600 \\\n"
    "      --samples 1000 -o sweep.tex\n";

static const struct option plot_longopts[] = {
    GC_SWEEPOPTS_STUDY_LONGOPTS,
    {"save-network", required_argument, NULL, GC_NETOPT_SAVE_NETWORK},
    {"lang", required_argument, NULL, OPT_LANG},
    {"standalone", no_argument, NULL, OPT_STANDALONE},
    {"sweep", no_argument, NULL, OPT_SWEEP},
    /* listed so that getopt does not take "--format" as short for
       "--formats" */
    {"format", required_argument, NULL, OPT_FORMAT},
    {NULL, 0, NULL, 0}};

/* The data of the figure: per line (the exact value, then each format)
   its points, or the band of a sweep; per format up to three levels. */
typedef struct
{
    gc_plot_t plot;
    gc_plot_series_struct * series;
    gc_plot_level_struct * levels;
    gc_plot_band_struct band;
    double * xy;   /* x then y of every line, L each; or the band's */
    char * labels; /* LABEL_MAX each: the levels' (3 nf), the lines' */
} plot_data_struct;

#define LABEL_MAX(nfmts) ((nfmts) * (GC_NUMFMT_NAME_MAX + 2) + 48)

/* Returns log10|x| of a nonzero x. */
static double
log10_abs(const arf_t x)
{
    arf_t m;
    fmpz_t e;
    double r;

    arf_init(m);
    fmpz_init(e);
    arf_frexp(m, e, x);
    r = log10(fabs(arf_get_d(m, ARF_RND_NEAR)))
        + fmpz_get_d(e) * 0.30102999566398119521;
    arf_clear(m);
    fmpz_clear(e);
    return r;
}

static double
log10_abs_mpfr(const mpfr_t x)
{
    arf_t a;
    double r;

    arf_init(a);
    arf_set_mpfr(a, x);
    r = log10_abs(a);
    arf_clear(a);
    return r;
}

/* log10 |dC/db_j| of the replay *rp* (kept with GC_REPLAY_GRADS). */
static double
log10_abs_db(const gc_replay_struct * rp, slong j)
{
    mpfr_t x;
    double r;

    mpfr_init2(x, rp->prec);
    gc_replay_get_db(x, rp, j);
    r = log10_abs_mpfr(x);
    mpfr_clear(x);
    return r;
}

/* Sets series *s* to the points j = L, L-1, ... down to the last before
   the first j (from the output) where ok(j) is 0, in increasing j. */
static void
series_set(gc_plot_series_struct * s, double * xy, slong L,
           const arb_struct * exact, const gc_replay_struct * rp)
{
    slong j, n = 0;

    for (j = L; j >= 1; j--)
    {
        gc_class_t c;

        if (rp == NULL)
        {
            if (arf_is_zero(arb_midref(exact + j - 1)))
                break;
        }
        else if ((c = rp->db_class[j - 1]) != GC_CLASS_NORMAL
                 && c != GC_CLASS_SUBNORMAL)
            break;
        n++;
    }
    s->x = xy;
    s->y = xy + L;
    s->len = n;
    for (j = L - n + 1; j <= L; j++)
    {
        xy[j - (L - n + 1)] = (double) j;
        xy[L + j - (L - n + 1)] = rp == NULL
            ? log10_abs(arb_midref(exact + j - 1))
            : log10_abs_db(rp, j);
    }
}

/* Adds the level at *y* (x if *vertical*) of format *k* (word *w*) to
   d, or the format's name to the label of a level of the same place. */
static void
level_add(plot_data_struct * d, const gc_replayopts_struct * ro, slong k,
          double y, int vertical, gc_plot_word_t w)
{
    slong i, n = d->plot->nlevels, size = LABEL_MAX(ro->nfmts);
    char * lab;
    const char * word = gc_plot_word(d->plot->lang, w);

    for (i = 0; i < n; i++)
        if (d->levels[i].value == y && d->levels[i].vertical == vertical
            && strlen(lab = d->labels + i * size) > strlen(word)
            && strcmp(lab + strlen(lab) - strlen(word), word) == 0)
        {
            /* "binary32 min. normal" becomes "binary32, bfloat16 ..." */
            lab[strlen(lab) - strlen(word) - 1] = '\0';
            snprintf(lab + strlen(lab), size - strlen(lab), ", %s %s",
                     ro->fmts[k].name, word);
            return;
        }
    lab = d->labels + n * size;
    snprintf(lab, size, "%s %s", ro->fmts[k].name, word);
    d->levels[n].value = y;
    d->levels[n].vertical = vertical;
    d->levels[n].label = lab;
    d->levels[n].style = (int) (k + 1);
    d->plot->nlevels = n + 1;
}

/* Sets *d* to an empty figure in *lang* with room for *nseries* lines,
   3 levels per format of *ro* and *nxy* doubles of points. */
static void
plot_data_init(plot_data_struct * d, const gc_replayopts_struct * ro,
               slong nseries, slong nxy, gc_lang_t lang, int standalone)
{
    slong nf = ro->nfmts;

    gc_plot_init(d->plot);
    d->plot->lang = lang;
    d->plot->standalone = standalone;
    d->series = flint_malloc(FLINT_MAX(nseries, 1)
                             * sizeof(gc_plot_series_struct));
    d->levels = flint_malloc(3 * nf * sizeof(gc_plot_level_struct));
    d->xy = flint_malloc(nxy * sizeof(double));
    d->labels = flint_malloc((4 * nf + 1) * LABEL_MAX(nf));
    d->plot->series = d->series;
    d->plot->levels = d->levels;
}

/* Adds each format's smallest normal and subnormal numbers as levels. */
static void
plot_data_min_levels(plot_data_struct * d, const gc_replayopts_struct * ro)
{
    slong k;
    mpfr_t v;

    mpfr_init2(v, 64);
    for (k = 0; k < ro->nfmts; k++)
    {
        gc_numfmt_min_normal(v, ro->fmts + k);
        level_add(d, ro, k, log10_abs_mpfr(v), 0, GC_PLOT_WORD_MIN_NORMAL);
        /* flushed to zero, the min normal is the smallest number */
        if (!ro->fmts[k].ftz)
        {
            gc_numfmt_min_subnormal(v, ro->fmts + k);
            level_add(d, ro, k, log10_abs_mpfr(v), 0,
                      GC_PLOT_WORD_MIN_SUBNORMAL);
        }
    }
    mpfr_clear(v);
}

/* Fills *d* from the exact values and the replays. */
static void
plot_data_set_net(plot_data_struct * d, const gc_replayopts_struct * ro,
                  slong L, const gc_arb_trace_t exact,
                  const gc_replay_struct * rp, gc_lang_t lang,
                  int standalone)
{
    slong k, n = 0, nf = ro->nfmts;

    plot_data_init(d, ro, nf + 1, 2 * L * (nf + 1), lang, standalone);
    for (k = 0; k <= nf; k++)
    {
        gc_plot_series_struct * s = d->series + n;

        series_set(s, d->xy + 2 * L * k, L, exact->db,
                   k == 0 ? NULL : rp + k - 1);
        s->style = (int) k;
        s->label = k == 0 ? gc_plot_word(lang, GC_PLOT_WORD_EXACT)
                          : ro->fmts[k - 1].name;
        /* a line of no point (lost at the output) is named in the legend
           with why: its label goes after the levels' */
        if (s->len == 0)
        {
            char * lab = d->labels + (3 * nf + k) * LABEL_MAX(nf);

            snprintf(lab, LABEL_MAX(nf), k == 0 ? "%s (%s)" : "%s (%s %ld)",
                     s->label, gc_plot_word(lang, k == 0
                         ? GC_PLOT_WORD_NO_VALUE : GC_PLOT_WORD_LOST_AT),
                     (long) L);
            s->label = lab;
        }
        n++;
    }
    d->plot->nseries = n;
    plot_data_min_levels(d, ro);
}

/* Fills *d* from the sweep *s* of depths 1 .. L (depth index t is depth
   t + 1): the band q1 .. q3 and the median of the exact log10|dC/db_j|
   at x = j = L - d + 1, where some network's dC/db_j is not exactly 0;
   each format's median first-zero layer; the min levels. */
static void
plot_data_set_sweep(plot_data_struct * d, const gc_replayopts_struct * ro,
                    const gc_sweep_t s, gc_lang_t lang, int standalone)
{
    slong t, k, n = 0, L = s->layers;
    double * x, * lo, * mid, * hi;
    gc_stats_t st;

    plot_data_init(d, ro, 0, 4 * L, lang, standalone);
    x = d->xy;
    lo = x + L;
    mid = lo + L;
    hi = mid + L;
    for (t = L - 1; t >= 0; t--)
    {
        gc_sweep_log10_stats(st, s, t);
        if (st->count == 0)
            continue;
        x[n] = (double) (L - s->depths[t] + 1);
        lo[n] = st->q1;
        mid[n] = st->median;
        hi[n] = st->q3;
        n++;
    }
    d->band.label = gc_plot_word(lang, GC_PLOT_WORD_QUARTILES);
    d->band.mid_label = gc_plot_word(lang, GC_PLOT_WORD_MEDIAN);
    d->band.x = x;
    d->band.lo = lo;
    d->band.mid = mid;
    d->band.hi = hi;
    d->band.len = n;
    d->band.style = 0;
    d->plot->bands = &d->band;
    d->plot->nbands = n > 0;
    /* variant k is format k: one loss-scale slot at most */
    for (k = 0; k < ro->nfmts; k++)
    {
        gc_sweep_stats(st, s, k, GC_EVENT_ZERO, 0);
        if (st->count > 0)
            level_add(d, ro, k, st->median, 1, GC_PLOT_WORD_MEDIAN_ZERO);
    }
    plot_data_min_levels(d, ro);
}

static void
plot_data_clear(plot_data_struct * d)
{
    flint_free(d->series);
    flint_free(d->levels);
    flint_free(d->xy);
    flint_free(d->labels);
}

static int
plot_emit(FILE * f, const void * ctx)
{
    return gc_plot_write(f, ((const plot_data_struct *) ctx)->plot);
}

/* Evaluates the exact values, replays every format and writes the
   figure.  Returns an exit status. */
static int
plot_run(const gc_net_t net, const gc_netopts_struct * no,
         const gc_replayopts_struct * ro, gc_lang_t lang, int standalone)
{
    gc_arb_trace_t exact;
    gc_replay_struct * rp = flint_malloc(ro->nfmts * sizeof(gc_replay_struct));
    plot_data_struct d;
    slong i;
    int status, rc;

    gc_arb_trace_init(exact, net->len);
    status = gc_eval_arb(exact, net, PLOT_PREC);
    for (i = 0; i < ro->nfmts; i++)
    {
        gc_replay_init(rp + i);
        rp[i].keep = GC_REPLAY_GRADS; /* the plot reads dC/db_j only */
        status |= gc_replay(rp + i, net, ro->fmts + i, ro->seq,
                            ro->scale_str ? ro->scale : NULL);
    }
    if (status != GC_SUCCESS)
    {
        gc_cli_error("plot: %s", gc_status_str(status));
        rc = GC_EXIT_EVAL;
    }
    else
    {
        plot_data_set_net(&d, ro, net->len, exact, rp, lang, standalone);
        if (gc_plot_check(d.plot, NULL) != GC_SUCCESS)
        {
            gc_cli_error("plot: no layer has a nonzero finite gradient");
            rc = GC_EXIT_EVAL;
        }
        else
            rc = gc_netopts_emit(no, net, plot_emit, &d);
        plot_data_clear(&d);
    }
    for (i = 0; i < ro->nfmts; i++)
        gc_replay_clear(rp + i);
    flint_free(rp);
    gc_arb_trace_clear(exact);
    return rc;
}

/* Returns an upper bound of the bytes plot_run needs for *net*. */
static size_t
plot_bytes(const gc_replayopts_struct * ro, const gc_net_t net)
{
    size_t b = gc_net_materialize_bytes(net);

    b = gc_cli_bytes_add(b, gc_eval_arb_bytes(net->len, PLOT_PREC));
    b = gc_cli_bytes_add(b, gc_replayopts_bytes(ro->fmts, ro->nfmts,
                                                net->len, 1));
    if ((size_t) net->len > SIZE_MAX / 16 / (size_t) (ro->nfmts + 1))
        return SIZE_MAX;
    return gc_cli_bytes_add(b, (size_t) net->len * 16 * (ro->nfmts + 1));
}

/* Runs the sweep of --sweep (depths 1 .. L, --loss-scale as its one
   slot) from network 0 *net* and writes its figure.  Returns an exit
   status. */
static int
plot_sweep(const gc_net_t net, const gc_netopts_struct * no,
           const gc_replayopts_struct * ro, gc_sweepopts_struct * so,
           gc_lang_t lang, int standalone)
{
    gc_sweep_spec_struct spec;
    gc_sweep_t s;
    plot_data_struct d;
    slong t, * depths;
    int rc;

    memset(&spec, 0, sizeof spec);
    gc_sweepopts_spec(&spec, so, net, no, ro);
    if (ro->scale_str != NULL)
    {
        spec.scales = ro->scale;
        spec.nscales = 1;
    }
    depths = flint_malloc(net->len * sizeof(slong));
    for (t = 0; t < net->len; t++)
        depths[t] = t + 1;
    spec.depths = depths;
    spec.ndepths = net->len;
    gc_sweep_init(s);
    rc = gc_sweepopts_run(s, &spec, so, net, "plot");
    if (rc == GC_EXIT_OK)
    {
        plot_data_set_sweep(&d, ro, s, lang, standalone);
        if (d.plot->nbands == 0)
        {
            gc_cli_error("plot: %s", s->completed == 0
                             ? "interrupted before any network"
                             : "no layer has a nonzero exact gradient");
            rc = s->completed == 0 ? GC_EXIT_INTERRUPTED : GC_EXIT_EVAL;
        }
        else
            rc = gc_sweepopts_finish(s, "plot",
                                     gc_cli_emit(no->output, plot_emit,
                                                 &d));
        plot_data_clear(&d);
    }
    gc_sweep_clear(s);
    flint_free(depths);
    return rc;
}

/* Returns the name of the option of code *opt*. */
static const char *
plot_opt_name(int opt)
{
    const struct option * o = plot_longopts;

    while (o->val != opt)
        o++;
    return o->name;
}

int
gc_cmd_plot(int argc, char ** argv)
{
    gc_netopts_struct no;
    gc_replayopts_struct ro;
    gc_sweepopts_struct so;
    gc_cli_opts_struct cli = {gc_cmd_plot_help, "", gc_netopts_parse, &no};
    gc_lang_t lang = GC_LANG_EN;
    const char * sweep_only = NULL; /* a sweep option given */
    int standalone = 0, sweep = 0, opt, rc = GC_EXIT_OK;
    gc_net_t net;

    gc_replayopts_init(&ro, PLOT_FORMATS_DEFAULT);
    gc_sweepopts_init(&so);
    gc_netopts_init(&no);
    while ((opt = gc_cli_getopt(argc, argv, plot_longopts, &cli, &rc)) > 0)
    {
        switch (opt)
        {
            case OPT_LANG:
                if (gc_lang_set_str(&lang, optarg) != GC_SUCCESS)
                    rc = gc_cli_name_error("--lang", "language", optarg,
                                           gc_lang_names());
                break;
            case OPT_STANDALONE:
                standalone = 1;
                break;
            case OPT_SWEEP:
                sweep = 1;
                break;
            case OPT_FORMAT:
                rc = gc_cli_usage_error("--format: plot writes LaTeX only "
                                        "(the formats replayed are "
                                        "--formats LIST), got '%s'", optarg);
                break;
            default:
                if (opt < GC_REPLAYOPT_LOCAL)
                    rc = gc_replayopts_parse(&ro, opt, optarg);
                else
                {
                    sweep_only = plot_opt_name(opt);
                    rc = gc_sweepopts_parse(&so, opt, optarg);
                }
        }
    }
    if (opt == GC_CLI_STOP)
    {
        gc_replayopts_clear(&ro);
        return rc;
    }
    if (sweep)
        rc = gc_sweepopts_check(&so, &no, "plot --sweep");
    else if (sweep_only != NULL)
        rc = gc_cli_usage_error("--%s: only with --sweep", sweep_only);
    if (rc == GC_EXIT_OK && sweep && no.save != NULL)
        rc = gc_cli_usage_error("--save-network: not with --sweep");
    gc_net_init(net);
    if (rc == GC_EXIT_OK)
        rc = gc_replayopts_finish(&ro, net, &no, argc - optind,
                                  argv + optind);
    if (rc == GC_EXIT_OK && sweep)
        rc = plot_sweep(net, &no, &ro, &so, lang, standalone);
    else if (rc == GC_EXIT_OK)
    {
        rc = gc_cli_check_memory(
            "plot", plot_bytes(&ro, net), net->len,
            "for the exact values and the replays of every layer",
            "use fewer layers or formats");
        if (rc == GC_EXIT_OK)
        {
            gc_net_materialize(net);
            rc = plot_run(net, &no, &ro, lang, standalone);
        }
    }
    gc_net_clear(net);
    gc_replayopts_clear(&ro);
    return rc;
}
