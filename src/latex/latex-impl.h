/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* latex-impl.h -- private pieces of the printers: the output sink (a
   FILE * or a growing string) and the factor and product writers. */

#ifndef GC_LATEX_IMPL_H
#define GC_LATEX_IMPL_H

#include <string.h>

#include "gc-impl.h"

/* The bytes an index takes at most: 19 digits of a slong, 3 bytes each in
   text, or braces in LaTeX. */
#define GC_INDEX_MAX 64

/* Where printers write: a string grown by doubling (so the total cost
   stays linear), or a stream through a buffer of GC_SINK_FILE_BUF bytes
   written out when full and by gc_sink_clear.  Writing a piece costs one
   comparison and one memcpy: printing 10^6 factors is a loop over such
   writes. */
typedef struct
{
    FILE * f;     /* NULL: a string sink */
    int error;    /* 1 after a short write to f */
    char * buf;
    size_t len;
    size_t alloc; /* > len: room for the final NUL of a string */
    /* the last index written (-1: none), so that the next one, k again
       or k + 1 in a product, costs a copy or an increment instead of a
       division per digit */
    slong idx;
    gc_print_format_t idx_format;
    size_t idx_len;
    char idx_str[GC_INDEX_MAX];
} gc_sink_struct;

typedef gc_sink_struct gc_sink_t[1];

#define GC_SINK_FILE_BUF 65536

void gc_sink_init_file(gc_sink_t s, FILE * f);
void gc_sink_init_str(gc_sink_t s);

/* Returns the string written to a string sink (NUL-terminated, free with
   flint_free) and leaves the sink empty. */
char * gc_sink_take_str(gc_sink_t s);

/* Writes out what a stream sink holds, and frees the buffer of the sink.
   Every gc_sink_init_file is matched by a gc_sink_clear.  Returns
   GC_SUCCESS, or GC_INVALID if a write to the stream failed (a short
   fwrite, or the error indicator of the stream is set); a string sink
   always returns GC_SUCCESS. */
int gc_sink_clear(gc_sink_t s);

/* Writes an object with *writer*: to the stream *f* when *res* is NULL,
   returning gc_sink_clear's status, else into a new string in *res*
   (free with flint_free), returning GC_SUCCESS.  The one place where a
   module's FILE and string entry points meet. */
typedef void (*gc_sink_writer_t)(gc_sink_t s, const void * obj);
int gc_sink_run(FILE * f, char ** res, gc_sink_writer_t writer,
                const void * obj);

/* Makes room for *n* more bytes: s->alloc - s->len > n afterwards (a
   stream sink writes out its buffer first). */
void gc_sink_fit(gc_sink_t s, size_t n);

/* Returns where *n* bytes can be written; the writer then advances
   s->len by the number it wrote (at most n). */
GC_INLINE char *
gc_sink_room(gc_sink_t s, size_t n)
{
    if (n >= s->alloc - s->len)
        gc_sink_fit(s, n);
    return s->buf + s->len;
}

GC_INLINE void
gc_sink_putn(gc_sink_t s, const char * str, size_t n)
{
    memcpy(gc_sink_room(s, n), str, n);
    s->len += n;
}

GC_INLINE void
gc_sink_puts(gc_sink_t s, const char * str)
{
    gc_sink_putn(s, str, strlen(str));
}

void gc_sink_printf(gc_sink_t s, const char * fmt, ...) GC_PRINTF(2, 3);

/* Templates: text with the placeholders %1 ... %9, which the caller
   writes in whatever order and as often as the template has them, so a
   translation can move them; "%%" is a percent sign.  The caller fills a
   template *t* of *nargs* arguments with

       while ((n = gc_sink_template(s, &t, nargs)) != 0)
           (write argument n: a number, a formula, another template)

   gc_sink_template writes *t up to its next placeholder, moves *t past
   it and returns its number; at the end of the template it returns 0.
   A '%' followed by anything but a digit 1 ... nargs or '%' aborts
   through gc_throw. */
int gc_sink_template(gc_sink_t s, const char ** t, int nargs);

/* The index "k" of a \prod template; any letter index GC_SYM_INDEX(c)
   prints as the letter c. */
#define GC_INDEX_K GC_SYM_INDEX('k')

/* The Unicode subscript of the letter c, one of GC_SYM_INDEX_LETTERS or
   k (UTF-8); aborts through gc_throw for any other. */
const char * gc_index_letter_sub(char c);

/* Writes k in Unicode superscript digits (the text form of \prod). */
void gc_sup_write_sink(gc_sink_t s, slong k);

/* Writes the general formula of gc_general_write (p symbolic, s valid);
   in LaTeX, with \label{LABEL:general-b} and \label{LABEL:general-w}
   on the lines of dC/db_j and dC/dw_j when *label* is not NULL. */
void gc_general_write_sink(gc_sink_t s, const gc_param_t p,
                           const gc_shape_t shape, gc_print_format_t format,
                           int lhs, const char * label);

/* Writes the factor *fac* in *format*; a letter index prints as the
   letter. */
void gc_factor_write_sink(gc_sink_t s, const gc_factor_struct * fac,
                          gc_print_format_t format);

/* The estimated width in pt of the LaTeX math *t* at 10 pt (see
   width.c: it errs on the wide side by a few points), and of factor *f*
   written in LaTeX. */
double gc_tex_str_width(const char * t);
double gc_factor_pt(const gc_factor_struct * f);

/* Returns the number of characters gc_factor_write_sink writes for *fac*
   in *format*, GC_PRINT_TEXT or GC_PRINT_ASCII (the formats that measure
   line widths), without writing it. */
