/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* report.c -- streaming tables as aligned text, CSV or JSON (jansson). */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gc-impl.h"

GC_NAMES_DEFINE(gc_report_format, gc_report_format_t, "text", "csv", "json")
GC_NAMES_SET_STR(gc_report_format, gc_report_format_t)

void
gc_report_init(gc_report_t r, FILE * out, gc_report_format_t format,
               const gc_col_struct * cols, slong ncols)
{
    r->out = out;
    r->format = format;
    r->cols = cols;
    r->ncols = ncols;
    r->nrows = 0;
    r->name = "rows";
    r->started = 0;
    r->status = GC_SUCCESS;
    r->meta = json_object();
    if (r->meta == NULL)
        gc_throw("gc_report_init: out of memory");
}

static void
report_meta_json(gc_report_t r, const char * key, json_t * v)
{
    if (r->started)
        gc_throw("gc_report_meta: metadata after the first row");
    if (v == NULL || json_object_set_new((json_t *) r->meta, key, v) != 0)
        gc_throw("gc_report_meta: out of memory");
}

void
gc_report_meta(gc_report_t r, const char * key, const char * value)
{
    if (r->format == GC_REPORT_TEXT)
    {
        if (fprintf(r->out, "# %s: %s\n", key, value) < 0)
            r->status = GC_INVALID;
    }
    else
        report_meta_json(r, key, json_string(value));
}

void
gc_report_meta_int(gc_report_t r, const char * key, slong value)
{
    if (r->format == GC_REPORT_TEXT)
    {
        if (fprintf(r->out, "# %s: %ld\n", key, (long) value) < 0)
            r->status = GC_INVALID;
    }
    else
        report_meta_json(r, key, json_integer((json_int_t) value));
}

static void
report_put(gc_report_t r, const char * s)
{
    if (fputs(s, r->out) < 0)
        r->status = GC_INVALID;
}

/* Appends one CSV field to p, quoted when it holds a comma, quote or
   newline (a quote doubled); returns the end.  *len* is strlen(s) and
   *plain* says that s needs no quotes. */
static char *
csv_field(char * p, const char * s, size_t len, int plain)
{
    if (plain)
    {
        memcpy(p, s, len);
        return p + len;
    }
    *p++ = '"';
    for (; *s != '\0'; s++)
    {
        if (*s == '"')
            *p++ = '"';
        *p++ = *s;
    }
    *p++ = '"';
    return p;
}

/* Appends a text cell to p: "  " before all but the first, padded with
   spaces to |width| (on the left for width > 0, as printf's %*s; on the
   right for width < 0, but not after the last column); returns the
   end. */
static char *
text_cell(char * p, const char * s, size_t len, int width, int first,
          int last)
{
    size_t w = (size_t) (width < 0 ? -width : width);
    size_t pad = (w > len && !(last && width < 0)) ? w - len : 0;

    if (!first)
    {
        memcpy(p, "  ", 2);
        p += 2;
    }
    if (width > 0)
    {
        memset(p, ' ', pad);
        p += pad;
    }
    memcpy(p, s, len);
    p += len;
    if (width < 0)
    {
        memset(p, ' ', pad);
        p += pad;
    }
    return p;
}

/* Writes a text or CSV line from the strings cells[0..ncols), built in
   one buffer and written by one fwrite: a stdio call per field cost more
   than the fields' digits. */
static void
report_line(gc_report_t r, const char * const * cells)
{
    int csv = (r->format == GC_REPORT_CSV);
    char stack[512];
    size_t lens[16];
    size_t * len = r->ncols <= 16 ? lens : flint_malloc(r->ncols
                                                        * sizeof(size_t));
    size_t size = 1;
    char * buf;
    char * p;
    slong i;

    /* at most 2 len + 2 per CSV field, len + 2 + |width| per text cell,
       and the newline */
    for (i = 0; i < r->ncols; i++)
    {
        const char * s = cells[i] != NULL ? cells[i] : csv ? "" : "-";
        int w = r->cols[i].width;

        len[i] = strlen(s);
        size += 2 * len[i] + 3 + (size_t) (w < 0 ? -w : w);
    }
    buf = size <= sizeof stack ? stack : flint_malloc(size);
    p = buf;
    for (i = 0; i < r->ncols; i++)
    {
        const char * s = cells[i] != NULL ? cells[i] : csv ? "" : "-";

        if (csv)
        {
            if (i > 0)
                *p++ = ',';
            p = csv_field(p, s, len[i],
                          strcspn(s, ",\"\r\n") == len[i]);
        }
        else
            p = text_cell(p, s, len[i], r->cols[i].width, i == 0,
                          i + 1 == r->ncols);
    }
    *p++ = '\n';
    if (fwrite(buf, 1, (size_t) (p - buf), r->out) != (size_t) (p - buf))
        r->status = GC_INVALID;
    if (buf != stack)
        flint_free(buf);
    if (len != lens)
        flint_free(len);
}

