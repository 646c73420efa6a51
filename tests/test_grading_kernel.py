"""The kernel ``resnet-lesson grade`` starts early (resnet_lesson/grading/kernel.py).

It must be indistinguishable, from inside the notebook, from the kernel nbgrader's Execute
would start, apart from TensorFlow already being in ``sys.modules``; Execute must take it
only when it matches; and no kernel may outlive the grading, whatever happens.
"""

import os

import nbformat
import pytest

from resnet_lesson.course import solution_notebook
from resnet_lesson.grading import command, submission
from resnet_lesson.grading import kernel as grading_kernel
from resnet_lesson.grading.execute import ExecuteWithTimeoutBudget

# What a cell can see of its kernel: where it runs, what it imports from, its namespace
# and the grading flag the checks read.
PROBE = (
    "import json, os, sys\n"
    "print(json.dumps({'cwd': os.getcwd(), 'path': sys.path,\n"
    "    'names': sorted(n for n in dir() if not n.startswith('_')),\n"
    "    'execution': os.environ.get('NBGRADER_EXECUTION'),\n"
    "    'keras_loaded': 'keras' in sys.modules}))"
)


def _probe_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    return nb


def _execute_probe(workdir, output_file, **settings):
    """Run the probe cell with the course's Execute; return what the cell printed."""
    import json

    execute = ExecuteWithTimeoutBudget(
        kernel_output=str(output_file),
        extra_arguments=list(grading_kernel.KERNEL_ARGUMENTS),
        timeout=120,
        **settings,
    )
    nb, _ = execute.preprocess(_probe_notebook(), {"metadata": {"path": str(workdir)}})
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture
def grading_env(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    yield
    grading_kernel.shut_down()


def test_the_early_kernel_looks_like_a_cold_one_from_inside(tmp_path, grading_env):
    launch_dir, workdir = tmp_path / "course", tmp_path / "course" / "autograded"
    workdir.mkdir(parents=True)
    output = launch_dir / "kernel-output.log"

    cold = _execute_probe(workdir, output)
    assert grading_kernel.start(launch_dir, dict(os.environ), output)
    early = _execute_probe(workdir, output)

    # The early kernel was the one used: it had Keras loaded before the first cell.
    assert early.pop("keras_loaded") is True and cold.pop("keras_loaded") is False
    assert early == cold
    assert cold["cwd"] == str(workdir) and cold["execution"] == "autograde"


def test_execute_starts_a_cold_kernel_when_the_early_one_does_not_match(tmp_path, grading_env):
    output = tmp_path / "kernel-output.log"
    assert grading_kernel.start(tmp_path, dict(os.environ), output)
    other_output = tmp_path / "elsewhere.log"
    seen = _execute_probe(tmp_path, other_output)
    assert seen["keras_loaded"] is False  # a cold kernel ran the cell
    assert (
        grading_kernel.take("python3", grading_kernel.KERNEL_ARGUMENTS, ":memory:", output)
        is not None
    )  # the early one was left untouched
    assert grading_kernel.take("python3", ["--other"], ":memory:", output) is None


def test_no_kernel_outlives_the_grading(tmp_path, monkeypatch):
    started = []
    real_start = grading_kernel.start

    def recording_start(*args, **kwargs):
        assert real_start(*args, **kwargs)
        started.append(grading_kernel._started[0])
        return True

    monkeypatch.setattr(grading_kernel, "start", recording_start)
    source = solution_notebook("ch02_model_setup")
    result = command.grade(source)
    score, max_score = result.totals()
    assert score == max_score > 0
    missing = tmp_path / "ch02_model_setup.ipynb"
    with pytest.raises(submission.GradingError, match="no such file"):
        command.grade(missing)

    assert len(started) == 2
    from jupyter_core.utils import run_sync

    for manager in started:
        assert not run_sync(manager.is_alive)()
    assert grading_kernel._started is None


def test_only_a_kernel_spec_for_this_python_gets_the_early_kernel():
    import sys

    assert grading_kernel._runs_this_python(["python", "-m", "ipykernel_launcher", "-f", "c"])
    assert grading_kernel._runs_this_python([sys.executable, "-m", "ipykernel_launcher"])
    assert not grading_kernel._runs_this_python(["/nonexistent/python", "-m", "ipykernel_launcher"])
    assert not grading_kernel._runs_this_python(["python", "-m", "another_kernel"])
