"""clip_by_global_norm returns the global norm of the clipped arrays (measured after clipping), not before."""
import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = set()
PUBLIC = ("after clipping", "after")


def clip_by_global_norm(grads, clip_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads))
    if norm > clip_norm:
        grads = [g * clip_norm / norm for g in grads]
    return grads, float(np.sqrt(sum((g ** 2).sum() for g in grads)))
