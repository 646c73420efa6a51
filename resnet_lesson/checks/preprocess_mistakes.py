"""Chapter 10's known ``preprocess`` mistakes: the sentence that names each, and the
images each gives, rebuilt from the reference's pieces (``checks/preprocess.py`` compares
the learner's output with them)."""

import numpy as np
import tensorflow as tf

from resnet_lesson.preprocessing import resize_preserving_aspect, resized_shape

TOLERANCE = 1e-3  # pixel values are 0..255


# -- messages ---------------------------------------------------------------------------

ASPECT = (
    "the aspect ratio is not kept: both sides were resized to min_aspect_dim; only "
    "the shorter side becomes min_aspect_dim (look at the size you resize to, and at "
    "what `resized_shape` gives)"
)
SQUASHED = (
    "the image is squeezed straight to resize_dim x resize_dim, which distorts it: "
    "resize so the shorter side is min_aspect_dim (keeping the aspect ratio), then "
    "crop the square out of it"
)
LONGER = (
    "the longer side was resized to min_aspect_dim: it is the *shorter* side that "
    "becomes min_aspect_dim (the longer one keeps the aspect ratio and stays larger)"
)
TRUNCATED = (
    "the longer side is rounded down: get the size from `resized_shape`, which "
    "rounds to the nearest pixel"
)
NO_ANTIALIAS = (
    "the image is resized without antialiasing: pass `antialias=True` to "
    "`tf.image.resize`, so that shrinking a photograph averages its pixels"
)
METHOD = (
    "the image is resized with another method than bilinear: keep "
    "`tf.image.resize`'s default `method='bilinear'` (with `antialias=True`)"
)
NOT_CENTERED = (
    "the evaluation crop is not centered: look at its top-left corner, which must "
    "leave as many rows above as below (and columns left as right), the odd one "
    "at the bottom or the right"
)
RANDOM_IN_EVALUATION = (
    "evaluation takes a random crop: when `is_training` is False take "
    "the center crop, so one image always gives the same input"
)
FLIP_IN_EVALUATION = (
    "the evaluation image is flipped: flip only when `is_training` is True; "
    "evaluation takes the plain center crop"
)
NO_FLIP = (
    "training never flips the crop: the training crop must be mirrored "
    "left-right at random, half of the time"
)
ALWAYS_FLIP = (
    "training always flips the crop: flip at random (half of the time), with "
    "`tf.image.random_flip_left_right`"
)
UPSIDE_DOWN = (
    "training flips the crop upside down: use `tf.image.random_flip_left_right` "
    "(a photograph's sky stays on top)"
)
FIXED_TRAINING_CROP = (
    "in training the crop is always at the same place: take a random "
    "window with `tf.image.random_crop`"
)
CENTER_IN_TRAINING = (
    "training takes the center crop: take a random window with "
    "`tf.image.random_crop` (and flip it at random)"
)
NOT_A_WINDOW = (
    "in training the output is not a `resize_dim` square cut out of the resized "
    "image (nor its mirror image): resize first, then crop with "
    "`tf.image.random_crop`"
)
RESCALED = (
    "the pixel values were divided by 255: this method keeps their range (0 to 255 "
    "for a photograph); scaling is a separate step after it (chapter 11's model "
    "divides by 255 once this method has returned)"
)
FORMAT_FIRST = (
    "the output is not in the model's data format: for channels_first the "
    "channels must come first, (channels, height, width); look at the last step"
)
FORMAT_LAST = (
    "the output is transposed although the data format is 'channels_last': "
    "transpose only for channels_first"
)
PERMUTATION = (
    "the output is transposed with the wrong permutation: (height, width, "
    "channels) must become (channels, height, width): look at the order of the axes"
)
NOT_CROPPED = (
    "the image is resized but not cropped: cut a `resize_dim` x `resize_dim` square out of it"
)
NOT_DETERMINISTIC = (
    "evaluation gives a different output on every call: when `is_training` "
    "is False there must be no randomness (center crop, no flip)"
)


