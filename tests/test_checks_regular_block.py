"""The chapter 6 check names a batch norm deaf to `is_training`, a batch norm too many,
and the raw input added where the shortcut belongs."""

import keras
from conftest import check_as_graded, check_failure

from resnet_lesson.checks import regular_block as check_module
from resnet_lesson.model import ResNetModel


def learner(body):
    """A learner class whose regular block is ``body`` inside the block's name scope."""

    class Learner(ResNetModel):
        def regular_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            with keras.name_scope(f"regular_block{index}"):
                return body(self, inputs, filters, strides, is_training, shortcut_filters)

    return Learner


def _right_with_add_layer(self, inputs, filters, strides, is_training, shortcut_filters):
    first, skip = self.pre_activation_with_shortcut(
        inputs, is_training=is_training, shortcut_params=(shortcut_filters, strides)
    )
    middle = self.pre_activation(self.custom_conv2d(first, filters, 3, strides), is_training)
    return keras.layers.Add()([skip, self.custom_conv2d(middle, filters, 3, 1)])


def test_a_correct_block_with_an_add_layer_passes():
    check_as_graded(check_module, learner(_right_with_add_layer))


def test_a_first_pre_activation_that_never_trains_is_named():
    def body(self, inputs, filters, strides, is_training, shortcut_filters):
        first, skip = self.pre_activation_with_shortcut(inputs, False, (shortcut_filters, strides))
        middle = self.pre_activation(self.custom_conv2d(first, filters, 3, strides), is_training)
        return self.custom_conv2d(middle, filters, 3, 1) + skip

    message = check_failure(check_module, learner(body))
    assert message.startswith("a batch norm ignores `is_training`")


def test_a_second_normalization_of_the_input_is_named():
    def body(self, inputs, filters, strides, is_training, shortcut_filters):
        _, skip = self.pre_activation_with_shortcut(
            inputs, is_training, (shortcut_filters, strides)
        )
        again = self.pre_activation(inputs, is_training)  # its own batch norm, same values
        middle = self.pre_activation(self.custom_conv2d(again, filters, 3, strides), is_training)
        return self.custom_conv2d(middle, filters, 3, 1) + skip

    assert "a batch norm too many: 3 where the contract needs 2" in check_failure(
        check_module, learner(body)
    )


def test_adding_the_raw_input_is_named_as_such():
    def body(self, inputs, filters, strides, is_training, shortcut_filters):
        first, _ = self.pre_activation_with_shortcut(
            inputs, is_training, (shortcut_filters, strides)
        )
        middle = self.pre_activation(self.custom_conv2d(first, filters, 3, strides), is_training)
        return keras.layers.Add()([inputs, self.custom_conv2d(middle, filters, 3, 1)])

    message = check_failure(check_module, learner(body))
    assert "adds its raw `inputs` where the shortcut belongs" in message
    assert "pre_activated1" not in message


def test_one_batch_norm_used_twice_is_named():
    def body(self, inputs, filters, strides, is_training, shortcut_filters):
        axis = 1 if self.data_format == "channels_first" else -1
        shared = keras.layers.BatchNormalization(axis=axis)

        def pre_activate(x):
            return keras.layers.ReLU()(shared(x, training=is_training))

        first = pre_activate(inputs)
        skip = inputs
        if shortcut_filters is not None:
            skip = self.custom_conv2d(first, shortcut_filters, 1, strides)
        middle = pre_activate(self.custom_conv2d(first, filters, 3, strides))
        return self.custom_conv2d(middle, filters, 3, 1) + skip

    assert "one batch norm layer is used twice" in check_failure(check_module, learner(body))
