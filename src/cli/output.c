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
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* ---- the temporary files, and their removal on a signal ---------------- */

/* The temporary files being written (one per output, at most 2), for
   gc_cli_remove_temps, which a signal handler may call at any time: so
   their names are in static storage, fixed before the slot is marked in
   use, and a slot is taken and given back (mkstemp, rename) with those
   signals blocked. */
#define GC_TEMP_SLOTS 2
static const int gc_temp_signals[] = {SIGHUP, SIGINT, SIGTERM};
static char gc_temp_path[GC_TEMP_SLOTS][PATH_MAX];
static volatile sig_atomic_t gc_temp_used[GC_TEMP_SLOTS];

void
gc_cli_remove_temps(void)
{
    int i;

    for (i = 0; i < GC_TEMP_SLOTS; i++)
        if (gc_temp_used[i])
        {
            unlink(gc_temp_path[i]);
            gc_temp_used[i] = 0;
        }
}

static void
temp_block(int how)
{
    sigset_t set;
    size_t i;

    sigemptyset(&set);
    for (i = 0; i < sizeof gc_temp_signals / sizeof *gc_temp_signals; i++)
        sigaddset(&set, gc_temp_signals[i]);
    sigprocmask(how, &set, NULL);
}

/* Removes the temporary files, then dies of *sig* (SA_RESETHAND has
   restored its default action), so the exit status stays 128 + sig. */
static void
temp_on_signal(int sig)
{
    sigset_t set;

    gc_cli_remove_temps();
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

void
gc_cli_catch_signals(void)
{
    struct sigaction sa, old;
    size_t i;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = temp_on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof gc_temp_signals / sizeof *gc_temp_signals; i++)
        sigaddset(&sa.sa_mask, gc_temp_signals[i]);
    for (i = 0; i < sizeof gc_temp_signals / sizeof *gc_temp_signals; i++)
        /* an ignored signal (nohup, a background job) stays ignored */
        if (sigaction(gc_temp_signals[i], NULL, &old) == 0
            && old.sa_handler != SIG_IGN)
            sigaction(gc_temp_signals[i], &sa, NULL);
}

/* Creates the temporary file "TARGET.tmpXXXXXX" in a free slot.  Returns
   its descriptor and slot in *slot*, or -1 with errno set. */
static int
temp_create(int * slot, const char * target)
{
    int fd;

    for (*slot = 0; *slot < GC_TEMP_SLOTS; (*slot)++)
        if (!gc_temp_used[*slot])
            break;
    if (*slot == GC_TEMP_SLOTS)
        gc_throw("temp_create: more than %d output files", GC_TEMP_SLOTS);
    if (snprintf(gc_temp_path[*slot], PATH_MAX, "%s.tmpXXXXXX", target)
        >= PATH_MAX)
    {
        errno = ENAMETOOLONG;
        return -1;
    }
    temp_block(SIG_BLOCK);
    fd = mkstemp(gc_temp_path[*slot]);
    gc_temp_used[*slot] = fd >= 0;
    temp_block(SIG_UNBLOCK);
    return fd;
}

/* Gives back the temporary file of *slot*: renames it to *target* if that
   is not NULL, else (or if the rename fails) removes it.  Returns 0, or
   -1 with errno set by rename. */
static int
temp_release(int slot, const char * target)
{
    int res = 0, err = 0;

    temp_block(SIG_BLOCK);
    if (target != NULL && (res = rename(gc_temp_path[slot], target)) != 0)
        err = errno;
    if (target == NULL || res != 0)
        unlink(gc_temp_path[slot]);
    gc_temp_used[slot] = 0;
    temp_block(SIG_UNBLOCK);
    errno = err;
    return res;
}

/* ---- output files -------------------------------------------------------- */

/* Returns *dir* (its first *len* characters) and *name* joined by a '/'
   (malloc'd), or NULL. */
static char *
path_join(const char * dir, size_t len, const char * name)
{
    size_t n = strlen(name);
    char * s = malloc(len + n + 2);

    if (s != NULL)
    {
        memcpy(s, dir, len);
        if (len == 0 || dir[len - 1] != '/')
            s[len++] = '/';
        memcpy(s + len, name, n + 1);
    }
    return s;
}

/* Returns the file that opening *path* for writing would create or
   replace (malloc'd): its absolute name without symbolic links, found by
   following the links of *path*, a dangling one too, as open() does.
   Returns NULL with errno set (as open() would set it) if there is none:
   the directory does not exist, too many links. */
