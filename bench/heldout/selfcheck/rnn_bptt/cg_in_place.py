"""clip_by_global_norm scales the caller's arrays in place and returns them."""
import numpy as np

QUESTION = "clip_by_global_norm"
ACCEPT = {"changed_arguments", "clip_in_place"}
PUBLIC = ("changed the arrays",)


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    if global_norm > clip_norm:
        for g in grads:
            g *= clip_norm / global_norm
    return grads, global_norm
