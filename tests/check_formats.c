/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_formats.c -- number formats: constants against <float.h> and
   <quadmath.h>, rounding at the edges, every bit pattern of the 8- and
   16-bit formats, emulation against the hardware, the factor-1/4 chain
   and loss scaling. */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>
#ifdef GC_HAVE_QUADMATH
#include <quadmath.h>
#endif

#include "gc-test.h"

/* 1 if long double arithmetic has the x87's 64-bit precision at run time
   (valgrind, for one, does it in binary64: the x87 checks are skipped). */
static int
x87_works(void)
{
#if LDBL_MANT_DIG == 64
    volatile long double one = 1, eps = LDBL_EPSILON;

    return one + eps != one && one + eps / 2 == one && LDBL_EPSILON * 2
           == ldexpl(1, -62);
#else
    return 0;
#endif
}

/* The format named s (must parse). */
static void
fmt_set(gc_numfmt_t f, const char * s)
{
    gc_parse_error_t err;
    int status = gc_numfmt_set_str(f, s, err);

    ck_assert_msg(status == GC_SUCCESS, "format %s: %s", s, err->msg);
}

/* Checks max, min normal and min subnormal of format s against the
   values given (an exact long double, and exponents). */
static void
check_constants(const char * s, long double max, long nmin, long smin)
{
    gc_numfmt_t f;
    mpfr_t x;

    fmt_set(f, s);
    mpfr_init2(x, 128);
    gc_numfmt_max(x, f);
    ck_assert_msg(mpfr_cmp_ld(x, max) == 0, "max of %s: %Lg", s, max);
    gc_numfmt_min_normal(x, f);
    ck_assert_msg(mpfr_cmp_ui_2exp(x, 1, nmin) == 0, "min normal of %s", s);
    gc_numfmt_min_subnormal(x, f);
    ck_assert_msg(mpfr_cmp_ui_2exp(x, 1, smin) == 0, "min subnormal of %s",
                  s);
    mpfr_clear(x);
}

START_TEST(test_numfmt_constants)
{
    gc_mpfr_widen_exponent_range();
    ck_assert(DBL_MIN == ldexp(1.0, -1022) && DBL_TRUE_MIN == ldexp(1, -1074));
    check_constants("binary64", DBL_MAX, -1022, -1074);
    check_constants("binary64-emu", DBL_MAX, -1022, -1074);
    ck_assert(FLT_MIN == ldexpf(1, -126) && FLT_TRUE_MIN == ldexpf(1, -149));
    check_constants("binary32", FLT_MAX, -126, -149);
    check_constants("binary32-emu", FLT_MAX, -126, -149);
    check_constants("binary16", 65504, -14, -24);
    check_constants("custom:11,-23,16", 65504, -14, -24);
    check_constants("bfloat16", ldexpl(2 - ldexpl(1, -7), 127), -126, -133);
    check_constants("e5m2", 57344, -14, -16);
    check_constants("e4m3", 448, -6, -9);
#if LDBL_MANT_DIG == 64
    if (x87_works())
    {
        ck_assert(LDBL_MIN == ldexpl(1, -16382)
                  && LDBL_TRUE_MIN == ldexpl(1, -16445));
        check_constants("x87", LDBL_MAX, -16382, -16445);
        check_constants("x87-emu", LDBL_MAX, -16382, -16445);
    }
#endif
#ifdef GC_HAVE_QUADMATH
    {
        gc_numfmt_t f;
        mpfr_t x, y;
        char buf[64];

        fmt_set(f, "binary128");
        mpfr_inits2(113, x, y, (mpfr_ptr) NULL);
        gc_numfmt_max(x, f);
        quadmath_snprintf(buf, sizeof buf, "%.40Qa", FLT128_MAX);
        mpfr_set_str(y, buf, 0, MPFR_RNDN);
        ck_assert_msg(mpfr_equal_p(x, y), "binary128 max %s", buf);
        ck_assert(FLT128_MIN == ldexpq(1, -16382)
                  && FLT128_DENORM_MIN == ldexpq(1, -16494));
        gc_numfmt_min_normal(x, f);
        ck_assert(mpfr_cmp_ui_2exp(x, 1, -16382) == 0);
        gc_numfmt_min_subnormal(x, f);
        ck_assert(mpfr_cmp_ui_2exp(x, 1, -16494) == 0);
        mpfr_clears(x, y, (mpfr_ptr) NULL);
    }
#endif
}
END_TEST

START_TEST(test_numfmt_names)
{
    static const char * bad[] = {
        "", "binary8", "custom:1,2", "custom:4,-8", "custom:4,-8,9,",
        "custom:x,1,2", "custom:53,0,10", "custom:1,-8,9", "mixed:binary16",
        "mixed:foo/binary32", "binary64:sat", "e4m3:inf", "e4m3:",
        "custom:4,-8,9x"};
    gc_parse_error_t err;
    gc_numfmt_t f;
    gc_numfmt_struct * v;
    slong i, n;

    for (i = 0; i < (slong) (sizeof bad / sizeof bad[0]); i++)
        ck_assert_msg(gc_numfmt_set_str(f, bad[i], err) == GC_INVALID,
                      "accepted '%s'", bad[i]);
    ck_assert(gc_numfmt_set_str(f, "binary8", err) == GC_INVALID);
    ck_assert_str_eq(err->token, "binary8");

    fmt_set(f, "e4m3");
    ck_assert(f->overflow == GC_OVERFLOW_SATURATE && !f->has_inf);
    fmt_set(f, "e4m3:nan");
    ck_assert(f->overflow == GC_OVERFLOW_NAN && f->prec == 4);
    ck_assert_str_eq(f->name, "e4m3:nan");
    fmt_set(f, "e5m2:sat");
    ck_assert(f->overflow == GC_OVERFLOW_SATURATE && f->has_inf);
    fmt_set(f, "binary64");
    ck_assert(f->kind == GC_NUMFMT_DOUBLE && f->emin == -1073
              && f->emax == 1024);
    fmt_set(f, "mixed:binary16/binary32");
    ck_assert(f->prec == 11 && f->compute != NULL
              && f->compute->kind == GC_NUMFMT_FLOAT);

    ck_assert(gc_numfmt_list_set_str(&v, &n, "binary64,custom:4,-8,9,e4m3",
                                     err) == GC_SUCCESS);
    ck_assert(n == 3 && v[1].prec == 4 && v[1].emin == -8 && v[1].emax == 9);
    ck_assert_str_eq(v[2].name, "e4m3");
    flint_free(v);
    ck_assert(gc_numfmt_list_set_str(&v, &n, "binary64,,e4m3", err)
              == GC_INVALID);
    ck_assert(v == NULL && n == 0);
    ck_assert(gc_numfmt_list_set_str(&v, &n, "binary64,bogus", err)
              == GC_INVALID);
    ck_assert_str_eq(err->token, "bogus");
    ck_assert(gc_numfmt_list_set_str(&v, &n, "", err) == GC_INVALID);
}
END_TEST

START_TEST(test_loss_scale_set_str)
{
    static const char * bad[] = {"0", "-4", "2^x", "abc", "2^1000000",
                                 "2^", "0/1"};
    gc_parse_error_t err;
    mpfr_t s;
    slong i;
    gc_seq_t seq;

    mpfr_init2(s, 64);
    ck_assert(gc_loss_scale_set_str(s, "2^16", err) == GC_SUCCESS);
    ck_assert(mpfr_cmp_ui(s, 65536) == 0);
    ck_assert(gc_loss_scale_set_str(s, "65536", err) == GC_SUCCESS);
    ck_assert(mpfr_cmp_ui(s, 65536) == 0);
    ck_assert(gc_loss_scale_set_str(s, "1024", err) == GC_SUCCESS);
    ck_assert(mpfr_cmp_ui(s, 1024) == 0);
    ck_assert(gc_loss_scale_set_str(s, "2^-3", err) == GC_SUCCESS);
    ck_assert(mpfr_cmp_d(s, 0.125) == 0);
    for (i = 0; i < (slong) (sizeof bad / sizeof bad[0]); i++)
        ck_assert_msg(gc_loss_scale_set_str(s, bad[i], err) == GC_INVALID,
                      "accepted '%s'", bad[i]);
    mpfr_clear(s);

    ck_assert(gc_seq_set_str(&seq, "stable") == GC_SUCCESS
              && seq == GC_SEQ_STABLE);
    ck_assert(gc_seq_set_str(&seq, "framework") == GC_SUCCESS
              && seq == GC_SEQ_FRAMEWORK);
    ck_assert_str_eq(gc_seq_name(GC_SEQ_STABLE), "stable");
    ck_assert(gc_seq_set_str(&seq, "fast") == GC_INVALID);
}
END_TEST

/* Loss scales the scale format cannot hold are GC_INVALID, for the check
   and for the replay (which leaves *r* untouched); the check rounds at
   the scale format's precision, so binary128 (113 bits) works. */
START_TEST(test_loss_scale_check)
{
    static const struct
    {
        const char * fmt;
        long ok_lo, ok_hi; /* 2^e is valid for ok_lo <= e <= ok_hi */
    } cases[] = {
        {"binary32", -149, 127},     {"binary16", -149, 127},
        {"e4m3", -149, 127},         {"binary64", -1074, 1023},
        {"binary128-emu", -16494, 16383},
        {"mixed:binary16/binary128-emu", -16494, 16383},
        {"custom:65,-100,100", -149, 127},
        {"custom:65,-300,300", -300, 299},
#ifdef GC_HAVE_QUADMATH
        {"binary128", -16494, 16383},
#endif
    };
    static const long e[] = {0, 16, -149, -150, 127, 128, 1023, 1024,
                             -1074, -1075, 100000, -2000, -16494, -16495};
    gc_numfmt_t f;
    gc_net_t net;
    gc_replay_t r;
    mpfr_t s;
    slong i, k;

    gc_mpfr_widen_exponent_range();
    mpfr_init2(s, 200);
    gc_net_init(net);
    gc_test_read_ref_net(net, "n4_s0");
    gc_replay_init(r);
    for (i = 0; i < (slong) (sizeof cases / sizeof cases[0]); i++)
    {
        fmt_set(f, cases[i].fmt);
        for (k = 0; k < (slong) (sizeof e / sizeof e[0]); k++)
        {
            int want = (e[k] >= cases[i].ok_lo && e[k] <= cases[i].ok_hi)
                           ? GC_SUCCESS : GC_INVALID;

            mpfr_set_ui_2exp(s, 1, e[k], MPFR_RNDN);
            ck_assert_msg(gc_loss_scale_check(f, s) == want,
                          "%s: scale 2^%ld", cases[i].fmt, e[k]);
        }
        /* 2^16 (1 + 2^-150) rounds to 2^16 in every scale format */
        mpfr_set_ui_2exp(s, 1, -150, MPFR_RNDN);
        mpfr_add_ui(s, s, 1, MPFR_RNDN);
        mpfr_mul_2si(s, s, 16, MPFR_RNDN);
        ck_assert(gc_loss_scale_check(f, s) == GC_SUCCESS);
        ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, s) == GC_SUCCESS);
        ck_assert(r->scaled && r->t->len == 4);
    }
    /* not positive, not finite */
    fmt_set(f, "binary64");
    mpfr_set_si(s, -4, MPFR_RNDN);
    ck_assert(gc_loss_scale_check(f, s) == GC_INVALID);
    mpfr_set_zero(s, 1);
    ck_assert(gc_loss_scale_check(f, s) == GC_INVALID);
    mpfr_set_inf(s, 1);
    ck_assert(gc_loss_scale_check(f, s) == GC_INVALID);
    mpfr_set_nan(s);
    ck_assert(gc_loss_scale_check(f, s) == GC_INVALID);
    /* the replay refuses them and keeps its last result */
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, s) == GC_INVALID);
    fmt_set(f, "binary32");
    mpfr_set_ui_2exp(s, 1, 100000, MPFR_RNDN);
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, s) == GC_INVALID);
    mpfr_set_ui_2exp(s, 1, -2000, MPFR_RNDN);
    ck_assert(gc_replay(r, net, f, GC_SEQ_STABLE, s) == GC_INVALID);
    ck_assert(!r->scaled && r->t->prec == 53);

    gc_replay_clear(r);
    gc_net_clear(net);
    mpfr_clear(s);
}
END_TEST

