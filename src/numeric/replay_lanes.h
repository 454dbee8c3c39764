/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* replay_lanes.h -- the sweep's replay kernel (replay_lanes.c): K chains
   replayed together, layer by layer, keeping only what a sweep reads of
   an unscaled gc_replay (the classes of dC/db_j and overflow_layer).
   Private to the library (src/study and the Check programs). */

#ifndef GC_REPLAY_LANES_H
#define GC_REPLAY_LANES_H

#include "gc-impl.h"

/* The most chains replayed together. */
#define GC_LANES_MAX 8

/* Returns 1 if _gc_replay_lanes covers replays in *f* with the sequence
   *seq* in the calling thread's MPFR exponent range: binary64, binary32,
   or an emulated format of _gc_numfmt_hw_ok rounding to nearest without
   ":ftz" (any overflow policy), not mixed; the pytorch or textbook
   sequence; a range that holds binary64's.  0 otherwise. */
int _gc_lanes_covers(const gc_numfmt_struct * f, gc_seq_t seq);

/* The doubles of scratch that _gc_replay_lanes needs for K chains of
   *len* layers. */
slong _gc_lanes_scratch(slong len, slong K);

/* Replays K (1 .. GC_LANES_MAX) sigmoid chains of *len* layers with the
   quadratic cost, input *a0* and target *y* (binary64 numbers), lane k's
   w_j and b_j at w[(j - 1) K + k] and b[(j - 1) K + k], in the format *f*
   (_gc_lanes_covers) with *seq*, without loss scale, as gc_replay does
   with the same network (the same operations in the same order through
   the same functions, replay-hw.h); sets lane k's classes of dC/db_1 ..
   dC/db_len to cls[k len .. (k + 1) len), the values themselves to
   db[k len .. (k + 1) len) unless db is NULL (for the tests), and its
   overflow_layer to ovl[k].  scratch holds _gc_lanes_scratch(len, K)
   doubles.  Returns the mask of the lanes it declined (bit k: lane k's
   results are unspecified): where gc_replay would take an MPFR path (a
   parameter outside [2^-300, 2^300), an exponential too near a rounding
   boundary of an emulated format), so that the caller replays them with
   gc_replay.  A lane not declined is gc_replay's, which returns
   GC_SUCCESS for it. */
unsigned _gc_replay_lanes(gc_class_t * cls, slong * ovl, double * db,
                          const double * w, const double * b, double a0,
                          double y, slong len, slong K,
                          const gc_numfmt_struct * f, gc_seq_t seq,
                          double * scratch);

#endif /* GC_REPLAY_LANES_H */
