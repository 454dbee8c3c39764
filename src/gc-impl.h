/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gc-impl.h -- private helpers of libgradchain (never installed). */

#ifndef GC_IMPL_H
#define GC_IMPL_H

#include "gradchain.h"

/* Checks 1 <= j <= len, aborting through gc_throw with the function name
   otherwise. */
#define GC_CHECK_LAYER(fn, j, len)                                          \
    do                                                                      \
    {                                                                       \
        if ((j) < 1 || (j) > (len))                                         \
            gc_throw("%s: layer %ld out of range 1..%ld", (fn), (long)(j),  \
                     (long)(len));                                          \
    } while (0)

/* Copies the printable part of [s, s+n) into dst (size GC_PARSE_TOKEN_MAX),
   replacing non-printable bytes by '?', and fills err's token and message.
   Defined in src/util.c. */
void _gc_parse_error_set(gc_parse_error_t err, slong line, const char * tok,
                         size_t n, const char * fmt, ...) GC_PRINTF(5, 6);

#endif /* GC_IMPL_H */
