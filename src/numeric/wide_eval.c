/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.

    wide_eval.c -- networks of wide layers (gradchain/wide.h) evaluated
    in Arb balls: every dC/db^l_i by one backward pass, dC/dW^l for one
    layer, one entry streamed forward, per-layer norms and the Ziv loop.
    The activations and the output gradient are the chain engine's
    (ball.c: _gc_arb_act, _gc_arb_output_grad).
*/

#include "gc-impl.h"

/* GC_SUCCESS if the engines take *net*: cross-entropy needs a sigmoid
   output layer (a - y is then dC/dz^L), as for chains. */
static int
wnet_check(const gc_wnet_t net)
{
    return (net->cost != GC_COST_CROSS_ENTROPY || net->len == 0
            || net->act[net->len - 1].kind == GC_ACT_SIGMOID)
           ? GC_SUCCESS : GC_UNABLE;
}

/* The largest width, and the most parameters of a layer. */
static slong
max_width(const gc_wnet_t net)
{
    slong l, m = 0;

    for (l = 0; l <= net->len; l++)
        m = FLINT_MAX(m, net->width[l]);
    return m;
}

static slong
max_layer_params(const gc_wnet_t net)
{
    slong l, m = 1;

    for (l = 1; l <= net->len; l++)
        m = FLINT_MAX(m, net->off[l] - net->off[l - 1]);
    return m;
}

/* The exact rational forward pass, neuron by neuron, advanced only when
   a relu or leaky-relu z^l_i is in doubt (a ball that contains 0, or
   MPFR's z within its rounding of 0): j layers are done, and a = a^j
   exactly where known[k] says it is known.  A value is known where every
   term of its z is: z^l_i = b^l_i + sum_k W^l_{ik} a^{l-1}_k is known
   when each a^{l-1}_k whose weight is not exactly 0 is known (so a row
   of zero weights gives z = b exactly after any layer), and a^l_i =
   f(z^l_i) when z^l_i is known and f(z) is exactly known there (a
   piecewise-linear f, or sigmoid, tanh, gelu at z = 0: _gc_act_exact).  This decides
   exactly every z that these rules reach, in particular each exact
   zero of a relu after a smooth layer where the smooth values drop out
   through zero weights or sit at a rational point; the others (a sum of
   smooth values that cancels, such as a_1 - a_2 of two identical
   neurons) stay unknown, and the engines say so (the union of both
   sides in Arb, GC_UNABLE in MPFR).  The vectors are allocated at the
   first use (most networks never need them). */
typedef struct
{
    mpq_ptr a, t;
    char * known, * tknown;
    slong alloc;
    slong j;
    mpq_t z, w;
} wexact_struct;

static void
wexact_init(wexact_struct * x)
{
    x->a = NULL;
    x->t = NULL;
    x->known = NULL;
    x->tknown = NULL;
    x->alloc = 0;
    x->j = 0;
    mpq_init(x->z);
    mpq_init(x->w);
}

static void
wexact_clear(wexact_struct * x)
{
    slong i;

    for (i = 0; i < x->alloc; i++)
    {
        mpq_clear(x->a + i);
        mpq_clear(x->t + i);
    }
    flint_free(x->a);
    flint_free(x->t);
    flint_free(x->known);
    flint_free(x->tknown);
    mpq_clear(x->z);
    mpq_clear(x->w);
}

/* Sets z = b^l_i + sum_k W^l_{ik} a_k exactly and returns 1 if every
   term with a weight other than 0 has a known a_k (known[k]); returns 0
   otherwise (z unspecified).  w is scratch. */
static int
exact_z(mpq_t z, mpq_t w, const gc_wnet_t net, mpq_srcptr a,
        const char * known, slong l, slong i)
{
    slong k, n = net->width[l - 1];
    slong base = net->off[l - 1] + (i - 1) * (n + 1);

    gc_wnet_get_param_q(z, net, base + n);
    for (k = 0; k < n; k++)
    {
        gc_wnet_get_param_q(w, net, base + k);
        if (mpq_sgn(w) == 0)
            continue;
        if (!known[k])
            return 0;
        mpq_mul(w, w, a + k);
        mpq_add(z, z, w);
    }
    return 1;
}

