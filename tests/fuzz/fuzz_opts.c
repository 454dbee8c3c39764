/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* fuzz_opts.c -- libFuzzer target for every option-value parser of the
   library.

   The first byte selects the parser, the rest is its string (up to the
   first NUL); "A\nB" inputs carry two strings.  Oracles:
   0 gc_numfmt_set_str: max, min normal and min subnormal round exactly
     and classify right, half the min subnormal ties to 0, twice max
     overflows per policy, and the name reads back to the same format;
   1 gc_numfmt_list_set_str: the same for every item; NULL and 0 on error;
   2 "FORMAT\nSCALE": gc_loss_scale_set_str gives a positive finite scale;
     when the scale format holds it (the CLI's check, at a precision wide
     enough for the format), gc_replay of a 3-layer network succeeds;
   3 gc_param_set_str with a fuzzed bound: the name reads back, in range;
   4 every name table (gc_X_set_str): name(value) reads back to value and
     is in the table;
   5 gc_expr_set_str_ascii: print in ASCII (expanded, compact, grouped,
     auto with line breaks) and parse back to the same product; the LaTeX
     and text printers run too;
   6 gc_dist_set_str (random specs): a spec it accepts is valid, prints
     back (gc_dist_get_str) to a spec that reads as the same
     distribution, and its draws are finite (uniform: in [lo, hi]; const:
     v); with each fan-in rule, gc_random_is_valid agrees with the
     validity of the scaled weights;
   7 "FORMAT\nNUMBER": gc_numfmt_round of an exact number is idempotent.
   Every error has a non-empty, NUL-terminated message. */

#include <math.h>

#include "fuzz-common.h"

#define FUZZ_ROUNDTRIP_MAX (WORD(1) << 16)

/* Splits "A\nB" at the first newline (B = "" if there is none). */
static char *
split(char * s)
{
    char * nl = strchr(s, '\n');

    if (nl == NULL)
        return s + strlen(s);
    *nl = '\0';
    return nl + 1;
}

/* gc_numfmt_round, or for a stochastic format (which that function
   refuses) gc_numfmt_round_sr with a fixed random word. */
static int
round_any(mpfr_t y, const mpfr_t x, const gc_numfmt_struct * f)
{
    if (f->rnd == GC_NUMFMT_RNDSR)
        return gc_numfmt_round_sr(y, x, f, UWORD(0x9E3779B97F4A7C15));
    return gc_numfmt_round(y, x, f);
}

static void
check_format(const gc_numfmt_t f)
{
    gc_parse_error_t err;
    gc_numfmt_t g;
    mpfr_t x, y, mx, mn;
    mpfr_prec_t p = FLINT_MAX(f->prec, 64);
    int fl;

    GC_FUZZ_CHECK(f->prec >= 2 && f->emin + f->prec - 1 <= f->emax,
                  "%s: p %ld emin %ld emax %ld", f->name, (long) f->prec,
                  (long) f->emin, (long) f->emax);
    GC_FUZZ_CHECK(memchr(f->name, '\0', sizeof f->name) != NULL
                      && f->name[0] != '\0',
                  "format name");
    gc_mpfr_widen_exponent_range();
    mpfr_init2(x, p);
    mpfr_init2(y, p);
    mpfr_init2(mx, p);
    mpfr_init2(mn, p);

    /* the constants and the edges under round to nearest; the modifiers
       (directed, stochastic, flush to zero) move them on purpose and are
       tested in tests/check_formats.c */
    if (f->rnd != GC_NUMFMT_RNDN || f->ftz)
        goto name;
    gc_numfmt_max(mx, f);
    fl = gc_numfmt_round(y, mx, f);
    GC_FUZZ_CHECK(fl == 0 && mpfr_equal_p(y, mx)
                      && gc_numfmt_classify(mx, f) == GC_CLASS_NORMAL,
                  "%s: max flags %d", f->name, fl);
    gc_numfmt_min_normal(mn, f);
    fl = gc_numfmt_round(y, mn, f);
    GC_FUZZ_CHECK(fl == 0 && mpfr_equal_p(y, mn)
                      && gc_numfmt_classify(mn, f) == GC_CLASS_NORMAL
                      && mpfr_cmp(mn, mx) <= 0,
                  "%s: min normal flags %d", f->name, fl);
    gc_numfmt_min_subnormal(x, f);
    fl = gc_numfmt_round(y, x, f);
    GC_FUZZ_CHECK(fl == 0 && mpfr_equal_p(y, x)
                      && gc_numfmt_classify(x, f) == GC_CLASS_SUBNORMAL
                      && mpfr_cmp(x, mn) < 0,
                  "%s: min subnormal flags %d", f->name, fl);
    mpfr_div_2ui(x, x, 1, MPFR_RNDN);
    fl = gc_numfmt_round(y, x, f);
    GC_FUZZ_CHECK((fl & GC_ROUND_UNDERFLOW) && mpfr_zero_p(y),
                  "%s: half min subnormal flags %d", f->name, fl);
    if (f->emax + 1 < mpfr_get_emax_max())
    {
        mpfr_mul_2ui(x, mx, 1, MPFR_RNDN);
        fl = gc_numfmt_round(y, x, f);
        GC_FUZZ_CHECK(fl & GC_ROUND_OVERFLOW, "%s: 2 max flags %d", f->name,
                      fl);
        if (f->overflow == GC_OVERFLOW_INF)
            GC_FUZZ_CHECK(mpfr_inf_p(y) && mpfr_sgn(y) > 0, "%s: inf",
                          f->name);
        else if (f->overflow == GC_OVERFLOW_SATURATE)
            GC_FUZZ_CHECK(mpfr_equal_p(y, mx), "%s: saturate", f->name);
        else
            GC_FUZZ_CHECK(mpfr_nan_p(y), "%s: nan", f->name);
    }

name:
    /* the name reads back to the same format */
    GC_FUZZ_CHECK(gc_numfmt_set_str(g, f->name, err) == GC_SUCCESS,
                  "'%s' does not read back: %s", f->name, err->msg);
    GC_FUZZ_CHECK(g->prec == f->prec && g->emin == f->emin
                      && g->emax == f->emax && g->overflow == f->overflow
                      && g->kind == f->kind
                      && g->top_reserved == f->top_reserved
                      && (g->compute == NULL) == (f->compute == NULL),
                  "'%s' reads back differently", f->name);
    mpfr_clear(x);
    mpfr_clear(y);
    mpfr_clear(mx);
    mpfr_clear(mn);
}

