"""Catalogue of realistic mistakes: concepts applied to every function they fit, and entries for one function.

A concept is one mistake written once, as a change to the reference computation (:func:`_bptt`,
the forward pass and the backward pass through time of ``SimpleRNN(M) -> Dense(K)`` under the mean
squared error), and applied to each graded function it fits: a forgotten tanh derivative is the
same mistake in bptt_gradients, hidden_gradients, gradient_norms and truncated_bptt_gradients.
Mistakes that only one function can make (a truncation off by one, a norm per sample, clipping per
tensor) are concepts applied to that function alone, or entries of their own.

The judge runs every entry of a question on the same inputs as the student's function; an entry
whose outcomes equal the student's on every check names the mistake in the feedback.
tests/test_bptt_cases.py proves that the hidden cases tell every entry apart from a correct answer
by far more than the tolerance, and the entries of a question apart from each other.
"""

from __future__ import annotations

import numpy as np

from gradecore.judge.authoring import Catalogue, applied

CATALOGUE = Catalogue()
mistake = CATALOGUE.mistake


def _bptt(X, y, Wx, Wh, bh, Wo, bo, form, k=None, change=""):
    """Backpropagation through time as each graded function computes it, with one change (a
    concept's name; ``""``: Keras').

    ``form`` is ``"grads"`` (bptt_gradients and, with ``k``, truncated_bptt_gradients: the tuple
    dWx, dWh, dbh, dWo, dbo), ``"hidden"`` (hidden_gradients, (N, T, M)) or ``"norms"``
    (gradient_norms, (T,)).
    """
    X, y, Wx, Wh, bh, Wo, bo = (np.asarray(a, np.float64) for a in (X, y, Wx, Wh, bh, Wo, bo))
    N, T, _ = X.shape
    K = y.shape[1]
    window = T if k is None or change == "k_ignored" else (k if change in ("k_not_capped", "k_not_capped_states") else min(k, T))
    if change == "window_one_more":
        window = min(window + 1, T)
    if change == "window_one_less":
        window = window - 1
    if change == "window_one_less_uncapped":  # range(T, max(T - k + 1, 0), -1): k > T still reaches step 1
        window = min(k - 1, T)
    if change == "window_stop_clamped_at_1":  # range(T, max(T - k, 1), -1): step 1 is never reached
        window = min(window, T - 1)
    start = T - window  # steps start+1 .. T (1-based) pass the gradient back; h_start is held constant
    hs, inputs, pre = [np.zeros((N, Wh.shape[0]))], [], []
    for t in range(T):
        h_in = 0 * hs[-1] if change == "window_restarts_at_zero" and t == start else hs[-1]
        inputs.append(h_in)
        pre.append(X[:, t] @ Wx + h_in @ Wh + bh)
        hs.append(np.tanh(pre[-1]))
    scale = {"loss_summed": 2.0, "no_factor_2": 1.0 / (N * K), "mean_over_samples_only": 2.0 / N,
             "error_sign_flipped": -2.0 / (N * K)}.get(change, 2.0 / (N * K))
    dy = scale * (hs[T] @ Wo + bo - y)
    dWx, dWh = np.zeros(Wx.shape), np.zeros(Wh.shape)
    dbh = np.zeros((N,) + bh.shape) if change in ("bias_per_sample", "dbh_per_sample") else np.zeros(bh.shape)
    dh = dy @ (Wo if change == "Wo_not_transposed" else Wo.T)
    steps = list(range(T - 1, start - 1, -1))  # 0-based: step t computes hs[t + 1] from inputs[t]
    if change == "first_step_skipped":  # range(T, 1, -1): step 1 (0 here) is never gone back through
        steps = steps[:-1]
    stored = {0: np.zeros_like(dh)}  # a step never gone back through keeps the zeros it was given
    if change == "time_loop_forward":
        steps = steps[::-1]
    if change == "window_first_k_steps":  # range(min(k, T), 0, -1): the first k steps, from the last state's dL/dh
        steps = list(range(window - 1, -1, -1))
    for t in steps:
        h = hs[t + 1]
        derivative = {"no_tanh_derivative": 1.0, "tanh_derivative_of_previous_h": 1 - inputs[t] ** 2,
                      "tanh_derivative_of_preactivation": 1 - pre[t] ** 2, "tanh_derivative_not_squared": 1 - h,
                      "tanh_derivative_of_h": 1 - np.tanh(h) ** 2}.get(
            change, 1 - h**2)
        da = dh * derivative
        stored[t] = da if change == "hidden_preactivation" else dh
        if change == "assigned_not_added":  # dWx = ... at each step: the last step gone back through is kept
            dWx, dWh, dbh = 0 * dWx, 0 * dWh, 0 * dbh
        if change == "dbh_assigned_not_added":  # dbh = ... at each step (dWx and dWh are added)
            dbh = 0 * dbh
        dWx += da.T @ X[:, t] if change == "dWx_transposed" else X[:, t + 1 if change == "X_one_past" else t].T @ da
        # k_not_capped_states: the states list hs (T + 1 long) indexed at a wrapped negative step
        previous = {"dWh_from_h_t": h, "k_not_capped_states": hs[t]}.get(change, inputs[t])
        dWh += previous.T @ da
        dbh += {"bias_per_sample": da, "dbh_per_sample": da, "bias_mean": da.mean(axis=0), "dbh_mean": da.mean(axis=0)}.get(
            change, da.sum(axis=0))
        dh = (dh if change == "carry_skips_tanh_derivative" else da) @ (Wh if change == "Wh_not_transposed" else Wh.T)
        if change == "no_carry":
            dh = 0 * dh
        if change == "hidden_one_step_late":
            stored[t] = dh
    if form == "grads":
        dWo = dy.T @ hs[T] if change == "dWo_transposed" else hs[T].T @ dy
        dbo = {"bias_per_sample": dy, "dbo_per_sample": dy, "bias_mean": dy.mean(axis=0), "dbo_mean": dy.mean(axis=0)}.get(
            change, dy.sum(axis=0))
        if change == "dbo_summed_all":
            dbo = dy.sum()
        if change == "dbo_summed_over_outputs":
            dbo = dy.sum(axis=1)
        return dWx, dWh, dbh, dWo, dbo
    H = np.stack([stored[t] for t in range(T)], axis=1)
    if change == "hidden_with_h0":
        H = np.concatenate([dh[:, None], H], axis=1)
    if form == "hidden":
        if change == "hidden_last_only":
            return H[:, -1]
        return np.transpose(H, (1, 0, 2)) if change == "hidden_time_major" else H
    if change == "norms_per_sample":
        return np.sqrt(np.sum(H**2, axis=2))
    if change == "norms_squared":
        return np.sum(H**2, axis=(0, 2))
    if change == "norms_mean_of_samples":
        return np.mean(np.sqrt(np.sum(H**2, axis=2)), axis=0)
    if change == "norms_over_units_and_steps":
        return np.sqrt(np.sum(H**2, axis=(1, 2)))
    if change == "norms_l1":
        return np.sum(np.abs(H), axis=(0, 2))
    if change == "norms_spectral":
        return np.array([np.linalg.norm(H[:, t], 2) for t in range(T)])
    return np.sqrt(np.sum(H**2, axis=(0, 2)))


