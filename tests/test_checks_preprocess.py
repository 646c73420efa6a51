"""The preprocess check: right answers pass, each known mistake is named."""

import pytest
import tensorflow as tf
from conftest import check_as_graded

import resnet_lesson
from resnet_lesson.checks import preprocess as check_module
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.preprocessing import resized_shape


def _learner(
    size_mode="right",
    method="bilinear",
    antialias=True,
    train_crop="random",
    train_flip="random",
    eval_crop="center",
    eval_flip=False,
    transpose=(2, 0, 1),
    always_transpose=False,
    dtype=tf.float32,
    rescale=False,
    center_fn="slice",
    no_crop=False,
):
    """A learner's preprocess with one twist (the defaults give a right answer)."""

    class Learner(resnet_lesson.ResNetModel):
        def preprocess(self, image, is_training):
            image = tf.cast(image, tf.float32)
            height, width, channels = tf.unstack(tf.shape(image))
            if size_mode == "right":
                new_height, new_width = resized_shape(height, width, self.min_aspect_dim)
            elif size_mode == "squash":
                new_height = new_width = self.resize_dim
            elif size_mode == "both":
                new_height = new_width = self.min_aspect_dim
            elif size_mode == "longer":
                longer = tf.cast(tf.maximum(height, width), tf.float32)
                scale = self.min_aspect_dim / longer
                new_height = tf.round(tf.cast(height, tf.float32) * scale)
                new_width = tf.round(tf.cast(width, tf.float32) * scale)
            new_size = tf.cast(tf.stack([new_height, new_width]), tf.int32)
            resized = tf.image.resize(image, new_size, method=method, antialias=antialias)
            size = self.resize_dim
            if no_crop:
                cropped = resized
            elif is_training:
                if train_crop == "random":
                    cropped = tf.image.random_crop(resized, [size, size, channels])
                else:
                    cropped = tf.image.resize_with_crop_or_pad(resized, size, size)
                if train_flip == "random":
                    cropped = tf.image.random_flip_left_right(cropped)
                elif train_flip == "always":
                    cropped = tf.image.flip_left_right(cropped)
                elif train_flip == "upside_down":
                    cropped = tf.image.random_flip_up_down(cropped)
            else:
                if eval_crop == "random":
                    cropped = tf.image.random_crop(resized, [size, size, channels])
                elif eval_crop == "top_left":
                    cropped = resized[:size, :size]
                elif eval_crop == "rounded_up":  # the odd row and column left out on top
                    top = (tf.shape(resized)[0] - size + 1) // 2
                    left = (tf.shape(resized)[1] - size + 1) // 2
                    cropped = resized[top : top + size, left : left + size, :]
                elif center_fn == "slice":
                    top = (tf.shape(resized)[0] - size) // 2
                    left = (tf.shape(resized)[1] - size) // 2
                    cropped = resized[top : top + size, left : left + size, :]
                elif center_fn == "bounding_box":
                    cropped = tf.image.crop_to_bounding_box(
                        resized,
                        (tf.shape(resized)[0] - size) // 2,
                        (tf.shape(resized)[1] - size) // 2,
                        size,
                        size,
                    )
                else:
                    cropped = tf.image.resize_with_crop_or_pad(resized, size, size)
                if eval_flip:
                    cropped = tf.image.flip_left_right(cropped)
            if rescale:
                cropped = cropped / 255.0
            if self.data_format == "channels_first" or always_transpose:
                cropped = tf.transpose(cropped, transpose)
            return tf.cast(cropped, dtype)

    return Learner


def test_reference_passes(capsys):
    check_as_graded(check_module, resnet_lesson.ResNetModel)
    assert "preprocess is correct" in capsys.readouterr().out


@pytest.mark.parametrize("center_fn", ["slice", "bounding_box", "crop_or_pad"])
def test_other_right_spellings_pass(center_fn):
    check_as_graded(check_module, _learner(center_fn=center_fn))


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(size_mode="both"), "aspect ratio is not kept"),
        (dict(size_mode="longer"), "longer side was resized"),
        (dict(size_mode="squash"), "squeezed straight to resize_dim"),
        (dict(antialias=False), "without antialiasing"),
        (dict(method="nearest", antialias=False), "another method than bilinear"),
        (dict(eval_crop="top_left"), "not centered"),
        (dict(eval_crop="random"), "evaluation takes a random crop"),
        (dict(eval_crop="rounded_up"), "right; yours starts at row"),
        (dict(eval_flip=True), "evaluation image is flipped"),
        (dict(train_flip="none"), "training never flips"),
        (dict(train_flip="always"), "training always flips"),
        (dict(train_flip="upside_down"), "upside down"),
        (dict(train_crop="center"), "training takes the center crop"),
        (dict(transpose=(2, 1, 0)), "wrong permutation"),
        (dict(transpose=(0, 1, 2)), "not in the model's data format"),
        (dict(always_transpose=True), "although the data format is 'channels_last'"),
        (dict(dtype=tf.float64), "dtype float64"),
        (dict(dtype=tf.uint8), "dtype uint8"),
        (dict(rescale=True), "divided by 255"),
        (dict(no_crop=True), "not cropped"),
    ],
)
def test_mistakes_are_named(kwargs, expected):
    with pytest.raises(CheckFailed) as failure:
        check_as_graded(check_module, _learner(**kwargs))
    assert expected in failure.value.message


def test_not_written_none_and_crash():
    class Stub(resnet_lesson.ResNetModel):
        def preprocess(self, image, is_training):
            raise NotImplementedError()

    class ReturnsNone(resnet_lesson.ResNetModel):
        def preprocess(self, image, is_training):
            tf.cast(image, tf.float32)

    class Crashes(resnet_lesson.ResNetModel):
        def preprocess(self, image, is_training):
            return tf.image.resize(image, [self.min_aspect_dim])

    with pytest.raises(CheckFailed, match="not written yet"):
        check_module.check(Stub)
    with pytest.raises(CheckFailed, match="returns None"):
        check_module.check(ReturnsNone)
    with pytest.raises(CheckFailed, match="raised"):
        check_module.check(Crashes)
