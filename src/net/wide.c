/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.

    wide.c -- networks of wide layers (gradchain/wide.h): storage and
    access.  The parameters are compact words shared with the chain's
    compact storage (net-impl.h, _gc_word_*).
*/

#include <math.h>
#include <string.h>

#include "net-impl.h"

void
gc_wnet_init(gc_wnet_t net)
{
    net->len = 0;
    net->width = flint_malloc(sizeof(slong));
    net->width[0] = 1;
    net->off = flint_calloc(1, sizeof(slong));
    net->noff = flint_calloc(1, sizeof(slong));
    net->wb = NULL;
    net->cq = NULL;
    net->ncq = 0;
    net->cq_alloc = 0;
    net->a0 = flint_malloc(sizeof(__mpq_struct));
    mpq_init(net->a0);
    mpq_set_ui(net->a0, 1, 1);
    net->y = flint_malloc(sizeof(__mpq_struct));
    mpq_init(net->y);
    net->act = NULL;
    net->cost = GC_COST_QUADRATIC;
}

/* Frees the vector v of n rationals. */
static void
q_vec_clear(mpq_ptr v, slong n)
{
    slong i;

    for (i = 0; i < n; i++)
        mpq_clear(v + i);
    flint_free(v);
}

/* Frees everything but the cost, leaving the fields dangling. */
static void
wnet_free(gc_wnet_t net)
{
    slong l;

    q_vec_clear(net->a0, net->width[0]);
    q_vec_clear(net->y, net->width[net->len]);
    q_vec_clear(net->cq, net->cq_alloc);
    for (l = 0; l < net->len; l++)
        gc_activation_clear(net->act + l);
    flint_free(net->act);
    flint_free(net->wb);
    flint_free(net->width);
    flint_free(net->off);
    flint_free(net->noff);
}

void
gc_wnet_clear(gc_wnet_t net)
{
    wnet_free(net);
}

/* Sets *params* and *neurons* to the parameter and neuron counts of the
   widths; returns 0 if a count overflows a slong. */
static int
wnet_counts(slong * params, slong * neurons, slong len, const slong * width)
{
    slong l;
    ulong hi, lo;

    *params = 0;
    *neurons = 0;
    for (l = 1; l <= len; l++)
    {
        umul_ppmm(hi, lo, (ulong) width[l], (ulong) width[l - 1] + 1);
        if (hi != 0 || lo > (ulong) (WORD_MAX - *params)
            || width[l] > WORD_MAX - *neurons)
            return 0;
        *params += (slong) lo;
        *neurons += width[l];
    }
    return 1;
}

/* A new vector of n rationals, each set to v. */
static mpq_ptr
q_vec_init(slong n, ulong v, const char * fn)
{
    mpq_ptr x = flint_malloc(_gc_array_bytes(n, sizeof(__mpq_struct), fn));
    slong i;

    for (i = 0; i < n; i++)
    {
        mpq_init(x + i);
        mpq_set_ui(x + i, v, 1);
    }
    return x;
}

void
gc_wnet_set_widths(gc_wnet_t net, slong len, const slong * width)
{
    const char * fn = "gc_wnet_set_widths";
    slong l, params, neurons;

    if (len < 0 || len >= WORD_MAX / 2)
        gc_throw("%s: bad number of layers %ld", fn, (long) len);
    for (l = 0; l <= len; l++)
        if (width[l] < 1)
            gc_throw("%s: width %ld of layer %ld", fn, (long) width[l],
                     (long) l);
    if (!wnet_counts(&params, &neurons, len, width))
        gc_throw("%s: the parameters do not fit a slong", fn);
    wnet_free(net);
    net->len = len;
    net->width = flint_malloc(_gc_array_bytes(len + 1, sizeof(slong), fn));
    net->off = flint_malloc(_gc_array_bytes(len + 1, sizeof(slong), fn));
    net->noff = flint_malloc(_gc_array_bytes(len + 1, sizeof(slong), fn));
    memcpy(net->width, width, (size_t) (len + 1) * sizeof(slong));
    net->off[0] = 0;
    net->noff[0] = 0;
    for (l = 1; l <= len; l++)
    {
        net->off[l] = net->off[l - 1] + width[l] * (width[l - 1] + 1);
        net->noff[l] = net->noff[l - 1] + width[l];
    }
    net->wb = flint_calloc(FLINT_MAX(params, 1), sizeof(ulong));
    net->cq = NULL;
    net->ncq = 0;
    net->cq_alloc = 0;
    net->a0 = q_vec_init(width[0], 1, fn);
    net->y = q_vec_init(width[len], 0, fn);
    net->act = flint_malloc(_gc_array_bytes(FLINT_MAX(len, 1),
                                            sizeof(gc_activation_struct), fn));
    for (l = 0; l < len; l++)
        gc_activation_init(net->act + l);
}

