/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/numeric.h -- the engines and what they share (which
   networks each evaluates, the classes of a result), and the MPFR
   reference evaluation: all layers, and one parameter streamed in O(1)
   memory.  Included by gradchain.h; do not include it directly.

   MPFR's state.  Every function of the library that uses MPFR's exponent
   range works in the widest range (mpfr_get_emin_min .. emax_max) and
   leaves the caller's range and flags exactly as it found them; the
   caller need not widen the range (gc_mpfr_widen_exponent_range) for the
   library's sake.  A result that the caller's range cannot hold is
   checked into it as mpfr_check_range does, and reported as GC_UNABLE
   where the function returns a status.  Range and flags are per thread
   (MPFR and FLINT are built thread-safe: mpfr_buildopt_tls_p), and the
   library's only state of its own is per thread: a cache of powers of
   ten (gc_arb_get_str_digits) and the decimals gc_eval_arb_digits proved
   for the balls of its trace, which gc_arb_get_str_digits reuses while a
   ball is unchanged (at most 24 MB), so threads may evaluate different networks
   at once; MPFR's and FLINT's caches are per thread too, so a thread
   frees them, and the library's, with mpfr_free_cache() and
   flint_cleanup() before it ends. */

#ifndef GRADCHAIN_NUMERIC_H
#define GRADCHAIN_NUMERIC_H

