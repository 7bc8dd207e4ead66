"""count_params multiplies the SimpleRNN's parameters by T, as if each time step had its own weights."""

QUESTION = "count_params"
ACCEPT = {"count_times_T", "count_with_T"}


def count_params(T, D, M, K):
    # one set of weights per time step
    per_step = D * M + M * M + M
    rnn_params = T * per_step
    dense_params = M * K + K
    return int(rnn_params + dense_params)
