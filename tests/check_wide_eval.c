/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_wide_eval.c -- wide networks in Arb balls (gc_wnet_eval_*):
   against mpmath (tests/data/wide/make_ref.py), closed forms, the chain
   engine at width 1, and the forward-mode entry against the backward
   pass. */

#include <string.h>

#include "gc-test.h"

#define WIDE_REF SRCDIR "/tests/data/wide/ref.txt"

static const char * const act_names[] = {"sigmoid", "tanh", "relu",
                                         "leaky-relu", "softplus",
                                         "identity", "gelu"};

/* Sets the activation of layer l of *net* by name. */
static void
set_act(gc_wnet_t net, slong l, const char * name)
{
    gc_activation_t a;
    gc_parse_error_t err;

    gc_activation_init(a);
    ck_assert_msg(gc_activation_set_str(a, name, err) == GC_SUCCESS, "%s",
                  name);
    gc_wnet_set_act(net, l, a);
    gc_activation_clear(a);
}

/* Reads the next whitespace-separated token of *f* into buf (at most
   n - 1 bytes); returns 0 at the end of the file. */
static int
token(char * buf, size_t n, FILE * f)
{
    char fmt[32];

    snprintf(fmt, sizeof fmt, "%%%ds", (int) n - 1);
    return fscanf(f, fmt, buf) == 1;
}

/* Reads the keyword *kw* and then *n* rationals into v. */
static void
read_q_vec(mpq_ptr v, slong n, const char * kw, FILE * f)
{
    char buf[256];
    slong i;

    ck_assert(token(buf, sizeof buf, f) && strcmp(buf, kw) == 0);
    for (i = 0; i < n; i++)
    {
        ck_assert(token(buf, sizeof buf, f));
        ck_assert_msg(mpq_set_str(v + i, buf, 10) == 0, "%s", buf);
        mpq_canonicalize(v + i);
    }
}

/* Reads the next network of the reference file into *net* and its
   dC/db^l_i into *ref* (mpfr numbers at 300 bits, initialised here, n
   returned in *nref*); returns 0 at the end of the file. */
static int
read_ref(gc_wnet_t net, mpfr_ptr * ref, slong * nref, char * name,
         FILE * f)
{
    char buf[256];
    slong width[16], len, l, i;
    mpq_t q;

    if (!token(buf, sizeof buf, f))
        return 0;
    ck_assert(strcmp(buf, "net") == 0 && token(name, 64, f));
    ck_assert(token(buf, sizeof buf, f) && strcmp(buf, "cost") == 0);
    ck_assert(token(buf, sizeof buf, f));
    net->cost = strcmp(buf, "quadratic") == 0 ? GC_COST_QUADRATIC
                                               : GC_COST_CROSS_ENTROPY;
    ck_assert(token(buf, sizeof buf, f) && strcmp(buf, "widths") == 0);
    for (len = 0; fscanf(f, " %ld", width + len) == 1; len++)
        ck_assert(len < 15);
    len--;
    gc_wnet_set_widths(net, len, width);
    ck_assert(token(buf, sizeof buf, f) && strcmp(buf, "acts") == 0);
    for (l = 1; l <= len; l++)
    {
        ck_assert(token(buf, sizeof buf, f));
        set_act(net, l, buf);
    }
    read_q_vec(net->a0, width[0], "a0", f);
    read_q_vec(net->y, width[len], "y", f);
    mpq_init(q);
    ck_assert(token(buf, sizeof buf, f) && strcmp(buf, "params") == 0);
    for (i = 0; i < net->off[len]; i++)
    {
        ck_assert(token(buf, sizeof buf, f));
        ck_assert(mpq_set_str(q, buf, 10) == 0);
        mpq_canonicalize(q);
        gc_wnet_set_param_q(net, i, q);
    }
    mpq_clear(q);
    *nref = net->noff[len];
    *ref = flint_malloc(*nref * sizeof(__mpfr_struct));
    ck_assert(token(buf, sizeof buf, f) && strcmp(buf, "db") == 0);
    for (i = 0; i < *nref; i++)
    {
        mpfr_init2(*ref + i, 300);
        ck_assert(token(buf, sizeof buf, f));
        ck_assert(mpfr_set_str(*ref + i, buf, 10, MPFR_RNDN) == 0);
    }
    ck_assert(token(buf, sizeof buf, f) && strcmp(buf, "end") == 0);
    return 1;
}

