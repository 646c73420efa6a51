"""``resnet-lesson grade-class CHAPTER... [--jobs N] [--scheduler ADDRESS] [--timeout S]
[--json]``: grade every submission of a class, in parallel, isolated and resumable.

Run it from the course root (where nbgrader_config.py is), on nbgrader's layout
``submitted/<student>/<chapter>/<chapter>.ipynb``:

- each submission is graded by ``resnet-lesson grade``'s grader in a sandbox of its own
  (isolation.py: no network, rlimits, a user of its own), by ``--jobs`` local workers
  or on a Dask cluster (``--scheduler tcp://HOST:8786``), see class_worker.py; each
  worker keeps a warm grader process with nbgrader imported (warm_grader.py);
- this process alone writes the gradebook and ``autograded/`` (class_gradebook.py), through
  nbgrader's API, so ``nbgrader generate_feedback``/``export`` and the formgrader work on
  the results;
- every finished grading is kept in ``.grade-class/`` under the notebook's content hash
  (results_store.py): a run killed at any moment and started again grades only what is
  missing; a changed notebook is graded again, an unchanged one is not.

Output: a progress bar (stderr), then a table of students x exercises; with ``--json``
exactly one JSON object ``{"sandbox", "submissions": [{"student", "chapter", "score",
"max_score", "exercises", "notes"}]}`` on stdout. Exit status 0 when every submission has a
grade (a notebook that could not be graded at all scores 0 with a note), 2 when the run
could not start.
"""

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from resnet_lesson import course as course_layout
from resnet_lesson.course import solution_notebook
from resnet_lesson.grading import isolation
from resnet_lesson.grading.autograde import cell_timeout
from resnet_lesson.grading.grade_class import gradebook as class_gradebook
from resnet_lesson.grading.grade_class.layout import digest, find_submissions
from resnet_lesson.grading.grade_class.results_store import ResultsStore
from resnet_lesson.grading.grade_class.worker import grade_submission
from resnet_lesson.grading.result import GradedResult
from resnet_lesson.grading.submission import GradingError

GIB = 1 << 30


def not_graded(course, submission, reason):
    """The result of a notebook the grader could not grade at all: 0 on every cell."""
    import nbformat

    from resnet_lesson.grading.feedback import graded_cells

    source = nbformat.read(solution_notebook(submission.chapter, course), as_version=4)
    points = {
        grade_id: cell.metadata["nbgrader"].get("points", 0)
        for grade_id, cell in graded_cells(source)
    }
    return GradedResult.not_graded(str(submission.path), submission.chapter, points, reason)


def _failed_notebook(path, reason):
    """The submission with an error in each graded code cell, so nbgrader scores them 0."""
    import nbformat

    from resnet_lesson.grading.execute import error_output
    from resnet_lesson.grading.submission import read_notebook

    try:
        notebook = read_notebook(path)
    except GradingError:  # not a notebook at all: nothing of it to keep
        notebook = nbformat.v4.new_notebook()
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs = [error_output("NotGraded", reason)]
    return nbformat.writes(notebook)


class Coordinator:
    def __init__(self, course, chapters, timeout, limits):
        self.course = Path(course)
        self.config = class_gradebook.course_config(self.course)
        self.chapters = chapters
        self.timeout = timeout
        self.limits = limits
        self.store = ResultsStore(self.course)

    def jobs(self, submissions):
        """Arguments of grade_submission for each submission that has no stored result."""
        for submission in submissions:
            if self.store.result(submission) is not None:
                continue
            source = solution_notebook(submission.chapter, self.course)
            yield (
                submission,
                (
                    submission.student,
                    submission.chapter,
                    submission.path.read_bytes(),
                    digest(source),
                    self.timeout,
                    self.limits,
                    max(600, 20 * self.timeout),
                ),
            )

    def record(self, submission, answer):
        """Keep a worker's answer, then write it into the gradebook (this process only)."""
        if answer["result"] is not None:
            stored = {**answer["result"], "autograded": answer["autograded"]}
        else:
            stored = {
                **not_graded(self.course, submission, answer["error"]).record(),
                "autograded": _failed_notebook(submission.path, answer["error"]),
            }
        stored["notebook"] = str(submission.path)
        self.store.save_result(submission, stored)
        self.import_into_gradebook(submission, stored)

    def import_into_gradebook(self, submission, stored):
        class_gradebook.import_result(
            self.course, self.config, submission.student, submission.chapter, stored["autograded"]
        )
        self.store.mark_imported(submission)


def _progress(total):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )


def _run_local(coordinator, pending, jobs, advance):
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # each job is a sandboxed process
        futures = {pool.submit(grade_submission, *args, workers=jobs): s for s, args in pending}
        for future in as_completed(futures):
            coordinator.record(futures[future], future.result())
            advance()


