"""The grader's per-cell time limits: longer only for named, locked test cells."""

from nbformat.v4 import new_code_cell

from resnet_lesson.grading.execute import ExecuteWithTimeoutBudget


def _cell(grade_id, solution=False, grade=True):
    cell = new_code_cell("pass")
    cell.metadata["nbgrader"] = {"grade": grade, "solution": solution, "grade_id": grade_id}
    return cell


def test_a_named_test_cell_gets_its_longer_limit_and_nothing_else_does():
    execute = ExecuteWithTimeoutBudget(timeout=120, graded_cell_timeouts={"training_tests": 600})
    assert execute._get_timeout(_cell("training_tests")) == 600
    assert execute._get_timeout(_cell("other_tests")) == 120
    # An answer cell (the learner's code) never gets more, whatever its grade_id.
    assert execute._get_timeout(_cell("training_tests", solution=True)) == 120
    assert execute._get_timeout(new_code_cell("pass")) == 120


def test_after_a_timeout_even_a_named_cell_gets_the_short_limit():
    execute = ExecuteWithTimeoutBudget(
        timeout=120, timeout_after_a_timeout=30, graded_cell_timeouts={"training_tests": 600}
    )
    execute._had_a_timeout = True
    assert execute._get_timeout(_cell("training_tests")) == 30
