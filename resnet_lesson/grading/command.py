"""``resnet-lesson grade NOTEBOOK [--json]``: grade a learner's notebook locally.

The notebook is graded by nbgrader's own autograde against the course's source notebook
of the same file name (``solutions/<chapter>/<chapter>.ipynb``), in a temporary course
folder with a temporary gradebook: the learner's file is only read, never written, and
nothing is left behind (an interrupted run leaves at most a folder in the system's
temporary directory, which the next run does not look at).

Before nbgrader sees the submission, a copy of it is tidied, with a note for each thing
found: a copied graded, test or read-only cell is graded once (the last copy, as nbgrader
does; the others run as ordinary cells), a deleted read-only or test cell is put back from
the course's copy, and an edited or emptied one is replaced by the course's version
(nbgrader's ``OverwriteCells`` does that last part). The preprocessors registered in
nbgrader_config.py keep the grading fair (``resnet_lesson/grading/preprocessors.py``).

Output: each graded cell's score and one sentence of feedback; with ``--json`` exactly one
JSON object ``{"notebook", "score", "max_score", "exercises": {grade_id: {"score",
"max_score", "feedback"}}}``, with one entry per graded cell (exercise checks such as
``regular_block_tests`` and the question tests such as ``regular_block_q1_test``). Notes
about the notebook go to stderr under ``--json``. The exit status is 0 whenever the
notebook was graded, whatever the score, and 2 when it could not be graded.

This module does not import TensorFlow or the model; the notebook's kernel does.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from resnet_lesson.course import (
    autograded_notebook,
    learner_notebook,
    solution_notebook,
    submitted_notebook,
)
from resnet_lesson.grading import kernel as grading_kernel
from resnet_lesson.grading.autograde import (
    STUDENT,
    cell_timeout,
    grading_environment,
    kernel_output_path,
    read_scores,
    run_autograde,
)
from resnet_lesson.grading.feedback import (
    clean,
    explain_name_errors,
    feedback_for,
    first_error_line,
    graded_cells,
)
from resnet_lesson.grading.result import GradedResult
from resnet_lesson.grading.submission import GradingError, chapter_for, read_notebook, tidy


def skip_slow_optional_imports():
    """Keep jsonschema from loading ``rfc3987_syntax`` when nbformat is imported.

    jsonschema imports it, if installed, only to check the "iri" string format, which no
    notebook or nbgrader schema uses; it builds a grammar at import time and was the
    largest part of the grader's start-up (about 1 s of 2). Marking it absent makes
    jsonschema skip that one checker (its import is wrapped in ``suppress(ImportError)``).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def grade(notebook_path, chapter=None, timeout=None, graded_copy=None, keep_hidden_tests=False):
    """Grade one notebook; return a GradedResult. Raises GradingError when it cannot.

    ``graded_copy``: a path where nbgrader's autograded notebook is written, without the
    hidden tests (a learner may ask for it), or as nbgrader wrote it, hidden tests
    included, with ``keep_hidden_tests`` (grade-class: the instructor's ``autograded/``).
    """
    started = time.perf_counter()
    config_timeout = timeout
    with (
        tempfile.TemporaryDirectory(prefix="resnet-lesson-grade-") as scratch,
        grading_environment(),
    ):
        course = Path(scratch)
        # The kernel starts first and imports TensorFlow while the submission is read and
        # nbgrader prepares (kernel.py); bad input stops it again at once.
        grading_kernel.start(
            course, {**os.environ, "NBGRADER_EXECUTION": "autograde"}, kernel_output_path(course)
        )
        try:
            skip_slow_optional_imports()
            import nbformat

            submission = read_notebook(notebook_path)
            chapter = chapter_for(notebook_path, chapter)
            source_file = solution_notebook(chapter)
            release_file = learner_notebook(chapter)
            release = nbformat.read(
                release_file if release_file.exists() else source_file, as_version=4
            )
            tidied, notes = tidy(submission, release, nbformat.read(source_file, as_version=4))
            solution_notebook(chapter, course).parent.mkdir(parents=True)
            shutil.copy2(source_file, solution_notebook(chapter, course))
            submitted = submitted_notebook(chapter, STUDENT, course)
            submitted.parent.mkdir(parents=True)
            nbformat.write(tidied, submitted)
            config = run_autograde(course, chapter, timeout)
        finally:
            grading_kernel.shut_down()
        if config_timeout is None:
            config_timeout = cell_timeout(config)
        scores = read_scores(config, chapter)
        graded_file = autograded_notebook(chapter, STUDENT, course)
        graded = nbformat.read(graded_file, as_version=4)
        if graded_copy is not None and keep_hidden_tests:
            shutil.copyfile(graded_file, graded_copy)
        elif graded_copy is not None:
            nbformat.write(without_hidden_tests(graded, config), graded_copy)
    result = GradedResult(notebook=str(notebook_path), chapter=chapter, notes=notes)
    cells = dict(graded_cells(graded))
    source = nbformat.read(source_file, as_version=4)
    for grade_id, _ in graded_cells(source):
        score, max_score = scores.get(grade_id, (0.0, 0.0))
        cell = cells.get(grade_id)
        feedback = feedback_for(cell, config_timeout) if cell is not None else "not graded"
        if score < max_score and cell is not None and first_error_line(cell) is None:
            stderr = [
                clean(o.get("text", ""))
                for o in cell.get("outputs", [])
                if o.get("output_type") == "stream" and o.get("name") == "stderr"
            ]
            stderr = [line for text in stderr for line in text.splitlines() if line.strip()]
            feedback = (
                "no points although the check raised nothing: the cell wrote to "
                f"stderr ({stderr[0]})"
                if stderr
                else "no points: the check did not pass."
            )
        result.exercises[grade_id] = {"score": score, "max_score": max_score, "feedback": feedback}
    explained = explain_name_errors(graded, {g: e["feedback"] for g, e in result.exercises.items()})
    for grade_id, text in explained.items():
        result.exercises[grade_id]["feedback"] = text
    result.seconds = time.perf_counter() - started
    return result