/* Digits that identify a format's numbers: 1 + ceil(p log10 2). */
START_TEST(test_numfmt_digits)
{
    static const struct
    {
        const char * name;
        slong digits;
    } cases[] = {{"binary64", 17},      {"binary32", 9},
                 {"binary16", 5},       {"bfloat16", 4},
                 {"e4m3", 3},           {"e5m2", 2},
                 {"x87-emu", 21},       {"binary128-emu", 36},
                 {"custom:2,-8,9", 2},  {"custom:1000000,-8,1000000", 301031}};
    gc_numfmt_t f;
    slong i;

    for (i = 0; i < (slong) (sizeof cases / sizeof cases[0]); i++)
    {
        fmt_set(f, cases[i].name);
        ck_assert_msg(gc_numfmt_digits(f) == cases[i].digits, "%s: %ld",
                      cases[i].name, (long) gc_numfmt_digits(f));
    }
    /* DBL_DECIMAL_DIG and FLT_DECIMAL_DIG say the same */
    fmt_set(f, "binary64");
    ck_assert_int_eq(gc_numfmt_digits(f), DBL_DECIMAL_DIG);
    fmt_set(f, "binary32");
    ck_assert_int_eq(gc_numfmt_digits(f), FLT_DECIMAL_DIG);
}
END_TEST

/* gc_numfmt_names lists the built-in formats of this build: each parses,
   x87 and binary128 only where the build has them, and the message for
   an unknown name is made from the list. */
START_TEST(test_numfmt_names_list)
{
    const char * const * names = gc_numfmt_names();
    gc_parse_error_t err;
    gc_numfmt_t f;
    int x87 = 0, quad = 0;
    slong i;

    for (i = 0; names[i] != NULL; i++)
    {
        fmt_set(f, names[i]);
        ck_assert_str_eq(f->name, names[i]);
        x87 |= strcmp(names[i], "x87") == 0;
        quad |= strcmp(names[i], "binary128") == 0;
        if (strstr(names[i], "-emu") == NULL)
        {
            ck_assert(gc_numfmt_set_str(f, "float99", err) == GC_INVALID);
            ck_assert_msg(strstr(err->msg, names[i]) != NULL, "%s: %s",
                          names[i], err->msg);
        }
    }
    ck_assert_int_eq(i, 10 + x87 + quad);
    ck_assert_int_eq(x87, LDBL_MANT_DIG == 64);
#ifdef GC_HAVE_QUADMATH
    ck_assert(quad);
#else
    ck_assert(!quad);
    ck_assert(gc_numfmt_set_str(f, "binary128", err) == GC_INVALID);
#endif
    ck_assert(gc_numfmt_set_str(f, "float99", err) == GC_INVALID);
    ck_assert_str_eq(err->msg, "unknown format (binary64, binary32, "
#if LDBL_MANT_DIG == 64
                               "x87, "
#endif
#ifdef GC_HAVE_QUADMATH
                               "binary128, "
#endif
                               "binary16, bfloat16, e5m2, e4m3, NAME-emu, "
                               "custom:p,emin,emax, mixed:S/C), got "
                               "'float99'");
}
END_TEST

/* Rounds m * 2^e in format s; checks the result r * 2^re (r = 0: zero;
   NAN / INFINITY given as r) and the flags. */
static void
check_round(const char * s, double m, long e, double r, long re, int flags)
{
    gc_numfmt_t f;
    mpfr_t x, y;
    int got;

    fmt_set(f, s);
    mpfr_inits2(64, x, y, (mpfr_ptr) NULL);
    mpfr_set_d(x, m, MPFR_RNDN);
    mpfr_mul_2si(x, x, e, MPFR_RNDN);
    got = gc_numfmt_round(y, x, f);
    mpfr_set_d(x, r, MPFR_RNDN);
    mpfr_mul_2si(x, x, re, MPFR_RNDN);
    ck_assert_msg((mpfr_nan_p(x) && mpfr_nan_p(y)) || mpfr_equal_p(x, y),
                  "%s: %g*2^%ld gave %La, expected %g*2^%ld", s, m, e,
                  mpfr_get_ld(y, MPFR_RNDN), r,
                  re);
    ck_assert_msg(got == flags, "%s: %g*2^%ld flags %d, expected %d", s, m,
                  e, got, flags);
    mpfr_clears(x, y, (mpfr_ptr) NULL);
}

START_TEST(test_numfmt_round_edges)
{
    const int I = GC_ROUND_INEXACT, O = GC_ROUND_OVERFLOW,
              U = GC_ROUND_UNDERFLOW;

    gc_mpfr_widen_exponent_range();
    /* binary16 subnormal edge: 2^-25 is half of 2^-24, a tie -> 0 (even) */
    check_round("binary16", 1, -25, 0, 0, I | U);
    check_round("binary16", 3, -26, 1, -24, I);
    check_round("binary16", 3, -25, 2, -24, I); /* tie -> 2^-23, even */
    check_round("binary16", 5, -25, 2, -24, I); /* 2.5 ulp -> 2 */
    check_round("binary16", 1, -24, 1, -24, 0);
    check_round("binary16", 1, -26, 0, 0, I | U);
    /* ties to even in the normal range */
    check_round("binary16", 1 + ldexp(1, -11), 0, 1, 0, I);
    check_round("binary16", 1 + 3 * ldexp(1, -11), 0, 1 + ldexp(1, -9), 0, I);
    /* binary16 overflow: 65520 is the midpoint 65504 | 65536 -> inf */
    check_round("binary16", 65519, 0, 65504, 0, I);
    check_round("binary16", 65520, 0, INFINITY, 0, I | O);
    check_round("binary16", -1e9, 0, -INFINITY, 0, I | O);
    check_round("binary16:sat", 65520, 0, 65504, 0, I | O);
    check_round("binary16:nan", 65520, 0, NAN, 0, I | O);
    /* bfloat16 */
    check_round("bfloat16", 1 + ldexp(1, -8), 0, 1, 0, I);
    check_round("bfloat16", 1 + 3 * ldexp(1, -8), 0, 1 + ldexp(1, -6), 0, I);
    check_round("bfloat16", 2 - ldexp(1, -8), 127, INFINITY, 0, I | O);
    check_round("bfloat16", 1, -134, 0, 0, I | U);
    check_round("bfloat16", 3, -135, 1, -133, I);
    /* E5M2: 61440 is the midpoint 57344 | 65536 -> inf */
    check_round("e5m2", 61440, 0, INFINITY, 0, I | O);
    check_round("e5m2", 61439, 0, 57344, 0, I);
    check_round("e5m2", 1, -17, 0, 0, I | U);
    check_round("e5m2", 3, -18, 1, -16, I);
    check_round("e5m2:sat", 1e6, 0, 57344, 0, I | O);
    /* E4M3FN: 464 is the midpoint 448 | (missing) 480, a tie to even 448
       without overflow; above it the result overflows and saturates (or
       is NaN in the non-saturating mode); 480 and infinity too */
    check_round("e4m3", 464, 0, 448, 0, I);
    check_round("e4m3", 464.5, 0, 448, 0, I | O);
    check_round("e4m3", 480, 0, 448, 0, I | O);
    check_round("e4m3", -1e30, 0, -448, 0, I | O);
    check_round("e4m3", INFINITY, 0, 448, 0, 0);
    check_round("e4m3:nan", 464, 0, 448, 0, I);
    check_round("e4m3:nan", 465, 0, NAN, 0, I | O);
    check_round("e4m3:nan", -INFINITY, 0, NAN, 0, 0);
    check_round("e4m3", 1, -10, 0, 0, I | U);
    check_round("e4m3", 3, -11, 1, -9, I);
    check_round("e4m3", 3, -10, 2, -9, I);
    check_round("e4m3", 0.1, 0, 13, -7, I); /* 0.1 = 12.8 * 2^-7 */
    /* the custom twin of binary16 */
    check_round("custom:11,-23,16", 65520, 0, INFINITY, 0, I | O);
    check_round("custom:11,-23,16", 3, -26, 1, -24, I);
}
END_TEST

/* Value of the bit pattern u of a format with ebits/mbits, built here
   independently of the library (IEEE layout; e4m3fn: only S.1111.111 is
   NaN, no infinity). */
static void
value_from_bits(mpfr_t x, ulong u, int ebits, int mbits, int fn)
{
    ulong m = u & ((UWORD(1) << mbits) - 1);
    ulong e = (u >> mbits) & ((UWORD(1) << ebits) - 1);
    int neg = (u >> (ebits + mbits)) & 1;
    long bias = (1L << (ebits - 1)) - 1;
    ulong emax = (UWORD(1) << ebits) - 1;

    if (fn && e == emax && m == (UWORD(1) << mbits) - 1)
        mpfr_set_nan(x);
    else if (!fn && e == emax)
    {
        if (m != 0)
            mpfr_set_nan(x);
        else
            mpfr_set_inf(x, 1);
    }
    else if (e == 0)
        mpfr_set_ui_2exp(x, m, 1 - bias - mbits, MPFR_RNDN);
    else
        mpfr_set_ui_2exp(x, m + (UWORD(1) << mbits), (long) e - bias - mbits,
                         MPFR_RNDN);
    if (neg)
        mpfr_neg(x, x, MPFR_RNDN);
}

static const struct
{
    const char * name;
    int ebits, mbits, fn;
} bit_formats[] = {
    {"e4m3", 4, 3, 1},
    {"e5m2", 5, 2, 0},
    {"binary16", 5, 10, 0},
    {"bfloat16", 8, 7, 0}};

START_TEST(test_numfmt_all_patterns)
{
    gc_numfmt_t f;
    mpfr_t x, y;
    ulong u, n;
    int ebits = bit_formats[_i].ebits, mbits = bit_formats[_i].mbits;

    gc_mpfr_widen_exponent_range();
    fmt_set(f, bit_formats[_i].name);
    mpfr_inits2(16, x, y, (mpfr_ptr) NULL);
    n = UWORD(1) << (1 + ebits + mbits);
    for (u = 0; u < n; u++)
    {
        ulong e = (u >> mbits) & ((UWORD(1) << ebits) - 1);
        ulong m = u & ((UWORD(1) << mbits) - 1);
        gc_class_t c;
        int flags;

        value_from_bits(x, u, ebits, mbits, bit_formats[_i].fn);
        flags = gc_numfmt_round(y, x, f);
        ck_assert_msg(flags == 0 && ((mpfr_nan_p(x) && mpfr_nan_p(y))
                                     || (mpfr_equal_p(x, y)
                                         && mpfr_signbit(x)
                                                == mpfr_signbit(y))),
                      "%s: pattern 0x%lx = %g rounded to %g", f->name, u,
                      mpfr_get_d(x, MPFR_RNDN), mpfr_get_d(y, MPFR_RNDN));
        c = gc_numfmt_classify(y, f);
        ck_assert_msg(e != 0 || m == 0 || c == GC_CLASS_SUBNORMAL,
                      "%s: 0x%lx not subnormal", f->name, u);
        ck_assert_msg(e == 0 || !mpfr_regular_p(y) || c == GC_CLASS_NORMAL,
                      "%s: 0x%lx not normal", f->name, u);
#ifdef __FLT16_MAX__
        /* binary16: also through the compiler's _Float16 */
        if (ebits == 5 && mbits == 10)
        {
            _Float16 h;
            unsigned short s = (unsigned short) u;

            memcpy(&h, &s, 2);
            ck_assert_msg(mpfr_nan_p(x) ? isnan((double) h)
                                        : mpfr_cmp_d(x, (double) h) == 0,
                          "binary16 pattern 0x%lx", u);
        }
#endif
    }
    mpfr_clears(x, y, (mpfr_ptr) NULL);
}
END_TEST

