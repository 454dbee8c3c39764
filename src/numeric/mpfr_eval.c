/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* mpfr_eval.c -- the MPFR reference evaluation: the per-layer trace of
   the forward and backward passes, the prepared chain, and one parameter
   streamed forward in O(1) numbers. */

#include "gc-impl.h"

/* Extra bits used for dC/da_L beyond the working precision. */
#define DCDA_GUARD 64

/* Past this many times the working precision, the refinement of a
   cancelling dC/da_L stops (a_L - y = 0 exactly cannot be refined). */
#define DCDA_MAX_FACTOR 16

void
gc_trace_init(gc_trace_t t, slong len, mpfr_prec_t prec)
{
    slong i;

    /* 5 len + 1 numbers: a length whose size would wrap is refused */
    (void) _gc_array_bytes(len, 6 * sizeof(__mpfr_struct), "gc_trace_init");
    t->len = len;
    t->prec = prec;
    t->z = flint_malloc(sizeof(__mpfr_struct) * (5 * len + 1));
    t->a = t->z + len;
    t->sp = t->a + len + 1;
    t->db = t->sp + len;
    t->dw = t->db + len;
    for (i = 0; i < 5 * len + 1; i++)
        mpfr_init2(t->z + i, prec);
}

void
gc_trace_clear(gc_trace_t t)
{
    slong i;

    for (i = 0; i < 5 * t->len + 1; i++)
        mpfr_clear(t->z + i);
    flint_free(t->z);
}

size_t
gc_eval_mpfr_bytes(slong len, mpfr_prec_t prec)
{
    return _gc_bytes_estimate(len, 7 * _gc_mpfr_bytes(prec),
                              _gc_mpfr_bytes(prec));
}

void
gc_chain_mpfr_init(gc_chain_mpfr_t c, const gc_net_t net, mpfr_prec_t prec)
{
    slong j, len = net->len;
    gc_expo_struct expo;

    c->len = len;
    c->prec = prec;
    c->net = net;
    (void) _gc_array_bytes(len, 3 * sizeof(__mpfr_struct),
                           "gc_chain_mpfr_init");
    c->w = flint_malloc(sizeof(__mpfr_struct) * (2 * len + 1));
    c->b = c->w + len;
    GC_SAVE_EXPO(expo);
    for (j = 1; j <= len; j++)
    {
        mpfr_init2(c->w + j - 1, prec);
        mpfr_init2(c->b + j - 1, prec);
        (void) gc_net_get_layer_mpfr(c->w + j - 1, c->b + j - 1, net, j,
                                     MPFR_RNDN);
    }
    GC_RESTORE_EXPO(expo);
}

void
gc_chain_mpfr_clear(gc_chain_mpfr_t c)
{
    slong i;

    for (i = 0; i < 2 * c->len; i++)
        mpfr_clear(c->w + i);
    flint_free(c->w);
}

/* Returns the exponent of the nonzero x, or lo when x is zero. */
static mpfr_exp_t
exp_or(const mpfr_t x, mpfr_exp_t lo)
{
    return mpfr_regular_p(x) ? mpfr_get_exp(x) : lo;
}

int
_gc_mpfr_kink_doubt(const mpfr_t z, mpfr_t t, slong j)
{
    mpfr_mul_2si(t, t, 16 + FLINT_CLOG2((ulong) j + 1)
                           - (slong) mpfr_get_prec(z), MPFR_RNDU);
    return mpfr_zero_p(z) || mpfr_cmpabs(z, t) <= 0;
}

int
_gc_act_exact(mpq_t q, const gc_activation_struct * f)
{
    switch (f->kind)
    {
        case GC_ACT_RELU:
            if (mpq_sgn(q) < 0)
                mpq_set_ui(q, 0, 1);
            return 1;
        case GC_ACT_LEAKY_RELU:
            if (mpq_sgn(q) <= 0)
                mpq_mul(q, q, f->slope);
            return 1;
        case GC_ACT_IDENTITY:
            return 1;
        case GC_ACT_SIGMOID:
            if (mpq_sgn(q) != 0)
                return 0;
            mpq_set_ui(q, 1, 2);
            return 1;
        case GC_ACT_TANH:
        case GC_ACT_GELU:
            return mpq_sgn(q) == 0;
        default:
            return 0;
    }
}

