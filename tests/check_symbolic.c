/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_symbolic.c -- expression trees of dC/db_j and dC/dw_j, the
   cascade, the comparison of two biases, and the ASCII parser's errors. */

#include <string.h>

#include "gc-test.h"

/* Checks that factor i of e is (kind, index). */
static int
has(const gc_expr_t e, slong i, gc_factor_kind_t kind, slong index)
{
    return i < e->len && e->fac[i].kind == kind && e->fac[i].index == index;
}

/* Checks the structure of dC/db_j of *s* against the formula, factor by
   factor, written independently of the library's loop. */
static int
is_grad_b(const gc_expr_t e, const gc_shape_t s, slong j, slong off)
{
    slong L = s->len, k, n = 2 * (L - j) + 2, last = off + n - 1;
    int simp = s->cost == GC_SYM_COST_CROSS_ENTROPY && s->act == GC_SYM_SIGMA;
    gc_factor_kind_t ck = s->cost == GC_SYM_COST_GENERIC ? GC_FACTOR_DC_DA
                        : s->cost == GC_SYM_COST_QUADRATIC
                            ? GC_FACTOR_RESIDUAL : GC_FACTOR_CE_DC_DA;

    if (simp)
    {
        n--;
        last--;
        ck = GC_FACTOR_RESIDUAL;
    }
    if (e->len != off + n)
        return 0;
    for (k = j; k <= L; k++)
    {
        slong p = off + 2 * (k - j);

        if (simp && k == L)
            break;
        if (!has(e, p, GC_FACTOR_DACT, k) || e->fac[p].act != s->act
            || e->fac[p].expand != s->expand)
            return 0;
        if (k < L && !has(e, p + 1, GC_FACTOR_W, k + 1))
            return 0;
    }
    return has(e, last, ck, L);
}

START_TEST(test_grad_textbook)
{
    gc_shape_t s;
    gc_expr_t e;

    gc_expr_init(e);
    gc_shape_init(s, 4);
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1)), GC_SUCCESS);
    /* s'(z1) w2 s'(z2) w3 s'(z3) w4 s'(z4) dC/da4 */
    ck_assert_int_eq(e->len, 8);
    ck_assert(has(e, 0, GC_FACTOR_DACT, 1) && has(e, 1, GC_FACTOR_W, 2));
    ck_assert(has(e, 6, GC_FACTOR_DACT, 4) && has(e, 7, GC_FACTOR_DC_DA, 4));
    ck_assert(is_grad_b(e, s, 1, 0));
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_W, 3)), GC_SUCCESS);
    ck_assert(has(e, 0, GC_FACTOR_A, 2) && is_grad_b(e, s, 3, 1));
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 4)), GC_SUCCESS);
    ck_assert_int_eq(e->len, 2);
    gc_expr_clear(e);
}
END_TEST

START_TEST(test_grad_costs)
{
    gc_shape_t s;
    gc_expr_t e;

    gc_expr_init(e);
    gc_shape_init(s, 3);
    s->cost = GC_SYM_COST_QUADRATIC;
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 2)), GC_SUCCESS);
    ck_assert(has(e, 3, GC_FACTOR_RESIDUAL, 3) && e->len == 4);
    /* cross-entropy with sigma: s'(z_3) dC/da_3 becomes (a_3 - y) */
    s->cost = GC_SYM_COST_CROSS_ENTROPY;
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 2)), GC_SUCCESS);
    ck_assert_int_eq(e->len, 3);
    ck_assert(has(e, 0, GC_FACTOR_DACT, 2) && has(e, 1, GC_FACTOR_W, 3)
              && has(e, 2, GC_FACTOR_RESIDUAL, 3));
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 3)), GC_SUCCESS);
    ck_assert(e->len == 1 && has(e, 0, GC_FACTOR_RESIDUAL, 3));
    /* with a general f nothing simplifies */
    s->act = GC_SYM_F;
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 3)), GC_SUCCESS);
    ck_assert(e->len == 2 && has(e, 1, GC_FACTOR_CE_DC_DA, 3));
    ck_assert(e->fac[0].act == GC_SYM_F);
    gc_expr_clear(e);
}
END_TEST

