"""The figure of He et al.'s (2016b) ablations as the course trains them (chapters 4 and
5): one training-loss curve per unit kind, and each kind's errors beside the paper's.
Data: a record of ``resnet_lesson.experiments.ablations.to_record``."""

import matplotlib.pyplot as plt
import numpy as np


def plot_unit_study(record, paper_errors, paper_label):
    """Left: the training loss of each kind of unit, mean over the seeds (log scale,
    x in epochs). Right: each kind's training error (filled) and held-out error (open),
    one dot per seed and a bar at the mean; the paper's test error is written at the
    right. ``paper_errors`` maps each kind to the paper's number (a string: "6.61" or
    "fail"); ``paper_label`` names it. Returns the Figure."""
    settings, runs = record["settings"], record["runs"]
    kinds = list(runs)
    colors = plt.cm.tab10(np.arange(len(kinds)) % 10)
    fig, (ax_curves, ax_errors) = plt.subplots(
        1, 2, figsize=(12, 0.45 * len(kinds) + 3), gridspec_kw={"width_ratios": [1.1, 1]}
    )
    for kind, color in zip(kinds, colors):
        curves = np.array(runs[kind]["loss_curve"])
        epochs = np.linspace(0, settings["epochs"], curves.shape[1] + 1)[1:]
        ax_curves.plot(epochs, curves.mean(axis=0), color=color, label=kind)
    ax_curves.set_yscale("log")
    ax_curves.set_xlabel("epoch")
    ax_curves.set_ylabel("training loss (mean over seeds)")
    ax_curves.set_title(
        f"{settings['depth']} layers, {len(settings['seeds'])} seeds, "
        f"{settings['num_train']:,} training digits"
    )
    ax_curves.legend(fontsize=8)
    for row, (kind, color) in enumerate(zip(kinds, colors)):
        for field, offset, fill in (("train_error", -0.17, color), ("test_error", 0.17, "white")):
            errors = 100 * np.asarray(runs[kind][field])
            ax_errors.barh(row + offset, errors.mean(), height=0.3, color=color, alpha=0.35)
            ax_errors.plot(
                errors, np.full(len(errors), row + offset), "o", color=color, markerfacecolor=fill
            )
        ax_errors.annotate(
            f"paper: {paper_errors[kind]}",
            (1.01, row),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8,
        )
    ax_errors.set_yticks(range(len(kinds)), kinds)
    ax_errors.invert_yaxis()
    highest = max(100 * max(run[f]) for run in runs.values() for f in ("train_error", "test_error"))
    ax_errors.set_xlim(0, max(5.0, 1.1 * highest))
    ax_errors.set_xlabel("error after training (%): filled = training, open = held out")
    ax_errors.set_title(f"right margin: {paper_label}", fontsize=9)
    fig.tight_layout(rect=(0, 0, 0.96, 1))  # room for the paper's numbers
    return fig
