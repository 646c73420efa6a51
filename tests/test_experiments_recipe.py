"""Chapter 11's recipe experiments on tiny settings: the properties the prose states
(He's rule keeps the scale, Glorot's halves the mean square per layer, a zeroed branch
makes the block an identity), the paper's schedule, and the study file's round trip."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib

matplotlib.use("Agg")

import json  # noqa: E402

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resnet_lesson import training  # noqa: E402
from resnet_lesson.experiments import recipe  # noqa: E402
from resnet_lesson.experiments.stacks import build_stack  # noqa: E402
from resnet_lesson.figures.recipe import plot_activation_scales, plot_recipe_losses  # noqa: E402


def test_he_keeps_the_scale_and_glorot_halves_the_mean_square_per_layer():
    depth = 12
    scales = recipe.activation_scales(
        configs=(("he_normal", 64), ("glorot_uniform", 64)), depth=depth
    )
    he, glorot = scales["he_normal", 64], scales["glorot_uniform", 64]
    assert len(he) == len(glorot) == depth
    # Unit-variance noise in: He's first layer keeps mean square 1, Glorot's halves it.
    assert he[0] == pytest.approx(1.0, rel=0.1)
    assert glorot[0] == pytest.approx(np.sqrt(0.5), rel=0.1)
    # Over 11 more layers: Glorot loses sqrt(2) per layer (2 ** -5.5 = 0.022), He does not.
    assert glorot[-1] / glorot[0] < 0.06
    assert 0.3 < he[-1] / he[0] < 3
    plt.close(plot_activation_scales(scales))


def test_zeroed_branches_make_every_block_its_identity():
    keras.utils.set_random_seed(3)
    stack = build_stack(8, residual=True)
    images = np.random.default_rng(0).random((4, 8, 8, 1)).astype("float32")
    assert min(recipe.block_identity_gaps(stack, images)) > 0
    recipe.zero_init_branches(stack)
    assert recipe.block_identity_gaps(stack, images) == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="no residual branch"):
        recipe.zero_init_branches(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))


def test_the_paper_schedule_divides_by_ten_at_half_and_three_quarters():
    schedule = training.paper_schedule(100)
    rates = [float(schedule(step)) for step in (0, 49, 51, 74, 76, 99)]
    assert rates == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
    optimizer = recipe.optimizer_for("paper-sgd", 100)
    assert optimizer.momentum == 0.9 and optimizer.weight_decay == pytest.approx(1e-4)
    with pytest.raises(ValueError, match="recipe must be"):
        recipe.optimizer_for("rmsprop", 100)


def test_a_tiny_study_round_trips_through_its_file(tmp_path):
    recipes = {"course Adam": ("course-adam", False), "paper SGD": ("paper-sgd", False)}
    runs = recipe.run_recipes(depth=4, width=4, epochs=1, seeds=(0,), recipes=recipes)
    assert [run.recipe for run in runs] == ["course Adam", "paper SGD"]
    steps = (1797 - 360) // 64
    assert all(len(run.step_losses) == steps for run in runs)
    assert all(0 <= run.test_error <= 1 and np.isfinite(run.train_loss) for run in runs)
    plt.close(plot_recipe_losses(runs, smooth=3))
    path = tmp_path / "study.json"
    settings = dict(depth=4, width=4, epochs=1, seeds=[0])
    path.write_text(json.dumps(recipe.study_record(runs, settings)))
    text = recipe.load_recipe_study(path)
    assert "4-layer residual stack, 1 epochs, 1 seeds" in text
    assert "course Adam" in text and "paper SGD" in text
    assert "No saved study" in recipe.load_recipe_study(tmp_path / "missing.json")