slong gc_factor_width(const gc_factor_struct * fac,
                      gc_print_format_t format);

/* Writes the index k of a subscript in *format* (Unicode subscript digits
   for text). */
void gc_index_write_sink(gc_sink_t s, slong k, gc_print_format_t format);

/* Writes the factors [start, start + n) of *e* in the form of *o*
   (no line breaks). */
void gc_expr_write_range_sink(gc_sink_t s, const gc_expr_t e, slong start,
                              slong n, const gc_print_opts_t o);

/* As gc_expr_write_range_sink, breaking the line (writing *breaks*
   instead of the separator) where a run of factors would pass o->width,
   the lines as even as they can be; the first line has *used*
   characters already, the others 6.  A run that would pass o->width on
   a line of its own is broken against the rules (the last factor alone,
   f'(z_k) apart from the factor before it, but never an ellipsis at the
   end of a line): a document's line never passes its margin. */
void gc_expr_write_lines_sink(gc_sink_t s, const gc_expr_t e, slong start,
                              slong n, const gc_print_opts_t o,
                              const char * breaks, slong used);

/* The width, in characters of the text form, of factors [start, start +
   n) of *e* written on one line in the form of *o*. */
slong gc_expr_width(const gc_expr_t e, slong start, slong n,
                    const gc_print_opts_t o);

/* The form in which *o* writes all of *e*: o->form, but for AUTO the
   form it chooses (ELIDED when the factors pass o->width on one line
   without breaks, else EXPANDED), and EXPANDED for an ELIDED product too
   short to elide. */
gc_form_t gc_expr_form(const gc_expr_t e, const gc_print_opts_t o);

/* Writes dC/dp_j (p_j the parameter *p*) in *format*: the left-hand side
   of an equation. */
void gc_lhs_write_sink(gc_sink_t s, const gc_param_t p,
                       gc_print_format_t format);

/* Writes the equation of gc_expr_write_equation, with
   \label{LABEL:product} in LaTeX when *label* is not NULL; when *relax*,
   its lines are broken as gc_expr_write_lines_sink's. */
void gc_equation_write_sink(gc_sink_t s, const gc_param_t p,
                            const gc_expr_t e, const gc_print_opts_t o,
                            const char * label, int relax);

/* Returns the message *id* (0, 1, ...) of the derivation document in
   *lang*, a template of gc_sink_template, or NULL past the last message:
   for tests/check_latex.c, which checks every translation against the
   English one. */
const char * gc_doc_message(gc_lang_t lang, int id);

/* Writes the gradient of wide layers as gc_wexpr_write does (labelled
   LABEL:matrix or LABEL:entry when *label* is not NULL; the note of the
   order of a \prod only when *note*), breaking lines at o->width
   characters of the text form, or, when *textwidth* > 0, at *textwidth*
   points of LaTeX (less the room of multline's indent and of the
   equation number) as gc_tex_str_width estimates them.  The form AUTO
   is EXPANDED when that takes one line without breaks, or with breaks
   at most *max_lines* lines (0: any number), else COMPACT for the
   matrix form and ELIDED for an entry.  Returns the form written. */
gc_form_t gc_wexpr_write_sink(gc_sink_t s, const gc_wexpr_t e,
                              const gc_print_opts_t o, int lhs,
                              const char * label, double textwidth,
                              slong max_lines, int note);

/* The first lines of a standalone derivation (document.c): article,
   T1 fontenc, utf8 inputenc, lmodern when installed, babel *babel*,
   geometry (A4 with 2.5 cm margins, or the text width *textwidth* in
   points on a page at least A4 wide, with the text height *textheight*
   when not 0), amsmath. */
void gc_doc_standalone_head_sink(gc_sink_t s, const char * babel,
                                 double textwidth, double textheight);

/* Opens the starred heading *h* (with \boldmath when *bold*) and returns
   1, for the caller to write its text and "}\n"; returns 0 for
   GC_DOC_HEADING_NONE, writing nothing. */
int gc_doc_heading_open_sink(gc_sink_t s, gc_doc_heading_t h, int bold);

/* The colours of a comparison's extra and shared factors, and their
   \providecolor lines (document.c). */
#define GC_DOC_EXTRA_COLOR "gradchain-extra"
#define GC_DOC_SHARED_COLOR "gradchain-shared"
void gc_doc_colors_provide_sink(gc_sink_t s);

/* The plot part of the chain's document *d* (the derivative of its
   activation, in d->lang, with d->heading, colours and floats), its
   labels prefixed *label* (at most 255 characters): the plot of the
   document of wide layers, which is the chain's. */
void gc_doc_plot_write_sink(gc_sink_t s, const gc_doc_struct * d,
                            const char * label);

/* The parts (GC_DOC_PART_BIT) that the document *d* writes: d->parts,
   or by default the product, the cascade, and the comparison, figure
   and plot asked for (document.c; wide-doc.c, whose product is the
   matrix form, the entry and the chain, and whose figure is the
   network's columns). */
unsigned gc_doc_parts(const gc_doc_struct * d);

/* Adds neuron (or column) *m* to the sorted *keep*[0, *n*) unless it
   is there or out of [1, L]: the elision of the figures (document.c). */
void gc_doc_fig_keep(slong * keep, slong * n, slong m, slong L);

/* As gc_doc_message, for the document of wide layers (wide-doc.c). */
const char * gc_doc_wide_message(gc_lang_t lang, int id);

#endif /* GC_LATEX_IMPL_H */
