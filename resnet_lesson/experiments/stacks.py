"""The small networks of chapter 1's experiments: plain and residual stacks that differ
*only* by the shortcut.

A "plain" stack is pre-activation layers (batch norm, ReLU, 3x3 conv); a "residual" stack
is the very same layers whose pairs of convs are wrapped in pre-activation residual blocks
(He, Zhang, Ren and Sun 2016b). The shortcut is an identity (no projection), so both kinds
have exactly the same parameters and, built with the same seed, the same initial weights.

Depth counts the weighted layers, as He et al. (2016a) do: the first conv, two convs per
block, and the final dense layer, so ``depth = 2 * num_blocks + 2`` (8, 20 and 56 layers
have 3, 9 and 27 blocks).
"""

import keras

KINDS = ("plain", "residual")


def num_blocks_for(depth):
    """How many two-conv blocks a stack of ``depth`` weighted layers has."""
    if depth < 4 or depth % 2:
        raise ValueError(f"depth must be an even number >= 4 (2 * blocks + 2), got {depth!r}")
    return (depth - 2) // 2


def pre_activation(inputs, name, bn_momentum):
    """Batch norm then ReLU, as ``ResNetModel.pre_activation`` (channels last)."""
    normalized = keras.layers.BatchNormalization(axis=-1, momentum=bn_momentum, name=f"{name}_bn")(
        inputs
    )
    return keras.layers.ReLU(name=f"{name}_relu")(normalized)


def conv3x3(inputs, filters, name):
    """A 3x3, stride-1, 'same', bias-free, He-initialized conv like ``custom_conv2d``."""
    return keras.layers.Conv2D(
        filters, 3, padding="same", use_bias=False, kernel_initializer="he_normal", name=name
    )(inputs)


def _block(inputs, filters, index, residual, bn_momentum):
    """Pre-activation, conv, pre-activation, conv; plus the input if ``residual``.

    The two kinds of block share every layer; only the final ``Add`` differs.
    """
    name = f"block{index}"
    pre_activated1 = pre_activation(inputs, f"{name}_pre1", bn_momentum)
    conv1 = conv3x3(pre_activated1, filters, f"{name}_conv1")
    pre_activated2 = pre_activation(conv1, f"{name}_pre2", bn_momentum)
    conv2 = conv3x3(pre_activated2, filters, f"{name}_conv2")
    if residual:
        return keras.layers.Add(name=f"{name}_add")([inputs, conv2])
    return conv2


def build_stack(
    depth, residual, width=16, num_classes=10, input_shape=(8, 8, 1), bn_momentum=0.9, name=None
):
    """A small pre-activation network of ``depth`` weighted layers, plain or residual.

    Layout: a 3x3 conv to ``width`` channels (``conv_initial``), ``(depth - 2) // 2``
    blocks of two 3x3 convs each pre-activated by batch norm and ReLU (``block{i}_...``),
    a final batch norm and ReLU, global average pooling, and a dense ``logits`` layer.
    ``residual=True`` adds each block's input to its output (an identity shortcut);
    ``residual=False`` is the same stack without the additions. No layer strides, so the
    8x8 feature map and the width stay the same and no projection is needed.

    ``bn_momentum`` defaults to 0.9 rather than Keras's 0.99 so that the moving
    averages used in inference mode settle within the few hundred steps trained here.
    """
    num_blocks = num_blocks_for(depth)
    kind = "residual" if residual else "plain"
    inputs = keras.Input(input_shape, name="images")
    outputs = conv3x3(inputs, width, "conv_initial")
    for index in range(num_blocks):
        outputs = _block(outputs, width, index, residual, bn_momentum)
    pre_activated = pre_activation(outputs, "final", bn_momentum)
    pooled = keras.layers.GlobalAveragePooling2D(name="avg_pool")(pre_activated)
    logits = keras.layers.Dense(num_classes, name="logits")(pooled)
    return keras.Model(inputs, logits, name=name or f"{kind}{depth}")


def conv_kernels(model):
    """The model's conv kernels, input side first, as ``[(layer_name, variable), ...]``."""
    return [
        (layer.name, layer.kernel)
        for layer in model.layers
        if isinstance(layer, keras.layers.Conv2D)
    ]


def count_add_layers(model):
    """How many ``Add`` layers (shortcut additions) the model has."""
    return sum(isinstance(layer, keras.layers.Add) for layer in model.layers)
