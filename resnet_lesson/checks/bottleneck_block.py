"""Chapter 7 check: ``bottleneck_block``, the whole body (the name scope, the
pre-activation and shortcut, the 1x1 squeeze, 3x3 and 1x1 expand to ``4 * filters``,
each pre-activated, and the sum).

Which conv strides is an open decision: the course strides the 3x3 conv; striding the
squeeze instead, as the original ResNet-50 did, is an accepted design (``designs.py``).

The learner also makes the shortcut, with their chapter 5 method. A shortcut made with
the wrong parameters fails the same way as a branch of the wrong width (two tensors
that cannot be added, whose error text is symmetric), so when the block fails, the
check watches the arguments that method receives and names a wrong one
(``shortcut_arguments.py``).
"""

import keras

from resnet_lesson.checks import designs, integrity, shortcut_arguments
from resnet_lesson.checks.engine import diagnose, report
from resnet_lesson.checks.pieces import BARE_CALL, Mistake, block_case
from resnet_lesson.checks.session import exercise_check
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.model import ResNetModel
from resnet_lesson.model import ResNetModel as _CourseModel
from resnet_lesson.model_variants import StrideOnSqueezeResNetModel

EXERCISE = "bottleneck_block"
# training= given explicitly overrides the flag the learner passed on; a bare call is
# where a batch norm that ignores `is_training` shows.
MODES = (True, False, BARE_CALL)


def _bottleneck_block_with(
    conv1_reads="pre_activated1",
    conv1_filters_factor=1,
    conv1_kernel=1,
    conv1_strided=False,
    pre_activate_conv1=True,
    conv2_filters_factor=1,
    conv2_kernel=3,
    conv2_reads="pre_activated2",
    conv2_strided=True,
    conv3_filters_factor=4,
    conv3_strided=False,
    conv3_kernel=1,
    pre_activate_conv2=True,
    conv3_reads="pre_activated3",
    conv3_bias=False,
    added="shortcut",
    relu_after_add=False,
    add_style="plus",
):
    """The reference block with one twist: the building material of the known mistakes."""

    def bottleneck_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        shortcut_params = (shortcut_filters, strides)
        pre_activated1, shortcut = self.pre_activation_with_shortcut(
            inputs, is_training, shortcut_params
        )
        conv1_input = {
            "pre_activated1": pre_activated1,
            "inputs": inputs,
            "shortcut": shortcut,
        }[conv1_reads]
        conv1 = self.custom_conv2d(
            conv1_input,
            conv1_filters_factor * filters,
            conv1_kernel,
            strides if conv1_strided else 1,
        )
        pre_activated2 = self.pre_activation(conv1, is_training) if pre_activate_conv1 else conv1
        conv2_input = {"pre_activated2": pre_activated2, "pre_activated1": pre_activated1}[
            conv2_reads
        ]
        conv2 = self.custom_conv2d(
            conv2_input,
            conv2_filters_factor * filters,
            conv2_kernel,
            strides if conv2_strided else 1,
        )
        pre_activated3 = self.pre_activation(conv2, is_training) if pre_activate_conv2 else conv2
        conv3_input = {
            "pre_activated3": pre_activated3,
            "pre_activated2": pre_activated2,
            "conv2": conv2,
        }[conv3_reads]
        conv3_filters = conv3_filters_factor * filters
        conv3_strides = strides if conv3_strided else 1
        if conv3_bias:
            conv3 = keras.layers.Conv2D(
                conv3_filters,
                conv3_kernel,
                conv3_strides,
                padding="same",
                data_format=self.data_format,
            )(conv3_input)
        else:
            conv3 = self.custom_conv2d(conv3_input, conv3_filters, conv3_kernel, conv3_strides)
        if added is None:
            return conv3
        other = {"shortcut": shortcut, "inputs": inputs, "pre_activated1": pre_activated1}[added]
        outputs = _added(conv3, other, add_style)
        return keras.layers.ReLU()(outputs) if relu_after_add else outputs

    return bottleneck_block


_STRIDES_TWICE = (
    "two convs stride, so the branch shrinks the map twice: exactly one conv uses "
    "`strides`, the 3x3 conv (the course's choice) or the squeeze (the original "
    "ResNet's), and the others, the expand included, stride 1"
)

# Where the stride goes: chapter 9's model of the original ResNet-50 strides the squeeze.
DESIGNS = [
    designs.Design(
        "the stride on the squeeze",
        "the first 1x1 conv strides and the 3x3 conv keeps the size, so the 3x3 conv "
        "reads a map a quarter the size",
        "He et al. 2016a's original ResNet-50/101/152, whose multiply-adds Table 1 counts",
        StrideOnSqueezeResNetModel.bottleneck_block,
    ),
]
COURSE_CHOICE = "the stride on the 3x3 conv, as in fb.resnet.torch and TensorFlow's ResNet"
COST_SETTING = designs.CostSetting(num_layers=50)

