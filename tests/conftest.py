"""Shared test helpers: run ``resnet-lesson grade`` the way a learner does."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from resnet_lesson import course

ROOT = course.ROOT
# Chapters with a source notebook in solutions/ (new chapters are picked up).
chapter_ids = course.chapter_ids


def command_environment():
    """The environment a learner's shell would have: the venv's bin first, no pytest marker."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    return env


def run_grade(notebook, *options, timeout=900):
    """Run ``resnet-lesson grade NOTEBOOK --json OPTIONS``; return (returncode, json, stderr)."""
    script = Path(sys.executable).parent / "resnet-lesson"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "resnet_lesson.cli"]
    completed = subprocess.run(
        command + ["grade", str(notebook), "--json", *options],
        cwd=ROOT,
        env=command_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    result = None
    if completed.returncode == 0:
        lines = completed.stdout.strip().splitlines()
        assert len(lines) == 1, f"--json must print exactly one line:\n{completed.stdout}"
        result = json.loads(lines[0])
    return completed.returncode, result, completed.stderr


@pytest.fixture
def grade():
    return run_grade


def solution_answers(chapter):
    """{grade_id: source} of the answer cells of a chapter's source notebook."""
    import nbformat

    nb = nbformat.read(course.solution_notebook(chapter), as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }


def write_learner_notebook(path, chapter, answers=None, edit=None):
    """A learner's copy of a chapter: the release with answer cells filled in.

    ``answers``: {grade_id: source} for answer cells (default: the solutions' code; pass
    an empty dict to leave every stub). ``edit(nb)`` may change the notebook further.
    """
    import nbformat

    nb = nbformat.read(course.learner_notebook(chapter), as_version=4)
    answers = solution_answers(chapter) if answers is None else answers
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    if edit is not None:
        edit(nb)
    path = Path(path) / f"{chapter}.ipynb"
    nbformat.write(nb, path)
    return path


def check_as_graded(check_module, learner):
    """What a graded test cell runs: the visible check, then the hidden test's own cases."""
    check_module.check(learner)
    check_module.check(learner, thorough=True)


def check_failure(check_module, learner):
    """The one-sentence message of the visible check's ``CheckFailed`` for ``learner``."""
    from resnet_lesson.checks.verdict import CheckFailed

    with pytest.raises(CheckFailed) as raised:
        check_module.check(learner)
    return raised.value.message


def _shares_state_within_module(item):
    """Whether ``item`` uses a module- or class-scoped fixture (built once per module)."""
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is None:
        return False
    return any(
        definition.scope in ("module", "class")
        for definitions in fixture_info.name2fixturedefs.values()
        for definition in definitions
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Order and group the tests for pytest-xdist (``make test`` runs ``-n auto --dist
    loadgroup``); harmless without it.

    - One group per notebook under nbval: its cells run in order in one kernel.
    - One group per module that builds a module-scoped fixture, so it is built once.
    - Notebooks and slow tests first, so that no worker is left alone with a long one at
      the end (a stable sort: nbval's cells keep their order).
    """
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
        elif _shares_state_within_module(item):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
    items.sort(
        key=lambda item: not (item.path.suffix == ".ipynb" or item.get_closest_marker("slow"))
    )


def run_nbgrader(course, *args):
    """Run a stock ``nbgrader`` command in ``course`` as an instructor would; assert it
    succeeded and return the completed process."""
    completed = subprocess.run(
        ["nbgrader", *args],
        cwd=course,
        env=command_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def define_capstone_class(source, filename="<answer cell>"):
    """The ``ResNetModel`` a chapter 12 answer cell defines, with the names the chapter
    gives it, and its source readable by ``inspect`` (as a notebook cell's is)."""
    import linecache

    import keras
    import tensorflow as tf

    from resnet_lesson import capstone
    from resnet_lesson.model import BLOCK_LAYER_SIZES
    from resnet_lesson.preprocessing import resized_shape

    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = dict(
        ResNetBase=capstone.ResNetBase,
        keras=keras,
        tf=tf,
        BLOCK_LAYER_SIZES=BLOCK_LAYER_SIZES,
        resized_shape=resized_shape,
    )
    exec(compile(source, filename, "exec"), namespace)
    return namespace["ResNetModel"]
