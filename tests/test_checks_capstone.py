"""Chapter 12's checks: each piece must be the learner's own before its check runs,
``cifar_layers``'s check names each known mistake, and the training check trains nothing
for an unfinished class."""

import inspect

import keras
import nbformat
import pytest
from conftest import ROOT, define_capstone_class

import resnet_lesson
from resnet_lesson import capstone, training
from resnet_lesson.checks import capstone as capstone_check
from resnet_lesson.checks.cifar_layers import CifarReference
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.course import chapter_notebook
from resnet_lesson.model import ResNetModel

CHAPTER = "ch12_your_resnet"


def _answer_cells(folder):
    nb = nbformat.read(chapter_notebook(ROOT / folder, CHAPTER), as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }


_define = define_capstone_class


def _define_function(source, name, filename):
    """A function an answer cell defines, with ``tf`` in scope and its source readable."""
    import linecache

    import tensorflow as tf

    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"tf": tf}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


@pytest.fixture(scope="module")
def solution():
    return _define(_answer_cells("solutions")["your_resnet"])


@pytest.fixture(scope="module")
def stub():
    return _define(_answer_cells("notebooks")["your_resnet"])


@pytest.fixture(scope="module")
def solution_pipeline():
    source = _answer_cells("solutions")["your_make_dataset"]
    return _define_function(source, "make_dataset", "<make_dataset cell>")


def _failure(learner, method):
    with pytest.raises(CheckFailed) as raised:
        capstone_check.check(learner, method)
    return raised.value.message


def test_the_solution_owns_every_piece_and_passes_the_new_check(
    solution, solution_pipeline, capsys
):
    for method in capstone.OWN_METHODS:
        assert capstone_check.ownership_problem(solution, method) is None, method
    assert capstone_check.pipeline_problem(solution_pipeline) is None
    capstone_check.check(solution, "cifar_layers")
    capstone_check.check(solution, "__init__")
    capstone_check.check_pipeline(solution_pipeline)
    assert capsys.readouterr().out.count("\u2705") == 3


# Learners' versions of cifar_layers, each with one mistake the check must name. Written
# here, not taken from the check's own list of mistakes.
def _variant(stem=(3, 1), pool=False, widths=(1, 2, 4), blocks=None, final=True):
    def cifar_layers(self, inputs, is_training, blocks_per_stage, filters=16):
        x = self.custom_conv2d(inputs, filters, *stem)
        if pool:
            x = keras.layers.MaxPooling2D(3, 2, padding="same")(x)
        for i, width in enumerate(widths):
            n = blocks(blocks_per_stage) if blocks else blocks_per_stage
            x = self.block_layer(x, filters * width, 1 if i == 0 else 2, n, is_training, i + 1)
        if final:
            x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D()(x)
        return keras.layers.Dense(self.output_size)(x)

    return cifar_layers


@pytest.mark.parametrize(
    "method, named",
    [
        (_variant(stem=(7, 2), pool=True), "the stem is ImageNet's"),
        (_variant(pool=True), "a max pool follows the stem"),
        (_variant(widths=(4, 8, 16)), "the stages are ImageNet-wide"),
        (_variant(widths=(1, 1, 1)), "the stages do not double their width"),
        (_variant(blocks=lambda n: 2 * n), "each stage has 2n blocks"),
        (_variant(blocks=lambda n: n + 1), "each stage has one block too many"),
        (_variant(final=False), "the final pre-activation is missing"),
    ],
    ids=["imagenet-stem", "max-pool", "wide", "no-doubling", "2n", "n+1", "no-final-bn-relu"],
)
def test_each_cifar_mistake_is_named(solution, method, named):
    mistaken = type("ResNetModel", (solution,), {"cifar_layers": method})
    message = _failure(mistaken, "cifar_layers")
    assert message.startswith(named), message


def test_a_class_derived_from_the_reference_scores_nothing(solution):
    methods = {name: vars(solution)[name] for name in capstone.OWN_METHODS}
    derived = type("ResNetModel", (resnet_lesson.ResNetModel,), methods)
    for method in ("__init__", "regular_block", "cifar_layers"):
        assert "derives from the course's `ResNetModel`" in _failure(derived, method)


