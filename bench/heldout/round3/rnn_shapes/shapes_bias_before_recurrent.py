"""weight_shapes lists the SimpleRNN bias before the recurrent kernel (kernel, bias, recurrent)."""
QUESTION = "weight_shapes"
ACCEPT = {"items_reordered"}


def weight_shapes(D, M, K):
    return [(D, M), (M,), (M, M), (M, K), (K,)]
