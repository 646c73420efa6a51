"""Figures for chapters 4 and 5: block diagrams and activation histograms.

Everything is drawn with plain matplotlib from the lists given, so the same code draws
the original (v1) block, the pre-activation (v2) block and the two shortcut kinds.
"""

import matplotlib.pyplot as plt
import numpy as np

_COLORS = {"BN": "#9ecae1", "ReLU": "#fdae6b", "conv": "#d9d9d9", "+": "white"}


def _color(label):
    for key, color in _COLORS.items():
        if label.startswith(key) or key in label.split():
            return color
    return "#d9d9d9"


def _box(ax, x, y, label, width=None, height=0.6):
    width = width or max(1.6, 0.16 * len(label) + 0.3)
    ax.add_patch(plt.Rectangle((x - width / 2, y - height / 2), width, height,
                               facecolor=_color(label), edgecolor="black", lw=1, zorder=3))
    ax.text(x, y, label, ha="center", va="center", fontsize=9, zorder=4)


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", lw=1.2, color="black",
                                shrinkA=0, shrinkB=0))


def draw_block(ax, steps, after_add=(), title="", shortcut_from=0, shortcut_box=None,
               shortcut_label="identity", input_label="x", output_label="output"):
    """Draw one residual block top to bottom on ``ax``.

    ``steps`` are the residual branch's boxes (labels such as "BN", "ReLU",
    "3x3 conv"), ``after_add`` what follows the addition. The shortcut leaves the main
    path after ``shortcut_from`` steps (0: from the input itself) and may hold a box.
    """
    spacing = 1.0
    y_in = 0.0
    ys = [y_in - spacing * (i + 1) for i in range(len(steps))]
    y_add = y_in - spacing * (len(steps) + 1)
    ys_after = [y_add - spacing * (i + 1) for i in range(len(after_add))]
    y_out = (ys_after[-1] if ys_after else y_add) - spacing

    def column_of_boxes(previous, ys, labels):
        """Boxes down the main path, each with an arrow from the one above; returns the
        bottom edge of the last."""
        for y, label in zip(ys, labels):
            _arrow(ax, (0, previous), (0, y + 0.3))
            _box(ax, 0, y, label)
            previous = y - 0.3
        return previous

    ax.text(0, y_in, input_label, ha="center", va="center", fontsize=11, weight="bold")
    previous = column_of_boxes(y_in - 0.2, ys, steps)
    _arrow(ax, (0, previous), (0, y_add + 0.22))
    ax.add_patch(plt.Circle((0, y_add), 0.22, facecolor="white", edgecolor="black"))
    ax.text(0, y_add, "+", ha="center", va="center", fontsize=13)
    previous = column_of_boxes(y_add - 0.22, ys_after, after_add)
    _arrow(ax, (0, previous), (0, y_out + 0.2))
    ax.text(0, y_out, output_label, ha="center", va="center", fontsize=11, weight="bold")

    # The shortcut: right from the branch point, down, and back into the addition.
    y_branch = (y_in - 0.5 * spacing if shortcut_from == 0
                else ys[shortcut_from - 1] - 0.5 * spacing)
    x_side = 2.9 if shortcut_box else 1.6
    ax.plot([0, x_side, x_side], [y_branch, y_branch, y_add + (0.45 if shortcut_box else 0)],
            color="#3182bd", lw=1.8)
    ax.plot([0], [y_branch], "o", color="#3182bd", ms=5)
    if shortcut_box:
        box_y = (y_branch + y_add) / 2
        _box(ax, x_side, box_y, shortcut_box)
        ax.plot([x_side, x_side], [box_y - 0.3, y_add], color="#3182bd", lw=1.8)
        ax.plot([x_side, x_side], [y_branch, box_y + 0.3], color="#3182bd", lw=1.8)
    ax.annotate("", xy=(0.22, y_add), xytext=(x_side, y_add),
                arrowprops=dict(arrowstyle="-|>", lw=1.8, color="#3182bd",
                                shrinkA=0, shrinkB=0))
    if not shortcut_box:
        ax.text(x_side + 0.1, (y_branch + y_add) / 2, shortcut_label, rotation=90,
                va="center", ha="left", fontsize=9, color="#3182bd")
    ax.set_title(title, fontsize=10)
    ax.set_xlim(-1.7, 4.5)
    ax.set_ylim(y_out - 0.5, y_in + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")


def v1_v2_blocks():
    """The original block (He et al. 2016a) beside the pre-activation block (2016b)."""
    fig, axes = plt.subplots(1, 2, figsize=(7, 5.6))
    draw_block(axes[0], ["3x3 conv", "BN", "ReLU", "3x3 conv", "BN"], after_add=["ReLU"],
               title="v1 (post-activation, 2016a)")
    draw_block(axes[1], ["BN", "ReLU", "3x3 conv", "BN", "ReLU", "3x3 conv"],
               title="v2 (pre-activation, 2016b)")
    fig.tight_layout()
    return fig


def activation_histograms(before, after, channels=(0, 1, 2), title_before="", title_after=""):
    """Histograms of a few channels' activations, before and after a normalization.

    ``before`` and ``after`` are arrays of shape (values, channels).
    """
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    for ax, values, title in ((axes[0], before, title_before), (axes[1], after, title_after)):
        low, high = np.percentile(values[:, list(channels)], [0.5, 99.5])
        bins = np.linspace(low, high, 50)
        for channel in channels:
            ax.hist(values[:, channel], bins=bins, alpha=0.5, density=True,
                    label=f"channel {channel}")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("activation value")
    axes[0].set_ylabel("density")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig
