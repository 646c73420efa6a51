"""Figures of chapter 11's recipe experiments: activation sizes at initialization, and
the training loss of each recipe."""

import matplotlib.pyplot as plt
import numpy as np


def plot_activation_scales(scales):
    """One line per ``(initializer, channels)``: each layer's root mean square, log scale."""
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for (initializer, width), rms in scales.items():
        layers = np.arange(1, len(rms) + 1)
        ax.semilogy(layers, rms, marker="o", markersize=3, label=f"{initializer}, {width} channels")
    ax.axhline(1.0, color="0.6", linewidth=0.8)
    ax.set_xlabel("layer (3x3 conv + ReLU, no batch norm)")
    ax.set_ylabel("root mean square of its output")
    ax.set_title("Activations at initialization")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_recipe_losses(runs, smooth=10):
    """Training loss per step of each recipe (one line per run, a colour per recipe),
    as a running mean over ``smooth`` steps."""
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    colors = {}
    for run in runs:
        color = colors.setdefault(run.recipe, f"C{len(colors)}")
        kernel = np.ones(smooth) / smooth
        smoothed = np.convolve(run.step_losses, kernel, mode="valid")
        label = run.recipe if run.seed == min(r.seed for r in runs) else None
        ax.plot(np.arange(smooth, len(run.step_losses) + 1), smoothed, color=color, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel(f"training loss (mean of {smooth} steps)")
    ax.set_title("The same network, the same batches, three recipes")
    ax.legend()
    fig.tight_layout()
    return fig
