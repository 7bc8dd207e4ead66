"""count_params leaves out the recurrent kernel (the M*M hidden-to-hidden weights)."""

QUESTION = "count_params"
# M·M too few; count_recurrent_as_DM counts it as D·M, another mistake
ACCEPT = {"count_off"}


def count_params(T, D, M, K):
    rnn = (D + 1) * M      # kernel + bias
    dense = (M + 1) * K    # kernel + bias
    return rnn + dense
