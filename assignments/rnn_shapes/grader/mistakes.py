"""Catalogue of realistic mistakes: per-function entries for the counts, shapes and weights, and
concepts for the forward functions.

A concept is one mistake written once, as a change to the reference computation
(:func:`_simple_rnn`), and applied to every forward function it fits: a missing bias is the same
mistake in manual_forward, batched_forward and sequence_forward, and is named in all three.

The judge runs every entry of a question on the same inputs as the student's function; an entry
whose outcomes equal the student's on every check (the same values, or the same exception where
the student's code raised) names the mistake in the feedback. The tests turn each entry into a
whole buggy submission and assert that it loses exactly its question's points, and that the
hidden cases tell every entry apart from a correct answer by far more than the tolerance.

Entries of a question are tried in the order they are listed here: an entry marked
``signature=False`` gives the same outputs as an earlier one, so the feedback names the earlier.
"""

from __future__ import annotations

import numpy as np

from gradecore.judge.authoring import Catalogue, applied

CATALOGUE = Catalogue()
mistake = CATALOGUE.mistake


# --- count_params -----------------------------------------------------------------------------


@mistake("count_params", "the count grows with T", "weights are shared across time steps: T must not appear in the count")
def count_times_T(T, D, M, K):
    return T * (D * M + M * M + M) + M * K + K


@mistake("count_params", "the biases are not counted", "SimpleRNN has M biases and Dense has K")
def count_without_biases(T, D, M, K):
    return D * M + M * M + M * K


@mistake(
    "count_params",
    "the recurrent kernel is counted as D·M",
    "the recurrent kernel maps the hidden state to itself: it has shape (M, M), so M·M weights",
)
def count_recurrent_as_DM(T, D, M, K):
    return D * M + D * M + M + M * K + K


@mistake("count_params", "the Dense layer is counted as M·K, without its bias", "Dense(K) has an M·K kernel and K biases: M·K + K")
def count_dense_without_bias(T, D, M, K):
    return D * M + M * M + M + M * K


@mistake(
    "count_params",
    "two biases per step are counted, as PyTorch's nn.RNN has",
    "Keras' SimpleRNN has a single bias of M values",
)
def count_two_biases(T, D, M, K):
    return D * M + M * M + 2 * M + M * K + K


@mistake("count_params", "the notebook's example count 57 is hard-coded", "compute the count from D, M and K")
def count_hard_coded(T, D, M, K):
    return 57


# --- weight_shapes ----------------------------------------------------------------------------


@mistake(
    "weight_shapes",
    "the kernels are transposed, (M, D) and (K, M), as PyTorch stores them",
    "Keras multiplies x_t @ kernel: the input kernel is (D, M) and the Dense kernel (M, K)",
)
def shapes_transposed(D, M, K):
    return [(M, D), (M, M), (M,), (K, M), (K,)]


@mistake(
    "weight_shapes",
    "a bias shape is written (M) instead of (M,)",
    "(M) is just the number M; a one-element tuple needs a comma: (M,)",
)
def shapes_without_comma(D, M, K):
    return [(D, M), (M, M), (M), (M, K), (K)]


@mistake("weight_shapes", "the recurrent kernel has shape (D, M)", "the recurrent kernel maps h (M,) to M units: shape (M, M)")
def shapes_recurrent_as_DM(D, M, K):
    return [(D, M), (D, M), (M,), (M, K), (K,)]


@mistake(
    "weight_shapes",
    "two RNN biases are listed, as PyTorch's nn.RNN has",
    "Keras' SimpleRNN has one bias of shape (M,): get_weights() returns 5 arrays",
)
def shapes_two_biases(D, M, K):
    return [(D, M), (M, M), (M,), (M,), (M, K), (K,)]


@mistake(
    "weight_shapes",
    "the biases are written as rows, (1, M) and (1, K)",
    "Keras stores each bias as a vector: (M,) for the SimpleRNN and (K,) for the Dense layer",
)
def shapes_bias_rows(D, M, K):
    return [(D, M), (M, M), (1, M), (M, K), (1, K)]


@mistake(
    "weight_shapes",
    "one stacked kernel (D + M, M) is listed, as for h_t = tanh([x_t, h_{t-1}] W + b)",
    "Keras keeps the input kernel (D, M) and the recurrent kernel (M, M) apart: get_weights() returns 5 arrays",
)
def shapes_stacked_kernel(D, M, K):
    return [(D + M, M), (M,), (M, K), (K,)]


