/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_numeric.c -- the engines' checks, the MPFR engine (all layers
   and streamed), working precision, classes and death scan. */

#include <float.h>
#include <malloc.h>
#include <math.h>
#include <string.h>

#include "gc-test.h"

/* ---- helpers ------------------------------------------------------------ */

/* Writes x rounded to *n* significant digits as "d.ddd...e[+-]X", the
   notation of the .expected files. */
static void
sci_str(char * buf, size_t size, const mpfr_t x, int n)
{
    mpfr_exp_t e;
    char * s = mpfr_get_str(NULL, &e, 10, n, x, MPFR_RNDN);
    const char * d = s;
    const char * sign = "";

    if (*d == '-')
    {
        sign = "-";
        d++;
    }
    if (mpfr_zero_p(x))
        e = 1;
    if (mpfr_zero_p(x) && n == 40)
        snprintf(buf, size, "0"); /* the .expected files' exact zero */
    else
        snprintf(buf, size, "%s%c.%se%+ld", sign, d[0], d + 1,
                 (long) (e - 1));
    mpfr_free_str(s);
}

/* Naive reference evaluation at precision prec, independent of the
   engine's stable formulas: a = 1/(1+exp(-z)), s' = a(1-a), dC/da_L =
   a_L - y, then the backward pass of the design.  Layers come from
   gc_net_get_layer_q.  db, dw, a hold len, len, len + 1 numbers. */
static void
ref_eval(mpfr_ptr db, mpfr_ptr dw, mpfr_ptr a, const gc_net_t net,
         mpfr_prec_t prec)
{
    slong j, len = net->len;
    mpfr_ptr w = flint_malloc(sizeof(__mpfr_struct) * len);
    mpfr_ptr sp = flint_malloc(sizeof(__mpfr_struct) * len);
    mpfr_t z, u;
    mpq_t qw, qb;

    mpq_init(qw);
    mpq_init(qb);
    mpfr_inits2(prec, z, u, (mpfr_ptr) 0);
    mpfr_set_q(a, net->a0, MPFR_RNDN);
    for (j = 1; j <= len; j++)
    {
        mpfr_init2(w + j - 1, prec);
        mpfr_init2(sp + j - 1, prec);
        gc_net_get_layer_q(qw, qb, net, j);
        mpfr_set_q(w + j - 1, qw, MPFR_RNDN);
        mpfr_mul(z, w + j - 1, a + j - 1, MPFR_RNDN);
        mpfr_add_q(z, z, qb, MPFR_RNDN);
        mpfr_neg(z, z, MPFR_RNDN);
        mpfr_exp(z, z, MPFR_RNDN);
        mpfr_add_ui(z, z, 1, MPFR_RNDN);
        mpfr_ui_div(a + j, 1, z, MPFR_RNDN);
        mpfr_ui_sub(u, 1, a + j, MPFR_RNDN);
        mpfr_mul(sp + j - 1, a + j, u, MPFR_RNDN);
    }
    mpfr_sub_q(u, a + len, net->y, MPFR_RNDN);
    for (j = len; j >= 1; j--)
    {
        if (j < len)
            mpfr_mul(u, db + j, w + j, MPFR_RNDN);
        mpfr_mul(db + j - 1, u, sp + j - 1, MPFR_RNDN);
        mpfr_mul(dw + j - 1, db + j - 1, a + j - 1, MPFR_RNDN);
    }
    for (j = 0; j < len; j++)
    {
        mpfr_clear(w + j);
        mpfr_clear(sp + j);
    }
    flint_free(w);
    flint_free(sp);
    mpfr_clears(z, u, (mpfr_ptr) 0);
    mpq_clear(qw);
    mpq_clear(qb);
}

/* Checks that every db_j and dw_j of the trace rounds to the same
   *digits* significant digits as the naive reference at *refprec* bits. */
static void
check_against_ref(const gc_trace_t t, const gc_net_t net, int digits,
                  mpfr_prec_t refprec, const char * what)
{
    slong j, len = net->len;
    mpfr_ptr v = flint_malloc(sizeof(__mpfr_struct) * (3 * len + 1));
    char got[128], want[128];

    for (j = 0; j < 3 * len + 1; j++)
        mpfr_init2(v + j, refprec);
    ref_eval(v, v + len, v + 2 * len, net, refprec);
    for (j = 0; j < 2 * len; j++)
    {
        mpfr_srcptr x = j < len ? t->db + j : t->dw + j - len;

        /* an exact zero has no sign: the engine writes +0 where the
           naive loop's products may give -0 */
        if (mpfr_zero_p(x) && mpfr_zero_p(v + j))
        {
            ck_assert_msg(!mpfr_signbit(x), "%s: %s_%ld = -0 (seed %lu)",
                          what, j < len ? "db" : "dw", (long) (j % len + 1),
                          gc_test_seed());
            continue;
        }
        sci_str(got, sizeof got, x, digits);
        sci_str(want, sizeof want, v + j, digits);
        ck_assert_msg(strcmp(got, want) == 0,
                      "%s: %s_%ld = %s, reference %s (prec %ld, seed %lu)",
                      what, j < len ? "db" : "dw", (long) (j % len + 1), got,
                      want, (long) t->prec, gc_test_seed());
    }
    for (j = 0; j < 3 * len + 1; j++)
        mpfr_clear(v + j);
    flint_free(v);
}

/* Sets layer j of the stored network *net* to (w, b), given as doubles. */
static void
set_layer_d(gc_net_t net, slong j, double w, double b)
{
    mpq_set_d(net->w + j - 1, w);
    mpq_set_d(net->b + j - 1, b);
}

/* ---- core: reference data ----------------------------------------------- */

