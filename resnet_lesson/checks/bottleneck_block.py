"""Chapter 7 check: ``bottleneck_block`` (1x1 squeeze, 3x3, 1x1 expand, plus the shortcut)."""

import keras

from resnet_lesson.checks.engine import Case, Mistake, diagnose, exercise_check, report
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "bottleneck_block"


def _bottleneck_block_with(
    conv3_filters_factor=4,
    conv3_strided=False,
    conv3_kernel=1,
    pre_activate_conv2=True,
    conv3_reads="pre_activated3",
    conv3_bias=False,
    added="shortcut",
    relu_after_add=False,
):
    """The reference block with one twist: the building material of the known mistakes."""

    def bottleneck_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        shortcut_params = (shortcut_filters, strides)
        pre_activated1, shortcut = self.pre_activation_with_shortcut(
            inputs, is_training, shortcut_params
        )
        conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
        pre_activated2 = self.pre_activation(conv1, is_training)
        conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
        pre_activated3 = self.pre_activation(conv2, is_training) if pre_activate_conv2 else conv2
        conv3_input = {
            "pre_activated3": pre_activated3,
            "pre_activated2": pre_activated2,
            "conv2": conv2,
        }[conv3_reads]
        conv3_filters = conv3_filters_factor * filters
        conv3_strides = strides if conv3_strided else 1
        if conv3_bias:
            conv3 = keras.layers.Conv2D(
                conv3_filters,
                conv3_kernel,
                conv3_strides,
                padding="same",
                data_format=self.data_format,
            )(conv3_input)
        else:
            conv3 = self.custom_conv2d(conv3_input, conv3_filters, conv3_kernel, conv3_strides)
        if added is None:
            return conv3
        outputs = (
            conv3
            + {"shortcut": shortcut, "inputs": inputs, "pre_activated1": pre_activated1}[added]
        )
        return keras.layers.ReLU()(outputs) if relu_after_add else outputs

    return bottleneck_block


MISTAKES = [
    Mistake(
        "the shortcut is not added: the block must return `conv3 + shortcut`",
        _bottleneck_block_with(added=None),
    ),
    Mistake(
        "conv3 has `filters` filters: the last 1x1 conv expands to `4 * filters`",
        _bottleneck_block_with(conv3_filters_factor=1),
    ),
    Mistake(
        "conv3 strides: only conv2 (the 3x3 conv) uses `strides`, conv3 always uses stride 1",
        _bottleneck_block_with(conv3_strided=True),
    ),
    Mistake(
        "conv3 is not a 1x1 conv: the expanding conv has kernel size 1, "
        "`self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)`",
        _bottleneck_block_with(conv3_kernel=3),
    ),
    Mistake(
        "conv3 reads conv2 directly: pre-activate it first with "
        "`pre_activated3 = self.pre_activation(conv2, is_training)`",
        _bottleneck_block_with(pre_activate_conv2=False),
    ),
    Mistake(
        "conv3 reads `pre_activated2`, so conv2 is never used: conv3's input is `pre_activated3`",
        _bottleneck_block_with(conv3_reads="pre_activated2"),
    ),
    Mistake(
        "the block adds `pre_activated1`; add `shortcut`, which is the raw input "
        "(or its projection), not the normalized one",
        _bottleneck_block_with(added="pre_activated1"),
    ),
    Mistake(
        "there is a ReLU after the addition: that is the original (v1) block; in v2 "
        "the block ends with the bare addition",
        _bottleneck_block_with(relu_after_add=True),
    ),
    Mistake(
        "conv3 has a bias: build it with `self.custom_conv2d`, which leaves the bias "
        "to the next batch norm",
        _bottleneck_block_with(conv3_bias=True),
    ),
]


def _case(description, data_format, size, channels, filters, strides, shortcut_filters):
    shape = (size, size, channels) if data_format == "channels_last" else (channels, size, size)
    return Case(
        description,
        data_format,
        shape,
        dict(
            filters=filters,
            strides=strides,
            is_training=True,
            index=0,
            shortcut_filters=shortcut_filters,
        ),
        num_layers=50,
    )


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case(
                "stride 1 with the identity shortcut (channels_first)",
                "channels_first",
                6,
                16,
                4,
                1,
                None,
            ),
            _case(
                "stride 2 on an odd-sized input (channels_last)", "channels_last", 7, 12, 3, 2, 12
            ),
            _case(
                "stride 1 with a widening projection, as in ResNet-50's first block "
                "(channels_last)",
                "channels_last",
                5,
                4,
                4,
                1,
                16,
            ),
        ]
    return [
        _case(
            "stride 1 with the identity shortcut (channels_last)",
            "channels_last",
            8,
            16,
            4,
            1,
            None,
        ),
        _case(
            "stride 2 with a projection shortcut (channels_last)", "channels_last", 8, 8, 4, 2, 16
        ),
        _case(
            "stride 2 with a projection shortcut (channels_first)", "channels_first", 8, 8, 4, 2, 16
        ),
    ]


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = diagnose(
        EXERCISE, learner_class, ResNetModel, "bottleneck_block", cases(thorough), MISTAKES
    )
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(EXERCISE, passed)
