"""Chapter 9 check: the whole ``model_layers`` (the stem: ``conv_initial`` and
``pool_initial``; the loop over the block layers; the head: final pre-activation,
pooling, ``logits``).

The check builds whole (small) networks with 8 filters in the first block layer: regular
blocks on 64x64 images, 1, 2, 1 and 1 of them per block layer (not ResNet-18's 2, 2, 2,
2, so block counts typed in instead of read from ``self.block_layer_sizes`` show), where
the last block layer's map is 2x2, so flattening and average pooling differ; the hidden
test adds a narrow, short ResNet-50 on 32x32 images (bottleneck blocks, 1, 1, 2 and 1 of
them, in channels_first).

Weights are keyed by shape (``pieces.py``), so a block layer built in the wrong name
scope computes the right values: the scopes, like the stem's and the logits' layer
names, are asked for once the values are right.
"""

import numpy as np

from resnet_lesson import analysis, data_formats
from resnet_lesson.checks import integrity
from resnet_lesson.checks.engine import diagnose, report
from resnet_lesson.checks.model_layers_mistakes import MISTAKES
from resnet_lesson.checks.pieces import BARE_CALL, Case, build_piece, case_inputs, quiet
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import GENERIC, LOCATED, CheckFailed, Sentence
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "model_layers"
OUTPUT_SIZE = 10  # what engine.build_piece passes as output_size
# training= given explicitly overrides the flag the learner passed on; a bare call is
# where a batch norm that ignores `is_training` shows.
MODES = (True, False, BARE_CALL)


STEM_NAMES = ("conv_initial", "pool_initial")


def _output_problem(learner_model, case):
    """Malformed logits (wrong rank or units) and dropout, which no exact rerun reproduces."""
    shape = tuple(learner_model.outputs[0].shape) if len(learner_model.outputs) == 1 else None
    if shape is None:
        return (
            "the method returns several tensors: return only the logits, one "
            "tensor of shape (batch, output_size)."
        )
    if len(shape) != 2:
        return (
            f"for {case.description} the output has shape {shape[1:]} per image; the "
            "logits must be one vector per image: pool the last feature map "
            "(global average pooling) before the dense layer."
        )
    if shape[-1] != OUTPUT_SIZE:
        return (
            f"the dense layer has {shape[-1]} units: it needs `self.output_size` "
            f"units, one per class ({OUTPUT_SIZE} in this check)."
        )
    x = case_inputs(case)
    with quiet():
        first = np.asarray(data_formats.call(learner_model, x, True))
        second = np.asarray(data_formats.call(learner_model, x, True))
    if not np.allclose(first, second, rtol=1e-5, atol=1e-5):
        return (
            "the output is random in training mode: that is dropout, which the course's "
            "ResNet leaves out (batch norm already regularizes, He et al. 2016a); "
            "remove it."
        )
    return None


def _case(description, data_format, num_layers, size=64, is_training=True):
    shape = (size, size, 3) if data_format == "channels_last" else (3, size, size)
    return Case(
        description, data_format, shape, dict(is_training=is_training), num_layers=num_layers
    )


# The block counts of the check's regular networks: fewer blocks than ResNet-18's
# [2, 2, 2, 2] (quicker), and not all equal, so counts typed in instead of read from
# `self.block_layer_sizes` give other values.
SHORT_BLOCK_LAYER_SIZES = [1, 2, 1, 1]
_SHORT = "a short ResNet (1, 2, 1, 1 regular blocks) on 64x64 images"
# The hidden test's bottleneck network: other counts again, and 5 blocks instead of
# ResNet-50's 16 (a channels_first network compiles through XLA on most CPUs: seconds
# per block).
SHORT_BOTTLENECK_BLOCK_LAYER_SIZES = [1, 1, 2, 1]


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case(
                "a short ResNet-50 (1, 1, 2, 1 bottleneck blocks) on 32x32 images (channels_first)",
                "channels_first",
                50,
                32,
            ),
        ]
    return [
        _case(f"{_SHORT} (channels_last)", "channels_last", 18),
        _case(
            f"{_SHORT}, is_training=False (channels_first)",
            "channels_first",
            18,
            is_training=False,
        ),
    ]


def _spatial_and_channels(shape, data_format):
    """(height, width, channels) of an unbatched 3-D shape in ``data_format``."""
    shape = tuple(int(d) for d in shape)
    if data_format == "channels_first":
        return shape[1], shape[2], shape[0]
    return shape


def block_layer_shapes(model, data_format):
    """``{'block_layer1': (height, width, channels), ...}`` of a built network, found by
    the name scopes of the block layers' weights (``analysis.block_layer_outputs``)."""
    return {
        scope: _spatial_and_channels(tensor.shape[1:], data_format)
        for scope, tensor in analysis.block_layer_outputs(model).items()
    }


def _expected_scopes(resnet_class, case):
    sizes = resnet_class(3, 3, case.num_layers, OUTPUT_SIZE).block_layer_sizes
    return [f"block_layer{i + 1}" for i in range(len(sizes))]


