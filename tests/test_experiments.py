"""Behavioural tests of the measured experiments (chapters 1, 4 and 6), on tiny settings
(seconds, not minutes).

They check structure and exact identities, never timings or seed-dependent orderings.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resnet_lesson import experiments  # noqa: E402
from resnet_lesson.data import load_digits_images  # noqa: E402
from resnet_lesson.experiments.steps import seeded_batches  # noqa: E402
from resnet_lesson.figures.activation_order import (  # noqa: E402
    plot_activation_order,
    plot_propagation,
)
from resnet_lesson.figures.experiments import (  # noqa: E402
    plot_degradation,
    plot_degradation_study,
    plot_gradient_norms,
    plot_zero_mapping,
)
from resnet_lesson.figures.growing import plot_growing  # noqa: E402


@pytest.mark.parametrize("depth", [4, 8, 20])
def test_plain_and_residual_differ_only_by_the_shortcut(depth):
    keras.utils.set_random_seed(0)
    plain = experiments.build_stack(depth, residual=False)
    keras.utils.set_random_seed(0)
    residual = experiments.build_stack(depth, residual=True)
    num_blocks = (depth - 2) // 2
    assert experiments.count_add_layers(plain) == 0
    assert experiments.count_add_layers(residual) == num_blocks
    # Identity shortcuts carry no weights: the parameter counts are equal...
    assert plain.count_params() == residual.count_params()
    # ...and with the same seed the initial weights are the same too.
    assert len(plain.weights) == len(residual.weights)
    for w_plain, w_residual in zip(plain.weights, residual.weights):
        np.testing.assert_array_equal(np.asarray(w_plain), np.asarray(w_residual))
    # depth counts weighted layers: the convs plus the dense layer.
    assert len(experiments.conv_kernels(plain)) + 1 == depth
    # Neither stack changes the 8x8 map or the width, and both end in 10 logits.
    assert tuple(plain.output.shape) == (None, 10)
    assert tuple(residual.output.shape) == (None, 10)


def test_residual_block_adds_its_input():
    keras.utils.set_random_seed(0)
    residual = experiments.build_stack(4, residual=True)
    add = residual.get_layer("block0_add")
    block_input = residual.get_layer("conv_initial").output
    branch = residual.get_layer("block0_conv2").output
    probe = keras.Model(residual.input, [block_input, branch, add.output])
    x = load_digits_images("float32", 8)[0]
    block_in, block_branch, block_out = (np.asarray(t) for t in probe(x, training=False))
    np.testing.assert_allclose(block_out, block_in + block_branch, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_training_keeps_the_loss_of_every_single_step(optimizer):
    """With a learning rate of 0 the weights stay put, so each recorded loss must be the
    loss of that step's batch, in the seeded order (batch norm in training mode)."""
    images, labels = load_digits_images("float32", 70)
    keras.utils.set_random_seed(0)
    model = experiments.build_stack(4, residual=True)
    losses = experiments.train(
        model,
        images,
        labels,
        epochs=2,
        batch_size=16,
        learning_rate=0.0,
        optimizer=optimizer,
        seed=3,
    )
    batches = list(seeded_batches(images, labels, epochs=2, batch_size=16, seed=3))
    assert len(batches) == len(losses) == 8  # 70 // 16 = 4 full batches per epoch
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    expected = [float(loss_fn(y, model(x, training=True))) for x, y in batches]
    np.testing.assert_allclose(losses, expected, rtol=1e-5)
    assert len(experiments.train(model, images, labels, 2, 16, seed=3, max_steps=5)) == 5


def test_a_network_trained_again_gives_what_a_fresh_one_gives():
    """Training again reuses the traced step (the experiments' speed); the numbers must be
    those of a fresh network with a fresh optimizer: another seed's start through
    ``fresh_start``, and more steps on a trained network (a fresh Adam, as compiling gives)."""
    images, labels = load_digits_images("float32", 160)

    def build(seed):
        keras.utils.set_random_seed(seed)
        return experiments.build_stack(6, residual=True)

    def run(model, seed, steps=6):
        return experiments.train(model, images, labels, 1, 16, 3e-3, seed=seed, max_steps=steps)

    traced = {}
    run(experiments.fresh_start(traced, "net", build(1)), seed=1)
    again = run(experiments.fresh_start(traced, "net", build(0)), seed=0)
    fresh = build(0)
    np.testing.assert_allclose(again, run(fresh, seed=0), rtol=1e-5)

    more = run(traced["net"], seed=5)  # the same network, trained on
    restarted = build(0)
    restarted.set_weights(fresh.get_weights())  # a new model: compiled afresh
    expected = run(restarted, seed=5)
    np.testing.assert_allclose(more, expected, rtol=1e-5)
    assert not np.allclose(more, run(build(0), seed=5))  # it trained on from where it was


