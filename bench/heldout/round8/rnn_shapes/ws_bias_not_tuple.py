"""weight_shapes writes the bias shapes as (M) and (K), which are plain ints, not the one-element tuples (M,) and (K,)."""

QUESTION = "weight_shapes"
ACCEPT = None  # set later, by someone else, before grading


def weight_shapes(D, M, K):
    shapes = []
    shapes.append((D, M))  # input -> hidden
    shapes.append((M, M))  # hidden -> hidden
    shapes.append((M))     # hidden bias
    shapes.append((M, K))  # hidden -> output
    shapes.append((K))     # output bias
    return shapes
