"""clip_by_global_norm computes the global norm right but clips every value with np.clip(g, -clip_norm, clip_norm) instead of scaling."""

import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = {"clip_by_value"}
PUBLIC = ("clipping by value",)


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    return [np.clip(g, -clip_norm, clip_norm) for g in grads], global_norm