def test_decay_lowers_the_rate_to_zero_over_the_run_and_restarts_it_on_the_next():
    """The long study's schedule: a cosine from the rate to zero over this run's steps;
    the same network trained again starts from the full rate."""
    images, labels = load_digits_images("float32", 96)
    keras.utils.set_random_seed(0)
    model = experiments.build_stack(4, residual=True)
    experiments.train(model, images, labels, 2, 16, 1e-2, seed=0, decay=True)
    assert int(model.optimizer.iterations) == 12
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0, abs=1e-9)
    experiments.train(model, images, labels, 1, 16, 1e-2, seed=0, decay=True, max_steps=1)
    assert int(model.optimizer.iterations) == 1
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0, abs=1e-9)
    constant = experiments.build_stack(4, residual=True)
    experiments.train(constant, images, labels, 1, 16, 1e-2, seed=0)
    assert float(constant.optimizer.learning_rate) == pytest.approx(1e-2)


@pytest.mark.parametrize("depth", [2, 3, 7, 0])
def test_bad_depths_are_refused(depth):
    with pytest.raises(ValueError):
        experiments.build_stack(depth, residual=True)


def test_digits_are_real_and_scaled():
    images, labels = load_digits_images("float32")
    assert images.shape == (1797, 8, 8, 1)
    assert images.dtype == np.float32
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert set(np.unique(labels)) == set(range(10))