static char *
out_resolve(const char * path)
{
    char link[PATH_MAX], * p, * dir, * res;
    const char * slash;
    struct stat st;
    ssize_t len;
    int hops;

    p = strdup(path);
    for (hops = 0; p != NULL && lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
         hops++)
    {
        if (hops == 40)
        {
            errno = ELOOP;
            len = -1;
        }
        else
            len = readlink(p, link, sizeof link - 1);
        if (len < 0)
        {
            free(p);
            return NULL;
        }
        link[len] = '\0';
        /* a relative link is relative to the directory holding it */
        slash = strrchr(p, '/');
        res = link[0] == '/' || slash == NULL
                  ? strdup(link)
                  : path_join(p, (size_t) (slash - p), link);
        free(p);
        p = res;
    }
    if (p == NULL || stat(p, &st) == 0)
    {
        /* it exists (a directory too: "." or "dir/") */
        res = p == NULL ? NULL : realpath(p, NULL);
        free(p);
        return res;
    }
    /* a new file: the real directory, and the name */
    slash = strrchr(p, '/');
    if (slash == NULL)
        dir = realpath(".", NULL);
    else if (slash == p)
        dir = realpath("/", NULL);
    else
    {
        p[slash - p] = '\0';
        dir = realpath(p, NULL);
    }
    res = dir == NULL ? NULL
                      : path_join(dir, strlen(dir),
                                     slash == NULL ? p : slash + 1);
    free(dir);
    free(p);
    return res;
}

/* An output: standard output (path NULL), a file that is not a regular
   file written in place (tmp -1: a device, a pipe), or a temporary file
   (in slot *tmp*) renamed to *target* when closed successfully. */
typedef struct
{
    const char * path;
    char * target;
    int tmp;
    FILE * f;
} gc_out_struct;

/* Reports the error *err* about *out* and returns GC_EXIT_USAGE. */
static int
out_error(const gc_out_struct * out, int err)
{
    gc_cli_error("%s: %s", out->path, strerror(err));
    return GC_EXIT_USAGE;
}

/* Returns 0 if open() can write the existing file *path*, else -1 with
   errno set (EACCES for a read-only file, ETXTBSY, ...). */
static int
out_writable(const char * path)
{
    int fd = open(path, O_WRONLY | O_NOCTTY);

    return fd < 0 ? -1 : close(fd);
}

/* Opens *path* ("-" or NULL: stdout) for writing, refusing what open()
   would refuse.  Returns an exit code. */
static int
out_open(gc_out_struct * out, const char * path)
{
    struct stat st;
    int fd = -1, exists, err = 0;
    mode_t mode;

    out->path = NULL;
    out->target = NULL;
    out->tmp = -1;
    out->f = stdout;
    if (path == NULL || strcmp(path, "-") == 0)
        return GC_EXIT_OK;
    if (path[0] == '\0')
        return gc_cli_usage_error("an output file name is empty");

    out->path = path;
    out->f = NULL;
    exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
    {
        /* /dev/null, /dev/stdout, a fifo: never rename over them */
        if ((out->f = fopen(path, "w")) != NULL)
            return GC_EXIT_OK;
        return out_error(out, errno);
    }
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
    /* through a symbolic link, replace the file it points to; a file
       that open() could not write (read-only) is not replaced either */
    if ((out->target = out_resolve(path)) == NULL
        || (exists && out_writable(out->target) != 0)
        || (fd = temp_create(&out->tmp, out->target)) < 0
        || fchmod(fd, mode) != 0 || (out->f = fdopen(fd, "w")) == NULL)
    {
        err = errno;
        if (fd >= 0)
        {
            close(fd);
            temp_release(out->tmp, NULL);
        }
        free(out->target);
        out->target = NULL;
        out->tmp = -1;
        return out_error(out, err);
    }
    return GC_EXIT_OK;
}

/* Finishes *out*: when *rc* (the exit code so far) is GC_EXIT_OK,
   commits it (rename), else discards the temporary file.  Returns the
   exit code after that, reporting a write error. */
static int
out_close(gc_out_struct * out, int rc)
{
    int err = 0;

    if (out->f == NULL)
        return GC_EXIT_USAGE;
    if (out->path == NULL)
    {
        /* stdout: its final flush and close are checked in main() */
        out->f = NULL;
        return rc;
    }
    /* a temporary file reaches the disk before it replaces the target, so
       that a crash leaves the old file or the new one, never an empty
       one; the first error is the one reported */
    if (out->tmp >= 0 && rc == GC_EXIT_OK && fsync(fileno(out->f)) != 0)
        err = errno;
    if (fclose(out->f) != 0 && err == 0)
        err = errno;
    if (err != 0)
    {
        if (rc == GC_EXIT_OK)
            gc_cli_error("%s: write error: %s", out->path, strerror(err));
        rc = GC_EXIT_USAGE;
    }
    if (out->tmp >= 0
        && temp_release(out->tmp, rc == GC_EXIT_OK ? out->target : NULL)
               != 0)
        rc = out_error(out, errno);
    free(out->target);
    out->target = NULL;
    out->tmp = -1;
    out->f = NULL;
    return rc;
}

