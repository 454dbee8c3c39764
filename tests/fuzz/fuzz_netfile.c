/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* fuzz_netfile.c -- libFuzzer target for the network-file reader.

   The input is a network file.  Oracles:
   - gc_net_read (FILE through fmemopen) and gc_net_read_str give the
     same status, line, token, message and network (when the input has no
     NUL byte, which the string reader cannot see);
   - an error has a non-empty, NUL-terminated message;
   - gc_net_write output re-reads to an identical network;
   - gc_net_read_any gives gc_net_read's chain or error (unless that
     error is "wide layers: ...": then a wide network or an error), the
     same from a FILE; gc_wnet_read gives the same network (a chain as
     widths 1, 'cost given' refused); a wide network written with
     gc_wnet_write reads back identical and writes the same text;
   - for small networks (<= 6 layers, numbers of <= 256 bits and
     |x| <= 2^40): the certified Arb value (gc_eval_arb_digits) matches
     the MPFR value at 1024 bits to 1e-3 relative; gc_eval_double matches
     the binary64 replay of gc_replay bit for bit (the same operation
     sequence); gc_replay runs in several formats, with and without a
     loss scale, and returns GC_SUCCESS. */

#include <math.h>

#include "fuzz-common.h"

#define FUZZ_MAX_LAYERS 6
#define FUZZ_MAX_BITS 256
#define FUZZ_MAX_ABS_EXP 40

static int
net_equal(const gc_net_t a, const gc_net_t b)
{
    mpq_t wa, ba, wb, bb;
    slong j;
    int eq;

    if (a->len != b->len || !gc_activation_equal(&a->act, &b->act)
        || a->cost != b->cost
        || !mpq_equal(a->a0, b->a0) || !mpq_equal(a->y, b->y)
        || (a->cost == GC_COST_GIVEN && !mpq_equal(a->dc_da, b->dc_da)))
        return 0;
    mpq_init(wa);
    mpq_init(ba);
    mpq_init(wb);
    mpq_init(bb);
    eq = 1;
    for (j = 1; j <= a->len && eq; j++)
    {
        gc_net_get_layer_q(wa, ba, a, j);
        gc_net_get_layer_q(wb, bb, b, j);
        eq = mpq_equal(wa, wb) && mpq_equal(ba, bb)
             && gc_activation_equal(gc_net_get_act(a, j),
                                    gc_net_get_act(b, j));
    }
    mpq_clear(wa);
    mpq_clear(ba);
    mpq_clear(wb);
    mpq_clear(bb);
    return eq;
}

/* 1 if q is "small": numerator and denominator of <= FUZZ_MAX_BITS bits
   and |q| <= 2^FUZZ_MAX_ABS_EXP. */
static int
q_small(const mpq_t q)
{
    slong nb = mpz_sizeinbase(mpq_numref(q), 2);
    slong db = mpz_sizeinbase(mpq_denref(q), 2);

    return nb <= FUZZ_MAX_BITS && db <= FUZZ_MAX_BITS
           && (mpq_sgn(q) == 0 || nb - db <= FUZZ_MAX_ABS_EXP - 1);
}

static int
net_small(const gc_net_t net)
{
    mpq_t w, b;
    slong j;
    int ok;

    if (net->len > FUZZ_MAX_LAYERS || !q_small(net->a0) || !q_small(net->y)
        || (net->cost == GC_COST_GIVEN && !q_small(net->dc_da)))
        return 0;
    mpq_init(w);
    mpq_init(b);
    ok = 1;
    for (j = 1; j <= net->len && ok; j++)
    {
        gc_net_get_layer_q(w, b, net, j);
        ok = q_small(w) && q_small(b);
    }
    mpq_clear(w);
    mpq_clear(b);
    return ok;
}

