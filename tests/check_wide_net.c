/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* check_wide_net.c -- wide network files (gc_net_read_any, gc_wnet_read,
   gc_wnet_write) and random wide networks (gc_wnet_set_random). */

#include <dirent.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "gc-test.h"

#define GC_TEST_WIDEDIR SRCDIR "/tests/data/wide"
#define GC_TEST_BADWIDEDIR SRCDIR "/tests/data/bad-wide"
#define GC_TEST_BADDIR SRCDIR "/tests/data/bad"

/* Returns what gc_wnet_write writes for *net* (free it with free). */
static char *
wnet_text(const gc_wnet_t net)
{
    char * out = NULL;
    size_t n = 0;
    FILE * f = open_memstream(&out, &n);

    ck_assert(f != NULL);
    ck_assert_int_eq(gc_wnet_write(f, net), GC_SUCCESS);
    ck_assert_int_eq(fclose(f), 0);
    return out;
}

/* Writes *net*, reads it back, checks it is the same and that writing
   it again gives the same text. */
static void
check_round_trip(const gc_wnet_t net)
{
    gc_parse_error_t err;
    gc_wnet_t back;
    char * text = wnet_text(net), * again;

    gc_wnet_init(back);
    ck_assert_msg(gc_wnet_read_str(back, text, err) == GC_SUCCESS,
                  "%ld: %s\n%.300s", (long) err->line, err->msg, text);
    ck_assert_msg(gc_wnet_equal(net, back), "round trip differs:\n%.300s",
                  text);
    again = wnet_text(back);
    ck_assert_msg(strcmp(text, again) == 0, "written again:\n%.300s\n%.300s",
                  text, again);
    free(again);
    free(text);
    gc_wnet_clear(back);
}

/* Reads the file *path* with gc_net_read_any; returns the status. */
static int
read_any_file(gc_net_t chain, gc_wnet_t wide, int * is_wide,
              const char * path, gc_parse_error_t err)
{
    FILE * f = fopen(path, "rb");
    int status;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    status = gc_net_read_any(chain, wide, is_wide, f, err);
    fclose(f);
    return status;
}

#define GC_TEST_FILES_MAX 256

/* Sets names[0..] to the *.net files of *dir* and returns how many. */
static int
net_files(char names[][256], const char * dir)
{
    DIR * d = opendir(dir);
    struct dirent * de;
    size_t n;
    int count = 0;

    ck_assert_msg(d != NULL, "cannot open %s", dir);
    while ((de = readdir(d)) != NULL)
    {
        n = strlen(de->d_name);
        if (n > 4 && n < 256 && strcmp(de->d_name + n - 4, ".net") == 0)
        {
            ck_assert(count < GC_TEST_FILES_MAX);
            strcpy(names[count++], de->d_name);
        }
    }
    closedir(d);
    return count;
}

/* tests/data/wide/good.net against good.expected, which good.py made
   from it with Python's fractions. */