CALLS = {
    "bptt_gradients": ("X, y, Wx, Wh, bh, Wo, bo", "_bptt(X, y, Wx, Wh, bh, Wo, bo, 'grads', None, {change})"),
    "hidden_gradients": ("X, y, Wx, Wh, bh, Wo, bo", "_bptt(X, y, Wx, Wh, bh, Wo, bo, 'hidden', None, {change})"),
    "gradient_norms": ("X, y, Wx, Wh, bh, Wo, bo", "_bptt(X, y, Wx, Wh, bh, Wo, bo, 'norms', None, {change})"),
    "truncated_bptt_gradients": ("X, y, Wx, Wh, bh, Wo, bo, k", "_bptt(X, y, Wx, Wh, bh, Wo, bo, 'grads', k, {change})"),
}
"""How each graded function a concept can fit calls the reference computation."""

HELPERS = (_bptt,)

BACKWARD = tuple(CALLS)
PARAMETERS = ("bptt_gradients", "truncated_bptt_gradients")
HIDDEN = ("hidden_gradients", "gradient_norms")


def concept(change: str, title: str, hint: str, questions: tuple[str, ...], **options) -> None:
    calls = {q: CALLS[q] for q in questions}
    CATALOGUE.concept(change, title, hint, applied(change, calls, HELPERS), **options)


