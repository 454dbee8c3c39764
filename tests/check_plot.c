/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_plot.c -- the pgfplots figure writer (src/latex/plot.c) on
   synthetic data: structure, styles an author can override, thinning
   that keeps the stops, decimal commas in pt, bands, levels and their
   labels, invalid data. */

#include <math.h>
#include <string.h>

#include "gc-test.h"

/* Returns the figure of *p* (free with flint_free), failing the test if
   it cannot be written. */
static char *
plot_str(const gc_plot_t p)
{
    char * s;

    ck_assert_int_eq(gc_plot_get_str(&s, p), GC_SUCCESS);
    ck_assert(s != NULL);
    return s;
}

/* Sets *p* to an English fragment of the lines, bands and levels
   given. */
static void
plot_set(gc_plot_t p, const gc_plot_series_struct * s, slong ns,
         const gc_plot_band_struct * b, slong nb,
         const gc_plot_level_struct * l, slong nl)
{
    gc_plot_init(p);
    p->series = s;
    p->nseries = ns;
    p->bands = b;
    p->nbands = nb;
    p->levels = l;
    p->nlevels = nl;
}

/* Returns the number of times *needle* occurs in *s*. */
static slong
count(const char * s, const char * needle)
{
    slong n = 0;

    while ((s = strstr(s, needle)) != NULL)
    {
        n++;
        s += strlen(needle);
    }
    return n;
}

/* Returns a copy of the k-th (0, 1, ...) \addplot block of *s*, up to
   its ";" (free with flint_free). */
static char *
addplot(const char * s, slong k)
{
    const char * b = s, * e;
    char * r;

    for (; k >= 0; k--)
    {
        b = strstr(b, "\\addplot[");
        ck_assert_msg(b != NULL, "missing \\addplot");
        if (k > 0)
            b++;
    }
    e = strchr(b, ';');
    ck_assert(e != NULL);
    r = flint_malloc(e - b + 1);
    memcpy(r, b, e - b);
    r[e - b] = '\0';
    return r;
}

/* Returns 1 if the point "(x,y)" with the x written *xs* is in the
   block *blk*. */
static int
has_x(const char * blk, const char * xs)
{
    char pat[64];

    snprintf(pat, sizeof pat, "(%s,", xs);
    return strstr(blk, pat) != NULL;
}

START_TEST(test_plot_structure)
{
    double x[3] = {1, 2, 3}, y[3] = {-3.5, -2.25, -1};
    gc_plot_series_struct s = {"exact", x, y, 3, 0};
    gc_plot_level_struct l = {-4.5, 0, "binary16 min. normal", 1};
    gc_plot_t p;
    char * str, * blk;

    plot_set(p, &s, 1, NULL, 0, &l, 1);
    str = plot_str(p);
    /* a fragment: the header says what the document needs */
    ck_assert(strstr(str, "% gradchain plot (fragment)") == str);
    ck_assert(strstr(str, "\\pgfplotsset{compat=1.18}") != NULL);
    ck_assert(strstr(str, "\\documentclass") == NULL);
    /* styles and colours only where the document has none */
    ck_assert(strstr(str, "\\pgfkeysifdefined{/tikz/gradchain exact/.@cmd}{}"
                          "{\\tikzset{gradchain exact/.style=") != NULL);
    ck_assert(strstr(str, "\\providecolor{gradchain-exact}{HTML}{000000}")
              != NULL);
    ck_assert(strstr(str, "\\pgfkeysifdefined{/tikz/gradchain level 1/.@cmd}")
              != NULL);
    /* a plain axis of log10 values, never ymode=log */
    ck_assert(strstr(str, "ymode") == NULL);
    ck_assert(strstr(str, "xlabel={layer $j$}") != NULL);
    ck_assert(strstr(str, "\\addlegendentry{exact}") != NULL);
    ck_assert(strstr(str, "use comma") == NULL);
    ck_assert(strstr(str, "1000 sep={{,}}") != NULL);
    blk = addplot(str, 0);
    ck_assert(strstr(blk, "gradchain exact") != NULL);
    ck_assert(strstr(blk, "(1,-3.5) (2,-2.25) (3,-1)") != NULL);
    flint_free(blk);
    /* the level across the axis, x = 1 .. 3, and its label */
    blk = addplot(str, 1);
    ck_assert_msg(strstr(blk, "(1,-4.5) (3,-4.5)") != NULL, "%s", blk);
    flint_free(blk);
    ck_assert(strstr(str, "{binary16 min. normal};") != NULL);
    ck_assert_int_eq(count(str, "\\begin{tikzpicture}"), 1);

    /* the legend below the x label, never inside the axis */
    ck_assert(strstr(str, "legend pos") == NULL);
    ck_assert(strstr(str, "xlabel style={name=gradchain xlabel}") != NULL);
    ck_assert(strstr(str, "at={(gradchain xlabel.south)}, anchor=north")
              != NULL);
    flint_free(str);

    /* the page is the box of the figure plus 3 mm: no fixed size */
    p->standalone = 1;
    str = plot_str(p);
    ck_assert(strstr(str, "geometry") == NULL);
    ck_assert(strstr(str, "\\begin{document}\n"
                          "\\begin{lrbox}{\\gradchainfigure}%\n") != NULL);
    ck_assert(strstr(str, "\\begin{lrbox}")
              < strstr(str, "\\begin{tikzpicture}"));
    ck_assert(strstr(str, "\\end{tikzpicture}\n\\end{lrbox}%\n"
                          "\\pdfpagewidth=\\dimexpr\\wd\\gradchainfigure"
                          "+6mm\\relax\n") != NULL);
    ck_assert(strstr(str, "\\shipout\\box\\gradchainfigure\n"
                          "\\end{document}\n") != NULL);
    ck_assert(strstr(str, "\\documentclass{article}\n") == str);
    ck_assert(strstr(str, "\\usepackage{pgfplots}\n"
                          "\\pgfplotsset{compat=1.18}\n") != NULL);
    ck_assert(strcmp(str + strlen(str) - 15, "\\end{document}\n") == 0);
    flint_free(str);
}
END_TEST

