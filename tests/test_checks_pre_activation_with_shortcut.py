"""The chapter 5 check accepts right answers however spelled and names each mistake."""

import keras
import pytest
from conftest import check_as_graded

import resnet_lesson
from resnet_lesson.checks import pre_activation_with_shortcut as check_module
from resnet_lesson.checks.verdict import CheckFailed

METHOD = "pre_activation_with_shortcut"


def learner(method):
    return type("LearnerResNetModel", (resnet_lesson.ResNetModel,), {METHOD: method})


def plain_conv2d_and_a_list(self, inputs, is_training, shortcut_params):
    filters, strides = shortcut_params
    x = self.pre_activation(inputs, is_training=is_training)
    shortcut = inputs
    if filters is not None:
        shortcut = keras.layers.Conv2D(
            filters,
            (1, 1),
            strides=(strides, strides),
            padding="same",
            use_bias=False,
            data_format=self.data_format,
        )(x)
    return [x, shortcut]


def indexing_the_params(self, inputs, is_training, shortcut_params):
    pre = self.pre_activation(inputs, is_training)
    if shortcut_params[0]:
        return pre, self.custom_conv2d(pre, shortcut_params[0], 1, shortcut_params[1])
    return pre, inputs


@pytest.mark.parametrize(
    "method",
    [getattr(resnet_lesson.ResNetModel, METHOD), plain_conv2d_and_a_list, indexing_the_params],
)
def test_right_answers_pass(method, capsys):
    check_as_graded(check_module, learner(method))
    assert "pre_activation_with_shortcut is correct" in capsys.readouterr().out


def variant(
    project_from="pre",
    strides=True,
    kernel=1,
    identity="inputs",
    order="right",
    always_project=False,
    flag=None,
):
    def method(self, inputs, is_training, shortcut_params):
        shortcut_filters, block_strides = shortcut_params
        pre = self.pre_activation(inputs, is_training if flag is None else flag)
        if shortcut_filters is None and not always_project:
            shortcut = inputs if identity == "inputs" else pre
        else:
            source = pre if project_from == "pre" else inputs
            shortcut = self.custom_conv2d(
                source, shortcut_filters, kernel, block_strides if strides else 1
            )
        return (shortcut, pre) if order == "swapped" else (pre, shortcut)

    return method


def projected(self, inputs, is_training, shortcut_params, **conv_options):
    """A projection made with a plain Conv2D and the given options."""
    filters, strides = shortcut_params
    pre = self.pre_activation(inputs, is_training)
    if filters is None:
        return pre, inputs
    return pre, keras.layers.Conv2D(filters, 1, strides=strides, **conv_options)(pre)


WRONG = {
    "projection of the raw input": (
        variant(project_from="raw"),
        "the projection should see the pre-activated input",
    ),
    "projection not strided": (variant(strides=False), "the projection is not strided"),
    "3x3 projection": (variant(kernel=3), "the projection is a 3x3 conv"),
    "identity returns pre_activated": (
        variant(identity="pre"),
        "the identity shortcut returns `pre_activated`",
    ),
    "wrong order": (variant(order="swapped"), "the pair is returned in the wrong order"),
    "projection when None": (
        variant(always_project=True),
        "there is a projection even for a block without `shortcut_filters`",
    ),
    "flag fixed to True": (variant(flag=True), "training flag is fixed to True"),
    "flag fixed to False": (variant(flag=False), "training flag is fixed to False"),
    "projection with a bias": (
        lambda self, inputs, is_training, shortcut_params: projected(
            self, inputs, is_training, shortcut_params, data_format=self.data_format, use_bias=True
        ),
        "the projection has a bias",
    ),
    "projection without data_format": (
        lambda self, inputs, is_training, shortcut_params: projected(
            self, inputs, is_training, shortcut_params, use_bias=False
        ),
        "the projection ignores the data format",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_known_mistakes_are_named(name):
    method, expected = WRONG[name]
    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(method))
    assert expected in failed.value.message


@pytest.mark.parametrize(
    "returned, expected",
    [
        (lambda pre, inputs: pre, "returns one tensor: it must return two"),
        (lambda pre, inputs: (pre,), "returns one tensor: it must return two"),
        (lambda pre, inputs: (pre, inputs, pre), "returns 3 tensors: it must return exactly two"),
        (lambda pre, inputs: None, "did you forget to `return`"),
    ],
)
def test_malformed_results_get_a_clear_sentence(returned, expected):
    def method(self, inputs, is_training, shortcut_params):
        return returned(self.pre_activation(inputs, is_training), inputs)

    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(method))
    assert expected in failed.value.message


def test_stub_is_not_written_yet():
    def stub(self, inputs, is_training, shortcut_params):
        raise NotImplementedError()

    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(stub))
    assert "not written yet" in failed.value.message


def test_a_projection_with_a_batch_norm_of_its_own_is_named():
    # A second batch norm of the same input, written with Keras layers: the same values
    # as long as both hold the same weights, but one more set of weights to train.
    def method(self, inputs, is_training, shortcut_params):
        filters, strides = shortcut_params
        pre_activated = self.pre_activation(inputs, is_training)
        if filters is None:
            return pre_activated, inputs
        axis = 1 if self.data_format == "channels_first" else -1
        normalized = keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)
        projected = self.custom_conv2d(keras.layers.ReLU()(normalized), filters, 1, strides)
        return pre_activated, projected

    with pytest.raises(CheckFailed) as raised:
        check_module.check(learner(method))
    assert "a batch norm too many: 2 where the contract needs 1" in raised.value.message
