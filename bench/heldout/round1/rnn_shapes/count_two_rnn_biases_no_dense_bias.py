"""count_params counts two RNN biases (PyTorch) and forgets the Dense bias."""
QUESTION = "count_params"
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    return D * M + M * M + 2 * M + M * K
