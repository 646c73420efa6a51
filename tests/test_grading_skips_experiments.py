"""Grading skips the given cells a chapter tags as ungraded experiments, and only those."""

import nbformat
from conftest import ROOT
from nbformat.v4 import new_code_cell, new_notebook

from resnet_lesson.grading.execute import (
    NOT_RUN_NOTE,
    NOT_RUN_WHEN_GRADING,
    ExecuteWithTimeoutBudget,
    not_run_when_grading,
)
from resnet_lesson.grading.kernel import KERNEL_ARGUMENTS


def _cell(source, tagged=True, **nbgrader):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": f"cell{abs(hash(source))}", **nbgrader}
    if tagged:
        cell.metadata["tags"] = [NOT_RUN_WHEN_GRADING]
    return cell


def test_only_a_locked_ungraded_cell_can_be_skipped():
    assert not_run_when_grading(_cell("x", locked=True, grade=False, solution=False))
    assert not not_run_when_grading(_cell("x", tagged=False, locked=True, grade=False))
    # The tag on a graded cell or on the learner's answer is ignored: a learner cannot
    # skip a check, nor hide an answer from it.
    assert not not_run_when_grading(_cell("x", locked=True, grade=True, solution=False))
    assert not not_run_when_grading(_cell("x", locked=False, grade=False, solution=True))
    assert not not_run_when_grading(_cell("x", locked=False, grade=False, solution=False))


def test_grading_skips_the_experiment_and_runs_everything_else(tmp_path):
    nb = new_notebook(
        cells=[
            _cell("ran = ['setup']", tagged=False, locked=True, grade=False, solution=False),
            _cell("ran.append('experiment')", locked=True, grade=False, solution=False),
            _cell("print(ran)", tagged=False, locked=True, grade=False, solution=False),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    execute = ExecuteWithTimeoutBudget(timeout=60, extra_arguments=list(KERNEL_ARGUMENTS))
    graded, _ = execute.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    setup, experiment, after = graded.cells
    assert experiment.execution_count is None
    assert [o.get("text") for o in experiment.outputs] == [NOT_RUN_NOTE]
    assert setup.execution_count is not None
    assert after.outputs[0]["text"] == "['setup']\n"
    nbformat.validate(graded)


def _validate_as_the_lab_button_does(path):
    """What nbgrader's Validate handler does: the config found from the course root (the
    directory JupyterLab starts in, as ``make course`` starts it), then a Validator."""
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.apps import NbGrader
    from nbgrader.validator import Validator

    app = NbGrader()
    app.config_file_paths.append([str(ROOT), *jupyter_config_path()])
    app.load_config_file()
    return Validator(config=app.config).validate(str(path))


def test_validate_skips_the_experiment_but_not_a_check(tmp_path, monkeypatch):
    check = "assert ran == ['setup'], ran"
    nb = new_notebook(
        cells=[
            _cell("ran = ['setup']", tagged=False, locked=True, grade=False, solution=False),
            _cell("ran.append('experiment')", locked=True, grade=False, solution=False),
            _cell(check, tagged=False, locked=True, grade=True, solution=False, points=1),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    for cell in nb.cells:
        cell.metadata["nbgrader"]["schema_version"] = 3
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    monkeypatch.chdir(ROOT)
    result = _validate_as_the_lab_button_does(path)
    assert not result.get("failed") and not result.get("type_changed"), result
