"""The public checks name the mistakes their counterfactual models stand for, and only those.

Each assignment's public check (the test function of its notebook cell, run with this environment's
Keras, as ``grader.check`` runs it) is given one mistaken function per name it can say: each gets its
own "Likely mistake: ..." and no other's; the reference solution passes. The mistaken functions are
written here, each as a student would write it with one mistake, not computed from the check's own
counterfactual models.
"""

from __future__ import annotations

import json
import sys
from functools import partial

import numpy as np
import pytest

import gradecore.public as public
from gradecore.public import selfcheck
from gradecore.public.runner import check_functions
from tests.support import ROOT

pytestmark = pytest.mark.slow


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- rnn_shapes -----------------------------------------------------------------------------------


def batched_forward(X, Wx, Wh, bh, Wo, bo, mistake=""):
    N, T, D = X.shape
    M = Wh.shape[0]
    h = np.zeros((N, D)) if mistake == "h0_of_size_D" else np.zeros((N, M))
    steps = {"features": range(D), "samples": range(N)}.get(mistake, range(T))
    states = []
    for t in steps:
        if mistake == "bias_outside":
            h = np.tanh(X[:, t] @ Wx + h @ Wh) + bh
        elif mistake == "wx_for_wh":
            h = np.tanh(X[:, t] @ Wx + h @ Wx + bh)
        elif mistake == "bo_for_bh":
            h = np.tanh(X[:, t] @ Wx + h @ Wh + bo)
        elif mistake == "bh_twice":
            h = np.tanh(X[:, t] @ Wx + bh + h @ Wh + bh)
        else:
            h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        states.append(h)
    if mistake == "mean_over_time":
        h = np.mean(states, axis=0)
    out = h @ Wo + bo
    if mistake == "bo_twice":
        out = out + bo
    if mistake == "softmax":
        out = np.exp(out - out.max(axis=1, keepdims=True))
        out = out / out.sum(axis=1, keepdims=True)
    return out


def extract_weights(model, mistake=""):
    first = 0 if mistake == "counted_from_zero" else 1
    Wx, Wh, bh = model.layers[first].get_weights()
    Wo, bo = model.layers[first + 1].get_weights()
    return Wx.T if mistake == "Wx_T" else Wx, Wh.T if mistake == "Wh_T" else Wh, bh, Wo, bo


def count_params(T, D, M, K, mistake=""):
    recurrent = D * M if mistake == "recurrent_as_DM" else M * M
    dense_bias = M * K if mistake == "dense_bias_MK" else K
    inputs = T * D if mistake == "inputs" else 0
    return D * M + recurrent + M + M * K + dense_bias + inputs


# --- gated_rnn_shapes -----------------------------------------------------------------------------


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo, mistake=""):
    h, _ = lstm_states(X, kernel, recurrent_kernel, bias, mistake)
    return h @ Wo + bo


