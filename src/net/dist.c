/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* dist.c -- distributions of random networks: the specs "normal:MU,SD",
   "uniform:LO,HI" and "const:V" (parsing, validity, canonical text) and
   the fan-in scaling of the weights.  The draws are in random.c. */

#include <float.h>
#include <math.h>
#include <string.h>

#include "net-impl.h"

GC_NAMES_DEFINE(gc_dist_kind, gc_dist_kind_t, "normal", "uniform", "const")

GC_NAMES_DEFINE(gc_fanin, gc_fanin_t, "none", "lecun", "he", "xavier")
GC_NAMES_SET_STR(gc_fanin, gc_fanin_t)

void
gc_dist_set_normal(gc_dist_t d, double mu, double sd)
{
    d->kind = GC_DIST_NORMAL;
    d->par[0] = mu;
    d->par[1] = sd;
}

void
gc_dist_set_uniform(gc_dist_t d, double lo, double hi)
{
    d->kind = GC_DIST_UNIFORM;
    d->par[0] = lo;
    d->par[1] = hi;
}

void
gc_dist_set_const(gc_dist_t d, double v)
{
    d->kind = GC_DIST_CONST;
    d->par[0] = v;
    d->par[1] = 0.0;
}

/* A normal draw is at most this many standard deviations from the mean
   (|N| < 9, see random.c, with room to spare). */
#define GC_NORMAL_SDS 16

int
gc_dist_is_valid(const gc_dist_t d)
{
    double a = d->par[0], b = d->par[1];

    if (!isfinite(a) || !isfinite(b))
        return 0;
    switch (d->kind)
    {
        case GC_DIST_NORMAL:
            return b >= 0 && fabs(a) + GC_NORMAL_SDS * b <= DBL_MAX;
        case GC_DIST_UNIFORM:
            return a <= b;
        case GC_DIST_CONST:
            return b == 0;
        default:
            return 0;
    }
}

int
gc_dist_equal(const gc_dist_t a, const gc_dist_t b)
{
    return a->kind == b->kind && a->par[0] == b->par[0]
           && a->par[1] == b->par[1];
}

/* ---- specs ----------------------------------------------------------

   One row per kind, in the order of gc_dist_kind_t: the syntax, the
   names of the arguments in messages, the message of a spec whose
   rounded parameters fail gc_dist_is_valid, and the check of the exact
   arguments before rounding (NULL: none).  The arguments are exact
   rationals, split at the commas (the last one takes the rest of the
   string). */
#define GC_SPEC_ARGS_MAX 2

typedef struct
{
    const char * syntax;
    int nargs;
    const char * what[GC_SPEC_ARGS_MAX];
    const char * bound;
    /* checks q[0..nargs), written as the n[i] bytes at arg[i] in the
       whole spec *str*; returns GC_SUCCESS or GC_INVALID */
    int (*check)(const mpq_t * q, const char * const * arg,
                 const size_t * n, const char * str, gc_parse_error_t err);
} gc_spec_struct;

static int
normal_check(const mpq_t * q, const char * const * arg, const size_t * n,
             const char * str, gc_parse_error_t err)
{
    (void) str;
    if (mpq_sgn(q[1]) >= 0)
        return GC_SUCCESS;
    _gc_parse_error_set(err, 0, arg[1], n[1], "%s",
                        "standard deviation must not be negative");
    return GC_INVALID;
}

static int
uniform_check(const mpq_t * q, const char * const * arg, const size_t * n,
              const char * str, gc_parse_error_t err)
{
    (void) arg;
    (void) n;
    if (mpq_cmp(q[0], q[1]) <= 0)
        return GC_SUCCESS;
    _gc_parse_error_set(err, 0, str, strlen(str), "%s",
                        "the lower bound must not exceed the upper bound");
    return GC_INVALID;
}

static const gc_spec_struct gc_specs[] = {
    {"normal:MU,SD", 2, {"mean", "standard deviation"},
     "draws of N(MU, SD) must be finite binary64 numbers (|MU| + 16 SD <= "
     "1.79769e+308)", normal_check},
    {"uniform:LO,HI", 2, {"lower bound", "upper bound"},
     "LO and HI must be finite binary64 numbers (|LO|, |HI| <= "
     "1.79769e+308)", uniform_check},
    {"const:V", 1, {"value", NULL},
     "V must be a finite binary64 number (|V| <= 1.79769e+308)", NULL}};

#define GC_NSPECS ((slong) (sizeof gc_specs / sizeof *gc_specs))

