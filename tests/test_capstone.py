"""Chapter 12's helpers: the digits augmentation without a flip, and the answer printer."""

import json

import numpy as np

from resnet_lesson import capstone
from resnet_lesson.model import ResNetModel


def test_without_flip_evaluates_like_preprocess_and_trains_on_shifts_only():
    resnet = ResNetModel(26, 24, 18, 10)
    image = np.random.default_rng(0).integers(0, 256, (8, 8, 1)).astype("uint8")
    preprocess = capstone.without_flip(resnet.preprocess)
    centre = np.asarray(resnet.preprocess(image, False))
    assert np.array_equal(np.asarray(preprocess(image, False)), centre)
    padded = np.pad(centre, [(1, 1), (1, 1), (0, 0)])
    shifts = {(dy, dx): padded[dy : dy + 24, dx : dx + 24] for dy in range(3) for dx in range(3)}
    mirrored = centre[:, ::-1]
    for _ in range(20):
        trained = np.asarray(preprocess(image, True))
        assert trained.shape == centre.shape
        assert any(np.array_equal(trained, s) for s in shifts.values())
        assert not np.array_equal(trained, mirrored)


def test_print_answers_prints_each_chapter_answer_and_names_missing_ones(tmp_path, capsys):
    folder = tmp_path / "ch03_custom_padding"
    folder.mkdir()
    exercise = {
        "cell_type": "code",
        "metadata": {"nbgrader": {"solution": True, "grade_id": "custom_padding"}},
        "source": ["class ResNetModel:\n", "    def custom_padding(self): ...\n"],
    }
    question = {
        "cell_type": "code",
        "metadata": {"nbgrader": {"solution": True, "grade_id": "q1"}},
        "source": ["with quiz.answering():\n", "    q1_answer = 'a'\n"],
    }
    notebook = {"cells": [exercise, question], "metadata": {}, "nbformat": 4}
    (folder / "ch03_custom_padding.ipynb").write_text(json.dumps(notebook))
    capstone.print_answers(tmp_path)
    out = capsys.readouterr().out
    assert "def custom_padding(self): ..." in out
    assert "q1_answer" not in out
    assert "(no notebook at" in out and out.count("(no notebook at") == 8


def _result(seconds, cpu_seconds):
    from resnet_lesson.training import TrainingResult

    return TrainingResult(history={}, seconds=seconds, epochs=1, cpu_seconds=cpu_seconds)


def test_time_budget_is_two_minutes_of_two_cores_by_the_clock_or_by_cpu_time():
    assert capstone.within_time_budget(_result(119.0, 300.0))  # idle machine, by the clock
    assert capstone.within_time_budget(_result(400.0, 230.0))  # busy machine: CPU time counts
    assert not capstone.within_time_budget(_result(400.0, 250.0))
    assert not capstone.within_time_budget(_result(121.0, None))
