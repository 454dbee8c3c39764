/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/latex.h -- printers of symbolic gradients: LaTeX, plain
   Unicode text and a readable ASCII form, in several forms; and the
   derivation document (cascade, comparison, TikZ figure, pgfplots plot,
   English or Brazilian Portuguese prose).  Printers never evaluate
   numbers.  They write to a FILE * (never stdout unless given it) or
   return a string allocated with flint_malloc, to be freed with
   flint_free.  Output size is linear in the number of factors.  Included
   by gradchain.h; do not include it directly. */

#ifndef GRADCHAIN_LATEX_H
#define GRADCHAIN_LATEX_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
    GC_PRINT_LATEX = 0,
    GC_PRINT_TEXT,     /* UTF-8: sigma'(z_1) as "σ′(z₁)" */
    GC_PRINT_ASCII     /* readable back by gc_expr_set_str_ascii */
} gc_print_format_t;

/* How a product is laid out:
   AUTO      expanded if it fits in the width (or lines are broken),
             else elided;
   EXPANDED  every factor;
   COMPACT   runs of two or more pairs w_k f'(z_k) with consecutive k as
             \prod_{k=m}^{n} (w_k f'(z_k));
   ELIDED    the first *head* factors, \cdots, the last *tail* factors
             (expanded if that hides fewer than two factors);
   GROUPED   each pair w_k f'(z_k) in parentheses. */
typedef enum
{
    GC_FORM_AUTO = 0,
    GC_FORM_EXPANDED,
    GC_FORM_COMPACT,
    GC_FORM_ELIDED,
    GC_FORM_GROUPED
} gc_form_t;

/* Line breaking of an equation: none, LaTeX multline, LaTeX split inside
   equation (text and ASCII: continuation lines for both). */
typedef enum
{
    GC_BREAK_NONE = 0,
    GC_BREAK_MULTLINE,
    GC_BREAK_SPLIT
} gc_break_t;

typedef struct
{
    gc_print_format_t format;
    gc_form_t form;
    gc_break_t breaks;
    slong width; /* line width in characters of the text form (>= 8) */
    slong head;  /* factors kept before \cdots (>= 1) */
    slong tail;  /* factors kept after \cdots (>= 1) */
} gc_print_opts_struct;

typedef gc_print_opts_struct gc_print_opts_t[1];

/* Sets *o* to LaTeX, AUTO, no breaks, width 72, head 3, tail 3. */
void gc_print_opts_init(gc_print_opts_t o);

/* The name tables (see gradchain.h) of the print formats ("latex",
   "text", "ascii"), forms ("auto", "expanded", "compact", "elided",
   "grouped") and line breaking ("none", "multline", "split"). */
