/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_ckpt.c -- the cost of the gradients-only Arb trace (issue 12,
   goals 2 and 3): gc_eval_arb into a full trace (every z, a, f' kept)
   against a gradients-only one (gc_arb_trace_init_grads: a_{j-1} and
   f'(z_j) wait in the balls of dC/dw_j and dC/db_j; it used to keep
   checkpoints every ceil(sqrt L) layers and recompute the blocks, see
   bench/README.md), at 64,
   128 and 256 bits, on random N(0,1) chains of 10^5 and 10^6 layers,
   stored compactly (gc_net_materialize) so that drawing is not timed;
   and the heap each trace holds (mallinfo2).  Times are the best of REPS
   runs, CPU time of the process (clock()); the ratio is
   the gradients-only time over the full one.  Usage: bench_ckpt [REPS]
   (default 5). */

#include <malloc.h>
#include <stdlib.h>
#include <time.h>

#include "gradchain.h"

int
main(int argc, char ** argv)
{
    static const slong lens[] = {100000, 1000000};
    static const slong precs[] = {64, 128, 256};
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    gc_random_t rnd;
    gc_dist_t d;
    gc_net_t net;
    int i, k, g, r;

    gc_dist_set_normal(d, 0.0, 1.0);
    gc_random_set_dist(rnd, d, 1);
    gc_net_init(net);
    printf("%8s %5s %10s %10s %6s %12s %12s\n", "layers", "prec", "full s",
           "grads s", "ratio", "full B/L", "grads B/L");
    for (i = 0; i < 2; i++)
    {
        gc_net_set_random(net, rnd, lens[i]);
        gc_net_materialize(net);
        for (k = 0; k < 3; k++)
        {
            double best[2] = {1e300, 1e300};
            size_t bytes[2] = {0, 0};

            for (g = 0; g < 2; g++)
                for (r = 0; r < reps; r++)
                {
                    gc_arb_trace_t t;
                    struct mallinfo2 m0 = mallinfo2(), m1;
                    double c;

                    if (g)
                        gc_arb_trace_init_grads(t, lens[i]);
                    else
                        gc_arb_trace_init(t, lens[i]);
                    c = (double) clock();
                    if (gc_eval_arb(t, net, precs[k]) != GC_SUCCESS)
                        return 1;
                    c = ((double) clock() - c) / CLOCKS_PER_SEC;
                    m1 = mallinfo2();
                    best[g] = c < best[g] ? c : best[g];
                    bytes[g] = (m1.uordblks + m1.hblkhd)
                               - (m0.uordblks + m0.hblkhd);
                    gc_arb_trace_clear(t);
                }
            printf("%8ld %5ld %10.3f %10.3f %6.2f %12.1f %12.1f\n",
                   (long) lens[i], (long) precs[k], best[0], best[1],
                   best[1] / best[0], (double) bytes[0] / lens[i],
                   (double) bytes[1] / lens[i]);
        }
    }
    gc_net_clear(net);
    flint_cleanup();
    return 0;
}
