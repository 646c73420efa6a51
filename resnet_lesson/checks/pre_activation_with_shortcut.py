"""Chapter 5 check: ``pre_activation_with_shortcut`` returns ``(pre_activated, shortcut)``.

Built like chapter 4's check (training=True, training=False and a bare call), with a
look at the *form* of the result first: a pair of tensors, in that order.

Where the shape changes, the shortcut is an open decision (He et al. 2016a, section
3.3): the course's option B (a strided 1x1 projection) or option A (the identity,
subsampled and padded with zero channels), an accepted design (``designs.py``).
"""

import keras

from resnet_lesson.checks import designs
from resnet_lesson.checks.pieces import Case, Mistake, map_shape
from resnet_lesson.checks.pre_activation import diagnose_in_modes
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "pre_activation_with_shortcut"


def _with(
    project_from="pre_activated",
    strides="strides",
    kernel=1,
    identity="inputs",
    order="right",
    project_when_none=False,
    bias=False,
    training="is_training",
    projection_format="model",
):
    """The reference method with one twist: the known mistakes' material."""

    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, block_strides = shortcut_params
        flag = is_training if training == "is_training" else training
        pre_activated = self.pre_activation(inputs, flag)
        if shortcut_filters is None and not project_when_none:
            shortcut = {"inputs": inputs, "pre_activated": pre_activated}[identity]
        else:
            source = pre_activated if project_from == "pre_activated" else inputs
            stride = block_strides if strides == "strides" else 1
            if bias or projection_format != "model":
                data_format = self.data_format if projection_format == "model" else "channels_last"
                shortcut = keras.layers.Conv2D(
                    shortcut_filters, kernel, strides=stride, use_bias=bias, data_format=data_format
                )(source)
            else:
                shortcut = self.custom_conv2d(source, shortcut_filters, kernel, stride)
        if order == "swapped":
            return shortcut, pre_activated
        return pre_activated, shortcut

    return pre_activation_with_shortcut


def _zero_padded_identity(zeros_split=False, reads="inputs"):
    """Option A of He et al. (2016a): where the shape changes, the shortcut takes every
    ``strides``-th pixel of the input and pads the missing channels with zeros (after
    the input's channels, or ``zeros_split`` half before and half after). With
    ``reads="pre_activated"`` it is a wrong variant: the identity of the normalized input."""

    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            return pre_activated, inputs
        source = inputs if reads == "inputs" else pre_activated
        if self.data_format == "channels_first":
            subsampled = source[:, :, ::strides, ::strides]
            channel_axis = 1
        else:
            subsampled = source[:, ::strides, ::strides, :]
            channel_axis = 3
        extra = shortcut_filters - source.shape[channel_axis]
        before = extra // 2 if zeros_split else 0
        widths = [[0, 0]] * 4
        widths[channel_axis] = [before, extra - before]
        return pre_activated, keras.ops.pad(subsampled, widths)

    return pre_activation_with_shortcut


_OPTION_A = (
    "where the shape changes, the shortcut is the identity subsampled to the block's "
    "stride, its missing channels filled with zeros{where}, so it has no weights"
)
_OPTION_A_SOURCE = "He et al. 2016a, section 3.3; their CIFAR-10 networks use it"

# The other valid shortcut where the shape changes; the course's is option B.
DESIGNS = [
    designs.Design(
        "option A", _OPTION_A.format(where=""), _OPTION_A_SOURCE, _zero_padded_identity()
    ),
    designs.Design(
        "option A",
        _OPTION_A.format(where=", half before the input's channels and half after"),
        _OPTION_A_SOURCE,
        _zero_padded_identity(zeros_split=True),
    ),
]
COURSE_CHOICE = "option B, a strided 1x1 projection of the pre-activated input"
# Where a design's cost is counted: every first block of a block layer takes its shortcut.
COST_SETTING = designs.CostSetting(num_layers=18)

