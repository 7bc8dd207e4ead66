"""count_params multiplies the SimpleRNN's parameters by the sequence length T, as if each time step had its own weights."""

QUESTION = "count_params"
ACCEPT = {"count_times_T", "count_with_T"}


def count_params(T, D, M, K):
    # the RNN is unrolled over T steps, each step has Wx, Wh and a bias
    per_step = D * M + M * M + M
    rnn = T * per_step
    dense = M * K + K
    return int(rnn + dense)