START_TEST(test_invalid_requests)
{
    gc_shape_t s;
    gc_expr_t e, x;
    gc_cascade_t c;

    gc_expr_init(e);
    gc_expr_init(x);
    gc_cascade_init(c);
    gc_shape_init(s, 4);
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 5)), GC_INVALID);
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_W, 0)), GC_INVALID);
    ck_assert_int_eq(gc_cascade_set(c, s, GC_TEST_PARAM(GC_PARAM_B, 5)), GC_INVALID);
    ck_assert_int_eq(gc_expr_set_compare(e, x, s, 2, 2), GC_INVALID);
    ck_assert_int_eq(gc_expr_set_compare(e, x, s, 3, 2), GC_INVALID);
    ck_assert_int_eq(gc_expr_set_compare(e, x, s, 1, 5), GC_INVALID);
    s->expand = GC_SYM_EXPAND_EXP;
    s->act = GC_SYM_F;
    ck_assert_int_eq(gc_shape_check(s), GC_INVALID);
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1)), GC_INVALID);
    gc_shape_init(s, 0);
    ck_assert_int_eq(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1)), GC_INVALID);
    gc_cascade_clear(c);
    gc_expr_clear(x);
    gc_expr_clear(e);
}
END_TEST

/* The memory estimates hold the factors and steps that are built, for
   every parameter of a few chains, and saturate at SIZE_MAX. */
START_TEST(test_grad_bytes)
{
    static const slong lens[] = {1, 2, 7, 1000};
    gc_shape_t s;
    gc_param_t p;
    gc_expr_t e;
    gc_cascade_t c;
    size_t used;
    slong i, j;
    int k;

    gc_expr_init(e);
    gc_cascade_init(c);
    for (i = 0; i < 4; i++)
        for (j = 1; j <= lens[i]; j++)
            for (k = 0; k < 2; k++)
            {
                gc_shape_init(s, lens[i]);
                s->cost = GC_SYM_COST_CROSS_ENTROPY;
                gc_param_set(p, k ? GC_PARAM_W : GC_PARAM_B, j);
                gc_expr_zero(e);
                ck_assert(gc_expr_set_grad(e, s, p) == GC_SUCCESS);
                used = e->len * sizeof(gc_factor_struct);
                ck_assert(used <= gc_expr_grad_bytes(s, p)
                          && gc_expr_grad_bytes(s, p) <= 4 * used + 64);
                ck_assert(gc_cascade_set(c, s, p) == GC_SUCCESS);
                used = c->prod->len * sizeof(gc_factor_struct)
                       + c->len * sizeof(gc_cascade_step_struct);
                ck_assert(used <= gc_cascade_bytes(s, p)
                          && gc_cascade_bytes(s, p) <= 4 * used + 256);
            }
    gc_expr_clear(e);
    gc_cascade_clear(c);
    gc_shape_init(s, WORD_MAX);
    gc_param_set(p, GC_PARAM_B, 1);
    ck_assert(gc_expr_grad_bytes(s, p) == SIZE_MAX
              && gc_cascade_bytes(s, p) == SIZE_MAX);
}
END_TEST

/* The cross-entropy needs a_L in (0, 1). */
START_TEST(test_cross_entropy_shapes)
{
    gc_shape_t s;
    int act;

    for (act = 0; act < GC_SYM_NACTS; act++)
    {
        int ok = act == GC_SYM_SIGMA || act == GC_SYM_F
                 || act == GC_SYM_F_LAYER;

        gc_shape_init(s, 3);
        s->act = (gc_sym_act_t) act;
        s->cost = GC_SYM_COST_CROSS_ENTROPY;
        ck_assert_msg(gc_sym_cost_is_valid(s) == ok, "act %d", act);
        ck_assert_msg((gc_shape_check(s) == GC_SUCCESS) == ok, "act %d",
                      act);
        s->cost = GC_SYM_COST_QUADRATIC;
        ck_assert(gc_sym_cost_is_valid(s));
    }
}
END_TEST

