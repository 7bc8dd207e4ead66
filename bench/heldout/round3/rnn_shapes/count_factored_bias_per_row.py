"""count_params factors the SimpleRNN wrongly: (D + M) * (M + 1), a bias per input and hidden row."""
QUESTION = "count_params"
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    return int((D + M) * (M + 1) + (M + 1) * K)