/* Sets x->z to the exact z^l_i and returns 1 if it is known (the rules
   of wexact_struct), 0 otherwise. */
static int
wexact_z(wexact_struct * x, const gc_wnet_t net, slong l, slong i)
{
    slong k, m;
    mpq_ptr s;
    char * c;

    if (x->alloc == 0)
    {
        x->alloc = max_width(net);
        x->a = flint_malloc(x->alloc * sizeof(__mpq_struct));
        x->t = flint_malloc(x->alloc * sizeof(__mpq_struct));
        x->known = flint_malloc(x->alloc);
        x->tknown = flint_malloc(x->alloc);
        for (k = 0; k < x->alloc; k++)
        {
            mpq_init(x->a + k);
            mpq_init(x->t + k);
        }
        x->j = l; /* start from a0 below */
    }
    if (x->j > l - 1)
    {
        for (k = 0; k < net->width[0]; k++)
        {
            mpq_set(x->a + k, net->a0 + k);
            x->known[k] = 1;
        }
        x->j = 0;
    }
    while (x->j < l - 1)
    {
        const gc_activation_struct * f = net->act + x->j;

        x->j++;
        for (m = 0; m < net->width[x->j]; m++)
            x->tknown[m] = exact_z(x->t + m, x->w, net, x->a, x->known,
                                   x->j, m + 1)
                           && _gc_act_exact(x->t + m, f);
        s = x->a;
        x->a = x->t;
        x->t = s;
        c = x->known;
        x->known = x->tknown;
        x->tknown = c;
    }
    return exact_z(x->z, x->w, net, x->a, x->known, l, i);
}

/* What a forward pass needs besides its balls. */
typedef struct
{
    const gc_wnet_struct * net;
    slong prec;
    wexact_struct x;
    arb_t d;
    mpq_t q;
} wfwd_struct;

static void
wfwd_init(wfwd_struct * f, const gc_wnet_t net, slong prec)
{
    f->net = net;
    f->prec = prec;
    wexact_init(&f->x);
    arb_init(f->d);
    mpq_init(f->q);
}

static void
wfwd_clear(wfwd_struct * f)
{
    wexact_clear(&f->x);
    arb_clear(f->d);
    mpq_clear(f->q);
}

/* Sets p to the parameters of layer l (their layout in net->wb), each
   rounded once to f->prec: a binary64 word decoded exactly from its bits
   (a 53-bit integer times a power of 2, without arb_set_d's
   conversion), then rounded when prec < 53, as _gc_arb_set_q rounds the
   same value; a rational by _gc_arb_set_q. */
static void
round_layer(arb_ptr p, wfwd_struct * f, slong l)
{
    const gc_wnet_struct * net = f->net;
    slong idx, e;
    ulong u, m;

    for (idx = net->off[l - 1]; idx < net->off[l]; idx++, p++)
    {
        u = net->wb[idx];
        if ((u & GC_NET_CQ_TAG) == GC_NET_CQ_TAG)
        {
            gc_wnet_get_param_q(f->q, net, idx);
            _gc_arb_set_q(p, f->q, f->prec);
            continue;
        }
        m = u & ((UWORD(1) << 52) - 1);
        e = (slong) ((u >> 52) & 0x7ff);
        if (e == 0)
            e = 1; /* subnormal, or zero */
        else
            m |= UWORD(1) << 52;
        arf_set_ui(arb_midref(p), m);
        arf_mul_2exp_si(arb_midref(p), arb_midref(p), e - 1075);
        if (u >> 63)
            arf_neg(arb_midref(p), arb_midref(p));
        mag_zero(arb_radref(p));
        if (f->prec < 53)
            arb_set_round(p, p, f->prec);
    }
}