static void
fuzz_numfmt(const char * s)
{
    gc_parse_error_t err;
    gc_numfmt_t f;

    if (gc_numfmt_set_str(f, s, err) == GC_SUCCESS)
        check_format(f);
    else
        gc_fuzz_check_error(err, s);
}

static void
fuzz_numfmt_list(const char * s)
{
    gc_parse_error_t err;
    gc_numfmt_struct * v = (gc_numfmt_struct *) 1;
    slong len = -1, i;

    if (gc_numfmt_list_set_str(&v, &len, s, err) == GC_SUCCESS)
    {
        GC_FUZZ_CHECK(v != NULL && len >= 1, "'%s': %ld formats", s,
                      (long) len);
        for (i = 0; i < len; i++)
            check_format(v + i);
        flint_free(v);
    }
    else
    {
        GC_FUZZ_CHECK(v == NULL && len == 0, "'%s': error result", s);
        gc_fuzz_check_error(err, s);
    }
}

static void
fuzz_scale(char * s)
{
    const char * sc = split(s);
    gc_parse_error_t err;
    gc_numfmt_t f;
    gc_net_t net;
    gc_replay_t r;
    mpfr_t x, y;
    const gc_numfmt_struct * uf;
    int fl, st;

    if (gc_numfmt_set_str(f, s, err) != GC_SUCCESS)
        GC_FUZZ_CHECK(gc_numfmt_set_str(f, "binary16", err) == GC_SUCCESS,
                      "binary16");
    mpfr_init2(x, 64); /* the CLI's precision */
    if (gc_loss_scale_set_str(x, sc, err) != GC_SUCCESS)
    {
        gc_fuzz_check_error(err, sc);
        mpfr_clear(x);
        return;
    }
    GC_FUZZ_CHECK(mpfr_regular_p(x) && mpfr_sgn(x) > 0, "scale '%s'", sc);
    uf = gc_numfmt_scale_format(f);
    mpfr_init2(y, FLINT_MAX(64, uf->prec));
    fl = round_any(y, x, uf);
    if (!(fl & (GC_ROUND_OVERFLOW | GC_ROUND_UNDERFLOW)))
    {
        gc_net_init(net);
        GC_FUZZ_CHECK(gc_net_read_str(net, "a0 1/2\ny 1\n3 -1\n0.5 0.25\n"
                                      "-2 1e-3\n", err) == GC_SUCCESS,
                      "net: %s", err->msg);
        gc_replay_init(r);
        st = gc_replay(r, net, f, GC_SEQ_FRAMEWORK, x);
        GC_FUZZ_CHECK(st == GC_SUCCESS, "%s scaled by '%s': status %d",
                      f->name, sc, st);
        gc_replay_clear(r);
        gc_net_clear(net);
    }
    mpfr_clear(y);
    mpfr_clear(x);
}

