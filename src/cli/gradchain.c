/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* gradchain.c -- main(): the subcommand dispatcher, --help, --version and
   the final check that standard output was written. */

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "netopts.h"
#include "output.h"
#include "symopts.h"

typedef struct
{
    const char * name;
    int (*run)(int argc, char ** argv);
    const char * summary;
    const char * help;
    const char * shared_help; /* options shared with other commands */
} gc_command_struct;

static const gc_command_struct gc_commands[] = {
    {"derive", gc_cmd_derive, "the symbolic gradient, in LaTeX or text",
     gc_cmd_derive_help, gc_symopts_help},
    {"derivation", gc_cmd_derivation,
     "a LaTeX derivation: product, cascade, comparison, figures",
     gc_cmd_derivation_help, gc_symopts_help},
    {"eval", gc_cmd_eval, "gradients of every layer in arbitrary precision",
     gc_cmd_eval_help, gc_netopts_help},
    {"compare", gc_cmd_compare,
     "the same gradients in binary64 and other formats, layer by layer",
     gc_cmd_compare_help, gc_netopts_help},
    {"sweep", gc_cmd_sweep,
     "where formats lose the gradient over many random chains: statistics",
     gc_cmd_sweep_help, ""},
    {"plot", gc_cmd_plot,
     "a pgfplots figure of log10|dC/db_j| by layer, exact and per format",
     gc_cmd_plot_help, ""},
    {NULL, NULL, NULL, NULL, NULL}};

static void
print_help(void)
{
    const gc_command_struct * c;

    printf("Usage: gradchain COMMAND [OPTION]... [NETWORK]\n"
           "  or:  gradchain --help | --version\n"
           "Exact gradients of the one-neuron-per-layer chain\n"
           "z_j = w_j a_{j-1} + b_j, a_j = f(z_j) (sigmoid by default; tanh,\n"
           "relu, leaky-relu, softplus, identity, gelu), C = (a_L - y)^2/2,\n"
           "where dC/db_j = f'(z_j) w_{j+1} f'(z_{j+1}) ... w_L f'(z_L) dC/da_L\n"
           "vanishes or explodes with depth.  Numbers are read exactly;\n"
           "gradients are evaluated in arbitrary precision with exponents far\n"
           "beyond any machine format, every printed digit proven by Arb ball\n"
           "arithmetic, and replayed in machine number formats (binary64 ...\n"
           "FP8) as PyTorch computes them.\n"
           "\n"
           "Commands:\n");
    for (c = gc_commands; c->name != NULL; c++)
        printf("  %-12s %s\n", c->name, c->summary);
    printf("\n'gradchain COMMAND --help' describes one command.\n");
    for (c = gc_commands; c->name != NULL; c++)
    {
        printf("\n%s", c->help);
        /* a block of shared options once, after the last command using it */
        if (c[1].name == NULL || c[1].shared_help != c->shared_help)
            printf("\n%s", c->shared_help);
    }
    printf("\nExit status:\n"
           "  0  success\n"
           "  1  the evaluation is undefined, could not reach the requested\n"
           "     accuracy, or a value lies beyond the printable exponents\n"
           "  2  usage, input or I/O error, a network an engine does not\n"
           "     implement, work that cannot fit in memory, or out of memory\n"
           "     (nothing is written to an output file)\n"
           "  130  a sweep was interrupted by ^C: the report covers the\n"
           "       networks completed and says so\n"
           "\n"
           "Example:\n"
           "  gradchain compare --random normal:0,1 --layers 600 --seed 7\n"
           "\n"
           "Report bugs to: <" PACKAGE_BUGREPORT ">\n");
}

