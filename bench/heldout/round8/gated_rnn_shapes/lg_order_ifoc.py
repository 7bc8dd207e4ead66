"""lstm_gate_weights assumes the gates are packed in the order i, f, o, c, so it swaps the candidate and the output gate (Keras packs i, f, c, o)."""

QUESTION = "lstm_gate_weights"
ACCEPT = None  # set later, by someone else, before grading


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = bias.shape[0] // 4
    order = ["i", "f", "o", "c"]
    return {
        g: (kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
        for k, g in enumerate(order)
    }
