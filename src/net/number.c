/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.

    number.c -- exact parsing of numbers into rationals.

    Grammar (the whole string, no spaces; strtod's, minus NaN/infinity,
    plus fractions):
        number   = [sign] (hex | fraction | decimal)
        decimal  = digits ["." [digits]] [exp]  |  "." digits [exp]
        exp      = ("e" | "E") [sign] digits
        fraction = digits "/" digits        (denominator unsigned, != 0)
        hex      = ("0x" | "0X") hexmant [("p" | "P") [sign] digits]
        hexmant  = hexdigits ["." [hexdigits]]  |  "." hexdigits
    An exponent is decimal for decimals (value = m 10^e) and binary for
    hex floats (value = m 2^e); |e| <= 10^6 in both cases.

    Cost.  The value is exact, so 10^e or 2^e is a GMP integer of up to
    3.3 (decimal) or 1 (hex) million bits, at most about 0.4 MB, built in
    a few milliseconds.  The bounds keep this per-number cost small: with the
    former bound of 10^9, the 14-byte file "1e999999999 0" needed 15 s and
    1.4 GB, and eight such numbers exhausted memory.  Digits written out
    in full ("0.000...1") cost in proportion to their length.  The range
    10^+-10^6 (2^+-10^6 for hex) stays far beyond every built-in format
    (binary64 ends at 10^+-308, binary128 at 10^+-4966).  The hex bound is
    not larger than the decimal one because gc_net_write writes m 2^-e as
    the decimal D 10^-e, which must read back.
*/

#include <math.h>
#include <string.h>

#include "net-impl.h"

/* The bound of the exponent after 'p' (hex floats) equals GC_EXP10_MAX
   (net-impl.h), so that every number the writer prints reads back. */
#define GC_EXP2_MAX GC_EXP10_MAX

/* Scans [s, end) for the longest run of digits in base 10 (hex = 0) or
   16 (hex = 1) and returns its end. */
static const char *
scan_digits(const char * s, const char * end, int hex)
{
    while (s < end && ((*s >= '0' && *s <= '9')
                       || (hex && ((*s >= 'a' && *s <= 'f')
                                   || (*s >= 'A' && *s <= 'F')))))
        s++;
    return s;
}

/* Sets z to the integer whose base-*base* digits are [s, s+n) followed
   by [t, t+m) (n + m >= 1, digits only). */
static void
digits_to_mpz(mpz_t z, const char * s, size_t n, const char * t,
                  size_t m, int base)
{
    char small[128];
    char * buf = (n + m < sizeof small) ? small : flint_malloc(n + m + 1);

    memcpy(buf, s, n);
    memcpy(buf + n, t, m);
    buf[n + m] = '\0';
    mpz_set_str(z, buf, base);
    if (buf != small)
        flint_free(buf);
}

int
_gc_net_error(gc_parse_error_t err, slong line, const char * tok,
              size_t n, const char * before, const char * after)
{
    char token[GC_PARSE_TOKEN_MAX];

    _gc_parse_error_set(err, line, tok, n, "%s", "");
    memcpy(token, err->token, sizeof token);
    snprintf(err->msg, GC_PARSE_MSG_MAX, "%s '%s'%s", before, token, after);
    return GC_INVALID;
}

/* Returns 1 if [s, end) starts, ignoring case, with the lowercase
   *word*, and then ends or, if *open* != 0, goes on with '('. */
static int
word_nocase(const char * s, const char * end, const char * word,
               int open)
{
    for (; *word != '\0'; s++, word++)
        if (s == end || (*s | 0x20) != *word)
            return 0;
    return s == end || (open && *s == '(');
}

/* Parses an exponent "[sign] digits" spanning exactly [s, end) into *e*;
   returns 0 if it is malformed, -1 if |e| > max, 1 otherwise. */
static int
parse_exponent(slong * e, const char * s, const char * end, slong max)
{
    int neg = (s < end && *s == '-');
    slong v = 0;

    if (s < end && (*s == '+' || *s == '-'))
        s++;
    if (s == end || scan_digits(s, end, 0) != end)
        return 0;
    for (; s < end; s++)
    {
        v = 10 * v + (*s - '0');
        if (v > max)
            return -1;
    }
    *e = neg ? -v : v;
    return 1;
}

