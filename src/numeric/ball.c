/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* ball.c -- the chain evaluated in Arb balls: the trace of all layers,
   one parameter streamed in O(1) memory, and the Ziv loops. */

#include "gc-impl.h"

#if __FLINT_RELEASE >= 30000
#include <flint/arb_hypgeom.h>
#else
#include <arb_hypgeom.h>
#endif

/* Initialises *t* for *len* layers: the full trace (full != 0) or db and
   dw only; *fn* names the caller in gc_throw. */
static void
trace_init(gc_arb_trace_t t, slong len, int full, const char * fn)
{
    /* _arb_vec_init multiplies without a check: 5 len + 1 balls fit */
    arb_ptr v;

    (void) _gc_array_bytes(len, (full ? 6 : 2) * sizeof(arb_struct), fn);
    v = _arb_vec_init(full ? 5 * len + 1 : 2 * len);
    t->len = len;
    t->prec = 0;
    t->z = full ? v : NULL;
    t->a = full ? v + len : NULL;
    t->sp = full ? v + 2 * len + 1 : NULL;
    t->db = full ? v + 3 * len + 1 : v;
    t->dw = t->db + len;
}

void
gc_arb_trace_init(gc_arb_trace_t t, slong len)
{
    trace_init(t, len, 1, "gc_arb_trace_init");
}

void
gc_arb_trace_init_grads(gc_arb_trace_t t, slong len)
{
    trace_init(t, len, 0, "gc_arb_trace_init_grads");
}

void
gc_arb_trace_clear(gc_arb_trace_t t)
{
    if (t->z != NULL)
        _arb_vec_clear(t->z, 5 * t->len + 1);
    else
        _arb_vec_clear(t->db, 2 * t->len);
}

size_t
gc_eval_arb_bytes(slong len, slong prec)
{
    return _gc_bytes_estimate(len, 6 * _gc_arb_bytes(prec),
                              _gc_arb_bytes(prec));
}

size_t
gc_eval_arb_grads_bytes(slong len, slong prec)
{
    /* the 2 len balls, and a_L, z_L, g and fwd_struct's scratch */
    return _gc_bytes_estimate(len, 2 * _gc_arb_bytes(prec),
                              6 * _gc_arb_bytes(prec));
}

/* Sets x to the exact rational q rounded once to prec bits.  Dyadic
   rationals (every binary64 value) avoid the division of arb_set_fmpq. */
static void
arb_set_mpq_round(arb_t x, const mpq_t q, slong prec)
{
    const mpz_srcptr den = mpq_denref(q);
    const mpz_srcptr num = mpq_numref(q);
    mp_limb_t d = mpz_getlimbn(den, 0);
    mp_bitcnt_t shift;

    if (mpz_size(den) == 1 && mpz_size(num) <= 1 && (d & (d - 1)) == 0)
    {
        /* one-limb numerator over 2^shift: the common case, made fast */
        count_trailing_zeros(shift, d);
        arf_set_ui(arb_midref(x), mpz_getlimbn(num, 0));
        if (mpz_sgn(num) < 0)
            arf_neg(arb_midref(x), arb_midref(x));
        arf_mul_2exp_si(arb_midref(x), arb_midref(x), -(slong) shift);
        mag_zero(arb_radref(x));
        if (prec < FLINT_BITS)
            arb_set_round(x, x, prec);
        return;
    }
    shift = mpz_scan1(den, 0);
    if (mpz_sizeinbase(den, 2) == shift + 1)
    {
        arf_set_mpz(arb_midref(x), num);
        arf_mul_2exp_si(arb_midref(x), arb_midref(x), -(slong) shift);
        mag_zero(arb_radref(x));
        arb_set_round(x, x, prec);
    }
    else
    {
        fmpq_t f;

        fmpq_init(f);
        fmpq_set_mpq(f, q);
        arb_set_fmpq(x, f, prec);
        fmpq_clear(f);
    }
}

/* Points *w* and *b* at the exact parameters of layer j: the stored
   rationals, or those of a compact or generated network set into wtmp
   and btmp. */
