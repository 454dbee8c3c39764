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

#include <malloc.h>
#include <signal.h>
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

/* *net* = the network file *text*, failing the test if it does not read. */
static void
wnet_text(gc_wnet_t net, const char * text)
{
    gc_parse_error_t err;

    ck_assert_msg(gc_wnet_read_str(net, text, err) == GC_SUCCESS,
                  "line %ld: %s", (long) err->line, err->msg);
}

/* Replays *text* in *fmt* (textbook) with the scale *scale* (a string,
   or NULL) into *r*. */
static void
wreplay_text(gc_wreplay_t r, const char * text, const char * fmt,
             const char * scale)
{
    gc_wnet_t net;
    gc_numfmt_t f;
    gc_parse_error_t err;
    mpfr_t s;

    gc_wnet_init(net);
    wnet_text(net, text);
    ck_assert(fmt_try(f, fmt));
    mpfr_init2(s, 53);
    if (scale != NULL)
        ck_assert(gc_loss_scale_set_str(s, scale, err) == GC_SUCCESS);
    ck_assert(gc_wreplay(r, net, f, GC_SEQ_TEXTBOOK,
                         scale != NULL ? s : NULL) == GC_SUCCESS);
    mpfr_clear(s);
    gc_wnet_clear(net);
}

/* 1 -> 2 -> 2 -> 1, relu, relu, identity: layer 1 dead (z = -1, -2),
   neuron 2 of layer 2 dead (z = -1); with output weights w, the deltas
   are by hand (y = 0, g = a^3 = w): layer 3 w, layer 2 (w^2, 0), layer 1
   (0, 0). */
#define DEAD_NET(w)                                                         \
    "a0 1\ny 0\nlayer act relu\n-1 0\n-2 0\nlayer act relu\n1 1 1\n"       \
    "1 1 -1\nlayer act identity\n" w " " w " 0\n"

/* Checks gc_wreplay_first_layer(r, c, every) for the *n* rows {c,
   every, expected} of *t*. */
static void
expect_first(const gc_wreplay_t r, const slong (* t)[3], slong n)
{
    slong k;

    for (k = 0; k < n; k++)
        ck_assert_msg(gc_wreplay_first_layer(r, (gc_class_t) t[k][0],
                                             (int) t[k][1]) == t[k][2],
                      "row %ld: %s every=%ld: %ld, not %ld", (long) k,
                      gc_class_name((gc_class_t) t[k][0]), (long) t[k][1],
                      (long) gc_wreplay_first_layer(r, (gc_class_t) t[k][0],
                                                    (int) t[k][1]),
                      (long) t[k][2]);
}

/* gc_wreplay_first_layer, any and every entry, on classes made by hand. */
START_TEST(test_wreplay_first_layer)
{
    /* binary64: deltas 1; (1, 0); (0, 0) */
    static const slong ones[][3] = {
        {GC_CLASS_ZERO, 0, 2}, {GC_CLASS_ZERO, 1, 1}, {GC_CLASS_NORMAL, 0, 3},
        {GC_CLASS_NORMAL, 1, 3}, {GC_CLASS_SUBNORMAL, 0, 0},
        {GC_CLASS_INF, 0, 0}};
    /* binary16, w = 60000: layer 2 (inf, inf * 0 = NaN), layer 1 NaN:
       nonfinite counts NaN too */
    static const slong big[][3] = {
        {GC_CLASS_INF, 0, 2}, {GC_CLASS_INF, 1, 2}, {GC_CLASS_NAN, 0, 2},
        {GC_CLASS_NAN, 1, 1}, {GC_CLASS_NORMAL, 1, 3}};
    /* binary16, w = 2^-12: layer 2 (2^-24, 0), subnormal; scaled by 16:
       the scaled delta 2^-20 is subnormal in binary16, the unscaled
       2^-24 normal in binary32 (the scale format), and the scaled class
       counts; scaled by 2^12: 2^-12 is normal */
    static const slong tiny[][3] = {
        {GC_CLASS_SUBNORMAL, 0, 2}, {GC_CLASS_SUBNORMAL, 1, 0}};
    static const slong tiny16[][3] = {
        {GC_CLASS_SUBNORMAL, 0, 2}, {GC_CLASS_ZERO, 1, 1}};
    static const slong tiny4096[][3] = {{GC_CLASS_SUBNORMAL, 0, 0}};
    gc_wreplay_t r;

    gc_wreplay_init(r);
    wreplay_text(r, DEAD_NET("1"), "binary64", NULL);
    expect_first(r, ones, 6);
    ck_assert_int_eq(r->overflows, 0);
    wreplay_text(r, DEAD_NET("60000"), "binary16", NULL);
    expect_first(r, big, 5);
    ck_assert(r->overflows > 0 && r->overflow_layer == 2);
    wreplay_text(r, DEAD_NET("1/4096"), "binary16", NULL);
    expect_first(r, tiny, 2);
    wreplay_text(r, DEAD_NET("1/4096"), "binary16", "16");
    ck_assert(r->db_class[r->noff[1]] == GC_CLASS_NORMAL); /* b^2_1 */
    expect_first(r, tiny16, 2);
    wreplay_text(r, DEAD_NET("1/4096"), "binary16", "4096");
    expect_first(r, tiny4096, 1);
    gc_wreplay_clear(r);
}
END_TEST

