/*
    Copyright (C) 2026 The gradchain authors

    This file is part of gradchain.

    gradchain is free software: you can redistribute it and/or modify it
    under the terms of the GNU Lesser General Public License (LGPL) as
    published by the Free Software Foundation; either version 3 of the
    License, or (at your option) any later version.
*/

/* gradchain/wide.h -- networks whose layers have many neurons: layer l
   has n_l neurons, z^l = W^l a^{l-1} + b^l, a^l = f_l(z^l) entry by
   entry, and the cost is summed over the n_L outputs.  The chain of
   gradchain/net.h is the case n_0 = n_1 = ... = n_L = 1 and keeps its
   own type, files and commands.  Included by gradchain.h; do not
   include it directly.

   Indices follow the textbook: layers l = 1..L, neurons i = 1..n_l,
   inputs k = 1..n_{l-1}, so that W^l_{ik} and b^l_i are named as in
   Nielsen's chapter and as the program prints them. */

#ifndef GRADCHAIN_WIDE_H
#define GRADCHAIN_WIDE_H

#ifdef __cplusplus
extern "C" {
#endif

/* A network of wide layers, every parameter stored exactly and
   compactly.  width[0] = n_0 is the length of the input a0, width[l] =
   n_l (l = 1..len) the neurons of layer l; y has n_len entries.  The
   parameters live in one array of words, wb, layer after layer and in
   each layer row after row: the row of neuron i of layer l starts at
   wb[gc_wnet_param_index(net, l, i, 1)] and holds W^l_{i1}, ...,
   W^l_{i n_{l-1}}, then b^l_i (n_{l-1} + 1 words, the order of a network
   file's neuron line).  Each word is the bits of the binary64 number
   equal to the parameter when there is one, or GC_NET_CQ_TAG + k for the
   rational cq[k] (as gc_net_struct's cwb).  off[l-1] is the index of
   layer l's first word and off[len] the number of parameters; noff[l-1]
   = n_1 + ... + n_{l-1} places the neurons of layer l in arrays of every
   neuron (gc_wnet_neuron_index) and noff[len] is their number.  act[l-1]
   is the activation of layer l.  The cost is GC_COST_QUADRATIC, the sum
   of (a_i - y_i)^2 / 2, or GC_COST_CROSS_ENTROPY, the sum of -(y_i ln a_i
   + (1 - y_i) ln(1 - a_i)).  Read the fields; change the network through
   the functions below. */
typedef struct
{
    slong len;       /* layers L >= 0 */
    slong * width;   /* len + 1 widths, each >= 1 */
    slong * off;     /* len + 1 parameter offsets */
    slong * noff;    /* len + 1 neuron offsets */
    ulong * wb;      /* off[len] parameter words */
    mpq_ptr cq;      /* the parameters that are not binary64 numbers */
    slong ncq;
    slong cq_alloc;
    mpq_ptr a0;      /* width[0] exact inputs */
    mpq_ptr y;       /* width[len] exact targets */
    gc_activation_struct * act; /* len activations */
    gc_cost_t cost;
} gc_wnet_struct;

typedef gc_wnet_struct gc_wnet_t[1];

/* Initialises *net* to the network of no layer with n_0 = 1, a0 = (1),
   y = (0) and the quadratic cost. */
void gc_wnet_init(gc_wnet_t net);

/* Frees the memory used by *net*. */
void gc_wnet_clear(gc_wnet_t net);

/* Sets *net* to *len* >= 0 layers of widths width[0..len] (each >= 1,
   otherwise gc_throw): every weight and bias 0, every input 1, every
   target 0, every layer's activation the sigmoid; the cost is kept.
   gc_throw also when the parameters or neurons would not fit a slong. */
void gc_wnet_set_widths(gc_wnet_t net, slong len, const slong * width);

/* Returns the heap bytes of a network of *len* layers of widths
   width[0..len] whose parameters are all binary64 numbers (8 bytes each,
   and the per-layer arrays), for a memory check before building it;
   SIZE_MAX if it exceeds a size_t. */
size_t gc_wnet_bytes(slong len, const slong * width);

/* Returns the index in net->wb of W^l_{ik} (1 <= k <= n_{l-1}) or, for k
   = n_{l-1} + 1, of b^l_i; 1 <= l <= len and 1 <= i <= n_l.  Out of range
   indices gc_throw. */
slong gc_wnet_param_index(const gc_wnet_t net, slong l, slong i, slong k);

/* Returns the index of neuron i of layer l in an array of every neuron,
   noff[l-1] + i - 1; out of range indices gc_throw. */
slong gc_wnet_neuron_index(const gc_wnet_t net, slong l, slong i);

/* Sets the parameter of index *idx* (gc_wnet_param_index) to the exact
   *q* or to the finite binary64 number *d* (gc_throw if it is not).  A
   parameter that held a rational of the side table and is set to a
   binary64 number leaves its entry of the table unused until
   gc_wnet_set_widths or gc_wnet_clear. */
void gc_wnet_set_param_q(gc_wnet_t net, slong idx, const mpq_t q);
void gc_wnet_set_param_d(gc_wnet_t net, slong idx, double d);

/* Sets *q* to the exact parameter of index *idx*. */
void gc_wnet_get_param_q(mpq_t q, const gc_wnet_t net, slong idx);

/* Returns 1 and sets *d* when the parameter of index *idx* is exactly a
   binary64 number (as stored: every binary64 parameter is), 0 with *d*
   unset otherwise. */
int gc_wnet_get_param_d(double * d, const gc_wnet_t net, slong idx);

/* Sets *x* to the parameter of index *idx* rounded with *rnd*, in the
   caller's exponent range; returns the ternary value. */
int gc_wnet_get_param_mpfr(mpfr_t x, const gc_wnet_t net, slong idx,
                           mpfr_rnd_t rnd);

/* Sets the activation of layer *l* (1 <= l <= len, otherwise gc_throw). */
void gc_wnet_set_act(gc_wnet_t net, slong l, const gc_activation_t a);

/* Returns 1 if every width of *net* is 1 (a chain), 0 otherwise. */
int gc_wnet_is_chain(const gc_wnet_t net);

/* Sets *net* to the chain *chain* (any kind: stored, compact or
   generated; every layer materialised), widths 1: W^j_{11} = w_j, b^j_1
   = b_j, the same a0, y, activations and cost.  Returns GC_SUCCESS, or
   GC_INVALID (net unchanged) when the chain's cost is GC_COST_GIVEN,
   which a wide network does not have. */
int gc_wnet_set_chain(gc_wnet_t net, const gc_net_t chain)
    GC_WARN_UNUSED_RESULT;

/* ---- Evaluation in Arb balls and MPFR (src/numeric/wide_eval.c) ----

   The arrays of every neuron (db) hold one ball per neuron in the order
   of gc_wnet_neuron_index.  Every parameter, a0 and y is rounded once
   from its exact value (a binary64 word exactly, then rounded to the
   working precision).  Each z^l_i = b^l_i + sum_k W^l_{ik} a^{l-1}_k is
   one arb_dot (terms k = 1..n_{l-1}, the sum enclosed as a whole), and
   the activations use the chain engine's formulas (gc_eval_arb); a relu
   or leaky-relu ball z^l_i that contains 0 is replaced by the exact
   z^l_i when it is known: every term W^l_{ik} a^{l-1}_k with a weight
   other than 0 has an exact a^{l-1}_k (piecewise-linear layers; sigmoid,
   tanh, gelu at z = 0), otherwise it gives the union of
   both sides (rigorous, and narrower as the precision grows).  Backward: delta^L = (a^L - y) (.)
   f'(z^L) for the quadratic cost, a^L - y for cross-entropy with a
   sigmoid output, delta^l_k = f'(z^l_k) sum_i W^{l+1}_{ik} delta^{l+1}_i
   (one arb_dot per k, i = 1..n_{l+1}), and dC/db^l = delta^l.  The
   functions return GC_SUCCESS, or GC_UNABLE (nothing written) for
   cross-entropy without a sigmoid output layer.  MPFR's state is not
   used. */

/* Returns an upper bound of the heap bytes of gc_wnet_eval_arb at
   working precision *prec* (and of every attempt of
   gc_wnet_eval_arb_digits up to it): the noff[len] balls of db, one
   layer's rounded parameters and three vectors of the widest layer; not
   the network, nor the exact rationals of a relu kink.  SIZE_MAX when it
   exceeds a size_t. */
size_t gc_wnet_eval_arb_bytes(const gc_wnet_t net, slong prec);

/* As gc_wnet_eval_arb_bytes for gc_wnet_eval_entry_arb and
   gc_wnet_eval_dw_arb: the parameters of one layer and six vectors of
   the widest layer, O(n^2) balls whatever the depth. */
size_t gc_wnet_eval_entry_arb_bytes(const gc_wnet_t net, slong prec);

/* Sets db[gc_wnet_neuron_index(net, l, i)] to a ball containing
   dC/db^l_i for every neuron, at working precision *prec*, by one
   forward and one backward pass; f'(z^l) is kept in db meanwhile, and
   the backward pass rounds each layer's parameters again (the same
   balls), so the memory is db and O(n^2) balls. */
int gc_wnet_eval_arb(arb_ptr db, const gc_wnet_t net, slong prec)
    GC_WARN_UNUSED_RESULT;

/* Ziv loop: gc_wnet_eval_arb from the precision
   gc_prec_for_digits(digits, len) (at least 64 bits), doubling it until
   every dC/db^l_i satisfies gc_arb_has_digits or is beyond the printable
   range, or the precision would exceed *max_prec*; return codes and
   *prec_used* as gc_eval_arb_digits. */
int gc_wnet_eval_arb_digits(arb_ptr db, const gc_wnet_t net, slong digits,
                            slong max_prec, slong * prec_used)
    GC_WARN_UNUSED_RESULT;

/* Sets *res* to a ball containing dC/db^l_i alone, streamed forward in
   O(n^2) balls (gc_wnet_eval_entry_arb_bytes): the tangent t = d a^m /
   d b^l_i starts as f'(z^l_i) e_i at m = l and goes through t <- f'(z^m)
   (.) (W^m t), and dC/db^l_i = sum_j (a^L_j - y_j) t_j (f'(z^L) left out
   of t for cross-entropy).  1 <= l <= len and 1 <= i <= n_l, otherwise
   gc_throw. */
int gc_wnet_eval_entry_arb(arb_t res, const gc_wnet_t net, slong l,
                           slong i, slong prec) GC_WARN_UNUSED_RESULT;

/* Ziv loop for one entry: as gc_wnet_eval_arb_digits with
   gc_wnet_eval_entry_arb, in O(n^2) balls. */
int gc_wnet_eval_entry_arb_digits(arb_t res, const gc_wnet_t net, slong l,
                                  slong i, slong digits, slong max_prec,
                                  slong * prec_used) GC_WARN_UNUSED_RESULT;

/* Sets dw[(i - 1) n_{l-1} + k - 1] to a ball containing dC/dW^l_{ik} =
   dC/db^l_i a^{l-1}_k for the n_l n_{l-1} weights of layer *l*, from
   the balls *db* that gc_wnet_eval_arb gave at the same *prec*; a^{l-1}
   is computed again by a streamed forward pass (the same balls as in
   gc_wnet_eval_arb).  1 <= l <= len, otherwise gc_throw. */
int gc_wnet_eval_dw_arb(arb_ptr dw, arb_srcptr db, const gc_wnet_t net,
                        slong l, slong prec) GC_WARN_UNUSED_RESULT;

/* The quantities the vanishing-gradient literature plots, for layer *l*
   from the balls *db* of gc_wnet_eval_arb: balls containing
   ||dC/db^l||_2 (one arb_dot, then arb_sqrtpos), max_i |dC/db^l_i| and
   min_i |dC/db^l_i| (arb_max and arb_min of the absolute values), at
   working precision *prec*.  1 <= l <= len, otherwise gc_throw. */
void gc_wnet_layer_stats_arb(arb_t norm, arb_t max_abs, arb_t min_abs,
                             arb_srcptr db, const gc_wnet_t net, slong l,
                             slong prec);

/* The MPFR evaluation: the same passes rounded to nearest at the
   precision of db (every entry of db must have it), in MPFR's widest
   exponent range (the caller's range and flags are left as found).  Each
   z^l_i is one mpfr_dot of (W^l_{i1}, ..., W^l_{in}, b^l_i) and
   (a^{l-1}, 1), correctly rounded, and each sum of the backward pass one
   mpfr_dot; the activations are the chain's MPFR formulas
   (gc_eval_mpfr), the output's a - y for a sigmoid computed from z^L
   without cancellation.  Not certified: the result is every operation
   correctly rounded, so on a network whose sums do not cancel its
   relative error is a small multiple of the depth times 2^-prec; the Arb
   engine gives the proof.  A relu or leaky-relu sign within 2^(16 +
   log2(l + 1) - prec) of the magnitudes summed into z^l_i is decided by
   the exact z^l_i when it is known (as gc_wnet_eval_arb says).  Returns
   GC_SUCCESS; GC_UNABLE for cross-entropy without a sigmoid output, when
   a sign stayed in doubt (z not known: a sum of smooth values), when a value left MPFR's widest
   range, or when an entry does not fit the caller's range (it is then
   checked into it); GC_DOMAIN if a NaN appeared.  A zero is +0. */
int gc_wnet_eval_mpfr(mpfr_ptr db, const gc_wnet_t net)
    GC_WARN_UNUSED_RESULT;

/* Returns an upper bound of the heap bytes of gc_wnet_eval_mpfr at
   precision *prec*: db, the rounded parameters and three vectors of the
   widest layer; SIZE_MAX when it exceeds a size_t. */
size_t gc_wnet_eval_mpfr_bytes(const gc_wnet_t net, slong prec);

/* ---- end of the Arb and MPFR evaluation ---- */

/* ---- the Ziv loop of one layer's weights (session 20, helper zv) ---- */

/* Ziv loop for dC/dW^l: at each precision gc_wnet_eval_arb into *db*
   (gc_wnet_neuron_index's layout, every neuron) and gc_wnet_eval_dw_arb
   into *dw* (n_l n_{l-1} balls, dw[(i - 1) n_{l-1} + k - 1] =
   dC/dW^l_{ik}), doubling the precision as gc_wnet_eval_arb_digits does
   until every dC/dW^l_{ik} satisfies gc_arb_has_digits or is beyond the
   printable range (the digits of db are not required: a weight's
   digits can need more precision than its neuron's dC/db^l_i, where
   a^{l-1}_k comes from a cancellation).  1 <= l <= len, otherwise
   gc_throw; return codes and *prec_used* as gc_eval_arb_digits, memory
   gc_wnet_eval_arb_bytes plus gc_wnet_eval_entry_arb_bytes. */
int gc_wnet_eval_dw_arb_digits(arb_ptr dw, arb_ptr db, const gc_wnet_t net,
                               slong l, slong digits, slong max_prec,
                               slong * prec_used) GC_WARN_UNUSED_RESULT;

/* ---- end of the Ziv loop of one layer's weights ---- */

/* ---- wide network files and random wide networks ------------------ */

/* Reads a network file from *f* once and gives a chain or a wide
   network.  The format is gc_net_read's, with wide layers:
       a0 V1 V2 ...         the input, n_0 = its length (default: a0 1)
       y V1 V2 ...          the target, n_L values (default: all 0)
       layer                starts a layer; each following line of
       layer act NAME       numbers, up to the next 'layer', is one of
                            its neurons: its n_{l-1} incoming weights,
                            then its bias (W^l_{i1} ... W^l_{i n_{l-1}}
                            b^l_i); NAME is the layer's activation
       W1 ... Wn B [NAME]   before the first 'layer' line only: a layer
                            of one neuron (the chain's "W B [NAME]" when
                            n_{l-1} = 1)
       act NAME, cost quadratic, cost cross-entropy   as for chains
   n_0 is fixed when the first layer is read, so a vector a0 comes
   before the layers (a later a0 must have n_0 values); y's length must
   be n_L (checked at the end, at y's line); 'cost given' has no meaning
   for a vector output and is refused when the network is wide; a
   'layer' block needs at least one neuron line; a neuron line with the
   wrong count of numbers is refused, naming the count expected.  A file
   with no 'layer' line whose a0 and y have one value each (every file
   gc_net_read reads) is a chain: *chain* is then what gc_net_read gives
   (the same compact storage), *is_wide* = 0 and *wide* is unchanged.
   Otherwise *wide* is the network (exact compact parameters, every
   layer's activation: the 'act' line's or its own), *is_wide* = 1 and
   *chain* is left valid but unspecified.  Returns GC_SUCCESS, or
   GC_INVALID with *err* giving line, token and reason (*wide* is then
   unchanged, *chain* valid but unspecified).  gc_net_read refuses a
   file that is wide at its first 'layer' or second value of a0 or y
   ("wide layers: ..."). */
int gc_net_read_any(gc_net_t chain, gc_wnet_t wide, int * is_wide, FILE * f,
                    gc_parse_error_t err) GC_WARN_UNUSED_RESULT;

/* As gc_net_read_any, from the NUL-terminated string *str*. */
int gc_net_read_any_str(gc_net_t chain, gc_wnet_t wide, int * is_wide,
                        const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Reads any network file (as gc_net_read_any) into *net* as a wide
   network: a chain file gives widths 1 (and is refused with 'cost
   given').  Returns GC_SUCCESS, or GC_INVALID with *err* set and *net*
   unchanged. */
int gc_wnet_read(gc_wnet_t net, FILE * f, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;
int gc_wnet_read_str(gc_wnet_t net, const char * str, gc_parse_error_t err)
    GC_WARN_UNUSED_RESULT;

/* Writes *net* (at least one layer; with cross-entropy, a sigmoid
   output layer, as the reader requires) to *f* in the format of
   gc_net_read_any, every value exact (gc_net_write's numbers), so that
   gc_wnet_read gives back the same network.  The 'act' line is written
   when every layer has the same activation (unless sigmoid); otherwise
   each layer that is not a sigmoid names its own.  Layers of one neuron
   before the first wider one are written as lines "W... B [NAME]", every
   other layer as a 'layer' block: a network of widths all 1 is written
   as a chain file (what gc_net_write writes for the chain
   gc_wnet_set_chain would copy, byte for byte, when its layers share one
   activation or the default is the sigmoid), which gc_net_read_any reads
   as a chain.  Returns GC_SUCCESS, or GC_INVALID if a write failed
   (check errno). */
int gc_wnet_write(FILE * f, const gc_wnet_t net) GC_WARN_UNUSED_RESULT;

/* Returns 1 if *a* and *b* are the same network (widths, every exact
   parameter, a0, y, activations and cost), 0 otherwise. */
int gc_wnet_equal(const gc_wnet_t a, const gc_wnet_t b);

/* Sets *net* to *len* layers of widths width[0..len] drawn from *r*
   (which must satisfy gc_random_is_valid, otherwise gc_throw), every
   parameter stored: the parameter of index idx (gc_wnet_param_index, so
   row after row of each layer) is draw idx of its distribution
   (gc_dist_draw with r->seed), r->weights scaled for layer l by
   gc_random_get_weights with fan_in = n_{l-1} and fan_out = n_l for a
   weight, r->biases for a bias.  With every width 1, W^j_11 and b^j_1 are
   the w_j and b_j of gc_net_set_random (draws 2j-2 and 2j-1).  As
   gc_wnet_set_widths: every input 1, every target 0, every activation
   the sigmoid, the cost kept; set them afterwards. */
void gc_wnet_set_random(gc_wnet_t net, slong len, const slong * width,
                        const gc_random_t r);

/* ---- Replays of wide networks (src/numeric/formats_replay.c) -------

   A replay of a wide network in a number format: gc_replay's
   computation (gradchain/formats.h: formats, modifiers, mixed formats,
   loss scaling, operation sequences, overflow counting) with vectors,
   every operation one rounding of the format, in this documented order:

   Parameters.  a0, then y (stochastic-rounding positions: layer 0 of
   GC_SR_PARAMS, a0_1..a0_{n_0} then y_1..y_{n_L}), and each layer's
   W^l and b^l (layer l of GC_SR_PARAMS, in gc_wnet_param_index order:
   W^l_{i1}, ..., W^l_{i n_{l-1}}, b^l_i for i = 1..n_l) are rounded from
   the exact rationals to the (storage) format as gc_replay rounds a_0,
   y, w_j and b_j.

   Forward, layer l (layer l of GC_SR_FORWARD), neuron i = 1..n_l in
   turn:
       t = W^l_{i1} * a^{l-1}_1;
       t = t + (W^l_{ik} * a^{l-1}_k)   for k = 2..n_{l-1}
                                        (product, then sum: two
                                        roundings, no fma);
       z^l_i = t + b^l_i;  a^l_i = f_l(z^l_i)
   and s'^l_i, each by the sequence's formulas for one element (with
   n_{l-1} = 1 this is the chain's m = w a; z = m + b).

   Backward.  Layer 0 of GC_SR_BACKWARD: for i = 1..n_L, g_i = dC/da^L_i
   from a^L_i and y_i as the chain's (quadratic a - y; cross-entropy with
   a sigmoid output as the chain's for the sequence); then, with loss
   scaling, S rounded to the scale format and g_i = g_i * S for i =
   1..n_L, as the chain's.  Layer l = L..1 (layer l of
   GC_SR_BACKWARD), neuron i = 1..n_l in turn: for l < L
       g_i = delta^{l+1}_1 * W^{l+1}_{1i};
       g_i = g_i + (delta^{l+1}_m * W^{l+1}_{mi})  for m = 2..n_{l+1}
   (the chain's g = delta w, left to right, no fma); delta^l_i is the
   sequence's backward of g_i (the chain's act_backward or s' product,
   in the chain's operand order), then dW^l_{ik} = a^{l-1}_k * delta^l_i
   for k = 1..n_{l-1}; with loss scaling, then delta^l_i / S and the
   dW^l_{ik} / S for k = 1..n_{l-1}, as the chain's db_j and dw_j.  dC/db^l_i is delta^l_i
   (unscaled).  The dW^l_{ik} are computed (a framework computes them:
   they count in overflows, and in scale_overflow as the chain's dw_j)
   but not kept (they would take O(n^2 L) numbers); gc_wnet_eval_dw_arb
   gives them exactly.

   A known difference from PyTorch: nn.Linear sums its matrix products
   in its BLAS's order (an optimised BLAS blocks and uses fma; the
   reference BLAS sums left to right as here) and, for bfloat16 and
   binary16 on a CPU, accumulates in binary32; this replay sums in the
   documented left-to-right order of the format above, so that the
   replay is defined by its text (tests/data/wide/replay/README: PyTorch
   1.13 with the reference BLAS agrees bit for bit in binary64 and
   binary32, and its bfloat16 forward differs in 17% to 79% of the
   entries).  With every width 1 the replay is gc_replay of the
   chain (gc_wnet_set_chain), bit for bit.

   Fields.  width and noff are copies of the network's; dC/db^l_i is at
   index gc_wnet_neuron_index(net, l, i) = noff[l-1] + i - 1 of gd (the
   numbers as binary64 doubles, when every number of the storage,
   compute and scale formats is one, as gc_replay's GC_REPLAY_GRADS) or
   else gm (mpfr_t of precision prec), the other NULL, in value_format
   (the format, or its scale format after loss scaling); db_class
   classifies them in value_format.  changed, overflowed and underflowed
   count the parameters (each entry of a0 and y, every W and b entry)
   whose rounding raised GC_ROUND_INEXACT, _OVERFLOW and _UNDERFLOW;
   overflows counts the operations that overflowed and overflow_layer is
   the largest l such that one of them came before the end of layer l's
   backward step (the forward pass and the scaling of dC/da^L count as
   layer L's), 0 when none did; with loss scaling (scaled != 0)
   scaled_class is per neuron the class of the scaled delta^l_i in the
   format, and scale_overflow the largest l where a scaled delta^l_i or
   dW^l_{ik} is infinite or NaN (0 when none is), all as gc_replay_struct
   (formats.h). */
typedef struct
{
    slong len;          /* layers L */
    slong * width;      /* L + 1 widths, a copy of the network's */
    slong * noff;       /* L + 1 neuron offsets, a copy */
    double * gd;        /* dC/db^l_i as doubles, or NULL */
    mpfr_ptr gm;        /* otherwise mpfr_t of precision prec, or NULL */
    mpfr_prec_t prec;
    gc_class_t * db_class;      /* per neuron, in value_format */
    const gc_numfmt_struct * value_format;
    slong changed;      /* parameters that rounding changed */
    slong overflowed;   /* ... that overflowed */
    slong underflowed;  /* ... that underflowed */
    slong overflows;
    slong overflow_layer;
    int scaled;
    gc_class_t * scaled_class;  /* per neuron, with loss scaling */
    slong scale_overflow;
} gc_wreplay_struct;

typedef gc_wreplay_struct gc_wreplay_t[1];

/* Initialises *r* to an empty replay (len 0). */
void gc_wreplay_init(gc_wreplay_t r);

/* Frees *r*. */
void gc_wreplay_clear(gc_wreplay_t r);

/* Replays *net* in *fmt* with the sequence *seq* and the loss scale
   *scale* (NULL: none), as above, and fills *r* (value_format points to
   *fmt* or to static data, so *fmt* must outlive its use).  *net* must
   have at least one layer (otherwise gc_throw).  MPFR's range and flags
   are left as found.  Returns GC_SUCCESS; GC_UNABLE (r untouched) where
   gc_replay would be: cross-entropy without a sigmoid output layer;
   GC_INVALID (r untouched) for a scale gc_loss_scale_check rejects; or
   GC_UNABLE when a kept dC/db^l_i does not fit the caller's exponent
   range (it is checked into it; the rest of *r* is complete). */
int gc_wreplay(gc_wreplay_t r, const gc_wnet_t net, const gc_numfmt_t fmt,
               gc_seq_t seq, mpfr_srcptr scale) GC_WARN_UNUSED_RESULT;

/* Sets *res* to dC/db^l_i of the replay *r*, rounded to nearest to the
   precision of *res* (exact when it is at least the format's); returns
   the ternary value.  1 <= l <= len and 1 <= i <= n_l, otherwise
   gc_throw. */
int gc_wreplay_get_db(mpfr_t res, const gc_wreplay_t r, slong l, slong i);

/* Returns the first layer counted from the output (the largest l, as
   gc_death_struct) where ANY entry (*every* = 0) or EVERY entry (*every*
   != 0) of dC/db^l has the class *c*; for c = GC_CLASS_INF an entry that
   is infinite or NaN counts (nonfinite); 0 when no layer has.  With
   loss scaling and c = GC_CLASS_SUBNORMAL the scaled delta's class
   (scaled_class) counts, as the chain sweep does. */
slong gc_wreplay_first_layer(const gc_wreplay_t r, gc_class_t c, int every);

/* Sets *res* to ||dC/db^l||_2 of the replay's values (the format
   numbers, not rounded again): the sum of their squares is computed
   exactly (mpfr_sum at a precision that holds it), then its square
   root is rounded to nearest at the precision of *res*: one rounding,
   so the result is correctly rounded.  +inf if an entry is infinite,
   NaN if one is NaN (NaN first).  Returns the ternary value.  MPFR's
   range and flags are left as found; the result is checked into the
   caller's range.  1 <= l <= len, otherwise gc_throw. */
int gc_wreplay_norm(mpfr_t res, const gc_wreplay_t r, slong l);

/* Returns an upper bound of the heap bytes of gc_wreplay of *net* in
   *fmt*: what *r* keeps after the call (*peak* = 0: dC/db^l_i and two
   classes per neuron, the widths) or what the call needs (*peak* != 0:
   that, the rounded parameters, and a^l, z^l or s'^l of every neuron
   and scratch of the widest layer).  SIZE_MAX when it exceeds a
   size_t. */
size_t gc_wreplay_bytes(const gc_wnet_t net, const gc_numfmt_t fmt, int peak);

/* ---- end of the replays of wide networks ---- */

#ifdef __cplusplus
}
#endif

#endif /* GRADCHAIN_WIDE_H */
