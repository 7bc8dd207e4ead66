"""clip_by_global_norm always rescales to clip_norm."""
import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = {"clip_always"}
PUBLIC = ("even when",)


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    return [g * clip_norm / global_norm for g in grads], global_norm
