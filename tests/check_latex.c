/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_latex.c -- printers and documents: exact strings, golden files
   (tests/data/golden; GRADCHAIN_UPDATE_GOLDEN=1 rewrites them), the ASCII
   round trip, random trees, and a numeric cross-check of the ASCII form
   against the reference gradients of tests/data/ref/n4_s0. */

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "gc-test.h"
#include "latex/latex-impl.h" /* gc_sink_template, gc_doc_message,
                                 gc_doc_wide_message */

#define GOLDEN_DIR SRCDIR "/tests/data/golden"

static const char * const format_names[3] = {"latex", "text", "ascii"};
static const char * const form_names[5] = {"auto", "expanded", "compact",
                                           "elided", "grouped"};

/* A growing string. */
typedef struct
{
    char * s;
    size_t len;
} buf_struct;

static void
buf_add(buf_struct * b, const char * str)
{
    size_t n = strlen(str);

    b->s = flint_realloc(b->s, b->len + n + 1);
    memcpy(b->s + b->len, str, n + 1);
    b->len += n;
}

/* Appends a string returned by the library and frees it. */
static void
buf_take(buf_struct * b, char * str)
{
    buf_add(b, str);
    flint_free(str);
}

/* Compares *got* with the golden file *name*, or writes it when
   GRADCHAIN_UPDATE_GOLDEN is set. */
static void
golden_check(const char * name, const buf_struct * got)
{
    char path[512];
    FILE * f;
    char * want;
    long n;
    size_t i;

    snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, name);
    if (getenv("GRADCHAIN_UPDATE_GOLDEN") != NULL)
    {
        f = fopen(path, "wb");
        ck_assert_msg(f != NULL, "cannot write %s", path);
        fwrite(got->s, 1, got->len, f);
        fclose(f);
        return;
    }
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "missing golden file %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    want = flint_malloc(n + 1);
    ck_assert(fread(want, 1, n, f) == (size_t) n);
    fclose(f);
    for (i = 0; i < got->len && (long) i < n && want[i] == got->s[i]; i++)
        ;
    ck_assert_msg((long) i == n && i == got->len,
                  "%s differs at byte %zu: got '%.60s', want '%.60s'", name,
                  i, got->s + i, i < (size_t) n ? want + i : "");
    flint_free(want);
}

START_TEST(test_textbook_strings)
{
    gc_shape_t s;
    gc_expr_t e;
    gc_print_opts_t o;
    char * str;

    gc_shape_init(s, 4);
    gc_expr_init(e);
    gc_print_opts_init(o);
    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1)) == GC_SUCCESS);
    str = gc_expr_get_str(e, o);
    ck_assert_str_eq(str, "\\sigma'(z_{1})\\,w_{2}\\,\\sigma'(z_{2})\\,w_{3}"
                          "\\,\\sigma'(z_{3})\\,w_{4}\\,\\sigma'(z_{4})\\,"
                          "\\frac{\\partial C}{\\partial a_{4}}");
    flint_free(str);
    o->format = GC_PRINT_ASCII;
    str = gc_expr_get_str(e, o);
    ck_assert_str_eq(str, "sigma'(z_1) * w_2 * sigma'(z_2) * w_3 * "
                          "sigma'(z_3) * w_4 * sigma'(z_4) * dC/da_4");
    flint_free(str);
    o->format = GC_PRINT_TEXT;
    str = gc_expr_get_str_equation(GC_TEST_PARAM(GC_PARAM_B, 1), e, o);
    ck_assert_str_eq(str, "∂C/∂b₁ = σ′(z₁) w₂ σ′(z₂) w₃ σ′(z₃) w₄ σ′(z₄) "
                          "∂C/∂a₄\n");
    flint_free(str);
    o->form = GC_FORM_COMPACT;
    str = gc_expr_get_str(e, o);
    ck_assert_str_eq(str, "σ′(z₁) (∏ₖ₌₂⁴ wₖ σ′(zₖ)) ∂C/∂a₄");
    flint_free(str);
    o->form = GC_FORM_ELIDED;
    str = gc_expr_get_str(e, o);
    ck_assert_str_eq(str, "σ′(z₁) w₂ σ′(z₂) ⋯ w₄ σ′(z₄) ∂C/∂a₄");
    flint_free(str);
    o->form = GC_FORM_GROUPED;
    o->format = GC_PRINT_LATEX;
    str = gc_expr_get_str(e, o);
    ck_assert_str_eq(str, "\\sigma'(z_{1})\\,\\bigl(w_{2}\\,\\sigma'(z_{2})"
                          "\\bigr)\\,\\bigl(w_{3}\\,\\sigma'(z_{3})\\bigr)\\,"
                          "\\bigl(w_{4}\\,\\sigma'(z_{4})\\bigr)\\,"
                          "\\frac{\\partial C}{\\partial a_{4}}");
    flint_free(str);
    gc_expr_zero(e);
    str = gc_expr_get_str(e, o);
    ck_assert_str_eq(str, "1");
    flint_free(str);
    gc_expr_clear(e);
}
END_TEST

START_TEST(test_auto_elides)
{
    gc_shape_t s;
    gc_expr_t e;
    gc_print_opts_t o;
    char * str;

    gc_shape_init(s, 1000);
    gc_expr_init(e);
    gc_print_opts_init(o);
    o->format = GC_PRINT_ASCII;
    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1)) == GC_SUCCESS);
    str = gc_expr_get_str(e, o);
    ck_assert_str_eq(str, "sigma'(z_1) * w_2 * sigma'(z_2) * ... * "
                          "w_1000 * sigma'(z_1000) * dC/da_1000");
    flint_free(str);
    /* with line breaks, auto keeps every factor */
    o->breaks = GC_BREAK_SPLIT;
    str = gc_expr_get_str_equation(GC_TEST_PARAM(GC_PARAM_B, 1), e, o);
    ck_assert(strstr(str, "w_500 * sigma'(z_500)") != NULL);
    ck_assert(strstr(str, "...") == NULL);
    flint_free(str);
    gc_expr_clear(e);
}
END_TEST

START_TEST(test_file_equals_string)
{
    gc_shape_t s;
    gc_expr_t e;
    gc_print_opts_t o;
    gc_doc_t d;
    FILE * f = tmpfile();
    char * a, * b, got[4096];
    size_t n;

    ck_assert(f != NULL);
    gc_shape_init(s, 3);
    gc_expr_init(e);
    gc_print_opts_init(o);
    o->breaks = GC_BREAK_MULTLINE;
    o->width = 20;
    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_W, 2)) == GC_SUCCESS);
    ck_assert(gc_expr_write_equation(f, GC_TEST_PARAM(GC_PARAM_W, 2), e, o)
              == GC_SUCCESS);
    ck_assert(gc_expr_write(f, e, o) == GC_SUCCESS);
    gc_doc_init(d, 3);
    d->figure = 1;
    ck_assert(gc_doc_write(f, d) == GC_SUCCESS);
    a = gc_expr_get_str_equation(GC_TEST_PARAM(GC_PARAM_W, 2), e, o);
    b = gc_expr_get_str(e, o);
    rewind(f);
    n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    ck_assert(strncmp(got, a, strlen(a)) == 0);
    ck_assert(strncmp(got + strlen(a), b, strlen(b)) == 0);
    flint_free(a);
    flint_free(b);
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(n > strlen(a));
    ck_assert_str_eq(got + n - strlen(a), a);
    flint_free(a);
    fclose(f);
    gc_expr_clear(e);
}
END_TEST

/* Copies *str* to *p* and advances it. */
static void
put(char ** p, const char * str)
{
    size_t n = strlen(str);

    memcpy(*p, str, n);
    *p += n;
}

/* Writes k at *p* in *format* (digits, braced in LaTeX, subscript digits
   in text) and advances it. */
static void
put_index(char ** p, long k, int format)
{
    char d[24];
    size_t i;

    snprintf(d, sizeof d, "%ld", k);
    if (format == GC_PRINT_LATEX)
        put(p, "{");
    for (i = 0; d[i] != '\0'; i++)
    {
        if (format == GC_PRINT_TEXT)
        {
            put(p, "\xe2\x82");
            *(*p)++ = (char) (0x80 + d[i] - '0');
        }
        else
            *(*p)++ = d[i];
    }
    if (format == GC_PRINT_LATEX)
        put(p, "}");
}

/* dC/dw_9 of a long chain, expanded, against the product written here
   factor by factor: indices that carry (9 -> 10 ... 9999 -> 10000), and
   a stream output longer than the printers' buffer. */
START_TEST(test_long_product_indices)
{
    static const char * const pre[3][4] = {
        {"a_", "\\sigma'(z_", ")", "\\frac{\\partial C}{\\partial a_"},
        {"a", "\xcf\x83\xe2\x80\xb2(z", ")", "\xe2\x88\x82" "C/\xe2\x88\x82"
         "a"},
        {"a_", "sigma'(z_", ")", "dC/da_"}};
    static const char * const sep[3] = {"\\,", " ", " * "};
    const long L = 12000;
    int fmt = _i;
    gc_shape_t s;
    gc_expr_t e;
    gc_print_opts_t o;
    char * want = flint_malloc(64 * L), * p = want, * got;
    FILE * f = tmpfile();
    long k, n;

    ck_assert(f != NULL);
    gc_shape_init(s, L);
    gc_expr_init(e);
    gc_print_opts_init(o);
    o->format = (gc_print_format_t) fmt;
    o->form = GC_FORM_EXPANDED;
    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_W, 9)) == GC_SUCCESS);
    put(&p, pre[fmt][0]);
    put_index(&p, 8, fmt);
    for (k = 9; k <= L; k++)
    {
        if (k > 9)
        {
            put(&p, sep[fmt]);
            put(&p, fmt == GC_PRINT_TEXT ? "w" : "w_");
            put_index(&p, k, fmt);
        }
        put(&p, sep[fmt]);
        put(&p, pre[fmt][1]);
        put_index(&p, k, fmt);
        put(&p, pre[fmt][2]);
    }
    put(&p, sep[fmt]);
    put(&p, pre[fmt][3]);
    put_index(&p, L, fmt);
    if (fmt == GC_PRINT_LATEX)
        put(&p, "}");
    *p = '\0';
    got = gc_expr_get_str(e, o);
    ck_assert_msg(strcmp(got, want) == 0, "%s, L = %ld: string differs",
                  format_names[fmt], L);
    flint_free(got);
    ck_assert(gc_expr_write(f, e, o) == GC_SUCCESS);
    n = ftell(f);
    ck_assert_msg(n == p - want, "%s, L = %ld: %ld bytes written, want %ld",
                  format_names[fmt], L, n, (long) (p - want));
    got = flint_malloc(n + 1);
    rewind(f);
    ck_assert(fread(got, 1, n, f) == (size_t) n);
    got[n] = '\0';
    ck_assert_msg(strcmp(got, want) == 0, "%s, L = %ld: stream differs",
                  format_names[fmt], L);
    flint_free(got);
    flint_free(want);
    fclose(f);
    gc_expr_clear(e);
}
END_TEST

START_TEST(test_doc_invalid)
{
    gc_doc_t d;
    const char * why;
    char * str = (char *) "x", want[64];

    gc_doc_init(d, 4);
    d->compare = 1; /* b1 with b1 */
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "a bias cannot be compared with itself");
    ck_assert(gc_doc_get_str(&str, d) == GC_INVALID && str == NULL);
    d->compare = 5;
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    d->compare = 3;
    d->param->kind = GC_PARAM_W;
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    d->param->kind = GC_PARAM_B;
    ck_assert(gc_doc_check(d, &why) == GC_SUCCESS && why == NULL);
    d->param->layer = 5;
    ck_assert(gc_doc_check(d, NULL) == GC_INVALID);
    gc_doc_init(d, GC_DOC_FIGURE_MAX_LAYERS + 1);
    ck_assert(gc_doc_check(d, NULL) == GC_SUCCESS);
    d->figure = 1;
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    snprintf(want, sizeof want, "the figure is drawn for at most %d layers",
             GC_DOC_FIGURE_MAX_LAYERS);
    ck_assert_str_eq(why, want);
    gc_doc_init(d, 0);
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert(gc_doc_write(stderr, d) == GC_INVALID);
    gc_doc_init(d, 2);
    d->lang = (gc_lang_t) (GC_LANG_PT + 1);
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "unknown language");
    d->lang = GC_LANG_EN;
    d->label = "eq one";
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "a label prefix is 1 to 100 letters, digits and "
                          ":-._/+");
    d->label = "ch2:eq-1.b_2/x+y";
    ck_assert(gc_doc_check(d, &why) == GC_SUCCESS);
    d->color = (gc_doc_color_t) (GC_DOC_COLOR_NONE + 1);
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "unknown colour mode");
}
END_TEST

/* Every writer reports a failed write: to /dev/full without a buffer
   (the first fwrite fails), with stdio's buffer and an output longer
   than the printers' buffer (a write in the middle fails), and to a
   stream whose error indicator is set.  Writes that succeed are checked
   by test_file_equals_string. */
START_TEST(test_write_errors)
{
    gc_shape_t s;
    gc_expr_t e;
    gc_print_opts_t o;
    gc_doc_t d;
    FILE * f = fopen("/dev/full", "w");

    if (f == NULL)
        return; /* no /dev/full here */
    gc_shape_init(s, 100000);
    gc_expr_init(e);
    gc_print_opts_init(o);
    o->form = GC_FORM_EXPANDED;
    gc_doc_init(d, 3);
    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1))
              == GC_SUCCESS);
    ck_assert(gc_expr_write(f, e, o) == GC_INVALID);
    fclose(f);

    f = fopen("/dev/full", "w");
    ck_assert(f != NULL && setvbuf(f, NULL, _IONBF, 0) == 0);
    ck_assert(gc_expr_write_equation(f, GC_TEST_PARAM(GC_PARAM_B, 1), e, o)
              == GC_INVALID);
    ck_assert(gc_doc_write(f, d) == GC_INVALID);
    gc_shape_init(s, 2);
    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1))
              == GC_SUCCESS);
    ck_assert(gc_expr_write(f, e, o) == GC_INVALID);
    fclose(f);

    /* a short product stays in stdio's buffer, but the stream's error
       indicator, set by an earlier write, is reported */
    f = fopen("/dev/full", "w");
    ck_assert(f != NULL);
    ck_assert(fputc('x', f) == 'x' && fflush(f) == EOF);
    ck_assert(gc_expr_write(f, e, o) == GC_INVALID);
    fclose(f);
    gc_expr_clear(e);
}
END_TEST

