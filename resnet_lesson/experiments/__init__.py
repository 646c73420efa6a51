"""The course's measured experiments: chapter 1's degradation, gradient norms and zero
mapping, chapter 4's post- against pre-activation, chapter 6's growing by zero blocks.

Each experiment is a ``run_*`` function that trains or probes small networks on
scikit-learn's bundled 8x8 digits (1,797 real images, no network access needed) and
returns plain data; ``resnet_lesson.figures.experiments`` draws it, so a notebook cell
reads "run, plot, two sentences":

    results = experiments.run_degradation()   # about two minutes on two CPU cores
    plot_degradation(results)

- :mod:`.stacks`: the plain and residual networks, identical but for the shortcut;
- :mod:`.steps`: seeded batches, training (the course's one loop) and evaluation;
- :mod:`.degradation`, :mod:`.gradients`, :mod:`.zero_mapping`: chapter 1's three
  experiments (and, in :mod:`.zero_mapping`, chapter 6's :func:`run_growing`);
- :mod:`.activation_order`: chapter 4's v1 against v2, and eq. 5 of He et al. (2016b).
"""

from resnet_lesson.experiments.activation_order import (
    ACTIVATION_ORDER_DEFAULTS,
    ORDERS,
    build_residual_stack,
    run_activation_order,
    run_propagation,
)
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
from resnet_lesson.experiments.steps import evaluate, fresh_start, split_digits, train
from resnet_lesson.experiments.zero_mapping import (
    GROWING_DEFAULTS,
    run_growing,
    run_zero_mapping,
    zero_last_convs,
)

__all__ = [
    "ACTIVATION_ORDER_DEFAULTS",
    "DEGRADATION_DEFAULTS",
    "GROWING_DEFAULTS",
    "KINDS",
    "ORDERS",
    "build_residual_stack",
    "build_stack",
    "conv_kernels",
    "count_add_layers",
    "degradation_checks",
    "evaluate",
    "fresh_start",
    "load_study_summary",
    "num_blocks_for",
    "run_activation_order",
    "run_degradation",
    "run_gradient_norms",
    "run_growing",
    "run_propagation",
    "run_zero_mapping",
    "split_digits",
    "train",
    "zero_last_convs",
]
