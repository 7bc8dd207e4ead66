"""clip_by_global_norm returns only the clipped list, not the tuple (clipped, global_norm)."""
import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = set()
PUBLIC = ("tuple", "global norm", "(clipped, global_norm)")


def clip_by_global_norm(grads, clip_norm):
    global_norm = np.sqrt(sum(np.sum(g * g) for g in grads))
    scale = min(1.0, clip_norm / global_norm)
    return [g * scale for g in grads]
