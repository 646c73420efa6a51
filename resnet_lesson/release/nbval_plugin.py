"""A pytest plugin: nbval runs the solution notebooks as the grader does.

``make test`` and ``make nbval`` load it (``-p resnet_lesson.release.nbval_plugin``):

- The kernel starts with ``outputs.GRADING_ENVIRONMENT``: checks raise on a
  failure, as under nbgrader (in a learner's kernel they only print it), so a failing
  check fails its cell.
- Every graded cell must score full marks by nbgrader's own rule (no error, no stderr),
  judged on the outputs of the same run: this is the suite's full-marks test of the
  solutions (tests/test_round_trip.py grades the untouched releases).

Cells tagged ``nbval-skip`` (what the grader skips) are not run, and those tagged
``nbval-check-output`` are compared with their stored outputs (``outputs``). Only
notebook cells are touched; the plugin changes nothing for other tests.
"""

import logging
import os

import pytest


def _nbval_cell(item):
    return type(item).__name__ == "IPyNbCell"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """The notebook's kernel starts in its first cell's setup: in the grading environment."""
    if not _nbval_cell(item):
        return (yield)
    from resnet_lesson.release.outputs import GRADING_ENVIRONMENT

    saved = {key: os.environ.get(key) for key in GRADING_ENVIRONMENT}
    os.environ.update(GRADING_ENVIRONMENT)
    try:
        return (yield)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A graded cell that ran must score full marks on the outputs it just gave."""
    result = yield
    grading = item.cell.metadata.get("nbgrader", {}) if _nbval_cell(item) else {}
    if grading.get("grade") and item.test_outputs is not None:
        from nbgrader.utils import determine_grade

        ran = item.cell.copy()
        ran.outputs = item.test_outputs
        score, max_score = determine_grade(ran, logging.getLogger(__name__))
        assert score == max_score, (
            f"graded cell {grading['grade_id']} would score {score} of {max_score} "
            "(nbgrader gives 0 to a graded cell with any error or stderr output)"
        )
    return result
