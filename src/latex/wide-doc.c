/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* wide-doc.c -- the derivation document of layers of several neurons:
   the gradient in matrix form with what S' and the transpose are, one
   entry as nested sums, and the chain as the case of one neuron per
   layer; the network drawn as Nielsen draws it; in English and
   Brazilian Portuguese. */

#include "latex/latex-impl.h"

typedef enum
{
    W_BABEL = 0,
    W_TITLE,          /* %1 the width */
    W_HEAD_MATRIX,
    W_NETWORK,        /* %1 L, %2 the width, %3 the activation */
    W_COST_QUADRATIC, /* %1 L */
    W_COST_CE,        /* %1 L */
    W_BACKPROP_B,     /* %1 J */
    W_BACKPROP_W,     /* %1 J */
    W_EXPLAIN,        /* %1 S'(z^l), %2 n x n, %3 its diagonal (text), %4 the
                         order of a \prod (W_ORDER_PROD) or nothing */
    W_ORDER_PROD,     /* %1 first, %2 last k */
    W_EXPLAIN_W,      /* %1 J - 1, %2 J */
    W_HEAD_ENTRY,
    W_ENTRY_B,        /* %1 i, %2 J */
    W_ENTRY_W,        /* %1 j, %2 J - 1, %3 i, %4 J */
    W_ENTRY_AFTER,    /* %1 the width, %2 i, %3 J, %4 the label prefix */
    W_ENTRY_LAST,
    W_HEAD_CHAIN,
    W_CHAIN,          /* %1 S'(z^l), %2 f'(z_l), %3 the label prefix */
    /* J = L, the output layer: no product of matrices, no sum */
    W_BACKPROP_B_OUT, /* %1 J */
    W_BACKPROP_W_OUT, /* %1 J */
    W_EXPLAIN_OUT,    /* %1 S'(z^l), %2 n x n, %3 its diagonal (text) */
    W_ENTRY_B_OUT,    /* %1 i, %2 J */
    W_ENTRY_W_OUT,    /* %1 j, %2 J - 1, %3 i, %4 J */
    W_CHAIN_OUT,      /* as W_CHAIN */
    /* the cascade of backpropagation */
    W_HEAD_CASCADE,
    W_CASCADE,        /* %1 L */
    W_CASCADE_END,    /* %1 the reference to the matrix form */
    W_MATRIX_WORDS,   /* the matrix form, when not defined */
    /* the comparison of the biases of layers i < k */
    W_HEAD_COMPARE,   /* %1 i, %2 k */
    W_COMPARE,        /* %1 i, %2 k */
    W_COMPARE_NORM,   /* %1 f */
    W_VANISHING,      /* %1 i, %2 k, %3 k - i (sigma) */
    W_EXPONENTIAL,    /* %1 i, %2 k (the other activations) */
    W_HEAD_FIGURE,    /* the figure's heading and caption */
    W_COUNT
} wmsg_id_t;

static const char * const wmsg_en[W_COUNT] = {
    [W_BABEL] = "english",
    [W_TITLE] = "The gradient in layers of $%1$ neurons",
    [W_HEAD_MATRIX] = "The gradient in matrix form",
    [W_NETWORK] =
        "The network has $%1$ layers of $%2$ neurons each.  Layer $l$ "
        "computes $z^{l} = W^{l} a^{l-1} + b^{l}$ and $a^{l} = %3(z^{l})$, "
        "with $%3$ applied to each entry; $w^{l}_{jk}$, the entry of "
        "$W^{l}$ in row~$j$ and column~$k$, is the weight from neuron~$k$ "
        "of layer $l-1$ to neuron~$j$ of layer~$l$.",
    [W_COST_QUADRATIC] =
        "  The cost is $C = \\frac{1}{2}\\lVert a^{%1} - y\\rVert^{2}$, so "
        "$\\nabla_{a} C = a^{%1} - y$.",
    [W_COST_CE] =
        "  The cost is the cross-entropy $C = -\\sum_{j} \\bigl(y_{j} \\ln "
        "a^{%1}_{j} + (1 - y_{j}) \\ln(1 - a^{%1}_{j})\\bigr)$; with the "
        "sigmoid, $\\Sigma'(z^{%1})\\,\\nabla_{a} C = a^{%1} - y$.",
    [W_BACKPROP_B] =
        "Backpropagation gives the gradient with respect to the biases of "
        "layer~$%1$ as a product of matrices:",
    [W_BACKPROP_W] =
        "Backpropagation gives the gradient with respect to the weights of "
        "layer~$%1$ as a product of matrices:",
    [W_EXPLAIN] =
        "Here $%1$ is the $%2$ diagonal matrix whose diagonal holds %3: "
        "multiplying a vector by it multiplies each entry by the derivative "
        "at its neuron.  The transpose $(W^{l})^{T}$ carries the error of "
        "layer~$l$ back to layer $l-1$ along the weights that carried the "
        "signal forward.  Matrices do not commute, so the product is taken "
        "in the order written%4.",
    [W_ORDER_PROD] =
        ", the factors of the $\\prod$ from $k = %1$ on the left to "
        "$k = %2$ on the right",
    [W_EXPLAIN_W] =
        "  The last factor, the row vector $(a^{%1})^{T}$, makes "
        "$\\partial C/\\partial W^{%2}$ the outer product of "
        "$\\partial C/\\partial b^{%2}$ with the activations of "
        "layer~$%1$.",
    [W_HEAD_ENTRY] = "One neuron, entry by entry",
    [W_ENTRY_B] =
        "Entry by entry, the gradient with respect to the bias of "
        "neuron~$%1$ of layer~$%2$ is a nested sum over the neurons $k_{l}$ "
        "of the later layers:",
    [W_ENTRY_W] =
        "Entry by entry, the gradient with respect to the weight from "
        "neuron~$%1$ of layer~$%2$ to neuron~$%3$ of layer~$%4$ is "
        "$a^{%2}_{%1}$ times a nested sum over the neurons $k_{l}$ of the "
        "later layers:",
    [W_ENTRY_AFTER] =
        "Each sum runs over the $%1$ neurons of its layer: every path from "
        "neuron~$%2$ of layer~$%3$ to the output contributes one product of "
        "derivatives and weights, and the sum over all of them is the "
        "entry of~\\eqref{%4:matrix}.",
    [W_ENTRY_LAST] =
        "At the output layer there is no later layer, hence no sum.",
    [W_HEAD_CHAIN] = "One neuron per layer",
    [W_CHAIN] =
        "With one neuron per layer every matrix is a number, $%1 = %2$ and "
        "$(W^{l})^{T} = w_{l}$, each sum has the single term $k_{l} = 1$, "
        "and \\eqref{%3:matrix} becomes the product of the chain:",
    [W_BACKPROP_B_OUT] =
        "The gradient with respect to the biases of the output "
        "layer~$%1$ needs no backpropagation:",
    [W_BACKPROP_W_OUT] =
        "The gradient with respect to the weights of the output "
        "layer~$%1$ needs no backpropagation:",
    [W_EXPLAIN_OUT] =
        "Here $%1$ is the $%2$ diagonal matrix whose diagonal holds %3: "
        "multiplying a vector by it multiplies each entry by the derivative "
        "at its neuron.",
    [W_ENTRY_B_OUT] =
        "Entry by entry, the gradient with respect to the bias of "
        "neuron~$%1$ of the output layer~$%2$ is a single term:",
    [W_ENTRY_W_OUT] =
        "Entry by entry, the gradient with respect to the weight from "
        "neuron~$%1$ of layer~$%2$ to neuron~$%3$ of the output layer~$%4$ "
        "is $a^{%2}_{%1}$ times a single term:",
    [W_CHAIN_OUT] =
        "With one neuron per layer every vector and matrix is a number, "
        "and \\eqref{%3:matrix} becomes the gradient of the chain:",
    [W_HEAD_CASCADE] = "The chain-rule cascade",
    [W_CASCADE] =
        "Backpropagation computes the error $\\delta^{l} = \\partial "
        "C/\\partial b^{l}$ of each layer from that of the layer after it, "
        "starting at the output layer~$%1$:",
    [W_CASCADE_END] = "Together, these lines give %1.",
    [W_MATRIX_WORDS] = "the gradient in matrix form",
    [W_HEAD_COMPARE] =
        "$\\partial C/\\partial b^{%1}$ versus $\\partial C/\\partial "
        "b^{%2}$: shared factors",
    [W_COMPARE] =
        "The gradient with respect to the biases of layer~$%1$ is the extra "
        "factors between the two layers times the gradient of "
        "layer~$%2$:",
    [W_COMPARE_NORM] =
        "The norm of a diagonal matrix is the largest magnitude on its "
        "diagonal, and a matrix and its transpose have the same norm, so "
        "each pair of extra factors multiplies the norm by at most "
        "$\\max_{j} |%1'(z^{l}_{j})|\\,\\lVert W^{l+1}\\rVert_{2}$:",
    [W_VANISHING] =
        "Since $\\sigma'(z) \\le \\frac{1}{4}$, if every "
        "$\\lVert W^{l}\\rVert_{2} < 1$ the gradient of layer~$%1$ is at "
        "least $4^{%3}$ times smaller in norm than that of layer~$%2$: the "
        "vanishing gradient.",
    [W_EXPONENTIAL] =
        "When each of these bounds is below 1, the gradient of layer~$%1$ "
        "is exponentially smaller in norm than that of layer~$%2$: the "
        "vanishing gradient.",
    [W_HEAD_FIGURE] = "The network, layer by layer"};

