"""Figures of whole networks, from what :mod:`resnet_lesson.analysis` measures.

- chapter 2: how many blocks each block layer stacks, per depth (:func:`blocks_per_layer`);
- chapter 8: channels and map size after every block (:func:`block_stack_figure`);
- chapter 9: the shape of the data at each stage (:func:`stage_shapes`,
  :func:`plot_stage_shapes`) and the counts against the paper (:func:`plot_counts_vs_paper`).
"""

import math

import keras
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from resnet_lesson import analysis
from resnet_lesson.figures.blocks import PROJECTION_COLOR

STAGES = (
    "input",
    "conv_initial",
    "pool_initial",
    "block_layer1",
    "block_layer2",
    "block_layer3",
    "block_layer4",
    "pooled",
)


def stage_shapes(model):
    """``{stage: (height, width, channels)}`` for the stages in :data:`STAGES`, read
    from a built model (``pooled`` is the vector the logits layer reads: 1 x 1)."""
    data_format = analysis.data_format_of(model)

    def hwc(shape):
        if data_format == "channels_first":
            return int(shape[2]), int(shape[3]), int(shape[1])
        return int(shape[1]), int(shape[2]), int(shape[3])

    shapes = {"input": hwc(model.inputs[0].shape)}
    for name in ("conv_initial", "pool_initial"):
        shapes[name] = hwc(model.get_layer(name).output.shape)
    for scope, tensor in analysis.block_layer_outputs(model).items():
        shapes[scope] = hwc(tensor.shape)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)][-1]
    shapes["pooled"] = (1, 1, int(dense.input.shape[-1]))
    return shapes


def plot_stage_shapes(shapes_by_name):
    """Two panels: map size and channels per stage, one line per network.

    ``shapes_by_name`` maps a label (``"ResNet-18"``) to :func:`stage_shapes` output.
    Networks often share a panel's values (every depth has the same map sizes), so each
    later line is drawn thinner and dashed on top of the earlier ones, and both show.
    Values are written above the first network's points and below the others' where
    they differ. Returns the pyplot Figure (show it with ``plt.show()``).
    """
    figure, (ax_size, ax_channels) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    markers = "osd^v"
    styles = ("-", "--", ":", "-.")
    drawn = {ax_size: [], ax_channels: []}  # earlier networks' values, per panel
    for index, ((label, shapes), marker) in enumerate(zip(shapes_by_name.items(), markers)):
        stages = [s for s in STAGES if s in shapes]
        positions = list(range(len(stages)))
        for ax, axis in ((ax_size, 0), (ax_channels, 2)):
            values = [shapes[s][axis] for s in stages]
            ax.plot(
                positions,
                values,
                marker=marker,
                linestyle=styles[index % len(styles)],
                linewidth=max(3.2 - 1.2 * index, 1.2),
                markersize=max(9 - 3 * index, 4),
                color=f"C{index}",
                zorder=2 + index,
                label=label,
            )
            for x, value in zip(positions, values):
                if any(value == earlier[x] for earlier in drawn[ax] if x < len(earlier)):
                    continue  # already written at this point
                ax.annotate(
                    str(value),
                    (x, value),
                    fontsize=8,
                    color=f"C{index}",
                    textcoords="offset points",
                    xytext=(0, 8 if index == 0 else -14),
                    ha="center",
                )
            drawn[ax].append(values)
            ax.set_xticks(positions, stages, rotation=35, ha="right", fontsize=8)
    for ax, title, ylabel in (
        (ax_size, "Feature-map size", "map height = width (log scale)"),
        (ax_channels, "Channels", "channels (log scale)"),
    ):
        ax.set_yscale("log", base=2)
        values = [value for values in drawn[ax] for value in values]
        # Room above the highest value and below the lowest for the written numbers.
        ax.set_ylim(min(values) / 2, max(values) * 2.5)
        ax.set_xlim(-0.5, len(STAGES) - 0.5)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(fontsize=8, loc="best")
        ax.grid(alpha=0.3)
    return figure