/* The legend's columns: as many entries as fit in the axis width and
   the y labels' 2 cm (0.8 cm an entry plus 0.12 cm a character), at
   least 1, at most the entries. */
START_TEST(test_plot_legend_columns)
{
    double x[2] = {1, 2}, y[2] = {-1, -2};
    gc_plot_series_struct s[4] = {{"exact", x, y, 2, 0},
                                  {"bfloat16:sr", x, y, 2, 1},
                                  {"\xc3\xad\xc3\xad\xc3\xad\xc3\xad"
                                   "\xc3\xad\xc3\xad\xc3\xad\xc3\xad"
                                   "\xc3\xad\xc3\xad\xc3\xad", x, y, 2, 2},
                                  {NULL, x, y, 2, 3}};
    gc_plot_t p;
    char * str;

    /* 11 characters (the third label, 22 bytes of UTF-8, too): 2.12 cm
       an entry, 7.5 / 2.12 = 3.5 */
    plot_set(p, s, 4, NULL, 0, NULL, 0);
    str = plot_str(p);
    ck_assert_msg(strstr(str, "legend columns=3,") != NULL, "%s", str);
    flint_free(str);
    /* two entries: 2 columns */
    p->nseries = 2;
    str = plot_str(p);
    ck_assert(strstr(str, "legend columns=2,") != NULL);
    flint_free(str);
    /* a long label: (5.5 + 2) / (0.8 + 27 * 0.12) = 1.9, one column */
    s[1].label = "binary16 (lost at layer 20)";
    str = plot_str(p);
    ck_assert(strstr(str, "legend columns=1,") != NULL);
    flint_free(str);
    /* a wider axis: 12.5 / 4.04 = 3.1, but 2 entries */
    p->width = 10.5;
    str = plot_str(p);
    ck_assert(strstr(str, "legend columns=2,") != NULL);
    flint_free(str);
}
END_TEST

/* x ticks: fixed notation, never closer than their labels need (a
   digit 0.18 cm, 0.4 cm between labels, on a 5.5 cm axis); one layer
   spans 0.5 .. 1.5 with its tick alone. */
