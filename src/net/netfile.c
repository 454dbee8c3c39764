/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.

    netfile.c -- reading and writing network files.

    The reader takes one line at a time (LF or CRLF), cuts it at '#',
    splits it at spaces and tabs and reads:
        a0 V... | y V... | act NAME | cost quadratic | cost cross-entropy |
        cost given V | layer | layer act NAME | W... B [NAME]
    The keywords may come anywhere, each at most once (not 'layer'),
    except 'act', which must come before the first layer line; a line
    whose first token looks like a word (a letter, then letters, digits,
    '-', '_') is a keyword line, unless the word starts with "nan" or
    "inf" (those are refused as numbers).  Lines are at most
    GC_NET_LINE_MAX bytes; control bytes other than tab and CR mean the
    input is not text.  A UTF-8 byte order mark is skipped.

    Wide layers.  a0's length is n_0, fixed by the first layer (an a0
    after it must have that length).  Before the first 'layer' line, a
    line of numbers is a layer of one neuron: its n_{l-1} weights, its
    bias and an optional activation (with n_0 = 1, the chain's "W B
    [NAME]").  A 'layer' line starts a layer, and every line of numbers
    after it, up to the next 'layer' line, is one of its neurons: n_{l-1}
    weights, then the bias (numbers only).  So after the first 'layer'
    line a one-neuron layer is a 'layer' line and one neuron line.  y's
    length must be n_L, checked at the end.  A file is a chain when it
    has no 'layer' line and a0 and y (if given) have one value each: it
    is read exactly as before (cost 'given' included, which a wide
    network refuses).
*/

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "net-impl.h"

#define GC_NET_LINE_MAX ((size_t) 1 << 24)

/* Values 10^e with e in [GC_POSITIONAL_MIN, GC_POSITIONAL_MAX] are written
   positionally ("0.000125", "1200"), others as "De" ("1e-1000000"); every
   binary64 value (down to 2^-1074) is positional. */
#define GC_POSITIONAL_MIN (-1100)
#define GC_POSITIONAL_MAX 20

/* ---- lines --------------------------------------------------------- */

typedef struct
{
    FILE * f;           /* NULL when reading a string */
    char * buf;         /* owned buffer of the FILE reader */
    const char * data;  /* buf, or the string */
    size_t alloc;
    size_t pos;         /* start of the next line */
    size_t scanned;     /* [pos, scanned) has no newline */
    size_t len;         /* bytes in data */
    int eof;
    slong line;         /* number of the last line returned */
} gc_lines_struct;

/* Moves the pending partial line to the front of the buffer, grows it if
   full and reads more.  Returns 0, or an errno value on a read error. */
static int
lines_fill(gc_lines_struct * L)
{
    size_t got;

    if (L->pos > 0)
    {
        memmove(L->buf, L->buf + L->pos, L->len - L->pos);
        L->len -= L->pos;
        L->scanned -= L->pos;
        L->pos = 0;
    }
    if (L->len == L->alloc)
    {
        L->alloc = 2 * L->alloc;
        L->buf = flint_realloc(L->buf, L->alloc);
        L->data = L->buf;
    }
    got = fread(L->buf + L->len, 1, L->alloc - L->len, L->f);
    L->len += got;
    if (got == 0)
    {
        if (ferror(L->f))
            return errno != 0 ? errno : EIO;
        L->eof = 1;
    }
    return 0;
}

/* Sets [*p, *p + *n) to the next line (without its newline).  Returns 1,
   0 at the end, or GC_INVALID with *err* set (line too long, read
   error). */
static int
lines_next(gc_lines_struct * L, const char ** p, size_t * n,
              gc_parse_error_t err)
{
    const char * nl;
    int e;

    while ((nl = memchr(L->data + L->scanned, '\n',
                        L->len - L->scanned)) == NULL)
    {
        L->scanned = L->len;
        if (L->len - L->pos > GC_NET_LINE_MAX)
            break;
        if (L->f == NULL || L->eof)
        {
            if (L->pos == L->len)
                return 0;
            break;
        }
        if ((e = lines_fill(L)) != 0)
        {
            _gc_parse_error_set(err, L->line + 1, NULL, 0,
                                "read error: %s", strerror(e));
            return GC_INVALID;
        }
    }
    *p = L->data + L->pos;
    *n = (nl != NULL ? (size_t) (nl - L->data) : L->len) - L->pos;
    L->pos = L->scanned = L->pos + *n + (nl != NULL);
    L->line++;
    if (*n > GC_NET_LINE_MAX)
    {
        _gc_parse_error_set(err, L->line, *p, *n,
                            "line longer than %lu bytes",
                            (unsigned long) GC_NET_LINE_MAX);
        return GC_INVALID;
    }
    return 1;
}

/* ---- one line ------------------------------------------------------ */

#define GC_TOKENS 4

/* The first tokens of a line, and where the line (cut at '#') ends, for
   the lines of any number of tokens (vectors, neuron lines). */
typedef struct
{
    const char * s[GC_TOKENS];
    size_t n[GC_TOKENS];
    int count;          /* number of tokens, at most GC_TOKENS */
    const char * end;
} gc_tokens_struct;

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Word-at-a-time byte tests ("Bit Twiddling Hacks"): the word of 8
   bytes b, and whether x has a byte below b (b <= 0x80) or equal to b.
   Each is exact as a yes-or-no answer, whatever the byte order. */
#define BYTES(b) (UWORD(0x0101010101010101) * (b))
#define HAS_BELOW(x, b) (((x) - BYTES(b)) & ~(x) & BYTES(0x80))
#define HAS_BYTE(x, b) HAS_BELOW((x) ^ BYTES(b), 1)

/* Returns the first byte of [p, end) that is a space, tab or CR, or
   end; 8 bytes at a time while none is one. */
static const char *
find_space(const char * p, const char * end)
{
    ulong x;

    if (FLINT_BITS == 64)
        for (; end - p >= 8; p += 8)
        {
            memcpy(&x, p, 8);
            if (HAS_BYTE(x, ' ') | HAS_BYTE(x, '\t') | HAS_BYTE(x, '\r'))
                break;
        }
    while (p < end && !is_space(*p))
        p++;
    return p;
}

/* Sets [*s, *s + *n) to the first token of [p, end) and returns the
   byte after it; *n = 0 (and the result end) when there is none. */
static const char *
next_token(const char ** s, size_t * n, const char * p, const char * end)
{
    while (p < end && is_space(*p))
        p++;
    *s = p;
    p = find_space(p, end);
    *n = p - *s;
    return p;
}

/* Splits [p, p+n) (already cut at '#') into at most GC_TOKENS tokens. */
static void
tokenize(gc_tokens_struct * t, const char * p, size_t n)
{
    t->end = p + n;
    for (t->count = 0; t->count < GC_TOKENS; t->count++)
    {
        p = next_token(t->s + t->count, t->n + t->count, p, t->end);
        if (t->n[t->count] == 0)
            break;
    }
}

/* Returns the number of tokens of [p, end) and sets [*s, *s + *n) to
   the token of index k (from 0) if there is one, else to the last. */
static slong
scan_tokens(const char ** s, size_t * n, const char * p, const char * end,
            slong k)
{
    const char * ts;
    size_t tn;
    slong count = 0;

    while ((p = next_token(&ts, &tn, p, end)), tn != 0)
    {
        if (count <= k)
        {
            *s = ts;
            *n = tn;
        }
        count++;
    }
    return count;
}

/* Returns the offset in [p, p+n) of its first control byte other than
   tab and CR (below 0x20, or 0x7f), or n; 8 bytes at a time while none
   is below 0x20 or 0x7f. */
static size_t
find_control(const char * p, size_t n)
{
    size_t i = 0;
    ulong x;

    if (FLINT_BITS == 64)
        for (; n - i >= 8; i += 8)
        {
            memcpy(&x, p + i, 8);
            if (HAS_BELOW(x, 0x20) | HAS_BYTE(x, 0x7f))
                break;
        }
    for (; i < n; i++)
    {
        unsigned char c = (unsigned char) p[i];

        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
            break;
    }
    return i;
}

static int
token_is(const gc_tokens_struct * t, int i, const char * word)
{
    return t->n[i] == strlen(word) && memcmp(t->s[i], word, t->n[i]) == 0;
}

/* ---- the reader's state -------------------------------------------- */

/* What a reader gives: a chain only (gc_net_read), a chain or a wide
   network (gc_net_read_any), a wide network (gc_wnet_read). */
typedef enum
{
    GC_READ_CHAIN,
    GC_READ_ANY,
    GC_READ_WIDE
} gc_read_want_t;

/* State of the reader: where each keyword was seen (0 = not yet), and
   the network being read.  A file is read as a chain (into *net*, as
   gc_net_read always did: _gc_net_push_layer) until something only a
   wide network has, a 'layer' line or a vector a0 or y, turns the reader
   wide (go_wide): from then on (and from the start for gc_wnet_read) the
   layers go to the growing arrays below, installed into a gc_wnet_t at
   the end (wide_install).  w and b hold a chain layer's values before
   they are stored, and any rational being read. */
typedef struct
{
    gc_read_want_t want;
    int wide;
    gc_net_struct * net;
    slong a0;
    slong y;
    slong act;
    slong cost;
    mpq_t w, b;
    /* the wide network: len layers of widths width[0..len] (the last
       one still growing when a 'layer' block is open), room for cap */
    slong len, cap;
    slong * width;
    gc_activation_struct * acts;
    ulong * wb;         /* the parameter words, as gc_wnet_struct's */
    slong nwb, wb_alloc;
    mpq_ptr cq;
    slong ncq, cq_alloc;
    ulong * a0w, * yw;  /* the words of a0 and y when given (else NULL),
                           their rationals in cq */
    slong na0, ny;
    slong block;        /* line of the last 'layer', 0 before the first */
    gc_activation_t dact;   /* the activation of the 'act' line */
    gc_cost_t cst;
} gc_reader_struct;

#define GC_READ_CAP0 16

static void
reader_init(gc_reader_struct * R, gc_read_want_t want, gc_net_struct * net)
{
    memset(R, 0, sizeof *R);
    R->want = want;
    R->wide = (want == GC_READ_WIDE);
    R->net = net;
    mpq_init(R->w);
    mpq_init(R->b);
    R->cap = GC_READ_CAP0;
    R->width = flint_malloc((GC_READ_CAP0 + 1) * sizeof(slong));
    R->width[0] = 1;
    R->acts = flint_malloc(GC_READ_CAP0 * sizeof(gc_activation_struct));
    gc_activation_init(R->dact);
    R->cst = GC_COST_QUADRATIC;
}

/* Frees what the reader still owns (wide_install takes the rest). */
static void
reader_clear(gc_reader_struct * R)
{
    slong l;

    mpq_clear(R->w);
    mpq_clear(R->b);
    flint_free(R->width);
    for (l = 0; l < R->len; l++)
        gc_activation_clear(R->acts + l);
    flint_free(R->acts);
    flint_free(R->wb);
    for (l = 0; l < R->cq_alloc; l++)
        mpq_clear(R->cq + l);
    flint_free(R->cq);
    flint_free(R->a0w);
    flint_free(R->yw);
    gc_activation_clear(R->dact);
}

/* Appends a layer of *width* neurons (so far) to the wide network, with
   the activation of the 'act' line.  Once there is a layer, n_0 =
   width[0] is fixed (read_vector holds a later a0 to it). */
static void
wide_push_layer(gc_reader_struct * R, slong width)
{
    const char * fn = "gc_net_read_any";

    if (R->len == R->cap)
    {
        R->cap = 2 * R->cap;
        R->width = flint_realloc(R->width, _gc_array_bytes(R->cap + 1,
                                 sizeof(slong), fn));
        R->acts = flint_realloc(R->acts, _gc_array_bytes(R->cap,
                                sizeof(gc_activation_struct), fn));
    }
    gc_activation_init(R->acts + R->len);
    gc_activation_set(R->acts + R->len, R->dact);
    R->len++;
    R->width[R->len] = width;
}

/* Makes room for *n* more parameter words. */
static void
wide_fit_words(gc_reader_struct * R, slong n)
{
    if (n > WORD_MAX - R->nwb)
        gc_throw("gc_net_read_any: too many parameters");
    if (R->nwb + n > R->wb_alloc)
    {
        R->wb_alloc = FLINT_MAX(R->nwb + n, 2 * R->wb_alloc);
        R->wb = flint_realloc(R->wb, _gc_array_bytes(R->wb_alloc,
                              sizeof(ulong), "gc_net_read_any"));
    }
}

/* Returns the word of the exact q (appending it to cq if needed). */
static ulong
wide_word_q(gc_reader_struct * R, const mpq_t q)
{
    return _gc_word_q(&R->cq, &R->ncq, &R->cq_alloc, q, "gc_net_read_any");
}

/* ---- errors ---------------------------------------------------------- */

/* Parses [s, s+n) as a number into q, reporting errors at *line*. */
static int
token_q(mpq_t q, const char * s, size_t n, slong line, gc_parse_error_t err)
{
    int status = _gc_q_set_strn(q, s, n, err);

    err->line = line;
    return status;
}

/* Checks that the line has exactly *want* tokens; token 0 is the
   keyword, *what* names the missing item. */
static int
token_count(const gc_tokens_struct * t, int want, slong line,
               const char * what, gc_parse_error_t err)
{
    if (t->count < want)
        return _gc_net_error(err, line, t->s[t->count - 1],
                             t->n[t->count - 1], what, "");
    if (t->count > want)
        return _gc_net_error(err, line, t->s[want], t->n[want],
                             "extra token", "");
    return GC_SUCCESS;
}

/* Records keyword token 0 as seen on *line*, or fails if it was seen. */
static int
keyword_once(slong * seen, const gc_tokens_struct * t, slong line,
                gc_parse_error_t err)
{
    char after[48];

    if (*seen == 0)
    {
        *seen = line;
        return GC_SUCCESS;
    }
    snprintf(after, sizeof after, " (first given on line %ld)",
             (long) *seen);
    return _gc_net_error(err, line, t->s[0], t->n[0], "duplicate", after);
}

/* Fails with "WHAT 'TOKEN' (NAME, NAME, ...)" for token 1 of *t*, the
   names from the library's table *names*. */
static int
unknown_name(gc_parse_error_t err, slong line, const gc_tokens_struct * t,
                const char * what, const char * const * names)
{
    char after[GC_PARSE_MSG_MAX];
    char * list = gc_names_join(names, ", ");

    snprintf(after, sizeof after, " (%s)", list);
    flint_free(list);
    return _gc_net_error(err, line, t->s[1], t->n[1], what, after);
}

/* The cost 'given' of line *line* in a wide network. */
static int
given_error(gc_parse_error_t err, slong line)
{
    return _gc_net_error(err, line, "given", 5, "cost", " has no meaning "
                         "for a wide network (its output is a vector): "
                         "use quadratic or cross-entropy");
}

/* The cost cross-entropy of line *line* with the output activation *a*
   other than the sigmoid. */
static int
cross_entropy_error(gc_parse_error_t err, slong line,
                    const gc_activation_t a)
{
    char * act = gc_activation_get_str(a);

    _gc_parse_error_set(err, line, "cross-entropy", 13,
                        "cost 'cross-entropy' needs an output activation "
                        "with values in (0, 1) (sigmoid), not '%s'", act);
    flint_free(act);
    return GC_INVALID;
}

/* Copies [s, s+n) into buf (size size) for the name parsers; a token
   that does not fit becomes "" (no name is that long). */
static const char *
token_str(char * buf, size_t size, const char * s, size_t n)
{
    size_t k = n < size ? n : 0;

    memcpy(buf, s, k);
    buf[k] = '\0';
    return buf;
}

/* Sets *a* to the activation named [s, s+n), errors at *line*. */
static int
read_act_name(gc_activation_t a, const char * s, size_t n, slong line,
              gc_parse_error_t err)
{
    char name[GC_PARSE_TOKEN_MAX];
    int status = gc_activation_set_str(a, token_str(name, sizeof name, s,
                                                    n), err);

    err->line = line;
    return status;
}

/* ---- turning wide ---------------------------------------------------- */

/* Called on the token [s, s+n) of *line*, the first that only a wide
   network has: continues with the chain read so far as a wide network of
   widths 1, or fails for a chain reader. */
static int
go_wide(gc_reader_struct * R, const char * s, size_t n, slong line,
        gc_parse_error_t err)
{
    gc_net_struct * net = R->net;
    slong j;

    if (R->want == GC_READ_CHAIN)
        return _gc_net_error(err, line, s, n, "wide layers: a chain has one "
                             "input, one neuron a layer and one target; got",
                             "");
    if (net->cost == GC_COST_GIVEN)
        return given_error(err, R->cost);
    gc_activation_set(R->dact, &net->act);
    R->cst = net->cost;
    for (j = 1; j <= net->len; j++)
    {
        gc_net_get_layer_q(R->w, R->b, net, j);
        wide_push_layer(R, 1);
        gc_activation_set(R->acts + j - 1, gc_net_get_act(net, j));
        wide_fit_words(R, 2);
        R->wb[R->nwb++] = wide_word_q(R, R->w);
        R->wb[R->nwb++] = wide_word_q(R, R->b);
    }
    if (R->a0 != 0)
    {
        R->a0w = flint_malloc(sizeof(ulong));
        R->a0w[0] = wide_word_q(R, net->a0);
        R->na0 = 1;
    }
    if (R->y != 0)
    {
        R->yw = flint_malloc(sizeof(ulong));
        R->yw[0] = wide_word_q(R, net->y);
        R->ny = 1;
    }
    gc_net_set_length(net, 0);
    R->wide = 1;
    return GC_SUCCESS;
}

/* Fails if the open 'layer' block has no neuron line yet. */
static int
empty_block(const gc_reader_struct * R, gc_parse_error_t err)
{
    if (R->block != 0 && R->width[R->len] == 0)
        return _gc_net_error(err, R->block, "layer", 5,
                             "no neuron line after", "");
    return GC_SUCCESS;
}

/* ---- keywords -------------------------------------------------------- */

/* Fails with "expected WANT values after 'KEY' (WHY), got GOT" at
   *line*. */
static int
length_error(gc_parse_error_t err, slong line, const char * key,
             slong want, slong got, const char * why)
{
    char before[48], after[GC_PARSE_MSG_MAX];

    snprintf(before, sizeof before, "expected %ld value%s after",
             (long) want, want == 1 ? "" : "s");
    snprintf(after, sizeof after, " (%s), got %ld", why, (long) got);
    return _gc_net_error(err, line, key, strlen(key), before, after);
}

/* Sets dst[0..count) to the words of the first *count* numbers of [p,
   end), binary64 numbers straight to their words and anything else (and
   every error) through the rationals. */
static int
read_words(gc_reader_struct * R, ulong * dst, const char * p,
           const char * end, slong count, slong line, gc_parse_error_t err)
{
    const char * s;
    size_t n;
    double d;
    slong k;

    for (k = 0; k < count; k++)
    {
        p = next_token(&s, &n, p, end);
        if (_gc_dec_get_d_exact(&d, s, n))
            dst[k] = _gc_word_d(d);
        else if (token_q(R->w, s, n, line, err))
            return GC_INVALID;
        else
            dst[k] = wide_word_q(R, R->w);
    }
    return GC_SUCCESS;
}

/* Reads the values of 'a0' or 'y' (token 0 of *t*) of a wide network. */
static int
read_vector(gc_reader_struct * R, const gc_tokens_struct * t, slong line,
            gc_parse_error_t err)
{
    int a0 = token_is(t, 0, "a0");
    const char * s;
    size_t n;
    slong count = scan_tokens(&s, &n, t->s[1], t->end, 0);
    ulong ** v = a0 ? &R->a0w : &R->yw;

    if (a0 && R->len > 0 && count != R->width[0])
    {
        char why[64];

        snprintf(why, sizeof why, "layer 1 above has %ld input%s",
                 (long) R->width[0], R->width[0] == 1 ? "" : "s");
        return length_error(err, line, "a0", R->width[0], count, why);
    }
    flint_free(*v);
    *v = flint_malloc(_gc_array_bytes(count, sizeof(ulong),
                                      "gc_net_read_any"));
    *(a0 ? &R->na0 : &R->ny) = count;
    if (a0)
        R->width[0] = count;
    return read_words(R, *v, t->s[1], t->end, count, line, err);
}

/* A line 'layer' or 'layer act NAME': starts a layer of a wide
   network. */
static int
read_layer(gc_reader_struct * R, const gc_tokens_struct * t, slong line,
           gc_parse_error_t err)
{
    if (!R->wide && go_wide(R, t->s[0], t->n[0], line, err))
        return GC_INVALID;
    if (t->count > 1 && !token_is(t, 1, "act"))
        return _gc_net_error(err, line, t->s[1], t->n[1],
                             "expected 'act NAME' or nothing after 'layer', "
                             "got", "");
    if ((t->count > 1
         && token_count(t, 3, line, "missing activation after", err))
        || empty_block(R, err))
        return GC_INVALID;
    wide_push_layer(R, 0);
    R->block = line;
    if (t->count == 3)
        return read_act_name(R->acts + R->len - 1, t->s[2], t->n[2], line,
                             err);
    return GC_SUCCESS;
}

static int
read_keyword(gc_reader_struct * R, const gc_tokens_struct * t, slong line,
             gc_parse_error_t err)
{
    gc_net_struct * net = R->net;
    char name[GC_PARSE_TOKEN_MAX];

    if (token_is(t, 0, "a0") || token_is(t, 0, "y"))
    {
        int a0 = token_is(t, 0, "a0");

        if (keyword_once(a0 ? &R->a0 : &R->y, t, line, err)
            || (t->count < 2
                && token_count(t, 2, line, "missing value after", err)))
            return GC_INVALID;
        if (!R->wide && t->count == 2)
            return token_q(a0 ? net->a0 : net->y, t->s[1], t->n[1], line,
                           err);
        if (!R->wide && go_wide(R, t->s[2], t->n[2], line, err))
            return GC_INVALID;
        return read_vector(R, t, line, err);
    }
    if (token_is(t, 0, "layer"))
        return read_layer(R, t, line, err);
    if (token_is(t, 0, "act"))
    {
        if ((R->wide ? R->len : net->len) > 0)
            return _gc_net_error(err, line, t->s[0], t->n[0], "keyword",
                                 R->block != 0
                                 ? " after the first layer: it sets the "
                                   "activation of every layer (give a "
                                   "layer's own as 'layer act NAME')"
                                 : " after the first layer: it sets the "
                                   "activation of every layer (end a layer "
                                   "line with a name to change that layer's)");
        if (keyword_once(&R->act, t, line, err)
            || token_count(t, 2, line, "missing activation after", err))
            return GC_INVALID;
        return read_act_name(R->wide ? R->dact : &net->act, t->s[1],
                             t->n[1], line, err);
    }
    if (token_is(t, 0, "cost"))
    {
        if (keyword_once(&R->cost, t, line, err))
            return GC_INVALID;
        if (t->count >= 2 && token_is(t, 1, "given"))
        {
            if (token_count(t, 3, line, "missing value after", err))
                return GC_INVALID;
            if (R->wide)
                return given_error(err, line);
            net->cost = GC_COST_GIVEN;
            return token_q(net->dc_da, t->s[2], t->n[2], line, err);
        }
        if (token_count(t, 2, line, "missing cost after", err))
            return GC_INVALID;
        if (gc_cost_set_str(R->wide ? &R->cst : &net->cost,
                            token_str(name, sizeof name, t->s[1], t->n[1])))
            return unknown_name(err, line, t, "unknown cost",
                                   gc_cost_names());
        return GC_SUCCESS;
    }
    return _gc_net_error(err, line, t->s[0], t->n[0], "unknown keyword",
                         "");
}

/* Returns 1 if [s, s+n) looks like a keyword: a letter, then letters,
   digits, '-' or '_', and not a word that starts with "nan" or "inf"
   (those are refused as numbers, with a better message). */
static int
is_keyword_like(const char * s, size_t n)
{
    size_t i;

    if (!isalpha((unsigned char) s[0])
        || (n >= 3 && (strncasecmp(s, "nan", 3) == 0
                       || strncasecmp(s, "inf", 3) == 0)))
        return 0;
    for (i = 1; i < n; i++)
        if (!isalnum((unsigned char) s[i]) && s[i] != '-' && s[i] != '_')
            return 0;
    return 1;
}

/* 1 if [s, s+n) looks like an activation: a keyword, or a keyword and
   ':' with anything after it ("leaky-relu:0.2"). */
static int
is_act_like(const char * s, size_t n)
{
    const char * colon = memchr(s, ':', n);

    return is_keyword_like(s, colon != NULL ? (size_t) (colon - s) : n);
}

/* ---- layer lines ----------------------------------------------------- */

/* Sets the activation of the last layer of the chain from token 2 of
   its line. */
static int
read_layer_act(gc_net_t net, const gc_tokens_struct * t, slong line,
                  gc_parse_error_t err)
{
    gc_activation_t a;
    int status;

    gc_activation_init(a);
    status = read_act_name(a, t->s[2], t->n[2], line, err);
    if (status == GC_SUCCESS
        && gc_net_set_layer_act(net, net->len, a) != GC_SUCCESS)
        status = _gc_net_error(err, line, t->s[2], t->n[2], "activation",
                               ": more than " GC_XSTR_(GC_NET_ACTS_MAX)
                               " distinct activations");
    gc_activation_clear(a);
    return status;
}

/* A layer line "W B [NAME]" of a chain. */
static int
read_chain_layer(gc_reader_struct * R, const gc_tokens_struct * t,
                 slong line, gc_parse_error_t err)
{
    gc_net_struct * net = R->net;
    double w, b;

    /* binary64 numbers straight to their words, anything else (and every
       error) through the rationals */
    if (t->count >= 2 && _gc_dec_get_d_exact(&w, t->s[0], t->n[0])
        && _gc_dec_get_d_exact(&b, t->s[1], t->n[1]))
        _gc_net_push_layer_d(net, w, b);
    else
    {
        if (token_q(R->w, t->s[0], t->n[0], line, err))
            return GC_INVALID;
        if (t->count == 1)
            return _gc_net_error(err, line, t->s[0], t->n[0],
                                 "missing bias after weight", "");
        if (token_q(R->b, t->s[1], t->n[1], line, err))
            return GC_INVALID;
        _gc_net_push_layer(net, R->w, R->b);
    }
    if (t->count > 2 && is_act_like(t->s[2], t->n[2]))
    {
        if (t->count > 3)
            return _gc_net_error(err, line, t->s[3], t->n[3], "extra token",
                                 "");
        return read_layer_act(net, t, line, err);
    }
    if (t->count > 2)
        return _gc_net_error(err, line, t->s[2], t->n[2], "extra token",
                             "");
    return GC_SUCCESS;
}

/* A line of numbers of a wide network: a neuron of the open 'layer'
   block, n_{l-1} weights then the bias; before the first block, a layer
   of one neuron, the same numbers and an optional activation. */
static int
read_wide_row(gc_reader_struct * R, const gc_tokens_struct * t,
              slong line, gc_parse_error_t err)
{
    int block = R->block != 0;
    slong l = block ? R->len : R->len + 1, nin = R->width[l - 1];
    slong want = nin + 1, count;
    const char * s = t->s[0], * p = t->s[0], * name = NULL;
    size_t n = t->n[0], name_n = 0;

    count = scan_tokens(&s, &n, p, t->end, want);
    if (count == want + 1 && is_act_like(s, n))
    {
        if (block)
            return _gc_net_error(err, line, s, n, "a neuron line holds "
                                 "numbers only, got", " (a layer's "
                                 "activation goes on its line: 'layer act "
                                 "NAME')");
        name = s;
        name_n = n;
    }
    else if (count != want)
    {
        char before[GC_PARSE_MSG_MAX];

        snprintf(before, sizeof before, "a neuron of layer %ld takes %ld "
                 "numbers (%ld weight%s, then the bias), got %ld, %s",
                 (long) l, (long) want, (long) nin, nin == 1 ? "" : "s",
                 (long) count, count < want ? "ending with" : "the first "
                 "extra");
        return _gc_net_error(err, line, s, n, before,
                             l == 1 && R->na0 == 0 && R->a0 == 0
                                 ? " (no 'a0' line before it: n_0 = 1)"
                                 : "");
    }
    if (block)
        R->width[l]++;
    else
        wide_push_layer(R, 1);
    wide_fit_words(R, want);
    if (read_words(R, R->wb + R->nwb, p, t->end, want, line, err))
        return GC_INVALID;
    R->nwb += want;
    if (name != NULL)
        return read_act_name(R->acts + l - 1, name, name_n, line, err);
    return GC_SUCCESS;
}

static int
read_line(gc_reader_struct * R, const char * p, size_t n, slong line,
          gc_parse_error_t err)
{
    gc_tokens_struct t[1];
    const char * hash;
    size_t i;

    if ((i = find_control(p, n)) < n)
    {
        _gc_parse_error_set(err, line, p + i, 1,
                            "binary data (byte 0x%02x), not a network "
                            "file", (unsigned char) p[i]);
        return GC_INVALID;
    }
    if (line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    {
        p += 3;
        n -= 3;
    }
    hash = memchr(p, '#', n);
    tokenize(t, p, hash != NULL ? (size_t) (hash - p) : n);
    if (t->count == 0)
        return GC_SUCCESS;
    if (is_keyword_like(t->s[0], t->n[0]))
        return read_keyword(R, t, line, err);
    return R->wide ? read_wide_row(R, t, line, err)
                   : read_chain_layer(R, t, line, err);
}

/* ---- the end of a file ----------------------------------------------- */

/* Checks the chain read. */
static int
chain_finish(gc_reader_struct * R, gc_parse_error_t err)
{
    gc_net_struct * net = R->net;

    if (net->len == 0)
    {
        _gc_parse_error_set(err, 0, NULL, 0, "no layers");
        return GC_INVALID;
    }
    if (!gc_net_cost_is_valid(net))
        return cross_entropy_error(err, R->cost,
                                   gc_net_get_act(net, net->len));
    return GC_SUCCESS;
}

/* Moves the wide network read into *net*. */
static void
wide_install(gc_wnet_t net, gc_reader_struct * R)
{
    slong i, len = R->len;

    gc_wnet_set_widths(net, len, R->width);
    flint_free(net->wb);
    net->wb = flint_realloc(R->wb, R->nwb * sizeof(ulong));
    R->wb = NULL;
    net->cq = R->cq;    /* gc_wnet_set_widths left none */
    net->ncq = R->ncq;
    net->cq_alloc = R->cq_alloc;
    R->cq = NULL;
    R->cq_alloc = 0;
    for (i = 0; i < R->na0; i++)
        _gc_word_get_q(net->a0 + i, net->cq, R->a0w[i]);
    for (i = 0; i < R->ny; i++)
        _gc_word_get_q(net->y + i, net->cq, R->yw[i]);
    for (i = 0; i < len; i++)
        gc_activation_set(net->act + i, R->acts + i);
    net->cost = R->cst;
}

/* Checks the wide network read and installs it into *net*. */
static int
wide_finish(gc_wnet_t net, gc_reader_struct * R, gc_parse_error_t err)
{
    slong len = R->len, nl = R->width[len];

    if (len == 0)
    {
        _gc_parse_error_set(err, 0, NULL, 0, "no layers");
        return GC_INVALID;
    }
    if (empty_block(R, err))
        return GC_INVALID;
    if (R->yw != NULL && R->ny != nl)
    {
        char why[80];

        snprintf(why, sizeof why, "the output layer %ld has %ld neuron%s",
                 (long) len, (long) nl, nl == 1 ? "" : "s");
        return length_error(err, R->y, "y", nl, R->ny, why);
    }
    if (R->cst == GC_COST_CROSS_ENTROPY
        && R->acts[len - 1].kind != GC_ACT_SIGMOID)
        return cross_entropy_error(err, R->cost, R->acts + len - 1);
    wide_install(net, R);
    return GC_SUCCESS;
}

/* ---- the readers ----------------------------------------------------- */

/* Reads a network from *f*, or from *str* when f is NULL, as *want*
   says: a chain into *chain* (reset first), a wide network into *wide*
   (unchanged on failure); *is_wide* (may be NULL) tells which. */
static int
read_net(gc_net_t chain, gc_wnet_t wide, int * is_wide, gc_read_want_t want,
         FILE * f, const char * str, gc_parse_error_t err)
{
    gc_reader_struct R[1];
    gc_lines_struct L[1];
    const char * p;
    size_t n;
    int r = 0, status = GC_SUCCESS;

    memset(L, 0, sizeof L);
    if (f != NULL)
    {
        L->f = f;
        L->alloc = 1 << 16;
        L->buf = flint_malloc(L->alloc);
        L->data = L->buf;
    }
    else
    {
        L->data = str;
        L->len = strlen(str);
    }
    if (chain != NULL)
    {
        gc_net_set_length(chain, 0);
        mpq_set_ui(chain->a0, 1, 1);
        mpq_set_ui(chain->y, 0, 1);
        mpq_set_ui(chain->dc_da, 0, 1);
        gc_activation_clear(&chain->act);
        gc_activation_init(&chain->act);
        gc_net_set_act(chain, &chain->act);
        chain->cost = GC_COST_QUADRATIC;
    }
    reader_init(R, want, chain);
    while (status == GC_SUCCESS && (r = lines_next(L, &p, &n, err)) == 1)
        status = read_line(R, p, n, L->line, err);
    if (status != GC_SUCCESS || r != 0)
        status = GC_INVALID;
    else if (R->wide)
        status = wide_finish(wide, R, err);
    else
        status = chain_finish(R, err);
    if (status == GC_SUCCESS && is_wide != NULL)
        *is_wide = R->wide;
    reader_clear(R);
    flint_free(L->buf);
    return status;
}

int
gc_net_read(gc_net_t net, FILE * f, gc_parse_error_t err)
{
    return read_net(net, NULL, NULL, GC_READ_CHAIN, f, NULL, err);
}

int
gc_net_read_str(gc_net_t net, const char * str, gc_parse_error_t err)
{
    return read_net(net, NULL, NULL, GC_READ_CHAIN, NULL, str, err);
}

int
gc_net_read_any(gc_net_t chain, gc_wnet_t wide, int * is_wide, FILE * f,
                gc_parse_error_t err)
{
    return read_net(chain, wide, is_wide, GC_READ_ANY, f, NULL, err);
}

int
gc_net_read_any_str(gc_net_t chain, gc_wnet_t wide, int * is_wide,
                    const char * str, gc_parse_error_t err)
{
    return read_net(chain, wide, is_wide, GC_READ_ANY, NULL, str, err);
}

int
gc_wnet_read(gc_wnet_t net, FILE * f, gc_parse_error_t err)
{
    return read_net(NULL, net, NULL, GC_READ_WIDE, f, NULL, err);
}

int
gc_wnet_read_str(gc_wnet_t net, const char * str, gc_parse_error_t err)
{
    return read_net(NULL, net, NULL, GC_READ_WIDE, NULL, str, err);
}

/* ---- writing ------------------------------------------------------- */

static void
put_zeros(FILE * f, slong k)
{
    for (; k > 0; k--)
        putc('0', f);
}

/* Writes the n digits s times 10^e positionally: "1200", "1.25",
   "0.0012". */
static void
put_positional(FILE * f, const char * s, slong n, slong e)
{
    if (e >= 0)
    {
        fputs(s, f);
        put_zeros(f, e);
    }
    else if (n > -e)
        fprintf(f, "%.*s.%s", (int) (n + e), s, s + n + e);
    else
    {
        fputs("0.", f);
        put_zeros(f, -e - n);
        fputs(s, f);
    }
}

/* Writes x exactly: when its denominator is 2^a 5^b, as D 10^e with D
   an integer (positional, or "De"), otherwise as p/q. */
static void
write_q(FILE * f, const mpq_t x)
{
    mpz_t d, t;
    mp_bitcnt_t a, b, k;
    slong e, n;
    char * s;

    mpz_init(d);
    mpz_init_set_ui(t, 5);
    a = mpz_scan1(mpq_denref(x), 0);
    mpz_tdiv_q_2exp(d, mpq_denref(x), a);
    b = mpz_remove(d, d, t);
    if (mpz_cmp_ui(d, 1) != 0)
    {
        mpz_out_str(f, 10, mpq_numref(x));
        putc('/', f);
        mpz_out_str(f, 10, mpq_denref(x));
    }
    else if (mpq_sgn(x) == 0)
        putc('0', f);
    else
    {
        /* x = D 10^-k with D = |p| 2^(k-a) 5^(k-b) */
        k = FLINT_MAX(a, b);
        mpz_ui_pow_ui(t, 5, k - b);
        mpz_mul_2exp(d, mpq_numref(x), k - a);
        mpz_mul(d, d, t);
        mpz_abs(d, d);
        e = -(slong) k;
        if (k == 0)
        {
            mpz_set_ui(t, 10);
            e = mpz_remove(d, d, t);
        }
        s = flint_malloc(mpz_sizeinbase(d, 10) + 2);
        mpz_get_str(s, 10, d);
        n = strlen(s);
        if (mpq_sgn(x) < 0)
            putc('-', f);
        if (e < GC_POSITIONAL_MIN || e > GC_POSITIONAL_MAX)
        {
            /* "M eE" with E within the reader's bound, so that what is
               written reads back: the digits beyond it go into M */
            slong E = FLINT_MAX(-GC_EXP10_MAX, FLINT_MIN(e, GC_EXP10_MAX));

            put_positional(f, s, n, e - E);
            fprintf(f, "e%ld", (long) E);
        }
        else
            put_positional(f, s, n, e);
        flint_free(s);
    }
    mpz_clear(d);
    mpz_clear(t);
}

/* Writes "<key> <v[0]> ... <v[n-1]>\n". */
static void
write_key_vec(FILE * f, const char * key, mpq_srcptr v, slong n)
{
    slong i;

    fputs(key, f);
    for (i = 0; i < n; i++)
    {
        putc(' ', f);
        write_q(f, v + i);
    }
    putc('\n', f);
}

/* Writes the name of *a* with the format *fmt* (one %s). */
static void
write_act(FILE * f, const char * fmt, const gc_activation_struct * a)
{
    char * act = gc_activation_get_str(a);

    fprintf(f, fmt, act);
    flint_free(act);
}

int
gc_net_write(FILE * f, const gc_net_t net)
{
    mpq_t w, b;
    slong j;

    fprintf(f, "# gradchain network v1\n# L %ld\n", (long) net->len);
    write_key_vec(f, "a0", net->a0, 1);
    write_key_vec(f, "y", net->y, 1);
    if (net->act.kind != GC_ACT_SIGMOID)
        write_act(f, "act %s\n", &net->act);
    if (net->cost == GC_COST_GIVEN)
        write_key_vec(f, "cost given", net->dc_da, 1);
    else if (net->cost != GC_COST_QUADRATIC)
        fprintf(f, "cost %s\n", gc_cost_name(net->cost));

    mpq_init(w);
    mpq_init(b);
    for (j = 1; j <= net->len && !ferror(f); j++)
    {
        gc_net_get_layer_q(w, b, net, j);
        write_q(f, w);
        putc(' ', f);
        write_q(f, b);
        if (net->layer_act != NULL && net->layer_act[j - 1] != 0)
            write_act(f, " %s", gc_net_get_act(net, j));
        putc('\n', f);
    }
    mpq_clear(w);
    mpq_clear(b);
    return ferror(f) ? GC_INVALID : GC_SUCCESS;
}

int
gc_wnet_write(FILE * f, const gc_wnet_t net)
{
    const gc_activation_struct * dact;
    gc_activation_t sigmoid;
    slong l, i, k, idx = 0, len = net->len;
    int uniform = 1, block = 0, own;
    mpq_t q;

    fprintf(f, "# gradchain network v1\n# L %ld\n", (long) len);
    write_key_vec(f, "a0", net->a0, net->width[0]);
    write_key_vec(f, "y", net->y, net->width[len]);
    /* the 'act' line when every layer has the same activation; else the
       layers that are not sigmoids name theirs */
    for (l = 1; l < len && uniform; l++)
        uniform = gc_activation_equal(net->act + l, net->act);
    gc_activation_init(sigmoid);
    dact = uniform && len > 0 ? net->act : sigmoid;
    if (dact->kind != GC_ACT_SIGMOID)
        write_act(f, "act %s\n", dact);
    if (net->cost != GC_COST_QUADRATIC)
        fprintf(f, "cost %s\n", gc_cost_name(net->cost));

    /* one-neuron layers as chain lines until the first wider layer, then
       a 'layer' block for every layer */
    mpq_init(q);
    for (l = 1; l <= len && !ferror(f); l++)
    {
        own = !gc_activation_equal(net->act + l - 1, dact);
        block |= net->width[l] > 1;
        if (block)
        {
            fputs("layer", f);
            if (own)
                write_act(f, " act %s", net->act + l - 1);
            putc('\n', f);
        }
        for (i = 0; i < net->width[l]; i++)
        {
            for (k = 0; k <= net->width[l - 1]; k++, idx++)
            {
                if (k > 0)
                    putc(' ', f);
                _gc_word_get_q(q, net->cq, net->wb[idx]);
                write_q(f, q);
            }
            if (!block && own)
                write_act(f, " %s", net->act + l - 1);
            putc('\n', f);
        }
    }
    mpq_clear(q);
    gc_activation_clear(sigmoid);
    return ferror(f) ? GC_INVALID : GC_SUCCESS;
}