# --- the backward pass, in every function ---------------------------------------------------------

concept("no_tanh_derivative", "the tanh derivative is forgotten: dL/da_t is taken to be dL/dh_t",
        "h_t = tanh(a_t), so dL/da_t = dL/dh_t * (1 - h_t**2) before it reaches the weights or h_{t-1}", BACKWARD)
concept("tanh_derivative_of_previous_h", "the tanh derivative is taken at the wrong step: 1 - h_{t-1}**2 instead of 1 - h_t**2",
        "the derivative belongs to the step's own output: dL/da_t = dL/dh_t * (1 - h_t**2)", BACKWARD)
concept("tanh_derivative_of_preactivation", "the tanh derivative is written 1 - a_t**2, on the pre-activation instead of on h_t",
        "tanh'(a) = 1 - tanh(a)**2 = 1 - h_t**2: square the activation h_t, not a_t", BACKWARD)
concept("tanh_derivative_not_squared", "the tanh derivative is written 1 - h_t instead of 1 - h_t**2",
        "tanh'(a_t) = 1 - h_t**2: the hidden state is squared", BACKWARD)
concept("tanh_derivative_of_h", "the tanh is applied twice: the derivative is taken as 1 - tanh(h_t)**2, where h_t is "
        "already tanh(a_t)", "h_t is the tanh's output, so tanh'(a_t) = 1 - h_t**2: square h_t itself", BACKWARD)
concept("no_carry", "dL/dh is not carried back through time: only the last step's direct term counts "
        "(the gradient of the last step only)",
        "after each step pass the gradient on to the step before: dL/dh_{t-1} = dL/da_t @ Wh.T, and keep looping "
        "down to t = 1", BACKWARD)
concept("carry_skips_tanh_derivative", "the gradient is carried back to h_{t-1} without the tanh derivative "
        "(dL/dh_t @ Wh.T where dL/da_t @ Wh.T belongs): the weights' gradients take it, the step before does not",
        "h_{t-1} reaches the loss only through a_t: dL/dh_{t-1} = dL/da_t @ Wh.T, with dL/da_t = dL/dh_t * (1 - h_t**2)",
        PARAMETERS)  # in hidden_gradients and gradient_norms it is no_tanh_derivative: only the carry takes the derivative
concept("first_step_skipped", "the backward loop stops before the first step (range(T, 1, -1)): step 1's contribution "
        "is never added",
        "the loop going back covers every step T, T - 1, ..., 1: for t in range(T, 0, -1)",
        ("bptt_gradients", "hidden_gradients", "gradient_norms"))
concept("Wh_not_transposed", "the gradient is carried to h_{t-1} through Wh instead of Wh.T",
        "a_t = x_t Wx + h_{t-1} Wh + bh, so dL/dh_{t-1} = dL/da_t @ Wh.T", BACKWARD)
concept("Wo_not_transposed", "dL/dy_hat is carried to h_T through Wo instead of Wo.T (dy @ Wo): it fits only where K = M",
        "y_hat = h_T @ Wo + bo, so dL/dh_T = dL/dy_hat @ Wo.T, of shape (N, M)", BACKWARD)
concept("time_loop_forward", "the backward loop runs forwards in time (t = 1 .. T) instead of from T down to 1",
        "the gradient starts at the last step, where the loss is: loop for t in reversed(range(T))", BACKWARD)
concept("error_sign_flipped", "the error is taken as y - y_hat: every gradient has the wrong sign (off by a factor of -1)",
        "the loss is mean((y_hat - y)**2), so dL/dy_hat = 2 (y_hat - y) / (N·K): prediction minus target",
        ("bptt_gradients", "hidden_gradients", "truncated_bptt_gradients"))  # a norm cannot see the sign
concept("loss_summed", "the loss is taken as the sum of the squared errors, not their mean: the gradients are N·K times too big",
        "MeanSquaredError averages over the K outputs and the N samples: dL/dy_hat = 2 (y_hat - y) / (N·K)", BACKWARD)
concept("no_factor_2", "the factor 2 of the square's derivative is dropped: the gradients are half the truth",
        "d/dy_hat (y_hat - y)**2 = 2 (y_hat - y): dL/dy_hat = 2 (y_hat - y) / (N·K)", BACKWARD)
