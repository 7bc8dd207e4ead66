"""count_params leaves out the SimpleRNN's bias: D·M + M·M for the RNN, with no + M."""

QUESTION = "count_params"
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    # input kernel + recurrent kernel
    rnn_params = D * M + M * M
    # dense kernel + dense bias
    dense_params = M * K + K
    return int(rnn_params + dense_params)
