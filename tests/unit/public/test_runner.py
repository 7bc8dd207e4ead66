"""The public checks' runner (``gradecore.public.runner``): what a notebook's check cell and pytest show."""

from __future__ import annotations

from gradecore.public.runner import ChecksWithoutOtter, PublicChecks, failure_of, notebook_order

CHECK = '''from otter.test_files import test_case

OK_FORMAT = False
name = "double"
points = 1


@test_case(points=None, hidden=False)
def test_double_example(double):
    """double doubles a few numbers"""
    for x in (1, 2, 5):
        assert double(x) == 2 * x, f"double({x}) should be {2 * x}, got {double(x)}"
'''


def test_a_failed_check_reads_as_the_check_s_own_message_without_otter_s_frame():
    assert failure_of("double", CHECK, {"double": lambda x: 2 * x}) is None
    failure = failure_of("double", CHECK, {"double": lambda x: x + 2})
    assert failure == "double doubles a few numbers: double(1) should be 2, got 3", failure

    def stub(x):
        raise NotImplementedError("double is not implemented yet")

    assert "not implemented yet" in failure_of("double", CHECK, {"double": stub})
    assert failure_of("double", CHECK, {}) == "double is not defined: run the cell that defines it first"


def test_check_all_runs_in_the_notebook_s_order_and_each_result_says_passed_or_failed():
    notebook = {
        "cells": [{"cell_type": "code", "source": ['grader.check("zeta")']}, {"cell_type": "code", "source": 'grader.check("double")'}],
        "metadata": {"otter": {"tests": {"double": CHECK, "zeta": CHECK.replace("double", "zeta")}}},
    }
    assert notebook_order(notebook) == ["zeta", "double"]
    checks = PublicChecks(notebook["metadata"]["otter"]["tests"], notebook_order(notebook))
    results = checks.check_all({"double": lambda x: 2 * x, "zeta": lambda x: x})
    assert [r.question for r in results.results] == ["zeta", "double"]
    text = repr(results)
    assert text.index("zeta: its public check failed") < text.index("double: its public check passed"), text


def test_without_otter_the_checks_still_run_and_export_says_what_to_submit(capsys):
    notebook = {"cells": [], "metadata": {"otter": {"tests": {"double": CHECK}}}}
    grader = ChecksWithoutOtter(notebook, "doubling", "7.0.0")
    double = lambda x: 2 * x  # noqa: E731 (the notebook's global, as a cell defines it)
    assert grader.check("double", {"double": double}).passed
    assert repr(grader.check("double")).startswith("❌ double: its public check failed."), "globals of the caller"
    grader.export("doubling.ipynb", pdf=False)
    said = capsys.readouterr().out
    assert "Submit the notebook file itself, doubling.ipynb" in said and "otter-grader==7.0.0" in said, said
