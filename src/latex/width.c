/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* width.c -- the estimated typeset width of LaTeX math, in points: the
   one model of the figure's layout and of the line breaking of LaTeX
   products. */

#include <string.h>

#include "latex/latex-impl.h"

/* The closing brace of the group that opens at *t*. */
static const char *
group_end(const char * t)
{
    int depth = 0;

    for (;; t++)
        if (*t == '{')
            depth++;
        else if (*t == '}' && --depth == 0)
            return t;
}

/* The estimated width in pt of the LaTeX math [t, end) at 10 pt, as a
   subscript if *sub*: a \frac its wider part, \mathrm letters 6.5 pt,
   \cdots 13.4 pt, \tanh and \qquad 20 pt, \max 17 pt, \quad 10 pt,
   \bigl, \Bigr, \left ... 1 pt more than the delimiter after them,
   another command 5.7 pt, a binary
   operator with its spaces 12.2 pt and a relation (=, \approx,
   \le) 13.3 pt (6.4 pt in a subscript), a capital, w
   or m 7.5 pt, another letter or digit 5.7 pt, a digit of a subscript
   4.1 pt, another character of a subscript 4.55 pt and never less
   (parentheses, primes), an alignment point & nothing.  Measured with
   pdflatex, it errs on the wide side by a few points. */
static double
tex_width(const char * t, const char * end, int sub)
{
    double wd = 0;

    while (t < end)
    {
        if (*t == '\\')
        {
            const char * c = ++t;

            while (t < end && ((*t >= 'a' && *t <= 'z')
                               || (*t >= 'A' && *t <= 'Z')))
                t++;
            if (t == c)
            {
                t++;
                wd += 1.7;      /* \, */
            }
            else if (t - c == 4 && strncmp(c, "frac", 4) == 0)
            {
                const char * a = group_end(t), * b = group_end(a + 1);

                wd += FLINT_MAX(tex_width(t + 1, a, sub),
                                tex_width(a + 2, b, sub)) + 2.4;
                t = b + 1;
            }
            else if (t - c == 6 && strncmp(c, "mathrm", 6) == 0)
            {
                const char * a = group_end(t);

                wd += (a - t - 1) * (sub ? 4.55 : 6.5);
                t = a + 1;
            }
            else if (t - c == 12 && strncmp(c, "displaystyle", 12) == 0)
                ;
            else if (t - c == 5 && strncmp(c, "cdots", 5) == 0)
                wd += 13.4;
            else if (t - c == 4 && strncmp(c, "tanh", 4) == 0)
                wd += 20.0;
            else if ((t - c == 4 || t - c == 5)
                     && (strncmp(c, "bigl", 4) == 0
                         || strncmp(c, "bigr", 4) == 0
                         || strncmp(c, "Bigl", 4) == 0
                         || strncmp(c, "Bigr", 4) == 0
                         || strncmp(c, "left", 4) == 0
                         || strncmp(c, "right", 5) == 0))
                wd += 1.0;      /* a larger delimiter follows */
            else if (t - c == 3 && strncmp(c, "max", 3) == 0)
                wd += 17.0;
            else if (t - c == 5 && strncmp(c, "qquad", 5) == 0)
                wd += 20.0;
            else if (t - c == 4 && strncmp(c, "quad", 4) == 0)
                wd += 10.0;
            else if ((t - c == 6 && strncmp(c, "approx", 6) == 0)
                     || (t - c == 2 && strncmp(c, "le", 2) == 0))
                wd += sub ? 6.4 : 13.3;
            else
                wd += sub ? 4.55 : 5.7;
        }
        else if (*t == '_' || *t == '^')
        {
            const char * a = t[1] == '{' ? group_end(t + 1) : t + 1;

            wd += tex_width(t + 1, a + 1, 1);
            t = a + 1;
        }
        else
        {
            if (*t == '{' || *t == '}' || *t == ' ' || *t == '&')
                ;
            else if (sub)
                wd += *t >= '0' && *t <= '9' ? 4.1 : 4.55;
            else if (*t == '-' || *t == '+')
                wd += 12.2;
            else if (*t == '=')
                wd += 13.3;
            else if ((*t >= 'A' && *t <= 'Z') || *t == 'w' || *t == 'm')
                wd += 7.5;
            else if (*t == '(' || *t == ')' || *t == '\'')
                wd += 4.55;
            else
                wd += 5.7;
            t++;
        }
    }
    return wd;
}

double
gc_tex_str_width(const char * t)
{
    return tex_width(t, t + strlen(t), 0);
}

double
gc_factor_pt(const gc_factor_struct * f)
{
    gc_sink_t s;
    char * t;
    double wd;

    gc_sink_init_str(s);
    gc_factor_write_sink(s, f, GC_PRINT_LATEX);
    t = gc_sink_take_str(s);
    gc_sink_clear(s);
    wd = gc_tex_str_width(t);
    flint_free(t);
    return wd;
}
