"""weight_shapes gives the kernels as (out, in), PyTorch's layout: (M, D) and (K, M)."""
QUESTION = "weight_shapes"
ACCEPT = {"shapes_transposed"}


def weight_shapes(D, M, K):
    return [(M, D), (M, M), (M,), (K, M), (K,)]
