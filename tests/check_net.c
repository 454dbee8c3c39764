/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_net.c -- the network model, exact number parsing, network files
   (reference networks, malformed files, round trips), the distributions
   of random networks and their streams. */

#include <dirent.h>
#include <float.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "gc-test.h"
#include "gc-impl.h"
#include "net/net-impl.h"

#define GC_TEST_BADDIR SRCDIR "/tests/data/bad"

/* ---- core: the model ----------------------------------------------- */

START_TEST(test_net_init_defaults)
{
    gc_net_t net;

    gc_net_init(net);
    ck_assert_int_eq(net->len, 0);
    ck_assert(mpq_cmp_ui(net->a0, 1, 1) == 0);
    ck_assert(mpq_sgn(net->y) == 0);
    ck_assert(net->act.kind == GC_ACT_SIGMOID);
    ck_assert(net->cost == GC_COST_QUADRATIC);
    ck_assert(!net->generated);
    gc_net_set_length(net, 3);
    ck_assert_int_eq(net->len, 3);
    ck_assert(mpq_sgn(net->w + 2) == 0 && mpq_sgn(net->b + 2) == 0);
    gc_net_clear(net);
}
END_TEST

/* Generated networks: N(0.25, 3) both; uniform weights scaled by he
   (sqrt 2 in a chain) with constant biases; constant weights under lecun
   (1 in a chain) with normal biases. */
static const gc_random_struct gen_randoms[] = {
    {{GC_DIST_NORMAL, {0.25, 3.0}}, {GC_DIST_NORMAL, {0.25, 3.0}},
     GC_FANIN_NONE, 99},
    {{GC_DIST_UNIFORM, {-1.0, 0.5}}, {GC_DIST_CONST, {0.5, 0.0}},
     GC_FANIN_HE, 5},
    {{GC_DIST_CONST, {-2.0, 0.0}}, {GC_DIST_NORMAL, {0.0, 1.0}},
     GC_FANIN_LECUN, 6}};

START_TEST(test_net_generated_materialize)
{
    const gc_random_struct * rnd = gen_randoms + _i;
    gc_net_t gen, mat;
    mpq_t w1, b1, w2, b2;
    mpfr_t fw, fb;
    double dw, db;
    slong j, len = 50;

    gc_net_init(gen);
    gc_net_init(mat);
    mpq_init(w1);
    mpq_init(b1);
    mpq_init(w2);
    mpq_init(b2);
    mpfr_init2(fw, 53);
    mpfr_init2(fb, 53);

    gc_net_set_random(gen, rnd, len);
    gc_net_set_length(mat, 7); /* materialize must replace these */
    gc_net_set_random(mat, rnd, len);
    gc_net_materialize(mat);
    ck_assert(gen->generated && gen->w == NULL && !mat->generated);
    ck_assert_int_eq(mat->len, len);
    for (j = 1; j <= len; j++)
    {
        gc_net_get_layer_q(w1, b1, gen, j);
        gc_net_get_layer_q(w2, b2, mat, j);
        ck_assert_msg(mpq_equal(w1, w2) && mpq_equal(b1, b2), "j=%ld", j);
        gc_random_draw(&dw, &db, rnd, j);
        ck_assert(mpq_get_d(w1) == dw && mpq_get_d(b1) == db);
        ck_assert(_i != 1 || (db == 0.5 && -sqrt(2.0) <= dw
                              && dw <= sqrt(2.0) / 2));
        ck_assert(_i != 2 || dw == -2.0);
        /* binary64 values are exact at 53 bits, from either kind */
        ck_assert_int_eq(gc_net_get_layer_mpfr(fw, fb, gen, j, MPFR_RNDN),
                         0);
        ck_assert(mpfr_get_d(fw, MPFR_RNDN) == dw);
        ck_assert_int_eq(gc_net_get_layer_mpfr(fw, fb, mat, j, MPFR_RNDN),
                         0);
        ck_assert(mpfr_get_d(fb, MPFR_RNDN) == db);
    }

    /* 1/3 is inexact at any precision; rounding goes the asked way */
    gc_net_set_length(mat, 1);
    mpq_set_ui(mat->w, 1, 3);
    ck_assert_int_eq(gc_net_get_layer_mpfr(fw, fb, mat, 1, MPFR_RNDU), 1);
    ck_assert(mpfr_cmp_q(fw, mat->w) > 0 && mpfr_zero_p(fb));

    mpfr_clear(fw);
    mpfr_clear(fb);
    mpq_clear(w1);
    mpq_clear(b1);
    mpq_clear(w2);
    mpq_clear(b2);
    gc_net_clear(gen);
    gc_net_clear(mat);
}
END_TEST

START_TEST(test_act_cost_names)
{
    gc_act_t a, acts[] = {GC_ACT_SIGMOID, GC_ACT_TANH, GC_ACT_RELU,
                          GC_ACT_LEAKY_RELU, GC_ACT_SOFTPLUS,
                          GC_ACT_IDENTITY};
    gc_cost_t c;
    size_t i;

    for (i = 0; i < sizeof acts / sizeof acts[0]; i++)
    {
        ck_assert_int_eq(gc_act_set_str(&a, gc_act_name(acts[i])),
                         GC_SUCCESS);
        ck_assert(a == acts[i]);
    }
    ck_assert_str_eq(gc_act_name(GC_ACT_LEAKY_RELU), "leaky-relu");
    ck_assert_int_eq(gc_act_set_str(&a, "Sigmoid"), GC_INVALID);
    ck_assert_int_eq(gc_act_set_str(&a, ""), GC_INVALID);
    ck_assert_int_eq(gc_cost_set_str(&c, "quadratic"), GC_SUCCESS);
    ck_assert(c == GC_COST_QUADRATIC);
    ck_assert_int_eq(gc_cost_set_str(&c, "cross-entropy"), GC_SUCCESS);
    ck_assert(c == GC_COST_CROSS_ENTROPY);
    ck_assert_str_eq(gc_cost_name(GC_COST_GIVEN), "given");
    /* the table is the exact inverse of gc_cost_name; the file reader
       asks "cost given" for its value */
    ck_assert_int_eq(gc_cost_set_str(&c, "given"), GC_SUCCESS);
    ck_assert(c == GC_COST_GIVEN);
    ck_assert_int_eq(gc_cost_set_str(&c, "hinge"), GC_INVALID);
}
END_TEST

/* Activations with a parameter: leaky-relu:S reads S exactly, prints it
   back exactly, and only leaky-relu takes one. */
START_TEST(test_activation_set_str)
{
    static const char * const bad[] = {"swish", "", "tanh:1", "leaky-relu:",
                                       "leaky-relu:x", "Sigmoid",
                                       "leaky-relu:1/0"};
    gc_activation_t a, b;
    gc_parse_error_t err;
    char * s;
    size_t i;

    gc_activation_init(a);
    gc_activation_init(b);
    ck_assert_int_eq(gc_activation_set_str(a, "leaky-relu:0.2", err),
                     GC_SUCCESS);
    ck_assert(a->kind == GC_ACT_LEAKY_RELU);
    ck_assert(mpz_cmp_ui(mpq_numref(a->slope), 1) == 0
              && mpz_cmp_ui(mpq_denref(a->slope), 5) == 0);
    s = gc_activation_get_str(a);
    ck_assert_str_eq(s, "leaky-relu:1/5");
    ck_assert_int_eq(gc_activation_set_str(b, s, err), GC_SUCCESS);
    ck_assert(gc_activation_equal(a, b));
    flint_free(s);
    ck_assert_int_eq(gc_activation_set_str(a, "leaky-relu", err),
                     GC_SUCCESS);
    ck_assert(!gc_activation_equal(a, b));
    s = gc_activation_get_str(a);
    ck_assert_str_eq(s, "leaky-relu");
    flint_free(s);
    ck_assert_int_eq(gc_activation_set_str(a, "gelu", err), GC_SUCCESS);
    ck_assert(a->kind == GC_ACT_GELU);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(gc_activation_set_str(a, bad[i], err) == GC_INVALID
                          && err->msg[0] != '\0',
                      "'%s' accepted", bad[i]);
    gc_activation_clear(a);
    gc_activation_clear(b);
}
END_TEST

/* One spelling for a parameter: b or w, then the layer in decimal. */
START_TEST(test_param_set_str)
{
    static const char * const bad[] = {
        "b0", "x1", "b", "b1x", "b-1", "b+1", " b1", "b 1", "", "w11",
        "bb1", "B1", "W3", "b01", "w007", "b1 ", "b99999999999999999999999"};
    gc_param_t p;
    gc_parse_error_t err;
    char * s;
    size_t i;

    ck_assert_int_eq(gc_param_set_str(p, "b1", 10, err), GC_SUCCESS);
    ck_assert(p->kind == GC_PARAM_B && p->layer == 1);
    ck_assert_int_eq(gc_param_set_str(p, "w3", 10, err), GC_SUCCESS);
    ck_assert(p->kind == GC_PARAM_W && p->layer == 3);
    ck_assert_int_eq(gc_param_set_str(p, "b12", 0, err), GC_SUCCESS);
    ck_assert(p->kind == GC_PARAM_B && p->layer == 12);
    ck_assert_int_eq(gc_param_set_str(p, "w123456789", -1, err),
                     GC_SUCCESS);
    ck_assert(p->layer == 123456789);
    s = gc_param_get_str(p);
    ck_assert_str_eq(s, "w123456789");
    flint_free(s);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
        int status = gc_param_set_str(p, bad[i], 10, err);

        ck_assert_msg(status == GC_INVALID, "'%s' accepted", bad[i]);
        ck_assert_msg(strncmp(err->token, bad[i], 8) == 0 && err->msg[0],
                      "'%s': token '%s' msg '%s'", bad[i], err->token,
                      err->msg);
    }
    ck_assert_int_eq(gc_param_set_str(p, "w11", 11, err), GC_SUCCESS);
    ck_assert_int_eq(gc_param_set_str(p, "w12", 11, err), GC_INVALID);
    ck_assert_str_eq(err->msg, "layer 12 out of range 1..11");
}
END_TEST

/* ---- core: numbers ------------------------------------------------- */

/* Each string and its value as a GMP rational literal (read by GMP, not
   by gradchain). */
static const char * const good_numbers[][2] = {
    {"0.1", "1/10"},
    {"-1.5e-3", "-3/2000"},
    {"+.5", "1/2"},
    {"5.", "5"},
    {"-0", "0"},
    {"007", "7"},
    {"1E+2", "100"},
    {"12.5e-1", "5/4"},
    {"1/3", "1/3"},
    {"-7/22", "-7/22"},
    {"+6/4", "3/2"},
    {"0/5", "0"},
    {"-0x1.8p-3", "-3/16"},
    {"0X.8", "1/2"},
    {"0x1e5", "485"},
    {"0xA.Bp4", "171"},
    {"0x1p+10", "1024"},
    {"0x3", "3"},
    {"0.1257302210933932962166892366440151818096637725830078125",
     "0.1257302210933932962166892366440151818096637725830078125"},
};

START_TEST(test_q_set_str_exact)
{
    const char * s = good_numbers[_i][0];
    const char * v = good_numbers[_i][1];
    gc_parse_error_t err;
    mpq_t q, r;

    mpq_init(q);
    mpq_init(r);
    if (strchr(v, '.') != NULL)
    {
        /* a binary64 written out exactly: strtod gets it exactly too */
        mpq_set_d(r, strtod(v, NULL));
    }
    else
        ck_assert_int_eq(mpq_set_str(r, v, 10), 0);
    mpq_canonicalize(r);
    ck_assert_msg(gc_q_set_str(q, s, err) == GC_SUCCESS, "'%s': %s", s,
                  err->msg);
    ck_assert_msg(mpq_equal(q, r), "'%s' != %s", s, v);
    mpq_clear(q);
    mpq_clear(r);
}
END_TEST

/* Writes the decimal d 10^-j (d > 0 as an mpz, j any) to buf, signed,
   in a random form: the point anywhere (with leading zeros, or none
   before it: ".5"), trailing zeros, an exponent or not. */
static void
random_decimal_str(char * buf, flint_rand_t state, const mpz_t d, slong j,
                   int neg)
{
    char * digits = mpz_get_str(NULL, 10, d);
    slong n = (slong) strlen(digits), z = (slong) n_randint(state, 4);
    slong p = (slong) n_randint(state, n + 6); /* digits after the point */
    slong e = p - j, i; /* the written exponent */
    char * o = buf;

    if (neg)
        *o++ = '-';
    else if (n_randint(state, 8) == 0)
        *o++ = '+';
    if (p >= n)
    {
        if (n_randint(state, 2))
            *o++ = '0';
        *o++ = '.';
        for (i = 0; i < p - n; i++)
            *o++ = '0';
        memcpy(o, digits, n);
        o += n;
    }
    else
    {
        memcpy(o, digits, n - p);
        o += n - p;
        if (p + z > 0 || n_randint(state, 2))
            *o++ = '.';
        memcpy(o, digits + n - p, p);
        o += p;
    }
    for (i = 0; i < z; i++)
        *o++ = '0';
    if (e != 0 || n_randint(state, 4) == 0)
        o += sprintf(o, n_randint(state, 2) ? "e%+ld" : "E%ld", (long) e);
    *o = '\0';
    flint_free(digits);
}

/* Random decimals read as the rationals that GMP computes apart from
   the parser: binary fractions m / 2^j written exactly (binary64 values,
   the halfway points between them, subnormals down to 2^-1074, and
   wider ones, some past the fast reader's 800 digits), decimals that are
   no binary fraction (d / 10^k), and integers, each in random forms. */
