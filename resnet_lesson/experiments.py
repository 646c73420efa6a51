"""Chapter 1's measured experiments: degradation, gradient norms, and the zero mapping.

Each experiment is a ``run_*`` function that trains or probes small networks on
scikit-learn's bundled 8x8 digits (1,797 real images, no network access needed) and
returns plain data (dicts of floats, lists and numpy arrays). A separate ``plot_*``
function turns that data into a matplotlib Figure, so a notebook cell reads
"run, plot, two sentences":

    results = run_degradation()          # about a minute on two CPU cores
    plot_degradation(results)
    grads = run_gradient_norms()         # a few seconds
    plot_gradient_norms(grads)
    zero = run_zero_mapping()            # a few seconds
    plot_zero_mapping(zero)

The networks (:func:`build_stack`) are deliberately small and come in two kinds that
differ *only* by the shortcut: a "plain" stack of pre-activation layers
(batch norm, ReLU, 3x3 conv) and a "residual" stack made of the very same layers
whose pairs of convs are wrapped in pre-activation residual blocks (He, Zhang, Ren and
Sun 2016b, "Identity Mappings in Deep Residual Networks"). The shortcut is an identity
(no projection), so both kinds have exactly the same parameters and, built with the
same seed, exactly the same initial weights.

Depth counts the weighted layers, as He et al. (2016a, "Deep Residual Learning for
Image Recognition") do: the first conv, two convs per block, and the final dense
layer, so ``depth = 2 * num_blocks + 2`` (8, 20 and 56 layers have 3, 9 and 27 blocks).
"""

import json
import time
from pathlib import Path

import numpy as np

import keras
import tensorflow as tf

KINDS = ("plain", "residual")

# The settings chapter 1 uses; run_degradation's defaults. Measured on seeds 0-19
# (TF 2.21, CPU): plain-56 ended with a higher training loss and error than plain-8 in
# 20 of 20 (error 57-80% vs 0.2-2.4%); residual-56's training loss was below
# residual-8's in 20 of 20, and every residual net ended under 5.1% training error
# (residual-56 under 1.8%), though residual-56's error beat residual-8's only in 7 of 20.
DEGRADATION_DEFAULTS = dict(
    depths=(8, 20, 56),
    width=16,
    epochs=4,
    batch_size=64,
    learning_rate=3e-3,
    optimizer="adam",
    num_train=None,
)


