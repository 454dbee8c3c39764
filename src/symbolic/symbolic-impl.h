/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* symbolic-impl.h -- private helpers of src/symbolic, also used by the
   printers in src/latex (never installed). */

#ifndef GC_SYMBOLIC_IMPL_H
#define GC_SYMBOLIC_IMPL_H

#include "gc-impl.h"

/* Sets *res* to the position of *str* in the NULL-terminated list
   *names*; returns GC_SUCCESS, or GC_INVALID (res unchanged) if absent. */
int gc_name_lookup(int * res, const char * str, const char * const * names)
    GC_WARN_UNUSED_RESULT;

#endif /* GC_SYMBOLIC_IMPL_H */
