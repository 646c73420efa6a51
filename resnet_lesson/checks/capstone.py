"""Chapter 12 checks: the learner's own ``ResNetModel``, method by method, then trained.

``check(cls, method)`` first makes sure the method is the learner's own (not inherited
from, copied by reference out of, nor pasted from the source of the course's
``ResNetModel`` or of ``cifar_layers``'s reference: ``copies.py``), then runs that
method's check unchanged (``resnet_lesson.checks.<exercise>``; ``cifar_layers`` is
chapter 12's own) on the learner's method with the course's version of the others
(:func:`on_its_own`), as its chapter did. ``check_pipeline(make_dataset)`` does the
same for chapter 11's function.
``check_training(cls, make_dataset)`` measures the classical baseline on Fashion-MNIST,
trains the learner's CIFAR network with the learner's pipeline
(``resnet_lesson.capstone``) and asks for the baseline plus two points within the budget.
"""

import importlib
import sys

from resnet_lesson import capstone, course, training
from resnet_lesson.checks import copies, engine, integrity, session
from resnet_lesson.checks.cifar_layers import CifarReference as _CourseModel
from resnet_lesson.checks.pieces import quiet
from resnet_lesson.checks.verdict import CheckFailed

# The chapter check of each outline method (its module in resnet_lesson.checks).
CHECK_MODULES = {e.method: e.check for e in course.EXERCISES if e.method is not None}
# And of the method chapter 12 adds.
NEW_CHECK_MODULES = {"cifar_layers": "cifar_layers"}
PIPELINE_CHECK = "make_dataset"


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
        if method in capstone.NEW_METHODS:
            return f"your `ResNetModel` has no `{method}`: write it in the class and run the cell."
        chapter = capstone.OUTLINE_METHODS[method]
        return (
            f"your `ResNetModel` has no `{method}`: paste yours from {chapter} into the "
            "class and run the cell."
        )
    where = _where_yours_is(method)
    if engine.still_the_reference(learner_class, _CourseModel, method):
        return (
            f"`{method}` is the course's reference method, not yours: it scores nothing "
            f"here; write it in your class ({where})."
        )
    # The whole-class comparison is over the course's printed class (the outline); the
    # new method, printed nowhere, is copied as soon as its code is the reference's.
    if copies.copied_from(
        learner_class, _CourseModel, method, capstone.OUTLINE_METHODS, capstone.NEW_METHODS
    ):
        return (
            f"`{method}` is the course's own code copied (its source, pasted), not yours: "
            f"it scores nothing here; write your own ({where})."
        )
    return None


def _where_yours_is(method):
    if method in capstone.NEW_METHODS:
        return "this chapter's contract says what it builds"
    return f"paste yours from {capstone.OUTLINE_METHODS[method]}"


