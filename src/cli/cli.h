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
    GC_OPT_DIGITS,
    GC_OPT_FORMAT,
    GC_OPT_LOCAL
};

/* Prints "gradchain: <message>" on stderr. */
void gc_cli_error(const char * fmt, ...) GC_PRINTF(1, 2);

/* Prints "gradchain: <message>" and the "Try 'gradchain --help'" line on
   stderr; returns GC_EXIT_USAGE. */
int gc_cli_usage_error(const char * fmt, ...) GC_PRINTF(1, 2);

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

/* Returns the proven digits of the ball *x* (at most *digits*, as
   gc_arb_get_str_digits gives them), or "?" when it proves none; adds 1 to
   *uncertain* (unless NULL) when fewer than *digits* are proven.  Free
   with flint_free. */
char * gc_cli_ball_str(const arb_t x, slong digits, slong * uncertain);

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

/* Writes the output of a command: *write* is called with the stream and
   *ctx* and returns GC_SUCCESS, or GC_INVALID after a write error.
   *output* NULL or "-" is standard output (whose final flush main()
   checks); any other path is written all-or-nothing: the text goes to a
   temporary file beside it, renamed over it only when everything was
   written, so a failed run leaves no partial file.  Returns GC_EXIT_OK or
   GC_EXIT_USAGE (after reporting). */
typedef int (*gc_cli_writer_t)(FILE * f, const void * ctx);
int gc_cli_emit(const char * output, gc_cli_writer_t write, const void * ctx);

/* The options shared by eval and compare: the network (a file operand,
   or --random normal:MU,SD --layers L --seed S; --a0, --y,
   --save-network) and the output (--digits, --format, -o). */
typedef struct
{
    const char * file;       /* operand; "-" is stdin */
    int random;              /* --random given */
    gc_normal_struct normal; /* its parameters */
    slong layers;            /* --layers (0: not given) */
    const char * a0;         /* --a0 text (NULL: default) */
    const char * y;          /* --y text (NULL: default) */
    const char * save;       /* --save-network FILE */
    slong digits;            /* --digits (0: not given) */
    gc_report_format_t format; /* --format */
    const char * output;     /* -o, --output (NULL: stdout) */
} gc_netopts_struct;

/* The getopt_long entries of the shared options (see gc_cli_longopts). */
extern const struct option gc_netopts_longopts[];

/* Sets *dst* (GC_LONGOPTS_MAX entries) to the subcommand's *n* options
   *local* followed by the shared options and the terminator. */
#define GC_LONGOPTS_MAX 32
void gc_cli_longopts(struct option * dst, const struct option * local,
                     size_t n);

/* The --help lines that describe the network options. */
extern const char gc_netopts_help[];

void gc_netopts_init(gc_netopts_struct * o);

/* Handles option *opt* with argument *arg* if it is a shared option of
   the gc_netopts_struct *o*: returns 1 when handled, 0 when not one, and
   -1 after reporting a usage error (a gc_cli_opts_struct parser). */
int gc_netopts_parse(void * o, int opt, const char * arg);

/* Takes the operands left after option parsing (at most one file), then
   builds *net* from the options: reads the file (diagnostics name file,
   line and token), or sets up the random network; and applies --a0/--y.
   Returns GC_EXIT_OK or GC_EXIT_USAGE (after reporting). */
int gc_netopts_load(gc_net_t net, gc_netopts_struct * o, int nargs,
                    char ** args);

/* As gc_cli_emit to o->output, and writes *net* to the --save-network
   file if one was given: both files are written, or neither. */
int gc_netopts_emit(const gc_netopts_struct * o, const gc_net_struct * net,
                    gc_cli_writer_t write, const void * ctx);

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