START_TEST(test_read_good)
{
    char line[4096], word[32];
    gc_parse_error_t err;
    gc_wnet_t net;
    gc_net_t chain;
    mpq_t want, got;
    FILE * ex;
    slong l, i, idx, count = 0;
    int is_wide = -1, off;
    char * p;

    gc_wnet_init(net);
    gc_net_init(chain);
    ck_assert_msg(read_any_file(chain, net, &is_wide, GC_TEST_WIDEDIR
                                "/good.net", err) == GC_SUCCESS,
                  "%ld: %s", (long) err->line, err->msg);
    ck_assert_int_eq(is_wide, 1);
    mpq_init(want);
    mpq_init(got);
    ex = fopen(GC_TEST_WIDEDIR "/good.expected", "r");
    ck_assert(ex != NULL);
    while (fgets(line, sizeof line, ex) != NULL)
    {
        line[strcspn(line, "\n")] = '\0';
        ck_assert(sscanf(line, "%31s%n", word, &off) == 1);
        p = line + off;
        if (strcmp(word, "widths") == 0)
        {
            for (l = 0; sscanf(p, "%ld%n", &i, &off) == 1; l++, p += off)
                ck_assert_int_eq(net->width[l], i);
            ck_assert_int_eq(l, net->len + 1);
        }
        else if (strcmp(word, "a0") == 0 || strcmp(word, "y") == 0)
        {
            mpq_srcptr v = word[0] == 'a' ? net->a0 : net->y;

            for (i = 0; sscanf(p, "%31s%n", word, &off) == 1; i++, p += off)
            {
                ck_assert(mpq_set_str(want, word, 10) == 0);
                ck_assert(mpq_equal(v + i, want));
            }
        }
        else if (strcmp(word, "acts") == 0)
            for (l = 0; sscanf(p, "%31s%n", word, &off) == 1; l++, p += off)
            {
                char * name = gc_activation_get_str(net->act + l);

                ck_assert_str_eq(name, word);
                flint_free(name);
            }
        else if (strcmp(word, "cost") == 0)
            ck_assert_str_eq(gc_cost_name(net->cost), p + 1);
        else
        {
            idx = strtol(word, NULL, 10);
            ck_assert_int_eq(idx, count++);
            ck_assert(mpq_set_str(want, p + 1, 10) == 0);
            gc_wnet_get_param_q(got, net, idx);
            ck_assert_msg(mpq_equal(got, want), "parameter %ld", idx);
        }
    }
    fclose(ex);
    ck_assert_int_eq(count, net->off[net->len]);
    ck_assert_int_eq(count, 25);
    /* the rationals of the side table: 0.1 (twice), 3/7, 1e-400,
       4.9406564584124654e-324 (not quite 2^-1074), 0.2, 0.3, 0.4, -7/22,
       1e-5; the other 15 are binary64 numbers */
    ck_assert_int_eq(net->ncq, 10);

    check_round_trip(net);
    mpq_clear(want);
    mpq_clear(got);
    gc_wnet_clear(net);
    gc_net_clear(chain);
}
END_TEST

/* Small wide files: widths, the parameters by gc_wnet_param_index. */
START_TEST(test_read_small)
{
    gc_parse_error_t err;
    gc_wnet_t net;
    gc_net_t chain;
    int is_wide = -1;
    double d;

    gc_wnet_init(net);
    gc_net_init(chain);
    /* a vector y makes a file wide; a plain line after an a0 of length
       2 holds 2 weights and the bias */
    ck_assert(gc_net_read_any_str(chain, net, &is_wide,
                                  "y 1 2\na0 3 4\n5 6 7\nlayer\n8 9\n"
                                  "0.5 -1\n", err) == GC_SUCCESS);
    ck_assert_int_eq(is_wide, 1);
    ck_assert_int_eq(net->len, 2);
    ck_assert(net->width[0] == 2 && net->width[1] == 1
              && net->width[2] == 2);
    ck_assert(gc_wnet_get_param_d(&d, net, gc_wnet_param_index(net, 1, 1,
                                                                 3)));
    ck_assert(d == 7);
    ck_assert(gc_wnet_get_param_d(&d, net, gc_wnet_param_index(net, 2, 2,
                                                                 1)));
    ck_assert(d == 0.5);
    ck_assert(mpq_cmp_ui(net->y + 1, 2, 1) == 0);
    ck_assert(mpq_cmp_ui(net->a0 + 1, 4, 1) == 0);
    ck_assert(chain->len == 0); /* left valid */
    check_round_trip(net);

    /* a chain's lines, then a 'layer' block: the lines before it are
       layers of one neuron, in order; per-layer activations kept */
    ck_assert(gc_net_read_any_str(chain, net, &is_wide,
                                  "act tanh\na0 2\ny 1\n1/3 2 relu\n4 5\n"
                                  "layer act identity\n6 7\n8 9\n"
                                  "cost cross-entropy\nlayer act sigmoid\n"
                                  "1 2 3\n",
                                  err) == GC_SUCCESS);
    ck_assert_int_eq(is_wide, 1);
    ck_assert_int_eq(net->len, 4);
    ck_assert(net->act[0].kind == GC_ACT_RELU
              && net->act[1].kind == GC_ACT_TANH
              && net->act[2].kind == GC_ACT_IDENTITY);
    ck_assert(net->cost == GC_COST_CROSS_ENTROPY);
    ck_assert(net->act[3].kind == GC_ACT_SIGMOID);
    ck_assert(gc_wnet_get_param_d(&d, net, 0) == 0); /* 1/3 */
    ck_assert(mpq_cmp_ui(net->a0, 2, 1) == 0 && mpq_cmp_ui(net->y, 1, 1)
                                                    == 0);
    gc_wnet_clear(net);
    gc_net_clear(chain);
}
END_TEST

