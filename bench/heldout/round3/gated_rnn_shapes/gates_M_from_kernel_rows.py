"""lstm_gate_weights takes M from kernel.shape[0], which is D, so the gate blocks are D wide."""
QUESTION = "lstm_gate_weights"
ACCEPT = {"right_where_sizes_equal"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = kernel.shape[0]
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols], recurrent_kernel[:, cols], bias[cols])
    return gates
