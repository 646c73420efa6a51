"""The reference is out of the learner's reach (issue 23): an exercise's class derives
from the course's model without the chapter's method, a check refuses an answer that
runs the course's own implementation of the method it checks, and chapter 12 refuses
the course's source pasted."""

import importlib
import inspect

import keras
import pytest
from conftest import define_capstone_class

import resnet_lesson
from resnet_lesson import capstone
from resnet_lesson.checks import capstone as capstone_check
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.exercise_base import WithheldMethod, course_model_without
from resnet_lesson.model import ResNetModel

# Each exercise method and the check module that judges it.
EXERCISES = {
    "__init__": "resnet_init",
    "custom_padding": "custom_padding",
    "pre_activation": "pre_activation",
    "pre_activation_with_shortcut": "pre_activation_with_shortcut",
    "regular_block": "regular_block",
    "bottleneck_block": "bottleneck_block",
    "block_layer": "block_layer",
    "model_layers": "model_layers",
    "preprocess": "preprocess",
}


@pytest.fixture
def autograde(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


def _failure(method, learner):
    check = importlib.import_module(f"resnet_lesson.checks.{EXERCISES[method]}").check
    with pytest.raises(CheckFailed) as raised:
        check(learner)
    return raised.value.message


def _learner(method, how):
    """A chapter's class whose ``method`` hands its work on: ``super()`` (to the stub) or
    the course's own implementation, called directly or past the exercise base."""
    base = course_model_without(method)

    def delegate(self, *args, **kwargs):
        if how == "super":
            return getattr(super(learner, self), method)(*args, **kwargs)
        if how == "past the base":
            return getattr(super(base, self), method)(*args, **kwargs)
        return getattr(resnet_lesson.model.ResNetModel, method)(self, *args, **kwargs)

    learner = type("ResNetModel", (base,), {method: delegate})
    return learner


@pytest.mark.parametrize("method", EXERCISES)
def test_super_reaches_a_stub_that_names_the_chapter(method, autograde):
    message = _failure(method, _learner(method, "super"))
    assert "it is the method you write in this chapter" in message
    assert f"super().{method}" in message


@pytest.mark.parametrize("how", ["direct", "past the base"])
@pytest.mark.parametrize("method", EXERCISES)
def test_calling_the_course_implementation_scores_nothing(method, how, autograde):
    message = _failure(method, _learner(method, how))
    assert f"your `{method}` calls the course's own `{method}`" in message


def test_the_stub_raises_not_implemented_and_shows_no_answer():
    base = course_model_without("regular_block")
    with pytest.raises(NotImplementedError, match="the method you write in this chapter"):
        base(32, 32, 18, 10).regular_block(keras.Input((8, 8, 4)), 4, 1, True, 0)
    shown = inspect.getsource(base.regular_block)
    assert "conv2" not in shown and "custom_conv2d" not in shown
    assert issubclass(WithheldMethod, NotImplementedError)
    # Every other method is the course's.
    assert base.bottleneck_block is ResNetModel.bottleneck_block
    assert base.__init__ is ResNetModel.__init__


def test_an_untouched_stub_is_still_not_written_yet(autograde):
    class Stub(course_model_without("regular_block")):
        def regular_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            raise NotImplementedError()

    assert _failure("regular_block", Stub).startswith("not written yet")


def test_the_reference_itself_still_passes_outside_grading(capsys):
    # The course's own tests check the reference; only grading refuses it.
    importlib.import_module("resnet_lesson.checks.custom_padding").check(ResNetModel)
    assert "\u2705" in capsys.readouterr().out


# -- chapter 12: the course's source pasted -----------------------------------------


def _define(source, name):
    return define_capstone_class(source, f"<cell {name}>")


@pytest.fixture(scope="module")
def solution_source():
    import nbformat
    from conftest import ROOT

    chapter = "ch12_your_resnet"
    nb = nbformat.read(ROOT / "solutions" / chapter / f"{chapter}.ipynb", as_version=4)
    return next(
        c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "your_resnet"
    )


def test_the_pasted_reference_class_is_refused_for_every_method():
    pasted = _define(inspect.getsource(ResNetModel), "pasted")
    for method in capstone.OUTLINE_METHODS:
        problem = capstone_check.ownership_problem(pasted, method)
        assert problem and "is the course's own code copied" in problem, method


def test_the_pasted_reference_without_docstrings_is_refused():
    source = inspect.getsource(ResNetModel)
    for value in (ResNetModel, *vars(ResNetModel).values()):
        docstring = getattr(value, "__doc__", None) if callable(value) else None
        if docstring:
            source = source.replace(f'"""{docstring}"""', "")
    assert '"""' not in source
    pasted = _define(source, "stripped")
    problem = capstone_check.ownership_problem(pasted, "regular_block")
    assert problem and "is the course's own code copied" in problem


def test_the_solution_owns_every_method_with_its_source_readable(solution_source):
    # Several of its methods are the reference's code line for line (the chapters'
    # given lines fix the names): identical code is no proof of a copy.
    solution = _define(solution_source, "solution")
    for method in capstone.OUTLINE_METHODS:
        assert capstone_check.ownership_problem(solution, method) is None, method


REWRITTEN_BLOCK = """
class ResNetModel(ResNetBase):
    def regular_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        \"\"\"Two convs and the shortcut.\"\"\"
        with keras.name_scope(f"regular_block{index}"):
            first, skip = self.pre_activation_with_shortcut(
                inputs, is_training=is_training, shortcut_params=(shortcut_filters, strides)
            )
            middle = self.custom_conv2d(first, filters, 3, strides)
            middle = self.pre_activation(middle, is_training=is_training)
            return keras.layers.Add()([self.custom_conv2d(middle, filters, 3, 1), skip])
"""


def test_own_code_that_resembles_the_reference_passes(solution_source):
    solution = _define(solution_source, "solution again")
    methods = {name: vars(solution)[name] for name in capstone.OUTLINE_METHODS}
    methods["regular_block"] = vars(_define(REWRITTEN_BLOCK, "rewritten"))["regular_block"]
    learner = type("ResNetModel", (capstone.ResNetBase,), methods)
    for method in capstone.OUTLINE_METHODS:
        assert capstone_check.ownership_problem(learner, method) is None, method
