"""Open design decisions (chapters 5, 7 and 8): every accepted design passes and names
itself with its cost; wrong designs and mixtures of designs are still rejected.

The learners below are written here, not taken from the checks' ``DESIGNS``, so that a
design the check builds wrongly would fail them. The expected cost differences are
worked out by hand from the layers each design removes or moves (a 1x1 conv from
``c_in`` to ``c_out`` channels has ``c_in * c_out`` weights and as many multiply-adds per
output pixel).
"""

import re

import keras
import pytest
from conftest import check_as_graded, check_failure

from resnet_lesson.checks import block_layer, bottleneck_block, designs, regular_block
from resnet_lesson.checks import pre_activation_with_shortcut as shortcut_check
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.model import ResNetModel


def _differences(out):
    """The signed differences the design line prints: (parameters, multiply-adds)."""
    found = re.findall(r"\(([+-][\d,]+), [+-][\d.]+%\)", out)
    assert len(found) == 2, out
    return tuple(int(text.replace(",", "")) for text in found)


# -- chapter 5: option A (zero-padded identity) against option B (projection) ---------


def _option_a(split=False, source="inputs"):
    """Option A as a learner might write it; ``source="pre_activated"`` subsamples the
    normalized input instead (a wrong variant)."""

    class Learner(ResNetModel):
        def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
            shortcut_filters, strides = shortcut_params
            pre_activated = self.pre_activation(inputs, is_training)
            if shortcut_filters is None:
                return pre_activated, inputs
            axis = 1 if self.data_format == "channels_first" else 3
            # Subsampling by a 1x1 pooling window, a spelling of its own.
            pooled = keras.layers.MaxPooling2D(1, strides, data_format=self.data_format)(
                inputs if source == "inputs" else pre_activated
            )
            missing = shortcut_filters - inputs.shape[axis]
            zeros_before = missing // 2 if split else 0
            pads = [(0, 0)] * 4
            pads[axis] = (zeros_before, missing - zeros_before)
            return pre_activated, keras.ops.pad(pooled, pads)

    return Learner


# ResNet-18's projections: 64->64 (block layer 1), 64->128, 128->256, 256->512.
_RESNET18_PROJECTION_WEIGHTS = 64 * 64 + 64 * 128 + 128 * 256 + 256 * 512
# Each projection's output map at 224x224: 56, 28, 14 and 7 pixels on a side.
_RESNET18_PROJECTION_MULTIPLY_ADDS = (
    56 * 56 * 64 * 64 + 28 * 28 * 64 * 128 + 14 * 14 * 128 * 256 + 7 * 7 * 256 * 512
)


@pytest.mark.parametrize("split", [False, True], ids=["zeros-after", "zeros-split"])
def test_option_a_passes_and_names_its_cost(split, capsys):
    check_as_graded(shortcut_check, _option_a(split))
    out = capsys.readouterr().out
    assert out.count("pre_activation_with_shortcut is correct with another valid design") == 1
    assert "option A (He et al. 2016a" in out
    assert "ResNet-18 at 224x224" in out
    assert _differences(out) == (
        -_RESNET18_PROJECTION_WEIGHTS,
        -_RESNET18_PROJECTION_MULTIPLY_ADDS,
    )


def test_option_a_from_the_pre_activated_input_is_named():
    assert "the zero-padded shortcut is made from `pre_activated`" in check_failure(
        shortcut_check, _option_a(source="pre_activated")
    )


def test_a_mixture_of_options_fails_the_hidden_cases():
    """Option A where the block strides, a projection where it only widens: the visible
    cases all stride, so only the hidden ones (a stride-1 widening) see the mixture, and
    no single design gives every case."""

    class Learner(ResNetModel):
        def pre_activation_with_shortcut(self, inputs, is_training, shortcut_params):
            shortcut_filters, strides = shortcut_params
            if shortcut_filters is not None and strides == 1:
                pre_activated = self.pre_activation(inputs, is_training)
                return pre_activated, self.custom_conv2d(pre_activated, shortcut_filters, 1, 1)
            return _option_a().pre_activation_with_shortcut(
                self, inputs, is_training, shortcut_params
            )

    shortcut_check.check(Learner)  # the visible cases: option A throughout
    with pytest.raises(CheckFailed):
        shortcut_check.check(Learner, thorough=True)


# -- chapter 6: no open decision; He et al. 2016b's worse arrangements stay wrong ------


def _regular_block(finish):
    """A regular block whose end, after conv2, is ``finish(self, conv2, shortcut, t)``."""

    class Learner(ResNetModel):
        def regular_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            with keras.name_scope(f"regular_block{index}"):
                pre_activated1, shortcut = self.pre_activation_with_shortcut(
                    inputs, is_training, (shortcut_filters, strides)
                )
                conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
                conv2 = self.custom_conv2d(self.pre_activation(conv1, is_training), filters, 3, 1)
                return finish(self, conv2, shortcut, is_training)

    return Learner


@pytest.mark.parametrize(
    "finish, expected",
    [
        (
            lambda self, conv2, shortcut, t: self.pre_activation(conv2 + shortcut, t),
            "the sum is pre-activated",
        ),
        (
            lambda self, conv2, shortcut, t: keras.ops.relu(conv2) + shortcut,
            "the branch ends with a ReLU before the addition",
        ),
    ],
    ids=["bn-after-addition", "relu-before-addition"],
)
def test_the_worse_arrangements_of_2016b_are_named(finish, expected):
    assert expected in check_failure(regular_block, _regular_block(finish))


