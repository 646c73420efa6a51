"""Chapter 12's checks: each method must be the learner's own before its chapter check
runs, and the training check trains nothing for an unfinished class."""

import nbformat
import pytest
from conftest import ROOT, define_capstone_class

import resnet_lesson
from resnet_lesson import capstone
from resnet_lesson.checks import capstone as capstone_check
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.course import chapter_notebook

CHAPTER = "ch12_your_resnet"


def _answer_cell(folder):
    nb = nbformat.read(chapter_notebook(ROOT / folder, CHAPTER), as_version=4)
    return next(
        c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "your_resnet"
    )


_define = define_capstone_class


@pytest.fixture(scope="module")
def solution():
    return _define(_answer_cell("solutions"))


@pytest.fixture(scope="module")
def stub():
    return _define(_answer_cell("notebooks"))


def _failure(learner, method):
    with pytest.raises(CheckFailed) as raised:
        capstone_check.check(learner, method)
    return raised.value.message


def test_the_solution_owns_every_method_and_passes_cheap_checks(solution, capsys):
    for method in capstone.OUTLINE_METHODS:
        assert capstone_check.ownership_problem(solution, method) is None, method
    for method in ("__init__", "custom_padding", "pre_activation"):
        capstone_check.check(solution, method)
    assert capsys.readouterr().out.count("\u2705") == 3


def test_a_class_derived_from_the_reference_scores_nothing(solution):
    methods = {name: vars(solution)[name] for name in capstone.OUTLINE_METHODS}
    derived = type("ResNetModel", (resnet_lesson.ResNetModel,), methods)
    for method in ("__init__", "regular_block"):
        assert "derives from the course's `ResNetModel`" in _failure(derived, method)


def test_a_method_taken_from_the_reference_scores_nothing(solution):
    borrowed = type(
        "ResNetModel", (solution,), {"regular_block": resnet_lesson.ResNetModel.regular_block}
    )
    assert "is the course's reference method" in _failure(borrowed, "regular_block")
    assert capstone_check.ownership_problem(borrowed, "block_layer") is None


def test_a_missing_method_is_named_with_its_chapter():
    class Partial(capstone.ResNetBase):
        def __init__(self, *args, **kwargs):
            pass

    assert "no `preprocess`: paste yours from ch10_preprocessing" in _failure(Partial, "preprocess")


def test_the_stub_is_not_written_and_trains_nothing(stub):
    # The released skeleton declares every outline method, each a stub.
    assert all(method in vars(stub) for method in capstone.OUTLINE_METHODS)
    assert "`__init__` is not written yet" in _failure(stub, "custom_padding")
    assert "not written yet" in _failure(stub, "__init__")
    with pytest.raises(CheckFailed, match="nothing was trained: some methods are not written"):
        capstone_check.check_training(stub)


def test_a_network_of_the_wrong_width_is_not_trained(solution):
    def model_layers(self, inputs, is_training):
        self.filters_initial = 64  # ignores the width the training asks for
        return solution.model_layers(self, inputs, is_training)

    wide = type("ResNetModel", (solution,), {"model_layers": model_layers})
    with pytest.raises(CheckFailed, match="parameters, the course's .*filters_initial"):
        capstone_check.check_training(wide)
