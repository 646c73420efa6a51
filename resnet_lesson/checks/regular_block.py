"""Chapter 6 check: ``regular_block`` (two pre-activated 3x3 convs plus the shortcut)."""

import keras

from resnet_lesson.checks.engine import diagnose, report
from resnet_lesson.checks.pieces import BARE_CALL, Mistake, block_case
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "regular_block"
# training= given explicitly overrides the flag the learner passed on; a bare call is
# where a batch norm that ignores `is_training` shows.
MODES = (True, False, BARE_CALL)


def _regular_block_with(
    conv2_strides_like_conv1=False,
    pre_activate_conv1=True,
    conv2_reads_pre_activated1=False,
    conv2_kernel=3,
    conv2_bias=False,
    added="shortcut",
    relu_after_add=False,
    add_style="plus",
    pre_activate_sum=False,
    relu_before_add=False,
):
    """The reference block with one twist: the building material of the known mistakes."""

    def regular_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        shortcut_params = (shortcut_filters, strides)
        pre_activated1, shortcut = self.pre_activation_with_shortcut(
            inputs, is_training, shortcut_params
        )
        conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
        pre_activated2 = self.pre_activation(conv1, is_training) if pre_activate_conv1 else conv1
        conv2_input = pre_activated1 if conv2_reads_pre_activated1 else pre_activated2
        conv2_strides = strides if conv2_strides_like_conv1 else 1
        if conv2_bias:
            conv2 = keras.layers.Conv2D(
                filters, conv2_kernel, conv2_strides, padding="same", data_format=self.data_format
            )(conv2_input)
        else:
            conv2 = self.custom_conv2d(conv2_input, filters, conv2_kernel, conv2_strides)
        if added is None:
            return conv2
        other = {"shortcut": shortcut, "inputs": inputs, "pre_activated1": pre_activated1}[added]
        branch = keras.layers.ReLU()(conv2) if relu_before_add else conv2
        outputs = _added(branch, other, add_style)
        if pre_activate_sum:
            return self.pre_activation(outputs, is_training)
        return keras.layers.ReLU()(outputs) if relu_after_add else outputs

    return regular_block


# The ways of adding two tensors whose build errors differ when their shapes do: a
# build error is matched by its text, so each way is a mistake of its own.
ADD_STYLES = ("plus", "plus_reversed", "layer", "layer_reversed")


def _added(branch, other, add_style):
    return {
        "plus": lambda: branch + other,
        "plus_reversed": lambda: other + branch,
        "layer": lambda: keras.layers.Add()([branch, other]),
        "layer_reversed": lambda: keras.layers.Add()([other, branch]),
    }[add_style]()


# Only a projection tells `inputs` from `shortcut` (with the identity they are the same
# tensor): it stays before the `pre_activated1` mistake, which fails the same way there.
_ADDS_INPUTS = (
    "the block adds its raw `inputs` where the shortcut belongs: with a projection "
    "the input has another shape; add the `shortcut` that the pre-activation returned"
)

MISTAKES = [
    Mistake(
        "the shortcut is not added: the block returns its branch alone; look at "
        "what the block returns",
        _regular_block_with(added=None),
    ),
    Mistake(
        "the second conv strides: only conv1 uses `strides`, conv2 always uses stride 1",
        _regular_block_with(conv2_strides_like_conv1=True),
    ),
    Mistake(
        "conv2 reads conv1 directly: in v2 every conv reads a pre-activated input, "
        "so the pre-activation between the two convs is missing",
        _regular_block_with(pre_activate_conv1=False),
    ),
    Mistake(
        "conv2 reads `pre_activated1`, so conv1 is never used: look at which tensor feeds conv2",
        _regular_block_with(conv2_reads_pre_activated1=True),
    ),
    *(
        Mistake(_ADDS_INPUTS, _regular_block_with(added="inputs", add_style=style))
        for style in ADD_STYLES
    ),
    Mistake(
        "the block adds `pre_activated1`; add `shortcut`, which is the raw input "
        "(or its projection), not the normalized one",
        _regular_block_with(added="pre_activated1"),
    ),
    Mistake(
        "there is a ReLU after the addition: that is the original (v1) block; in v2 "
        "the block ends with the bare addition",
        _regular_block_with(relu_after_add=True),
    ),
    # He et al. 2016b (Fig. 4, Table 2) tried both arrangements and measured them
    # worse than the full pre-activation the course builds: wrong designs, not open ones.
    Mistake(
        "the sum is pre-activated (batch norm and ReLU after the addition): in v2 "
        "nothing follows the addition, since the next block pre-activates its own "
        "input; a batch norm on the sum blocks the identity path, which He et al. "
        "2016b (Fig. 4b) measured as worse",
        _regular_block_with(pre_activate_sum=True),
    ),
    Mistake(
        "the branch ends with a ReLU before the addition: then it can never be "
        "negative, so a block can only add to its input; He et al. 2016b (Fig. 4c) "
        "measured this as worse, and the v2 branch ends with the bare conv2",
        _regular_block_with(relu_before_add=True),
    ),
    Mistake(
        "conv2 is not a 3x3 conv: look at its kernel size",
        _regular_block_with(conv2_kernel=1),
    ),
    Mistake(
        "conv2 has a bias: build it with `self.custom_conv2d`, which leaves the bias "
        "to the next batch norm",
        _regular_block_with(conv2_bias=True),
    ),
]


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            block_case(
                "stride 1 with the identity shortcut (channels_first)",
                "channels_first",
                6,
                8,
                8,
                1,
                None,
            ),
            block_case(
                "stride 2 on an odd-sized input, is_training=False (channels_last)",
                "channels_last",
                7,
                4,
                6,
                2,
                6,
                is_training=False,
            ),
            block_case(
                "stride 1 with a widening projection (channels_last)",
                "channels_last",
                5,
                4,
                8,
                1,
                8,
            ),
        ]
    return [
        block_case(
            "stride 1 with the identity shortcut (channels_last)", "channels_last", 8, 8, 8, 1, None
        ),
        block_case(
            "stride 2 with a projection shortcut (channels_last)", "channels_last", 8, 4, 8, 2, 8
        ),
        block_case(
            "stride 2 with a projection shortcut, is_training=False (channels_first)",
            "channels_first",
            8,
            4,
            8,
            2,
            8,
            is_training=False,
        ),
    ]


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = diagnose(
        EXERCISE,
        learner_class,
        ResNetModel,
        "regular_block",
        cases(thorough),
        MISTAKES,
        modes=MODES,
    )
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(EXERCISE, passed)
