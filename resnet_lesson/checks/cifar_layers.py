"""Chapter 12 check: ``cifar_layers``, the network no chapter printed: He et al. (2016a,
section 4.2)'s ResNet for small images, in its pre-activation form.

``cifar_layers(inputs, is_training, blocks_per_stage, filters=16)``: a 3x3 conv of
stride 1 (``filters`` filters, no pool), three stages of ``blocks_per_stage`` regular
blocks with ``filters``, ``2 * filters`` and ``4 * filters`` filters (the first block of
the second and third stage strides 2), the final pre-activation, global average pooling
and the dense logits: 6n + 2 weighted layers for n blocks per stage.

The check builds small networks from the learner's class and from :class:`CifarReference`
and compares their outputs with the same weights (``engine.diagnose``); each known
mistake (the ImageNet stem kept, a max pool, the wrong stage widths, the wrong number of
blocks, no final pre-activation, ...) is named in one sentence.
"""

import keras

from resnet_lesson.checks.engine import diagnose, report
from resnet_lesson.checks.pieces import BARE_CALL, Case, Mistake, map_shape
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "cifar_layers"
OUTPUT_SIZE = 10  # what engine.build_piece passes as output_size
MODES = (True, False, BARE_CALL)


class CifarReference(_CourseModel):
    """The course's model with the capstone's new method: the check's reference."""

    def cifar_layers(self, inputs, is_training, blocks_per_stage, filters=16):
        """The CIFAR ResNet v2 of He et al. (2016a, section 4.2), as logits."""
        features = self.custom_conv2d(inputs, filters, 3, 1, name="conv_initial")
        for stage, stage_strides in enumerate((1, 2, 2)):
            features = self.block_layer(
                features,
                filters * 2**stage,
                stage_strides,
                blocks_per_stage,
                is_training,
                stage + 1,
            )
        features = self.pre_activation(features, is_training)
        pooled = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(features)
        return keras.layers.Dense(self.output_size, name="logits")(pooled)


def _cifar_layers_with(
    stem_kernel=3,
    stem_strides=1,
    pool=False,
    widths=(1, 2, 4),
    strides=(1, 2, 2),
    blocks=lambda n: n,
    final="bn_relu",
    stem_width=None,
    pooling="average",
    softmax=False,
):
    """The reference with one twist: the material of the mistakes."""

    def cifar_layers(self, inputs, is_training, blocks_per_stage, filters=16):
        features = self.custom_conv2d(
            inputs, stem_width or filters, stem_kernel, stem_strides, name="conv_initial"
        )
        if pool:
            features = keras.layers.MaxPooling2D(
                3, 2, padding="same", data_format=self.data_format
            )(features)
        for stage, (width, stage_strides) in enumerate(zip(widths, strides)):
            features = self.block_layer(
                features,
                width * filters,
                stage_strides,
                blocks(blocks_per_stage),
                is_training,
                stage + 1,
            )
        if final == "bn_relu":
            features = self.pre_activation(features, is_training)
        elif final == "bn":
            axis = 1 if self.data_format == "channels_first" else 3
            features = keras.layers.BatchNormalization(axis=axis)(features, training=is_training)
        if pooling == "average":
            pooled = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(features)
        else:
            pooled = keras.layers.Flatten(data_format=self.data_format)(features)
        logits = keras.layers.Dense(self.output_size, name="logits")(pooled)
        return keras.layers.Softmax()(logits) if softmax else logits

    return cifar_layers


