"""The delegation watch (checks/delegation.py) runs as a profile hook: a check run under
cProfile or %prun, or an answer that starts or stops a profiler, cannot be watched, and
the learner is told so in one sentence instead of a traceback or a silent pass."""

import cProfile
import sys

import pytest
from conftest import check_failure
from test_checks_integrity import _block

import resnet_lesson
from resnet_lesson.checks import delegation, regular_block
from resnet_lesson.checks.verdict import CheckFailed


def _answer(before=lambda: None):
    class Answer(resnet_lesson.ResNetModel):
        def regular_block(
            self, inputs, filters, strides, is_training, index, shortcut_filters=None
        ):
            before()
            conv2, shortcut = _block(
                self, inputs, filters, strides, is_training, index, shortcut_filters
            )
            return conv2 + shortcut

    return Answer


def test_a_check_under_cprofile_says_a_profiler_is_in_the_way():
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        with pytest.raises(CheckFailed) as raised:
            regular_block.check(_answer())
    finally:
        profiler.disable()
    assert raised.value.message == delegation.PROFILER_MESSAGE


@pytest.mark.parametrize("switch", ["off", "cprofile"])
def test_an_answer_that_turns_the_watch_off_scores_nothing(switch):
    profilers = []

    def turn_off():
        if switch == "off":
            sys.setprofile(None)
        else:
            profilers.append(cProfile.Profile())
            profilers[-1].enable()

    try:
        said = check_failure(regular_block, _answer(turn_off))
    finally:
        for profiler in profilers:
            profiler.disable()
    assert said == delegation.PROFILER_MESSAGE
    assert sys.getprofile() is None


def test_a_python_profile_function_is_kept_and_the_answer_judged(capsys):
    seen = []
    sys.setprofile(lambda frame, event, arg: seen.append(event))
    try:
        regular_block.check(_answer())
    finally:
        sys.setprofile(None)
    assert "regular_block is correct" in capsys.readouterr().out
    assert seen  # chained to, not replaced
