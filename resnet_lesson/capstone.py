"""Chapter 12: the learner's own ResNet, built from their chapters 2-10, trained.

- ``ResNetBase``: all a capstone class may inherit: the convolution helper that no
  chapter asks the learner to write (``custom_conv2d``, the reference's own).
- ``OUTLINE_METHODS``: the methods the learner wrote in chapters 2-10, and which
  chapter each comes from.
- ``build_model``: the learner's class as a narrow ResNet for the digits (or as the
  full-width one for CIFAR-10), with chapter 11's training settings.
- ``train_on``: train it with chapter 11's loop (``training.train``) and measure the
  held-out test accuracy.
- ``print_answers``: the answer cells of the learner's earlier chapter notebooks, to
  paste from (the chapter 12 notebook itself never reads them: nbgrader grades it alone).
"""

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import keras
import tensorflow as tf

from resnet_lesson import course, data, training
from resnet_lesson.model import ResNetModel as _CourseModel
from resnet_lesson.model import input_shape_for

# Each method of the outline and the chapter (learner notebook folder) it was written in.
OUTLINE_METHODS = {e.method: e.chapter for e in course.EXERCISES if e.method is not None}

# The course's graded target for the capstone: test accuracy on the digits, reached
# within 2 minutes of training on 2 cores. Met when the clock says at most 120 s, or,
# on a busy machine where the clock runs slow, when the training used at most
# 2 x 120 s of CPU time.
TARGET_ACCURACY = 0.98
TIME_BUDGET_SECONDS = 120
BUDGET_CORES = 2


def within_time_budget(result):
    """Whether a ``training.TrainingResult`` trained within the capstone's budget."""
    if result.seconds <= TIME_BUDGET_SECONDS:
        return True
    cpu = result.cpu_seconds
    return cpu is not None and cpu <= TIME_BUDGET_SECONDS * BUDGET_CORES


# The digits run of the capstone: chapter 11's "cpu-digits" setup (narrow ResNet-18,
# Adam with a cosine decay, batch norm momentum 0.9) with the learner's own preprocess,
# and more epochs than chapter 11's 20, for a margin above the graded target.
CAPSTONE_SETUP = "cpu-digits"
CAPSTONE_EPOCHS = 30


def capstone_settings(setup_name=CAPSTONE_SETUP):
    """``(setup_name, settings)``: chapter 11's setup, with the capstone's epochs on the
    digits."""
    name, settings = training.resolve_setup(setup_name)
    if settings["data"] == "digits":
        settings["epochs"] = CAPSTONE_EPOCHS
    return name, settings


class ResNetBase:
    """What a chapter 12 ``ResNetModel`` may inherit: nothing the learner wrote.

    ``custom_conv2d`` is the course's convolution (its padding comes from your
    ``custom_padding``): no chapter asked you to write it.
    """

    custom_conv2d = _CourseModel.custom_conv2d


def defined_by_course(cls):
    """The course's classes in ``cls``'s ancestry, ``ResNetBase`` and ``object`` aside.

    Compared by module name, not identity: the grader re-imports the course package
    before each graded cell, so the learner's base classes are older copies.
    """
    return [
        klass
        for klass in cls.__mro__
        if klass.__module__.split(".")[0] == "resnet_lesson"
        and klass.__qualname__ != ResNetBase.__qualname__
    ]


@dataclass
class CapstoneRun:
    """One training run of the learner's class: what ``train_on`` measured."""

    setup: str
    model: keras.Model
    result: training.TrainingResult
    test_accuracy: float
    test_size: int


def build_model(model_class, settings, num_layers=None):
    """``(resnet, model)``: the learner's ``model_class`` built with ``settings``
    (a ``training.TRAINING_SETUPS`` entry).

    Chapter 11's training setup changes three things that are not methods: the width
    (``filters_initial``, an attribute the learner's ``model_layers`` reads), the batch
    norms' momentum (set on the built layers: a property of training, not of the
    architecture) and, under mixed precision, float32 logits for the loss.
    """
    resnet = model_class(
        settings["min_aspect_dim"],
        settings["resize_dim"],
        num_layers or settings["num_layers"],
        len(settings["class_names"]),
    )
    resnet.filters_initial = settings["filters_initial"]
    channels = 1 if settings["data"] == "digits" else 3
    inputs = keras.Input(input_shape_for(settings["resize_dim"], "channels_last", channels))
    logits = resnet.model_layers(inputs, is_training=True)
    if keras.mixed_precision.global_policy().compute_dtype != "float32":
        logits = keras.layers.Activation("linear", dtype="float32")(logits)
    model = keras.Model(inputs, logits, name=f"your_resnet{resnet.num_layers}")
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = settings["batch_norm_momentum"]
    return resnet, model