def pipeline_problem(make_dataset):
    """Why ``make_dataset`` is not the learner's own chapter 11 function, or None."""
    chapter = capstone.PIPELINE_CHAPTER
    if not callable(make_dataset):
        return f"`make_dataset` is not a function: paste yours from {chapter}."
    reference = training.make_dataset
    code = getattr(make_dataset, "__code__", None)
    if (
        make_dataset is reference
        or str(getattr(make_dataset, "__module__", None)).split(".")[0] == "resnet_lesson"
        or (code is not None and code is reference.__code__)
    ):
        return (
            "`make_dataset` is the course's reference pipeline, not yours: it scores "
            f"nothing here; paste your own from {chapter}."
        )
    if copies.copied_function(make_dataset, reference):
        return (
            "`make_dataset` is the course's own code copied (its source, pasted), not "
            f"yours: it scores nothing here; paste your own from {chapter}."
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
    exercise = {**CHECK_MODULES, **NEW_CHECK_MODULES}[method]
    checkpoint(exercise)
    if problem is not None:
        # Named as the chapter check names it (its graded cell: your_<name>_tests).
        session.show_or_raise(CheckFailed(exercise, problem))
        return None
    module = importlib.import_module(f"resnet_lesson.checks.{exercise}")
    return module.check(on_its_own(learner_class, method), thorough=thorough)


def on_its_own(learner_class, method):
    """The learner's class with the course's version of every *other* exercise method.

    Each method is judged as its chapter judged it: against the course's reference, with
    the course's pieces around it. Built from the learner's own pieces, a network that
    made another valid choice in an earlier chapter (option A shortcuts, the stride on
    the squeeze: ``designs.py``) would differ from the reference everywhere above that
    choice, and the method under check would be blamed for it. The learner's pieces meet
    in one network in the training check, which takes the class as it is.
    """
    others = {
        name: getattr(_CourseModel, name)
        for name in {**CHECK_MODULES, **NEW_CHECK_MODULES}
        if name not in (method, "__init__")
    }
    isolated = type(learner_class.__name__, (learner_class,), others)
    isolated.__module__, isolated.__qualname__ = (
        learner_class.__module__,
        learner_class.__qualname__,
    )
    return isolated


def check_pipeline(make_dataset, thorough=False):
    """``make_dataset`` is the learner's own and passes chapter 11's check."""
    problem = pipeline_problem(make_dataset)
    if problem is not None:
        session.show_or_raise(CheckFailed(PIPELINE_CHECK, problem))
        return None
    module = importlib.import_module(f"resnet_lesson.checks.{PIPELINE_CHECK}")
    return module.check(make_dataset, thorough=thorough)


def check_training(learner_class, make_dataset):
    """Train the learner's CIFAR network on Fashion-MNIST, fed by their pipeline: the
    measured baseline plus ``capstone.TARGET_MARGIN`` within the time budget.

    Builds nothing trainable until every method and the pipeline are the learner's and
    the class builds a network of the reference's size, so a stub costs no training time.
    Returns ``(baseline, run)`` (``capstone.Baseline``, ``capstone.CapstoneRun``), or
    None when it failed.
    """
    exercise = "resnet_training"  # its graded cell: your_resnet_training_tests
    settings = capstone.FASHION_SETTINGS
    checkpoint = integrity.take()  # called after each stretch of the learner's code
    problems = [ownership_problem(learner_class, method) for method in capstone.OWN_METHODS]
    problems.append(pipeline_problem(make_dataset))
    checkpoint(exercise)
    problem = next((p for p in problems if p is not None), None)
    if problem is not None:
        session.show_or_raise(CheckFailed(exercise, f"nothing was trained: {problem}"))
        return None
    n, filters = settings["blocks_per_stage"], settings["filters"]
    depth = capstone.layer_count(n)
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
                f"nothing was trained: building your ResNet-{depth} raised "
                f"{type(error).__name__} ({error}); the checks above say which method.",
            )
        )
        return None
    checkpoint(exercise)
    expected = capstone.reference_parameter_count(n, filters)
    if model.count_params() != expected:
        session.show_or_raise(
            CheckFailed(
                exercise,
                f"nothing was trained: your ResNet-{depth} ({filters} filters) has "
                f"{model.count_params():,} parameters, the course's {expected:,}; the "
                "`cifar_layers` check above says what differs.",
            )
        )
        return None
    del model
    splits = capstone.fashion_splits(settings)
    baseline = capstone.measure_baseline(splits)
    print(
        f"baseline: {baseline.name}, trained on the same {len(splits.train):,} images: "
        f"{baseline.accuracy:.2%} test accuracy ({baseline.seconds:.0f} s); your target: "
        f"{baseline.target():.2%}",
        flush=True,
    )
    output = sys.stdout  # quiet() hides Keras's own chatter, not the epoch lines
    with quiet():
        run = capstone.train_on(
            learner_class, make_dataset, splits, settings, progress=output, seed=0
        )
    checkpoint(exercise)
    seconds, cpu_seconds = run.result.seconds, run.result.cpu_seconds
    if run.test_accuracy < baseline.target():
        session.show_or_raise(
            CheckFailed(
                exercise,
                f"test accuracy {run.test_accuracy:.2%}, below the target of "
                f"{baseline.target():.2%} (the baseline's {baseline.accuracy:.2%} plus two "
                "points): fix first any method whose check above fails; the course's own "
                "methods reach the target with this training.",
            )
        )
        return None
    if not capstone.within_time_budget(run.result):
        session.show_or_raise(
            CheckFailed(
                exercise,
                f"test accuracy {run.test_accuracy:.2%}, but training took {seconds:.0f} s "
                f"({cpu_seconds:.0f} s of CPU time), more than the budget of "
                f"{capstone.TIME_BUDGET_SECONDS} s on {capstone.BUDGET_CORES} cores.",
            )
        )
        return None
    print(
        f"\u2705 your ResNet-{depth} reached {run.test_accuracy:.2%} test accuracy on "
        f"Fashion-MNIST ({round(run.test_accuracy * run.test_size):,} of "
        f"{run.test_size:,} held-out images) after {seconds:.0f} s of training "
        f"({cpu_seconds:.0f} s of CPU time): target {baseline.target():.2%} within "
        f"{capstone.TIME_BUDGET_SECONDS} s on {capstone.BUDGET_CORES} cores."
    )
    return baseline, run