/* The errno of the first failed write to standard output. */
static int cli_stdout_errno = 0;

int
gc_cli_stdout_errno(void)
{
    return cli_stdout_errno;
}

/* Writes the *n* (at most 2) outputs: paths[i] by write[i] from ctx[i],
   all or nothing: each file is committed only when every output was
   written and flushed.  Returns an exit code. */
static int
cli_emit_all(int n, const char * const * paths,
                const gc_cli_writer_t * write, const void * const * ctx)
{
    gc_out_struct out[2];
    int i, opened, rc = GC_EXIT_OK;

    for (opened = 0; opened < n && rc == GC_EXIT_OK; opened++)
        rc = out_open(out + opened, paths[opened]);
    for (i = 0; i < opened && rc == GC_EXIT_OK; i++)
    {
        /* errno becomes that of the failing fwrite or fflush */
        errno = 0;
        if (write[i](out[i].f, ctx[i]) != GC_SUCCESS
            || fflush(out[i].f) != 0 || ferror(out[i].f))
        {
            rc = GC_EXIT_USAGE;
            /* on standard output main() reports it when it flushes:
               keep the reason, which later calls overwrite */
            if (out[i].path != NULL)
                gc_cli_error("%s: write error: %s", out[i].path,
                             strerror(errno != 0 ? errno : EIO));
            else if (cli_stdout_errno == 0)
                cli_stdout_errno = errno != 0 ? errno : EIO;
        }
    }
    for (i = 0; i < opened; i++)
        rc = out_close(out + i, rc);
    return rc;
}

int
gc_cli_emit(const char * output, gc_cli_writer_t write, const void * ctx)
{
    return cli_emit_all(1, &output, &write, &ctx);
}

int
gc_cli_emit_pair(const char * output, gc_cli_writer_t write,
                 const void * ctx, const char * path2,
                 gc_cli_writer_t write2, const void * ctx2)
{
    const char * paths[2] = {output, path2};
    const gc_cli_writer_t writers[2] = {write, write2};
    const void * ctxs[2] = {ctx, ctx2};

    return cli_emit_all(path2 != NULL ? 2 : 1, paths, writers, ctxs);
}

static int
cli_write_net(FILE * f, const void * net)
{
    return gc_net_write(f, (gc_net_srcptr) net);
}

int
gc_cli_emit_net(const char * output, gc_cli_writer_t write,
                const void * ctx, const char * save, const gc_net_t net)
{
    const char * paths[2] = {output, save};
    const gc_cli_writer_t writers[2] = {write, cli_write_net};
    const void * ctxs[2] = {ctx, net};

    return cli_emit_all(save != NULL ? 2 : 1, paths, writers, ctxs);
}

int
gc_cli_same_output(const char * a, const char * b)
{
    struct stat sa, sb;
    char * ra, * rb;
    int a_out = a == NULL || strcmp(a, "-") == 0;
    int b_out = b == NULL || strcmp(b, "-") == 0;
    int same;

    if (a_out || b_out)
        return a_out && b_out;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev
               && sa.st_ino == sb.st_ino;
    /* one is new (or neither): the same name once the links of both are
       followed, "same.txt" and "./same.txt", "dir/x" and "link-to-dir/x" */
    ra = out_resolve(a);
    rb = out_resolve(b);
    same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
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

void
gc_cli_meta_wide(gc_report_t r, const gc_wnet_struct * net)
{
    char * s = flint_malloc(48 * (net->len + 1) + 1);
    char * act;
    size_t len = 0;
    slong l, k, same = 1;

    /* n_0, n_1, ..., n_L, a run of three or more equal widths as NxK
       (K times N): the line stays short at any depth */
    for (l = 0; l <= net->len; l = k)
    {
        for (k = l + 1; k <= net->len && net->width[k] == net->width[l]; k++)
            ;
        if (k - l < 3)
            k = l + 1;
        len += sprintf(s + len, l > 0 ? ",%ld" : "%ld",
                       (long) net->width[l]);
        if (k - l >= 3)
            len += sprintf(s + len, "x%ld", (long) (k - l));
    }
    gc_report_meta(r, "widths", s);
    len = 0;
    s[0] = '\0';
    for (l = 2; l <= net->len; l++)
        same &= gc_activation_equal(net->act + l - 1, net->act);
    for (l = 1; l <= (same ? 1 : net->len); l++)
    {
        act = gc_activation_get_str(net->act + l - 1);
        s = flint_realloc(s, len + strlen(act) + 2);
        len += sprintf(s + len, l > 1 ? ",%s" : "%s", act);
        flint_free(act);
    }
    gc_report_meta(r, "activations", s);
    flint_free(s);
}