/* Returns *q* rounded to 53 bits, to nearest, then to the nearest double
   (the rounding the program has always used for --random). */
static double
spec_get_d(const mpq_t q)
{
    mpfr_t x;
    double d;

    mpfr_init2(x, 53);
    mpfr_set_q(x, q, MPFR_RNDN);
    d = mpfr_get_d(x, MPFR_RNDN);
    mpfr_clear(x);
    return d;
}

/* Splits *args* into the *nargs* arguments of a spec: arg[i], n[i].
   Returns 0 if there are fewer commas than that needs. */
static int
spec_split(const char ** arg, size_t * n, const char * args, int nargs)
{
    const char * comma;
    int i;

    for (i = 0; i < nargs - 1; i++)
    {
        if ((comma = strchr(args, ',')) == NULL)
            return 0;
        arg[i] = args;
        n[i] = (size_t) (comma - args);
        args = comma + 1;
    }
    arg[i] = args;
    n[i] = strlen(args);
    return 1;
}

/* Reports that *str* is not a spec: "expected SYNTAX or SYNTAX ...". */
static int
spec_error(gc_parse_error_t err, const char * str)
{
    char msg[GC_PARSE_MSG_MAX];
    size_t k = 0;
    slong i;

    msg[0] = '\0';
    for (i = 0; i < GC_NSPECS && k < sizeof msg; i++)
        k += snprintf(msg + k, sizeof msg - k, "%s%s",
                      i == 0 ? "expected " : " or ", gc_specs[i].syntax);
    _gc_parse_error_set(err, 0, str, strlen(str), "%s", msg);
    return GC_INVALID;
}

/* Sets *d* (kind *kind*) from the exact arguments q, or fails with the
   row's messages. */
static int
spec_set(gc_dist_t d, gc_dist_kind_t kind, const mpq_t * q,
         const char * const * arg, const size_t * n, const char * str,
         gc_parse_error_t err)
{
    const gc_spec_struct * s = gc_specs + kind;
    gc_dist_t v;
    int k;

    if (s->check != NULL && s->check(q, arg, n, str, err) != GC_SUCCESS)
        return GC_INVALID;
    v->kind = kind;
    v->par[1] = 0.0;
    for (k = 0; k < s->nargs; k++)
        v->par[k] = spec_get_d(q[k]);
    if (!gc_dist_is_valid(v))
    {
        _gc_parse_error_set(err, 0, str, strlen(str), "%s", s->bound);
        return GC_INVALID;
    }
    *d = *v;
    return GC_SUCCESS;
}

int
gc_dist_set_str(gc_dist_t d, const char * str, gc_parse_error_t err)
{
    const char * arg[GC_SPEC_ARGS_MAX], * why;
    size_t n[GC_SPEC_ARGS_MAX], len = 0;
    mpq_t q[GC_SPEC_ARGS_MAX];
    slong i, kind = -1;
    int k, nargs, status = GC_SUCCESS;

    for (i = 0; i < GC_NSPECS && kind < 0; i++)
    {
        len = strchr(gc_specs[i].syntax, ':') + 1 - gc_specs[i].syntax;
        if (strncmp(str, gc_specs[i].syntax, len) == 0)
            kind = i;
    }
    if (kind < 0 || !spec_split(arg, n, str + len, gc_specs[kind].nargs))
        return spec_error(err, str);

    nargs = gc_specs[kind].nargs;
    for (k = 0; k < nargs; k++)
        mpq_init(q[k]);
    for (k = 0; k < nargs && status == GC_SUCCESS; k++)
        if ((status = _gc_q_set_strn_why(q[k], arg[k], n[k], &why))
            != GC_SUCCESS)
            _gc_parse_error_set(err, 0, arg[k], n[k], "%s: %s",
                                gc_specs[kind].what[k], why);
    if (status == GC_SUCCESS)
        status = spec_set(d, (gc_dist_kind_t) kind,
                          (const mpq_t *) q, arg, n, str, err);
    for (k = 0; k < nargs; k++)
        mpq_clear(q[k]);
    return status;
}

/* Writes to buf[0..size) the shortest %g text of *x* (at most 17
   significant digits) that gc_dist_set_str reads back as *x*: the same
   rounding, exact rational then 53 bits then binary64.  Integers below
   10^17 keep all their digits ("20", not "2e+01"). */
