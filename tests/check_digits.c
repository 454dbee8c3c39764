/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_digits.c -- the limb-level decimal test of ball_digits.c against
   the path it shortcuts: gc_arb_has_digits and gc_arb_get_str_digits must
   decide and print exactly as _gc_arb_has_digits_ref and
   _gc_arb_get_str_digits_ref (arb_round_decimal, then the endpoints
   rounded by mpfr_get_str), on balls at and around every boundary the
   test must not cross.  The seed is printed by every failure. */

#include <string.h>

#include "gc-impl.h"
#include "gc-test.h"

/* The kinds of point near which a ball is drawn, for d digits at the
   decimal exponent e10 (q = e10 - d + 1, 10^(d-1) <= m < 10^d). */
enum
{
    NEAR_TIE,     /* (m + 1/2) 10^q, m random */
    NEAR_NINES,   /* (10^d - 1/2) 10^q: 9.99..9 against 10^(e10+1) */
    NEAR_TWENTY,  /* (10^(d-1) - 1/20) 10^q: below the power, one digit */
    NEAR_EXACT,   /* m 10^q, an exact decimal for q >= 0 */
    NEAR_POWER,   /* 10^(e10+1) */
    NEAR_RANDOM,  /* a random point of [10^(d-1), 10^d) 10^q */
    NEAR_KINDS
};

/* Sets x to a ball near a point of *kind* for *digits* digits at e10:
   the point computed at far more bits than the ball keeps, moved by a
   random 2^-s of itself (s around the bits of 10^digits, so that the
   ball ends anywhere from a few units to 2^-130 of a unit from the
   boundary on t's scale), its midpoint rounded to 2 to 3.33 digits + 130
   bits, then radius 0 or a random 2^-s' of it, random sign. */
static void
near_ball(arb_t x, flint_rand_t state, int kind, const fmpz_t e10,
          slong digits)
{
    slong bits = (slong) (digits * 3.33);
    slong prec = 2 * bits + 400;
    fmpz_t q, m, r;
    arb_t p;
    arf_t u;

    fmpz_init(q);
    fmpz_init(m);
    fmpz_init(r);
    arb_init(p);
    arf_init(u);
    fmpz_sub_si(q, e10, digits - 1);
    fmpz_ui_pow_ui(m, 10, digits - 1);
    if (kind == NEAR_TIE || kind == NEAR_EXACT || kind == NEAR_RANDOM)
    {
        fmpz_mul_ui(r, m, 9);
        fmpz_randm(r, state, r);
        fmpz_add(m, m, r);
    }
    arb_set_ui(p, 10);
    arb_pow_fmpz(p, p, q, prec + fmpz_bits(q));
    switch (kind)
    {
    case NEAR_TIE: /* (2m + 1) / 2 */
        fmpz_mul_2exp(m, m, 1);
        fmpz_add_ui(m, m, 1);
        arb_mul_fmpz(x, p, m, prec);
        arb_mul_2exp_si(x, x, -1);
        break;
    case NEAR_NINES: /* (2 10^d - 1) / 2 */
        fmpz_mul_ui(m, m, 20);
        fmpz_sub_ui(m, m, 1);
        arb_mul_fmpz(x, p, m, prec);
        arb_mul_2exp_si(x, x, -1);
        break;
    case NEAR_TWENTY: /* (20 10^(d-1) - 1) / 20 */
        fmpz_mul_ui(m, m, 20);
        fmpz_sub_ui(m, m, 1);
        arb_mul_fmpz(x, p, m, prec);
        arb_div_ui(x, x, 20, prec);
        break;
    case NEAR_EXACT:
        arb_mul_fmpz(x, p, m, prec);
        break;
    case NEAR_POWER:
        arb_mul_fmpz(x, p, m, prec);
        arb_mul_ui(x, x, 10, prec);
        break;
    default:
        arb_urandom(x, state, prec);
        arb_add_fmpz(x, x, m, prec);
        arb_mul(x, x, p, prec);
    }
    mag_zero(arb_radref(x));
    if (n_randint(state, 4) != 0)
    {
        /* moved by +-2^(E - s) */
        arf_set_si_2exp_si(u, n_randint(state, 2) ? 1 : -1,
                           fmpz_get_si(ARF_EXPREF(arb_midref(x))) - bits
                               + 4 - (slong) n_randint(state, 140));
        arf_add(arb_midref(x), arb_midref(x), u, ARF_PREC_EXACT,
                ARF_RND_DOWN);
    }
    arb_set_round(x, x, 2 + n_randint(state, bits + 130));
    mag_zero(arb_radref(x));
    if (n_randint(state, 3) != 0)
        arb_add_error_2exp_si(x, fmpz_get_si(ARF_EXPREF(arb_midref(x)))
                                     - bits + 4
                                     - (slong) n_randint(state, 140));
    if (n_randint(state, 2))
        arb_neg(x, x);
    fmpz_clear(q);
    fmpz_clear(m);
    fmpz_clear(r);
    arb_clear(p);
    arf_clear(u);
}