START_TEST(test_read_small_cross_entropy)
{
    gc_parse_error_t err;
    gc_wnet_t net;

    gc_wnet_init(net);
    /* the output layer takes the 'act' line's activation: refused at the
       cost line */
    ck_assert_int_eq(gc_wnet_read_str(net, "act tanh\ncost cross-entropy\n"
                                      "layer\n1 0\n2 0\n", err),
                     GC_INVALID);
    ck_assert_int_eq(err->line, 2);
    ck_assert_str_eq(err->msg, "cost 'cross-entropy' needs an output "
                     "activation with values in (0, 1) (sigmoid), not "
                     "'tanh'");
    ck_assert_int_eq(net->len, 0); /* unchanged */
    ck_assert_int_eq(gc_wnet_read_str(net, "act tanh\ncost cross-entropy\n"
                                      "layer\n1 0\n2 0\nlayer act sigmoid\n"
                                      "1 1 0\n", err), GC_SUCCESS);
    ck_assert_int_eq(net->len, 2);
    gc_wnet_clear(net);
}
END_TEST

/* A chain from gc_net_read and from gc_net_read_any: the same values
   and the same compact words. */
static void
check_same_chain(const gc_net_t a, const gc_net_t b)
{
    slong j;

    ck_assert_int_eq(a->len, b->len);
    ck_assert(a->cost == b->cost && a->generated == b->generated);
    ck_assert(mpq_equal(a->a0, b->a0) && mpq_equal(a->y, b->y)
              && mpq_equal(a->dc_da, b->dc_da));
    ck_assert(gc_activation_equal(&a->act, &b->act));
    ck_assert_int_eq(a->ncq, b->ncq);
    ck_assert((a->cwb == NULL) == (b->cwb == NULL));
    if (a->cwb != NULL)
        ck_assert(memcmp(a->cwb, b->cwb, 2 * a->len * sizeof(ulong)) == 0);
    for (j = 0; j < a->ncq; j++)
        ck_assert(mpq_equal(a->cq + j, b->cq + j));
    for (j = 1; j <= a->len; j++)
        ck_assert(gc_activation_equal(gc_net_get_act(a, j),
                                      gc_net_get_act(b, j)));
}

/* Every chain file of tests/data/ref and examples/: gc_net_read_any gives
   gc_net_read's chain; gc_wnet_read gives it as widths 1 (or refuses
   'cost given'); a chain of one activation (or of the sigmoid's
   default) is written by gc_wnet_write as gc_net_write writes it. */
START_TEST(test_read_chain_files)
{
    const char * const dirs[] = {GC_TEST_REFDIR, SRCDIR "/examples"};
    static char names[GC_TEST_FILES_MAX][256];
    char path[1024];
    gc_parse_error_t err;
    gc_net_t a, b;
    gc_wnet_t w, v;
    int is_wide, files = 0, same_text = 0, k, i, n;
    slong wlen;
    FILE * f;

    gc_net_init(a);
    gc_net_init(b);
    gc_wnet_init(w);
    gc_wnet_init(v);
    for (k = 0; k < 2; k++)
        for (i = 0, n = net_files(names, dirs[k]); i < n; i++, files++)
        {
            snprintf(path, sizeof path, "%s/%.255s", dirs[k], names[i]);
            wlen = w->len;
            f = fopen(path, "rb");
            ck_assert(f != NULL);
            ck_assert_msg(gc_net_read(a, f, err) == GC_SUCCESS, "%s", path);
            fclose(f);
            ck_assert_msg(read_any_file(b, w, &is_wide, path, err)
                          == GC_SUCCESS, "%s", path);
            ck_assert_int_eq(is_wide, 0);
            ck_assert_int_eq(w->len, wlen); /* unchanged */
            check_same_chain(a, b);
            f = fopen(path, "rb");
            if (a->cost == GC_COST_GIVEN)
            {
                ck_assert_int_eq(gc_wnet_read(w, f, err), GC_INVALID);
                ck_assert(strstr(err->msg, "cost 'given' has no meaning")
                          != NULL);
            }
            else
            {
                char * t1 = NULL, * t2;
                size_t n1 = 0;
                FILE * g = open_memstream(&t1, &n1);

                ck_assert(gc_wnet_read(w, f, err) == GC_SUCCESS);
                ck_assert(gc_wnet_set_chain(v, a) == GC_SUCCESS);
                ck_assert_msg(gc_wnet_equal(w, v), "%s", path);
                ck_assert(gc_net_write(g, a) == GC_SUCCESS);
                fclose(g);
                t2 = wnet_text(w);
                if (a->act.kind == GC_ACT_SIGMOID || a->layer_act == NULL)
                {
                    ck_assert_msg(strcmp(t1, t2) == 0, "%s:\n%.300s\n%.300s",
                                  path, t1, t2);
                    same_text++;
                }
                ck_assert(gc_net_read_any_str(b, v, &is_wide, t2, err)
                          == GC_SUCCESS);
                ck_assert_int_eq(is_wide, 0);
                free(t1);
                free(t2);
            }
            fclose(f);
        }
    ck_assert_int_ge(files, 10);
    ck_assert_int_ge(same_text, 5);
    gc_net_clear(a);
    gc_net_clear(b);
    gc_wnet_clear(w);
    gc_wnet_clear(v);
}
END_TEST