static void
print_version(void)
{
    printf("gradchain %s\n"
           "libgradchain %s, GNU MPFR %s, GMP %s, FLINT %s\n"
           "Copyright (C) 2026 The gradchain authors.\n"
           "License GPLv3+: GNU GPL version 3 or later "
           "<https://gnu.org/licenses/gpl.html>.\n"
           "This is free software: you are free to change and redistribute "
           "it.\n"
           "There is NO WARRANTY, to the extent permitted by law.\n",
           PACKAGE_VERSION, gc_version(), mpfr_get_version(), gmp_version,
           FLINT_VERSION);
}

/* Checks that everything written to stdout reached it (GNU coreutils'
   close_stdout): a full disk turns into exit status 2.  The reason is
   that of the first failed write (kept by the output module: errno is
   long overwritten by then), or of fclose; gnulib's close_stream says
   just "write error" when neither is known, and so does this. */
static int
close_stdout(int rc)
{
    int earlier = ferror(stdout) != 0, err;

    errno = 0;
    err = fclose(stdout) != 0 ? errno : 0;
    if (earlier && gc_cli_stdout_errno() != 0)
        err = gc_cli_stdout_errno();
    if (err != 0)
        gc_cli_error("write error: %s", strerror(err));
    else if (earlier)
        gc_cli_error("write error");
    else
        return rc;
    return GC_EXIT_USAGE;
}

/* ---- allocation ----------------------------------------------------------

   The allocators of GMP (and so MPFR) and FLINT (and so Arb): the
   C library's, which on failure end the program with a message on stderr
   and exit status 2, removing the output files being written, instead of
   FLINT's message on stdout and abort (a core dump).  They never return
   NULL, as FLINT and GMP expect (a request of 0 bytes gets 1). */

static _Noreturn void
out_of_memory(size_t n)
{
    char msg[64];
    int len;

    gc_cli_remove_temps();
    len = snprintf(msg, sizeof msg, "gradchain: out of memory (%zu bytes)\n",
                   n);
    (void) !write(STDERR_FILENO, msg, (size_t) len); /* best effort */
    _exit(GC_EXIT_USAGE);
}

static void *
oom_malloc(size_t n)
{
    void * p = malloc(n != 0 ? n : 1);

    if (p == NULL)
        out_of_memory(n);
    return p;
}

static void *
oom_calloc(size_t n, size_t size)
{
    void * p = calloc(n != 0 ? n : 1, size != 0 ? size : 1);

    if (p == NULL)
        out_of_memory(size != 0 && n > SIZE_MAX / size ? SIZE_MAX
                                                          : n * size);
    return p;
}

static void *
oom_realloc(void * p, size_t n)
{
    void * q = realloc(p, n != 0 ? n : 1);

    if (q == NULL)
        out_of_memory(n);
    return q;
}

static void *
oom_gmp_realloc(void * p, size_t old, size_t n)
{
    (void) old;
    return oom_realloc(p, n);
}

static void
oom_gmp_free(void * p, size_t n)
{
    (void) n;
    free(p);
}

int
main(int argc, char ** argv)
{
    const gc_command_struct * c;
    int rc;

    /* before anything is allocated */
    mp_set_memory_functions(oom_malloc, oom_gmp_realloc, oom_gmp_free);
    __flint_set_memory_functions(oom_malloc, oom_calloc, oom_realloc, free);
    json_set_alloc_funcs(oom_malloc, free);
    gc_cli_catch_signals();
    gc_mpfr_widen_exponent_range();
    if (argc < 2)
        rc = gc_cli_usage_error("missing command");
    else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
    {
        print_help();
        rc = GC_EXIT_OK;
    }
    else if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
    {
        print_version();
        rc = GC_EXIT_OK;
    }
    else
    {
        for (c = gc_commands; c->name != NULL; c++)
            if (strcmp(argv[1], c->name) == 0)
                break;
        if (c->name == NULL)
            rc = gc_cli_usage_error("unknown command '%s'", argv[1]);
        else
        {
            gc_cli_set_command(c->name);
            rc = c->run(argc - 1, argv + 1);
        }
    }
    rc = close_stdout(rc);
    flint_cleanup();
    mpfr_free_cache();
    return rc;
}
