/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* symopts.c -- the options of the commands that write a symbolic
   gradient (derive, derivation): the chain's shape, the parameter and
   the layout of the printed products. */

#include <stdio.h>
#include <string.h>

#include "symopts.h"

const char gc_symopts_help[] =
    "      --layers L           number of layers (required, 1..100000000)\n"
    "      --wrt bJ|wJ          the parameter: bias or weight of layer J\n"
    "                           (default b1); a letter i, j, m or n for J\n"
    "                           (bj, wj) gives the general formula; with\n"
    "                           --neurons, bJ[i] and wJ[i,j] are entries\n"
    "      --activation NAME    the activation: sigma (the sigmoid,\n"
    "                           default), f (a general f), per-layer (f_k),\n"
    "                           tanh, relu, leaky-relu (slope alpha),\n"
    "                           softplus, identity, gelu\n"
    "      --expand none|closed|logistic|exp  write f'(z) abstractly\n"
    "                           (default) or in closed form: 1-tanh^2(z),\n"
    "                           the indicator 1[z > 0] (relu, leaky-relu),\n"
    "                           sigma(z) (softplus), Phi(z)+z phi(z) (gelu),\n"
    "                           sigma(z)(1-sigma(z)) (sigma: also\n"
    "                           'logistic'), or e^-z/(1+e^-z)^2 (sigma: exp)\n"
    "      --cost generic|quadratic|cross-entropy  dC/da_L (default),\n"
    "                           a_L - y, or the cross-entropy (with sigma,\n"
    "                           sigma'(z_L) dC/da_L simplifies to a_L - y)\n"
    "      --form auto|expanded|compact|elided|grouped  layout of products:\n"
    "                           auto elides the middle past the width\n"
    "      --width N            line width in characters (default 72)\n"
    "      --break none|multline|split  break long equations into lines\n"
    "      --neurons N          layers of N neurons (a number, or a letter\n"
    "                           i, j, m or n for a symbolic width; default\n"
    "                           1, the chain): the matrix form\n"
    "                           dC/db^J = S'(z^J) (W^{J+1})^T ... S'(z^L)\n"
    "                           grad_a C, and with --wrt 'bJ[i]' (or\n"
    "                           'wJ[i,j]') the entry-wise sum for one\n"
    "                           neuron (i a number or a letter)\n"
    "  -o, --output FILE        write to FILE, all or nothing (default "
    "stdout)\n";

/* The spellings of --expand: the library's names and "closed". */
static const char * const expand_names[] = {"none", "closed", "logistic",
                                            "exp", NULL};

/* Writes the names of the activations that have a closed-form
   derivative, "sigma, tanh, ...", to *buf* of *n* bytes. */
static void
closed_acts(char * buf, size_t n)
{
    const char * const * names = gc_sym_act_names();
    size_t len = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; names[i] != NULL && len + 1 < n; i++)
        if (gc_sym_act_has_expand((gc_sym_act_t) i,
                                  GC_SYM_EXPAND_CLOSED))
            len += snprintf(buf + len, n - len, "%s%s", len ? ", " : "",
                            names[i]);
}

void
gc_symopts_init(gc_symopts_struct * o)
{
    gc_shape_init(&o->shape, 0);
    gc_param_set(o->param, GC_PARAM_B, 1);
    gc_print_opts_init(&o->print);
    o->output = NULL;
    o->expand_arg = NULL;
    o->width = 1;
    o->row = 0;
    o->col = 0;
    o->wrt_arg = NULL;
}

/* Reads an index of --neurons or of an entry of --wrt: a number in
   1..100000000 or one of the letters of GC_SYM_INDEX_LETTERS, the whole
   of the *n* bytes at *arg*.  Returns 1 on success. */
static int
index_parse(slong * res, const char * arg, size_t n)
{
    slong k = 0;
    size_t i;

    if (n == 1 && strchr(GC_SYM_INDEX_LETTERS, arg[0]) != NULL
        && arg[0] != '\0')
    {
        *res = GC_SYM_INDEX(arg[0]);
        return 1;
    }
    if (n == 0 || n > 9 || arg[0] == '0')
        return 0;
    for (i = 0; i < n; i++)
    {
        if (arg[i] < '0' || arg[i] > '9')
            return 0;
        k = 10 * k + (arg[i] - '0');
    }
    *res = k;
    return k <= WORD(100000000);
}

