"""Block diagrams of the pre-activation ResNet blocks, drawn by code (chapters 6 and 7).

:func:`draw_block` draws one block on a matplotlib Axes; :func:`block_diagrams` returns a
Figure with the regular and the bottleneck block, each with an identity and with a
projection shortcut. :func:`blocks_of` lists the blocks of a built network and
:func:`block_stack_figure` draws them (chapter 8). The layers drawn are exactly the ones the reference model
creates (He et al. 2016b, Figure 1b, and the bottleneck of He et al. 2016a, Figure 5),
with the channel counts written on the arrows, so the squeeze and expand of the
bottleneck shows as narrow and wide boxes.

The figures are made with pyplot, so a notebook cell shows them with ``plt.show()``
(a bare ``Figure`` is shown as text until pyplot's inline display is active).
"""

import re

import keras
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch, Patch

PRE_ACTIVATION_COLOR = "#cfe2f3"
CONV_COLOR = "#f9cb9c"
PROJECTION_COLOR = "#b6d7a8"

_MAIN_X = 0.62
_SHORTCUT_X = 0.0
_STEP = 1.0


def block_layers(kind, filters, strides):
    """The branch of a block, in order: ``[(label, output channels or None), ...]``.

    ``None`` marks a pre-activation (batch norm + ReLU), which keeps the channels.
    """
    stride_text = f", stride {strides}" if strides != 1 else ""
    if kind == "regular":
        return [("BN + ReLU", None), (f"3x3 conv, {filters}{stride_text}", filters),
                ("BN + ReLU", None), (f"3x3 conv, {filters}", filters)]
    if kind == "bottleneck":
        return [("BN + ReLU", None), (f"1x1 conv, {filters}", filters),
                ("BN + ReLU", None), (f"3x3 conv, {filters}{stride_text}", filters),
                ("BN + ReLU", None), (f"1x1 conv, {4 * filters}", 4 * filters)]
    raise ValueError(f"kind must be 'regular' or 'bottleneck', got {kind!r}")


def _box(ax, x, y, width, text, color):
    height = 0.5
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.08",
                                facecolor=color, edgecolor="#444444", linewidth=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5)


def _arrow(ax, start, end, label=None):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color="#333333", linewidth=1.1,
                                shrinkA=0, shrinkB=0))
    if label is not None:
        ax.text(start[0] + 0.03, (start[1] + end[1]) / 2, label, fontsize=7.5,
                color="#555555", va="center", ha="left")


def draw_block(ax, kind="regular", projection=False, filters=64, strides=1,
               in_channels=None):
    """Draw one pre-activation block on ``ax``, input at the top, output at the bottom.

    ``in_channels`` defaults to the block's output channels (an identity shortcut
    needs them equal); a projection shortcut is a 1x1 conv of the *pre-activated*
    input with the block's output channels and stride.
    """
    out_channels = filters if kind == "regular" else 4 * filters
    if in_channels is None:
        in_channels = out_channels if not projection else out_channels // 2
    if not projection and (strides != 1 or in_channels != out_channels):
        raise ValueError("an identity shortcut needs stride 1 and equal channels")
    layers = block_layers(kind, filters, strides)
    widest = max(in_channels, out_channels)

    top = len(layers) + 1.0
    ax.text(_MAIN_X, top + 0.35, f"input x: {in_channels} channels", ha="center",
            fontsize=8.5, fontweight="bold")
    previous = (_MAIN_X, top + 0.2)
    channels = in_channels
    first_pre_activation_y = None
    for step, (label, out) in enumerate(layers):
        y = top - (step + 1) * _STEP
        _arrow(ax, previous, (_MAIN_X, y + 0.25), f"{channels}")
        if out is None:
            _box(ax, _MAIN_X, y, 0.5, label, PRE_ACTIVATION_COLOR)
            if first_pre_activation_y is None:
                first_pre_activation_y = y
        else:
            width = 0.42 + 0.3 * out / widest  # wide boxes for many channels
            _box(ax, _MAIN_X, y, width, label, CONV_COLOR)
            channels = out
        previous = (_MAIN_X, y - 0.25)

    add_y = top - (len(layers) + 1) * _STEP + 0.25
    _arrow(ax, previous, (_MAIN_X, add_y + 0.12), f"{channels}")
    ax.plot([_MAIN_X], [add_y], marker="o", markersize=15, markerfacecolor="white",
            markeredgecolor="#333333", zorder=3)
    ax.text(_MAIN_X, add_y, "+", ha="center", va="center", fontsize=12, zorder=4)
    _arrow(ax, (_MAIN_X, add_y - 0.12), (_MAIN_X, add_y - 0.6))
    ax.text(_MAIN_X, add_y - 0.8, f"output: {out_channels} channels\n(no ReLU after the sum)",
            ha="center", va="top", fontsize=8)

    # The shortcut: from the raw input, or a projection of the pre-activated input.
    if projection:
        start_y = first_pre_activation_y
        start_x = _MAIN_X - 0.25
        label = None
    else:
        start_y = top + 0.05
        start_x = _MAIN_X
        label = "identity shortcut"
    line = dict(color="#2b7a2b", linewidth=1.4)
    ax.plot([start_x, _SHORTCUT_X], [start_y, start_y], **line)
    if projection:
        conv_y = (start_y + add_y) / 2
        ax.plot([_SHORTCUT_X, _SHORTCUT_X], [start_y, conv_y + 0.25], **line)
        _box(ax, _SHORTCUT_X, conv_y, 0.36,
             f"1x1 conv, {out_channels}" + (f"\nstride {strides}" if strides != 1 else ""),
             PROJECTION_COLOR)
        ax.text(_SHORTCUT_X, conv_y - 0.3, "projection", ha="center", va="top",
                fontsize=8, color="#2b7a2b")
        ax.plot([_SHORTCUT_X, _SHORTCUT_X], [conv_y - 0.25, add_y], **line)
    else:
        ax.plot([_SHORTCUT_X, _SHORTCUT_X], [start_y, add_y], **line)
    ax.annotate("", xy=(_MAIN_X - 0.07, add_y), xytext=(_SHORTCUT_X, add_y),
                arrowprops=dict(arrowstyle="-|>", shrinkA=0, shrinkB=0, **line))
    if not projection:
        ax.text(_SHORTCUT_X - 0.04, (start_y + add_y) / 2, label, rotation=90,
                ha="right", va="center", fontsize=8, color="#2b7a2b")

    ax.set_xlim(-0.24, 1.06)
    ax.set_ylim(add_y - 1.6, top + 0.7)
    ax.axis("off")
    return ax


