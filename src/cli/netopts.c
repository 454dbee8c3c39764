/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by the
    Free Software Foundation; either version 3 of the License, or (at your
    option) any later version.
*/

/* netopts.c -- the options of the commands that evaluate a network (eval,
   compare): the network file or random chain (--random, --weights,
   --biases, --fan-in-scale or --init, --layers, --seed) or random wide
   network (--neurons), --a0, --y, --save-network, and the output options
   --digits, --format, -o. */

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "netopts.h"

const char gc_netopts_help[] =
    "The network is the file NETWORK ('-' reads standard input) or a random\n"
    "chain:\n"
    GC_NETOPTS_RANDOM_HELP
    "      --layers L             number of layers of the random chain\n"
    "      --seed S               seed of the random chain (default 0)\n"
    "      --neurons N|N0,N1,...,NL\n"
    "                             eval, compare: a random wide network, every\n"
    "                             layer and a_0 N wide (needs --layers), or the\n"
    "                             widths of a_0 and of each layer (--layers,\n"
    "                             if given, must be L); fan_in and fan_out\n"
    "                             of --init are the widths around a weight\n"
    "      --a0 X                 input a_0 (default 1, or the file's); for a\n"
    "                             wide network n_0 values separated by commas\n"
    "                             or blanks ('1/2,-0.25')\n"
    "      --y X                  target y (default 0, or the file's); for a\n"
    "                             wide network n_L values, as --a0\n"
    "      --act NAME             activation of every layer (default sigmoid, or\n"
    "                             the file's): sigmoid, tanh, relu, leaky-relu[:S],\n"
    "                             softplus, identity, gelu\n"
    "      --save-network FILE    also write the network, every value exact\n"
    "                             (a wide network in the file format of wide\n"
    "                             layers)\n"
    "Output:\n"
    "      --digits D             significant digits of the results (at most\n"
    "                             1000000)\n"
    "      --format text|csv|json output format (default text)\n"
    "  -o, --output FILE          write to FILE, all or nothing (default stdout)\n";

void
gc_netopts_init(gc_netopts_struct * o)
{
    gc_dist_t d;

    memset(o, 0, sizeof *o);
    gc_dist_set_normal(d, 0.0, 1.0);
    gc_random_set_dist(&o->spec, d, 0);
}

/* Sets the weights' or the biases' distribution of o->spec, or both,
   from option *opt* (GC_NETOPT_RANDOM, _WEIGHTS or _BIASES) *arg*.
   Returns an exit code. */
static int
netopts_parse_dist(gc_netopts_struct * o, int opt, const char * arg)
{
    static const char * const names[] = {"--random", "--weights",
                                         "--biases"};
    int which = opt == GC_NETOPT_RANDOM ? 0 : opt == GC_NETOPT_WEIGHTS ? 1
                                                                     : 2;
    gc_parse_error_t err;
    gc_dist_t d;

    if (gc_dist_set_str(d, arg, err) != GC_SUCCESS)
        return gc_cli_parse_error(names[which], err);
    if (which != 2)
        o->spec.weights = *d;
    if (which != 1)
        o->spec.biases = *d;
    o->given |= which == 0 ? 3 : which;
    if (!o->random)
        o->random_opt = names[which];
    o->random = 1;
    return GC_EXIT_OK;
}

/* Sets *seed* from --seed *arg*: decimal, or hexadecimal after 0x; never
   octal (a seed 010 is 10), and no sign or blank (strtoul wraps " -1").
   Returns an exit code. */
static int
netopts_parse_seed(ulong * seed, const char * arg)
{
    char * end;
    int hex = arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X');
    const char * digits = arg + (hex ? 2 : 0);

    errno = 0;
    *seed = strtoul(arg, &end, hex ? 16 : 10);
    if (!isxdigit((unsigned char) *digits))
        end = (char *) arg;
    if (end == arg || *end != '\0' || errno != 0)
        return gc_cli_usage_error("--seed: expected a non-negative integer, "
                                  "got '%s'", arg);
    return GC_EXIT_OK;
}

/* Sets the fan-in rule from --init *arg*: the names of the issue of wide
   layers for the rules of --fan-in-scale, one setting (the later option
   wins). */