/* 1 if the ball x meets the reference r given to 40 digits: x overlaps
   r +- 10^-39 |r|; an exact zero reference needs an exact zero ball. */
static int
meets_ref(const arb_t x, const mpfr_t r)
{
    arb_t b;
    mag_t e;
    int ok;

    if (mpfr_zero_p(r))
        return arb_is_zero(x);
    arb_init(b);
    mag_init(e);
    arf_set_mpfr(arb_midref(b), r);
    arf_get_mag(e, arb_midref(b));
    mag_mul_2exp_si(e, e, -129); /* 2^-129 > 10^-39 */
    arb_add_error_mag(b, e);
    ok = arb_overlaps(x, b);
    mag_clear(e);
    arb_clear(b);
    return ok;
}

/* The decimal *str* (digits significant digits) is r correctly rounded
   to nearest: |str - r| <= 10^(e - digits + 1) / 2 with 10^e <= |r|,
   and a little more for r's own 40-digit rounding. */
static int
str_is_rounding(const char * str, const mpfr_t r, slong digits)
{
    mpfr_t s, t;
    long e;
    int ok;

    if (mpfr_zero_p(r))
        return strcmp(str, "0") == 0;
    mpfr_inits2(300, s, t, (mpfr_ptr) 0);
    ck_assert(mpfr_set_str(s, str, 10, MPFR_RNDN) == 0);
    mpfr_sub(s, s, r, MPFR_RNDN);
    mpfr_abs(s, s, MPFR_RNDN);
    mpfr_abs(t, r, MPFR_RNDN);
    mpfr_log10(t, t, MPFR_RNDN);
    e = mpfr_get_si(t, MPFR_RNDD);
    mpfr_set_ui(t, 10, MPFR_RNDN);
    mpfr_pow_si(t, t, e - digits + 1, MPFR_RNDN);
    mpfr_mul_d(t, t, 0.5 + 1e-8, MPFR_RNDN);
    ok = mpfr_cmp(s, t) <= 0;
    mpfr_clears(s, t, (mpfr_ptr) 0);
    return ok;
}

/* The norm, max and min of the reference dC/db^l meet the balls. */
static void
check_stats(arb_srcptr db, const gc_wnet_t net, mpfr_srcptr ref,
            const char * name)
{
    slong l, i, o;
    arb_t nrm, mx, mn;
    mpfr_t s, t, m1, m2;

    arb_init(nrm);
    arb_init(mx);
    arb_init(mn);
    mpfr_inits2(300, s, t, m1, m2, (mpfr_ptr) 0);
    for (l = 1; l <= net->len; l++)
    {
        gc_wnet_layer_stats_arb(nrm, mx, mn, db, net, l, 256);
        o = net->noff[l - 1];
        mpfr_set_zero(s, 1);
        mpfr_abs(m1, ref + o, MPFR_RNDN);
        mpfr_set(m2, m1, MPFR_RNDN);
        for (i = 0; i < net->width[l]; i++)
        {
            mpfr_sqr(t, ref + o + i, MPFR_RNDN);
            mpfr_add(s, s, t, MPFR_RNDN);
            mpfr_abs(t, ref + o + i, MPFR_RNDN);
            mpfr_max(m1, m1, t, MPFR_RNDN);
            mpfr_min(m2, m2, t, MPFR_RNDN);
        }
        mpfr_sqrt(s, s, MPFR_RNDN);
        ck_assert_msg(meets_ref(nrm, s), "%s: norm of layer %ld", name,
                      (long) l);
        ck_assert_msg(meets_ref(mx, m1), "%s: max of layer %ld", name,
                      (long) l);
        ck_assert_msg(mpfr_zero_p(m2) ? arb_contains_zero(mn)
                                      : meets_ref(mn, m2),
                      "%s: min of layer %ld", name, (long) l);
    }
    mpfr_clears(s, t, m1, m2, (mpfr_ptr) 0);
    arb_clear(nrm);
    arb_clear(mx);
    arb_clear(mn);
}

