"""The grading part of ``resnet-lesson bench``: seconds to autograde one chapter and the
whole course for one learner, against nbgrader's floor (a notebook with one trivial
graded cell)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from resnet_lesson import course
from resnet_lesson.bench.common import say, solution_notebooks
from resnet_lesson.bench.stats import alternate, median, ratio


def nbgrader_env():
    from resnet_lesson.grading.autograde import nbgrader_environment

    return nbgrader_environment(os.environ)


def run_nbgrader(args, course_root, check=True):
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course_root}"]
    done = subprocess.run(cmd, cwd=course_root, env=nbgrader_env(), capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def floor_notebook():
    """An nbgrader source notebook with one trivial graded cell: the floor's workload."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell("assert 1 + 1 == 2")
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "trivial",
        "locked": True,
        "points": 1,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    nb.cells.append(cell)
    return nb


def _scratch_course(scratch, notebooks):
    """A course in ``scratch`` whose learner 'learner' submitted each solution as is.

    ``notebooks`` maps assignment id to a source notebook path. Returns the root.
    """
    root = Path(scratch)
    shutil.copy2(course.nbgrader_config(), course.nbgrader_config(root))
    for chapter_id, path in notebooks.items():
        shutil.copytree(Path(path).parent, course.solution_notebook(chapter_id, root).parent)
        run_nbgrader(["generate_assignment", chapter_id, "--force"], root)
        submitted = course.submitted_notebook(chapter_id, "learner", root)
        submitted.parent.mkdir(parents=True)
        shutil.copy2(path, submitted)
    return root


def _grade_command_available():
    return (course.ROOT / "resnet_lesson" / "grading" / "command.py").exists()


def _time_autograde(root, assignment=None):
    args = ["autograde", "--student", "learner", "--force"]
    if assignment:
        args.insert(1, assignment)
    start = time.perf_counter()
    done = run_nbgrader(args, root)
    elapsed = time.perf_counter() - start
    return elapsed, done


def time_grade_command(notebook):
    """``resnet-lesson grade NOTEBOOK --json`` in a subprocess; seconds, or None if it failed."""
    cmd = [sys.executable, "-m", "resnet_lesson.cli", "grade", str(notebook), "--json"]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=course.ROOT, env=nbgrader_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        return None, done
    return elapsed, done


def _grade_json(done):
    """The score pair from ``resnet-lesson grade --json`` output, or None."""
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            data = json.loads(line)
            return [data["score"], data["max_score"]]
    return None