/* Placeholders written out of order, twice, and "%%". */
START_TEST(test_sink_template)
{
    gc_sink_t s;
    const char * t = "%2 after %1; %1 again, 100%% sure%%";
    char * got;
    int n, calls = 0;

    gc_sink_init_str(s);
    while ((n = gc_sink_template(s, &t, 2)) != 0)
    {
        gc_sink_printf(s, "<%d>", n);
        calls++;
    }
    ck_assert_int_eq(calls, 3);
    ck_assert(*t == '\0');
    ck_assert(gc_sink_template(s, &t, 2) == 0);
    got = gc_sink_take_str(s);
    ck_assert_str_eq(got, "<2> after <1>; <1> again, 100% sure%");
    flint_free(got);
}
END_TEST

/* The placeholders of a template as a bit set (bit n for %n); -1 for a
   '%' that is neither a placeholder nor "%%". */
static long
placeholders(const char * t)
{
    long set = 0;

    for (; (t = strchr(t, '%')) != NULL; t += 2)
    {
        if (t[1] >= '1' && t[1] <= '9')
            set |= 1L << (t[1] - '0');
        else if (t[1] != '%')
            return -1;
    }
    return set;
}

/* Every language has every message of the derivation document, with the
   placeholders of the English one: a translation may move them, never
   drop or add one. */
START_TEST(test_doc_messages)
{
    const char * const * langs = gc_lang_names();
    const char * en, * m;
    int lang, id;

    for (lang = 0; langs[lang] != NULL; lang++)
    {
        for (id = 0; (en = gc_doc_message(GC_LANG_EN, id)) != NULL; id++)
        {
            m = gc_doc_message((gc_lang_t) lang, id);
            ck_assert_msg(m != NULL, "%s: message %d missing", langs[lang],
                          id);
            ck_assert_msg(placeholders(m) >= 0
                          && placeholders(m) == placeholders(en),
                          "%s: message %d \"%s\" has not the placeholders "
                          "of \"%s\"", langs[lang], id, m, en);
        }
        ck_assert(gc_doc_message((gc_lang_t) lang, id) == NULL);
    }
}
END_TEST

/* dC/db_1 is at least 4^(k-1) times smaller than dC/db_k: in digits up
   to 4^31 = 2^62 (64-bit arithmetic, whatever the width of long), as a
   power past it. */
START_TEST(test_doc_vanishing_factor)
{
    static const struct
    {
        slong k;
        gc_lang_t lang;
        const char * want;
    } t[8] = {
        {2, GC_LANG_EN, " is at least 4 times smaller than "},
        /* four digits stay whole, five and more are grouped by three */
        {7, GC_LANG_EN, " is at least 4096 times smaller than "},
        {8, GC_LANG_PT, " é pelo menos 16.384 vezes menor "},
        {17, GC_LANG_EN, " is at least 4,294,967,296 times smaller than "},
        {32, GC_LANG_EN,
         " is at least 4,611,686,018,427,387,904 times smaller than "},
        {32, GC_LANG_PT,
         " é pelo menos 4.611.686.018.427.387.904 vezes menor "},
        {11, GC_LANG_PT, " é pelo menos 1.048.576 vezes menor "},
        {33, GC_LANG_EN, " is at least $4^{32}$ times smaller than "}};
    gc_doc_t d;
    char * str;
    int i;

    for (i = 0; i < 8; i++)
    {
        gc_doc_init(d, t[i].k);
        d->compare = t[i].k;
        d->lang = t[i].lang;
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        ck_assert_msg(strstr(str, t[i].want) != NULL, "k = %ld: no \"%s\"",
                      (long) t[i].k, t[i].want);
        flint_free(str);
    }
}
END_TEST

/* The number of times *pat* occurs in *str*. */
static slong
count_str(const char * str, const char * pat)
{
    slong n = 0;

    while ((str = strstr(str, pat)) != NULL)
    {
        n++;
        str += strlen(pat);
    }
    return n;
}

/* 1 if every \label{, \ref{ and \eqref{ of *str* names *prefix*:... */
static int
labels_use(const char * str, const char * prefix)
{
    static const char * const cmds[3] = {"\\label{", "\\ref{", "\\eqref{"};
    const char * t;
    int i;

    for (i = 0; i < 3; i++)
        for (t = str; (t = strstr(t, cmds[i])) != NULL; t++)
        {
            t += strlen(cmds[i]);
            if (strncmp(t, prefix, strlen(prefix)) != 0
                || t[strlen(prefix)] != ':')
                return 0;
        }
    return 1;
}

/* Derived labels: different requests never share a prefix, the same
   request keeps it, the figure, plot and colours do not change it; a
   given prefix is used by every label and reference. */
START_TEST(test_doc_labels)
{
    enum { NV = 19 };
    gc_doc_t d[NV];
    char * lab[NV], * a, * b;
    int i, k;

    for (i = 0; i < NV; i++)
    {
        gc_doc_init(d[i], 4);
        d[i]->compare = 3;
    }
    d[1]->compare = 0;
    d[2]->param->layer = 2;
    d[3]->param->kind = GC_PARAM_W;
    d[3]->compare = 0;
    d[4]->shape.act = GC_SYM_F;
    d[5]->shape.act = GC_SYM_TANH;
    d[6]->shape.expand = GC_SYM_EXPAND_LOGISTIC;
    d[7]->shape.expand = GC_SYM_EXPAND_EXP;
    d[8]->shape.cost = GC_SYM_COST_QUADRATIC;
    d[9]->shape.cost = GC_SYM_COST_CROSS_ENTROPY;
    d[10]->print.form = GC_FORM_COMPACT;
    d[11]->print.width = 60;
    d[12]->print.breaks = GC_BREAK_MULTLINE;
    d[13]->print.head = 2;
    d[14]->print.tail = 2;
    d[15]->lang = GC_LANG_PT;
    d[16]->shape.len = 5;
    d[17]->compare = 2;
    d[18]->param->layer = 3; /* the same comparison, the other product */
    d[18]->compare = 1;
    for (i = 0; i < NV; i++)
        lab[i] = gc_doc_get_label(d[i]);
    for (i = 0; i < NV; i++)
        for (k = i + 1; k < NV; k++)
            ck_assert_msg(strcmp(lab[i], lab[k]) != 0,
                          "variants %d and %d share the labels %s", i, k,
                          lab[i]);
    ck_assert_str_eq(lab[0], "gradchain:L4-b1-b3");
    ck_assert_str_eq(lab[1], "gradchain:L4-b1");
    ck_assert_str_eq(lab[3], "gradchain:L4-w1");
    ck_assert_str_eq(lab[7], "gradchain:L4-b1-b3-exp");
    d[9]->lang = GC_LANG_PT;
    a = gc_doc_get_label(d[9]);
    ck_assert_str_eq(a, "gradchain:L4-b1-b3-cross-entropy-pt");
    flint_free(a);
    d[9]->lang = GC_LANG_EN;
    /* every label and reference of each document uses its prefix */
    for (i = 0; i < NV; i++)
    {
        d[i]->figure = 1;
        ck_assert(gc_doc_get_str(&a, d[i]) == GC_SUCCESS);
        ck_assert_msg(labels_use(a, lab[i]), "variant %d: not all %s", i,
                      lab[i]);
        ck_assert(count_str(a, "\\label{") >= 1);
        flint_free(a);
    }
    /* the same request: the same labels, whatever figure, plot, colour */
    d[0]->figure = 0;
    ck_assert(gc_doc_get_str(&a, d[0]) == GC_SUCCESS);
    d[0]->figure = d[0]->plot = d[0]->standalone = 1;
    d[0]->color = GC_DOC_COLOR_NONE;
    b = gc_doc_get_label(d[0]);
    ck_assert_str_eq(b, lab[0]);
    flint_free(b);
    ck_assert(gc_doc_get_str(&b, d[0]) == GC_SUCCESS);
    ck_assert(labels_use(a, lab[0]) && labels_use(b, lab[0]));
    flint_free(a);
    flint_free(b);
    /* a given prefix */
    d[9]->label = "ch2:ce";
    a = gc_doc_get_label(d[9]);
    ck_assert_str_eq(a, "ch2:ce");
    flint_free(a);
    ck_assert(gc_doc_get_str(&a, d[9]) == GC_SUCCESS);
    ck_assert(labels_use(a, "ch2:ce"));
    ck_assert_int_eq(count_str(a, "\\label{ch2:ce:product}"), 1);
    ck_assert_int_eq(count_str(a, "\\label{ch2:ce:simplify}"), 1);
    /* the cascade and the figure refer to the simplification */
    ck_assert(count_str(a, "\\eqref{ch2:ce:simplify}") == 1 + d[9]->figure
              && count_str(a, "\\eqref{ch2:ce:product}") >= 1);
    flint_free(a);
    for (i = 0; i < NV; i++)
        flint_free(lab[i]);
    ck_assert(gc_doc_label_is_valid("a") && !gc_doc_label_is_valid("")
              && !gc_doc_label_is_valid("a,b")
              && !gc_doc_label_is_valid("a{b}")
              && !gc_doc_label_is_valid("\\x")
              && !gc_doc_label_is_valid("é"));
}
END_TEST

START_TEST(test_doc_compare_swaps)
{
    gc_doc_t d;
    char * a, * b;

    /* --wrt b3 --compare b1 writes the same comparison as b1 with b3 */
    gc_doc_init(d, 4);
    d->compare = 3;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    d->param->layer = 3;
    d->compare = 1;
    ck_assert(gc_doc_get_str(&b, d) == GC_SUCCESS);
    ck_assert(strstr(a, "\\subsection*{\\raggedright \\boldmath $\\partial "
                        "C/\\partial b_{1}$ versus $\\partial C/\\partial "
                        "b_{3}$") != NULL);
    ck_assert(strstr(b, "\\subsection*{\\raggedright \\boldmath $\\partial "
                        "C/\\partial b_{1}$ versus $\\partial C/\\partial "
                        "b_{3}$")
              != NULL);
    ck_assert(strstr(a, "at least 16 times smaller") != NULL);
    flint_free(a);
    flint_free(b);
    d->lang = GC_LANG_PT;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(strstr(a, "pelo menos 16 vezes menor") != NULL);
    flint_free(a);
}
END_TEST

/* The estimated width of a figure label, in tenths of a centimetre:
   1.6 mm a visible character of its LaTeX, a command (\sigma) counting
   as one character and \displaystyle, braces, _ and ^ as none, a digit
   of a subscript 1.45 mm (cmr7's are 4.05 pt, 1.42 mm: w_{999999} is
   less than twice w_{1}); a \frac counts as its numerator (the wider
   part in the figure). */
static long
fig_label_width(const char * t, const char * end)
{
    long n = 0;         /* in hundredths of a millimetre */
    int sub = 0;

    if (strncmp(t, "\\displaystyle ", 14) == 0)
        t += 14;
    for (; t < end; t++)
    {
        if (*t == '\\')
        {
            n += 160 * (strncmp(t, "\\frac", 5) != 0
                        && strncmp(t, "\\,", 2) != 0);
            for (t++; t < end && isalpha((unsigned char) t[1]); t++)
                ;
        }
        else if (*t == '_')
            sub = 1;
        else if (*t == '}')
            sub = 0;
        else if (strchr("{^ ", *t) == NULL)
            n += sub && isdigit((unsigned char) *t) ? 145 : 160;
    }
    return (n + 99) / 100;
}

/* The factors of the figure in *a* (nodes "(fN) at (x,1.4) {$...$}")
   are at least half their widths plus a gap apart: nothing overlaps. */
static void
check_figure_spacing(const char * a, const char * what)
{
    const char * t = a;
    long x, xprev = 0, wprev = 0, wi, nodes = 0;
    int c1, c2;

    while ((t = strstr(t, " (f")) != NULL)
    {
        const char * lab, * end;
        long idx;

        if (sscanf(t, " (f%ld) at (%d.%d,", &idx, &c1, &c2) != 3)
        {
            t++;        /* "(fN) --", a dotted line */
            continue;
        }
        ck_assert_int_eq(idx, nodes);
        x = 10 * c1 + c2;
        lab = strstr(t, "{$") + 2;
        end = strstr(lab, "$}");
        wi = fig_label_width(lab, end);
        if (nodes > 0)
            ck_assert_msg(x - xprev >= (wi + wprev) / 2 + 2,
                          "%s: factor %ld at %ld mm overlaps the one at "
                          "%ld mm", what, nodes, x, xprev);
        xprev = x;
        wprev = wi;
        nodes++;
        t = end;
    }
    ck_assert_msg(nodes >= 1, "%s: no factor in the figure", what);
}

/* The two brace labels of the figure in *a*, centred on their braces
   or ending at a brace's right end ("pos=1,...,anchor=south east"), are
   on two rows or at least half their widths apart. */
static void
check_brace_labels(const char * a, const char * what)
{
    const char * t = a;
    int c[4], up[2], i;
    long wl[2], mid[2];

    for (i = 0; i < 2; i++)
    {
        const char * lab, * end;
        long x0, x1;

        t = strstr(t, "decoration={brace");
        ck_assert_msg(t != NULL, "%s: no brace %d", what, i);
        t = strstr(t, "] (");
        ck_assert(sscanf(t, "] (%d.%d,2.1) -- (%d.%d,2.1) node[", &c[0], &c[1],
                         &c[2], &c[3]) == 4);
        x0 = 10 * c[0] + c[1];
        x1 = 10 * c[2] + c[3];
        t = strstr(t, "node[") + 5;
        ck_assert(sscanf(strstr(t, "above="), "above=%dpt", &up[i]) == 1);
        lab = strstr(t, "] {") + 3;
        end = strstr(lab, "};\n");
        wl[i] = fig_label_width(lab, end);
        mid[i] = strncmp(t, "pos=1,", 6) == 0 ? x1 - wl[i] / 2
                                               : (x0 + x1) / 2;
        t = end;
    }
    if (up[0] == up[1])
        ck_assert_msg(mid[1] - mid[0] >= (wl[0] + wl[1]) / 2,
                      "%s: the brace labels overlap", what);
}

