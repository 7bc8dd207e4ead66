"""extract_weights returns the layers' weight variables (layer.weights) instead of NumPy arrays (layer.get_weights())."""

QUESTION = "extract_weights"
ACCEPT = {"weights_as_variables"}


def extract_weights(model):
    rnn = model.layers[1]
    dense = model.layers[2]
    Wx, Wh, bh = rnn.weights
    Wo, bo = dense.weights
    return (Wx, Wh, bh, Wo, bo)