/* |m - x| <= 1e-3 |m|, m the Arb midpoint (only for certified balls). */
static void
check_close(const arb_t ball, const mpfr_t x, const char * what, slong j)
{
    mpfr_t m, d;

    mpfr_init2(m, 1024);
    mpfr_init2(d, 1024);
    arf_get_mpfr(m, arb_midref(ball), MPFR_RNDN);
    if (mpfr_zero_p(m))
        GC_FUZZ_CHECK(mpfr_zero_p(x), "%s_%ld: Arb 0, MPFR %g", what,
                      (long) j, mpfr_get_d(x, MPFR_RNDN));
    else if (mpfr_number_p(m))
    {
        mpfr_sub(d, m, x, MPFR_RNDN);
        mpfr_div(d, d, m, MPFR_RNDN);
        mpfr_abs(d, d, MPFR_RNDN);
        GC_FUZZ_CHECK(mpfr_number_p(d) && mpfr_cmp_d(d, 1e-3) <= 0,
                      "%s_%ld: Arb %.17g, MPFR %.17g", what, (long) j,
                      mpfr_get_d(m, MPFR_RNDN), mpfr_get_d(x, MPFR_RNDN));
    }
    mpfr_clear(m);
    mpfr_clear(d);
}

static void
check_engines(const gc_net_t net)
{
    gc_arb_trace_t at;
    gc_trace_t mt;
    slong prec_used, j;
    int sa, sm, supported = gc_engine_check(GC_ENGINE_ARB, net) == GC_SUCCESS;

    GC_FUZZ_CHECK(supported == (gc_engine_check(GC_ENGINE_MPFR, net)
                                == GC_SUCCESS),
                  "the MPFR and Arb engines disagree on what they evaluate");
    gc_arb_trace_init(at, net->len);
    gc_trace_init(mt, net->len, 1024);
    sa = gc_eval_arb_digits(at, net, 6, 4096, &prec_used);
    sm = gc_eval_mpfr(mt, net);
    /* not implemented is GC_UNABLE from both, and nothing else */
    GC_FUZZ_CHECK(supported || (sa == GC_UNABLE && sm == GC_UNABLE),
                  "unsupported network: Arb %d, MPFR %d", sa, sm);
    /* no NaN in MPFR where Arb proves the digits (MPFR may leave its
       exponent range, which Arb does not have: GC_UNABLE) */
    GC_FUZZ_CHECK(sa != GC_SUCCESS || sm == GC_SUCCESS || sm == GC_UNABLE,
                  "Arb status %d, MPFR status %d", sa, sm);
    if (sa == GC_SUCCESS && sm == GC_SUCCESS)
        for (j = 0; j < net->len; j++)
        {
            check_close(at->db + j, mt->db + j, "db", j + 1);
            check_close(at->dw + j, mt->dw + j, "dw", j + 1);
        }
    gc_trace_clear(mt);
    gc_arb_trace_clear(at);
}

/* Every format and sequence, with and without a loss scale: the status
   is what gc_engine_check says, and every value is a number of the
   format (the replay's oracle is the plain C loop of check_formats). */
static void
check_replay(const gc_net_t net)
{
    static const char * const fmts[] = {"binary64", "binary16", "bfloat16",
                                        "e4m3", "e5m2:sat",
                                        "mixed:binary16/binary32",
                                        "custom:5,-12,9", "bfloat16:sr:ftz",
                                        "binary16:rz"};
    static const char * const scales[] = {NULL, "2^8", "1/3"};
    gc_parse_error_t err;
    gc_numfmt_t f;
    gc_replay_t r;
    mpfr_t s;
    size_t i, k;
    int st, want;
    slong j;

    want = gc_engine_check(GC_ENGINE_REPLAY, net);
    mpfr_init2(s, 64);
    for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
    {
        GC_FUZZ_CHECK(gc_numfmt_set_str(f, fmts[i], err) == GC_SUCCESS,
                      "%s: %s", fmts[i], err->msg);
        for (k = 0; k < sizeof scales / sizeof scales[0]; k++)
        {
            gc_seq_t seq = (gc_seq_t) ((i + k) % 3);

            if (scales[k] != NULL)
                GC_FUZZ_CHECK(gc_loss_scale_set_str(s, scales[k], err)
                                  == GC_SUCCESS,
                              "%s", scales[k]);
            gc_replay_init(r);
            st = gc_replay(r, net, f, seq, scales[k] == NULL ? NULL : s);
            GC_FUZZ_CHECK(st == want, "replay %s: status %d, engine check "
                          "%d", fmts[i], st, want);
            for (j = 0; st == GC_SUCCESS && j < net->len; j++)
                GC_FUZZ_CHECK(gc_numfmt_classify(r->t->db + j,
                                                 r->value_format)
                                  == r->db_class[j],
                              "replay %s: class of layer %ld", fmts[i],
                              (long) j + 1);
            gc_replay_clear(r);
        }
    }
    mpfr_clear(s);
}

