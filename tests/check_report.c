/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_report.c -- scientific notation with exact exponents, and the
   text/CSV/JSON table writers. */

#include <string.h>

#include "gc-test.h"

/* Checks gc_mpfr_get_str_sci(x, digits) against *expected*. */
static void
check_sci(const mpfr_t x, slong digits, const char * expected)
{
    char * s = gc_mpfr_get_str_sci(x, digits);

    ck_assert_msg(strcmp(s, expected) == 0, "digits=%ld got %s expected %s",
                  (long) digits, s, expected);
    flint_free(s);
}

START_TEST(test_sci_core)
{
    mpfr_t x;

    mpfr_init2(x, 200);
    mpfr_set_si(x, -7726414, MPFR_RNDN);
    mpfr_div_ui(x, x, 10000000000UL, MPFR_RNDN); /* -7.726414e-4 */
    check_sci(x, 7, "-7.726414e-4");
    check_sci(x, 3, "-7.73e-4");
    check_sci(x, 1, "-8e-4");
    mpfr_set_ui(x, 125, MPFR_RNDN);
    check_sci(x, 2, "1.2e+2"); /* exact tie: to even */
    check_sci(x, 5, "1.2500e+2");
    mpfr_set_ui(x, 1, MPFR_RNDN);
    check_sci(x, 3, "1.00e+0");
    mpfr_set_d(x, 9.9996, MPFR_RNDN);
    check_sci(x, 4, "1.000e+1"); /* carry into the exponent */

    /* directed rounding: an upper bound stays an upper bound */
    mpfr_set_ui(x, 1, MPFR_RNDN);
    mpfr_div_ui(x, x, 3, MPFR_RNDN);
    {
        char * up = gc_mpfr_get_str_sci_round(x, 3, MPFR_RNDU);
        char * down = gc_mpfr_get_str_sci_round(x, 3, MPFR_RNDD);

        ck_assert_str_eq(up, "3.34e-1");
        ck_assert_str_eq(down, "3.33e-1");
        flint_free(up);
        flint_free(down);
    }
    mpfr_clear(x);
}
END_TEST

START_TEST(test_sci_special)
{
    mpfr_t x;

    mpfr_init2(x, 64);
    mpfr_set_zero(x, 1);
    check_sci(x, 5, "0");
    mpfr_set_zero(x, -1);
    check_sci(x, 5, "-0");
    mpfr_set_inf(x, 1);
    check_sci(x, 5, "inf");
    mpfr_set_inf(x, -1);
    check_sci(x, 5, "-inf");
    mpfr_set_nan(x);
    check_sci(x, 5, "nan");

    /* exact huge and tiny exponents: 2^-2000000 = 1.0202...e-602060
       (Python decimal at 60 digits: 1.02017...e-602060),
       10^-434294916 */
    gc_mpfr_widen_exponent_range();
    mpfr_set_ui_2exp(x, 1, -2000000L, MPFR_RNDN);
    check_sci(x, 5, "1.0202e-602060");
    mpfr_set_ui(x, 10, MPFR_RNDN);
    mpfr_pow_si(x, x, -434294916L, MPFR_RNDN);
    check_sci(x, 3, "1.00e-434294916");
    mpfr_set_ui_2exp(x, 1, 1996, MPFR_RNDN);
    check_sci(x, 4, "7.176e+600");
    mpfr_clear(x);
}
END_TEST

static const gc_col_struct test_cols[] = {
    {"layer", NULL, GC_COL_INT, 5},
    {"value", "dC/db_j", GC_COL_STR, -12}};

/* Writes a two-row report in *format* to a memory buffer and compares. */
static void
check_report(gc_report_format_t format, const char * expected)
{
    char * buf = NULL;
    size_t len = 0;
    FILE * f = open_memstream(&buf, &len);
    gc_report_t r;
    const char * row1[] = {"1", "-7.7e-4"};
    const char * row2[] = {"2", "a,\"b\""};

    gc_report_init(r, f, format, test_cols, 2);
    gc_report_meta(r, "engine", "mpfr");
    gc_report_meta_int(r, "layers", 2);
    gc_report_row(r, row1);
    gc_report_row(r, row2);
    ck_assert_int_eq(gc_report_clear(r), GC_SUCCESS);
    fclose(f);
    ck_assert_msg(strcmp(buf, expected) == 0, "format %d got\n%s\nexpected\n%s",
                  (int) format, buf, expected);
    free(buf);
}

START_TEST(test_report_formats)
{
    check_report(GC_REPORT_TEXT, "# engine: mpfr\n# layers: 2\n"
                                 "layer  dC/db_j\n"
                                 "    1  -7.7e-4\n"
                                 "    2  a,\"b\"\n");
    check_report(GC_REPORT_CSV, "layer,value\n1,-7.7e-4\n2,\"a,\"\"b\"\"\"\n");
    check_report(GC_REPORT_JSON,
                 "{\"meta\": {\"engine\":\"mpfr\",\"layers\":2}, \"rows\": "
                 "[{\"layer\":1,\"value\":\"-7.7e-4\"}, "
                 "{\"layer\":2,\"value\":\"a,\\\"b\\\"\"}]}\n");
}
END_TEST