static const char * const wmsg_pt[W_COUNT] = {
    [W_BABEL] = "brazilian",
    [W_TITLE] = "O gradiente em camadas de $%1$ neur\xc3\xb4nios",
    [W_HEAD_MATRIX] = "O gradiente em forma matricial",
    [W_NETWORK] =
        "A rede tem $%1$ camadas de $%2$ neur\xc3\xb4nios cada.  A "
        "camada~$l$ calcula $z^{l} = W^{l} a^{l-1} + b^{l}$ e "
        "$a^{l} = %3(z^{l})$, com $%3$ aplicada a cada componente; "
        "$w^{l}_{jk}$, o elemento da linha~$j$ e da coluna~$k$ de $W^{l}$, "
        "\xc3\xa9 o peso do neur\xc3\xb4nio~$k$ da camada $l-1$ para o "
        "neur\xc3\xb4nio~$j$ da camada~$l$.",
    [W_COST_QUADRATIC] =
        "  O custo \xc3\xa9 $C = \\frac{1}{2}\\lVert a^{%1} - y\\rVert^{2}$, "
        "logo $\\nabla_{a} C = a^{%1} - y$.",
    [W_COST_CE] =
        "  O custo \xc3\xa9 a entropia cruzada $C = -\\sum_{j} \\bigl(y_{j} "
        "\\ln a^{%1}_{j} + (1 - y_{j}) \\ln(1 - a^{%1}_{j})\\bigr)$; com a "
        "sigmoide, $\\Sigma'(z^{%1})\\,\\nabla_{a} C = a^{%1} - y$.",
    [W_BACKPROP_B] =
        "A retropropaga\xc3\xa7\xc3\xa3o d\xc3\xa1 o gradiente em "
        "rela\xc3\xa7\xc3\xa3o aos vieses da camada~$%1$ como um produto de "
        "matrizes:",
    [W_BACKPROP_W] =
        "A retropropaga\xc3\xa7\xc3\xa3o d\xc3\xa1 o gradiente em "
        "rela\xc3\xa7\xc3\xa3o aos pesos da camada~$%1$ como um produto de "
        "matrizes:",
    [W_EXPLAIN] =
        "Aqui $%1$ \xc3\xa9 a matriz diagonal $%2$ cuja diagonal "
        "cont\xc3\xa9m %3: multiplicar um vetor por ela multiplica cada "
        "componente pela derivada no seu neur\xc3\xb4nio.  A transposta "
        "$(W^{l})^{T}$ leva o erro da camada~$l$ de volta \xc3\xa0 camada "
        "$l-1$ pelos mesmos pesos que levaram o sinal adiante.  Matrizes "
        "n\xc3\xa3o comutam, por isso o produto \xc3\xa9 tomado na ordem "
        "escrita%4.",
    [W_ORDER_PROD] =
        ", os fatores do $\\prod$ de $k = %1$, \xc3\xa0 esquerda, a "
        "$k = %2$, \xc3\xa0 direita",
    [W_EXPLAIN_W] =
        "  O \xc3\xbaltimo fator, o vetor linha $(a^{%1})^{T}$, faz de "
        "$\\partial C/\\partial W^{%2}$ o produto externo de "
        "$\\partial C/\\partial b^{%2}$ pelas ativa\xc3\xa7\xc3\xb5" "es da "
        "camada~$%1$.",
    [W_HEAD_ENTRY] = "Um neur\xc3\xb4nio, componente a componente",
    [W_ENTRY_B] =
        "Componente a componente, o gradiente em rela\xc3\xa7\xc3\xa3o ao "
        "vi\xc3\xa9s do neur\xc3\xb4nio~$%1$ da camada~$%2$ \xc3\xa9 uma "
        "soma aninhada sobre os neur\xc3\xb4nios $k_{l}$ das camadas "
        "seguintes:",
    [W_ENTRY_W] =
        "Componente a componente, o gradiente em rela\xc3\xa7\xc3\xa3o ao "
        "peso do neur\xc3\xb4nio~$%1$ da camada~$%2$ para o "
        "neur\xc3\xb4nio~$%3$ da camada~$%4$ \xc3\xa9 $a^{%2}_{%1}$ vezes "
        "uma soma aninhada sobre os neur\xc3\xb4nios $k_{l}$ das camadas "
        "seguintes:",
    [W_ENTRY_AFTER] =
        "Cada soma percorre os $%1$ neur\xc3\xb4nios da sua camada: cada "
        "caminho do neur\xc3\xb4nio~$%2$ da camada~$%3$ at\xc3\xa9 a "
        "sa\xc3\xad" "da contribui com um produto de derivadas e pesos, e a "
        "soma de todos eles \xc3\xa9 a componente de~\\eqref{%4:matrix}.",
    [W_ENTRY_LAST] =
        "Na camada de sa\xc3\xad" "da n\xc3\xa3o h\xc3\xa1 camada seguinte, "
        "logo n\xc3\xa3o h\xc3\xa1 soma.",
    [W_HEAD_CHAIN] = "Um neur\xc3\xb4nio por camada",
    [W_CHAIN] =
        "Com um neur\xc3\xb4nio por camada, cada matriz \xc3\xa9 um "
        "n\xc3\xbamero, $%1 = %2$ e $(W^{l})^{T} = w_{l}$, cada soma tem um "
        "\xc3\xbanico termo, $k_{l} = 1$, e \\eqref{%3:matrix} se torna o "
        "produto da cadeia:",
    [W_BACKPROP_B_OUT] =
        "O gradiente em rela\xc3\xa7\xc3\xa3o aos vieses da camada de "
        "sa\xc3\xad" "da~$%1$ n\xc3\xa3o precisa de "
        "retropropaga\xc3\xa7\xc3\xa3o:",
    [W_BACKPROP_W_OUT] =
        "O gradiente em rela\xc3\xa7\xc3\xa3o aos pesos da camada de "
        "sa\xc3\xad" "da~$%1$ n\xc3\xa3o precisa de "
        "retropropaga\xc3\xa7\xc3\xa3o:",
    [W_EXPLAIN_OUT] =
        "Aqui $%1$ \xc3\xa9 a matriz diagonal $%2$ cuja diagonal "
        "cont\xc3\xa9m %3: multiplicar um vetor por ela multiplica cada "
        "componente pela derivada no seu neur\xc3\xb4nio.",
    [W_ENTRY_B_OUT] =
        "Componente a componente, o gradiente em rela\xc3\xa7\xc3\xa3o ao "
        "vi\xc3\xa9s do neur\xc3\xb4nio~$%1$ da camada de "
        "sa\xc3\xad" "da~$%2$ \xc3\xa9 um \xc3\xbanico termo:",
    [W_ENTRY_W_OUT] =
        "Componente a componente, o gradiente em rela\xc3\xa7\xc3\xa3o ao "
        "peso do neur\xc3\xb4nio~$%1$ da camada~$%2$ para o "
        "neur\xc3\xb4nio~$%3$ da camada de sa\xc3\xad" "da~$%4$ "
        "\xc3\xa9 $a^{%2}_{%1}$ vezes um \xc3\xbanico termo:",
    [W_CHAIN_OUT] =
        "Com um neur\xc3\xb4nio por camada, cada vetor e cada matriz "
        "\xc3\xa9 um n\xc3\xbamero, e \\eqref{%3:matrix} se torna o "
        "gradiente da cadeia:",
    [W_HEAD_CASCADE] = "A cascata da regra da cadeia",
    [W_CASCADE] =
        "A retropropaga\xc3\xa7\xc3\xa3o calcula o erro $\\delta^{l} = "
        "\\partial C/\\partial b^{l}$ de cada camada a partir do erro da "
        "camada seguinte, come\xc3\xa7" "ando pela camada de "
        "sa\xc3\xad" "da~$%1$:",
    [W_CASCADE_END] = "Juntas, essas linhas d\xc3\xa3o %1.",
    [W_MATRIX_WORDS] = "o gradiente em forma matricial",
    [W_HEAD_COMPARE] =
        "$\\partial C/\\partial b^{%1}$ comparado com $\\partial "
        "C/\\partial b^{%2}$: fatores compartilhados",
    [W_COMPARE] =
        "O gradiente em rela\xc3\xa7\xc3\xa3o aos vieses da camada~$%1$ "
        "\xc3\xa9 o produto dos fatores extras entre as duas camadas pelo "
        "gradiente da camada~$%2$:",
    [W_COMPARE_NORM] =
        "A norma de uma matriz diagonal \xc3\xa9 o maior m\xc3\xb3" "dulo "
        "da sua diagonal, e uma matriz e sua transposta t\xc3\xaam a mesma "
        "norma; logo, cada par de fatores extras multiplica a norma por no "
        "m\xc3\xa1ximo $\\max_{j} |%1'(z^{l}_{j})|\\,\\lVert "
        "W^{l+1}\\rVert_{2}$:",
    [W_VANISHING] =
        "Como $\\sigma'(z) \\le \\frac{1}{4}$, se todo "
        "$\\lVert W^{l}\\rVert_{2} < 1$ o gradiente da camada~$%1$ tem "
        "norma pelo menos $4^{%3}$ vezes menor que o da camada~$%2$: a "
        "dissipa\xc3\xa7\xc3\xa3o do gradiente.",
    [W_EXPONENTIAL] =
        "Quando cada uma dessas cotas \xc3\xa9 menor que 1, o gradiente da "
        "camada~$%1$ tem norma exponencialmente menor que o da "
        "camada~$%2$: a dissipa\xc3\xa7\xc3\xa3o do gradiente.",
    [W_HEAD_FIGURE] = "A rede, camada por camada"};

