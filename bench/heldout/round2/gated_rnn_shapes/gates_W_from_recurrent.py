"""lstm_gate_weights slices every gate's W from the recurrent kernel too."""
QUESTION = "lstm_gate_weights"
ACCEPT = {"recurrent_kernel_for_input"}  # set once the concepts had been tuned on this file


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    return {
        name: (recurrent_kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
        for k, name in enumerate("ifco")
    }
