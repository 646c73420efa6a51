"""Figures of the measured experiments: chapter 1's degradation, gradient norms and zero
mapping (data from ``resnet_lesson.experiments``), and chapter 5's gradient growth.

Each function takes the plain data an experiment returned and gives a matplotlib Figure.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colormaps
from matplotlib.ticker import MaxNLocator

from resnet_lesson.experiments.stacks import KINDS


def moving_average(values, window):
    """Moving average (valid part only) to make noisy per-step losses readable."""
    values = np.asarray(values, dtype="float64")
    window = max(1, min(window, len(values)))
    return np.convolve(values, np.ones(window) / window, mode="valid")


# Plain nets red and dashed, residual nets blue and solid (colormap, line, marker).
KIND_STYLES = {"plain": ("Reds", "--", "o"), "residual": ("Blues", "-", "s")}


def plot_degradation(results, smooth=10):
    """Left: training-loss curves of every net; right: final training error vs depth.

    Plain nets are dashed, residual nets solid; darker means deeper. Curves are
    moving averages over ``smooth`` steps. Returns the Figure.
    """
    depths = results["depths"]
    fig, (ax_curves, ax_depth) = plt.subplots(1, 2, figsize=(11, 4))
    shades = np.linspace(0.45, 0.95, len(depths))
    for kind in KINDS:
        cmap_name, line_style, marker = KIND_STYLES[kind]
        cmap = colormaps[cmap_name]
        for depth, losses, shade in zip(depths, results[kind]["step_losses"], shades):
            curve = moving_average(losses, smooth)
            steps = np.arange(len(curve)) + min(smooth, len(losses))
            ax_curves.plot(steps, curve, line_style, color=cmap(shade), label=f"{kind}-{depth}")
        ax_depth.plot(
            depths,
            100 * np.asarray(results[kind]["final_train_error"]),
            line_style,
            marker=marker,
            color=cmap(0.8),
            label=kind,
        )
    ax_curves.set_xlabel("training step")
    ax_curves.set_ylabel("training loss (cross-entropy)")
    ax_curves.set_title("Training loss, same budget for every net")
    ax_curves.legend(fontsize="small", ncol=2)
    ax_depth.set_xlabel("depth (weighted layers)")
    ax_depth.set_ylabel("training error after training (%)")
    ax_depth.set_xticks(depths)
    ax_depth.set_title("Training error vs depth")
    ax_depth.legend()
    fig.tight_layout()
    return fig


def plot_degradation_study(study, measure="loss"):
    """A saved degradation study (``scripts/run_degradation_study.py``). Left: every
    net's training loss per epoch, the mean over the seeds (log scale). Right: the
    training ``measure`` ("loss" or "error") at the end against depth (all training
    images in one batch), the mean with the lowest and highest seed (log scale).
    Plain nets dashed, residual nets solid, darker deeper. Returns the Figure."""
    settings, runs = study["settings"], study["runs"]
    depths = settings["depths"]
    fig, (ax_curves, ax_depth) = plt.subplots(1, 2, figsize=(11, 4))
    shades = np.linspace(0.45, 0.95, len(depths))
    for kind in KINDS:
        cmap_name, line_style, marker = KIND_STYLES[kind]
        cmap = colormaps[cmap_name]
        for index, (depth, shade) in enumerate(zip(depths, shades)):
            curves = np.array([run[kind]["epoch_losses"][index] for run in runs])
            epochs = np.arange(1, curves.shape[1] + 1)
            ax_curves.plot(
                epochs, curves.mean(axis=0), line_style, color=cmap(shade), label=f"{kind}-{depth}"
            )
        ends = np.array([run[kind][f"final_train_{measure}"] for run in runs])
        if measure == "error":
            ends = 100 * ends
        mean = ends.mean(axis=0)
        ax_depth.errorbar(
            depths,
            mean,
            yerr=[mean - ends.min(axis=0), ends.max(axis=0) - mean],
            fmt=line_style,
            marker=marker,
            color=cmap(0.8),
            capsize=3,
            label=kind,
        )
    ax_curves.set_yscale("log")
    ax_curves.set_xlabel("epoch")
    ax_curves.set_ylabel("training loss (mean over seeds)")
    ax_curves.set_title(
        f"{settings.get('dataset', 'digits')}: {settings['epochs']} epochs, "
        f"{len(runs)} seed{'' if len(runs) == 1 else 's'}"
    )
    ax_curves.legend(fontsize="small", ncol=2)
    ax_depth.set_xlabel("depth (weighted layers)")
    ax_depth.set_yscale("log")  # errors from under 1% to chance sit on one axis
    if measure == "loss":
        ax_depth.set_ylabel("training loss at the end")
    else:
        ax_depth.set_ylabel("training error at the end (%, log scale)")
    ax_depth.set_xticks(depths)
    ax_depth.set_title("bars: lowest to highest seed")
    ax_depth.legend()
    fig.tight_layout()
    return fig


def plot_gradient_norms(results):
    """Gradient norm per conv layer (input side on the left), log scale. Returns the Figure."""
    depths = results["depths"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    shades = np.linspace(0.45, 0.95, len(depths))
    for ax, kind, cmap_name in zip(axes, KINDS, ("Reds", "Blues")):
        cmap = colormaps[cmap_name]
        for depth, norms, ratio, shade in zip(
            depths, results[kind]["grad_norms"], results[kind]["first_last_ratio"], shades
        ):
            ax.plot(
                np.arange(1, len(norms) + 1),
                norms,
                marker=".",
                color=cmap(shade),
                label=f"{depth} layers (first/last = {ratio:,.0f}x)"
                if ratio >= 10
                else f"{depth} layers (first/last = {ratio:.1f}x)",
            )
        ax.set_yscale("log")
        ax.set_xlabel("conv layer (1 = nearest the input)")
        ax.set_title(f"{kind} nets at initialization (with batch norm)")
        ax.legend(fontsize="small")
    axes[0].set_ylabel("gradient norm of the loss w.r.t. the kernel")
    fig.tight_layout()
    return fig


def plot_zero_mapping(results):
    """Left: how much each block changes its input, ||F(x)|| / ||x||, after the extra
    steps (the appended, zero-initialized block in orange); right: training error of the
    trained net, with the zero block, with a random block, and after the extra steps.
    Returns the Figure."""
    network = results["network"]
    ratios = list(network["other_branch_ratios"]) + [network["new_branch_ratio"]]
    fig, (ax_blocks, ax_error) = plt.subplots(1, 2, figsize=(11, 4))
    positions = np.arange(len(ratios))
    colors = ["tab:blue"] * (len(ratios) - 1) + ["tab:orange"]
    ax_blocks.bar(positions, ratios, color=colors)
    ax_blocks.set_xticks(positions, [f"block {i}" for i in range(len(ratios) - 1)] + ["new block"])
    ax_blocks.set_ylabel("mean ||F(x)|| / ||x||")
    ax_blocks.set_title(
        f"Residual branch size after {results['settings']['extra_steps']} more steps"
    )
    labels = ["trained", "+ zero block", "+ random block", "+ zero block,\nthen trained"]
    errors = [
        network["train_error_trained"],
        network["train_error_with_zero_block"],
        network["train_error_with_random_block"],
        network["train_error_after_extra_steps"],
    ]
    bars = ax_error.bar(
        labels,
        [100 * e for e in errors],
        color=["tab:blue", "tab:orange", "tab:gray", "tab:orange"],
    )
    ax_error.bar_label(bars, fmt="%.1f%%")
    ax_error.set_ylabel("training error (%)")
    ax_error.set_title("Appending a block to a trained residual net")
    fig.tight_layout()
    return fig


def gradient_growth(depths, curves):
    """``curves``: {label: relative gradient norms, one per depth}, on a log scale."""
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for (label, values), marker in zip(curves.items(), "os^v"):
        ax.plot(depths, values, marker + "-", label=label)
    ax.set_yscale("log")
    ax.set_xlabel("number of blocks stacked")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole blocks only
    ax.set_ylabel("|d output / d input| (relative)")
    ax.set_title("How strongly the output reacts to the input, at initialization")
    ax.legend()
    fig.tight_layout()
    return fig
