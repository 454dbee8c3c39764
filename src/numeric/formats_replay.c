/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* formats_replay.c -- replay of a network in a number format: the
   operation sequences of gradchain/formats.h, each operation either
   emulated (MPFR at the format's precision, then _gc_numfmt_round) or
   done by the hardware type (double, float, long double, __float128).
   Every value lives in an mpfr_t that holds the format number exactly, so
   both kinds share one implementation of the sequences. */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>
#ifdef GC_HAVE_QUADMATH
#include <quadmath.h>
#endif

#include "gc-impl.h"

#include <flint/mpfr_vec.h>

typedef enum
{
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_EXP
} op_t;

/* One operation of the native type T on exact conversions of a and b (b
   unused by exp); the result, exact in T, is stored back into r. */
#define NATIVE_OP(T, fn, get, set, expfn)                                \
    static void fn(mpfr_ptr r, op_t op, mpfr_srcptr a, mpfr_srcptr b)    \
    {                                                                       \
        T x = get(a), y = (op == OP_EXP) ? x : get(b), v;                \
                                                                            \
        switch (op)                                                         \
        {                                                                   \
            case OP_ADD:                                                 \
                v = x + y;                                                  \
                break;                                                      \
            case OP_SUB:                                                 \
                v = x - y;                                                  \
                break;                                                      \
            case OP_MUL:                                                 \
                v = x * y;                                                  \
                break;                                                      \
            case OP_DIV:                                                 \
                v = x / y;                                                  \
                break;                                                      \
            default:                                                        \
                v = expfn(x);                                               \
        }                                                                   \
        set(r, v);                                                          \
    }

static double
get_d(mpfr_srcptr x)
{
    return mpfr_get_d(x, MPFR_RNDN);
}

static void
set_d(mpfr_ptr r, double v)
{
    mpfr_set_d(r, v, MPFR_RNDN);
}

static float
get_flt(mpfr_srcptr x)
{
    return mpfr_get_flt(x, MPFR_RNDN);
}

static void
set_flt(mpfr_ptr r, float v)
{
    mpfr_set_flt(r, v, MPFR_RNDN);
}

NATIVE_OP(double, op_double, get_d, set_d, exp)
NATIVE_OP(float, op_float, get_flt, set_flt, expf)

#if LDBL_MANT_DIG == 64
static long double
get_ld(mpfr_srcptr x)
{
    return mpfr_get_ld(x, MPFR_RNDN);
}

static void
set_ld(mpfr_ptr r, long double v)
{
    mpfr_set_ld(r, v, MPFR_RNDN);
}

NATIVE_OP(long double, op_ld, get_ld, set_ld, expl)
#endif

#ifdef GC_HAVE_QUADMATH
/* Exact conversions between mpfr_t and __float128 (the MPFR build may
   lack mpfr_get_float128): through the 113-bit integer significand. */
static __float128
get_q(mpfr_srcptr x)
{
    __float128 v;
    mpz_t m;
    mpfr_exp_t e;
    ulong lo, hi;
    flint_bitcnt_t tz;

    if (mpfr_nan_p(x))
        return nanq("");
    if (mpfr_inf_p(x))
        return mpfr_sgn(x) > 0 ? HUGE_VALQ : -HUGE_VALQ;
    if (mpfr_zero_p(x))
        return mpfr_signbit(x) ? -0.0Q : 0.0Q;
    mpz_init(m);
    e = mpfr_get_z_2exp(m, x);
    tz = mpz_scan1(m, 0);
    mpz_tdiv_q_2exp(m, m, tz);
    e += tz;
    lo = mpz_getlimbn(m, 0);
    hi = (mpz_size(m) > 1) ? mpz_getlimbn(m, 1) : 0;
    v = (__float128) hi * 18446744073709551616.0Q + (__float128) lo;
    v = scalbnq(v, (int) e);
    if (mpz_sgn(m) < 0)
        v = -v;
    mpz_clear(m);
    return v;
}

static void
set_q(mpfr_ptr r, __float128 v)
{
    mpz_t m;
    unsigned __int128 u;
    int e;
    ulong w[2];

    if (isnanq(v))
    {
        mpfr_set_nan(r);
        return;
    }
    if (isinfq(v))
    {
        mpfr_set_inf(r, v > 0 ? 1 : -1);
        return;
    }
    if (v == 0)
    {
        mpfr_set_zero(r, signbitq(v) ? -1 : 1);
        return;
    }
    u = (unsigned __int128) ldexpq(fabsq(frexpq(v, &e)), 113);
    w[0] = (ulong) u;
    w[1] = (ulong) (u >> 64);
    mpz_init(m);
    mpz_import(m, 2, -1, sizeof(ulong), 0, 0, w);
    mpfr_set_z_2exp(r, m, e - 113, MPFR_RNDN);
    if (v < 0)
        mpfr_neg(r, r, MPFR_RNDN);
    mpz_clear(m);
}

NATIVE_OP(__float128, op_q, get_q, set_q, expq)
#endif

/* The position in the stochastic-rounding stream (gradchain/formats.h):
   the pass and layer, and the index of the next stochastic rounding
   there. */
typedef struct
{
    ulong seed;
    int pass;
    slong layer;
    slong index;
} sr_struct;

/* A format in use: its descriptor, a scratch number at its precision, a
   wider one (p + 64 bits) for the results that a stochastic format
   rounds, two zeros for the subnormal operands that ":ftz" reads as
   zero, and the stream that a stochastic format draws from. */
typedef struct
{
    const gc_numfmt_struct * f;
    mpfr_t tmp;
    mpfr_t wide;
    mpfr_t daz[2];
    sr_struct * sr;
} unit_struct;

typedef struct
{
    unit_struct c; /* compute */
    unit_struct s; /* storage (== compute unless mixed) */
    unit_struct u; /* scale format */
    int mixed;
    slong overflows;
    sr_struct sr;
} ctx_struct;

static void
unit_init(unit_struct * u, const gc_numfmt_struct * f, sr_struct * sr)
{
    u->f = f;
    u->sr = sr;
    mpfr_init2(u->tmp, f->prec);
    mpfr_init2(u->wide, f->prec + 64);
    mpfr_init2(u->daz[0], 2);
    mpfr_init2(u->daz[1], 2);
}

static void
unit_clear(unit_struct * u)
{
    mpfr_clear(u->tmp);
    mpfr_clear(u->wide);
    mpfr_clear(u->daz[0]);
    mpfr_clear(u->daz[1]);
}

/* Sets up the formats of a replay in *fmt*: compute, storage and scale,
   and the stream seeded with fmt->sr_seed. */
static void
ctx_init(ctx_struct * ctx, const gc_numfmt_struct * fmt)
{
    const gc_numfmt_struct * c = (fmt->compute != NULL) ? fmt->compute : fmt;

    ctx->sr.seed = fmt->sr_seed;
    ctx->sr.pass = GC_SR_PARAMS;
    ctx->sr.layer = 0;
    ctx->sr.index = 0;
    unit_init(&ctx->c, c, &ctx->sr);
    unit_init(&ctx->s, fmt, &ctx->sr);
    unit_init(&ctx->u, gc_numfmt_scale_format(fmt), &ctx->sr);
    ctx->mixed = (fmt->compute != NULL);
    ctx->overflows = 0;
}

static void
ctx_clear(ctx_struct * ctx)
{
    unit_clear(&ctx->c);
    unit_clear(&ctx->s);
    unit_clear(&ctx->u);
}

/* Moves the stream to layer j of pass *pass* (GC_SR_*), index 0. */
static void
sr_at(ctx_struct * ctx, int pass, slong j)
{
    ctx->sr.pass = pass;
    ctx->sr.layer = j;
    ctx->sr.index = 0;
}

/* The random word of the next stochastic rounding at the position. */
static ulong
sr_next(sr_struct * sr)
{
    return gc_numfmt_sr_word(sr->seed, sr->pass, sr->layer, sr->index++);
}

/* Rounds *x*, the exact value (t = 0) or its rounding toward zero at
   p + 64 bits with ternary value t, into u->tmp, in the unit's format
   and mode; returns the GC_ROUND_ flags. */
static int
unit_round_to_tmp(unit_struct * u, mpfr_srcptr x, int t)
{
    if (u->f->rnd == GC_NUMFMT_RNDSR)
        return _gc_numfmt_round_sr(u->tmp, x, t, u->f, sr_next(u->sr));
    t = mpfr_set(u->tmp, x, gc_numfmt_mpfr_rnd(u->f));
    return _gc_numfmt_round(u->tmp, t, u->f);
}

/* The operand *a* as the unit reads it: a subnormal of an ":ftz" format
   is a zero of its sign (DAZ). */
static mpfr_srcptr
unit_operand(unit_struct * u, mpfr_srcptr a, int k)
{
    if (a == NULL || !u->f->ftz || !mpfr_regular_p(a)
        || gc_numfmt_classify(a, u->f) != GC_CLASS_SUBNORMAL)
        return a;
    mpfr_set_zero(u->daz[k], mpfr_signbit(a) ? -1 : 1);
    return u->daz[k];
}

/* r = a op b in the unit's format, rounded in its mode.  A stochastic
   format computes the result rounded toward zero at p + 64 bits, whose
   ternary value lets _gc_numfmt_round_sr round the exact result. */
static void
fmt_op(mpfr_ptr r, op_t op, mpfr_srcptr a, mpfr_srcptr b, unit_struct * u,
       ctx_struct * ctx)
{
    int sr = (u->f->rnd == GC_NUMFMT_RNDSR);
    mpfr_rnd_t rnd = sr ? MPFR_RNDZ : gc_numfmt_mpfr_rnd(u->f);
    mpfr_ptr v = sr ? u->wide : u->tmp;
    int t, flags;

    switch (u->f->kind)
    {
        case GC_NUMFMT_DOUBLE:
            op_double(r, op, a, b);
            return;
        case GC_NUMFMT_FLOAT:
            op_float(r, op, a, b);
            return;
#if LDBL_MANT_DIG == 64
        case GC_NUMFMT_LONG_DOUBLE:
            op_ld(r, op, a, b);
            return;
#endif
#ifdef GC_HAVE_QUADMATH
        case GC_NUMFMT_FLOAT128:
            op_q(r, op, a, b);
            return;
#endif
        default:
            break;
    }
    a = unit_operand(u, a, 0);
    b = unit_operand(u, b, 1);
    switch (op)
    {
        case OP_ADD:
            t = mpfr_add(v, a, b, rnd);
            break;
        case OP_SUB:
            t = mpfr_sub(v, a, b, rnd);
            break;
        case OP_MUL:
            t = mpfr_mul(v, a, b, rnd);
            break;
        case OP_DIV:
            t = mpfr_div(v, a, b, rnd);
            break;
        default:
            t = mpfr_exp(v, a, rnd);
    }
    if (sr)
        flags = _gc_numfmt_round_sr(u->tmp, v, t, u->f, sr_next(u->sr));
    else
        flags = _gc_numfmt_round(u->tmp, t, u->f);
    if (flags & GC_ROUND_OVERFLOW)
        ctx->overflows++;
    mpfr_set(r, u->tmp, MPFR_RNDN);
}

/* Rounds x in place to the unit's format; returns the GC_ROUND_ flags. */
static int
unit_round(mpfr_ptr x, unit_struct * u)
{
    int flags = unit_round_to_tmp(u, x, 0);

    mpfr_set(x, u->tmp, MPFR_RNDN);
    return flags;
}

/* A stored value of a mixed format: rounded to storage, then loaded back
   into the compute format. */
static void
store(mpfr_ptr x, ctx_struct * ctx)
{
    if (ctx->mixed)
    {
        if (unit_round(x, &ctx->s) & GC_ROUND_OVERFLOW)
            ctx->overflows++;
        unit_round(x, &ctx->c);
    }
}

/* A parameter: the exact rational q rounded to storage (flags returned),
   then loaded into the compute format. */
static int
param_round(mpfr_ptr x, const mpq_t q, ctx_struct * ctx)
{
    int flags;

    if (ctx->s.f->rnd == GC_NUMFMT_RNDSR)
        flags = unit_round_to_tmp(&ctx->s, ctx->s.wide,
                                  mpfr_set_q(ctx->s.wide, q, MPFR_RNDZ));
    else
        flags = _gc_numfmt_round(ctx->s.tmp,
                                 mpfr_set_q(ctx->s.tmp, q,
                                            gc_numfmt_mpfr_rnd(ctx->s.f)),
                                 ctx->s.f);
    mpfr_set(x, ctx->s.tmp, MPFR_RNDN);
    if (ctx->mixed)
        unit_round(x, &ctx->c);
    return flags;
}

static void
replay_free(gc_replay_t r)
{
    gc_trace_struct * t = r->t;

    if (t->len > 0)
    {
        gc_trace_clear(t);
        flint_free(r->db_class);
        flint_free(r->dw_class);
        flint_free(r->scaled_class);
        flint_free(r->w_flags);
        flint_free(r->b_flags);
    }
}

void
gc_replay_init(gc_replay_t r)
{
    memset(r, 0, sizeof(gc_replay_struct));
}

void
gc_replay_clear(gc_replay_t r)
{
    replay_free(r);
}

static void
replay_fit(gc_replay_t r, slong len, mpfr_prec_t prec)
{
    size_t ncls = _gc_array_bytes(len, sizeof(gc_class_t), "gc_replay");
    size_t nflags = _gc_array_bytes(len, sizeof(int), "gc_replay");

    if (r->t->len == len && r->t->prec == prec)
        return;
    replay_free(r);
    gc_trace_init(r->t, len, prec);
    r->db_class = flint_malloc(ncls);
    r->dw_class = flint_malloc(ncls);
    r->scaled_class = flint_malloc(ncls);
    r->w_flags = flint_malloc(nflags);
    r->b_flags = flint_malloc(nflags);
}

static void
count_flags(gc_replay_t r, int flags)
{
    r->changed += (flags & GC_ROUND_INEXACT) != 0;
    r->overflowed += (flags & GC_ROUND_OVERFLOW) != 0;
    r->underflowed += (flags & GC_ROUND_UNDERFLOW) != 0;
}

/* The forward pass of layer j (the sequence of gradchain/formats.h). */
static void
forward(gc_trace_t tr, slong j, mpfr_srcptr w, mpfr_srcptr b,
           gc_seq_t seq, mpfr_ptr t, mpfr_ptr d, mpfr_srcptr one,
           ctx_struct * ctx)
{
    mpfr_ptr z = tr->z + j - 1, a = tr->a + j, sp = tr->sp + j - 1;

    fmt_op(t, OP_MUL, w, tr->a + j - 1, &ctx->c, ctx);
    fmt_op(z, OP_ADD, t, b, &ctx->c, ctx);
    if (seq == GC_SEQ_FRAMEWORK)
    {
        mpfr_neg(t, z, MPFR_RNDN);
        fmt_op(t, OP_EXP, t, NULL, &ctx->c, ctx);
        fmt_op(d, OP_ADD, one, t, &ctx->c, ctx);
        fmt_op(a, OP_DIV, one, d, &ctx->c, ctx);
        store(a, ctx);
        fmt_op(t, OP_SUB, one, a, &ctx->c, ctx);
        fmt_op(sp, OP_MUL, a, t, &ctx->c, ctx);
    }
    else
    {
        mpfr_abs(t, z, MPFR_RNDN);
        mpfr_neg(t, t, MPFR_RNDN);
        fmt_op(t, OP_EXP, t, NULL, &ctx->c, ctx);
        fmt_op(d, OP_ADD, one, t, &ctx->c, ctx);
        fmt_op(a, OP_DIV, mpfr_sgn(z) < 0 ? t : one, d, &ctx->c, ctx);
        store(a, ctx);
        fmt_op(d, OP_MUL, d, d, &ctx->c, ctx);
        fmt_op(sp, OP_DIV, t, d, &ctx->c, ctx);
    }
    store(sp, ctx);
}

/* The working precision of a replay in *fmt*: the widest of its storage,
   compute and scale formats. */
static mpfr_prec_t
replay_prec(const gc_numfmt_t fmt)
{
    const gc_numfmt_struct * c = (fmt->compute != NULL) ? fmt->compute : fmt;

    return FLINT_MAX(FLINT_MAX(fmt->prec, c->prec),
                     gc_numfmt_scale_format(fmt)->prec);
}

size_t
gc_replay_bytes(slong len, const gc_numfmt_t fmt)
{
    size_t num = _gc_mpfr_bytes(replay_prec(fmt));

    /* the trace (5 len + 1), w and b (2 len), 3 classes and 2 flags */
    return _gc_bytes_estimate(len, 7 * num + 3 * sizeof(gc_class_t)
                                       + 2 * sizeof(int), num);
}

int
gc_replay(gc_replay_t r, const gc_net_t net, const gc_numfmt_t fmt,
          gc_seq_t seq, mpfr_srcptr scale)
{
    ctx_struct ctx;
    gc_trace_struct * tr = r->t;
    const gc_numfmt_struct * uf = gc_numfmt_scale_format(fmt);
    mpfr_prec_t prec;
    mpfr_ptr w, b;
    mpfr_t one, t, d, g, delta, su;
    mpq_t wq, bq;
    slong j, len = net->len;
    gc_expo_struct expo;
    int status;

    if (len < 1)
        gc_throw("gc_replay: empty network");
    if (gc_engine_check(GC_ENGINE_REPLAY, net) != GC_SUCCESS)
        return GC_UNABLE;
    if (scale != NULL && gc_loss_scale_check(fmt, scale) != GC_SUCCESS)
        return GC_INVALID;
    GC_SAVE_EXPO(expo);

    prec = replay_prec(fmt);
    replay_fit(r, len, prec);
    ctx_init(&ctx, fmt);
    r->changed = r->overflowed = r->underflowed = 0;
    r->scaled = (scale != NULL);
    r->scale_overflow = 0;
    r->value_format = r->scaled ? uf : fmt;

    mpfr_inits2(prec, one, t, d, g, delta, su, (mpfr_ptr) NULL);
    mpq_init(wq);
    mpq_init(bq);
    w = _mpfr_vec_init(len, prec); /* len fits: replay_fit checked it */
    b = _mpfr_vec_init(len, prec);
    mpfr_set_ui(one, 1, MPFR_RNDN);

    /* the parameters, rounded from the exact rationals */
    for (j = 1; j <= len; j++)
    {
        gc_net_get_layer_q(wq, bq, net, j);
        sr_at(&ctx, GC_SR_PARAMS, j);
        r->w_flags[j - 1] = param_round(w + j - 1, wq, &ctx);
        r->b_flags[j - 1] = param_round(b + j - 1, bq, &ctx);
        count_flags(r, r->w_flags[j - 1]);
        count_flags(r, r->b_flags[j - 1]);
    }
    sr_at(&ctx, GC_SR_PARAMS, 0);
    r->a0_flags = param_round(tr->a, net->a0, &ctx);
    r->y_flags = param_round(g, net->cost == GC_COST_GIVEN ? net->dc_da
                                                           : net->y,
                             &ctx);
    count_flags(r, r->a0_flags);
    count_flags(r, r->y_flags);

    for (j = 1; j <= len; j++)
    {
        sr_at(&ctx, GC_SR_FORWARD, j);
        forward(tr, j, w + j - 1, b + j - 1, seq, t, d, one, &ctx);
    }

    /* g = dC/da_L, scaled in the scale format */
    sr_at(&ctx, GC_SR_BACKWARD, 0);
    if (net->cost != GC_COST_GIVEN)
        fmt_op(g, OP_SUB, tr->a + len, g, &ctx.c, &ctx);
    if (r->scaled)
    {
        mpfr_set(su, scale, MPFR_RNDN);
        unit_round(su, &ctx.u);
        fmt_op(g, OP_MUL, g, su, &ctx.u, &ctx);
        if (unit_round(g, &ctx.c) & GC_ROUND_OVERFLOW)
            ctx.overflows++;
    }

    for (j = len; j >= 1; j--)
    {
        mpfr_ptr db = tr->db + j - 1, dw = tr->dw + j - 1;

        sr_at(&ctx, GC_SR_BACKWARD, j);
        if (j == len)
            fmt_op(delta, OP_MUL, tr->sp + len - 1, g, &ctx.c, &ctx);
        else
        {
            fmt_op(delta, OP_MUL, delta, w + j, &ctx.c, &ctx);
            fmt_op(delta, OP_MUL, delta, tr->sp + j - 1, &ctx.c, &ctx);
        }
        store(delta, &ctx);
        fmt_op(dw, OP_MUL, tr->a + j - 1, delta, &ctx.c, &ctx);
        store(dw, &ctx);
        mpfr_set(db, delta, MPFR_RNDN);
        if (r->scaled)
        {
            r->scaled_class[j - 1] = gc_numfmt_classify(delta, fmt);
            if (r->scale_overflow == 0
                && (!mpfr_number_p(delta) || !mpfr_number_p(dw)))
                r->scale_overflow = j;
            fmt_op(db, OP_DIV, delta, su, &ctx.u, &ctx);
            fmt_op(dw, OP_DIV, dw, su, &ctx.u, &ctx);
        }
        r->db_class[j - 1] = gc_numfmt_classify(db, r->value_format);
        r->dw_class[j - 1] = gc_numfmt_classify(dw, r->value_format);
    }
    gc_death_scan(&r->death, r->db_class, len);
    r->overflows = ctx.overflows;

    _mpfr_vec_clear(w, len);
    _mpfr_vec_clear(b, len);
    mpq_clear(wq);
    mpq_clear(bq);
    mpfr_clears(one, t, d, g, delta, su, (mpfr_ptr) NULL);
    ctx_clear(&ctx);
    /* the trace is one block of 5 len + 1 numbers from tr->z on */
    status = _gc_mpfr_vec_check_range(tr->z, 5 * len + 1, &expo, MPFR_RNDN);
    GC_RESTORE_EXPO(expo);
    return status;
}

slong
gc_replay_first_param(const gc_replay_t r, int flag)
{
    slong j;

    for (j = 0; j < r->t->len; j++)
        if ((r->w_flags[j] | r->b_flags[j]) & flag)
            return j + 1;
    return 0;
}
