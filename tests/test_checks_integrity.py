"""Code that runs inside a check cannot switch the check off (checks/integrity.py).

Each route below is a way the learner's method, *while the check calls it*, can reach
what the check uses afterwards, found by reading how a check works: the check module's
functions and globals, the engine's, the reference class, the verdict memory, the
exception the verdict is, Python's builtins, numpy and Keras, function internals
(``__code__``, defaults, closures), the module table, nbgrader's environment, and the
check's own cases. A wrong answer that takes any route must not pass; the tampering is
named. Each test undoes its change (pytest's monkeypatch), so the routes stay
independent; ``resnet-lesson grade`` is tested on some of them in
test_grading_robustness.py.
"""

import builtins
import os
import sys

import keras
import numpy as np
import pytest

import resnet_lesson
from resnet_lesson.checks import custom_padding, engine, integrity, pieces, regular_block, session
from resnet_lesson.checks.verdict import CheckFailed


def _block(self, inputs, filters, strides, is_training, index, shortcut_filters=None):
    """The pieces of the block before the end, for the answers below."""
    pre_activated1, shortcut = self.pre_activation_with_shortcut(
        inputs, is_training, (shortcut_filters, strides)
    )
    conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
    conv2 = self.custom_conv2d(self.pre_activation(conv1, is_training), filters, 3, 1)
    return conv2, shortcut


def answer(tamper, correct=False):
    """A learner class whose ``regular_block`` runs ``tamper()`` each time the check
    calls it; the block drops the shortcut unless ``correct``."""

    class Answer(resnet_lesson.ResNetModel):
        def regular_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            tamper()
            conv2, shortcut = _block(
                self, inputs, filters, strides, is_training, index, shortcut_filters
            )
            return conv2 + shortcut if correct else conv2

    return Answer


def _always_true(*args, **kwargs):
    return True


def _nothing(*args, **kwargs):
    return None


def _routes(monkeypatch):
    """{route: tamper()}: each replaces one thing the check relies on."""
    frame_cases = []

    def swap_code():
        monkeypatch.setattr(pieces._close, "__code__", _always_true.__code__)

    def shorten_cases():
        # Reach the running check's cases through the frames and change a later one.
        frame = sys._getframe()
        while frame is not None and "cases" not in frame.f_locals:
            frame = frame.f_back
        if frame is not None and not frame_cases:
            frame_cases.append(True)
            for case in frame.f_locals["cases"][1:]:
                monkeypatch.setattr(case, "description", "changed")

    def restoring_patch():
        # Replaces the comparison with one that passes once and puts the original back.
        original = pieces.same_outputs

        def lenient(*args, **kwargs):
            pieces.same_outputs = original
            return True

        monkeypatch.setattr(pieces, "same_outputs", original)  # undone after the test
        pieces.same_outputs = lenient

    return {
        "the check module's check": lambda: monkeypatch.setattr(regular_block, "check", _nothing),
        "the check module's diagnose": lambda: monkeypatch.setattr(
            regular_block, "diagnose", _nothing
        ),
        "the check module's mistakes": lambda: monkeypatch.setattr(regular_block, "MISTAKES", []),
        "the check module's reference alias": lambda: monkeypatch.setattr(
            regular_block, "ResNetModel", answer(lambda: None)
        ),
        "the pieces' comparison": lambda: monkeypatch.setattr(pieces, "same_outputs", _always_true),
        "the session's show_or_raise": lambda: monkeypatch.setattr(
            session, "show_or_raise", _nothing
        ),
        "the session's interactive": lambda: monkeypatch.setattr(
            session, "interactive", _always_true
        ),
        "CheckFailed": lambda: monkeypatch.setattr(
            engine, "CheckFailed", type("CheckFailed", (Exception,), {})
        ),
        "CheckFailed's __init__": lambda: monkeypatch.setattr(
            CheckFailed, "__init__", lambda self, *args: None
        ),
        "the reference class's method": lambda: monkeypatch.setattr(
            resnet_lesson.model.ResNetModel, "regular_block", answer(lambda: None).regular_block
        ),
        "the verdict memory": lambda: monkeypatch.setattr(session, "_VERDICTS", {}),
        "the integrity module": lambda: monkeypatch.setattr(integrity, "take", _nothing),
        "a function's __code__": swap_code,
        "a function's defaults": lambda: monkeypatch.setattr(
            pieces.same_outputs, "__defaults__", (1e9,)
        ),
        "a closure": lambda: monkeypatch.setattr(
            regular_block.check.__closure__[0], "cell_contents", _nothing
        ),
        "builtins.all": lambda: monkeypatch.setattr(builtins, "all", _always_true),
        "builtins.zip": lambda: monkeypatch.setattr(builtins, "zip", lambda *a: iter(())),
        "numpy.asarray": lambda: monkeypatch.setattr(np, "asarray", lambda x, *a, **k: x),
        "a keras layer method": lambda: monkeypatch.setattr(
            keras.layers.Add, "call", lambda self, inputs: inputs[0], raising=False
        ),
        "the module table": lambda: monkeypatch.setitem(
            sys.modules, "resnet_lesson.checks.engine", type(sys)("fake")
        ),
        "nbgrader's environment": lambda: monkeypatch.delenv("NBGRADER_EXECUTION", raising=False),
        "the check's cases": shorten_cases,
        "a patch that restores itself": restoring_patch,
    }