START_TEST(test_names)
{
    gc_sym_act_t a;
    gc_sym_expand_t x;
    gc_sym_cost_t c;

    ck_assert_int_eq(gc_sym_act_set_str(&a, "per-layer"), GC_SUCCESS);
    ck_assert_int_eq(a, GC_SYM_F_LAYER);
    ck_assert_int_eq(gc_sym_act_set_str(&a, "swish"), GC_INVALID);
    ck_assert_int_eq(gc_sym_act_set_str(&a, "sigmoid"), GC_SUCCESS);
    ck_assert_int_eq(a, GC_SYM_SIGMA);
    ck_assert_int_eq(gc_sym_act_set_str(&a, "leaky-relu"), GC_SUCCESS);
    ck_assert_int_eq(a, GC_SYM_LEAKY_RELU);
    ck_assert_int_eq(gc_sym_expand_set_str(&x, "closed"), GC_SUCCESS);
    ck_assert_int_eq(x, GC_SYM_EXPAND_CLOSED);
    ck_assert_int_eq(gc_sym_expand_set_str(&x, "logistic"), GC_SUCCESS);
    ck_assert_int_eq(x, GC_SYM_EXPAND_CLOSED);
    ck_assert_int_eq(gc_sym_expand_set_str(&x, "exp"), GC_SUCCESS);
    ck_assert_int_eq(x, GC_SYM_EXPAND_EXP);
    ck_assert_int_eq(gc_sym_expand_set_str(&x, "full"), GC_INVALID);
    ck_assert_int_eq(gc_sym_cost_set_str(&c, "cross-entropy"), GC_SUCCESS);
    ck_assert_int_eq(c, GC_SYM_COST_CROSS_ENTROPY);
    ck_assert_int_eq(gc_sym_cost_set_str(&c, "hinge"), GC_INVALID);
}
END_TEST

/* Which derivatives have which written forms (symbolic.h). */
START_TEST(test_act_expand_table)
{
    /* none, closed (= logistic), exp; in the order of gc_sym_act_t */
    static const char want[GC_SYM_NACTS][4] = {
        "111", "100", "100", "110", "110", "110", "110", "100", "110"};
    const char * const * names = gc_sym_act_names();
    gc_sym_act_t a;
    gc_shape_t s;
    int i, x;

    for (i = 0; i < GC_SYM_NACTS; i++)
    {
        ck_assert(names[i] != NULL);
        ck_assert_int_eq(gc_sym_act_set_str(&a, names[i]), GC_SUCCESS);
        ck_assert_int_eq(a, i);
        ck_assert_str_eq(gc_sym_act_name(a), names[i]);
        for (x = 0; x < 3; x++)
        {
            gc_shape_init(s, 3);
            s->act = a;
            s->expand = (gc_sym_expand_t) x;
            ck_assert_msg((gc_shape_check(s) == GC_SUCCESS)
                              == (want[i][x] == '1'),
                          "act=%s expand=%d", names[i], x);
        }
    }
    ck_assert(names[GC_SYM_NACTS] == NULL);
}
END_TEST

START_TEST(test_cascade_textbook)
{
    gc_shape_t s;
    gc_cascade_t c;
    gc_expr_t g;
    /* Delta a1, z2, a2, z3, a3, z4, a4, C */
    static const gc_var_kind_t lhs[8] = {GC_VAR_A, GC_VAR_Z, GC_VAR_A,
                                         GC_VAR_Z, GC_VAR_A, GC_VAR_Z,
                                         GC_VAR_A, GC_VAR_C};
    static const slong idx[8] = {1, 2, 2, 3, 3, 4, 4, 0};
    slong i;

    gc_shape_init(s, 4);
    gc_cascade_init(c);
    gc_expr_init(g);
    ck_assert_int_eq(gc_cascade_set(c, s, GC_TEST_PARAM(GC_PARAM_B, 1)), GC_SUCCESS);
    ck_assert_int_eq(c->len, 8);
    ck_assert(c->wrt.kind == GC_VAR_B && c->wrt.index == 1);
    for (i = 0; i < 8; i++)
    {
        ck_assert_msg(c->step[i].lhs.kind == lhs[i]
                      && c->step[i].lhs.index == idx[i], "step %ld", i);
        ck_assert(c->step[i].acc_len == i + 1);
        ck_assert(gc_factor_equal(&c->step[i].local, c->prod->fac + i));
    }
    ck_assert(c->step[0].rhs.kind == GC_VAR_B);
    ck_assert(c->step[7].rhs.kind == GC_VAR_A && c->step[7].rhs.index == 4);
    ck_assert_int_eq(gc_expr_set_grad(g, s, GC_TEST_PARAM(GC_PARAM_B, 1)), GC_SUCCESS);
    ck_assert(gc_expr_equal(g, c->prod) && !c->simplified);

    /* weights start with Delta z_j ~ a_{j-1} Delta w_j */
    ck_assert_int_eq(gc_cascade_set(c, s, GC_TEST_PARAM(GC_PARAM_W, 2)), GC_SUCCESS);
    ck_assert(c->step[0].lhs.kind == GC_VAR_Z && c->step[0].lhs.index == 2);
    ck_assert(c->step[0].rhs.kind == GC_VAR_W);
    ck_assert(c->step[0].local.kind == GC_FACTOR_A
              && c->step[0].local.index == 1);

    /* cross-entropy: the cascade keeps s'(z_L) dC/da_L */
    s->cost = GC_SYM_COST_CROSS_ENTROPY;
    ck_assert_int_eq(gc_cascade_set(c, s, GC_TEST_PARAM(GC_PARAM_B, 1)), GC_SUCCESS);
    ck_assert(c->simplified && c->prod->len == 8);
    ck_assert(has(c->prod, 7, GC_FACTOR_CE_DC_DA, 4));
    gc_expr_clear(g);
    gc_cascade_clear(c);
}
END_TEST

