"""lstm_gate_weights takes M as kernel.shape[0], which is D, so its blocks have the wrong width whenever D differs from M."""

QUESTION = "lstm_gate_weights"
# no entry; right only on the one check with D = M (all-ones checks left out): a size from the wrong axis
ACCEPT = {"right_where_sizes_equal", "right_where_sizes"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = kernel.shape[0]
    gates = {}
    for k, name in enumerate("ifco"):
        start, end = k * M, (k + 1) * M
        W = kernel[:, start:end]
        U = recurrent_kernel[:, start:end]
        b = bias[start:end]
        gates[name] = (W, U, b)
    return gates