/* An output layer of width n, identity, W = 0, biases b and y = 0: its
   dC/db^L is b (textbook, exact in binary64). */
static void
wreplay_bias(gc_wreplay_t r, const char * b, const char * y,
             const char * fmt)
{
    char text[256];

    snprintf(text, sizeof text, "a0 1\ny %s\nlayer act identity\n%s\n", y, b);
    wreplay_text(r, text, fmt, NULL);
}

/* ||dC/db^L||_2 against closed forms: 5 exactly, sqrt 2 (MPFR's
   correctly rounded square root at 53 and 10 bits), 1 + 2^-201 at 300
   bits (the sum of squares 1 + 2^-200 needs 201 bits), +inf, NaN. */
START_TEST(test_wreplay_norm)
{
    gc_wreplay_t r;
    mpfr_t x, ref;
    int t, tr;

    gc_wreplay_init(r);
    mpfr_init2(x, 53);
    mpfr_init2(ref, 53);
    wreplay_bias(r, "0 3\n0 4", "0 0", "binary64");
    ck_assert(gc_wreplay_norm(x, r, 1) == 0 && mpfr_cmp_ui(x, 5) == 0);
    wreplay_bias(r, "0 1\n0 -1", "0 0", "binary64");
    t = gc_wreplay_norm(x, r, 1);
    tr = mpfr_sqrt_ui(ref, 2, MPFR_RNDN);
    ck_assert(mpfr_equal_p(x, ref) && t == tr);
    mpfr_set_prec(x, 10);
    mpfr_set_prec(ref, 10);
    t = gc_wreplay_norm(x, r, 1);
    tr = mpfr_sqrt_ui(ref, 2, MPFR_RNDN);
    ck_assert(mpfr_equal_p(x, ref) && t == tr);
    /* 1 + 2^-201 - 2^-403 + ... rounded: 1 + 2^-201 (above), at 53 bits 1
       (below) */
    wreplay_bias(r, "0 1\n0 0x1p-100", "0 0", "binary64");
    mpfr_set_prec(x, 300);
    t = gc_wreplay_norm(x, r, 1);
    mpfr_set_prec(ref, 300);
    mpfr_set_ui_2exp(ref, 1, -201, MPFR_RNDN);
    mpfr_add_ui(ref, ref, 1, MPFR_RNDN);
    ck_assert(mpfr_equal_p(x, ref) && t > 0);
    mpfr_set_prec(x, 53);
    t = gc_wreplay_norm(x, r, 1);
    ck_assert(mpfr_cmp_ui(x, 1) == 0 && t < 0);
    /* binary16: 65504 - (-65504) overflows to +inf */
    wreplay_bias(r, "0 65504\n0 1", "-65504 0", "binary16");
    ck_assert(gc_wreplay_norm(x, r, 1) == 0 && mpfr_inf_p(x)
              && mpfr_sgn(x) > 0);
    /* layer 2 of DEAD_NET(60000) holds inf and NaN */
    wreplay_text(r, DEAD_NET("60000"), "binary16", NULL);
    gc_wreplay_norm(x, r, 2);
    ck_assert(mpfr_nan_p(x));
    /* zeros: +0 */
    wreplay_text(r, DEAD_NET("1"), "binary64", NULL);
    ck_assert(gc_wreplay_norm(x, r, 1) == 0 && mpfr_zero_p(x)
              && !mpfr_signbit(x));
    mpfr_clear(x);
    mpfr_clear(ref);
    gc_wreplay_clear(r);
}
END_TEST

