/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_wide_replay.c -- replays of wide networks (gc_wreplay,
   gradchain/wide.h): with widths 1, bit for bit gc_replay of the chain
   (every format, modifier, sequence, activation, cost and loss scale);
   wider networks against tests/data/wide/replay/ref.txt, made by the
   independent Python program beside it; first_layer, norm, statuses
   and the memory bound. */

#include <string.h>

#include "gc-test.h"

#define REPLAY_DIR SRCDIR "/tests/data/wide/replay"

/* Every built-in format kind: hardware, emulated on the hardware path
   and on MPFR, directed, stochastic, ":ftz", overflow policies, mixed
   both ways, wide custom formats (gradients as mpfr_t), x87 and
   binary128 where the build has them. */
static const char * const formats[] = {
    "binary64", "binary32", "x87", "binary128", "binary16", "bfloat16",
    "e5m2", "e4m3", "binary64-emu", "binary32-emu", "custom:5,-10,8",
    "custom:2,-3,3", "binary16:rz", "bfloat16:rd", "e4m3:nan", "e5m2:sat",
    "e4m3:ru", "e5m2:rd:ftz", "binary16:ftz", "bfloat16:ftz:rz",
    "binary16:inf:rd", "binary16:sr", "bfloat16:sr:ftz", "e4m3:sr",
    "binary32-emu:sr", "mixed:binary16/binary32", "mixed:e4m3/bfloat16:rd",
    "mixed:bfloat16/binary64", "mixed:binary64/binary16",
    "custom:60,-20000,20000", "custom:53,-20000,20000", NULL};

static int
fmt_try(gc_numfmt_t f, const char * name)
{
    gc_parse_error_t err;

    return gc_numfmt_set_str(f, name, err) == GC_SUCCESS;
}

static int
same(mpfr_srcptr x, mpfr_srcptr y)
{
    return (mpfr_nan_p(x) && mpfr_nan_p(y))
           || (mpfr_equal_p(x, y) && !mpfr_signbit(x) == !mpfr_signbit(y));
}

/* 1 if the wide replay *w* of widths 1 holds what the chain's replay *r*
   does: every dC/db_j, class, count and event. */
static int
chain_same(const gc_replay_t r, const gc_wreplay_t w)
{
    mpfr_t x, y;
    slong j, len = r->len;
    int ok = w->len == len && w->prec == r->prec
             && (w->gd != NULL) == (r->gd != NULL)
             && (w->gm != NULL) == (r->gm != NULL)
             && r->changed == w->changed && r->overflowed == w->overflowed
             && r->underflowed == w->underflowed
             && r->overflows == w->overflows
             && r->overflow_layer == w->overflow_layer
             && r->scaled == w->scaled
             && r->scale_overflow == w->scale_overflow
             && r->value_format == w->value_format;

    mpfr_init2(x, r->prec);
    mpfr_init2(y, r->prec);
    for (j = 1; ok && j <= len; j++)
        ok = w->width[j] == 1 && w->noff[j - 1] == j - 1
             && gc_replay_get_db(x, r, j) == 0
             && gc_wreplay_get_db(y, w, j, 1) == 0 && same(x, y)
             && r->db_class[j - 1] == w->db_class[j - 1]
             && (!r->scaled
                 || r->scaled_class[j - 1] == w->scaled_class[j - 1]);
    mpfr_clear(x);
    mpfr_clear(y);
    return ok;
}

/* A random rational: k/den with |k| <= 4 den, den one of 1, 3, 7, 10,
   64, 1000 (dyadic or not). */
static void
random_q(mpq_t q, flint_rand_t state, int unit)
{
    static const ulong dens[] = {1, 3, 7, 10, 64, 1000};
    ulong den = dens[n_randint(state, 6)];
    slong k = (slong) n_randint(state, (unit ? 1 : 8) * den + 1)
              - (unit ? 0 : (slong) (4 * den));

    mpq_set_si(q, k, den);
    mpq_canonicalize(q);
}

