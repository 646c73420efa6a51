"""Chapter 11's recipe, measured: how the weights start and which optimizer moves them.

- :func:`activation_scales`: a deep stack of convs and ReLUs (no batch norm) at
  initialization, with He et al.'s (2015) initialization against Glorot and Bengio's
  (2010): the size of the activations after each layer.
- :func:`zero_init_branches`: the residual stack of chapter 1 with the last conv of every
  branch set to zero, so that each block starts as the identity (chapter 6 measured that a
  zero last kernel makes the block return its input).
- :func:`run_recipes`: the same network trained with the same number of steps by the
  paper's SGD recipe and by the course's Adam, and with zero-initialized branches.

Everything runs on scikit-learn's 8x8 digits with the small stacks of
``experiments.stacks`` (channels last, a few seconds per run on two cores).
"""

import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from resnet_lesson import course, training
from resnet_lesson.experiments.saved import read_saved_study
from resnet_lesson.experiments.stacks import build_stack
from resnet_lesson.experiments.steps import (
    StepLoss,
    StepLosses,
    evaluate,
    seeded_batches,
    split_digits,
)


def relu_conv_stack(depth, width, initializer, seed):
    """``depth`` 3x3 convs, each followed by a ReLU, nothing else: the network He et al.
    (2015, section 2.2) analyse. Returns a model whose outputs are every layer's output.

    The convs pad nothing ('valid'): every output sees a full 3x3 window, as in the
    paper's analysis (zero padding would shrink the border pixels' activations and blur
    the measurement); each layer trims one pixel from each side.
    """
    inputs = keras.Input((2 * depth + 8, 2 * depth + 8, width))
    outputs, x = [], inputs
    for index in range(depth):
        kernel_init = keras.initializers.get(
            {"class_name": initializer, "config": {"seed": seed + index}}
        )
        x = keras.layers.Conv2D(width, 3, use_bias=False, kernel_initializer=kernel_init)(x)
        x = keras.layers.ReLU()(x)
        outputs.append(x)
    return keras.Model(inputs, outputs)


# (initializer, channels): He's rule against Glorot's at a width where averages hold, and
# He's rule again in a layer as narrow as chapter 1's stacks.
SCALE_CONFIGS = (("he_normal", 128), ("glorot_uniform", 128), ("he_normal", 16))


def activation_scales(configs=SCALE_CONFIGS, depth=30, seed=0, batch=2):
    """``{(initializer, channels): root mean square of each layer's output}``.

    He et al. (2015, eq. 10) keep the mean square of the activations constant from layer
    to layer when each weight's variance is ``2 / fan_in`` (Keras's ``he_normal``); with
    ``1 / fan_in`` (``glorot_uniform`` when fan in and fan out are equal) a ReLU layer
    halves it, so after ``L`` layers it is ``2 ** -L`` times smaller. Both are averages
    over random weights: a narrow layer's own gain strays from them. The inputs are
    standard normal noise: the question is about the network, not the data.
    """
    scales = {}
    for initializer, width in configs:
        model = relu_conv_stack(depth, width, initializer, seed)
        noise = keras.random.normal((batch, *model.input_shape[1:]), seed=seed)
        scales[initializer, width] = np.array(
            [float(np.sqrt(np.mean(np.square(a)))) for a in model(noise, training=False)]
        )
    return scales


def zero_init_branches(model):
    """Set the last conv of every residual branch (``block{i}_conv2``) to zero, in place.

    Each block then returns its input exactly, and the whole stack starts as its stem and
    head: the network is as shallow as it can be, and deepens as the branches learn.
    Goyal et al. (2017) do the same in a post-activation ResNet by starting the last batch
    norm's scale at zero; a pre-activation branch ends with a conv, so the conv is zeroed.
    """
    zeroed = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D) and layer.name.endswith("_conv2"):
            layer.kernel.assign(np.zeros(layer.kernel.shape, "float32"))
            zeroed += 1
    if zeroed == 0:
        raise ValueError(f"{model.name} has no residual branch ending in a '_conv2' layer")
    return model


def block_identity_gaps(model, images):
    """For each residual block of ``model``, the largest ``|output - input|`` on ``images``:
    all zeros when every branch is zero-initialized."""
    adds = [layer for layer in model.layers if isinstance(layer, keras.layers.Add)]
    probe = keras.Model(model.input, [t for add in adds for t in (add.input[0], add.output)])
    values = probe(images, training=False)
    return [
        float(np.max(np.abs(np.asarray(out) - np.asarray(inp))))
        for inp, out in zip(values[::2], values[1::2])
    ]