START_TEST(test_q_set_str_random)
{
    flint_rand_t state;
    gc_parse_error_t err;
    mpq_t q, r;
    mpz_t m, d;
    char * buf = flint_malloc(8000);
    slong iter, j, bits;
    int kind, neg;

    gc_test_randinit(state);
    _flint_rand_init_gmp(state);
    mpq_init(q);
    mpq_init(r);
    mpz_init(m);
    mpz_init(d);
    for (iter = 0; iter < gc_test_iters(20000); iter++)
    {
        kind = n_randint(state, 4);
        neg = n_randint(state, 2);
        do
        {
            bits = kind == 0 ? 53 : kind == 1 ? 54 : 1 + n_randint(state, 200);
            mpz_urandomb(m, state->gmp_state, bits);
        } while (mpz_sgn(m) == 0);
        if (kind == 1)
            mpz_setbit(m, 0); /* a halfway point of two binary64 */
        if (kind < 3 || n_randint(state, 2))
        {
            /* m / 2^j = m 5^j 10^-j */
            j = n_randint(state, 5) == 0 ? (slong) n_randint(state, 3000)
                                         : (slong) n_randint(state, 1100);
            mpz_ui_pow_ui(d, 5, j);
            mpz_mul(d, d, m);
            mpz_set(mpq_numref(r), m);
            mpz_set_ui(mpq_denref(r), 1);
            mpz_mul_2exp(mpq_denref(r), mpq_denref(r), j);
        }
        else
        {
            /* m / 10^j, m of up to 61 digits */
            j = (slong) n_randint(state, 80) - 10;
            mpz_set(d, m);
            mpz_set(mpq_numref(r), m);
            mpz_ui_pow_ui(mpq_denref(r), 10, FLINT_ABS(j));
            if (j < 0)
            {
                mpz_mul(mpq_numref(r), mpq_numref(r), mpq_denref(r));
                mpz_set_ui(mpq_denref(r), 1);
            }
        }
        mpq_canonicalize(r);
        if (neg)
            mpq_neg(r, r);
        random_decimal_str(buf, state, d, j, neg);
        ck_assert_msg(gc_q_set_str(q, buf, err) == GC_SUCCESS,
                      "'%s': %s, seed %lu", buf, err->msg, gc_test_seed());
        if (!mpq_equal(q, r) || mpz_sgn(mpq_denref(q)) <= 0)
        {
            char * got = mpq_get_str(NULL, 10, q);

            ck_abort_msg("iter %ld '%s' read as %s, seed %lu", (long) iter,
                         buf, got, gc_test_seed());
        }
    }
    mpz_clear(m);
    mpz_clear(d);
    mpq_clear(q);
    mpq_clear(r);
    flint_free(buf);
    flint_randclear(state);
}
END_TEST

static const char * const bad_numbers[][2] = {
    {"", "expected a number, got ''"},
    {"+", "expected a number, got '+'"},
    {".", "expected a number, got '.'"},
    {"O.5", "expected a number, got 'O.5'"},
    {"1.2.3", "expected a number, got '1.2.3'"},
    {"1e", "expected a number, got '1e'"},
    {"1e+", "expected a number, got '1e+'"},
    {"e5", "expected a number, got 'e5'"},
    {"0x", "expected a number, got '0x'"},
    {"0x1p", "expected a number, got '0x1p'"},
    {"0x1e-3", "expected a number, got '0x1e-3'"},
    {"0x1/2", "expected a number, got '0x1/2'"},
    {"1.5abc", "expected a number, got '1.5abc'"},
    {"1 2", "expected a number, got '1 2'"},
    {" 1", "expected a number, got ' 1'"},
    {"--1", "expected a number, got '--1'"},
    {"1/-2", "expected a number, got '1/-2'"},
    {"1/", "expected a number, got '1/'"},
    {"/2", "expected a number, got '/2'"},
    {"1.5/2", "expected a number, got '1.5/2'"},
    {"1/2/3", "expected a number, got '1/2/3'"},
    {"info", "expected a number, got 'info'"},
    {"1/0", "zero denominator in '1/0'"},
    {"-3/000", "zero denominator in '-3/000'"},
    {"nan", "NaN and infinity are not numbers, got 'nan'"},
    {"-NaN(0x7ff)", "NaN and infinity are not numbers, got '-NaN(0x7ff)'"},
    {"inf", "NaN and infinity are not numbers, got 'inf'"},
    {"+Infinity", "NaN and infinity are not numbers, got '+Infinity'"},
    {"1e1000000001", "exponent beyond 10^6 in '1e1000000001'"},
    {"1e-99999999999999999999999",
     "exponent beyond 10^6 in '1e-99999999999999999999999'"},
    {"0x1p2000000000", "exponent beyond 10^6 in '0x1p2000000000'"},
};

START_TEST(test_q_set_str_reject)
{
    const char * s = bad_numbers[_i][0];
    gc_parse_error_t err;
    double d;
    mpq_t q;

    mpq_init(q);
    ck_assert_msg(!_gc_dec_get_d_exact(&d, s, strlen(s)), "'%s'", s);
    ck_assert_msg(gc_q_set_str(q, s, err) == GC_INVALID, "'%s'", s);
    ck_assert_int_eq(err->line, 0);
    ck_assert_str_eq(err->msg, bad_numbers[_i][1]);
    mpq_clear(q);
}
END_TEST

/* If the rational r is a binary64 number, sets *d* to it and returns 1
   (MPFR at 53 bits in binary64's exponent range, subnormals included);
   returns 0 otherwise. */
static int
q_binary64(double * d, const mpq_t r)
{
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_t x;
    int t, exact;

    mpfr_init2(x, 53);
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
    t = mpfr_set_q(x, r, MPFR_RNDN);
    t = mpfr_subnormalize(x, t, MPFR_RNDN);
    exact = (t == 0 && mpfr_number_p(x));
    *d = mpfr_get_d(x, MPFR_RNDN);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_clear(x);
    return exact;
}

/* Literals for _gc_dec_get_d_exact, the binary64 reader of network
   files: 1 if it must read the literal (then to d), 0 if it must leave it
   to the rational reader (not a binary64 number, or not a decimal). */
static const struct
{
    const char * lit;
    int fast;
    double d;
} dec_vals[] = {
    {"0", 1, 0.0},
    {"-0", 1, 0.0},
    {"-0.000e5", 1, 0.0},
    {"+.5", 1, 0.5},
    {"5.", 1, 5.0},
    {"-1.5e-3", 0, 0},
    {"0.50", 1, 0.5},
    {"0.5000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000", 0, 0}, /* 0.5 with its digits over 2^64 5^k */
    {"1.0e2", 1, 100.0},
    {"18446744073709551615", 0, 0}, /* 2^64 - 1: 64 bits */
    {"18446744073709549568", 1, 0x1.fffffffffffffp63},
    {"9007199254740993", 0, 0},
    {"9007199254740992", 1, 0x1p53},
    {"0.1", 0, 0},
    {"0.1000000000000000055511151231257827021181583404541015625", 1, 0.1},
    {"0.10000000000000000555111512312578270211815834045410156250", 1, 0.1},
    {"0.10000000000000000555111512312578270211815834045410156251", 0, 0},
    {"0.1000000000000000055511151231257827021181583404541015624", 0, 0},
    {"0.100000000000000005551115123125782702118158340454101562", 0, 0},
    {"1e400", 0, 0},
    {"1e-400", 0, 0},
    {"1e-1000001", 0, 0},
    {"4.9406564584124654e-324", 0, 0},
    {"6.103515625e-05", 1, 0x1p-14},
    {"-2.5e-3", 0, 0},
    {"0x1p3", 0, 0},
    {"1/2", 0, 0},
    {"0.000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000", 1,
     0.0},
};

START_TEST(test_dec_get_d_fixed)
{
    const char * s = dec_vals[_i].lit;
    double d = 42;
    int fast = _gc_dec_get_d_exact(&d, s, strlen(s));

    ck_assert_msg(fast == dec_vals[_i].fast, "'%s'", s);
    if (fast)
        ck_assert_msg(d == dec_vals[_i].d && !signbit(d), "'%s' read as %a",
                      s, d);
    else
        ck_assert_msg(d == 42, "'%s'", s);
}
END_TEST

/* Writes the digits of D with j >= 0 of them after the point (leading
   zeros when needed) and, if e != 0, "e<e>", negative if *neg*: the
   decimal D 10^(e-j). */
static void
decimal_point_str(char * buf, const mpz_t D, slong j, slong e, int neg)
{
    char * digits = mpz_get_str(NULL, 10, D), * o = buf;
    slong n = (slong) strlen(digits);

    if (neg)
        *o++ = '-';
    if (j >= n)
    {
        o += sprintf(o, "0.");
        memset(o, '0', j - n);
        o += j - n;
        o += sprintf(o, "%s", digits);
    }
    else
        o += sprintf(o, "%.*s%s%s", (int) (n - j), digits, j > 0 ? "." : "",
                     digits + n - j);
    if (e != 0)
        sprintf(o, "e%ld", (long) e);
    flint_free(digits);
}

/* Random exact decimals m 5^j 10^-j = m 2^-j (m of 1 to 54 bits, j up
   to 1140: subnormals, 2^-1074 and beyond) are read to the binary64
   number MPFR finds, and exactly when there is one; near misses (a digit
   more, a digit changed) are read to their value or left to the
   rational reader. */
START_TEST(test_dec_get_d_random)
{
    flint_rand_t state;
    mpz_t m, D, t;
    mpq_t r;
    char * buf = flint_malloc(4000);
    slong iter, j, e, pos, fast = 0;
    double d, want;
    int neg, kind, got, exact;

    gc_test_randinit(state);
    _flint_rand_init_gmp(state);
    mpz_init(m);
    mpz_init(D);
    mpz_init(t);
    mpq_init(r);
    for (iter = 0; iter < gc_test_iters(20000); iter++)
    {
        kind = n_randint(state, 4); /* 0, 1: exact; 2: digit more; 3: changed */
        neg = n_randint(state, 2);
        do
            mpz_urandomb(m, state->gmp_state, 1 + n_randint(state, 54));
        while (mpz_sgn(m) == 0);
        if (n_randint(state, 4) == 0)
            mpz_mul_2exp(m, m, n_randint(state, 20));
        j = n_randint(state, 3) == 0 ? 1000 + (slong) n_randint(state, 141)
                                     : (slong) n_randint(state, 1100);
        if (iter < 2)
        {
            /* 2^-1074, the least subnormal, and half of it */
            kind = 0;
            mpz_set_ui(m, 1);
            j = 1074 + iter;
        }
        mpz_ui_pow_ui(D, 5, j);
        mpz_mul(D, D, m);
        if (kind == 2)
        {
            mpz_mul_ui(D, D, 10);
            mpz_add_ui(D, D, 1 + n_randint(state, 9));
            j++;
        }
        else if (kind == 3)
        {
            /* add or take 1 to 9 at a random digit */
            pos = n_randint(state, mpz_sizeinbase(D, 10));
            mpz_ui_pow_ui(t, 10, pos);
            mpz_mul_ui(t, t, 1 + n_randint(state, 9));
            if (mpz_cmp(t, D) < 0 && n_randint(state, 2))
                mpz_sub(D, D, t);
            else
                mpz_add(D, D, t);
        }
        /* the value D 10^-j, apart from the parser */
        mpz_set(mpq_numref(r), D);
        mpz_ui_pow_ui(mpq_denref(r), 10, j);
        mpq_canonicalize(r);
        if (neg)
            mpq_neg(r, r);
        exact = q_binary64(&want, r);
        e = (slong) n_randint(state, 7) - 3;
        e = FLINT_MAX(e, -j);
        decimal_point_str(buf, D, j + e, e, neg);
        got = _gc_dec_get_d_exact(&d, buf, strlen(buf));
        if (got)
            ck_assert_msg(exact && d == want, "iter %ld '%s' read as %a, "
                          "seed %lu", (long) iter, buf, d, gc_test_seed());
        else
            /* every exact decimal of a binary64 number m 2^-j, m < 2^64
               (so all that the writer writes: m odd, or j = 0) */
            ck_assert_msg(kind >= 2 || !exact || mpz_sizeinbase(m, 2) > 64,
                          "iter %ld '%s' not read, seed %lu", (long) iter,
                          buf, gc_test_seed());
        fast += got;
    }
    /* the test saw both answers, each at least a tenth of the time */
    ck_assert_msg(iter < 100 || (fast > iter / 10 && fast < iter - iter / 10),
                  "%ld of %ld read, seed %lu", (long) fast, (long) iter,
                  gc_test_seed());
    mpz_clear(m);
    mpz_clear(D);
    mpz_clear(t);
    mpq_clear(r);
    flint_free(buf);
    flint_randclear(state);
}
END_TEST

/* A file of random binary64 numbers (every exponent, subnormals, +-0,
   DBL_MAX, 2^-1074), each written exactly in a random decimal form, reads
   to binary64 words equal to them; a layer line whose weight is a
   binary64 number but whose bias is not a number fails as before. */
