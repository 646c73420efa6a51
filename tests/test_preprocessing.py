"""Chapter 10's preprocessing: sizes, crops, tf.data, and the error messages."""

import numpy as np
import pytest
import tensorflow as tf

from resnet_lesson import ResNetModel
from resnet_lesson.preprocessing import (
    center_crop,
    preprocess_image,
    random_crop_and_flip,
    resize_preserving_aspect,
    resized_shape,
)


def position_image(height, width, channels=3, dtype="float32"):
    """Every pixel value says where it is, so a crop can be located exactly."""
    values = np.arange(height * width * channels) % 251
    return values.reshape(height, width, channels).astype(dtype)


def is_window_of(crop, image):
    """Whether ``crop`` is some window of ``image``, or that window mirrored."""
    size = crop.shape[0]
    for top in range(image.shape[0] - size + 1):
        for left in range(image.shape[1] - size + 1):
            window = image[top : top + size, left : left + size]
            if np.array_equal(crop, window) or np.array_equal(crop, window[:, ::-1]):
                return True
    return False


# Resize -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "height, width, min_aspect_dim, expected",
    [
        (300, 451, 256, (256, 385)),  # 451 * 256 / 300 = 384.85
        (480, 640, 256, (256, 341)),  # 341.33
        (640, 480, 256, (341, 256)),  # portrait: the width is the shorter side
        (2, 3, 3, (3, 5)),  # 4.5: halves round up
        (100, 100, 7, (7, 7)),  # a square stays square
        (10, 20, 40, (40, 80)),  # enlarging works the same way
    ],
)
def test_resized_shape(height, width, min_aspect_dim, expected):
    assert resized_shape(height, width, min_aspect_dim) == expected
    tensors = resized_shape(tf.constant(height), tf.constant(width), min_aspect_dim)
    assert tuple(int(t) for t in tensors) == expected


@pytest.mark.parametrize("height, width", [(300, 451), (451, 300), (64, 64), (37, 200), (1, 3)])
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_resize_keeps_the_aspect_ratio(height, width, dtype):
    image = position_image(height, width, dtype=dtype)
    resized = resize_preserving_aspect(image, 32)
    assert resized.dtype == tf.float32
    new_height, new_width, channels = resized.shape
    assert channels == 3
    assert min(new_height, new_width) == 32
    # Each side is within half a pixel of the exact scaled length.
    scale = 32 / min(height, width)
    assert abs(new_height - height * scale) <= 0.5
    assert abs(new_width - width * scale) <= 0.5


def test_resize_keeps_pixel_values():
    image = np.full((30, 50, 3), 200, dtype="uint8")
    resized = resize_preserving_aspect(image, 12).numpy()
    np.testing.assert_allclose(resized, 200.0, rtol=1e-6)


# Crops ------------------------------------------------------------------------------
def test_center_crop_takes_the_middle():
    image = position_image(7, 10)
    cropped = center_crop(image, 4).numpy()
    # Leftovers 3 and 6: one row above (the extra one below), three columns each side.
    np.testing.assert_array_equal(cropped, image[1:5, 3:7])


def test_center_crop_of_the_whole_image_is_the_image():
    image = position_image(5, 5)
    np.testing.assert_array_equal(center_crop(image, 5).numpy(), image)


def test_random_crop_and_flip_returns_a_window_of_the_image():
    image = position_image(9, 12)
    for _ in range(5):
        crop = random_crop_and_flip(image, 6).numpy()
        assert crop.shape == (6, 6, 3)
        assert is_window_of(crop, image)


# The whole preprocessing ------------------------------------------------------------
@pytest.mark.parametrize(
    "data_format, shape", [("channels_last", (224, 224, 3)), ("channels_first", (3, 224, 224))]
)
@pytest.mark.parametrize("is_training", [False, True])
def test_preprocess_output_shape(data_format, shape, is_training):
    image = position_image(300, 451, dtype="uint8")
    output = preprocess_image(image, 256, 224, is_training=is_training, data_format=data_format)
    assert output.dtype == tf.float32
    assert tuple(output.shape) == shape


def test_evaluation_is_deterministic_and_formats_agree():
    image = position_image(90, 70, dtype="uint8")
    first = preprocess_image(image, 40, 32, is_training=False).numpy()
    second = preprocess_image(image, 40, 32, is_training=False).numpy()
    np.testing.assert_array_equal(first, second)
    # Evaluation is resize then center crop, nothing else.
    expected = center_crop(resize_preserving_aspect(image, 40), 32).numpy()
    np.testing.assert_array_equal(first, expected)
    channels_first = preprocess_image(
        image, 40, 32, is_training=False, data_format="channels_first"
    ).numpy()
    np.testing.assert_array_equal(channels_first, first.transpose(2, 0, 1))


def test_training_crops_come_from_the_resized_image():
    image = position_image(20, 30, dtype="uint8")
    resized = resize_preserving_aspect(image, 16).numpy()
    for data_format in ("channels_last", "channels_first"):
        output = preprocess_image(image, 16, 12, is_training=True, data_format=data_format).numpy()
        if data_format == "channels_first":
            output = output.transpose(1, 2, 0)
        assert is_window_of(output, resized)


