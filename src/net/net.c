/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* net.c -- the network model: init/clear, stored and generated layers,
   names of activations and costs. */

#include <string.h>

#include "net-impl.h"

GC_NAMES_DEFINE(gc_act, gc_act_t, "sigmoid", "tanh", "relu", "leaky-relu",
                "softplus", "identity", "gelu")
GC_NAMES_SET_STR(gc_act, gc_act_t)

GC_NAMES_DEFINE(gc_cost, gc_cost_t, "quadratic", "cross-entropy", "given")
GC_NAMES_SET_STR(gc_cost, gc_cost_t)

void
gc_net_init(gc_net_t net)
{
    net->len = 0;
    net->alloc = 0;
    mpq_init(net->a0);
    mpq_set_ui(net->a0, 1, 1);
    mpq_init(net->y);
    net->w = NULL;
    net->b = NULL;
    net->cwb = NULL;
    net->cq = NULL;
    net->ncq = 0;
    net->cq_alloc = 0;
    gc_activation_init(&net->act);
    net->acts = NULL;
    net->nacts = 0;
    net->layer_act = NULL;
    net->act_alloc = 0;
    net->cost = GC_COST_QUADRATIC;
    mpq_init(net->dc_da);
    net->generated = 0;
    gc_dist_set_normal(&net->weights, 0.0, 1.0);
    gc_random_set_dist(&net->random, &net->weights, 0);
}

/* Frees the stored layers, rational or compact, leaving w = b = cwb =
   NULL, alloc = 0 and no rationals in cq (keeping their memory). */
static void
net_free_layers(gc_net_t net)
{
    slong i;

    for (i = 0; i < net->alloc && net->w != NULL; i++)
    {
        mpq_clear(net->w + i);
        mpq_clear(net->b + i);
    }
    flint_free(net->w);
    flint_free(net->b);
    flint_free(net->cwb);
    net->w = NULL;
    net->b = NULL;
    net->cwb = NULL;
    net->alloc = 0;
    net->ncq = 0;
}

void
gc_net_clear(gc_net_t net)
{
    slong i;

    net_free_layers(net);
    for (i = 0; i < net->cq_alloc; i++)
        mpq_clear(net->cq + i);
    flint_free(net->cq);
    mpq_clear(net->a0);
    mpq_clear(net->y);
    mpq_clear(net->dc_da);
    gc_net_set_act(net, &net->act);
    gc_activation_clear(&net->act);
}

/* Changes the length of *net* from net->len to *len* in its per-layer
   activations: layers beyond the old length get the default. */
static void
net_fit_acts(gc_net_t net, slong len)
{
    if (net->layer_act == NULL)
        return;
    if (len > net->act_alloc)
    {
        slong alloc = FLINT_MAX(len, 2 * net->act_alloc);

        net->layer_act = flint_realloc(net->layer_act, alloc);
        net->act_alloc = alloc;
    }
    if (len > net->len)
        memset(net->layer_act + net->len, 0, len - net->len);
}

void
gc_net_set_length(gc_net_t net, slong len)
{
    slong i;

    if (len < 0)
        gc_throw("gc_net_set_length: negative length %ld", (long) len);
    net_fit_acts(net, len);
    net->generated = 0;
    if (net->w == NULL)
        net_free_layers(net);
    if (len > net->alloc)
    {
        /* 2 alloc cannot wrap: alloc passed the check below before */
        slong alloc = FLINT_MAX(len, 2 * net->alloc);
        size_t bytes = _gc_array_bytes(alloc, sizeof(__mpq_struct),
                                       "gc_net_set_length");

        net->w = flint_realloc(net->w, bytes);
        net->b = flint_realloc(net->b, bytes);
        for (i = net->alloc; i < alloc; i++)
        {
            mpq_init(net->w + i);
            mpq_init(net->b + i);
        }
        net->alloc = alloc;
    }
    net->len = len;
    for (i = 0; i < len; i++)
    {
        mpq_set_ui(net->w + i, 0, 1);
        mpq_set_ui(net->b + i, 0, 1);
    }
}