def lstm_states(X, kernel, recurrent_kernel, bias, mistake=""):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    gate = {"tanh_gates": np.tanh, "hard_sigmoid": lambda z: np.clip(0.2 * z + 0.5, 0, 1),
            "hard_sigmoid_keras3": lambda z: np.minimum(np.maximum(z + 3, 0), 6) / 6,
            "sigmoid_sign": lambda z: 1.0 / (1.0 + np.exp(z))}.get(mistake, _sigmoid)
    candidate = {"relu_candidate": lambda z: np.maximum(z, 0), "sigmoid_candidate": _sigmoid}.get(mistake, np.tanh)
    h = np.zeros((N, M))
    c = np.ones((N, M)) if mistake == "c_ones" else np.zeros((N, M))
    U = 0 * recurrent_kernel if mistake == "no_recurrent" else recurrent_kernel
    b = 2 * bias if mistake == "bias_twice" else bias
    for t in range(1 if mistake == "first_step_skipped" else 0, T):
        z = X[:, t] @ kernel + h @ U + b
        i, f, g, o = gate(z[:, :M]), gate(z[:, M:2 * M]), candidate(z[:, 2 * M:3 * M]), gate(z[:, 3 * M:])
        if mistake == "tanh_input_gate":
            i = np.tanh(z[:, :M])
        if mistake == "tanh_output_gate":
            o = np.tanh(z[:, 3 * M:])
        if mistake == "no_forget":
            c = c + i * g
        elif mistake == "no_input_gate":
            c = f * c + g
        elif mistake == "one_minus_f":
            c = (1 - f) * c + i * g
        elif mistake == "h_before_c":
            h, c = o * np.tanh(c), f * c + i * g
            continue
        else:
            c = f * c + i * g
        h = np.tanh(c) if mistake == "no_output_gate" else o * c if mistake == "o_times_c" else o * np.tanh(c)
    return h, np.tanh(c) if mistake == "c_returned_squashed" else c


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo, mistake=""):
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    gate = {"tanh_gates": np.tanh, "hard_sigmoid": lambda z: np.clip(0.2 * z + 0.5, 0, 1),
            "sigmoid_sign": lambda z: 1.0 / (1.0 + np.exp(z))}.get(mistake, _sigmoid)
    candidate = {"relu_candidate": lambda z: np.maximum(z, 0), "sigmoid_candidate": _sigmoid}.get(mistake, np.tanh)
    reset_after = bias.ndim == 2
    input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, np.zeros(3 * M))
    if reset_after and mistake == "bias_rows_swapped":
        recurrent_bias, input_bias = bias[0], bias[1]
    if mistake == "no_recurrent_bias":
        recurrent_bias = 0 * recurrent_bias
    if reset_after and mistake == "input_bias_row_twice":
        input_bias, recurrent_bias = bias[0], bias[0]
    if mistake == "no_input_bias":
        input_bias = 0 * input_bias
    h = np.ones((N, M)) if mistake == "h_ones" else np.zeros((N, M))
    for t in range(1 if mistake == "first_step_skipped" else 0, T):
        x = X[:, t] @ kernel + input_bias
        u = h @ recurrent_kernel + recurrent_bias
        z = (np.tanh if mistake == "tanh_update_gate" else gate)(x[:, :M] + u[:, :M])
        r = np.ones((N, M)) if mistake == "no_reset" else (np.tanh if mistake == "tanh_reset_gate" else gate)(x[:, M:2 * M] + u[:, M:2 * M])
        if reset_after and mistake == "bias_outside_reset":
            h_new = candidate(x[:, 2 * M:] + r * (h @ recurrent_kernel[:, 2 * M:]) + recurrent_bias[2 * M:])
        elif reset_after and mistake == "reset_on_input_too":
            h_new = candidate(r * (x[:, 2 * M:] + u[:, 2 * M:]))
        elif reset_after:
            h_new = candidate(x[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            h_new = candidate(x[:, 2 * M:] + (r * h) @ recurrent_kernel[:, 2 * M:])
        h = h_new if mistake == "no_update" else z * h + (1 - z) * h_new
    return h @ Wo + bo


def lstm_count_params(D, M, K, mistake=""):
    bias = {"one_bias": M, "two_biases_no_dense_bias": 8 * M}.get(mistake, 4 * M)
    return 4 * (D * M + M * M) + bias + M * K + (0 if mistake == "two_biases_no_dense_bias" else K)


def gru_count_params(D, M, K, reset_after=True, mistake=""):
    blocks = 4 if mistake == "four_blocks" else 3
    if mistake == "candidate_recurrent_bias_only":
        return blocks * (D * M + M * M) + (3 * M + M if reset_after else 3 * M) + M * K + K
    return blocks * (D * M + M * M) + blocks * M * (2 if reset_after else 1) + M * K + K


def lstm_gate_weights(kernel, recurrent_kernel, bias, mistake=""):
    M = bias.shape[0] // 3 if mistake == "M_over_3" else recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate("ifco"):
        cols = slice(k * M, (k + 1) * M)
        W = recurrent_kernel[:, cols] if mistake == "W_from_recurrent" else kernel[:, cols]
        U = kernel[:, cols] if mistake == "U_from_kernel" else recurrent_kernel[:, cols]
        W = W.T if mistake in ("W_transposed", "both_transposed") else W
        U = U.T if mistake in ("U_transposed", "both_transposed") else U
        gates[name] = (W, U, bias if mistake == "bias_whole" else bias[cols])
    return gates


# --- rnn_bptt ---------------------------------------------------------------------------------------


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, mistake="", dh_of_step=None):
    """The gradients, and each step's dL/dh_t in ``dh_of_step`` (0-based) where it is given."""
    N, T, _ = X.shape
    hs, pre = [np.zeros((N, Wh.shape[0]))], [None]
    for t in range(T):
        pre.append(X[:, t] @ Wx + hs[-1] @ Wh + bh)
        hs.append(np.tanh(pre[-1]))
    dy = 2 * ((y - hs[T] @ Wo - bo) if mistake == "sign_flipped" else (hs[T] @ Wo + bo - y)) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo if mistake == "Wo_untransposed" else dy @ Wo.T
    for t in range(T, 1 if mistake == "stops_at_1" else 0, -1):
        if dh_of_step is not None:
            dh_of_step[t - 1] = dh
        slope = {"pre": 1 - pre[t] ** 2, "previous": 1 - hs[t - 1] ** 2, "unsquared": 1 - hs[t],
                 "tanh_twice": 1 - np.tanh(hs[t]) ** 2}.get(mistake, 1 - hs[t] ** 2)
        da = dh * slope
        if mistake == "assigned":
            dWx, dWh, dbh = X[:, t - 1].T @ da, hs[t - 1].T @ da, da.sum(axis=0)
        else:
            dWx += da.T @ X[:, t - 1] if mistake == "dWx_terms_transposed" else X[:, t - 1].T @ da
            dWh += (hs[t] if mistake == "dWh_current" else hs[t - 1]).T @ da
            dbh = da.sum(axis=0) if mistake == "dbh_assigned" else dbh + da.sum(axis=0)
        dh = da @ Wh if mistake == "untransposed" else dh @ Wh.T if mistake == "carry_no_derivative" else da @ Wh.T
    dbo = {"dbo_mean": dy.mean(axis=0), "dbo_scalar": dy.sum(), "dbo_axis_1": dy.sum(axis=1)}.get(mistake, dy.sum(axis=0))
    return dWx, dWh, dbh, hs[T].T @ dy, dbo


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo, mistake=""):
    steps: dict = {}
    bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, mistake, dh_of_step=steps)
    return np.stack([steps[t] for t in range(X.shape[1])], axis=1)


