/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* cli.h -- what every file of the gradchain program shares: exit codes,
   option codes, diagnostics and the option loop (diag.c), and the
   subcommands.  The option sets shared by several commands are in
   netopts.h and symopts.h, the output files in output.h. */

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

/* Codes of long-only options.  A shared option set (netopts.h, symopts.h)
   numbers its options from GC_OPT_SHARED and ends with its own LOCAL
   code, from which each command using it numbers its own options. */
enum
{
    GC_OPT_HELP = CHAR_MAX + 1,
    GC_OPT_LAYERS, /* in both shared sets */
    GC_OPT_SHARED
};

/* ---- diagnostics (diag.c) ---------------------------------------------- */

/* Prints "gradchain: <message>" on stderr. */
void gc_cli_error(const char * fmt, ...) GC_PRINTF(1, 2);

/* Prints "gradchain: <message>" and the "Try 'gradchain --help'" line on
   stderr; returns GC_EXIT_USAGE. */
int gc_cli_usage_error(const char * fmt, ...) GC_PRINTF(1, 2);

/* Reports "OPT: unknown WHAT 'ARG' (NAME, NAME, ...)", the names from the
   library's table *names*, as a usage error; returns GC_EXIT_USAGE. */
int gc_cli_name_error(const char * opt, const char * what, const char * arg,
                      const char * const * names);

/* Reports the library's parse error *err* about the argument of option
   *opt* as "OPT: MSG, got 'TOKEN'", a usage error; returns
   GC_EXIT_USAGE. */
int gc_cli_parse_error(const char * opt, const gc_parse_error_t err);

/* Parses the parameter *arg* of option *opt* (gc_param_set_str, layers
   1..len, len <= 0: no upper bound); on failure reports a usage error and
   returns 0. */
int gc_cli_parse_param(gc_param_t p, const char * arg, const char * opt,
                       slong len);

/* Parses a whole decimal integer in [lo, hi] for option *opt*; on failure
   reports a usage error and returns 0. */
int gc_cli_parse_slong(slong * res, const char * arg, const char * opt,
                       slong lo, slong hi);

/* ---- the option loop (diag.c) ------------------------------------------ */

/* How a subcommand reads its options: its help text, the help of the
   options it shares with other subcommands, and their parser *shared*
   (called first with *ctx*; returns 1 when it handled the option, 0 when
   the option is not one of them, -1 after reporting a usage error). */
typedef struct
{
    const char * help;
    const char * shared_help;
    int (*shared)(void * ctx, int opt, const char * arg);
    void * ctx;
} gc_cli_opts_struct;

#define GC_CLI_STOP (-2)

/* Returns the next option of argv (getopt_long with *longopts*, short
   option -o FILE) that the subcommand handles itself, its argument in
   optarg; -1 after the last one.  Handles the shared options, --help
   (printed, *rc* = GC_EXIT_OK) and unknown options or missing arguments
   (reported, *rc* = GC_EXIT_USAGE), for which it returns GC_CLI_STOP:
   the subcommand then returns *rc*. */
int gc_cli_getopt(int argc, char ** argv, const struct option * longopts,
                  const gc_cli_opts_struct * c, int * rc);

/* ---- the subcommands --------------------------------------------------- */

/* Each gets argv with argv[0] the subcommand's name, and has a help text
   (printed by 'gradchain CMD --help' and, all together, by 'gradchain
   --help', from which the man page is made). */
extern const char gc_cmd_eval_help[];
extern const char gc_cmd_compare_help[];
extern const char gc_cmd_derive_help[];
extern const char gc_cmd_derivation_help[];
int gc_cmd_eval(int argc, char ** argv);
int gc_cmd_compare(int argc, char ** argv);
int gc_cmd_derive(int argc, char ** argv);
int gc_cmd_derivation(int argc, char ** argv);

#endif /* GC_CLI_H */
