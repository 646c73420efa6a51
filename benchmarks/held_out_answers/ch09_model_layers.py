"""Held-out answers for chapter 9's exercise: the stem and the head of ``model_layers``."""

EXERCISE = "model_layers"

_STEM = """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
"""

_LOOP = """
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
"""

_HEAD = """
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        logits = keras.layers.Dense(self.output_size, name="logits")(avg_pool)
        return logits
"""

ANSWERS = [
    dict(
        verdict="wrong",
        mistake="a CIFAR-style stem: a 3x3 conv with stride 1",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 3, 1, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
"""
        + _LOOP
        + _HEAD,
    ),
    dict(
        verdict="wrong",
        mistake="the raw image is pre-activated (batch norm and ReLU) before `conv_initial`",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        x = self.pre_activation(inputs, is_training)
        conv_initial = self.custom_conv2d(x, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
"""
        + _LOOP
        + _HEAD,
    ),
    dict(
        verdict="wrong",
        mistake="the head pools first and pre-activates the pooled vector",
        source=_STEM
        + _LOOP
        + """
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            block_layer_outputs
        )
        pre_activated_final = self.pre_activation(avg_pool, is_training)
        return keras.layers.Dense(self.output_size, name="logits")(pre_activated_final)
""",
    ),
    dict(
        verdict="wrong",
        mistake="a hidden dense layer with ReLU before the logits",
        source=_STEM
        + _LOOP
        + """
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        hidden = keras.layers.Dense(256, activation="relu")(avg_pool)
        return keras.layers.Dense(self.output_size, name="logits")(hidden)
""",
    ),
    dict(
        verdict="wrong",
        mistake="the final pre-activation always trains (is_training fixed to True)",
        source=_STEM
        + _LOOP
        + """
        pre_activated_final = self.pre_activation(block_layer_outputs, True)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        return keras.layers.Dense(self.output_size, name="logits")(avg_pool)
""",
    ),
    dict(
        verdict="correct",
        mistake="keyword arguments in the stem, an average pool over the whole map, then Flatten",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(
            inputs, self.filters_initial, kernel_size=7, strides=2, name="conv_initial"
        )
        pool_initial = keras.layers.MaxPooling2D(
            pool_size=3,
            strides=2,
            padding="same",
            data_format=self.data_format,
            name="pool_initial",
        )(conv_initial)
"""
        + _LOOP
        + """
        final = self.pre_activation(block_layer_outputs, is_training)
        first = self.data_format == "channels_first"
        map_size = tuple(final.shape[2:4] if first else final.shape[1:3])
        pooled = keras.layers.AveragePooling2D(pool_size=map_size, data_format=self.data_format)(
            final
        )
        flat = keras.layers.Flatten(data_format=self.data_format)(pooled)
        return keras.layers.Dense(self.output_size, name="logits")(flat)
""",
    ),
]
