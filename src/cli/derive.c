/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* derive.c -- 'gradchain derive': the symbolic gradient of a chain. */

#include "netopts.h"
#include "symopts.h"

const char gc_cmd_derive_help[] =
    "Usage: gradchain derive --layers L [OPTION]...\n"
    "Print the symbolic gradient dC/db_J or dC/dw_J of an L-layer chain,\n"
    "  dC/db_J = f'(z_J) w_{J+1} f'(z_{J+1}) ... w_L f'(z_L) dC/da_L,\n"
    "in LaTeX, plain Unicode text, or an ASCII form that programs can read\n"
    "back.  Nothing is evaluated: only the shape of the chain matters.\n"
    "With a letter for J (--wrt bj, wj; letters i, j, m, n) it prints the\n"
    "general formula, valid for every layer j:\n"
    "  dC/db_j = f'(z_j) (prod_{k=j+1}^{L} w_k f'(z_k)) dC/da_L,\n"
    "and for wj also dC/dw_j = a_{j-1} dC/db_j (--form, --width and\n"
    "--break do not apply to it).\n"
    "With --neurons N (N > 1, or a letter for a symbolic width) the layers\n"
    "are N neurons wide and it prints the matrix form (Nielsen's notation)\n"
    "  dC/db^J = S'(z^J) (W^{J+1})^T S'(z^{J+1}) ... (W^L)^T S'(z^L) grad_a C,\n"
    "S'(z^l) the diagonal matrix of f'(z^l) (\\Sigma' for sigma), and for\n"
    "--wrt 'bJ[i]' the entry-wise sum\n"
    "  dC/db^J_i = f'(z^J_i) sum_{k_{J+1}=1}^{N} w^{J+1}_{k_{J+1},i}\n"
    "              f'(z^{J+1}_{k_{J+1}}) sum ... dC/da^L_{k_L};\n"
    "for wJ, dC/dW^J = dC/db^J (a^{J-1})^T and dC/dw^J_{i,j} =\n"
    "a^{J-1}_j dC/db^J_i.  --form compact writes the pairs as an ordered\n"
    "product over k, with a note (matrices do not commute); the entry-wise\n"
    "sum has no compact or grouped form.  Past the width, --form auto\n"
    "writes the matrix form compact (exact: no factor is hidden) and\n"
    "elides the sums; elided sums keep fewer of them around the ellipsis,\n"
    "down to the first and the last, until the line fits --width (use\n"
    "--break for a narrower one).  --expand does not apply.  Text and ASCII write entries in brackets,\n"
    "w^3[k_3,k_2]; the ASCII form is not read back.\n"
    "--neurons 1 is the chain.\n"
    "\n"
    "      --format latex|text|ascii  output format (default latex)\n"
    "      --no-lhs             print only the product, without 'dC/db_J ='\n"
    "                           and without the equation environment, on\n"
    "                           one line for inline math (no --break)\n"
    "      --label PREFIX       label the LaTeX equation \\label{PREFIX:product}\n"
    "                           (the general formula PREFIX:general-b and\n"
    "                           PREFIX:general-w), as 'gradchain derivation'\n"
    "                           does (letters, digits and :-._/+); with\n"
    "                           --neurons PREFIX:matrix or PREFIX:entry\n";

enum
{
    OPT_FORMAT = GC_SYMOPT_LOCAL,
    OPT_NO_LHS,
    OPT_LABEL
};

static const struct option derive_longopts[] = {
    GC_SYMOPTS_LONGOPTS,
    {"format", required_argument, NULL, OPT_FORMAT},
    {"no-lhs", no_argument, NULL, OPT_NO_LHS},
    {"label", required_argument, NULL, OPT_LABEL},
    {NULL, 0, NULL, 0}};

/* What derive writes: the expression (of a chain, e, or of wide layers,
   we), as an equation unless lhs == 0, labelled with the prefix *label*
   unless NULL. */
typedef struct
{
    const gc_symopts_struct * o;
    gc_expr_srcptr e;
    const gc_wexpr_struct * we;
    int lhs;
    const char * label;
} derive_output_struct;

static int
derive_write(FILE * f, const void * ctx)
{
    const derive_output_struct * d = ctx;
    int status;

    if (d->we != NULL)
    {
        status = gc_wexpr_write(f, d->we, &d->o->print, d->lhs, d->label);
        if (!d->lhs)
            fputc('\n', f);
    }
    else if (gc_sym_param_is_general(d->o->param))
    {
        status = gc_general_write_label(f, d->o->param, &d->o->shape,
                                        d->o->print.format, d->lhs,
                                        d->label);
        if (!d->lhs)
            fputc('\n', f);
    }
    else if (d->lhs)
        status = gc_expr_write_equation_label(f, d->o->param, d->e,
                                              &d->o->print, d->label);
    else
    {
        status = gc_expr_write(f, d->e, &d->o->print);
        fputc('\n', f);
    }
    return status != GC_SUCCESS || ferror(f) ? GC_INVALID : GC_SUCCESS;
}