ROUTES = list(_routes(pytest.MonkeyPatch()))


@pytest.fixture(autouse=True)
def graded(monkeypatch):
    # As nbgrader runs the check: a failure raises instead of printing.
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


@pytest.mark.parametrize("route", ROUTES)
def test_a_wrong_answer_that_tampers_never_passes(monkeypatch, route):
    tamper = _routes(monkeypatch)[route]
    with pytest.raises(BaseException) as raised:
        regular_block.check(answer(tamper))
    # Whatever is raised scores 0 in a graded cell; the sentence says why when it can.
    if isinstance(raised.value, CheckFailed):
        assert "tampered" in str(raised.value) or "shortcut is not added" in str(raised.value)


def test_the_named_routes_say_the_check_was_tampered_with(monkeypatch):
    tamper = _routes(monkeypatch)["the pieces' comparison"]
    with pytest.raises(integrity.CheckTampered, match="pieces.same_outputs"):
        regular_block.check(answer(tamper))


def test_a_patch_that_restores_itself_is_seen_before_the_verdict(monkeypatch):
    tamper = _routes(monkeypatch)["a patch that restores itself"]
    with pytest.raises(integrity.CheckTampered, match="same_outputs"):
        regular_block.check(answer(tamper))


def test_a_correct_answer_that_tampers_scores_zero(monkeypatch):
    # Any change is the same change to the checkpoint: it cannot tell a harmless one.
    tamper = _routes(monkeypatch)["builtins.all"]
    with pytest.raises(integrity.CheckTampered, match="builtins.all"):
        regular_block.check(answer(tamper, correct=True))


def test_an_honest_answer_passes_and_changes_nothing(capsys):
    checkpoint = integrity.take()
    regular_block.check(answer(lambda: None, correct=True))
    regular_block.check(answer(lambda: None, correct=True), thorough=True)
    checkpoint("regular_block")  # the checks' own work changed nothing watched
    assert "regular_block is correct" in capsys.readouterr().out


def test_a_check_of_its_own_kind_is_sealed_too(monkeypatch):
    # custom_padding judges case by case: its checkpoint comes before each judgement.
    class Padding(resnet_lesson.ResNetModel):
        def custom_padding(self, inputs, kernel_size):
            monkeypatch.setattr(custom_padding, "same_outputs", _always_true)
            return inputs  # pads nothing

    with pytest.raises(integrity.CheckTampered, match="same_outputs"):
        custom_padding.check(Padding)


def test_the_checkpoint_runs_with_no_builtins_of_its_own(monkeypatch):
    checkpoint = integrity.take()
    assert checkpoint.__globals__ == {"__builtins__": {}}
    monkeypatch.setattr(builtins, "id", lambda value: 0)  # would blind a naive fingerprint
    with pytest.raises(integrity.CheckTampered, match="builtins.id"):
        checkpoint("regular_block")


def test_nbgrader_environment_is_part_of_the_fingerprint(monkeypatch):
    checkpoint = integrity.take()
    monkeypatch.setitem(os.environ, "NBGRADER_EXECUTION", "validate")
    with pytest.raises(integrity.CheckTampered, match="nbgrader's environment"):
        checkpoint("regular_block")


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_is_seen_even_under_a_correct_answer(monkeypatch, route):
    # A correct answer passes on its own, so only the checkpoint can stop it: each route
    # is detected, not merely failed by a wrong answer.
    tamper = _routes(monkeypatch)[route]
    with pytest.raises(integrity.CheckTampered):
        regular_block.check(answer(tamper, correct=True))
