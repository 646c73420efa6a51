"""The chapter 7 check accepts correct bottleneck blocks however written, and names mistakes."""

import keras
import pytest
from conftest import check_as_graded, check_failure

from resnet_lesson.checks import bottleneck_block as check_module
from resnet_lesson.model import ResNetModel


def _given(self, inputs, filters, strides, is_training, shortcut_filters):
    shortcut_params = (shortcut_filters, strides)
    pre_activated1, shortcut = self.pre_activation_with_shortcut(
        inputs, is_training, shortcut_params
    )
    conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
    pre_activated2 = self.pre_activation(conv1, is_training)
    conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
    return conv2, shortcut


def scoped(method):
    """``method`` run inside the block's name scope, as the contract asks."""

    def bottleneck_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        with keras.name_scope(f"bottleneck_block{index}"):
            return method(self, inputs, filters, strides, is_training, index, shortcut_filters)

    return bottleneck_block


def learner(finish):
    """A learner class whose block runs the given lines, then ``finish``."""

    class Learner(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            with keras.name_scope(f"bottleneck_block{index}"):
                conv2, shortcut = _given(
                    self, inputs, filters, strides, is_training, shortcut_filters
                )
                return finish(self, conv2, shortcut, filters, is_training)

    return Learner


def test_the_reference_passes_and_reports(capsys):
    check_as_graded(check_module, ResNetModel)  # only the visible check reports
    out = capsys.readouterr().out
    assert out.count("bottleneck_block is correct") == 1
    assert "channels_first" in out


@pytest.mark.parametrize(
    "finish",
    [
        # keyword arguments and other names
        lambda self, c2, s, f, t: (
            self.custom_conv2d(
                inputs=self.pre_activation(inputs=c2, is_training=t),
                filters=f * 4,
                kernel_size=1,
                strides=1,
            )
            + s
        ),
        # a Keras Add layer, shortcut first
        lambda self, c2, s, f, t: keras.layers.Add()(
            [s, self.custom_conv2d(self.pre_activation(c2, t), 4 * f, 1, 1)]
        ),
        # a plain Conv2D with the same settings as custom_conv2d
        lambda self, c2, s, f, t: (
            keras.layers.Conv2D(4 * f, (1, 1), use_bias=False, data_format=self.data_format)(
                self.pre_activation(c2, t)
            )
            + s
        ),
        # keras.ops.add
        lambda self, c2, s, f, t: keras.ops.add(
            self.custom_conv2d(self.pre_activation(c2, t), 4 * f, 1, 1), s
        ),
    ],
    ids=["keywords", "add-layer", "conv2d-layer", "ops-add"],
)
def test_other_correct_spellings_pass(finish):
    check_as_graded(check_module, learner(finish))


def _pre3(self, c2, t):
    return self.pre_activation(c2, t)


@pytest.mark.parametrize(
    "finish, expected",
    [
        (
            lambda self, c2, s, f, t: self.custom_conv2d(_pre3(self, c2, t), 4 * f, 1, 1),
            "the shortcut is not added",
        ),
        (
            lambda self, c2, s, f, t: self.custom_conv2d(_pre3(self, c2, t), f, 1, 1) + s,
            "the expand (the last 1x1 conv) has `filters` filters",
        ),
        (
            lambda self, c2, s, f, t: self.custom_conv2d(_pre3(self, c2, t), 4 * f, 3, 1) + s,
            "the expand is not a 1x1 conv",
        ),
        (
            lambda self, c2, s, f, t: self.custom_conv2d(c2, 4 * f, 1, 1) + s,
            "the expand reads the 3x3 conv's output directly",
        ),
        (
            lambda self, c2, s, f, t: keras.layers.ReLU()(
                self.custom_conv2d(_pre3(self, c2, t), 4 * f, 1, 1) + s
            ),
            "ReLU after the addition",
        ),
        (
            lambda self, c2, s, f, t: (
                keras.layers.Conv2D(4 * f, 1, data_format=self.data_format)(_pre3(self, c2, t)) + s
            ),
            "the expand has a bias",
        ),
    ],
)
def test_known_mistakes_are_named(finish, expected):
    assert expected in check_failure(check_module, learner(finish))


def whole(body):
    """A learner class that writes the whole body after the given shortcut line:
    ``body(self, pre_activated1, shortcut, filters, strides, is_training)``."""

    class Learner(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            with keras.name_scope(f"bottleneck_block{index}"):
                shortcut_params = (shortcut_filters, strides)
                pre_activated1, shortcut = self.pre_activation_with_shortcut(
                    inputs, is_training, shortcut_params
                )
                return body(self, pre_activated1, shortcut, filters, strides, is_training)

    return Learner


def _body(
    squeeze=(1, 1, 1),  # (filters factor, kernel, stride?) of each conv
    middle=(1, 3, "strides"),
    expand=(4, 1, 1),
    pre_activate=(True, True),
    squeeze_reads_inputs=False,
    skip_squeeze=False,
):
    """A whole bottleneck body, right or with the twists given."""

    def body(self, p1, shortcut, f, strides, t):
        def conv(x, spec):
            factor, kernel, stride = spec
            return self.custom_conv2d(x, factor * f, kernel, strides if stride == "strides" else 1)

        conv1 = conv(p1, squeeze)
        middle_input = self.pre_activation(conv1, t) if pre_activate[0] else conv1
        conv2 = conv(p1 if skip_squeeze else middle_input, middle)
        conv3 = conv(self.pre_activation(conv2, t) if pre_activate[1] else conv2, expand)
        return conv3 + shortcut

    return body


def test_a_whole_body_written_another_way_passes():
    def body(self, p1, shortcut, f, strides, t):
        squeezed = keras.layers.Conv2D(
            f, 1, use_bias=False, data_format=self.data_format, name="squeeze"
        )(p1)
        middle = self.custom_conv2d(
            self.pre_activation(squeezed, is_training=t), kernel_size=3, filters=f, strides=strides
        )
        expanded = self.custom_conv2d(self.pre_activation(middle, t), f * 4, (1, 1), 1)
        return keras.layers.Add()([shortcut, expanded])

    check_as_graded(check_module, whole(body))


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            _body(middle=(1, 3, 1), expand=(4, 1, "strides")),
            "the expand (the last 1x1 conv) strides instead",
        ),
        (_body(squeeze=(1, 1, "strides")), "two convs stride"),
        (_body(middle=(1, 3, 1)), "no conv strides"),
        (_body(squeeze=(4, 1, 1)), "the squeeze (the first 1x1 conv) does not squeeze"),
        (_body(squeeze=(1, 3, 1)), "the squeeze is not a 1x1 conv"),
        (_body(middle=(1, 1, "strides")), "the middle conv is not a 3x3 conv"),
        (_body(skip_squeeze=True), "the squeeze is never used"),
        (_body(middle=(4, 3, "strides")), "the 3x3 conv has four times `filters` filters"),
        (_body(expand=(1, 1, 1)), "the expand (the last 1x1 conv) has `filters` filters"),
        (_body(pre_activate=(False, True)), "the pre-activation between the squeeze"),
        (_body(pre_activate=(True, False)), "the pre-activation before the expand is missing"),
    ],
    ids=[
        "stride-in-expand",
        "stride-twice",
        "no-stride",
        "squeeze-too-wide",
        "squeeze-3x3",
        "middle-1x1",
        "squeeze-skipped",
        "middle-too-wide",
        "expand-too-narrow",
        "no-pre-activation-before-3x3",
        "no-pre-activation-before-expand",
    ],
)
def test_mistakes_in_the_whole_body_are_named(body, expected):
    assert expected in check_failure(check_module, whole(body))


