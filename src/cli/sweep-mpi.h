/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* sweep-mpi.h -- 'gradchain sweep' in pieces (sweep-mpi.c): shared among
   the ranks of an MPI job (mpirun -np K, srun) when built with
   --with-mpi, and resumable from a checkpoint file (--checkpoint), with
   or without MPI.  Every MPI call of gradchain is in sweep-mpi.c. */

#ifndef GC_SWEEP_MPI_H
#define GC_SWEEP_MPI_H

#include "config.h"

#include "sweepopts.h"

/* The seconds between two writes of the checkpoint file, at least: it is
   written at the end of the first round after them, and when the sweep
   ends, is stopped or fails. */
#define GC_SWEEP_CHECKPOINT_INTERVAL 60

/* The --help lines of --checkpoint. */
#define GC_SWEEP_CHECKPOINT_HELP                                            \
    "      --checkpoint FILE      record the completed networks in FILE\n" \
    "                             (a temporary file renamed over it),\n"  \
    "                             after a round once 60 s have passed\n"  \
    "                             since the last write, and when the\n"   \
    "                             sweep ends or stops (SIGTERM too, as\n" \
    "                             ^C); continue from FILE if it exists;\n" \
    "                             a FILE of other arguments than these\n" \
    "                             is refused (exit 2); --samples,\n"      \
    "                             --threads and the outputs may differ\n"

#ifdef HAVE_MPI
#define GC_SWEEP_MPI_BUILT "This gradchain is built with MPI.\n"
#else
#define GC_SWEEP_MPI_BUILT                                                  \
    "This gradchain is built without MPI (configure --with-mpi).\n"
#endif

/* The --help paragraph on MPI. */
#define GC_SWEEP_MPI_HELP                                                   \
    "Under MPI ('mpirun -np K gradchain sweep ...', or srun), the networks\n" \
    "go in rounds, a chunk of 32 per thread of rank 0 to each rank (chunk r\n" \
    "of a round to rank r; the last rounds share what is left evenly), each\n" \
    "rank on its --threads; rank 0 gathers the records after each round,\n" \
    "shows the progress (of the rounds done and of its own chunk), writes\n" \
    "the checkpoint and every output, which are byte for byte those of one\n" \
    "process.  ^C or SIGTERM on the ranks (as a scheduler sends it) stops\n" \
    "them after their networks in flight; a network an engine cannot\n"     \
    "evaluate stops them all and rank 0 names the rank and the network,\n"  \
    "writing nothing (exit 1).\n"                                           \
    GC_SWEEP_MPI_BUILT

/* Runs the sweep *spec* of networks like the chain *net*, or like the
   wide network *wide* unless it is NULL, into *s* (initialised) as
   gc_sweepopts_run (gc_sweepopts_run_wide) does, and sets *writes* to 1
   if this process writes the reports.  Alone (not started by MPI) and
   without a *checkpoint* file (NULL), it is that function.  Otherwise the networks go in
   chunks to the ranks (one rank without MPI), rank 0 gathers them in
   *s*, reading and writing the *checkpoint* file (unless NULL); ^C and
   SIGTERM stop the run.  Returns an exit code: on rank 0, GC_EXIT_OK
   also when stopped (s->completed then says how far), after a message
   otherwise; on the other ranks (writes 0, nothing printed) the exit
   code rank 0 ends with, but GC_EXIT_OK when stopped (mpirun would end
   rank 0 while it writes the partial report). */
int gc_sweep_mpi_run(gc_sweep_t s, const gc_sweep_spec_struct * spec,
                     gc_sweepopts_struct * o, const gc_net_struct * net,
                     const gc_wnet_struct * wide, const char * checkpoint,
                     int * writes);

#endif /* GC_SWEEP_MPI_H */
