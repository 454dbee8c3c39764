/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/ball.h -- the certified evaluation in Arb ball arithmetic:
   rigorous enclosures of every gradient, certified decimal digits, and a
   Ziv loop that raises the precision until the requested digits are
   proved.  Included by gradchain.h; do not include it directly. */

#ifndef GRADCHAIN_BALL_H
#define GRADCHAIN_BALL_H

#ifdef __cplusplus
extern "C" {
#endif

/* The default maximum working precision of the Ziv loops, in bits (a
   plain integer literal), and the same as a string literal for messages
   and help texts. */
#define GC_MAX_PREC_DEFAULT 1048576
#define GC_MAX_PREC_DEFAULT_STR GC_XSTR_(GC_MAX_PREC_DEFAULT)
#define GC_STR_(x) #x
#define GC_XSTR_(x) GC_STR_(x)

/* The largest working precision, in bits, that the gradchain program
   accepts for --prec and --max-prec: 2^24 bits, about 5 million digits
   (the most --digits asks for, 10^6 digits, starts at about 3.3 million
   bits and may double once).  Every ball then takes 2 MB, and one layer
   about 20 s.  Also as a string literal. */
#define GC_MAX_PREC_LIMIT 16777216
#define GC_MAX_PREC_LIMIT_STR GC_XSTR_(GC_MAX_PREC_LIMIT)

/* The per-layer trace of an Arb evaluation, with the layout of
   gc_trace_struct: z[j-1] = z_j, a[j] = a_j (a[0] = a_0),
   sp[j-1] = f'(z_j), db[j-1] = dC/db_j, dw[j-1] = dC/dw_j, j = 1..len.
   prec is the working precision of the last evaluation (0 before).  The
   5 len + 1 balls are one block starting at z.  A gradients-only trace
   (gc_arb_trace_init_grads) has z, a and sp NULL and holds the 2 len
   balls of db and dw, one block starting at db, as every trace: dw =
   db + len. */
typedef struct
{
    slong len;
    slong prec;
    arb_ptr z;
    arb_ptr a;
    arb_ptr sp;
    arb_ptr db;
    arb_ptr dw;
} gc_arb_trace_struct;

typedef gc_arb_trace_struct gc_arb_trace_t[1];

/* Initialises *t* for *len* >= 0 layers (every ball exact zero), as
   gc_trace_init: a trace of length 0 holds a_0 only. */
void gc_arb_trace_init(gc_arb_trace_t t, slong len);

/* Initialises *t* as a gradients-only trace for *len* >= 0 layers: db
   and dw only (every ball exact zero), z, a and sp NULL.  gc_eval_arb and
   gc_eval_arb_digits fill it with the same balls as a full trace, keeping
   O(1) balls besides it (see gc_eval_arb); 96 bytes a layer
   while the balls' midpoints fit two limbs (128 bits), and 160 at three
   limbs (--digits 40 over 10^6 layers works at 189 bits), where Arb
   allocates the limbs. */
void gc_arb_trace_init_grads(gc_arb_trace_t t, slong len);

/* Frees *t* (full or gradients-only). */
void gc_arb_trace_clear(gc_arb_trace_t t);

/* Returns an upper bound of the heap bytes that gc_eval_arb and every
   attempt of gc_eval_arb_digits up to working precision *prec* need for
   a chain of *len* layers: the trace (5 len + 1 balls) and len balls to
   spare, not the network (gc_net_materialize_bytes).
   About 360 bytes a layer up to 128 bits (peak RSS measured with
   /usr/bin/time -v: 292), 6 balls of prec bits and a quarter beyond.
   SIZE_MAX when it exceeds a size_t.  A Ziv loop that raises the
   precision needs the bound at the precision it reaches. */
size_t gc_eval_arb_bytes(slong len, slong prec);

/* As gc_eval_arb_bytes for a gradients-only trace
   (gc_arb_trace_init_grads): its 2 len balls and 6 of scratch.  About 120
   bytes a layer up to 128 bits, 2 balls of prec bits and a quarter
   beyond.  SIZE_MAX when it exceeds a size_t. */
size_t gc_eval_arb_grads_bytes(slong len, slong prec);

/* Evaluates the forward and backward passes of *net* (whose length must
   equal t->len, otherwise gc_throw) in ball arithmetic at working
   precision *prec*, and sets t->prec = prec.  Every parameter, a_0 and y
   is rounded once from its exact rational.  Each layer uses one
   exponential: u = e^-z, a = 1/(1+u), f'(z) = u a^2 (= e^-|z|/(1+e^-|z|)^2,
   no 1 - a cancellation); dC/da_L = a_L - y is computed as
   (1 - y (1 + u_L)) a_L.  The backward pass needs a_{j-1}, f'(z_j) and
   w_j of each layer: the weight is rounded again from the network (no
   exponential), and a gradients-only trace keeps a_{j-1} in dw[j-1] and
   f'(z_j) in db[j-1] until the backward pass overwrites them with dC/dw_j
   and dC/db_j, so it gets the same db and dw balls in O(1) more balls
   and no more time than a full trace (nothing is recomputed).  Every
   ball is a rigorous enclosure of the exact
   value; Arb's exponents are unbounded, so nothing underflows.  Returns
   GC_SUCCESS, or GC_UNABLE (trace untouched) if gc_engine_check(
   GC_ENGINE_ARB, net) does: this version evaluates the sigmoid with the
   quadratic cost only.  MPFR's state is not used. */
int gc_eval_arb(gc_arb_trace_t t, const gc_net_t net, slong prec)
    GC_WARN_UNUSED_RESULT;

/* Sets *res* to a ball containing dC/dp for the single parameter *p* of
   *net* (1 <= p->layer <= net->len; otherwise gc_throw), computed at
   working precision *prec* in forward mode with O(1) balls whatever the
   depth; a generated network is drawn layer by layer.  Returns as
   gc_eval_arb. */
int gc_eval_param_arb(arb_t res, const gc_net_t net,
                      const gc_param_t p, slong prec)
    GC_WARN_UNUSED_RESULT;

/* Sets *str* to a decimal string of *x* in the scientific notation of
   gc_mpfr_get_str_sci, with the exact decimal exponent ("-7.7264e-4",
   "1.25e-1", "2e+0", "3.1e-602060"), and
   *certified* to its number of significant digits k.  The string is the
   value of the ball rounded to nearest (ties to even) to k digits, and it
   is proved: every point of the ball rounds to it.  If the ball
   determines the rounding to *digits* >= 1 digits, k = digits and the
   function returns GC_SUCCESS.  Otherwise it returns GC_UNABLE with the
   largest k < digits that the ball determines; when k = 0 (the ball
   contains zero, is not finite, or is too wide) *str* is the empty string.
   An exact zero gives "0" and GC_SUCCESS.  Exact balls at a rounding tie
   are determined (round half to even).  The decimal exponent comes from
   Arb's fmpz exponent, so it is exact beyond MPFR's range too: e^(-10^19)
   prints as 3.0811355922377604815e-4342944819032518277.  A ball beyond
   the printable range (gc_arb_is_printable) gives GC_UNABLE with k = 0
   at every precision.  Only the search for fewer digits than asked
   (k < digits) rounds the endpoints with MPFR: when an endpoint's
   exponent exceeds MPFR's widest range (|e| >= 2^62 bits) it gives k = 0
   with GC_UNABLE, and a narrower ball then gives all the digits.  The
   result does not depend on the caller's range, and MPFR's range and
   flags are left as found.  The last power of ten used is cached per
   thread (freed by flint_cleanup()), so values of close exponents, such
   as consecutive layers, cost one multiplication each instead of a
   powering; the decimal gc_eval_arb_digits proved for a ball of its
   trace in this thread is reused while the ball's midpoint and radius
   are unchanged.  Free *str* with flint_free. */
int gc_arb_get_str_digits(char ** str, slong * certified, const arb_t x,
                          slong digits) GC_WARN_UNUSED_RESULT;

/* Returns 0 if the finite ball *x*, which does not contain zero, lies
   beyond the printable range: its midpoint m has |e| >= 2^64 with
   2^(e-1) <= |m| < 2^e, so that its decimal exponent (about e log10(2))
   could exceed 5.5 10^18 in magnitude and might not fit the signed
   64-bit integers of the programs that read the output.  No precision
   can print such a value.  Returns 1 otherwise (a ball that contains
   zero or is not finite may still be narrowed). */
int gc_arb_is_printable(const arb_t x);

/* Sets *res* to an upper bound, rounded up to the precision of *res*, of
   the relative error |m - x| / |x| of the midpoint m of the ball *x* with
   respect to every nonzero point x of it: rad / (|m| - rad).  It is 0 for
   an exact ball (also for an exact zero) and +inf when the ball contains
   zero and is not exact.  A bound that the caller's exponent range
   cannot hold is rounded up into it (+inf, or the range's smallest
   positive number), so it stays an upper bound; MPFR's range and flags
   are left as found. */
void gc_arb_rel_error_bound(mpfr_t res, const arb_t x);

/* Sets *res* to the relative error |x - m| / |m| of *x* with respect to
   the midpoint m of the ball *exact* (the certified value of which x is
   an approximation, e.g. a replayed gradient against the Arb one),
   rounded to nearest at the precision of *res* after two roundings at
   that precision + 16 bits (so within one ulp).  Returns GC_SUCCESS;
   GC_DOMAIN, with *res* NaN, when it is undefined: x is not finite, or
   m is zero or not finite; or GC_UNABLE when the error does not fit the
   caller's exponent range (res is then zero or +inf, checked into the
   range as mpfr_check_range does).  MPFR's range and flags are left as
   found. */
int gc_arb_rel_error(mpfr_t res, const mpfr_t x, const arb_t exact)
    GC_WARN_UNUSED_RESULT;

/* Returns 1 if the ball *x* determines *digits* significant decimal
   digits with goal = floor(digits log2 10) + 3 >= ceil(digits log2 10) + 2
   bits of relative accuracy,
   that is x is an exact zero or arb_rel_accuracy_bits(x) >= goal and
   gc_arb_get_str_digits succeeds; 0 otherwise. */
int gc_arb_has_digits(const arb_t x, slong digits);

/* Ziv loop: evaluates *net* with gc_eval_arb, starting at the precision
   gc_prec_for_digits(digits, len) (at least 64 bits) and doubling it,
   until every dC/db_j and dC/dw_j satisfies gc_arb_has_digits(.,
   *digits*) or is beyond the printable range (gc_arb_is_printable: no
   precision helps, so such values never make it go on), or the precision
   would exceed *max_prec*, or no value that lacks its digits can narrow
   enough by max_prec: it stops early, with *prec_used* < max_prec, when
   after two attempts every such ball lacks more relative accuracy than
   twice the precisions left can give (at the rate the last doubling
   gained, when larger), so raising max_prec is no remedy (the rule and
   its justification: _gc_ziv_loop in src/numeric/ball.c; after a
   failed attempt the loop keeps 8 bytes a ball, 16 a layer, beyond
   gc_eval_arb_grads_bytes).  Sets
   *prec_used* to the last precision tried (also t->prec).  Returns
   GC_SUCCESS, or GC_UNABLE when max_prec was reached, the loop stopped
   early, or a value is beyond the printable range (the trace holds the
   balls of the last attempt: print what gc_arb_get_str_digits proves,
   and find the values that cannot be printed with gc_arb_is_printable),
   or GC_DOMAIN
   as gc_eval_arb.  Returns GC_UNABLE as gc_eval_arb for a network the
   engine does not evaluate (then *prec_used* is the first precision and
   the trace is untouched).  MPFR's range and flags are left as found. */
int gc_eval_arb_digits(gc_arb_trace_t t, const gc_net_t net, slong digits,
                       slong max_prec, slong * prec_used)
    GC_WARN_UNUSED_RESULT;

/* Ziv loop for one parameter: as gc_eval_arb_digits with
   gc_eval_param_arb, in O(1) memory. */
int gc_eval_param_arb_digits(arb_t res, const gc_net_t net,
                             const gc_param_t p, slong digits,
                             slong max_prec, slong * prec_used)
    GC_WARN_UNUSED_RESULT;

/* Fills *d* as gc_death_scan does from the classes cls[j-1] of a format's
   values of layers j = 1..len, where the ball exact[j-1] encloses the
   exact value of layer j, but counts a subnormal or zero value only where
   the exact value is not an exact zero (arb_is_zero): underflow is a loss
   only where there was something to lose, and a format that gives 0 where
   the exact value is 0 is exactly right.  Infinities and NaNs count
   everywhere. */
void gc_death_scan_arb(gc_death_struct * d, const gc_class_t * cls,
                       arb_srcptr exact, slong len);

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_BALL_H */
