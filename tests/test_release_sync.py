"""The committed notebooks are exactly what the chapter sources produce.

Stored outputs aside (solutions/ keeps the outputs nbval compares). Regenerates each
chapter in memory (``release.solution_text``) and through nbgrader in a
temporary course (``release.generate_release``); nothing is written into the repository.
"""

import nbformat
import pytest

from resnet_lesson import course
from resnet_lesson.release import command as release
from resnet_lesson.release import outputs
from resnet_lesson.release.chapter import build_source

SOURCES = course.chapter_sources()


@pytest.mark.parametrize("chapter_source", SOURCES, ids=[s.stem for s in SOURCES])
def test_solutions_match_chapters(chapter_source):
    chapter_id, solution = release.solution_text(chapter_source)
    committed = course.solution_notebook(chapter_id)
    assert committed.exists(), f"{committed} is missing: run `resnet-lesson release`"
    # Its stored outputs aside (nbval compares them: tests/test_stored_outputs.py).
    assert not release.solution_differs(committed, solution), (
        f"{committed} differs from chapters/{chapter_source.name}: run `resnet-lesson release "
        f"{chapter_id}`"
    )


@pytest.mark.slow
@pytest.mark.parametrize("chapter_source", SOURCES, ids=[s.stem for s in SOURCES])
def test_release_matches_solutions(chapter_source):
    chapter_id = chapter_source.stem
    committed = course.learner_notebook(chapter_id)
    assert committed.exists(), f"{committed} is missing: run `resnet-lesson release`"
    stored = nbformat.read(course.solution_notebook(chapter_id), as_version=4)
    solution = nbformat.writes(outputs.without_outputs(stored)) + "\n"
    generated = release.generate_release(chapter_id, solution)
    assert committed.read_text() == generated, (
        f"{committed} differs from what nbgrader generates from the solutions: run "
        f"`resnet-lesson release {chapter_id}`"
    )


def test_every_solution_has_a_chapter_source_and_a_release():
    chapter_ids = {s.stem for s in SOURCES}
    solutions = set(course.chapter_ids())
    missing = solutions - chapter_ids
    assert not missing, f"solutions without a chapter source: {missing}"
    for chapter_id in chapter_ids:
        assert course.learner_notebook(chapter_id).exists(), chapter_id


@pytest.mark.parametrize("chapter_source", SOURCES[:1], ids=[s.stem for s in SOURCES[:1]])
def test_building_is_deterministic(chapter_source):
    """Building a chapter twice gives the same text, cell ids included.

    nbformat gives each new cell a random id; unless the cell helpers set ids
    derived from the cell, every ``resnet-lesson release`` rewrites every notebook.
    """
    first = nbformat.writes(build_source(chapter_source)[1])
    second = nbformat.writes(build_source(chapter_source)[1])
    assert first == second


@pytest.mark.parametrize("chapter_source", SOURCES, ids=[s.stem for s in SOURCES])
def test_every_hidden_check_follows_the_visible_check_in_its_cell(chapter_source):
    # check(..., thorough=True) tries only the cases the plain check() does not
    # (resnet_lesson/checks/__init__.py): a graded cell must run the plain one first.
    _, nb = build_source(chapter_source)
    for cell in nb.cells:
        hidden = [line for line in cell.source.splitlines() if "thorough=True" in line]
        for line in hidden:
            visible = line.replace(", thorough=True)", ")")
            before = cell.source[: cell.source.index(line)]
            assert visible in before.splitlines(), (
                f"{cell.metadata['nbgrader']['grade_id']}: `{line.strip()}` without "
                f"`{visible.strip()}` before it"
            )
            assert cell.metadata["nbgrader"].get("grade") and cell.metadata["nbgrader"].get(
                "locked"
            ), "the two calls must be in one locked graded cell"
