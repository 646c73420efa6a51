"""Chapter 9 check: ``model_layers`` (the stem: ``conv_initial`` and ``pool_initial``; the
head: final pre-activation, pooling, logits; the loop over the block layers is given).

The check builds whole (small) networks: a narrow ResNet-18 on 64x64 images (8 filters
in the first block layer), where the last block layer's map is 2x2, so flattening and
average pooling differ; the hidden test adds a narrow ResNet-50 on 32x32 images.
"""

import keras
import numpy as np

from resnet_lesson import data_formats
from resnet_lesson.checks.engine import diagnose, report
from resnet_lesson.checks.pieces import BARE_CALL, Case, Mistake, build_piece, case_inputs, quiet
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "model_layers"
OUTPUT_SIZE = 10  # what engine.build_piece passes as output_size
# training= given explicitly overrides the flag the learner passed on; a bare call is
# where a batch norm that ignores `is_training` shows.
MODES = (True, False, BARE_CALL)


def _stem(
    resnet,
    inputs,
    is_training,
    conv_kernel=7,
    conv_strides=2,
    conv_padding="custom",
    pool="max",
    pool_size=3,
    pool_strides=2,
    pool_padding="same",
    pool_format=True,
    pre_activated=False,
    conv_filters=None,
):
    """The stem (7x7/2 conv ``conv_initial``, 3x3/2 max pool ``pool_initial``), or a
    twisted one: the building material of the stem's mistakes."""
    filters = conv_filters or resnet.filters_initial
    if conv_padding == "custom":
        conv_initial = resnet.custom_conv2d(
            inputs, filters, conv_kernel, conv_strides, name="conv_initial"
        )
    else:  # Keras's own padding, which depends on the input size (chapter 3)
        conv_initial = keras.layers.Conv2D(
            filters,
            conv_kernel,
            conv_strides,
            padding=conv_padding,
            use_bias=False,
            data_format=resnet.data_format,
            name="conv_initial",
        )(inputs)
    if pre_activated:  # v1's batch norm and ReLU after the first conv
        conv_initial = resnet.pre_activation(conv_initial, is_training)
    if pool is None:
        return conv_initial
    pooling = {"max": keras.layers.MaxPooling2D, "average": keras.layers.AveragePooling2D}[pool]
    data_format = {"data_format": resnet.data_format} if pool_format else {}
    return pooling(
        pool_size, pool_strides, padding=pool_padding, name="pool_initial", **data_format
    )(conv_initial)


def _block_layers(resnet, block_layer_outputs, is_training):
    """The given loop over the four block layers, as the exercise shows it."""
    for i, num_blocks in enumerate(resnet.block_layer_sizes):
        block_layer_outputs = resnet.block_layer(
            block_layer_outputs,
            resnet.filters_initial * 2**i,
            resnet.block_strides[i],
            num_blocks,
            is_training,
            i + 1,
        )
    return block_layer_outputs


def stem_and_block_layers(resnet, inputs, is_training, **stem_twists):
    """The stem and the block layers, as the reference builds them (or with a twisted stem)."""
    pool_initial = _stem(resnet, inputs, is_training, **stem_twists)
    return _block_layers(resnet, pool_initial, is_training)


def _model_layers_with(
    stem=None,
    final="bn_relu",
    pooling="average",
    pooling_format=True,
    softmax=False,
    dense_bias=True,
):
    """The reference network with one twist in its stem (``stem``: the twists of
    :func:`_stem`) or its head: the material of the mistakes."""

    def model_layers(self, inputs, is_training):
        block_layer_outputs = stem_and_block_layers(self, inputs, is_training, **(stem or {}))
        if final == "bn_relu":
            head = self.pre_activation(block_layer_outputs, is_training)
        elif final == "bn":
            axis = 1 if self.data_format == "channels_first" else 3
            head = keras.layers.BatchNormalization(axis=axis)(
                block_layer_outputs, training=is_training
            )
        else:
            head = block_layer_outputs
        data_format = {} if not pooling_format else {"data_format": self.data_format}
        if pooling == "average":
            pooled = keras.layers.GlobalAveragePooling2D(**data_format)(head)
        elif pooling == "max":
            pooled = keras.layers.GlobalMaxPooling2D(**data_format)(head)
        else:
            pooled = keras.layers.Flatten(**data_format)(head)
        logits = keras.layers.Dense(self.output_size, use_bias=dense_bias, name="logits")(pooled)
        return keras.layers.Softmax()(logits) if softmax else logits

    return model_layers


