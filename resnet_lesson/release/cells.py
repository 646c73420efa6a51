"""The cells of the course's nbgrader source notebooks, each kind written once.

``resnet_lesson.release.chapter`` calls these for the cells of a chapter source, by role:

- ``markdown``: prose; ``given``: read-only code the learner runs; ``code``: code the
  learner may edit (no nbgrader metadata);
- ``answer``: an exercise, whose ``### BEGIN SOLUTION`` region becomes the stub;
- ``tests``: a graded cell (visible check plus ``### BEGIN HIDDEN TESTS``);
- ``question``: a check-your-understanding question (prose, answer cell, graded test);
- ``title`` and ``setup_cell``: the heading with its Colab badge, and the first code cell.

nbval (``make test``) runs the solutions and compares the stored output of every cell
tagged ``nbval-check-output``: the roles whose output is the course's verdict (graded,
answer and setup cells, so quiz feedback and check sentences) get the tag here, and a
chapter tags a given cell that prints a deterministic table. A given cell tagged
``not-run-when-grading`` is tagged ``nbval-skip`` too: nbval skips what the grader skips.
"""

import textwrap

import nbformat

from resnet_lesson.checks import seal
from resnet_lesson.grading.execute import NOT_RUN_WHEN_GRADING
from resnet_lesson.release.links import colab_badge, install_url

NBVAL_CHECK_OUTPUT = "nbval-check-output"  # nbval compares the stored output
NBVAL_SKIP = "nbval-skip"  # nbval does not run the cell
NBVAL_IGNORE_OUTPUT = "nbval-ignore-output"  # a graded cell whose output is not compared
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _dedent(source):
    return textwrap.dedent(source).strip("\n")


