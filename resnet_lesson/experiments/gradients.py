"""Chapter 1's second experiment: gradient norms at initialization, plain vs residual."""

import keras
import numpy as np
import tensorflow as tf

from resnet_lesson import training
from resnet_lesson.data import load_digits_images
from resnet_lesson.experiments.stacks import KINDS, build_stack, conv_kernels


def conv_gradient_norms(model, images, labels):
    """Norm of the loss gradient for each conv kernel of ``model``, input side first,
    on one batch with batch norm in training mode: ``(layer_names, norms, loss)``."""
    names, kernels = zip(*conv_kernels(model))
    with tf.GradientTape() as tape:
        loss = training.LOSS()(labels, model(images, training=True))
    grads = tape.gradient(loss, list(kernels))
    norms = np.array([float(tf.norm(g)) for g in grads], dtype="float64")
    return list(names), norms, float(loss)


def run_gradient_norms(depths=(8, 20, 56), width=16, batch_size=128, seed=0):
    """Per-layer gradient norms of the loss at initialization, plain vs residual.

    For each kind and depth, a freshly initialized net (same seed, so plain and residual
    start from the same weights) computes the cross-entropy of one batch of
    ``batch_size`` digits with batch norm in training mode, and the Euclidean norm of the
    gradient with respect to each conv kernel is taken, input side first. Returns:

    - ``depths``, ``settings``;
    - ``plain`` and ``residual``: dicts of lists aligned with ``depths``: ``layer_names``,
      ``grad_norms`` (float64 array, one norm per conv, input side first), ``loss``,
      ``first_last_ratio`` (first conv's gradient norm over the last conv's) and
      ``max_min_ratio`` (largest over smallest norm).
    """
    images, labels = load_digits_images("float32")
    rng = np.random.default_rng(seed)
    batch = rng.choice(len(images), size=batch_size, replace=False)
    x_batch, y_batch = images[batch], labels[batch]
    depths = [int(d) for d in depths]
    results = {
        "depths": depths,
        "settings": dict(depths=depths, width=width, batch_size=batch_size, seed=seed),
    }
    for kind in KINDS:
        per_kind = {
            key: []
            for key in ("layer_names", "grad_norms", "loss", "first_last_ratio", "max_min_ratio")
        }
        for depth in depths:
            keras.utils.set_random_seed(seed)
            model = build_stack(depth, kind == "residual", width=width)
            names, norms, loss = conv_gradient_norms(model, x_batch, y_batch)
            per_kind["layer_names"].append(names)
            per_kind["grad_norms"].append(norms)
            per_kind["loss"].append(loss)
            per_kind["first_last_ratio"].append(float(norms[0] / norms[-1]))
            per_kind["max_min_ratio"].append(float(norms.max() / norms.min()))
        results[kind] = per_kind
    return results
