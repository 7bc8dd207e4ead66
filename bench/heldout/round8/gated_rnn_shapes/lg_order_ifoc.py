"""lstm_gate_weights assumes the gates are packed in the order i, f, o, c, so it swaps the candidate and the output gate (Keras packs i, f, c, o)."""

QUESTION = "lstm_gate_weights"
# items_reordered says the values of 'c' and 'o' are swapped
ACCEPT = {"order_ifoc", "items_reordered"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = bias.shape[0] // 4
    order = ["i", "f", "o", "c"]
    return {
        g: (kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
        for k, g in enumerate(order)
    }
