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

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "latex/latex-impl.h"

/* The text of a macro's value: STRINGIFY(GC_DOC_FIGURE_MAX_LAYERS) is
   "12". */
#define STRINGIFY_TEXT(x) #x
#define STRINGIFY(x) STRINGIFY_TEXT(x)

GC_NAMES_DEFINE(gc_lang, gc_lang_t, "en", "pt")
GC_NAMES_DEFINE(gc_doc_color, gc_doc_color_t, "default", "none")
GC_NAMES_SET_STR(gc_doc_color, gc_doc_color_t)
GC_NAMES_DEFINE(gc_doc_part, gc_doc_part_t, "product", "cascade", "compare",
                "figure", "plot", "general")
GC_NAMES_SET_STR(gc_doc_part, gc_doc_part_t)
GC_NAMES_DEFINE(gc_doc_heading, gc_doc_heading_t, "none", "section",
                "subsection", "subsubsection")
GC_NAMES_SET_STR(gc_doc_heading, gc_doc_heading_t)
GC_NAMES_DEFINE(gc_doc_cascade, gc_doc_cascade_t, "elided", "full", "none")
GC_NAMES_SET_STR(gc_doc_cascade, gc_doc_cascade_t)

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

/* The prose of the document, one table of messages per language.  Each
   message is a whole sentence, heading or label of its language, with
   the placeholders %1 ... %9 of gc_sink_template for what depends on the
   request; the comment of each message id says what they stand for.  A
   translation may reorder placeholders, repeat them or put them in other
   words, but keeps every one (tests/check_latex.c checks that each
   translation has the placeholders of the English message).  Fixed
   mathematics is part of the text.

   Adding a language: a value of gc_lang_t (latex.h) and its name in
   GC_NAMES_DEFINE(gc_lang, ...) above, and one table like msg_en below,
   listed in msg_tables.  No writer changes. */
typedef enum
{
    MSG_BABEL,              /* the language's babel option */
    MSG_TITLE,              /* %1 L, %2 the parameter p_j */
    MSG_NETWORK,            /* %1 the chain a_0 -> ... -> C, %2 the
                               activation (sigma, f or f_j) */
    MSG_COST_QUADRATIC,     /* %1 L */
    MSG_COST_CROSS_ENTROPY, /* %1 L */
    MSG_HEAD_PRODUCT,
    MSG_HEAD_CASCADE,
    MSG_CASCADE,            /* %1 Delta p_j */
    MSG_SIMPLIFY,
    MSG_LIMIT,              /* %1 Delta p_j, %2 the product's equation */
    MSG_LIMIT_SIMPLIFIED,   /* as MSG_LIMIT, %3 the simplification */
    MSG_HEAD_COMPARE,       /* %1 i, %2 k */
    MSG_EXTRA,              /* label of the extra factors */
    MSG_SHARED,             /* label of the shared factors */
    MSG_HENCE,              /* %1 dC/db_i = (extra factors) dC/db_k */
    MSG_HENCE_DISPLAY,      /* as MSG_HENCE, displayed */
    MSG_DACT_EXPAND,        /* %1 f'(z_m), %2 f'(z_m), %3 its expansion */
    MSG_VANISHING,          /* %1 MSG_PAIRS_*, %2 i, %3 4^(k-i), %4 k */
    MSG_PAIRS_1,            /* %1 the pair; MSG_PAIRS_1 + n - 1: */
    MSG_PAIRS_2,            /* %1, %2 the pairs */
    MSG_PAIRS_3,            /* %1, %2, %3 the pairs */
    MSG_PAIRS_N,            /* %1 n, %2 the pair of index m, %3 i,
                               %4 i + n - 1 */
    MSG_PAIRS_N_TWO,        /* as MSG_PAIRS_N for n = 2 */
    MSG_EXPONENTIAL,        /* %1 the pair of index m, %2 i, %3 k */
    MSG_HEAD_FIGURE,
    MSG_BRACE_EXTRA,        /* %1 i */
    MSG_BRACE_SHARED,       /* %1 k */
    MSG_READ_B,             /* %1 f'(z_k), %2 L, %3 the gradient, %4
                               MSG_AT_NEURONS or MSG_AT_NEURON, %9 the
                               cost factor at the output */
    MSG_READ_W,             /* as MSG_READ_B, %5 j - 1, %6 j */
    MSG_AT_NEURONS,         /* %1 j, %2 L: where f'(z_k) is written */
    MSG_AT_NEURON,          /* %1 L (j = L) */
    MSG_AT_TWO_NEURONS,     /* %1 j, %2 L = j + 1 */
    MSG_AT_NEURONS_DRAWN,   /* the figure elides some of neurons j..L */
    MSG_READ_B_CE,          /* as MSG_READ_B, with the cost simplified:
                               %7 its equation, %8 f'(z_L) */
    MSG_READ_W_CE,          /* as MSG_READ_W, %7 and %8 as above */
    MSG_FIG_EXPAND,         /* %1 f'(z_k), %2 f'(z_j), %3 its expansion */
    MSG_THOUSANDS,          /* the digit group separator of prose */
    MSG_DECIMAL,            /* the decimal separator of mathematics */
    MSG_NUMBER_FORMAT,      /* pgf's number format of the plot's ticks */
    MSG_HEAD_PLOT,
    MSG_PLOT_MAX,
    /* the activations of the numeric side, in the order of gc_sym_act_t
       from GC_SYM_TANH on (tanh, relu, leaky-relu, softplus, identity,
       gelu): the definition and its derivative, after MSG_NETWORK; */
    MSG_DEF_TANH,
    MSG_DEF_RELU,
    MSG_DEF_LEAKY_RELU,
    MSG_DEF_SOFTPLUS,
    MSG_DEF_IDENTITY,
    MSG_DEF_GELU,
    /* what the bound of the derivative says of the comparison, as
       MSG_VANISHING does for sigma: %1 MSG_PAIRS_*, %2 i, %3 k; */
    MSG_BOUND_TANH,
    MSG_BOUND_RELU,
    MSG_BOUND_LEAKY_RELU,
    MSG_BOUND_SOFTPLUS,
    MSG_BOUND_IDENTITY,
    MSG_BOUND_GELU,
    /* the heading of the plot of the derivative; */
    MSG_HEAD_PLOT_TANH,
    MSG_HEAD_PLOT_RELU,
    MSG_HEAD_PLOT_LEAKY_RELU,
    MSG_HEAD_PLOT_SOFTPLUS,
    MSG_HEAD_PLOT_IDENTITY,
    MSG_HEAD_PLOT_GELU,
    /* the label inside the plot, as MSG_PLOT_MAX */
    MSG_PLOT_TANH,
    MSG_PLOT_RELU,
    MSG_PLOT_LEAKY_RELU,
    MSG_PLOT_SOFTPLUS,
    MSG_PLOT_IDENTITY,
    MSG_PLOT_GELU,
    MSG_HEAD_GENERAL,
    MSG_GENERAL,            /* %1 L, %2 f'(z_k) */
    MSG_GENERAL_AT,         /* %1 L, %2 J, %3 the product's equation and
                               the sentence's end */
    /* with --float, the sentences that cite the floats (a float moves
       away from the prose about it): %1 \ref of the figure or plot */
    MSG_CITE_FIGURE,        /* before the reading of the figure */
    MSG_CITE_PLOT,          /* after the derivative's display */
    MSG_CITE_COMPARE,       /* after the comparison: the figure's braces */
    MSG_COUNT
} msg_id_t;

/* The messages of the activation *act* (GC_SYM_TANH or later) in the
   group that starts with *first* (MSG_DEF_TANH, MSG_BOUND_TANH, ...). */
#define MSG_OF_ACT(first, act) ((msg_id_t) ((first) + ((act) - GC_SYM_TANH)))

static const char * const msg_en[MSG_COUNT] = {
    [MSG_BABEL] = "english",
    [MSG_TITLE] = "Gradient of a %1-layer chain with respect to $%2$",
    [MSG_NETWORK] = "Network: $%1$, with $z_{j} = w_{j} a_{j-1} + b_{j}$ "
                    "and $a_{j} = %2(z_{j})$.\n",
    [MSG_COST_QUADRATIC] =
        "The cost is quadratic, $C = \\frac{1}{2}(a_{%1} - y)^{2}$, so "
        "$\\partial C/\\partial a_{%1} = a_{%1} - y$.\n",
    [MSG_COST_CROSS_ENTROPY] =
        "The cost is the cross-entropy, $C = -\\bigl[y \\ln a_{%1} + "
        "(1-y)\\ln(1-a_{%1})\\bigr]$, so $\\partial C/\\partial a_{%1} = "
        "(a_{%1}-y)/\\bigl(a_{%1}(1-a_{%1})\\bigr)$.\n",
    [MSG_HEAD_PRODUCT] = "The gradient as a product",
    [MSG_HEAD_CASCADE] = "The chain-rule cascade",
    [MSG_CASCADE] = "A small change $%1$ propagates through the chain:\n",
    [MSG_SIMPLIFY] = "With a sigmoid output neuron the last two factors "
                     "simplify:\n",
    [MSG_LIMIT] = "Dividing by $%1$ and letting ${%1 \\to 0}$ gives %2.\n\n",
    [MSG_LIMIT_SIMPLIFIED] = "Dividing by $%1$ and letting ${%1 \\to 0}$, "
                             "with %3, gives %2.\n\n",
    [MSG_HEAD_COMPARE] = "$\\partial C/\\partial b_{%1}$ versus "
                         "$\\partial C/\\partial b_{%2}$: shared factors",
    [MSG_EXTRA] = "extra factors",
    [MSG_SHARED] = "shared",
    [MSG_HENCE] = "Hence $%1$.\n",
    [MSG_HENCE_DISPLAY] = "Hence\n\\[\n  %1.\n\\]\n",
    [MSG_DACT_EXPAND] = "Below, $%1$ stands for the derivative that the "
                        "equations write out,\n\\[\n  %2 = %3.\n\\]\n",
    [MSG_VANISHING] =
        "Since ${\\sigma'(z) \\le \\frac{1}{4}}$, with ${|w_{j}| < 1}$, %1 "
        "is below $\\frac{1}{4}$ in magnitude, so $\\partial C/\\partial "
        "b_{%2}$ is at least %3 times smaller than $\\partial C/\\partial "
        "b_{%4}$: the vanishing gradient.\n\n",
    [MSG_PAIRS_1] = "the pair $%1$",
    [MSG_PAIRS_2] = "each pair $%1$ and $%2$",
    [MSG_PAIRS_3] = "each pair $%1$, $%2$ and $%3$",
    [MSG_PAIRS_N] = "each of the %1 pairs $%2$ ($m = %3, \\dots, %4$)",
    [MSG_PAIRS_N_TWO] = "each of the two pairs $%2$ ($m = %3, %4$)",
    [MSG_EXPONENTIAL] =
        "Each pair $%1$ multiplies the gradient once more: if the pairs are "
        "below 1 in magnitude, $\\partial C/\\partial b_{%2}$ is "
        "exponentially smaller than $\\partial C/\\partial b_{%3}$ "
        "(vanishing gradient); if they are above 1, exponentially larger "
        "(exploding gradient).\n\n",
    [MSG_HEAD_FIGURE] = "The network as a mnemonic for the expression",
    [MSG_BRACE_EXTRA] = "extra factors of $\\partial C/\\partial b_{%1}$",
    [MSG_BRACE_SHARED] = "shared with $\\partial C/\\partial b_{%1}$",
    [MSG_READ_B] =
        "Reading the chain from left to right and writing $%1$ at %4 and "
        "$%9$ at the output reproduces %3 factor by factor.\n\n",
    [MSG_READ_W] =
        "Reading the chain from left to right and writing $a_{%5}$ at the "
        "weight $w_{%6}$, $%1$ at %4 and $%9$ at the output reproduces %3 "
        "factor by factor.\n\n",
    [MSG_AT_NEURONS] = "neurons %1 to %2, $w_{k}$ at the weights between "
                       "them",
    [MSG_AT_NEURON] = "neuron %1",
    [MSG_AT_TWO_NEURONS] = "neurons %1 and %2, $w_{%2}$ at the weight "
                           "between them",
    [MSG_AT_NEURONS_DRAWN] = "the neurons drawn (the ellipses stand for the "
                             "others), $w_{k}$ at the weights between them",
    [MSG_READ_B_CE] =
        "Reading the chain from left to right and writing $%1$ at %4 and "
        "$\\partial C/\\partial a_{%2}$ at the output gives the product "
        "before the simplification %7; the figure writes $a_{%2}-y$ at the "
        "output in place of $%8\\,\\partial C/\\partial a_{%2}$ and so "
        "shows %3 factor by factor.\n\n",
    [MSG_READ_W_CE] =
        "Reading the chain from left to right and writing $a_{%5}$ at the "
        "weight $w_{%6}$, $%1$ at %4 and $\\partial C/\\partial a_{%2}$ at "
        "the output gives the product before the simplification %7; the "
        "figure writes $a_{%2}-y$ at the output in place of "
        "$%8\\,\\partial C/\\partial a_{%2}$ and so shows %3 factor by "
        "factor.\n\n",
    [MSG_FIG_EXPAND] = "In the figure, $%1$ abbreviates its expanded form, "
                       "for example\n\\[\n  %2 = %3.\n\\]\n\n",
    [MSG_THOUSANDS] = ",",
    [MSG_DECIMAL] = ".",
    [MSG_NUMBER_FORMAT] = "/pgf/number format/1000 sep={,}",
    [MSG_HEAD_PLOT] = "The derivative of the sigmoid: $\\max \\sigma'(z) = "
                      "\\sigma'(0) = \\frac{1}{4}$",
    [MSG_PLOT_MAX] = "maximum $\\frac{1}{4}$ at $z = 0$",
    [MSG_DEF_TANH] =
        "The activation and its derivative are\n\\[\n  \\tanh(z) = "
        "\\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}, \\qquad "
        "\\tanh'(z) = 1 - \\tanh^{2}(z).\n\\]\n",
    [MSG_DEF_RELU] =
        "The activation and its derivative are\n\\[\n  "
        "\\mathrm{ReLU}(z) = \\max(0, z), \\qquad "
        "\\mathrm{ReLU}'(z) = \\mathbf{1}[z > 0],\n\\]\n"
        "with ${\\mathrm{ReLU}'(0) = 0}$, as PyTorch takes it.\n",
    [MSG_DEF_LEAKY_RELU] =
        "The activation, with a slope ${0 < \\alpha < 1}$, and its "
        "derivative are\n\\[\n  \\mathrm{LReLU}(z) = \\max(z, \\alpha z), "
        "\\qquad \\mathrm{LReLU}'(z) = \\mathbf{1}[z > 0] + "
        "\\alpha\\,\\mathbf{1}[z \\le 0].\n\\]\n",
    [MSG_DEF_SOFTPLUS] =
        "The activation and its derivative are\n\\[\n  "
        "\\mathrm{softplus}(z) = \\ln(1 + e^{z}), \\qquad "
        "\\mathrm{softplus}'(z) = \\sigma(z) = \\frac{1}{1 + e^{-z}}.\n"
        "\\]\n",
    [MSG_DEF_IDENTITY] =
        "The activation is the identity, ${\\mathrm{id}(z) = z}$, so "
        "${\\mathrm{id}'(z) = 1}$: the chain is linear.\n",
    [MSG_DEF_GELU] =
        "With $\\Phi$ the standard normal distribution function and "
        "${\\varphi = \\Phi'}$ its density, the activation and its "
        "derivative are\n\\[\n  \\mathrm{GELU}(z) = z\\,\\Phi(z), \\qquad "
        "\\mathrm{GELU}'(z) = \\Phi(z) + z\\,\\varphi(z).\n\\]\n",
    [MSG_BOUND_TANH] =
        "Since ${0 < \\tanh'(z) \\le 1}$, with ${|w_{j}| < 1}$, %1 is below "
        "1 "
        "in magnitude, so $\\partial C/\\partial b_{%2}$ is smaller than "
        "$\\partial C/\\partial b_{%3}$: the gradient cannot grow, but the "
        "bound alone does not make it vanish, since ${\\tanh'(z)}$ is close "
        "to 1 for $z$ near 0.\n\n",
    [MSG_BOUND_RELU] =
        "Each factor ${\\mathrm{ReLU}'(z_{m})}$ is 0 or 1, so %1 is either "
        "its weight or 0: $\\partial C/\\partial b_{%2}$ is "
        "$\\partial C/\\partial b_{%3}$ scaled by the weights alone, which "
        "the activations pass on unchanged, or it is exactly 0 as soon as "
        "one ${z_{m} \\le 0}$ (a dying ReLU: that neuron passes no gradient "
        "back).\n\n",
    [MSG_BOUND_LEAKY_RELU] =
        "Each factor ${\\mathrm{LReLU}'(z_{m})}$ is 1 or $\\alpha$, so with "
        "${|w_{j}| < 1}$, %1 is below 1 in magnitude: "
        "$\\partial C/\\partial b_{%2}$ is smaller than "
        "$\\partial C/\\partial b_{%3}$, and each ${z_{m} \\le 0}$ "
        "multiplies it by the slope $\\alpha$ instead of killing it, as "
        "ReLU would.\n\n",
    [MSG_BOUND_SOFTPLUS] =
        "Since $0 < \\mathrm{softplus}'(z) = \\sigma(z) < 1$, with "
        "${|w_{j}| < 1}$, %1 is below 1 in magnitude, so "
        "$\\partial C/\\partial b_{%2}$ is smaller than "
        "$\\partial C/\\partial b_{%3}$: the gradient cannot grow, and it "
        "vanishes where the $z_{m}$ are negative, since ${\\sigma(z)}$ tends "
        "to 0 there.\n\n",
    [MSG_BOUND_IDENTITY] =
        "Since ${\\mathrm{id}'(z) = 1}$, %1 is just its weight: "
        "$\\partial C/\\partial b_{%2}$ is $\\partial C/\\partial b_{%3}$ "
        "times the weights, exponentially smaller if they are below 1 in "
        "magnitude and exponentially larger if they are above 1.\n\n",
    [MSG_BOUND_GELU] =
        "Since $|\\mathrm{GELU}'(z)| \\le \\mathrm{GELU}'(\\sqrt{2}) = "
        "\\Phi(\\sqrt{2}) + \\sqrt{2}\\,\\varphi(\\sqrt{2}) \\approx "
        "1.1289$, ${|w_{j}| < 1}$ does not keep %1 below 1 in magnitude: "
        "$\\partial C/\\partial b_{%2}$ can be larger than "
        "$\\partial C/\\partial b_{%3}$, and only "
        "${|w_{j}| < 1/1.1289 \\approx 0.886}$ makes it smaller.\n\n",
    [MSG_HEAD_PLOT_TANH] = "The derivative of $\\tanh$: $\\max \\tanh'(z) = "
                           "\\tanh'(0) = 1$",
    [MSG_HEAD_PLOT_RELU] = "The derivative of ReLU: 0 or 1",
    [MSG_HEAD_PLOT_LEAKY_RELU] =
        "The derivative of the leaky ReLU: $\\alpha$ or 1",
    [MSG_HEAD_PLOT_SOFTPLUS] =
        "The derivative of softplus: ${\\mathrm{softplus}'(z) = "
        "\\sigma(z) < 1}$",
    [MSG_HEAD_PLOT_IDENTITY] =
        "The derivative of the identity: ${\\mathrm{id}'(z) = 1}$",
    [MSG_HEAD_PLOT_GELU] =
        "The derivative of GELU: $\\max \\mathrm{GELU}'(z) = "
        "\\mathrm{GELU}'(\\sqrt{2}) \\approx 1.1289$",
    [MSG_PLOT_TANH] = "maximum 1 at $z = 0$",
    [MSG_PLOT_RELU] = "0 for ${z \\le 0}$, 1 for ${z > 0}$",
    [MSG_PLOT_LEAKY_RELU] = "drawn with ${\\alpha = 0.1}$",
    [MSG_PLOT_SOFTPLUS] = "bound 1, approached as ${z \\to \\infty}$",
    [MSG_PLOT_IDENTITY] = "1 for every $z$",
    [MSG_PLOT_GELU] = "maximum ${\\approx 1.1289}$ at ${z = \\sqrt{2}}$",
    [MSG_HEAD_GENERAL] = "The general formula",
    [MSG_GENERAL] =
        "For any layer $j$, ${1 \\le j \\le %1}$, the cascade has the same "
        "pattern: the derivative at layer $j$, one pair $w_{k}\\,%2$ for each "
        "later layer $k$, and the derivative of the cost:\n",
    [MSG_GENERAL_AT] =
        "For ${j = %1}$ the product is empty, that is, 1; for ${j = %2}$ the "
        "formula gives %3",
    [MSG_CITE_FIGURE] = "Figure~%1 draws the chain with each factor at its "
                        "place.\n",
    [MSG_CITE_PLOT] = "Figure~%1 plots it.\n\n",
    [MSG_CITE_COMPARE] = "Figure~%1 marks the extra and the shared factors "
                         "on the chain.\n\n"};

