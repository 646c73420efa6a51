"""The block diagrams (one draw_block for every chapter) and the per-block listing of a
built network."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from resnet_lesson import build_resnet  # noqa: E402
from resnet_lesson.analysis import blocks_of  # noqa: E402
from resnet_lesson.figures.architecture import block_stack_figure  # noqa: E402
from resnet_lesson.figures.blocks import (  # noqa: E402
    block_diagrams,
    block_layers,
    draw_block,
    shortcut_kinds,
    v1_v2_blocks,
)


def test_block_layers_list_the_convs_of_each_block():
    regular = block_layers("regular", 64, 2)
    bottleneck = block_layers("bottleneck", 64, 2)
    assert [channels for _, channels in regular] == [None, 64, None, 64]
    assert [channels for _, channels in bottleneck] == [None, 64, None, 64, None, 256]
    assert "stride 2" in regular[1][0] and "stride" not in regular[3][0]
    assert "3x3" in bottleneck[3][0] and "stride 2" in bottleneck[3][0]
    with pytest.raises(ValueError):
        block_layers("plain", 64, 1)


def test_the_four_block_diagram_draws():
    figure = block_diagrams()
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert len(figure.axes) == 4
    assert "input x: 256 channels" in texts and "1x1 conv, 256\nstride 2" in texts
    plt.close(figure)


def _top_to_bottom(ax):
    """The texts of one panel from top to bottom (boxes, the "+", labels)."""
    texts = sorted(ax.texts, key=lambda t: -t.get_position()[1])
    return [t.get_text() for t in texts if t.get_text()]  # arrows are empty annotations


def test_v1_puts_a_relu_after_the_addition_and_v2_does_not():
    figure = v1_v2_blocks()
    v1, v2 = (_top_to_bottom(ax) for ax in figure.axes)
    assert v1[v1.index("+") + 1] == "ReLU"
    assert v2[v2.index("+") - 1] == "3x3 conv" and v2[v2.index("+") + 1] == "output"
    assert v1[1:3] == ["3x3 conv", "BN"] and v2[1:3] == ["BN", "ReLU"]
    plt.close(figure)


def test_the_projection_leaves_from_the_pre_activated_input():
    figure = shortcut_kinds()
    identity, projection = figure.axes
    assert "identity shortcut" in _top_to_bottom(identity)
    texts = _top_to_bottom(projection)
    assert "projection" in texts and "identity shortcut" not in texts
    # The branch point is labelled below the first pre-activation (BN, ReLU).
    assert texts.index("pre-activated x") > texts.index("ReLU")
    plt.close(figure)


def test_arrows_carry_channel_counts_only_when_given():
    figure, (with_counts, without) = plt.subplots(1, 2)
    draw_block(with_counts, [("BN + ReLU", None), ("1x1 conv, 16", 16)], in_channels=64)
    draw_block(without, ["BN", "ReLU", "3x3 conv"])
    assert _top_to_bottom(with_counts).count("64") == 2  # into the pre-activation, out of it
    assert "16" in _top_to_bottom(with_counts)
    assert not any(t.isdigit() for t in _top_to_bottom(without))
    plt.close(figure)


@pytest.mark.parametrize(
    "depth, data_format, kinds, channels",
    [
        (18, "channels_last", "regular", [64, 128, 256, 512]),
        (50, "channels_first", "bottleneck", [256, 512, 1024, 2048]),
    ],
)
def test_blocks_of_a_built_network(depth, data_format, kinds, channels):
    model = build_resnet(depth, image_size=64, num_classes=10, data_format=data_format)
    blocks = blocks_of(model)
    expected_counts = {18: [2, 2, 2, 2], 50: [3, 4, 6, 3]}[depth]
    assert [sum(b["block_layer"] == i + 1 for b in blocks) for i in range(4)] == expected_counts
    assert all(b["kind"] == kinds for b in blocks)
    # Only the first block of each block layer projects.
    assert [b["block"] for b in blocks if b["projection"]] == [0, 0, 0, 0]
    sizes = {18: 16, 50: 16}[depth]
    for b in blocks:
        out_channels = channels[b["block_layer"] - 1]
        size = sizes // 2 ** max(b["block_layer"] - 1, 0)
        expected = (
            (out_channels, size, size)
            if data_format == "channels_first"
            else (size, size, out_channels)
        )
        assert b["output_shape"] == expected
    figure = block_stack_figure(model)
    assert len(figure.axes[0].patches) == len(blocks)
    plt.close(figure)


def test_chapter_6_draws_the_regular_block_only():
    figure = block_diagrams(kinds=("regular",))
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == ["Regular block\n(identity shortcut)", "Regular block\n(projection shortcut)"]
    plt.close(figure)


def test_chapter_7_draws_the_bottleneck_idea_without_its_recipe():
    # Chapter 7 asks for the whole block: its figure gives the widths (arrows), the
    # map's size in and out, and the roles, never each conv's kernel and stride.
    figure = block_diagrams(filters=64, strides=2, kinds=("bottleneck",), recipe=False)
    identity, projection = (_top_to_bottom(ax) for ax in figure.axes)
    roles = ["squeeze conv", "spatial conv", "expand conv"]
    assert [t for t in identity if "conv" in t] == roles
    # The projection panel adds only the shortcut's box (chapter 5's 1x1 projection).
    assert [t for t in projection if "conv" in t and t not in roles] == ["1x1 conv, 256\nstride 2"]
    assert not any("3x3" in t or "stride" in t for t in identity)
    assert "input x: 56x56, 128 channels" in projection
    assert "output: 28x28, 256 channels\n(no ReLU after the sum)" in projection
    plt.close(figure)