def reference_parameter_count(settings, num_layers=None):
    """Parameters of the course's own network built like :func:`build_model` builds yours."""
    _, model = build_model(_CourseModel, settings, num_layers)
    return model.count_params()


def train_on(model_class, setup_name=CAPSTONE_SETUP, verbose=2, progress=None, seed=None):
    """Train the learner's class on a chapter 11 setup; return a :class:`CapstoneRun`.

    The data and the loop are chapter 11's (``data.load_splits``,
    ``training.make_dataset`` with the class's own ``preprocess``, ``training.train``).
    ``progress`` (a file) receives one line per epoch when ``verbose`` is 0. ``seed``, as
    in chapter 11, makes a rerun close to the last one (not bit for bit identical).
    """
    if seed is not None:
        keras.utils.set_random_seed(seed)
    name, settings = capstone_settings(setup_name)
    if settings["mixed_precision"]:
        keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        splits = data.load_splits(settings)
        resnet, model = build_model(model_class, settings)

        preprocess = resnet.preprocess if settings["flip"] else without_flip(resnet.preprocess)

        def dataset(split, is_training):
            return training.make_dataset(
                split.images, split.labels, preprocess, settings["batch_size"], is_training
            )

        callbacks = []
        if progress is not None:
            callbacks.append(_EpochLines(progress, settings["epochs"]))
        result = training.train(
            model,
            dataset(splits.train, True),
            dataset(splits.validation, False),
            settings["epochs"],
            settings["learning_rate"],
            verbose=verbose,
            callbacks=callbacks,
        )
        _, test_accuracy = model.evaluate(dataset(splits.test, False), verbose=0)
        return CapstoneRun(name, model, result, float(test_accuracy), len(splits.test))
    finally:
        keras.mixed_precision.set_global_policy("float32")


def without_flip(preprocess, shift=1):
    """``preprocess`` for data that must not be mirrored (digits: a mirrored 2 is no digit).

    Every image goes through ``preprocess(image, False)`` (resize, centre crop); while
    training it is then shifted by up to ``shift`` pixels each way (zero padding, random
    crop), the augmentation chapter 11 gives the digits in place of the flip.
    """

    def preprocess_without_flip(image, is_training):
        processed = preprocess(image, False)
        if not is_training:
            return processed
        padded = tf.pad(processed, [[shift, shift], [shift, shift], [0, 0]])
        return tf.image.random_crop(padded, tf.shape(processed))

    return preprocess_without_flip


class _EpochLines(keras.callbacks.Callback):
    """One line per epoch (validation accuracy and seconds so far), no progress bar."""

    def __init__(self, stream, epochs):
        super().__init__()
        self.stream, self.epochs = stream, epochs

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        print(
            f"epoch {epoch + 1:>2}/{self.epochs}: training loss {logs.get('loss', 0):.4f}, "
            f"validation accuracy {logs.get('val_accuracy', 0):.2%}",
            file=self.stream,
            flush=True,
        )


# -- pasting from the earlier chapters --------------------------------------------------


def answer_cells(chapter_id, notebooks=None):
    """The source of each answer cell in the learner's notebook of ``chapter_id``."""
    notebooks = Path(notebooks) if notebooks else Path.cwd().parent
    path = course.chapter_notebook(notebooks, chapter_id)
    if not path.exists():
        return path, None
    cells = json.loads(path.read_text())["cells"]
    return path, [
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code"
        and cell.get("metadata", {}).get("nbgrader", {}).get("solution")
        and "quiz.answering" not in "".join(cell["source"])
    ]


def print_answers(notebooks=None, stream=None):
    """Print, chapter by chapter, the exercise cells of your notebooks 2 to 10.

    ``notebooks`` is the folder that holds the chapter folders (by default the parent of
    the folder this notebook runs in). Only reads: nothing is changed.
    """
    stream = stream or sys.stdout
    for method, chapter_id in OUTLINE_METHODS.items():
        path, sources = answer_cells(chapter_id, notebooks)
        print(f"# ---- {method}: {chapter_id} ----", file=stream)
        if sources is None:
            print(f"# (no notebook at {path})", file=stream)
            continue
        for source in sources:
            print(source, file=stream)
        print(file=stream)