/* A verb with an enclitic pronoun (obtém-se, anulá-lo) is joined by
   obtém\discretionary{-}{-}{-}se: Portuguese repeats the hyphen on the
   next line when such a word breaks at it, which a plain hyphen does not
   do; an \mbox, which forbids the break, can leave the line overfull. */
static const char * const msg_pt[MSG_COUNT] = {
    [MSG_BABEL] = "brazilian",
    [MSG_TITLE] = "Gradiente de uma cadeia de %1 camadas em relação a $%2$",
    [MSG_NETWORK] = "Rede: $%1$, com $z_{j} = w_{j} a_{j-1} + b_{j}$ e "
                    "$a_{j} = %2(z_{j})$.\n",
    [MSG_COST_QUADRATIC] =
        "O custo é quadrático, $C = \\frac{1}{2}(a_{%1} - y)^{2}$, logo "
        "$\\partial C/\\partial a_{%1} = a_{%1} - y$.\n",
    [MSG_COST_CROSS_ENTROPY] =
        "O custo é a entropia cruzada, $C = -\\bigl[y \\ln a_{%1} + "
        "(1-y)\\ln(1-a_{%1})\\bigr]$, logo $\\partial C/\\partial a_{%1} = "
        "(a_{%1}-y)/\\bigl(a_{%1}(1-a_{%1})\\bigr)$.\n",
    [MSG_HEAD_PRODUCT] = "O gradiente como produto",
    [MSG_HEAD_CASCADE] = "A cascata da regra da cadeia",
    [MSG_CASCADE] = "Uma pequena variação $%1$ se propaga pela cadeia:\n",
    [MSG_SIMPLIFY] = "Com um neurônio de saída sigmoide, os dois últimos "
                     "fatores se simplificam:\n",
    [MSG_LIMIT] = "Dividindo por $%1$ e fazendo ${%1 \\to 0}$, "
                  "obtém\\discretionary{-}{-}{-}se %2.\n\n",
    [MSG_LIMIT_SIMPLIFIED] = "Dividindo por $%1$ e fazendo ${%1 \\to 0}$, "
                             "com %3, obtém\\discretionary{-}{-}{-}se %2.\n\n",
    [MSG_HEAD_COMPARE] = "$\\partial C/\\partial b_{%1}$ comparado com "
                         "$\\partial C/\\partial b_{%2}$: fatores compartilhados",
    [MSG_EXTRA] = "fatores extras",
    [MSG_SHARED] = "compartilhados",
    [MSG_HENCE] = "Portanto $%1$.\n",
    [MSG_HENCE_DISPLAY] = "Portanto\n\\[\n  %1.\n\\]\n",
    [MSG_DACT_EXPAND] = "A seguir, $%1$ designa a derivada que as equações "
                        "escrevem por extenso,\n\\[\n  %2 = %3.\n\\]\n",
    [MSG_VANISHING] =
        "Como ${\\sigma'(z) \\le \\frac{1}{4}}$, com ${|w_{j}| < 1}$, %1 tem "
        "módulo menor que $\\frac{1}{4}$; logo $\\partial C/\\partial b_{%2}$ "
        "é pelo menos %3 vezes menor que $\\partial C/\\partial b_{%4}$: a "
        "dissipação do gradiente.\n\n",
    [MSG_PAIRS_1] = "o par $%1$",
    [MSG_PAIRS_2] = "cada um dos pares $%1$ e $%2$",
    [MSG_PAIRS_3] = "cada um dos pares $%1$, $%2$ e $%3$",
    [MSG_PAIRS_N] = "cada um dos %1 pares $%2$ ($m = %3, \\dots, %4$)",
    [MSG_PAIRS_N_TWO] = "cada um dos dois pares $%2$ ($m = %3, %4$)",
    [MSG_EXPONENTIAL] =
        "Cada par $%1$ multiplica o gradiente mais uma vez: se os pares têm "
        "módulo menor que 1, $\\partial C/\\partial b_{%2}$ é "
        "exponencialmente menor que $\\partial C/\\partial b_{%3}$ "
        "(dissipação do gradiente); se têm módulo maior que 1, "
        "exponencialmente maior (explosão do gradiente).\n\n",
    [MSG_HEAD_FIGURE] = "A rede como mnemônico da expressão",
    [MSG_BRACE_EXTRA] = "fatores extras de $\\partial C/\\partial b_{%1}$",
    [MSG_BRACE_SHARED] = "compartilhados com $\\partial C/\\partial b_{%1}$",
    [MSG_READ_B] =
        "Percorrendo a cadeia da esquerda para a direita e escrevendo $%1$ "
        "%4 e $%9$ na saída, reproduz\\discretionary{-}{-}{-}se %3 fator por fator.\n\n",
    [MSG_READ_W] =
        "Percorrendo a cadeia da esquerda para a direita e escrevendo "
        "$a_{%5}$ no peso $w_{%6}$, $%1$ %4 e $%9$ na saída, "
        "reproduz\\discretionary{-}{-}{-}se %3 fator por fator.\n\n",
    [MSG_AT_NEURONS] = "nos neurônios %1 a %2, $w_{k}$ nos pesos entre eles",
    [MSG_AT_NEURON] = "no neurônio %1",
    [MSG_AT_TWO_NEURONS] = "nos neurônios %1 e %2, $w_{%2}$ no peso entre "
                           "eles",
    [MSG_AT_NEURONS_DRAWN] = "nos neurônios desenhados (as reticências "
                             "representam os demais), $w_{k}$ nos pesos "
                             "entre eles",
    [MSG_READ_B_CE] =
        "Percorrendo a cadeia da esquerda para a direita e escrevendo $%1$ "
        "%4 e $\\partial C/\\partial a_{%2}$ na saída, obtém\\discretionary{-}{-}{-}se o "
        "produto antes da simplificação %7; a figura escreve $a_{%2}-y$ na "
        "saída no lugar de $%8\\,\\partial C/\\partial a_{%2}$ e assim "
        "mostra %3 fator por fator.\n\n",
    [MSG_READ_W_CE] =
        "Percorrendo a cadeia da esquerda para a direita e escrevendo "
        "$a_{%5}$ no peso $w_{%6}$, $%1$ %4 e $\\partial C/\\partial "
        "a_{%2}$ na saída, obtém\\discretionary{-}{-}{-}se o produto antes da "
        "simplificação %7; a figura escreve $a_{%2}-y$ na saída no lugar de "
        "$%8\\,\\partial C/\\partial a_{%2}$ e assim mostra %3 fator por "
        "fator.\n\n",
    [MSG_FIG_EXPAND] = "Na figura, $%1$ abrevia a forma expandida, por "
                       "exemplo\n\\[\n  %2 = %3.\n\\]\n\n",
    [MSG_THOUSANDS] = ".",
    [MSG_DECIMAL] = "{,}",
    [MSG_NUMBER_FORMAT] = "/pgf/number format/1000 sep={.}, "
                          "/pgf/number format/use comma",
    [MSG_HEAD_PLOT] = "A derivada da sigmoide: $\\max \\sigma'(z) = "
                      "\\sigma'(0) = \\frac{1}{4}$",
    [MSG_PLOT_MAX] = "máximo $\\frac{1}{4}$ em $z = 0$",
    [MSG_DEF_TANH] =
        "A ativação e a sua derivada são\n\\[\n  \\tanh(z) = "
        "\\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}, \\qquad "
        "\\tanh'(z) = 1 - \\tanh^{2}(z).\n\\]\n",
    [MSG_DEF_RELU] =
        "A ativação e a sua derivada são\n\\[\n  "
        "\\mathrm{ReLU}(z) = \\max(0, z), \\qquad "
        "\\mathrm{ReLU}'(z) = \\mathbf{1}[z > 0],\n\\]\n"
        "com ${\\mathrm{ReLU}'(0) = 0}$, como no PyTorch.\n",
    [MSG_DEF_LEAKY_RELU] =
        "A ativação, com inclinação ${0 < \\alpha < 1}$, e a sua "
        "derivada são\n\\[\n  \\mathrm{LReLU}(z) = \\max(z, \\alpha z), "
        "\\qquad \\mathrm{LReLU}'(z) = \\mathbf{1}[z > 0] + "
        "\\alpha\\,\\mathbf{1}[z \\le 0].\n\\]\n",
    [MSG_DEF_SOFTPLUS] =
        "A ativação e a sua derivada são\n\\[\n  "
        "\\mathrm{softplus}(z) = \\ln(1 + e^{z}), \\qquad "
        "\\mathrm{softplus}'(z) = \\sigma(z) = \\frac{1}{1 + e^{-z}}.\n"
        "\\]\n",
    [MSG_DEF_IDENTITY] =
        "A ativação é a identidade, ${\\mathrm{id}(z) = z}$, de modo "
        "que ${\\mathrm{id}'(z) = 1}$: a cadeia é linear.\n",
    [MSG_DEF_GELU] =
        "Sendo $\\Phi$ a função de distribuição normal padrão e "
        "${\\varphi = \\Phi'}$ a sua densidade, a ativação e a sua derivada "
        "são\n\\[\n  \\mathrm{GELU}(z) = z\\,\\Phi(z), \\qquad "
        "\\mathrm{GELU}'(z) = \\Phi(z) + z\\,\\varphi(z).\n\\]\n",
    [MSG_BOUND_TANH] =
        "Como ${0 < \\tanh'(z) \\le 1}$, com ${|w_{j}| < 1}$, %1 tem módulo "
        "menor que 1; logo $\\partial C/\\partial b_{%2}$ é menor que "
        "$\\partial C/\\partial b_{%3}$: o gradiente não pode crescer, mas "
        "essa cota sozinha não leva à sua dissipação, pois ${\\tanh'(z)}$ é "
        "próximo de 1 quando $z$ está perto de 0.\n\n",
    [MSG_BOUND_RELU] =
        "Cada fator ${\\mathrm{ReLU}'(z_{m})}$ vale 0 ou 1, então %1 vale o "
        "seu peso ou 0: ou $\\partial C/\\partial b_{%2}$ é "
        "$\\partial C/\\partial b_{%3}$ multiplicado apenas pelos pesos, "
        "que as ativações repassam sem alteração, ou é exatamente 0 assim "
        "que algum ${z_{m} \\le 0}$ (a ReLU que morre: esse neurônio não "
        "repassa gradiente algum).\n\n",
    [MSG_BOUND_LEAKY_RELU] =
        "Cada fator ${\\mathrm{LReLU}'(z_{m})}$ vale 1 ou $\\alpha$; com "
        "${|w_{j}| < 1}$, %1 tem módulo menor que 1: "
        "$\\partial C/\\partial b_{%2}$ é menor que "
        "$\\partial C/\\partial b_{%3}$, e cada ${z_{m} \\le 0}$ o "
        "multiplica pela inclinação $\\alpha$ em vez de anulá\\discretionary{-}{-}{-}lo, "
        "como faria a ReLU.\n\n",
    [MSG_BOUND_SOFTPLUS] =
        "Como $0 < \\mathrm{softplus}'(z) = \\sigma(z) < 1$, com "
        "${|w_{j}| < 1}$, %1 tem módulo menor que 1; logo "
        "$\\partial C/\\partial b_{%2}$ é menor que "
        "$\\partial C/\\partial b_{%3}$: o gradiente não pode crescer, e "
        "se dissipa onde os $z_{m}$ são negativos, pois ali ${\\sigma(z)}$ "
        "tende a 0.\n\n",
    [MSG_BOUND_IDENTITY] =
        "Como ${\\mathrm{id}'(z) = 1}$, %1 é apenas o seu peso: "
        "$\\partial C/\\partial b_{%2}$ é $\\partial C/\\partial b_{%3}$ "
        "vezes os pesos, exponencialmente menor se eles têm módulo menor que "
        "1 e exponencialmente maior se têm módulo maior que 1.\n\n",
    [MSG_BOUND_GELU] =
        "Como $|\\mathrm{GELU}'(z)| \\le \\mathrm{GELU}'(\\sqrt{2}) = "
        "\\Phi(\\sqrt{2}) + \\sqrt{2}\\,\\varphi(\\sqrt{2}) \\approx "
        "1{,}1289$, ${|w_{j}| < 1}$ não garante que %1 tenha "
        "módulo menor que 1: $\\partial C/\\partial b_{%2}$ pode ser maior "
        "que $\\partial C/\\partial b_{%3}$, e só "
        "${|w_{j}| < 1/1{,}1289 \\approx 0{,}886}$ o torna menor.\n\n",
    [MSG_HEAD_PLOT_TANH] = "A derivada de $\\tanh$: $\\max \\tanh'(z) = "
                           "\\tanh'(0) = 1$",
    [MSG_HEAD_PLOT_RELU] = "A derivada da ReLU: 0 ou 1",
    [MSG_HEAD_PLOT_LEAKY_RELU] = "A derivada da ReLU vazada: $\\alpha$ ou 1",
    [MSG_HEAD_PLOT_SOFTPLUS] =
        "A derivada da softplus: ${\\mathrm{softplus}'(z) = "
        "\\sigma(z) < 1}$",
    [MSG_HEAD_PLOT_IDENTITY] =
        "A derivada da identidade: ${\\mathrm{id}'(z) = 1}$",
    [MSG_HEAD_PLOT_GELU] =
        "A derivada da GELU: $\\max \\mathrm{GELU}'(z) = "
        "\\mathrm{GELU}'(\\sqrt{2}) \\approx 1{,}1289$",
    [MSG_PLOT_TANH] = "máximo 1 em $z = 0$",
    [MSG_PLOT_RELU] = "0 para ${z \\le 0}$, 1 para ${z > 0}$",
    [MSG_PLOT_LEAKY_RELU] = "traçada com ${\\alpha = 0{,}1}$",
    [MSG_PLOT_SOFTPLUS] = "cota 1, da qual se aproxima quando "
                          "${z \\to \\infty}$",
    [MSG_PLOT_IDENTITY] = "1 para todo $z$",
    [MSG_PLOT_GELU] = "máximo ${\\approx 1{,}1289}$ em ${z = \\sqrt{2}}$",
    [MSG_HEAD_GENERAL] = "A fórmula geral",
    [MSG_GENERAL] =
        "Para qualquer camada $j$, ${1 \\le j \\le %1}$, a cascata tem o "
        "mesmo padrão: a derivada na camada $j$, um par $w_{k}\\,%2$ para "
        "cada camada posterior $k$ e a derivada do custo:\n",
    [MSG_GENERAL_AT] =
        "Para ${j = %1}$ o produto é vazio, isto é, igual a 1; para "
        "${j = %2}$ a fórmula dá %3",
    [MSG_CITE_FIGURE] = "A Figura~%1 desenha a cadeia com cada fator no seu "
                        "lugar.\n",
    [MSG_CITE_PLOT] = "A Figura~%1 mostra o seu gráfico.\n\n",
    [MSG_CITE_COMPARE] = "A Figura~%1 marca os fatores extras e os "
                         "compartilhados na cadeia.\n\n"};

