/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* check_fast.c -- the certified fast path: its exponential against MPFR,
   and its printed digits against the Arb engine's on the stored networks
   and on randomised ones (N(0,1), saturating N(0,5), depth 10^4, z_j
   near 0, a_L near y, every cost). */

#include <dirent.h>
#include <math.h>
#include <string.h>

#include "gc-test.h"
#include "numeric/fast-impl.h"

#define U_ROUND 0x1p-53

/* e^x of the fast path against MPFR at 256 bits: the error is within the
   returned bound, and the bound is at most 4.5 u (3.5 u for the
   polynomial; the reduction's error grows with |x| to about 0.7 u). */
static void
check_exp(double x)
{
    slong e;
    double r, m = _gc_fast_exp(&e, &r, x);
    mpfr_t want, got;
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();

    ck_assert_msg(m != 0, "x = %a: no result", x);
    ck_assert_msg(r <= 4.5 * U_ROUND, "x = %a: bound %g u", x, r / U_ROUND);
    ck_assert_msg(fabs(m) >= 0.5 && fabs(m) < 1, "x = %a: m = %a", x, m);
    gc_mpfr_widen_exponent_range();
    mpfr_init2(want, 256);
    mpfr_init2(got, 256);
    mpfr_set_d(want, x, MPFR_RNDN);
    mpfr_exp(want, want, MPFR_RNDN);
    mpfr_set_d(got, m, MPFR_RNDN);
    mpfr_mul_2si(got, got, e, MPFR_RNDN);
    mpfr_sub(got, got, want, MPFR_RNDN);
    mpfr_div(got, got, want, MPFR_RNDN);
    mpfr_abs(got, got, MPFR_RNDN);
    ck_assert_msg(mpfr_cmp_d(got, r) <= 0, "x = %a: error %g u > bound %g u",
                  x, mpfr_get_d(got, MPFR_RNDN) / U_ROUND, r / U_ROUND);
    mpfr_clear(want);
    mpfr_clear(got);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
}

START_TEST(test_exp_bound)
{
    static const double fixed[] = {0.0, 0x1p-1074, -0x1p-1074, 1e-300,
        0.5, -0.5, 0x1.62e42fefa39efp-2, -0x1.62e42fefa39efp-2,
        0x1.62e42fefa39efp-1, 709.78, -745.2, 1e6, -1e6, 1e15, -1e15,
        0x1.fffffffffffffp49, -0x1.fffffffffffffp49, 0x1p49, 123456789.5};
    flint_rand_t state;
    slong i, e;
    double r;

    for (i = 0; i < (slong) (sizeof fixed / sizeof fixed[0]); i++)
        check_exp(fixed[i]);
    gc_test_randinit(state);
    for (i = 0; i < gc_test_iters(20000); i++)
    {
        /* |x| log-uniform in [2^-60, 2^50), and points near k ln 2 / 2 */
        double x = ldexp(1 + (double) n_randint(state, 1UL << 30) * 0x1p-30,
                         (int) n_randint(state, 110) - 60);
        if (i % 4 == 3)
            x = (2 * (double) n_randint(state, 1UL << 40) + 1)
                * 0x1.62e42fefa39efp-2 * (1 + ((double) n_randint(state, 64)
                                               - 32) * 0x1p-52);
        check_exp(n_randint(state, 2) ? x : -x);
    }
    flint_randclear(state);
    /* outside |x| < 2^50 there is no result */
    ck_assert(_gc_fast_exp(&e, &r, 0x1p50) == 0);
    ck_assert(_gc_fast_exp(&e, &r, -1e300) == 0);
    ck_assert(_gc_fast_exp(&e, &r, NAN) == 0);
}
END_TEST

/* A uniform double in [0, 1). */
static double
unif(flint_rand_t state)
{
    return (double) n_randint(state, UWORD(1) << 30) * 0x1p-30;
}

/* The ball of m 2^e with radius rad 2^e: the cheap digit test of the
   fast path answers as gc_arb_has_digits for every D; *what* names the
   case. */