START_TEST(test_read_binary64_random)
{
    flint_rand_t state;
    gc_parse_error_t err;
    gc_net_t net;
    mpq_t q;
    mpz_t D;
    ulong u;
    slong i, k, n = 2 * 300;
    double * v = flint_malloc(n * sizeof(double)), d;
    char * text = flint_malloc(n * 1200 + 100), * o = text;

    gc_test_randinit(state);
    _flint_rand_init_gmp(state);
    mpq_init(q);
    mpz_init(D);
    gc_net_init(net);
    for (i = 0; i < n; i++)
    {
        do
        {
            u = n_randlimb(state);
            if (n_randint(state, 4) == 0)
                u &= UWORD(0x800FFFFFFFFFFFFF) >> n_randint(state, 53);
            memcpy(&v[i], &u, sizeof u);
        } while (!isfinite(v[i]));
        if (i < 4)
            v[i] = i == 0 ? DBL_MAX : i == 1 ? 0x1p-1074 : i == 2 ? -0.0
                                                         : -DBL_MAX;
        mpq_set_d(q, v[i]);
        k = (slong) mpz_sizeinbase(mpq_denref(q), 2) - 1;
        if (mpz_sgn(mpq_numref(q)) == 0)
            o += sprintf(o, "%s0", signbit(v[i]) ? "-" : "");
        else
        {
            mpz_ui_pow_ui(D, 5, k);
            mpz_mul(D, D, mpq_numref(q));
            mpz_abs(D, D);
            random_decimal_str(o, state, D, k, v[i] < 0);
            o += strlen(o);
        }
        *o++ = i % 2 ? '\n' : ' ';
    }
    *o = '\0';
    ck_assert_msg(gc_net_read_str(net, text, err) == GC_SUCCESS,
                  "%s, seed %lu", err->msg, gc_test_seed());
    ck_assert(net->len == n / 2 && net->ncq == 0);
    for (i = 0; i < n; i++)
    {
        memcpy(&d, net->cwb + i, sizeof d);
        ck_assert_msg(d == v[i] && (d != 0 || net->cwb[i] == 0),
                      "value %ld: %a read as %a, seed %lu", (long) i, v[i],
                      d, gc_test_seed());
    }
    ck_assert(gc_net_read_str(net, "a0 1\n0.5 1.5abc\n", err) == GC_INVALID);
    ck_assert_int_eq(err->line, 2);
    ck_assert_str_eq(err->msg, "expected a number, got '1.5abc'");
    ck_assert(gc_net_read_str(net, "0.5 0.25\n\n0.5\n", err) == GC_INVALID);
    ck_assert_int_eq(err->line, 3);
    ck_assert_str_eq(err->msg, "missing bias after weight '0.5'");
    gc_net_clear(net);
    mpz_clear(D);
    mpq_clear(q);
    flint_free(v);
    flint_free(text);
    flint_randclear(state);
}
END_TEST

START_TEST(test_q_set_str_huge)
{
    gc_parse_error_t err;
    mpq_t q, r;

    mpq_init(q);
    mpq_init(r);
    /* 10^-1000000 exactly: numerator 1, denominator 10^1000000 */
    ck_assert_int_eq(gc_q_set_str(q, "1e-1000000", err), GC_SUCCESS);
    mpz_ui_pow_ui(mpq_denref(r), 10, 1000000);
    mpz_set_ui(mpq_numref(r), 1);
    ck_assert(mpq_equal(q, r));
    ck_assert_int_eq(gc_q_set_str(q, "-2.5e1000000", err), GC_SUCCESS);
    /* -2.5e1000000 = -5 10^1000000 / 2 */
    mpz_mul_si(mpq_numref(r), mpq_denref(r), -5);
    mpz_tdiv_q_2exp(mpq_numref(r), mpq_numref(r), 1);
    mpz_set_ui(mpq_denref(r), 1);
    ck_assert(mpq_equal(q, r));
    /* 2^-1074, the least binary64 subnormal, in hex */
    ck_assert_int_eq(gc_q_set_str(q, "0x0.0000000000001p-1022", err),
                     GC_SUCCESS);
    mpq_set_ui(r, 1, 1);
    mpq_div_2exp(r, r, 1074);
    ck_assert(mpq_equal(q, r));
    ck_assert(mpq_get_d(q) == 4.9406564584124654e-324);
    /* the limit itself is accepted */
    ck_assert_int_eq(gc_q_set_str(q, "0x1p-1000000", err), GC_SUCCESS);
    ck_assert_int_eq(mpz_sizeinbase(mpq_denref(q), 2), 1000001);
    mpq_clear(q);
    mpq_clear(r);
}
END_TEST

/* ---- special: network files ---------------------------------------- */

static const char * const ref_nets[] = {
    "n4_s0", "n4_s1", "n10_s0", "neutral1000", "quarter600", "explode2000"};

/* Reads the reference network *name* with gradchain and, independently,
   with strtod (its numbers are exact binary64 expansions), and compares
   a0, y, L (from its "# L n" comment) and every layer. */
START_TEST(test_read_ref)
{
    char path[512], line[512];
    gc_parse_error_t err;
    gc_net_t net;
    FILE * f;
    mpq_t q, qw, qb;
    long L = -1;
    slong j = 0;
    int status;

    snprintf(path, sizeof path, "%s/%s.net", GC_TEST_REFDIR, ref_nets[_i]);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    gc_net_init(net);
    status = gc_net_read(net, f, err);
    ck_assert_msg(status == GC_SUCCESS, "%s:%ld: %s", path, err->line,
                  err->msg);
    mpq_init(q);
    mpq_init(qw);
    mpq_init(qb);
    rewind(f);
    while (fgets(line, sizeof line, f) != NULL)
    {
        char * end;
        double w, b;

        if (sscanf(line, "# L %ld", &L) == 1 || line[0] == '#')
            continue;
        if (strncmp(line, "a0 ", 3) == 0 || strncmp(line, "y ", 2) == 0)
        {
            mpq_set_d(q, strtod(strchr(line, ' '), NULL));
            ck_assert(mpq_equal(q, line[0] == 'a' ? net->a0 : net->y));
            continue;
        }
        w = strtod(line, &end);
        b = strtod(end, NULL);
        j++;
        ck_assert_msg(j <= net->len, "%s: too few layers read", path);
        gc_net_get_layer_q(q, qb, net, j);
        mpq_set_d(qw, w);
        ck_assert_msg(mpq_equal(q, qw), "%s: w_%ld", path, j);
        mpq_set_d(qw, b);
        ck_assert_msg(mpq_equal(qb, qw), "%s: b_%ld", path, j);
    }
    ck_assert_int_eq(L, net->len);
    ck_assert_int_eq(j, net->len);
    ck_assert(net->act.kind == GC_ACT_SIGMOID && net->cost == GC_COST_QUADRATIC);
    fclose(f);
    mpq_clear(q);
    mpq_clear(qw);
    mpq_clear(qb);
    gc_net_clear(net);
}
END_TEST

/* Every file in tests/data/bad is listed in EXPECTED as
   "NAME.net:LINE: MESSAGE" and must fail with exactly that. */
START_TEST(test_read_bad)
{
    char path[512], line[512], name[256];
    gc_parse_error_t err;
    gc_net_t net;
    FILE * ex, * f;
    long want_line;
    int n, status, files = 0;
    DIR * dir;
    struct dirent * de;

    ex = fopen(GC_TEST_BADDIR "/EXPECTED", "r");
    ck_assert(ex != NULL);
    gc_net_init(net);
    for (n = 0; fgets(line, sizeof line, ex) != NULL; n++)
    {
        char * msg;

        line[strcspn(line, "\n")] = '\0';
        msg = strstr(line, ": ");
        ck_assert_msg(msg != NULL && sscanf(line, "%255[^:]:%ld:", name,
                                            &want_line) == 2,
                      "bad EXPECTED line '%s'", line);
        snprintf(path, sizeof path, "%s/%s", GC_TEST_BADDIR, name);
        f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        status = gc_net_read(net, f, err);
        fclose(f);
        ck_assert_msg(status == GC_INVALID, "%s was accepted", name);
        ck_assert_msg(err->line == want_line && strcmp(err->msg, msg + 2)
                                                    == 0,
                      "%s: got %ld: %s; expected %ld: %s", name, err->line,
                      err->msg, want_line, msg + 2);
    }
    fclose(ex);

    dir = opendir(GC_TEST_BADDIR);
    ck_assert(dir != NULL);
    while ((de = readdir(dir)) != NULL)
        files += strlen(de->d_name) > 4
                 && strcmp(de->d_name + strlen(de->d_name) - 4, ".net") == 0;
    closedir(dir);
    ck_assert_msg(files == n, "%d .net files, %d in EXPECTED", files, n);
    ck_assert_int_ge(n, 20);
    gc_net_clear(net);
}
END_TEST

/* Inputs the reader accepts: the value of a0, y, w_L and L. */
static const char * const good_nets[][5] = {
    {"0.5 1", "1", "0", "1", "1"},                      /* defaults */
    {"a0 1\r\ny 0\r\n0.5 -1\r\n2 3\r\n", "1", "0", "3", "2"}, /* CRLF */
    {"\xEF\xBB\xBF# BOM\n1 2\n", "1", "0", "2", "1"},
    {"1 2\ny 1/3 # late\na0 -2\ncost cross-entropy\n\t3 4", "-2", "1/3",
     "4", "2"},
    {"  0x1p-3   7/2  # w b\n", "1", "0", "7/2", "1"},
    {"act tanh\ncost given -1/7\n0 0\n", "1", "0", "0", "1"},
};

START_TEST(test_read_str_good)
{
    gc_parse_error_t err;
    gc_net_t net;
    mpq_t q, qw, qb;

    gc_net_init(net);
    mpq_init(q);
    mpq_init(qw);
    mpq_init(qb);
    ck_assert_msg(gc_net_read_str(net, good_nets[_i][0], err) == GC_SUCCESS,
                  "net %d: %ld: %s", _i, err->line, err->msg);
    ck_assert_int_eq(mpq_set_str(q, good_nets[_i][1], 10), 0);
    ck_assert(mpq_equal(q, net->a0));
    ck_assert_int_eq(mpq_set_str(q, good_nets[_i][2], 10), 0);
    ck_assert(mpq_equal(q, net->y));
    ck_assert_int_eq(mpq_set_str(q, good_nets[_i][3], 10), 0);
    ck_assert_int_eq(net->len, atol(good_nets[_i][4]));
    gc_net_get_layer_q(qw, qb, net, net->len);
    ck_assert(mpq_equal(q, qb));
    if (_i == 5)
    {
        ck_assert(net->act.kind == GC_ACT_TANH && net->cost == GC_COST_GIVEN);
        ck_assert_int_eq(mpq_set_str(q, "-1/7", 10), 0);
        ck_assert(mpq_equal(q, net->dc_da));
    }
    mpq_clear(q);
    mpq_clear(qw);
    mpq_clear(qb);
    gc_net_clear(net);
}
END_TEST

/* A line of 2^24 + 1 bytes is refused; a 200000-digit number on a line
   longer than the reader's first buffer is read exactly from a FILE. */
START_TEST(test_read_long_lines)
{
    size_t n = ((size_t) 1 << 24) + 1, k = 200000;
    char * s = malloc(n + 8);
    gc_parse_error_t err;
    gc_net_t net;
    FILE * f;
    mpz_t z;
    mpq_t w, b;

    gc_net_init(net);
    memcpy(s, "0 0\n", 4);
    memset(s + 4, '1', n);
    s[4 + n] = '\0';
    ck_assert_int_eq(gc_net_read_str(net, s, err), GC_INVALID);
    ck_assert_int_eq(err->line, 2);
    ck_assert_str_eq(err->msg, "line longer than 16777216 bytes");

    f = tmpfile();
    ck_assert(f != NULL);
    memset(s, '9', k);
    s[k] = '\0';
    fprintf(f, "a0 1\n%s -%s\n", s, s);
    rewind(f);
    ck_assert_int_eq(gc_net_read(net, f, err), GC_SUCCESS);
    mpz_init(z);
    mpz_ui_pow_ui(z, 10, k);
    mpz_sub_ui(z, z, 1);
    mpq_init(w);
    mpq_init(b);
    gc_net_get_layer_q(w, b, net, 1);
    ck_assert(mpz_cmp(z, mpq_numref(w)) == 0);
    mpz_neg(z, z);
    ck_assert(mpz_cmp(z, mpq_numref(b)) == 0);
    mpq_clear(w);
    mpq_clear(b);

    /* the same line, too long, from a FILE */
    rewind(f);
    memset(s, '1', n);
    s[n] = '\0';
    fprintf(f, "0 0\n%s\n", s);
    fflush(f);
    rewind(f);
    ck_assert_int_eq(gc_net_read(net, f, err), GC_INVALID);
    ck_assert_int_eq(err->line, 2);
    ck_assert_str_eq(err->msg, "line longer than 16777216 bytes");
    fclose(f);
    mpz_clear(z);
    free(s);
    gc_net_clear(net);
}
END_TEST

/* ---- random: distributions and their streams ------------------------ */

/* Golden values: SplitMix64 and Box-Muller as documented in
   src/net/random.c, evaluated independently with Python integers and
   bc -l at 60 digits, then rounded to binary64 by Python
   (float(Decimal(...)), and mu + sd N with one IEEE addition). */
static const struct
{
    ulong seed;
    double mu, sd;
    slong j;
    double w, b;
} golden[] = {
    {7, 0.0, 1.0, 1, 1.3649922974572282, -0.39652397525381783},
    {7, 0.0, 1.0, 2, 0.004498526159831547, -0.5806130552620296},
    {7, 0.0, 1.0, 5, -0.2337989996759031, 0.04503439621730465},
    {0, 0.0, 1.0, 1, -0.4527577402174581, 2.65060581207967},
    {12345, 0.5, 2.0, 1, 1.625087037175139, 2.345604395059619},
    {12345, 0.5, 2.0, 1000000, 0.4795774997543149, -0.18193890160485637},
};

