"""The feedback a learner gets never shows the hidden tests.

An autograded notebook holds each graded test cell in full, hidden tests included
(nbgrader ran them there). ``StripHiddenTests`` (nbgrader_config.py registers it in
``GenerateFeedback.preprocessors``) removes them, markers included, before
``nbgrader generate_feedback`` writes the HTML; ``resnet-lesson grade --graded-copy``
applies it too. The check's verdict and the score stay.
"""

import copy
import hashlib
import html
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import (
    ROOT,
    chapter_ids,
    command_environment,
    run_grade,
    run_nbgrader,
    write_learner_notebook,
)
from nbformat.v4 import new_code_cell, new_notebook, new_output
from test_browser import WRONG, with_body

from resnet_lesson.course import (
    NBGRADER_CONFIG,
    learner_notebook,
    nbgrader_config,
    solution_notebook,
)
from resnet_lesson.grading.preprocessors import StripHiddenTests

CHAPTER = "ch03_custom_padding"  # the quickest chapter to grade with an exercise
ANSWER_ID, WRONG_BODY = WRONG[CHAPTER]
CHECK_ID = f"{ANSWER_ID}_tests"
HIDDEN_CALL = "thorough=True"
# What no learner-facing text may contain (the quiz questions' hidden tests hold the
# right answer in a call to quiz.check_answer).
NEVER_SHOWN = ("HIDDEN TESTS", HIDDEN_CALL, "check_answer")
TIMEOUT = 20  # seconds per cell for the notebook that loops in the hidden test only

VISIBLE = "from resnet_lesson.checks import custom_padding as custom_padding_check\n\n"
VISIBLE += "custom_padding_check.check(ResNetModel)"
TEST_CELL = (
    f"{VISIBLE}\n"
    "### BEGIN HIDDEN TESTS\n"
    "custom_padding_check.check(ResNetModel, thorough=True)\n"
    "### END HIDDEN TESTS"
)
# IPython's traceback of a check stopped inside the hidden part (as an autograded
# notebook holds it: colour codes, the cell's lines around the failing one, numbered).
CELL_FRAME = (
    "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[5]\x1b[39m\x1b[32m, line 7\x1b[39m\n"
    "\x1b[32m      3\x1b[39m \x1b[38;5;28;01mfrom\x1b[39;00m resnet_lesson.checks "
    "\x1b[38;5;28;01mimport\x1b[39;00m custom_padding \x1b[38;5;28;01mas\x1b[39;00m "
    "custom_padding_check\n"
    "\x1b[32m      4\x1b[39m \n"
    "\x1b[32m      5\x1b[39m custom_padding_check.check(ResNetModel)\n"
    "\x1b[32m      6\x1b[39m \x1b[38;5;66;03m### BEGIN HIDDEN TESTS\x1b[39;00m\n"
    "\x1b[32m----> \x1b[39m\x1b[32m7\x1b[39m custom_padding_check.check(ResNetModel, "
    "thorough=\x1b[38;5;28;01mTrue\x1b[39;00m)\n"
    "\x1b[32m      8\x1b[39m \x1b[38;5;66;03m### END HIDDEN TESTS\x1b[39;00m\n"
)
ENGINE_FRAME = (
    "File session.py:587, in checked(target, thorough)\n"
    "\x1b[32m--> 587\x1b[39m     result = check(target, thorough=thorough)\n"
)


def _graded(source, grade_id, solution=False, outputs=()):
    cell = new_code_cell(source, outputs=list(outputs))
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": solution,
        "locked": not solution,
        "grade_id": grade_id,
        "points": 3,
        "schema_version": 3,
    }
    return cell


def _interrupted():
    return new_output(
        "error",
        ename="KeyboardInterrupt",
        evalue="",
        traceback=["\x1b[31m-----\x1b[39m", CELL_FRAME, ENGINE_FRAME, "KeyboardInterrupt: "],
    )