static int
netopts_parse_init(gc_netopts_struct * o, const char * arg)
{
    static const char * const names[] = {"fan-in", "glorot", "he", "none",
                                         NULL};
    static const gc_fanin_t rules[] = {GC_FANIN_LECUN, GC_FANIN_XAVIER,
                                       GC_FANIN_HE, GC_FANIN_NONE};
    slong i;

    for (i = 0; names[i] != NULL; i++)
        if (strcmp(arg, names[i]) == 0)
            break;
    if (names[i] == NULL)
        return gc_cli_name_error("--init", "scaling", arg, names);
    o->fanin_given = 1;
    o->spec.fanin = rules[i];
    return GC_EXIT_OK;
}

int
gc_netopts_parse(void * ctx, int * handled, int opt, const char * arg)
{
    gc_netopts_struct * o = ctx;

    *handled = 1;
    switch (opt)
    {
        case GC_NETOPT_RANDOM:
        case GC_NETOPT_WEIGHTS:
        case GC_NETOPT_BIASES:
            return netopts_parse_dist(o, opt, arg);
        case GC_NETOPT_FANIN:
            o->fanin_given = 1;
            if (gc_fanin_set_str(&o->spec.fanin, arg) != GC_SUCCESS)
                return gc_cli_name_error("--fan-in-scale", "rule", arg,
                                         gc_fanin_names());
            return GC_EXIT_OK;
        case GC_NETOPT_INIT:
            return netopts_parse_init(o, arg);
        case GC_NETOPT_NEURONS:
            o->neurons = arg;
            return GC_EXIT_OK;
        case GC_OPT_LAYERS:
            return gc_cli_parse_slong(&o->layers, arg, "--layers", 1,
                                      GC_NET_LEN_MAX);
        case GC_NETOPT_SEED:
            return netopts_parse_seed(&o->spec.seed, arg);
        case GC_NETOPT_A0:
            o->a0 = arg;
            return GC_EXIT_OK;
        case GC_NETOPT_Y:
            o->y = arg;
            return GC_EXIT_OK;
        case GC_NETOPT_ACT:
            o->act = arg;
            return GC_EXIT_OK;
        case GC_NETOPT_SAVE_NETWORK:
            o->save = arg;
            return GC_EXIT_OK;
        case GC_NETOPT_DIGITS:
            /* a million digits need 3.3 million bits, beyond the default
               --max-prec already: more would only burn time and memory */
            return gc_cli_parse_slong(&o->digits, arg, "--digits", 1,
                                      1000000);
        case GC_NETOPT_FORMAT:
            if (gc_report_format_set_str(&o->format, arg) != GC_SUCCESS)
                return gc_cli_name_error("--format", "format", arg,
                                         gc_report_format_names());
            return GC_EXIT_OK;
        case 'o':
            o->output = arg;
            return GC_EXIT_OK;
        default:
            *handled = 0;
            return GC_EXIT_OK;
    }
}

/* Reads the network file *name* ("-": stdin) into *net*, or into *wide*
   (then *is_wide* = 1) when it has wide layers; *wide* NULL: a chain
   only (gc_net_read, which refuses wide layers itself). */
static int
netopts_read(gc_net_t net, gc_wnet_t wide, int * is_wide, const char * name)
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
    errno = 0;
    status = wide != NULL ? gc_net_read_any(net, wide, is_wide, f, err)
                          : gc_net_read(net, f, err);
    if (ferror(f))
    {
        /* errno of the failing read: "Is a directory", "Input/output
           error" */
        gc_cli_error("%s: read error: %s", name,
                     strerror(errno != 0 ? errno : EIO));
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
        /* the chain reader's refusal of wide layers (gc_net_read) */
        if (wide == NULL && strncmp(err->msg, "wide layers:", 12) == 0)
            gc_cli_error("%s: this command takes chains only (eval, compare "
                         "and sweep take wide layers)", name);
        return GC_EXIT_USAGE;
    }
    return GC_EXIT_OK;
}

/* Checks with the library's gc_engine_check that every engine of *o* can
   evaluate *net*, read from the file *name*: the file format has keywords
   for activations and costs that an engine may not implement yet.
   Returns GC_EXIT_OK, or GC_EXIT_USAGE after reporting. */
