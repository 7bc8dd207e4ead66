"""count_params thinks the RNN has its own weights at each of the T steps."""

QUESTION = "count_params"
ACCEPT = {"count_times_T", "count_with_T"}
PUBLIC = ("once per step",)


def count_params(T, D, M, K):
    return T * (D * M + M * M + M + M * K + K)
