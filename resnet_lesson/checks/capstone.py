"""Chapter 12 checks: the learner's own ``ResNetModel``, method by method, then trained.

``check(cls, method)`` first makes sure the method is the learner's own (not inherited
from, copied by reference out of, nor pasted from the source of the course's
``ResNetModel``: ``copies.py``), then runs that method's chapter check unchanged
(``resnet_lesson.checks.<exercise>``). Those checks build the learner's class as it is,
so every method they exercise is the learner's.
``check_training(cls)`` trains the class on the digits (``resnet_lesson.capstone``) and
asks for the course's target accuracy within the time budget.
"""

import importlib
import sys

from resnet_lesson import capstone, course
from resnet_lesson.checks import copies, engine, integrity, session
from resnet_lesson.checks.pieces import quiet
from resnet_lesson.checks.verdict import CheckFailed
from resnet_lesson.model import ResNetModel as _CourseModel

# The chapter check of each outline method (its module in resnet_lesson.checks).
CHECK_MODULES = {e.method: e.check for e in course.EXERCISES if e.method is not None}


def ownership_problem(learner_class, method):
    """Why ``method`` of ``learner_class`` is not the learner's own, or None."""
    if not isinstance(learner_class, type):
        return "`ResNetModel` is not a class: define it with `class ResNetModel(ResNetBase):`."
    inherited = capstone.defined_by_course(learner_class)
    if inherited:
        return (
            f"your `ResNetModel` derives from the course's `{inherited[0].__qualname__}`, so "
            "its methods can be the course's: derive it from `ResNetBase` only (or from "
            "nothing) and write every method yourself."
        )
    owner = next((k for k in learner_class.__mro__ if method in vars(k)), object)
    if owner is object or owner.__qualname__ == capstone.ResNetBase.__qualname__:
        chapter = capstone.OUTLINE_METHODS[method]
        return (
            f"your `ResNetModel` has no `{method}`: paste yours from {chapter} into the "
            "class and run the cell."
        )
    if engine.still_the_reference(learner_class, _CourseModel, method):
        return (
            f"`{method}` is the course's reference method, not yours: it scores nothing "
            f"here; write it in your class (from {capstone.OUTLINE_METHODS[method]})."
        )
    if copies.copied_from(learner_class, _CourseModel, method, capstone.OUTLINE_METHODS):
        return (
            f"`{method}` is the course's own code copied (its source, pasted), not yours: "
            f"it scores nothing here; paste your own from {capstone.OUTLINE_METHODS[method]}."
        )
    return None


def _constructor_problem(learner_class):
    """Why the learner's class cannot be created, or None (the other checks need it)."""
    try:
        with quiet():
            learner_class(32, 32, 18, 10)
    except NotImplementedError:
        return "`__init__` is not written yet, and the checks create your model with it."
    except Exception as error:  # the learner's code may raise anything
        return (
            f"creating your model raised {type(error).__name__} ({error}): "
            "fix `__init__` first, the checks create your model with it."
        )
    return None


def check(learner_class, method, thorough=False):
    """``method`` is the learner's own and passes its chapter's check."""
    checkpoint = integrity.take()  # creating the learner's model runs their __init__
    problem = ownership_problem(learner_class, method)
    if problem is None and method != "__init__":
        problem = _constructor_problem(learner_class)
    checkpoint(CHECK_MODULES[method])
    if problem is not None:
        # Named as the chapter check names it (its graded cell: your_<name>_tests).
        session.show_or_raise(CheckFailed(CHECK_MODULES[method], problem))
        return None
    module = importlib.import_module(f"resnet_lesson.checks.{CHECK_MODULES[method]}")
    return module.check(learner_class, thorough=thorough)


def check_training(learner_class, setup_name=capstone.CAPSTONE_SETUP):
    """Train the learner's class on the digits: the target accuracy within the budget.

    Builds nothing trainable until every outline method is the learner's and the class
    builds a network of the reference's size, so a stub costs no training time.
    Returns the :class:`resnet_lesson.capstone.CapstoneRun`, or None when it failed.
    """
    exercise = "resnet_training"  # its graded cell: your_resnet_training_tests
    checkpoint = integrity.take()  # called after each stretch of the learner's code
    for method in capstone.OUTLINE_METHODS:
        problem = ownership_problem(learner_class, method)
        if problem is not None:
            session.show_or_raise(CheckFailed(exercise, f"nothing was trained: {problem}"))
            return None
    _, settings = capstone.capstone_settings(setup_name)
    try:
        with quiet():
            _, model = capstone.build_model(learner_class, settings)
    except NotImplementedError:
        checkpoint(exercise)
        session.show_or_raise(
            CheckFailed(
                exercise,
                "nothing was trained: some methods are not written yet (they raise "
                "NotImplementedError); the checks above say which.",
            )
        )
        return None
    except Exception as error:  # the learner's code may raise anything
        checkpoint(exercise)
        session.show_or_raise(
            CheckFailed(
                exercise,
                f"nothing was trained: building your ResNet-{settings['num_layers']} raised "
                f"{type(error).__name__} ({error}); the checks above say which method.",
            )
        )
        return None
    checkpoint(exercise)
    expected = capstone.reference_parameter_count(settings)
    if model.count_params() != expected:
        session.show_or_raise(
            CheckFailed(
                exercise,
                f"nothing was trained: your narrow ResNet-{settings['num_layers']} has "
                f"{model.count_params():,} parameters, the course's {expected:,}; does "
                "`model_layers` read the width from `self.filters_initial`?",
            )
        )
        return None
    del model
    output = sys.stdout  # quiet() hides Keras's own chatter, not the epoch lines
    with quiet():
        run = capstone.train_on(learner_class, setup_name, verbose=0, progress=output, seed=0)
    checkpoint(exercise)
    seconds = run.result.seconds
    if run.test_accuracy < capstone.TARGET_ACCURACY:
        session.show_or_raise(
            CheckFailed(
                exercise,
                f"test accuracy {run.test_accuracy:.2%}, below the target of "
                f"{capstone.TARGET_ACCURACY:.0%}: fix first any method whose check above "
                "fails; the course's own methods reach the target with this training.",
            )
        )
        return None
    if not capstone.within_time_budget(run.result):
        session.show_or_raise(
            CheckFailed(
                exercise,
                f"test accuracy {run.test_accuracy:.2%}, but training took {seconds:.0f} s "
                f"({run.result.cpu_seconds:.0f} s of CPU time), more than the budget of "
                f"{capstone.TIME_BUDGET_SECONDS} s on {capstone.BUDGET_CORES} cores.",
            )
        )
        return None
    print(
        f"\u2705 your ResNet-{settings['num_layers']} reached {run.test_accuracy:.2%} test "
        f"accuracy on the digits ({round(run.test_accuracy * run.test_size)} of "
        f"{run.test_size} held-out images) after {seconds:.1f} s of training: target "
        f"{capstone.TARGET_ACCURACY:.0%} within {capstone.TIME_BUDGET_SECONDS} s."
    )
    return run