/* Indexed by gc_lang_t. */
static const char * const * const msg_tables[] = {msg_en, msg_pt};

_Static_assert(sizeof msg_tables / sizeof msg_tables[0]
                   == sizeof gc_lang_table / sizeof gc_lang_table[0] - 1,
               "one table of messages per language");

const char *
gc_doc_message(gc_lang_t lang, int id)
{
    gc_name_get(gc_lang_table, (int) lang, "gc_doc_message");
    return id >= 0 && id < MSG_COUNT ? msg_tables[lang][id] : NULL;
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
    d->label = NULL;
    d->color = GC_DOC_COLOR_DEFAULT;
    d->parts = 0;
    d->heading = GC_DOC_HEADING_SUBSECTION;
    d->floats = 0;
    d->cascade = GC_DOC_CASCADE_ELIDED;
    d->textwidth = GC_DOC_TEXTWIDTH_DEFAULT;
    d->textheight = 0.0;
}

int
gc_doc_label_is_valid(const char * label)
{
    size_t n = strspn(label, "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-._/+");

    return n > 0 && n <= GC_DOC_LABEL_MAX && label[n] == '\0';
}

static int cascade_fits(const gc_doc_struct * d);

int
gc_doc_check(const gc_doc_t d, const char ** why)
{
    const char * w = NULL;

    if (gc_shape_check(&d->shape) != GC_SUCCESS)
        w = d->shape.len < 1 ? "the chain needs at least one layer"
                             : "the activation's derivative has no such "
                               "written form";
    else if (d->param->layer < 1 || d->param->layer > d->shape.len)
        w = "the parameter's layer is not in 1..L";
    else if (d->compare != 0 && d->param->kind != GC_PARAM_B)
        w = "only biases can be compared";
    else if (d->compare != 0 && (d->compare < 1 || d->compare > d->shape.len))
        w = "the compared layer is not in 1..L";
    else if (d->compare != 0 && d->compare == d->param->layer)
        w = "a bias cannot be compared with itself";
    else if ((size_t) d->lang >= sizeof msg_tables / sizeof msg_tables[0])
        w = "unknown language";
    else if (d->figure && d->shape.len > GC_DOC_FIGURE_MAX_LAYERS)
        w = "the figure is drawn for at most "
            STRINGIFY(GC_DOC_FIGURE_MAX_LAYERS) " layers";
    else if (d->label != NULL && !gc_doc_label_is_valid(d->label))
        w = "a label prefix is 1 to " STRINGIFY(GC_DOC_LABEL_MAX)
            " letters, digits and :-._/+";
    else if ((unsigned) d->color > GC_DOC_COLOR_NONE)
        w = "unknown colour mode";
    else if (d->parts >> GC_DOC_NPARTS != 0)
        w = "unknown part";
    else if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_COMPARE)
             && d->compare == 0)
        w = "the compare part needs a comparison";
    else if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_FIGURE) && !d->figure)
        w = "the figure part needs the figure";
    else if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_PLOT) && !d->plot)
        w = "the plot part needs the plot";
    else if (d->parts == GC_DOC_PART_BIT(GC_DOC_PART_CASCADE)
             && d->cascade == GC_DOC_CASCADE_NONE)
        w = "the only part asked, the cascade, is not written";
    else if (d->parts & GC_DOC_PART_BIT(GC_DOC_PART_GENERAL)
             && d->shape.len < 2)
        w = "the general part needs at least two layers";
    else if (d->floats && !d->figure && !d->plot)
        w = "floats need the figure or the plot";
    else if ((unsigned) d->heading > GC_DOC_HEADING_SUBSUBSECTION)
        w = "unknown heading";
    else if ((unsigned) d->cascade > GC_DOC_CASCADE_NONE)
        w = "unknown cascade mode";
    else if (!(d->textwidth >= 72.0 && d->textwidth <= 16383.0))
        w = "the text width is not in 72pt..16383pt";
    else if (d->textheight != 0.0
             && !(d->textheight >= 72.0 && d->textheight <= 16383.0))
        w = "the text height is not in 72pt..16383pt";
    else if (d->textheight != 0.0 && !cascade_fits(d))
        w = "the cascade is taller than the text height even with one "
            "first step, the vertical ellipsis and one last step";
    if (why != NULL)
        *why = w;
    return w == NULL ? GC_SUCCESS : GC_INVALID;
}

/* The size of a label prefix with its final NUL: the longest derived
   one is about 200 characters ("gradchain:L100000000-w100000000-..."
   with 20-digit head and tail). */
#define LABEL_SIZE 256

_Static_assert(GC_DOC_LABEL_MAX < LABEL_SIZE, "a given prefix fits");

/* The letter of a parameter: b or w. */
static const char *
param_letter(gc_param_kind_t kind)
{
    return kind == GC_PARAM_B ? "b" : "w";
}

/* Writes the label prefix of *d* (valid) to lab. */
static void
label_set(char * lab, const gc_doc_struct * d)
{
    gc_print_opts_t o;
    size_t n;

    if (d->label != NULL)
    {
        strcpy(lab, d->label);
        return;
    }
    gc_print_opts_init(o);
    n = (size_t) snprintf(lab, LABEL_SIZE, "gradchain:L%ld-%s%ld",
                          (long) d->shape.len,
                          param_letter(d->param->kind),
                          (long) d->param->layer);
#define KEY(cond, ...)                                                      \
    if (cond)                                                               \
        n += (size_t) snprintf(lab + n, LABEL_SIZE - n, __VA_ARGS__)
    KEY(d->compare != 0, "-b%ld", (long) d->compare);
    KEY(d->shape.act != GC_SYM_SIGMA, "-%s", gc_sym_act_name(d->shape.act));
    KEY(d->shape.expand != GC_SYM_EXPAND_NONE, "-%s",
        d->shape.expand == GC_SYM_EXPAND_EXP ? "exp" : "closed");
    KEY(d->shape.cost != GC_SYM_COST_GENERIC, "-%s",
        gc_sym_cost_name(d->shape.cost));
    KEY(d->print.form != o->form, "-%s", gc_form_name(d->print.form));
    KEY(d->print.width != o->width, "-width%ld", (long) d->print.width);
    KEY(d->print.breaks != o->breaks, "-%s", gc_break_name(d->print.breaks));
    KEY(d->print.head != o->head, "-head%ld", (long) d->print.head);
    KEY(d->print.tail != o->tail, "-tail%ld", (long) d->print.tail);
    KEY(d->lang != GC_LANG_EN, "-%s", gc_lang_name(d->lang));
    KEY(d->cascade != GC_DOC_CASCADE_ELIDED, "-cascade-%s",
        gc_doc_cascade_name(d->cascade));
    KEY(d->textwidth != GC_DOC_TEXTWIDTH_DEFAULT, "-tw%ldpt",
        (long) (d->textwidth + 0.5));
    KEY(d->textheight != 0.0, "-th%ldpt", (long) (d->textheight + 0.5));
#undef KEY
}

char *
gc_doc_get_label(const gc_doc_t d)
{
    char lab[LABEL_SIZE];
    char * res;

    if (gc_doc_check(d, NULL) != GC_SUCCESS)
        gc_throw("gc_doc_get_label: invalid request");
    label_set(lab, d);
    res = flint_malloc(strlen(lab) + 1);
    strcpy(res, lab);
    return res;
}

/* The writer's state. */
typedef struct
{
    gc_sink_struct * s;
    const gc_doc_struct * d;
    const char * const * msg; /* the messages of d->lang */
    char lab[LABEL_SIZE];     /* label prefix (label_set) */
    slong fig_step;           /* distance between neurons in the figure */
    int color;                /* colour commands are written */
    int simplified;           /* the cost simplification is written */
    unsigned parts;           /* the parts written (GC_DOC_PART_BIT) */
    int flush;                /* the cascade's rows start at the left
                                 (cascade_flush) */
} doc_struct;

/* 1 if the part *p* is written. */
static int
part_on(const doc_struct * w, gc_doc_part_t p)
{
    return (w->parts & GC_DOC_PART_BIT(p)) != 0;
}

static void
num_write(const doc_struct * w, slong x)
{
    gc_sink_printf(w->s, "%ld", (long) x);
}

/* The room of an equation number beside a display, "(1.10)", and the
   space before it, in points. */
#define PRODUCT_TAG_PT 30.0

/* The next occurrence of *sep* in [t, end) outside braces, or NULL. */
static const char *
top_level_find(const char * t, const char * end, const char * sep)
{
    size_t n = strlen(sep);
    int depth = 0;

    for (; t + n <= end; t++)
    {
        if (*t == '{')
            depth++;
        else if (*t == '}')
            depth--;
        else if (depth == 0 && strncmp(t, sep, n) == 0)
            return t;
    }
    return NULL;
}

/* The estimated width in pt of the LaTeX math [t, end). */
static double
math_pt(const char * t, const char * end)
{
    char * m = flint_malloc(end - t + 1);
    double wd;

    memcpy(m, t, end - t);
    m[end - t] = '\0';
    wd = gc_tex_str_width(m);
    flint_free(m);
    return wd;
}

/* A displayed formula [t, end) (the text between \[ and \]): as it is
   when it fits d->textwidth, else in a gather* of its formulas (apart at
   ", \qquad "), each too wide in an aligned broken before its " = "
   ("\tanh(z) = \frac{...}{...}, \qquad \tanh'(z) = ..." at 150pt). */
#define DISPLAY_SEP ", \\qquad "

static void
display_write(const doc_struct * w, const char * t, const char * end)
{
    const char * q, * r, * e;
    int n;

    while (t < end && (*t == ' ' || *t == '\n'))
        t++;
    while (end > t && (end[-1] == ' ' || end[-1] == '\n'))
        end--;
    if (math_pt(t, end) <= w->d->textwidth)
    {
        gc_sink_puts(w->s, "\\[\n  ");
        gc_sink_putn(w->s, t, end - t);
        gc_sink_puts(w->s, "\n\\]\n");
        return;
    }
    gc_sink_puts(w->s, "\\begin{gather*}\n  ");
    for (; t < end; t = e)
    {
        q = top_level_find(t, end, DISPLAY_SEP);
        e = q == NULL ? end : q + strlen(DISPLAY_SEP);
        q = q == NULL ? end : q + 1;    /* the formula and its comma */
        if (math_pt(t, q) <= w->d->textwidth
            || (r = top_level_find(t, q, " = ")) == NULL)
            gc_sink_putn(w->s, t, q - t);
        else
        {
            gc_sink_puts(w->s, "\\begin{aligned}\n    ");
            for (n = 0; r != NULL; r = top_level_find(t, q, " = "), n++)
            {
                gc_sink_putn(w->s, t, r - t);
                gc_sink_puts(w->s, n == 0 ? " &= " : " \\\\\n    &= ");
                t = r + 3;
            }
            gc_sink_putn(w->s, t, q - t);
            gc_sink_puts(w->s, "\n  \\end{aligned}");
        }
        if (e < end)
            gc_sink_puts(w->s, " \\\\\n  ");
    }
    gc_sink_puts(w->s, "\n\\end{gather*}\n");
}

/* The numbered equation [t, end) labelled LABEL:*name*: on one line
   when it fits the text width less the equation number, else broken
   before each " = " in a split. */
static void
equation_write(const doc_struct * w, const char * t, const char * end,
               const char * name)
{
    const char * r;
    int fits = math_pt(t, end) <= w->d->textwidth - PRODUCT_TAG_PT;

    gc_sink_printf(w->s, "\\begin{equation}\\label{%s:%s}\n%s", w->lab,
                   name, fits ? "  " : "\\begin{split}\n  ");
    if (!fits && (r = top_level_find(t, end, " = ")) != NULL)
    {
        gc_sink_putn(w->s, t, r - t);
        for (t = r + 3; (r = top_level_find(t, end, " = ")) != NULL;
             t = r + 3)
        {
            gc_sink_puts(w->s, " &= ");
            gc_sink_putn(w->s, t, r - t);
            gc_sink_puts(w->s, " \\\\\n ");
        }
        gc_sink_puts(w->s, " &= ");
    }
    gc_sink_putn(w->s, t, end - t);
    gc_sink_puts(w->s, fits ? "\n\\end{equation}\n"
                            : "\n\\end{split}\n\\end{equation}\n");
}

/* Writes the text [t, end), its displays \[ ... \] by display_write. */
static void
displays_write(const doc_struct * w, const char * t, const char * end)
{
    const char * a, * b;

    while ((a = strstr(t, "\\[\n")) != NULL && a < end
           && (b = strstr(a, "\n\\]")) != NULL)
    {
        gc_sink_putn(w->s, t, a - t);
        display_write(w, a + 3, b);
        t = b + 4;
        if (t < end && *t == '\n')
            t++;
    }
    gc_sink_putn(w->s, t, end - t);
}

/* Writes message *id*, whose placeholders are the numbers num[0],
   num[1], ... (nnum of them), its displays fitted by display_write. */
static void
say(const doc_struct * w, msg_id_t id, int nnum, const slong * num)
{
    const char * t = w->msg[id];
    doc_struct wt = *w;
    gc_sink_t s;
    char * m;
    int n;

    gc_sink_init_str(s);
    wt.s = s;

    while ((n = gc_sink_template(s, &t, nnum)) != 0)
        num_write(&wt, num[n - 1]);
    m = gc_sink_take_str(s);
    displays_write(w, m, m + strlen(m));
    flint_free(m);
    gc_sink_clear(s);
}

/* sigma, f or f_{sub} in LaTeX. */
static void
act_write(const doc_struct * w, const char * sub)
{
    switch (w->d->shape.act)
    {
        case GC_SYM_F:
            gc_sink_puts(w->s, "f");
            break;
        case GC_SYM_F_LAYER:
            gc_sink_printf(w->s, "f_{%s}", sub);
            break;
        case GC_SYM_TANH:
            gc_sink_puts(w->s, "\\tanh");
            break;
        case GC_SYM_RELU:
            gc_sink_puts(w->s, "\\mathrm{ReLU}");
            break;
        case GC_SYM_LEAKY_RELU:
            gc_sink_puts(w->s, "\\mathrm{LReLU}");
            break;
        case GC_SYM_SOFTPLUS:
            gc_sink_puts(w->s, "\\mathrm{softplus}");
            break;
        case GC_SYM_IDENTITY:
            gc_sink_puts(w->s, "\\mathrm{id}");
            break;
        case GC_SYM_GELU:
            gc_sink_puts(w->s, "\\mathrm{GELU}");
            break;
        default:
            gc_sink_puts(w->s, "\\sigma");
    }
}

/* 1 if the activation of the document is one of the numeric side's
   beyond sigma (tanh ... gelu), which have their own messages. */
static int
act_is_more(const doc_struct * w)
{
    return w->d->shape.act >= GC_SYM_TANH && w->d->shape.act < GC_SYM_NACTS;
}

/* The derivative symbol at z_{sub}: \sigma'(z_{m}), f_{m}'(z_{m}). */
static void
dact_write(const doc_struct * w, const char * sub)
{
    act_write(w, sub);
    gc_sink_printf(w->s, "'(z_{%s})", sub);
}

static void
frac_write(const doc_struct * w, const char * var, slong k)
{
    gc_sink_printf(w->s, "\\frac{\\partial C}{\\partial %s_{%ld}}", var,
                   (long) k);
}

/* \partial C/\partial var_{k}: the form of running text. */
static void
slash_write(const doc_struct * w, const char * var, slong k)
{
    gc_sink_printf(w->s, "\\partial C/\\partial %s_{%ld}", var, (long) k);
}

static void
var_write(const doc_struct * w, const gc_var_struct * v)
{
    static const char * const name[5] = {"b", "w", "z", "a", "C"};

    if (v->kind == GC_VAR_C)
        gc_sink_puts(w->s, "\\Delta C");
    else
        gc_sink_printf(w->s, "\\Delta %s_{%ld}", name[v->kind],
                       (long) v->index);
}

/* \eqref of the equation *name* of this document. */
static void
eqref_write(const doc_struct * w, const char * name)
{
    gc_sink_printf(w->s, "\\eqref{%s:%s}", w->lab, name);
}

/* \subsection*{message id} (or the heading of d->heading, or none), in
   bold math when *bold*.  Every heading is set ragged right: in its
   large type a heading has too few spaces to stretch (a formula none),
   and justified it runs past a narrow text width instead of breaking
   (Portuguese "Um neuronio, componente a componente" at 180pt). */
