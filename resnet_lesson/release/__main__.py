"""``python -m resnet_lesson.release ARGS`` is ``resnet-lesson release ARGS``."""

from resnet_lesson.cli import run_as_module

run_as_module("release")
