/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_util.c -- version, status strings, exponent range. */

#include <string.h>

#include "gc-test.h"

START_TEST(test_version)
{
    char buf[64];

    ck_assert_str_eq(gc_version(), GRADCHAIN_VERSION);
    snprintf(buf, sizeof buf, "%d.%d.%d", GRADCHAIN_VERSION_MAJOR,
             GRADCHAIN_VERSION_MINOR, GRADCHAIN_VERSION_PATCH);
    ck_assert_str_eq(buf, GRADCHAIN_VERSION);
}
END_TEST

START_TEST(test_status_str)
{
    ck_assert_str_eq(gc_status_str(GC_SUCCESS), "success");
    ck_assert_str_eq(gc_status_str(GC_DOMAIN), "domain error");
    ck_assert_str_eq(gc_status_str(GC_UNABLE),
                     "unable to give a proven result (precision limit, "
                     "not implemented, or beyond the exponent range)");
    ck_assert_str_eq(gc_status_str(GC_INVALID), "invalid input");
    /* the most severe flag wins */
    ck_assert_str_eq(gc_status_str(GC_DOMAIN | GC_INVALID), "invalid input");
    ck_assert_str_eq(gc_status_str(GC_DOMAIN | GC_UNABLE), "domain error");
}
END_TEST

START_TEST(test_exponent_range)
{
    mpfr_t x;

    mpfr_set_emin(-1000);
    gc_mpfr_widen_exponent_range();
    ck_assert(mpfr_get_emin() == mpfr_get_emin_min());
    ck_assert(mpfr_get_emax() == mpfr_get_emax_max());

    /* 10^-434294916 (a chain of 10^6 saturated layers) is a number */
    mpfr_init2(x, 64);
    mpfr_set_ui(x, 10, MPFR_RNDN);
    mpfr_pow_si(x, x, -434294916L, MPFR_RNDN);
    ck_assert(mpfr_regular_p(x));
    ck_assert(mpfr_get_exp(x) < -1442000000L);
    /* 2^-2000000 */
    mpfr_set_ui_2exp(x, 1, -2000000L, MPFR_RNDN);
    ck_assert(mpfr_regular_p(x));
    mpfr_clear(x);
    gc_mpfr_widen_exponent_range(); /* idempotent */
    ck_assert(mpfr_get_emin() == mpfr_get_emin_min());
}
END_TEST

/* Every name table: each name parses to its position, gc_X_name gives it
   back, and an unknown name is GC_INVALID. */
#define CHECK_NAME_TABLE(pre, type)                                         \
    do                                                                      \
    {                                                                       \
        const char * const * names = pre##_names();                         \
        type v;                                                             \
        int i;                                                              \
                                                                            \
        for (i = 0; names[i] != NULL; i++)                                  \
        {                                                                   \
            ck_assert_int_eq(pre##_set_str(&v, names[i]), GC_SUCCESS);      \
            ck_assert_int_eq((int) v, i);                                   \
            ck_assert_str_eq(pre##_name(v), names[i]);                      \
        }                                                                   \
        ck_assert_msg(i >= 2, #pre ": %d names", i);                        \
        ck_assert_int_eq(pre##_set_str(&v, "no-such-name"), GC_INVALID);    \
        ck_assert_int_eq(pre##_set_str(&v, ""), GC_INVALID);                \
    } while (0)

START_TEST(test_name_tables)
{
    static const char * const abc[] = {"a", "bc", "def", NULL};
    static const char * const none[] = {NULL};
    char * s;

    CHECK_NAME_TABLE(gc_act, gc_act_t);
    CHECK_NAME_TABLE(gc_cost, gc_cost_t);
    CHECK_NAME_TABLE(gc_seq, gc_seq_t);
    CHECK_NAME_TABLE(gc_report_format, gc_report_format_t);
    CHECK_NAME_TABLE(gc_sym_act, gc_sym_act_t);
    CHECK_NAME_TABLE(gc_sym_expand, gc_sym_expand_t);
    CHECK_NAME_TABLE(gc_sym_cost, gc_sym_cost_t);
    CHECK_NAME_TABLE(gc_print_format, gc_print_format_t);
    CHECK_NAME_TABLE(gc_form, gc_form_t);
    CHECK_NAME_TABLE(gc_break, gc_break_t);
    CHECK_NAME_TABLE(gc_lang, gc_lang_t);

    s = gc_names_join(abc, ", ");
    ck_assert_str_eq(s, "a, bc, def");
    flint_free(s);
    s = gc_names_join(abc, "|");
    ck_assert_str_eq(s, "a|bc|def");
    flint_free(s);
    s = gc_names_join(none, ", ");
    ck_assert_str_eq(s, "");
    flint_free(s);
    s = gc_names_join(gc_lang_names(), ", ");
    ck_assert_str_eq(s, "en, pt");
    flint_free(s);
}
END_TEST

static Suite *
gc_util_suite(void)
{
    Suite * s = suite_create("util");
    TCase * tc = tcase_create("core");

    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_status_str);
    tcase_add_test(tc, test_exponent_range);
    tcase_add_test(tc, test_name_tables);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_util_suite());
}