concept("mean_over_samples_only", "the loss is averaged over the N samples only, not over the K outputs too: "
        "the gradients are K times too big",
        "MeanSquaredError is the mean over K and over N: divide by N·K (y.size), not by N", BACKWARD)

# --- the weights' gradients -----------------------------------------------------------------------

concept("dWh_from_h_t", "dWh is built from h_t instead of h_{t-1}",
        "Wh multiplies the previous state in a_t = x_t Wx + h_{t-1} Wh + bh: dWh += h_{t-1}.T @ dL/da_t", PARAMETERS)
concept("assigned_not_added", "the weights' gradients are assigned (=) at each step instead of added (+=): only the "
        "last step gone back through (the first in time) is kept",
        "every step adds its term to the same weights: dWx += x_t.T @ dL/da_t (and dWh, dbh likewise), summed over time",
        PARAMETERS)
concept("X_one_past", "X[:, T] is read, one past the last step: going back, the state after step t (hs[t], counted "
        "from 1) was made from X[:, t - 1]",
        "Python counts from 0: hs[t] = tanh(X[:, t - 1] @ Wx + hs[t - 1] @ Wh + bh), so dWx += X[:, t - 1].T @ dL/da_t",
        PARAMETERS)
concept("dWx_transposed", "dWx is transposed: dL/da_t.T @ x_t, of shape (M, D)",
        "dWx has Wx's shape (D, M): dWx += x_t.T @ dL/da_t", PARAMETERS)
concept("dWo_transposed", "dWo is transposed: dL/dy_hat.T @ h_T, of shape (K, M)",
        "dWo has Wo's shape (M, K): dWo = h_T.T @ dL/dy_hat", PARAMETERS)
concept("bias_per_sample", "the bias gradients are not summed over the batch: one row per sample",
        "a bias is shared by every sample: sum its gradient over the batch axis, dbh += dL/da_t.sum(axis=0)", PARAMETERS)
concept("dbh_per_sample", "dbh is not summed over the batch: one row per sample (dbo is)",
        "bh is shared by every sample: sum its gradient over the batch axis, dbh += dL/da_t.sum(axis=0)", PARAMETERS)
concept("dbo_per_sample", "dbo is not summed over the batch: one row per sample (dbh is)",
        "bo is shared by every sample: sum its gradient over the batch axis, dbo = dL/dy_hat.sum(axis=0)", PARAMETERS)
concept("bias_mean", "the bias gradients are averaged over the batch instead of summed",
        "the 1/(N·K) of the mean is already in dL/dy_hat: sum the bias gradients over the batch, .sum(axis=0)", PARAMETERS)

concept("dbh_mean", "dbh is averaged over the batch instead of summed (dbo is summed)",
        "the 1/(N·K) of the mean is already in dL/dy_hat: sum dbh over the batch, dbh += dL/da_t.sum(axis=0)", PARAMETERS)
concept("dbo_mean", "dbo is averaged over the batch instead of summed (dbh is summed)",
        "the 1/(N·K) of the mean is already in dL/dy_hat: sum dbo over the batch, dbo = dL/dy_hat.sum(axis=0)", PARAMETERS)

concept("dbh_assigned_not_added", "dbh is assigned (=) at each step instead of added (+=): only the last step gone back "
        "through (the first in time) is kept", "bh is used at every step: dbh += dL/da_t.sum(axis=0), summed over time",
        PARAMETERS)
concept("dbo_summed_over_outputs", "dbo is summed over axis 1, the outputs, instead of axis 0, the samples: one value "
        "per sample, shape (N,)", "bo has one value per output: dbo = dL/dy_hat.sum(axis=0), of shape (K,)", PARAMETERS)
concept("dbo_summed_all", "dbo is summed over every value (dL/dy_hat.sum()): one number, where it is summed over the "
        "samples only", "bo has one value per output: dbo = dL/dy_hat.sum(axis=0), of shape (K,)", PARAMETERS)

# --- hidden_gradients and gradient_norms ----------------------------------------------------------

concept("hidden_time_major", "the hidden gradients are returned time-major, (T, N, M)",
        "return them as (N, T, M), the layout of X: np.stack(..., axis=1) or a transpose", ("hidden_gradients",))
