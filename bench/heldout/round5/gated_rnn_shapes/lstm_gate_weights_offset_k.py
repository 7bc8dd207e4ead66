"""lstm_gate_weights slices each gate's columns as k:k+M instead of k*M:(k+1)*M, so the blocks overlap and start at the wrong columns."""

QUESTION = "lstm_gate_weights"
# k:k+M is right only where M = 1
ACCEPT = {"right_where_size_one", "right_where_sizes"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    names = ("i", "f", "c", "o")
    return {
        name: (kernel[:, k:k + M], recurrent_kernel[:, k:k + M], bias[k:k + M])
        for k, name in enumerate(names)
    }
