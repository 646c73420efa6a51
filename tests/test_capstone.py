"""Chapter 12's helpers: the time budget, the baseline, the paper's CIFAR-10 recipe, the
answer printer."""

import json

import numpy as np
import pytest

from resnet_lesson import capstone, capstone_answers, data_formats, training
from resnet_lesson.data import Split, Splits
from resnet_lesson.model import ResNetModel


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
    capstone_answers.print_answers(tmp_path)
    out = capsys.readouterr().out
    assert "def custom_padding(self): ..." in out
    assert "q1_answer" not in out
    # chapters 2 to 11 (make_dataset included), all but chapter 3 missing here
    assert "# ---- make_dataset: ch11_training ----" in out
    assert out.count("(no notebook at") == 9


def _result(seconds, cpu_seconds):
    from resnet_lesson.training import TrainingResult

    return TrainingResult(history={}, seconds=seconds, epochs=1, cpu_seconds=cpu_seconds)


def test_time_budget_is_five_minutes_of_two_cores_by_the_clock_or_by_cpu_time():
    assert capstone.within_time_budget(_result(299.0, 900.0))  # idle machine, by the clock
    assert capstone.within_time_budget(_result(900.0, 590.0))  # busy machine: CPU time counts
    assert not capstone.within_time_budget(_result(900.0, 610.0))
    assert not capstone.within_time_budget(_result(301.0, None))


def test_the_graded_training_uses_xla_only_where_the_cpu_has_no_onednn(monkeypatch):
    monkeypatch.setattr(data_formats, "nchw_conv_runs_eagerly", lambda: False)
    assert capstone.training_jit_compile() is True
    monkeypatch.setattr(data_formats, "nchw_conv_runs_eagerly", lambda: True)  # oneDNN, GPU
    assert capstone.training_jit_compile() == "auto"


def test_the_baseline_is_nearest_neighbours_on_the_same_images_and_sets_the_target():
    rng = np.random.default_rng(0)
    centres = rng.integers(0, 256, (3, 28, 28, 1))

    def part(count):
        labels = np.arange(count) % 3
        noise = rng.integers(-20, 21, (count, 28, 28, 1))
        return Split(np.clip(centres[labels] + noise, 0, 255).astype(np.uint8), labels)

    splits = Splits(part(30), part(3), part(12))
    baseline = capstone.measure_baseline(splits)
    assert baseline.accuracy == 1.0  # three well-separated clusters
    assert baseline.target() == pytest.approx(1.02)
    flipped = Splits(
        splits.train, splits.validation, Split(splits.test.images, (splits.test.labels + 1) % 3)
    )
    assert capstone.measure_baseline(flipped).accuracy == 0.0


def test_depth_is_six_n_plus_two_and_resnet20_has_the_papers_size():
    assert [capstone.layer_count(n) for n in (3, 5, 9)] == [20, 32, 56]
    # The paper's Table 6: 0.27 M for ResNet-20 (zero-padded shortcuts); the course's
    # 1x1 projections add 16*16 + 16*32 + 32*64 weights.
    count = capstone.reference_parameter_count(3)
    assert count - (16 * 16 + 16 * 32 + 32 * 64) == pytest.approx(270_000, rel=0.01)


def test_padded_crop_shifts_training_images_only():
    resnet = ResNetModel(8, 8, 18, 10)
    image = np.random.default_rng(0).uniform(size=(8, 8, 1)).astype("float32")
    no_flip = capstone.padded_crop(lambda x, is_training: x, pad=2)
    assert np.array_equal(np.asarray(no_flip(image, False)), image)
    padded = np.pad(image, [(2, 2), (2, 2), (0, 0)])
    shifts = [padded[dy : dy + 8, dx : dx + 8] for dy in range(5) for dx in range(5)]
    seen = set()
    for _ in range(30):
        out = np.asarray(no_flip(image, True))
        matches = [i for i, s in enumerate(shifts) if np.array_equal(out, s)]
        assert matches
        seen.update(matches)
    assert len(seen) > 1
    flipped = capstone.padded_crop(resnet.preprocess, pad=2)(image, False)
    assert flipped.shape == (8, 8, 1)


def test_the_papers_schedule_divides_by_ten_at_half_and_three_quarters():
    schedule = training.paper_schedule(10 * 4)  # 10 steps per epoch, 4 epochs
    rates = [float(schedule(step)) for step in (0, 20, 21, 30, 31, 39)]
    assert rates == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
