"""The chapter 4 check accepts right answers however spelled and names each mistake."""

import keras
import pytest
from conftest import check_as_graded

import resnet_lesson
from resnet_lesson.checks import pre_activation as check_module
from resnet_lesson.checks.verdict import CheckFailed


def learner(method):
    return type("LearnerResNetModel", (resnet_lesson.ResNetModel,), {"pre_activation": method})


def channel_axis(model):
    return 1 if model.data_format == "channels_first" else 3


def keyword_and_ops_relu(self, inputs, is_training):
    bn = keras.layers.BatchNormalization(axis=-3 if self.data_format == "channels_first" else -1)
    return keras.ops.relu(bn(inputs, training=is_training))


def seed_style_hyperparameters(self, inputs, is_training):
    # The original TensorFlow ResNet's momentum and epsilon: a choice, not a mistake.
    bn = keras.layers.BatchNormalization(axis=channel_axis(self), momentum=0.997, epsilon=1e-5)
    return keras.layers.Activation("relu")(bn(inputs, training=is_training))


@pytest.mark.parametrize(
    "method",
    [resnet_lesson.ResNetModel.pre_activation, keyword_and_ops_relu, seed_style_hyperparameters],
)
def test_right_answers_pass(method, capsys):
    check_as_graded(check_module, learner(method))
    assert "pre_activation is correct" in capsys.readouterr().out


def _bn(self, inputs, axis=None, **call):
    return keras.layers.BatchNormalization(axis=channel_axis(self) if axis is None else axis)(
        inputs, **call
    )


WRONG = {
    "axis always -1": (
        lambda self, inputs, is_training: keras.layers.ReLU()(
            _bn(self, inputs, axis=-1, training=is_training)
        ),
        "batch norm normalizes the wrong axis: with channels_first the channels are axis 1",
    ),
    "axis always 1": (
        lambda self, inputs, is_training: keras.layers.ReLU()(
            _bn(self, inputs, axis=1, training=is_training)
        ),
        "axis 1 is the channel axis only for channels_first",
    ),
    "training fixed to True": (
        lambda self, inputs, is_training: keras.layers.ReLU()(_bn(self, inputs, training=True)),
        "training flag is fixed to True",
    ),
    "training fixed to False": (
        lambda self, inputs, is_training: keras.layers.ReLU()(_bn(self, inputs, training=False)),
        "the batch norm ignores `is_training`",
    ),
    "training not passed": (
        lambda self, inputs, is_training: keras.layers.ReLU()(_bn(self, inputs)),
        "the batch norm ignores `is_training`",
    ),
    "trainable instead of training": (
        lambda self, inputs, is_training: keras.layers.ReLU()(
            keras.layers.BatchNormalization(axis=channel_axis(self), trainable=is_training)(inputs)
        ),
        "the batch norm ignores `is_training`",
    ),
    "no ReLU": (
        lambda self, inputs, is_training: _bn(self, inputs, training=is_training),
        "the ReLU is missing",
    ),
    "ReLU before BN": (
        lambda self, inputs, is_training: _bn(
            self, keras.layers.ReLU()(inputs), training=is_training
        ),
        "the ReLU comes before the batch norm",
    ),
    "ReLU capped at 6 (keras.ops.relu6)": (
        lambda self, inputs, is_training: keras.ops.relu6(_bn(self, inputs, training=is_training)),
        "the ReLU is capped",
    ),
    "batch norm without gamma and beta": (
        lambda self, inputs, is_training: keras.layers.ReLU()(
            keras.layers.BatchNormalization(axis=channel_axis(self), center=False, scale=False)(
                inputs, training=is_training
            )
        ),
        "no learned scale and offset",
    ),
    "flag passed by position": (
        lambda self, inputs, is_training: keras.layers.ReLU()(
            keras.layers.BatchNormalization(axis=channel_axis(self))(inputs, is_training)
        ),
        "pass the flag by name, `training=is_training`",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_known_mistakes_are_named(name):
    method, expected = WRONG[name]
    with pytest.raises(CheckFailed) as failed:
        check_as_graded(check_module, learner(method))
    assert expected in failed.value.message


def test_tensorflow_function_on_a_keras_tensor_gets_a_hint():
    import tensorflow as tf

    def with_tf_relu(self, inputs, is_training):
        return tf.nn.relu(_bn(self, inputs, training=is_training))

    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(with_tf_relu))
    assert "use a Keras layer" in failed.value.message
    assert "keras.ops" in failed.value.message


def test_stub_and_missing_return():
    def stub(self, inputs, is_training):
        raise NotImplementedError()

    def no_return(self, inputs, is_training):
        keras.layers.ReLU()(_bn(self, inputs, training=is_training))

    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(stub))
    assert "not written yet" in failed.value.message
    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(no_return))
    assert "did you forget to `return`" in failed.value.message


def test_the_cases_cover_both_formats_and_both_flags():
    found = check_module.cases() + check_module.cases(thorough=True)
    assert {c.data_format for c in found} == {"channels_first", "channels_last"}
    assert {c.kwargs["is_training"] for c in found} == {True, False}
    for case in found:  # channels, height and width differ: a wrong axis cannot hide
        assert len(set(case.input_shape)) == 3
