"""lstm_gate_weights reshapes the 4M columns to (M, 4) and takes column k: gates read interleaved, not in blocks."""
QUESTION = "lstm_gate_weights"
ACCEPT = {"gates_interleaved"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    D = kernel.shape[0]
    M = recurrent_kernel.shape[0]
    W4 = kernel.reshape(D, M, 4)
    U4 = recurrent_kernel.reshape(M, M, 4)
    b4 = bias.reshape(M, 4)
    return {name: (W4[:, :, k], U4[:, :, k], b4[:, k]) for k, name in enumerate(["i", "f", "c", "o"])}
