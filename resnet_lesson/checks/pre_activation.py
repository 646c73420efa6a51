"""Chapter 4 check: ``pre_activation`` (batch norm over the channel axis, then ReLU).

The engine compares outputs with ``training=True`` and ``training=False`` given
explicitly, and those override whatever ``is_training`` the learner passed to the batch
norm (Keras 3 treats a value given while building a functional model as a default only).
So this check also runs each piece with a *bare* call, ``model(x)``, where the
``training=is_training`` default is what decides: a batch norm whose flag is fixed to
True, fixed to False, or never passed shows up there.

:func:`diagnose_in_modes` is the engine's ``diagnose`` with that third mode and a
tolerance (so another momentum or epsilon still passes), plus two Keras-3 sentences;
chapter 5's check uses it too.
"""

import keras

from resnet_lesson.checks.engine import diagnose
from resnet_lesson.checks.pieces import BARE_CALL, Case, Mistake
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "pre_activation"

# True and False: training= given explicitly when the model runs (as fit/evaluate do);
# None: a bare call, where the is_training given while building is the default.
MODES = (True, False, BARE_CALL)

_TF_ON_KERAS_TENSOR = "cannot be used as input to a TensorFlow function"
_POSITIONAL_FLAG = "Only input tensors may be passed as positional arguments"


def diagnose_in_modes(
    exercise,
    learner_class,
    method_name,
    cases,
    mistakes,
    output_check=None,
    tolerance=1e-4,
    reference_class=ResNetModel,
    accepted_designs=(),
):
    """Raise ``CheckFailed`` with one sentence naming the mistake, or return the cases
    (the engine's ``Passed``)."""
    try:
        return diagnose(
            exercise,
            learner_class,
            reference_class,
            method_name,
            cases,
            mistakes,
            output_check=output_check,
            modes=MODES,
            tolerance=tolerance,
            accepted_designs=accepted_designs,
        )
    except CheckFailed as failed:
        if _TF_ON_KERAS_TENSOR in failed.message:
            raise CheckFailed(
                exercise,
                (
                    "your code gives a Keras tensor to a TensorFlow function (such as tf.pad or "
                    "tf.nn.relu), which Keras 3 refuses while building a model: use a Keras "
                    "layer (keras.layers.ReLU, ...) or `keras.ops` (keras.ops.pad, "
                    "keras.ops.relu) instead."
                ),
            ) from None
        if _POSITIONAL_FLAG in failed.message:
            raise CheckFailed(
                exercise,
                (
                    "a Keras 3 layer takes only tensors as positional arguments: pass the flag "
                    "by name, `training=is_training`."
                ),
            ) from None
        raise


# -- the known mistakes --------------------------------------------------------------


def _pre_activation_with(axis="right", training="is_training", relu="after", affine=True):
    """The reference pre-activation with one twist: the known mistakes' material."""

    def pre_activation(self, inputs, is_training):
        right = 1 if self.data_format == "channels_first" else 3
        chosen = {"right": right, "last": -1, "first": 1, "swapped": 3 if right == 1 else 1}[axis]
        batch_norm = keras.layers.BatchNormalization(axis=chosen, center=affine, scale=affine)
        x = keras.layers.ReLU()(inputs) if relu == "before" else inputs
        if training == "is_training":
            x = batch_norm(x, training=is_training)
        elif training == "absent":
            x = batch_norm(x)
        else:
            x = batch_norm(x, training=training)
        if relu == "capped":
            return keras.layers.ReLU(max_value=6.0)(x)
        return keras.layers.ReLU()(x) if relu == "after" else x

    return pre_activation


MISTAKES = [
    Mistake(
        "batch norm normalizes the wrong axis: with channels_first the channels are "
        "axis 1, so `axis=-1` (or 3) normalizes the width instead; choose the axis "
        "from `self.data_format`",
        _pre_activation_with(axis="last"),
    ),
    Mistake(
        "batch norm normalizes the wrong axis: axis 1 is the channel axis only for "
        "channels_first; with channels_last it is axis 3 (or -1)",
        _pre_activation_with(axis="first"),
    ),
    Mistake(
        "batch norm normalizes the wrong axis: the two data formats are swapped; the "
        "channels are axis 1 for channels_first and axis 3 for channels_last",
        _pre_activation_with(axis="swapped"),
    ),
    Mistake(
        "the batch norm's training flag is fixed to True: pass `training=is_training` "
        "so a model built for inference uses the moving averages",
        _pre_activation_with(training=True),
    ),
    Mistake(
        "the batch norm ignores `is_training` (the flag is not passed, or fixed to "
        "False): call it with `training=is_training`",
        _pre_activation_with(training="absent"),
    ),
    Mistake(
        "the ReLU is missing: after the batch norm comes a ReLU", _pre_activation_with(relu="none")
    ),
    Mistake(
        "the ReLU comes before the batch norm: pre-activation is batch norm first, then ReLU",
        _pre_activation_with(relu="before"),
    ),
    Mistake(
        "the ReLU is capped (ReLU6, or a `max_value`): the pre-activation's ReLU keeps every "
        "positive value as it is",
        _pre_activation_with(relu="capped"),
    ),
    Mistake(
        "the batch norm has no learned scale and offset (`scale=False`, `center=False`): keep "
        "them, so that each channel can learn back the scale and mean it needs",
        _pre_activation_with(affine=False),
    ),
]


def _case(description, data_format, channels, height, width, is_training, input_scale=1.0):
    shape = (
        (height, width, channels) if data_format == "channels_last" else (channels, height, width)
    )
    return Case(
        description, data_format, shape, dict(is_training=is_training), input_scale=input_scale
    )


def cases(thorough=False):
    # Channels, height and width all differ, so a batch norm on the wrong axis has
    # differently shaped weights and cannot pass by accident.
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case("channels_first, is_training=False", "channels_first", 3, 7, 5, False),
            _case(
                "channels_last with 8 channels, is_training=True", "channels_last", 8, 3, 5, True
            ),
            _case(
                "channels_first with 8 channels, is_training=True", "channels_first", 8, 6, 3, True
            ),
        ]
    return [
        _case("channels_last, is_training=True", "channels_last", 4, 5, 6, True),
        _case("channels_first, is_training=True", "channels_first", 4, 5, 6, True),
        # Inputs far from the moving averages' 0 and 1, so that in inference the ReLU
        # sees values above 6 (a capped ReLU differs) and batch norm's affine part counts.
        _case("channels_last, is_training=False", "channels_last", 4, 5, 6, False, 10.0),
    ]


# A batch norm epsilon other than Keras's default (the original TensorFlow ResNet used
# 1e-5) changes outputs by about 1e-3 relative; that is a choice, not a mistake.
TOLERANCE = 5e-3


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = diagnose_in_modes(
        EXERCISE, learner_class, "pre_activation", cases(thorough), MISTAKES, tolerance=TOLERANCE
    )
    if not thorough:
        described = "; ".join(case.description for case in passed)
        print(
            f"\u2705 {EXERCISE} is correct: same outputs as the reference with "
            f"training=True, training=False and in a bare call, for {described}."
        )
