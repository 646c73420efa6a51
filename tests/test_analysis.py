"""Sizes and counts measured on built models, against the papers' numbers."""

import functools

import keras
import pytest

from resnet_lesson import BLOCK_LAYER_SIZES, ResNetModel, build_resnet
from resnet_lesson.analysis import (
    CITED_PARAMS_MILLIONS,
    PAPER_GFLOPS,
    TORCHVISION_PARAMS,
    StrideOnSqueezeResNetModel,
    count_multiply_adds,
    count_parameters,
    feature_map_sizes,
    layer_costs,
    measure,
    multiply_adds_by_layer,
    paper_table,
    relative_difference,
)
from resnet_lesson.figures.architecture import plot_counts_vs_paper

FORMATS = ("channels_last", "channels_first")
# Building is the slow part: ResNet-101 and deeper take seconds each.
DEEP = (101, 152, 200)


def depth_param(depth):
    return pytest.param(depth, marks=pytest.mark.slow) if depth in DEEP else depth


def measured(depth, data_format="channels_last"):
    """Build each (depth, format) once per test run; keep only the numbers."""
    return _measured(depth, data_format)


@functools.lru_cache(maxsize=None)
def _measured(depth, data_format):
    row = measure(depth, 224, 1000, data_format)
    keras.backend.clear_session()
    return row


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("depth", [depth_param(d) for d in sorted(BLOCK_LAYER_SIZES)])
def test_feature_map_sizes_at_224(depth, data_format):
    sizes = measured(depth, data_format)["feature_map_sizes"]
    assert list(sizes) == [
        "conv_initial",
        "pool_initial",
        "block_layer1",
        "block_layer2",
        "block_layer3",
        "block_layer4",
    ]
    assert [hw for hw in sizes.values()] == [
        (112, 112),
        (56, 56),
        (56, 56),
        (28, 28),
        (14, 14),
        (7, 7),
    ]


@pytest.mark.parametrize("depth", [depth_param(d) for d in sorted(BLOCK_LAYER_SIZES)])
def test_counts_do_not_depend_on_data_format(depth):
    last, first = measured(depth, "channels_last"), measured(depth, "channels_first")
    assert last["params"] == first["params"]
    assert last["multiply_adds"] == first["multiply_adds"]


@pytest.mark.parametrize("depth", [depth_param(d) for d in sorted(CITED_PARAMS_MILLIONS)])
def test_parameters_within_one_percent_of_the_cited_counts(depth):
    row = measured(depth)
    assert row["cited_params"] == round(CITED_PARAMS_MILLIONS[depth] * 1e6)
    assert abs(relative_difference(row["params"], row["cited_params"])) < 0.01


@pytest.mark.parametrize("depth", [depth_param(d) for d in (18, 34, 101, 152)])
def test_multiply_adds_within_five_percent_of_table_1(depth):
    row = measured(depth)
    assert abs(relative_difference(row["multiply_adds"], row["paper_multiply_adds"])) < 0.05


def test_resnet50_multiply_adds_depend_on_where_the_stride_is():
    """The course strides the 3x3 conv of a bottleneck; Table 1's ResNet-50 strides
    the first 1x1 conv, which is cheaper. Only the latter is within 5% of 3.8."""
    course = measured(50)["multiply_adds"]
    paper_variant = measure(50, model_class=StrideOnSqueezeResNetModel)
    keras.backend.clear_session()
    table = PAPER_GFLOPS[50] * 1e9
    assert abs(relative_difference(paper_variant["multiply_adds"], table)) < 0.05
    assert 0.05 < relative_difference(course, table) < 0.10
    # Moving a stride changes no weight, and the map sizes between block layers.
    assert paper_variant["params"] == measured(50)["params"]
    assert paper_variant["feature_map_sizes"] == measured(50)["feature_map_sizes"]
    # The whole difference is the first 1x1 conv of the three downsampling blocks,
    # which runs on the full map (4 times the outputs); the 3x3 convs cost the same.
    pairs = list(zip(measured(50)["layer_costs"], paper_variant["layer_costs"]))
    changed = [(o, t) for o, t in pairs if o["multiply_adds"] != t["multiply_adds"]]
    assert [ours["scope"] for ours, _ in changed] == [
        f"block_layer{i}/bottleneck_block0" for i in (2, 3, 4)
    ]
    for ours, theirs in changed:
        assert ours["kernel"][:2] == (1, 1) and ours["kernel"] == theirs["kernel"]
        assert ours["multiply_adds"] == 4 * theirs["multiply_adds"]
    assert sum(o["multiply_adds"] - t["multiply_adds"] for o, t in changed) == (
        course - paper_variant["multiply_adds"]
    )


