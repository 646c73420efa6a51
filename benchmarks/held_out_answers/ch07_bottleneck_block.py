"""Held-out answers for chapter 7's exercise: the branch of ``bottleneck_block``."""

EXERCISE = "bottleneck_block"

_GIVEN = """
class ResNetModel(resnet_lesson.ResNetModel):
    def bottleneck_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        with keras.name_scope(f"bottleneck_block{index}"):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params
            )
"""


def _answer(verdict, mistake, rest):
    return dict(verdict=verdict, mistake=mistake, source=_GIVEN + rest)


ANSWERS = [
    _answer(
        "wrong",
        "`filters` is read as the block's output width: squeeze to a quarter, expand to `filters`",
        """
            conv1 = self.custom_conv2d(pre_activated1, filters // 4, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters // 4, 3, strides)
            pre_activated3 = self.pre_activation(conv2, is_training)
            conv3 = self.custom_conv2d(pre_activated3, filters, 1, 1)
            return conv3 + shortcut
""",
    ),
    _answer(
        "wrong",
        "the 3x3 conv reads `pre_activated1`, so the squeeze is never used",
        """
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated1, filters, 3, strides)
            pre_activated3 = self.pre_activation(conv2, is_training)
            conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)
            return conv3 + shortcut
""",
    ),
    _answer(
        "wrong",
        "the expand (conv3) strides instead of the 3x3 conv",
        """
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
            pre_activated3 = self.pre_activation(conv2, is_training)
            conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, strides)
            return conv3 + shortcut
""",
    ),
    _answer(
        "wrong",
        "the block adds `inputs` instead of `shortcut` (wrong with a projection)",
        """
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
            pre_activated3 = self.pre_activation(conv2, is_training)
            conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)
            return conv3 + inputs
""",
    ),
    _answer(
        "wrong",
        "the last pre-activation never trains (is_training fixed to False)",
        """
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
            pre_activated3 = self.pre_activation(conv2, False)
            conv3 = self.custom_conv2d(pre_activated3, 4 * filters, 1, 1)
            return conv3 + shortcut
""",
    ),
    _answer(
        "correct",
        "a loop over (filters, kernel, stride) triples, keras.layers.Add",
        """
            x = pre_activated1
            steps = [(filters, 1, 1), (filters, 3, strides), (filters * 4, 1, 1)]
            for i, (width, kernel, stride) in enumerate(steps):
                if i > 0:
                    x = self.pre_activation(x, is_training)
                x = self.custom_conv2d(x, width, kernel, stride)
            return keras.layers.Add()([x, shortcut])
""",
    ),
]
