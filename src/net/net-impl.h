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

/* Makes *net* a stored network of *len* layers, growing the arrays
   geometrically (so n calls with len = 1, 2, ..., n cost O(n)).  Layers
   already stored keep their values; new layers are unspecified. */
void _gc_net_fit_length(gc_net_t net, slong len);

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

/* Shared with the engines (src/numeric), which include this header for
   them: the exact rational z_j of a piecewise-linear prefix. */
/* Returns 1 if the activations of *net* are piecewise linear with
   rational coefficients (relu, leaky-relu, identity) in every layer
   before layer *j*, so that z_j is a rational number; 0 otherwise. */
int _gc_net_z_is_rational(const gc_net_t net, slong j);

/* If _gc_net_z_is_rational(net, j), sets *z* to the exact z_j and returns
   1 (cost: j layers of rational arithmetic, whose sizes grow with j: the
   engines call it only to decide the sign of a z_j they cannot separate
   from 0); returns 0 otherwise, *z* unspecified. */
int _gc_net_get_z_q(mpq_t z, const gc_net_t net, slong j);

/* One exact layer j: from a = a_{j-1}, sets z = z_j and, if layer j is
   piecewise linear (relu, leaky-relu, identity), a = a_j and returns 1;
   returns 0 otherwise (a unchanged).  w and b are scratch. */
int _gc_net_step_q(mpq_t z, mpq_t a, mpq_t w, mpq_t b, const gc_net_t net,
                   slong j);

#endif /* GC_NET_IMPL_H */
