"""The one graded-result type: its totals, what grade --json prints, what grade-class
keeps, and a notebook that could not be graded (pure data: no nbgrader, no kernel)."""

from resnet_lesson.grading.result import GradedResult


def _result():
    return GradedResult(
        "ada.ipynb",
        "ch03_x",
        {
            "a_tests": {"score": 2.0, "max_score": 3.0, "feedback": "the height is not padded."},
            "q_test": {"score": 1.0, "max_score": 1.0, "feedback": "passed"},
        },
        notes=["a note"],
        seconds=4.5,
    )


def test_totals_add_up_every_graded_cell():
    assert _result().totals() == (3.0, 4.0)


def test_grade_json_is_the_summary_and_grade_class_keeps_notes_and_seconds():
    result = _result()
    assert result.summary() == {
        "notebook": "ada.ipynb",
        "score": 3.0,
        "max_score": 4.0,
        "exercises": result.exercises,
    }
    assert result.record() == {**result.summary(), "notes": ["a note"], "seconds": 4.5}


def test_not_graded_scores_zero_everywhere_and_says_why():
    result = GradedResult.not_graded(
        "ada.ipynb", "ch03_x", {"a_tests": 3, "q_test": 1}, "timed out"
    )
    assert result.totals() == (0.0, 4.0)
    assert {e["feedback"] for e in result.exercises.values()} == {"not graded: timed out"}
    assert result.notes == ["the notebook could not be graded: timed out"]