/* 1 if the n numbers x (MPFR engine, prec bits) are the reference r
   within the engine's documented error: 2^(20 - prec) times the largest
   |r| of the layer (sums that cancel lose relative accuracy entry by
   entry, not against the layer), and exactly 0 where r is. */
static int
mpfr_meets(mpfr_srcptr x, mpfr_srcptr r, const gc_wnet_t net, slong prec)
{
    slong l, i, o;
    mpfr_t m, d;
    int ok = 1;

    mpfr_inits2(300, m, d, (mpfr_ptr) 0);
    for (l = 1; l <= net->len; l++)
    {
        o = net->noff[l - 1];
        mpfr_set_zero(m, 1);
        for (i = 0; i < net->width[l]; i++)
        {
            mpfr_abs(d, r + o + i, MPFR_RNDN);
            mpfr_max(m, m, d, MPFR_RNDN);
        }
        mpfr_mul_2si(m, m, 20 - prec, MPFR_RNDN);
        for (i = 0; i < net->width[l]; i++)
        {
            mpfr_sub(d, x + o + i, r + o + i, MPFR_RNDN);
            if (mpfr_zero_p(r + o + i) ? !mpfr_zero_p(x + o + i)
                                       : mpfr_cmpabs(d, m) > 0)
                ok = 0;
        }
    }
    mpfr_clears(m, d, (mpfr_ptr) 0);
    return ok;
}

/* Every network of the mpmath reference: the balls at 128 and 256 bits
   contain the reference, 30 Ziv digits are its rounding, the
   forward-mode entries agree (with their own Ziv loop too), and so do
   the per-layer statistics and the MPFR engine. */
START_TEST(test_wide_ref)
{
    FILE * f = fopen(WIDE_REF, "r");
    char name[64];
    gc_wnet_t net;
    mpfr_ptr ref, mx;
    mpfr_exp_t emin = mpfr_get_emin();
    int status, below;
    slong n, i, prec, used, certified, count = 0;
    arb_ptr db;
    arb_t e;
    char * str;

    ck_assert_msg(f != NULL, "cannot open %s", WIDE_REF);
    gc_wnet_init(net);
    arb_init(e);
    while (read_ref(net, &ref, &n, name, f))
    {
        db = _arb_vec_init(n);
        for (prec = 128; prec <= 256; prec *= 2)
        {
            ck_assert(gc_wnet_eval_arb(db, net, prec) == GC_SUCCESS);
            for (i = 0; i < n; i++)
                ck_assert_msg(meets_ref(db + i, ref + i),
                              "%s: neuron %ld at %ld bits", name, (long) i,
                              (long) prec);
        }
        check_stats(db, net, ref, name);
        for (i = 0; i < n; i++)
        {
            slong l = 1;

            while (net->noff[l] <= i)
                l++;
            ck_assert(gc_wnet_eval_entry_arb(e, net, l, i - net->noff[l - 1]
                                             + 1, 256) == GC_SUCCESS);
            ck_assert_msg(meets_ref(e, ref + i), "%s: entry %ld", name,
                          (long) i);
            ck_assert(gc_wnet_eval_entry_arb_digits(e, net, l,
                                                    i - net->noff[l - 1] + 1,
                                                    30, 1 << 14, &used)
                      == GC_SUCCESS);
            ck_assert(gc_arb_get_str_digits(&str, &certified, e, 30)
                      == GC_SUCCESS);
            ck_assert_msg(str_is_rounding(str, ref + i, 30),
                          "%s: entry %ld: %s", name, (long) i, str);
            flint_free(str);
        }
        /* MPFR at 128 bits, in a narrower range with a flag raised: both
           left as found */
        mx = flint_malloc(n * sizeof(__mpfr_struct));
        for (i = 0; i < n; i++)
            mpfr_init2(mx + i, 128);
        mpfr_clear_flags();
        mpfr_set_divby0();
        ck_assert(mpfr_set_emin(-100000) == 0); /* w9 has 1e-1809 */
        status = gc_wnet_eval_mpfr(mx, net);
        ck_assert_msg(status == GC_SUCCESS, "%s: %d", name, status);
        ck_assert(mpfr_get_emin() == -100000 && mpfr_divby0_p()
                  && !mpfr_inexflag_p());
        ck_assert_msg(mpfr_meets(mx, ref, net, 128), "%s: MPFR", name);
        /* in 2^-1000.., an entry below it makes it GC_UNABLE */
        ck_assert(mpfr_set_emin(-1000) == 0);
        for (i = 0, below = 0; i < n; i++)
            below |= !mpfr_zero_p(ref + i) && mpfr_get_exp(ref + i) < -1000;
        ck_assert(gc_wnet_eval_mpfr(mx, net)
                  == (below ? GC_UNABLE : GC_SUCCESS));
        ck_assert(mpfr_set_emin(emin) == 0);
        for (i = 0; i < n; i++)
            mpfr_clear(mx + i);
        flint_free(mx);
        ck_assert(gc_wnet_eval_arb_digits(db, net, 30, 1 << 14, &used)
                  == GC_SUCCESS);
        ck_assert(used >= 64);
        for (i = 0; i < n; i++)
        {
            ck_assert(gc_arb_get_str_digits(&str, &certified, db + i, 30)
                      == GC_SUCCESS);
            ck_assert_msg(str_is_rounding(str, ref + i, 30),
                          "%s: neuron %ld: %s", name, (long) i, str);
            flint_free(str);
            mpfr_clear(ref + i);
        }
        flint_free(ref);
        _arb_vec_clear(db, n);
        count++;
    }
    fclose(f);
    ck_assert_int_eq(count, 15);
    arb_clear(e);
    gc_wnet_clear(net);
}
END_TEST