/* Hardware conversions round correctly: random doubles around the
   binary32 subnormal range against (float), and, with _Float16, against
   the compiler's binary16 conversion. */
START_TEST(test_numfmt_round_random)
{
    flint_rand_t state;
    gc_numfmt_t f32, f16;
    mpfr_t x, y;
    slong i, n = gc_test_iters(20000);

    gc_mpfr_widen_exponent_range();
    gc_test_randinit(state);
    fmt_set(f32, "binary32-emu");
    fmt_set(f16, "binary16");
    mpfr_inits2(53, x, y, (mpfr_ptr) NULL);
    for (i = 0; i < n; i++)
    {
        double d = ldexp((double) n_randlimb(state), -64);

        d = ldexp(d, (int) n_randint(state, 300) - 160);
        if (n_randint(state, 2))
            d = -d;
        mpfr_set_d(x, d, MPFR_RNDN);
        gc_numfmt_round(y, x, f32);
        ck_assert_msg(mpfr_cmp_d(y, (double) (float) d) == 0,
                      "binary32: %a gave %a, seed=%lu", d,
                      mpfr_get_d(y, MPFR_RNDN),
                      gc_test_seed());
#ifdef __FLT16_MAX__
        d = ldexp((double) n_randlimb(state), -64);
        d = ldexp(d, (int) n_randint(state, 50) - 32);
        mpfr_set_d(x, d, MPFR_RNDN);
        gc_numfmt_round(y, x, f16);
        ck_assert_msg(mpfr_cmp_d(y, (double) (_Float16) d) == 0
                          || (mpfr_inf_p(y) && isinf((double) (_Float16) d)),
                      "binary16: %a gave %a, seed=%lu", d,
                      mpfr_get_d(y, MPFR_RNDN),
                      gc_test_seed());
#endif
    }
    mpfr_clears(x, y, (mpfr_ptr) NULL);
    flint_randclear(state);
}
END_TEST

START_TEST(test_numfmt_round_aliasing)
{
    gc_numfmt_t f;
    mpfr_t x;

    fmt_set(f, "e4m3");
    mpfr_init2(x, 80);
    mpfr_set_d(x, 0.1, MPFR_RNDN);
    ck_assert(gc_numfmt_round(x, x, f) == GC_ROUND_INEXACT);
    ck_assert(mpfr_cmp_d(x, 13.0 / 128) == 0);
    mpfr_clear(x);
}
END_TEST

/* ---- replays ------------------------------------------------------- */

/* Correctly rounded exp(x) in a format of precision p whose subnormals
   start at 2^(emin-1) (MPFR exponents), by MPFR's documented idiom; used
   to tell whether the C library's exp was correctly rounded. */
static void
exp_cr(mpfr_t r, const mpfr_t x, mpfr_exp_t emin, mpfr_exp_t emax)
{
    mpfr_exp_t e0 = mpfr_get_emin(), e1 = mpfr_get_emax();
    int t;

    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    t = mpfr_exp(r, x, MPFR_RNDN);
    t = mpfr_subnormalize(r, t, MPFR_RNDN);
    mpfr_set_emin(e0);
    mpfr_set_emax(e1);
}

/* Returns 1 if the C library's exp of type kind agrees with the correctly
   rounded exp at x (x and the result are numbers of the format). */
static int
libm_exp_ok(const mpfr_t x, const gc_numfmt_struct * f)
{
    mpfr_t r, c;
    int ok;

    mpfr_init2(r, f->prec);
    mpfr_init2(c, f->prec);
    exp_cr(c, x, f->emin, f->emax);
    switch (f->kind)
    {
        case GC_NUMFMT_DOUBLE:
            mpfr_set_d(r, exp(mpfr_get_d(x, MPFR_RNDN)), MPFR_RNDN);
            break;
        case GC_NUMFMT_FLOAT:
            mpfr_set_flt(r, expf(mpfr_get_flt(x, MPFR_RNDN)), MPFR_RNDN);
            break;
        case GC_NUMFMT_LONG_DOUBLE:
            mpfr_set_ld(r, expl(mpfr_get_ld(x, MPFR_RNDN)), MPFR_RNDN);
            break;
        default:
#ifdef GC_HAVE_QUADMATH
        {
            char buf[80];

            /* both ways through exact hexadecimal strings */
            mpfr_snprintf(buf, sizeof buf, "%Ra", x);
            quadmath_snprintf(buf, sizeof buf, "%.30Qa",
                              expq(strtoflt128(buf, NULL)));
            mpfr_set_str(r, buf, 0, MPFR_RNDN);
        }
#endif
        break;
    }
    ok = mpfr_equal_p(r, c) || (mpfr_inf_p(r) && mpfr_inf_p(c));
    mpfr_clear(r);
    mpfr_clear(c);
    return ok;
}

static int
same(mpfr_srcptr x, mpfr_srcptr y)
{
    return (mpfr_nan_p(x) && mpfr_nan_p(y)) || mpfr_equal_p(x, y);
}

/* Sets *net* to a random N(0, sd) chain of 1..maxlen layers drawn from a
   seed taken from *state* (kept in *rnd* for failure messages). */
static void
random_net(gc_net_t net, gc_random_t rnd, flint_rand_t state, double sd,
           slong maxlen)
{
    gc_dist_set_normal(&rnd->weights, 0, sd);
    gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
    gc_net_set_random(net, rnd, 1 + n_randint(state, maxlen));
}

/* 1 if the two replays hold the same numbers at every layer. */
static int
replay_equal(const gc_replay_t r, const gc_replay_t s)
{
    const gc_trace_struct * x = r->t, * y = s->t;
    slong j;

    for (j = 0; j < x->len; j++)
        if (!same(x->z + j, y->z + j) || !same(x->a + j + 1, y->a + j + 1)
            || !same(x->sp + j, y->sp + j) || !same(x->db + j, y->db + j)
            || !same(x->dw + j, y->dw + j))
            return 0;
    return 1;
}

static const char * native_pairs[][2] = {
    {"binary64", "binary64-emu"},
    {"binary32", "binary32-emu"},
#if LDBL_MANT_DIG == 64
    {"x87", "x87-emu"},
#endif
#ifdef GC_HAVE_QUADMATH
    {"binary128", "binary128-emu"},
#endif
};

#define N_NATIVE ((int) (sizeof native_pairs / sizeof native_pairs[0]))

/* Hardware replay against the MPFR emulation on random networks, for the
   loop index _i = 2 * pair + sequence.  Whenever the C library's exp was
   correctly rounded at every point of a network, the two must agree bit
   for bit; the networks and points where it was not are counted and
   printed. */
START_TEST(test_replay_native_random)
{
    flint_rand_t state;
    gc_numfmt_t hw, emu;
    gc_replay_t r, s;
    gc_net_t net;
    gc_random_t rnd;
    gc_seq_t seq = (_i % 2) ? GC_SEQ_STABLE : GC_SEQ_FRAMEWORK;
    slong i, j, n = gc_test_iters(200), bad_nets = 0, bad_points = 0;
    slong points = 0, overflowed = 0;
    mpfr_t x;

    fmt_set(hw, native_pairs[_i / 2][0]);
    fmt_set(emu, native_pairs[_i / 2][1]);
    if (hw->kind == GC_NUMFMT_LONG_DOUBLE && !x87_works())
    {
        printf("formats: long double is not x87 at run time, skipped\n");
        return;
    }
    gc_test_randinit(state);
    gc_replay_init(r);
    gc_replay_init(s);
    gc_net_init(net);
    mpfr_init2(x, 128);
    for (i = 0; i < n; i++)
    {
        int ok = 1;
        /* 30: sigmoids whose exp overflows; explode2000's gradients
           double a layer and overflow binary32 and binary64 */
        static const double sds[] = {0.5, 1, 3, 8, 30};

        if (i % 8 == 7)
            gc_test_read_ref_net(net, "explode2000");
        else
            random_net(net, rnd, state, sds[n_randint(state, 5)], 60);
        ck_assert(gc_replay(r, net, hw, seq, NULL) == GC_SUCCESS);
        ck_assert(gc_replay(s, net, emu, seq, NULL) == GC_SUCCESS);
        for (j = 0; j < net->len; j++)
        {
            /* the point of exp: -z_j, or -|z_j| */
            mpfr_neg(x, s->t->z + j, MPFR_RNDN);
            if (seq == GC_SEQ_STABLE && mpfr_sgn(x) > 0)
                mpfr_neg(x, x, MPFR_RNDN);
            points++;
            if (!libm_exp_ok(x, hw))
            {
                ok = 0;
                bad_points++;
            }
        }
        bad_nets += !ok;
        ck_assert_msg(!ok || replay_equal(r, s),
                      "%s differs from %s (%s), L=%ld sd=%g seed=%lu "
                      "test seed=%lu", hw->name, emu->name, gc_seq_name(seq),
                      net->len, rnd->weights.par[1], rnd->seed,
                      gc_test_seed());
        ck_assert(r->death.first_zero == s->death.first_zero || !ok);
        /* the hardware type counts the operations that overflow as its
           twin does (a review found binary64 counting none) */
        ck_assert_msg(!ok || (r->overflows == s->overflows
                              && r->overflow_layer == s->overflow_layer),
                      "%s: %ld overflows from layer %ld, %s: %ld from %ld "
                      "(seed %lu)", hw->name, (long) r->overflows,
                      (long) r->overflow_layer, emu->name,
                      (long) s->overflows, (long) s->overflow_layer,
                      gc_test_seed());
        overflowed += s->overflows > 0;
    }
    printf("formats: %s %s: C library exp not correctly rounded at %ld of "
           "%ld points, in %ld of %ld networks; %ld overflowed\n", hw->name,
           gc_seq_name(seq), bad_points, points, bad_nets, n, overflowed);
    /* (x87 and binary128 hold explode2000's gradients) */
    ck_assert_msg(overflowed > 0 || n < 50 || _i >= 4,
                  "no network overflowed");
    mpfr_clear(x);
    gc_net_clear(net);
    gc_replay_clear(r);
    gc_replay_clear(s);
    flint_randclear(state);
}
END_TEST

/* The independent oracle of the binary64 replay: the framework sequence
   as a plain C loop on doubles.  The replay must round after every
   operation, so no contraction of w*a + b into a fused multiply-add
   (GCC contracts by default in GNU C mode when the target has FMA). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

/* Returns the double nearest the rational *q* (ties to even, subnormals
   and overflow to infinity included).  *x* is scratch of 64 bits: *q* is
   rounded to odd there (truncate, then set the last bit if inexact),
   after which the rounding to nearest double is correct (64 >= 53 + 2).
   MPFR's range must hold the doubles. */
static double
q_get_d(const mpq_t q, mpfr_t x)
{
    if (mpfr_set_q(x, q, MPFR_RNDZ) != 0
        && mpfr_min_prec(x) < mpfr_get_prec(x))
    {
        if (mpfr_sgn(x) > 0)
            mpfr_nextabove(x);
        else
            mpfr_nextbelow(x);
    }
    return mpfr_get_d(x, MPFR_RNDN);
}

/* Sets db[j-1] = dC/db_j and dw[j-1] = dC/dw_j of the sigmoid, quadratic
   *net* (len >= 1) replayed in C doubles with the sequence
       z = w*a + b;  a = 1/(1 + exp(-z));  s' = a*(1 - a);
       delta_L = s'_L * (a_L - y);  delta_j = (delta_{j+1} * w_{j+1}) * s'_j
   after rounding every w_j, b_j, a_0 and y to the nearest double. */
