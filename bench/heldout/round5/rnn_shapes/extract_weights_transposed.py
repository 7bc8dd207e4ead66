"""extract_weights transposes both kernels to (out, in), the way PyTorch stores weight matrices."""

QUESTION = "extract_weights"
ACCEPT = {"weights_transposed"}


def extract_weights(model):
    rnn = model.layers[1]
    dense = model.layers[2]
    kernel, recurrent_kernel, bias = rnn.get_weights()
    dense_kernel, dense_bias = dense.get_weights()
    # weight matrices are stored (out_features, in_features)
    Wx = kernel.T
    Wh = recurrent_kernel.T
    bh = bias
    Wo = dense_kernel.T
    bo = dense_bias
    return Wx, Wh, bh, Wo, bo
