"""Training and evaluating chapter 1's stacks on the digits, step by step.

The training loop is the course's one loop, :func:`resnet_lesson.training.train` (Keras's
``fit``), here in its two halves (``compile_model``, then ``fit``); what this module adds
is the experiment's design: every network trained with the same seed sees the same
batches in the same order, and the loss of every single step is kept (Keras's own loss
in the logs is a running mean over the epoch).
:func:`split_digits` holds digits out for the experiments that measure a test error.

Tracing a network's training step (Keras turning it into a TensorFlow graph) costs more
here than the training itself: about 10 s of CPU for a 20-layer stack, against 8 s for
its 150 steps on two cores. So a network trains again without a new trace: :func:`train`
called again on the same model puts its optimizer back to the state compiling gives (a
fresh Adam), and :func:`fresh_start` gives an already trained model another network's
initial weights (the next seed's). Same numbers as a fresh model, minus the trace.
"""

import weakref

import keras
import numpy as np
import tensorflow as tf

from resnet_lesson import training
from resnet_lesson.data import load_digits_images
from resnet_lesson.training import LOSS


class StepLoss(keras.metrics.Metric):
    """The loss of the latest batch alone, computed as the training step computes it."""

    def __init__(self, name="step_loss"):
        super().__init__(name=name)
        self.loss = self.add_variable(shape=(), initializer="zeros", name="loss")
        self.loss_fn = training.LOSS()

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.loss.assign(self.loss_fn(y_true, y_pred))

    def result(self):
        return self.loss


class StepLosses(keras.callbacks.Callback):
    """Collects :class:`StepLoss` after every training step."""

    def __init__(self):
        super().__init__()
        self.losses = []

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(float(logs["step_loss"]))


def seeded_batches(images, labels, epochs, batch_size, seed, max_steps=None):
    """A ``tf.data`` pipeline of ``(images, labels)`` batches, each epoch in a fresh order
    drawn from ``seed``; the last incomplete batch of an epoch is dropped."""
    steps_per_epoch = len(images) // batch_size
    if steps_per_epoch == 0:
        raise ValueError(f"batch_size {batch_size} exceeds the {len(images)} images")
    rng = np.random.default_rng(seed)
    order = np.concatenate(
        [rng.permutation(len(images))[: steps_per_epoch * batch_size] for _ in range(epochs)]
    )
    if max_steps is not None:
        order = order[: max_steps * batch_size]
    return tf.data.Dataset.from_tensor_slices((images[order], labels[order])).batch(batch_size)


# Each model train() compiled, with its settings and its optimizer's variables as they
# were before the first step.
_COMPILED = weakref.WeakKeyDictionary()


def train(
    model,
    images,
    labels,
    epochs,
    batch_size=64,
    learning_rate=1e-3,
    optimizer="adam",
    seed=0,
    max_steps=None,
    decay=False,
):
    """Train ``model`` on the seeded batches; return the loss of every step (float32).

    ``max_steps``, if given, stops after that many steps. The learning rate stays
    constant (the experiments compare networks, not recipes) unless ``decay``, which
    lowers it to zero along a cosine over the run, so that a long run ends settled. All the
    epochs' batches go through one ``fit`` epoch, in the order drawn from ``seed``.
    Every call starts from a fresh optimizer; a model trained before keeps its traced
    training step (see the module's docstring).
    """
    batches = seeded_batches(images, labels, epochs, batch_size, seed, max_steps)
    recorder = StepLosses()
    # A decaying rate is scheduled over this run's steps: a run of another length
    # needs a new optimizer (and a new trace); a constant rate does not.
    decay_steps = int(batches.cardinality()) if decay else None
    settings = (learning_rate, optimizer, decay_steps)
    if model in _COMPILED and _COMPILED[model][0] == settings:
        for variable, first_value in zip(model.optimizer.variables, _COMPILED[model][1]):
            variable.assign(first_value)
    else:
        training.compile_model(
            model, learning_rate, decay_steps, optimizer, decay=decay, metrics=[StepLoss()]
        )
        _COMPILED[model] = (settings, [v.numpy() for v in model.optimizer.variables])
    training.fit(model, batches, None, epochs=1, verbose=0, callbacks=[recorder])
    return np.array(recorder.losses, dtype="float32")


def fresh_start(traced, key, fresh):
    """The network kept in ``traced[key]``, restarted from ``fresh``'s weights (batch
    norm's statistics included); the first time, ``fresh`` itself, kept there. A new run
    of one architecture (another seed) without tracing its training step again."""
    if key in traced:
        traced[key].set_weights(fresh.get_weights())
    else:
        traced[key] = fresh
    return traced[key]


def split_digits(num_test, seed=0):
    """The digits in [0, 1], split (stratified, fixed by ``seed``) into training and
    held-out parts: ``(train_x, train_y, test_x, test_y)``."""
    from sklearn.model_selection import train_test_split

    images, labels = load_digits_images("float32")
    train_x, test_x, train_y, test_y = train_test_split(
        images, labels, test_size=num_test, stratify=labels, random_state=seed
    )
    return train_x, train_y, test_x, test_y


def evaluate(model, images, labels, training=False):
    """Return ``(mean cross-entropy loss, error rate)`` of ``model`` on the images.

    The whole set goes through in one batch. ``training=False`` (the default) uses
    batch norm's moving averages, as a deployed network does. ``training=True`` makes
    batch norm use the statistics of this whole set instead: on the training set that
    is the network with exact population statistics, which the moving averages only
    estimate (and, after a few hundred steps, lag behind in deep residual stacks).
    """
    logits = model(images, training=training)
    loss = float(LOSS()(labels, logits))  # (the argument `training` hides the module)
    error = float(np.mean(np.argmax(np.asarray(logits), axis=1) != labels))
    return loss, error
