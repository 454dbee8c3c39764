/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* derivation.c -- 'gradchain derivation': a LaTeX derivation of the
   gradient for a textbook (fragment or complete document). */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netopts.h"
#include "symopts.h"

#include <stdio.h>
#include <string.h>

const char gc_cmd_derivation_help[] =
    "Usage: gradchain derivation --layers L [OPTION]...\n"
    "Write a LaTeX derivation of dC/db_J or dC/dw_J: the product, the\n"
    "numbered chain-rule cascade, and optionally the comparison of two\n"
    "biases, a TikZ figure of the chain with each factor above its neuron\n"
    "or weight, and a plot of the activation's derivative f'(z).  The\n"
    "output is a fragment to \\input (its first lines name the packages\n"
    "it needs) or, with --standalone, a complete document for pdflatex.\n"
    "\n"
    "      --compare bK         compare dC/db_J with dC/db_K: the smaller\n"
    "                           index is written as extra factors times the\n"
    "                           other (K != J; needs --wrt bJ)\n"
    "      --figure             TikZ figure of the chain, its middle neurons\n"
    "                           elided past the text width (L <= 1000000)\n"
    "      --plot               pgfplots plot of the activation's derivative:\n"
    "                           sigma'(z), maximum 1/4 at 0, for sigma, f and\n"
    "                           per-layer; tanh', ReLU', ... for the others;\n"
    "                           --plot-activation and --plot-sigma are the\n"
    "                           same\n"
    "      --lang en|pt         prose in English (default) or Brazilian\n"
    "                           Portuguese\n"
    "      --label PREFIX       prefix of the equation labels (letters,\n"
    "                           digits and :-._/+); default gradchain:KEY,\n"
    "                           KEY naming what changes the equations\n"
    "                           (L4-b1-b3-cross-entropy-pt...), so different\n"
    "                           derivations in one document never share a\n"
    "                           label; the fragment's first lines list them\n"
    "      --color default|none  the comparison's colours (orange and blue,\n"
    "                           defined only if the document has not\n"
    "                           defined gradchain-extra, gradchain-shared),\n"
    "                           or no colour command at all\n"
    "      --cascade elided|full|none  the chain-rule cascade: every step up\n"
    "                           to 12 steps, then the first 4, a vertical\n"
    "                           ellipsis and the last 3 (elided, default);\n"
    "                           every step; or none.  A document over 10 MB\n"
    "                           (full, or --form expanded|grouped, at great\n"
    "                           depth) is refused with exit 2 before work\n"
    "      --textwidth DIM      the text width the equations fit, in pt, cm,\n"
    "                           mm or in (default 345pt, the \\textwidth of\n"
    "                           a 10pt A4 article; give less for 11pt or\n"
    "                           12pt type): products, cascade lines and the\n"
    "                           comparison are broken or elided to fit it,\n"
    "                           wide displays split at their = signs, the\n"
    "                           plot is at most that wide, and headings are\n"
    "                           ragged right (checked from 200pt to 345pt)\n"
    "      --textheight DIM     the height the cascade's align fits (pt, cm,\n"
    "                           mm or in; default none: no limit), for beamer\n"
    "                           frames, which cannot break an align: more\n"
    "                           middle steps are elided, keeping at least\n"
    "                           the first and the last; exit 2 if even these\n"
    "                           do not fit.  For a frame: its \\textheight\n"
    "                           less the title, times 10/10.95 (11pt), less\n"
    "                           a margin: 190pt at 16:9, 205pt at 4:3\n"
    "      --standalone         a complete document with its \\usepackage "
    "lines\n"
    "                           (A4; its \\textwidth is --textwidth if given)\n"
    "      --part LIST          write only these parts, in document order\n"
    "                           whatever the order of LIST (comma-separated):\n"
    "                           product (with the network), cascade,\n"
    "                           compare (needs --compare), figure, plot,\n"
    "                           general (dC/db_j and dC/dw_j for every j,\n"
    "                           L >= 2);\n"
    "                           default: product, cascade and those asked\n"
    "                           for.  Parts written to separate files share\n"
    "                           their labels; a reference to the product\n"
    "                           from another part falls back to words when\n"
    "                           the document does not define it\n"
    "      --heading none|section|subsection|subsubsection  the starred\n"
    "                           heading of each part (default subsection)\n"
    "      --float              figure and plot in figure floats with a\n"
    "                           \\caption and \\label{PREFIX:figure},\n"
    "                           \\label{PREFIX:plot} (needs --figure or\n"
    "                           --plot)\n"
    "With --neurons N (N > 1, or a letter), the derivation for layers of N\n"
    "neurons: the network and the gradient in matrix form\n"
    "(PREFIX:matrix) with a sentence on S'(z^l) and the transpose, the\n"
    "entry-wise nested sum for one neuron (PREFIX:entry; the neuron of\n"
    "--wrt 'bJ[i]', else the letter i), and the chain as the case of one\n"
    "neuron per layer (PREFIX:chain).  A product of more than 4 lines is\n"
    "written as a \\prod (matrix form) or elided (sums).  The cascade is\n"
    "backpropagation in matrix form, numbered: delta^L = S'(z^L) grad_a C,\n"
    "delta^l = S'(z^l) (W^{l+1})^T delta^{l+1} down to layer J, elided as\n"
    "the chain's; --compare bK writes the smaller layer's gradient as the\n"
    "extra factors S'(z^l) (W^{l+1})^T times the other's, with the bound\n"
    "of its norm; --plot is the chain's plot.  --part takes product (the\n"
    "network, matrix form, entry and chain), cascade, compare, figure and\n"
    "plot; --figure (and --part figure) draws the network as columns of\n"
    "neurons, every neuron joined to every neuron of the next layer, the\n"
    "middle layers elided past the text width and layer J's column\n"
    "highlighted; --lang, --label (default: the chain's key followed by\n"
    "-nN), --standalone, --heading, --color, --float, --cascade, --form,\n"
    "--break, --textwidth and --textheight (the standalone page's) apply;\n"
    "--part general is the chain's (exit 2).\n";

