"""The residual units of He et al. (2016b, *Identity Mappings in Deep Residual Networks*),
built for training: what the shortcut may do (their Table 1, Figure 2) and where the
activations go (their Table 2, Figure 4).

A unit computes ``y = h(x) + F(x)`` and passes ``f(y)`` on. The paper varies ``h`` (the
shortcut) with the original post-activation ``F`` and ``f`` = ReLU fixed, then varies
where batch norm and ReLU sit with ``h`` the identity. :func:`build_unit_stack` builds a
small stack of such units for scikit-learn's 8x8 digits (the layout of chapter 1's
stacks: a 3x3 stem conv, two-conv units of constant width, pooling, a dense layer), so
that one network differs from another only by the unit.
"""

import keras

from resnet_lesson.experiments.stacks import conv3x3, num_blocks_for

# Shortcut variants, with the original unit (2016b Table 1: ResNet-110 on CIFAR-10,
# test error in %, median of 5 runs; "fail" means above 20%).
SHORTCUTS = {
    "identity": ("h(x) = x, the original unit", "6.61"),
    "scaled shortcut": ("h(x) = 0.5 x", "fail"),
    "scaled both": ("h(x) = 0.5 x and 0.5 F(x)", "12.35"),
    "exclusive gating": ("(1 - g(x)) x + g(x) F(x), gate bias -6", "8.70"),
    "shortcut-only gating": ("(1 - g(x)) x + F(x), gate bias 0", "12.86"),
    "1x1 conv shortcut": ("h(x) = a 1x1 conv of x", "12.22"),
    "dropout shortcut": ("h(x) = dropout(x), ratio 0.5", "fail"),
}

# Activation orderings with identity shortcuts (2016b Table 2: test error in % on
# CIFAR-10 for ResNet-110 and ResNet-164).
ORDERINGS = {
    "original": ("conv-BN-ReLU-conv-BN, add, ReLU (v1)", ("6.61", "5.93")),
    "BN after addition": ("conv-BN-ReLU-conv, add, BN, ReLU", ("8.17", "6.50")),
    "ReLU before addition": ("conv-BN-ReLU-conv-BN-ReLU, add", ("7.84", "6.14")),
    "ReLU-only pre-activation": ("ReLU-conv-BN-ReLU-conv-BN, add", ("6.71", "5.91")),
    "full pre-activation": ("BN-ReLU-conv-BN-ReLU-conv, add (v2)", ("6.37", "5.46")),
}
PRE_ACTIVATED = ("ReLU-only pre-activation", "full pre-activation")
GATE_BIAS = {"exclusive gating": -6.0, "shortcut-only gating": 0.0}


class UnitLayers:
    """Named layers for one unit: ``bn("1")`` is the unit's batch norm called ``..._bn1``."""

    def __init__(self, name, bn_momentum):
        self.name, self.bn_momentum = name, bn_momentum

    def bn(self, x, suffix):
        return keras.layers.BatchNormalization(
            axis=-1, momentum=self.bn_momentum, name=f"{self.name}_bn{suffix}"
        )(x)

    def relu(self, x, suffix):
        return keras.layers.ReLU(name=f"{self.name}_relu{suffix}")(x)

    def conv(self, x, width, suffix):
        return conv3x3(x, width, f"{self.name}_conv{suffix}")


def residual_function(x, ordering, width, layers):
    """``F(x)`` of one unit in the given ordering (Figure 4 of He et al. 2016b)."""
    if ordering in ("original", "BN after addition", "ReLU before addition"):
        f = layers.relu(layers.bn(layers.conv(x, width, 1), 1), 1)  # conv, BN, ReLU
        f = layers.conv(f, width, 2)
        if ordering == "BN after addition":
            return f  # this unit's second batch norm comes after the addition
        f = layers.bn(f, 2)
        return layers.relu(f, 2) if ordering == "ReLU before addition" else f
    if ordering == "ReLU-only pre-activation":
        f = layers.bn(layers.conv(layers.relu(x, 1), width, 1), 1)
        return layers.bn(layers.conv(layers.relu(f, 2), width, 2), 2)
    if ordering == "full pre-activation":
        f = layers.conv(layers.relu(layers.bn(x, 1), 1), width, 1)
        return layers.conv(layers.relu(layers.bn(f, 2), 2), width, 2)
    raise ValueError(f"ordering must be one of {list(ORDERINGS)}, got {ordering!r}")