def _plain(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def test_the_hidden_region_and_the_traceback_lines_quoting_it_are_removed():
    verdict = new_output(
        "error", ename="CheckFailed", evalue="", traceback=["\u274c custom_padding: wrong"]
    )
    answer = "def f():\n    ### BEGIN HIDDEN TESTS\n    return 1  # the learner's own text"
    nb = new_notebook(
        cells=[
            _graded(TEST_CELL, "custom_padding_tests", outputs=[verdict]),
            _graded(TEST_CELL, "custom_padding_q1_test", outputs=[_interrupted()]),
            _graded(answer, "custom_padding", solution=True),
            new_code_cell("print('ungraded')"),
        ]
    )
    before = copy.deepcopy(nb)

    stripped, _ = StripHiddenTests().preprocess(nb, {})

    failed, stopped, answered, ungraded = stripped.cells
    assert failed.source == VISIBLE
    assert failed.outputs == before.cells[0].outputs  # the verdict, untouched
    assert stopped.source == VISIBLE
    frames = [_plain(entry) for entry in stopped.outputs[0].traceback]
    for hidden in NEVER_SHOWN[:2]:
        assert not any(hidden in frame for frame in frames), frames
    # What is not hidden stays: the cell's visible lines, the other frames, the error.
    assert frames[1].splitlines() == [
        "Cell In[5], line 7",
        "      3 from resnet_lesson.checks import custom_padding as custom_padding_check",
        "      4 ",
        "      5 custom_padding_check.check(ResNetModel)",
    ]
    assert frames[2:] == [_plain(ENGINE_FRAME), "KeyboardInterrupt: "]
    assert (answered, ungraded) == tuple(before.cells[2:])  # the learner's cells as written


def test_a_graded_cell_without_hidden_tests_is_left_alone():
    cell = _graded(VISIBLE, "custom_padding_tests", outputs=[_interrupted()])
    nb = new_notebook(cells=[cell])
    before = copy.deepcopy(nb)
    assert StripHiddenTests().preprocess(nb, {})[0] == before


@pytest.mark.parametrize("chapter", chapter_ids())
def test_the_feedback_shows_each_test_cell_as_released(chapter):
    """Stripped, the course's test cells read exactly as in the learner's notebook."""

    def test_cells(nb):
        return {
            cell.metadata["nbgrader"]["grade_id"]: cell.source
            for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
            and not cell.metadata["nbgrader"].get("solution")
        }

    source = nbformat.read(solution_notebook(chapter), as_version=4)
    release = nbformat.read(learner_notebook(chapter), as_version=4)
    assert any("HIDDEN TESTS" in s for s in test_cells(source).values())
    stripped, _ = StripHiddenTests().preprocess(source, {})
    assert test_cells(stripped) == test_cells(release)


def test_the_course_config_strips_hidden_tests_in_generate_feedback():
    """nbgrader's GenerateFeedback, made with the course's config, runs StripHiddenTests
    first and still every preprocessor it runs by default."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(NBGRADER_CONFIG, path=str(ROOT)).load_config()
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    assert converter.preprocessors[0] is StripHiddenTests
    nbgrader_default = GenerateFeedback.class_traits()["preprocessors"].default()
    assert set(nbgrader_default) <= set(converter.preprocessors)


# A learner whose answer passes the visible check and loops in the hidden test only: the
# check is stopped inside the hidden part, so its traceback points at the hidden call.
def _loops_in_the_hidden_test_only():
    from resnet_lesson.checks import custom_padding

    visible = {case.kwargs["kernel_size"] for case in custom_padding.cases()}
    hidden = {case.kwargs["kernel_size"] for case in custom_padding.cases(thorough=True)}
    kernel_size = min(hidden - visible)
    return (
        f"while kernel_size == {kernel_size}:  # only the hidden test's cases get here\n"
        "    pass\n"
        "before = (kernel_size - 1) // 2\n"
        "spatial = [before, kernel_size - 1 - before]\n"
        "if self.data_format == 'channels_first':\n"
        "    return keras.ops.pad(inputs, [[0, 0], [0, 0], spatial, spatial])\n"
        "return keras.ops.pad(inputs, [[0, 0], spatial, spatial, [0, 0]])"
    )


def _learner_notebook(folder, body):
    def answer(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == ANSWER_ID:
                cell.source = with_body(cell.source, body)

    folder.mkdir(parents=True, exist_ok=True)
    return write_learner_notebook(folder, CHAPTER, answers={}, edit=answer)


def _expected_sentence():
    from test_browser_exchange import expected_sentence

    return expected_sentence()


def _shown_text(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.notebooks
def test_stock_generate_feedback_shows_the_sentence_and_no_hidden_tests(tmp_path):
    """nbgrader's own commands on a course folder with the course's config: a wrong
    answer, and one stopped inside the hidden test (a traceback through it)."""
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(nbgrader_config(), course)
    shutil.copytree(solution_notebook(CHAPTER).parent, solution_notebook(CHAPTER, course).parent)
    submitted = {
        "wrong": _learner_notebook(course / "submitted" / "wrong" / CHAPTER, WRONG_BODY),
        "loops": _learner_notebook(
            course / "submitted" / "loops" / CHAPTER, _loops_in_the_hidden_test_only()
        ),
    }
    before = {student: _sha256(path) for student, path in submitted.items()}

    def nbgrader(*args):
        run_nbgrader(course, *args)

    nbgrader("generate_assignment", CHAPTER)
    nbgrader("autograde", CHAPTER, f"--Execute.timeout={TIMEOUT}")
    nbgrader("generate_feedback", CHAPTER)

    assert {student: _sha256(path) for student, path in submitted.items()} == before
    for student in submitted:
        autograded = course / "autograded" / student / CHAPTER / f"{CHAPTER}.ipynb"
        assert HIDDEN_CALL in autograded.read_text()  # the instructor's copy keeps them
        page = (course / "feedback" / student / CHAPTER / f"{CHAPTER}.html").read_text()
        shown = _shown_text(page)
        assert f"{CHAPTER} (Score: 0.0 / " in shown
        code = html.unescape(re.sub(r"<[^>]+>", "", page))  # highlighted: tags in words
        assert "custom_padding_check.check(ResNetModel)" in code  # the visible check
        for hidden in NEVER_SHOWN:
            assert hidden not in page and hidden not in shown, (student, hidden)
    wrong = _shown_text((course / "feedback" / "wrong" / CHAPTER / f"{CHAPTER}.html").read_text())
    assert f"\u274c {' '.join(_expected_sentence().split())}" in wrong
    loops = _shown_text((course / "feedback" / "loops" / CHAPTER / f"{CHAPTER}.html").read_text())
    assert "KeyboardInterrupt" in loops  # the stopped check's traceback, hidden lines out


@pytest.mark.slow
@pytest.mark.notebooks
def test_resnet_lesson_grade_shows_sentences_and_no_hidden_tests(tmp_path):
    """Its text and --json give one sentence per graded cell; --graded-copy is the
    autograded notebook without the hidden tests (the learner's file is only read)."""
    notebook = _learner_notebook(tmp_path / "learner", _loops_in_the_hidden_test_only())
    before = _sha256(notebook)
    graded_copy = tmp_path / "graded.ipynb"

    code, result, err = run_grade(
        notebook, "--graded-copy", str(graded_copy), "--timeout", str(TIMEOUT)
    )

    assert code == 0, err
    assert _sha256(notebook) == before
    feedback = result["exercises"][CHECK_ID]["feedback"]
    assert feedback.startswith(f"stopped after {TIMEOUT} s without finishing"), feedback
    copy_text = graded_copy.read_text()
    assert "custom_padding_check.check(ResNetModel)" in copy_text
    assert "KeyboardInterrupt" in copy_text
    for hidden in NEVER_SHOWN:
        assert hidden not in err and hidden not in str(result), hidden
        assert hidden not in copy_text, hidden

    wrong = _learner_notebook(tmp_path / "wrong", WRONG_BODY)
    done = subprocess.run(
        [sys.executable, "-m", "resnet_lesson.cli", "grade", str(wrong)],
        cwd=ROOT,
        env=command_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert " ".join(_expected_sentence().split()) in " ".join(done.stdout.split())
    for hidden in NEVER_SHOWN:
        assert hidden not in done.stdout + done.stderr, hidden