enum
{
    OPT_COMPARE = GC_SYMOPT_LOCAL,
    OPT_FIGURE,
    OPT_PLOT,
    OPT_LANG,
    OPT_STANDALONE,
    OPT_LABEL,
    OPT_COLOR,
    OPT_PART,
    OPT_HEADING,
    OPT_FLOAT,
    OPT_CASCADE,
    OPT_TEXTWIDTH,
    OPT_TEXTHEIGHT
};

static const struct option derivation_longopts[] = {
    GC_SYMOPTS_LONGOPTS,
    {"compare", required_argument, NULL, OPT_COMPARE},
    {"figure", no_argument, NULL, OPT_FIGURE},
    {"plot", no_argument, NULL, OPT_PLOT},
    {"plot-activation", no_argument, NULL, OPT_PLOT},
    {"plot-sigma", no_argument, NULL, OPT_PLOT},
    {"lang", required_argument, NULL, OPT_LANG},
    {"standalone", no_argument, NULL, OPT_STANDALONE},
    {"label", required_argument, NULL, OPT_LABEL},
    {"color", required_argument, NULL, OPT_COLOR},
    {"part", required_argument, NULL, OPT_PART},
    {"heading", required_argument, NULL, OPT_HEADING},
    {"float", no_argument, NULL, OPT_FLOAT},
    {"cascade", required_argument, NULL, OPT_CASCADE},
    {"textwidth", required_argument, NULL, OPT_TEXTWIDTH},
    {"textheight", required_argument, NULL, OPT_TEXTHEIGHT},
    {NULL, 0, NULL, 0}};

/* The largest document written, in bytes (see size_estimate). */
#define DOC_MAX_BYTES 10000000.0

/* Reads a TeX dimension of option *opt*: a number and one of the units
   pt, cm, mm, in, into TeX points. */
static int
dimen_parse(double * res, const char * opt, const char * arg)
{
    static const char * const units[] = {"pt", "cm", "mm", "in"};
    static const double pts[] = {1.0, 72.27 / 2.54, 72.27 / 25.4, 72.27};
    char * end;
    double x;
    int i;

    errno = 0;
    x = strtod(arg, &end);
    for (i = 0; i < 4; i++)
        if (end != arg && errno == 0 && strcmp(end, units[i]) == 0)
        {
            *res = x * pts[i];
            if (*res >= 72.0 && *res <= 16383.0)
                return GC_EXIT_OK;
            return gc_cli_usage_error("%s: '%s' is not in 72pt..16383pt",
                                      opt, arg);
        }
    return gc_cli_usage_error("%s: '%s' is not a dimension (a number and "
                              "pt, cm, mm or in: 345pt, 12cm)", opt, arg);
}

/* About how many bytes the document *d* takes: a product is about 400
   bytes when elided (auto, elided, compact: the pairs of a chain make
   one \prod), 20 a factor when every factor is written; the cascade
   repeats it on each of its lines (at most GC_DOC_CASCADE_HEAD +
   GC_DOC_CASCADE_TAIL elided, 2L full); the comparison, figure and plot
   are elided or bounded. */
