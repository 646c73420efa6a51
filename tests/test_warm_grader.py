"""grade-class's warm grader: one process per worker thread, a fresh sandboxed child per
submission (make test-class grades a whole class, hostile notebooks included, through it)."""

import pytest
from conftest import write_learner_notebook

from resnet_lesson import course
from resnet_lesson.grading.grade_class import warm_grader
from resnet_lesson.grading.grade_class import worker as class_worker
from resnet_lesson.grading.grade_class.layout import digest

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]

CHAPTER = "ch03_custom_padding"


def grade(tmp_path, student, answers=None, wall_seconds=None):
    (tmp_path / student).mkdir()
    notebook = write_learner_notebook(tmp_path / student, CHAPTER, answers=answers).read_bytes()
    source = digest(course.solution_notebook(CHAPTER))
    return class_worker.grade_submission(
        student, CHAPTER, notebook, source, 60, wall_seconds=wall_seconds
    )


def test_the_warm_process_is_reused_and_replaced_after_a_stopped_grading(tmp_path):
    grader = warm_grader.for_this_thread()

    late = grade(tmp_path, "carol", wall_seconds=1)
    assert late["result"] is None
    assert late["error"] == "grading took longer than 1 s and was stopped"
    assert grader.process is None  # stopped, with every process it had started

    correct = grade(tmp_path, "alice")
    assert correct["error"] is None, correct["error"]
    assert correct["result"]["score"] == correct["result"]["max_score"] > 0
    # The instructor's autograded/ copy, as nbgrader autograde writes it: hidden tests in
    # (generate_feedback strips them from what the learner gets).
    assert "### BEGIN HIDDEN TESTS" in correct["autograded"]
    warm = grader.process.pid

    untouched = grade(tmp_path, "bob", answers={})
    assert grader.process.pid == warm  # nbgrader was not imported again
    assert untouched["error"] is None, untouched["error"]
    assert untouched["result"]["score"] == 0  # nothing of alice's child carried over