static void
check_has_digits(gc_fast_pow10_struct * c, double m, slong e, double rad,
                 const char * what)
{
    arb_t b, want;
    mag_t hi;
    slong digits;

    arb_init(b);
    arb_init(want);
    mag_init(hi);
    /* the ball written in place is m 2^e exactly, and its radius lies
       between rad 2^e and (rad + 2^-60)(1 + 2^-29) 2^e */
    _gc_fast_get_arb(b, m, e, rad);
    arf_set_d(arb_midref(want), m);
    arf_mul_2exp_si(arb_midref(want), arb_midref(want), e);
    mag_set_d(arb_radref(want), rad);
    mag_mul_2exp_si(arb_radref(want), arb_radref(want), e);
    mag_set_d(hi, rad == 0 ? 0 : (rad + 0x1p-60) * (1 + 0x1p-29));
    mag_mul_2exp_si(hi, hi, e);
    ck_assert_msg(arf_equal(arb_midref(b), arb_midref(want))
                      && mag_cmp(arb_radref(b), arb_radref(want)) >= 0
                      && mag_cmp(arb_radref(b), hi) <= 0,
                  "%s: the ball of m = %a, e = %ld, rad = %a", what, m,
                  (long) e, rad);
    for (digits = 1; digits <= GC_FAST_DIGITS_MAX; digits++)
    {
        int want = gc_arb_has_digits(b, digits);

        ck_assert_msg(_gc_fast_has_digits(c, b, m, e, rad, digits) == want,
                      "%s: m = %a, e = %ld, rad = %a, D = %ld: fast %d, "
                      "gc_arb_has_digits %d", what, m, (long) e, rad,
                      (long) digits, !want, want);
    }
    arb_clear(b);
    arb_clear(want);
    mag_clear(hi);
}

/* The double m and exponent e of x (m 2^e, 1/2 <= |m| < 1) times
   (1 + k 2^-53), rounded. */
static double
get_m_e(slong * e, const mpfr_t x, slong k)
{
    long ex;
    double m = mpfr_get_d_2exp(&ex, x, MPFR_RNDN);

    m *= 1 + (double) k * 0x1p-53;
    if (fabs(m) >= 1)
    {
        m /= 2;
        ex++;
    }
    else if (fabs(m) < 0.5)
    {
        m *= 2;
        ex--;
    }
    *e = ex;
    return m;
}

/* The cheap digit test (both forms) against gc_arb_has_digits on fixed
   values (ties
   like 1.25e-3, decade ends like 9.9999e-5 and 1e-3, huge and tiny
   exponents, the cheap test's exponent limit) and on random points
   near the rounding boundaries (n + 1/2) 10^q of D-digit decimals n,
   with radii from 0 to about 2^-20 of the value. */
