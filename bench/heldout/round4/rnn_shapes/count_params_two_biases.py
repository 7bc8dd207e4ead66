"""count_params counts two hidden biases (PyTorch's b_ih and b_hh, 2M) instead of Keras' single bias of M."""

QUESTION = "count_params"
ACCEPT = {"count_two_biases", "count_off"}


def count_params(T, D, M, K):
    W_ih = D * M
    W_hh = M * M
    b_ih = M
    b_hh = M
    W_out = M * K
    b_out = K
    return W_ih + W_hh + b_ih + b_hh + W_out + b_out
