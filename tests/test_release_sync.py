"""The committed notebooks are exactly what the authoring scripts produce.

Regenerates each chapter in memory (``release.build_source``) and through nbgrader in a
temporary course (``release.generate_release``); nothing is written into the repository.
"""

import nbformat
import pytest

from resnet_lesson import release

SCRIPTS = release.chapter_scripts()


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_solutions_match_authoring(script):
    chapter_id, nb = release.build_source(script)
    committed = release.source_path(chapter_id)
    assert committed.exists(), f"{committed} is missing: run `resnet-lesson release`"
    assert committed.read_text() == nbformat.writes(nb) + "\n", (
        f"{committed} differs from authoring/{script.name}: run `resnet-lesson release "
        f"{chapter_id}`")


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_release_matches_solutions(script):
    chapter_id = script.stem
    committed = release.release_path(chapter_id)
    assert committed.exists(), f"{committed} is missing: run `resnet-lesson release`"
    generated = release.generate_release(chapter_id)
    assert committed.read_text() == generated, (
        f"{committed} differs from what nbgrader generates from the solutions: run "
        f"`resnet-lesson release {chapter_id}`")


def test_every_solution_has_a_script_and_a_release():
    scripts = {s.stem for s in SCRIPTS}
    solutions = {p.parent.name for p in release.SOLUTIONS.glob("*/*.ipynb")}
    assert solutions <= scripts, f"solutions without an authoring script: {solutions - scripts}"
    for chapter_id in scripts:
        assert release.release_path(chapter_id).exists(), chapter_id


@pytest.mark.parametrize("script", SCRIPTS[:1], ids=[s.stem for s in SCRIPTS[:1]])
def test_authoring_is_deterministic(script):
    """Building a chapter twice gives the same text, cell ids included.

    nbformat gives each new cell a random id; unless the authoring helpers set ids
    derived from the cell, every ``resnet-lesson release`` rewrites every notebook.
    """
    first = nbformat.writes(release.build_source(script)[1])
    second = nbformat.writes(release.build_source(script)[1])
    assert first == second


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_every_hidden_check_follows_the_visible_check_in_its_cell(script):
    # check(..., thorough=True) tries only the cases the plain check() does not
    # (resnet_lesson/checks/__init__.py): a graded cell must run the plain one first.
    _, nb = release.build_source(script)
    for cell in nb.cells:
        hidden = [line for line in cell.source.splitlines() if "thorough=True" in line]
        for line in hidden:
            visible = line.replace(", thorough=True)", ")")
            before = cell.source[:cell.source.index(line)]
            assert visible in before.splitlines(), (
                f"{cell.metadata['nbgrader']['grade_id']}: `{line.strip()}` without "
                f"`{visible.strip()}` before it")
            assert cell.metadata["nbgrader"].get("grade") and cell.metadata["nbgrader"].get(
                "locked"), "the two calls must be in one locked graded cell"