/* The sign of z_j that relu and leaky-relu branch on.  The computed
   z = w aprev + b carries the rounding errors of every layer before, so
   its sign is trusted only when |z| exceeds 2^(16 + log2(j) - prec)
   (|w aprev| + |b|) (_gc_mpfr_kink_doubt); otherwise, when z_j is known
   exactly (_gc_exact_z: every layer before piecewise linear, or a smooth
   one that drops out through w = 0 or sits at z = 0 where sigmoid, tanh
   and gelu are rational), z_j is recomputed exactly (the cursor x: O(L)
   rational work in all, done only at a near-kink) and rounded into z, so
   an exact z_j = 0 takes PyTorch's convention.  Otherwise z_j is a
   transcendental expression that may be 0 or not: the computed sign is
   then used but not vouched for, and kink_sign returns 1 so that the
   evaluation reports GC_UNABLE (the Arb engine prints only what it
   proves); it returns 0 otherwise.  t is scratch. */
static int
kink_sign(mpfr_t z, const mpfr_t w, const mpfr_t aprev, const mpfr_t b,
          _gc_exact_struct * x, const gc_net_t net, slong j, mpfr_t t)
{
    mpfr_mul(t, w, aprev, MPFR_RNDN);
    mpfr_abs(t, t, MPFR_RNDN);
    if (mpfr_sgn(b) >= 0)
        mpfr_add(t, t, b, MPFR_RNDU);
    else
        mpfr_sub(t, t, b, MPFR_RNDU);
    if (!_gc_mpfr_kink_doubt(z, t, j))
        return 0;
    if (!_gc_exact_z(x, net, j))
        return 1;
    mpfr_set_q(z, x->z, MPFR_RNDN);
    return 0;
}

/* The formulas of act_layer: the sigmoid with t = e^-|z|: a = 1/(1+t)
   (z >= 0) or t/(1+t) (z < 0), sp = t/(1+t)^2; the others without
   cancellation:
     tanh      f' = 4 t / (1 + t)^2 with t = e^-2|z| (sech^2 z)
     softplus  f = max(z, 0) + log1p(e^-|z|), f' = sigmoid(z)
     gelu      Phi = erfc(-z / sqrt 2) / 2, f = z Phi,
               f' = Phi + z e^(-z^2/2) / sqrt(2 pi)
   (gelu's f' has a genuine root near z = -0.75, where it loses relative
   accuracy); relu and leaky-relu branch on the sign of z as it is. */
