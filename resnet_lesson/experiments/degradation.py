"""Chapter 1's first experiment: the degradation problem, measured.

Plain and residual stacks of several depths are trained with the same budget on
scikit-learn's bundled 8x8 digits; :func:`run_degradation` returns plain data and
``resnet_lesson.figures.experiments.plot_degradation`` draws it. A longer study over
many seeds (``scripts/run_degradation_study.py``) is summarized by
:func:`load_study_summary`.
"""

import time
from pathlib import Path

import keras
import numpy as np

from resnet_lesson import course
from resnet_lesson.data import load_digits_images
from resnet_lesson.experiments.gradients import conv_gradient_norms
from resnet_lesson.experiments.saved import read_saved_study
from resnet_lesson.experiments.stacks import KINDS, build_stack, num_blocks_for
from resnet_lesson.experiments.steps import evaluate, train
from resnet_lesson.fashion_mnist import load_fashion_mnist_small

# The settings chapter 1 uses; run_degradation's defaults. Measured on seeds 0-19
# (TF 2.21, CPU): plain-56 ended with a higher training loss and error than plain-8 in
# 20 of 20 (error 57-80% vs 0.2-2.4%); residual-56's training loss was below
# residual-8's in 20 of 20, and every residual net ended under 5.1% training error
# (residual-56 under 1.8%), though residual-56's error beat residual-8's only in 7 of 20.
DEGRADATION_DEFAULTS = dict(
    depths=(8, 20, 56),
    width=16,
    epochs=4,
    batch_size=64,
    learning_rate=3e-3,
    optimizer="adam",
    num_train=None,
    decay=False,
    dataset="digits",
)


def run_degradation(
    depths=DEGRADATION_DEFAULTS["depths"],
    width=DEGRADATION_DEFAULTS["width"],
    epochs=DEGRADATION_DEFAULTS["epochs"],
    batch_size=DEGRADATION_DEFAULTS["batch_size"],
    learning_rate=DEGRADATION_DEFAULTS["learning_rate"],
    optimizer=DEGRADATION_DEFAULTS["optimizer"],
    num_train=DEGRADATION_DEFAULTS["num_train"],
    decay=DEGRADATION_DEFAULTS["decay"],
    dataset=DEGRADATION_DEFAULTS["dataset"],
    seed=0,
    verbose=False,
):
    """Train plain and residual stacks of each depth with the same budget.

    Every network gets the same seed (so a plain net and the residual net of the same
    depth start from identical weights), the same batches, optimizer, learning rate and
    number of epochs on the digits. Returns a dict:

    - ``depths``: list of ints; ``settings``: the arguments above, ``seed`` included.
    - ``plain`` and ``residual``: dicts of lists aligned with ``depths``:
      ``step_losses`` (float32 array per depth, the loss of every training step),
      ``epoch_losses`` (mean step loss per epoch, list of floats per depth),
      ``final_train_loss`` and ``final_train_error`` (the trained net evaluated on all
      its training images at once, batch norm using those images' statistics: see
      :func:`evaluate`), ``final_first_last_ratio`` (after training, the first conv's
      gradient norm over the last conv's, on the first 128 training images, as
      :func:`resnet_lesson.experiments.run_gradient_norms` measures it at
      initialization), ``num_params`` (ints), ``seconds``.
    - ``checks``: ``plain_degrades`` (the deepest plain net ends with a higher training
      loss *and* error than the shallowest), ``plain_monotonic`` (training loss rises
      with every step in depth), ``residual_degrades`` (the deepest residual net ends
      with a higher training loss than the shallowest), ``residual_beats_plain``
      (at every depth but the shallowest, residual loss < plain loss).
    - ``seconds``: wall-clock time of the whole experiment.

    Like every ``run_*`` function here it reseeds Python's, NumPy's and TensorFlow's
    global random generators (``keras.utils.set_random_seed``).
    """
    start = time.perf_counter()
    images, labels = training_images(dataset, num_train)
    depths = [int(d) for d in depths]
    for depth in depths:
        num_blocks_for(depth)
    results = {
        "depths": depths,
        "settings": dict(
            depths=depths,
            width=width,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            optimizer=optimizer,
            num_train=len(images),
            decay=decay,
            dataset=dataset,
            seed=seed,
        ),
    }
    for kind in KINDS:
        per_kind = {
            key: []
            for key in (
                "step_losses",
                "epoch_losses",
                "final_train_loss",
                "final_train_error",
                "final_first_last_ratio",
                "num_params",
                "seconds",
            )
        }
        for depth in depths:
            t0 = time.perf_counter()
            keras.utils.set_random_seed(seed)
            model = build_stack(
                depth, kind == "residual", width=width, input_shape=images.shape[1:]
            )
            step_losses = train(
                model,
                images,
                labels,
                epochs,
                batch_size=batch_size,
                learning_rate=learning_rate,
                optimizer=optimizer,
                seed=seed,
                decay=decay,
            )
            loss, error = evaluate(model, images, labels, training=True)
            norms = conv_gradient_norms(model, images[:128], labels[:128])[1]
            per_kind["final_first_last_ratio"].append(float(norms[0] / norms[-1]))
            per_kind["step_losses"].append(step_losses)
            per_kind["epoch_losses"].append(
                [float(chunk.mean()) for chunk in np.array_split(step_losses, epochs)]
            )
            per_kind["final_train_loss"].append(loss)
            per_kind["final_train_error"].append(error)
            per_kind["num_params"].append(int(model.count_params()))
            per_kind["seconds"].append(time.perf_counter() - t0)
            if verbose:
                print(
                    f"{kind:8s} depth {depth:3d}: train loss {loss:.4f}, "
                    f"train error {error:.4f} ({per_kind['seconds'][-1]:.1f} s)"
                )
        results[kind] = per_kind
    results["checks"] = degradation_checks(results)
    results["seconds"] = time.perf_counter() - start
    return results


