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

/* Exit status of the program (documented under EXIT STATUS).

   The return convention of the program: every function of src/cli that
   can fail returns one of these, GC_EXIT_OK to go on, anything else
   after it has reported the error on stderr (so callers only pass it
   on).  A parser of a shared option set also says whether the option
   was one of its own, through an out-parameter (gc_cli_parser_t). */
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

/* Prints "gradchain: <message>" and the "Try 'gradchain [CMD] --help'" line on
   stderr; returns GC_EXIT_USAGE. */
int gc_cli_usage_error(const char * fmt, ...) GC_PRINTF(1, 2);

/* Names the command being run (its name in gradchain's table), so that
   usage errors point at 'gradchain NAME --help'. */
void gc_cli_set_command(const char * name);

/* Reports "OPT: unknown WHAT 'ARG' (NAME, NAME, ...)", the names from the
   library's table *names*, as a usage error; returns GC_EXIT_USAGE. */
int gc_cli_name_error(const char * opt, const char * what, const char * arg,
                      const char * const * names);

/* Reports the library's parse error *err* about the argument of option
   *opt* as "OPT: MSG, got 'TOKEN'", a usage error; returns
   GC_EXIT_USAGE. */
int gc_cli_parse_error(const char * opt, const gc_parse_error_t err);

/* Parses the parameter *arg* of option *opt* (gc_param_set_str, layers
   1..len, len <= 0: no upper bound).  Returns an exit code. */
int gc_cli_parse_param(gc_param_t p, const char * arg, const char * opt,
                       slong len);

/* Parses a whole decimal integer in [lo, hi] for option *opt*.  Returns
   an exit code. */
int gc_cli_parse_slong(slong * res, const char * arg, const char * opt,
                       slong lo, slong hi);

/* ---- the option loop (diag.c) ------------------------------------------ */

/* A parser of a shared option set: if *opt* (argument *arg*) is one of
   its options, stores it in *ctx* and sets *handled* to 1, else sets
   *handled* to 0 and does nothing.  Returns an exit code. */
typedef int (*gc_cli_parser_t)(void * ctx, int * handled, int opt,
                               const char * arg);

/* How a subcommand reads its options: its help text, and the help and
   parser of the option set it shares with other subcommands. */
typedef struct
{
    const char * help;
    const char * shared_help;
    gc_cli_parser_t shared;
    void * ctx;
} gc_cli_opts_struct;

/* What gc_cli_getopt returns after the options (option codes are
   positive). */
#define GC_CLI_END (-1)  /* all read and accepted: run the command */
#define GC_CLI_STOP (-2) /* return *rc*: after --help, or an error */

/* Returns the next option of argv (getopt_long with *longopts*, short
   option -o FILE) that the subcommand handles itself, its argument in
   optarg, having handled the shared options, --help (printed) and
   unknown options or missing arguments (reported).  The subcommand
   stores the exit code of handling its option in *rc*; when *rc* is not
   GC_EXIT_OK the next call returns GC_CLI_STOP.  So every subcommand has
   the loop

       while ((opt = gc_cli_getopt(argc, argv, longopts, &c, &rc)) > 0)
           switch (opt) { case OPT_X: rc = ...; break; ... }
       if (opt == GC_CLI_STOP)
           return rc;

   after which *rc* is GC_EXIT_OK and the options are all read. */
int gc_cli_getopt(int argc, char ** argv, const struct option * longopts,
                  const gc_cli_opts_struct * c, int * rc);

/* ---- the subcommands --------------------------------------------------- */

/* Each gets argv with argv[0] the subcommand's name, and has a help text
   (printed by 'gradchain CMD --help' and, all together, by 'gradchain
   --help', from which the man page is made). */
extern const char gc_cmd_eval_help[];
extern const char gc_cmd_compare_help[];
extern const char gc_cmd_sweep_help[];
extern const char gc_cmd_plot_help[];
extern const char gc_cmd_derive_help[];
extern const char gc_cmd_derivation_help[];
int gc_cmd_eval(int argc, char ** argv);
int gc_cmd_compare(int argc, char ** argv);
int gc_cmd_sweep(int argc, char ** argv);
int gc_cmd_plot(int argc, char ** argv);
int gc_cmd_derive(int argc, char ** argv);
int gc_cmd_derivation(int argc, char ** argv);

#endif /* GC_CLI_H */
