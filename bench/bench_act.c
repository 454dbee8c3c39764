/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_act.c -- the cost of each activation relative to the sigmoid, in
   every engine (issue 9).  One random N(0,1) chain of L layers (seed 1,
   a0 = 1, y = 0, quadratic cost, stored after drawing) is given each
   activation of gc_act_names() on every layer (gc_net_set_act; leaky-relu
   with its default slope 1/100) and evaluated four ways:
     arb      gc_eval_arb at 64 bits;
     mpfr     gc_eval_mpfr at 64 bits;
     b64      gc_replay in binary64 (hardware), GC_SEQ_PYTORCH;
     bf16     gc_replay in bfloat16 (emulated with MPFR), GC_SEQ_PYTORCH.
   Times are wall clock (CLOCK_MONOTONIC), the best of REPS runs.  Each run
   goes through every activation and engine in turn, so that a change of
   load on a shared machine falls on all of them alike.  The table gives
   the seconds and, for each engine, the time over the sigmoid's time.  An
   engine that did not return GC_SUCCESS is flagged with its status.
   Usage: bench_act [L [REPS]]   (default L = 100000, REPS = 5). */

#include <stdlib.h>
#include <time.h>

#include "gradchain.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The engines timed, in the order of the table's columns. */
#define NENG 4
static const char * const eng_names[NENG] = {"arb", "mpfr", "b64", "bf16"};

/* The most activations timed; gc_act_names() has fewer. */
#define NACT_MAX 32

int
main(int argc, char ** argv)
{
    const char * const * names = gc_act_names();
    slong len = argc > 1 ? atol(argv[1]) : 100000;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    double best[NACT_MAX][NENG];
    int status[NACT_MAX][NENG];
    gc_random_t rnd;
    gc_net_t net;
    gc_activation_t act;
    gc_arb_trace_t at;
    gc_trace_t mt;
    gc_replay_t rp;
    gc_numfmt_t fmt[2];
    gc_parse_error_t err;
    int nact, i, e, r;

    if (len < 1 || reps < 1)
    {
        fprintf(stderr, "usage: bench_act [L [REPS]]  (L, REPS >= 1)\n");
        return 2;
    }
    for (nact = 0; names[nact] != NULL && nact < NACT_MAX; nact++)
        ;

    gc_mpfr_widen_exponent_range();
    if (gc_numfmt_set_str(fmt[0], "binary64", err) != GC_SUCCESS
        || gc_numfmt_set_str(fmt[1], "bfloat16", err) != GC_SUCCESS)
        abort();
    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 1);
    gc_net_init(net);
    gc_net_set_random(net, rnd, len);
    gc_net_materialize(net);
    gc_activation_init(act);
    gc_arb_trace_init(at, len);
    gc_trace_init(mt, len, 64);
    gc_replay_init(rp);

    for (i = 0; i < nact; i++)
        for (e = 0; e < NENG; e++)
        {
            best[i][e] = 1e300;
            status[i][e] = GC_SUCCESS;
        }
    for (r = 0; r < reps; r++)
        for (i = 0; i < nact; i++)
        {
            gc_act_t kind;

            if (gc_act_set_str(&kind, names[i]) != GC_SUCCESS)
                abort();
            act->kind = kind;
            gc_net_set_act(net, act);
            for (e = 0; e < NENG; e++)
            {
                double t0 = now();
                int s;

                if (e == 0)
                    s = gc_eval_arb(at, net, 64);
                else if (e == 1)
                    s = gc_eval_mpfr(mt, net);
                else
                    s = gc_replay(rp, net, fmt[e - 2], GC_SEQ_PYTORCH, NULL);
                t0 = now() - t0;
                best[i][e] = FLINT_MIN(best[i][e], t0);
                status[i][e] |= s;
            }
        }

    printf("random N(0,1) chain, L = %ld, 64 bits (arb, mpfr), replay "
           "pytorch (b64, bf16), best of %d runs, wall clock\n",
           (long) len, reps);
    printf("%-10s", "act");
    for (e = 0; e < NENG; e++)
        printf(" %8s (s) %5s", eng_names[e], "/sig");
    printf("\n");
    for (i = 0; i < nact; i++)
    {
        printf("%-10s", names[i]);
        for (e = 0; e < NENG; e++)
            printf(" %12.4f %5.2f%s", best[i][e], best[i][e] / best[0][e],
                   status[i][e] == GC_SUCCESS ? "" : "!");
        printf("\n");
    }
    for (i = 0; i < nact; i++)
        for (e = 0; e < NENG; e++)
            if (status[i][e] != GC_SUCCESS)
                printf("! %s, %s: status %d (not GC_SUCCESS)\n", names[i],
                       eng_names[e], status[i][e]);

    gc_replay_clear(rp);
    gc_trace_clear(mt);
    gc_arb_trace_clear(at);
    gc_activation_clear(act);
    gc_net_clear(net);
    flint_cleanup();
    mpfr_free_cache();
    return 0;
}