/* Signed permutation matrices P^l (P^l_{i, perm(i)} = s_i), biases that
   make every z^l = 0: with the sigmoid a^l = 1/2 and f'(0) = 1/4 exactly,
   so b^l_i = -s_i / 2 and a0 = 1/2 (a0 = 0 and b = 0 with tanh, where
   f'(0) = 1 and a^l = 0).  Then dC/db^l = c^(L-l+1) (P^{l+1})^T ...
   (P^L)^T (a^L - y) exactly, c = f'(0): the balls must be exact. */
START_TEST(test_wide_permutation)
{
    const slong n = 4, len = 6;
    const int tanh_net = _i;
    const double c = tanh_net ? 1.0 : 0.25, a = tanh_net ? 0.0 : 0.5;
    slong width[7], perm[7][4], sign[7][4], l, i, k, j;
    double v[4], u[4], y[4] = {0.125, -1.0, 0.75, 2.5};
    flint_rand_t state;
    gc_wnet_t net;
    arb_ptr db;

    gc_test_randinit(state);
    gc_wnet_init(net);
    for (l = 0; l <= len; l++)
        width[l] = n;
    gc_wnet_set_widths(net, len, width);
    for (k = 0; k < n; k++)
    {
        mpq_set_d(net->a0 + k, a);
        mpq_set_d(net->y + k, y[k]);
    }
    for (l = 1; l <= len; l++)
    {
        if (tanh_net)
            set_act(net, l, "tanh");
        for (i = 0; i < n; i++)
            perm[l][i] = i;
        for (i = n - 1; i > 0; i--) /* Fisher-Yates */
        {
            j = (slong) n_randint(state, (ulong) i + 1);
            k = perm[l][i];
            perm[l][i] = perm[l][j];
            perm[l][j] = k;
        }
        for (i = 0; i < n; i++)
        {
            sign[l][i] = n_randint(state, 2) ? 1 : -1;
            gc_wnet_set_param_d(net, gc_wnet_param_index(net, l, i + 1,
                                                         perm[l][i] + 1),
                                (double) sign[l][i]);
            gc_wnet_set_param_d(net, gc_wnet_param_index(net, l, i + 1,
                                                         n + 1),
                                -a * (double) sign[l][i]);
        }
    }
    db = _arb_vec_init(net->noff[len]);
    ck_assert(gc_wnet_eval_arb(db, net, 64) == GC_SUCCESS);
    for (k = 0; k < n; k++)
        v[k] = c * (a - y[k]);
    for (l = len; l >= 1; l--)
    {
        for (k = 0; k < n; k++)
            ck_assert_msg(arb_is_exact(db + net->noff[l - 1] + k)
                          && arf_equal_d(arb_midref(db + net->noff[l - 1]
                                                    + k), v[k]),
                          "seed %lu: layer %ld neuron %ld",
                          gc_test_seed(), (long) l, (long) k + 1);
        /* v <- c (P^l)^T v: (P^T v)_{perm(i)} = s_i v_i */
        for (i = 0; i < n; i++)
            u[perm[l][i]] = c * (double) sign[l][i] * v[i];
        memcpy(v, u, sizeof v);
    }
    _arb_vec_clear(db, net->noff[len]);
    gc_wnet_clear(net);
    flint_randclear(state);
}
END_TEST

