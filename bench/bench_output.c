/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_output.c -- what printing certified values costs against
   computing them (issue 12, goal 3).  On the N(0,1) chain of `eval
   --random normal:0,1 --seed 1 --layers L`, in the same run, best of REPS
   in wall-clock and thread CPU time:
     bare    the bare Arb loop (bare_arb.c) at the precision eval starts
             its Ziv loop with for D digits, from w, b rounded beforehand;
     read    gc_net_read of the network as gc_net_write (and so
             --save-network) writes it, from a temporary file;
     eval    gc_eval_arb_digits into a gradients-only trace, as eval
             does: the engine from the exact network, with the check that
             every value has D digits;
     digits  gc_arb_get_str_digits on every dC/db_j and dC/dw_j;
     write   the digits and a CSV report of them (gc_report_row, a row
             per layer, as `eval --format csv` writes) to a temporary
             file;
   and the ratios (eval + digits) / bare (the goal: <= 1.5), digits /
   bare and (read + eval + write) / bare (the library's part of `eval
   FILE --digits D --format csv`).  Usage: bench_output [LAYERS [DIGITS
   [REPS]]], default 100000 40 5. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bare_arb.h"

static double
now(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

enum
{
    T_BARE,
    T_READ,
    T_EVAL,
    T_DIGITS,
    T_WRITE,
    NT
};

/* best[i] (wall) and best[NT + i] (CPU) of the timing started at t. */
static void
toc(double * best, int i, const double t[2])
{
    best[i] = FLINT_MIN(best[i], now(CLOCK_MONOTONIC) - t[0]);
    best[NT + i] = FLINT_MIN(best[NT + i],
                             now(CLOCK_THREAD_CPUTIME_ID) - t[1]);
}

static void
tic(double t[2])
{
    t[0] = now(CLOCK_MONOTONIC);
    t[1] = now(CLOCK_THREAD_CPUTIME_ID);
}

/* The digit strings of the 2 len values of t; returns the number of
   bytes they hold, aborting if one lacks digits. */
static slong
all_digits(const gc_arb_trace_t t, slong len, slong digits)
{
    slong j, k, bytes = 0;
    char * s;

    for (j = 0; j < 2 * len; j++)
    {
        arb_srcptr x = j < len ? t->db + j : t->dw + j - len;

        if (gc_arb_get_str_digits(&s, &k, x, digits) != GC_SUCCESS)
            abort();
        bytes += strlen(s);
        flint_free(s);
    }
    return bytes;
}

/* The digit strings of the 2 len values of t written as eval writes its
   CSV report, a row per layer, to out. */
static void
write_report(FILE * out, const gc_arb_trace_t t, slong len, slong digits)
{
    static const gc_col_struct cols[] = {{"layer", "layer", GC_COL_INT, 6},
                                         {"dC_db", "dC/db_j", GC_COL_STR, -28},
                                         {"dC_dw", "dC/dw_j", GC_COL_STR, -28}};
    const char * cells[3];
    char name[24];
    gc_report_t r;
    slong j, k;
    char * s[2];

    rewind(out);
    gc_report_init(r, out, GC_REPORT_CSV, cols, 3);
    cells[0] = name;
    for (j = 0; j < len; j++)
    {
        snprintf(name, sizeof name, "%ld", (long) j + 1);
        if (gc_arb_get_str_digits(s, &k, t->db + j, digits) != GC_SUCCESS
            || gc_arb_get_str_digits(s + 1, &k, t->dw + j, digits)
                   != GC_SUCCESS)
            abort();
        cells[1] = s[0];
        cells[2] = s[1];
        gc_report_row(r, cells);
        flint_free(s[0]);
        flint_free(s[1]);
    }
    if (gc_report_clear(r) != GC_SUCCESS || fflush(out) != 0)
        abort();
}

int
main(int argc, char ** argv)
{
    slong len = argc > 1 ? atol(argv[1]) : 100000;
    slong digits = argc > 2 ? atol(argv[2]) : 40;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    slong j, prec, used, bytes = 0;
    gc_random_t rnd;
    gc_net_t net, net2;
    gc_parse_error_t err;
    FILE * f;
    FILE * out;
    gc_arb_trace_t t;
    arb_ptr w, b, v;
    mpq_t wq, bq;
    double best[2 * NT], t0[2];
    int r, i;

    gc_mpfr_widen_exponent_range();
    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 1);
    gc_net_init(net);
    gc_net_set_random(net, rnd, len);
    gc_net_materialize(net);
    prec = FLINT_MAX(64, gc_prec_for_digits(digits, len));

    /* the bare loop's parameters, rounded outside the timing */
    w = _arb_vec_init(len);
    b = _arb_vec_init(len);
    v = _arb_vec_init(5 * len + 1);
    mpq_init(wq);
    mpq_init(bq);
    for (j = 0; j < len; j++)
    {
        gc_net_get_layer_q(wq, bq, net, j + 1);
        arb_set_d(w + j, mpq_get_d(wq)); /* binary64 draws: exact */
        arb_set_d(b + j, mpq_get_d(bq));
    }
    gc_arb_trace_init_grads(t, len);
    f = tmpfile();
    out = tmpfile();
    if (f == NULL || out == NULL || gc_net_write(f, net) != GC_SUCCESS)
        abort();

    for (i = 0; i < 2 * NT; i++)
        best[i] = 1e300;
    for (r = 0; r < reps; r++)
    {
        tic(t0);
        bare_arb(v, v + len, v + 2 * len + 1, v + 3 * len + 1,
                 v + 4 * len + 1, w, b, len, prec);
        toc(best, T_BARE, t0);

        rewind(f);
        gc_net_init(net2);
        tic(t0);
        if (gc_net_read(net2, f, err) != GC_SUCCESS)
            abort();
        toc(best, T_READ, t0);
        gc_net_clear(net2);

        tic(t0);
        if (gc_eval_arb_digits(t, net, digits, GC_MAX_PREC_DEFAULT, &used)
            != GC_SUCCESS)
            abort();
        toc(best, T_EVAL, t0);

        tic(t0);
        bytes = all_digits(t, len, digits);
        toc(best, T_DIGITS, t0);

        tic(t0);
        write_report(out, t, len, digits);
        toc(best, T_WRITE, t0);
    }

    printf("N(0,1) chain, seed 1, L = %ld, %ld digits, precision %ld bits "
           "(eval used %ld), %ld bytes of digits, best of %d\n",
           (long) len, (long) digits, (long) prec, (long) used, (long) bytes,
           reps);
    printf("%5s %9s %9s %9s %9s %9s %14s %11s %14s\n", "clock",
           "bare (s)", "read (s)", "eval (s)", "digits (s)", "write (s)",
           "(eval+dig)/bare", "digits/bare", "(all)/bare");
    for (i = 0; i < 2; i++)
    {
        const double * c = best + NT * i;

        printf("%5s %9.4f %9.4f %9.4f %9.4f %9.4f %14.3f %11.3f %14.3f\n",
               i ? "cpu" : "wall", c[T_BARE], c[T_READ], c[T_EVAL],
               c[T_DIGITS], c[T_WRITE], (c[T_EVAL] + c[T_DIGITS]) / c[T_BARE],
               c[T_DIGITS] / c[T_BARE],
               (c[T_READ] + c[T_EVAL] + c[T_WRITE]) / c[T_BARE]);
    }

    fclose(f);
    fclose(out);
    gc_arb_trace_clear(t);
    _arb_vec_clear(w, len);
    _arb_vec_clear(b, len);
    _arb_vec_clear(v, 5 * len + 1);
    mpq_clear(wq);
    mpq_clear(bq);
    gc_net_clear(net);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