static void
layer_q(mpq_srcptr * w, mpq_srcptr * b, mpq_t wtmp, mpq_t btmp,
            const gc_net_t net, slong j)
{
    if (net->w == NULL)
    {
        gc_net_get_layer_q(wtmp, btmp, net, j);
        *w = wtmp;
        *b = btmp;
    }
    else
    {
        *w = net->w + j - 1;
        *b = net->b + j - 1;
    }
}

void
_gc_arb_set_q(arb_t x, const mpq_t q, slong prec)
{
    arb_set_mpq_round(x, q, prec);
}

/* For relu and leaky-relu: if the ball z contains 0 without being 0 and
   z_j is known (the exact cursor *x*, _gc_exact_z), replaces z by the exact z_j
   rounded to prec (an exact 0 stays exactly 0), so that the sign is
   decided exactly, never guessed. */
static void
arb_kink_sign(arb_t z, _gc_exact_struct * x, const gc_net_t net, slong j,
              slong prec)
{
    if (!arb_contains_zero(z) || arb_is_zero(z))
        return;
    if (_gc_exact_z(x, net, j))
        arb_set_mpq_round(z, x->z, prec);
}

/* The formulas of the MPFR engine (act_layer in mpfr_eval.c): the
   sigmoid with one exponential, u = e^-z, d = 1 + u, f = 1/d, f' = u f^2;
   tanh' = 4 t/(1 + t)^2 with t = e^-2|z|; softplus with u = e^z as
   log1p(u) and u/(1 + u) (Arb's exponents do not overflow); gelu with
   Phi = erfc(-z/sqrt 2)/2.  relu and leaky-relu take the sign of the ball
   z as it is (the callers decide it first where they can); a ball that
   contains 0 gives the union of both sides, f' in [0, 1] or between S
   and 1, which is rigorous and narrows as the precision grows.  The
   sigmoid takes e^-z of z negated in place and negates it back (exact
   both ways): copying -z into another ball cost about 250 instructions
   a layer (bench/README.md, bench_output's fifth step). */
void
_gc_arb_act(arb_t fz, arb_t sp, arb_t d, arb_t z,
            const gc_activation_struct * f, slong prec)
{
    switch (f->kind)
    {
        case GC_ACT_SIGMOID:
            arb_neg(z, z);
            arb_exp(sp, z, prec);
            arb_neg(z, z);
            arb_add_ui(d, sp, 1, prec);
            arb_inv(fz, d, prec);
            arb_mul(sp, sp, fz, prec);
            arb_mul(sp, sp, fz, prec);
            break;
        case GC_ACT_TANH:
            arb_abs(d, z);
            arb_mul_2exp_si(d, d, 1);
            arb_neg(d, d);
            arb_exp(d, d, prec);
            arb_add_ui(sp, d, 1, prec);
            arb_sqr(sp, sp, prec);
            arb_div(sp, d, sp, prec);
            arb_mul_2exp_si(sp, sp, 2);
            arb_tanh(fz, z, prec);
            break;
        case GC_ACT_RELU:
        case GC_ACT_LEAKY_RELU:
            if (f->kind == GC_ACT_RELU)
                arb_zero(d);
            else
                arb_set_mpq_round(d, f->slope, prec);
            if (arb_is_positive(z))
            {
                arb_set(fz, z);
                arb_one(sp);
            }
            else if (arb_is_nonpositive(z))
            {
                arb_mul(fz, z, d, prec);
                arb_set(sp, d);
            }
            else
            {
                arb_mul(fz, z, d, prec);
                arb_union(fz, fz, z, prec);
                arb_one(sp);
                arb_union(sp, sp, d, prec);
            }
            break;
        case GC_ACT_SOFTPLUS:
            arb_exp(d, z, prec);
            arb_add_ui(sp, d, 1, prec);
            arb_div(sp, d, sp, prec);
            arb_log1p(fz, d, prec);
            break;
        case GC_ACT_IDENTITY:
            arb_set(fz, z);
            arb_one(sp);
            break;
        case GC_ACT_GELU:
            /* fz is scratch until the end */
            arb_sqrt_ui(d, 2, prec);
            arb_div(sp, z, d, prec);
            arb_neg(sp, sp);
            arb_hypgeom_erfc(sp, sp, prec);
            arb_mul_2exp_si(sp, sp, -1);
            arb_sqr(d, z, prec);
            arb_mul_2exp_si(d, d, -1);
            arb_neg(d, d);
            arb_exp(d, d, prec);
            arb_const_pi(fz, prec);
            arb_mul_2exp_si(fz, fz, 1);
            arb_sqrt(fz, fz, prec);
            arb_div(d, d, fz, prec);
            arb_mul(d, d, z, prec);
            arb_mul(fz, z, sp, prec);
            arb_add(sp, sp, d, prec);
            break;
        default:
            gc_throw("_gc_arb_act: bad activation %d", (int) f->kind);
    }
}