START_TEST(test_plot_ticks)
{
    double x[2] = {1, 100000}, y[2] = {-434294916, 0};
    gc_plot_series_struct s = {"exact", x, y, 2, 0};
    gc_plot_t p;
    char * str;
    slong i;
    /* last x, distance: 7 characters, 5.5 / 1.66 = 3 ticks: 0, 50000,
       100000; 3 digits, 5.5 / 0.94 = 5: 0, 200, ... 600; 2 digits, 7:
       10, ... 60 (xmin 1); 1 digit: 5.5 / 0.58 = 9: 1, ... 9 */
    static const struct { double last; const char * want; } t[4] = {
        {100000, "xtick distance=50000,"}, {600, "xtick distance=200,"},
        {60, "xtick distance=10,"}, {9, "xtick distance=1,"}};

    plot_set(p, &s, 1, NULL, 0, NULL, 0);
    for (i = 0; i < 4; i++)
    {
        x[1] = t[i].last;
        str = plot_str(p);
        ck_assert_msg(strstr(str, t[i].want) != NULL, "%s", str);
        ck_assert(strstr(str, "/pgf/number format/fixed,") != NULL);
        flint_free(str);
    }
    s.len = 1;
    str = plot_str(p);
    ck_assert(strstr(str, "xmin=0.5, xmax=1.5,") != NULL);
    ck_assert(strstr(str, "xtick distance=1,") != NULL);
    flint_free(str);
}
END_TEST

/* pt: decimal commas and 1.000, Portuguese axis label and words. */
START_TEST(test_plot_pt)
{
    double x[2] = {1, 4000}, y[2] = {-0.5, -1500.25};
    gc_plot_series_struct s = {NULL, x, y, 2, 2};
    gc_plot_t p;
    char * str;

    gc_plot_init(p);
    p->lang = GC_LANG_PT;
    p->series = &s;
    p->nseries = 1;
    str = plot_str(p);
    ck_assert(strstr(str, "/pgf/number format/1000 sep={.}, "
                          "/pgf/number format/use comma]") != NULL);
    ck_assert(strstr(str, "xlabel={camada $j$}") != NULL);
    /* the data keep decimal points: TeX reads them */
    ck_assert(strstr(str, "(4000,-1500.25)") != NULL);
    /* no legend entry for a line without a label */
    ck_assert(strstr(str, "\\addlegendentry") == NULL);
    ck_assert(strstr(str, "forget plot") != NULL);
    flint_free(str);
    ck_assert_str_eq(gc_plot_word(GC_LANG_PT, GC_PLOT_WORD_EXACT), "exato");
    ck_assert_str_eq(gc_plot_word(GC_LANG_PT, GC_PLOT_WORD_MIN_NORMAL),
                     "m\xc3\xadn. normal");
    ck_assert_str_eq(gc_plot_word(GC_LANG_EN, GC_PLOT_WORD_QUARTILES),
                     "quartiles");
}
END_TEST

/* A line of 5000 points is thinned to about GC_PLOT_MAX_POINTS, keeping
   its first and last points and the x where another line stops. */
START_TEST(test_plot_thinning)
{
    slong n = 5000, i;
    double * x = flint_malloc(n * sizeof(double));
    double * y = flint_malloc(n * sizeof(double));
    gc_plot_series_struct s[2];
    gc_plot_t p;
    char * str, * blk;
    slong pts;

    for (i = 0; i < n; i++)
    {
        x[i] = i + 1;
        y[i] = -0.5 * (n - i);
    }
    s[0] = (gc_plot_series_struct){"exact", x, y, n, 0};
    /* the second line stops at x = 3002 (odd: not on the stride) */
    s[1] = (gc_plot_series_struct){"binary16", x + 3001, y + 3001,
                                   n - 3001, 4};
    gc_plot_init(p);
    p->series = s;
    p->nseries = 2;
    str = plot_str(p);
    blk = addplot(str, 0);
    pts = count(blk, "(");
    ck_assert_msg(pts >= GC_PLOT_MAX_POINTS / 2
                  && pts <= GC_PLOT_MAX_POINTS + 4, "%ld points", (long) pts);
    ck_assert(has_x(blk, "1"));
    ck_assert(has_x(blk, "5000"));
    ck_assert(has_x(blk, "3002"));
    ck_assert(!has_x(blk, "3003"));
    flint_free(blk);
    /* the second line: 1999 points, under the bound, all kept */
    blk = addplot(str, 1);
    ck_assert_int_eq(count(blk, "("), n - 3001);
    ck_assert(has_x(blk, "3002") && has_x(blk, "3003"));
    flint_free(blk);
    flint_free(str);

    /* at the bound nothing is thinned */
    s[0].len = GC_PLOT_MAX_POINTS;
    p->nseries = 1;
    str = plot_str(p);
    blk = addplot(str, 0);
    ck_assert_int_eq(count(blk, "("), GC_PLOT_MAX_POINTS);
    flint_free(blk);
    flint_free(str);
    flint_free(x);
    flint_free(y);
}
END_TEST

/* A band (the sweep's quartiles and median) with synthetic data, and a
   vertical level (a format's median first-zero layer). */
