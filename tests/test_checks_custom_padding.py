"""The chapter 3 check accepts right answers however spelled and names each mistake."""

import keras
import numpy as np
import pytest
from conftest import check_as_graded

import resnet_lesson
from resnet_lesson.checks import custom_padding as check_module
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.figures.padding import measure_windows, padding_seen


def learner(method):
    return type("LearnerResNetModel", (resnet_lesson.ResNetModel,), {"custom_padding": method})


def zero_padding_layer(self, inputs, kernel_size):
    before = (kernel_size - 1) // 2
    after = kernel_size - 1 - before
    return keras.layers.ZeroPadding2D(
        ((before, after), (before, after)), data_format=self.data_format
    )(inputs)


def tuples_and_negative_indexing(self, inputs, kernel_size):
    pads = [(0, 0)] * 4
    spatial = (1, 2) if self.data_format == "channels_last" else (-2, -1)
    for axis in spatial:
        pads[axis] = ((kernel_size - 1) // 2, kernel_size // 2)  # kernel_size // 2 == the rest
    return keras.ops.pad(inputs, tuple(pads), constant_values=0)


@pytest.mark.parametrize(
    "method",
    [resnet_lesson.ResNetModel.custom_padding, zero_padding_layer, tuples_and_negative_indexing],
)
def test_right_answers_pass(method, capsys):
    check_as_graded(check_module, learner(method))
    assert "custom_padding is correct" in capsys.readouterr().out


def pad_with(before, after, layout=None, axes=None):
    """A padding of (before(k), after(k)) on the given axes (default: the spatial ones)."""

    def method(self, inputs, kernel_size):
        fmt = layout or self.data_format
        chosen = axes or ((2, 3) if fmt == "channels_first" else (1, 2))
        pads = [[0, 0] for _ in range(4)]
        for axis in chosen:
            pads[axis] = [before(kernel_size), after(kernel_size)]
        return keras.ops.pad(inputs, pads)

    return method


def right_before(k):
    return (k - 1) // 2


def right_after(k):
    return k - 1 - (k - 1) // 2


WRONG = {
    "batch axis padded": (
        pad_with(right_before, right_after, axes=(0, 1, 2)),
        "the batch axis is padded too",
    ),
    "channel axis padded": (
        pad_with(right_before, right_after, axes=(1, 2, 3)),
        "the channel axis is padded too",
    ),
    "before/after swapped": (pad_with(right_after, right_before), "before and after are swapped"),
    "kernel_size instead of k-1": (
        pad_with(lambda k: k // 2, lambda k: k - k // 2),
        "you pad `kernel_size` pixels in total",
    ),
    "k // 2 on each side": (
        pad_with(lambda k: k // 2, lambda k: k // 2),
        "you pad `kernel_size // 2` on both sides",
    ),
    "(k-1) // 2 on each side": (
        pad_with(right_before, right_before),
        "you pad the smaller half of the total on both sides",
    ),
    "ignores data_format": (
        pad_with(right_before, right_after, layout="channels_last"),
        "custom_padding ignores data_format: for channels_first",
    ),
    "only the height": (
        pad_with(right_before, right_after, axes=(1,)),
        "only the height is padded",
    ),
    "nothing padded": (lambda self, inputs, kernel_size: inputs, "nothing is padded"),
    "'same' via a conv": (
        lambda self, inputs, kernel_size: keras.layers.Conv2D(
            inputs.shape[-1], kernel_size, padding="same"
        )(inputs),
        "the output is not the input surrounded by zeros",
    ),
    "an odd padding": (
        pad_with(lambda k: k, right_after),
        "you pad the height axis by (3, 1) instead of (1, 1)",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_known_mistakes_are_named(name):
    method, expected = WRONG[name]
    with pytest.raises(CheckFailed) as failed:
        check_module.check(learner(method))
    assert expected in failed.value.message


def test_tf_pad_stub_and_missing_return_get_clear_messages():
    import tensorflow as tf

    def with_tf_pad(self, inputs, kernel_size):
        return tf.pad(inputs, [[0, 0], [1, 1], [1, 1], [0, 0]])

    def stub(self, inputs, kernel_size):
        raise NotImplementedError()

    def no_return(self, inputs, kernel_size):
        keras.ops.pad(inputs, [[0, 0], [1, 1], [1, 1], [0, 0]])

    for method, expected in [
        (with_tf_pad, "use `keras.ops.pad`"),
        (stub, "not written yet"),
        (no_return, "did you forget to `return`"),
    ]:
        with pytest.raises(CheckFailed) as failed:
            check_module.check(learner(method))
        assert expected in failed.value.message


def test_measured_windows_match_what_keras_same_padding_does():
    # Stride 2, kernel 3: 'same' starts at pixel 0 on an even size, in the padding on an odd one.
    assert measure_windows(8, 3, 2) == [(0, 2), (2, 4), (4, 6), (6, 8)]
    assert measure_windows(7, 3, 2) == [(-1, 1), (1, 3), (3, 5), (5, 7)]
    assert padding_seen(measure_windows(224, 7, 2), 224) == (2, 3)
    custom = resnet_lesson.ResNetModel(8, 8, 18, 10).custom_padding
    assert measure_windows(8, 3, 2, custom) == [(-1, 1), (1, 3), (3, 5), (5, 7)]
    assert measure_windows(224, 7, 2, custom)[0] == (-3, 3)


def test_find_padding_reads_the_zeros_added():
    x = np.arange(1, 7, dtype="float32").reshape(1, 2, 3, 1)
    padded = np.pad(x, [(0, 0), (1, 2), (0, 1), (0, 0)])
    assert check_module._find_padding(x, padded) == [(0, 0), (1, 2), (0, 1), (0, 0)]
    assert check_module._find_padding(x, padded * 2) is None
