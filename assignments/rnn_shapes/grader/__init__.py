"""The rnn_shapes assignment as the grading core sees it: ``SPEC``.

Students replicate ``model.predict`` of ``Input((T, D)) -> SimpleRNN(M) -> Dense(K)`` with NumPy,
and its parameter counts with arithmetic. Importing this package does not import TensorFlow: only
the judge's :func:`checks.keras_truth` and the kernel's model builder do.
"""

from gradecore.judge.authoring import AssignmentSpec, Question, array_tolerance

from .cases import DEFAULT_SEED
from .checks import build_checks, count_problem, output_problem, shapes_problem, weights_problem
from .mistakes import CATALOGUE

SPEC = AssignmentSpec(
    name="rnn_shapes",
    questions=(
        Question("count_params", 1, "count_params matches model.count_params() for random T, D, M, K", count_problem, short="count", sizes="TDMK"),
        Question("weight_shapes", 1, "weight_shapes matches the shapes of model.get_weights() for random D, M, K", shapes_problem, short="shapes"),
        Question("extract_weights", 1, "extract_weights returns (Wx, Wh, bh, Wo, bo) of random Keras models", weights_problem, short="extract"),
        Question(
            "manual_forward", 2, "manual_forward matches model.predict for one sample of random models",
            output_problem, numpy_only=True, tolerance=array_tolerance, short="manual", axes="K",
        ),
        Question(
            "batched_forward", 2, "batched_forward matches model.predict for batches of random models",
            output_problem, numpy_only=True, tolerance=array_tolerance, short="batched", axes="NK",
        ),
        Question(
            "sequence_forward", 2, "sequence_forward matches SimpleRNN(return_sequences=True) -> Dense at every step",
            output_problem, numpy_only=True, tolerance=array_tolerance, short="sequence", axes="NTK",
        ),
    ),
    default_seed=DEFAULT_SEED,
    build_checks=build_checks,
    catalogue=CATALOGUE,
    kernel_builders="assignments.rnn_shapes.grader.keras_truth",
)
