/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/*
    gradchain.h -- the public interface of libgradchain (umbrella header).

    A chain of L layers, one neuron each:
        z_j = w_j a_{j-1} + b_j,   a_j = f_j(z_j),   C = cost(a_L, y)
    dC/db_j = f_j'(z_j) * prod_{k=j+1..L} (w_k f_k'(z_k)) * dC/da_L,
    dC/dw_j = a_{j-1} dC/db_j.

    Conventions (FLINT): types use the array-of-one idiom gc_X_t; every
    gc_X_init is matched by gc_X_clear; outputs come first, then inputs,
    then context (precision, flags).  Fallible functions return OR-able
    status flags (GC_SUCCESS, GC_DOMAIN, GC_UNABLE, GC_INVALID).  The library
    never prints to stdout and never calls exit(); programmer errors abort
    through gc_throw().
*/

#ifndef GRADCHAIN_H
#define GRADCHAIN_H

#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>
#include <flint/flint.h>
#if __FLINT_RELEASE >= 30000
#include <flint/arb.h>
#else
#include <arb.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define GRADCHAIN_VERSION_MAJOR 0
#define GRADCHAIN_VERSION_MINOR 1
#define GRADCHAIN_VERSION_PATCH 0
#define GRADCHAIN_VERSION "0.1.0"

/* Status flags, OR-able (FLINT gr style). */
#define GC_SUCCESS 0 /* the result is correct */
#define GC_DOMAIN 1  /* mathematically undefined (0/0, log of x <= 0, NaN) */
#define GC_UNABLE 2  /* not decidable at the given or maximum precision,
                        or not implemented for this input */
#define GC_INVALID 4 /* bad user data: text that does not parse, bad spec */

#if defined(__GNUC__)
#define GC_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#define GC_NORETURN __attribute__((noreturn))
#define GC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GC_WARN_UNUSED_RESULT
#define GC_NORETURN
#define GC_PRINTF(a, b)
#endif

#ifdef GC_INLINES_C
#define GC_INLINE
#else
#define GC_INLINE static inline
#endif

/* Returns the version string of the library that is linked, "x.y.z". */
const char * gc_version(void);

/* Returns a static English message for the status flags *status* (the
   most severe flag wins): "success", "domain error", ... */
const char * gc_status_str(int status);

/* Aborts with the message "gradchain: <msg>" on stderr.  Used for
   programmer errors (index out of range, broken invariants), in the style
   of flint_throw. */
GC_NORETURN void gc_throw(const char * fmt, ...) GC_PRINTF(1, 2);

/* Widens MPFR's exponent range to the maximum the build supports
   (mpfr_get_emin_min .. mpfr_get_emax_max), so that 2^-2000000 and
   10^-434294916 are ordinary numbers in the caller's own variables.  The
   evaluators do not need it: they work in the widest range and leave
   the caller's range and flags as found (a result the caller's range
   cannot hold is reported as GC_UNABLE).  Calling it more than once is
   harmless.  The range is per thread in a thread-safe MPFR build. */
void gc_mpfr_widen_exponent_range(void);

/* Name tables.  Every enumeration with names has three functions, all
   from one table: gc_X_set_str(&v, str) parses a name (GC_SUCCESS or
   GC_INVALID), gc_X_name(v) returns the canonical name of v, and
   gc_X_names() returns every name, NULL-terminated, in the order of the
   enumeration's values (for a list in a message or a menu).
   gc_names_join returns the NULL-terminated list *names* joined by *sep*
   ("sigmoid, tanh, relu"); free it with flint_free. */
char * gc_names_join(const char * const * names, const char * sep);

#ifdef __cplusplus
}
#endif

#include "gradchain/net.h"
#include "gradchain/numeric.h"
#include "gradchain/formats.h"
#include "gradchain/wide.h"
#include "gradchain/ball.h"
#include "gradchain/fast.h"
#include "gradchain/report.h"
#include "gradchain/symbolic.h"
#include "gradchain/latex.h"
#include "gradchain/study.h"

#endif /* GRADCHAIN_H */
