"""Figure for chapter 2: how many blocks each block layer stacks, per depth."""

import matplotlib.pyplot as plt


def blocks_per_layer(sizes, bottleneck):
    """Stacked horizontal bars: ``sizes`` {depth: [blocks per block layer]} and
    ``bottleneck`` {depth: bool}, as read from a model's attributes."""
    depths = sorted(sizes)
    colors = ["#9ecae1", "#6baed6", "#3182bd", "#08519c"]
    fig, ax = plt.subplots(figsize=(9, 3.4))
    for row, depth in enumerate(depths):
        left = 0
        for i, count in enumerate(sizes[depth]):
            ax.barh(row, count, left=left, color=colors[i], edgecolor="white",
                    label=f"block layer {i + 1}" if row == 0 else None)
            if count >= 3:
                ax.text(left + count / 2, row, str(count), ha="center", va="center",
                        fontsize=8, color="white" if i >= 2 else "black")
            left += count
        convs = 3 if bottleneck[depth] else 2
        kind = "bottleneck" if bottleneck[depth] else "regular"
        ax.text(left + 1, row, f"{left} {kind} blocks x {convs} convs + 2 = "
                f"{convs * left + 2} layers", va="center", fontsize=8)
    ax.set_yticks(range(len(depths)), [f"ResNet-{d}" for d in depths])
    ax.set_xlabel("blocks")
    ax.set_xlim(0, max(sum(s) for s in sizes.values()) * 2.2)
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title("Blocks per block layer")
    fig.tight_layout()
    return fig