static const char * const * const wmsg_tables[] = {wmsg_en, wmsg_pt};

const char *
gc_doc_wide_message(gc_lang_t lang, int id)
{
    (void) gc_lang_name(lang); /* aborts for an unknown language */
    return id >= 0 && id < W_COUNT ? wmsg_tables[lang][id] : NULL;
}

/* The size of a label prefix with its final NUL (see document.c), and
   of an argument of a message. */
#define WLABEL_SIZE 320
#define ARG_SIZE 128
#define NAME_SIZE 32

/* The writer's state. */
typedef struct
{
    gc_sink_struct * s;
    const gc_doc_struct * d;
    slong width;
    slong row;
    slong col;
    const char * const * msg;
    char lab[WLABEL_SIZE];
    unsigned parts; /* the parts written (GC_DOC_PART_BIT) */
} wdoc_struct;

static int
wpart_on(const wdoc_struct * w, gc_doc_part_t p)
{
    return (w->parts & GC_DOC_PART_BIT(p)) != 0;
}

/* Writes message *id* with the arguments args[0], ... */
static void
say(const wdoc_struct * w, wmsg_id_t id, int nargs,
    const char * const * args)
{
    const char * t = w->msg[id];
    int n;

    while ((n = gc_sink_template(w->s, &t, nargs)) != 0)
        gc_sink_puts(w->s, args[n - 1]);
}

/* A number or a letter, as LaTeX math. */
static void
idx_str(char * buf, slong k)
{
    if (k > 0)
        snprintf(buf, NAME_SIZE, "%ld", (long) k);
    else
        snprintf(buf, NAME_SIZE, "%c", (char) -k);
}

/* The heading *id* (bold math when *bold*) with its arguments. */
static void
heading(const wdoc_struct * w, wmsg_id_t id, int bold, int nargs,
        const char * const * args)
{
    if (!gc_doc_heading_open_sink(w->s, w->d->heading, bold))
        return;
    say(w, id, nargs, args);
    gc_sink_puts(w->s, "}\n");
}

/* The LaTeX name of f (per-layer: f_{l}). */
static void
act_str(char * buf, gc_sym_act_t act)
{
    static const char * const name[GC_SYM_NACTS] = {
        "\\sigma", "f", "f_{l}", "\\tanh", "\\mathrm{ReLU}",
        "\\mathrm{LReLU}", "\\mathrm{softplus}", "\\mathrm{id}",
        "\\mathrm{GELU}"};

    snprintf(buf, NAME_SIZE, "%s", name[act]);
}

/* Sets the label prefix: d->label, or the chain's derived one with the
   width and the entry appended. */
static void
wlabel_set(wdoc_struct * w)
{
    char * lab;
    char x[NAME_SIZE];
    gc_doc_struct dd;
    size_t n;

    if (w->d->label != NULL)
    {
        snprintf(w->lab, WLABEL_SIZE, "%s", w->d->label);
        return;
    }
    /* the text height sizes the page only: it is no key */
    dd = *w->d;
    dd.textheight = 0.0;
    lab = gc_doc_get_label(&dd);
    idx_str(x, w->width);
    n = (size_t) snprintf(w->lab, WLABEL_SIZE, "%s-n%s", lab, x);
    flint_free(lab);
    if (w->row > 0)
        n += (size_t) snprintf(w->lab + n, WLABEL_SIZE - n, "-i%ld",
                               (long) w->row);
    if (w->col > 0)
        snprintf(w->lab + n, WLABEL_SIZE - n, "-j%ld", (long) w->col);
}

/* 1 if the comparison or the figure is written in colour. */
static int
wcolored(const wdoc_struct * w)
{
    return (wpart_on(w, GC_DOC_PART_COMPARE)
            || wpart_on(w, GC_DOC_PART_FIGURE))
           && w->d->color != GC_DOC_COLOR_NONE;
}

