"""The pieces a check compares: a method built into a small Keras model, run on fixed
inputs with fixed weights.

Weights are chosen from each variable's role and shape alone (a kernel of shape
(3, 3, 8, 8) always gets the same values), so a comparison does not depend on random
seeds, on the order layers were created in, or on layer names. ``engine.py`` judges
what these pieces compute; this module only builds and runs them.
"""

import contextlib
import hashlib
import io
import re
import traceback
import warnings
from dataclasses import dataclass, field

import keras
import numpy as np

from resnet_lesson import data_formats
from resnet_lesson.checks import delegation
from resnet_lesson.exercise_base import WithheldMethod


@dataclass
class Case:
    """One situation to build the piece in: a data format, an input shape, arguments."""

    description: str
    data_format: str
    input_shape: tuple  # without the batch axis, in the case's data format
    kwargs: dict = field(default_factory=dict)
    num_layers: int = 18
    input_scale: float = 1.0  # inputs are standard normal times this


def map_shape(data_format, size, channels):
    """A ``size`` x ``size`` map of ``channels`` channels, without the batch axis, in the
    axis order of ``data_format``."""
    return (size, size, channels) if data_format == "channels_last" else (channels, size, size)


def block_case(
    description,
    data_format,
    size,
    channels,
    filters,
    strides,
    shortcut_filters,
    num_layers=18,
    is_training=True,
):
    """A case for one residual block (chapters 6 and 7): a ``size`` x ``size`` input with
    ``channels`` channels, and the block's arguments; ``num_layers`` picks the depth
    (50 for a bottleneck block)."""
    shape = map_shape(data_format, size, channels)
    return Case(
        description,
        data_format,
        shape,
        dict(
            filters=filters,
            strides=strides,
            is_training=is_training,
            index=0,
            shortcut_filters=shortcut_filters,
        ),
        num_layers=num_layers,
    )


@dataclass
class Mistake:
    """A known wrong answer: a replacement method and the sentence that names it."""

    message: str
    method: object  # a function with the exercise method's signature, taking self first


# -- deterministic weights ----------------------------------------------------------


def _role(variable):
    return variable.path.split("/")[-1]


def _values_for(role, shape):
    digest = hashlib.sha256(f"{role}:{tuple(shape)}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    if role == "kernel":
        fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else int(shape[0])
        return rng.uniform(-1.0, 1.0, shape) * np.sqrt(3.0 / max(fan_in, 1))
    if role == "gamma":
        return rng.uniform(0.5, 1.5, shape)
    if role in ("beta", "bias", "moving_mean"):
        return rng.uniform(-0.2, 0.2, shape)
    if role == "moving_variance":
        return rng.uniform(0.5, 2.0, shape)
    return rng.uniform(-0.5, 0.5, shape)


def assign_shape_keyed_weights(model):
    """Give every variable of ``model`` values that depend only on its role and shape."""
    for variable in model.variables:
        variable.assign(_values_for(_role(variable), variable.shape).astype(variable.dtype))


def case_inputs(case, batch_size=2):
    """Fixed inputs for a case (the same for learner, reference and mistakes)."""
    rng = np.random.default_rng(1234)
    x = rng.normal(size=(batch_size,) + tuple(case.input_shape)) * case.input_scale
    return x.astype("float32")


# -- building and running a piece --------------------------------------------------


@contextlib.contextmanager
def quiet():
    """Keep the learner's prints and warnings out of the check's output.

    nbgrader gives zero to a test cell that writes anything to stderr, even a harmless
    warning from a correct answer.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield


class BuildError(Exception):
    """The learner's method could not be built into a model; the message says why."""

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.cause = cause

    def same_cause(self, other):
        """Whether two failed builds failed the same way (layer numbering aside)."""

        def normalized(error):
            return type(error).__name__, re.sub(r"_\d+", "", str(error))

        return (
            self.cause is not None
            and other.cause is not None
            and normalized(self.cause) == normalized(other.cause)
        )


def build_piece(model_class, method_name, case):
    """Call ``method_name`` of a fresh ``model_class`` on a Keras input; return a model."""
    resnet = model_class(
        case.input_shape[-1],
        case.input_shape[-1],
        case.num_layers,
        10,
        data_format=case.data_format,
    )
    inputs = keras.Input(case.input_shape)
    method = getattr(resnet, method_name)
    try:
        with quiet():
            outputs = method(inputs, **case.kwargs)
    except WithheldMethod:  # the exercise base's stub, not the learner's own raise
        raise BuildError(delegation.withheld_message(method_name)) from None
    except NotImplementedError:
        raise BuildError(
            "not written yet: replace `raise NotImplementedError()` with your code."
        ) from None
    except Exception as error:  # the learner's code may raise anything
        where = traceback.extract_tb(error.__traceback__)[-1]
        raise BuildError(
            f"your code raised {type(error).__name__} ({error}) at line {where.lineno} "
            f"while building it for {case.description}.",
            cause=error,
        ) from None
    with quiet():  # Keras may warn about what the method returned; the check says it
        return keras.Model(inputs, outputs)


def run_piece(model, x, training):
    """``model``'s outputs on ``x`` as numpy arrays (a flat list)."""
    with quiet():  # through XLA where this CPU runs no channels_first conv
        outputs = data_formats.call(model, x, training)
    return [np.asarray(o) for o in keras.tree.flatten(outputs)]


def _close(x, y, tolerance):
    # Only array operators, no numpy functions: a notebook that replaces ``np.allclose``
    # (or any other numpy function) cannot change this comparison.
    difference = (x - y) * (x - y)
    bound = tolerance + tolerance * ((y * y) ** 0.5)
    return bool((difference <= bound * bound).all())


def same_outputs(a, b, tolerance=1e-4):
    """Whether two lists of outputs have the same shapes and values (``tolerance`` is
    relative and absolute)."""
    return (
        len(a) == len(b)
        and all(x.shape == y.shape for x, y in zip(a, b))
        and all(_close(x, y, tolerance) for x, y in zip(a, b))
    )


# How a piece is run: training=True and training=False given explicitly (as fit and
# evaluate do). BARE_CALL adds a bare ``model(x)``, where the ``is_training`` given while
# building is the default: only that mode sees a batch norm whose flag is fixed or lost.
EXPLICIT_MODES = (True, False)
BARE_CALL = None


def outputs_in_modes(model, x, modes=EXPLICIT_MODES):
    """Run ``model`` on ``x`` in each mode, with fresh shape-keyed weights every time.

    Fresh weights: a training run updates batch norm's moving averages, and a momentum
    other than Keras's default must not change what the next mode sees.
    """
    outputs = {}
    for mode in modes:
        assign_shape_keyed_weights(model)
        outputs[mode] = run_piece(model, x, mode)
    return outputs


def outputs_for(model_class, method_name, case, x, modes=EXPLICIT_MODES):
    """Build the piece and run it in each mode: {mode: outputs}."""
    return outputs_in_modes(build_piece(model_class, method_name, case), x, modes)


def same_in_modes(a, b, tolerance):
    """Whether two {mode: outputs} agree in every mode."""
    return all(same_outputs(a[mode], b[mode], tolerance) for mode in a)


def with_method(reference_class, method_name, method):
    """``reference_class`` with ``method_name`` replaced by ``method`` (a known mistake)."""
    return type(f"Mistaken{reference_class.__name__}", (reference_class,), {method_name: method})


def normalization_count(model):
    """How many batch norms ``model`` runs: one moving mean each (shared ones count once)."""
    return sum(1 for variable in model.variables if _role(variable) == "moving_mean")