START_TEST(test_doc_figure_layout)
{
    static const gc_sym_expand_t ex[3] = {GC_SYM_EXPAND_NONE,
        GC_SYM_EXPAND_LOGISTIC, GC_SYM_EXPAND_EXP};
    static const slong lens[3] = {2, 4, 12};
    gc_doc_t d;
    char * a, * fig, what[64];
    int e, ce, li, lang;

    for (e = 0; e < 3; e++)
    for (ce = 0; ce < 2; ce++)
    for (li = 0; li < 3; li++)
    for (lang = 0; lang < 2; lang++)
    {
        gc_doc_init(d, lens[li]);
        d->shape.expand = ex[e];
        d->shape.cost = ce ? GC_SYM_COST_CROSS_ENTROPY : GC_SYM_COST_QUADRATIC;
        d->compare = lens[li];
        d->figure = 1;
        d->lang = lang ? GC_LANG_PT : GC_LANG_EN;
        snprintf(what, sizeof what, "expand %d, cost %d, L %ld, lang %d",
                 e, ce, (long) lens[li], lang);
        ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
        /* an expanded derivative is abbreviated in the figure, and said */
        ck_assert_int_eq(count_str(a, lang ? "abrevia a forma expandida"
                                           : "abbreviates its expanded form"),
                         e > 0);
        fig = strstr(a, "\\begin{tikzpicture}");
        *strstr(fig, "\\end{tikzpicture}") = '\0';
        check_figure_spacing(fig, what);
        check_brace_labels(fig, what);
        /* the figure shows (1): a_L - y at the output with cross-entropy,
           never the unsimplified dC/da_L nor an expanded derivative */
        ck_assert_msg(strstr(fig, "1-a_") == NULL
                      && strstr(fig, "(1-") == NULL, "%s", what);
        ck_assert_int_eq(count_str(fig, "{$\\displaystyle (a_"), 1);
        snprintf(what, sizeof what, "{$\\displaystyle \\sigma'(z_{%ld})$}",
                 (long) lens[li]);
        ck_assert_int_eq(count_str(fig, what), !ce);
        flint_free(a);
    }
}
END_TEST

/* The x range of brace *n* (0 extra, 1 shared) in figure *fig*, in
   tenths. */
static void
brace_range(const char * fig, int n, long * x0, long * x1)
{
    const char * t = fig;
    int c[4], i;

    for (i = 0; i <= n; i++)
    {
        t = strstr(t, "decoration={brace");
        ck_assert(t != NULL);
        t = strstr(t, "] (");
    }
    ck_assert(sscanf(t, "] (%d.%d,2.1) -- (%d.%d,2.1)", &c[0], &c[1], &c[2],
                     &c[3]) == 4);
    *x0 = 10 * c[0] + c[1];
    *x1 = 10 * c[2] + c[3];
}

/* A deep chain's figure elides its middle neurons: at most 5 neurons
   (j, j + 1, k, L - 1, L; L elided too, C after an ellipsis, when j, k
   and L do not fit, as for L = 1000 or 999999 against b_{L/2} in 118
   mm) and an ellipsis on the chain and in the row of factors; labels
   apart; the braces cover the extra and the shared factors, apart, the
   ellipsis of the factors under the brace of its factors; a wider text
   shows more neurons; the standalone page has the text width asked. */
START_TEST(test_doc_figure_elided)
{
    static const slong lens[4] = {12, 40, 1000, 999999};
    gc_doc_t d;
    char * a, * fig, * t, want[32];
    long e0, e1, s0, s1;
    slong li, ki, neurons[2];
    int wide;

    for (li = 0; li < 4; li++)
    for (ki = 0; ki < 2; ki++)
    for (wide = 0; wide < 2; wide++)
    {
        slong L = lens[li], k = ki ? L / 2 : 2;

        gc_doc_init(d, L);
        d->compare = k;
        d->figure = 1;
        d->parts = GC_DOC_PART_BIT(GC_DOC_PART_FIGURE);  /* fast at 999999 */
        d->textwidth = wide ? 600.0 : 335.74;   /* 118 mm */
        ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
        fig = strstr(a, "\\begin{tikzpicture}");
        *strstr(fig, "\\end{tikzpicture}") = '\0';
        check_figure_spacing(fig, "elided");
        check_brace_labels(fig, "elided");
        neurons[wide] = count_str(fig, "\\node[neuron]");
        ck_assert_int_le(neurons[wide], 5);
        ck_assert_int_ge(neurons[wide], 2);
        ck_assert_int_ge(count_str(fig, ",0) {$\\cdots$};"), 1);
        ck_assert(strstr(fig, "{$b_{1}$}") != NULL);
        snprintf(want, sizeof want, "{$b_{%ld}$}", (long) k);
        ck_assert(strstr(fig, want) != NULL);
        /* b_L, or C after an ellipsis */
        snprintf(want, sizeof want, "{$b_{%ld}$}", (long) L);
        ck_assert(strstr(fig, want) != NULL
                  || (snprintf(want, sizeof want, "(e%ld)", (long) L + 1),
                      strstr(fig, want) != NULL));
        if (L == 999999 && ki == 1 && !wide)
            ck_assert(strstr(fig, "{$b_{999999}$}") == NULL
                      && strstr(fig, "\\node (e1000000) at") != NULL);
        brace_range(fig, 0, &e0, &e1);
        brace_range(fig, 1, &s0, &s1);
        ck_assert(e0 < e1 && e1 < s0 && s0 < s1);
        /* every factor under its brace, the ellipses included */
        for (t = fig; (t = strstr(t, "\\node[gradchain-")) != NULL; t++)
        {
            int shared = strncmp(t + 16, "shared", 6) == 0, c1, c2;
            long x;

            ck_assert(sscanf(strstr(t, " at ("), " at (%d.%d,", &c1,
                             &c2) == 2);
            x = 10 * c1 + c2;
            ck_assert(shared ? s0 < x && x < s1 : e0 < x && x < e1);
        }
        ck_assert_int_ge(count_str(fig, "] (f"), 5);
        ck_assert_int_eq(count_str(fig, "{$\\displaystyle \\cdots$}"),
                         1 + (k > 3));
        flint_free(a);
        if (wide)
            ck_assert_int_gt(neurons[1], neurons[0]);
    }
    /* --standalone: the text width asked, or the default A4 page */
    gc_doc_init(d, 3);
    d->standalone = 1;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(strstr(a, "\\usepackage[a4paper,margin=2.5cm]{geometry}"));
    flint_free(a);
    d->textwidth = 335.74;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(strstr(a, "\\usepackage[a4paper,paperwidth=597.51pt,"
                        "textwidth=335.74pt,\n  vmargin=2.5cm]{geometry}"));
    flint_free(a);
    d->textwidth = 900.0;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(strstr(a, "paperwidth=1042.26pt,textwidth=900.00pt,"));
    flint_free(a);
}
END_TEST

START_TEST(test_doc_look)
{
    gc_doc_t d;
    char * a;

    /* the colours are defined once, used in the comparison, the "Hence"
       sentence and the figure */
    gc_doc_init(d, 4);
    d->compare = 3;
    d->figure = 1;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert_int_eq(count_str(a, "\\providecolor{gradchain-extra}{HTML}"
                                  "{E69F00}\n"), 1);
    ck_assert_int_eq(count_str(a, "\\providecolor{gradchain-shared}{HTML}"
                                  "{0072B2}\n"), 1);
    ck_assert_int_eq(count_str(a, "\\providecolor"), 2);
    ck_assert(strstr(a, "colorlet") == NULL && strstr(a, "definecolor") == NULL);
    ck_assert_int_eq(count_str(a, "\\textcolor{gradchain-extra}{\\sigma'"
                                  "(z_{1})\\,w_{2}\\,\\sigma'(z_{2})\\,"
                                  "w_{3}}"), 3);
    ck_assert_int_eq(count_str(a, "\\textcolor{gradchain-shared}{"), 3);
    ck_assert_int_eq(count_str(a, "\\node[gradchain-extra]"), 4);
    ck_assert_int_eq(count_str(a, "\\node[gradchain-shared]"), 4);
    /* the braces differ without colour: solid and thick, or dashed */
    ck_assert_int_eq(count_str(a, "brace,amplitude=5pt},thick,"
                                  "gradchain-extra]"), 1);
    ck_assert_int_eq(count_str(a, "brace,amplitude=5pt},densely dashed,"
                                  "gradchain-shared]"), 1);
    ck_assert(strstr(a, "\\,\\textcolor{gradchain-shared}{\\partial "
                        "C/\\partial b_{3}}$.") != NULL);
    ck_assert(strstr(a, "with ${|w_{j}| < 1}$, each pair $\\textcolor"
                        "{gradchain-extra}{\\sigma'(z_{1})\\,w_{2}}$ and "
                        "$\\textcolor{gradchain-extra}{\\sigma'(z_{2})\\,"
                        "w_{3}}$ is below") != NULL);
    flint_free(a);
    /* no colour: the same document without a colour command, the
       braces still apart */
    d->color = GC_DOC_COLOR_NONE;
    d->plot = 1;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(strstr(a, "color") == NULL && strstr(a, "gradchain-") == NULL
              && strstr(a, "blue") == NULL && strstr(a, "{red") == NULL);
    ck_assert(strstr(a, "[gccurve/.style={}, gcbound/.style={}]") != NULL);
    ck_assert(strstr(a, "with ${|w_{j}| < 1}$, each pair $\\sigma'(z_{1})"
                        "\\,w_{2}$ and $\\sigma'(z_{2})\\,w_{3}$ is below")
              != NULL);
    ck_assert_int_eq(count_str(a, "brace,amplitude=5pt},thick]"), 1);
    ck_assert_int_eq(count_str(a, "brace,amplitude=5pt},densely dashed]"), 1);
    ck_assert(strstr(a, "\\node (f0) at") != NULL);
    /* the network may break after an arrow (no braces around it), in a
       paragraph that may stretch rather than pass the margin */
    ck_assert(strstr(a, "{\\emergencystretch=3em\nNetwork: $a_{0} "
                        "\\xrightarrow{w_{1}} (b_{1})") != NULL);
    ck_assert(strstr(a, "(b_{4}) \\to C$, ") != NULL);
    /* the first steps of the cascade are justified */
    ck_assert(strstr(a, "\\Delta a_{1} &\\approx \\frac{\\partial \\sigma"
                        "(w_{1} a_{0} + b_{1})}{\\partial b_{1}}\\,\\Delta "
                        "b_{1} = \\sigma'(z_{1})\\,\\Delta b_{1} \\\\\n")
              != NULL);
    ck_assert(strstr(a, "\\Delta z_{2} &\\approx \\frac{\\partial z_{2}}"
                        "{\\partial a_{1}}\\,\\Delta a_{1} = w_{2}\\,\\Delta "
                        "a_{1} \\approx \\sigma'(z_{1})\\,w_{2}\\,\\Delta "
                        "b_{1} \\\\\n") != NULL);
    ck_assert(strstr(a, "\\Delta C &\\approx \\frac{\\partial C}{\\partial "
                        "a_{4}}\\,\\Delta a_{4} \\approx ") != NULL);
    flint_free(a);

    /* a weight: the activation is differentiated by w_j directly, and the
       cost factor written out is justified by dC/da_L */
    gc_doc_init(d, 3);
    d->param->kind = GC_PARAM_W;
    d->param->layer = 2;
    d->shape.act = GC_SYM_F_LAYER;
    d->shape.cost = GC_SYM_COST_QUADRATIC;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(strstr(a, "\\begin{align}\n  \\Delta a_{2} &\\approx "
                        "\\frac{\\partial f_{2}(w_{2} a_{1} + b_{2})}"
                        "{\\partial w_{2}}\\,\\Delta w_{2} = a_{1}\\,f_{2}'"
                        "(z_{2})\\,\\Delta w_{2} \\\\\n") != NULL);
    ck_assert(strstr(a, "\\Delta C &\\approx \\frac{\\partial C}{\\partial "
                        "a_{3}}\\,\\Delta a_{3} = (a_{3}-y)\\,\\Delta a_{3} "
                        "\\approx ") != NULL);
    ck_assert(strstr(a, "gradchain-extra") == NULL);
    flint_free(a);

    /* one shared f */
    gc_doc_init(d, 2);
    d->shape.act = GC_SYM_F;
    d->param->layer = 2;
    ck_assert(gc_doc_get_str(&a, d) == GC_SUCCESS);
    ck_assert(strstr(a, "\\frac{\\partial f(w_{2} a_{1} + b_{2})}"
                        "{\\partial b_{2}}") != NULL);
    flint_free(a);
}
END_TEST

/* Appends, for L = lo..hi, every parameter, the equation in *o*. */
static void
all_equations(buf_struct * b, const gc_shape_t s0, const gc_print_opts_t o,
              slong lo, slong hi)
{
    gc_shape_t s;
    gc_expr_t e;
    slong L, j;
    int p;

    gc_expr_init(e);
    for (L = lo; L <= hi; L++)
    {
        *s = *s0;
        s->len = L;
        for (p = 0; p < 2; p++)
        {
            for (j = 1; j <= L; j++)
            {
                ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM((gc_param_kind_t) p, j))
                          == GC_SUCCESS);
                buf_take(b, gc_expr_get_str_equation(GC_TEST_PARAM((gc_param_kind_t) p, j),
                                                     e, o));
            }
        }
    }
    gc_expr_clear(e);
}

START_TEST(test_golden_forms)
{
    gc_shape_t s;
    gc_print_opts_t o;
    int fmt, form;
    char name[64];

    gc_shape_init(s, 1);
    for (fmt = 0; fmt < 3; fmt++)
    {
        for (form = 0; form < 5; form++)
        {
            buf_struct b = {NULL, 0};

            gc_print_opts_init(o);
            o->format = (gc_print_format_t) fmt;
            o->form = (gc_form_t) form;
            buf_add(&b, "");
            all_equations(&b, s, o, 1, 5);
            snprintf(name, sizeof name, "expr-%s-%s.txt", format_names[fmt],
                     form_names[form]);
            golden_check(name, &b);
            flint_free(b.s);
        }
    }
}
END_TEST

