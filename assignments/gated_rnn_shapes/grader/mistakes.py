"""Catalogue of realistic mistakes: concepts applied to every function they fit, and entries for one function.

A concept is one mistake written once, as a change to the reference computation (:func:`_lstm`,
:func:`_lstm_gates`, :func:`_gru`), and applied to each graded function it fits: the gate order
i, f, o, c is the same mistake in lstm_gate_weights, lstm_forward and lstm_states; an unreset
state or a missing output bias is the same in lstm_forward and gru_forward. Mistakes that only
one function can make (a count, the GRU's bias layouts and reset gate) are entries of their own.

The judge runs every entry of a question on the same inputs as the student's function; an entry
whose outcomes equal the student's on every check (the same values, or the same exception where
the student's code raised) names the mistake in the feedback. tests/test_gated_cases.py proves
that the hidden cases tell every entry apart from a correct answer by far more than the
tolerance, and the entries of a question apart from each other.

Entries of a question are tried in the order they are listed here: an entry marked
``signature=False`` gives the same outputs as an earlier one, so the feedback names the earlier.
Where the mistake is not in the bias handling, GRU entries handle both bias layouts correctly,
so that each entry has exactly one mistake.
"""

from __future__ import annotations

import itertools

import numpy as np

from gradecore.judge.authoring import Catalogue, applied

CATALOGUE = Catalogue()
mistake = CATALOGUE.mistake


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _hard_sigmoid(z):
    """Keras 2's default recurrent activation: a piecewise-linear sigmoid."""
    return np.clip(0.2 * z + 0.5, 0.0, 1.0)


def _hard_sigmoid_keras3(z):
    """Keras 3's hard_sigmoid (``keras.ops.hard_sigmoid``): relu6(x + 3) / 6."""
    return np.clip(z / 6 + 0.5, 0.0, 1.0)


def _relu(z):
    return np.maximum(z, 0.0)


def _gru_biases(bias, M):
    """(input bias, recurrent bias, reset_after) of either layout, as Keras reads them."""
    if bias.ndim == 2:
        return bias[0], bias[1], True
    return bias, np.zeros(3 * M), False


# --- lstm_count_params ----------------------------------------------------------------------------


@mistake(
    "lstm_count_params",
    "three gate blocks are counted, as a GRU has",
    "an LSTM packs four blocks (i, f, c, o): its kernels have 4M columns and its bias 4M values",
)
def lstm_count_three_gates(D, M, K):
    return 3 * (D * M + M * M + M) + M * K + K


@mistake(
    "lstm_count_params",
    "the LSTM is counted like a SimpleRNN, with one block instead of four",
    "each of the four gates has its own kernel, recurrent kernel and bias: multiply the block by 4",
)
def lstm_count_one_block(D, M, K):
    return D * M + M * M + M + M * K + K


@mistake(
    "lstm_count_params",
    "the recurrent kernel is not counted",
    "the gates also read h_{t-1}: the recurrent kernel has shape (M, 4M), so 4·M·M weights",
)
def lstm_count_no_recurrent(D, M, K):
    return 4 * (D * M + M) + M * K + K


@mistake(
    "lstm_count_params",
    "two biases per gate are counted, as PyTorch's nn.LSTM has",
    "Keras' LSTM has a single bias of 4M values",
)
def lstm_count_two_biases(D, M, K):
    return 4 * (D * M + M * M + 2 * M) + M * K + K


@mistake(
    "lstm_count_params",
    "the bias is counted as M values instead of 4M",
    "each gate has its own bias: the LSTM's bias has shape (4M,)",
)
def lstm_count_one_bias(D, M, K):
    return 4 * (D * M + M * M) + M + M * K + K


@mistake("lstm_count_params", "the Dense layer is counted without its bias", "Dense(K) has an M·K kernel and K biases")
def lstm_count_no_dense_bias(D, M, K):
    return 4 * (D * M + M * M + M) + M * K


# --- gru_count_params -----------------------------------------------------------------------------


@mistake(
    "gru_count_params",
    "the count ignores reset_after: two bias rows are always counted",
    "with reset_after=False the GRU has one bias of shape (3M,); with True, two rows: (2, 3M)",
)
def gru_count_ignores_reset_after(D, M, K, reset_after=True):
    return 3 * (D * M + M * M + 2 * M) + M * K + K


@mistake(
    "gru_count_params",
    "one bias row is always counted, as for reset_after=False",
    "with reset_after=True (the default) the bias has two rows, input and recurrent: shape (2, 3M)",
)
def gru_count_one_bias(D, M, K, reset_after=True):
    return 3 * (D * M + M * M + M) + M * K + K


