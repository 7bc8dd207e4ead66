"""lstm_gate_weights slices the packed kernels along the rows (axis 0) instead of the columns, so W and U get the wrong blocks and shapes."""
import numpy as np

QUESTION = "lstm_gate_weights"
ACCEPT = {"gates_by_rows"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = bias.shape[0] // 4
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        W = kernel[k * M:(k + 1) * M]
        U = recurrent_kernel[k * M:(k + 1) * M]
        b = bias[k * M:(k + 1) * M]
        gates[name] = (W, U, b)
    return gates
