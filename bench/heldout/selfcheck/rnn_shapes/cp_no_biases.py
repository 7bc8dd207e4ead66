"""count_params counts only the weight matrices, not the biases."""

QUESTION = "count_params"
ACCEPT = {"count_without_biases"}
PUBLIC = ("neither bias",)


def count_params(T, D, M, K):
    return D * M + M * M + M * K
