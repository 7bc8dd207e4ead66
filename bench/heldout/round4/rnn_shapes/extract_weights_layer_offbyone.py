"""extract_weights forgets the InputLayer in model.layers and reads layers[0] and layers[1] instead of layers[1] and layers[2]."""

QUESTION = "extract_weights"
ACCEPT = {"weights_wrong_layer"}


def extract_weights(model):
    rnn_layer = model.layers[0]
    dense_layer = model.layers[1]
    Wx, Wh, bh = rnn_layer.get_weights()
    Wo, bo = dense_layer.get_weights()
    return Wx, Wh, bh, Wo, bo