START_TEST(test_golden_shapes_breaks)
{
    gc_shape_t s;
    gc_print_opts_t o;
    int fmt, act, x, cost, form, br;
    char name[64];

    for (fmt = 0; fmt < 3; fmt++)
    {
        buf_struct b = {NULL, 0};

        buf_add(&b, "");
        gc_print_opts_init(o);
        o->format = (gc_print_format_t) fmt;
        for (act = 0; act < 3; act++)
            for (x = 0; x < (act == 0 ? 3 : 1); x++)
                for (cost = 0; cost < 3; cost++)
                    for (form = 1; form < 5; form += 1)
                    {
                        slong L = form == GC_FORM_ELIDED ? 5 : 3;

                        gc_shape_init(s, 1);
                        s->act = (gc_sym_act_t) act;
                        s->expand = (gc_sym_expand_t) x;
                        s->cost = (gc_sym_cost_t) cost;
                        o->form = (gc_form_t) form;
                        o->head = 2;
                        o->tail = 2;
                        all_equations(&b, s, o, L, L);
                    }
        snprintf(name, sizeof name, "shapes-%s.txt", format_names[fmt]);
        golden_check(name, &b);
        flint_free(b.s);

        b.s = NULL;
        b.len = 0;
        buf_add(&b, "");
        gc_shape_init(s, 1);
        gc_print_opts_init(o);
        o->format = (gc_print_format_t) fmt;
        o->width = 30;
        for (br = 1; br <= 2; br++)
            for (form = 1; form < 5; form += 3)
            {
                o->breaks = (gc_break_t) br;
                o->form = (gc_form_t) form;
                all_equations(&b, s, o, 1, 5);
            }
        snprintf(name, sizeof name, "breaks-%s.txt", format_names[fmt]);
        golden_check(name, &b);
        flint_free(b.s);
    }
}
END_TEST

START_TEST(test_golden_documents)
{
    static const gc_sym_cost_t cost[6] = {
        GC_SYM_COST_GENERIC, GC_SYM_COST_GENERIC, GC_SYM_COST_QUADRATIC,
        GC_SYM_COST_CROSS_ENTROPY, GC_SYM_COST_GENERIC,
        GC_SYM_COST_CROSS_ENTROPY};
    static const char * const langs[2] = {"en", "pt"};
    gc_doc_t d;
    slong L, j;
    int lang, p;
    char name[64], * str;

    for (lang = 0; lang < 2; lang++)
    {
        for (L = 1; L <= 5; L++)
        {
            buf_struct b = {NULL, 0};

            buf_add(&b, "");
            for (p = 0; p < 2; p++)
            {
                for (j = 1; j <= L; j++)
                {
                    gc_doc_init(d, L);
                    d->lang = (gc_lang_t) lang;
                    d->shape.cost = cost[L];
                    if (L == 5)
                        d->shape.act = GC_SYM_F;
                    d->param->kind = (gc_param_kind_t) p;
                    d->param->layer = j;
                    d->figure = 1;
                    d->plot = j == 1 && p == 0;
                    if (p == 0 && L > 1)
                        d->compare = j % L + 1;
                    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
                    buf_take(&b, str);
                }
            }
            snprintf(name, sizeof name, "doc-%s-L%ld.tex", langs[lang],
                     (long) L);
            golden_check(name, &b);
            flint_free(b.s);
        }
        {
            buf_struct b = {NULL, 0};

            gc_doc_init(d, 4);
            d->lang = (gc_lang_t) lang;
            d->compare = 3;
            d->figure = d->plot = d->standalone = 1;
            ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
            buf_add(&b, "");
            buf_take(&b, str);
            snprintf(name, sizeof name, "doc-%s-standalone.tex",
                     langs[lang]);
            golden_check(name, &b);
            flint_free(b.s);
        }
    }
}
END_TEST

/* A random product of valid factors (gibberish for the printers). */
static void
random_expr(gc_expr_t e, flint_rand_t st)
{
    slong n = n_randint(st, 30), i;

    gc_expr_zero(e);
    for (i = 0; i < n; i++)
    {
        gc_factor_struct f;

        f.kind = (gc_factor_kind_t) n_randint(st, GC_FACTOR_NKINDS);
        f.index = n_randint(st, 4) == 0 ? n_randint(st, 1000000)
                                        : n_randint(st, 12);
        /* runs of pairs w_k f'(z_k), k consecutive, exercise \prod */
        if (i > 0 && n_randint(st, 2) && e->fac[i - 1].kind == GC_FACTOR_W)
        {
            f.kind = GC_FACTOR_DACT;
            f.index = e->fac[i - 1].index;
        }
        else if (i > 1 && n_randint(st, 2)
                 && e->fac[i - 1].kind == GC_FACTOR_DACT)
        {
            f.kind = GC_FACTOR_W;
            f.index = e->fac[i - 1].index + 1;
        }
        f.act = GC_SYM_SIGMA;
        f.expand = GC_SYM_EXPAND_NONE;
        if (f.kind == GC_FACTOR_DACT)
        {
            f.act = (gc_sym_act_t) n_randint(st, GC_SYM_NACTS);
            f.expand = (gc_sym_expand_t) n_randint(st, 3);
            if (!gc_sym_act_has_expand(f.act, f.expand))
                f.expand = GC_SYM_EXPAND_NONE;
        }
        gc_expr_push(e, &f);
    }
}

START_TEST(test_roundtrip_random)
{
    flint_rand_t st;
    gc_expr_t e, r;
    gc_print_opts_t o;
    gc_parse_error_t err;
    slong iter;

    gc_test_randinit(st);
    gc_expr_init(e);
    gc_expr_init(r);
    for (iter = 0; iter < gc_test_iters(400); iter++)
    {
        int fmt, form, br;

        random_expr(e, st);
        for (fmt = 0; fmt < 3; fmt++)
            for (form = 0; form < 5; form++)
                for (br = 0; br < 3; br++)
                {
                    char * str, * eq;

                    gc_print_opts_init(o);
                    o->format = (gc_print_format_t) fmt;
                    o->form = (gc_form_t) form;
                    o->breaks = (gc_break_t) br;
                    o->width = 8 + n_randint(st, 80);
                    o->head = 1 + n_randint(st, 4);
                    o->tail = 1 + n_randint(st, 4);
                    str = gc_expr_get_str(e, o);
                    eq = gc_expr_get_str_equation(GC_TEST_PARAM(GC_PARAM_W, 7), e, o);
                    if (fmt == GC_PRINT_ASCII && form != GC_FORM_ELIDED
                        && (form != GC_FORM_AUTO || br != 0))
                    {
                        const char * rhs = strstr(eq, " = ") + 3;

                        ck_assert_msg(gc_expr_set_str_ascii(r, str, err)
                                      == GC_SUCCESS, "'%s': %s seed=%lu",
                                      str, err->msg, gc_test_seed());
                        ck_assert_msg(gc_expr_equal(r, e), "'%s' seed=%lu",
                                      str, gc_test_seed());
                        ck_assert_msg(gc_expr_set_str_ascii(r, rhs, err)
                                      == GC_SUCCESS && gc_expr_equal(r, e),
                                      "'%s' seed=%lu", eq, gc_test_seed());
                    }
                    flint_free(str);
                    flint_free(eq);
                }
    }
    gc_expr_clear(r);
    gc_expr_clear(e);
    flint_randclear(st);
}
END_TEST

START_TEST(test_roundtrip_chains)
{
    gc_shape_t s;
    gc_expr_t e, r;
    gc_print_opts_t o;
    gc_parse_error_t err;
    slong L, j;
    int act, x, cost, form, p;

    gc_expr_init(e);
    gc_expr_init(r);
    gc_print_opts_init(o);
    o->format = GC_PRINT_ASCII;
    for (L = 1; L <= 7; L++)
        for (act = 0; act < GC_SYM_NACTS; act++)
            for (x = 0; x < 3; x++)
                for (cost = 0; cost < 3; cost++)
                    for (p = 0; p < 2; p++)
                        for (j = 1; j <= L; j++)
                            for (form = 1; form < 5; form++)
                            {
                                char * str;

                                if (form == GC_FORM_ELIDED
                                    || !gc_sym_act_has_expand(
                                        (gc_sym_act_t) act,
                                        (gc_sym_expand_t) x))
                                    continue;
                                gc_shape_init(s, L);
                                s->act = (gc_sym_act_t) act;
                                s->expand = (gc_sym_expand_t) x;
                                s->cost = (gc_sym_cost_t) cost;
                                if (!gc_sym_cost_is_valid(s))
                                    continue;
                                o->form = (gc_form_t) form;
                                ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM((gc_param_kind_t) p, j))
                                          == GC_SUCCESS);
                                str = gc_expr_get_str(e, o);
                                ck_assert_msg(
                                    gc_expr_set_str_ascii(r, str, err)
                                        == GC_SUCCESS
                                        && gc_expr_equal(r, e),
                                    "'%s'", str);
                                flint_free(str);
                            }
    gc_expr_clear(r);
    gc_expr_clear(e);
}
END_TEST

START_TEST(test_random_documents)
{
    flint_rand_t st;
    gc_doc_t d;
    slong iter;
    char * str;

    gc_test_randinit(st);
    for (iter = 0; iter < gc_test_iters(200); iter++)
    {
        gc_doc_init(d, n_randint(st, 16));
        d->shape.act = (gc_sym_act_t) n_randint(st, 3);
        d->shape.expand = (gc_sym_expand_t) n_randint(st, 3);
        d->shape.cost = (gc_sym_cost_t) n_randint(st, 3);
        d->param->kind = (gc_param_kind_t) n_randint(st, 2);
        d->param->layer = n_randint(st, 17);
        d->compare = n_randint(st, 3) ? 0 : n_randint(st, 17);
        d->figure = n_randint(st, 2);
        d->plot = n_randint(st, 2);
        d->standalone = n_randint(st, 2);
        d->lang = (gc_lang_t) n_randint(st, 2);
        d->print.form = (gc_form_t) n_randint(st, 5);
        d->print.breaks = (gc_break_t) n_randint(st, 3);
        d->print.width = 8 + n_randint(st, 100);
        if (gc_doc_check(d, NULL) == GC_SUCCESS)
        {
            ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
            ck_assert_msg(strstr(str, "\\begin{align}") != NULL,
                          "seed=%lu", gc_test_seed());
            ck_assert(!d->standalone
                      || strstr(str, "\\end{document}\n") != NULL);
            flint_free(str);
        }
        else
        {
            ck_assert(gc_doc_get_str(&str, d) == GC_INVALID && str == NULL);
        }
    }
    flint_randclear(st);
}
END_TEST

/* The network n4_s0 in binary64: z_j, a_j, sigma'(z_j). */
typedef struct
{
    double a[5], z[5], w[5], sp[5], y;
} net4_struct;

static void
net4_read(net4_struct * n)
{
    FILE * f = fopen(GC_TEST_REFDIR "/n4_s0.net", "r");
    char line[512];
    slong j = 1;

    ck_assert(f != NULL);
    n->a[0] = 1;
    n->y = 0;
    while (fgets(line, sizeof line, f) != NULL)
    {
        double w, b;

        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "a0 %lf", &w) == 1)
            n->a[0] = w;
        else if (sscanf(line, "y %lf", &w) == 1)
            n->y = w;
        else if (sscanf(line, "%lf %lf", &w, &b) == 2 && j <= 4)
        {
            n->w[j] = w;
            n->z[j] = w * n->a[j - 1] + b;
            n->a[j] = 1 / (1 + exp(-n->z[j]));
            n->sp[j] = n->a[j] * (1 - n->a[j]);
            j++;
        }
    }
    fclose(f);
    ck_assert_int_eq(j, 5);
}

/* Evaluates one ASCII factor at the values of *n* (a tiny evaluator of
   the expanded ASCII grammar, independent of the library's parser). */
static double
eval_factor(const char * t, const net4_struct * n)
{
    long k, k2;
    char c;

    if (sscanf(t, "sigma'(z_%ld%c", &k, &c) == 2 && c == ')')
        return n->sp[k];
    if (sscanf(t, "sigma(z_%ld)(1-sigma(z_%ld))", &k, &k2) == 2)
        return n->a[k] * (1 - n->a[k2]);
    if (sscanf(t, "exp(-z_%ld)/(1+exp(-z_%ld))^2", &k, &k2) == 2)
        return exp(-n->z[k]) / ((1 + exp(-n->z[k2])) * (1 + exp(-n->z[k2])));
    if (sscanf(t, "w_%ld", &k) == 1)
        return n->w[k];
    if (sscanf(t, "a_%ld", &k) == 1)
        return n->a[k];
    if (sscanf(t, "dC/da_%ld", &k) == 1)
        return n->a[k] - n->y; /* quadratic cost */
    if (sscanf(t, "(a_%ld - y)", &k) == 1)
        return n->a[k] - n->y;
    ck_abort_msg("unknown factor '%s'", t);
    return 0;
}

static double
eval_ascii(const char * s, const net4_struct * n)
{
    double v = 1;
    char tok[128];

    for (;;)
    {
        const char * e = strstr(s, " * ");
        size_t len = e == NULL ? strlen(s) : (size_t) (e - s);

        ck_assert(len < sizeof tok);
        memcpy(tok, s, len);
        tok[len] = '\0';
        v *= eval_factor(tok, n);
        if (e == NULL)
            return v;
        s = e + 3;
    }
}