@mistake(
    "gru_count_params",
    "the two bias layouts are swapped: two rows for reset_after=False, one for True",
    "reset_after=True keeps a separate recurrent bias, so it is the one with the bias of shape (2, 3M)",
)
def gru_count_layouts_swapped(D, M, K, reset_after=True):
    rows = 1 if reset_after else 2
    return 3 * (D * M + M * M + rows * M) + M * K + K


@mistake(
    "gru_count_params",
    "four gate blocks are counted, as an LSTM has",
    "a GRU packs three blocks (z, r, h): its kernels have 3M columns",
)
def gru_count_four_gates(D, M, K, reset_after=True):
    rows = 2 if reset_after else 1
    return 4 * (D * M + M * M + rows * M) + M * K + K


@mistake(
    "gru_count_params",
    "only the two gates z and r are counted, not the candidate",
    "the candidate h~ has its own block too: the kernels have 3M columns",
)
def gru_count_two_gates(D, M, K, reset_after=True):
    rows = 2 if reset_after else 1
    return 2 * (D * M + M * M + rows * M) + M * K + K


@mistake(
    "gru_count_params",
    "the recurrent kernel is not counted",
    "the gates also read h_{t-1}: the recurrent kernel has shape (M, 3M), so 3·M·M weights",
)
def gru_count_no_recurrent(D, M, K, reset_after=True):
    rows = 2 if reset_after else 1
    return 3 * (D * M + rows * M) + M * K + K


@mistake(
    "gru_count_params",
    "with reset_after=True the recurrent bias is counted for one block only (M values, as if only the candidate had one)",
    "the recurrent bias is a whole row like the input bias: one per block, z, r and h, so 3·M values",
)
def gru_count_recurrent_bias_one_block(D, M, K, reset_after=True):
    bias = 3 * M + M if reset_after else 3 * M
    return 3 * (D * M + M * M) + bias + M * K + K


@mistake("gru_count_params", "the Dense layer is counted without its bias", "Dense(K) has an M·K kernel and K biases")
def gru_count_no_dense_bias(D, M, K, reset_after=True):
    rows = 2 if reset_after else 1
    return 3 * (D * M + M * M + rows * M) + M * K


# --- lstm_gate_weights ----------------------------------------------------------------------------


@mistake(
    "lstm_gate_weights",
    "the kernels are sliced by rows instead of columns",
    "the gates are packed along the last axis: kernel[:, k*M:(k+1)*M], not kernel[k*M:(k+1)*M]",
)
def gates_by_rows(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        rows = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[rows], recurrent_kernel[rows], bias[rows])
    return gates


@mistake(
    "lstm_gate_weights",
    "each gate's kernels are transposed, (M, D) and (M, M), as PyTorch stores them",
    "return the slices as Keras stores them: W of shape (D, M) and U of shape (M, M), used as x @ W and h @ U",
)
def gates_transposed(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols].T, recurrent_kernel[:, cols].T, bias[cols])
    return gates


@mistake(
    "lstm_gate_weights",
    "each gate's input kernel W is transposed, (M, D) as PyTorch stores it (U is square, so its shape cannot show it)",
    "return W as Keras stores it, of shape (D, M), used as x @ W: kernel[:, k*M:(k+1)*M] with no .T",
)
def input_kernels_transposed(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols].T, recurrent_kernel[:, cols], bias[cols])
    return gates


@mistake(
    "lstm_gate_weights",
    "the kernels are split with np.split(w, 4), along their rows (axis 0), instead of their columns",
    "the gates are packed along the last axis: np.split(w, 4, axis=-1), or kernel[:, k*M:(k+1)*M]",
)
def gates_split_rows(kernel, recurrent_kernel, bias):
    parts = [np.split(w, 4) for w in (kernel, recurrent_kernel, bias)]
    return {name: tuple(p[k] for p in parts) for k, name in enumerate(["i", "f", "c", "o"])}


@mistake(
    "lstm_gate_weights",
    "the kernels are reshaped to (..., M, 4), which interleaves the gates",
    "the four blocks are contiguous: reshape to (..., 4, M) and take [..., k, :], or slice columns k*M:(k+1)*M",
)
def gates_interleaved(kernel, recurrent_kernel, bias):
    D, M = kernel.shape[0], recurrent_kernel.shape[0]
    W4, U4, b4 = kernel.reshape(D, M, 4), recurrent_kernel.reshape(M, M, 4), bias.reshape(M, 4)
    return {name: (W4[:, :, k], U4[:, :, k], b4[:, k]) for k, name in enumerate(["i", "f", "c", "o"])}


