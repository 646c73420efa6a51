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
            "conv3 has `filters` filters",
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


def test_conv3_striding_is_named():
    class Learner(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            conv2, shortcut = _given(self, inputs, filters, strides, is_training, shortcut_filters)
            pre_activated3 = self.pre_activation(conv2, is_training)
            return self.custom_conv2d(pre_activated3, 4 * filters, 1, strides) + shortcut

    message = check_failure(check_module, Learner)
    assert "conv3 strides" in message
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
