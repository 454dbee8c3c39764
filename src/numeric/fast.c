/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* fast.c -- the certified fast path: the chain in binary64 significands
   with 64-bit exponents and a rigorous running bound on the relative
   error of every value, turned into Arb balls at the end.

   ERROR ANALYSIS (in the style of MPFR's algorithms document).

   Numbers.  A value is x = m 2^e with m a double, 1/2 <= |m| < 1 or
   m = 0, and e a 64-bit integer, so nothing overflows or underflows
   within the depths the library indexes.  Each computed value X carries
   r with X = x (1 + t), |t| <= r, for the exact value x; u = 2^-53.  A
   bound r is itself computed in double: every bound formula below is a
   sum of products of nonnegative numbers (no subtraction), so rounding
   to nearest makes it at most (1 - u)^-n times too small for n
   operations; multiplying it by UP = 1 + 2^-48 (n <= 16) makes it an
   upper bound (up() in fast-impl.h).  Every r is kept <= RMAX = 2^-4 (otherwise
   the fast path gives up), so that 1/(1 - r) <= 1 + 2 r.

   Rounding of an exact rational q (w_j, b_j, y, 1 - y, dC/da_L): one
   rounding to nearest, r = u, or r = 0 when q is a double.

   Multiplication (lemma M).  m1 m2 lies in [1/4, 1) and is rounded once:
   X1 X2 (1 + d) = x1 x2 (1 + t1)(1 + t2)(1 + d), so
   r = r1 + r2 + r1 r2 + u (1 + r1)(1 + r2).

   Inverse (lemma I).  1/m lies in (1, 2] and is rounded once:
   (1 + d)/(1 + t) - 1 is at most (u + r)/(1 - r) <= (u + r)(1 + 2 r).

   Addition (lemma A).  The significands are aligned by an exact scaling
   (at most 60 bits; beyond, the smaller operand is below 2^-59 of the
   sum and is dropped, an error below the u of the rounding) and added
   with one rounding: S = (X1 + X2)(1 + d).  The absolute error of
   X1 + X2 is at most E = |X1| r1 (1 + 2 r1) + |X2| r2 (1 + 2 r2) (since
   |x| <= |X|/(1 - r)).  With q = E (1 + u)/|S| >= E/|X1 + X2|, q <= 1/2
   gives |X1 + X2 - x|/|x| <= q/(1 - q) <= q (1 + 2 q) = e0, and
   r = e0 + u + e0 u.  This is where cancellation shows: when
   (1 - y) - y u_L nearly cancels, q grows as (|X1| + |X2|)/|S| and the
   fast path gives up past RMAX.  S = 0 is exact when E = 0 and gives
   up otherwise.

   Affine sum (lemma Z).  z = w a + b only feeds the exponential, which
   needs its absolute error: S = fl(X1 + X2) (aligned as in lemma A)
   differs from x1 + x2 by at most E + u |X1 + X2| <= E + u |S| (1 + 2 u)
   (E as in lemma A; |X1 + X2| <= |S|/(1 - u)).  No division, and
   cancellation in w a + b (z near 0) costs nothing: the absolute error
   stays that of the operands.

   Sigmoid (lemma S).  A' = fl(1/D), D = fl(1 + U), U > 0: no
   cancellation.  Lemma A with E = |U| r_U (1 + 2 r_U) needs
   q = E (1 + u)/D; since 1/D <= A' (1 + 2 u) (A' is 1/D rounded once),
   q <= |U A'| r_U (1 + 2 r_U)(1 + u)(1 + 2 u), computed with the product
   U A' rounded up: no division in the bound, q <= 1.2 RMAX < 1/2.  Then
   r_D = q (1 + 2 q)(1 + u) + u and r_A' = (u + r_D)(1 + 2 r_D) (lemma
   I).

   Exponential (lemma E).  u_j = e^-z_j.  The argument -Z has absolute
   error D (lemma Z; D <= RMAX, |Z| < 2^50, otherwise give up),
   which multiplies e^-z by e^t, |t| <= D: relative error e^D - 1 <=
   D (1 + D).  Then e^x for the double x = -Z:
   k = rint(x / ln 2) as an integer (|k| < 2^51), and r = x - k ln 2 with
   ln 2 = L1 + L2 + l3, L1 = fl(ln 2), L2 = fl(ln 2 - L1), |l3| <= 2^-107.
   k L1 = p1 + p2 exactly (Dekker's product with Veltkamp's splitting; k
   and L1 split into 26-bit halves), x - p1 = r1 + e1 exactly (Knuth's
   TwoSum), so x - k ln 2 = r1 + e1 - p2 - k L2 - k l3 exactly.  The
   computed R = fl(r1 - fl(fl(p2 + fl(k L2)) - e1)) has, by four
   roundings, absolute error at most
   a = |k| 2^-107 + u (|k L2| + |p2 + k L2| + |s| + |R|)
   (computed with up(), at run time).  For |k| < 2^20 (every z of a
   useful chain) a shorter reduction (Cody and Waite): ln 2 = C1 + C2 +
   l3, C1 = ln 2 to 29 bits, C2 = fl(ln 2 - C1), |l3| < 2^-89 (checked by
   doc/fast-error.py); k C1 is exact (49 bits), r1 = fl(x - k C1) is
   exact when |r1| <= 0.36 (k = 0: trivial; otherwise |x| >= 0.693 -
   0.361 >= 1/4, so x is a multiple of 2^-54 as k C1 is, and the
   difference is below 1/2: 53 bits), which |R| <= 0.35 implies
   (|k C2| < 2^-14); R = fl(r1 - fl(k C2)) errs by at most
   a = |k| 2^-89 + u (|k C2| + |R|), two dependent operations instead of
   the twelve above.  If |R| > 0.35 (k off by one for |x| >= 2^40), k
   moves by one and the reduction is redone.
   e^R for |R| <= 0.3501: the Taylor polynomial of degree 14 with c_i =
   fl(1/i!) (exact for i <= 2, one rounding otherwise: 1/i! is an exact
   double quotient of two doubles for i <= 14), evaluated as 1 + (R +
   R^2 Q(R)), Q = c_2 + ... + c_14 R^12 by Estrin's scheme (pairs
   c_i + c_(i+1) R, folded by R^2, R^4, R^8: 11 dependent operations
   instead of Horner's 28).  Truncation: |R|^15/15! e^|R| < 0.0015 u.
   Evaluation: every computed quantity a carries M_a >= |its exact
   value| and E_a >= |computed - exact|; a product adds M_a E_b + M_b E_a
   + E_a E_b + u (M_a + E_a)(M_b + E_b), a sum E_a + E_b + u (M_a + E_a +
   M_b + E_b); doc/fast-error.py runs this with mpmath at 200 bits in
   exactly exp_poly's order and finds an error below 2.27 u, relative to
   e^R >= e^-0.3501 (with truncation) below 3.23 u: EXP_POLY = 3.5 u.
   So e^x = 2^k e^R (1 + t) with |t| <= (1 + 3.5 u)(1 + a (1 + a)) - 1, the
   2^k going into the 64-bit exponent exactly.  tests/check_fast.c checks
   the bound against MPFR on |x| up to 10^15.

   Derivative (lemma D).  S' = fl(fl(U A') A') with A' = fl(1/fl(1 +
   U)) is s(U) = U/(1 + U)^2 at the computed U = v (1 + t), v = e^-z
   exactly, |t| <= r_U: within (1 + u)^4/(1 - u)^2 - 1 <= SP_ROUND =
   6.01 u of s(U) (four roundings; doc/fast-error.py), and s(U)/s(v) =
   (1 + t)/(1 + theta t)^2, theta = v/(1 + v) in (0, 1), lies between
   1 - |t| and 1/(1 - |t|): within r_U (1 + 2 r_U) of 1.  So r_S' = r_U (1 + 2 r_U) + SP_ROUND (1 +
   r_U (1 + 2 r_U)): the errors of U and of A' = 1/(1 + U) are not
   independent (a larger U makes A' smaller), and counting them as
   lemma M twice would give about r_U (1 + 2 theta) + 6 u.

   Layer j (sigmoid): Z = fl(W A + B) (M then Z), U = e^-Z (E with the
   absolute error of Z), A' = 1/(1 + U) (S),
   S' = (U A') A' (D): f'(z) = e^-z/(1 + e^-z)^2.

   Plain lane (lemma P).  The (m, e) numbers exist for the range; when
   a layer's values stay inside binary64's, the same operations on the
   binary64 numbers themselves round the same way (relative error at
   most u for a normal result) and need no renormalisation.  A layer is
   computed so when a_(j-1), w_j and b_j are normal doubles (or 0; w_j
   and b_j may be any finite doubles) and |Z| <= 700: then (checked by
   doc/fast-error.py) the k of the reduction has |k| <= 1010, U = p 2^k
   is normal and finite, and A', U A' and S' are at least 2^-1013, so
   every rounding of lemmas E, S and M is relative.  What may underflow
   is W A (its error then at most 2^-1075 absolute, which lemma Z only
   adds) and the bound formulas (at most 2^-1075 each, 16 or fewer a
   bound): the bounds of Z and of lemma S's q take an absolute
   PLAIN_TINY = 2^-1000 more, which covers them all.  W_j S'_j and
   A_(j-1) S'_j (below) are formed in the lane when the product is 0
   with a factor or at least 2^-1000, in (m, e) otherwise.  Any other layer goes through the (m, e) lane, and a_j
   comes back to the plain one when it is in range.

   The forward pass also forms WS_j = W_j S'_j and AS_j = A_(j-1) S'_j
   (M; at the output layer under cross-entropy 1, W_L and A_(L-1)), and
   the backward pass reads S', WS and AS from records that keep each
   bound rounded up (a bfloat16 or a float, see nlayer): a bound only
   grows.
   Output: dC/da_L = a_L - y = ((1 - y) - y u_L) a_L (the formula of the
   Arb engine; M, A, M), or dC/dz_L for cross-entropy (the same), or the
   given dC/da_L rounded once.  Backward, g = dC/da_j: db_j = S'_j g,
   dw_j = AS_j g and g = WS_j g for the next layer (M each), so the chain
   of dependent operations is one product a layer.  The three roundings
   of W_j (S'_j g) and A_(j-1) (S'_j g) are now those of (W_j S'_j) g and
   (A_(j-1) S'_j) g, the same first-order bound.  g is G 2^ge with G a
   double in [2^-20, 2^20] (or 0), renormalised exactly when it leaves,
   and a record's value is a normal double within 2^(+-1001) or in
   [1/2, 1): their product is a normal double, rounded once.  Each layer
   adds about 2 u + r(S'_j) to
   the bound of the products, so it grows linearly with the depth (about
   15 u a layer for N(0,1) chains, r(S'_j) being about 12 u; 21.6 u
   before lemma D, 14.9 u after, measured on dC/db_1 at 10^4 and 10^5
   layers: with 2 L
   values, deep chains have some too near a rounding tie and fall back to
   Arb; the measured limits per D are in fast.h).

   Balls.  The gradients (only: the other entries of the trace are not
   written) are turned into balls: a value X = M 2^E with bound r becomes
   the ball with midpoint X (exact: a double times a power of two) and
   radius |M| r (1 + 2 r) 2^E rounded up (_gc_fast_get_arb): it contains
   x.  Those balls are printed by gc_arb_get_str_digits, the code of the
   Arb engine, so the printing rules are literally the same.  Whether a
   ball has D digits is gc_arb_has_digits's answer, computed by
   _gc_fast_has_digits (fast_digits.c, with its proof) in double
   arithmetic where it can; the backward pass stops at the first value
   without them, and gc_eval_fast_digits evaluates the network again
   with gc_eval_arb_digits. */

#include <float.h>
#include <math.h>
#include <string.h>

#include "numeric/fast-impl.h"

#define U_ROUND 0x1p-53
#define RMAX 0x1p-4
#define EXP_POLY (3.5 * U_ROUND)
#define SP_ROUND (6.01 * U_ROUND)
#define LN2_HI 0x1.62e42fefa39efp-1
#define LN2_LO 0x1.abc9e3b39803fp-56
#define INV_LN2 0x1.71547652b82fep0
#define LN2_C1 0x1.62e42ffp-1
#define LN2_C2 -0x1.718432a1b0e26p-35

/* A value m 2^e with its relative error bound r. */
typedef struct
{
    double m;
    slong e;
    double r;
} fval;

/* The state of one evaluation: ok drops to 0 when a bound exceeds RMAX
   or an argument leaves the analysed range; wide is set when a value
   leaves the range of the narrow layer records (the pass is then run
   again with wide ones). */
typedef struct
{
    int ok;
    int wide;
} fctx;

/* m 2^e with bound r, m a normal double or 0 (every caller's m is: the
   sums are multiples of 2^-113 at least, see lemma A), as frexp would
   give it, by the bits of m. */
static inline fval
fv_norm(double m, slong e, double r)
{
    uint64_t bits;
    fval x;

    x.r = r;
    if (m == 0)
    {
        x.m = 0;
        x.e = 0;
        return x;
    }
    memcpy(&bits, &m, sizeof bits);
    x.e = e + (slong) ((bits >> 52) & 0x7ff) - 1022;
    bits = (bits & ~((uint64_t) 0x7ff << 52)) | ((uint64_t) 1022 << 52);
    memcpy(&x.m, &bits, sizeof bits);
    return x;
}

static inline void
fv_check(fctx * c, double r)
{
    if (!(r <= RMAX))
        c->ok = 0;
}

/* The bound of lemma M for factors with bounds r1 and r2. */
static inline double
mul_bound(fctx * c, double r1, double r2)
{
    double r = up(r1 + r2 + r1 * r2 + U_ROUND * (1 + r1) * (1 + r2));

    fv_check(c, r);
    return r;
}

/* Lemma M: m1 m2 is 0 or in [1/4, 1), one doubling normalises it. */
static inline fval
fv_mul(fctx * c, fval x, fval y)
{
    fval p;

    p.r = mul_bound(c, x.r, y.r);
    p.m = x.m * y.m;
    p.e = x.e + y.e;
    if (p.m == 0)
        p.e = 0;
    else if (fabs(p.m) < 0.5)
    {
        p.m *= 2;
        p.e--;
    }
    return p;
}

/* The value of lemma I, 1/x for x != 0 (1/m is in (1, 2]); the bound
   is the caller's. */
static inline fval
fv_recip(fval x)
{
    fval p;

    p.m = 0.5 / x.m;
    p.e = 1 - x.e;
    if (fabs(p.m) == 1)
    {
        p.m *= 0.5;
        p.e++;
    }
    return p;
}

/* |x| r (1 + 2 r) rounded up: the absolute error of a computed X with
   relative bound r, as |x| <= |X|/(1 - r) <= |X| (1 + 2 r). */
static inline double
abs_err(double x, double r)
{
    return up(fabs(x) * r * (1 + 2 * r));
}

/* The bound of x's absolute error over 2^x.e (see Balls). */
static inline double
fv_rad(fval x)
{
    return abs_err(x.m, x.r);
}

/* a 2^d for a >= 0 rounded up, d >= -900 (a smaller d counts as -900:
   still an upper bound, and no underflow). */
static inline double
scaled(double a, slong d)
{
    return d > 1000 ? HUGE_VAL : a * pow2(FLINT_MAX(d, -900));
}

/* |m| r (1 + 2 r) 2^d, rounded up. */
static inline double
fv_abs_err(fval x, slong d)
{
    return scaled(fv_rad(x), d);
}

/* The rounded sum of lemma A, bound 0, for nonzero x and y. */
static inline fval
fv_sum(fval x, fval y)
{
    slong d = x.e - y.e;

    if (d > 60)
        return fv_norm(x.m, x.e, 0);
    if (d < -60)
        return fv_norm(y.m, y.e, 0);
    if (d >= 0)
        return fv_norm(x.m + y.m * pow2(-d), x.e, 0);
    return fv_norm(x.m * pow2(d) + y.m, y.e, 0);
}

/* Lemma A. */
static inline fval
fv_add(fctx * c, fval x, fval y)
{
    fval s;
    double q;

    if (x.m == 0 && x.r == 0)
        return y;
    if (y.m == 0 && y.r == 0)
        return x;
    s = fv_sum(x, y);
    if (s.m == 0)
    {
        if (x.r != 0 || y.r != 0)
            c->ok = 0;
        return s;
    }
    q = up((fv_abs_err(x, x.e - s.e) + fv_abs_err(y, y.e - s.e))
           * (1 + U_ROUND) / fabs(s.m));
    if (!(q <= 0.5))
    {
        c->ok = 0;
        return s;
    }
    q = up(q * (1 + 2 * q));
    s.r = up(q + U_ROUND + q * U_ROUND);
    fv_check(c, s.r);
    return s;
}

/* Lemma Z: z = fl(X + Y) (exact if one is 0), and *dz* bounding its
   absolute error (no division: the exponential needs only that). */
static inline fval
fv_affine(double * dz, fval x, fval y)
{
    fval s = x.m == 0 ? y : y.m == 0 ? x : fv_sum(x, y);

    *dz = up(fv_abs_err(x, x.e) + fv_abs_err(y, y.e)
             + scaled(fabs(s.m), s.e) * U_ROUND * (1 + 2 * U_ROUND));
    return s;
}

static inline fval
fv_neg(fval x)
{
    x.m = -x.m;
    return x;
}

/* The reduction of lemma E: sets *res* = R and returns its absolute
   error bound, for the integer k. */
static inline double
exp_reduce(double * res, double x, double k)
{
    double p1, p2, r1, e1, bb, t, s1, s;

    /* Dekker: k L1 = p1 + p2 exactly */
    two_prod(&p1, &p2, k, LN2_HI);
    /* TwoSum: x - p1 = r1 + e1 exactly */
    r1 = x - p1;
    bb = r1 - x;
    e1 = (x - (r1 - bb)) - (-p1 - bb);
    t = k * LN2_LO;
    s1 = p2 + t;
    s = s1 - e1;
    *res = r1 - s;
    return up(fabs(k) * 0x1p-107
              + U_ROUND * (fabs(t) + fabs(s1) + fabs(s) + fabs(*res)));
}

/* The short reduction of lemma E, for |k| < 2^20: as exp_reduce. */
static inline double
exp_reduce_short(double * res, double x, double k)
{
    double t = k * LN2_C2;

    *res = (x - k * LN2_C1) - t;
    return up(fabs(k) * 0x1p-89 + U_ROUND * (fabs(t) + fabs(*res)));
}

/* e^R for |R| <= 0.3501 (lemma E): 1 + (R + R^2 Q(R)), Q by Estrin's
   scheme, so that the dependent operations are 11, not Horner's 28. */
static inline double
exp_poly(double r)
{
    static const double c[15] = {
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
        1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800,
        1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0,
        1.0 / 87178291200.0};
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double p2 = c[2] + c[3] * r, p4 = c[4] + c[5] * r;
    double p6 = c[6] + c[7] * r, p8 = c[8] + c[9] * r;
    double p10 = c[10] + c[11] * r, p12 = c[12] + c[13] * r;
    double q0 = p2 + p4 * r2, q1 = p6 + p8 * r2, q2 = p10 + p12 * r2;
    double s0 = q0 + q1 * r4, s1 = q2 + c[14] * r4;

    return 1 + (r + r2 * (s0 + s1 * r8));
}

/* e^x for a double |x| < 2^50 as *p* 2^*k* (1 + t), |t| <= *r*,
   e^-0.3501 <= *p* <= e^0.3501 (lemma E without the argument's error);
   0 if the reduction fails. */
static inline int
exp_parts(double * p, slong * k, double * r, double x)
{
    /* to nearest integer: |x / ln 2| < 2^51 */
    double kd = (x * INV_LN2 + 0x1.8p52) - 0x1.8p52, red, a;
    int i;

    for (i = 0; i < 3; i++)
    {
        a = fabs(kd) < 0x1p20 ? exp_reduce_short(&red, x, kd)
                              : exp_reduce(&red, x, kd);
        if (fabs(red) <= 0.35 && a <= 0x1p-40)
            break;
        kd += (red > 0) ? 1 : -1;
    }
    if (i == 3)
        return 0;
    *p = exp_poly(red);
    *k = (slong) kd;
    *r = up(EXP_POLY + a * (1 + a) * (1 + EXP_POLY));
    return 1;
}

/* e^x for a double |x| < 2^50 as m 2^e with its relative error bound
   (lemma E without the argument's error); 0 if the reduction fails. */
static inline int
fast_exp_d(fval * res, double x)
{
    double p, r;
    slong k;

    if (!exp_parts(&p, &k, &r, x))
        return 0;
    *res = fv_norm(p, k, r);
    return 1;
}

/* The bound of e^-Z (bound *re* of the exponential itself) when z is
   known within *dz* (lemma E): e^D - 1 <= D (1 + D) for D <= RMAX. */
static inline double
exp_arg_bound(fctx * c, double re, double dz)
{
    double r = up(re + dz * (1 + dz) * (1 + re));

    fv_check(c, r);
    return r;
}

/* e^-z, z known within *dz* (lemma E). */
static inline fval
fv_exp_neg(fctx * c, fval z, double dz)
{
    double x;
    fval res;

    if (z.m == 0 && dz == 0)
    {
        res.m = 0.5;
        res.e = 1;
        res.r = 0;
        return res;
    }
    if (!(dz <= RMAX) || z.e > 50)
    {
        c->ok = 0;
        return z;
    }
    /* |z| < 2^-900: e^-z = 1 within 2^-900, counted in dz */
    if (z.e < -900)
    {
        x = 0;
        dz += 0x1p-900;
    }
    else
        x = -z.m * pow2(z.e);
    if (!fast_exp_d(&res, x))
    {
        c->ok = 0;
        return z;
    }
    res.r = exp_arg_bound(c, res.r, dz);
    return res;
}

/* The bound of A = fl(1/fl(1 + U)) of lemma S, from *ua* >= |U A|
   (rounded up, or with any error it has added) and U's bound *ru*. */
static inline double
sigmoid_bound(fctx * c, double ua, double ru)
{
    /* q >= |U| r_U (1 + 2 r_U)(1 + u)/(1 + U) through 1/(1 + U) <=
       A (1 + 2 u), and r_D of lemma A */
    double q = up(ua * ru * (1 + 2 * ru) * (1 + U_ROUND)
                  * (1 + 2 * U_ROUND));
    double rd = up(q * (1 + 2 * q) * (1 + U_ROUND) + U_ROUND);
    double r = up((U_ROUND + rd) * (1 + 2 * rd));

    fv_check(c, r);
    return r;
}

/* The bound of S' = fl(fl(U A') A') (lemma D) from U's bound *ru*. */
static inline double
sp_bound(fctx * c, double ru)
{
    double r = up(ru * (1 + 2 * ru) + SP_ROUND * (1 + ru * (1 + 2 * ru)));

    fv_check(c, r);
    return r;
}

/* Lemma S: 1/(1 + U) for U = e^-z > 0. */
static inline fval
fv_sigmoid(fctx * c, fval u)
{
    const fval one = {0.5, 1, 0};
    fval a = fv_recip(fv_sum(one, u));

    a.r = sigmoid_bound(c, scaled(fabs(u.m * a.m), u.e + a.e), u.r);
    return a;
}

/* The exact rational q rounded to nearest (lemma: r = u, or 0 if exact);
   *tmp* is a 53-bit scratch number. */
static fval
fv_set_mpq(const mpq_t q, mpfr_t tmp)
{
    const mpz_srcptr den = mpq_denref(q);
    const mpz_srcptr num = mpq_numref(q);
    mp_limb_t d = mpz_getlimbn(den, 0), n = mpz_getlimbn(num, 0);
    fval x;
    long e;
    int inexact;

    if (mpz_size(den) == 1 && mpz_size(num) <= 1 && (d & (d - 1)) == 0
        && n < (UWORD(1) << 53))
    {
        /* a numerator of at most 53 bits over 2^shift: exact */
        mp_bitcnt_t shift;

        count_trailing_zeros(shift, d);
        return fv_norm(mpz_sgn(num) < 0 ? -(double) n : (double) n,
                       -(slong) shift, 0);
    }
    inexact = mpfr_set_q(tmp, q, MPFR_RNDN);
    x.m = mpfr_get_d_2exp(&e, tmp, MPFR_RNDN);
    x.e = (mpfr_zero_p(tmp)) ? 0 : e;
    x.r = inexact ? U_ROUND : 0;
    return x;
}

/* Sets the ball *b* to contain the exact value of *x*; 1 if it has
   *digits* digits (gc_arb_has_digits) or *digits* is 0. */
static int
fv_get_arb(arb_t b, fval x, gc_fast_pow10_struct * c, slong digits)
{
    double rad = fv_rad(x);

    _gc_fast_get_arb(b, x.m, x.e, rad);
    return digits == 0 || _gc_fast_has_digits(c, b, x.m, x.e, rad, digits);
}

/* The binary64 number d, exactly (a subnormal is scaled by 2^64 first,
   exactly, as fv_norm wants a normal double). */
static inline fval
fv_set_d(double d)
{
    if (d != 0 && fabs(d) < DBL_MIN)
        return fv_norm(d * 0x1p64, -64, 0);
    return fv_norm(d, 0, 0);
}

/* The plain lane (lemma P): a value as the binary64 number v itself,
   with its relative bound r. */
typedef struct
{
    double v;
    double r;
} dval;

/* The largest |z_j| of the plain lane, and the absolute slack that
   covers its underflows. */
#define PLAIN_ZMAX 700
#define PLAIN_TINY 0x1p-1000

/* The largest |e| of a value m 2^e in a narrow layer record. */
#define NARROW_EMAX 1000

/* Sets *d* to x if m 2^e is a normal double with |e| <= NARROW_EMAX (or
   0); returns whether it is. */
static inline int
fv_get_dv(dval * d, fval x)
{
    if (FLINT_ABS(x.e) > NARROW_EMAX)
        return 0;
    d->v = x.m * pow2(x.e);
    d->r = x.r;
    return 1;
}

/* Lemma M on binary64 numbers whose product is normal or 0 (the
   caller's). */
static inline dval
dv_mul(fctx * c, dval x, dval y)
{
    dval p;

    p.v = x.v * y.v;
    p.r = mul_bound(c, x.r, y.r);
    return p;
}

/* Layer j in the plain lane (lemma P): from a = a_(j-1) (a normal
   double), w_j and b_j, sets *a* = a_j, *sp* = f'(z_j) and *u* =
   e^-z_j; returns 0, with nothing written, when |z_j| > PLAIN_ZMAX or
   the reduction of lemma E fails (the caller then takes the (m, e)
   lane). */
static inline int
plain_layer(fctx * c, dval * a, dval * sp, dval * u, dval w, dval b)
{
    dval p = dv_mul(c, w, *a), na;
    double z = p.v + b.v, dz, e, re;
    slong k;

    if (!(fabs(z) <= PLAIN_ZMAX) || !exp_parts(&e, &k, &re, -z))
        return 0;
    /* lemma Z, and PLAIN_TINY for the underflows of p and of this sum */
    dz = up(abs_err(p.v, p.r) + abs_err(b.v, b.r)
            + fabs(z) * U_ROUND * (1 + 2 * U_ROUND)) + PLAIN_TINY;
    fv_check(c, dz);
    u->v = e * pow2(k);
    u->r = exp_arg_bound(c, re, dz);
    na.v = 1 / (1 + u->v);
    /* PLAIN_TINY: the underflow of U A */
    na.r = sigmoid_bound(c, u->v * na.v + PLAIN_TINY, u->r);
    *a = na;
    sp->v = (u->v * na.v) * na.v;
    sp->r = sp_bound(c, u->r);
    return 1;
}

/* The values of layer j the backward pass needs: f'(z_j), w_j f'(z_j)
   and a_(j-1) f'(z_j), the factors that take g = dC/da_j to dC/db_j,
   to dC/da_(j-1) and to dC/dw_j (at the output layer under
   cross-entropy, whose dC/dz_L is given: 1, w_L and a_(L-1)), with
   their bounds.  The pass is bound by memory traffic at depth, so a
   record is small: NARROW (32 bytes) holds each value as the binary64
   number m 2^e itself, exactly (|e| <= NARROW_EMAX, so it is a normal
   double) and each bound as a bfloat16 rounded up (r_pack); WIDE (48
   bytes, only for a chain with a value beyond that range: the forward
   pass is then run again) holds m, e as int32_t (a value beyond
   2^(+-2^31) gives up) and the bound as a float rounded up.  A bound
   only grows: stored and read back, it is still a bound. */
typedef struct
{
    double v[3];
    uint16_t r[3];
} nlayer;

typedef struct
{
    double m[3];
    int32_t e[3];
    float r[3];
} wlayer;

_Static_assert(sizeof(nlayer) == 32, "a narrow record is 32 bytes");

enum
{
    L_SP = 0,
    L_WS,
    L_AS
};

/* r rounded up to a float (r (1 + 2^-22) rounded to nearest is at least
   r: every nonzero bound is a normal float, 2^-53 <= r <= RMAX). */
static inline float
r_float(double r)
{
    return (float) (r * (1 + 0x1p-22));
}

/* r rounded up to the top 16 bits of its float (a bfloat16: 8 bits of
   significand, so at most 2^-7 above): positive floats are ordered as
   their bit patterns, and r <= RMAX keeps the sum below infinity's. */
static inline uint16_t
r_pack(double r)
{
    float f = r_float(r);
    uint32_t b;

    memcpy(&b, &f, sizeof b);
    return (uint16_t) ((b + 0xffff) >> 16);
}

static inline double
r_unpack(uint16_t h)
{
    uint32_t b = (uint32_t) h << 16;
    float f;

    memcpy(&f, &b, sizeof f);
    return f;
}

/* Stores x as value k of record i of *lay* (narrow or *wide*); a value
   out of the record's range makes the pass give up, and asks for the
   wide records (c->wide) if these were narrow. */
static inline void
lay_set(fctx * c, void * lay, slong i, int k, fval x, int wide)
{
    if (wide)
    {
        wlayer * l = (wlayer *) lay + i;

        if (x.e != (int32_t) x.e)
            c->ok = 0;
        l->m[k] = x.m;
        l->e[k] = (int32_t) x.e;
        l->r[k] = r_float(x.r);
    }
    else
    {
        nlayer * l = (nlayer *) lay + i;

        if (FLINT_ABS(x.e) > NARROW_EMAX)
        {
            c->ok = 0;
            c->wide = 1;
            x.e = 0;
        }
        l->v[k] = x.m * pow2(x.e);
        l->r[k] = r_pack(x.r);
    }
}

/* Stores the binary64 number x.v (any finite one) with bound x.r as
   value k of record i of *lay*, as lay_set. */
static inline void
lay_set_d(fctx * c, void * lay, slong i, int k, dval x, int wide)
{
    if (wide || !(x.v == 0 || (fabs(x.v) >= 0x1p-1001
                               && fabs(x.v) < 0x1p1000)))
    {
        fval f = fv_set_d(x.v);

        f.r = x.r;
        lay_set(c, lay, i, k, f, wide);
        return;
    }
    ((nlayer *) lay)[i].v[k] = x.v;
    ((nlayer *) lay)[i].r[k] = r_pack(x.r);
}

/* x.v (any finite double) with its bound, as (m, e). */
static inline fval
fv_set_dv(dval x)
{
    fval f = fv_set_d(x.v);

    f.r = x.r;
    return f;
}

/* Stores x y as value k of record i of *lay* (lemma M): in the plain
   lane when the product is 0 with a factor, or at least 2^-1000 (one
   factor is f'(z_j) <= 1/4: no overflow), in (m, e) otherwise. */
static inline void
lay_set_prod(fctx * c, void * lay, slong i, int k, dval x, dval y, int wide)
{
    dval p = dv_mul(c, x, y);

    if (p.v == 0 ? x.v == 0 || y.v == 0 : fabs(p.v) >= 0x1p-1000)
        lay_set_d(c, lay, i, k, p, wide);
    else
        lay_set(c, lay, i, k, fv_mul(c, fv_set_dv(x), fv_set_dv(y)), wide);
}

/* Stores record j - 1 of *lay* from a_(j-1) = ap, w_j and f'(z_j) = sp
   in the (m, e) lane. */
static inline void
lay_set_layer(fctx * c, void * lay, slong j, fval ap, fval w, fval sp,
              const gc_net_t net, int wide)
{
    const fval one = {0.5, 1, 0};

    if (j == net->len && net->cost == GC_COST_CROSS_ENTROPY)
    {
        sp = one;
        lay_set(c, lay, j - 1, L_WS, w, wide);
        lay_set(c, lay, j - 1, L_AS, ap, wide);
    }
    else
    {
        lay_set(c, lay, j - 1, L_WS, fv_mul(c, w, sp), wide);
        lay_set(c, lay, j - 1, L_AS, fv_mul(c, ap, sp), wide);
    }
    lay_set(c, lay, j - 1, L_SP, sp, wide);
}

/* Value k of record i of *lay* as v 2^e with bound *r*: v is a normal
   double of at most 2^(+-(NARROW_EMAX + 1)) or 0 (narrow), or in
   [1/2, 1) or 0 (wide). */
static inline double
lay_get(slong * e, double * r, const void * lay, slong i, int k, int wide)
{
    if (wide)
    {
        const wlayer * l = (const wlayer *) lay + i;

        *e = l->e[k];
        *r = l->r[k];
        return l->m[k];
    }
    else
    {
        const nlayer * l = (const nlayer *) lay + i;

        *e = 0;
        *r = r_unpack(l->r[k]);
        return l->v[k];
    }
}

/* dC/da_L (or dC/dz_L) from z_L's e^-z_L *ul* and a_L, as arb_output_grad
   in ball.c (every layer is a sigmoid here). */
static fval
fast_output_grad(fctx * c, fval ul, fval al, const gc_net_t net,
                 mpfr_t tmp)
{
    mpq_t omy;
    fval g;

    if (net->cost == GC_COST_GIVEN)
        return fv_set_mpq(net->dc_da, tmp);
    mpq_init(omy);
    mpq_set_ui(omy, 1, 1);
    mpq_sub(omy, omy, net->y);
    g = fv_add(c, fv_set_mpq(omy, tmp),
               fv_neg(fv_mul(c, fv_set_mpq(net->y, tmp), ul)));
    mpq_clear(omy);
    return fv_mul(c, g, al);
}

/* Layers ahead of the forward pass whose numbers are prefetched. */
#define PREFETCH_AHEAD 8

/* Asks for the limbs of the rational q (their own heap blocks, the
   forward pass's cache misses) ahead of their use. */
static inline void
prefetch_mpq(const mpq_t q)
{
    __builtin_prefetch(mpq_numref(q)->_mp_d);
    __builtin_prefetch(mpq_denref(q)->_mp_d);
}

/* Layer j in the (m, e) lane, from a_(j-1) = *a*, w and b: sets *a* to
   a_j, stores record j - 1 of *lay* and sets *ul* = e^-z_j if j is the
   last layer. */
static inline void
fv_layer(fctx * c, void * lay, fval * a, fval * ul, fval w, fval b,
         slong j, const gc_net_t net, int wide)
{
    double dz;
    fval z, u, sp, ap = *a;

    z = fv_affine(&dz, fv_mul(c, w, ap), b);
    u = fv_exp_neg(c, z, dz);
    *a = fv_sigmoid(c, u);
    sp = fv_mul(c, fv_mul(c, u, *a), *a);
    sp.r = sp_bound(c, u.r);
    lay_set_layer(c, lay, j, ap, w, sp, net,
                  wide);
    if (j == net->len)
        *ul = u;
}

/* Layer j in the plain lane when it applies (returns 1), as fv_layer
   with a_(j-1) = *ad*; the products that fall below 2^-1000 go through
   the (m, e) lane (lemma P wants no underflow), and so does the output
   layer under cross-entropy. */
static inline int
dv_layer(fctx * c, void * lay, dval * ad, fval * ul, dval wd, dval bd,
         slong j, const gc_net_t net, int wide)
{
    dval sp, u, ap = *ad;

    if (!plain_layer(c, ad, &sp, &u, wd, bd))
        return 0;
    if (j == net->len && net->cost == GC_COST_CROSS_ENTROPY)
        lay_set_layer(c, lay, j, fv_set_dv(ap), fv_set_dv(wd),
                      fv_set_dv(sp), net, wide);
    else
    {
        lay_set_d(c, lay, j - 1, L_SP, sp, wide);
        lay_set_prod(c, lay, j - 1, L_WS, wd, sp, wide);
        lay_set_prod(c, lay, j - 1, L_AS, ap, sp, wide);
    }
    if (j == net->len)
        *ul = fv_norm(u.v, 0, u.r);
    return 1;
}

/* The forward pass into the records *lay* (narrow or *wide*), and *g*
   = dC/da_L (dC/dz_L under cross-entropy) if the chain has layers; c->ok
   is 0 if the fast path gave up.  Each layer is computed in the plain
   lane when it applies, otherwise in the (m, e) lane. */
static inline void
fast_forward(fctx * c, void * lay, fval * g, const gc_net_t net,
             mpfr_t tmp, int wide)
{
    mpq_t wtmp, btmp;
    fval a, w, b, ul = {0, 0, 0};
    dval ad, wd, bd;
    int aplain;
    slong j;

    if (net->act.kind != GC_ACT_SIGMOID && net->layer_act == NULL)
    {
        c->ok = 0;
        return;
    }
    mpq_init(wtmp);
    mpq_init(btmp);
    a = fv_set_mpq(net->a0, tmp);
    aplain = fv_get_dv(&ad, a);
    for (j = 1; j <= net->len && c->ok; j++)
    {
        mpq_srcptr wq = wtmp, bq = btmp;

        if (net->w != NULL && j + PREFETCH_AHEAD <= net->len)
        {
            prefetch_mpq(net->w + j + PREFETCH_AHEAD - 1);
            prefetch_mpq(net->b + j + PREFETCH_AHEAD - 1);
        }
        if (net->layer_act != NULL
            && gc_net_get_act(net, j)->kind != GC_ACT_SIGMOID)
            c->ok = 0;
        if (_gc_net_get_layer_d(&wd.v, &bd.v, net, j)) /* compact, generated */
        {
            wd.r = bd.r = 0;
            if (aplain && dv_layer(c, lay, &ad, &ul, wd, bd, j, net, wide))
                continue;
            w = fv_set_d(wd.v);
            b = fv_set_d(bd.v);
        }
        else
        {
            if (net->w != NULL) /* rationals: no copy */
            {
                wq = net->w + j - 1;
                bq = net->b + j - 1;
            }
            else /* a compact network's rationals */
                gc_net_get_layer_q(wtmp, btmp, net, j);
            w = fv_set_mpq(wq, tmp);
            b = fv_set_mpq(bq, tmp);
            if (aplain && fv_get_dv(&wd, w) && fv_get_dv(&bd, b)
                && dv_layer(c, lay, &ad, &ul, wd, bd, j, net, wide))
                continue;
        }
        if (aplain)
            a = fv_norm(ad.v, 0, ad.r);
        fv_layer(c, lay, &a, &ul, w, b, j, net, wide);
        aplain = fv_get_dv(&ad, a);
    }
    if (c->ok && net->len > 0)
        *g = fast_output_grad(c, ul, aplain ? fv_norm(ad.v, 0, ad.r) : a,
                              net, tmp);
    mpq_clear(wtmp);
    mpq_clear(btmp);
}

/* v 2^e times G 2^ge (bound *r*, from the factors' r1 and r2) as
   (m, e): the product is a normal double or 0 (lemma M). */
static inline fval
fv_mul_d(fctx * c, double v, slong e, double r1, double gm, slong ge,
         double r2)
{
    return fv_norm(v * gm, e + ge, mul_bound(c, r1, r2));
}

/* Layers ahead of the backward pass whose balls are prefetched. */
#define PREFETCH_BALLS 16

/* The backward pass from the records *lay* (narrow or *wide*) of the
   forward pass and g = dC/da_L (dC/dz_L under cross-entropy), into t->db
   and t->dw; when *digits* > 0 it stops at the first value without
   *digits* digits (c->ok = 0).  g is kept as G 2^ge, G a double within
   [2^-20, 2^20] or 0 (brought back to [1/2, 1) when it leaves), so that
   its products by the records' values are normal doubles: one
   multiplication a layer on the chain of dependent operations. */
static inline void
fast_backward(fctx * c, gc_arb_trace_t t, const void * lay, fval g,
              slong digits, gc_fast_pow10_struct * pdb,
              gc_fast_pow10_struct * pdw, int wide)
{
    slong j, ge = g.e, e;
    double gm = g.m, gr = g.r, v, r;
    fval db, dw;

    for (j = t->len; j >= 1 && c->ok; j--)
    {
        if (j > PREFETCH_BALLS)
        {
            __builtin_prefetch(t->db + j - 1 - PREFETCH_BALLS, 1);
            __builtin_prefetch(t->dw + j - 1 - PREFETCH_BALLS, 1);
        }
        v = lay_get(&e, &r, lay, j - 1, L_SP, wide);
        db = fv_mul_d(c, v, e, r, gm, ge, gr);
        v = lay_get(&e, &r, lay, j - 1, L_AS, wide);
        dw = fv_mul_d(c, v, e, r, gm, ge, gr);
        v = lay_get(&e, &r, lay, j - 1, L_WS, wide);
        gm *= v;
        ge += e;
        gr = mul_bound(c, r, gr);
        if (!(fabs(gm) >= 0x1p-20 && fabs(gm) <= 0x1p20))
        {
            g = fv_norm(gm, ge, gr);
            gm = g.m;
            ge = g.e;
        }
        if (c->ok && !(fv_get_arb(t->db + j - 1, db, pdb, digits)
                       && fv_get_arb(t->dw + j - 1, dw, pdw, digits)))
            c->ok = 0;
    }
}

/* Both passes with narrow or *wide* records; c->wide asks for the wide
   ones. */
static void
fast_passes(fctx * c, gc_arb_trace_t t, const gc_net_t net, mpfr_t tmp,
            slong digits, gc_fast_pow10_struct * pdb,
            gc_fast_pow10_struct * pdw, int wide)
{
    fval g = {0, 0, 0};
    void * lay = flint_malloc(_gc_array_bytes(
        FLINT_MAX(t->len, 1), wide ? sizeof(wlayer) : sizeof(nlayer),
        "gc_eval_fast"));

    if (wide)
        fast_forward(c, lay, &g, net, tmp, 1);
    else
        fast_forward(c, lay, &g, net, tmp, 0);
    if (c->ok && wide)
        fast_backward(c, t, lay, g, digits, pdb, pdw, 1);
    else if (c->ok)
        fast_backward(c, t, lay, g, digits, pdb, pdw, 0);
    flint_free(lay);
}

/* gc_eval_fast, and when *digits* > 0 the test that every dC/db_j and
   dC/dw_j has *digits* digits, which stops at the first that has not,
   returning GC_UNABLE. */
static int
fast_eval(gc_arb_trace_t t, const gc_net_t net, slong digits)
{
    fctx c = {1, 0};
    gc_expo_struct expo;
    gc_fast_pow10_struct pdb, pdw;
    mpfr_t tmp;

    if (net->len != t->len)
        gc_throw("gc_eval_fast: network of %ld layers, trace of %ld",
                 (long) net->len, (long) t->len);
    if (gc_engine_check(GC_ENGINE_FAST, net) != GC_SUCCESS)
        return GC_UNABLE;

    GC_SAVE_EXPO(expo);
    mpfr_init2(tmp, 53);
    /* one cache of powers of ten for each sequence of values */
    if (digits > 0)
    {
        _gc_fast_pow10_init(&pdb);
        _gc_fast_pow10_init(&pdw);
    }
    fast_passes(&c, t, net, tmp, digits, &pdb, &pdw, 0);
    if (c.wide)
    {
        c.ok = 1;
        fast_passes(&c, t, net, tmp, digits, &pdb, &pdw, 1);
    }
    if (c.ok)
        t->prec = 53;
    if (digits > 0)
    {
        _gc_fast_pow10_clear(&pdb);
        _gc_fast_pow10_clear(&pdw);
    }
    mpfr_clear(tmp);
    GC_RESTORE_EXPO(expo);
    return c.ok ? GC_SUCCESS : GC_UNABLE;
}

size_t
gc_eval_fast_bytes(slong len)
{
    return _gc_bytes_estimate(FLINT_MAX(len, 1), sizeof(wlayer), 0);
}

int
gc_eval_fast(gc_arb_trace_t t, const gc_net_t net)
{
    return fast_eval(t, net, 0);
}

/* A multiple of the expected number of the 2 len values that lie too
   near a rounding tie of *digits* digits for the fast path to decide
   them (fast.h: bounds of about 15 u a layer; counted on N(0,1) chains,
   seed 1: at 10^5 layers 2, 12 and 128 values for D = 5, 6, 7, at 10^6
   1 and 5 for D = 3, 4, about 1.3e-15 len^2 10^digits; this is 3e-15,
   the count before lemma D).  Above 2, an attempt would mostly be a
   wasted forward pass before Arb: with it, the measured depth limits of
   fast.h are met exactly (D = 4 tried at 10^5 layers, D = 5 not, with
   2 values undecided; D = 2 at 10^6, D = 3 not, with 1).  Speed only:
   the digits printed are Arb's either way. */
static double
fast_expected_ties(slong len, slong digits)
{
    return 3e-15 * (double) len * (double) len * pow(10, (double) digits);
}

int
gc_eval_fast_digits(gc_arb_trace_t t, const gc_net_t net, slong digits,
                    slong max_prec, slong * prec_used)
{
    if (digits < 1)
        gc_throw("gc_eval_fast_digits: digits %ld < 1", (long) digits);
    if (digits <= GC_FAST_DIGITS_MAX
        && fast_expected_ties(net->len, digits) <= 2
        && fast_eval(t, net, digits) == GC_SUCCESS)
    {
        *prec_used = 53;
        return GC_SUCCESS;
    }
    return gc_eval_arb_digits(t, net, digits, max_prec, prec_used);
}

double
_gc_fast_exp(slong * e, double * r, double x)
{
    fval v;

    if (!(fabs(x) < 0x1p50) || !fast_exp_d(&v, x))
        return 0;
    *e = v.e;
    *r = v.r;
    return v.m;
}