def test_resnet_model_preprocess_uses_its_sizes_and_format():
    resnet = ResNetModel(40, 32, 18, 10, data_format="channels_first")
    image = position_image(50, 80, dtype="uint8")
    assert tuple(resnet.preprocess(image, is_training=False).shape) == (3, 32, 32)
    assert tuple(resnet.preprocess(image, is_training=True).shape) == (3, 32, 32)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("is_training", [False, True])
def test_works_in_a_tf_data_pipeline_with_mixed_sizes(data_format, is_training):
    sizes = [(50, 80), (90, 40), (40, 40), (123, 61)]

    def images():
        for height, width in sizes:
            yield position_image(height, width, dtype="uint8")

    dataset = tf.data.Dataset.from_generator(
        images, output_signature=tf.TensorSpec((None, None, 3), tf.uint8)
    )
    dataset = dataset.map(
        lambda image: preprocess_image(
            image, 40, 32, is_training=is_training, data_format=data_format
        )
    )
    expected = (3, 32, 32) if data_format == "channels_first" else (32, 32, 3)
    # The crop's size is known to the graph, so the dataset can batch.
    assert tuple(dataset.element_spec.shape) == expected
    batches = list(dataset.batch(4))
    assert len(batches) == 1
    assert tuple(batches[0].shape) == (4,) + expected
    if not is_training:
        for (height, width), output in zip(sizes, batches[0]):
            eager = preprocess_image(
                position_image(height, width, dtype="uint8"),
                40,
                32,
                is_training=False,
                data_format=data_format,
            )
            np.testing.assert_allclose(output.numpy(), eager.numpy(), rtol=1e-5, atol=1e-3)


# Bad input --------------------------------------------------------------------------
IMAGE = position_image(40, 50)


@pytest.mark.parametrize(
    "image, error, message",
    [
        (np.zeros((2, 40, 50, 3), "float32"), ValueError, "looks like a batch"),
        (np.zeros((40, 50), "float32"), ValueError, "got a 2-D image"),
        (np.zeros((1, 1, 40, 50, 3), "float32"), ValueError, "got rank 5"),
        (tf.fill((40, 50, 3), "a"), TypeError, "got dtype string: decode"),
        (np.zeros((40, 50, 3), "complex64"), TypeError, "got dtype complex64"),
        (np.zeros((40, 50, 3), bool), TypeError, "got dtype bool"),
    ],
)
def test_bad_images_are_named(image, error, message):
    with pytest.raises(error, match=message):
        preprocess_image(image, 40, 32, is_training=False)


def test_crop_larger_than_the_resized_image():
    with pytest.raises(ValueError, match="must not be larger than min_aspect_dim"):
        preprocess_image(IMAGE, 32, 40, is_training=True)


@pytest.mark.parametrize("crop", [center_crop, random_crop_and_flip])
def test_crop_larger_than_the_image(crop):
    with pytest.raises(ValueError, match="cannot crop 45x45 from an image of height 40"):
        crop(IMAGE, 45)


@pytest.mark.parametrize("data_format", ["NHWC", "channels-first", None])
def test_bad_data_format(data_format):
    with pytest.raises(ValueError, match="data_format must be"):
        preprocess_image(IMAGE, 40, 32, is_training=False, data_format=data_format)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(min_aspect_dim=0, resize_dim=0), ValueError, "min_aspect_dim must be at least 1"),
        (
            dict(min_aspect_dim=40.0, resize_dim=32),
            TypeError,
            "min_aspect_dim must be a Python int",
        ),
        (dict(min_aspect_dim=40, resize_dim=True), TypeError, "resize_dim must be a Python int"),
        (
            dict(min_aspect_dim=40, resize_dim=32, is_training="yes"),
            TypeError,
            "is_training must be a Python bool",
        ),
    ],
)
def test_bad_sizes_and_flags(kwargs, error, message):
    kwargs.setdefault("is_training", False)
    with pytest.raises(error, match=message):
        preprocess_image(IMAGE, **kwargs)


# Checks of sizes known only while a graph runs.
@tf.function(input_signature=[tf.TensorSpec((None, None, 3), tf.float32)])
def center_crop_45(image):
    return center_crop(image, 45)


@tf.function(input_signature=[tf.TensorSpec((None, None, 3), tf.float32)])
def random_crop_45(image):
    return random_crop_and_flip(image, 45)


@tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
def preprocess_any_rank(image):
    return preprocess_image(image, 40, 32, is_training=False)


@pytest.mark.parametrize("crop", [center_crop_45, random_crop_45])
def test_dynamic_crop_larger_than_the_image(crop):
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot crop 45x45"):
        crop(IMAGE)
    assert tuple(crop(position_image(50, 60)).shape) == (45, 45, 3)


def test_dynamic_rank_is_checked():
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank 3"):
        preprocess_any_rank(np.zeros((2, 40, 50, 3), "float32"))
    assert tuple(preprocess_any_rank(IMAGE).shape) == (32, 32, 3)


def test_empty_image_is_rejected():
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least 1 pixel"):
        resize_preserving_aspect(np.zeros((0, 5, 3), "float32"), 4)