static void
preamble_write(const wdoc_struct * w)
{
    const gc_doc_struct * d = w->d;
    char x[NAME_SIZE];
    const char * args[1] = {x};
    /* the floats, which define labels */
    const int fig = d->floats && wpart_on(w, GC_DOC_PART_FIGURE),
              plot = d->floats && wpart_on(w, GC_DOC_PART_PLOT);

    if (!d->standalone)
    {
        gc_sink_puts(w->s, "% gradchain derivation, layers of several "
                           "neurons (fragment).\n% It needs "
                           "\\usepackage{amsmath}");
        if (wcolored(w))
            gc_sink_puts(w->s, ",\n% xcolor (the colours " GC_DOC_EXTRA_COLOR
                               " and " GC_DOC_SHARED_COLOR " are defined\n"
                               "% only if the document has not defined "
                               "them)");
        if (wpart_on(w, GC_DOC_PART_FIGURE))
            gc_sink_puts(w->s, ",\n% graphicx, tikz");
        if (wpart_on(w, GC_DOC_PART_PLOT))
            gc_sink_puts(w->s, ",\n% pgfplots");
        gc_sink_puts(w->s, wcolored(w) || wpart_on(w, GC_DOC_PART_FIGURE)
                           || wpart_on(w, GC_DOC_PART_PLOT)
                           ? ",\n% and" : " and");
        gc_sink_puts(w->s, ", for the accents, [utf8]{inputenc}.\n");
        if (wpart_on(w, GC_DOC_PART_PRODUCT))
            gc_sink_printf(w->s, "%% Labels: %s:matrix (the gradient in "
                                 "matrix form),\n%% %s:entry (one entry, "
                                 "nested sums),\n%% %s:chain (the chain, "
                                 "one neuron per layer)%s\n", w->lab, w->lab,
                           w->lab, fig || plot ? "," : ".");
        if (fig)
            gc_sink_printf(w->s, "%% %s%s:figure (the figure)%s\n",
                           wpart_on(w, GC_DOC_PART_PRODUCT) ? ""
                                                            : "Labels: ",
                           w->lab, plot ? "," : ".");
        if (plot)
            gc_sink_printf(w->s, "%% %s%s:plot (the plot).\n",
                           wpart_on(w, GC_DOC_PART_PRODUCT) || fig
                           ? "" : "Labels: ", w->lab);
        if (!wpart_on(w, GC_DOC_PART_PRODUCT) && !fig && !plot)
            gc_sink_puts(w->s, "% It defines no label.\n");
        gc_sink_puts(w->s, "\n");
        return;
    }
    gc_doc_standalone_head_sink(w->s, w->msg[W_BABEL], d->textwidth,
                                d->textheight);
    if (wcolored(w))
        gc_sink_puts(w->s, "\\usepackage{xcolor}\n");
    if (wpart_on(w, GC_DOC_PART_FIGURE))
        gc_sink_puts(w->s, "\\usepackage{graphicx}\n\\usepackage{tikz}\n");
    if (wpart_on(w, GC_DOC_PART_PLOT))
        gc_sink_puts(w->s, "\\usepackage{pgfplots}\n"
                           "\\pgfplotsset{compat=1.18}\n");
    /* ragged right: a wide number in its large type cannot stretch */
    gc_sink_puts(w->s, "\\begin{document}\n\n\\section*{\\raggedright "
                       "\\boldmath ");
    idx_str(x, w->width);
    say(w, W_TITLE, 1, args);
    gc_sink_puts(w->s, "}\n\n");
}

/* The print options of the equations: the document's form, LaTeX,
   broken by multline unless split was asked. */
static void
eq_opts(gc_print_opts_t o, const wdoc_struct * w)
{
    *o = w->d->print;
    o->format = GC_PRINT_LATEX;
    if (o->breaks == GC_BREAK_NONE)
        o->breaks = GC_BREAK_MULTLINE;
}

/* The most lines of an equation written whole before auto shortens it
   (the \prod of the matrix form, the elided sums). */
#define EQ_MAX_LINES 4

/* The LaTeX of S'(z^l) of layer *l* (a number or the letter l) for the
   activation *act* into buf: \Sigma'(z^{l}) for the sigmoid,
   diag(f'(z^{l})) otherwise (f_{l}' per layer). */
static void
diag_at(char * buf, gc_sym_act_t act, const char * l)
{
    char name[NAME_SIZE];

    if (act == GC_SYM_F_LAYER)
        snprintf(name, NAME_SIZE, "f_{%s}", l);
    else
        act_str(name, act);
    if (act == GC_SYM_SIGMA)
        snprintf(buf, ARG_SIZE, "\\Sigma'(z^{%s})", l);
    else
        snprintf(buf, ARG_SIZE, "\\operatorname{diag}\\bigl(%s'(z^{%s})"
                                "\\bigr)", name, l);
}

static void
matrix_write(const wdoc_struct * w, const gc_wexpr_t e)
{
    const gc_doc_struct * d = w->d;
    const slong J = d->param->layer, L = d->shape.len;
    /* the last layer of the pairs: L, or L - 1 when the cross-entropy
       takes S'(z^L) into a^L - y */
    const slong last = L - (d->shape.cost == GC_SYM_COST_CROSS_ENTROPY);
    char name[NAME_SIZE], n[NAME_SIZE], l[NAME_SIZE], j[NAME_SIZE],
        jm[NAME_SIZE], diag[ARG_SIZE], nn[ARG_SIZE], ent[2 * ARG_SIZE],
        order[ARG_SIZE];
    const char * a[4];
    gc_print_opts_t o;
    gc_form_t form;

    idx_str(n, w->width);
    act_str(name, d->shape.act);
    snprintf(l, NAME_SIZE, "%ld", (long) L);
    snprintf(j, NAME_SIZE, "%ld", (long) J);
    snprintf(jm, NAME_SIZE, "%ld", (long) (J - 1));
    heading(w, W_HEAD_MATRIX, 0, 0, NULL);
    gc_sink_puts(w->s, "{\\emergencystretch=3em\n");
    a[0] = l;
    a[1] = n;
    a[2] = name;
    say(w, W_NETWORK, 3, a);
    if (d->shape.cost != GC_SYM_COST_GENERIC)
        say(w, d->shape.cost == GC_SYM_COST_QUADRATIC ? W_COST_QUADRATIC
                                                      : W_COST_CE, 1, a);
    gc_sink_puts(w->s, "\n\n");
    a[0] = j;
    if (J == L)
        say(w, d->param->kind == GC_PARAM_B ? W_BACKPROP_B_OUT
                                            : W_BACKPROP_W_OUT, 1, a);
    else
        say(w, d->param->kind == GC_PARAM_B ? W_BACKPROP_B : W_BACKPROP_W,
            1, a);
    gc_sink_puts(w->s, "\n");
    eq_opts(o, w);
    form = gc_wexpr_write_sink(w->s, e, o, 1, w->lab, d->textwidth,
                               EQ_MAX_LINES, 0);

    /* S'(z^l), n x n, its diagonal, and the order of a \prod */
    diag_at(diag, d->shape.act, "l");
    snprintf(nn, ARG_SIZE, "%s \\times %s", n, n);
    snprintf(ent, sizeof ent, "$%s'(z^{l}_{1})$, \\dots, $%s'(z^{l}_{%s})$",
             name, name, n);
    order[0] = '\0';
    if (form == GC_FORM_COMPACT && last - J >= 2)
    {
        const char * tpl = w->msg[W_ORDER_PROD];
        char * t;
        gc_sink_t s;
        int k;

        gc_sink_init_str(s);
        while ((k = gc_sink_template(s, &tpl, 2)) != 0)
            gc_sink_printf(s, "%ld", (long) (k == 1 ? J + 1 : last));
        t = gc_sink_take_str(s);
        snprintf(order, ARG_SIZE, "%s", t);
        flint_free(t);
    }
    a[0] = diag;
    a[1] = nn;
    a[2] = ent;
    a[3] = order;
    /* at the output layer there is no transpose, and no S' at all when
       the cross-entropy took it into a^L - y */
    if (J < L)
        say(w, W_EXPLAIN, 4, a);
    else if (last == L)
        say(w, W_EXPLAIN_OUT, 3, a);
    if (d->param->kind == GC_PARAM_W)
    {
        a[0] = jm;
        a[1] = j;
        say(w, W_EXPLAIN_W, 2, a);
    }
    /* TeX breaks a paragraph with the \emergencystretch in force at its
       end: the blank line ends it inside the group */
    gc_sink_puts(w->s, "\n\n}\n");
}

