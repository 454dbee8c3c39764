/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_emul.c -- the emulated formats in binary64 arithmetic
   (_gc_numfmt_round_d, the replay's hardware path) against the MPFR
   emulation, bit for bit: single operations on random and boundary
   operands, and whole replays (_gc_replay_path with the hardware path
   and with MPFR forced) on the reference networks and random ones.
   Also gc_replay keeping only the gradients (GC_REPLAY_GRADS) against
   the full trace, on the same networks in every built-in format. */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "gc-test.h"
#include "gc-impl.h"
#include "numeric/replay-hw.h"
#include "numeric/replay_lanes.h"

/* Formats of the comparisons: every built-in emulated format that the
   hardware path takes, custom ones, and modifiers (the stochastic ones
   keep MPFR and are compared all the same); binary32 and binary64, whose
   parameters and roundings the hardware path rounds in binary64. */
static const char * const emul_formats[] = {
    "binary16", "bfloat16", "e5m2", "e4m3", "binary32-emu",
    "custom:5,-10,8", "custom:25,-200,200", "custom:2,-3,3",
    "binary16:rz", "binary16:ru", "bfloat16:rd", "e4m3:nan", "e5m2:sat",
    "e4m3:ru", "e5m2:rd:ftz", "binary16:ftz", "bfloat16:ftz:rz",
    "custom:6,-12,10:ru:ftz", "binary16:inf:rd", "e4m3:rz:ftz",
    "binary16:sr", "mixed:binary16/binary32", "mixed:e4m3/bfloat16:rd",
    "mixed:bfloat16/binary64", "binary32", "binary64", NULL};

#define N_FORMATS ((slong) (sizeof emul_formats / sizeof emul_formats[0]) - 1)

static void
fmt_set(gc_numfmt_t f, const char * s)
{
    gc_parse_error_t err;
    int status = gc_numfmt_set_str(f, s, err);

    ck_assert_msg(status == GC_SUCCESS, "format %s: %s", s, err->msg);
}

/* Sets x to a random number of *f* (or, one time in 16, a random
   binary64 number of up to 53 bits near the format's range): random
   sign, an exponent from two below the subnormals to one above max, a
   random significand; then rounded to f (to nearest) unless wide. */
static void
random_operand(mpfr_t x, const gc_numfmt_struct * f, flint_rand_t state)
{
    slong lo = f->emin - 2, hi = f->emax + 1;
    mpfr_prec_t p = n_randint(state, 16) == 0 ? 53 : f->prec;
    ulong m = (n_randlimb(state) >> (64 - p)) | (UWORD(1) << (p - 1));

    if (n_randint(state, 4) == 0) /* near 1, where the activations live */
        lo = -3, hi = 4;
    mpfr_set_ui_2exp(x, m, lo + (slong) n_randint(state, hi - lo + 1) - p,
                    MPFR_RNDN);
    if (n_randlimb(state) & 1)
        mpfr_neg(x, x, MPFR_RNDN);
    if (p != 53)
    {
        gc_numfmt_struct g = *f;

        g.rnd = GC_NUMFMT_RNDN;
        g.ftz = 0;
        g.overflow = GC_OVERFLOW_INF;
        g.has_inf = 1;
        gc_numfmt_round(x, x, &g);
        if (!mpfr_number_p(x))
            mpfr_set_ui(x, 1, MPFR_RNDN);
    }
}

/* Rounds v to *f* both ways and checks the value and the flags: the MPFR
   path (v at p bits in f's mode, then _gc_numfmt_round) and
   _gc_numfmt_round_d of v to nearest in binary64 with the sign of the
   error.  *what* names the case in the failure message. */
static void
check_round(mpfr_srcptr v, const gc_numfmt_struct * f, const char * what)
{
    mpfr_t x, d;
    double y;
    int fx, fy, t;

    mpfr_init2(x, f->prec);
    mpfr_init2(d, 53);
    fx = _gc_numfmt_round(x, mpfr_set(x, v, gc_numfmt_mpfr_rnd(f)), f);
    t = -mpfr_set(d, v, MPFR_RNDN);
    fy = _gc_numfmt_round_d(&y, mpfr_get_d(d, MPFR_RNDN), (t > 0) - (t < 0),
                            f);
    ck_assert_msg(((mpfr_nan_p(x) && isnan(y))
                   || (mpfr_cmp_d(x, y) == 0
                       && !mpfr_signbit(x) == !signbit(y)))
                  && fx == fy,
                  "%s in %s: %a (%s) -> MPFR %a (flags %d), binary64 %a "
                  "(flags %d), seed=%lu", what, f->name,
                  mpfr_get_d(v, MPFR_RNDN), t > 0 ? "above" : t < 0 ? "below"
                  : "exact", mpfr_get_d(x, MPFR_RNDN), fx, y, fy,
                  gc_test_seed());
    mpfr_clear(x);
    mpfr_clear(d);
}

/* 10^6 single operations (+, -, *, /, fma, exp, tanh, log1p, erf) on
   random operands of random formats: the exact result (to 300 bits;
   the functions to 300 bits too, far beyond what the binary64 rounding
   and its error sign can see) rounded both ways. */
START_TEST(test_emul_round_ops)
{
    flint_rand_t state;
    gc_numfmt_t f;
    mpfr_t a, b, c, v;
    slong i, n = gc_test_iters(1000000);
    static const char * const names[] = {"add", "sub", "mul", "div", "fma",
                                         "exp", "tanh", "log1p", "erf"};

    gc_mpfr_widen_exponent_range();
    gc_test_randinit(state);
    mpfr_inits2(53, a, b, c, (mpfr_ptr) NULL);
    mpfr_init2(v, 300);
    for (i = 0; i < n; i++)
    {
        int op = (int) n_randint(state, 9);

        do
            fmt_set(f, emul_formats[n_randint(state, N_FORMATS)]);
        while (!_gc_numfmt_hw_ok(f));
        random_operand(a, f, state);
        random_operand(b, f, state);
        random_operand(c, f, state);
        switch (op)
        {
            case 0:
                mpfr_add(v, a, b, MPFR_RNDN);
                break;
            case 1:
                mpfr_sub(v, a, b, MPFR_RNDN);
                break;
            case 2:
                mpfr_mul(v, a, b, MPFR_RNDN);
                break;
            case 3:
                mpfr_div(v, a, b, MPFR_RNDN);
                break;
            case 4:
                mpfr_fma(v, a, b, c, MPFR_RNDN);
                break;
            case 5:
                mpfr_exp(v, a, MPFR_RNDN);
                break;
            case 6:
                mpfr_tanh(v, a, MPFR_RNDN);
                break;
            case 7:
                mpfr_log1p(v, a, MPFR_RNDN);
                break;
            default:
                mpfr_erf(v, a, MPFR_RNDN);
        }
        if (mpfr_regular_p(v) && (mpfr_get_exp(v) < -1000
                                  || mpfr_get_exp(v) > 1000))
            continue; /* outside what _gc_numfmt_round_d takes */
        check_round(v, f, names[op]);
    }
    mpfr_clears(a, b, c, v, (mpfr_ptr) NULL);
    flint_randclear(state);
}
END_TEST

/* The boundaries of every format of the list: the format numbers and
   the midpoints next to 1, the min subnormal and its half, the min
   normal, max finite, max + half an ulp and the next power of two, each
   exactly and a hair (2^-200 relatively) on either side, both signs. */
START_TEST(test_emul_round_boundaries)
{
    gc_numfmt_t f;
    mpfr_t base[10], v, h;
    slong k, i;
    int s, side;

    gc_mpfr_widen_exponent_range();
    for (i = 0; i < 10; i++)
        mpfr_init2(base[i], 64);
    mpfr_init2(v, 400);
    mpfr_init2(h, 400);
    for (k = 0; k < N_FORMATS; k++)
    {
        fmt_set(f, emul_formats[k]);
        if (!_gc_numfmt_hw_ok(f))
            continue;
        mpfr_set_ui(base[0], 1, MPFR_RNDN);
        mpfr_set_ui_2exp(base[1], 1, -(slong) f->prec, MPFR_RNDN);
        mpfr_add_ui(base[1], base[1], 1, MPFR_RNDN);   /* 1 + ulp/2 */
        mpfr_set_ui_2exp(base[2], 3, -(slong) f->prec - 1, MPFR_RNDN);
        mpfr_ui_sub(base[2], 1, base[2], MPFR_RNDN);   /* below 1 */
        gc_numfmt_min_subnormal(base[3], f);
        mpfr_div_2ui(base[4], base[3], 1, MPFR_RNDN);
        gc_numfmt_min_normal(base[5], f);
        gc_numfmt_max(base[6], f);
        mpfr_set_ui_2exp(base[7], 1, f->emax - f->prec - 1, MPFR_RNDN);
        mpfr_add(base[7], base[7], base[6], MPFR_RNDN); /* max + ulp/2 */
        mpfr_set_ui_2exp(base[8], 1, f->emax, MPFR_RNDN);
        mpfr_mul_ui(base[9], base[3], 3, MPFR_RNDN);
        mpfr_div_2ui(base[9], base[9], 1, MPFR_RNDN);  /* 1.5 min sub */
        for (i = 0; i < 10; i++)
            for (s = -1; s <= 1; s += 2)
                for (side = -1; side <= 1; side++)
                {
                    mpfr_mul_si(v, base[i], s, MPFR_RNDN);
                    mpfr_mul_2si(h, v, -200, MPFR_RNDN);
                    mpfr_mul_si(h, h, side, MPFR_RNDN);
                    mpfr_add(v, v, h, MPFR_RNDN);
                    check_round(v, f, "boundary");
                }
    }
    for (i = 0; i < 10; i++)
        mpfr_clear(base[i]);
    mpfr_clear(v);
    mpfr_clear(h);
}
END_TEST

static int
same(mpfr_srcptr x, mpfr_srcptr y)
{
    return (mpfr_nan_p(x) && mpfr_nan_p(y))
           || (mpfr_equal_p(x, y) && !mpfr_signbit(x) == !mpfr_signbit(y));
}

/* A double of every class from the random bits u: one time in 8 a
   special (+-0, +-inf, NaN, the smallest and largest subnormal and
   normal, 1), else the bits as they are (any class) with the lowest
   0 to 63 of them cleared, so that every precision takes the exact
   path too. */
static double
raw_double(ulong u, flint_rand_t state)
{
    static const double special[] = {0.0, INFINITY, NAN, 0x1p-1074,
                                     0x0.fffffffffffffp-1022, 0x1p-1022,
                                     DBL_MAX, 1.0};
    double d;

    if (n_randint(state, 8) == 0)
    {
        d = special[n_randint(state, 8)];
        return (u & 1) ? -d : d;
    }
    u &= ~((UWORD(1) << n_randint(state, 64)) - 1);
    memcpy(&d, &u, sizeof(double));
    return d;
}

/* x and y the same number (NaN: any NaN) and flags fx and fy equal. */
static void
check_raw_same(mpfr_srcptr x, mpfr_srcptr y, int fx, int fy, double d,
               const char * what, slong emin)
{
    ck_assert_msg(same(x, y) && fx == fy,
                  "%s of %a at %ld bits (emin %ld): MPFR %a (flags %d), raw "
                  "%a (flags %d), seed=%lu", what, d, (long) mpfr_get_prec(x),
                  (long) emin, mpfr_get_d(x, MPFR_RNDN), fx,
                  mpfr_get_d(y, MPFR_RNDN), fy, gc_test_seed());
}

/* _gc_raw_set_d and _gc_raw_get_d against mpfr_set_d and mpfr_get_d,
   value, sign of zero, NaN and flags, at every precision from 1 to 64
   bits and three wider ones, in MPFR's default exponent range and its
   widest: doubles of every class (random bits, specials, subnormals)
   and random 64-bit integers times 2^-1164 to 2^1036 (subnormal and
   infinite in binary64, and far below its subnormals). */
START_TEST(test_raw_conversions)
{
    static const mpfr_prec_t wide[] = {65, 113, 200};
    flint_rand_t state;
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_t x, y;
    mpfr_prec_t p;
    slong i;
    int range, fx, fy;
    double d, a, b;

    gc_test_randinit(state);
    for (range = 0; range < 2; range++)
    {
        if (range)
            gc_mpfr_widen_exponent_range();
        for (p = 1; p <= 67; p++)
        {
            mpfr_prec_t q = (p <= 64) ? p : wide[p - 65];

            mpfr_init2(x, q);
            mpfr_init2(y, q);
            for (i = 0; i < 3000; i++)
            {
                d = raw_double(n_randlimb(state), state);
                mpfr_clear_flags();
                mpfr_set_d(x, d, MPFR_RNDN);
                fx = mpfr_flags_save();
                mpfr_clear_flags();
                _gc_raw_set_d(y, d);
                fy = mpfr_flags_save();
                check_raw_same(x, y, fx, fy, d, "set", mpfr_get_emin());
                if (n_randint(state, 2))
                {
                    mpfr_set_ui_2exp(x, n_randlimb(state),
                                     (slong) n_randint(state, 2201) - 1164,
                                     MPFR_RNDN);
                    if (n_randlimb(state) & 1)
                        mpfr_neg(x, x, MPFR_RNDN);
                }
                mpfr_clear_flags();
                a = mpfr_get_d(x, MPFR_RNDN);
                fx = mpfr_flags_save();
                mpfr_clear_flags();
                b = _gc_raw_get_d(x);
                fy = mpfr_flags_save();
                ck_assert_msg(((isnan(a) && isnan(b))
                               || memcmp(&a, &b, sizeof(double)) == 0)
                              && fx == fy,
                              "get at %ld bits: MPFR %a (flags %d), raw %a "
                              "(flags %d), seed=%lu", (long) q, a, fx, b,
                              fy, gc_test_seed());
            }
            mpfr_clear(x);
            mpfr_clear(y);
        }
    }
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    flint_randclear(state);
}
END_TEST

/* 1 if the two replays are the same: every number (signs of zeros
   included), class, flag and count. */
static int
replay_same(const gc_replay_t r, const gc_replay_t s)
{
    const gc_trace_struct * x = r->t, * y = s->t;
    slong j, len = x->len;

    if (!same(x->a, y->a) || r->a0_flags != s->a0_flags
        || r->y_flags != s->y_flags || r->changed != s->changed
        || r->overflowed != s->overflowed || r->underflowed != s->underflowed
        || r->overflows != s->overflows
        || r->overflow_layer != s->overflow_layer
        || r->scale_overflow != s->scale_overflow
        || r->death.first_zero != s->death.first_zero)
        return 0;
    for (j = 0; j < len; j++)
        if (!same(x->z + j, y->z + j) || !same(x->a + j + 1, y->a + j + 1)
            || !same(x->sp + j, y->sp + j) || !same(x->db + j, y->db + j)
            || !same(x->dw + j, y->dw + j) || r->db_class[j] != s->db_class[j]
            || r->dw_class[j] != s->dw_class[j]
            || r->w_flags[j] != s->w_flags[j]
            || r->b_flags[j] != s->b_flags[j]
            || (r->scaled && r->scaled_class[j] != s->scaled_class[j]))
            return 0;
    return 1;
}

/* A comparison of two replays of *net* in *f* with *seq* (and the loss
   scale *scale* or NULL); *what* names the network. */
typedef void (* replay_check_t)(const gc_net_t net, const gc_numfmt_t f,
                                gc_seq_t seq, mpfr_srcptr scale,
                                const char * what);

/* Replays *net* in *f* with *seq* (and the loss scale *scale* or NULL)
   on both paths and checks that they agree; *what* names the network. */
static void
check_replay(const gc_net_t net, const gc_numfmt_t f, gc_seq_t seq,
             mpfr_srcptr scale, const char * what)
{
    gc_replay_t r, s;
    int st1, st2;

    gc_replay_init(r);
    gc_replay_init(s);
    st1 = _gc_replay_path(r, net, f, seq, scale, 1);
    st2 = _gc_replay_path(s, net, f, seq, scale, 0);
    ck_assert_msg(st1 == st2 && (st1 != GC_SUCCESS || replay_same(r, s)),
                  "%s: %s %s %s%s differs from MPFR, seed=%lu", what,
                  f->name, gc_seq_name(seq), gc_act_name(net->act.kind),
                  scale ? " scaled" : "", gc_test_seed());
    gc_replay_clear(r);
    gc_replay_clear(s);
}

/* The formats of the compact replay: every built-in one (x87 and
   binary128 where the build has them), stochastic, mixed, and a wide
   custom format, whose gradients stay mpfr_t. */
static const char * const compact_formats[] = {
    "binary64", "binary32", "x87", "binary128", "binary16", "bfloat16",
    "e5m2", "e4m3", "binary64-emu", "binary32-emu", "binary16:sr",
    "bfloat16:sr:ftz", "e4m3:nan", "mixed:binary16/binary32",
    "custom:60,-20000,20000", "custom:53,-20000,20000", "custom:5,-10,8:rd",
    NULL};

/* The compact replay, reused from call to call as compare reuses its
   replay from format to format (set up by the tests that use it). */
static gc_replay_t compact;

/* 1 if the compact replay *s* holds what the full replay *r* does:
   every dC/db_j and dC/dw_j (through the accessors, which read r's
   trace), class, flag, count and event. */
static int
compact_same(const gc_replay_t r, const gc_replay_t s)
{
    mpfr_t x, y;
    slong j, len = r->t->len;
    int ok = s->len == len && r->len == len && s->t->len == 0
             && r->a0_flags == s->a0_flags && r->y_flags == s->y_flags
             && r->changed == s->changed && r->overflowed == s->overflowed
             && r->underflowed == s->underflowed
             && r->overflows == s->overflows
             && r->overflow_layer == s->overflow_layer
             && r->scaled == s->scaled
             && r->scale_overflow == s->scale_overflow
             && r->value_format == s->value_format
             && memcmp(&r->death, &s->death, sizeof r->death) == 0;

    mpfr_init2(x, r->t->prec);
    mpfr_init2(y, r->t->prec);
    for (j = 1; ok && j <= len; j++)
        ok = gc_replay_get_db(x, r, j) == 0 && same(x, r->t->db + j - 1)
             && gc_replay_get_db(y, s, j) == 0 && same(x, y)
             && gc_replay_get_dw(x, r, j) == 0 && same(x, r->t->dw + j - 1)
             && gc_replay_get_dw(y, s, j) == 0 && same(x, y)
             && r->db_class[j - 1] == s->db_class[j - 1]
             && r->dw_class[j - 1] == s->dw_class[j - 1]
             && r->w_flags[j - 1] == s->w_flags[j - 1]
             && r->b_flags[j - 1] == s->b_flags[j - 1]
             && (!r->scaled
                 || r->scaled_class[j - 1] == s->scaled_class[j - 1]);
    mpfr_clear(x);
    mpfr_clear(y);
    return ok;
}

/* Replays *net* keeping the trace and into *compact* keeping the
   gradients, and checks that they agree and that the gradients are
   binary64 doubles exactly where every number of the format is one. */
static void
check_compact(const gc_net_t net, const gc_numfmt_t f, gc_seq_t seq,
              mpfr_srcptr scale, const char * what)
{
    gc_replay_t r;
    int st1, st2;

    gc_replay_init(r);
    st1 = gc_replay(r, net, f, seq, scale);
    st2 = gc_replay(compact, net, f, seq, scale);
    ck_assert_msg(st1 == st2
                      && (st1 != GC_SUCCESS || compact_same(r, compact)),
                  "%s: %s %s %s%s: compact replay differs from the trace, "
                  "seed=%lu", what, f->name, gc_seq_name(seq),
                  gc_act_name(net->act.kind), scale ? " scaled" : "",
                  gc_test_seed());
    ck_assert(st2 != GC_SUCCESS
              || (compact->gd != NULL)
                     == (f->prec <= 53 && f->emin >= -1073
                         && f->emax <= 1024
                         && (f->compute == NULL
                             || f->compute->prec <= 53)));
    gc_replay_clear(r);
}

/* Sets *f* to *name*; returns 0 when this build lacks it (x87 where long
   double is not the 80-bit format, binary128 without libquadmath). */
static int
fmt_try(gc_numfmt_t f, const char * name)
{
    gc_parse_error_t err;

    return gc_numfmt_set_str(f, name, err) == GC_SUCCESS;
}

/* The reference networks of tests/data/ref: network *name* with each
   of its activations replaced in turn (and cross-entropy for the
   sigmoid), in every format of *fmts* (NULL-terminated), every sequence,
   unscaled and, when *scale* is not NULL, scaled by it; *check* compares
   each case. */
static void
refnet_cases(const char * name, const char * const * fmts,
             mpfr_srcptr scale, replay_check_t check)
{
    gc_numfmt_t f;
    gc_net_t net;
    slong k;
    int act, seq, ce, sc;

    gc_net_init(net);
    gc_test_read_ref_net(net, name);
    for (act = GC_ACT_SIGMOID; act <= GC_ACT_GELU; act++)
        for (ce = 0; ce <= (act == GC_ACT_SIGMOID); ce++)
        {
            if (net->cost != GC_COST_GIVEN)
                net->cost = ce ? GC_COST_CROSS_ENTROPY : GC_COST_QUADRATIC;
            net->act.kind = (gc_act_t) act;
            for (k = 0; fmts[k] != NULL; k++)
            {
                if (!fmt_try(f, fmts[k]))
                    continue;
                gc_numfmt_set_sr_seed(f, 7);
                for (seq = GC_SEQ_PYTORCH; seq <= GC_SEQ_STABLE; seq++)
                    for (sc = 0; sc <= (scale != NULL); sc++)
                        check(net, f, (gc_seq_t) seq, sc ? scale : NULL,
                              name);
            }
        }
    gc_net_clear(net);
}

static const char * const refnet_names[] = {
    "n4_s0", "n4_s1", "n10_s0", "nondyadic5", "quarter600", "act6_quad",
    "act7_ce", "explode2000", "neutral1000"};

/* The emulated formats on both paths: the first 7 reference networks. */
START_TEST(test_emul_replay_refnets)
{
    refnet_cases(refnet_names[_i], emul_formats, NULL, check_replay);
}
END_TEST

/* The compact replay: every reference network, unscaled and scaled. */
START_TEST(test_compact_refnets)
{
    mpfr_t scale;

    mpfr_init2(scale, 53);
    mpfr_set_ui(scale, 1024, MPFR_RNDN);
    gc_replay_init(compact);
    compact->keep = GC_REPLAY_GRADS;
    refnet_cases(refnet_names[_i], compact_formats, scale, check_compact);
    gc_replay_clear(compact);
    mpfr_clear(scale);
}
END_TEST

/* *n* random networks: N(0, sd) chains of 1..*maxlen* layers, a random
   activation, cost, format of *fmts* (NULL-terminated), sequence and,
   one time in *scaled*, a loss scale; *check* compares each case. */
static void
random_cases(slong n, slong maxlen, const char * const * fmts,
             ulong scaled, replay_check_t check)
{
    /* the last two take the values out of the hardware path's range */
    static const double sds[] = {0.25, 1, 3, 12, 100, 0x1p-200, 0x1p200};
    static const char * const scales[] = {"1024", "2^-10", "65536"};
    flint_rand_t state;
    gc_numfmt_t f;
    gc_net_t net;
    gc_random_t rnd;
    gc_parse_error_t err;
    mpfr_t scale;
    slong i, nfmts = 0;
    char what[64];

    while (fmts[nfmts] != NULL)
        nfmts++;
    gc_test_randinit(state);
    gc_net_init(net);
    mpfr_init2(scale, 53);
    for (i = 0; i < n; i++)
    {
        int sc = n_randint(state, scaled) == 0;

        gc_dist_set_normal(&rnd->weights, 0,
                           sds[n_randint(state, sizeof sds / sizeof sds[0])]);
        gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
        gc_net_set_random(net, rnd, 1 + n_randint(state, maxlen));
        net->act.kind = (gc_act_t) n_randint(state, GC_ACT_GELU + 1);
        net->cost = (net->act.kind == GC_ACT_SIGMOID && n_randint(state, 2))
                        ? GC_COST_CROSS_ENTROPY : GC_COST_QUADRATIC;
        while (!fmt_try(f, fmts[n_randint(state, nfmts)]))
            ;
        gc_numfmt_set_sr_seed(f, n_randlimb(state));
        ck_assert(gc_loss_scale_set_str(scale, scales[n_randint(state, 3)],
                                        err) == GC_SUCCESS);
        snprintf(what, sizeof what, "network seed %lu, L=%ld",
                 (ulong) rnd->seed, (long) net->len);
        check(net, f, (gc_seq_t) n_randint(state, 3),
              (sc && gc_loss_scale_check(f, scale) == GC_SUCCESS) ? scale
                                                                  : NULL,
              what);
    }
    mpfr_clear(scale);
    gc_net_clear(net);
    flint_randclear(state);
}

/* 1000 random networks of 1..40 layers, a loss scale one time in four. */
START_TEST(test_emul_replay_random)
{
    random_cases(gc_test_iters(1000), 40, emul_formats, 4, check_replay);
}
END_TEST

/* 1000 random networks of 1..60 layers, a loss scale one time in two. */
START_TEST(test_compact_random)
{
    gc_replay_init(compact);
    compact->keep = GC_REPLAY_GRADS;
    random_cases(gc_test_iters(1000), 60, compact_formats, 2, check_compact);
    gc_replay_clear(compact);
}
END_TEST

/* What a compact replay keeps: at most 64 bytes a layer in the formats
   whose numbers are binary64 numbers (issue 12's budget for compare),
   less than during the call, which is less than the full trace. */
START_TEST(test_compact_bytes)
{
    gc_numfmt_t f;
    slong k, L = 1000000;

    for (k = 0; compact_formats[k] != NULL; k++)
    {
        size_t kept, peak;

        if (!fmt_try(f, compact_formats[k]))
            continue;
        kept = gc_replay_grads_bytes(L, f, 0);
        peak = gc_replay_grads_bytes(L, f, 1);
        ck_assert_msg(kept < peak && peak < gc_replay_bytes(L, f),
                      "%s: %zu %zu", f->name, kept, peak);
        if (f->prec <= 53 && f->emax <= 1024)
            ck_assert_msg(kept <= 64 * (size_t) L, "%s: %zu bytes",
                          f->name, kept);
    }
    ck_assert(fmt_try(f, "binary64"));
    ck_assert(gc_replay_grads_bytes(WORD_MAX / 8, f, 1) == SIZE_MAX);
}
END_TEST

/* The formats of the replays on doubles (GC_REPLAY_GRADS where every
   number of the format is a binary64 number): the hardware path and its
   fallbacks to MPFR (stochastic rounding, formats of more than 25 bits,
   the operands of a wider compute format outside [2^-300, 2^300],
   exp, tanh, log1p and erf near a boundary), every mode, ":ftz", the
   overflow policies, mixed formats both ways. */
static const char * const dbl_formats[] = {
    "binary16", "bfloat16", "e5m2", "e4m3", "binary32-emu",
    "custom:5,-10,8", "custom:25,-200,200", "custom:2,-3,3", "binary16:rz",
    "bfloat16:rd", "e4m3:nan", "e5m2:sat", "e4m3:ru", "e5m2:rd:ftz",
    "binary16:ftz", "bfloat16:ftz:rz", "custom:6,-12,10:ru:ftz",
    "binary16:inf:rd", "e4m3:sat:rd", "binary16:sr", "bfloat16:sr:ftz",
    "e4m3:sr", "mixed:binary16/binary32", "mixed:e4m3/bfloat16:rd",
    "mixed:bfloat16/binary64", "mixed:binary16/binary64",
    "mixed:binary64/binary16", "mixed:bfloat16/binary16:rd", "binary32",
    "binary64", "binary64-emu", "custom:53,-1073,1024", NULL};

/* Replays *net* keeping the trace on the MPFR path, and keeping only the
   gradients, on doubles, on the hardware path and on the MPFR path
   (there every emulated operation goes through the doubles' fallback),
   and checks that the three agree. */
static void
check_doubles(const gc_net_t net, const gc_numfmt_t f, gc_seq_t seq,
              mpfr_srcptr scale, const char * what)
{
    gc_replay_t r, s;
    int hw, st1, st2;

    gc_replay_init(r);
    st1 = _gc_replay_path(r, net, f, seq, scale, 0);
    for (hw = 0; hw <= 1; hw++)
    {
        gc_replay_init(s);
        s->keep = GC_REPLAY_GRADS;
        st2 = _gc_replay_path(s, net, f, seq, scale, hw);
        ck_assert_msg(st1 == st2 && (st1 != GC_SUCCESS || compact_same(r, s)),
                      "%s: %s %s %s%s: the replay on doubles (%s path) "
                      "differs from the MPFR trace, seed=%lu", what, f->name,
                      gc_seq_name(seq), gc_act_name(net->act.kind),
                      scale ? " scaled" : "", hw ? "hardware" : "MPFR",
                      gc_test_seed());
        ck_assert_msg(st2 != GC_SUCCESS || s->gd != NULL,
                      "%s: not on doubles", f->name);
        gc_replay_clear(s);
    }
    gc_replay_clear(r);
}

/* The replays on doubles: the first 7 reference networks, unscaled and
   scaled. */
START_TEST(test_doubles_refnets)
{
    mpfr_t scale;

    mpfr_init2(scale, 53);
    mpfr_set_ui(scale, 1024, MPFR_RNDN);
    refnet_cases(refnet_names[_i], dbl_formats, scale, check_doubles);
    mpfr_clear(scale);
}
END_TEST

/* 1000 random networks of 1..60 layers, a loss scale one time in two. */
START_TEST(test_doubles_random)
{
    random_cases(gc_test_iters(1000), 60, dbl_formats, 2, check_doubles);
}
END_TEST

/* ---- the sweep's kernel (replay_lanes.c) -------------------------------- */

/* round_fmt_d (replay-hw.h) gives _gc_numfmt_round_d's result (value,
   sign of zero, NaN) and flags, in every format that
   _gc_numfmt_hw_ok accepts (the specialised rounding where it applies,
   the general one elsewhere): on the format's boundaries (1, the
   subnormals, the smallest normal, the largest finite number and 2^emax,
   halfway points) and their binary64 neighbours up to 4 ulps away, on
   random binary64 numbers of [2^-1000, 2^1000] and on zeros, infinities
   and NaN, with t = -1, 0, 1 and both signs. */
START_TEST(test_round_fmt)
{
    static const char * const names[] = {
        "binary16", "bfloat16", "e5m2", "e4m3", "e4m3:nan", "e5m2:sat",
        "binary16:sat", "binary32-emu", "custom:5,-10,8", "custom:25,-200,200",
        "custom:2,-3,3", "binary16:rz", "bfloat16:rd", "binary16:ftz",
        "binary32", "binary64"};
    flint_rand_t state;
    gc_numfmt_t f;
    round_fmt_struct rf;
    slong k, i, m, fast = 0;

    gc_test_randinit(state);
    for (k = 0; k < 16; k++)
    {
        double base[12];

        fmt_set(f, names[k]);
        round_fmt_init(&rf, f);
        fast += rf.fast;
        base[0] = 1;
        base[1] = 1 + ldexp(1, -(int) f->prec);
        base[2] = ldexp(1, (int) f->emin - 1);
        base[3] = 1.5 * base[2];
        base[4] = ldexp(1, (int) (f->emin + f->prec - 2));
        base[5] = ldexp(1, (int) f->emax)
                  - ldexp(1, (int) (f->emax - f->prec));
        base[6] = base[5] + ldexp(1, (int) (f->emax - f->prec - 1));
        base[7] = ldexp(1, (int) f->emax);
        base[8] = 0;
        base[9] = INFINITY;
        base[10] = NAN;
        base[11] = 0.5 * base[2];
        for (i = 0; i < 12 + 2000; i++)
        {
            double d0 = i < 12 ? base[i]
                               : ldexp((double) (n_randlimb(state) >> 11),
                                       (int) n_randint(state, 2000) - 1053);
            int s, t;

            if (!(fabs(d0) <= 0x1p1000) && !isinf(d0) && !isnan(d0))
                continue;
            for (m = -4; m <= 4; m++)
                for (s = -1; s <= 1; s += 2)
                    for (t = -1; t <= 1; t++)
                    {
                        double d = s * d0, x, y;
                        int fx, fy, e;

                        for (e = 0; e < FLINT_ABS(m) && isfinite(d); e++)
                            d = nextafter(d, m > 0 ? INFINITY : -INFINITY);
                        if (m != 0 && (!isfinite(d) || d == 0
                                       || fabs(d) < 0x1p-1000))
                            continue;
                        fx = round_fmt_d(&x, d, t, &rf);
                        fy = _gc_numfmt_round_d(&y, d, t, f);
                        ck_assert_msg(fx == fy
                                          && ((x == y
                                               && signbit(x) == signbit(y))
                                              || (isnan(x) && isnan(y))),
                                      "%s: d=%a t=%d: %a flags %d, "
                                      "_gc_numfmt_round_d %a flags %d, "
                                      "seed %lu", f->name, d, t, x, fx, y,
                                      fy, gc_test_seed());
                    }
        }
    }
    ck_assert_int_eq(fast, 11);
    flint_randclear(state);
}
END_TEST

/* The formats of the kernel's test: those it covers, those it does not
   (for _gc_lanes_covers) and binary16 twice (the sweeps' format). */
static const char * const lane_formats[] = {
    "binary64", "binary32", "bfloat16", "binary16", "binary16", "e4m3",
    "e5m2", "binary32-emu", "custom:5,-10,8", "e4m3:nan", "custom:2,-3,3",
    NULL};

/* Sets *d* to a distribution of the kernel's test: N(0, sd) with sd from
   2^-310 (parameters outside the hardware path's range: the lane is
   declined) to 2^40 (overflows), or the constants 0 and 2^-400. */
static void
lane_dist(gc_dist_t d, flint_rand_t state)
{
    static const double sds[] = {0.25, 1, 1, 1, 1, 1, 3, 3, 12, 100, 300,
                                 1000, 0x1p10, 0x1p20, 0x1p40, 0x1p-310};

    switch (n_randint(state, 12))
    {
        case 0:
            gc_dist_set_const(d, 0.0);
            break;
        case 1:
            gc_dist_set_const(d, n_randint(state, 8) ? 0.5 : 0x1p-400);
            break;
        default:
            gc_dist_set_normal(d, 0.0, sds[n_randint(state, 16)]);
    }
}

/* K random chains of L layers replayed by _gc_replay_lanes and one by
   one by gc_replay: every lane the kernel does not decline has
   gc_replay's dC/db_j (bit for bit), their classes and overflow layer
   (and gc_replay's status is GC_SUCCESS there); fewer than half the
   lanes are declined (parameters out of range, and exp(-z) beyond
   binary64's range where |z| > 700: gc_replay's MPFR path), and the
   comparison is not vacuous (overflows, subnormals, zeros and NaN are
   met). */
START_TEST(test_lanes_random)
{
    flint_rand_t state;
    gc_numfmt_t f;
    gc_net_struct nets[GC_LANES_MAX];
    gc_random_t rnd;
    gc_replay_t r;
    slong it, n = gc_test_iters(400), declined = 0, lanes = 0;
    slong seen[GC_CLASS_NAN + 2] = {0};

    gc_test_randinit(state);
    gc_replay_init(r);
    r->keep = GC_REPLAY_GRADS;
    for (it = 0; it < GC_LANES_MAX; it++)
        gc_net_init(nets + it);
    for (it = 0; it < n; it++)
    {
        slong K = 1 + n_randint(state, GC_LANES_MAX), j, k;
        slong L = 1 + n_randint(state, n_randint(state, 4) ? 40 : 300);
        gc_seq_t seq = n_randint(state, 2) ? GC_SEQ_PYTORCH
                                           : GC_SEQ_TEXTBOOK;
        double * w = flint_malloc(K * L * sizeof(double));
        double * b = flint_malloc(K * L * sizeof(double));
        double * scratch = flint_malloc(_gc_lanes_scratch(L, K)
                                        * sizeof(double));
        gc_class_t * cls = flint_malloc(K * L * sizeof(gc_class_t));
        double * db = flint_malloc(K * L * sizeof(double));
        slong ovl[GC_LANES_MAX];
        static const double a0s[] = {1, 1, 0.5, -2, 3, 0, 0.1};
        static const double ys[] = {0, 0, 0.5, 1, 0.3, 0.7};
        double a0 = a0s[n_randint(state, 7)], y = ys[n_randint(state, 6)];
        /* or a random binary64 number in [-4, 4) */
        if (n_randint(state, 2))
            y = ldexp((double) (n_randlimb(state) >> 11), -50) - 4;
        unsigned mask;

        fmt_set(f, lane_formats[n_randint(state, 11)]);
        if (!_gc_lanes_covers(f, seq))
        {
            ck_assert_msg(f->kind == GC_NUMFMT_EMULATED
                              && !_gc_numfmt_hw_ok(f),
                          "%s is not covered", f->name);
            goto next;
        }
        for (k = 0; k < K; k++)
        {
            lane_dist(&rnd->weights, state);
            lane_dist(&rnd->biases, state);
            rnd->fanin = GC_FANIN_NONE;
            rnd->seed = n_randlimb(state);
            gc_net_set_random(nets + k, rnd, L);
            gc_net_materialize(nets + k);
            mpq_set_d(nets[k].a0, a0);
            mpq_set_d(nets[k].y, y);
            for (j = 1; j <= L; j++)
                ck_assert(_gc_net_get_layer_d(w + (j - 1) * K + k,
                                              b + (j - 1) * K + k, nets + k,
                                              j));
        }
        mask = _gc_replay_lanes(cls, ovl, db, w, b, a0, y, L, K, f, seq,
                                scratch);
        for (k = 0; k < K; k++)
        {
            lanes++;
            if ((mask >> k) & 1)
            {
                declined++;
                continue;
            }
            ck_assert_int_eq(gc_replay(r, nets + k, f, seq, NULL),
                             GC_SUCCESS);
            for (j = 0; j < L; j++)
            {
                double x = db[k * L + j], z = r->gd[j];

                seen[cls[k * L + j]]++;
                ck_assert_msg((x == z && signbit(x) == signbit(z))
                                  || (isnan(x) && isnan(z)),
                              "%s %s, L=%ld, lane %ld, network seed %lu: "
                              "dC/db_%ld %a, gc_replay %a, test seed %lu",
                              f->name, gc_seq_name(seq), (long) L, (long) k,
                              nets[k].random.seed, (long) j + 1, x, z,
                              gc_test_seed());
            }
            seen[GC_CLASS_NAN + 1] += ovl[k] != 0;
            ck_assert_msg(memcmp(cls + k * L, r->db_class,
                                 L * sizeof(gc_class_t)) == 0
                              && ovl[k] == r->overflow_layer,
                          "%s %s, L=%ld, lane %ld of %ld, network seed %lu, "
                          "a0=%g y=%g: the kernel (overflow layer %ld) "
                          "differs from gc_replay (%ld), test seed %lu",
                          f->name, gc_seq_name(seq), (long) L, (long) k,
                          (long) K, nets[k].random.seed, a0, y,
                          (long) ovl[k], (long) r->overflow_layer,
                          gc_test_seed());
        }
    next:
        flint_free(w);
        flint_free(b);
        flint_free(scratch);
        flint_free(cls);
        flint_free(db);
    }
    /* (what the test met, at its full count: a fraction of it, as under
       valgrind, may miss a NaN) */
    ck_assert_msg(n < 400 || (declined * 2 < lanes
                              && seen[GC_CLASS_SUBNORMAL] > 0
                              && seen[GC_CLASS_ZERO] > 0
                              && seen[GC_CLASS_NAN] > 0
                              && seen[GC_CLASS_NAN + 1] > 0),
                  "%ld of %ld lanes declined; subnormal %ld, zero %ld, inf "
                  "%ld, nan %ld, overflow layers %ld, seed %lu",
                  (long) declined, (long) lanes,
                  (long) seen[GC_CLASS_SUBNORMAL],
                  (long) seen[GC_CLASS_ZERO], (long) seen[GC_CLASS_INF],
                  (long) seen[GC_CLASS_NAN],
                  (long) seen[GC_CLASS_NAN + 1], gc_test_seed());
    for (it = 0; it < GC_LANES_MAX; it++)
        gc_net_clear(nets + it);
    gc_replay_clear(r);
    flint_randclear(state);
}
END_TEST

static Suite *
gc_emul_suite(void)
{
    Suite * s = suite_create("emul");
    TCase * tc = tcase_create("core");
    TCase * tr = tcase_create("random");

    tcase_add_test(tc, test_emul_round_boundaries);
    tcase_add_test(tc, test_raw_conversions);
    tcase_add_loop_test(tc, test_emul_replay_refnets, 0, 7);
    tcase_add_loop_test(tc, test_compact_refnets, 0,
                        sizeof refnet_names / sizeof refnet_names[0]);
    tcase_add_test(tc, test_compact_bytes);
    tcase_add_loop_test(tc, test_doubles_refnets, 0, 7);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    tcase_add_test(tr, test_emul_round_ops);
    tcase_add_test(tr, test_emul_replay_random);
    tcase_add_test(tr, test_compact_random);
    tcase_add_test(tr, test_doubles_random);
    tcase_add_test(tr, test_lanes_random);
    tcase_add_test(tr, test_round_fmt);
    tcase_set_timeout(tr, 120);
    suite_add_tcase(s, tr);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_emul_suite());
}
