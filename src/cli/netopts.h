/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* netopts.h -- the options shared by 'gradchain eval' and 'gradchain
   compare' (netopts.c): the network (a file operand, or a random chain:
   --random DIST or --weights DIST --biases DIST, --fan-in-scale RULE,
   --layers L --seed S; --a0, --y, --save-network) and the output
   (--digits, --format, -o).  'gradchain sweep' shares the random
   chain's options. */

#ifndef GC_NETOPTS_H
#define GC_NETOPTS_H

#include <stdint.h>

#include "cli.h"
#include "output.h"

/* Option codes; each command numbers its own from GC_NETOPT_LOCAL. */
enum
{
    GC_NETOPT_RANDOM = GC_OPT_SHARED,
    GC_NETOPT_SEED,
    GC_NETOPT_A0,
    GC_NETOPT_Y,
    GC_NETOPT_SAVE_NETWORK,
    GC_NETOPT_DIGITS,
    GC_NETOPT_FORMAT,
    GC_NETOPT_ACT,
    GC_NETOPT_WEIGHTS,
    GC_NETOPT_BIASES,
    GC_NETOPT_FANIN,
    GC_NETOPT_INIT,
    GC_NETOPT_NEURONS,
    GC_NETOPT_LOCAL
};

typedef struct
{
    const char * file;       /* operand; "-" is stdin */
    int random;              /* --random, --weights or --biases given */
    const char * random_opt; /* the first of them, for messages */
    int given;               /* weights (1) and biases (2) set */
    int fanin_given;         /* --fan-in-scale given */
    gc_random_struct spec;   /* the random chain's parameters and seed */
    slong layers;            /* --layers (0: not given) */
    const char * neurons;    /* --neurons text (NULL: a chain) */
    const char * a0;         /* --a0 text (NULL: default) */
    const char * y;          /* --y text (NULL: default) */
    const char * act;        /* --act text (NULL: the file's, sigmoid) */
    const char * save;       /* --save-network FILE */
    slong digits;            /* --digits (0: not given) */
    gc_report_format_t format; /* --format */
    const char * output;     /* -o, --output (NULL: stdout) */
    gc_engine_t engines[2];  /* the engines the command evaluates with, */
    slong nengines;          /* set by the command before loading */
} gc_netopts_struct;

/* The getopt_long entries of the shared options, spliced into each
   command's static table (as GC_SYMOPTS_LONGOPTS). */
#define GC_NETOPTS_LONGOPTS                                                 \
    GC_NETOPTS_RANDOM_LONGOPTS,                                             \
    {"a0", required_argument, NULL, GC_NETOPT_A0},                          \
    {"y", required_argument, NULL, GC_NETOPT_Y},                            \
    {"act", required_argument, NULL, GC_NETOPT_ACT},                        \
    {"save-network", required_argument, NULL, GC_NETOPT_SAVE_NETWORK},     \
    {"neurons", required_argument, NULL, GC_NETOPT_NEURONS},                \
    {"digits", required_argument, NULL, GC_NETOPT_DIGITS},                  \
    {"format", required_argument, NULL, GC_NETOPT_FORMAT},                  \
    {"output", required_argument, NULL, 'o'},                               \
    {"help", no_argument, NULL, GC_OPT_HELP}

/* The getopt_long entries of the random chain's options, and their
   --help lines (a string literal, for each command's help). */
#define GC_NETOPTS_RANDOM_LONGOPTS                                          \
    {"random", required_argument, NULL, GC_NETOPT_RANDOM},                  \
    {"weights", required_argument, NULL, GC_NETOPT_WEIGHTS},                \
    {"biases", required_argument, NULL, GC_NETOPT_BIASES},                  \
    {"fan-in-scale", required_argument, NULL, GC_NETOPT_FANIN},             \
    {"init", required_argument, NULL, GC_NETOPT_INIT},                      \
    {"layers", required_argument, NULL, GC_OPT_LAYERS},                     \
    {"seed", required_argument, NULL, GC_NETOPT_SEED}

#define GC_NETOPTS_RANDOM_HELP                                              \
    "      --random DIST          weights and biases i.i.d. from DIST, drawn\n" \
    "                             as binary64 numbers (documented stream):\n" \
    "                             normal:MU,SD, uniform:LO,HI (LO <= HI) or\n" \
    "                             const:V, numbers exact (1/3, 0x1p-4)\n"    \
    "      --weights DIST         the weights' distribution only\n"         \
    "      --biases DIST          the biases' distribution only (a chain\n" \
    "                             needs both; later options win:\n"         \
    "                             --random D1 --weights D2 draws biases\n"  \
    "                             from D1, weights from D2)\n"             \
    "      --fan-in-scale RULE    scale the weights' distribution by c, as\n" \
    "                             frameworks initialise: none (default),\n" \
    "                             lecun 1/sqrt(fan_in), he sqrt(2/fan_in),\n" \
    "                             xavier sqrt(2/(fan_in+fan_out)); a chain\n" \
    "                             has fan_in = fan_out = 1 (he: sqrt 2)\n" \
    "      --init fan-in|glorot|he|none\n"                                 \
    "                             the same setting by the names of wide\n" \
    "                             networks: lecun, xavier, he, none (the\n" \
    "                             later of --init and --fan-in-scale wins)\n"

