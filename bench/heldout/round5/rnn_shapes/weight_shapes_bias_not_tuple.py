"""weight_shapes writes the biases as (M) and (K), which are plain ints, not the 1-tuples (M,) and (K,)."""

QUESTION = "weight_shapes"
ACCEPT = {"shapes_without_comma", "shape_items"}


def weight_shapes(D, M, K):
    kernel = (D, M)
    recurrent_kernel = (M, M)
    bias = (M)
    dense_kernel = (M, K)
    dense_bias = (K)
    return [kernel, recurrent_kernel, bias, dense_kernel, dense_bias]