START_TEST(test_has_digits)
{
    static const char * const fixed[] = {"1.25e-3", "9.99995e-5",
        "9.9999999999999e-5", "1e-3", "0.5", "1", "123456.5",
        "3.3333333333333333333", "-7.77777777777777777e-300",
        "4.4444444444444445e+1000000", "1.5e-123456789",
        "9.5e+300000000000", "2.5e-330000000000"};
    static const double rads[] = {0, 0x1p-62, 0x1p-54, 0x1p-50, 0x1p-45,
                                  0x1p-30, 0x1p-20};
    gc_fast_pow10_struct c;
    gc_expo_struct expo;
    flint_rand_t state;
    mpfr_t x, p;
    slong i, k, e, r;
    char what[96];
    double m;

    GC_SAVE_EXPO(expo);
    gc_test_randinit(state);
    _gc_fast_pow10_init(&c);
    mpfr_init2(x, 256);
    mpfr_init2(p, 256);
    for (i = 0; i < (slong) (sizeof fixed / sizeof fixed[0]); i++)
        for (k = -3; k <= 3; k++)
            for (r = 0; r < (slong) (sizeof rads / sizeof rads[0]); r++)
            {
                mpfr_set_str(x, fixed[i], 10, MPFR_RNDN);
                m = get_m_e(&e, x, k);
                check_has_digits(&c, m, e, rads[r], fixed[i]);
                check_has_digits(&c, -m, e, rads[r], fixed[i]);
            }
    /* decimal exponents falling, then rising, by 17 a value: the cached
       power of ten steps by 10^+-32 thousands of times (and is taken
       again from MPFR when its error bound has grown) */
    for (i = -2000; i <= 2000; i++)
    {
        mpfr_set_si(p, 10, MPFR_RNDN);
        mpfr_pow_si(p, p, -17 * (1000 - FLINT_ABS(i)), MPFR_RNDN);
        mpfr_mul_d(x, p, 3.7 + 1e-3 * (i % 5), MPFR_RNDN);
        m = get_m_e(&e, x, 0);
        check_has_digits(&c, m, e, 0x1p-50, "3.7e-17k");
    }
    /* the zero ball, exact and not */
    check_has_digits(&c, 0, 0, 0, "zero");
    check_has_digits(&c, 0, 0, 0x1p-60, "zero");
    for (i = 0; i < gc_test_iters(3000); i++)
    {
        /* (n + 1/2) 10^q, n of D digits, q mostly small, sometimes
           beyond double's range */
        slong digits = 1 + n_randint(state, GC_FAST_DIGITS_MAX);
        slong q = (slong) n_randint(state, 80) - 40;

        if (i % 5 == 4)
            q = (slong) n_randint(state, 2000000) - 1000000;
        mpfr_ui_pow_ui(p, 10, digits - 1, MPFR_RNDN);
        mpfr_mul_d(x, p, 9 * unif(state) + 1, MPFR_RNDN);
        mpfr_floor(x, x);
        mpfr_add_d(x, x, i % 7 == 6 ? 0 : 0.5, MPFR_RNDN);
        mpfr_set_si(p, 10, MPFR_RNDN);
        mpfr_pow_si(p, p, q, MPFR_RNDN);
        mpfr_mul(x, x, p, MPFR_RNDN);
        m = get_m_e(&e, x, (slong) n_randint(state, 4097) - 2048);
        snprintf(what, sizeof what, "seed %lu, value %ld", gc_test_seed(),
                 (long) i);
        check_has_digits(&c, m, e, rads[n_randint(state, 7)]
                         * (1 + unif(state)), what);
    }
    /* the cheap test decided most, and left some to gc_arb_has_digits */
    printf("check_fast: digit tests: %ld quick, %ld in double-double, "
           "%ld by gc_arb_has_digits\n", (long) c.quick, (long) c.cheap,
           (long) c.exact);
    ck_assert(c.quick > 10000 && c.cheap > 20 && c.exact > 100);
    mpfr_clear(x);
    mpfr_clear(p);
    _gc_fast_pow10_clear(&c);
    flint_randclear(state);
    GC_RESTORE_EXPO(expo);
}
END_TEST

/* Evaluates *net* at *digits* digits with the fast path and with the
   Arb engine and checks that every printed dC/db_j, dC/dw_j is the same
   string with the same count of proven digits; *what* names the case in
   failure messages.  Returns 1 if the fast path proved everything
   (prec_used 53), 0 if it fell back to Arb. */