void
_gc_mpfr_act(mpfr_t a, mpfr_t sp, const mpfr_t z,
             const gc_activation_struct * f, mpfr_t t, mpfr_t r)
{
    switch (f->kind)
    {
        case GC_ACT_SIGMOID:
            if (mpfr_sgn(z) >= 0)
            {
                mpfr_neg(t, z, MPFR_RNDN);
                mpfr_exp(t, t, MPFR_RNDN);
                mpfr_add_ui(r, t, 1, MPFR_RNDN);
                mpfr_ui_div(a, 1, r, MPFR_RNDN);
                mpfr_mul(t, t, a, MPFR_RNDN);
                mpfr_mul(sp, t, a, MPFR_RNDN);
            }
            else
            {
                mpfr_exp(t, z, MPFR_RNDN);
                mpfr_add_ui(r, t, 1, MPFR_RNDN);
                mpfr_ui_div(r, 1, r, MPFR_RNDN);
                mpfr_mul(a, t, r, MPFR_RNDN);
                mpfr_mul(sp, a, r, MPFR_RNDN);
            }
            break;
        case GC_ACT_TANH:
            mpfr_abs(t, z, MPFR_RNDN);
            mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
            mpfr_neg(t, t, MPFR_RNDN);
            mpfr_exp(t, t, MPFR_RNDN);
            mpfr_add_ui(r, t, 1, MPFR_RNDN);
            mpfr_sqr(r, r, MPFR_RNDN);
            mpfr_div(sp, t, r, MPFR_RNDN);
            mpfr_mul_2ui(sp, sp, 2, MPFR_RNDN);
            mpfr_tanh(a, z, MPFR_RNDN);
            break;
        case GC_ACT_RELU:
        case GC_ACT_LEAKY_RELU:
            if (mpfr_sgn(z) > 0)
            {
                mpfr_set(a, z, MPFR_RNDN);
                mpfr_set_ui(sp, 1, MPFR_RNDN);
            }
            else if (f->kind == GC_ACT_RELU)
            {
                mpfr_set_zero(a, 1);
                mpfr_set_zero(sp, 1);
            }
            else
            {
                mpfr_mul_q(a, z, f->slope, MPFR_RNDN);
                mpfr_set_q(sp, f->slope, MPFR_RNDN);
            }
            break;
        case GC_ACT_SOFTPLUS:
            mpfr_abs(t, z, MPFR_RNDN);
            mpfr_neg(t, t, MPFR_RNDN);
            mpfr_exp(t, t, MPFR_RNDN);
            mpfr_add_ui(r, t, 1, MPFR_RNDN);
            if (mpfr_sgn(z) >= 0)
                mpfr_ui_div(sp, 1, r, MPFR_RNDN);
            else
                mpfr_div(sp, t, r, MPFR_RNDN);
            mpfr_log1p(r, t, MPFR_RNDN);
            if (mpfr_sgn(z) > 0)
                mpfr_add(a, r, z, MPFR_RNDN);
            else
                mpfr_set(a, r, MPFR_RNDN);
            break;
        case GC_ACT_IDENTITY:
            mpfr_set(a, z, MPFR_RNDN);
            mpfr_set_ui(sp, 1, MPFR_RNDN);
            break;
        case GC_ACT_GELU:
            mpfr_sqrt_ui(t, 2, MPFR_RNDN);
            mpfr_div(r, z, t, MPFR_RNDN);
            mpfr_neg(r, r, MPFR_RNDN);
            mpfr_erfc(r, r, MPFR_RNDN);
            mpfr_div_2ui(r, r, 1, MPFR_RNDN);
            mpfr_sqr(t, z, MPFR_RNDN);
            mpfr_div_2ui(t, t, 1, MPFR_RNDN);
            mpfr_neg(t, t, MPFR_RNDN);
            mpfr_exp(t, t, MPFR_RNDN);
            mpfr_const_pi(sp, MPFR_RNDN);
            mpfr_mul_2ui(sp, sp, 1, MPFR_RNDN);
            mpfr_sqrt(sp, sp, MPFR_RNDN);
            mpfr_div(t, t, sp, MPFR_RNDN);
            mpfr_mul(t, t, z, MPFR_RNDN);
            mpfr_add(sp, r, t, MPFR_RNDN);
            mpfr_mul(a, z, r, MPFR_RNDN);
            break;
        default:
            gc_throw("_gc_mpfr_act: bad activation %d", (int) f->kind);
    }
}

/* One layer j of activation f: z = w aprev + b (one fma), a = f(z), sp =
   f'(z) by _gc_mpfr_act; kink_sign decides the sign of z for relu and
   leaky-relu, with the exact cursor *x*; returns 1 when it could not
   (kink_sign), 0 otherwise.  *a* may alias *aprev*; t and r are
   scratch. */
static int
act_layer(mpfr_t z, mpfr_t a, mpfr_t sp, const mpfr_t w,
          const mpfr_t aprev, const mpfr_t b, _gc_exact_struct * x,
          const gc_net_t net, slong j, mpfr_t t, mpfr_t r)
{
    const gc_activation_struct * f = gc_net_get_act(net, j);
    int guessed = 0;

    mpfr_fma(z, w, aprev, b, MPFR_RNDN);
    if ((f->kind == GC_ACT_RELU || f->kind == GC_ACT_LEAKY_RELU)
        && kink_sign(z, w, aprev, b, x, net, j, t))
        guessed = 1;
    _gc_mpfr_act(a, sp, z, f, t, r);
    return guessed;
}

/* 1 if dC/db_L has the factor f'(z_L): not for cross-entropy, where
   the sigmoid's s'(z_L) cancels against dC/da_L's denominator. */
