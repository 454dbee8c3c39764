/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* common.c -- diagnostics, all-or-nothing output files and the network
   options shared by the subcommands. */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void
gc_cli_verror(const char * fmt, va_list ap)
{
    fputs("gradchain: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void
gc_cli_error(const char * fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gc_cli_verror(fmt, ap);
    va_end(ap);
}

int
gc_cli_usage_error(const char * fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gc_cli_verror(fmt, ap);
    va_end(ap);
    fputs("Try 'gradchain --help' for more information.\n", stderr);
    return GC_EXIT_USAGE;
}

int
gc_cli_getopt(int argc, char ** argv, const struct option * longopts,
              const gc_cli_opts_struct * c, int * rc)
{
    int opt, h;

    opterr = 0; /* diagnostics are ours, in our format */
    while ((opt = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1)
    {
        if (opt == ':' || opt == '?')
        {
            *rc = gc_cli_usage_error("%s: %s '%s'", argv[0],
                                     opt == ':' ? "missing argument to"
                                                : "unrecognized option",
                                     argv[optind - 1]);
            return GC_CLI_STOP;
        }
        if (opt == GC_OPT_HELP)
        {
            fputs(c->help, stdout);
            fputs(c->shared_help, stdout);
            *rc = GC_EXIT_OK;
            return GC_CLI_STOP;
        }
        h = c->shared(c->ctx, opt, optarg);
        if (h < 0)
        {
            *rc = GC_EXIT_USAGE;
            return GC_CLI_STOP;
        }
        if (h == 0)
            return opt;
    }
    return -1;
}

char *
gc_cli_ball_str(const arb_t x, slong digits, slong * uncertain)
{
    char * s;
    slong k;

    if (gc_arb_get_str_digits(&s, &k, x, digits) != GC_SUCCESS)
    {
        if (uncertain != NULL)
            (*uncertain)++;
        if (k == 0)
        {
            s = flint_realloc(s, 2);
            strcpy(s, "?");
        }
    }
    return s;
}

int
gc_cli_name_error(const char * opt, const char * what, const char * arg,
                  const char * const * names)
{
    char * list = gc_names_join(names, ", ");

    gc_cli_usage_error("%s: unknown %s '%s' (%s)", opt, what, arg, list);
    flint_free(list);
    return GC_EXIT_USAGE;
}

int
gc_cli_parse_error(const char * opt, const gc_parse_error_t err)
{
    return gc_cli_usage_error("%s: %s, got '%s'", opt, err->msg,
                              err->token);
}

int
gc_cli_parse_param(gc_param_t p, const char * arg, const char * opt,
                   slong len)
{
    gc_parse_error_t err;

    if (gc_param_set_str(p, arg, len, err) == GC_SUCCESS)
        return 1;
    gc_cli_parse_error(opt, err);
    return 0;
}

int
gc_cli_parse_slong(slong * res, const char * arg, const char * opt,
                   slong lo, slong hi)
{
    char * end;
    long long v;

    errno = 0;
    v = strtoll(arg, &end, 10);
    if (end == arg || *end != '\0' || errno != 0 || v < lo || v > hi)
    {
        gc_cli_usage_error("%s: expected an integer from %ld to %ld, got '%s'",
                           opt, (long) lo, (long) hi, arg);
        return 0;
    }
    *res = (slong) v;
    return 1;
}

/* An output: standard output (path NULL), a file that is not a regular
   file written in place (tmp NULL: a device, a pipe), or a temporary file
   *tmp* renamed to *target* when closed successfully. */
typedef struct
{
    const char * path;
    char * target;
    char * tmp;
    FILE * f;
} gc_out_struct;

/* Opens *path* ("-" or NULL: stdout).  Returns 1, or reports the error and
   returns 0. */
static int
gc_out_open(gc_out_struct * out, const char * path)
{
    struct stat st;
    int fd, exists;
    mode_t mode;
    size_t n;

    out->path = NULL;
    out->target = NULL;
    out->tmp = NULL;
    out->f = stdout;
    if (path == NULL || strcmp(path, "-") == 0)
        return 1;

    out->path = path;
    exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
    {
        /* /dev/null, /dev/stdout, a fifo: never rename over them */
        if ((out->f = fopen(path, "w")) != NULL)
            return 1;
        gc_cli_error("%s: %s", path, strerror(errno));
        return 0;
    }
    /* through a symbolic link, replace the file it points to */
    out->target = exists ? realpath(path, NULL) : strdup(path);
    n = out->target == NULL ? 0 : strlen(out->target) + sizeof(".tmpXXXXXX");
    if (n == 0 || (out->tmp = malloc(n)) == NULL)
    {
        gc_cli_error("%s: %s", path, strerror(errno));
        free(out->target);
        out->f = NULL;
        return 0;
    }
    snprintf(out->tmp, n, "%s.tmpXXXXXX", out->target);
    fd = mkstemp(out->tmp);
    /* mkstemp creates the file 0600; give it the mode of the file it
       replaces, or the mode that fopen would create, 0666 less the umask */
    if (exists)
        mode = st.st_mode & 07777;
    else
    {
        mode = umask(0);
        umask(mode);
        mode = 0666 & ~mode;
    }
    if (fd < 0 || fchmod(fd, mode) != 0
        || (out->f = fdopen(fd, "w")) == NULL)
    {
        gc_cli_error("%s: %s", path, strerror(errno));
        if (fd >= 0)
        {
            close(fd);
            remove(out->tmp);
        }
        free(out->tmp);
        free(out->target);
        out->f = NULL;
        return 0;
    }
    return 1;
}

/* Finishes *out*: when ok, flushes and commits it (rename), else discards
   the temporary file.  Returns 1 on success, or reports a write error and
   returns 0. */
static int
gc_out_close(gc_out_struct * out, int ok)
{
    int good = 1;

    if (out->f == NULL)
        return 0;
    if (out->path == NULL)
    {
        /* stdout: its final flush and close are checked in main() */
        out->f = NULL;
        return ok;
    }
    if (fclose(out->f) != 0)
    {
        if (ok)
            gc_cli_error("%s: write error: %s", out->path, strerror(errno));
        good = 0;
    }
    if (out->tmp != NULL)
    {
        if (ok && good && rename(out->tmp, out->target) != 0)
        {
            gc_cli_error("%s: %s", out->path, strerror(errno));
            good = 0;
        }
        if (!(ok && good))
            remove(out->tmp);
    }
    free(out->tmp);
    free(out->target);
    out->tmp = NULL;
    out->target = NULL;
    out->f = NULL;
    return ok && good;
}

/* Writes the *n* (at most 2) outputs: paths[i] by write[i] from ctx[i],
   all or nothing: each file is committed only when every output was
   written and flushed.  Returns GC_EXIT_OK or GC_EXIT_USAGE. */
static int
gc_cli_emit_all(int n, const char * const * paths,
                const gc_cli_writer_t * write, const void * const * ctx)
{
    gc_out_struct out[2];
    int i, opened, ok = 1;

    for (opened = 0; opened < n && ok; opened++)
        ok = gc_out_open(out + opened, paths[opened]);
    for (i = 0; i < opened && ok; i++)
    {
        ok = write[i](out[i].f, ctx[i]) == GC_SUCCESS
             && fflush(out[i].f) == 0 && !ferror(out[i].f);
        /* on standard output main() reports the error when it flushes */
        if (!ok && out[i].path != NULL)
            gc_cli_error("%s: write error", out[i].path);
    }
    for (i = 0; i < opened; i++)
        ok = gc_out_close(out + i, ok) && ok;
    return ok ? GC_EXIT_OK : GC_EXIT_USAGE;
}

int
gc_cli_emit(const char * output, gc_cli_writer_t write, const void * ctx)
{
    return gc_cli_emit_all(1, &output, &write, &ctx);
}

const struct option gc_netopts_longopts[] = {
    {"random", required_argument, NULL, GC_OPT_RANDOM},
    {"layers", required_argument, NULL, GC_OPT_LAYERS},
    {"seed", required_argument, NULL, GC_OPT_SEED},
    {"a0", required_argument, NULL, GC_OPT_A0},
    {"y", required_argument, NULL, GC_OPT_Y},
    {"save-network", required_argument, NULL, GC_OPT_SAVE_NETWORK},
    {"digits", required_argument, NULL, GC_OPT_DIGITS},
    {"format", required_argument, NULL, GC_OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, GC_OPT_HELP},
    {NULL, 0, NULL, 0}};

void
gc_cli_longopts(struct option * dst, const struct option * local, size_t n)
{
    size_t k = sizeof gc_netopts_longopts / sizeof *gc_netopts_longopts;

    if (n + k > GC_LONGOPTS_MAX)
        gc_throw("gc_cli_longopts: too many options");
    memcpy(dst, local, n * sizeof *local);
    memcpy(dst + n, gc_netopts_longopts, sizeof gc_netopts_longopts);
}

const char gc_netopts_help[] =
    "The network is the file NETWORK ('-' reads standard input) or a random\n"
    "chain:\n"
    "      --random normal:MU,SD  weights and biases i.i.d. N(MU, SD), drawn as\n"
    "                             binary64 numbers (documented stream)\n"
    "      --layers L             number of layers of the random chain\n"
    "      --seed S               seed of the random chain (default 0)\n"
    "      --a0 X                 input a_0 (default 1, or the file's)\n"
    "      --y X                  target y (default 0, or the file's)\n"
    "      --save-network FILE    also write the network, every value exact\n"
    "Output:\n"
    "      --digits D             significant digits of the results (at most\n"
    "                             1000000)\n"
    "      --format text|csv|json output format (default text)\n"
    "  -o, --output FILE          write to FILE, all or nothing (default stdout)\n";

void
gc_netopts_init(gc_netopts_struct * o)
{
    memset(o, 0, sizeof *o);
    o->normal.mu = 0.0;
    o->normal.sd = 1.0;
}

int
gc_netopts_parse(void * ctx, int opt, const char * arg)
{
    gc_netopts_struct * o = ctx;
    gc_parse_error_t err;
    slong v;

    switch (opt)
    {
        case GC_OPT_RANDOM:
            o->random = 1;
            if (gc_normal_set_str(&o->normal, arg, err) == GC_SUCCESS)
                return 1;
            gc_cli_parse_error("--random", err);
            return -1;
        case GC_OPT_LAYERS:
            if (!gc_cli_parse_slong(&v, arg, "--layers", 1, WORD_MAX / 4))
                return -1;
            o->layers = v;
            return 1;
        case GC_OPT_SEED:
        {
            char * end;

            /* decimal, or hexadecimal after 0x; never octal (a seed 010
               is 10), and no sign or blank (strtoul wraps " -1") */
            int hex = arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X');
            const char * digits = arg + (hex ? 2 : 0);

            errno = 0;
            o->normal.seed = strtoul(arg, &end, hex ? 16 : 10);
            if (!isxdigit((unsigned char) *digits))
                end = (char *) arg;
            if (end == arg || *end != '\0' || errno != 0)
            {
                gc_cli_usage_error("--seed: expected a non-negative integer, "
                                   "got '%s'", arg);
                return -1;
            }
            return 1;
        }
        case GC_OPT_A0:
            o->a0 = arg;
            return 1;
        case GC_OPT_Y:
            o->y = arg;
            return 1;
        case GC_OPT_SAVE_NETWORK:
            o->save = arg;
            return 1;
        case GC_OPT_DIGITS:
            /* a million digits need 3.3 million bits, beyond the default
               --max-prec already: more would only burn time and memory */
            return gc_cli_parse_slong(&o->digits, arg, "--digits", 1,
                                      1000000) ? 1 : -1;
        case GC_OPT_FORMAT:
            if (gc_report_format_set_str(&o->format, arg) == GC_SUCCESS)
                return 1;
            gc_cli_name_error("--format", "format", arg,
                              gc_report_format_names());
            return -1;
        case 'o':
            o->output = arg;
            return 1;
        default:
            return 0;
    }
}

/* Reads the network file *name* ("-": stdin) into *net*. */
static int
gc_netopts_read(gc_net_t net, const char * name)
{
    FILE * f;
    gc_parse_error_t err;
    int status;
    int is_stdin = strcmp(name, "-") == 0;

    f = is_stdin ? stdin : fopen(name, "r");
    if (f == NULL)
    {
        gc_cli_error("%s: %s", name, strerror(errno));
        return GC_EXIT_USAGE;
    }
    status = gc_net_read(net, f, err);
    if (ferror(f))
    {
        gc_cli_error("%s: read error", name);
        status |= GC_INVALID;
        err->line = 0;
        err->msg[0] = '\0';
    }
    if (!is_stdin)
        fclose(f);
    if (status != GC_SUCCESS)
    {
        if (err->line > 0)
            gc_cli_error("%s:%ld: %s", name, (long) err->line, err->msg);
        else if (err->msg[0] != '\0')
            gc_cli_error("%s: %s", name, err->msg);
        return GC_EXIT_USAGE;
    }
    /* the keywords are read, but only this pair is evaluated */
    if (net->act != GC_ACT_SIGMOID || net->cost != GC_COST_QUADRATIC)
    {
        gc_cli_error("%s: this version evaluates 'act sigmoid' with 'cost "
                     "quadratic' only, got 'act %s' with 'cost %s'", name,
                     gc_act_name(net->act), gc_cost_name(net->cost));
        return GC_EXIT_USAGE;
    }
    return GC_EXIT_OK;
}

/* Sets *q* from the option text *arg* of option *opt*. */
static int
gc_netopts_set_q(mpq_t q, const char * arg, const char * opt)
{
    gc_parse_error_t err;

    if (gc_q_set_str(q, arg, err) != GC_SUCCESS)
        return gc_cli_usage_error("%s: %s", opt, err->msg);
    return GC_EXIT_OK;
}

/* Returns 1 if the outputs *a* and *b* (NULL or "-": standard output)
   are the same file, which one of them would overwrite. */
static int
gc_same_output(const char * a, const char * b)
{
    struct stat sa, sb;
    int a_out = a == NULL || strcmp(a, "-") == 0;
    int b_out = b == NULL || strcmp(b, "-") == 0;

    if (a_out || b_out)
        return a_out && b_out;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev
               && sa.st_ino == sb.st_ino;
    return strcmp(a, b) == 0;
}

static int
gc_netopts_write_net(FILE * f, const void * net)
{
    return gc_net_write(f, (gc_net_srcptr) net);
}

int
gc_netopts_load(gc_net_t net, gc_netopts_struct * o, int nargs,
                char ** args)
{
    int rc = GC_EXIT_OK;

    if (nargs > 1)
        return gc_cli_usage_error("extra operand '%s'", args[1]);
    if (nargs == 1)
        o->file = args[0];
    if (o->file != NULL && o->random)
        return gc_cli_usage_error("give a network file or --random, not both");
    if (o->file == NULL && !o->random)
        return gc_cli_usage_error("missing network: give a file, '-' or "
                                  "--random normal:MU,SD --layers L");
    if (o->random && o->layers == 0)
        return gc_cli_usage_error("--random needs --layers L");
    if (!o->random && o->layers != 0)
        return gc_cli_usage_error("--layers is for --random networks; a file "
                                  "gives its own length");
    if (o->save != NULL && gc_same_output(o->save, o->output))
        return gc_cli_usage_error("--save-network and the output are the "
                                  "same file '%s'", o->save);

    if (o->random)
        gc_net_set_random(net, &o->normal, o->layers);
    else
        rc = gc_netopts_read(net, o->file);

    if (rc == GC_EXIT_OK && o->a0 != NULL)
        rc = gc_netopts_set_q(net->a0, o->a0, "--a0");
    if (rc == GC_EXIT_OK && o->y != NULL)
        rc = gc_netopts_set_q(net->y, o->y, "--y");
    return rc;
}

int
gc_netopts_emit(const gc_netopts_struct * o, const gc_net_struct * net,
                gc_cli_writer_t write, const void * ctx)
{
    const char * paths[2] = {o->output, o->save};
    const gc_cli_writer_t writers[2] = {write, gc_netopts_write_net};
    const void * ctxs[2] = {ctx, net};

    return gc_cli_emit_all(o->save != NULL ? 2 : 1, paths, writers, ctxs);
}
