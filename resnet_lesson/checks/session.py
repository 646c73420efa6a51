"""The notebook session of the checks: what a learner's kernel remembers between cells.

- which class (or function) passed which exercise's check, as last run (the verdict
  memory), so :func:`yours_or_course` hands later cells the learner's piece or the
  course's;
- :func:`exercise_check`, the decorator every check module's ``check`` wears: it records
  the verdict, and in a learner's own kernel shows a failure without stopping Run All;
- which answer cells failed on their last run (``answer_cells.py``; the setup cell
  registers its hook), so a check does not test an older version of the learner's code.
"""

import functools
import importlib
import os
import weakref

from resnet_lesson.checks import answer_cells, delegation, integrity
from resnet_lesson.checks.pieces import quiet
from resnet_lesson.checks.verdict import CheckFailed, show_line

# Which learner class (or function) passed which exercise's check, as last run. Weak
# keys: a class the learner redefined is forgotten with its old verdict.
_VERDICTS = weakref.WeakKeyDictionary()


def graded():
    """Whether nbgrader runs this kernel: autograde sets ``NBGRADER_EXECUTION``,
    Validate sets ``NBGRADER_VALIDATING`` (both set by nbgrader in the kernel's env)."""
    return bool(os.environ.get("NBGRADER_EXECUTION") or os.environ.get("NBGRADER_VALIDATING"))


def interactive():
    """Whether a person runs the notebook: an IPython kernel that nbgrader did not start.

    There a failed check prints its line instead of raising, since a cell that raises
    makes JupyterLab's Run All drop every cell queued below it. Anywhere else (pytest,
    nbgrader's Validate and autograde, ``resnet-lesson grade``) it raises as before.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel") and not graded()


def show_or_raise(failure):
    """Print a failed check's line in a learner's own kernel; raise it anywhere else."""
    if not interactive():
        raise failure
    show_line(failure.line)


def exercise_check(exercise, reference, defines=None):
    """Decorate a module's ``check(target, thorough=False)``: record its verdict for
    :func:`yours_or_course`, and in interactive use show a failure without raising."""

    defines = defines or exercise  # the function the answer cell defines

    def decorate(check):
        @functools.wraps(check)
        def checked(target, thorough=False):
            failed = answer_cells.FAILED.get(defines)
            if failed:  # the learner's last edit did not run: do not test an older one
                _record(target, exercise, False)
                show_or_raise(
                    CheckFailed(
                        exercise,
                        f"your answer cell did not run: {failed}. Fix it, run it, "
                        "then run this check again.",
                    )
                )
                return None
            # Taken before the check runs any learner code, checked after it, before
            # anything else here runs: the verdict below is the genuine check's.
            checkpoint, tampered = integrity.take(), integrity.CheckTampered
            try:
                try:
                    result = check(target, thorough=thorough)
                finally:
                    checkpoint(exercise)
            except tampered:
                raise  # this module's names may be the learner's now: use none of them
            except delegation.ProfilerInTheWay:
                _record(target, exercise, False)
                show_or_raise(CheckFailed(exercise, delegation.PROFILER_MESSAGE))
                return None
            except CheckFailed as failure:
                _record(target, exercise, False)
                show_or_raise(failure)
                return None
            _record(target, exercise, True)
            return result

        checked.exercise = exercise
        checked.reference = reference
        return checked

    return decorate


def _record(target, exercise, passed):
    try:
        _VERDICTS.setdefault(target, {})[exercise] = passed
    except TypeError:  # not weak-referenceable: nothing to remember
        pass


def yours_or_course(target, exercise):
    """``target`` (the learner's class or function) if it passes ``exercise``'s check,
    else the course's reference, saying so in one line, so the cell still runs."""
    module = importlib.import_module(f"resnet_lesson.checks.{exercise}")
    passed = _VERDICTS.get(target, {}).get(exercise) if _weakable(target) else None
    if passed is None:  # its check was not run on this version: run it quietly
        try:
            with quiet():
                module.check.__wrapped__(target)
            passed = True
        except Exception:  # a failed check, or learner code that raises anything
            passed = False
        _record(target, exercise, passed)
    if passed:
        return target
    show_line(
        f"\u2139\ufe0f your `{exercise}` does not pass its check yet: "
        "this cell uses the course's instead."
    )
    return module.check.reference


def _weakable(target):
    try:
        weakref.ref(target)
    except TypeError:
        return False
    return True