_FLATTEN = (
    "the head flattens the last feature map: average it over the map instead "
    "(global average pooling, told the data format), which gives one value per "
    "channel whatever the image size"
)

STEM_MISTAKES = [
    Mistake(
        "the stem has no max pool: after `conv_initial` a 3x3 max pool with stride 2 "
        "(`pool_initial`) halves the map once more before the block layers",
        _model_layers_with(stem=dict(pool=None)),
    ),
    Mistake(
        "`conv_initial` does not stride: the stem's 7x7 conv has stride 2, halving the image",
        _model_layers_with(stem=dict(conv_strides=1)),
    ),
    Mistake(
        "the max pool (`pool_initial`) does not stride: it has stride 2, so the stem "
        "divides the height and width by 4 in all",
        _model_layers_with(stem=dict(pool_strides=1)),
    ),
    Mistake(
        "`conv_initial` is not a 7x7 conv: look at its kernel size",
        _model_layers_with(stem=dict(conv_kernel=3)),
    ),
    Mistake(
        "the max pool's window is not 3x3: look at its pool size",
        _model_layers_with(stem=dict(pool_size=2)),
    ),
    Mistake(
        "the max pool pads 'valid', so it loses the border: the stem's pool pads 'same'",
        _model_layers_with(stem=dict(pool_padding="valid")),
    ),
    Mistake(
        "`conv_initial` pads the Keras 'same' way, which depends on the image size: a "
        "strided conv of this model pads by its kernel size alone (chapter 3); build it "
        "with `self.custom_conv2d`",
        _model_layers_with(stem=dict(conv_padding="same")),
    ),
    Mistake(
        "the stem pools with the average: `pool_initial` is a max pool",
        _model_layers_with(stem=dict(pool="average")),
    ),
    Mistake(
        "there is a batch norm and ReLU between `conv_initial` and the pool: that is "
        "the original (v1) stem; in v2 the first block's pre-activation normalizes",
        _model_layers_with(stem=dict(pre_activated=True)),
    ),
    Mistake(
        "the max pool ignores the data format: with channels_first it pools over the "
        "wrong axes; tell the pooling layer `self.data_format`",
        _model_layers_with(stem=dict(pool_format=False)),
    ),
    Mistake(
        "`conv_initial` has 64 filters whatever the model says: its width is "
        "`self.filters_initial` (chapter 11's digits model is narrower than 64)",
        _model_layers_with(stem=dict(conv_filters=64)),
    ),
]

HEAD_MISTAKES = [
    Mistake(
        "the final pre-activation is missing: the last block ends with a bare "
        "addition, so the head must normalize and activate it before pooling",
        _model_layers_with(final=None),
    ),
    Mistake(
        "the final pre-activation has no ReLU: use `self.pre_activation` (batch norm "
        "and ReLU), not batch norm alone",
        _model_layers_with(final="bn"),
    ),
    Mistake(_FLATTEN, _model_layers_with(pooling="flatten")),
    Mistake(_FLATTEN, _model_layers_with(pooling="flatten", pooling_format=False)),
    Mistake(
        "the pooling ignores the data format: with channels_first it averages over "
        "the wrong axes; tell the pooling layer `self.data_format`",
        _model_layers_with(pooling_format=False),
    ),
    Mistake(
        "the head takes the maximum over the map: use global *average* pooling",
        _model_layers_with(pooling="max"),
    ),
    Mistake(
        "the logits go through a softmax: return the dense layer's raw outputs (the "
        "loss applies the softmax, with `from_logits=True`)",
        _model_layers_with(softmax=True),
    ),
    Mistake(
        "the dense layer has no bias: keep Keras's default `use_bias=True` for the "
        "logits (no batch norm follows them)",
        _model_layers_with(dense_bias=False),
    ),
]

