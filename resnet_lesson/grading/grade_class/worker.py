"""Grading one submission for grade-class, in the sandbox (isolation.py).

:func:`grade_submission` is what a worker runs, in a thread of the coordinator or in a Dask
worker: it gets the notebook's bytes (workers need no access to the course's
``submitted/``), writes them into a job folder of its own, has this thread's warm grader
(warm_grader.py) run ``resnet-lesson grade``'s :func:`~resnet_lesson.grading.command.grade`
in the sandbox (:func:`warm_grader.grade_in_sandbox`), and returns the result and nbgrader's
autograded notebook as plain data. It writes nothing in the course: the coordinator alone
writes the gradebook and ``autograded/``.

The worker grades against the course installed with this package (its ``solutions/``);
``source_digest`` makes a worker whose copy of the course differs refuse the job.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from resnet_lesson import course
from resnet_lesson.grading import isolation
from resnet_lesson.grading.grade_class import warm_grader
from resnet_lesson.grading.grade_class.layout import digest

JOB_PREFIX = "resnet-lesson-class-"


def _remove_abandoned_jobs():
    """Remove the job folders of workers that were killed (``kill -9`` leaves them)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{JOB_PREFIX}*-*"):
        pid = folder.name[len(JOB_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # alive, another user's
            pass


def threads_per_kernel(workers=None):
    """How many threads each kernel's TensorFlow may use for one operation: this machine's
    cores shared among the ``workers`` submissions it grades at once.

    By default every kernel sizes its pools to all the cores; two kernels on two cores then
    spent about a tenth more CPU time per submission, contending (docs/benchmarks.md).
    None (TensorFlow's default) where the number is unknown: a Dask worker knows its own
    threads but not how many other workers share its machine.
    """
    if workers is None:
        return None
    return max(1, len(os.sched_getaffinity(0)) // workers)


def _sandbox_environment(job, threads=None):
    """A small environment: no secrets of the coordinator's, every dot-folder in the job;
    ``threads`` caps TensorFlow's (and oneDNN's) threads for one operation."""
    home = job / "home"
    env = {
        "PATH": str(Path(sys.executable).parent) + os.pathsep + "/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(job / "tmp"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "JUPYTER_RUNTIME_DIR": str(home / ".jupyter-runtime"),
        "IPYTHONDIR": str(home / ".ipython"),
        "KERAS_HOME": str(home / ".keras"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if threads is not None:
        env["TF_NUM_INTRAOP_THREADS"] = env["OMP_NUM_THREADS"] = str(threads)
    if os.environ.get("RESNET_LESSON_GRADE_LOG"):  # for debugging the grader itself
        env["RESNET_LESSON_GRADE_LOG"] = os.environ["RESNET_LESSON_GRADE_LOG"]
    if "TF_ENABLE_ONEDNN_OPTS" in os.environ:  # the instructor's (or the tests') CPU setting
        env["TF_ENABLE_ONEDNN_OPTS"] = os.environ["TF_ENABLE_ONEDNN_OPTS"]
    return env


def grade_submission(
    student,
    chapter,
    notebook,
    source_digest,
    timeout,
    limits=None,
    wall_seconds=None,
    workers=None,
):
    """Grade one notebook (its bytes) in the sandbox; return a dict of plain data
    (``workers``: how many submissions this machine grades at once, if known):
    ``{"result": {...} or None, "autograded": notebook text or None, "error": str or None,
    "sandbox": sentence, "seconds": float}``."""
    started = time.perf_counter()
    _, sandbox = isolation.probe()
    answer = {"result": None, "autograded": None, "error": None, "sandbox": sandbox}
    if digest(course.solution_notebook(chapter)) != source_digest:
        answer["error"] = (
            f"this worker's course ({course.ROOT}) has a different solutions/{chapter}: "
            "install the same version of the course on every worker"
        )
        return answer
    key = f"{student}/{chapter}/{os.getpid()}/{time.time_ns()}"
    uid = isolation.sandbox_uid(key) if os.geteuid() == 0 else None
    _remove_abandoned_jobs()
    job = Path(tempfile.mkdtemp(prefix=f"{JOB_PREFIX}{os.getpid()}-"))
    try:
        for folder in ("home", "tmp", "out"):
            (job / folder).mkdir()
        path = job / f"{chapter}.ipynb"
        path.write_bytes(notebook)
        if uid is not None:  # the sandbox user owns its job folder and nothing else
            for item in [job, *job.rglob("*")]:
                os.chown(item, uid, uid)
        status = warm_grader.for_this_thread().run(
            job,
            _sandbox_environment(job, threads_per_kernel(workers)),
            isolation.sandbox_spec(limits=limits, uid=uid),
            [path, job / "out", chapter, timeout],
            wall_seconds=wall_seconds,
        )
        log = job / warm_grader.LOG_NAME
        if status is None:
            err = f"grading took longer than {wall_seconds} s and was stopped"
        else:
            err = log.read_text(errors="replace") if log.exists() else ""
        result_file, graded_file = job / "out" / "result.json", job / "out" / "autograded.ipynb"
        if status == 0 and result_file.exists() and graded_file.exists():
            answer["result"] = json.loads(result_file.read_text())
            answer["autograded"] = graded_file.read_text()
        else:
            lines = [line for line in err.splitlines() if line.strip()]
            answer["error"] = (lines or [f"the grader exited with {status}"])[-1]
    finally:
        isolation.kill_user(uid)
        shutil.rmtree(job, ignore_errors=True)
    answer["seconds"] = time.perf_counter() - started
    return answer
