/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* document.c -- the derivation document: product, cascade, cost
   simplification, comparison, TikZ figure, pgfplots plot; prose in
   English or Brazilian Portuguese (UTF-8). */

#include <string.h>

#include "latex/latex-impl.h"

GC_NAMES_DEFINE(gc_lang, gc_lang_t, "en", "pt")

int
gc_lang_set_str(gc_lang_t * res, const char * str)
{
    int i;

    /* "pt-BR" is accepted as the language tag of "pt" */
    if (gc_name_lookup(&i, strcmp(str, "pt-BR") == 0 ? "pt" : str,
                       gc_lang_table) != GC_SUCCESS)
        return GC_INVALID;
    *res = (gc_lang_t) i;
    return GC_SUCCESS;
}

void
gc_doc_init(gc_doc_t d, slong len)
{
    gc_shape_init(&d->shape, len);
    gc_param_set(d->param, GC_PARAM_B, 1);
    d->compare = 0;
    d->figure = 0;
    d->plot = 0;
    d->standalone = 0;
    d->lang = GC_LANG_EN;
    gc_print_opts_init(&d->print);
}

int
gc_doc_check(const gc_doc_t d, const char ** why)
{
    const char * w = NULL;

    if (gc_shape_check(&d->shape) != GC_SUCCESS)
        w = d->shape.len < 1 ? "the chain needs at least one layer"
                             : "sigma' can only be expanded for sigma";
    else if (d->param->layer < 1 || d->param->layer > d->shape.len)
        w = "the parameter's layer is not in 1..L";
    else if (d->compare != 0 && d->param->kind != GC_PARAM_B)
        w = "only biases can be compared";
    else if (d->compare != 0 && (d->compare < 1 || d->compare > d->shape.len))
        w = "the compared layer is not in 1..L";
    else if (d->compare != 0 && d->compare == d->param->layer)
        w = "a bias cannot be compared with itself";
    else if (d->figure && d->shape.len > GC_DOC_FIGURE_MAX_LAYERS)
        w = "the figure is drawn for at most 12 layers";
    if (why != NULL)
        *why = w;
    return w == NULL ? GC_SUCCESS : GC_INVALID;
}

/* The writer's state. */
typedef struct
{
    gc_sink_struct * s;
    const gc_doc_struct * d;
    char lab[64]; /* label prefix, "gradchain:b1" */
} doc_t;

/* English or Portuguese text. */
static const char *
tr(const doc_t * w, const char * en, const char * pt)
{
    return w->d->lang == GC_LANG_PT ? pt : en;
}

static void
put(const doc_t * w, const char * en, const char * pt)
{
    gc_sink_puts(w->s, tr(w, en, pt));
}

/* sigma, f or f_{sub} in LaTeX. */
static void
act_write(const doc_t * w, const char * sub)
{
    switch (w->d->shape.act)
    {
        case GC_SYM_F:
            gc_sink_puts(w->s, "f");
            break;
        case GC_SYM_F_LAYER:
            gc_sink_printf(w->s, "f_{%s}", sub);
            break;
        default:
            gc_sink_puts(w->s, "\\sigma");
    }
}

/* The derivative symbol at z_{sub}: \sigma'(z_{m}), f_{m}'(z_{m}). */
static void
dact_write(const doc_t * w, const char * sub)
{
    act_write(w, sub);
    gc_sink_printf(w->s, "'(z_{%s})", sub);
}

static void
frac_write(const doc_t * w, const char * var, slong k)
{
    gc_sink_printf(w->s, "\\frac{\\partial C}{\\partial %s_{%ld}}", var,
                   (long) k);
}

/* \partial C/\partial var_{k}: the form of running text. */
static void
slash_write(const doc_t * w, const char * var, slong k)
{
    gc_sink_printf(w->s, "\\partial C/\\partial %s_{%ld}", var, (long) k);
}

static void
var_write(const doc_t * w, const gc_var_struct * v)
{
    static const char * const name[5] = {"b", "w", "z", "a", "C"};

    if (v->kind == GC_VAR_C)
        gc_sink_puts(w->s, "\\Delta C");
    else
        gc_sink_printf(w->s, "\\Delta %s_{%ld}", name[v->kind],
                       (long) v->index);
}

