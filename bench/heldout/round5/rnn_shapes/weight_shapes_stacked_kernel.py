"""weight_shapes follows the textbook's stacked [x_t, h_{t-1}] form and gives one (D + M, M) kernel, four shapes in all."""

QUESTION = "weight_shapes"
# four items, none the expected (D, M): nothing names a stacked kernel
ACCEPT = {'shapes_stacked_kernel'}


def weight_shapes(D, M, K):
    # h_t = tanh([x_t, h_{t-1}] W + b): one weight matrix acting on the concatenation
    shapes = []
    shapes.append((D + M, M))
    shapes.append((M,))
    shapes.append((M, K))
    shapes.append((K,))
    return shapes