# Data ------------------------------------------------------------------------
def load_digits_data(num_train=None):
    """Return ``(images, labels)`` of scikit-learn's 8x8 digits, ready for Keras.

    ``images`` is float32 of shape ``(n, 8, 8, 1)`` scaled to [0, 1]; ``labels`` is
    int32 of shape ``(n,)`` with the digit 0-9. ``num_train`` keeps only the first
    images (all 1,797 by default). The data ships with scikit-learn: no download.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., None]
    labels = digits.target.astype("int32")
    if num_train is not None:
        images, labels = images[:num_train], labels[:num_train]
    return images, labels


# Networks --------------------------------------------------------------------
def num_blocks_for(depth):
    """How many two-conv blocks a stack of ``depth`` weighted layers has."""
    if depth < 4 or depth % 2:
        raise ValueError(f"depth must be an even number >= 4 (2 * blocks + 2), got {depth!r}")
    return (depth - 2) // 2


def _pre_activation(inputs, name, bn_momentum):
    """Batch norm then ReLU, as ``ResNetModel.pre_activation`` (channels last)."""
    normalized = keras.layers.BatchNormalization(
        axis=-1, momentum=bn_momentum, name=f"{name}_bn")(inputs)
    return keras.layers.ReLU(name=f"{name}_relu")(normalized)


def _conv3x3(inputs, filters, name):
    """A 3x3, stride-1, 'same', bias-free, He-initialized conv like ``custom_conv2d``."""
    return keras.layers.Conv2D(
        filters, 3, padding="same", use_bias=False,
        kernel_initializer="he_normal", name=name)(inputs)


def _block(inputs, filters, index, residual, bn_momentum):
    """Pre-activation, conv, pre-activation, conv; plus the input if ``residual``.

    The two kinds of block share every layer; only the final ``Add`` differs.
    """
    name = f"block{index}"
    pre_activated1 = _pre_activation(inputs, f"{name}_pre1", bn_momentum)
    conv1 = _conv3x3(pre_activated1, filters, f"{name}_conv1")
    pre_activated2 = _pre_activation(conv1, f"{name}_pre2", bn_momentum)
    conv2 = _conv3x3(pre_activated2, filters, f"{name}_conv2")
    if residual:
        return keras.layers.Add(name=f"{name}_add")([inputs, conv2])
    return conv2


def build_stack(depth, residual, width=16, num_classes=10, input_shape=(8, 8, 1),
                bn_momentum=0.9, name=None):
    """A small pre-activation network of ``depth`` weighted layers, plain or residual.

    Layout: a 3x3 conv to ``width`` channels (``conv_initial``), ``(depth - 2) // 2``
    blocks of two 3x3 convs each pre-activated by batch norm and ReLU (``block{i}_...``),
    a final batch norm and ReLU, global average pooling, and a dense ``logits`` layer.
    ``residual=True`` adds each block's input to its output (an identity shortcut);
    ``residual=False`` is the same stack without the additions. No layer strides, so the
    8x8 feature map and the width stay the same and no projection is needed.

    ``bn_momentum`` defaults to 0.9 rather than Keras's 0.99 so that the moving
    averages used in inference mode settle within the few hundred steps trained here.
    """
    num_blocks = num_blocks_for(depth)
    kind = "residual" if residual else "plain"
    inputs = keras.Input(input_shape, name="images")
    outputs = _conv3x3(inputs, width, "conv_initial")
    for index in range(num_blocks):
        outputs = _block(outputs, width, index, residual, bn_momentum)
    pre_activated = _pre_activation(outputs, "final", bn_momentum)
    pooled = keras.layers.GlobalAveragePooling2D(name="avg_pool")(pre_activated)
    logits = keras.layers.Dense(num_classes, name="logits")(pooled)
    return keras.Model(inputs, logits, name=name or f"{kind}{depth}")


def conv_kernels(model):
    """The model's conv kernels, input side first, as ``[(layer_name, variable), ...]``."""
    return [(layer.name, layer.kernel) for layer in model.layers
            if isinstance(layer, keras.layers.Conv2D)]


def count_add_layers(model):
    """How many ``Add`` layers (shortcut additions) the model has."""
    return sum(isinstance(layer, keras.layers.Add) for layer in model.layers)


# Training --------------------------------------------------------------------
def _make_optimizer(optimizer, learning_rate):
    if optimizer == "adam":
        return keras.optimizers.Adam(learning_rate)
    if optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=0.9)
    raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")


