/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* general.c -- parameters with a symbolic layer index (bj, wj), for the
   general formula. */

#include <string.h>

#include "gc-impl.h"

int
gc_sym_param_set_str(gc_param_t p, const char * str)
{
    if ((str[0] != 'b' && str[0] != 'w') || str[1] == '\0'
        || str[2] != '\0' || strchr(GC_SYM_INDEX_LETTERS, str[1]) == NULL)
        return GC_INVALID;
    gc_param_set(p, str[0] == 'b' ? GC_PARAM_B : GC_PARAM_W,
                 GC_SYM_INDEX(str[1]));
    return GC_SUCCESS;
}

int
gc_sym_param_is_general(const gc_param_t p)
{
    slong i;

    for (i = 0; GC_SYM_INDEX_LETTERS[i] != '\0'; i++)
        if (p->layer == GC_SYM_INDEX(GC_SYM_INDEX_LETTERS[i]))
            return 1;
    return 0;
}
