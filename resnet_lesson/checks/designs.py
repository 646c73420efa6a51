"""Accepted designs: the other answers the papers count as valid, and what each costs.

Some exercises leave a decision to the learner that the papers made more than one way
(where a bottleneck block strides, what a shortcut does where the shape changes). The
course's reference is one choice; each other valid choice is a ``Design``: a variant of
the reference method with a name, a one-sentence description and a citation.

The engine (``engine.diagnose``) compares the learner's outputs with the reference
first; where they differ, it asks :func:`followed_design` whether one design gives
the learner's outputs in *every* case, with the same shape-keyed weights. If one
does, the answer passes and :func:`report` says which design it is and what it costs
against the course's choice, counted (parameters and multiply-adds) on a whole
network built with each. Later chapters keep the course's choice either way: every
chapter's class derives from ``course_model_without(...)``, which supplies the
reference for every other method.
"""

import functools
from dataclasses import dataclass

import keras

from resnet_lesson import analysis
from resnet_lesson.checks.pieces import (
    build_piece,
    case_inputs,
    normalization_count,
    outputs_in_modes,
    same_in_modes,
    with_method,
)


@dataclass(frozen=True)
class Design:
    """A valid choice other than the course's: a replacement method and its story."""

    name: str  # short, as a sentence names it: "option A (zero-padded identity)"
    description: str  # one sentence: what it does differently
    citation: str  # who used it: "He et al. 2016a, section 3.3"
    method: object  # a function with the exercise method's signature, taking self first


@dataclass(frozen=True)
class CostSetting:
    """Where a design's cost is counted: a whole network, built once per design."""

    num_layers: int
    image_size: int = 224
    num_classes: int = 1000

    def words(self):
        return (
            f"ResNet-{self.num_layers} at {self.image_size}x{self.image_size} "
            f"with {self.num_classes} classes"
        )


def followed_design(designs, runs, cases, reference_class, method_name, modes, tolerance):
    """The first design that gives every case's learner outputs (``runs``, the engine's
    ``LearnerRun``s, one per case) and as many batch norms, or None. Course code only:
    the learner's code has already run."""
    if any(run.outputs is None for run in runs):
        return None
    for design in designs:
        design_class = with_method(reference_class, method_name, design.method)
        if all(
            _gives(design_class, method_name, case, run, modes, tolerance)
            for case, run in zip(cases, runs)
        ):
            return design
    return None


def _gives(design_class, method_name, case, run, modes, tolerance):
    try:
        model = build_piece(design_class, method_name, case)
    except Exception:  # a design that cannot hold this case is not the learner's
        return False
    expected = outputs_in_modes(model, case_inputs(case), modes)
    return same_in_modes(run.outputs, expected, tolerance) and run.normalizations == (
        normalization_count(model)
    )


@functools.lru_cache(maxsize=None)
def network_costs(model_class, setting):
    """``(parameters, multiply-adds)`` of the whole network ``model_class`` builds for
    ``setting``, counted as chapter 9 counts them (``analysis``)."""
    model = analysis.build_resnet(
        setting.num_layers, setting.image_size, setting.num_classes, model_class=model_class
    )
    costs = analysis.count_parameters(model), analysis.count_multiply_adds(model)
    del model
    keras.backend.clear_session()
    return costs


@functools.lru_cache(maxsize=None)
def design_class(reference_class, method_name, design):
    """The reference network with ``design`` in place of the course's ``method_name``
    (one class per design, so that :func:`network_costs` counts it once)."""
    return with_method(reference_class, method_name, design.method)


def _signed(count, reference, unit):
    difference = count - reference
    percent = 100 * difference / reference
    return f"{count:,} {unit} ({difference:+,}, {percent:+.2f}%)"


def cost_words(reference_class, method_name, design, setting):
    """What ``design`` costs against the course's choice on ``setting``, in words."""
    params, multiply_adds = network_costs(
        design_class(reference_class, method_name, design), setting
    )
    course_params, course_multiply_adds = network_costs(reference_class, setting)
    return (
        f"{_signed(params, course_params, 'parameters')} and "
        f"{_signed(multiply_adds, course_multiply_adds, 'multiply-adds')} "
        f"on {setting.words()}"
    )


def report(exercise, passed, reference_class, method_name, course_choice, setting):
    """The success line of a visible check whose answer (``passed``, the engine's
    ``Passed``) follows an accepted design; ``course_choice`` names the reference's."""
    design = passed.design
    cost = cost_words(reference_class, method_name, design, setting)
    print(
        f"\u2705 {exercise} is correct with another valid design, {design.name} "
        f"({design.citation}): {design.description}; against the course's choice, "
        f"{course_choice}, it has {cost} (whole networks, counted as in chapter 9), "
        f"and it matched that design in all {len(passed)} cases, in training and "
        "inference mode; later chapters keep the course's choice."
    )