# -- the reference's pieces, and twisted versions of them ------------------------------


def as_float(image):
    return tf.cast(tf.convert_to_tensor(image), tf.float32)


def resize(image, size, method="bilinear", antialias=True):
    return tf.image.resize(
        as_float(image), tf.constant(size, tf.int32), method=method, antialias=antialias
    ).numpy()


def mistaken_sizes(image, min_aspect_dim, mode="right"):
    height, width = image.shape[:2]
    if mode == "right":
        return resized_shape(int(height), int(width), min_aspect_dim)
    if mode == "both":
        return min_aspect_dim, min_aspect_dim
    if mode == "longer":
        longer = max(height, width)
        return (
            max(1, round(height * min_aspect_dim / longer)),
            max(1, round(width * min_aspect_dim / longer)),
        )
    if mode == "truncated":
        shorter = min(height, width)
        return int(height * min_aspect_dim / shorter), int(width * min_aspect_dim / shorter)
    raise ValueError(mode)


def central_corner(resized, size):
    """(top, left) of the central size x size window: the odd row or column, if any,
    is left at the bottom or the right."""
    return (resized.shape[0] - size) // 2, (resized.shape[1] - size) // 2


def central_window(resized, size):
    top, left = central_corner(resized, size)
    return resized[top : top + size, left : left + size]


def to_format(image, data_format):
    return np.transpose(image, (2, 0, 1)) if data_format == "channels_first" else image


def channels_last(output, case):
    return np.transpose(output, (1, 2, 0)) if case.data_format == "channels_first" else output


def resized_variants(case):
    """[(message, resized image)]: the right one first (message None), then each resize
    mistake that changes this image (channels_last)."""
    right = resize_preserving_aspect(case.image, case.min_aspect_dim).numpy()
    variants = [(None, right)]
    for message, mode, method, antialias in (
        (ASPECT, "both", "bilinear", True),
        (LONGER, "longer", "bilinear", True),
        (TRUNCATED, "truncated", "bilinear", True),
        (NO_ANTIALIAS, "right", "bilinear", False),
        (METHOD, "right", "nearest", False),
        (METHOD, "right", "bicubic", True),
        (METHOD, "right", "area", False),
    ):
        size = mistaken_sizes(case.image, case.min_aspect_dim, mode)
        if mode != "right" and tuple(size) == tuple(right.shape[:2]):
            continue  # the mistake makes no difference for this image
        if min(size) < case.resize_dim:
            continue
        variants.append((message, resize(case.image, size, method, antialias)))
    return variants


def evaluation_candidates(case, resized_variants):
    """(message, channels_last output) for the known evaluation mistakes."""
    size = case.resize_dim
    right = resized_variants[0][1]
    center = central_window(right, size)
    candidates = [
        (message, central_window(resized, size)) for message, resized in resized_variants[1:]
    ]
    candidates += [
        (NOT_CENTERED, right[:size, :size]),
        (NOT_CENTERED, right[-size:, -size:]),
        (FLIP_IN_EVALUATION, center[:, ::-1]),
        (RESCALED, center / 255.0),
        (SQUASHED, resize(case.image, (size, size))),
    ]
    return candidates


# -- where a crop was cut from ------------------------------------------------------


def all_windows(resized, size):
    """All size x size windows of ``resized``: array (rows, cols, size, size, channels)."""
    view = np.lib.stride_tricks.sliding_window_view(resized, (size, size), axis=(0, 1))
    return np.moveaxis(view, (-2, -1), (2, 3))


def find_window(crop, resized, size):
    """(top, left, flipped) of the window ``crop`` is, or None."""
    if resized.shape[0] < size or resized.shape[1] < size:
        return None
    windows = all_windows(resized, size)
    for flipped, candidate in ((False, crop), (True, crop[:, ::-1])):
        error = np.abs(windows - candidate).max(axis=(2, 3, 4))
        close = np.argwhere(error <= TOLERANCE)
        if len(close):
            top, left = close[0]
            return int(top), int(left), flipped
    return None