MISTAKES = [
    Mistake(
        "the zero-padded shortcut is made from `pre_activated`: an identity shortcut "
        "(option A) carries the raw `inputs`, subsampled and padded, so that the direct "
        "path skips the batch norm and ReLU",
        _zero_padded_identity(reads="pre_activated"),
    ),
    Mistake(
        "the pair is returned in the wrong order: the pre-activated input comes "
        "first, the shortcut second",
        _with(order="swapped"),
    ),
    Mistake(
        "the identity shortcut returns `pre_activated`: without a projection the "
        "shortcut is the raw `inputs`, so the signal skips the batch norm and ReLU",
        _with(identity="pre_activated"),
    ),
    Mistake(
        "the projection should see the pre-activated input: apply the 1x1 conv to "
        "`pre_activated`, not to `inputs`",
        _with(project_from="inputs"),
    ),
    Mistake(
        "the projection is not strided: it must use the block's `strides` so the "
        "shortcut has the same size as the block's output",
        _with(strides=1),
    ),
    Mistake(
        "the projection is a 3x3 conv: it only has to change the shape, so it is a 1x1 conv",
        _with(kernel=3),
    ),
    Mistake(
        "the projection is not strided and reads `inputs`: apply a strided 1x1 conv "
        "to `pre_activated`",
        _with(strides=1, project_from="inputs"),
    ),
    Mistake(
        "the projection has a bias: build it with `self.custom_conv2d`, which leaves "
        "the offset to the next batch norm",
        _with(bias=True),
    ),
    Mistake(
        "the projection ignores the data format: build it with `self.custom_conv2d` "
        "(or pass `data_format=self.data_format`)",
        _with(projection_format="default"),
    ),
    Mistake(
        "there is a projection even for a block without `shortcut_filters`: then "
        "the shortcut is the input itself",
        _with(project_when_none=True),
    ),
    Mistake(
        "the pre-activation's training flag is fixed to True: pass `is_training` on "
        "to `self.pre_activation`",
        _with(training=True),
    ),
    Mistake(
        "the pre-activation's training flag is fixed to False: pass `is_training` on "
        "to `self.pre_activation`",
        _with(training=False),
    ),
]


def _output_check(model, case):
    """One sentence when the result is not a pair of tensors."""
    count = len(model.outputs)
    if count == 2:
        return None
    if count == 1:
        return (
            f"for {case.description} your method returns one tensor: it must return "
            "two, the pre-activated input and the shortcut, in that order."
        )
    return (
        f"for {case.description} your method returns {count} tensors: it must return "
        "exactly two, the pre-activated input and the shortcut."
    )


def _case(description, data_format, size, channels, shortcut_filters, strides, is_training=True):
    shape = map_shape(data_format, size, channels)
    return Case(
        description,
        data_format,
        shape,
        dict(is_training=is_training, shortcut_params=(shortcut_filters, strides)),
    )


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case("the identity shortcut (channels_first)", "channels_first", 5, 3, None, 1),
            _case(
                "a projection on an odd-sized input, shortcut_params=(6, 2) (channels_last)",
                "channels_last",
                7,
                4,
                6,
                2,
            ),
            _case(
                "a widening projection, shortcut_params=(16, 1) (channels_last)",
                "channels_last",
                5,
                4,
                16,
                1,
            ),
            _case(
                "a projection with is_training=False, shortcut_params=(8, 2) (channels_first)",
                "channels_first",
                6,
                4,
                8,
                2,
                is_training=False,
            ),
        ]
    return [
        _case(
            "the identity shortcut, shortcut_params=(None, 1) (channels_last)",
            "channels_last",
            6,
            4,
            None,
            1,
        ),
        _case("a projection, shortcut_params=(8, 2) (channels_last)", "channels_last", 6, 4, 8, 2),
        _case(
            "a projection, shortcut_params=(8, 2) (channels_first)", "channels_first", 6, 4, 8, 2
        ),
        _case(
            "the identity shortcut with is_training=False (channels_last)",
            "channels_last",
            6,
            4,
            None,
            1,
            is_training=False,
        ),
    ]


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = diagnose_in_modes(
        EXERCISE,
        learner_class,
        "pre_activation_with_shortcut",
        cases(thorough),
        MISTAKES,
        output_check=_output_check,
        accepted_designs=DESIGNS,
    )
    if thorough:  # the hidden run stays silent: the visible one already reported
        return
    if passed.design is not None:
        designs.report(
            EXERCISE,
            passed,
            _CourseModel,
            "pre_activation_with_shortcut",
            COURSE_CHOICE,
            COST_SETTING,
        )
    else:
        described = "; ".join(case.description for case in passed)
        print(
            f"\u2705 {EXERCISE} is correct: same (pre_activated, shortcut) as the reference "
            f"with training=True, training=False and in a bare call, for {described}."
        )