def test_degradation_returns_aligned_data_and_a_figure():
    depths = (4, 6)
    results = experiments.run_degradation(
        depths=depths, epochs=2, batch_size=32, num_train=96, seed=3
    )
    assert results["depths"] == list(depths)
    assert results["settings"]["num_train"] == 96
    steps = 2 * (96 // 32)
    for kind in experiments.KINDS:
        per_kind = results[kind]
        for key in (
            "step_losses",
            "epoch_losses",
            "final_train_loss",
            "final_train_error",
            "final_first_last_ratio",
            "num_params",
            "seconds",
        ):
            assert len(per_kind[key]) == len(depths), key
        for losses, epoch_losses in zip(per_kind["step_losses"], per_kind["epoch_losses"]):
            assert losses.shape == (steps,)
            assert np.all(np.isfinite(losses)) and np.all(losses > 0)
            assert len(epoch_losses) == 2
            np.testing.assert_allclose(np.mean(epoch_losses), losses.mean(), rtol=1e-5)
        for error in per_kind["final_train_error"]:
            assert 0.0 <= error <= 1.0
        assert all(np.isfinite(r) and r > 0 for r in per_kind["final_first_last_ratio"])
    assert results["plain"]["num_params"] == results["residual"]["num_params"]
    assert set(results["checks"]) == {
        "plain_degrades",
        "plain_monotonic",
        "residual_degrades",
        "residual_beats_plain",
    }
    assert all(isinstance(v, bool) for v in results["checks"].values())
    assert results["checks"] == experiments.degradation_checks(results)
    fig = plot_degradation(results)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 2 * len(depths)
    plt.close(fig)


def test_degradation_checks_read_the_orderings():
    def fake(plain_loss, plain_error, residual_loss):
        return {
            "plain": {"final_train_loss": plain_loss, "final_train_error": plain_error},
            "residual": {"final_train_loss": residual_loss},
        }

    degrading = experiments.degradation_checks(
        fake([0.1, 0.5, 2.0], [0.0, 0.1, 0.8], [0.1, 0.05, 0.02])
    )
    assert degrading == {
        "plain_degrades": True,
        "plain_monotonic": True,
        "residual_degrades": False,
        "residual_beats_plain": True,
    }
    fine = experiments.degradation_checks(fake([0.5, 0.3, 0.6], [0.1, 0.1, 0.1], [0.1, 0.4, 0.7]))
    assert fine == {
        "plain_degrades": False,
        "plain_monotonic": False,
        "residual_degrades": True,
        "residual_beats_plain": False,
    }


def test_gradient_norms_one_per_conv_and_a_figure():
    depths = (4, 8)
    results = experiments.run_gradient_norms(depths=depths, batch_size=16, seed=1)
    for kind in experiments.KINDS:
        per_kind = results[kind]
        for depth, names, norms, ratio, spread in zip(
            depths,
            per_kind["layer_names"],
            per_kind["grad_norms"],
            per_kind["first_last_ratio"],
            per_kind["max_min_ratio"],
        ):
            assert len(names) == len(norms) == depth - 1
            assert names[0] == "conv_initial"
            assert np.all(np.isfinite(norms)) and np.all(norms > 0)
            assert ratio == pytest.approx(norms[0] / norms[-1])
            assert spread == pytest.approx(norms.max() / norms.min())
    assert results["plain"]["layer_names"] == results["residual"]["layer_names"]
    fig = plot_gradient_norms(results)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert fig.axes[0].get_yscale() == "log"
    plt.close(fig)


def test_zero_mapping_is_exactly_the_identity():
    results = experiments.run_zero_mapping(depth=4, epochs=1, extra_steps=3, seed=2)
    block = results["block"]
    assert block["num_convs"] == 2 and block["conv_has_bias"] is False
    assert block["max_abs_diff_before_zeroing"] > 0.0
    assert block["max_abs_diff_training"] == 0.0
    assert block["max_abs_diff_inference"] == 0.0
    network = results["network"]
    assert network["max_abs_logit_diff_zero_block"] == 0.0
    assert network["train_error_with_zero_block"] == network["train_error_trained"]
    assert network["max_abs_logit_diff_random_block"] > 0.0
    assert (
        len(network["other_conv2_norms"])
        == len(network["other_conv2_changes"])
        == len(network["other_branch_ratios"])
        == 1
    )
    assert network["new_conv2_norm_after"] > 0.0  # training moved it off zero
    for value in (network["new_branch_ratio"], *network["other_branch_ratios"]):
        assert np.isfinite(value) and value >= 0.0
    fig = plot_zero_mapping(results)
    assert isinstance(fig, matplotlib.figure.Figure)
    plt.close(fig)


def test_split_digits_holds_out_every_class():
    train_x, train_y, test_x, test_y = experiments.split_digits(100)
    assert len(train_x) == len(train_y) == 1797 - 100
    assert test_x.shape == (100, 8, 8, 1)
    assert set(np.unique(test_y)) == set(range(10))


def test_v1_and_v2_stacks_share_the_parameter_budget_and_their_pieces():
    images = load_digits_images("float32", 4)[0]
    stacks = {}
    for order in experiments.ORDERS:
        keras.utils.set_random_seed(0)
        stack = experiments.build_residual_stack(order, 8, width=4)
        stacks[order] = stack
        assert len(stack.branches) == 3
        xs, fs, logits = stack.forward(images, training=False)
        assert len(xs) == 4 and len(fs) == 3
        # The pieces and the whole keras.Model are one network with shared weights.
        np.testing.assert_allclose(
            np.asarray(logits), np.asarray(stack.model(images, training=False)), atol=1e-6
        )
        for x, f, x_next in zip(xs, fs, xs[1:]):
            total = np.asarray(x) + np.asarray(f)
            expected = np.maximum(total, 0.0) if order == "v1" else total
            np.testing.assert_allclose(np.asarray(x_next), expected, atol=1e-6)
    assert stacks["v1"].model.count_params() == stacks["v2"].model.count_params()
    with pytest.raises(ValueError):
        experiments.build_residual_stack("v3", 8)


def test_propagation_v2_passes_the_top_gradient_down_unchanged_and_v1_does_not():
    results = experiments.run_propagation(depth=8, width=4, batch_size=16, seed=1)
    v1, v2 = results["v1"], results["v2"]
    assert len(v2["grad_norm"]) == len(v1["grad_norm"]) == 3
    # Eq. 5: along the shortcuts alone, dE/dx_L arrives at every x_l unchanged in v2.
    assert v2["through_shortcuts_max_diff"] == [0.0, 0.0, 0.0]
    assert v2["through_shortcuts_norm_ratio"] == [1.0, 1.0, 1.0]
    # ...and what the branches add is the rest of dE/dx_l.
    assert max(v2["decomposition_max_diff"]) <= 1e-5 * v2["top_grad_norm"]
    assert all(ratio > 0.0 for ratio in v2["branch_term_norm_ratio"])
    # v1's ReLU after each addition drops part of it on the way down.
    assert v1["through_shortcuts_norm_ratio"][0] < 1.0
    assert v1["through_shortcuts_max_diff"][0] > 0.0
    # With every branch zeroed the v2 gradients are equal exactly; v1's are not.
    assert results["v2_zeroed"]["max_diff"] == [0.0, 0.0, 0.0]
    assert results["v2_zeroed"]["zeroed_fraction"] == [0.0, 0.0, 0.0]
    assert min(results["v1_zeroed"]["max_diff"]) > 0.0
    assert min(results["v1_zeroed"]["zeroed_fraction"]) > 0.0
    fig = plot_propagation(results)
    assert isinstance(fig, matplotlib.figure.Figure)
    plt.close(fig)


def test_activation_order_trains_both_orders_on_every_seed():
    results = experiments.run_activation_order(
        depth=4, width=4, steps=3, seeds=(0, 1), batch_size=16, num_test=100
    )
    for order in experiments.ORDERS:
        per_order = results[order]
        assert [len(losses) for losses in per_order["step_losses"]] == [3, 3]
        for key in ("final_train_loss", "final_train_error", "test_error"):
            assert len(per_order[key]) == 2 and all(np.isfinite(per_order[key])), key
    assert results["v1"]["num_params"] == results["v2"]["num_params"]
    fig = plot_activation_order(results)
    assert isinstance(fig, matplotlib.figure.Figure)
    plt.close(fig)


def test_zero_last_convs_zeroes_kernel_and_bias():
    inputs = keras.Input((8, 8, 2))
    conv = keras.layers.Conv2D(2, 3, padding="same", name="block1_conv2")
    model = keras.Model(inputs, conv(inputs))
    conv.bias.assign(np.ones(2, dtype="float32"))
    experiments.zero_last_convs(model, [1])
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 2)).astype("float32")
    assert np.max(np.abs(np.asarray(model(x)))) == 0.0


