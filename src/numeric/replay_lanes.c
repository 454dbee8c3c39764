/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* replay_lanes.c -- the sweep's replay kernel (replay_lanes.h): the
   unscaled gc_replay of sigmoid chains with the quadratic cost, in the
   formats that the hardware path computes without MPFR, specialised to
   what a sweep reads of it, for K chains at once.

   What it computes is gc_replay's (formats_replay.c), operation for
   operation: the same operations in the same order (the forward pass z =
   w a + b, a = 1 / (1 + exp(-z)), the cost g = a_L - y, the backward
   pass g = delta w_{j+1} and, pytorch, delta = (g (1 - a)) a, textbook,
   delta = s' g at the output and g s' below, s' = a (1 - a)), each
   through the same function as there (replay-hw.h): op_double and
   op_float for binary64 and binary32, and for an emulated format the
   binary64 result with the exact sign of its error (hw_exact) rounded
   once by round_fmt_d, the exponential by exp decided by
   hw_fn_round, and, in the pytorch sequence of a format narrower than
   binary32, the sigmoid and its backward in binary32 (op_float, expf)
   rounded once.  Left out is only what a sweep does not read and what
   changes nothing it reads:

   - dC/dw_j, s'_j of the pytorch sequence (its backward reads a_j), the
     flags of the parameters, the death scan;
   - the overflow of dw_j = a_{j-1} delta_j where |a_{j-1}| <= 1: delta_j
     is a number of the format, so |a_{j-1} delta_j| is at most the
     largest finite one and rounds to nearest without overflow (NaN and
     infinities raise no overflow either); a_j is a sigmoid's value, in
     [0, 1] or NaN, for j >= 1, so only a_0 can exceed 1;
   - operand range checks of the hardware path: every number of a format
     of _gc_numfmt_hw_ok (emin - 1 >= -300, emax <= 300) and of binary32
     lies in its range [2^-300, 2^300), or is zero, infinite or NaN.

   What gc_replay computes through MPFR (a parameter outside [2^-300,
   2^300), an exponential whose error bound does not decide its
   rounding) declines the lane instead: the caller replays that network
   with gc_replay.

   The lanes are K independent chains, stored layer by layer (structure
   of arrays): each step runs on the K chains one after the other, so
   that the out-of-order core overlaps their dependent chains of
   operations, which one chain alone leaves idle (each operation waits
   for the previous one's latency). */

#include "config.h"

#include <float.h>
#include <math.h>

#include "gc-impl.h"
#include "numeric/replay-hw.h"
#include "numeric/replay_lanes.h"

int
_gc_lanes_covers(const gc_numfmt_struct * f, gc_seq_t seq)
{
    /* the range in which gc_replay's gradients are checked */
    if ((seq != GC_SEQ_PYTORCH && seq != GC_SEQ_TEXTBOOK)
        || f->compute != NULL || mpfr_get_emin() > -1073
        || mpfr_get_emax() < 1024)
        return 0;
    if (f->kind == GC_NUMFMT_DOUBLE || f->kind == GC_NUMFMT_FLOAT)
        return 1;
    return f->kind == GC_NUMFMT_EMULATED && _gc_numfmt_hw_ok(f)
           && f->rnd == GC_NUMFMT_RNDN && !f->ftz;
}

slong
_gc_lanes_scratch(slong len, slong K)
{
    /* a_0 .. a_len, s'_1 .. s'_len and the rounded w_1 .. w_len */
    return (3 * len + 1) * K;
}

/* The parameter d rounded to *f* (param_round of formats_replay.c);
   *bad* when the hardware path does not round it, or it rounds to an
   infinity. */
static inline double
lane_param(double d, const round_fmt_struct * f, int * bad)
{
    int flags;
    double r = round_d_flags(&flags, d, f);

    /* (a parameter that rounds to infinity: see LANES_OP) */
    *bad |= !param_hw_range(d) | (isinf(r) != 0);
    return r;
}

/* x op y in the hardware type T by *op* (op_double, op_float), 1 ORed
   into *fl* if it is infinite.  In a lane every parameter is finite
   (lane_param declines the others) and no operation divides by zero
   (1 / (1 + e^-z), 1 + e^-z >= 1), so the first infinity of a lane is an
   operation that overflowed (NATIVE_OVERFLOW, what gc_replay counts):
   *fl* says whether one did so far, which is all the kernel keeps. */
#define LANES_OP(T, op, name)                                               \
    static inline T name(op_t o, T x, T y, int * fl)                        \
    {                                                                       \
        T r = op(o, x, y);                                                  \
                                                                            \
        *fl |= isinf(r) != 0;                                               \
        return r;                                                           \
    }

LANES_OP(double, op_double, ov_double)
LANES_OP(float, op_float, ov_float)

/* The kernel of the hardware type T (binary64, binary32) with the
   operations op (ov_double, ov_float), which flag their overflows as the
   emulated kernel's do.  a, sp and wr: the scratch, as T. */
#define LANES_NATIVE(T, op, name)                                           \
    static unsigned name(gc_class_t * cls, slong * ovl, double * db,        \
                         const double * w, const double * b, double a0,     \
                         double y, slong len, slong K,                      \
                         const round_fmt_struct * f, int torch, T * a,      \
                         T * sp, T * wr)                                    \
    {                                                                       \
        T g[GC_LANES_MAX], delta[GC_LANES_MAX], one = 1, yr;                \
        int bad[GC_LANES_MAX] = {0}, fl[GC_LANES_MAX] = {0}, pbad = 0;      \
        double mn = min_normal_d(f->f);                                     \
        unsigned mask = 0;                                                  \
        slong j, k;                                                         \
                                                                            \
        yr = (T) lane_param(y, f, &pbad);                                   \
        for (k = 0; k < K; k++)                                             \
            a[k] = (T) lane_param(a0, f, &pbad);                            \
        for (j = 1; j <= len; j++)                                          \
            for (k = 0; k < K; k++)                                         \
            {                                                               \
                slong i = (j - 1) * K + k;                                  \
                T wj = (T) lane_param(w[i], f, bad + k);                    \
                T z = op(OP_ADD, op(OP_MUL, wj, a[i], fl + k),              \
                         (T) lane_param(b[i], f, bad + k), fl + k);         \
                T aj = op(OP_DIV, one,                                      \
                          op(OP_ADD, one, op(OP_EXP, -z, 0, fl + k),        \
                             fl + k),                                       \
                          fl + k);                                          \
                                                                            \
                wr[i] = wj;                                                 \
                a[i + K] = aj;                                              \
                if (!torch)                                                 \
                    sp[i] = op(OP_MUL, aj, op(OP_SUB, one, aj, fl + k),     \
                               fl + k);                                     \
            }                                                               \
        for (k = 0; k < K; k++)                                             \
        {                                                                   \
            g[k] = op(OP_SUB, a[len * K + k], yr, fl + k);                  \
            ovl[k] = 0;                                                     \
        }                                                                   \
        for (j = len; j >= 1; j--)                                          \
            for (k = 0; k < K; k++)                                         \
            {                                                               \
                slong i = (j - 1) * K + k;                                  \
                T aj = a[i + K];                                            \
                                                                            \
                if (j < len)                                                \
                    g[k] = op(OP_MUL, delta[k], wr[i + K], fl + k);         \
                if (torch)                                                  \
                    delta[k] = op(OP_MUL,                                   \
                                  op(OP_MUL, g[k],                          \
                                     op(OP_SUB, one, aj, fl + k), fl + k),  \
                                  aj, fl + k);                              \
                else if (j == len)                                          \
                    delta[k] = op(OP_MUL, sp[i], g[k], fl + k);             \
                else                                                        \
                    delta[k] = op(OP_MUL, g[k], sp[i], fl + k);             \
                /* dw_j: only its overflow matters (see the top) */         \
                if (a[i] > 1 || a[i] < -1)                                  \
                    (void) op(OP_MUL, a[i], delta[k], fl + k);              \
                cls[k * len + j - 1] = class_d(delta[k], mn);               \
                if (db != NULL)                                             \
                    db[k * len + j - 1] = delta[k];                         \
                if (ovl[k] == 0 && fl[k])                                   \
                    ovl[k] = j;                                             \
            }                                                               \
        for (k = 0; k < K; k++)                                             \
            mask |= (unsigned) (bad[k] | pbad) << k;                        \
        return mask;                                                        \
    }

LANES_NATIVE(double, ov_double, lanes_double)
LANES_NATIVE(float, ov_float, lanes_float)

/* x op y (not exp) in the emulated format *f* as the hardware path
   computes it (hw_op: no ":ftz", to nearest), its overflow flag ORed
   into *fl* (the only flag a replay counts). */
static inline double
emu_op(op_t op, double x, double y, const round_fmt_struct * f, int * fl)
{
    double d;
    int t = hw_exact(&d, op, x, y, 0);

    *fl |= round_fmt_d(&d, d, t, f) & GC_ROUND_OVERFLOW;
    return d;
}

/* exp(x) in *f* as the hardware path computes it, its overflow flag
   ORed into *fl*; *bad* where its rounding is undecided (gc_replay's
   MPFR path). */
static inline double
emu_exp(double x, const round_fmt_struct * f, int * fl, int * bad)
{
    double r = 0;
    int flags = hw_fn_round(&r, exp(x), f);

    *bad |= flags < 0;
    *fl |= FLINT_MAX(flags, 0) & GC_ROUND_OVERFLOW;
    return r;
}

/* A binary32 result rounded once to *f* (unit_round: the flags are not
   counted). */
static inline double
emu_round(float x, const round_fmt_struct * f)
{
    int flags;

    return round_d_flags(&flags, x, f);
}

/* The kernel of an emulated format. */
static unsigned
lanes_emulated(gc_class_t * cls, slong * ovl, double * db, const double * w,
               const double * b, double a0, double y, slong len, slong K,
               const round_fmt_struct * f, int torch, double * a,
               double * sp, double * wr)
{
    double g[GC_LANES_MAX], delta[GC_LANES_MAX], one, yr;
    int bad[GC_LANES_MAX] = {0}, fl[GC_LANES_MAX] = {0}, pbad = 0, flags;
    /* PyTorch's sigmoid and its backward in binary32 (act_layer) */
    int act32 = torch && f->f->prec < FLT_MANT_DIG;
    double mn = min_normal_d(f->f);
    unsigned mask = 0;
    slong j, k;

    one = round_d_flags(&flags, 1.0, f);
    yr = lane_param(y, f, &pbad);
    for (k = 0; k < K; k++)
        a[k] = lane_param(a0, f, &pbad);
    for (j = 1; j <= len; j++)
        for (k = 0; k < K; k++)
        {
            slong i = (j - 1) * K + k;
            double wj = lane_param(w[i], f, bad + k), aj, z;

            z = emu_op(OP_ADD, emu_op(OP_MUL, wj, a[i], f, fl + k),
                       lane_param(b[i], f, bad + k), f, fl + k);
            if (act32)
                aj = emu_round(op_float(OP_DIV, 1.0f,
                                        op_float(OP_ADD, 1.0f,
                                                 op_float(OP_EXP,
                                                          (float) -z, 0))),
                               f);
            else
                aj = emu_op(OP_DIV, one,
                            emu_op(OP_ADD, one,
                                   emu_exp(-z, f, fl + k, bad + k), f,
                                   fl + k),
                            f, fl + k);
            if (!torch)
                sp[i] = emu_op(OP_MUL, aj, emu_op(OP_SUB, one, aj, f, fl + k),
                               f, fl + k);
            wr[i] = wj;
            a[i + K] = aj;
        }
    for (k = 0; k < K; k++)
    {
        g[k] = emu_op(OP_SUB, a[len * K + k], yr, f, fl + k);
        ovl[k] = 0;
    }
    for (j = len; j >= 1; j--)
        for (k = 0; k < K; k++)
        {
            slong i = (j - 1) * K + k;
            double aj = a[i + K];

            if (j < len)
                g[k] = emu_op(OP_MUL, delta[k], wr[i + K], f, fl + k);
            if (act32)
                delta[k] = emu_round(
                    op_float(OP_MUL,
                             op_float(OP_MUL, (float) g[k],
                                      op_float(OP_SUB, 1.0f, (float) aj)),
                             (float) aj),
                    f);
            else if (torch)
                delta[k] = emu_op(OP_MUL,
                                  emu_op(OP_MUL, g[k],
                                         emu_op(OP_SUB, one, aj, f, fl + k),
                                         f, fl + k),
                                  aj, f, fl + k);
            else if (j == len)
                delta[k] = emu_op(OP_MUL, sp[i], g[k], f, fl + k);
            else
                delta[k] = emu_op(OP_MUL, g[k], sp[i], f, fl + k);
            /* dw_j: only its overflow matters (see the top) */
            if (fabs(a[i]) > 1)
                (void) emu_op(OP_MUL, a[i], delta[k], f, fl + k);
            cls[k * len + j - 1] = class_d(delta[k], mn);
            if (db != NULL)
                db[k * len + j - 1] = delta[k];
            if (ovl[k] == 0 && (fl[k] & GC_ROUND_OVERFLOW))
                ovl[k] = j;
        }
    for (k = 0; k < K; k++)
        mask |= (unsigned) (bad[k] | pbad) << k;
    return mask;
}

unsigned
_gc_replay_lanes(gc_class_t * cls, slong * ovl, double * db, const double * w,
                 const double * b, double a0, double y, slong len, slong K,
                 const gc_numfmt_struct * f, gc_seq_t seq, double * scratch)
{
    int torch = (seq == GC_SEQ_PYTORCH);
    round_fmt_struct rf;

    if (K < 1 || K > GC_LANES_MAX || len < 1 || !_gc_lanes_covers(f, seq))
        gc_throw("_gc_replay_lanes: %ld lanes, %ld layers or format %s",
                 (long) K, (long) len, f->name);
    round_fmt_init(&rf, f);
    if (f->kind == GC_NUMFMT_EMULATED)
        return lanes_emulated(cls, ovl, db, w, b, a0, y, len, K, &rf, torch,
                              scratch, scratch + (len + 1) * K,
                              scratch + (2 * len + 1) * K);
    if (f->kind == GC_NUMFMT_DOUBLE)
        return lanes_double(cls, ovl, db, w, b, a0, y, len, K, &rf, torch,
                            scratch, scratch + (len + 1) * K,
                            scratch + (2 * len + 1) * K);
    return lanes_float(cls, ovl, db, w, b, a0, y, len, K, &rf, torch,
                       (float *) scratch, (float *) scratch + (len + 1) * K,
                       (float *) scratch + (2 * len + 1) * K);
}