/* The files of tests/data/bad: gc_net_read_any refuses each with
   gc_net_read's error, unless gc_net_read refuses it as wide. */
START_TEST(test_read_bad_chain_files)
{
    static char names[GC_TEST_FILES_MAX][256];
    char path[1024];
    gc_parse_error_t e1, e2;
    gc_net_t a, b;
    gc_wnet_t w;
    int is_wide, i, n, wide = 0;
    FILE * f;

    gc_net_init(a);
    gc_net_init(b);
    gc_wnet_init(w);
    for (i = 0, n = net_files(names, GC_TEST_BADDIR); i < n; i++)
    {
        snprintf(path, sizeof path, "%s/%.255s", GC_TEST_BADDIR, names[i]);
        f = fopen(path, "rb");
        ck_assert(f != NULL);
        ck_assert_int_eq(gc_net_read(a, f, e1), GC_INVALID);
        fclose(f);
        ck_assert_int_eq(read_any_file(b, w, &is_wide, path, e2),
                         GC_INVALID);
        if (strncmp(e1->msg, "wide layers: ", 13) == 0)
            wide++;
        else
            ck_assert_msg(e1->line == e2->line
                          && strcmp(e1->msg, e2->msg) == 0
                          && strcmp(e1->token, e2->token) == 0,
                          "%s: %ld %s; %ld %s", path, (long) e1->line,
                          e1->msg, (long) e2->line, e2->msg);
    }
    ck_assert_int_ge(n, 30);
    ck_assert_int_eq(wide, 1);
    gc_net_clear(a);
    gc_net_clear(b);
    gc_wnet_clear(w);
}
END_TEST

/* gc_net_read on wide files: "wide layers: ..." at the first token that
   only a wide network has. */
START_TEST(test_read_chain_refuses_wide)
{
    static const char * const in[][3] = {
        {"0.5 1\nlayer\n1 0\n", "2", "layer"},
        {"y 0 1\n0.5 1\n", "1", "1"},
        {"a0 1\n\n0.5 1\na0 1 2\n", "4", "duplicate 'a0'"},
        {"# c\na0 1 2 3\n1 2 3 4\n", "2", "2"},
    };
    gc_parse_error_t err;
    gc_net_t net;
    char want[GC_PARSE_MSG_MAX];

    gc_net_init(net);
    ck_assert_int_eq(gc_net_read_str(net, in[_i][0], err), GC_INVALID);
    ck_assert_int_eq(err->line, atol(in[_i][1]));
    if (_i == 2)
        ck_assert(strncmp(err->msg, in[_i][2], strlen(in[_i][2])) == 0);
    else
    {
        snprintf(want, sizeof want, "wide layers: a chain has one input, "
                 "one neuron a layer and one target; got '%s'", in[_i][2]);
        ck_assert_str_eq(err->msg, want);
    }
    gc_net_clear(net);
}
END_TEST

/* Sets *line* and *msg* to what tests/data/bad-wide/EXPECTED, of lines
   "NAME:LINE: MESSAGE", says of the file *name*, and returns 1; 0 if it
   says nothing.  *lines* is set to the number of its lines. */
