"""Remember which answer cells failed on their last run, so a check does not test an
older version of the learner's code (IPython's ``post_run_cell`` event; no TensorFlow).

The chapter's setup cell calls :func:`register`; importing the course registers nothing
(the grader's guard imports the package afresh in every graded cell, and each import
would otherwise add one more callback)."""

import re

# The name a cell defines with ``def name(`` -> one line about its last run's error.
FAILED = {}


def after_cell(result):
    """IPython ``post_run_cell`` callback: record or clear each function a cell defines."""
    error = result.error_before_exec or result.error_in_exec
    source = result.info.raw_cell if result.info is not None else ""
    for name in re.findall(r"^\s*def (\w+)\(", source or "", re.M):
        if error is None:
            FAILED.pop(name, None)
        else:
            line = getattr(error, "lineno", None)
            where = f" at line {line}" if line else ""
            FAILED[name] = f"{type(error).__name__}{where} ({error.args[0] if error.args else ''})"


def register():
    """Listen to the cells run in this IPython kernel, if there is one (once: calling it
    again, as a setup cell run twice does, adds nothing)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and after_cell not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", after_cell)