@mistake(
    "lstm_gate_weights",
    "the recurrent kernel is not split: every gate gets the whole (M, 4M) array",
    "slice the recurrent kernel's columns like the kernel's: recurrent_kernel[:, k*M:(k+1)*M]",
)
def gates_recurrent_not_split(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols], recurrent_kernel, bias[cols])
    return gates


@mistake(
    "lstm_gate_weights",
    "a list of four (W, U, b) tuples is returned instead of a dict",
    'return a dict keyed by gate name: {"i": (W_i, U_i, b_i), "f": ..., "c": ..., "o": ...}',
)
def gates_as_list(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    return [
        (kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
        for k in range(4)
    ]


# --- gru_forward ----------------------------------------------------------------------------------


@mistake(
    "gru_forward",
    "the gates are sliced in the order r, z, h of PyTorch's nn.GRU",
    "Keras packs the columns as [z | r | h]: the update gate z is the first block, the reset gate r the second",
)
def gru_order_rzh(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias, reset_after = _gru_biases(bias, M)
    h = np.zeros((N, M))
    for t in range(T):
        xr, xz, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        ur, uz, uh = np.split(h @ recurrent_kernel + recurrent_bias, 3, axis=1)
        r, z = _sigmoid(xr + ur), _sigmoid(xz + uz)
        if reset_after:
            candidate = np.tanh(xh + r * uh)
        else:
            candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "the update gate is used the other way round: h = (1 - z) * h_prev + z * h~",
    "in Keras z keeps the old state: h_t = z * h_{t-1} + (1 - z) * h~_t",
)
def gru_z_swapped(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias, reset_after = _gru_biases(bias, M)
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        uz, ur, uh = np.split(h @ recurrent_kernel + recurrent_bias, 3, axis=1)
        z, r = _sigmoid(xz + uz), _sigmoid(xr + ur)
        if reset_after:
            candidate = np.tanh(xh + r * uh)
        else:
            candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = (1 - z) * h + z * candidate
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "with reset_after=True the reset gate is applied before the recurrent matmul, (r * h) @ U_h",
    "reset_after=True applies r after the matmul: h~ = tanh(x W_h + b_in + r * (h U_h + b_rec)); "
    "(r * h) @ U_h is the reset_after=False formula",
)
def gru_reset_before_matmul(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias, _ = _gru_biases(bias, M)
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        bz, br, bh = np.split(recurrent_bias, 3)
        z = _sigmoid(xz + h @ recurrent_kernel[:, :M] + bz)
        r = _sigmoid(xr + h @ recurrent_kernel[:, M:2 * M] + br)
        candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * M:] + bh)
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "with reset_after=True the candidate's recurrent bias is added outside the reset gate",
    "the reset gate multiplies the recurrent bias too: h~ = tanh(x W_h + b_in + r * (h U_h + b_rec))",
)
def gru_recurrent_bias_outside_reset(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias, reset_after = _gru_biases(bias, M)
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        bz, br, bh = np.split(recurrent_bias, 3)
        uz, ur, uh = np.split(h @ recurrent_kernel, 3, axis=1)
        z, r = _sigmoid(xz + uz + bz), _sigmoid(xr + ur + br)
        if reset_after:
            candidate = np.tanh(xh + r * uh + bh)
        else:
            candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "with reset_after=False the reset gate is applied after the recurrent matmul, r * (h @ U_h)",
    "a (3M,) bias means reset_after=False: the reset gate scales h before the matmul, (r * h) @ U_h",
)
def gru_reset_after_for_1d_bias(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias, _ = _gru_biases(bias, M)
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        uz, ur, uh = np.split(h @ recurrent_kernel + recurrent_bias, 3, axis=1)
        z, r = _sigmoid(xz + uz), _sigmoid(xr + ur)
        h = z * h + (1 - z) * np.tanh(xh + r * uh)
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "the two bias rows are swapped: row 0 is used as the recurrent bias",
    "with a (2, 3M) bias, row 0 is the input bias (added to x W) and row 1 the recurrent bias (added to h U)",
)
def gru_bias_rows_swapped(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    if bias.ndim == 2:
        recurrent_bias, input_bias, reset_after = bias[0], bias[1], True
    else:
        input_bias, recurrent_bias, reset_after = bias, np.zeros(3 * M), False
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        uz, ur, uh = np.split(h @ recurrent_kernel + recurrent_bias, 3, axis=1)
        z, r = _sigmoid(xz + uz), _sigmoid(xr + ur)
        if reset_after:
            candidate = np.tanh(xh + r * uh)
        else:
            candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "with a (2, 3M) bias the recurrent bias (row 1) is ignored",
    "add row 1 of the bias to h @ recurrent_kernel, inside the reset gate for the candidate",
)
def gru_recurrent_bias_ignored(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    input_bias = bias[0] if reset_after else bias
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        uz, ur, uh = np.split(h @ recurrent_kernel, 3, axis=1)
        z, r = _sigmoid(xz + uz), _sigmoid(xr + ur)
        if reset_after:
            candidate = np.tanh(xh + r * uh)
        else:
            candidate = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "only the (2, 3M) bias of reset_after=True is handled: a (3M,) bias raises",
    "check bias.ndim: a bias of shape (3M,) is a GRU with reset_after=False, (r * h) @ U_h and no recurrent bias",
)
def gru_only_two_row_bias(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias = bias
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        uz, ur, uh = np.split(h @ recurrent_kernel + recurrent_bias, 3, axis=1)
        z, r = _sigmoid(xz + uz), _sigmoid(xr + ur)
        h = z * h + (1 - z) * np.tanh(xh + r * uh)
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "only the (2, 3M) bias of reset_after=True is handled: with a (3M,) bias, bias[0] and bias[1] are two numbers, "
    "added to every unit as input and recurrent bias",
    "check bias.ndim: a bias of shape (3M,) is a GRU with reset_after=False, (r * h) @ U_h and no recurrent bias",
)
def gru_bias_rows_indexed(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias = bias[0], bias[1]
    h = np.zeros((N, M))
    for t in range(T):
        xz, xr, xh = np.split(X[:, t] @ kernel + input_bias, 3, axis=1)
        uz, ur, uh = np.split(h @ recurrent_kernel + recurrent_bias, 3, axis=1)
        z, r = _sigmoid(xz + uz), _sigmoid(xr + ur)
        h = z * h + (1 - z) * np.tanh(xh + r * uh)
    return h @ Wo + bo


@mistake(
    "gru_forward",
    "only the (3M,) bias of reset_after=False is handled: a (2, 3M) bias is added as if it were one row",
    "check bias.ndim: a bias of shape (2, 3M) is reset_after=True, input bias in row 0, recurrent bias in row 1",
)
def gru_only_one_row_bias(X, kernel, recurrent_kernel, bias, Wo, bo):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t] @ kernel + bias
        z = _sigmoid(x[..., :M] + h @ recurrent_kernel[:, :M])
        r = _sigmoid(x[..., M:2 * M] + h @ recurrent_kernel[:, M:2 * M])
        h = z * h + (1 - z) * np.tanh(x[..., 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
    return h @ Wo + bo




# --- concepts -------------------------------------------------------------------------------------


def _dense(h, hs, Wo, bo, change=""):
    """The Dense layer on the last hidden state h (or, as a change says, on the states hs of every step)."""
    if change == "every_step":
        return np.stack([s @ Wo + bo for s in hs], axis=1)
    if change == "mean_over_time":
        h = np.mean(hs, axis=0)
    if change == "last_sample_every_step":
        h = np.stack([s[-1] for s in hs])
    return h @ Wo + (0 if change == "no_dense_bias" else bo)


def _lstm(X, kernel, recurrent_kernel, bias, Wo, bo, form, change=""):
    """``LSTM(M) -> Dense(K)`` as lstm_forward (``form="forward"``, (N, K)) or lstm_states
    (``"states"``, (h_T, c_T)) computes it, with one change (a concept's name; ``""``: Keras')."""
    dtype = np.float16 if change == "float16" else np.float64
    X, kernel, recurrent_kernel, bias = (np.asarray(a, dtype) for a in (X, kernel, recurrent_kernel, bias))
    if form == "forward":
        Wo, bo = np.asarray(Wo, dtype), np.asarray(bo, dtype)
    gate = {"hard_sigmoid": _hard_sigmoid, "hard_sigmoid_keras3": _hard_sigmoid_keras3, "tanh_gates": np.tanh,
            "sigmoid_sign": lambda z: 1.0 / (1.0 + np.exp(z))}.get(change, _sigmoid)
    candidate = {"sigmoid_candidate": _sigmoid, "relu_candidate": _relu}.get(change, np.tanh)
    order = change[len("order_"):].replace("c", "g") if change.startswith("order_") else "ifgo"
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    groups = [X[n:n + 1] for n in range(N)] if change == "state_not_reset" else [X]
    h = (np.ones if change == "h_starts_ones" else np.zeros)((len(groups[0]), M), dtype)
    c = c_prev = (np.ones if change == "c_starts_ones" else np.zeros)((len(groups[0]), M), dtype)
    recurrent_kernel = 0 * recurrent_kernel if change == "no_recurrent" else recurrent_kernel
    bias = {"no_input_bias": 0, "bias_twice": 2}.get(change, 1) * bias
    split_axis = 0 if change == "split_axis_0" else 1
    squash = {"no_tanh_on_c": lambda c: c, "c_squashed": lambda c: c, "sigmoid_on_c": _sigmoid}.get(change, np.tanh)
    finals = []
    for x in groups:
        hs, cs = [], []
        for t in range(N if change == "iterates_samples" else T):
            if change == "first_step_skipped" and t == 0:
                continue
            x_t = X[t] if change == "iterates_samples" else x[:, T - 1 - t if change == "reversed_time" else t]
            z = dict(zip(order, np.split(x_t @ kernel + h @ recurrent_kernel + bias, 4, axis=split_axis)))
            i, o = gate(z["i"]), (np.tanh if change == "tanh_output_gate" else gate)(z["o"])
            f = gate(z["f"] + (1 if change == "forget_bias_plus_one" else 0))
            g = candidate(z["g"])
            kept = {"forget_ignored": c, "c_reset_each_step": 0, "forget_one_minus": (1 - f) * c}.get(change, f * c)
            c_prev, c = c, kept + (g if change == "input_gate_ignored" else i * g)
            if change == "c_squashed":
                c = np.tanh(c)
            seen = c_prev if change == "h_from_old_c" else c
            h = np.tanh(o * seen) if change == "tanh_outside_gate" else o * squash(seen)
            hs.append(h)
            cs.append(c)
        finals.append((h, c, c_prev))
    h, c, c_prev = (np.concatenate(parts) for parts in zip(*finals))
    if form == "states":
        if change == "every_step":
            return np.stack(hs, axis=1), np.stack(cs, axis=1)
        return {"c_one_step_late": (h, c_prev), "states_swapped": (c, h), "states_h_twice": (h, h),
                "c_returned_squashed": (h, np.tanh(c))}.get(change, (h, c))
    return _dense(c if change == "dense_on_c" else h, hs, Wo, bo, change)


def _lstm_gates(kernel, recurrent_kernel, bias, change=""):
    """lstm_gate_weights' answer, with the gates taken in the order a change says."""
    M = bias.shape[0] // 3 if change == "M_from_bias_over_3" else recurrent_kernel.shape[0]
    order = change[len("order_"):] if change.startswith("order_") else "ifco"
    W = recurrent_kernel if change == "recurrent_kernel_for_input" else kernel
    U = kernel if change == "input_kernel_for_recurrent" else recurrent_kernel
    gates = {name: (W[:, k * M:(k + 1) * M], U[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M]) for k, name in enumerate(order)}
    if change == "recurrent_kernels_transposed":
        gates = {name: (w, u.T, b) for name, (w, u, b) in gates.items()}
    if change == "bias_not_sliced":
        gates = {name: (w, u, bias) for name, (w, u, b) in gates.items()}
    return gates


def _gru(X, kernel, recurrent_kernel, bias, Wo, bo, change=""):
    """``GRU(M) -> Dense(K)`` as gru_forward computes it for either bias layout, with one change."""
    dtype = np.float16 if change == "float16" else np.float64
    X, kernel, recurrent_kernel, bias, Wo, bo = (np.asarray(a, dtype) for a in (X, kernel, recurrent_kernel, bias, Wo, bo))
    gate = {"hard_sigmoid": _hard_sigmoid, "hard_sigmoid_keras3": _hard_sigmoid_keras3, "tanh_gates": np.tanh,
            "sigmoid_sign": lambda z: 1.0 / (1.0 + np.exp(z))}.get(change, _sigmoid)
    candidate = {"sigmoid_candidate": _sigmoid, "relu_candidate": _relu}.get(change, np.tanh)
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    input_bias, recurrent_bias, reset_after = _gru_biases(bias, M)
    input_bias = 0 * input_bias if change == "no_input_bias" else input_bias
    if change == "input_bias_row_twice" and reset_after:
        recurrent_bias = input_bias
    recurrent_kernel = 0 * recurrent_kernel if change == "no_recurrent" else recurrent_kernel
    groups = [X[n:n + 1] for n in range(N)] if change == "state_not_reset" else [X]
    h = (np.ones if change == "h_starts_ones" else np.zeros)((len(groups[0]), M), dtype)
    split_axis = 0 if change == "split_axis_0" else 1
    finals, hs = [], []
    for x in groups:
        hs = []
        for t in range(N if change == "iterates_samples" else T):
            if change == "first_step_skipped" and t == 0:
                continue
            x_t = X[t] if change == "iterates_samples" else x[:, T - 1 - t if change == "reversed_time" else t]
            xz, xr, xh = np.split(x_t @ kernel + input_bias, 3, axis=split_axis)
            uz, ur, uh = np.split(h @ recurrent_kernel + recurrent_bias.astype(dtype), 3, axis=split_axis)
            z, r = gate(xz + uz), gate(xr + ur)
            if change == "reset_gate_unused":
                h_new = candidate(xh + uh)
            elif change == "reset_whole_preactivation" or (change == "reset_whole_preactivation_after" and reset_after):
                h_new = candidate(r * (xh + uh))
            elif reset_after:
                h_new = candidate(xh + r * uh)
            else:
                h_new = candidate(xh + (r * h) @ recurrent_kernel[:, 2 * M:])
            h = z * h + (1 if change == "no_one_minus_z" else 1 - z) * h_new
            hs.append(h)
        finals.append(h)
    return _dense(np.concatenate(finals), hs, Wo, bo, change)


CALLS = {
    "lstm_gate_weights": ("kernel, recurrent_kernel, bias", "_lstm_gates(kernel, recurrent_kernel, bias, {change})"),
    "lstm_forward": ("X, kernel, recurrent_kernel, bias, Wo, bo",
                     "_lstm(X, kernel, recurrent_kernel, bias, Wo, bo, 'forward', {change})"),
    "lstm_states": ("X, kernel, recurrent_kernel, bias", "_lstm(X, kernel, recurrent_kernel, bias, None, None, 'states', {change})"),
    "gru_forward": ("X, kernel, recurrent_kernel, bias, Wo, bo", "_gru(X, kernel, recurrent_kernel, bias, Wo, bo, {change})"),
}
"""How each graded function a concept can fit calls the reference computation."""

HELPERS = (_sigmoid, _hard_sigmoid, _hard_sigmoid_keras3, _relu, _gru_biases, _lstm_gates, _dense, _lstm, _gru)

LSTM = ("lstm_forward", "lstm_states")
FORWARD = ("lstm_forward", "gru_forward")
RECURRENT = ("lstm_forward", "lstm_states", "gru_forward")


def concept(change: str, title: str, hint: str, questions: tuple[str, ...], **options) -> None:
    calls = {q: CALLS[q] for q in questions}
    CATALOGUE.concept(change, title, hint, applied(change, calls, HELPERS), **options)


concept("order_ifoc", "the gates are sliced in the order i, f, o, c (g), as some courses write them",
        "Keras packs the columns as [i | f | c | o]: the candidate is the third block, the output gate the fourth",
        ("lstm_gate_weights", *LSTM))
concept("order_icfo", "the gates are sliced in the order i, c, f, o of TensorFlow 1's LSTMCell",
        "Keras packs the columns as [i | f | c | o]: the forget gate is the second block", ("lstm_gate_weights", *LSTM))
for order in ("".join(p) for p in itertools.permutations("ifco")):
    if order not in ("ifco", "ifoc", "icfo"):
        concept(f"order_{order}", f"the gates are sliced in the order {', '.join(order)}",
                "Keras packs the columns as [i | f | c | o]: input, forget, candidate, output", ("lstm_gate_weights", *LSTM))
concept("no_recurrent", "the recurrent kernel is not used: the gates read x_t only, not h_{t-1}",
        "add h_{t-1} @ recurrent_kernel to x_t @ kernel (a GRU's candidate reads h_{t-1} through its third block)", RECURRENT)
concept("no_input_bias", "the bias added to x_t @ kernel is missing (the LSTM's bias; a GRU's (3M,) bias, or row 0 of its (2, 3M) bias)",
        "add the (input) bias to x_t @ kernel before splitting it into the gates", RECURRENT)
concept("h_starts_ones", "the hidden state h starts at ones instead of zeros", "Keras starts every sample from h_0 = 0", RECURRENT)
concept("c_starts_ones", "the cell state c starts at ones instead of zeros", "Keras starts every sample from c_0 = 0 (and h_0 = 0)", LSTM)
concept("no_tanh_on_c", "h is computed as o * c, without the tanh on the cell state",
        "the hidden state squashes the cell state: h_t = o * tanh(c_t)", LSTM)
concept("sigmoid_candidate", "the candidate uses a sigmoid instead of tanh",
        "only the gates use the sigmoid; the candidate is squashed with tanh: tanh(x W_c + h U_c + b_c) in an LSTM, "
        "the GRU's h~ likewise", RECURRENT)
concept("relu_candidate", "the candidate uses ReLU instead of tanh",
        "Keras' LSTM and GRU squash the candidate with tanh (their activation='tanh'), whose values lie in (-1, 1)", RECURRENT)
concept("forget_ignored", "the forget gate is ignored: c = c + i * g",
        "the old cell state is scaled by the forget gate: c_t = f * c_{t-1} + i * g", LSTM)
concept("h_from_old_c", "h is computed from the cell state before it is updated",
        "update the cell state first, then h_t = o * tanh(c_t) with the new c_t", LSTM)
concept("c_squashed", "the cell state is squashed with tanh before it is carried to the next step",
        "c_t = f * c_{t-1} + i * g is carried unsquashed; tanh is applied only to compute h_t = o * tanh(c_t)", LSTM)
concept("c_one_step_late", "c_T is the cell state of step T-1, before its last update",
        "return the cell state after the last step's update c_T = f * c_{T-1} + i * g, the one h_T is computed from",
        ("lstm_states",))
concept("states_swapped", "the states are returned in the order (c_T, h_T)",
        "LSTM(M, return_state=True) returns the hidden state first: return (h_T, c_T)", ("lstm_states",))
concept("states_h_twice", "h_T is returned twice: the second state should be the cell state c_T",
        "LSTM(M, return_state=True) returns the hidden state, then the cell state: return (h_T, c_T)", ("lstm_states",))
concept("dense_on_c", "the Dense layer is applied to the cell state c_T instead of h_T",
        "the LSTM's output is its hidden state: y = h_T @ Wo + bo", ("lstm_forward",))
concept("hard_sigmoid", "the gates use hard_sigmoid, clip(0.2 x + 0.5, 0, 1), the default of Keras 2",
        "Keras 3's LSTM and GRU use the true sigmoid 1 / (1 + exp(-x)) for their gates", RECURRENT)
concept("hard_sigmoid_keras3", "the gates use a hard sigmoid, clip(x / 6 + 0.5, 0, 1) (Keras 3's hard_sigmoid)",
        "Keras' LSTM and GRU use the true sigmoid 1 / (1 + exp(-x)) for their gates (recurrent_activation='sigmoid')",
        RECURRENT)
concept("reversed_time", "time runs backwards (the steps are taken from T-1 down to 0)",
        "Keras reads the sequence forwards (go_backwards=False): loop over range(T)", RECURRENT)
concept("tanh_gates", "every gate uses tanh instead of the sigmoid (i, f and o of an LSTM; z and r of a GRU)",
        "the gates use the sigmoid 1 / (1 + exp(-x)), whose values lie in (0, 1); tanh is for the candidate "
        "(and for c in h = o * tanh(c))", RECURRENT)
concept("tanh_output_gate", "the output gate o uses tanh instead of the sigmoid",
        "o = sigmoid(x W_o + h U_o + b_o), in (0, 1); tanh is applied to the cell state only: h_t = o * tanh(c_t)", LSTM)
concept("sigmoid_sign", "the sigmoid has lost its minus sign: 1 / (1 + exp(x)) is sigmoid(-x), so every gate is reversed",
        "sigmoid(x) = 1 / (1 + exp(-x)), close to 1 for large x", RECURRENT)
concept("c_reset_each_step", "the cell state is set to zero at every step instead of carried from one step to the next",
        "set c = zeros once per sample, before the loop over time: c_t = f * c_{t-1} + i * g uses the previous c", LSTM)
concept("iterates_samples", "the loop `for x_t in X` runs over the N samples (each (T, D)), not over the T steps",
        "X is (N, T, D): loop `for t in range(T)` and take x_t = X[:, t], shape (N, D)", RECURRENT)
concept("split_axis_0", "the packed pre-activations are split with np.split(z, k) along axis 0, the samples, not the gates",
        "the gates are packed along the last axis: np.split(z, 4, axis=1) for an LSTM (3 for a GRU), or slice the columns",
        RECURRENT)
concept("input_gate_ignored", "the input gate is ignored: c = f * c + g", "the candidate is scaled by the input gate: "
        "c_t = f * c_{t-1} + i * g", LSTM)
concept("sigmoid_on_c", "h is computed as o * sigmoid(c) instead of o * tanh(c)",
        "the cell state is squashed with tanh: h_t = o * tanh(c_t)", LSTM)
concept("tanh_outside_gate", "h is computed as tanh(o * c) instead of o * tanh(c)",
        "squash the cell state first, then gate it: h_t = o * tanh(c_t)", LSTM)
concept("no_one_minus_z", "the candidate is added without its (1 - z) factor: h = z * h + h~",
        "the update gate mixes the two: h_t = z * h_{t-1} + (1 - z) * h~_t", ("gru_forward",))
concept("reset_gate_unused", "the reset gate r is computed but not used: the candidate reads the whole recurrent term",
        "the reset gate scales the candidate's recurrent part: reset_after=True: tanh(x W_h + b + r * (h U_h + b_rec)); "
        "False: tanh(x W_h + b + (r * h) U_h)", ("gru_forward",))
concept("reset_whole_preactivation", "the reset gate multiplies the whole candidate pre-activation, input part too: "
        "tanh(r * (x W_h + h U_h + b))", "r scales only the recurrent part: reset_after=True: tanh(x W_h + b + "
        "r * (h U_h + b_rec)); False: tanh(x W_h + b + (r * h) U_h)", ("gru_forward",))
concept("reset_whole_preactivation_after", "with reset_after=True (a (2, 3M) bias), the reset gate multiplies the "
        "whole candidate pre-activation, input part too: tanh(r * (x W_h + b + h U_h + b_rec))",
        "r scales only the recurrent part: tanh(x W_h + b + r * (h U_h + b_rec))", ("gru_forward",))
concept("forget_one_minus", "the old cell state is kept with (1 - f) instead of f: c = (1 - f) * c + i * g (the GRU's "
        "mix carried over)", "the forget gate scales the old cell state itself: c_t = f * c_{t-1} + i * g", LSTM)
concept("M_from_bias_over_3", "M is taken as bias.shape[0] // 3, as for a GRU's three blocks: an LSTM's bias has four "
        "(4M values), so every slice has the wrong width", "M = recurrent_kernel.shape[0] (or bias.shape[0] // 4)",
        ("lstm_gate_weights",))
concept("recurrent_kernels_transposed", "each gate's recurrent kernel U is transposed (recurrent_kernel[:, cols].T): "
        "it is square, so its shape cannot show it", "return U as Keras stores it, used as h @ U: "
        "recurrent_kernel[:, k*M:(k+1)*M] with no .T", ("lstm_gate_weights",))
concept("bias_not_sliced", "every gate gets the whole bias, shape (4M,), instead of its own slice (M,)",
        "slice the bias like the kernels' columns: bias[k*M:(k+1)*M]", ("lstm_gate_weights",))
concept("forget_bias_plus_one", "1 is added to the forget gate's pre-activation (unit_forget_bias applied by hand)",
        "unit_forget_bias=True only sets the forget gate's initial bias to 1: that bias is already in the weights, "
        "so f = sigmoid(x W_f + h U_f + b_f) with nothing added", LSTM)
concept("bias_twice", "the bias is added twice",
        "Keras' LSTM has a single bias, added once: x_t @ kernel + h_{t-1} @ recurrent_kernel + bias "
        "(PyTorch's nn.LSTM has two)", LSTM)
concept("recurrent_kernel_for_input", "each gate's W is sliced from the recurrent kernel instead of the kernel",
        "W multiplies x_t: slice it from kernel (D, 4M); U multiplies h_{t-1}: slice it from recurrent_kernel (M, 4M)",
        ("lstm_gate_weights",))
concept("input_kernel_for_recurrent", "each gate's U is sliced from the kernel instead of the recurrent kernel",
        "U multiplies h_{t-1}: slice it from recurrent_kernel (M, 4M); W multiplies x_t: slice it from kernel (D, 4M)",
        ("lstm_gate_weights",))
concept("no_dense_bias", "the output bias bo is missing", "the Dense layer adds bo: y = h_T @ Wo + bo", FORWARD)
concept("mean_over_time", "the Dense layer is applied to the mean of the hidden states over time, not to the last one",
        "without return_sequences the layer gives its last hidden state h_T: apply the Dense layer to it alone", FORWARD)
concept("last_sample_every_step", "the last sample's outputs at every step are returned, shape (T, K): "
        "an index such as H[-1] picks the last sample, not the last step",
        "with the states stacked as (N, T, M), the last step is H[:, -1]: the answer has shape (N, K)", FORWARD)
concept("every_step", "the results of every step are returned, with an extra T axis",
        "without return_sequences a layer gives the last step only: use h_T (and c_T) alone", RECURRENT)
concept("state_not_reset", "the state is not reset between samples: each sample starts from the previous one's last state",
        "start every sample from zero states (set h, and c for an LSTM, inside the loop over samples)", RECURRENT)
concept("first_step_skipped", "the first time step is skipped (range(1, T)): x_0 is never fed in",
        "Python counts from 0: loop over range(T) so that every step x_0 ... x_{T-1} is used", RECURRENT)
concept("c_returned_squashed", "c_T is returned as tanh(c_T): the cell state is returned squashed",
        "return the cell state as it is carried, c_T = f * c_{T-1} + i * g; the tanh is applied only to compute "
        "h_T = o * tanh(c_T)", ("lstm_states",))
concept("input_bias_row_twice", "with a (2, 3M) bias, row 0 (the input bias) is added as the recurrent bias too: row 1 is never read",
        "row 0 of the bias is added to x_t @ kernel, row 1 to h @ recurrent_kernel (inside the reset gate for the candidate)",
        ("gru_forward",))
concept("float16", "the computation runs in float16",
        "float16 keeps only about 3 significant digits: compute in float32 or float64", RECURRENT, loose=True)