static int
bad_wide_expected(long * line, char * msg, size_t size, int * lines,
                  const char * name)
{
    char buf[512];
    size_t n = strlen(name);
    FILE * ex = fopen(GC_TEST_BADWIDEDIR "/EXPECTED", "r");
    int found = 0;

    ck_assert(ex != NULL);
    for (*lines = 0; fgets(buf, sizeof buf, ex) != NULL; (*lines)++)
        if (strncmp(buf, name, n) == 0 && buf[n] == ':')
        {
            char * colon = strchr(buf + n + 1, ':');

            ck_assert(colon != NULL && colon[1] == ' ');
            *line = strtol(buf + n + 1, NULL, 10);
            buf[strcspn(buf, "\n")] = '\0';
            snprintf(msg, size, "%s", colon + 2);
            found = 1;
        }
    fclose(ex);
    return found;
}

/* tests/data/bad-wide: gc_net_read_any and gc_wnet_read (FILE and
   string) refuse every file with the line and message that EXPECTED
   gives, and leave the wide network unchanged. */
START_TEST(test_read_bad_wide)
{
    static char names[GC_TEST_FILES_MAX][256];
    char path[1024], msg[512], text[4096];
    gc_parse_error_t err;
    gc_net_t chain;
    gc_wnet_t net;
    FILE * f;
    long want_line = -1;
    int i, n, k, is_wide, lines = 0;
    size_t len;

    gc_net_init(chain);
    gc_wnet_init(net);
    for (i = 0, n = net_files(names, GC_TEST_BADWIDEDIR); i < n; i++)
    {
        ck_assert_msg(bad_wide_expected(&want_line, msg, sizeof msg, &lines,
                                        names[i]),
                      "%s is not in EXPECTED", names[i]);
        snprintf(path, sizeof path, "%s/%.255s", GC_TEST_BADWIDEDIR, names[i]);
        f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        len = fread(text, 1, sizeof text - 1, f);
        text[len] = '\0';
        fclose(f);
        for (k = 0; k < 3; k++)
        {
            int status = k == 0 ? read_any_file(chain, net, &is_wide, path,
                                                err)
                         : k == 1 ? gc_net_read_any_str(chain, net,
                                                        &is_wide, text, err)
                         : gc_wnet_read_str(net, text, err);

            ck_assert_msg(status == GC_INVALID, "%s was accepted", names[i]);
            ck_assert_msg(err->line == want_line && strcmp(err->msg, msg)
                                                        == 0,
                          "%s (%d): got %ld: %s; expected %ld: %s", names[i],
                          k, (long) err->line, err->msg, want_line, msg);
            ck_assert_int_eq(net->len, 0);
        }
    }
    ck_assert_msg(lines == n, "%d .net files, %d lines in EXPECTED", n,
                  lines);
    ck_assert_int_ge(n, 20);
    gc_net_clear(chain);
    gc_wnet_clear(net);
}
END_TEST

/* Round trips of hand-set networks: rationals, the extremes of binary64,
   1e-400, -0 (read back as 0), per-layer activations, vectors a0 and
   y; a width-1 network written as a chain file. */
