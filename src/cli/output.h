/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* output.h -- what the commands write and how (output.c). */

#ifndef GC_OUTPUT_H
#define GC_OUTPUT_H

#include "cli.h"

/* Writes the output of a command: *write* is called with the stream and
   *ctx* and returns GC_SUCCESS, or GC_INVALID after a write error.
   *output* NULL or "-" is standard output (whose final flush main()
   checks); any other path is written all-or-nothing: the text goes to a
   temporary file beside it, renamed over it only when everything was
   written, so a failed run leaves no partial file.  A symbolic link is
   followed (a dangling one too): its target is replaced.  A file that
   open() could not write (read-only) is refused.  Returns an exit
   code. */
typedef int (*gc_cli_writer_t)(FILE * f, const void * ctx);
int gc_cli_emit(const char * output, gc_cli_writer_t write, const void * ctx);

/* As gc_cli_emit, and writes the file *path2* (if not NULL) by *write2*
   from *ctx2*, both or neither. */
int gc_cli_emit_pair(const char * output, gc_cli_writer_t write,
                     const void * ctx, const char * path2,
                     gc_cli_writer_t write2, const void * ctx2);

/* Returns the errno of the first failed write to standard output by
   gc_cli_emit and its kin (0: none), for main() to say why when it
   reports the write error. */
int gc_cli_stdout_errno(void);

/* As gc_cli_emit, and writes *net* to the file *save* (--save-network)
   unless it is NULL: both files are written, or neither. */
int gc_cli_emit_net(const char * output, gc_cli_writer_t write,
                    const void * ctx, const char * save, const gc_net_t net);

/* Returns 1 if the outputs *a* and *b* (NULL or "-": standard output)
   are the same file, which one of them would overwrite, also when they
   do not exist yet (the same name once symbolic links are followed);
   0 otherwise. */
int gc_cli_same_output(const char * a, const char * b);

/* Makes SIGHUP, SIGINT and SIGTERM (unless ignored) remove the
   temporary files of gc_cli_emit before they end the program as they
   would have. */
void gc_cli_catch_signals(void);

/* Removes the temporary files of gc_cli_emit being written, which are
   lost; async-signal-safe, for a program about to die. */
void gc_cli_remove_temps(void);

/* Returns the proven digits of the ball *x* (at most *digits*, as
   gc_arb_get_str_digits gives them), or "?" when it proves none; adds 1 to
   *uncertain* (unless NULL) when fewer than *digits* are proven.  Free
   with flint_free. */
char * gc_cli_ball_str(const arb_t x, slong digits, slong * uncertain);

/* Adds the metadata "widths" (n_0,...,n_L) and "activations" of the
   wide network *net*: the one name every layer has, or the names of
   layers 1..L separated by commas (eval and compare). */
void gc_cli_meta_wide(gc_report_t r, const gc_wnet_struct * net);

#endif /* GC_OUTPUT_H */
