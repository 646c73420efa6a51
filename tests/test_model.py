"""The reference ResNetModel: constructor, blocks, data formats and training."""

import keras
import numpy as np
import pytest

from resnet_lesson import BLOCK_LAYER_SIZES, ResNetModel, build_resnet, data_formats

FORMATS = ("channels_last", "channels_first")


# Constructor -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "depth, sizes",
    [
        (18, [2, 2, 2, 2]),
        (34, [3, 4, 6, 3]),
        (50, [3, 4, 6, 3]),
        (101, [3, 4, 23, 3]),
        (152, [3, 8, 36, 3]),
        (200, [3, 24, 36, 3]),
    ],
)
def test_block_layer_sizes_and_bottleneck(depth, sizes):
    resnet = ResNetModel(256, 224, depth, 1000)
    assert resnet.block_layer_sizes == sizes
    assert resnet.bottleneck == (depth >= 50)
    # The depth is the number of weighted layers: 2 or 3 convs per block, plus the
    # initial conv and the logits.
    convs_per_block = 3 if resnet.bottleneck else 2
    assert convs_per_block * sum(sizes) + 2 == depth
    assert resnet.filters_initial == 64
    assert resnet.block_strides == [1, 2, 2, 2]


def test_constructor_keeps_its_arguments():
    resnet = ResNetModel(256, 224, 50, 10, data_format="channels_first")
    assert (
        resnet.min_aspect_dim,
        resnet.resize_dim,
        resnet.num_layers,
        resnet.output_size,
        resnet.data_format,
    ) == (256, 224, 50, 10, "channels_first")
    assert ResNetModel(256, 224, 18, 10).data_format == "channels_last"


@pytest.mark.parametrize("num_layers", [0, 20, 51, "50", None, 50.5])
def test_constructor_rejects_unknown_depths(num_layers):
    with pytest.raises(ValueError, match="num_layers must be one of"):
        ResNetModel(256, 224, num_layers, 1000)


@pytest.mark.parametrize("data_format", ["NHWC", "channels-last", None, "CHANNELS_FIRST"])
def test_constructor_rejects_unknown_data_formats(data_format):
    with pytest.raises(ValueError, match="data_format must be"):
        ResNetModel(256, 224, 18, 1000, data_format=data_format)


def test_block_layer_sizes_cover_exactly_the_course_depths():
    assert sorted(BLOCK_LAYER_SIZES) == [18, 34, 50, 101, 152, 200]


# A block whose residual branch is zero is its shortcut --------------------------------
def _one_block_model(kind, in_channels, filters, strides, shortcut_filters, size=8):
    resnet = ResNetModel(size, size, 18, 10)
    inputs = keras.Input((size, size, in_channels))
    block = resnet.bottleneck_block if kind == "bottleneck" else resnet.regular_block
    outputs = block(
        inputs, filters, strides, is_training=False, index=0, shortcut_filters=shortcut_filters
    )
    return keras.Model(inputs, outputs)


def _residual_and_shortcut(model):
    """The block's final ``+``: the conv ending the residual branch, and the shortcut."""
    adds = [op for op in model.operations if type(op).__name__ == "Add"]
    assert len(adds) == 1
    branch, shortcut = adds[0].input
    producers = {id(op.output): op for op in model.operations}
    last_conv = producers[id(branch)]
    assert isinstance(last_conv, keras.layers.Conv2D)
    return last_conv, shortcut


@pytest.mark.parametrize(
    "kind, in_channels, filters, strides, shortcut_filters",
    [
        ("regular", 16, 16, 1, None),  # identity shortcut
        ("regular", 8, 16, 2, 16),  # projection shortcut, strided
        ("bottleneck", 32, 8, 1, None),  # identity: 4 * 8 channels in and out
        ("bottleneck", 16, 8, 2, 32),  # projection to 4 * filters, strided
    ],
)
def test_zero_residual_branch_gives_the_shortcut(
    kind, in_channels, filters, strides, shortcut_filters
):
    model = _one_block_model(kind, in_channels, filters, strides, shortcut_filters)
    last_conv, shortcut = _residual_and_shortcut(model)
    probe = keras.Model(model.input, [model.output, shortcut])
    # Not a pattern the block could map to itself by accident: a smooth ramp.
    x = np.linspace(-2.0, 3.0, 8 * 8 * in_channels, dtype="float32").reshape(1, 8, 8, in_channels)

    output, shortcut_value = (np.asarray(t) for t in probe(x, training=False))
    assert output.shape == shortcut_value.shape
    assert not np.allclose(output, shortcut_value)  # the test has something to change

    last_conv.kernel.assign(np.zeros(last_conv.kernel.shape, dtype="float32"))
    for training in (False, True):
        output, shortcut_value = (np.asarray(t) for t in probe(x, training=training))
        np.testing.assert_array_equal(output, shortcut_value)
    if shortcut_filters is None:
        np.testing.assert_array_equal(np.asarray(model(x, training=False)), x)


