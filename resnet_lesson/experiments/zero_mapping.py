"""A residual block whose last conv is zero is exactly the identity, so a trained network
grows by such blocks without changing what it predicts.

:func:`run_zero_mapping` is chapter 1's third experiment (one block, then one appended
block); :func:`run_growing` is chapter 6's: a trained net grown by several such blocks,
then trained on against the same net trained on without them, over several seeds.
"""

import time

import keras
import numpy as np
import tensorflow as tf

from resnet_lesson.data import load_digits_images
from resnet_lesson.experiments.degradation import DEGRADATION_DEFAULTS
from resnet_lesson.experiments.stacks import build_stack, num_blocks_for
from resnet_lesson.experiments.steps import evaluate, fresh_start, split_digits, train


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
        "max_abs_diff_training": float(np.max(np.abs(np.asarray(block(x, training=True)) - x))),
        "max_abs_diff_inference": float(np.max(np.abs(np.asarray(block(x, training=False)) - x))),
    }


def _copy_weights(source, target):
    """Copy every weighted layer of ``source`` into the layer of the same name in ``target``."""
    for layer in source.layers:
        if layer.weights:
            target.get_layer(layer.name).set_weights(layer.get_weights())


def _residual_branch_ratio(model, block_index, images):
    """Mean over images of ||F(x)|| / ||x|| for block ``block_index`` (inference mode)."""
    block_input = (
        model.get_layer("conv_initial").output
        if block_index == 0
        else model.get_layer(f"block{block_index - 1}_add").output
    )
    probe = keras.Model(
        model.input, [block_input, model.get_layer(f"block{block_index}_conv2").output]
    )
    x, branch = (np.asarray(t) for t in probe(images, training=False))
    axes = (1, 2, 3)
    return float(np.mean(np.sqrt((branch**2).sum(axes)) / np.sqrt((x**2).sum(axes))))


