"""extract_weights unpacks model.weights, returning the Keras variables themselves instead of NumPy arrays (get_weights)."""

QUESTION = "extract_weights"
ACCEPT = {"weights_as_variables"}


def extract_weights(model):
    Wx, Wh, bh, Wo, bo = model.weights
    return Wx, Wh, bh, Wo, bo
