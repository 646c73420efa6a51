"""Chapter 4's figures: v1 against v2 trained side by side, and eq. 5 of He et al.
(2016b) measured (data from ``resnet_lesson.experiments.activation_order``)."""

import matplotlib.pyplot as plt
import numpy as np

from resnet_lesson.experiments.activation_order import ORDERS
from resnet_lesson.figures.experiments import moving_average

COLORS = {"v1": "tab:red", "v2": "tab:blue"}
LABELS = {"v1": "v1 (post-activation)", "v2": "v2 (pre-activation)"}


def plot_activation_order(results, smooth=10):
    """Left: training loss of each order, the mean over seeds with the band from the
    lowest to the highest seed (moving averages over ``smooth`` steps, log scale).
    Right: held-out test error after training, one dot per seed and a bar at the mean.
    Returns the Figure."""
    settings = results["settings"]
    fig, (ax_curves, ax_error) = plt.subplots(1, 2, figsize=(11, 4))
    for position, order in enumerate(ORDERS):
        curves = np.array(
            [moving_average(losses, smooth) for losses in results[order]["step_losses"]]
        )
        steps = np.arange(curves.shape[1]) + min(smooth, len(results[order]["step_losses"][0]))
        ax_curves.plot(steps, curves.mean(axis=0), color=COLORS[order], label=LABELS[order])
        ax_curves.fill_between(
            steps, curves.min(axis=0), curves.max(axis=0), color=COLORS[order], alpha=0.25
        )
        errors = 100 * np.asarray(results[order]["test_error"])
        ax_error.bar(position, errors.mean(), color=COLORS[order], alpha=0.35, width=0.5)
        ax_error.plot(np.full(len(errors), position), errors, "o", color=COLORS[order])
    ax_curves.set_yscale("log")
    ax_curves.set_xlabel("training step")
    ax_curves.set_ylabel("training loss (cross-entropy)")
    ax_curves.set_title(
        f"{settings['depth']} layers, {len(settings['seeds'])} seeds (band: lowest to highest)"
    )
    ax_curves.legend()
    ax_error.set_xticks(range(len(ORDERS)), [LABELS[o] for o in ORDERS])
    ax_error.set_ylabel("test error after training (%)")
    ax_error.set_title(f"{settings['num_test']} held-out digits (dots: seeds, bar: mean)")
    fig.tight_layout()
    return fig


def plot_propagation(results):
    """Left: the loss gradient that reaches block ``l`` along the shortcuts alone,
    relative to the gradient at the last block, for v1 and v2. Right: v2's gradient at
    block ``l`` split as eq. 5 splits it, relative to the gradient at the last block.
    Returns the Figure."""
    fig, (ax_shortcut, ax_terms) = plt.subplots(1, 2, figsize=(11, 4))
    for order, marker in zip(ORDERS, "os"):
        ratios = results[order]["through_shortcuts_norm_ratio"]
        ax_shortcut.plot(
            np.arange(len(ratios)), ratios, marker + "-", color=COLORS[order], label=LABELS[order]
        )
    ax_shortcut.set_ylim(0, 1.1)
    ax_shortcut.set_xlabel("block l (0 = nearest the input)")
    ax_shortcut.set_ylabel("||shortcut-path gradient at x_l|| / ||dE/dx_L||")
    ax_shortcut.set_title("What the shortcuts alone carry down to block l")
    ax_shortcut.legend()
    v2 = results["v2"]
    blocks = np.arange(len(v2["grad_norm"]))
    top = v2["top_grad_norm"]
    ax_terms.plot(blocks, np.asarray(v2["grad_norm"]) / top, "o-", color="black", label="dE/dx_l")
    ax_terms.plot(blocks, np.ones(len(blocks)), "--", color=COLORS["v2"], label="dE/dx_L (the 1)")
    ax_terms.plot(
        blocks, v2["branch_term_norm_ratio"], "^-", color="tab:green", label="through the branches"
    )
    ax_terms.set_yscale("log")
    ax_terms.set_xlabel("block l (0 = nearest the input)")
    ax_terms.set_ylabel("norm / ||dE/dx_L||")
    ax_terms.set_title("v2: dE/dx_l = dE/dx_L + (the branch term)")
    ax_terms.legend()
    fig.tight_layout()
    return fig
