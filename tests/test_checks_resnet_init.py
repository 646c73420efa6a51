"""The chapter 2 check accepts right answers however spelled and names each mistake."""

import numpy as np
import pytest
from conftest import check_as_graded

import resnet_lesson
from resnet_lesson import BLOCK_LAYER_SIZES
from resnet_lesson.checks import resnet_init as check_module
from resnet_lesson.checks.verdict import CheckFailed


def learner(sizes, bottleneck):
    """A learner class whose __init__ keeps the given lines and sets the two attributes
    with ``sizes(self, num_layers)`` and ``bottleneck(self, num_layers)``."""

    def __init__(
        self, min_aspect_dim, resize_dim, num_layers, output_size, data_format="channels_last"
    ):
        self.min_aspect_dim = min_aspect_dim
        self.resize_dim = resize_dim
        self.num_layers = num_layers
        self.output_size = output_size
        self.data_format = data_format
        self.filters_initial = 64
        self.block_strides = [1, 2, 2, 2]
        self.block_layer_sizes = sizes(self, num_layers)
        self.bottleneck = bottleneck(self, num_layers)

    return type("LearnerResNetModel", (resnet_lesson.ResNetModel,), {"__init__": __init__})


def right_sizes(self, n):
    return BLOCK_LAYER_SIZES[n]


def right_flag(self, n):
    return n >= 50


OWN_TABLE = {
    18: (2, 2, 2, 2),
    34: (3, 4, 6, 3),
    50: (3, 4, 6, 3),
    101: (3, 4, 23, 3),
    152: (3, 8, 36, 3),
    200: (3, 24, 36, 3),
}


@pytest.mark.parametrize(
    "sizes, flag",
    [
        (right_sizes, right_flag),
        (lambda self, n: OWN_TABLE[self.num_layers], lambda self, n: n not in (18, 34)),
        (lambda self, n: list(OWN_TABLE[n]), lambda self, n: np.bool_(self.num_layers > 34)),
        (right_sizes, lambda self, n: 1 if n >= 50 else 0),
    ],
)
def test_right_answers_pass(sizes, flag, capsys):
    check_as_graded(check_module, learner(sizes, flag))
    assert "resnet_init is correct" in capsys.readouterr().out


def test_the_reference_passes(capsys):
    check_as_graded(check_module, resnet_lesson.ResNetModel)


def with_101(sizes):
    return lambda self, n: sizes if n == 101 else BLOCK_LAYER_SIZES[n]


WRONG = {
    "threshold > 50": (
        right_sizes,
        lambda self, n: n > 50,
        "ResNet-50 is the first depth built from bottleneck blocks, but your "
        "`self.bottleneck` is False for it",
    ),
    "threshold >= 34": (
        right_sizes,
        lambda self, n: n >= 34,
        "ResNet-34 uses regular blocks, but your `self.bottleneck` is True",
    ),
    "inverted": (
        right_sizes,
        lambda self, n: n < 50,
        "`self.bottleneck` is the opposite of what it should be for every depth",
    ),
    "a string": (
        right_sizes,
        lambda self, n: "yes" if n >= 50 else "no",
        "`self.bottleneck` for ResNet-18 is 'no': it should be True or False",
    ),
    "one depth wrong": (
        with_101([3, 4, 6, 3]),
        right_flag,
        "for ResNet-101 `self.block_layer_sizes` is [3, 4, 6, 3], the sizes "
        "of ResNet-34; ResNet-101 has [3, 4, 23, 3]",
    ),
    "one depth mistyped": (
        with_101([3, 4, 32, 3]),
        right_flag,
        "for ResNet-101 `self.block_layer_sizes` is [3, 4, 32, 3], but it "
        "has [3, 4, 23, 3] blocks per block layer",
    ),
    "three block layers": (with_101([3, 4, 23]), right_flag, "there are four block layers"),
    "one size for all": (
        lambda self, n: [2, 2, 2, 2],
        right_flag,
        "is [2, 2, 2, 2] for every depth",
    ),
    "wrong key": (
        lambda self, n: BLOCK_LAYER_SIZES[self.output_size],
        right_flag,
        "looked up with `output_size` (KeyError: 10",
    ),
    "wrong key, min_aspect_dim": (
        lambda self, n: BLOCK_LAYER_SIZES[self.min_aspect_dim],
        right_flag,
        "looked up with `min_aspect_dim`",
    ),
    "a number instead of a list": (
        lambda self, n: sum(BLOCK_LAYER_SIZES[n]),
        right_flag,
        "it should be a list of four block counts",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_known_mistakes_are_named(name):
    sizes, flag, expected = WRONG[name]
    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(sizes, flag))
    assert expected in failed.value.message


def test_missing_attribute_stub_and_changed_given_line():
    def stub(self, *args, **kwargs):
        raise NotImplementedError()

    def only_sizes(
        self, min_aspect_dim, resize_dim, num_layers, output_size, data_format="channels_last"
    ):
        self.data_format = data_format
        self.filters_initial = 64
        self.block_strides = [1, 2, 2, 2]
        self.block_layer_sizes = BLOCK_LAYER_SIZES[num_layers]

    def changed_strides(
        self, min_aspect_dim, resize_dim, num_layers, output_size, data_format="channels_last"
    ):
        # Written out: calling the course's own __init__ would be refused first.
        only_sizes(self, min_aspect_dim, resize_dim, num_layers, output_size, data_format)
        self.min_aspect_dim, self.resize_dim = min_aspect_dim, resize_dim
        self.num_layers, self.output_size = num_layers, output_size
        self.bottleneck = num_layers >= 50
        self.block_strides = [2, 2, 2, 2]

    for init, expected in [
        (stub, "not written yet"),
        (only_sizes, "`self.bottleneck` is not set"),
        (changed_strides, "keep the given lines"),
    ]:
        cls = type("LearnerResNetModel", (resnet_lesson.ResNetModel,), {"__init__": init})
        with pytest.raises(CheckFailed) as failed:
            check_module.check(cls)
        assert expected in failed.value.message