/* The colours of the extra and the shared factors of a comparison, in
   the equations and in the figure: defined once, before the comparison. */
#define EXTRA_COLOR "gcextra"
#define SHARED_COLOR "gcshared"

static void
preamble_write(const doc_t * w)
{
    const gc_doc_struct * d = w->d;

    if (d->standalone)
    {
        gc_sink_puts(w->s, "\\documentclass{article}\n"
                           "\\usepackage[T1]{fontenc}\n"
                           "\\usepackage[utf8]{inputenc}\n"
                           "\\IfFileExists{lmodern.sty}"
                           "{\\usepackage{lmodern}}{}\n");
        gc_sink_printf(w->s, "\\usepackage[%s]{babel}\n",
                       tr(w, "english", "brazilian"));
        gc_sink_puts(w->s, "\\usepackage[a4paper,margin=2.5cm]{geometry}\n"
                           "\\usepackage{amsmath}\n");
        if (d->compare != 0)
            gc_sink_puts(w->s, "\\usepackage{xcolor}\n");
        if (d->figure)
            gc_sink_puts(w->s, "\\usepackage{graphicx}\n"
                               "\\usepackage{tikz}\n"
                               "\\usetikzlibrary{decorations.pathreplacing}"
                               "\n");
        if (d->plot)
            gc_sink_puts(w->s, "\\usepackage{pgfplots}\n"
                               "\\pgfplotsset{compat=1.18}\n");
        gc_sink_puts(w->s, "\\begin{document}\n\n\\section*{\\boldmath ");
        put(w, "Gradient of a ", "Gradiente de uma cadeia de ");
        gc_sink_printf(w->s, "%ld", (long) d->shape.len);
        put(w, "-layer chain with respect to $",
            " camadas em relação a $");
        gc_sink_printf(w->s, "%s_{%ld}$}\n\n",
                       d->param->kind == GC_PARAM_B ? "b" : "w", (long) d->param->layer);
        return;
    }
    gc_sink_puts(w->s, "% gradchain derivation (fragment).  It needs "
                       "\\usepackage{amsmath}");
    if (d->compare != 0)
        gc_sink_puts(w->s, ",\n% xcolor");
    if (d->figure)
        gc_sink_puts(w->s, ",\n% graphicx, tikz with "
                           "\\usetikzlibrary{decorations.pathreplacing}");
    if (d->plot)
        gc_sink_puts(w->s, ",\n% pgfplots");
    gc_sink_puts(w->s, ",\n% and, for the accents, [utf8]{inputenc}.\n\n");
}

/* a_0 ->w_1 (b_1) ->w_2 ... (b_L) -> C, eliding the middle past 5. */
static void
network_write(const doc_t * w)
{
    slong L = w->d->shape.len, k;

    /* each formula in braces: a line breaks between them, never inside */
    put(w, "Network: ${a_{0}", "Rede: ${a_{0}");
    for (k = 1; k <= L; k++)
    {
        if (L > 5 && k == 3)
        {
            gc_sink_puts(w->s, " \\to \\cdots");
            k = L - 1;
            continue;
        }
        gc_sink_printf(w->s, " \\xrightarrow{w_{%ld}} (b_{%ld})", (long) k,
                       (long) k);
    }
    gc_sink_puts(w->s, " \\to C}$, ");
    put(w, "with ${z_{j} = w_{j} a_{j-1} + b_{j}}$ and ${a_{j} = ",
        "com ${z_{j} = w_{j} a_{j-1} + b_{j}}$ e ${a_{j} = ");
    act_write(w, "j");
    gc_sink_puts(w->s, "(z_{j})}$.\n");
    if (w->d->shape.cost == GC_SYM_COST_QUADRATIC)
    {
        put(w, "The cost is quadratic, ${C = \\frac{1}{2}(a_{",
            "O custo é quadrático, ${C = \\frac{1}{2}(a_{");
        gc_sink_printf(w->s, "%ld} - y)^{2}}$, ", (long) L);
        put(w, "so ${", "logo ${");
        slash_write(w, "a", L);
        gc_sink_printf(w->s, " = a_{%ld} - y}$.\n", (long) L);
    }
    else if (w->d->shape.cost == GC_SYM_COST_CROSS_ENTROPY)
    {
        put(w, "The cost is the cross-entropy, ",
            "O custo é a entropia cruzada, ");
        gc_sink_printf(w->s, "${C = -\\bigl[y \\ln a_{%ld} + (1-y)"
                             "\\ln(1-a_{%ld})\\bigr]}$, ",
                       (long) L, (long) L);
        put(w, "so ${", "logo ${");
        slash_write(w, "a", L);
        gc_sink_printf(w->s, " = (a_{%ld}-y)/\\bigl(a_{%ld}(1-a_{%ld})"
                             "\\bigr)}$.\n",
                       (long) L, (long) L, (long) L);
    }
    gc_sink_puts(w->s, "\n");
}

