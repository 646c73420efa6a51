"""What the course is made of, and where each part lives: asked by everything else.

- ``ROOT``: the repository (``chapters/``, ``solutions/``, ``notebooks/``,
  ``nbgrader_config.py``, ``docs/``): the folder above this package. Each function that
  takes ``root`` reads the same layout under another folder (a scratch course).
- ``chapter_ids``: the chapters, found as the source notebooks in ``solutions/`` (a new
  chapter is picked up); ``chapter_sources``: the chapter files in ``chapters/``.
- ``chapter_source``, ``solution_notebook``, ``learner_notebook``: a chapter's files;
  ``chapter_notebook``: a chapter's notebook in any folder of nbgrader's layout.
- ``submitted_folder``, ``submitted_notebook``, ``autograded_notebook``, ``gradebook_url``:
  where nbgrader keeps submissions, their graded copies and the gradebook in a grading
  course (the repository, or a scratch copy).
- ``EXERCISES``: each graded exercise with a check: its chapter, the ``ResNetModel``
  method it asks for, its check module in ``resnet_lesson.checks`` (whose ``EXERCISE``
  has that name). ``capstone.OUTLINE_METHODS`` and ``checks.capstone.CHECK_MODULES`` are
  read from it; ``tests/test_course.py`` holds each check's ``EXERCISE`` to it.

A leaf: it imports no course module and no TensorFlow (the command line, the grader and
the learner's kernel all read it).
"""

from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
NBGRADER_CONFIG = "nbgrader_config.py"  # the course's nbgrader settings, in ROOT


def chapter_ids(root=ROOT):
    """Chapter ids that have a source notebook in solutions/."""
    return sorted(
        p.parent.name
        for p in (Path(root) / "solutions").glob("*/*.ipynb")
        if p.stem == p.parent.name
    )


def chapter_sources(root=ROOT):
    """The chapter files ``chapters/chNN_*.py`` (a chapter's id is the file's stem)."""
    return sorted((Path(root) / "chapters").glob("ch[0-9][0-9]_*.py"))


def chapter_source(chapter_id, root=ROOT):
    return Path(root) / "chapters" / f"{chapter_id}.py"


def chapter_notebook(folder, chapter_id):
    """The chapter's notebook in ``folder``, a folder of chapter folders, as nbgrader lays
    them out (``solutions/``, ``notebooks/``, ``submitted/<student>/``, ...)."""
    return Path(folder) / chapter_id / f"{chapter_id}.ipynb"


def solution_notebook(chapter_id, root=ROOT):
    """The chapter's nbgrader source notebook (what grading compares with)."""
    return chapter_notebook(Path(root) / "solutions", chapter_id)


def learner_notebook(chapter_id, root=ROOT):
    """The chapter's learner notebook (nbgrader's release of the source notebook)."""
    return chapter_notebook(Path(root) / "notebooks", chapter_id)


def nbgrader_config(root=ROOT):
    return Path(root) / NBGRADER_CONFIG


def submitted_folder(root=ROOT):
    """nbgrader's ``submitted/``: one folder per student, one per chapter inside."""
    return Path(root) / "submitted"


def submitted_notebook(chapter_id, student, root=ROOT):
    return chapter_notebook(submitted_folder(root) / student, chapter_id)


def autograded_notebook(chapter_id, student, root=ROOT):
    """Where nbgrader's autograde puts a student's graded chapter notebook."""
    return chapter_notebook(Path(root) / "autograded" / student, chapter_id)


def gradebook_url(root=ROOT):
    """The grading course's nbgrader gradebook, as a database URL."""
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


class Exercise(NamedTuple):
    chapter: str  # the chapter id
    method: str | None  # the ResNetModel method it asks for (None: not a method)
    check: str  # its check, resnet_lesson.checks.<check>; also the exercise's name


EXERCISES = (
    Exercise("ch02_model_setup", "__init__", "resnet_init"),
    Exercise("ch03_custom_padding", "custom_padding", "custom_padding"),
    Exercise("ch04_pre_activation", "pre_activation", "pre_activation"),
    Exercise("ch05_shortcut", "pre_activation_with_shortcut", "pre_activation_with_shortcut"),
    Exercise("ch06_regular_block", "regular_block", "regular_block"),
    Exercise("ch07_bottleneck", "bottleneck_block", "bottleneck_block"),
    Exercise("ch08_block_layer", "block_layer", "block_layer"),
    Exercise("ch09_model_layers", "model_layers", "model_layers"),
    Exercise("ch10_preprocessing", "preprocess", "preprocess"),
    Exercise("ch11_training", None, "make_dataset"),
)