static int
netopts_check(const gc_net_t net, const gc_netopts_struct * o,
                 const char * name)
{
    slong i;

    for (i = 0; i < o->nengines; i++)
    {
        if (gc_engine_check(o->engines[i], net) != GC_SUCCESS)
        {
            gc_cli_error("%s: the %s engine of this version cannot evaluate "
                         "'act %s' with 'cost %s' (not implemented)", name,
                         gc_engine_name(o->engines[i]),
                         gc_act_name(net->act.kind), gc_cost_name(net->cost));
            return GC_EXIT_USAGE;
        }
    }
    return GC_EXIT_OK;
}

/* Sets the activation of every layer of *net* from --act *arg*, over a
   file's 'act' line and per-layer names (as --a0 and --y override the
   file's values); cross-entropy then needs --act sigmoid. */
static int
netopts_set_act(gc_net_t net, const char * arg)
{
    gc_parse_error_t err;
    gc_activation_t a;
    int status;

    gc_activation_init(a);
    status = gc_activation_set_str(a, arg, err);
    if (status == GC_SUCCESS)
        gc_net_set_act(net, a);
    gc_activation_clear(a);
    if (status != GC_SUCCESS)
        return gc_cli_usage_error("--act: %s", err->msg);
    if (!gc_net_cost_is_valid(net))
        return gc_cli_usage_error("--act %s: cost 'cross-entropy' needs an "
                                  "output activation with values in (0, 1) "
                                  "(sigmoid)", arg);
    return GC_EXIT_OK;
}

/* Sets *q* from the option text *arg* of option *opt*. */
static int
netopts_set_q(mpq_t q, const char * arg, const char * opt)
{
    gc_parse_error_t err;

    if (gc_q_set_str(q, arg, err) != GC_SUCCESS)
        return gc_cli_usage_error("%s: %s", opt, err->msg);
    return GC_EXIT_OK;
}

/* Checks the options of a random chain: both distributions, a fan-in
   rule whose scaled weights stay finite, a length.  Returns an exit
   code. */
static int
netopts_check_random(const gc_netopts_struct * o)
{
    if (o->given != 3)
        return gc_cli_usage_error("%s needs %s DIST (or --random DIST)",
                                  o->given == 1 ? "--weights" : "--biases",
                                  o->given == 1 ? "--biases" : "--weights");
    if (!gc_random_is_valid(&o->spec))
        return gc_cli_usage_error("--fan-in-scale %s: the scaled weights' "
                                  "draws would not all be finite binary64 "
                                  "numbers", gc_fanin_name(o->spec.fanin));
    if (o->layers == 0)
        return gc_cli_usage_error("%s needs --layers L", o->random_opt);
    return GC_EXIT_OK;
}

/* Splits *text* (changed in place) into its fields, separated by commas
   or blanks (blanks around a comma belong to it), into field[], which
   has room for strlen(text) / 2 + 1 of them.  Returns their number, or
   -1 when one is empty: "1,,3", ",1", "1,2,". */
static slong
netopts_split(char ** field, char * text)
{
    static const char blank[] = " \t\n";
    char * p = text, * end;
    slong n = 0;
    int comma = 0;

    for (;;)
    {
        p += strspn(p, blank);
        if (*p == '\0')
            return comma ? -1 : n;
        if (*p == ',')
            return -1;
        field[n++] = p;
        end = p + strcspn(p, ", \t\n");
        p = end + strspn(end, blank);
        comma = (*p == ',');
        p += comma;
        *end = '\0';
    }
}

/* Sets *width* (flint_malloc'ed, o->layers + 1 entries) from --neurons:
   one width N for a0 and every layer, or the list N0,N1,...,NL, which
   sets o->layers to L (a --layers given must agree).  Returns an exit
   code (*width* NULL unless GC_EXIT_OK). */