def blocks_per_layer(sizes, bottleneck):
    """Stacked horizontal bars: ``sizes`` {depth: [blocks per block layer]} and
    ``bottleneck`` {depth: bool}, as read from a model's attributes."""
    depths = sorted(sizes)
    colors = ["#9ecae1", "#6baed6", "#3182bd", "#08519c"]
    fig, ax = plt.subplots(figsize=(9, 3.4))
    for row, depth in enumerate(depths):
        left = 0
        for i, count in enumerate(sizes[depth]):
            ax.barh(
                row,
                count,
                left=left,
                color=colors[i],
                edgecolor="white",
                label=f"block layer {i + 1}" if row == 0 else None,
            )
            if count >= 3:
                ax.text(
                    left + count / 2,
                    row,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if i >= 2 else "black",
                )
            left += count
        convs = 3 if bottleneck[depth] else 2
        kind = "bottleneck" if bottleneck[depth] else "regular"
        ax.text(
            left + 1,
            row,
            f"{left} {kind} blocks x {convs} convs + 2 = {convs * left + 2} layers",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(depths)), [f"ResNet-{d}" for d in depths])
    ax.set_xlabel("blocks")
    ax.set_xlim(0, max(sum(s) for s in sizes.values()) * 2.2)
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title("Blocks per block layer")
    fig.tight_layout()
    return fig


def plot_counts_vs_paper(rows):
    """Bar charts of parameters (millions) and multiply-adds (GFLOPs) per depth,
    measured next to the published values (multiply-adds from the paper's Table 1,
    parameters as widely cited). Returns a matplotlib Figure.

    The Figure is made without pyplot, so a notebook shows it once (as the cell's
    value) and no global figure is left open.
    """
    depths = [row["depth"] for row in rows]
    positions = range(len(rows))
    width = 0.38
    figure = Figure(figsize=(10, 4), layout="constrained")
    axes = figure.subplots(1, 2)
    panels = (
        # The paper gives no parameter counts: those are the widely cited ones.
        ("params", "cited_params", 1e6, "parameters (millions)", "cited (torchvision, Keras)"),
        ("multiply_adds", "paper_multiply_adds", 1e9, "multiply-adds (GFLOPs)", "paper, Table 1"),
    )
    for ax, (key, paper_key, unit, label, source) in zip(axes, panels):
        measured = [row[key] / unit for row in rows]
        paper = [float("nan") if row[paper_key] is None else row[paper_key] / unit for row in rows]
        bars = ax.bar(
            [p - width / 2 for p in positions], measured, width, label="measured (this model)"
        )
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
        bars = ax.bar([p + width / 2 for p in positions], paper, width, label=source)
        # A depth with no published number gets no bar and no label.
        ax.bar_label(bars, labels=["" if math.isnan(v) else f"{v:.1f}" for v in paper], fontsize=8)
        ax.set_xticks(list(positions), [f"ResNet-{d}" for d in depths])
        ax.set_ylabel(label)
        ax.legend(loc="upper left")
    axes[0].set_title("Parameters")
    size = rows[0]["image_size"] if rows else 224
    axes[1].set_title(f"Multiply-adds per {size}x{size} image")
    return figure


def block_stack_figure(model, title=None):
    """A bar per block of ``model``: its output channels, its map size written on top,
    projection blocks in green. Block layers are separated by dotted lines."""
    blocks = analysis.blocks_of(model)
    channels_first = analysis.data_format_of(model) == "channels_first"
    channels = [b["output_shape"][0 if channels_first else -1] for b in blocks]
    sizes = [b["output_shape"][1:] if channels_first else b["output_shape"][:-1] for b in blocks]
    figure = plt.figure(figsize=(max(6, 0.42 * len(blocks) + 2), 3.6), layout="constrained")
    ax = figure.subplots()
    colors = [PROJECTION_COLOR if b["projection"] else "#d9d9d9" for b in blocks]
    positions = range(len(blocks))
    ax.bar(positions, channels, color=colors, edgecolor="#555555")
    for x, height, size in zip(positions, channels, sizes):
        ax.text(
            x,
            height * 1.04,
            "x".join(str(s) for s in size),
            ha="center",
            va="bottom",
            fontsize=7,
            rotation=90,
        )
    for x in range(1, len(blocks)):
        if blocks[x]["block_layer"] != blocks[x - 1]["block_layer"]:
            ax.axvline(x - 0.5, color="#888888", linestyle=":")
    ax.set_xticks(
        list(positions),
        [f"{b['block_layer']}.{b['block']}" for b in blocks],
        fontsize=7,
        rotation=90,
    )
    ax.set_xlabel("block (block layer . block)")
    ax.set_ylabel("output channels")
    ax.set_ylim(0, max(channels) * 1.3)
    ax.legend(
        handles=[
            Patch(color=PROJECTION_COLOR, label="projection shortcut"),
            Patch(color="#d9d9d9", label="identity shortcut"),
        ],
        loc="upper left",
        fontsize=8,
    )
    ax.set_title(title or f"{model.name}: channels and map size after each block", fontsize=10)
    return figure
