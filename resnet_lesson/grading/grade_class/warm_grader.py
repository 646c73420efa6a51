"""A grader process kept warm: nbgrader imported once, forked into the sandbox per submission.

Importing nbgrader, nbconvert and SQLAlchemy costs a grader about 2.9 s of CPU, a third of
what grading a short chapter costs; stock ``nbgrader autograde`` pays it once per run. So
grade-class keeps one warm process per worker thread (:class:`WarmGrader`, this module run
with ``-m``). It imports the grader and waits. For each submission it forks a child, and
the child, before it reads the notebook, moves into the job's folder and environment and
enters the sandbox (:func:`isolation.enter`: namespaces, limits, a user of its own). The
child then grades (:func:`grade_in_sandbox`) and writes its result into the job's folder.

The warm process only ever imports modules: no notebook is read and no learner code runs
in it, so each child starts from the same clean state and one submission cannot reach the
next. It dies with the thread that started it (``PR_SET_PDEATHSIG``), and its children die
with it, so a killed grade-class leaves no grader running.

Protocol: one JSON line per job on the warm process's stdin
(``{"folder", "environment", "sandbox", "arguments"}``), one line back
(``{"exit": status}``) when the child has ended. The child's stdout and stderr go to
``grader.log`` in the job's folder.
"""

import json
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

from resnet_lesson.grading import isolation

LOG_NAME = "grader.log"


class WarmGrader:
    """The coordinator's side: one warm process, restarted when it dies or is stopped."""

    def __init__(self):
        self.process = None

    def _start(self):
        environment = {
            "PATH": str(Path(sys.executable).parent) + os.pathsep + "/usr/bin:/bin",
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
            cwd="/",
        )

    def run(self, folder, environment, sandbox, arguments, wall_seconds=None):
        """Grade one job; return the child's exit status, or None if it ran out of time
        (the warm process is then stopped with everything it started)."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        job = {
            "folder": str(folder),
            "environment": environment,
            "sandbox": sandbox,
            "arguments": [str(a) for a in arguments],
        }
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode())
            self.process.stdin.flush()
            ready, _, _ = select.select([self.process.stdout], [], [], wall_seconds)
            if not ready:
                self.stop()
                return None
            line = self.process.stdout.readline()
        except OSError:  # the warm process died under us
            line = b""
        if not line:
            self.stop()
            return 1
        return json.loads(line)["exit"]

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


_per_thread = threading.local()


def for_this_thread():
    """This thread's warm grader (worker threads of grade-class and of Dask each have one)."""
    if getattr(_per_thread, "grader", None) is None:
        _per_thread.grader = WarmGrader()
    return _per_thread.grader


def grade_in_sandbox(notebook, out, chapter, timeout):
    """In the child, inside the sandbox: grade, then write result.json and autograded.ipynb
    to ``out`` (what worker.py reads back); return the exit status."""
    from resnet_lesson.grading.command import grade, stop_on_sigterm
    from resnet_lesson.grading.submission import GradingError

    stop_on_sigterm()
    out = Path(out)
    try:
        # The instructor's autograded/ copy: hidden tests in, as nbgrader autograde
        # writes it (generate_feedback leaves them out for the learner).
        result = grade(
            notebook,
            chapter=chapter,
            timeout=int(timeout),
            graded_copy=out / "graded.tmp",
            keep_hidden_tests=True,
        )
    except GradingError as error:
        print(f"resnet-lesson grade: {error}", file=sys.stderr)
        return 2
    os.replace(out / "graded.tmp", out / "autograded.ipynb")
    (out / "result.json").write_text(json.dumps(result.record()))
    return 0


def _warm_up():
    """Import everything the grader imports, and nothing that starts a thread or a loop."""
    from resnet_lesson.grading import autograde, command  # noqa: F401

    command.skip_slow_optional_imports()
    import jupyter_client.manager  # noqa: F401
    import nbformat  # noqa: F401
    import nbgrader.api  # noqa: F401
    import nbgrader.apps  # noqa: F401

    autograde.alembic_head()


def _grade_in_child(job, reply):
    """In the forked child: never returns."""
    import tempfile

    status = 1
    try:
        os.close(reply)  # the line back to the coordinator is the warm process's alone
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        log = os.open(Path(job["folder"]) / LOG_NAME, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)  # the grader and its kernel see only stdin, stdout and stderr
        os.chdir(job["folder"])
        os.environ.clear()
        os.environ.update(job["environment"])
        tempfile.tempdir = None  # read TMPDIR again: the job's own
        isolation.enter(job["sandbox"])
        status = grade_in_sandbox(*job["arguments"])
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _serve():
    isolation.die_with_parent()
    reply = os.dup(1)  # replies go here; anything an import prints goes nowhere
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    sys.dont_write_bytecode = True
    _warm_up()
    for line in sys.stdin.buffer:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _grade_in_child(job, reply)
        _, status = os.waitpid(pid, 0)
        os.write(reply, (json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n").encode())


if __name__ == "__main__":
    _serve()