static int
output_has_sp(const gc_net_t net)
{
    return net->cost != GC_COST_CROSS_ENTROPY;
}

/* The O(1) state of a forward pass streamed layer by layer. */
typedef struct
{
    mpfr_t w, b, z, a, sp, t, r;
    _gc_exact_struct x;
    int guessed; /* a relu sign that act_layer could not decide */
} stream_struct;

static void
stream_init(stream_struct * s, const gc_net_t net, mpfr_prec_t prec)
{
    mpfr_inits2(prec, s->w, s->b, s->z, s->a, s->sp, s->t, s->r,
                (mpfr_ptr) 0);
    mpfr_set_q(s->a, net->a0, MPFR_RNDN);
    _gc_exact_init(&s->x, net);
    s->guessed = 0;
}

static void
stream_clear(stream_struct * s)
{
    mpfr_clears(s->w, s->b, s->z, s->a, s->sp, s->t, s->r, (mpfr_ptr) 0);
    _gc_exact_clear(&s->x);
}

/* Advances *s* through layer j: s->a becomes a_j, s->z is z_j, s->w is
   w_j and s->sp the factor of layer j in a gradient, f_j'(z_j) (1 for
   the output layer with cross-entropy, see output_has_sp). */
static void
stream_step(stream_struct * s, const gc_net_t net, slong j)
{
    (void) gc_net_get_layer_mpfr(s->w, s->b, net, j, MPFR_RNDN);
    s->guessed |= act_layer(s->z, s->a, s->sp, s->w, s->a, s->b, &s->x, net,
                            j, s->t, s->r);
    if (j == net->len && !output_has_sp(net))
        mpfr_set_ui(s->sp, 1, MPFR_RNDN);
}

/* Sets *z* (at its precision) to z_L by a streamed forward pass. */
static void
forward_zlast(mpfr_t z, const gc_net_t net)
{
    stream_struct s;
    slong j;

    stream_init(&s, net, mpfr_get_prec(z));
    for (j = 1; j <= net->len; j++)
        stream_step(&s, net, j);
    mpfr_set(z, s.z, MPFR_RNDN);
    stream_clear(&s);
}


/* Sets *res* (at its precision p) to dC/da_L = a_L - y for the quadratic
   cost, given z_L computed at precision p.  With t = e^-|z|, exactly
       a_L - y = ((1-y) - y t) / (1+t)      for z >= 0,
       a_L - y = ((1-y) t - y) / (1+t)      for z < 0,
   where 1-y and y are exact rationals: the only cancellation left is the
   genuine one of A - B t.  The numerator is computed at p + 64 bits; if
   it loses more bits than the error of z_L allows, z_L is recomputed by a
   streamed forward pass from the exact network at a higher precision
   (doubling at least) until p correct bits remain, or the precision
   reaches DCDA_MAX_FACTOR p (then a_L - y is taken as computed: it is
   exactly 0 when z_L = 0 and y = 1/2). */