/* Sets q (denominator 1) to q / 10^k in lowest terms, k > 0.  The
   common case is the exact decimal of a binary64 or other binary number
   m 2^-j, whose digits m 5^j hold 5^k when j >= k: dividing out 5^k (by
   word-sized powers, 5^27 < 2^63) and the common powers of two is then
   the whole reduction, with no power of ten and no gcd (mpq_canonicalize
   spent most of a number's parsing in them). */
static void
div_pow10(mpq_t q, slong k)
{
    mpz_ptr num = mpq_numref(q), den = mpq_denref(q);
    slong done = 0, c;
    mp_bitcnt_t a;

    if (mpz_sgn(num) == 0)
        return;
    for (; done < k; done += c)
    {
        ulong p;

        c = FLINT_MIN(k - done, 27);
        p = n_pow(5, c);
        if (!mpz_divisible_ui_p(num, p))
            break;
        mpz_divexact_ui(num, num, p);
    }
    if (done < k)
    {
        /* num 5^done / 10^k = num / (2^k 5^(k - done)) */
        mpz_ui_pow_ui(den, 5, k - done);
        mpz_mul_2exp(den, den, k);
        mpq_canonicalize(q);
        return;
    }
    /* num / 2^k, less the twos of num */
    a = FLINT_MIN(mpz_scan1(num, 0), (mp_bitcnt_t) k);
    mpz_tdiv_q_2exp(num, num, a);
    mpz_set_ui(den, 1);
    mpz_mul_2exp(den, den, k - a);
}

/* The fast way to read a decimal whose value is a binary fraction
   (every binary64 written exactly, the numbers of a saved network): at
   most FAST_DIGITS digits, parsed 19 at a time into limbs on the stack
   and the 5^k of 10^-k divided out by word-sized powers, with no
   allocation but the result's.  A decimal that
   needs more digits, is an integer, or whose digits 5^k does not divide
   (0.1) is read the usual way, which gives the same rational: both are
   in lowest terms. */
#define FAST_DIGITS 800
#define FAST_LIMBS (FAST_DIGITS * 10 / 3 / FLINT_BITS + 2)

static const ulong pow10_word[20] = {UWORD(1), UWORD(10), UWORD(100), UWORD(1000), UWORD(10000), UWORD(100000), UWORD(1000000), UWORD(10000000), UWORD(100000000), UWORD(1000000000), UWORD(10000000000), UWORD(100000000000), UWORD(1000000000000), UWORD(10000000000000), UWORD(100000000000000), UWORD(1000000000000000), UWORD(10000000000000000), UWORD(100000000000000000), UWORD(1000000000000000000), UWORD(10000000000000000000)};
static const ulong pow5_word[28] = {UWORD(1), UWORD(5), UWORD(25), UWORD(125), UWORD(625), UWORD(3125), UWORD(15625), UWORD(78125), UWORD(390625), UWORD(1953125), UWORD(9765625), UWORD(48828125), UWORD(244140625), UWORD(1220703125), UWORD(6103515625), UWORD(30517578125), UWORD(152587890625), UWORD(762939453125), UWORD(3814697265625), UWORD(19073486328125), UWORD(95367431640625), UWORD(476837158203125), UWORD(2384185791015625), UWORD(11920928955078125), UWORD(59604644775390625), UWORD(298023223876953125), UWORD(1490116119384765625), UWORD(7450580596923828125)};

/* Sets the integer of *dn limbs d to d m + a and returns the carry out
   (a limb of the product, not stored), inline for the few limbs of a
   number's digits. */
static ulong
limbs_mul_add(mp_limb_t * d, mp_size_t dn, ulong m, ulong a)
{
    mp_size_t i;
    ulong hi, lo;

    for (i = 0; i < dn; i++)
    {
        umul_ppmm(hi, lo, d[i], m);
        lo += a;
        a = hi + (lo < a);
        d[i] = lo;
    }
    return a;
}

/* Appends the len digits v (len <= 19) to the integer of *dn limbs d
   (dn = 0: zero), which has room for one more limb. */
static void
dec_append(mp_limb_t * d, mp_size_t * dn, ulong v, slong len)
{
    /* d 10^len + v < (d + 1) 10^len: the carry is the only new limb */
    d[*dn] = limbs_mul_add(d, *dn, pow10_word[len], v);
    *dn += (d[*dn] != 0);
}

/* If the decimal of digits [ip, ip + ni) then [fp, fp + nf) times 10^e,
   negative if *neg*, is a binary fraction m / 2^j (j > 0) read the fast
   way, sets q to it and returns 1; returns 0 otherwise, q unchanged. */