/* 1 if the balls x and y prove the same decimal to *digits* digits (the
   same status, count and string of gc_arb_get_str_digits) and overlap;
   prints both otherwise, after *what*. */
static int
same_digits(const arb_t x, const arb_t y, slong digits, const char * what)
{
    char * s1, * s2;
    slong c1, c2;
    int ok;

    ok = gc_arb_get_str_digits(&s1, &c1, x, digits)
         == gc_arb_get_str_digits(&s2, &c2, y, digits);
    ok = ok && c1 == c2 && strcmp(s1, s2) == 0 && arb_overlaps(x, y);
    if (!ok)
        fprintf(stderr, "%s: %s (%ld digits) and %s (%ld digits)\n", what,
                s1, (long) c1, s2, (long) c2);
    flint_free(s1);
    flint_free(s2);
    return ok;
}

/* Width 1: the balls of the chain engine (gc_eval_arb) and the wide one
   prove the same digits, for dC/db and dC/dw, on random chains with a
   random activation per layer and both costs. */
START_TEST(test_wide_chain)
{
    gc_random_t rnd;
    gc_activation_t act;
    gc_parse_error_t err;
    gc_arb_trace_t t;
    gc_net_t chain;
    gc_wnet_t net;
    flint_rand_t state;
    arb_ptr db;
    arb_t dw;
    slong j, len, iter;

    gc_test_randinit(state);
    gc_activation_init(act);
    arb_init(dw);
    for (iter = 0; iter < gc_test_iters(20); iter++)
    {
        len = 1 + (slong) n_randint(state, 30);
        gc_net_init(chain);
        gc_wnet_init(net);
        gc_dist_set_normal(&rnd->weights, 0.0, 1.5);
        gc_random_set_dist(rnd, &rnd->weights, gc_test_seed() + iter);
        gc_net_set_random(chain, rnd, len);
        for (j = 1; j <= len; j++)
        {
            ck_assert(gc_activation_set_str(act, act_names[n_randint(state,
                                                                     7)],
                                            err) == GC_SUCCESS);
            ck_assert(gc_net_set_layer_act(chain, j, act) == GC_SUCCESS);
        }
        mpq_set_si(chain->a0, -3, 7);
        mpq_set_si(chain->y, 2, 3);
        if (iter % 2)
        {
            chain->cost = GC_COST_CROSS_ENTROPY;
            act->kind = GC_ACT_SIGMOID;
            ck_assert(gc_net_set_layer_act(chain, len, act) == GC_SUCCESS);
        }
        ck_assert(gc_wnet_set_chain(net, chain) == GC_SUCCESS);
        gc_arb_trace_init(t, len);
        db = _arb_vec_init(len);
        ck_assert(gc_eval_arb(t, chain, 192) == GC_SUCCESS);
        ck_assert(gc_wnet_eval_arb(db, net, 192) == GC_SUCCESS);
        for (j = 0; j < len; j++)
        {
            ck_assert(gc_wnet_eval_dw_arb(dw, db, net, j + 1, 192)
                      == GC_SUCCESS);
            ck_assert_msg(same_digits(t->db + j, db + j, 20, "db")
                          && same_digits(t->dw + j, dw, 20, "dw"),
                          "seed %lu iter %ld: layer %ld", gc_test_seed(),
                          (long) iter, (long) j + 1);
        }
        _arb_vec_clear(db, len);
        gc_arb_trace_clear(t);
        gc_net_clear(chain);
        gc_wnet_clear(net);
    }
    arb_clear(dw);
    gc_activation_clear(act);
    flint_randclear(state);
}
END_TEST

