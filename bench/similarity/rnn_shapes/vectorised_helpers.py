# Independent solution: small helpers, shapes read from the arrays, no explicit sample loops.
import numpy as np


def _rnn_param_count(inputs, units):
    kernel = inputs * units
    recurrent = units ** 2
    return kernel + recurrent + units


def _dense_param_count(inputs, units):
    return (inputs + 1) * units


def count_params(T, D, M, K):
    return _rnn_param_count(D, M) + _dense_param_count(M, K)


def weight_shapes(D, M, K):
    rnn = [(D, M), (M, M), (M,)]
    dense = [(M, K), (K,)]
    return rnn + dense


def extract_weights(model):
    arrays = []
    for layer in model.layers:
        arrays.extend(layer.get_weights())
    kernel, recurrent, bias, out_kernel, out_bias = arrays
    return kernel, recurrent, bias, out_kernel, out_bias


def _step(x, state, kernel, recurrent, bias):
    return np.tanh(np.dot(x, kernel) + np.dot(state, recurrent) + bias)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    state = np.zeros_like(bh)
    for step in range(X.shape[0]):
        state = _step(X[step], state, Wx, Wh, bh)
    return np.dot(state, Wo) + bo


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    n_samples, n_steps = X.shape[0], X.shape[1]
    state = np.zeros((n_samples, bh.shape[0]))
    for step in range(n_steps):
        state = _step(X[:, step, :], state, Wx, Wh, bh)
    return np.dot(state, Wo) + bo


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    n_samples, n_steps = X.shape[0], X.shape[1]
    state = np.zeros((n_samples, bh.shape[0]))
    states = np.empty((n_samples, n_steps, bh.shape[0]))
    for step in range(n_steps):
        state = _step(X[:, step, :], state, Wx, Wh, bh)
        states[:, step, :] = state
    return np.einsum("ntm,mk->ntk", states, Wo) + bo
