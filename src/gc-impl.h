/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gc-impl.h -- private helpers of libgradchain (never installed). */

#ifndef GC_IMPL_H
#define GC_IMPL_H

#include <stdint.h>
#include <string.h>

#include "gradchain.h"

/* Every floating-point operation of the library is one rounding, as its
   proofs (the fast path's error bounds, Dekker's products, the proven
   roundings of the random draws) and the replays' documented sequences
   (no fma unless the sequence says so) count them: no contraction of
   x * y + z into a fused multiply-add, which GCC does by default in its
   GNU modes wherever the target has one (aarch64, x86-64 with -mfma or
   -march=native).  Every source of the library includes this header
   before its functions. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

/* Checks 1 <= j <= len, aborting through gc_throw with the function name
   otherwise. */
#define GC_CHECK_LAYER(fn, j, len)                                          \
    do                                                                      \
    {                                                                       \
        if ((j) < 1 || (j) > (len))                                         \
            gc_throw("%s: layer %ld out of range 1..%ld", (fn), (long)(j),  \
                     (long)(len));                                          \
    } while (0)

/* Returns n * size, the bytes of an array of n >= 0 objects of *size*
   bytes, or aborts through gc_throw naming *fn* when n is negative or
   the product exceeds WORD_MAX (a length the caller should have refused:
   an allocation of that size could never succeed, and a wrapped size
   would make it too small).  Every allocation whose size the library
   computes from a length goes through it. */
static inline size_t
_gc_array_bytes(slong n, size_t size, const char * fn)
{
    if (n < 0 || (size != 0 && (ulong) n > (ulong) WORD_MAX / size))
        gc_throw("%s: %ld objects of %lu bytes exceed the address space",
                 fn, (long) n, (unsigned long) size);
    return (size_t) n * size;
}

/* The estimates of the memory a computation needs (gc_eval_arb_bytes,
   gc_replay_bytes, ...): returns the heap bytes of n objects of *per*
   bytes plus *extra* bytes, and a quarter more for the allocator's
   rounding and fragmentation (peak RSS measured with /usr/bin/time -v
   stays below these bounds), or SIZE_MAX when that does not fit a
   size_t.  A negative n counts as 0. */
static inline size_t
_gc_bytes_estimate(slong n, size_t per, size_t extra)
{
    ulong hi, lo;

    umul_ppmm(hi, lo, (ulong) FLINT_MAX(n, 0), (ulong) per);
    if (hi != 0 || extra > SIZE_MAX / 5 * 4
        || lo > SIZE_MAX / 5 * 4 - extra)
        return SIZE_MAX;
    lo += extra;
    return lo + lo / 4;
}

/* The heap bytes of one number of *prec* bits, an upper bound: an arb_t
   (its midpoint's limbs are on the heap beyond two), or an mpfr_t (a
   header limb and the limbs, in a block of the allocator, which adds up
   to 24 bytes). */
static inline size_t
_gc_arb_bytes(slong prec)
{
    slong n = (FLINT_MAX(prec, 2) + FLINT_BITS - 1) / FLINT_BITS;

    return sizeof(arb_struct) + (n > 2 ? (size_t) n * sizeof(ulong) + 24 : 0);
}

static inline size_t
_gc_mpfr_bytes(slong prec)
{
    slong n = (FLINT_MAX(prec, 2) + FLINT_BITS - 1) / FLINT_BITS;

    return sizeof(__mpfr_struct) + (size_t) (n + 1) * sizeof(ulong) + 24;
}

/* Copies the printable part of [s, s+n) into dst (size GC_PARSE_TOKEN_MAX),
   replacing non-printable bytes by '?', and fills err's token and message.
   Defined in src/util.c. */
void _gc_parse_error_set(gc_parse_error_t err, slong line, const char * tok,
                         size_t n, const char * fmt, ...) GC_PRINTF(5, 6);

/* Name tables.  Every enumeration of the library that has names (the
   activations, costs, sequences, forms, languages, ...) keeps them in one
   static NULL-terminated array indexed by the enumeration's value, so that
   parsing, printing and the lists in messages come from the same table.
   GC_NAMES_DEFINE(gc_X, type, "a", "b", ...) defines that table and the
   public functions gc_X_names (the table) and gc_X_name (one name, with
   gc_throw for a value out of range); GC_NAMES_SET_STR(gc_X, type) adds
   gc_X_set_str, the exact inverse of gc_X_name. */
