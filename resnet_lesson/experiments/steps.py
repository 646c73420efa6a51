"""Training and evaluating chapter 1's stacks on the digits, step by step.

The training loop is the course's one loop, :func:`resnet_lesson.training.train` (Keras's
``fit``); what this module adds is the experiment's design: every network trained with
the same seed sees the same batches in the same order, and the loss of every single
step is kept (``fit`` runs one step per "epoch", so its history holds one loss per step).
"""

import numpy as np
import tensorflow as tf

from resnet_lesson import training


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
    constant (no schedule: the experiments compare networks, not recipes).
    """
    batches = seeded_batches(images, labels, epochs, batch_size, seed, max_steps)
    steps = int(batches.cardinality())
    result = training.train(
        model,
        batches.repeat(),
        None,
        epochs=steps,
        learning_rate=learning_rate,
        optimizer=optimizer,
        decay=False,
        steps_per_epoch=1,
        verbose=0,
    )
    return np.array(result.history["loss"], dtype="float32")


def _loss_fn():
    return training.LOSS()


def evaluate(model, images, labels, training=False):
    """Return ``(mean cross-entropy loss, error rate)`` of ``model`` on the images.

    The whole set goes through in one batch. ``training=False`` (the default) uses
    batch norm's moving averages, as a deployed network does. ``training=True`` makes
    batch norm use the statistics of this whole set instead: on the training set that
    is the network with exact population statistics, which the moving averages only
    estimate (and, after a few hundred steps, lag behind in deep residual stacks).
    """
    logits = model(images, training=training)
    loss = float(_loss_fn()(labels, logits))
    error = float(np.mean(np.argmax(np.asarray(logits), axis=1) != labels))
    return loss, error