START_TEST(test_normal_golden)
{
    gc_random_t rnd = GC_TEST_NORMAL(golden[_i].mu, golden[_i].sd,
                                     golden[_i].seed);
    double w, b;

    gc_random_draw(&w, &b, rnd, golden[_i].j);
    ck_assert_msg(w == golden[_i].w && b == golden[_i].b,
                  "seed=%lu j=%ld: got %.17g %.17g, expected %.17g %.17g",
                  golden[_i].seed, golden[_i].j, w, b, golden[_i].w,
                  golden[_i].b);
}
END_TEST

/* Golden values of the uniform stream, by this Python (3.8+) program,
   independent of gradchain: exact rationals (fractions), and int / int
   division, which Python rounds correctly (subnormals included).

   from fractions import Fraction
   M, G = 2**64, 0x9E3779B97F4A7C15
   def mix(z):
       z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 % M
       z = (z ^ (z >> 27)) * 0x94D049BB133111EB % M
       return z ^ (z >> 31)
   def uniform(seed, lo, hi, k):
       n = 2 * (mix((seed + (2 * k + 1) * G) % M) >> 11) + 1
       return float((Fraction(lo) * (2**54 - n) + Fraction(hi) * n)
                    / 2**54)
   # w_j = uniform(seed, lo, hi, 2j - 2), b_j = uniform(..., 2j - 1)

   The rows: U(-1, 1), U(0, 1), large and small parameters, bounds
   among the subnormals (the draw rounds to the subnormal grid). */
static const struct
{
    ulong seed;
    double lo, hi;
    slong j;
    double w, b;
} golden_uniform[] = {
    {7, -1.0, 1.0, 1, -0.2203405032174569, 0.8015213612137669},
    {7, -1.0, 1.0, 2, -0.09511620997706316, -0.064093991554253},
    {0, 0.0, 1.0, 1, 0.8833108082136427, 0.0264337715925978},
    {12345, -0.5, 0.25, 1000000, -0.028308837905470244,
     0.03852323978203788},
    {3, 0x1p-1074, 0x1p-1072, 1, 0x1p-1074, 0x3p-1074},
    {3, 0x1p-1074, 0x1p-1072, 2, 0x2p-1074, 0x1p-1074},
    {99, -0x1p-1070, 0x1p-1070, 5, -0x8p-1074, -0x6p-1074},
    {5, 1e300, DBL_MAX, 3, 7.666286503259704e+307, 8.098159846983636e+307},
    {11, 0.1, 0.30000000000000004, 7, 0.23098095414356318,
     0.2719521714764795},
};

START_TEST(test_uniform_golden)
{
    gc_random_t rnd;
    double w, b;

    gc_dist_set_uniform(&rnd->weights, golden_uniform[_i].lo,
                        golden_uniform[_i].hi);
    gc_random_set_dist(rnd, &rnd->weights, golden_uniform[_i].seed);
    gc_random_draw(&w, &b, rnd, golden_uniform[_i].j);
    ck_assert_msg(w == golden_uniform[_i].w && b == golden_uniform[_i].b,
                  "seed=%lu j=%ld: got %a %a, expected %a %a",
                  golden_uniform[_i].seed, golden_uniform[_i].j, w, b,
                  golden_uniform[_i].w, golden_uniform[_i].b);
}
END_TEST

/* Draws of U(lo, hi) at random counters against MPFR's own emulation of
   binary64 (emin = -1073, emax = 1024, mpfr_subnormalize) on the exact
   rational of random.c, for bounds of every size, from subnormal to
   DBL_MAX; each draw is in [lo, hi]. */
static double
test_uniform_ref(double lo, double hi, ulong seed, uint64_t k);

START_TEST(test_uniform_random_ref)
{
    flint_rand_t state;
    gc_dist_t d;
    slong iter;
    double lo, hi, x, r;
    ulong seed;
    uint64_t k;

    gc_test_randinit(state);
    for (iter = 0; iter < gc_test_iters(20000); iter++)
    {
        lo = ldexp((double) n_randint(state, 1 << 20) - (1 << 19),
                   (int) n_randint(state, 2140) - 1094);
        hi = ldexp((double) n_randint(state, 1 << 20),
                   (int) n_randint(state, 2140) - 1094);
        if (!isfinite(lo) || !isfinite(hi) || lo > hi)
            continue;
        seed = n_randlimb(state);
        k = n_randlimb(state);
        gc_dist_set_uniform(d, lo, hi);
        x = gc_dist_draw(d, seed, k);
        r = test_uniform_ref(lo, hi, seed, k);
        ck_assert_msg(x == r && lo <= x && x <= hi, "U(%a, %a) seed=%lu "
                      "k=%lu: got %a, expected %a (test seed=%lu)", lo, hi,
                      seed, (ulong) k, x, r, gc_test_seed());
    }
    flint_randclear(state);
}
END_TEST

/* Every draw of const:V is V, and no draw consumes the generator. */
START_TEST(test_const_draw)
{
    gc_random_t rnd;
    double w, b;
    slong j;

    gc_dist_set_const(&rnd->weights, 0.5);
    gc_random_set_dist(rnd, &rnd->weights, gc_test_seed());
    gc_dist_set_const(&rnd->biases, -0x1p-1074);
    for (j = 1; j <= 100; j++)
    {
        gc_random_draw(&w, &b, rnd, j * 1000003);
        ck_assert(w == 0.5 && b == -0x1p-1074);
    }
}
END_TEST

/* The distributions gc_net_set_random accepts. */
START_TEST(test_dist_is_valid)
{
    gc_dist_t n;

    gc_dist_set_normal(n, 0.0, 1.0);
    ck_assert_int_eq(gc_dist_is_valid(n), 1);
    gc_dist_set_normal(n, 0.0, 0.0); /* every draw is mu */
    ck_assert_int_eq(gc_dist_is_valid(n), 1);
    gc_dist_set_normal(n, 0.0, -1.0);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    gc_dist_set_normal(n, 0.0, NAN);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    gc_dist_set_normal(n, INFINITY, 1.0);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    /* |mu| + 16 sd = DBL_MAX exactly: still finite */
    gc_dist_set_normal(n, 0.0, DBL_MAX / 16);
    ck_assert_int_eq(gc_dist_is_valid(n), 1);
    gc_dist_set_normal(n, 0.0, 1e308);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    gc_dist_set_normal(n, DBL_MAX, 1.0); /* DBL_MAX + 9 rounds back */
    ck_assert_int_eq(gc_dist_is_valid(n), 1);
    gc_dist_set_normal(n, DBL_MAX, 1e300); /* DBL_MAX + 9e300 does not */
    ck_assert_int_eq(gc_dist_is_valid(n), 0);

    gc_dist_set_uniform(n, -DBL_MAX, DBL_MAX);
    ck_assert_int_eq(gc_dist_is_valid(n), 1);
    gc_dist_set_uniform(n, 1.0, 1.0); /* every draw is lo */
    ck_assert_int_eq(gc_dist_is_valid(n), 1);
    gc_dist_set_uniform(n, 1.0, 0.0);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    gc_dist_set_uniform(n, -INFINITY, 0.0);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    gc_dist_set_uniform(n, 0.0, NAN);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);

    gc_dist_set_const(n, -DBL_MAX);
    ck_assert_int_eq(gc_dist_is_valid(n), 1);
    gc_dist_set_const(n, INFINITY);
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    n->par[1] = 1.0; /* const has no second parameter */
    n->par[0] = 1.0;
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
    n->kind = (gc_dist_kind_t) 3;
    ck_assert_int_eq(gc_dist_is_valid(n), 0);
}
END_TEST

/* Specs that gc_dist_set_str accepts, the binary64 parameters they give
   and the canonical spec gc_dist_get_str prints (the shortest that reads
   back). */
static const struct
{
    const char * spec;
    gc_dist_kind_t kind;
    double a, b;
    const char * canon;
} good_specs[] = {
    {"normal:0,1", GC_DIST_NORMAL, 0.0, 1.0, "normal:0,1"},
    {"normal:-2.5,0.5", GC_DIST_NORMAL, -2.5, 0.5, "normal:-2.5,0.5"},
    {"normal:1/3,0.1", GC_DIST_NORMAL, 1.0 / 3.0, 0.1,
     "normal:0.3333333333333333,0.1"},
    {"normal:0x1p-3,-0", GC_DIST_NORMAL, 0.125, 0.0, "normal:0.125,0"},
    {"normal:1e-400,2e1", GC_DIST_NORMAL, 0.0, 20.0, "normal:0,20"},
    /* |MU| + 16 SD = DBL_MAX exactly, and DBL_MAX + 16 rounds back to it:
       the bound is reached, not passed */
    {"normal:0,0x1.fffffffffffffp+1019", GC_DIST_NORMAL, 0.0, DBL_MAX / 16,
     "normal:0,1.1235582092889473e+307"},
    {"normal:1.7976931348623157e308,1", GC_DIST_NORMAL, DBL_MAX, 1.0,
     "normal:1.7976931348623157e+308,1"},
    {"uniform:-1,1", GC_DIST_UNIFORM, -1.0, 1.0, "uniform:-1,1"},
    {"uniform:-1/4,0.1", GC_DIST_UNIFORM, -0.25, 0.1, "uniform:-0.25,0.1"},
    {"uniform:2,2", GC_DIST_UNIFORM, 2.0, 2.0, "uniform:2,2"},
    /* distinct rationals, one binary64 number: allowed, every draw 0.1 */
    {"uniform:0.1,0.10000000000000000001", GC_DIST_UNIFORM, 0.1, 0.1,
     "uniform:0.1,0.1"},
    {"uniform:0x1p-1074,1e-323", GC_DIST_UNIFORM, 0x1p-1074, 0x2p-1074,
     "uniform:5e-324,1e-323"},
    {"uniform:-1.7976931348623157e308,0", GC_DIST_UNIFORM, -DBL_MAX, 0.0,
     "uniform:-1.7976931348623157e+308,0"},
    {"const:1/2", GC_DIST_CONST, 0.5, 0.0, "const:0.5"},
    {"const:-7", GC_DIST_CONST, -7.0, 0.0, "const:-7"},
    {"const:1e-400", GC_DIST_CONST, 0.0, 0.0, "const:0"},
    {"const:0x1.8p-1073", GC_DIST_CONST, 0x3p-1074, 0.0, "const:1.5e-323"},
};

START_TEST(test_dist_set_str)
{
    gc_dist_t d, back;
    gc_parse_error_t err;
    char * canon;

    gc_dist_set_normal(d, 5.0, 5.0);
    ck_assert_msg(gc_dist_set_str(d, good_specs[_i].spec, err)
                  == GC_SUCCESS, "'%s': %s", good_specs[_i].spec, err->msg);
    ck_assert_msg(d->kind == good_specs[_i].kind
                  && d->par[0] == good_specs[_i].a
                  && d->par[1] == good_specs[_i].b && !signbit(d->par[1]),
                  "'%s': got %s(%.17g, %.17g)", good_specs[_i].spec,
                  gc_dist_kind_name(d->kind), d->par[0], d->par[1]);
    ck_assert_int_eq(gc_dist_is_valid(d), 1);
    canon = gc_dist_get_str(d);
    ck_assert_str_eq(canon, good_specs[_i].canon);
    ck_assert_int_eq(gc_dist_set_str(back, canon, err), GC_SUCCESS);
    ck_assert(gc_dist_equal(back, d));
    flint_free(canon);
}
END_TEST

#define GC_TEST_BOUND_MSG                                                   \
    "draws of N(MU, SD) must be finite binary64 numbers (|MU| + 16 SD "     \
    "<= 1.79769e+308)"
#define GC_TEST_UBOUND_MSG                                                  \
    "LO and HI must be finite binary64 numbers (|LO|, |HI| <= "             \
    "1.79769e+308)"
#define GC_TEST_EXPECTED_MSG                                                \
    "expected normal:MU,SD or uniform:LO,HI or const:V"

/* Specs that gc_dist_set_str rejects: the message and the token. */
static const char * const bad_specs[][3] = {
    {"poisson:1", GC_TEST_EXPECTED_MSG, "poisson:1"},
    {"normal", GC_TEST_EXPECTED_MSG, "normal"},
    {"Normal:0,1", GC_TEST_EXPECTED_MSG, "Normal:0,1"},
    {"normal:0", GC_TEST_EXPECTED_MSG, "normal:0"},
    {"uniform:1", GC_TEST_EXPECTED_MSG, "uniform:1"},
    {"const", GC_TEST_EXPECTED_MSG, "const"},
    {"", GC_TEST_EXPECTED_MSG, ""},
    {"normal:x,1", "mean: expected a number", "x"},
    {"normal:,1", "mean: expected a number", ""},
    {"normal: 0,1", "mean: expected a number", " 0"},
    {"normal:nan,1", "mean: NaN and infinity are not numbers", "nan"},
    {"normal:1/0,1", "mean: zero denominator", "1/0"},
    {"normal:x,-1", "mean: expected a number", "x"},
    {"normal:0,y", "standard deviation: expected a number", "y"},
    {"normal:0,", "standard deviation: expected a number", ""},
    {"normal:0,1,2", "standard deviation: expected a number", "1,2"},
    {"normal:0,1e9999999999", "standard deviation: exponent beyond 10^6",
     "1e9999999999"},
    {"normal:0,-1", "standard deviation must not be negative", "-1"},
    /* negative as a rational, although it rounds to -0 */
    {"normal:0,-1e-400", "standard deviation must not be negative",
     "-1e-400"},
    {"normal:0,1e308", GC_TEST_BOUND_MSG, "normal:0,1e308"},
    {"normal:1e400,1", GC_TEST_BOUND_MSG, "normal:1e400,1"},
    {"normal:-1e308,1e308", GC_TEST_BOUND_MSG, "normal:-1e308,1e308"},
    /* just past the bound: 16 * 2^1020 = 2^1024 */
    {"normal:0,0x1p1020", GC_TEST_BOUND_MSG, "normal:0,0x1p1020"},
    {"uniform:a,1", "lower bound: expected a number", "a"},
    {"uniform:0,inf", "upper bound: NaN and infinity are not numbers",
     "inf"},
    {"uniform:0,1,2", "upper bound: expected a number", "1,2"},
    {"uniform:1,0", "the lower bound must not exceed the upper bound",
     "uniform:1,0"},
    /* ordered as rationals before rounding, although both round to 0.1 */
    {"uniform:0.10000000000000000001,0.1",
     "the lower bound must not exceed the upper bound",
     "uniform:0.10000000000000000001,0.1"},
    {"uniform:0,1e309", GC_TEST_UBOUND_MSG, "uniform:0,1e309"},
    {"uniform:-0x1p1024,0", GC_TEST_UBOUND_MSG, "uniform:-0x1p1024,0"},
    {"const:", "value: expected a number", ""},
    {"const:1,2", "value: expected a number", "1,2"},
    {"const:1/0", "value: zero denominator", "1/0"},
    {"const:-2e308",
     "V must be a finite binary64 number (|V| <= 1.79769e+308)",
     "const:-2e308"},
};

