"""Chapter 10 check: ``preprocess`` (resize keeping the aspect ratio, then crop).

The learner's ``ResNetModel.preprocess`` and the reference run on the same images
(landscape, portrait, square, odd sizes, ``uint8`` and ``float32``, one and three
channels, both data formats):

- evaluation (``is_training=False``): the outputs must be equal, and the same on every
  call;
- training: randomness makes values differ from run to run, so each output must be a
  ``resize_dim`` square window of the reference's resized image, possibly mirrored
  left-right; over many calls the window must move and be mirrored only some of the time.

A wrong answer is compared with known mistakes (``preprocess_mistakes.py``: rebuilt
from the reference's pieces, each with its sentence) and the first that reproduces it is
named. The Keras-layer engine does not apply to an image function, so this module has
its own small driver.
"""

import traceback
from dataclasses import dataclass

import numpy as np

from resnet_lesson.checks import delegation, integrity
from resnet_lesson.checks.engine import report
from resnet_lesson.checks.pieces import quiet
from resnet_lesson.checks.preprocess_mistakes import (
    ALWAYS_FLIP,
    CENTER_IN_TRAINING,
    FIXED_TRAINING_CROP,
    FLIP_IN_EVALUATION,
    FORMAT_FIRST,
    FORMAT_LAST,
    NO_FLIP,
    NOT_A_WINDOW,
    NOT_CENTERED,
    NOT_CROPPED,
    NOT_DETERMINISTIC,
    PERMUTATION,
    RANDOM_IN_EVALUATION,
    RESCALED,
    SQUASHED,
    TOLERANCE,
    UPSIDE_DOWN,
    central_corner,
    central_window,
    channels_last,
    evaluation_candidates,
    find_window,
    resize,
    resized_variants,
    to_format,
)
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import GENERIC, LOCATED, CheckFailed, Sentence
from resnet_lesson.exercise_base import WithheldMethod
from resnet_lesson.model import ResNetModel as _CourseModel
from resnet_lesson.preprocessing import resize_preserving_aspect

EXERCISE = "preprocess"
TRAINING_CALLS = 24  # a correct random flip is never or always used with chance 2 ** -23


@dataclass
class ImageCase:
    description: str
    image: np.ndarray
    min_aspect_dim: int
    resize_dim: int
    data_format: str = "channels_last"


def _fail(message):
    raise CheckFailed(EXERCISE, message)


# -- running the learner's method -----------------------------------------------------


def _model(learner_class, case):
    return learner_class(case.min_aspect_dim, case.resize_dim, 18, 10, data_format=case.data_format)


def _run(model, case, is_training):
    watch = delegation.Watch(delegation.reference_codes(_CourseModel, "preprocess", type(model)))
    try:
        with quiet(), watch:
            output = model.preprocess(case.image, is_training)
    except WithheldMethod:
        _fail(delegation.withheld_message("preprocess"))
    except NotImplementedError:
        _fail("not written yet: replace `raise NotImplementedError()` with your code.")
    except Exception as error:  # the learner's code may raise anything
        where = traceback.extract_tb(error.__traceback__)[-1]
        _fail(
            Sentence(
                f"your code raised {type(error).__name__} ({error}) at line {where.lineno} "
                f"for {case.description} (is_training={is_training}).",
                LOCATED,
            )
        )
    if watch.called:
        _fail(delegation.delegated_message("preprocess"))
    if output is None:
        _fail("preprocess returns None: did you forget to `return` the cropped image?")
    try:
        return np.asarray(output)
    except Exception:
        _fail(f"preprocess returns a {type(output).__name__}, not an image tensor.")


def _check_shape_and_dtype(output, case, is_training):
    channels = case.image.shape[-1]
    size = case.resize_dim
    last, first = (size, size, channels), (channels, size, size)
    expected = first if case.data_format == "channels_first" else last
    where = f"for {case.description} (is_training={is_training})"
    if output.shape != expected:
        if case.data_format == "channels_first" and output.shape == last:
            _fail(f"{FORMAT_FIRST} (seen {where}).")
        if case.data_format == "channels_last" and output.shape == first:
            _fail(f"{FORMAT_LAST} (seen {where}).")
        if output.shape == (size, channels, size):
            _fail(f"{PERMUTATION} (seen {where}).")
        right = resize_preserving_aspect(case.image, case.min_aspect_dim).numpy()
        if output.shape in (right.shape, to_format(right, case.data_format).shape):
            _fail(f"{NOT_CROPPED} (seen {where}).")
        if output.ndim == 4:
            _fail(
                f"the output has a batch axis, shape {output.shape}: preprocess works on "
                f"one image and returns one image of shape {expected} (seen {where})."
            )
        _fail(
            f"the output has shape {output.shape}, expected {expected} {where}: resize so "
            "the shorter side is min_aspect_dim, then crop resize_dim x resize_dim."
        )
    if output.dtype != np.float32:
        _fail(
            f"the output has dtype {output.dtype}; the model expects float32: look at "
            f"where the image's dtype should change, before resizing (seen {where})."
        )


