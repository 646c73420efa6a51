"""Which device runs the course: every chapter's setup cell calls :func:`describe_device`.

A leaf module: it imports nothing of the course. The training chapter's settings, which
depend on the device, live in ``resnet_lesson.training`` and ask :func:`gpu_available`.
"""

import contextlib
import os


@contextlib.contextmanager
def _native_stderr_silenced():
    """Silence fd 2 while TensorFlow starts: its C++ start-up lines (oneDNN, CUDA
    probing) are noise to a learner, and nbgrader zeroes a graded cell with stderr."""
    try:
        saved = os.dup(2)
    except OSError:  # no real stderr (some hosted kernels): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
with _native_stderr_silenced():
    import tensorflow as tf

    _GPUS = tf.config.list_physical_devices("GPU")


def gpu_available():
    """True when TensorFlow sees at least one GPU."""
    return bool(_GPUS)


def describe_device():
    """Print which device TensorFlow will use; return "GPU" or "CPU".

    The training chapters read this (or ``resnet_lesson.training.training_settings``) to
    choose their bigger (GPU) or smaller (CPU) settings.
    """
    device = "GPU" if _GPUS else "CPU"
    found = f"{len(_GPUS)} GPU(s) found" if _GPUS else "no GPU found"
    print(
        f"TensorFlow {tf.__version__} will run on the {device} ({found}, so the "
        f"training chapter uses its {'bigger GPU' if _GPUS else 'small CPU'} settings)."
    )
    from resnet_lesson import data_formats  # a leaf too: it probes one tiny conv

    if not _GPUS and not data_formats.nchw_conv_runs_eagerly():
        print(f"Data formats: {data_formats.describe()}")
    return device
