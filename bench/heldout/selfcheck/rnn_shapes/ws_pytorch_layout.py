"""weight_shapes gives the kernels in PyTorch's (out, in) layout."""

QUESTION = "weight_shapes"
ACCEPT = {"shapes_transposed"}
PUBLIC = ("other way round",)


def weight_shapes(D, M, K):
    return [(M, D), (M, M), (M,), (K, M), (K,)]
