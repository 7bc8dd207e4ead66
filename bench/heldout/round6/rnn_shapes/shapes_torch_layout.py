"""weight_shapes gives the kernels in PyTorch's (out, in) layout, (M, D) and (K, M), instead of Keras' (in, out)."""

QUESTION = "weight_shapes"
ACCEPT = {"shapes_transposed", "shape_items"}


def weight_shapes(D, M, K):
    shapes = []
    shapes.append((M, D))   # W_ih
    shapes.append((M, M))   # W_hh
    shapes.append((M,))     # b_h
    shapes.append((K, M))   # W_out
    shapes.append((K,))     # b_out
    return shapes