# Head first: the head was the whole exercise before, and its mistakes stay as quick to name.
MISTAKES = HEAD_MISTAKES + STEM_MISTAKES

STEM_NAMES = ("conv_initial", "pool_initial")


def _output_problem(learner_model, case):
    """Malformed logits (wrong rank or units) and dropout, which no exact rerun reproduces."""
    shape = tuple(learner_model.outputs[0].shape) if len(learner_model.outputs) == 1 else None
    if shape is None:
        return (
            "the method returns several tensors: return only the logits, one "
            "tensor of shape (batch, output_size)."
        )
    if len(shape) != 2:
        return (
            f"for {case.description} the output has shape {shape[1:]} per image; the "
            "logits must be one vector per image: pool the last feature map "
            "(global average pooling) before the dense layer."
        )
    if shape[-1] != OUTPUT_SIZE:
        return (
            f"the dense layer has {shape[-1]} units: it needs `self.output_size` "
            f"units, one per class ({OUTPUT_SIZE} in this check)."
        )
    x = case_inputs(case)
    with quiet():
        first = np.asarray(data_formats.call(learner_model, x, True))
        second = np.asarray(data_formats.call(learner_model, x, True))
    if not np.allclose(first, second, rtol=1e-5, atol=1e-5):
        return (
            "the output is random in training mode: that is dropout, which the course's "
            "ResNet leaves out (batch norm already regularizes, He et al. 2016a); "
            "remove it."
        )
    return None


def _case(description, data_format, num_layers, size=64, is_training=True):
    shape = (size, size, 3) if data_format == "channels_last" else (3, size, size)
    return Case(
        description, data_format, shape, dict(is_training=is_training), num_layers=num_layers
    )


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case("ResNet-50 on 32x32 images (channels_first)", "channels_first", 50, 32),
        ]
    return [
        _case("ResNet-18 on 64x64 images (channels_last)", "channels_last", 18),
        _case(
            "ResNet-18 on 64x64 images, is_training=False (channels_first)",
            "channels_first",
            18,
            is_training=False,
        ),
    ]


def _stem_names_problem(learner_class, case):
    """Right values, but are the stem's layers named? Chapter 9's measurements find
    the stem by its names (asked only once the values are right, so that a missing
    pool is named as a missing pool)."""
    names = {layer.name for layer in build_piece(learner_class, "model_layers", case).layers}
    missing = [name for name in STEM_NAMES if name not in names]
    if missing:
        return (
            f"no layer is named {' or '.join(f'`{name}`' for name in missing)}: give the "
            "stem's conv and pool these names (`name=`); the measurements after the "
            "exercise find the stem by them."
        )
    return None


NARROW_FILTERS = 8  # instead of 64 in the first block layer (still doubling)


def narrow(model_class):
    """``model_class`` with ``NARROW_FILTERS`` filters in its first block layer.

    The same network with 64 times fewer weights, so each build (the learner's, the
    reference's and every known mistake's) takes a fraction of the time. A stem that
    ignores ``self.filters_initial`` no longer matches, as it would not in chapter 11,
    whose digits model is narrower than 64 too.
    """

    class Narrow(model_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters_initial = NARROW_FILTERS

    Narrow.__name__ = model_class.__name__
    return Narrow


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    learner_class = narrow(learner_class)
    passed = diagnose(
        EXERCISE,
        learner_class,
        narrow(ResNetModel),
        "model_layers",
        cases(thorough),
        MISTAKES,
        output_check=_output_problem,
        modes=MODES,
    )
    problem = _stem_names_problem(learner_class, passed[0])
    if problem:
        raise CheckFailed(EXERCISE, problem)
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(EXERCISE, passed)