def test_a_squeeze_of_the_raw_input_is_named():
    class Learner(ResNetModel):
        @scoped
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            _, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, (shortcut_filters, strides)
            )
            conv1 = self.custom_conv2d(inputs, filters, 1, 1)
            conv2 = self.custom_conv2d(self.pre_activation(conv1, is_training), filters, 3, strides)
            conv3 = self.custom_conv2d(self.pre_activation(conv2, is_training), 4 * filters, 1, 1)
            return conv3 + shortcut

    assert "the branch starts from the raw input" in check_failure(check_module, Learner)


def test_conv3_striding_is_named():
    class Learner(ResNetModel):
        @scoped
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            conv2, shortcut = _given(self, inputs, filters, strides, is_training, shortcut_filters)
            pre_activated3 = self.pre_activation(conv2, is_training)
            return self.custom_conv2d(pre_activated3, 4 * filters, 1, strides) + shortcut

    message = check_failure(check_module, Learner)
    assert "two convs stride" in message
    assert "the expand included" in message
    assert "stride 2" in message


def test_conv3_reading_pre_activated2_is_named():
    class Learner(ResNetModel):
        @scoped
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params
            )
            conv1 = self.custom_conv2d(pre_activated1, filters, 1, 1)
            pre_activated2 = self.pre_activation(conv1, is_training)
            conv2 = self.custom_conv2d(pre_activated2, filters, 3, strides)
            pre_activated3 = self.pre_activation(conv2, is_training)  # noqa: F841
            return self.custom_conv2d(pre_activated2, 4 * filters, 1, 1) + shortcut

    assert "the expand reads the pre-activated squeeze" in check_failure(check_module, Learner)