/* Layer l from a = a^{l-1} and its rounded parameters p (round_layer):
   z = z^l, anew = a^l, sp = f'(z^l).  Each z^l_i = b^l_i + sum_k
   W^l_{ik} a_k is one arb_dot (the sum enclosed as a whole, terms in the
   order k = 1..n_{l-1}); a relu or leaky-relu ball that contains 0 is
   replaced by the exact z^l_i when it is known (wexact_z). */
static void
wfwd_layer(wfwd_struct * f, arb_ptr z, arb_ptr anew, arb_ptr sp,
           arb_srcptr p, arb_srcptr a, slong l)
{
    const gc_wnet_struct * net = f->net;
    const gc_activation_struct * act = net->act + l - 1;
    slong i, n = net->width[l - 1];
    int kink = act->kind == GC_ACT_RELU || act->kind == GC_ACT_LEAKY_RELU;

    for (i = 0; i < net->width[l]; i++)
    {
        arb_srcptr row = p + i * (n + 1);

        arb_dot(z + i, row + n, 0, row, 1, a, 1, n, f->prec);
        if (kink && arb_contains_zero(z + i) && !arb_is_zero(z + i)
            && wexact_z(&f->x, net, l, i + 1))
            _gc_arb_set_q(z + i, f->x.z, f->prec);
        _gc_arb_act(anew + i, sp + i, f->d, z + i, act, f->prec);
    }
}

/* Sets a to a0 rounded once to prec. */
static void
round_input(arb_ptr a, const gc_wnet_t net, slong prec)
{
    slong k;

    for (k = 0; k < net->width[0]; k++)
        _gc_arb_set_q(a + k, net->a0 + k, prec);
}

/* Sets g to the output gradient of every output neuron from z^L and
   a^L (g may alias z): a - y, dC/da^L for the quadratic cost and dC/dz^L
   for cross-entropy. */
static void
output_grads(arb_ptr g, arb_srcptr z, arb_srcptr a, const gc_wnet_t net,
             slong prec)
{
    slong i;

    for (i = 0; i < net->width[net->len]; i++)
        _gc_arb_output_grad(g + i, z + i, a + i, net->y + i,
                            net->act + net->len - 1, prec);
}

size_t
gc_wnet_eval_arb_bytes(const gc_wnet_t net, slong prec)
{
    /* every neuron's ball; one layer's rounded parameters and three
       vectors of the widest layer */
    return _gc_bytes_estimate(net->noff[net->len] + max_layer_params(net),
                              _gc_arb_bytes(prec),
                              (size_t) (3 * max_width(net) + 2)
                              * _gc_arb_bytes(prec));
}

size_t
gc_wnet_eval_entry_arb_bytes(const gc_wnet_t net, slong prec)
{
    return _gc_bytes_estimate(max_layer_params(net) + 6 * max_width(net),
                              _gc_arb_bytes(prec), 2 * _gc_arb_bytes(prec));
}

int
gc_wnet_eval_arb(arb_ptr db, const gc_wnet_t net, slong prec)
{
    slong l, k, len = net->len, mw = max_width(net);
    slong mp = max_layer_params(net);
    const slong * noff = net->noff, * width = net->width;
    wfwd_struct f;
    arb_ptr p, v, a, anew, z, s;
    arb_t t;

    if (wnet_check(net) != GC_SUCCESS)
        return GC_UNABLE;
    if (len == 0)
        return GC_SUCCESS;

    wfwd_init(&f, net, prec);
    p = _arb_vec_init(mp);
    v = _arb_vec_init(3 * mw);
    a = v;
    anew = a + mw;
    z = anew + mw;
    arb_init(t);

    /* forward: f'(z^l) goes to db, which the backward pass multiplies */
    round_input(a, net, prec);
    for (l = 1; l <= len; l++)
    {
        round_layer(p, &f, l);
        wfwd_layer(&f, z, anew, db + noff[l - 1], p, a, l);
        s = a;
        a = anew;
        anew = s;
    }
    output_grads(z, z, a, net, prec);
    for (k = 0; k < width[len]; k++)
    {
        /* cross-entropy: s'(z^L) is in dC/dz^L already */
        if (net->cost == GC_COST_CROSS_ENTROPY)
            arb_swap(db + noff[len - 1] + k, z + k);
        else
            arb_mul(db + noff[len - 1] + k, db + noff[len - 1] + k, z + k,
                    prec);
    }
    /* backward: delta^l_k = f'(z^l_k) sum_i W^{l+1}_{ik} delta^{l+1}_i,
       the column k of W^{l+1} (rounded again: the same balls) read with
       stride n_l + 1 */
    for (l = len - 1; l >= 1; l--)
    {
        round_layer(p, &f, l + 1);
        for (k = 0; k < width[l]; k++)
        {
            arb_dot(t, NULL, 0, p + k, width[l] + 1, db + noff[l], 1,
                    width[l + 1], prec);
            arb_mul(db + noff[l - 1] + k, db + noff[l - 1] + k, t, prec);
        }
    }

    arb_clear(t);
    _arb_vec_clear(p, mp);
    _arb_vec_clear(v, 3 * mw);
    wfwd_clear(&f);
    return GC_SUCCESS;
}

