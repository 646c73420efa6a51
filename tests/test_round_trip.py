"""Every chapter's untouched release scores 0 through ``resnet-lesson grade``, the
learner's command; chapters are discovered, so a new chapter is covered as soon as its
notebooks exist.

The solved chapters are not graded here: ``make test`` runs each solution notebook once,
under nbval, as the grader does (resnet_lesson/release/nbval_plugin.py: the grading environment,
the cells the grader skips skipped), and fails a graded cell that would not score full
marks by nbgrader's rule on that same run's outputs. ``resnet-lesson grade`` itself
grades solved chapters in tests/test_grading.py and tests/test_warm_grader.py, and
through nbgrader's exchange in tests/test_browser_exchange.py.
"""

import shutil

import pytest
from conftest import chapter_ids, run_grade

from resnet_lesson.course import learner_notebook

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]


@pytest.mark.parametrize("chapter", chapter_ids())
def test_untouched_release_scores_zero(tmp_path, chapter):
    path = tmp_path / f"{chapter}.ipynb"
    shutil.copy(learner_notebook(chapter), path)
    code, result, err = run_grade(path)
    assert code == 0, err
    gained = {g: e for g, e in result["exercises"].items() if e["score"] != 0}
    assert not gained, gained
    assert result["score"] == 0.0 and result["max_score"] > 0
