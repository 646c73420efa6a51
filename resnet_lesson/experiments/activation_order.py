"""Chapter 4's experiments: post-activation (v1) against pre-activation (v2) residual nets.

He et al. (2016b, *Identity Mappings in Deep Residual Networks*) write a v2 network's
blocks as ``x_{l+1} = x_l + F(x_l)``; unrolled from block ``l`` to a deeper block ``L``
(their eq. 4) and differentiated (eq. 5)::

    x_L = x_l + sum_{i=l}^{L-1} F(x_i)
    dE/dx_l = dE/dx_L * (1 + d/dx_l sum_{i=l}^{L-1} F(x_i))

so the loss gradient at block ``L`` reaches every earlier block unchanged, whatever the
branches do. A v1 block (He et al. 2016a) is ``x_{l+1} = ReLU(x_l + F(x_l))``: the ReLU
after the addition sits on the shortcut path and can block that term.

- :func:`build_residual_stack`: a v1 or a v2 stack with the same convs and the same
  number of batch norms (so the same parameters), as separate pieces (stem, one model
  per residual branch, head) joined into one ``keras.Model`` for training, so that the
  block inputs ``x_l`` can be reached for gradients;
- :func:`run_activation_order`: both orders trained side by side on the digits over
  several seeds (the course's training loop, :func:`resnet_lesson.experiments.train`);
- :func:`run_propagation`: eq. 5 measured with ``tf.GradientTape`` on freshly built
  stacks.
"""

import time
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from resnet_lesson import training
from resnet_lesson.data import load_digits_images
from resnet_lesson.experiments.stacks import conv3x3, num_blocks_for, pre_activation
from resnet_lesson.experiments.steps import evaluate, fresh_start, split_digits, train

ORDERS = ("v1", "v2")

# The chapter's settings (run_activation_order's defaults): 20 weighted layers (9
# blocks), 16 channels, 100 steps of 64 digits, 3 seeds.
ACTIVATION_ORDER_DEFAULTS = dict(
    depth=20,
    width=16,
    steps=100,
    seeds=(0, 1, 2),
    batch_size=64,
    learning_rate=3e-3,
    num_test=360,
)


def _batch_norm(inputs, name, bn_momentum):
    return keras.layers.BatchNormalization(axis=-1, momentum=bn_momentum, name=f"{name}_bn")(inputs)


def _branch(order, width, index, bn_momentum, input_shape):
    """The residual function ``F`` of block ``index``, as a keras.Model of its own.

    v1: conv, BN, ReLU, conv, BN (the block's ReLU comes after the addition).
    v2: BN, ReLU, conv, BN, ReLU, conv (the block ends with the bare addition).
    """
    name = f"block{index}"
    inputs = keras.Input(input_shape)
    if order == "v1":
        conv1 = conv3x3(inputs, width, f"{name}_conv1")
        activated = keras.layers.ReLU(name=f"{name}_relu1")(
            _batch_norm(conv1, f"{name}_post1", bn_momentum)
        )
        conv2 = conv3x3(activated, width, f"{name}_conv2")
        outputs = _batch_norm(conv2, f"{name}_post2", bn_momentum)
    else:
        conv1 = conv3x3(pre_activation(inputs, f"{name}_pre1", bn_momentum), width, f"{name}_conv1")
        outputs = conv3x3(
            pre_activation(conv1, f"{name}_pre2", bn_momentum), width, f"{name}_conv2"
        )
    return keras.Model(inputs, outputs, name=f"{name}_branch")


@dataclass
class ResidualStack:
    """A residual network in pieces: ``stem`` -> blocks -> ``head``.

    Block ``i`` computes ``merge(x_i, branches[i](x_i))``; ``model`` is the same
    network as one keras.Model (sharing the pieces' weights), for training.
    """

    order: str
    stem: keras.Model
    branches: list
    head: keras.Model
    model: keras.Model

    def merge(self, x, branch_output):
        """The shortcut's addition, then v1's ReLU (v2 adds nothing after it)."""
        total = keras.ops.add(x, branch_output)
        return keras.ops.relu(total) if self.order == "v1" else total

    def forward(self, images, training=True, shortcuts_only=False):
        """Return ``(xs, fs, logits)``: ``xs[l]`` is block ``l``'s input, ``xs[-1]`` the
        last block's output, ``fs[l]`` block ``l``'s branch output ``F(x_l)``.

        ``shortcuts_only=True`` computes the same values but lets no gradient into the
        branches (their input is ``tf.stop_gradient(x)``): a gradient taken then has
        travelled along the shortcut path alone. ``training=True`` updates batch
        norm's moving averages, as any training-mode call does.
        """
        xs, fs = [self.stem(images, training=training)], []
        for branch in self.branches:
            x = xs[-1]
            fs.append(branch(tf.stop_gradient(x) if shortcuts_only else x, training=training))
            xs.append(self.merge(x, fs[-1]))
        return xs, fs, self.head(xs[-1], training=training)

    def last_branch_layers(self):
        """The layer that ends each branch: its last conv (v2) or last batch norm (v1)."""
        return [branch.layers[-1] for branch in self.branches]


