"""Figures of a training run (chapter 11): the preprocessing's crops, learning curves, a
confusion matrix and example predictions."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from resnet_lesson.preprocessing import center_crop, resize_preserving_aspect

CENTRE_COLOR = "#1f77b4"


def crop_window(resized, crop):
    """Where ``crop`` was cut from ``resized``: ``(top, left, flipped)``, found by
    comparing it with every window (mirrored too) and keeping the closest one."""
    size = crop.shape[0]
    best = None
    for flipped in (False, True):
        candidate = crop[:, ::-1] if flipped else crop
        for top in range(resized.shape[0] - size + 1):
            for left in range(resized.shape[1] - size + 1):
                window = resized[top : top + size, left : left + size]
                error = float(np.abs(window - candidate).max())
                if best is None or error < best[0]:
                    best = (error, top, left, flipped)
    return best[1:]


def _as_pixels(crop, data_format, like):
    """A crop in height, width, channels order on the 0..255 scale of ``like``."""
    crop = np.asarray(crop, dtype="float32")
    if data_format == "channels_first":
        crop = np.transpose(crop, (1, 2, 0))
    if crop.max() <= 1.0 < like.max():  # the model scaled its pixels to 0..1
        crop = crop * 255.0
    return crop


def _show(ax, image):
    image = np.clip(np.asarray(image), 0, 255)
    if image.shape[-1] == 1:
        ax.imshow(image[..., 0], cmap="gray_r", vmin=0, vmax=255)
    else:
        ax.imshow(image.astype(np.uint8))
    ax.set_xticks([])
    ax.set_yticks([])


def plot_preprocessing(resnet, images, training_draws=3):
    """Per image: the resized image with the evaluation window, the evaluation crop, then
    training crops with the evaluation window outlined on them, so their shift shows.

    The windows are found by matching each crop that ``resnet.preprocess`` returned
    against the resized image, so the figure shows what the model's code did.
    """
    columns = 2 + training_draws
    fig, axes = plt.subplots(
        len(images),
        columns,
        figsize=(2.2 * columns, 2.5 * len(images) + 0.4),
        squeeze=False,
        layout="constrained",
    )
    size = resnet.resize_dim
    for row, image in zip(axes, images):
        resized = np.asarray(resize_preserving_aspect(image, resnet.min_aspect_dim))
        centre_top, centre_left, _ = crop_window(resized, np.asarray(center_crop(resized, size)))
        _show(row[0], resized)
        _outline(row[0], centre_top, centre_left, size)
        height, width = resized.shape[:2]
        row[0].set_title(f"resized {height}x{width}", fontsize=8)
        evaluation = _as_pixels(resnet.preprocess(image, False), resnet.data_format, resized)
        _show(row[1], evaluation)
        row[1].set_title(
            f"evaluation\nwindow at ({centre_top}, {centre_left})", fontsize=8, color=CENTRE_COLOR
        )
        for draw, ax in enumerate(row[2:]):
            crop = _as_pixels(resnet.preprocess(image, True), resnet.data_format, resized)
            top, left, flipped = crop_window(resized, crop)
            _show(ax, crop)
            # Where the evaluation window lies in this crop (mirrored with it).
            shift = left - centre_left if flipped else centre_left - left
            _outline(ax, centre_top - top, shift, size)
            mirrored = ", mirrored" if flipped else ""
            ax.set_title(f"training {draw + 1}\nwindow at ({top}, {left}){mirrored}", fontsize=8)
    fig.suptitle(
        f"The model's preprocess: {size}x{size} windows at (row, column) of their top-left "
        "pixel; blue outline: the evaluation window",
        fontsize=9,
    )
    return fig


def _outline(ax, top, left, size):
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fill=False, ec=CENTRE_COLOR, lw=2))
    # Keep the image's own frame: an outline that leaves it is cut at the edge.
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())


def plot_learning_curves(results, title="Learning curves"):
    """Loss and accuracy per epoch, training (solid) and validation (dashed).

    ``results``: name -> ``training.TrainingResult`` (or a Keras history dict).
    """
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for index, (name, result) in enumerate(results.items()):
        history = getattr(result, "history", result)  # a TrainingResult or a history dict
        color = f"C{index}"
        epochs = np.arange(1, len(history["loss"]) + 1)
        for ax, metric in zip(axes, ("loss", "accuracy")):
            ax.plot(epochs, history[metric], "-", color=color, label=f"{name}, training")
            if f"val_{metric}" in history:
                ax.plot(
                    epochs, history[f"val_{metric}"], "--", color=color, label=f"{name}, validation"
                )
    axes[0].set_yscale("log")
    axes[0].set_ylabel("cross-entropy loss (log scale)")
    axes[1].set_ylabel("accuracy")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[1].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(labels, predictions, num_classes):
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(labels), np.asarray(predictions)), 1)
    return matrix


def plot_confusion_matrix(labels, predictions, class_names, title="Confusion matrix"):
    """Counts of (true class, predicted class); the diagonal is what was right."""
    matrix = confusion_matrix(labels, predictions, len(class_names))
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.imshow(matrix, cmap="Blues")
    threshold = matrix.max() / 2
    for (row, col), count in np.ndenumerate(matrix):
        if count:
            ax.text(
                col,
                row,
                str(count),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if count > threshold else "black",
            )
    ax.set_xticks(
        range(len(class_names)),
        class_names,
        rotation=45 if len(max(class_names, key=len)) > 2 else 0,
    )
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    fig.tight_layout()
    return fig, matrix


def plot_example_predictions(
    images,
    labels,
    predictions,
    probabilities,
    class_names,
    count=12,
    title="Test images: mistakes first",
):
    """A grid of test images with the predicted class and its probability.

    The wrongly classified images come first (red titles), then right ones.
    """
    wrong = np.flatnonzero(predictions != labels)
    right = np.flatnonzero(predictions == labels)
    chosen = np.concatenate([wrong, right])[:count]
    columns = 6
    rows = int(np.ceil(len(chosen) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.7 * columns, 2.3 * rows), squeeze=False)
    for ax in np.ravel(axes):
        ax.axis("off")
    for ax, index in zip(np.ravel(axes), chosen):
        image = np.asarray(images[index])
        if image.shape[-1] == 1:
            ax.imshow(image[..., 0], cmap="gray_r" if image.max() > 1 else "gray")
        else:
            ax.imshow(image.astype(np.uint8) if image.max() > 1 else image)
        ok = predictions[index] == labels[index]
        ax.set_title(
            f"{class_names[predictions[index]]} "
            f"({probabilities[index, predictions[index]]:.0%})\n"
            f"true: {class_names[labels[index]]}",
            fontsize=8,
            color="black" if ok else "red",
        )
    fig.suptitle(title)
    fig.tight_layout()
    return fig