/* derive --neurons: the gradient of wide layers, built whole. */
static int
derive_wide(const gc_symopts_struct * o, derive_output_struct * d)
{
    gc_wexpr_t we;
    int rc;

    rc = gc_cli_check_memory("derive",
                             gc_wexpr_grad_bytes(&o->shape, o->param),
                             o->shape.len, "for the product of the "
                             "gradient", "use a smaller --layers");
    if (rc != GC_EXIT_OK)
        return rc;
    gc_wexpr_init(we);
    if (gc_wexpr_set_grad(we, &o->shape, o->width, o->param, o->row,
                          o->col) != GC_SUCCESS)
        gc_throw("gc_cmd_derive: request checked but invalid");
    if (!gc_wexpr_form_is_valid(we, o->print.form))
        rc = gc_cli_usage_error("--form %s: the entry-wise sum %s has no "
                                "such form (its sums nest); use --form "
                                "auto, expanded or elided",
                                gc_form_name(o->print.form), o->wrt_arg);
    d->we = we;
    if (rc == GC_EXIT_OK)
        rc = gc_cli_emit(o->output, derive_write, d);
    gc_wexpr_clear(we);
    return rc;
}

int
gc_cmd_derive(int argc, char ** argv)
{
    gc_symopts_struct o;
    gc_expr_t e;
    derive_output_struct d;
    gc_cli_opts_struct cli = {gc_cmd_derive_help, gc_symopts_help,
                              gc_symopts_parse, &o};
    const char * label = NULL;
    int opt, lhs = 1, rc = GC_EXIT_OK;

    gc_symopts_init(&o);
    while ((opt = gc_cli_getopt(argc, argv, derive_longopts, &cli, &rc)) > 0)
    {
        switch (opt)
        {
            case OPT_FORMAT:
                if (gc_print_format_set_str(&o.print.format, optarg)
                    != GC_SUCCESS)
                    rc = gc_cli_name_error("--format", "format", optarg,
                                           gc_print_format_names());
                break;
            case OPT_NO_LHS:
                lhs = 0;
                break;
            case OPT_LABEL:
                rc = gc_symopts_label(&label, optarg, rc);
                break;
        }
    }
    if (opt == GC_CLI_STOP)
        return rc;
    rc = gc_symopts_finish(&o, argc - optind, argv + optind);
    if (rc == GC_EXIT_OK && label != NULL
        && o.print.format != GC_PRINT_LATEX)
        rc = gc_cli_usage_error("--label: only LaTeX has labels, not "
                                "--format %s",
                                gc_print_format_name(o.print.format));
    if (rc == GC_EXIT_OK && label != NULL && !lhs)
        rc = gc_cli_usage_error("--label: --no-lhs writes no equation to "
                                "label");
    /* the bare product is for inline math, where a display's breaks have
       no place: refused rather than silently ignored */
    if (rc == GC_EXIT_OK && o.print.breaks != GC_BREAK_NONE && !lhs)
        rc = gc_cli_usage_error("--break: --no-lhs prints the product on "
                                "one line, for inline math; drop --no-lhs "
                                "to break it");
    d.o = &o;
    d.e = NULL;
    d.we = NULL;
    d.lhs = lhs;
    d.label = label;
    if (rc == GC_EXIT_OK && GC_SYMOPTS_WIDE(&o))
        return derive_wide(&o, &d);
    if (rc == GC_EXIT_OK && gc_sym_param_is_general(o.param))
    {
        /* the general formula: a few factors, whatever L */
        d.o = &o;
        d.lhs = lhs;
        d.label = label;
        return gc_cli_emit(o.output, derive_write, &d);
    }
    /* the product is built whole, even when printed elided */
    if (rc == GC_EXIT_OK)
        rc = gc_cli_check_memory("derive",
                                 gc_expr_grad_bytes(&o.shape, o.param),
                                 o.shape.len, "for the product of the "
                                 "gradient", "use a smaller --layers");
    if (rc != GC_EXIT_OK)
        return rc;

    gc_expr_init(e);
    if (gc_expr_set_grad(e, &o.shape, o.param) != GC_SUCCESS)
        gc_throw("gc_cmd_derive: request checked but invalid");
    d.o = &o;
    d.e = e;
    d.lhs = lhs;
    d.label = label;
    rc = gc_cli_emit(o.output, derive_write, &d);
    gc_expr_clear(e);
    return rc;
}