static void
heading(const doc_t * w, const char * en, const char * pt)
{
    gc_sink_puts(w->s, "\\subsection*{");
    put(w, en, pt);
    gc_sink_puts(w->s, "}\n");
}

/* The print options of products inside longer lines. */
static void
inner_opts(gc_print_opts_t o, const doc_t * w, slong narrower)
{
    *o = w->d->print;
    o->format = GC_PRINT_LATEX;
    o->breaks = GC_BREAK_NONE;
    o->width = FLINT_MAX(16, o->width - narrower);
}

static void
product_write(const doc_t * w, const gc_expr_t grad)
{
    gc_print_opts_t o;
    char label[80];

    heading(w, "The gradient as a product", "O gradiente como produto");
    *o = w->d->print;
    o->format = GC_PRINT_LATEX;
    snprintf(label, sizeof label, "%s:product", w->lab);
    gc_equation_write_sink(w->s, w->d->param, grad, o, label);
    gc_sink_puts(w->s, "\n");
}

/* The partial derivative that justifies a step of the cascade, then " = ":
   for Delta a_j, the activation of z_j = w_j a_{j-1} + b_j written out
   and differentiated by the parameter; for Delta z_{j+1}, dz_{j+1}/da_j;
   for Delta C, dC/da_L when the cost factor is written out; nothing for
   the other steps. */
static void
justify_write(const doc_t * w, const gc_cascade_t c,
              const gc_cascade_step_struct * st)
{
    slong j = c->wrt.index;
    char sub[GC_INDEX_MAX];

    if (st->lhs.kind == GC_VAR_A && st->lhs.index == j)
    {
        snprintf(sub, sizeof sub, "%ld", (long) j);
        gc_sink_puts(w->s, "\\frac{\\partial ");
        act_write(w, sub);
        gc_sink_printf(w->s, "(w_{%ld} a_{%ld} + b_{%ld})}{\\partial %s_{%ld}}"
                             "\\,",
                       (long) j, (long) (j - 1), (long) j,
                       c->wrt.kind == GC_VAR_B ? "b" : "w", (long) j);
        var_write(w, &c->wrt);
    }
    else if (st->lhs.kind == GC_VAR_Z && st->lhs.index == j + 1)
    {
        gc_sink_printf(w->s, "\\frac{\\partial z_{%ld}}{\\partial a_{%ld}}"
                             "\\,",
                       (long) (j + 1), (long) j);
        var_write(w, &st->rhs);
    }
    else if (st->lhs.kind == GC_VAR_C && st->local.kind != GC_FACTOR_DC_DA)
    {
        frac_write(w, "a", st->rhs.index);
        gc_sink_puts(w->s, "\\,");
        var_write(w, &st->rhs);
    }
    else
        return;
    gc_sink_puts(w->s, " = ");
}

