"""He et al.'s (2016b) unit variants do what their formulas say, and the ablation runner
and its saved studies hold every kind the chapters draw."""

import matplotlib

matplotlib.use("Agg")

import keras
import numpy as np
import pytest

from resnet_lesson.experiments import ablations
from resnet_lesson.experiments.unit_variants import (
    ORDERINGS,
    SHORTCUTS,
    UnitLayers,
    build_unit_stack,
    combine,
    residual_function,
)
from resnet_lesson.figures.ablations import plot_unit_study

WIDTH = 8


def unit_pieces(shortcut="identity", ordering="original"):
    """A one-unit model returning ``(x, F(x), h(x) + F(x))``."""
    x = keras.Input((4, 4, WIDTH))
    f = residual_function(x, ordering, WIDTH, UnitLayers("u", 0.9))
    return keras.Model(x, [x, f, combine(x, f, shortcut, WIDTH, "u")])


def zero_branch_end(model):
    """Zero the weights of the layer that ends F (original units: its second batch norm)."""
    layer = model.get_layer("u_bn2")
    for weight in layer.trainable_weights:
        weight.assign(np.zeros(weight.shape, weight.dtype))


def inputs(seed=0):
    return np.random.default_rng(seed).normal(size=(2, 4, 4, WIDTH)).astype("float32")


@pytest.mark.parametrize(
    "shortcut, scale",
    [("identity", 1.0), ("scaled shortcut", 0.5), ("scaled both", 0.5), ("dropout shortcut", 0.5)],
)
def test_a_zero_branch_leaves_the_shortcut_alone(shortcut, scale):
    model = unit_pieces(shortcut)
    zero_branch_end(model)
    x, f, y = (np.asarray(t) for t in model(inputs(), training=False))
    assert np.all(f == 0)
    np.testing.assert_allclose(y, scale * x, rtol=1e-6)


def test_scaled_both_halves_the_branch_too():
    x, f, y = (np.asarray(t) for t in unit_pieces("scaled both")(inputs(), training=False))
    assert np.abs(f).max() > 0
    np.testing.assert_allclose(y, 0.5 * x + 0.5 * f, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "shortcut, bias", [("exclusive gating", -6.0), ("shortcut-only gating", 0.0)]
)
def test_gates_start_where_their_bias_puts_them(shortcut, bias):
    model = unit_pieces(shortcut)
    model.get_layer("u_gate").kernel.assign(np.zeros((1, 1, WIDTH, WIDTH), "float32"))
    x, f, y = (np.asarray(t) for t in model(inputs(), training=False))
    g = 1 / (1 + np.exp(-bias))
    expected = (1 - g) * x + (g * f if shortcut == "exclusive gating" else f)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


def test_a_1x1_conv_shortcut_with_the_identity_kernel_is_the_identity():
    model = unit_pieces("1x1 conv shortcut")
    model.get_layer("u_shortcut_conv").kernel.assign(np.eye(WIDTH, dtype="float32")[None, None])
    x, f, y = (np.asarray(t) for t in model(inputs(), training=False))
    np.testing.assert_allclose(y, x + f, rtol=1e-5, atol=1e-6)


def test_the_dropout_shortcut_keeps_or_drops_each_entry_while_training():
    model = unit_pieces("dropout shortcut")
    zero_branch_end(model)
    x, _, y = (np.asarray(t) for t in model(inputs(), training=True))
    kept = np.isclose(y, x)
    assert np.all(kept | (y == 0))
    assert 0.2 < kept.mean() < 0.8


def test_relu_before_addition_makes_the_branch_non_negative():
    _, f, _ = unit_pieces(ordering="ReLU before addition")(inputs(), training=True)
    assert np.asarray(f).min() >= 0


def test_orderings_share_one_parameter_budget():
    counts = {
        ordering: build_unit_stack(8, ordering=ordering).count_params() for ordering in ORDERINGS
    }
    assert len(set(counts.values())) == 1, counts


def test_full_pre_activation_units_with_zero_last_convs_pass_their_input_through():
    model = build_unit_stack(8, ordering="full pre-activation")
    for layer in model.layers:
        if layer.name.endswith("_conv2"):
            layer.kernel.assign(np.zeros(layer.kernel.shape, "float32"))
    stem = keras.Model(model.input, model.get_layer("conv_initial").output)
    last_sum = keras.Model(model.input, model.get_layer("final_bn").input)
    images = np.random.default_rng(1).random((2, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(last_sum(images), stem(images), rtol=1e-6)


def test_the_paper_varies_the_shortcut_with_the_original_ordering_only():
    with pytest.raises(ValueError, match="original ordering"):
        build_unit_stack(8, shortcut="scaled shortcut", ordering="full pre-activation")
    with pytest.raises(ValueError, match="kinds"):
        ablations.unit_kwargs("shortcuts", "full pre-activation")


def test_run_units_records_every_kind_and_seed_and_draws_them():
    results = ablations.run_units("shortcuts", ["identity", "scaled shortcut"], 4, 1, seeds=(0, 1))
    record = ablations.to_record(results, epoch_points=5)
    for kind in ("identity", "scaled shortcut"):
        run = record["runs"][kind]
        assert len(run["train_error"]) == len(run["test_error"]) == len(run["loss_curve"]) == 2
        assert all(0 <= e <= 1 for e in run["train_error"] + run["test_error"])
        assert len(run["loss_curve"][0]) == 5
    lines = ablations.summary_lines(record, ablations.paper_errors("shortcuts"))
    assert "scaled shortcut" in lines and "fail" in lines and "6.61" in lines
    figure = plot_unit_study(record, ablations.paper_errors("shortcuts"), "paper")
    assert len(figure.axes) == 2


@pytest.mark.parametrize("ablation, kinds", [("shortcuts", SHORTCUTS), ("orderings", ORDERINGS)])
def test_the_saved_studies_hold_every_kind_over_several_seeds(ablation, kinds):
    study = ablations.load_study(ablation)
    assert study is not None, f"docs/results has no {ablation} study"
    records = list(study["depths"].values())
    assert any(list(record["runs"]) == list(kinds) for record in records), "a depth with every kind"
    for record in records:
        assert set(record["runs"]) <= set(kinds)
        assert len(record["settings"]["seeds"]) >= 3
        for run in record["runs"].values():
            assert len(run["train_error"]) == len(record["settings"]["seeds"])
