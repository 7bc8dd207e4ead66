"""extract_weights unpacks model.get_weights() as kernel, bias, recurrent kernel (the bias read second, like a Dense layer's)."""

QUESTION = "extract_weights"
ACCEPT = None  # set later, by someone else, before grading


def extract_weights(model):
    weights = model.get_weights()
    Wx, bh, Wh, Wo, bo = weights
    return Wx, Wh, bh, Wo, bo
