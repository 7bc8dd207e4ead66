"""extract_weights reads the SimpleRNN from model.layers[0] and the Dense from model.layers[1], forgetting that layers[0] is the InputLayer (no weights), so unpacking fails."""

QUESTION = "extract_weights"
ACCEPT = {"weights_wrong_layer"}


def extract_weights(model):
    rnn_layer = model.layers[0]
    dense_layer = model.layers[1]
    Wx, Wh, bh = rnn_layer.get_weights()
    Wo, bo = dense_layer.get_weights()
    return Wx, Wh, bh, Wo, bo