def _loss_fn():
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def train(model, images, labels, epochs, batch_size=64, learning_rate=1e-3,
          optimizer="adam", seed=0, max_steps=None):
    """Train ``model`` with a plain loop and return the loss of every step.

    Each epoch visits the images in a fresh order drawn from ``seed`` (so two models
    trained with the same seed see the same batches) and drops the last incomplete
    batch; ``max_steps``, if given, stops after that many steps. Returns a float32
    array of the per-step training losses (batch norm in training mode, as in any
    training step).
    """
    optimizer = _make_optimizer(optimizer, learning_rate)
    optimizer.build(model.trainable_variables)
    loss_fn = _loss_fn()

    @tf.function
    def train_step(x_batch, y_batch):
        with tf.GradientTape() as tape:
            loss = loss_fn(y_batch, model(x_batch, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    rng = np.random.default_rng(seed)
    steps_per_epoch = len(images) // batch_size
    if steps_per_epoch == 0:
        raise ValueError(f"batch_size {batch_size} exceeds the {len(images)} images")
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(images))
        for step in range(steps_per_epoch):
            if max_steps is not None and len(losses) >= max_steps:
                break
            batch = order[step * batch_size:(step + 1) * batch_size]
            losses.append(train_step(images[batch], labels[batch]))
    return np.array([float(loss) for loss in losses], dtype="float32")


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


# Experiment 1: degradation ---------------------------------------------------
def run_degradation(depths=DEGRADATION_DEFAULTS["depths"],
                    width=DEGRADATION_DEFAULTS["width"],
                    epochs=DEGRADATION_DEFAULTS["epochs"],
                    batch_size=DEGRADATION_DEFAULTS["batch_size"],
                    learning_rate=DEGRADATION_DEFAULTS["learning_rate"],
                    optimizer=DEGRADATION_DEFAULTS["optimizer"],
                    num_train=DEGRADATION_DEFAULTS["num_train"],
                    seed=0, verbose=False):
    """Train plain and residual stacks of each depth with the same budget.

    Every network gets the same seed (so a plain net and the residual net of the same
    depth start from identical weights), the same batches, optimizer, learning rate and
    number of epochs on the digits. Returns a dict:

    - ``depths``: list of ints; ``settings``: the arguments above, ``seed`` included.
    - ``plain`` and ``residual``: dicts of lists aligned with ``depths``:
      ``step_losses`` (float32 array per depth, the loss of every training step),
      ``epoch_losses`` (mean step loss per epoch, list of floats per depth),
      ``final_train_loss`` and ``final_train_error`` (the trained net evaluated on all
      its training images at once, batch norm using those images' statistics: see
      :func:`evaluate`), ``num_params`` (ints), ``seconds``.
    - ``checks``: ``plain_degrades`` (the deepest plain net ends with a higher training
      loss *and* error than the shallowest), ``plain_monotonic`` (training loss rises
      with every step in depth), ``residual_degrades`` (the deepest residual net ends
      with a higher training loss than the shallowest), ``residual_beats_plain``
      (at every depth but the shallowest, residual loss < plain loss).
    - ``seconds``: wall-clock time of the whole experiment.

    Like every ``run_*`` function here it reseeds Python's, NumPy's and TensorFlow's
    global random generators (``keras.utils.set_random_seed``).
    """
    start = time.perf_counter()
    images, labels = load_digits_data(num_train)
    depths = [int(d) for d in depths]
    for depth in depths:
        num_blocks_for(depth)
    results = {
        "depths": depths,
        "settings": dict(depths=depths, width=width, epochs=epochs, batch_size=batch_size,
                         learning_rate=learning_rate, optimizer=optimizer,
                         num_train=len(images), seed=seed),
    }
    for kind in KINDS:
        per_kind = {key: [] for key in ("step_losses", "epoch_losses", "final_train_loss",
                                        "final_train_error", "num_params", "seconds")}
        for depth in depths:
            t0 = time.perf_counter()
            keras.utils.set_random_seed(seed)
            model = build_stack(depth, kind == "residual", width=width)
            step_losses = train(model, images, labels, epochs, batch_size=batch_size,
                                learning_rate=learning_rate, optimizer=optimizer, seed=seed)
            loss, error = evaluate(model, images, labels, training=True)
            per_kind["step_losses"].append(step_losses)
            per_kind["epoch_losses"].append(
                [float(chunk.mean()) for chunk in np.array_split(step_losses, epochs)])
            per_kind["final_train_loss"].append(loss)
            per_kind["final_train_error"].append(error)
            per_kind["num_params"].append(int(model.count_params()))
            per_kind["seconds"].append(time.perf_counter() - t0)
            if verbose:
                print(f"{kind:8s} depth {depth:3d}: train loss {loss:.4f}, "
                      f"train error {error:.4f} ({per_kind['seconds'][-1]:.1f} s)")
        results[kind] = per_kind
    results["checks"] = degradation_checks(results)
    results["seconds"] = time.perf_counter() - start
    return results


def degradation_checks(results):
    """The orderings the chapter claims, as booleans (see :func:`run_degradation`)."""
    plain_loss = results["plain"]["final_train_loss"]
    plain_error = results["plain"]["final_train_error"]
    residual_loss = results["residual"]["final_train_loss"]
    return {
        "plain_degrades": bool(plain_loss[-1] > plain_loss[0]
                               and plain_error[-1] > plain_error[0]),
        "plain_monotonic": bool(all(b > a for a, b in zip(plain_loss, plain_loss[1:]))),
        "residual_degrades": bool(residual_loss[-1] > residual_loss[0]),
        "residual_beats_plain": bool(all(
            r < p for r, p in zip(residual_loss[1:], plain_loss[1:]))),
    }


def _smooth(values, window):
    """Moving average (valid part only) to make noisy per-step losses readable."""
    values = np.asarray(values, dtype="float64")
    window = max(1, min(window, len(values)))
    return np.convolve(values, np.ones(window) / window, mode="valid")


def plot_degradation(results, smooth=10):
    """Left: training-loss curves of every net; right: final training error vs depth.

    Plain nets are dashed, residual nets solid; darker means deeper. Curves are
    moving averages over ``smooth`` steps. Returns the Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps

    depths = results["depths"]
    fig, (ax_curves, ax_depth) = plt.subplots(1, 2, figsize=(11, 4))
    shades = np.linspace(0.45, 0.95, len(depths))
    styles = {"plain": ("Reds", "--", "o"), "residual": ("Blues", "-", "s")}
    for kind in KINDS:
        cmap_name, line_style, marker = styles[kind]
        cmap = colormaps[cmap_name]
        for depth, losses, shade in zip(depths, results[kind]["step_losses"], shades):
            curve = _smooth(losses, smooth)
            steps = np.arange(len(curve)) + min(smooth, len(losses))
            ax_curves.plot(steps, curve, line_style, color=cmap(shade),
                           label=f"{kind}-{depth}")
        ax_depth.plot(depths, 100 * np.asarray(results[kind]["final_train_error"]),
                      line_style, marker=marker, color=cmap(0.8), label=kind)
    ax_curves.set_xlabel("training step")
    ax_curves.set_ylabel("training loss (cross-entropy)")
    ax_curves.set_title("Training loss, same budget for every net")
    ax_curves.legend(fontsize="small", ncol=2)
    ax_depth.set_xlabel("depth (weighted layers)")
    ax_depth.set_ylabel("training error after training (%)")
    ax_depth.set_xticks(depths)
    ax_depth.set_title("Training error vs depth")
    ax_depth.legend()
    fig.tight_layout()
    return fig


# Experiment 2: gradient norms at initialization -------------------------------
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
    images, labels = load_digits_data()
    rng = np.random.default_rng(seed)
    batch = rng.choice(len(images), size=batch_size, replace=False)
    x_batch, y_batch = images[batch], labels[batch]
    loss_fn = _loss_fn()
    depths = [int(d) for d in depths]
    results = {"depths": depths,
               "settings": dict(depths=depths, width=width, batch_size=batch_size, seed=seed)}
    for kind in KINDS:
        per_kind = {key: [] for key in ("layer_names", "grad_norms", "loss",
                                        "first_last_ratio", "max_min_ratio")}
        for depth in depths:
            keras.utils.set_random_seed(seed)
            model = build_stack(depth, kind == "residual", width=width)
            names, kernels = zip(*conv_kernels(model))
            with tf.GradientTape() as tape:
                loss = loss_fn(y_batch, model(x_batch, training=True))
            grads = tape.gradient(loss, list(kernels))
            norms = np.array([float(tf.norm(g)) for g in grads], dtype="float64")
            per_kind["layer_names"].append(list(names))
            per_kind["grad_norms"].append(norms)
            per_kind["loss"].append(float(loss))
            per_kind["first_last_ratio"].append(float(norms[0] / norms[-1]))
            per_kind["max_min_ratio"].append(float(norms.max() / norms.min()))
        results[kind] = per_kind
    return results


def plot_gradient_norms(results):
    """Gradient norm per conv layer (input side on the left), log scale. Returns the Figure."""
    import matplotlib.pyplot as plt
    from matplotlib import colormaps

    depths = results["depths"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    shades = np.linspace(0.45, 0.95, len(depths))
    for ax, kind, cmap_name in zip(axes, KINDS, ("Reds", "Blues")):
        cmap = colormaps[cmap_name]
        for depth, norms, ratio, shade in zip(depths, results[kind]["grad_norms"],
                                              results[kind]["first_last_ratio"], shades):
            ax.plot(np.arange(1, len(norms) + 1), norms, marker=".", color=cmap(shade),
                    label=f"{depth} layers (first/last = {ratio:,.0f}x)"
                    if ratio >= 10 else f"{depth} layers (first/last = {ratio:.1f}x)")
        ax.set_yscale("log")
        ax.set_xlabel("conv layer (1 = nearest the input)")
        ax.set_title(f"{kind} nets at initialization (with batch norm)")
        ax.legend(fontsize="small")
    axes[0].set_ylabel("gradient norm of the loss w.r.t. the kernel")
    fig.tight_layout()
    return fig


# Experiment 3: the zero mapping gives the identity ----------------------------
def _zero_block_identity(seed, filters=16, batch_size=32):
    """Part (a): one ``ResNetModel.regular_block`` whose last conv is zeroed."""
    from resnet_lesson.model import ResNetModel

    keras.utils.set_random_seed(seed)
    resnet = ResNetModel(8, 8, 18, 10)
    inputs = keras.Input((8, 8, filters))
    block = keras.Model(inputs, resnet.regular_block(inputs, filters, 1, True, 0))
    convs = [layer for layer in block.layers if isinstance(layer, keras.layers.Conv2D)]
    x = np.random.default_rng(seed).normal(size=(batch_size, 8, 8, filters)).astype("float32")
    before = float(np.max(np.abs(np.asarray(block(x, training=True)) - x)))
    last_conv = convs[-1]
    last_conv.kernel.assign(np.zeros(last_conv.kernel.shape, dtype="float32"))
    return {
        "num_convs": len(convs),
        "conv_has_bias": bool(any(conv.use_bias for conv in convs)),
        "max_abs_diff_before_zeroing": before,
        "max_abs_diff_training": float(np.max(np.abs(
            np.asarray(block(x, training=True)) - x))),
        "max_abs_diff_inference": float(np.max(np.abs(
            np.asarray(block(x, training=False)) - x))),
    }


def _copy_weights(source, target):
    """Copy every weighted layer of ``source`` into the layer of the same name in ``target``."""
    for layer in source.layers:
        if layer.weights:
            target.get_layer(layer.name).set_weights(layer.get_weights())


def _residual_branch_ratio(model, block_index, images):
    """Mean over images of ||F(x)|| / ||x|| for block ``block_index`` (inference mode)."""
    block_input = (model.get_layer("conv_initial").output if block_index == 0
                   else model.get_layer(f"block{block_index - 1}_add").output)
    probe = keras.Model(model.input,
                        [block_input, model.get_layer(f"block{block_index}_conv2").output])
    x, branch = (np.asarray(t) for t in probe(images, training=False))
    axes = (1, 2, 3)
    return float(np.mean(np.sqrt((branch**2).sum(axes)) / np.sqrt((x**2).sum(axes))))


def run_zero_mapping(depth=8, width=16, epochs=4, extra_steps=28, batch_size=64,
                     learning_rate=DEGRADATION_DEFAULTS["learning_rate"], optimizer="adam",
                     seed=0):
    """Show that a residual block whose last conv is zero is exactly the identity.

    (a) One ``ResNetModel.regular_block`` (pre-activation, 16 channels, identity
    shortcut) in a one-block model: its last conv's kernel (convs have no bias) is set
    to zero and the block's output is compared with its input, in training and in
    inference mode.

    (b) A residual stack of ``depth`` layers is trained on the digits for ``epochs``.
    A copy with one extra residual block appended after the last one (``depth + 2``
    layers, every trained weight copied, the new block's last conv zeroed) must predict
    exactly what the trained net predicts. For contrast the same extra block keeps its
    random initial last conv in a second copy. The zero-initialized copy then trains
    for ``extra_steps`` more steps and we measure how far the new block moved.

    Returns a dict with ``block`` (part a: ``max_abs_diff_before_zeroing``,
    ``max_abs_diff_training``, ``max_abs_diff_inference``, ...) and ``network``
    (part b: ``max_abs_logit_diff_zero_block`` and ``..._random_block``,
    ``train_error_trained`` / ``_with_zero_block`` / ``_with_random_block`` /
    ``_after_extra_steps``, ``new_conv2_norm_after`` (how far the zeroed kernel moved)
    with ``other_conv2_norms`` (the trained blocks' last-conv kernel norms) and
    ``other_conv2_changes`` (how far those moved in the same extra steps),
    ``new_branch_ratio`` (mean ||F(x)||/||x|| of the new block after the extra steps)
    and ``other_branch_ratios`` (the same for the trained blocks)), plus ``settings``.
    """
    block_results = _zero_block_identity(seed, filters=width)

    images, labels = load_digits_data()
    num_blocks = num_blocks_for(depth)
    keras.utils.set_random_seed(seed)
    trained = build_stack(depth, True, width=width, name="trained")
    train(trained, images, labels, epochs, batch_size=batch_size,
          learning_rate=learning_rate, optimizer=optimizer, seed=seed)
    logits_trained = np.asarray(trained(images, training=False))
    _, error_trained = evaluate(trained, images, labels)

    networks = {}
    for init in ("zero", "random"):
        extended = build_stack(depth + 2, True, width=width, name=f"extended_{init}")
        _copy_weights(trained, extended)
        new_conv2 = extended.get_layer(f"block{num_blocks}_conv2")
        if init == "zero":
            new_conv2.kernel.assign(np.zeros(new_conv2.kernel.shape, dtype="float32"))
        networks[init] = extended
    logits = {init: np.asarray(net(images, training=False)) for init, net in networks.items()}
    errors = {init: evaluate(net, images, labels)[1] for init, net in networks.items()}

    extended = networks["zero"]
    conv2_before = [np.asarray(extended.get_layer(f"block{i}_conv2").kernel)
                    for i in range(num_blocks + 1)]
    steps_per_epoch = len(images) // batch_size
    train(extended, images, labels, epochs=-(-extra_steps // steps_per_epoch),
          batch_size=batch_size, learning_rate=learning_rate, optimizer=optimizer,
          seed=seed + 1, max_steps=extra_steps)
    _, error_after = evaluate(extended, images, labels)
    conv2_norms = [float(tf.norm(extended.get_layer(f"block{i}_conv2").kernel))
                   for i in range(num_blocks + 1)]
    conv2_changes = [
        float(np.linalg.norm(np.asarray(extended.get_layer(f"block{i}_conv2").kernel) - before))
        for i, before in enumerate(conv2_before)]
    branch_ratios = [_residual_branch_ratio(extended, i, images)
                     for i in range(num_blocks + 1)]
    network_results = {
        "max_abs_logit_diff_zero_block": float(np.max(np.abs(logits["zero"] - logits_trained))),
        "max_abs_logit_diff_random_block": float(
            np.max(np.abs(logits["random"] - logits_trained))),
        "train_error_trained": error_trained,
        "train_error_with_zero_block": errors["zero"],
        "train_error_with_random_block": errors["random"],
        "train_error_after_extra_steps": error_after,
        "new_conv2_norm_after": conv2_norms[-1],
        "other_conv2_norms": conv2_norms[:-1],
        "other_conv2_changes": conv2_changes[:-1],
        "new_branch_ratio": branch_ratios[-1],
        "other_branch_ratios": branch_ratios[:-1],
    }
    return {
        "block": block_results,
        "network": network_results,
        "settings": dict(depth=depth, width=width, epochs=epochs, extra_steps=extra_steps,
                         batch_size=batch_size, learning_rate=learning_rate,
                         optimizer=optimizer, seed=seed),
    }



def plot_zero_mapping(results):
    """Left: how much each block changes its input, ||F(x)|| / ||x||, after the extra
    steps (the appended, zero-initialized block in orange); right: training error of the
    trained net, with the zero block, with a random block, and after the extra steps.
    Returns the Figure."""
    import matplotlib.pyplot as plt

    network = results["network"]
    ratios = list(network["other_branch_ratios"]) + [network["new_branch_ratio"]]
    fig, (ax_blocks, ax_error) = plt.subplots(1, 2, figsize=(11, 4))
    positions = np.arange(len(ratios))
    colors = ["tab:blue"] * (len(ratios) - 1) + ["tab:orange"]
    ax_blocks.bar(positions, ratios, color=colors)
    ax_blocks.set_xticks(positions, [f"block {i}" for i in range(len(ratios) - 1)]
                         + ["new block"])
    ax_blocks.set_ylabel("mean ||F(x)|| / ||x||")
    ax_blocks.set_title(f"Residual branch size after {results['settings']['extra_steps']} "
                        "more steps")
    labels = ["trained", "+ zero block", "+ random block", "+ zero block,\nthen trained"]
    errors = [network["train_error_trained"], network["train_error_with_zero_block"],
              network["train_error_with_random_block"],
              network["train_error_after_extra_steps"]]
    bars = ax_error.bar(labels, [100 * e for e in errors],
                        color=["tab:blue", "tab:orange", "tab:gray", "tab:orange"])
    ax_error.bar_label(bars, fmt="%.1f%%")
    ax_error.set_ylabel("training error (%)")
    ax_error.set_title("Appending a block to a trained residual net")
    fig.tight_layout()
    return fig


# Results of bigger runs -----------------------------------------------------------
STUDY_RESULTS = Path(__file__).resolve().parent.parent / "docs" / "results" / "degradation_study.json"

_CHECK_WORDING = {
    "plain_degrades": "the deepest plain net trained worse (loss and error) than the shallowest",
    "plain_monotonic": "plain training loss rose at every step in depth",
    "residual_beats_plain": "the residual net's loss was below the plain net's at every depth past the first",
    "residual_degrades": "the deepest residual net's loss was above the shallowest one's",
}


def load_study_summary(path=STUDY_RESULTS):
    """A few lines saying how often each ordering held in a saved study, and where from.

    The file is what ``scripts/run_degradation_study.py`` writes; it was produced by a
    separate, longer run, not by the notebook that shows it.
    """
    path = Path(path)
    if not path.exists():
        return (f"No study results at {path} (they ship with the repository, not the "
                "pip package). Make them with: python scripts/run_degradation_study.py")
    study = json.loads(path.read_text())
    settings, held = study["settings"], study["summary"]["held"]
    seeds = settings["seeds"]
    lines = [f"Saved study ({path.name}, made by scripts/run_degradation_study.py, not by "
             f"this notebook): depths {settings['depths']}, {settings['epochs']} epochs, "
             f"seeds {seeds[0]}-{seeds[-1]}, TensorFlow {study['environment']['tensorflow']}."]
    for check, wording in _CHECK_WORDING.items():
        lines.append(f"  {held[check]:2d} of {len(seeds)} seeds: {wording}")
    return "\n".join(lines)
