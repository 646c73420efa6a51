"""Judge a learner's method by what it computes, never by how it is spelled.

A check builds the learner's piece and the reference piece as small functional Keras
models on the same inputs, gives both the *same weights* (``pieces.py``), and compares
their outputs in training and inference mode.

When the outputs differ, the check rebuilds the piece with each *known mistake* of the
exercise and names the first one that reproduces the learner's outputs exactly, so the
feedback says what is wrong ("the second conv strides") instead of "wrong answer". A
sentence that only locates the problem, or the generic one, says so by its kind
(``verdict.Sentence``).
"""

import os
from dataclasses import dataclass

from resnet_lesson.checks import delegation, designs, integrity, session
from resnet_lesson.checks.pieces import (
    BARE_CALL,
    EXPLICIT_MODES,
    BuildError,
    build_piece,
    case_inputs,
    normalization_count,
    outputs_for,
    outputs_in_modes,
    same_in_modes,
    same_outputs,
    with_method,
)
from resnet_lesson.checks.session import yours_or_course  # noqa: F401  (learners' notebooks import it from here)
from resnet_lesson.checks.verdict import GENERIC, LOCATED, CheckFailed, Sentence


def still_the_reference(learner_class, reference_class, method_name):
    """Whether the learner's class uses the course's own method (none written)."""
    learner = getattr(learner_class, method_name, None)
    reference = getattr(reference_class, method_name, None)
    if learner is None or learner is reference:
        return True
    learner_code = getattr(learner, "__code__", None)
    reference_code = getattr(reference, "__code__", None)
    return (
        learner_code is not None
        and reference_code is not None
        and learner_code.co_filename == reference_code.co_filename
        and learner_code.co_firstlineno == reference_code.co_firstlineno
    )


@dataclass
class LearnerRun:
    """What the learner's code produced for one case: plain data, judged afterwards."""

    build_error: BuildError = None  # the method could not be built
    delegated: bool = False  # it ran the course's own implementation of itself
    malformed: Exception = None  # keras.Model rejected what it returned
    problem: str = None  # the exercise's output_check sentence
    outputs: dict = None  # {mode: [numpy arrays]}
    normalizations: int = 0  # batch norms in the learner's piece


def _learner_run(learner_class, method_name, case, output_check, modes, reference_codes=()):
    """Build and run the learner's piece for ``case``; every way it fails is kept.

    While it is built, a watch notes whether ``reference_codes`` (the course's own
    implementation of the method) run: an answer that delegates to them is no answer.
    """
    try:
        with delegation.Watch(reference_codes) as watch:
            learner_model = build_piece(learner_class, method_name, case)
    except BuildError as error:
        return LearnerRun(build_error=error, delegated=watch.called)
    except (TypeError, ValueError) as error:  # keras.Model rejected the outputs
        return LearnerRun(malformed=error, delegated=watch.called)
    if watch.called:
        return LearnerRun(delegated=True)
    if output_check is not None:
        problem = output_check(learner_model, case)
        if problem:
            return LearnerRun(problem=problem)
    return LearnerRun(
        outputs=outputs_in_modes(learner_model, case_inputs(case), modes),
        normalizations=normalization_count(learner_model),
    )


