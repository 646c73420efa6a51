"""Chapter 3 check: ``custom_padding`` pads ``kernel_size - 1`` on each spatial axis.

The padding has no weights, so the check compares the learner's padded tensor with the
reference one exactly, for odd and even kernels, both data formats and odd and even
input sizes. When they differ it first tries the known mistakes; failing that, it
measures how the learner's output holds the input (how many zeros were added before
and after on each axis) and says so.
"""

import itertools

import keras
import numpy as np

from resnet_lesson.checks import delegation, integrity
from resnet_lesson.checks.engine import malformed_output_message, name_the_build_error
from resnet_lesson.checks.pieces import (
    BuildError,
    Case,
    Mistake,
    build_piece,
    case_inputs,
    run_piece,
    same_outputs,
    with_method,
)
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import LOCATED, CheckFailed, Sentence
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "custom_padding"
METHOD = "custom_padding"


def _padding_with(split="right", layout="model", extra_axis=None, spatial="both"):
    """The reference padding with one twist: the known mistakes' material."""

    def custom_padding(self, inputs, kernel_size):
        total = kernel_size - 1
        before, after = {
            "right": (total // 2, total - total // 2),
            "swapped": (total - total // 2, total // 2),
            "half_each_side": (kernel_size // 2, kernel_size // 2),
            "floor_each_side": (total // 2, total // 2),
            "kernel_size_total": (kernel_size // 2, kernel_size - kernel_size // 2),
            "total_each_side": (total, total),
            "none": (0, 0),
        }[split]
        pad = [before, after]
        height = pad if spatial in ("both", "height") else [0, 0]
        width = pad if spatial in ("both", "width") else [0, 0]
        data_format = {
            "model": self.data_format,
            "last": "channels_last",
            "first": "channels_first",
            "swapped": (
                "channels_last" if self.data_format == "channels_first" else "channels_first"
            ),
        }[layout]
        if data_format == "channels_first":
            paddings = [[0, 0], [0, 0], height, width]
            channel_axis = 1
        else:
            paddings = [[0, 0], height, width, [0, 0]]
            channel_axis = 3
        if extra_axis == "batch":
            paddings[0] = pad
        elif extra_axis == "channels":
            paddings[channel_axis] = pad
        return keras.ops.pad(inputs, paddings)

    return custom_padding


MISTAKES = [
    # Before "nothing is padded": with an even kernel of 2 this one pads nothing too.
    Mistake(
        "you pad the smaller half of the total on both sides: for an even kernel "
        "that loses a zero; look at what goes after the image: the rest of the total",
        _padding_with(split="floor_each_side"),
    ),
    Mistake(
        "nothing is padded: each spatial axis needs zeros, one fewer in total than the kernel size",
        _padding_with(split="none"),
    ),
    Mistake(
        "the batch axis is padded too: pad only the two spatial axes, with [0, 0] "
        "for the batch and channel axes",
        _padding_with(extra_axis="batch"),
    ),
    Mistake(
        "the channel axis is padded too: pad only the two spatial axes, with [0, 0] "
        "for the batch and channel axes",
        _padding_with(extra_axis="channels"),
    ),
    Mistake(
        "custom_padding ignores data_format: for channels_first the spatial axes are "
        "2 and 3 (axis 1 holds the channels)",
        _padding_with(layout="last"),
    ),
    Mistake(
        "custom_padding ignores data_format: for channels_last the spatial axes are "
        "1 and 2 (the channels are last)",
        _padding_with(layout="first"),
    ),
    Mistake(
        "before and after are swapped: for an even kernel the extra zero goes after "
        "the image, not before it",
        _padding_with(split="swapped"),
    ),
    Mistake(
        "you pad `kernel_size // 2` on both sides: right for odd kernels, but an even "
        "kernel then gets as many zeros as its size; the total is one fewer, and an "
        "even kernel's extra zero goes after",
        _padding_with(split="half_each_side"),
    ),
    Mistake(
        "you pad `kernel_size` pixels in total: that is one zero too many per axis",
        _padding_with(split="kernel_size_total"),
    ),
    Mistake(
        "you pad the whole total on each side: it is the total for both sides "
        "together, to be split between before and after",
        _padding_with(split="total_each_side"),
    ),
    Mistake("only the height is padded: pad both spatial axes", _padding_with(spatial="height")),
    Mistake("only the width is padded: pad both spatial axes", _padding_with(spatial="width")),
]


def _case(data_format, kernel_size, height, width, channels=3):
    shape = (
        (height, width, channels) if data_format == "channels_last" else (channels, height, width)
    )
    kind = "odd" if kernel_size % 2 else "even"
    return Case(
        f"kernel_size={kernel_size} ({kind}), {data_format}, a {height}x{width} input",
        data_format,
        shape,
        dict(kernel_size=kernel_size),
    )


def cases(thorough=False):
    # Height, width and channels differ so every axis can be told apart; an odd kernel
    # comes first, so a mistake that only shows with even kernels is named as such.
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case("channels_first", 2, 7, 6, channels=4),
            _case("channels_last", 4, 9, 9, channels=2),
            _case("channels_first", 3, 5, 6, channels=2),
            _case("channels_last", 7, 8, 8, channels=1),
            _case("channels_first", 1, 4, 5),
            _case("channels_last", 6, 5, 7),
        ]
    return [
        _case("channels_last", 3, 6, 7),
        _case("channels_last", 2, 6, 7),
        _case("channels_first", 7, 9, 8),
        _case("channels_first", 4, 8, 9),
        _case("channels_last", 1, 5, 4),
    ]


def _axis_names(data_format):
    if data_format == "channels_first":
        return ("batch", "channel", "height", "width")
    return ("batch", "height", "width", "channel")


def _expected_pads(case):
    total = case.kwargs["kernel_size"] - 1
    return (total // 2, total - total // 2)


def _find_padding(x, y):
    """The zeros added before and after on each axis if ``y`` is ``x`` zero-padded."""
    if y.ndim != x.ndim:
        return None
    extra = [b - a for a, b in zip(x.shape, y.shape)]
    if any(e < 0 for e in extra) or sum(extra) > 40:
        return None
    for starts in itertools.product(*(range(e + 1) for e in extra)):
        inner = tuple(slice(s, s + n) for s, n in zip(starts, x.shape))
        if not np.allclose(y[inner], x, atol=1e-6):
            continue
        rest = y.copy()
        rest[inner] = 0
        if np.all(rest == 0):
            return [(s, e - s) for s, e in zip(starts, extra)]
    return None


def _describe(actual, expected, case):
    """A sentence about the learner's output when no known mistake explains it."""
    kernel_size = case.kwargs["kernel_size"]
    names = _axis_names(case.data_format)
    if actual.ndim != 4:
        return Sentence(
            f"for {case.description} the output has {actual.ndim} axes; it must keep "
            "the input's 4 (batch, two spatial axes and channels).",
            LOCATED,
        )
    x = case_inputs(case)
    pads = _find_padding(x, actual)
    if pads is None:
        return Sentence(
            f"for {case.description} the output is not the input surrounded by zeros "
            f"(shape {tuple(actual.shape[1:])}, expected {tuple(expected.shape[1:])}): "
            "custom_padding only adds zeros around the input (keras.ops.pad or "
            "keras.layers.ZeroPadding2D); it does not convolve, crop or rescale it.",
            LOCATED,
        )
    right = _expected_pads(case)
    wrong = []
    for name, pad in zip(names, pads):
        should = right if name in ("height", "width") else (0, 0)
        if tuple(pad) != should:
            wrong.append(f"the {name} axis by {tuple(pad)} instead of {should}")
    return (
        f"for {case.description} you pad " + " and ".join(wrong) + " (zeros before, "
        f"after); kernel_size={kernel_size} needs {right} on each spatial axis and "
        "nothing on the others."
    )


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = []
    codes = delegation.reference_codes(ResNetModel, METHOD, learner_class)
    checkpoint = integrity.take()  # before the learner's code; called after it, each case
    for case in cases(thorough):
        x = case_inputs(case)
        expected = run_piece(build_piece(ResNetModel, METHOD, case), x, False)
        watch = delegation.Watch(codes)
        try:
            with watch:
                learner_model = build_piece(learner_class, METHOD, case)
        except BuildError as error:
            checkpoint(EXERCISE)
            if watch.called:
                raise CheckFailed(EXERCISE, delegation.delegated_message(METHOD)) from None
            message = name_the_build_error(error, ResNetModel, METHOD, case, MISTAKES)
            if "cannot be used as input to a TensorFlow function" in message:
                message = (
                    "your code gives a Keras tensor to a TensorFlow function such as "
                    "tf.pad, which Keras 3 refuses while building a model: use "
                    "`keras.ops.pad` (same arguments) or keras.layers.ZeroPadding2D."
                )
            raise CheckFailed(EXERCISE, message) from None
        except (TypeError, ValueError) as error:
            checkpoint(EXERCISE)
            raise CheckFailed(EXERCISE, malformed_output_message(error, case)) from None
        actual = run_piece(learner_model, x, False)
        checkpoint(EXERCISE)
        if watch.called:
            raise CheckFailed(EXERCISE, delegation.delegated_message(METHOD))
        if len(actual) != 1:
            raise CheckFailed(
                EXERCISE,
                f"for {case.description} your method returns "
                f"{len(actual)} tensors: return the padded tensor.",
            )
        if same_outputs(actual, expected, 1e-6):
            passed.append(case)
            continue
        for mistake in MISTAKES:
            mistaken_class = with_method(ResNetModel, METHOD, mistake.method)
            mistaken = run_piece(build_piece(mistaken_class, METHOD, case), x, False)
            if same_outputs(actual, mistaken, 1e-6):
                raise CheckFailed(EXERCISE, f"{mistake.message} (seen for {case.description}).")
        raise CheckFailed(EXERCISE, _describe(actual[0], expected[0], case))
    if not thorough:
        print(
            f"\u2705 {EXERCISE} is correct: the same padded tensor as the reference for "
            + "; ".join(case.description for case in passed)
            + "."
        )
