"""extract_weights unpacks model.get_weights() as kernel, bias, recurrent kernel (the bias read second, like a Dense layer's)."""

QUESTION = "extract_weights"
# Wh and bh (items 1 and 2) swapped; weights_swapped swaps Wx and Wh
ACCEPT = {"items_reordered"}


def extract_weights(model):
    weights = model.get_weights()
    Wx, bh, Wh, Wo, bo = weights
    return Wx, Wh, bh, Wo, bo