def _run_dask(coordinator, pending, address, advance):
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise GradingError(
            "--scheduler needs Dask: pip install -e '.[class]' (dask[distributed])"
        ) from None
    with Client(address, timeout="30s") as client:
        futures = {client.submit(grade_submission, *args, pure=False): s for s, args in pending}
        for future in dask_completed(futures):
            coordinator.record(futures[future], future.result())
            advance()


def grade_class(course, chapters, jobs=None, scheduler=None, timeout=None, limits=None):
    """Grade every submission of ``chapters``; return (sandbox sentence, {submission: stored})."""
    coordinator = Coordinator(course, chapters, timeout, limits or {})
    if coordinator.timeout is None:
        coordinator.timeout = int(cell_timeout(coordinator.config))
    known = course_layout.chapter_ids(coordinator.course)
    for chapter in chapters:
        if chapter not in known:
            raise GradingError(f"unknown chapter {chapter!r}; the course has: {', '.join(known)}")
        class_gradebook.ensure_assignment(coordinator.course, coordinator.config, chapter)
    submissions = find_submissions(coordinator.course, chapters)
    for submission in submissions:  # graded before a kill, not yet in the gradebook
        stored = coordinator.store.result(submission)
        if stored is not None and not coordinator.store.imported(submission):
            coordinator.import_into_gradebook(submission, stored)
    pending = list(coordinator.jobs(submissions))
    _, sandbox = isolation.probe()
    with _progress(len(submissions)) as progress:
        task = progress.add_task("grading", total=len(submissions))
        progress.update(task, completed=len(submissions) - len(pending))

        def advance():
            progress.advance(task)

        if scheduler:
            _run_dask(coordinator, pending, scheduler, advance)
        elif pending:
            _run_local(coordinator, pending, jobs or os.cpu_count() or 1, advance)
    return sandbox, {s: coordinator.store.result(s) for s in submissions}


def summary(results):
    return [
        {
            "student": s.student,
            "chapter": s.chapter,
            "score": stored["score"],
            "max_score": stored["max_score"],
            "exercises": stored["exercises"],
            "notes": stored.get("notes", []),
        }
        for s, stored in results.items()
    ]


def print_table(results):
    from rich.console import Console
    from rich.table import Table

    columns = []
    for s, stored in results.items():
        for grade_id in stored["exercises"]:
            if (s.chapter, grade_id) not in columns:
                columns.append((s.chapter, grade_id))
    table = Table(title="Scores (points; - : no submission)")
    table.add_column("student")
    for chapter, grade_id in columns:
        short = grade_id.removesuffix("_tests").removesuffix("_test")
        table.add_column(f"{chapter[:4]} {short}", justify="right", overflow="fold")
    table.add_column("total", justify="right")
    students = sorted({s.student for s in results})
    for student in students:
        row, total, top = [student], 0.0, 0.0
        for chapter, grade_id in columns:
            entry = next(
                (
                    stored["exercises"].get(grade_id)
                    for s, stored in results.items()
                    if s.student == student and s.chapter == chapter
                ),
                None,
            )
            row.append("-" if entry is None else f"{entry['score']:g}/{entry['max_score']:g}")
            if entry is not None:
                total, top = total + entry["score"], top + entry["max_score"]
        table.add_row(*row, f"{total:g}/{top:g}")
    console = Console()
    console.print(table)
    for s, stored in results.items():
        for note in stored.get("notes", []):
            console.print(f"note: {s.student}/{s.chapter}: {note}", markup=False)


def add_arguments(parser):
    parser.add_argument("chapters", nargs="+", metavar="CHAPTER", help="e.g. ch06_regular_block")
    parser.add_argument(
        "--jobs", type=int, default=None, help="local worker processes (default: one per core)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on a Dask cluster, e.g. tcp://HOST:8786 (needs the 'class' extra)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=None,
        metavar="SECONDS",
        help="seconds a cell may run (default: Execute.timeout in nbgrader_config.py)",
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=isolation.DEFAULT_LIMITS["memory_bytes"] / GIB,
        metavar="GIB",
        help="address space of each grader and its kernel, in GiB (default: %(default)g)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args):
    from resnet_lesson.grading.command import stop_on_sigterm

    stop_on_sigterm()
    try:
        sandbox, results = grade_class(
            Path.cwd(),
            args.chapters,
            jobs=args.jobs,
            scheduler=args.scheduler,
            timeout=args.timeout,
            limits={"memory_bytes": int(args.memory_limit * GIB)},
        )
    except GradingError as error:
        print(f"resnet-lesson grade-class: {error}", file=sys.stderr)
        return 2
    print(f"sandbox: {sandbox}", file=sys.stderr)
    if args.json:
        print(json.dumps({"sandbox": sandbox, "submissions": summary(results)}))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    from resnet_lesson.cli import run_as_module

    run_as_module("grade-class")
