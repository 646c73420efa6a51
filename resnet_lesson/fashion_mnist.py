"""Fashion-MNIST (Xiao et al. 2017): 70,000 gray 28x28 photographs of clothing, 10 classes.

Chapter 12 trains on it. The four idx files are read from a local folder when one holds
them (Debian's ``dataset-fashion-mnist`` package puts them in
``/usr/share/datasets/fashion-mnist/``: no network needed), else
``keras.datasets.fashion_mnist`` downloads the same files (about 30 MB, once; Colab).

- ``load_fashion_mnist``: the official parts, ``(train_x, train_y), (test_x, test_y)``:
  ``uint8`` images (n, 28, 28, 1) and ``int64`` labels, 60,000 and 10,000.
- ``load_fashion_mnist_splits``: the course's split: the official 10,000 test images
  held out, a validation part and (optionally) fewer training images drawn from the
  official training part, by a seed.
"""

import gzip
import os
from pathlib import Path

import numpy as np

from resnet_lesson.data import Split, Splits

CLASS_NAMES = [
    "T-shirt/top",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
]

# Where Debian's package puts the files; FASHION_MNIST_DIR names another folder first.
DEBIAN_FOLDER = Path("/usr/share/datasets/fashion-mnist")
FOLDER_VARIABLE = "FASHION_MNIST_DIR"

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

# idx format: a magic number (0x0803 images, 0x0801 labels), the sizes, then the bytes.
_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049


class FashionMnistUnavailable(RuntimeError):
    """Neither a local copy nor the download gave the data."""


def local_folders():
    """The folders searched for the idx files, in order."""
    folders = [Path(os.environ[FOLDER_VARIABLE])] if os.environ.get(FOLDER_VARIABLE) else []
    return folders + [DEBIAN_FOLDER]


def _read_idx(path, magic):
    with gzip.open(path, "rb") as stream:
        content = stream.read()
    found, count = int.from_bytes(content[0:4], "big"), int.from_bytes(content[4:8], "big")
    if found != magic:
        raise ValueError(f"{path} is not an idx file of the expected kind (magic {found})")
    if magic == _LABELS_MAGIC:
        return np.frombuffer(content, np.uint8, count, offset=8).astype(np.int64)
    rows, cols = int.from_bytes(content[8:12], "big"), int.from_bytes(content[12:16], "big")
    images = np.frombuffer(content, np.uint8, count * rows * cols, offset=16)
    return images.reshape(count, rows, cols, 1)


def read_folder(folder):
    """``(train_x, train_y), (test_x, test_y)`` from the four idx files in ``folder``."""
    parts = []
    for images_file, labels_file in FILES.values():
        images = _read_idx(Path(folder) / images_file, _IMAGES_MAGIC)
        labels = _read_idx(Path(folder) / labels_file, _LABELS_MAGIC)
        if len(images) != len(labels):
            raise ValueError(f"{folder}: {len(images)} images but {len(labels)} labels")
        parts.append((images, labels))
    return tuple(parts)


def _has_files(folder):
    return all((folder / name).is_file() for pair in FILES.values() for name in pair)


def load_fashion_mnist(folders=None, download=True):
    """``(train_x, train_y), (test_x, test_y)``: local files first, else Keras's download.

    ``folders``: where to look (default :func:`local_folders`); ``download=False`` never
    uses the network. Raises :class:`FashionMnistUnavailable`, saying what to do, when
    neither works.
    """
    folders = local_folders() if folders is None else [Path(f) for f in folders]
    for folder in folders:
        if _has_files(folder):
            return read_folder(folder)
    searched = ", ".join(str(f) for f in folders) or "no folder"
    if download:
        import keras

        try:
            (train_x, train_y), (test_x, test_y) = keras.datasets.fashion_mnist.load_data()
        except Exception as error:  # no network, a proxy, a full disk: all say the same
            raise FashionMnistUnavailable(
                f"Fashion-MNIST is not on this machine (looked in {searched}) and the "
                f"download failed ({type(error).__name__}: {error}). Install Debian's "
                "`dataset-fashion-mnist` package, or connect to the network and run again."
            ) from error
        return (
            (train_x[..., np.newaxis], train_y.astype(np.int64)),
            (test_x[..., np.newaxis], test_y.astype(np.int64)),
        )
    raise FashionMnistUnavailable(
        f"Fashion-MNIST is not on this machine (looked in {searched}) and downloading is "
        "off. Install Debian's `dataset-fashion-mnist` package, or allow the download."
    )


def load_fashion_mnist_splits(train_size=None, validation_size=5000, seed=0, **load_options):
    """The course's split of Fashion-MNIST.

    The official 10,000 test images are the test part, never trained on. From the
    60,000 training images, a random ``validation_size`` are set aside for the learning
    curves and ``train_size`` of the rest (all of them by default) are trained on; which
    ones depends only on ``seed``.
    """
    (train_x, train_y), (test_x, test_y) = load_fashion_mnist(**load_options)
    order = np.random.default_rng(seed).permutation(len(train_y))
    validation, rest = order[:validation_size], order[validation_size:]
    if train_size is not None:
        if train_size > len(rest):
            raise ValueError(f"train_size {train_size} is more than the {len(rest)} images left")
        rest = rest[:train_size]
    return Splits(
        Split(train_x[rest], train_y[rest]),
        Split(train_x[validation], train_y[validation]),
        Split(test_x, test_y),
    )


def load_fashion_mnist_small(size=8, count=None, **load_options):
    """The first ``count`` Fashion-MNIST training images (all 60,000 by default), shrunk
    by area averaging to ``size`` x ``size`` and scaled to [0, 1], shape (n, size, size,
    1), with their labels: chapter 1's small stacks on a training set too big for them
    to memorize (the digits' 1,797 images are not)."""
    import tensorflow as tf

    (train_x, train_y), _ = load_fashion_mnist(**load_options)
    if count is not None:
        train_x, train_y = train_x[:count], train_y[:count]
    pixels = train_x.reshape(len(train_x), 28, 28, 1).astype("float32") / 255.0
    images = tf.image.resize(pixels, (size, size), "area")
    return images.numpy(), train_y.astype(np.int64)