/* Random wide networks of binary64 parameters: each forward-mode entry
   overlaps the backward ball and proves the same 25 digits; the MPFR
   engine is within its documented error of the balls; dC/dW^l is
   db^l_i a0_k at layer 1. */
START_TEST(test_wide_entry)
{
    flint_rand_t state;
    gc_wnet_t net;
    slong width[6], len, l, i, k, idx, iter;
    arb_ptr db, dw;
    mpfr_ptr mx;
    arb_t e, x;

    gc_test_randinit(state);
    arb_init(e);
    arb_init(x);
    for (iter = 0; iter < gc_test_iters(10); iter++)
    {
        len = 2 + (slong) n_randint(state, 4);
        for (l = 0; l <= len; l++)
            width[l] = 1 + (slong) n_randint(state, 6);
        gc_wnet_init(net);
        gc_wnet_set_widths(net, len, width);
        for (l = 1; l <= len; l++)
            set_act(net, l, act_names[n_randint(state, 7)]);
        for (idx = 0; idx < net->off[len]; idx++)
            gc_wnet_set_param_d(net, idx,
                                ((double) n_randint(state, 2001) - 1000.0)
                                / 700.0);
        for (k = 0; k < width[0]; k++)
            mpq_set_si(net->a0 + k, (slong) n_randint(state, 9) - 4, 3);
        db = _arb_vec_init(net->noff[len]);
        ck_assert(gc_wnet_eval_arb(db, net, 200) == GC_SUCCESS);
        for (l = 1; l <= len; l++)
            for (i = 1; i <= width[l]; i++)
            {
                arb_srcptr b = db + gc_wnet_neuron_index(net, l, i);

                ck_assert(gc_wnet_eval_entry_arb(e, net, l, i, 200)
                          == GC_SUCCESS);
                ck_assert_msg(same_digits(b, e, 25, "entry"),
                              "seed %lu iter %ld: b^%ld_%ld", gc_test_seed(),
                              (long) iter, (long) l, (long) i);
            }
        /* MPFR at 128 bits against the midpoints of the 200-bit balls */
        mx = flint_malloc(2 * net->noff[len] * sizeof(__mpfr_struct));
        for (i = 0; i < net->noff[len]; i++)
        {
            mpfr_init2(mx + i, 128);
            mpfr_init2(mx + net->noff[len] + i, 300);
            arf_get_mpfr(mx + net->noff[len] + i, arb_midref(db + i),
                         MPFR_RNDN);
        }
        ck_assert(gc_wnet_eval_mpfr(mx, net) == GC_SUCCESS);
        ck_assert_msg(mpfr_meets(mx, mx + net->noff[len], net, 128),
                      "seed %lu iter %ld: MPFR", gc_test_seed(), (long) iter);
        for (i = 0; i < 2 * net->noff[len]; i++)
            mpfr_clear(mx + i);
        flint_free(mx);
        dw = _arb_vec_init(width[1] * width[0]);
        ck_assert(gc_wnet_eval_dw_arb(dw, db, net, 1, 200) == GC_SUCCESS);
        for (i = 0; i < width[1]; i++)
            for (k = 0; k < width[0]; k++)
            {
                /* a0_k = m/3 exactly: dw * 3 = m db */
                arb_mul_ui(x, dw + i * width[0] + k, 3, 200);
                arb_mul_si(e, db + i, mpz_get_si(mpq_numref(net->a0 + k))
                           * (mpz_cmp_ui(mpq_denref(net->a0 + k), 1) == 0
                              ? 3 : 1), 200);
                ck_assert_msg(arb_overlaps(x, e)
                              && arb_rel_accuracy_bits(x) > 150,
                              "seed %lu iter %ld: W^1_%ld%ld",
                              gc_test_seed(), (long) iter, (long) i + 1,
                              (long) k + 1);
            }
        _arb_vec_clear(dw, width[1] * width[0]);
        _arb_vec_clear(db, net->noff[len]);
        gc_wnet_clear(net);
    }
    arb_clear(e);
    arb_clear(x);
    flint_randclear(state);
}
END_TEST