/* A forward pass streamed layer by layer in O(n^2) balls: the rounded
   parameters of the current layer, its z, f'(z), and a^{l-1}, a^l. */
typedef struct
{
    wfwd_struct f;
    arb_ptr v;     /* the block of every vector below */
    slong nv;
    arb_ptr p, a, anew, z, sp, t, u;
} wstream_struct;

static void
wstream_init(wstream_struct * s, const gc_wnet_t net, slong prec)
{
    slong mw = max_width(net), mp = max_layer_params(net);

    wfwd_init(&s->f, net, prec);
    s->nv = mp + 6 * mw;
    s->v = _arb_vec_init(s->nv);
    s->p = s->v;
    s->a = s->p + mp;
    s->anew = s->a + mw;
    s->z = s->anew + mw;
    s->sp = s->z + mw;
    s->t = s->sp + mw;
    s->u = s->t + mw;
    round_input(s->a, net, prec);
}

static void
wstream_clear(wstream_struct * s)
{
    _arb_vec_clear(s->v, s->nv);
    wfwd_clear(&s->f);
}

/* Advances *s* through layer l: s->a becomes a^l, s->z z^l, s->sp
   f'(z^l), s->p the rounded parameters of layer l (s->anew a^{l-1}). */
static void
wstream_step(wstream_struct * s, slong l)
{
    arb_ptr x;

    round_layer(s->p, &s->f, l);
    wfwd_layer(&s->f, s->z, s->anew, s->sp, s->p, s->a, l);
    x = s->a;
    s->a = s->anew;
    s->anew = x;
}

int
gc_wnet_eval_entry_arb(arb_t res, const gc_wnet_t net, slong l, slong i,
                       slong prec)
{
    wstream_struct s;
    slong m, j, n;
    arb_ptr x;

    (void) gc_wnet_neuron_index(net, l, i); /* gc_throw out of range */
    if (wnet_check(net) != GC_SUCCESS)
        return GC_UNABLE;

    wstream_init(&s, net, prec);
    /* forward mode: t = d a^m / d b^l_i, from f'(z^l_i) e_i on */
    for (m = 1; m <= net->len; m++)
    {
        wstream_step(&s, m);
        n = net->width[m - 1];
        if (m == net->len && net->cost == GC_COST_CROSS_ENTROPY)
            for (j = 0; j < net->width[m]; j++)
                arb_one(s.sp + j); /* in dC/dz^L */
        if (m == l)
        {
            _arb_vec_zero(s.t, net->width[m]);
            arb_set(s.t + i - 1, s.sp + i - 1);
        }
        else if (m > l)
        {
            for (j = 0; j < net->width[m]; j++)
            {
                arb_dot(s.u + j, NULL, 0, s.p + j * (n + 1), 1, s.t, 1, n,
                        prec);
                arb_mul(s.u + j, s.u + j, s.sp + j, prec);
            }
            x = s.t;
            s.t = s.u;
            s.u = x;
        }
    }
    output_grads(s.z, s.z, s.a, net, prec);
    arb_dot(res, NULL, 0, s.z, 1, s.t, 1, net->width[net->len], prec);
    wstream_clear(&s);
    return GC_SUCCESS;
}

