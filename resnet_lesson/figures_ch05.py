"""Figures for chapter 5: the two shortcut kinds, and what scaling the shortcut does."""

import matplotlib.pyplot as plt

from resnet_lesson.figures_ch04 import draw_block


def shortcut_kinds():
    """A v2 block with the identity shortcut beside one with a strided 1x1 projection."""
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 5.4))
    draw_block(axes[0], ["BN", "ReLU", "3x3 conv", "BN", "ReLU", "3x3 conv"],
               title="identity shortcut: same shape in and out", input_label="x")
    draw_block(axes[1], ["BN", "ReLU", "3x3 conv, stride 2", "BN", "ReLU", "3x3 conv"],
               title="projection shortcut: stride 2, more channels",
               shortcut_from=2, shortcut_box="1x1 conv, stride 2", input_label="x")
    axes[1].text(0.35, -2.5, "pre_activated", fontsize=8, color="#3182bd", ha="left")
    fig.tight_layout()
    return fig


def gradient_growth(depths, curves):
    """``curves``: {label: relative gradient norms, one per depth}, on a log scale."""
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for (label, values), marker in zip(curves.items(), "os^v"):
        ax.plot(depths, values, marker + "-", label=label)
    ax.set_yscale("log")
    ax.set_xlabel("number of blocks stacked")
    ax.set_ylabel("|d output / d input| (relative)")
    ax.set_title("How strongly the output reacts to the input, at initialization")
    ax.legend()
    fig.tight_layout()
    return fig
