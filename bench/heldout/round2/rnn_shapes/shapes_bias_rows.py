"""weight_shapes writes the biases as rows, (1, M) and (1, K)."""
QUESTION = "weight_shapes"
ACCEPT = {"shapes_bias_rows"}  # set once the concepts had been tuned on this file


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (1, M), (M, K), (1, K)]
