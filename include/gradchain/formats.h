/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/formats.h -- number formats: descriptors of the hardware and
   deep-learning formats, correctly rounded emulation with MPFR, and the
   replay of a network in a format with a documented operation sequence
   and optional loss scaling.  Included by gradchain.h; do not include it
   directly.

   Conventions.  A format is given by its precision p (significand bits,
   the implicit bit included) and MPFR's exponent convention, where a
   number is m * 2^e with 1/2 <= |m| < 1:
       min subnormal = 2^(emin - 1),   min normal = 2^(emin + p - 2),
       max finite    = 2^emax - (1 + top_reserved) * 2^(emax - p).
   For an IEEE format with exponents Emin..Emax: emin = Emin - p + 2 and
   emax = Emax + 1 (binary64: p = 53, emin = -1073, emax = 1024, as in the
   MPFR manual's example of emulating doubles).  top_reserved = 1 for
   E4M3FN, whose top significand in the top binade (S.1111.111) is NaN,
   so that its max finite is 448 and not 480.

   Rounding to a format is to nearest, ties to even (unless a rounding
   modifier, below, says otherwise), with gradual underflow (subnormals);
   it is the correct rounding of the exact value,
   computed as MPFR at precision p, then mpfr_check_range and
   mpfr_subnormalize with MPFR's exponent range set to [emin, emax] (the
   caller's range is restored afterwards).  Overflow means: the value
   rounded to p bits with an unbounded exponent exceeds max finite (so in
   binary16 65519.99 -> 65504 but 65520 -> inf, and in E4M3 464, a tie
   between 448 and the missing 480, rounds to even 448 without overflow,
   while 464.01 overflows).  What overflow gives is the overflow policy:
   GC_OVERFLOW_INF (IEEE: +-inf), GC_OVERFLOW_SATURATE (+-max finite, the
   OCP "saturating" conversion; infinities become +-max too) or
   GC_OVERFLOW_NAN (the OCP non-saturating mode of E4M3FN: NaN, infinities
   become NaN too).

   Rounding modifiers (emulated formats only; see gc_numfmt_set_str for
   the names).  A format rounds in its mode gc_numfmt_rnd_t: to nearest
   (the default, above), toward zero, up or down (the IEEE directed
   modes, with subnormals), or stochastically.  The mode applies to every
   rounding to the format: each operation of a replay and the rounding of
   the parameters.  Directed modes overflow as IEEE 754 says: a result
   that rounds toward a finite number (toward zero; down for positive
   and up for negative values) is +-max finite whatever the overflow
   policy, one that rounds toward infinity is infinite, and the policy
   decides what an infinite result becomes.  In every mode a result
   beyond max finite raises GC_ROUND_OVERFLOW.

   Stochastic rounding (SR): a value v, not a number of the format, lies
   between the two format numbers next to it, lo (toward zero) and
   lo + ulp (away from zero, same sign), where ulp is the spacing there
   (2^(e - p) for |v| in [2^(e-1), 2^e), at least the min subnormal).
   With frac = |v - lo| / ulp in (0, 1) and a random word r of 64 bits,
   the result is lo + ulp (away from zero) if r < frac 2^64 and lo
   otherwise: so it is rounded away with probability ceil(frac 2^64) /
   2^64, that is frac to within 2^-64, and the mean of the result is v
   to within 2^-64 ulp (unbiased).  Equivalently, it rounds up (toward
   +inf) with probability |v - RD(v)| / ulp.  A format number is
   returned unchanged.  Beyond max finite the next number away is
   "infinite" and becomes what the overflow policy says.  The decision
   is exact for every operation: the replay computes each result
   rounded toward zero at p + 64 bits with MPFR (correctly rounded, exp
   and division included) together with its ternary value, and that
   determines the comparison of r with frac 2^64 exactly
   (_gc_numfmt_round_sr), so SR is applied to the exact result of every
   operation, not to an approximation.

   The random words of a replay are a counter-based stream, a pure
   function of the seed of the format (gc_numfmt_set_sr_seed) and of the
   position of the rounding: gc_numfmt_sr_word(seed, pass, j, i) is the
   word of the i-th stochastic rounding (i = 0, 1, ...) made in layer j
   of pass GC_SR_PARAMS (the parameters w_j, b_j; j = 0: a_0, then y or
   dC/da_L), GC_SR_FORWARD (layer j of the forward pass) or
   GC_SR_BACKWARD (layer j of the backward pass; j = 0: dC/da_L and its
   loss scaling), counted in the order the sequence rounds.  So a replay
   is reproducible, the same on every machine and for any number of
   threads (it never depends on other replays or on scheduling), and a
   layer's words do not depend on how many roundings other layers make.
   All arithmetic is modulo 2^64, with SplitMix64 (Steele, Lea and Flood
   2014) as in src/net/random.c:
       mix(z) = z ^= z >> 30, z *= 0xBF58476D1CE4E5B9,
                z ^= z >> 27, z *= 0x94D049BB133111EB,
                z ^= z >> 31, return z;
       X(s, c) = mix(s + c * 0x9E3779B97F4A7C15)
                 (output number c = 1, 2, ... of SplitMix64 seeded with s);
       gc_numfmt_sr_word(seed, pass, j, i)
               = X(X(X(seed, pass + 1), j + 1), i + 1).

   Flush to zero (":ftz", GPUs' FTZ/DAZ): a result whose rounding to p
   bits in the format's mode with an unbounded exponent is below the min
   normal in magnitude (tininess after rounding, as x86 SSE detects it)
   becomes a zero of its sign, with GC_ROUND_UNDERFLOW; and an operand of
   an operation that is subnormal in the format is read as a zero of its
   sign (DAZ).  The min normal is then the smallest positive number the
   format produces. */

#ifndef GRADCHAIN_FORMATS_H
#define GRADCHAIN_FORMATS_H

#ifdef __cplusplus
extern "C" {
#endif

/* How a format is evaluated: emulated with MPFR, or by the hardware (or
   libquadmath) in the C type named. */
typedef enum
{
    GC_NUMFMT_EMULATED = 0,
    GC_NUMFMT_DOUBLE,      /* binary64 */
    GC_NUMFMT_FLOAT,       /* binary32 */
    GC_NUMFMT_LONG_DOUBLE, /* x87 80-bit, where LDBL_MANT_DIG == 64 */
    GC_NUMFMT_FLOAT128     /* binary128, __float128 with libquadmath */
} gc_numfmt_kind_t;

/* What a result beyond max finite becomes (see the top of this file). */
typedef enum
{
    GC_OVERFLOW_INF = 0,
    GC_OVERFLOW_SATURATE,
    GC_OVERFLOW_NAN
} gc_overflow_t;

/* How a format rounds (see the top of this file). */
typedef enum
{
    GC_NUMFMT_RNDN = 0, /* to nearest, ties to even */
    GC_NUMFMT_RNDZ,     /* toward zero, ":rz" */
    GC_NUMFMT_RNDU,     /* up, toward +inf, ":ru" */
    GC_NUMFMT_RNDD,     /* down, toward -inf, ":rd" */
    GC_NUMFMT_RNDSR     /* stochastically, ":sr" */
} gc_numfmt_rnd_t;

/* The passes of a replay, as positions of the SR stream. */
#define GC_SR_PARAMS 0
#define GC_SR_FORWARD 1
#define GC_SR_BACKWARD 2

#define GC_NUMFMT_NAME_MAX 64

/* A number format.  compute is NULL except for "mixed:S/C" formats, where
   this descriptor is the storage format S and compute points to the
   (built-in) format C in which the arithmetic is done.  rnd and ftz are
   the rounding modifiers (GC_NUMFMT_RNDN and 0 unless the name has
   them); sr_seed seeds the SR stream (0 after gc_numfmt_set_str; set it
   with gc_numfmt_set_sr_seed) and is unused unless rnd is
   GC_NUMFMT_RNDSR.  Of a mixed format, the modifiers round the storage
   format; the arithmetic in C rounds to nearest. */
typedef struct gc_numfmt_struct_tag
{
    char name[GC_NUMFMT_NAME_MAX];
    mpfr_prec_t prec;
    mpfr_exp_t emin;
    mpfr_exp_t emax;
    int top_reserved;
    int has_inf;
    int has_nan;
    gc_overflow_t overflow;
    gc_numfmt_kind_t kind;
    const struct gc_numfmt_struct_tag * compute;
    gc_numfmt_rnd_t rnd;
    int ftz;
    ulong sr_seed;
} gc_numfmt_struct;

typedef gc_numfmt_struct gc_numfmt_t[1];

/* Sets *f* to the format named *str*.  Names:
     binary64, binary32           hardware double and float;
     x87                          long double (only where it is x87);
     binary128                    __float128 (only with libquadmath);
     binary64-emu, binary32-emu, x87-emu, binary128-emu
                                  the same formats emulated with MPFR;
     binary16                     IEEE half: p = 11, 2^-24 .. 65504;
     bfloat16                     p = 8, 2^-133 .. (2 - 2^-7) 2^127;
     e5m2                         OCP FP8 E5M2: p = 3, 2^-16 .. 57344,
                                  IEEE infinities and NaN;
     e4m3                         OCP FP8 E4M3FN: p = 4, 2^-9 .. 448, no
                                  infinity, saturating by default;
     custom:p,emin,emax           p >= 2 bits, MPFR's exponents (above),
                                  emin + p - 1 <= emax, IEEE-like (inf and
                                  NaN); custom:11,-23,16 is binary16;
     mixed:S/C                    storage S (any name above except mixed
                                  and custom) and computation in the
                                  built-in format C (e.g.
                                  mixed:binary16/binary32);
   and any of them followed by modifiers, each ":" and a word, in any
   order, at most one of each kind:
     rounding: ":rz" (toward zero), ":ru" (up), ":rd" (down), ":sr"
               (stochastic; the default is to nearest, ties to even);
     ":ftz"    flush subnormal results to zero, read subnormal operands
               as zero;
     overflow: ":sat", ":nan" or ":inf", the overflow policy ("e4m3:nan"
               is the non-saturating E4M3FN; ":inf" needs a format with
               infinities).
   Modifiers need an emulated format: binary64, binary32, x87 and
   binary128 round as their hardware does (to nearest, with subnormals,
   IEEE overflow), so "binary32:ftz" is refused and "binary32-emu:ftz"
   is the format meant; a mixed format takes them for its storage
   format.  f->name is the canonical name: the base name, then the
   rounding modifier, ":ftz", and the overflow policy, in this order
   ("bfloat16:ftz:sr" is named "bfloat16:sr:ftz"; names without
   modifiers, or with a policy only, are kept as written).  Returns
   GC_SUCCESS, or GC_INVALID with *err* (token and reason) for an unknown
   name, a format this build lacks, a bad custom or mixed spec, a
   modifier twice or of a kind given twice, or a modifier on a hardware
   format. */
int gc_numfmt_set_str(gc_numfmt_t f, const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Sets the seed of the stochastic-rounding stream of *f* (see the top of
   this file) to *seed*.  A replay in *f* with the same seed is the same
   replay; the seed is unused unless f->rnd is GC_NUMFMT_RNDSR. */
void gc_numfmt_set_sr_seed(gc_numfmt_t f, ulong seed);

/* Returns the random word of the i-th stochastic rounding of layer *j*
   in pass *pass* (GC_SR_PARAMS, GC_SR_FORWARD or GC_SR_BACKWARD) of the
   stream seeded with *seed*: X(X(X(seed, pass + 1), j + 1), i + 1) as
   defined at the top of this file. */
ulong gc_numfmt_sr_word(ulong seed, int pass, slong j, slong i);

/* Returns the names of the built-in formats of this build (the hardware
   formats it has, then the emulated ones), NULL-terminated: x87 and
   binary128 are absent where the build lacks them.  custom: and mixed:
   are families, not names, and are not listed. */
const char * const * gc_numfmt_names(void);

/* Parses a comma-separated list of format names ("binary64,e4m3,custom:
   4,-8,9,bfloat16": the three numbers after "custom:" belong to it) into
   a new array *res* of *len* formats, freed with flint_free.  Returns
   GC_SUCCESS, or GC_INVALID with *err* for an empty list, an empty item
   or a bad name; then *res* is NULL and *len* 0. */
int gc_numfmt_list_set_str(gc_numfmt_struct ** res, slong * len,
                           const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Set *res* exactly to the largest finite number, the smallest positive
   normal and the smallest positive subnormal number of *f*.  *res* must
   have precision >= f->prec for gc_numfmt_max (the others are powers of
   two).  MPFR's exponent range must contain the value (it does after
   gc_mpfr_widen_exponent_range). */
void gc_numfmt_max(mpfr_t res, const gc_numfmt_t f);
void gc_numfmt_min_normal(mpfr_t res, const gc_numfmt_t f);
void gc_numfmt_min_subnormal(mpfr_t res, const gc_numfmt_t f);

/* Returns the class of *x*, a number of format *f*: subnormal means 0 <
   |x| < the min normal of *f* (so a binary16 value held in an mpfr_t is
   classified as binary16 does). */
gc_class_t gc_numfmt_classify(const mpfr_t x, const gc_numfmt_t f);

/* Flags returned by the rounding functions, OR-ed. */
#define GC_ROUND_INEXACT 1   /* the value changed */
#define GC_ROUND_OVERFLOW 2  /* beyond max finite: inf, NaN or saturated */
#define GC_ROUND_UNDERFLOW 4 /* a non-zero value became zero */

/* Sets *res* to *x* rounded to a number of *f* in the rounding mode of
   *f* (to nearest with ties to even unless a modifier says otherwise),
   with subnormals (or flushed to zero with ":ftz") and the overflow
   policy of *f*, the same for emulated and hardware formats.  *res* must
   have precision >= f->prec; it then holds the format number exactly.
   MPFR's current exponent range must hold the numbers of *f* (f->emin >=
   emin and f->emax <= emax; MPFR's default range holds every built-in
   format), otherwise gc_throw.  A stochastic format (GC_NUMFMT_RNDSR)
   needs a random word: use gc_numfmt_round_sr (gc_throw otherwise).  The
   range and MPFR's flags are left as found.  Aliasing is allowed.
   Returns GC_ROUND_* flags. */
int gc_numfmt_round(mpfr_t res, const mpfr_t x, const gc_numfmt_t f);

/* Sets *res* to *x* rounded stochastically to *f* with the random word
   *r* (see the top of this file), whatever f->rnd is; the rest (range,
   ":ftz", overflow policy) as gc_numfmt_round.  *res* must have
   precision >= f->prec, and MPFR's range must hold *f* (gc_throw
   otherwise).  The range and MPFR's flags are left as found.  Aliasing
   is allowed.  Returns GC_ROUND_* flags. */
int gc_numfmt_round_sr(mpfr_t res, const mpfr_t x, const gc_numfmt_t f,
                       ulong r);

/* Returns MPFR's rounding mode for an operation whose result is then
   rounded to *f* by _gc_numfmt_round: MPFR_RNDN, MPFR_RNDZ, MPFR_RNDU or
   MPFR_RNDD as f->rnd says, and MPFR_RNDN for a stochastic format. */
mpfr_rnd_t gc_numfmt_mpfr_rnd(const gc_numfmt_t f);

/* Low level: *x* has precision exactly f->prec and holds a result rounded
   with MPFR's mode gc_numfmt_mpfr_rnd(f) and ternary value *t* in MPFR's
   current (wide) exponent range; rounds it in place to *f* as
   gc_numfmt_round does, without double rounding (":ftz" included).  It
   draws no random word: a stochastic format is rounded to nearest here
   (use _gc_numfmt_round_sr).  The range is restored; MPFR's flags are
   raised as mpfr_check_range and mpfr_subnormalize raise them.  Returns
   GC_ROUND_* flags. */
int _gc_numfmt_round(mpfr_t x, int t, const gc_numfmt_t f);

/* Low level: *x* (any precision, in MPFR's current wide exponent range)
   is either exact (*t* = 0) or the value v rounded toward zero at a
   precision of at least f->prec + 64 bits with ternary value *t* (nonzero
   when |x| < |v|).  Sets *res* (precision >= f->prec, *res* != *x*) to v
   rounded stochastically to *f* with the random word *r*, exactly as if
   v itself were rounded.  MPFR's range is left as found.  Returns
   GC_ROUND_* flags. */
int _gc_numfmt_round_sr(mpfr_t res, const mpfr_t x, int t,
                        const gc_numfmt_t f, ulong r);

/* Returns the number of significant decimal digits that identify every
   number of *f*: printed with that many digits, rounded to nearest, a
   number of f->prec bits reads back exactly (1 + ceil(p log10 2),
   mpfr_get_str_ndigits: 17 for binary64, 9 for binary32, 5 for
   binary16).  MPFR's range and flags are left as found. */
slong gc_numfmt_digits(const gc_numfmt_t f);

/* Sets *s* to the loss scale written in *str*: "2^E" (E an integer,
   |E| <= 100000, set exactly) or a positive number in any syntax of
   gc_q_set_str ("65536", "1024", "0.5", "1/3"), rounded to nearest at the
   precision of *s*.  Returns GC_SUCCESS; GC_INVALID with *err* for text
   that does not parse or a scale that is not positive; or GC_UNABLE when
   the caller's exponent range cannot hold the scale (*s* is then zero or
   infinite, as mpfr_check_range gives).  MPFR's range and flags are left
   as found. */
int gc_loss_scale_set_str(mpfr_t s, const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Operation sequences of the replay.  Every operation is one correctly
   rounded operation of the compute format, or a call of the C library's
   exp, tanh, log1p, erf or fma for a hardware format (MPFR's, correctly
   rounded, for an emulated one); negation, |.|, comparisons and the
   selections of relu and leaky-relu are exact.  The parameters w_j,
   b_j, a_0 and y (or a given dC/da_L) are first rounded from the exact
   rationals to the (storage) format.  Every sequence starts a layer with
       m = w_j * a_{j-1};  z_j = m + b_j     (two roundings, no fma)
   and ends it, backwards, with dw_j = a_{j-1} * delta_j.

   GC_SEQ_PYTORCH ("pytorch", the default of compare): PyTorch 1.13's
   autograd on CPU, op for op, with g_L = dC/da_L and g_j = delta_{j+1}
   * w_{j+1}, S leaky-relu's slope rounded to binary64 and then to the
   format (PyTorch's negative_slope is a Python float):
     sigmoid   a = 1 / (1 + exp(-z));       delta = (g * (1 - a)) * a
     tanh      a = tanh(z);                 delta = g * fma(-a, a, 1)
     relu      a = z > 0 ? z : 0;           delta = a > 0 ? g : 0
     leaky     a = z > 0 ? z : z * S;       delta = z > 0 ? g : g * S
     softplus  a = z > 20 ? z : log1p(exp(z));
               delta = z > 20 ? g : (g * e) / (e + 1), e = exp(z)
     identity  a = z;                       delta = g
     gelu      a = (z * 0.5) * (1 + erf(z * k1));
               delta = g * (0.5 * (1 + erf(z * k1))
                            + z * (k2 * exp((z * z) * -0.5)))
   with k1 = M_SQRT1_2 and k2 = M_2_SQRTPI * M_SQRT1_2 * 0.5 as binary64
   numbers rounded to the format.  Formats narrower than binary32
   (bfloat16, binary16, FP8, custom) compute each activation and its
   backward in hardware binary32 from the format's inputs and round the
   result once, as PyTorch does for bfloat16; gelu does its arithmetic
   in the format itself and only erf and exp in binary32 (rounded to the
   format), as PyTorch 1.13's bfloat16 gelu.  m, z, g_j and dw_j are
   operations of the format.  s'_j in the trace is the backward of g = 1.
   Costs: quadratic g_L = a_L - y; cross-entropy (sigmoid output) is
   BCELoss's backward g_L = (a_L - y) / max((1 - a_L) * a_L, 1e-12)
   followed by the sigmoid's backward.
   Where PyTorch's function is not the C library's: PyTorch's tanh is
   SLEEF's vectorised tanh even for one element (tanh_vml_cpu), so the
   binary64 and binary32 tanh values differ from the C library's in about
   1 case in 10; sigmoid, softplus and gelu use std::exp, std::log1p and
   std::erf on one-element tensors and agree bit for bit with glibc in
   binary64 and binary32; relu, leaky-relu and identity need no
   function.

   GC_SEQ_TEXTBOOK ("textbook", the textbook formula delta_j =
   (delta_{j+1} w_{j+1}) f'(z_j); "framework" is read as a deprecated
   alias): a_j = f(z_j) by the natural formula and s'_j = f'(z_j):
     sigmoid   a = 1 / (1 + exp(-z));  s' = a * (1 - a)
     tanh      a = tanh(z);            s' = 1 - a * a
     relu      a = z > 0 ? z : 0;      s' = z > 0 ? 1 : 0
     leaky     a = z > 0 ? z : z * S;  s' = z > 0 ? 1 : S  (S rounded once)
     softplus  a = log1p(exp(z));      s' = 1 / (1 + exp(-z))
     identity  a = z;                  s' = 1
     gelu      a = (z * 0.5) * (1 + erf(z * k1));
               s' = 0.5 * (1 + erf(z * k1)) + z * (k2 * exp((z * z) * -0.5))
   with k1 = 1/sqrt 2 and k2 = 1/sqrt(2 pi) rounded once to the format.
   GC_SEQ_STABLE ("stable", no cancellation): as textbook, except
     sigmoid   t = exp(-|z|);  d = 1 + t;  a = (z >= 0 ? 1 : t) / d;
               s' = t / (d * d)
     softplus  a = max(z, 0) + log1p(exp(-|z|)) (z > 0: one addition);
               s' = (z >= 0 ? 1 : t) / (1 + t), t = exp(-|z|)
   then, for both:
       g = a_L - y (quadratic) or a given dC/da_L;  [scaled: g = g * S]
       delta_L = s'_L * g, or g itself for cross-entropy with a sigmoid
       output (the textbook simplification a_L - y);
       delta_j = (delta_{j+1} * w_{j+1}) * s'_j   (two operations);
   With loss scaling: db_j = delta_j / S, dw_j = dw_j / S.
   Mixed formats compute in C and round each stored value (a_j, s'_j,
   delta_j, dw_j, the parameters) to S, then back to C for its next use
   (exact when S is narrower than C), as a framework casting to
   half-precision storage does. */
typedef enum
{
    GC_SEQ_PYTORCH = 0,
    GC_SEQ_TEXTBOOK,
    GC_SEQ_STABLE
} gc_seq_t;

/* The former name of GC_SEQ_TEXTBOOK (deprecated). */
#define GC_SEQ_FRAMEWORK GC_SEQ_TEXTBOOK

/* The name table (see gradchain.h) of the sequences: "pytorch",
   "textbook", "stable"; gc_seq_set_str also reads "framework" as
   GC_SEQ_TEXTBOOK. */
int gc_seq_set_str(gc_seq_t * res, const char * str) GC_WARN_UNUSED_RESULT;
const char * gc_seq_name(gc_seq_t seq);
const char * const * gc_seq_names(void);

/* Returns the format in which loss-scaled gradients are scaled and
   unscaled for *f*: its compute format itself when that is at least as
   wide as binary32 in precision and range, binary32 (emulated, which is
   bit-exact) otherwise.  That is PyTorch's GradScaler with fp32 master
   gradients: the loss is multiplied by S in fp32, the product is rounded
   to the format by the first backward operation, and the gradients are
   divided by S in fp32.  The result points to a static descriptor or to
   f->compute or f. */
const gc_numfmt_struct * gc_numfmt_scale_format(const gc_numfmt_t f);

/* Returns GC_SUCCESS if *s* is a valid loss scale for the format *f*: a
   positive number that rounds to a finite nonzero number of the scale
   format gc_numfmt_scale_format(f) (rounded at that format's precision;
   a subnormal scale is allowed).  Returns GC_INVALID otherwise: zero,
   negative, infinite or NaN, or beyond the scale format (2^128 or
   2^-150 for binary32), which would turn every scaled gradient into
   inf, NaN or 0.  gc_replay makes this check.  MPFR's range and flags
   are left as found. */
int gc_loss_scale_check(const gc_numfmt_t f, mpfr_srcptr s)
    GC_WARN_UNUSED_RESULT;

/* What gc_replay keeps of a replay (the field keep of gc_replay_struct,
   set before the call; gc_replay_init sets GC_REPLAY_TRACE).
   GC_REPLAY_TRACE: the whole trace t, every forward and backward value.
   GC_REPLAY_GRADS: only what a comparison reads per layer, dC/db_j and
   dC/dw_j (read through gc_replay_get_db and gc_replay_get_dw), their
   classes and the parameters' flags; t stays empty.  The gradients are
   stored as binary64 doubles when every number of the storage, compute
   and scale formats is one (precision at most 53 bits and exponents
   inside binary64's: binary64, binary32, binary16, bfloat16, FP8, the
   narrow custom formats; 16 bytes a layer), as mpfr_t otherwise (x87,
   binary128).  The forward values that the backward pass needs (a_j, the
   rounded w_j, and z_j for the pytorch sequence or s'_j for the others)
   are a scratch of three numbers a layer, freed when gc_replay returns.
   Every other field is the same in both modes, bit for bit. */
typedef enum
{
    GC_REPLAY_TRACE = 0,
    GC_REPLAY_GRADS
} gc_replay_keep_t;

/* The result of a replay of a network in a format.  len is the number
   of layers.  With keep = GC_REPLAY_TRACE, t holds exact values
   of format numbers, laid out as in gc_trace_struct:
     t->z[j-1] = z_j (compute format), t->a[j] = a_j (t->a[0] = a_0 as
     rounded), t->sp[j-1] = s'_j, t->db[j-1] = dC/db_j, t->dw[j-1] =
     dC/dw_j, for j = 1..t->len;
   with GC_REPLAY_GRADS, t is empty and only dC/db_j and dC/dw_j are kept
   (gd or gm, read them with gc_replay_get_db, gc_replay_get_dw).
   db and dw are numbers of *value_format*: the format itself, or the
   scale format (gc_numfmt_scale_format) after loss scaling.
   db_class/dw_class classify them in value_format; death is
   gc_death_scan of db_class.
   Rounding the parameters: w_flags[j-1], b_flags[j-1], a0_flags and
   y_flags (y, or dC/da_L when given) hold GC_ROUND_* flags; changed,
   overflowed and underflowed count the parameters with each flag.
   overflows counts the operations of the replay that overflowed (inf,
   NaN or saturation by the policy), and overflow_layer is the largest j
   such that one of them came before the end of layer j's backward step
   (the forward pass and the scaling of dC/da_L count as layer L's), 0
   when none did.  Hardware formats do not count theirs: their overflows
   show as infinite values.
   Loss scaling (scaled != 0): scaled_class[j-1] is the class of the
   scaled delta_j in the format, and scale_overflow is the largest j
   whose scaled delta_j or dw_j is infinite or NaN (a step GradScaler
   skips), 0 when none is. */
typedef struct
{
    gc_replay_keep_t keep;
    slong len;
    gc_trace_t t;
    double * gd;      /* GC_REPLAY_GRADS, binary64: db then dw (2 len) */
    mpfr_ptr gm;      /* GC_REPLAY_GRADS otherwise: db then dw (2 len) */
    mpfr_prec_t prec; /* of t and gm */
    gc_class_t * db_class;
    gc_class_t * dw_class;
    gc_death_struct death;
    const gc_numfmt_struct * value_format;
    int * w_flags;
    int * b_flags;
    int a0_flags;
    int y_flags;
    slong changed;
    slong overflowed;
    slong underflowed;
    slong overflows;
    slong overflow_layer;
    int scaled;
    gc_class_t * scaled_class;
    slong scale_overflow;
} gc_replay_struct;

typedef gc_replay_struct gc_replay_t[1];

/* Initialises *r* to an empty replay (len 0) that keeps its trace
   (keep = GC_REPLAY_TRACE). */
void gc_replay_init(gc_replay_t r);

/* Frees *r*. */
void gc_replay_clear(gc_replay_t r);

/* Replays *net* in the format *fmt* with the operation sequence *seq* and
   fills *r* (resized to net->len layers, keeping what r->keep says;
   value_format points to *fmt* or
   to static data, so *fmt* must outlive the use of r->value_format).
   Hardware formats compute with the C type's arithmetic and the C
   library's exp, tanh, log1p, erf and fma (expf, ..., expl, ...,
   expq, ...); emulated formats with MPFR's correctly rounded operations
   and functions.  *scale*, if not NULL, is the
   loss scale S (rounded to the scale format first).  The replay works in
   MPFR's widest exponent range and leaves the caller's range and flags
   as found.  *net* must have at least one layer (otherwise gc_throw).
   Returns GC_SUCCESS; GC_UNABLE, with *r* untouched, if
   gc_engine_check(GC_ENGINE_REPLAY, net) does (the replay takes every
   activation, per layer, with the quadratic cost, a given dC/da_L, or
   cross-entropy when layer L is a sigmoid); GC_INVALID, with
   *r* untouched, for a scale that gc_loss_scale_check rejects; or
   GC_UNABLE when a kept value (of r->t, or the gradients with
   GC_REPLAY_GRADS) does not fit the caller's exponent
   range (every format number fits MPFR's default range; the value is
   then checked into the range, as mpfr_check_range does, and the rest
   of *r* is complete). */
int gc_replay(gc_replay_t r, const gc_net_t net, const gc_numfmt_t fmt,
              gc_seq_t seq, mpfr_srcptr scale) GC_WARN_UNUSED_RESULT;

/* Set *res* to dC/db_j (gc_replay_get_db) or dC/dw_j (gc_replay_get_dw)
   of the replay *r*, 1 <= j <= r->len (otherwise gc_throw), whatever
   r->keep was, rounded to nearest to the precision of *res* (exact when
   it is at least the format's precision); return the ternary value. */
int gc_replay_get_db(mpfr_t res, const gc_replay_t r, slong j);
int gc_replay_get_dw(mpfr_t res, const gc_replay_t r, slong j);

/* Returns an upper bound of the heap bytes that gc_replay of a network
   of *len* layers in the format *fmt* needs with GC_REPLAY_TRACE: its
   trace, the rounded weights and the per-layer classes and flags; about
   420 bytes a layer for formats up to 64 bits.  SIZE_MAX when it
   exceeds a size_t. */
size_t gc_replay_bytes(slong len, const gc_numfmt_t fmt);

/* Returns an upper bound of the heap bytes of a replay with
   GC_REPLAY_GRADS of *len* layers in *fmt*: what it keeps after
   gc_replay returns (*peak* = 0: 36 bytes a layer when the gradients are
   binary64 doubles: 16 for them, 12 for the classes, 8 for the flags),
   or what it needs during the call (*peak* != 0: that and its scratch
   of three numbers a layer, 156 bytes a layer for formats up to 64
   bits).  SIZE_MAX when it exceeds a size_t. */
size_t gc_replay_grads_bytes(slong len, const gc_numfmt_t fmt, int peak);

/* Returns the first layer j, counted from the input (the order in which
   the forward pass meets them), whose weight or bias has the GC_ROUND_*
   flag *flag* after rounding to the format of the replay *r*
   (r->w_flags, r->b_flags); 0 when none has.  Either r->keep. */
slong gc_replay_first_param(const gc_replay_t r, int flag);

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_FORMATS_H */
