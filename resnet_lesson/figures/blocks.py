"""Block diagrams, drawn by code: one :func:`draw_block` serves every chapter.

- chapter 4: the original block (v1, post-activation) beside the pre-activation block
  (v2), :func:`v1_v2_blocks`;
- chapter 5: the identity and the projection shortcut, :func:`shortcut_kinds`;
- chapters 6 and 7: the regular and the bottleneck block exactly as the reference model
  builds them, with the channel counts written on the arrows, so the squeeze and expand
  of the bottleneck show as narrow and wide boxes, :func:`block_diagrams` (He et al.
  2016b, Figure 1b; the bottleneck of He et al. 2016a, Figure 5).

The figures are made with pyplot, so a notebook cell shows them with ``plt.show()``.
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

PRE_ACTIVATION_COLOR = "#cfe2f3"
CONV_COLOR = "#f9cb9c"
PROJECTION_COLOR = "#b6d7a8"
SHORTCUT_COLOR = "#2b7a2b"

_MAIN_X = 0.62  # the residual branch runs down here; the shortcut at x = 0
_STEP = 1.0
_BOX_HEIGHT = 0.5
_CHAR_WIDTH = 0.028  # about one character of a box label, in the same units


def block_layers(kind, filters, strides, recipe=True):
    """The branch of a pre-activation block, in order: ``[(label, output channels or
    None), ...]``. ``None`` marks a pre-activation (batch norm + ReLU), which keeps the
    channels. ``recipe=False`` labels a bottleneck's convs by their role only (squeeze,
    spatial, expand), without kernel sizes or strides: chapter 7 asks the learner to
    write that block, so its figure shows the idea, not every conv's settings."""
    stride_text = f", stride {strides}" if strides != 1 else ""
    if kind == "bottleneck" and not recipe:
        return [
            ("BN + ReLU", None),
            ("squeeze conv", filters),
            ("BN + ReLU", None),
            ("spatial conv", filters),
            ("BN + ReLU", None),
            ("expand conv", 4 * filters),
        ]
    if kind == "regular":
        return [
            ("BN + ReLU", None),
            (f"3x3 conv, {filters}{stride_text}", filters),
            ("BN + ReLU", None),
            (f"3x3 conv, {filters}", filters),
        ]
    if kind == "bottleneck":
        return [
            ("BN + ReLU", None),
            (f"1x1 conv, {filters}", filters),
            ("BN + ReLU", None),
            (f"3x3 conv, {filters}{stride_text}", filters),
            ("BN + ReLU", None),
            (f"1x1 conv, {4 * filters}", 4 * filters),
        ]
    raise ValueError(f"kind must be 'regular' or 'bottleneck', got {kind!r}")


def _box(ax, x, y, width, text, color):
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - _BOX_HEIGHT / 2),
            width,
            _BOX_HEIGHT,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=color,
            edgecolor="#444444",
            linewidth=1,
            zorder=3,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5, zorder=4)


def _arrow(ax, start, end, label=None, color="#333333"):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(arrowstyle="-|>", color=color, linewidth=1.2, shrinkA=0, shrinkB=0),
    )
    if label is not None:
        ax.text(
            start[0] + 0.03,
            (start[1] + end[1]) / 2,
            label,
            fontsize=7.5,
            color="#555555",
            va="center",
            ha="left",
        )