/* Writes the wide *w*, reads it back: the same network, and the same
   text when written again. */
static void
check_wide_round_trip(const gc_wnet_t w)
{
    gc_parse_error_t e;
    gc_wnet_t back;
    char * out = NULL, * again = NULL;
    size_t n = 0, m = 0;
    FILE * f = open_memstream(&out, &n);

    if (f == NULL)
        abort();
    GC_FUZZ_CHECK(gc_wnet_write(f, w) == GC_SUCCESS, "gc_wnet_write");
    fclose(f);
    gc_wnet_init(back);
    GC_FUZZ_CHECK(gc_wnet_read_str(back, out, e) == GC_SUCCESS,
                  "wide re-read: %ld: %s\n%.2000s", (long) e->line, e->msg,
                  out);
    GC_FUZZ_CHECK(gc_wnet_equal(w, back), "wide round trip differs:\n"
                  "%.2000s", out);
    f = open_memstream(&again, &m);
    if (f == NULL)
        abort();
    GC_FUZZ_CHECK(gc_wnet_write(f, back) == GC_SUCCESS, "gc_wnet_write");
    fclose(f);
    GC_FUZZ_CHECK(strcmp(out, again) == 0, "written again differs");
    free(out);
    free(again);
    gc_wnet_clear(back);
}

/* The readers of wide networks on the input *s* (also *data* through a
   FILE when the input has no NUL byte), given gc_net_read_str's status
   s2, error e2 and chain n2: gc_net_read_any gives that chain, or that
   error unless it is "wide layers: ..."; then a wide network or an
   error.  gc_wnet_read gives the same network (a chain as widths 1,
   'cost given' refused), and a wide network round-trips. */