int
gc_wnet_eval_dw_arb(arb_ptr dw, arb_srcptr db, const gc_wnet_t net,
                    slong l, slong prec)
{
    wstream_struct s;
    slong m, i, k, n;

    (void) gc_wnet_neuron_index(net, l, 1); /* gc_throw out of range */
    if (wnet_check(net) != GC_SUCCESS)
        return GC_UNABLE;

    wstream_init(&s, net, prec);
    for (m = 1; m < l; m++)
        wstream_step(&s, m);
    n = net->width[l - 1];
    for (i = 0; i < net->width[l]; i++)
        for (k = 0; k < n; k++)
            arb_mul(dw + i * n + k, db + net->noff[l - 1] + i, s.a + k,
                    prec);
    wstream_clear(&s);
    return GC_SUCCESS;
}

void
gc_wnet_layer_stats_arb(arb_t norm, arb_t max_abs, arb_t min_abs,
                        arb_srcptr db, const gc_wnet_t net, slong l,
                        slong prec)
{
    slong i, n;
    arb_srcptr v;
    arb_t t;

    v = db + gc_wnet_neuron_index(net, l, 1);
    n = net->width[l];
    arb_dot(norm, NULL, 0, v, 1, v, 1, n, prec);
    arb_sqrtpos(norm, norm, prec);
    arb_init(t);
    arb_abs(max_abs, v);
    arb_set(min_abs, max_abs);
    for (i = 1; i < n; i++)
    {
        arb_abs(t, v + i);
        arb_max(max_abs, max_abs, t, prec);
        arb_min(min_abs, min_abs, t, prec);
    }
    arb_clear(t);
}

/* gc_wnet_eval_arb, gc_wnet_eval_entry_arb and gc_wnet_eval_dw_arb as
   _gc_ziv_loop calls them. */
typedef struct
{
    arb_struct * db;
    arb_struct * dw;
    const gc_wnet_struct * net;
    slong l, i;
} ziv_arg;

static int
ziv_eval(void * arg, slong prec)
{
    ziv_arg * z = arg;

    return gc_wnet_eval_arb(z->db, z->net, prec);
}

static int
ziv_entry(void * arg, slong prec)
{
    ziv_arg * z = arg;

    return gc_wnet_eval_entry_arb(z->db, z->net, z->l, z->i, prec);
}

/* Every dC/db^l_i, then dC/dW^l from them at the same precision. */
static int
ziv_dw(void * arg, slong prec)
{
    ziv_arg * z = arg;
    int status = gc_wnet_eval_arb(z->db, z->net, prec);

    return status != GC_SUCCESS
           ? status : gc_wnet_eval_dw_arb(z->dw, z->db, z->net, z->l, prec);
}

int
gc_wnet_eval_arb_digits(arb_ptr db, const gc_wnet_t net, slong digits,
                        slong max_prec, slong * prec_used)
{
    ziv_arg z = {db, NULL, net, 0, 0};

    return _gc_ziv_loop(ziv_eval, &z, db, net->noff[net->len], 1, digits,
                        net->len, max_prec, prec_used,
                        "gc_wnet_eval_arb_digits");
}

int
gc_wnet_eval_entry_arb_digits(arb_t res, const gc_wnet_t net, slong l,
                              slong i, slong digits, slong max_prec,
                              slong * prec_used)
{
    ziv_arg z = {res, NULL, net, l, i};

    return _gc_ziv_loop(ziv_entry, &z, res, 1, 0, digits, net->len,
                        max_prec, prec_used,
                        "gc_wnet_eval_entry_arb_digits");
}

