/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_wide.c -- the model of wide networks (gradchain/wide.h):
   widths, indices, exact compact parameters, chains as wide networks. */

#include <float.h>
#include <signal.h>
#include <string.h>

#include "gc-test.h"

/* Widths 3 -> 4 -> 2 -> 1: the offsets by hand. */
START_TEST(test_wnet_widths)
{
    const slong width[] = {3, 4, 2, 1};
    gc_wnet_t net;
    slong l;

    gc_wnet_init(net);
    ck_assert_int_eq(net->len, 0);
    ck_assert_int_eq(net->width[0], 1);
    ck_assert(mpq_cmp_ui(net->a0, 1, 1) == 0 && mpq_sgn(net->y) == 0);
    ck_assert(net->cost == GC_COST_QUADRATIC);
    net->cost = GC_COST_CROSS_ENTROPY;
    gc_wnet_set_widths(net, 3, width);
    ck_assert(net->cost == GC_COST_CROSS_ENTROPY); /* kept */
    ck_assert_int_eq(net->len, 3);
    /* 4 rows of 3 + 1, 2 rows of 4 + 1, 1 row of 2 + 1 */
    ck_assert_int_eq(net->off[0], 0);
    ck_assert_int_eq(net->off[1], 16);
    ck_assert_int_eq(net->off[2], 26);
    ck_assert_int_eq(net->off[3], 29);
    ck_assert_int_eq(net->noff[3], 7);
    ck_assert_int_eq(gc_wnet_param_index(net, 1, 1, 1), 0);
    ck_assert_int_eq(gc_wnet_param_index(net, 1, 2, 4), 7); /* b^1_2 */
    ck_assert_int_eq(gc_wnet_param_index(net, 2, 2, 1), 21);
    ck_assert_int_eq(gc_wnet_param_index(net, 3, 1, 3), 28); /* b^3_1 */
    ck_assert_int_eq(gc_wnet_neuron_index(net, 1, 4), 3);
    ck_assert_int_eq(gc_wnet_neuron_index(net, 2, 1), 4);
    ck_assert_int_eq(gc_wnet_neuron_index(net, 3, 1), 6);
    for (l = 0; l < 3; l++)
        ck_assert(mpq_cmp_ui(net->a0 + l, 1, 1) == 0);
    ck_assert(mpq_sgn(net->y) == 0);
    for (l = 1; l <= 3; l++)
        ck_assert(net->act[l - 1].kind == GC_ACT_SIGMOID);
    for (l = 0; l < net->off[3]; l++)
        ck_assert(net->wb[l] == 0);
    ck_assert(!gc_wnet_is_chain(net));
    gc_wnet_clear(net);
}
END_TEST

/* Parameters keep their exact values, binary64 or not, through every
   accessor, also when overwritten from one kind to the other. */
START_TEST(test_wnet_params_exact)
{
    const slong width[] = {2, 3};
    const char * vals[] = {"1/3", "0.1", "-0.5", "1e-400", "3", "-0",
                           "4.9406564584124654e-324", "1/3"};
    gc_wnet_t net;
    gc_parse_error_t err;
    mpq_t q, r;
    mpfr_t x;
    double d;
    slong i, n = (slong) (sizeof vals / sizeof vals[0]);

    gc_wnet_init(net);
    gc_wnet_set_widths(net, 1, width);
    mpq_init(q);
    mpq_init(r);
    mpfr_init2(x, 20);
    for (i = 0; i < 3 * n; i++)
    {
        slong idx = (7 * i) % net->off[1];
        double e;
        int bin, t;

        ck_assert(gc_q_set_str(q, vals[i % n], err) == GC_SUCCESS);
        gc_wnet_set_param_q(net, idx, q);
        gc_wnet_get_param_q(r, net, idx);
        ck_assert_msg(mpq_equal(q, r), "%s", vals[i % n]);
        e = mpq_get_d(q);
        mpq_set_d(r, e);
        bin = mpq_equal(q, r); /* a binary64 number */
        ck_assert_int_eq(gc_wnet_get_param_d(&d, net, idx), bin);
        if (bin)
            ck_assert_msg(d == e && (d != 0 || !signbit(d)), "%s: %a %a", vals[i % n],
                          d, e); /* -0 is the rational 0 */
        t = gc_wnet_get_param_mpfr(x, net, idx, MPFR_RNDU);
        ck_assert_int_eq(mpfr_cmp_q(x, q) > 0, t > 0);
        ck_assert_int_eq(mpfr_cmp_q(x, q) == 0, t == 0);
    }
    gc_wnet_set_param_d(net, 4, -0.375);
    gc_wnet_get_param_q(r, net, 4);
    ck_assert(mpq_cmp_si(r, -3, 8) == 0);
    mpq_clear(q);
    mpq_clear(r);
    mpfr_clear(x);
    gc_wnet_clear(net);
}
END_TEST

