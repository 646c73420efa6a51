"""Held-out answers for chapter 8's exercise: ``block_layer``."""

EXERCISE = "block_layer"

_HEAD = """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
"""


def _answer(verdict, mistake, rest):
    return dict(verdict=verdict, mistake=mistake, source=_HEAD + rest)


ANSWERS = [
    _answer(
        "wrong",
        "the stride goes to the last block instead of the first",
        """
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = inputs
            for i in range(num_blocks):
                stride = strides if i == num_blocks - 1 else 1
                projection = shortcut_filters if i == 0 else None
                outputs = block_fn(
                    outputs, filters, stride, is_training, i, shortcut_filters=projection
                )
            return outputs
""",
    ),
    _answer(
        "wrong",
        "the blocks after the first always train (is_training fixed to True)",
        """
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, True, block_index)
            return outputs
""",
    ),
    _answer(
        "wrong",
        "the later blocks' positional arguments swap `is_training` and the index",
        """
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, block_index, is_training)
            return outputs
""",
    ),
    _answer(
        "wrong",
        "the projection has four times `filters` in a regular block layer too",
        """
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=4 * filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index)
            return outputs
""",
    ),
    _answer(
        "wrong",
        "the first block's stride is hard-coded to 2",
        """
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, 2, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index)
            return outputs
""",
    ),
    _answer(
        "correct",
        "the arguments shared by every block bound once with functools.partial",
        """
            import functools

            projection = 4 * filters if self.bottleneck else filters
            block = functools.partial(block_fn, filters=filters, is_training=is_training)
            x = block(inputs, strides=strides, index=0, shortcut_filters=projection)
            for block_index in range(1, num_blocks):
                x = block(x, strides=1, index=block_index)
            return x
""",
    ),
    _answer(
        "correct",
        "keyword arguments everywhere, an if/else for the block kind",
        """
            if self.bottleneck:
                block_fn, projection = self.bottleneck_block, 4 * filters
            else:
                block_fn, projection = self.regular_block, filters
            outputs = block_fn(
                inputs=inputs,
                filters=filters,
                strides=strides,
                is_training=is_training,
                index=0,
                shortcut_filters=projection,
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(
                    inputs=outputs,
                    filters=filters,
                    strides=1,
                    is_training=is_training,
                    index=block_index,
                )
            return outputs
""",
    ),
]


# Round 2: written later, blind to the checks and their tests (see README.md).
def _answer2(verdict, mistake, rest, head=_HEAD):
    return dict(verdict=verdict, mistake=mistake, source=head + rest, round=2)


_SIGNATURE = """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
"""

ANSWERS += [
    _answer2(
        "wrong",
        "every block gets a projection shortcut, not only the first",
        """
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = inputs
            for block_index in range(num_blocks):
                block_strides = strides if block_index == 0 else 1
                outputs = block_fn(
                    outputs,
                    filters,
                    block_strides,
                    is_training,
                    block_index,
                    shortcut_filters=shortcut_filters,
                )
            return outputs
""",
    ),
    _answer2(
        "wrong",
        "the loop after the first block runs num_blocks times: one block too many",
        """
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index + 1)
            return outputs
""",
    ),
    _answer2(
        "wrong",
        "no name scope: the block layer's layers are not under `block_layer{index}`",
        """
        block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
        shortcut_filters = 4 * filters if self.bottleneck else filters
        outputs = block_fn(
            inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
        )
        for block_index in range(1, num_blocks):
            outputs = block_fn(outputs, filters, 1, is_training, block_index)
        return outputs
""",
        head=_SIGNATURE,
    ),
    _answer2(
        "wrong",
        "the block kind is inverted: regular blocks when `self.bottleneck` is true",
        """
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.regular_block if self.bottleneck else self.bottleneck_block
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index)
            return outputs
""",
        head=_SIGNATURE,
    ),
    _answer2(
        "wrong",
        "every later block reads the layer's `inputs` instead of the previous block's output",
        """
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(1, num_blocks):
                outputs = block_fn(inputs, filters, 1, is_training, block_index)
            return outputs
""",
    ),
    _answer2(
        "correct",
        "one loop for every block, the first one's stride and projection by conditionals",
        """
            width = filters * (4 if self.bottleneck else 1)
            x = inputs
            for i in range(num_blocks):
                first = i == 0
                x = block_fn(
                    x,
                    filters,
                    strides if first else 1,
                    is_training,
                    i,
                    shortcut_filters=width if first else None,
                )
            return x
""",
    ),
    _answer2(
        "correct",
        "getattr for the block, the scope name by concatenation, index as a keyword",
        """
        kind = "bottleneck_block" if self.bottleneck else "regular_block"
        expansion = 4 if self.bottleneck else 1
        with keras.name_scope("block_layer" + str(index)):
            block = getattr(self, kind)
            outputs = block(
                inputs, filters, strides, is_training, index=0, shortcut_filters=expansion * filters
            )
            for i in range(1, num_blocks):
                outputs = block(outputs, filters, 1, is_training, index=i)
            return outputs
""",
        head=_SIGNATURE,
    ),
]


# Round 3: written blind to the checks, their tests, their sentences and the earlier
# rounds' answers (issue 23; see README.md), from the chapter's contract and model.py.
def _answer3(verdict, mistake, source):
    return dict(verdict=verdict, mistake=mistake, source=source, round=3)


