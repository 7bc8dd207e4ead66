"""weight_shapes gives both kernels transposed, (M, D) and (K, M), in PyTorch's (out, in) layout instead of Keras' (in, out)."""

QUESTION = "weight_shapes"
# shape_items says item 0 is (M, D) and item 3 is (K, M)
ACCEPT = {"shapes_transposed", "shape_items"}


def weight_shapes(D, M, K):
    Wx = (M, D)
    Wh = (M, M)
    bh = (M,)
    Wo = (K, M)
    bo = (K,)
    return [Wx, Wh, bh, Wo, bo]