/* Fails unless x is decided and printed at *digits* as the reference
   does; *what* names the ball in the message. */
static void
check_same(const arb_t x, slong digits, const char * what, slong i)
{
    char * s;
    char * r;
    slong k, kr;
    int st, sr, has, hr;

    has = gc_arb_has_digits(x, digits);
    hr = _gc_arb_has_digits_ref(x, digits);
    st = gc_arb_get_str_digits(&s, &k, x, digits);
    sr = _gc_arb_get_str_digits_ref(&r, &kr, x, digits);
    if (has != hr || st != sr || k != kr || strcmp(s, r) != 0)
    {
        char * b = arb_get_str(x, digits + 20, ARB_STR_MORE);

        ck_abort_msg("%s %ld, %ld digits, ball %s: has_digits %d (reference "
                     "%d), '%s' status %d, %ld digits (reference '%s' status "
                     "%d, %ld digits), seed %lu", what, (long) i,
                     (long) digits, b, has, hr, s, st, (long) k, r, sr,
                     (long) kr, gc_test_seed());
    }
    flint_free(s);
    flint_free(r);
}

/* A random number of digits: mostly those of binary64 and of the
   examples, sometimes beyond the limbs the limb-level test takes. */
static slong
rand_digits(flint_rand_t state)
{
    static const slong common[] = {1, 2, 3, 15, 16, 17, 20, 40};

    if (n_randint(state, 8) == 0)
        return 1 + n_randint(state, 200);
    if (n_randint(state, 2))
        return common[n_randint(state, 8)];
    return 1 + n_randint(state, 60);
}

/* Walks like a chain's values (decimal exponents a few units apart,
   sometimes a jump), from exponents near 1, near +-10^5 (a chain of 10^5
   layers), near +-4 10^8 (beyond MPFR's default range) and near +-4
   10^11 (binary exponents beyond the limb-level test's 2^40). */
START_TEST(test_digits_walk)
{
    static const slong start[] = {0, 100000, 434294916, 400000000000};
    flint_rand_t state;
    arb_t x;
    fmpz_t e10;
    slong walk, step, digits;

    gc_test_randinit(state);
    gc_mpfr_widen_exponent_range();
    arb_init(x);
    fmpz_init(e10);
    for (walk = 0; walk < gc_test_iters(120); walk++)
    {
        digits = rand_digits(state);
        fmpz_set_si(e10, start[n_randint(state, 4)]
                             + (slong) n_randint(state, 2001) - 1000);
        if (n_randint(state, 2))
            fmpz_neg(e10, e10);
        for (step = 0; step < 100; step++)
        {
            fmpz_add_si(e10, e10, n_randint(state, 10) == 0
                                      ? (slong) n_randint(state, 401) - 200
                                      : (slong) n_randint(state, 7) - 3);
            near_ball(x, state, n_randint(state, NEAR_KINDS), e10, digits);
            check_same(x, digits, "walk step", walk * 100 + step);
        }
    }
    fmpz_clear(e10);
    arb_clear(x);
    flint_randclear(state);
}
END_TEST

/* Balls no walk makes: exact small integers and binary fractions,
   midpoints of many limbs, radii from 0 to wider than the midpoint,
   exponents up to the printable limit, zero, infinities. */
START_TEST(test_digits_random)
{
    flint_rand_t state;
    arb_t x;
    slong i, digits;

    gc_test_randinit(state);
    gc_mpfr_widen_exponent_range();
    arb_init(x);
    for (i = 0; i < gc_test_iters(20000); i++)
    {
        digits = rand_digits(state);
        switch (n_randint(state, 4))
        {
        case 0: /* small integers: exact decimals */
            arb_set_si(x, (slong) n_randint(state, 2000001) - 1000000);
            break;
        case 1:
            arb_randtest(x, state, 2 + n_randint(state, 700),
                         2 + n_randint(state, 40));
            break;
        case 2:
            arb_randtest_precise(x, state, 2 + n_randint(state, 700),
                                 2 + n_randint(state, 64));
            break;
        default: /* a ball narrow enough, exponents up to 2^+-70 */
        {
            slong b;

            arb_randtest_exact(x, state, 2 + n_randint(state, 700),
                               2 + n_randint(state, 70));
            /* clamped to +-ARF_PREC_EXACT for zero and huge exponents */
            b = arf_abs_bound_lt_2exp_si(arb_midref(x));
            if (n_randint(state, 2) && FLINT_ABS(b) < (WORD(1) << 60))
                arb_add_error_2exp_si(x, b - (slong) (digits * 3.33)
                                             - (slong) n_randint(state,
                                                                 130));
        }
        }
        check_same(x, digits, "ball", i);
    }
    arb_clear(x);
    flint_randclear(state);
}
END_TEST

