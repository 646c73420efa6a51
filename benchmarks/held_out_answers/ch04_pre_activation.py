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

# Round 2: written later, blind to the checks and their tests (see README.md).
ANSWERS += [
    dict(
        round=2,
        verdict="wrong",
        mistake="the ReLU comes before the batch norm",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        activated = keras.layers.ReLU()(inputs)
        return keras.layers.BatchNormalization(axis=axis)(activated, training=is_training)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the batch norm is called without `training=`, so is_training is ignored",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs)
        return keras.layers.ReLU()(normalized)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the batch norm always trains (`training=True`)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=True)
        return keras.layers.ReLU()(normalized)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the batch norm keeps its default axis (-1): the width axis in channels_first",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        normalized = keras.layers.BatchNormalization()(inputs, training=is_training)
        return keras.layers.ReLU()(normalized)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="a ReLU capped at 6 (ReLU6, from MobileNet) instead of a plain ReLU",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ReLU(max_value=6.0)(normalized)
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="axis -1 for channels_last, keras.ops.relu",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = -1 if self.data_format == "channels_last" else 1
        x = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.ops.relu(x)
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="keras.layers.Activation('relu'), the axis from a test on channels_last",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        channels_axis = 3 if self.data_format == "channels_last" else 1
        bn = keras.layers.BatchNormalization(axis=channels_axis)
        out = bn(inputs, training=is_training)
        out = keras.layers.Activation("relu")(out)
        return out
""",
    ),
]


# Round 3: written blind to the checks, their tests, their sentences and the earlier
# rounds' answers (issue 23; see README.md), from the chapter's contract and model.py.
def _answer3(verdict, mistake, source):
    return dict(verdict=verdict, mistake=mistake, source=source, round=3)


ANSWERS += [
    _answer3(
        "wrong",
        "data_format is ignored: the batch norm keeps its default axis -1, which in "
        "channels_first is the width, not the channels",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        normalized = keras.layers.BatchNormalization()(inputs, training=is_training)
        return keras.layers.ReLU()(normalized)
""",
    ),
    _answer3(
        "wrong",
        "is_training is never passed to the batch norm, so a model built for training "
        "normalizes with the moving averages in a bare call",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        channel_axis = 1 if self.data_format == "channels_first" else 3
        x = keras.layers.BatchNormalization(axis=channel_axis)(inputs)
        return keras.layers.Activation("relu")(x)
""",
    ),
    _answer3(
        "wrong",
        "the order is reversed: ReLU first, then batch norm (the output can be negative)",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        activated = keras.layers.ReLU()(inputs)
        return keras.layers.BatchNormalization(axis=axis)(activated, training=is_training)
""",
    ),
    _answer3(
        "wrong",
        "the batch norm has no learnable scale and offset (center=False, scale=False): "
        "the same output at initialisation, but gamma and beta can never be trained",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis, center=False, scale=False)(
            inputs, training=is_training
        )
        return keras.layers.ReLU()(normalized)
""",
    ),
    _answer3(
        "wrong",
        "ReLU6 (ReLU(max_value=6)) instead of a plain ReLU: normalized values above 6 are clipped",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ReLU(max_value=6.0)(normalized)
""",
    ),
    _answer3(
        "correct",
        "negative axes (-3 / -1) and keras.ops.relu on the batch norm's output",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        channels = -3 if self.data_format == "channels_first" else -1
        bn = keras.layers.BatchNormalization(axis=channels)
        return keras.ops.relu(bn(inputs, training=is_training))
""",
    ),
]


# Round 4 (issue 23): written blind on 2026-12-07 by a helper session, from the chapters'
# contracts, hints and prose, model.py, contracts.py, preprocessing.py, training.py and the
# course outline, without reading the checks, their tests or the earlier rounds' answers,
# and committed before their first run.
ANSWERS += [
    dict(
        verdict="wrong",
        mistake=(
            "the channel axis is swapped between the data formats (1 for channels_last, "
            "3 for channels_first), so the batch norm keeps statistics per row or per "
            "column instead of per channel"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_last" else 3
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.ReLU()(normalized)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "is_training is passed as the layer's trainable flag instead of as training= "
            "when the layer is called: it freezes (or not) gamma and beta, and a frozen "
            "batch norm runs in inference mode, instead of choosing the mode"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        batch_norm = keras.layers.BatchNormalization(axis=axis, trainable=is_training)
        return keras.layers.ReLU()(batch_norm(inputs))
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "the ReLU comes before the batch norm, so the output is normalized (about half "
            "of it negative) instead of rectified"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        channel_axis = 1 if self.data_format == "channels_first" else 3
        rectified = keras.layers.ReLU()(inputs)
        return keras.layers.BatchNormalization(axis=channel_axis)(rectified, training=is_training)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "a LeakyReLU replaces the ReLU, so negative values pass through scaled by its "
            "slope instead of being set to zero"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        axis = 1 if self.data_format == "channels_first" else 3
        x = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        return keras.layers.LeakyReLU()(x)
""",
        round=4,
    ),
    dict(
        verdict="correct",
        mistake=(
            "axis -1 instead of 3 for channels_last (the same axis of a 4-D tensor), the "
            "layers nested in one expression, keras.layers.Activation('relu') for the ReLU"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation(self, inputs, is_training):
        channels = -1 if self.data_format == "channels_last" else 1
        return keras.layers.Activation("relu")(
            keras.layers.BatchNormalization(axis=channels)(inputs, training=is_training)
        )
""",
        round=4,
    ),
]
