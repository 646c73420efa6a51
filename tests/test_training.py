"""Chapter 11's training helpers: setups, models, the pipeline, saving, plots."""

import json

import keras
import numpy as np
import pytest

from resnet_lesson import course, data, training
from resnet_lesson.data import Split, Splits
from resnet_lesson.figures import training as training_figures


def test_resolve_setup():
    assert training.resolve_setup("auto", gpu=False)[0] == "cpu-digits"
    assert training.resolve_setup("auto", gpu=True)[0] == "gpu-cifar10"
    name, settings = training.resolve_setup("cpu-digits")
    assert settings["mixed_precision"] is False and settings["flip"] is False
    assert training.resolve_setup("gpu-cifar10")[1]["mixed_precision"] is True
    with pytest.raises(ValueError, match="TRAINING_SETUP"):
        training.resolve_setup("tpu")
    # the returned settings are a copy
    settings["epochs"] = 1
    assert training.TRAINING_SETUPS["cpu-digits"]["epochs"] != 1


def _count(model, layer_type):
    return sum(isinstance(layer, layer_type) for layer in model._flatten_layers())


def test_width_and_the_plain_twin():
    _, settings = training.resolve_setup("cpu-digits")
    _, resnet = training.build_model(settings, num_layers=18, filters_initial=8)
    _, plain = training.build_model(settings, training.PlainNet, num_layers=18, filters_initial=8)
    assert resnet.output_shape == plain.output_shape == (None, 10)
    convs = _count(resnet, keras.layers.Conv2D)
    # ResNet-18: stem + 16 block convs + 3 projections (block layers 2-4)... and block
    # layer 1's first block projects too (the reference gives every first block one).
    assert convs == 1 + 16 + 4
    assert _count(plain, keras.layers.Conv2D) == 1 + 16
    # the only parameters the plain twin lacks are the 1x1 projections
    projections = 8 * 8 + 8 * 16 + 16 * 32 + 32 * 64
    assert resnet.count_params() - plain.count_params() == projections
    # width: the first conv has filters_initial filters
    stem = resnet.get_layer("conv_initial")
    assert stem.kernel.shape == (7, 7, 1, 8)


def test_batch_norm_momentum_is_used():
    _, settings = training.resolve_setup("cpu-digits")
    _, model = training.build_model(settings, num_layers=18, filters_initial=4)
    momenta = {
        layer.momentum
        for layer in model._flatten_layers()
        if isinstance(layer, keras.layers.BatchNormalization)
    }
    assert momenta == {settings["batch_norm_momentum"]}


def test_digits_preprocess_never_flips_and_scales():
    _, settings = training.resolve_setup("cpu-digits")
    resnet, _ = training.build_model(settings, filters_initial=4)
    image = np.zeros((8, 8, 1), np.uint8)
    image[:, :4] = 255  # left half white: a flip would move it to the right
    for _ in range(8):
        out = resnet.preprocess(image, True).numpy()
        assert out.shape == (24, 24, 1) and out.dtype == np.float32
        assert out[:, :4].mean() > 0.9 and out[:, -4:].max() == 0.0
    centre = resnet.preprocess(image, False).numpy()
    assert 0.0 <= centre.min() and centre.max() <= 1.0


def _tiny_splits(n=48):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 8, 8, 1), dtype=np.uint8)
    labels = np.arange(n) % 10
    part = Split(images, labels)
    return Splits(part, part, part)


def test_train_save_reload_and_predict(tmp_path):
    _, settings = training.resolve_setup("cpu-digits")
    resnet, model = training.build_model(settings, filters_initial=4)
    splits = _tiny_splits()
    train_data = training.make_dataset(
        splits.train.images, splits.train.labels, resnet.preprocess, 16, True
    )
    eval_data = training.make_dataset(
        splits.test.images, splits.test.labels, resnet.preprocess, 16, False
    )
    result = training.train(model, train_data, eval_data, epochs=2, learning_rate=1e-3, verbose=0)
    assert result.epochs == 2 and result.seconds > 0
    assert set(result.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(result.history["loss"]) == 2
    labels, predicted, probabilities = training.predict_classes(model, eval_data)
    assert np.array_equal(labels, splits.test.labels)
    assert probabilities.shape == (48, 10)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert np.array_equal(predicted, probabilities.argmax(axis=1))
    path = tmp_path / "tiny.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    assert np.array_equal(
        model.predict(eval_data, verbose=0), reloaded.predict(eval_data, verbose=0)
    )


