"""Chapter 9's figure: the shape of the data at each stage of a built ResNet.

The counts and the comparison with the paper live in :mod:`resnet_lesson.analysis`;
this module adds the channels to its feature-map sizes and draws them for several
networks side by side.
"""

import keras
import matplotlib.pyplot as plt

from resnet_lesson import analysis

STAGES = ("input", "conv_initial", "pool_initial", "block_layer1", "block_layer2",
          "block_layer3", "block_layer4", "pooled")


def stage_shapes(model):
    """``{stage: (height, width, channels)}`` for the stages in :data:`STAGES`, read
    from a built model (``pooled`` is the vector the logits layer reads: 1 x 1)."""
    data_format = next(layer.data_format for layer in model.layers
                       if isinstance(layer, keras.layers.Conv2D))

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
    Returns the pyplot Figure (show it with ``plt.show()``).
    """
    figure, (ax_size, ax_channels) = plt.subplots(1, 2, figsize=(11, 3.8),
                                                  layout="constrained")
    markers = "osd^v"
    for (label, shapes), marker in zip(shapes_by_name.items(), markers):
        stages = [s for s in STAGES if s in shapes]
        positions = range(len(stages))
        ax_size.plot(positions, [shapes[s][0] for s in stages], marker=marker, label=label)
        ax_channels.plot(positions, [shapes[s][2] for s in stages], marker=marker,
                         label=label)
        for x, stage in zip(positions, stages):
            ax_channels.annotate(str(shapes[stage][2]), (x, shapes[stage][2]), fontsize=7,
                                 textcoords="offset points", xytext=(0, 6), ha="center")
        for ax in (ax_size, ax_channels):
            ax.set_xticks(list(positions), stages, rotation=35, ha="right", fontsize=8)
    first = next(iter(shapes_by_name.values()))
    for x, stage in enumerate(s for s in STAGES if s in first):
        ax_size.annotate(f"{first[stage][0]}", (x, first[stage][0]), fontsize=7,
                         textcoords="offset points", xytext=(0, 6), ha="center")
    ax_size.set_yscale("log", base=2)
    ax_size.set_ylabel("map height = width (log scale)")
    ax_size.set_title("Feature-map size")
    ax_channels.set_yscale("log", base=2)
    ax_channels.set_ylabel("channels (log scale)")
    ax_channels.set_title("Channels")
    for ax in (ax_size, ax_channels):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    return figure
