"""weight_shapes gives the Dense kernel as (K, M), as in a PyTorch Linear layer."""

QUESTION = "weight_shapes"
ACCEPT = set()
PUBLIC = ("Dense kernel", "(K, M)", "(M, K)")


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (K, M), (K,)]
