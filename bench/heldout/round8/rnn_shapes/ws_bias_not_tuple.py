"""weight_shapes writes the bias shapes as (M) and (K), which are plain ints, not the one-element tuples (M,) and (K,)."""

QUESTION = "weight_shapes"
# shape_items says items 2 and 4 are the numbers M and K, not tuples such as (M,)
ACCEPT = {"shapes_without_comma", "shape_items"}


def weight_shapes(D, M, K):
    shapes = []
    shapes.append((D, M))  # input -> hidden
    shapes.append((M, M))  # hidden -> hidden
    shapes.append((M))     # hidden bias
    shapes.append((M, K))  # hidden -> output
    shapes.append((K))     # output bias
    return shapes
