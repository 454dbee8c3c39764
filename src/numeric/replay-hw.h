/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* replay-hw.h -- the operations of a replay on binary64 numbers that
   the generic replay (formats_replay.c) and the sweep's lanes kernel
   (replay_lanes.c) share, so that both compute every operation with the
   same code: the hardware types' operations (op_double, op_float: the
   exp/expf choice), the exact sign of a binary64 result's error for the
   hardware emulation (hw_exact), the decision of a C library function's
   rounding (hw_fn_round) and the class of a binary64 number.  The
   argument of each is at the top of formats_replay.c.  Private to the
   library. */

#ifndef GC_REPLAY_HW_H
#define GC_REPLAY_HW_H

#include <math.h>
#include <string.h>

#include "gc-impl.h"

typedef enum
{
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_EXP
} op_t;

/* One operation of the native type T (y unused by exp). */
#define NATIVE_OP(T, fn, expfn)                                             \
    static inline T fn(op_t op, T x, T y)                                   \
    {                                                                       \
        switch (op)                                                         \
        {                                                                   \
            case OP_ADD:                                                    \
                return x + y;                                               \
            case OP_SUB:                                                    \
                return x - y;                                               \
            case OP_MUL:                                                    \
                return x * y;                                               \
            case OP_DIV:                                                    \
                return x / y;                                               \
            default:                                                        \
                return expfn(x);                                            \
        }                                                                   \
    }

NATIVE_OP(double, op_double, exp)
NATIVE_OP(float, op_float, expf)

/* 1 if r = x op y (y unused by exp) of a hardware type overflowed, as
   the emulated twin counts it: r is infinite from finite operands (a
   division by zero is no overflow in IEEE 754).  For any floating type:
   v - v is NaN exactly when v is infinite or NaN. */
#define NATIVE_OVERFLOW(op, x, y, r)                                        \
    ((r) == (r) && (r) - (r) != (r) - (r) && (x) - (x) == (x) - (x)         \
     && ((op) == OP_EXP                                                     \
         || ((y) - (y) == (y) - (y) && !((op) == OP_DIV && (y) == 0))))

/* 1 if the binary64 number d is zero, infinite, NaN or of magnitude in
   [2^-300, 2^300) (biased exponents 723 to 1322): a valid operand of the
   hardware path. */
static inline int
hw_range_d(double d)
{
    uint64_t u;

    memcpy(&u, &d, sizeof(double));
    return ((u >> 52) & 0x7ff) - 723 < 600 || ((u >> 52) & 0x7ff) == 0x7ff
           || (u << 1) == 0;
}

/* The sign of a residual (-1, 0, 1). */
static inline int
sign_d(double d)
{
    return (d > 0) - (d < 0);
}

/* x + y in binary64 into *d*; returns the sign of the exact sum minus
   *d* (TwoSum).  An exact zero is -0 when *rnd_down* (a format's mode
   ":rd") unless both terms are +0 (IEEE 754). */
static inline int
hw_add(double * d, double x, double y, int rnd_down)
{
    double s = x + y, bb;

    *d = s;
    if (s == 0)
    {
        if (rnd_down && (signbit(x) || signbit(y) || x != 0 || y != 0))
            *d = -0.0;
        return 0;
    }
    if (!isfinite(s))
        return 0;
    bb = s - x;
    return sign_d((x - (s - bb)) + (y - bb));
}

/* x op y (not exp) in binary64 into *d*, operands valid for the hardware
   path (hw_range_d); returns the sign of the exact result minus *d*
   (*rnd_down* as hw_add). */
static inline int
hw_exact(double * d, op_t op, double x, double y, int rnd_down)
{
    switch (op)
    {
        case OP_ADD:
            return hw_add(d, x, y, rnd_down);
        case OP_SUB:
            return hw_add(d, x, -y, rnd_down);
        case OP_MUL:
            *d = x * y;
            return (isfinite(*d) && *d != 0) ? sign_d(fma(x, y, -*d)) : 0;
        default:
            *d = x / y;
            return (isfinite(*d) && *d != 0 && isfinite(y))
                       ? sign_d(fma(-*d, y, x)) * sign_d(y)
                       : 0;
    }
}

/* A format's rounding of binary64 numbers: _gc_numfmt_round_d, or, for
   an emulated format of _gc_numfmt_hw_ok rounding to nearest without
   ":ftz" (fast), the same computation specialised to that case with the
   format's constants computed once (round_fmt_d): the rounding of the
   hardware path and of the sweep's kernel, 3 times fewer instructions
   than the general one (tests/check_emul.c test_round_fmt compares the
   two).  shift = 53 - p; maxf the largest finite number; big the result
   of an overflow (maxf, infinity or NaN, the policy's); min_normal; the
   subnormals' spacing 2^k, k = emin - 1, and 2^-k. */
typedef struct
{
    const gc_numfmt_struct * f;
    int fast;
    int shift;
    double maxf;
    double big;
    double min_normal;
    double sub;
    double sub_inv;
} round_fmt_struct;