def test_not_written_yet_and_none_are_explained():
    class NotWritten(ResNetModel):
        def bottleneck_block(self, *args, **kwargs):
            raise NotImplementedError()

    class ReturnsNone(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            _given(self, inputs, filters, strides, is_training, shortcut_filters)

    assert "not written yet" in check_failure(check_module, NotWritten)
    assert "did you forget to `return`" in check_failure(check_module, ReturnsNone)


def test_a_middle_pre_activation_that_always_trains_is_named():
    def always_training(self, p1, shortcut, f, strides, t):
        conv1 = self.custom_conv2d(p1, f, 1, 1)
        conv2 = self.custom_conv2d(self.pre_activation(conv1, True), f, 3, strides)
        return self.custom_conv2d(self.pre_activation(conv2, t), 4 * f, 1, 1) + shortcut

    message = check_failure(check_module, whole(always_training))
    assert message.startswith("a batch norm ignores `is_training`")
    assert "(here False)" in message


def test_adding_the_raw_input_is_named_as_such():
    def adds_inputs(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        conv2, _ = _given(self, inputs, filters, strides, is_training, shortcut_filters)
        expanded = self.custom_conv2d(self.pre_activation(conv2, is_training), 4 * filters, 1, 1)
        return inputs + expanded

    Learner = type("Learner", (ResNetModel,), {"bottleneck_block": scoped(adds_inputs)})
    message = check_failure(check_module, Learner)
    assert "adds its raw `inputs` where the shortcut belongs" in message


# -- the whole body: the scope and the shortcut are the learner's too (issue 23) -------


def _branch(self, p1, f, strides, t):
    """The course's branch from the pre-activated input: squeeze, 3x3, expand."""
    conv1 = self.custom_conv2d(p1, f, 1, 1)
    conv2 = self.custom_conv2d(self.pre_activation(conv1, t), f, 3, strides)
    return self.custom_conv2d(self.pre_activation(conv2, t), 4 * f, 1, 1)


def block(shortcut_call, scope=lambda index: f"bottleneck_block{index}", reads="pre_activated"):
    """A learner class that writes the whole body: ``shortcut_call(self, inputs, filters,
    strides, is_training, shortcut_filters)`` makes ``(pre_activated, shortcut)``, inside
    the scope ``scope(index)`` (None: no scope); the branch reads ``reads``."""

    def body(self, inputs, filters, strides, is_training, index, shortcut_filters):
        p1, shortcut = shortcut_call(self, inputs, filters, strides, is_training, shortcut_filters)
        start = {"pre_activated": p1, "inputs": inputs, "shortcut": shortcut}[reads]
        return _branch(self, start, filters, strides, is_training) + shortcut

    class Learner(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            args = (self, inputs, filters, strides, is_training, index, shortcut_filters)
            if scope(index) is None:
                return body(*args)
            with keras.name_scope(scope(index)):
                return body(*args)

    return Learner


def _right_shortcut(self, x, f, strides, t, sf):
    return self.pre_activation_with_shortcut(x, t, (sf, strides))


def test_the_whole_body_with_keywords_and_a_list_passes():
    def shortcut(self, x, f, strides, t, sf):
        return self.pre_activation_with_shortcut(
            inputs=x, is_training=t, shortcut_params=[sf, strides]
        )

    check_as_graded(check_module, block(shortcut))


@pytest.mark.parametrize(
    "shortcut_call, expected",
    [
        # `filters` where `shortcut_filters` belongs: a projection the identity case lacks
        (
            lambda self, x, f, s, t, sf: self.pre_activation_with_shortcut(x, t, (f, s)),
            "the shortcut is a projection with 4 filters where the block was given no "
            "`shortcut_filters`",
        ),
        # always a projection, even where the block asks for the identity
        (
            lambda self, x, f, s, t, sf: self.pre_activation_with_shortcut(x, t, (4 * f, s)),
            "the shortcut is a projection with 16 filters",
        ),
        # the identity right, the projection's width wrong
        (
            lambda self, x, f, s, t, sf: self.pre_activation_with_shortcut(x, t, (sf and f, s)),
            "the shortcut is made with 4 filters where the block was given `shortcut_filters` = 16",
        ),
        # the stride lost: the shortcut does not shrink with the branch
        (
            lambda self, x, f, s, t, sf: self.pre_activation_with_shortcut(x, t, (sf, 1)),
            "the shortcut is made with stride 1 where the block's `strides` is 2",
        ),
        # the filters alone where the pair belongs
        (
            lambda self, x, f, s, t, sf: self.pre_activation_with_shortcut(x, t, sf),
            "the shortcut's parameters are not a pair",
        ),
        # the block's is_training forgotten: a fixed flag ...
        (
            lambda self, x, f, s, t, sf: self.pre_activation_with_shortcut(x, True, (sf, s)),
            "the shortcut's pre-activation gets `is_training` = True where the block was "
            "given False",
        ),
        # ... or no flag at all
        (
            lambda self, x, f, s, t, sf: self.pre_activation_with_shortcut(x, (sf, s)),
            "`pre_activation_with_shortcut` is called with arguments that do not fit",
        ),
    ],
    ids=[
        "filters-for-identity",
        "always-projection",
        "projection-too-narrow",
        "stride-lost",
        "not-a-pair",
        "fixed-flag",
        "no-flag",
    ],
)
def test_a_wrong_shortcut_is_named(shortcut_call, expected):
    assert expected in check_failure(check_module, block(shortcut_call))


@pytest.mark.parametrize("reads", ["inputs", "shortcut"])
def test_a_branch_that_reads_the_raw_input_is_named(reads):
    message = check_failure(check_module, block(_right_shortcut, reads=reads))
    assert message.startswith("the branch starts from the raw input")


@pytest.mark.parametrize(
    "scope, seen",
    [
        (lambda index: None, "(for stride 1 with the identity shortcut (channels_last))"),
        (lambda index: "bottleneck_block", "(here `bottleneck_block0`)"),
        # right for index 0 only: the second case's index is 2
        (lambda index: "bottleneck_block0", "(here `bottleneck_block2`)"),
    ],
    ids=["no-scope", "no-index", "fixed-index"],
)
def test_layers_outside_the_name_scope_are_named(scope, seen):
    message = check_failure(check_module, block(_right_shortcut, scope=scope))
    assert message.startswith("a layer of the block is made outside its name scope")
    assert seen in message


def test_a_shortcut_made_outside_the_scope_is_named():
    class Learner(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            p1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, (shortcut_filters, strides)
            )
            with keras.name_scope(f"bottleneck_block{index}"):
                return _branch(self, p1, filters, strides, is_training) + shortcut

    message = check_failure(check_module, Learner)
    assert message.startswith("a layer of the block is made outside its name scope")
    assert "batch_normalization" in message  # the shortcut's pre-activation
