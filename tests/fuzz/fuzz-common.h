/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* fuzz-common.h -- helpers shared by the libFuzzer targets in tests/fuzz
   (built by ./configure --enable-fuzzing CC=clang; see README.md). */

#ifndef GC_FUZZ_COMMON_H
#define GC_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradchain.h"

int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);

/* A failed oracle: print what and where, then abort so that libFuzzer
   saves the input as a crash artifact. */
#define GC_FUZZ_CHECK(cond, ...)                                          \
    do                                                                    \
    {                                                                     \
        if (!(cond))                                                      \
        {                                                                 \
            fprintf(stderr, "%s:%d: oracle failed: %s: ", __FILE__,       \
                    __LINE__, #cond);                                     \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
            abort();                                                      \
        }                                                                 \
    } while (0)

/* Returns a NUL-terminated copy of the *size* bytes at *data* (free it
   with free); *has_nul* tells whether the bytes held a NUL, in which case
   string functions see a shorter string. */
static inline char *
gc_fuzz_strdup(const uint8_t * data, size_t size, int * has_nul)
{
    char * s = malloc(size + 1);

    if (s == NULL)
        abort();
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    if (has_nul != NULL)
        *has_nul = memchr(s, '\0', size) != NULL;
    return s;
}

/* Checks the contract of a parse error: NUL-terminated, non-empty
   message. */
static inline void
gc_fuzz_check_error(const gc_parse_error_t err, const char * what)
{
    GC_FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL
                      && memchr(err->token, '\0', sizeof err->token) != NULL,
                  "%s: unterminated error", what);
    GC_FUZZ_CHECK(err->msg[0] != '\0', "%s: empty message", what);
}

#endif /* GC_FUZZ_COMMON_H */