def build_residual_stack(
    order, depth, width=16, num_classes=10, input_shape=(8, 8, 1), bn_momentum=0.9
):
    """A residual stack of ``depth`` weighted layers, post- (``"v1"``) or pre-activation
    (``"v2"``).

    Both orders have a 3x3 stem conv to ``width`` channels, ``(depth - 2) // 2`` blocks
    of two 3x3 convs with identity shortcuts, global average pooling and a dense layer;
    v1 puts a batch norm and ReLU after the stem conv, v2 a final batch norm and ReLU
    before the pooling, so both have ``2 * blocks + 1`` batch norms and exactly the same
    number of parameters (the layers of :func:`resnet_lesson.experiments.build_stack`).
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    num_blocks = num_blocks_for(depth)
    images = keras.Input(input_shape, name="images")
    stem_out = conv3x3(images, width, "conv_initial")
    if order == "v1":
        stem_out = keras.layers.ReLU(name="stem_relu")(_batch_norm(stem_out, "stem", bn_momentum))
    stem = keras.Model(images, stem_out, name="stem")
    feature_shape = tuple(stem_out.shape[1:])

    features = keras.Input(feature_shape)
    head_in = features if order == "v1" else pre_activation(features, "final", bn_momentum)
    pooled = keras.layers.GlobalAveragePooling2D(name="avg_pool")(head_in)
    head = keras.Model(
        features, keras.layers.Dense(num_classes, name="logits")(pooled), name="head"
    )

    branches = [_branch(order, width, i, bn_momentum, feature_shape) for i in range(num_blocks)]
    stack = ResidualStack(order, stem, branches, head, model=None)
    inputs = keras.Input(input_shape, name="images")
    x = stem(inputs)
    for branch in branches:
        x = stack.merge(x, branch(x))
    stack.model = keras.Model(inputs, head(x), name=f"{order}_{depth}")
    return stack


def run_activation_order(
    depth=ACTIVATION_ORDER_DEFAULTS["depth"],
    width=ACTIVATION_ORDER_DEFAULTS["width"],
    steps=ACTIVATION_ORDER_DEFAULTS["steps"],
    seeds=ACTIVATION_ORDER_DEFAULTS["seeds"],
    batch_size=ACTIVATION_ORDER_DEFAULTS["batch_size"],
    learning_rate=ACTIVATION_ORDER_DEFAULTS["learning_rate"],
    num_test=ACTIVATION_ORDER_DEFAULTS["num_test"],
    verbose=False,
):
    """Train a v1 and a v2 stack of the same depth side by side, for each seed.

    For one seed both orders get the same batches in the same order, the same
    optimizer (Adam, constant learning rate) and the same number of steps; the held-out
    ``num_test`` digits are never trained on. Returns a dict:

    - ``settings``; ``seconds`` (the whole run);
    - ``v1`` and ``v2``: dicts of lists aligned with ``seeds``: ``step_losses`` (float32
      array per seed), ``final_train_loss`` and ``final_train_error`` (all training
      images in one batch, batch norm in training mode, see
      :func:`resnet_lesson.experiments.evaluate`), ``test_error`` (held-out digits,
      inference mode), ``num_params``, ``seconds``.
    """
    start = time.perf_counter()
    train_x, train_y, test_x, test_y = split_digits(num_test)
    epochs = -(-steps // (len(train_x) // batch_size))
    seeds = [int(s) for s in seeds]
    results = {
        "settings": dict(
            depth=depth,
            width=width,
            steps=steps,
            seeds=seeds,
            batch_size=batch_size,
            learning_rate=learning_rate,
            num_train=len(train_x),
            num_test=len(test_x),
        )
    }
    keys = ("step_losses", "final_train_loss", "final_train_error", "test_error")
    for order in ORDERS:
        results[order] = {key: [] for key in keys + ("num_params", "seconds")}
    traced = {}  # one network per order, retrained from each seed's start (see steps)
    for seed in seeds:
        for order in ORDERS:
            t0 = time.perf_counter()
            keras.utils.set_random_seed(seed)
            model = fresh_start(traced, order, build_residual_stack(order, depth, width).model)
            losses = train(
                model,
                train_x,
                train_y,
                epochs,
                batch_size=batch_size,
                learning_rate=learning_rate,
                seed=seed,
                max_steps=steps,
            )
            train_loss, train_error = evaluate(model, train_x, train_y, training=True)
            _, test_error = evaluate(model, test_x, test_y)
            per_order = results[order]
            for key, value in zip(keys, (losses, train_loss, train_error, test_error)):
                per_order[key].append(value)
            per_order["num_params"].append(int(model.count_params()))
            per_order["seconds"].append(time.perf_counter() - t0)
            if verbose:
                print(
                    f"seed {seed} {order}: train loss {train_loss:.3f}, "
                    f"test error {test_error:.1%} ({per_order['seconds'][-1]:.1f} s)"
                )
    results["seconds"] = time.perf_counter() - start
    return results


def _relative(a, b):
    return float(tf.norm(a) / tf.norm(b))


def measure_propagation(stack, images, labels):
    """Eq. 5 of He et al. (2016b), measured on one batch (batch norm in training mode).

    ``g[l]`` is dE/dx_l, the loss gradient at block ``l``'s input, and ``g[L]`` the one
    at the last block's output. Returns a dict of lists, one entry per block ``l``:

    - ``grad_norm``: ||g[l]||; ``top_grad_norm``: ||g[L]||;
    - ``through_shortcuts``: the gradient that reaches ``x_l`` along the shortcuts
      alone (no gradient into any branch), relative to ``g[L]``:
      ``through_shortcuts_max_diff`` is max |that - g[L]| (0 means unchanged) and
      ``through_shortcuts_norm_ratio`` its norm over ||g[L]||;
    - v2 only, ``branch_term_norm_ratio``: ||g[l] - g[L]|| / ||g[L]|| (the part of
      eq. 5 that went through the branches) and ``decomposition_max_diff``: max
      |(g[l] - g[L]) - VJP| where VJP is ``g[L]`` pulled back through
      ``sum_i F(x_i)`` alone (eq. 5 says they are equal; only float rounding differs).
    """
    loss_fn = training.LOSS()
    with tf.GradientTape(persistent=True) as tape:
        xs, fs, logits = stack.forward(images, training=True)
        loss = loss_fn(labels, logits)
    grads = tape.gradient(loss, xs)
    top = grads[-1]
    with tf.GradientTape() as shortcut_tape:
        xs_cut, _, logits_cut = stack.forward(images, training=True, shortcuts_only=True)
        loss_cut = loss_fn(labels, logits_cut)
    through_shortcuts = shortcut_tape.gradient(loss_cut, xs_cut[:-1])
    result = {
        "grad_norm": [float(tf.norm(g)) for g in grads[:-1]],
        "top_grad_norm": float(tf.norm(top)),
        "through_shortcuts_max_diff": [
            float(tf.reduce_max(tf.abs(g - top))) for g in through_shortcuts
        ],
        "through_shortcuts_norm_ratio": [_relative(g, top) for g in through_shortcuts],
    }
    if stack.order == "v2":
        # The second term of eq. 5: g[L] pulled back through the branch outputs
        # F(x_i), i >= l, alone (each depends on x_l through the blocks between).
        branch_terms = [g - top for g in grads[:-1]]
        vjps = [
            tape.gradient(fs[first:], xs[first], output_gradients=[top] * len(fs[first:]))
            for first in range(len(fs))
        ]
        result["branch_term_norm_ratio"] = [_relative(term, top) for term in branch_terms]
        result["decomposition_max_diff"] = [
            float(tf.reduce_max(tf.abs(term - vjp))) for term, vjp in zip(branch_terms, vjps)
        ]
    del tape
    return result


def zero_branches(stack):
    """Make every branch output exactly zero: v2's last conv kernel (and bias, if any),
    v1's last batch norm's gamma and beta (a conv kernel of zero would still leave
    that batch norm's beta)."""
    for layer in stack.last_branch_layers():
        for weight in layer.trainable_weights:
            weight.assign(np.zeros(weight.shape, dtype=weight.dtype))


def run_propagation(depth=ACTIVATION_ORDER_DEFAULTS["depth"], width=16, batch_size=128, seed=0):
    """:func:`measure_propagation` on freshly built v1 and v2 stacks (same seed, same
    batch), then again with every branch zeroed (:func:`zero_branches`).

    Returns ``{"v1": ..., "v2": ..., "v1_zeroed": ..., "v2_zeroed": ..., "settings"}``;
    the ``_zeroed`` entries add ``max_diff`` (per block ``l``, max |g[l] - g[L]|) and
    ``zeroed_fraction`` (per block, the share of g[L]'s nonzero entries that arrive at
    ``x_l`` as exactly zero).
    """
    images, labels = load_digits_images("float32")
    batch = np.random.default_rng(seed).choice(len(images), size=batch_size, replace=False)
    x_batch, y_batch = images[batch], labels[batch]
    results = {"settings": dict(depth=depth, width=width, batch_size=batch_size, seed=seed)}
    for order in ORDERS:
        keras.utils.set_random_seed(seed)
        stack = build_residual_stack(order, depth, width=width)
        results[order] = measure_propagation(stack, x_batch, y_batch)
        zero_branches(stack)
        with tf.GradientTape() as tape:
            xs, _, logits = stack.forward(x_batch, training=True)
            loss = training.LOSS()(y_batch, logits)
        grads = tape.gradient(loss, xs)
        top = grads[-1]
        nonzero = tf.not_equal(top, 0.0)
        results[f"{order}_zeroed"] = {
            "max_diff": [float(tf.reduce_max(tf.abs(g - top))) for g in grads[:-1]],
            "zeroed_fraction": [
                float(
                    tf.reduce_sum(tf.cast(nonzero & tf.equal(g, 0.0), "float32"))
                    / tf.reduce_sum(tf.cast(nonzero, "float32"))
                )
                for g in grads[:-1]
            ],
        }
    return results