static void
dcda_quadratic(mpfr_t res, const mpfr_t zlast, const gc_net_t net)
{
    mpfr_prec_t p = mpfr_get_prec(res), pz = p, q;
    mpfr_t z, t, bt, num;
    mpq_t omy;
    mpq_srcptr A, B;
    mpfr_exp_t loss, top, amp;
    int neg;

    mpq_init(omy);
    mpq_set_ui(omy, 1, 1);
    mpq_sub(omy, omy, net->y);
    mpfr_init2(z, p);
    mpfr_set(z, zlast, MPFR_RNDN);
    mpfr_inits2(p + DCDA_GUARD, t, bt, num, (mpfr_ptr) 0);
    for (;;)
    {
        q = pz + DCDA_GUARD;
        mpfr_set_prec(t, q);
        mpfr_set_prec(bt, q);
        mpfr_set_prec(num, q);

        neg = mpfr_sgn(z) < 0;
        A = neg ? net->y : omy;
        B = neg ? omy : net->y;
        mpfr_abs(t, z, MPFR_RNDN);
        mpfr_neg(t, t, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_mul_q(bt, t, B, MPFR_RNDN);
        mpfr_set_q(num, A, MPFR_RNDN);
        top = FLINT_MAX(exp_or(num, mpfr_get_emin_min()),
                        exp_or(bt, mpfr_get_emin_min()));
        mpfr_sub(num, num, bt, MPFR_RNDN);
        loss = mpfr_regular_p(num) ? top - mpfr_get_exp(num) : q;
        loss = FLINT_MAX(loss, 0);
        if (pz - loss >= p - 8 || pz >= DCDA_MAX_FACTOR * p)
            break;
        /* z_L's own error, relative to t, grows with |z_L| */
        amp = FLINT_MAX(exp_or(z, 0), 0);
        pz = FLINT_MAX(2 * pz, p + loss + amp + DCDA_GUARD);
        pz = FLINT_MIN(pz, DCDA_MAX_FACTOR * p);
        mpfr_set_prec(z, pz);
        forward_zlast(z, net);
    }
    mpfr_add_ui(t, t, 1, MPFR_RNDN);
    mpfr_div(res, num, t, MPFR_RNDN);
    if (neg)
        mpfr_neg(res, res, MPFR_RNDN);

    mpfr_clears(z, t, bt, num, (mpfr_ptr) 0);
    mpq_clear(omy);
}

/* Sets *res* (at its precision) to dC/da_L from z_L and a_L, or for
   cross-entropy (sigmoid output) to dC/dz_L = a_L - y: with a sigmoid
   output a_L - y is dcda_quadratic's, without cancellation; otherwise a
   rounded subtraction; a given dC/da_L is rounded once. */
static void
output_grad(mpfr_t res, const mpfr_t zlast, const mpfr_t alast,
            const gc_net_t net)
{
    if (net->cost == GC_COST_GIVEN)
        mpfr_set_q(res, net->dc_da, MPFR_RNDN);
    else if (gc_net_get_act(net, net->len)->kind == GC_ACT_SIGMOID)
        dcda_quadratic(res, zlast, net);
    else
        mpfr_sub_q(res, alast, net->y, MPFR_RNDN);
}

/* Makes every zero of v[0..n) +0: a gradient that is exactly zero (a
   zero weight, a relu's f' = 0, a_0 = 0) has no sign, and prints as the
   other engines' 0 (the sign of a rounded product of a zero is an
   artefact of the order of the operations). */
static void
unsign_zeros(mpfr_ptr v, slong n)
{
    slong i;

    for (i = 0; i < n; i++)
        if (mpfr_zero_p(v + i))
            mpfr_set_zero(v + i, 1);
}

/* The status of an evaluation that ran between GC_SAVE_EXPO(*s*) and
   GC_RESTORE_EXPO: GC_DOMAIN if a NaN appeared; GC_UNABLE if a value left
   MPFR's widest range (0 or infinity where the exact value is neither)
   or if one of the *n* results v[0..n) does not fit the caller's range
   (then it is checked into that range). */
static int
eval_status(mpfr_ptr v, slong n, const gc_expo_struct * s)
{
    int status = mpfr_nanflag_p() ? GC_DOMAIN : GC_SUCCESS;

    if (mpfr_underflow_p() || mpfr_overflow_p())
        status |= GC_UNABLE;
    return status | _gc_mpfr_vec_check_range(v, n, s, MPFR_RNDN);
}

int
gc_eval_chain_mpfr(gc_trace_t t, const gc_chain_mpfr_t c)
{
    gc_net_srcptr net = c->net;
    slong j, len = t->len;
    gc_expo_struct expo;
    _gc_exact_struct x;
    mpfr_t tmp, r;
    int status, guessed = 0;

    if (c->len != len || c->prec != t->prec)
        gc_throw("gc_eval_chain_mpfr: chain (%ld layers, %ld bits) does not "
                 "match trace (%ld layers, %ld bits)", (long) c->len,
                 (long) c->prec, (long) len, (long) t->prec);
    status = gc_engine_check(GC_ENGINE_MPFR, net);
    if (status != GC_SUCCESS)
        return status;

    GC_SAVE_EXPO(expo);
    mpfr_inits2(t->prec, tmp, r, (mpfr_ptr) 0);

    mpfr_set_q(t->a, net->a0, MPFR_RNDN);
    _gc_exact_init(&x, net);
    for (j = 0; j < len; j++)
        guessed |= act_layer(t->z + j, t->a + j + 1, t->sp + j, c->w + j,
                             t->a + j, c->b + j, &x, net, j + 1, tmp, r);
    _gc_exact_clear(&x);

    if (len > 0)
    {
        output_grad(tmp, t->z + len - 1, t->a + len, net);
        if (output_has_sp(net))
            mpfr_mul(t->db + len - 1, t->sp + len - 1, tmp, MPFR_RNDN);
        else
            mpfr_set(t->db + len - 1, tmp, MPFR_RNDN);
    }
    for (j = len - 2; j >= 0; j--)
    {
        mpfr_mul(tmp, c->w + j + 1, t->db + j + 1, MPFR_RNDN);
        mpfr_mul(t->db + j, t->sp + j, tmp, MPFR_RNDN);
    }
    for (j = 0; j < len; j++)
        mpfr_mul(t->dw + j, t->a + j, t->db + j, MPFR_RNDN);

    unsign_zeros(t->db, 2 * len);
    mpfr_clears(tmp, r, (mpfr_ptr) 0);
    /* the trace is one block of 5 len + 1 numbers from t->z on */
    status = eval_status(t->z, 5 * len + 1, &expo);
    if (guessed)
        status |= GC_UNABLE;
    GC_RESTORE_EXPO(expo);
    return status;
}

int
gc_eval_mpfr(gc_trace_t t, const gc_net_t net)
{
    gc_chain_mpfr_t c;
    int status;

    if (net->len != t->len)
        gc_throw("gc_eval_mpfr: network of %ld layers, trace of %ld",
                 (long) net->len, (long) t->len);
    status = gc_engine_check(GC_ENGINE_MPFR, net);
    if (status != GC_SUCCESS)
        return status;

    gc_chain_mpfr_init(c, net, t->prec);
    status = gc_eval_chain_mpfr(t, c);
    gc_chain_mpfr_clear(c);
    return status;
}

int
gc_eval_param_mpfr(mpfr_t res, const gc_net_t net, const gc_param_t p)
{
    stream_struct s;
    slong j, k;
    gc_expo_struct expo;
    mpfr_t acc;
    int status;

    j = p->layer;
    GC_CHECK_LAYER("gc_eval_param_mpfr", j, net->len);
    status = gc_engine_check(GC_ENGINE_MPFR, net);
    if (status != GC_SUCCESS)
        return status;

    GC_SAVE_EXPO(expo);
    stream_init(&s, net, mpfr_get_prec(res));
    mpfr_init2(acc, mpfr_get_prec(res));

    for (k = 1; k < j; k++)
    {
        stream_step(&s, net, k);
        /* f'(z_k) is no factor of dC/dp: a value that left the range
           there does not matter, one in a_k (positive) does */
        if (!mpfr_zero_p(s.a))
            mpfr_flags_clear(MPFR_FLAGS_UNDERFLOW | MPFR_FLAGS_OVERFLOW);
    }
    /* dC/dw_j starts with a_{j-1}, dC/db_j with 1 */
    if (p->kind == GC_PARAM_W)
        mpfr_set(acc, s.a, MPFR_RNDN);
    stream_step(&s, net, j);
    if (p->kind == GC_PARAM_W)
        mpfr_mul(acc, acc, s.sp, MPFR_RNDN);
    else
        mpfr_set(acc, s.sp, MPFR_RNDN);
    for (k = j + 1; k <= net->len; k++)
    {
        stream_step(&s, net, k);
        mpfr_mul(acc, acc, s.w, MPFR_RNDN);
        mpfr_mul(acc, acc, s.sp, MPFR_RNDN);
    }
    output_grad(s.t, s.z, s.a, net);
    mpfr_mul(res, acc, s.t, MPFR_RNDN);
    unsign_zeros(res, 1);

    mpfr_clear(acc);
    status = s.guessed ? GC_UNABLE : GC_SUCCESS;
    stream_clear(&s);
    status |= eval_status(res, 1, &expo);
    GC_RESTORE_EXPO(expo);
    return status;
}
