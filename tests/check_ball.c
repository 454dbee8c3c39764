/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_ball.c -- the Arb ball engine: certified digits against the
   independent reference data, exact chains, hand-made balls at rounding
   boundaries and huge exponents, the Ziv loop, and containment of the
   MPFR result on random networks. */

#include <malloc.h>
#include <math.h>
#include <string.h>

#include "gc-test.h"

#define REF_DIGITS 40
#define REF_MAX_PREC 8192

static const char * const ref_names[] = {
    "n4_s0", "n4_s1", "n10_s0", "neutral1000", "quarter600", "explode2000",
    "nondyadic5", "act8_quad", "act7_ce", "act6_given", "act6_quad"
};

#define NREF ((int) (sizeof ref_names / sizeof ref_names[0]))

/* Returns 1 and fills j, db, dw (dw[0] = '\0' when absent) with the next
   data line of the .expected file f, or returns 0 at its end. */
static int
next_ref_line(slong * j, char * db, char * dw, FILE * f)
{
    char line[512], v1[128], v2[128];
    long jj;
    int n;

    while (fgets(line, sizeof line, f) != NULL)
    {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        n = sscanf(line, "%ld %127s %127s", &jj, v1, v2);
        ck_assert_msg(n >= 2, "bad reference line '%s'", line);
        *j = jj;
        strcpy(db, v1);
        dw[0] = '\0';
        if (n == 3)
            strcpy(dw, v2);
        return 1;
    }
    return 0;
}

static void
check_digits(const arb_t x, const char * expected, const char * what,
             const char * name, slong j)
{
    char * s;
    slong k;
    int status = gc_arb_get_str_digits(&s, &k, x, REF_DIGITS);

    ck_assert_msg(status == GC_SUCCESS && k == REF_DIGITS
                      && strcmp(s, expected) == 0,
                  "%s: %s_%ld = %s (%ld digits), expected %s", name, what,
                  (long) j, s, (long) k, expected);
    flint_free(s);
}