def bench_grading(rounds=2, chapters=None, quiet=False):
    """Seconds to grade one chapter and the whole course, beside nbgrader's floor.

    Sides, alternating each round: the floor (``nbgrader autograde`` of a notebook with
    one trivial graded cell), one chapter (``resnet-lesson grade`` of its solution
    notebook: ch06 when present) and the whole course (``resnet-lesson grade`` of every
    solution notebook in turn, one learner). Without ``resnet_lesson/grading/`` both
    fall back to ``nbgrader autograde`` in a scratch course.
    """
    import nbformat

    notebooks = solution_notebooks()
    if chapters:
        notebooks = [p for p in notebooks if p.parent.name in chapters]
    if not notebooks:
        raise SystemExit("no solution notebooks to grade (solutions/chNN_*/)")
    one = next((p for p in notebooks if p.parent.name == "ch06_regular_block"), notebooks[0])
    result = {
        "rounds": rounds,
        "chapter": one.parent.name,
        "chapters": [p.parent.name for p in notebooks],
        "scores": {},
    }
    with tempfile.TemporaryDirectory(prefix="resnet-lesson-bench-") as scratch:
        scratch = Path(scratch)
        floor_dir = scratch / "floor-src" / "floor"
        floor_dir.mkdir(parents=True)
        nbformat.write(floor_notebook(), floor_dir / "floor.ipynb")
        floor_root = scratch / "floor-course"
        floor_root.mkdir()
        _scratch_course(floor_root, {"floor": floor_dir / "floor.ipynb"})

        use_grade = _grade_command_available()
        course_root = None
        if use_grade:
            result["method"] = "resnet-lesson grade (one process per notebook)"
        else:
            result["method"] = "nbgrader autograde (resnet-lesson grade not found)"
            course_root = scratch / "course"
            course_root.mkdir()
            _scratch_course(course_root, {p.parent.name: p for p in notebooks})

        def grade_one(path):
            if use_grade:
                elapsed, done = time_grade_command(path)
                scores = _grade_json(done)
                if elapsed is None or scores is None:
                    raise RuntimeError(
                        f"resnet-lesson grade {path} failed "
                        f"({done.returncode}): "
                        f"{(done.stderr or done.stdout).strip()[-400:]}"
                    )
                result["scores"][path.parent.name] = scores
                return elapsed
            return _time_autograde(course_root, path.parent.name)[0]

        def whole_course():
            if use_grade:
                each = {path.parent.name: grade_one(path) for path in notebooks}
                result.setdefault("course_rounds_per_chapter", []).append(each)
                return sum(each.values())
            return _time_autograde(course_root)[0]

        sides = {
            "floor": lambda: _time_autograde(floor_root, "floor")[0],
            "chapter": lambda: grade_one(one),
            "course": whole_course,
        }
        # Warm-up (file caches, first gradebook, first kernel start); the whole course
        # is not run twice more just for that.
        sides["floor"]()
        sides["chapter"]()

        def measure(name):
            elapsed = sides[name]()
            say(f"  graded {name}: {elapsed:.1f} s", quiet)
            return elapsed

        per_round = alternate(tuple(sides), rounds, measure)
        if course_root is not None:
            result["scores"] = _scores(course_root)
    medians = {name: median(values) for name, values in per_round.items()}
    # Each round's chapter minus the floor run right before it: drift in machine load
    # moves both alike, so this pairing is steadier than a difference of medians.
    above = [c - f for c, f in zip(per_round["chapter"], per_round["floor"])]
    result.update(
        seconds=medians,
        rounds_s=per_round,
        ratio_chapter=ratio(medians["chapter"], medians["floor"]),
        ratio_course=ratio(medians["course"], medians["floor"]),
        chapter_above_floor_s=median(above),
    )
    return result


def _scores(course_root):
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(course.gradebook_url(course_root)) as gb:
        for assignment in gb.assignments:
            try:
                submission = gb.find_submission(assignment.name, "learner")
            except Exception:  # noqa: BLE001 - not submitted
                continue
            scores[assignment.name] = [submission.score, submission.max_score]
    return scores


def format_grading(result):
    s = result["seconds"]
    n = len(result["chapters"])
    lines = [
        f"grading: one learner, median of {result['rounds']} alternating rounds, "
        f"via {result['method']}",
        f"  floor (nbgrader, one trivial graded cell): {s['floor']:.2f} s",
        f"  ratio grade one chapter / floor: {result['ratio_chapter']:.2f}  "
        f"[{result['chapter']}: {s['chapter']:.2f} s]",
        f"  one chapter above the floor: {result['chapter_above_floor_s']:+.2f} s  "
        "[median of the rounds' differences]",
        f"  ratio grade whole course / floor: {result['ratio_course']:.2f}  "
        f"[{n} chapter(s): {s['course']:.2f} s]",
    ]
    rounds = result.get("course_rounds_per_chapter")
    if rounds:
        per_chapter = {name: median([r[name] for r in rounds]) for name in rounds[0]}
        lines.append(
            "  per chapter (median s): "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in per_chapter.items())
        )
    lines += [
        "  scores: "
        + ", ".join(f"{k} {v[0]:g}/{v[1]:g}" for k, v in sorted(result["scores"].items())),
    ]
    return "\n".join(lines)
