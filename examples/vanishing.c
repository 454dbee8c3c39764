/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.  This example is in the public domain:
    copy it freely.
*/

/* vanishing.c -- how small does dC/db_1 get?  Builds random chains of
   growing depth, evaluates dC/db_1 exactly (MPFR, 30 digits) and replays
   it in binary64 as an autograd framework computes it, and prints both:
   binary64 reaches 0 while the exact value keeps shrinking by a factor
   of about 10 per layer.

   Build:  cc vanishing.c $(pkg-config --cflags --libs gradchain) */

#include <stdio.h>
#include <stdlib.h>

#include <gradchain.h>

int
main(void)
{
    static const slong depths[] = {10, 100, 300, 1000, 3000};
    gc_random_t rnd;
    gc_net_t net;
    gc_param_t b1;
    gc_numfmt_t binary64;
    gc_parse_error_t err;
    gc_replay_t r;
    mpfr_t exact;
    size_t i;
    int status = GC_SUCCESS;

    gc_dist_set_normal(&rnd->weights, 0.0, 1.0);
    gc_random_set_dist(rnd, &rnd->weights, 2026);
    gc_param_set(b1, GC_PARAM_B, 1);
    gc_net_init(net);
    gc_replay_init(r);
    status |= gc_numfmt_set_str(binary64, "binary64", err);
    mpfr_init2(exact, gc_prec_for_digits(30, depths[4]));

    printf("%6s  %-38s  %s\n", "L", "dC/db_1 (exact, 30 digits)",
           "binary64");
    for (i = 0; i < sizeof depths / sizeof *depths; i++)
    {
        char * s;

        gc_net_set_random(net, rnd, depths[i]);
        status |= gc_eval_param_mpfr(exact, net, b1);
        status |= gc_replay(r, net, binary64, GC_SEQ_PYTORCH, NULL);

        s = gc_mpfr_get_str_sci(exact, 30);
        printf("%6ld  %-38s  %.17g\n", (long) depths[i], s,
               mpfr_get_d(r->t->db, MPFR_RNDN));
        flint_free(s);
    }

    mpfr_clear(exact);
    gc_replay_clear(r);
    gc_net_clear(net);
    flint_cleanup();
    mpfr_free_cache();
    if (status != GC_SUCCESS)
        fprintf(stderr, "vanishing: %s\n", gc_status_str(status));
    return status == GC_SUCCESS ? EXIT_SUCCESS : EXIT_FAILURE;
}
