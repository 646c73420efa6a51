"""Chapter 6's figure: a trained residual net grown by zero blocks, then trained on,
against the same net trained on without them (data from
``resnet_lesson.experiments.run_growing``)."""

import matplotlib.pyplot as plt
import numpy as np


def plot_growing(results):
    """Held-out test error (left) and training loss (right), one line per seed: after
    the first steps, then after the extra steps for the net as it was and for the grown
    net. Returns the Figure."""
    settings = results["settings"]
    small, grown = settings["num_blocks"], settings["num_blocks"] + settings["extra_blocks"]
    labels = [
        f"{small} blocks,\n{settings['first_steps']} steps",
        f"{small} blocks,\n+{settings['more_steps']} steps",
        f"grown to {grown},\n+{settings['more_steps']} steps",
    ]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, key, scale, ylabel in (
        (axes[0], "test_error", 100, "test error (%)"),
        (axes[1], "train_loss", 1, "training loss"),
    ):
        values = scale * np.array([results[part][key] for part in ("before", "small", "grown")])
        for seed, column in zip(settings["seeds"], values.T):
            ax.plot(range(3), column, "o-", alpha=0.7, label=f"seed {seed}")
        ax.plot(range(3), values.mean(axis=1), "k_", markersize=20, label="mean")
        ax.set_xticks(range(3), labels)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize="small")
    axes[0].set_title(f"Held-out digits ({settings['num_test']})")
    axes[1].set_title("Training set")
    fig.tight_layout()
    return fig
