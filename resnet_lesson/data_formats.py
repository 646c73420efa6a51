"""Running a ``channels_first`` model on any CPU.

TensorFlow's own CPU convolution reads NHWC (``channels_last``) tensors only. An NCHW
(``channels_first``) Conv2D runs on the CPU only where oneDNN is on, which TensorFlow
2.21 does by default only on CPUs with AVX-512 VNNI / BF16 / AMX (recent Xeons, AMD
Zen 4 and later). Elsewhere (older AMD, Intel laptops and desktops, Apple Silicon, or
``TF_ENABLE_ONEDNN_OPTS=0``) it raises ``UnimplementedError: The Conv2D op currently
only supports the NHWC tensor format on the CPU``.

``channels_first`` is the layout GPUs (cuDNN) were fastest with, so the course keeps
teaching and checking it. Where the CPU cannot run it eagerly, :func:`call` runs the
same model through XLA, which compiles the graph and chooses its own memory layout: the
same layers, the same weights, the same values (to float round-off), on every CPU.
"""

import functools
import os
import weakref

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def _is_layout_error(error):
    return isinstance(error, tf.errors.UnimplementedError) and "NHWC" in str(error)


@functools.cache
def nchw_conv_runs_eagerly():
    """Whether this machine runs a ``channels_first`` Conv2D without XLA (measured once,
    by running one: no CPU flag or environment variable is trusted to tell)."""
    conv = keras.layers.Conv2D(1, 1, data_format="channels_first")
    try:
        conv(np.zeros((1, 1, 2, 2), "float32"))
    except tf.errors.UnimplementedError as error:
        if _is_layout_error(error):
            return False
        raise
    return True


def _holds_channels_first(model):
    layers = list(getattr(model, "layers", []))
    while layers:
        layer = layers.pop()
        if getattr(layer, "data_format", None) == "channels_first":
            return True
        layers.extend(getattr(layer, "layers", []))
    return False


def call(model, x, training):
    """``model(x, training=training)``, on any CPU.

    Where this CPU runs no ``channels_first`` conv, a model with a ``channels_first``
    layer runs through XLA. Any other model runs eagerly, and again through XLA if it
    meets the layout error all the same (a conv made some other way): a run stopped by
    that error updated nothing a caller reads, since outputs in training mode never
    read batch norm's moving averages. ``training=None`` is a bare call, where the flag
    given while building decides.
    """
    if nchw_conv_runs_eagerly() or not _holds_channels_first(model):
        try:
            return model(x, training=training)
        except tf.errors.UnimplementedError as error:
            if not _is_layout_error(error):
                raise
    return _compiled(model, training)(x)


# One compiled function per model and training flag: XLA compiles a graph for seconds,
# and the checks call the same model more than once (twice in training mode, to see
# that it is not random). Weak references only, so a model the caller dropped is freed.
_COMPILED = weakref.WeakKeyDictionary()


def _compiled(model, training):
    by_flag = _COMPILED.setdefault(model, {})
    if training not in by_flag:
        # A partial, not a lambda: tf.function counts traces per code object and warns
        # on stderr after five (nbgrader zeroes a graded cell with stderr); each partial
        # is new.
        by_flag[training] = tf.function(
            functools.partial(_call_model, weakref.ref(model), training), jit_compile=True
        )
    return by_flag[training]


def _call_model(model_ref, training, x):
    return model_ref()(x, training=training)


def jit_compile_for(model):
    """The ``jit_compile`` to give ``model.compile`` so that ``fit`` and ``evaluate``
    run on this machine: True (XLA) for a ``channels_first`` model on an NHWC-only CPU,
    Keras's own "auto" otherwise."""
    if _holds_channels_first(model) and not nchw_conv_runs_eagerly():
        return True
    return "auto"


def describe():
    """One sentence on how ``channels_first`` runs here, for a chapter's setup cell."""
    if tf.config.list_physical_devices("GPU") or nchw_conv_runs_eagerly():
        return "channels_first convolutions run directly on this machine."
    return (
        "this CPU runs convolutions in channels_last only (TensorFlow without oneDNN); "
        "the checks run your channels_first code through XLA, which handles any layout."
    )
