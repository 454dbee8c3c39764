/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* gc-test.h -- shared helpers of the Check programs: the test seed, the
   iteration multiplier, the path of reference data, and main(). */

#ifndef GC_TEST_H
#define GC_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <check.h>

#include "gradchain.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

/* Directory of the reference networks copied from the independent
   high-precision program (tests/data/ref). */
#define GC_TEST_REFDIR SRCDIR "/tests/data/ref"

/* The parameter of kind *k* (GC_PARAM_B or GC_PARAM_W) of layer *j*, as a
   temporary gc_param_t (a C99 compound literal) for a call. */
#define GC_TEST_PARAM(k, j) ((const gc_param_struct[1]){{(k), (j)}})

/* The initialiser of a gc_random_t: weights and biases i.i.d.
   N(mu, sd), no fan-in scaling, the seed (a run-time value is fine). */
#define GC_TEST_NORMAL(mu, sd, seed)                                        \
    {{{GC_DIST_NORMAL, {(mu), (sd)}}, {GC_DIST_NORMAL, {(mu), (sd)}},      \
      GC_FANIN_NONE, (seed)}}

/* The seed of the random tests: fixed by default (FLINT), overridden by
   GRADCHAIN_TEST_SEED; printed by every failure message. */
static inline ulong
gc_test_seed(void)
{
    const char * s = getenv("GRADCHAIN_TEST_SEED");

    return (s != NULL && *s != '\0') ? strtoul(s, NULL, 0) : 20261128UL;
}

/* Scales iteration counts: GRADCHAIN_TEST_MULTIPLIER (default 1). */
static inline slong
gc_test_iters(slong n)
{
    const char * s = getenv("GRADCHAIN_TEST_MULTIPLIER");
    double m = (s != NULL && *s != '\0') ? strtod(s, NULL) : 1.0;
    slong r = (slong) (n * m);

    return r < 1 ? 1 : r;
}

/* Reads the reference network tests/data/ref/NAME.net into *net*,
   failing the test if it cannot. */
static inline void
gc_test_read_ref_net(gc_net_t net, const char * name)
{
    char path[512];
    gc_parse_error_t err;
    FILE * f;
    int status;

    snprintf(path, sizeof path, "%s/%s.net", GC_TEST_REFDIR, name);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    status = gc_net_read(net, f, err);
    fclose(f);
    ck_assert_msg(status == GC_SUCCESS, "%s:%ld: %s", path, (long) err->line,
                  err->msg);
}

/* Initialises *state* from the test seed. */
static inline void
gc_test_randinit(flint_rand_t state)
{
    flint_randinit(state);
    flint_randseed(state, gc_test_seed(), gc_test_seed() ^ 0x9e3779b9UL);
}

/* 1 if Check runs each test in a child process, so that a test may end
   in a signal (not under CK_FORK=no, as for valgrind). */
static inline int
check_forks(void)
{
    const char * s = getenv("CK_FORK");

    return s == NULL || strcmp(s, "no") != 0;
}

/* Runs *suite*, prints Check's summary line, frees FLINT and MPFR caches,
   and returns the exit status of the test program. */
static inline int
gc_test_run(Suite * suite)
{
    SRunner * sr = srunner_create(suite);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    flint_cleanup();
    mpfr_free_cache();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* GC_TEST_H */
