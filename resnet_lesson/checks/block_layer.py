"""Chapter 8 check: ``block_layer`` (stack blocks; the first one strides and projects).

Whether the first block projects where the shapes already match (block layer 1 of
ResNet-18 and 34) is an open decision: the course projects there; keeping the identity,
as He et al. 2016a's option B and the code released with 2016b do, is an accepted
design (``designs.py``).
"""

import re

import keras

from resnet_lesson.checks import designs
from resnet_lesson.checks.engine import diagnose, report
from resnet_lesson.checks.pieces import BARE_CALL, Case, Mistake, map_shape
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel

EXERCISE = "block_layer"
# training= given explicitly overrides the flag the learner passed on; a bare call is
# where a block that ignores `is_training` shows.
MODES = (True, False, BARE_CALL)


def _block_layer_with(
    every_block_strides=False,
    every_block_projects=False,
    first_projects=True,
    bottleneck_shortcut_factor=4,
    extra_blocks=0,
    block_kind=None,
    forced_shortcut_factor=None,
    chained=True,
    identity_where_shapes_match=False,
):
    """The reference block layer with one twist: the building material of the mistakes.

    ``block_kind`` forces one block function whatever the depth; the projection then
    has ``forced_shortcut_factor * filters`` filters (None: as the reference computes it).
    """

    def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
        with keras.name_scope(f"block_layer{index}"):
            if block_kind is None:
                block_fn = self.bottleneck_block if self.bottleneck else self.regular_block
            else:
                block_fn = getattr(self, f"{block_kind}_block")
            if forced_shortcut_factor is not None:
                shortcut_filters = forced_shortcut_factor * filters
            elif self.bottleneck:
                shortcut_filters = bottleneck_shortcut_factor * filters
            else:
                shortcut_filters = filters
            if identity_where_shapes_match and _keeps_shape(
                self, inputs, strides, shortcut_filters
            ):
                shortcut_filters = None
            outputs = block_fn(
                inputs,
                filters,
                strides,
                is_training,
                0,
                shortcut_filters=shortcut_filters if first_projects else None,
            )
            for block_index in range(1, num_blocks + extra_blocks):
                outputs = block_fn(
                    outputs if chained else inputs,
                    filters,
                    strides if every_block_strides else 1,
                    is_training,
                    block_index,
                    shortcut_filters=shortcut_filters if every_block_projects else None,
                )
            return outputs

    return block_layer


def _keeps_shape(resnet, inputs, strides, output_channels):
    """Whether a block with these strides and output channels keeps its input's shape."""
    channel_axis = 1 if resnet.data_format == "channels_first" else -1
    return strides == 1 and inputs.shape[channel_axis] == output_channels


# Identity or projection where the first block keeps the shape; the course projects.
DESIGNS = [
    designs.Design(
        "the identity where the shapes match",
        "the first block of a block layer projects only when it changes the shape, so "
        "block layer 1 of ResNet-18 and 34, with 64 channels in and out and stride 1, "
        "keeps the identity, and deeper networks still project there",
        "He et al. 2016a's option B, section 4.1, and the code released with 2016b",
        _block_layer_with(identity_where_shapes_match=True),
    ),
]
COURSE_CHOICE = (
    "a projection in the first block of every block layer, one rule for every depth, "
    "as TensorFlow's official ResNet does"
)
COST_SETTING = designs.CostSetting(num_layers=18)

_ALWAYS_REGULAR = (
    "every block is a `regular_block`: a deep network (`self.bottleneck` "
    "is True from 50 layers on) stacks `bottleneck_block`s"
)
_ALWAYS_BOTTLENECK = (
    "every block is a `bottleneck_block`: ResNet-18 and 34 "
    "(`self.bottleneck` is False) stack `regular_block`s"
)