def _check_evaluation(model, case, resized_variants):
    right = resized_variants[0][1]
    expected = central_window(right, case.resize_dim)
    output = _run(model, case, False)
    _check_shape_and_dtype(output, case, False)
    crop = channels_last(output, case)
    where = f"seen for {case.description}"
    again = _run(model, case, False)
    if again.shape == output.shape and not np.allclose(again, output, atol=TOLERANCE):
        right_window = find_window(crop, right, case.resize_dim)
        if right_window is not None and right_window[2]:
            _fail(f"{FLIP_IN_EVALUATION} ({where}).")
        if right_window is not None:
            _fail(f"{RANDOM_IN_EVALUATION} ({where}).")
        _fail(f"{NOT_DETERMINISTIC} ({where}).")
    if np.allclose(crop, expected, atol=TOLERANCE):
        return
    for message, candidate in evaluation_candidates(case, resized_variants):
        if candidate.shape == crop.shape and np.allclose(crop, candidate, atol=TOLERANCE):
            _fail(f"{message} ({where}).")
    if case.data_format == "channels_first":
        swapped = np.transpose(output, (2, 1, 0))
        if np.allclose(swapped, expected, atol=TOLERANCE):
            _fail(f"{PERMUTATION} ({where}).")
    window = find_window(crop, right, case.resize_dim)
    if window is not None:
        top, left, flipped = window
        if flipped:
            _fail(f"{FLIP_IN_EVALUATION} ({where}).")
        # The same window at every call (checked above), but not the central one.
        center_top, center_left = central_corner(right, case.resize_dim)
        _fail(
            f"{NOT_CENTERED}; yours starts at row {top}, column {left}, the center crop "
            f"at row {center_top}, column {center_left} ({where})."
        )
    _fail(
        Sentence(
            f"for {case.description} the evaluation output has the right shape but the "
            "wrong values: resize to `resized_shape(...)` with "
            "`tf.image.resize(..., antialias=True)`, then take the center crop.",
            GENERIC,
        )
    )


def _check_training(model, case, resized_variants, calls):
    positions = []
    where = f"seen for {case.description}"
    right = resized_variants[0][1]
    for _ in range(calls):
        output = _run(model, case, True)
        _check_shape_and_dtype(output, case, True)
        crop = channels_last(output, case)
        window = find_window(crop, right, case.resize_dim)
        if window is None:
            _name_training_mistake(crop, case, resized_variants, where)
        positions.append(window)
    flips = [flipped for _, _, flipped in positions]
    if not any(flips):
        _fail(f"{NO_FLIP} ({where}).")
    if all(flips):
        _fail(f"{ALWAYS_FLIP} ({where}).")
    places = {(top, left) for top, left, _ in positions}
    room = (right.shape[0] - case.resize_dim + 1) * (right.shape[1] - case.resize_dim + 1)
    if room > 1 and len(places) == 1:
        center = central_corner(right, case.resize_dim)
        _fail(f"{CENTER_IN_TRAINING if places == {center} else FIXED_TRAINING_CROP} ({where}).")


def _name_training_mistake(crop, case, resized_variants, where):
    right = resized_variants[0][1]
    squashed = resize(case.image, (case.resize_dim, case.resize_dim))
    if any(
        np.allclose(crop, candidate, atol=TOLERANCE) for candidate in (squashed, squashed[:, ::-1])
    ):
        _fail(f"{SQUASHED} ({where}).")
    if find_window(crop[::-1], right, case.resize_dim) is not None:
        _fail(f"{UPSIDE_DOWN} ({where}).")
    if find_window(crop * 255.0, right, case.resize_dim) is not None:
        _fail(f"{RESCALED} ({where}).")
    for message, resized in resized_variants[1:]:
        if find_window(crop, resized, case.resize_dim) is not None:
            _fail(f"{message} ({where}).")
    _fail(Sentence(f"{NOT_A_WINDOW} ({where}).", LOCATED))


# -- cases ------------------------------------------------------------------------------


def _image(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if dtype == "uint8":
        return rng.integers(0, 256, size=shape, dtype=np.uint8)
    return rng.uniform(0.0, 255.0, size=shape).astype(dtype)


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            ImageCase(
                "a square uint8 image of 40x40 (min_aspect_dim 24, resize_dim 20, channels_first)",
                _image((40, 40, 3), "uint8", 4),
                24,
                20,
                "channels_first",
            ),
            ImageCase(
                "a small 8x8 grayscale float32 image, enlarged (min_aspect_dim 26, "
                "resize_dim 24, channels_last)",
                _image((8, 8, 1), "float32", 5),
                26,
                24,
            ),
            ImageCase(
                "a landscape uint8 image of 21x64 where the crop takes the whole height "
                "(min_aspect_dim 16, resize_dim 16, channels_first)",
                _image((21, 64, 3), "uint8", 6),
                16,
                16,
                "channels_first",
            ),
            ImageCase(
                "a portrait uint8 image of 63x30 (min_aspect_dim 19, resize_dim 11, channels_last)",
                _image((63, 30, 3), "uint8", 7),
                19,
                11,
            ),
        ]
    return [
        ImageCase(
            "a landscape uint8 image of 30x45 (min_aspect_dim 24, resize_dim 12, channels_last)",
            _image((30, 45, 3), "uint8", 1),
            24,
            12,
        ),
        ImageCase(
            "a portrait float32 image of 50x36 (min_aspect_dim 20, resize_dim 16, channels_first)",
            _image((50, 36, 3), "float32", 2),
            20,
            16,
            "channels_first",
        ),
        ImageCase(
            "a grayscale uint8 image of odd size 37x23 (min_aspect_dim 17, "
            "resize_dim 15, channels_last)",
            _image((37, 23, 1), "uint8", 3),
            17,
            15,
        ),
    ]


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    checked = cases(thorough)
    # The learner's code runs while each case is judged (the check calls it again and
    # again): changes that outlast a case are caught at its end.
    checkpoint = integrity.take()
    for case in checked:
        model = _model(learner_class, case)
        variants = resized_variants(case)
        _check_evaluation(model, case, variants)
        _check_training(model, case, variants, TRAINING_CALLS)
        checkpoint(EXERCISE)
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(EXERCISE, checked)
