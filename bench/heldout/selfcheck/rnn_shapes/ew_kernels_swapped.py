"""extract_weights unpacks the SimpleRNN's weights as recurrent kernel first."""

QUESTION = "extract_weights"
ACCEPT = {"weights_swapped"}
PUBLIC = ("swapped",)


def extract_weights(model):
    Wh, Wx, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx, Wh, bh, Wo, bo