ANSWERS += [
    _answer3(
        "wrong",
        "every block gets the block layer's strides, not only the first, so with stride 2 "
        "the later blocks shrink the map again while their identity shortcuts do not",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            width = 4 * filters if self.bottleneck else filters
            x = block_fn(inputs, filters, strides, is_training, 0, shortcut_filters=width)
            for block_index in range(1, num_blocks):
                x = block_fn(x, filters, strides, is_training, block_index)
            return x
""",
    ),
    _answer3(
        "wrong",
        "the projection gets filters channels in a bottleneck layer too, instead of "
        "4 * filters, so it cannot be added to the block's widened branch",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            outputs = block_fn(inputs, filters, strides, is_training, 0, shortcut_filters=filters)
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index)
            return outputs
""",
    ),
    _answer3(
        "wrong",
        "the loop runs num_blocks times after the first block, so the block layer stacks "
        "num_blocks + 1 blocks",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            shortcut_filters = 4 * filters if self.bottleneck else filters
            outputs = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for block_index in range(num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index + 1)
            return outputs
""",
    ),
    _answer3(
        "wrong",
        "no block_layer{index} name scope: the blocks are right, but chapter 9's "
        "measurements cannot find the block layers by name",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
        shortcut_filters = 4 * filters if self.bottleneck else filters
        outputs = block_fn(inputs, filters, strides, is_training, 0, shortcut_filters)
        for block_index in range(1, num_blocks):
            outputs = block_fn(outputs, filters, 1, is_training, block_index)
        return outputs
""",
    ),
    _answer3(
        "wrong",
        "the later blocks read the block layer's input instead of the previous block's "
        "output, so only the first and the last block end up in the path",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            shortcut_filters = 4 * filters if self.bottleneck else filters
            first = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            outputs = first
            for block_index in range(1, num_blocks):
                outputs = block_fn(first, filters, 1, is_training, block_index)
            return outputs
""",
    ),
    _answer3(
        "correct",
        "the other design the chapter accepts: the first block projects only when it "
        "strides or changes the number of channels, and keeps the identity otherwise",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            out_width = 4 * filters if self.bottleneck else filters
            channel_axis = 1 if self.data_format == "channels_first" else -1
            if strides == 1 and inputs.shape[channel_axis] == out_width:
                projection = None
            else:
                projection = out_width
            outputs = block_fn(inputs, filters, strides, is_training, 0, projection)
            for block_index in range(1, num_blocks):
                outputs = block_fn(outputs, filters, 1, is_training, block_index)
            return outputs
""",
    ),
    _answer3(
        "correct",
        "the course's design written with a while loop, keyword arguments and an if/else "
        "for the block kind",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope("block_layer%d" % index):
            if self.bottleneck:
                block, width = self.bottleneck_block, filters * 4
            else:
                block, width = self.regular_block, filters
            x = block(
                inputs,
                filters=filters,
                strides=strides,
                is_training=is_training,
                index=0,
                shortcut_filters=width,
            )
            i = 1
            while i < num_blocks:
                x = block(x, filters=filters, strides=1, is_training=is_training, index=i)
                i += 1
            return x
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
            "the first block's projection gets filters channels even for bottleneck "
            "blocks, whose branch outputs 4 * filters, so shortcut and branch cannot be "
            "added"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            x = block_fn(inputs, filters, strides, is_training, 0, shortcut_filters=filters)
            for i in range(1, num_blocks):
                x = block_fn(x, filters, 1, is_training, i)
            return x
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "every later block reads the block layer's inputs instead of the previous "
            "block's output, so the blocks are not chained and only the last one reaches "
            "the output"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            width = 4 * filters if self.bottleneck else filters
            outputs = block_fn(inputs, filters, strides, is_training, 0, shortcut_filters=width)
            for block_index in range(1, num_blocks):
                outputs = block_fn(inputs, filters, 1, is_training, block_index)
            return outputs
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "the loop after the first block runs num_blocks times (range(1, num_blocks + "
            "1)), so the block layer stacks one block too many"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            shortcut_filters = 4 * filters if self.bottleneck else filters
            x = block_fn(
                inputs, filters, strides, is_training, 0, shortcut_filters=shortcut_filters
            )
            for i in range(1, num_blocks + 1):
                x = block_fn(x, filters, 1, is_training, i)
            return x
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "every block is given shortcut_filters, so every block has a projection "
            "shortcut (option C) and none keeps the identity"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            out_filters = 4 * filters if self.bottleneck else filters
            x = inputs
            for i in range(num_blocks):
                x = block_fn(
                    x,
                    filters,
                    strides if i == 0 else 1,
                    is_training,
                    i,
                    shortcut_filters=out_filters,
                )
            return x
""",
        round=4,
    ),
    dict(
        verdict="correct",
        mistake=(
            "the identity where the shapes already fit (the design the chapter accepts): "
            "the first block projects only when it strides or changes the number of "
            "channels, read from the input's channel axis; keyword arguments"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            if self.bottleneck:
                make_block = self.bottleneck_block
                out_channels = 4 * filters
            else:
                make_block = self.regular_block
                out_channels = filters
            channel_axis = 1 if self.data_format == "channels_first" else -1
            in_channels = inputs.shape[channel_axis]
            if strides != 1 or in_channels != out_channels:
                projection = out_channels
            else:
                projection = None
            x = make_block(
                inputs,
                filters=filters,
                strides=strides,
                is_training=is_training,
                index=0,
                shortcut_filters=projection,
            )
            for block_number in range(1, num_blocks):
                x = make_block(
                    x, filters=filters, strides=1, is_training=is_training, index=block_number
                )
            return x
""",
        round=4,
    ),
]