def _nbgrader(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(source):
    return nbformat.v4.new_markdown_cell(_dedent(source))


def _tagged(metadata, tags):
    if tags:
        metadata["tags"] = list(dict.fromkeys(tags))
    return metadata


def given(grade_id, source, tags=()):
    """Code the learner reads and runs but does not change (nbgrader restores it)."""
    tags = [*tags, NBVAL_SKIP] if NOT_RUN_WHEN_GRADING in tags else tags
    return nbformat.v4.new_code_cell(
        _dedent(source), metadata=_tagged(_nbgrader(grade_id, locked=True), tags)
    )


def code(source):
    """Code the learner may edit and that nbgrader leaves alone (a setting to try)."""
    return nbformat.v4.new_code_cell(_dedent(source))


def answer(grade_id, source):
    """An exercise cell; ``source`` holds ``### BEGIN SOLUTION`` ... ``### END SOLUTION``."""
    source = _dedent(source)
    if "### BEGIN SOLUTION" not in source:
        raise ValueError(f"answer cell {grade_id!r} has no ### BEGIN SOLUTION region")
    return nbformat.v4.new_code_cell(
        source, metadata=_tagged(_nbgrader(grade_id, solution=True), [NBVAL_CHECK_OUTPUT])
    )


def tests(grade_id, source, points, tags=()):
    """A graded cell: what runs visibly gives feedback, the hidden part grades more cases.

    nbval compares its output unless the chapter tags it ``nbval-ignore-output`` (a
    verdict that reports a measurement, such as a training run's accuracy); nbval still
    fails it on an error or on stderr (``nbval_plugin``)."""
    metadata = _nbgrader(grade_id, grade=True, locked=True, points=points)
    compared = [] if NBVAL_IGNORE_OUTPUT in tags else [NBVAL_CHECK_OUTPUT]
    return nbformat.v4.new_code_cell(
        _dedent(source), metadata=_tagged(metadata, [*compared, *tags])
    )


# What a question weighs in the grade. Its answer cell says at once whether a letter is
# right, and the learner may try again: the retry is how a question teaches, but it makes a
# question's points nearly free. A rule such as "the first letter counts" cannot hold in a
# notebook the learner controls (a restarted kernel forgets it), so questions weigh little
# instead: a chapter's three questions weigh 0.75 against its code exercise's 3 points, so
# the code carries 80% of every chapter that has one.
QUESTION_POINTS = 0.25


def question(grade_id, prompt, choices, correct, explanation, points=QUESTION_POINTS):
    """A multiple-choice question: prose, an answer cell, and its graded test.

    The learner writes one letter into ``<grade_id>_answer``; the answer cell then says
    at once whether it is right (``quiz.respond``, with the sealed answer: the correct
    letter never appears in the released cell). The graded test's visible part checks
    the form of the answer, the hidden part its correctness.
    """
    letters = "abcdefgh"[: len(choices)]
    if correct not in letters:
        raise ValueError(f"question {grade_id!r}: correct answer {correct!r} not in {letters}")
    listed = "\n".join(f"- **({letter})** {text}" for letter, text in zip(letters, choices))
    variable = f"{grade_id}_answer"
    sealed = seal.seal(grade_id, correct, _dedent(explanation))
    prose = markdown(f"**Question ({grade_id}).** {_dedent(prompt)}\n\n{listed}")
    cell = answer(
        grade_id,
        f'''
        # Set {variable} to the letter of your choice, inside the `with` block, e.g.
        #     {variable} = "{letters[0]}"
        from resnet_lesson.checks import quiz

        with quiz.answering():  # an unanswered question does not stop Run All
            ### BEGIN SOLUTION
            {variable} = "{correct}"
            ### END SOLUTION
        # Says at once whether your answer is right (the answer is sealed in the last line).
        quiz.respond({grade_id!r}, globals().get({variable!r}), {letters!r},
                     {sealed!r})
        ''',
    )
    test = tests(
        f"{grade_id}_test",
        f"""
        from resnet_lesson.checks import quiz
        quiz.check_form({variable!r}, globals().get({variable!r}), {letters!r})
        ### BEGIN HIDDEN TESTS
        quiz.check_answer({variable!r}, globals().get({variable!r}), {correct!r},
                          {_dedent(explanation)!r})
        ### END HIDDEN TESTS
        """,
        points,
    )
    return [prose, cell, test]


def setup_cell(chapter_id):
    """The first code cell of every chapter: install on Colab, quiet TensorFlow, pick a device."""
    return given(
        f"{chapter_id}_setup",
        f'''
        # Setup: on Colab this installs the course package; everywhere it quiets
        # TensorFlow's start-up messages and says which device will run the chapter.
        import os
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        try:
            import resnet_lesson
        except ImportError:  # Colab, or a kernel outside the course's environment
            # --no-deps: keep the TensorFlow and Keras that Colab already has.
            %pip install --quiet --no-deps "{install_url()}"
            import importlib
            importlib.invalidate_caches()  # see the package pip just installed
            import resnet_lesson
        from resnet_lesson.checks import answer_cells
        answer_cells.register()  # a check then knows when an answer cell's last run failed
        from resnet_lesson.device import describe_device
        DEVICE = describe_device()
        ''',
        tags=[NBVAL_CHECK_OUTPUT],  # no stderr at start-up (nbval-sanitize.cfg: the device)
    )


def title(heading, notebook_path):
    """The chapter's heading, then the badge that opens ``notebook_path`` on Colab."""
    return markdown(f"{heading}\n\n{colab_badge(notebook_path)}")


def notebook(cells):
    flat = []
    for cell in cells:
        flat.extend(cell if isinstance(cell, list) else [cell])
    for index, cell in enumerate(flat):
        # Stable ids, so regenerating an unchanged chapter gives an identical file.
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{index:03d}"
    nb = nbformat.v4.new_notebook(cells=flat)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    grade_ids = [c.metadata["nbgrader"]["grade_id"] for c in flat if "nbgrader" in c.metadata]
    duplicates = {g for g in grade_ids if grade_ids.count(g) > 1}
    if duplicates:
        raise ValueError(f"duplicate grade_ids: {sorted(duplicates)}")
    nbformat.validate(nb)
    return nb
