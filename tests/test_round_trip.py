"""Every chapter in solutions/: its solutions score full marks and its release scores 0.

Both through ``resnet-lesson grade``, the learner's command; chapters are discovered, so a
new chapter is covered as soon as its notebooks exist.
"""

import shutil

import nbformat
import pytest
from conftest import chapter_ids, run_grade, write_learner_notebook

from resnet_lesson.course import learner_notebook
from resnet_lesson.grading.execute import NOT_RUN_NOTE, not_run_when_grading

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]


@pytest.mark.parametrize("chapter", chapter_ids())
def test_solutions_score_full_marks(tmp_path, chapter):
    """Also the one graded run of each solved chapter in the suite: no cell may raise (what
    nbval's --nbval-lax checked when it ran the solutions a second time). The experiments
    the grader skips run in the browser test's Run All of every learner notebook."""
    graded_copy = tmp_path / "graded.ipynb"
    notebook = write_learner_notebook(tmp_path, chapter)
    code, result, err = run_grade(notebook, "--graded-copy", str(graded_copy))
    assert code == 0, err
    graded = nbformat.read(graded_copy, as_version=4)
    not_run = [
        i
        for i, c in enumerate(graded.cells)
        if c.cell_type == "code"
        and c.source.strip()
        and c.execution_count is None
        and not (not_run_when_grading(c) and c.outputs[0].get("text") == NOT_RUN_NOTE)
    ]
    assert not not_run, f"code cells the grader did not run: {not_run}"
    raised = {
        i: output.get("ename")
        for i, c in enumerate(graded.cells)
        if c.cell_type == "code"
        for output in c.get("outputs", [])
        if output.output_type == "error"
    }
    assert not raised, f"cells that raised: {raised}"
    assert result["max_score"] > 0
    lost = {g: e for g, e in result["exercises"].items() if e["score"] != e["max_score"]}
    assert not lost, lost
    assert result["score"] == result["max_score"]


@pytest.mark.parametrize("chapter", chapter_ids())
def test_untouched_release_scores_zero(tmp_path, chapter):
    path = tmp_path / f"{chapter}.ipynb"
    shutil.copy(learner_notebook(chapter), path)
    code, result, err = run_grade(path)
    assert code == 0, err
    gained = {g: e for g, e in result["exercises"].items() if e["score"] != 0}
    assert not gained, gained
    assert result["score"] == 0.0 and result["max_score"] > 0
