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
   Every value is a number of the formats, held exactly by a double (a
   replay that keeps only the gradients, in formats whose numbers are all
   binary64 numbers) or an mpfr_t (any other): see val_t below; both
   kinds of operation and both holders share one implementation of the
   sequences.

   Hardware emulation.  An emulated format that _gc_numfmt_hw_ok accepts
   (binary16, bfloat16, E5M2, E4M3, binary32-emu and the narrow custom
   formats, in any rounding but the stochastic one) computes +, -, *, /
   and fma in binary64 and rounds once with _gc_numfmt_round_d, which
   needs the binary64 result d and the sign of the exact v - d.  With
   p <= 25, 53 >= 2p + 2, and by Figueroa's theorem (S. A. Figueroa del
   Cid, "When is double rounding innocuous?", SIGNUM Newsletter 30(3),
   1995) d rounded once to nearest would already be the correctly
   rounded result for + - * / sqrt; the directed modes and the exact
   flags need more, so the sign of v - d is computed exactly by
   error-free transformations: TwoSum for + and - (Knuth, exact in
   binary64 whatever the operands), fma(x, y, -d) for * (the product
   error, exact without underflow), fma(-d, y, x) for / (the remainder
   x - d y, exact without underflow when d is x / y rounded to nearest:
   Boldo and Daumas), and for fma(x, y, z) the product x y, exact when
   its fma(x, y, -x y) is zero (always for operands of <= 26 bits; the
   MPFR path otherwise), followed by TwoSum.  The operands are read
   exactly (at most 53 bits) and must lie in [2^-300, 2^300] in
   magnitude (or be zero, infinite or NaN), so that d and the residuals
   stay in binary64's normal range; other operands take the MPFR path.
   Exact zeros: binary64 gives IEEE's signs in rounding to nearest, and
   a rounding down (":rd") turns an exact zero sum into -0 unless both
   terms are +0, as IEEE 754 and MPFR do.  Every format the operation
   rounds to (overflow policy, ":ftz" with DAZ operands, subnormals) is
   handled by _gc_numfmt_round_d, whose flags are _gc_numfmt_round's;
   rounding to nearest without ":ftz", the common case, by round_fmt_d
   (replay-hw.h), the same computation specialised, which the sweep's
   kernel (replay_lanes.c) shares with this file.

   exp, tanh, log1p and erf: the C library's binary64 function, whose
   error the glibc manual ("Errors in Math Functions", x86_64 table:
   exp, log1p and erf 1 ulp, tanh 2 ulp) bounds by a few units in the
   last place, so the exact value lies in [d - |d| 2^-40, d + |d| 2^-40]
   (2^-40 is 2^12 ulps, a wide margin for another C library).  The
   result is taken when both ends of that interval round (in the mode,
   with ":ftz", subnormals and the overflow policy) to the same number
   with the same overflow flag: rounding is monotone, so every value
   between them, the exact one included, rounds there too.  Otherwise
   (the interval straddles a boundary of the format: a midpoint, a
   format number in a directed mode, the overflow or underflow
   threshold) and for |d| outside [2^-1000, 2^1000], the MPFR path
   computes it.  An overflow is the only flag the replay counts for an
   operation, and it is decided exactly either way. */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>
#ifdef GC_HAVE_QUADMATH
#include <quadmath.h>
#endif

#include "gc-impl.h"
#include "numeric/replay-hw.h"

/* 1 if *x* (or NULL) is a valid operand of binary64 emulation (see the
   top of this file). */
static int
hw_operand(mpfr_srcptr x)
{
    return x == NULL || (mpfr_get_prec(x) <= 53
                         && (!mpfr_regular_p(x)
                             || (mpfr_get_exp(x) > -300
                                 && mpfr_get_exp(x) <= 300)));
}

/* _gc_raw_get_d(x) = mpfr_get_d(x, MPFR_RNDN) and _gc_raw_set_d(r, d)
   = mpfr_set_d(r, d, MPFR_RNDN) (gc-impl.h), faster where the conversion is exact and
   one limb of 64 bits holds the significand: there they move the sign,
   exponent and significand between the bits of the double and MPFR's
   custom interface (mpfr_get_d and mpfr_set_d, with their checks of the
   exponent range, cost as much as the arithmetic of a hardware
   emulation; converting the limb as an integer costs a third of that),
   elsewhere they call MPFR.  x = 0.m 2^e of at most 53 bits with e in
   [-1021, 1024] is the normal binary64 number of biased exponent
   e + 1022 and fraction the 52 bits of m after its leading 1; zeros,
   infinities and NaN are mpfr_get_d's.  A normal d of no more
   significant bits than r's precision is exact in r and inside the
   exponent range (the replay's is MPFR's widest, set once by
   GC_SAVE_EXPO): no range to check, no flag to raise. */
double
_gc_raw_get_d(mpfr_srcptr x)
{
    mpfr_int k = mpfr_custom_get_kind(x);
    mpfr_exp_t e;
    uint64_t u;
    double d;

    if (k == MPFR_REGULAR_KIND || k == -MPFR_REGULAR_KIND)
    {
        e = mpfr_custom_get_exp(x);
        if (GMP_NUMB_BITS != 64 || mpfr_get_prec(x) > 53 || e < -1021
            || e > 1024)
            return mpfr_get_d(x, MPFR_RNDN);
        u = ((uint64_t) (k < 0) << 63) | ((uint64_t) (e + 1022) << 52)
            | ((((const mp_limb_t *) mpfr_custom_get_significand(x))[0]
                << 1) >> 12);
        memcpy(&d, &u, sizeof(double));
        return d;
    }
    if (k == MPFR_NAN_KIND)
        return NAN;
    if (k == MPFR_INF_KIND || k == -MPFR_INF_KIND)
        return k < 0 ? -INFINITY : INFINITY;
    return k < 0 ? -0.0 : 0.0;
}

void
_gc_raw_set_d(mpfr_ptr r, double d)
{
    mpfr_prec_t p = mpfr_get_prec(r);
    mp_limb_t * m = mpfr_custom_get_significand(r);
    uint64_t u, limb, ex;
    int neg;

    memcpy(&u, &d, sizeof(double));
    neg = (int) (u >> 63);
    ex = (u >> 52) & 0x7ff;
    if ((u << 1) == 0)
    {
        mpfr_custom_init_set(r, neg ? -MPFR_ZERO_KIND : MPFR_ZERO_KIND, 0,
                             p, m);
        return;
    }
    limb = ((u << 11) | (UWORD(1) << 63));
    if (GMP_NUMB_BITS != 64 || p > 64 || ex == 0 || ex == 0x7ff
        || (p < 64 && (limb << p) != 0))
    {
        mpfr_set_d(r, d, MPFR_RNDN);
        return;
    }
    m[0] = limb;
    mpfr_custom_init_set(r, neg ? -MPFR_REGULAR_KIND : MPFR_REGULAR_KIND,
                         (mpfr_exp_t) ex - 1022, p, m);
}

/* binary32 through binary64: x of at most 53 bits is read exactly, then
   rounded once, as mpfr_get_flt does (_gc_raw_get_d rounds only what is
   far below binary32's subnormals). */
static float
get_flt(mpfr_srcptr x)
{
    return (mpfr_get_prec(x) <= 53) ? (float) _gc_raw_get_d(x)
                                    : mpfr_get_flt(x, MPFR_RNDN);
}

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

NATIVE_OP(long double, op_ld, expl)
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

NATIVE_OP(__float128, op_q, expq)
#endif

GC_NAMES_DEFINE(gc_seq, gc_seq_t, "pytorch", "textbook", "stable")

int
gc_seq_set_str(gc_seq_t * res, const char * str)
{
    int i;

    if (strcmp(str, "framework") == 0) /* the former name of textbook */
        i = GC_SEQ_TEXTBOOK;
    else if (gc_name_lookup(&i, str, gc_seq_table) != GC_SUCCESS)
        return GC_INVALID;
    *res = (gc_seq_t) i;
    return GC_SUCCESS;
}

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
    mpfr_t daz[3];
    mpfr_t arg[3];     /* operands of 53 bits (val_mpfr) */
    sr_struct * sr;
    int hw;            /* computes in binary64 (see the top) */
    int rd;            /* rounds binary64 numbers in binary64 (round_d) */
    double min_normal; /* the format's, for DAZ and classes in binary64 */
    round_fmt_struct rf; /* its rounding in binary64 */
    int native_ov;     /* its hardware type's overflows count (not those
                          inside PyTorch's binary32 activation of a
                          narrower format, whose emulation counts none) */
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

/* *hw*: the replay may compute in binary64 (_gc_replay_path); it then
   also rounds the binary64 numbers of the hardware binary64 and binary32
   in binary64 (round_d), as it does those of the formats it computes in
   binary64: binary32's parameters are binary32-emu's, which
   _gc_numfmt_hw_ok accepts. */
static void
unit_init(unit_struct * u, const gc_numfmt_struct * f, sr_struct * sr,
          int hw)
{
    u->f = f;
    u->sr = sr;
    u->hw = hw && _gc_numfmt_hw_ok(f);
    u->rd = u->hw || (hw && (f->kind == GC_NUMFMT_DOUBLE
                             || f->kind == GC_NUMFMT_FLOAT));
    /* 0 for the formats whose numbers are not all binary64 numbers */
    u->min_normal = min_normal_d(f);
    u->native_ov = 1;
    round_fmt_init(&u->rf, f);
    mpfr_init2(u->tmp, f->prec);
    mpfr_init2(u->wide, f->prec + 64);
    mpfr_inits2(2, u->daz[0], u->daz[1], u->daz[2], (mpfr_ptr) NULL);
    mpfr_inits2(53, u->arg[0], u->arg[1], u->arg[2], (mpfr_ptr) NULL);
}

static void
unit_clear(unit_struct * u)
{
    mpfr_clear(u->tmp);
    mpfr_clear(u->wide);
    mpfr_clears(u->daz[0], u->daz[1], u->daz[2], u->arg[0], u->arg[1],
                u->arg[2], (mpfr_ptr) NULL);
}

/* Sets up the formats of a replay in *fmt*: compute, storage and scale,
   and the stream seeded with fmt->sr_seed. */
