"""weight_shapes gives the kernels in PyTorch's (out, in) layout: (M, D) and (K, M) instead of (D, M) and (M, K)."""

QUESTION = "weight_shapes"
ACCEPT = {"shapes_transposed", "shape_items"}


def weight_shapes(D, M, K):
    kernel = (M, D)
    recurrent_kernel = (M, M)
    bias = (M,)
    dense_kernel = (K, M)
    dense_bias = (K,)
    return [kernel, recurrent_kernel, bias, dense_kernel, dense_bias]