static void
entry_write(const wdoc_struct * w, const gc_wexpr_t e)
{
    const gc_doc_struct * d = w->d;
    const slong J = d->param->layer;
    char n[NAME_SIZE], i[NAME_SIZE], k[NAME_SIZE], j[NAME_SIZE],
        jm[NAME_SIZE];
    const char * a[4];
    gc_print_opts_t o;

    idx_str(n, w->width);
    idx_str(i, e->row);
    idx_str(k, e->col);
    snprintf(j, NAME_SIZE, "%ld", (long) J);
    snprintf(jm, NAME_SIZE, "%ld", (long) (J - 1));
    heading(w, W_HEAD_ENTRY, 0, 0, NULL);
    gc_sink_puts(w->s, "{\\emergencystretch=3em\n");
    if (d->param->kind == GC_PARAM_B)
    {
        a[0] = i;
        a[1] = j;
        say(w, J == d->shape.len ? W_ENTRY_B_OUT : W_ENTRY_B, 2, a);
    }
    else
    {
        a[0] = k;
        a[1] = jm;
        a[2] = i;
        a[3] = j;
        say(w, J == d->shape.len ? W_ENTRY_W_OUT : W_ENTRY_W, 4, a);
    }
    gc_sink_puts(w->s, "\n");
    eq_opts(o, w);
    /* the nested sums have no \prod nor pairs: whole, or elided */
    if (o->form == GC_FORM_COMPACT || o->form == GC_FORM_GROUPED)
        o->form = GC_FORM_AUTO;
    gc_wexpr_write_sink(w->s, e, o, 1, w->lab, d->textwidth, EQ_MAX_LINES,
                        0);
    if (J == d->shape.len)
        say(w, W_ENTRY_LAST, 0, NULL);
    else
    {
        a[0] = n;
        a[1] = i;
        a[2] = j;
        a[3] = w->lab;
        say(w, W_ENTRY_AFTER, 4, a);
    }
    gc_sink_puts(w->s, "\n\n}\n");
}

/* The width in characters of the text form of the chain's product (see
   GC_DOC_PT_PER_CHAR in latex.h): the equation number and the
   left-hand side take about 14 of them. */
#define CHAIN_LINE_REST 14

/* The ellipsis of the chain's elided product, and the room that the
   equation number and a margin take from the text width, in points. */
#define ELLIPSIS "\\,\\cdots\\,"
#define CHAIN_EQ_ROOM_PT 30.0

static void
chain_write(const wdoc_struct * w)
{
    const gc_doc_struct * d = w->d;
    char diag[ARG_SIZE], df[ARG_SIZE], name[NAME_SIZE];
    const char * a[3];
    const char * dots;
    char * t;
    gc_print_opts_t o;
    gc_expr_t e;
    gc_sink_t eq;
    int brk;

    heading(w, W_HEAD_CHAIN, 0, 0, NULL);
    diag_at(diag, d->shape.act, "l");
    gc_print_opts_init(o);
    o->width = FLINT_MAX(16, (slong) (d->textwidth / GC_DOC_PT_PER_CHAR)
                             - CHAIN_LINE_REST);
    act_str(name, d->shape.act);
    snprintf(df, ARG_SIZE, "%s'(z_{l})", name);
    a[0] = diag;
    a[1] = df;
    a[2] = w->lab;
    gc_sink_puts(w->s, "{\\emergencystretch=3em\n");
    say(w, d->param->layer == d->shape.len ? W_CHAIN_OUT : W_CHAIN, 3, a);
    gc_expr_init(e);
    /* the product of the chain: every factor when it fits, else elided */
    if (gc_expr_set_grad(e, &d->shape, d->param) != GC_SUCCESS)
        gc_throw("gc_doc_wide_write: invalid request");
    gc_sink_init_str(eq);
    gc_lhs_write_sink(eq, d->param, GC_PRINT_LATEX);
    gc_sink_puts(eq, " = ");
    gc_expr_write_range_sink(eq, e, 0, e->len, o);
    t = gc_sink_take_str(eq);
    /* elided and still wider than a narrow page (long layer numbers):
       a multline broken after the ellipsis */
    dots = strstr(t, ELLIPSIS);
    brk = dots != NULL
          && gc_tex_str_width(t) > d->textwidth - CHAIN_EQ_ROOM_PT;
    /* the display ends the sentence's lines: it stays in the group */
    gc_sink_printf(w->s, "\n\\begin{%s}\n  ", brk ? "multline"
                                                 : "equation");
    if (brk)
        gc_sink_printf(w->s, "%.*s\\,\\cdots \\\\\n  %s",
                       (int) (dots - t), t, dots + strlen(ELLIPSIS));
    else
        gc_sink_puts(w->s, t);
    gc_sink_printf(w->s, "\\label{%s:chain}\n\\end{%s}\n}\n", w->lab,
                   brk ? "multline" : "equation");
    flint_free(t);
    gc_expr_clear(e);
}

/* The reference to the matrix form from another part: \eqref when the
   product part is written here, else \eqref only if the document
   defines the label (the product \input from another file), words
   otherwise, so that the reference is never undefined. */
static void
matrix_ref_write(const wdoc_struct * w)
{
    if (wpart_on(w, GC_DOC_PART_PRODUCT))
    {
        gc_sink_printf(w->s, "\\eqref{%s:matrix}", w->lab);
        return;
    }
    gc_sink_printf(w->s, "\\ifcsname r@%s:matrix\\endcsname"
                         "\\eqref{%s:matrix}\\else ", w->lab, w->lab);
    say(w, W_MATRIX_WORDS, 0, NULL);
    gc_sink_puts(w->s, "\\fi{}");
}

/* The right-hand side of delta^L: S'(z^L) grad_a C, S'(z^L) (a^L - y),
   or a^L - y for the cross-entropy with the sigmoid. */
static void
delta_out_write(const wdoc_struct * w, const char * diag, slong L)
{
    gc_sym_cost_t cost = w->d->shape.cost;

    if (cost == GC_SYM_COST_CROSS_ENTROPY)
        gc_sink_printf(w->s, "a^{%ld} - y", (long) L);
    else if (cost == GC_SYM_COST_QUADRATIC)
        gc_sink_printf(w->s, "%s\\,(a^{%ld} - y)", diag, (long) L);
    else
        gc_sink_printf(w->s, "%s\\,\\nabla_{a} C", diag);
}

/* The width of "\delta^{l} = " with a long l, and the room that the
   equation number and a margin take from the text width, in points. */
#define CASCADE_LHS_PT 45.0
#define CASCADE_ROOM_PT 30.0

/* The cascade of backpropagation in matrix form: delta^L, then
   delta^l = S'(z^l) (W^{l+1})^T delta^{l+1} down to l = J, then the
   gradient; numbered, and elided as the chain's cascade (every row up
   to GC_DOC_CASCADE_FULL_STEPS, else the first GC_DOC_CASCADE_HEAD,
   \vdots and the last GC_DOC_CASCADE_TAIL). */
