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
   Each time is wall-clock, then CPU time of the thread in parentheses
   (steadier on a loaded machine).  The time per layer should stay flat:
   output is linear in L. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradchain.h"

static double
now(clockid_t clk)
{
    struct timespec t;

    clock_gettime(clk, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* A stopwatch: wall-clock and thread CPU time. */
typedef struct
{
    double wall;
    double cpu;
} watch_t;

static void
watch_start(watch_t * w)
{
    w->wall = now(CLOCK_MONOTONIC);
    w->cpu = now(CLOCK_THREAD_CPUTIME_ID);
}

static void
watch_print(const char * what, const watch_t * w)
{
    printf("%s %7.4f s (%7.4f)", what, now(CLOCK_MONOTONIC) - w->wall,
           now(CLOCK_THREAD_CPUTIME_ID) - w->cpu);
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
    watch_t w;
    gc_param_t b1;
    int fmt;

    gc_shape_init(s, L);
    gc_expr_init(e);
    gc_cascade_init(c);
    gc_print_opts_init(o);
    o->form = GC_FORM_EXPANDED;
    gc_param_set(b1, GC_PARAM_B, 1);
    printf("L = %-8ld", (long) L);
    watch_start(&w);
    if (gc_expr_set_grad(e, s, b1) != GC_SUCCESS)
        abort();
    watch_print(" build", &w);
    watch_start(&w);
    if (gc_cascade_set(c, s, b1) != GC_SUCCESS)
        abort();
    watch_print("   cascade", &w);
    printf("\n");
    for (fmt = 0; fmt < 3; fmt++)
    {
        char * str;
        size_t n;

        o->format = (gc_print_format_t) fmt;
        watch_start(&w);
        str = gc_expr_get_str_equation(b1, e, o);
        printf("  %-6s", names[fmt]);
        watch_print(" string", &w);
        n = strlen(str);
        flint_free(str);
        printf(" %9zu bytes (%.1f/layer)", n, (double) n / L);
        o->breaks = GC_BREAK_MULTLINE;
        watch_start(&w);
        if (gc_expr_write_equation(null, b1, e, o) != GC_SUCCESS)
            printf(" write error");
        fflush(null);
        watch_print("  multline to /dev/null", &w);
        printf("\n");
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
