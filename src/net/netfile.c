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
        a0 V | y V | act NAME | cost quadratic | cost cross-entropy |
        cost given V | W B [NAME]
    The keywords may come anywhere, each at most once, except 'act',
    which must come before the first layer line; a line whose first
    token looks like a word (a letter, then letters, digits, '-', '_') is
    a keyword line, unless the word starts with "nan" or "inf" (those are
    refused as numbers).  Lines are at
    most GC_NET_LINE_MAX bytes; control bytes other than tab and CR mean
    the input is not text.  A UTF-8 byte order mark is skipped.
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

typedef struct
{
    const char * s[GC_TOKENS];
    size_t n[GC_TOKENS];
    int count;          /* number of tokens, at most GC_TOKENS */
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

/* Splits [p, p+n) (already cut at '#') into at most GC_TOKENS tokens. */
static void
tokenize(gc_tokens_struct * t, const char * p, size_t n)
{
    const char * end = p + n;

    t->count = 0;
    while (t->count < GC_TOKENS)
    {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            break;
        t->s[t->count] = p;
        p = find_space(p, end);
        t->n[t->count] = p - t->s[t->count];
        t->count++;
    }
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

/* State of the reader: where each keyword was seen (0 = not yet), and
   the weight and bias of a layer line, read before they are stored
   (_gc_net_push_layer). */
typedef struct
{
    slong a0;
    slong y;
    slong act;
    slong cost;
    mpq_t w, b;
} gc_seen_struct;

/* Parses token i as a number into q, reporting errors at *line*. */
static int
token_q(mpq_t q, const gc_tokens_struct * t, int i, slong line,
           gc_parse_error_t err)
{
    int status = _gc_q_set_strn(q, t->s[i], t->n[i], err);

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

/* Copies token i into buf (size n) for the name parsers; a token that
   does not fit becomes "" (no name is that long). */
static const char *
token_str(char * buf, size_t n, const gc_tokens_struct * t, int i)
{
    size_t k = t->n[i] < n ? t->n[i] : 0;

    memcpy(buf, t->s[i], k);
    buf[k] = '\0';
    return buf;
}

static int
read_keyword(gc_net_t net, gc_seen_struct * seen,
                const gc_tokens_struct * t, slong line,
                gc_parse_error_t err)
{
    char name[GC_PARSE_TOKEN_MAX];

    if (token_is(t, 0, "a0") || token_is(t, 0, "y"))
    {
        int a0 = token_is(t, 0, "a0");

        if (keyword_once(a0 ? &seen->a0 : &seen->y, t, line, err)
            || token_count(t, 2, line, "missing value after", err))
            return GC_INVALID;
        return token_q(a0 ? net->a0 : net->y, t, 1, line, err);
    }
    if (token_is(t, 0, "act"))
    {
        if (net->len > 0)
            return _gc_net_error(err, line, t->s[0], t->n[0], "keyword",
                                 " after the first layer: it sets the "
                                 "activation of every layer (end a layer "
                                 "line with a name to change that layer's)");
        if (keyword_once(&seen->act, t, line, err)
            || token_count(t, 2, line, "missing activation after", err))
            return GC_INVALID;
        if (gc_activation_set_str(&net->act, token_str(name, sizeof name,
                                                          t, 1), err))
        {
            err->line = line;
            return GC_INVALID;
        }
        return GC_SUCCESS;
    }
    if (token_is(t, 0, "cost"))
    {
        if (keyword_once(&seen->cost, t, line, err))
            return GC_INVALID;
        if (t->count >= 2 && token_is(t, 1, "given"))
        {
            if (token_count(t, 3, line, "missing value after", err))
                return GC_INVALID;
            net->cost = GC_COST_GIVEN;
            return token_q(net->dc_da, t, 2, line, err);
        }
        if (token_count(t, 2, line, "missing cost after", err))
            return GC_INVALID;
        if (gc_cost_set_str(&net->cost, token_str(name, sizeof name, t,
                                                     1)))
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

/* Sets the activation of the last layer from token 2 of its line. */
static int
read_layer_act(gc_net_t net, const gc_tokens_struct * t, slong line,
                  gc_parse_error_t err)
{
    char name[GC_PARSE_TOKEN_MAX];
    gc_activation_t a;
    int status;

    gc_activation_init(a);
    status = gc_activation_set_str(a, token_str(name, sizeof name, t, 2),
                                   err);
    if (status == GC_SUCCESS
        && gc_net_set_layer_act(net, net->len, a) != GC_SUCCESS)
        status = _gc_net_error(err, line, t->s[2], t->n[2], "activation",
                               ": more than " GC_XSTR_(GC_NET_ACTS_MAX)
                               " distinct activations");
    gc_activation_clear(a);
    err->line = line;
    return status;
}

/* 1 if [s, s+n) looks like an activation: a keyword, or a keyword and
   ':' with anything after it ("leaky-relu:0.2"). */
static int
is_act_like(const char * s, size_t n)
{
    const char * colon = memchr(s, ':', n);

    return is_keyword_like(s, colon != NULL ? (size_t) (colon - s) : n);
}

static int
read_line(gc_net_t net, gc_seen_struct * seen, const char * p,
             size_t n, slong line, gc_parse_error_t err)
{
    gc_tokens_struct t[1];
    const char * hash;
    double w, b;
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
        return read_keyword(net, seen, t, line, err);

    /* a layer line "W B": binary64 numbers straight to their words,
       anything else (and every error) through the rationals */
    if (t->count >= 2 && _gc_dec_get_d_exact(&w, t->s[0], t->n[0])
        && _gc_dec_get_d_exact(&b, t->s[1], t->n[1]))
        _gc_net_push_layer_d(net, w, b);
    else
    {
        if (token_q(seen->w, t, 0, line, err))
            return GC_INVALID;
        if (t->count == 1)
            return _gc_net_error(err, line, t->s[0], t->n[0],
                                 "missing bias after weight", "");
        if (token_q(seen->b, t, 1, line, err))
            return GC_INVALID;
        _gc_net_push_layer(net, seen->w, seen->b);
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

static int
net_read_lines(gc_net_t net, gc_lines_struct * L, gc_parse_error_t err)
{
    gc_seen_struct seen;
    const char * p;
    size_t n;
    int r = 0, status = GC_SUCCESS;

    gc_net_set_length(net, 0);
    mpq_set_ui(net->a0, 1, 1);
    mpq_set_ui(net->y, 0, 1);
    mpq_set_ui(net->dc_da, 0, 1);
    gc_activation_clear(&net->act);
    gc_activation_init(&net->act);
    gc_net_set_act(net, &net->act);
    net->cost = GC_COST_QUADRATIC;

    seen.a0 = seen.y = seen.act = seen.cost = 0;
    mpq_init(seen.w);
    mpq_init(seen.b);
    while (status == GC_SUCCESS && (r = lines_next(L, &p, &n, err)) == 1)
        status = read_line(net, &seen, p, n, L->line, err);
    mpq_clear(seen.w);
    mpq_clear(seen.b);
    if (status != GC_SUCCESS || r != 0)
        return GC_INVALID;
    if (net->len == 0)
    {
        _gc_parse_error_set(err, 0, NULL, 0, "no layers");
        return GC_INVALID;
    }
    if (!gc_net_cost_is_valid(net))
    {
        char * act = gc_activation_get_str(gc_net_get_act(net, net->len));

        _gc_parse_error_set(err, seen.cost, "cross-entropy", 13,
                            "cost 'cross-entropy' needs an output activation "
                            "with values in (0, 1) (sigmoid), not '%s'", act);
        flint_free(act);
        return GC_INVALID;
    }
    return GC_SUCCESS;
}

int
gc_net_read(gc_net_t net, FILE * f, gc_parse_error_t err)
{
    gc_lines_struct L[1];
    int status;

    memset(L, 0, sizeof L);
    L->f = f;
    L->alloc = 1 << 16;
    L->buf = flint_malloc(L->alloc);
    L->data = L->buf;
    status = net_read_lines(net, L, err);
    flint_free(L->buf);
    return status;
}

int
gc_net_read_str(gc_net_t net, const char * str, gc_parse_error_t err)
{
    gc_lines_struct L[1];

    memset(L, 0, sizeof L);
    L->data = str;
    L->len = strlen(str);
    return net_read_lines(net, L, err);
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

/* Writes "<key> <x>\n". */
static void
write_key_q(FILE * f, const char * key, const mpq_t x)
{
    fputs(key, f);
    putc(' ', f);
    write_q(f, x);
    putc('\n', f);
}

int
gc_net_write(FILE * f, const gc_net_t net)
{
    mpq_t w, b;
    slong j;

    fprintf(f, "# gradchain network v1\n# L %ld\n", (long) net->len);
    write_key_q(f, "a0", net->a0);
    write_key_q(f, "y", net->y);
    if (net->act.kind != GC_ACT_SIGMOID)
    {
        char * act = gc_activation_get_str(&net->act);

        fprintf(f, "act %s\n", act);
        flint_free(act);
    }
    if (net->cost == GC_COST_GIVEN)
        write_key_q(f, "cost given", net->dc_da);
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
        {
            char * act = gc_activation_get_str(gc_net_get_act(net, j));

            fprintf(f, " %s", act);
            flint_free(act);
        }
        putc('\n', f);
    }
    mpq_clear(w);
    mpq_clear(b);
    return ferror(f) ? GC_INVALID : GC_SUCCESS;
}
