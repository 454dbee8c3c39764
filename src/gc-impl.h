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

/* Name tables.  Every enumeration of the library that has names (the
   activations, costs, sequences, forms, languages, ...) keeps them in one
   static NULL-terminated array indexed by the enumeration's value, so that
   parsing, printing and the lists in messages come from the same table.
   GC_NAMES_DEFINE(gc_X, type, "a", "b", ...) defines that table and the
   public functions gc_X_names (the table) and gc_X_name (one name, with
   gc_throw for a value out of range); GC_NAMES_SET_STR(gc_X, type) adds
   gc_X_set_str, the exact inverse of gc_X_name. */
#define GC_NAMES_DEFINE(pre, type, ...)                                     \
    static const char * const pre##_table[] = {__VA_ARGS__, NULL};          \
    const char * const *                                                    \
    pre##_names(void)                                                       \
    {                                                                       \
        return pre##_table;                                                 \
    }                                                                       \
    const char *                                                            \
    pre##_name(type v)                                                      \
    {                                                                       \
        return gc_name_get(pre##_table, (int) v, #pre "_name");             \
    }

#define GC_NAMES_SET_STR(pre, type)                                         \
    int                                                                     \
    pre##_set_str(type * res, const char * str)                             \
    {                                                                       \
        int i;                                                              \
                                                                            \
        if (gc_name_lookup(&i, str, pre##_table) != GC_SUCCESS)             \
            return GC_INVALID;                                              \
        *res = (type) i;                                                    \
        return GC_SUCCESS;                                                  \
    }

/* Sets *res* to the position of *str* in the NULL-terminated table
   *names*; returns GC_SUCCESS, or GC_INVALID (res unchanged) if absent.
   Defined in src/util.c. */
int gc_name_lookup(int * res, const char * str, const char * const * names)
    GC_WARN_UNUSED_RESULT;

/* Returns names[i], or aborts through gc_throw naming *fn* when i is not
   a position of the NULL-terminated table *names*.  Defined in
   src/util.c. */
const char * gc_name_get(const char * const * names, int i, const char * fn);

#endif /* GC_IMPL_H */
