"""lstm_gate_weights names the blocks i, f, o, c."""
QUESTION = "lstm_gate_weights"
ACCEPT = {"order_ifoc"}
PUBLIC = ("order i, f, o, c",)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    return {g: (kernel[:, k * M:(k + 1) * M], recurrent_kernel[:, k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
            for k, g in enumerate("ifoc")}
