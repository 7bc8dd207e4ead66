"""weight_shapes writes the bias shapes as (M) and (K), which Python reads as plain ints rather than one-element tuples (M,) and (K,)."""

QUESTION = "weight_shapes"
# shape_items says items 2 and 4 are the numbers M and K, not tuples such as (M,)
ACCEPT = {"shapes_without_comma", "shape_items"}


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M), (M, K), (K)]