int
gc_doc_heading_open_sink(gc_sink_t s, gc_doc_heading_t h, int bold)
{
    static const char * const cmd[4] = {NULL, "section", "subsection",
                                        "subsubsection"};

    if (h == GC_DOC_HEADING_NONE)
        return 0;
    gc_sink_printf(s, "\\%s*{\\raggedright %s", cmd[h],
                   bold ? "\\boldmath " : "");
    return 1;
}

static void
heading(const doc_struct * w, int bold, msg_id_t id, int nnum,
        const slong * num)
{
    if (!gc_doc_heading_open_sink(w->s, w->d->heading, bold))
        return;
    say(w, id, nnum, num);
    gc_sink_puts(w->s, "}\n");
}

/* The reference to the equation *name* of the part *part* from another
   part: \eqref when that part is written here; else \eqref only if the
   document defines its label (the part \input from another file), dC/dp_j
   in words otherwise, so that the reference is never undefined. */
static void
part_ref_write(const doc_struct * w, const char * name, gc_doc_part_t part)
{
    if (part_on(w, part))
    {
        eqref_write(w, name);
        return;
    }
    gc_sink_printf(w->s, "\\ifcsname r@%s:%s\\endcsname", w->lab, name);
    eqref_write(w, name);
    gc_sink_printf(w->s, "\\else $\\partial C/\\partial %s_{%ld}$\\fi{}",
                   param_letter(w->d->param->kind),
                   (long) w->d->param->layer);
}

/* With d->floats, the sentence *id* citing the float *name* of the part
   *part*: \ref when that part is written here; else only if the document
   defines its label (the part \input from another file), so that the
   reference is never undefined. */
static void
float_cite_write(const doc_struct * w, msg_id_t id, const char * name,
                 gc_doc_part_t part)
{
    const char * t = w->msg[id];
    const int guard = !part_on(w, part);

    if (!w->d->floats)
        return;
    if (guard)
        gc_sink_printf(w->s, "\\ifcsname r@%s:%s\\endcsname\n", w->lab,
                       name);
    while (gc_sink_template(w->s, &t, 1) != 0)
        gc_sink_printf(w->s, "\\ref{%s:%s}", w->lab, name);
    if (guard)
        gc_sink_puts(w->s, "\\fi\n");
}

/* The start of the figure and of the plot: centred, or a figure float
   with d->floats. */
static void
float_begin(const doc_struct * w)
{
    gc_sink_puts(w->s, w->d->floats ? "\\begin{figure}[htbp]\n\\centering\n"
                                    : "\\begin{center}\n");
}

/* Its end; a float has the caption *id* and \label{PREFIX:name}. */
static void
float_end(const doc_struct * w, msg_id_t id, const char * name)
{
    if (!w->d->floats)
    {
        gc_sink_puts(w->s, "\\end{center}\n");
        return;
    }
    gc_sink_puts(w->s, "\\caption{");
    say(w, id, 0, NULL);
    gc_sink_printf(w->s, "}\\label{%s:%s}\n\\end{figure}\n", w->lab, name);
}

/* The colours of the extra and the shared factors of a comparison, in
   the equations and in the figure (see gc_doc_color_t): provided once,
   before the comparison. */
#define EXTRA_COLOR GC_DOC_EXTRA_COLOR
#define SHARED_COLOR GC_DOC_SHARED_COLOR
#define EXTRA_RGB "E69F00"
#define SHARED_RGB "0072B2"

/* 1 if colour commands are written: the comparison's colours, in its
   part or in the figure's. */
static int
colored(const doc_struct * w)
{
    return w->color && w->d->compare != 0
           && (part_on(w, GC_DOC_PART_COMPARE)
               || part_on(w, GC_DOC_PART_FIGURE));
}

/* The comment that lists the labels the fragment defines. */
static void
labels_write(const doc_struct * w)
{
    const int floats = w->d->floats;
    const struct
    {
        int on;
        const char * name;
        const char * what;
    } lab[] = {
        {part_on(w, GC_DOC_PART_PRODUCT), "product", "the gradient"},
        {part_on(w, GC_DOC_PART_CASCADE) && w->simplified, "simplify",
         "the cost simplification"},
        {floats && part_on(w, GC_DOC_PART_FIGURE), "figure", "the figure"},
        {floats && part_on(w, GC_DOC_PART_PLOT), "plot", "the plot"},
        {part_on(w, GC_DOC_PART_GENERAL), "general-b",
         "the general formula of dC/db_j"},
        {part_on(w, GC_DOC_PART_GENERAL), "general-w", "that of dC/dw_j"}};
    size_t i, n = 0;

    for (i = 0; i < sizeof lab / sizeof lab[0]; i++)
        if (lab[i].on)
            gc_sink_printf(w->s, "%s%s:%s (%s)",
                           n++ == 0 ? "% Labels: " : ",\n% ", w->lab,
                           lab[i].name, lab[i].what);
    gc_sink_puts(w->s, n == 0 ? "% It defines no label.\n\n" : ".\n\n");
}

#define A4_WIDTH_PT 597.51   /* 210 mm */

void
gc_doc_standalone_head_sink(gc_sink_t s, const char * babel,
                            double textwidth, double textheight)
{
    gc_sink_puts(s, "\\documentclass{article}\n"
                    "\\usepackage[T1]{fontenc}\n"
                    "\\usepackage[utf8]{inputenc}\n"
                    "\\IfFileExists{lmodern.sty}"
                    "{\\usepackage{lmodern}}{}\n");
    gc_sink_printf(s, "\\usepackage[%s]{babel}\n", babel);
    if (textwidth == GC_DOC_TEXTWIDTH_DEFAULT && textheight == 0.0)
        gc_sink_puts(s, "\\usepackage[a4paper,margin=2.5cm]{geometry}\n");
    else    /* the page of the text width the displays were fitted to,
               A4 or, for a wider text, wider by 2.5 cm each side */
    {
        gc_sink_printf(s, "\\usepackage[a4paper,paperwidth=%.2fpt,"
                          "textwidth=%.2fpt,\n  ",
                       FLINT_MAX(A4_WIDTH_PT, textwidth + 142.26),
                       textwidth);
        if (textheight != 0.0)
            gc_sink_printf(s, "textheight=%.2fpt]{geometry}\n", textheight);
        else
            gc_sink_puts(s, "vmargin=2.5cm]{geometry}\n");
    }
    gc_sink_puts(s, "\\usepackage{amsmath}\n");
}

static void
preamble_write(const doc_struct * w)
{
    const gc_doc_struct * d = w->d;
    const char * t;
    int n;

    if (d->standalone)
    {
        gc_doc_standalone_head_sink(w->s, w->msg[MSG_BABEL], d->textwidth,
                                    0.0);
        if (colored(w))
            gc_sink_puts(w->s, "\\usepackage{xcolor}\n");
        if (part_on(w, GC_DOC_PART_FIGURE))
            gc_sink_puts(w->s, "\\usepackage{graphicx}\n"
                               "\\usepackage{tikz}\n"
                               "\\usetikzlibrary{decorations.pathreplacing}"
                               "\n");
        if (part_on(w, GC_DOC_PART_PLOT))
            gc_sink_puts(w->s, "\\usepackage{pgfplots}\n"
                               "\\pgfplotsset{compat=1.18}\n");
        gc_sink_puts(w->s, "\\begin{document}\n\n\\section*{\\raggedright "
                               "\\boldmath ");
        t = w->msg[MSG_TITLE];
        while ((n = gc_sink_template(w->s, &t, 2)) != 0)
        {
            if (n == 1)
                num_write(w, d->shape.len);
            else
                gc_sink_printf(w->s, "%s_{%ld}", param_letter(d->param->kind),
                               (long) d->param->layer);
        }
        gc_sink_puts(w->s, "}\n\n");
        return;
    }
    gc_sink_puts(w->s, "% gradchain derivation (fragment).  It needs "
                       "\\usepackage{amsmath}");
    if (colored(w))
        gc_sink_puts(w->s, ",\n% xcolor (the colours " EXTRA_COLOR " and "
                           SHARED_COLOR " are defined\n% only if the "
                           "document has not defined them)");
    if (part_on(w, GC_DOC_PART_FIGURE))
        gc_sink_puts(w->s, ",\n% graphicx, tikz with "
                           "\\usetikzlibrary{decorations.pathreplacing}");
    if (part_on(w, GC_DOC_PART_PLOT))
        gc_sink_puts(w->s, ",\n% pgfplots");
    gc_sink_puts(w->s, ",\n% and, for the accents, [utf8]{inputenc}.\n");
    labels_write(w);
}

/* a_0 ->w_1 (b_1) ->w_2 ... (b_L) -> C, eliding the middle past 5
   layers; a narrow line breaks after an arrow. */
static void
chain_write(const doc_struct * w)
{
    slong L = w->d->shape.len, k;

    gc_sink_puts(w->s, "a_{0}");
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
    gc_sink_puts(w->s, " \\to C");
}

/* Each part is a group whose paragraphs stretch their spaces in a
   narrow text rather than pass the margin with an inline formula that
   cannot break ("A small change $\Delta w_{3}$ propagates ..." at
   150pt); TeX breaks a paragraph with the \emergencystretch in force at
   its end, so the \par ends the last one inside the group. */
static void
stretch_open(const doc_struct * w)
{
    gc_sink_puts(w->s, "{\\emergencystretch=3em\n");
}

static void
stretch_close(const doc_struct * w)
{
    gc_sink_puts(w->s, "\\par}\n");
}

/* The network, its activation and its cost. */
static void
network_write(const doc_struct * w)
{
    slong L = w->d->shape.len;
    const char * t = w->msg[MSG_NETWORK];
    int n;

    while ((n = gc_sink_template(w->s, &t, 2)) != 0)
    {
        if (n == 1)
            chain_write(w);
        else
            act_write(w, "j");
    }
    if (act_is_more(w))
        say(w, MSG_OF_ACT(MSG_DEF_TANH, w->d->shape.act), 0, NULL);
    if (w->d->shape.cost == GC_SYM_COST_QUADRATIC)
        say(w, MSG_COST_QUADRATIC, 1, &L);
    else if (w->d->shape.cost == GC_SYM_COST_CROSS_ENTROPY)
        say(w, MSG_COST_CROSS_ENTROPY, 1, &L);
    gc_sink_puts(w->s, "\n");
}

/* The width of the lines of the document, in characters of the text
   form: the least of d->print.width and what d->textwidth holds (see
   GC_DOC_PT_PER_CHAR). */
static slong
doc_width(const doc_struct * w)
{
    slong tw = (slong) (w->d->textwidth / GC_DOC_PT_PER_CHAR);

    return FLINT_MIN(w->d->print.width, tw);
}

/* The characters (of the text form) that a product inside a longer line
   leaves to the rest of the line, so that the line keeps the width of the
   document: in the cascade, the Delta p_j after the product and room for
   a chapter-numbered tag, "(1.10)", which align otherwise sets on a line
   of its own below (what comes before the product is counted by
   step_write); in the comparison, dC/db_i =
   beside the two products; in the conclusion's sentence, "Hence dC/db_i
   =" and "dC/db_k." and a paragraph's indent around the extra factors,
   which cannot break.  Such a product keeps at least
   INNER_WIDTH_MIN characters. */
#define CASCADE_LINE_END 7
#define COMPARE_LINE_REST 10
#define HENCE_LINE_REST 32
#define INNER_WIDTH_MIN 16

/* The print options of products inside longer lines, *rest* characters
   narrower than the document. */
static void
inner_opts(gc_print_opts_t o, const doc_struct * w, slong rest)
{
    *o = w->d->print;
    o->format = GC_PRINT_LATEX;
    o->breaks = GC_BREAK_NONE;
    o->width = FLINT_MAX(INNER_WIDTH_MIN, doc_width(w) - rest);
}

static void
product_write(const doc_struct * w, const gc_expr_t grad)
{
    gc_print_opts_t o;

    heading(w, 0, MSG_HEAD_PRODUCT, 0, NULL);
    *o = w->d->print;
    o->format = GC_PRINT_LATEX;
    o->width = doc_width(w);
    /* a form that keeps every factor breaks where it passes the width
       (multline, only when it does: see gc_equation_write_sink); auto
       elides instead, and breaks its elided product too when that
       passes the text width less the equation number (at great depth
       on a narrow page, 7-digit indices) */
    if (o->breaks == GC_BREAK_NONE && o->form == GC_FORM_AUTO)
    {
        gc_sink_t t;

        gc_sink_init_str(t);
        gc_lhs_write_sink(t, w->d->param, GC_PRINT_LATEX);
        gc_sink_puts(t, " = ");
        gc_expr_write_range_sink(t, grad, 0, grad->len, o);
        if (math_pt(t->buf, t->buf + t->len)
            > w->d->textwidth - PRODUCT_TAG_PT)
        {
            o->form = gc_expr_form(grad, o);
            o->breaks = GC_BREAK_MULTLINE;
        }
        gc_sink_clear(t);
    }
    else if (o->breaks == GC_BREAK_NONE)
        o->breaks = GC_BREAK_MULTLINE;
    gc_equation_write_sink(w->s, w->d->param, grad, o, w->lab, 1);
    gc_sink_puts(w->s, "\n");
}

/* The partial derivative that justifies a step of the cascade (its
   caller writes the " = " after it):
   for Delta a_j, the activation of z_j = w_j a_{j-1} + b_j written out
   and differentiated by the parameter; for Delta z_{j+1}, dz_{j+1}/da_j;
   for Delta C, dC/da_L when the cost factor is written out; nothing for
   the other steps. */
static int
justify_write(const doc_struct * w, const gc_cascade_t c,
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
        return 0;
    return 1;
}

/* The width in characters of the text form (GC_DOC_PT_PER_CHAR) of
   the LaTeX math written to the string sink *t* since its length was
   *from*, rounded up. */
static slong
math_chars(const gc_sink_t t, size_t from)
{
    return (slong) ceil(math_pt(t->buf + from, t->buf + t->len)
                        / GC_DOC_PT_PER_CHAR);
}

/* 1 if the lines of the align *text* (rows apart at "\\\\", each with
   one '&') fit the text width less *rest* points, the left column as
   wide as its widest line. */
static int
align_fits(const doc_struct * w, const char * text, double rest)
{
    const char * p, * q, * a;
    double lhs = 0, rhs = 0;

    for (p = text; *p != '\0'; p = q + (*q != '\0' ? 3 : 0))
    {
        if ((q = strstr(p, "\\\\\n")) == NULL)
            q = p + strlen(p);
        if ((a = memchr(p, '&', q - p)) == NULL)
            a = p;
        lhs = FLINT_MAX(lhs, math_pt(p, a));
        rhs = FLINT_MAX(rhs, math_pt(a, q));
    }
    return lhs + rhs <= w->d->textwidth - rest;
}

/* The continuation of a row of the cascade: its next line starts at
   the alignment point, indented, and counts as CONT_WIDTH characters. */
#define CONT_BREAK " \\notag\\\\\n  &\\qquad"
#define CONT_WIDTH 6
#define REL_WIDTH 3     /* " = " */

/* Appends the math of the string sink *u* to *t*, on a continuation
   line when the line, *col* characters wide so far, has something
   besides it and would pass *width*; then empties *u*. */
static void
chunk_put(gc_sink_t t, gc_sink_t u, slong * col, slong width)
{
    slong n = math_chars(u, 0);

    if (*col > CONT_WIDTH && *col + n > width)
    {
        gc_sink_puts(t, CONT_BREAK);
        *col = CONT_WIDTH;
    }
    gc_sink_putn(t, u->buf, u->len);
    *col += n;
    u->len = 0;
}

/* Writes step *st* of the cascade: one line of the align, the product
   elided (auto) or broken onto continuation lines (numbered on the last)
   where it passes the width the line leaves it.  The continuation lines
   start at the alignment point, right of the variable: what comes before
   the product (the justifying derivative, then the step's factor and
   variable, measured as gc_tex_str_width estimates them) narrows its
   first line only, and each goes to a continuation line of its own
   where it would pass the width, and so does the product where the
   line leaves it less than INNER_WIDTH_MIN characters (7-digit indices
   on a narrow page). */
static void
step_write(const doc_struct * w, const gc_cascade_t c,
           const gc_cascade_step_struct * st, const gc_print_opts_t o)
{
    gc_print_opts_t so;
    gc_sink_t t, u;
    gc_var_struct widest;
    doc_struct wt = *w, wu = *w;
    slong lhs = 0, col = 0;
    int first = st->lhs.kind == GC_VAR_A && st->lhs.index == c->wrt.index;
    int justified;

    gc_sink_init_str(t);
    gc_sink_init_str(u);
    wt.s = t;
    wu.s = u;
    /* the left column of the align is as wide as its widest variable,
       Delta a_L, or empty when the rows start at the left */
    if (!w->flush)
    {
        widest.kind = GC_VAR_A;
        widest.index = w->d->shape.len;
        var_write(&wu, &widest);
        gc_sink_puts(u, " &\\approx ");
        lhs = math_chars(u, 0);
        u->len = 0;
    }
    *so = *o;
    so->width = FLINT_MAX(INNER_WIDTH_MIN, o->width - lhs);
    gc_sink_puts(t, w->flush ? "  &" : "  ");
    var_write(&wt, &st->lhs);
    gc_sink_puts(t, w->flush ? " \\approx " : " &\\approx ");
    if (w->flush)
        col = math_chars(t, 3);     /* else in lhs */
    justified = justify_write(&wu, c, st);
    if (justified)
        chunk_put(t, u, &col, so->width);
    /* the first step, Delta a_j, is its own product ("= f'(z_j)
       Delta b_j"); the others multiply it by one more factor */
    if (!first)
    {
        if (justified)
            gc_sink_puts(u, " = ");
        gc_factor_write_sink(u, &st->local, GC_PRINT_LATEX);
        gc_sink_puts(u, "\\,");
        var_write(&wu, &st->rhs);
        chunk_put(t, u, &col, so->width);
    }
    if (col > CONT_WIDTH && col + REL_WIDTH > so->width - INNER_WIDTH_MIN)
    {
        gc_sink_puts(t, CONT_BREAK);
        col = CONT_WIDTH;
    }
    gc_sink_puts(t, first ? " = " : " \\approx ");
    gc_sink_putn(w->s, t->buf, t->len);
    gc_sink_clear(t);
    gc_sink_clear(u);
    gc_expr_write_lines_sink(w->s, c->prod, 0, st->acc_len, so,
                             CONT_BREAK "\\times ", col + REL_WIDTH);
    gc_sink_puts(w->s, "\\,");
    var_write(w, &c->wrt);
}