static const char * const ref_names[] = {"n4_s0", "n4_s1", "n10_s0",
                                         "neutral1000", "quarter600",
                                         "explode2000", "nondyadic5",
                                         "act8_quad", "act7_ce",
                                         "act6_given", "act6_quad"};

START_TEST(test_eval_mpfr_refdata)
{
    const char * name = ref_names[_i];
    char path[512], line[512], got[128];
    gc_net_t net;
    gc_trace_t t;
    FILE * f;
    slong rows = 0;

    gc_net_init(net);
    gc_test_read_ref_net(net, name);
    gc_trace_init(t, net->len, gc_prec_for_digits(40, net->len));
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);

    snprintf(path, sizeof path, "%s/%s.expected", GC_TEST_REFDIR, name);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    while (fgets(line, sizeof line, f) != NULL)
    {
        char * tok;
        char * save;
        slong j, col;

        if (line[0] == '#' || line[0] == '\n')
            continue;
        j = strtol(strtok_r(line, " \n", &save), NULL, 10);
        ck_assert_msg(j >= 1 && j <= net->len, "%s: bad row %ld", path,
                      (long) j);
        for (col = 0; (tok = strtok_r(NULL, " \n", &save)) != NULL; col++)
        {
            mpfr_srcptr x = col == 0 ? t->db + j - 1 : t->dw + j - 1;

            ck_assert(col < 2);
            sci_str(got, sizeof got, x, 40);
            ck_assert_msg(strcmp(got, tok) == 0, "%s: %s_%ld = %s, want %s",
                          name, col == 0 ? "db" : "dw", (long) j, got, tok);
        }
        rows++;
    }
    fclose(f);
    ck_assert_msg(rows == net->len, "%s: %ld rows", name, (long) rows);

    gc_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* The exact networks give exact powers of two at any precision: dC/db_j =
   c 2^(e (L - j)), with (c, e) = (1/8, 0), (1/8, -2), (1/8, 1). */
START_TEST(test_eval_mpfr_exact)
{
    static const char * const names[] = {"neutral1000", "quarter600",
                                         "explode2000"};
    static const int step[] = {0, -2, 1};
    static const mpfr_prec_t precs[] = {2, 53, 64, 300};
    gc_net_t net;
    slong j, i;

    gc_net_init(net);
    gc_test_read_ref_net(net, names[_i]);
    for (i = 0; i < 4; i++)
    {
        gc_trace_t t;
        gc_param_struct p = {GC_PARAM_B, 1};

        gc_trace_init(t, net->len, precs[i]);
        ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
        for (j = 1; j <= net->len; j++)
        {
            mpfr_exp_t e = step[_i] * (net->len - j) - 3;

            ck_assert_msg(mpfr_cmp_si_2exp(t->db + j - 1, 1, e) == 0,
                          "%s prec %ld: db_%ld != 2^%ld", names[_i],
                          (long) precs[i], (long) j, (long) e);
            /* a_{j-1} = 1/2 */
            ck_assert(mpfr_cmp_si_2exp(t->dw + j - 1, 1, e - 1) == 0);
        }
        p.layer = 1 + (slong) (i * (net->len - 1) / 3);
        ck_assert_int_eq(gc_eval_param_mpfr(t->z, net, &p), GC_SUCCESS);
        ck_assert(mpfr_equal_p(t->z, t->db + p.layer - 1));
        gc_trace_clear(t);
    }
    gc_net_clear(net);
}
END_TEST

START_TEST(test_prec_for_digits)
{
    /* ceil(40 log2 10) = 133, ceil(log2 5) = 3 */
    ck_assert_int_eq(gc_prec_for_digits(40, 4), 133 + 6 + 16);
    ck_assert_int_eq(gc_prec_for_digits(1, 0), 4 + 0 + 16);
    ck_assert_int_eq(gc_prec_for_digits(40, 1), 133 + 2 + 16);
    ck_assert_int_eq(gc_prec_for_digits(40, 3), 133 + 4 + 16);
    /* 1000 log2 10 = 3321.93: 3322; log2(2^20) = 20 exactly */
    ck_assert_int_eq(gc_prec_for_digits(1000, (1L << 20) - 1),
                     3322 + 40 + 16);
    ck_assert_int_eq(gc_prec_for_digits(1000, 1L << 20), 3322 + 42 + 16);
}
END_TEST

/* d = gc_digits_for_prec(prec, len) is the largest d >= 1 with
   gc_prec_for_digits(d, len) <= prec (or 1). */
static void
check_digits_for_prec(slong prec, slong len, ulong seed)
{
    slong d = gc_digits_for_prec(prec, len);

    ck_assert_msg(d >= 1 && (d == 1 || gc_prec_for_digits(d, len) <= prec)
                      && gc_prec_for_digits(d + 1, len) > prec,
                  "prec=%ld len=%ld d=%ld seed=%lu", (long) prec,
                  (long) len, (long) d, seed);
}

START_TEST(test_digits_for_prec)
{
    static const slong lens[] = {0, 1, 3, 4, 1000, 1000000, WORD(1) << 40,
                                 GC_NET_LEN_MAX};
    flint_rand_t state;
    slong i, k, prec;
    ulong seed = gc_test_seed();

    gc_test_randinit(state);
    for (k = 0; k < (slong) (sizeof lens / sizeof lens[0]); k++)
    {
        for (prec = 1; prec <= 400; prec++)
            check_digits_for_prec(prec, lens[k], seed);
        /* every precision the program accepts, and MPFR's largest */
        check_digits_for_prec(GC_MAX_PREC_LIMIT, lens[k], seed);
        check_digits_for_prec(MPFR_PREC_MAX, lens[k], seed);
        for (i = 0; i < gc_test_iters(200); i++)
        {
            prec = 1 + (slong) n_randint(state, MPFR_PREC_MAX);
            check_digits_for_prec(prec, lens[k], seed);
            prec = 1 + (slong) n_randint(state, GC_MAX_PREC_LIMIT);
            check_digits_for_prec(prec, lens[k], seed);
        }
    }
    /* 155 bits for 4 layers are 40 digits (test_prec_for_digits) */
    ck_assert_int_eq(gc_digits_for_prec(155, 4), 40);
    ck_assert_int_eq(gc_digits_for_prec(154, 4), 39);
    ck_assert_int_eq(gc_digits_for_prec(20, 0), 1);
    ck_assert_int_eq(gc_digits_for_prec(2, 0), 1);
    flint_randclear(state);
}
END_TEST