def test_train_passes_jit_compile_to_keras():
    _, settings = training.resolve_setup("cpu-digits")
    resnet, model = training.build_model(settings, filters_initial=4)
    splits = _tiny_splits(16)
    data = training.make_dataset(
        splits.train.images, splits.train.labels, resnet.preprocess, 8, True
    )
    training.train(model, data, None, epochs=1, learning_rate=1e-3, verbose=0, jit_compile=True)
    assert model.jit_compile is True


def test_train_refuses_an_endless_dataset():
    _, settings = training.resolve_setup("cpu-digits")
    resnet, model = training.build_model(settings, filters_initial=4)
    splits = _tiny_splits(16)
    endless = training.make_dataset(
        splits.train.images, splits.train.labels, resnet.preprocess, 8, True
    ).repeat()
    with pytest.raises(ValueError, match="finite"):
        training.train(model, endless, None, epochs=1, learning_rate=1e-3, verbose=0)


def test_confusion_matrix_counts():
    matrix = training_figures.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_plots_draw(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    history = {
        "loss": [2.0, 1.0],
        "accuracy": [0.3, 0.6],
        "val_loss": [2.1, 1.2],
        "val_accuracy": [0.2, 0.5],
    }
    fig = training_figures.plot_learning_curves({"a": history})
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 2
    fig, matrix = training_figures.plot_confusion_matrix([0, 1, 1], [0, 1, 0], ["x", "y"])
    assert matrix.tolist() == [[1, 0], [1, 1]]
    images = np.zeros((3, 8, 8, 1), np.uint8)
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])
    fig = training_figures.plot_example_predictions(
        images, np.array([0, 1, 1]), np.array([0, 1, 0]), probabilities, ["x", "y"]
    )
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0].startswith("x (70%)")  # the mistake comes first
    plt.close("all")


def test_gpu_results_file(tmp_path):
    assert training.load_gpu_results(tmp_path / "missing.json") is None
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"test_accuracy": 0.9}))
    assert training.load_gpu_results(path) == {"test_accuracy": 0.9}


def test_mixed_precision_gives_float32_logits():
    _, settings = training.resolve_setup("cpu-digits")
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        _, model = training.build_model(settings, filters_initial=4)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert model.output.dtype == "float32"
    assert model.get_layer("logits").compute_dtype == "float16"


def test_cifar10_split_keeps_the_official_test_set(monkeypatch):
    rng = np.random.default_rng(0)
    train = (rng.integers(0, 256, (60, 32, 32, 3), dtype=np.uint8), rng.integers(0, 10, (60, 1)))
    test = (rng.integers(0, 256, (20, 32, 32, 3), dtype=np.uint8), rng.integers(0, 10, (20, 1)))
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: (train, test))
    splits = data.load_cifar10_splits(validation_size=10)
    assert splits.sizes() == {"train": 50, "validation": 10, "test": 20}
    assert splits.test.labels.shape == (20,) and splits.test.labels.dtype == np.int64
    assert np.array_equal(splits.test.images, test[0])
    together = np.concatenate([splits.train.images, splits.validation.images])
    assert sorted(map(bytes, together.reshape(60, -1))) == sorted(
        map(bytes, train[0].reshape(60, -1))
    )


def test_run_setup_and_the_gpu_script_end_to_end(monkeypatch, tmp_path):
    """The GPU script's whole path (mixed precision included) on a tiny digits setup."""
    import importlib.util

    tiny = dict(
        training.TRAINING_SETUPS["cpu-digits"],
        filters_initial=4,
        epochs=1,
        comparison_layers=18,
        comparison_filters=4,
        comparison_epochs=1,
        mixed_precision=True,
    )
    monkeypatch.setitem(training.TRAINING_SETUPS, "tiny", tiny)
    monkeypatch.setattr(data, "load_splits", lambda settings: _tiny_splits(32))
    spec = importlib.util.spec_from_file_location(
        "train_gpu", course.ROOT / "scripts" / "train_gpu.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    output = tmp_path / "results.json"
    assert script.main(["--setup", "tiny", "--output", str(output)]) == 0
    results = json.loads(output.read_text())
    assert keras.mixed_precision.global_policy().name == "float32"  # restored
    assert results["setup"] == "tiny" and results["epochs"] == 1
    assert results["sizes"] == {"train": 32, "validation": 32, "test": 32}
    assert 0.0 <= results["test_accuracy"] <= 1.0
    assert set(results["comparison"]) == {"residual", "plain"}
    assert (
        results["comparison"]["residual"]["parameters"]
        > results["comparison"]["plain"]["parameters"]
    )
    assert len(results["history"]["val_accuracy"]) == 1