/* A random valid shape of at most *maxlen* layers. */
static void
random_shape(gc_shape_t s, flint_rand_t st, slong maxlen)
{
    gc_shape_init(s, 1 + n_randint(st, maxlen));
    s->act = (gc_sym_act_t) n_randint(st, GC_SYM_NACTS);
    s->cost = (gc_sym_cost_t) n_randint(st, 3);
    s->expand = (gc_sym_expand_t) n_randint(st, 3);
    if (!gc_sym_act_has_expand(s->act, s->expand))
        s->expand = GC_SYM_EXPAND_NONE;
    if (!gc_sym_cost_is_valid(s))
        s->cost = GC_SYM_COST_QUADRATIC;
}

START_TEST(test_random_properties)
{
    flint_rand_t st;
    gc_shape_t s;
    gc_expr_t b, w, a, extra, shared, t;
    gc_cascade_t c;
    slong iter;

    gc_test_randinit(st);
    gc_expr_init(b);
    gc_expr_init(w);
    gc_expr_init(a);
    gc_expr_init(extra);
    gc_expr_init(shared);
    gc_expr_init(t);
    gc_cascade_init(c);
    for (iter = 0; iter < gc_test_iters(500); iter++)
    {
        slong j, k, i;
        gc_factor_struct f0;

        random_shape(s, st, 40);
        j = 1 + n_randint(st, s->len);
        ck_assert(gc_expr_set_grad(b, s, GC_TEST_PARAM(GC_PARAM_B, j)) == GC_SUCCESS);
        ck_assert_msg(is_grad_b(b, s, j, 0), "L=%ld j=%ld seed=%lu",
                      s->len, j, gc_test_seed());
        /* dC/dw_j = a_{j-1} dC/db_j */
        ck_assert(gc_expr_set_grad(w, s, GC_TEST_PARAM(GC_PARAM_W, j)) == GC_SUCCESS);
        f0 = w->fac[0];
        ck_assert(f0.kind == GC_FACTOR_A && f0.index == j - 1);
        gc_expr_zero(a);
        gc_expr_push(a, &f0);
        gc_expr_mul(t, a, b);
        ck_assert_msg(gc_expr_equal(t, w), "L=%ld j=%ld seed=%lu", s->len, j,
                      gc_test_seed());
        /* the cascade: local factors multiply up to its product, whose
           simplification is the gradient */
        ck_assert(gc_cascade_set(c, s, GC_TEST_PARAM(GC_PARAM_B, j)) == GC_SUCCESS);
        ck_assert(c->len == c->prod->len);
        for (i = 0; i < c->len; i++)
            ck_assert(c->step[i].acc_len == i + 1
                      && gc_factor_equal(&c->step[i].local,
                                         c->prod->fac + i));
        ck_assert(c->simplified == (b->len == c->prod->len - 1));
        if (!c->simplified)
            ck_assert(gc_expr_equal(b, c->prod));
        /* comparison: dC/db_i = extra dC/db_k */
        if (s->len >= 2)
        {
            i = 1 + n_randint(st, s->len - 1);
            k = i + 1 + n_randint(st, s->len - i);
            ck_assert(gc_expr_set_compare(extra, shared, s, i, k)
                      == GC_SUCCESS);
            ck_assert(extra->len == 2 * (k - i));
            ck_assert(gc_expr_set_grad(b, s, GC_TEST_PARAM(GC_PARAM_B, i)) == GC_SUCCESS);
            gc_expr_mul(t, extra, shared);
            ck_assert_msg(gc_expr_equal(t, b), "L=%ld i=%ld k=%ld seed=%lu",
                          s->len, i, k, gc_test_seed());
            ck_assert(gc_expr_set_grad(t, s, GC_TEST_PARAM(GC_PARAM_B, k)) == GC_SUCCESS);
            ck_assert(gc_expr_equal(t, shared));
        }
    }
    gc_cascade_clear(c);
    gc_expr_clear(t);
    gc_expr_clear(shared);
    gc_expr_clear(extra);
    gc_expr_clear(a);
    gc_expr_clear(w);
    gc_expr_clear(b);
    flint_randclear(st);
}
END_TEST

