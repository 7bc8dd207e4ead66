"""weight_shapes gives the two biases as column vectors (M, 1) and (K, 1) instead of 1-D shapes (M,) and (K,)."""

QUESTION = "weight_shapes"
# shapes_bias_rows names rows (1, M), not the columns (M, 1) written here
ACCEPT = {"shape_items"}


def weight_shapes(D, M, K):
    shapes = []
    shapes.append((D, M))   # W_x
    shapes.append((M, M))   # W_h
    shapes.append((M, 1))   # b_h
    shapes.append((M, K))   # W_o
    shapes.append((K, 1))   # b_o
    return shapes