size_t
gc_wnet_bytes(slong len, const slong * width)
{
    slong params, neurons;

    if (len < 0 || len >= WORD_MAX / 4
        || !wnet_counts(&params, &neurons, len, width))
        return SIZE_MAX;
    /* the words, and per layer a width, two offsets and an activation */
    return _gc_bytes_estimate(params, sizeof(ulong),
                              _gc_array_bytes(len + 1, 3 * sizeof(slong)
                                              + sizeof(gc_activation_struct),
                                              "gc_wnet_bytes"));
}

/* gc_throw unless 1 <= l <= len and 1 <= i <= n_l. */
static void
check_neuron(const gc_wnet_t net, slong l, slong i, const char * fn)
{
    if (l < 1 || l > net->len || i < 1 || i > net->width[l])
        gc_throw("%s: no neuron %ld of layer %ld", fn, (long) i, (long) l);
}

slong
gc_wnet_param_index(const gc_wnet_t net, slong l, slong i, slong k)
{
    check_neuron(net, l, i, "gc_wnet_param_index");
    if (k < 1 || k > net->width[l - 1] + 1)
        gc_throw("gc_wnet_param_index: no parameter %ld of a row of layer "
                 "%ld", (long) k, (long) l);
    return net->off[l - 1] + (i - 1) * (net->width[l - 1] + 1) + k - 1;
}

slong
gc_wnet_neuron_index(const gc_wnet_t net, slong l, slong i)
{
    check_neuron(net, l, i, "gc_wnet_neuron_index");
    return net->noff[l - 1] + i - 1;
}

/* gc_throw unless idx is the index of a parameter of *net*. */
static void
check_param(const gc_wnet_t net, slong idx, const char * fn)
{
    if (idx < 0 || idx >= net->off[net->len])
        gc_throw("%s: no parameter of index %ld", fn, (long) idx);
}

void
gc_wnet_set_param_q(gc_wnet_t net, slong idx, const mpq_t q)
{
    double d;
    ulong u;

    check_param(net, idx, "gc_wnet_set_param_q");
    u = net->wb[idx];
    if ((u & GC_NET_CQ_TAG) == GC_NET_CQ_TAG && !_gc_q_get_d_exact(&d, q))
        mpq_set(net->cq + (u & ~GC_NET_CQ_TAG), q); /* reuse its entry */
    else
        net->wb[idx] = _gc_word_q(&net->cq, &net->ncq, &net->cq_alloc, q,
                                  "gc_wnet_set_param_q");
}

void
gc_wnet_set_param_d(gc_wnet_t net, slong idx, double d)
{
    check_param(net, idx, "gc_wnet_set_param_d");
    if (!isfinite(d))
        gc_throw("gc_wnet_set_param_d: %g is not finite", d);
    net->wb[idx] = _gc_word_d(d);
}

void
gc_wnet_get_param_q(mpq_t q, const gc_wnet_t net, slong idx)
{
    check_param(net, idx, "gc_wnet_get_param_q");
    _gc_word_get_q(q, net->cq, net->wb[idx]);
}

int
gc_wnet_get_param_d(double * d, const gc_wnet_t net, slong idx)
{
    ulong u;

    check_param(net, idx, "gc_wnet_get_param_d");
    u = net->wb[idx];
    if ((u & GC_NET_CQ_TAG) == GC_NET_CQ_TAG)
        return 0;
    memcpy(d, &u, sizeof u);
    return 1;
}