/* The print options of the cascade's products: the line less the
   Delta p_j after the product and the equation number, CASCADE_LINE_END
   characters for a short index, more for a long one (Delta b_{999999},
   36 pt). */
#define CASCADE_TAG_CHARS 4

static void
cascade_opts(gc_print_opts_t o, const doc_struct * w, const gc_cascade_t c)
{
    gc_sink_t t;
    doc_struct wt = *w;

    gc_sink_init_str(t);
    wt.s = t;
    gc_sink_puts(t, "\\,");
    var_write(&wt, &c->wrt);
    inner_opts(o, w, FLINT_MAX(CASCADE_LINE_END,
                               math_chars(t, 0) + CASCADE_TAG_CHARS));
    gc_sink_clear(t);
}

/* Decides w->flush for the cascade *c* written with *o*: 1 if its
   widest rows (the first and the last three, with the longest
   products and the variables of the largest index) pass the text width
   with the variables in a left column of their own (7-digit indices on
   a narrow page leave the products too little room right of them);
   then every row starts at the left, its continuation lines indented
   by a \qquad. */
#define FLUSH_ROWS 3

static void
cascade_flush(doc_struct * w, const gc_cascade_t c, const gc_print_opts_t o)
{
    gc_sink_t t;
    doc_struct v = *w;
    slong i, n = 0, first = -1;
    char * text;

    gc_sink_init_str(t);
    v.s = t;
    v.flush = 0;
    for (i = c->len - 1; i >= 0; i--)
        if (c->step[i].rhs.kind != GC_VAR_W)
        {
            if (n++ < FLUSH_ROWS)
            {
                step_write(&v, c, c->step + i, o);
                gc_sink_puts(t, " \\\\\n");
            }
            first = i;
        }
    if (first >= 0 && n > FLUSH_ROWS)
        step_write(&v, c, c->step + first, o);
    text = gc_sink_take_str(t);
    gc_sink_clear(t);
    w->flush = !align_fits(w, text, CASCADE_LINE_END * GC_DOC_PT_PER_CHAR);
    flint_free(text);
}

/* The height model of the cascade's align under --textheight, in points
   of 10pt type (measured with pdflatex, amsmath align in a 10pt article;
   11pt beamer is 1.10 times taller): a row of plain symbols is 15 pt
   (12 pt \baselineskip and 3 pt \jot), a row with \frac{\partial..}
   23 pt, with another fraction (e^{-z}/(1+e^{-z})^2: 28.1) 29 pt, with
   \prod or \sum and their limits (34.8) 35 pt, the \vdots row 23 pt
   (22.7); the display skips above and below add 20 pt.  A row takes the
   height of the tallest thing on it; the estimate rounds each up. */
#define ROW_PT 15.0
#define ROW_PARTIAL_PT 23.0
#define ROW_FRAC_PT 29.0
#define ROW_LIMITS_PT 35.0
#define ROW_VDOTS_PT 23.0
#define ALIGN_SKIPS_PT 20.0

/* The estimated height of one row of LaTeX, *row*. */
static double
row_height(const char * row)
{
    const char * p;
    double h = ROW_PT;

    if (strstr(row, "\\prod") != NULL || strstr(row, "\\sum") != NULL)
        return ROW_LIMITS_PT;
    for (p = strstr(row, "\\frac{"); p != NULL; p = strstr(p + 6, "\\frac{"))
    {
        if (strncmp(p + 6, "\\partial", 8) != 0)
            return ROW_FRAC_PT;
        h = ROW_PARTIAL_PT;
    }
    return h;
}

/* The estimated height of step *st* as step_write writes it: its rows,
   the first and the continuation lines. */
static double
step_height(const doc_struct * w, const gc_cascade_t c,
            const gc_cascade_step_struct * st, const gc_print_opts_t o)
{
    doc_struct v = *w;
    gc_sink_t s;
    char * str, * p, * q;
    double h = 0.0;

    gc_sink_init_str(s);
    v.s = s;
    step_write(&v, c, st, o);
    str = gc_sink_take_str(s);
    for (p = str; p != NULL; p = q)
    {
        q = strstr(p, "\\\\\n");
        if (q != NULL)
        {
            *q = '\0';
            q += 3;
        }
        h += row_height(p);
    }
    flint_free(str);
    return h;
}

/* The step shown k-th (from 0) of the cascade, counted from its end when
   *back* is set (the steps Delta z_j ~ a_{j-1} Delta w_j are not
   shown). */
static const gc_cascade_step_struct *
shown_step(const gc_cascade_t c, slong k, int back)
{
    slong i;

    for (i = 0; i < c->len; i++)
    {
        const gc_cascade_step_struct * st = c->step + (back ? c->len - 1 - i
                                                             : i);

        if (st->rhs.kind != GC_VAR_W && k-- == 0)
            return st;
    }
    gc_throw("shown_step: no such step");
}

/* The steps that the cascade of *nsteps* shown steps writes: the first
   *head and the last *tail, with a \vdots row between them when head +
   tail < nsteps.  Without a text height: every step, or when elided past
   GC_DOC_CASCADE_FULL_STEPS steps, GC_DOC_CASCADE_HEAD and
   GC_DOC_CASCADE_TAIL.  With one, as many of those as fit it, taken
   alternately from the start and the end (so eliding from the middle);
   returns 0 if even one first and one last step do not fit (*head and
   *tail are then 1 and 1), else 1. */
static int
cascade_choose(const doc_struct * w, const gc_cascade_t c,
               const gc_print_opts_t o, slong nsteps, slong * head,
               slong * tail)
{
    const gc_doc_struct * d = w->d;
    slong h = 0, t = 0, hcap = nsteps, tcap = nsteps;
    double used = ALIGN_SKIPS_PT + ROW_VDOTS_PT;

    if (d->cascade == GC_DOC_CASCADE_ELIDED
        && nsteps > GC_DOC_CASCADE_FULL_STEPS)
    {
        hcap = GC_DOC_CASCADE_HEAD;
        tcap = GC_DOC_CASCADE_TAIL;
    }
    if (d->textheight == 0.0)
    {
        *head = hcap;
        *tail = hcap == nsteps ? 0 : tcap;
        return 1;
    }
    while (h + t < nsteps && (h < hcap || t < tcap))
    {
        int back = h >= hcap || (t < tcap && t < h);

        used += step_height(w, c, shown_step(c, back ? t : h, back), o);
        if (used > d->textheight)
            break;
        if (back)
            t++;
        else
            h++;
    }
    if (h + t == nsteps)
    {
        *head = nsteps;
        *tail = 0;
        return 1;
    }
    *head = FLINT_MAX(h, 1);
    *tail = FLINT_MAX(t, 1);
    return h >= 1 && t >= 1;
}

static void
cascade_write(const doc_struct * w, const gc_cascade_t c)
{
    const gc_doc_struct * d = w->d;
    doc_struct v = *w;
    gc_print_opts_t o;
    slong i, L = d->shape.len, shown = 0, nsteps = 0, head, tail;
    const char * t;
    int n;

    if (d->cascade == GC_DOC_CASCADE_NONE)
        return;
    cascade_opts(o, w, c);
    heading(w, 0, MSG_HEAD_CASCADE, 0, NULL);
    t = w->msg[MSG_CASCADE];
    while (gc_sink_template(w->s, &t, 1) != 0)
        var_write(w, &c->wrt);
    /* Delta z_j ~ a_{j-1} Delta w_j is not shown: the next step
       differentiates the activation by w_j directly */
    for (i = 0; i < c->len; i++)
        nsteps += c->step[i].rhs.kind != GC_VAR_W;
    cascade_flush(&v, c, o);
    /* gc_doc_check made sure that a text height is met */
    cascade_choose(&v, c, o, nsteps, &head, &tail);
    /* a long cascade may cross pages; the group keeps that to itself */
    gc_sink_puts(w->s, "\\begingroup\\allowdisplaybreaks[1]\n"
                       "\\begin{align}\n");
    for (i = 0; i < c->len; i++)
    {
        if (c->step[i].rhs.kind == GC_VAR_W)
            continue;
        shown++;
        if (shown > head && shown <= nsteps - tail)
        {
            if (shown == head + 1)
                gc_sink_puts(w->s, "  &\\;\\vdots \\notag\\\\\n");
            continue;
        }
        step_write(&v, c, c->step + i, o);
        gc_sink_puts(w->s, shown < nsteps ? " \\\\\n" : "\n");
    }
    gc_sink_puts(w->s, "\\end{align}\n\\endgroup\n");
    if (c->simplified)
    {
        gc_sink_t t;
        doc_struct wt = *w;

        say(w, MSG_SIMPLIFY, 0, NULL);
        gc_sink_init_str(t);
        wt.s = t;
        gc_sink_printf(t, "\\sigma'(z_{%ld})\\,", (long) L);
        frac_write(&wt, "a", L);
        gc_sink_printf(t, " = a_{%ld}(1-a_{%ld}) \\cdot "
                          "\\frac{a_{%ld}-y}{a_{%ld}(1-a_{%ld})}"
                          " = a_{%ld} - y.",
                       (long) L, (long) L, (long) L, (long) L, (long) L,
                       (long) L);
        equation_write(w, t->buf, t->buf + t->len, "simplify");
        gc_sink_clear(t);
    }
    t = w->msg[c->simplified ? MSG_LIMIT_SIMPLIFIED : MSG_LIMIT];
    while ((n = gc_sink_template(w->s, &t, 3)) != 0)
    {
        if (n == 1)
            var_write(w, &c->wrt);
        else if (n == 2)
            part_ref_write(w, "product", GC_DOC_PART_PRODUCT);
        else
            eqref_write(w, "simplify");
    }
}

/* The colours of the comparison, unless the document has them:
   global, for the parts after the group of the part that provides
   them (see stretch_open). */
void
gc_doc_colors_provide_sink(gc_sink_t s)
{
    gc_sink_puts(s, "\\xglobal\\providecolor{" EXTRA_COLOR "}{HTML}{"
                    EXTRA_RGB "}\n\\xglobal\\providecolor{" SHARED_COLOR
                    "}{HTML}{" SHARED_RGB "}\n");
}

static void
colors_provide(const doc_struct * w)
{
    gc_doc_colors_provide_sink(w->s);
}

/* \textcolor{color}{, or nothing without colours; color_end closes
   it. */
static void
color_begin(const doc_struct * w, const char * color)
{
    if (w->color)
        gc_sink_printf(w->s, "\\textcolor{%s}{", color);
}

static void
color_end(const doc_struct * w)
{
    if (w->color)
        gc_sink_puts(w->s, "}");
}

/* \textcolor{color}{factors [start, start + n) of e} */
static void
colored_write(const doc_struct * w, const char * color, const gc_expr_t e,
              slong start, slong n, const gc_print_opts_t o)
{
    color_begin(w, color);
    gc_expr_write_range_sink(w->s, e, start, n, o);
    color_end(w);
}

/* \underbrace{\vphantom{other}\textcolor{color}{product}}_{\text{label}}:
   the phantom of the other brace's product gives both braces one depth,
   so that they sit at one height. */
static void
underbrace_write(const doc_struct * w, const char * color, const gc_expr_t e,
                 const gc_expr_t other, const gc_print_opts_t o,
                 msg_id_t label)
{
    gc_sink_puts(w->s, "\\underbrace{\\vphantom{");
    gc_expr_write_range_sink(w->s, other, 0, other->len, o);
    gc_sink_puts(w->s, "}");
    colored_write(w, color, e, 0, e->len, o);
    gc_sink_puts(w->s, "}_{\\text{");
    say(w, label, 0, NULL);
    gc_sink_puts(w->s, "}}");
}

/* The pair f'(z_m) w_{m+1} of the extra factors, in their colour. */
static void
pair_m_write(const doc_struct * w)
{
    color_begin(w, EXTRA_COLOR);
    dact_write(w, "m");
    gc_sink_puts(w->s, "\\,w_{m+1}");
    color_end(w);
}

/* The message *id* that names the derivative f'(z_{sub}) (%1) and
   displays its expansion at z_{index}: %2 = %3. */
static void
expansion_write(const doc_struct * w, msg_id_t id, const char * sub,
                slong index)
{
    gc_factor_struct f;
    const char * t = w->msg[id];
    int a;

    f.kind = GC_FACTOR_DACT;
    f.index = index;
    f.act = w->d->shape.act;
    while ((a = gc_sink_template(w->s, &t, 3)) != 0)
    {
        f.expand = a == 3 ? w->d->shape.expand : GC_SYM_EXPAND_NONE;
        if (a == 1)
            dact_write(w, sub);
        else
            gc_factor_write_sink(w->s, &f, GC_PRINT_LATEX);
    }
}

/* 1 if the extra factors *extra* hold a fraction when written with *o*:
   inline, it would be set small, with its line stretched around it. */
static int
has_frac(const gc_expr_t extra, const gc_print_opts_t o)
{
    gc_sink_t ss;
    char * str;
    int res;

    gc_sink_init_str(ss);
    gc_expr_write_range_sink(ss, extra, 0, extra->len, o);
    str = gc_sink_take_str(ss);
    gc_sink_clear(ss);
    res = strstr(str, "\\frac") != NULL;
    flint_free(str);
    return res;
}

/* The pairs sigma'(z_m) w_{m+1} of the extra factors, in their colour:
   each one up to three pairs when they take less than two thirds of a
   line together (PAIRS_LINE_REST characters less: a sentence around them,
   which cannot break inside them), else once with the range of m. */
#define PAIRS_LINE_REST 20

static void
pairs_write(const doc_struct * w, const gc_expr_t extra,
            const gc_print_opts_t o, slong i)
{
    slong n = extra->len / 2, m;
    const char * t;
    gc_expr_t plain;
    int a;

    /* the pairs in the short f'(z_m), which the sentence before the
       bound defines when the equations expand it (expansion_write) */
    gc_expr_init(plain);
    gc_expr_set(plain, extra);
    for (m = 0; m < plain->len; m++)
        plain->fac[m].expand = GC_SYM_EXPAND_NONE;
    if (n > 3
        || (n > 1 && n * (gc_expr_width(plain, 0, 2, o) + 5)
                     > 2 * (doc_width(w) - PAIRS_LINE_REST) / 3))
    {
        t = w->msg[n == 2 ? MSG_PAIRS_N_TWO : MSG_PAIRS_N];
        while ((a = gc_sink_template(w->s, &t, 4)) != 0)
        {
            if (a == 2)
                pair_m_write(w);
            else
                num_write(w, a == 1 ? n : a == 3 ? i : i + n - 1);
        }
    }
    else
    {
        t = w->msg[MSG_PAIRS_1 + n - 1];
        while ((a = gc_sink_template(w->s, &t, n)) != 0)
            colored_write(w, EXTRA_COLOR, plain, 2 * (a - 1), 2, o);
    }
    gc_expr_clear(plain);
}

/* Writes *x* in digits, in groups of three separated by MSG_THOUSANDS
   from 10000 on (1,048,576 in English, 1.048.576 in Portuguese; 4096
   stays whole, as style guides write four-digit numbers). */
static void
grouped_write(const doc_struct * w, uint64_t x)
{
    char digits[24];
    int n, i;

    n = snprintf(digits, sizeof digits, "%" PRIu64, x);
    for (i = 0; i < n; i++)
    {
        if (i > 0 && x >= 10000 && (n - i) % 3 == 0)
            gc_sink_puts(w->s, w->msg[MSG_THOUSANDS]);
        gc_sink_printf(w->s, "%c", digits[i]);
    }
}

/* The print options of the comparison: its line, dC/db_i = extra
   shared (each under its brace, which cannot break), or the extra
   factors alone (shared NULL) in the line of the conclusion, fit the
   document less *rest* characters when the products are elided, with
   fewer factors kept around \cdots as long as they do not. */
static void
compare_opts(gc_print_opts_t o, const doc_struct * w, const gc_expr_t extra,
             const gc_expr_t shared, slong rest)
{
    inner_opts(o, w, rest);
    while (gc_expr_width(extra, 0, extra->len, o) + 1
           + (shared == NULL ? 0 : gc_expr_width(shared, 0, shared->len, o))
           > o->width
           && (o->form != GC_FORM_ELIDED || o->head > 1 || o->tail > 1))
    {
        if (o->form != GC_FORM_ELIDED)
            o->form = GC_FORM_ELIDED;
        else
        {
            o->head = FLINT_MAX(1, o->head - 1);
            o->tail = FLINT_MAX(1, o->tail - 1);
        }
    }
}

