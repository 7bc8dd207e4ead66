"""Catalogue of realistic mistakes, one function per mistake with the student's signature.

The judge runs every entry of a question on the inputs where a student's answer was wrong; an
entry whose output equals the student's names the mistake in the feedback. The tests turn each
entry into a whole buggy submission and assert that it loses exactly its question's points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Mistake:
    """One realistic mistake in one graded function."""

    id: str
    """short identifier, used in tests and in the class report"""
    question: str
    """the graded function that has the mistake"""
    title: str
    """what the student did, as the feedback says it"""
    hint: str
    """how to fix it"""
    function: Callable
    """the mistaken implementation, with the signature of the graded function"""
    signature: bool = True
    """whether its output differs from every other entry's, so the feedback can name it"""


CATALOGUE: list[Mistake] = []


def mistake(question: str, title: str, hint: str, signature: bool = True):
    def register(function: Callable) -> Callable:
        CATALOGUE.append(Mistake(function.__name__, question, title, hint, function, signature))
        return function

    return register


def for_question(question: str) -> list[Mistake]:
    return [m for m in CATALOGUE if m.question == question]


# --- count_params -----------------------------------------------------------------------------


@mistake("count_params", "the count grows with T", "weights are shared across time steps: T must not appear in the count")
def count_times_T(T, D, M, K):
    return T * (D * M + M * M + M) + M * K + K


@mistake("count_params", "the biases are not counted", "SimpleRNN has M biases and Dense has K")
def count_without_biases(T, D, M, K):
    return D * M + M * M + M * K


# --- manual_forward ---------------------------------------------------------------------------


@mistake("manual_forward", "the hidden bias bh is missing", "add bh inside the tanh: h = tanh(x_t @ Wx + h @ Wh + bh)")
def forgot_hidden_bias(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh)
    return h @ Wo + bo


@mistake("manual_forward", "the output bias bo is missing", "the Dense layer adds bo: y = h @ Wo + bo")
def forgot_output_bias(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo


# --- batched_forward --------------------------------------------------------------------------


@mistake(
    "batched_forward",
    "outputs agree for the first sample only: the hidden state is not reset between samples",
    "start every sample from h = zeros(M); set h inside the loop over samples",
)
def unreset_hidden_state(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    outputs = []
    for x in X:
        for x_t in x:
            h = np.tanh(x_t @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.array(outputs)


@mistake("batched_forward", "the hidden bias bh is missing", "add bh inside the tanh: h = tanh(X[:, t] @ Wx + h @ Wh + bh)")
def batched_forgot_hidden_bias(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh)
    return h @ Wo + bo


# --- sequence_forward -------------------------------------------------------------------------


@mistake("sequence_forward", "the outputs are time-major, shape (T, N, K)", "stack the steps on axis 1: np.stack(outputs, axis=1)")
def sequence_time_major(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    outputs = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=0)