START_TEST(test_write_special)
{
    const slong width[] = {2, 3, 1, 2};
    const char * const vals[] = {"1/3", "-0", "1e-400", "-7/22",
                                 "4.9406564584124654e-324", "0x1p-1074",
                                 "0x1.fffffffffffffp1023", "-1e400",
                                 "0.1", "123456789012345678901234567890"};
    gc_parse_error_t err;
    gc_activation_t a;
    gc_wnet_t net;
    mpq_t q;
    slong i;
    char * text;

    gc_wnet_init(net);
    mpq_init(q);
    gc_activation_init(a);
    gc_wnet_set_widths(net, 3, width);
    for (i = 0; i < net->off[3]; i++)
    {
        ck_assert(gc_q_set_str(q, vals[i % 10], err) == GC_SUCCESS);
        gc_wnet_set_param_q(net, i, q);
    }
    ck_assert(gc_q_set_str(net->a0 + 1, "-5/3", err) == GC_SUCCESS);
    ck_assert(gc_q_set_str(net->y + 1, "1e-400", err) == GC_SUCCESS);
    check_round_trip(net);
    ck_assert(gc_activation_set_str(a, "leaky-relu:1/7", err)
              == GC_SUCCESS);
    gc_wnet_set_act(net, 2, a);
    check_round_trip(net);
    ck_assert(gc_activation_set_str(a, "gelu", err) == GC_SUCCESS);
    gc_wnet_set_act(net, 1, a);
    net->cost = GC_COST_CROSS_ENTROPY;
    check_round_trip(net);
    /* the same activation everywhere: one 'act' line */
    net->cost = GC_COST_QUADRATIC;
    gc_wnet_set_act(net, 2, a);
    gc_wnet_set_act(net, 3, a);
    text = wnet_text(net);
    ck_assert(strstr(text, "\nact gelu\n") != NULL
              && strstr(text, "layer act") == NULL);
    free(text);
    check_round_trip(net);

    /* widths 2 -> 1 -> 3: the first layer as a line of 2 weights and a
       bias, then a block */
    {
        const slong w2[] = {2, 1, 3};

        gc_wnet_set_widths(net, 2, w2);
        gc_wnet_set_param_d(net, 2, -0.0);
        gc_wnet_set_param_d(net, 4, 0.5);
        text = wnet_text(net);
        ck_assert_str_eq(text, "# gradchain network v1\n# L 2\na0 1 1\n"
                         "y 0 0 0\n0 0 0\nlayer\n0 0.5\n0 0\n0 0\n");
        free(text);
        check_round_trip(net);
    }
    gc_activation_clear(a);
    mpq_clear(q);
    gc_wnet_clear(net);
}
END_TEST

/* gc_wnet_equal tells every kind of difference. */
START_TEST(test_equal)
{
    const slong width[] = {2, 2, 1}, other[] = {2, 1, 1};
    gc_random_t r = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed());
    gc_activation_t a;
    gc_wnet_t x, y;
    mpq_t q;
    slong i;

    gc_wnet_init(x);
    gc_wnet_init(y);
    mpq_init(q);
    gc_activation_init(a);
    gc_wnet_set_random(x, 2, width, r);
    for (i = 0; i < 7; i++)
    {
        y->cost = GC_COST_QUADRATIC;   /* gc_wnet_set_random keeps it */
        gc_wnet_set_random(y, 2, width, r);
        ck_assert(gc_wnet_equal(x, y));
        switch (i)
        {
            case 0:
                gc_wnet_set_param_d(y, 3, 0.5);
                break;
            case 1:
                mpq_set_ui(q, 1, 3);
                gc_wnet_set_param_q(y, 8, q);
                break;
            case 2:
                mpq_set_si(y->a0 + 1, -1, 1);
                break;
            case 3:
                mpq_set_si(y->y, 1, 3);
                break;
            case 4:
                a->kind = GC_ACT_RELU;
                gc_wnet_set_act(y, 2, a);
                break;
            case 5:
                y->cost = GC_COST_CROSS_ENTROPY;
                break;
            default:
                gc_wnet_set_random(y, 2, other, r);
        }
        ck_assert_msg(!gc_wnet_equal(x, y) && !gc_wnet_equal(y, x),
                      "difference %ld", (long) i);
    }
    gc_activation_clear(a);
    mpq_clear(q);
    gc_wnet_clear(x);
    gc_wnet_clear(y);
}
END_TEST

/* Random wide networks round trip (every fan-in rule, several widths). */
START_TEST(test_write_random)
{
    const slong width[] = {3, 1, 4, 4, 2};
    gc_random_t r = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed() + _i);
    gc_wnet_t net;

    gc_wnet_init(net);
    r->fanin = (gc_fanin_t) (_i % 4);
    gc_dist_set_uniform(&r->biases, -1e-300, 3.0);
    gc_wnet_set_random(net, 4, width, r);
    ck_assert_int_eq(net->ncq, 0);
    check_round_trip(net);
    gc_wnet_clear(net);
}
END_TEST