MISTAKES = [
    Mistake(
        "the stem is ImageNet's (a 7x7 conv of stride 2, then a max pool): the CIFAR "
        "network starts with one 3x3 conv of stride 1 and no pool, because a 28x28 or "
        "32x32 image has no resolution to spare",
        _cifar_layers_with(stem_kernel=7, stem_strides=2, pool=True),
    ),
    Mistake(
        "a max pool follows the stem: the CIFAR network has none, its first stage works "
        "on the full image size",
        _cifar_layers_with(pool=True),
    ),
    Mistake(
        "the stem strides: its 3x3 conv has stride 1, so the first stage sees the whole image",
        _cifar_layers_with(stem_strides=2),
    ),
    Mistake(
        "the stem's conv is not 3x3: the CIFAR network's first conv is as small as every other one",
        _cifar_layers_with(stem_kernel=7),
    ),
    Mistake(
        "the stem's width is not `filters`: the first conv has as many filters as the first stage",
        _cifar_layers_with(stem_width=64),
    ),
    Mistake(
        "the stages are ImageNet-wide (64, 128, 256 filters): the three stages have "
        "`filters`, `2 * filters` and `4 * filters` filters (16, 32, 64 by default)",
        _cifar_layers_with(widths=(4, 8, 16)),
    ),
    Mistake(
        "the stages do not double their width: the three stages have `filters`, "
        "`2 * filters` and `4 * filters` filters",
        _cifar_layers_with(widths=(1, 1, 1)),
    ),
    Mistake(
        "there are four stages: the CIFAR network has three (16, 32, 64 filters by "
        "default), where ImageNet's has four",
        _cifar_layers_with(widths=(1, 2, 4, 8), strides=(1, 2, 2, 2)),
    ),
    Mistake(
        "the first stage strides: only the second and third stages halve the map "
        "(strides 1, 2, 2), the first keeps the stem's size",
        _cifar_layers_with(strides=(2, 2, 2)),
    ),
    Mistake(
        "no stage strides: the second and third stages each halve the map (strides 1, 2, 2)",
        _cifar_layers_with(strides=(1, 1, 1)),
    ),
    Mistake(
        "each stage has 2n blocks: a stage has `blocks_per_stage` (n) blocks of two convs "
        "each, which with the stem and the dense layer makes 6n + 2 layers",
        _cifar_layers_with(blocks=lambda n: 2 * n),
    ),
    Mistake(
        "each stage has one block too many: a stage has `blocks_per_stage` blocks",
        _cifar_layers_with(blocks=lambda n: n + 1),
    ),
    Mistake(
        "the final pre-activation is missing: in a v2 network the last block ends with a "
        "bare addition, so batch norm and ReLU come before the pooling",
        _cifar_layers_with(final=None),
    ),
    Mistake(
        "the final pre-activation has no ReLU: use your `pre_activation` (batch norm "
        "and ReLU), not batch norm alone",
        _cifar_layers_with(final="bn"),
    ),
    Mistake(
        "the head flattens the last feature map: average it over the map (global "
        "average pooling) to get one value per channel",
        _cifar_layers_with(pooling="flatten"),
    ),
    Mistake(
        "the logits go through a softmax: return the dense layer's raw outputs (the "
        "loss applies the softmax, with `from_logits=True`)",
        _cifar_layers_with(softmax=True),
    ),
]


def _output_problem(learner_model, case):
    """Logits of the wrong rank or size, which no rerun of a twisted reference explains."""
    if len(learner_model.outputs) != 1:
        return "the method returns several tensors: return only the logits."
    shape = tuple(learner_model.outputs[0].shape)
    if len(shape) != 2:
        return (
            f"for {case.description} the output has shape {shape[1:]} per image: the "
            "logits are one vector per image (pool the last feature map, then the dense layer)."
        )
    if shape[-1] != OUTPUT_SIZE:
        return (
            f"the dense layer has {shape[-1]} units: it needs `self.output_size` "
            f"({OUTPUT_SIZE} in this check), one per class."
        )
    return None


def _case(description, data_format, size, channels, blocks_per_stage, filters, is_training=True):
    shape = map_shape(data_format, size, channels)
    kwargs = dict(is_training=is_training, blocks_per_stage=blocks_per_stage, filters=filters)
    return Case(description, data_format, shape, kwargs)


def cases(thorough=False):
    if thorough:  # the hidden test's own cases
        return [
            _case(
                "n=3 (ResNet-20), 4 filters, 16x16x3 images, is_training=False",
                "channels_last",
                16,
                3,
                3,
                4,
                is_training=False,
            ),
            _case(
                "n=1 (ResNet-8), 4 filters, 8x8x3 images (channels_first)",
                "channels_first",
                8,
                3,
                1,
                4,
            ),
        ]
    return [
        _case("n=2 (ResNet-14), 8 filters, 28x28x1 images", "channels_last", 28, 1, 2, 8),
        _case("n=1 (ResNet-8), 16 filters, 16x16x3 images", "channels_last", 16, 3, 1, 16),
    ]


@exercise_check(EXERCISE, CifarReference)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = diagnose(
        EXERCISE,
        learner_class,
        CifarReference,
        "cifar_layers",
        cases(thorough),
        MISTAKES,
        output_check=_output_problem,
        modes=MODES,
    )
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(EXERCISE, passed)
