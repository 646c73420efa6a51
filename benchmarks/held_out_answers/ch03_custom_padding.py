"""Held-out answers for chapter 3's exercise: ``custom_padding``."""

EXERCISE = "custom_padding"

ANSWERS = [
    dict(
        verdict="wrong",
        mistake="the border is mirrored (reflect padding) instead of filled with zeros",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size - 1
        pad_before = pad_total // 2
        pad_after = pad_total - pad_before
        spatial = [pad_before, pad_after]
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], spatial, spatial]
        else:
            paddings = [[0, 0], spatial, spatial, [0, 0]]
        return keras.ops.pad(inputs, paddings, mode="reflect")
""",
    ),
    dict(
        verdict="wrong",
        mistake="all the zeros go before the image (causal-style padding)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        spatial = [kernel_size - 1, 0]
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], spatial, spatial]
        else:
            paddings = [[0, 0], spatial, spatial, [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        verdict="wrong",
        mistake="all the zeros go after the image",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad = kernel_size - 1
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], [0, pad], [0, pad]]
        else:
            paddings = [[0, 0], [0, pad], [0, pad], [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        verdict="wrong",
        mistake="before and after are swapped in the channels_first branch only (copy-paste slip)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size - 1
        pad_before = pad_total // 2
        pad_after = pad_total - pad_before
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], [pad_after, pad_before], [pad_after, pad_before]]
        else:
            paddings = [[0, 0], [pad_before, pad_after], [pad_before, pad_after], [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        verdict="wrong",
        mistake="channels_last paddings have no pair for the batch axis (three pairs, four axes)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size - 1
        spatial = [pad_total // 2, pad_total - pad_total // 2]
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], spatial, spatial]
        else:
            paddings = [spatial, spatial, [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        verdict="correct",
        mistake="divmod of the total; the channel axis's pair inserted into the list",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        half, extra = divmod(kernel_size - 1, 2)
        before, after = half, half + extra
        pads = [(0, 0), (before, after), (before, after)]
        channel_axis = 1 if self.data_format == "channels_first" else 3
        pads.insert(channel_axis, (0, 0))
        return keras.ops.pad(inputs, pads)
""",
    ),
]