def training_images(dataset, count=None):
    """``(images, labels)`` to train on: ``"digits"`` (scikit-learn's 1,797 8x8 digits)
    or ``"fashion-mnist-8x8"`` (Fashion-MNIST's training images shrunk to 8x8, too many
    for the small stacks to memorize); ``count`` keeps the first ones."""
    if dataset == "digits":
        return load_digits_images("float32", count)
    if dataset == "fashion-mnist-8x8":
        return load_fashion_mnist_small(8, count)
    raise ValueError(f"dataset must be 'digits' or 'fashion-mnist-8x8', got {dataset!r}")


def degradation_checks(results):
    """The orderings the chapter claims, as booleans (see :func:`run_degradation`)."""
    plain_loss = results["plain"]["final_train_loss"]
    plain_error = results["plain"]["final_train_error"]
    residual_loss = results["residual"]["final_train_loss"]
    return {
        "plain_degrades": bool(plain_loss[-1] > plain_loss[0] and plain_error[-1] > plain_error[0]),
        "plain_monotonic": bool(all(b > a for a, b in zip(plain_loss, plain_loss[1:]))),
        "residual_degrades": bool(residual_loss[-1] > residual_loss[0]),
        "residual_beats_plain": bool(all(r < p for r, p in zip(residual_loss[1:], plain_loss[1:]))),
    }


def summarize_runs(runs):
    """A saved study's ``summary``: how many seeds each check held in, and each net's
    final training error and loss (mean, min, max over the seeds), aligned with depths."""
    held = {key: sum(run["checks"][key] for run in runs) for key in runs[0]["checks"]}
    summary = {"num_seeds": len(runs), "held": held}
    for metric in ("final_train_error", "final_train_loss"):
        summary[metric] = {}
        for kind in KINDS:
            values = list(zip(*(run[kind][metric] for run in runs)))  # per depth
            summary[metric][kind] = {
                "mean": [sum(v) / len(v) for v in values],
                "min": [min(v) for v in values],
                "max": [max(v) for v in values],
            }
    return summary


