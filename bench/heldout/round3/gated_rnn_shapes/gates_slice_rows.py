"""lstm_gate_weights slices the kernels' rows (kernel[cols]) instead of their columns (kernel[:, cols])."""
QUESTION = "lstm_gate_weights"
ACCEPT = {"gates_by_rows"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[cols], recurrent_kernel[cols], bias[cols])
    return gates