START_TEST(test_plot_band)
{
    double x[4] = {1, 2, 3, 4}, lo[4] = {-9, -7, -5, -3},
           mid[4] = {-8, -6, -4, -2}, hi[4] = {-7, -5, -3, -1};
    gc_plot_band_struct b = {"quartiles", "median", x, lo, mid, hi, 4, 0};
    gc_plot_level_struct l = {2.5, 1, "binary16 median first zero", 4};
    gc_plot_t p;
    char * str, * blk;

    plot_set(p, NULL, 0, &b, 1, &l, 1);
    str = plot_str(p);
    /* the polygon: lo forwards, hi backwards, closed */
    blk = addplot(str, 0);
    ck_assert(strstr(blk, "gradchain band 0") != NULL);
    ck_assert_msg(strstr(blk, "(1,-9) (2,-7) (3,-5) (4,-3)") != NULL, "%s",
                  blk);
    ck_assert_msg(strstr(blk, "(4,-1) (3,-3) (2,-5) (1,-7)} -- cycle")
                  != NULL, "%s", blk);
    flint_free(blk);
    ck_assert(strstr(str, "\\addlegendentry{quartiles}") != NULL);
    blk = addplot(str, 1);
    ck_assert(strstr(blk, "gradchain exact") != NULL);
    ck_assert(strstr(blk, "(1,-8) (2,-6) (3,-4) (4,-2)") != NULL);
    flint_free(blk);
    ck_assert(strstr(str, "\\addlegendentry{median}") != NULL);
    /* the vertical level spans y and its label stands above, rotated */
    blk = addplot(str, 2);
    ck_assert(strstr(blk, "gradchain level 4") != NULL);
    ck_assert(strstr(blk, "(2.5,-9.4) (2.5,-0.6)") != NULL);
    flint_free(blk);
    ck_assert(strstr(str, "rotate=90") != NULL);
    ck_assert(strstr(str, "{binary16 median first zero}") != NULL);
    flint_free(str);
}
END_TEST

/* Returns the label position of the level node *k* (its y, or x for a
   vertical level). */
static double
label_pos(const char * s, slong k, int vertical)
{
    char pat[32];
    const char * q;
    double a, b;

    snprintf(pat, sizeof pat, "(gclevel%ld) at (axis cs:", (long) k);
    q = strstr(s, pat);
    ck_assert_msg(q != NULL, "no %s", pat);
    ck_assert(sscanf(q + strlen(pat), "%lf,%lf", &a, &b) == 2);
    return vertical ? a : b;
}

/* Labels of close levels are spread at least a label height apart;
   far levels are left out and listed in a comment; labels are
   escaped. */
START_TEST(test_plot_levels)
{
    double x[2] = {1, 100}, y[2] = {-100, 0};
    gc_plot_series_struct s = {"exact", x, y, 2, 0};
    gc_plot_level_struct l[4] = {{-37.93, 0, "a", 2},
                                 {-37.9, 0, "b_1 & 50% #x", 3},
                                 {-40.04, 0, "c", 3},
                                 {-1000, 0, "far", 1}};
    gc_plot_t p;
    char * str;
    double p0, p1, p2, ymin = -105, ymax = 5, gap;

    plot_set(p, &s, 1, NULL, 0, l, 4);
    str = plot_str(p);
    /* the range pads the data by 5 % */
    ck_assert(strstr(str, "ymin=-105, ymax=5") != NULL);
    ck_assert(strstr(str, "% level beyond the axis, not drawn: -1000 far\n")
              != NULL);
    ck_assert(strstr(str, "{far}") == NULL);
    ck_assert(strstr(str, "{b\\_1 \\& 50\\% \\#x}") != NULL);
    /* nodes in decreasing order of value: b, a, c */
    p0 = label_pos(str, 0, 0);
    p1 = label_pos(str, 1, 0);
    p2 = label_pos(str, 2, 0);
    gap = (ymax - ymin) * 0.3 / p->height; /* less than a label height */
    ck_assert_msg(p0 - p1 >= gap && p1 - p2 >= gap, "%g %g %g", p0, p1, p2);
    ck_assert(p0 == -37.9);
    flint_free(str);
}
END_TEST

/* A line of no point (a format lost at the output) keeps its legend
   entry, in its style, and draws nothing; alone it is nothing to draw. */
