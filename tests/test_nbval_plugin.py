"""nbval runs the solutions as the grader does (resnet_lesson/release/nbval_plugin.py):
the kernel has nbgrader's environment, and a graded cell that would lose its points fails
even where its output is not compared. Checked on a two-cell notebook run by nbval."""

import subprocess
import sys

import nbformat
import pytest

from resnet_lesson.release.cells import NBVAL_CHECK_OUTPUT, NBVAL_IGNORE_OUTPUT

pytestmark = pytest.mark.notebooks

GRADED = {"grade": True, "grade_id": "noisy_tests", "points": 3, "locked": True}


def _run_nbval(folder, cells):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, folder / "nb.ipynb")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    options = ["-p", "resnet_lesson.release.nbval_plugin", "--nbval-lax", "--nbval-current-env"]
    return subprocess.run(
        [*command, *options, "nb.ipynb"], cwd=folder, capture_output=True, text=True, timeout=300
    )


def _stored(source, printed, tags=(NBVAL_CHECK_OUTPUT,)):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    return cell


def test_the_kernel_runs_in_the_grading_environment_and_stderr_fails_a_graded_cell(tmp_path):
    environment = _stored('import os\nprint(os.environ.get("NBGRADER_EXECUTION"))', "autograde\n")
    noisy = _stored(
        'import sys\nprint("a warning", file=sys.stderr)', "", tags=[NBVAL_IGNORE_OUTPUT]
    )
    noisy.metadata["nbgrader"] = GRADED
    quiet = _stored("print('fine')", "", tags=[NBVAL_IGNORE_OUTPUT])
    quiet.metadata["nbgrader"] = {**GRADED, "grade_id": "quiet_tests"}
    completed = _run_nbval(tmp_path, [environment, noisy, quiet])
    report = completed.stdout + completed.stderr
    assert "1 failed, 2 passed" in report, report
    assert "graded cell noisy_tests would score 0 of 3.0" in report, report
