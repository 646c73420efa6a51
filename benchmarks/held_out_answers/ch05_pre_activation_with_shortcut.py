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