static inline void
round_fmt_init(round_fmt_struct * r, const gc_numfmt_struct * f)
{
    r->f = f;
    r->fast = f->kind == GC_NUMFMT_EMULATED && f->rnd == GC_NUMFMT_RNDN
              && !f->ftz && _gc_numfmt_hw_ok(f);
    r->shift = 0;
    r->maxf = r->big = r->min_normal = r->sub = r->sub_inv = 0;
    if (!r->fast)
        return;
    r->shift = 53 - (int) f->prec;
    r->maxf = (double) (slong) ((UWORD(1) << f->prec) - 1 - f->top_reserved)
              * _gc_pow2_d(f->emax - f->prec);
    r->big = (f->overflow == GC_OVERFLOW_SATURATE) ? r->maxf
             : (f->overflow == GC_OVERFLOW_INF && f->has_inf) ? INFINITY
                                                              : NAN;
    r->min_normal = _gc_pow2_d(f->emin + f->prec - 2);
    r->sub = _gc_pow2_d(f->emin - 1);
    r->sub_inv = _gc_pow2_d(1 - f->emin);
}

/* Inlined wherever it is called, so that a caller which reads only some
   of the flags does not compute the others. */
#if defined(__GNUC__)
#define HW_INLINE static inline __attribute__((always_inline))
#else
#define HW_INLINE static inline
#endif

/* _gc_numfmt_round_d(res, d, t, r->f): v, given by d and the sign t of
   v - d, rounded to the format; returns the GC_ROUND_ flags. */
HW_INLINE int
round_fmt_d(double * res, double d, int t, const round_fmt_struct * r)
{
    double a = fabs(d), x, y, fr;
    int ta = signbit(d) ? -t : t;
    uint64_t u, half, low, n;

    memcpy(&u, &a, sizeof(double));
    /* the general rounding for other formats, zeros, infinities, NaN
       and binary64's subnormals (biased exponents 0 and 0x7ff) */
    if (!r->fast || (u >> 52) - 1 >= 0x7fe)
        return _gc_numfmt_round_d(res, d, t, r->f);
    /* |v| to p bits, ties to even: add half an ulp and clear the bits
       below it, but for a tie that t or evenness rounds down */
    half = UWORD(1) << (r->shift - 1);
    low = u & (2 * half - 1);
    u = (u - low) + ((2 * half) & -(uint64_t) ((low > half)
                                              | ((low == half)
                                                 & ((ta > 0)
                                                    | ((ta == 0)
                                                       & ((u >> r->shift)
                                                          & 1))))));
    memcpy(&x, &u, sizeof(double));
    if (x > r->maxf)
    {
        *res = (isnan(r->big) || d > 0) ? r->big : -r->big;
        return GC_ROUND_OVERFLOW | GC_ROUND_INEXACT;
    }
    if (x < r->min_normal)
    {
        /* to a multiple of 2^k (below 2^(p-1) of them: exact) */
        y = a * r->sub_inv;
        n = (uint64_t) y;
        fr = y - (double) n;
        n += (fr > 0.5) | ((fr == 0.5) & ((ta > 0) | ((ta == 0) & (n & 1))));
        x = (double) n * r->sub;
    }
    *res = copysign(x, d);
    return ((x != a) | (ta != 0)) * GC_ROUND_INEXACT
           | (x == 0) * GC_ROUND_UNDERFLOW;
}

/* *r* = the C library's function value d rounded to f->f when the error
   bound decides the rounding (see the top of formats_replay.c): returns
   its GC_ROUND_ flags; returns -1, *r* unset, when it does not decide
   (the MPFR path must compute it). */
static inline int
hw_fn_round(double * r, double d, const round_fmt_struct * f)
{
    double lo, hi;
    int flo, fhi;

    if (!isfinite(d) || fabs(d) < 0x1p-1000 || fabs(d) > 0x1p1000)
        return -1;
    flo = round_fmt_d(&lo, d - fabs(d) * 0x1p-40, 0, f);
    fhi = round_fmt_d(&hi, d + fabs(d) * 0x1p-40, 0, f);
    if (((flo ^ fhi) & GC_ROUND_OVERFLOW)
        || !((lo == hi && signbit(lo) == signbit(hi))
             || (isnan(lo) && isnan(hi))))
        return -1;
    *r = lo;
    return flo;
}

/* 1 if *d* is zero or its magnitude lies in [2^-300, 2^300): a
   parameter that the hardware path rounds (a parameter drawn from a
   distribution or read as a decimal of binary64 is one). */
static inline int
param_hw_range(double d)
{
    return d == 0 || (fabs(d) >= 0x1p-300 && fabs(d) < 0x1p300);
}

/* The binary64 number d, zero or of magnitude in [2^-301, 2^300],
   rounded to r->f, a format rounded in binary64 (binary64 keeps d,
   exactly); sets *flags* to the GC_ROUND_ flags. */
static inline double
round_d_flags(int * flags, double d, const round_fmt_struct * r)
{
    *flags = 0;
    if (r->f->kind != GC_NUMFMT_DOUBLE)
        *flags = round_fmt_d(&d, d, 0, r);
    return d;
}

/* The smallest normal number of *f* as a binary64 number (0 for the
   formats whose numbers are not all binary64 numbers). */
static inline double
min_normal_d(const gc_numfmt_struct * f)
{
    return ldexp(1.0, (int) FLINT_MAX(FLINT_MIN(f->emin + f->prec - 2,
                                                2000), -2000));
}

/* gc_numfmt_classify of the binary64 number x in a format whose numbers
   are all binary64 numbers and whose smallest normal is *min_normal*. */
static inline gc_class_t
class_d(double x, double min_normal)
{
    double a = fabs(x);

    if (isnan(a))
        return GC_CLASS_NAN;
    if (isinf(a))
        return GC_CLASS_INF;
    if (a == 0)
        return GC_CLASS_ZERO;
    return (a < min_normal) ? GC_CLASS_SUBNORMAL : GC_CLASS_NORMAL;
}

#endif /* GC_REPLAY_HW_H */
