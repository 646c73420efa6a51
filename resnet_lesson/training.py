"""Chapter 11: train the course's ResNet on real data, and look at what it learned.

The pieces, in the order the chapter uses them:

- ``TRAINING_SETUPS`` / ``resolve_setup``: one named setting picks the data, the model
  size and the schedule. ``"cpu-digits"`` (scikit-learn's digits, a narrow ResNet-18,
  well under a minute on two CPU cores) is what CI and a laptop run;
  ``"gpu-cifar10"`` (CIFAR-10 from ``keras.datasets``, full-width ResNet-18, mixed
  precision) needs a GPU and the network, e.g. on Colab. ``"auto"`` picks by device.
- ``CourseResNet``: the reference ``ResNetModel`` with a chosen width and a
  ``preprocess`` that scales pixels to [0, 1]; ``PlainNet``: the same network with
  every shortcut removed, for the plain-vs-residual comparison at equal depth.
- ``make_dataset``: the ``tf.data`` pipeline (the chapter's exercise; this is the
  reference answer).
- ``train``: compile and fit with Adam and a cosine learning-rate decay; returns the
  history and the seconds it took.
- its figures (learning curves, a confusion matrix, example predictions) are in
  ``resnet_lesson.figures.training``.
"""

import functools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from resnet_lesson import course
from resnet_lesson.data import DIGITS_CLASSES, Split, Splits, load_digits_splits
from resnet_lesson.device import gpu_available
from resnet_lesson.model import ResNetModel, input_shape_for
from resnet_lesson.preprocessing import center_crop, resize_preserving_aspect

__all__ = [
    "TRAINING_SETUPS",
    "resolve_setup",
    "training_settings",
    "load_digits_splits",
    "load_cifar10_splits",
    "load_splits",
    "CourseResNet",
    "PlainNet",
    "make_dataset",
    "build_model",
    "train",
    "TrainingResult",
    "predict_classes",
    "run_setup",
    "GPU_RESULTS_PATH",
    "load_gpu_results",
]

GPU_RESULTS_PATH = course.ROOT / "docs" / "results" / "ch11_gpu_cifar10.json"

CIFAR10_CLASSES = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
]

# One entry per setup. ``filters_initial`` is the width of the first block layer (the
# paper's 64; each block layer doubles it). ``flip``: random left-right flips while
# training, right for photographs, wrong for digits (a mirrored 2 is no digit).
TRAINING_SETUPS = {
    "cpu-digits": dict(
        data="digits",
        class_names=[str(d) for d in range(DIGITS_CLASSES)],
        min_aspect_dim=26,
        resize_dim=24,
        num_layers=18,
        filters_initial=16,
        flip=False,
        batch_norm_momentum=0.9,
        batch_size=64,
        epochs=20,
        learning_rate=1e-2,
        comparison_layers=34,
        comparison_filters=8,
        comparison_epochs=3,
        mixed_precision=False,
    ),
    "gpu-cifar10": dict(
        data="cifar10",
        class_names=CIFAR10_CLASSES,
        min_aspect_dim=72,
        resize_dim=64,
        num_layers=18,
        filters_initial=64,
        flip=True,
        batch_norm_momentum=0.99,
        batch_size=256,
        epochs=30,
        learning_rate=2e-3,
        comparison_layers=34,
        comparison_filters=32,
        comparison_epochs=10,
        mixed_precision=True,
    ),
}


def resolve_setup(name="auto", gpu=None):
    """Return ``(setup_name, settings)``; ``"auto"`` is "gpu-cifar10" on a GPU, else
    "cpu-digits". ``gpu`` overrides the device test (for tests)."""
    if name == "auto":
        if gpu is None:
            gpu = gpu_available()
        name = "gpu-cifar10" if gpu else "cpu-digits"
    if name not in TRAINING_SETUPS:
        raise ValueError(
            f"TRAINING_SETUP must be 'auto' or one of {sorted(TRAINING_SETUPS)}, got {name!r}"
        )
    return name, dict(TRAINING_SETUPS[name])


