"""The course's model, varied: for training (chapter 11), a chosen width and batch-norm
momentum with pixels scaled to [0, 1] (``CourseResNet``), the same network without
shortcuts (``PlainNet``), and ``build_model``, which builds either for a training setting
(``training.TRAINING_SETUPS``); for the paper's Table 1 (chapter 9), a bottleneck block
that strides where the original ResNet-50 did (``StrideOnSqueezeResNetModel``).
"""

import keras
import tensorflow as tf

from resnet_lesson.model import ResNetModel, input_shape_for
from resnet_lesson.preprocessing import center_crop, resize_preserving_aspect


class CourseResNet(ResNetModel):
    """The reference ResNet v2 with a chosen width, and a preprocess for training.

    ``filters_initial`` (the paper's 64) sets the width: every conv has
    ``filters_initial / 64`` times the paper's filters, so the parameter count shrinks
    by about the square of that factor while the depth, the blocks, the shortcuts and
    the strides stay the same.
    """

    def __init__(
        self,
        min_aspect_dim,
        resize_dim,
        num_layers,
        output_size,
        data_format="channels_last",
        filters_initial=64,
        flip=True,
        batch_norm_momentum=0.99,
    ):
        super().__init__(min_aspect_dim, resize_dim, num_layers, output_size, data_format)
        self.filters_initial = filters_initial
        self.flip = flip
        self.batch_norm_momentum = batch_norm_momentum

    def pre_activation(self, inputs, is_training):
        """The reference pre-activation, with a chosen batch-norm momentum.

        Batch norm's moving averages (what ``predict`` and ``evaluate`` use) move by
        ``1 - momentum`` of the distance per step. Keras's 0.99 needs a few hundred
        steps to forget the initial values; a small data set gives only about 20
        steps per epoch, so its setup uses 0.9.
        """
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis, momentum=self.batch_norm_momentum)(
            inputs, training=is_training
        )
        return keras.layers.ReLU()(normalized)

    def preprocess(self, image, is_training):
        """Chapter 10's resize and crop, then pixels scaled from 0..255 to 0..1.

        With ``flip=False`` training takes the random crop without the mirror image.
        """
        if self.flip:
            cropped = super().preprocess(image, is_training)
        else:
            resized = resize_preserving_aspect(image, self.min_aspect_dim)
            if is_training:
                channels = resized.shape[-1]
                cropped = tf.image.random_crop(
                    resized, [self.resize_dim, self.resize_dim, channels]
                )
            else:
                cropped = center_crop(resized, self.resize_dim)
            if self.data_format == "channels_first":
                cropped = tf.transpose(cropped, [2, 0, 1])
        return cropped / 255.0

    def model_layers(self, inputs, is_training):
        logits = super().model_layers(inputs, is_training)
        if keras.mixed_precision.global_policy().compute_dtype != "float32":
            # Mixed precision computes in float16; the loss wants float32 logits.
            logits = keras.layers.Activation("linear", dtype="float32", name="logits_float32")(
                logits
            )
        return logits


class PlainNet(CourseResNet):
    """The same network without shortcuts: every block is conv, conv, and no addition.

    Same depth, same convs, same batch norms; only the additions (and the 1x1
    projections that only the shortcuts needed) are gone. He et al. (2016a) compare
    exactly such plain networks with their residual twins.
    """

    def regular_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        with keras.name_scope(f"plain_block{index}"):
            pre_activated1 = self.pre_activation(inputs, is_training)
            conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
            pre_activated2 = self.pre_activation(conv1, is_training)
            return self.custom_conv2d(pre_activated2, filters, 3, 1)


def build_model(
    settings,
    model_class=CourseResNet,
    num_layers=None,
    channels=None,
    data_format="channels_last",
    filters_initial=None,
):
    """Return ``(resnet, model)``: the ``ResNetModel`` object and its built keras.Model."""
    num_layers = num_layers or settings["num_layers"]
    filters_initial = filters_initial or settings["filters_initial"]
    if channels is None:
        channels = 1 if settings["data"] == "digits" else 3
    resnet = model_class(
        settings["min_aspect_dim"],
        settings["resize_dim"],
        num_layers,
        len(settings["class_names"]),
        data_format=data_format,
        filters_initial=filters_initial,
        flip=settings["flip"],
        batch_norm_momentum=settings["batch_norm_momentum"],
    )
    inputs = keras.Input(
        input_shape_for(settings["resize_dim"], data_format, channels), name="images"
    )
    kind = "plain" if issubclass(model_class, PlainNet) else "resnet"
    model = keras.Model(
        inputs,
        resnet.model_layers(inputs, is_training=True),
        name=f"{kind}{num_layers}_w{filters_initial}",
    )
    return resnet, model


class StrideOnSqueezeResNetModel(ResNetModel):
    """The course's ResNet, except that a strided bottleneck block strides its first
    1x1 conv instead of its 3x3 conv.

    That is where the original ResNet-50/101/152 put the stride, and so what Table 1
    counts. The 3x3 conv costs the same either way (its output is the halved map in
    both); what changes is the first 1x1 conv, which runs on the full map when the
    3x3 conv strides (as in the course's model and many later implementations): four
    times its multiply-adds, in each of the three downsampling blocks.
    """

    def bottleneck_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        with keras.name_scope(f"bottleneck_block{index}"):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params
            )
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, strides)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
            pre_activated3 = self.pre_activation(conv2, is_training)
            conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)
            return conv3 + shortcut
