"""extract_weights assumes the SimpleRNN's arrays come as kernel, bias, recurrent kernel."""

QUESTION = "extract_weights"
ACCEPT = set()
PUBLIC = ("order",)


def extract_weights(model):
    Wx, bh, Wh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx, Wh, bh, Wo, bo