/* GC_COL_NUM: as given in text and CSV; a JSON integer, real (the same
   15 digits) or, for no finite number, string; null when absent. */
START_TEST(test_report_num)
{
    static const gc_col_struct cols[] = {{"x", NULL, GC_COL_NUM, 8}};
    static const char * const in[] = {"8", "0.0299003", "-1.5e-300",
                                      "inf", NULL};
    static const char want[] =
        "{\"meta\": {}, \"rows\": [{\"x\":8}, {\"x\":0.0299003}, "
        "{\"x\":-1.5e-300}, {\"x\":\"inf\"}, {\"x\":null}]}\n";
    char * buf = NULL;
    size_t len = 0;
    FILE * f = open_memstream(&buf, &len);
    gc_report_t r;
    int i;

    ck_assert_ptr_nonnull(f);
    gc_report_init(r, f, GC_REPORT_JSON, cols, 1);
    for (i = 0; i < 5; i++)
        gc_report_row(r, in + i);
    ck_assert_int_eq(gc_report_clear(r), GC_SUCCESS);
    fclose(f);
    ck_assert_str_eq(buf, want);
    free(buf);
}
END_TEST

/* Sections: a second table after rows, and a first table renamed before
   any row. */
START_TEST(test_report_sections)
{
    static const gc_col_struct other[] = {{"event", NULL, GC_COL_STR, -6}};
    const char * row1[] = {"1", "x"};
    const char * row2[] = {"zero"};
    gc_report_format_t f;

    for (f = GC_REPORT_TEXT; f <= GC_REPORT_JSON; f++)
    {
        char * buf = NULL;
        size_t len = 0;
        FILE * out = open_memstream(&buf, &len);
        gc_report_t r;
        const char * expected[] = {
            "layer  dC/db_j\n    1  x\n\nevent\nzero\n\nevent\nzero\n",
            "layer,value\n1,x\n\nevent\nzero\n\nevent\nzero\n",
            "{\"meta\": {}, \"rows\": [{\"layer\":1,\"value\":\"x\"}], "
            "\"summary\": [{\"event\":\"zero\"}], "
            "\"more\": [{\"event\":\"zero\"}]}\n"};

        gc_report_init(r, out, f, test_cols, 2);
        gc_report_row(r, row1);
        gc_report_section(r, "summary", other, 1);
        gc_report_row(r, row2);
        gc_report_section(r, "more", other, 1);
        gc_report_row(r, row2);
        ck_assert_int_eq(gc_report_clear(r), GC_SUCCESS);
        fclose(out);
        ck_assert_msg(strcmp(buf, expected[f]) == 0, "format %d got\n%s", f,
                      buf);
        free(buf);

        /* renaming the first table before any row */
        buf = NULL;
        out = open_memstream(&buf, &len);
        gc_report_init(r, out, f, test_cols, 2);
        gc_report_section(r, "summary", other, 1);
        gc_report_row(r, row2);
        ck_assert_int_eq(gc_report_clear(r), GC_SUCCESS);
        fclose(out);
        if (f == GC_REPORT_JSON)
            ck_assert_str_eq(buf, "{\"meta\": {}, \"summary\": "
                                  "[{\"event\":\"zero\"}]}\n");
        else
            ck_assert_str_eq(buf, "event\nzero\n");
        free(buf);
    }
}
END_TEST

START_TEST(test_report_write_error)
{
    FILE * f = fopen("/dev/full", "w");
    gc_report_t r;
    const char * row[] = {"1", "x"};
    slong i;

    if (f == NULL)
        return; /* no /dev/full on this system */
    setvbuf(f, NULL, _IONBF, 0);
    gc_report_init(r, f, GC_REPORT_CSV, test_cols, 2);
    for (i = 0; i < 10; i++)
        gc_report_row(r, row);
    ck_assert_int_eq(gc_report_clear(r), GC_INVALID);
    fclose(f);
}
END_TEST

START_TEST(test_report_format_names)
{
    gc_report_format_t f;

    ck_assert_int_eq(gc_report_format_set_str(&f, "csv"), GC_SUCCESS);
    ck_assert_int_eq(f, GC_REPORT_CSV);
    ck_assert_int_eq(gc_report_format_set_str(&f, "json"), GC_SUCCESS);
    ck_assert_int_eq(f, GC_REPORT_JSON);
    ck_assert_int_eq(gc_report_format_set_str(&f, "text"), GC_SUCCESS);
    ck_assert_int_eq(f, GC_REPORT_TEXT);
    ck_assert_int_eq(gc_report_format_set_str(&f, "xml"), GC_INVALID);
    ck_assert_int_eq(gc_report_format_set_str(&f, ""), GC_INVALID);
}
END_TEST

static Suite *
gc_report_suite(void)
{
    Suite * s = suite_create("report");
    TCase * tc = tcase_create("core");
    TCase * ts = tcase_create("special");

    tcase_add_test(tc, test_sci_core);
    tcase_add_test(tc, test_report_formats);
    tcase_add_test(tc, test_report_num);
    tcase_add_test(tc, test_report_format_names);
    tcase_add_test(tc, test_report_sections);
    tcase_add_test(ts, test_sci_special);
    tcase_add_test(ts, test_report_write_error);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, ts);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_report_suite());
}