/* The largest n for which the comparison writes 4^n in digits (4^31 =
   2^62 fits in a uint64_t); past it, $4^{n}$. */
#define POW4_DIGITS_MAX 31

static void
compare_write(const doc_struct * w, slong i, slong k)
{
    gc_expr_t extra, shared;
    gc_print_opts_t o, ho;
    slong n = k - i;
    const slong ik[2] = {i, k};
    const char * t;
    int a, status, display, narrow;

    gc_expr_init(extra);
    gc_expr_init(shared);
    status = gc_expr_set_compare(extra, shared, &w->d->shape, i, k);
    if (status != GC_SUCCESS)
        gc_throw("compare_write: invalid comparison");
    compare_opts(o, w, extra, shared, COMPARE_LINE_REST);
    /* the conclusion's product, which cannot break, is displayed, as the
       figure's expansion, when it holds a fraction or takes more than
       half a line of text: its line would be left with too few spaces to
       stretch (underfull) */
    inner_opts(ho, w, HENCE_LINE_REST);
    display = 2 * (gc_expr_width(extra, 0, extra->len, ho) + 1)
                  > doc_width(w)
              || has_frac(extra, ho);
    compare_opts(ho, w, extra, NULL,
                 display ? COMPARE_LINE_REST : HENCE_LINE_REST);

    if (w->color)
        colors_provide(w);
    heading(w, 1, MSG_HEAD_COMPARE, 2, ik);
    /* the phantom extra factors line the shared ones up; when even the
       shortest elided forms pass the width together, the shared factors
       of dC/db_i go to a line of their own */
    narrow = gc_expr_width(extra, 0, extra->len, o) + 1
             + gc_expr_width(shared, 0, shared->len, o) > o->width;
    gc_sink_puts(w->s, "\\begin{align}\n  ");
    frac_write(w, "b", i);
    gc_sink_puts(w->s, " &= ");
    underbrace_write(w, EXTRA_COLOR, extra, shared, o, MSG_EXTRA);
    gc_sink_puts(w->s, narrow ? CONT_BREAK "\\times " : "\\,");
    underbrace_write(w, SHARED_COLOR, shared, extra, o, MSG_SHARED);
    gc_sink_puts(w->s, " \\\\\n  ");
    frac_write(w, "b", k);
    gc_sink_puts(w->s, " &= ");
    if (!narrow)
    {
        gc_sink_puts(w->s, "\\phantom{");
        underbrace_write(w, EXTRA_COLOR, extra, shared, o, MSG_EXTRA);
        gc_sink_puts(w->s, "\\,}");
    }
    underbrace_write(w, SHARED_COLOR, shared, extra, o, MSG_SHARED);
    gc_sink_puts(w->s, "\n\\end{align}\n");

    t = w->msg[display ? MSG_HENCE_DISPLAY : MSG_HENCE];
    while (gc_sink_template(w->s, &t, 1) != 0)
    {
        (display ? frac_write : slash_write)(w, "b", i);
        gc_sink_puts(w->s, " = ");
        colored_write(w, EXTRA_COLOR, extra, 0, extra->len, ho);
        gc_sink_puts(w->s, "\\,");
        color_begin(w, SHARED_COLOR);
        (display ? frac_write : slash_write)(w, "b", k);
        color_end(w);
    }
    /* the bound names the derivative that the equations write out */
    if (w->d->shape.expand != GC_SYM_EXPAND_NONE)
        expansion_write(w, MSG_DACT_EXPAND, "m", GC_SYM_INDEX('m'));
    if (w->d->shape.act == GC_SYM_SIGMA)
    {
        t = w->msg[MSG_VANISHING];
        while ((a = gc_sink_template(w->s, &t, 4)) != 0)
        {
            if (a == 1)
                pairs_write(w, extra, o, i);
            else if (a == 3 && n <= POW4_DIGITS_MAX)
                grouped_write(w, (uint64_t) 1 << (2 * n));
            else if (a == 3)
                gc_sink_printf(w->s, "$4^{%ld}$", (long) n);
            else
                num_write(w, a == 2 ? i : k);
        }
    }
    else if (act_is_more(w))
    {
        t = w->msg[MSG_OF_ACT(MSG_BOUND_TANH, w->d->shape.act)];
        while ((a = gc_sink_template(w->s, &t, 3)) != 0)
        {
            if (a == 1)
                pairs_write(w, extra, o, i);
            else
                num_write(w, a == 2 ? i : k);
        }
    }
    else
    {
        t = w->msg[MSG_EXPONENTIAL];
        while ((a = gc_sink_template(w->s, &t, 3)) != 0)
        {
            if (a == 1)
                pair_m_write(w);
            else
                num_write(w, a == 2 ? i : k);
        }
    }
    /* the figure's braces show the same factors */
    if (w->d->figure || part_on(w, GC_DOC_PART_FIGURE))
        float_cite_write(w, MSG_CITE_COMPARE, "figure", GC_DOC_PART_FIGURE);
    gc_sink_puts(w->s, "\n");
    gc_expr_clear(extra);
    gc_expr_clear(shared);
}

/* A coordinate in tenths of a centimetre, as TikZ text. */
static void
coord_write(const doc_struct * w, slong tenths)
{
    gc_sink_printf(w->s, "%s%ld.%ld", tenths < 0 ? "-" : "",
                   (long) FLINT_ABS(tenths) / 10,
                   (long) FLINT_ABS(tenths) % 10);
}

/* The layout of the figure, in tenths of a centimetre (millimetres): the
   neurons are on the line y = 0, the factors of the product on the row
   y = FIG_ROW above them, each joined by a dotted line down to its
   neuron's top or to just above its weight's arrow. */
#define FIG_STEP 22        /* distance between neurons, at least */
#define FIG_ROW 14         /* height of the row of factors */
#define FIG_NEURON_R 4     /* radius of a neuron */
#define FIG_ARROW_GAP 1    /* gap between a dotted line and its arrow */
#define FIG_LHS_GAP 6      /* from the first factor back to "dC/dp_j =" */
#define FIG_BRACE_Y 21     /* height of the braces above the factors */
#define FIG_BRACE_OVER 5   /* a brace passes its outer factors by this */
#define FIG_A0_X 5         /* the input a_0, closer to b_1 than a step */

/* The least distance between neurons for the derivative factors of *d*,
   in tenths: FIG_STEP, or wider for a long factor of the activations of
   the numeric side (about 1.8 mm a character of the text form of
   f'(z_1), and 9 mm for the weight and the gaps).  fig_place widens
   each half step further where its labels need it (long indices). */
static slong
fig_step(const gc_doc_struct * d)
{
    gc_factor_struct f;

    if (d->shape.act < GC_SYM_TANH)
        return FIG_STEP;
    f.kind = GC_FACTOR_DACT;
    f.index = 1;
    f.act = d->shape.act;
    f.expand = d->shape.expand;
    return FLINT_MAX(FIG_STEP,
                     (gc_factor_width(&f, GC_PRINT_TEXT) * 18 + 5) / 10 + 9);
}

/* The estimated width of a brace label *label*, in tenths: FIG_CHAR_W a
   character of its text and FIG_MATH_CHARS characters for each formula
   ($\partial C/\partial b_{i}$), one more for each digit of *k* past
   one. */
#define FIG_CHAR_W 18      /* hundredths of a cm (1.8 mm) a character */
#define FIG_MATH_CHARS 5   /* the width of a formula, in characters */
#define FIG_LABEL_GAP 4    /* between two brace labels on one row */
#define FIG_LABEL_RAISE 13 /* raise of a label put a row higher, in pt */

static slong
label_width(const doc_struct * w, msg_id_t label, slong k)
{
    const char * t = w->msg[label];
    slong n = 0;
    int math = 0;

    for (; *t != '\0'; t++)
    {
        if (*t == '$')
            n += (math = !math) ? FIG_MATH_CHARS : 0;
        else if (!math && ((unsigned char) *t & 0xC0) != 0x80)
            n++;        /* one character, counting a UTF-8 sequence once */
    }
    for (; k >= 10; k /= 10)
        n++;
    return (n * FIG_CHAR_W + 9) / 10;
}

/* The neurons the figure draws: all L when they fit the text width at
   their natural size, else the parameter's layer j, the compared layer
   k, the output L and, while they fit, j + 1 and L - 1, with an
   ellipsis in each gap; the neurons before j are an ellipsis in the
   place of a_0, and when j, k and L do not fit, L is elided too (C
   follows an ellipsis).  A neuron takes a step, an ellipsis half a step
   (positions are in half steps), each half step as wide as its labels
   need (fig_place).  L <= FIG_FIT_SLOTS is never elided. */
#define FIG_FIT_SLOTS 4
#define FIG_KEEP_MAX 5     /* j, k, L, j + 1, L - 1 */
#define FIG_MARGIN_PT 4    /* the figure's width model errs by less */
#define FIG_GAP_PT 4.0     /* between two labels of a row, at least */
#define FIG_NEURON_PT 22.8 /* the diameter of a neuron, 8 mm */
#define FIG_NODE_SEP_PT 6.7 /* the inner separations of a node */
#define FIG_PT_PER_MM 2.845

typedef struct
{
    slong step;                 /* distance between neurons, at least */
    slong len;                  /* L */
    slong nkeep;                /* the neurons drawn, all if nkeep = 0 */
    slong keep[FIG_KEEP_MAX];   /* in increasing order */
    slong * x;                  /* the x of each position, in tenths */
    slong lhs_x;                /* where the left-hand side ends */
    double width;               /* the estimated width, in pt */
    slong we, ws;               /* the brace labels' widths (0: none) */
} fig_struct;

void
gc_doc_fig_keep(slong * keep, slong * n, slong m, slong L)
{
    slong t;

    if (m < 1 || m > L)
        return;
    for (t = 0; t < *n && keep[t] < m; t++)
        ;
    if (t < *n && keep[t] == m)
        return;
    memmove(keep + t + 1, keep + t, (*n - t) * sizeof(slong));
    keep[t] = m;
    (*n)++;
}

/* The position of neuron *m* in half steps (2 for the first drawn), or 0
   if it is not drawn; C a step after L, or after an ellipsis if L is
   not drawn. */
static slong
fig_pos(const fig_struct * g, slong m)
{
    slong t, pos = 0;

    if (g->nkeep == 0)
        return 2 * m;
    if (m > g->len)
    {
        pos = fig_pos(g, g->keep[g->nkeep - 1]);
        return pos + (g->keep[g->nkeep - 1] == g->len ? 2 : 3);
    }
    for (t = 0; t < g->nkeep && g->keep[t] <= m; t++)
        pos += t > 0 && g->keep[t] > g->keep[t - 1] + 1 ? 3 : 2;
    return t > 0 && g->keep[t - 1] == m ? pos : 0;
}

/* The neuron a factor sits at or before (its weight's arrow). */
static slong
factor_neuron(const gc_factor_struct * f, slong L)
{
    switch (f->kind)
    {
        case GC_FACTOR_DACT:
        case GC_FACTOR_W:
            return f->index;
        case GC_FACTOR_A:
            return f->index + 1;
        default:
            return L + 1;
    }
}

/* The position of factor *f* of the product in half steps, or 0 if its
   neuron is not drawn: a weight or an activation half a step before its
   neuron. */
static slong
factor_pos(const fig_struct * g, const gc_factor_struct * f)
{
    slong pos = fig_pos(g, factor_neuron(f, g->len));

    return pos == 0 ? 0 : pos - (f->kind == GC_FACTOR_W
                                 || f->kind == GC_FACTOR_A);
}

/* The position of the m-th factor of *e* in the figure, 0 if it is not
   drawn: a factor of an elided neuron is one \cdots half a step after
   the factor before the run. */
static slong
fig_factor_pos(const fig_struct * g, const gc_expr_struct * e, slong m)
{
    slong pos = factor_pos(g, e->fac + m);

    if (pos > 0 || m == 0 || factor_pos(g, e->fac + m - 1) == 0)
        return pos;
    return factor_pos(g, e->fac + m - 1) + 1;
}

/* x[q] is at least x[p] + need pt (p < q): positions q to P move right
   if not. */
static void
fig_need(slong * x, slong P, slong p, slong q, double need)
{
    slong d = (slong) (need / FIG_PT_PER_MM + 0.999) - (x[q] - x[p]);

    for (; d > 0 && q <= P; q++)
        x[q] += d;
}

/* The chain's nodes of the figure: at position 0 a_0 (or the ellipsis
   in its place), each drawn neuron, the ellipsis before a drawn neuron
   or C after a gap, and C; in *node* the estimated width in pt of the
   node at each position (0 if none), in *lab* that of the label of the
   arrow into it. */
static void
fig_chain_pt(const fig_struct * g, double * node, double * lab)
{
    slong n = g->nkeep ? g->nkeep : g->len, t, m, pos;
    char s[48];

    node[0] = (fig_pos(g, 1) == 0 ? 13.4 : 10.5) + FIG_NODE_SEP_PT;
    for (t = 0; t <= n; t++)
    {
        m = t == n ? g->len + 1 : g->nkeep ? g->keep[t] : t + 1;
        pos = fig_pos(g, m);
        if (pos > 2 && fig_pos(g, m - 1) == 0)
            node[pos - 2] = 13.4 + FIG_NODE_SEP_PT;
        snprintf(s, sizeof s, m <= g->len ? "b_{%ld}" : "C", (long) m);
        node[pos] = m <= g->len
            ? FLINT_MAX(FIG_NEURON_PT, gc_tex_str_width(s) + 4)
            : gc_tex_str_width(s) + FIG_NODE_SEP_PT;
        snprintf(s, sizeof s, "%c_{%ld}", m <= g->len ? 'w' : 'a',
                 (long) FLINT_MIN(m, g->len));
        lab[pos] = gc_tex_str_width(s) + FIG_NODE_SEP_PT;
    }
}

/* How far, in tenths, the shared brace passes the centre of the m-th
   factor of *e*, the output's (the \cdots of an elided run if that
   factor is not drawn): its label's half width and 1 mm more, at least
   FIG_BRACE_OVER, so that a brace over the wide (a_L - y) alone is not
   squashed into a wiggle. */
static slong
brace_over(const fig_struct * g, const gc_expr_struct * e, slong m)
{
    double pt = factor_pos(g, e->fac + m) > 0 ? gc_factor_pt(e->fac + m)
                                              : 13.4;   /* \cdots */

    return FLINT_MAX(FIG_BRACE_OVER,
                     (slong) (pt / 2 / FIG_PT_PER_MM + 0.999) + 1);
}

/* The ends of the comparison's braces, in tenths: x[0], x[1] of the
   extra factors [0, nextra) of *e*, x[2], x[3] of the shared ones, each
   FIG_BRACE_OVER past its outer factors, the shared one past the
   output's label (brace_over). */
static void
brace_ends(slong * x, const fig_struct * g, const gc_expr_struct * e,
           slong nextra)
{
    x[0] = g->x[fig_factor_pos(g, e, 0)] - FIG_BRACE_OVER;
    x[1] = g->x[fig_factor_pos(g, e, nextra - 1)] + FIG_BRACE_OVER;
    x[2] = g->x[fig_factor_pos(g, e, nextra)] - FIG_BRACE_OVER;
    x[3] = g->x[fig_pos(g, g->len + 1)] + brace_over(g, e, e->len - 1);
}

/* Where the shared brace's label (*ws* tenths wide) goes, given the
   braces' ends *x* and the extra label's width *we*: centred over its
   brace, or ending at the brace's right end (*right*) when wider than
   the brace, so as not to pass the figure's right edge; but when it
   would then meet the extra label it goes a row higher (the raise in pt
   is returned, 0 if none), and there it is centred over its brace even
   when wider, so that it never stands over the other brace's label (as
   at L = 2 with the cross-entropy, where the shared brace holds a_L - y
   alone); fig_place counts the width it then takes past the brace.
   Sets *mid* to the label's centre, in tenths. */
static int
shared_label_place(slong * mid, int * right, const slong * x, slong we,
                   slong ws)
{
    *right = ws > x[3] - x[2];
    *mid = *right ? x[3] - ws / 2 : (x[2] + x[3]) / 2;
    if (*mid - (x[0] + x[1]) / 2 >= (we + ws) / 2 + FIG_LABEL_GAP)
        return 0;
    *right = 0;
    *mid = (x[2] + x[3]) / 2;
    return FIG_LABEL_RAISE;
}

/* Places the positions of *g* for the product *e* (its left-hand side
   *lhs* pt wide, the extra factors [0, *nextra*) under a brace with a
   label g->we tenths wide, the shared ones under one labelled g->ws): each half step as wide as the least step's
   half, or wider so that neighbouring labels of the row of factors are
   FIG_GAP_PT apart and each arrow's label fits between its nodes; the
   left-hand side ends FIG_LHS_GAP before the first factor, or half the
   factor's width if more; then the estimated width of the figure. */