/* A relu or leaky-relu z^2_1 that is exactly 0 behind a rational prefix
   (1/3 is not a binary64 number, so its ball contains 0 without being
   0): the sign is decided exactly, f'(0) = 0 (relu) or the slope, never
   the union of both sides.  z^1 = (1/3, 2/3) from a0 = 1, then z^2_1 =
   3 (1/3) - (3/2) (2/3) = 0; z^2_2 = 1/3 + 1/3 = 2/3.  Output layer:
   identity, W^3 = (1, 1), b = 0, y = 0, quadratic: delta^3 = a^3 = 2/3
   (relu) or 2/3 (leaky: a^2_1 = 0 too), delta^2 = (f'(0) 2/3, 2/3). */
START_TEST(test_wide_kink)
{
    const slong width[] = {1, 2, 2, 1};
    const char * const kink = _i ? "leaky-relu:1/8" : "relu";
    gc_wnet_t net;
    arb_ptr db;
    arb_t x;
    mpq_t q;
    __mpfr_struct m[5];
    slong l;

    gc_wnet_init(net);
    mpq_init(q);
    arb_init(x);
    gc_wnet_set_widths(net, 3, width);
    for (l = 1; l <= 2; l++)
        set_act(net, l, kink);
    set_act(net, 3, "identity");
    mpq_set_ui(q, 1, 3);
    gc_wnet_set_param_q(net, gc_wnet_param_index(net, 1, 1, 1), q);
    mpq_set_ui(q, 2, 3);
    gc_wnet_set_param_q(net, gc_wnet_param_index(net, 1, 2, 1), q);
    gc_wnet_set_param_d(net, gc_wnet_param_index(net, 2, 1, 1), 3.0);
    gc_wnet_set_param_d(net, gc_wnet_param_index(net, 2, 1, 2), -1.5);
    gc_wnet_set_param_d(net, gc_wnet_param_index(net, 2, 2, 1), 1.0);
    gc_wnet_set_param_d(net, gc_wnet_param_index(net, 2, 2, 2), 0.5);
    gc_wnet_set_param_d(net, gc_wnet_param_index(net, 3, 1, 1), 1.0);
    gc_wnet_set_param_d(net, gc_wnet_param_index(net, 3, 1, 2), 1.0);
    db = _arb_vec_init(net->noff[3]);
    ck_assert(gc_wnet_eval_arb(db, net, 64) == GC_SUCCESS);
    /* delta^2_1 = f'(0) 2/3 */
    arb_set_ui(x, 2);
    arb_div_ui(x, x, _i ? 24 : 3, 128);
    ck_assert(_i ? arb_overlaps(db + 2, x) && arb_rel_accuracy_bits(db + 2)
                   > 50
                 : arb_is_zero(db + 2));
    ck_assert(gc_wnet_eval_entry_arb(x, net, 2, 1, 64) == GC_SUCCESS);
    ck_assert(_i ? arb_overlaps(db + 2, x) : arb_is_zero(x));
    for (l = 0; l < 5; l++)
        mpfr_init2(m + l, 64);
    ck_assert(gc_wnet_eval_mpfr(m, net) == GC_SUCCESS);
    /* 1/12 within a few ulps, or exactly 0 */
    mpfr_mul_ui(m + 3, m + 2, 12, MPFR_RNDN);
    mpfr_sub_ui(m + 3, m + 3, 1, MPFR_RNDN);
    mpfr_abs(m + 3, m + 3, MPFR_RNDN);
    ck_assert(_i ? mpfr_cmp_ui_2exp(m + 3, 1, -58) <= 0
                 : mpfr_zero_p(m + 2));
    for (l = 0; l < 5; l++)
        mpfr_clear(m + l);
    _arb_vec_clear(db, net->noff[3]);
    /* cross-entropy needs a sigmoid output */
    net->cost = GC_COST_CROSS_ENTROPY;
    ck_assert(gc_wnet_eval_arb(NULL, net, 64) == GC_UNABLE);
    ck_assert(gc_wnet_eval_entry_arb(x, net, 1, 1, 64) == GC_UNABLE);
    ck_assert(gc_wnet_eval_mpfr(NULL, net) == GC_UNABLE);
    arb_clear(x);
    mpq_clear(q);
    gc_wnet_clear(net);
}
END_TEST

