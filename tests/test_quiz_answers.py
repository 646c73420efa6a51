"""The numbers behind the questions of chapters 2, 3 and 4, computed with the course's code.

Each test computes one question's answer with ``resnet_lesson`` and Keras, reads the
question's options from its chapter source, and asserts that the option marked correct
says that number and that no other option does. So a wrong number in an option, or a
``correct=`` letter moved to another option, fails here.

An option's value is the tuple of the numbers it states before its first colon
("1,024 in v2, 256 in v1" is (1024, 256); a digit glued to a word, as in "v2", is part
of a name, not a number).
"""

import re

import jupytext
import keras
import numpy as np
import pytest
import tensorflow as tf

from resnet_lesson import ResNetModel, analysis, course, input_shape_for
from resnet_lesson.experiments import unit_variants
from resnet_lesson.figures.padding import measure_windows
from resnet_lesson.release.chapter import question_parts

NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?!\w)")


def _question(chapter, grade_id):
    """(choices, index of the option marked correct) of one question in its chapter source."""
    for cell in jupytext.read(course.chapter_source(chapter), fmt="py:percent").cells:
        if cell.metadata.get("grade_id") == grade_id:
            _, choices, _ = question_parts(cell.source)
            return choices, ord(cell.metadata["correct"]) - ord("a")
    raise LookupError(f"{chapter} has no question {grade_id}")


def _value(choice):
    stated = choice.split(":", 1)[0]
    return tuple(float(number.replace(",", "")) for number in NUMBER.findall(stated))


def assert_only_the_correct_option_says(chapter, grade_id, computed):
    choices, correct = _question(chapter, grade_id)
    computed = tuple(float(number) for number in computed)
    values = [_value(choice) for choice in choices]
    assert values[correct] == computed, (
        f"{grade_id}: the option marked correct, {choices[correct]!r}, does not say the "
        f"computed {computed}"
    )
    same = [choice for i, choice in enumerate(choices) if i != correct and values[i] == computed]
    assert not same, f"{grade_id}: a distractor says the computed answer too: {same}"


def _built(resnet, image_size):
    inputs = keras.Input(input_shape_for(image_size, resnet.data_format))
    return keras.Model(inputs, resnet.model_layers(inputs, is_training=True))


# Chapter 2 -------------------------------------------------------------------------------


@pytest.mark.slow
def test_resnet_init_q1_depth_of_a_new_block_layout():
    resnet = ResNetModel(32, 32, 50, 10)
    resnet.block_layer_sizes = [3, 4, 12, 3]
    model = _built(resnet, 32)
    # The layers with weights on the main path: every conv and dense layer but the
    # projection shortcuts' convs.
    weighted = [x for x in model.layers if isinstance(x, keras.layers.Conv2D | keras.layers.Dense)]
    projections = sum(block["projection"] for block in analysis.blocks_of(model))
    assert projections == 4  # one per block layer
    depth = len(weighted) - projections
    assert_only_the_correct_option_says("ch02_model_setup", "resnet_init_q1", [depth])


@pytest.mark.slow
def test_resnet_init_q2_channels_of_a_half_width_resnet50():
    resnet = ResNetModel(32, 32, 50, 10)
    resnet.filters_initial = 32
    last = list(analysis.block_layer_outputs(_built(resnet, 32)).values())[-1]
    assert_only_the_correct_option_says("ch02_model_setup", "resnet_init_q2", [last.shape[-1]])


@pytest.mark.slow
def test_resnet_init_q3_block_layer3_of_resnet34_channels_first_at_320():
    resnet = ResNetModel(320, 320, 34, 10, data_format="channels_first")
    outputs = analysis.block_layer_outputs(_built(resnet, 320))
    shape = outputs["block_layer3"].shape[1:]
    assert_only_the_correct_option_says("ch02_model_setup", "resnet_init_q3", shape)


# Chapter 3 -------------------------------------------------------------------------------


def test_custom_padding_q1_stem_conv_width_at_299():
    resnet = ResNetModel(299, 299, 18, 10)
    outputs = resnet.custom_conv2d(keras.Input((299, 299, 3)), 64, 7, 2)
    assert_only_the_correct_option_says(
        "ch03_custom_padding", "custom_padding_q1", [outputs.shape[2]]
    )


def test_custom_padding_q2_widths_where_same_matches_at_stride_4():
    resnet = ResNetModel(8, 8, 18, 10)
    matching = [
        width
        for width in (224, 225, 226, 227)
        if measure_windows(width, 3, 4) == measure_windows(width, 3, 4, resnet.custom_padding)
    ]
    assert_only_the_correct_option_says("ch03_custom_padding", "custom_padding_q2", matching)