/* A chain becomes a wide network of width 1 with the same exact values:
   a generated chain, a per-layer activation, the cross-entropy cost. */
START_TEST(test_wnet_set_chain)
{
    gc_random_t rnd;
    gc_activation_t tanh_act;
    gc_net_t chain;
    gc_wnet_t net;
    mpq_t w, b, q;
    slong j, len = 20;

    gc_net_init(chain);
    gc_wnet_init(net);
    mpq_init(w);
    mpq_init(b);
    mpq_init(q);
    gc_activation_init(tanh_act);
    tanh_act->kind = GC_ACT_TANH;
    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 11);
    gc_net_set_random(chain, rnd, len);
    ck_assert(gc_net_set_layer_act(chain, 3, tanh_act) == GC_SUCCESS);
    mpq_set_si(chain->a0, -2, 7);
    mpq_set_ui(chain->y, 1, 3);
    chain->cost = GC_COST_CROSS_ENTROPY;
    ck_assert(gc_wnet_set_chain(net, chain) == GC_SUCCESS);
    ck_assert(gc_wnet_is_chain(net));
    ck_assert_int_eq(net->len, len);
    ck_assert(mpq_equal(net->a0, chain->a0) && mpq_equal(net->y, chain->y));
    ck_assert(net->cost == GC_COST_CROSS_ENTROPY);
    for (j = 1; j <= len; j++)
    {
        gc_net_get_layer_q(w, b, chain, j);
        gc_wnet_get_param_q(q, net, gc_wnet_param_index(net, j, 1, 1));
        ck_assert(mpq_equal(q, w));
        gc_wnet_get_param_q(q, net, gc_wnet_param_index(net, j, 1, 2));
        ck_assert(mpq_equal(q, b));
        ck_assert(gc_activation_equal(net->act + j - 1,
                                      gc_net_get_act(chain, j)));
    }
    ck_assert(net->act[2].kind == GC_ACT_TANH);
    chain->cost = GC_COST_GIVEN;
    ck_assert(gc_wnet_set_chain(net, chain) == GC_INVALID);
    ck_assert_int_eq(net->len, len); /* unchanged */
    gc_activation_clear(tanh_act);
    mpq_clear(w);
    mpq_clear(b);
    mpq_clear(q);
    gc_net_clear(chain);
    gc_wnet_clear(net);
}
END_TEST

START_TEST(test_wnet_bytes)
{
    const slong width[] = {64, 64, 64};
    const slong huge[] = {WORD_MAX / 2, WORD_MAX / 2};

    ck_assert(gc_wnet_bytes(2, width) >= 2 * 64 * 65 * sizeof(ulong));
    ck_assert(gc_wnet_bytes(2, width) < 2 * 64 * 65 * sizeof(ulong) * 2);
    ck_assert(gc_wnet_bytes(1, huge) == SIZE_MAX);
}
END_TEST

/* Out of range indices are programmer errors. */
START_TEST(test_wnet_bad_index)
{
    const slong width[] = {2, 3};
    const slong lik[][3] = {{0, 1, 1}, {2, 1, 1}, {1, 0, 1}, {1, 4, 1},
                            {1, 1, 0}, {1, 1, 4}};
    gc_wnet_t net;

    gc_wnet_init(net);
    gc_wnet_set_widths(net, 1, width);
    (void) gc_wnet_param_index(net, lik[_i][0], lik[_i][1], lik[_i][2]);
    gc_wnet_clear(net);
}
END_TEST

static Suite *
gc_wide_suite(void)
{
    Suite * s = suite_create("wide");
    TCase * tc;

    tc = tcase_create("model");
    tcase_add_test(tc, test_wnet_widths);
    tcase_add_test(tc, test_wnet_params_exact);
    tcase_add_test(tc, test_wnet_set_chain);
    tcase_add_test(tc, test_wnet_bytes);
    if (check_forks())
        tcase_add_loop_test_raise_signal(tc, test_wnet_bad_index, SIGABRT,
                                         0, 6);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_wide_suite());
}
