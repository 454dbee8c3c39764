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

#include <float.h>
#include <math.h>
#include <string.h>

#include "net-impl.h"

static const char * const gc_act_names[] = {
    "sigmoid", "tanh", "relu", "leaky-relu", "softplus", "identity"};

static const char * const gc_cost_names[] = {
    "quadratic", "cross-entropy", "given"};

#define GC_NAMES_LEN(a) ((slong) (sizeof(a) / sizeof((a)[0])))

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
    net->act = GC_ACT_SIGMOID;
    net->cost = GC_COST_QUADRATIC;
    mpq_init(net->dc_da);
    net->generated = 0;
    net->normal.mu = 0.0;
    net->normal.sd = 1.0;
    net->normal.seed = 0;
}

/* Frees the stored layers, leaving w = b = NULL and alloc = 0. */
static void
gc_net_free_layers(gc_net_t net)
{
    slong i;

    for (i = 0; i < net->alloc; i++)
    {
        mpq_clear(net->w + i);
        mpq_clear(net->b + i);
    }
    flint_free(net->w);
    flint_free(net->b);
    net->w = NULL;
    net->b = NULL;
    net->alloc = 0;
}

void
gc_net_clear(gc_net_t net)
{
    gc_net_free_layers(net);
    mpq_clear(net->a0);
    mpq_clear(net->y);
    mpq_clear(net->dc_da);
}

void
_gc_net_fit_length(gc_net_t net, slong len)
{
    if (len < 0)
        gc_throw("gc_net_set_length: negative length %ld", (long) len);
    net->generated = 0;
    if (len > net->alloc)
    {
        slong i, alloc = FLINT_MAX(len, 2 * net->alloc);

        net->w = flint_realloc(net->w, alloc * sizeof(__mpq_struct));
        net->b = flint_realloc(net->b, alloc * sizeof(__mpq_struct));
        for (i = net->alloc; i < alloc; i++)
        {
            mpq_init(net->w + i);
            mpq_init(net->b + i);
        }
        net->alloc = alloc;
    }
    net->len = len;
}

void
gc_net_set_length(gc_net_t net, slong len)
{
    slong i;

    _gc_net_fit_length(net, len);
    for (i = 0; i < len; i++)
    {
        mpq_set_ui(net->w + i, 0, 1);
        mpq_set_ui(net->b + i, 0, 1);
    }
}

int
gc_normal_is_valid(const gc_normal_t normal)
{
    /* |N| < 9 for every draw (see random.c), so mu + sd N stays finite */
    return isfinite(normal->mu) && isfinite(normal->sd) && normal->sd >= 0
           && fabs(normal->mu) + 16 * normal->sd <= DBL_MAX;
}

void
gc_net_set_random(gc_net_t net, const gc_normal_t normal, slong len)
{
    if (len < 0 || !gc_normal_is_valid(normal))
        gc_throw("gc_net_set_random: bad length %ld or N(%g, %g)",
                 (long) len, normal->mu, normal->sd);
    gc_net_free_layers(net);
    net->normal = *normal;
    net->generated = 1;
    net->len = len;
}

void
gc_net_materialize(gc_net_t net)
{
    slong j, len = net->len;
    double w, b;

    if (!net->generated)
        return;
    _gc_net_fit_length(net, len);
    for (j = 1; j <= len; j++)
    {
        gc_normal_draw(&w, &b, &net->normal, j);
        mpq_set_d(net->w + j - 1, w);
        mpq_set_d(net->b + j - 1, b);
    }
}

void
gc_net_get_layer_q(mpq_t w, mpq_t b, const gc_net_t net, slong j)
{
    GC_CHECK_LAYER("gc_net_get_layer_q", j, net->len);
    if (net->generated)
    {
        double dw, db;

        gc_normal_draw(&dw, &db, &net->normal, j);
        mpq_set_d(w, dw);
        mpq_set_d(b, db);
    }
    else
    {
        mpq_set(w, net->w + j - 1);
        mpq_set(b, net->b + j - 1);
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

        gc_normal_draw(&dw, &db, &net->normal, j);
        tw = mpfr_set_d(w, dw, rnd);
        tb = mpfr_set_d(b, db, rnd);
    }
    else
    {
        tw = mpfr_set_q(w, net->w + j - 1, rnd);
        tb = mpfr_set_q(b, net->b + j - 1, rnd);
    }
    return tw != 0 || tb != 0;
}

/* Returns the index of *str* in names[0..n-1], or -1. */
static slong
gc_name_index(const char * const * names, slong n, const char * str)
{
    slong i;

    for (i = 0; i < n; i++)
        if (strcmp(names[i], str) == 0)
            return i;
    return -1;
}

int
gc_act_set_str(gc_act_t * act, const char * str)
{
    slong i = gc_name_index(gc_act_names, GC_NAMES_LEN(gc_act_names), str);

    if (i < 0)
        return GC_INVALID;
    *act = (gc_act_t) i;
    return GC_SUCCESS;
}

const char *
gc_act_name(gc_act_t act)
{
    if ((int) act < 0 || (slong) act >= GC_NAMES_LEN(gc_act_names))
        gc_throw("gc_act_name: bad activation %d", (int) act);
    return gc_act_names[act];
}

int
gc_cost_set_str(gc_cost_t * cost, const char * str)
{
    /* "given" needs a value: the reader handles "cost given V" */
    slong i = gc_name_index(gc_cost_names, GC_COST_GIVEN, str);

    if (i < 0)
        return GC_INVALID;
    *cost = (gc_cost_t) i;
    return GC_SUCCESS;
}

const char *
gc_cost_name(gc_cost_t cost)
{
    if ((int) cost < 0 || (slong) cost >= GC_NAMES_LEN(gc_cost_names))
        gc_throw("gc_cost_name: bad cost %d", (int) cost);
    return gc_cost_names[cost];
}