START_TEST(test_numeric_crosscheck)
{
    FILE * f = fopen(GC_TEST_REFDIR "/n4_s0.expected", "r");
    char line[512];
    net4_struct n;
    gc_shape_t s;
    gc_expr_t e;
    gc_print_opts_t o;
    int rows = 0;

    ck_assert(f != NULL);
    net4_read(&n);
    gc_expr_init(e);
    gc_print_opts_init(o);
    o->format = GC_PRINT_ASCII;
    o->form = GC_FORM_EXPANDED;
    while (fgets(line, sizeof line, f) != NULL)
    {
        long j;
        double db, dw;
        int x, c, p;

        if (line[0] == '#' || sscanf(line, "%ld %lf %lf", &j, &db, &dw) != 3)
            continue;
        rows++;
        for (x = 0; x < 3; x++)
            for (c = 0; c < 2; c++)
                for (p = 0; p < 2; p++)
                {
                    char * str;
                    double v, want = p == 0 ? db : dw;

                    gc_shape_init(s, 4);
                    s->expand = (gc_sym_expand_t) x;
                    s->cost = c ? GC_SYM_COST_QUADRATIC
                                : GC_SYM_COST_GENERIC;
                    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM((gc_param_kind_t) p, j))
                              == GC_SUCCESS);
                    str = gc_expr_get_str(e, o);
                    v = eval_ascii(str, &n);
                    ck_assert_msg(fabs(v - want) <= 1e-12 * fabs(want),
                                  "%s = %.17g, want %.17g", str, v, want);
                    flint_free(str);
                }
    }
    ck_assert_int_eq(rows, 4);
    fclose(f);
    gc_expr_clear(e);
}
END_TEST

/* The general formula with the letter j, in the three formats, written
   out by hand from dC/db_j = s'(z_j) prod_{k=j+1}^{L} w_k s'(z_k) dC/da_L
   and dC/dw_j = a_{j-1} dC/db_j. */
START_TEST(test_general_formula)
{
    gc_shape_t s;
    gc_param_t bj, wn;
    char * str;

    gc_shape_init(s, 4);
    ck_assert(gc_sym_param_set_str(bj, "bj") == GC_SUCCESS);
    ck_assert(gc_sym_param_set_str(wn, "wn") == GC_SUCCESS);
    str = gc_general_get_str(bj, s, GC_PRINT_LATEX, 1);
    ck_assert_str_eq(str, "\\begin{equation}\n  \\frac{\\partial C}{\\partial "
        "b_{j}} = \\sigma'(z_{j})\\,\\left(\\prod_{k=j+1}^{4} w_{k}\\,"
        "\\sigma'(z_{k})\\right)\\,\\frac{\\partial C}{\\partial a_{4}}\n"
        "\\end{equation}\n");
    flint_free(str);
    str = gc_general_get_str(bj, s, GC_PRINT_TEXT, 1);
    ck_assert_str_eq(str, "\xe2\x88\x82" "C/\xe2\x88\x82" "b\xe2\xb1\xbc = "
        "\xcf\x83\xe2\x80\xb2(z\xe2\xb1\xbc) (\xe2\x88\x8f\xe2\x82\x96"
        "\xe2\x82\x8c\xe2\xb1\xbc\xe2\x82\x8a\xe2\x82\x81\xe2\x81\xb4 "
        "w\xe2\x82\x96 \xcf\x83\xe2\x80\xb2(z\xe2\x82\x96)) \xe2\x88\x82"
        "C/\xe2\x88\x82" "a\xe2\x82\x84\n");
    flint_free(str);
    s->act = GC_SYM_F_LAYER;
    s->cost = GC_SYM_COST_QUADRATIC;
    s->len = 12;
    str = gc_general_get_str(wn, s, GC_PRINT_ASCII, 1);
    ck_assert_str_eq(str, "dC/db_n = f_n'(z_n) * prod_{k=n+1}^{12}"
        "(w_k * f_k'(z_k)) * (a_12 - y)\ndC/dw_n = a_{n-1} * dC/db_n\n");
    flint_free(str);
    str = gc_general_get_str(wn, s, GC_PRINT_ASCII, 0);
    ck_assert_str_eq(str, "a_{n-1} * f_n'(z_n) * prod_{k=n+1}^{12}"
        "(w_k * f_k'(z_k)) * (a_12 - y)");
    flint_free(str);
    str = gc_general_get_str(wn, s, GC_PRINT_LATEX, 1);
    ck_assert_str_eq(str, "\\begin{align}\n  \\frac{\\partial C}{\\partial "
        "b_{n}} &= f_{n}'(z_{n})\\,\\left(\\prod_{k=n+1}^{12} w_{k}\\,"
        "f_{k}'(z_{k})\\right)\\,(a_{12}-y) \\\\\n  \\frac{\\partial C}"
        "{\\partial w_{n}} &= a_{n-1}\\,\\frac{\\partial C}{\\partial b_{n}}"
        "\n\\end{align}\n");
    flint_free(str);
}
END_TEST

/* The ASCII general formula (without lhs) with the letter replaced by
   the layer J of an L-layer chain: a_{j-1} -> a_{J-1}, {k=j+1} ->
   {k=J+1} (the whole empty prod dropped when J = L), _j -> _J. */
static char *
general_at(const char * g, slong J, slong L)
{
    char * res = flint_malloc(strlen(g) + 64);
    size_t n = 0;

    while (*g != '\0')
    {
        if (strncmp(g, "a_{j-1}", 7) == 0)
        {
            n += (size_t) sprintf(res + n, "a_%ld", (long) (J - 1));
            g += 7;
        }
        else if (strncmp(g, "prod_{k=j+1}", 12) == 0 && J == L)
            g = strstr(g, ")) * ") + 5;
        else if (strncmp(g, "{k=j+1}", 7) == 0)
        {
            n += (size_t) sprintf(res + n, "{k=%ld}", (long) (J + 1));
            g += 7;
        }
        else if (strncmp(g, "_j", 2) == 0)
        {
            n += (size_t) sprintf(res + n, "_%ld", (long) J);
            g += 2;
        }
        else
            res[n++] = *g++;
    }
    res[n] = '\0';
    return res;
}

/* For every layer J of chains of 1 to 6 layers, every activation and
   cost, the general formula at j = J reads back as the gradient that
   gc_expr_set_grad builds for that layer (unsimplified: the cascade's
   product, which differs for the cross-entropy with a sigmoid). */
START_TEST(test_general_matches_layers)
{
    gc_shape_t s;
    gc_param_t p, sym;
    gc_cascade_t c;
    gc_expr_t e;
    gc_parse_error_t err;
    slong L, J;
    int act, cost, kind;
    char * g, * at;

    gc_cascade_init(c);
    gc_expr_init(e);
    for (L = 1; L <= 6; L++)
        for (act = 0; act < GC_SYM_NACTS; act++)
            for (cost = 0; cost <= GC_SYM_COST_CROSS_ENTROPY; cost++)
                for (kind = 0; kind < 2; kind++)
                {
                    gc_shape_init(s, L);
                    s->act = (gc_sym_act_t) act;
                    s->cost = (gc_sym_cost_t) cost;
                    s->expand = act == GC_SYM_SIGMA && L % 2
                                ? GC_SYM_EXPAND_CLOSED : GC_SYM_EXPAND_NONE;
                    if (gc_shape_check(s) != GC_SUCCESS)
                        continue;
                    ck_assert(gc_sym_param_set_str(sym, kind ? "wj" : "bj")
                              == GC_SUCCESS);
                    g = gc_general_get_str(sym, s, GC_PRINT_ASCII, 0);
                    for (J = 1; J <= L; J++)
                    {
                        gc_param_set(p, (gc_param_kind_t) kind, J);
                        at = general_at(g, J, L);
                        ck_assert_msg(gc_expr_set_str_ascii(e, at, err)
                                      == GC_SUCCESS, "%s", at);
                        ck_assert(gc_cascade_set(c, s, p) == GC_SUCCESS);
                        ck_assert_msg(gc_expr_equal(e, c->prod), "%s", at);
                        flint_free(at);
                    }
                    flint_free(g);
                }
    gc_expr_clear(e);
    gc_cascade_clear(c);
}
END_TEST

/* Removes *nlines* lines of *str* from *at* on. */
static void
cut(char * str, char * at, int nlines)
{
    char * e = at;

    ck_assert(str != NULL && at != NULL);
    while (nlines-- > 0)
        e = strchr(e, '\n') + 1;
    memmove(at, e, strlen(e) + 1);
}

/* Replaces each \ifcsname r@L\endcsname\eqref{L}\else X\fi{} of *str*
   by \eqref{L}. */
static void
unguard(char * str)
{
    char * q, * e;

    while ((q = strstr(str, "\\ifcsname")) != NULL)
    {
        e = strstr(q, "\\endcsname") + strlen("\\endcsname");
        memmove(q, e, strlen(e) + 1);
        q = strstr(q, "\\else ");
        e = strstr(q, "\\fi{}") + strlen("\\fi{}");
        memmove(q, e, strlen(e) + 1);
    }
}

/* The requests of parts and headings that gc_doc_check refuses, and the
   parts written: each part alone, concatenated in document order, is the
   whole document (the fragment's header aside). */
START_TEST(test_doc_parts)
{
    static const struct
    {
        unsigned parts;
        slong compare;
        int figure, plot;
        const char * why;
    } bad[] = {
        {1u << GC_DOC_NPARTS, 3, 1, 1, "unknown part"},
        {GC_DOC_PART_BIT(GC_DOC_PART_COMPARE), 0, 1, 1,
         "the compare part needs a comparison"},
        {GC_DOC_PART_BIT(GC_DOC_PART_FIGURE), 3, 0, 1,
         "the figure part needs the figure"},
        {GC_DOC_PART_BIT(GC_DOC_PART_PLOT), 3, 1, 0,
         "the plot part needs the plot"}};
    gc_doc_t d;
    const char * why;
    char * whole, * part, * body;
    size_t i, n = 0;
    int p;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
        gc_doc_init(d, 4);
        d->parts = bad[i].parts;
        d->compare = bad[i].compare;
        d->figure = bad[i].figure;
        d->plot = bad[i].plot;
        ck_assert(gc_doc_check(d, &why) == GC_INVALID);
        ck_assert_str_eq(why, bad[i].why);
    }
    gc_doc_init(d, 4);
    d->heading = (gc_doc_heading_t) 4;
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "unknown heading");

    /* every part but general, one at a time, makes the default document */
    gc_doc_init(d, 5);
    d->compare = 2;
    d->figure = 1;
    d->plot = 1;
    d->heading = GC_DOC_HEADING_SUBSUBSECTION;
    ck_assert(gc_doc_get_str(&whole, d) == GC_SUCCESS);
    ck_assert(strstr(whole, "\\subsubsection*{") != NULL);
    ck_assert(strstr(whole, "\\subsection*{") == NULL);
    body = strstr(whole, "\n\n") + 2;
    for (p = 0; p < GC_DOC_NPARTS - 1; p++)
    {
        int guarded = p == GC_DOC_PART_CASCADE || p == GC_DOC_PART_FIGURE;
        const char * b;
        size_t m;

        d->parts = GC_DOC_PART_BIT(p);
        ck_assert(gc_doc_get_str(&part, d) == GC_SUCCESS);
        /* the product's reference from a part without the product */
        ck_assert((strstr(part, "\\ifcsname r@gradchain:L5-b1-b2:product"
                                "\\endcsname\\eqref{gradchain:L5-b1-b2:"
                                "product}\\else $\\partial C/\\partial "
                                "b_{1}$\\fi{}") != NULL) == guarded);
        unguard(part);
        /* the figure alone provides the colours itself */
        if (p == GC_DOC_PART_FIGURE)
            cut(part, strstr(part, "\\xglobal\\providecolor{gradchain-extra}"),
                2);
        b = strstr(part, "\n\n") + 2;
        m = strlen(b);
        ck_assert_msg(strncmp(body + n, b, m) == 0, "part %d", p);
        n += m;
        flint_free(part);
    }
    ck_assert_uint_eq(n, strlen(body));
    flint_free(whole);

    /* floats: a figure environment with caption and label */
    d->parts = 0;
    d->floats = 1;
    d->heading = GC_DOC_HEADING_NONE;
    ck_assert(gc_doc_get_str(&whole, d) == GC_SUCCESS);
    ck_assert(strstr(whole, "section*") == NULL);
    ck_assert(strstr(whole, "\\begin{center}") == NULL);
    ck_assert(strstr(whole, "\\caption{The network as a mnemonic for the "
                            "expression}\\label{gradchain:L5-b1-b2:figure}\n"
                            "\\end{figure}") != NULL);
    ck_assert(strstr(whole, "}\\label{gradchain:L5-b1-b2:plot}\n"
                            "\\end{figure}") != NULL);
    flint_free(whole);
}
END_TEST

/* The UTF-8 characters of the n bytes at str. */
static slong
utf8_chars(const char * str, size_t n)
{
    const unsigned char * c = (const unsigned char *) str;
    slong w = 0;

    for (; n > 0; n--, c++)
        if (*c < 0x80 || *c >= 0xc0)
            w++;
    return w;
}

/* Broken equations (issue 11, defects 6 and 9): no line longer than the
   width unless it holds one unbreakable run (a pair w_k f'(z_k), or a
   pair and the last factor), the last line never holds the last factor
   alone, and LaTeX uses multline exactly when the text form takes more
   than one line. */
START_TEST(test_breaks_balanced)
{
    gc_shape_t s;
    gc_expr_t e;
    gc_print_opts_t o;
    slong L, width;

    gc_expr_init(e);
    gc_print_opts_init(o);
    o->form = GC_FORM_EXPANDED;
    o->breaks = GC_BREAK_MULTLINE;
    for (L = 1; L <= 30; L++)
        for (width = 16; width <= 80; width += 4)
        {
            char * str, * tex, * line, * next;
            int lines = 0;

            gc_shape_init(s, L);
            ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(GC_PARAM_B, 1))
                      == GC_SUCCESS);
            o->width = width;
            o->format = GC_PRINT_TEXT;
            str = gc_expr_get_str_equation(GC_TEST_PARAM(GC_PARAM_B, 1), e, o);
            for (line = str; *line != '\0'; line = next + 1)
            {
                slong w, spaces = 0;
                const char * c;

                next = strchr(line, '\n');
                w = utf8_chars(line, next - line);
                for (c = line; c < next; c++)
                    spaces += *c == ' ';
                lines++;
                /* "    × w₂ σ′(z₂) ∂C/∂a₂": 6 spaces hold 3 factors */
                if (lines > 1)
                    ck_assert_msg(spaces >= 6, "L=%ld width %ld: a factor "
                                  "alone on a line:\n%s", (long) L,
                                  (long) width, str);
                ck_assert_msg(w <= width || (lines > 1 && spaces <= 7)
                              || (lines == 1 && spaces <= 5),
                              "L=%ld width %ld: a line of %ld:\n%s",
                              (long) L, (long) width, (long) w, str);
            }
            o->format = GC_PRINT_LATEX;
            tex = gc_expr_get_str_equation(GC_TEST_PARAM(GC_PARAM_B, 1), e, o);
            ck_assert_msg((strstr(tex, "multline") != NULL) == (lines > 1),
                          "L=%ld width %ld: %d lines but\n%s", (long) L,
                          (long) width, lines, tex);
            flint_free(str);
            flint_free(tex);
        }
    gc_expr_clear(e);
}
END_TEST