static double
size_estimate(const gc_doc_struct * d)
{
    double L = (double) d->shape.len, prod = 400.0, lines = 0.0;

    if (d->print.form == GC_FORM_EXPANDED || d->print.form == GC_FORM_GROUPED)
        prod += 40.0 * L;
    if (d->cascade == GC_DOC_CASCADE_FULL)
        lines = 2.0 * L;
    else if (d->cascade == GC_DOC_CASCADE_ELIDED)
        lines = GC_DOC_CASCADE_HEAD + GC_DOC_CASCADE_TAIL;
    return prod * (2.0 + lines) + 20000.0;
}

/* Reads the comma-separated parts of --part *arg* into d->parts; the
   figure and plot parts ask for the figure and the plot. */
static int
parts_parse(gc_doc_struct * d, const char * arg)
{
    const char * p = arg;
    char name[64]; /* longer tokens are cut: no part name is that long */
    gc_doc_part_t part;

    d->parts = 0;
    for (;;)
    {
        size_t n = strcspn(p, ",");

        snprintf(name, sizeof name, "%.*s", (int) FLINT_MIN(n, 63), p);
        if (gc_doc_part_set_str(&part, name) != GC_SUCCESS)
            return gc_cli_name_error("--part", "part", name,
                                     gc_doc_part_names());
        d->parts |= GC_DOC_PART_BIT(part);
        d->figure |= part == GC_DOC_PART_FIGURE;
        d->plot |= part == GC_DOC_PART_PLOT;
        if (p[n] == '\0')
            return GC_EXIT_OK;
        p += n + 1;
    }
}

/* The checks of the parts and the comparison that name L or an option,
   for the chain and for wide layers; *cmp* is the text of --compare. */
static int
parts_check(const gc_doc_struct * d, slong L, const char * cmp)
{
    if (d->compare > L)
        return gc_cli_usage_error("--compare: layer %ld out of range 1..%ld, "
                                  "got '%s'", (long) d->compare, (long) L,
                                  cmp);
    if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_COMPARE) && d->compare == 0)
        return gc_cli_usage_error("--part compare needs --compare bK");
    if (d->parts == GC_DOC_PART_BIT(GC_DOC_PART_CASCADE)
        && d->cascade == GC_DOC_CASCADE_NONE)
        return gc_cli_usage_error("--part cascade --cascade none: the "
                                  "document would be empty");
    return GC_EXIT_OK;
}

static int
derivation_write(FILE * f, const void * d)
{
    return gc_doc_write(f, (const gc_doc_struct *) d);
}

/* What the wide derivation writes. */
typedef struct
{
    const gc_doc_struct * d;
    const gc_symopts_struct * o;
} wide_output_struct;

static int
derivation_wide_write(FILE * f, const void * ctx)
{
    const wide_output_struct * w = ctx;

    return gc_doc_wide_write(f, w->d, w->o->width, w->o->row, w->o->col);
}

/* The bytes of a line of the wide cascade, about (--cascade full). */
#define WIDE_ROW_BYTES 120.0

/* derivation --neurons: the document of wide layers (*floats*,
   --float; *cmp*, the text of --compare; *th*, the text of
   --textheight, sizes its
   page). */
