/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* sweep-mpi.c -- 'gradchain sweep' in chunks: among the ranks of an MPI
   job, and resumable from a checkpoint file (sweep-mpi.h).

   The networks from the first one not yet done (0, or the checkpoint's)
   go in rounds: round t gives chunk r, networks next + r C .. next +
   (r + 1) C - 1, to rank r (C networks a chunk, the same on every rank).
   Each rank runs its chunk as a sweep of its own (the sweep of the same
   spec with the seed shifted to the chunk's first network: the library's
   'sweeps in pieces'), packs the records of the networks it completed
   and sends them to rank 0, which puts them in the whole sweep, writes
   the checkpoint when it is due and broadcasts whether the run goes on.
   Only the main thread of a process calls MPI (MPI_THREAD_FUNNELED); the
   library's threads never do. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_MPI
#include <mpi.h>
#endif

#include "sweep-mpi.h"

/* The networks of a chunk per thread of a rank: enough that the threads'
   idle tail at the end of a chunk and the round's exchange cost little. */
#define PIECE_PER_THREAD 32

/* The first line of a checkpoint file. */
#define PIECE_MAGIC "gradchain sweep checkpoint 1\n"

/* The words in front of a rank's records in its message of a round. */
enum
{
    PIECE_STATUS = 0, /* of its chunk's sweep */
    PIECE_FAILED,     /* the first network an engine failed on, or -1 */
    PIECE_DONE,       /* the networks of its chunk completed, the first */
    PIECE_STOPPED,    /* 1 if ^C or SIGTERM stopped it */
    PIECE_WORDS
};

/* What rank 0 decides after a round (the verdict's first word). */
enum
{
    PIECE_GO = 0,
    PIECE_STOP,       /* stopped: write the partial report */
    PIECE_FAIL,       /* an engine failed: verdict[1] network, [2] rank,
                         [3] status */
    PIECE_SAVE_FAIL,  /* the checkpoint could not be written */
    PIECE_VERDICT = 4
};

typedef struct
{
    int rank;
    int size;
    int mpi;                         /* MPI_Init was called */
    const gc_sweep_spec_struct * spec;
    gc_sweepopts_struct * o;
    slong chunk;                     /* the most networks of a chunk */
    slong round;                     /* those of this round's chunks */
    gc_cli_progress_struct pr;
    slong base;                      /* networks done before the round */
    const char * checkpoint;
    double saved_at;
} piece_struct;

/* The progress callback of the chunks' runs: on rank 0, the networks of
   the rounds gathered and those of its own chunk. */
static void
piece_progress(void * arg, slong done, slong total)
{
    piece_struct * p = arg;

    (void) total;
    gc_cli_progress(&p->pr, p->base + done, p->spec->samples);
}

static double
piece_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* ---- MPI ------------------------------------------------------------------ */

/* Returns the number of processes of the job that started this one, as
   Open MPI (mpirun), Slurm (srun) or a PMI launcher say it; 0 when none
   did. */
static long
piece_launched(void)
{
    static const char * const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                        "PMIX_RANK"};
    size_t t;

    for (t = 0; t < sizeof vars / sizeof vars[0]; t++)
    {
        const char * v = getenv(vars[t]);

        if (v != NULL)
            return t == 2 ? 1 : FLINT_MAX(atol(v), 1);
    }
    return 0;
}

/* Sets the rank and size of *p*, starting MPI when an MPI launcher
   started this process.  Returns an exit code (a build without MPI
   started as one of several processes is refused). */
static int
piece_init(piece_struct * p)
{
    long launched = piece_launched();

    p->rank = 0;
    p->size = 1;
    p->mpi = 0;
#ifdef HAVE_MPI
    if (launched > 0)
    {
        int provided;

        MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &p->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &p->size);
        p->mpi = 1;
    }
#else
    if (launched > 1)
    {
        gc_cli_error("sweep: started as one of %ld MPI processes, but "
                     "this gradchain is built without MPI (configure "
                     "--with-mpi)", launched);
        return GC_EXIT_USAGE;
    }
#endif
    return GC_EXIT_OK;
}

static void
piece_finalize(piece_struct * p)
{
#ifdef HAVE_MPI
    if (p->mpi)
        MPI_Finalize();
#endif
    p->mpi = 0;
}