def clip_by_global_norm(grads, clip_norm, mistake=""):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    clipped = [g * (clip_norm / norm) if norm > clip_norm else g.copy() for g in grads]
    if mistake == "by_value":
        clipped = [np.clip(g, -clip_norm, clip_norm) for g in grads]
    if mistake == "min_for_max":
        clipped = [g * clip_norm / min(norm, clip_norm) for g in grads]
    return clipped if mistake == "list_only" else (clipped, norm)


NAMES = {
    "rnn_shapes": {
        "batched_forward": {
            "bias_outside": "bh is added outside the tanh",
            "wx_for_wh": "Wx is used where Wh belongs",
            "bo_for_bh": "the output bias bo is added where the hidden bias bh belongs",
            "bo_twice": "the output bias bo is added twice",
            "bh_twice": "the hidden bias bh is added twice",
            "softmax": "a softmax is applied to the output",
            "features": "the loop runs over the D features",
            "samples": "the loop runs over the N samples",
            "mean_over_time": "the Dense layer is applied to the mean of the hidden states",
            "h0_of_size_D": "the state h starts with D values",
        },
        "extract_weights": {"counted_from_zero": "the layers are counted from 0"},
        "count_params": {
            "recurrent_as_DM": "the recurrent kernel Wh (M, M) is counted with the size of the input kernel Wx (D, M)",
            "dense_bias_MK": "the Dense bias bo (K) is counted with the size of the Dense kernel Wo (M, K)",
            "inputs": "the inputs (T·D values) are counted as parameters",
        },
    },
    "gated_rnn_shapes": {
        "lstm_forward": {
            "tanh_gates": "the gates (i, f, o) use tanh",
            "c_ones": "the cell state c starts at ones",
            "no_recurrent": "the recurrent kernel is left out",
            "bias_twice": "the bias is added twice",
            "no_forget": "the forget gate f is left out",
            "no_input_gate": "the input gate i is left out",
            "no_output_gate": "the output gate o is left out",
            "relu_candidate": "the candidate uses ReLU where Keras uses tanh",
            "sigmoid_candidate": "the candidate uses the sigmoid where Keras uses tanh",
            "o_times_c": "h is computed as o * c",
            "h_before_c": "h is computed from the cell state before its update",
            "hard_sigmoid": "the gates (i, f, o) use Keras 2's hard_sigmoid",
            "hard_sigmoid_keras3": "the gates (i, f, o) use a hard sigmoid, clip(x / 6 + 0.5, 0, 1)",
            "first_step_skipped": "the first step x_0 is skipped (does the loop start at 1?)",
            "sigmoid_sign": "the sigmoid has lost its minus sign: 1 / (1 + exp(x)) is sigmoid(-x), so every gate (i, f, o)",
            "tanh_output_gate": "the output gate o uses tanh where Keras uses the sigmoid",
            "tanh_input_gate": "the input gate i uses tanh where Keras uses the sigmoid",
        },
        "lstm_states": {
            "c_returned_squashed": "c_T is returned as tanh(c_T)",
            "first_step_skipped": "the first step x_0 is skipped (does the loop start at 1?)",
            "c_ones": "the cell state c starts at ones",
        },
        "gru_forward": {
            "tanh_gates": "the gates (z, r) use tanh",
            "no_input_bias": "the input bias is left out",
            "h_ones": "the state starts at ones",
            "no_reset": "the reset gate r is left out",
            "no_update": "the update gate z is left out",
            "relu_candidate": "the candidate uses ReLU where Keras uses tanh",
            "sigmoid_candidate": "the candidate uses the sigmoid where Keras uses tanh",
            "hard_sigmoid": "the gates (z, r) use Keras 2's hard_sigmoid",
            "bias_outside_reset": "with reset_after=True, the candidate's recurrent bias is added outside the reset gate",
            "no_recurrent_bias": "with reset_after=True, the recurrent bias (bias[1]) is left out",
            "bias_rows_swapped": "with reset_after=True, the two bias rows are swapped",
            "first_step_skipped": "the first step x_0 is skipped (does the loop start at 1?)",
            "sigmoid_sign": "the sigmoid has lost its minus sign: 1 / (1 + exp(x)) is sigmoid(-x), so every gate (z, r)",
            "tanh_update_gate": "the update gate z uses tanh where Keras uses the sigmoid",
            "tanh_reset_gate": "the reset gate r uses tanh where Keras uses the sigmoid",
            "input_bias_row_twice": "with reset_after=True, row 0 of the bias (the input bias) is added as the recurrent bias too",
        },
        "lstm_count_params": {"one_bias": "the LSTM's bias (4M) is counted as one gate's"},
        "gru_count_params": {"four_blocks": "4 gate blocks are counted where the layer has 3",
                             "candidate_recurrent_bias_only": "with reset_after=True, the recurrent bias is counted for one block only"},
        "lstm_gate_weights": {"U_from_kernel": "each gate's U is sliced from the input kernel too",
                              "W_from_recurrent": "each gate's W is sliced from the recurrent kernel too",
                              "W_transposed": "each gate's W is transposed, (M, D)",
                              "U_transposed": "each gate's U is transposed",
                              "both_transposed": "each gate's W and U are transposed"},
    },
    "rnn_bptt": {
        "bptt_gradients": {
            "pre": "the tanh's derivative is taken at the pre-activation",
            "previous": "the tanh's derivative is taken from the previous state",
            "unsquared": "the tanh's derivative is taken as 1 − h_t,",
            "untransposed": "the gradient goes back a step through Wh untransposed",
            "assigned": "the weights' gradients hold the first step's contribution only",
            "stops_at_1": "the first step is left out going back",
            "carry_no_derivative": "the gradient goes back a step without the tanh's derivative",
            "dbo_mean": "dbo is averaged over the batch where it is summed",
            "dWh_current": "dWh is built from the current state h_t",
            "dWx_terms_transposed": "dWx's terms are transposed (da.T @ x_t, of shape (M, D))",
            "tanh_twice": "the tanh is applied twice: the derivative is taken as 1 − tanh(h_t)²",
            "dbo_scalar": "dbo is summed over every value (one number, dy.sum())",
        },
        "hidden_gradients": {"untransposed": "the gradient goes back a step through Wh untransposed",
                             "tanh_twice": "the tanh is applied twice: the derivative is taken as 1 − tanh(h_t)²",
                             "Wo_untransposed": "dL/dy is carried to h_T through Wo untransposed"},
        "clip_by_global_norm": {"list_only": "only the clipped arrays are returned",
                                "by_value": "each value is clipped to [-clip_norm, clip_norm] (clipping by value)"},
    },
}
"""Each mistake written above, by assignment and question, with the name its public check must say."""


