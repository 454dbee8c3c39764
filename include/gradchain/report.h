/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/report.h -- printing numbers with their exact exponent, and
   streaming tables as aligned text, CSV or JSON.
   Included by gradchain.h; do not include it directly. */

#ifndef GRADCHAIN_REPORT_H
#define GRADCHAIN_REPORT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Returns *x* rounded to nearest with *digits* >= 1 significant decimal
   digits in scientific notation with its exact decimal exponent, e.g.
   "-7.726414044520839121092820459676466575470e-4" or "7.176e+600" (the
   exponent always has its sign, as with printf %e);
   "0", "-0", "inf", "-inf" and "nan" for the special values.  The string
   is freed with flint_free. */
char * gc_mpfr_get_str_sci(const mpfr_t x, slong digits);

/* As gc_mpfr_get_str_sci, rounding in the direction *rnd* (MPFR_RNDU
   prints an upper bound as an upper bound). */
char * gc_mpfr_get_str_sci_round(const mpfr_t x, slong digits,
                                 mpfr_rnd_t rnd);

/* Output formats of a report. */
typedef enum
{
    GC_REPORT_TEXT = 0, /* aligned columns for people, '#' comment lines */
    GC_REPORT_CSV,      /* RFC 4180 CSV, a header row, no comments */
    GC_REPORT_JSON      /* one JSON document (written with jansson) */
} gc_report_format_t;

/* The name table (see gradchain.h) of the report formats: "text", "csv",
   "json". */
int gc_report_format_set_str(gc_report_format_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_report_format_name(gc_report_format_t fmt);
const char * const * gc_report_format_names(void);

/* Kinds of column: integers become JSON numbers; GC_COL_NUM cells are
   numbers given as text with at most GC_REPORT_NUM_DIGITS significant
   digits (printf "%.15g"), printed as given in text and CSV and as JSON
   numbers (integers as integers, others as reals printed with
   GC_REPORT_NUM_DIGITS digits, so the same number; a text that is no
   finite number stays a JSON string); everything else is a JSON string
   (decimal exponents can exceed any binary64). */
typedef enum
{
    GC_COL_INT = 0,
    GC_COL_STR,
    GC_COL_NUM
} gc_col_kind_t;

/* The significant digits of GC_COL_NUM cells: 15 decimal digits survive
   the round trip through binary64. */
#define GC_REPORT_NUM_DIGITS 15

typedef struct
{
    const char * name; /* CSV header and JSON key */
    const char * title; /* text header (NULL: name) */
    gc_col_kind_t kind;
    int width;          /* text: minimum width; negative: left-aligned */
} gc_col_struct;

/* A table streamed row by row, so that a million layers need no more
   memory than one.  The JSON form is
       {"meta": {KEY: VALUE, ...}, "rows": [{NAME: CELL, ...}, ...]}
   with further sections added by gc_report_section; the text form prints
   meta entries as "# KEY: VALUE" lines above an aligned table. */
typedef struct
{
    FILE * out;
    gc_report_format_t format;
    const gc_col_struct * cols;
    slong ncols;
    slong nrows;
    const char * name; /* JSON key of the current table */
    void * meta;   /* json_t object (JSON) */
    int started;
    int status;    /* GC_INVALID after a write error */
} gc_report_struct;

typedef gc_report_struct gc_report_t[1];

/* Starts a report on *out* in *format* with the columns cols[0..ncols). */
void gc_report_init(gc_report_t r, FILE * out, gc_report_format_t format,
                    const gc_col_struct * cols, slong ncols);

/* Adds a metadata entry, before the first row.  *value* is a string;
   gc_report_meta_int adds an integer. */
void gc_report_meta(gc_report_t r, const char * key, const char * value);
void gc_report_meta_int(gc_report_t r, const char * key, slong value);

/* Writes one row: cells[0..ncols) as text (integers in decimal).  A NULL
   cell is an absent value: "-" in text, an empty field in CSV, null in
   JSON. */
void gc_report_row(gc_report_t r, const char * const * cells);

/* Starts a new table with other columns in the same report (text: a blank
   line then a new header; CSV: a blank line then a new header; JSON: a
   new array under key *name*).  Before the first row it renames and
   redefines the first table instead, which is then the only one. */
void gc_report_section(gc_report_t r, const char * name,
                       const gc_col_struct * cols, slong ncols);

/* Finishes the report and frees it.  Returns GC_SUCCESS, or GC_INVALID if
   a write failed. */
int gc_report_clear(gc_report_t r) GC_WARN_UNUSED_RESULT;

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_REPORT_H */