def draw_block(
    ax,
    steps,
    *,
    after_add=(),
    shortcut_from=0,
    projection=None,
    input_label="x",
    output_label="output",
    in_channels=None,
):
    """Draw one residual block on ``ax``, input at the top, output at the bottom.

    ``steps`` are the residual branch's boxes, each a label ("BN", "3x3 conv, stride 2")
    or ``(label, output channels)``; with ``in_channels`` given, every arrow is labelled
    with the channels it carries and conv boxes are as wide as their channels. A label
    with "conv" in it is drawn as a conv, any other as a normalization or activation.
    ``after_add`` lists what follows the addition (v1's ReLU). The shortcut leaves the
    branch after ``shortcut_from`` steps (0: the input itself) and is an identity, or,
    when ``projection`` names a box ("1x1 conv, stride 2"), that box.
    """
    steps = [step if isinstance(step, tuple) else (step, None) for step in steps]
    widest = max([in_channels or 0] + [out or 0 for _, out in steps]) or None
    top = len(steps) + 1.0
    ax.text(
        _MAIN_X, top + 0.3, input_label, ha="center", va="bottom", fontsize=9, fontweight="bold"
    )
    previous, channels, step_ys = (_MAIN_X, top + 0.2), in_channels, []
    for index, (label, out) in enumerate(steps):
        y = top - (index + 1) * _STEP
        _arrow(
            ax,
            previous,
            (_MAIN_X, y + _BOX_HEIGHT / 2),
            None if channels is None else f"{channels}",
        )
        is_conv = "conv" in label
        width = 0.42 + 0.3 * out / widest if (is_conv and out and widest) else 0.5
        if len(label) * _CHAR_WIDTH > width:  # too long for its box: the stride goes below
            label = label.replace(", stride", "\nstride")
        _box(ax, _MAIN_X, y, width, label, CONV_COLOR if is_conv else PRE_ACTIVATION_COLOR)
        channels = out if out is not None else channels
        previous = (_MAIN_X, y - _BOX_HEIGHT / 2)
        step_ys.append(y)

    add_y = top - (len(steps) + 1) * _STEP + 0.25
    _arrow(ax, previous, (_MAIN_X, add_y + 0.12), None if channels is None else f"{channels}")
    ax.plot(
        [_MAIN_X],
        [add_y],
        marker="o",
        markersize=15,
        markerfacecolor="white",
        markeredgecolor="#333333",
        zorder=3,
    )
    ax.text(_MAIN_X, add_y, "+", ha="center", va="center", fontsize=12, zorder=4)
    previous = (_MAIN_X, add_y - 0.12)
    for index, label in enumerate(after_add):
        y = add_y - (index + 1) * _STEP
        _arrow(ax, previous, (_MAIN_X, y + _BOX_HEIGHT / 2))
        _box(ax, _MAIN_X, y, 0.5, label, PRE_ACTIVATION_COLOR)
        previous = (_MAIN_X, y - _BOX_HEIGHT / 2)
    bottom = previous[1] - 0.45
    _arrow(ax, previous, (_MAIN_X, bottom))
    ax.text(_MAIN_X, bottom - 0.1, output_label, ha="center", va="top", fontsize=8.5)

    # The shortcut: left from its branch point, down, and right into the addition.
    if shortcut_from == 0:
        start_x, start_y = _MAIN_X, top + 0.05
    else:
        start_x, start_y = _MAIN_X, step_ys[shortcut_from - 1] - _BOX_HEIGHT / 2 - 0.2
        ax.text(
            _MAIN_X / 2,
            start_y + 0.03,
            "pre-activated x",
            fontsize=7.5,
            color=SHORTCUT_COLOR,
            va="bottom",
            ha="center",
        )
    line = dict(color=SHORTCUT_COLOR, linewidth=1.4)
    ax.plot([start_x, 0.0], [start_y, start_y], **line)
    ax.plot([start_x], [start_y], "o", color=SHORTCUT_COLOR, markersize=4)
    if projection:
        box_y = (start_y + add_y) / 2
        ax.plot([0.0, 0.0], [start_y, box_y + _BOX_HEIGHT / 2], **line)
        _box(ax, 0.0, box_y, 0.36, projection, PROJECTION_COLOR)
        ax.text(
            0.0, box_y - 0.3, "projection", ha="center", va="top", fontsize=8, color=SHORTCUT_COLOR
        )
        ax.plot([0.0, 0.0], [box_y - _BOX_HEIGHT / 2, add_y], **line)
    else:
        ax.plot([0.0, 0.0], [start_y, add_y], **line)
        ax.text(
            -0.04,
            (start_y + add_y) / 2,
            "identity shortcut",
            rotation=90,
            ha="right",
            va="center",
            fontsize=8,
            color=SHORTCUT_COLOR,
        )
    ax.annotate(
        "",
        xy=(_MAIN_X - 0.07, add_y),
        xytext=(0.0, add_y),
        arrowprops=dict(arrowstyle="-|>", shrinkA=0, shrinkB=0, **line),
    )

    ax.set_xlim(-0.24, 1.06)
    ax.set_ylim(bottom - 0.9, top + 0.7)
    ax.axis("off")
    return ax


