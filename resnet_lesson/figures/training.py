"""Figures of a training run (chapter 11): learning curves, a confusion matrix and
example predictions."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator


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
