"""Which device runs the course, and the settings that follow from it.

Every chapter's setup cell calls :func:`describe_device`. The training chapter sizes its
run by the device: :func:`training_settings` gives the setup it uses (small on a CPU so
the chapter finishes in about a minute, bigger on a GPU such as Colab's). The sizes
themselves live in one place, ``resnet_lesson.training.TRAINING_SETUPS``, which picks by
:func:`gpu_available`.
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


def training_settings(device=None):
    """``(setup_name, settings)`` of the training chapter for ``device``.

    ``device`` is "CPU" or "GPU"; by default the device TensorFlow sees. The settings
    (data, model width, batch size, epochs, ...) are ``resnet_lesson.training``'s.
    """
    if device is None:
        gpu = gpu_available()
    elif str(device).upper() in ("CPU", "GPU"):
        gpu = str(device).upper() == "GPU"
    else:
        raise ValueError(f"device must be 'CPU' or 'GPU', not {device!r}")
    from resnet_lesson.training import resolve_setup  # imported on demand: it is big
    return resolve_setup("auto", gpu=gpu)


def describe_device():
    """Print which device TensorFlow will use; return "GPU" or "CPU".

    The training chapters read this (or :func:`training_settings`) to choose their
    bigger (GPU) or smaller (CPU) settings.
    """
    device = "GPU" if _GPUS else "CPU"
    found = f"{len(_GPUS)} GPU(s) found" if _GPUS else "no GPU found"
    print(f"TensorFlow {tf.__version__} will run on the {device} ({found}, so the "
          f"training chapter uses its {'bigger GPU' if _GPUS else 'small CPU'} settings).")
    return device
