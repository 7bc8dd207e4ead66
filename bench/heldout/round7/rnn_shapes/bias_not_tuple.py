"""weight_shapes writes the bias shapes as (M) and (K), which Python reads as plain ints rather than one-element tuples (M,) and (K,)."""

QUESTION = "weight_shapes"
ACCEPT = None  # set later, by someone else, before grading


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M), (M, K), (K)]
