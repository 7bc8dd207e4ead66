"""extract_weights forgets the InputLayer: it reads layers[0] and layers[1] for the RNN and Dense."""
QUESTION = "extract_weights"
ACCEPT = {"weights_wrong_layer"}


def extract_weights(model):
    Wx, Wh, bh = model.layers[0].get_weights()
    Wo, bo = model.layers[1].get_weights()
    return Wx, Wh, bh, Wo, bo