static int
same_digits(const gc_net_t net, slong digits, const char * what)
{
    gc_arb_trace_t tf, ta;
    slong j, pf, pa, cf, ca;
    int sf, sa;

    gc_arb_trace_init(tf, net->len);
    gc_arb_trace_init(ta, net->len);
    sf = gc_eval_fast_digits(tf, net, digits, GC_MAX_PREC_DEFAULT, &pf);
    sa = gc_eval_arb_digits(ta, net, digits, GC_MAX_PREC_DEFAULT, &pa);
    ck_assert_msg(sf == sa, "%s, D = %ld: status %d, arb %d", what,
                  (long) digits, sf, sa);
    ck_assert_msg(pf == 53 || pf == pa, "%s: precision %ld, arb %ld", what,
                  (long) pf, (long) pa);
    for (j = 0; j < 2 * net->len; j++)
    {
        char * s1, * s2;

        sf = gc_arb_get_str_digits(&s1, &cf, tf->db + j, digits);
        sa = gc_arb_get_str_digits(&s2, &ca, ta->db + j, digits);
        ck_assert_msg(sf == sa && strcmp(s1, s2) == 0 && cf == ca,
                      "%s, D = %ld, %s_%ld: fast %s (%ld digits), arb %s "
                      "(%ld), fast precision %ld", what, (long) digits,
                      j < net->len ? "db" : "dw", (long) (j % net->len + 1),
                      s1, (long) cf, s2, (long) ca, (long) pf);
        flint_free(s1);
        flint_free(s2);
    }
    gc_arb_trace_clear(tf);
    gc_arb_trace_clear(ta);
    return pf == 53;
}