static void
cascade_write(const wdoc_struct * w)
{
    const gc_doc_struct * d = w->d;
    const slong J = d->param->layer, L = d->shape.len, rows = L - J + 2;
    const int elide = d->cascade == GC_DOC_CASCADE_ELIDED
                      && rows > GC_DOC_CASCADE_FULL_STEPS;
    char lay[NAME_SIZE], diag[ARG_SIZE], rest[ARG_SIZE];
    const char * a[1] = {lay};
    const char * t;
    slong r, l;

    if (d->cascade == GC_DOC_CASCADE_NONE)
        return;
    heading(w, W_HEAD_CASCADE, 0, 0, NULL);
    snprintf(lay, NAME_SIZE, "%ld", (long) L);
    gc_sink_puts(w->s, "{\\emergencystretch=3em\n");
    say(w, W_CASCADE, 1, a);
    /* a long cascade may cross pages; the group keeps that to itself */
    gc_sink_puts(w->s, "\n\\begingroup\\allowdisplaybreaks[1]\n"
                       "\\begin{align}\n");
    for (r = 0; r < rows; r++)
    {
        if (elide && r >= GC_DOC_CASCADE_HEAD
            && r < rows - GC_DOC_CASCADE_TAIL)
        {
            if (r == GC_DOC_CASCADE_HEAD)
                gc_sink_puts(w->s, "  &\\;\\vdots \\notag\\\\\n");
            continue;
        }
        l = L - r;
        if (r == rows - 1 && d->param->kind == GC_PARAM_B)
            gc_sink_printf(w->s, "  \\frac{\\partial C}{\\partial b^{%ld}} "
                                 "&= \\delta^{%ld}", (long) J, (long) J);
        else if (r == rows - 1)
            gc_sink_printf(w->s, "  \\frac{\\partial C}{\\partial W^{%ld}} "
                                 "&= \\delta^{%ld}\\,(a^{%ld})^{T}",
                           (long) J, (long) J, (long) (J - 1));
        else
        {
            snprintf(lay, NAME_SIZE, "%ld", (long) l);
            diag_at(diag, d->shape.act, lay);
            gc_sink_printf(w->s, "  \\delta^{%ld} &= ", (long) l);
            if (l == L)
                delta_out_write(w, diag, L);
            else
            {
                snprintf(rest, sizeof rest, "(W^{%ld})^{T}\\,\\delta^{%ld}",
                         (long) (l + 1), (long) (l + 1));
                /* a row wider than a narrow page (long layer numbers,
                   diag(...)) goes on two lines, numbered once */
                gc_sink_printf(w->s, "%s%s%s", diag,
                               gc_tex_str_width(diag) + gc_tex_str_width(rest)
                               + CASCADE_LHS_PT
                               > d->textwidth - CASCADE_ROOM_PT
                               ? " \\notag\\\\\n  &\\qquad " : "\\,", rest);
            }
        }
        gc_sink_puts(w->s, r < rows - 1 ? " \\\\\n" : "\n");
    }
    gc_sink_puts(w->s, "\\end{align}\n\\endgroup\n");
    t = w->msg[W_CASCADE_END];
    while (gc_sink_template(w->s, &t, 1) != 0)
        matrix_ref_write(w);
    gc_sink_puts(w->s, "\n\n}\n");
}

/* The pairs of extra factors S'(z^l) (W^{l+1})^T, l = i .. k - 1, in
   two pieces, for a line to break between them: the first pair (and
   \cdots past three pairs) when *part* is 0, the other pairs shown
   (only the last past three) when 1; into the string *res*. */
static void
extra_str(char ** res, const wdoc_struct * w, slong i, slong k, int part)
{
    char lay[NAME_SIZE], diag[ARG_SIZE];
    gc_sink_t s;
    const slong first = part == 0 ? i : k - i > 3 ? k - 1 : i + 1,
                end = part == 0 ? i + 1 : k;
    slong l;

    gc_sink_init_str(s);
    for (l = first; l < end; l++)
    {
        snprintf(lay, NAME_SIZE, "%ld", (long) l);
        diag_at(diag, w->d->shape.act, lay);
        gc_sink_printf(s, "%s%s\\,(W^{%ld})^{T}", l > first ? "\\," : "",
                       diag, (long) (l + 1));
    }
    if (part == 0 && k - i > 3)
        gc_sink_puts(s, "\\,\\cdots");
    *res = gc_sink_take_str(s);
}

/* \textcolor{color}{, or nothing without colours; the caller closes
   it with color_end. */
static void
color_begin(const wdoc_struct * w, const char * color)
{
    if (w->d->color != GC_DOC_COLOR_NONE)
        gc_sink_printf(w->s, "\\textcolor{%s}{", color);
}

static void
color_end(const wdoc_struct * w)
{
    if (w->d->color != GC_DOC_COLOR_NONE)
        gc_sink_puts(w->s, "}");
}

/* The room that a display leaves in the text width (multline* indents
   its first and last lines). */
#define DISPLAY_ROOM_PT 20.0

/* Opens an unnumbered display: an equation*, or a multline* when
   *wide*. */
static void
display_open(const wdoc_struct * w, int wide)
{
    gc_sink_printf(w->s, "\n\\begin{%s}\n  ", wide ? "multline*"
                                                  : "equation*");
}

/* Between the two halves of the display: a new line, or *sep*. */
static void
display_break(const wdoc_struct * w, int wide, const char * sep)
{
    gc_sink_puts(w->s, wide ? " \\\\\n  " : sep);
}

static void
display_close(const wdoc_struct * w, int wide)
{
    gc_sink_printf(w->s, "\n\\end{%s}\n", wide ? "multline*"
                                                : "equation*");
}

/* dC/db^i against dC/db^k (i < k): the extra factors, in colour, times
   the shared gradient; the bound of its norm, and the vanishing
   gradient. */
static void
compare_write(const wdoc_struct * w)
{
    const gc_doc_struct * d = w->d;
    const slong i = FLINT_MIN(d->param->layer, d->compare),
                k = FLINT_MAX(d->param->layer, d->compare);
    char si[NAME_SIZE], sk[NAME_SIZE], sn[NAME_SIZE], name[NAME_SIZE],
        lhs[ARG_SIZE], shared[ARG_SIZE], prod[ARG_SIZE], bound[ARG_SIZE];
    const char * a[3] = {si, sk, sn};
    char * head, * tail;
    double room, width;
    int brk;

    snprintf(si, NAME_SIZE, "%ld", (long) i);
    snprintf(sk, NAME_SIZE, "%ld", (long) k);
    snprintf(sn, NAME_SIZE, "%ld", (long) (k - i));
    heading(w, W_HEAD_COMPARE, 1, 2, a);
    if (d->color != GC_DOC_COLOR_NONE)
        gc_doc_colors_provide_sink(w->s);
    gc_sink_puts(w->s, "{\\emergencystretch=3em\n");
    say(w, W_COMPARE, 2, a);
    extra_str(&head, w, i, k, 0);
    extra_str(&tail, w, i, k, 1);
    snprintf(lhs, sizeof lhs, "\\frac{\\partial C}{\\partial b^{%ld}} = ",
             (long) i);
    snprintf(shared, sizeof shared, "\\frac{\\partial C}{\\partial "
                                    "b^{%ld}}", (long) k);
    /* on one line; else broken before the shared gradient; else also
       after the first pair */
    room = d->textwidth - DISPLAY_ROOM_PT;
    width = gc_tex_str_width(lhs) + gc_tex_str_width(head)
            + gc_tex_str_width(tail);
    brk = width + gc_tex_str_width(shared) <= room ? 0 : width <= room ? 2
                                                                       : 1;
    display_open(w, brk != 0);
    gc_sink_puts(w->s, lhs);
    color_begin(w, GC_DOC_EXTRA_COLOR);
    gc_sink_puts(w->s, head);
    if (tail[0] != '\0')
    {
        /* a colour cannot span the break of a multline */
        if (brk == 1)
            color_end(w);
        display_break(w, brk == 1, "\\,");
        if (brk == 1)
            color_begin(w, GC_DOC_EXTRA_COLOR);
        gc_sink_puts(w->s, tail);
    }
    color_end(w);
    display_break(w, brk == 2, "\\,");
    color_begin(w, GC_DOC_SHARED_COLOR);
    gc_sink_puts(w->s, shared);
    color_end(w);
    display_close(w, brk != 0);
    flint_free(head);
    flint_free(tail);
    act_str(name, d->shape.act);
    a[0] = name;
    say(w, W_COMPARE_NORM, 1, a);
    /* the two norms, the product and the bound of a factor: on one line;
       else broken before the shared norm; else also after the relation;
       else also inside the bound, after the derivative's maximum (the
       bound of softplus' alone is 131 pt) */
    snprintf(lhs, sizeof lhs, "\\Bigl\\lVert \\frac{\\partial C}{\\partial "
                              "b^{%ld}}\\Bigr\\rVert_{2} \\le ", (long) i);
    snprintf(prod, sizeof prod, "\\prod_{l=%ld}^{%ld} \\Bigl(\\max_{j} "
                                "|%s'(z^{l}_{j})|", (long) i, (long) (k - 1),
             name);
    snprintf(bound, sizeof bound, "\\lVert W^{l+1}\\rVert_{2}\\Bigr)");
    snprintf(shared, sizeof shared, "\\Bigl\\lVert \\frac{\\partial C}"
                                    "{\\partial b^{%ld}}\\Bigr\\rVert_{2}",
             (long) k);
    width = gc_tex_str_width(prod) + gc_tex_str_width(bound);
    brk = width + gc_tex_str_width(lhs) + gc_tex_str_width(shared) <= room
              ? 0
              : width + gc_tex_str_width(lhs) <= room ? 1
                                                      : width <= room ? 2 : 3;
    display_open(w, brk != 0);
    gc_sink_puts(w->s, lhs);
    display_break(w, brk >= 2, "");
    gc_sink_puts(w->s, prod);
    display_break(w, brk == 3, "\\,");
    gc_sink_puts(w->s, bound);
    display_break(w, brk != 0, "\\,");
    gc_sink_puts(w->s, shared);
    display_close(w, brk != 0);
    a[0] = si;
    say(w, d->shape.act == GC_SYM_SIGMA ? W_VANISHING : W_EXPONENTIAL, 3, a);
    gc_sink_puts(w->s, "\n\n}\n");
}

