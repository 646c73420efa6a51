"""Held-out answers for chapter 4's exercise: ``pre_activation``."""

EXERCISE = "pre_activation"

ANSWERS = [
    dict(
        verdict="wrong",
        mistake="layer normalization instead of batch normalization",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.LayerNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ReLU()(normalized)
""",
    ),
    dict(
        verdict="wrong",
        mistake="the training flag is inverted",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=not is_training)
        return keras.layers.ReLU()(normalized)
""",
    ),
    dict(
        verdict="wrong",
        mistake="an ELU instead of a ReLU",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ELU()(normalized)
""",
    ),
    dict(
        verdict="wrong",
        mistake="the batch norm has no scale (gamma) (scale=False)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        bn = keras.layers.BatchNormalization(axis=axis, scale=False)
        return keras.layers.ReLU()(bn(inputs, training=is_training))
""",
    ),
    dict(
        verdict="wrong",
        mistake="channels_last normalizes axis 2 (counting without the batch axis)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 2
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ReLU()(normalized)
""",
    ),
    dict(
        verdict="correct",
        mistake="the axis looked up in a dict, both layers built before they are called",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        channel_axis = {"channels_first": 1, "channels_last": 3}[self.data_format]
        batch_norm = keras.layers.BatchNormalization(axis=channel_axis)
        relu = keras.layers.ReLU()
        return relu(batch_norm(inputs, training=is_training))
""",
    ),
    dict(
        verdict="correct",
        mistake="keras.activations.relu on the normalized tensor, an if/else for the axis",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        if self.data_format == "channels_first":
            axis = 1
        else:
            axis = 3
        x = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.activations.relu(x)
""",
    ),
]