/* Every .net of *dir* at D = 1..15; returns the number of networks. */
static slong
same_digits_dir(const char * dir, slong * fast, slong * runs)
{
    DIR * d = opendir(dir);
    struct dirent * ent;
    slong n = 0, digits;

    if (d == NULL)
        return 0;
    while ((ent = readdir(d)) != NULL)
    {
        char path[1024];
        size_t len = strlen(ent->d_name);
        gc_parse_error_t err;
        gc_net_t net;
        FILE * f;

        if (len < 5 || strcmp(ent->d_name + len - 4, ".net") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        f = fopen(path, "r");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        gc_net_init(net);
        ck_assert_msg(gc_net_read(net, f, err) == GC_SUCCESS, "%s: %s", path,
                      err->msg);
        fclose(f);
        for (digits = 1; digits <= GC_FAST_DIGITS_MAX; digits++)
        {
            int decided = same_digits(net, digits, path);

            /* a sigmoid chain of at most 10 layers carries a bound of a
               few hundred u, far from deciding 10 digits only at a tie,
               which none of these values is near: the fast path must
               decide them */
            ck_assert_msg(decided || digits > 10 || net->len > 10
                              || net->nacts > 0
                              || net->act.kind != GC_ACT_SIGMOID,
                          "%s, D = %ld: the fast path fell back to Arb",
                          path, (long) digits);
            *fast += decided;
            (*runs)++;
        }
        gc_net_clear(net);
        n++;
    }
    closedir(d);
    return n;
}

START_TEST(test_stored)
{
    slong fast = 0, runs = 0;

    ck_assert(same_digits_dir(GC_TEST_REFDIR, &fast, &runs) >= 10);
    printf("check_fast: stored networks: %ld of %ld runs proved by the fast "
           "path, %ld fell back to Arb\n", (long) fast, (long) runs,
           (long) (runs - fast));
    /* n4_s0, n4_s1, n10_s0 and nondyadic5 at D <= 10 */
    ck_assert(fast >= 40);
}
END_TEST

/* The kinds of random networks. */
enum
{
    R_NORMAL = 0,   /* N(0,1), 1..40 layers */
    R_SATURATED,    /* N(0,5): sigmoids near 0 and 1 */
    R_CANCEL_Z,     /* b_j = -w_j a_{j-1} + tiny: z_j near 0 */
    R_CANCEL_Y,     /* y = a_L to about 16 digits */
    R_RANGE,        /* some b_j of +-(600..1600) and w_j of 2^(+-1100):
                       values far beyond binary64's range */
    R_KINDS
};

/* A stored network of *kind*, its layers drawn from *state*; a_{j-1}
   is followed in double for the cancelling kinds. */
static void
random_net(gc_net_t net, int kind, flint_rand_t state)
{
    slong j, len = 1 + n_randint(state, 40);
    double sd = kind == R_SATURATED ? 5 : 1, a, z;

    gc_net_set_length(net, len);
    a = (double) n_randint(state, 1000) / 1000;
    mpq_set_d(net->a0, a);
    for (j = 0; j < len; j++)
    {
        double w = sd * unif(state) * (n_randint(state, 2) ? 1 : -2);
        double b = sd * (unif(state) - 0.5) * 2;

        slong scale = 0;

        if (kind == R_CANCEL_Z && n_randint(state, 2))
            b = -w * a + ldexp(unif(state) - 0.5,
                               -(int) n_randint(state, 60));
        if (kind == R_RANGE && n_randint(state, 4) == 0)
            b = (600 + 1000 * unif(state)) * (n_randint(state, 2) ? 1 : -1);
        if (kind == R_RANGE && n_randint(state, 8) == 0)
            scale = n_randint(state, 2) ? 1100 : -1100;
        mpq_set_d(net->w + j, w);
        mpq_set_d(net->b + j, b);
        if (scale > 0)
            mpq_mul_2exp(net->w + j, net->w + j, scale);
        else if (scale < 0)
            mpq_div_2exp(net->w + j, net->w + j, -scale);
        z = w * ldexp(a, (int) scale) + b;
        a = 1 / (1 + exp(-z));
    }
    mpq_set_d(net->y, kind == R_CANCEL_Y ? a : unif(state));
    net->cost = (gc_cost_t) n_randint(state, 3);
    mpq_set_d(net->dc_da, unif(state) - 0.5);
}

START_TEST(test_random)
{
    flint_rand_t state;
    slong i, n = gc_test_iters(600), fast[R_KINDS] = {0}, runs[R_KINDS] = {0};
    char what[96];

    gc_test_randinit(state);
    for (i = 0; i < n; i++)
    {
        int kind = (int) (i % R_KINDS);
        slong digits = 1 + n_randint(state, GC_FAST_DIGITS_MAX);
        gc_net_t net;

        gc_net_init(net);
        random_net(net, kind, state);
        snprintf(what, sizeof what, "seed %lu, network %ld (kind %d)",
                 gc_test_seed(), (long) i, kind);
        fast[kind] += same_digits(net, digits, what);
        runs[kind]++;
        gc_net_clear(net);
    }
    flint_randclear(state);
    printf("check_fast: random networks (proved fast / runs): N(0,1) "
           "%ld/%ld, N(0,5) %ld/%ld, z near 0 %ld/%ld, a_L near y %ld/%ld, "
           "beyond binary64 %ld/%ld\n",
           (long) fast[0], (long) runs[0], (long) fast[1], (long) runs[1],
           (long) fast[2], (long) runs[2], (long) fast[3], (long) runs[3],
           (long) fast[4], (long) runs[4]);
    ck_assert(fast[R_NORMAL] >= runs[R_NORMAL] / 2);
    /* about a third prove fast (in many others a w_j of 2^1100 times an
       a_(j-1) that is not tiny puts z_j beyond 2^50); too few runs to say
       so at a small GRADCHAIN_TEST_MULTIPLIER (valgrind) */
    ck_assert(runs[R_RANGE] < 60 || fast[R_RANGE] >= runs[R_RANGE] / 5);
}
END_TEST

/* Depth 10^4, generated N(0,1) and N(0,5) chains (drawn layer by layer):
   the bound grows with the depth, so the last digits fall back. */
START_TEST(test_deep)
{
    slong k, digits, fast = 0;
    char what[96];

    for (k = 0; k < 4; k++)
    {
        gc_random_t rnd = GC_TEST_NORMAL(0.0, k < 2 ? 1.0 : 5.0,
                                         gc_test_seed() + k);
        gc_net_t net;

        gc_net_init(net);
        gc_net_set_random(net, rnd, 10000);
        for (digits = 4; digits <= GC_FAST_DIGITS_MAX; digits += 11)
        {
            snprintf(what, sizeof what, "seed %lu + %ld, depth 10^4",
                     gc_test_seed(), (long) k);
            fast += same_digits(net, digits, what);
        }
        gc_net_clear(net);
    }
    printf("check_fast: depth 10^4: %ld of 8 runs proved fast\n",
           (long) fast);
    ck_assert(fast >= 1);
}
END_TEST

/* Chains whose values leave binary64's range (the fast path's narrow
   layer records), or hug its ends: the digits are Arb's, and the fast
   path decides them.  Layer j's b_j is -(k_j ln 2) rounded, so that
   a_j and f'(z_j) are near 2^-k_j: k_j runs over 990..1030 (the narrow
   records' limit, 1000, and binary64's 2^-1022 and its subnormals) and,
   in the second chain, 1500 (far beyond); the third has w_j = 2^+-1100
   (a_(j-1) near 2^-1500 before each huge w_j) and a_0 = 2^-1100; the
   fourth is the first with w_20 = 0, so that the backward pass carries
   an exact 0. */
START_TEST(test_range)
{
    gc_net_t net;
    slong i, j, k, digits;
    char what[96];

    gc_net_init(net);
    for (i = 0; i < 4; i++)
    {
        gc_net_set_length(net, 45);
        mpq_set_d(net->a0, 0.75);
        mpq_set_d(net->y, 0.25);
        for (j = 0; j < net->len; j++)
        {
            k = i == 1 && j % 9 == 4 ? 1500 : 990 + j % 41;
            mpq_set_d(net->w + j, 0.5 + 0.01 * (double) j);
            mpq_set_d(net->b + j, j % 2 ? 0.25 : -(double) k * M_LN2);
            if (i == 2) /* b_j = -1500 ln 2 before each huge w_(j+1) */
            {
                if (j % 2 == 0)
                    mpq_set_d(net->b + j, -1500 * M_LN2);
                if (j % 2)
                    mpq_mul_2exp(net->w + j, net->w + j, 1100);
                else
                    mpq_div_2exp(net->w + j, net->w + j, 1100);
            }
        }
        if (i == 2)
            mpq_div_2exp(net->a0, net->a0, 1100);
        if (i == 3) /* g = 0 exactly below layer 20 */
            mpq_set_ui(net->w + 19, 0, 1);
        for (digits = 1; digits <= 6; digits++)
        {
            snprintf(what, sizeof what, "range chain %ld", (long) i);
            ck_assert_msg(same_digits(net, digits, what),
                          "%s, D = %ld: the fast path fell back to Arb", what,
                          (long) digits);
        }
    }
    gc_net_clear(net);
}
END_TEST

/* Other activations and the empty chain go to the Arb engine. */
START_TEST(test_fallback)
{
    gc_arb_trace_t t;
    gc_net_t net;
    slong prec;

    gc_net_init(net);
    gc_test_read_ref_net(net, "n4_s0");
    gc_arb_trace_init(t, net->len);
    ck_assert(gc_eval_fast(t, net) == GC_SUCCESS && t->prec == 53);
    ck_assert(gc_eval_fast_digits(t, net, 10, 4096, &prec) == GC_SUCCESS
              && prec == 53);
    ck_assert(gc_eval_fast_digits(t, net, 16, 4096, &prec) == GC_SUCCESS
              && prec >= 64);
    net->act.kind = GC_ACT_TANH;
    ck_assert(gc_eval_fast(t, net) == GC_UNABLE);
    ck_assert(gc_eval_fast_digits(t, net, 10, 4096, &prec) == GC_SUCCESS
              && prec >= 64);
    gc_arb_trace_clear(t);
    gc_net_clear(net);
}
END_TEST

static Suite *
fast_suite(void)
{
    Suite * s = suite_create("fast");
    TCase * tc = tcase_create("core");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_exp_bound);
    tcase_add_test(tc, test_has_digits);
    tcase_add_test(tc, test_fallback);
    tcase_add_test(tc, test_stored);
    tcase_add_test(tc, test_random);
    tcase_add_test(tc, test_deep);
    tcase_add_test(tc, test_range);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(fast_suite());
}
