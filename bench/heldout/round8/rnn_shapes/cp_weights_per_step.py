"""count_params multiplies the SimpleRNN's parameters by T, as if every time step had its own kernel, recurrent kernel and bias."""

QUESTION = "count_params"
ACCEPT = {"count_times_T", "count_with_T"}


def count_params(T, D, M, K):
    # the RNN is unrolled over T steps, each step has its own weights
    rnn_params = T * (D * M + M * M + M)
    dense_params = M * K + K
    return rnn_params + dense_params
