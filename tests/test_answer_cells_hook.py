"""The answer-cell hook (checks/answer_cells.py) is registered once, by the setup cell:
importing the course registers nothing, and the grader's guard, which imports the
package afresh in every graded cell, adds no callback."""

import json
import subprocess
import sys
import textwrap

from resnet_lesson.grading.preprocessors import guard_line
from resnet_lesson.release import cells

GRADED_CELLS = 5

# Runs in a fresh interpreter: the guard drops and re-imports every resnet_lesson module,
# which must not happen inside the test process.
SESSION = textwrap.dedent(
    """
    import json, sys
    from IPython.core.interactiveshell import InteractiveShell

    setup, graded = json.loads(sys.stdin.read())
    shell = InteractiveShell.instance()

    def hooks():
        return sum(
            getattr(callback, "__qualname__", "") == "after_cell"
            for callback in shell.events.callbacks["post_run_cell"]
        )

    counts = {}
    shell.run_cell("import resnet_lesson\\nfrom resnet_lesson.checks import answer_cells")
    counts["after importing"] = hooks()
    for _ in range(2):  # a setup cell run twice
        assert shell.run_cell(setup).success
    counts["after the setup cell"] = hooks()
    for _ in range(%d):
        assert shell.run_cell(graded).success
    counts["after the graded cells"] = hooks()
    print(json.dumps(counts))
    """
    % GRADED_CELLS
)


def test_one_callback_after_the_setup_cell_and_many_graded_cells():
    setup = cells.setup_cell("ch03_padding").source
    graded = guard_line() + "from resnet_lesson.checks import answer_cells\n"
    done = subprocess.run(
        [sys.executable, "-c", SESSION],
        input=json.dumps([setup, graded]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts == {
        "after importing": 0,
        "after the setup cell": 1,
        "after the graded cells": 1,
    }