# The ways of adding two tensors whose build errors differ when their shapes do: a
# build error is matched by its text, so each way is a mistake of its own.
ADD_STYLES = ("plus", "plus_reversed", "layer", "layer_reversed")


def _added(branch, other, add_style):
    return {
        "plus": lambda: branch + other,
        "plus_reversed": lambda: other + branch,
        "layer": lambda: keras.layers.Add()([branch, other]),
        "layer_reversed": lambda: keras.layers.Add()([other, branch]),
    }[add_style]()


# Only a projection tells `inputs` from `shortcut` (with the identity they are the same
# tensor): it stays before the `pre_activated1` mistake, which fails the same way there.
_ADDS_INPUTS = (
    "the block adds its raw `inputs` where the shortcut belongs: with a projection "
    "the input has another shape; add the shortcut that your chapter 5 method returns"
)
# With the identity the shortcut *is* the raw input, so both spellings are one mistake.
_SQUEEZES_RAW_INPUT = (
    "the branch starts from the raw input (`inputs`, or the shortcut made from it) "
    "instead of the pre-activated one: in v2 every conv reads a pre-activated input, "
    "and your chapter 5 method returns it beside the shortcut"
)

MISTAKES = [
    Mistake(
        "the shortcut is not added: the block returns its branch alone, so a block whose "
        "branch is zero returns zero instead of its input; look at what the block returns",
        _bottleneck_block_with(added=None),
    ),
    # The stride on the squeeze is an accepted design; on the expand it is not.
    Mistake(
        "the expand (the last 1x1 conv) strides instead of the 3x3 conv: the 3x3 conv "
        "then runs on the full map and the expand throws three quarters of its outputs "
        "away; stride the 3x3 conv (the course's choice) or the squeeze (the original "
        "ResNet's)",
        _bottleneck_block_with(conv3_strided=True, conv2_strided=False),
    ),
    # Striding twice fails to build the same way whichever 1x1 conv strides too, so the
    # two mistakes share one sentence.
    Mistake(_STRIDES_TWICE, _bottleneck_block_with(conv1_strided=True)),
    Mistake(_STRIDES_TWICE, _bottleneck_block_with(conv3_strided=True)),
    Mistake(
        "no conv strides, so the branch keeps the input's size while the shortcut "
        "shrinks: one conv must use `strides`, the 3x3 conv (the course's choice) or "
        "the squeeze",
        _bottleneck_block_with(conv2_strided=False),
    ),
    Mistake(_SQUEEZES_RAW_INPUT, _bottleneck_block_with(conv1_reads="inputs")),
    Mistake(_SQUEEZES_RAW_INPUT, _bottleneck_block_with(conv1_reads="shortcut")),
    Mistake(
        "the squeeze (the first 1x1 conv) does not squeeze: it has four times `filters` "
        "filters; the 1x1 conv at the start narrows the channels to `filters`",
        _bottleneck_block_with(conv1_filters_factor=4),
    ),
    Mistake(
        "the squeeze is not a 1x1 conv: look at the kernel size of the first conv",
        _bottleneck_block_with(conv1_kernel=3),
    ),
    Mistake(
        "the 3x3 conv reads the squeeze's output directly: in v2 every conv reads a "
        "pre-activated input, so the pre-activation between the squeeze and the 3x3 conv "
        "is missing",
        _bottleneck_block_with(pre_activate_conv1=False),
    ),
    Mistake(
        "the 3x3 conv reads the pre-activated input of the block, so the squeeze is "
        "never used: look at which tensor feeds the middle conv",
        _bottleneck_block_with(conv2_reads="pre_activated1"),
    ),
    Mistake(
        "the middle conv is not a 3x3 conv: it does the block's spatial work; look at "
        "its kernel size",
        _bottleneck_block_with(conv2_kernel=1),
    ),
    Mistake(
        "the 3x3 conv has four times `filters` filters: it works on the narrow width, "
        "`filters`; only the expand widens",
        _bottleneck_block_with(conv2_filters_factor=4),
    ),
    Mistake(
        "the expand (the last 1x1 conv) has `filters` filters: it must widen the channels "
        "to four times `filters`, the width of the shortcut",
        _bottleneck_block_with(conv3_filters_factor=1),
    ),
    Mistake(
        "the expand is not a 1x1 conv: look at the kernel size of the last conv",
        _bottleneck_block_with(conv3_kernel=3),
    ),
    Mistake(
        "the expand reads the 3x3 conv's output directly: in v2 every conv reads a "
        "pre-activated input, so the pre-activation before the expand is missing",
        _bottleneck_block_with(pre_activate_conv2=False),
    ),
    Mistake(
        "the expand reads the pre-activated squeeze, so the 3x3 conv's output is never "
        "used: look at which tensor feeds the last conv",
        _bottleneck_block_with(conv3_reads="pre_activated2"),
    ),
    *(
        Mistake(_ADDS_INPUTS, _bottleneck_block_with(added="inputs", add_style=style))
        for style in ADD_STYLES
    ),
    Mistake(
        "the block adds the pre-activated input; add the shortcut, which is the raw input "
        "(or its projection), not the normalized one",
        _bottleneck_block_with(added="pre_activated1"),
    ),
    Mistake(
        "there is a ReLU after the addition: that is the original (v1) block; in v2 "
        "the block ends with the bare addition",
        _bottleneck_block_with(relu_after_add=True),
    ),
    Mistake(
        "the expand has a bias: build it with `self.custom_conv2d`, which leaves the bias "
        "to the next batch norm",
        _bottleneck_block_with(conv3_bias=True),
    ),
]