START_TEST(test_mul_aliasing)
{
    gc_shape_t s;
    gc_expr_t a, b, r;

    gc_shape_init(s, 3);
    gc_expr_init(a);
    gc_expr_init(b);
    gc_expr_init(r);
    ck_assert(gc_expr_set_grad(a, s, GC_TEST_PARAM(GC_PARAM_B, 2)) == GC_SUCCESS);
    ck_assert(gc_expr_set_grad(b, s, GC_TEST_PARAM(GC_PARAM_W, 3)) == GC_SUCCESS);
    gc_expr_mul(r, a, b);
    /* res == a */
    gc_expr_set(a, a);
    gc_expr_mul(a, a, b);
    ck_assert(gc_expr_equal(a, r));
    /* res == b */
    ck_assert(gc_expr_set_grad(a, s, GC_TEST_PARAM(GC_PARAM_B, 2)) == GC_SUCCESS);
    gc_expr_mul(b, a, b);
    ck_assert(gc_expr_equal(b, r));
    /* res == a == b */
    gc_expr_set(r, a);
    gc_expr_mul(r, r, a);
    gc_expr_mul(a, a, a);
    ck_assert(gc_expr_equal(a, r) && a->len == 8);
    gc_expr_clear(r);
    gc_expr_clear(b);
    gc_expr_clear(a);
}
END_TEST

START_TEST(test_parse_errors)
{
    static const char * bad[] = {
        "", "*", "w_", "w_1 *", "w_1 w_2", "sigma'(z_1) * ... * dC/da_4",
        "f_1'(z_2)", "sigma(z_1)(1-sigma(z_2))", "prod_{k=3}^{2}(w_k)",
        "prod_{k=1}^{999999999999}(w_k * sigma'(z_k))",
        "prod_{k=1}^{2}(prod_{k=1}^{2}(w_k))", "w_k", "(w_1", "(w_1))",
        "w_1234567890123456", "a_1 - y", "dC/dz_1", "(a_1 - z)"};
    gc_parse_error_t err;
    gc_expr_t e;
    size_t i;

    gc_expr_init(e);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
        err->msg[0] = '\0';
        ck_assert_msg(gc_expr_set_str_ascii(e, bad[i], err) == GC_INVALID,
                      "'%s' accepted", bad[i]);
        ck_assert_msg(err->msg[0] != '\0', "'%s': no message", bad[i]);
    }
    ck_assert(gc_expr_set_str_ascii(e, bad[5], err) == GC_INVALID);
    ck_assert_str_eq(err->msg, "an elided product cannot be read back");
    ck_assert(gc_expr_set_str_ascii(e, "1", err) == GC_SUCCESS);
    ck_assert_int_eq(e->len, 0);
    ck_assert(gc_expr_set_str_ascii(e, " ( a_3 - y ) *w_2", err)
              == GC_SUCCESS);
    ck_assert(e->len == 2 && has(e, 0, GC_FACTOR_RESIDUAL, 3));
    gc_expr_clear(e);
}
END_TEST

START_TEST(test_parse_gibberish)
{
    static const char alphabet[] = "()*_'/-+^{}=.,ksigmafwaCdbzexp0123 y";
    flint_rand_t st;
    gc_parse_error_t err;
    gc_expr_t e;
    char buf[64];
    slong iter, i, n;

    gc_test_randinit(st);
    gc_expr_init(e);
    for (iter = 0; iter < gc_test_iters(3000); iter++)
    {
        n = n_randint(st, sizeof buf);
        for (i = 0; i < n; i++)
            buf[i] = alphabet[n_randint(st, sizeof alphabet - 1)];
        buf[n] = '\0';
        /* must return without crashing; on success it is a product */
        if (gc_expr_set_str_ascii(e, buf, err) == GC_SUCCESS)
            ck_assert_msg(e->len >= 0, "'%s' seed=%lu", buf, gc_test_seed());
        else
            ck_assert_msg(err->msg[0] != '\0', "'%s' seed=%lu", buf,
                          gc_test_seed());
    }
    gc_expr_clear(e);
    flint_randclear(st);
}
END_TEST