/* The bytes malloc has handed out, in its arena and mmap'ed. */
static size_t
heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();

    return m.uordblks + m.hblkhd;
}

/* The memory estimates of the engines bound the heap that their results
   hold after an evaluation (mallinfo2), and not by more than a factor 4;
   they saturate at SIZE_MAX.  Case _i: the Arb trace, the MPFR trace
   with its prepared chain, the replay in binary64 and in binary128. */
START_TEST(test_engine_bytes)
{
    static const slong lens[] = {1000, 20000};
    static const slong precs[] = {64, 200, 1000};
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, 7);
    gc_net_t net;
    gc_arb_trace_t t;
    gc_trace_t mt;
    gc_chain_mpfr_t c;
    gc_replay_t r;
    gc_numfmt_struct * fmts;
    gc_parse_error_t err;
    slong nfmts;
    size_t before, used, est;
    int i, k;

    ck_assert(gc_numfmt_list_set_str(&fmts, &nfmts, "binary64,binary128",
                                     err) == GC_SUCCESS);

    gc_net_init(net);
    for (i = 0; i < 2; i++)
        for (k = 0; k < 3; k++)
        {
            gc_net_set_random(net, rnd, lens[i]);
            before = heap_in_use();
            if (_i == 0)
            {
                gc_arb_trace_init(t, lens[i]);
                ck_assert(gc_eval_arb(t, net, precs[k]) == GC_SUCCESS);
                est = gc_eval_arb_bytes(lens[i], precs[k]);
            }
            else if (_i == 1)
            {
                gc_chain_mpfr_init(c, net, precs[k]);
                gc_trace_init(mt, lens[i], precs[k]);
                ck_assert(gc_eval_chain_mpfr(mt, c) == GC_SUCCESS);
                est = gc_eval_mpfr_bytes(lens[i], precs[k]);
            }
            else
            {
                /* the rounded parameters are freed: the rest must fit */
                gc_replay_init(r);
                ck_assert(gc_replay(r, net, fmts + _i - 2, GC_SEQ_FRAMEWORK,
                                    NULL) == GC_SUCCESS);
                est = gc_replay_bytes(lens[i], fmts + _i - 2);
            }
            used = heap_in_use() - before;
            /* used = 0: a malloc that mallinfo2 does not see (valgrind) */
            ck_assert_msg(used == 0 || (used <= est && est <= 4 * used),
                          "case %d len %ld prec %ld: %zu bytes used, %zu "
                          "estimated", _i, (long) lens[i], (long) precs[k],
                          used, est);
            if (_i == 0)
                gc_arb_trace_clear(t);
            else if (_i == 1)
            {
                gc_trace_clear(mt);
                gc_chain_mpfr_clear(c);
            }
            else
                gc_replay_clear(r);
        }
    gc_net_clear(net);
    flint_free(fmts);
    ck_assert(gc_eval_mpfr_bytes(WORD_MAX, 64) == SIZE_MAX);
    ck_assert(gc_eval_arb_bytes(WORD_MAX, 64) == SIZE_MAX);
    ck_assert(gc_eval_arb_bytes(GC_NET_LEN_MAX, 1 << 20) == SIZE_MAX);
    ck_assert(gc_eval_arb_bytes(0, 64) > 0);
}
END_TEST

START_TEST(test_class_names)
{
    const char * const * names = gc_class_names();

    ck_assert_str_eq(gc_class_name(GC_CLASS_NORMAL), "normal");
    ck_assert_str_eq(gc_class_name(GC_CLASS_SUBNORMAL), "subnormal");
    ck_assert_str_eq(gc_class_name(GC_CLASS_ZERO), "zero");
    ck_assert_str_eq(gc_class_name(GC_CLASS_INF), "infinite");
    ck_assert_str_eq(gc_class_name(GC_CLASS_NAN), "nan");
    ck_assert(names[GC_CLASS_NAN] != NULL && names[GC_CLASS_NAN + 1] == NULL);
}
END_TEST

START_TEST(test_death_scan)
{
    const gc_class_t cls[] = {GC_CLASS_NAN,       GC_CLASS_INF,
                              GC_CLASS_ZERO,      GC_CLASS_SUBNORMAL,
                              GC_CLASS_ZERO,      GC_CLASS_SUBNORMAL,
                              GC_CLASS_NORMAL};
    gc_death_struct d;

    gc_death_scan(&d, cls, 7);
    ck_assert_int_eq(d.first_subnormal, 6);
    ck_assert_int_eq(d.first_zero, 5);
    ck_assert_int_eq(d.first_inf, 2);
    ck_assert_int_eq(d.first_nan, 1);
    gc_death_scan(&d, cls + 6, 1);
    ck_assert(d.first_subnormal == 0 && d.first_zero == 0
              && d.first_inf == 0 && d.first_nan == 0);
    gc_death_scan(&d, cls, 0);
    ck_assert(d.first_nan == 0);
}
END_TEST

/* ---- special ------------------------------------------------------------ */

/* L = 1: db_1 = s'(z)(a - y) with z = w a0 + b, checked by the naive
   reference at 1000 bits; a zero weight cuts the chain. */