def _scope_problem(learner_model, case):
    """Everything the block makes lives in the ``bottleneck_block{index}`` name scope
    (chapter 9 reads the scopes to find each block); a weight's path shows it."""
    scope = f"bottleneck_block{case.kwargs['index']}"
    outside = [v.path for v in learner_model.variables if scope not in v.path.split("/")]
    if not outside:
        return None
    return (
        f"a layer of the block is made outside its name scope: the weight `{outside[0]}` "
        f"has no `{scope}` in its path (for {case.description}); the contract puts "
        "everything the block makes, the shortcut's batch norm included, in the scope "
        f"named after the block and its `index` (here `{scope}`)."
    )


def _case(*block_case_args, is_training=True, index=0):
    """A case of ``block_case``'s arguments at depth 50, for the block numbered ``index``
    (not always 0: the check reads the name scope, which must follow it)."""
    case = block_case(*block_case_args, num_layers=50, is_training=is_training)
    case.kwargs["index"] = index
    return case


def cases(thorough=False):
    if thorough:  # the hidden test's own cases: its cell has just run the others
        return [
            _case(
                "stride 1 with the identity shortcut (channels_first)",
                "channels_first",
                6,
                16,
                4,
                1,
                None,
                index=3,
            ),
            _case(
                "stride 2 on an odd-sized input, is_training=False (channels_last)",
                "channels_last",
                7,
                12,
                3,
                2,
                12,
                is_training=False,
            ),
            _case(
                "stride 1 with a widening projection, as in ResNet-50's first block "
                "(channels_last)",
                "channels_last",
                5,
                4,
                4,
                1,
                16,
                index=1,
            ),
        ]
    return [
        _case(
            "stride 1 with the identity shortcut (channels_last)",
            "channels_last",
            8,
            16,
            4,
            1,
            None,
        ),
        _case(
            "stride 2 with a projection shortcut (channels_last)",
            "channels_last",
            8,
            8,
            4,
            2,
            16,
            index=2,
        ),
        _case(
            "stride 2 with a projection shortcut, is_training=False (channels_first)",
            "channels_first",
            8,
            8,
            4,
            2,
            16,
            is_training=False,
        ),
    ]


@exercise_check(EXERCISE, _CourseModel)
def check(learner_class, thorough=False):
    """Raise CheckFailed naming the mistake, or print a success line."""
    checked = cases(thorough)
    try:
        passed = diagnose(
            EXERCISE,
            learner_class,
            ResNetModel,
            "bottleneck_block",
            checked,
            MISTAKES,
            output_check=_scope_problem,
            modes=MODES,
            accepted_designs=DESIGNS,
        )
    except integrity.CheckTampered:
        raise
    except CheckFailed:
        # A wrong shortcut is named from what the chapter 5 method received; other
        # failures keep the engine's sentence.
        problem = shortcut_arguments.problem(learner_class, EXERCISE, checked)
        if problem:
            raise CheckFailed(EXERCISE, problem) from None
        raise
    if thorough:  # the hidden run stays silent: the visible one already reported
        return
    if passed.design is not None:
        designs.report(
            EXERCISE, passed, ResNetModel, "bottleneck_block", COURSE_CHOICE, COST_SETTING
        )
    else:
        report(EXERCISE, passed)