static void
cascade_write(const doc_t * w, const gc_cascade_t c)
{
    const gc_doc_struct * d = w->d;
    gc_print_opts_t o;
    slong i, L = d->shape.len;

    inner_opts(o, w, 24);
    heading(w, "The chain-rule cascade", "A cascata da regra da cadeia");
    put(w, "A small change $", "Uma pequena variação $");
    var_write(w, &c->wrt);
    put(w, "$ propagates through the chain:\n",
        "$ se propaga pela cadeia:\n");
    /* a long cascade may cross pages; the group keeps that to itself */
    gc_sink_puts(w->s, "\\begingroup\\allowdisplaybreaks[1]\n"
                       "\\begin{align}\n");
    for (i = 0; i < c->len; i++)
    {
        const gc_cascade_step_struct * st = c->step + i;

        /* Delta z_j ~ a_{j-1} Delta w_j: the next step differentiates
           the activation by w_j directly */
        if (st->rhs.kind == GC_VAR_W)
            continue;
        gc_sink_puts(w->s, "  ");
        var_write(w, &st->lhs);
        gc_sink_puts(w->s, " &\\approx ");
        justify_write(w, c, st);
        /* the first step, Delta a_j, is its own product ("= f'(z_j)
           Delta b_j"); the others multiply it by one more factor */
        if (st->lhs.kind != GC_VAR_A || st->lhs.index != c->wrt.index)
        {
            gc_factor_write_sink(w->s, &st->local, GC_PRINT_LATEX);
            gc_sink_puts(w->s, "\\,");
            var_write(w, &st->rhs);
            gc_sink_puts(w->s, " \\approx ");
        }
        gc_expr_write_range_sink(w->s, c->prod, 0, st->acc_len, o);
        gc_sink_puts(w->s, "\\,");
        var_write(w, &c->wrt);
        gc_sink_puts(w->s, i + 1 < c->len ? " \\\\\n" : "\n");
    }
    gc_sink_puts(w->s, "\\end{align}\n\\endgroup\n");
    if (c->simplified)
    {
        put(w, "With a sigmoid output neuron the last two factors "
               "simplify:\n",
            "Com um neurônio de saída sigmoide, os dois últimos fatores "
            "se simplificam:\n");
        gc_sink_printf(w->s, "\\begin{equation}\\label{%s:simplify}\n"
                             "  \\sigma'(z_{%ld})\\,",
                       w->lab, (long) L);
        frac_write(w, "a", L);
        gc_sink_printf(w->s, " = a_{%ld}(1-a_{%ld}) \\cdot "
                             "\\frac{a_{%ld}-y}{a_{%ld}(1-a_{%ld})}"
                             " = a_{%ld} - y.\n\\end{equation}\n",
                       (long) L, (long) L, (long) L, (long) L, (long) L,
                       (long) L);
    }
    put(w, "Dividing by $", "Dividindo por $");
    var_write(w, &c->wrt);
    put(w, "$ and letting ${", "$ e fazendo ${");
    var_write(w, &c->wrt);
    gc_sink_puts(w->s, " \\to 0}$");
    if (c->simplified)
        gc_sink_printf(w->s, "%s\\eqref{%s:simplify}",
                       tr(w, ", with ", ", com "), w->lab);
    gc_sink_printf(w->s, "%s\\eqref{%s:product}.\n\n",
                   c->simplified ? tr(w, ", gives ", ", obtém-se ")
                                 : tr(w, " gives ", ", obtém-se "),
                   w->lab);
}

/* \textcolor{color}{factors [start, start + n) of e} */
static void
colored_write(const doc_t * w, const char * color, const gc_expr_t e,
              slong start, slong n, const gc_print_opts_t o)
{
    gc_sink_printf(w->s, "\\textcolor{%s}{", color);
    gc_expr_write_range_sink(w->s, e, start, n, o);
    gc_sink_puts(w->s, "}");
}

/* \underbrace{\textcolor{color}{product}}_{\text{label}} */
static void
underbrace_write(const doc_t * w, const char * color, const gc_expr_t e,
                 const gc_print_opts_t o, const char * en, const char * pt)
{
    gc_sink_puts(w->s, "\\underbrace{");
    colored_write(w, color, e, 0, e->len, o);
    gc_sink_puts(w->s, "}_{\\text{");
    put(w, en, pt);
    gc_sink_puts(w->s, "}}");
}

/* The pairs sigma'(z_m) w_{m+1} of the extra factors, in their colour:
   each one up to three pairs, else once with the range of m. */