/* GC_UNABLE for cross-entropy without a sigmoid output, GC_INVALID for
   bad scales; the replay is then untouched. */
START_TEST(test_wreplay_status)
{
    gc_wreplay_t r;
    gc_wnet_t net;
    gc_numfmt_t f;
    mpfr_t s;

    gc_wreplay_init(r);
    gc_wnet_init(net);
    mpfr_init2(s, 53);
    wnet_text(net, "a0 1 2\ny 1/2\nlayer act tanh\n1 2 3\n");
    ck_assert(fmt_try(f, "binary16"));
    ck_assert(gc_wreplay(r, net, f, GC_SEQ_PYTORCH, NULL) == GC_SUCCESS);
    net->cost = GC_COST_CROSS_ENTROPY;
    ck_assert(gc_wreplay(r, net, f, GC_SEQ_PYTORCH, NULL) == GC_UNABLE);
    ck_assert(r->len == 1 && r->width[0] == 2);
    net->act[0].kind = GC_ACT_SIGMOID;
    ck_assert(gc_wreplay(r, net, f, GC_SEQ_TEXTBOOK, NULL) == GC_SUCCESS);
    mpfr_set_si(s, -4, MPFR_RNDN);
    ck_assert(gc_wreplay(r, net, f, GC_SEQ_TEXTBOOK, s) == GC_INVALID);
    mpfr_set_zero(s, 1);
    ck_assert(gc_wreplay(r, net, f, GC_SEQ_TEXTBOOK, s) == GC_INVALID);
    mpfr_set_ui_2exp(s, 1, 200, MPFR_RNDN); /* beyond binary32 */
    ck_assert(gc_wreplay(r, net, f, GC_SEQ_TEXTBOOK, s) == GC_INVALID);
    ck_assert(!r->scaled);
    mpfr_clear(s);
    gc_wnet_clear(net);
    gc_wreplay_clear(r);
}
END_TEST

/* Out of range layers and neurons are programmer errors. */
START_TEST(test_wreplay_bad_index)
{
    const slong li[][2] = {{0, 1}, {3, 1}, {1, 0}, {1, 3}, {2, 2}};
    gc_wreplay_t r;
    mpfr_t x;

    gc_wreplay_init(r);
    mpfr_init2(x, 53);
    wreplay_text(r, "a0 1\ny 0\nlayer\n1 0\n2 0\nlayer\n1 1 0\n", "binary16",
                 NULL);
    if (_i < 5)
        gc_wreplay_get_db(x, r, li[_i][0], li[_i][1]);
    else
        gc_wreplay_norm(x, r, _i == 5 ? 0 : 3);
    mpfr_clear(x);
    gc_wreplay_clear(r);
}
END_TEST

/* The heap in use, through FLINT's and GMP's allocators (MPFR's
   numbers), and its peak. */
static size_t heap_now, heap_peak;

static void *
count_malloc(size_t n)
{
    void * p = malloc(n);

    heap_now += malloc_usable_size(p);
    heap_peak = FLINT_MAX(heap_peak, heap_now);
    return p;
}

static void *
count_calloc(size_t n, size_t size)
{
    void * p = calloc(n, size);

    heap_now += malloc_usable_size(p);
    heap_peak = FLINT_MAX(heap_peak, heap_now);
    return p;
}

static void *
count_realloc(void * p, size_t n)
{
    heap_now -= malloc_usable_size(p);
    p = realloc(p, n);
    heap_now += malloc_usable_size(p);
    heap_peak = FLINT_MAX(heap_peak, heap_now);
    return p;
}

