/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/numeric.h -- the MPFR reference evaluation (all layers, and
   one parameter streamed in O(1) memory) and the native binary64 replay.
   Included by gradchain.h; do not include it directly. */

#ifndef GRADCHAIN_NUMERIC_H
#define GRADCHAIN_NUMERIC_H

#ifdef __cplusplus
extern "C" {
#endif

/* The per-layer trace of an MPFR evaluation, all at precision prec:
   z[j-1] = z_j, a[j] = a_j (a[0] = a_0), sp[j-1] = f'(z_j),
   db[j-1] = dC/db_j, dw[j-1] = dC/dw_j, for j = 1..len. */
typedef struct
{
    slong len;
    mpfr_prec_t prec;
    mpfr_ptr z;
    mpfr_ptr a;
    mpfr_ptr sp;
    mpfr_ptr db;
    mpfr_ptr dw;
} gc_trace_struct;

typedef gc_trace_struct gc_trace_t[1];

/* Initialises *t* for *len* layers at precision *prec* (values NaN). */
void gc_trace_init(gc_trace_t t, slong len, mpfr_prec_t prec);

/* Frees *t*. */
void gc_trace_clear(gc_trace_t t);

/* Evaluates the forward pass and the backward pass of *net* (whose length
   must equal t->len) at precision t->prec, with the stable formulas:
   f'(z) = e^-|z| / (1 + e^-|z|)^2 for the sigmoid, and dC/da_L = a_L - y
   computed as (1 - y(1 + e^-z_L)) / (1 + e^-z_L) so that it keeps its
   relative accuracy when a_L is close to y.  Widens MPFR's exponent range
   first.  Every operation rounds to nearest at t->prec; the result is not
   certified (see the Arb engine for that), but the working precision
   chosen by gc_prec_for_digits leaves enough guard bits for typical
   chains.  Returns GC_SUCCESS, or GC_DOMAIN if a NaN appeared or the
   network uses an activation or cost this version cannot evaluate. */
int gc_eval_mpfr(gc_trace_t t, const gc_net_t net) GC_WARN_UNUSED_RESULT;

/* A network prepared for repeated MPFR evaluation: the weights and biases
   rounded once, to nearest, to precision prec (w[j-1] = w_j, b[j-1] =
   b_j), plus a pointer to the exact network, which gc_eval_chain_mpfr
   still reads (a_0, y, activation, cost, and the exact layers when
   dC/da_L cancels).  The network must outlive the chain and stay
   unchanged while the chain is used. */
typedef struct
{
    slong len;
    mpfr_prec_t prec;
    mpfr_ptr w;
    mpfr_ptr b;
    gc_net_srcptr net;
} gc_chain_mpfr_struct;

typedef gc_chain_mpfr_struct gc_chain_mpfr_t[1];

/* Initialises *c* to the layers of *net* rounded to nearest at precision
   *prec* (a generated network is drawn once, layer by layer).  Memory is
   O(net->len) numbers of prec bits. */
void gc_chain_mpfr_init(gc_chain_mpfr_t c, const gc_net_t net,
                        mpfr_prec_t prec);

/* Frees *c* (not the network it refers to). */
void gc_chain_mpfr_clear(gc_chain_mpfr_t c);

/* As gc_eval_mpfr, from the prepared chain *c*, whose length and
   precision must equal t->len and t->prec (otherwise gc_throw).  Gives
   bit for bit the result of gc_eval_mpfr(t, c->net); use it to evaluate
   the same network many times without rounding its rationals again (the
   per-layer work is then one mpfr_exp and eight multiplications,
   additions or divisions). */
int gc_eval_chain_mpfr(gc_trace_t t, const gc_chain_mpfr_t c)
    GC_WARN_UNUSED_RESULT;

/* Sets *res* to dC/dp for the single parameter *p* of *net*, computed at
   the precision of *res* in forward mode, keeping O(1) numbers whatever
   the depth (a generated network is drawn layer by layer and never
   stored).  Gives the same value as gc_eval_mpfr up to rounding.
   Returns as gc_eval_mpfr. */
int gc_eval_param_mpfr(mpfr_t res, const gc_net_t net,
                       const gc_param_t p) GC_WARN_UNUSED_RESULT;

/* Returns the working precision in bits used to print *digits*
   significant digits of every gradient of a chain of *len* layers:
   ceil(digits * log2(10)) + ceil(log2(len + 1)) * 2 + 16 guard bits. */
mpfr_prec_t gc_prec_for_digits(slong digits, slong len);

/* Classes of a floating-point result. */
typedef enum
{
    GC_CLASS_NORMAL = 0,
    GC_CLASS_SUBNORMAL,
    GC_CLASS_ZERO,
    GC_CLASS_INF,
    GC_CLASS_NAN
} gc_class_t;

/* Returns the class of the double *x*, and its lower-case English name
   ("normal", "subnormal", "zero", "infinite", "nan"). */
gc_class_t gc_class_double(double x);
const char * gc_class_name(gc_class_t c);

/* Replays *net* in native binary64 with the operation sequence of an
   autograd framework ("framework"):
       z = w*a + b;  a = 1/(1 + exp(-z));  s' = a*(1 - a);
       delta_L = s'_L * (a_L - y);  delta_j = (delta_{j+1} * w_{j+1}) * s'_j
   after rounding every w_j, b_j, a_0 and y to the nearest double (from the
   exact rational, so "0.1" becomes the double nearest 1/10).  Sets
   db[j-1] = dC/db_j and dw[j-1] = a_{j-1} * dC/db_j; the arrays hold
   net->len entries.  exp is the C library's.  Returns GC_SUCCESS, or
   GC_DOMAIN for an activation or cost this version cannot evaluate. */
int gc_eval_double(double * db, double * dw, const gc_net_t net)
    GC_WARN_UNUSED_RESULT;

/* Where a replay dies, counting from the output: the largest layer index
   j (the first met by the backward pass) whose value is subnormal, zero,
   infinite or NaN; 0 when it never happens. */
typedef struct
{
    slong first_subnormal;
    slong first_zero;
    slong first_inf;
    slong first_nan;
} gc_death_struct;

/* Fills *d* from the classes cls[j-1] of layers j = 1..len. */
void gc_death_scan(gc_death_struct * d, const gc_class_t * cls, slong len);

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_NUMERIC_H */