int
gc_wnet_get_param_mpfr(mpfr_t x, const gc_wnet_t net, slong idx,
                       mpfr_rnd_t rnd)
{
    check_param(net, idx, "gc_wnet_get_param_mpfr");
    return _gc_word_get_mpfr(x, net->cq, net->wb[idx], rnd);
}

void
gc_wnet_set_act(gc_wnet_t net, slong l, const gc_activation_t a)
{
    if (l < 1 || l > net->len)
        gc_throw("gc_wnet_set_act: no layer %ld", (long) l);
    gc_activation_set(net->act + l - 1, a);
}

int
gc_wnet_is_chain(const gc_wnet_t net)
{
    slong l;

    for (l = 0; l <= net->len; l++)
        if (net->width[l] != 1)
            return 0;
    return 1;
}

int
gc_wnet_set_chain(gc_wnet_t net, const gc_net_t chain)
{
    slong j, len = chain->len, * width;
    mpq_t w, b;

    if (chain->cost == GC_COST_GIVEN)
        return GC_INVALID;
    width = flint_malloc(_gc_array_bytes(len + 1, sizeof(slong),
                                         "gc_wnet_set_chain"));
    for (j = 0; j <= len; j++)
        width[j] = 1;
    gc_wnet_set_widths(net, len, width);
    flint_free(width);
    mpq_init(w);
    mpq_init(b);
    for (j = 1; j <= len; j++)
    {
        gc_net_get_layer_q(w, b, chain, j);
        gc_wnet_set_param_q(net, 2 * j - 2, w);
        gc_wnet_set_param_q(net, 2 * j - 1, b);
        gc_wnet_set_act(net, j, gc_net_get_act(chain, j));
    }
    mpq_clear(w);
    mpq_clear(b);
    mpq_set(net->a0, chain->a0);
    mpq_set(net->y, chain->y);
    net->cost = chain->cost;
    return GC_SUCCESS;
}

void
gc_wnet_set_random(gc_wnet_t net, slong len, const slong * width,
                   const gc_random_t r)
{
    gc_dist_t wd;
    slong l, i, k, idx = 0;

    if (!gc_random_is_valid(r))
        gc_throw("gc_wnet_set_random: bad distribution");
    gc_wnet_set_widths(net, len, width);
    for (l = 1; l <= len; l++)
    {
        gc_random_get_weights(wd, r, width[l - 1], width[l]);
        for (i = 0; i < width[l]; i++, idx++)
        {
            for (k = 0; k < width[l - 1]; k++, idx++)
                net->wb[idx] = _gc_word_d(gc_dist_draw(wd, r->seed,
                                                       (ulong) idx));
            net->wb[idx] = _gc_word_d(gc_dist_draw(&r->biases, r->seed,
                                                   (ulong) idx));
        }
    }
}

int
gc_wnet_equal(const gc_wnet_t a, const gc_wnet_t b)
{
    slong l, i;
    ulong u, v;
    mpq_t qa, qb;
    int eq = a->len == b->len && a->cost == b->cost;

    for (l = 0; eq && l <= a->len; l++)
        eq = a->width[l] == b->width[l];
    for (l = 0; eq && l < a->len; l++)
        eq = gc_activation_equal(a->act + l, b->act + l);
    for (i = 0; eq && i < a->width[0]; i++)
        eq = mpq_equal(a->a0 + i, b->a0 + i);
    for (i = 0; eq && i < a->width[a->len]; i++)
        eq = mpq_equal(a->y + i, b->y + i);
    mpq_init(qa);
    mpq_init(qb);
    for (i = 0; eq && i < a->off[a->len]; i++)
    {
        u = a->wb[i];
        v = b->wb[i];
        if ((u & GC_NET_CQ_TAG) != GC_NET_CQ_TAG
            && (v & GC_NET_CQ_TAG) != GC_NET_CQ_TAG)
            eq = u == v;    /* binary64 words, -0 stored as +0 */
        else
        {
            _gc_word_get_q(qa, a->cq, u);
            _gc_word_get_q(qb, b->cq, v);
            eq = mpq_equal(qa, qb);
        }
    }
    mpq_clear(qa);
    mpq_clear(qb);
    return eq;
}