static int
netopts_widths(slong ** width, gc_netopts_struct * o)
{
    char * text = flint_malloc(strlen(o->neurons) + 1);
    char ** field = flint_malloc((strlen(o->neurons) / 2 + 1)
                                 * sizeof(char *));
    slong n, i;
    int rc = GC_EXIT_OK;

    strcpy(text, o->neurons);
    n = netopts_split(field, text);
    *width = flint_malloc((FLINT_MAX(n, 0) + 2) * sizeof(slong));
    for (i = 0; i < n && rc == GC_EXIT_OK; i++)
        rc = gc_cli_parse_slong(*width + i, field[i], "--neurons", 1,
                                GC_NET_LEN_MAX);
    flint_free(text);
    flint_free(field);
    if (rc == GC_EXIT_OK && n <= 0)
        rc = gc_cli_usage_error("--neurons: expected N or N0,N1,...,NL, "
                                "got '%s'", o->neurons);
    else if (rc == GC_EXIT_OK && n == 1 && o->layers == 0)
        rc = gc_cli_usage_error("--neurons %s needs --layers L (or the "
                                "list of widths N0,N1,...,NL)", o->neurons);
    else if (rc == GC_EXIT_OK && n > 1 && o->layers != 0
             && o->layers != n - 1)
        rc = gc_cli_usage_error("--neurons %s lists %ld layer%s but "
                                "--layers is %ld", o->neurons, (long) (n - 1),
                                n == 2 ? "" : "s", (long) o->layers);
    if (rc != GC_EXIT_OK)
    {
        flint_free(*width);
        *width = NULL;
        return rc;
    }
    if (n == 1)
    {
        *width = flint_realloc(*width, (o->layers + 1) * sizeof(slong));
        for (i = 1; i <= o->layers; i++)
            (*width)[i] = (*width)[0];
    }
    else
        o->layers = n - 1;
    return GC_EXIT_OK;
}

/* Sets the vector v[0..n) from the option text *arg* of option *opt*:
   n exact numbers separated by commas or blanks. */
static int
netopts_set_vec(mpq_ptr v, slong n, const char * arg, const char * opt)
{
    char * text = flint_malloc(strlen(arg) + 1);
    char ** field = flint_malloc((strlen(arg) / 2 + 1) * sizeof(char *));
    slong k, i;
    int rc = GC_EXIT_OK;

    strcpy(text, arg);
    k = netopts_split(field, text);
    for (i = 0; i < FLINT_MIN(k, n) && rc == GC_EXIT_OK; i++)
        rc = netopts_set_q(v + i, field[i], opt);
    flint_free(text);
    flint_free(field);
    if (rc == GC_EXIT_OK && k < 0)
        rc = gc_cli_usage_error("%s: an empty value in '%s'", opt, arg);
    else if (rc == GC_EXIT_OK && k != n)
        rc = gc_cli_usage_error("%s: the network needs %ld value(s), got %ld "
                                "in '%s'", opt, (long) n, (long) k, arg);
    return rc;
}

/* Sets every layer of the wide network *net* to the activation --act
   *arg* (as netopts_set_act for a chain). */
static int
netopts_set_wide_act(gc_wnet_t net, const char * arg)
{
    gc_parse_error_t err;
    gc_activation_t a;
    slong l;
    int status;

    gc_activation_init(a);
    status = gc_activation_set_str(a, arg, err);
    for (l = 1; status == GC_SUCCESS && l <= net->len; l++)
        gc_wnet_set_act(net, l, a);
    gc_activation_clear(a);
    if (status != GC_SUCCESS)
        return gc_cli_usage_error("--act: %s", err->msg);
    if (net->cost == GC_COST_CROSS_ENTROPY && net->len > 0
        && net->act[net->len - 1].kind != GC_ACT_SIGMOID)
        return gc_cli_usage_error("--act %s: cost 'cross-entropy' needs an "
                                  "output activation with values in (0, 1) "
                                  "(sigmoid)", arg);
    return GC_EXIT_OK;
}

/* Builds the random wide network of --neurons into *wide*, its options
   and memory checked first. */
static int
netopts_random_wide(gc_wnet_t wide, gc_netopts_struct * o)
{
    slong * width;
    int rc = netopts_widths(&width, o);

    if (rc == GC_EXIT_OK)
        rc = netopts_check_random(o);
    if (rc == GC_EXIT_OK)
        rc = gc_cli_check_memory("--neurons", gc_wnet_bytes(o->layers, width),
                                 o->layers, "for the network",
                                 "use fewer or narrower layers");
    if (rc == GC_EXIT_OK)
        gc_wnet_set_random(wide, o->layers, width, &o->spec);
    flint_free(width);
    return rc;
}

/* Applies --act, --a0 and --y to the wide network *wide*. */
static int
netopts_wide_options(gc_wnet_t wide, const gc_netopts_struct * o)
{
    int rc = GC_EXIT_OK;

    if (o->act != NULL)
        rc = netopts_set_wide_act(wide, o->act);
    if (rc == GC_EXIT_OK && o->a0 != NULL)
        rc = netopts_set_vec(wide->a0, wide->width[0], o->a0, "--a0");
    if (rc == GC_EXIT_OK && o->y != NULL)
        rc = netopts_set_vec(wide->y, wide->width[wide->len], o->y, "--y");
    return rc;
}