START_TEST(test_dist_set_str_reject)
{
    gc_dist_t d;
    gc_parse_error_t err;

    gc_dist_set_normal(d, 5.0, 6.0);
    ck_assert_msg(gc_dist_set_str(d, bad_specs[_i][0], err) == GC_INVALID,
                  "'%s'", bad_specs[_i][0]);
    ck_assert_int_eq(err->line, 0);
    ck_assert_str_eq(err->msg, bad_specs[_i][1]);
    ck_assert_str_eq(err->token, bad_specs[_i][2]);
    /* unchanged on failure */
    ck_assert(d->kind == GC_DIST_NORMAL && d->par[0] == 5.0
              && d->par[1] == 6.0);
}
END_TEST

/* gc_dist_get_str of random valid distributions (random bit patterns,
   subnormals included) reads back to the same distribution. */
START_TEST(test_dist_get_str_roundtrip)
{
    flint_rand_t state;
    gc_parse_error_t err;
    gc_dist_t d, back;
    slong iter;
    double x[2];
    char * s;
    int k;

    gc_test_randinit(state);
    for (iter = 0; iter < gc_test_iters(3000); iter++)
    {
        for (k = 0; k < 2; k++)
        {
            uint64_t u = n_randlimb(state);

            if (n_randint(state, 4) == 0)
                u &= UINT64_C(0x800fffffffffffff); /* subnormal or 0 */
            memcpy(x + k, &u, sizeof u);
        }
        switch (n_randint(state, 3))
        {
            case 0:
                gc_dist_set_normal(d, x[0], fabs(x[1]) / 32);
                break;
            case 1:
                gc_dist_set_uniform(d, FLINT_MIN(x[0], x[1]),
                                    FLINT_MAX(x[0], x[1]));
                break;
            default:
                gc_dist_set_const(d, x[0]);
        }
        if (!gc_dist_is_valid(d))
            continue;
        s = gc_dist_get_str(d);
        ck_assert_msg(gc_dist_set_str(back, s, err) == GC_SUCCESS
                      && gc_dist_equal(back, d), "'%s' (%a, %a) seed=%lu",
                      s, d->par[0], d->par[1], gc_test_seed());
        flint_free(s);
    }
    flint_randclear(state);
}
END_TEST

/* The fan-in rules: parameters times c rounded once, against values
   computed by Python at 60 digits:
   float(Fraction(Decimal(x) * (Decimal(g) / Decimal(n)).sqrt())) with
   getcontext().prec = 60, c = sqrt(g / n). */
static const struct
{
    gc_fanin_t rule;
    slong fan_in, fan_out;
    double x, cx;
} fanin_cases[] = {
    {GC_FANIN_NONE, 7, 3, 0.1, 0.1},
    {GC_FANIN_HE, 1, 1, 1.0, 1.4142135623730951},
    {GC_FANIN_HE, 1, 1, -1.0, -1.4142135623730951},
    {GC_FANIN_HE, 1, 1, 3.0, 4.242640687119285},
    {GC_FANIN_HE, 1, 1, 0.1, 0.1414213562373095},
    {GC_FANIN_HE, 1, 1, 0x1p-1074, 0x1p-1074},
    {GC_FANIN_HE, 2, 9, 0.1, 0.1},
    {GC_FANIN_LECUN, 1, 5, 0.1, 0.1},
    {GC_FANIN_LECUN, 3, 1, 1.0, 0.5773502691896257},
    {GC_FANIN_LECUN, 3, 1, 1e-310, 5.773502691896e-311},
    {GC_FANIN_LECUN, 4, 1, 3.0, 1.5},
    {GC_FANIN_XAVIER, 1, 1, 0.1, 0.1},
    {GC_FANIN_XAVIER, 2, 3, 1.0, 0.6324555320336759},
    {GC_FANIN_XAVIER, 1, 3, DBL_MAX, 1.2711610061536462e+308},
};

START_TEST(test_fanin_scale)
{
    gc_random_t r;
    gc_dist_t w;

    gc_dist_set_normal(&r->weights, fanin_cases[_i].x,
                       fabs(fanin_cases[_i].x));
    gc_random_set_dist(r, &r->weights, 0);
    gc_dist_set_const(&r->biases, 1.0);
    r->fanin = fanin_cases[_i].rule;
    gc_random_get_weights(w, r, fanin_cases[_i].fan_in,
                          fanin_cases[_i].fan_out);
    ck_assert_msg(w->kind == GC_DIST_NORMAL
                  && w->par[0] == fanin_cases[_i].cx
                  && w->par[1] == fabs(fanin_cases[_i].cx),
                  "%s %ld %ld: %a scaled to %a %a, expected %a",
                  gc_fanin_name(fanin_cases[_i].rule),
                  fanin_cases[_i].fan_in, fanin_cases[_i].fan_out,
                  fanin_cases[_i].x, w->par[0], w->par[1],
                  fanin_cases[_i].cx);
    /* the biases are never scaled */
    ck_assert(r->biases.par[0] == 1.0);
}
END_TEST

/* Fan-in scaling in a chain, draws and validity; the rule names. */
START_TEST(test_fanin_random)
{
    gc_random_t r;
    gc_dist_t w;
    gc_fanin_t f;
    double dw, db, w1, b1;

    ck_assert_str_eq(gc_fanin_name(GC_FANIN_HE), "he");
    ck_assert_int_eq(gc_fanin_set_str(&f, "xavier"), GC_SUCCESS);
    ck_assert_int_eq(f, GC_FANIN_XAVIER);
    ck_assert_int_eq(gc_fanin_set_str(&f, "kaiming"), GC_INVALID);
    ck_assert_str_eq(gc_dist_kind_name(GC_DIST_UNIFORM), "uniform");

    /* he in a chain: the weights of U(-1, 2) are those of
       U(RN(-sqrt 2), RN(2 sqrt 2)), the biases those of U(-1, 2) */
    gc_dist_set_uniform(&r->weights, -1.0, 2.0);
    gc_random_set_dist(r, &r->weights, 42);
    r->fanin = GC_FANIN_HE;
    ck_assert_int_eq(gc_random_is_valid(r), 1);
    gc_random_draw(&dw, &db, r, 3);
    gc_dist_set_uniform(w, -sqrt(2.0), 2 * sqrt(2.0));
    ck_assert(dw == gc_dist_draw(w, 42, 4));
    ck_assert(db == gc_dist_draw(&r->biases, 42, 5));
    r->fanin = GC_FANIN_NONE;
    gc_random_draw(&w1, &b1, r, 3);
    ck_assert(b1 == db && w1 != dw);

    /* the bound of N(0, DBL_MAX/16) holds, scaled by sqrt 2 it does not;
       lecun and xavier scale a chain by 1 */
    gc_dist_set_normal(&r->weights, 0.0, DBL_MAX / 16);
    ck_assert_int_eq(gc_random_is_valid(r), 1);
    r->fanin = GC_FANIN_LECUN;
    ck_assert_int_eq(gc_random_is_valid(r), 1);
    r->fanin = GC_FANIN_XAVIER;
    ck_assert_int_eq(gc_random_is_valid(r), 1);
    r->fanin = GC_FANIN_HE;
    ck_assert_int_eq(gc_random_is_valid(r), 0);
    /* an invalid biases' distribution */
    r->fanin = GC_FANIN_NONE;
    gc_dist_set_uniform(&r->biases, 1.0, 0.0);
    ck_assert_int_eq(gc_random_is_valid(r), 0);
}
END_TEST

/* Mean and standard deviation of 2 * 5000 draws of N(mu, sd) and of
   U(lo, hi), seeded from the test seed: within 5 standard errors. */
START_TEST(test_normal_statistics)
{
    gc_random_t rnd = GC_TEST_NORMAL(-3.0, 0.5, gc_test_seed());
    slong j, n = 5000;
    double w, b, s1 = 0, s2 = 0, mean, sd, mx = 0;
    double u1 = 0, u2 = 0, umean, usd, umin = 1, umax = -1;

    gc_dist_set_uniform(&rnd->biases, -1.0, 1.0);
    for (j = 1; j <= n; j++)
    {
        gc_random_draw(&w, &b, rnd, j);
        s1 += w;
        s2 += (w + 3) * (w + 3);
        mx = FLINT_MAX(mx, fabs(w + 3));
        u1 += b;
        u2 += b * b;
        umin = FLINT_MIN(umin, b);
        umax = FLINT_MAX(umax, b);
    }
    mean = s1 / n;
    sd = sqrt(s2 / n);
    ck_assert_msg(fabs(mean + 3) < 5 * 0.5 / sqrt(n), "mean %g seed=%lu",
                  mean, rnd->seed);
    ck_assert_msg(fabs(sd - 0.5) < 5 * 0.5 / sqrt(2 * n), "sd %g seed=%lu",
                  sd, rnd->seed);
    ck_assert_msg(mx < 0.5 * 8.66, "max %g seed=%lu", mx, rnd->seed);
    /* U(-1, 1): mean 0, sd 1/sqrt 3 (the sd of x^2 is 2/sqrt 45) */
    umean = u1 / n;
    usd = sqrt(u2 / n);
    ck_assert_msg(fabs(umean) < 5 / sqrt(3.0 * n), "uniform mean %g "
                  "seed=%lu", umean, rnd->seed);
    ck_assert_msg(fabs(u2 / n - 1.0 / 3) < 5 * 2 / sqrt(45.0 * n),
                  "uniform sd %g seed=%lu", usd, rnd->seed);
    ck_assert_msg(umin > -1 && umin < -0.99 && umax < 1 && umax > 0.99,
                  "uniform range [%g, %g] seed=%lu", umin, umax, rnd->seed);
}
END_TEST

/* The streams do not depend on the caller's MPFR exponent range, and
   leave the range and the flags as they were. */
START_TEST(test_normal_narrow_range)
{
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, 7);
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    gc_random_t sub;
    double w, b, sw, sb;

    /* subnormal uniform weights scaled by he (the Ziv loop of the
       scaling and the exact sum of the draw): first in the wide range */
    gc_dist_set_uniform(&sub->weights, 0x1p-1074, 0x1p-1072);
    gc_random_set_dist(sub, &sub->weights, 3);
    sub->fanin = GC_FANIN_HE;
    gc_random_draw(&sw, &sb, sub, 2);
    mpfr_set_emin(-13);
    mpfr_set_emax(16);
    mpfr_clear_flags();
    gc_random_draw(&w, &b, rnd, 1);
    ck_assert(w == golden[0].w && b == golden[0].b);
    gc_random_draw(&w, &b, sub, 2);
    ck_assert(w == sw && b == sb && b == golden_uniform[5].b);
    ck_assert(mpfr_get_emin() == -13 && mpfr_get_emax() == 16);
    ck_assert(mpfr_flags_save() == 0);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
}
END_TEST

/* An independent evaluation of the stream's definition with MPFR (not
   Arb): N(k) = RN(sqrt(-2 ln u1) cos(pi 2 u2)), each of log, sqrt, cospi
   and the product rounded to nearest at p bits (relative error < 4
   2^-p, so err = p - 3 for mpfr_can_round), p doubled until the rounding
   to binary64 is proven. */
static uint64_t
test_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#define TEST_GAMMA UINT64_C(0x9E3779B97F4A7C15)

static double
test_normal_ref(ulong seed, uint64_t k)
{
    uint64_t x1 = test_mix(seed + (2 * k + 1) * TEST_GAMMA) >> 11;
    uint64_t x2 = test_mix(seed + (2 * k + 2) * TEST_GAMMA) >> 11;
    mpfr_t l, c;
    mpfr_prec_t p;
    double n;

    mpfr_inits2(64, l, c, (mpfr_ptr) 0);
    for (p = 128;; p *= 2)
    {
        mpfr_set_prec(l, p);
        mpfr_set_prec(c, p);
        mpfr_set_ui_2exp(l, 2 * x1 + 1, -54, MPFR_RNDN);  /* exact */
        mpfr_log(l, l, MPFR_RNDN);
        mpfr_mul_si(l, l, -2, MPFR_RNDN);                  /* exact */
        mpfr_sqrt(l, l, MPFR_RNDN);
        mpfr_set_ui_2exp(c, 2 * x2 + 1, -53, MPFR_RNDN);  /* 2 u2 */
        mpfr_cospi(c, c, MPFR_RNDN);
        mpfr_mul(l, l, c, MPFR_RNDN);
        if (mpfr_can_round(l, p - 3, MPFR_RNDN, MPFR_RNDZ, 53 + 1))
            break;
    }
    n = mpfr_get_d(l, MPFR_RNDN);
    mpfr_clears(l, c, (mpfr_ptr) 0);
    return n;
}

