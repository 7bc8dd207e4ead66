"""clip_by_global_norm clips each array by its own norm."""
import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = {"clip_per_tensor"}
PUBLIC = ("its own norm",)


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    out = []
    for g in grads:
        n = np.linalg.norm(g)
        out.append(g * clip_norm / n if n > clip_norm else g.copy())
    return out, global_norm
