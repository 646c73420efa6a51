"""Every chapter in solutions/: its solutions score full marks and its release scores 0.

Both through ``resnet-lesson grade``, the learner's command; chapters are discovered, so a
new chapter is covered as soon as its notebooks exist.
"""

import shutil

import pytest
from conftest import ROOT, chapter_ids, run_grade, write_learner_notebook

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]


@pytest.mark.parametrize("chapter", chapter_ids())
def test_solutions_score_full_marks(tmp_path, chapter):
    code, result, err = run_grade(write_learner_notebook(tmp_path, chapter))
    assert code == 0, err
    assert result["max_score"] > 0
    lost = {g: e for g, e in result["exercises"].items() if e["score"] != e["max_score"]}
    assert not lost, lost
    assert result["score"] == result["max_score"]


@pytest.mark.parametrize("chapter", chapter_ids())
def test_untouched_release_scores_zero(tmp_path, chapter):
    path = tmp_path / f"{chapter}.ipynb"
    shutil.copy(ROOT / "notebooks" / chapter / f"{chapter}.ipynb", path)
    code, result, err = run_grade(path)
    assert code == 0, err
    gained = {g: e for g, e in result["exercises"].items() if e["score"] != 0}
    assert not gained, gained
    assert result["score"] == 0.0 and result["max_score"] > 0
