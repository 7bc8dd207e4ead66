"""count_params counts two SimpleRNN biases (an input bias and a recurrent bias, as PyTorch's nn.RNN has) instead of Keras' single bias of M."""

QUESTION = "count_params"
# count_off says the count is M too many: a term (the second bias) counted too often
ACCEPT = {"count_two_biases", "count_off"}


def count_params(T, D, M, K):
    w_ih = D * M  # input -> hidden
    w_hh = M * M  # hidden -> hidden
    b_ih = M
    b_hh = M
    rnn = w_ih + w_hh + b_ih + b_hh
    dense = (M + 1) * K
    return int(rnn + dense)