def _gate(x, width, bias, name):
    """g(x) = sigmoid(1x1 conv of x + b), one gate per channel and pixel; b starts at ``bias``."""
    return keras.layers.Conv2D(
        width,
        1,
        activation="sigmoid",
        bias_initializer=keras.initializers.Constant(bias),
        kernel_initializer="he_normal",
        name=f"{name}_gate",
    )(x)


def combine(x, f, shortcut, width, name):
    """``h(x) + F(x)`` for one shortcut variant of Table 1 (before the unit's ``f``)."""
    if shortcut == "identity":
        return keras.layers.Add(name=f"{name}_add")([x, f])
    if shortcut == "scaled shortcut":
        return keras.ops.add(0.5 * x, f)
    if shortcut == "scaled both":
        return keras.ops.add(0.5 * x, 0.5 * f)
    if shortcut in GATE_BIAS:
        gate = _gate(x, width, GATE_BIAS[shortcut], name)
        kept = keras.ops.multiply(1.0 - gate, x)
        return keras.ops.add(
            kept, keras.ops.multiply(gate, f) if shortcut == "exclusive gating" else f
        )
    if shortcut == "1x1 conv shortcut":
        projected = keras.layers.Conv2D(
            width, 1, use_bias=False, kernel_initializer="he_normal", name=f"{name}_shortcut_conv"
        )(x)
        return keras.layers.Add(name=f"{name}_add")([projected, f])
    if shortcut == "dropout shortcut":
        # Keras's dropout scales the kept half by 2 while training; halving it back gives
        # the paper's shortcut, kept or dropped, with an expected scale of 0.5.
        dropped = keras.layers.Dropout(0.5, name=f"{name}_shortcut_dropout")(x)
        return keras.ops.add(0.5 * dropped, f)
    raise ValueError(f"shortcut must be one of {list(SHORTCUTS)}, got {shortcut!r}")


def build_unit_stack(
    depth,
    shortcut="identity",
    ordering="original",
    width=16,
    num_classes=10,
    input_shape=(8, 8, 1),
    bn_momentum=0.9,
):
    """A stack of ``(depth - 2) // 2`` residual units of one kind, as one keras.Model.

    The stem is a 3x3 conv to ``width`` channels, followed by batch norm and ReLU when the
    units are post-activation ones; pre-activation units leave that to a final batch norm
    and ReLU before the pooling (as in the paper, where the last unit's sum needs one
    more activation). The head is global average pooling and a dense layer.
    """
    if ordering != "original" and shortcut != "identity":
        raise ValueError("the paper varies the shortcut with the original ordering only")
    pre_activated = ordering in PRE_ACTIVATED
    inputs = keras.Input(input_shape, name="images")
    x = conv3x3(inputs, width, "conv_initial")
    stem = UnitLayers("stem", bn_momentum)
    if not pre_activated:
        x = stem.relu(stem.bn(x, ""), "")
    for index in range(num_blocks_for(depth)):
        layers = UnitLayers(f"unit{index}", bn_momentum)
        y = combine(x, residual_function(x, ordering, width, layers), shortcut, width, layers.name)
        if ordering == "original":
            y = layers.relu(y, "_out")
        elif ordering == "BN after addition":
            y = layers.relu(layers.bn(y, "_out"), "_out")
        x = y
    if pre_activated:
        final = UnitLayers("final", bn_momentum)
        x = final.relu(final.bn(x, ""), "")
    pooled = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    logits = keras.layers.Dense(num_classes, name="logits")(pooled)
    label = shortcut if ordering == "original" else ordering
    return keras.Model(inputs, logits, name=f"{label.replace(' ', '_')}_{depth}")
