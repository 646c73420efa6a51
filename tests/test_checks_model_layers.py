"""The chapter 9 check accepts a correct ``model_layers`` however written (stem, loop
over the block layers, head), and names mistakes.

Every check here builds small whole networks (short ResNets on 64x64 images), so the
mistake tests are marked slow.
"""

import keras
import pytest
from conftest import check_failure

from resnet_lesson.checks import model_layers as check_module
from resnet_lesson.checks.model_layers_mistakes import stem_and_block_layers
from resnet_lesson.model import ResNetModel


def learner(head):
    """A learner class with the given stem and block layers, then ``head``."""

    class Learner(ResNetModel):
        def model_layers(self, inputs, is_training):
            block_layer_outputs = stem_and_block_layers(self, inputs, is_training)
            return head(self, block_layer_outputs, is_training)

    return Learner


def _spatial_axes(self):
    return (2, 3) if self.data_format == "channels_first" else (1, 2)


def test_the_reference_passes_and_reports(capsys):
    check_module.check(ResNetModel)
    out = capsys.readouterr().out
    assert out.count("model_layers is correct") == 1
    assert "channels_first" in out


@pytest.mark.slow
def test_the_reference_passes_the_thorough_check_silently(capsys):
    check_module.check(ResNetModel, thorough=True)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "head",
    [
        # keras.ops.mean over the spatial axes, keyword arguments
        lambda self, x, t: keras.layers.Dense(units=self.output_size, name="logits")(
            keras.ops.mean(self.pre_activation(inputs=x, is_training=t), axis=_spatial_axes(self))
        ),
        # separate BatchNormalization and Activation layers, a flattened 1x1 average pool
        lambda self, x, t: keras.layers.Dense(self.output_size, name="logits")(
            keras.layers.GlobalAveragePooling2D(data_format=self.data_format, keepdims=False)(
                keras.layers.Activation("relu")(
                    keras.layers.BatchNormalization(
                        axis=1 if self.data_format == "channels_first" else -1
                    )(x, training=t)
                )
            )
        ),
    ],
    ids=["ops-mean", "separate-layers"],
)
def test_other_correct_spellings_pass(head):
    check_module.check(learner(head))


def _head(final=True, pooling="gap", units=None, softmax=False, dropout=False):
    def head(self, x, t):
        if final:
            x = self.pre_activation(x, t)
        if pooling == "gap":
            x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        elif pooling == "gap-default":
            x = keras.layers.GlobalAveragePooling2D()(x)
        elif pooling == "flatten":
            x = keras.layers.Flatten()(x)
        if dropout:
            x = keras.layers.Dropout(0.5)(x)
        return keras.layers.Dense(
            units or self.output_size, activation="softmax" if softmax else None
        )(x)

    return head


@pytest.mark.slow
@pytest.mark.parametrize(
    "head, expected",
    [
        (_head(final=False), "the final pre-activation is missing"),
        (_head(pooling="flatten"), "the head flattens the last feature map"),
        (_head(pooling="gap-default"), "the pooling ignores the data format"),
        (_head(softmax=True), "the logits go through a softmax"),
        (_head(units=1000), "the dense layer has 1000 units"),
        (_head(dropout=True), "that is dropout"),
        (_head(pooling=None), "the logits must be one vector per image"),
    ],
    ids=[
        "no-final-pre-activation",
        "flatten",
        "pool-format",
        "softmax",
        "units",
        "dropout",
        "no-pooling",
    ],
)
def test_known_mistakes_are_named(head, expected):
    assert expected in check_failure(check_module, learner(head))


def stem_learner(stem):
    """A learner class with ``stem(self, inputs)``, the given loop and the right head."""

    class Learner(ResNetModel):
        def model_layers(self, inputs, is_training):
            outputs = stem(self, inputs)
            for i, num_blocks in enumerate(self.block_layer_sizes):
                outputs = self.block_layer(
                    outputs,
                    self.filters_initial * 2**i,
                    self.block_strides[i],
                    num_blocks,
                    is_training,
                    i + 1,
                )
            outputs = self.pre_activation(outputs, is_training)
            outputs = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(outputs)
            return keras.layers.Dense(self.output_size, name="logits")(outputs)

    return Learner


