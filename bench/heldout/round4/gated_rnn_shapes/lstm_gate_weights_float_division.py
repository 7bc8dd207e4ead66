"""lstm_gate_weights computes M with true division (kernel.shape[1] / 4), a float, so the slices raise a TypeError."""
import numpy as np

QUESTION = "lstm_gate_weights"
# raises TypeError on every check: no entry raises it, no finding from exceptions alone
ACCEPT = {"size_not_int"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = kernel.shape[1] / 4
    names = ["i", "f", "c", "o"]
    out = {}
    for k in range(4):
        start, stop = k * M, (k + 1) * M
        out[names[k]] = (kernel[:, start:stop], recurrent_kernel[:, start:stop], bias[start:stop])
    return out