def test_custom_padding_q3_shape_of_a_padded_channels_first_tensor():
    resnet = ResNetModel(8, 8, 18, 10, data_format="channels_first")
    padded = resnet.custom_padding(np.zeros((8, 3, 224, 160), "float32"), 5)
    assert_only_the_correct_option_says("ch03_custom_padding", "custom_padding_q3", padded.shape)


# Chapter 4 -------------------------------------------------------------------------------


def _share_unchanged_along_the_shortcuts(ordering, num_units=9, width=16):
    """The share of dE/dx_L's entries that reach x_0 unchanged when no gradient may enter
    a branch (chapter 4's first eq. 5 measurement), for a stack of the paper's units;
    also the smallest value any branch output."""
    rng = np.random.default_rng(0)
    branches = []
    for index in range(num_units):
        inputs = keras.Input((8, 8, width))
        layers = unit_variants.UnitLayers(f"unit{index}", bn_momentum=0.9)
        outputs = unit_variants.residual_function(inputs, ordering, width, layers)
        branches.append(keras.Model(inputs, outputs))
    x0 = tf.constant(rng.normal(size=(16, 8, 8, width)).astype("float32"))
    weights = tf.constant(rng.normal(size=(16, 8, 8, width)).astype("float32"))
    smallest = np.inf
    with tf.GradientTape() as tape:
        tape.watch(x0)
        xs = [x0]
        for branch in branches:
            f = branch(tf.stop_gradient(xs[-1]), training=True)
            smallest = min(smallest, float(tf.reduce_min(f)))
            total = xs[-1] + f
            xs.append(keras.ops.relu(total) if ordering == "original" else total)
        loss = tf.reduce_sum(xs[-1] * weights)
    at_x0, at_xL = tape.gradient(loss, [xs[0], xs[-1]])
    share = float(tf.reduce_mean(tf.cast(tf.equal(at_x0, at_xL), "float32")))
    return 100 * share, smallest


@pytest.mark.slow
def test_pre_activation_q1_relu_before_addition_keeps_the_identity_gradient():
    share, smallest = _share_unchanged_along_the_shortcuts("ReLU before addition")
    assert smallest >= 0.0  # every branch adds non-negative values: the unit's weakness
    # The measurement can tell: with v1's ReLU after the addition, entries are lost.
    assert _share_unchanged_along_the_shortcuts("original")[0] < 100
    assert_only_the_correct_option_says("ch04_pre_activation", "pre_activation_q1", [share])


def test_pre_activation_q2_numbers_behind_one_channels_mean():
    shape = (32, 64, 56, 56)
    resnet = ResNetModel(8, 8, 18, 10, data_format="channels_first")
    inputs = keras.Input(shape[1:])
    model = keras.Model(inputs, resnet.pre_activation(inputs, is_training=True))
    (batch_norm,) = [x for x in model.layers if isinstance(x, keras.layers.BatchNormalization)]
    # One mean per channel, taken over the batch and both spatial axes:
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(4,) + shape[1:]).astype("float32")
    normalized = np.asarray(batch_norm(x, training=True))
    np.testing.assert_allclose(normalized.mean(axis=(0, 2, 3)), 0.0, atol=1e-3)
    np.testing.assert_allclose(normalized.std(axis=(0, 2, 3)), 1.0, atol=1e-2)
    averaged = np.prod(shape) // batch_norm.moving_mean.shape[0]
    assert_only_the_correct_option_says("ch04_pre_activation", "pre_activation_q2", [averaged])


def test_pre_activation_q3_batch_norm_before_and_after_a_squeezing_conv():
    resnet = ResNetModel(8, 8, 50, 10)
    inputs = keras.Input((14, 14, 256))
    # v2: batch norm (and ReLU) on the conv's input; the ReLU holds no parameters.
    v2 = keras.Model(inputs, resnet.pre_activation(inputs, is_training=True)).count_params()
    # v1: batch norm on the conv's output (whose ReLU is as free).
    squeezed = resnet.custom_conv2d(inputs, 64, 1, 1)
    conv_only = keras.Model(inputs, squeezed).count_params()
    conv_and_norm = keras.Model(inputs, resnet.pre_activation(squeezed, is_training=True))
    v1 = conv_and_norm.count_params() - conv_only
    assert_only_the_correct_option_says("ch04_pre_activation", "pre_activation_q3", [v2, v1])
