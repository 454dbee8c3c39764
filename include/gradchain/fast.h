/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/fast.h -- the certified fast path (engine "fast"): the chain
   in binary64 significands with 64-bit exponents and a rigorous running
   bound on every value's relative error, turned into Arb balls; the Arb
   engine takes over where those balls do not decide the digits.  The
   error analysis is at the top of src/numeric/fast.c.  Included by
   gradchain.h; do not include it directly. */

#ifndef GRADCHAIN_FAST_H
#define GRADCHAIN_FAST_H

#ifdef __cplusplus
extern "C" {
#endif

/* The most digits gc_eval_fast_digits asks of the fast path; beyond, it
   is the Arb engine's Ziv loop.  13: gc_arb_has_digits asks for
   floor(D log2 10) + 3 bits of relative accuracy, 49 bits for D = 14,
   and a value with even one rounding of its own has a bound above
   2^-49 (one layer's is about 2^-48), so the fast path never decides
   14 or 15 digits (seen on every chain tried): an attempt would only
   cost time. */
#define GC_FAST_DIGITS_MAX 13

/* Evaluates *net* (whose length must equal t->len, otherwise gc_throw)
   in binary64 significands with 64-bit exponents, and sets the balls
   t->db and t->dw (only: z, a and sp are left as they were) to contain
   dC/db_j and dC/dw_j: the midpoint is the computed value and the radius
   the proven bound on its error (which grows by about 15 u a layer,
   u = 2^-53), and t->prec = 53.  Every layer must be a
   sigmoid (any cost).  Returns GC_SUCCESS; or GC_UNABLE when
   gc_engine_check(GC_ENGINE_FAST, net) does, when a layer is not a
   sigmoid, or when a bound exceeds 2^-4 (cancellation in a_L - y, |z_j|
   beyond 2^50 or known to less than 2^-4 absolutely): the trace is
   then partly written and must not be used.  MPFR's range and flags are
   left as found. */
int gc_eval_fast(gc_arb_trace_t t, const gc_net_t net)
    GC_WARN_UNUSED_RESULT;

/* Returns an upper bound of the heap bytes that gc_eval_fast and
   gc_eval_fast_digits need for a chain of *len* layers beyond the trace:
   a scratch of 32 bytes a layer (f'(z_j), w_j f'(z_j) and
   a_(j-1) f'(z_j)), or 48
   when a value leaves binary64's range (then the first is freed before
   the second is allocated), freed before
   they return and before gc_eval_fast_digits falls back to
   gc_eval_arb_digits (whose own need is gc_eval_arb_bytes or
   gc_eval_arb_grads_bytes).  SIZE_MAX when it exceeds a size_t. */
size_t gc_eval_fast_bytes(slong len);

/* As gc_eval_arb_digits, but for *digits* <= GC_FAST_DIGITS_MAX it first
   tries gc_eval_fast and keeps its balls if every dC/db_j and dC/dw_j
   has the digits (gc_arb_has_digits, decided in double arithmetic from
   the value and its bound except within 2^-40 of a rounding boundary:
   about 10 ns a value instead of 1 us; the backward pass stops at the
   first value without them), with *prec_used* = 53 (then only t->db and
   t->dw are written).  Otherwise (more digits, gc_eval_fast gave up, or
   a ball does not decide a digit) it returns gc_eval_arb_digits(t, net,
   digits, max_prec, prec_used), so *prec_used* >= 64 says that the Arb
   engine was used.  The printed digits are those of the Arb engine
   either way: both give balls that decide them, and a decided rounding
   is unique.

   Depth.  The bound grows by about 15 u a layer, so among the 2 L
   values of a deep chain one is likely to lie too near a rounding tie
   (about 1.3e-15 L^2 10^D such values were counted), and one is enough
   to hand the network to Arb; when 3e-15 L^2 10^D exceeds 2 (about 1
   such value expected), gc_eval_fast_digits goes to Arb at once,
   without the fast attempt.
   Measured on N(0,1) chains (bench/bench_fast, seed 1), the fast path
   decided every digit for D <= 8 at L = 10^3, D <= 6 at 10^4, D <= 4
   at 10^5, D <= 2 at 10^6.  D = 14 and 15 are never tried
   (GC_FAST_DIGITS_MAX). */
int gc_eval_fast_digits(gc_arb_trace_t t, const gc_net_t net, slong digits,
                        slong max_prec, slong * prec_used)
    GC_WARN_UNUSED_RESULT;

/* For the tests of the exponential of the fast path: returns m and sets
   *e* and *r* so that e^x = m 2^e (1 + t), |t| <= *r*, 1/2 <= m < 1, for
   |x| < 2^50; returns 0 (e, r untouched) outside. */
double _gc_fast_exp(slong * e, double * r, double x);

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_FAST_H */
