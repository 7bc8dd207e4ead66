"""The gated_rnn_shapes assignment as the grading core sees it: questions, checks and mistakes.

Importing this package imports NumPy only: TensorFlow is imported when :func:`checks.build_checks`
computes the truth with real Keras models.
"""

from gradecore.judge.authoring import AssignmentSpec, Question, array_tolerance

from . import checks
from .cases import DEFAULT_SEED
from .mistakes import CATALOGUE

SPEC = AssignmentSpec(
    name="gated_rnn_shapes",
    questions=(
        Question(
            "lstm_count_params",
            1,
            "lstm_count_params matches model.count_params() of LSTM(M) -> Dense(K) for random D, M, K",
            checks.count_problem("lstm_count_params"),
            short="lstm_cnt",
            sizes="DMK",
        ),
        Question(
            "gru_count_params",
            1,
            "gru_count_params matches model.count_params() of GRU(M) -> Dense(K) for both reset_after",
            checks.count_problem("gru_count_params"),
            short="gru_cnt",
            sizes="DMK",
        ),
        Question(
            "lstm_gate_weights",
            1,
            "lstm_gate_weights splits the packed LSTM weights of random models into gates i, f, c, o",
            checks.gate_weights_problem,
            tolerance=checks.gate_weights_tolerance,
            short="gates",
        ),
        Question(
            "lstm_forward",
            2,
            "lstm_forward matches model.predict of LSTM(M) -> Dense(K) for random models",
            checks.output_problem("lstm_forward"),
            numpy_only=True,
            tolerance=array_tolerance,
            short="lstm_fwd",
            axes="NK",
        ),
        Question(
            "lstm_states",
            2,
            "lstm_states matches the final states (h_T, c_T) of LSTM(M, return_state=True)",
            checks.states_problem,
            numpy_only=True,
            tolerance=checks.states_tolerance,
            short="states",
            axes="NM",
            parts=("h_T", "c_T"),
        ),
        Question(
            "gru_forward",
            2,
            "gru_forward matches model.predict of GRU(M) -> Dense(K) for both bias layouts",
            checks.output_problem("gru_forward"),
            numpy_only=True,
            tolerance=array_tolerance,
            short="gru_fwd",
            axes="NK",
        ),
    ),
    default_seed=DEFAULT_SEED,
    build_checks=checks.build_checks,
    catalogue=CATALOGUE,
    kernel_builders="",
)
