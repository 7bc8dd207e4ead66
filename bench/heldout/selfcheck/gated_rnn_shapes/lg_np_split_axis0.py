"""lstm_gate_weights uses np.split without an axis (axis 0), which raises unless the rows divide by 4."""
import numpy as np

QUESTION = "lstm_gate_weights"
ACCEPT = {"gates_by_rows", "split_axis_0", "gates_split_rows"}
PUBLIC = ("split by rows",)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    ks, rs, bs = np.split(kernel, 4), np.split(recurrent_kernel, 4), np.split(bias, 4)
    return {g: (ks[k], rs[k], bs[k]) for k, g in enumerate("ifco")}