/* The --help lines that describe the network options. */
extern const char gc_netopts_help[];

void gc_netopts_init(gc_netopts_struct * o);

/* The gc_cli_parser_t of these options, into the gc_netopts_struct
   *o*. */
int gc_netopts_parse(void * o, int * handled, int opt, const char * arg);

/* Takes the operands left after option parsing (at most one file), then
   builds *net* from the options: reads the file (diagnostics name file,
   line and token) and checks with gc_engine_check that every engine in
   o->engines can evaluate it (a network this version cannot evaluate is
   an input error), or sets up the random network; and applies --a0/--y.
   A wide network (a wide file, or --neurons) is refused: the command
   takes chains only.  Returns an exit code. */
int gc_netopts_load(gc_net_t net, gc_netopts_struct * o, int nargs,
                    char ** args);

/* As gc_netopts_load, and reads a wide file (gc_net_read_any, one pass)
   or builds the random wide network of --neurons into *wide*, setting
   *is_wide* to 1 (0: *net* is the chain, as gc_netopts_load gives it).
   For a wide network --act sets every layer, and --a0 and --y are
   vectors of n_0 and n_L values separated by commas or blanks.  Before
   a random wide network is built its memory is checked. */
int gc_netopts_load_any(gc_net_t net, gc_wnet_t wide, int * is_wide,
                        gc_netopts_struct * o, int nargs, char ** args);

/* Parses the argument *arg* of --engine into *engine*: an engine name
   of the library's table, refused with the usage error *refused* unless
   bit *engine* of *allowed* is set (1 << GC_ENGINE_FAST | ...).
   Returns an exit code. */
int gc_netopts_parse_engine(gc_engine_t * engine, const char * arg,
                            unsigned allowed, const char * refused);

/* Returns the number of balls v[0..n) beyond the printable range
   (gc_arb_is_printable), and if there are any reports them for command
   *cmd*: no precision can print them. */
slong gc_netopts_unprintable(const char * cmd, arb_srcptr v, slong n);

/* Reports for command *cmd* that *what* ("3 value(s)", "exact values")
   have fewer than *digits* proven digits after a Ziv loop that ended at
   *prec* bits: a loop that stopped below *max_prec* found that no
   precision up to it could prove them (_gc_ziv_loop's rule), so the
   message says that raising --max-prec would not help; otherwise it
   names --max-prec. */
void gc_netopts_shortfall(const char * cmd, const char * what, slong digits,
                          slong prec, slong max_prec);

/* Returns GC_EXIT_OK if *bytes* (an estimate of the library, such as
   gc_eval_arb_bytes) fit the memory left to this process: the least of
   the physical memory and the finite RLIMIT_AS and RLIMIT_DATA, less the
   peak resident size so far.  Otherwise reports, before any work,
   "CMD: L layers need about N GB PURPOSE, more than the M GB available
   (LIMIT); ALTERNATIVE" and returns GC_EXIT_USAGE.  (Also used by the
   symbolic commands, derive and derivation.) */
int gc_cli_check_memory(const char * cmd, size_t bytes, slong layers,
                        const char * purpose, const char * alternative);

/* Returns a + b, or SIZE_MAX when that does not fit (the estimates'
   SIZE_MAX stays SIZE_MAX). */
static inline size_t
gc_cli_bytes_add(size_t a, size_t b)
{
    return b > SIZE_MAX - a ? SIZE_MAX : a + b;
}

/* Adds to *r* the metadata that reproduce the random chain *spec* with
   the options above: "random" (its distribution, when the weights and
   the biases share it without fan-in scaling), otherwise "weights",
   "biases" and, unless none, "fan_in_scale"; every spec exact
   (gc_dist_get_str). */
void gc_netopts_meta_random(gc_report_t r, const gc_random_struct * spec);

/* As gc_cli_emit_net to o->output and the --save-network file. */
int gc_netopts_emit(const gc_netopts_struct * o, const gc_net_struct * net,
                    gc_cli_writer_t write, const void * ctx);

/* As gc_netopts_emit with the wide network *net* (gc_wnet_write). */
int gc_netopts_emit_wide(const gc_netopts_struct * o,
                         const gc_wnet_struct * net, gc_cli_writer_t write,
                         const void * ctx);

#endif /* GC_NETOPTS_H */
