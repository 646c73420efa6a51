"""Regeneration never overwrites a learner's work (resnet_lesson.release.command)."""

import shutil

import nbformat
import pytest

from resnet_lesson import course
from resnet_lesson.release import command as release

CHAPTER = "ch06_regular_block"


@pytest.fixture
def course_copy(tmp_path):
    """A scratch course root holding chapter 6's source, solution and release."""
    for notebook in (course.solution_notebook, course.learner_notebook):
        shutil.copytree(notebook(CHAPTER).parent, notebook(CHAPTER, tmp_path).parent)
    (tmp_path / "chapters").mkdir()
    shutil.copy2(course.chapter_source(CHAPTER), course.chapter_source(CHAPTER, tmp_path))
    return tmp_path


def _answer(path, source):
    nb = nbformat.read(str(path), as_version=4)
    cell = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "regular_block"
    )
    cell.source = source
    nbformat.write(nb, str(path))


def test_a_fresh_release_is_not_learner_work(course_copy):
    assert not release.learner_edited(course.learner_notebook(CHAPTER, course_copy))


def test_a_typed_answer_is_learner_work(course_copy):
    path = course.learner_notebook(CHAPTER, course_copy)
    _answer(path, "class ResNetModel: pass  # my attempt")
    assert release.learner_edited(path)


def test_a_run_cell_is_learner_work(course_copy):
    path = course.learner_notebook(CHAPTER, course_copy)
    nb = nbformat.read(str(path), as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 1
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    nbformat.write(nb, str(path))
    assert release.learner_edited(path)


def test_an_unreadable_notebook_is_kept(course_copy):
    path = course.learner_notebook(CHAPTER, course_copy)
    path.write_text("{ not json")
    assert release.learner_edited(path)


@pytest.mark.slow
def test_release_refuses_to_overwrite_work_and_force_keeps_a_backup(course_copy):
    path = course.learner_notebook(CHAPTER, course_copy)
    _answer(path, "class ResNetModel: pass  # my attempt")
    work = path.read_bytes()
    with pytest.raises(SystemExit, match="holds your work"):
        release.release(only={CHAPTER}, root=course_copy)
    assert path.read_bytes() == work
    release.release(force=True, only={CHAPTER}, root=course_copy)
    assert path.with_suffix(".ipynb.bak").read_bytes() == work
    assert not release.learner_edited(path)