/* Reads --wrt bJ[i] or wJ[i,j]: the parameter, then the entry. */
static int
wrt_entry_parse(gc_symopts_struct * o, const char * arg, const char * br)
{
    char param[32];
    const char * comma = strchr(br, ',');
    size_t n = strlen(br);
    int rc;

    if (br[n - 1] != ']' || (size_t) (br - arg) >= sizeof param
        || !index_parse(&o->row, br + 1,
                        (comma != NULL ? comma : br + n - 1) - br - 1)
        || (comma != NULL
            && !index_parse(&o->col, comma + 1, br + n - 2 - comma)))
        return gc_cli_usage_error("--wrt: an entry is bJ[i] or wJ[i,j], "
                                  "i and j numbers 1..100000000 or letters "
                                  GC_SYM_INDEX_LETTERS_TEXT ", got '%s'",
                                  arg);
    memcpy(param, arg, br - arg);
    param[br - arg] = '\0';
    rc = gc_cli_parse_param(o->param, param, "--wrt", 0);
    if (rc == GC_EXIT_OK && (o->param->kind == GC_PARAM_W) != (comma != NULL))
        return gc_cli_usage_error("--wrt: the entry of a bias is bJ[i], of "
                                  "a weight wJ[i,j], got '%s'", arg);
    return rc;
}

int
gc_symopts_parse(void * ctx, int * handled, int opt, const char * arg)
{
    gc_symopts_struct * o = ctx;

    *handled = 1;
    switch (opt)
    {
        case GC_OPT_LAYERS:
            return gc_cli_parse_slong(&o->shape.len, arg, "--layers", 1,
                                      GC_SYMOPTS_MAX_LAYERS);
        case GC_SYMOPT_WRT:
            o->wrt_arg = arg;
            o->row = o->col = 0;
            if (strchr(arg, '[') != NULL)
                return wrt_entry_parse(o, arg, strchr(arg, '['));
            /* a letter for the general formula (bj), else a layer */
            if (gc_sym_param_set_str(o->param, arg) == GC_SUCCESS)
                return GC_EXIT_OK;
            if ((arg[0] == 'b' || arg[0] == 'w') && arg[1] >= 'a'
                && arg[1] <= 'z' && arg[2] == '\0')
                return gc_cli_usage_error("--wrt: the layer of the general "
                                          "formula is one of the letters "
                                          GC_SYM_INDEX_LETTERS_TEXT
                                          ", got '%s'", arg);
            return gc_cli_parse_param(o->param, arg, "--wrt", 0);
        case GC_SYMOPT_ACT:
            if (gc_sym_act_set_str(&o->shape.act, arg) != GC_SUCCESS)
                return gc_cli_name_error("--activation", "activation", arg,
                                         gc_sym_act_names());
            return GC_EXIT_OK;
        case GC_SYMOPT_EXPAND:
            if (gc_sym_expand_set_str(&o->shape.expand, arg) != GC_SUCCESS)
                return gc_cli_name_error("--expand", "expansion", arg,
                                         expand_names);
            o->expand_arg = arg;
            return GC_EXIT_OK;
        case GC_SYMOPT_COST:
            if (gc_sym_cost_set_str(&o->shape.cost, arg) != GC_SUCCESS)
                return gc_cli_name_error("--cost", "cost", arg,
                                         gc_sym_cost_names());
            return GC_EXIT_OK;
        case GC_SYMOPT_FORM:
            if (gc_form_set_str(&o->print.form, arg) != GC_SUCCESS)
                return gc_cli_name_error("--form", "form", arg,
                                         gc_form_names());
            return GC_EXIT_OK;
        case GC_SYMOPT_WIDTH:
            return gc_cli_parse_slong(&o->print.width, arg, "--width", 8,
                                      WORD(1000000));
        case GC_SYMOPT_BREAK:
            if (gc_break_set_str(&o->print.breaks, arg) != GC_SUCCESS)
                return gc_cli_name_error("--break", "line breaking", arg,
                                         gc_break_names());
            return GC_EXIT_OK;
        case GC_SYMOPT_NEURONS:
            if (!index_parse(&o->width, arg, strlen(arg)))
                return gc_cli_usage_error("--neurons: a width is a number "
                                          "1..100000000 or one of the "
                                          "letters " GC_SYM_INDEX_LETTERS_TEXT
                                          ", got '%s'", arg);
            return GC_EXIT_OK;
        case 'o':
            o->output = arg;
            return GC_EXIT_OK;
        default:
            *handled = 0;
            return GC_EXIT_OK;
    }
}

