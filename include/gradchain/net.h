/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/net.h -- the network model: layers, activations, costs, exact
   parsing of numbers and network files, reproducible random networks.
   Included by gradchain.h; do not include it directly. */

#ifndef GRADCHAIN_NET_H
#define GRADCHAIN_NET_H

#ifdef __cplusplus
extern "C" {
#endif

/* Kinds of activation function f_j (gc_engine_check says which ones an
   engine evaluates):
     sigmoid     1/(1 + e^-z)                f' = f (1 - f), at most 1/4
     tanh        tanh z                      f' = 1 - f^2, at most 1
     relu        max(z, 0)                   f' = 1 for z > 0, else 0
     leaky-relu  z for z > 0, S z otherwise  f' = 1 for z > 0, else S
     softplus    ln(1 + e^z)                 f' = sigmoid(z)
     identity    z                           f' = 1
     gelu        z Phi(z), Phi(z) = (1 + erf(z/sqrt 2))/2 (the erf form)
                                             f' = Phi(z) + z phi(z)
   At a kink the derivative follows PyTorch: relu'(0) = 0 and
   leaky-relu'(0) = S. */
typedef enum
{
    GC_ACT_SIGMOID = 0,
    GC_ACT_TANH,
    GC_ACT_RELU,
    GC_ACT_LEAKY_RELU,
    GC_ACT_SOFTPLUS,
    GC_ACT_IDENTITY,
    GC_ACT_GELU
} gc_act_t;

/* An activation function: its kind and, for leaky-relu, the slope S of
   its negative side, an exact rational (1/100 by default, PyTorch's
   negative_slope; other kinds keep 1/100 and ignore it). */
typedef struct
{
    gc_act_t kind;
    mpq_t slope;
} gc_activation_struct;

typedef gc_activation_struct gc_activation_t[1];
typedef const gc_activation_struct * gc_activation_srcptr;

/* Costs C(a_L, y). */
typedef enum
{
    GC_COST_QUADRATIC = 0, /* (a_L - y)^2 / 2, dC/da_L = a_L - y */
    GC_COST_CROSS_ENTROPY, /* -(y ln a_L + (1-y) ln(1-a_L)) */
    GC_COST_GIVEN          /* dC/da_L given as a number */
} gc_cost_t;

/* Kinds of distribution of the parameters of a random network, named
   "normal", "uniform" and "const" (gc_dist_kind_name). */
typedef enum
{
    GC_DIST_NORMAL = 0,  /* N(mu, sd):   par[0] = mu, par[1] = sd >= 0 */
    GC_DIST_UNIFORM,     /* U(lo, hi):   par[0] = lo, par[1] = hi >= lo */
    GC_DIST_CONST        /* always v:    par[0] = v,  par[1] = 0 */
} gc_dist_kind_t;

/* One distribution: its kind and two binary64 parameters.  Draws are
   binary64 numbers from the counter-based stream documented in
   src/net/random.c (see gc_dist_draw), so that any draw can be made
   without the others. */
typedef struct
{
    gc_dist_kind_t kind;
    double par[2];
} gc_dist_struct;

typedef gc_dist_struct gc_dist_t[1];

/* Fan-in scaling rules of the weights, as deep-learning frameworks
   initialise them: a layer of fan_in inputs and fan_out outputs draws its
   weights from the weights' distribution scaled by c (the distribution of
   c X: each parameter multiplied by c and rounded once to binary64, see
   gc_random_get_weights), with
     none     c = 1
     lecun    c = 1/sqrt(fan_in)               (LeCun)
     he       c = sqrt(2/fan_in)               (He, Kaiming)
     xavier   c = sqrt(2/(fan_in + fan_out))   (Glorot, Xavier)
   Biases are never scaled.  In a chain (one neuron per layer) fan_in =
   fan_out = 1: he multiplies the weights by sqrt 2 and the other rules
   by 1; the rules are there for the wide layers to come.  Named "none",
   "lecun", "he", "xavier" (gc_fanin_name). */
typedef enum
{
    GC_FANIN_NONE = 0,
    GC_FANIN_LECUN,
    GC_FANIN_HE,
    GC_FANIN_XAVIER
} gc_fanin_t;

/* Parameters of a random network: weights i.i.d. from *weights* scaled
   by the fan-in rule *fanin*, biases i.i.d. from *biases*, all from the
   stream of *seed* (layer j: the weight is draw 2j-2, the bias draw
   2j-1). */
typedef struct
{
    gc_dist_struct weights;
    gc_dist_struct biases;
    gc_fanin_t fanin;
    ulong seed;
} gc_random_struct;

typedef gc_random_struct gc_random_t[1];

/* The most distinct activations a network may give its layers besides
   the default one (net->act): per-layer activations are stored as one
   byte per layer indexing a table of at most this many. */
#define GC_NET_ACTS_MAX 255

/* A chain network.  The layers are stored as rationals (w and b are
   arrays of len exact rationals, layer j at index j-1, which the caller
   may set: gc_net_set_length makes them), stored compactly (w and b are
   NULL, cwb is not: gc_net_read and gc_net_materialize make them), or
   generated (generated != 0: w, b and cwb are NULL and layer j is drawn
   on demand from *random*, with the weights' distribution scaled once
   into *weights*, which lets a chain of 10^7 layers be streamed in O(1)
   memory).  A compact network keeps w_j in cwb[2j-2] and b_j in
   cwb[2j-1]: the bits of the binary64 number equal to it when its exact
   value is one (16 bytes a layer), or else GC_NET_CQ_TAG + k for the
   rational cq[k].  Read the layers through gc_net_get_layer_q /
   gc_net_get_layer_mpfr, which serve every kind with the same exact
   values.

   Activations: act is the default activation (the file's 'act' line).
   When every layer has it, layer_act is NULL (nothing is stored per
   layer, whatever the length).  Otherwise layer_act holds one byte per
   layer: 0 for the default, k >= 1 for acts[k-1], a table of nacts <=
   GC_NET_ACTS_MAX distinct activations that differ from the default.
   Read them through gc_net_get_act and change them through gc_net_set_act
   and gc_net_set_layer_act. */
typedef struct
{
    slong len;     /* number of layers L >= 1 */
    slong alloc;   /* stored layers allocated */
    mpq_t a0;      /* input */
    mpq_t y;       /* target */
    mpq_ptr w;     /* stored weights (NULL when compact or generated) */
    mpq_ptr b;     /* stored biases (NULL when compact or generated) */
    ulong * cwb;   /* compact layers, 2 words a layer (else NULL) */
    mpq_ptr cq;    /* the rationals of cwb that are not binary64 */
    slong ncq;     /* of them */
    slong cq_alloc;
    gc_activation_struct act; /* default activation of the layers */
    gc_activation_struct * acts; /* the other activations (nacts) */
    slong nacts;
    unsigned char * layer_act; /* per layer, NULL when all are act */
    slong act_alloc;           /* bytes allocated at layer_act */
    gc_cost_t cost;
    mpq_t dc_da;   /* dC/da_L when cost == GC_COST_GIVEN */
    int generated;
    gc_random_struct random;  /* the generator of a generated network */
    gc_dist_struct weights;   /* its weights' distribution, scaled */
} gc_net_struct;

typedef gc_net_struct gc_net_t[1];

/* The tag of a word of cwb that holds the index k < 2^52 of a rational in
   cq: the exponent bits of a binary64 infinity or NaN, which no value
   of a network is. */
#define GC_NET_CQ_TAG (UWORD(0x7ff) << 52)

/* The most layers of a network the library can index: 2^52, so that the
   size of every per-layer array it allocates (a few hundred bytes a
   layer at most) fits a slong.  A function that would allocate such an
   array for a longer length aborts through gc_throw; a caller must
   refuse such lengths (and, well before this bound, lengths whose arrays
   do not fit the memory: gc_net_materialize_bytes, gc_eval_arb_bytes and
   the other estimates). */
#define GC_NET_LEN_MAX (WORD(1) << 52)
typedef gc_net_struct * gc_net_ptr;
typedef const gc_net_struct * gc_net_srcptr;

/* Where a parse failed: 1-based line (0 when not applicable), the
   offending token (truncated, printable) and an English reason.  The
   caller prefixes the file name: "net.txt:3: expected a number, got 'O.5'". */
#define GC_PARSE_TOKEN_MAX 48
#define GC_PARSE_MSG_MAX 160
typedef struct
{
    slong line;
    char token[GC_PARSE_TOKEN_MAX];
    char msg[GC_PARSE_MSG_MAX];
} gc_parse_error_struct;

typedef gc_parse_error_struct gc_parse_error_t[1];

/* A parameter of the chain: the bias b_j (kind GC_PARAM_B) or the weight
   w_j (GC_PARAM_W) of layer j = layer >= 1.  Every part of the library
   (the evaluators, the symbolic gradient, the printers) and every command
   of the program names a parameter this way. */
typedef enum
{
    GC_PARAM_B = 0,
    GC_PARAM_W
} gc_param_kind_t;

typedef struct
{
    gc_param_kind_t kind;
    slong layer;
} gc_param_struct;

typedef gc_param_struct gc_param_t[1];

/* Sets *p* to the parameter of kind *kind* of layer *layer*. */
GC_INLINE void
gc_param_set(gc_param_t p, gc_param_kind_t kind, slong layer)
{
    p->kind = kind;
    p->layer = layer;
}

/* Sets *p* to the parameter named by the whole string *str*: "b" or "w"
   (lower case) followed by the layer number J written in decimal without
   sign, spaces or leading zeros ("b1", "w12"; not "B1", "b01", "b+1"),
   with 1 <= J <= len (len <= 0: no upper bound).  These are the only
   spellings; the printers write the same ones.  Returns GC_SUCCESS, or
   GC_INVALID with *err* (line 0) naming the token and the reason. */
int gc_param_set_str(gc_param_t p, const char * str, slong len,
                     gc_parse_error_t err) GC_WARN_UNUSED_RESULT;

/* Returns the name of *p* as gc_param_set_str reads it ("b3"); free it
   with flint_free. */
char * gc_param_get_str(const gc_param_t p);

/* Initialises *a* to the sigmoid (slope 1/100), frees it, copies *a*
   into *res*, and compares two activations (the slope counts for
   leaky-relu only). */
void gc_activation_init(gc_activation_t a);
void gc_activation_clear(gc_activation_t a);
void gc_activation_set(gc_activation_t res, const gc_activation_t a);
int gc_activation_equal(const gc_activation_t a, const gc_activation_t b);

/* Sets *a* to the activation named by *str*: a name of gc_act_names
   ("tanh"), or "leaky-relu:S" with the slope S an exact number in any
   syntax of gc_q_set_str ("leaky-relu:0.2", "leaky-relu:1/8"); plain
   "leaky-relu" has S = 1/100.  Returns GC_SUCCESS, or GC_INVALID with
   *err* (line 0) naming the token; *a* is then unchanged or has only its
   slope changed. */
int gc_activation_set_str(gc_activation_t a, const char * str,
                          gc_parse_error_t err) GC_WARN_UNUSED_RESULT;

/* Returns the name of *a* as gc_activation_set_str reads it back exactly:
   "tanh", "leaky-relu" (slope 1/100) or "leaky-relu:1/5"; free it with
   flint_free. */
char * gc_activation_get_str(const gc_activation_t a);

/* Returns the activation of layer *j* of *net* (1 <= j <= len, otherwise
   gc_throw); the pointer is valid while *net* is unchanged. */
const gc_activation_struct * gc_net_get_act(const gc_net_t net, slong j);

/* Sets the activation of every layer of *net* (also of layers added
   later by gc_net_set_length or gc_net_read) to *a*, forgetting per-layer
   activations. */
void gc_net_set_act(gc_net_t net, const gc_activation_t a);

/* Sets the activation of layer *j* of *net* to *a* (1 <= j <= len,
   otherwise gc_throw), stored or generated.  Returns GC_SUCCESS, or
   GC_INVALID (net unchanged) if that would make more than
   GC_NET_ACTS_MAX distinct activations besides the default. */
int gc_net_set_layer_act(gc_net_t net, slong j, const gc_activation_t a)
    GC_WARN_UNUSED_RESULT;

/* Returns 1 if the cost and the output activation of *net* go together:
   cross-entropy needs an output a_L in (0, 1), a sigmoid output layer;
   quadratic and given take any.  0 otherwise. */
int gc_net_cost_is_valid(const gc_net_t net);

/* Initialises *net* to an empty stored network (len 0, a0 = 1, y = 0,
   sigmoid, quadratic cost). */
void gc_net_init(gc_net_t net);

/* Frees the memory used by *net*. */
void gc_net_clear(gc_net_t net);

/* Sets *net* to a network of *len* layers stored as rationals (net->w,
   net->b) with every w_j, b_j = 0, keeping a0, y, activation and cost. */
void gc_net_set_length(gc_net_t net, slong len);

/* Set *d* to N(mu, sd), U(lo, hi) and the constant v; they do not check
   the parameters (gc_dist_is_valid does). */
void gc_dist_set_normal(gc_dist_t d, double mu, double sd);
void gc_dist_set_uniform(gc_dist_t d, double lo, double hi);
void gc_dist_set_const(gc_dist_t d, double v);

/* Returns 1 if every draw of *d* is a finite binary64 number, 0
   otherwise.  Normal: mu and sd finite, sd >= 0, and |mu| + 16 sd <=
   DBL_MAX (a draw is mu + sd N with |N| < 9, see random.c).  Uniform: lo
   and hi finite and lo <= hi (lo == hi draws lo always).  Const: v
   finite and par[1] = 0.  An unknown kind is not valid. */
int gc_dist_is_valid(const gc_dist_t d);

/* Returns 1 if *a* and *b* have the same kind and equal parameters, 0
   otherwise. */
int gc_dist_equal(const gc_dist_t a, const gc_dist_t b);

/* Sets *d* from the whole string *str*, a distribution spec:
       normal:MU,SD    N(MU, SD), SD >= 0
       uniform:LO,HI   U(LO, HI), LO <= HI
       const:V         every draw V
   The numbers are exact rationals (as gc_q_set_str reads them; the last
   one is everything after the previous comma), each rounded to 53 bits
   and then to the nearest binary64 number; the result must satisfy
   gc_dist_is_valid.  Returns GC_SUCCESS, or GC_INVALID with *err* (line
   0) giving the reason in msg and the text at fault in token: the number
   for a bad number ("mean: expected a number", "upper bound: ...",
   "value: ...") or a negative SD ("standard deviation must not be
   negative"), the whole spec otherwise ("expected normal:MU,SD or
   uniform:LO,HI or const:V", "the lower bound must not exceed the upper
   bound", "draws of N(MU, SD) must be finite binary64 numbers (...)",
   "LO and HI must be finite binary64 numbers (...)", "V must be a finite
   binary64 number (...)"); *d* is then unchanged. */
int gc_dist_set_str(gc_dist_t d, const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Returns the spec of *d* that gc_dist_set_str reads back as *d* (each
   number the shortest decimal that does: "normal:0,1",
   "uniform:-0.5,0.25", "const:0.1"; a -0 reads back as 0); free it with
   flint_free. */
char * gc_dist_get_str(const gc_dist_t d);

/* Returns draw *k* of *d* in the stream of *seed*, a binary64 number
   (src/net/random.c gives the exact, platform-independent definition):
   normal: fma(sd, N(k), mu), N(k) a standard normal by Box-Muller;
   uniform: lo + (hi - lo) U(k) rounded once to nearest, U(k) in (0, 1);
   const: v.  *d* must satisfy gc_dist_is_valid.  Thread-safe, and leaves
   MPFR's exponent range and flags as it found them. */
double gc_dist_draw(const gc_dist_t d, ulong seed, ulong k);

/* Sets *r* to weights and biases both i.i.d. from *d*, no fan-in
   scaling, seed *seed*. */
void gc_random_set_dist(gc_random_t r, const gc_dist_t d, ulong seed);

/* Sets *res* to the distribution of the weights of *r* in a layer of
   *fan_in* inputs and *fan_out* outputs (both >= 1, otherwise gc_throw):
   r->weights scaled by c of the rule r->fanin (see gc_fanin_t), that is
   every parameter x replaced by the binary64 number nearest to c x
   (normal: c mu, c sd; uniform: c lo, c hi; const: c v).  With c = 1
   that is r->weights itself. */
void gc_random_get_weights(gc_dist_t res, const gc_random_t r,
                           slong fan_in, slong fan_out);

/* Returns 1 if *r* can be drawn from in a layer of any width: its
   biases' distribution and its weights' distribution scaled for fan_in =
   fan_out = 1 (the largest c of every rule) satisfy gc_dist_is_valid; 0
   otherwise. */
int gc_random_is_valid(const gc_random_t r);

/* Sets *w* and *b* to the weight and bias of layer *j* >= 1 of a chain
   drawn from *r*: w_j = draw 2j-2 of the scaled weights'
   distribution (gc_random_get_weights with fan_in = fan_out = 1), b_j =
   draw 2j-1 of the biases' (gc_dist_draw).  *r* must satisfy
   gc_random_is_valid.  (This scales the weights' distribution at every
   call; a generated network scales it once, so drawing its layers is
   faster under "he".) */
void gc_random_draw(double * w, double * b, const gc_random_t r, slong j);

/* Sets *net* to a generated network of *len* layers drawn from *r*
   (which must satisfy gc_random_is_valid, otherwise gc_throw); a0, y,
   activation and cost are kept.  Nothing is stored per layer. */
void gc_net_set_random(gc_net_t net, const gc_random_t r, slong len);

/* Converts a generated network into a compact one with the same values
   (no-op on a stored network). */
void gc_net_materialize(gc_net_t net);

/* Returns an upper bound of the heap bytes that gc_net_materialize needs
   for *net*: 0 for a stored network, and for a generated one its len
   layers stored compactly, 2 binary64 words a layer (20 bytes a layer
   with the margin of every estimate).  SIZE_MAX when it exceeds a
   size_t. */
size_t gc_net_materialize_bytes(const gc_net_t net);

/* Sets *w* and *b* to the exact weight and bias of layer *j* (1 <= j <=
   len; otherwise gc_throw). */
void gc_net_get_layer_q(mpq_t w, mpq_t b, const gc_net_t net, slong j);

/* Sets *w* and *b* to the weight and bias of layer *j* rounded once, with
   rounding *rnd*, to the precision of each target; returns the OR of the
   two ternary values' being non-zero (1 if either was inexact). */
int gc_net_get_layer_mpfr(mpfr_t w, mpfr_t b, const gc_net_t net, slong j,
                          mpfr_rnd_t rnd);

/* Sets *q* to the exact rational written in *str* (the whole string):
   an optional sign, then a decimal number with optional exponent
   ("-1.5e-300", "1e-1000000", ".5"), a fraction of two integers ("1/3",
   "-7/22"), or a C99 hexadecimal float ("0x1.8p-3").  Returns GC_SUCCESS,
   or GC_INVALID with *err* (line left as 0) saying what is wrong (NaN and
   infinity are not numbers; a zero denominator is rejected; an exponent
   beyond +-10^6, after 'e' or after 'p' of a hex float, is rejected:
   "exponent beyond 10^6 in '1e1000001'").
   The exponent bound bounds the cost, since the value is exact: 10^e is
   an integer of |e| log2(10) bits.  At the bound a number takes at most
   about 0.6 MB and 10 ms (hex: 0.2 MB, 1 ms), so reading a file costs at
   most that much per number, plus time and memory linear in the length
   of the digits actually written out. */
int gc_q_set_str(mpq_t q, const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Reads a network file from *f* into *net* (stored layers).  Format
   (compatible with shared testdata):
       # comment            (also after data on a line)
       a0 V                 input (default 1)
       y V                  target (default 0)
       act sigmoid          activation of every layer (before the first
                            layer line)
       cost quadratic       cost (also cross-entropy, given V)
       W B [ACT]            one line per layer, layer 1 first; ACT (as
                            gc_activation_set_str reads it) overrides the
                            activation of that layer
   Numbers are read exactly (gc_q_set_str).  The layers are stored
   compactly (see gc_net_struct): 16 bytes a layer when every w_j and b_j
   is a binary64 value (as gc_net_write writes a random network), and a
   rational for each value that is not.  Cost cross-entropy with an
   output activation other than sigmoid is refused (gc_net_cost_is_valid),
   at the line of the cost.  Returns GC_SUCCESS, or
   GC_INVALID with *err* giving line, token and reason; on failure *net*
   is left valid but unspecified. */
int gc_net_read(gc_net_t net, FILE * f, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* As gc_net_read, from the NUL-terminated string *str*. */
int gc_net_read_str(gc_net_t net, const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Writes *net* to *f* in the network file format, every value as its
   exact decimal expansion when it is a dyadic rational (binary64 values
   always are) and as p/q otherwise, so that gc_net_read gives back the
   same network bit for bit, with the 'act' line (unless sigmoid) and the
   per-layer activations as suffixes of their layer lines.  Returns GC_SUCCESS, or GC_INVALID if a write
   failed (check errno). */
int gc_net_write(FILE * f, const gc_net_t net) GC_WARN_UNUSED_RESULT;

/* The names of the activations ("sigmoid", "tanh", "relu", "leaky-relu",
   "softplus", "identity") and of the costs ("quadratic", "cross-entropy",
   "given"), of the kinds of distribution ("normal", "uniform", "const";
   no gc_dist_kind_set_str: gc_dist_set_str reads whole specs) and of the
   fan-in rules ("none", "lecun", "he", "xavier"), as every name table
   (see gradchain.h): gc_X_set_str parses a name into *res* and returns
   GC_SUCCESS or GC_INVALID, gc_X_name returns the canonical name,
   gc_X_names the NULL-terminated table. */
int gc_act_set_str(gc_act_t * res, const char * str) GC_WARN_UNUSED_RESULT;
const char * gc_act_name(gc_act_t act);
const char * const * gc_act_names(void);
int gc_cost_set_str(gc_cost_t * res, const char * str) GC_WARN_UNUSED_RESULT;
const char * gc_cost_name(gc_cost_t cost);
const char * const * gc_cost_names(void);
const char * gc_dist_kind_name(gc_dist_kind_t kind);
const char * const * gc_dist_kind_names(void);
int gc_fanin_set_str(gc_fanin_t * res, const char * str)
    GC_WARN_UNUSED_RESULT;
const char * gc_fanin_name(gc_fanin_t fanin);
const char * const * gc_fanin_names(void);

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_NET_H */