static void
spec_print_d(char * buf, size_t size, double x)
{
    mpq_t q;
    const char * why;
    int digits;

    mpq_init(q);
    for (digits = 1; digits < 17; digits++)
    {
        snprintf(buf, size, "%.*g", digits, x);
        if (_gc_q_set_strn_why(q, buf, strlen(buf), &why) == GC_SUCCESS
            && spec_get_d(q) == x)
            break;
    }
    if (digits == 17)
        snprintf(buf, size, "%.17g", x);
    /* %g writes an exponent when it is at least the digits */
    while (fabs(x) >= 1 && fabs(x) < 1e17 && strchr(buf, 'e') != NULL)
        snprintf(buf, size, "%.*g", ++digits, x);
    mpq_clear(q);
}

char *
gc_dist_get_str(const gc_dist_t d)
{
    /* gc_throw for an unknown kind, before it indexes gc_specs */
    const char * name = gc_dist_kind_name(d->kind);
    /* "uniform:" and two numbers of at most 24 characters (num[k]) */
    char * s, num[2][32];
    int k, nargs = gc_specs[d->kind].nargs;

    s = flint_malloc(80);
    for (k = 0; k < nargs; k++)
        spec_print_d(num[k], sizeof num[k], d->par[k]);
    snprintf(s, 80, "%s:%s%s%s", name, num[0],
             nargs > 1 ? "," : "", nargs > 1 ? num[1] : "");
    return s;
}

/* ---- the fan-in rules ------------------------------------------------ */

void
gc_random_set_dist(gc_random_t r, const gc_dist_t d, ulong seed)
{
    r->weights = *d;
    r->biases = *d;
    r->fanin = GC_FANIN_NONE;
    r->seed = seed;
}

/* Returns the binary64 number nearest to x sqrt(g / n), for g = 1 or 2,
   n >= 1 and binary64 x (NaN and infinities pass through). */
static double
scale_d(double x, ulong g, ulong n)
{
    gc_expo_struct e;
    mpfr_t t;
    mpfr_prec_t prec;
    int inex;
    double res;

    if (g == n || x == 0 || !isfinite(x))
        return x;
    GC_SAVE_EXPO(e);
    mpfr_init2(t, 128);
    /* Ziv: x^2 g is exact (g <= 2: at most 108 bits), then the quotient
       and the root round to nearest, a relative error below 2^(1-prec).  If x sqrt(g/n) were a number of 54 bits (a
       rounding boundary), its square, of 108 bits, would make both
       operations exact: the loop only runs on other values, and ends. */
    for (prec = 128;; prec *= 2)
    {
        mpfr_set_prec(t, prec);
        mpfr_set_d(t, fabs(x), MPFR_RNDN);
        mpfr_sqr(t, t, MPFR_RNDN);
        inex = mpfr_mul_ui(t, t, g, MPFR_RNDN);
        inex |= mpfr_div_ui(t, t, n, MPFR_RNDN);
        inex |= mpfr_sqrt(t, t, MPFR_RNDN);
        if (inex == 0
            || mpfr_can_round(t, prec - 2, MPFR_RNDN, MPFR_RNDZ, 53 + 1))
            break;
    }
    res = mpfr_get_d(t, MPFR_RNDN);
    mpfr_clear(t);
    GC_RESTORE_EXPO(e);
    return x < 0 ? -res : res;
}

void
gc_random_get_weights(gc_dist_t res, const gc_random_t r, slong fan_in,
                      slong fan_out)
{
    ulong g = 1, n = 1;

    if (fan_in < 1 || fan_out < 1)
        gc_throw("gc_random_get_weights: fan_in %ld, fan_out %ld < 1",
                 (long) fan_in, (long) fan_out);
    switch (r->fanin)
    {
        case GC_FANIN_NONE:
            break;
        case GC_FANIN_LECUN:
            n = (ulong) fan_in;
            break;
        case GC_FANIN_HE:
            g = 2;
            n = (ulong) fan_in;
            break;
        case GC_FANIN_XAVIER:
            g = 2;
            n = (ulong) fan_in + (ulong) fan_out;
            break;
        default:
            gc_throw("gc_random_get_weights: bad rule %d", (int) r->fanin);
    }
    res->kind = r->weights.kind;
    res->par[0] = scale_d(r->weights.par[0], g, n);
    res->par[1] = scale_d(r->weights.par[1], g, n);
}

int
gc_random_is_valid(const gc_random_t r)
{
    gc_dist_t w;

    if (!gc_dist_is_valid(&r->weights) || !gc_dist_is_valid(&r->biases)
        || (unsigned) r->fanin > GC_FANIN_XAVIER)
        return 0;
    gc_random_get_weights(w, r, 1, 1);
    return gc_dist_is_valid(w);
}