/* The exact rational of a uniform draw (random.c, item 4) rounded to
   binary64 by MPFR in binary64's exponent range with
   mpfr_subnormalize. */
static double
test_uniform_ref(double lo, double hi, ulong seed, uint64_t k)
{
    uint64_t x = test_mix(seed + (2 * k + 1) * TEST_GAMMA) >> 11;
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpq_t v, t, lo_q;
    mpfr_t r;
    int inex;
    double d;

    mpq_inits(v, t, lo_q, NULL);
    mpq_set_d(lo_q, lo);
    mpfr_init2(r, 53);
    /* v = lo + (hi - lo) n / 2^54, n = 2x + 1 < 2^54, in GMP rationals
       (n in two halves: an unsigned long may have 32 bits) */
    mpz_set_ui(mpq_numref(v), (unsigned long) (x >> 32));
    mpz_mul_2exp(mpq_numref(v), mpq_numref(v), 32);
    mpz_add_ui(mpq_numref(v), mpq_numref(v),
               (unsigned long) (x & 0xFFFFFFFF));
    mpz_mul_2exp(mpq_numref(v), mpq_numref(v), 1);
    mpz_add_ui(mpq_numref(v), mpq_numref(v), 1);
    mpz_set_ui(mpq_denref(v), 1);
    mpz_mul_2exp(mpq_denref(v), mpq_denref(v), 54);
    mpq_canonicalize(v);
    mpq_set_d(t, hi);
    mpq_sub(t, t, lo_q);
    mpq_mul(v, v, t);
    mpq_add(v, v, lo_q);
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
    inex = mpfr_set_q(r, v, MPFR_RNDN);
    inex = mpfr_subnormalize(r, inex, MPFR_RNDN);
    d = mpfr_get_d(r, MPFR_RNDN);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_clear(r);
    mpq_clears(v, t, lo_q, NULL);
    return d;
}

/* Checks draw j of the normal distribution *d* with seed *seed* against
   the MPFR evaluation. */
static void
check_normal_ref(const gc_dist_t d, ulong seed, slong j, const char * what)
{
    double w, b, rw, rb;

    w = gc_dist_draw(d, seed, 2 * j - 2);
    b = gc_dist_draw(d, seed, 2 * j - 1);
    rw = fma(d->par[1], test_normal_ref(seed, 2 * j - 2), d->par[0]);
    rb = fma(d->par[1], test_normal_ref(seed, 2 * j - 1), d->par[0]);
    ck_assert_msg(w == rw && b == rb, "%s: seed=%lu j=%ld mu=%.17g "
                  "sd=%.17g: got %.17g %.17g, expected %.17g %.17g (test "
                  "seed=%lu)", what, seed, (long) j, d->par[0], d->par[1],
                  w, b, rw, rb, gc_test_seed());
}

/* 10^5 draws at random counters, against the MPFR evaluation. */
START_TEST(test_normal_random_ref)
{
    flint_rand_t state;
    gc_dist_t d;
    slong iter;
    ulong seed;

    gc_test_randinit(state);
    for (iter = 0; iter < gc_test_iters(50000); iter++)
    {
        seed = n_randlimb(state);
        gc_dist_set_normal(d, n_randint(state, 2) ? 0.0
                              : ldexp((double) n_randlimb(state), -64) - 0.5,
                           n_randint(state, 2) ? 1.0
                                               : 0.1 + n_randint(state, 9));
        check_normal_ref(d, seed, 1 + (slong) n_randint(state, WORD_MAX / 2),
                         "random");
    }
    flint_randclear(state);
}
END_TEST

/* Inverse of test_mix: each xorshift and each odd multiplier is
   invertible modulo 2^64 (inverses by Newton's iteration). */
static uint64_t
test_inv_odd(uint64_t a)
{
    uint64_t x = a;
    int i;

    for (i = 0; i < 5; i++)
        x *= 2 - a * x;
    return x;
}

static uint64_t
test_unmix(uint64_t z)
{
    z ^= (z >> 31) ^ (z >> 62);
    z *= test_inv_odd(UINT64_C(0x94D049BB133111EB));
    z ^= (z >> 27) ^ (z >> 54);
    z *= test_inv_odd(UINT64_C(0xBF58476D1CE4E5B9));
    return z ^ (z >> 30) ^ (z >> 60);
}

/* Uniforms at the edges: seeds built (by inverting SplitMix64) so that
   layer 1's weight has u1 or u2 = (v + 1/2) / 2^53 for chosen v: u1
   next to 1 (-ln u1 near 2^-54, where the rounding is hardest) and to
   0, m next to the sqrt 2 cut, 2 u2 next to the octants (cosine next to
   0 and +-1); 24 low bits each, so the other uniform varies. */
static const uint64_t edge_v[] = {
    0, 1, 2, 3, (UINT64_C(1) << 50) - 1, UINT64_C(1) << 50,
    (UINT64_C(1) << 51) - 1, UINT64_C(1) << 51, (UINT64_C(1) << 52) - 1,
    UINT64_C(1) << 52, UINT64_C(3) << 50, (UINT64_C(3) << 50) - 1,
    (UINT64_C(5) << 50) - 1, UINT64_C(7) << 50, (UINT64_C(1) << 53) - 1,
    (UINT64_C(1) << 53) - 2, UINT64_C(0x16A09E667F3BC),
    UINT64_C(0xB504F333F9DE6)
};

START_TEST(test_normal_edges)
{
    uint64_t v = edge_v[_i / 2], low;
    int which = 1 + _i % 2;   /* output 1 (u1) or 2 (u2) of counter 0 */
    gc_dist_t d, u;
    ulong seed;
    double x;

    gc_dist_set_normal(d, 0.0, 1.0);
    gc_dist_set_uniform(u, -1.0, 3.0);
    for (low = 0; low < 24; low++)
    {
        seed = test_unmix((v << 11) | (low * 89)) - which * TEST_GAMMA;
        ck_assert_msg(test_mix(seed + which * TEST_GAMMA) >> 11 == v,
                      "unmix v=%lu", (ulong) v);
        check_normal_ref(d, seed, 1, which == 1 ? "u1 edge" : "u2 edge");
        /* the uniform draw of counter 0 uses u1 alone */
        x = gc_dist_draw(u, seed, 0);
        ck_assert_msg(x == test_uniform_ref(-1.0, 3.0, seed, 0)
                      && -1.0 <= x && x <= 3.0, "uniform edge v=%lu: %a",
                      (ulong) v, x);
    }
}
END_TEST

/* ---- the fast enclosure of the normal draws against Arb ------------ */

/* An odd offset 2 r + 1 with r of a random size up to 2^40 (so that both
   the immediate neighbours and the far ones are tried). */
static uint64_t
test_fx_offset(flint_rand_t state)
{
    return 2 * (uint64_t) n_randbits(state, (unsigned int) n_randint(state,
                                                                     41))
           + 1;
}

/* Keeps an odd n inside (0, 2^54): wrap-arounds go to the ends. */
static uint64_t
test_fx_clamp(uint64_t n)
{
    const uint64_t top = UINT64_C(1) << 54;

    if (n >= top)
        n = (n >> 63) ? 1 : top - 1;
    return n | 1;
}

/* A random odd n < 2^54. */
static uint64_t
test_fx_random(flint_rand_t state)
{
    return ((uint64_t) n_randlimb(state) >> 10) | 1;
}

/* Sets n1 and n2 to a pair of the given kind (0..7): random pairs
   (kinds 0 and 1), and pairs where the enclosure is the least accurate or
   its reductions switch: u1 next to 1 (-ln u1 near 2^-54, the largest
   relative error), u1 next to 0, n1 next to the log table's cuts (256 +
   i) 2^s, u2 next to the multiples of 1/8 (cosine next to 0 and to +-1),
   2 u2 next to the middles (2j + 1) / 2048 between the cosine table's
   angles, and u1 next to 1 with u2 next to a multiple of 1/8. */
static void
test_fx_pair(uint64_t * n1, uint64_t * n2, flint_rand_t state, int kind)
{
    const uint64_t top = UINT64_C(1) << 54;
    uint64_t off = test_fx_offset(state);
    int sign = n_randint(state, 2) ? 1 : -1;

    *n1 = test_fx_random(state);
    *n2 = test_fx_random(state);
    if (kind == 2 || kind == 7)
        *n1 = top - off;
    else if (kind == 3)
        *n1 = off;
    else if (kind == 4)
        *n1 = test_fx_clamp(((256 + n_randint(state, 257))
                             << n_randint(state, 46)) + sign * off);
    else if (kind == 6)
        *n2 = test_fx_clamp((n_randint(state, 4) << 52)
                            + ((2 * n_randint(state, 2048) + 1) << 42)
                            + sign * (off & 0xFFFFF));
    if (kind == 5 || kind == 7)
        *n2 = test_fx_clamp((n_randint(state, 9) << 51) + sign * off);
}

/* The fast enclosure's draws (_gc_normal_fx) against the definition
   (_gc_normal_arb, Arb) on 10^6 pairs (n1, n2) of odd integers below
   2^54 (u = n / 2^54), of the eight kinds of test_fx_pair.  Every draw
   the enclosure accepts must be the definition's; among random pairs it
   must accept all but a few in 10^5 (random.c expects about one in
   10^7), and most of the hard kinds too. */
START_TEST(test_normal_fx_arb)
{
    flint_rand_t state;
    slong iter, iters = gc_test_iters(1000000), nrandom = 0, fallback = 0;
    slong accepted = 0;
    uint64_t n1, n2;
    double x, r;
    int kind;

    gc_test_randinit(state);
    for (iter = 0; iter < iters; iter++)
    {
        kind = (int) (iter % 8);
        test_fx_pair(&n1, &n2, state, kind);
        nrandom += (kind < 2);
        if (!_gc_normal_fx(&x, n1, n2))
        {
            fallback += (kind < 2);
            continue;
        }
        accepted++;
        r = _gc_normal_arb(n1, n2);
        ck_assert_msg(x == r, "kind %d: n1=0x%lx n2=0x%lx: fast %a, Arb %a "
                      "(test seed=%lu)", kind, (ulong) n1, (ulong) n2, x, r,
                      gc_test_seed());
    }
    ck_assert_msg(fallback <= 3 + nrandom / 20000, "%ld fallbacks in %ld "
                  "random pairs (test seed=%lu)", (long) fallback,
                  (long) nrandom, gc_test_seed());
    ck_assert_msg(accepted >= iters / 2, "%ld of %ld accepted (test "
                  "seed=%lu)", (long) accepted, (long) iters, gc_test_seed());
    flint_randclear(state);
}
END_TEST

/* Sets z to hi 2^64 + lo. */
static void
test_fmpz_set_words(fmpz_t z, ulong lo, ulong hi)
{
    fmpz_set_ui(z, hi);
    fmpz_mul_2exp(z, z, 64);
    fmpz_add_ui(z, z, lo);
}

/* The enclosure itself: [lo, hi] 2^-120 (_gc_normal_fx_sq) contains N^2 =
   -2 ln u1 cos^2(2 pi u2), evaluated in Arb at 256 bits, on 10^5 pairs of
   test_fx_pair's kinds.  This sees the errors of the fixed-point log and
   cosine directly, far from the rounding boundaries too: a bound of
   random.c made smaller than the error it bounds fails here. */
START_TEST(test_normal_fx_enclosure)
{
    flint_rand_t state;
    slong iter;
    uint64_t n1, n2;
    ulong lo[2], hi[2];
    arb_t t, c, b;
    fmpz_t z;

    gc_test_randinit(state);
    arb_init(t);
    arb_init(c);
    arb_init(b);
    fmpz_init(z);
    for (iter = 0; iter < gc_test_iters(100000); iter++)
    {
        test_fx_pair(&n1, &n2, state, (int) (iter % 8));
        if (!_gc_normal_fx_sq(lo, hi, n1, n2))
            continue;
        /* t = -2 ln(n1 / 2^54) cos^2(pi n2 / 2^53) 2^120 */
        arb_set_ui(t, n1);
        arb_mul_2exp_si(t, t, -54);
        arb_log(t, t, 256);
        arb_mul_si(t, t, -2, 256);
        arb_set_ui(c, n2);
        arb_mul_2exp_si(c, c, -53);
        arb_cos_pi(c, c, 256);
        arb_mul(c, c, c, 256);
        arb_mul(t, t, c, 256);
        arb_mul_2exp_si(t, t, 120);
        test_fmpz_set_words(z, lo[0], lo[1]);
        arb_set_fmpz(b, z);
        ck_assert_msg(arb_ge(t, b), "n1=0x%lx n2=0x%lx: N^2 below lo (test "
                      "seed=%lu)", (ulong) n1, (ulong) n2, gc_test_seed());
        test_fmpz_set_words(z, hi[0], hi[1]);
        arb_set_fmpz(b, z);
        ck_assert_msg(arb_le(t, b), "n1=0x%lx n2=0x%lx: N^2 above hi (test "
                      "seed=%lu)", (ulong) n1, (ulong) n2, gc_test_seed());
    }
    arb_clear(t);
    arb_clear(c);
    arb_clear(b);
    fmpz_clear(z);
    flint_randclear(state);
}
END_TEST