def run_zero_mapping(
    depth=8,
    width=16,
    epochs=4,
    extra_steps=28,
    batch_size=64,
    learning_rate=DEGRADATION_DEFAULTS["learning_rate"],
    optimizer="adam",
    seed=0,
):
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

    images, labels = load_digits_images("float32")
    num_blocks = num_blocks_for(depth)
    keras.utils.set_random_seed(seed)
    trained = build_stack(depth, True, width=width, name="trained")
    train(
        trained,
        images,
        labels,
        epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        optimizer=optimizer,
        seed=seed,
    )
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
    conv2_before = [
        np.asarray(extended.get_layer(f"block{i}_conv2").kernel) for i in range(num_blocks + 1)
    ]
    steps_per_epoch = len(images) // batch_size
    train(
        extended,
        images,
        labels,
        epochs=-(-extra_steps // steps_per_epoch),
        batch_size=batch_size,
        learning_rate=learning_rate,
        optimizer=optimizer,
        seed=seed + 1,
        max_steps=extra_steps,
    )
    _, error_after = evaluate(extended, images, labels)
    conv2_norms = [
        float(tf.norm(extended.get_layer(f"block{i}_conv2").kernel)) for i in range(num_blocks + 1)
    ]
    conv2_changes = [
        float(np.linalg.norm(np.asarray(extended.get_layer(f"block{i}_conv2").kernel) - before))
        for i, before in enumerate(conv2_before)
    ]
    branch_ratios = [_residual_branch_ratio(extended, i, images) for i in range(num_blocks + 1)]
    network_results = {
        "max_abs_logit_diff_zero_block": float(np.max(np.abs(logits["zero"] - logits_trained))),
        "max_abs_logit_diff_random_block": float(np.max(np.abs(logits["random"] - logits_trained))),
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
        "settings": dict(
            depth=depth,
            width=width,
            epochs=epochs,
            extra_steps=extra_steps,
            batch_size=batch_size,
            learning_rate=learning_rate,
            optimizer=optimizer,
            seed=seed,
        ),
    }


GROWING_DEFAULTS = dict(
    num_blocks=3,
    extra_blocks=3,
    width=16,
    first_steps=100,
    more_steps=100,
    seeds=(0, 1, 2),
    batch_size=64,
    learning_rate=DEGRADATION_DEFAULTS["learning_rate"],
    num_test=360,
)


def zero_last_convs(model, block_indices):
    """Set every weight (kernel, and bias if it has one) of each listed block's last
    conv to zero, so that block's residual branch outputs exactly zero."""
    for index in block_indices:
        for weight in model.get_layer(f"block{index}_conv2").weights:
            weight.assign(np.zeros(weight.shape, dtype=weight.dtype))


def run_growing(
    num_blocks=GROWING_DEFAULTS["num_blocks"],
    extra_blocks=GROWING_DEFAULTS["extra_blocks"],
    width=GROWING_DEFAULTS["width"],
    first_steps=GROWING_DEFAULTS["first_steps"],
    more_steps=GROWING_DEFAULTS["more_steps"],
    seeds=GROWING_DEFAULTS["seeds"],
    batch_size=GROWING_DEFAULTS["batch_size"],
    learning_rate=GROWING_DEFAULTS["learning_rate"],
    num_test=GROWING_DEFAULTS["num_test"],
    verbose=False,
):
    """Grow a trained residual net by blocks that start as the identity, and train on.

    For each seed: a residual stack of ``num_blocks`` blocks trains ``first_steps``
    steps on the digits (``num_test`` held out). A stack of ``num_blocks +
    extra_blocks`` blocks gets every trained weight (its first blocks, the stem, the
    final batch norm and the dense layer) and its new blocks' last convs set to zero;
    its logits are compared with the small net's on all 1,797 digits. Then both train
    ``more_steps`` further steps on the same batches (a fresh Adam each): is the grown
    net better than the small one given the same extra training?

    Returns ``settings``, ``seconds`` and lists aligned with ``seeds``:
    ``max_abs_logit_diff`` (grown vs small before training on, inference mode) and
    ``max_abs_logit_diff_training_mode`` (the same with batch norm in training mode);
    and for ``"small"`` (the trained net, then trained on) and ``"grown"``:
    ``train_loss`` and ``test_error`` after the extra steps, ``num_params``; plus
    ``before``: the small net's ``train_loss`` and ``test_error`` after the first
    steps. Losses are measured on all training images at once, batch norm in training
    mode (see :func:`resnet_lesson.experiments.evaluate`); test errors in inference mode.
    """
    start = time.perf_counter()
    train_x, train_y, test_x, test_y = split_digits(num_test)
    all_images = load_digits_images("float32")[0]
    steps_per_epoch = len(train_x) // batch_size
    seeds = [int(s) for s in seeds]
    small_depth, grown_depth = 2 * num_blocks + 2, 2 * (num_blocks + extra_blocks) + 2
    results = {
        "settings": dict(
            num_blocks=num_blocks,
            extra_blocks=extra_blocks,
            width=width,
            first_steps=first_steps,
            more_steps=more_steps,
            seeds=seeds,
            batch_size=batch_size,
            learning_rate=learning_rate,
            num_train=len(train_x),
            num_test=len(test_x),
        ),
        "max_abs_logit_diff": [],
        "max_abs_logit_diff_training_mode": [],
    }
    for part in ("before", "small", "grown"):
        results[part] = {"train_loss": [], "test_error": [], "num_params": []}

    def fit(model, steps, seed):
        train(
            model,
            train_x,
            train_y,
            epochs=-(-steps // steps_per_epoch),
            batch_size=batch_size,
            learning_rate=learning_rate,
            seed=seed,
            max_steps=steps,
        )

    def record(part, model):
        results[part]["train_loss"].append(evaluate(model, train_x, train_y, training=True)[0])
        results[part]["test_error"].append(evaluate(model, test_x, test_y)[1])
        results[part]["num_params"].append(int(model.count_params()))

    traced = {}  # one small and one grown network, retrained from each seed's start
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        small = fresh_start(traced, "small", build_stack(small_depth, True, width, name="small"))
        fit(small, first_steps, seed)
        record("before", small)
        grown = fresh_start(traced, "grown", build_stack(grown_depth, True, width, name="grown"))
        _copy_weights(small, grown)
        zero_last_convs(grown, range(num_blocks, num_blocks + extra_blocks))
        for key, training in (
            ("max_abs_logit_diff", False),
            ("max_abs_logit_diff_training_mode", True),
        ):
            difference = grown(all_images, training=training) - small(all_images, training=training)
            results[key].append(float(np.max(np.abs(np.asarray(difference)))))
        for part, model in (("small", small), ("grown", grown)):
            fit(model, more_steps, seed + 1000)  # the same new batches for both
            record(part, model)
        if verbose:
            print(
                f"seed {seed}: max |logits grown - small| = {results['max_abs_logit_diff'][-1]}; "
                f"after {more_steps} more steps test error small "
                f"{results['small']['test_error'][-1]:.1%}, grown "
                f"{results['grown']['test_error'][-1]:.1%}"
            )
    results["seconds"] = time.perf_counter() - start
    return results