/* The Ziv loop of dC/dW^l proves the weights' digits: in dwcancel
   (tests/data/wide/dw_ref.py) a^1_1 = 2^-200 comes from a cancellation
   that no dC/db sees, so dC/dW^2_11 = dC/db^2_1 a^1_1 needs far more
   precision than every dC/db: against mpmath's digits in
   dwcancel-w2.csv. */
START_TEST(test_wide_dw_digits)
{
    FILE * f = fopen(SRCDIR "/tests/data/wide/eval/dwcancel.net", "r");
    FILE * c = fopen(SRCDIR "/tests/data/wide/eval/dwcancel-w2.csv", "r");
    gc_parse_error_t err;
    gc_wnet_t net;
    arb_ptr db, dw;
    slong k, prec_db, prec_dw, certified;
    char line[2][128];
    char * str;

    ck_assert(f != NULL && c != NULL);
    gc_wnet_init(net);
    ck_assert(gc_wnet_read(net, f, err) == GC_SUCCESS);
    /* the header, then "1,1,VALUE" and "1,2,VALUE" */
    ck_assert(fgets(line[0], sizeof line[0], c) != NULL);
    db = _arb_vec_init(net->noff[2]);
    dw = _arb_vec_init(2);
    ck_assert(gc_wnet_eval_arb_digits(db, net, 15, 1 << 14, &prec_db)
              == GC_SUCCESS);
    ck_assert(gc_wnet_eval_dw_arb_digits(dw, db, net, 2, 15, 1 << 14,
                                         &prec_dw) == GC_SUCCESS);
    ck_assert_msg(prec_db < 256 && prec_dw >= 256, "%ld, %ld bits",
                  (long) prec_db, (long) prec_dw);
    for (k = 0; k < 2; k++)
    {
        ck_assert(fgets(line[k], sizeof line[k], c) != NULL);
        line[k][strcspn(line[k], "\n")] = '\0';
        ck_assert(gc_arb_get_str_digits(&str, &certified, dw + k, 15)
                  == GC_SUCCESS);
        ck_assert_msg(strcmp(str, line[k] + 4) == 0, "%s vs %s", str,
                      line[k]);
        flint_free(str);
    }
    _arb_vec_clear(db, net->noff[2]);
    _arb_vec_clear(dw, 2);
    gc_wnet_clear(net);
    fclose(f);
    fclose(c);
}
END_TEST

/* The memory bounds: at least the balls (numbers) the engines hold
   (db, one layer's parameters, the vectors of the widest layer), within
   a few times that, and growing with the precision. */
START_TEST(test_wide_bytes)
{
    const slong width[] = {3, 4, 2, 5};
    gc_wnet_t net;
    size_t lo, b;

    gc_wnet_init(net);
    gc_wnet_set_widths(net, 3, width);
    /* 11 neurons, 16 parameters in layer 1, widest layer 5 */
    lo = (11 + 16 + 3 * 5) * sizeof(arb_struct);
    b = gc_wnet_eval_arb_bytes(net, 64);
    ck_assert(b >= lo && b <= 4 * lo);
    ck_assert(gc_wnet_eval_arb_bytes(net, 1 << 16) >= 42 * 8192);
    lo = (16 + 6 * 5) * sizeof(arb_struct);
    b = gc_wnet_eval_entry_arb_bytes(net, 64);
    ck_assert(b >= lo && b <= 4 * lo);
    lo = (11 + 16 + 3 * 5) * sizeof(__mpfr_struct);
    b = gc_wnet_eval_mpfr_bytes(net, 64);
    ck_assert(b >= lo && b <= 4 * lo + 1024);
    ck_assert(gc_wnet_eval_mpfr_bytes(net, 1 << 16) >= 42 * 8192);
    gc_wnet_clear(net);
}
END_TEST

static Suite *
gc_wide_eval_suite(void)
{
    Suite * s = suite_create("wide_eval");
    TCase * tc;

    tc = tcase_create("arb");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_wide_ref);
    tcase_add_loop_test(tc, test_wide_permutation, 0, 2);
    tcase_add_test(tc, test_wide_chain);
    tcase_add_test(tc, test_wide_entry);
    tcase_add_loop_test(tc, test_wide_kink, 0, 2);
    tcase_add_test(tc, test_wide_bytes);
    tcase_add_test(tc, test_wide_dw_digits);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_wide_eval_suite());
}
