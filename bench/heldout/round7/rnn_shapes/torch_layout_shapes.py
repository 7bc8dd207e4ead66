"""weight_shapes gives the kernels in PyTorch's (out, in) layout, (M, D) and (K, M), instead of Keras' (in, out) layout (D, M) and (M, K)."""

QUESTION = "weight_shapes"
# shape_items says item 0 is (M, D) and item 3 is (K, M)
ACCEPT = {"shapes_transposed", "shape_items"}


def weight_shapes(D, M, K):
    shapes = []
    shapes.append((M, D))   # input -> hidden
    shapes.append((M, M))   # hidden -> hidden
    shapes.append((M,))     # hidden bias
    shapes.append((K, M))   # hidden -> output
    shapes.append((K,))     # output bias
    return shapes
