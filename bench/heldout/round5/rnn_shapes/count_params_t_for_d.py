"""count_params sizes the input kernel with the sequence length, T·M, instead of D·M."""

QUESTION = "count_params"
# off by T·M − D·M; count_times_T multiplies the whole RNN by T, another mistake
ACCEPT = {"count_with_T"}


def count_params(T, D, M, K):
    Wx = T * M
    Wh = M * M
    bh = M
    Wo = M * K
    bo = K
    total = Wx + Wh + bh + Wo + bo
    return int(total)