/* ---- roundtrip: write then read ------------------------------------ */

/* Writes net, reads it back and checks every value is the same. */
static void
check_roundtrip(const gc_net_t net, const char * what, ulong seed)
{
    gc_parse_error_t err;
    gc_net_t back;
    mpq_t w1, b1, w2, b2;
    FILE * f = tmpfile();
    slong j;

    ck_assert(f != NULL);
    gc_net_init(back);
    mpq_init(w1);
    mpq_init(b1);
    mpq_init(w2);
    mpq_init(b2);
    ck_assert_int_eq(gc_net_write(f, net), GC_SUCCESS);
    rewind(f);
    ck_assert_msg(gc_net_read(back, f, err) == GC_SUCCESS,
                  "%s seed=%lu: %ld: %s", what, seed, err->line, err->msg);
    ck_assert_msg(back->len == net->len && mpq_equal(back->a0, net->a0)
                      && mpq_equal(back->y, net->y) && gc_activation_equal(&back->act, &net->act)
                      && back->cost == net->cost
                      && mpq_equal(back->dc_da, net->dc_da),
                  "%s seed=%lu: header differs", what, seed);
    for (j = 1; j <= net->len; j++)
    {
        gc_net_get_layer_q(w1, b1, net, j);
        gc_net_get_layer_q(w2, b2, back, j);
        ck_assert_msg(mpq_equal(w1, w2) && mpq_equal(b1, b2),
                      "%s seed=%lu: layer %ld differs", what, seed, j);
    }
    fclose(f);
    mpq_clear(w1);
    mpq_clear(b1);
    mpq_clear(w2);
    mpq_clear(b2);
    gc_net_clear(back);
}

START_TEST(test_roundtrip_random)
{
    flint_rand_t state;
    gc_random_t rnd;
    gc_net_t net;
    slong iter, j;
    mpz_t z;

    gc_test_randinit(state);
    _flint_rand_init_gmp(state);
    gc_net_init(net);
    mpz_init(z);
    for (iter = 0; iter < gc_test_iters(40); iter++)
    {
        /* a generated network, written without being stored */
        gc_dist_set_normal(&rnd->weights,
                           (double) n_randint(state, 200) / 8 - 12,
                           ldexp((double) n_randint(state, 100),
                                 -(int) n_randint(state, 1100)));
        gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
        gc_dist_set_uniform(&rnd->biases, -ldexp(1.0, -1074),
                            ldexp((double) n_randint(state, 9), -1070));
        gc_net_set_random(net, rnd, 1 + n_randint(state, 30));
        check_roundtrip(net, "generated", rnd->seed);

        /* random rationals: dyadic, 2^a 5^b, and general denominators */
        gc_net_set_length(net, 1 + n_randint(state, 20));
        for (j = 0; j < 2 * net->len; j++)
        {
            mpq_ptr q = (j % 2 ? net->w : net->b) + j / 2;

            mpz_rrandomb(z, state->gmp_state, 1 + n_randint(state, 300));
            mpz_set(mpq_numref(q), z);
            if (n_randint(state, 2))
                mpz_neg(mpq_numref(q), mpq_numref(q));
            switch (n_randint(state, 3))
            {
                case 0:
                    mpz_set_ui(mpq_denref(q), 1);
                    mpz_mul_2exp(mpq_denref(q), mpq_denref(q),
                                 n_randint(state, 3000));
                    break;
                case 1:
                    mpz_ui_pow_ui(mpq_denref(q), 5, n_randint(state, 2000));
                    mpz_mul_2exp(mpq_denref(q), mpq_denref(q),
                                 n_randint(state, 200));
                    break;
                default:
                    mpz_rrandomb(z, state->gmp_state,
                                 1 + n_randint(state, 200));
                    mpz_add_ui(mpq_denref(q), z, 1);
            }
            mpq_canonicalize(q);
        }
        mpq_set(net->a0, net->w);
        check_roundtrip(net, "rationals", gc_test_seed());
    }
    mpz_clear(z);
    gc_net_clear(net);
    flint_randclear(state);
}
END_TEST

/* Special values, the text they are written as, and the round trip. */
START_TEST(test_roundtrip_special)
{
    static const char * const vals[] = {
        "1/3", "0x1p-1074", "1e-1000000", "-7/22", "0", "1e30",
        "-12345678901234567890123", "0x1p-2000", "-0.5", "5e20", "6e21",
        "0x1.fffffffffffffp1023"};
    static const char * const text[] = {
        "1/3", "0.0000000000", "1e-1000000", "-7/22", "0", "1e30",
        "-12345678901234567890123",
        "e-2000", "-0.5", "500000000000000000000", "6e21",
        "179769313486231570814527423731704356798070567525844996598917476803"
        "157260780028538760589558632766878171540458953514382464234321326889"
        "464182768467546703537516986049910576551282076245490090389328944075"
        "868508455133942304583236903222948165808559332123348274797826204144"
        "723168738177180919299881250404026184124858368"};
    gc_parse_error_t err;
    gc_net_t net;
    FILE * f;
    char * buf;
    size_t i, n = sizeof vals / sizeof vals[0];
    long size;

    gc_net_init(net);
    gc_net_set_length(net, n);
    for (i = 0; i < n; i++)
    {
        ck_assert_int_eq(gc_q_set_str(net->w + i, vals[i], err), GC_SUCCESS);
        mpq_neg(net->b + i, net->w + i);
    }
    ck_assert_int_eq(gc_q_set_str(net->y, "1/3", err), GC_SUCCESS);
    net->act.kind = GC_ACT_SOFTPLUS;
    net->cost = GC_COST_GIVEN;
    ck_assert_int_eq(gc_q_set_str(net->dc_da, "-2.5e-7", err), GC_SUCCESS);
    check_roundtrip(net, "special", 0);

    f = tmpfile();
    ck_assert(f != NULL);
    ck_assert_int_eq(gc_net_write(f, net), GC_SUCCESS);
    size = ftell(f);
    rewind(f);
    buf = malloc(size + 1);
    ck_assert(fread(buf, 1, size, f) == (size_t) size);
    buf[size] = '\0';
    ck_assert(strncmp(buf, "# gradchain network v1\n", 23) == 0);
    ck_assert(strstr(buf, "\na0 1\ny 1/3\nact softplus\n"
                          "cost given -0.00000025\n1/3 -1/3\n") != NULL);
    for (i = 0; i < n; i++)
        ck_assert_msg(strstr(buf, text[i]) != NULL, "%s not written as %s",
                      vals[i], text[i]);
    free(buf);
    fclose(f);
    gc_net_clear(net);
}
END_TEST

/* A write error is reported. */
START_TEST(test_write_error)
{
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, 1);
    gc_net_t net;
    FILE * f = fopen("/dev/full", "w");

    if (f == NULL)
        return;
    gc_net_init(net);
    gc_net_set_random(net, rnd, 1000);
    ck_assert_int_eq(gc_net_write(f, net), GC_INVALID);
    fclose(f);
    gc_net_clear(net);
}
END_TEST

/* ---- limits: lengths whose sizes would wrap --------------------------- */

START_TEST(test_array_bytes)
{
    ck_assert(_gc_array_bytes(0, 48, "t") == 0);
    ck_assert(_gc_array_bytes(10, 48, "t") == 480);
    ck_assert(_gc_array_bytes(WORD_MAX / 48, 48, "t")
              == (size_t) (WORD_MAX / 48) * 48);
    ck_assert(_gc_array_bytes(WORD_MAX, 1, "t") == (size_t) WORD_MAX);
    ck_assert(_gc_array_bytes(WORD_MAX, 0, "t") == 0);
    ck_assert(GC_NET_LEN_MAX <= WORD_MAX / 1024);
}
END_TEST

/* Lengths for which len * sizeof of some per-layer array wraps to a small
   size: each must abort through gc_throw (SIGABRT), never allocate that
   small block and write past it. */
static const slong wrapping_len[] = {
    WORD(1) << 59, WORD(1) << 60, (WORD(1) << 59) + 1, WORD_MAX / 5, -1};

#define NWRAP ((int) (sizeof wrapping_len / sizeof wrapping_len[0]))

START_TEST(test_wrapping_length_aborts)
{
    slong len = wrapping_len[_i % NWRAP];

    switch (_i / NWRAP)
    {
        case 0:
        {
            gc_net_t net;

            gc_net_init(net);
            gc_net_set_length(net, len);
            break;
        }
        case 1:
        {
            gc_arb_trace_t t;

            gc_arb_trace_init(t, len);
            break;
        }
        case 2:
        {
            gc_trace_t t;

            gc_trace_init(t, len, 53);
            break;
        }
        default:
        {
            gc_shape_t s;
            gc_expr_t e;

            /* a length < 1 is GC_INVALID, not an abort: WORD_MAX then */
            len = len < 1 ? WORD_MAX : len;
            gc_shape_init(s, len);
            gc_expr_init(e);
            ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_W, len))
                      == GC_SUCCESS);
            break;
        }
    }
    ck_abort_msg("case %d: length %ld accepted", _i / NWRAP, (long) len);
}
END_TEST

/* gc_net_materialize_bytes bounds the heap that the stored layers take
   (mallinfo2), within a factor 4 for N(0, 1) and 0 for a stored net;
   it saturates at SIZE_MAX. */
START_TEST(test_net_materialize_bytes)
{
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, 3);
    struct mallinfo2 m0, m1;
    gc_net_t net;
    size_t used, est;

    gc_net_init(net);
    gc_net_set_random(net, rnd, 30000);
    est = gc_net_materialize_bytes(net);
    m0 = mallinfo2();
    gc_net_materialize(net);
    m1 = mallinfo2();
    used = (m1.uordblks + m1.hblkhd) - (m0.uordblks + m0.hblkhd);
    /* used = 0: another malloc (valgrind's) that mallinfo2 does not see */
    ck_assert_msg(used == 0 || (used <= est && est <= 4 * used),
                  "%zu used, %zu estimated", used, est);
    ck_assert(gc_net_materialize_bytes(net) == 0);
    gc_net_set_random(net, rnd, WORD_MAX);
    ck_assert(gc_net_materialize_bytes(net) == SIZE_MAX);
    gc_net_clear(net);
}
END_TEST

/* A network file of mixed literals is stored compactly: each value that
   is exactly a binary64 number as that number's bits (the C compiler's
   constants), the others as rationals.  Every accessor gives the exact
   values, built here with GMP from their numerators and powers (not by
   the parser), and the engines give the same results as for the same
   values stored as rationals (gc_net_set_length). */
static const struct
{
    const char * lit;
    const char * num;  /* the value is num / base^e (e < 0: num base^-e) */
    ulong base;
    slong e;
    int exact;         /* a binary64 number: d */
    double d;
} compact_vals[] = {
    {"1.5", "3", 2, 1, 1, 1.5},
    {"1/3", "1", 3, 1, 0, 0},
    {"0.1", "1", 10, 1, 0, 0},
    {"0.1000000000000000055511151231257827021181583404541015625",
     "3602879701896397", 2, 55, 1, 0.1},
    {"1e400", "1", 10, -400, 0, 0},
    {"0x1p-1074", "1", 2, 1074, 1, 0x1p-1074},
    {"0x1p-1075", "1", 2, 1075, 0, 0},
    {"0x1.fffffffffffffp+1023", "9007199254740991", 2, -971, 1, DBL_MAX},
    {"0x1p1024", "1", 2, -1024, 0, 0},
    {"9007199254740993", "9007199254740993", 2, 0, 0, 0},
    {"9007199254740992", "9007199254740992", 2, 0, 1, 0x1p53},
    {"-0", "0", 2, 0, 1, 0.0},
    {"4.9406564584124654e-324", "49406564584124654", 10, 340, 0, 0},
    {"-2.5e-3", "-25", 10, 4, 0, 0},
    {"0x1.0000000000001p0", "4503599627370497", 2, 52, 1,
     0x1.0000000000001p0},
    {"0x1.00000000000008p0", "9007199254740993", 2, 53, 0, 0},
    {"-123456789012345678901234567890", "-123456789012345678901234567890",
     2, 0, 0, 0},
    {"6.103515625e-05", "1", 2, 14, 1, 0x1p-14},
    {"-0x1.8p-1022", "-3", 2, 1023, 1, -0x1.8p-1022},
    {"0x1.8p-1070", "3", 2, 1071, 1, 0x1.8p-1070}
};

#define NCOMPACT ((slong) (sizeof compact_vals / sizeof compact_vals[0]))

/* Sets q to the value of compact_vals[i]. */
static void
compact_val_q(mpq_t q, slong i)
{
    mpz_t p;

    mpz_init(p);
    ck_assert_int_eq(mpz_set_str(mpq_numref(q), compact_vals[i].num, 10), 0);
    mpz_ui_pow_ui(p, compact_vals[i].base, FLINT_ABS(compact_vals[i].e));
    if (compact_vals[i].e >= 0)
        mpz_set(mpq_denref(q), p);
    else
    {
        mpz_mul(mpq_numref(q), mpq_numref(q), p);
        mpz_set_ui(mpq_denref(q), 1);
    }
    mpq_canonicalize(q);
    mpz_clear(p);
}

