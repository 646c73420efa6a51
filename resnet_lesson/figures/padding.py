"""Chapter 3: measure which pixels a strided convolution's windows cover, and draw it.

The windows are *measured* by running a Keras convolution, not computed from a formula:
the input's pixel values are their column numbers (plus one, so padding reads 0), and a
kernel with a single 1 in its bottom-right tap copies one known pixel of each window to
the output. That tells where the first window starts; the stride and the output size
give the rest.
"""

import keras
import matplotlib.pyplot as plt
import numpy as np


def measure_windows(size, kernel_size, strides, pad_fn=None):
    """The (first, last) column of every window along one axis of a ``size``x``size`` image.

    ``pad_fn=None`` measures Keras's ``padding='same'``; otherwise the input is padded
    with ``pad_fn(images, kernel_size)`` and convolved with ``padding='valid'`` (what the
    course's ``custom_conv2d`` does when it strides). Columns below 0 or above
    ``size - 1`` lie in the padding.
    """
    images = np.tile(np.arange(1, size + 1, dtype="float32"), (size, 1))[None, :, :, None]
    kernel = np.zeros((kernel_size, kernel_size, 1, 1), "float32")
    kernel[-1, -1] = 1.0
    conv = keras.layers.Conv2D(
        1,
        kernel_size,
        strides=strides,
        use_bias=False,
        padding="same" if pad_fn is None else "valid",
    )
    inputs = images if pad_fn is None else pad_fn(images, kernel_size)
    conv.build(tuple(inputs.shape))
    conv.kernel.assign(kernel)
    outputs = np.asarray(conv(inputs))[0, 0, :, 0]
    # The first window's bottom-right tap always lies inside the image.
    first = int(round(outputs[0])) - 1 - (kernel_size - 1)
    return [
        (first + i * strides, first + i * strides + kernel_size - 1) for i in range(len(outputs))
    ]


def padding_seen(windows, size):
    """How many padded pixels the windows reach before and after the image."""
    return max(0, -windows[0][0]), max(0, windows[-1][1] - (size - 1))


PADDING_COLOR = "#f6c28b"  # the zeros the padding adds: a fill that reads at a glance


def draw_windows(ax, size, windows, pad_before, pad_after, title):
    """One row of pixels (the padding's zeros shaded) with each window as a bar below it."""
    for col in range(-pad_before, size + pad_after):
        padded = col < 0 or col >= size
        ax.add_patch(
            plt.Rectangle(
                (col, 0),
                1,
                1,
                facecolor=PADDING_COLOR if padded else "white",
                edgecolor="black",
                lw=0.8,
            )
        )
        ax.text(
            col + 0.5,
            0.5,
            "0" if padded else str(col),
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold" if padded else "normal",
            color="black",
        )
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (first, last) in enumerate(windows):
        level = -0.55 - 0.45 * (i % 2)
        color = colors[i % len(colors)]
        ax.plot([first + 0.1, last + 0.9], [level, level], color=color, lw=4, solid_capstyle="butt")
        if (last - first) % 2 == 0:  # an odd kernel has a centre pixel: mark it
            centre = (first + last) / 2 + 0.5
            ax.plot([centre], [level], "o", color="black", ms=3)
    ax.set_xlim(-3.2, size + 3.2)
    ax.set_ylim(-1.3, 1.1)
    ax.set_title(title, fontsize=9, loc="left")
    ax.axis("off")


def padding_figure(rows):
    """``rows``: (title, size, windows, pad_before, pad_after) tuples, one panel each."""
    fig, axes = plt.subplots(len(rows), 1, figsize=(8, 1.05 * len(rows) + 0.3))
    widest = max(row[1] for row in rows)
    for ax, (title, size, windows, pad_before, pad_after) in zip(np.atleast_1d(axes), rows):
        draw_windows(ax, size, windows, pad_before, pad_after, title)
        ax.set_xlim(-3.2, widest + 3.2)  # the same pixel width in every panel
    fig.legend(
        handles=[plt.Rectangle((0, 0), 1, 1, facecolor=PADDING_COLOR, edgecolor="black")],
        labels=["zero added by the padding"],
        loc="upper right",
        fontsize=8,
        frameon=False,
    )
    fig.tight_layout()
    return fig