/* *chain*: 1..maxlen layers, either drawn N(0, sd) or stored random
   rationals, random a0 and y, a random activation per layer, and
   quadratic or (sigmoid output) cross-entropy cost. */
static void
random_chain(gc_net_t chain, flint_rand_t state, slong maxlen)
{
    /* the last two take the values out of the hardware path's range */
    static const double sds[] = {0.25, 1, 3, 12, 100, 0x1p-200, 0x1p200};
    gc_random_t rnd;
    gc_activation_t act;
    slong j, len = 1 + n_randint(state, maxlen);

    if (n_randint(state, 2))
    {
        gc_dist_set_normal(&rnd->weights, 0,
                           sds[n_randint(state, sizeof sds / sizeof sds[0])]);
        gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
        gc_net_set_random(chain, rnd, len);
    }
    else
    {
        gc_net_set_length(chain, len);
        for (j = 0; j < len; j++)
        {
            random_q(chain->w + j, state, 0);
            random_q(chain->b + j, state, 0);
        }
    }
    random_q(chain->a0, state, 0);
    random_q(chain->y, state, 1);
    gc_activation_init(act);
    for (j = 1; j <= len; j++)
    {
        act->kind = (gc_act_t) n_randint(state, GC_ACT_GELU + 1);
        mpq_set_si(act->slope, 1, 1 + n_randint(state, 10));
        ck_assert(gc_net_set_layer_act(chain, j, act) == GC_SUCCESS);
    }
    gc_activation_clear(act);
    chain->cost = (gc_net_get_act(chain, len)->kind == GC_ACT_SIGMOID
                   && n_randint(state, 2))
                      ? GC_COST_CROSS_ENTROPY : GC_COST_QUADRATIC;
}

/* Widths 1: gc_wreplay of gc_wnet_set_chain is gc_replay of the chain,
   bit for bit, over random chains, formats, sequences and loss scales
   (one replay reused from case to case, as a sweep reuses it). */
START_TEST(test_wreplay_chain)
{
    static const char * const scales[] = {"1024", "2^-10", "65536",
                                          "2^100"};
    flint_rand_t state;
    gc_numfmt_t f;
    gc_net_t chain;
    gc_wnet_t net;
    gc_replay_t r;
    gc_wreplay_t w;
    gc_parse_error_t err;
    mpfr_t scale;
    slong i, nfmts = 0, n = gc_test_iters(3000);

    while (formats[nfmts] != NULL)
        nfmts++;
    gc_test_randinit(state);
    gc_net_init(chain);
    gc_wnet_init(net);
    gc_replay_init(r);
    r->keep = GC_REPLAY_GRADS;
    gc_wreplay_init(w);
    mpfr_init2(scale, 53);
    for (i = 0; i < n; i++)
    {
        gc_seq_t seq = (gc_seq_t) n_randint(state, 3);
        mpfr_srcptr sc = NULL;
        int st1, st2;

        random_chain(chain, state, 30);
        while (!fmt_try(f, formats[n_randint(state, nfmts)]))
            ;
        gc_numfmt_set_sr_seed(f, n_randlimb(state));
        ck_assert(gc_loss_scale_set_str(scale, scales[n_randint(state, 4)],
                                        err) == GC_SUCCESS);
        if (n_randint(state, 2) && gc_loss_scale_check(f, scale) == GC_SUCCESS)
            sc = scale;
        ck_assert(gc_wnet_set_chain(net, chain) == GC_SUCCESS);
        st1 = gc_replay(r, chain, f, seq, sc);
        st2 = gc_wreplay(w, net, f, seq, sc);
        ck_assert_msg(st1 == st2 && (st1 != GC_SUCCESS || chain_same(r, w)),
                      "case %ld: %s %s L=%ld%s: the wide replay differs "
                      "from the chain's, seed=%lu", (long) i, f->name,
                      gc_seq_name(seq), (long) chain->len,
                      sc ? " scaled" : "", gc_test_seed());
    }
    mpfr_clear(scale);
    gc_wreplay_clear(w);
    gc_replay_clear(r);
    gc_wnet_clear(net);
    gc_net_clear(chain);
    flint_randclear(state);
}
END_TEST