/* One layer j: z = w a + b, then anew = f(z), sp = f'(z) by _gc_arb_act,
   the sign of z decided first by arb_kink_sign for relu and leaky-relu
   (a ball that still contains 0, z_j not rational, gives the union of
   both sides).  anew may alias a; d is scratch. */
static void
arb_act_layer(arb_t z, arb_t anew, arb_t sp, arb_t d, const arb_t w,
              const arb_t b, const arb_t a, _gc_exact_struct * x,
              const gc_net_t net, slong j, slong prec)
{
    const gc_activation_struct * f = gc_net_get_act(net, j);

    arb_mul(z, w, a, prec);
    arb_add(z, z, b, prec);
    if (f->kind == GC_ACT_RELU || f->kind == GC_ACT_LEAKY_RELU)
        arb_kink_sign(z, x, net, j, prec);
    _gc_arb_act(anew, sp, d, z, f, prec);
}

/* Sets res = a - y = ((1 - y) - y u) a with u = e^-z for a sigmoid output
   a = s(z) and 1 - y exact, which keeps its relative accuracy when a is
   close to y: 1 - y d with d = 1 + u rounded lost u entirely for a
   saturated a = 1 - u against y = 1.  res may alias z. */
static void
arb_dcda(arb_t res, const arb_t z, const arb_t a, const mpq_t y,
             slong prec)
{
    arb_t u, t;
    mpq_t omy;

    arb_init(u);
    arb_init(t);
    mpq_init(omy);
    arb_neg(u, z);
    arb_exp(u, u, prec);
    arb_set_mpq_round(t, y, prec);
    arb_mul(u, u, t, prec);
    mpq_set_ui(omy, 1, 1);
    mpq_sub(omy, omy, y);
    arb_set_mpq_round(res, omy, prec);
    arb_sub(res, res, u, prec);
    arb_mul(res, res, a, prec);
    arb_clear(u);
    arb_clear(t);
    mpq_clear(omy);
}

void
_gc_arb_output_grad(arb_t res, const arb_t z, const arb_t a, const mpq_t y,
                    const gc_activation_struct * f, slong prec)
{
    if (f->kind == GC_ACT_SIGMOID)
        arb_dcda(res, z, a, y, prec);
    else
    {
        arb_set_mpq_round(res, y, prec);
        arb_sub(res, a, res, prec);
    }
}

/* Sets *res* to dC/da_L from z_L and a_L, or for cross-entropy (sigmoid
   output) to dC/dz_L = a_L - y, as output_grad in mpfr_eval.c:
   _gc_arb_output_grad, or a given dC/da_L rounded once.  res may alias
   z. */
static void
arb_output_grad(arb_t res, const arb_t z, const arb_t a, const gc_net_t net,
                slong prec)
{
    if (net->cost == GC_COST_GIVEN)
        arb_set_mpq_round(res, net->dc_da, prec);
    else
        _gc_arb_output_grad(res, z, a, net->y,
                            gc_net_get_act(net, net->len), prec);
}

/* What the passes need besides the balls they fill: the network and
   precision, the exact parameters of a generated layer, the exact cursor
   of the kinks (arb_kink_sign) and scratch balls: w and b, the rounded
   parameters of a layer, and d. */
typedef struct
{
    const gc_net_struct * net;
    slong prec;
    mpq_t wtmp, btmp;
    _gc_exact_struct x;
    arb_t w, b, d;
} fwd_struct;

static void
fwd_init(fwd_struct * f, const gc_net_t net, slong prec)
{
    f->net = net;
    f->prec = prec;
    mpq_init(f->wtmp);
    mpq_init(f->btmp);
    _gc_exact_init(&f->x, net);
    arb_init(f->w);
    arb_init(f->b);
    arb_init(f->d);
}

