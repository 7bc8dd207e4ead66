"""weight_shapes writes the bias shapes as (M) and (K), which are plain ints, not 1-tuples."""

QUESTION = "weight_shapes"
ACCEPT = None  # set later, by someone else, before grading


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M), (M, K), (K)]
