"""count_params counts the recurrent kernel as D x M, like the input kernel."""

QUESTION = "count_params"
ACCEPT = {"count_recurrent_as_DM"}
PUBLIC = ("recurrent kernel", "D·M − M·M")


def count_params(T, D, M, K):
    return D * M + D * M + M + M * K + K
