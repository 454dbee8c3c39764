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
   upper bound (up() below).  Every r is kept <= RMAX = 2^-4 (otherwise
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
   r = e0 + u + e0 u.  This is where cancellation shows: when w a + b or
   (1 - y) - y u_L nearly cancel, q grows as (|X1| + |X2|)/|S| and the
   fast path gives up past RMAX.  S = 0 is exact when E = 0 and gives
   up otherwise.

   Exponential (lemma E).  u_j = e^-z_j.  The argument -Z has absolute
   error D <= |Z| r (1 + 2 r) (D <= RMAX, |Z| < 2^50, otherwise give up),
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
   (computed with up(), at run time).  If |R| > 0.35 (k off by one for
   |x| >= 2^40), k moves by one and the reduction is redone.
   e^R for |R| <= 0.3501: Horner's scheme on the Taylor polynomial of
   degree 14 with c_i = fl(1/i!) (exact for i <= 2, one rounding
   otherwise: 1/i! is an exact double quotient of two doubles for
   i <= 14).  Truncation: |R|^15/15! e^|R| < 0.0015 u.  Evaluation: with
   Q_i = sum_{k>=i} R^(k-i)/k! <= M_i, the error e_i of step
   q_i = fl(fl(R q_{i+1}) + c_i) satisfies
   e_i <= |R| e_{i+1} + u |R| (M_{i+1} + e_{i+1}) + |c_i - 1/i!|
          + u (M_i + e_i),
   which summed from e_14 = u/14! gives e_0 < 2.421 u (doc/fast-error.py
   computes it with mpmath at 200 bits); relative to e^R >= e^-0.3501
   that is < 3.44 u, with truncation < 3.45 u: EXP_POLY = 3.5 u.  So
   e^x = 2^k e^R (1 + t) with |t| <= (1 + 3.5 u)(1 + a (1 + a)) - 1, the
   2^k going into the 64-bit exponent exactly.  tests/check_fast.c checks
   the bound against MPFR on |x| up to 10^15.

   Layer j (sigmoid): Z = fl(W A + B) (M then A), U = e^-Z (E),
   D = 1 + U (A: U > 0, no cancellation), A' = 1/D (I),
   S' = (U A') A' (M twice): f'(z) = e^-z/(1 + e^-z)^2.
   Output: dC/da_L = a_L - y = ((1 - y) - y u_L) a_L (the formula of the
   Arb engine; M, A, M), or dC/dz_L for cross-entropy (the same), or the
   given dC/da_L rounded once.  Backward: db_j = S'_j g (M), g = W_j db_j
   (M), dw_j = A_{j-1} db_j (M): each layer adds about 2 u + r(S'_j) to
   the bound of the products, so it grows linearly with the depth (about
   10 u a layer for typical chains: 15 digits need the bound below about
   10^-16, so deep chains fall back to Arb for the last digits).

   Balls.  The gradients (only: the other entries of the trace are not
   written) are turned into balls: a value X = M 2^E with bound r becomes
   the ball with midpoint X (exact: a double times a power of two) and
   radius
   |M| r (1 + 2 r) 2^E rounded up (mag_set_d rounds up): it contains x.
   Those balls are printed by gc_arb_get_str_digits, the code of the Arb
   engine, so the printing rules are literally the same; a ball that does
   not decide the digits makes gc_eval_fast_digits evaluate the network
   again with gc_eval_arb_digits. */

#include <math.h>
#include <string.h>

#include "gc-impl.h"

#define U_ROUND 0x1p-53
#define RMAX 0x1p-4
#define EXP_POLY (3.5 * U_ROUND)
#define LN2_HI 0x1.62e42fefa39efp-1
#define LN2_LO 0x1.abc9e3b39803fp-56
#define INV_LN2 0x1.71547652b82fep0

/* A value m 2^e with its relative error bound r. */
typedef struct
{
    double m;
    slong e;
    double r;
} fval;

/* The state of one evaluation: ok drops to 0 when a bound exceeds RMAX
   or an argument leaves the analysed range. */
typedef struct
{
    int ok;
} fctx;

/* An upper bound of x, a sum of products of n <= 16 nonnegative
   rounded terms (see the analysis). */
static inline double
up(double x)
{
    return x * (1 + 0x1p-48);
}

/* 2^k for -1022 <= k <= 1023, exactly. */
static inline double
pow2(slong k)
{
    uint64_t bits = (uint64_t) (k + 1023) << 52;
    double x;

    memcpy(&x, &bits, sizeof x);
    return x;
}

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

/* Lemma M: m1 m2 is 0 or in [1/4, 1), one doubling normalises it. */
static inline fval
fv_mul(fctx * c, fval x, fval y)
{
    fval p;

    p.r = up(x.r + y.r + x.r * y.r + U_ROUND * (1 + x.r) * (1 + y.r));
    fv_check(c, p.r);
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

/* Lemma I (x != 0): 1/m is in (1, 2]. */
static inline fval
fv_inv(fctx * c, fval x)
{
    fval p;

    p.r = up((U_ROUND + x.r) * (1 + 2 * x.r));
    fv_check(c, p.r);
    p.m = 0.5 / x.m;
    p.e = 1 - x.e;
    if (fabs(p.m) == 1)
    {
        p.m *= 0.5;
        p.e++;
    }
    return p;
}

/* |m| r (1 + 2 r) 2^d, rounded up, for d >= -900 (a smaller d counts as
   -900: still an upper bound, and no underflow). */
static inline double
fv_abs_err(fval x, slong d)
{
    double a = up(fabs(x.m) * x.r * (1 + 2 * x.r));

    return d > 1000 ? HUGE_VAL : a * pow2(FLINT_MAX(d, -900));
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

static inline fval
fv_neg(fval x)
{
    x.m = -x.m;
    return x;
}

/* Splits a double into two halves of at most 26 bits (Veltkamp). */
static inline void
split(double * hi, double * lo, double a)
{
    double t = 134217729.0 * a;

    *hi = t - (t - a);
    *lo = a - *hi;
}

/* The reduction of lemma E: sets *res* = R and returns its absolute
   error bound, for the integer k. */
static inline double
exp_reduce(double * res, double x, double k)
{
    double kh, kl, l1h, l1l, p1, p2, r1, e1, bb, t, s1, s;

    /* Dekker: k L1 = p1 + p2 exactly */
    split(&kh, &kl, k);
    split(&l1h, &l1l, LN2_HI);
    p1 = k * LN2_HI;
    p2 = ((kh * l1h - p1) + kh * l1l + kl * l1h) + kl * l1l;
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

/* e^R by Horner's scheme, |R| <= 0.3501 (lemma E). */
static inline double
exp_poly(double r)
{
    static const double c[15] = {
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
        1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800,
        1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0,
        1.0 / 87178291200.0};
    double q = c[14];
    int i;

    for (i = 13; i >= 0; i--)
        q = q * r + c[i];
    return q;
}

/* e^x for a double |x| < 2^50 as m 2^e with its relative error bound
   (lemma E without the argument's error); 0 if the reduction fails. */
static inline int
fast_exp_d(fval * res, double x)
{
    /* to nearest integer: |x / ln 2| < 2^51 */
    double k = (x * INV_LN2 + 0x1.8p52) - 0x1.8p52, r, a;
    int i;

    for (i = 0; i < 3; i++)
    {
        a = exp_reduce(&r, x, k);
        if (fabs(r) <= 0.35 && a <= 0x1p-40)
            break;
        k += (r > 0) ? 1 : -1;
    }
    if (i == 3)
        return 0;
    *res = fv_norm(exp_poly(r), (slong) k,
                   up(EXP_POLY + a * (1 + a) * (1 + EXP_POLY)));
    return 1;
}

/* e^-z with the argument's error (lemma E). */
static inline fval
fv_exp_neg(fctx * c, fval z)
{
    double dz = fv_abs_err(z, z.e), x;
    fval res;

    if (z.m == 0)
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
    res.r = up(res.r + dz * (1 + dz) * (1 + res.r));
    fv_check(c, res.r);
    return res;
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

/* Sets the ball *b* to contain the exact value of *x*. */
static void
fv_get_arb(arb_t b, fval x)
{
    /* m 2^53 is an integer of at most 53 bits; the radius, at least
       2^-54 when not 0 and below 1, as an integer over 2^60 rounded up */
    double rad = up(fabs(x.m) * x.r * (1 + 2 * x.r));

    arf_set_si_2exp_si(arb_midref(b), (slong) (x.m * 0x1p53), x.e - 53);
    mag_set_ui_2exp_si(arb_radref(b),
                       rad == 0 ? 0 : (ulong) (rad * 0x1p60) + 1, x.e - 60);
}

/* The values of layer j the backward pass needs. */
typedef struct
{
    fval w;
    fval a;   /* a_j */
    fval sp;
} flayer;

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

/* The forward pass into lay[0..len), and *ul* = e^-z_L; 0 if the fast
   path gave up. */
static int
fast_forward(flayer * lay, fval * ul, fval * a0, const gc_net_t net,
             mpfr_t tmp)
{
    fctx c = {1};
    mpq_t wtmp, btmp;
    fval a, one = {0.5, 1, 0};
    slong j;

    if (net->act.kind != GC_ACT_SIGMOID && net->layer_act == NULL)
        return 0;
    mpq_init(wtmp);
    mpq_init(btmp);
    a = *a0 = fv_set_mpq(net->a0, tmp);
    for (j = 1; j <= net->len && c.ok; j++)
    {
        flayer * l = lay + j - 1;
        mpq_srcptr wq = wtmp, bq = btmp;

        if (net->layer_act != NULL
            && gc_net_get_act(net, j)->kind != GC_ACT_SIGMOID)
            c.ok = 0;
        if (net->w != NULL) /* rationals: no copy (compact: the accessor) */
        {
            wq = net->w + j - 1;
            bq = net->b + j - 1;
        }
        else
            gc_net_get_layer_q(wtmp, btmp, net, j);
        l->w = fv_set_mpq(wq, tmp);
        *ul = fv_exp_neg(&c, fv_add(&c, fv_mul(&c, l->w, a),
                                    fv_set_mpq(bq, tmp)));
        a = l->a = fv_inv(&c, fv_add(&c, one, *ul));
        l->sp = fv_mul(&c, fv_mul(&c, *ul, a), a);
    }
    mpq_clear(wtmp);
    mpq_clear(btmp);
    return c.ok;
}

int
gc_eval_fast(gc_arb_trace_t t, const gc_net_t net)
{
    slong j, len = t->len;
    flayer * lay;
    fval ul = {0, 0, 0}, a0, g, db, dw;
    fctx c = {1};
    gc_expo_struct expo;
    mpfr_t tmp;

    if (net->len != len)
        gc_throw("gc_eval_fast: network of %ld layers, trace of %ld",
                 (long) net->len, (long) len);
    if (gc_engine_check(GC_ENGINE_FAST, net) != GC_SUCCESS)
        return GC_UNABLE;

    GC_SAVE_EXPO(expo);
    mpfr_init2(tmp, 53);
    lay = flint_malloc(_gc_array_bytes(FLINT_MAX(len, 1), sizeof(flayer),
                                       "gc_eval_fast"));
    c.ok = fast_forward(lay, &ul, &a0, net, tmp);
    if (c.ok && len > 0)
    {
        g = fast_output_grad(&c, ul, lay[len - 1].a, net, tmp);
        for (j = len; j >= 1 && c.ok; j--)
        {
            const flayer * l = lay + j - 1;

            if (j == len && net->cost == GC_COST_CROSS_ENTROPY)
                db = g;
            else
                db = fv_mul(&c, l->sp, g);
            g = fv_mul(&c, l->w, db);
            dw = fv_mul(&c, j > 1 ? lay[j - 2].a : a0, db);
            fv_get_arb(t->db + j - 1, db);
            fv_get_arb(t->dw + j - 1, dw);
        }
    }
    if (c.ok)
        t->prec = 53;
    flint_free(lay);
    mpfr_clear(tmp);
    GC_RESTORE_EXPO(expo);
    return c.ok ? GC_SUCCESS : GC_UNABLE;
}

int
gc_eval_fast_digits(gc_arb_trace_t t, const gc_net_t net, slong digits,
                    slong max_prec, slong * prec_used)
{
    slong j;

    if (digits < 1)
        gc_throw("gc_eval_fast_digits: digits %ld < 1", (long) digits);
    if (digits <= GC_FAST_DIGITS_MAX && gc_eval_fast(t, net) == GC_SUCCESS)
    {
        for (j = 0; j < 2 * t->len; j++)
            if (!gc_arb_has_digits(t->db + j, digits))
                break;
        if (j == 2 * t->len)
        {
            *prec_used = 53;
            return GC_SUCCESS;
        }
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
