/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* sink.c -- the output of the printers: a stream or a growing string. */

#include <stdarg.h>
#include <string.h>

#include "gradchain.h"
#include "latex/latex-impl.h"

void
gc_sink_init_file(gc_sink_t s, FILE * f)
{
    s->f = f;
    s->alloc = GC_SINK_FILE_BUF;
    s->buf = flint_malloc(s->alloc);
    s->len = 0;
    s->idx = -1;
    s->error = 0;
}

void
gc_sink_init_str(gc_sink_t s)
{
    s->f = NULL;
    s->alloc = 256;
    s->buf = flint_malloc(s->alloc);
    s->len = 0;
    s->idx = -1;
    s->error = 0;
}

char *
gc_sink_take_str(gc_sink_t s)
{
    char * r = s->buf;

    r[s->len] = '\0';
    s->buf = NULL;
    s->len = 0;
    s->alloc = 0;
    return r;
}

/* Writes the buffer of a stream sink to its stream, recording a short
   write; after one, the rest of the output is dropped. */
static void
sink_flush(gc_sink_t s)
{
    if (s->f != NULL && s->len > 0)
    {
        if (!s->error && fwrite(s->buf, 1, s->len, s->f) != s->len)
            s->error = 1;
        s->len = 0;
    }
}

int
gc_sink_clear(gc_sink_t s)
{
    sink_flush(s);
    flint_free(s->buf);
    s->buf = NULL;
    return s->error || (s->f != NULL && ferror(s->f)) ? GC_INVALID
                                                       : GC_SUCCESS;
}

int
gc_sink_run(FILE * f, char ** res, gc_sink_writer_t writer, const void * obj)
{
    gc_sink_t s;

    if (res == NULL)
        gc_sink_init_file(s, f);
    else
        gc_sink_init_str(s);
    writer(s, obj);
    if (res == NULL)
        return gc_sink_clear(s);
    *res = gc_sink_take_str(s);
    return GC_SUCCESS;
}

void
gc_sink_fit(gc_sink_t s, size_t n)
{
    sink_flush(s);
    if (n >= s->alloc - s->len)
    {
        size_t a = FLINT_MAX(2 * s->alloc, s->len + n + 1);

        s->buf = flint_realloc(s->buf, a);
        s->alloc = a;
    }
}

void
gc_sink_printf(gc_sink_t s, const char * fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        gc_throw("gc_sink_printf: bad format");
    if ((size_t) n < sizeof small)
    {
        gc_sink_putn(s, small, n);
    }
    else
    {
        char * big = flint_malloc(n + 1);

        va_start(ap, fmt);
        vsnprintf(big, n + 1, fmt, ap);
        va_end(ap);
        gc_sink_putn(s, big, n);
        flint_free(big);
    }
}

int
gc_sink_template(gc_sink_t s, const char ** t, int nargs)
{
    const char * p = *t, * q;

    while ((q = strchr(p, '%')) != NULL && q[1] == '%')
    {
        gc_sink_putn(s, p, q - p + 1);
        p = q + 2;
    }
    if (q == NULL)
    {
        gc_sink_puts(s, p);
        *t = p + strlen(p);
        return 0;
    }
    if (q[1] < '1' || q[1] > '0' + FLINT_MIN(nargs, 9))
        gc_throw("gc_sink_template: bad placeholder in \"%s\"", *t);
    gc_sink_putn(s, p, q - p);
    *t = q + 2;
    return q[1] - '0';
}
