/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_wide.c -- the Arb engine of wide networks (gc_wnet_eval_arb)
   against two bare Arb loops computing the same dC/db^l in the same run:
   one with FLINT's arb_mat (arb_mat_mul for W a and for W^T delta, the
   transposes made outside the timing), one by hand with arb_dot per
   neuron; and the MPFR engine (gc_wnet_eval_mpfr) at the same precision.
   Then the binary32 replay (gc_wreplay) against a plain C float loop
   doing its operations in its order (bench_f32).  Network: width N (default 64), depth L (default 100), sigmoid,
   quadratic cost, weights and biases N(0,1) scaled by 1/sqrt(N) (exact in
   binary64 for N = 64: a division by 8), a0 N(0,1), y = 1/2; drawn by
   Box-Muller from FLINT's generator, seed 7.  The bare loops start from
   parameters rounded beforehand; the engine rounds the exact parameters
   itself.  Best of REPS runs, wall clock (CLOCK_MONOTONIC) and thread CPU
   time.  Usage: bench_wide [N [L [REPS]]]. */

#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "gradchain.h"
#if __FLINT_RELEASE >= 30000
#include <flint/arb_mat.h>
#else
#include <arb_mat.h>
#endif

static double
now(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* One N(0,1) double by Box-Muller. */
static double
normal(flint_rand_t state)
{
    double u = (n_randint(state, (ulong) 1 << 52) + 0.5) / 4503599627370496.0;
    double v = n_randint(state, (ulong) 1 << 52) / 4503599627370496.0;

    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* The sigmoid of the engine: u = e^-z, a = 1/(1+u), sp = u a^2. */
static void
sigmoid(arb_t a, arb_t sp, arb_t d, const arb_t z, slong prec)
{
    arb_neg(sp, z);
    arb_exp(sp, sp, prec);
    arb_add_ui(d, sp, 1, prec);
    arb_inv(a, d, prec);
    arb_mul(sp, sp, a, prec);
    arb_mul(sp, sp, a, prec);
}

/* The bare arb_mat loop: W[l], WT[l] (transposes), B[l] rounded; db[l]
   (n x 1) receives dC/db^l; A, Z, S are n x 1 scratch, S[l] keeps
   f'(z^l). */
static void
bare_mat(arb_mat_struct * db, const arb_mat_struct * W,
         const arb_mat_struct * WT, const arb_mat_struct * B,
         arb_mat_struct * S, const arb_mat_t a0, slong n, slong len,
         slong prec)
{
    arb_mat_t A, Z;
    arb_t d;
    slong l, i;

    arb_mat_init(A, n, 1);
    arb_mat_init(Z, n, 1);
    arb_init(d);
    arb_mat_set(A, a0);
    for (l = 0; l < len; l++)
    {
        arb_mat_mul(Z, W + l, A, prec);
        arb_mat_add(Z, Z, B + l, prec);
        for (i = 0; i < n; i++)
            sigmoid(arb_mat_entry(A, i, 0), arb_mat_entry(S + l, i, 0), d,
                    arb_mat_entry(Z, i, 0), prec);
    }
    for (i = 0; i < n; i++)
    {
        arb_set_d(d, 0.5);
        arb_sub(d, arb_mat_entry(A, i, 0), d, prec); /* a - y */
        arb_mul(arb_mat_entry(db + len - 1, i, 0), d,
                arb_mat_entry(S + len - 1, i, 0), prec);
    }
    for (l = len - 2; l >= 0; l--)
    {
        arb_mat_mul(db + l, WT + l + 1, db + l + 1, prec);
        for (i = 0; i < n; i++)
            arb_mul(arb_mat_entry(db + l, i, 0), arb_mat_entry(db + l, i, 0),
                    arb_mat_entry(S + l, i, 0), prec);
    }
    arb_clear(d);
    arb_mat_clear(A);
    arb_mat_clear(Z);
}

/* The bare hand loop: p[l] the rounded rows (W_i1..W_in, b_i) of layer
   l + 1, db the n len balls of dC/db (f'(z) kept there meanwhile). */
static void
bare_hand(arb_ptr db, arb_srcptr p, arb_srcptr a0, slong n, slong len,
          slong prec)
{
    arb_ptr a = _arb_vec_init(2 * n), z = a + n;
    arb_t d, t;
    slong l, i, k;

    arb_init(d);
    arb_init(t);
    _arb_vec_set(a, a0, n);
    for (l = 0; l < len; l++)
    {
        for (i = 0; i < n; i++)
        {
            arb_srcptr row = p + l * n * (n + 1) + i * (n + 1);

            arb_dot(z + i, row + n, 0, row, 1, a, 1, n, prec);
        }
        for (k = 0; k < n; k++)
            sigmoid(a + k, db + l * n + k, d, z + k, prec);
    }
    for (i = 0; i < n; i++)
    {
        arb_set_d(d, 0.5);
        arb_sub(d, a + i, d, prec);
        arb_mul(db + (len - 1) * n + i, db + (len - 1) * n + i, d, prec);
    }
    for (l = len - 2; l >= 0; l--)
        for (k = 0; k < n; k++)
        {
            arb_dot(t, NULL, 0, p + (l + 1) * n * (n + 1) + k, n + 1,
                    db + (l + 1) * n, 1, n, prec);
            arb_mul(db + l * n + k, db + l * n + k, t, prec);
        }
    arb_clear(d);
    arb_clear(t);
    _arb_vec_clear(a, 2 * n);
}

#define NEVAL 4

/* The plain C loop of the binary32 replay: the operations of gc_wreplay
   in binary32 with the pytorch sequence, in its documented order, from
   the parameters p (rows W_i1..W_in, b_i of each layer, as floats) and
   a0: forward t = W_i1 a_1, t = t + W_ik a_k, z = t + b_i, a = 1 / (1 +
   expf(-z)), every a kept; backward g = a - 1/2 at the output, then g_k
   = delta_1 W_1k + ... left to right, delta = (g * (1 - a)) * a, into db
   (n len floats).  No fma: the sums are the format's two roundings. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
static void
plain_f32(float * db, float * a, const float * p, slong n, slong len)
{
    slong l, i, k, m;

    /* a[0 .. n) holds a0 */
    for (l = 0; l < len; l++)
    {
        const float * w = p + l * n * (n + 1), * ap = a + l * n;

        for (i = 0; i < n; i++)
        {
            const float * row = w + i * (n + 1);
            float t = row[0] * ap[0];

            for (k = 1; k < n; k++)
                t = t + row[k] * ap[k];
            t = t + row[n];
            a[(l + 1) * n + i] = 1.0f / (1.0f + expf(-t));
        }
    }
    for (i = 0; i < n; i++)
    {
        float y = a[len * n + i], g = y - 0.5f;

        db[(len - 1) * n + i] = (g * (1.0f - y)) * y;
    }
    for (l = len - 2; l >= 0; l--)
    {
        const float * w = p + (l + 1) * n * (n + 1), * d = db + (l + 1) * n;

        for (k = 0; k < n; k++)
        {
            float g = d[0] * w[k], y = a[(l + 1) * n + k];

            for (m = 1; m < n; m++)
                g = g + d[m] * w[m * (n + 1) + k];
            db[l * n + k] = (g * (1.0f - y)) * y;
        }
    }
}

/* The binary32 replay (gc_wreplay) against plain_f32 on *net*: best of
   *reps*, wall and thread CPU time, and whether every dC/db^l_i is the
   same float. */
static void
bench_f32(const gc_wnet_t net, slong n, slong len, int reps)
{
    slong np = net->off[len], N = net->noff[len], i, l;
    float * p = flint_malloc(np * sizeof(float));
    float * a = flint_malloc((len + 1) * n * sizeof(float));
    float * db = flint_malloc(N * sizeof(float));
    double best[4] = {1e300, 1e300, 1e300, 1e300}, t0, t1, x;
    gc_numfmt_t f;
    gc_parse_error_t err;
    gc_wreplay_t r;
    mpfr_t v;
    int rep, e, same = 1;

    if (gc_numfmt_set_str(f, "binary32", err) != GC_SUCCESS)
        abort();
    for (i = 0; i < np; i++)
    {
        (void) gc_wnet_get_param_d(&x, net, i);
        p[i] = (float) x;
    }
    gc_wreplay_init(r);
    for (rep = 0; rep < reps; rep++)
        for (e = 0; e < 2; e++)
        {
            t0 = now(CLOCK_MONOTONIC);
            t1 = now(CLOCK_THREAD_CPUTIME_ID);
            if (e == 0)
            {
                if (gc_wreplay(r, net, f, GC_SEQ_PYTORCH, NULL)
                    != GC_SUCCESS)
                    abort();
            }
            else
            {
                for (i = 0; i < n; i++)
                    a[i] = (float) mpq_get_d(net->a0 + i);
                plain_f32(db, a, p, n, len);
            }
            best[e] = FLINT_MIN(best[e], now(CLOCK_MONOTONIC) - t0);
            best[2 + e] = FLINT_MIN(best[2 + e],
                                    now(CLOCK_THREAD_CPUTIME_ID) - t1);
        }
    mpfr_init2(v, 24);
    for (l = 1; l <= len; l++)
        for (i = 1; i <= n; i++)
        {
            gc_wreplay_get_db(v, r, l, i);
            same &= mpfr_cmp_d(v, db[(l - 1) * n + i - 1]) == 0;
        }
    printf("\nbinary32 replay (gc_wreplay, pytorch) against a plain C float "
           "loop, best of %d\n", reps);
    printf("%5s %9s %9s %9s %11s %9s\n", "clock", "replay", "plain",
           "ratio", "ns/param", "same");
    for (e = 0; e < 2; e++)
        printf("%5s %9.5f %9.5f %9.2f %11.2f %9s\n", e ? "cpu" : "wall",
               best[2 * e], best[2 * e + 1], best[2 * e] / best[2 * e + 1],
               1e9 * best[2 * e] / (double) np, same ? "yes" : "NO");
    mpfr_clear(v);
    gc_wreplay_clear(r);
    flint_free(p);
    flint_free(a);
    flint_free(db);
}

int
main(int argc, char ** argv)
{
    slong n = argc > 1 ? atol(argv[1]) : 64;
    slong len = argc > 2 ? atol(argv[2]) : 100;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    const slong precs[] = {64, 256, 1024};
    flint_rand_t state;
    gc_wnet_t net;
    slong * width, l, i, k, pi, N;
    double scale, best[2 * NEVAL], t0, t1, x;
    arb_mat_struct * W, * WT, * B, * S, * dbm;
    arb_mat_t a0m;
    arb_ptr p, a0, dbh, dbe;
    mpfr_ptr dbm_mpfr;
    int r, e;

    flint_randinit(state);
    flint_randseed(state, 7, 7 ^ 0x9e3779b9UL);
    scale = 1.0 / sqrt((double) n);
    width = flint_malloc((len + 1) * sizeof(slong));
    for (l = 0; l <= len; l++)
        width[l] = n;
    gc_wnet_init(net);
    gc_wnet_set_widths(net, len, width);
    for (i = 0; i < net->off[len]; i++)
        gc_wnet_set_param_d(net, i, normal(state) * scale);
    for (k = 0; k < n; k++)
    {
        mpq_set_d(net->a0 + k, normal(state));
        mpq_set_ui(net->y + k, 1, 2);
    }
    N = net->noff[len];

    W = flint_malloc(4 * len * sizeof(arb_mat_struct));
    WT = W + len;
    B = WT + len;
    S = B + len;
    dbm = flint_malloc(len * sizeof(arb_mat_struct));
    arb_mat_init(a0m, n, 1);
    p = _arb_vec_init(net->off[len]);
    a0 = _arb_vec_init(n);
    dbh = _arb_vec_init(N);
    dbe = _arb_vec_init(N);
    dbm_mpfr = flint_malloc(N * sizeof(__mpfr_struct));
    for (i = 0; i < N; i++)
        mpfr_init2(dbm_mpfr + i, 64);

    printf("wide sigmoid network, width %ld, depth %ld, N(0,1)/sqrt(%ld), "
           "best of %d\n", (long) n, (long) len, (long) n, reps);
    printf("%6s %5s %9s %9s %9s %9s %11s %11s %9s\n", "prec", "clock",
           "arb_mat", "hand", "engine", "mpfr", "engine/mat", "engine/hand",
           "agree");
    for (pi = 0; pi < 3; pi++)
    {
        slong prec = precs[pi];

        /* the bare loops' parameters, rounded outside the timing */
        for (i = 0; i < net->off[len]; i++)
        {
            (void) gc_wnet_get_param_d(&x, net, i);
            arb_set_d(p + i, x);
            arb_set_round(p + i, p + i, prec);
        }
        for (k = 0; k < n; k++)
        {
            arb_set_d(a0 + k, mpq_get_d(net->a0 + k));
            arb_set(arb_mat_entry(a0m, k, 0), a0 + k);
        }
        for (l = 0; l < len; l++)
        {
            arb_mat_init(W + l, n, n);
            arb_mat_init(WT + l, n, n);
            arb_mat_init(B + l, n, 1);
            arb_mat_init(S + l, n, 1);
            arb_mat_init(dbm + l, n, 1);
            for (i = 0; i < n; i++)
            {
                for (k = 0; k < n; k++)
                    arb_set(arb_mat_entry(W + l, i, k),
                            p + net->off[l] + i * (n + 1) + k);
                arb_set(arb_mat_entry(B + l, i, 0),
                        p + net->off[l] + i * (n + 1) + n);
            }
            arb_mat_transpose(WT + l, W + l);
        }
        for (i = 0; i < N; i++)
            mpfr_set_prec(dbm_mpfr + i, prec);
        for (i = 0; i < 2 * NEVAL; i++)
            best[i] = 1e300;
        for (r = 0; r < reps; r++)
            for (e = 0; e < NEVAL; e++)
            {
                t0 = now(CLOCK_MONOTONIC);
                t1 = now(CLOCK_THREAD_CPUTIME_ID);
                if (e == 0)
                    bare_mat(dbm, W, WT, B, S, a0m, n, len, prec);
                else if (e == 1)
                    bare_hand(dbh, p, a0, n, len, prec);
                else if (e == 2)
                {
                    if (gc_wnet_eval_arb(dbe, net, prec) != GC_SUCCESS)
                        abort();
                }
                else if (gc_wnet_eval_mpfr(dbm_mpfr, net) != GC_SUCCESS)
                    abort();
                best[e] = FLINT_MIN(best[e], now(CLOCK_MONOTONIC) - t0);
                best[NEVAL + e] = FLINT_MIN(best[NEVAL + e],
                                            now(CLOCK_THREAD_CPUTIME_ID)
                                            - t1);
            }
        /* the Arb results agree: every pair of balls overlaps */
        e = 1;
        for (l = 0; l < len; l++)
            for (i = 0; i < n; i++)
                e &= arb_overlaps(arb_mat_entry(dbm + l, i, 0),
                                  dbe + l * n + i)
                     && arb_overlaps(dbh + l * n + i, dbe + l * n + i);
        for (i = 0; i < 2; i++)
            printf("%6ld %5s %9.4f %9.4f %9.4f %9.4f %11.3f %11.3f %9s\n",
                   (long) prec, i ? "cpu" : "wall", best[i * NEVAL],
                   best[i * NEVAL + 1], best[i * NEVAL + 2],
                   best[i * NEVAL + 3],
                   best[i * NEVAL + 2] / best[i * NEVAL],
                   best[i * NEVAL + 2] / best[i * NEVAL + 1],
                   e ? "yes" : "NO");
        for (l = 0; l < len; l++)
        {
            arb_mat_clear(W + l);
            arb_mat_clear(WT + l);
            arb_mat_clear(B + l);
            arb_mat_clear(S + l);
            arb_mat_clear(dbm + l);
        }
    }

    bench_f32(net, n, len, 10 * reps);

    _arb_vec_clear(p, net->off[len]);
    _arb_vec_clear(a0, n);
    _arb_vec_clear(dbh, N);
    _arb_vec_clear(dbe, N);
    for (i = 0; i < N; i++)
        mpfr_clear(dbm_mpfr + i);
    flint_free(dbm_mpfr);
    arb_mat_clear(a0m);
    flint_free(W);
    flint_free(dbm);
    flint_free(width);
    gc_wnet_clear(net);
    flint_randclear(state);
    flint_cleanup();
    return 0;
}
