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


# Round 3: written blind to the checks, their tests, their sentences and the earlier
# rounds' answers (issue 23; see README.md), from the chapter's contract and model.py.
def _answer3(verdict, mistake, source):
    return dict(verdict=verdict, mistake=mistake, source=source, round=3)


ANSWERS += [
    _answer3(
        "wrong",
        "the half is rounded up before, so an even kernel gets its extra zero before the "
        "image instead of after it (kernel 4 pads (2, 1) instead of (1, 2))",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        before = kernel_size // 2
        after = kernel_size - 1 - before
        if self.data_format == "channels_first":
            return keras.ops.pad(inputs, [[0, 0], [0, 0], [before, after], [before, after]])
        return keras.ops.pad(inputs, [[0, 0], [before, after], [before, after], [0, 0]])
""",
    ),
    _answer3(
        "wrong",
        "data_format is ignored: the channels_last layout is used for both, so in "
        "channels_first the channel axis and the height are padded and the width is not",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        total = kernel_size - 1
        pair = [total // 2, total - total // 2]
        return keras.ops.pad(inputs, [[0, 0], pair, pair, [0, 0]])
""",
    ),
    _answer3(
        "wrong",
        "kernel_size zeros per spatial axis instead of kernel_size - 1 (one zero too many, "
        "after the image for odd kernels)",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        before = (kernel_size - 1) // 2
        after = kernel_size - before
        if self.data_format == "channels_last":
            pad_width = [[0, 0], [before, after], [before, after], [0, 0]]
        else:
            pad_width = [[0, 0], [0, 0], [before, after], [before, after]]
        return keras.ops.pad(inputs, pad_width)
""",
    ),
    _answer3(
        "wrong",
        "ZeroPadding2D's padding=(a, b) is read as (before, after), but it means a on both "
        "sides of the height and b on both sides of the width: even kernels are padded "
        "symmetrically, the height one zero short and the width one too many",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_before = (kernel_size - 1) // 2
        pad_after = kernel_size - 1 - pad_before
        return keras.layers.ZeroPadding2D(
            padding=(pad_before, pad_after), data_format=self.data_format
        )(inputs)
""",
    ),
    _answer3(
        "wrong",
        "tf.pad instead of keras.ops.pad: it raises on the symbolic Keras tensors a model "
        "is built from, so every strided conv of the network fails to build",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_total = kernel_size - 1
        pad_beg = pad_total // 2
        pad_end = pad_total - pad_beg
        if self.data_format == "channels_first":
            return tf.pad(inputs, [[0, 0], [0, 0], [pad_beg, pad_end], [pad_beg, pad_end]])
        return tf.pad(inputs, [[0, 0], [pad_beg, pad_end], [pad_beg, pad_end], [0, 0]])
""",
    ),
    _answer3(
        "correct",
        "a ZeroPadding2D layer given ((before, after), (before, after)) and the data format",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        before = (kernel_size - 1) // 2
        after = (kernel_size - 1) - before
        layer = keras.layers.ZeroPadding2D(
            padding=((before, after), (before, after)), data_format=self.data_format
        )
        return layer(inputs)
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
            "for an even kernel the extra zero goes before the image instead of after "
            "(kernel_size=4 pads (2, 1) instead of (1, 2)): the rounded-down half is put "
            "after"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        total = kernel_size - 1
        after = total // 2
        before = total - after
        if self.data_format == "channels_first":
            pad_width = [[0, 0], [0, 0], [before, after], [before, after]]
        else:
            pad_width = [[0, 0], [before, after], [before, after], [0, 0]]
        return keras.ops.pad(inputs, pad_width)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "keras.layers.ZeroPadding2D is made without data_format, so it assumes "
            "channels_last: on a channels_first tensor it pads the channel and height axes "
            "instead of the height and width"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        before = (kernel_size - 1) // 2
        after = kernel_size - 1 - before
        return keras.layers.ZeroPadding2D(padding=((before, after), (before, after)))(inputs)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "it pads with tf.pad, which Keras 3 refuses on the symbolic tensors a model is "
            "built from, so building any strided convolution fails (keras.ops.pad works "
            "on both)"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        pad_before = (kernel_size - 1) // 2
        pad_after = (kernel_size - 1) - pad_before
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], [pad_before, pad_after], [pad_before, pad_after]]
        else:
            paddings = [[0, 0], [pad_before, pad_after], [pad_before, pad_after], [0, 0]]
        return tf.pad(inputs, paddings)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "in channels_last the pairs are written as for one (height, width, channels) "
            "image, forgetting the batch axis: it pads the batch and height axes (0 and 1) "
            "instead of height and width (1 and 2)"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        before = (kernel_size - 1) // 2
        after = kernel_size - 1 - before
        if self.data_format == "channels_first":
            paddings = [[0, 0], [0, 0], [before, after], [before, after]]
        else:
            paddings = [[before, after], [before, after], [0, 0], [0, 0]]
        return keras.ops.pad(inputs, paddings)
""",
        round=4,
    ),
    dict(
        verdict="correct",
        mistake=(
            "builds the four pairs as a list of zeros and fills in the spatial axes, "
            "chosen from the data format, in a loop"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def custom_padding(self, inputs, kernel_size):
        zeros_before = (kernel_size - 1) // 2
        zeros_after = kernel_size - 1 - zeros_before
        pad_width = [(0, 0)] * 4
        spatial_axes = (2, 3) if self.data_format == "channels_first" else (1, 2)
        for axis in spatial_axes:
            pad_width[axis] = (zeros_before, zeros_after)
        return keras.ops.pad(inputs, pad_width)
""",
        round=4,
    ),
]
