"""``resnet-lesson grade``: the command a learner runs, tested through the command line."""

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import (
    ROOT,
    chapter_ids,
    command_environment,
    run_grade,
    run_nbgrader,
    solution_answers,
    write_learner_notebook,
)

from resnet_lesson.course import learner_notebook, nbgrader_config, solution_notebook
from resnet_lesson.grading import autograde, submission
from resnet_lesson.release.cells import QUESTION_POINTS

CHAPTER = "ch06_regular_block"
# Its graded cells: the regular_block check (3 points) and three questions.
CHAPTER_POINTS = 3 + 3 * QUESTION_POINTS
GRADED = [
    "regular_block_tests",
    "regular_block_q1_test",
    "regular_block_q2_test",
    "regular_block_q3_test",
]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_importing_the_grader_does_not_import_tensorflow():
    code = (
        "import sys, resnet_lesson.grading.command, resnet_lesson.grading.preprocessors; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'resnet_lesson.model')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=command_environment(),
        check=True,
    ).stdout
    assert out.strip() == "[]"


# -- could not grade: a clear one-line message and a non-zero status ----------------------


def test_unknown_notebook_name(tmp_path, grade):
    path = write_learner_notebook(tmp_path, CHAPTER)
    renamed = path.with_name("my_homework.ipynb")
    path.rename(renamed)
    code, result, err = grade(renamed)
    assert code != 0 and result is None
    assert "my_homework.ipynb: no course notebook has this name" in err
    assert len(err.strip().splitlines()) == 1


def test_file_that_is_not_json(tmp_path, grade):
    path = tmp_path / f"{CHAPTER}.ipynb"
    path.write_text("this is not a notebook {")
    code, result, err = grade(path)
    assert code != 0 and result is None
    assert "not valid JSON" in err and len(err.strip().splitlines()) == 1


def test_json_that_is_not_a_notebook(tmp_path, grade):
    path = tmp_path / f"{CHAPTER}.ipynb"
    path.write_text(json.dumps({"hello": "world"}))
    code, result, err = grade(path)
    assert code != 0 and "not a Jupyter notebook" in err


def test_missing_file(tmp_path, grade):
    code, result, err = grade(tmp_path / f"{CHAPTER}.ipynb")
    assert code != 0 and "no such file" in err


def test_a_browser_copy_is_graded_as_its_chapter():
    assert submission.chapter_for(f"/x/{CHAPTER} (1).ipynb") == CHAPTER
    assert submission.chapter_for(f"{CHAPTER}-Copy1.ipynb") == CHAPTER
    with pytest.raises(submission.GradingError):
        submission.chapter_for("notes.ipynb")


def test_every_chapter_is_known():
    assert CHAPTER in chapter_ids()
    assert all(submission.chapter_for(f"{c}.ipynb") == c for c in chapter_ids())


def test_default_timeout_is_two_minutes_per_cell(tmp_path):
    config = autograde.course_config(tmp_path, None)
    assert config.Execute.timeout == 120
    assert autograde.course_config(tmp_path, 7).Execute.timeout == 7
    assert config.Execute.shutdown_kernel == "immediate"  # resnet-lesson grade's, not stock's


def test_the_gradebook_schema_version_is_read_without_a_subprocess(monkeypatch):
    # run_autograde swaps nbgrader's `alembic heads` subprocess (3 s of every grading) for
    # this in-process reading; a silent fallback to the subprocess went unnoticed once.
    import nbgrader.api

    expected = nbgrader.api.get_alembic_version()
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    assert autograde.alembic_head() == expected


def test_a_gradebook_made_in_process_is_the_one_nbgrader_makes(tmp_path, monkeypatch):
    # run_autograde makes the scratch gradebook itself (create_gradebook), so that
    # nbgrader opens an existing one and never runs its `alembic heads` subprocess.
    import nbgrader.api
    from sqlalchemy import create_engine, inspect, text

    def schema(url):
        engine = create_engine(url)
        try:
            tables = inspect(engine)
            with engine.connect() as connection:
                version = connection.execute(text("SELECT version_num FROM alembic_version"))
                return version.all(), {
                    name: [column["name"] for column in tables.get_columns(name)]
                    for name in tables.get_table_names()
                }
        finally:
            engine.dispose()

    theirs, ours = (f"sqlite:///{tmp_path / name}.db" for name in ("theirs", "ours"))
    nbgrader.api.Gradebook(theirs).close()
    assert autograde.create_gradebook(ours)
    assert not autograde.create_gradebook(ours)  # an existing gradebook is left alone

    def no_subprocess():
        raise AssertionError("nbgrader asked alembic for the schema version")

    monkeypatch.setattr(nbgrader.api, "get_alembic_version", no_subprocess)
    with nbgrader.api.Gradebook(ours) as gradebook:
        gradebook.add_student("alice")
    assert schema(ours) == schema(theirs)