/* The figure, as Nielsen draws a network: a column of neurons for the
   inputs a^0 and for each layer, every neuron joined to every neuron of
   the next column by a thin line, W^l over the lines into layer l and
   z^l, S'(z^l) under its column; in millimetres.  A column shows its
   neurons, or, for a letter width or one past FIG_SHOWN + 1, the first
   FIG_SHOWN, \vdots and the last, labelled with the width.  The column
   of layer J is drawn thick (and the compared layer's thick and
   dashed), in the comparison's colours when colours are on.  The
   columns are all drawn when they fit the text width, else the inputs,
   J, the compared layer and L and, while they fit, J - 1, J + 1 and
   L - 1, with \cdots in each gap, which takes half a column. */
#define FIG_SHOWN 3
#define FIG_ROW_MM 9         /* between two neurons of a column */
#define FIG_NEURON_MM 6      /* the diameter of a neuron */
#define FIG_STEP_MM 22       /* between two columns, at least */
#define FIG_LABEL_GAP_PT 8.0 /* between the labels of two columns */
#define FIG_MARGIN_PT 4.0    /* the width model errs by less */
#define FIG_PT_PER_MM 2.845
#define FIG_KEEP_MAX 7       /* 0, J - 1, J, J + 1, compared, L - 1, L */

typedef struct
{
    slong step;   /* between two adjacent columns */
    slong ncol;   /* the columns drawn */
    slong * col;  /* their layers (0: the inputs), increasing */
    slong * x;    /* their x */
    slong shown;  /* the circles of a column */
    int elided;   /* 1 if \vdots before the last */
} wfig_struct;

/* Places the columns of g->col[0, g->ncol) and returns the estimated
   width of the figure: half a column of labels on each side. */
static slong
wfig_place(wfig_struct * g)
{
    slong t;

    g->x[0] = 0;
    for (t = 1; t < g->ncol; t++)
        g->x[t] = g->x[t - 1] + (g->col[t] == g->col[t - 1] + 1
                                 ? g->step : 3 * g->step / 2);
    return g->x[g->ncol - 1] + g->step;
}

static void
wfig_layout(wfig_struct * g, const wdoc_struct * w)
{
    const gc_doc_struct * d = w->d;
    const slong L = d->shape.len, J = d->param->layer;
    const slong avail = (slong) ((d->textwidth - FIG_MARGIN_PT)
                                 / FIG_PT_PER_MM);
    const slong more[3] = {J - 1, J + 1, L - 1};
    char lay[NAME_SIZE], diag[ARG_SIZE];
    slong t, n, save[FIG_KEEP_MAX];

    snprintf(lay, NAME_SIZE, "%ld", (long) L);
    diag_at(diag, d->shape.act, lay);
    g->step = FLINT_MAX(FIG_STEP_MM, (slong) ((gc_tex_str_width(diag)
                                               + FIG_LABEL_GAP_PT)
                                              / FIG_PT_PER_MM) + 1);
    g->shown = w->width > 0 && w->width <= FIG_SHOWN + 1 ? w->width
                                                         : FIG_SHOWN;
    g->elided = !(w->width > 0 && w->width <= FIG_SHOWN + 1);
    n = (L + 1) * g->step <= avail ? L + 1 : FIG_KEEP_MAX;
    g->col = flint_malloc(n * sizeof(slong));
    g->x = flint_malloc(n * sizeof(slong));
    g->ncol = 0;
    if (n == L + 1)
    {
        for (t = 0; t <= L; t++)
            g->col[g->ncol++] = t;
        wfig_place(g);
        return;
    }
    /* the columns are kept as layer + 1, in [1, L + 1] */
    gc_doc_fig_keep(g->col, &g->ncol, 1, L + 1);
    gc_doc_fig_keep(g->col, &g->ncol, J + 1, L + 1);
    if (d->compare != 0)
        gc_doc_fig_keep(g->col, &g->ncol, d->compare + 1, L + 1);
    gc_doc_fig_keep(g->col, &g->ncol, L + 1, L + 1);
    for (t = 0; t < 3; t++)
    {
        n = g->ncol;
        memcpy(save, g->col, n * sizeof(slong));
        gc_doc_fig_keep(g->col, &g->ncol, more[t] + 1, L + 1);
        if (g->ncol > n && wfig_place(g) > avail)
        {
            memcpy(g->col, save, n * sizeof(slong));
            g->ncol = n;
        }
    }
    for (t = 0; t < g->ncol; t++)
        g->col[t]--;
    wfig_place(g);
}

/* The style of the column of layer *l*: "hj" for the parameter's layer
   (the smaller of a comparison), "hk" for the larger, else none. */
static const char *
wfig_style(const wdoc_struct * w, slong l)
{
    const slong J = w->d->param->layer, k = w->d->compare;

    if (k != 0 && l == FLINT_MAX(J, k))
        return ",hk";
    if (l == (k != 0 ? FLINT_MIN(J, k) : J))
        return ",hj";
    return "";
}

/* The y of circle *r* of a column: after the \vdots for the last. */
static slong
wfig_y(const wfig_struct * g, slong r)
{
    return -FIG_ROW_MM * (r + (g->elided && r == g->shown));
}

/* Column *t*: its circles c<t>-<r>, the \vdots, and its label under
   it. */
static void
wfig_column_write(const wdoc_struct * w, const wfig_struct * g, slong t)
{
    const slong l = g->col[t], nc = g->shown + g->elided;
    char n[NAME_SIZE], diag[ARG_SIZE], lay[NAME_SIZE];
    slong r;

    idx_str(n, w->width);
    for (r = 0; r < nc; r++)
        gc_sink_printf(w->s, "  \\node[neuron%s] (c%ld-%ld) at (%ld,%ld) "
                             "{%s%s%s};\n", l > 0 ? wfig_style(w, l) : "",
                       (long) t, (long) r, (long) g->x[t],
                       (long) wfig_y(g, r), r == nc - 1 ? "\\scriptsize $"
                                                       : "",
                       r == nc - 1 ? n : "", r == nc - 1 ? "$" : "");
    if (g->elided)
        gc_sink_printf(w->s, "  \\node at (%ld,%ld) {$\\vdots$};\n",
                       (long) g->x[t], (long) wfig_y(g, g->shown - 1)
                                       - FIG_ROW_MM);
    gc_sink_printf(w->s, "  \\node[anchor=north,align=center] at (%ld,%ld) "
                         "{", (long) g->x[t],
                   (long) (wfig_y(g, nc - 1) - FIG_NEURON_MM));
    if (l == 0)
        gc_sink_puts(w->s, "$a^{0}$};\n");
    else
    {
        snprintf(lay, NAME_SIZE, "%ld", (long) l);
        diag_at(diag, w->d->shape.act, lay);
        gc_sink_printf(w->s, "$z^{%ld}$\\\\ $%s$};\n", (long) l, diag);
    }
}