static void
plain_binary64(double * db, double * dw, const gc_net_t net)
{
    slong j, len = net->len;
    double * w = flint_malloc(sizeof(double) * len);
    double a, b, z, y, delta;
    mpq_t qw, qb;
    mpfr_t x;

    mpq_init(qw);
    mpq_init(qb);
    mpfr_init2(x, 64);
    /* forward: dw[j-1] holds a_{j-1} and db[j-1] holds s'_j until the
       backward pass overwrites them */
    a = q_get_d(net->a0, x);
    y = q_get_d(net->y, x);
    for (j = 1; j <= len; j++)
    {
        gc_net_get_layer_q(qw, qb, net, j);
        w[j - 1] = q_get_d(qw, x);
        b = q_get_d(qb, x);
        dw[j - 1] = a;
        z = w[j - 1] * a + b;
        a = 1.0 / (1.0 + exp(-z));
        db[j - 1] = a * (1.0 - a);
    }
    delta = db[len - 1] * (a - y);
    for (j = len; j >= 1; j--)
    {
        if (j < len)
            delta = (delta * w[j]) * db[j - 1];
        db[j - 1] = delta;
        dw[j - 1] = dw[j - 1] * delta;
    }
    flint_free(w);
    mpfr_clear(x);
    mpq_clear(qw);
    mpq_clear(qb);
}

/* The hardware binary64 replay is the plain C loop, bit for bit. */
START_TEST(test_replay_binary64_oracle)
{
    flint_rand_t state;
    gc_numfmt_t f;
    gc_replay_t r;
    gc_net_t net;
    gc_random_t rnd;
    double * db, * dw;
    slong i, j, n = gc_test_iters(50);

    gc_test_randinit(state);
    fmt_set(f, "binary64");
    gc_replay_init(r);
    gc_net_init(net);
    for (i = 0; i < n; i++)
    {
        random_net(net, rnd, state, 2, 40);
        db = flint_malloc(net->len * sizeof(double));
        dw = flint_malloc(net->len * sizeof(double));
        plain_binary64(db, dw, net);
        ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL)
                  == GC_SUCCESS);
        for (j = 0; j < net->len; j++)
            ck_assert_msg(mpfr_cmp_d(r->t->db + j, db[j]) == 0
                              && mpfr_cmp_d(r->t->dw + j, dw[j]) == 0,
                          "layer %ld: %a vs %a, seed=%lu", j + 1,
                          mpfr_get_d(r->t->db + j, MPFR_RNDN),
                          db[j], gc_test_seed());
        flint_free(db);
        flint_free(dw);
    }
    gc_net_clear(net);
    gc_replay_clear(r);
    flint_randclear(state);
}
END_TEST

/* The binary64 replay of the exact networks: quarter600 is exact down to
   2^-1073 at j = 65, and 2^-1075 is a tie, rounded to even: 0 at j = 64;
   explode2000 has dC/db_j = 2^(1997 - j), but the framework order
   (delta_{j+1} w_{j+1}) s'_j already overflows at j = 975:
   delta_976 w_976 = 2^1021 * 8 = 2^1024 before the factor 1/4. */