/* The cascade (issue 11, defect 5): elided past
   GC_DOC_CASCADE_FULL_STEPS steps, full or absent on request; each step
   is one line starting "  \Delta". */
START_TEST(test_doc_cascade)
{
    gc_doc_t d;
    char * str;
    slong L;

    for (L = 1; L <= 40; L += 1 + (L >= 8) * 7)
    {
        gc_doc_init(d, L);
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        /* b_1: Delta a_1, then Delta z_k, Delta a_k for k = 2..L, Delta C */
        if (2 * L <= GC_DOC_CASCADE_FULL_STEPS)
        {
            ck_assert_int_eq(count_str(str, "\n  \\Delta "), 2 * L);
            ck_assert(strstr(str, "\\vdots") == NULL);
        }
        else
        {
            ck_assert_int_eq(count_str(str, "\n  \\Delta "),
                             GC_DOC_CASCADE_HEAD + GC_DOC_CASCADE_TAIL);
            ck_assert_int_eq(count_str(str, "\\vdots \\notag"), 1);
            ck_assert(strstr(str, "\\Delta z_{5} &") == NULL);
        }
        flint_free(str);
        d->cascade = GC_DOC_CASCADE_FULL;
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        ck_assert_int_eq(count_str(str, "\n  \\Delta "), 2 * L);
        ck_assert(strstr(str, "\\vdots") == NULL);
        flint_free(str);
        d->cascade = GC_DOC_CASCADE_NONE;
        d->shape.cost = GC_SYM_COST_CROSS_ENTROPY;
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        ck_assert(strstr(str, "\\Delta") == NULL);
        ck_assert(strstr(str, ":simplify") == NULL);
        ck_assert(strstr(str, ":product}") != NULL);
        flint_free(str);
    }
    d->cascade = (gc_doc_cascade_t) 3;
    ck_assert(gc_doc_check(d, NULL) == GC_INVALID);
}
END_TEST

/* The text width (issue 11, defects 3 and 6): products of a form that
   keeps every factor break where they pass it, and only then. */
START_TEST(test_doc_textwidth)
{
    gc_doc_t d;
    char * str;
    char * lab;

    gc_doc_init(d, 12);
    d->print.form = GC_FORM_EXPANDED;
    d->print.width = 100000;
    d->cascade = GC_DOC_CASCADE_FULL;
    d->textwidth = 16000;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "multline") == NULL);
    ck_assert(strstr(str, "\\notag\\\\") == NULL);
    flint_free(str);
    d->textwidth = 345;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "\\begin{multline}") != NULL);
    /* the last steps of the cascade continue on a second line */
    ck_assert(count_str(str, "\\notag\\\\\n  &\\qquad\\times ") >= 4);
    flint_free(str);
    /* the cascade and the text width change the labels */
    lab = gc_doc_get_label(d);
    ck_assert_str_eq(lab, "gradchain:L12-b1-expanded-width100000-"
                          "cascade-full");
    flint_free(lab);
    d->textwidth = 335.7;
    d->cascade = GC_DOC_CASCADE_NONE;
    lab = gc_doc_get_label(d);
    ck_assert_str_eq(lab, "gradchain:L12-b1-expanded-width100000-"
                          "cascade-none-tw336pt");
    flint_free(lab);
    d->textwidth = 71.9;
    ck_assert(gc_doc_check(d, NULL) == GC_INVALID);
    d->textwidth = 0.0 / 0.0;
    ck_assert(gc_doc_check(d, NULL) == GC_INVALID);
}
END_TEST

/* The height of the row [b, e) of a cascade in the model that
   doc/derivation.md states for --textheight (measured with pdflatex, 10pt
   type): 35 pt with a \prod or \sum (limits above and below), 29 with a
   fraction other than \frac{\partial ...}, 23 with only those or the
   \vdots, 15 else. */
static double
th_row_pt(const char * b, const char * e)
{
    char row[100000];
    const char * p;
    double h = 15.0;

    ck_assert((size_t) (e - b) < sizeof row);
    memcpy(row, b, (size_t) (e - b));
    row[e - b] = '\0';
    if (strstr(row, "\\prod") != NULL || strstr(row, "\\sum") != NULL)
        return 35.0;
    if (strstr(row, "\\vdots") != NULL)
        h = 23.0;
    for (p = strstr(row, "\\frac{"); p != NULL; p = strstr(p + 1, "\\frac{"))
    {
        if (strncmp(p, "\\frac{\\partial", 14) != 0)
            return 29.0;
        h = 23.0;
    }
    return h;
}

/* The heights of the steps of the cascade's align in *str* (a step: its
   row and continuation rows, which end in \notag\\; the \vdots row is
   one) into step[], their number into *n. */
static void
th_steps(double * step, slong * n, const char * str)
{
    const char * b = strstr(str, "\\begin{align}\n");
    const char * end, * e;

    ck_assert(b != NULL);
    b += strlen("\\begin{align}\n");
    end = strstr(b, "\\end{align}");
    *n = 0;
    step[0] = 0.0;
    while (b < end)
    {
        e = strstr(b, "\\\\\n");
        if (e == NULL || e > end)
            e = end;
        step[*n] += th_row_pt(b, e);
        /* a step ends where its row is not \notag */
        if (e == end || strncmp(e - 6, "\\notag", 6) != 0
            || strstr(b, "\\vdots") == b + 4)
            step[++*n] = 0.0;
        b = e == end ? end : e + 3;
    }
}

/* --textheight (issue 11): the cascade's align, estimated with the model
   above plus 20 pt of display skips, is at most the height, shows its
   first step and Delta C; refused only when those two and the \vdots
   row pass it; a height that every cascade meets changes no byte but the
   label key. */
START_TEST(test_doc_textheight)
{
    static const slong Ls[] = {1, 3, 6, 8, 12, 20};
    static const double ths[] = {190.0, 205.0, 300.0};
    gc_doc_t d;
    char * str, * full, * lab;
    double step[200], fstep[200], sum;
    slong n, nf, i, a, f, e, t, c;

    for (a = 0; a < 6; a++)
        for (f = 0; f < 5; f++)
            for (e = 0; e < 3; e++)
                for (c = 0; c < 2; c++)
                {
                    gc_doc_init(d, Ls[a]);
                    d->label = "x";
                    d->print.form = (gc_form_t) f;
                    d->shape.expand = (gc_sym_expand_t) e;
                    d->shape.cost = GC_SYM_COST_CROSS_ENTROPY;
                    d->cascade = c ? GC_DOC_CASCADE_FULL
                                   : GC_DOC_CASCADE_ELIDED;
                    ck_assert(gc_doc_get_str(&full, d) == GC_SUCCESS);
                    d->textheight = 16383.0;
                    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
                    ck_assert_str_eq(str, full);
                    flint_free(str);
                    flint_free(full);
                    d->cascade = GC_DOC_CASCADE_FULL;
                    d->textheight = 0.0;
                    ck_assert(gc_doc_get_str(&full, d) == GC_SUCCESS);
                    th_steps(fstep, &nf, full);
                    ck_assert_int_eq(nf, 2 * Ls[a]);
                    d->cascade = c ? GC_DOC_CASCADE_FULL
                                   : GC_DOC_CASCADE_ELIDED;
                    for (t = 0; t < 3; t++)
                    {
                        d->textheight = ths[t];
                        if (gc_doc_check(d, NULL) != GC_SUCCESS)
                        {
                            /* even the shortest cascade passes it */
                            ck_assert(nf > 1);
                            ck_assert(20.0 + fstep[0] + 23.0 + fstep[nf - 1]
                                      > ths[t]);
                            continue;
                        }
                        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
                        th_steps(step, &n, str);
                        for (sum = 20.0, i = 0; i < n; i++)
                            sum += step[i];
                        ck_assert_msg(sum <= ths[t], "L %ld form %ld "
                                      "expand %ld: %g pt > %g pt",
                                      (long) Ls[a], (long) f, (long) e, sum,
                                      ths[t]);
                        ck_assert(strstr(str, "\\begin{align}\n  \\Delta "
                                              "a_{1} &") != NULL);
                        ck_assert(strstr(str, "  \\Delta C &") != NULL);
                        ck_assert(n == nf || strstr(str, "\\vdots") != NULL);
                        flint_free(str);
                    }
                    flint_free(full);
                }
    gc_doc_init(d, 4);
    d->textheight = 190.4;
    lab = gc_doc_get_label(d);
    ck_assert_str_eq(lab, "gradchain:L4-b1-th190pt");
    flint_free(lab);
    d->textheight = 71.0;
    ck_assert(gc_doc_check(d, NULL) == GC_INVALID);
}
END_TEST

/* The length of the token at *c* that a line may hold beside an ellipsis
   without holding a factor: spaces, alignment, operators, the ellipsis
   itself, line-break markers and the cascade's closing Delta b_j or
   Delta w_j; 0 for anything else. */
static size_t
filler_len(const char * c)
{
    static const char * const fill[] = {
        " ", "&", "\\qquad", "\\quad", "\\times", "\\cdots", "\\,",
        "\\notag", "\\\\", "\xc3\x97", "\xe2\x8b\xaf", "...", "*"};
    size_t i, n;

    for (i = 0; i < sizeof fill / sizeof fill[0]; i++)
        if (strncmp(c, fill[i], strlen(fill[i])) == 0)
            return strlen(fill[i]);
    if (strncmp(c, "\\Delta ", 7) == 0 && (c[7] == 'b' || c[7] == 'w')
        && strncmp(c + 8, "_{", 2) == 0)
    {
        for (n = 10; isdigit((unsigned char) c[n]); n++)
            ;
        if (c[n] == '}')
            return n + 1;
    }
    return 0;
}

/* 1 if the *n* bytes at *line* end with an ellipsis (before a line-break
   marker), or hold one and nothing but filler. */
static int
line_strands_dots(const char * line, size_t n)
{
    static const char * const dots[] = {"\\cdots", "\xe2\x8b\xaf", "..."};
    static const char * const marks[] = {" \\notag\\\\", " \\\\", " *"};
    size_t i, k, len;
    int has_dots = 0, bare = 1;

    for (i = 0; i < n && bare; i += len)
    {
        len = filler_len(line + i);
        for (k = 0; k < 3; k++)
            has_dots |= strncmp(line + i, dots[k], strlen(dots[k])) == 0;
        if (len == 0)
            bare = 0;
    }
    if (has_dots && bare)
        return 1;
    for (k = 0; k < 3; k++)
        if (n >= strlen(marks[k])
            && memcmp(line + n - strlen(marks[k]), marks[k],
                      strlen(marks[k])) == 0)
            n -= strlen(marks[k]);
    for (k = 0; k < 3; k++)
        if (n >= strlen(dots[k])
            && memcmp(line + n - strlen(dots[k]), dots[k],
                      strlen(dots[k])) == 0)
            return 1;
    return 0;
}

/* Fails if a line of *str* strands an ellipsis (see line_strands_dots). */
static void
assert_no_stranded_dots(const char * str, const char * what)
{
    const char * line, * next;

    for (line = str; *line != '\0'; line = next + (*next != '\0'))
    {
        next = strchr(line, '\n');
        if (next == NULL)
            next = line + strlen(line);
        ck_assert_msg(!line_strands_dots(line, next - line),
                      "%s: an ellipsis alone or ending a line:\n%.*s\nin\n%s",
                      what, (int) (next - line), line, str);
    }
}

/* An ellipsis is no factor (issue 11): no broken line of a product, a
   cascade step or an equation holds it alone, with operators only, or
   ends with it, whatever the depth, form, expansion, cost, parameter and
   text width; the checker itself catches the line of the 6-layer
   cross-entropy cascade that stood alone. */
