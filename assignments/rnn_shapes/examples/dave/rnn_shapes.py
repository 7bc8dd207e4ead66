# A submission that does not parse: a missing closing parenthesis.
import numpy as np


def count_params(T, D, M, K):
    return (D + M + 1) * M + (M + 1 * K


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (M, K), (K,)]
