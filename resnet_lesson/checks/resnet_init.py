"""Chapter 2 check: ``__init__`` sets ``block_layer_sizes`` and ``bottleneck`` for every depth.

There is nothing to build: the check creates the learner's model for each depth
(18, 34, 50, 101, 152, 200), in both data formats, and compares the two attributes with
the reference values. The other constructor arguments get values that are not depths
(256, 224, 10 or 1000), so a lookup with the wrong argument fails in a recognizable way.
"""

import numbers

import numpy as np

from resnet_lesson.checks import delegation
from resnet_lesson.checks.pieces import quiet
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.exercise_base import WithheldMethod
from resnet_lesson.model import BLOCK_LAYER_SIZES
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "resnet_init"
DEPTHS = tuple(sorted(BLOCK_LAYER_SIZES))
ARGUMENTS = dict(min_aspect_dim=256, resize_dim=224, output_size=10)
THOROUGH_ARGUMENTS = dict(min_aspect_dim=300, resize_dim=227, output_size=1000)
GIVEN = dict(filters_initial=64, block_strides=[1, 2, 2, 2])


def _create(learner_class, depth, data_format, arguments):
    watch = delegation.Watch(delegation.reference_codes(_CourseModel, "__init__", learner_class))
    try:
        with quiet(), watch:
            model = learner_class(
                arguments["min_aspect_dim"],
                arguments["resize_dim"],
                depth,
                arguments["output_size"],
                data_format=data_format,
            )
    except WithheldMethod:
        raise CheckFailed(EXERCISE, delegation.withheld_message("__init__")) from None
    except NotImplementedError:
        raise CheckFailed(
            EXERCISE, "not written yet: replace `raise NotImplementedError()` with your code."
        ) from None
    except KeyError as error:
        key = error.args[0] if error.args else None
        for name, value in arguments.items():
            if key == value:
                raise CheckFailed(
                    EXERCISE,
                    (
                        f"the block layer sizes are looked up with `{name}` (KeyError: {key!r} "
                        f"for ResNet-{depth}): the table is keyed by the depth, the "
                        "`num_layers` argument."
                    ),
                ) from None
        raise CheckFailed(
            EXERCISE,
            f"creating ResNet-{depth} raised KeyError({key!r}): "
            "look at the key you index `BLOCK_LAYER_SIZES` with: it is keyed by depth.",
        ) from None
    except Exception as error:  # the learner's code may raise anything
        raise CheckFailed(
            EXERCISE,
            f"creating ResNet-{depth} ({data_format}) raised {type(error).__name__}: {error}",
        ) from None
    if watch.called:
        raise CheckFailed(EXERCISE, delegation.delegated_message("__init__"))
    return model


