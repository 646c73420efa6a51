"""Held-out answers for chapter 5's exercise: ``pre_activation_with_shortcut``."""

EXERCISE = "pre_activation_with_shortcut"

ANSWERS = [
    dict(
        verdict="wrong",
        mistake="shortcut_params is unpacked in the wrong order (strides first)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        strides, shortcut_filters = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        verdict="wrong",
        mistake="the projection gets a second batch norm and ReLU of its own",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            again = self.pre_activation(inputs, is_training)
            shortcut = self.custom_conv2d(again, shortcut_filters, 1, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        verdict="wrong",
        mistake="the projection has four times shortcut_filters (the bottleneck's factor twice)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, 4 * shortcut_filters, 1, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        verdict="wrong",
        mistake="the None test is inverted: a projection exactly when there are no filters",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        verdict="wrong",
        mistake="the projection always strides by 2, whatever `strides` says",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, 2)
        return pre_activated, shortcut
""",
    ),
    dict(
        verdict="correct",
        mistake="an early return for the identity, keyword arguments for the projection",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        normalized = self.pre_activation(inputs=inputs, is_training=is_training)
        if shortcut_filters is None:
            return normalized, inputs
        projection = self.custom_conv2d(
            normalized, filters=shortcut_filters, kernel_size=1, strides=strides
        )
        return normalized, projection
""",
    ),
]

# Round 2: written later, blind to the checks and their tests (see README.md).
ANSWERS += [
    dict(
        round=2,
        verdict="wrong",
        mistake="the projection reads the raw input instead of the pre-activated one (v1 habit)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(inputs, shortcut_filters, 1, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the identity shortcut is the pre-activated input, not the raw one",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = pre_activated
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the pair is returned in the wrong order (shortcut first)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        return shortcut, pre_activated
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the projection is a 3x3 conv instead of a 1x1",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 3, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the identity is chosen from the stride, so a stride-1 projection is lost",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if strides == 1:
            shortcut = inputs
        else:
            shortcut = self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        return pre_activated, shortcut
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the projection is a bare keras Conv2D: it has a bias and ignores the data format",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if shortcut_filters is None:
            shortcut = inputs
        else:
            shortcut = keras.layers.Conv2D(shortcut_filters, 1, strides=strides)(pre_activated)
        return pre_activated, shortcut
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="indexing instead of unpacking, the projection case first, keyword arguments",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        filters = shortcut_params[0]
        stride = shortcut_params[1]
        activated = self.pre_activation(inputs, is_training=is_training)
        if filters is not None:
            projection = self.custom_conv2d(activated, filters, kernel_size=1, strides=stride)
            return activated, projection
        return activated, inputs
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="a conditional expression, the pair returned in parentheses",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
        shortcut_filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        shortcut = (
            inputs
            if shortcut_filters is None
            else self.custom_conv2d(pre_activated, shortcut_filters, 1, strides)
        )
        return (pre_activated, shortcut)
""",
    ),
]