START_TEST(test_breaks_no_lone_dots)
{
    static const double tw[] = {180, 250, 300, 335.7, 345, 500};
    static const slong Ls[] = {2, 4, 6, 9, 12, 20};
    gc_doc_t d;
    gc_expr_t e;
    gc_print_opts_t o;
    char * str;
    char what[160];
    slong li, L, form, ex, cost, t, par, head, width;

    ck_assert(line_strands_dots("  &\\qquad\\times \\cdots \\notag\\\\", 31));
    ck_assert(line_strands_dots("    \xc3\x97 \xe2\x8b\xaf", 10));
    ck_assert(line_strands_dots("  \\times \\cdots\\,\\Delta b_{2}", 29));
    ck_assert(line_strands_dots("a \\approx w_{3}\\,\\cdots \\notag\\\\", 32));
    ck_assert(!line_strands_dots("  &\\qquad\\times \\cdots\\,w_{6}", 29));
    for (li = 0; li < (slong) (sizeof Ls / sizeof Ls[0]); li++)
        for (form = 0; form < 5; form++)
            for (ex = 0; ex < 3; ex++)
                for (cost = 0; cost < 3; cost++)
                    for (t = 0; t < (slong) (sizeof tw / sizeof tw[0]); t++)
                        for (par = 0; par < 3; par++)
                        {
                            L = Ls[li];
                            gc_doc_init(d, L);
                            d->print.form = (gc_form_t) form;
                            d->shape.expand = (gc_sym_expand_t) ex;
                            d->shape.cost = (gc_sym_cost_t) cost;
                            d->textwidth = tw[t];
                            d->param->kind = par == 2 ? GC_PARAM_W
                                                      : GC_PARAM_B;
                            d->param->layer = par == 0 ? 1 : 2;
                            /* only biases compare */
                            d->compare = par < 2 && L / 2 + 2 <= L
                                         ? L / 2 + 2 : 0;
                            d->cascade = GC_DOC_CASCADE_FULL;
                            snprintf(what, sizeof what, "L=%ld %s expand "
                                     "%ld cost %ld textwidth %g %s%ld",
                                     (long) L, form_names[form], (long) ex,
                                     (long) cost, tw[t],
                                     par == 2 ? "w" : "b",
                                     (long) d->param->layer);
                            ck_assert(gc_doc_get_str(&str, d)
                                      == GC_SUCCESS);
                            assert_no_stranded_dots(str, what);
                            flint_free(str);
                        }
    /* derive's equations, any head and tail of the elided form */
    gc_expr_init(e);
    gc_print_opts_init(o);
    o->form = GC_FORM_ELIDED;
    for (L = 4; L <= 30; L += 13)
        for (head = 1; head <= 3; head++)
            for (width = 12; width <= 60; width += 4)
                for (t = 0; t < 3; t++)
                {
                    gc_shape_t s;

                    gc_shape_init(s, L);
                    s->cost = GC_SYM_COST_CROSS_ENTROPY;
                    ck_assert(gc_expr_set_grad(e, s, GC_TEST_PARAM(
                                  GC_PARAM_B, 1)) == GC_SUCCESS);
                    o->head = head;
                    o->tail = 4 - head;
                    o->width = width;
                    o->format = (gc_print_format_t) t;
                    o->breaks = t == 0 ? GC_BREAK_SPLIT : GC_BREAK_MULTLINE;
                    str = gc_expr_get_str_equation(
                        GC_TEST_PARAM(GC_PARAM_B, 1), e, o);
                    snprintf(what, sizeof what, "derive L=%ld head %ld "
                             "width %ld %s", (long) L, (long) head,
                             (long) width, format_names[t]);
                    assert_no_stranded_dots(str, what);
                    flint_free(str);
                }
    gc_expr_clear(e);
}
END_TEST

/* 1 if every \ref{X} and \eqref{X} of *str* has its \label{X} in *str*
   or sits in an \ifcsname r@X\endcsname ... \fi guard. */
static int
refs_resolved(const char * str)
{
    const char * r, * g, * f;
    char lab[200], want[256];
    size_t n;

    for (r = strstr(str, "ref{"); r != NULL; r = strstr(r + 1, "ref{"))
    {
        n = strcspn(r + 4, "}");
        ck_assert(n < 190);
        snprintf(lab, sizeof lab, "%.*s", (int) n, r + 4);
        snprintf(want, sizeof want, "\\label{%s}", lab);
        if (strstr(str, want) != NULL)
            continue;
        snprintf(want, sizeof want, "\\ifcsname r@%s\\endcsname", lab);
        for (g = NULL, f = strstr(str, want); f != NULL && f < r;
             f = strstr(f + 1, want))
            g = f;
        f = g == NULL ? NULL : strstr(g, "\\fi");
        if (g == NULL || (f != NULL && f < r))
            return 0;
    }
    return 1;
}

/* --float (issue 11): a float may move away from the prose about it, so
   the figure's reading, the plot's display and the comparison cite them
   by \ref, in both languages; a part written without the figure cites it
   only if the document defines its label, so no part gives "??"; no
   float, no citation. */
START_TEST(test_doc_float_cites)
{
    static const char * const fig[2] = {"Figure~", "A Figura~"};
    gc_doc_t d;
    char * str;
    char want[200];
    unsigned parts;
    int lang;

    ck_assert(refs_resolved("\\label{a:b} \\eqref{a:b}"));
    ck_assert(!refs_resolved("\\ref{a:b}"));
    ck_assert(!refs_resolved("\\ifcsname r@a:b\\endcsname\\fi \\ref{a:b}"));
    ck_assert(refs_resolved("\\ifcsname r@a:b\\endcsname \\ref{a:b}\\fi"));
    for (lang = 0; lang < 2; lang++)
    {
        const char * pt = lang ? "-pt" : "";

        gc_doc_init(d, 5);
        d->lang = (gc_lang_t) lang;
        d->compare = 2;
        d->figure = d->plot = d->floats = 1;
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        snprintf(want, sizeof want, "%s\\ref{gradchain:L5-b1-b2%s:figure}",
                 fig[lang], pt);
        /* the comparison and the figure's reading */
        ck_assert_int_eq(count_str(str, want), 2);
        snprintf(want, sizeof want, "%s\\ref{gradchain:L5-b1-b2%s:plot}",
                 fig[lang], pt);
        ck_assert_int_eq(count_str(str, want), 1);
        ck_assert(strstr(str, "\\ifcsname r@gradchain:L5-b1-b2") == NULL);
        ck_assert(refs_resolved(str));
        flint_free(str);
        /* every set of parts: no reference left undefined */
        for (parts = 1; parts < GC_DOC_PART_BIT(GC_DOC_NPARTS); parts++)
        {
            d->parts = parts;
            ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
            ck_assert_msg(refs_resolved(str), "parts %u:\n%s", parts, str);
            flint_free(str);
        }
        /* the comparison alone cites the figure made elsewhere, guarded */
        d->parts = GC_DOC_PART_BIT(GC_DOC_PART_COMPARE);
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        snprintf(want, sizeof want, "\\ifcsname r@gradchain:L5-b1-b2%s:"
                 "figure\\endcsname\n%s\\ref{", pt, fig[lang]);
        ck_assert_msg(strstr(str, want) != NULL, "%s", str);
        flint_free(str);
        /* no figure asked for: no citation of it */
        d->figure = 0;
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        ck_assert(strstr(str, "ref{") == NULL);
        flint_free(str);
        /* no floats: the figure and plot are where the prose is */
        d->parts = 0;
        d->figure = 1;
        d->floats = 0;
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        ck_assert(strstr(str, "~\\ref{") == NULL);
        flint_free(str);
    }
}
END_TEST

/* The author's review of issue 11: a cascade step continues at the
   alignment point, so a wide justification (dC/da_L with the
   cross-entropy) narrows its first line only (the 12-layer Delta C took
   eleven lines of one pair each, it takes four); the figure's reading
   names the factor the figure draws at the output, (a_L - y) with the
   quadratic cost; the expansion's example is displayed (inline, its
   fraction was set small, and it broke at "=" or, kept whole, passed the
   margin of A5). */
/* Review of issue 11, defects 10 and 11: a request that writes nothing
   (the cascade alone, not written), floats without a figure or a plot
   asked for, and
   the general part at L = 1 (1 <= j <= 1, an empty product) are
   invalid; without the product part, the general part's sentence shows
   the product the formula gives at j = J, not the bare dC/db_J. */
START_TEST(test_doc_empty_parts)
{
    gc_doc_t d;
    const char * why;
    char * str;

    gc_doc_init(d, 4);
    d->parts = GC_DOC_PART_BIT(GC_DOC_PART_CASCADE);
    d->cascade = GC_DOC_CASCADE_NONE;
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "the only part asked, the cascade, is not "
                          "written");
    d->parts |= GC_DOC_PART_BIT(GC_DOC_PART_PRODUCT);
    ck_assert(gc_doc_check(d, NULL) == GC_SUCCESS);
    d->floats = 1;
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "floats need the figure or the plot");
    /* a part without them, from a request that has them: the figure
       is in another fragment, which the part may cite */
    d->figure = 1;
    ck_assert(gc_doc_check(d, NULL) == GC_SUCCESS);
    d->figure = 0;
    d->plot = 1;
    ck_assert(gc_doc_check(d, NULL) == GC_SUCCESS);

    gc_doc_init(d, 1);
    d->parts = GC_DOC_PART_BIT(GC_DOC_PART_PRODUCT)
               | GC_DOC_PART_BIT(GC_DOC_PART_GENERAL);
    ck_assert(gc_doc_check(d, &why) == GC_INVALID);
    ck_assert_str_eq(why, "the general part needs at least two layers");
    /* the default document at L = 1 has no general part */
    d->parts = 0;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "general") == NULL);
    flint_free(str);

    gc_doc_init(d, 3);
    d->param->kind = GC_PARAM_W;
    d->param->layer = 2;
    d->parts = GC_DOC_PART_BIT(GC_DOC_PART_GENERAL);
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "\\else\n\\[\n  \\frac{\\partial C}{\\partial "
                          "w_{2}} = a_{1}\\,\\sigma'(z_{2})\\,w_{3}\\,"
                          "\\sigma'(z_{3})\\,") != NULL);
    flint_free(str);
}
END_TEST

/* Review of issue 11, defects 7 and 9: the wording of ranges of two
   ("neurons 1 and 2", "nos neurônios 2 e 3", "m = 1, 2"), a single
   neuron names its factor, pt says "compartilhados" for the shared
   factors everywhere, and an elided figure's sentence speaks of the
   neurons drawn. */
static char *
review_doc(slong L, gc_param_kind_t kind, slong j, slong compare,
           int lang)
{
    gc_doc_t d;
    char * str;

    gc_doc_init(d, L);
    d->param->kind = kind;
    d->param->layer = j;
    d->compare = compare;
    d->figure = 1;
    d->lang = (gc_lang_t) lang;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    return str;
}

START_TEST(test_doc_wording)
{
    gc_doc_t d;
    char * str;

    str = review_doc(2, GC_PARAM_B, 1, 0, 0);
    ck_assert(strstr(str, "writing $\\sigma'(z_{k})$ at neurons 1 and 2, "
                          "$w_{2}$ at the weight between them") != NULL);
    flint_free(str);
    str = review_doc(3, GC_PARAM_W, 2, 0, 1);
    ck_assert(strstr(str, "nos neurônios 2 e 3, $w_{3}$ no peso entre "
                          "eles") != NULL);
    flint_free(str);
    str = review_doc(5, GC_PARAM_B, 5, 0, 0);
    ck_assert(strstr(str, "writing $\\sigma'(z_{5})$ at neuron 5 and")
              != NULL);
    ck_assert(strstr(str, "z_{k}") == NULL);
    flint_free(str);
    str = review_doc(4, GC_PARAM_B, 1, 3, 1);
    ck_assert(strstr(str, "comuns") == NULL);
    ck_assert_int_eq(count_str(str, "compartilhados"), 4);
    flint_free(str);
    /* the figure of 40 layers elides neurons 1..40 but j, k and L */
    str = review_doc(40, GC_PARAM_B, 5, 1, 0);
    ck_assert(strstr(str, "neurons 1 to 40") == NULL);
    ck_assert(strstr(str, "at the neurons drawn (the ellipses stand for "
                          "the others), $w_{k}$ at the weights between "
                          "them") != NULL);
    flint_free(str);
    str = review_doc(40, GC_PARAM_B, 5, 1, 1);
    ck_assert(strstr(str, "nos neurônios desenhados (as reticências "
                          "representam os demais)") != NULL);
    flint_free(str);
    /* two pairs too wide to write out in a narrow text: their range is
       "m = 1, 2" */
    gc_doc_init(d, 12);
    d->compare = 3;
    d->textwidth = 150.0;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "each of the two pairs $") != NULL);
    ck_assert(strstr(str, "($m = 1, 2$)") != NULL);
    ck_assert(strstr(str, "\\dots, 2$") == NULL);
    flint_free(str);
    /* with --expand, the pairs are in the short sigma'(z_m) that the
       sentence before the bound defines, not the expansion */
    d->textwidth = GC_DOC_TEXTWIDTH_DEFAULT;
    d->print.form = GC_FORM_EXPANDED;
    d->shape.expand = GC_SYM_EXPAND_EXP;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "each pair $\\textcolor{gradchain-extra}"
                          "{\\sigma'(z_{1})\\,w_{2}}$") != NULL);
    flint_free(str);
}
END_TEST

/* Review of issue 11, defects 4 and 5: the conclusion's product is
   displayed when it holds a fraction (--expand exp) or takes more than
   half a line, inline otherwise; with an expansion, sigma'(z_m) is
   defined before the bound uses it, figure or not. */
START_TEST(test_doc_conclusion)
{
    gc_doc_t d;
    char * str;
    const char * def, * since;
    int lang;

    for (lang = 0; lang < 2; lang++)
    {
        gc_doc_init(d, 6);
        d->compare = 3;
        d->lang = (gc_lang_t) lang;
        d->shape.expand = GC_SYM_EXPAND_EXP;
        ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
        ck_assert(strstr(str, lang ? "Portanto\n\\[\n  \\frac{\\partial C}"
                                     "{\\partial b_{1}} = "
                                   : "Hence\n\\[\n  \\frac{\\partial C}"
                                     "{\\partial b_{1}} = ") != NULL);
        ck_assert(strstr(str, lang ? "Portanto $" : "Hence $") == NULL);
        def = strstr(str, "\\[\n  \\sigma'(z_{m}) = \\frac{e^{-z_{m}}}"
                          "{(1+e^{-z_{m}})^{2}}.\n\\]\n");
        since = strstr(str, "${\\sigma'(z) \\le \\frac{1}{4}}$");
        ck_assert(def != NULL && since != NULL && def < since);
        flint_free(str);
    }
    /* short and without fractions: inline, and no definition */
    gc_doc_init(d, 4);
    d->compare = 3;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "Hence $\\partial C/\\partial b_{1} = ") != NULL);
    ck_assert(strstr(str, "stands for") == NULL);
    flint_free(str);
    /* four pairs of 40 layers: more than half a line, displayed */
    gc_doc_init(d, 40);
    d->compare = 5;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "Hence\n\\[\n") != NULL);
    flint_free(str);
}
END_TEST

