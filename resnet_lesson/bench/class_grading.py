"""The class part of ``resnet-lesson bench``: a class graded by stock ``nbgrader autograde``
(one submission after another) and by ``resnet-lesson grade-class --jobs N``, in one run.

Both grade the same honest class (learners who solved every exercise, who left every
answer as released, and who solved the code but not the questions), each in a fresh copy
of the course whose chapters are already in the gradebook (``nbgrader
generate_assignment``, untimed). The report: seconds of each, the throughput ratio, whether
both gradebooks hold the same scores, and a projection to a whole course (300 learners x
every chapter), made from one ``resnet-lesson grade`` of each chapter's solution measured
in the same run (see :func:`project`).
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from resnet_lesson import course
from resnet_lesson.bench.common import load_average, say, solution_notebooks
from resnet_lesson.bench.grading import nbgrader_env, run_nbgrader, time_grade_command
from resnet_lesson.bench.stats import ratio

DEFAULT_CHAPTERS = ("ch03_custom_padding", "ch05_shortcut")
KINDS = ("correct", "untouched", "code only")  # what each learner did, in turn
PROJECTED_LEARNERS = 300


def learner_notebook(chapter, kind):
    """A learner's copy of ``chapter``: the release with answer cells filled as ``kind``."""
    import nbformat

    release = nbformat.read(course.learner_notebook(chapter), as_version=4)
    source = nbformat.read(course.solution_notebook(chapter), as_version=4)
    answers = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or meta.get("grade_id") not in answers:
            continue
        question = re.fullmatch(r".*_q[0-9]+", meta["grade_id"])  # a quiz answer
        if kind == "correct" or (kind == "code only" and not question):
            cell.source = answers[meta["grade_id"]]
    return release


def class_rows(chapters, learners):
    """[(student, chapter, kind)]: ``learners`` per chapter, the kinds in turn."""
    return [
        (f"learner{i:03d}", chapter, KINDS[i % len(KINDS)])
        for chapter in chapters
        for i in range(learners)
    ]


def make_course(root, chapters, rows):
    """A course at ``root``: the chapters in its gradebook and every row submitted."""
    import nbformat

    root = Path(root)
    root.mkdir(parents=True)
    shutil.copy2(course.nbgrader_config(), course.nbgrader_config(root))
    for chapter in chapters:
        shutil.copytree(
            course.solution_notebook(chapter).parent, course.solution_notebook(chapter, root).parent
        )
        run_nbgrader(["generate_assignment", chapter, "--force"], root)
    for student, chapter, kind in rows:
        path = course.submitted_notebook(chapter, student, root)
        path.parent.mkdir(parents=True)
        nbformat.write(learner_notebook(chapter, kind), path)
    return root


def time_stock(root, chapters):
    """Seconds of ``nbgrader autograde CHAPTER`` for each chapter, one after another."""
    started = time.perf_counter()
    for chapter in chapters:
        run_nbgrader(["autograde", chapter], root)
    return time.perf_counter() - started


