"""extract_weights indexes model.layers from 0, taking the weightless InputLayer as the SimpleRNN (unpacking fails)."""

QUESTION = "extract_weights"
ACCEPT = {"weights_wrong_layer"}


def extract_weights(model):
    rnn_layer = model.layers[0]
    dense_layer = model.layers[1]
    Wx, Wh, bh = rnn_layer.get_weights()
    Wo, bo = dense_layer.get_weights()
    return Wx, Wh, bh, Wo, bo
