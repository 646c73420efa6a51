"""Chapter 11: train the course's ResNet on real data, and look at what it learned.

The pieces, in the order the chapter uses them:

- ``TRAINING_SETUPS`` / ``resolve_setup``: one named setting picks the data, the model
  size and the schedule. ``"cpu-digits"`` (scikit-learn's digits, a narrow ResNet-18,
  well under a minute on two CPU cores) is what CI and a laptop run;
  ``"gpu-cifar10"`` (CIFAR-10 from ``keras.datasets``, full-width ResNet-18, mixed
  precision) needs a GPU and the network, e.g. on Colab. ``"auto"`` picks by device.
- ``load_splits`` (``data.py``) loads a setting's data; ``CourseResNet``, ``PlainNet``
  and ``build_model`` (``model_variants.py``) build its model. The chapter calls them
  through this module.
- ``make_dataset``: the ``tf.data`` pipeline (the chapter's exercise; this is the
  reference answer).
- ``train``: compile and fit with Adam and a cosine learning-rate decay; returns the
  history and the seconds it took.
- its figures (learning curves, a confusion matrix, example predictions) are in
  ``resnet_lesson.figures.training``; ``scripts/train_gpu.py`` runs a whole setup on a
  GPU and writes the results ``load_gpu_results`` reads.
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
from resnet_lesson.data import DIGITS_CLASSES, load_splits
from resnet_lesson.device import gpu_available
from resnet_lesson.model_variants import CourseResNet, PlainNet, build_model

# load_splits, CourseResNet, PlainNet and build_model live with the data and the model;
# chapter 11's cells (and learners' notebooks) call them as training.<name>.
__all__ = [
    "TRAINING_SETUPS",
    "resolve_setup",
    "training_settings",
    "load_splits",
    "CourseResNet",
    "PlainNet",
    "make_dataset",
    "build_model",
    "train",
    "TrainingResult",
    "predict_classes",
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


def paper_schedule(total_steps, learning_rate=0.1):
    """He et al.'s (2016a, section 4.2) learning rate: ``learning_rate``, divided by 10
    at half and again at three quarters of ``total_steps``."""
    return keras.optimizers.schedules.PiecewiseConstantDecay(
        [total_steps // 2, 3 * total_steps // 4],
        [learning_rate, learning_rate / 10, learning_rate / 100],
    )


def paper_sgd(total_steps, learning_rate=0.1):
    """He et al.'s optimizer: SGD with momentum 0.9 and weight decay 1e-4 (Keras applies
    it to the weights directly, as a decoupled decay) on :func:`paper_schedule`."""
    return keras.optimizers.SGD(
        paper_schedule(total_steps, learning_rate), momentum=0.9, weight_decay=1e-4
    )


def compile_model(
    model, learning_rate, steps, optimizer="adam", decay=True, metrics=(), jit_compile="auto"
):
    """Adam (or SGD with momentum 0.9), with a cosine decay of the learning rate to zero
    over ``steps`` steps unless ``decay`` is False; accuracy and ``metrics`` are measured.
    ``jit_compile`` goes to Keras (its "auto" means no XLA on a CPU)."""
    if decay:
        learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)
    if optimizer == "adam":
        optimizer = keras.optimizers.Adam(learning_rate)
    elif optimizer == "sgd":
        optimizer = keras.optimizers.SGD(learning_rate, momentum=0.9)
    else:
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    model.compile(
        optimizer=optimizer,
        loss=LOSS(),
        metrics=["accuracy", *metrics],
        jit_compile=jit_compile,
    )
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
    jit_compile="auto",
):
    """Compile and fit; return a ``TrainingResult`` (history and seconds).

    The course's one training loop: chapter 11 trains with it, and so do chapter 1's
    experiments (``resnet_lesson.experiments.steps`` adds a metric and a callback that
    keep every step's loss).
    """
    steps_per_epoch = int(train_data.cardinality())
    if steps_per_epoch < 1:
        raise ValueError("train_data must be a finite tf.data.Dataset (no repeat())")
    compile_model(
        model, learning_rate, epochs * steps_per_epoch, optimizer, decay, metrics, jit_compile
    )
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


def load_gpu_results(path=GPU_RESULTS_PATH):
    """The results file ``scripts/train_gpu.py`` wrote, or ``None`` when there is none."""
    path = Path(path)
    if not path.exists():
        return None
    return json.loads(path.read_text())