ulong
_gc_word_d(double d)
{
    ulong u = 0;

    if (d != 0)
        memcpy(&u, &d, sizeof u);
    return u;
}

ulong
_gc_word_q(mpq_ptr * cq, slong * ncq, slong * cq_alloc, const mpq_t q,
           const char * fn)
{
    double d;

    if (_gc_q_get_d_exact(&d, q))
        return _gc_word_d(d);
    if (*ncq == *cq_alloc)
    {
        slong i, alloc = FLINT_MAX(4, 2 * *cq_alloc);

        *cq = flint_realloc(*cq, _gc_array_bytes(alloc, sizeof(__mpq_struct),
                                                 fn));
        for (i = *cq_alloc; i < alloc; i++)
            mpq_init(*cq + i);
        *cq_alloc = alloc;
    }
    mpq_set(*cq + *ncq, q);
    return GC_NET_CQ_TAG | (ulong) (*ncq)++;
}

/* The word of cwb for the exact value q (_gc_word_q on net->cq). */
static ulong
net_q_word(gc_net_t net, const mpq_t q)
{
    return _gc_word_q(&net->cq, &net->ncq, &net->cq_alloc, q, "gc_net_read");
}

/* Makes room for *len* compact layers in net->cwb, growing it
   geometrically when *grow* != 0 and to exactly len otherwise. */
static void
net_fit_cwb(gc_net_t net, slong len, int grow)
{
    if (len > net->alloc)
    {
        slong alloc = grow ? FLINT_MAX(len, 2 * net->alloc) : len;

        net->cwb = flint_realloc(net->cwb, _gc_array_bytes(
                                     alloc, 2 * sizeof(ulong), "gc_net_read"));
        net->alloc = alloc;
    }
}

/* Makes room for one more compact layer (see _gc_net_push_layer) and
   returns its index in net->cwb / 2; the caller fills it and counts it. */
static slong
net_push_room(gc_net_t net)
{
    slong len = net->len;

    if (net->generated || (net->cwb == NULL && len > 0))
        gc_throw("_gc_net_push_layer: not a compact network");
    if (net->w != NULL)
        net_free_layers(net);
    net_fit_acts(net, len + 1);
    net_fit_cwb(net, len + 1, 1);
    return len;
}

void
_gc_net_push_layer(gc_net_t net, const mpq_t w, const mpq_t b)
{
    slong len = net_push_room(net);

    net->cwb[2 * len] = net_q_word(net, w);
    net->cwb[2 * len + 1] = net_q_word(net, b);
    net->len = len + 1;
}

void
_gc_net_push_layer_d(gc_net_t net, double w, double b)
{
    slong len = net_push_room(net);

    net->cwb[2 * len] = _gc_word_d(w);
    net->cwb[2 * len + 1] = _gc_word_d(b);
    net->len = len + 1;
}

void
gc_net_set_random(gc_net_t net, const gc_random_t r, slong len)
{
    if (len < 0 || !gc_random_is_valid(r))
        gc_throw("gc_net_set_random: bad length %ld or distribution",
                 (long) len);
    net_free_layers(net);
    net_fit_acts(net, len);
    net->random = *r;
    gc_random_get_weights(&net->weights, r, 1, 1);
    net->generated = 1;
    net->len = len;
}

/* Sets *w* and *b* to layer j of the generated *net* (gc_random_draw,
   with the weights' distribution scaled once). */
static void
net_draw(double * w, double * b, const gc_net_t net, slong j)
{
    *w = gc_dist_draw(&net->weights, net->random.seed, 2 * (ulong) j - 2);
    *b = gc_dist_draw(&net->random.biases, net->random.seed,
                      2 * (ulong) j - 1);
}

void
gc_net_materialize(gc_net_t net)
{
    slong j, len = net->len;
    double w, b;

    if (!net->generated)
        return;
    net_fit_cwb(net, len, 0);
    for (j = 1; j <= len; j++)
    {
        net_draw(&w, &b, net, j);
        net->cwb[2 * j - 2] = _gc_word_d(w);
        net->cwb[2 * j - 1] = _gc_word_d(b);
    }
    net->generated = 0;
}

