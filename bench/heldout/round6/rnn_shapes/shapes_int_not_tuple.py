"""weight_shapes writes the bias shapes as (M) and (K), which are plain ints, not 1-tuples."""

QUESTION = "weight_shapes"
ACCEPT = {"shapes_without_comma", "shape_items"}


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M), (M, K), (K)]