def training_settings(device=None):
    """``(setup_name, settings)`` of the training chapter for ``device``.

    ``device`` is "CPU" or "GPU"; by default the device TensorFlow sees. The settings
    (data, model width, batch size, epochs, ...) are :data:`TRAINING_SETUPS`'s: small on a
    CPU so the chapter finishes in about a minute, bigger on a GPU such as Colab's.
    """
    if device is None:
        return resolve_setup("auto")
    if str(device).upper() not in ("CPU", "GPU"):
        raise ValueError(f"device must be 'CPU' or 'GPU', not {device!r}")
    return resolve_setup("auto", gpu=str(device).upper() == "GPU")


# -- data ------------------------------------------------------------------------------


def load_cifar10_splits(validation_size=5000, seed=0):
    """CIFAR-10 (downloads about 170 MB on first use: needs the network).

    The official 10,000 test images stay the held-out test part; ``validation_size``
    training images are set aside for the learning curves.
    """
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
    if settings["data"] == "digits":
        return load_digits_splits()
    if settings["data"] == "cifar10":
        return load_cifar10_splits()
    raise ValueError(f"unknown data {settings['data']!r}")


# -- models ----------------------------------------------------------------------------


class CourseResNet(ResNetModel):
    """The reference ResNet v2 with a chosen width, and a preprocess for training.

    ``filters_initial`` (the paper's 64) sets the width: every conv has
    ``filters_initial / 64`` times the paper's filters, so the parameter count shrinks
    by about the square of that factor while the depth, the blocks, the shortcuts and
    the strides stay the same.
    """

    def __init__(
        self,
        min_aspect_dim,
        resize_dim,
        num_layers,
        output_size,
        data_format="channels_last",
        filters_initial=64,
        flip=True,
        batch_norm_momentum=0.99,
    ):
        super().__init__(min_aspect_dim, resize_dim, num_layers, output_size, data_format)
        self.filters_initial = filters_initial
        self.flip = flip
        self.batch_norm_momentum = batch_norm_momentum

    def pre_activation(self, inputs, is_training):
        """The reference pre-activation, with a chosen batch-norm momentum.

        Batch norm's moving averages (what ``predict`` and ``evaluate`` use) move by
        ``1 - momentum`` of the distance per step. Keras's 0.99 needs a few hundred
        steps to forget the initial values; a small data set gives only about 20
        steps per epoch, so its setup uses 0.9.
        """
        axis = 1 if self.data_format == "channels_first" else 3
        normalized = keras.layers.BatchNormalization(axis=axis, momentum=self.batch_norm_momentum)(
            inputs, training=is_training
        )
        return keras.layers.ReLU()(normalized)

    def preprocess(self, image, is_training):
        """Chapter 10's resize and crop, then pixels scaled from 0..255 to 0..1.

        With ``flip=False`` training takes the random crop without the mirror image.
        """
        if self.flip:
            cropped = super().preprocess(image, is_training)
        else:
            resized = resize_preserving_aspect(image, self.min_aspect_dim)
            if is_training:
                channels = resized.shape[-1]
                cropped = tf.image.random_crop(
                    resized, [self.resize_dim, self.resize_dim, channels]
                )
            else:
                cropped = center_crop(resized, self.resize_dim)
            if self.data_format == "channels_first":
                cropped = tf.transpose(cropped, [2, 0, 1])
        return cropped / 255.0

    def model_layers(self, inputs, is_training):
        logits = super().model_layers(inputs, is_training)
        if keras.mixed_precision.global_policy().compute_dtype != "float32":
            # Mixed precision computes in float16; the loss wants float32 logits.
            logits = keras.layers.Activation("linear", dtype="float32", name="logits_float32")(
                logits
            )
        return logits


class PlainNet(CourseResNet):
    """The same network without shortcuts: every block is conv, conv, and no addition.

    Same depth, same convs, same batch norms; only the additions (and the 1x1
    projections that only the shortcuts needed) are gone. He et al. (2016a) compare
    exactly such plain networks with their residual twins.
    """

    def regular_block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
        with keras.name_scope(f"plain_block{index}"):
            pre_activated1 = self.pre_activation(inputs, is_training)
            conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
            pre_activated2 = self.pre_activation(conv1, is_training)
            return self.custom_conv2d(pre_activated2, filters, 3, 1)


