/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_sweep_pieces.c -- a sweep run in pieces (sub-sweeps with shifted
   seeds), carried network by network through gc_sweep_pack and
   gc_sweep_unpack in any order, is the sweep run whole: every
   per-network array byte for byte; gc_sweep_keep_prefix. */

#include <string.h>

#include "gc-test.h"

#define PIECES_LAYERS 60
#define PIECES_SAMPLES 11

/* Asserts that the per-network arrays (each listed here, so that one that
   gc_sweep_pack leaves out shows), done and completed of *a* and *b* are
   the same. */
static void
pieces_assert_same(const gc_sweep_t a, const gc_sweep_t b)
{
    slong n = a->samples, per = a->nvariants * GC_EVENTS;

#define PIECES_SAME(f, count)                                               \
    ck_assert_msg(memcmp(a->f, b->f, (size_t) (count) * sizeof *a->f) == 0, \
                  #f " differs (seed %lu)", gc_test_seed())
    ck_assert_int_eq(b->samples, n);
    PIECES_SAME(layer, n * per);
    PIECES_SAME(scale_exp, n * a->nfmts);
    PIECES_SAME(base_lost, n * a->nfmts);
    PIECES_SAME(log10, n * a->ndepths);
    PIECES_SAME(ratio, n * a->nratios);
    PIECES_SAME(ratio_small, n * a->nratios);
    PIECES_SAME(factor, n * (a->layers - 1));
    PIECES_SAME(factor_below, n);
    PIECES_SAME(done, n);
#undef PIECES_SAME
    ck_assert_int_eq(a->completed, b->completed);
}

START_TEST(test_pieces)
{
    gc_random_t normal = GC_TEST_NORMAL(0.0, 1.5, gc_test_seed());
    gc_random_t shifted;
    gc_numfmt_struct * fmts;
    gc_parse_error_t err;
    gc_sweep_spec_struct spec, sub;
    gc_sweep_t whole, piece, joined;
    gc_param_struct ratios[2] = {{GC_PARAM_B, 3}, {GC_PARAM_B, 9}};
    static const slong depths[] = {1, 30, 60};
    static const slong cuts[] = {0, 4, 9, PIECES_SAMPLES};
    unsigned char * buf;
    mpfr_t scale;
    size_t bytes;
    slong nfmts, c, i;

    ck_assert_int_eq(gc_numfmt_list_set_str(&fmts, &nfmts,
                                            "binary32,bfloat16,e4m3", err),
                     GC_SUCCESS);
    mpfr_init2(scale, 64);
    mpfr_set_ui_2exp(scale, 1, 8, MPFR_RNDN);
    memset(&spec, 0, sizeof spec);
    spec.random = normal;
    spec.layers = PIECES_LAYERS;
    spec.samples = PIECES_SAMPLES;
    spec.fmts = fmts;
    spec.nfmts = nfmts;
    spec.seq = GC_SEQ_PYTORCH;
    spec.scales = scale;
    spec.nscales = 1;
    spec.scale_auto = 1;
    spec.depths = depths;
    spec.ndepths = 3;
    spec.ratios = ratios;
    spec.nratios = 1;
    spec.factors = 1;
    gc_sweep_init(whole);
    gc_sweep_init(piece);
    gc_sweep_init(joined);
    ck_assert_int_eq(gc_sweep_run(whole, &spec, NULL), GC_SUCCESS);

    /* the records of one network: 2 slots x 3 formats x 4 events, the
       automatic scales and unscaled losses (3 each), 3 log10, a ratio
       and its flag, 59 factors and their count below 1/4 */
    bytes = gc_sweep_network_bytes(whole);
    ck_assert_uint_eq(bytes, (2 * 3 * GC_EVENTS + 3 + 3 + 1) * sizeof(slong)
                                 + (3 + 1 + 59) * sizeof(double) + 1);
    buf = flint_malloc(bytes * PIECES_SAMPLES);

    /* three pieces, shifted seeds, packed; unpacked last network first */
    gc_sweep_alloc(joined, &spec);
    ck_assert_int_eq(joined->completed, 0);
    for (c = 0; c < 3; c++)
    {
        *shifted = *normal;
        shifted->seed = normal->seed + (ulong) cuts[c];
        sub = spec;
        sub.random = shifted;
        sub.samples = cuts[c + 1] - cuts[c];
        ck_assert_int_eq(gc_sweep_run(piece, &sub, NULL), GC_SUCCESS);
        ck_assert_uint_eq(gc_sweep_network_bytes(piece), bytes);
        for (i = 0; i < sub.samples; i++)
            gc_sweep_pack(buf + (cuts[c] + i) * bytes, piece, i);
    }
    for (i = PIECES_SAMPLES - 1; i >= 0; i--)
        gc_sweep_unpack(joined, i, buf + i * bytes);
    /* a network unpacked twice counts once */
    gc_sweep_unpack(joined, 5, buf + 5 * bytes);
    pieces_assert_same(whole, joined);

    /* networks 0, 1, 2 and 4 done: the prefix is 0 .. 2 */
    gc_sweep_alloc(joined, &spec);
    for (i = 0; i < 5; i++)
        if (i != 3)
            gc_sweep_unpack(joined, i, buf + i * bytes);
    ck_assert_int_eq(joined->completed, 4);
    gc_sweep_keep_prefix(joined);
    ck_assert_int_eq(joined->completed, 3);
    ck_assert_int_eq(joined->done[2], 1);
    ck_assert_int_eq(joined->done[4], 0);

    flint_free(buf);
    gc_sweep_clear(joined);
    gc_sweep_clear(piece);
    gc_sweep_clear(whole);
    mpfr_clear(scale);
    flint_free(fmts);
}
END_TEST

static Suite *
gc_pieces_suite(void)
{
    Suite * s = suite_create("sweep_pieces");
    TCase * tc = tcase_create("core");

    tcase_add_test(tc, test_pieces);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_pieces_suite());
}