def diagnose(
    exercise,
    learner_class,
    reference_class,
    method_name,
    cases,
    mistakes,
    output_check=None,
    modes=EXPLICIT_MODES,
    tolerance=1e-4,
    accepted_designs=(),
):
    """Raise ``CheckFailed`` with one specific sentence, or return the cases passed
    (a ``Passed``: its ``design`` is the accepted design followed, None for the course's).

    ``output_check(outputs, case)`` may return a sentence about a malformed result
    (``None``, a tuple of the wrong length) before values are compared. ``modes`` are
    the ways each piece is run (add ``BARE_CALL`` where the learner writes the batch
    norm); ``tolerance`` is relative and absolute. ``accepted_designs`` are the other
    valid answers (``designs.Design``), tried in order where the reference differs.
    """
    # Graded, or in the learner's own kernel (where a class line edited back to the full
    # reference would otherwise pass): the course's method is no answer. Pytest may check
    # the reference itself.
    if (
        os.environ.get("NBGRADER_EXECUTION") == "autograde" or session.interactive()
    ) and still_the_reference(learner_class, reference_class, method_name):
        raise CheckFailed(
            exercise,
            f"your `ResNetModel` has no `{method_name}` of its own: "
            "it uses the course's reference method; write yours in the "
            "exercise cell and run that cell.",
        )
    # The learner's code runs first, for every case; only then, once the checkpoint has
    # found nothing changed, does course code judge what it produced (integrity.py).
    codes = delegation.reference_codes(reference_class, method_name, learner_class)
    checkpoint = integrity.take()
    cases = tuple(cases)  # the learner's code cannot shorten a tuple it reaches
    described = tuple(map(repr, cases))  # nor, unseen, change a case it reaches
    runs = [
        _learner_run(learner_class, method_name, case, output_check, modes, codes) for case in cases
    ]
    checkpoint(exercise)
    if tuple(map(repr, cases)) != described:
        raise integrity.CheckTampered(
            exercise,
            "the check was tampered with: its cases changed while your code ran inside "
            "the check, so this check scores 0.",
        )
    if any(run.delegated for run in runs):
        raise CheckFailed(exercise, delegation.delegated_message(method_name))
    for case, run in zip(cases, runs):
        if run.build_error is not None:
            raise CheckFailed(
                exercise,
                name_the_build_error(run.build_error, reference_class, method_name, case, mistakes),
            )
        if run.malformed is not None:
            raise CheckFailed(exercise, malformed_output_message(run.malformed, case))
        if run.problem:
            raise CheckFailed(exercise, run.problem)
        x = case_inputs(case)
        reference_model = build_piece(reference_class, method_name, case)
        expected = outputs_in_modes(reference_model, x, modes)
        actual = run.outputs
        if not same_in_modes(actual, expected, tolerance):
            # Another valid design must give every case, not only this one.
            design = designs.followed_design(
                accepted_designs, runs, cases, reference_class, method_name, modes, tolerance
            )
            if design is not None:
                return Passed(cases, design)
        if same_in_modes(actual, expected, tolerance):
            problem = _normalization_count_problem(
                run.normalizations, normalization_count(reference_model), case
            )
            if problem:
                raise CheckFailed(exercise, problem)
            continue
        # A known mistake first; then a batch norm deaf to is_training (only the bare
        # call differs); then the engine's shape, mode or generic sentence.
        message = _matching_mistake(
            actual, reference_class, method_name, case, x, mistakes, modes, tolerance
        ) or _ignored_flag_message(actual, expected, case, modes, tolerance)
        if message is None:
            message = name_the_mistake(
                actual, expected, reference_class, method_name, case, x, [], modes, tolerance
            )
        raise CheckFailed(exercise, message)
    return Passed(cases)


class Passed(tuple):
    """The cases a check passed, and the accepted design the answer followed (None: the
    course's own choice)."""

    def __new__(cls, cases, design=None):
        passed = super().__new__(cls, cases)
        passed.design = design
        return passed


def _normalization_count_problem(learner, reference, case):
    """Equal outputs under equal weights can hide a batch norm too many (say a second
    pre-activation of the same tensor): it learns weights of its own once trained.
    ``learner`` and ``reference`` are the two pieces' batch-norm counts."""
    if learner > reference:
        return (
            f"there is a batch norm too many: {learner} where the contract needs "
            f"{reference} (for {case.description}). It agrees with the reference only while "
            "both hold the same weights; once trained it learns its own. Normalize each "
            "tensor once and reuse the result: look for a tensor that is pre-activated twice."
        )
    if learner < reference:
        return (
            f"there are {learner} batch norms where the contract needs {reference} (for "
            f"{case.description}): one batch norm layer is used twice, so two places share "
            "its weights; every pre-activation needs a batch norm of its own."
        )
    return None