int
gc_wnet_eval_dw_arb_digits(arb_ptr dw, arb_ptr db, const gc_wnet_t net,
                           slong l, slong digits, slong max_prec,
                           slong * prec_used)
{
    ziv_arg z = {db, dw, net, l, 0};

    (void) gc_wnet_neuron_index(net, l, 1); /* gc_throw out of range */
    /* the predicate covers the n_l n_{l-1} balls of dW^l only: db is the
       means, its digits are not printed */
    return _gc_ziv_loop(ziv_dw, &z, dw, net->width[l] * net->width[l - 1],
                        1, digits, net->len, max_prec, prec_used,
                        "gc_wnet_eval_dw_arb_digits");
}

/* ---- the MPFR evaluation ---- */

size_t
gc_wnet_eval_mpfr_bytes(const gc_wnet_t net, slong prec)
{
    slong mw = max_width(net);

    /* db and one layer's rounded parameters; three vectors of the widest
       layer and two arrays of its pointers for mpfr_dot */
    return _gc_bytes_estimate(net->noff[net->len] + max_layer_params(net),
                              _gc_mpfr_bytes(prec),
                              (size_t) (3 * mw + 3) * _gc_mpfr_bytes(prec)
                              + (size_t) (2 * mw + 2) * sizeof(mpfr_ptr));
}

/* Sets g to a - y for the output a = f(z): with a sigmoid f from z,
   ((1 - y) - y t) / (1 + t) for z >= 0 and ((1 - y) t - y) / (1 + t)
   for z < 0, t = e^-|z|, the numerator at 64 more bits (the formula of
   the chain's dC/da_L, without its refinement of z); otherwise a - y.
   t, u and omy are scratch. */
static void
mpfr_output_grad(mpfr_t g, const mpfr_t z, const mpfr_t a, const mpq_t y,
                 const gc_activation_struct * f, mpfr_t t, mpfr_t u,
                 mpq_t omy)
{
    int neg = mpfr_sgn(z) < 0;

    if (f->kind != GC_ACT_SIGMOID)
    {
        mpfr_sub_q(g, a, y, MPFR_RNDN);
        return;
    }
    mpq_set_ui(omy, 1, 1);
    mpq_sub(omy, omy, y);
    mpfr_set_prec(t, mpfr_get_prec(g) + 64);
    mpfr_set_prec(u, mpfr_get_prec(g) + 64);
    mpfr_abs(t, z, MPFR_RNDN);
    mpfr_neg(t, t, MPFR_RNDN);
    mpfr_exp(t, t, MPFR_RNDN);
    mpfr_mul_q(u, t, neg ? omy : y, MPFR_RNDN);
    mpfr_sub_q(u, u, neg ? y : omy, MPFR_RNDN);
    if (!neg)
        mpfr_neg(u, u, MPFR_RNDN);
    mpfr_add_ui(t, t, 1, MPFR_RNDN);
    mpfr_div(g, u, t, MPFR_RNDN);
}

