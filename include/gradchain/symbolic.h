/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/symbolic.h -- the gradient of a chain as a symbolic product:
   dC/db_j and dC/dw_j, the chain-rule cascade, and the comparison of two
   biases.  Works from the shape of the network only (L, activation
   symbol, cost): no numbers, no MPFR.  Included by gradchain.h; do not
   include it directly. */

#ifndef GRADCHAIN_SYMBOLIC_H
#define GRADCHAIN_SYMBOLIC_H

#ifdef __cplusplus
extern "C" {
#endif

/* The activation symbol: sigma (the sigmoid), a general f shared by all
   layers, one function f_k per layer, or one of the activations of the
   numeric side: tanh, ReLU, leaky ReLU (slope alpha, written as a
   symbol), softplus, the identity, GELU (the erf form).  The derivative
   f'(z_k) of each, abstract and in closed form (LaTeX; text and ASCII
   alike):
       sigma       \sigma'(z_k)          \sigma(z_k)(1-\sigma(z_k)), or
                                        e^{-z_k}/(1+e^{-z_k})^2
       tanh        \tanh'(z_k)           1 - \tanh^2(z_k)
       relu        \mathrm{ReLU}'(z_k)   \mathbf{1}[z_k > 0]
       leaky-relu  \mathrm{LReLU}'(z_k)  \mathbf{1}[z_k > 0]
                                        + \alpha \mathbf{1}[z_k \le 0]
       softplus    \mathrm{softplus}'(z_k)  \sigma(z_k)
       identity    \mathrm{id}'(z_k)     (none: it is 1)
       gelu        \mathrm{GELU}'(z_k)   \Phi(z_k) + z_k \varphi(z_k)
   (the kinks follow PyTorch: ReLU'(0) = 0, LReLU'(0) = alpha).  New
   values are added at the end. */
typedef enum
{
    GC_SYM_SIGMA = 0,
    GC_SYM_F,
    GC_SYM_F_LAYER,
    GC_SYM_TANH,
    GC_SYM_RELU,
    GC_SYM_LEAKY_RELU,
    GC_SYM_SOFTPLUS,
    GC_SYM_IDENTITY,
    GC_SYM_GELU
} gc_sym_act_t;

#define GC_SYM_NACTS 9

/* How f'(z) is written: abstract, or in closed form; for sigma the closed
   form is sigma(z)(1 - sigma(z)) (GC_SYM_EXPAND_LOGISTIC, the same value
   as GC_SYM_EXPAND_CLOSED), and e^{-z}/(1+e^{-z})^2 is a second one.  See
   gc_shape_check. */
typedef enum
{
    GC_SYM_EXPAND_NONE = 0,
    GC_SYM_EXPAND_LOGISTIC,
    GC_SYM_EXPAND_EXP,
    GC_SYM_EXPAND_CLOSED = GC_SYM_EXPAND_LOGISTIC
} gc_sym_expand_t;

/* The cost as it appears in the gradient: a generic dC/da_L; quadratic,
   dC/da_L = a_L - y; cross-entropy, dC/da_L = (a_L - y)/(a_L (1 - a_L)),
   which with a sigmoid output simplifies sigma'(z_L) dC/da_L to a_L - y. */
typedef enum
{
    GC_SYM_COST_GENERIC = 0,
    GC_SYM_COST_QUADRATIC,
    GC_SYM_COST_CROSS_ENTROPY
} gc_sym_cost_t;

/* The shape of a chain: everything the symbolic gradient depends on. */
typedef struct
{
    slong len;              /* number of layers L >= 1 */
    gc_sym_act_t act;
    gc_sym_expand_t expand;
    gc_sym_cost_t cost;
} gc_shape_struct;

typedef gc_shape_struct gc_shape_t[1];

/* Sets *s* to a chain of *len* layers with sigma, abstract sigma', and
   the generic cost. */
void gc_shape_init(gc_shape_t s, slong len);

/* Returns GC_SUCCESS if *s* describes a chain, else GC_INVALID: len >= 1,
   and an expansion that the activation has: GC_SYM_EXPAND_NONE always;
   GC_SYM_EXPAND_CLOSED for sigma, tanh, relu, leaky-relu, softplus and
   gelu (not for f, per-layer, nor the identity, whose derivative is 1);
   GC_SYM_EXPAND_EXP for sigma only. */
int gc_shape_check(const gc_shape_t s) GC_WARN_UNUSED_RESULT;

/* Returns 1 if the derivative of *act* can be written in the form *e*
   (the expansion rule of gc_shape_check above), 0 otherwise. */
int gc_sym_act_has_expand(gc_sym_act_t act, gc_sym_expand_t e);

/* Returns 0 if *s* has the cross-entropy cost with an activation whose
   values leave (0, 1) (tanh, relu, leaky-relu, softplus, identity,
   gelu), where ln a_L and ln(1 - a_L) are undefined; 1 otherwise (sigma,
   or the abstract f and f_k).  gc_shape_check refuses such a shape. */
int gc_sym_cost_is_valid(const gc_shape_t s);

/* The name tables (see gradchain.h) of the symbolic activations
   ("sigma", "f", "per-layer", "tanh", "relu", "leaky-relu", "softplus",
   "identity", "gelu"; gc_sym_act_set_str also reads "sigmoid", the
   numeric side's name, as "sigma"), expansions ("none", "logistic",
   "exp"; gc_sym_expand_set_str also reads "closed" as
   GC_SYM_EXPAND_CLOSED) and costs ("generic", "quadratic",
   "cross-entropy"). */
int gc_sym_act_set_str(gc_sym_act_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_sym_act_name(gc_sym_act_t act);
const char * const * gc_sym_act_names(void);
int gc_sym_expand_set_str(gc_sym_expand_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_sym_expand_name(gc_sym_expand_t e);
const char * const * gc_sym_expand_names(void);
int gc_sym_cost_set_str(gc_sym_cost_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_sym_cost_name(gc_sym_cost_t c);
const char * const * gc_sym_cost_names(void);

/* One factor of a product. */
typedef enum
{
    GC_FACTOR_DACT = 0,  /* f'(z_k), written by act and expand */
    GC_FACTOR_W,         /* w_k */
    GC_FACTOR_A,         /* a_k (k >= 0) */
    GC_FACTOR_DC_DA,     /* dC/da_k, generic */
    GC_FACTOR_DC_DB,     /* dC/db_k */
    GC_FACTOR_RESIDUAL,  /* (a_k - y) */
    GC_FACTOR_CE_DC_DA   /* (a_k - y)/(a_k (1 - a_k)), cross-entropy */
} gc_factor_kind_t;

#define GC_FACTOR_NKINDS 7

typedef struct
{
    gc_factor_kind_t kind;
    slong index;            /* k */
    gc_sym_act_t act;       /* for GC_FACTOR_DACT; GC_SYM_SIGMA otherwise */
    gc_sym_expand_t expand; /* for GC_FACTOR_DACT; NONE otherwise */
} gc_factor_struct;

/* Returns 1 if the two factors are the same symbol, else 0. */
int gc_factor_equal(const gc_factor_struct * a, const gc_factor_struct * b);

/* An expression tree: a product node whose children are factor leaves,
   in order (the gradient of a chain is a monomial).  The empty product
   is 1. */
typedef struct
{
    gc_factor_struct * fac;
    slong len;
    slong alloc;
} gc_expr_struct;

typedef gc_expr_struct gc_expr_t[1];
typedef gc_expr_struct * gc_expr_ptr;
typedef const gc_expr_struct * gc_expr_srcptr;

/* Initialises *e* to the empty product. */
void gc_expr_init(gc_expr_t e);

/* Frees the memory used by *e*. */
void gc_expr_clear(gc_expr_t e);

/* Sets *e* to the empty product, keeping its memory. */
void gc_expr_zero(gc_expr_t e);

/* Sets *res* to a copy of *e*. */
void gc_expr_set(gc_expr_t res, const gc_expr_t e);

/* Appends the factor *f* to *e*. */
void gc_expr_push(gc_expr_t e, const gc_factor_struct * f);

/* Sets *res* to the product a b (the factors of a, then those of b).
   Aliasing is allowed. */
void gc_expr_mul(gc_expr_t res, const gc_expr_t a, const gc_expr_t b);

/* Returns 1 if a and b have the same factors in the same order. */
int gc_expr_equal(const gc_expr_t a, const gc_expr_t b);

/* Sets *e* to dC/db_j or dC/dw_j (the parameter *p*, j = p->layer) of
   the chain *s*:
       dC/db_j = f'(z_j) w_{j+1} f'(z_{j+1}) ... w_L f'(z_L) dC/da_L,
       dC/dw_j = a_{j-1} dC/db_j,
   with the cost factor written as *s* says, and, for the cross-entropy
   with a sigmoid, sigma'(z_L) dC/da_L replaced by (a_L - y).  Returns
   GC_SUCCESS, or GC_INVALID if the shape is invalid or j is not in
   1..L. */
int gc_expr_set_grad(gc_expr_t e, const gc_shape_t s, const gc_param_t p)
    GC_WARN_UNUSED_RESULT;

/* Returns an upper bound of the heap bytes of the gradient that
   gc_expr_set_grad(e, s, p) builds for a chain of L = s->len layers:
   2 (L - j) + 3 factors, about 60 bytes a layer (peak RSS measured with
   derive: 47); the
   printers stream it and add nothing that grows with L.  SIZE_MAX when
   it exceeds a size_t. */
size_t gc_expr_grad_bytes(const gc_shape_t s, const gc_param_t p);

/* A variable whose small change the cascade follows. */
typedef enum
{
    GC_VAR_B = 0,
    GC_VAR_W,
    GC_VAR_Z,
    GC_VAR_A,
    GC_VAR_C
} gc_var_kind_t;

typedef struct
{
    gc_var_kind_t kind;
    slong index; /* 0 for C */
} gc_var_struct;

/* One step  Delta lhs ~ local Delta rhs ~ (first acc_len factors of the
   cascade's product) Delta wrt. */
typedef struct
{
    gc_var_struct lhs;
    gc_var_struct rhs;
    gc_factor_struct local;
    slong acc_len;
} gc_cascade_step_struct;

/* The chain-rule cascade for a change of one parameter: Delta b_j (or
   Delta w_j) -> Delta a_j -> Delta z_{j+1} -> ... -> Delta a_L -> Delta C.
   *prod* is the product accumulated by the last step, before any
   simplification; *simplified* is 1 when the gradient (gc_expr_set_grad)
   differs from it (cross-entropy with a sigmoid output). */
typedef struct
{
    gc_var_struct wrt;
    gc_cascade_step_struct * step;
    slong len;
    gc_expr_t prod;
    int simplified;
} gc_cascade_struct;

typedef gc_cascade_struct gc_cascade_t[1];

/* Initialises *c* to the empty cascade (no steps, an empty product),
   ready for gc_cascade_set. */
void gc_cascade_init(gc_cascade_t c);

/* Frees the memory used by *c*. */
void gc_cascade_clear(gc_cascade_t c);

/* Sets *c* to the cascade of the chain *s* for the parameter *p*.
   Returns GC_SUCCESS, or GC_INVALID as gc_expr_set_grad. */
int gc_cascade_set(gc_cascade_t c, const gc_shape_t s, const gc_param_t p)
    GC_WARN_UNUSED_RESULT;

/* As gc_expr_grad_bytes, for gc_cascade_set(c, s, p): the product and one
   step per factor, about 220 bytes a layer. */
size_t gc_cascade_bytes(const gc_shape_t s, const gc_param_t p);

/* Sets *extra* and *shared* so that dC/db_i = extra * dC/db_k and
   shared = dC/db_k, for 1 <= i < k <= L:
   extra = f'(z_i) w_{i+1} f'(z_{i+1}) ... f'(z_{k-1}) w_k (2(k-i)
   factors).  Returns GC_SUCCESS, or GC_INVALID if the shape is invalid
   or not 1 <= i < k <= L. */
int gc_expr_set_compare(gc_expr_t extra, gc_expr_t shared,
                        const gc_shape_t s, slong i, slong k)
    GC_WARN_UNUSED_RESULT;

/* The general formula.  A layer index may be a letter instead of a
   number: GC_SYM_INDEX(c) (negative, so never a layer) stands for the
   letter c, one of GC_SYM_INDEX_LETTERS (i, j, m, n; not k, the index of
   the product, nor l, which reads as 1 or L).  With such a parameter p,
   the printers write the general formula of the chain (gc_general_write
   in latex.h):
       dC/db_j = f'(z_j) (prod_{k=j+1}^{L} w_k f'(z_k)) dC/da_L,
       dC/dw_j = a_{j-1} dC/db_j. */
#define GC_SYM_INDEX_LETTERS "ijmn"
#define GC_SYM_INDEX_LETTERS_TEXT "i, j, m, n"
#define GC_SYM_INDEX(c) (-(slong) (unsigned char) (c))

/* Sets *p* to the parameter with a symbolic index named by the whole
   string *str*: "b" or "w" followed by one letter of GC_SYM_INDEX_LETTERS
   ("bj", "wi"), p->layer = GC_SYM_INDEX(letter).  Returns GC_SUCCESS, or
   GC_INVALID (p unchanged) for any other string, "b3" included. */
int gc_sym_param_set_str(gc_param_t p, const char * str)
    GC_WARN_UNUSED_RESULT;

/* Returns 1 if the layer of *p* is a symbolic index (GC_SYM_INDEX), else
   0. */
int gc_sym_param_is_general(const gc_param_t p);

/* Returns the kind of the factor dC/da_L of the cost of *s*:
   GC_FACTOR_DC_DA (generic), GC_FACTOR_RESIDUAL (quadratic, a_L - y) or
   GC_FACTOR_CE_DC_DA (cross-entropy, never simplified here). */
gc_factor_kind_t gc_sym_cost_kind(const gc_shape_t s);

/* Sets *e* to the product written in the ASCII form of gc_expr_write
   (GC_PRINT_ASCII): factors joined by '*' (spaces are ignored), each one
   of  sigma'(z_k)  f'(z_k)  f_k'(z_k)  sigma(z_k)(1-sigma(z_k))
   exp(-z_k)/(1+exp(-z_k))^2  tanh'(z_k)  (1-tanh(z_k)^2)  relu'(z_k)
   1[z_k>0]  lrelu'(z_k)  (1[z_k>0]+alpha 1[z_k<=0])  softplus'(z_k)
   sigma(z_k)  id'(z_k)  gelu'(z_k)  (Phi(z_k)+z_k phi(z_k))
   w_k  a_k  dC/da_k  dC/db_k  (a_k-y)
   (a_k-y)/(a_k(1-a_k)), a group "(F * F ...)", or a product
   prod_{k=M}^{N}(F * F ...) whose factors use the letter k as index
   (they are expanded for k = M..N); "1" is the empty product.  An elided
   product ("...") cannot be read back.  So that a short string cannot
   claim gigabytes, expanding a prod may not make the product longer
   than 2^20 = 1048576 factors (24 MB): "prod_{k=1}^{67108864}(w_k)" is
   refused with "product longer than 2^20 factors" (build longer
   gradients with gc_expr_set_grad); factors written out one by one
   cost memory in proportion to the string and are not limited.
   Returns GC_SUCCESS, or GC_INVALID with *err* (line 0) naming the
   offending token. */
int gc_expr_set_str_ascii(gc_expr_t e, const char * str,
                          gc_parse_error_t err) GC_WARN_UNUSED_RESULT;


/* ---- layers of several neurons (wide.c) ------------------------------

   Layer l has n neurons: z^l = W^l a^{l-1} + b^l, a^l = f(z^l) entry by
   entry, and (Nielsen, "unstable gradients in more complex networks")
       dC/db^J = S'(z^J) (W^{J+1})^T S'(z^{J+1}) ... (W^L)^T S'(z^L) grad_a C,
   with S'(z^l) the n x n diagonal matrix of f'(z^l_1), ..., f'(z^l_n)
   (written \Sigma'(z^l) for the sigmoid).  Entry by entry, for the bias
   of neuron i of layer J, the product is a nested sum over the neurons
   k_l of the later layers (k_J = i):
       dC/db^J_i = f'(z^J_i) sum_{k_{J+1}=1}^{n} w^{J+1}_{k_{J+1},i}
                   f'(z^{J+1}_{k_{J+1}}) sum_{k_{J+2}=1}^{n} ...
                   w^L_{k_L,k_{L-1}} f'(z^L_{k_L}) dC/da^L_{k_L}.
   For weights, dC/dW^J = delta^J (a^{J-1})^T with delta^J = dC/db^J, and
   dC/dw^J_{ij} = a^{J-1}_j dC/db^J_i.  With n = 1 both are the product of
   the chain (gc_expr_set_grad).

   An index of these expressions (a width, a neuron, a row or a column)
   is a number >= 1, a letter GC_SYM_INDEX(c) (c in GC_SYM_INDEX_LETTERS),
   or the index k_l of the sum over the neurons of layer l,
   GC_SYM_SUM_INDEX(l). */
#define GC_SYM_SUM_INDEX(l) (-(slong) 256 - (slong) (l))

/* Returns 1 if *k* is the sum index GC_SYM_SUM_INDEX(l) of a layer
   l >= 1, else 0. */
#define GC_SYM_IS_SUM_INDEX(k) ((k) <= GC_SYM_SUM_INDEX(1))

typedef enum
{
    GC_WFACTOR_DIAG = 0,  /* S'(z^l): layer */
    GC_WFACTOR_WT,        /* (W^l)^T: layer */
    GC_WFACTOR_GRAD,      /* grad_a C (generic cost): layer L */
    GC_WFACTOR_RESIDUAL,  /* (a^L - y): quadratic cost, or the
                             cross-entropy's S'(z^L) grad_a C with a
                             sigmoid */
    GC_WFACTOR_AT,        /* (a^l)^T: layer */
    GC_WFACTOR_DACT,      /* f'(z^l_r): layer, row */
    GC_WFACTOR_W,         /* w^l_{r,c}: layer, row, col */
    GC_WFACTOR_SUM,       /* sum_{r=1}^{n} of all that follows: layer, row
                             (the index r = k_l), col (the bound n) */
    GC_WFACTOR_DC_DA,     /* dC/da^L_r: layer L, row */
    GC_WFACTOR_RESIDUAL_ENTRY, /* (a^L_r - y_r): layer L, row */
    GC_WFACTOR_A          /* a^l_r: layer, row */
} gc_wfactor_kind_t;

typedef struct
{
    gc_wfactor_kind_t kind;
    slong layer;
    slong row;
    slong col;
} gc_wfactor_struct;

/* The gradient of a network of wide layers: a product of factors in
   order (matrices do not commute), what it is the gradient of (the
   parameter, and its entry: row and col 0 for the whole vector or
   matrix, else the neuron i of a bias, or the row i and column j of a
   weight), the width n and the activation. */
typedef struct
{
    gc_wfactor_struct * fac;
    slong len;
    slong alloc;
    gc_param_t param;
    slong row;
    slong col;
    slong width;
    gc_sym_act_t act;
} gc_wexpr_struct;

typedef gc_wexpr_struct gc_wexpr_t[1];

/* Initialises *e* to the empty product (of dC/db^1, width 1). */
void gc_wexpr_init(gc_wexpr_t e);

/* Frees the memory used by *e*. */
void gc_wexpr_clear(gc_wexpr_t e);

/* Returns 1 if *width* is a width of layers: a number >= 1 or a letter
   GC_SYM_INDEX(c) with c in GC_SYM_INDEX_LETTERS; else 0. */
int gc_sym_width_is_valid(slong width);

/* Sets *e* to the gradient, in layers of *width* neurons, of the
   parameter *p* (bJ or wJ, J in 1..L) of the shape *s*: with row = col
   = 0 the matrix form (dC/db^J, or dC/dW^J = dC/db^J (a^{J-1})^T), with
   row = i the entry-wise sum of dC/db^J_i (col 0) or dC/dw^J_{ij} (col
   = j, weights only).  Rows and columns are numbers in 1..width (any
   number >= 1 when the width is a letter) or letters other than the
   width's.  The cost factor is written as s says: grad_a C, (a^L - y),
   and for the cross-entropy with a sigmoid S'(z^L) grad_a C simplified
   to (a^L - y).  Returns GC_SUCCESS, or GC_INVALID if the shape is
   invalid, s->expand is not GC_SYM_EXPAND_NONE (the closed forms are the
   chain's), the cost is the cross-entropy without the sigmoid, J is not
   in 1..L, the width is invalid, or the row or column is not one of the
   above (a column for a bias, a row and no column for a weight's entry
   included). */
int gc_wexpr_set_grad(gc_wexpr_t e, const gc_shape_t s, slong width,
                      const gc_param_t p, slong row, slong col)
    GC_WARN_UNUSED_RESULT;

/* Returns an upper bound of the heap bytes of the gradient that
   gc_wexpr_set_grad builds for the parameter *p* of *s*: 3 (L - J) + 3
   factors, about 40 bytes a factor; SIZE_MAX when it exceeds a
   size_t. */
size_t gc_wexpr_grad_bytes(const gc_shape_t s, const gc_param_t p);

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_SYMBOLIC_H */
