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
            "conv3 (the expand) has `filters` filters",
        ),
        (
            lambda self, c2, s, f, t: self.custom_conv2d(_pre3(self, c2, t), 4 * f, 3, 1) + s,
            "conv3 is not a 1x1 conv",
        ),
        (
            lambda self, c2, s, f, t: self.custom_conv2d(c2, 4 * f, 1, 1) + s,
            "conv3 reads conv2 directly",
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
            "conv3 has a bias",
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
):
    """A whole bottleneck body, right or with the twists given."""

    def body(self, p1, shortcut, f, strides, t):
        def conv(x, spec):
            factor, kernel, stride = spec
            return self.custom_conv2d(x, factor * f, kernel, strides if stride == "strides" else 1)

        conv1 = conv(p1, squeeze)
        conv2 = conv(self.pre_activation(conv1, t) if pre_activate[0] else conv1, middle)
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
        (_body(middle=(1, 3, 1), expand=(4, 1, "strides")), "the expand (conv3) strides instead"),
        (_body(squeeze=(1, 1, "strides")), "two convs stride"),
        (_body(middle=(1, 3, 1)), "no conv strides"),
        (_body(squeeze=(4, 1, 1)), "the squeeze (conv1) does not squeeze"),
        (_body(squeeze=(1, 3, 1)), "the squeeze (conv1) is not a 1x1 conv"),
        (_body(middle=(1, 1, "strides")), "conv2 is not a 3x3 conv"),
        (_body(middle=(4, 3, "strides")), "conv2 has four times `filters` filters"),
        (_body(expand=(1, 1, 1)), "conv3 (the expand) has `filters` filters"),
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

    assert "the squeeze (conv1) reads the raw `inputs`" in check_failure(check_module, Learner)


def test_conv3_striding_is_named():
    class Learner(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            conv2, shortcut = _given(self, inputs, filters, strides, is_training, shortcut_filters)
            pre_activated3 = self.pre_activation(conv2, is_training)
            return self.custom_conv2d(pre_activated3, 4 * filters, 1, strides) + shortcut

    message = check_failure(check_module, Learner)
    assert "two convs stride" in message
    assert "the expand (conv3)" in message
    assert "stride 2" in message


def test_conv3_reading_pre_activated2_is_named():
    class Learner(ResNetModel):
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

    assert "conv3 reads `pre_activated2`" in check_failure(check_module, Learner)


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

    Learner = type("Learner", (ResNetModel,), {"bottleneck_block": adds_inputs})
    message = check_failure(check_module, Learner)
    assert "adds its raw `inputs` where the shortcut belongs" in message
