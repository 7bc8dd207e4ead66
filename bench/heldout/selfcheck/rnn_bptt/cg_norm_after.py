"""clip_by_global_norm returns the norm after clipping."""
import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = {"clip_norm_after_clipping"}
PUBLIC = ("clipped arrays",)


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    scale = min(1.0, clip_norm / global_norm)
    clipped = [g * scale for g in grads]
    return clipped, float(np.sqrt(sum(np.sum(c ** 2) for c in clipped)))