int
gc_wnet_eval_mpfr(mpfr_ptr db, const gc_wnet_t net)
{
    slong len = net->len, mw = max_width(net), mp = max_layer_params(net);
    slong l, i, k, n, m, prec;
    const slong * off = net->off, * noff = net->noff, * width = net->width;
    gc_expo_struct expo;
    wexact_struct x;
    mpfr_ptr p, a, anew, z, s, * xp, * yp;
    mpfr_t t, r, one;
    mpq_t omy;
    int status, guessed = 0;

    if (wnet_check(net) != GC_SUCCESS)
        return GC_UNABLE;
    if (len == 0)
        return GC_SUCCESS;

    prec = mpfr_get_prec(db);
    GC_SAVE_EXPO(expo);
    /* one layer's rounded parameters, then a^{l-1}, a^l and z^l */
    p = flint_malloc((mp + 3 * mw) * sizeof(__mpfr_struct));
    for (i = 0; i < mp + 3 * mw; i++)
        mpfr_init2(p + i, prec);
    a = p + mp;
    anew = a + mw;
    z = anew + mw;
    xp = flint_malloc(2 * (mw + 1) * sizeof(mpfr_ptr));
    yp = xp + mw + 1;
    mpfr_inits2(prec, t, r, one, (mpfr_ptr) 0);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpq_init(omy);
    wexact_init(&x);

    for (k = 0; k < width[0]; k++)
        mpfr_set_q(a + k, net->a0 + k, MPFR_RNDN);
    for (l = 1; l <= len; l++)
    {
        const gc_activation_struct * f = net->act + l - 1;
        mpfr_ptr row;

        n = width[l - 1];
        for (k = off[l - 1]; k < off[l]; k++)
            (void) gc_wnet_get_param_mpfr(p + k - off[l - 1], net, k,
                                          MPFR_RNDN);
        for (i = 0; i < width[l]; i++)
        {
            /* z^l_i = W_i1 a_1 + ... + W_in a_n + b_i 1, rounded once */
            row = p + i * (n + 1);
            for (k = 0; k <= n; k++)
            {
                xp[k] = row + k;
                yp[k] = k < n ? a + k : one;
            }
            mpfr_dot(z + i, xp, yp, (unsigned long) n + 1, MPFR_RNDN);
            if (f->kind == GC_ACT_RELU || f->kind == GC_ACT_LEAKY_RELU)
            {
                /* t >= |b| + sum |W a|, for the sign's doubt */
                mpfr_abs(t, row + n, MPFR_RNDU);
                for (k = 0; k < n; k++)
                {
                    mpfr_mul(r, row + k, a + k, MPFR_RNDA);
                    mpfr_abs(r, r, MPFR_RNDU);
                    mpfr_add(t, t, r, MPFR_RNDU);
                }
                if (_gc_mpfr_kink_doubt(z + i, t, l))
                {
                    if (wexact_z(&x, net, l, i + 1))
                        mpfr_set_q(z + i, x.z, MPFR_RNDN);
                    else
                        guessed = 1;
                }
            }
            _gc_mpfr_act(anew + i, db + noff[l - 1] + i, z + i, f, t, r);
        }
        s = a;
        a = anew;
        anew = s;
    }
    for (i = 0; i < width[len]; i++)
    {
        mpfr_output_grad(anew + i, z + i, a + i, net->y + i,
                         net->act + len - 1, t, r, omy);
        /* cross-entropy: s'(z^L) is in dC/dz^L already */
        if (net->cost == GC_COST_CROSS_ENTROPY)
            mpfr_set(db + noff[len - 1] + i, anew + i, MPFR_RNDN);
        else
            mpfr_mul(db + noff[len - 1] + i, db + noff[len - 1] + i,
                     anew + i, MPFR_RNDN);
    }
    mpfr_set_prec(t, prec);
    for (l = len - 1; l >= 1; l--)
    {
        m = width[l + 1];
        for (k = off[l]; k < off[l + 1]; k++) /* layer l + 1 again */
            (void) gc_wnet_get_param_mpfr(p + k - off[l], net, k,
                                          MPFR_RNDN);
        for (k = 0; k < width[l]; k++)
        {
            for (i = 0; i < m; i++)
            {
                xp[i] = p + i * (width[l] + 1) + k;
                yp[i] = db + noff[l] + i;
            }
            mpfr_dot(t, xp, yp, (unsigned long) m, MPFR_RNDN);
            mpfr_mul(db + noff[l - 1] + k, db + noff[l - 1] + k, t,
                     MPFR_RNDN);
        }
    }
    for (i = 0; i < noff[len]; i++)
        if (mpfr_zero_p(db + i))
            mpfr_set_zero(db + i, 1); /* a zero gradient has no sign */

    status = mpfr_nanflag_p() ? GC_DOMAIN : GC_SUCCESS;
    if (mpfr_underflow_p() || mpfr_overflow_p() || guessed)
        status |= GC_UNABLE;
    status |= _gc_mpfr_vec_check_range(db, noff[len], &expo, MPFR_RNDN);
    wexact_clear(&x);
    mpq_clear(omy);
    mpfr_clears(t, r, one, (mpfr_ptr) 0);
    flint_free(xp);
    for (i = 0; i < mp + 3 * mw; i++)
        mpfr_clear(p + i);
    flint_free(p);
    GC_RESTORE_EXPO(expo);
    return status;
}