static void
fuzz_param(const uint8_t * data, size_t size)
{
    static const slong bounds[] = {-1, 0, 1, 2, 9, 10, 99, 1000,
                                   WORD_MAX};
    gc_parse_error_t err;
    gc_param_t p;
    slong len;
    char * s, * name;

    if (size < 1)
        return;
    len = bounds[data[0] % (sizeof bounds / sizeof bounds[0])];
    s = gc_fuzz_strdup(data + 1, size - 1, NULL);
    if (gc_param_set_str(p, s, len, err) == GC_SUCCESS)
    {
        GC_FUZZ_CHECK(p->layer >= 1 && (len <= 0 || p->layer <= len),
                      "'%s': layer %ld of %ld", s, (long) p->layer,
                      (long) len);
        GC_FUZZ_CHECK(p->kind == GC_PARAM_B || p->kind == GC_PARAM_W,
                      "'%s': kind", s);
        name = gc_param_get_str(p);
        GC_FUZZ_CHECK(strcmp(name, s) == 0, "'%s' named '%s'", s, name);
        flint_free(name);
    }
    else
        gc_fuzz_check_error(err, s);
    free(s);
}

/* One name table: set_str, name, names. */
#define FUZZ_TABLE(pre, type, s)                                          \
    do                                                                    \
    {                                                                     \
        type v, w;                                                        \
        const char * const * all = pre##_names();                         \
        const char * nm;                                                  \
        int k, found = 0;                                                 \
                                                                          \
        if (pre##_set_str(&v, s) == GC_SUCCESS)                           \
        {                                                                 \
            nm = pre##_name(v);                                           \
            GC_FUZZ_CHECK(nm != NULL && pre##_set_str(&w, nm)             \
                                            == GC_SUCCESS && w == v,      \
                          #pre ": '%s'", s);                              \
            for (k = 0; all[k] != NULL; k++)                              \
                found |= all[k] == nm || strcmp(all[k], nm) == 0;         \
            GC_FUZZ_CHECK(found && (int) v >= 0 && (int) v < k,           \
                          #pre ": '%s' -> %d", s, (int) v);               \
        }                                                                 \
    } while (0)

static void
fuzz_names(const char * s)
{
    FUZZ_TABLE(gc_act, gc_act_t, s);
    FUZZ_TABLE(gc_cost, gc_cost_t, s);
    FUZZ_TABLE(gc_seq, gc_seq_t, s);
    FUZZ_TABLE(gc_report_format, gc_report_format_t, s);
    FUZZ_TABLE(gc_print_format, gc_print_format_t, s);
    FUZZ_TABLE(gc_form, gc_form_t, s);
    FUZZ_TABLE(gc_break, gc_break_t, s);
    FUZZ_TABLE(gc_lang, gc_lang_t, s);
    FUZZ_TABLE(gc_sym_act, gc_sym_act_t, s);
    FUZZ_TABLE(gc_sym_expand, gc_sym_expand_t, s);
    FUZZ_TABLE(gc_sym_cost, gc_sym_cost_t, s);
    FUZZ_TABLE(gc_fanin, gc_fanin_t, s);
}

static void
fuzz_expr(const char * s)
{
    static const gc_form_t forms[] = {GC_FORM_EXPANDED, GC_FORM_COMPACT,
                                      GC_FORM_GROUPED, GC_FORM_AUTO};
    gc_parse_error_t err;
    gc_print_opts_t o;
    gc_expr_t e, r;
    size_t i;
    char * str;

    gc_expr_init(e);
    gc_expr_init(r);
    if (gc_expr_set_str_ascii(e, s, err) != GC_SUCCESS)
        gc_fuzz_check_error(err, s);
    else if (e->len <= FUZZ_ROUNDTRIP_MAX)
    {
        gc_print_opts_init(o);
        o->format = GC_PRINT_ASCII;
        for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
        {
            o->form = forms[i];
            o->breaks = forms[i] == GC_FORM_AUTO ? GC_BREAK_MULTLINE
                                                 : GC_BREAK_NONE;
            o->width = 8 + (slong) (strlen(s) % 80);
            str = gc_expr_get_str(e, o);
            GC_FUZZ_CHECK(gc_expr_set_str_ascii(r, str, err) == GC_SUCCESS,
                          "'%s' printed as '%s': %s", s, str, err->msg);
            GC_FUZZ_CHECK(gc_expr_equal(r, e), "'%s' printed as '%s'", s,
                          str);
            flint_free(str);
        }
        if (e->len <= 4096)
        {
            o->format = GC_PRINT_LATEX;
            o->form = GC_FORM_ELIDED;
            o->breaks = GC_BREAK_SPLIT;
            flint_free(gc_expr_get_str(e, o));
            o->format = GC_PRINT_TEXT;
            o->form = GC_FORM_COMPACT;
            flint_free(gc_expr_get_str(e, o));
        }
    }
    gc_expr_clear(e);
    gc_expr_clear(r);
}

static void
fuzz_dist(const char * s)
{
    gc_parse_error_t err;
    gc_dist_t d, back;
    gc_random_t r;
    char * str;
    double x;
    int k;

    if (gc_dist_set_str(d, s, err) != GC_SUCCESS)
    {
        gc_fuzz_check_error(err, s);
        return;
    }
    GC_FUZZ_CHECK(gc_dist_is_valid(d), "'%s' invalid", s);
    str = gc_dist_get_str(d);
    GC_FUZZ_CHECK(gc_dist_set_str(back, str, err) == GC_SUCCESS
                      && gc_dist_equal(back, d),
                  "'%s' printed as '%s' does not read back", s, str);
    flint_free(str);
    for (k = 0; k < 4; k++)
    {
        x = gc_dist_draw(d, (ulong) strlen(s), (ulong) k);
        GC_FUZZ_CHECK(isfinite(x), "'%s' draw %d not finite", s, k);
        GC_FUZZ_CHECK(d->kind != GC_DIST_UNIFORM
                          || (d->par[0] <= x && x <= d->par[1]),
                      "'%s' draw %d = %.17g outside", s, k, x);
        GC_FUZZ_CHECK(d->kind != GC_DIST_CONST || x == d->par[0],
                      "'%s' draw %d = %.17g not constant", s, k, x);
    }
    gc_random_set_dist(r, d, 0);
    for (k = GC_FANIN_NONE; k <= GC_FANIN_XAVIER; k++)
    {
        r->fanin = (gc_fanin_t) k;
        gc_random_get_weights(back, r, 1, 1);
        GC_FUZZ_CHECK(gc_random_is_valid(r) == gc_dist_is_valid(back),
                      "'%s' with %s: validity", s, gc_fanin_name(r->fanin));
    }
}

static void
fuzz_round(char * s)
{
    const char * num = split(s);
    gc_parse_error_t err;
    gc_numfmt_t f;
    mpq_t q;
    mpfr_t x, y, z;
    int fl;

    if (gc_numfmt_set_str(f, s, err) != GC_SUCCESS)
        return;
    mpq_init(q);
    if (gc_q_set_str(q, num, err) == GC_SUCCESS)
    {
        gc_mpfr_widen_exponent_range();
        mpfr_init2(x, FLINT_MAX(f->prec, 64) + 64);
        mpfr_init2(y, FLINT_MAX(f->prec, 64));
        mpfr_init2(z, FLINT_MAX(f->prec, 64));
        mpfr_set_q(x, q, MPFR_RNDN);
        fl = round_any(y, x, f);
        /* a format number rounds to itself (NaN and inf stay) */
        GC_FUZZ_CHECK(round_any(z, y, f) == 0
                          && (mpfr_equal_p(y, z)
                              || (mpfr_nan_p(y) && mpfr_nan_p(z))),
                      "%s: '%s' (flags %d) not idempotent", f->name, num,
                      fl);
        mpfr_clear(x);
        mpfr_clear(y);
        mpfr_clear(z);
    }
    mpq_clear(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    char * s;

    if (size < 1)
        return 0;
    if (data[0] % 8 == 3)
    {
        fuzz_param(data + 1, size - 1);
        return 0;
    }
    s = gc_fuzz_strdup(data + 1, size - 1, NULL);
    switch (data[0] % 8)
    {
        case 0:
            fuzz_numfmt(s);
            break;
        case 1:
            fuzz_numfmt_list(s);
            break;
        case 2:
            fuzz_scale(s);
            break;
        case 4:
            fuzz_names(s);
            break;
        case 5:
            fuzz_expr(s);
            break;
        case 6:
            fuzz_dist(s);
            break;
        default:
            fuzz_round(s);
            break;
    }
    free(s);
    return 0;
}