START_TEST(test_eval_mpfr_short_and_zero)
{
    gc_net_t net;
    gc_trace_t t;
    slong j;

    gc_net_init(net);
    gc_net_set_length(net, 1);
    set_layer_d(net, 1, -0.75, 0.3125);
    mpq_set_si(net->a0, -3, 7);
    mpq_set_ui(net->y, 2, 5);
    gc_trace_init(t, 1, 150);
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
    check_against_ref(t, net, 40, 1000, "L=1");
    gc_trace_clear(t);

    /* w_4 = 0: db_j = dw_j = 0 exactly for j < 4, nonzero from 4 on */
    gc_net_set_length(net, 6);
    mpq_set_ui(net->a0, 1, 1);
    for (j = 1; j <= 6; j++)
        set_layer_d(net, j, j == 4 ? 0.0 : 0.5 * j, -0.25 * j);
    gc_trace_init(t, 6, 150);
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
    for (j = 1; j <= 6; j++)
    {
        gc_param_struct p = {GC_PARAM_B, j};

        ck_assert(mpfr_zero_p(t->db + j - 1) == (j < 4));
        ck_assert(mpfr_zero_p(t->dw + j - 1) == (j < 4));
        ck_assert_int_eq(gc_eval_param_mpfr(t->z, net, &p), GC_SUCCESS);
        ck_assert(mpfr_zero_p(t->z) == (j < 4));
    }
    gc_trace_clear(t);

    /* the empty chain: nothing to differentiate, a_0 is set */
    gc_net_set_length(net, 0);
    gc_trace_init(t, 0, 64);
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
    ck_assert(mpfr_cmp_ui(t->a, 1) == 0);
    gc_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* Networks an engine does not evaluate are GC_UNABLE ("not implemented
   for this input"), from gc_engine_check and from every engine alike. */
START_TEST(test_engine_check)
{
    static const gc_act_t acts[] = {GC_ACT_SIGMOID, GC_ACT_TANH,
                                    GC_ACT_RELU, GC_ACT_IDENTITY};
    static const gc_cost_t costs[] = {GC_COST_QUADRATIC,
                                      GC_COST_CROSS_ENTROPY, GC_COST_GIVEN};
    gc_net_t net;
    gc_trace_t t;
    gc_param_struct p = {GC_PARAM_W, 2};
    gc_engine_t e;
    mpfr_t r;
    int i, k, want;

    ck_assert(gc_engine_set_str(&e, "arb") == GC_SUCCESS
              && e == GC_ENGINE_ARB);
    ck_assert(gc_engine_set_str(&e, "replay") == GC_SUCCESS
              && e == GC_ENGINE_REPLAY);
    ck_assert_str_eq(gc_engine_name(GC_ENGINE_MPFR), "mpfr");
    ck_assert(gc_engine_set_str(&e, "double") == GC_INVALID);
    ck_assert(gc_engine_names()[4] == NULL);

    gc_net_init(net);
    gc_net_set_length(net, 3);
    mpq_set_ui(net->dc_da, 1, 2);
    gc_trace_init(t, 3, 64);
    mpfr_init2(r, 64);
    for (i = 0; i < 4; i++)
        for (k = 0; k < 3; k++)
        {
            net->act.kind = acts[i];
            net->cost = costs[k];
            /* every activation and cost; cross-entropy needs a sigmoid
               output */
            want = (i == 0 || k != 1) ? GC_SUCCESS : GC_UNABLE;
            ck_assert_int_eq(gc_engine_check(GC_ENGINE_MPFR, net), want);
            ck_assert_int_eq(gc_engine_check(GC_ENGINE_ARB, net), want);
            ck_assert_int_eq(gc_eval_mpfr(t, net), want);
            ck_assert_int_eq(gc_eval_param_mpfr(r, net, &p), want);
            /* the replay: every activation; cross-entropy (k = 1) only
               with a sigmoid output */
            want = (i == 0 || k != 1) ? GC_SUCCESS : GC_UNABLE;
            ck_assert_int_eq(gc_engine_check(GC_ENGINE_REPLAY, net), want);
        }
    mpfr_clear(r);
    gc_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* y within 1e-30 (and 1e-300) of a_L, on both sides and for both signs
   of z_L: every digit of every gradient must survive the cancellation of
   a_L - y.  Also y = 1 with a_L = 1 - e^-60ish. */
START_TEST(test_eval_mpfr_cancel)
{
    static const double bl[] = {2.5, -2.5, 0.0};
    static const char * const off[] = {"1e-30", "-1e-30", "1e-300",
                                       "-1e-300"};
    gc_net_t net;
    gc_trace_t t;
    gc_parse_error_t err;
    mpfr_ptr v;
    mpfr_t aL;
    mpq_t q;
    slong i, k, j, len = 3;
    char what[64];

    gc_net_init(net);
    gc_net_set_length(net, len);
    mpq_init(q);
    mpfr_init2(aL, 4000);
    v = flint_malloc(sizeof(__mpfr_struct) * (3 * len + 1));
    for (j = 0; j < 3 * len + 1; j++)
        mpfr_init2(v + j, 4000);
    gc_trace_init(t, len, gc_prec_for_digits(40, len));
    for (i = 0; i < 3; i++)
        for (k = 0; k < 4; k++)
        {
            set_layer_d(net, 1, 0.8125, -0.375);
            set_layer_d(net, 2, -1.25, 0.5);
            set_layer_d(net, 3, 1.5, bl[i]);
            mpq_set_ui(net->y, 0, 1);
            ref_eval(v, v + len, v + 2 * len, net, 4000);
            /* y = a_L + off, exactly */
            ck_assert(gc_q_set_str(q, off[k], err) == GC_SUCCESS);
            mpfr_add_q(aL, v + 3 * len, q, MPFR_RNDN);
            mpfr_get_q(net->y, aL);
            ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
            snprintf(what, sizeof what, "b_L=%g y=a_L%s", bl[i], off[k]);
            check_against_ref(t, net, 40, 4000, what);
        }
    /* y = 1, z_L = 61: a_L - 1 = -e^-61 (1 + ...): the A = 1 - y = 0 path */
    set_layer_d(net, 3, 1.0, 60.0);
    mpq_set_ui(net->y, 1, 1);
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
    check_against_ref(t, net, 40, 4000, "y=1");

    gc_trace_clear(t);
    for (j = 0; j < 3 * len + 1; j++)
        mpfr_clear(v + j);
    flint_free(v);
    mpfr_clear(aL);
    mpq_clear(q);
    gc_net_clear(net);
}
END_TEST

/* A saturated chain, w = 1, b = B = 2^20, a_0 = 0, y = 0, L = 720: z_1 =
   B, z_k = B + 1 - O(e^-B), so dC/db_1 = e^-(B + (L-1)(B+1)) (1 - O(L
   e^-B)), about 2^-1.09e9, below 2^-(2^30): a regular MPFR number with
   exponent floor(-(B + (L-1)(B+1)) / ln 2) + 1, once the caller has
   widened its range (in MPFR's default range it is GC_UNABLE). */
START_TEST(test_eval_mpfr_huge_depth)
{
    const slong len = 720, B = 1L << 20;
    gc_net_t net;
    gc_trace_t t;
    gc_param_struct p = {GC_PARAM_B, 1};
    mpfr_t x, ref, s;
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    slong j;

    gc_net_init(net);
    gc_net_set_length(net, len);
    mpq_set_ui(net->a0, 0, 1);
    for (j = 1; j <= len; j++)
        set_layer_d(net, j, 1.0, (double) B);
    gc_trace_init(t, len, 128);
    mpfr_set_emin(1 - (1L << 30));
    mpfr_set_emax((1L << 30) - 1);
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_UNABLE);
    ck_assert(mpfr_zero_p(t->db) && mpfr_get_emin() == 1 - (1L << 30));
    gc_mpfr_widen_exponent_range();
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);

    mpfr_inits2(256, x, ref, s, (mpfr_ptr) 0);
    mpfr_set_si(s, -(B + (len - 1) * (B + 1)), MPFR_RNDN);
    mpfr_exp(ref, s, MPFR_RNDN);
    mpfr_const_log2(x, MPFR_RNDN);
    mpfr_div(x, s, x, MPFR_RNDN);
    mpfr_floor(x, x);
    ck_assert(mpfr_regular_p(t->db));
    ck_assert(mpfr_get_exp(t->db) < -(1L << 30));
    ck_assert_msg(mpfr_get_exp(t->db) == mpfr_get_si(x, MPFR_RNDN) + 1,
                  "exponent %ld", (long) mpfr_get_exp(t->db));
    /* 2L roundings at 128 bits */
    mpfr_sub(x, t->db, ref, MPFR_RNDN);
    mpfr_div(x, x, ref, MPFR_RNDN);
    mpfr_mul_2si(x, x, 128 - 12, MPFR_RNDN);
    ck_assert(mpfr_cmpabs_ui(x, 1) < 0);
    /* streamed: the same number up to 4L + 3 ulps */
    mpfr_set_prec(s, 128);
    ck_assert_int_eq(gc_eval_param_mpfr(s, net, &p), GC_SUCCESS);
    mpfr_sub(x, s, t->db, MPFR_RNDN);
    mpfr_div(x, x, t->db, MPFR_RNDN);
    mpfr_mul_2si(x, x, 128, MPFR_RNDN);
    ck_assert(mpfr_cmpabs_ui(x, 4 * len + 3) <= 0);

    mpfr_clears(x, ref, s, (mpfr_ptr) 0);
    gc_trace_clear(t);
    gc_net_clear(net);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
}
END_TEST

/* ---- MPFR's state ------------------------------------------------------- */

/* The caller's state of the test below: a narrow range and some flags,
   among them NaN (which must not make an evaluation GC_DOMAIN). */
#define NARROW_EMIN (-100)
#define NARROW_EMAX 100
#define NARROW_FLAGS                                                        \
    (MPFR_FLAGS_NAN | MPFR_FLAGS_UNDERFLOW | MPFR_FLAGS_INEXACT)

static void
narrow_set(void)
{
    mpfr_set_emin(NARROW_EMIN);
    mpfr_set_emax(NARROW_EMAX);
    mpfr_flags_clear(MPFR_FLAGS_ALL);
    mpfr_flags_set(NARROW_FLAGS);
}

/* Checks that *fn* left the range and the flags of narrow_set. */
static void
narrow_check(const char * fn)
{
    ck_assert_msg(mpfr_get_emin() == NARROW_EMIN
                      && mpfr_get_emax() == NARROW_EMAX,
                  "%s changed MPFR's range", fn);
    ck_assert_msg(mpfr_flags_save() == NARROW_FLAGS,
                  "%s changed MPFR's flags: %x", fn,
                  (unsigned) mpfr_flags_save());
}

/* Checks the 5 len + 1 numbers of the trace *t* (got in the narrow range)
   against *w* (the same in the widest range): equal where w fits the
   narrow range, a number of that range otherwise.  Returns how many did
   not fit. */
static slong
narrow_trace_cmp(const gc_trace_t t, const gc_trace_t w)
{
    slong i, out = 0;

    for (i = 0; i < 5 * t->len + 1; i++)
    {
        mpfr_srcptr x = t->z + i, y = w->z + i;

        if (!mpfr_regular_p(y) || (mpfr_get_exp(y) >= NARROW_EMIN
                                   && mpfr_get_exp(y) <= NARROW_EMAX))
            ck_assert_msg(mpfr_equal_p(x, y) || (mpfr_nan_p(x)
                                                 && mpfr_nan_p(y)),
                          "entry %ld differs", (long) i);
        else
        {
            out++;
            ck_assert(!mpfr_regular_p(x) || (mpfr_get_exp(x) >= NARROW_EMIN
                                             && mpfr_get_exp(x)
                                                    <= NARROW_EMAX));
        }
    }
    return out;
}

/* Every evaluator leaves a narrow caller's range and flags as it found
   them; results that fit equal those of the widest range, the others
   are GC_UNABLE (n4_s0 fits in [2^-101, 2^100], quarter600 does not). */
START_TEST(test_mpfr_state)
{
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    gc_net_t n4, q6;
    gc_trace_t t, w, t6, w6;
    gc_chain_mpfr_t c;
    gc_replay_t r;
    gc_arb_trace_t at, aw;
    gc_numfmt_t f64, f16;
    gc_parse_error_t err;
    mpfr_t v, vw, e, ew;
    arb_t x;
    char * s, * sw;
    slong k, kw, prec, precw;
    int status;

    gc_net_init(n4);
    gc_net_init(q6);
    gc_test_read_ref_net(n4, "n4_s0");
    gc_test_read_ref_net(q6, "quarter600");
    gc_trace_init(t, 4, 100);
    gc_trace_init(w, 4, 100);
    gc_trace_init(t6, 600, 64);
    gc_trace_init(w6, 600, 64);
    gc_replay_init(r);
    gc_arb_trace_init(at, 4);
    gc_arb_trace_init(aw, 4);
    mpfr_inits2(100, v, vw, e, ew, (mpfr_ptr) 0);
    arb_init(x);
    ck_assert(gc_numfmt_set_str(f64, "binary64", err) == GC_SUCCESS);
    ck_assert(gc_numfmt_set_str(f16, "binary16", err) == GC_SUCCESS);

    /* the widest range: the references */
    gc_mpfr_widen_exponent_range();
    ck_assert_int_eq(gc_eval_mpfr(w, n4), GC_SUCCESS);
    ck_assert_int_eq(gc_eval_mpfr(w6, q6), GC_SUCCESS);
    ck_assert_int_eq(gc_eval_arb_digits(aw, n4, 25, GC_MAX_PREC_DEFAULT,
                                        &precw), GC_SUCCESS);
    /* dC/db_1 in binary64: a relative error of about 2^-55 */
    mpfr_set_d(vw, mpfr_get_d(w->db, MPFR_RNDN), MPFR_RNDN);
    ck_assert_int_eq(gc_arb_rel_error(ew, vw, aw->db), GC_SUCCESS);
    /* the MPFR engine's own, below 2^-101 */
    ck_assert_int_eq(gc_arb_rel_error(e, w->db, aw->db), GC_SUCCESS);
    ck_assert(mpfr_get_exp(e) < NARROW_EMIN);
    ck_assert_int_eq(gc_eval_param_mpfr(vw, n4, GC_TEST_PARAM(GC_PARAM_W, 2)),
                     GC_SUCCESS);

    narrow_set();
    ck_assert_int_eq(gc_eval_mpfr(t, n4), GC_SUCCESS);
    narrow_check("gc_eval_mpfr");
    ck_assert_int_eq(narrow_trace_cmp(t, w), 0);
    gc_chain_mpfr_init(c, n4, 100);
    narrow_check("gc_chain_mpfr_init");
    ck_assert_int_eq(gc_eval_chain_mpfr(t, c), GC_SUCCESS);
    narrow_check("gc_eval_chain_mpfr");
    ck_assert_int_eq(narrow_trace_cmp(t, w), 0);
    gc_chain_mpfr_clear(c);
    ck_assert_int_eq(gc_eval_param_mpfr(v, n4, GC_TEST_PARAM(GC_PARAM_W, 2)),
                     GC_SUCCESS);
    narrow_check("gc_eval_param_mpfr");
    ck_assert(mpfr_equal_p(v, vw));

    /* quarter600: dC/db_j = 2^-(2(600-j)+3) fits for j >= 551 only,
       dC/dw_j = dC/db_j / 2 for j >= 552 */
    ck_assert_int_eq(gc_eval_mpfr(t6, q6), GC_UNABLE);
    narrow_check("gc_eval_mpfr");
    ck_assert_int_eq(narrow_trace_cmp(t6, w6), 550 + 551);
    ck_assert_int_eq(gc_eval_param_mpfr(v, q6, GC_TEST_PARAM(GC_PARAM_B, 1)),
                     GC_UNABLE);
    ck_assert(mpfr_zero_p(v));
    ck_assert_int_eq(gc_eval_param_mpfr(v, q6,
                                        GC_TEST_PARAM(GC_PARAM_B, 551)),
                     GC_SUCCESS);
    ck_assert(mpfr_cmp_ui_2exp(v, 1, -101) == 0);
    narrow_check("gc_eval_param_mpfr");

    /* replays: binary64 values of quarter600 go down to 2^-1073 */
    ck_assert_int_eq(gc_replay(r, n4, f64, GC_SEQ_FRAMEWORK, NULL),
                     GC_SUCCESS);
    narrow_check("gc_replay");
    ck_assert_int_eq(gc_replay(r, q6, f16, GC_SEQ_FRAMEWORK, NULL),
                     GC_SUCCESS);
    ck_assert_int_eq(r->death.first_zero, 589);
    ck_assert_int_eq(gc_replay(r, q6, f64, GC_SEQ_FRAMEWORK, NULL),
                     GC_UNABLE);
    narrow_check("gc_replay");
    ck_assert_int_eq(r->death.first_zero, 64);

    /* the Arb engine, digits, bounds and errors */
    ck_assert_int_eq(gc_eval_arb_digits(at, n4, 25, GC_MAX_PREC_DEFAULT,
                                        &prec), GC_SUCCESS);
    narrow_check("gc_eval_arb_digits");
    ck_assert(prec == precw && arb_equal(at->db, aw->db)
              && arb_equal(at->dw + 3, aw->dw + 3));
    arb_one(x);
    arb_mul_2exp_si(x, x, -1000);
    status = gc_arb_get_str_digits(&s, &k, x, 5);
    narrow_check("gc_arb_get_str_digits");
    ck_assert_int_eq(status, GC_SUCCESS);
    ck_assert_str_eq(s, "9.3326e-302");
    flint_free(s);
    status = gc_arb_get_str_digits(&s, &k, aw->db, 25);
    gc_mpfr_widen_exponent_range();
    ck_assert_int_eq(gc_arb_get_str_digits(&sw, &kw, aw->db, 25), status);
    narrow_set();
    ck_assert(status == GC_SUCCESS && strcmp(s, sw) == 0 && k == kw);
    flint_free(s);
    flint_free(sw);
    /* a relative error of 2^-200 is bounded by 2^-101 here */
    mag_set_ui_2exp_si(arb_radref(x), 1, -1200);
    gc_arb_rel_error_bound(e, x);
    narrow_check("gc_arb_rel_error_bound");
    ck_assert(mpfr_cmp_ui_2exp(e, 1, -101) == 0);
    mpfr_set_d(v, mpfr_get_d(t->db, MPFR_RNDN), MPFR_RNDN);
    ck_assert_int_eq(gc_arb_rel_error(e, v, at->db), GC_SUCCESS);
    narrow_check("gc_arb_rel_error");
    ck_assert(mpfr_equal_p(e, ew));
    ck_assert_int_eq(gc_arb_rel_error(e, t->db, at->db), GC_UNABLE);
    ck_assert(mpfr_zero_p(e));
    mpfr_set_ui(v, 1, MPFR_RNDN);
    ck_assert_int_eq(gc_arb_rel_error(e, v, x), GC_UNABLE);
    ck_assert(mpfr_inf_p(e));
    narrow_check("gc_arb_rel_error");

    /* formats and loss scales */
    ck_assert_int_eq(gc_loss_scale_set_str(v, "2^16", err), GC_SUCCESS);
    ck_assert(mpfr_cmp_ui(v, 65536) == 0);
    ck_assert_int_eq(gc_loss_scale_check(f16, v), GC_SUCCESS);
    ck_assert_int_eq(gc_loss_scale_set_str(v, "1/3", err), GC_SUCCESS);
    ck_assert_int_eq(gc_loss_scale_set_str(v, "2^200", err), GC_UNABLE);
    ck_assert(mpfr_inf_p(v));
    narrow_check("gc_loss_scale_set_str");
    ck_assert_int_eq(gc_numfmt_digits(f64), 17);
    narrow_check("gc_numfmt_digits");
    mpfr_set_d(v, 1.0 / 3, MPFR_RNDN);
    ck_assert_int_eq(gc_numfmt_round(e, v, f16), GC_ROUND_INEXACT);
    narrow_check("gc_numfmt_round");
    ck_assert_int_eq(gc_prec_for_digits(40, 4), 155);
    narrow_check("gc_prec_for_digits");

    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_flags_clear(MPFR_FLAGS_ALL);
    arb_clear(x);
    mpfr_clears(v, vw, e, ew, (mpfr_ptr) 0);
    gc_arb_trace_clear(at);
    gc_arb_trace_clear(aw);
    gc_replay_clear(r);
    gc_trace_clear(t);
    gc_trace_clear(w);
    gc_trace_clear(t6);
    gc_trace_clear(w6);
    gc_net_clear(n4);
    gc_net_clear(q6);
}
END_TEST

/* ---- random ------------------------------------------------------------- */

/* Sets *net* to a generated N(0, sd) network of random length 1..maxlen
   and random a0, y (random seed from *state*). */
static void
random_net(gc_net_t net, flint_rand_t state, slong maxlen)
{
    gc_random_t n;

    gc_dist_set_normal(&n->weights, 0.0,
                       0.25 + n_randint(state, 8) * 0.25);
    gc_random_set_dist(n, &n->weights, n_randlimb(state));
    gc_net_set_random(net, n, 1 + n_randint(state, maxlen));
    mpq_set_si(net->a0, (slong) n_randint(state, 9) - 4,
               1 + n_randint(state, 4));
    mpq_set_ui(net->y, n_randint(state, 5), 4);
}

/* Against the naive reference at 4 times the precision: 30 digits. */
START_TEST(test_eval_mpfr_random_ref)
{
    flint_rand_t state;
    slong iter;

    gc_test_randinit(state);
    for (iter = 0; iter < gc_test_iters(30); iter++)
    {
        gc_net_t net;
        gc_trace_t t;
        char what[64];

        gc_net_init(net);
        random_net(net, state, 60);
        gc_trace_init(t, net->len, gc_prec_for_digits(30, net->len));
        ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
        snprintf(what, sizeof what, "iter %ld L %ld seed %lu", (long) iter,
                 (long) net->len, (ulong) net->random.seed);
        check_against_ref(t, net, 30, 4 * t->prec, what);
        gc_trace_clear(t);
        gc_net_clear(net);
    }
    flint_randclear(state);
}
END_TEST

/* Doubling the precision keeps the 30-digit rounding; the prepared chain
   gives the same trace bit for bit as gc_eval_mpfr. */
START_TEST(test_eval_mpfr_random_prec)
{
    flint_rand_t state;
    slong iter, j;

    gc_test_randinit(state);
    for (iter = 0; iter < gc_test_iters(20); iter++)
    {
        gc_net_t net;
        gc_trace_t t, t2;
        gc_chain_mpfr_t c;
        mpfr_prec_t p;
        char s1[80], s2[80];

        gc_net_init(net);
        random_net(net, state, 300);
        p = gc_prec_for_digits(30, net->len);
        gc_trace_init(t, net->len, p);
        gc_trace_init(t2, net->len, 2 * p);
        ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
        ck_assert_int_eq(gc_eval_mpfr(t2, net), GC_SUCCESS);
        for (j = 0; j < net->len; j++)
        {
            sci_str(s1, sizeof s1, t->db + j, 30);
            sci_str(s2, sizeof s2, t2->db + j, 30);
            ck_assert_msg(strcmp(s1, s2) == 0,
                          "db_%ld: %s at %ld bits, %s at %ld (L %ld seed %lu)",
                          (long) j + 1, s1, (long) p, s2, (long) 2 * p,
                          (long) net->len, gc_test_seed());
            sci_str(s1, sizeof s1, t->dw + j, 30);
            sci_str(s2, sizeof s2, t2->dw + j, 30);
            ck_assert_msg(strcmp(s1, s2) == 0, "dw_%ld: %s %s seed %lu",
                          (long) j + 1, s1, s2, gc_test_seed());
        }
        gc_trace_clear(t2);
        gc_trace_init(t2, net->len, p);
        gc_chain_mpfr_init(c, net, p);
        ck_assert_int_eq(gc_eval_chain_mpfr(t2, c), GC_SUCCESS);
        ck_assert_int_eq(gc_eval_chain_mpfr(t2, c), GC_SUCCESS);
        for (j = 0; j < net->len; j++)
            ck_assert(mpfr_equal_p(t->db + j, t2->db + j)
                      && mpfr_equal_p(t->dw + j, t2->dw + j)
                      && mpfr_equal_p(t->sp + j, t2->sp + j));
        gc_chain_mpfr_clear(c);
        gc_trace_clear(t);
        gc_trace_clear(t2);
        gc_net_clear(net);
    }
    flint_randclear(state);
}
END_TEST

/* The streamed gradient of b_j and w_j (random j) equals the all-layers
   value up to 4(L - j) + 3 ulps: both make 2(L - j) + 1 or 2 roundings
   of the same factors, in a different order.  The last layer's b is bit
   for bit equal (the same single product). */
START_TEST(test_eval_param_mpfr_random)
{
    flint_rand_t state;
    slong iter;

    gc_test_randinit(state);
    for (iter = 0; iter < gc_test_iters(40); iter++)
    {
        gc_net_t net;
        gc_trace_t t;
        gc_param_struct p;
        mpfr_t r, d;
        mpfr_srcptr x;

        gc_net_init(net);
        random_net(net, state, 200);
        if (iter % 2)
            gc_net_materialize(net);
        gc_trace_init(t, net->len, 64 + n_randint(state, 300));
        ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
        p.kind = n_randint(state, 2) ? GC_PARAM_W : GC_PARAM_B;
        p.layer = 1 + n_randint(state, net->len);
        mpfr_inits2(t->prec, r, d, (mpfr_ptr) 0);
        ck_assert_int_eq(gc_eval_param_mpfr(r, net, &p), GC_SUCCESS);
        x = (p.kind == GC_PARAM_B ? t->db : t->dw) + p.layer - 1;
        if (p.layer == net->len && p.kind == GC_PARAM_B)
            ck_assert(mpfr_equal_p(r, x));
        if (mpfr_zero_p(x))
            ck_assert(mpfr_zero_p(r));
        else
        {
            mpfr_sub(d, r, x, MPFR_RNDN);
            mpfr_mul_2si(d, d, t->prec - mpfr_get_exp(x), MPFR_RNDN);
            ck_assert_msg(mpfr_cmpabs_ui(d, 4 * (net->len - p.layer) + 3)
                              <= 0,
                          "%c%ld of L=%ld at %ld bits: %g ulps (seed %lu)",
                          "bw"[p.kind], (long) p.layer, (long) net->len,
                          (long) t->prec, mpfr_get_d(d, MPFR_RNDN),
                          gc_test_seed());
        }
        mpfr_clears(r, d, (mpfr_ptr) 0);
        gc_trace_clear(t);
        gc_net_clear(net);
    }
    flint_randclear(state);
}
END_TEST

static Suite *
gc_numeric_suite(void)
{
    Suite * s = suite_create("numeric");
    TCase * tc;

    tc = tcase_create("core");
    tcase_add_loop_test(tc, test_eval_mpfr_refdata, 0,
                        sizeof ref_names / sizeof ref_names[0]);
    tcase_add_loop_test(tc, test_eval_mpfr_exact, 0, 3);
    tcase_add_test(tc, test_prec_for_digits);
    tcase_add_test(tc, test_digits_for_prec);
    tcase_add_loop_test(tc, test_engine_bytes, 0, 4);
    tcase_add_test(tc, test_class_names);
    tcase_add_test(tc, test_death_scan);
    suite_add_tcase(s, tc);

    tc = tcase_create("special");
    tcase_add_test(tc, test_eval_mpfr_short_and_zero);
    tcase_add_test(tc, test_engine_check);
    tcase_add_test(tc, test_eval_mpfr_cancel);
    tcase_add_test(tc, test_eval_mpfr_huge_depth);
    tcase_add_test(tc, test_mpfr_state);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_add_test(tc, test_eval_mpfr_random_ref);
    tcase_add_test(tc, test_eval_mpfr_random_prec);
    tcase_add_test(tc, test_eval_param_mpfr_random);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_numeric_suite());
}