size_t
gc_net_materialize_bytes(const gc_net_t net)
{
    /* two binary64 words a layer (a compact network) */
    return net->generated ? _gc_bytes_estimate(net->len, 2 * sizeof(ulong),
                                               0)
                          : 0;
}

void
_gc_word_get_q(mpq_t q, mpq_srcptr cq, ulong u)
{
    double d;

    if ((u & GC_NET_CQ_TAG) == GC_NET_CQ_TAG)
        mpq_set(q, cq + (u & ~GC_NET_CQ_TAG));
    else
    {
        memcpy(&d, &u, sizeof d);
        mpq_set_d(q, d);
    }
}

int
_gc_word_get_mpfr(mpfr_t x, mpq_srcptr cq, ulong u, mpfr_rnd_t rnd)
{
    double d;

    if ((u & GC_NET_CQ_TAG) == GC_NET_CQ_TAG)
        return mpfr_set_q(x, cq + (u & ~GC_NET_CQ_TAG), rnd);
    memcpy(&d, &u, sizeof d);
    return mpfr_set_d(x, d, rnd);
}

int
_gc_net_get_layer_d(double * w, double * b, const gc_net_t net, slong j)
{
    ulong uw, ub;

    GC_CHECK_LAYER("_gc_net_get_layer_d", j, net->len);
    if (net->generated)
    {
        net_draw(w, b, net, j);
        return 1;
    }
    if (net->cwb == NULL)
        return 0;
    uw = net->cwb[2 * j - 2];
    ub = net->cwb[2 * j - 1];
    if ((uw & GC_NET_CQ_TAG) == GC_NET_CQ_TAG
        || (ub & GC_NET_CQ_TAG) == GC_NET_CQ_TAG)
        return 0;
    memcpy(w, &uw, sizeof uw);
    memcpy(b, &ub, sizeof ub);
    return 1;
}

void
gc_net_get_layer_q(mpq_t w, mpq_t b, const gc_net_t net, slong j)
{
    GC_CHECK_LAYER("gc_net_get_layer_q", j, net->len);
    if (net->generated)
    {
        double dw, db;

        net_draw(&dw, &db, net, j);
        mpq_set_d(w, dw);
        mpq_set_d(b, db);
    }
    else if (net->w != NULL)
    {
        mpq_set(w, net->w + j - 1);
        mpq_set(b, net->b + j - 1);
    }
    else
    {
        _gc_word_get_q(w, net->cq, net->cwb[2 * j - 2]);
        _gc_word_get_q(b, net->cq, net->cwb[2 * j - 1]);
    }
}

int
gc_net_get_layer_mpfr(mpfr_t w, mpfr_t b, const gc_net_t net, slong j,
                      mpfr_rnd_t rnd)
{
    int tw, tb;

    GC_CHECK_LAYER("gc_net_get_layer_mpfr", j, net->len);
    if (net->generated)
    {
        double dw, db;

        net_draw(&dw, &db, net, j);
        tw = mpfr_set_d(w, dw, rnd);
        tb = mpfr_set_d(b, db, rnd);
    }
    else if (net->w != NULL)
    {
        tw = mpfr_set_q(w, net->w + j - 1, rnd);
        tb = mpfr_set_q(b, net->b + j - 1, rnd);
    }
    else
    {
        tw = _gc_word_get_mpfr(w, net->cq, net->cwb[2 * j - 2], rnd);
        tb = _gc_word_get_mpfr(b, net->cq, net->cwb[2 * j - 1], rnd);
    }
    return tw != 0 || tb != 0;
}