static void
check_wide(const uint8_t * data, size_t size, const char * s, int has_nul,
           int s2, const gc_parse_error_t e2, const gc_net_t n2)
{
    gc_parse_error_t e3, e4;
    gc_net_t c;
    gc_wnet_t w, v;
    int s3, s4, s5, is_wide = -1, is_wide5 = -1;
    FILE * f;

    gc_net_init(c);
    gc_wnet_init(w);
    gc_wnet_init(v);
    memset(e3, 0, sizeof e3);
    memset(e4, 0, sizeof e4);
    s3 = gc_net_read_any_str(c, w, &is_wide, s, e3);
    if (s3 != GC_SUCCESS)
        gc_fuzz_check_error(e3, "gc_net_read_any_str");
    s4 = gc_wnet_read_str(v, s, e4);
    if (s4 != GC_SUCCESS)
        gc_fuzz_check_error(e4, "gc_wnet_read_str");
    if (s2 == GC_SUCCESS)
    {
        GC_FUZZ_CHECK(s3 == GC_SUCCESS && is_wide == 0 && net_equal(c, n2),
                      "gc_net_read_any differs from gc_net_read");
        if (n2->cost == GC_COST_GIVEN)
            GC_FUZZ_CHECK(s4 == GC_INVALID, "gc_wnet_read took cost given");
        else
        {
            GC_FUZZ_CHECK(s4 == GC_SUCCESS, "gc_wnet_read: %ld: %s",
                          (long) e4->line, e4->msg);
            GC_FUZZ_CHECK(gc_wnet_set_chain(w, n2) == GC_SUCCESS
                          && gc_wnet_equal(w, v),
                          "gc_wnet_read differs from the chain");
        }
    }
    else if (strncmp(e2->msg, "wide layers: ", 13) != 0)
        GC_FUZZ_CHECK(s3 == GC_INVALID && e3->line == e2->line
                      && strcmp(e3->msg, e2->msg) == 0,
                      "chain error %ld %s; gc_net_read_any %d %ld %s",
                      (long) e2->line, e2->msg, s3, (long) e3->line,
                      e3->msg);
    else
        GC_FUZZ_CHECK(s3 == GC_INVALID || is_wide == 1,
                      "a wide file read as a chain");
    if (s3 == GC_SUCCESS && is_wide == 1)
    {
        GC_FUZZ_CHECK(s4 == GC_SUCCESS && gc_wnet_equal(w, v),
                      "gc_wnet_read differs from gc_net_read_any");
        check_wide_round_trip(w);
    }
    f = fmemopen((void *) data, size, "rb");
    if (f != NULL && !has_nul && size > 0)
    {
        s5 = gc_net_read_any(c, v, &is_wide5, f, e4);
        GC_FUZZ_CHECK(s5 == s3 && (s5 != GC_SUCCESS || is_wide5 == is_wide)
                      && (s5 == GC_SUCCESS || (e4->line == e3->line
                                               && strcmp(e4->msg, e3->msg)
                                                  == 0))
                      && (s5 != GC_SUCCESS || !is_wide
                          || gc_wnet_equal(w, v)),
                      "gc_net_read_any: FILE and string differ");
    }
    if (f != NULL)
        fclose(f);
    gc_net_clear(c);
    gc_wnet_clear(w);
    gc_wnet_clear(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    gc_parse_error_t e1, e2;
    gc_net_t n1, n2;
    char * s, * out = NULL;
    size_t outlen = 0;
    int has_nul, s1 = -1, s2, st;
    FILE * f;

    s = gc_fuzz_strdup(data, size, &has_nul);
    gc_net_init(n1);
    gc_net_init(n2);
    memset(e1, 0, sizeof e1);
    memset(e2, 0, sizeof e2);

    /* fmemopen cannot open 0 bytes in every libc: use "" then */
    f = fmemopen(size > 0 ? (void *) data : (void *) "", size > 0 ? size : 1,
                 "rb");
    if (f != NULL)
    {
        s1 = gc_net_read(n1, f, e1);
        fclose(f);
        if (s1 != GC_SUCCESS)
            gc_fuzz_check_error(e1, "gc_net_read");
    }
    s2 = gc_net_read_str(n2, s, e2);
    if (s2 != GC_SUCCESS)
        gc_fuzz_check_error(e2, "gc_net_read_str");
    GC_FUZZ_CHECK(s2 == GC_SUCCESS || s2 == GC_INVALID, "status %d", s2);

    if (f != NULL && !has_nul && size > 0)
    {
        GC_FUZZ_CHECK(s1 == s2, "FILE status %d, string status %d", s1, s2);
        if (s1 != GC_SUCCESS)
            GC_FUZZ_CHECK(e1->line == e2->line
                              && strcmp(e1->token, e2->token) == 0
                              && strcmp(e1->msg, e2->msg) == 0,
                          "FILE %ld '%s' %s; string %ld '%s' %s",
                          (long) e1->line, e1->token, e1->msg,
                          (long) e2->line, e2->token, e2->msg);
        else
            GC_FUZZ_CHECK(net_equal(n1, n2), "FILE and string networks");
    }

    if (s2 == GC_SUCCESS)
    {
        /* write, read back, compare */
        f = open_memstream(&out, &outlen);
        if (f == NULL)
            abort();
        GC_FUZZ_CHECK(gc_net_write(f, n2) == GC_SUCCESS, "gc_net_write");
        fclose(f);
        gc_net_clear(n1);
        gc_net_init(n1);
        st = gc_net_read_str(n1, out, e1);
        GC_FUZZ_CHECK(st == GC_SUCCESS, "re-read: %ld: %s\n%.2000s",
                      (long) e1->line, e1->msg, out);
        GC_FUZZ_CHECK(net_equal(n1, n2), "round trip differs:\n%.2000s",
                      out);
        free(out);

        if (net_small(n2))
        {
            check_engines(n2);
            check_replay(n2);
        }
    }

    check_wide(data, size, s, has_nul, s2, e2, n2);
    gc_net_clear(n1);
    gc_net_clear(n2);
    free(s);
    return 0;
}