# Data formats -----------------------------------------------------------------------
def _randomize(model):
    """Weights unlike a fresh model's, so batch norm's statistics matter too."""
    rng = np.random.default_rng()
    for weight in model.weights:
        shape = weight.shape
        if "moving_variance" in weight.path:
            value = rng.uniform(0.5, 2.0, shape)
        elif "moving_mean" in weight.path or "beta" in weight.path:
            value = rng.normal(0.0, 0.5, shape)
        elif "gamma" in weight.path:
            value = rng.uniform(0.5, 1.5, shape)
        else:
            value = np.asarray(weight)
        weight.assign(value.astype("float32"))


# 64x64 leaves 2x2 maps in block_layer4. Smaller inputs (1x1 maps) make training-mode
# batch norm normalise over a handful of values, which turns float rounding (the two
# formats sum in different orders) into large differences.
@pytest.mark.parametrize("depth", [18, pytest.param(50, marks=pytest.mark.slow)])
def test_same_weights_give_same_logits_in_both_data_formats(depth):
    size = 64
    last = build_resnet(depth, size, 10, data_format="channels_last")
    first = build_resnet(depth, size, 10, data_format="channels_first")
    _randomize(last)
    # Same construction order, and Keras keeps conv kernels as (kh, kw, in, out)
    # in both formats, so the weights copy over one to one.
    first.set_weights(last.get_weights())
    x = np.linspace(0.0, 255.0, 4 * size * size * 3, dtype="float32").reshape(4, size, size, 3)
    x = np.sin(x) * 100.0
    for training in (False, True):
        logits_last = np.asarray(last(x, training=training))
        logits_first = np.asarray(data_formats.call(first, np.transpose(x, (0, 3, 1, 2)), training))
        assert logits_last.shape == (4, 10)
        scale = np.abs(logits_last).max()
        assert scale > 0
        # A wrong axis or padding changes logits by about their own size; rounding
        # differences stay orders of magnitude below this tolerance.
        np.testing.assert_allclose(logits_first, logits_last, rtol=1e-3, atol=1e-3 * scale)


# Training ---------------------------------------------------------------------------
def _tiny_batch(data_format, size=32, count=8, classes=10):
    """Eight different fixed images (stripes of different frequencies), labels 0..7."""
    ramp = np.linspace(0.0, 1.0, size)
    images = np.stack(
        [
            np.stack(
                [np.sin((k + 1) * np.add.outer(ramp, (c + 1) * ramp)) for c in range(3)], axis=-1
            )
            for k in range(count)
        ]
    ).astype("float32")
    if data_format == "channels_first":
        images = images.transpose(0, 3, 1, 2)
    return images, np.arange(count) % classes


@pytest.mark.parametrize("data_format", FORMATS)
def test_a_few_fit_steps_lower_the_loss(data_format):
    model = build_resnet(18, 32, 10, data_format=data_format)
    images, labels = _tiny_batch(data_format)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=loss,
        jit_compile=data_formats.jit_compile_for(model),
    )
    # Training-mode loss (batch statistics): it does not wait for batch norm's
    # moving averages, which a few steps barely move.
    before = float(loss(labels, data_formats.call(model, images, True)))
    history = model.fit(images, labels, batch_size=len(images), epochs=5, verbose=0)
    after = float(loss(labels, data_formats.call(model, images, True)))
    assert len(history.history["loss"]) == 5
    assert np.isfinite(after)
    assert after < 0.5 * before
