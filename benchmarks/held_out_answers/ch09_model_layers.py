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

# Round 2: written later, blind to the checks and their tests (see README.md).
_POOL = """
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
"""

_SIGNATURE = """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
"""

ANSWERS += [
    dict(
        round=2,
        verdict="wrong",
        mistake="the stem conv has 64 filters typed in, not `self.filters_initial`",
        source=_SIGNATURE
        + """
        conv_initial = self.custom_conv2d(inputs, 64, 7, 2, name="conv_initial")
"""
        + _POOL
        + _LOOP
        + _HEAD,
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the max pool keeps its default 'valid' padding",
        source=_SIGNATURE
        + """
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, data_format=self.data_format, name="pool_initial"
        )(conv_initial)
"""
        + _LOOP
        + _HEAD,
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="no final pre-activation: the last block's sum is pooled directly",
        source=_STEM
        + _LOOP
        + """
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            block_layer_outputs
        )
        return keras.layers.Dense(self.output_size, name="logits")(avg_pool)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the logits layer has a softmax activation",
        source=_STEM
        + _LOOP
        + """
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        return keras.layers.Dense(self.output_size, activation="softmax", name="logits")(avg_pool)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="the global pooling has no data_format: channels_first averages the wrong axes",
        source=_STEM
        + _LOOP
        + """
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D()(pre_activated_final)
        return keras.layers.Dense(self.output_size, name="logits")(avg_pool)
""",
    ),
    dict(
        round=2,
        verdict="wrong",
        mistake="a dropout layer before the logits",
        source=_STEM
        + _LOOP
        + """
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        dropped = keras.layers.Dropout(0.5)(avg_pool)
        return keras.layers.Dense(self.output_size, name="logits")(dropped)
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="MaxPool2D with tuples, keras.ops.mean over the spatial axes, units= keyword",
        source=_SIGNATURE
        + """
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPool2D(
            pool_size=(3, 3),
            strides=(2, 2),
            padding="same",
            data_format=self.data_format,
            name="pool_initial",
        )(conv_initial)
"""
        + _LOOP
        + """
        pre_activated_final = self.pre_activation(block_layer_outputs, is_training)
        spatial_axes = (2, 3) if self.data_format == "channels_first" else (1, 2)
        avg_pool = keras.ops.mean(pre_activated_final, axis=spatial_axes)
        return keras.layers.Dense(units=self.output_size, name="logits")(avg_pool)
""",
    ),
    dict(
        round=2,
        verdict="correct",
        mistake="keyword arguments to custom_conv2d, `activation=None` spelled out",
        source=_SIGNATURE
        + """
        conv_initial = self.custom_conv2d(
            inputs,
            filters=self.filters_initial,
            kernel_size=7,
            strides=2,
            name="conv_initial",
        )
"""
        + _POOL
        + _LOOP
        + """
        x = self.pre_activation(block_layer_outputs, is_training=is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size, activation=None, name="logits")(x)
""",
    ),
]

# Round 3: the block-layer loop, which the learner writes since issue 23 (before, it was
# given). Written by the author of the loop's checks, after writing them: they show what
# the check says to these loop mistakes, not how it does on answers it has never seen
# (README.md). `_LOOPED` is the head, read from the loop's `x`.
_LOOPED = """
        pre_activated_final = self.pre_activation(x, is_training)
        avg_pool = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(
            pre_activated_final
        )
        return keras.layers.Dense(self.output_size, name="logits")(avg_pool)
"""


def _with_loop(loop):
    return _STEM + loop + _LOOPED


ANSWERS += [
    dict(
        round=3,
        verdict="wrong",
        mistake="the width is never doubled: every block layer has filters_initial filters",
        source=_with_loop("""
        x = pool_initial
        filters = self.filters_initial
        for i in range(len(self.block_layer_sizes)):
            x = self.block_layer(
                x, filters, self.block_strides[i], self.block_layer_sizes[i], is_training, i + 1
            )
"""),
    ),
    dict(
        round=3,
        verdict="wrong",
        mistake="the width is doubled at the top of the loop, so block layer 1 is already 2x",
        source=_with_loop("""
        x = pool_initial
        filters = self.filters_initial
        for i, (blocks, stride) in enumerate(zip(self.block_layer_sizes, self.block_strides)):
            filters *= 2
            x = self.block_layer(x, filters, stride, blocks, is_training, i + 1)
"""),
    ),
    dict(
        round=3,
        verdict="wrong",
        mistake="every block layer strides 2, the first included",
        source=_with_loop("""
        x = pool_initial
        for i, blocks in enumerate(self.block_layer_sizes):
            x = self.block_layer(x, self.filters_initial * 2**i, 2, blocks, is_training, i + 1)
"""),
    ),
    dict(
        round=3,
        verdict="wrong",
        mistake="ResNet-18's block counts typed in instead of self.block_layer_sizes",
        source=_with_loop("""
        x = pool_initial
        for i, blocks in enumerate([2, 2, 2, 2]):
            x = self.block_layer(
                x, self.filters_initial * 2**i, self.block_strides[i], blocks, is_training, i + 1
            )
"""),
    ),
    dict(
        round=3,
        verdict="wrong",
        mistake="the block-layer index counts from 0 (scopes block_layer0 to block_layer3)",
        source=_with_loop("""
        x = pool_initial
        for i, blocks in enumerate(self.block_layer_sizes):
            x = self.block_layer(
                x, self.filters_initial * 2**i, self.block_strides[i], blocks, is_training, i
            )
"""),
    ),
    dict(
        round=3,
        verdict="wrong",
        mistake="every block layer reads pool_initial instead of the previous block layer",
        source=_with_loop("""
        for i, blocks in enumerate(self.block_layer_sizes):
            x = self.block_layer(
                pool_initial,
                self.filters_initial * 2**i,
                self.block_strides[i],
                blocks,
                is_training,
                i + 1,
            )
"""),
    ),
    dict(
        round=3,
        verdict="wrong",
        mistake="the loop stops one block layer early (range(3))",
        source=_with_loop("""
        x = pool_initial
        for i in range(3):
            x = self.block_layer(
                x,
                self.filters_initial * 2**i,
                self.block_strides[i],
                self.block_layer_sizes[i],
                is_training,
                i + 1,
            )
"""),
    ),
    dict(
        round=3,
        verdict="wrong",
        mistake="the widths grow by adding filters_initial (8, 16, 24, 32), not by doubling",
        source=_with_loop("""
        x = pool_initial
        for i, blocks in enumerate(self.block_layer_sizes):
            x = self.block_layer(
                x, self.filters_initial * (i + 1), self.block_strides[i], blocks, is_training, i + 1
            )
"""),
    ),
    dict(
        round=3,
        verdict="correct",
        mistake="the widths listed first, three lists zipped, the index from enumerate(start=1)",
        source=_with_loop("""
        x = pool_initial
        widths = [self.filters_initial * 2**i for i in range(len(self.block_layer_sizes))]
        layers = zip(widths, self.block_strides, self.block_layer_sizes)
        for index, (filters, strides, num_blocks) in enumerate(layers, start=1):
            x = self.block_layer(
                inputs=x,
                filters=filters,
                strides=strides,
                num_blocks=num_blocks,
                is_training=is_training,
                index=index,
            )
"""),
    ),
    dict(
        round=3,
        verdict="correct",
        mistake="no loop: the four block layers written out, widths with a bit shift",
        source=_with_loop("""
        f, n, s = self.filters_initial, self.block_layer_sizes, self.block_strides
        x = self.block_layer(pool_initial, f, s[0], n[0], is_training, 1)
        x = self.block_layer(x, f << 1, s[1], n[1], is_training, 2)
        x = self.block_layer(x, f << 2, s[2], n[2], is_training, 3)
        x = self.block_layer(x, f << 3, s[3], n[3], is_training, 4)
"""),
    ),
]


# Round 3, written blind (issue 23): unlike the loop answers just above, these were
# written without reading the checks, their tests, their sentences or the earlier
# answers, from the chapter's contract and model.py, and committed before their first
# run. Each is the whole method: stem, loop and head.
def _blind3(verdict, mistake, source):
    return dict(verdict=verdict, mistake=mistake, source=source, round=3)


ANSWERS += [
    _blind3(
        "wrong",
        "the stem's max pool has 'valid' padding, so the map after the stem is one pixel "
        "short (112 becomes 55 instead of 56)",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="valid", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        x = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            width = self.filters_initial * 2**i
            x = self.block_layer(x, width, self.block_strides[i], num_blocks, is_training, i + 1)
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size, name="logits")(x)
""",
    ),
    _blind3(
        "wrong",
        "the block layers' widths grow linearly (f, 2f, 3f, 4f) instead of doubling "
        "(f, 2f, 4f, 8f)",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        x = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            filters = self.filters_initial * (i + 1)
            x = self.block_layer(x, filters, self.block_strides[i], num_blocks, is_training, i + 1)
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size, name="logits")(x)
""",
    ),
    _blind3(
        "wrong",
        "the head has no final pre-activation: the last block's sum goes straight to the "
        "pooling without v2's last batch norm and ReLU",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        x = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            width = self.filters_initial * 2**i
            x = self.block_layer(x, width, self.block_strides[i], num_blocks, is_training, i + 1)
        pooled = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size, name="logits")(pooled)
""",
    ),
    _blind3(
        "wrong",
        "the max pool and the global pooling are not given data_format, so in "
        "channels_first they pool over the channels and the height instead of the height "
        "and width",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(3, 2, padding="same", name="pool_initial")(
            conv_initial
        )
        x = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            width = self.filters_initial * 2**i
            x = self.block_layer(x, width, self.block_strides[i], num_blocks, is_training, i + 1)
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D()(x)
        return keras.layers.Dense(self.output_size, name="logits")(x)
""",
    ),
    _blind3(
        "wrong",
        "the logits layer has a softmax activation, so it returns probabilities instead of "
        "raw scores",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        x = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            width = self.filters_initial * 2**i
            x = self.block_layer(x, width, self.block_strides[i], num_blocks, is_training, i + 1)
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size, activation="softmax", name="logits")(x)
""",
    ),
    _blind3(
        "wrong",
        "a dropout layer before the logits (following is_training), which the contract rules out",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        x = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            width = self.filters_initial * 2**i
            x = self.block_layer(x, width, self.block_strides[i], num_blocks, is_training, i + 1)
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        x = keras.layers.Dropout(0.5)(x, training=is_training)
        return keras.layers.Dense(self.output_size, name="logits")(x)
""",
    ),
    _blind3(
        "correct",
        "zip over sizes and strides with enumerate(start=1), the MaxPool2D and "
        "GlobalAvgPool2D aliases, keyword arguments",
        """
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        x = self.custom_conv2d(
            inputs, filters=self.filters_initial, kernel_size=7, strides=2, name="conv_initial"
        )
        x = keras.layers.MaxPool2D(
            pool_size=3, strides=2, padding="same", data_format=self.data_format,
            name="pool_initial",
        )(x)
        width = self.filters_initial
        for number, (blocks, stride) in enumerate(
            zip(self.block_layer_sizes, self.block_strides), start=1
        ):
            x = self.block_layer(
                x, filters=width, strides=stride, num_blocks=blocks,
                is_training=is_training, index=number,
            )
            width *= 2
        x = self.pre_activation(x, is_training=is_training)
        x = keras.layers.GlobalAvgPool2D(data_format=self.data_format)(x)
        return keras.layers.Dense(units=self.output_size, name="logits")(x)
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
            "GlobalAveragePooling2D is made without data_format, so on channels_first "
            "maps it averages over the channels and the height and hands the dense layer "
            "one number per column instead of one per channel"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        x = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        x = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(x)
        for i, num_blocks in enumerate(self.block_layer_sizes):
            x = self.block_layer(
                x,
                self.filters_initial * 2**i,
                self.block_strides[i],
                num_blocks,
                is_training,
                i + 1,
            )
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D()(x)
        return keras.layers.Dense(self.output_size, name="logits")(x)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "the logits layer has a softmax activation, so the model outputs "
            "probabilities instead of the raw scores the loss (from_logits=True) expects"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(conv_initial)
        outputs = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            outputs = self.block_layer(
                outputs,
                self.filters_initial * 2**i,
                self.block_strides[i],
                num_blocks,
                is_training,
                i + 1,
            )
        outputs = self.pre_activation(outputs, is_training)
        pooled = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(outputs)
        return keras.layers.Dense(self.output_size, activation="softmax", name="logits")(pooled)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "the max pool is padded with the course's zero padding (custom_padding, then "
            "'valid') instead of 'same': its windows shift by one pixel on even maps, and "
            "the zeros it adds can win the max where the conv's outputs are negative"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        conv_initial = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        padded = self.custom_padding(conv_initial, 3)
        pool_initial = keras.layers.MaxPooling2D(
            3, 2, padding="valid", data_format=self.data_format, name="pool_initial"
        )(padded)
        x = pool_initial
        for i, num_blocks in enumerate(self.block_layer_sizes):
            x = self.block_layer(
                x,
                self.filters_initial * 2**i,
                self.block_strides[i],
                num_blocks,
                is_training,
                i + 1,
            )
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size, name="logits")(x)
""",
        round=4,
    ),
    dict(
        verdict="wrong",
        mistake=(
            "the block layers' widths grow linearly (filters_initial * (i + 1): 64, 128, "
            "192, 256) instead of doubling at each block layer (64, 128, 256, 512)"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        x = self.custom_conv2d(inputs, self.filters_initial, 7, 2, name="conv_initial")
        x = keras.layers.MaxPooling2D(
            3, 2, padding="same", data_format=self.data_format, name="pool_initial"
        )(x)
        for i, num_blocks in enumerate(self.block_layer_sizes):
            x = self.block_layer(
                x,
                self.filters_initial * (i + 1),
                self.block_strides[i],
                num_blocks,
                is_training,
                i + 1,
            )
        x = self.pre_activation(x, is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(self.output_size, name="logits")(x)
""",
        round=4,
    ),
    dict(
        verdict="correct",
        mistake=(
            "keyword arguments throughout, the loop over zip(block_layer_sizes, "
            "block_strides) numbered from 1 with the width doubled after each block layer "
            "(filters *= 2)"
        ),
        source="""
class ResNetModel(resnet_lesson.ResNetModel):
    def model_layers(self, inputs, is_training):
        x = self.custom_conv2d(
            inputs=inputs,
            filters=self.filters_initial,
            kernel_size=7,
            strides=2,
            name="conv_initial",
        )
        x = keras.layers.MaxPooling2D(
            pool_size=3,
            strides=2,
            padding="same",
            data_format=self.data_format,
            name="pool_initial",
        )(x)
        filters = self.filters_initial
        for number, (num_blocks, stride) in enumerate(
            zip(self.block_layer_sizes, self.block_strides), start=1
        ):
            x = self.block_layer(
                x,
                filters=filters,
                strides=stride,
                num_blocks=num_blocks,
                is_training=is_training,
                index=number,
            )
            filters *= 2
        x = self.pre_activation(x, is_training=is_training)
        x = keras.layers.GlobalAveragePooling2D(data_format=self.data_format)(x)
        return keras.layers.Dense(units=self.output_size, name="logits")(x)
""",
        round=4,
    ),
]
