"""lstm_gate_weights names the candidate "g" (as in the lecture notes) instead of "c"."""

QUESTION = "lstm_gate_weights"
ACCEPT = set()
PUBLIC = ('"c"', "'c'", "key")


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    return {name: (kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
            for k, name in enumerate(["i", "f", "g", "o"])}
