"""The outputs stored in solutions/ for nbval: kept across a release, refreshed on demand.

``make test`` runs every solution notebook under nbval (``--nbval-lax``): a cell that
raises fails, and a cell tagged ``nbval-check-output`` (``cells.NBVAL_CHECK_OUTPUT``:
every graded, answer and setup cell, and the tables a chapter tags) must print what its
stored output says, so a change that alters a printed parameter count or a check's
sentence fails with nbval's diff. Only those cells' outputs are stored (figures,
timings and training numbers are not compared, so not kept).

- A release keeps the stored outputs of each cell (by cell id), even when its source
  changed: nbval then shows the difference, and the author refreshes them on purpose.
- ``refresh`` runs a solution notebook as nbval does under ``make test`` (the grader's
  environment, cells tagged ``nbval-skip`` not run) and keeps the compared cells'
  outputs, after making sure every graded cell scores full marks by nbgrader's rule.
- ``missing`` lists the compared cells without a stored output: nbval would not compare
  them (it skips a cell whose stored execution count is empty), so ``release --check``
  reports them.
"""

import copy
import logging
import os

import nbformat

from resnet_lesson.release.cells import NBVAL_CHECK_OUTPUT, NBVAL_SKIP

# The kernel's environment when nbval runs a solution (nbval_plugin) and when its outputs
# are stored: checks raise as under grading instead of printing, TensorFlow is quiet.
GRADING_ENVIRONMENT = {"NBGRADER_EXECUTION": "autograde", "TF_CPP_MIN_LOG_LEVEL": "3"}
# Stored outputs come from one CPU condition whoever stores them, most learners' and CI's
# (TensorFlow without oneDNN), so that they do not change with the machine; nbval runs in
# the machine's own condition (nbval-sanitize.cfg masks the line that differs).
STORING_ENVIRONMENT = {**GRADING_ENVIRONMENT, "TF_ENABLE_ONEDNN_OPTS": "0"}
CELL_TIMEOUT = 600  # seconds: chapter 12's graded cell trains a network


def compared(cell):
    """Whether nbval compares this cell's output with the stored one."""
    return cell.cell_type == "code" and NBVAL_CHECK_OUTPUT in cell.metadata.get("tags", [])


def without_outputs(nb):
    """A copy of ``nb`` with no outputs or execution counts (what chapter sources give)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def keep_stored(nb, stored):
    """``nb`` (a fresh build) with the outputs ``stored`` (the committed notebook) holds for
    the compared cells of the same id."""
    nb = copy.deepcopy(nb)
    kept = {cell.id: cell for cell in stored.cells if compared(cell)}
    for cell in nb.cells:
        if compared(cell) and cell.id in kept:
            cell.outputs = copy.deepcopy(kept[cell.id].outputs)
            cell.execution_count = kept[cell.id].execution_count
    return nb


def missing(nb):
    """The ids of the compared cells that have no stored output."""
    return [cell.id for cell in nb.cells if compared(cell) and cell.execution_count is None]


def _not_full_marks(cell):
    """Why nbgrader would not give a graded cell its points, or None."""
    from nbgrader.utils import determine_grade, is_grade

    if not is_grade(cell):
        return None
    score, max_score = determine_grade(cell, logging.getLogger(__name__))
    if score == max_score:
        return None
    streams = [o.get("name") for o in cell.outputs if o.output_type == "stream"]
    return f"{cell.id} scores {score} of {max_score} (outputs: {streams or 'none'})"


def refresh(nb, folder):
    """Run ``nb`` in ``folder`` as nbval does; return it with the compared cells' new outputs.

    Raises ``RuntimeError`` when a cell raises or a graded cell would lose points.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from resnet_lesson.grading.kernel import KERNEL_ARGUMENTS

    executed = without_outputs(nb)
    client = NotebookClient(
        executed,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        skip_cells_with_tag=NBVAL_SKIP,
        extra_arguments=KERNEL_ARGUMENTS,
        record_timing=False,
    )
    try:
        client.execute(env={**os.environ, **STORING_ENVIRONMENT})
    except CellExecutionError as error:
        raise RuntimeError(f"a cell raised, nothing stored:\n{error}") from None
    lost = [reason for cell in executed.cells if (reason := _not_full_marks(cell))]
    if lost:
        raise RuntimeError("graded cells would lose points, nothing stored: " + "; ".join(lost))
    stored = without_outputs(nb)
    for cell, ran in zip(stored.cells, executed.cells):
        if compared(cell):
            cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
    nbformat.validate(stored)
    return stored
