"""resnet-lesson: the reference package of the course "ResNet, built by hand".

The chapters' learner code derives from :func:`course_model_without` (the reference
:class:`ResNetModel` less the chapter's method); checks, data, plots and
the grading command live in submodules (``resnet_lesson.checks``, ``.grading``, ...).
The model is imported on first use, so the command line starts without TensorFlow.
"""

__version__ = "0.1.0"
__all__ = [
    "BLOCK_LAYER_SIZES",
    "ResNetModel",
    "build_resnet",
    "course_model_without",
    "input_shape_for",
]

# Importing the package registers nothing: the setup cell registers the answer-cell
# hook (``resnet_lesson.checks.answer_cells``), once per kernel.


def __getattr__(name):
    if name == "course_model_without":
        from resnet_lesson import exercise_base

        return exercise_base.course_model_without
    if name in __all__:
        from resnet_lesson import model

        return getattr(model, name)
    raise AttributeError(f"module 'resnet_lesson' has no attribute {name!r}")
