# Exploration code left at the top level: it loads weights saved on the student's laptop, so the
# submission raises before any function can be graded.
import numpy as np

weights = np.load("my_lstm_weights.npz")
kernel, recurrent_kernel, bias = weights["kernel"], weights["recurrent_kernel"], weights["bias"]


def lstm_count_params(D, M, K):
    return 4 * (D * M + M * M + M) + M * K + K


def gru_count_params(D, M, K, reset_after=True):
    return 3 * (D * M + M * M + (2 if reset_after else 1) * M) + M * K + K