def merge_studies(studies, depths):
    """One study from saved ones (``{file name: study}``) with the same settings but
    other seeds, kept to ``depths``, which every one of them must have trained."""
    first = next(iter(studies.values()))["settings"]
    same = {key: value for key, value in first.items() if key not in _PER_RUN_SETTINGS}
    runs = []
    for name, study in studies.items():
        settings = study["settings"]
        differing = [key for key in same if settings.get(key) != same[key]]
        if differing:
            raise ValueError(f"{name} differs in {', '.join(differing)}: it cannot merge")
        missing = sorted(set(depths) - set(settings["depths"]))
        if missing:
            raise ValueError(f"{name} has no run at depths {missing}")
        picks = [settings["depths"].index(depth) for depth in depths]
        for run in study["runs"]:
            kept = {"seed": run["seed"]}
            for kind in KINDS:
                kept[kind] = {key: [values[i] for i in picks] for key, values in run[kind].items()}
            kept["checks"] = degradation_checks(kept)
            kept["seconds"] = sum(sum(kept[kind]["seconds"]) for kind in KINDS)
            runs.append(kept)
    seeds = [run["seed"] for run in runs]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"a seed comes twice: {seeds}")
    return {
        "settings": dict(same, depths=list(depths), seeds=seeds, planned_seeds=seeds),
        "environment": next(iter(studies.values()))["environment"],
        "runs": runs,
        "summary": summarize_runs(runs),
        "seconds": sum(run["seconds"] for run in runs),
        "merged_from": list(studies),
    }


# What may differ between studies that merge: which depths and seeds each trained.
_PER_RUN_SETTINGS = ("depths", "seeds", "planned_seeds")


STUDY_RESULTS = course.ROOT / "docs" / "results" / "degradation_study.json"
# The same experiment trained until the training loss stops falling (50 epochs, the
# learning rate decayed to zero): scripts/run_degradation_study.py --epochs 50 --decay.
CONVERGENCE_STUDY = course.ROOT / "docs" / "results" / "degradation_convergence.json"
# And on a training set too big for these nets to memorize, for a fixed budget:
# --dataset fashion-mnist-8x8 --num-train 10000 --batch-size 128 --epochs 20 --decay.
# Seeds 0 and 1 at depths 8 to 56, merged (scripts/merge_degradation_studies.py) from
# the seed 0 run, which also trained 110 layers, and the seed 1 run.
FASHION_STUDY = course.ROOT / "docs" / "results" / "degradation_fashion.json"
FASHION_DEEPEST_STUDY = course.ROOT / "docs" / "results" / "degradation_fashion_seed0.json"
# The 20- and 56-layer twins of seed 0 again, for 40 epochs instead of 20.
FASHION_LONGER_STUDY = course.ROOT / "docs" / "results" / "degradation_fashion_40_epochs.json"
DATASET_WORDS = {"digits": "digits", "fashion-mnist-8x8": "Fashion-MNIST images shrunk to 8x8"}


def _seed_words(seeds):
    return f"seed {seeds[0]}" if len(seeds) == 1 else f"seeds {seeds[0]}-{seeds[-1]}"


_CHECK_WORDING = {
    "plain_degrades": "the deepest plain net trained worse (loss and error) than the shallowest",
    "plain_monotonic": "plain training loss rose at every step in depth",
    "residual_beats_plain": (
        "the residual net's loss was below the plain net's at every depth past the first"
    ),
    "residual_degrades": "the deepest residual net's loss was above the shallowest one's",
}


def load_study_summary(path=STUDY_RESULTS):
    """A few lines saying how often each ordering held in a saved study, the spread of
    the final training errors over its seeds, and where it came from.

    The file is what ``scripts/run_degradation_study.py`` writes; it was produced by a
    separate, longer run, not by the notebook that shows it.
    """
    path = Path(path)
    study = load_study(path)
    if study is None:
        # A learner reads this: no file names or commands for maintainers.
        return (
            "No saved study comes with this copy of the course: the run above is the "
            "only measurement here."
        )
    return study_summary(study, path.name)