#define GC_NAMES_DEFINE(pre, type, ...)                                     \
    static const char * const pre##_table[] = {__VA_ARGS__, NULL};          \
    const char * const *                                                    \
    pre##_names(void)                                                       \
    {                                                                       \
        return pre##_table;                                                 \
    }                                                                       \
    const char *                                                            \
    pre##_name(type v)                                                      \
    {                                                                       \
        return gc_name_get(pre##_table, (int) v, #pre "_name");             \
    }

#define GC_NAMES_SET_STR(pre, type)                                         \
    int                                                                     \
    pre##_set_str(type * res, const char * str)                             \
    {                                                                       \
        int i;                                                              \
                                                                            \
        if (gc_name_lookup(&i, str, pre##_table) != GC_SUCCESS)             \
            return GC_INVALID;                                              \
        *res = (type) i;                                                    \
        return GC_SUCCESS;                                                  \
    }

/* Sets *res* to the position of *str* in the NULL-terminated table
   *names*; returns GC_SUCCESS, or GC_INVALID (res unchanged) if absent.
   Defined in src/util.c. */
int gc_name_lookup(int * res, const char * str, const char * const * names)
    GC_WARN_UNUSED_RESULT;

/* Returns names[i], or aborts through gc_throw naming *fn* when i is not
   a position of the NULL-terminated table *names*.  Defined in
   src/util.c. */
const char * gc_name_get(const char * const * names, int i, const char * fn);

/* The caller's MPFR state, saved as MPFR_SAVE_EXPO_MARK does in
   mpfr-impl.h.  GC_SAVE_EXPO(s) saves the exponent range and the flags,
   widens the range to the maximum (gc_mpfr_widen_exponent_range) and
   clears the flags, so that between it and GC_RESTORE_EXPO(s) the flags
   are the entry point's own; GC_RESTORE_EXPO(s) puts the caller's range
   and flags back.  Every entry point that uses MPFR's range brackets its
   work with them: the caller finds emin, emax and the flags as they were
   (both are per thread in a thread-safe MPFR, mpfr_buildopt_tls_p). */
typedef struct
{
    mpfr_exp_t emin;
    mpfr_exp_t emax;
    mpfr_flags_t flags;
} gc_expo_struct;

#define GC_SAVE_EXPO(s)                                                     \
    do                                                                      \
    {                                                                       \
        (s).emin = mpfr_get_emin();                                         \
        (s).emax = mpfr_get_emax();                                         \
        (s).flags = mpfr_flags_save();                                      \
        gc_mpfr_widen_exponent_range();                                     \
        mpfr_clear_flags();                                                 \
    } while (0)

#define GC_RESTORE_EXPO(s)                                                  \
    do                                                                      \
    {                                                                       \
        mpfr_set_emin((s).emin);                                            \
        mpfr_set_emax((s).emax);                                            \
        mpfr_flags_restore((s).flags, MPFR_FLAGS_ALL);                      \
    } while (0)

/* Between GC_SAVE_EXPO(*s*) and GC_RESTORE_EXPO(*s*): checks the *n*
   numbers v[0..n) into the caller's exponent range saved in *s*, as
   mpfr_check_range does there with the exact ternary value 0 and the
   rounding *rnd* (an exponent too small gives zero or the smallest
   number of the range, one too large infinity or the largest number),
   so that they are valid numbers for the caller.  Returns GC_UNABLE if
   one of them was outside that range, GC_SUCCESS otherwise.  The range
   is widened again before it returns; the flags it raises are the entry
   point's own.  Defined in src/util.c. */
int _gc_mpfr_vec_check_range(mpfr_ptr v, slong n, const gc_expo_struct * s,
                             mpfr_rnd_t rnd);

/* Starts this thread's table of the decimals that gc_arb_has_digits
   proves for the *n* balls from *base* on (computed at *prec*, checked
   for *digits*), which gc_arb_get_str_digits prints without converting
   the balls again (ball_digits.c); the previous table is dropped. */
void _gc_digits_cache_begin(const arb_struct * base, slong n, slong prec,
                            slong digits);

/* gc_arb_has_digits and gc_arb_get_str_digits without the limb-level
   test and the decimals kept by _gc_digits_cache_begin: the reference
   they are tested against (ball_digits.c). */
int _gc_arb_has_digits_ref(const arb_t x, slong digits);
int _gc_arb_get_str_digits_ref(char ** str, slong * certified,
                               const arb_t x, slong digits);

/* log10(2) and log2(10), as doubles rounded up, for estimates whose
   error the caller allows for (decimal exponents, working precisions). */
#define GC_LOG10_2 0.30102999566398120
#define GC_LOG2_10 3.3219280948873623

/* The exact rational z_j, for the engines (src/numeric) that decide the
   sign of z_j at a kink.  A cursor over the exact forward pass, advanced
   only when an engine asks: j layers are done, and a = a_j exactly while
   *rational* (known) says so.  z_j is known when w_j = 0 (z_j = b_j) or
   a_{j-1} is known; a_j = f(z_j) is known when z_j is and _gc_act_exact
   gives f(z_j) (every piecewise-linear layer: relu, leaky-relu,
   identity; sigmoid, tanh and gelu at z_j = 0).  Otherwise z_j is a
   transcendental expression that this rule does not decide (it may
   still be 0).  Asking for increasing layers, as a forward pass
   does, costs one exact layer each in all, so an engine that meets many
   kinks stays linear in the depth.  Defined in src/net/net.c. */
typedef struct
{
    mpq_t z, a, w, b;
    slong j;
    int rational;
} _gc_exact_struct;

void _gc_exact_init(_gc_exact_struct * x, const gc_net_t net);
void _gc_exact_clear(_gc_exact_struct * x);

/* Sets x->z to the exact z_j and returns 1 if z_j is known (the rules
   above); returns 0 otherwise.  Advances the
   cursor to j - 1 layers done (from a_0 again when it is past them). */
int _gc_exact_z(_gc_exact_struct * x, const gc_net_t net, slong j);

/* The Arb engine's pieces that the wide networks share (ball.c).
   _gc_arb_set_q rounds the exact q once to prec bits (dyadic rationals
   without a division).  _gc_arb_act sets fz = f(z) and sp = f'(z) for
   the ball z and the activation f (fz and sp must not alias z; d is
   scratch; z is negated and restored, bit for bit), with a relu or
   leaky-relu sign taken from the ball as it is (decide it exactly first
   where z is rational).  _gc_arb_output_grad
   sets res = a - y for the output a = f(z) (with a sigmoid f, computed
   from z without cancellation): dC/da for the quadratic cost and dC/dz
   for cross-entropy; res may alias z.  _gc_ziv_loop is the Ziv loop of
   the digits functions (gc_eval_arb_digits): eval(arg, prec) from the
   precision gc_prec_for_digits(digits, len) (at least 64 bits, at most
   max_prec) on, doubling it, until each of the n balls x[0..n) that
   eval fills has *digits* digits (gc_arb_has_digits) or is beyond the
   printable range, or max_prec was tried, or (stopping early) no ball
   that lacks its digits can narrow enough by max_prec (the rule in
   ball.c); with *cache* the decimals
   proved are kept for gc_arb_get_str_digits.  It sets *prec_used* and
   returns as gc_eval_arb_digits; *fn* names the caller in gc_throw. */
void _gc_arb_set_q(arb_t x, const mpq_t q, slong prec);
void _gc_arb_act(arb_t fz, arb_t sp, arb_t d, arb_t z,
                 const gc_activation_struct * f, slong prec);
void _gc_arb_output_grad(arb_t res, const arb_t z, const arb_t a,
                         const mpq_t y, const gc_activation_struct * f,
                         slong prec);
int _gc_ziv_loop(int (*eval)(void *, slong), void * arg, arb_srcptr x,
                 slong n, int cache, slong digits, slong len,
                 slong max_prec, slong * prec_used, const char * fn);

/* The MPFR engine's pieces that the wide networks share (mpfr_eval.c).
   _gc_mpfr_act sets a = f(z) and sp = f'(z), rounded to nearest, for the
   activation f (a and sp must not alias z; t and r are scratch), a relu
   or leaky-relu branching on the sign of z as it is.
   _gc_mpfr_kink_doubt returns 1 if the sign of the computed z of layer j
   is in doubt: z = 0 or |z| <= 2^(16 + ceil(log2(j + 1)) - prec) t, with
   t an upper bound of the magnitudes summed into z (|w a| + |b|); t is
   overwritten. */
void _gc_mpfr_act(mpfr_t a, mpfr_t sp, const mpfr_t z,
                  const gc_activation_struct * f, mpfr_t t, mpfr_t r);

/* Sets q = f(q) and returns 1 if f(q) is rational and known exactly for
   the rational q: every value of a piecewise-linear f (relu, leaky-relu,
   identity), and f(0) of the smooth functions that are rational there
   (sigmoid 1/2, tanh 0, gelu 0); returns 0 otherwise (softplus, or a
   smooth f away from 0; q is then unspecified).  The engines' exact
   forward passes past a smooth layer (mpfr_eval.c, wide_eval.c). */
int _gc_act_exact(mpq_t q, const gc_activation_struct * f);
int _gc_mpfr_kink_doubt(const mpfr_t z, mpfr_t t, slong j);

/* Hardware emulation of the narrow formats (src/numeric/formats.c).
   _gc_numfmt_hw_ok returns 1 if *f* is an emulated format that
   _gc_numfmt_round_d rounds exactly and whose replay (formats_replay.c)
   may compute in binary64: p <= 25, emin - 1 >= -300, emax <= 300, any
   rounding but the stochastic one (whose decision needs the value to
   p + 64 bits: those formats keep MPFR).  _gc_numfmt_round_d sets *res*
   to v rounded to *f* as _gc_numfmt_round does (mode, subnormals,
   ":ftz", overflow policy; NaN and infinities as there) and returns the
   same GC_ROUND_* flags, where v is given by d = v rounded to nearest in
   binary64 and t, the sign of v - d (0 when d is v); d is zero,
   infinite, NaN or has |d| in [2^-1000, 2^1000].  Not for a stochastic
   format (gc_throw). */
int _gc_numfmt_hw_ok(const gc_numfmt_struct * f);

/* 2^k as a binary64 number, for -1022 <= k <= 1023 (not checked). */
static inline double
_gc_pow2_d(slong k)
{
    uint64_t u = (uint64_t) (k + 1023) << 52;
    double d;

    memcpy(&d, &u, sizeof(double));
    return d;
}

int _gc_numfmt_round_d(double * res, double d, int t,
                       const gc_numfmt_struct * f);

/* mpfr_get_d(x, MPFR_RNDN) and mpfr_set_d(r, d, MPFR_RNDN), bit for bit
   (value, sign of zero, NaN), through the bits of the double where one
   limb holds the number exactly (src/numeric/formats_replay.c); for an
   exponent range that holds binary64's (MPFR's default one does). */
double _gc_raw_get_d(mpfr_srcptr x);
void _gc_raw_set_d(mpfr_ptr r, double d);

/* gc_replay with a choice of path for the emulated formats: *hardware*
   = 1 (what gc_replay does) computes in binary64 where
   _gc_numfmt_hw_ok allows, 0 forces MPFR for every emulated operation.
   The two give bit-identical replays; the tests and bench/bench_formats
   compare them.  Either holds its values as doubles when it keeps only
   the gradients in formats whose numbers are all binary64 numbers (with
   0, every emulated operation then goes through the doubles' fallback
   to MPFR), as mpfr_t otherwise.  Defined in src/numeric/formats_replay.c. */
int _gc_replay_path(gc_replay_t r, const gc_net_t net, const gc_numfmt_t fmt,
                    gc_seq_t seq, mpfr_srcptr scale, int hardware)
    GC_WARN_UNUSED_RESULT;

/* Returns 1 and sets *d* if the rational *q* is exactly a finite binary64
   number (subnormals included), 0 otherwise. */
int _gc_q_get_d_exact(double * d, const mpq_t q);

/* Sets *w* and *b* to w_j and b_j of *net* (1 <= j <= net->len,
   otherwise gc_throw) and returns 1 when the network holds both as
   binary64 numbers (a compact network's words, or a generated network's
   draws); returns 0, *w* and *b* unset, otherwise (a rational of the side
   table, or a network of mpq_t arrays: read it with gc_net_get_layer_q).
   For the engines that start from binary64 values: no mpq_t a layer. */
int _gc_net_get_layer_d(double * w, double * b, const gc_net_t net, slong j);

/* arb_rel_accuracy_bits(x), its definition written out for a ball of
   small exponents: -(MAG_EXP(rad) + 1 - ARF_EXP(mid)) (the library call
   otherwise). */
static inline slong
_gc_rel_accuracy_bits(const arb_t x)
{
    const arf_struct * mid = arb_midref(x);
    const mag_struct * rad = arb_radref(x);

    if (arf_is_special(mid) || mag_is_special(rad)
        || COEFF_IS_MPZ(ARF_EXP(mid)) || COEFF_IS_MPZ(MAG_EXP(rad)))
        return arb_rel_accuracy_bits(x);
    return ARF_EXP(mid) - MAG_EXP(rad) - 1;
}

#endif /* GC_IMPL_H */