concept("hidden_last_only", "only dL/dh_T, the gradient of the last step, is returned, shape (N, M)",
        "return dL/dh_t for every step t = 1..T, shape (N, T, M)", ("hidden_gradients",))
concept("hidden_with_h0", "T + 1 steps are returned: dL/dh_0 of the initial state is kept too",
        "h_0 is a constant zero state: return dL/dh_t for t = 1..T only, with dL/dh_t at index t - 1", HIDDEN)
concept("hidden_preactivation", "dL/da_t, after the tanh derivative, is kept instead of dL/dh_t",
        "store dL/dh_t before multiplying by 1 - h_t**2", HIDDEN)
concept("hidden_one_step_late", "each step keeps dL/dh_{t-1}, the gradient already carried one step back",
        "store dL/dh_t at index t - 1 before carrying it back through Wh", ("hidden_gradients",))
# (in gradient_norms it would equal hidden_preactivation: an orthogonal Wh keeps the norm of dL/da_t @ Wh.T)
concept("norms_per_sample", "a norm per sample is returned, shape (N, T), instead of one over the whole batch",
        "take the norm over the samples and the units together: np.sqrt(np.sum(dh**2, axis=(0, 2)))", ("gradient_norms",))
concept("norms_squared", "the squared norms are returned: the square root is missing",
        "the L2 norm is the square root of the sum of squares", ("gradient_norms",))
concept("norms_mean_of_samples", "the norms of the samples are averaged instead of one norm over the whole batch",
        "take one norm over all N samples and M units at each step: np.sqrt(np.sum(dh**2, axis=(0, 2)))",
        ("gradient_norms",))
concept("norms_l1", "the L1 norm (the sum of absolute values) is taken instead of the L2 norm",
        "the L2 norm is the square root of the sum of squares: np.sqrt(np.sum(dh**2))", ("gradient_norms",))
concept("norms_spectral", "np.linalg.norm(dh, 2) of the (N, M) matrix is its largest singular value (the "
        "spectral norm), not the L2 norm of all its values", "take the L2 norm over every value: np.linalg.norm(dh) "
        "(no ord: the Frobenius norm), or np.sqrt(np.sum(dh**2))", ("gradient_norms",))
concept("norms_over_units_and_steps", "the norm is taken over the steps and units for each sample, shape (N,)",
        "one norm per step t: sum the squares over the samples and the units, axis=(0, 2)", ("gradient_norms",))

# --- truncated_bptt_gradients ---------------------------------------------------------------------

concept("window_one_more", "the truncation is off by one: the gradient flows back through k + 1 steps",
        "with k steps the last step reached is T - k + 1 (1-based): loop for t in range(T, max(T - k, 0), -1)",
        ("truncated_bptt_gradients",))
concept("window_one_less", "the truncation is off by one: the gradient flows back through k - 1 steps",
        "with k steps the loop covers T, T - 1, ..., T - k + 1: k steps, the last one included",
        ("truncated_bptt_gradients",))
concept("window_one_less_uncapped", "the truncation is off by one: the gradient flows back through k - 1 steps "
        "(the loop stops at T - k + 1)", "with k steps the loop covers T, T - 1, ..., T - k + 1: "
        "for t in range(T, max(T - k, 0), -1)", ("truncated_bptt_gradients",))
concept("window_stop_clamped_at_1", "the loop's stop is clamped at 1 instead of 0 (max(T - k, 1)): for k >= T the "
        "first step is never gone back through", "range's stop is excluded: loop for t in range(T, max(T - k, 0), -1), "
        "so that k >= T reaches step 1", ("truncated_bptt_gradients",))
concept("window_first_k_steps", "the backward loop covers the first k steps (t = k .. 1) instead of the last k "
        "(t = T .. T - k + 1)", "the gradient starts at the last step, where the loss is: loop for t in "
        "range(T, max(T - k, 0), -1)", ("truncated_bptt_gradients",))
concept("window_restarts_at_zero", "the truncated window restarts from h = 0 instead of holding h_{T-k} constant: "
        "the forward pass is cut too, so dWo and dbo change",
        "the forward pass runs over the whole sequence as before; only the gradient stops at h_{T-k}",
        ("truncated_bptt_gradients",))
concept("k_ignored", "k is not used: the gradients flow back through all T steps whatever k",
        "stop the backward loop after k steps: for t in range(T, max(T - k, 0), -1)", ("truncated_bptt_gradients",))