static void
pairs_write(const doc_t * w, const gc_expr_t extra, const gc_print_opts_t o,
            slong i)
{
    slong n = extra->len / 2, t;

    if (n > 3)
    {
        gc_sink_printf(w->s, "%s %ld %s $\\textcolor{" EXTRA_COLOR "}{",
                       tr(w, "each of the", "cada um dos"), (long) n,
                       tr(w, "pairs", "pares"));
        dact_write(w, "m");
        gc_sink_printf(w->s, "\\,w_{m+1}}$ (${m = %ld, \\dots, %ld}$)",
                       (long) i, (long) (i + n - 1));
        return;
    }
    put(w, n == 1 ? "the pair" : "each pair", n == 1 ? "o par" : "cada par");
    for (t = 0; t < n; t++)
    {
        if (t > 0)
            gc_sink_puts(w->s, t + 1 < n ? "," : tr(w, " and", " e"));
        gc_sink_puts(w->s, " $");
        colored_write(w, EXTRA_COLOR, extra, 2 * t, 2, o);
        gc_sink_puts(w->s, "$");
    }
}

static void
compare_write(const doc_t * w, slong i, slong k)
{
    gc_expr_t extra, shared;
    gc_print_opts_t o;
    slong n = k - i;
    int status;

    gc_expr_init(extra);
    gc_expr_init(shared);
    status = gc_expr_set_compare(extra, shared, &w->d->shape, i, k);
    if (status != GC_SUCCESS)
        gc_throw("compare_write: invalid comparison");
    inner_opts(o, w, 36);

    gc_sink_puts(w->s, "\\colorlet{" EXTRA_COLOR "}{red!70!black}\n"
                       "\\colorlet{" SHARED_COLOR "}{green!40!black}\n"
                       "\\subsection*{\\boldmath $\\partial C/\\partial b_{");
    gc_sink_printf(w->s, "%ld}$ %s $\\partial C/\\partial b_{%ld}$%s}\n",
                   (long) i, tr(w, "versus", "comparado com"), (long) k,
                   tr(w, ": shared factors", ": fatores comuns"));
    /* the phantom extra factors line the shared ones up */
    gc_sink_puts(w->s, "\\begin{align}\n  ");
    frac_write(w, "b", i);
    gc_sink_puts(w->s, " &= ");
    underbrace_write(w, EXTRA_COLOR, extra, o, "extra factors",
                     "fatores extras");
    gc_sink_puts(w->s, "\\,");
    underbrace_write(w, SHARED_COLOR, shared, o, "shared", "comuns");
    gc_sink_puts(w->s, " \\\\\n  ");
    frac_write(w, "b", k);
    gc_sink_puts(w->s, " &= \\phantom{");
    underbrace_write(w, EXTRA_COLOR, extra, o, "extra factors",
                     "fatores extras");
    gc_sink_puts(w->s, "\\,}");
    underbrace_write(w, SHARED_COLOR, shared, o, "shared", "comuns");
    gc_sink_puts(w->s, "\n\\end{align}\n");

    put(w, "Hence $", "Portanto $");
    slash_write(w, "b", i);
    gc_sink_puts(w->s, " = ");
    colored_write(w, EXTRA_COLOR, extra, 0, extra->len, o);
    gc_sink_puts(w->s, "\\,\\textcolor{" SHARED_COLOR "}{");
    slash_write(w, "b", k);
    gc_sink_puts(w->s, "}$.\n");
    if (w->d->shape.act == GC_SYM_SIGMA)
    {
        put(w, "Since ${\\sigma'(z) \\le \\frac{1}{4}}$, with "
               "${|w_{j}| < 1}$ ",
            "Como ${\\sigma'(z) \\le \\frac{1}{4}}$, com ${|w_{j}| < 1}$ ");
        pairs_write(w, extra, o, i);
        put(w, " is below $\\frac{1}{4}$ in magnitude, so $\\partial "
               "C/\\partial b_{",
            " tem módulo menor que $\\frac{1}{4}$; logo $\\partial "
            "C/\\partial b_{");
        gc_sink_printf(w->s, "%ld}$ %s ", (long) i,
                       tr(w, "is at least", "é pelo menos"));
        if (n <= 31)
            gc_sink_printf(w->s, "%lu", 1UL << (2 * n));
        else
            gc_sink_printf(w->s, "$4^{%ld}$", (long) n);
        gc_sink_printf(w->s, " %s $\\partial C/\\partial b_{%ld}$%s\n\n",
                       tr(w, "times smaller than", "vezes menor que"),
                       (long) k,
                       tr(w, ": the vanishing gradient.",
                          ": o gradiente desaparece."));
    }
    else
    {
        put(w, "Each pair $", "Cada par $");
        gc_sink_puts(w->s, "\\textcolor{" EXTRA_COLOR "}{");
        dact_write(w, "m");
        put(w, "\\,w_{m+1}}$ multiplies the gradient once more: if the pairs "
               "are below 1 in magnitude, $\\partial C/\\partial b_{",
            "\\,w_{m+1}}$ multiplica o gradiente mais uma vez: se os pares "
            "têm módulo menor que 1, $\\partial C/\\partial b_{");
        gc_sink_printf(w->s, "%ld}$ ", (long) i);
        put(w, "is exponentially smaller than $\\partial C/\\partial b_{",
            "é exponencialmente menor que $\\partial C/\\partial b_{");
        gc_sink_printf(w->s, "%ld}$ ", (long) k);
        put(w, "(vanishing gradient); if they are above 1, exponentially "
               "larger (exploding gradient).\n\n",
            "(o gradiente desaparece); se têm módulo maior que 1, "
            "exponencialmente "
            "maior (o gradiente explode).\n\n");
    }
    gc_expr_clear(extra);
    gc_expr_clear(shared);
}

