"""Chapter 10: turn one photograph into the square input a ResNet expects.

The resize-and-crop part of the recipe of He et al. (2016a), section 3.4 (its scale
augmentation, per-pixel mean subtraction and colour augmentation are left out, as
chapter 10 explains): resize the image so that its *shorter*
side has ``min_aspect_dim`` pixels, keeping the aspect ratio, then cut a
``resize_dim`` x ``resize_dim`` square out of it. Training takes a random square and
flips it left-right half of the time (data augmentation); evaluation takes the
center square, so the same image always gives the same input.

Every function takes one image of shape ``(height, width, channels)`` and is made of
TensorFlow ops, so it runs eagerly, inside ``tf.function`` and inside
``tf.data.Dataset.map``, where the height and width are only known at run time.
Mistakes that can be seen from Python (a batch instead of one image, a crop larger
than the resized image, a text tensor) raise at once; sizes that are only known
while the pipeline runs are checked by ``tf.debugging`` assertions.

Pixel values keep their range (0 to 255 for a ``uint8`` photograph); only the
type changes, to ``float32``. Scaling them is a separate, later step.
"""

import tensorflow as tf

DATA_FORMATS = ("channels_last", "channels_first")


# Checks ------------------------------------------------------------------------
def _check_positive_int(value, name):
    """Sizes are plain Python integers: they fix the model's input shape."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a Python int, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")


def _with_checks(tensor, checks):
    """Make ``tensor`` depend on the assertions, so a pipeline cannot skip them.

    Eagerly an assertion raises on the spot; in a graph it is an op that must run
    before anything reads the returned tensor.
    """
    # Eagerly, an assertion that passed returns None: nothing left to wait for.
    checks = [check for check in checks if check is not None]
    if not checks:
        return tensor
    with tf.control_dependencies(checks):
        return tf.identity(tensor)


def _as_image(image):
    """Return ``image`` as a float32 tensor of rank 3, or say what is wrong with it."""
    image = tf.convert_to_tensor(image)
    dtype = image.dtype
    if dtype == tf.string:
        raise TypeError(
            "image must hold pixel values (uint8 or float), got dtype string: decode "
            "the file's bytes first, e.g. with tf.io.decode_image(data, channels=3, "
            "expand_animations=False)"
        )
    if not (dtype.is_integer or dtype.is_floating) or dtype == tf.bool:
        raise TypeError(f"image must hold pixel values (uint8 or float), got dtype {dtype.name}")
    rank = image.shape.rank
    if rank == 4:
        raise ValueError(
            f"image must be one image of shape (height, width, channels), got shape "
            f"{image.shape}: that looks like a batch. Preprocess each image on its own "
            "(Dataset.map before Dataset.batch)"
        )
    if rank == 2:
        raise ValueError(
            f"image must have rank 3 (height, width, channels), got a 2-D image of shape "
            f"{image.shape}: add a channel axis with image[..., tf.newaxis]"
        )
    if rank is not None and rank != 3:
        raise ValueError(
            f"image must have rank 3 (height, width, channels), got rank {rank} "
            f"(shape {image.shape})"
        )
    if rank is None:
        # tf.io.decode_image, for one, gives tensors of unknown rank.
        check = tf.debugging.assert_rank(
            image, 3, message="image must have rank 3 (height, width, channels)"
        )
        image = _with_checks(image, [check])
        # Only a static promise (no op of its own): the assertion above, which runs
        # first, is what enforces it.
        image.set_shape([None, None, None])
    # Resizing interpolates, so work in float32 whatever the input type.
    return tf.cast(image, tf.float32)


def _check_crop_fits(image, resize_dim):
    """Both sides must be at least ``resize_dim``: a crop cannot invent pixels."""
    height, width = image.shape[0], image.shape[1]
    for name, side in (("height", height), ("width", width)):
        if side is not None and side < resize_dim:
            raise ValueError(
                f"cannot crop {resize_dim}x{resize_dim} from an image of {name} {side}: "
                "the crop must not be larger than the image"
            )
    if height is not None and width is not None:
        return image
    # Unknown sizes (inside tf.data): check them when the pipeline runs.
    size = tf.shape(image)[:2]
    check = tf.debugging.assert_greater_equal(
        size,
        resize_dim,
        message=f"cannot crop {resize_dim}x{resize_dim}: the image (height, width) "
        "is smaller than the crop",
    )
    return _with_checks(image, [check])


def _with_static_shape(crop, resize_dim, channels):
    """Tell the graph what the crop's shape is: a fixed size lets tf.data batch it.

    ``set_shape`` adds no op; the size check that ran before the crop is what
    guarantees it. (An ``ensure_shape`` op here could fail first, with TensorFlow's
    own message instead of ours, when the graph optimizer evaluates it early.)
    """
    crop.set_shape([resize_dim, resize_dim, channels])
    return crop


# The three steps -----------------------------------------------------------------
def resized_shape(height, width, min_aspect_dim):
    """The (height, width) that makes the shorter side ``min_aspect_dim``.

    Each side is multiplied by ``min_aspect_dim / shorter`` and rounded to the
    nearest integer (halves round up). The shorter side comes out exactly
    ``min_aspect_dim``; the longer one is within half a pixel of keeping the aspect
    ratio, which is the best any whole number of pixels can do. Truncating instead
    would always shrink the longer side, by up to a whole pixel.

    Integer arithmetic, ``(2 * side * min_aspect_dim + shorter) // (2 * shorter)``,
    gives that rounding exactly, with no floating-point error. Works on Python ints
    and on integer tensors.
    """
    if isinstance(height, int) and isinstance(width, int):
        shorter = min(height, width)
    else:
        height, width = tf.cast(height, tf.int64), tf.cast(width, tf.int64)
        shorter = tf.minimum(height, width)
    new_height = (2 * height * min_aspect_dim + shorter) // (2 * shorter)
    new_width = (2 * width * min_aspect_dim + shorter) // (2 * shorter)
    return new_height, new_width


def resize_preserving_aspect(image, min_aspect_dim):
    """Resize one image so its shorter side is ``min_aspect_dim``, keeping its shape.

    Returns float32 of shape ``(new_height, new_width, channels)``; see
    :func:`resized_shape` for the rounding.
    """
    _check_positive_int(min_aspect_dim, "min_aspect_dim")
    image = _as_image(image)
    size = tf.shape(image)
    check = tf.debugging.assert_positive(
        size[:2], message="image must have a height and a width of at least 1 pixel"
    )
    image = _with_checks(image, [check])
    new_height, new_width = resized_shape(size[0], size[1], min_aspect_dim)
    # Bilinear interpolation with antialiasing: when a large photograph shrinks,
    # each output pixel averages the input pixels it covers instead of sampling a
    # few of them, which would alias fine patterns into stripes.
    resized = tf.image.resize(
        image,
        tf.cast(tf.stack([new_height, new_width]), tf.int32),
        method="bilinear",
        antialias=True,
    )
    return resized


def center_crop(image, resize_dim):
    """Cut the central ``resize_dim`` x ``resize_dim`` square out of one image.

    Evaluation uses it: no randomness, so one image always gives one answer. When
    the leftover is odd, the extra pixel is cut from the bottom or the right
    (``offset = leftover // 2``).
    """
    _check_positive_int(resize_dim, "resize_dim")
    image = _check_crop_fits(_as_image(image), resize_dim)
    size = tf.shape(image)
    top = (size[0] - resize_dim) // 2
    left = (size[1] - resize_dim) // 2
    cropped = image[top : top + resize_dim, left : left + resize_dim, :]
    return _with_static_shape(cropped, resize_dim, image.shape[-1])


def random_crop_and_flip(image, resize_dim, seed=None):
    """A random ``resize_dim`` square, flipped left-right with probability 1/2.

    Training uses it: every epoch sees each photograph from a slightly different
    window, and mirrored half of the time, so the network cannot memorise exact
    pixel positions. An upside-down flip is not used: photographs have a sky.
    ``seed`` is passed to both random ops (the same seed repeats the sequence of
    crops within one program run).
    """
    _check_positive_int(resize_dim, "resize_dim")
    image = _check_crop_fits(_as_image(image), resize_dim)
    crop_size = tf.stack([resize_dim, resize_dim, tf.shape(image)[2]])
    cropped = tf.image.random_crop(image, crop_size, seed=seed)
    flipped = tf.image.random_flip_left_right(cropped, seed=seed)
    return _with_static_shape(flipped, resize_dim, image.shape[-1])


def preprocess_image(image, min_aspect_dim, resize_dim, is_training, data_format="channels_last"):
    """Resize, then crop (random with a flip when training, central otherwise).

    Returns a float32 image of shape ``(resize_dim, resize_dim, channels)``, or
    ``(channels, resize_dim, resize_dim)`` for ``data_format='channels_first'``.
    ``is_training`` must be a Python bool: it chooses which ops are built.
    """
    if data_format not in DATA_FORMATS:
        raise ValueError(
            f"data_format must be 'channels_last' or 'channels_first', got {data_format!r}"
        )
    if not isinstance(is_training, bool):
        raise TypeError(f"is_training must be a Python bool, got {is_training!r}")
    _check_positive_int(min_aspect_dim, "min_aspect_dim")
    _check_positive_int(resize_dim, "resize_dim")
    # After the resize the shorter side is min_aspect_dim, so that is the largest
    # square there is to crop.
    if resize_dim > min_aspect_dim:
        raise ValueError(
            f"resize_dim ({resize_dim}) must not be larger than min_aspect_dim "
            f"({min_aspect_dim}): the crop would be larger than the resized image"
        )
    resized = resize_preserving_aspect(image, min_aspect_dim)
    if is_training:
        cropped = random_crop_and_flip(resized, resize_dim)
    else:
        cropped = center_crop(resized, resize_dim)
    if data_format == "channels_first":
        # (height, width, channels) -> (channels, height, width)
        cropped = tf.transpose(cropped, [2, 0, 1])
    return cropped