/* Reads the whole file *path* into a new NUL-terminated string. */
static char *
read_text(const char * path)
{
    FILE * f = fopen(path, "rb");
    char * buf;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert(fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0);
    rewind(f);
    buf = flint_malloc(n + 1);
    ck_assert(fread(buf, 1, n, f) == (size_t) n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Checks the replay of *net* in the format and sequence of the line
   *line* ("replay FORMAT SEQUENCE V..."): every dC/db^l_i, in neuron
   index order, is V (a hex float), sign of zero included. */
static void
check_ref_line(gc_wreplay_t r, const gc_wnet_t net, char * line, slong k)
{
    gc_numfmt_t f;
    gc_seq_t seq;
    mpfr_t x, y;
    char * save, * name, * tok;
    slong l, i;

    strtok_r(line, " ", &save);
    name = strtok_r(NULL, " ", &save);
    ck_assert(fmt_try(f, name));
    ck_assert(gc_seq_set_str(&seq, strtok_r(NULL, " ", &save)) == GC_SUCCESS);
    ck_assert(gc_wreplay(r, net, f, seq, NULL) == GC_SUCCESS);
    mpfr_init2(x, 53);
    mpfr_init2(y, 53);
    for (l = 1; l <= net->len; l++)
        for (i = 1; i <= net->width[l]; i++)
        {
            tok = strtok_r(NULL, " ", &save);
            ck_assert_msg(tok != NULL, "net %ld: too few values", (long) k);
            mpfr_set_d(x, strtod(tok, NULL), MPFR_RNDN);
            ck_assert(gc_wreplay_get_db(y, r, l, i) == 0);
            ck_assert_msg(same(x, y), "net %ld %s %s: dC/db^%ld_%ld is %a, "
                          "the reference %s", (long) k, f->name,
                          gc_seq_name(seq), (long) l, (long) i,
                          mpfr_get_d(y, MPFR_RNDN), tok);
        }
    ck_assert(strtok_r(NULL, " ", &save) == NULL);
    mpfr_clear(x);
    mpfr_clear(y);
}

/* Wide networks (2-3 layers of widths 1-4, sigmoid, tanh, relu, both
   costs) in binary64, binary32, binary16 and bfloat16 with the three
   sequences: every dC/db^l_i equals the independent Python replay's
   (tests/data/wide/replay/make_ref.py, the documented order). */
START_TEST(test_wreplay_python)
{
    char * text = read_text(REPLAY_DIR "/ref.txt");
    char * line, * next;
    gc_wnet_t net;
    gc_wreplay_t r;
    gc_parse_error_t err;
    slong k = -1, replays = 0;

    gc_wnet_init(net);
    gc_wreplay_init(r);
    for (line = text; *line != '\0'; line = next)
    {
        next = strchr(line, '\n');
        ck_assert(next != NULL);
        *next++ = '\0';
        if (strncmp(line, "net ", 4) == 0)
        {
            /* the network's lines, up to "end" */
            line = next;
            next = strstr(line, "\nend\n");
            ck_assert(next != NULL);
            *next = '\0';
            next += 5;
            k++;
            ck_assert_msg(gc_wnet_read_str(net, line, err) == GC_SUCCESS,
                          "net %ld: line %ld: %s", (long) k, (long) err->line,
                          err->msg);
        }
        else if (strncmp(line, "replay ", 7) == 0)
        {
            check_ref_line(r, net, line, k);
            replays++;
        }
    }
    ck_assert_int_eq(k, 11);
    ck_assert_int_eq(replays, 12 * 4 * 3);
    gc_wreplay_clear(r);
    gc_wnet_clear(net);
    flint_free(text);
}
END_TEST

static Suite *
gc_wide_replay_suite(void)
{
    Suite * s = suite_create("wide_replay");
    TCase * tc = tcase_create("core");

    tcase_add_test(tc, test_wreplay_chain);
    tcase_add_test(tc, test_wreplay_python);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_wide_replay_suite());
}