/* A coordinate in tenths of a centimetre, as TikZ text. */
static void
coord_write(const doc_t * w, slong tenths)
{
    gc_sink_printf(w->s, "%s%ld.%ld", tenths < 0 ? "-" : "",
                   (long) FLINT_ABS(tenths) / 10,
                   (long) FLINT_ABS(tenths) % 10);
}

#define FIG_STEP 22 /* distance between neurons, in tenths of cm */
#define FIG_ROW 14  /* height of the row of factors */

/* The x position of factor *f* of the product, in tenths. */
static slong
factor_x(const gc_factor_struct * f, slong L)
{
    switch (f->kind)
    {
        case GC_FACTOR_DACT:
            return FIG_STEP * f->index;
        case GC_FACTOR_W:
            return FIG_STEP * f->index - FIG_STEP / 2;
        case GC_FACTOR_A:
            return FIG_STEP * (f->index + 1) - FIG_STEP / 2;
        default:
            return FIG_STEP * (L + 1);
    }
}

static void
brace_write(const doc_t * w, slong x0, slong x1, const char * color,
            const char * en, const char * pt, slong k)
{
    gc_sink_printf(w->s, "  \\draw[decorate,decoration={brace,amplitude=5pt},"
                         "%s] (", color);
    coord_write(w, x0 - 5);
    gc_sink_puts(w->s, ",2.1) -- (");
    coord_write(w, x1 + 5);
    gc_sink_printf(w->s, ",2.1) node[midway,above=5pt] {");
    put(w, en, pt);
    gc_sink_printf(w->s, " $\\partial C/\\partial b_{%ld}$};\n", (long) k);
}