MISTAKES = [
    Mistake(
        "every block strides: only the first block of a block layer gets `strides`, "
        "the others use stride 1",
        _block_layer_with(every_block_strides=True),
    ),
    Mistake(
        "every block has a projection shortcut: only the first block gets "
        "`shortcut_filters`; the others keep the shape and use the identity "
        "(leave `shortcut_filters` out)",
        _block_layer_with(every_block_projects=True),
    ),
    Mistake(
        "the first block has no projection shortcut: it changes the shape (stride "
        "and channels), so give it `shortcut_filters`",
        _block_layer_with(first_projects=False),
    ),
    Mistake(
        "the projection of a bottleneck block layer has `filters` filters: a "
        "bottleneck block outputs four times `filters` channels, and its shortcut "
        "must match them",
        _block_layer_with(bottleneck_shortcut_factor=1),
    ),
    Mistake(
        "the block layer has one block too few between its input and its output: it must "
        "chain `num_blocks` blocks, the first one included, each reading the output of the "
        "one before (check the range of your loop and what each block reads)",
        _block_layer_with(extra_blocks=-1),
    ),
    Mistake(
        "the block layer has one block too many: it must stack `num_blocks` blocks "
        "in all, the first one included (check the range of your loop)",
        _block_layer_with(extra_blocks=1),
    ),
    Mistake(_ALWAYS_REGULAR, _block_layer_with(block_kind="regular")),
    Mistake(_ALWAYS_REGULAR, _block_layer_with(block_kind="regular", forced_shortcut_factor=1)),
    Mistake(_ALWAYS_BOTTLENECK, _block_layer_with(block_kind="bottleneck")),
    Mistake(
        _ALWAYS_BOTTLENECK, _block_layer_with(block_kind="bottleneck", forced_shortcut_factor=4)
    ),
    Mistake(
        "the blocks are not chained: every block reads `inputs`; each block after "
        "the first must read the previous block's output",
        _block_layer_with(chained=False),
    ),
]


def _case(
    description,
    data_format,
    num_layers,
    size,
    channels,
    filters,
    strides,
    num_blocks,
    index=2,
    is_training=True,
):
    shape = map_shape(data_format, size, channels)
    return Case(
        description,
        data_format,
        shape,
        dict(
            filters=filters,
            strides=strides,
            num_blocks=num_blocks,
            is_training=is_training,
            index=index,
        ),
        num_layers=num_layers,
    )


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case(
                "ResNet-50, 1 bottleneck block, stride 1 (channels_first)",
                "channels_first",
                50,
                6,
                4,
                4,
                1,
                1,
                index=1,
            ),
            _case(
                "ResNet-34, 3 regular blocks, stride 2 on an odd-sized input (channels_last)",
                "channels_last",
                34,
                7,
                4,
                8,
                2,
                3,
                index=3,
            ),
            _case(
                "ResNet-101, 2 bottleneck blocks, stride 2, is_training=False (channels_first)",
                "channels_first",
                101,
                8,
                8,
                4,
                2,
                2,
                index=4,
                is_training=False,
            ),
        ]
    return [
        _case(
            "ResNet-18, 2 regular blocks, stride 1 (channels_last)",
            "channels_last",
            18,
            8,
            8,
            8,
            1,
            2,
        ),
        _case(
            "ResNet-50, 3 bottleneck blocks, stride 2 (channels_last)",
            "channels_last",
            50,
            8,
            8,
            4,
            2,
            3,
        ),
        _case(
            "ResNet-18, 2 regular blocks, stride 2, is_training=False (channels_first)",
            "channels_first",
            18,
            8,
            4,
            8,
            2,
            2,
            is_training=False,
        ),
    ]


def _scope_problem(learner_model, case):
    """The weights must live in the ``block_layer{index}`` name scope (chapter 9 reads it)."""
    scope = f"block_layer{case.kwargs['index']}"
    outside = [v.path for v in learner_model.variables if scope not in v.path.split("/")]
    if outside:
        return (
            f"the weights are not in the block layer's name scope (for example "
            f"`{outside[0]}`): build the blocks inside a `keras.name_scope` named "
            f"block_layer followed by the block layer's index (here `{scope}`)."
        )
    return _block_index_problem(learner_model)


_BLOCK_SCOPE = re.compile(r"(?:regular|bottleneck)_block(.*)")


def _block_index_problem(learner_model):
    """A block's name scope shows the ``index`` it was given: a truth value there means
    the flag and the index traded places (the outputs alone may not show it)."""
    for variable in learner_model.variables:
        for part in variable.path.split("/"):
            found = _BLOCK_SCOPE.fullmatch(part)
            if found and found.group(1) in ("True", "False"):
                return (
                    f"a block was built in the scope `{part}`: it received the training "
                    "flag as its `index` and the index as `is_training`; the block "
                    "functions take `is_training` before `index`, so look at the order "
                    "of the arguments you pass them."
                )
    return None


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    passed = diagnose(
        EXERCISE,
        learner_class,
        ResNetModel,
        "block_layer",
        cases(thorough),
        MISTAKES,
        output_check=_scope_problem,
        modes=MODES,
        accepted_designs=DESIGNS,
    )
    if thorough:  # the hidden run stays silent: the visible one already reported
        return
    if passed.design is not None:
        designs.report(EXERCISE, passed, ResNetModel, "block_layer", COURSE_CHOICE, COST_SETTING)
    else:
        report(EXERCISE, passed)