# -- tidying a submission (in-process; no kernel) ----------------------------------------


def _release():
    return nbformat.read(learner_notebook(CHAPTER), as_version=4)


def _source():
    return nbformat.read(solution_notebook(CHAPTER), as_version=4)


def _ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def test_tidy_leaves_an_untouched_release_alone():
    nb, notes = submission.tidy(_release(), _release(), _source())
    assert notes == [] and _ids(nb) == _ids(_release())


def test_tidy_puts_back_a_deleted_test_cell_in_its_place():
    nb = _release()
    index = _ids(nb).index("regular_block_tests")
    del nb.cells[index]
    tidied, notes = submission.tidy(nb, _release(), _source())
    named = [i for i in _ids(tidied) if i]
    assert named == [i for i in _ids(_release()) if i]
    assert named.index("regular_block_tests") == named.index("regular_block") + 1
    assert notes == [
        "test cell 'regular_block_tests' was missing: the course's version was put back."
    ]


def test_tidy_keeps_one_copy_of_a_copied_cell():
    nb = _release()
    index = _ids(nb).index("regular_block_tests")
    nb.cells.insert(index, nbformat.from_dict(dict(nb.cells[index])))
    tidied, notes = submission.tidy(nb, _release(), _source())
    assert _ids(tidied).count("regular_block_tests") == 1
    assert "appears 2 times" in notes[0]


