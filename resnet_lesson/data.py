"""Real data that ships with the course's own dependencies: no network needed.

- scikit-learn's handwritten digits (1,797 scans of 8x8 pixels, 10 classes), which
  chapter 11 trains on, split into training, validation and test parts;
- CIFAR-10 through ``keras.datasets`` (needs the network: the GPU setup of chapter 11);
- three photographs for chapter 10's resize and crop: scikit-learn's ``china.jpg``
  and ``flower.jpg`` (landscape, 427x640) and matplotlib's ``grace_hopper.jpg``
  (portrait, 600x512).

Everything returns NumPy arrays: ``uint8`` images of shape (height, width, channels)
and ``int64`` labels.
"""

from dataclasses import dataclass

import numpy as np

DIGITS_CLASSES = 10


@dataclass(frozen=True)
class Split:
    """One part of a data set: images of shape (n, height, width, channels) and labels."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self):
        return len(self.labels)


@dataclass(frozen=True)
class Splits:
    train: Split
    validation: Split
    test: Split

    def sizes(self):
        return {
            "train": len(self.train),
            "validation": len(self.validation),
            "test": len(self.test),
        }


def load_digits_images(dtype="uint8", count=None):
    """The digits as images (n, 8, 8, 1) and their labels (int64); the course's one
    digits loader.

    The scans store 0..16 (ink counts per 4x4 cell of the original 32x32 bitmaps).
    ``dtype="uint8"`` stretches them to the usual 0..255 of a photograph, so that the
    same preprocessing serves both (the training chapter); ``dtype="float32"`` scales them
    to [0, 1] exactly, ready to feed a network (chapter 1's experiments). ``count`` keeps
    only the first images (all 1,797 by default).
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    if dtype == "uint8":
        images = np.rint(digits.images * (255.0 / 16.0)).astype(np.uint8)
    elif dtype == "float32":
        images = (digits.images / 16.0).astype(np.float32)
    else:
        raise ValueError(f"dtype must be 'uint8' or 'float32', got {dtype!r}")
    images, labels = images[..., np.newaxis], digits.target.astype(np.int64)
    if count is not None:
        images, labels = images[:count], labels[:count]
    return images, labels


def load_digits_splits(test_fraction=0.2, validation_fraction=0.1, seed=0):
    """Stratified training / validation / test parts of the digits.

    ``test_fraction`` of all images is held out for the final accuracy and never used
    while training; ``validation_fraction`` (of all images) is what the learning
    curves are measured on. The split depends only on ``seed``.
    """
    from sklearn.model_selection import train_test_split

    images, labels = load_digits_images()
    rest_x, test_x, rest_y, test_y = train_test_split(
        images, labels, test_size=test_fraction, stratify=labels, random_state=seed
    )
    validation_share = validation_fraction / (1.0 - test_fraction)
    train_x, val_x, train_y, val_y = train_test_split(
        rest_x, rest_y, test_size=validation_share, stratify=rest_y, random_state=seed
    )
    return Splits(Split(train_x, train_y), Split(val_x, val_y), Split(test_x, test_y))


def sample_photographs():
    """The bundled photographs, name -> ``uint8`` array (height, width, 3)."""
    import matplotlib.cbook
    import matplotlib.image
    from sklearn.datasets import load_sample_images

    photos = {}
    bundle = load_sample_images()
    for filename, image in zip(bundle.filenames, bundle.images):
        name = filename.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        photos[name] = np.asarray(image, dtype=np.uint8)
    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    photos["grace_hopper"] = np.asarray(matplotlib.image.imread(path), dtype=np.uint8)
    return photos


def load_cifar10_splits(validation_size=5000, seed=0):
    """CIFAR-10 (downloads about 170 MB on first use: needs the network).

    The official 10,000 test images stay the held-out test part; ``validation_size``
    training images are set aside for the learning curves.
    """
    import keras  # only here: the rest of this module needs no TensorFlow

    (train_x, train_y), (test_x, test_y) = keras.datasets.cifar10.load_data()
    train_y, test_y = train_y.reshape(-1).astype(np.int64), test_y.reshape(-1).astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(train_y))
    val, rest = order[:validation_size], order[validation_size:]
    return Splits(
        Split(train_x[rest], train_y[rest]),
        Split(train_x[val], train_y[val]),
        Split(test_x, test_y),
    )


def load_splits(settings):
    """The data a training setting names (``settings["data"]``), split in three."""
    if settings["data"] == "digits":
        return load_digits_splits()
    if settings["data"] == "cifar10":
        return load_cifar10_splits()
    raise ValueError(f"unknown data {settings['data']!r}")