def _stem(
    kernel=7, strides=2, pool=True, pool_strides=2, keras_padding=False, names=True, filters=None
):
    def stem(self, inputs):
        name = (lambda n: n) if names else (lambda n: None)
        if keras_padding:
            x = keras.layers.Conv2D(
                filters or self.filters_initial,
                kernel,
                strides,
                padding="same",
                use_bias=False,
                data_format=self.data_format,
                name=name("conv_initial"),
            )(inputs)
        else:
            x = self.custom_conv2d(
                inputs, filters or self.filters_initial, kernel, strides, name("conv_initial")
            )
        if not pool:
            return x
        return keras.layers.MaxPooling2D(
            pool_size=(3, 3),
            strides=pool_strides,
            padding="same",
            data_format=self.data_format,
            name=name("pool_initial"),
        )(x)

    return stem


def test_a_stem_written_another_way_passes():
    def stem(self, inputs):
        conv = keras.layers.Conv2D(
            filters=self.filters_initial,
            kernel_size=(7, 7),
            strides=(2, 2),
            padding="valid",
            use_bias=False,
            data_format=self.data_format,
            name="conv_initial",
        )(self.custom_padding(inputs, 7))
        return keras.layers.MaxPool2D(3, 2, "same", self.data_format, name="pool_initial")(conv)

    check_module.check(stem_learner(stem))


@pytest.mark.slow
@pytest.mark.parametrize(
    "stem, expected",
    [
        (_stem(pool=False), "the stem has no max pool"),
        (_stem(strides=1), "`conv_initial` does not stride"),
        (_stem(kernel=3), "`conv_initial` is not a 7x7 conv"),
        (_stem(keras_padding=True), "`conv_initial` pads the Keras 'same' way"),
        (_stem(filters=64), "`conv_initial` has 64 filters whatever the model says"),
        (_stem(names=False), "no layer is named `conv_initial` or `pool_initial`"),
    ],
    ids=["no-pool", "conv-stride-1", "conv-3x3", "same-padding", "fixed-64", "no-names"],
)
def test_stem_mistakes_are_named(stem, expected):
    assert expected in check_failure(check_module, stem_learner(stem))


def test_not_written_yet_and_none_are_explained():
    class NotWritten(ResNetModel):
        def model_layers(self, inputs, is_training):
            raise NotImplementedError()

    assert "not written yet" in check_failure(check_module, NotWritten)
    assert "did you forget to `return`" in check_failure(
        check_module, learner(lambda self, x, t: None)
    )


def test_a_head_that_never_trains_is_seen_in_a_bare_call():
    # Only the visible cases and no catalogue: the engine's own sentence, in seconds.
    from resnet_lesson.checks.engine import diagnose
    from resnet_lesson.checks.verdict import CheckFailed

    def head(self, block_layer_outputs, is_training):
        final = self.pre_activation(block_layer_outputs, False)
        pooled = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(final)
        return keras.layers.Dense(self.output_size)(pooled)

    with pytest.raises(CheckFailed) as raised:
        diagnose(
            "model_layers",
            check_module.narrow(learner(head)),
            check_module.narrow(ResNetModel),
            "model_layers",
            check_module.cases()[:1],
            [],
            modes=check_module.MODES,
        )
    assert raised.value.message.startswith("a batch norm ignores `is_training`")


# -- the loop over the block layers ---------------------------------------------------


def loop_learner(loop):
    """A learner class with the right stem and head around ``loop(self, pool_initial,
    is_training)``, which returns the last block layer's output."""

    class Learner(ResNetModel):
        def model_layers(self, inputs, is_training):
            conv_initial = self.custom_conv2d(
                inputs, self.filters_initial, 7, 2, name="conv_initial"
            )
            pool_initial = keras.layers.MaxPooling2D(
                3, 2, padding="same", data_format=self.data_format, name="pool_initial"
            )(conv_initial)
            outputs = loop(self, pool_initial, is_training)
            outputs = self.pre_activation(outputs, is_training)
            outputs = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(outputs)
            return keras.layers.Dense(self.output_size, name="logits")(outputs)

    return Learner


def zip_loop(self, x, t):
    """Widths kept in a variable doubled after each block layer; the three lists zipped."""
    filters = self.filters_initial
    for index, (blocks, stride) in enumerate(zip(self.block_layer_sizes, self.block_strides), 1):
        x = self.block_layer(
            x, filters=filters, strides=stride, num_blocks=blocks, is_training=t, index=index
        )
        filters *= 2
    return x