def build_model(
    settings,
    model_class=CourseResNet,
    num_layers=None,
    channels=None,
    data_format="channels_last",
    filters_initial=None,
):
    """Return ``(resnet, model)``: the ``ResNetModel`` object and its built keras.Model."""
    num_layers = num_layers or settings["num_layers"]
    filters_initial = filters_initial or settings["filters_initial"]
    if channels is None:
        channels = 1 if settings["data"] == "digits" else 3
    resnet = model_class(
        settings["min_aspect_dim"],
        settings["resize_dim"],
        num_layers,
        len(settings["class_names"]),
        data_format=data_format,
        filters_initial=filters_initial,
        flip=settings["flip"],
        batch_norm_momentum=settings["batch_norm_momentum"],
    )
    inputs = keras.Input(
        input_shape_for(settings["resize_dim"], data_format, channels), name="images"
    )
    kind = "plain" if issubclass(model_class, PlainNet) else "resnet"
    model = keras.Model(
        inputs,
        resnet.model_layers(inputs, is_training=True),
        name=f"{kind}{num_layers}_w{filters_initial}",
    )
    return resnet, model


# -- the input pipeline ----------------------------------------------------------------


def make_dataset(images, labels, preprocess, batch_size, is_training, seed=None):
    """A ``tf.data`` pipeline of ``(images, labels)`` batches (the chapter's exercise).

    Training: the pairs are shuffled (a buffer as large as the data, reshuffled every
    epoch), so batches differ from epoch to epoch. Evaluation: the original order, so
    every run sees the same batches. Each image goes through
    ``preprocess(image, is_training)`` before batching (preprocessing works on one
    image); the last batch may be smaller, so evaluation sees every example; prefetch
    prepares the next batch while the model works on this one.
    """
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if is_training:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.map(
        lambda image, label: (preprocess(image, is_training), label),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)


# -- training --------------------------------------------------------------------------


@dataclass
class TrainingResult:
    """What ``train`` measured: Keras's history dict and the seconds ``fit`` took, on the
    clock and in CPU time (all of this process's threads: on a busy machine the clock
    runs on while the CPU time stays what the training cost)."""

    history: dict
    seconds: float
    epochs: int
    extra: dict = field(default_factory=dict)
    cpu_seconds: float | None = None

    def final(self, metric):
        return self.history[metric][-1]


# The loss of every classifier in the course: the models output logits.
LOSS = functools.partial(keras.losses.SparseCategoricalCrossentropy, from_logits=True)


def compile_model(model, learning_rate, steps, optimizer="adam", decay=True, metrics=()):
    """Adam (or SGD with momentum 0.9), with a cosine decay of the learning rate to zero
    over ``steps`` steps unless ``decay`` is False; accuracy and ``metrics`` are measured."""
    if decay:
        learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)
    if optimizer == "adam":
        optimizer = keras.optimizers.Adam(learning_rate)
    elif optimizer == "sgd":
        optimizer = keras.optimizers.SGD(learning_rate, momentum=0.9)
    else:
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    model.compile(optimizer=optimizer, loss=LOSS(), metrics=["accuracy", *metrics])
    # Create the optimizer's slots now: if the first training step creates them,
    # TensorFlow traces the step twice, which costs seconds per network (14 s of the
    # 28 s a 56-layer stack takes to compile on two CPU cores). Same numbers either way.
    optimizer.build(model.trainable_variables)


def train(
    model,
    train_data,
    validation_data,
    epochs,
    learning_rate,
    verbose=1,
    optimizer="adam",
    decay=True,
    metrics=(),
    callbacks=(),
):
    """Compile and fit; return a ``TrainingResult`` (history and seconds).

    The course's one training loop: chapter 11 trains with it, and so do chapter 1's
    experiments (``resnet_lesson.experiments.steps`` adds a metric and a callback that
    keep every step's loss).
    """
    steps_per_epoch = int(train_data.cardinality())
    if steps_per_epoch < 1:
        raise ValueError("train_data must be a finite tf.data.Dataset (no repeat())")
    compile_model(model, learning_rate, epochs * steps_per_epoch, optimizer, decay, metrics)
    return fit(model, train_data, validation_data, epochs, verbose, callbacks)


