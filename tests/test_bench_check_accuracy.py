"""The checks part of the bench classifies a check's verdicts by the kind the check gave
each sentence where it wrote it. A tiny fake check stands in for the course's: no model
is built, and the held-out answers themselves stay out of the tests."""

import types

import numpy as np
import pytest

from resnet_lesson.bench import check_accuracy
from resnet_lesson.checks import engine, pieces
from resnet_lesson.checks.pieces import Mistake
from resnet_lesson.checks.verdict import CheckFailed

CASE = pieces.Case("a fake case", "channels_last", (4, 4, 2))
EXPECTED = {mode: [np.ones((2, 4, 4, 2), "float32")] for mode in pieces.EXPLICIT_MODES}


def _outputs(training, inference):
    return {True: [training], False: [inference]}


def _engine_sentence(actual):
    # As diagnose calls it: through the engine module, with this exercise's catalogue.
    return engine.name_the_mistake(
        actual, EXPECTED, None, "method", CASE, None, [], pieces.EXPLICIT_MODES, 1e-4
    )


def _fake_check(target, thorough=False):
    ones = np.ones((2, 4, 4, 2), "float32")
    kind = target.kind
    if kind == "pass":
        return
    if kind == "catalogue":
        raise CheckFailed("fake", f"{FAKE.MISTAKES[0].message} (seen for a fake case).")
    if kind == "own sentence":
        raise CheckFailed("fake", "the fake output is upside down.")
    if kind == "shape":
        wrong_shape = np.ones((2, 2, 2, 2), "float32")
        raise CheckFailed("fake", _engine_sentence(_outputs(wrong_shape, wrong_shape)))
    if kind == "mode":
        raise CheckFailed("fake", _engine_sentence(_outputs(ones * 3, ones)))
    if kind == "generic":
        raise CheckFailed("fake", _engine_sentence(_outputs(ones * 3, ones * 3)))
    if kind == "build error":
        error = pieces.BuildError("your code raised KeyError (3)", cause=KeyError(3))
        raise CheckFailed("fake", engine.name_the_build_error(error, None, "method", CASE, []))
    if kind == "thorough only" and thorough:
        raise CheckFailed("fake", "wrong for the graded cases only.")
    if kind == "crash":
        raise ZeroDivisionError("the check itself broke")


FAKE = types.ModuleType("fake_check")
FAKE.MISTAKES = [Mistake("the fake conv strides twice", None)]
FAKE.check = _fake_check


def _answer(kind, verdict="wrong"):
    source = f"class ResNetModel(resnet_lesson.ResNetModel):\n    kind = {kind!r}\n"
    return dict(
        exercise="fake", file="fake.py", number=1, verdict=verdict, mistake=kind, source=source
    )


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("pass", ("missed", None)),
        ("catalogue", ("named", "catalogue")),
        ("own sentence", ("named", "exercise-specific")),
        ("shape", ("located", "the check's located sentence")),
        ("mode", ("located", "the check's located sentence")),
        ("generic", ("generic", "the check's generic sentence")),
        ("build error", ("located", "the check's located sentence")),
        ("thorough only", ("named", "exercise-specific")),
        ("crash", ("crashed", "check raised")),
    ],
)
def test_wrong_answers_are_classified_by_the_path_of_the_sentence(kind, expected):
    record = check_accuracy.judge(_answer(kind), module=FAKE)
    assert (record["class"], record["path"]) == expected


def test_correct_answers_are_accepted_or_falsely_rejected():
    assert check_accuracy.judge(_answer("pass", "correct"), FAKE)["class"] == "accepted"
    assert check_accuracy.judge(_answer("mode", "correct"), FAKE)["class"] == "false reject"


def test_a_check_modules_own_located_and_generic_sentences_carry_their_kind():
    from resnet_lesson.checks import preprocess
    from resnet_lesson.checks.verdict import GENERIC, LOCATED, Sentence

    generic = CheckFailed("preprocess", Sentence("the output has the wrong values", GENERIC))
    assert check_accuracy.classify_failure(generic, [])[0] == "generic"
    located = CheckFailed("preprocess", Sentence(f"{preprocess.NOT_A_WINDOW} (seen).", LOCATED))
    assert check_accuracy.classify_failure(located, [])[0] == "located"
    # A named sentence that starts like a catalogue mistake is the catalogue's.
    named = CheckFailed("preprocess", "the fake conv strides twice (seen for x).")
    assert check_accuracy.classify_failure(named, ["the fake conv strides twice"]) == (
        "named",
        "catalogue",
    )


def test_summary_counts_and_rates():
    records = [
        {"exercise": "a", "class": "missed"},
        {"exercise": "a", "class": "named"},
        {"exercise": "b", "class": "generic"},
        {"exercise": "b", "class": "named"},
        {"exercise": "b", "class": "accepted"},
    ]
    summary = check_accuracy.summarize(records)
    assert summary["total"]["named"] == 2 and summary["wrong"] == 4
    assert summary["rates"]["missed"] == 0.25 and summary["rates"]["accepted"] == 1.0
    assert summary["per_exercise"]["b"]["generic"] == 1


def test_answers_load_from_chapter_files(tmp_path):
    (tmp_path / "ch99_fake.py").write_text(
        'EXERCISE = "fake"\nANSWERS = [dict(verdict="wrong", mistake="m", source="x = 1")]\n'
    )
    (answer,) = check_accuracy.load_answers(tmp_path)
    assert (answer["exercise"], answer["file"], answer["number"]) == ("fake", "ch99_fake.py", 1)