def public_checks(assignment: str) -> dict:
    """Each question's public test function, from the assignment's notebook, by question."""
    sys.modules.setdefault("gradecore_public", public)
    sys.modules.setdefault("gradecore_public.selfcheck", selfcheck)
    notebook = json.loads((ROOT / "assignments" / assignment / f"{assignment}.ipynb").read_text())
    found = {}
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "hidden: false" in source:
            for _, function in check_functions(source):
                found[function.__code__.co_varnames[0]] = function
    return found


def _message(check, function) -> str:
    try:
        check(function)
    except AssertionError as e:
        return str(e)
    return ""


@pytest.mark.parametrize("assignment,question", [(a, q) for a, qs in NAMES.items() for q in qs])
def test_each_mistake_gets_its_name_and_no_other_s(assignment, question):
    check = public_checks(assignment)[question]
    names = NAMES[assignment][question]
    written = globals()[question]
    assert _message(check, written) == "", "the mistake-free version passes"
    for mistake, name in names.items():
        message = _message(check, partial(written, mistake=mistake))
        assert "Likely mistake: " + name in message, (mistake, message)
        others = [n for m, n in names.items() if m != mistake and n in message]
        assert not others, (mistake, others)


_KEPT: dict = {}


def batched_forward_keeping_h(X, Wx, Wh, bh, Wo, bo):
    """batched_forward whose h is kept between calls (a global), set to zeros only where its shape changes."""
    N, T, _ = X.shape
    h = _KEPT.get("h")
    if h is None or h.shape != (N, Wh.shape[0]):
        h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    _KEPT["h"] = h
    return h @ Wo + bo


def test_a_state_kept_from_one_call_to_the_next_is_said_even_where_every_check_passes_once():
    """Every case of the check has its own (N, M): the kept h starts at zeros on each, so each answer is right
    the first time; the case asked again gets the state the last call ended with."""
    _KEPT.clear()
    message = _message(public_checks("rnn_shapes")["batched_forward"], batched_forward_keeping_h)
    assert "called again with the same" in message and "keep something from one call to the next" in message, message


@pytest.mark.parametrize("assignment,question", [("gated_rnn_shapes", "lstm_count_params")])
def test_a_count_off_by_one_bias_for_another_names_no_bias(assignment, question):
    """4·(D·M + M·M) + 8M + M·K (two LSTM biases, as in PyTorch, and the Dense bias forgotten) is the count of
    "the Dense bias counted with the size of the LSTM's bias" too: which, the count cannot tell, so neither."""
    message = _message(public_checks(assignment)[question], partial(lstm_count_params, mistake="two_biases_no_dense_bias"))
    assert message and "counted with the size of" not in message and "counted twice" not in message, message