def without_hidden_tests(graded, config):
    """A copy of the autograded notebook as the feedback shows it: the course's
    ``StripHiddenTests`` (nbgrader_config.py runs it in ``generate_feedback``)."""
    import copy

    from resnet_lesson.grading.preprocessors import StripHiddenTests

    stripped, _ = StripHiddenTests(config=config).preprocess(copy.deepcopy(graded), {})
    return stripped


def format_text(result):
    width = max([len(g) for g in result.exercises] + [10])
    source = solution_notebook(result.chapter, Path()).as_posix()
    lines = [f"Graded {result.notebook} against {source}:"]
    lines += [f"note: {note}" for note in result.notes]
    for grade_id, entry in result.exercises.items():
        mark = "\u2713" if entry["score"] >= entry["max_score"] else "\u2717"
        lines.append(
            f"  {mark} {grade_id:<{width}} {entry['score']:g} / "
            f"{entry['max_score']:g}  {entry['feedback']}"
        )
    score, max_score = result.totals()
    lines.append(f"Total: {score:g} / {max_score:g} ({result.seconds:.1f} s)")
    return "\n".join(lines)


def add_arguments(parser):
    parser.add_argument(
        "notebook",
        help="the learner's notebook, e.g. notebooks/ch06_regular_block/ch06_regular_block.ipynb",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object with the scores and feedback"
    )
    parser.add_argument(
        "--chapter",
        help="grade against this chapter (default: the "
        "chapter whose notebook has the same file name)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=None,
        metavar="SECONDS",
        help="seconds a cell may run before it is stopped (default: "
        "Execute.timeout in nbgrader_config.py, 120)",
    )
    parser.add_argument(
        "--graded-copy",
        metavar="PATH",
        default=None,
        help="also write the graded notebook (every cell as the grader ran it, the "
        "hidden tests left out) to PATH; never the learner's own notebook",
    )


def stop_on_sigterm():
    """Turn SIGTERM into KeyboardInterrupt, so the kernel and the temporary folder go too."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        pass


def run(args):
    stop_on_sigterm()
    try:
        if args.graded_copy and Path(args.graded_copy).resolve() == Path(args.notebook).resolve():
            raise GradingError("--graded-copy must not be the notebook being graded")
        result = grade(
            args.notebook,
            chapter=args.chapter,
            timeout=args.timeout,
            graded_copy=args.graded_copy,
        )
    except GradingError as error:
        print(f"resnet-lesson grade: {error}", file=sys.stderr)
        return 2
    if args.json:
        for note in result.notes:
            print(f"note: {note}", file=sys.stderr)
        print(json.dumps(result.summary()))
    else:
        print(format_text(result))
    return 0


if __name__ == "__main__":
    from resnet_lesson.cli import run_as_module

    run_as_module("grade")