int
gc_param_set_str(gc_param_t p, const char * str, slong len,
                 gc_parse_error_t err)
{
    const char * s = str + 1;
    slong layer = 0;
    const char * why = NULL;

    if (str[0] != 'b' && str[0] != 'w')
        why = "expected a parameter bJ or wJ (J a layer number)";
    else if (*s < '1' || *s > '9')
        why = "expected a layer number from 1, without sign or leading "
              "zeros, after 'b' or 'w'";
    for (; why == NULL && *s >= '0' && *s <= '9'; s++)
    {
        if (layer > (WORD_MAX - 9) / 10)
            why = "layer number too large";
        else
            layer = 10 * layer + (*s - '0');
    }
    if (why == NULL && *s != '\0')
        why = "unexpected text after the layer number";
    if (why != NULL)
    {
        _gc_parse_error_set(err, 0, str, strlen(str), "%s", why);
        return GC_INVALID;
    }
    if (len > 0 && layer > len)
    {
        _gc_parse_error_set(err, 0, str, strlen(str),
                            "layer %ld out of range 1..%ld", (long) layer,
                            (long) len);
        return GC_INVALID;
    }
    gc_param_set(p, str[0] == 'b' ? GC_PARAM_B : GC_PARAM_W, layer);
    return GC_SUCCESS;
}

char *
gc_param_get_str(const gc_param_t p)
{
    char * res = flint_malloc(24);

    snprintf(res, 24, "%c%ld", p->kind == GC_PARAM_W ? 'w' : 'b',
             (long) p->layer);
    return res;
}

void
gc_activation_init(gc_activation_t a)
{
    a->kind = GC_ACT_SIGMOID;
    mpq_init(a->slope);
    mpq_set_ui(a->slope, 1, 100);
}

void
gc_activation_clear(gc_activation_t a)
{
    mpq_clear(a->slope);
}

void
gc_activation_set(gc_activation_t res, const gc_activation_t a)
{
    res->kind = a->kind;
    mpq_set(res->slope, a->slope);
}

int
gc_activation_equal(const gc_activation_t a, const gc_activation_t b)
{
    return a->kind == b->kind
           && (a->kind != GC_ACT_LEAKY_RELU || mpq_equal(a->slope, b->slope));
}

int
gc_activation_set_str(gc_activation_t a, const char * str,
                      gc_parse_error_t err)
{
    const char * colon = strchr(str, ':');
    size_t n = colon != NULL ? (size_t) (colon - str) : strlen(str);
    char name[GC_PARSE_TOKEN_MAX];
    gc_act_t kind;
    char * list;

    if (n < sizeof name)
    {
        memcpy(name, str, n);
        name[n] = '\0';
    }
    if (n >= sizeof name || gc_act_set_str(&kind, name) != GC_SUCCESS)
    {
        list = gc_names_join(gc_act_names(), ", ");
        _gc_parse_error_set(err, 0, str, n, "%s", "");
        snprintf(err->msg, GC_PARSE_MSG_MAX, "unknown activation '%s' (%s)",
                 err->token, list);
        flint_free(list);
        return GC_INVALID;
    }
    if (colon != NULL && kind != GC_ACT_LEAKY_RELU)
    {
        _gc_parse_error_set(err, 0, str, strlen(str),
                            "only leaky-relu takes a parameter (leaky-relu:S)");
        return GC_INVALID;
    }
    if (colon != NULL && gc_q_set_str(a->slope, colon + 1, err) != GC_SUCCESS)
        return GC_INVALID;
    if (colon == NULL)
        mpq_set_ui(a->slope, 1, 100);
    a->kind = kind;
    return GC_SUCCESS;
}

const gc_activation_struct *
gc_net_get_act(const gc_net_t net, slong j)
{
    GC_CHECK_LAYER("gc_net_get_act", j, net->len);
    if (net->layer_act == NULL || net->layer_act[j - 1] == 0)
        return &net->act;
    return net->acts + net->layer_act[j - 1] - 1;
}

void
gc_net_set_act(gc_net_t net, const gc_activation_t a)
{
    slong i;

    if (a != &net->act)
        gc_activation_set(&net->act, a);
    for (i = 0; i < net->nacts; i++)
        gc_activation_clear(net->acts + i);
    flint_free(net->acts);
    flint_free(net->layer_act);
    net->acts = NULL;
    net->nacts = 0;
    net->layer_act = NULL;
    net->act_alloc = 0;
}

