"""The rnn_bptt assignment as the grading core sees it: questions, checks and mistakes.

Importing this package imports NumPy only: TensorFlow is imported when :func:`checks.build_checks`
computes the truth with real Keras (the build does, once, and ships it).
"""

from gradecore.judge.authoring import AssignmentSpec, Question, array_tolerance

from . import checks
from .cases import DEFAULT_SEED
from .mistakes import CATALOGUE

SPEC = AssignmentSpec(
    name="rnn_bptt",
    questions=(
        Question(
            "bptt_gradients",
            3,
            "bptt_gradients matches tape.gradient(loss, model.trainable_weights) of SimpleRNN(M) -> Dense(K) for random models",
            checks.gradients_problem("bptt_gradients", "tape.gradient"),
            numpy_only=True,
            tolerance=checks.gradients_tolerance,
            short="bptt",
            parts=checks.GRADIENTS,
        ),
        Question(
            "hidden_gradients",
            2,
            "hidden_gradients matches the tape's dL/dh_t at every step of a stepped SimpleRNNCell",
            checks.hidden_problem,
            numpy_only=True,
            tolerance=array_tolerance,
            short="dh",
            axes="NTM",
        ),
        Question(
            "gradient_norms",
            1,
            "gradient_norms matches the norm over the batch of the tape's dL/dh_t at every step",
            checks.norms_problem,
            numpy_only=True,
            tolerance=array_tolerance,
            short="norms",
            axes="T",
        ),
        Question(
            "truncated_bptt_gradients",
            2,
            "truncated_bptt_gradients matches the tape's gradients with tf.stop_gradient on h_{T-k}, for k = 1 to k > T",
            checks.gradients_problem("truncated_bptt_gradients", "the tape's truncated gradients"),
            numpy_only=True,
            tolerance=checks.gradients_tolerance,
            short="tbptt",
            parts=checks.GRADIENTS,
        ),
        Question(
            "clip_by_global_norm",
            1,
            "clip_by_global_norm matches tf.clip_by_global_norm, clipping and not clipping",
            checks.clip_problem,
            numpy_only=True,
            keeps_arguments=True,
            tolerance=checks.clip_tolerance,
            short="clip",
        ),
    ),
    default_seed=DEFAULT_SEED,
    build_checks=checks.build_checks,
    catalogue=CATALOGUE,
    kernel_builders="",
)
