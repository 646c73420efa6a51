"""He et al.'s (2016b) two ablations, trained on the digits: the shortcut variants
(chapter 5) and the activation orderings (chapter 4).

:func:`run_units` trains one network per unit kind and seed, every kind with the same
batches, optimizer and number of steps, and returns plain data that
``resnet_lesson.figures.ablations`` draws. The chapters run a small live version; the
saved studies (``scripts/run_ablation_study.py``, many seeds, longer, deeper) are read
by :func:`load_study`.
"""

import time

import keras
import numpy as np
import tensorflow as tf

from resnet_lesson import course
from resnet_lesson.experiments.saved import read_saved_study
from resnet_lesson.experiments.steps import evaluate, fresh_start, split_digits, train
from resnet_lesson.experiments.unit_variants import ORDERINGS, SHORTCUTS, build_unit_stack

STUDIES = {
    "shortcuts": course.ROOT / "docs" / "results" / "shortcut_study.json",
    "orderings": course.ROOT / "docs" / "results" / "ordering_study.json",
}


def unit_kwargs(ablation, kind):
    """The :func:`build_unit_stack` arguments of one kind of ``ablation``."""
    if ablation == "shortcuts" and kind in SHORTCUTS:
        return {"shortcut": kind}
    if ablation == "orderings" and kind in ORDERINGS:
        return {"ordering": kind}
    known = list(SHORTCUTS if ablation == "shortcuts" else ORDERINGS)
    raise ValueError(f"{ablation} has the kinds {known}, got {kind!r}")


def run_units(
    ablation,
    kinds,
    depth,
    epochs,
    seeds=(0,),
    width=16,
    batch_size=64,
    learning_rate=3e-3,
    num_test=360,
    verbose=False,
):
    """Train a stack of ``depth`` layers for each kind of unit and each seed.

    For one seed every kind starts from the same random stream and sees the same
    batches, in the same order, with Adam at a constant rate (the course's experiments
    compare networks, not recipes). Returns ``{"settings", "seconds", "runs"}`` where
    ``runs[kind]`` is a dict of lists aligned with ``seeds``: ``step_losses`` (every
    training step's loss), ``train_error`` and ``train_loss`` (all training digits in
    one batch, batch norm on their statistics, see ``experiments.evaluate``),
    ``test_error`` (the ``num_test`` held-out digits, inference mode) and ``seconds``.
    """
    start = time.perf_counter()
    train_x, train_y, test_x, test_y = split_digits(num_test)
    seeds = [int(seed) for seed in seeds]
    kinds = list(kinds)
    settings = dict(
        ablation=ablation,
        kinds=kinds,
        depth=depth,
        epochs=epochs,
        seeds=seeds,
        width=width,
        batch_size=batch_size,
        learning_rate=learning_rate,
        num_train=len(train_x),
        num_test=len(test_x),
    )
    fields = ("step_losses", "train_loss", "train_error", "test_error", "seconds")
    runs = {kind: {field: [] for field in fields} for kind in kinds}
    traced = {}  # one network per kind, restarted from each seed's weights
    for seed in seeds:
        for kind in kinds:
            t0 = time.perf_counter()
            keras.utils.set_random_seed(seed)
            fresh = build_unit_stack(depth, width=width, **unit_kwargs(ablation, kind))
            model = fresh_start(traced, kind, fresh)
            losses = train(model, train_x, train_y, epochs, batch_size, learning_rate, seed=seed)
            train_loss, train_error = evaluate(model, train_x, train_y, training=True)
            _, test_error = evaluate(model, test_x, test_y)
            values = (losses, train_loss, train_error, test_error, time.perf_counter() - t0)
            for field, value in zip(fields, values):
                runs[kind][field].append(value)
            if verbose:
                print(
                    f"seed {seed} {kind:>24}: training error {train_error:6.1%}, "
                    f"held-out error {test_error:6.1%} ({values[-1]:.0f} s)",
                    flush=True,
                )
    return {"settings": settings, "runs": runs, "seconds": time.perf_counter() - start}


def summary(results):
    """``{kind: {"train_error": (mean, lowest, highest), "test_error": (...)}}`` over seeds."""
    table = {}
    for kind, run in results["runs"].items():
        table[kind] = {
            field: tuple(float(f(run[field])) for f in (np.mean, np.min, np.max))
            for field in ("train_error", "test_error")
        }
    return table


def to_record(results, epoch_points=50):
    """``results`` as JSON-ready data: the step losses thinned to ``epoch_points`` means
    per run (enough for a curve, a small file), the environment and the summary."""
    record = {
        "settings": results["settings"],
        "environment": {"tensorflow": tf.__version__, "keras": keras.__version__},
        "seconds": results["seconds"],
        "runs": {},
        "summary": summary(results),
    }
    for kind, run in results["runs"].items():
        record["runs"][kind] = {
            field: [float(v) for v in run[field]]
            for field in ("train_loss", "train_error", "test_error", "seconds")
        }
        record["runs"][kind]["loss_curve"] = [
            [
                float(chunk.mean())
                for chunk in np.array_split(losses, min(epoch_points, len(losses)))
            ]
            for losses in run["step_losses"]
        ]
    return record


def load_study(ablation, path=None):
    """A saved study's record (see :func:`to_record`), or None when this copy of the
    course has none. A study file holds one record per depth: ``{"depths": {"56": ...}}``."""
    return read_saved_study(path or STUDIES[ablation])


def paper_errors(ablation, network="ResNet-110"):
    """``{kind: the paper's CIFAR-10 test error in %, as printed ("6.61", "fail")}``.

    Shortcuts: Table 1 of He et al. (2016b), ResNet-110 with original units. Orderings:
    their Table 2, for ``network`` "ResNet-110" or "ResNet-164"."""
    if ablation == "shortcuts":
        return {kind: error for kind, (_, error) in SHORTCUTS.items()}
    column = ("ResNet-110", "ResNet-164").index(network)
    return {kind: errors[column] for kind, (_, errors) in ORDERINGS.items()}


def summary_lines(record, paper):
    """One line per kind: its mean training and held-out error over the seeds (with the
    lowest and highest) beside the paper's test error ``paper[kind]``."""
    settings = record["settings"]
    lines = [
        f"{settings['depth']} layers, {settings['epochs']} epochs, seeds "
        f"{settings['seeds']}, Adam at {settings['learning_rate']:g}; errors in %:",
        f"{'unit':>26} {'training error':>20} {'held-out error':>20} {'paper':>7}",
    ]
    for kind, row in record["summary"].items():
        cells = [
            f"{100 * mean:5.1f} ({100 * low:4.1f}-{100 * high:4.1f})"
            for mean, low, high in (row["train_error"], row["test_error"])
        ]
        lines.append(f"{kind:>26} {cells[0]:>20} {cells[1]:>20} {paper[kind]:>7}")
    return "\n".join(lines)
