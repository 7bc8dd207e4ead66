"""count_params forgets the Dense layer's K bias terms and counts only its M*K kernel."""

QUESTION = "count_params"
# count_off says the count is K too few: a term missing
ACCEPT = {"count_dense_without_bias", "count_off"}


def count_params(T, D, M, K):
    Wx = D * M
    Wh = M * M
    bh = M
    Wo = M * K
    return int(Wx + Wh + bh + Wo)
