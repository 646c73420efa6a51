"""The ResNet v2 model that the course builds, one method per chapter.

He, Zhang, Ren and Sun, "Identity Mappings in Deep Residual Networks" (ECCV 2016) is
the pre-activation ResNet taught here; "Deep Residual Learning for Image Recognition"
(CVPR 2016) gives the depths and Table 1.

Every method takes a Keras tensor and returns one, so a whole network is built once
as a functional ``keras.Model``:

    inputs = keras.Input((224, 224, 3))
    resnet = ResNetModel(256, 224, num_layers=50, output_size=1000)
    model = keras.Model(inputs, resnet.model_layers(inputs, is_training=True))
"""

import keras

# Blocks per block layer, keyed by depth (the paper's Table 1, plus ResNet-200 from
# the identity-mappings paper).
BLOCK_LAYER_SIZES = {
    18: [2, 2, 2, 2],
    34: [3, 4, 6, 3],
    50: [3, 4, 6, 3],
    101: [3, 4, 23, 3],
    152: [3, 8, 36, 3],
    200: [3, 24, 36, 3],
}


class ResNetModel:
    """A pre-activation ResNet (v2) of depth ``num_layers``.

    ``min_aspect_dim`` and ``resize_dim`` describe the input pipeline (chapter 10):
    images are resized so their shorter side is ``min_aspect_dim``, then cropped to
    ``resize_dim`` x ``resize_dim``. ``output_size`` is the number of classes.
    """

    def __init__(
        self, min_aspect_dim, resize_dim, num_layers, output_size, data_format="channels_last"
    ):
        if num_layers not in BLOCK_LAYER_SIZES:
            raise ValueError(
                f"num_layers must be one of {sorted(BLOCK_LAYER_SIZES)}, got {num_layers!r}"
            )
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"data_format must be 'channels_last' or 'channels_first', got {data_format!r}"
            )
        self.min_aspect_dim = min_aspect_dim
        self.resize_dim = resize_dim
        self.num_layers = num_layers
        self.output_size = output_size
        self.data_format = data_format
        # The first block layer has 64 filters; each later one doubles them and
        # halves the feature map with a stride of 2 in its first block.
        self.filters_initial = 64
        self.block_strides = [1, 2, 2, 2]
        # Chapter 2: how many blocks each block layer stacks, and which block kind.
        self.block_layer_sizes = BLOCK_LAYER_SIZES[num_layers]
        self.bottleneck = num_layers >= 50

    # Chapter 3 ---------------------------------------------------------------
    def custom_padding(self, inputs, kernel_size):
        """Pad ``kernel_size - 1`` pixels on each spatial axis, whatever the input size.

        'same' padding of a strided conv depends on the input size; this padding
        depends only on the kernel, so the output size is predictable.
        """
        pad_total = kernel_size - 1
        pad_before = pad_total // 2
        pad_after = pad_total - pad_before
        spatial = [pad_before, pad_after]
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], spatial, spatial]
        else:
            paddings = [[0, 0], spatial, spatial, [0, 0]]
        return keras.ops.pad(inputs, paddings)

    def custom_conv2d(self, inputs, filters, kernel_size, strides, name=None):
        """A convolution whose padding depends only on the kernel size when it strides.

        No bias: in this network every convolution's output reaches a batch norm
        (directly or along the shortcut path), whose beta already learns an offset.
        """
        if strides > 1:
            inputs = self.custom_padding(inputs, kernel_size)
            padding = "valid"
        else:
            padding = "same"
        return keras.layers.Conv2D(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            use_bias=False,
            data_format=self.data_format,
            kernel_initializer="he_normal",
            name=name,
        )(inputs)

    # Chapter 4 ---------------------------------------------------------------
    def pre_activation(self, inputs, is_training):
        """Batch norm over the channel axis, then ReLU: what comes *before* a conv in v2.

        ``is_training`` is only the default mode of the built model: ``fit`` trains
        the batch norm, ``predict`` and ``evaluate`` use its moving averages.
        """
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ReLU()(normalized)

    # Chapter 5 ---------------------------------------------------------------
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        """Pre-activate ``inputs`` and return ``(pre_activated, shortcut)``.

        ``shortcut_params = (shortcut_filters, strides)``. Without a filter count the
        shortcut is the identity: the raw input. With one, a 1x1 projection conv
        (strided like the block) maps the pre-activated input to the block's output shape.
        """
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        return pre_activated, shortcut

    # Chapter 6 ---------------------------------------------------------------
    def regular_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        """Two 3x3 convs, each pre-activated, plus the shortcut (ResNet-18 and 34)."""
        with keras.name_scope(f"regular_block{index}"):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params
            )
            conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
            return conv2 + shortcut

    # Chapter 7 ---------------------------------------------------------------
    def bottleneck_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        """1x1 squeeze, 3x3 conv, 1x1 expand to ``4 * filters``, plus the shortcut."""
        with keras.name_scope(f"bottleneck_block{index}"):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params
            )
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
            pre_activated3 = self.pre_activation(conv2, is_training)
            conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)
            return conv3 + shortcut

    # Chapter 8 ---------------------------------------------------------------
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        """Stack ``num_blocks`` blocks; only the first may stride or change the width.

        So only the first block needs a projection shortcut; the others keep the
        shape and use the identity.
        """
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index)
            return outputs

    # Chapter 9 ---------------------------------------------------------------
    def model_layers(self, inputs, is_training):
        """The whole network: stem, four block layers, then the classifier head."""
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        block_layer_outputs = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            block_layer_outputs = self.block_layer(
                block_layer_outputs,
                self.filters_initial * 2**i,
                self.block_strides[i],
                num_blocks,
                is_training,
                i + 1,
            )
        # In v2 every block ends with a bare addition, so the last output still
        # needs the batch norm and ReLU that a next block would have applied.
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        return keras.layers.Dense(self.output_size, name="logits")(avg_pool)

    # Chapter 10 --------------------------------------------------------------
    def preprocess(self, image, is_training):
        """Resize so the shorter side is ``min_aspect_dim``, then crop ``resize_dim``.

        Training takes a random crop and a random horizontal flip; evaluation the
        center crop. Returns a float32 image in this model's data format.
        """
        from resnet_lesson.preprocessing import preprocess_image

        return preprocess_image(
            image,
            self.min_aspect_dim,
            self.resize_dim,
            is_training=is_training,
            data_format=self.data_format,
        )


def input_shape_for(image_size, data_format="channels_last", channels=3):
    """The shape of one input image for ``keras.Input`` in the given data format."""
    if data_format == "channels_first":
        return (channels, image_size, image_size)
    return (image_size, image_size, channels)


def build_resnet(
    num_layers,
    image_size=224,
    num_classes=1000,
    data_format="channels_last",
    is_training=True,
    channels=3,
    min_aspect_dim=None,
    model_class=ResNetModel,
):
    """Return a ready ``keras.Model`` ResNet of the given depth and input size."""
    resnet = model_class(
        min_aspect_dim or image_size, image_size, num_layers, num_classes, data_format=data_format
    )
    inputs = keras.Input(input_shape_for(image_size, data_format, channels), name="images")
    logits = resnet.model_layers(inputs, is_training)
    return keras.Model(inputs, logits, name=f"resnet{num_layers}_v2")
