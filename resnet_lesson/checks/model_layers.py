"""Chapter 9 check: ``model_layers`` (the head: final pre-activation, pooling, logits).

The check builds whole (small) networks: ResNet-18 and ResNet-50 on 64x64 images, where
the last block layer's map is 2x2, so flattening and average pooling differ.
"""

import keras
import numpy as np

from resnet_lesson.checks.engine import (
    Case,
    Mistake,
    case_inputs,
    diagnose,
    exercise_check,
    quiet,
    report,
)
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "model_layers"
OUTPUT_SIZE = 10  # what engine.build_piece passes as output_size


def stem_and_block_layers(resnet, inputs, is_training):
    """The given part of ``model_layers`` (stem and block layers), as the exercise shows it."""
    conv_initial = resnet.custom_conv2d(inputs, resnet.filters_initial, 7, 2, name="conv_initial")
    pool_initial = keras.layers.MaxPooling2D(
        3, 2, padding="same", data_format=resnet.data_format, name="pool_initial"
    )(conv_initial)
    block_layer_outputs = pool_initial
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


def _model_layers_with(
    final="bn_relu", pooling="average", pooling_format=True, softmax=False, dense_bias=True
):
    """The reference network with one twist in its head: the material of the mistakes."""

    def model_layers(self, inputs, is_training):
        block_layer_outputs = stem_and_block_layers(self, inputs, is_training)
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
    "the head flattens the last feature map: average it over the map with "
    "`keras.layers.GlobalAveragePooling2D(data_format=self.data_format)`, which "
    "gives one value per channel whatever the image size"
)

MISTAKES = [
    Mistake(
        "the final pre-activation is missing: the last block ends with a bare "
        "addition, so apply `self.pre_activation(block_layer_outputs, is_training)` "
        "before pooling",
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
        "the wrong axes; pass `data_format=self.data_format` to the pooling layer",
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
        first = np.asarray(learner_model(x, training=True))
        second = np.asarray(learner_model(x, training=True))
    if not np.allclose(first, second, rtol=1e-5, atol=1e-5):
        return (
            "the output is random in training mode: that is dropout, which the course's "
            "ResNet leaves out (batch norm already regularizes, He et al. 2016a); "
            "remove it."
        )
    return None


def _case(description, data_format, num_layers, size=64):
    shape = (size, size, 3) if data_format == "channels_last" else (3, size, size)
    return Case(description, data_format, shape, dict(is_training=True), num_layers=num_layers)


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case("ResNet-50 on 32x32 images (channels_first)", "channels_first", 50, 32),
        ]
    return [
        _case("ResNet-18 on 64x64 images (channels_last)", "channels_last", 18),
        _case("ResNet-18 on 64x64 images (channels_first)", "channels_first", 18),
    ]


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = diagnose(
        EXERCISE,
        learner_class,
        ResNetModel,
        "model_layers",
        cases(thorough),
        MISTAKES,
        output_check=_output_problem,
    )
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(EXERCISE, passed)