/* gc_netopts_load_any, or gc_netopts_load when *wide* is NULL (a wide
   network is then refused). */
static int
netopts_load(gc_net_t net, gc_wnet_t wide, int * is_wide,
             gc_netopts_struct * o, int nargs, char ** args)
{
    int rc = GC_EXIT_OK;

    *is_wide = 0;
    if (nargs > 1)
        return gc_cli_usage_error("extra operand '%s'", args[1]);
    if (nargs == 1)
        o->file = args[0];
    if (o->file != NULL && o->random)
        return gc_cli_usage_error("give a network file or %s, not both",
                                  o->random_opt);
    if (o->file == NULL && !o->random)
        return gc_cli_usage_error("missing network: give a file, '-' or "
                                  "--random DIST --layers L");
    if (o->neurons != NULL && wide == NULL)
        return gc_cli_usage_error("--neurons: this command takes chains "
                                  "only ('gradchain eval' takes wide "
                                  "networks)");
    if (o->neurons != NULL && !o->random)
        return gc_cli_usage_error("--neurons is for random networks; a file "
                                  "gives its own widths");
    if (o->random && o->neurons == NULL
        && (rc = netopts_check_random(o)) != GC_EXIT_OK)
        return rc;
    if (!o->random && o->layers != 0)
        return gc_cli_usage_error("--layers is for random networks; a file "
                                  "gives its own length");
    if (!o->random && o->fanin_given)
        return gc_cli_usage_error("--fan-in-scale is for random networks "
                                  "(--init too); a file gives its own "
                                  "weights");
    if (o->save != NULL && gc_cli_same_output(o->save, o->output))
        return gc_cli_usage_error("--save-network and the output are the "
                                  "same file '%s' ('%s')", o->save,
                                  o->output != NULL ? o->output : "-");

    if (o->neurons != NULL)
    {
        *is_wide = 1;
        rc = netopts_random_wide(wide, o);
    }
    else if (o->random)
        gc_net_set_random(net, &o->spec, o->layers);
    else
        rc = netopts_read(net, wide, is_wide, o->file);
    if (*is_wide)
        return rc == GC_EXIT_OK ? netopts_wide_options(wide, o) : rc;

    if (rc == GC_EXIT_OK && o->act != NULL)
        rc = netopts_set_act(net, o->act);
    if (rc == GC_EXIT_OK)
        rc = netopts_check(net, o, o->random ? o->random_opt : o->file);

    if (rc == GC_EXIT_OK && o->a0 != NULL)
        rc = netopts_set_q(net->a0, o->a0, "--a0");
    if (rc == GC_EXIT_OK && o->y != NULL)
        rc = netopts_set_q(net->y, o->y, "--y");
    return rc;
}

int
gc_netopts_load(gc_net_t net, gc_netopts_struct * o, int nargs,
                char ** args)
{
    int is_wide;

    return netopts_load(net, NULL, &is_wide, o, nargs, args);
}

int
gc_netopts_load_any(gc_net_t net, gc_wnet_t wide, int * is_wide,
                    gc_netopts_struct * o, int nargs, char ** args)
{
    return netopts_load(net, wide, is_wide, o, nargs, args);
}

/* Writes *bytes* to buf[0..n) in decimal units: "4.7 GB", "288 GB". */
static void
cli_bytes_str(char * buf, size_t n, size_t bytes)
{
    static const char * const unit[] = {"B", "kB", "MB", "GB", "TB", "PB",
                                        "EB"};
    double v = (double) bytes;
    int i = 0;

    while (v >= 1000 && i < 6)
    {
        v /= 1000;
        i++;
    }
    snprintf(buf, n, i > 0 && v < 10 ? "%.1f %s" : "%.0f %s", v, unit[i]);
}

/* Lowers *avail* to the soft limit *res* if it is finite and smaller,
   and then sets *why* to *name*. */