def test_a_method_taken_from_the_reference_scores_nothing(solution):
    borrowed = type(
        "ResNetModel",
        (solution,),
        {
            "regular_block": resnet_lesson.ResNetModel.regular_block,
            "cifar_layers": CifarReference.cifar_layers,
        },
    )
    assert "is the course's reference method" in _failure(borrowed, "regular_block")
    assert "is the course's reference method" in _failure(borrowed, "cifar_layers")
    assert capstone_check.ownership_problem(borrowed, "block_layer") is None


def test_pasted_reference_source_scores_nothing_on_ownership(solution):
    # The course's class and the new method's reference, pasted as one class.
    reference_source = inspect.getsource(ResNetModel)
    new_method = inspect.getsource(CifarReference.cifar_layers)
    pasted = _define(reference_source + "\n" + new_method, "pasted whole")
    for method in capstone.OWN_METHODS:
        assert "is the course's own code copied" in capstone_check.ownership_problem(
            pasted, method
        ), method
    # The new method's reference alone, its docstring removed, next to the learner's own
    # methods: no chapter printed it, so its code is enough.
    source = new_method.replace(f'"""{CifarReference.cifar_layers.__doc__}"""', "")
    assert '"""' not in source
    alone = _define("class ResNetModel(ResNetBase):\n" + source, "pasted method")
    mixed = type("ResNetModel", (solution,), {"cifar_layers": vars(alone)["cifar_layers"]})
    assert "is the course's own code copied" in _failure(mixed, "cifar_layers")
    with pytest.raises(CheckFailed, match="nothing was trained: cifar_layers is the course's own"):
        capstone_check.check_training(mixed, training.make_dataset)


def test_the_course_pipeline_scores_nothing(solution):
    assert "reference pipeline" in capstone_check.pipeline_problem(training.make_dataset)
    pasted = _define_function(inspect.getsource(training.make_dataset), "make_dataset", "<p>")
    assert "own code copied" in capstone_check.pipeline_problem(pasted)
    with pytest.raises(CheckFailed, match="nothing was trained: make_dataset is the course's"):
        capstone_check.check_training(solution, training.make_dataset)


def test_a_missing_method_is_named_with_its_chapter():
    class Partial(capstone.ResNetBase):
        def __init__(self, *args, **kwargs):
            pass

    assert "no `preprocess`: paste yours from ch10_preprocessing" in _failure(Partial, "preprocess")
    assert "no `cifar_layers`: write it" in _failure(Partial, "cifar_layers")


def test_the_stub_is_not_written_and_trains_nothing(stub, solution_pipeline):
    # The released skeleton declares every method, each a stub.
    assert all(method in vars(stub) for method in capstone.OWN_METHODS)
    assert "`__init__` is not written yet" in _failure(stub, "custom_padding")
    assert "not written yet" in _failure(stub, "__init__")
    with pytest.raises(CheckFailed, match="nothing was trained: some methods are not written"):
        capstone_check.check_training(stub, solution_pipeline)


def test_a_network_of_the_wrong_size_is_not_trained(solution, solution_pipeline):
    wide = type("ResNetModel", (solution,), {"cifar_layers": _variant(widths=(4, 8, 16))})
    with pytest.raises(CheckFailed, match="parameters, the course's .*cifar_layers check"):
        capstone_check.check_training(wide, solution_pipeline)


def test_a_valid_design_chosen_earlier_does_not_fail_the_methods_built_on_it(solution, capsys):
    """Option A shortcuts (chapter 5 accepts them) change every block above them; the
    capstone judges each method with the course's other pieces, as its chapter did."""
    from resnet_lesson.checks.pre_activation_with_shortcut import DESIGNS

    option_a = type("ResNetModel", (solution,), {"pre_activation_with_shortcut": DESIGNS[0].method})
    isolated = capstone_check.on_its_own(option_a, "regular_block")
    assert isolated.regular_block is solution.regular_block
    assert isolated.pre_activation_with_shortcut is not DESIGNS[0].method
    capstone_check.check(option_a, "regular_block")
    capstone_check.check(option_a, "cifar_layers")
    assert capsys.readouterr().out.count("\u2705") == 2