static void
fwd_clear(fwd_struct * f)
{
    mpq_clear(f->wtmp);
    mpq_clear(f->btmp);
    _gc_exact_clear(&f->x);
    arb_clear(f->w);
    arb_clear(f->b);
    arb_clear(f->d);
}

/* Sets w = w_j and, unless b is NULL, b = b_j, each rounded once to
   f->prec from its exact value.  A binary64 number (compact or generated
   network) is set exactly, then rounded as arb_set_mpq_round rounds the
   same value (nothing to round from 53 bits on). */
static void
layer_params(fwd_struct * f, arb_t w, arb_t b, slong j)
{
    mpq_srcptr wq, bq;
    double dw, db;

    if (_gc_net_get_layer_d(&dw, &db, f->net, j))
    {
        arb_set_d(w, dw);
        if (b != NULL)
            arb_set_d(b, db);
        if (f->prec < 53)
        {
            arb_set_round(w, w, f->prec);
            if (b != NULL)
                arb_set_round(b, b, f->prec);
        }
    }
    else
    {
        layer_q(&wq, &bq, f->wtmp, f->btmp, f->net, j);
        arb_set_mpq_round(w, wq, f->prec);
        if (b != NULL)
            arb_set_mpq_round(b, bq, f->prec);
    }
}

/* Layer j from a = a_{j-1}: z = z_j, anew = a_j, sp = f'(z_j), and f->w =
   w_j rounded.  anew may alias a. */
static void
fwd_layer(fwd_struct * f, arb_t z, arb_t anew, arb_t sp, const arb_t a,
          slong j)
{
    layer_params(f, f->w, f->b, j);
    arb_act_layer(z, anew, sp, f->d, f->w, f->b, a, &f->x, f->net, j,
                  f->prec);
}

/* The forward pass of gc_eval_arb through the len layers of f->net: a[0]
   = a_0 rounded (aL when len = 0) and for j = 1..len, z_j at z + (j-1)
   zstep (zstep 0: one scratch ball, left holding z_L), a_j at a[j] (aL
   for j = len, which may be a + len), f'(z_j) at sp[j-1]. */
static void
fwd_pass(fwd_struct * f, arb_ptr z, slong zstep, arb_ptr a, arb_ptr aL,
         arb_ptr sp, slong len)
{
    slong j;

    arb_set_mpq_round(len > 0 ? a : aL, f->net->a0, f->prec);
    for (j = 1; j <= len; j++)
        fwd_layer(f, z + (j - 1) * zstep, j < len ? a + j : aL, sp + j - 1,
                  a + j - 1, j);
}

/* The backward pass of gc_eval_arb from what fwd_pass left, z_L in zL,
   a_L in aL, a_{j-1} at a[j-1] and f'(z_j) at sp[j-1]: sets db[j-1] =
   dC/db_j and dw[j-1] = dC/dw_j for j = len..1, with g = dC/da_L (or
   dC/dz_L for cross-entropy) then dC/da_j, and w_j rounded afresh (no
   exponential: cheaper than keeping it).  sp may be db and a may be dw:
   layer j reads its own slots only, before it overwrites them. */
static void
back_pass(fwd_struct * f, arb_ptr db, arb_ptr dw, arb_srcptr sp,
          arb_srcptr a, const arb_t zL, const arb_t aL, arb_t g, slong len)
{
    const gc_net_struct * net = f->net;
    slong j;

    if (len > 0)
        arb_output_grad(g, zL, aL, net, f->prec);
    for (j = len; j > 0; j--)
    {
        /* cross-entropy: s'(z_L) is in dC/dz_L already */
        if (j == len && net->cost == GC_COST_CROSS_ENTROPY)
            arb_set(db + j - 1, g);
        else
            arb_mul(db + j - 1, sp + j - 1, g, f->prec);
        layer_params(f, f->w, NULL, j);
        arb_mul(g, f->w, db + j - 1, f->prec);
        arb_mul(dw + j - 1, a + j - 1, db + j - 1, f->prec);
    }
}