/* Writes the header of the current table (text, CSV) or opens its JSON
   array named r->name. */
static void
report_header(gc_report_t r)
{
    slong i;

    if (r->format == GC_REPORT_JSON)
    {
        if (!r->started)
        {
            report_put(r, "{\"meta\": ");
            if (json_dumpf((json_t *) r->meta, r->out,
                           JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
                r->status = GC_INVALID;
        }
        report_put(r, ", ");
        {
            json_t * key = json_string(r->name);
            char * k = json_dumps(key, JSON_ENCODE_ANY);

            if (k == NULL)
                gc_throw("gc_report: out of memory");
            report_put(r, k);
            free(k);
            json_decref(key);
        }
        report_put(r, ": [");
    }
    else
    {
        const char ** cells = flint_malloc(r->ncols * sizeof(char *));

        for (i = 0; i < r->ncols; i++)
            cells[i] = (r->format == GC_REPORT_TEXT && r->cols[i].title)
                           ? r->cols[i].title
                           : r->cols[i].name;
        report_line(r, cells);
        flint_free(cells);
    }
    r->started = 1;
    r->nrows = 0;
}

/* The JSON value of a GC_COL_NUM cell: an integer if the text is one, a
   real if it is a finite number, the text as a string otherwise. */
static json_t *
report_json_num(const char * text)
{
    char * end;
    long long n;
    double x;

    errno = 0;
    n = strtoll(text, &end, 10);
    if (*end == '\0' && end != text && errno == 0)
        return json_integer((json_int_t) n);
    x = strtod(text, &end);
    if (*end == '\0' && end != text && isfinite(x))
        return json_real(x);
    return json_string(text);
}

void
gc_report_row(gc_report_t r, const char * const * cells)
{
    slong i;

    if (!r->started)
        report_header(r);

    if (r->format != GC_REPORT_JSON)
    {
        report_line(r, cells);
        r->nrows++;
        return;
    }

    {
        json_t * row = json_object();

        for (i = 0; i < r->ncols; i++)
        {
            json_t * v;

            if (cells[i] == NULL)
                v = json_null();
            else if (r->cols[i].kind == GC_COL_INT)
                v = json_integer((json_int_t) strtoll(cells[i], NULL, 10));
            else if (r->cols[i].kind == GC_COL_NUM)
                v = report_json_num(cells[i]);
            else
                v = json_string(cells[i]);
            if (v == NULL || json_object_set_new(row, r->cols[i].name, v))
                gc_throw("gc_report_row: out of memory");
        }
        if (r->nrows > 0)
            report_put(r, ", ");
        if (json_dumpf(row, r->out, JSON_COMPACT | JSON_PRESERVE_ORDER
                                        | JSON_REAL_PRECISION(
                                            GC_REPORT_NUM_DIGITS))
            != 0)
            r->status = GC_INVALID;
        json_decref(row);
    }
    r->nrows++;
}

void
gc_report_section(gc_report_t r, const char * name,
                  const gc_col_struct * cols, slong ncols)
{
    int started = r->started;

    if (started)
        report_put(r, r->format == GC_REPORT_JSON ? "]" : "\n");
    r->cols = cols;
    r->ncols = ncols;
    r->name = name;
    if (started)
        report_header(r);
}

int
gc_report_clear(gc_report_t r)
{
    if (!r->started)
        report_header(r);
    if (r->format == GC_REPORT_JSON)
        report_put(r, "]}\n");
    json_decref((json_t *) r->meta);
    r->meta = NULL;
    return r->status;
}
