"""lstm_gate_weights takes M from kernel.shape[0] (that is D): wrong slices unless D = M."""

QUESTION = "lstm_gate_weights"
ACCEPT = set()
PUBLIC = ("kernel.shape[0]", "D instead of M", "M from")


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = kernel.shape[0]
    out = {}
    for k, name in enumerate("ifco"):
        s = slice(k * M, (k + 1) * M)
        out[name] = (kernel[:, s], recurrent_kernel[:, s], bias[s])
    return out