START_TEST(test_eval_arb_digits_ref)
{
    const char * name = ref_names[_i];
    char path[512], db[128], dw[128];
    gc_net_t net;
    gc_arb_trace_t t;
    slong j, prec, nlines = 0;
    int status;
    FILE * f;

    gc_net_init(net);
    gc_test_read_ref_net(net, name);
    gc_arb_trace_init(t, net->len);
    status = gc_eval_arb_digits(t, net, REF_DIGITS, REF_MAX_PREC, &prec);
    ck_assert_msg(status == GC_SUCCESS && t->prec == prec,
                  "%s: status %d prec %ld", name, status, (long) prec);

    snprintf(path, sizeof path, "%s/%s.expected", GC_TEST_REFDIR, name);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    while (next_ref_line(&j, db, dw, f))
    {
        ck_assert_msg(j >= 1 && j <= net->len, "%s: layer %ld", path,
                      (long) j);
        check_digits(t->db + j - 1, db, "db", name, j);
        if (dw[0] != '\0')
            check_digits(t->dw + j - 1, dw, "dw", name, j);
        nlines++;
    }
    fclose(f);
    ck_assert_msg(nlines == net->len, "%s: %ld lines for %ld layers", path,
                  (long) nlines, (long) net->len);

    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* The streamed parameter gives the same certified digits as the trace,
   for the first and last layer's bias and weight. */
START_TEST(test_eval_param_arb_digits_ref)
{
    const char * name = ref_names[_i];
    gc_net_t net;
    gc_arb_trace_t t;
    gc_param_struct p;
    arb_t res;
    slong prec, k1, k2, i;
    char * s1;
    char * s2;
    int status;

    gc_net_init(net);
    gc_test_read_ref_net(net, name);
    gc_arb_trace_init(t, net->len);
    arb_init(res);
    status = gc_eval_arb_digits(t, net, REF_DIGITS, REF_MAX_PREC, &prec);
    ck_assert_int_eq(status, GC_SUCCESS);
    for (i = 0; i < 4; i++)
    {
        arb_srcptr x;

        p.kind = (i & 1) ? GC_PARAM_W : GC_PARAM_B;
        p.layer = (i & 2) ? net->len : 1;
        x = (p.kind == GC_PARAM_W ? t->dw : t->db) + p.layer - 1;
        status = gc_eval_param_arb_digits(res, net, &p, REF_DIGITS,
                                          REF_MAX_PREC, &prec);
        ck_assert_int_eq(status, GC_SUCCESS);
        ck_assert_msg(arb_overlaps(res, x), "%s: %c%ld", name, "bw"[p.kind],
                      (long) p.layer);
        status = gc_arb_get_str_digits(&s1, &k1, res, REF_DIGITS)
                 | gc_arb_get_str_digits(&s2, &k2, x, REF_DIGITS);
        ck_assert_msg(status == GC_SUCCESS && strcmp(s1, s2) == 0,
                      "%s: %c%ld: %s vs %s", name, "bw"[p.kind], (long) p.layer,
                      s1, s2);
        flint_free(s1);
        flint_free(s2);
    }
    arb_clear(res);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* z = 0 in every layer: every ball is exact at the lowest precision. */
START_TEST(test_eval_arb_exact)
{
    const char * name = _i == 0 ? "neutral1000" : "quarter600";
    gc_net_t net;
    gc_arb_trace_t t;
    mpfr_t r;
    slong j, prec;
    int status;

    gc_net_init(net);
    gc_test_read_ref_net(net, name);
    gc_arb_trace_init(t, net->len);
    mpfr_init2(r, 53);
    status = gc_eval_arb(t, net, 2);
    ck_assert_int_eq(status, GC_SUCCESS);
    for (j = 0; j < net->len; j++)
    {
        ck_assert_msg(arb_is_exact(t->db + j) && arb_is_exact(t->dw + j)
                          && arb_is_zero(t->z + j),
                      "%s: layer %ld not exact", name, (long) j + 1);
        gc_arb_rel_error_bound(r, t->db + j);
        ck_assert(mpfr_zero_p(r));
    }
    /* 1/8, and 2^-(2(L-j)+3) */
    ck_assert(arf_is_int_2exp_si(arb_midref(t->db), _i == 0 ? -3 : -1201));
    ck_assert(arb_is_exact(t->db) && arf_bits(arb_midref(t->db)) == 1);
    status = gc_eval_arb_digits(t, net, 1000, 64, &prec);
    ck_assert_int_eq(status, GC_SUCCESS);
    ck_assert_int_eq(prec, 64);
    mpfr_clear(r);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* A zero weight makes every earlier gradient an exact zero; y = a_L
   exactly makes them all zero. */
START_TEST(test_eval_arb_zeros)
{
    gc_net_t net;
    gc_arb_trace_t t;
    gc_parse_error_t err;
    slong j, prec, k;
    char * s;
    int status;

    gc_net_init(net);
    status = gc_net_read_str(net, "a0 0.75\ny 0.25\n0.5 1\n0 -1\n3 0.5\n",
                             err);
    ck_assert_int_eq(status, GC_SUCCESS);
    gc_arb_trace_init(t, net->len);
    status = gc_eval_arb_digits(t, net, 30, 1024, &prec);
    ck_assert_int_eq(status, GC_SUCCESS);
    ck_assert(arb_is_zero(t->db) && arb_is_zero(t->dw));
    for (j = 1; j < net->len; j++)
        ck_assert(!arb_is_zero(t->db + j) && !arb_is_zero(t->dw + j));
    status = gc_arb_get_str_digits(&s, &k, t->db, 30);
    ck_assert(status == GC_SUCCESS && k == 30 && strcmp(s, "0") == 0);
    flint_free(s);
    gc_arb_trace_clear(t);

    /* one layer, z = 0: a_1 = 1/2 = y */
    status = gc_net_read_str(net, "a0 1\ny 1/2\n0 0\n", err);
    ck_assert_int_eq(status, GC_SUCCESS);
    gc_arb_trace_init(t, net->len);
    status = gc_eval_arb_digits(t, net, 30, 1024, &prec);
    ck_assert_int_eq(status, GC_SUCCESS);
    for (j = 0; j < net->len; j++)
        ck_assert(arb_is_zero(t->db + j) && arb_is_zero(t->dw + j));
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

START_TEST(test_eval_arb_unable)
{
    gc_activation_t tanh_act;
    gc_net_t net;
    gc_arb_trace_t t;
    gc_param_struct p = {GC_PARAM_B, 1};
    arb_t res;
    slong prec;
    int status;

    gc_net_init(net);
    gc_test_read_ref_net(net, "n4_s0");
    gc_arb_trace_init(t, net->len);
    arb_init(res);
    gc_activation_init(tanh_act);
    tanh_act->kind = GC_ACT_TANH;
    /* cross-entropy needs a sigmoid output layer */
    ck_assert_int_eq(gc_net_set_layer_act(net, net->len, tanh_act),
                     GC_SUCCESS);
    net->cost = GC_COST_CROSS_ENTROPY;
    status = gc_eval_arb(t, net, 64);
    ck_assert_int_eq(status, GC_UNABLE);
    status = gc_eval_param_arb(res, net, &p, 64);
    ck_assert_int_eq(status, GC_UNABLE);
    status = gc_eval_arb_digits(t, net, 10, 1024, &prec);
    ck_assert_int_eq(status, GC_UNABLE);
    gc_activation_clear(tanh_act);
    arb_clear(res);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* Sets s to the value of the reference string ref rounded to k digits. */
static char *
ref_rounded(const char * ref, slong k)
{
    mpfr_t x;
    char * s;

    mpfr_init2(x, 256);
    ck_assert(mpfr_set_str(x, ref, 10, MPFR_RNDN) == 0 || mpfr_number_p(x));
    s = gc_mpfr_get_str_sci(x, k);
    mpfr_clear(x);
    return s;
}

/* With max_prec too small for 40 digits, the Ziv loop gives up, and the
   digits the ball proves are the reference rounded to fewer digits. */
START_TEST(test_eval_arb_digits_unable)
{
    const char * ref_db1 = "8.063745820142799712733611199806107268379e-9";
    gc_net_t net;
    gc_arb_trace_t t;
    gc_param_struct p = {GC_PARAM_B, 1};
    arb_t res;
    slong prec, k;
    char * s;
    char * r;
    int status;

    gc_net_init(net);
    gc_test_read_ref_net(net, "n10_s0");
    gc_arb_trace_init(t, net->len);
    arb_init(res);

    status = gc_eval_arb_digits(t, net, 40, 64, &prec);
    ck_assert_int_eq(status, GC_UNABLE);
    ck_assert_int_eq(prec, 64);
    status = gc_arb_get_str_digits(&s, &k, t->db, 40);
    ck_assert_int_eq(status, GC_UNABLE);
    ck_assert_msg(k >= 10 && k < 20, "certified %ld", (long) k);
    r = ref_rounded(ref_db1, k);
    ck_assert_msg(strcmp(s, r) == 0, "%s vs %s", s, r);
    flint_free(s);
    flint_free(r);

    status = gc_eval_param_arb_digits(res, net, &p, 40, 100, &prec);
    ck_assert_int_eq(status, GC_UNABLE);
    ck_assert_int_eq(prec, 100);
    status = gc_arb_get_str_digits(&s, &k, res, 40);
    ck_assert_msg(status == GC_UNABLE && k >= 20 && k < 40, "certified %ld",
                  (long) k);
    r = ref_rounded(ref_db1, k);
    ck_assert_msg(strcmp(s, r) == 0, "%s vs %s", s, r);
    flint_free(s);
    flint_free(r);

    arb_clear(res);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* gradchain eval --random normal:0,100 --layers 10 --seed 3 --act gelu
   (its --save-network): z_10 is about -7 10^12, where Arb bounds erfc
   with a loss of about 3 10^17 bits that no precision reduces, so every
   dC/db_j and dC/dw_j contains zero at any precision. */
static const char gelu_blowup_net[] =
    "a0 1\n"
    "y 0\n"
    "act gelu\n"
    "-64.105156952623616462005884386599063873291015625 88.7480885856405308231842354871332645416259765625\n"
    "-114.6878992375664125802359194494783878326416015625 153.12470618864784910329035483300685882568359375\n"
    "91.1874212606524991997503093443810939788818359375 -20.0960699148050565554513013921678066253662109375\n"
    "-62.314563538364467376595712266862392425537109375 24.644977464068414718667554552666842937469482421875\n"
    "122.2369001819439091605090652592480182647705078125 -159.4070021472649614224792458117008209228515625\n"
    "58.030464086565046955001889728009700775146484375 32.389186825555469795290264301002025604248046875\n"
    "75.0845813645039612538312212564051151275634765625 126.955406048171056454521021805703639984130859375\n"
    "65.3643792251718735997201292775571346282958984375 -13.5497718694380768766905021038837730884552001953125\n"
    "146.86447308576936165991355665028095245361328125 30.79384171074477904994637356139719486236572265625\n"
    "-59.17757824762193052947623073123395442962646484375 -95.2408237930988406105825561098754405975341796875\n";

/* The Ziv loop stops early, before max_prec, where no precision up to it
   can prove the digits (_gc_ziv_loop's rule): it used to double up to
   max_prec (36 s at the default 2^20 bits). */
START_TEST(test_eval_arb_digits_hopeless)
{
    gc_parse_error_t err;
    gc_net_t net;
    gc_arb_trace_t t;
    arb_t res;
    slong prec, j;

    gc_net_init(net);
    ck_assert(gc_net_read_str(net, gelu_blowup_net, err) == GC_SUCCESS);
    gc_arb_trace_init_grads(t, net->len);
    arb_init(res);
    ck_assert_int_eq(gc_eval_arb_digits(t, net, 5, 16384, &prec),
                     GC_UNABLE);
    ck_assert_msg(prec <= 1024, "stopped at %ld bits", (long) prec);
    for (j = 0; j < 2 * net->len; j++)
        ck_assert(arb_contains_zero(t->db + j));
    ck_assert_int_eq(gc_eval_param_arb_digits(
                         res, net, GC_TEST_PARAM(GC_PARAM_B, 1), 5, 16384,
                         &prec), GC_UNABLE);
    ck_assert_msg(prec <= 1024, "stopped at %ld bits", (long) prec);
    arb_clear(res);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* A ball that contains zero but narrows keeps doubling: z_1 = (7/3)(1/7)
   + b_1 = 2^-3000 with b_1 = 2^-3000 - 1/3 (identity, y = 0, so dC/db_1
   = 2^-3000 and dC/dw_1 = 2^-3000 / 7), a cancellation that leaves a
   ball containing zero up to 2048 bits and proves 10 digits at 4096, the
   last precision max_prec allows. */
START_TEST(test_eval_arb_digits_cancellation)
{
    gc_parse_error_t err;
    gc_net_t net;
    gc_arb_trace_t t;
    mpq_t b, third;
    mpfr_t v;
    slong prec, k;
    char * r, * ref, * text;

    /* b_1 = 2^-3000 - 1/3, written exactly as p/q */
    mpq_init(b);
    mpq_init(third);
    mpq_set_ui(b, 1, 1);
    mpq_div_2exp(b, b, 3000);
    mpq_set_ui(third, 1, 3);
    mpq_sub(b, b, third);
    text = flint_malloc(mpz_sizeinbase(mpq_numref(b), 10)
                        + mpz_sizeinbase(mpq_denref(b), 10) + 64);
    strcpy(text, "a0 1/7\ny 0\nact identity\n7/3 ");
    mpq_get_str(text + strlen(text), 10, b);
    strcat(text, "\n");
    gc_net_init(net);
    ck_assert(gc_net_read_str(net, text, err) == GC_SUCCESS);
    gc_arb_trace_init_grads(t, net->len);
    ck_assert_int_eq(gc_eval_arb(t, net, 2048), GC_SUCCESS);
    ck_assert(arb_contains_zero(t->db));
    ck_assert_int_eq(gc_eval_arb_digits(t, net, 10, 4096, &prec),
                     GC_SUCCESS);
    ck_assert_int_eq(prec, 4096);
    ck_assert_int_eq(gc_arb_get_str_digits(&r, &k, t->db, 10), GC_SUCCESS);
    mpfr_init2(v, 64);
    mpfr_set_ui_2exp(v, 1, -3000, MPFR_RNDN);
    ref = gc_mpfr_get_str_sci(v, 10);
    ck_assert_msg(strcmp(r, ref) == 0, "%s vs %s", r, ref);
    flint_free(r);
    flint_free(ref);
    flint_free(text);
    mpfr_clear(v);
    mpq_clear(b);
    mpq_clear(third);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* Hand-made balls: mid +- rad given as decimal strings. */
typedef struct
{
    const char * mid;
    const char * rad;
    slong digits;
    int status;
    slong certified;
    const char * str;
} ball_case;

static const ball_case ball_cases[] = {
    /* exact ties: round half to even */
    {"0.125", "0", 2, GC_SUCCESS, 2, "1.2e-1"},
    {"0.375", "0", 2, GC_SUCCESS, 2, "3.8e-1"},
    {"0.125", "0", 1, GC_SUCCESS, 1, "1e-1"},
    {"-2.5", "0", 1, GC_SUCCESS, 1, "-2e+0"},
    {"0.125", "0", 40, GC_SUCCESS, 40,
     "1.250000000000000000000000000000000000000e-1"},
    /* straddles 0.12345|5: only 4 digits */
    {"0.123455", "2e-7", 5, GC_UNABLE, 4, "1.235e-1"},
    {"0.123455", "2e-7", 6, GC_SUCCESS, 6, "1.23455e-1"},
    {"-0.123455", "2e-7", 5, GC_UNABLE, 4, "-1.235e-1"},
    /* inside one rounding interval although the truncations differ */
    {"0.1234999", "2e-7", 4, GC_SUCCESS, 4, "1.235e-1"},
    /* 9.9999|5 straddled: 4 digits, across the exponent boundary */
    {"9.99996", "2e-5", 5, GC_UNABLE, 4, "1.000e+1"},
    {"9.99999", "1e-6", 5, GC_SUCCESS, 5, "1.0000e+1"},
    {"9.99999", "1e-6", 6, GC_SUCCESS, 6, "9.99999e+0"},
    {"9.99999", "1e-5", 6, GC_UNABLE, 5, "1.0000e+1"},
    /* the k-digit rounding is not monotone in k */
    {"0.1235", "2e-6", 3, GC_UNABLE, 2, "1.2e-1"},
    {"0.1235", "2e-6", 4, GC_SUCCESS, 4, "1.235e-1"},
    /* zero and balls containing it */
    {"0", "0", 5, GC_SUCCESS, 5, "0"},
    {"0", "1e-10", 5, GC_UNABLE, 0, ""},
    {"1e-10", "2e-10", 5, GC_UNABLE, 0, ""},
    {"3", "inf", 5, GC_UNABLE, 0, ""},
    /* far too wide */
    {"1", "0.6", 1, GC_UNABLE, 0, ""},
    {"1", "0.4", 1, GC_UNABLE, 0, ""},
    {"5", "0.4", 1, GC_SUCCESS, 1, "5e+0"},
};

#define NBALL ((int) (sizeof ball_cases / sizeof ball_cases[0]))

static void
ball_set_str(arb_t x, const char * mid, const char * rad)
{
    arb_t r;

    arb_init(r);
    ck_assert(arb_set_str(x, mid, 256) == 0);
    mag_zero(arb_radref(x));
    if (strcmp(rad, "inf") == 0)
        mag_inf(arb_radref(x));
    else
    {
        ck_assert(arb_set_str(r, rad, 256) == 0);
        arb_get_ubound_arf(arb_midref(r), r, 30);
        arb_add_error_arf(x, arb_midref(r));
    }
    arb_clear(r);
}

START_TEST(test_arb_get_str_digits_cases)
{
    const ball_case * c = ball_cases + _i;
    arb_t x;
    char * s;
    slong k = -1;
    int status;

    arb_init(x);
    ball_set_str(x, c->mid, c->rad);
    status = gc_arb_get_str_digits(&s, &k, x, c->digits);
    ck_assert_msg(status == c->status && k == c->certified
                      && strcmp(s, c->str) == 0,
                  "%s +/- %s at %ld digits: status %d, %ld digits '%s'; "
                  "expected %d, %ld '%s'",
                  c->mid, c->rad, (long) c->digits, status, (long) k, s,
                  c->status, (long) c->certified, c->str);
    flint_free(s);
    arb_clear(x);
}
END_TEST

/* 2^-2000000 = 1.02016880074005002436...e-602060 (Python's decimal). */
START_TEST(test_arb_get_str_digits_huge)
{
    arb_t x;
    fmpz_t e;
    char * s;
    slong k;
    int status;

    arb_init(x);
    fmpz_init(e);
    arb_one(x);
    arb_mul_2exp_si(x, x, -2000000);
    status = gc_arb_get_str_digits(&s, &k, x, 15);
    ck_assert_msg(status == GC_SUCCESS && strcmp(s, "1.02016880074005e-602060")
                      == 0, "%s", s);
    flint_free(s);

    /* inexact: 2^-2000001 (1 +- 2^-100) */
    arb_mul_2exp_si(x, x, -1);
    mag_set_ui_2exp_si(arb_radref(x), 1, -2000101);
    status = gc_arb_get_str_digits(&s, &k, x, 20);
    ck_assert_msg(status == GC_SUCCESS && strcmp(s, "5.1008440037002501218e"
                  "-602061") == 0, "%s", s);
    flint_free(s);
    status = gc_arb_get_str_digits(&s, &k, x, 40);
    ck_assert_msg(status == GC_UNABLE && k >= 28 && k <= 31, "%ld", (long) k);
    flint_free(s);

    /* beyond any MPFR exponent, from the fmpz exponent: 2^(+-2^63) =
       1.3809323e+2776511644261678566 and 7.2414846e-2776511644261678567
       (mpmath) */
    fmpz_one(e);
    fmpz_mul_2exp(e, e, 63);
    arb_one(x);
    arb_mul_2exp_fmpz(x, x, e);
    ck_assert(gc_arb_is_printable(x));
    status = gc_arb_get_str_digits(&s, &k, x, 8);
    ck_assert_msg(status == GC_SUCCESS && k == 8
                      && strcmp(s, "1.3809323e+2776511644261678566") == 0,
                  "%s", s);
    flint_free(s);
    fmpz_neg(e, e);
    arb_one(x);
    arb_mul_2exp_fmpz(x, x, e);
    arb_neg(x, x);
    status = gc_arb_get_str_digits(&s, &k, x, 8);
    ck_assert_msg(status == GC_SUCCESS
                      && strcmp(s, "-7.2414846e-2776511644261678567") == 0,
                  "%s", s);
    ck_assert(gc_arb_has_digits(x, 8));
    flint_free(s);

    /* beyond the printable range, |e| >= 2^64 for 2^(e-1) <= |x| < 2^e:
       2^(2^64), 2^-(2^64 + 1), 2^-(2^70 + 64) */
    fmpz_one(e);
    fmpz_mul_2exp(e, e, 64);
    arb_one(x);
    arb_mul_2exp_fmpz(x, x, e);
    ck_assert(!gc_arb_is_printable(x));
    status = gc_arb_get_str_digits(&s, &k, x, 5);
    ck_assert(status == GC_UNABLE && k == 0 && s[0] == '\0');
    ck_assert(!gc_arb_has_digits(x, 5));
    flint_free(s);
    fmpz_neg(e, e);
    fmpz_sub_ui(e, e, 1);
    arb_one(x);
    arb_mul_2exp_fmpz(x, x, e);
    ck_assert(!gc_arb_is_printable(x));
    fmpz_mul_2exp(e, e, 6);
    arb_one(x);
    arb_mul_2exp_fmpz(x, x, e);
    ck_assert(!gc_arb_is_printable(x));
    /* a ball that contains zero may still be narrowed */
    mag_one(arb_radref(x));
    ck_assert(gc_arb_is_printable(x));
    fmpz_clear(e);
    arb_clear(x);
}
END_TEST

/* w = 10^19: dC/db_1 ~ e^(-10^19), beyond MPFR's exponents, is proved at
   the first precision of the Ziv loop (it ran to --max-prec for
   nothing); the value from mpmath. */
START_TEST(test_eval_arb_digits_huge_exponent)
{
    gc_net_t net;
    gc_arb_trace_t t;
    gc_parse_error_t err;
    slong prec, k;
    char * s;

    gc_net_init(net);
    ck_assert(gc_net_read_str(net, "1e19 0\n", err) == GC_SUCCESS);
    gc_arb_trace_init(t, 1);
    ck_assert(gc_eval_arb_digits(t, net, 20, GC_MAX_PREC_DEFAULT, &prec)
              == GC_SUCCESS);
    ck_assert_int_eq(prec, gc_prec_for_digits(20, 1));
    ck_assert(gc_arb_get_str_digits(&s, &k, t->db, 20) == GC_SUCCESS);
    ck_assert_str_eq(s, "3.0811355922377604815e-4342944819032518277");
    flint_free(s);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* w_1 = 10^30: dC/db_1 ~ e^(-10^30) is beyond the printable range; the
   Ziv loops stop at the first precision (they doubled it to max_prec for
   nothing) and prove the rest. */
START_TEST(test_eval_arb_digits_unprintable)
{
    gc_net_t net;
    gc_arb_trace_t t;
    gc_parse_error_t err;
    arb_t v;
    slong prec;

    gc_net_init(net);
    arb_init(v);
    ck_assert(gc_net_read_str(net, "1e30 0\n1 0\n", err) == GC_SUCCESS);
    gc_arb_trace_init(t, 2);
    ck_assert(gc_eval_arb_digits(t, net, 20, GC_MAX_PREC_DEFAULT, &prec)
              == GC_UNABLE);
    ck_assert_int_eq(prec, gc_prec_for_digits(20, 2));
    ck_assert(!gc_arb_is_printable(t->db) && !gc_arb_is_printable(t->dw));
    ck_assert(gc_arb_has_digits(t->db + 1, 20)
              && gc_arb_has_digits(t->dw + 1, 20));
    ck_assert(gc_eval_param_arb_digits(v, net, GC_TEST_PARAM(GC_PARAM_B, 1),
                                       20, GC_MAX_PREC_DEFAULT, &prec)
              == GC_UNABLE);
    ck_assert_int_eq(prec, gc_prec_for_digits(20, 2));
    ck_assert(gc_eval_param_arb_digits(v, net, GC_TEST_PARAM(GC_PARAM_W, 2),
                                       20, GC_MAX_PREC_DEFAULT, &prec)
              == GC_SUCCESS);
    arb_clear(v);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

/* Underflow events count only where the exact value is not an exact
   zero; a ball that merely contains zero may hide a nonzero value. */
START_TEST(test_death_scan_arb)
{
    const gc_class_t cls[6] = {GC_CLASS_ZERO, GC_CLASS_ZERO,
                               GC_CLASS_SUBNORMAL, GC_CLASS_INF,
                               GC_CLASS_NAN, GC_CLASS_ZERO};
    gc_death_struct d;
    arb_ptr x = _arb_vec_init(6);

    /* exact: 0, 1, 0, 0, 0, 0 +- 2^-10 */
    arb_one(x + 1);
    mag_set_ui_2exp_si(arb_radref(x + 5), 1, -10);
    gc_death_scan_arb(&d, cls, x, 6);
    ck_assert_int_eq(d.first_zero, 6);
    ck_assert_int_eq(d.first_subnormal, 0);
    ck_assert_int_eq(d.first_inf, 4);
    ck_assert_int_eq(d.first_nan, 5);
    gc_death_scan_arb(&d, cls, x, 5);
    ck_assert_int_eq(d.first_zero, 2);
    gc_death_scan_arb(&d, cls, x, 1);
    ck_assert(d.first_zero == 0 && d.first_subnormal == 0
              && d.first_inf == 0 && d.first_nan == 0);
    /* all exact values nonzero: as gc_death_scan */
    arb_one(x);
    arb_one(x + 2);
    gc_death_scan_arb(&d, cls, x, 5);
    ck_assert_int_eq(d.first_zero, 2);
    ck_assert_int_eq(d.first_subnormal, 3);
    _arb_vec_clear(x, 6);
}
END_TEST

/* 10^N and 3 10^-N for N = 10^18, beyond MPFR's exponents: a ball that
   straddles the power of ten 1.0000e+N still rounds to it, on both
   sides. */
START_TEST(test_arb_get_str_digits_decade)
{
    arb_t x;
    fmpz_t n;
    char * s;
    slong k;
    int status;

    arb_init(x);
    fmpz_init(n);
    fmpz_set_ui(n, UWORD(1000000000000000000));
    arb_set_ui(x, 10);
    arb_pow_fmpz(x, x, n, 256);
    ck_assert(arb_contains_fmpz(x, n) == 0 && !arb_is_exact(x));
    status = gc_arb_get_str_digits(&s, &k, x, 5);
    ck_assert_msg(status == GC_SUCCESS
                      && strcmp(s, "1.0000e+1000000000000000000") == 0,
                  "%s", s);
    flint_free(s);
    fmpz_neg(n, n);
    arb_set_ui(x, 10);
    arb_pow_fmpz(x, x, n, 256);
    arb_mul_si(x, x, -3, 256);
    status = gc_arb_get_str_digits(&s, &k, x, 1);
    ck_assert_msg(status == GC_SUCCESS
                      && strcmp(s, "-3e-1000000000000000000") == 0, "%s", s);
    flint_free(s);
    /* in MPFR's range too: 1 - 2^-80 and 1 + 2^-80 both give 1.0000e+0 */
    arb_one(x);
    mag_set_ui_2exp_si(arb_radref(x), 1, -80);
    status = gc_arb_get_str_digits(&s, &k, x, 5);
    ck_assert_msg(status == GC_SUCCESS && strcmp(s, "1.0000e+0") == 0, "%s",
                  s);
    flint_free(s);
    fmpz_clear(n);
    arb_clear(x);
}
END_TEST

START_TEST(test_arb_rel_error_bound)
{
    arb_t x;
    mpfr_t r, lo, hi;

    arb_init(x);
    mpfr_init2(r, 64);
    mpfr_init2(lo, 64);
    mpfr_init2(hi, 64);

    /* 1 +- 2^-10: bound in [2^-10 / (1 - 2^-10), that + 1%] */
    arb_one(x);
    mag_set_ui_2exp_si(arb_radref(x), 1, -10);
    gc_arb_rel_error_bound(r, x);
    mpfr_set_ui(lo, 1023, MPFR_RNDN);
    mpfr_ui_div(lo, 1, lo, MPFR_RNDD);
    mpfr_mul_d(hi, lo, 1.01, MPFR_RNDU);
    ck_assert_msg(mpfr_cmp(r, lo) >= 0 && mpfr_cmp(r, hi) <= 0,
                  "bound %g", mpfr_get_d(r, MPFR_RNDN));

    /* the same relative width at 2^-3000000 */
    arb_mul_2exp_si(x, x, -3000000);
    gc_arb_rel_error_bound(r, x);
    ck_assert(mpfr_cmp(r, lo) >= 0 && mpfr_cmp(r, hi) <= 0);

    /* contains zero */
    arb_set_si(x, -1);
    mag_set_ui(arb_radref(x), 2);
    gc_arb_rel_error_bound(r, x);
    ck_assert(mpfr_inf_p(r) && mpfr_sgn(r) > 0);

    /* exact */
    arb_set_si(x, -3);
    gc_arb_rel_error_bound(r, x);
    ck_assert(mpfr_zero_p(r));

    mpfr_clear(r);
    mpfr_clear(lo);
    mpfr_clear(hi);
    arb_clear(x);
}
END_TEST

/* Random networks: at several precisions, every ball contains the MPFR
   value computed with many more bits, balls at p and 2p overlap, and the
   streamed parameter overlaps the trace. */
START_TEST(test_eval_arb_contains_mpfr)
{
    static const slong precs[] = {2, 20, 64, 200};
    flint_rand_t state;
    gc_net_t net;
    gc_random_t rnd;
    gc_param_struct p;
    arb_t res;
    slong iter, i, j, len;
    int status;

    gc_test_randinit(state);
    gc_net_init(net);
    arb_init(res);
    for (iter = 0; iter < gc_test_iters(30); iter++)
    {
        gc_arb_trace_t t, t2;
        gc_trace_t m;
        slong prec = precs[n_randint(state, 4)];

        len = 1 + n_randint(state, 40);
        gc_dist_set_normal(&rnd->weights, (double) n_randint(state, 3) - 1.0,
                           0.5 + n_randint(state, 4));
        gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
        gc_net_set_random(net, rnd, len);
        mpq_set_si(net->y, (slong) n_randint(state, 3) - 1, 2);
        if (n_randint(state, 2))
            gc_net_materialize(net);

        gc_arb_trace_init(t, len);
        gc_arb_trace_init(t2, len);
        gc_trace_init(m, len, 4 * prec + 128);
        status = gc_eval_arb(t, net, prec) | gc_eval_arb(t2, net, 2 * prec)
                 | gc_eval_mpfr(m, net);
        ck_assert_int_eq(status, GC_SUCCESS);
        for (j = 0; j < len; j++)
        {
            ck_assert_msg(arb_contains_mpfr(t->db + j, m->db + j)
                              && arb_contains_mpfr(t->dw + j, m->dw + j)
                              && arb_contains_mpfr(t->z + j, m->z + j)
                              && arb_contains_mpfr(t->a + j + 1, m->a + j + 1)
                              && arb_contains_mpfr(t->sp + j, m->sp + j),
                          "layer %ld of %ld, prec %ld, seed %lu, net seed "
                          "%lu", (long) j + 1, (long) len, (long) prec,
                          gc_test_seed(), rnd->seed);
            ck_assert_msg(arb_overlaps(t->db + j, t2->db + j)
                              && arb_overlaps(t->dw + j, t2->dw + j),
                          "layer %ld, prec %ld, seed %lu", (long) j + 1,
                          (long) prec, gc_test_seed());
        }
        for (i = 0; i < 2; i++)
        {
            p.kind = i ? GC_PARAM_W : GC_PARAM_B;
            p.layer = 1 + n_randint(state, len);
            status = gc_eval_param_arb(res, net, &p, prec);
            ck_assert_int_eq(status, GC_SUCCESS);
            ck_assert_msg(arb_overlaps(res, (i ? t->dw : t->db) + p.layer - 1),
                          "%c%ld, prec %ld, seed %lu", "bw"[p.kind],
                          (long) p.layer, (long) prec, gc_test_seed());
        }
        gc_trace_clear(m);
        gc_arb_trace_clear(t);
        gc_arb_trace_clear(t2);
    }
    arb_clear(res);
    gc_net_clear(net);
    flint_randclear(state);
}
END_TEST

/* Sets x to a ball around a decimal of digits + 1 digits ending in 4, 5
   or 6 (close to a rounding tie), times 10^e, exact or with a random
   relative radius. */
static void
near_tie(arb_t x, flint_rand_t state, slong digits)
{
    fmpz_t n;
    arb_t p;
    slong e = (slong) n_randint(state, 2001) - 1000;

    fmpz_init(n);
    arb_init(p);
    fmpz_randbits(n, state, (slong) (digits * 3.33) + 4);
    fmpz_mul_ui(n, n, 10);
    fmpz_add_ui(n, n, 4 + n_randint(state, 3));
    arb_set_fmpz(x, n);
    arb_ui_pow_ui(p, 10, FLINT_ABS(e), 400);
    if (e >= 0)
        arb_mul(x, x, p, 400);
    else
        arb_div(x, x, p, 400);
    if (n_randint(state, 4) == 0)
        mag_zero(arb_radref(x));
    else
        arb_add_error_2exp_si(x, fmpz_get_si(ARF_EXPREF(arb_midref(x)))
                                     - (slong) n_randint(state, 400));
    fmpz_clear(n);
    arb_clear(p);
}

/* Random balls: every point of the ball rounds to the certified string,
   and a wider ball never certifies more digits. */
START_TEST(test_arb_get_str_digits_random)
{
    flint_rand_t state;
    arb_t x, y;
    arf_t pt;
    mpfr_t m;
    slong iter, digits, k, k2, i;
    char * s;
    char * s2;
    int status;

    gc_test_randinit(state);
    arb_init(x);
    arb_init(y);
    arf_init(pt);
    mpfr_init2(m, 400);
    for (iter = 0; iter < gc_test_iters(2000); iter++)
    {
        digits = 1 + n_randint(state, 30);
        if (n_randint(state, 2))
        {
            arb_randtest(x, state, 1 + n_randint(state, 200), 20);
            if (n_randint(state, 2))
                mag_mul_2exp_si(arb_radref(x), arb_radref(x),
                                -(slong) n_randint(state, 200));
        }
        else
            near_tie(x, state, digits);
        status = gc_arb_get_str_digits(&s, &k, x, digits);
        ck_assert_msg((status == GC_SUCCESS) == (k == digits) && k >= 0
                          && k <= digits,
                      "status %d k %ld digits %ld seed %lu", status, (long) k,
                      (long) digits, gc_test_seed());
        for (i = 0; i < 3 && k > 0 && !arb_is_zero(x); i++)
        {
            if (i == 0)
                arb_get_lbound_arf(pt, x, 400);
            else if (i == 1)
                arb_get_ubound_arf(pt, x, 400);
            else
                arf_set(pt, arb_midref(x));
            arf_get_mpfr(m, pt, MPFR_RNDN);
            s2 = gc_mpfr_get_str_sci(m, k);
            ck_assert_msg(strcmp(s, s2) == 0, "point %ld: %s vs %s seed %lu",
                          (long) i, s, s2, gc_test_seed());
            flint_free(s2);
        }
        flint_free(s);

        /* the endpoints agree: the ball must be certified */
        if (!arb_is_zero(x) && arb_is_finite(x))
        {
            arb_get_lbound_arf(pt, x, 400);
            arf_get_mpfr(m, pt, MPFR_RNDN);
            s = gc_mpfr_get_str_sci(m, digits);
            arb_get_ubound_arf(pt, x, 400);
            arf_get_mpfr(m, pt, MPFR_RNDN);
            s2 = gc_mpfr_get_str_sci(m, digits);
            ck_assert_msg(strcmp(s, s2) != 0 || k == digits,
                          "endpoints %s, %s: only %ld digits, seed %lu", s,
                          s2, (long) k, gc_test_seed());
            flint_free(s);
            flint_free(s2);
        }

        arb_set(y, x);
        mag_mul_2exp_si(arb_radref(y), arb_radref(y), 1 + n_randint(state, 8));
        arb_add_error_2exp_si(y, -(slong) n_randint(state, 100));
        status = gc_arb_get_str_digits(&s2, &k2, y, digits);
        ck_assert_msg(k2 <= k, "wider ball: %ld > %ld digits, seed %lu",
                      (long) k2, (long) k, gc_test_seed());
        flint_free(s2);
    }
    mpfr_clear(m);
    arf_clear(pt);
    arb_clear(x);
    arb_clear(y);
    flint_randclear(state);
}
END_TEST

/* The k-digit decimal of x rounded to nearest, as "-d.ddde-5", from
   mpfr_get_str alone. */
static char *
ref_sci(const mpfr_t x, slong k)
{
    mpfr_exp_t e;
    char * d = mpfr_get_str(NULL, &e, 10, k, x, MPFR_RNDN);
    const char * p = d + (d[0] == '-');
    char * r = flint_malloc(strlen(d) + 32);

    sprintf(r, "%s%c%s%se%+ld", d[0] == '-' ? "-" : "", p[0],
            k > 1 ? "." : "", p + 1, (long) e - 1);
    mpfr_free_str(d);
    return r;
}

/* Sets *lo* and *hi* to the exact endpoints of *x* (through the scratch
   *pt*) and *rlo*, *rhi* to their references to *d* digits (ref_sci;
   free with flint_free). */
static void
ball_refs(char ** rlo, char ** rhi, mpfr_t lo, mpfr_t hi, arf_t pt,
          const arb_t x, slong d)
{
    arb_get_lbound_arf(pt, x, 1200);
    arf_get_mpfr(lo, pt, MPFR_RNDN); /* exact */
    arb_get_ubound_arf(pt, x, 1200);
    arf_get_mpfr(hi, pt, MPFR_RNDN);
    *rlo = ref_sci(lo, d);
    *rhi = ref_sci(hi, d);
}

/* Sets x to a ball near a hard case of *digits* digits at the decimal
   exponent e10, q = e10 - digits + 1 and 10^(digits-1) <= m < 10^digits
   random: a rounding tie (m + 1/2) 10^q, the power 10^(e10 + 1) (where
   the exponent of the decimal changes) or a point of (m, m + 1) 10^q,
   rounded to 2 to prec bits; exact or with a random radius, of a random
   sign. */
static void
walk_ball(arb_t x, flint_rand_t state, const fmpz_t e10, slong digits)
{
    slong prec = 2 * (slong) (digits * 3.33) + 128;
    int kind = n_randint(state, 3);
    fmpz_t q, m, r;
    arb_t p;

    fmpz_init(q);
    fmpz_init(m);
    fmpz_init(r);
    arb_init(p);
    fmpz_sub_si(q, e10, digits - 1);
    fmpz_ui_pow_ui(m, 10, digits - 1);
    fmpz_mul_ui(r, m, 9);
    fmpz_randm(r, state, r);
    fmpz_add(m, m, r);
    arb_set_ui(p, 10);
    arb_pow_fmpz(p, p, q, prec + fmpz_bits(q));
    if (kind == 0)
    {
        fmpz_mul_2exp(m, m, 1);
        fmpz_add_ui(m, m, 1);
        arb_mul_fmpz(x, p, m, prec);
        arb_mul_2exp_si(x, x, -1);
    }
    else if (kind == 1)
    {
        fmpz_ui_pow_ui(m, 10, digits);
        arb_mul_fmpz(x, p, m, prec);
    }
    else
    {
        arb_urandom(x, state, prec);
        arb_add_fmpz(x, x, m, prec);
        arb_mul(x, x, p, prec);
    }
    arf_set_round(arb_midref(x), arb_midref(x), 2 + n_randint(state, prec),
                  ARF_RND_NEAR);
    mag_zero(arb_radref(x));
    if (n_randint(state, 3) != 0)
        arb_add_error_2exp_si(x, fmpz_get_si(ARF_EXPREF(arb_midref(x)))
                                     - (slong) (digits * 3.32)
                                     - (slong) n_randint(state, 100) + 8);
    if (n_randint(state, 2))
        arb_neg(x, x);
    fmpz_clear(q);
    fmpz_clear(m);
    fmpz_clear(r);
    arb_clear(p);
}

/* Walks of balls whose decimal exponents move as a chain's layers do (a
   few units per step, sometimes far), near ties and powers of ten, up to
   10^+-434294916 (2^+-1442695040, beyond MPFR's default exponents):
   gc_arb_get_str_digits (which steps from the power of ten it used last)
   against the endpoints rounded by mpfr_get_str.  All *digits* are
   certified exactly when both endpoints round to the same decimal (and
   gc_arb_has_digits, which may also ask for a narrower ball, says so
   only then); otherwise the k < digits certified are theirs. */
START_TEST(test_arb_get_str_digits_walk)
{
    flint_rand_t state;
    arb_t x;
    arf_t pt;
    mpfr_t lo, hi;
    fmpz_t e10;
    slong walk, step, digits, k;
    char * s;
    char * rlo;
    char * rhi;
    int status, same;

    gc_test_randinit(state);
    gc_mpfr_widen_exponent_range();
    arb_init(x);
    arf_init(pt);
    mpfr_init2(lo, 1200);
    mpfr_init2(hi, 1200);
    fmpz_init(e10);
    for (walk = 0; walk < gc_test_iters(40); walk++)
    {
        digits = 1 + n_randint(state, 60);
        fmpz_set_si(e10, (slong) n_randint(state, 2 * 434294916 + 1)
                             - 434294916);
        if (n_randint(state, 2))
            fmpz_set_si(e10, (slong) n_randint(state, 2001) - 1000);
        for (step = 0; step < 60; step++)
        {
            /* mostly a few units, sometimes past the cache's reach */
            fmpz_add_si(e10, e10, n_randint(state, 8) == 0
                                      ? (slong) n_randint(state, 301) - 150
                                      : (slong) n_randint(state, 7) - 3);
            walk_ball(x, state, e10, digits);
            status = gc_arb_get_str_digits(&s, &k, x, digits);
            ball_refs(&rlo, &rhi, lo, hi, pt, x, digits);
            same = (strcmp(rlo, rhi) == 0);
            ck_assert_msg(same == (status == GC_SUCCESS)
                              && same == (k == digits)
                              && (same || !gc_arb_has_digits(x, digits))
                              && (!same || strcmp(s, rlo) == 0),
                          "walk %ld step %ld, %ld digits: '%s' (%ld digits, "
                          "status %d) for [%s, %s], seed %lu", (long) walk,
                          (long) step, (long) digits, s, (long) k, status,
                          rlo, rhi, gc_test_seed());
            flint_free(rlo);
            flint_free(rhi);
            if (!same && k > 0)
            {
                rlo = ref_sci(lo, k);
                ck_assert_msg(strcmp(s, rlo) == 0, "walk %ld step %ld: '%s' "
                              "against %s, seed %lu", (long) walk,
                              (long) step, s, rlo, gc_test_seed());
                flint_free(rlo);
            }
            flint_free(s);
        }
    }
    fmpz_clear(e10);
    mpfr_clear(lo);
    mpfr_clear(hi);
    arf_clear(pt);
    arb_clear(x);
    flint_randclear(state);
}
END_TEST

/* The check and the printer share each ball's decimal
   (gc_eval_arb_digits keeps what gc_arb_has_digits proves for the
   trace's balls, and gc_arb_get_str_digits prints it): after the Ziv
   loop on a random chain, some balls of the trace are changed in place
   (a wider or narrower radius, the other sign, the midpoint doubled or
   moved by an ulp, a ball near a hard case) or printed at other digits,
   and every ball is printed, twice, against its endpoints rounded by
   mpfr_get_str: a decimal kept for a ball must never be printed for
   another. */
START_TEST(test_arb_has_digits_shared)
{
    flint_rand_t state;
    gc_random_t rnd;
    gc_net_t net;
    gc_arb_trace_t t;
    arb_ptr x;
    arf_t pt;
    mpfr_t lo, hi;
    fmpz_t e10;
    slong iter, i, rep, digits, d, k, len, prec;
    char * s;
    char * rlo;
    char * rhi;
    int status, change;

    gc_test_randinit(state);
    arf_init(pt);
    mpfr_init2(lo, 1200);
    mpfr_init2(hi, 1200);
    fmpz_init(e10);
    gc_net_init(net);
    for (iter = 0; iter < gc_test_iters(30); iter++)
    {
        len = 1 + n_randint(state, 60);
        digits = 1 + n_randint(state, 50);
        gc_dist_set_normal(&rnd->weights, 0.0, 1.0 + n_randint(state, 3));
        gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
        gc_net_set_random(net, rnd, len);
        gc_arb_trace_init(t, len);
        status = gc_eval_arb_digits(t, net, digits, GC_MAX_PREC_DEFAULT,
                                    &prec);
        ck_assert_msg(status == GC_SUCCESS, "status %d, seed %lu", status,
                      gc_test_seed());
        for (rep = 0; rep < 2; rep++)
            for (i = 0; i < 2 * len; i++)
            {
                x = t->db + i; /* the 2 len balls of dC/db, dC/dw */
                change = rep == 0 ? n_randint(state, 8) : 0;
                d = change == 7 ? 1 + (slong) n_randint(state, 60) : digits;
                if (change == 1)
                    arb_add_error_2exp_si(x, arf_abs_bound_lt_2exp_si(
                                                 arb_midref(x))
                                                 - (slong) (digits * 3.32)
                                                 + (slong) n_randint(state,
                                                                     40));
                else if (change == 2)
                    mag_mul_2exp_si(arb_radref(x), arb_radref(x), -1);
                else if (change == 3)
                    arb_neg(x, x);
                else if (change == 4)
                    arf_mul_2exp_si(arb_midref(x), arb_midref(x), 1);
                else if (change == 5)
                {
                    /* the next midpoint at its precision */
                    arf_t u;

                    arf_init(u);
                    arf_set_ui_2exp_si(u, 1,
                                       arf_abs_bound_lt_2exp_si(
                                           arb_midref(x))
                                           - arf_bits(arb_midref(x)) - 1);
                    arf_add(arb_midref(x), arb_midref(x), u, ARF_PREC_EXACT,
                            ARF_RND_DOWN);
                    arf_clear(u);
                }
                else if (change == 6)
                {
                    fmpz_set_si(e10, (slong) n_randint(state, 2001) - 1000);
                    walk_ball(x, state, e10, digits);
                }
                status = gc_arb_get_str_digits(&s, &k, x, d);
                ball_refs(&rlo, &rhi, lo, hi, pt, x, d);
                ck_assert_msg((strcmp(rlo, rhi) == 0)
                                  == (status == GC_SUCCESS)
                                  && (status != GC_SUCCESS
                                      || strcmp(s, rlo) == 0),
                              "iter %ld ball %ld change %d print %ld, %ld "
                              "digits: '%s' (status %d) for [%s, %s], seed "
                              "%lu", (long) iter, (long) i, change,
                              (long) rep, (long) d, s, status, rlo, rhi,
                              gc_test_seed());
                flint_free(rlo);
                flint_free(rhi);
                flint_free(s);
            }
        gc_arb_trace_clear(t);
    }
    gc_net_clear(net);
    fmpz_clear(e10);
    mpfr_clear(lo);
    mpfr_clear(hi);
    arf_clear(pt);
    flint_randclear(state);
}
END_TEST

/* The relative error of a number against a ball's midpoint: exact cases,
   the undefined ones, aliasing, and random values against MPFR at 4
   times the precision. */
START_TEST(test_arb_rel_error)
{
    flint_rand_t state;
    mpfr_t x, e, ref, m;
    arb_t b;
    fmpz_t big;
    slong iter;

    gc_mpfr_widen_exponent_range();
    mpfr_inits2(64, x, e, (mpfr_ptr) 0);
    mpfr_inits2(256, ref, m, (mpfr_ptr) 0);
    arb_init(b);

    /* |1 + 2^-20 - 1| / 1 and |3 - (-2)| / 2, whatever the radius */
    arb_one(b);
    mpfr_set_ui(x, 1, MPFR_RNDN);
    mpfr_add_d(x, x, ldexp(1.0, -20), MPFR_RNDN);
    ck_assert_int_eq(gc_arb_rel_error(e, x, b), GC_SUCCESS);
    ck_assert(mpfr_cmp_ui_2exp(e, 1, -20) == 0);
    arb_set_si(b, -2);
    mag_set_d(arb_radref(b), 0.5);
    mpfr_set_ui(x, 3, MPFR_RNDN);
    ck_assert_int_eq(gc_arb_rel_error(e, x, b), GC_SUCCESS);
    ck_assert(mpfr_cmp_d(e, 2.5) == 0);
    /* aliasing: res is x */
    ck_assert_int_eq(gc_arb_rel_error(x, x, b), GC_SUCCESS);
    ck_assert(mpfr_cmp_d(x, 2.5) == 0);
    /* a replayed 0 is wrong by 100 % */
    mpfr_set_zero(x, 1);
    ck_assert_int_eq(gc_arb_rel_error(e, x, b), GC_SUCCESS);
    ck_assert(mpfr_cmp_ui(e, 1) == 0);
    /* undefined: x not finite, or the midpoint 0 */
    mpfr_set_inf(x, -1);
    ck_assert_int_eq(gc_arb_rel_error(e, x, b), GC_DOMAIN);
    ck_assert(mpfr_nan_p(e));
    mpfr_set_ui(x, 1, MPFR_RNDN);
    arb_zero_pm_one(b);
    ck_assert_int_eq(gc_arb_rel_error(e, x, b), GC_DOMAIN);
    /* 1 against 2^-(2^64): beyond MPFR's widest range */
    arb_one(b);
    fmpz_init(big);
    fmpz_set_si(big, -1);
    fmpz_mul_2exp(big, big, 64);
    arb_mul_2exp_fmpz(b, b, big);
    fmpz_clear(big);
    ck_assert_int_eq(gc_arb_rel_error(e, x, b), GC_UNABLE);
    ck_assert(mpfr_inf_p(e) && mpfr_sgn(e) > 0);

    gc_test_randinit(state);
    for (iter = 0; iter < gc_test_iters(200); iter++)
    {
        mpfr_set_ui_2exp(x, n_randlimb(state),
                         (slong) n_randint(state, 200) - 164, MPFR_RNDN);
        arb_randtest(b, state, 1 + n_randint(state, 200), 10);
        if (arf_is_zero(arb_midref(b)) || !arb_is_finite(b))
            continue;
        ck_assert_int_eq(gc_arb_rel_error(e, x, b), GC_SUCCESS);
        arf_get_mpfr(m, arb_midref(b), MPFR_RNDN);
        mpfr_sub(ref, x, m, MPFR_RNDN);
        mpfr_div(ref, ref, m, MPFR_RNDN);
        mpfr_abs(ref, ref, MPFR_RNDN);
        /* within one ulp of the 64-bit result */
        mpfr_sub(m, e, ref, MPFR_RNDN);
        if (!mpfr_zero_p(ref))
            mpfr_div(m, m, ref, MPFR_RNDN);
        mpfr_mul_2si(m, m, 63, MPFR_RNDN);
        ck_assert_msg(mpfr_cmpabs_ui(m, 1) <= 0,
                      "iter %ld: %g against %g, seed %lu", (long) iter,
                      mpfr_get_d(e, MPFR_RNDN), mpfr_get_d(ref, MPFR_RNDN),
                      gc_test_seed());
    }
    flint_randclear(state);
    arb_clear(b);
    mpfr_clears(x, e, ref, m, (mpfr_ptr) 0);
}
END_TEST

/* The empty chain: both traces take length 0 and hold a_0 only. */
START_TEST(test_eval_arb_empty)
{
    gc_net_t net;
    gc_arb_trace_t t;
    gc_trace_t m;
    slong prec;

    gc_net_init(net);
    gc_net_set_length(net, 0);
    mpq_set_si(net->a0, 3, 4);
    gc_arb_trace_init(t, 0);
    gc_trace_init(m, 0, 64);
    ck_assert_int_eq(gc_eval_arb(t, net, 64), GC_SUCCESS);
    ck_assert(arf_get_d(arb_midref(t->a), ARF_RND_NEAR) == 0.75
              && mag_is_zero(arb_radref(t->a)) && t->prec == 64);
    ck_assert_int_eq(gc_eval_arb_digits(t, net, 10, 1024, &prec),
                     GC_SUCCESS);
    ck_assert_int_eq(gc_eval_mpfr(m, net), GC_SUCCESS);
    ck_assert(mpfr_cmp_d(m->a, 0.75) == 0);
    gc_trace_clear(m);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
    /* the default maximum precision, as a number and as text */
    ck_assert_int_eq(GC_MAX_PREC_DEFAULT, 1048576);
    ck_assert_str_eq(GC_MAX_PREC_DEFAULT_STR, "1048576");
}
END_TEST

/* Deep chains of other activations: a 1000-layer tanh chain and a relu
   chain (w, b ~ N(0, 1)) give the same 30 digits in the MPFR engine as
   the certified ones of the Arb engine, for every dC/db_j. */
START_TEST(test_eval_arb_deep_acts)
{
    static const gc_act_t kinds[] = {GC_ACT_TANH, GC_ACT_RELU};
    gc_activation_t f;
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, 7);
    gc_net_t net;
    gc_arb_trace_t t;
    gc_trace_t m;
    slong j, prec, k;
    char * s;
    char * r;
    int status;

    gc_net_init(net);
    gc_activation_init(f);
    f->kind = kinds[_i];
    gc_net_set_random(net, rnd, 1000);
    gc_net_set_act(net, f);
    gc_arb_trace_init(t, net->len);
    status = gc_eval_arb_digits(t, net, 30, REF_MAX_PREC, &prec);
    ck_assert_int_eq(status, GC_SUCCESS);
    gc_trace_init(m, net->len, gc_prec_for_digits(30, net->len) + 64);
    ck_assert_int_eq(gc_eval_mpfr(m, net), GC_SUCCESS);
    for (j = 0; j < net->len; j++)
    {
        ck_assert_int_eq(gc_arb_get_str_digits(&s, &k, t->db + j, 30),
                         GC_SUCCESS);
        r = mpfr_zero_p(m->db + j) ? NULL
                                   : gc_mpfr_get_str_sci(m->db + j, 30);
        ck_assert_msg(strcmp(s, r != NULL ? r : "0") == 0,
                      "%s: db_%ld arb %s mpfr %s", gc_act_name(kinds[_i]),
                      (long) j + 1, s, r != NULL ? r : "0");
        flint_free(s);
        flint_free(r);
    }
    gc_trace_clear(m);
    gc_arb_trace_clear(t);
    gc_activation_clear(f);
    gc_net_clear(net);
}
END_TEST

/* Asserts that the gradients-only trace g holds the same dC/db_j and
   dC/dw_j balls as the full trace t, bit for bit; *what* and *seed* go
   into the message. */
static void
check_same_grads(const gc_arb_trace_t g, const gc_arb_trace_t t,
                 const char * what, ulong seed)
{
    slong j;

    ck_assert(g->z == NULL && g->a == NULL && g->sp == NULL
              && g->dw == g->db + g->len && g->prec == t->prec);
    for (j = 0; j < 2 * t->len; j++)
        ck_assert_msg(arb_equal(g->db + j, t->db + j)
                          && mag_equal(arb_radref(g->db + j),
                                       arb_radref(t->db + j)),
                      "%s: %s_%ld of %ld layers differs, prec %ld, seed %lu",
                      what, j < t->len ? "db" : "dw",
                      (long) (j % FLINT_MAX(t->len, 1)) + 1, (long) t->len,
                      (long) t->prec, seed);
}

/* Evaluates *net* into a full and a gradients-only trace, with gc_eval_arb
   at *prec* and with the Ziv loop for *digits*, and checks that both
   give the same statuses, precisions and balls. */
static void
check_grads_net(const gc_net_t net, slong prec, slong digits, ulong seed)
{
    gc_arb_trace_t t, g;
    slong pt, pg;
    int st, sg;

    gc_arb_trace_init(t, net->len);
    gc_arb_trace_init_grads(g, net->len);
    st = gc_eval_arb(t, net, prec);
    sg = gc_eval_arb(g, net, prec);
    ck_assert_msg(st == sg, "gc_eval_arb status %d, grads %d, seed %lu", st,
                  sg, seed);
    if (st == GC_SUCCESS)
        check_same_grads(g, t, "gc_eval_arb", seed);
    st = gc_eval_arb_digits(t, net, digits, 4096, &pt);
    sg = gc_eval_arb_digits(g, net, digits, 4096, &pg);
    ck_assert_msg(st == sg && pt == pg, "gc_eval_arb_digits: status %d at "
                  "%ld bits, grads %d at %ld bits, seed %lu", st, (long) pt,
                  sg, (long) pg, seed);
    if (st != GC_UNABLE || t->prec != 0)
        check_same_grads(g, t, "gc_eval_arb_digits", seed);
    gc_arb_trace_clear(t);
    gc_arb_trace_clear(g);
}

/* The gradients-only trace (a_{j-1} and f'(z_j) kept in the balls of
   dC/dw_j and dC/db_j until the backward pass overwrites them, in place)
   gives the full trace's balls bit for bit and the same Ziv loop: short
   lengths (0, 1, 2, 3, 4, 5, 15, 16, 17, 100), then random chains of
   random activations per layer, costs, precisions, stored or generated
   layers. */
START_TEST(test_eval_arb_grads)
{
    static const slong lens[] = {0, 1, 2, 3, 4, 5, 15, 16, 17, 100};
    static const slong precs[] = {2, 30, 64, 128, 200};
    static const gc_cost_t costs[] = {GC_COST_QUADRATIC,
                                      GC_COST_CROSS_ENTROPY, GC_COST_GIVEN};
    flint_rand_t state;
    gc_activation_t f;
    gc_random_t rnd;
    gc_net_t net;
    slong iter, j, len;

    gc_test_randinit(state);
    gc_net_init(net);
    gc_activation_init(f);
    for (iter = 0; iter < 10 + gc_test_iters(40); iter++)
    {
        len = iter < 10 ? lens[iter] : 1 + (slong) n_randint(state, 60);
        gc_dist_set_normal(&rnd->weights, 0.0, 0.5 + n_randint(state, 3));
        gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
        gc_net_set_random(net, rnd, len);
        if (n_randint(state, 2))
            gc_net_materialize(net);
        for (j = 1; j <= len && iter >= 10; j++)
        {
            f->kind = (gc_act_t) n_randint(state, GC_ACT_GELU + 1);
            ck_assert(gc_net_set_layer_act(net, j, f) == GC_SUCCESS);
        }
        net->cost = costs[n_randint(state, 3)];
        mpq_set_si(net->dc_da, (slong) n_randint(state, 5) - 2, 3);
        mpq_set_si(net->y, (slong) n_randint(state, 3), 2);
        if (!gc_net_cost_is_valid(net))
            net->cost = GC_COST_QUADRATIC;
        check_grads_net(net, precs[n_randint(state, 5)],
                        1 + n_randint(state, 30), gc_test_seed());
    }
    gc_activation_clear(f);
    gc_net_clear(net);
    flint_randclear(state);
}
END_TEST

/* A relu chain whose z balls contain 0 at every other layer: a_0 = 1/3,
   then layers (w, b) = (3, -1), z = 0 exactly, decided by the exact
   cursor (arb_kink_sign), and (1, 1/3), a = 1/3 again.  The balls equal
   the full trace's, and dC/db_j = 0 at the kinks (relu'(0) = 0). */
START_TEST(test_eval_arb_grads_kinks)
{
    gc_activation_t f;
    gc_net_t net;
    gc_arb_trace_t g;
    slong j;

    gc_net_init(net);
    gc_activation_init(f);
    f->kind = GC_ACT_RELU;
    gc_net_set_act(net, f);
    gc_net_set_length(net, 50);
    mpq_set_ui(net->a0, 1, 3);
    for (j = 0; j < 50; j++)
    {
        mpq_set_ui(net->w + j, j % 2 ? 1 : 3, 1);
        mpq_set_si(net->b + j, j % 2 ? 1 : -1, j % 2 ? 3 : 1);
    }
    mpq_set_si(net->y, -1, 1);
    check_grads_net(net, 64, 10, 0);
    gc_arb_trace_init_grads(g, 50);
    ck_assert(gc_eval_arb(g, net, 64) == GC_SUCCESS);
    for (j = 0; j < 50; j += 2)
        ck_assert_msg(arb_is_zero(g->db + j), "db_%ld", (long) j + 1);
    ck_assert(!arb_contains_zero(g->db + 49));
    gc_arb_trace_clear(g);
    gc_activation_clear(f);
    gc_net_clear(net);
}
END_TEST

/* gc_eval_arb_grads_bytes bounds the heap that a gradients-only trace
   holds after gc_eval_arb (mallinfo2), by at most a factor 4, and stays
   below half of gc_eval_arb_bytes. */
START_TEST(test_eval_arb_grads_bytes)
{
    static const slong lens[] = {1000, 20000};
    static const slong precs[] = {64, 200, 1000};
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, 7);
    gc_net_t net;
    gc_arb_trace_t t;
    struct mallinfo2 m0, m1;
    size_t used, est;
    int i, k;

    gc_net_init(net);
    for (i = 0; i < 2; i++)
        for (k = 0; k < 3; k++)
        {
            gc_net_set_random(net, rnd, lens[i]);
            m0 = mallinfo2();
            gc_arb_trace_init_grads(t, lens[i]);
            ck_assert(gc_eval_arb(t, net, precs[k]) == GC_SUCCESS);
            m1 = mallinfo2();
            used = (m1.uordblks + m1.hblkhd) - (m0.uordblks + m0.hblkhd);
            est = gc_eval_arb_grads_bytes(lens[i], precs[k]);
            /* used = 0: a malloc that mallinfo2 does not see (valgrind) */
            ck_assert_msg(used == 0 || (used <= est && est <= 4 * used),
                          "len %ld prec %ld: %zu bytes used, %zu estimated",
                          (long) lens[i], (long) precs[k], used, est);
            ck_assert(2 * est < gc_eval_arb_bytes(lens[i], precs[k]));
            gc_arb_trace_clear(t);
        }
    gc_net_clear(net);
    ck_assert(gc_eval_arb_grads_bytes(WORD_MAX, 64) == SIZE_MAX);
    ck_assert(gc_eval_arb_grads_bytes(0, 64) > 0);
}
END_TEST

static Suite *
gc_ball_suite(void)
{
    Suite * s = suite_create("ball");
    TCase * core = tcase_create("core");
    TCase * special = tcase_create("special");
    TCase * random = tcase_create("random");

    tcase_add_loop_test(core, test_eval_arb_digits_ref, 0, NREF);
    tcase_add_loop_test(core, test_eval_param_arb_digits_ref, 0, NREF);
    tcase_add_loop_test(core, test_eval_arb_deep_acts, 0, 2);
    tcase_add_test(core, test_eval_arb_digits_unable);
    tcase_add_test(core, test_eval_arb_digits_hopeless);
    tcase_add_test(core, test_eval_arb_digits_cancellation);
    tcase_add_test(core, test_arb_rel_error_bound);
    tcase_add_test(core, test_arb_rel_error);
    suite_add_tcase(s, core);

    tcase_add_loop_test(special, test_eval_arb_exact, 0, 2);
    tcase_add_test(special, test_eval_arb_zeros);
    tcase_add_test(special, test_eval_arb_empty);
    tcase_add_test(special, test_eval_arb_unable);
    tcase_add_loop_test(special, test_arb_get_str_digits_cases, 0, NBALL);
    tcase_add_test(special, test_arb_get_str_digits_huge);
    tcase_add_test(special, test_arb_get_str_digits_decade);
    tcase_add_test(special, test_eval_arb_digits_huge_exponent);
    tcase_add_test(special, test_eval_arb_digits_unprintable);
    tcase_add_test(special, test_death_scan_arb);
    suite_add_tcase(s, special);

    tcase_add_test(random, test_eval_arb_contains_mpfr);
    tcase_add_test(random, test_eval_arb_grads);
    tcase_add_test(random, test_eval_arb_grads_kinks);
    tcase_add_test(random, test_eval_arb_grads_bytes);
    tcase_add_test(random, test_arb_get_str_digits_random);
    tcase_add_test(random, test_arb_get_str_digits_walk);
    tcase_add_test(random, test_arb_has_digits_shared);
    suite_add_tcase(s, random);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_ball_suite());
}