static void
ctx_init(ctx_struct * ctx, const gc_numfmt_struct * fmt, int hw)
{
    const gc_numfmt_struct * c = (fmt->compute != NULL) ? fmt->compute : fmt;

    ctx->sr.seed = fmt->sr_seed;
    ctx->sr.pass = GC_SR_PARAMS;
    ctx->sr.layer = 0;
    ctx->sr.index = 0;
    unit_init(&ctx->c, c, &ctx->sr, hw);
    unit_init(&ctx->s, fmt, &ctx->sr, hw);
    unit_init(&ctx->u, gc_numfmt_scale_format(fmt), &ctx->sr, hw);
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

/* The numbers of a replay (the choice of design).  A replay that keeps
   only the gradients in formats whose numbers are all binary64 numbers
   (replay_binary64) holds its values as doubles from start to end: the
   operations read and write doubles, and MPFR, with its thread-local
   state and exponent checks, and the conversions to and from mpfr_t that
   cost more than the arithmetic of the hardware path, serves only the
   operations that the hardware path declines, through the unit's 53-bit
   arg[] and tmp.  Any other replay (x87, binary128, wide custom formats,
   or one that keeps the full trace, whose numbers are mpfr_t) holds
   mpfr_t.  A val_t points to one or the other: the double d or the
   number m, the other NULL (both NULL: no operand, exp's second).  The
   sequences (act_forward, act_backward, cost_grad, _gc_replay_path) are
   written once on val_t; the mode is chosen once per replay by the
   arrays that its values point into.  What that costs the mpfr_t mode is
   one test a value, against a second copy of every sequence, which would
   have to stay bit-identical to the first. */
typedef struct
{
    double * d;
    mpfr_ptr m;
} val_t;

static const val_t val_none = {NULL, NULL};

static inline val_t
val_d(double * d)
{
    val_t v;

    v.d = d;
    v.m = NULL;
    return v;
}

static inline val_t
val_m(mpfr_ptr m)
{
    val_t v;

    v.d = NULL;
    v.m = m;
    return v;
}

/* The element i of the array that *v* starts. */
static inline val_t
val_at(val_t v, slong i)
{
    return (v.d != NULL) ? val_d(v.d + i) : val_m(v.m + i);
}

/* 1 if x (or no operand) is read exactly by val_get and is a valid
   operand of the hardware path. */
static inline int
val_hw(val_t x)
{
    return (x.d != NULL) ? hw_range_d(*x.d) : hw_operand(x.m);
}

/* x as a double (0 for no operand): exact for a double, and for an
   mpfr_t of at most 53 bits in binary64's range; mpfr_get_d(x, MPFR_RNDN)
   otherwise. */
static inline double
val_get(val_t x)
{
    if (x.d != NULL)
        return *x.d;
    return (x.m != NULL) ? _gc_raw_get_d(x.m) : 0;
}

/* x as the native binary32 reads it: rounded to nearest once. */
static inline float
val_flt(val_t x)
{
    if (x.d != NULL)
        return (float) *x.d;
    return (x.m != NULL) ? get_flt(x.m) : 0;
}

/* r = d, exactly when d is a number of r's format. */
static inline void
val_put(val_t r, double d)
{
    if (r.d != NULL)
        *r.d = d;
    else
        _gc_raw_set_d(r.m, d);
}

/* x as an mpfr_t (NULL for no operand): itself, or the double set
   exactly into the 53-bit *arg*. */
static mpfr_srcptr
val_mpfr(val_t x, mpfr_ptr arg)
{
    if (x.d == NULL)
        return x.m;
    mpfr_set_d(arg, *x.d, MPFR_RNDN);
    return arg;
}

/* r = v, a number of one of the replay's formats (exact). */
static void
val_set_mpfr(val_t r, mpfr_srcptr v)
{
    if (r.d != NULL)
        *r.d = mpfr_get_d(v, MPFR_RNDN);
    else
        mpfr_set(r.m, v, MPFR_RNDN);
}

/* r = x, -x, -|x|, +0 (x and r of the same replay). */
static void
val_set(val_t r, val_t x)
{
    if (r.d != NULL)
        *r.d = *x.d;
    else
        mpfr_set(r.m, x.m, MPFR_RNDN);
}

static void
val_neg(val_t r, val_t x)
{
    if (r.d != NULL)
        *r.d = -*x.d;
    else
        mpfr_neg(r.m, x.m, MPFR_RNDN);
}

static void
val_neg_abs(val_t r, val_t x)
{
    if (r.d != NULL)
        *r.d = -fabs(*x.d);
    else
    {
        mpfr_abs(r.m, x.m, MPFR_RNDN);
        mpfr_neg(r.m, r.m, MPFR_RNDN);
    }
}

static void
val_zero(val_t r)
{
    if (r.d != NULL)
        *r.d = 0.0;
    else
        mpfr_set_zero(r.m, 1);
}

/* The sign of x (0 for zeros and NaN, as mpfr_sgn). */
static int
val_sgn(val_t x)
{
    if (x.d != NULL)
        return (*x.d > 0) - (*x.d < 0);
    return mpfr_sgn(x.m);
}

/* 1 if x < y (0 when either is NaN, as mpfr_cmp). */
static int
val_less(val_t x, val_t y)
{
    if (x.d != NULL)
        return *x.d < *y.d;
    return mpfr_cmp(x.m, y.m) < 0;
}

/* 1 if x > n (0 for NaN). */
static int
val_above(val_t x, ulong n)
{
    if (x.d != NULL)
        return *x.d > (double) n;
    return mpfr_cmp_ui(x.m, n) > 0;
}

static int
val_number_p(val_t x)
{
    return (x.d != NULL) ? isfinite(*x.d) : mpfr_number_p(x.m);
}

/* gc_numfmt_classify(x, u->f); in binary64, a subnormal lies below
   u->min_normal. */
static gc_class_t
val_classify(val_t x, const unit_struct * u)
{
    if (x.m != NULL)
        return gc_numfmt_classify(x.m, u->f);
    return class_d(*x.d, u->min_normal);
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

/* Where an emulated operation of the unit computes its result: the mode
   of MPFR's operation (toward zero for a stochastic format) and the
   target (u->wide, p + 64 bits, for a stochastic format; u->tmp). */
static mpfr_ptr
emulated_target(mpfr_rnd_t * rnd, unit_struct * u)
{
    int sr = (u->f->rnd == GC_NUMFMT_RNDSR);

    *rnd = sr ? MPFR_RNDZ : gc_numfmt_mpfr_rnd(u->f);
    return sr ? u->wide : u->tmp;
}

/* Rounds the result v (from emulated_target, ternary value t) of an
   emulated operation to the unit's format and mode, counts an overflow,
   and stores it into r. */
static void
emulated_result(val_t r, mpfr_srcptr v, int t, unit_struct * u,
                ctx_struct * ctx)
{
    int flags;

    if (u->f->rnd == GC_NUMFMT_RNDSR)
        flags = _gc_numfmt_round_sr(u->tmp, v, t, u->f, sr_next(u->sr));
    else
        flags = _gc_numfmt_round(u->tmp, t, u->f);
    if (flags & GC_ROUND_OVERFLOW)
        ctx->overflows++;
    val_set_mpfr(r, u->tmp);
}

/* The operand x as the unit reads it (DAZ under ":ftz"). */
static double
hw_get(double x, const unit_struct * u)
{
    if (u->f->ftz && x != 0 && fabs(x) < u->min_normal)
        x = copysign(0.0, x);
    return x;
}

/* v, given by d and the sign t of v - d, rounded to the unit's format;
   counts an overflow. */
static double
hw_result(double d, int t, unit_struct * u, ctx_struct * ctx)
{
    double x;

    if (round_fmt_d(&x, d, t, &u->rf) & GC_ROUND_OVERFLOW)
        ctx->overflows++;
    return x;
}

/* *r* = the C library's function value d, rounded to the unit's format
   when the error bound decides the rounding (see the top of this file);
   returns 0, doing nothing, when it does not. */
static int
hw_fn_result(double * r, double d, unit_struct * u, ctx_struct * ctx)
{
    int flags = hw_fn_round(r, d, &u->rf);

    if (flags < 0)
        return 0;
    if (flags & GC_ROUND_OVERFLOW)
        ctx->overflows++;
    return 1;
}

/* *r* = x op y (y unused by exp), operands valid for the hardware path
   (val_hw), in binary64 rounded once to the unit's format; returns 0,
   doing nothing, where the MPFR path must compute it (see the top of
   this file). */
static int
hw_op(double * r, op_t op, double x, double y, unit_struct * u,
      ctx_struct * ctx)
{
    double d;
    int t;

    x = hw_get(x, u);
    if (op == OP_EXP)
        return hw_fn_result(r, exp(x), u, ctx);
    t = hw_exact(&d, op, x, hw_get(y, u), u->f->rnd == GC_NUMFMT_RNDD);
    *r = hw_result(d, t, u, ctx);
    return 1;
}

/* The MPFR path of fmt_op and fmt_fn, apart from the hot path of the
   hardware types and the hardware path (fewer registers to save there). */
#if defined(__GNUC__)
#define MPFR_PATH __attribute__((noinline))
#else
#define MPFR_PATH
#endif

/* fmt_op where the hardware types and the hardware path do not serve:
   x87 and binary128 by theirs, the emulated formats in MPFR at the
   format's precision.  A stochastic format computes the result rounded
   toward zero at p + 64 bits, whose ternary value lets
   _gc_numfmt_round_sr round the exact result. */
static MPFR_PATH void
fmt_op_mpfr(val_t r, op_t op, val_t a, val_t b, unit_struct * u,
            ctx_struct * ctx)
{
    mpfr_srcptr x = val_mpfr(a, u->arg[0]), y = val_mpfr(b, u->arg[1]);
    mpfr_rnd_t rnd;
    mpfr_ptr v;
    int t;

    switch (u->f->kind)
    {
#if LDBL_MANT_DIG == 64
        case GC_NUMFMT_LONG_DOUBLE:
        {
            long double p = get_ld(x), q = y ? get_ld(y) : 0,
                        v = op_ld(op, p, q);

            ctx->overflows += u->native_ov && NATIVE_OVERFLOW(op, p, q, v);
            set_ld(r.m, v);
            return;
        }
#endif
#ifdef GC_HAVE_QUADMATH
        case GC_NUMFMT_FLOAT128:
        {
            __float128 p = get_q(x), q = y ? get_q(y) : 0,
                       v = op_q(op, p, q);

            ctx->overflows += u->native_ov && NATIVE_OVERFLOW(op, p, q, v);
            set_q(r.m, v);
            return;
        }
#endif
        default:
            break;
    }
    v = emulated_target(&rnd, u);
    x = unit_operand(u, x, 0);
    y = unit_operand(u, y, 1);
    switch (op)
    {
        case OP_ADD:
            t = mpfr_add(v, x, y, rnd);
            break;
        case OP_SUB:
            t = mpfr_sub(v, x, y, rnd);
            break;
        case OP_MUL:
            t = mpfr_mul(v, x, y, rnd);
            break;
        case OP_DIV:
            t = mpfr_div(v, x, y, rnd);
            break;
        default:
            t = mpfr_exp(v, x, rnd);
    }
    emulated_result(r, v, t, u, ctx);
}

/* r = a op b (b is val_none for exp) in the unit's format, rounded in
   its mode: binary64 and binary32 by the hardware type, the formats of
   _gc_numfmt_hw_ok by the hardware path where it takes the operation,
   others by fmt_op_mpfr. */
static void
fmt_op(val_t r, op_t op, val_t a, val_t b, unit_struct * u,
       ctx_struct * ctx)
{
    double d;

    if (u->f->kind == GC_NUMFMT_DOUBLE)
    {
        double x = val_get(a), y = val_get(b);

        d = op_double(op, x, y);
        ctx->overflows += u->native_ov && NATIVE_OVERFLOW(op, x, y, d);
        val_put(r, d);
    }
    else if (u->f->kind == GC_NUMFMT_FLOAT)
    {
        float x = val_flt(a), y = val_flt(b), v = op_float(op, x, y);

        ctx->overflows += u->native_ov && NATIVE_OVERFLOW(op, x, y, v);
        val_put(r, v);
    }
    else if (u->hw && val_hw(a) && val_hw(b)
             && hw_op(&d, op, val_get(a), val_get(b), u, ctx))
        val_put(r, d);
    else
        fmt_op_mpfr(r, op, a, b, u, ctx);
}

/* x = the binary64 number d, zero or of magnitude in [2^-301, 2^300],
   rounded to the format of a unit that rounds in binary64 (u->rd;
   binary64 keeps d, exactly); returns the GC_ROUND_ flags. */
static int
round_d(val_t x, double d, const unit_struct * u)
{
    int flags;

    val_put(x, round_d_flags(&flags, d, &u->rf));
    return flags;
}

/* Rounds x in place to the unit's format; returns the GC_ROUND_ flags. */
static int
unit_round(val_t x, unit_struct * u)
{
    int flags;

    if (u->rd && val_hw(x))
        return round_d(x, val_get(x), u);
    flags = unit_round_to_tmp(u, val_mpfr(x, u->arg[0]), 0);
    val_set_mpfr(x, u->tmp);
    return flags;
}

/* A stored value of a mixed format: rounded to storage, then loaded back
   into the compute format. */
static void
store(val_t x, ctx_struct * ctx)
{
    if (ctx->mixed)
    {
        if (unit_round(x, &ctx->s) & GC_ROUND_OVERFLOW)
            ctx->overflows++;
        unit_round(x, &ctx->c);
    }
}

/* A parameter: its exact value, the rational *q* or, when q is NULL, the
   binary64 number *d* (a compact or generated network's,
   _gc_net_get_layer_d), rounded to storage (flags returned), then loaded
   into the compute format.  Both give the same bits: the same value is
   rounded once, by the hardware path when it is a binary64 number in its
   range, by MPFR otherwise. */
static int
param_round(val_t x, const __mpq_struct * q, double d, ctx_struct * ctx)
{
    int flags;

    if (ctx->s.rd && (q == NULL || _gc_q_get_d_exact(&d, q))
        && param_hw_range(d))
        flags = round_d(x, d, &ctx->s);
    else
    {
        int sr = (ctx->s.f->rnd == GC_NUMFMT_RNDSR);
        mpfr_ptr v = sr ? ctx->s.wide : ctx->s.tmp;
        mpfr_rnd_t rnd = sr ? MPFR_RNDZ : gc_numfmt_mpfr_rnd(ctx->s.f);
        int t = (q != NULL) ? mpfr_set_q(v, q, rnd) : mpfr_set_d(v, d, rnd);

        flags = sr ? unit_round_to_tmp(&ctx->s, ctx->s.wide, t)
                   : _gc_numfmt_round(ctx->s.tmp, t, ctx->s.f);
        val_set_mpfr(x, ctx->s.tmp);
    }
    if (ctx->mixed)
        unit_round(x, &ctx->c);
    return flags;
}

/* 1 if every number of the storage, compute and scale formats of *fmt*
   is a binary64 number: precision at most 53 bits and exponents inside
   binary64's (emin >= -1073, emax <= 1024). */
static int
replay_binary64(const gc_numfmt_t fmt)
{
    const gc_numfmt_struct * f[3];
    int i;

    f[0] = fmt;
    f[1] = (fmt->compute != NULL) ? fmt->compute : fmt;
    f[2] = gc_numfmt_scale_format(fmt);
    for (i = 0; i < 3; i++)
        if (f[i]->prec > 53 || f[i]->emin < -1073 || f[i]->emax > 1024)
            return 0;
    return 1;
}

static void
replay_free(gc_replay_t r)
{
    if (r->t->len > 0)
        gc_trace_clear(r->t);
    r->t->len = 0;
    if (r->len > 0)
    {
        flint_free(r->db_class);
        flint_free(r->dw_class);
        flint_free(r->scaled_class);
        flint_free(r->w_flags);
        flint_free(r->b_flags);
    }
    flint_free(r->gd);
    flint_free(r->gm);
    r->gd = NULL;
    r->gm = NULL;
    r->len = 0;
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

/* A vector of *len* numbers of *prec* bits in one block (MPFR's custom
   interface: the numbers follow the len mpfr structs), instead of one
   allocation a number; freed by flint_free.  Its numbers are set,
   never resized nor cleared. */
static mpfr_ptr
vec_init(slong len, mpfr_prec_t prec)
{
    size_t size = mpfr_custom_get_size(prec);
    mpfr_ptr v = flint_malloc(_gc_array_bytes(len, sizeof(__mpfr_struct)
                                                       + size, "gc_replay"));
    char * limbs = (char *) (v + len);
    slong i;

    for (i = 0; i < len; i++)
    {
        mpfr_custom_init(limbs + i * size, prec);
        mpfr_custom_init_set(v + i, MPFR_NAN_KIND, 0, prec,
                             limbs + i * size);
    }
    return v;
}

/* Makes the storage of *r* that of a replay of *len* layers at *prec*
   bits keeping r->keep, with the gradients in binary64 when *dbl*;
   reuses what is there when it fits. */
static void
replay_fit(gc_replay_t r, slong len, mpfr_prec_t prec, int dbl)
{
    size_t ncls = _gc_array_bytes(len, sizeof(gc_class_t), "gc_replay");
    size_t nflags = _gc_array_bytes(len, sizeof(int), "gc_replay");
    int grads = (r->keep == GC_REPLAY_GRADS);

    if (r->len == len && r->prec == prec && (r->t->len > 0) == !grads
        && (r->gd != NULL) == (grads && dbl)
        && (r->gm != NULL) == (grads && !dbl))
        return;
    replay_free(r);
    if (!grads)
        gc_trace_init(r->t, len, prec);
    else if (dbl)
        r->gd = flint_malloc(_gc_array_bytes(len, 2 * sizeof(double),
                                             "gc_replay"));
    else
        r->gm = vec_init(2 * len, prec);
    r->len = len;
    r->prec = prec;
    r->db_class = flint_malloc(ncls);
    r->dw_class = flint_malloc(ncls);
    r->scaled_class = flint_malloc(ncls);
    r->w_flags = flint_malloc(nflags);
    r->b_flags = flint_malloc(nflags);
}

/* Counts a parameter whose rounding gave the GC_ROUND_* *flags* in
   n[0] (changed), n[1] (overflowed) and n[2] (underflowed). */
static void
count_flags_in(slong * n, int flags)
{
    n[0] += (flags & GC_ROUND_INEXACT) != 0;
    n[1] += (flags & GC_ROUND_OVERFLOW) != 0;
    n[2] += (flags & GC_ROUND_UNDERFLOW) != 0;
}

static void
count_flags(gc_replay_t r, int flags)
{
    slong n[3] = {0, 0, 0};

    count_flags_in(n, flags);
    r->changed += n[0];
    r->overflowed += n[1];
    r->underflowed += n[2];
}

/* Library functions of one argument (and fma), on top of fmt_op: the C
   library's function of the hardware type, or MPFR's correctly rounded
   one followed by _gc_numfmt_round. */
typedef enum
{
    FN_TANH,
    FN_LOG1P,
    FN_ERF
} fn_t;

static double (* const fn_d[])(double) = {tanh, log1p, erf};
static float (* const fn_f[])(float) = {tanhf, log1pf, erff};
#if LDBL_MANT_DIG == 64
static long double (* const fn_ld[])(long double) = {tanhl, log1pl, erfl};
#endif
#ifdef GC_HAVE_QUADMATH
static __float128 (* const fn_q[])(__float128) = {tanhq, log1pq, erfq};
#endif
static int (* const fn_mpfr[])(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t) =
    {mpfr_tanh, mpfr_log1p, mpfr_erf};

/* fmt_fn on the hardware path (see the top of this file), operands
   valid for it (val_hw): *r* = fn(x), or x y + z when *fma3*; returns 0,
   doing nothing, where the MPFR path must compute it. */
static int
hw_fn(double * r, fn_t fn, double x, double y, double z, int fma3,
      unit_struct * u, ctx_struct * ctx)
{
    double p, d;
    int t;

    x = hw_get(x, u);
    if (!fma3)
        return hw_fn_result(r, fn_d[fn](x), u, ctx);
    y = hw_get(y, u);
    p = x * y;
    if (isfinite(p) && fma(x, y, -p) != 0) /* x y is not exact */
        return 0;
    t = hw_add(&d, p, hw_get(z, u), u->f->rnd == GC_NUMFMT_RNDD);
    *r = hw_result(d, t, u, ctx);
    return 1;
}

/* fmt_fn where the hardware types and the hardware path do not serve
   (fmt_op_mpfr); fma3 as there. */
static MPFR_PATH void
fmt_fn_mpfr(val_t r, fn_t fn, val_t a, val_t b, val_t c, int fma3,
            unit_struct * u, ctx_struct * ctx)
{
    mpfr_srcptr x = val_mpfr(a, u->arg[0]), y = val_mpfr(b, u->arg[1]);
    mpfr_srcptr z = val_mpfr(c, u->arg[2]);
    mpfr_rnd_t rnd;
    mpfr_ptr v;
    int t;

    switch (u->f->kind)
    {
#if LDBL_MANT_DIG == 64
        case GC_NUMFMT_LONG_DOUBLE:
            set_ld(r.m, fma3 ? fmal(get_ld(x), get_ld(y), get_ld(z))
                             : fn_ld[fn](get_ld(x)));
            return;
#endif
#ifdef GC_HAVE_QUADMATH
        case GC_NUMFMT_FLOAT128:
            set_q(r.m, fma3 ? fmaq(get_q(x), get_q(y), get_q(z))
                            : fn_q[fn](get_q(x)));
            return;
#endif
        default:
            break;
    }
    v = emulated_target(&rnd, u);
    x = unit_operand(u, x, 0);
    y = unit_operand(u, y, 1);
    z = unit_operand(u, z, 2);
    t = fma3 ? mpfr_fma(v, x, y, z, rnd) : fn_mpfr[fn](v, x, rnd);
    emulated_result(r, v, t, u, ctx);
}

/* r = fn(a) in the unit's format (b and c val_none), or, when c is an
   operand, r = a * b + c with one rounding (fma; fn is then ignored);
   the paths of fmt_op. */
static void
fmt_fn(val_t r, fn_t fn, val_t a, val_t b, val_t c, unit_struct * u,
       ctx_struct * ctx)
{
    int fma3 = (c.d != NULL || c.m != NULL);
    double d;

    if (u->f->kind == GC_NUMFMT_DOUBLE)
        val_put(r, fma3 ? fma(val_get(a), val_get(b), val_get(c))
                        : fn_d[fn](val_get(a)));
    else if (u->f->kind == GC_NUMFMT_FLOAT)
        val_put(r, fma3 ? fmaf(val_flt(a), val_flt(b), val_flt(c))
                        : fn_f[fn](val_flt(a)));
    else if (u->hw && val_hw(a) && val_hw(b) && val_hw(c)
             && hw_fn(&d, fn, val_get(a), val_get(b), val_get(c), fma3, u,
                      ctx))
        val_put(r, d);
    else
        fmt_fn_mpfr(r, fn, a, b, c, fma3, u, ctx);
}

/* Where an activation is computed.  ar is the unit of its arithmetic, fn
   that of its exp, tanh, log1p and erf (each result rounded to ar when
   they differ); a result is rounded to the compute format when ar is
   another format.  PyTorch on CPU computes bfloat16 (and, in later
   versions, binary16) activations and their backward in binary32 and
   rounds once, except gelu, whose arithmetic is in the format itself
   with its erf and exp in binary32.  Constants: one, half = 1/2, mhalf
   = -1/2, slope (leaky-relu's S), k1 (1/sqrt 2) and k2 (gelu's
   2/sqrt(pi) / sqrt(2) / 2), each in ar; eps (BCELoss's 1e-12), 20
   (softplus's threshold).  t and v are scratch; prec is the precision
   at which the constants are computed before their rounding to ar. */
typedef struct
{
    ctx_struct * ctx;
    unit_struct * ar;
    unit_struct * fn;
    gc_seq_t seq;
    mpfr_prec_t prec;
    val_t t, v, one, half, mhalf, slope, k1, k2, eps;
} act_struct;

#define AOP(r, op, x, y) fmt_op(r, op, x, y, e->ar, e->ctx)

/* r = fn(x) as act_struct says (exp when fn < 0). */
static void
act_fn(val_t r, int fn, val_t x, act_struct * e)
{
    if (fn < 0)
        fmt_op(r, OP_EXP, x, val_none, e->fn, e->ctx);
    else
        fmt_fn(r, (fn_t) fn, x, val_none, val_none, e->fn, e->ctx);
    if (e->fn != e->ar)
        unit_round(r, e->ar);
}

/* A constant given as a binary64 number (as PyTorch's C++ has it),
   rounded to the unit. */
static void
act_const(val_t r, double d, unit_struct * u)
{
    val_put(r, d);
    unit_round(r, u);
}

/* r = *s* rounded to the unit (s is changed). */
static void
act_const_mpfr(val_t r, mpfr_ptr s, unit_struct * u)
{
    unit_round(val_m(s), u);
    val_set_mpfr(r, s);
}

static void
act_setup(act_struct * e, const gc_activation_struct * act, gc_seq_t seq,
          unit_struct * ar, unit_struct * fn)
{
    mpfr_t s;

    e->ar = ar;
    e->fn = fn;
    e->seq = seq;
    act_const(e->one, 1.0, ar);
    act_const(e->half, 0.5, ar);
    act_const(e->mhalf, -0.5, ar);
    act_const(e->eps, 1e-12, ar);
    /* PyTorch's negative_slope is a Python float: S goes through binary64 */
    mpfr_init2(s, (seq == GC_SEQ_PYTORCH) ? 53 : e->prec);
    mpfr_set_q(s, act->slope, MPFR_RNDN);
    act_const_mpfr(e->slope, s, ar);
    if (seq == GC_SEQ_PYTORCH)
    {
        act_const(e->k1, 0.70710678118654752440, ar);
        act_const(e->k2, 1.12837916709551257390 * 0.70710678118654752440
                             * 0.5, ar);
    }
    else
    {
        /* 1/sqrt 2 and 1/sqrt(2 pi), rounded once */
        mpfr_set_ui(s, 2, MPFR_RNDN);
        mpfr_rec_sqrt(s, s, MPFR_RNDN);
        act_const_mpfr(e->k1, s, ar);
        mpfr_const_pi(s, MPFR_RNDN);
        mpfr_mul_2ui(s, s, 1, MPFR_RNDN);
        mpfr_rec_sqrt(s, s, MPFR_RNDN);
        act_const_mpfr(e->k2, s, ar);
    }
    mpfr_clear(s);
}

/* gelu's Phi = (1 + erf(z k1)) / 2, as 0.5 * (1 + erf(z * k1)). */
static void
gelu_cdf(val_t r, val_t z, act_struct * e)
{
    AOP(r, OP_MUL, z, e->k1);
    act_fn(r, FN_ERF, r, e);
    AOP(r, OP_ADD, e->one, r);
    AOP(r, OP_MUL, e->half, r);
}

/* t = exp(-|z|). */
static void
exp_mabs(val_t t, val_t z, act_struct * e)
{
    val_neg_abs(t, z);
    act_fn(t, -1, t, e);
}

/* r = the sigmoid of z: (z >= 0 ? 1 : t) / (1 + t), t = exp(-|z|), for
   the stable sequence, 1 / (1 + exp(-z)) otherwise.  Uses e->t, e->v. */
static void
sigmoid(val_t r, val_t z, act_struct * e)
{
    if (e->seq == GC_SEQ_STABLE)
    {
        exp_mabs(e->t, z, e);
        AOP(e->v, OP_ADD, e->one, e->t);
        AOP(r, OP_DIV, val_sgn(z) < 0 ? e->t : e->one, e->v);
        return;
    }
    val_neg(e->t, z);
    act_fn(e->t, -1, e->t, e);
    AOP(e->t, OP_ADD, e->one, e->t);
    AOP(r, OP_DIV, e->one, e->t);
}

/* a = f(z). */
static void
act_forward(val_t a, val_t z, gc_act_t kind, act_struct * e)
{
    val_t t = e->t;

    switch (kind)
    {
        case GC_ACT_SIGMOID:
            sigmoid(a, z, e);
            break;
        case GC_ACT_TANH:
            act_fn(a, FN_TANH, z, e);
            break;
        case GC_ACT_RELU:
            if (val_sgn(z) > 0)
                val_set(a, z);
            else
                val_zero(a);
            break;
        case GC_ACT_LEAKY_RELU:
            if (val_sgn(z) > 0)
                val_set(a, z);
            else
                AOP(a, OP_MUL, z, e->slope);
            break;
        case GC_ACT_SOFTPLUS:
            if (e->seq == GC_SEQ_PYTORCH && val_above(z, 20))
                val_set(a, z);
            else if (e->seq == GC_SEQ_STABLE)
            {
                /* max(z, 0) + log1p(exp(-|z|)) */
                exp_mabs(t, z, e);
                act_fn(t, FN_LOG1P, t, e);
                if (val_sgn(z) > 0)
                    AOP(a, OP_ADD, z, t);
                else
                    val_set(a, t);
            }
            else
            {
                act_fn(t, -1, z, e);
                act_fn(a, FN_LOG1P, t, e);
            }
            break;
        case GC_ACT_IDENTITY:
            val_set(a, z);
            break;
        case GC_ACT_GELU:
            /* (z * 0.5) * (1 + erf(z * k1)) */
            AOP(t, OP_MUL, z, e->k1);
            act_fn(t, FN_ERF, t, e);
            AOP(t, OP_ADD, e->one, t);
            AOP(e->v, OP_MUL, z, e->half);
            AOP(a, OP_MUL, e->v, t);
            break;
        default:
            gc_throw("gc_replay: bad activation %d", (int) kind);
    }
    if (e->ar->f != e->ctx->c.f)
        unit_round(a, &e->ctx->c);
}

/* PyTorch's backward of f: d = dC/dz from g = dC/da, z and a = f(z)
   (GC_SEQ_PYTORCH); or f'(z) for the other sequences (g unused). */
static void
act_backward(val_t d, val_t g, val_t z, val_t a, gc_act_t kind,
             act_struct * e)
{
    val_t t = e->t, v = e->v;
    int torch = (e->seq == GC_SEQ_PYTORCH);

    switch (kind)
    {
        case GC_ACT_SIGMOID:
            if (torch)
            {
                /* (g * (1 - a)) * a */
                AOP(t, OP_SUB, e->one, a);
                AOP(t, OP_MUL, g, t);
                AOP(d, OP_MUL, t, a);
            }
            else if (e->seq == GC_SEQ_STABLE)
            {
                /* exp(-|z|) / (1 + exp(-|z|))^2 */
                exp_mabs(t, z, e);
                AOP(v, OP_ADD, e->one, t);
                AOP(v, OP_MUL, v, v);
                AOP(d, OP_DIV, t, v);
            }
            else
            {
                AOP(t, OP_SUB, e->one, a);
                AOP(d, OP_MUL, a, t);
            }
            break;
        case GC_ACT_TANH:
            /* PyTorch: g * fma(-a, a, 1) (its kernel is contracted) */
            val_neg(v, a);
            if (torch)
            {
                fmt_fn(t, FN_TANH, v, a, e->one, e->ar, e->ctx);
                AOP(d, OP_MUL, g, t);
            }
            else
            {
                AOP(t, OP_MUL, a, a);
                AOP(d, OP_SUB, e->one, t);
            }
            break;
        case GC_ACT_RELU:
        case GC_ACT_LEAKY_RELU:
            /* relu: threshold_backward on the output, a > 0 ? g : 0;
               leaky-relu: z > 0 ? g : g * S */
            if (val_sgn(kind == GC_ACT_RELU ? a : z) > 0)
                val_set(d, torch ? g : e->one);
            else if (kind == GC_ACT_RELU)
                val_zero(d);
            else if (torch)
                AOP(d, OP_MUL, g, e->slope);
            else
                val_set(d, e->slope);
            break;
        case GC_ACT_SOFTPLUS:
            if (torch)
            {
                /* z > 20 ? g : (g * e) / (e + 1), e = exp(z) */
                if (val_above(z, 20))
                {
                    val_set(d, g);
                    break;
                }
                act_fn(v, -1, z, e);
                AOP(t, OP_MUL, g, v);
                AOP(v, OP_ADD, v, e->one);
                AOP(d, OP_DIV, t, v);
                break;
            }
            /* the sigmoid of z, as that sequence computes it */
            sigmoid(d, z, e);
            break;
        case GC_ACT_IDENTITY:
            val_set(d, torch ? g : e->one);
            break;
        case GC_ACT_GELU:
            /* Phi + z * (k2 * exp((z * z) * -0.5)), times g for PyTorch:
               g * (cdf + z * pdf) */
            AOP(t, OP_MUL, z, z);
            AOP(t, OP_MUL, t, e->mhalf);
            act_fn(t, -1, t, e);
            AOP(t, OP_MUL, e->k2, t);
            AOP(t, OP_MUL, z, t);
            gelu_cdf(v, z, e);
            AOP(d, OP_ADD, v, t);
            if (torch)
                AOP(d, OP_MUL, g, d);
            break;
        default:
            gc_throw("gc_replay: bad activation %d", (int) kind);
    }
    if (e->ar->f != e->ctx->c.f)
        unit_round(d, &e->ctx->c);
}

/* The working precision of a replay in *fmt*: the widest of its storage,
   compute and scale formats. */
static mpfr_prec_t
replay_prec(const gc_numfmt_t fmt)
{
    const gc_numfmt_struct * c = (fmt->compute != NULL) ? fmt->compute : fmt;

    return FLINT_MAX(FLINT_MAX(fmt->prec, c->prec),
                     FLINT_MAX(gc_numfmt_scale_format(fmt)->prec, 24));
}

/* The bytes of a number of a vec_init block at the precision of *fmt*. */
static size_t
vec_bytes(const gc_numfmt_t fmt)
{
    return sizeof(__mpfr_struct) + mpfr_custom_get_size(replay_prec(fmt));
}

/* The per-layer bytes of the classes (db, dw, scaled) and flags (w, b). */
#define REPLAY_CLASS_BYTES (3 * sizeof(gc_class_t) + 2 * sizeof(int))

size_t
gc_replay_bytes(slong len, const gc_numfmt_t fmt)
{
    size_t num = _gc_mpfr_bytes(replay_prec(fmt));

    /* the trace (5 len + 1), the weights w (len), classes and flags */
    return _gc_bytes_estimate(len, 5 * num + vec_bytes(fmt)
                                       + REPLAY_CLASS_BYTES, num);
}

size_t
gc_replay_grads_bytes(slong len, const gc_numfmt_t fmt, int peak)
{
    size_t per = replay_binary64(fmt) ? 2 * sizeof(double)
                                      : 2 * vec_bytes(fmt);

    /* the scratch: a_j (len + 1), w_j and z_j or s'_j (doubles when the
       gradients are: this bound keeps mpfr_t's size, as the CLI's
       memory checks and their tests expect) */
    per += REPLAY_CLASS_BYTES + (peak ? 3 * vec_bytes(fmt) : 0);
    return _gc_bytes_estimate(len, per, vec_bytes(fmt));
}

/* Makes *e* compute the activation *act* (of the layer met next),
   unless it does already. */
static void
act_layer(act_struct * e, const gc_activation_struct ** cur,
          const gc_activation_struct * act, unit_struct * f32)
{
    int narrow = (e->seq == GC_SEQ_PYTORCH
                  && e->ctx->c.f->prec < f32->f->prec);

    if (*cur != NULL && gc_activation_equal(*cur, act))
        return;
    *cur = act;
    act_setup(e, act, e->seq,
              (narrow && act->kind != GC_ACT_GELU) ? f32 : &e->ctx->c,
              narrow ? f32 : &e->ctx->c);
}

/* g = dC/da_L, then (cross-entropy) what multiplies it: PyTorch's
   BCELoss backward (a - y) / max((1 - a) a, 1e-12); the textbook and
   stable sequences skip the sigmoid's s'_L instead (see gc_replay). */
static void
cost_grad(val_t g, val_t aL, gc_cost_t cost, act_struct * e)
{
    if (cost == GC_COST_GIVEN)
        return;
    fmt_op(g, OP_SUB, aL, g, &e->ctx->c, e->ctx);
    if (cost != GC_COST_CROSS_ENTROPY || e->seq != GC_SEQ_PYTORCH)
        return;
    AOP(e->t, OP_SUB, e->one, aL);
    AOP(e->t, OP_MUL, e->t, aL);
    if (val_less(e->t, e->eps))
        val_set(e->t, e->eps);
    AOP(g, OP_DIV, g, e->t);
    if (e->ar->f != e->ctx->c.f)
        unit_round(g, &e->ctx->c);
}

/* The state of a replay, of a chain (_gc_replay_path) or of a wide
   network (gc_wreplay): the formats (ctx), the activation's unit (e) and
   binary32's (f32), the activation in use, and the single numbers: e's
   nine, the loss scale su in the scale format, and up to three of the
   caller's (x). */
#define RUN_NUMS 13

typedef struct
{
    ctx_struct ctx;
    act_struct e;
    unit_struct f32;
    gc_numfmt_t f32fmt;
    const gc_activation_struct * cur;
    val_t su;
    mpfr_t nm[RUN_NUMS];
    double nd[RUN_NUMS];
    int nx;
    int dbl;
} run_struct;

/* Sets up *run* for a replay in *fmt* with *seq*, values of *prec* bits
   (as doubles when *dbl*), the hardware path as *hardware* says, and
   points the caller's *nx* <= 3 single numbers x[0..nx) into it. */
static void
run_init(run_struct * run, val_t ** x, int nx, const gc_numfmt_t fmt,
         gc_seq_t seq, mpfr_prec_t prec, int dbl, int hardware)
{
    act_struct * e = &run->e;
    val_t * nums[RUN_NUMS];
    gc_parse_error_t err;
    int i;

    if (gc_numfmt_set_str(run->f32fmt, "binary32", err) != GC_SUCCESS)
        gc_throw("gc_replay: no binary32");
    ctx_init(&run->ctx, fmt, hardware);
    unit_init(&run->f32, run->f32fmt, &run->ctx.sr, hardware);
    run->f32.native_ov = 0;
    run->cur = NULL;
    run->dbl = dbl;
    e->ctx = &run->ctx;
    e->seq = seq;
    e->prec = FLINT_MAX(prec, 53);
    nums[0] = &e->t, nums[1] = &e->v, nums[2] = &e->one, nums[3] = &e->half;
    nums[4] = &e->mhalf, nums[5] = &e->slope, nums[6] = &e->k1;
    nums[7] = &e->k2, nums[8] = &e->eps, nums[9] = &run->su;
    for (i = 0; i < nx; i++)
        nums[10 + i] = x[i];
    for (i = 0; i < 10 + nx; i++)
    {
        if (!dbl)
            mpfr_init2(run->nm[i], e->prec);
        *nums[i] = dbl ? val_d(run->nd + i) : val_m(run->nm[i]);
    }
    run->nx = nx;
}

static void
run_clear(run_struct * run)
{
    int i;

    for (i = 0; i < 10 + run->nx && !run->dbl; i++)
        mpfr_clear(run->nm[i]);
    ctx_clear(&run->ctx);
    unit_clear(&run->f32);
}

/* Makes run->e compute the activation *act*, unless it does already. */
static void
run_act(run_struct * run, const gc_activation_struct * act)
{
    act_layer(&run->e, &run->cur, act, &run->f32);
}

/* su = the loss scale *scale* rounded to the scale format. */
static void
run_scale(run_struct * run, mpfr_srcptr scale)
{
    mpfr_t sc;

    mpfr_init2(sc, run->e.prec);
    mpfr_set(sc, scale, MPFR_RNDN);
    act_const_mpfr(run->su, sc, &run->ctx.u);
    mpfr_clear(sc);
}

/* g = g * su in the scale format, then rounded to the compute format
   (an overflow there counts). */
static void
scale_grad(val_t g, run_struct * run)
{
    fmt_op(g, OP_MUL, g, run->su, &run->ctx.u, &run->ctx);
    if (unit_round(g, &run->ctx.c) & GC_ROUND_OVERFLOW)
        run->ctx.overflows++;
}

/* r = x / su in the scale format (an unscaled gradient). */
static void
unscale(val_t r, val_t x, run_struct * run)
{
    fmt_op(r, OP_DIV, x, run->su, &run->ctx.u, &run->ctx);
}

/* r = x_1 y_1 + ... + x_n y_n in the compute format, left to right:
   r = x_1 * y_1, then r = r + (x_m * y_m) for m = 2..n (each product and
   each sum rounded, no fma); x_m = x[(m - 1) xs], y_m = y[(m - 1) ys].
   The products go through e.v (r must be another number). */
static void
dot(val_t r, val_t x, slong xs, val_t y, slong ys, slong n,
    run_struct * run)
{
    gc_numfmt_kind_t kind = run->ctx.c.f->kind;
    slong m;

    /* binary64 and binary32 on doubles: fmt_op's operations of the C
       type, one after the other (gc-impl.h: no fma), without its
       dispatch; a sum that ends infinite or NaN is done again by fmt_op,
       which counts the operations that overflowed (an infinity or NaN
       stays one, so a finite sum had none) */
    if (r.d != NULL && x.d != NULL && y.d != NULL
        && kind == GC_NUMFMT_DOUBLE)
    {
        double t = x.d[0] * y.d[0];

        for (m = 1; m < n; m++)
            t = t + x.d[m * xs] * y.d[m * ys];
        *r.d = t;
        if (isfinite(t))
            return;
    }
    else if (r.d != NULL && x.d != NULL && y.d != NULL
             && kind == GC_NUMFMT_FLOAT)
    {
        float t = (float) x.d[0] * (float) y.d[0];

        for (m = 1; m < n; m++)
            t = t + (float) x.d[m * xs] * (float) y.d[m * ys];
        *r.d = t;
        if (isfinite(t))
            return;
    }
    fmt_op(r, OP_MUL, x, y, &run->ctx.c, &run->ctx);
    for (m = 1; m < n; m++)
    {
        fmt_op(run->e.v, OP_MUL, val_at(x, m * xs), val_at(y, m * ys),
               &run->ctx.c, &run->ctx);
        fmt_op(r, OP_ADD, r, run->e.v, &run->ctx.c, &run->ctx);
    }
}

/* The forward step of one neuron from t = (W a)_i (in e.t) and its bias
   *b*: z = t + b, a = f(z) (stored) and, unless *skip_sp*, s' (the
   pytorch sequence: its backward of g = 1, which PyTorch does not
   compute: shown in the trace, its overflows are not counted), stored. */
static void
neuron_forward(val_t z, val_t a, val_t sp, val_t b, int skip_sp,
               run_struct * run)
{
    act_struct * e = &run->e;
    slong overflows;

    fmt_op(z, OP_ADD, e->t, b, &run->ctx.c, &run->ctx);
    act_forward(a, z, run->cur->kind, e);
    store(a, &run->ctx);
    if (!skip_sp)
    {
        overflows = run->ctx.overflows;
        act_backward(sp, e->one, z, a, run->cur->kind, e);
        store(sp, &run->ctx);
        if (e->seq == GC_SEQ_PYTORCH)
            run->ctx.overflows = overflows;
    }
}

/* delta = the sequence's backward of g (dC/da) at a neuron of forward
   values z, a and s'; *last*: of the output layer, *ce*: the textbook
   cross-entropy simplification delta_L = g there.  Stored. */
static void
neuron_delta(val_t delta, val_t g, val_t z, val_t a, val_t sp, int last,
             int ce, run_struct * run)
{
    if (run->e.seq == GC_SEQ_PYTORCH)
        act_backward(delta, g, z, a, run->cur->kind, &run->e);
    else if (last)
        fmt_op(delta, OP_MUL, sp, g, &run->ctx.c, &run->ctx);
    else
        fmt_op(delta, OP_MUL, g, sp, &run->ctx.c, &run->ctx);
    if (last && ce)
        val_set(delta, g);
    store(delta, &run->ctx);
}

int
gc_replay(gc_replay_t r, const gc_net_t net, const gc_numfmt_t fmt,
          gc_seq_t seq, mpfr_srcptr scale)
{
    return _gc_replay_path(r, net, fmt, seq, scale, 1);
}

/* Stores dC/db_j and dC/dw_j, the numbers *db* and *dw*, into the
   gradients that a GC_REPLAY_GRADS replay *r* keeps. */
static void
keep_grads(gc_replay_t r, slong j, val_t db, val_t dw)
{
    if (r->gd != NULL)
    {
        /* the replay's doubles (_gc_replay_path) */
        r->gd[j - 1] = *db.d;
        r->gd[r->len + j - 1] = *dw.d;
    }
    else
    {
        mpfr_set(r->gm + j - 1, db.m, MPFR_RNDN);
        mpfr_set(r->gm + r->len + j - 1, dw.m, MPFR_RNDN);
    }
}

/* _gc_mpfr_vec_check_range for the *n* binary64 numbers d[0..n): every
   one fits a caller's range that holds binary64's exponents. */
static int
check_range_d(double * d, slong n, const gc_expo_struct * expo)
{
    mpfr_t x;
    slong i;
    int status = GC_SUCCESS;

    if (expo->emin <= -1073 && expo->emax >= 1024)
        return GC_SUCCESS;
    mpfr_init2(x, 53);
    for (i = 0; i < n; i++)
    {
        mpfr_set_d(x, d[i], MPFR_RNDN);
        status |= _gc_mpfr_vec_check_range(x, 1, expo, MPFR_RNDN);
        d[i] = mpfr_get_d(x, MPFR_RNDN);
    }
    mpfr_clear(x);
    return status;
}

int
_gc_replay_path(gc_replay_t r, const gc_net_t net, const gc_numfmt_t fmt,
                gc_seq_t seq, mpfr_srcptr scale, int hardware)
{
    run_struct run;
    ctx_struct * ctx = &run.ctx;
    gc_trace_struct * tr = r->t;
    mpfr_prec_t prec;
    void * block;
    val_t base, w, zv, av, spv, dbv, dwv, g, delta, bj;
    val_t * xs[3];
    mpq_t wq, bq;
    slong j, len = net->len, zs = 1, ss = 1, gs = 1;
    gc_expo_struct expo;
    int status, ce, dbl, grads = (r->keep == GC_REPLAY_GRADS);
    /* s'_j, which the pytorch sequence's backward pass does not read,
       may be left out when it is not kept and computing it changes
       nothing else: its overflows are not counted (neuron_forward), a
       hardware format has no random stream (an emulated one may, and a
       mixed one stores it) */
    int skip_sp = (grads && seq == GC_SEQ_PYTORCH
                   && fmt->kind != GC_NUMFMT_EMULATED && fmt->compute == NULL);

    if (len < 1)
        gc_throw("gc_replay: empty network");
    if (gc_engine_check(GC_ENGINE_REPLAY, net) != GC_SUCCESS)
        return GC_UNABLE;
    if (scale != NULL && gc_loss_scale_check(fmt, scale) != GC_SUCCESS)
        return GC_INVALID;
    GC_SAVE_EXPO(expo);

    prec = replay_prec(fmt);
    replay_fit(r, len, prec, replay_binary64(fmt));
    /* doubles (val_t) when the gradients are kept as doubles */
    dbl = (r->gd != NULL);
    if (grads)
    {
        /* the scratch: a_0..a_L, the backward pass's z_j (pytorch) or
           s'_j, then single numbers for the other one, db_j and dw_j,
           then w_1..w_L (len fits: replay_fit checked it) */
        if (dbl)
            base = val_d(block = flint_malloc(_gc_array_bytes(
                             3 * len + 4, sizeof(double), "gc_replay")));
        else
            base = val_m(block = vec_init(3 * len + 4, prec));
        av = base;
        zv = spv = val_at(base, len + 1);
        if (seq == GC_SEQ_PYTORCH)
            spv = val_at(base, 2 * len + 1), ss = 0;
        else
            zv = val_at(base, 2 * len + 1), zs = 0;
        dbv = val_at(base, 2 * len + 2);
        dwv = val_at(base, 2 * len + 3);
        w = val_at(base, 2 * len + 4);
        gs = 0;
    }
    else
    {
        zv = val_m(tr->z);
        av = val_m(tr->a);
        spv = val_m(tr->sp);
        dbv = val_m(tr->db);
        dwv = val_m(tr->dw);
        w = val_m(block = vec_init(len, prec));
    }
    xs[0] = &g, xs[1] = &delta, xs[2] = &bj;
    run_init(&run, xs, 3, fmt, seq, prec, dbl, hardware);
    r->changed = r->overflowed = r->underflowed = 0;
    r->scaled = (scale != NULL);
    r->scale_overflow = 0;
    r->overflow_layer = 0;
    r->value_format = r->scaled ? gc_numfmt_scale_format(fmt) : fmt;
    ce = (net->cost == GC_COST_CROSS_ENTROPY && seq != GC_SEQ_PYTORCH);
    mpq_init(wq);
    mpq_init(bq);

    sr_at(ctx, GC_SR_PARAMS, 0);
    r->a0_flags = param_round(av, net->a0, 0, ctx);
    r->y_flags = param_round(g, net->cost == GC_COST_GIVEN ? net->dc_da
                                                           : net->y,
                             0, ctx);
    count_flags(r, r->a0_flags);
    count_flags(r, r->y_flags);

    /* forward: w_j and b_j rounded from the exact rationals (positions
       of the stream of their own, so rounding them here is rounding them
       first), z_j = w_j a_{j-1} + b_j, a_j = f(z_j), s'_j (PyTorch: its
       backward of g = 1) */
    for (j = 1; j <= len; j++)
    {
        val_t wj = val_at(w, j - 1);
        double dw = 0, db = 0;
        int d = _gc_net_get_layer_d(&dw, &db, net, j); /* else rationals */

        if (!d)
            gc_net_get_layer_q(wq, bq, net, j);
        sr_at(ctx, GC_SR_PARAMS, j);
        r->w_flags[j - 1] = param_round(wj, d ? NULL : wq, dw, ctx);
        r->b_flags[j - 1] = param_round(bj, d ? NULL : bq, db, ctx);
        count_flags(r, r->w_flags[j - 1]);
        count_flags(r, r->b_flags[j - 1]);
        sr_at(ctx, GC_SR_FORWARD, j);
        run_act(&run, gc_net_get_act(net, j));
        dot(run.e.t, wj, 1, val_at(av, j - 1), 1, 1, &run);
        neuron_forward(val_at(zv, zs * (j - 1)), val_at(av, j),
                       val_at(spv, ss * (j - 1)), bj, skip_sp, &run);
    }

    /* g = dC/da_L (PyTorch: through BCELoss's backward), scaled in the
       scale format */
    sr_at(ctx, GC_SR_BACKWARD, 0);
    cost_grad(g, val_at(av, len), net->cost, &run.e);
    if (r->scaled)
    {
        run_scale(&run, scale);
        scale_grad(g, &run);
    }

    for (j = len; j >= 1; j--)
    {
        val_t db = val_at(dbv, gs * (j - 1)), dw = val_at(dwv, gs * (j - 1));

        sr_at(ctx, GC_SR_BACKWARD, j);
        run_act(&run, gc_net_get_act(net, j));
        if (j < len)
            dot(g, delta, 1, val_at(w, j), 1, 1, &run);
        neuron_delta(delta, g, val_at(zv, zs * (j - 1)), val_at(av, j),
                     val_at(spv, ss * (j - 1)), j == len, ce, &run);
        fmt_op(dw, OP_MUL, val_at(av, j - 1), delta, &ctx->c, ctx);
        store(dw, ctx);
        val_set(db, delta);
        if (r->scaled)
        {
            r->scaled_class[j - 1] = val_classify(delta, &ctx->s);
            if (r->scale_overflow == 0
                && (!val_number_p(delta) || !val_number_p(dw)))
                r->scale_overflow = j;
            unscale(db, delta, &run);
            unscale(dw, dw, &run);
        }
        r->db_class[j - 1] = val_classify(db, r->scaled ? &ctx->u : &ctx->s);
        r->dw_class[j - 1] = val_classify(dw, r->scaled ? &ctx->u : &ctx->s);
        if (grads)
            keep_grads(r, j, db, dw);
        if (r->overflow_layer == 0 && ctx->overflows > 0)
            r->overflow_layer = j;
    }
    gc_death_scan(&r->death, r->db_class, len);
    r->overflows = ctx->overflows;

    flint_free(block);
    mpq_clear(wq);
    mpq_clear(bq);
    run_clear(&run);
    /* the trace is one block of 5 len + 1 numbers from tr->z on */
    if (!grads)
        status = _gc_mpfr_vec_check_range(tr->z, 5 * len + 1, &expo,
                                          MPFR_RNDN);
    else if (r->gm != NULL)
        status = _gc_mpfr_vec_check_range(r->gm, 2 * len, &expo, MPFR_RNDN);
    else
        status = check_range_d(r->gd, 2 * len, &expo);
    GC_RESTORE_EXPO(expo);
    return status;
}

/* dC/db_j (k = 0) or dC/dw_j (k = 1) of *r* into *res*. */
static int
replay_get(mpfr_t res, const gc_replay_t r, slong j, int k)
{
    GC_CHECK_LAYER(k ? "gc_replay_get_dw" : "gc_replay_get_db", j, r->len);
    if (r->gd != NULL)
        return mpfr_set_d(res, r->gd[k * r->len + j - 1], MPFR_RNDN);
    if (r->gm != NULL)
        return mpfr_set(res, r->gm + k * r->len + j - 1, MPFR_RNDN);
    return mpfr_set(res, (k ? r->t->dw : r->t->db) + j - 1, MPFR_RNDN);
}

int
gc_replay_get_db(mpfr_t res, const gc_replay_t r, slong j)
{
    return replay_get(res, r, j, 0);
}

int
gc_replay_get_dw(mpfr_t res, const gc_replay_t r, slong j)
{
    return replay_get(res, r, j, 1);
}

slong
gc_replay_first_param(const gc_replay_t r, int flag)
{
    slong j;

    for (j = 0; j < r->len; j++)
        if ((r->w_flags[j] | r->b_flags[j]) & flag)
            return j + 1;
    return 0;
}

/* ---- replays of wide networks (gradchain/wide.h) ---- */

static void
wreplay_free(gc_wreplay_t r)
{
    flint_free(r->width);
    flint_free(r->noff);
    flint_free(r->gd);
    flint_free(r->gm);
    flint_free(r->db_class);
    flint_free(r->scaled_class);
    memset(r, 0, sizeof(gc_wreplay_struct));
}

void
gc_wreplay_init(gc_wreplay_t r)
{
    memset(r, 0, sizeof(gc_wreplay_struct));
}

void
gc_wreplay_clear(gc_wreplay_t r)
{
    wreplay_free(r);
}

/* Makes the storage of *r* that of a replay of *net* at *prec* bits,
   the gradients as doubles when *dbl*; reuses what is there when the
   widths are the same. */
static void
wreplay_fit(gc_wreplay_t r, const gc_wnet_t net, mpfr_prec_t prec, int dbl)
{
    slong len = net->len, n = net->noff[len];
    size_t ws = _gc_array_bytes(len + 1, sizeof(slong), "gc_wreplay");
    size_t ncls = _gc_array_bytes(n, sizeof(gc_class_t), "gc_wreplay");

    if (r->len == len && r->width != NULL && r->prec == prec
        && (r->gd != NULL) == dbl && memcmp(r->width, net->width, ws) == 0)
        return;
    wreplay_free(r);
    r->width = flint_malloc(ws);
    r->noff = flint_malloc(ws);
    memcpy(r->width, net->width, ws);
    memcpy(r->noff, net->noff, ws);
    if (dbl)
        r->gd = flint_malloc(_gc_array_bytes(n, sizeof(double),
                                             "gc_wreplay"));
    else
        r->gm = vec_init(n, prec);
    r->db_class = flint_malloc(ncls);
    r->scaled_class = flint_malloc(ncls);
    r->len = len;
    r->prec = prec;
}

/* a + b for a, b >= 0, WORD_MAX when it exceeds it. */
static slong
add_sat(slong a, slong b)
{
    return (a > WORD_MAX - b) ? WORD_MAX : a + b;
}

/* The numbers of gc_wreplay's scratch: the rounded parameters, a0 and
   every a^l_i, every z^l_i (pytorch) or s'^l_i, the n_L gradients g of
   the output, delta of two layers and one neuron's dW^l_{ik}, each of
   *maxw* numbers, the widest layer's n_l (n_0 included); WORD_MAX when
   that exceeds it. */
static slong
wreplay_scratch(slong * maxw, const gc_wnet_t net)
{
    slong l, len = net->len, m = 0;
    slong n = add_sat(net->off[len], net->width[0]);

    for (l = 0; l <= len; l++)
        m = FLINT_MAX(m, net->width[l]);
    *maxw = m;
    n = add_sat(n, net->noff[len]);
    n = add_sat(n, net->noff[len]);
    n = add_sat(n, net->width[len]);
    n = add_sat(n, m);
    n = add_sat(n, m);
    return add_sat(n, m);
}

/* x = the parameter of index *idx* of *net* rounded as param_round does;
   returns the GC_ROUND_* flags. */
static int
wparam_round(val_t x, const gc_wnet_t net, slong idx, ctx_struct * ctx)
{
    ulong u = net->wb[idx];
    double d;

    if ((u & GC_NET_CQ_TAG) == GC_NET_CQ_TAG)
        return param_round(x, net->cq + (u & ~GC_NET_CQ_TAG), 0, ctx);
    memcpy(&d, &u, sizeof d);
    return param_round(x, NULL, d, ctx);
}

/* The replay of gradchain/wide.h, in the order written there.  The
   chain's operations are shared (dot, neuron_forward, neuron_delta,
   cost_grad, scale_grad, unscale), so that widths 1 are gc_replay. */
/* The largest finite |x_k|, k < n (0 if none). */
static double
finite_max_abs(val_t x, slong n)
{
    double m = 0, d;
    slong k;

    for (k = 0; k < n; k++)
    {
        d = fabs(val_get(val_at(x, k)));
        if (d > m && isfinite(d))
            m = d;
    }
    return m;
}

/* 1 if a product a_k delta of binary64 or binary32 *fmt* overflows for
   some a_k of largest finite magnitude *amax*: exactly when amax |delta|
   does, rounding being monotonic (an infinite or NaN operand makes no
   overflow). */
static int
dw_may_overflow(double amax, val_t delta, const gc_numfmt_struct * fmt)
{
    double d = fabs(val_get(delta));

    if (fmt->kind == GC_NUMFMT_FLOAT)
    {
        float p = (float) amax * (float) d;

        return NATIVE_OVERFLOW(OP_MUL, (float) amax, (float) d, p);
    }
    return NATIVE_OVERFLOW(OP_MUL, amax, d, amax * d);
}

int
gc_wreplay(gc_wreplay_t r, const gc_wnet_t net, const gc_numfmt_t fmt,
           gc_seq_t seq, mpfr_srcptr scale)
{
    run_struct run;
    ctx_struct * ctx = &run.ctx;
    slong len = net->len, n0 = net->width[0], nl, N, l, i, k, idx, maxw;
    slong zs = (seq == GC_SEQ_PYTORCH), ss = !zs, counts[3] = {0, 0, 0};
    val_t base, W, A, zv, spv, gL, dcur, dnext, dws, out, g, other;
    val_t * xs[2];
    void * block;
    mpfr_prec_t prec;
    gc_expo_struct expo;
    double amax;
    int status, ce, dbl;
    /* s'^l_i (unread by the pytorch sequence, its overflows not counted)
       and dW^l_{ik} (never kept) change nothing observable in a hardware
       format without loss scaling, which has no random stream, but for
       dW's overflows: binary64 and binary32 compute a row of dW only
       where one of its products overflows (dw_may_overflow) */
    int hwfmt = (fmt->kind != GC_NUMFMT_EMULATED && fmt->compute == NULL);
    int skip_sp = (hwfmt && seq == GC_SEQ_PYTORCH);
    int skip_dw = (scale == NULL && fmt->compute == NULL
                   && (fmt->kind == GC_NUMFMT_DOUBLE
                       || fmt->kind == GC_NUMFMT_FLOAT));

    if (len < 1)
        gc_throw("gc_wreplay: empty network");
    if (net->cost == GC_COST_CROSS_ENTROPY
        && net->act[len - 1].kind != GC_ACT_SIGMOID)
        return GC_UNABLE;
    if (scale != NULL && gc_loss_scale_check(fmt, scale) != GC_SUCCESS)
        return GC_INVALID;
    GC_SAVE_EXPO(expo);

    N = net->noff[len];
    prec = replay_prec(fmt);
    dbl = replay_binary64(fmt);
    wreplay_fit(r, net, prec, dbl);
    k = wreplay_scratch(&maxw, net);
    if (dbl)
    {
        base = val_d(block = flint_malloc(_gc_array_bytes(
                         k, sizeof(double), "gc_wreplay")));
        out = val_d(r->gd);
    }
    else
    {
        base = val_m(block = vec_init(k, prec));
        out = val_m(r->gm);
    }
    /* the scratch, in the order of wreplay_scratch */
    W = base;
    A = val_at(W, net->off[len]);
    zv = spv = val_at(A, n0 + N);
    gL = val_at(zv, N);
    dnext = val_at(gL, net->width[len]);
    dcur = val_at(dnext, maxw);
    dws = val_at(dcur, maxw);
    xs[0] = &g, xs[1] = &other;
    run_init(&run, xs, 2, fmt, seq, prec, dbl, 1);
    if (zs)
        spv = other;
    else
        zv = other;
    r->scaled = (scale != NULL);
    r->scale_overflow = 0;
    r->overflow_layer = 0;
    r->value_format = r->scaled ? gc_numfmt_scale_format(fmt) : fmt;
    ce = (net->cost == GC_COST_CROSS_ENTROPY && seq != GC_SEQ_PYTORCH);

    sr_at(ctx, GC_SR_PARAMS, 0);
    for (k = 0; k < n0; k++)
        count_flags_in(counts, param_round(val_at(A, k), net->a0 + k, 0, ctx));
    for (i = 0; i < net->width[len]; i++)
        count_flags_in(counts, param_round(val_at(gL, i), net->y + i, 0, ctx));

    /* forward; a^{l-1} starts at A + ap, a^l at A + n0 + noff[l-1] */
    for (l = 1; l <= len; l++)
    {
        slong n = net->width[l - 1], ap = (l == 1) ? 0 : n0 + net->noff[l - 2];

        sr_at(ctx, GC_SR_PARAMS, l);
        for (idx = net->off[l - 1]; idx < net->off[l]; idx++)
            count_flags_in(counts, wparam_round(val_at(W, idx), net, idx, ctx));
        sr_at(ctx, GC_SR_FORWARD, l);
        run_act(&run, net->act + l - 1);
        for (i = 0; i < net->width[l]; i++)
        {
            val_t row = val_at(W, net->off[l - 1] + i * (n + 1));
            slong ni = net->noff[l - 1] + i;

            dot(run.e.t, row, 1, val_at(A, ap), 1, n, &run);
            neuron_forward(val_at(zv, zs * ni), val_at(A, n0 + ni),
                           val_at(spv, ss * ni), val_at(row, n), skip_sp,
                           &run);
        }
    }

    /* g = dC/da^L, then S in the scale format and each g_i scaled */
    nl = net->width[len];
    sr_at(ctx, GC_SR_BACKWARD, 0);
    for (i = 0; i < nl; i++)
        cost_grad(val_at(gL, i), val_at(A, n0 + net->noff[len - 1] + i),
                  net->cost, &run.e);
    if (r->scaled)
    {
        run_scale(&run, scale);
        for (i = 0; i < nl; i++)
            scale_grad(val_at(gL, i), &run);
    }

    for (l = len; l >= 1; l--)
    {
        slong n = net->width[l - 1], ap = (l == 1) ? 0 : n0 + net->noff[l - 2];
        val_t swap;

        sr_at(ctx, GC_SR_BACKWARD, l);
        run_act(&run, net->act + l - 1);
        amax = skip_dw ? finite_max_abs(val_at(A, ap), n) : 0;
        for (i = 0; i < net->width[l]; i++)
        {
            slong ni = net->noff[l - 1] + i;
            val_t delta = val_at(dcur, i), db = val_at(out, ni);
            int nonfinite = 0;

            /* g_i = sum_m delta^{l+1}_m W^{l+1}_{mi} */
            if (l < len)
                dot(g, dnext, 1, val_at(W, net->off[l] + i), net->width[l] + 1,
                    net->width[l + 1], &run);
            neuron_delta(delta, (l < len) ? g : val_at(gL, i),
                         val_at(zv, zs * ni), val_at(A, n0 + ni),
                         val_at(spv, ss * ni), l == len, ce, &run);
            for (k = 0; k < n && (!skip_dw || dw_may_overflow(amax, delta,
                                                              fmt)); k++)
            {
                fmt_op(val_at(dws, k), OP_MUL, val_at(A, ap + k), delta,
                       &ctx->c, ctx);
                store(val_at(dws, k), ctx);
                nonfinite |= !val_number_p(val_at(dws, k));
            }
            val_set(db, delta);
            if (r->scaled)
            {
                r->scaled_class[ni] = val_classify(delta, &ctx->s);
                if (r->scale_overflow == 0
                    && (!val_number_p(delta) || nonfinite))
                    r->scale_overflow = l;
                unscale(db, delta, &run);
                for (k = 0; k < n; k++)
                    unscale(val_at(dws, k), val_at(dws, k), &run);
            }
            r->db_class[ni] = val_classify(db, r->scaled ? &ctx->u : &ctx->s);
        }
        if (r->overflow_layer == 0 && ctx->overflows > 0)
            r->overflow_layer = l;
        swap = dcur, dcur = dnext, dnext = swap;
    }
    r->changed = counts[0];
    r->overflowed = counts[1];
    r->underflowed = counts[2];
    r->overflows = ctx->overflows;

    flint_free(block);
    run_clear(&run);
    if (r->gm != NULL)
        status = _gc_mpfr_vec_check_range(r->gm, N, &expo, MPFR_RNDN);
    else
        status = check_range_d(r->gd, N, &expo);
    GC_RESTORE_EXPO(expo);
    return status;
}

/* Checks 1 <= l <= r->len and 1 <= i <= n_l (gc_throw naming *fn*);
   returns the index of neuron i of layer l. */
static slong
wreplay_index(const gc_wreplay_t r, slong l, slong i, const char * fn)
{
    GC_CHECK_LAYER(fn, l, r->len);
    if (i < 1 || i > r->width[l])
        gc_throw("%s: neuron %ld out of range 1..%ld", fn, (long) i,
                 (long) r->width[l]);
    return r->noff[l - 1] + i - 1;
}

/* x = dC/db of the neuron of index *ni*, rounded to nearest; returns
   the ternary value. */
static int
wreplay_get(mpfr_t x, const gc_wreplay_t r, slong ni)
{
    if (r->gd != NULL)
        return mpfr_set_d(x, r->gd[ni], MPFR_RNDN);
    return mpfr_set(x, r->gm + ni, MPFR_RNDN);
}

int
gc_wreplay_get_db(mpfr_t res, const gc_wreplay_t r, slong l, slong i)
{
    return wreplay_get(res, r, wreplay_index(r, l, i, "gc_wreplay_get_db"));
}

slong
gc_wreplay_first_layer(const gc_wreplay_t r, gc_class_t c, int every)
{
    const gc_class_t * cls = (r->scaled && c == GC_CLASS_SUBNORMAL)
                             ? r->scaled_class : r->db_class;
    slong l, i;

    for (l = r->len; l >= 1; l--)
    {
        slong hits = 0;

        for (i = 0; i < r->width[l]; i++)
        {
            gc_class_t k = cls[r->noff[l - 1] + i];

            hits += (k == c || (c == GC_CLASS_INF && k == GC_CLASS_NAN));
        }
        if (every ? hits == r->width[l] : hits > 0)
            return l;
    }
    return 0;
}

/* res = sqrt(s) for the sum s of the *n* exact squares sq[0..n), rounded
   to nearest (MPFR's range wide); returns the ternary value.  The sum is
   enclosed by mpfr_sum rounded down and up at q bits, q doubling until
   both ends' square roots round to the same number or the sum is exact:
   rounding is monotone, so that number is sqrt(s) rounded, with one
   rounding.  A sum that is not exact lies strictly between two adjacent
   numbers of q >= 2 prec(res) + 2 bits, which res^2 (2 prec(res) bits)
   is not: comparing res^2 with the lower end gives the ternary value. */
static int
sqrt_sum(mpfr_t res, mpfr_ptr * sq, slong n)
{
    mpfr_prec_t q = 2 * mpfr_get_prec(res) + 2;
    mpfr_t lo, hi, x;
    int t;

    mpfr_init2(x, mpfr_get_prec(res));
    for (;; q *= 2)
    {
        mpfr_inits2(q, lo, hi, (mpfr_ptr) NULL);
        t = mpfr_sum(lo, sq, n, MPFR_RNDD);
        mpfr_sum(hi, sq, n, MPFR_RNDU);
        mpfr_sqrt(x, hi, MPFR_RNDN);
        if (t == 0)
            t = mpfr_sqrt(res, lo, MPFR_RNDN);
        else if (mpfr_sqrt(res, lo, MPFR_RNDN), mpfr_equal_p(res, x))
        {
            mpfr_set_prec(x, 2 * mpfr_get_prec(res));
            mpfr_sqr(x, res, MPFR_RNDN);
            t = (mpfr_cmp(x, lo) <= 0) ? -1 : 1;
        }
        else
        {
            mpfr_clears(lo, hi, (mpfr_ptr) NULL);
            continue;
        }
        mpfr_clears(lo, hi, x, (mpfr_ptr) NULL);
        return t;
    }
}

int
gc_wreplay_norm(mpfr_t res, const gc_wreplay_t r, slong l)
{
    slong n, i, ni = wreplay_index(r, l, 1, "gc_wreplay_norm");
    mpfr_prec_t p = (r->gd != NULL) ? 53 : r->prec;
    mpfr_ptr v;
    mpfr_ptr * sq;
    mpfr_flags_t flags;
    gc_expo_struct expo;
    int t = 0, nan = 0, inf = 0;

    n = r->width[l];
    GC_SAVE_EXPO(expo);
    v = vec_init(n, 2 * p);
    sq = flint_malloc(_gc_array_bytes(n, sizeof(mpfr_ptr), "gc_wreplay_norm"));
    for (i = 0; i < n; i++)
    {
        wreplay_get(v + i, r, ni + i);
        nan |= mpfr_nan_p(v + i);
        inf |= mpfr_inf_p(v + i);
        mpfr_sqr(v + i, v + i, MPFR_RNDN); /* exact at 2 p bits */
        sq[i] = v + i;
    }
    if (nan)
        mpfr_set_nan(res);
    else if (inf)
        mpfr_set_inf(res, 1);
    else
        t = sqrt_sum(res, sq, n);
    flint_free(sq);
    flint_free(v);
    GC_RESTORE_EXPO(expo);
    /* into the caller's range, as mpfr_check_range, its flags kept */
    flags = mpfr_flags_save();
    t = mpfr_check_range(res, t, MPFR_RNDN);
    mpfr_flags_restore(flags, MPFR_FLAGS_ALL);
    return t;
}

size_t
gc_wreplay_bytes(const gc_wnet_t net, const gc_numfmt_t fmt, int peak)
{
    size_t num = replay_binary64(fmt) ? sizeof(double) : vec_bytes(fmt);
    slong maxw, n = net->noff[net->len];

    /* kept: dC/db and two classes a neuron, the widths and offsets;
       peak: the scratch, and the run's numbers and units (a few dozen
       numbers of p + 64 bits) */
    if (peak)
        n = add_sat(n, wreplay_scratch(&maxw, net));
    return _gc_bytes_estimate(n, num + 2 * sizeof(gc_class_t),
                              2 * (net->len + 1) * sizeof(slong)
                              + (peak ? 64 * vec_bytes(fmt) + 64 * 24 : 0));
}