START_TEST(test_replay_binary64_exact)
{
    gc_net_t net;
    gc_numfmt_t f;
    gc_replay_t r;
    slong j;

    gc_net_init(net);
    gc_replay_init(r);
    fmt_set(f, "binary64");
    gc_test_read_ref_net(net, "quarter600");
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    for (j = 65; j <= 600; j++)
        ck_assert_msg(mpfr_cmp_ui_2exp(r->t->db + j - 1, 1,
                                       -(2 * (600 - j) + 3)) == 0,
                      "quarter600: db_%ld = %a", (long) j,
                      mpfr_get_d(r->t->db + j - 1, MPFR_RNDN));
    ck_assert(mpfr_zero_p(r->t->db + 63) && !mpfr_signbit(r->t->db + 63));
    ck_assert(mpfr_cmp_ui_2exp(r->t->dw + 64, 1, -1074) == 0);
    /* db_91 = 2^-1021 is normal, db_90 = 2^-1023 subnormal */
    ck_assert_int_eq(r->death.first_subnormal, 90);
    ck_assert_int_eq(r->death.first_zero, 64);
    ck_assert_int_eq(r->death.first_inf, 0);
    ck_assert_int_eq(r->death.first_nan, 0);

    gc_test_read_ref_net(net, "explode2000");
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    for (j = 976; j <= 2000; j++)
        ck_assert(mpfr_cmp_ui_2exp(r->t->db + j - 1, 1, 2000 - j - 3) == 0);
    for (j = 1; j <= 975; j++)
        ck_assert_msg(mpfr_inf_p(r->t->db + j - 1)
                          && mpfr_sgn(r->t->db + j - 1) > 0,
                      "explode2000: db_%ld = %g", (long) j,
                      mpfr_get_d(r->t->db + j - 1, MPFR_RNDN));
    ck_assert_int_eq(r->death.first_inf, 975);
    ck_assert_int_eq(r->death.first_subnormal + r->death.first_zero
                         + r->death.first_nan, 0);
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* binary64 against the MPFR engine: a framework replay of a 4-layer
   N(0,1) chain keeps about 15 digits. */
START_TEST(test_replay_binary64_refdata)
{
    static const char * const names[] = {"n4_s0", "n4_s1"};
    gc_net_t net;
    gc_numfmt_t f;
    gc_replay_t r;
    gc_trace_t t;
    slong j;

    gc_net_init(net);
    gc_replay_init(r);
    fmt_set(f, "binary64");
    gc_test_read_ref_net(net, names[_i]);
    gc_trace_init(t, 4, 128);
    ck_assert_int_eq(gc_eval_mpfr(t, net), GC_SUCCESS);
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    for (j = 0; j < 4; j++)
    {
        double x = mpfr_get_d(t->db + j, MPFR_RNDN);
        double y = mpfr_get_d(t->dw + j, MPFR_RNDN);
        double u = mpfr_get_d(r->t->db + j, MPFR_RNDN);
        double v = mpfr_get_d(r->t->dw + j, MPFR_RNDN);

        ck_assert_msg(fabs(u - x) <= 1e-14 * fabs(x), "db_%ld: %.17g %.17g",
                      (long) j + 1, u, x);
        ck_assert(fabs(v - y) <= 1e-14 * fabs(y));
    }
    gc_trace_clear(t);
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* The replay rounds the exact rationals to nearest (not truncating, not
   rounding twice): 1/3 and 2/3 give the doubles nearest to them, and
   1/2 + 2^-54 + 2^-70, just above the midpoint of two doubles, rounds up
   (rounding first to 64 bits, then to 53, would give 1/2). */
START_TEST(test_replay_binary64_rounding)
{
    gc_net_t net;
    gc_numfmt_t f;
    gc_replay_t r;
    double ref_db, a, s;
    mpfr_t x;

    gc_net_init(net);
    gc_replay_init(r);
    fmt_set(f, "binary64");
    gc_net_set_length(net, 1);
    mpq_set_ui(net->w, 2, 3);
    mpq_set_ui(net->b, 0, 1);
    mpq_set_ui(net->a0, 1, 3);
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    a = 1.0 / (1.0 + exp(-((2.0 / 3.0) * (1.0 / 3.0))));
    s = a * (1.0 - a);
    ref_db = s * (a - 0.0);
    ck_assert_msg(mpfr_cmp_d(r->t->db, ref_db) == 0, "%a %a",
                  mpfr_get_d(r->t->db, MPFR_RNDN), ref_db);
    ck_assert(mpfr_cmp_d(r->t->dw, (1.0 / 3.0) * ref_db) == 0);

    /* z = 0: a = 1/2, s' = 1/4, db = (1/2 - y)/4 with y the double */
    mpfr_init2(x, 200);
    mpfr_set_ui_2exp(x, 1, -1, MPFR_RNDN);
    mpfr_add_d(x, x, ldexp(1.0, -54) + ldexp(1.0, -70), MPFR_RNDN);
    mpfr_get_q(net->y, x);
    mpq_set_ui(net->w, 0, 1);
    mpq_set_ui(net->a0, 0, 1);
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    ck_assert(mpfr_cmp_si_2exp(r->t->db, -1, -55) == 0);
    /* y = 1 + 2^-53 + 2^-60: nearest is 1 + 2^-52 (truncation gives 1) */
    mpfr_set_ui(x, 1, MPFR_RNDN);
    mpfr_add_d(x, x, ldexp(1.0, -53) + ldexp(1.0, -60), MPFR_RNDN);
    mpfr_get_q(net->y, x);
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    ck_assert(mpfr_cmp_d(r->t->db, 0.25 * (0.5 - (1.0 + ldexp(1.0, -52))))
              == 0);
    mpfr_clear(x);
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* quarter600: w = 1, b = -1/2, a_0 = 1/2, y = 0, so z_j = 0, a_j = 1/2,
   s'_j = 1/4 and dC/db_j = 2^-(2(L-j)+3) exactly.  Both sequences compute
   every intermediate exactly in every format tested, even E4M3: 1, 1/2,
   1/4, exp(0) = 1, 1 + 1 = 2, 1/2, 1 - 1/2 (and 1/(1+1)^2) are numbers
   of p >= 3 bits well inside [2^-6, 448], and w_j = 1 is representable,
   so the parameters do not change (E4M3 can hold these weights).  The
   backward products delta_{j+1} * 1 * 1/4 stay exact powers of two until
   they fall below the min subnormal 2^k: a power of two 2^e < 2^k is then
   rounded to 0 if e <= k - 1 (e = k - 1 is the tie, to even 0).  So the
   first zero from the output is the largest j with
   -(2(L-j)+3) <= k - 1, and the first subnormal the largest j with
   2^-(2(L-j)+3) below the min normal 2^n.  With a loss scale S = 2^s
   the format holds 2^(s-(2(L-j)+3)) and the gradient is unscaled in the
   scale format U (binary32 for the narrow formats, the format itself
   otherwise: documented policy), whose min subnormal is 2^ku: zero when
   s - (2(L-j)+3) <= k - 1 or -(2(L-j)+3) <= ku - 1. */
static const struct
{
    const char * name;
    long n, k;   /* min normal 2^n, min subnormal 2^k */
    long ku;     /* min subnormal of the scale format */
    long s;      /* log2 of the loss scale tested */
} quarter_formats[] = {
    {"binary64", -1022, -1074, -1074, 16},
    {"binary32", -126, -149, -149, 16},
    {"bfloat16", -126, -133, -149, 16},
    {"binary16", -14, -24, -149, 16},
    {"e5m2", -14, -16, -149, 14},
    {"e4m3", -6, -9, -149, 8},
    {"binary64-emu", -1022, -1074, -1074, 32},
    {"mixed:binary16/binary32", -14, -24, -149, 16},
    {"custom:5,-30,10", -27, -31, -149, 6},
#if LDBL_MANT_DIG == 64
    {"x87", -16382, -16445, -16445, 16},
#endif
};

static slong
quarter_first(slong L, long s, long k, long ku)
{
    slong j;

    for (j = L; j >= 1; j--)
        if (s - (2 * (L - j) + 3) <= k - 1 || -(2 * (L - j) + 3) <= ku - 1)
            return j;
    return 0;
}

START_TEST(test_replay_quarter600)
{
    gc_net_t net;
    gc_numfmt_t f;
    gc_replay_t r;
    mpfr_t scale;
    slong L, j, first, zero, sub, zs;
    long n = quarter_formats[_i].n, k = quarter_formats[_i].k;
    long ku = quarter_formats[_i].ku, s = quarter_formats[_i].s;
    int seq;

    gc_net_init(net);
    gc_test_read_ref_net(net, "quarter600");
    L = net->len;
    ck_assert(L == 600);
    fmt_set(f, quarter_formats[_i].name);
    if (f->kind == GC_NUMFMT_LONG_DOUBLE && !x87_works())
    {
        gc_net_clear(net);
        return;
    }
    gc_replay_init(r);
    mpfr_init2(scale, 64);

    zero = quarter_first(L, 0, k, k);
    for (sub = L; sub >= 1 && -(2 * (L - sub) + 3) >= n; sub--)
        ;
    zs = quarter_first(L, s, k, ku);
    for (seq = 0; seq < 2; seq++)
    {
        ck_assert(gc_replay(r, net, f, (gc_seq_t) seq, NULL) == GC_SUCCESS);
        ck_assert(r->changed == 0 && r->overflows == 0);
        ck_assert_msg(r->death.first_zero == zero,
                      "%s: first zero %ld, expected %ld", f->name,
                      r->death.first_zero, zero);
        ck_assert_msg(r->death.first_subnormal == sub,
                      "%s: first subnormal %ld, expected %ld", f->name,
                      r->death.first_subnormal, sub);
        ck_assert(r->death.first_inf == 0 && r->death.first_nan == 0);
        /* the exact values where they are representable */
        for (j = L; j > zero; j--)
            ck_assert_msg(mpfr_cmp_ui_2exp(r->t->db + j - 1, 1,
                                           -(2 * (L - j) + 3)) == 0,
                          "%s: layer %ld is %La", f->name, j,
                          mpfr_get_ld(r->t->db + j - 1, MPFR_RNDN));

        mpfr_set_ui_2exp(scale, 1, s, MPFR_RNDN);
        ck_assert(gc_replay(r, net, f, (gc_seq_t) seq, scale)
                  == GC_SUCCESS);
        ck_assert(r->scale_overflow == 0 && r->overflows == 0);
        ck_assert_msg(r->death.first_zero == zs,
                      "%s scaled 2^%ld: first zero %ld, expected %ld",
                      f->name, s, r->death.first_zero, zs);
        for (j = L; j > zs; j--)
            ck_assert(mpfr_cmp_ui_2exp(r->t->db + j - 1, 1,
                                       -(2 * (L - j) + 3)) == 0);
    }
    /* the gain in layers: s/2 where the scale format reaches lower
       (narrow formats), none where it is the format itself */
    first = zero - zs;
    if (ku < k)
        ck_assert_msg(zero == 0 || first == s / 2,
                      "%s: loss scale 2^%ld gained %ld layers", f->name, s,
                      first);
    else
        ck_assert(first == 0);
    mpfr_clear(scale);
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* Loss scales that overflow: E4M3 saturates silently (GradScaler cannot
   see it), E4M3 non-saturating and E5M2 give NaN / inf (a skipped step). */
START_TEST(test_replay_scale_overflow)
{
    gc_net_t net;
    gc_numfmt_t f;
    gc_replay_t r;
    mpfr_t scale;
    slong L;

    gc_net_init(net);
    gc_test_read_ref_net(net, "quarter600");
    L = net->len;
    gc_replay_init(r);
    mpfr_init2(scale, 64);

    /* dC/da_L = 1/2, times 2^16 = 2^15 > 448: saturates to 448, so
       delta_L = 112 and dC/db_L = 112 / 2^16 = 7 * 2^-12 instead of 2^-3 */
    fmt_set(f, "e4m3");
    mpfr_set_ui_2exp(scale, 1, 16, MPFR_RNDN);
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, scale) == GC_SUCCESS);
    ck_assert(r->overflows == 1 && r->scale_overflow == 0);
    ck_assert(mpfr_cmp_ui_2exp(r->t->db + L - 1, 7, -12) == 0);
    ck_assert(r->value_format->prec == 24);

    fmt_set(f, "e4m3:nan");
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, scale) == GC_SUCCESS);
    ck_assert(r->scale_overflow == L && r->death.first_nan == L);
    ck_assert(r->scaled_class[0] == GC_CLASS_NAN);

    /* E5M2: 2^16 * 1/2 = 2^15 fits, 2^17 * 1/2 = 65536 > 61440 -> inf */
    fmt_set(f, "e5m2");
    mpfr_set_ui_2exp(scale, 1, 17, MPFR_RNDN);
    ck_assert(gc_replay(r, net, f, GC_SEQ_STABLE, scale) == GC_SUCCESS);
    ck_assert(r->scale_overflow == L && r->death.first_inf == L);
    fmt_set(f, "binary16");
    ck_assert(gc_replay(r, net, f, GC_SEQ_STABLE, scale) == GC_SUCCESS);
    ck_assert(r->scale_overflow == L && r->death.first_inf == L);
    mpfr_set_ui_2exp(scale, 1, 16, MPFR_RNDN);
    ck_assert(gc_replay(r, net, f, GC_SEQ_STABLE, scale) == GC_SUCCESS);
    ck_assert(r->scale_overflow == 0 && r->death.first_inf == 0);

    mpfr_clear(scale);
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* Parameters a format cannot hold: E4M3 saturates |w| > 448 and flushes
   tiny ones to zero. */
START_TEST(test_replay_params)
{
    gc_net_t net;
    gc_numfmt_t f;
    gc_replay_t r;
    gc_parse_error_t err;

    gc_net_init(net);
    ck_assert(gc_net_read_str(net, "a0 1\ny 0\n500 0.0001\n0.1 -1000\n"
                                   "1 0.5\n", err) == GC_SUCCESS);
    gc_replay_init(r);
    fmt_set(f, "e4m3");
    ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
    ck_assert(r->w_flags[0] == (GC_ROUND_INEXACT | GC_ROUND_OVERFLOW));
    ck_assert(r->b_flags[0] == (GC_ROUND_INEXACT | GC_ROUND_UNDERFLOW));
    ck_assert(r->w_flags[1] == GC_ROUND_INEXACT);
    ck_assert(r->b_flags[1] == (GC_ROUND_INEXACT | GC_ROUND_OVERFLOW));
    ck_assert(r->w_flags[2] == 0 && r->b_flags[2] == 0);
    ck_assert(r->a0_flags == 0 && r->y_flags == 0);
    ck_assert(r->changed == 4 && r->overflowed == 2 && r->underflowed == 1);
    ck_assert_int_eq(gc_replay_first_param(r, GC_ROUND_OVERFLOW), 1);
    ck_assert_int_eq(gc_replay_first_param(r, GC_ROUND_UNDERFLOW), 1);
    ck_assert_int_eq(gc_replay_first_param(r, GC_ROUND_INEXACT), 1);
    fmt_set(f, "binary64");
    ck_assert(gc_replay(r, net, f, GC_SEQ_STABLE, NULL) == GC_SUCCESS);
    ck_assert(r->changed == 2 && r->overflowed == 0 && r->underflowed == 0);
    /* 0.0001 in layer 1 and 0.1 in layer 2 change; nothing overflows */
    ck_assert_int_eq(gc_replay_first_param(r, GC_ROUND_INEXACT), 1);
    ck_assert_int_eq(gc_replay_first_param(r, GC_ROUND_OVERFLOW), 0);
    ck_assert_int_eq(gc_replay_first_param(r, GC_ROUND_UNDERFLOW), 0);
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* A mixed format whose storage is its compute format is that format. */
START_TEST(test_replay_mixed_same)
{
    flint_rand_t state;
    gc_numfmt_t f, g;
    gc_replay_t r, s;
    gc_net_t net;
    gc_random_t rnd;
    slong i, n = gc_test_iters(30);

    gc_test_randinit(state);
    fmt_set(f, "binary16");
    fmt_set(g, "mixed:binary16/binary16");
    gc_replay_init(r);
    gc_replay_init(s);
    gc_net_init(net);
    for (i = 0; i < n; i++)
    {
        random_net(net, rnd, state, 1.5, 30);
        ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
        ck_assert(gc_replay(s, net, g, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
        ck_assert_msg(replay_equal(r, s), "seed=%lu", gc_test_seed());
    }
    gc_net_clear(net);
    gc_replay_clear(r);
    gc_replay_clear(s);
    flint_randclear(state);
}
END_TEST

/* The three sequences compute the same derivatives by different
   formulas: in binary128-emu, on a random 12-layer N(0,1) chain with
   activation _i (and, for the sigmoid, cross-entropy: BCELoss's backward
   against a_L - y), their dC/db_j agree to 2^-45 relatively (pytorch's
   constants are binary64 numbers). */
START_TEST(test_replay_sequences_agree)
{
    const gc_cost_t costs[2] = {GC_COST_QUADRATIC, GC_COST_CROSS_ENTROPY};
    gc_random_t rnd;
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_net_t net;
    gc_replay_t r, s;
    mpfr_t d;
    slong j;
    int seq, k;

    gc_net_init(net);
    gc_replay_init(r);
    gc_replay_init(s);
    mpfr_init2(d, 113);
    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, gc_test_seed() + _i);
    gc_net_set_random(net, rnd, 12);
    mpq_set_ui(net->y, 1, 3);
    net->act.kind = (gc_act_t) _i;
    ck_assert(gc_numfmt_set_str(f, "binary128-emu", err) == GC_SUCCESS);
    for (k = 0; k < (_i == GC_ACT_SIGMOID ? 2 : 1); k++)
    {
        net->cost = costs[k];
        ck_assert(gc_replay(r, net, f, GC_SEQ_PYTORCH, NULL) == GC_SUCCESS);
        for (seq = GC_SEQ_TEXTBOOK; seq <= GC_SEQ_STABLE; seq++)
        {
            ck_assert(gc_replay(s, net, f, (gc_seq_t) seq, NULL)
                      == GC_SUCCESS);
            for (j = 1; j <= 12; j++)
            {
                mpfr_srcptr x = r->t->db + j - 1, y = s->t->db + j - 1;

                mpfr_sub(d, x, y, MPFR_RNDN);
                ck_assert_msg(mpfr_zero_p(y) ? mpfr_zero_p(x)
                              : mpfr_cmpabs(d, y) <= 0
                                && (mpfr_zero_p(d)
                                    || mpfr_get_exp(d)
                                       <= mpfr_get_exp(y) - 45),
                              "%s %s cost %d layer %ld seed=%lu",
                              gc_act_name((gc_act_t) _i),
                              gc_seq_name((gc_seq_t) seq), k, j,
                              gc_test_seed());
            }
        }
    }
    mpfr_clear(d);
    gc_replay_clear(r);
    gc_replay_clear(s);
    gc_net_clear(net);
}
END_TEST

/* The pytorch sequence against PyTorch 1.13's autograd (CPU), from
   tests/data/torch (made by make_reference.py there): 20 random N(0,1)
   chains of 1200 layers, regenerated here from their seeds, per
   activation (every value of chains 1 and 2 in binary64, of chain 1 in
   binary32 and bfloat16; the first zero layer of every chain).
   torch_bad_values[act][k] is the most layers that may differ (format
   k: binary64, binary32, bfloat16): PyTorch's tanh is SLEEF's, not the
   C library's (measured with glibc 2.36: 800 of 2400, 37 of 1200);
   torch_bad_zero, the most chains whose first zero layer differs.  GC_TORCH_REPORT=1
   prints the figures. */
#define TORCH_LAYERS 1200
static const char * const torch_fmts[] = {"binary64", "binary32",
                                          "bfloat16"};
static const slong torch_bad_values[7][3] = {
    {0, 0, 0}, {800, 37, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
    {0, 0, 0}, {0, 0, 0}};
static const slong torch_bad_zero[7][3] = {{0}};

/* Replays the chain *seed* with activation *act* in format k. */
static void
torch_replay(gc_replay_t r, gc_net_t net, gc_act_t act, ulong seed, int k)
{
    gc_random_t rnd;
    gc_numfmt_t f;
    gc_parse_error_t err;

    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, seed);
    gc_net_set_random(net, rnd, TORCH_LAYERS);
    net->act.kind = act;
    ck_assert(gc_numfmt_set_str(f, torch_fmts[k], err) == GC_SUCCESS);
    ck_assert(gc_replay(r, net, f, GC_SEQ_PYTORCH, NULL) == GC_SUCCESS);
}

START_TEST(test_replay_pytorch_refdata)
{
    const char * act_name = gc_act_names()[_i];
    char path[512], an[32], fn[32], hex[64];
    gc_net_t net;
    gc_replay_t r;
    mpfr_t x;
    slong bad[3] = {0, 0, 0}, n[3] = {0, 0, 0}, zbad[3] = {0, 0, 0};
    slong zn[3] = {0, 0, 0}, j, zero;
    ulong seed, cur = 0;
    gc_act_t act;
    int k, curk = -1;
    FILE * in;

    ck_assert(gc_act_set_str(&act, act_name) == GC_SUCCESS);
    gc_net_init(net);
    gc_replay_init(r);
    mpfr_init2(x, 53);
    snprintf(path, sizeof path, "%s/../torch/values.txt", GC_TEST_REFDIR);
    in = fopen(path, "r");
    ck_assert_msg(in != NULL, "cannot open %s", path);
    fscanf(in, "%*[^\n]");
    while (fscanf(in, "%31s %31s %lu %ld %63s", an, fn, &seed, &j, hex)
           == 5)
    {
        if (strcmp(an, act_name) != 0)
            continue;
        for (k = 0; strcmp(fn, torch_fmts[k]) != 0; k++)
            ck_assert(k < 2);
        if (k != curk || seed != cur)
            torch_replay(r, net, act, seed, k);
        curk = k;
        cur = seed;
        ck_assert(mpfr_set_str(x, hex, 0, MPFR_RNDN) == 0);
        n[k]++;
        bad[k] += !mpfr_equal_p(x, r->t->db + j - 1)
                  && !(mpfr_nan_p(x) && mpfr_nan_p(r->t->db + j - 1));
    }
    fclose(in);
    snprintf(path, sizeof path, "%s/../torch/first_zero.txt",
             GC_TEST_REFDIR);
    in = fopen(path, "r");
    ck_assert_msg(in != NULL, "cannot open %s", path);
    fscanf(in, "%*[^\n]");
    while (fscanf(in, "%31s %31s %lu %ld", an, fn, &seed, &zero) == 4)
    {
        if (strcmp(an, act_name) != 0)
            continue;
        for (k = 0; strcmp(fn, torch_fmts[k]) != 0; k++)
            ck_assert(k < 2);
        torch_replay(r, net, act, seed, k);
        zn[k]++;
        zbad[k] += (r->death.first_zero != zero);
    }
    fclose(in);
    for (k = 0; k < 3; k++)
    {
        if (getenv("GC_TORCH_REPORT") != NULL)
            fprintf(stderr, "%-10s %-8s values %ld/%ld differ, first zero "
                    "%ld/%ld differ\n", act_name, torch_fmts[k], bad[k], n[k],
                    zbad[k], zn[k]);
        ck_assert_msg(zn[k] == 20 && bad[k] <= torch_bad_values[_i][k]
                      && zbad[k] <= torch_bad_zero[_i][k],
                      "%s %s: %ld of %ld values and %ld of %ld first zero "
                      "layers differ from PyTorch's", act_name,
                      torch_fmts[k], bad[k], n[k], zbad[k], zn[k]);
    }
    mpfr_clear(x);
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* ---- rounding modifiers: directed, stochastic, flush to zero --------- */

/* Checks that gc_numfmt_set_str refuses each of the n names. */
static void
refused_names(const char * const * names, size_t n)
{
    gc_parse_error_t err;
    gc_numfmt_t f;
    size_t i;

    for (i = 0; i < n; i++)
        ck_assert_msg(gc_numfmt_set_str(f, names[i], err) == GC_INVALID,
                      "accepted '%s'", names[i]);
}

START_TEST(test_numfmt_modifier_names)
{
    static const char * bad[] = {
        "binary32:ftz", "binary64:rz", "binary16:rz:ru", "binary16:ftz:ftz",
        "binary16:sat:nan", "e4m3:inf:sr", "bfloat16:rn", "bfloat16:sr:",
        ":sr", "mixed:binary16:sr/binary32", "binary16:SR"};
    static const struct
    {
        const char * in, * name;
        gc_numfmt_rnd_t rnd;
        int ftz;
        gc_overflow_t overflow;
    } good[] = {
        {"bfloat16:sr", "bfloat16:sr", GC_NUMFMT_RNDSR, 0, GC_OVERFLOW_INF},
        {"bfloat16:ftz:sr", "bfloat16:sr:ftz", GC_NUMFMT_RNDSR, 1,
         GC_OVERFLOW_INF},
        {"binary16:sat:rz", "binary16:rz:sat", GC_NUMFMT_RNDZ, 0,
         GC_OVERFLOW_SATURATE},
        {"e4m3:nan:ftz:ru", "e4m3:ru:ftz:nan", GC_NUMFMT_RNDU, 1,
         GC_OVERFLOW_NAN},
        {"e4m3:nan", "e4m3:nan", GC_NUMFMT_RNDN, 0, GC_OVERFLOW_NAN},
        {"binary32-emu:ftz", "binary32-emu:ftz", GC_NUMFMT_RNDN, 1,
         GC_OVERFLOW_INF},
        {"custom:5,-30,10:rd", "custom:5,-30,10:rd", GC_NUMFMT_RNDD, 0,
         GC_OVERFLOW_INF},
        {"mixed:bfloat16/binary32:sr", "mixed:bfloat16/binary32:sr",
         GC_NUMFMT_RNDSR, 0, GC_OVERFLOW_INF}};
    gc_parse_error_t err;
    gc_numfmt_t f;
    gc_numfmt_struct * v;
    slong i, n;

    refused_names(bad, sizeof bad / sizeof bad[0]);
    ck_assert(gc_numfmt_set_str(f, "binary32:ftz", err) == GC_INVALID);
    ck_assert_msg(strstr(err->msg, "binary32-emu:ftz") != NULL, "%s",
                  err->msg);
    for (i = 0; i < (slong) (sizeof good / sizeof good[0]); i++)
    {
        fmt_set(f, good[i].in);
        ck_assert_str_eq(f->name, good[i].name);
        ck_assert_msg(f->rnd == good[i].rnd && f->ftz == good[i].ftz
                          && f->overflow == good[i].overflow
                          && f->sr_seed == 0,
                      "%s", good[i].in);
    }
    fmt_set(f, "mixed:bfloat16/binary32:sr");
    ck_assert(f->compute->rnd == GC_NUMFMT_RNDN && f->prec == 8);
    fmt_set(f, "bfloat16");
    ck_assert(f->rnd == GC_NUMFMT_RNDN && f->ftz == 0);
    gc_numfmt_set_sr_seed(f, 42);
    ck_assert(f->sr_seed == 42);
    ck_assert(gc_numfmt_mpfr_rnd(f) == MPFR_RNDN);
    fmt_set(f, "binary16:ru");
    ck_assert(gc_numfmt_mpfr_rnd(f) == MPFR_RNDU);

    ck_assert(gc_numfmt_list_set_str(&v, &n, "bfloat16:sr:ftz,custom:5,-30,"
                                     "10:rz,binary16:ftz", err)
              == GC_SUCCESS);
    ck_assert(n == 3 && v[1].prec == 5 && v[1].rnd == GC_NUMFMT_RNDZ);
    ck_assert(v[0].rnd == GC_NUMFMT_RNDSR && v[0].ftz && v[2].ftz);
    flint_free(v);
}
END_TEST

/* The SR stream against an independent implementation (Python, with
   the SplitMix64 of Vigna's splitmix64.c, whose first output seeded
   with 0 is 0xe220a8397b1dcdaf). */
START_TEST(test_numfmt_sr_word)
{
    ck_assert(gc_numfmt_sr_word(0, 0, 0, 0) == UWORD(0x238275bc38fcbe91));
    ck_assert(gc_numfmt_sr_word(7, GC_SR_FORWARD, 1, 0)
              == UWORD(0xc0a6b8c60b450390));
    ck_assert(gc_numfmt_sr_word(7, GC_SR_BACKWARD, 600, 3)
              == UWORD(0x2516d4e5d1916ced));
    ck_assert(gc_numfmt_sr_word(UWORD_MAX, GC_SR_FORWARD, 123456789, 41)
              == UWORD(0xe9bcf7a19e2a0f94));
}
END_TEST

/* Rounds x in f with the mode given as a modifier of the base name. */
static int
round_mode(mpfr_t res, const mpfr_t x, const char * base, const char * mod)
{
    char name[GC_NUMFMT_NAME_MAX];
    gc_numfmt_t f;

    snprintf(name, sizeof name, "%s%s", base, mod);
    fmt_set(f, name);
    return gc_numfmt_round(res, x, f);
}

/* Directed modes of random values: RD(x) <= x <= RU(x), the two are
   neighbours in the format (their midpoint rounds down to RD and up to
   RU) or equal exactly when x is a format number, RZ is RD or RU by the
   sign, RN is one of them. */
START_TEST(test_numfmt_round_directed)
{
    static const char * bases[] = {"binary16", "bfloat16", "e5m2",
                                   "e4m3", "custom:5,-30,10"};
    flint_rand_t state;
    mpfr_t x, rd, ru, rz, rn, m, y;
    slong i, k, n = gc_test_iters(2000);

    gc_test_randinit(state);
    _flint_rand_init_gmp(state);
    mpfr_inits2(128, x, rd, ru, rz, rn, m, y, (mpfr_ptr) NULL);
    for (k = 0; k < (slong) (sizeof bases / sizeof bases[0]); k++)
        for (i = 0; i < n; i++)
        {
            const char * b = bases[k];

            /* magnitudes from below the min subnormal to max finite */
            mpfr_urandomb(x, state->gmp_state);
            mpfr_mul_2si(x, x, (slong) n_randint(state, 50) - 36,
                         MPFR_RNDN);
            if (n_randint(state, 2))
                mpfr_neg(x, x, MPFR_RNDN);
            if (n_randint(state, 8) == 0) /* a format number */
                round_mode(x, x, b, "");
            round_mode(rd, x, b, ":rd");
            round_mode(ru, x, b, ":ru");
            round_mode(rz, x, b, ":rz");
            round_mode(rn, x, b, "");
            if (mpfr_cmpabs_ui(x, 400) > 0)
                continue; /* overflow: tested below */
            ck_assert_msg(mpfr_lessequal_p(rd, x) && mpfr_lessequal_p(x, ru),
                          "%s x=%a rd=%a ru=%a seed=%lu", b, mpfr_get_d(x, MPFR_RNDN), mpfr_get_d(rd, MPFR_RNDN),
                          mpfr_get_d(ru, MPFR_RNDN),
                          gc_test_seed());
            ck_assert(mpfr_equal_p(rz, mpfr_sgn(x) >= 0 ? rd : ru));
            ck_assert(mpfr_equal_p(rn, rd) || mpfr_equal_p(rn, ru));
            if (mpfr_equal_p(rd, ru))
            {
                ck_assert(mpfr_equal_p(rd, x));
                continue;
            }
            mpfr_add(m, rd, ru, MPFR_RNDN);
            mpfr_div_2ui(m, m, 1, MPFR_RNDN);
            round_mode(y, m, b, ":rd");
            ck_assert_msg(mpfr_equal_p(y, rd), "%s x=%a", b, mpfr_get_d(x, MPFR_RNDN));
            round_mode(y, m, b, ":ru");
            ck_assert_msg(mpfr_equal_p(y, ru), "%s x=%a", b, mpfr_get_d(x, MPFR_RNDN));
        }
    mpfr_clears(x, rd, ru, rz, rn, m, y, (mpfr_ptr) NULL);
    flint_randclear(state);
}
END_TEST

/* Directed modes at the edges: IEEE overflow (max finite toward zero,
   infinity away, then the policy) and the subnormal boundary. */
START_TEST(test_numfmt_round_directed_edges)
{
    static const struct
    {
        const char * fmt;
        double x, res; /* res: HUGE_VAL for inf, NAN for NaN */
        int flags;
    } cases[] = {
        {"binary16:rz", 1e6, 65504, 3},   {"binary16:rd", 1e6, 65504, 3},
        {"binary16:ru", 1e6, HUGE_VAL, 3}, {"binary16:rz", -1e6, -65504, 3},
        {"binary16:ru", -1e6, -65504, 3}, {"binary16:rd", -1e6, -HUGE_VAL, 3},
        {"binary16:ru", 65504.5, HUGE_VAL, 3},
        {"binary16:rz", 65535.9, 65504, 1}, /* RZ to p bits: 65504 */
        {"binary16:ru:sat", 1e6, 65504, 3},
        {"binary16:ru:nan", 1e6, NAN, 3},
        {"binary16:rz:nan", 1e6, 65504, 3},
        {"binary16:rz", HUGE_VAL, HUGE_VAL, 0},
        /* E4M3: 464 rounds up to the missing 480: beyond 448 */
        {"e4m3:rz", 470, 448, 1},         {"e4m3:ru", 449, 448, 3},
        {"e4m3:ru:nan", 449, NAN, 3},     {"e4m3:rz:nan", 1000, 448, 3},
        {"e4m3:rd", -449, -448, 3},
        /* binary16: min subnormal 2^-24, min normal 2^-14 */
        {"binary16:rd", 0x1p-26, 0, 5},   {"binary16:ru", 0x1p-26, 0x1p-24, 1},
        {"binary16:rz", 0x1p-26, 0, 5},   {"binary16:rd", -0x1p-26, -0x1p-24, 1},
        {"binary16:ru", -0x1p-26, -0.0, 5},
        {"binary16:rd", 0x1.ffp-15, 0x1.ffp-15, 0},
        {"binary16:ru", 0x1.ff9p-15, 0x1p-14, 1},
        {"binary16:rd", 0x1.ff9p-15, 0x1.ff8p-15, 1},
        {"binary16:ru", 0x1.0001p-14, 0x1.004p-14, 1},
        /* FTZ: tininess after rounding to p bits */
        {"binary16:ftz", 0x1.ffp-15, 0, 5},
        {"binary16:ftz", -0x1.ffp-15, -0.0, 5},
        {"binary16:ftz", 0x1.fff8p-15, 0x1p-14, 1},
        /* 2^-14 - 3 2^-27: p bits give 2^-14 - 2^-25, tiny; the
           subnormals' grid gives 2^-14 */
        {"binary16:ftz", 0x1.ffdp-15, 0, 5},
        {"binary16", 0x1.ffdp-15, 0x1p-14, 1},
        {"binary16:ru:ftz", 0x1p-26, 0, 5},
        {"binary16:ftz", 0x1p-14, 0x1p-14, 0}};
    mpfr_t x, y;
    gc_numfmt_t f;
    slong i;
    int flags;

    mpfr_inits2(64, x, y, (mpfr_ptr) NULL);
    for (i = 0; i < (slong) (sizeof cases / sizeof cases[0]); i++)
    {
        fmt_set(f, cases[i].fmt);
        mpfr_set_d(x, cases[i].x, MPFR_RNDN);
        flags = gc_numfmt_round(y, x, f);
        ck_assert_msg(flags == cases[i].flags, "%s(%a): flags %d", f->name,
                      cases[i].x, flags);
        if (isnan(cases[i].res))
            ck_assert_msg(mpfr_nan_p(y), "%s(%a)", f->name, cases[i].x);
        else
            ck_assert_msg(mpfr_cmp_d(y, cases[i].res) == 0
                              && mpfr_signbit(y) == signbit(cases[i].res),
                          "%s(%a) = %a", f->name, cases[i].x, mpfr_get_d(y, MPFR_RNDN));
    }
    mpfr_clears(x, y, (mpfr_ptr) NULL);
}
END_TEST

/* Counts, in n stochastic roundings of x to f with the words of the
   stream seeded with *seed*, those that give *hi*, and checks that every
   result is lo or hi. */
static slong
sr_count(const mpfr_t x, const mpfr_t lo, const mpfr_t hi,
         const gc_numfmt_t f, ulong seed, slong n)
{
    mpfr_t y;
    slong i, k = 0;

    mpfr_init2(y, f->prec);
    for (i = 0; i < n; i++)
    {
        gc_numfmt_round_sr(y, x, f,
                           gc_numfmt_sr_word(seed, GC_SR_FORWARD, 1, i));
        k += mpfr_equal_p(y, hi) && mpfr_signbit(y) == mpfr_signbit(hi);
        ck_assert_msg(mpfr_equal_p(y, hi) || mpfr_equal_p(y, lo),
                      "%s: SR(%a) = %a", f->name, mpfr_get_d(x, MPFR_RNDN),
                      mpfr_get_d(y, MPFR_RNDN));
    }
    mpfr_clear(y);
    return k;
}

/* SR is unbiased: of n = 10^5 roundings of x between the neighbours lo
   and hi = lo + ulp, k go to hi; the mean of the results is lo + ulp k/n
   and its expectation is x (to within 2^-64 ulp), so k/n estimates frac
   = (x - lo)/ulp with the Bernoulli standard deviation sigma =
   sqrt(frac(1 - frac)/n); the test asks |k/n - frac| <= 5 sigma (a false
   alarm with probability below 6e-7 per value; the stream is fixed, so
   the outcome is too).  Below the min subnormal the neighbours are 0 and
   the min subnormal: frac = |x| / 2^(emin-1). */
START_TEST(test_numfmt_round_sr_unbiased)
{
    static const struct
    {
        const char * fmt;
        double x;
    } cases[] = {
        {"bfloat16", 1.0 + 0x1p-9},          /* frac 1/4 */
        {"bfloat16", -(1.0 + 0x1.8p-8)},     /* frac 3/4 */
        {"binary16", 0.1},                    /* frac 0.6 */
        {"e4m3", 300.0},                      /* frac 3/8 */
        {"binary16", 0.3 * 0x1p-24},          /* below the min subnormal */
        {"binary16", -0.7 * 0x1p-24},
        {"bfloat16", 0x1p-140},               /* frac 2^-7 */
        {"binary16", 1.0 / 3.0}};
    flint_rand_t state;
    gc_numfmt_t f;
    mpfr_t x, lo, hi, frac;
    slong k, n = 100000;
    double p, sigma;
    slong i;

    gc_test_randinit(state);
    mpfr_inits2(128, x, lo, hi, frac, (mpfr_ptr) NULL);
    for (i = 0; i < (slong) (sizeof cases / sizeof cases[0]); i++)
    {
        fmt_set(f, cases[i].fmt);
        mpfr_set_d(x, cases[i].x, MPFR_RNDN);
        /* the neighbours, toward zero and away from it */
        {
            char name[GC_NUMFMT_NAME_MAX];
            gc_numfmt_t g;

            snprintf(name, sizeof name, "%s:rz", cases[i].fmt);
            fmt_set(g, name);
            gc_numfmt_round(lo, x, g);
            snprintf(name, sizeof name, "%s:%s", cases[i].fmt,
                     mpfr_sgn(x) > 0 ? "ru" : "rd");
            fmt_set(g, name);
            gc_numfmt_round(hi, x, g);
        }
        mpfr_sub(frac, x, lo, MPFR_RNDN);
        mpfr_sub(hi, hi, lo, MPFR_RNDN);
        mpfr_div(frac, frac, hi, MPFR_RNDN);
        mpfr_add(hi, hi, lo, MPFR_RNDN);
        p = mpfr_get_d(frac, MPFR_RNDN);
        ck_assert(p > 0 && p < 1);
        k = sr_count(x, lo, hi, f, gc_test_seed() + i, n);
        sigma = sqrt(p * (1 - p) / n);
        ck_assert_msg(fabs((double) k / n - p) <= 5 * sigma,
                      "%s: SR(%a): %ld of %ld away, frac %g, 5 sigma %g "
                      "seed=%lu", f->name, cases[i].x, (long) k, (long) n,
                      p, 5 * sigma, gc_test_seed());
    }
    /* a format number is never changed; zero, inf and NaN pass */
    fmt_set(f, "bfloat16");
    mpfr_set_d(x, 1.5, MPFR_RNDN);
    for (i = 0; i < 1000; i++)
    {
        ck_assert(gc_numfmt_round_sr(lo, x, f, n_randlimb(state)) == 0);
        ck_assert(mpfr_equal_p(lo, x));
    }
    mpfr_set_zero(x, -1);
    ck_assert(gc_numfmt_round_sr(lo, x, f, 0) == 0 && mpfr_zero_p(lo)
              && mpfr_signbit(lo));
    mpfr_clears(x, lo, hi, frac, (mpfr_ptr) NULL);
    flint_randclear(state);
}
END_TEST

/* SR at the edges: the word decides exactly (r < frac 2^64 away); beyond
   max finite the next number is infinite (the policy); with ftz a result
   below the min normal is zero. */
START_TEST(test_numfmt_round_sr_edges)
{
    gc_numfmt_t f;
    mpfr_t x, y;

    mpfr_inits2(128, x, y, (mpfr_ptr) NULL);
    fmt_set(f, "binary16");
    /* 1 + 2^-11: frac 1/2, away iff r < 2^63 */
    mpfr_set_d(x, 1.0 + 0x1p-11, MPFR_RNDN);
    ck_assert(gc_numfmt_round_sr(y, x, f, UWORD(0x7fffffffffffffff))
              == GC_ROUND_INEXACT);
    ck_assert(mpfr_cmp_d(y, 1.0 + 0x1p-10) == 0);
    gc_numfmt_round_sr(y, x, f, UWORD(0x8000000000000000));
    ck_assert(mpfr_cmp_ui(y, 1) == 0);
    /* frac 2^-70: away only for r = 0 (ceil(frac 2^64) = 1) */
    mpfr_set_ui_2exp(x, 1, -80, MPFR_RNDN);
    mpfr_add_ui(x, x, 1, MPFR_RNDN);
    gc_numfmt_round_sr(y, x, f, 0);
    ck_assert(mpfr_cmp_d(y, 1.0 + 0x1p-10) == 0);
    gc_numfmt_round_sr(y, x, f, 1);
    ck_assert(mpfr_cmp_ui(y, 1) == 0);
    /* 65504 + 16: frac 1/2 toward 65536, which is beyond max: inf */
    mpfr_set_d(x, 65520, MPFR_RNDN);
    ck_assert(gc_numfmt_round_sr(y, x, f, 0) == 3 && mpfr_inf_p(y));
    ck_assert(gc_numfmt_round_sr(y, x, f, UWORD_MAX) == 1
              && mpfr_cmp_ui(y, 65504) == 0);
    fmt_set(f, "binary16:sat");
    ck_assert(gc_numfmt_round_sr(y, x, f, 0) == 3
              && mpfr_cmp_ui(y, 65504) == 0);
    fmt_set(f, "e4m3");
    mpfr_set_d(x, 460, MPFR_RNDN);
    ck_assert(gc_numfmt_round_sr(y, x, f, 0) == 3
              && mpfr_cmp_ui(y, 448) == 0);
    fmt_set(f, "e4m3:nan");
    ck_assert(gc_numfmt_round_sr(y, x, f, 0) == 3 && mpfr_nan_p(y));
    /* below the min subnormal 2^-24: 0 or 2^-24 */
    fmt_set(f, "binary16");
    mpfr_set_d(x, -0x1p-26, MPFR_RNDN);
    ck_assert(gc_numfmt_round_sr(y, x, f, UWORD_MAX) == 5
              && mpfr_zero_p(y) && mpfr_signbit(y));
    ck_assert(gc_numfmt_round_sr(y, x, f, 0) == 1
              && mpfr_cmp_d(y, -0x1p-24) == 0);
    /* ftz: the subnormal results are zero */
    fmt_set(f, "binary16:sr:ftz");
    mpfr_set_d(x, 0x1.ffp-15, MPFR_RNDN);
    ck_assert(gc_numfmt_round_sr(y, x, f, 0) == 5 && mpfr_zero_p(y));
    /* 2^-14 - 2^-26: between 2^-14 - 2^-25 (tiny) and 2^-14 */
    mpfr_set_d(x, 0x1.ffep-15, MPFR_RNDN);
    ck_assert(gc_numfmt_round_sr(y, x, f, 0) == 1
              && mpfr_cmp_d(y, 0x1p-14) == 0);
    ck_assert(gc_numfmt_round_sr(y, x, f, UWORD_MAX) == 5 && mpfr_zero_p(y));
    mpfr_clears(x, y, (mpfr_ptr) NULL);
}
END_TEST

/* The low-level form decides from a value rounded toward zero at p + 64
   bits and its ternary value exactly as from the exact value, even for
   the words next to frac 2^64 (the replay relies on it). */
START_TEST(test_numfmt_round_sr_ternary)
{
    static const char * fmts[] = {"binary16", "bfloat16", "e4m3",
                                  "binary32-emu", "custom:5,-30,10"};
    flint_rand_t state;
    gc_numfmt_t f;
    mpfr_t x, xz, y, z, q;
    slong i, k, n = gc_test_iters(3000);

    gc_test_randinit(state);
    _flint_rand_init_gmp(state);
    mpfr_inits2(300, x, q, (mpfr_ptr) NULL);
    for (k = 0; k < (slong) (sizeof fmts / sizeof fmts[0]); k++)
    {
        fmt_set(f, fmts[k]);
        mpfr_init2(xz, f->prec + 64);
        mpfr_inits2(f->prec, y, z, (mpfr_ptr) NULL);
        for (i = 0; i < n; i++)
        {
            mpfr_exp_t e, ue;
            ulong r;
            int t;

            mpfr_urandomb(x, state->gmp_state);
            mpfr_mul_2si(x, x, (slong) n_randint(state, 40) - 32,
                         MPFR_RNDN);
            if (mpfr_zero_p(x))
                continue;
            t = mpfr_set(xz, x, MPFR_RNDZ);
            /* r next to frac 2^64 of x: floor(frac 2^64) + {-1, 0, 1} */
            e = mpfr_get_exp(x);
            ue = FLINT_MAX(e - f->prec, f->emin - 1);
            mpfr_mul_2si(q, x, -ue, MPFR_RNDN);
            mpfr_frac(q, q, MPFR_RNDN);
            mpfr_mul_2ui(q, q, 64, MPFR_RNDN);
            mpfr_floor(q, q);
            r = (ulong) mpfr_get_uj(q, MPFR_RNDN)
                + (ulong) n_randint(state, 3) - 1;
            if (n_randint(state, 4) == 0)
                r = n_randlimb(state);
            ck_assert(_gc_numfmt_round_sr(y, xz, t, f, r)
                      == gc_numfmt_round_sr(z, x, f, r));
            ck_assert_msg(mpfr_equal_p(y, z), "%s x=%a r=%lx seed=%lu",
                          f->name, mpfr_get_d(x, MPFR_RNDN), r, gc_test_seed());
        }
        mpfr_clears(xz, y, z, (mpfr_ptr) NULL);
    }
    mpfr_clears(x, q, (mpfr_ptr) NULL);
    flint_randclear(state);
}
END_TEST

/* The factor-1/4 chain (see test_replay_quarter600) with modifiers.
   FTZ: every value is an exact power of two 2^-(2(L-j)+3) until it is
   below the min normal 2^n, and such a result is flushed: the first
   zero from the output is the largest j with -(2(L-j)+3) < n, the layer
   that is the first subnormal without FTZ, and nothing is subnormal.
   RZ and RD (positive values) cut 2^(k-1), like RN, to 0: the same first
   zero as RN; RU keeps the min subnormal 2^k forever: no zero, the
   first subnormal as with RN. */
static const struct
{
    const char * name;
    long n, k; /* min normal 2^n, min subnormal 2^k */
} quarter_mod_formats[] = {
    {"binary16", -14, -24},       {"bfloat16", -126, -133},
    {"e5m2", -14, -16},           {"e4m3", -6, -9},
    {"binary32-emu", -126, -149}, {"custom:5,-30,10", -27, -31},
    {"mixed:binary16/binary32", -14, -24}};

START_TEST(test_replay_quarter600_modifiers)
{
    static const char * mods[] = {":ftz", ":rz", ":rd", ":ru", ":sr:ftz"};
    gc_net_t net;
    gc_numfmt_t f;
    gc_replay_t r;
    char name[GC_NUMFMT_NAME_MAX];
    slong L, sub, zero, m;
    long n = quarter_mod_formats[_i].n, k = quarter_mod_formats[_i].k;
    int seq;

    gc_net_init(net);
    gc_test_read_ref_net(net, "quarter600");
    L = net->len;
    gc_replay_init(r);
    for (sub = L; sub >= 1 && -(2 * (L - sub) + 3) >= n; sub--)
        ;
    zero = quarter_first(L, 0, k, k);
    for (m = 0; m < (slong) (sizeof mods / sizeof mods[0]); m++)
    {
        int ftz = (strstr(mods[m], "ftz") != NULL);
        slong want_zero = ftz ? sub : (mods[m][2] == 'u' ? 0 : zero);
        slong want_sub = ftz ? 0 : sub;

        snprintf(name, sizeof name, "%s%s", quarter_mod_formats[_i].name,
                 mods[m]);
        fmt_set(f, name);
        gc_numfmt_set_sr_seed(f, 7);
        for (seq = 0; seq < 2; seq++)
        {
            ck_assert(gc_replay(r, net, f, (gc_seq_t) seq, NULL)
                      == GC_SUCCESS);
            ck_assert(r->changed == 0 && r->overflows == 0);
            ck_assert_msg(r->death.first_zero == want_zero,
                          "%s: first zero %ld, expected %ld", f->name,
                          (long) r->death.first_zero, (long) want_zero);
            ck_assert_msg(r->death.first_subnormal == want_sub,
                          "%s: first subnormal %ld, expected %ld", f->name,
                          (long) r->death.first_subnormal, (long) want_sub);
        }
        /* FTZ moves the first zero toward the output */
        if (ftz)
            ck_assert(sub > zero);
    }
    gc_replay_clear(r);
    gc_net_clear(net);
}
END_TEST

/* A stochastic replay is a function of its seed: the same seed gives the
   same replay, another seed another one; the round-to-nearest replay of
   the same format does not depend on the seed. */
START_TEST(test_replay_sr_seed)
{
    flint_rand_t state;
    gc_numfmt_t f, g;
    gc_replay_t r, s;
    gc_net_t net;
    gc_random_t rnd;
    slong i, n = gc_test_iters(10);

    gc_test_randinit(state);
    gc_replay_init(r);
    gc_replay_init(s);
    gc_net_init(net);
    for (i = 0; i < n; i++)
    {
        gc_dist_set_normal(&rnd->weights, 0, 1);
        gc_random_set_dist(rnd, &rnd->weights, n_randlimb(state));
        gc_net_set_random(net, rnd, 40);
        fmt_set(f, i % 2 ? "bfloat16:sr" : "mixed:bfloat16/binary32:sr");
        gc_numfmt_set_sr_seed(f, 7);
        ck_assert(gc_replay(r, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
        ck_assert(gc_replay(s, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
        ck_assert_msg(replay_equal(r, s), "net seed %lu", rnd->seed);
        gc_numfmt_set_sr_seed(f, 8);
        ck_assert(gc_replay(s, net, f, GC_SEQ_FRAMEWORK, NULL) == GC_SUCCESS);
        ck_assert_msg(!replay_equal(r, s), "net seed %lu", rnd->seed);

        fmt_set(f, "bfloat16");
        fmt_set(g, "bfloat16");
        gc_numfmt_set_sr_seed(g, 99);
        ck_assert(gc_replay(r, net, f, GC_SEQ_STABLE, NULL) == GC_SUCCESS);
        ck_assert(gc_replay(s, net, g, GC_SEQ_STABLE, NULL) == GC_SUCCESS);
        ck_assert(replay_equal(r, s));
    }
    gc_net_clear(net);
    gc_replay_clear(r);
    gc_replay_clear(s);
    flint_randclear(state);
}
END_TEST

static Suite *
gc_formats_suite(void)
{
    Suite * s = suite_create("formats");
    TCase * core = tcase_create("core");
    TCase * special = tcase_create("special");
    TCase * roundtrip = tcase_create("roundtrip");
    TCase * random = tcase_create("random");
    TCase * aliasing = tcase_create("aliasing");
    TCase * modes = tcase_create("rounding-modes");

    tcase_add_test(core, test_numfmt_constants);
    tcase_add_test(core, test_numfmt_names);
    tcase_add_test(core, test_loss_scale_set_str);
    tcase_add_test(core, test_loss_scale_check);
    tcase_add_test(core, test_numfmt_digits);
    tcase_add_test(core, test_numfmt_names_list);
    tcase_add_test(special, test_numfmt_round_edges);
    tcase_add_loop_test(special, test_replay_quarter600, 0,
                        sizeof quarter_formats / sizeof quarter_formats[0]);
    tcase_add_test(special, test_replay_scale_overflow);
    tcase_add_test(special, test_replay_params);
    tcase_add_test(core, test_replay_binary64_exact);
    tcase_add_loop_test(core, test_replay_binary64_refdata, 0, 2);
    tcase_add_test(core, test_replay_binary64_rounding);
    tcase_add_loop_test(core, test_replay_pytorch_refdata, 0, 7);
    tcase_add_loop_test(random, test_replay_sequences_agree, 0, 7);
    tcase_add_loop_test(roundtrip, test_numfmt_all_patterns, 0,
                        sizeof bit_formats / sizeof bit_formats[0]);
    tcase_add_test(random, test_numfmt_round_random);
    tcase_add_loop_test(random, test_replay_native_random, 0, 2 * N_NATIVE);
    tcase_add_test(random, test_replay_binary64_oracle);
    tcase_add_test(random, test_replay_mixed_same);
    tcase_add_test(aliasing, test_numfmt_round_aliasing);
    suite_add_tcase(s, core);
    suite_add_tcase(s, special);
    suite_add_tcase(s, roundtrip);
    suite_add_tcase(s, random);
    suite_add_tcase(s, aliasing);

    tcase_add_test(modes, test_numfmt_modifier_names);
    tcase_add_test(modes, test_numfmt_sr_word);
    tcase_add_test(modes, test_numfmt_round_directed);
    tcase_add_test(modes, test_numfmt_round_directed_edges);
    tcase_add_test(modes, test_numfmt_round_sr_unbiased);
    tcase_add_test(modes, test_numfmt_round_sr_edges);
    tcase_add_test(modes, test_numfmt_round_sr_ternary);
    tcase_add_loop_test(modes, test_replay_quarter600_modifiers, 0,
                        sizeof quarter_mod_formats
                            / sizeof quarter_mod_formats[0]);
    tcase_add_test(modes, test_replay_sr_seed);
    tcase_set_timeout(modes, 20);
    suite_add_tcase(s, modes);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_formats_suite());
}
