/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* bench_symbolic.c -- time and size of dC/db_1 for L = 10^3 .. 10^6 (or
   the L given as argument): building the tree, printing it in every
   format (expanded; into a string and to /dev/null), and the cascade.
   The time per layer should stay flat: output is linear in L. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradchain.h"

static double
now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void
bench(slong L)
{
    static const char * const names[3] = {"latex", "text", "ascii"};
    gc_shape_t s;
    gc_expr_t e;
    gc_cascade_t c;
    gc_print_opts_t o;
    FILE * null = fopen("/dev/null", "w");
    double t0, t1;
    int fmt;

    gc_shape_init(s, L);
    gc_expr_init(e);
    gc_cascade_init(c);
    gc_print_opts_init(o);
    o->form = GC_FORM_EXPANDED;
    t0 = now();
    if (gc_expr_set_grad(e, s, GC_PARAM_B, 1) != GC_SUCCESS)
        abort();
    t1 = now();
    printf("L = %-8ld build %8.4f s", (long) L, t1 - t0);
    t0 = now();
    if (gc_cascade_set(c, s, GC_PARAM_B, 1) != GC_SUCCESS)
        abort();
    printf("   cascade %8.4f s\n", now() - t0);
    for (fmt = 0; fmt < 3; fmt++)
    {
        char * str;
        size_t n;

        o->format = (gc_print_format_t) fmt;
        t0 = now();
        str = gc_expr_get_str_equation(GC_PARAM_B, 1, e, o);
        t1 = now();
        n = strlen(str);
        flint_free(str);
        printf("  %-6s string %8.4f s  %10zu bytes (%.1f bytes/layer)", 
               names[fmt], t1 - t0, n, (double) n / L);
        o->breaks = GC_BREAK_MULTLINE;
        t0 = now();
        gc_expr_write_equation(null, GC_PARAM_B, 1, e, o);
        fflush(null);
        printf("   multline to /dev/null %8.4f s\n", now() - t0);
        o->breaks = GC_BREAK_NONE;
    }
    fclose(null);
    gc_cascade_clear(c);
    gc_expr_clear(e);
}

int
main(int argc, char ** argv)
{
    slong L;

    if (argc > 1)
        bench(atol(argv[1]));
    else
        for (L = 1000; L <= 1000000; L *= 10)
            bench(L);
    flint_cleanup();
    return 0;
}