static int
read_binary_fraction(mpq_t q, const char * ip, size_t ni, const char * fp,
                     size_t nf, slong e, int neg)
{
    char buf[FAST_DIGITS];
    mp_limb_t d[FAST_LIMBS];
    mp_size_t dn = 0;
    size_t n = ni + nf, i, j, len;
    slong k, done, c;

    if (n > FAST_DIGITS)
        return 0;
    memcpy(buf, ip, ni);
    memcpy(buf + ni, fp, nf);
    e -= (slong) nf; /* the value is buf 10^e */
    while (n > 0 && buf[n - 1] == '0')
    {
        n--;
        e++;
    }
    for (i = 0; i < n && buf[i] == '0'; i++)
        ;
    if (i == n || e >= 0)
        return 0;
    k = -e;
    for (; i < n; i += len)
    {
        ulong v = 0;

        len = FLINT_MIN(n - i, 19);
        for (j = 0; j < len; j++)
            v = 10 * v + (ulong) (buf[i + j] - '0');
        dec_append(d, &dn, v, (slong) len);
    }
    for (done = 0; done < k; done += c)
    {
        c = FLINT_MIN(k - done, 27);
        if (mpn_divrem_1(d, 0, d, dn, pow5_word[c]) != 0)
            return 0;
        dn -= (d[dn - 1] == 0);
    }
    /* d / 2^k in lowest terms: the digits do not end in 0, so those
       that 5 divides are odd */
    flint_mpn_copyi(mpz_limbs_write(mpq_numref(q), dn), d, dn);
    mpz_limbs_finish(mpq_numref(q), neg ? -dn : dn);
    mpz_set_ui(mpq_denref(q), 0);
    mpz_setbit(mpq_denref(q), k);
    return 1;
}

/* The inverse of 5^k modulo 2^FLINT_BITS. */
static ulong
inv_pow5(slong k)
{
    ulong r = 1, x = UWORD(0xCCCCCCCCCCCCCCCD); /* 5 x = 1 mod 2^64 */

    for (; k > 0; k >>= 1, x *= x)
        if (k & 1)
            r *= x;
    return r;
}

/* If the nonzero integer D of dn limbs times 10^e is a binary64 number
   that this test finds, sets *d* to it and returns 1; returns 0
   otherwise.  For e >= 0 it finds D 10^e below 2^64 with at most 53
   bits from its highest to its lowest bit set.  For e < 0 it is c / 2^k
   with k = -e and c = D / 5^k; it finds c below 2^64 (digits not ending
   in zeros: c odd, so every binary64 number), and c / 2^k is a binary64
   number exactly when, c = c' 2^t with c' odd, c' < 2^53 and k - t <=
   1074 (then c' 2^(t-k) is a multiple of 2^-1074, and below 2^-1022 has
   c' 2^(1074-k+t) < 2^52: a subnormal).  If 5^k divides D, c = D 5^-k
   modulo 2^64, D's low limb times inv_pow5(k); whatever the candidate,
   the test c 5^k = D (word-sized multiplications, then the limbs
   compared) proves D / 10^k = c / 2^k. */
static int
dec_to_d(double * d, const mp_limb_t * D, mp_size_t dn, slong e)
{
    mp_limb_t p[FAST_LIMBS + 1];
    mp_size_t pn = 1;
    slong k = -e, done, c, t;
    ulong m, hi;
    double x;

    if (e >= 0)
    {
        if (dn != 1 || e > 19)
            return 0;
        umul_ppmm(hi, m, D[0], pow10_word[e]);
        if (hi != 0)
            return 0;
        count_trailing_zeros(c, m);
        if ((m >> c) >> 53 != 0)
            return 0;
        *d = (double) m;
        return 1;
    }
    if (k > 1074 + FLINT_BITS)
        return 0;
    m = D[0] * inv_pow5(k);
    if (m == 0)
        return 0;
    count_trailing_zeros(t, m);
    if ((m >> t) >> 53 != 0 || k - t > 1074)
        return 0;
    for (p[0] = m, done = 0; done < k && pn <= dn; done += c)
    {
        c = FLINT_MIN(k - done, 27);
        p[pn] = limbs_mul_add(p, pn, pow5_word[c], 0);
        pn += (p[pn] != 0);
    }
    if (pn != dn || mpn_cmp(p, D, pn) != 0)
        return 0;
    if (k <= t)
    {
        *d = (double) (m >> k); /* an integer, exact */
        return 1;
    }
    /* c' 2^-(k-t): c' and 2^-(k-t) (normal to 2^-1022, then subnormal)
       are binary64 numbers, and so is their product */
    k -= t;
    hi = k <= 1022 ? (ulong) (1023 - k) << 52 : UWORD(1) << (1074 - k);
    memcpy(&x, &hi, sizeof x);
    *d = (double) (m >> t) * x;
    return 1;
}