int
gc_eval_arb(gc_arb_trace_t t, const gc_net_t net, slong prec)
{
    slong len = t->len;
    fwd_struct f;
    arb_t g, z, aL;

    if (net->len != len)
        gc_throw("gc_eval_arb: network of %ld layers, trace of %ld",
                 (long) net->len, (long) len);
    if (gc_engine_check(GC_ENGINE_ARB, net) != GC_SUCCESS)
        return GC_UNABLE;

    fwd_init(&f, net, prec);
    arb_init(g);
    if (t->z == NULL)
    {
        /* gradients-only: a_{j-1} in dw[j-1] and f'(z_j) in db[j-1] until
           the backward pass replaces them */
        arb_init(z);
        arb_init(aL);
        fwd_pass(&f, z, 0, t->dw, aL, t->db, len);
        back_pass(&f, t->db, t->dw, t->db, t->dw, z, aL, g, len);
        arb_clear(z);
        arb_clear(aL);
    }
    else
    {
        fwd_pass(&f, t->z, 1, t->a, t->a + len, t->sp, len);
        back_pass(&f, t->db, t->dw, t->sp, t->a,
                  len > 0 ? t->z + len - 1 : NULL, t->a + len, g, len);
    }
    t->prec = prec;
    arb_clear(g);
    fwd_clear(&f);
    return GC_SUCCESS;
}

int
gc_eval_param_arb(arb_t res, const gc_net_t net, const gc_param_t p,
                  slong prec)
{
    slong j, k = p->layer;
    int weight = (p->kind == GC_PARAM_W);
    fwd_struct f;
    arb_t z, a, sp, g;

    GC_CHECK_LAYER("gc_eval_param_arb", k, net->len);
    if (gc_engine_check(GC_ENGINE_ARB, net) != GC_SUCCESS)
        return GC_UNABLE;

    fwd_init(&f, net, prec);
    arb_init(z);
    arb_init(a);
    arb_init(sp);
    arb_init(g);

    /* forward mode: g = f'(z_k) [a_{k-1}] prod_{j>k} w_j f'(z_j) */
    arb_set_mpq_round(a, net->a0, prec);
    for (j = 1; j <= net->len; j++)
    {
        if (j == k && weight)
            arb_set(g, a);
        fwd_layer(&f, z, a, sp, a, j);
        if (j == net->len && net->cost == GC_COST_CROSS_ENTROPY)
            arb_one(sp);
        if (j == k)
        {
            if (weight)
                arb_mul(g, sp, g, prec);
            else
                arb_set(g, sp);
        }
        else if (j > k)
        {
            arb_mul(g, g, f.w, prec);
            arb_mul(g, g, sp, prec);
        }
    }
    arb_output_grad(z, z, a, net, prec);
    arb_mul(res, g, z, prec);

    arb_clear(z);
    arb_clear(a);
    arb_clear(sp);
    arb_clear(g);
    fwd_clear(&f);
    return GC_SUCCESS;
}

/* The first precision of a Ziv loop for *digits* digits of a chain of
   *len* layers, at most max_prec; *fn* names the caller in gc_throw. */
static slong
ziv_start(slong digits, slong len, slong max_prec, const char * fn)
{
    if (digits < 1 || max_prec < 2)
        gc_throw("%s: digits %ld, max_prec %ld", fn, (long) digits,
                 (long) max_prec);
    return FLINT_MIN(FLINT_MAX(64, gc_prec_for_digits(digits, len)),
                     max_prec);
}

/* The step of a Ziv loop after an attempt at *prec* that gave *status*
   and, if it succeeded, had the digits or not (*ok*): returns 0 to stop
   (setting *status* to GC_UNABLE when max_prec was reached without the
   digits), or the next precision. */
static slong
ziv_next(int * status, int ok, slong prec, slong max_prec)
{
    if (*status != GC_SUCCESS || ok)
        return 0;
    if (prec >= max_prec)
    {
        *status = GC_UNABLE;
        return 0;
    }
    return FLINT_MIN(2 * prec, max_prec);
}

/* 1 if the ball x has *digits* digits or is beyond the printable range
   (no precision can help it), setting *lost* to 1 in the second case.
   A ball with its digits is printable (gc_arb_has_digits tests the
   range where the exponent is large), so the range is tested only for
   the others. */
static int
ball_done(int * lost, const arb_t x, slong digits)
{
    if (gc_arb_has_digits(x, digits))
        return 1;
    if (gc_arb_is_printable(x))
        return 0;
    *lost = 1;
    return 1;
}

