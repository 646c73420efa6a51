"""Chapter 9's known mistakes in ``model_layers``: the reference with one twist each, in
the stem, the block-layer loop or the head (``model_layers.py`` runs the check)."""

import keras

from resnet_lesson.checks.pieces import Mistake


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


def _block_layers(
    resnet,
    stem_output,
    is_training,
    widths="doubling",
    strides="given",
    counts=None,
    chained=True,
):
    """The loop over the block layers as the reference writes it, or a twisted one: the
    building material of the loop's mistakes.

    ``widths``: ``"doubling"`` from ``filters_initial`` (right), ``"constant"``,
    ``"from_double"`` (starting at twice ``filters_initial``) or ``"from_64"``;
    ``strides``: ``"given"`` (``block_strides``) or one number for every block layer;
    ``counts``: None (``block_layer_sizes``) or one count per block layer typed in;
    ``chained=False`` feeds every block layer the stem's output.
    """
    outputs = stem_output
    sizes = counts or resnet.block_layer_sizes
    for i, num_blocks in enumerate(sizes):
        filters = {
            "doubling": resnet.filters_initial * 2**i,
            "constant": resnet.filters_initial,
            "from_double": resnet.filters_initial * 2 ** (i + 1),
            "from_64": 64 * 2**i,
        }[widths]
        stride = resnet.block_strides[i] if strides == "given" else strides
        block_input = outputs if chained else stem_output
        outputs = resnet.block_layer(block_input, filters, stride, num_blocks, is_training, i + 1)
    return outputs


def stem_and_block_layers(resnet, inputs, is_training, stem=None, loop=None):
    """The stem and the block layers, as the reference builds them (or with the twists
    ``stem`` of :func:`_stem` and ``loop`` of :func:`_block_layers`)."""
    pool_initial = _stem(resnet, inputs, is_training, **(stem or {}))
    return _block_layers(resnet, pool_initial, is_training, **(loop or {}))


def _model_layers_with(
    stem=None,
    loop=None,
    final="bn_relu",
    pooling="average",
    pooling_format=True,
    softmax=False,
    dense_bias=True,
):
    """The reference network with one twist in its stem (``stem``: the twists of
    :func:`_stem`), its loop (``loop``: those of :func:`_block_layers`) or its head: the
    material of the mistakes."""

    def model_layers(self, inputs, is_training):
        block_layer_outputs = stem_and_block_layers(self, inputs, is_training, stem, loop)
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

_COUNTS_TYPED_IN = (
    "the number of blocks in each block layer is typed in: read it from "
    "`self.block_layer_sizes`, which differs from depth to depth (this check's networks "
    "do not have ResNet-18's 2, 2, 2, 2)"
)
_STRIDE_SOURCE = "read each block layer's stride from `self.block_strides`"

LOOP_MISTAKES = [
    Mistake(
        "every block layer has `self.filters_initial` filters: the width doubles from one "
        "block layer to the next, so the last has eight times the first's",
        _model_layers_with(loop=dict(widths="constant")),
    ),
    Mistake(
        "the widths double from the wrong start: block layer 1 already has twice "
        "`self.filters_initial` filters; it has `self.filters_initial` itself, and each "
        "later block layer twice the one before",
        _model_layers_with(loop=dict(widths="from_double")),
    ),
    Mistake(
        "the widths double from 64 typed in: start from `self.filters_initial` (8 in "
        "this check; chapter 11's digits model is narrower than 64 too)",
        _model_layers_with(loop=dict(widths="from_64")),
    ),
    Mistake(
        "block layer 1 strides: it keeps the max pool's map size, and only block layers "
        f"2, 3 and 4 halve it; {_STRIDE_SOURCE}",
        _model_layers_with(loop=dict(strides=2)),
    ),
    Mistake(
        "no block layer strides, so the map keeps the stem's size to the end: block "
        f"layers 2, 3 and 4 each halve it; {_STRIDE_SOURCE}",
        _model_layers_with(loop=dict(strides=1)),
    ),
    Mistake(_COUNTS_TYPED_IN, _model_layers_with(loop=dict(counts=[2, 2, 2, 2]))),
    Mistake(_COUNTS_TYPED_IN, _model_layers_with(loop=dict(counts=[3, 4, 6, 3]))),
    Mistake(
        "every block layer reads the stem's output, so only the last one reaches the "
        "head: each block layer must read the output of the block layer before it",
        _model_layers_with(loop=dict(chained=False)),
    ),
]

# Head first: the head was the whole exercise before, and its mistakes stay as quick to name.
MISTAKES = HEAD_MISTAKES + LOOP_MISTAKES + STEM_MISTAKES
