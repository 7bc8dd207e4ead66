"""extract_weights returns the layers' .weights (Keras variables) instead of the NumPy arrays of get_weights()."""

QUESTION = "extract_weights"
ACCEPT = {"weights_as_variables"}


def extract_weights(model):
    rnn = model.layers[1]
    dense = model.layers[2]
    Wx, Wh, bh = rnn.weights
    Wo, bo = dense.weights
    return Wx, Wh, bh, Wo, bo