# -- graded through the command line -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.notebooks
def test_a_correct_notebook_scores_full_marks_and_is_not_modified(tmp_path):
    path = write_learner_notebook(tmp_path, CHAPTER)
    before = sha256(path), path.stat().st_mtime_ns
    completed = subprocess.run(
        [sys.executable, "-m", "resnet_lesson.cli", "grade", str(path)],
        cwd=ROOT,
        env=command_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stderr
    assert (sha256(path), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    out = completed.stdout
    assert f"Total: {CHAPTER_POINTS:g} / {CHAPTER_POINTS:g}" in out
    assert "regular_block is correct" in out
    assert completed.stderr == ""


@pytest.mark.slow
@pytest.mark.notebooks
def test_the_untouched_release_scores_zero_with_feedback(tmp_path, grade):
    path = tmp_path / f"{CHAPTER}.ipynb"
    shutil.copy(learner_notebook(CHAPTER), path)
    before = sha256(path)
    code, result, err = grade(path)
    assert code == 0, err
    assert sha256(path) == before
    assert set(result) == {"notebook", "score", "max_score", "exercises"}
    assert result["notebook"] == str(path)
    assert result["score"] == 0.0 and result["max_score"] == CHAPTER_POINTS
    assert list(result["exercises"]) == GRADED
    for entry in result["exercises"].values():
        assert set(entry) == {"score", "max_score", "feedback"}
        assert isinstance(entry["score"], float) and isinstance(entry["max_score"], float)
        assert entry["score"] == 0.0 and entry["feedback"]
    assert result["exercises"]["regular_block_tests"] == {
        "score": 0.0,
        "max_score": 3.0,
        "feedback": "regular_block: not written yet: replace raise NotImplementedError() "
        "with your code.",
    }
    assert "regular_block_q1_answer" in result["exercises"]["regular_block_q1_test"]["feedback"]
    assert sum(e["max_score"] for e in result["exercises"].values()) == result["max_score"]


@pytest.mark.slow
@pytest.mark.notebooks
def test_instructor_path_stock_nbgrader_commands(tmp_path):
    """generate_assignment, a submission, autograde, generate_feedback and export."""
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(nbgrader_config(), nbgrader_config(course))
    shutil.copytree(solution_notebook(CHAPTER).parent, solution_notebook(CHAPTER, course).parent)

    def nbgrader(*args):
        return run_nbgrader(course, *args)

    nbgrader("generate_assignment", CHAPTER)
    released = learner_notebook(CHAPTER, course)
    assert released.read_text() == learner_notebook(CHAPTER).read_text()
    submitted = course / "submitted" / "alice" / CHAPTER
    submitted.mkdir(parents=True)
    # Alice answers everything right but the first question.
    answers = solution_answers(CHAPTER)
    question = "regular_block_q1"
    right = re.search(r'= "([a-z])"', answers[question]).group(1)
    wrong = next(letter for letter in "abcd" if letter != right)
    answers[question] = f'{question}_answer = "{wrong}"'
    write_learner_notebook(submitted, CHAPTER, answers)
    nbgrader("autograde", CHAPTER)
    nbgrader("generate_feedback", CHAPTER)
    feedback = (course / "feedback" / "alice" / CHAPTER / f"{CHAPTER}.html").read_text()
    # The feedback page holds the whole verdict (wrapped into lines, none cut off).
    verdict = question_verdict(CHAPTER, question, wrong)
    assert len(verdict) > 1
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", feedback)).split())
    assert " ".join(" ".join(verdict).split()) in shown
    # The grader's guard line ran in every graded cell but is not shown to the learner.
    assert "guard.py" not in feedback and "resnet-lesson grader" not in feedback
    nbgrader("export")
    rows = (course / "grades.csv").read_text().splitlines()
    header, row = rows[0].split(","), rows[1].split(",")
    record = dict(zip(header, row))
    assert record["student_id"] == "alice"
    assert float(record["score"]) == CHAPTER_POINTS - QUESTION_POINTS
    assert float(record["max_score"]) == CHAPTER_POINTS


def question_verdict(chapter, question, answer):
    """The lines nbgrader records for ``answer`` to ``question``: its graded test cell
    (hidden part included) run here, where a failed check raises as under nbgrader."""
    from resnet_lesson.checks.verdict import CheckFailed

    nb = nbformat.read(solution_notebook(chapter), as_version=4)
    (test,) = [
        cell.source
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade_id") == f"{question}_test"
    ]
    with pytest.raises(CheckFailed) as raised:
        exec(test, {f"{question}_answer": answer})
    return raised.value._render_traceback_()


@pytest.mark.slow
@pytest.mark.notebooks
def test_an_interrupted_grading_leaves_nothing_behind(tmp_path):
    import signal
    import time

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(command_environment(), TMPDIR=str(scratch))
    path = write_learner_notebook(tmp_path, CHAPTER)
    before = sha256(path)
    process = subprocess.Popen(
        [sys.executable, "-m", "resnet_lesson.cli", "grade", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(scratch.glob("resnet-lesson-grade-*")):
        time.sleep(0.2)
    time.sleep(3)  # nbgrader is now generating or autograding
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=120)
    assert process.returncode != 0
    assert not any(scratch.glob("resnet-lesson-grade-*"))
    assert sha256(path) == before
    code, result, err = run_grade(path)
    assert code == 0 and result["score"] == result["max_score"], err


def test_tidy_turns_a_renamed_cell_into_an_ordinary_one_and_restores_the_original():
    nb = _release()
    nb.cells[_ids(nb).index("regular_block_tests")].metadata["nbgrader"]["grade_id"] = "mine"
    tidied, notes = submission.tidy(nb, _release(), _source())
    assert "mine" not in _ids(tidied) and "regular_block_tests" in _ids(tidied)
    assert any("unknown grade_id 'mine'" in note for note in notes)
    assert any("'regular_block_tests' was missing" in note for note in notes)


@pytest.mark.slow
@pytest.mark.notebooks
def test_a_cell_that_ends_its_kernel_costs_only_the_cells_that_needed_it(tmp_path, grade):
    """``os._exit(1)`` in an answer: a fresh kernel grades the rest (it used to be exit 2)."""
    from conftest import solution_answers

    chapter = "ch03_custom_padding"
    answers = solution_answers(chapter)
    answers["custom_padding"] = "import os\nos._exit(1)\n" + answers["custom_padding"]
    code, result, err = grade(write_learner_notebook(tmp_path, chapter, answers=answers))
    assert code == 0, err
    exercises = result["exercises"]
    assert exercises["custom_padding_tests"]["score"] == 0
    assert "the kernel died" in exercises["custom_padding_tests"]["feedback"]
    questions = [e for g, e in exercises.items() if g != "custom_padding_tests"]
    assert len(questions) == 3 and all(e["score"] == e["max_score"] for e in questions)