def _ignored_flag_message(actual, expected, case, modes, tolerance):
    """The sentence for outputs that are right with training= given explicitly and wrong
    only in a bare call, where the ``is_training`` given while building decides: some
    batch norm's mode does not follow ``is_training``."""
    if BARE_CALL not in modes:
        return None
    wrong = [mode for mode in modes if not same_outputs(actual[mode], expected[mode], tolerance)]
    if wrong != [BARE_CALL]:
        return None
    flag = case.kwargs.get("is_training")
    return (
        f"a batch norm ignores `is_training`: for {case.description} the output is right "
        "with `training=` given explicitly but wrong in a bare call `model(x)`, where only "
        f"the method's `is_training` (here {flag}) sets the mode; look for a batch norm or "
        "pre-activation whose mode is fixed or not passed on."
    )


def malformed_output_message(error, case):
    """The sentence for a method whose result ``keras.Model`` rejected (``error``)."""
    return Sentence(
        f"what your code returns for {case.description} is not a Keras tensor "
        f"({error}); did you forget to `return` the result?",
        LOCATED,
    )


def name_the_build_error(error, reference_class, method_name, case, mistakes):
    """The sentence for a method that could not be built (``error``, a ``BuildError``):
    the known mistake that fails to build the same way, else the error's own text."""
    for mistake in mistakes:
        mistaken_class = with_method(reference_class, method_name, mistake.method)
        try:
            build_piece(mistaken_class, method_name, case)
        except BuildError as mistaken_error:
            if error.same_cause(mistaken_error):
                return f"{mistake.message} (building failed for {case.description})."
        except Exception:
            continue
    return Sentence(str(error), LOCATED)


def _mode_words(mode):
    return {
        True: "with training=True",
        False: "with training=False",
        BARE_CALL: "in a bare call `model(x)`",
    }[mode]


def _matching_mistake(actual, reference_class, method_name, case, x, mistakes, modes, tolerance):
    """The sentence of the first known mistake that gives ``actual`` exactly, or None."""
    for mistake in mistakes:
        mistaken_class = with_method(reference_class, method_name, mistake.method)
        try:
            mistaken = outputs_for(mistaken_class, method_name, case, x, modes)
        except Exception:
            continue
        if same_in_modes(actual, mistaken, tolerance):
            return f"{mistake.message} (seen for {case.description})."
    return None


def name_the_mistake(
    actual, expected, reference_class, method_name, case, x, mistakes, modes, tolerance
):
    """The sentence for outputs ``actual`` that differ from ``expected`` (both
    {mode: outputs}): a known mistake, else where they differ (shape, mode), else the
    generic one."""
    known = _matching_mistake(
        actual, reference_class, method_name, case, x, mistakes, modes, tolerance
    )
    if known:
        return known
    actual_shapes = [o.shape[1:] for o in actual[True]]
    expected_shapes = [o.shape[1:] for o in expected[True]]
    if actual_shapes != expected_shapes:
        return Sentence(
            f"for {case.description} the output shape is {_shapes(actual_shapes)}, "
            f"expected {_shapes(expected_shapes)}: check the strides and the number "
            "of filters of each conv.",
            LOCATED,
        )
    wrong = [mode for mode in modes if not same_outputs(actual[mode], expected[mode], tolerance)]
    ignored = _ignored_flag_message(actual, expected, case, modes, tolerance)
    if ignored:  # diagnose asks this before; here for any other caller
        return ignored
    if False not in wrong:
        return Sentence(
            f"for {case.description} the output is right in inference mode but not "
            f"{_mode_words(wrong[0])}: check how the batch norm is called.",
            LOCATED,
        )
    if True not in wrong:
        return Sentence(
            f"for {case.description} the output is right in training mode but not "
            f"{_mode_words(wrong[-1])}: check how the batch norm is called.",
            LOCATED,
        )
    return Sentence(
        f"for {case.description} the output has the right shape but the wrong values: "
        "compare your method with the contract step by step: which layers it makes, in "
        "which order, which tensor feeds each, and what it returns.",
        GENERIC,
    )


def _shapes(shapes):
    return ", ".join(str(tuple(int(d) for d in s)) for s in shapes)


SAME_OUTPUTS = "same outputs as the reference in training and inference mode"


def report(exercise, cases, verdict=SAME_OUTPUTS):
    """The success line a visible check prints: what was compared, for which cases."""
    described = "; ".join(case.description for case in cases)
    print(f"\u2705 {exercise} is correct: {verdict} for {described}.")