static void
cli_rlimit(size_t * avail, const char ** why, int res, const char * name)
{
    struct rlimit rl;

    if (getrlimit(res, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
        && rl.rlim_cur < *avail)
    {
        *avail = (size_t) rl.rlim_cur;
        *why = name;
    }
}

int
gc_cli_check_memory(const char * cmd, size_t bytes, slong layers,
                    const char * purpose, const char * alternative)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    size_t avail = SIZE_MAX, used;
    const char * why = "physical memory";
    struct rusage ru;
    char need[32], left[32];

    if (pages > 0 && size > 0)
        avail = (size_t) pages * (size_t) size;
    cli_rlimit(&avail, &why, RLIMIT_AS, "RLIMIT_AS, ulimit -v");
    cli_rlimit(&avail, &why, RLIMIT_DATA, "RLIMIT_DATA, ulimit -d");
    /* what the process holds already: libraries, a network read */
    used = getrusage(RUSAGE_SELF, &ru) == 0 ? (size_t) ru.ru_maxrss * 1024
                                            : 0;
    avail = avail > used ? avail - used : 0;
    if (bytes <= avail)
        return GC_EXIT_OK;
    cli_bytes_str(need, sizeof need, bytes);
    cli_bytes_str(left, sizeof left, avail);
    gc_cli_error("%s: %ld layers need about %s %s, more than the %s "
                 "available (%s); %s", cmd, (long) layers, need, purpose,
                 left, why, alternative);
    return GC_EXIT_USAGE;
}

int
gc_netopts_parse_engine(gc_engine_t * engine, const char * arg,
                        unsigned allowed, const char * refused)
{
    if (gc_engine_set_str(engine, arg) != GC_SUCCESS)
        return gc_cli_name_error("--engine", "engine", arg,
                                 gc_engine_names());
    if (!(allowed & (1u << *engine)))
        return gc_cli_usage_error("--engine: %s", refused);
    return GC_EXIT_OK;
}

slong
gc_netopts_unprintable(const char * cmd, arb_srcptr v, slong n)
{
    slong j, lost = 0;

    for (j = 0; j < n; j++)
        lost += !gc_arb_is_printable(v + j);
    if (lost > 0)
        gc_cli_error("%s: %ld value(s) with an exponent beyond what can be "
                     "printed (|e| >= 2^64 bits, a decimal exponent beyond "
                     "5.5e18); no precision can help", cmd, (long) lost);
    return lost;
}

void
gc_netopts_shortfall(const char * cmd, const char * what, slong digits,
                     slong prec, slong max_prec)
{
    if (prec < max_prec)
        gc_cli_error("%s: %s with fewer than %ld proven digits, not "
                     "narrowing: at %ld bits their balls lack more accuracy "
                     "than any precision up to --max-prec %ld bits can "
                     "give, so this engine cannot decide them (raising "
                     "--max-prec would not help)", cmd, what, (long) digits,
                     (long) prec, (long) max_prec);
    else
        gc_cli_error("%s: %s with fewer than %ld proven digits at "
                     "--max-prec %ld bits", cmd, what, (long) digits,
                     (long) max_prec);
}

/* Adds the metadata *key*: the spec of *d*. */
static void
netopts_meta_dist(gc_report_t r, const char * key, const gc_dist_t d)
{
    char * s = gc_dist_get_str(d);

    gc_report_meta(r, key, s);
    flint_free(s);
}

void
gc_netopts_meta_random(gc_report_t r, const gc_random_struct * spec)
{
    if (spec->fanin == GC_FANIN_NONE
        && gc_dist_equal(&spec->weights, &spec->biases))
    {
        netopts_meta_dist(r, "random", &spec->weights);
        return;
    }
    netopts_meta_dist(r, "weights", &spec->weights);
    netopts_meta_dist(r, "biases", &spec->biases);
    if (spec->fanin != GC_FANIN_NONE)
        gc_report_meta(r, "fan_in_scale", gc_fanin_name(spec->fanin));
}

int
gc_netopts_emit(const gc_netopts_struct * o, const gc_net_struct * net,
                gc_cli_writer_t write, const void * ctx)
{
    return gc_cli_emit_net(o->output, write, ctx, o->save, net);
}

static int
netopts_write_wide(FILE * f, const void * net)
{
    return gc_wnet_write(f, (const gc_wnet_struct *) net);
}

int
gc_netopts_emit_wide(const gc_netopts_struct * o, const gc_wnet_struct * net,
                     gc_cli_writer_t write, const void * ctx)
{
    return gc_cli_emit_pair(o->output, write, ctx, o->save,
                            netopts_write_wide, net);
}
