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

#include "gc-impl.h"

/* Where printers write: a stream, or a string grown by doubling (so the
   total cost stays linear). */
typedef struct
{
    FILE * f;     /* NULL: write to buf */
    char * buf;
    size_t len;
    size_t alloc;
} gc_sink_struct;

typedef gc_sink_struct gc_sink_t[1];

void gc_sink_init_file(gc_sink_t s, FILE * f);
void gc_sink_init_str(gc_sink_t s);

/* Returns the string written to a string sink (NUL-terminated, free with
   flint_free) and leaves the sink empty. */
char * gc_sink_take_str(gc_sink_t s);

/* Frees a string sink's buffer (no-op for a stream). */
void gc_sink_clear(gc_sink_t s);

void gc_sink_puts(gc_sink_t s, const char * str);
void gc_sink_putn(gc_sink_t s, const char * str, size_t n);
void gc_sink_printf(gc_sink_t s, const char * fmt, ...) GC_PRINTF(2, 3);

/* The index "k" of a \prod template. */
#define GC_INDEX_K (-1)

/* Writes the factor *fac* in *format*; an index GC_INDEX_K prints as k. */
void gc_factor_write_sink(gc_sink_t s, const gc_factor_struct * fac,
                          gc_print_format_t format);

/* Writes the index k of a subscript in *format* (Unicode subscript digits
   for text). */
void gc_index_write_sink(gc_sink_t s, slong k, gc_print_format_t format);

/* Writes the factors [start, start + n) of *e* in the form of *o*
   (no line breaks). */
void gc_expr_write_range_sink(gc_sink_t s, const gc_expr_t e, slong start,
                              slong n, const gc_print_opts_t o);

/* Writes dC/dp_j (or, for p = GC_PARAM_B and j = 0, nothing) in *format*:
   the left-hand side of an equation. */
void gc_lhs_write_sink(gc_sink_t s, gc_sym_param_t p, slong j,
                       gc_print_format_t format);

/* Writes the equation of gc_expr_write_equation, with \label{label} in
   LaTeX when *label* is not NULL. */
void gc_equation_write_sink(gc_sink_t s, gc_sym_param_t p, slong j,
                            const gc_expr_t e, const gc_print_opts_t o,
                            const char * label);

#endif /* GC_LATEX_IMPL_H */