/* When the Ziv loop stops early.  A doubling of the precision can only
   help a ball that can narrow enough by max_prec; the loop goes on while
   one ball that lacks its digits can, and stops early (GC_UNABLE with
   *prec_used* < max_prec) once none can.  The rule, per ball, after two
   attempts at precisions q < p with relative accuracies (the bits of
   arb_rel_accuracy_bits) acc_q and acc_p:

       the ball is hopeless if acc_p + 2 max(1, g) (max_prec - p) + 64
       < goal = floor(digits log2 10) + 3 (gc_arb_has_digits' goal),
       g = (acc_p - acc_q) / (p - q) the bits it gained per bit of
       precision over the last doubling.

   Justification: a ball whose error comes from roundings at precision p
   has a radius of a sum of terms 2^-p c_i, with factors c_i (condition
   numbers) that do not depend on p, so acc(p) = p - C for a loss C, and
   each bit of precision gains one bit of accuracy (g = 1).  The rule
   allows twice that rate, or twice the rate just measured if it is
   larger (a loss that shrinks with the precision: an intermediate ball
   so wide that first-order propagation does not hold, such as e^x with
   rad(x) > 1, gains far more than a bit per bit, and is then never
   declared hopeless), and 64 bits more.  A ball is never hopeless
   without two measures: at the first attempt, where its midpoint is
   zero or it is not finite (no relative accuracy: a cancellation whose
   midpoint is 0, or a division by a ball that contains 0, which a
   higher precision resolves), or where its accuracy is infinite (an
   exact ball).  A ball that contains zero because of a cancellation
   (its midpoint is rounding noise of the size of its radius) has an
   accuracy of a few bits at most below zero, a deficit of about goal
   bits, which any remaining range of precisions beyond goal / 2 bits
   covers: it keeps doubling.  So does every ball whose relative accuracy
   follows the precision, as goal + C <= max_prec says it reaches its
   digits by max_prec.  What the rule stops is a ball whose loss C is
   far beyond the range of precisions left, for instance dC/db_j through
   a gelu layer at z = -7 10^12: Arb bounds erfc(-z/sqrt 2) with
   radii of 30-bit magnitudes, a loss of about 3 10^17 bits that the
   precision never reduces (the ball gains exactly one bit per bit), so
   every attempt up to 2^20 bits (each about 8 times slower than the
   one before it) printed '?' all the same.  The rule only ever stops
   the loop earlier: it never makes a digit printed wrong, since every
   digit printed is still proved by its ball. */
#define ZIV_NO_ACC WORD_MIN

/* The relative accuracy of x for the rule above, or ZIV_NO_ACC when it
   has none (midpoint zero, or not finite). */
static slong
ziv_acc(const arb_t x)
{
    if (!arb_is_finite(x) || arf_is_zero(arb_midref(x)))
        return ZIV_NO_ACC;
    return arb_rel_accuracy_bits(x);
}

/* 1 if a ball of accuracy acc at precision p, acc_q at the attempt q
   before it, is hopeless by the rule above. */
static int
ziv_hopeless(slong acc, slong acc_q, slong p, slong q, slong max_prec,
             slong digits)
{
    double g, best;

    if (acc == ZIV_NO_ACC || acc_q == ZIV_NO_ACC || acc == WORD_MAX)
        return 0;
    g = ((double) acc - (double) acc_q) / (double) (p - q);
    best = (double) acc + 2 * FLINT_MAX(g, 1.0) * (double) (max_prec - p)
           + 64;
    return best < (double) ((slong) (digits * GC_LOG2_10) + 3);
}

/* The state of a Ziv loop between its attempts: the precision of the
   last one, and the accuracy of each ball there (acc, allocated at the
   first attempt that fails; ZIV_NO_ACC where unknown). */
typedef struct
{
    slong * acc;
    slong prec;
} ziv_hist_struct;

/* The outcome of an attempt: every ball done, one that a higher
   precision may help, or none. */
enum { ZIV_DONE, ZIV_GO_ON, ZIV_HOPELESS };

