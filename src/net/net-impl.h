/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* net-impl.h -- private helpers shared by the files of src/net. */

#ifndef GC_NET_IMPL_H
#define GC_NET_IMPL_H

#include "gc-impl.h"

/* Appends the layer (w, b) to *net*, which must be compact or of length
   0 (otherwise gc_throw), storing each value as a binary64 word when it
   is one (_gc_q_get_d_exact) and as a rational of net->cq otherwise; the
   array grows geometrically (n calls cost O(n)).  A new layer has the
   default activation. */
void _gc_net_push_layer(gc_net_t net, const mpq_t w, const mpq_t b);

/* As _gc_net_push_layer for the binary64 values w and b (finite). */
void _gc_net_push_layer_d(gc_net_t net, double w, double b);

/* Compact parameter words (gc_net_struct's cwb, gc_wnet_struct's wb):
   the bits of a binary64 number (a -0 stored as +0), or GC_NET_CQ_TAG +
   k for the rational k of a side table cq of ncq entries (cq_alloc
   initialised).  _gc_word_d gives the word of the finite d; _gc_word_q
   the word of q, appending q to the table (grown geometrically; *fn*
   names the caller in an overflow message) when it is not a binary64
   number; _gc_word_get_q and _gc_word_get_mpfr (rounded with *rnd*,
   returning the ternary value) read a word back. */
ulong _gc_word_d(double d);
ulong _gc_word_q(mpq_ptr * cq, slong * ncq, slong * cq_alloc, const mpq_t q,
                 const char * fn);
void _gc_word_get_q(mpq_t q, mpq_srcptr cq, ulong u);
int _gc_word_get_mpfr(mpfr_t x, mpq_srcptr cq, ulong u, mpfr_rnd_t rnd);

/* If [str, str+n) is a decimal of the grammar of gc_q_set_str (no hex,
   no fraction, the exponent within GC_EXP10_MAX) whose value is exactly
   a binary64 number, sets *d* to it (+0 for zero) and returns 1; returns
   0 otherwise, *d* unchanged: the caller then reads it with
   _gc_q_set_strn, which gives the same value or the error. */
int _gc_dec_get_d_exact(double * d, const char * str, size_t n);

/* As gc_q_set_str, for the *n* bytes at *str* (no NUL needed). */
int _gc_q_set_strn(mpq_t q, const char * str, size_t n,
                   gc_parse_error_t err) GC_WARN_UNUSED_RESULT;

/* As _gc_q_set_strn, but a failure sets *why* to the reason alone
   ("expected a number", "zero denominator", ...), for callers that show
   the token their own way. */
int _gc_q_set_strn_why(mpq_t q, const char * str, size_t n,
                       const char ** why) GC_WARN_UNUSED_RESULT;

/* Fills *err* for the token [tok, tok+n) at *line*, with the message
   "<before> '<token>'<after>" (the token as _gc_parse_error_set stores
   it: printable and truncated).  Always returns GC_INVALID. */
int _gc_net_error(gc_parse_error_t err, slong line, const char * tok,
                  size_t n, const char * before, const char * after);

/* |e| bound of the exponent written after 'e' in a decimal number (and
   after 'p' in a hex float), and how messages name it: 10^e then costs at
   most about 0.6 MB and 10 ms to build.  The writer never prints a larger
   exponent, so what it writes reads back. */
#define GC_EXP10_MAX 1000000L
#define GC_EXP10_MAX_STR "10^6"

/* The normal draws of random.c for u1 = n1 / 2^54 and u2 = n2 / 2^54
   (n1 and n2 odd, below 2^54).  _gc_normal_arb returns the binary64
   number nearest to sqrt(-2 ln u1) cos(2 pi u2) (the definition, by Arb).
   _gc_normal_fx sets *n* to the same number and returns 1 when its
   fixed-point enclosure decides the rounding, and returns 0 otherwise
   (always when GC_HAVE_NORMAL_FX is 0: no 128-bit integer type). */
#if defined(__SIZEOF_INT128__) && GMP_LIMB_BITS == 64
#define GC_HAVE_NORMAL_FX 1
#else
#define GC_HAVE_NORMAL_FX 0
#endif
double _gc_normal_arb(ulong n1, ulong n2);
int _gc_normal_fx(double * n, ulong n1, ulong n2);

/* With GC_HAVE_NORMAL_FX: sets lo and hi (two words each, low word
   first) to integers with lo 2^-120 <= N^2 <= hi 2^-120 for the N of
   _gc_normal_fx, and returns 1; or returns 0 when lo would be 0. */
int _gc_normal_fx_sq(ulong * lo, ulong * hi, ulong n1, ulong n2);

#endif /* GC_NET_IMPL_H */