/* If the 8 bytes at s are digits, sets *x* to their value and returns
   1 (fast_float's SWAR test and conversion, on little-endian 64-bit
   machines); returns 0 otherwise. */
static int
eight_digits(ulong * x, const char * s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ \
    && FLINT_BITS == 64
    const ulong mask = UWORD(0x000000FF000000FF);
    ulong v;

    memcpy(&v, s, 8);
    if (((v & UWORD(0xF0F0F0F0F0F0F0F0))
         | (((v + UWORD(0x0606060606060606)) & UWORD(0xF0F0F0F0F0F0F0F0))
            >> 4)) != UWORD(0x3333333333333333))
        return 0;
    v -= UWORD(0x3030303030303030);
    v = 10 * v + (v >> 8); /* digit pairs in bytes 0, 2, 4, 6 */
    *x = ((v & mask) * (100 + (UWORD(1000000) << 32))
          + ((v >> 16) & mask) * (1 + (UWORD(10000) << 32))) >> 32;
    return 1;
#else
    (void) x;
    (void) s;
    return 0;
#endif
}

/* Appends the chunk of len digits *v* to the limbs D and empties it;
   returns 0 if D has no room left. */
static int
dec_chunk(mp_limb_t * D, mp_size_t * dn, ulong * v, slong * len)
{
    if (*dn == FAST_LIMBS - 1)
        return 0;
    dec_append(D, dn, *v, *len);
    *v = 0;
    *len = 0;
    return 1;
}

int
_gc_dec_get_d_exact(double * d, const char * str, size_t n)
{
    const char * s = str, * end = str + n;
    mp_limb_t D[FAST_LIMBS];
    mp_size_t dn = 0;
    ulong v = 0, c;
    slong len = 0, digits = 0, point = -1, e = 0;
    int neg = 0;

    if (s < end && (*s == '+' || *s == '-'))
        neg = (*s++ == '-');
    while (s < end)
    {
        if (end - s >= 8 && eight_digits(&c, s))
        {
            /* chunks of at most 18 digits (16 while there are 8 at a
               time), so that a digit after them reaches 19 */
            if (len > 10 && !dec_chunk(D, &dn, &v, &len))
                return 0;
            v = 100000000 * v + c;
            len += 8;
            digits += 8;
            s += 8;
            continue;
        }
        c = (ulong) (unsigned char) *s - '0';
        if (c <= 9)
        {
            v = 10 * v + c;
            digits++;
            if (++len == 19 && !dec_chunk(D, &dn, &v, &len))
                return 0;
        }
        else if (*s == '.' && point < 0)
            point = digits;
        else
            break;
        s++;
    }
    if (digits == 0 || (s < end && ((*s | 0x20) != 'e'
                                    || parse_exponent(&e, s + 1, end,
                                                      GC_EXP10_MAX) != 1)))
        return 0;
    dec_append(D, &dn, v, len);
    if (dn == 0)
    {
        *d = 0.0;
        return 1;
    }
    if (!dec_to_d(d, D, dn, point < 0 ? e : e - (digits - point)))
        return 0;
    if (neg)
        *d = -*d;
    return 1;
}

int
_gc_q_get_d_exact(double * d, const mpq_t q)
{
    mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
    mp_bitcnt_t k = mpz_sizeinbase(den, 2) - 1, t;
    slong bits, e;

    /* q = m 2^e with m odd, as read_binary_fraction leaves a binary
       fraction: a numerator over 2^k (then odd) or an integer */
    if (mpz_scan1(den, 0) != k)
        return 0;
    if (mpz_sgn(num) == 0)
    {
        *d = 0.0;
        return 1;
    }
    t = mpz_scan1(num, 0);
    bits = (slong) (mpz_sizeinbase(num, 2) - t);
    e = (slong) t - (slong) k;
    /* 53 bits, not below 2^-1074 (the subnormals' step: m 2^e < 2^-1022
       then has m < 2^52), below 2^1024 */
    if (bits > 53 || e < -1074 || bits + e > 1024)
        return 0;
    *d = ldexp(mpz_get_d(num), -(int) k);
    return 1;
}