def test_growing_starts_exactly_where_the_small_net_was():
    results = experiments.run_growing(
        num_blocks=1,
        extra_blocks=2,
        width=4,
        first_steps=2,
        more_steps=2,
        seeds=(0,),
        batch_size=32,
        num_test=100,
    )
    assert results["max_abs_logit_diff"] == [0.0]
    assert results["max_abs_logit_diff_training_mode"] == [0.0]
    assert results["grown"]["num_params"][0] > results["small"]["num_params"][0]
    for part in ("before", "small", "grown"):
        assert len(results[part]["test_error"]) == len(results[part]["train_loss"]) == 1
    fig = plot_growing(results)
    assert isinstance(fig, matplotlib.figure.Figure)
    plt.close(fig)


def test_a_missing_study_is_told_to_the_learner_without_maintainer_notes(tmp_path):
    from resnet_lesson.experiments import load_study_summary

    said = load_study_summary(tmp_path / "absent.json")
    assert "No saved study" in said
    assert "scripts/" not in said and "absent.json" not in said and "pip" not in said


def test_the_degradation_data_is_the_digits_or_small_fashion_images():
    from resnet_lesson.experiments.degradation import training_images

    images, labels = training_images("digits", 10)
    assert images.shape == (10, 8, 8, 1) and len(labels) == 10
    with pytest.raises(ValueError, match="fashion-mnist-8x8"):
        training_images("cifar-10")


def test_late_drop_compares_the_last_epochs_with_the_ones_before():
    from resnet_lesson.experiments.degradation import late_drop

    assert late_drop([4.0] * 10 + [2.0] * 10 + [1.0] * 10) == pytest.approx(0.5)
    assert late_drop([3.0] * 20) == pytest.approx(1.0)


def test_the_convergence_study_was_trained_long_and_settled_over_several_seeds():
    from resnet_lesson.experiments.degradation import load_study

    study = load_study()
    assert study is not None, "docs/results has no degradation_convergence.json"
    settings = study["settings"]
    assert settings["decay"] and settings["epochs"] >= 40 and len(study["runs"]) >= 3
    assert all(len(run["plain"]["epoch_losses"][0]) == settings["epochs"] for run in study["runs"])
    plt.close(plot_degradation_study(study))