def optimizer_for(recipe, total_steps):
    """The optimizer of one recipe, over a run of ``total_steps`` steps.

    ``"paper-sgd"``: He et al. (2016a, section 4.2), ``training.paper_sgd``: SGD with
    momentum 0.9, learning rate 0.1 divided by 10 at half and at three quarters of
    training, weight decay 1e-4.
    ``"course-adam"``: chapter 11's choice: Adam at 1e-2 with a cosine decay to zero.
    """
    if recipe == "paper-sgd":
        return training.paper_sgd(total_steps)
    if recipe == "course-adam":
        return keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-2, total_steps))
    raise ValueError(f"recipe must be 'paper-sgd' or 'course-adam', got {recipe!r}")


RECIPES = {
    # name: (optimizer recipe, zero-initialized branches)
    "paper SGD": ("paper-sgd", False),
    "course Adam": ("course-adam", False),
    "course Adam, zero-init branches": ("course-adam", True),
}


@dataclass
class RecipeRun:
    """One trained network: its training loss per step and its held-out error."""

    recipe: str
    seed: int
    step_losses: np.ndarray
    train_loss: float
    test_error: float
    seconds: float


def run_recipes(depth=20, width=16, epochs=4, batch_size=64, seeds=(0,), recipes=RECIPES):
    """Train one residual stack per recipe and seed, all with the same batches.

    Returns ``[RecipeRun, ...]``. The training loss is measured after training on the
    whole training set in one batch (see ``experiments.steps.evaluate``), the error on
    the 360 held-out digits.
    """
    train_x, train_y, test_x, test_y = split_digits(num_test=360)
    runs = []
    for seed in seeds:
        for name, (optimizer_recipe, zero_init) in recipes.items():
            keras.utils.set_random_seed(seed)
            model = build_stack(depth, residual=True, width=width)
            if zero_init:
                zero_init_branches(model)
            batches = seeded_batches(train_x, train_y, epochs, batch_size, seed)
            total_steps = int(batches.cardinality())
            model.compile(
                optimizer=optimizer_for(optimizer_recipe, total_steps),
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=[StepLoss()],  # Keras's own "loss" is a running mean
            )
            recorder = StepLosses()
            start = time.perf_counter()
            model.fit(batches, epochs=1, verbose=0, callbacks=[recorder], shuffle=False)
            seconds = time.perf_counter() - start
            train_loss, _ = evaluate(model, train_x, train_y, training=True)
            _, test_error = evaluate(model, test_x, test_y)
            runs.append(
                RecipeRun(name, seed, np.array(recorder.losses), train_loss, test_error, seconds)
            )
    return runs


def summarize(runs):
    """``{recipe: (mean training loss, mean held-out error, mean seconds)}`` over seeds."""
    table = {}
    for name in dict.fromkeys(run.recipe for run in runs):
        mine = [run for run in runs if run.recipe == name]
        table[name] = tuple(
            float(np.mean([getattr(run, field) for run in mine]))
            for field in ("train_loss", "test_error", "seconds")
        )
    return table


RECIPE_STUDY = course.ROOT / "docs" / "results" / "recipe_study.json"


def study_record(runs, settings):
    """The JSON record of a study: its settings, every run, and the summary."""
    return {
        "settings": settings,
        "environment": {"tensorflow": tf.__version__, "keras": keras.__version__},
        "runs": [
            {
                "recipe": run.recipe,
                "seed": run.seed,
                "train_loss": run.train_loss,
                "test_error": run.test_error,
                "seconds": run.seconds,
            }
            for run in runs
        ],
        "summary": summarize(runs),
    }


def load_recipe_study(path=RECIPE_STUDY):
    """A few lines on a saved study (``scripts/run_recipe_study.py``): each recipe's mean
    training loss and held-out error over its seeds, with the lowest and highest error."""
    path = Path(path)
    study = read_saved_study(path)
    if study is None:
        return "No saved study comes with this copy of the course: the run above is the only one."
    settings = study["settings"]
    seeds = settings["seeds"]
    lines = [
        f"Saved study ({path.name}, made by scripts/run_recipe_study.py, not by this "
        f"notebook): {settings['depth']}-layer residual stack, {settings['epochs']} epochs, "
        f"{len(seeds)} seeds, TensorFlow {study['environment']['tensorflow']}."
    ]
    for name, (train_loss, test_error, _) in study["summary"].items():
        errors = [run["test_error"] for run in study["runs"] if run["recipe"] == name]
        lines.append(
            f"  {name:>32}: training loss {train_loss:.3f}, held-out error {test_error:.1%} "
            f"(seeds from {min(errors):.1%} to {max(errors):.1%})"
        )
    return "\n".join(lines)
