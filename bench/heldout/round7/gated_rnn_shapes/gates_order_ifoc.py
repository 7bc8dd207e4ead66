"""lstm_gate_weights assumes the packed gate order i, f, o, c, so the candidate and output-gate blocks are swapped."""

QUESTION = "lstm_gate_weights"
# items_reordered says the values of 'c' and 'o' are swapped
ACCEPT = {"order_ifoc", "items_reordered"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    order = ["i", "f", "o", "c"]
    return {
        g: (kernel[:, k * M:(k + 1) * M],
            recurrent_kernel[:, k * M:(k + 1) * M],
            bias[k * M:(k + 1) * M])
        for k, g in enumerate(order)
    }