def _structure_problem(learner_model, expected_scopes):
    """Right values, but are the stem, the block layers and the logits findable? Weights
    are keyed by shape, so names and scopes leave the values alone; the measurements
    after the exercise find each stage by them (asked only once the values are right,
    so that a missing pool is named as a missing pool)."""
    names = {layer.name for layer in learner_model.layers}
    missing = [name for name in STEM_NAMES if name not in names]
    if missing:
        return (
            f"no layer is named {' or '.join(f'`{name}`' for name in missing)}: give the "
            "stem's conv and pool these names (`name=`); the measurements after the "
            "exercise find the stem by them."
        )
    try:
        scopes = list(analysis.block_layer_outputs(learner_model))
    except ValueError:  # two block layers' weights in one scope, read from outside it
        scopes = None
    if scopes != expected_scopes:
        found = ", ".join(f"`{scope}`" for scope in scopes or []) or "none that can be told apart"
        return (
            f"the block layers' name scopes are {found}, where the contract needs "
            f"`{expected_scopes[0]}` to `{expected_scopes[-1]}`, one per block layer: the "
            "`index` you give `self.block_layer` names the scope, counting from 1, and the "
            "measurements after the exercise find each block layer by it."
        )
    if "logits" not in names:
        return (
            "no layer is named `logits`: give the dense layer that makes the scores this "
            "name (`name=`), as the contract asks."
        )
    return None


def _stem_shape(model, data_format):
    """(height, width, channels) of the layer named ``pool_initial``, or None."""
    pool = next((layer for layer in model.layers if layer.name == "pool_initial"), None)
    return None if pool is None else _spatial_and_channels(pool.output.shape[1:], data_format)


def _where_the_shapes_part(learner_model, reference_model, case):
    """A located sentence for right-shaped logits of the wrong values: the stem's output
    (``pool_initial``), else the first block layer, whose shape differs from the
    reference's; or None."""
    stem = _stem_shape(learner_model, case.data_format)
    height, width, channels = _stem_shape(reference_model, case.data_format)
    if stem is not None and stem != (height, width, channels):
        h, w, c = stem
        return Sentence(
            f"for {case.description} the stem's output `pool_initial` is a {h}x{w} map "
            f"with {c} channels where the contract needs {height}x{width} with {channels}: "
            "the stem divides the image's height and width by 4 and gives "
            "`self.filters_initial` channels.",
            LOCATED,
        )
    try:
        learner = block_layer_shapes(learner_model, case.data_format)
    except ValueError:
        return None
    reference = block_layer_shapes(reference_model, case.data_format)
    if list(learner) != list(reference):
        if len(learner) < len(reference) and list(learner) == list(reference)[: len(learner)]:
            return Sentence(
                f"for {case.description} your network has {len(learner)} block layers "
                f"where `self.block_layer_sizes` has {len(reference)} entries: the loop "
                "must build one block layer per entry.",
                LOCATED,
            )
        return None  # the scopes differ: the structure check's sentence says how
    for scope, (height, width, channels) in reference.items():
        if learner[scope] != (height, width, channels):
            h, w, c = learner[scope]
            return Sentence(
                f"for {case.description} `{scope}` outputs a {h}x{w} map with {c} "
                f"channels where the contract needs {height}x{width} with {channels}: "
                "look at the filters and the stride that block layer gets, and at what it "
                "reads.",
                LOCATED,
            )
    return None


NARROW_FILTERS = 8  # instead of 64 in the first block layer (still doubling)


def narrow(model_class):
    """``model_class`` with ``NARROW_FILTERS`` filters in its first block layer, and
    :data:`SHORT_BLOCK_LAYER_SIZES` regular or :data:`SHORT_BOTTLENECK_BLOCK_LAYER_SIZES`
    bottleneck blocks per block layer.

    The same kind of network with 64 times fewer weights and fewer blocks, so each build
    (the learner's, the reference's and every known mistake's) takes a fraction of the
    time. A stem or loop that ignores ``self.filters_initial`` or
    ``self.block_layer_sizes`` no longer matches, as it would not in chapter 11, whose
    digits model is narrower than 64 too.
    """

    class Narrow(model_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters_initial = NARROW_FILTERS
            self.block_layer_sizes = list(
                SHORT_BOTTLENECK_BLOCK_LAYER_SIZES if self.bottleneck else SHORT_BLOCK_LAYER_SIZES
            )

    Narrow.__name__ = model_class.__name__
    return Narrow


def _built(model_class, case):
    """``model_layers`` of ``model_class`` built for ``case``, or None if it fails."""
    try:
        return build_piece(model_class, "model_layers", case)
    except Exception:
        return None


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    learner_class = narrow(learner_class)
    reference_class = narrow(ResNetModel)
    the_cases = cases(thorough)
    try:
        passed = diagnose(
            EXERCISE,
            learner_class,
            reference_class,
            "model_layers",
            the_cases,
            MISTAKES,
            output_check=_output_problem,
            modes=MODES,
        )
    except CheckFailed as failed:
        if failed.kind != GENERIC:
            raise
        # Right shape, wrong values, no known mistake: say where the shapes part, if they do.
        checkpoint = integrity.take()
        learner_models = [_built(learner_class, case) for case in the_cases]
        checkpoint(EXERCISE)
        for case, learner_model in zip(the_cases, learner_models):
            if learner_model is None:
                continue
            located = _where_the_shapes_part(
                learner_model, build_piece(reference_class, "model_layers", case), case
            )
            if located:
                raise CheckFailed(EXERCISE, located) from None
        raise
    checkpoint = integrity.take()
    learner_model = build_piece(learner_class, "model_layers", passed[0])
    checkpoint(EXERCISE)
    problem = _structure_problem(learner_model, _expected_scopes(reference_class, passed[0]))
    if problem:
        raise CheckFailed(EXERCISE, problem)
    if not thorough:  # the hidden run stays silent: the visible one already reported
        report(EXERCISE, passed)