/* Why a number does not parse.  In gc_q_set_str's messages the token
   follows the first two as "in '1/0'" and the others as ", got 'x'". */
static const char gc_q_zero_den[] = "zero denominator";
/* one message for both bounds: they are equal (see GC_EXP2_MAX) */
static const char gc_q_big_exp[] = "exponent beyond " GC_EXP10_MAX_STR;
static const char gc_q_nan[] = "NaN and infinity are not numbers";
static const char gc_q_syntax[] = "expected a number";

int
_gc_q_set_strn_why(mpq_t q, const char * str, size_t n, const char ** why)
{
    const char * s = str, * end = str + n;
    const char * ip, * ipend, * fp = NULL, * fpend = NULL;
    int neg = 0, hex = 0, ok;
    slong e = 0;

    if (s < end && (*s == '+' || *s == '-'))
        neg = (*s++ == '-');
    if (word_nocase(s, end, "nan", 1) || word_nocase(s, end, "inf", 0)
        || word_nocase(s, end, "infinity", 0))
    {
        *why = gc_q_nan;
        return GC_INVALID;
    }
    if (end - s >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
    {
        hex = 1;
        s += 2;
    }

    ip = s;
    ipend = s = scan_digits(s, end, hex);
    if (!hex && s < end && *s == '/' && ipend > ip)
    {
        /* a fraction of two integers */
        fp = s + 1;
        fpend = scan_digits(fp, end, 0);
        if (fpend == fp || fpend != end)
        {
            *why = gc_q_syntax;
            return GC_INVALID;
        }
        digits_to_mpz(mpq_denref(q), fp, fpend - fp, "", 0, 10);
        if (mpz_sgn(mpq_denref(q)) == 0)
        {
            *why = gc_q_zero_den;
            return GC_INVALID;
        }
        digits_to_mpz(mpq_numref(q), ip, ipend - ip, "", 0, 10);
        mpq_canonicalize(q);
        if (neg)
            mpq_neg(q, q);
        return GC_SUCCESS;
    }
    if (s < end && *s == '.')
    {
        fp = s + 1;
        fpend = s = scan_digits(fp, end, hex);
    }
    else
        fp = fpend = s;
    ok = (ipend > ip || fpend > fp);
    if (ok && s < end && (hex ? (*s | 0x20) == 'p' : (*s | 0x20) == 'e'))
        ok = parse_exponent(&e, s + 1, end,
                               hex ? GC_EXP2_MAX : GC_EXP10_MAX);
    else if (s != end)
        ok = 0;
    if (ok <= 0)
    {
        *why = ok == 0 ? gc_q_syntax : gc_q_big_exp;
        return GC_INVALID;
    }

    if (!hex && read_binary_fraction(q, ip, ipend - ip, fp, fpend - fp, e,
                                     neg))
        return GC_SUCCESS;
    /* value = m b^(e - f), m the digits without the point */
    digits_to_mpz(mpq_numref(q), ip, ipend - ip, fp, fpend - fp,
                      hex ? 16 : 10);
    mpz_set_ui(mpq_denref(q), 1);
    if (neg)
        mpz_neg(mpq_numref(q), mpq_numref(q));
    if (hex)
    {
        e -= 4 * (slong) (fpend - fp);
        if (e >= 0)
            mpq_mul_2exp(q, q, e);
        else
            mpq_div_2exp(q, q, -e);
    }
    else
    {
        e -= (slong) (fpend - fp);
        if (e >= 0)
        {
            mpz_ui_pow_ui(mpq_denref(q), 10, e);
            mpz_mul(mpq_numref(q), mpq_numref(q), mpq_denref(q));
            mpz_set_ui(mpq_denref(q), 1);
        }
        else
            div_pow10(q, -e);
    }
    return GC_SUCCESS;
}

int
_gc_q_set_strn(mpq_t q, const char * str, size_t n, gc_parse_error_t err)
{
    const char * why;
    char before[64];

    if (_gc_q_set_strn_why(q, str, n, &why) == GC_SUCCESS)
        return GC_SUCCESS;
    snprintf(before, sizeof before, "%s%s", why,
             why == gc_q_zero_den || why == gc_q_big_exp ? " in" : ", got");
    return _gc_net_error(err, 0, str, n, before, "");
}

int
gc_q_set_str(mpq_t q, const char * str, gc_parse_error_t err)
{
    return _gc_q_set_strn(q, str, strlen(str), err);
}