static void
count_free(void * p)
{
    heap_now -= malloc_usable_size(p);
    free(p);
}

static void *
gmp_realloc(void * p, size_t old, size_t n)
{
    (void) old;
    return count_realloc(p, n);
}

static void
gmp_free(void * p, size_t n)
{
    (void) n;
    count_free(p);
}

/* gc_wreplay_bytes bounds what a replay keeps and its peak, measured
   through the allocators, in formats whose gradients are doubles and
   mpfr_t; SIZE_MAX beyond a size_t. */
START_TEST(test_wreplay_bytes)
{
    static const char * const fmts[] = {"binary64", "bfloat16:sr",
                                        "custom:60,-20000,20000",
                                        "mixed:binary16/binary32"};
    const slong width[] = {24, 40, 40, 12};
    const slong huge[] = {WORD_MAX / 4, WORD_MAX / 4};
    const slong off[] = {0, WORD_MAX / 2};
    gc_random_t rnd = GC_TEST_NORMAL(0, 1, 5);
    void * (* m)(size_t);
    void * (* c)(size_t, size_t);
    void * (* re)(void *, size_t);
    void (* fr)(void *);
    void * (* gm)(size_t);
    void * (* gre)(void *, size_t, size_t);
    void (* gfr)(void *, size_t);
    gc_wnet_t net;
    gc_numfmt_t f;
    gc_wreplay_t r;
    size_t base, kept, peak;
    slong k;

    gc_wnet_init(net);
    gc_wnet_set_random(net, 3, width, rnd);
    for (k = 0; k < 4; k++)
    {
        ck_assert(fmt_try(f, fmts[k]));
        gc_wreplay_init(r);
        ck_assert(gc_wreplay(r, net, f, GC_SEQ_PYTORCH, NULL) == GC_SUCCESS);
        gc_wreplay_clear(r); /* MPFR's caches (pi) are made */
        __flint_get_memory_functions(&m, &c, &re, &fr);
        mp_get_memory_functions(&gm, &gre, &gfr);
        __flint_set_memory_functions(count_malloc, count_calloc,
                                     count_realloc, count_free);
        mp_set_memory_functions(count_malloc, gmp_realloc, gmp_free);
        heap_now = heap_peak = base = 0;
        gc_wreplay_init(r);
        ck_assert(gc_wreplay(r, net, f, GC_SEQ_PYTORCH, NULL) == GC_SUCCESS);
        kept = heap_now - base;
        peak = heap_peak - base;
        gc_wreplay_clear(r);
        __flint_set_memory_functions(m, c, re, fr);
        mp_set_memory_functions(gm, gre, gfr);
        ck_assert_msg(kept > 0 && kept <= gc_wreplay_bytes(net, f, 0)
                          && peak <= gc_wreplay_bytes(net, f, 1),
                      "%s: kept %zu (bound %zu), peak %zu (bound %zu)",
                      f->name, kept, gc_wreplay_bytes(net, f, 0), peak,
                      gc_wreplay_bytes(net, f, 1));
    }
    gc_wnet_clear(net);
    /* the shape of a network too large to build: the bound reads only
       the widths and offsets */
    net->len = 1;
    net->width = (slong *) huge;
    net->off = (slong *) off;
    net->noff = (slong *) huge;
    ck_assert(gc_wreplay_bytes(net, f, 1) == SIZE_MAX);
    ck_assert(gc_wreplay_bytes(net, f, 0) == SIZE_MAX);
}
END_TEST

static Suite *
gc_wide_replay_suite(void)
{
    Suite * s = suite_create("wide_replay");
    TCase * tc = tcase_create("core");

    tcase_add_test(tc, test_wreplay_chain);
    tcase_add_test(tc, test_wreplay_python);
    tcase_add_test(tc, test_wreplay_first_layer);
    tcase_add_test(tc, test_wreplay_norm);
    tcase_add_test(tc, test_wreplay_status);
    tcase_add_test(tc, test_wreplay_bytes);
    if (check_forks())
        tcase_add_loop_test_raise_signal(tc, test_wreplay_bad_index, SIGABRT,
                                         0, 7);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_wide_replay_suite());
}
