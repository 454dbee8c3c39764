/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* output.c -- what the commands write and how: the all-or-nothing output
   files (gc_cli_emit), the pairing of an output with the --save-network
   file, and the digits of a ball as the reports print them. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

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

/* Opens *path* ("-" or NULL: stdout).  Returns an exit code. */
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
        return GC_EXIT_OK;

    out->path = path;
    exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
    {
        /* /dev/null, /dev/stdout, a fifo: never rename over them */
        if ((out->f = fopen(path, "w")) != NULL)
            return GC_EXIT_OK;
        gc_cli_error("%s: %s", path, strerror(errno));
        return GC_EXIT_USAGE;
    }
    /* through a symbolic link, replace the file it points to */
    out->target = exists ? realpath(path, NULL) : strdup(path);
    n = out->target == NULL ? 0 : strlen(out->target) + sizeof(".tmpXXXXXX");
    if (n == 0 || (out->tmp = malloc(n)) == NULL)
    {
        gc_cli_error("%s: %s", path, strerror(errno));
        free(out->target);
        out->f = NULL;
        return GC_EXIT_USAGE;
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
        return GC_EXIT_USAGE;
    }
    return GC_EXIT_OK;
}

/* Finishes *out*: when *rc* (the exit code so far) is GC_EXIT_OK,
   commits it (rename), else discards the temporary file.  Returns the
   exit code after that, reporting a write error. */
static int
gc_out_close(gc_out_struct * out, int rc)
{
    if (out->f == NULL)
        return GC_EXIT_USAGE;
    if (out->path == NULL)
    {
        /* stdout: its final flush and close are checked in main() */
        out->f = NULL;
        return rc;
    }
    if (fclose(out->f) != 0)
    {
        if (rc == GC_EXIT_OK)
            gc_cli_error("%s: write error: %s", out->path, strerror(errno));
        rc = GC_EXIT_USAGE;
    }
    if (out->tmp != NULL)
    {
        if (rc == GC_EXIT_OK && rename(out->tmp, out->target) != 0)
        {
            gc_cli_error("%s: %s", out->path, strerror(errno));
            rc = GC_EXIT_USAGE;
        }
        if (rc != GC_EXIT_OK)
            remove(out->tmp);
    }
    free(out->tmp);
    free(out->target);
    out->tmp = NULL;
    out->target = NULL;
    out->f = NULL;
    return rc;
}

/* Writes the *n* (at most 2) outputs: paths[i] by write[i] from ctx[i],
   all or nothing: each file is committed only when every output was
   written and flushed.  Returns an exit code. */
static int
gc_cli_emit_all(int n, const char * const * paths,
                const gc_cli_writer_t * write, const void * const * ctx)
{
    gc_out_struct out[2];
    int i, opened, rc = GC_EXIT_OK;

    for (opened = 0; opened < n && rc == GC_EXIT_OK; opened++)
        rc = gc_out_open(out + opened, paths[opened]);
    for (i = 0; i < opened && rc == GC_EXIT_OK; i++)
    {
        if (write[i](out[i].f, ctx[i]) != GC_SUCCESS
            || fflush(out[i].f) != 0 || ferror(out[i].f))
        {
            rc = GC_EXIT_USAGE;
            /* on standard output main() reports it when it flushes */
            if (out[i].path != NULL)
                gc_cli_error("%s: write error", out[i].path);
        }
    }
    for (i = 0; i < opened; i++)
        rc = gc_out_close(out + i, rc);
    return rc;
}

int
gc_cli_emit(const char * output, gc_cli_writer_t write, const void * ctx)
{
    return gc_cli_emit_all(1, &output, &write, &ctx);
}

static int
gc_cli_write_net(FILE * f, const void * net)
{
    return gc_net_write(f, (gc_net_srcptr) net);
}

int
gc_cli_emit_net(const char * output, gc_cli_writer_t write,
                const void * ctx, const char * save, const gc_net_t net)
{
    const char * paths[2] = {output, save};
    const gc_cli_writer_t writers[2] = {write, gc_cli_write_net};
    const void * ctxs[2] = {ctx, net};

    return gc_cli_emit_all(save != NULL ? 2 : 1, paths, writers, ctxs);
}

int
gc_cli_same_output(const char * a, const char * b)
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
