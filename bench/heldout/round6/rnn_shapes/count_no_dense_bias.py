"""count_params counts the Dense layer's kernel but forgets its K biases."""

QUESTION = "count_params"
# K too few
ACCEPT = {"count_dense_without_bias", "count_off"}


def count_params(T, D, M, K):
    Wx = D * M
    Wh = M * M
    bh = M
    Wo = M * K
    return int(Wx + Wh + bh + Wo)
