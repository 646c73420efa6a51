"""The setup cell's device report and the training chapter's settings, on this machine."""

import pytest

from resnet_lesson import data_formats, device
from resnet_lesson.device import describe_device, gpu_available
from resnet_lesson.training import resolve_setup, training_settings

on_cpu_only = pytest.mark.skipif(gpu_available(), reason="this machine has a GPU")


@on_cpu_only
def test_describe_device_on_a_cpu(capsys):
    assert describe_device() == "CPU"
    printed = capsys.readouterr()
    assert printed.err == ""
    # A CPU without oneDNN (most learners' CPUs, and `make test`) gets one more line.
    layout_line = (
        ""
        if data_formats.nchw_conv_runs_eagerly()
        else f"Data formats: {data_formats.describe()}\n"
    )
    assert printed.out == (
        f"TensorFlow {device.tf.__version__} will run on the CPU "
        "(no GPU found, so the training chapter uses its small CPU "
        "settings).\n" + layout_line
    )


def test_describe_device_names_the_gpu_when_there_is_one(monkeypatch, capsys):
    monkeypatch.setattr(device, "_GPUS", ["/physical_device:GPU:0"])
    assert gpu_available()
    assert describe_device() == "GPU"
    assert (
        "will run on the GPU (1 GPU(s) found, so the training chapter uses its bigger "
        "GPU settings)" in capsys.readouterr().out
    )


@on_cpu_only
def test_training_settings_on_a_cpu_are_the_training_chapters_cpu_setup():
    name, settings = training_settings()
    assert (name, settings) == resolve_setup("auto", gpu=False)
    assert name.startswith("cpu")
    assert training_settings("cpu") == (name, settings)


def test_training_settings_by_hand_and_with_a_gpu(monkeypatch):
    assert training_settings("GPU") == resolve_setup("auto", gpu=True)
    monkeypatch.setattr(device, "_GPUS", ["/physical_device:GPU:0"])
    name, settings = training_settings()
    assert name.startswith("gpu")
    cpu_name, cpu_settings = training_settings("CPU")
    assert settings["batch_size"] >= cpu_settings["batch_size"]


def test_unknown_device_is_refused():
    with pytest.raises(ValueError, match="'CPU' or 'GPU'"):
        training_settings("tpu")
