"""Training and evaluating chapter 1's stacks on the digits, step by step.

The training loop is the course's one loop, :func:`resnet_lesson.training.train` (Keras's
``fit``); what this module adds is the experiment's design: every network trained with
the same seed sees the same batches in the same order, and the loss of every single
step is kept (Keras's own loss in the logs is a running mean over the epoch).
:func:`split_digits` holds digits out for the experiments that measure a test error.
"""

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
):
    """Train ``model`` on the seeded batches; return the loss of every step (float32).

    ``max_steps``, if given, stops after that many steps. The learning rate stays
    constant (no schedule: the experiments compare networks, not recipes). All the
    epochs' batches go through one ``fit`` epoch, in the order drawn from ``seed``.
    """
    batches = seeded_batches(images, labels, epochs, batch_size, seed, max_steps)
    recorder = StepLosses()
    training.train(
        model,
        batches,
        None,
        epochs=1,
        learning_rate=learning_rate,
        optimizer=optimizer,
        decay=False,
        metrics=[StepLoss()],
        callbacks=[recorder],
        verbose=0,
    )
    return np.array(recorder.losses, dtype="float32")


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
