/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* diag.c -- how the program reads its command line and reports what is
   wrong with it: diagnostics in the "gradchain: ..." format, the option
   loop every command shares, and parsers of option arguments. */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "cli.h"

/* The command being run, for the --help hint; NULL before one is chosen. */
static const char * cli_command = NULL;

void
gc_cli_set_command(const char * name)
{
    cli_command = name;
}

static void
cli_verror(const char * fmt, va_list ap)
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
    cli_verror(fmt, ap);
    va_end(ap);
}

int
gc_cli_usage_error(const char * fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cli_verror(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'gradchain%s%s --help' for more information.\n",
            cli_command != NULL ? " " : "",
            cli_command != NULL ? cli_command : "");
    return GC_EXIT_USAGE;
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

    if (gc_param_set_str(p, arg, len, err) != GC_SUCCESS)
        return gc_cli_parse_error(opt, err);
    return GC_EXIT_OK;
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
        return gc_cli_usage_error("%s: expected an integer from %ld to %ld, "
                                  "got '%s'", opt, (long) lo, (long) hi, arg);
    *res = (slong) v;
    return GC_EXIT_OK;
}

int
gc_cli_getopt(int argc, char ** argv, const struct option * longopts,
              const gc_cli_opts_struct * c, int * rc)
{
    int opt, handled;

    opterr = 0; /* diagnostics are ours, in our format */
    while (*rc == GC_EXIT_OK
           && (opt = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1)
    {
        if (opt == ':' || opt == '?')
            *rc = gc_cli_usage_error("%s: %s '%s'", argv[0],
                                     opt == ':' ? "missing argument to"
                                                : "unrecognized option",
                                     argv[optind - 1]);
        else if (opt == GC_OPT_HELP)
        {
            fputs(c->help, stdout);
            fputs(c->shared_help, stdout);
            return GC_CLI_STOP;
        }
        else
        {
            *rc = c->shared(c->ctx, &handled, opt, optarg);
            if (*rc == GC_EXIT_OK && !handled)
                return opt;
        }
    }
    return *rc == GC_EXIT_OK ? GC_CLI_END : GC_CLI_STOP;
}