/* Classifies the attempt at *prec* whose balls are x[0..n): ZIV_DONE if
   every ball is done (ball_done), ZIV_GO_ON if one that is not done is
   not hopeless, ZIV_HOPELESS otherwise; records each ball's accuracy in
   *h* once an attempt has failed.  Once a ball says to go on, the others
   only have their accuracy taken (no decimal test).  With *cache*,
   gc_arb_has_digits keeps the decimals it proves for
   gc_arb_get_str_digits to print (those of an earlier attempt are
   dropped). */
static int
vec_state(int * lost, ziv_hist_struct * h, arb_srcptr x, slong n,
          int cache, slong prec, slong digits, slong max_prec)
{
    slong j, acc, acc_q = ZIV_NO_ACC;
    int res = ZIV_DONE, hopeless;

    if (cache)
        _gc_digits_cache_begin(x, n, prec, digits);
    for (j = 0; j < n; j++)
    {
        hopeless = 0;
        if (h->acc != NULL)
        {
            acc = ziv_acc(x + j);
            acc_q = h->acc[j];
            h->acc[j] = acc;
            hopeless = h->prec != 0
                       && ziv_hopeless(acc, acc_q, prec, h->prec, max_prec,
                                       digits);
        }
        if (res == ZIV_GO_ON)
            continue;
        /* a hopeless ball lacks far more than goal bits: not done */
        if (hopeless || !ball_done(lost, x + j, digits))
        {
            res = hopeless ? ZIV_HOPELESS : ZIV_GO_ON;
            if (h->acc == NULL)
            {
                /* the first failure: the accuracies from here on */
                h->acc = flint_malloc(n * sizeof(slong));
                for (acc = 0; acc < n; acc++)
                    h->acc[acc] = ZIV_NO_ACC;
                h->acc[j] = ziv_acc(x + j);
            }
        }
    }
    h->prec = h->acc != NULL ? prec : 0;
    return res;
}

int
_gc_ziv_loop(int (*eval)(void *, slong), void * arg, arb_srcptr x,
             slong n, int cache, slong digits, slong len, slong max_prec,
             slong * prec_used, const char * fn)
{
    slong next = ziv_start(digits, len, max_prec, fn);
    ziv_hist_struct h = {NULL, 0};
    int status, lost, state = ZIV_GO_ON;

    do
    {
        *prec_used = next;
        lost = 0;
        status = eval(arg, next);
        if (status == GC_SUCCESS)
            state = vec_state(&lost, &h, x, n, cache, next, digits,
                              max_prec);
        next = ziv_next(&status, status == GC_SUCCESS && state == ZIV_DONE,
                        next, max_prec);
        if (next != 0 && state == ZIV_HOPELESS)
        {
            status = GC_UNABLE;
            next = 0;
        }
    } while (next != 0);
    flint_free(h.acc);
    return lost ? status | GC_UNABLE : status;
}

/* The evaluations of the chain's Ziv loops, as _gc_ziv_loop calls them. */
typedef struct
{
    arb_struct * t;
    gc_arb_trace_struct * tr;
    const gc_net_struct * net;
    const gc_param_struct * p;
} ziv_arg;

static int
ziv_trace(void * arg, slong prec)
{
    ziv_arg * z = arg;

    return gc_eval_arb(z->tr, z->net, prec);
}

static int
ziv_param(void * arg, slong prec)
{
    ziv_arg * z = arg;

    return gc_eval_param_arb(z->t, z->net, z->p, prec);
}

int
gc_eval_arb_digits(gc_arb_trace_t t, const gc_net_t net, slong digits,
                   slong max_prec, slong * prec_used)
{
    ziv_arg z = {NULL, t, net, NULL};

    /* every dC/db_j and dC/dw_j: 2 len balls from t->db on */
    return _gc_ziv_loop(ziv_trace, &z, t->db, 2 * t->len, 1, digits,
                        net->len, max_prec, prec_used,
                        "gc_eval_arb_digits");
}

int
gc_eval_param_arb_digits(arb_t res, const gc_net_t net,
                         const gc_param_t p, slong digits,
                         slong max_prec, slong * prec_used)
{
    ziv_arg z = {res, NULL, net, p};

    return _gc_ziv_loop(ziv_param, &z, res, 1, 0, digits, net->len,
                        max_prec, prec_used, "gc_eval_param_arb_digits");
}
