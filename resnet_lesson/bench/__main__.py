"""``python -m resnet_lesson.bench`` is ``resnet-lesson bench``."""

from resnet_lesson.cli import run_as_module

run_as_module("bench")