/* Between columns t - 1 and t: every neuron joined to every neuron and
   W^l over the lines, or \cdots over a gap. */
static void
wfig_links_write(const wdoc_struct * w, const wfig_struct * g, slong t)
{
    const slong nc = g->shown + g->elided,
                mid = (g->x[t - 1] + g->x[t]) / 2;
    slong r, q;

    if (g->col[t] != g->col[t - 1] + 1)
    {
        gc_sink_printf(w->s, "  \\node at (%ld,%ld) {$\\cdots$};\n",
                       (long) mid, (long) wfig_y(g, nc - 1) / 2);
        return;
    }
    for (r = 0; r < nc; r++)
        for (q = 0; q < nc; q++)
            gc_sink_printf(w->s, "  \\draw[thin] (c%ld-%ld) -- "
                                 "(c%ld-%ld);\n", (long) (t - 1), (long) r,
                           (long) t, (long) q);
    gc_sink_printf(w->s, "  \\node[anchor=south] at (%ld,%d) "
                         "{$W^{%ld}$};\n", (long) mid, FIG_NEURON_MM,
                   (long) g->col[t]);
}

static void
figure_write(const wdoc_struct * w)
{
    const gc_doc_struct * d = w->d;
    wfig_struct g[1];
    slong t;

    wfig_layout(g, w);
    heading(w, W_HEAD_FIGURE, 0, 0, NULL);
    if (d->color != GC_DOC_COLOR_NONE && !wpart_on(w, GC_DOC_PART_COMPARE))
        gc_doc_colors_provide_sink(w->s);
    gc_sink_puts(w->s, d->floats ? "\\begin{figure}[htbp]\n\\centering\n"
                                 : "\\begin{center}\n");
    gc_sink_printf(w->s, "\\resizebox{\\ifdim\\width>\\linewidth"
                         "\\linewidth\\else\\width\\fi}{!}{%%\n"
                         "\\begin{tikzpicture}[x=1mm,y=1mm,\n"
                         "  neuron/.style={circle,draw,minimum size=%dmm,"
                         "inner sep=0pt},\n", FIG_NEURON_MM);
    if (d->color != GC_DOC_COLOR_NONE)
        gc_sink_puts(w->s, "  hj/.style={very thick,draw=" GC_DOC_EXTRA_COLOR
                           ",fill=" GC_DOC_EXTRA_COLOR "!20},\n"
                           "  hk/.style={very thick,dashed,draw="
                           GC_DOC_SHARED_COLOR ",fill=" GC_DOC_SHARED_COLOR
                           "!20}]\n");
    else
        gc_sink_puts(w->s, "  hj/.style={very thick},\n"
                           "  hk/.style={very thick,dashed}]\n");
    for (t = 0; t < g->ncol; t++)
        wfig_column_write(w, g, t);
    for (t = 1; t < g->ncol; t++)
        wfig_links_write(w, g, t);
    gc_sink_puts(w->s, "\\end{tikzpicture}}\n");
    if (d->floats)
    {
        gc_sink_puts(w->s, "\\caption{");
        say(w, W_HEAD_FIGURE, 0, NULL);
        gc_sink_printf(w->s, "}\\label{%s:figure}\n\\end{figure}\n",
                       w->lab);
    }
    else
        gc_sink_puts(w->s, "\\end{center}\n");
    flint_free(g->col);
    flint_free(g->x);
}

int
gc_doc_wide_check(const gc_doc_t d, slong width, slong row, slong col,
                  const char ** why)
{
    const char * r = NULL;
    gc_doc_struct dd = *d;
    gc_wexpr_t e;

    /* the text height sizes the page only: there is no cascade to fit */
    dd.textheight = 0.0;
    gc_wexpr_init(e);
    if (gc_doc_check(&dd, &r) != GC_SUCCESS)
        ;
    else if (d->textheight != 0.0
             && !(d->textheight >= 72.0 && d->textheight <= 16383.0))
        r = "the text height is not in 72pt..16383pt";
    else if (width == 1)
        r = "one neuron per layer is the chain: use gc_doc_write";
    else if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_GENERAL))
        r = "the general formula (--part general) is the chain's";
    else if (!gc_wexpr_form_is_valid(e, d->print.form))
        r = "unknown form";
    else if (gc_wexpr_set_grad(e, &d->shape, width, d->param,
                               row != 0 ? row : GC_SYM_INDEX('i'),
                               d->param->kind == GC_PARAM_B ? 0
                               : col != 0 ? col : GC_SYM_INDEX('j'))
             != GC_SUCCESS)
        r = "no such gradient of wide layers (the width, the entry, a "
            "closed form, or the cross-entropy without the sigmoid)";
    gc_wexpr_clear(e);
    if (why != NULL)
        *why = r;
    return r == NULL ? GC_SUCCESS : GC_INVALID;
}

char *
gc_doc_wide_get_label(const gc_doc_t d, slong width, slong row, slong col)
{
    wdoc_struct w;
    char * res;

    if (gc_doc_wide_check(d, width, row, col, NULL) != GC_SUCCESS)
        gc_throw("gc_doc_wide_get_label: invalid request");
    w.d = d;
    w.width = width;
    w.row = row;
    w.col = col;
    wlabel_set(&w);
    res = flint_malloc(strlen(w.lab) + 1);
    strcpy(res, w.lab);
    return res;
}

/* The request of gc_sink_run's writer. */
typedef struct
{
    const gc_doc_struct * d;
    slong width;
    slong row;
    slong col;
} wreq_struct;

static void
wdoc_emit(gc_sink_t s, const void * obj)
{
    const wreq_struct * r = obj;
    const gc_doc_struct * d = r->d;
    wdoc_struct w;
    gc_wexpr_t m, e;

    w.s = s;
    w.d = d;
    w.width = r->width;
    w.row = r->row;
    w.col = r->col;
    w.msg = wmsg_tables[d->lang];
    w.parts = gc_doc_parts(d);
    wlabel_set(&w);
    gc_wexpr_init(m);
    gc_wexpr_init(e);
    if (gc_wexpr_set_grad(m, &d->shape, r->width, d->param, 0, 0)
        | gc_wexpr_set_grad(e, &d->shape, r->width, d->param,
                            r->row != 0 ? r->row : GC_SYM_INDEX('i'),
                            d->param->kind == GC_PARAM_B ? 0
                            : r->col != 0 ? r->col : GC_SYM_INDEX('j')))
        gc_throw("gc_doc_wide_write: invalid request");
    preamble_write(&w);
    if (wpart_on(&w, GC_DOC_PART_PRODUCT))
    {
        matrix_write(&w, m);
        entry_write(&w, e);
        chain_write(&w);
    }
    if (wpart_on(&w, GC_DOC_PART_CASCADE))
        cascade_write(&w);
    if (wpart_on(&w, GC_DOC_PART_COMPARE))
        compare_write(&w);
    if (wpart_on(&w, GC_DOC_PART_FIGURE))
        figure_write(&w);
    if (wpart_on(&w, GC_DOC_PART_PLOT))
        gc_doc_plot_write_sink(s, d, w.lab);
    if (d->standalone)
        gc_sink_puts(s, "\\end{document}\n");
    gc_wexpr_clear(e);
    gc_wexpr_clear(m);
}

int
gc_doc_wide_write(FILE * f, const gc_doc_t d, slong width, slong row,
                  slong col)
{
    wreq_struct r = {d, width, row, col};

    if (gc_doc_wide_check(d, width, row, col, NULL) != GC_SUCCESS)
        return GC_INVALID;
    return gc_sink_run(f, NULL, wdoc_emit, &r);
}

int
gc_doc_wide_get_str(char ** res, const gc_doc_t d, slong width, slong row,
                    slong col)
{
    wreq_struct r = {d, width, row, col};

    *res = NULL;
    if (gc_doc_wide_check(d, width, row, col, NULL) != GC_SUCCESS)
        return GC_INVALID;
    return gc_sink_run(NULL, res, wdoc_emit, &r);
}