START_TEST(test_doc_review)
{
    gc_doc_t d;
    char * str;
    const char * c;

    gc_doc_init(d, 12);
    d->print.form = GC_FORM_EXPANDED;
    d->shape.cost = GC_SYM_COST_CROSS_ENTROPY;
    d->cascade = GC_DOC_CASCADE_FULL;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    c = strstr(str, "\n  \\Delta C &");
    ck_assert(c != NULL);
    ck_assert_int_le(count_str(c, "\\notag\\\\\n  &\\qquad\\times "), 3);
    flint_free(str);
    gc_doc_init(d, 3);
    d->shape.cost = GC_SYM_COST_QUADRATIC;
    d->param->kind = GC_PARAM_W;
    d->figure = 1;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "and $(a_{3}-y)$ at the output reproduces")
              != NULL);
    flint_free(str);
    d->shape.cost = GC_SYM_COST_GENERIC;
    d->shape.expand = GC_SYM_EXPAND_EXP;
    d->lang = GC_LANG_PT;
    ck_assert(gc_doc_get_str(&str, d) == GC_SUCCESS);
    ck_assert(strstr(str, "$\\partial C/\\partial a_{3}$ na sa") != NULL);
    ck_assert(strstr(str, "por exemplo\n\\[\n  \\sigma'(z_{1}) = \\frac{")
              != NULL);
    flint_free(str);
}
END_TEST

/* The gradient of wide layers, written out by hand from Nielsen's
   formula, in the three formats; the forms each gradient has. */
START_TEST(test_wide_print)
{
    static const struct
    {
        slong len, width, row, col;
        gc_param_kind_t kind;
        gc_sym_cost_t cost;
        gc_print_format_t format;
        int lhs;
        const char * want;
    } c[] = {
        {2, 3, 0, 0, GC_PARAM_B, GC_SYM_COST_GENERIC, GC_PRINT_TEXT, 1,
         "\xe2\x88\x82" "C/\xe2\x88\x82" "b\xc2\xb9 = \xce\xa3\xe2\x80\xb2(z"
         "\xc2\xb9) (W\xc2\xb2)\xe1\xb5\x80 \xce\xa3\xe2\x80\xb2(z\xc2\xb2) "
         "\xe2\x88\x87\xe2\x82\x90" "C\n"},
        {2, 3, 0, 0, GC_PARAM_W, GC_SYM_COST_QUADRATIC, GC_PRINT_ASCII, 1,
         "dC/dW^1 = Sigma'(z^1) * (W^2)^T * Sigma'(z^2) * (a^2 - y) * "
         "(a^0)^T\n"},
        {3, GC_SYM_INDEX('n'), 2, 0, GC_PARAM_B, GC_SYM_COST_CROSS_ENTROPY,
         GC_PRINT_ASCII, 0,
         "sigma'(z^2[2]) * sum_{k_3=1}^{n} w^3[k_3,2] * (a^3[k_3] - "
         "y[k_3])"},
        {2, 64, GC_SYM_INDEX('i'), GC_SYM_INDEX('j'), GC_PARAM_W,
         GC_SYM_COST_GENERIC, GC_PRINT_LATEX, 1,
         "\\begin{equation}\n  \\frac{\\partial C}{\\partial w^{1}_{i,j}} = "
         "a^{0}_{j}\\,\\sigma'(z^{1}_{i})\\,\\sum_{k_{2}=1}^{64} "
         "w^{2}_{k_{2},i}\\,\\sigma'(z^{2}_{k_{2}})\\,\\frac{\\partial C}"
         "{\\partial a^{2}_{k_{2}}}\n\\end{equation}\n"},
        {2, 5, 1, 0, GC_PARAM_B, GC_SYM_COST_GENERIC, GC_PRINT_TEXT, 0,
         "\xcf\x83\xe2\x80\xb2(z\xc2\xb9[1]) \xe2\x88\x91\xe2\x82\x96\xe2"
         "\x82\x82\xe2\x82\x8c\xe2\x82\x81\xe2\x81\xb5 w\xc2\xb2[k\xe2\x82"
         "\x82,1] \xcf\x83\xe2\x80\xb2(z\xc2\xb2[k\xe2\x82\x82]) \xe2\x88\x82"
         "C/\xe2\x88\x82" "a\xc2\xb2[k\xe2\x82\x82]"}};
    gc_shape_t s;
    gc_wexpr_t e;
    gc_print_opts_t o;
    gc_form_t form;
    char * got;
    size_t i;

    gc_wexpr_init(e);
    gc_print_opts_init(o);
    for (i = 0; i < sizeof c / sizeof c[0]; i++)
    {
        gc_shape_init(s, c[i].len);
        s->cost = c[i].cost;
        ck_assert(gc_wexpr_set_grad(e, s, c[i].width,
                                    GC_TEST_PARAM(c[i].kind, 1 + (i == 2)),
                                    c[i].row, c[i].col) == GC_SUCCESS);
        o->format = c[i].format;
        got = gc_wexpr_get_str(e, o, c[i].lhs);
        ck_assert_msg(strcmp(got, c[i].want) == 0, "case %zu: got\n%s\n"
                      "want\n%s", i, got, c[i].want);
        flint_free(got);
        /* the forms: the matrix form has them all, the sums nest */
        for (form = GC_FORM_AUTO; form <= GC_FORM_GROUPED; form++)
        {
            int ok = c[i].row == 0 || form == GC_FORM_AUTO
                     || form == GC_FORM_EXPANDED || form == GC_FORM_ELIDED;

            ck_assert_int_eq(gc_wexpr_form_is_valid(e, form), ok);
            o->form = form;
            got = gc_wexpr_get_str(e, o, 1);
            ck_assert(ok == (got != NULL));
            flint_free(got);
        }
        o->form = GC_FORM_AUTO;
    }
    gc_wexpr_clear(e);
}
END_TEST

/* Broken lines keep the width: every line of the text form of a long
   entry-wise sum or matrix product is at most o->width characters (a
   line holds at least one piece, none is that wide here), the pieces in
   order, and the equation without breaks is the same pieces on one
   line; auto shortens a product too wide for one line. */
START_TEST(test_wide_breaks)
{
    gc_shape_t s;
    gc_wexpr_t e;
    gc_print_opts_t o;
    char * one, * got, * line, * p;
    slong width, row, n, chars;
    int lines;

    gc_wexpr_init(e);
    gc_print_opts_init(o);
    o->format = GC_PRINT_TEXT;
    gc_shape_init(s, 30);
    for (row = 0; row <= 1; row++)
        for (width = 40; width <= 120; width += 20)
        {
            ck_assert(gc_wexpr_set_grad(e, s, 64,
                                        GC_TEST_PARAM(GC_PARAM_B, 1), row, 0)
                      == GC_SUCCESS);
            o->width = width;
            o->form = GC_FORM_EXPANDED;
            o->breaks = GC_BREAK_NONE;
            one = gc_wexpr_get_str(e, o, 1);
            o->breaks = GC_BREAK_SPLIT;
            got = gc_wexpr_get_str(e, o, 1);
            lines = 0;
            for (line = got; *line != '\0'; line = p + 1)
            {
                p = strchr(line, '\n');
                for (chars = 0, n = 0; line + n < p; n++)
                    chars += ((unsigned char) line[n] & 0xc0) != 0x80;
                ck_assert_msg(chars <= width, "width %ld: line of %ld: %.*s",
                              (long) width, (long) chars, (int) n, line);
                lines++;
            }
            ck_assert(lines > 1);
            /* the same text once the breaks are spaces */
            for (p = got; (p = strstr(p, "\n    ")) != NULL;)
                memmove(p + 1, p + 5, strlen(p + 5) + 1), *p = ' ';
            ck_assert_str_eq(got, one);
            flint_free(one);
            flint_free(got);
            o->form = GC_FORM_AUTO;
            o->breaks = GC_BREAK_NONE;
            got = gc_wexpr_get_str(e, o, 1);
            ck_assert(strstr(got, row == 0 ? "\xe2\x88\x8f" : "\xe2\x8b\xaf")
                      != NULL);
            flint_free(got);
        }
    gc_wexpr_clear(e);
}
END_TEST

/* The document of wide layers: every message translated with the
   English placeholders, the requests it refuses, its labels, and the
   same text to a file and to a string. */
START_TEST(test_wide_doc)
{
    const char * const * langs = gc_lang_names();
    const char * en, * m, * why;
    gc_doc_t d;
    FILE * f = tmpfile();
    char * a, * lab, got[16384];
    size_t n;
    int lang, id;

    for (lang = 0; langs[lang] != NULL; lang++)
    {
        for (id = 0; (en = gc_doc_wide_message(GC_LANG_EN, id)) != NULL;
             id++)
        {
            m = gc_doc_wide_message((gc_lang_t) lang, id);
            ck_assert_msg(m != NULL && placeholders(m) >= 0
                          && placeholders(m) == placeholders(en),
                          "%s: wide message %d", langs[lang], id);
        }
        ck_assert(gc_doc_wide_message((gc_lang_t) lang, id) == NULL);
    }
    gc_doc_init(d, 4);
    ck_assert(gc_doc_wide_check(d, 64, 0, 0, &why) == GC_SUCCESS
              && why == NULL);
    ck_assert(gc_doc_wide_check(d, 1, 0, 0, &why) == GC_INVALID
              && why != NULL);
    ck_assert(gc_doc_wide_check(d, 4, 5, 0, NULL) == GC_INVALID);
    /* the figure of wide layers (issue 13) */
    d->figure = 1;
    ck_assert(gc_doc_wide_check(d, 64, 0, 0, NULL) == GC_SUCCESS);
    d->figure = 0;
    /* the chain's parts but the general formula */
    d->cascade = GC_DOC_CASCADE_NONE;
    d->compare = 3;
    d->plot = 1;
    d->floats = 1;
    ck_assert(gc_doc_wide_check(d, 64, 0, 0, NULL) == GC_SUCCESS);
    d->parts = GC_DOC_PART_BIT(GC_DOC_PART_GENERAL);
    ck_assert(gc_doc_wide_check(d, 64, 0, 0, NULL) == GC_INVALID);
    d->parts = 0;
    d->plot = 0;
    ck_assert(gc_doc_wide_check(d, 64, 0, 0, NULL) == GC_INVALID);
    d->floats = 0;
    d->compare = 1;
    ck_assert(gc_doc_wide_check(d, 64, 0, 0, NULL) == GC_INVALID);
    d->compare = 0;
    d->cascade = GC_DOC_CASCADE_ELIDED;
    /* the text height sizes the page: the cascade is not fitted to it */
    d->textheight = 100.0;
    ck_assert(gc_doc_wide_check(d, 64, 0, 0, NULL) == GC_SUCCESS);
    lab = gc_doc_wide_get_label(d, GC_SYM_INDEX('n'), 2, 0);
    ck_assert_str_eq(lab, "gradchain:L4-b1-nn-i2");
    flint_free(lab);
    d->label = "ch5";
    lab = gc_doc_wide_get_label(d, 64, 0, 0);
    ck_assert_str_eq(lab, "ch5");
    flint_free(lab);
    d->lang = GC_LANG_PT;
    d->standalone = 1;
    ck_assert(f != NULL);
    ck_assert(gc_doc_wide_write(f, d, 64, 3, 0) == GC_SUCCESS);
    rewind(f);
    n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    ck_assert(gc_doc_wide_get_str(&a, d, 64, 3, 0) == GC_SUCCESS);
    ck_assert_str_eq(got, a);
    ck_assert(strstr(a, "\\label{ch5:entry}") != NULL);
    ck_assert(strstr(a, "\\frac{\\partial C}{\\partial b^{1}_{3}}") != NULL);
    ck_assert(strstr(a, "textheight=100.00pt") != NULL);
    flint_free(a);
    ck_assert(gc_doc_wide_get_str(&a, d, 1, 0, 0) == GC_INVALID
              && a == NULL);
}
END_TEST

static Suite *
gc_latex_suite(void)
{
    Suite * s = suite_create("latex");
    TCase * core = tcase_create("core");
    TCase * special = tcase_create("special");
    TCase * random = tcase_create("random");
    TCase * roundtrip = tcase_create("roundtrip");

    tcase_add_test(core, test_textbook_strings);
    tcase_add_test(core, test_auto_elides);
    tcase_add_test(core, test_file_equals_string);
    tcase_add_test(core, test_sink_template);
    tcase_add_test(core, test_doc_messages);
    tcase_add_test(core, test_doc_compare_swaps);
    tcase_add_test(core, test_doc_labels);
    tcase_add_test(core, test_doc_look);
    tcase_add_test(core, test_doc_figure_layout);
    tcase_add_test(core, test_doc_figure_elided);
    tcase_add_test(core, test_golden_forms);
    tcase_add_test(core, test_general_formula);
    tcase_add_test(core, test_doc_parts);
    tcase_add_test(core, test_general_matches_layers);
    tcase_add_test(core, test_golden_shapes_breaks);
    tcase_add_test(core, test_breaks_balanced);
    tcase_add_test(core, test_doc_cascade);
    tcase_add_test(core, test_doc_textwidth);
    tcase_add_test(core, test_doc_textheight);
    tcase_add_test(core, test_breaks_no_lone_dots);
    tcase_add_test(core, test_doc_float_cites);
    tcase_add_test(core, test_doc_review);
    tcase_add_test(core, test_doc_empty_parts);
    tcase_add_test(core, test_doc_wording);
    tcase_add_test(core, test_doc_conclusion);
    tcase_add_test(core, test_golden_documents);
    tcase_add_test(core, test_numeric_crosscheck);
    tcase_add_test(special, test_doc_invalid);
    tcase_add_test(core, test_wide_print);
    tcase_add_test(core, test_wide_breaks);
    tcase_add_test(core, test_wide_doc);
    tcase_add_test(special, test_write_errors);
    tcase_add_test(special, test_doc_vanishing_factor);
    tcase_add_loop_test(special, test_long_product_indices, 0, 3);
    tcase_add_test(random, test_random_documents);
    tcase_add_test(roundtrip, test_roundtrip_random);
    tcase_add_test(roundtrip, test_roundtrip_chains);
    /* Check's timeouts catch hangs, not slowness: core's figure and
       document tests take seconds, more on a loaded machine (the default
       4 s expired in test_doc_figure_elided with both cores busy) */
    tcase_set_timeout(core, 120);
    tcase_set_timeout(special, 120);
    tcase_set_timeout(random, 120);
    tcase_set_timeout(roundtrip, 120);
    suite_add_tcase(s, core);
    suite_add_tcase(s, special);
    suite_add_tcase(s, random);
    suite_add_tcase(s, roundtrip);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_latex_suite());
}
