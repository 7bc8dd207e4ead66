"""Escape the disk bound: a zip that ``otter run`` unpacks, whole, before any watch starts.

The notebook's submit cell makes a zip, and ``rnn-shapes grade`` grades a zip that holds one
notebook, as ``otter run`` does: it unpacks the whole zip into the grading's folder, in the grader's
own process, before the plugin (and so the disk watch, which counts from what the folder held when
it started) has run. The harness hands this file in as a zip of itself as a notebook with 1100 MiB
of zeros beside it (1 MiB zipped). Before the batch refused such a zip, the zeros held the batch's
temporary folder for the whole grading (60 s here): a 1.9 GiB zip of 2 MiB held 1.9 GiB of a 2 GiB
temporary file system, past the grading's limit of 1 GiB, while its neighbours graded there.

Its row must be an error that says why, unread: nothing of it unpacked.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}
EXPECT_STATUS = "error"
PACK_IN = "zip"
PAD_MB = 1100

NAME = "zip_unpacks_past_disk_limit"


def count_params(T, D, M, K):
    return int(D * M + M * M + M + M * K + K)