@mistake("weight_shapes", "the notebook's example shapes are hard-coded", "build each shape from D, M and K")
def shapes_hard_coded(D, M, K):
    return [(3, 5), (5, 5), (5,), (5, 2), (2,)]


# --- extract_weights --------------------------------------------------------------------------


@mistake(
    "extract_weights",
    "the input kernel and the recurrent kernel are swapped",
    "the SimpleRNN's get_weights() returns [kernel (D, M), recurrent_kernel (M, M), bias (M,)] in that order",
)
def weights_swapped(model):
    Wh, Wx, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx, Wh, bh, Wo, bo


@mistake(
    "extract_weights",
    "the layers are picked by the wrong index: model.layers[0] is the InputLayer, which has no weights",
    "the SimpleRNN is model.layers[1] and the Dense layer model.layers[2] (or use model.get_layer(name))",
)
def weights_wrong_layer(model):
    Wx, Wh, bh = model.layers[0].get_weights()
    Wo, bo = model.layers[1].get_weights()
    return Wx, Wh, bh, Wo, bo


@mistake(
    "extract_weights",
    "Keras variables are returned instead of NumPy arrays",
    "call .numpy() on each variable, or use layer.get_weights(), which returns NumPy arrays",
)
def weights_as_variables(model):
    rnn, dense = model.layers[1], model.layers[2]
    return rnn.cell.kernel, rnn.cell.recurrent_kernel, rnn.cell.bias, dense.kernel, dense.bias


@mistake(
    "extract_weights",
    "every kernel is transposed, as for column vectors",
    "return the arrays as Keras stores them: Wx (D, M), Wh (M, M), Wo (M, K); transpose in the maths if you need to",
)
def weights_transposed(model):
    Wx, Wh, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx.T, Wh.T, bh, Wo.T, bo


@mistake(
    "extract_weights",
    "the input kernel Wx is transposed, (M, D) as PyTorch stores it",
    "return the kernel as Keras stores it, Wx of shape (D, M), used as x_t @ Wx: no .T",
)
def weights_Wx_transposed(model):
    Wx, Wh, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx.T, Wh, bh, Wo, bo


@mistake(
    "extract_weights",
    "the recurrent kernel Wh is transposed (it is square, so its shape cannot show it)",
    "return the recurrent kernel as Keras stores it, used as h_{t-1} @ Wh: no .T",
)
def weights_Wh_transposed(model):
    Wx, Wh, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx, Wh.T, bh, Wo, bo


# --- the forward functions: concepts ----------------------------------------------------------


def _simple_rnn(X, Wx, Wh, bh, Wo, bo, form, change=""):
    """``Input((T, D)) -> SimpleRNN(M) -> Dense(K)`` as each forward function computes it, with one change.

    Args:
        X, Wx, Wh, bh, Wo, bo: the forward functions' arguments.
        form: ``"one"`` (X of shape (T, D), answer (K,)), ``"batch"`` ((N, T, D) to (N, K)) or
            ``"sequence"`` ((N, T, D) to (N, T, K)).
        change: the mistake, a concept's name; ``""`` computes what Keras does.
    """
    if change == "float16":
        X, Wx, Wh, bh, Wo, bo = (np.asarray(a, dtype=np.float16) for a in (X, Wx, Wh, bh, Wo, bo))
    if form == "one":
        X = X[None]
    N, T, _ = X.shape
    M = 5 if change == "hidden_size_5" else Wh.shape[0]
    activation = {"relu": lambda z: np.maximum(0, z), "linear": lambda z: z, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}.get(
        change, np.tanh)
    steps = {"skips_first_step": range(1, T), "one_step_short": range(T - 1), "reversed_time": range(T - 1, -1, -1),
             "steps_range_D": range(X.shape[2]), "iterates_samples": range(N)}
    groups = [X[n:n + 1] for n in range(N)] if change == "unreset_state" else [X]
    h = kept = (np.ones if change == "initial_ones" else np.zeros)((len(groups[0]), M), dtype=X.dtype)
    lasts, everys = [], []
    for x in groups:
        states = []
        for t in steps.get(change, range(T)):
            if change in ("sample_axis_as_time", "iterates_samples"):
                x_t = X[t]
            elif change == "input_reshaped":
                x_t = X.reshape(T, N, -1)[t]
            elif change == "inputs_summed_over_time":
                x_t = x.sum(axis=1)
            else:
                x_t = x[:, t]
            z = (Wx @ x_t.T).T if change == "input_kernel_transposed" else x_t @ Wx
            state, kernel = {"input_in_recurrent": (z, Wh), "recurrent_transposed": (h, Wh.T),
                             "input_kernel_for_recurrent": (h, Wx)}.get(change, (h, Wh))
            recurrent = 0 if change == "no_recurrent" else state * kernel if change == "recurrent_elementwise" else state @ kernel
            inside = {"no_hidden_bias": 0, "hidden_bias_twice": 2 * bh, "hidden_bias_outside": 0}.get(change, bh)
            a = z + recurrent + inside
            h = (h if change == "state_accumulates" else 0) + activation(a) + (bh if change == "hidden_bias_outside" else 0)
            kept = a if change == "dense_on_preactivation" else h
            states.append(kept)
        lasts.append(np.mean(states, axis=0) if change == "mean_over_time" else kept)
        everys.append(states)

    def dense(h):
        if change == "hidden_states":
            return h
        y = h @ Wo + (0 if change == "no_output_bias" else bo)
        if change == "tanh_output":
            y = np.tanh(y)
        if change == "softmax_output":
            y = np.exp(y) / np.exp(y).sum(axis=-1, keepdims=True)
        return y

    if change == "output_like_input":
        y = np.zeros_like(X)
        for t, step in enumerate(zip(*everys)):
            y[:, t] = dense(np.concatenate(step))
    elif form == "sequence" or change == "every_step":
        every = [np.concatenate(step) for step in zip(*everys)]
        y = np.stack([dense(h) for h in every], axis=0 if change == "time_major" else 1)
    elif change == "last_sample_every_step":
        y = dense(np.stack([h[-1] for h in everys[-1]]))
    else:
        y = dense(np.concatenate(lasts))
    if form == "one" and change not in ("row_vector", "recurrent_elementwise"):
        y = y[0]
    return list(y) if change == "list" else y