/* The checks of wide layers (the shape is valid). */
static int
wide_finish(const gc_symopts_struct * o)
{
    const slong idx[2] = {o->row, o->col};
    int i;

    if (!GC_SYMOPTS_WIDE(o))
        return gc_cli_usage_error("--wrt %s: an entry needs --neurons N, "
                                  "N > 1 or a letter", o->wrt_arg);
    if (gc_sym_param_is_general(o->param))
        return gc_cli_usage_error("--wrt %s: the general formula is the "
                                  "chain's; with --neurons the layer is a "
                                  "number", o->wrt_arg);
    if (o->shape.expand != GC_SYM_EXPAND_NONE)
        return gc_cli_usage_error("--expand %s: with --neurons, f' is "
                                  "written abstractly (S'(z^l) is the "
                                  "diagonal matrix of f'(z^l))",
                                  o->expand_arg);
    if (o->shape.cost == GC_SYM_COST_CROSS_ENTROPY
        && o->shape.act != GC_SYM_SIGMA)
        return gc_cli_usage_error("--cost cross-entropy with --neurons is "
                                  "written for --activation sigma (where "
                                  "S'(z^L) grad_a C = a^L - y), got "
                                  "--activation %s",
                                  gc_sym_act_name(o->shape.act));
    for (i = 0; i < 2; i++)
    {
        if (idx[i] == o->width && o->width < 0)
            return gc_cli_usage_error("--wrt %s: the letter %c is the width "
                                      "of --neurons; index the neuron with "
                                      "another", o->wrt_arg,
                                      (char) -o->width);
        if (o->width > 0 && idx[i] > o->width)
            return gc_cli_usage_error("--wrt %s: neuron %ld out of range "
                                      "1..%ld", o->wrt_arg, (long) idx[i],
                                      (long) o->width);
    }
    return GC_EXIT_OK;
}

int
gc_symopts_finish(gc_symopts_struct * o, int nargs, char ** args)
{
    if (nargs > 0)
        return gc_cli_usage_error("extra operand '%s'", args[0]);
    if (o->shape.len == 0)
        return gc_cli_usage_error("missing --layers L");
    if (!gc_sym_param_is_general(o->param)
        && o->param->layer > o->shape.len)
    {
        char * name = gc_param_get_str(o->param);

        gc_cli_usage_error("--wrt: layer %ld out of range 1..%ld, got '%s'",
                           (long) o->param->layer, (long) o->shape.len,
                           name);
        flint_free(name);
        return GC_EXIT_USAGE;
    }
    if (!gc_sym_cost_is_valid(&o->shape))
        return gc_cli_usage_error("--cost cross-entropy needs an output "
                                  "activation with values in (0, 1) "
                                  "(sigma, f, per-layer), got --activation "
                                  "%s", gc_sym_act_name(o->shape.act));
    if (gc_shape_check(&o->shape) == GC_SUCCESS
        && (GC_SYMOPTS_WIDE(o) || o->row != 0))
        return wide_finish(o);
    if (gc_shape_check(&o->shape) != GC_SUCCESS)
    {
        const char * act = gc_sym_act_name(o->shape.act);
        char acts[128];

        /* "logistic" and "exp" are forms of sigma'(z) only */
        if (strcmp(o->expand_arg, "closed") != 0)
            return gc_cli_usage_error("--expand %s needs --activation sigma",
                                      o->expand_arg);
        closed_acts(acts, sizeof acts);
        return gc_cli_usage_error("--expand closed: the derivative of "
                                  "--activation %s has no closed form to "
                                  "write (it has for %s)", act, acts);
    }
    return GC_EXIT_OK;
}

int
gc_symopts_label(const char ** res, const char * arg, int rc)
{
    *res = arg;
    if (!gc_doc_label_is_valid(arg))
        return gc_cli_usage_error("--label: '%s': a label prefix is 1 to %d "
                                  "letters, digits and :-._/+", arg,
                                  GC_DOC_LABEL_MAX);
    return rc;
}
