/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* cli.h -- shared pieces of the gradchain program: exit codes,
   diagnostics, the all-or-nothing output file, network options. */

#ifndef GC_CLI_H
#define GC_CLI_H

#include <getopt.h>
#include <limits.h>

#include "gradchain.h"

/* Exit status of the program (documented under EXIT STATUS). */
enum
{
    GC_EXIT_OK = 0,    /* success */
    GC_EXIT_EVAL = 1,  /* evaluation could not reach the requested accuracy
                          or is undefined (GC_DOMAIN, GC_UNABLE) */
    GC_EXIT_USAGE = 2  /* usage, input or I/O error */
};

/* Long-only options shared by subcommands; each subcommand numbers its
   own from GC_OPT_LOCAL upward. */
enum
{
    GC_OPT_HELP = CHAR_MAX + 1,
    GC_OPT_RANDOM,
    GC_OPT_LAYERS,
    GC_OPT_SEED,
    GC_OPT_A0,
    GC_OPT_Y,
    GC_OPT_SAVE_NETWORK,
    GC_OPT_LOCAL
};

/* Prints "gradchain: <message>" on stderr. */
void gc_cli_error(const char * fmt, ...) GC_PRINTF(1, 2);

/* Prints "gradchain: <message>" and the "Try 'gradchain --help'" line on
   stderr; returns GC_EXIT_USAGE. */
int gc_cli_usage_error(const char * fmt, ...) GC_PRINTF(1, 2);

/* Parses a whole decimal integer in [lo, hi] for option *opt*; on failure
   reports a usage error and returns 0. */
int gc_cli_parse_slong(slong * res, const char * arg, const char * opt,
                       slong lo, slong hi);

/* An output that is either stdout or a file written all-or-nothing: the
   text goes to a temporary file beside the target, renamed over it only by
   a successful gc_out_close, so a failed run leaves no partial file. */
typedef struct
{
    const char * path; /* NULL: stdout */
    char * tmp;
    FILE * f;
} gc_out_struct;

/* Opens *path* ("-" or NULL: stdout).  Returns 1, or reports the error and
   returns 0. */
int gc_out_open(gc_out_struct * out, const char * path);

/* Finishes *out*: when ok, flushes and commits it (rename), else discards
   the temporary file.  Returns 1 on success, or reports a write error and
   returns 0. */
int gc_out_close(gc_out_struct * out, int ok);

/* The network options shared by eval and compare: a file operand or
   --random normal:MU,SD --layers L --seed S, with --a0, --y. */
typedef struct
{
    const char * file;       /* operand; "-" is stdin */
    int random;              /* --random given */
    gc_normal_struct normal; /* its parameters */
    slong layers;            /* --layers (0: not given) */
    const char * a0;         /* --a0 text (NULL: default) */
    const char * y;          /* --y text (NULL: default) */
    const char * save;       /* --save-network FILE */
} gc_netopts_struct;

/* The getopt_long entries for the network options, to be copied into a
   subcommand's table (terminated by an all-zero entry). */
extern const struct option gc_netopts_longopts[];

/* Sets *dst* (GC_LONGOPTS_MAX entries) to the subcommand's *n* options
   *local* followed by the network options and the terminator. */
#define GC_LONGOPTS_MAX 32
void gc_cli_longopts(struct option * dst, const struct option * local,
                     size_t n);

/* The --help lines that describe the network options. */
extern const char gc_netopts_help[];

void gc_netopts_init(gc_netopts_struct * o);

/* Handles option *opt* with argument *arg* if it is a network option:
   returns 1 when handled, 0 when not a network option, and -1 after
   reporting a usage error. */
int gc_netopts_parse(gc_netopts_struct * o, int opt, const char * arg);

/* Takes the operands left after option parsing (at most one file), then
   builds *net* from the options: reads the file (diagnostics name file,
   line and token), or sets up the random network; applies --a0/--y; and
   writes --save-network.  Returns GC_EXIT_OK or GC_EXIT_USAGE (after
   reporting). */
int gc_netopts_load(gc_net_t net, gc_netopts_struct * o, int nargs,
                    char ** args);

/* Subcommands: each gets argv with argv[0] the subcommand's name, and
   has a help text (printed by 'gradchain CMD --help' and, all together,
   by 'gradchain --help', from which the man page is made). */
extern const char gc_cmd_eval_help[];
extern const char gc_cmd_compare_help[];
extern const char gc_cmd_derive_help[];
extern const char gc_cmd_derivation_help[];
int gc_cmd_eval(int argc, char ** argv);
int gc_cmd_compare(int argc, char ** argv);
int gc_cmd_derive(int argc, char ** argv);
int gc_cmd_derivation(int argc, char ** argv);

#endif /* GC_CLI_H */