# -- chapter 7: the stride on the 3x3 conv against the stride on the squeeze ----------


def _bottleneck(stride_on):
    """A whole bottleneck body whose stride is on ``stride_on`` ("squeeze" or "expand")."""

    class Learner(ResNetModel):
        def bottleneck_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            with keras.name_scope(f"bottleneck_block{index}"):
                pre_activated1, shortcut = self.pre_activation_with_shortcut(
                    inputs, is_training, (shortcut_filters, strides)
                )
                squeeze_stride = strides if stride_on == "squeeze" else 1
                expand_stride = strides if stride_on == "expand" else 1
                x = self.custom_conv2d(pre_activated1, filters, 1, squeeze_stride)
                x = self.custom_conv2d(self.pre_activation(x, is_training), filters, 3, 1)
                x = self.pre_activation(x, is_training)
                return shortcut + self.custom_conv2d(x, 4 * filters, 1, expand_stride)

    return Learner


def test_the_stride_on_the_squeeze_passes_and_names_its_cost(capsys):
    check_as_graded(bottleneck_block, _bottleneck("squeeze"))
    out = capsys.readouterr().out
    assert "the stride on the squeeze (He et al. 2016a" in out
    assert "ResNet-50 at 224x224" in out
    # Same weights; the three strided squeezes run on a quarter of the map: in block
    # layers 2 to 4 the squeeze reads 56, 28, 14 pixels a side (256, 512, 1024
    # channels, squeezed to 128, 256, 512) and now writes half that size.
    full_map = 56 * 56 * 256 * 128 + 28 * 28 * 512 * 256 + 14 * 14 * 1024 * 512
    assert _differences(out) == (0, -(full_map * 3 // 4))


def test_the_stride_on_the_expand_is_named():
    assert "the expand (the last 1x1 conv) strides instead" in check_failure(
        bottleneck_block, _bottleneck("expand")
    )


# -- chapter 8: identity or projection where the first block keeps the shape ----------


def _block_layer(first_shortcut):
    """A block layer whose first block's shortcut filters are ``first_shortcut(self,
    inputs, strides, width)``."""

    class Learner(ResNetModel):
        def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
            with keras.name_scope(f"block_layer{index}"):
                block = self.bottleneck_block if self.bottleneck else self.regular_block
                width = 4 * filters if self.bottleneck else filters
                x = block(
                    inputs,
                    filters,
                    strides,
                    is_training,
                    0,
                    shortcut_filters=first_shortcut(self, inputs, strides, width),
                )
                for i in range(1, num_blocks):
                    x = block(x, filters, 1, is_training, i)
                return x

    return Learner


def _identity_where_shapes_match(self, inputs, strides, width):
    channels = inputs.shape[1 if self.data_format == "channels_first" else -1]
    return width if strides != 1 or channels != width else None


def test_the_identity_where_shapes_match_passes_and_names_its_cost(capsys):
    check_as_graded(block_layer, _block_layer(_identity_where_shapes_match))
    out = capsys.readouterr().out
    assert "the identity where the shapes match (He et al. 2016a's option B" in out
    # ResNet-18 loses block layer 1's 64->64 projection, on a 56x56 map.
    assert _differences(out) == (-64 * 64, -56 * 56 * 64 * 64)


def test_no_projection_at_all_is_still_named():
    """Without shortcut filters, a block that changes the shape cannot be built: the
    identity design holds only where the shapes match."""
    message = check_failure(block_layer, _block_layer(lambda self, inputs, strides, width: None))
    assert "the first block has no projection shortcut" in message


def test_a_projection_on_every_block_is_still_named():
    class Learner(ResNetModel):
        def block_layer(self, inputs, filters, strides, num_blocks, is_training, index):
            with keras.name_scope(f"block_layer{index}"):
                block = self.bottleneck_block if self.bottleneck else self.regular_block
                width = 4 * filters if self.bottleneck else filters
                x = inputs
                for i in range(num_blocks):
                    x = block(x, filters, strides if i == 0 else 1, is_training, i, width)
                return x

    assert "every block has a projection shortcut" in check_failure(block_layer, Learner)


# -- the mechanism ----------------------------------------------------------------------


def test_the_course_answer_follows_no_design(capsys):
    """The reference passes as the course's own choice, with the usual line."""
    bottleneck_block.check(ResNetModel)
    out = capsys.readouterr().out
    assert "bottleneck_block is correct: same outputs" in out
    assert "another valid design" not in out


@pytest.mark.parametrize("check_module", [shortcut_check, bottleneck_block, block_layer])
def test_every_design_is_cited_and_differs_from_the_course(check_module):
    """A design must tell the learner who used it, and be a real alternative: on the
    check's own cases it must give other outputs than the reference somewhere."""
    from resnet_lesson.checks.engine import diagnose
    from resnet_lesson.checks.pieces import with_method

    method_name = check_module.EXERCISE
    for design in check_module.DESIGNS:
        assert re.search(r"He et al\. 2016[ab]", design.citation)
        assert design.description and design.name
        learner = with_method(ResNetModel, method_name, design.method)
        passed = diagnose(
            check_module.EXERCISE,
            learner,
            ResNetModel,
            method_name,
            check_module.cases(),
            [],
            accepted_designs=check_module.DESIGNS,
        )
        assert passed.design is not None
        assert designs.cost_words(ResNetModel, method_name, design, check_module.COST_SETTING)