/* Broadcasts v[0 .. n) from rank 0. */
static void
piece_bcast(const piece_struct * p, slong * v, int n)
{
#ifdef HAVE_MPI
    if (p->mpi)
        MPI_Bcast(v, n * (int) sizeof(slong), MPI_BYTE, 0, MPI_COMM_WORLD);
#else
    (void) p;
    (void) v;
    (void) n;
#endif
}

/* Gathers every rank's message msg[0 .. len) on rank 0: returns there
   (to be freed) the messages one after the other, rank 0's first, and
   their lengths in lens[0 .. size); returns NULL on the other ranks. */
static unsigned char *
piece_gather(const piece_struct * p, const unsigned char * msg, int len,
             int * lens)
{
    unsigned char * all = NULL;

#ifdef HAVE_MPI
    if (p->mpi)
    {
        int * displs = NULL, r, total = 0;

        MPI_Gather(&len, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
        if (p->rank == 0)
        {
            displs = flint_malloc(p->size * sizeof(int));
            for (r = 0; r < p->size; r++)
            {
                displs[r] = total;
                total += lens[r];
            }
            all = flint_malloc(FLINT_MAX(total, 1));
        }
        MPI_Gatherv(msg, len, MPI_BYTE, all, lens, displs, MPI_BYTE, 0,
                    MPI_COMM_WORLD);
        flint_free(displs);
        return all;
    }
#endif
    (void) p;
    lens[0] = len;
    all = flint_malloc(FLINT_MAX(len, 1));
    memcpy(all, msg, len);
    return all;
}

/* ---- the checkpoint file ---------------------------------------------------- */

/* Returns (malloc'd) the lines "KEY VALUE" that identify the records of
   the sweep *spec*, networks of *bytes* bytes, in a checkpoint: every
   parameter a network's records depend on (not --samples), and the
   machine's layout of them.  NULL when out of memory.  A field added to
   gc_sweep_spec_struct that changes the records needs its line here. */
/* Writes the line "KEY V1 V2 ..." of the *n* rationals *v* (NULL: the
   sweep's default, every one 1 for a0, 0 for y, written as "default"). */
static void
piece_vector(FILE * f, const char * key, mpq_srcptr v, slong n)
{
    slong k;

    fprintf(f, "%s", key);
    if (v == NULL)
        fprintf(f, " default");
    for (k = 0; v != NULL && k < n; k++)
        gmp_fprintf(f, " %Qd", v + k);
    fprintf(f, "\n");
}

static char *
piece_identity(const gc_sweep_spec_struct * spec, size_t bytes)
{
    const gc_random_struct * rnd = spec->random;
    gc_activation_t act;
    char * text = NULL, * str;
    size_t len = 0;
    FILE * f = open_memstream(&text, &len);
    slong t;
    unsigned one = 1;

    if (f == NULL)
        return NULL;
    str = gc_dist_get_str(&rnd->weights);
    fprintf(f, "weights %s\n", str);
    flint_free(str);
    str = gc_dist_get_str(&rnd->biases);
    fprintf(f, "biases %s\n", str);
    flint_free(str);
    fprintf(f, "fan_in_scale %s\nseed %lu\nlayers %ld\n",
            gc_fanin_name(rnd->fanin), (unsigned long) rnd->seed,
            (long) spec->layers);
    gc_activation_init(act);
    str = gc_activation_get_str(spec->act != NULL ? spec->act : act);
    fprintf(f, "act %s\n", str);
    flint_free(str);
    gc_activation_clear(act);
    /* the widths before a0 and y, whose lengths they give: a mismatch is
       named by its cause */
    if (spec->widths != NULL)
    {
        fprintf(f, "widths");
        for (t = 0; t <= spec->layers; t++)
            fprintf(f, "%s%ld", t ? "," : " ", (long) spec->widths[t]);
        fprintf(f, "\n");
    }
    piece_vector(f, "a0", spec->a0, spec->widths != NULL ? spec->widths[0]
                                                         : 1);
    piece_vector(f, "y", spec->y, spec->widths != NULL
                                      ? spec->widths[spec->layers] : 1);
    fprintf(f, "formats ");
    for (t = 0; t < spec->nfmts; t++)
        fprintf(f, "%s%s", t ? "," : "", spec->fmts[t].name);
    fprintf(f, "\nsequence %s\nloss_scales", gc_seq_name(spec->seq));
    for (t = 0; t < spec->nscales; t++)
        mpfr_fprintf(f, " %Ra", spec->scales + t);
    fprintf(f, "%s\nsr_seed %lu\ndepths", spec->scale_auto ? " auto" : "",
            (unsigned long) spec->sr_seed);
    for (t = 0; t < spec->ndepths; t++)
        fprintf(f, " %ld", (long) spec->depths[t]);
    fprintf(f, "\nratios");
    for (t = 0; t < spec->nratios; t++)
        fprintf(f, " b%ld:b%ld", (long) spec->ratios[2 * t].layer,
                (long) spec->ratios[2 * t + 1].layer);
    fprintf(f, "\nfactors %d\nrecords %zu bytes, word %zu, %s-endian\n",
            spec->factors != 0, bytes, sizeof(slong),
            *(unsigned char *) &one ? "little" : "big");
    if (fclose(f) != 0)
    {
        free(text);
        return NULL;
    }
    return text;
}

/* Returns the number of networks before the first one not done. */
static slong
piece_prefix(const gc_sweep_t s)
{
    slong c;

    for (c = 0; c < s->samples && s->done[c]; c++)
        ;
    return c;
}

/* Writes the completed prefix of *s* to the checkpoint file: a temporary
   file, synced, renamed over it.  Returns an exit code. */
static int
piece_save(piece_struct * p, const gc_sweep_t s)
{
    size_t bytes = gc_sweep_network_bytes(s);
    size_t n = strlen(p->checkpoint) + 5;
    char * tmp = flint_malloc(n);
    char * id = piece_identity(p->spec, bytes);
    unsigned char * buf = flint_malloc(FLINT_MAX(bytes, 1));
    slong i, c = piece_prefix(s);
    FILE * f;
    int ok;

    snprintf(tmp, n, "%s.tmp", p->checkpoint);
    f = id != NULL ? fopen(tmp, "wb") : NULL;
    ok = f != NULL;
    if (ok)
    {
        fprintf(f, "%s%snetworks %ld\n", PIECE_MAGIC, id, (long) c);
        for (i = 0; i < c; i++)
        {
            gc_sweep_pack(buf, s, i);
            fwrite(buf, 1, bytes, f);
        }
        ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
        ok = fclose(f) == 0 && ok && rename(tmp, p->checkpoint) == 0;
    }
    if (!ok)
    {
        gc_cli_error("sweep: --checkpoint %s: %s", p->checkpoint,
                     strerror(errno));
        remove(tmp);
    }
    p->saved_at = piece_now();
    free(id);
    flint_free(buf);
    flint_free(tmp);
    return ok ? GC_EXIT_OK : GC_EXIT_USAGE;
}

/* Reports the checkpoint file as unusable for *why* (a printf format
   with one string argument, or none); returns GC_EXIT_USAGE. */
static int
piece_refuse(const piece_struct * p, const char * why, const char * arg)
{
    char msg[512];

    snprintf(msg, sizeof msg, why, arg);
    gc_cli_error("sweep: --checkpoint %s: %s", p->checkpoint, msg);
    return GC_EXIT_USAGE;
}

/* Compares the identity lines of the file *f* with those of this run,
   *id*.  Returns an exit code (naming the first line that differs). */
static int
piece_check_identity(const piece_struct * p, FILE * f, char * id)
{
    char * line = NULL, * want, * next;
    size_t cap = 0;
    int rc = GC_EXIT_OK;

    for (want = id; rc == GC_EXIT_OK && *want != '\0'; want = next + 1)
    {
        char msg[512];

        next = strchr(want, '\n');
        *next = '\0';
        if (getline(&line, &cap, f) < 1)
            rc = piece_refuse(p, "truncated: no line '%s'", want);
        else
        {
            line[strcspn(line, "\n")] = '\0';
            if (strcmp(line, want) != 0)
            {
                snprintf(msg, sizeof msg, "made by a sweep with '%s', not "
                         "'%s' as this one", line, want);
                rc = piece_refuse(p, "%s", msg);
            }
        }
    }
    free(line);
    return rc;
}

/* Reads the checkpoint file into *s* (allocated for the spec) if it
   exists: its first networks, at most s->samples of them.  Returns an
   exit code. */
static int
piece_load(piece_struct * p, gc_sweep_t s)
{
    size_t bytes = gc_sweep_network_bytes(s);
    char * id = piece_identity(p->spec, bytes);
    char head[sizeof PIECE_MAGIC];
    unsigned char * buf;
    long c = -1;
    slong i;
    int rc;
    FILE * f = fopen(p->checkpoint, "rb");

    if (f == NULL || id == NULL)
    {
        rc = errno == ENOENT && id != NULL ? GC_EXIT_OK
                                           : piece_refuse(p, "%s",
                                                          strerror(errno));
        if (f != NULL)
            fclose(f);
        free(id);
        return rc;
    }
    if (fread(head, 1, sizeof head - 1, f) != sizeof head - 1
        || memcmp(head, PIECE_MAGIC, sizeof head - 1) != 0)
        rc = piece_refuse(p, "not a gradchain sweep checkpoint", "");
    else
        rc = piece_check_identity(p, f, id);
    if (rc == GC_EXIT_OK && (fscanf(f, "networks %ld", &c) != 1 || c < 0
                             || fgetc(f) != '\n'))
        rc = piece_refuse(p, "no valid 'networks' line", "");
    buf = flint_malloc(FLINT_MAX(bytes, 1));
    for (i = 0; rc == GC_EXIT_OK && i < FLINT_MIN(c, s->samples); i++)
    {
        if (fread(buf, 1, bytes, f) != bytes)
            rc = piece_refuse(p, "truncated", "");
        else
            gc_sweep_unpack(s, i, buf);
    }
    flint_free(buf);
    fclose(f);
    free(id);
    return rc;
}

/* ---- the rounds ------------------------------------------------------------- */

/* gc_sweep_run, with a fault for the tests: where GRADCHAIN_TEST_FAIL_SEED
   names the seed of one of the networks of *spec*, fails as an engine
   that cannot evaluate that network would (no engine of gradchain fails
   on one network of a sweep and not on the others today). */
static int
piece_sweep_run(gc_sweep_t t, const gc_sweep_spec_struct * spec,
                const gc_run_ctl_struct * ctl)
{
    const char * fail = getenv("GRADCHAIN_TEST_FAIL_SEED");
    int status = gc_sweep_run(t, spec, ctl);

    if (fail != NULL
        && strtoul(fail, NULL, 10) - spec->random->seed
               < (unsigned long) spec->samples)
        return status | GC_UNABLE;
    return status;
}

/* Runs the networks of *sub* (a chunk whose first network is *first*)
   one at a time until one fails: returns it and sets *status* to its
   status (the chunk's first network if none fails alone). */
static slong
piece_failed(const gc_sweep_spec_struct * sub, slong first, slong * status)
{
    gc_sweep_spec_struct one = *sub;
    gc_random_struct rnd = *sub->random;
    gc_sweep_t t;
    slong i;

    one.random = &rnd;
    one.samples = 1;
    gc_sweep_init(t);
    for (i = 0; i < sub->samples; i++)
    {
        int st;

        rnd.seed = sub->random->seed + (ulong) i;
        st = piece_sweep_run(t, &one, NULL);
        if (st != GC_SUCCESS)
        {
            *status = st;
            break;
        }
    }
    gc_sweep_clear(t);
    return i < sub->samples ? first + i : first;
}

/* Runs this rank's chunk of the round from network *next* and returns
   its message (to be freed; *len* bytes): the PIECE_WORDS header and the
   records of the networks completed. */
static unsigned char *
piece_chunk(const piece_struct * p, slong next, int * len)
{
    const gc_sweep_spec_struct * spec = p->spec;
    slong first = next + p->rank * p->round;
    slong count = FLINT_MAX(FLINT_MIN(p->round, spec->samples - first), 0);
    slong hdr[PIECE_WORDS] = {GC_SUCCESS, -1, 0, 0}, i;
    size_t bytes = 0;
    unsigned char * msg;
    gc_sweep_t t;

    gc_sweep_init(t);
    if (count > 0)
    {
        gc_sweep_spec_struct sub = *spec;
        gc_random_struct rnd = *spec->random;

        rnd.seed += (ulong) first;
        sub.random = &rnd;
        sub.samples = count;
        hdr[PIECE_STATUS] = piece_sweep_run(t, &sub, p->o->ctl);
        if (hdr[PIECE_STATUS] != GC_SUCCESS)
            hdr[PIECE_FAILED] = piece_failed(&sub, first,
                                             hdr + PIECE_STATUS);
        else
            hdr[PIECE_DONE] = t->completed;
        bytes = gc_sweep_network_bytes(t);
    }
    hdr[PIECE_STOPPED] = gc_cli_interrupted(NULL);
    *len = (int) (sizeof hdr + hdr[PIECE_DONE] * bytes);
    msg = flint_malloc(*len);
    memcpy(msg, hdr, sizeof hdr);
    for (i = 0; i < hdr[PIECE_DONE]; i++)
        gc_sweep_pack(msg + sizeof hdr + i * bytes, t, i);
    gc_sweep_clear(t);
    return msg;
}

/* On rank 0: puts the records of every rank's chunk of the round from
   network *next* (the messages *all*) in *s* and sets the verdict: the
   first failure in the order of the networks, else a stop. */
static void
piece_merge(const piece_struct * p, gc_sweep_t s, const unsigned char * all,
            slong next, slong * verdict)
{
    size_t bytes = gc_sweep_network_bytes(s);
    int r;

    for (r = 0; r < p->size; r++)
    {
        slong hdr[PIECE_WORDS], i, first = next + r * p->round;

        memcpy(hdr, all, sizeof hdr);
        all += sizeof hdr;
        for (i = 0; i < hdr[PIECE_DONE]; i++, all += bytes)
            gc_sweep_unpack(s, first + i, all);
        if (hdr[PIECE_STATUS] != GC_SUCCESS && verdict[0] != PIECE_FAIL)
        {
            verdict[0] = PIECE_FAIL;
            verdict[1] = hdr[PIECE_FAILED];
            verdict[2] = r;
            verdict[3] = hdr[PIECE_STATUS];
        }
        else if (hdr[PIECE_STOPPED] && verdict[0] == PIECE_GO)
            verdict[0] = PIECE_STOP;
    }
}

/* Runs the rounds from network *next* until every network is done or a
   rank stops or fails, setting verdict[] (PIECE_VERDICT words, the same
   on every rank). */
static void
piece_rounds(piece_struct * p, gc_sweep_t s, slong next, slong * verdict)
{
    slong n = p->spec->samples;
    int * lens = flint_malloc(p->size * sizeof(int));

    while (next < n && verdict[0] == PIECE_GO)
    {
        int len;
        unsigned char * msg, * all;

        /* the last rounds share what is left evenly */
        p->round = FLINT_MIN(p->chunk, (n - next + p->size - 1) / p->size);
        msg = piece_chunk(p, next, &len);
        all = piece_gather(p, msg, len, lens);
        if (p->rank == 0)
            piece_merge(p, s, all, next, verdict);
        next += p->size * p->round;
        if (p->rank == 0)
        {
            p->base = s->completed;
            gc_cli_progress(&p->pr, p->base, n);
            if (p->checkpoint != NULL
                && (verdict[0] != PIECE_GO || next >= n
                    || piece_now() - p->saved_at
                           >= GC_SWEEP_CHECKPOINT_INTERVAL)
                && piece_save(p, s) != GC_EXIT_OK)
                verdict[0] = PIECE_SAVE_FAIL;
        }
        flint_free(all);
        flint_free(msg);
        piece_bcast(p, verdict, PIECE_VERDICT);
    }
    flint_free(lens);
}

/* Runs the sweep from network *next* (those before are in *s* on rank
   0) with the progress line, ^C and SIGTERM.  Returns an exit code. */
static int
piece_run(piece_struct * p, gc_sweep_t s, slong next)
{
    slong verdict[PIECE_VERDICT] = {PIECE_GO, -1, 0, GC_SUCCESS};
    gc_run_ctl_struct * ctl = p->o->ctl;

    gc_cli_progress_init(&p->pr, p->rank == 0 ? p->o->progress
                                              : GC_CLI_PROGRESS_OFF,
                         "sweep", "networks");
    p->base = next;
    p->saved_at = piece_now();
    ctl->progress = piece_progress;
    ctl->progress_arg = p;
    ctl->stop = gc_cli_interrupted;
    gc_cli_interrupt_catch();
    piece_rounds(p, s, next, verdict);
    gc_cli_interrupt_release();
    gc_cli_progress_finish(&p->pr);
    ctl->progress = NULL;
    ctl->progress_arg = NULL;
    ctl->stop = NULL;
    if (verdict[0] == PIECE_FAIL)
    {
        char rank[32] = ""; /* under MPI, the rank that ran the network */

        if (p->mpi)
            snprintf(rank, sizeof rank, "rank %ld: ", (long) verdict[2]);
        if (p->rank == 0)
            gc_cli_error("sweep: %snetwork %ld (seed %lu): %s", rank,
                         (long) verdict[1],
                         (unsigned long) (p->spec->random->seed
                                          + (ulong) verdict[1]),
                         gc_status_str((int) verdict[3]));
        return GC_EXIT_EVAL;
    }
    if (verdict[0] == PIECE_SAVE_FAIL)
        return GC_EXIT_USAGE;
    /* a stopped run: the other ranks end with 0, since mpirun ends the
       job (SIGTERM, then SIGKILL) as soon as a rank exits nonzero, and
       rank 0 writes the partial report after them; the job's status is
       rank 0's 130 */
    if (p->rank != 0)
        return GC_EXIT_OK;
    if (s->completed < s->samples)
        gc_sweep_keep_prefix(s);
    return GC_EXIT_OK;
}

/* Returns the most networks of a chunk: PIECE_PER_THREAD a thread, few
   enough that a chunk's records fit a message. */
static slong
piece_chunk_size(const piece_struct * p)
{
    gc_sweep_spec_struct one = *p->spec;
    gc_sweep_t t;
    size_t bytes;

    one.samples = 1;
    gc_sweep_init(t);
    gc_sweep_alloc(t, &one);
    bytes = FLINT_MAX(gc_sweep_network_bytes(t), 1);
    gc_sweep_clear(t);
    return FLINT_MAX(FLINT_MIN(PIECE_PER_THREAD * p->o->ctl->threads,
                               (slong) (INT_MAX / 2 / bytes)), 1);
}

int
gc_sweep_mpi_run(gc_sweep_t s, const gc_sweep_spec_struct * spec,
                 gc_sweepopts_struct * o, const gc_net_struct * net,
                 const gc_wnet_struct * wide, const char * checkpoint,
                 int * writes)
{
    piece_struct p;
    slong start[3] = {GC_EXIT_OK, 0, 0}; /* exit code, first network, chunk */
    int rc;

    *writes = 1;
    if (piece_launched() == 0 && checkpoint == NULL)
        return wide != NULL ? gc_sweepopts_run_wide(s, spec, o, wide, "sweep")
                            : gc_sweepopts_run(s, spec, o, net, "sweep");
    rc = piece_init(&p);
    if (rc != GC_EXIT_OK)
        return rc;
    p.spec = spec;
    p.o = o;
    p.checkpoint = checkpoint;
    *writes = p.rank == 0;
    /* rank 0 decides, and says, whether to start, from where, and the
       chunks' size (from its --threads: the default, the cores, may
       differ between the nodes) */
    if (p.rank == 0)
    {
        start[0] = gc_cli_check_memory(
            "sweep", gc_sweepopts_bytes(spec, net, wide, o->ctl->threads),
            spec->layers, "for the networks, exact values and replays of "
            "every thread, and the records",
            "use fewer layers, samples or threads");
        if (start[0] == GC_EXIT_OK)
        {
            gc_sweep_alloc(s, spec);
            if (checkpoint != NULL)
                start[0] = piece_load(&p, s);
            start[1] = piece_prefix(s);
            start[2] = piece_chunk_size(&p);
        }
    }
    piece_bcast(&p, start, 3);
    rc = (int) start[0];
    p.chunk = start[2];
    if (rc == GC_EXIT_OK)
        rc = piece_run(&p, s, start[1]);
    piece_finalize(&p);
    return rc;
}
