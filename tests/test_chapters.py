"""The chapter sources (chapters/*.py): jupytext files that round-trip, edited as notebooks,
expanded by role, and checked by ``resnet-lesson release --check``."""

import shutil

import jupytext
import nbformat
import pytest

from resnet_lesson import cli, course
from resnet_lesson.release import command
from resnet_lesson.release.chapter import expand, question_parts

SOURCES = course.chapter_sources()
CHAPTER = "ch06_regular_block"


@pytest.fixture
def course_copy(tmp_path):
    """A scratch course root holding chapter 6's source, solution and learner notebook."""
    (tmp_path / "chapters").mkdir()
    shutil.copy2(course.chapter_source(CHAPTER), course.chapter_source(CHAPTER, tmp_path))
    for notebook in (course.solution_notebook, course.learner_notebook):
        shutil.copytree(notebook(CHAPTER).parent, notebook(CHAPTER, tmp_path).parent)
    shutil.copy2(course.nbgrader_config(), course.nbgrader_config(tmp_path))
    return tmp_path


def _snapshot(root):
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_jupytext_gives_back_the_same_text(path):
    text = path.read_text()
    assert jupytext.writes(jupytext.read(path), fmt="py:percent") == text


def test_every_chapter_has_a_source():
    assert [p.stem for p in SOURCES] == course.chapter_ids()


def test_a_question_reads_prompt_choices_and_wrapped_explanation():
    prompt, choices, explanation = question_parts(
        "Which conv\nmay stride?\n\n- both\n- only the\n  first\n\n> The second keeps\n> the size."
    )
    assert prompt == "Which conv may stride?"
    assert choices == ["both", "only the first"]
    assert explanation == "The second keeps the size."


def test_a_question_without_an_explanation_is_refused():
    with pytest.raises(ValueError, match="explanation"):
        question_parts("Which conv may stride?\n\n- both\n- the first")


def test_a_misspelt_field_is_refused():
    cell = nbformat.v4.new_code_cell(
        "x = 1", metadata={"role": "tests", "grade_id": "x_tests", "point": 3}
    )
    with pytest.raises(ValueError, match="point"):
        expand(cell, CHAPTER)


def test_jupytext_layout_fields_stay_out_of_the_notebook():
    cell = nbformat.v4.new_code_cell(
        "x = 1", metadata={"role": "given", "grade_id": "x", "lines_to_next_cell": 2}
    )
    [built] = expand(cell, CHAPTER)
    assert set(built.metadata) == {"nbgrader"}


@pytest.mark.slow
def test_a_prose_edit_reaches_the_solution_notebook_and_nothing_else(course_copy):
    source = course.chapter_source(CHAPTER, course_copy)
    solution = course.solution_notebook(CHAPTER, course_copy)
    before = nbformat.read(solution, as_version=4)
    # Edit as JupyterLab would: in the notebook form, then saved back as percent text.
    nb = jupytext.read(source)
    index = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and c.source.startswith("## Learning the identity")
    )
    nb.cells[index].source = nb.cells[index].source.replace(
        "## Learning the identity", "## Learning to do nothing"
    )
    jupytext.write(nb, source, fmt="py:percent")

    written = command.release(only={CHAPTER}, root=course_copy)

    assert str(solution.relative_to(course_copy)) in written
    after = nbformat.read(solution, as_version=4)
    changed = [
        (old.id, old.source, new.source)
        for old, new in zip(before.cells, after.cells, strict=True)
        if old != new
    ]
    assert len(changed) == 1
    cell_id, old_text, new_text = changed[0]
    assert new_text == old_text.replace("## Learning the identity", "## Learning to do nothing")
    assert "## Learning to do nothing" in course.learner_notebook(CHAPTER, course_copy).read_text()


@pytest.mark.slow
def test_check_passes_when_current_and_names_stale_files_writing_nothing(
    course_copy, monkeypatch, capsys
):
    monkeypatch.setattr(course, "ROOT", course_copy)
    assert cli.main(["release", "--check"]) == 0

    source = course.chapter_source(CHAPTER, course_copy)
    source.write_text(source.read_text().replace("## Recap", "## Summary"))
    files = _snapshot(course_copy)
    capsys.readouterr()
    assert cli.main(["release", "--check"]) == 1
    assert _snapshot(course_copy) == files  # --check writes nothing
    stale = [
        course.solution_notebook(CHAPTER, course_copy),
        course.learner_notebook(CHAPTER, course_copy),
    ]
    assert capsys.readouterr().err.splitlines() == [
        f"{path.relative_to(course_copy)} is out of date: run `resnet-lesson release`"
        for path in stale
    ]