def study_summary(study, name):
    """:func:`load_study_summary`'s lines for a study already loaded from file ``name``."""
    settings, held = study["settings"], study["summary"]["held"]
    seeds = settings["seeds"]
    schedule = ", learning rate decayed to zero" if settings.get("decay") else ""
    lines = [
        f"Saved study ({name}, made by scripts/run_degradation_study.py, not by "
        f"this notebook): depths {settings['depths']}, {settings['epochs']} epochs "
        f"of batches of {settings['batch_size']}"
        f"{schedule}, {_seed_words(seeds)}, {settings['num_train']:,} "
        f"{DATASET_WORDS[settings.get('dataset', 'digits')]}, "
        f"TensorFlow {study['environment']['tensorflow']}."
    ]
    for check, wording in _CHECK_WORDING.items():
        lines.append(f"  {held[check]:2d} of {len(seeds)} seeds: {wording}")
    spread = study["summary"]["final_train_error"]
    lines.append("  final training error, mean over the seeds (lowest to highest):")
    for kind in KINDS:
        cells = [
            f"{depth} layers {mean:.1%} ({low:.1%} to {high:.1%})"
            for depth, mean, low, high in zip(
                settings["depths"], spread[kind]["mean"], spread[kind]["min"], spread[kind]["max"]
            )
        ]
        lines.append(f"    {kind:8s} " + "; ".join(cells))
    return "\n".join(lines)


def load_study(path=CONVERGENCE_STUDY):
    """A saved study as written by ``scripts/run_degradation_study.py``, or None when
    this copy of the course has none."""
    return read_saved_study(path)


def settled_lines(study, window=10):
    """One line per net of a saved study: its final training loss and error (means over
    the seeds) and, for each seed, :func:`late_drop` over ``window`` epochs."""
    lines = []
    summary = study["summary"]
    for kind in KINDS:
        losses = summary["final_train_loss"][kind]["mean"]
        errors = summary["final_train_error"][kind]["mean"]
        for index, depth in enumerate(study["settings"]["depths"]):
            drops = [late_drop(run[kind]["epoch_losses"][index], window) for run in study["runs"]]
            lines.append(
                f"  {kind:8s} {depth:3d} layers: loss {losses[index]:.4f}, "
                f"error {errors[index]:.1%}, still falling: "
                + ", ".join(f"{drop:.2f}" for drop in drops)
            )
    return lines


def late_drop(epoch_losses, window=10):
    """How much the training loss still fell at the end of a run: the mean loss of the
    last ``window`` epochs over the mean of the ``window`` before (1.0: flat)."""
    losses = np.asarray(epoch_losses, dtype="float64")
    return float(losses[-window:].mean() / losses[-2 * window : -window].mean())


def depth_lines(study, depth):
    """The plain and residual nets of one depth of a saved study, seed by seed: final
    training loss and error (a net that learned nothing sits at ln 10 = 2.30)."""
    index = study["settings"]["depths"].index(depth)
    return [
        f"  {kind:8s} {depth:3d} layers, seed {run['seed']}: loss "
        f"{run[kind]['final_train_loss'][index]:.4f}, error "
        f"{run[kind]['final_train_error'][index]:.1%}"
        for run in study["runs"]
        for kind in KINDS
    ]


def budget_lines(short, long, window=5):
    """Each net of study ``long`` beside the same net (depth, kind and seed) of study
    ``short``: its final training error after each budget of epochs, and how much its
    loss still fell at the end of the longer run (:func:`late_drop`)."""
    epochs = (short["settings"]["epochs"], long["settings"]["epochs"])
    lines = [
        f"  final training error after {epochs[0]} and after {epochs[1]} epochs; still "
        f"falling: the last {window} of the {epochs[1]} epochs' loss over the {window} before"
    ]
    for run in long["runs"]:
        twin = next(r for r in short["runs"] if r["seed"] == run["seed"])
        for kind in KINDS:
            for index, depth in enumerate(long["settings"]["depths"]):
                before = twin[kind]["final_train_error"][short["settings"]["depths"].index(depth)]
                after = run[kind]["final_train_error"][index]
                drop = late_drop(run[kind]["epoch_losses"][index], window)
                lines.append(
                    f"    {kind:8s} {depth:3d} layers, seed {run['seed']}: "
                    f"{before:.1%} -> {after:.2%}, still falling: {drop:.2f}"
                )
    return lines