#ifdef __cplusplus
extern "C" {
#endif

/* The engines: the MPFR reference evaluation (this header), the Arb ball
   evaluation (gradchain/ball.h) and the replay in a number format
   (gradchain/formats.h), and the fast path certified in binary64 with
   the Arb engine behind it (gradchain/fast.h).  The name table (see
   gradchain.h): "mpfr", "arb", "replay", "fast". */
typedef enum
{
    GC_ENGINE_MPFR = 0,
    GC_ENGINE_ARB,
    GC_ENGINE_REPLAY,
    GC_ENGINE_FAST
} gc_engine_t;

int gc_engine_set_str(gc_engine_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_engine_name(gc_engine_t engine);
const char * const * gc_engine_names(void);

/* Returns GC_SUCCESS if *engine* evaluates networks with the activation
   and cost of *net*, GC_UNABLE ("not implemented for this input")
   otherwise.  This version evaluates the sigmoid with the quadratic cost
   in every engine, and the replay also takes a given dC/da_L.  Every
   engine calls it first and returns its GC_UNABLE unchanged; GC_DOMAIN
   is kept for mathematically undefined results (NaN). */
int gc_engine_check(gc_engine_t engine, const gc_net_t net)
    GC_WARN_UNUSED_RESULT;

/* The per-layer trace of an MPFR evaluation, all at precision prec:
   z[j-1] = z_j, a[j] = a_j (a[0] = a_0), sp[j-1] = f'(z_j),
   db[j-1] = dC/db_j, dw[j-1] = dC/dw_j, for j = 1..len.  The 5 len + 1
   numbers are one block starting at z. */
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

/* Initialises *t* for *len* >= 0 layers at precision *prec* (values
   NaN).  A trace of length 0 holds a_0 only (the empty chain). */
void gc_trace_init(gc_trace_t t, slong len, mpfr_prec_t prec);

/* Frees *t*. */
void gc_trace_clear(gc_trace_t t);

/* Returns an upper bound of the heap bytes that gc_eval_mpfr needs for a
   chain of *len* layers at precision *prec*: the trace (5 len + 1
   numbers) and the prepared chain (2 len), not the network
   (gc_net_materialize_bytes); about 700 bytes a layer at 128 bits (peak
   RSS measured: 450).  SIZE_MAX when it exceeds a size_t. */
size_t gc_eval_mpfr_bytes(slong len, mpfr_prec_t prec);

/* Evaluates the forward pass and the backward pass of *net* (whose length
   must equal t->len) at precision t->prec, with the stable formulas:
   f'(z) = e^-|z| / (1 + e^-|z|)^2 for the sigmoid, and dC/da_L = a_L - y
   computed as (1 - y(1 + e^-z_L)) / (1 + e^-z_L) so that it keeps its
   relative accuracy when a_L is close to y.  Every operation rounds to
   nearest at t->prec in MPFR's widest exponent range; the result is not
   certified (see the Arb engine for that), but the working precision
   chosen by gc_prec_for_digits leaves enough guard bits for typical
   chains.  Returns GC_SUCCESS; GC_UNABLE if gc_engine_check(
   GC_ENGINE_MPFR, net) does (the trace is then untouched), if a value
   left MPFR's widest range (below 2^-(2^62): it became 0 or infinite),
   if a relu or leaky-relu took its branch on a computed z_j so close to 0
   that its sign is in doubt and z_j is not known exactly (a smooth layer
   before it that neither drops out through w = 0 nor sits at a rational
   point: sigmoid, tanh, gelu at 0), or if an entry of the trace does not fit the caller's
   exponent range;
   or GC_DOMAIN if a NaN appeared.  After GC_UNABLE or GC_DOMAIN every
   entry of the trace is a number of the caller's range (an entry outside
   it is checked into it by mpfr_check_range, to nearest: zero or
   infinity with its sign, or the range's smallest number), but some
   entries are wrong. */
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
   O(net->len) numbers of prec bits.  They are rounded in MPFR's widest
   exponent range, for gc_eval_chain_mpfr, and may lie outside the
   caller's range (the caller's range and flags are left as found). */
void gc_chain_mpfr_init(gc_chain_mpfr_t c, const gc_net_t net,
                        mpfr_prec_t prec);

/* Frees *c* (not the network it refers to). */
void gc_chain_mpfr_clear(gc_chain_mpfr_t c);

/* As gc_eval_mpfr, from the prepared chain *c*, whose length and
   precision must equal t->len and t->prec (otherwise gc_throw).  Gives
   bit for bit the result of gc_eval_mpfr(t, c->net); use it to evaluate
   the same network many times without rounding its rationals again (the
   per-layer work is then one mpfr_exp and eight multiplications,
   additions or divisions).  Returns as gc_eval_mpfr. */
int gc_eval_chain_mpfr(gc_trace_t t, const gc_chain_mpfr_t c)
    GC_WARN_UNUSED_RESULT;

/* Sets *res* to dC/dp for the single parameter *p* of *net*, computed at
   the precision of *res* in forward mode, keeping O(1) numbers whatever
   the depth (a generated network is drawn layer by layer and never
   stored).  Gives the same value as gc_eval_mpfr up to rounding.
   Returns as gc_eval_mpfr, for the values that dC/dp depends on: a value
   that leaves MPFR's range in a factor f'(z_k), k < p->layer, of other
   gradients only does not make it GC_UNABLE.  After GC_UNABLE or
   GC_DOMAIN, *res* is a number of the caller's range, but wrong. */
int gc_eval_param_mpfr(mpfr_t res, const gc_net_t net,
                       const gc_param_t p) GC_WARN_UNUSED_RESULT;

/* Returns the working precision in bits used to print *digits*
   significant digits of every gradient of a chain of *len* layers:
   ceil(digits * log2(10)) + ceil(log2(len + 1)) * 2 + 16 guard bits.
   MPFR's range and flags are left as found. */
mpfr_prec_t gc_prec_for_digits(slong digits, slong len);

/* Returns the digits that a working precision of *prec* >= 1 bits
   supports for a chain of *len* >= 0 layers, the inverse of
   gc_prec_for_digits: the largest d >= 1 with gc_prec_for_digits(d, len)
   <= prec, or 1 when even one digit needs more.  In closed form,
   floor((prec - g) log10(2)) with g = 2 ceil(log2(len + 1)) + 16 the
   guard bits, so it takes the same time for any precision. */
slong gc_digits_for_prec(slong prec, slong len);

/* Classes of a floating-point result. */
typedef enum
{
    GC_CLASS_NORMAL = 0,
    GC_CLASS_SUBNORMAL,
    GC_CLASS_ZERO,
    GC_CLASS_INF,
    GC_CLASS_NAN
} gc_class_t;

/* The name table (see gradchain.h) of the classes: "normal",
   "subnormal", "zero", "infinite", "nan" (there is no gc_class_set_str:
   classes are results, never input). */
const char * gc_class_name(gc_class_t c);
const char * const * gc_class_names(void);

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