static void
fig_place(fig_struct * g, const gc_expr_struct * e, double lhs,
          slong nextra)
{
    slong P = fig_pos(g, g->len + 1), p, q, m, first;
    double * top = flint_calloc(3 * (P + 1), sizeof(double));
    double * node = top + P + 1, * lab = node + P + 1, left, right;

    g->x = flint_realloc(g->x, (P + 1) * sizeof(slong));
    for (p = 0; p <= P; p++)    /* odd: a step's middle, rounded up */
        g->x[p] = g->step * (p + p % 2) / 2 - (p % 2) * (g->step / 2);
    for (m = 0; m < e->len; m++)
        if ((p = fig_factor_pos(g, e, m)) > 0)
            top[p] = factor_pos(g, e->fac + m) > 0 ? gc_factor_pt(e->fac + m)
                                                   : 13.4;  /* \cdots */
    fig_chain_pt(g, node, lab);
    for (p = 0, q = 1; q <= P; q++)
        if (node[q] > 0)
        {
            /* a_0 is FIG_A0_X from the origin */
            fig_need(g->x, P, p, q, (node[p] + node[q]) / 2 + lab[q]
                     + (p == 0 ? FIG_A0_X * FIG_PT_PER_MM : 0));
            p = q;
        }
    for (p = 0, q = 1; q <= P; q++)
        if (top[q] > 0)
        {
            if (top[p] > 0)
                fig_need(g->x, P, p, q, (top[p] + top[q]) / 2 + FIG_GAP_PT);
            p = q;
        }
    first = fig_factor_pos(g, e, 0);
    g->lhs_x = g->x[first] - FLINT_MAX(FIG_LHS_GAP,
                              (slong) (top[first] / 2 / FIG_PT_PER_MM + 0.999));
    left = FLINT_MIN(FIG_A0_X * FIG_PT_PER_MM - node[0] / 2,
                     g->lhs_x * FIG_PT_PER_MM - lhs);
    if (nextra > 0)
        left = FLINT_MIN(left, ((g->x[first] + g->x[fig_factor_pos(g, e,
                                nextra - 1)]) / 2 - g->we / 2) * FIG_PT_PER_MM);
    right = g->x[P] * FIG_PT_PER_MM + FLINT_MAX(FLINT_MAX(top[P]
                                     + FIG_NODE_SEP_PT, node[P]) / 2,
                                 (nextra > 0) * brace_over(g, e, e->len - 1)
                                     * FIG_PT_PER_MM);
    if (nextra > 0 && nextra < e->len)
    {
        slong x[4], mid;
        int r;

        brace_ends(x, g, e, nextra);
        (void) shared_label_place(&mid, &r, x, g->we, g->ws);
        right = FLINT_MAX(right, (mid + g->ws / 2) * FIG_PT_PER_MM);
    }
    g->width = right - left;
    flint_free(top);
}

/* Lays out the figure of product *e* for the parameter's layer j and
   the compared layer k (0 if none) within the text width less
   FIG_MARGIN_PT (see fig_place for *lhs* and *nextra*; *we* and *ws*
   are the brace labels' widths).  Clear
   with flint_free(g->x). */
static void
fig_layout(fig_struct * g, const doc_struct * w, const gc_expr_struct * e,
           slong j, slong k, double lhs, slong nextra, slong we, slong ws)
{
    slong L = w->d->shape.len, t, save[FIG_KEEP_MAX];
    double tw = w->d->textwidth - FIG_MARGIN_PT;

    g->step = w->fig_step;
    g->we = we;
    g->ws = ws;
    g->len = L;
    g->nkeep = 0;
    g->x = NULL;
    /* all L, when their least steps alone do not pass the text width */
    if (L <= FIG_FIT_SLOTS || (L + 1) * g->step * FIG_PT_PER_MM <= tw)
    {
        fig_place(g, e, lhs, nextra);
        if (L <= FIG_FIT_SLOTS || g->width <= tw)
            return;
    }
    gc_doc_fig_keep(g->keep, &g->nkeep, j, L);
    gc_doc_fig_keep(g->keep, &g->nkeep, k, L);
    gc_doc_fig_keep(g->keep, &g->nkeep, L, L);
    fig_place(g, e, lhs, nextra);
    if (g->width > tw && L != j && L != k)
    {
        g->nkeep--;     /* L: C follows an ellipsis */
        fig_place(g, e, lhs, nextra);
        return;
    }
    for (t = 0; t < 2; t++)
    {
        slong n = g->nkeep;

        memcpy(save, g->keep, n * sizeof(slong));
        gc_doc_fig_keep(g->keep, &g->nkeep, t == 0 ? j + 1 : L - 1, L);
        if (g->nkeep == n)
            continue;   /* drawn already */
        fig_place(g, e, lhs, nextra);
        if (g->width > tw)
        {
            memcpy(g->keep, save, n * sizeof(slong));
            g->nkeep = n;
            fig_place(g, e, lhs, nextra);
        }
    }
}

/* The brace over the extra factors (shared = 0) or the shared ones
   (shared = 1) from x0 to x1: solid and thick, or dashed, so that they
   differ without colour too; its label *raise* pt higher than usual,
   centred, or ending at the brace's right end if *right* (a label wider
   than its brace would pass the figure's right edge). */
static void
brace_write(const doc_struct * w, slong x0, slong x1, int shared,
            msg_id_t label, slong k, int raise, int right)
{
    gc_sink_printf(w->s, "  \\draw[decorate,decoration={brace,amplitude=5pt},"
                         "%s%s] (", shared ? "densely dashed" : "thick",
                   !w->color ? "" : shared ? "," SHARED_COLOR
                                           : "," EXTRA_COLOR);
    coord_write(w, x0);
    gc_sink_puts(w->s, ",");
    coord_write(w, FIG_BRACE_Y);
    gc_sink_puts(w->s, ") -- (");
    coord_write(w, x1);
    gc_sink_puts(w->s, ",");
    coord_write(w, FIG_BRACE_Y);
    gc_sink_printf(w->s, ") node[%s,above=%dpt%s] {",
                   right ? "pos=1" : "midway", 5 + raise,
                   right ? ",anchor=south east" : "");
    say(w, label, 1, &k);
    gc_sink_puts(w->s, "};\n");
}

/* The two braces of the comparison over factors [0, nextra) and
   [nextra, len) of *e* (brace_ends), the shared label placed by
   shared_label_place. */
static void
braces_write(const doc_struct * w, const fig_struct * g,
             const gc_expr_struct * e, slong nextra, slong i, slong k)
{
    slong x[4], mid;
    int right, raise;

    brace_ends(x, g, e, nextra);
    raise = shared_label_place(&mid, &right, x, g->we, g->ws);
    brace_write(w, x[0], x[1], 0, MSG_BRACE_EXTRA, i, 0, 0);
    brace_write(w, x[2], x[3], 1, MSG_BRACE_SHARED, k, raise, right);
}

/* The cost factor at the output of the figure, in a line of text:
   (a_L - y) for the quadratic cost, as the product and the figure write
   it, else dC/da_L (the cross-entropy's fraction, which the network's
   sentence gives, would be set small). */
static void
output_write(const doc_struct * w)
{
    gc_factor_struct f;

    f.kind = gc_sym_cost_kind(&w->d->shape);
    f.index = w->d->shape.len;
    f.act = GC_SYM_SIGMA;
    f.expand = GC_SYM_EXPAND_NONE;
    if (f.kind == GC_FACTOR_RESIDUAL)
        gc_factor_write_sink(w->s, &f, GC_PRINT_LATEX);
    else
        slash_write(w, "a", f.index);
}

/* 1 if the figure *g* leaves out one of the neurons *j*..L, whose
   factors the figure's sentence places. */
static int
read_elided(const fig_struct * g, slong j)
{
    slong m;

    for (m = j; m <= g->len; m++)
        if (fig_pos(g, m) == 0)
            return 1;
    return 0;
}

/* The sentence under the figure: how to read the product off it (with
   the cost simplified: the product before the simplification, and the
   figure's a_L - y in its place), and what sigma'(z_k) abbreviates when
   the equations expand it; *elided* if the figure leaves out some of the
   neurons j..L (see read_elided).  With one neuron, j = L, its factor is
   named, sigma'(z_L). */
static void
figure_read_write(const doc_struct * w, const gc_param_t p, int simplified,
                  int elided)
{
    const gc_doc_struct * d = w->d;
    slong j = p->layer, L = d->shape.len;
    const slong jl[2] = {j, L};
    char sub[24];
    const char * t;
    int a;

    float_cite_write(w, MSG_CITE_FIGURE, "figure", GC_DOC_PART_FIGURE);
    t = w->msg[p->kind == GC_PARAM_W ? (simplified ? MSG_READ_W_CE
                                                   : MSG_READ_W)
                                     : (simplified ? MSG_READ_B_CE
                                                   : MSG_READ_B)];
    snprintf(sub, sizeof sub, "%ld", (long) L);
    while ((a = gc_sink_template(w->s, &t, 9)) != 0)
    {
        if (a == 1)
            dact_write(w, j < L ? "k" : sub);
        else if (a == 9)
            output_write(w);
        else if (a == 4)
            say(w, elided ? MSG_AT_NEURONS_DRAWN
                   : j == L ? MSG_AT_NEURON
                   : j == L - 1 ? MSG_AT_TWO_NEURONS : MSG_AT_NEURONS,
                j == L ? 1 : 2, j == L ? &L : jl);
        else if (a == 3 && j == d->param->layer)
            part_ref_write(w, "product", GC_DOC_PART_PRODUCT);
        else if (a == 3)
        {
            gc_sink_puts(w->s, "$");
            slash_write(w, "b", j);
            gc_sink_puts(w->s, "$");
        }
        else if (a == 7)
            part_ref_write(w, "simplify", GC_DOC_PART_CASCADE);
        else if (a == 8)
            dact_write(w, sub);
        else
            num_write(w, a == 2 ? L : a == 5 ? j - 1 : j);
    }
    if (d->shape.expand != GC_SYM_EXPAND_NONE)
        expansion_write(w, MSG_FIG_EXPAND, j < L ? "k" : sub, j);
}

/* The node of neuron *m* of the figure (C for m = L + 1), after the
   ellipsis of the neurons elided before it if any. */
static void
fig_node_write(const doc_struct * w, const fig_struct * g, slong m)
{
    slong pos = fig_pos(g, m);

    if (pos == 0)
        return;
    if (pos > 2 && fig_pos(g, m - 1) == 0)
    {
        gc_sink_printf(w->s, "  \\node (e%ld) at (", (long) m);
        coord_write(w, g->x[pos - 2]);
        gc_sink_puts(w->s, ",0) {$\\cdots$};\n");
    }
    gc_sink_printf(w->s, m <= g->len ? "  \\node[neuron] (n%ld) at ("
                                     : "  \\node (n%ld) at (", (long) m);
    coord_write(w, g->x[pos]);
    if (m <= g->len)
        gc_sink_printf(w->s, ",0) {$b_{%ld}$};\n", (long) m);
    else
        gc_sink_puts(w->s, ",0) {$C$};\n");
}

/* The arrow into drawn neuron *m* from the drawn neuron *prev* before
   it (a_0 or the ellipsis in its place if 0), through the ellipsis
   between them if any, labelled with its weight (a_L into C). */
static void
fig_arrow_write(const doc_struct * w, const fig_struct * g, slong prev,
                slong m)
{
    int gap = prev > 0 && fig_pos(g, m) > fig_pos(g, prev) + 2;

    if (gap)
        gc_sink_printf(w->s, "  \\draw[->] (n%ld) -- (e%ld);\n",
                       (long) prev, (long) m);
    gc_sink_printf(w->s, "  \\draw[->] (%c%ld) -- node[below] {$",
                   gap ? 'e' : 'n', (long) (gap ? m : prev));
    if (m <= g->len)
        gc_sink_printf(w->s, "w_{%ld}", (long) m);
    else
        gc_sink_printf(w->s, "a_{%ld}", (long) g->len);
    gc_sink_printf(w->s, "$} (n%ld);\n", (long) m);
}

/* The figure: the chain with the factors of the gradient for the
   parameter of *c* above it.  The derivatives keep their short form
   f'(z_k) (figure_read_write says what they abbreviate), and with the
   cost simplified the figure shows the simplified product, as (1). */
static void
figure_write(const doc_struct * w, const gc_cascade_t c, slong i, slong k)
{
    gc_param_t p;
    gc_shape_struct shape = w->d->shape;
    gc_expr_t e;
    fig_struct g[1];
    slong L = shape.len, m, nf = 0, prev, nextra = i > 0 ? 2 * (k - i) : 0;
    static const char * const colors[2] = {EXTRA_COLOR, SHARED_COLOR};
    gc_sink_t ls;
    char * lhs;

    gc_param_set(p, c->wrt.kind == GC_VAR_B ? GC_PARAM_B : GC_PARAM_W,
                 c->wrt.index);
    shape.expand = GC_SYM_EXPAND_NONE;
    gc_expr_init(e);
    if (gc_expr_set_grad(e, &shape, p) != GC_SUCCESS)
        gc_throw("figure_write: invalid request");
    gc_sink_init_str(ls);
    gc_lhs_write_sink(ls, p, GC_PRINT_LATEX);
    lhs = gc_sink_take_str(ls);
    gc_sink_clear(ls);
    fig_layout(g, w, e, p->layer, i > 0 ? k : 0,
               gc_tex_str_width(lhs) + 16.6, nextra,
               i > 0 ? label_width(w, MSG_BRACE_EXTRA, i) : 0,
               i > 0 ? label_width(w, MSG_BRACE_SHARED, k) : 0);
    flint_free(lhs);
    heading(w, 0, MSG_HEAD_FIGURE, 0, NULL);
    if (i > 0 && w->color && !part_on(w, GC_DOC_PART_COMPARE))
        colors_provide(w);
    float_begin(w);
    gc_sink_printf(w->s, "\\resizebox{\\ifdim\\width>"
                         "\\linewidth\\linewidth\\else\\width\\fi}{!}{%%\n"
                         "\\begin{tikzpicture}[neuron/.style={circle,draw,"
                         "minimum size=%dmm,inner sep=0pt}]\n"
                         "  \\node (n0) at (",
                   2 * FIG_NEURON_R);
    coord_write(w, FIG_A0_X);
    gc_sink_puts(w->s, fig_pos(g, 1) == 0 ? ",0) {$\\cdots$};\n"
                                          : ",0) {$a_{0}$};\n");
    for (m = 1; m <= L + 1; m++)
        fig_node_write(w, g, m);
    for (prev = 0, m = 1; m <= L + 1; m++)
        if (fig_pos(g, m) > 0)
        {
            fig_arrow_write(w, g, prev, m);
            prev = m;
        }
    gc_sink_puts(w->s, "  \\node[anchor=east] at (");
    coord_write(w, g->lhs_x);
    gc_sink_puts(w->s, ",");
    coord_write(w, FIG_ROW);
    gc_sink_puts(w->s, ") {$\\displaystyle ");
    gc_lhs_write_sink(w->s, p, GC_PRINT_LATEX);
    gc_sink_puts(w->s, " =$};\n");
    for (m = 0; m < e->len; m++)
    {
        const gc_factor_struct * f = e->fac + m;
        slong pos = fig_factor_pos(g, e, m), x = g->x[pos];

        if (pos == 0)
            continue;   /* after the \cdots of a run of elided neurons */
        gc_sink_printf(w->s, "  \\node");
        if (i > 0 && w->color)
            gc_sink_printf(w->s, "[%s]", colors[m >= nextra]);
        gc_sink_printf(w->s, " (f%ld) at (", (long) nf);
        coord_write(w, x);
        gc_sink_puts(w->s, ",");
        coord_write(w, FIG_ROW);
        gc_sink_puts(w->s, ") {$\\displaystyle ");
        if (factor_pos(g, f) == 0)
        {
            gc_sink_puts(w->s, "\\cdots$};\n");
            nf++;
            continue;
        }
        gc_factor_write_sink(w->s, f, GC_PRINT_LATEX);
        gc_sink_printf(w->s, "$};\n  \\draw[dotted] (f%ld) -- (",
                       (long) nf++);
        coord_write(w, x);
        gc_sink_puts(w->s, ",");
        coord_write(w, f->kind == GC_FACTOR_DACT ? FIG_NEURON_R
                                                 : FIG_ARROW_GAP);
        gc_sink_puts(w->s, ");\n");
    }
    if (i > 0)
        braces_write(w, g, e, nextra, i, k);
    gc_sink_puts(w->s, "\\end{tikzpicture}}\n");
    float_end(w, MSG_HEAD_FIGURE, "figure");
    figure_read_write(w, p, c->simplified, read_elided(g, p->layer));
    gc_expr_clear(e);
    flint_free(g->x);
}

/* The plot of the derivative of an activation of the numeric side: the
   formula displayed above it, the axis options after the labels, the
   \addplot lines, and where the label (MSG_PLOT_*) goes and the room
   it has there.  The leaky
   ReLU is drawn with alpha = 0.1; GELU's Phi by the tanh approximation,
   which moves GELU'(z) by less than 0.0002 on [-4, 4]. */
typedef struct
{
    const char * formula;
    const char * axis;
    const char * plots;
    const char * label_at;  /* the label's south west corner (axis cs) */
    double label_room;      /* the part of the axis right of that corner */
} plot_spec_struct;