/* F11 (hardening review): the 26 bytes "prod_{k=1}^{67108864}(w_k)" made
   2^26 factors, 1.6 GB.  Expansion is capped at 2^20 factors; the cap
   itself is accepted. */
START_TEST(test_parse_expansion_cap)
{
    static const char * const no[] = {
        "prod_{k=1}^{67108864}(w_k)",
        "prod_{k=1}^{1048577}(w_k)",
        "prod_{k=1}^{524289}(w_k * sigma'(z_k))",
        "w_1 * prod_{k=1}^{1048576}(w_k)",
        "prod_{k=1}^{1048576}(w_k) * prod_{k=1}^{1}(w_k)",
        "prod_{k=1}^{999999999999999}((w_k * a_k) * (w_k * a_k))"};
    gc_parse_error_t err;
    gc_expr_t e;
    size_t i;

    gc_expr_init(e);
    for (i = 0; i < sizeof no / sizeof no[0]; i++)
    {
        ck_assert_msg(gc_expr_set_str_ascii(e, no[i], err) == GC_INVALID,
                      "'%s' accepted", no[i]);
        ck_assert_str_eq(err->msg, "product longer than 2^20 factors");
    }
    ck_assert(gc_expr_set_str_ascii(e, "prod_{k=1}^{1048576}(w_k)", err)
              == GC_SUCCESS);
    ck_assert_int_eq(e->len, WORD(1) << 20);
    ck_assert(has(e, 0, GC_FACTOR_W, 1)
              && has(e, (WORD(1) << 20) - 1, GC_FACTOR_W, WORD(1) << 20));
    ck_assert(gc_expr_set_str_ascii(
                  e, "w_1 * prod_{k=2}^{524288}(w_k * sigma'(z_k)) * a_1",
                  err) == GC_SUCCESS);
    ck_assert_int_eq(e->len, 2 + 2 * 524287);
    gc_expr_clear(e);
}
END_TEST

/* The parameters of the general formula: b or w and one letter of
   GC_SYM_INDEX_LETTERS, nothing else; never a layer. */
START_TEST(test_sym_param)
{
    static const char * const good[] = {"bi", "bj", "bm", "bn", "wi", "wj",
                                        "wm", "wn"};
    static const char * const bad[] = {"b1", "bk", "bl", "bJ", "Bj", "bjj",
                                       "b", "", "j", "xj", "b-", "w0"};
    gc_param_t p;
    gc_parse_error_t err;
    size_t i;

    for (i = 0; i < sizeof good / sizeof good[0]; i++)
    {
        ck_assert_int_eq(gc_sym_param_set_str(p, good[i]), GC_SUCCESS);
        ck_assert_int_eq(p->kind, good[i][0] == 'b' ? GC_PARAM_B : GC_PARAM_W);
        ck_assert(p->layer == -(slong) good[i][1]);
        ck_assert(p->layer < 0);
        ck_assert_int_eq(gc_sym_param_is_general(p), 1);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
        gc_param_set(p, GC_PARAM_W, 7);
        ck_assert_int_eq(gc_sym_param_set_str(p, bad[i]), GC_INVALID);
        ck_assert(p->kind == GC_PARAM_W && p->layer == 7);
        ck_assert_int_eq(gc_sym_param_is_general(p), 0);
    }
    /* the numeric parser keeps refusing letters */
    ck_assert_int_eq(gc_param_set_str(p, "bj", 0, err), GC_INVALID);
    gc_param_set(p, GC_PARAM_B, GC_SYM_INDEX('k'));
    ck_assert_int_eq(gc_sym_param_is_general(p), 0);
}
END_TEST

/* The matrix form of a bias is the chain's product factor for factor
   (S'(z^l) for f'(z_l), (W^l)^T for w_l, grad_a C for dC/da_L, a^L - y
   for a_L - y, the cross-entropy simplified alike): the chain is the
   case of one neuron.  For a weight, (a^{J-1})^T comes last where the
   chain writes a_{J-1} first. */
