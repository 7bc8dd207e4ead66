"""lstm_gate_weights slices each kernel by rows."""
QUESTION = "lstm_gate_weights"
ACCEPT = {"gates_by_rows"}
PUBLIC = ("split by rows",)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    out = {}
    for k, g in enumerate("ifco"):
        out[g] = (kernel[k * M:(k + 1) * M], recurrent_kernel[k * M:(k + 1) * M], bias[k * M:(k + 1) * M])
    return out