/* Widths all 1: exactly the chain gc_net_set_random draws, every rule. */
START_TEST(test_random_chain)
{
    slong width[41], j;
    gc_random_t r = GC_TEST_NORMAL(0.25, 2.0, gc_test_seed());
    gc_net_t chain;
    gc_wnet_t net;
    mpq_t w, b, q;

    for (j = 0; j <= 40; j++)
        width[j] = 1;
    r->fanin = (gc_fanin_t) _i;
    if (_i == 2)
        gc_dist_set_uniform(&r->weights, -3.0, 0.5);
    gc_net_init(chain);
    gc_wnet_init(net);
    mpq_init(w);
    mpq_init(b);
    mpq_init(q);
    gc_net_set_random(chain, r, 40);
    gc_wnet_set_random(net, 40, width, r);
    for (j = 1; j <= 40; j++)
    {
        gc_net_get_layer_q(w, b, chain, j);
        gc_wnet_get_param_q(q, net, gc_wnet_param_index(net, j, 1, 1));
        ck_assert(mpq_equal(q, w));
        gc_wnet_get_param_q(q, net, gc_wnet_param_index(net, j, 1, 2));
        ck_assert(mpq_equal(q, b));
        ck_assert(net->act[j - 1].kind == GC_ACT_SIGMOID);
    }
    ck_assert(mpq_cmp_ui(net->a0, 1, 1) == 0 && mpq_sgn(net->y) == 0);
    mpq_clear(w);
    mpq_clear(b);
    mpq_clear(q);
    gc_net_clear(chain);
    gc_wnet_clear(net);
}
END_TEST

/* Widths 3 -> 5 -> 2 with the fan-in rules: parameter idx is draw idx
   of N(0, c) for a weight, c the rule's factor for its layer computed by
   tests/data/wide/scales.py (mpmath, rounded once to binary64), and of
   the biases' distribution for a bias. */
static const struct
{
    const char * rule;
    double c[2];
} fanin_scales[] = {
    {"lecun", {0x1.279a74590331cp-1, 0x1.c9f25c5bfedd9p-2}},
    {"he", {0x1.a20bd700c2c3ep-1, 0x1.43d136248490fp-1}},
    {"xavier", {0x1.0000000000000p-1, 0x1.11acee560242ap-1}},
};

START_TEST(test_random_fanin)
{
    const slong width[] = {3, 5, 2};
    gc_random_t r = GC_TEST_NORMAL(0.0, 1.0, gc_test_seed() + 1);
    gc_dist_t wd;
    gc_wnet_t net;
    slong l, i, k, idx;
    double d;

    ck_assert(gc_fanin_set_str(&r->fanin, fanin_scales[_i].rule)
              == GC_SUCCESS);
    gc_dist_set_const(&r->biases, 0.125);
    gc_wnet_init(net);
    gc_wnet_set_random(net, 2, width, r);
    for (l = 1; l <= 2; l++)
    {
        gc_dist_set_normal(wd, 0.0, fanin_scales[_i].c[l - 1]);
        for (i = 1; i <= width[l]; i++)
        {
            for (k = 1; k <= width[l - 1]; k++)
            {
                idx = gc_wnet_param_index(net, l, i, k);
                ck_assert(gc_wnet_get_param_d(&d, net, idx));
                ck_assert_msg(d == gc_dist_draw(wd, r->seed, idx),
                              "%s: W^%ld_%ld%ld", fanin_scales[_i].rule,
                              (long) l, (long) i, (long) k);
                ck_assert(d != 0);
            }
            ck_assert(gc_wnet_get_param_d(&d, net, gc_wnet_param_index(net,
                                          l, i, k)));
            ck_assert(d == 0.125);
        }
    }
    /* the scaled distributions are gc_random_get_weights' */
    gc_random_get_weights(wd, r, 5, 2);
    ck_assert(wd->par[1] == fanin_scales[_i].c[1]);
    gc_wnet_clear(net);
}
END_TEST

static Suite *
gc_wide_net_suite(void)
{
    Suite * s = suite_create("wide_net");
    TCase * tc;

    tc = tcase_create("read");
    tcase_add_test(tc, test_read_good);
    tcase_add_test(tc, test_read_small);
    tcase_add_test(tc, test_read_small_cross_entropy);
    tcase_add_test(tc, test_read_chain_files);
    tcase_add_test(tc, test_read_bad_chain_files);
    tcase_add_loop_test(tc, test_read_chain_refuses_wide, 0, 4);
    tcase_add_test(tc, test_read_bad_wide);
    suite_add_tcase(s, tc);

    tc = tcase_create("write");
    tcase_add_test(tc, test_equal);
    tcase_add_test(tc, test_write_special);
    tcase_add_loop_test(tc, test_write_random, 0, 8);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_add_loop_test(tc, test_random_chain, 0, 4);
    tcase_add_loop_test(tc, test_random_fanin, 0, 3);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return gc_test_run(gc_wide_net_suite());
}