concept("k_not_capped", "a k larger than T is not capped at T: negative step indices wrap around to the end",
        "any k >= T gives the full gradients: loop down to max(T - k, 0)", ("truncated_bptt_gradients",))
concept("k_not_capped_states", "a k larger than T is not capped at T: negative step indices wrap around to the end "
        "of the list of states",
        "any k >= T gives the full gradients: loop down to max(T - k, 0)", ("truncated_bptt_gradients",))


# --- clip_by_global_norm --------------------------------------------------------------------------


@mistake("clip_by_global_norm", "the global norm is the sum of squares: the square root is missing",
         "global_norm = sqrt(sum of every element squared, over every array)")
def clip_no_sqrt(grads, clip_norm):
    global_norm = float(sum(np.sum(g.astype(np.float64) ** 2) for g in grads))
    return [g * clip_norm / max(global_norm, clip_norm) for g in grads], global_norm


@mistake("clip_by_global_norm", "each array is clipped by its own norm instead of all by their global norm",
         "compute one global norm over every array and scale them all by the same clip_norm / max(global_norm, clip_norm)")
def clip_per_tensor(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    clipped = [g * clip_norm / max(float(np.sqrt(np.sum(g.astype(np.float64) ** 2))), clip_norm) for g in grads]
    return clipped, global_norm


@mistake("clip_by_global_norm", "the arrays are scaled even when the global norm is already below clip_norm",
         "clip only when global_norm > clip_norm: scale by clip_norm / max(global_norm, clip_norm)")
def clip_always(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    return [g * clip_norm / global_norm for g in grads], global_norm


@mistake("clip_by_global_norm", "the global norm returned is measured after clipping (the norm of the clipped arrays)",
         "return the global norm of the arrays as given, computed before they are scaled")
def clip_norm_after_clipping(grads, clip_norm):
    grads = [g.astype(np.float64) for g in grads]  # the student's arrays were the input's; copies here
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    for g in grads:
        g *= clip_norm / max(norm, clip_norm)
    return grads, float(np.sqrt(sum(np.sum(g**2) for g in grads)))


@mistake("clip_by_global_norm", "only the clipped arrays are returned, without the global norm",
         "return a tuple (clipped, global_norm), as tf.clip_by_global_norm does")
def clip_returns_list_only(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    return [g * clip_norm / max(global_norm, clip_norm) for g in grads]


@mistake("clip_by_global_norm", "the values are clipped one by one to [-clip_norm, clip_norm] (clipping by value)",
         "clip by the global norm: scale every array by clip_norm / max(global_norm, clip_norm)")
def clip_by_value(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    return [np.clip(g, -clip_norm, clip_norm) for g in grads], global_norm


@mistake("clip_by_global_norm", "the scale is inverted: global_norm / clip_norm instead of clip_norm / global_norm",
         "clipping shrinks the arrays: scale by clip_norm / global_norm when global_norm > clip_norm")
def clip_scale_inverted(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    scale = global_norm / clip_norm if global_norm > clip_norm else 1.0
    return [g * scale for g in grads], global_norm


@mistake("clip_by_global_norm", "the global norm is the sum of the arrays' norms instead of the norm of all values together",
         "global_norm = sqrt(sum over the arrays of each array's squared norm)")
def clip_sum_of_norms(grads, clip_norm):
    global_norm = float(sum(np.sqrt(np.sum(g.astype(np.float64) ** 2)) for g in grads))
    return [g * clip_norm / max(global_norm, clip_norm) for g in grads], global_norm


@mistake("clip_by_global_norm", "the scale divides by min(global_norm, clip_norm) instead of max: large arrays are "
         "never scaled down, small ones are scaled up", "scale = clip_norm / max(global_norm, clip_norm): 1 when "
         "global_norm <= clip_norm, below 1 otherwise")
def clip_min_for_max(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    return [g * clip_norm / min(global_norm, clip_norm) for g in grads], global_norm


@mistake("clip_by_global_norm", "the results are returned in the order (global_norm, clipped)",
         "tf.clip_by_global_norm returns the clipped list first: return clipped, global_norm")
def clip_returns_swapped(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    return global_norm, [g * clip_norm / max(global_norm, clip_norm) for g in grads]