int gc_print_format_set_str(gc_print_format_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_print_format_name(gc_print_format_t f);
const char * const * gc_print_format_names(void);
int gc_form_set_str(gc_form_t * res, const char * str) GC_WARN_UNUSED_RESULT;
const char * gc_form_name(gc_form_t f);
const char * const * gc_form_names(void);
int gc_break_set_str(gc_break_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_break_name(gc_break_t b);
const char * const * gc_break_names(void);

/* Writes the product *e* to *f* in the format and form of *o* (line
   breaks are not applied: see gc_expr_write_equation).  The empty product
   is written "1".  Returns GC_SUCCESS, or GC_INVALID if a write failed
   (check errno). */
int gc_expr_write(FILE * f, const gc_expr_t e, const gc_print_opts_t o)
    GC_WARN_UNUSED_RESULT;

/* Returns the text gc_expr_write would write (free with flint_free). */
char * gc_expr_get_str(const gc_expr_t e, const gc_print_opts_t o);

/* Writes the equation  dC/dp_j = e  (p_j the parameter *p*) followed by
   a newline: in LaTeX an equation environment, a multline, or a split
   inside an equation as o->breaks says; in text and ASCII one line, or
   continuation lines ("    × ..." / "    * ...") at o->width.  Returns
   GC_SUCCESS, or GC_INVALID if a write failed (check errno). */
int gc_expr_write_equation(FILE * f, const gc_param_t p, const gc_expr_t e,
                           const gc_print_opts_t o) GC_WARN_UNUSED_RESULT;

/* As gc_expr_write_equation, with \label{LABEL:product} in LaTeX when
   *label* is not NULL (a prefix that gc_doc_label_is_valid accepts, or
   gc_throw aborts), the label a derivation document gives its product;
   text and ASCII have no labels. */
int gc_expr_write_equation_label(FILE * f, const gc_param_t p,
                                 const gc_expr_t e, const gc_print_opts_t o,
                                 const char * label) GC_WARN_UNUSED_RESULT;

/* Returns the text gc_expr_write_equation would write (free with
   flint_free). */
char * gc_expr_get_str_equation(const gc_param_t p, const gc_expr_t e,
                                const gc_print_opts_t o);

/* Writes the general formula of the chain *s* for the parameter *p*,
   whose layer is a letter j (see gc_sym_param_set_str), in *format*:
       dC/db_j = f'(z_j) (prod_{k=j+1}^{L} w_k f'(z_k)) dC/da_L
   for bj, and that line followed by  dC/dw_j = a_{j-1} dC/db_j  for wj
   (with L = s->len, f' and the cost factor written as for
   gc_expr_set_grad, the cross-entropy unsimplified since the formula
   holds for every j).  In LaTeX it is an equation (bj) or an align of
   the two lines (wj), with \left(\prod_{k=j+1}^{L} ...\right); in text
   one line each, with subscripts (j: U+2C7C); in ASCII one line each,
   prod_{k=j+1}^{L}(w_k * f'(z_k)), which gc_expr_set_str_ascii does not
   read (j is no number).  When *lhs* is 0, only the product of dC/dp_j
   (a_{j-1} f'(z_j) ... for wj), without newline.  The form, the width
   and the line breaking of products do not apply: the formula is short.
   Aborts through gc_throw if p is not symbolic, s invalid or the format
   unknown.  Returns GC_SUCCESS, or GC_INVALID if a write failed (check
   errno). */
int gc_general_write(FILE * f, const gc_param_t p, const gc_shape_t s,
                     gc_print_format_t format, int lhs)
    GC_WARN_UNUSED_RESULT;

/* As gc_general_write, with \label{LABEL:general-b} and
   \label{LABEL:general-w} on the lines of dC/db_j and dC/dw_j in LaTeX
   when *label* is not NULL (a prefix that gc_doc_label_is_valid
   accepts, or gc_throw aborts), the labels of a derivation document's
   general part; with *lhs* 0 there is no equation and no label. */
int gc_general_write_label(FILE * f, const gc_param_t p, const gc_shape_t s,
                           gc_print_format_t format, int lhs,
                           const char * label) GC_WARN_UNUSED_RESULT;

/* Returns the text gc_general_write would write (free with
   flint_free). */
char * gc_general_get_str(const gc_param_t p, const gc_shape_t s,
                          gc_print_format_t format, int lhs);

typedef enum
{
    GC_LANG_EN = 0,
    GC_LANG_PT /* Brazilian Portuguese */
} gc_lang_t;

/* The name table (see gradchain.h) of the languages: "en", "pt";
   gc_lang_set_str also reads "pt-BR" as "pt". */
int gc_lang_set_str(gc_lang_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_lang_name(gc_lang_t lang);
const char * const * gc_lang_names(void);

/* The largest L for which the TikZ figure of the chain is drawn. */
#define GC_DOC_FIGURE_MAX_LAYERS 1000000

/* The colours of a derivation document:
   DEFAULT  the extra factors of a comparison in the colour
            gradchain-extra (Okabe-Ito orange, #E69F00) and the shared
            ones in gradchain-shared (Okabe-Ito blue, #0072B2), a pair
            that colour-blind readers tell apart and whose greyscale
            levels differ (relative luminance 0.42 and 0.15).  Both are
            defined with \providecolor, so that a document that defines
            them first (\definecolor{gradchain-extra}{...}) restyles them.
   NONE     no colour command at all.
   Colour is never the only mark: the underbraces carry their labels, and
   in the figure the brace of the extra factors is drawn solid and thick,
   the brace of the shared ones dashed. */
typedef enum
{
    GC_DOC_COLOR_DEFAULT = 0,
    GC_DOC_COLOR_NONE
} gc_doc_color_t;

/* The name table (see gradchain.h) of the colour modes: "default",
   "none". */
int gc_doc_color_set_str(gc_doc_color_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_doc_color_name(gc_doc_color_t c);
const char * const * gc_doc_color_names(void);

/* The parts of a derivation document, in document order: the network
   and the numbered product, the chain-rule cascade, the comparison, the
   figure, the plot, the general formula (with a letter j).  A set of
   parts is an unsigned with bit GC_DOC_PART_BIT(part) for each. */
typedef enum
{
    GC_DOC_PART_PRODUCT = 0,
    GC_DOC_PART_CASCADE,
    GC_DOC_PART_COMPARE,
    GC_DOC_PART_FIGURE,
    GC_DOC_PART_PLOT,
    GC_DOC_PART_GENERAL
} gc_doc_part_t;

#define GC_DOC_NPARTS 6
#define GC_DOC_PART_BIT(part) (1u << (part))

/* The name table (see gradchain.h) of the parts: "product", "cascade",
   "compare", "figure", "plot", "general". */
int gc_doc_part_set_str(gc_doc_part_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_doc_part_name(gc_doc_part_t p);
const char * const * gc_doc_part_names(void);

/* The headings of the parts: none, \section*, \subsection* (the
   default), \subsubsection*. */
typedef enum
{
    GC_DOC_HEADING_NONE = 0,
    GC_DOC_HEADING_SECTION,
    GC_DOC_HEADING_SUBSECTION,
    GC_DOC_HEADING_SUBSUBSECTION
} gc_doc_heading_t;

/* The name table of the headings: "none", "section", "subsection",
   "subsubsection". */
int gc_doc_heading_set_str(gc_doc_heading_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_doc_heading_name(gc_doc_heading_t h);
const char * const * gc_doc_heading_names(void);

/* The cascade of a derivation document:
   ELIDED  every step up to GC_DOC_CASCADE_FULL_STEPS steps; past that
           the first GC_DOC_CASCADE_HEAD steps, a line with a vertical
           ellipsis, and the last GC_DOC_CASCADE_TAIL steps, so that the
           document stays small at any depth;
   FULL    every step (2L numbered lines for b_1);
   NONE    no cascade (nor the cost simplification that follows it). */
typedef enum
{
    GC_DOC_CASCADE_ELIDED = 0,
    GC_DOC_CASCADE_FULL,
    GC_DOC_CASCADE_NONE
} gc_doc_cascade_t;

#define GC_DOC_CASCADE_FULL_STEPS 12
#define GC_DOC_CASCADE_HEAD 4
#define GC_DOC_CASCADE_TAIL 3

/* The name table (see gradchain.h) of the cascade modes: "elided",
   "full", "none". */
int gc_doc_cascade_set_str(gc_doc_cascade_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_doc_cascade_name(gc_doc_cascade_t c);
const char * const * gc_doc_cascade_names(void);

/* The text width the equations of a document are laid out for, in TeX
   points: the default is the \textwidth of a 10pt A4 article (345 pt).
   A character of the text form of a formula (see gc_expr_get_str) is
   taken as GC_DOC_PT_PER_CHAR points of 10pt display math (measured:
   2.6 to 4.2 points per character over the forms and expansions); the
   width in characters of the products is the least of d->print.width
   and textwidth / GC_DOC_PT_PER_CHAR.  For 11pt or 12pt type, give a
   text width smaller in proportion (10/11, 10/12). */
#define GC_DOC_TEXTWIDTH_DEFAULT 345.0
#define GC_DOC_PT_PER_CHAR 4.4

/* The longest label prefix, in characters. */
#define GC_DOC_LABEL_MAX 100

/* A derivation document: dC/dp_j of the chain *shape*, optionally
   compared with dC/db_k (biases only: the smaller index is always the one
   written as extra factors times the other, whichever was given first),
   with a TikZ figure and a pgfplots plot of the derivative of the
   activation (sigma' for sigma, f and per-layer).  The prose uses the
   bound of that derivative: sigma' <= 1/4, 0 < tanh' <= 1, ReLU' in
   {0, 1}, LReLU' in {alpha, 1}, 0 < softplus' = sigma < 1, id' = 1,
   |GELU'| <= GELU'(sqrt 2) ~ 1.1289. */
typedef struct
{
    gc_shape_struct shape;
    gc_param_t param; /* the parameter p_j of dC/dp_j */
    slong compare;    /* k, or 0 for no comparison */
    int figure;       /* TikZ figure of the chain */
    int plot;         /* pgfplots plot of the derivative f'(z) */
    int standalone;   /* a complete document, not a fragment */
    gc_lang_t lang;
    gc_print_opts_struct print; /* form, width of the products (LaTeX) */
    const char * label; /* prefix of the labels, or NULL: derived (see
                           gc_doc_get_label) */
    gc_doc_color_t color;
    unsigned parts;   /* the parts written (GC_DOC_PART_BIT), or 0: the
                         product, the cascade, and the comparison, figure
                         and plot when asked for (never general) */
    gc_doc_heading_t heading;
    int floats;       /* figure and plot in figure floats with \caption
                         and \label{PREFIX:figure}, \label{PREFIX:plot} */
    gc_doc_cascade_t cascade;
    double textwidth; /* in TeX points, >= 72 (see GC_DOC_PT_PER_CHAR) */
    double textheight; /* in TeX points, 72 to 16383, or 0: no limit.  The
                          cascade elides more steps (at least one first
                          and one last step stay) until its align, as
                          estimated (about 15 pt a row, 23 pt with a
                          \frac{\partial, 29 pt with another \frac, 35 pt
                          with a \prod or \sum, plus 20 pt of display
                          skips: 10pt type), is at most this tall, for a
                          beamer frame, which cannot break an align */
} gc_doc_struct;

typedef gc_doc_struct gc_doc_t[1];

/* Sets *d* to dC/db_1 of a chain of *len* layers, no comparison, figure
   or plot, a fragment in English, products in AUTO form, derived labels,
   default colours, the default parts, \subsection* headings, no
   floats, an elided cascade, a text width of GC_DOC_TEXTWIDTH_DEFAULT
   points, no text height. */
void gc_doc_init(gc_doc_t d, slong len);

/* Returns GC_SUCCESS if *d* is a valid request, else GC_INVALID with an
   English reason in *why* (when not NULL): invalid shape, j or k out of
   range, k == j, a comparison with a weight, an unknown language, a
   figure for L beyond GC_DOC_FIGURE_MAX_LAYERS, an invalid label prefix,
   an unknown colour or cascade mode, parts beyond GC_DOC_NPARTS, the
   compare, figure or plot part without d->compare, d->figure or d->plot,
   an unknown heading, a text width below 72 points or not finite, a
   text height neither 0 nor in 72..16383 points, or a cascade (written)
   that does not fit the text height even with one first step, the
   vertical ellipsis and one last step (to know it, the check builds the
   cascade: O(L) time and memory when d->textheight is set). */
int gc_doc_check(const gc_doc_t d, const char ** why) GC_WARN_UNUSED_RESULT;

/* Returns 1 if *label* can prefix the labels of a document: 1 to
   GC_DOC_LABEL_MAX characters, each an ASCII letter or digit or one of
   ":-._/+" (characters that \label, \ref and \eqref take as they are,
   whatever the babel language); else 0. */
int gc_doc_label_is_valid(const char * label);

/* Returns the prefix of the labels of *d* (free with flint_free): d->label
   when set, else "gradchain:" followed by a key of everything that
   changes the equations, "L4-b1" then, when they differ from the
   defaults, the compared bias ("b3"), the activation, the expansion, the
   cost, the form, "widthN", the line breaking, "headN", "tailN", the
   language, the cascade ("cascade-full"), the text width ("tw336pt",
   rounded) and the text height ("th230pt", rounded, when set), joined
   by "-" (for example "gradchain:L4-b1-b3-cross-entropy-pt").  So two derivations that differ in any of these never share a
   label, and the same derivation twice has the same labels (including it
   twice in one document defines them twice).  The figure, the plot,
   --standalone and the colours do not change the key.  The labels are
   PREFIX:product (the product) and PREFIX:simplify (the cost
   simplification, with a cross-entropy and a sigmoid output).  Aborts
   through gc_throw if gc_doc_check fails. */
char * gc_doc_get_label(const gc_doc_t d);

/* Writes the derivation to *f*: the product, the numbered cascade
   (align), the cost simplification for a cross-entropy with a sigmoid
   output, the comparison, the figure, the plot, the general formula
   (those of d->parts, in this order; the network comes with the product).
   Parts emitted separately (same request, other parts) and \input into
   one document refer to each other by the same labels; where a part
   refers to the product and the product is not among the parts written,
   the reference is \eqref{PREFIX:product} when the document defines that
   label (\ifcsname r@PREFIX:product) and dC/dp_j in words otherwise, so
   it is never undefined.  The general part labels its lines
   PREFIX:general-b and PREFIX:general-w.  When d->standalone is
   set, it is a complete document whose preamble loads T1 fontenc, utf8
   inputenc, lmodern when installed, babel english or brazilian, geometry
   (A4, 2.5 cm margins), amsmath, and xcolor, graphicx, tikz, pgfplots
   when needed; otherwise it is a fragment, which starts with a comment
   listing the packages it needs.  Returns GC_SUCCESS, or
   GC_INVALID if gc_doc_check fails (nothing is written) or if a write
   failed (check errno). */
int gc_doc_write(FILE * f, const gc_doc_t d) GC_WARN_UNUSED_RESULT;

/* As gc_doc_write, into a new string *res* (free with flint_free; NULL on
   failure). */
int gc_doc_get_str(char ** res, const gc_doc_t d) GC_WARN_UNUSED_RESULT;

/* ---- figures of log10|dC/db_j| against the layer (plot.c) ------------ */

/* A pgfplots figure made of plain data, not networks: lines (series),
   horizontal or vertical levels with a label, and bands (a filled range
   lo..hi around a line mid), on a plain axis whose y values are
   log10|dC/db_j| written as numbers (never ymode=log: 10^-434294916 is
   far beyond TeX's range).  So the plot of one network (the exact value
   and each format's replay, the formats' smallest normal and subnormal
   as levels) and the plot of a sweep (median line and quartile band
   over many networks, each format's median first-zero layer as a
   vertical level) use the same writer.

   Look.  Every line, level and band has a style index: 0 for the exact
   value, k >= 1 for format k (cycled over GC_PLOT_STYLES).  Style k has
   its own colour of the Okabe-Ito palette (safe for colour-blind
   readers), dash pattern and marker, so lines stay apart in greyscale
   print too.  The TikZ styles "gradchain exact", "gradchain format K",
   "gradchain level K" and "gradchain band K" (K = 0 ... 7), and the
   colours "gradchain-exact" and "gradchain-K", are defined only when the
   document has not defined them (\pgfkeysifdefined and \providecolor):
   an author restyles them with \tikzset{gradchain format 1/.style=...}
   or \definecolor{gradchain-1}{...} before \input.  Markers are drawn
   on about 12 points of a line (mark repeat).

   Size.  A line or band of more than GC_PLOT_MAX_POINTS points is
   thinned: every s-th point, s = ceil(len / GC_PLOT_MAX_POINTS), counted
   from its first, plus its last point and every point whose x is where
   a line (any series) starts or stops, so a figure of a deep chain stays
   within pdflatex's memory and every stop is drawn where it is.

   Axis.  x spans the data and the vertical levels; y spans the lines and
   bands, and the horizontal levels that lie within the data's y range
   widened on each side by its height (at least 5 units); the other
   horizontal levels are left out and listed in a comment.  Level labels
   sit outside the axis (right of it for horizontal levels, above it,
   rotated, for vertical ones), spread apart so that they never overlap,
   each with a leader line to its level.  The axis box is width x height
   (scale only axis); the labels take about 3.5 cm more.  The legend
   stands below the x label, unframed, in as many columns as fit in
   width + 2 cm.  Ticks are in fixed notation; the x tick distance is the
   least of 1, 2, 5, 10, ... that leaves room for the widest label.  A
   single x spans x - 0.5 .. x + 0.5. */

/* The most points of a line or band before it is thinned. */
#define GC_PLOT_MAX_POINTS 2000

/* The number of format styles; style k > GC_PLOT_STYLES is style
   1 + (k - 1) mod GC_PLOT_STYLES. */
#define GC_PLOT_STYLES 7

/* A line through (x[i], y[i]), i = 0 .. len - 1 (finite values), in
   the order given; *label* is its legend entry, plain UTF-8 text
   (escaped for LaTeX), or NULL for none.  A line of len 0 (x and y may
   be NULL) draws nothing but its legend entry, in its style, so that a
   format with no point to draw is still named. */
typedef struct
{
    const char * label;
    const double * x;
    const double * y;
    slong len;
    int style;
} gc_plot_series_struct;

/* The line y = value (or x = value when *vertical*) across the axis,
   with a label (plain UTF-8 text, escaped; NULL: none). */
typedef struct
{
    double value;
    int vertical;
    const char * label;
    int style;
} gc_plot_level_struct;

/* The band lo[i] .. hi[i] at x[i] (i = 0 .. len - 1, len >= 1, lo <= hi)
   filled, and the line through mid[i] (NULL: none); *label* is the
   legend entry of the band and *mid_label* of the line (plain text,
   NULL: none). */
typedef struct
{
    const char * label;
    const char * mid_label;
    const double * x;
    const double * lo;
    const double * mid;
    const double * hi;
    slong len;
    int style;
} gc_plot_band_struct;

typedef struct
{
    gc_lang_t lang;     /* en: 0.5 and 1,000; pt: 0,5 and 1.000 */
    int standalone;     /* a complete document, not a fragment */
    double width;       /* of the axis box, in cm (> 0) */
    double height;      /* of the axis box, in cm (> 0) */
    const char * xlabel; /* LaTeX; NULL: layer $j$ (pt: camada $j$) */
    const char * ylabel; /* LaTeX; NULL: $\log_{10}|\partial C/\partial
                            b_j|$ */
    const gc_plot_series_struct * series;
    slong nseries;
    const gc_plot_level_struct * levels;
    slong nlevels;
    const gc_plot_band_struct * bands;
    slong nbands;
} gc_plot_struct;

typedef gc_plot_struct gc_plot_t[1];

/* Sets *p* to an empty English fragment of 5.5 cm x 5.5 cm (with the
   labels, it fits the 345 pt text width of an A4 article). */
void gc_plot_init(gc_plot_t p);

/* Returns GC_SUCCESS if *p* can be drawn, else GC_INVALID with an
   English reason in *why* (when not NULL): no line with points and no
   band, a negative count or length, a band of length 0, a NULL array
   with points, a value that is not finite, lo > hi,
   a negative style, a size that is not positive, an unknown
   language. */
int gc_plot_check(const gc_plot_t p, const char ** why)
    GC_WARN_UNUSED_RESULT;

/* Writes the figure *p* to *f*: with p->standalone a complete document
   (article, paper cut to the figure, T1 fontenc, utf8 inputenc, lmodern
   when installed, pgfplots with compat=1.18), otherwise a fragment whose
   first comment lines say what the including document needs
   (\usepackage{pgfplots} with \pgfplotsset{compat=1.18}, and utf8 input
   for the accents of pt) and how to restyle it; the fragment is one
   tikzpicture.  Returns GC_SUCCESS, or GC_INVALID if gc_plot_check
   fails (nothing is written) or a write failed (check errno). */
int gc_plot_write(FILE * f, const gc_plot_t p) GC_WARN_UNUSED_RESULT;

/* As gc_plot_write, into a new string *res* (free with flint_free; NULL
   on failure). */
int gc_plot_get_str(char ** res, const gc_plot_t p) GC_WARN_UNUSED_RESULT;

/* The words a caller puts in labels, in each language. */
typedef enum
{
    GC_PLOT_WORD_EXACT = 0,    /* exact / exato */
    GC_PLOT_WORD_MIN_NORMAL,   /* min. normal / mín. normal */
    GC_PLOT_WORD_MIN_SUBNORMAL,/* min. subnormal / mín. subnormal */
    GC_PLOT_WORD_MEDIAN,       /* median / mediana */
    GC_PLOT_WORD_QUARTILES,    /* quartiles / quartis */
    GC_PLOT_WORD_MEDIAN_ZERO,  /* median first zero / mediana do primeiro
                                  zero */
    GC_PLOT_WORD_LOST_AT,      /* lost at layer / perdido na camada */
    GC_PLOT_WORD_NO_VALUE      /* no nonzero value / nenhum valor não nulo */
} gc_plot_word_t;

#define GC_PLOT_WORDS 8

/* Returns the word *w* in *lang* (UTF-8 plain text). */
const char * gc_plot_word(gc_lang_t lang, gc_plot_word_t w);

/* ---- wide layers (wide.c) ---------------------------------------------- */

/* Returns 1 if the gradient *e* (gc_wexpr_set_grad) can be written in
   the form *form*: AUTO, EXPANDED and ELIDED always; COMPACT and GROUPED
   for the matrix form only (the pairs (W^k)^T S'(z^k); the sums of an
   entry nest).  Else 0. */
int gc_wexpr_form_is_valid(const gc_wexpr_t e, gc_form_t form);

/* Writes the gradient *e* of wide layers to *f* in the format and form
   of *o*: the equation  dC/db^J = S'(z^J) (W^{J+1})^T ... grad_a C
   (dC/dW^J, dC/db^J_i, dC/dw^J_{i,j} likewise) followed by a newline,
   or, when *lhs* is 0, the product alone on one line without newline.
   Layers are superscripts (z^{3}; in text z³), entries subscripts in
   LaTeX (w^{3}_{k_{3},k_{2}}) and brackets in text and ASCII
   (w³[k₃,k₂], w^3[k_3,k_2]); S'(z^l) is \Sigma'(z^{l}) for the
   sigmoid and \operatorname{diag}\bigl(f'(z^{l})\bigr) for the others
   (f' named as in the chain: \tanh', f_{3}', ...); sums are
   \sum_{k_{l}=1}^{n}.  COMPACT writes runs of two or more pairs as
   \left(\prod_{k=m}^{n} (W^{k})^{T}\,\Sigma'(z^{k})\right), followed by
   the note "(k = m, ..., n from left to right)", since the factors do
   not commute; ELIDED keeps o->head pieces, \cdots, and o->tail pieces
   (a piece is a factor, or a sum with the factors it starts with), and
   on one line (no breaks) fewer of them while the line passes o->width,
   down to the first and the last sum with what precedes and follows
   them.  AUTO
   is EXPANDED when the equation fits in o->width characters of the text
   form or o->breaks is set, else COMPACT for the matrix form and ELIDED
   for an entry.  Line breaking
   (multline, split, continuation lines) applies as for the chain, with
   no \times at the breaks.  In LaTeX, *label* (NULL: none; else a
   prefix that gc_doc_label_is_valid accepts, or gc_throw aborts) labels
   the equation LABEL:matrix or LABEL:entry.  The ASCII form is not read
   back.  Returns GC_SUCCESS, or GC_INVALID if the form is not valid for
   e (nothing is written) or a write failed (check errno). */
int gc_wexpr_write(FILE * f, const gc_wexpr_t e, const gc_print_opts_t o,
                   int lhs, const char * label) GC_WARN_UNUSED_RESULT;

/* Returns the text gc_wexpr_write would write without label (free with
   flint_free), or NULL if the form is not valid for e. */
char * gc_wexpr_get_str(const gc_wexpr_t e, const gc_print_opts_t o,
                        int lhs);

/* The derivation document of layers of *width* neurons (a number >= 2,
   or a letter GC_SYM_INDEX(c) for a symbolic width): for the parameter
   d->param (bJ or wJ with a layer number) of the shape d->shape, the
   network and the gradient in matrix form (label PREFIX:matrix) with a
   sentence on S'(z^l), the transpose and the order of the factors; the
   entry-wise nested sum for neuron *row* (0: the letter i) of a bias, or
   the weight from neuron *col* (0: j) to neuron *row* (PREFIX:entry);
   and the remark that one neuron per layer gives the chain's product
   (PREFIX:chain); then, as the chain's document, the parts asked
   (d->parts, or the product, the cascade, and the comparison and plot
   asked): the cascade of backpropagation in matrix form (delta^L down
   to delta^J, numbered, elided as the chain's per d->cascade), the
   comparison with the biases of layer d->compare (the extra factors in
   d->color, the bound of the norm), the figure (d->figure: the network
   as columns of neurons, every neuron joined to every neuron of the
   next layer, the middle layers elided past d->textwidth, layer J's
   column thick and in d->color; a float with d->floats, PREFIX:figure),
   and the chain's plot (a float with d->floats, PREFIX:plot).  Of *d*
   it uses the shape, the parameter, the
   language, standalone, the label (NULL: the chain's derived prefix,
   gc_doc_get_label, followed by "-nN" and, for numbered entries, "-iI"
   and "-jJ"), the headings, the form of the matrix form (auto: every
   factor when that takes at most 4 lines at d->textwidth, else the
   \prod; the entry is written whole or elided), the line breaking
   (multline unless split), the text width, and the text height (of the
   standalone page).  A standalone document is an A4 article as for
   gc_doc_write (amsmath only).  gc_doc_wide_check returns GC_SUCCESS if
   the request is valid, else GC_INVALID with an English reason in *why*
   (when not NULL): gc_doc_check fails, the width is 1 (the chain:
   gc_doc_write), the general part is asked (the chain's), or
   gc_wexpr_set_grad refuses the gradient.  The writers return GC_INVALID when the check fails
   (nothing is written) or a write failed; gc_doc_wide_get_label returns
   the prefix (free with flint_free) and aborts through gc_throw when
   the check fails. */
int gc_doc_wide_check(const gc_doc_t d, slong width, slong row, slong col,
                      const char ** why) GC_WARN_UNUSED_RESULT;
char * gc_doc_wide_get_label(const gc_doc_t d, slong width, slong row,
                             slong col);
int gc_doc_wide_write(FILE * f, const gc_doc_t d, slong width, slong row,
                      slong col) GC_WARN_UNUSED_RESULT;
int gc_doc_wide_get_str(char ** res, const gc_doc_t d, slong width,
                        slong row, slong col) GC_WARN_UNUSED_RESULT;

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_LATEX_H */
