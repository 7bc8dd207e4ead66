"""clip_by_global_norm takes the global norm as the sum of the arrays' own norms."""
import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = {"clip_sum_of_norms"}
PUBLIC = ("sum of the arrays' norms", "sum of", "norms")


def clip_by_global_norm(grads, clip_norm):
    global_norm = sum(np.linalg.norm(g) for g in grads)
    if global_norm > clip_norm:
        return [g * (clip_norm / global_norm) for g in grads], global_norm
    return [g.copy() for g in grads], global_norm