def unrolled_loop(self, x, t):
    """No loop at all: the four block layers written out (a four-entry list assumed)."""
    f, sizes, strides = self.filters_initial, self.block_layer_sizes, self.block_strides
    layer1 = self.block_layer(x, f, strides[0], sizes[0], t, 1)
    layer2 = self.block_layer(layer1, 2 * f, strides[1], sizes[1], t, 2)
    layer3 = self.block_layer(layer2, 4 * f, strides[2], sizes[2], t, 3)
    return self.block_layer(layer3, 8 * f, strides[3], sizes[3], t, 4)


@pytest.mark.parametrize("loop", [zip_loop, unrolled_loop], ids=["zip", "unrolled"])
def test_a_loop_written_another_way_passes(loop):
    check_module.check(loop_learner(loop))


def _loop(widths=None, strides=None, counts=None, index=None, chained=True):
    """A loop over the block layers with one mistake, written with ``range`` and
    indexing (the check's own mistakes use ``enumerate``).

    ``widths(self, i)``, ``strides(self, i)``, ``counts(self, i)``, ``index(i)``: what
    block layer ``i`` (from 0) gets instead of the right value.
    """

    def loop(self, pool_initial, t):
        x = pool_initial
        for i in range(len(self.block_layer_sizes)):
            x = self.block_layer(
                x if chained else pool_initial,
                widths(self, i) if widths else self.filters_initial * 2**i,
                strides(self, i) if strides else self.block_strides[i],
                counts(self, i) if counts else self.block_layer_sizes[i],
                t,
                index(i) if index else i + 1,
            )
        return x

    return loop


@pytest.mark.slow
@pytest.mark.parametrize(
    "loop, expected",
    [
        (_loop(widths=lambda self, i: self.filters_initial), "every block layer has"),
        (
            _loop(widths=lambda self, i: 2 * self.filters_initial * 2**i),
            "the widths double from the wrong start",
        ),
        (_loop(widths=lambda self, i: 64 << i), "the widths double from 64 typed in"),
        (_loop(strides=lambda self, i: 2), "block layer 1 strides"),
        (_loop(strides=lambda self, i: 1), "no block layer strides"),
        (
            _loop(counts=lambda self, i: 2),
            "the number of blocks in each block layer is typed in",
        ),
        (_loop(chained=False), "every block layer reads the stem's output"),
        (_loop(index=lambda i: i), "the block layers' name scopes are `block_layer0`"),
        (_loop(index=lambda i: 1), "the block layers' name scopes are `block_layer1`, where"),
    ],
    ids=[
        "constant-widths",
        "widths-from-double",
        "widths-from-64",
        "layer-1-strides",
        "no-strides",
        "counts-typed-in",
        "not-chained",
        "index-from-0",
        "one-index",
    ],
)
def test_loop_mistakes_are_named(loop, expected):
    assert expected in check_failure(check_module, loop_learner(loop))


@pytest.mark.slow
def test_a_loop_mistake_outside_the_catalogue_is_located():
    # The last block layer does not stride: no known mistake, but its output shape
    # differs from the reference's, and the sentence says which block layer's.
    loop = _loop(strides=lambda self, i: [1, 2, 2, 1][i])
    message = check_failure(check_module, loop_learner(loop))
    assert "`block_layer4` outputs a 4x4 map with 64 channels" in message
    assert "needs 2x2 with 64" in message


@pytest.mark.slow
def test_unnamed_logits_are_named():
    def head(self, x, t):
        x = self.pre_activation(x, t)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size)(x)

    assert "no layer is named `logits`" in check_failure(check_module, learner(head))


@pytest.mark.slow
def test_a_stem_mistake_outside_the_catalogue_is_located_in_the_stem():
    # A 3x3 stride-1 stem (the CIFAR network's): no known mistake, and the first stage
    # whose shape differs is the stem's output, so the sentence points there, not at
    # block layer 1, which only reads it.
    message = check_failure(check_module, stem_learner(_stem(kernel=3, strides=1)))
    assert "the stem's output `pool_initial` is a 32x32 map with 8 channels" in message
    assert "needs 16x16 with 8" in message