static void
figure_write(const doc_t * w, const gc_cascade_t c, slong i, slong k)
{
    gc_param_t p;
    slong j = c->wrt.index;
    const gc_doc_struct * d = w->d;
    const gc_expr_struct * e = c->prod;
    slong L = d->shape.len, m, nextra = i > 0 ? 2 * (k - i) : 0;
    static const char * const colors[2] = {EXTRA_COLOR, SHARED_COLOR};

    gc_param_set(p, c->wrt.kind == GC_VAR_B ? GC_PARAM_B : GC_PARAM_W, j);
    heading(w, "The network as a mnemonic for the expression",
            "A rede como mnemônico da expressão");
    gc_sink_puts(w->s, "\\begin{center}\n\\resizebox{\\ifdim\\width>"
                       "\\linewidth\\linewidth\\else\\width\\fi}{!}{%\n"
                       "\\begin{tikzpicture}[neuron/.style={circle,draw,"
                       "minimum size=8mm,inner sep=0pt}]\n"
                       "  \\node (n0) at (0,0) {$a_{0}$};\n");
    for (m = 1; m <= L; m++)
    {
        gc_sink_printf(w->s, "  \\node[neuron] (n%ld) at (", (long) m);
        coord_write(w, FIG_STEP * m);
        gc_sink_printf(w->s, ",0) {$b_{%ld}$};\n", (long) m);
    }
    gc_sink_printf(w->s, "  \\node (n%ld) at (", (long) (L + 1));
    coord_write(w, FIG_STEP * (L + 1));
    gc_sink_puts(w->s, ",0) {$C$};\n");
    for (m = 1; m <= L + 1; m++)
    {
        gc_sink_printf(w->s, "  \\draw[->] (n%ld) -- node[below] {$",
                       (long) (m - 1));
        if (m <= L)
            gc_sink_printf(w->s, "w_{%ld}", (long) m);
        else
            gc_sink_printf(w->s, "a_{%ld}", (long) L);
        gc_sink_printf(w->s, "$} (n%ld);\n", (long) m);
    }
    gc_sink_puts(w->s, "  \\node[anchor=east] at (");
    coord_write(w, factor_x(e->fac, L) - 6);
    gc_sink_printf(w->s, ",%d.%d) {$\\displaystyle ", FIG_ROW / 10,
                   FIG_ROW % 10);
    gc_lhs_write_sink(w->s, p, GC_PRINT_LATEX);
    gc_sink_puts(w->s, " =$};\n");
    for (m = 0; m < e->len; m++)
    {
        const gc_factor_struct * f = e->fac + m;
        slong x = factor_x(f, L);

        gc_sink_printf(w->s, "  \\node");
        if (i > 0)
            gc_sink_printf(w->s, "[%s]", colors[m >= nextra]);
        gc_sink_printf(w->s, " (f%ld) at (", (long) m);
        coord_write(w, x);
        gc_sink_printf(w->s, ",%d.%d) {$\\displaystyle ", FIG_ROW / 10,
                       FIG_ROW % 10);
        gc_factor_write_sink(w->s, f, GC_PRINT_LATEX);
        gc_sink_printf(w->s, "$};\n  \\draw[dotted] (f%ld) -- (", (long) m);
        coord_write(w, x);
        gc_sink_puts(w->s, f->kind == GC_FACTOR_DACT ? ",0.4);\n"
                                                      : ",0.1);\n");
    }
    if (i > 0)
    {
        brace_write(w, factor_x(e->fac, L), factor_x(e->fac + nextra - 1, L),
                    colors[0], "extra factors of", "fatores extras de", i);
        brace_write(w, factor_x(e->fac + nextra, L), FIG_STEP * (L + 1),
                    colors[1], "shared with", "comuns com", k);
    }
    gc_sink_puts(w->s, "\\end{tikzpicture}}\n\\end{center}\n");
    put(w, "Reading the chain from left to right and writing $",
        "Percorrendo a cadeia da esquerda para a direita e escrevendo $");
    if (p->kind == GC_PARAM_W)
        gc_sink_printf(w->s, "a_{%ld}$ %s $w_{%ld}$, $", (long) (j - 1),
                       tr(w, "at the weight", "no peso"), (long) j);
    dact_write(w, "k");
    put(w, "$ at each neuron, $w_{k}$ at each weight and $",
        "$ em cada neurônio, $w_{k}$ em cada peso e $");
    slash_write(w, "a", L);
    gc_sink_printf(w->s, "$ %s ",
                   tr(w, "at the output reproduces",
                      "na saída, reproduz-se"));
    if (j == d->param->layer)
        gc_sink_printf(w->s, "\\eqref{%s:product}", w->lab);
    else
    {
        gc_sink_puts(w->s, "$");
        slash_write(w, "b", j);
        gc_sink_puts(w->s, "$");
    }
    gc_sink_printf(w->s, " %s\n\n",
                   tr(w, "factor by factor.", "fator por fator."));
}

