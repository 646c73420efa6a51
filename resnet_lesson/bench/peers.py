"""The networks the model part times: the course's ResNet-50 and its two peers.

``keras_hub``
    The main peer: the same network as the course's, built from
    ``keras_hub.models.ResNetBackbone``'s constructor (pre-activation bottleneck blocks,
    3, 4, 6 and 3 of them, the stride in the first block of block layers 2-4, a 7x7
    stem) plus global average pooling and a dense layer, as the course's head. It has
    the course's parameter count and multiply-adds (25,594,792 and 4.09 G at 224x224
    and 1000 classes); :func:`check_same_architecture` refuses to time it otherwise.
    keras-hub is in the ``bench`` extra (``pip install -e '.[bench]'``), not in what
    learners install; nothing is downloaded (no preset, no weights).
``resnet50v2``
    ``keras.applications.ResNet50V2`` (``weights=None``): a different architecture (it
    strides in the *last* block of block layers 1-3, 3.48 G multiply-adds, conv biases),
    so it is compared per multiply-add only.
"""

import keras

PEERS = ("keras_hub", "resnet50v2")
SAME_ARCHITECTURE = ("keras_hub",)
LABELS = {
    "ours": "course ResNet-50 v2 (resnet_lesson.build_resnet)",
    "keras_hub": "keras_hub.models.ResNetBackbone, the same architecture",
    "resnet50v2": "keras.applications.ResNet50V2, another architecture",
}

# The course's ResNet-50, in keras_hub's terms.
KERAS_HUB_RESNET50_V2 = dict(
    input_conv_filters=[64],
    input_conv_kernel_sizes=[7],
    stackwise_num_filters=[64, 128, 256, 512],
    stackwise_num_blocks=[3, 4, 6, 3],
    stackwise_num_strides=[1, 2, 2, 2],
    block_type="bottleneck_block",
    use_pre_activation=True,
)


class ArchitectureMismatch(ValueError):
    """A peer said to be the same architecture has other counts than the course's."""


class PeerUnavailable(RuntimeError):
    """A peer's package is not installed."""


def keras_hub_available():
    try:
        import keras_hub  # noqa: F401
    except ImportError:
        return False
    return True


def build_ours(image_size, classes):
    from resnet_lesson.model import build_resnet

    return build_resnet(50, image_size=image_size, num_classes=classes)


def build_keras_hub(image_size, classes):
    try:
        import keras_hub
    except ImportError as error:
        raise PeerUnavailable(
            "the same-architecture peer needs keras-hub: pip install -e '.[bench]'"
        ) from error
    backbone = keras_hub.models.ResNetBackbone(
        **KERAS_HUB_RESNET50_V2, image_shape=(image_size, image_size, 3)
    )
    pooled = keras.layers.GlobalAveragePooling2D()(backbone.output)
    logits = keras.layers.Dense(classes)(pooled)
    return keras.Model(backbone.input, logits, name="keras_hub_resnet50_v2")


def build_resnet50v2(image_size, classes):
    # classifier_activation=None: every side outputs logits and shares one loss.
    return keras.applications.ResNet50V2(
        weights=None,
        input_shape=(image_size, image_size, 3),
        classes=classes,
        classifier_activation=None,
    )


BUILDERS = {"ours": build_ours, "keras_hub": build_keras_hub, "resnet50v2": build_resnet50v2}


def counts(model):
    """``{"params": ..., "multiply_adds": ...}`` of a model (multiply-adds per image,
    Conv2D and Dense layers)."""
    from resnet_lesson.analysis import count_multiply_adds

    return {"params": int(model.count_params()), "multiply_adds": int(count_multiply_adds(model))}


def check_same_architecture(peer, ours_counts, peer_counts):
    """Raise :class:`ArchitectureMismatch` unless both counts agree exactly.

    The parameter count alone would let a network that strides elsewhere (same
    weights, other multiply-adds) pass, so the multiply-adds must agree too.
    """
    differences = [
        f"{what}: ours {ours_counts[what]:,}, {peer} {peer_counts[what]:,}"
        for what in ("params", "multiply_adds")
        if ours_counts[what] != peer_counts[what]
    ]
    if differences:
        raise ArchitectureMismatch(
            f"refusing to compare with {peer} as the same architecture: " + "; ".join(differences)
        )