int
gc_net_set_layer_act(gc_net_t net, slong j, const gc_activation_t a)
{
    slong k = 0;

    GC_CHECK_LAYER("gc_net_set_layer_act", j, net->len);
    if (!gc_activation_equal(a, &net->act))
    {
        for (k = 0; k < net->nacts; k++)
            if (gc_activation_equal(a, net->acts + k))
                break;
        if (k == GC_NET_ACTS_MAX)
            return GC_INVALID;
        if (k == net->nacts)
        {
            net->acts = flint_realloc(net->acts, (k + 1)
                                      * sizeof(gc_activation_struct));
            gc_activation_init(net->acts + k);
            gc_activation_set(net->acts + k, a);
            net->nacts++;
        }
        k++;
    }
    if (net->layer_act == NULL)
    {
        if (k == 0)
            return GC_SUCCESS;
        net->layer_act = flint_calloc(net->len, 1);
        net->act_alloc = net->len;
    }
    net->layer_act[j - 1] = (unsigned char) k;
    return GC_SUCCESS;
}

/* One exact layer j: from a = a_{j-1}, known exactly if *known*, sets
   z = z_j and returns 1 if z_j is known (w_j = 0: z_j = b_j whatever
   a_{j-1} is; or a_{j-1} known), 0 otherwise.  w and b are scratch. */
static int
net_z_q(mpq_t z, const mpq_t a, int known, mpq_t w, mpq_t b,
        const gc_net_t net, slong j)
{
    gc_net_get_layer_q(w, b, net, j);
    if (mpq_sgn(w) == 0)
    {
        mpq_set(z, b);
        return 1;
    }
    if (!known)
        return 0;
    mpq_mul(z, w, a);
    mpq_add(z, z, b);
    return 1;
}

void
_gc_exact_init(_gc_exact_struct * x, const gc_net_t net)
{
    mpq_init(x->z);
    mpq_init(x->a);
    mpq_init(x->w);
    mpq_init(x->b);
    mpq_set(x->a, net->a0);
    x->j = 0;
    x->rational = 1;
}

void
_gc_exact_clear(_gc_exact_struct * x)
{
    mpq_clear(x->z);
    mpq_clear(x->a);
    mpq_clear(x->w);
    mpq_clear(x->b);
}

int
_gc_exact_z(_gc_exact_struct * x, const gc_net_t net, slong j)
{
    GC_CHECK_LAYER("_gc_exact_z", j, net->len);
    if (x->j >= j)
    {
        mpq_set(x->a, net->a0);
        x->j = 0;
        x->rational = 1;
    }
    while (x->j < j - 1)
    {
        x->j++;
        x->rational = net_z_q(x->z, x->a, x->rational, x->w, x->b, net,
                              x->j);
        if (x->rational)
        {
            mpq_set(x->a, x->z);
            x->rational = _gc_act_exact(x->a, gc_net_get_act(net, x->j));
        }
    }
    return net_z_q(x->z, x->a, x->rational, x->w, x->b, net, j);
}

int
gc_net_cost_is_valid(const gc_net_t net)
{
    return net->cost != GC_COST_CROSS_ENTROPY || net->len == 0
           || gc_net_get_act(net, net->len)->kind == GC_ACT_SIGMOID;
}

char *
gc_activation_get_str(const gc_activation_t a)
{
    const char * name = gc_act_name(a->kind);
    char * q;
    char * res;
    size_t n;

    if (a->kind != GC_ACT_LEAKY_RELU || (mpz_cmp_ui(mpq_numref(a->slope), 1)
                                         == 0
                                         && mpz_cmp_ui(mpq_denref(a->slope),
                                                       100) == 0))
    {
        res = flint_malloc(strlen(name) + 1);
        strcpy(res, name);
        return res;
    }
    q = mpq_get_str(NULL, 10, a->slope);
    n = strlen(name) + strlen(q) + 2;
    res = flint_malloc(n);
    snprintf(res, n, "%s:%s", name, q);
    flint_free(q);
    return res;
}