@pytest.mark.parametrize("depth", [depth_param(d) for d in sorted(TORCHVISION_PARAMS)])
def test_parameter_breakdown_recovers_the_v1_count(depth):
    """Less the moving statistics and the identity-shaped projection, with v1's batch
    norms for v2's, the course's count is torchvision's, to the parameter."""
    parts = measured(depth)["parameter_breakdown"]
    assert parts["total"] == measured(depth)["params"]
    # A moving mean and variance for every gamma and beta.
    assert parts["moving_statistics"] == parts["batch_norm_v2"]
    # Only ResNet-18/34's block layer 1 projects 64 channels to 64.
    assert parts["identity_shaped_projections"] == (64 * 64 if depth < 50 else 0)
    assert parts["batch_norm_v1"] > parts["batch_norm_v2"]
    assert parts["v1_count"] == TORCHVISION_PARAMS[depth]
    assert round(TORCHVISION_PARAMS[depth] / 1e6, 1) == CITED_PARAMS_MILLIONS[depth]


def test_layer_costs_name_the_scope_kernel_and_output():
    model = build_resnet(18, 32, 10, data_format="channels_first")
    costs = layer_costs(model)
    assert [c["multiply_adds"] for c in costs] == [n for _, n in multiply_adds_by_layer(model)]
    assert costs[0] == dict(
        name="conv_initial",
        scope="",
        kernel=(7, 7, 3, 64),
        output_size=(16, 16),
        multiply_adds=16 * 16 * 64 * 7 * 7 * 3,
    )
    assert costs[1]["scope"] == "block_layer1/regular_block0"
    assert costs[-1]["name"] == "logits" and costs[-1]["output_size"] == ()


def test_multiply_adds_by_hand_for_resnet18():
    """Every Conv2D and Dense layer of ResNet-18 at 224, counted from the paper's
    layer table by hand: out_h * out_w * out_channels * k * k * in_channels."""
    stem = 112 * 112 * 64 * 7 * 7 * 3
    total = stem
    size, channels = 56, 64
    for index, filters in enumerate((64, 128, 256, 512)):
        out = size if index == 0 else size // 2
        # First block: 3x3 conv (maybe strided), 3x3 conv, 1x1 projection (the
        # course projects in block_layer1 as well, where the paper's v1 does not).
        total += out * out * filters * 9 * channels
        total += out * out * filters * 9 * filters
        total += out * out * filters * 1 * channels
        # Second block: two 3x3 convs, identity shortcut.
        total += 2 * out * out * filters * 9 * filters
        size, channels = out, filters
    total += 512 * 1000  # the logits
    assert measured(18)["multiply_adds"] == total


def test_count_functions_on_a_small_model():
    model = build_resnet(18, 32, 10)
    assert count_parameters(model) == model.count_params()
    assert count_parameters(model, trainable_only=True) == sum(
        w.numpy().size for w in model.trainable_weights
    )
    per_layer = dict(multiply_adds_by_layer(model))
    assert count_multiply_adds(model) == sum(per_layer.values())
    # conv_initial: 16x16 outputs of 64 channels, each a 7x7x3 dot product.
    assert per_layer["conv_initial"] == 16 * 16 * 64 * 7 * 7 * 3
    assert per_layer["logits"] == 512 * 10
    # 16 convs in the blocks, a projection in each block layer's first block (the
    # course's block_layer1 projects too), the stem and the logits.
    assert len(per_layer) == 2 * 8 + 4 + 2
    assert feature_map_sizes(model) == {
        "conv_initial": (16, 16),
        "pool_initial": (8, 8),
        "block_layer1": (8, 8),
        "block_layer2": (4, 4),
        "block_layer3": (2, 2),
        "block_layer4": (1, 1),
    }


def test_counting_multiply_adds_needs_a_fixed_image_size():
    resnet_inputs = keras.Input((None, None, 3))
    logits = ResNetModel(32, 32, 18, 10).model_layers(resnet_inputs, is_training=False)
    model = keras.Model(resnet_inputs, logits)
    with pytest.raises(ValueError, match="fixed image size"):
        count_multiply_adds(model)


def test_paper_table_and_plot():
    rows = paper_table(depths=(18,))
    assert [row["depth"] for row in rows] == [18]
    for row in rows:
        assert row["params"] == measured(row["depth"])["params"]
        assert row["multiply_adds"] == measured(row["depth"])["multiply_adds"]
        assert row["params_vs_cited"] == relative_difference(row["params"], row["cited_params"])
    figure = plot_counts_vs_paper(rows)
    axes = figure.get_axes()
    assert len(axes) == 2
    # Two bars (measured, paper) per depth in each panel, at the measured heights.
    params_bars = [bar.get_height() for bar in axes[0].patches]
    assert params_bars == pytest.approx([rows[0]["params"] / 1e6, 11.7])
    gflops_bars = [bar.get_height() for bar in axes[1].patches]
    assert gflops_bars == pytest.approx([rows[0]["multiply_adds"] / 1e9, 1.8])