def _as_sizes(value):
    """The value as a list of ints, or None when it is not a sequence of whole numbers."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        return None
    try:
        items = list(value)
    except TypeError:
        return None
    if not all(isinstance(v, numbers.Integral) for v in items):
        return None
    return [int(v) for v in items]


def _is_bool_like(value):
    return isinstance(value, (bool, np.bool_)) or (
        isinstance(value, numbers.Integral) and value in (0, 1)
    )


def _attribute(model, name, depth):
    if not hasattr(model, name):
        raise CheckFailed(
            EXERCISE,
            f"`self.{name}` is not set (ResNet-{depth}): assign it "
            "in `__init__`, below the given lines.",
        )
    return getattr(model, name)


def _bottleneck_message(wrong, found):
    """One sentence for the depths whose bottleneck flag is wrong."""
    if wrong == [50]:
        return (
            "ResNet-50 is the first depth built from bottleneck blocks, but your "
            "`self.bottleneck` is False for it: look at your comparison, 50 itself "
            "must count."
        )
    if wrong and all(found[d] for d in wrong) and set(wrong) <= {18, 34}:
        depths = " and ".join(f"ResNet-{d}" for d in wrong)
        verb = "use" if len(wrong) > 1 else "uses"
        return (
            f"{depths} {verb} regular blocks, but your `self.bottleneck` is True for "
            f"{'them' if len(wrong) > 1 else 'it'}: look at your comparison, bottleneck "
            "blocks start at 50 layers."
        )
    if set(wrong) == set(DEPTHS):
        return (
            "`self.bottleneck` is the opposite of what it should be for every depth: "
            "True for 50 layers and more, False for 18 and 34."
        )
    listed = ", ".join(f"ResNet-{d}: {found[d]}" for d in wrong)
    return (
        f"`self.bottleneck` is wrong for {listed}: it must be True exactly for 50 layers and more."
    )


@exercise_check(EXERCISE, _CourseModel, defines="__init__")
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    settings = [(ARGUMENTS, "channels_last")]
    if thorough:  # the hidden test's own settings: its cell has just run the visible one
        settings = [
            (arguments, data_format)
            for arguments in (ARGUMENTS, THOROUGH_ARGUMENTS)
            for data_format in ("channels_last", "channels_first")
            if (arguments, data_format) != (ARGUMENTS, "channels_last")
        ]
    for arguments, data_format in settings:
        _check_one_setting(learner_class, data_format, arguments)
    if not thorough:
        print(
            f"\u2705 {EXERCISE} is correct: block_layer_sizes and bottleneck match the "
            f"reference for ResNet-{', '.join(str(d) for d in DEPTHS)}."
        )


def _check_one_setting(learner_class, data_format, arguments):
    sizes, flags = {}, {}
    for depth in DEPTHS:
        model = _create(learner_class, depth, data_format, arguments)
        for name, value in GIVEN.items():
            if _attribute(model, name, depth) != value:
                raise CheckFailed(
                    EXERCISE,
                    f"`self.{name}` is {getattr(model, name)!r}, not "
                    f"{value!r}: keep the given lines as they are.",
                )
        if getattr(model, "data_format", None) != data_format:
            raise CheckFailed(
                EXERCISE,
                "`self.data_format` is not the `data_format` "
                "argument: keep the given lines as they are.",
            )
        value = _attribute(model, "block_layer_sizes", depth)
        sizes[depth] = _as_sizes(value)
        if sizes[depth] is None:
            raise CheckFailed(
                EXERCISE,
                f"`self.block_layer_sizes` for ResNet-{depth} is "
                f"{value!r}: it should be a list of four block "
                "counts, such as [2, 2, 2, 2].",
            )
        flag = _attribute(model, "bottleneck", depth)
        if not _is_bool_like(flag):
            raise CheckFailed(
                EXERCISE,
                f"`self.bottleneck` for ResNet-{depth} is {flag!r}: "
                "it should be True or False, which a comparison of "
                "the depth gives.",
            )
        flags[depth] = bool(flag)

    expected = {d: list(BLOCK_LAYER_SIZES[d]) for d in DEPTHS}
    wrong_sizes = [d for d in DEPTHS if sizes[d] != expected[d]]
    if wrong_sizes:
        distinct = {tuple(s) for s in sizes.values()}
        if len(distinct) == 1:
            raise CheckFailed(
                EXERCISE,
                (
                    f"`self.block_layer_sizes` is {sizes[DEPTHS[0]]} for every depth: it must "
                    "depend on the depth: look it up in `BLOCK_LAYER_SIZES` by `num_layers`."
                ),
            )
        for depth in wrong_sizes:
            for other in DEPTHS:
                if other != depth and sizes[depth] == expected[other]:
                    raise CheckFailed(
                        EXERCISE,
                        (
                            f"for ResNet-{depth} `self.block_layer_sizes` is {sizes[depth]}, the "
                            f"sizes of ResNet-{other}; ResNet-{depth} has {expected[depth]}."
                        ),
                    )
        depth = wrong_sizes[0]
        more = (
            f" (also wrong for ResNet-{', ResNet-'.join(map(str, wrong_sizes[1:]))})"
            if len(wrong_sizes) > 1
            else ""
        )
        if len(sizes[depth]) != 4:
            raise CheckFailed(
                EXERCISE,
                (
                    f"for ResNet-{depth} `self.block_layer_sizes` has {len(sizes[depth])} "
                    f"entries, {sizes[depth]}: there are four block layers, "
                    f"{expected[depth]}{more}."
                ),
            )
        raise CheckFailed(
            EXERCISE,
            (
                f"for ResNet-{depth} `self.block_layer_sizes` is {sizes[depth]}, but it has "
                f"{expected[depth]} blocks per block layer{more}."
            ),
        )

    wrong_flags = [d for d in DEPTHS if flags[d] != (d >= 50)]
    if wrong_flags:
        raise CheckFailed(EXERCISE, _bottleneck_message(wrong_flags, flags))