static int
derivation_wide(const gc_symopts_struct * o, gc_doc_struct * d,
                int floats, const char * cmp,
                const char * th)
{
    wide_output_struct w = {d, o};
    const double L = (double) o->shape.len;
    const char * why;
    size_t bytes;
    int rc;

    if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_GENERAL))
        return gc_cli_usage_error("--part general: with --neurons the "
                                  "derivation has no general formula (the "
                                  "chain's)");
    if (floats && !d->plot && !d->figure)
        return gc_cli_usage_error("--float: no figure or plot to float; add "
                                  "--figure or --plot");
    d->floats = floats;
    d->shape = o->shape;
    *d->param = *o->param;
    d->print = o->print;
    d->textheight = 0.0;
    rc = parts_check(d, o->shape.len, cmp);
    if (rc != GC_EXIT_OK)
        return rc;
    /* the whole products: about 40 bytes a factor, 3 factors a layer, in
       the matrix form and in the entry */
    if ((d->print.form == GC_FORM_EXPANDED
         || d->print.form == GC_FORM_GROUPED)
        && 240.0 * L > DOC_MAX_BYTES)
        return gc_cli_usage_error("--layers %ld with --form %s: the "
                                  "document would take about %.0f MB, more "
                                  "than %.0f MB; use --form auto, elided or "
                                  "compact", (long) o->shape.len,
                                  gc_form_name(d->print.form),
                                  240.0 * L / 1e6, DOC_MAX_BYTES / 1e6);
    if (d->cascade == GC_DOC_CASCADE_FULL && WIDE_ROW_BYTES * L > DOC_MAX_BYTES)
        return gc_cli_usage_error("--layers %ld with --cascade full: the "
                                  "document would take about %.0f MB, more "
                                  "than %.0f MB; use --cascade elided or "
                                  "none", (long) o->shape.len,
                                  WIDE_ROW_BYTES * L / 1e6,
                                  DOC_MAX_BYTES / 1e6);
    if (gc_doc_wide_check(d, o->width, o->row, o->col, &why)
        != GC_SUCCESS)
    {
        if (cmp != NULL)
            return gc_cli_usage_error("--compare %s: %s", cmp, why);
        return gc_cli_usage_error("%s", why);
    }
    bytes = gc_cli_bytes_add(gc_wexpr_grad_bytes(&o->shape, o->param),
                             gc_wexpr_grad_bytes(&o->shape, o->param));
    bytes = gc_cli_bytes_add(bytes, gc_expr_grad_bytes(&o->shape,
                                                       o->param));
    rc = gc_cli_check_memory("derivation", bytes, o->shape.len,
                             "for the products", "use a smaller --layers");
    if (rc != GC_EXIT_OK)
        return rc;
    if (th != NULL)
        rc = dimen_parse(&d->textheight, "--textheight", th);
    if (rc != GC_EXIT_OK)
        return rc;
    return gc_cli_emit(o->output, derivation_wide_write, &w);
}