FORWARD = {"manual_forward": "one", "batched_forward": "batch", "sequence_forward": "sequence"}
"""Each forward function and the form of the computation it does."""

BATCHES = ("batched_forward", "sequence_forward")
LAST_STEP = ("manual_forward", "batched_forward")


ARGS = "X, Wx, Wh, bh, Wo, bo"


def concept(change: str, title: str, hint: str, questions=tuple(FORWARD), **options) -> None:
    calls = {q: (ARGS, f"_simple_rnn({ARGS}, {FORWARD[q]!r}, {{change}})") for q in questions}
    CATALOGUE.concept(change, title, hint, applied(change, calls, (_simple_rnn,)), **options)


concept("unreset_state", "outputs agree for the first sample only: the hidden state is not reset between samples",
        "start every sample from h = zeros(M); set h inside the loop over samples", BATCHES)
concept("no_hidden_bias", "the hidden bias bh is missing", "add bh inside the tanh: h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + bh)")
concept("no_output_bias", "the output bias bo is missing", "the Dense layer adds bo: y = h @ Wo + bo")
concept("hidden_bias_twice", "the hidden bias is added twice", "SimpleRNN adds bh once per step")
concept("input_kernel_transposed", "the input kernel is applied as Wx @ x_t (as if Wx were (M, D))",
        "Keras stores Wx as (D, M): multiply x_t @ Wx, a row (or a batch of rows) times a (D, M) matrix")
concept("recurrent_transposed", "the recurrent kernel is transposed (h @ Wh.T, or Wh @ h)",
        "Keras computes h_{t-1} @ Wh, with the row vector on the left")
concept("input_in_recurrent", "the recurrent term uses the input instead of the previous hidden state",
        "the recurrent kernel multiplies h_{t-1}: h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + bh)")
concept("input_kernel_for_recurrent", "the input kernel Wx is used for the recurrent term too (h_{t-1} @ Wx instead of h_{t-1} @ Wh)",
        "the recurrent term has its own kernel: h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + bh)")
concept("no_recurrent", "the recurrent term is missing: each step forgets the previous hidden state",
        "add h_{t-1} @ Wh inside the tanh: h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + bh)")
concept("relu", "the hidden activation is relu", "SimpleRNN's default activation is tanh")
concept("sigmoid", "the hidden activation is a sigmoid", "SimpleRNN's default activation is tanh, whose outputs lie in (-1, 1)")
concept("hidden_bias_outside", "the hidden bias bh is added outside the tanh",
        "bh goes inside the activation: h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + bh)")
concept("linear", "the hidden activation is missing (linear)", "SimpleRNN applies tanh: h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + bh)")
concept("initial_ones", "the hidden state starts at ones instead of zeros", "Keras starts from h_0 = 0: h = np.zeros(M) for each sample")
concept("skips_first_step", "the first time step is skipped (range(1, T))",
        "Python counts from 0: loop over range(T) so that every step x_0 ... x_{T-1} is used")
