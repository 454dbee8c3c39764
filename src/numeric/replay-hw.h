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

/* *r* = the C library's function value d rounded to *f* when the error
   bound decides the rounding (see the top of formats_replay.c): returns
   its GC_ROUND_ flags; returns -1, *r* unset, when it does not decide
   (the MPFR path must compute it). */
static inline int
hw_fn_round(double * r, double d, const gc_numfmt_struct * f)
{
    double lo, hi;
    int flo, fhi;

    if (!isfinite(d) || fabs(d) < 0x1p-1000 || fabs(d) > 0x1p1000)
        return -1;
    flo = _gc_numfmt_round_d(&lo, d - fabs(d) * 0x1p-40, 0, f);
    fhi = _gc_numfmt_round_d(&hi, d + fabs(d) * 0x1p-40, 0, f);
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
   rounded to *f*, a format rounded in binary64 (binary64 keeps d,
   exactly); sets *flags* to the GC_ROUND_ flags. */
static inline double
round_d_flags(int * flags, double d, const gc_numfmt_struct * f)
{
    *flags = 0;
    if (f->kind != GC_NUMFMT_DOUBLE)
        *flags = _gc_numfmt_round_d(&d, d, 0, f);
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