int
gc_cmd_derivation(int argc, char ** argv)
{
    gc_symopts_struct o;
    gc_doc_t d;
    gc_param_t cp, b1;
    size_t bytes, grad;
    const char * cmp = NULL, * why, * th = NULL;
    gc_cli_opts_struct cli = {gc_cmd_derivation_help, gc_symopts_help,
                              gc_symopts_parse, &o};
    int opt, figure_opt = 0, floats = 0, rc = GC_EXIT_OK;

    gc_symopts_init(&o);
    gc_doc_init(d, 0);
    while ((opt = gc_cli_getopt(argc, argv, derivation_longopts, &cli, &rc))
           > 0)
    {
        switch (opt)
        {
            case OPT_COMPARE:
                cmp = optarg;
                rc = gc_cli_parse_param(cp, optarg, "--compare", 0);
                if (rc == GC_EXIT_OK && cp->kind != GC_PARAM_B)
                    rc = gc_cli_usage_error("--compare: only biases bK can "
                                            "be compared, got '%s'", optarg);
                if (rc == GC_EXIT_OK)
                    d->compare = cp->layer;
                break;
            case OPT_FIGURE:
                d->figure = 1;
                figure_opt = 1;
                break;
            case OPT_PLOT:
                d->plot = 1;
                break;
            case OPT_LANG:
                if (gc_lang_set_str(&d->lang, optarg) != GC_SUCCESS)
                    rc = gc_cli_name_error("--lang", "language", optarg,
                                           gc_lang_names());
                break;
            case OPT_STANDALONE:
                d->standalone = 1;
                break;
            case OPT_LABEL:
                rc = gc_symopts_label(&d->label, optarg, rc);
                break;
            case OPT_CASCADE:
                if (gc_doc_cascade_set_str(&d->cascade, optarg)
                    != GC_SUCCESS)
                    rc = gc_cli_name_error("--cascade", "cascade mode",
                                           optarg, gc_doc_cascade_names());
                break;
            case OPT_TEXTWIDTH:
                rc = dimen_parse(&d->textwidth, "--textwidth", optarg);
                break;
            case OPT_TEXTHEIGHT:
                rc = dimen_parse(&d->textheight, "--textheight", optarg);
                th = optarg;
                break;
            case OPT_COLOR:
                if (gc_doc_color_set_str(&d->color, optarg) != GC_SUCCESS)
                    rc = gc_cli_name_error("--color", "colour mode", optarg,
                                           gc_doc_color_names());
                break;
            case OPT_PART:
                rc = parts_parse(d, optarg);
                break;
            case OPT_HEADING:
                if (gc_doc_heading_set_str(&d->heading, optarg)
                    != GC_SUCCESS)
                    rc = gc_cli_name_error("--heading", "heading", optarg,
                                           gc_doc_heading_names());
                break;
            case OPT_FLOAT:
                floats = 1;
                break;
        }
    }
    if (opt == GC_CLI_STOP)
        return rc;
    rc = gc_symopts_finish(&o, argc - optind, argv + optind);
    if (rc != GC_EXIT_OK)
        return rc;
    if (GC_SYMOPTS_WIDE(&o))
        return derivation_wide(&o, d, floats, cmp, th);
    if (gc_sym_param_is_general(o.param))
        return gc_cli_usage_error("--wrt: a derivation is written for a "
                                  "layer number, got '%c%c' (its general "
                                  "part, --part general, has the general "
                                  "formula)", o.param->kind == GC_PARAM_B
                                  ? 'b' : 'w', (char) -o.param->layer);
    d->shape = o.shape;
    *d->param = *o.param;
    d->print = o.print;
    /* the limits that depend on L name it */
    rc = parts_check(d, o.shape.len, cmp);
    if (rc != GC_EXIT_OK)
        return rc;
    if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_GENERAL) && o.shape.len < 2)
        return gc_cli_usage_error("--part general: the general formula "
                                  "needs at least two layers, got --layers "
                                  "%ld", (long) o.shape.len);
    if (d->figure && o.shape.len > GC_DOC_FIGURE_MAX_LAYERS)
        return gc_cli_usage_error("%s: the figure is drawn for at most "
                                  "%d layers, got --layers %ld",
                                  figure_opt ? "--figure" : "--part figure",
                                  GC_DOC_FIGURE_MAX_LAYERS,
                                  (long) o.shape.len);
    /* the text height is checked last, after the memory: it builds the
       cascade */
    d->textheight = 0.0;
    /* --float is refused without a figure or a plot (in this fragment
       or another one, written with other --part) */
    d->floats = 0;
    if (floats && gc_doc_check(d, NULL) == GC_SUCCESS)
    {
        d->floats = 1;
        if (gc_doc_check(d, NULL) != GC_SUCCESS)
            return gc_cli_usage_error("--float: no figure or plot to float; "
                                      "add --figure or --plot");
    }
    d->floats = floats;
    if (gc_doc_check(d, &why) != GC_SUCCESS)
    {
        char * wrt = gc_param_get_str(o.param);

        if (cmp != NULL)
            gc_cli_usage_error("--wrt %s --compare %s: %s", wrt, cmp, why);
        else
            gc_cli_usage_error("%s", why);
        flint_free(wrt);
        return GC_EXIT_USAGE;
    }
    if (size_estimate(d) > DOC_MAX_BYTES)
    {
        int full = d->cascade == GC_DOC_CASCADE_FULL;
        int every = d->print.form == GC_FORM_EXPANDED
                    || d->print.form == GC_FORM_GROUPED;

        return gc_cli_usage_error("--layers %ld%s%s%s: the document would "
                                  "take about %.0f MB, more than the %.0f MB "
                                  "a derivation may take; use %s%s%s",
                                  (long) o.shape.len,
                                  full ? " with --cascade full" : "",
                                  full && every ? " and" : every ? " with" : "",
                                  every ? (d->print.form == GC_FORM_EXPANDED
                                           ? " --form expanded"
                                           : " --form grouped") : "",
                                  size_estimate(d) / 1e6, DOC_MAX_BYTES / 1e6,
                                  full ? "--cascade elided or none" : "",
                                  full && every ? ", " : "",
                                  every ? "--form auto, elided or compact"
                                        : "");
    }
    /* the gradient, its cascade and the comparison's two products (each
       no longer than the gradient of b_1) are built whole */
    gc_param_set(b1, GC_PARAM_B, 1);
    grad = gc_expr_grad_bytes(&o.shape, b1);
    bytes = gc_cli_bytes_add(gc_cascade_bytes(&o.shape, b1), grad);
    bytes = gc_cli_bytes_add(bytes, gc_cli_bytes_add(grad, grad));
    rc = gc_cli_check_memory("derivation", bytes, o.shape.len,
                             "for the products and the cascade",
                             "use a smaller --layers");
    if (rc != GC_EXIT_OK)
        return rc;
    if (th != NULL)
    {
        rc = dimen_parse(&d->textheight, "--textheight", th);
        if (rc == GC_EXIT_OK && gc_doc_check(d, &why) != GC_SUCCESS)
            return gc_cli_usage_error("--textheight %s: %s; give a larger "
                                      "height, --cascade none or --form "
                                      "auto", th, why);
    }
    return gc_cli_emit(o.output, derivation_write, d);
}