static const plot_spec_struct plot_more[GC_SYM_NACTS - GC_SYM_TANH] = {
    {"\\tanh'(z) = 1 - \\tanh^{2}(z)",
     "xmin=-4, xmax=4, ymin=0, ymax=1.3, grid=major,\n"
     "  ytick={0,0.25,0.5,0.75,1}",
     "  \\addplot[gccurve, thick, domain=-4:4, samples=121] {1-tanh(x)^2};\n"
     "  \\addplot[gcbound, dashed, domain=-4:4] {1};\n"
     "  \\addplot[gcbound, only marks, mark=*] coordinates {(0,1)};\n",
     "0.2,1.03", 0.47},
    {"\\mathrm{ReLU}'(z) = \\mathbf{1}[z > 0]",
     "xmin=-4, xmax=4, ymin=-0.1, ymax=1.3, grid=major,\n"
     "  ytick={0,0.5,1}",
     "  \\addplot[gccurve, thick] coordinates {(-4,0) (0,0)};\n"
     "  \\addplot[gccurve, thick] coordinates {(0,1) (4,1)};\n"
     "  \\addplot[gccurve, only marks, mark=*] coordinates {(0,0)};\n"
     "  \\addplot[gccurve, only marks, mark=o, fill=white] "
     "coordinates {(0,1)};\n",
     "-3.8,1.05", 0.97},
    {"\\mathrm{LReLU}'(z) = \\mathbf{1}[z > 0] + "
     "\\alpha\\,\\mathbf{1}[z \\le 0]",
     "xmin=-4, xmax=4, ymin=-0.1, ymax=1.3, grid=major,\n"
     "  ytick={0,0.5,1}, extra y ticks={0.1},\n"
     "  extra y tick labels={$\\alpha$}",
     "  \\addplot[gccurve, thick] coordinates {(-4,0.1) (0,0.1)};\n"
     "  \\addplot[gccurve, thick] coordinates {(0,1) (4,1)};\n"
     "  \\addplot[gccurve, only marks, mark=*] coordinates {(0,0.1)};\n"
     "  \\addplot[gccurve, only marks, mark=o, fill=white] "
     "coordinates {(0,1)};\n",
     "-3.8,1.05", 0.97},
    {"\\mathrm{softplus}'(z) = \\sigma(z) = \\frac{1}{1+e^{-z}}",
     "xmin=-6, xmax=6, ymin=0, ymax=1.25, grid=major,\n"
     "  ytick={0,0.25,0.5,0.75,1}",
     "  \\addplot[gccurve, thick, domain=-6:6, samples=121] {1/(1+exp(-x))};\n"
     "  \\addplot[gcbound, dashed, domain=-6:6] {1};\n",
     "-5.8,1.03", 0.98},
    {"\\mathrm{id}'(z) = 1",
     "xmin=-4, xmax=4, ymin=0, ymax=1.3, grid=major,\n"
     "  ytick={0,0.5,1}",
     "  \\addplot[gccurve, thick, domain=-4:4] {1};\n",
     "-3.8,1.05", 0.97},
    {"\\mathrm{GELU}'(z) = \\Phi(z) + z\\,\\varphi(z)",
     "xmin=-4, xmax=4, ymin=-0.3, ymax=1.4, grid=major,\n"
     "  ytick={0,0.5,1}",
     "  \\addplot[gccurve, thick, domain=-4:4, samples=161] "
     "{0.5*(1+tanh(0.7978845608*(x+0.044715*x*x*x)))\n"
     "    + x*exp(-0.5*x*x)/2.5066282746};\n"
     "  \\addplot[gcbound, dashed, domain=-4:4] {1.1289};\n"
     "  \\addplot[gcbound, only marks, mark=*] coordinates {(1.4142,1.1289)};\n",
     "-3.8,1.16", 0.97}};

/* The plot's width: pgfplots' 9 cm, which its labels pass by up to
   PLOT_OVER_PT (measured: 261.8 pt for sigma' and 262.6 pt for tanh'),
   or a narrower text less that; the room of its tick labels and ylabel
   left of the axis (about 40 pt); the inner separations of a node. */
#define PLOT_WIDTH_PT 256.07
#define PLOT_OVER_PT 8.0
#define PLOT_LEFT_PT 45.0
#define PLOT_NODE_SEP_PT 8.0

static double
plot_width(const doc_struct * w)
{
    return FLINT_MIN(PLOT_WIDTH_PT, w->d->textwidth - PLOT_OVER_PT);
}

/* The label of a plot at *at* (axis cs), with the part *room* of the
   axis right of it: on a plot narrower than 9 cm, its text wraps at
   the axis' right end rather than pass it (and the text width). */
static void
plot_label_write(const doc_struct * w, const char * at, double room)
{
    double wd = plot_width(w);

    gc_sink_puts(w->s, "  \\node[gcbound, anchor=south west");
    if (wd < PLOT_WIDTH_PT)
        gc_sink_printf(w->s, ", text width=%.1fpt, align=left",
                       room * (wd - PLOT_LEFT_PT) - PLOT_NODE_SEP_PT);
    gc_sink_printf(w->s, "] at (axis cs:%s) {", at);
}

/* The start of a plot, up to the axis options after xlabel: the
   picture's styles gccurve (the derivative) and gcbound (its bound and
   the label), in the comparison's pair of colours (provided, so that a
   document restyles the plot with them), or black without colours; the
   language's number format. */
static void
plot_begin(const doc_struct * w)
{
    float_cite_write(w, MSG_CITE_PLOT, "plot", GC_DOC_PART_PLOT);
    if (w->color)
        colors_provide(w);
    float_begin(w);
    gc_sink_printf(w->s, "\\begin{tikzpicture}"
                         "[gccurve/.style={%s}, gcbound/.style={%s}]\n"
                         "\\begin{axis}[width=",
                   w->color ? SHARED_COLOR : "",
                   w->color ? EXTRA_COLOR : "");
    if (plot_width(w) < PLOT_WIDTH_PT)
        gc_sink_printf(w->s, "%.1fpt", plot_width(w));
    else
        gc_sink_puts(w->s, "9cm");
    gc_sink_printf(w->s, ", height=5.5cm, %s,\n  xlabel={$z$}, ",
                   w->msg[MSG_NUMBER_FORMAT]);
}

/* The plot of the derivative of sigma, f and f_k: sigma'. */
#define PLOT_SIGMA_FORMULA "\\sigma'(z) = \\sigma(z)\\bigl(1-\\sigma(z)" \
    "\\bigr) = \\frac{e^{-z}}{(1+e^{-z})^{2}}"

static void
plot_sigma_write(const doc_struct * w)
{
    heading(w, 1, MSG_HEAD_PLOT, 0, NULL);
    const char * dec = w->msg[MSG_DECIMAL];

    display_write(w, PLOT_SIGMA_FORMULA,
                  PLOT_SIGMA_FORMULA + strlen(PLOT_SIGMA_FORMULA));
    plot_begin(w);
    gc_sink_printf(w->s,
        "ylabel={$\\sigma'(z)$},\n"
        "  xmin=-6, xmax=6, ymin=0, ymax=0.32, grid=major,\n"
        "  ytick={0,0.05,0.1,0.15,0.2,0.25},\n"
        "  yticklabels={$0$,$0%s05$,$0%s10$,$0%s15$,$0%s20$,$\\frac{1}{4}$}]\n"
        "  \\addplot[gccurve, thick, domain=-6:6, samples=121] "
        "{exp(-x)/(1+exp(-x))^2};\n"
        "  \\addplot[gcbound, dashed, domain=-6:6] {0.25};\n"
        "  \\addplot[gcbound, only marks, mark=*] coordinates {(0,0.25)};\n",
        dec, dec, dec, dec);
    plot_label_write(w, "0.2,0.255", 0.47);
    say(w, MSG_PLOT_MAX, 0, NULL);
    gc_sink_puts(w->s, "};\n\\end{axis}\n\\end{tikzpicture}\n");
    float_end(w, MSG_HEAD_PLOT, "plot");
    gc_sink_puts(w->s, "\n");
}

/* The plot of the derivative of the activation tanh ... gelu. */
static void
plot_more_write(const doc_struct * w)
{
    gc_sym_act_t act = w->d->shape.act;
    const plot_spec_struct * p = plot_more + (act - GC_SYM_TANH);

    heading(w, 1, MSG_OF_ACT(MSG_HEAD_PLOT_TANH, act), 0, NULL);
    display_write(w, p->formula, p->formula + strlen(p->formula));
    plot_begin(w);
    gc_sink_puts(w->s, "ylabel={$");
    act_write(w, "");
    gc_sink_printf(w->s, "'(z)$},\n  %s]\n%s", p->axis, p->plots);
    plot_label_write(w, p->label_at, p->label_room);
    say(w, MSG_OF_ACT(MSG_PLOT_TANH, act), 0, NULL);
    gc_sink_puts(w->s, "};\n\\end{axis}\n\\end{tikzpicture}\n");
    float_end(w, MSG_OF_ACT(MSG_HEAD_PLOT_TANH, act), "plot");
    gc_sink_puts(w->s, "\n");
}

/* The plot of the derivative of the activation: sigma' for sigma, f and
   f_k (the plot of --plot-sigma), else the activation's own. */
static void
plot_write(const doc_struct * w)
{
    stretch_open(w);
    if (act_is_more(w))
        plot_more_write(w);
    else
        plot_sigma_write(w);
    stretch_close(w);
}

/* The product that the general formula gives at j = J, and the end of
   the sentence: \eqref of the product part as part_ref_write writes it,
   but with the product itself displayed in place of the bare dC/dp_J
   when the label is not defined (the formula at j = J is dC/dp_J: only
   its product says what the formula gives). */
static void
general_ref_write(const doc_struct * w)
{
    const gc_doc_struct * d = w->d;
    gc_expr_t grad;
    gc_print_opts_t o;

    if (part_on(w, GC_DOC_PART_PRODUCT))
    {
        eqref_write(w, "product");
        gc_sink_puts(w->s, ".\n\n");
        return;
    }
    gc_expr_init(grad);
    if (gc_expr_set_grad(grad, &d->shape, d->param) != GC_SUCCESS)
        gc_throw("general_ref_write: invalid request");
    compare_opts(o, w, grad, NULL, COMPARE_LINE_REST);
    gc_sink_printf(w->s, "\\ifcsname r@%s:product\\endcsname", w->lab);
    eqref_write(w, "product");
    gc_sink_puts(w->s, ".\\else\n\\[\n  ");
    frac_write(w, param_letter(d->param->kind), d->param->layer);
    gc_sink_puts(w->s, " = ");
    gc_expr_write_range_sink(w->s, grad, 0, grad->len, o);
    gc_sink_puts(w->s, ".\n\\]\n\\fi\n\n");
    gc_expr_clear(grad);
}

/* The general formula, dC/db_j and dC/dw_j for every layer j, and how
   it meets the product. */
static void
general_write(const doc_struct * w)
{
    const gc_doc_struct * d = w->d;
    const slong L = d->shape.len;
    gc_param_t wj;
    const char * t;
    int n;

    heading(w, 0, MSG_HEAD_GENERAL, 0, NULL);
    t = w->msg[MSG_GENERAL];
    while ((n = gc_sink_template(w->s, &t, 2)) != 0)
    {
        if (n == 1)
            num_write(w, L);
        else
            dact_write(w, "k");
    }
    gc_param_set(wj, GC_PARAM_W, GC_SYM_INDEX('j'));
    gc_general_write_sink(w->s, wj, &d->shape, GC_PRINT_LATEX, 1, w->lab);
    t = w->msg[MSG_GENERAL_AT];
    while ((n = gc_sink_template(w->s, &t, 3)) != 0)
    {
        if (n == 3)
            general_ref_write(w);
        else
            num_write(w, n == 1 ? L : d->param->layer);
    }
}

/* The parts of *d* to write: d->parts, or by default the product, the
   cascade, and the comparison, figure and plot asked for. */
unsigned
gc_doc_parts(const gc_doc_struct * d)
{
    if (d->parts != 0)
        return d->parts;
    return GC_DOC_PART_BIT(GC_DOC_PART_PRODUCT)
           | GC_DOC_PART_BIT(GC_DOC_PART_CASCADE)
           | (d->compare != 0 ? GC_DOC_PART_BIT(GC_DOC_PART_COMPARE) : 0)
           | (d->figure ? GC_DOC_PART_BIT(GC_DOC_PART_FIGURE) : 0)
           | (d->plot ? GC_DOC_PART_BIT(GC_DOC_PART_PLOT) : 0);
}

/* What a continuation line of the cascade takes from the text width
   besides its factors: its indent and sign, and the equation number, in
   points. */
#define EXPAND_ROOM_PT 60.0

/* Sets up the writer *w* of *d* on *s*, with *dd* the request as
   written. */
static void
writer_init(doc_struct * w, gc_doc_struct * dd, const gc_doc_struct * d,
            gc_sink_struct * s)
{
    /* the closed forms of tanh ... gelu are wider than a line of the
       cascade or the comparison: their equations keep the abstract
       f'(z_k), whose closed form MSG_DEF_* displays */
    *dd = *d;
    if (d->shape.act >= GC_SYM_TANH)
        dd->shape.expand = GC_SYM_EXPAND_NONE;
    w->s = s;
    w->d = dd;
    w->msg = msg_tables[dd->lang];
    w->fig_step = fig_step(dd);
    w->color = dd->color != GC_DOC_COLOR_NONE;
    w->parts = gc_doc_parts(dd);
    w->flush = 0;
    label_set(w->lab, dd);
    /* an expanded derivative of 7-digit index (sigma(z)(1-sigma(z)),
       125 pt) that takes more than half of what a continuation line of
       the cascade leaves it cannot share a line with anything on a
       narrow page: the equations keep sigma'(z_k) there too */
    if (dd->shape.expand != GC_SYM_EXPAND_NONE)
    {
        gc_factor_struct f;

        f.kind = GC_FACTOR_DACT;
        f.index = dd->shape.len;
        f.act = dd->shape.act;
        f.expand = dd->shape.expand;
        if (gc_factor_pt(&f) > (dd->textwidth - EXPAND_ROOM_PT) / 2)
            dd->shape.expand = GC_SYM_EXPAND_NONE;
    }
}

void
gc_doc_plot_write_sink(gc_sink_t s, const gc_doc_struct * d,
                       const char * label)
{
    gc_doc_struct one = *d, dd;
    doc_struct w;

    one.label = NULL;
    one.compare = 0;
    one.figure = 0;
    one.plot = 1;
    one.parts = GC_DOC_PART_BIT(GC_DOC_PART_PLOT);
    writer_init(&w, &dd, &one, s);
    snprintf(w.lab, LABEL_SIZE, "%s", label);
    plot_write(&w);
}

/* 1 if the cascade of the valid request *d* (if written) fits
   d->textheight with at least one first and one last step (see
   cascade_choose), else 0. */
static int
cascade_fits(const gc_doc_struct * d)
{
    gc_doc_struct dd;
    doc_struct w;
    gc_cascade_t c;
    gc_print_opts_t o;
    slong i, nsteps = 0, head, tail;
    int fits;

    writer_init(&w, &dd, d, NULL);
    if (!part_on(&w, GC_DOC_PART_CASCADE)
        || dd.cascade == GC_DOC_CASCADE_NONE)
        return 1;
    gc_cascade_init(c);
    if (gc_cascade_set(c, &dd.shape, dd.param) != GC_SUCCESS)
        gc_throw("gc_doc_check: invalid request");
    for (i = 0; i < c->len; i++)
        nsteps += c->step[i].rhs.kind != GC_VAR_W;
    cascade_opts(o, &w, c);
    cascade_flush(&w, c, o);
    fits = cascade_choose(&w, c, o, nsteps, &head, &tail);
    gc_cascade_clear(c);
    return fits;
}

static void
doc_write(gc_sink_t s, const gc_doc_struct * d)
{
    gc_doc_struct dd;
    doc_struct w;
    gc_expr_t grad;
    gc_cascade_t c;
    slong i = 0, k = 0;
    int status;

    writer_init(&w, &dd, d, s);
    d = &dd;
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
    w.simplified = c->simplified && d->cascade != GC_DOC_CASCADE_NONE;

    preamble_write(&w);
    if (part_on(&w, GC_DOC_PART_PRODUCT))
    {
        stretch_open(&w);
        network_write(&w);
        product_write(&w, grad);
        stretch_close(&w);
    }
    if (part_on(&w, GC_DOC_PART_CASCADE))
    {
        stretch_open(&w);
        cascade_write(&w, c);
        stretch_close(&w);
    }
    if (part_on(&w, GC_DOC_PART_COMPARE))
    {
        stretch_open(&w);
        compare_write(&w, i, k);
        stretch_close(&w);
    }
    if (part_on(&w, GC_DOC_PART_FIGURE))
    {
        stretch_open(&w);
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
        stretch_close(&w);
    }
    if (part_on(&w, GC_DOC_PART_PLOT))
        plot_write(&w);
    if (part_on(&w, GC_DOC_PART_GENERAL))
    {
        stretch_open(&w);
        general_write(&w);
        stretch_close(&w);
    }
    if (d->standalone)
        gc_sink_puts(s, "\\end{document}\n");
    gc_cascade_clear(c);
    gc_expr_clear(grad);
}

/* gc_sink_run's writer for doc_write. */
static void
doc_emit(gc_sink_t s, const void * obj)
{
    doc_write(s, obj);
}

int
gc_doc_write(FILE * f, const gc_doc_t d)
{
    if (gc_doc_check(d, NULL) != GC_SUCCESS)
        return GC_INVALID;
    return gc_sink_run(f, NULL, doc_emit, d);
}

int
gc_doc_get_str(char ** res, const gc_doc_t d)
{
    *res = NULL;
    if (gc_doc_check(d, NULL) != GC_SUCCESS)
        return GC_INVALID;
    return gc_sink_run(NULL, res, doc_emit, d);
}