concept("one_step_short", "the last time step is missing (range(T - 1))", "range(T) already stops at T-1: loop over range(T)")
concept("steps_range_D", "the loop runs over range(D), the number of features, instead of range(T), the time steps",
        "loop over the time axis: range(T), with T = X.shape[0] for one sample, X.shape[1] for a batch (N, T, D)")
concept("reversed_time", "time runs backwards (the steps are taken from T-1 down to 0)", "Keras reads the sequence forwards: loop over range(T)")
concept("sample_axis_as_time", "X[t] picks sample t, not time step t: the time axis is confused with the sample axis",
        "X has shape (N, T, D): the inputs at step t for all samples are X[:, t]", BATCHES)
concept("iterates_samples", "the loop `for x_t in X` runs over the N samples (each (T, D)), not over the T steps",
        "for one sample, X is (T, D) and `for x_t in X` gives its steps; for a batch (N, T, D) it gives the samples: "
        "loop `for t in range(T)` and take x_t = X[:, t], shape (N, D)", BATCHES)
concept("input_reshaped", "X is made time-major with X.reshape(T, N, D), which moves values between samples and steps",
        "reshape keeps the values in memory order, it does not swap axes: use X.transpose(1, 0, 2) (or index X[:, t])",
        BATCHES)
concept("dense_on_preactivation", "the Dense layer is applied to the state before the tanh (the pre-activation)",
        "apply the Dense layer to the hidden state after the activation: h_t = tanh(a_t), y = h_t @ Wo + bo")
concept("inputs_summed_over_time", "the input term sums x over all the steps (an einsum or sum over the T axis) and adds that "
        "same sum at every step", "each step reads its own input: x_t @ Wx with x_t = X[t] for one sample (T, D), "
        "X[:, t] for a batch (N, T, D); an einsum must keep the T axis ('ntd,dm->ntm')")
concept("state_accumulates", "the state is accumulated (h += tanh(...)) instead of replaced",
        "each step replaces the state: h = tanh(x_t @ Wx + h @ Wh + bh)")
concept("recurrent_elementwise", "the recurrent term multiplies elementwise, h * Wh, instead of the matrix product h @ Wh",
        "use the matrix product h @ Wh (np.dot or @): * multiplies element by element and broadcasts h against Wh's rows")
concept("output_like_input", "the outputs are preallocated with np.zeros_like(X), shape (N, T, D), instead of (N, T, K)",
        "the answer has K outputs per step: np.zeros((N, T, K)), with K = Wo.shape[1]", ("sequence_forward",))
concept("tanh_output", "tanh is applied to the output as well", "the Dense layer has no activation here: y = h @ Wo + bo")
concept("softmax_output", "a softmax is applied to the outputs", "Dense(K) here has no activation: y = h @ Wo + bo")
concept("hidden_states", "the Dense layer is missing: the hidden states are returned",
        "apply the Dense layer to the hidden state: y = h @ Wo + bo, with K outputs")
concept("every_step", "the output of every step is returned instead of the last one",
        "SimpleRNN(M) without return_sequences gives the last step only: apply the Dense layer to h_T alone", LAST_STEP)
concept("mean_over_time", "the Dense layer is applied to the mean of the hidden states over time, not to the last one",
        "SimpleRNN(M) without return_sequences gives the last hidden state h_T: apply the Dense layer to it alone", LAST_STEP)
concept("last_sample_every_step", "the last sample's outputs at every step are returned, shape (T, K): "
        "an index such as H[-1] picks the last sample, not the last step",
        "with the states stacked as (N, T, M), the last step is H[:, -1]: the answer has shape (N, K)", ("batched_forward",))
concept("time_major", "the outputs are time-major, shape (T, N, K)", "stack the steps on axis 1: np.stack(outputs, axis=1)", ("sequence_forward",))
concept("row_vector", "the output has shape (1, K) instead of (K,)",
        "keep x_t and h one-dimensional, or return y[0] (or y.reshape(-1)) for one sample", ("manual_forward",))
concept("list", "the outputs are returned as a Python list", "convert the result with np.array(...) before returning it")
concept("hidden_size_5", "the hidden size is hard-coded as 5, the notebook's example M",
        "start from h = np.zeros(Wh.shape[0]): M comes from the weights")
concept("float16", "the arithmetic is done in float16",
        "keep the weights' float32 (or use float64): float16 keeps only about 3 significant digits", loose=True)