def _pre_activation_block(ax, kind, projection, filters, strides, recipe=True, size=56):
    """A block as the reference model builds it (chapters 6 and 7); with ``recipe=False``
    the convs by role, and the map's size (``size`` pixels a side in) on the input and
    output labels instead."""
    out_channels = filters if kind == "regular" else 4 * filters
    in_channels = out_channels // 2 if projection else out_channels
    if not projection and strides != 1:
        raise ValueError("an identity shortcut needs stride 1 and equal channels")
    stride_text = f"\nstride {strides}" if strides != 1 else ""
    out_size = -(-size // strides)
    in_map = "" if recipe else f"{size}x{size}, "
    out_map = "" if recipe else f"{out_size}x{out_size}, "
    return draw_block(
        ax,
        block_layers(kind, filters, strides, recipe=recipe),
        in_channels=in_channels,
        shortcut_from=1 if projection else 0,
        projection=f"1x1 conv, {out_channels}{stride_text}" if projection else None,
        input_label=f"input x: {in_map}{in_channels} channels",
        output_label=f"output: {out_map}{out_channels} channels\n(no ReLU after the sum)",
    )


def block_diagrams(filters=64, strides=2, kinds=("regular", "bottleneck"), recipe=True):
    """A Figure with each block kind in ``kinds``, with an identity and with a projection
    shortcut (chapter 6 draws ``kinds=("regular",)``, chapter 7 the bottleneck with
    ``recipe=False``: its convs by role, and the map's size in and out).

    The projection versions stride by ``strides`` and take half the output channels
    in, as the first block of ResNet's later block layers does.
    """
    names = {"regular": "Regular block", "bottleneck": "Bottleneck block"}
    panels = [
        (
            kind,
            projection,
            strides if projection else 1,
            f"{names[kind]}\n({'projection' if projection else 'identity'} shortcut)",
        )
        for kind in kinds
        for projection in (False, True)
    ]
    figure = plt.figure(figsize=(3.25 * len(panels), 6.6), layout="constrained")
    axes = figure.subplots(1, len(panels))
    for ax, (kind, projection, block_strides, title) in zip(axes, panels):
        _pre_activation_block(ax, kind, projection, filters, block_strides, recipe=recipe)
        ax.set_title(title, fontsize=10)
    return figure


def v1_v2_blocks():
    """The original block (He et al. 2016a) beside the pre-activation block (2016b)."""
    figure = plt.figure(figsize=(6.5, 6.4), layout="constrained")
    axes = figure.subplots(1, 2)
    draw_block(axes[0], ["3x3 conv", "BN", "ReLU", "3x3 conv", "BN"], after_add=["ReLU"])
    axes[0].set_title("v1: post-activation (2016a)", fontsize=10)
    draw_block(axes[1], ["BN", "ReLU", "3x3 conv", "BN", "ReLU", "3x3 conv"])
    axes[1].set_title("v2: pre-activation (2016b)", fontsize=10)
    return figure


def shortcut_kinds():
    """A v2 block with the identity shortcut beside one with a strided 1x1 projection of
    the pre-activated input (chapter 5)."""
    figure = plt.figure(figsize=(6.5, 6.4), layout="constrained")
    axes = figure.subplots(1, 2)
    draw_block(axes[0], ["BN", "ReLU", "3x3 conv", "BN", "ReLU", "3x3 conv"])
    axes[0].set_title("identity shortcut:\nsame shape in and out", fontsize=10)
    draw_block(
        axes[1],
        ["BN", "ReLU", "3x3 conv, stride 2", "BN", "ReLU", "3x3 conv"],
        shortcut_from=2,
        projection="1x1 conv\nstride 2",
    )
    axes[1].set_title("projection shortcut:\nstride 2, more channels", fontsize=10)
    return figure