/* The decimals gc_arb_has_digits keeps for the balls of a trace
   (_gc_digits_cache_begin, as the Ziv loop does) are those the reference
   proves: the balls checked, then printed, then changed and printed
   again. */
START_TEST(test_digits_kept)
{
    flint_rand_t state;
    arb_ptr v;
    fmpz_t e10;
    slong iter, i, n = 200, digits;

    gc_test_randinit(state);
    gc_mpfr_widen_exponent_range();
    v = _arb_vec_init(n);
    fmpz_init(e10);
    for (iter = 0; iter < gc_test_iters(20); iter++)
    {
        digits = rand_digits(state);
        fmpz_set_si(e10, (slong) n_randint(state, 200001) - 100000);
        for (i = 0; i < n; i++)
        {
            fmpz_sub_ui(e10, e10, n_randint(state, 4));
            near_ball(v + i, state, n_randint(state, NEAR_KINDS), e10,
                      digits);
        }
        _gc_digits_cache_begin(v, n, (slong) (digits * 3.33) + 64, digits);
        for (i = 0; i < n; i++)
            check_same(v + i, digits, "kept ball", i);
        for (i = 0; i < n; i++)
            if (n_randint(state, 2))
                near_ball(v + i, state, n_randint(state, NEAR_KINDS), e10,
                          digits);
        for (i = 0; i < n; i++)
            check_same(v + i, digits, "changed ball", i);
    }
    _gc_digits_cache_begin(NULL, 0, 64, 1);
    fmpz_clear(e10);
    _arb_vec_clear(v, n);
    flint_randclear(state);
}
END_TEST

/* The exponent as printf's %+ld writes it: 1.5 10^e to 2 digits for
   every e in [-1100, 1100] and near +-10^k, k <= 11. */
START_TEST(test_digits_exponent)
{
    arb_t x;
    fmpz_t e;
    slong i, k;
    char want[40];
    char * s;

    gc_mpfr_widen_exponent_range();
    arb_init(x);
    fmpz_init(e);
    for (i = -1100; i <= 1100 + 2 * 9 * 5; i++)
    {
        if (i <= 1100)
            k = i;
        else
        {
            /* 10^j - 2 .. 10^j + 2, of either sign, j = 3..11 */
            slong r = i - 1101;

            k = (slong) n_pow(10, 3 + r / 10) + (r % 5) - 2;
            if ((r / 5) % 2)
                k = -k;
        }
        fmpz_set_si(e, k);
        arb_set_ui(x, 10);
        arb_pow_fmpz(x, x, e, 200);
        arb_mul_ui(x, x, 3, 200);
        arb_mul_2exp_si(x, x, -1);
        if (gc_arb_get_str_digits(&s, &k, x, 2) != GC_SUCCESS)
            ck_abort_msg("1.5e%ld: no digits", (long) fmpz_get_si(e));
        snprintf(want, sizeof want, "1.5e%+ld", (long) fmpz_get_si(e));
        ck_assert_msg(strcmp(s, want) == 0, "'%s' for %s", s, want);
        flint_free(s);
    }
    fmpz_clear(e);
    arb_clear(x);
}
END_TEST

/* Exact balls of up to 7000 bits at 1 to 2500 digits (the long ones
   converted by GMP) against mpfr_get_str on the same number: an exact
   ball has every digit of its rounding to nearest. */
START_TEST(test_digits_long)
{
    flint_rand_t state;
    arb_t x;
    mpfr_t y;
    slong i, digits, k;
    char * s;
    char * r;

    gc_test_randinit(state);
    gc_mpfr_widen_exponent_range();
    arb_init(x);
    for (i = 0; i < gc_test_iters(300); i++)
    {
        digits = 1 + n_randint(state, n_randint(state, 2) ? 2500 : 400);
        arb_randtest_exact(x, state, 2 + n_randint(state, 7000),
                           2 + n_randint(state, 20));
        if (arb_is_zero(x))
            continue;
        mpfr_init2(y, FLINT_MAX(2, arf_bits(arb_midref(x))));
        arf_get_mpfr(y, arb_midref(x), MPFR_RNDN); /* exact */
        r = gc_mpfr_get_str_sci(y, digits);
        ck_assert_msg(gc_arb_get_str_digits(&s, &k, x, digits) == GC_SUCCESS
                          && strcmp(s, r) == 0,
                      "%ld digits: '%.80s...' against '%.80s...', seed %lu",
                      (long) digits, s, r, gc_test_seed());
        flint_free(s);
        flint_free(r);
        mpfr_clear(y);
    }
    arb_clear(x);
    flint_randclear(state);
}
END_TEST

static Suite *
digits_suite(void)
{
    Suite * s = suite_create("digits");
    TCase * tc = tcase_create("limb-level test");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_digits_walk);
    tcase_add_test(tc, test_digits_random);
    tcase_add_test(tc, test_digits_kept);
    tcase_add_test(tc, test_digits_exponent);
    tcase_add_test(tc, test_digits_long);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(digits_suite());
}
