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

# Round 2: written later, blind to the checks and their tests (see README.md).
ANSWERS += [
    dict(
        round=2,
        verdict="wrong",
        mistake="kernel_size zeros in total instead of kernel_size - 1",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size
        pad_before = pad_total // 2
        pad_after = pad_total - pad_before
        spatial = [pad_before, pad_after]
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], spatial, spatial]
        else:
            paddings = [[0, 0], spatial, spatial, [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="an even kernel gets its extra zero before instead of after (both formats)",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size - 1
        pad_after = pad_total // 2
        pad_before = pad_total - pad_after
        spatial = [pad_before, pad_after]
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], spatial, spatial]
        else:
            paddings = [[0, 0], spatial, spatial, [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the data format is ignored: always the channels_last layout",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size - 1
        pad_before = pad_total // 2
        pad_after = pad_total - pad_before
        paddings = [[0, 0], [pad_before, pad_after], [pad_before, pad_after], [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="every axis but the batch is padded, the channel axis too",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size - 1
        pad_before = pad_total // 2
        pad_after = pad_total - pad_before
        pair = [pad_before, pad_after]
        return keras.ops.pad(inputs, [[0, 0], pair, pair, pair])
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="kernel_size // 2 on each side: right for odd kernels, one zero too many for even",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad = kernel_size // 2
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], [pad, pad], [pad, pad]]
        else:
            paddings = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="keras.layers.ZeroPadding2D with the data format",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        total = kernel_size - 1
        before = total // 2
        after = total - before
        return keras.layers.ZeroPadding2D(
            padding=((before, after), (before, after)), data_format=self.data_format
        )(inputs)
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="tuples, the channels_last case first, mode and constant_values spelled out",
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        before = (kernel_size - 1) // 2
        after = kernel_size - 1 - before
        if self.data_format == "channels_last":
            pad_width = ((0, 0), (before, after), (before, after), (0, 0))
        else:
            pad_width = ((0, 0), (0, 0), (before, after), (before, after))
        return keras.ops.pad(inputs, pad_width, mode="constant", constant_values=0)
""",
    ),
]