def test_the_fashion_study_shows_what_chapter_1_says_of_it():
    """Chapter 1's prose on its saved Fashion-MNIST study (seeds 0 and 1, 20 epochs,
    depths 8 to 56, and 110 in seed 0): in every seed plain nets end worse with every
    step in depth from 20 layers on, the 56-layer one with about six times the 20-layer
    one's error; residual nets end below their 20-layer net from 32 layers on, ahead
    of the plain twin there; the 110-layer plain net stays at the uniform guess and the
    110-layer residual net ends with the least error of its seed."""
    from resnet_lesson.experiments.degradation import (
        FASHION_DEEPEST_STUDY,
        FASHION_STUDY,
        load_study,
        settled_lines,
    )

    study = load_study(FASHION_STUDY)
    assert study is not None, "docs/results has no degradation_fashion.json"
    settings = study["settings"]
    assert settings["dataset"] == "fashion-mnist-8x8" and settings["decay"]
    assert settings["epochs"] >= 20
    assert settings["seeds"] == [run["seed"] for run in study["runs"]] == [0, 1]
    depths = settings["depths"]
    at_20 = depths.index(20)
    for run in study["runs"]:
        plain = run["plain"]["final_train_error"]
        residual = run["residual"]["final_train_error"]
        from_20 = plain[at_20:]
        assert all(a < b for a, b in zip(from_20, from_20[1:])), plain
        assert all(r < residual[at_20] for r in residual[at_20 + 1 :]), residual
        assert all(r < p for r, p in zip(residual[at_20 + 1 :], plain[at_20 + 1 :]))
        assert plain[0] < residual[0] and plain[at_20] < residual[at_20]
    means = study["summary"]["final_train_error"]["plain"]["mean"]
    assert 5 < means[-1] / means[at_20] < 7
    seed1 = study["runs"][1]["residual"]["final_train_error"]
    assert seed1[depths.index(44)] > seed1[depths.index(32)]  # "not at every step"
    assert len(settled_lines(study, window=5)) == 2 * len(depths)
    plt.close(plot_degradation_study(study, measure="error"))

    deepest = load_study(FASHION_DEEPEST_STUDY)
    at_110 = deepest["settings"]["depths"].index(110)
    (run,) = deepest["runs"]
    assert abs(run["plain"]["final_train_loss"][at_110] - np.log(10)) < 0.1
    assert min(run["residual"]["final_train_error"]) == run["residual"]["final_train_error"][at_110]


def test_twice_the_budget_shrinks_the_deep_plain_gap_but_does_not_close_it():
    """Chapter 1's "Twice the budget" prose on its saved 40-epoch run (seed 0, 20 and
    56 layers) beside the same nets' 20-epoch run."""
    from resnet_lesson.experiments.degradation import (
        FASHION_DEEPEST_STUDY,
        FASHION_LONGER_STUDY,
        budget_lines,
        late_drop,
        load_study,
    )

    shorter, longer = load_study(FASHION_DEEPEST_STUDY), load_study(FASHION_LONGER_STUDY)
    assert longer["settings"]["epochs"] == 2 * shorter["settings"]["epochs"]
    same = ("width", "batch_size", "learning_rate", "num_train", "decay", "dataset")
    assert all(longer["settings"][key] == shorter["settings"][key] for key in same)
    (run,), (twin,) = longer["runs"], shorter["runs"]
    assert run["seed"] == twin["seed"] == 0

    def error(study_run, study, kind, depth):
        return study_run[kind]["final_train_error"][study["settings"]["depths"].index(depth)]

    for kind in ("plain", "residual"):
        for depth in (20, 56):
            assert error(run, longer, kind, depth) < error(twin, shorter, kind, depth)
    # "falls about eightfold"; "about thirty times as many as the 20-layer one"
    assert 6 < error(twin, shorter, "plain", 56) / error(run, longer, "plain", 56) < 10
    assert 20 < error(run, longer, "plain", 56) / error(run, longer, "plain", 20) < 40
    # "all but a handful of its 10,000 images": at most 10 wrong
    assert error(run, longer, "plain", 20) <= 0.001
    assert error(run, longer, "residual", 56) <= 0.001
    assert len(budget_lines(shorter, longer)) == 1 + 2 * 2
    # "every net's loss was still falling when the 40 epochs ended"
    assert all(
        late_drop(losses, 5) < 0.9
        for kind in ("plain", "residual")
        for losses in run[kind]["epoch_losses"]
    )
