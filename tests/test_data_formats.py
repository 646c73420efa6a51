"""channels_first on any CPU: the probe, the XLA fallback, and the values it gives.

The test suite runs under the NHWC-only condition (``TF_ENABLE_ONEDNN_OPTS=0``, which
``make test`` sets), and ``make test`` runs this file again in TensorFlow's default
condition where that differs. So the fallback is exercised on every machine.
"""

import gc
import os
import subprocess
import sys
import weakref

import keras
import numpy as np
import pytest

from resnet_lesson import build_resnet, data_formats


def _probe_in_a_fresh_process(onednn):
    env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS=onednn, TF_CPP_MIN_LOG_LEVEL="3")
    code = "from resnet_lesson import data_formats; print(data_formats.nchw_conv_runs_eagerly())"
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


@pytest.mark.skipif(data_formats.tf.config.list_physical_devices("GPU"), reason="a GPU runs NCHW")
def test_without_onednn_the_probe_finds_the_nhwc_only_cpu():
    # The condition most learners' CPUs are in: a plain channels_first Conv2D raises.
    assert _probe_in_a_fresh_process("0") == "False"


def test_the_probe_agrees_with_a_plain_conv_in_this_process():
    conv = keras.layers.Conv2D(2, 3, data_format="channels_first")
    x = np.ones((1, 3, 5, 5), "float32")
    try:
        conv(x)
        ran = True
    except Exception as error:
        assert "NHWC" in str(error)
        ran = False
    assert data_formats.nchw_conv_runs_eagerly() is ran


@pytest.mark.parametrize("training", [True, False, None])
def test_a_channels_first_network_gives_the_channels_last_values(training):
    # Same weights, the same images transposed: the call must run on this CPU and give
    # the channels_last logits, in each mode (None: the bare call).
    last = build_resnet(18, 32, 10, data_format="channels_last", is_training=True)
    first = build_resnet(18, 32, 10, data_format="channels_first", is_training=True)
    first.set_weights(last.get_weights())  # same construction order, same kernel layout
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 32, 32, 3)).astype("float32")
    expected = np.asarray(last(x, training=training))
    actual = np.asarray(data_formats.call(first, x.transpose(0, 3, 1, 2), training))
    np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-3 * np.abs(expected).max())


def test_a_channels_last_model_runs_eagerly_and_is_left_to_keras():
    model = build_resnet(18, 32, 10)
    assert data_formats.jit_compile_for(model) == "auto"
    assert data_formats._holds_channels_first(model) is False


def test_fit_needs_xla_only_where_the_cpu_cannot_run_channels_first():
    model = build_resnet(18, 32, 10, data_format="channels_first")
    expected = "auto" if data_formats.nchw_conv_runs_eagerly() else True
    assert data_formats.jit_compile_for(model) == expected


def test_the_setup_sentence_says_what_this_machine_does():
    sentence = data_formats.describe()
    if data_formats.nchw_conv_runs_eagerly():
        assert "run directly" in sentence
    else:
        assert "XLA" in sentence and "channels_last only" in sentence


def test_a_model_is_compiled_once_per_mode_sees_new_weights_and_is_freed():
    # The checks call one model several times; XLA compiles it once per mode, and the
    # compiled call reads the weights as they are now, not as they were when compiled.
    inputs = keras.Input((3, 6, 6))
    model = keras.Model(inputs, keras.layers.Conv2D(2, 3, data_format="channels_first")(inputs))
    compiled = data_formats._compiled(model, True)
    assert data_formats._compiled(model, True) is compiled
    assert data_formats._compiled(model, False) is not compiled
    x = np.ones((1, 3, 6, 6), "float32")
    assert np.abs(np.asarray(compiled(x))).max() > 0
    conv = model.layers[-1]
    conv.kernel.assign(np.zeros(conv.kernel.shape, "float32"))
    conv.bias.assign(np.zeros(conv.bias.shape, "float32"))
    assert np.abs(np.asarray(compiled(x))).max() == 0
    # Nothing in the cache keeps a model alive once its caller lets it go.
    model_ref = weakref.ref(model)
    del model, compiled, conv
    gc.collect()
    assert model_ref() is None
