"""Catalogue of realistic mistakes, one function per mistake with the student's signature.

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

from gradecore.spec import Catalogue

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


# --- manual_forward ---------------------------------------------------------------------------


@mistake("manual_forward", "the hidden bias bh is missing", "add bh inside the tanh: h = tanh(x_t @ Wx + h @ Wh + bh)")
def forgot_hidden_bias(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh)
    return h @ Wo + bo


@mistake("manual_forward", "the output bias bo is missing", "the Dense layer adds bo: y = h @ Wo + bo")
def forgot_output_bias(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo


@mistake(
    "manual_forward",
    "the input kernel is applied as Wx @ x_t (as if Wx were (M, D))",
    "Keras stores Wx as (D, M): multiply x_t @ Wx, a (D,) row times a (D, M) matrix",
)
def input_kernel_transposed(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(Wx @ x_t + h @ Wh + bh)
    return h @ Wo + bo


@mistake(
    "manual_forward",
    "the recurrent kernel is transposed (h @ Wh.T, or Wh @ h)",
    "Keras computes h_{t-1} @ Wh, with the row vector on the left",
)
def recurrent_kernel_transposed(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh.T + bh)
    return h @ Wo + bo


@mistake(
    "manual_forward",
    "the recurrent kernel is applied as Wh @ h",
    "Keras computes h_{t-1} @ Wh, with the row vector on the left",
    signature=False,
)
def recurrent_kernel_matvec(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + Wh @ h + bh)
    return h @ Wo + bo


@mistake(
    "manual_forward",
    "tanh is applied to the output as well",
    "the Dense layer has no activation here: y = h_T @ Wo + bo",
)
def tanh_on_output(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return np.tanh(h @ Wo + bo)


@mistake(
    "manual_forward",
    "the arithmetic is done in float16",
    "keep the weights' float32 (or use float64): float16 keeps only about 3 significant digits",
    loose=True,
)
def float16_arithmetic(X, Wx, Wh, bh, Wo, bo):
    X, Wx, Wh, bh, Wo, bo = (np.asarray(a, dtype=np.float16) for a in (X, Wx, Wh, bh, Wo, bo))
    h = np.zeros(Wh.shape[0], dtype=np.float16)
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo


@mistake(
    "manual_forward",
    "the output has shape (1, K) instead of (K,)",
    "keep x_t and h one-dimensional, or return y[0] (or y.reshape(-1)) for one sample",
)
def returns_row_vector(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((1, Wh.shape[0]))
    for x_t in X:
        h = np.tanh(x_t[None, :] @ Wx + h @ Wh + bh)
    return h @ Wo + bo


@mistake(
    "manual_forward",
    "the hidden size is hard-coded as 5, the notebook's example M (np.zeros(5))",
    "start from h = np.zeros(Wh.shape[0]): M comes from the weights",
)
def hard_coded_hidden_size(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(5)
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo


# --- batched_forward --------------------------------------------------------------------------


@mistake(
    "batched_forward",
    "outputs agree for the first sample only: the hidden state is not reset between samples",
    "start every sample from h = zeros(M); set h inside the loop over samples",
)
def unreset_hidden_state(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    outputs = []
    for x in X:
        for x_t in x:
            h = np.tanh(x_t @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.array(outputs)


@mistake("batched_forward", "the hidden bias bh is missing", "add bh inside the tanh: h = tanh(X[:, t] @ Wx + h @ Wh + bh)")
def batched_forgot_hidden_bias(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh)
    return h @ Wo + bo


@mistake(
    "batched_forward",
    "the recurrent term uses the input instead of the previous hidden state",
    "the recurrent kernel multiplies h_{t-1}: h = tanh(X[:, t] @ Wx + h @ Wh + bh)",
)
def input_in_recurrent_term(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        z = X[:, t] @ Wx
        h = np.tanh(z + z @ Wh + bh)
    return h @ Wo + bo


@mistake("batched_forward", "the hidden bias is added twice", "SimpleRNN adds bh once per step")
def bias_added_twice(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + bh + h @ Wh + bh)
    return h @ Wo + bo


@mistake("batched_forward", "the hidden activation is relu", "SimpleRNN's default activation is tanh")
def relu_hidden_activation(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.maximum(0, X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo


@mistake(
    "batched_forward",
    "the first time step is skipped (range(1, T))",
    "Python counts from 0: loop over range(T) so that every step x_0 ... x_{T-1} is used",
)
def skips_first_step(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(1, X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo


@mistake(
    "batched_forward",
    "X[t] picks sample t, not time step t: the time axis is confused with the sample axis",
    "X has shape (N, T, D): the inputs at step t for all samples are X[:, t]",
)
def sample_axis_as_time(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo


@mistake(
    "batched_forward",
    "the outputs are returned as a Python list",
    "convert the list of rows with np.array(outputs), shape (N, K)",
)
def returns_list_of_rows(X, Wx, Wh, bh, Wo, bo):
    outputs = []
    for x in X:
        h = np.zeros(Wh.shape[0])
        for x_t in x:
            h = np.tanh(x_t @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return outputs


@mistake(
    "batched_forward",
    "the output of every step is returned, shape (N, T, K), instead of the last one",
    "SimpleRNN(M) returns the last hidden state only: apply the Dense layer to h_T, shape (N, K)",
)
def returns_every_step(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


# --- sequence_forward -------------------------------------------------------------------------


@mistake("sequence_forward", "the outputs are time-major, shape (T, N, K)", "stack the steps on axis 1: np.stack(outputs, axis=1)")
def sequence_time_major(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=0)


@mistake(
    "sequence_forward",
    "the recurrent term is missing: each step forgets the previous hidden state",
    "add h_{t-1} @ Wh inside the tanh: h = tanh(X[:, t] @ Wx + h @ Wh + bh)",
)
def missing_recurrent_term(X, Wx, Wh, bh, Wo, bo):
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


@mistake(
    "sequence_forward",
    "a softmax is applied to the outputs",
    "Dense(K) here has no activation: y_t = h_t @ Wo + bo",
)
def softmax_on_output(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        y = np.exp(h @ Wo + bo)
        outputs.append(y / y.sum(axis=-1, keepdims=True))
    return np.stack(outputs, axis=1)


@mistake("sequence_forward", "the hidden activation is missing (linear)", "SimpleRNN applies tanh: h = tanh(X[:, t] @ Wx + h @ Wh + bh)")
def linear_hidden_activation(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = X[:, t] @ Wx + h @ Wh + bh
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


@mistake("sequence_forward", "the hidden state starts at ones instead of zeros", "Keras starts from h_0 = 0: h = np.zeros((N, M))")
def initial_state_ones(X, Wx, Wh, bh, Wo, bo):
    h = np.ones((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


@mistake(
    "sequence_forward",
    "time runs backwards (the steps are taken from T-1 down to 0)",
    "Keras reads the sequence forwards: loop over range(T)",
)
def reversed_time(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in reversed(range(X.shape[1])):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


@mistake(
    "sequence_forward",
    "the last time step is missing (range(T - 1))",
    "range(T) already stops at T-1: loop over range(T) for T outputs",
)
def one_step_short(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1] - 1):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


@mistake(
    "sequence_forward",
    "the Dense layer is missing: the hidden states (N, T, M) are returned",
    "apply the Dense layer to every hidden state: y_t = h_t @ Wo + bo, shape (N, T, K)",
)
def returns_hidden_states(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    states = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    return np.stack(states, axis=1)
