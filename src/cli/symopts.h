/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* symopts.h -- the options shared by 'gradchain derive' and
   'gradchain derivation' (symopts.c). */

#ifndef GC_SYMOPTS_H
#define GC_SYMOPTS_H

#include "cli.h"

/* Option codes; each command numbers its own from GC_SYMOPT_LOCAL. */
enum
{
    GC_SYMOPT_ACT = GC_OPT_SHARED,
    GC_SYMOPT_EXPAND,
    GC_SYMOPT_COST,
    GC_SYMOPT_WRT,
    GC_SYMOPT_FORM,
    GC_SYMOPT_WIDTH,
    GC_SYMOPT_BREAK,
    GC_SYMOPT_NEURONS,
    GC_SYMOPT_LOCAL
};

/* The getopt_long entries of the shared options. */
#define GC_SYMOPTS_LONGOPTS                                                 \
    {"layers", required_argument, NULL, GC_OPT_LAYERS},                     \
    {"wrt", required_argument, NULL, GC_SYMOPT_WRT},                        \
    {"activation", required_argument, NULL, GC_SYMOPT_ACT},                 \
    {"expand", required_argument, NULL, GC_SYMOPT_EXPAND},                  \
    {"cost", required_argument, NULL, GC_SYMOPT_COST},                      \
    {"form", required_argument, NULL, GC_SYMOPT_FORM},                      \
    {"width", required_argument, NULL, GC_SYMOPT_WIDTH},                    \
    {"break", required_argument, NULL, GC_SYMOPT_BREAK},                    \
    {"neurons", required_argument, NULL, GC_SYMOPT_NEURONS},                \
    {"output", required_argument, NULL, 'o'},                               \
    {"help", no_argument, NULL, GC_OPT_HELP}

/* The largest --layers accepted (memory: about 50 bytes a layer). */
#define GC_SYMOPTS_MAX_LAYERS WORD(100000000)

typedef struct
{
    gc_shape_struct shape;       /* len 0 until --layers */
    gc_param_t param;
    gc_print_opts_struct print;
    const char * output;
    const char * expand_arg;     /* the text of --expand, for messages */
    slong width;                 /* --neurons: 1 (a chain), more, or a
                                    letter GC_SYM_INDEX(c) */
    slong row;                   /* the entry of --wrt bJ[i] or wJ[i,j]: */
    slong col;                   /* 0 for none, a number or a letter */
    const char * wrt_arg;        /* the text of --wrt, for messages */
} gc_symopts_struct;

/* 1 if the options ask for wide layers (--neurons other than 1). */
#define GC_SYMOPTS_WIDE(o) ((o)->width != 1)

void gc_symopts_init(gc_symopts_struct * o);

/* The gc_cli_parser_t of these options, into the gc_symopts_struct
   *o*. */
int gc_symopts_parse(void * o, int * handled, int opt, const char * arg);

/* Checks what the options say together (--layers given, the layer of
   --wrt in 1..L, an expansion the activation has, with --neurons what
   the wide gradient can write: see gc_wexpr_set_grad) and that no
   operand is left.  Returns an exit code. */
int gc_symopts_finish(gc_symopts_struct * o, int nargs, char ** args);

/* Sets *res* to the --label prefix *arg*; returns *rc*, or the exit
   code of a usage error naming arg when it is no valid prefix. */
int gc_symopts_label(const char ** res, const char * arg, int rc);

/* The --help lines of the shared options. */
extern const char gc_symopts_help[];

#endif /* GC_SYMOPTS_H */