START_TEST(test_wexpr_matrix_is_chain)
{
    static const gc_wfactor_kind_t of[GC_FACTOR_NKINDS] = {
        GC_WFACTOR_DIAG, GC_WFACTOR_WT, GC_WFACTOR_AT, GC_WFACTOR_GRAD,
        GC_WFACTOR_SUM, GC_WFACTOR_RESIDUAL, GC_WFACTOR_SUM};
    const slong widths[4] = {1, 3, 64, GC_SYM_INDEX('n')};
    gc_shape_t s;
    gc_expr_t c;
    gc_wexpr_t e;
    gc_param_t p;
    slong L, j, w, i;
    int cost, kind;

    gc_expr_init(c);
    for (L = 1; L <= 7; L++)
        for (j = 1; j <= L; j++)
            for (cost = 0; cost < 3; cost++)
                for (kind = 0; kind < 2; kind++)
                    for (w = 0; w < 4; w++)
                    {
                        /* a new one each time: its allocation is this
                           gradient's alone */
                        gc_wexpr_init(e);
                        gc_shape_init(s, L);
                        s->cost = (gc_sym_cost_t) cost;
                        gc_param_set(p, kind ? GC_PARAM_W : GC_PARAM_B, j);
                        ck_assert_int_eq(gc_expr_set_grad(c, s, p),
                                         GC_SUCCESS);
                        ck_assert_int_eq(gc_wexpr_set_grad(e, s, widths[w],
                                                           p, 0, 0),
                                         GC_SUCCESS);
                        ck_assert_int_eq(e->len, c->len);
                        /* the chain's a_{j-1} first, the matrix's last
                           (no factor maps to a sum: of[] marks those) */
                        for (i = 0; i + kind < c->len; i++)
                        {
                            const gc_factor_struct * f = c->fac + i + kind;

                            ck_assert_msg(e->fac[i].kind == of[f->kind]
                                          && e->fac[i].layer == f->index,
                                          "L=%ld j=%ld cost=%d w=%ld i=%ld",
                                          (long) L, (long) j, cost,
                                          (long) widths[w], (long) i);
                        }
                        if (kind)
                            ck_assert(e->fac[e->len - 1].kind
                                      == GC_WFACTOR_AT
                                      && e->fac[e->len - 1].layer == j - 1);
                        ck_assert(e->width == widths[w] && e->row == 0);
                        ck_assert(gc_wexpr_grad_bytes(s, p)
                                  >= (size_t) e->alloc
                                         * sizeof(gc_wfactor_struct));
                        gc_wexpr_clear(e);
                    }
    gc_expr_clear(c);
}
END_TEST

/* The entry-wise sum: f'(z^J_i), then per later layer l the sum over
   k_l, w^l_{k_l, k_{l-1}} (k_J = i) and f'(z^l_{k_l}), then the cost
   factor of the last index; a weight's entry starts with a^{J-1}_j. */
START_TEST(test_wexpr_entry)
{
    const slong i = 2, col = GC_SYM_INDEX('j');
    gc_shape_t s;
    gc_wexpr_t e;
    slong L, j, l, pos, prev;
    int cost, kind, ce;

    gc_wexpr_init(e);
    for (L = 1; L <= 6; L++)
        for (j = 1; j <= L; j++)
            for (cost = 0; cost < 3; cost++)
                for (kind = 0; kind < 2; kind++)
                {
                    gc_shape_init(s, L);
                    s->cost = (gc_sym_cost_t) cost;
                    ce = cost == GC_SYM_COST_CROSS_ENTROPY;
                    ck_assert_int_eq(gc_wexpr_set_grad(
                                         e, s, GC_SYM_INDEX('n'),
                                         GC_TEST_PARAM(kind ? GC_PARAM_W
                                                            : GC_PARAM_B, j),
                                         i, kind ? col : 0),
                                     GC_SUCCESS);
                    ck_assert_int_eq(e->len, kind + 1 + 3 * (L - j) + 1 - ce);
                    pos = kind;
                    if (kind)
                        ck_assert(e->fac[0].kind == GC_WFACTOR_A
                                  && e->fac[0].layer == j - 1
                                  && e->fac[0].row == col);
                    if (!(ce && j == L))
                        ck_assert(e->fac[pos].kind == GC_WFACTOR_DACT
                                  && e->fac[pos].layer == j
                                  && e->fac[pos].row == i);
                    prev = i;
                    for (l = j + 1, pos++; l <= L; l++, pos += 3)
                    {
                        ck_assert(e->fac[pos].kind == GC_WFACTOR_SUM
                                  && e->fac[pos].row == GC_SYM_SUM_INDEX(l)
                                  && e->fac[pos].col == GC_SYM_INDEX('n'));
                        ck_assert(e->fac[pos + 1].kind == GC_WFACTOR_W
                                  && e->fac[pos + 1].layer == l
                                  && e->fac[pos + 1].row
                                         == GC_SYM_SUM_INDEX(l)
                                  && e->fac[pos + 1].col == prev);
                        prev = GC_SYM_SUM_INDEX(l);
                    }
                    ck_assert(GC_SYM_IS_SUM_INDEX(prev) == (j < L));
                    ck_assert(e->fac[e->len - 1].kind
                              == (cost == GC_SYM_COST_GENERIC
                                  ? GC_WFACTOR_DC_DA
                                  : GC_WFACTOR_RESIDUAL_ENTRY)
                              && e->fac[e->len - 1].row == prev);
                }
    gc_wexpr_clear(e);
}
END_TEST

