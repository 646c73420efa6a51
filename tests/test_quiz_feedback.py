"""Questions answer at once: the answer cell says right (with the explanation) or gives a
nudge, from a sealed answer; the released notebooks never hold the correct letter."""

import re

import nbformat
import pytest

from resnet_lesson import course
from resnet_lesson.checks import quiz, seal
from resnet_lesson.course import learner_notebook
from resnet_lesson.release.cells import question
from resnet_lesson.release.chapter import question_parts

EXPLANATION = "Only the first conv strides; the second keeps the size."


def test_the_seal_opens_with_the_correct_letter_only():
    sealed = seal.seal("q1", "c", EXPLANATION)
    assert seal.unseal("q1", "c", sealed) == EXPLANATION
    assert [seal.unseal("q1", letter, sealed) for letter in "abd"] == [None] * 3
    # the same answer of another question seals differently
    assert seal.seal("q2", "c", EXPLANATION) != sealed
    assert EXPLANATION not in sealed and "c" != sealed


def test_a_right_answer_gets_the_explanation(capsys):
    quiz.respond("q1", " C ", "abcd", seal.seal("q1", "c", EXPLANATION))
    out, err = capsys.readouterr()
    assert out == f"\u2705 right: {EXPLANATION}\n" and err == ""


@pytest.mark.parametrize("answer", ["a", "b", "d"])
def test_a_wrong_answer_gets_a_nudge_not_the_answer(capsys, answer):
    quiz.respond("q1", answer, "abcd", seal.seal("q1", "c", EXPLANATION))
    out, err = capsys.readouterr()
    assert out.startswith(f"\u274c not quite: ({answer}) is not the answer") and err == ""
    assert EXPLANATION not in out and "(c)" not in out


@pytest.mark.parametrize(
    "value, start", [(None, "\u2753 q1: not answered yet"), ("e", "\u2753 q1: answer with one")]
)
def test_no_answer_or_no_letter_is_named_without_raising(capsys, value, start):
    quiz.respond("q1", value, "abcd", seal.seal("q1", "c", EXPLANATION))
    out, err = capsys.readouterr()
    assert out.startswith(start) and err == ""
    quiz.respond("q1", 3, "abcd", seal.seal("q1", "c", EXPLANATION))
    assert "not 3" in capsys.readouterr().out


def test_the_answer_cell_is_the_same_whatever_the_correct_letter_but_its_seal():
    cells = {c: question("q1", "Which?", ["x", "y", "z"], c, EXPLANATION)[1] for c in "abc"}
    sealed = {c: seal.seal("q1", c, EXPLANATION) for c in "abc"}
    # Only inside the solution region (removed from the release) does the letter appear.
    stripped = {
        c: re.sub(r"### BEGIN SOLUTION.*### END SOLUTION", "", cell.source, flags=re.S).replace(
            sealed[c], "SEALED"
        )
        for c, cell in cells.items()
    }
    assert stripped["a"] == stripped["b"] == stripped["c"]


def _questions():
    """(chapter id, grade_id, correct letter, explanation) of every question in the course."""
    import jupytext

    for source in course.chapter_sources():
        for cell in jupytext.read(source, fmt="py:percent").cells:
            if cell.metadata.get("role") == "question":
                _, _, explanation = question_parts(cell.source)
                yield source.stem, cell.metadata["grade_id"], cell.metadata["correct"], explanation


QUESTIONS = list(_questions())


def test_the_course_has_questions():
    assert len(QUESTIONS) >= 20


@pytest.mark.parametrize("chapter", sorted({q[0] for q in QUESTIONS}))
def test_released_notebooks_hold_no_correct_letter_and_a_seal_that_opens(chapter):
    nb = nbformat.read(learner_notebook(chapter), as_version=4)
    visible = "\n".join(cell.source for cell in nb.cells)
    assert "check_answer" not in visible
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for _, grade_id, correct, explanation in (q for q in QUESTIONS if q[0] == chapter):
        assert explanation not in visible, grade_id
        code = "\n".join(
            line
            for line in by_id[grade_id].source.splitlines()
            if not line.lstrip().startswith("#")
        )
        assert not re.search(r"""["'][a-h]["']""", code), (grade_id, code)
        sealed = re.search(r"""["']([A-Za-z0-9+/=]{16,})["']\)""", code).group(1)
        assert seal.unseal(grade_id, correct, sealed) == explanation, grade_id
