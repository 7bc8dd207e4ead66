"""count_params forgets the Dense layer's K bias terms and counts only its M*K kernel."""

QUESTION = "count_params"
ACCEPT = None  # set later, by someone else, before grading


def count_params(T, D, M, K):
    Wx = D * M
    Wh = M * M
    bh = M
    Wo = M * K
    return int(Wx + Wh + bh + Wo)