START_TEST(test_wexpr_invalid)
{
    const slong n = GC_SYM_INDEX('n');
    gc_shape_t s;
    gc_wexpr_t e;

    gc_wexpr_init(e);
    gc_shape_init(s, 4);
    ck_assert(gc_sym_width_is_valid(1) && gc_sym_width_is_valid(64)
              && gc_sym_width_is_valid(n));
    ck_assert(!gc_sym_width_is_valid(0) && !gc_sym_width_is_valid(-5)
              && !gc_sym_width_is_valid(GC_SYM_INDEX('k'))
              && !gc_sym_width_is_valid(GC_SYM_SUM_INDEX(2)));
#define BAD(w, k, j, r, c)                                                  \
    ck_assert_int_eq(gc_wexpr_set_grad(e, s, (w), GC_TEST_PARAM((k), (j)), \
                                       (r), (c)), GC_INVALID)
    BAD(0, GC_PARAM_B, 1, 0, 0);
    BAD(4, GC_PARAM_B, 0, 0, 0);
    BAD(4, GC_PARAM_B, 5, 0, 0);
    BAD(4, GC_PARAM_B, 1, 5, 0);                 /* neuron out of range */
    BAD(4, GC_PARAM_B, 1, 0, 1);                 /* a column, no row */
    BAD(4, GC_PARAM_B, 1, 2, 1);                 /* a column for a bias */
    BAD(4, GC_PARAM_W, 1, 2, 0);                 /* a weight's one index */
    BAD(n, GC_PARAM_B, 1, n, 0);                 /* the width's letter */
    BAD(n, GC_PARAM_B, 1, GC_SYM_INDEX('k'), 0);
    BAD(n, GC_PARAM_B, GC_SYM_INDEX('j'), 0, 0); /* the general formula */
    s->expand = GC_SYM_EXPAND_CLOSED;
    BAD(4, GC_PARAM_B, 1, 0, 0);
    s->expand = GC_SYM_EXPAND_NONE;
    s->act = GC_SYM_F;
    s->cost = GC_SYM_COST_CROSS_ENTROPY;
    BAD(4, GC_PARAM_B, 1, 0, 0);
#undef BAD
    /* a letter width takes any number */
    s->cost = GC_SYM_COST_QUADRATIC;
    ck_assert_int_eq(gc_wexpr_set_grad(e, s, n, GC_TEST_PARAM(GC_PARAM_W, 2),
                                       1000, 7), GC_SUCCESS);
    gc_wexpr_clear(e);
}
END_TEST

static Suite *
gc_symbolic_suite(void)
{
    Suite * s = suite_create("symbolic");
    TCase * core = tcase_create("core");
    TCase * special = tcase_create("special");
    TCase * random = tcase_create("random");
    TCase * aliasing = tcase_create("aliasing");

    tcase_add_test(core, test_grad_textbook);
    tcase_add_test(core, test_grad_costs);
    tcase_add_test(core, test_cascade_textbook);
    tcase_add_test(core, test_names);
    tcase_add_test(core, test_cross_entropy_shapes);
    tcase_add_test(core, test_act_expand_table);
    tcase_add_test(special, test_invalid_requests);
    tcase_add_test(special, test_parse_errors);
    tcase_add_test(special, test_grad_bytes);
    tcase_add_test(special, test_parse_expansion_cap);
    tcase_add_test(random, test_random_properties);
    tcase_add_test(random, test_parse_gibberish);
    tcase_add_test(aliasing, test_mul_aliasing);
    tcase_add_test(core, test_sym_param);
    tcase_add_test(core, test_wexpr_matrix_is_chain);
    tcase_add_test(core, test_wexpr_entry);
    tcase_add_test(special, test_wexpr_invalid);
    suite_add_tcase(s, core);
    suite_add_tcase(s, special);
    suite_add_tcase(s, random);
    suite_add_tcase(s, aliasing);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_symbolic_suite());
}