START_TEST(test_read_compact)
{
    gc_parse_error_t err;
    gc_net_t net, ref;
    gc_arb_trace_t t1, t2;
    gc_trace_t m1, m2;
    mpq_t w, b, q;
    mpfr_t x, y, r;
    gc_random_t rnd = GC_TEST_NORMAL(0.0, 1.0, 5);
    char text[2048] = "a0 1/2\ny 1/4\n";
    slong i, j, ncq = 0, len = NCOMPACT / 2;
    double d;

    for (i = 0; i < NCOMPACT; i++)
    {
        strcat(text, compact_vals[i].lit);
        strcat(text, i % 2 ? "\n" : " ");
        ncq += !compact_vals[i].exact;
    }
    gc_net_init(net);
    gc_net_init(ref);
    mpq_init(w);
    mpq_init(b);
    mpq_init(q);
    mpfr_init2(x, 2000);
    mpfr_init2(y, 2000);
    mpfr_init2(r, 2000);
    ck_assert_msg(gc_net_read_str(net, text, err) == GC_SUCCESS, "%s",
                  err->msg);
    ck_assert(net->w == NULL && net->b == NULL && net->cwb != NULL
              && net->len == len);
    ck_assert_int_eq(net->ncq, ncq);
    gc_net_set_length(ref, len);
    mpq_set(ref->a0, net->a0);
    mpq_set(ref->y, net->y);
    for (i = 0; i < NCOMPACT; i++)
        compact_val_q(i % 2 ? ref->b + i / 2 : ref->w + i / 2, i);
    for (i = 0; i < NCOMPACT; i++)
    {
        j = i / 2 + 1;
        compact_val_q(q, i);
        gc_net_get_layer_q(w, b, net, j);
        ck_assert_msg(mpq_equal(q, i % 2 ? b : w), "%s",
                      compact_vals[i].lit);
        if (compact_vals[i].exact)
        {
            memcpy(&d, net->cwb + i, sizeof d);
            ck_assert_msg(d == compact_vals[i].d
                              && !signbit(d) == !signbit(compact_vals[i].d),
                          "%s", compact_vals[i].lit);
        }
        else
            ck_assert_msg((net->cwb[i] & GC_NET_CQ_TAG) == GC_NET_CQ_TAG,
                          "%s", compact_vals[i].lit);
        ck_assert_int_eq(gc_net_get_layer_mpfr(x, y, net, j, MPFR_RNDN),
                         gc_net_get_layer_mpfr(x, y, ref, j, MPFR_RNDN));
        (void) gc_net_get_layer_mpfr(x, y, net, j, MPFR_RNDD);
        mpfr_set_q(r, q, MPFR_RNDD);
        ck_assert_msg(mpfr_equal_p(i % 2 ? y : x, r)
                          && mpfr_signbit(i % 2 ? y : x) == mpfr_signbit(r),
                      "%s", compact_vals[i].lit);
    }
    /* the engines see the same values */
    gc_arb_trace_init(t1, len);
    gc_arb_trace_init(t2, len);
    gc_trace_init(m1, len, 200);
    gc_trace_init(m2, len, 200);
    ck_assert_int_eq(gc_eval_arb(t1, net, 128), gc_eval_arb(t2, ref, 128));
    for (j = 0; j < 5 * len + 1; j++)
        ck_assert(arb_equal(t1->z + j, t2->z + j));
    ck_assert_int_eq(gc_eval_mpfr(m1, net), gc_eval_mpfr(m2, ref));
    for (j = 0; j < len; j++)
        ck_assert(mpfr_equal_p(m1->db + j, m2->db + j)
                  || (mpfr_nan_p(m1->db + j) && mpfr_nan_p(m2->db + j)));
    gc_trace_clear(m1);
    gc_trace_clear(m2);
    gc_arb_trace_clear(t1);
    gc_arb_trace_clear(t2);

    /* a materialized random network: binary64 words only, the drawn
       values; gc_net_set_length stores rationals again */
    gc_net_set_random(net, rnd, 100);
    gc_net_materialize(net);
    ck_assert(net->w == NULL && net->cwb != NULL && net->ncq == 0
              && !net->generated);
    for (j = 1; j <= 100; j++)
    {
        double dw, db;

        gc_random_draw(&dw, &db, rnd, j);
        gc_net_get_layer_q(w, b, net, j);
        ck_assert(mpq_get_d(w) == dw && mpq_get_d(b) == db);
    }
    gc_net_set_length(net, 3);
    ck_assert(net->w != NULL && net->cwb == NULL && mpq_sgn(net->w) == 0);

    mpfr_clear(x);
    mpfr_clear(y);
    mpfr_clear(r);
    mpq_clear(w);
    mpq_clear(b);
    mpq_clear(q);
    gc_net_clear(net);
    gc_net_clear(ref);
}
END_TEST

/* F3 (hardening review): the exponent bound, |e| <= 10^6 after 'e' and
   after 'p', keeps the cost of one number small.  With the
   former bound of 10^9, "1e999999999" built a 415 MB integer in 15 s and
   eight of them aborted in GMP: they must now be refused at once. */
/* The writer keeps every exponent within the reader's bound, moving the
   other digits into the mantissa, so what it writes reads back (a finding
   of tests/fuzz/fuzz_netfile: "0.1e-1000000" was written "1e-1000001"). */
START_TEST(test_write_exponent_bound)
{
    static const char * const values[] = {"0.1e-1000000", "-0.25e-1000000",
                                          "123.5e1000000", "7e1000000",
                                          "0.001e-1000000"};
    static const char * const written[] = {"0.1e-1000000", "-0.25e-1000000",
                                           "1235e999999", "7e1000000",
                                           "0.001e-1000000"};
    mpq_t qa, qb, q0;
    size_t i;

    mpq_init(qa);
    mpq_init(qb);
    mpq_init(q0);
    for (i = 0; i < sizeof values / sizeof values[0]; i++)
    {
        gc_net_t a, b;
        gc_parse_error_t err;
        char in[64];
        char * out = NULL;
        size_t outlen = 0;
        FILE * f;

        snprintf(in, sizeof in, "%s 0\n", values[i]);
        gc_net_init(a);
        gc_net_init(b);
        ck_assert_int_eq(gc_net_read_str(a, in, err), GC_SUCCESS);
        f = open_memstream(&out, &outlen);
        ck_assert(f != NULL);
        ck_assert_int_eq(gc_net_write(f, a), GC_SUCCESS);
        fclose(f);
        ck_assert_msg(strstr(out, written[i]) != NULL, "%s written as:\n%s",
                      values[i], out);
        ck_assert_msg(gc_net_read_str(b, out, err) == GC_SUCCESS,
                      "%s: %s", values[i], err->msg);
        gc_net_get_layer_q(qa, q0, a, 1);
        gc_net_get_layer_q(qb, q0, b, 1);
        ck_assert(mpq_equal(qa, qb));
        free(out);
        gc_net_clear(a);
        gc_net_clear(b);
    }
    mpq_clear(qa);
    mpq_clear(qb);
    mpq_clear(q0);
}
END_TEST

START_TEST(test_q_set_str_exponent_bounds)
{
    static const char * const ok[] = {
        "1e1000000", "1e+1000000", "-1e-1000000", "9.99e-1000000",
        "1e-0000001000000", "0.1e-1000000", "0x1p1000000",
        "-0x1.8p-1000000", "0x.1p+1000000"};
    static const char * const no[][2] = {
        {"1e1000001", "exponent beyond 10^6 in '1e1000001'"},
        {"-1e-1000001", "exponent beyond 10^6 in '-1e-1000001'"},
        {"1e999999999", "exponent beyond 10^6 in '1e999999999'"},
        {"1e+1000000000", "exponent beyond 10^6 in '1e+1000000000'"},
        {"0x1p1000001", "exponent beyond 10^6 in '0x1p1000001'"},
        {"0x1p-4194304", "exponent beyond 10^6 in '0x1p-4194304'"},
        {"0x1p-1000000000", "exponent beyond 10^6 in '0x1p-1000000000'"}};
    char buf[8 * 16 + 1];
    gc_parse_error_t err;
    gc_net_t net;
    mpq_t q;
    size_t i;

    mpq_init(q);
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    {
        ck_assert_msg(gc_q_set_str(q, ok[i], err) == GC_SUCCESS, "'%s': %s",
                      ok[i], err->msg);
        /* 10^6 log2(10) bits, plus 4 per digit after the point */
        ck_assert_msg(mpz_sizeinbase(mpq_numref(q), 2) <= 3321940
                          && mpz_sizeinbase(mpq_denref(q), 2) <= 3321940,
                      "'%s'", ok[i]);
    }
    /* 0.1e-1000000 = 10^-1000001: the fraction digits add to the bound */
    ck_assert_int_eq(gc_q_set_str(q, "0.1e-1000000", err), GC_SUCCESS);
    ck_assert(mpz_cmp_ui(mpq_numref(q), 1) == 0
              && mpz_sizeinbase(mpq_denref(q), 10) == 1000002);
    for (i = 0; i < sizeof no / sizeof no[0]; i++)
    {
        ck_assert_msg(gc_q_set_str(q, no[i][0], err) == GC_INVALID, "'%s'",
                      no[i][0]);
        ck_assert_str_eq(err->msg, no[i][1]);
    }
    /* the 96-byte file of the review (eight numbers): refused on line 1 */
    buf[0] = '\0';
    for (i = 0; i < 4; i++)
        strcat(buf, "1e999999999 1e999999999\n");
    gc_net_init(net);
    ck_assert_int_eq(gc_net_read_str(net, buf, err), GC_INVALID);
    ck_assert_int_eq(err->line, 1);
    ck_assert_str_eq(err->msg, "exponent beyond 10^6 in '1e999999999'");
    /* eight numbers at the bound are accepted */
    buf[0] = '\0';
    for (i = 0; i < 4; i++)
        strcat(buf, "1e1000000 -1e-1000000\n");
    ck_assert_int_eq(gc_net_read_str(net, buf, err), GC_SUCCESS);
    ck_assert_int_eq(net->len, 4);
    gc_net_clear(net);
    mpq_clear(q);
}
END_TEST

static Suite *
gc_net_suite(void)
{
    Suite * s = suite_create("net");
    TCase * tc;

    tc = tcase_create("core");
    tcase_add_test(tc, test_net_init_defaults);
    tcase_add_loop_test(tc, test_net_generated_materialize, 0,
                        sizeof gen_randoms / sizeof gen_randoms[0]);
    tcase_add_test(tc, test_act_cost_names);
    tcase_add_test(tc, test_param_set_str);
    tcase_add_test(tc, test_activation_set_str);
    tcase_add_loop_test(tc, test_q_set_str_exact, 0,
                        sizeof good_numbers / sizeof good_numbers[0]);
    tcase_add_loop_test(tc, test_q_set_str_reject, 0,
                        sizeof bad_numbers / sizeof bad_numbers[0]);
    suite_add_tcase(s, tc);

    tc = tcase_create("special");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_q_set_str_huge);
    tcase_add_test(tc, test_q_set_str_random);
    tcase_add_loop_test(tc, test_dec_get_d_fixed, 0,
                        sizeof dec_vals / sizeof dec_vals[0]);
    tcase_add_test(tc, test_dec_get_d_random);
    tcase_add_test(tc, test_read_binary64_random);
    tcase_add_loop_test(tc, test_read_ref, 0,
                        sizeof ref_nets / sizeof ref_nets[0]);
    tcase_add_test(tc, test_read_bad);
    tcase_add_loop_test(tc, test_read_str_good, 0,
                        sizeof good_nets / sizeof good_nets[0]);
    tcase_add_test(tc, test_read_long_lines);
    tcase_add_test(tc, test_q_set_str_exponent_bounds);
    tcase_add_test(tc, test_write_exponent_bound);
    tcase_add_test(tc, test_read_compact);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 20);
    tcase_add_loop_test(tc, test_normal_golden, 0,
                        sizeof golden / sizeof golden[0]);
    tcase_add_loop_test(tc, test_uniform_golden, 0,
                        sizeof golden_uniform / sizeof golden_uniform[0]);
    tcase_add_test(tc, test_uniform_random_ref);
    tcase_add_test(tc, test_const_draw);
    tcase_add_test(tc, test_dist_is_valid);
    tcase_add_loop_test(tc, test_dist_set_str, 0,
                        sizeof good_specs / sizeof good_specs[0]);
    tcase_add_loop_test(tc, test_dist_set_str_reject, 0,
                        sizeof bad_specs / sizeof bad_specs[0]);
    tcase_add_test(tc, test_dist_get_str_roundtrip);
    tcase_add_loop_test(tc, test_fanin_scale, 0,
                        sizeof fanin_cases / sizeof fanin_cases[0]);
    tcase_add_test(tc, test_fanin_random);
    tcase_add_test(tc, test_normal_statistics);
    tcase_add_test(tc, test_normal_narrow_range);
    tcase_add_test(tc, test_normal_random_ref);
#if GC_HAVE_NORMAL_FX
    tcase_add_test(tc, test_normal_fx_arb);
    tcase_add_test(tc, test_normal_fx_enclosure);
#endif
    tcase_add_loop_test(tc, test_normal_edges, 0,
                        2 * sizeof edge_v / sizeof edge_v[0]);
    suite_add_tcase(s, tc);

    tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_roundtrip_random);
    tcase_add_test(tc, test_roundtrip_special);
    tcase_add_test(tc, test_write_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_array_bytes);
    tcase_add_test(tc, test_net_materialize_bytes);
    if (check_forks())
        tcase_add_loop_test_raise_signal(tc, test_wrapping_length_aborts,
                                         SIGABRT, 0, 4 * NWRAP);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_net_suite());
}
