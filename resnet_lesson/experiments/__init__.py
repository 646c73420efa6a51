"""Chapter 1's measured experiments: degradation, gradient norms, and the zero mapping.

Each experiment is a ``run_*`` function that trains or probes small networks on
scikit-learn's bundled 8x8 digits (1,797 real images, no network access needed) and
returns plain data; ``resnet_lesson.figures.experiments`` draws it, so a notebook cell
reads "run, plot, two sentences":

    results = experiments.run_degradation()   # about a minute on two CPU cores
    plot_degradation(results)

- :mod:`.stacks`: the plain and residual networks, identical but for the shortcut;
- :mod:`.steps`: seeded batches, training (the course's one loop) and evaluation;
- :mod:`.degradation`, :mod:`.gradients`, :mod:`.zero_mapping`: the three experiments.
"""

from resnet_lesson.experiments.degradation import (
    DEGRADATION_DEFAULTS,
    degradation_checks,
    load_study_summary,
    run_degradation,
)
from resnet_lesson.experiments.gradients import run_gradient_norms
from resnet_lesson.experiments.stacks import (
    KINDS,
    build_stack,
    conv_kernels,
    count_add_layers,
    num_blocks_for,
)
from resnet_lesson.experiments.steps import evaluate, train
from resnet_lesson.experiments.zero_mapping import run_zero_mapping

__all__ = [
    "DEGRADATION_DEFAULTS",
    "KINDS",
    "build_stack",
    "conv_kernels",
    "count_add_layers",
    "degradation_checks",
    "evaluate",
    "load_study_summary",
    "num_blocks_for",
    "run_degradation",
    "run_gradient_norms",
    "run_zero_mapping",
    "train",
]
