"""count_params forgets the SimpleRNN's M biases (counts the Dense bias)."""

QUESTION = "count_params"
ACCEPT = set()
PUBLIC = ("SimpleRNN's bias", "M biases", "rnn bias", "hidden bias")


def count_params(T, D, M, K):
    return D * M + M * M + M * K + K