def block_diagrams(filters=64, strides=2, kinds=("regular", "bottleneck")):
    """A Figure with each block kind in ``kinds``, with an identity and with a projection
    shortcut (chapter 6 draws ``kinds=("regular",)``, chapter 7 both).

    The projection versions stride by ``strides`` and take half the output channels
    in, as the first block of ResNet's later block layers does.
    """
    names = {"regular": "Regular block", "bottleneck": "Bottleneck block"}
    panels = [(kind, projection, strides if projection else 1,
               f"{names[kind]}\n({'projection' if projection else 'identity'} shortcut)")
              for kind in kinds for projection in (False, True)]
    figure = plt.figure(figsize=(3.25 * len(panels), 6.4), layout="constrained")
    axes = figure.subplots(1, len(panels))
    for ax, (kind, projection, block_strides, title) in zip(axes, panels):
        draw_block(ax, kind, projection, filters, block_strides)
        ax.set_title(title, fontsize=10)
    return figure


# The blocks of a whole network ---------------------------------------------------
_BLOCK_SCOPE = re.compile(r"(?:^|/)(block_layer(\d+))/((regular|bottleneck)_block(\d+))/")


def _block_of(operation):
    """``(block layer number, block number, kind)`` of an operation with weights, or None."""
    weights = getattr(operation, "weights", None) or []
    if not weights:
        return None
    match = _BLOCK_SCOPE.search(weights[0].path)
    if not match:
        return None
    return int(match.group(2)), int(match.group(5)), match.group(4)


def blocks_of(model):
    """One dict per block of a built network, in order: ``block_layer``, ``block``,
    ``kind``, ``projection`` (whether its shortcut is a conv) and ``output_shape``.

    A block is found from its weights' name scopes (``block_layerN/regular_blockK/``).
    Operations without weights (ReLU, padding, the ``+``) belong to the latest block
    among their inputs, so a block's output is the last operation that belongs to it.
    """
    block_of_tensor = {}
    order = []
    members = {}
    for operation in model.operations:  # Keras keeps them in topological order
        block = _block_of(operation)
        if block is None and not getattr(operation, "weights", None):
            inputs = [] if isinstance(operation, keras.layers.InputLayer) else \
                keras.tree.flatten(operation.input)
            known = [block_of_tensor[id(t)] for t in inputs if id(t) in block_of_tensor]
            block = max(known, key=order.index, default=None)
        if block is None:
            continue
        if block not in members:
            order.append(block)
            members[block] = []
        members[block].append(operation)
        block_of_tensor[id(operation.output)] = block

    found = []
    for block in order:
        convs = [op for op in members[block] if isinstance(op, keras.layers.Conv2D)]
        branch_convs = 2 if block[2] == "regular" else 3
        found.append(dict(block_layer=block[0], block=block[1], kind=block[2],
                          projection=len(convs) > branch_convs,
                          output_shape=tuple(members[block][-1].output.shape[1:])))
    return found


def block_stack_figure(model, title=None):
    """A bar per block of ``model``: its output channels, its map size written on top,
    projection blocks in green. Block layers are separated by dotted lines."""
    blocks = blocks_of(model)
    channels_first = _data_format(model) == "channels_first"
    channels = [b["output_shape"][0 if channels_first else -1] for b in blocks]
    sizes = [b["output_shape"][1:] if channels_first else b["output_shape"][:-1]
             for b in blocks]
    figure = plt.figure(figsize=(max(6, 0.42 * len(blocks) + 2), 3.6), layout="constrained")
    ax = figure.subplots()
    colors = [PROJECTION_COLOR if b["projection"] else "#d9d9d9" for b in blocks]
    positions = range(len(blocks))
    ax.bar(positions, channels, color=colors, edgecolor="#555555")
    for x, height, size in zip(positions, channels, sizes):
        ax.text(x, height * 1.04, "x".join(str(s) for s in size), ha="center",
                va="bottom", fontsize=7, rotation=90)
    for x in range(1, len(blocks)):
        if blocks[x]["block_layer"] != blocks[x - 1]["block_layer"]:
            ax.axvline(x - 0.5, color="#888888", linestyle=":")
    ax.set_xticks(list(positions),
                  [f"{b['block_layer']}.{b['block']}" for b in blocks], fontsize=7,
                  rotation=90)
    ax.set_xlabel("block (block layer . block)")
    ax.set_ylabel("output channels")
    ax.set_ylim(0, max(channels) * 1.3)
    ax.legend(handles=[Patch(color=PROJECTION_COLOR, label="projection shortcut"),
                       Patch(color="#d9d9d9", label="identity shortcut")],
              loc="upper left", fontsize=8)
    ax.set_title(title or f"{model.name}: channels and map size after each block",
                 fontsize=10)
    return figure


def _data_format(model):
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            return layer.data_format
    raise ValueError(f"model {model.name!r} has no Conv2D layer")