static void
plot_write(const doc_t * w)
{
    heading(w, "\\boldmath The derivative of the sigmoid: "
               "$\\max \\sigma'(z) = \\sigma'(0) = \\frac{1}{4}$",
            "\\boldmath A derivada da sigmoide: $\\max \\sigma'(z) = "
            "\\sigma'(0) = \\frac{1}{4}$");
    gc_sink_puts(w->s,
        "\\[\n  \\sigma'(z) = \\sigma(z)\\bigl(1-\\sigma(z)\\bigr) = "
        "\\frac{e^{-z}}{(1+e^{-z})^{2}}\n\\]\n"
        "\\begin{center}\n\\begin{tikzpicture}\n"
        "\\begin{axis}[width=9cm, height=5.5cm, xlabel={$z$}, "
        "ylabel={$\\sigma'(z)$},\n"
        "  xmin=-6, xmax=6, ymin=0, ymax=0.32, grid=major,\n"
        "  ytick={0,0.05,0.1,0.15,0.2,0.25},\n"
        "  yticklabels={$0$,$0.05$,$0.10$,$0.15$,$0.20$,$\\frac{1}{4}$}]\n"
        "  \\addplot[blue, thick, domain=-6:6, samples=121] "
        "{exp(-x)/(1+exp(-x))^2};\n"
        "  \\addplot[red, dashed, domain=-6:6] {0.25};\n"
        "  \\addplot[red, only marks, mark=*] coordinates {(0,0.25)};\n"
        "  \\node[red, anchor=south west] at (axis cs:0.2,0.255) {");
    put(w, "maximum $\\frac{1}{4}$ at $z = 0$",
        "máximo $\\frac{1}{4}$ em $z = 0$");
    gc_sink_puts(w->s, "};\n\\end{axis}\n\\end{tikzpicture}\n"
                       "\\end{center}\n\n");
}

static void
doc_write(gc_sink_t s, const gc_doc_t d)
{
    doc_t w;
    gc_expr_t grad;
    gc_cascade_t c;
    slong i = 0, k = 0;
    int status;

    w.s = s;
    w.d = d;
    snprintf(w.lab, sizeof w.lab, "gradchain:%s%ld",
             d->param->kind == GC_PARAM_B ? "b" : "w", (long) d->param->layer);
    if (d->compare != 0)
    {
        i = FLINT_MIN(d->param->layer, d->compare);
        k = FLINT_MAX(d->param->layer, d->compare);
    }
    gc_expr_init(grad);
    gc_cascade_init(c);
    status = gc_expr_set_grad(grad, &d->shape, d->param);
    status |= gc_cascade_set(c, &d->shape, d->param);
    if (status != GC_SUCCESS)
        gc_throw("gc_doc_write: invalid request");

    preamble_write(&w);
    network_write(&w);
    product_write(&w, grad);
    cascade_write(&w, c);
    if (d->compare != 0)
        compare_write(&w, i, k);
    if (d->figure)
    {
        if (i > 0 && i != d->param->layer)
        {
            /* the figure shows the smaller index, as the comparison */
            gc_param_t bi;

            gc_param_set(bi, GC_PARAM_B, i);
            status = gc_cascade_set(c, &d->shape, bi);
            if (status != GC_SUCCESS)
                gc_throw("gc_doc_write: invalid request");
        }
        figure_write(&w, c, i, k);
    }
    if (d->plot)
        plot_write(&w);
    if (d->standalone)
        gc_sink_puts(s, "\\end{document}\n");
    gc_cascade_clear(c);
    gc_expr_clear(grad);
}

int
gc_doc_write(FILE * f, const gc_doc_t d)
{
    gc_sink_t s;

    if (gc_doc_check(d, NULL) != GC_SUCCESS)
        return GC_INVALID;
    gc_sink_init_file(s, f);
    doc_write(s, d);
    return gc_sink_clear(s);
}

int
gc_doc_get_str(char ** res, const gc_doc_t d)
{
    gc_sink_t s;

    *res = NULL;
    if (gc_doc_check(d, NULL) != GC_SUCCESS)
        return GC_INVALID;
    gc_sink_init_str(s);
    doc_write(s, d);
    *res = gc_sink_take_str(s);
    return GC_SUCCESS;
}