def time_grade_class(root, chapters, jobs):
    """Seconds of ``resnet-lesson grade-class CHAPTERS --jobs N``, and its sandbox line."""
    command = [sys.executable, "-m", "resnet_lesson.cli", "grade-class", *chapters]
    command += ["--jobs", str(jobs), "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=nbgrader_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"grade-class failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, json.loads(done.stdout.strip().splitlines()[-1])["sandbox"]


def gradebook_scores(root, chapters):
    from resnet_lesson.grading.grade_class import gradebook as class_gradebook

    found = class_gradebook.scores(class_gradebook.course_config(root), chapters)
    return {f"{student}/{chapter}": grades for (student, chapter), grades in found.items()}


def single_gradings(chapters, quiet):
    """Seconds of one ``resnet-lesson grade`` of each chapter's solution, in turn."""
    seconds = {}
    for chapter in chapters:
        elapsed, done = time_grade_command(course.solution_notebook(chapter))
        if elapsed is None:
            raise RuntimeError(f"resnet-lesson grade {chapter} failed:\n{done.stderr[-2000:]}")
        seconds[chapter] = elapsed
        say(f"  one grading of {chapter}: {elapsed:.1f} s", quiet)
    return seconds


def project(wall, rows, single, learners=PROJECTED_LEARNERS):
    """Seconds to grade ``learners`` x every chapter in ``single``, the same way as ``wall``.

    ``wall`` graded ``rows``; ``single`` holds one grading of each chapter's solution on
    its own. The class's wall time per second of single grading it held is taken to stay
    the same for the other chapters (each chapter's cost scales alike).
    """
    held = sum(single[chapter] for _, chapter, _ in rows)
    return wall / held * learners * sum(single.values())


def bench_class(chapters=None, learners=20, jobs=2, projection=True, quiet=False):
    chapters = list(chapters or DEFAULT_CHAPTERS)
    known = {p.parent.name for p in solution_notebooks()}
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise SystemExit(f"unknown chapter(s) {', '.join(unknown)}")
    rows = class_rows(chapters, learners)
    result = {
        "chapters": chapters,
        "submissions": len(rows),
        "kinds": {kind: sum(1 for r in rows if r[2] == kind) for kind in KINDS},
        "jobs": jobs,
        "load_average_at_start": load_average(),
    }
    with tempfile.TemporaryDirectory(prefix="resnet-lesson-bench-class-") as scratch:
        say(f"  stock nbgrader autograde, {len(rows)} submissions ...", quiet)
        stock_root = make_course(Path(scratch) / "stock", chapters, rows)
        stock = time_stock(stock_root, chapters)
        say(f"  stock: {stock:.1f} s", quiet)
        say(f"  grade-class --jobs {jobs}, {len(rows)} submissions ...", quiet)
        class_root = make_course(Path(scratch) / "class", chapters, rows)
        parallel, sandbox = time_grade_class(class_root, chapters, jobs)
        say(f"  grade-class: {parallel:.1f} s", quiet)
        stock_scores = gradebook_scores(stock_root, chapters)
        class_scores = gradebook_scores(class_root, chapters)
    differ = sorted(
        k
        for k in stock_scores.keys() | class_scores.keys()
        if stock_scores.get(k) != class_scores.get(k)
    )
    result.update(
        seconds={"stock": stock, "grade_class": parallel},
        per_submission_s={"stock": stock / len(rows), "grade_class": parallel / len(rows)},
        throughput_ratio=ratio(stock, parallel),
        sandbox=sandbox,
        scores_equal=not differ,
        scores_differ=differ,
        load_average_at_end=load_average(),
    )
    if projection:
        single = single_gradings(sorted(known), quiet)
        result["single_grading_s"] = single
        result["projection"] = {
            "learners": PROJECTED_LEARNERS,
            "chapters": len(single),
            "stock_s": project(stock, rows, single),
            "grade_class_s": project(parallel, rows, single),
        }
    return result


def _load(values):
    return "unknown" if not values else f"{values[0]:.2f}"


def _hours(seconds):
    return f"{seconds / 3600:.1f} h"


def format_class(result):
    s = result["seconds"]
    kinds = ", ".join(f"{n} {kind}" for kind, n in result["kinds"].items())
    lines = [
        f"class grading: {result['submissions']} submissions of {', '.join(result['chapters'])}"
        f" ({kinds})",
        f"  stock nbgrader autograde, one at a time: {s['stock']:.1f} s "
        f"({result['per_submission_s']['stock']:.2f} s per submission)",
        f"  grade-class --jobs {result['jobs']}: {s['grade_class']:.1f} s "
        f"({result['per_submission_s']['grade_class']:.2f} s per submission)",
        f"  throughput ratio grade-class / stock: {result['throughput_ratio']:.2f}x",
        "  same scores in both gradebooks: "
        + ("yes" if result["scores_equal"] else "NO: " + ", ".join(result["scores_differ"])),
        f"  sandbox: {result['sandbox']}",
        f"  load average {_load(result.get('load_average_at_start'))} -> "
        f"{_load(result.get('load_average_at_end'))} (the ratio means something only on an "
        "idle machine)",
    ]
    projection = result.get("projection")
    if projection:
        single = result["single_grading_s"]
        lines += [
            f"  projection, {projection['learners']} learners x {projection['chapters']} "
            f"chapters: stock {_hours(projection['stock_s'])}, grade-class --jobs "
            f"{result['jobs']} {_hours(projection['grade_class_s'])}",
            "    (each side's wall time per second of single grading in this class, times "
            f"{projection['learners']} x the sum of one grading of each chapter: "
            + ", ".join(f"{name[:4]} {seconds:.1f}" for name, seconds in single.items())
            + " s)",
        ]
    return "\n".join(lines)