def fit(model, train_data, validation_data, epochs, verbose=1, callbacks=()):
    """Fit a compiled model; return a ``TrainingResult``. ``shuffle=False`` tells Keras
    not to try shuffling: a ``tf.data`` pipeline shuffles itself (and Keras would warn
    that it ignores the flag)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    history = model.fit(
        train_data,
        validation_data=validation_data,
        epochs=epochs,
        verbose=verbose,
        shuffle=False,
        callbacks=list(callbacks),
    )
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return TrainingResult(
        history=dict(history.history), seconds=seconds, epochs=epochs, cpu_seconds=cpu_seconds
    )


def predict_classes(model, dataset):
    """Return ``(labels, predicted classes, softmax probabilities)`` over a dataset."""
    labels = np.concatenate([np.asarray(y) for _, y in dataset])
    logits = model.predict(dataset, verbose=0)
    probabilities = np.asarray(tf.nn.softmax(np.asarray(logits, np.float32), axis=-1))
    return labels, probabilities.argmax(axis=-1), probabilities


# -- a whole setup, end to end (the GPU script runs this) -----------------------------


def run_setup(setup_name="auto", verbose=2, compare=True, log=print):
    """Train the chosen setup end to end; return a JSON-ready results dict."""
    name, settings = resolve_setup(setup_name)
    if settings["mixed_precision"]:
        keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        splits = load_splits(settings)
        results = {
            "setup": name,
            "settings": settings,
            "sizes": splits.sizes(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "devices": [d.name for d in tf.config.list_logical_devices() if d.device_type == "GPU"]
            or ["CPU"],
        }
        resnet, model = build_model(settings)
        results["parameters"] = model.count_params()
        datasets = {
            part: make_dataset(
                split.images,
                split.labels,
                resnet.preprocess,
                settings["batch_size"],
                is_training=part == "train",
            )
            for part, split in (
                ("train", splits.train),
                ("validation", splits.validation),
                ("test", splits.test),
            )
        }
        log(f"{name}: {model.name}, {model.count_params():,} parameters, {splits.sizes()} images")
        result = train(
            model,
            datasets["train"],
            datasets["validation"],
            settings["epochs"],
            settings["learning_rate"],
            verbose=verbose,
        )
        test_loss, test_accuracy = model.evaluate(datasets["test"], verbose=0)
        results.update(
            train_seconds=result.seconds,
            epochs=result.epochs,
            test_accuracy=float(test_accuracy),
            test_loss=float(test_loss),
            history={k: [float(v) for v in vals] for k, vals in result.history.items()},
        )
        log(f"test accuracy {test_accuracy:.4f} after {result.seconds:.1f} s")
        if compare:
            results["comparison"] = {}
            for label, model_class in (("residual", CourseResNet), ("plain", PlainNet)):
                _, twin = build_model(
                    settings,
                    model_class,
                    num_layers=settings["comparison_layers"],
                    filters_initial=settings["comparison_filters"],
                )
                twin_result = train(
                    twin,
                    datasets["train"],
                    datasets["validation"],
                    settings["comparison_epochs"],
                    settings["learning_rate"],
                    verbose=verbose,
                )
                _, twin_accuracy = twin.evaluate(datasets["test"], verbose=0)
                results["comparison"][label] = dict(
                    layers=settings["comparison_layers"],
                    parameters=twin.count_params(),
                    seconds=twin_result.seconds,
                    test_accuracy=float(twin_accuracy),
                    history={
                        k: [float(v) for v in vals] for k, vals in twin_result.history.items()
                    },
                )
                log(
                    f"{label}-{settings['comparison_layers']}: test accuracy "
                    f"{twin_accuracy:.4f} after {twin_result.seconds:.1f} s"
                )
        return results
    finally:
        keras.mixed_precision.set_global_policy("float32")


def load_gpu_results(path=GPU_RESULTS_PATH):
    """The results file ``scripts/train_gpu.py`` wrote, or ``None`` when there is none."""
    path = Path(path)
    if not path.exists():
        return None
    return json.loads(path.read_text())