START_TEST(test_plot_empty_line)
{
    double x[2] = {1, 2}, y[2] = {-1, -2};
    gc_plot_series_struct s[3] = {{"exact", x, y, 2, 0},
                                  {"binary16 (lost at layer 2)", NULL, NULL,
                                   0, 4},
                                  {NULL, NULL, NULL, 0, 2}};
    gc_plot_level_struct l = {-1.5, 0, "binary16 min. normal", 4};
    gc_plot_t p;
    const char * why;
    char * str, * e;

    plot_set(p, s, 3, NULL, 0, &l, 1);
    str = plot_str(p);
    e = strstr(str, "\\addlegendimage{gradchain format 4}\n"
                    "\\addlegendentry{binary16 (lost at layer 2)}\n");
    ck_assert_msg(e != NULL, "%s", str);
    /* after the exact line, in the order given; its style is defined */
    ck_assert(strstr(str, "\\addlegendentry{exact}") < e);
    ck_assert(strstr(str, "\\pgfkeysifdefined{/tikz/gradchain format 4/")
              != NULL);
    /* the exact line and the level only; the unlabelled empty line
       leaves no trace */
    ck_assert_int_eq(count(str, "\\addplot["), 2);
    ck_assert_int_eq(count(str, "\\addlegendimage"), 1);
    ck_assert(strstr(str, "gradchain format 2") == NULL);
    ck_assert(strstr(str, "xmin=1, xmax=2") != NULL);
    ck_assert(strstr(str, "{binary16 min. normal}") != NULL);
    flint_free(str);
    p->series = s + 1;
    p->nseries = 2;
    ck_assert_int_eq(gc_plot_check(p, &why), GC_INVALID);
    ck_assert_str_eq(why, "nothing to draw: no line with points or band");
    s[1].len = -1;
    ck_assert_int_eq(gc_plot_check(p, &why), GC_INVALID);
    ck_assert_str_eq(why, "a line with a negative length or NULL points");
    ck_assert_str_eq(gc_plot_word(GC_LANG_PT, GC_PLOT_WORD_LOST_AT),
                     "perdido na camada");
    ck_assert_str_eq(gc_plot_word(GC_LANG_EN, GC_PLOT_WORD_NO_VALUE),
                     "no nonzero value");
}
END_TEST

START_TEST(test_plot_invalid)
{
    double x[2] = {1, 2}, y[2] = {-1, NAN}, lo[2] = {-1, 0}, hi[2] = {0, -1};
    gc_plot_series_struct s = {"exact", x, y, 2, 0};
    gc_plot_band_struct b = {NULL, NULL, x, lo, NULL, hi, 2, 0};
    gc_plot_t p;
    const char * why;
    char * str = (char *) 1;

    gc_plot_init(p);
    ck_assert_int_eq(gc_plot_check(p, &why), GC_INVALID);
    ck_assert_str_eq(why, "nothing to draw: no line with points or band");
    p->series = &s;
    p->nseries = 1;
    ck_assert_int_eq(gc_plot_check(p, &why), GC_INVALID);
    ck_assert_str_eq(why, "a point of a line is not finite");
    ck_assert_int_eq(gc_plot_get_str(&str, p), GC_INVALID);
    ck_assert(str == NULL);
    s.len = 1;
    ck_assert_int_eq(gc_plot_check(p, &why), GC_SUCCESS);
    ck_assert(why == NULL);
    p->width = 0;
    ck_assert_int_eq(gc_plot_check(p, &why), GC_INVALID);
    p->width = 5;
    p->bands = &b;
    p->nbands = 1;
    ck_assert_int_eq(gc_plot_check(p, &why), GC_INVALID);
    ck_assert_str_eq(why, "a band with lo > hi");
    s.len = 0;
    p->nbands = 0;
    ck_assert_int_eq(gc_plot_check(p, NULL), GC_INVALID);
}
END_TEST

static Suite *
gc_plot_suite(void)
{
    Suite * s = suite_create("plot");
    TCase * core = tcase_create("core");
    TCase * special = tcase_create("special");

    tcase_add_test(core, test_plot_structure);
    tcase_add_test(core, test_plot_pt);
    tcase_add_test(core, test_plot_legend_columns);
    tcase_add_test(core, test_plot_ticks);
    tcase_add_test(core, test_plot_thinning);
    tcase_add_test(core, test_plot_band);
    tcase_add_test(core, test_plot_levels);
    tcase_add_test(special, test_plot_empty_line);
    tcase_add_test(special, test_plot_invalid);
    suite_add_tcase(s, core);
    suite_add_tcase(s, special);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_plot_suite());
}
