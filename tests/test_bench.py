"""``resnet-lesson bench``: the report's shape and arithmetic, never its timings."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from resnet_lesson.bench import grading, model, peers, stats


# ------------------------------------------------------------------------ stats
def test_alternate_runs_the_sides_in_turn():
    calls = []
    results = stats.alternate(("ours", "peer"), 3, lambda side: calls.append(side) or len(calls))
    assert calls == ["ours", "peer"] * 3
    assert results == {"ours": [1, 3, 5], "peer": [2, 4, 6]}


def test_alternate_until_stops_when_told_and_not_before_the_minimum():
    calls = []
    results = stats.alternate_until(
        ("a", "b"), lambda side: calls.append(side) or 1.0, 3, 10, stop=lambda r: True
    )
    assert len(results["a"]) == 3 and calls == ["a", "b"] * 3
    results = stats.alternate_until(("a", "b"), lambda side: 1.0, 2, 5, stop=lambda r: False)
    assert len(results["a"]) == len(results["b"]) == 5


def test_round_ratios_pair_each_round():
    assert stats.round_ratios([10.0, 12.0, 9.0], [5.0, 12.0, 10.0]) == [2.0, 1.0, 0.9]


def test_median_interval_uses_order_statistics():
    values = list(range(1, 16))  # 15 values: the 4th smallest and the 4th largest
    assert stats.median_interval(values) == (4, 12)
    assert stats.median_interval([3, 1, 2, 6, 5, 4]) == (1, 6)  # 6 values: the extremes
    assert stats.median_interval([1, 2, 3, 4, 5]) is None  # 5 values: too few for 95 %


def test_spread_on_fake_round_ratios():
    ratios = [0.98, 1.02, 1.00, 1.04, 0.96, 1.01, 0.99, 1.03, 1.00, 0.97, 1.05, 1.00]
    summary = stats.spread(ratios)
    assert summary["n"] == 12
    assert summary["median"] == pytest.approx(1.00)
    assert summary["range"] == [0.96, 1.05]
    assert summary["quartiles"] == pytest.approx([0.9875, 1.0225])
    # 12 values at 95 %: the 3rd smallest and the 3rd largest.
    assert summary["median_interval"] == [0.98, 1.03]
    assert summary["stable_within"] == pytest.approx(0.03)
    text = stats.format_spread(summary)
    assert "median 1.00 (middle half 0.99-1.02, all 0.96-1.05, 12 rounds" in text
    assert "95% interval of the median 0.98-1.03, within 3.0%" in text


def test_compare_reports_ratios_per_round_and_per_multiply_add():
    per_round = {
        "ours": [10.0, 8.0, 12.0, 10.0, 9.0, 11.0],
        "keras_hub": [10.0, 10.0, 10.0, 8.0, 9.0, 10.0],
        "resnet50v2": [12.0, 10.0, 12.0, 12.5, 10.0, 11.0],
    }
    macs = {"ours": 4_000, "keras_hub": 4_000, "resnet50v2": 3_000}
    result = model.compare(per_round, ("keras_hub", "resnet50v2"), macs)
    same = result["keras_hub"]
    assert same["same_architecture"] is True
    assert same["round_ratios"] == [1.0, 0.8, 1.2, 1.25, 1.0, 1.1]
    assert same["ratio"] == pytest.approx(1.05)  # median of the rounds' ratios
    assert same["ratio_of_medians"] == pytest.approx(10.0 / 10.0)
    other = result["resnet50v2"]
    assert other["same_architecture"] is False
    assert other["ratio"] == pytest.approx((10 / 12 + 0.9) / 2)  # 0.8 0.8 0.83 0.9 1 1
    assert other["per_multiply_add"] == pytest.approx(other["ratio"] * 4 / 3)


# ------------------------------------------------------------------------ peers
def test_same_architecture_check_refuses_other_counts():
    ours = {"params": 25_594_792, "multiply_adds": 4_089_184_256}
    peers.check_same_architecture("keras_hub", ours, dict(ours))  # equal: no complaint
    with pytest.raises(peers.ArchitectureMismatch, match="params: ours 25,594,792"):
        peers.check_same_architecture(
            "keras_hub", ours, {"params": 25_613_800, "multiply_adds": 4_089_184_256}
        )
    # Equal weights but a stride elsewhere (other multiply-adds) is refused as well.
    with pytest.raises(peers.ArchitectureMismatch, match="multiply_adds"):
        peers.check_same_architecture(
            "keras_hub", ours, {"params": 25_594_792, "multiply_adds": 3_480_000_000}
        )


def test_main_peer_is_the_same_architecture_one():
    assert model.main_peer(("resnet50v2", "keras_hub")) == "keras_hub"
    assert model.main_peer(("resnet50v2",)) == "resnet50v2"


@pytest.mark.slow
def test_keras_hub_peer_has_the_course_counts():
    pytest.importorskip("keras_hub")
    ours = peers.counts(peers.build_ours(224, 1000))
    theirs = peers.counts(peers.build_keras_hub(224, 1000))
    assert ours == theirs == {"params": 25_594_792, "multiply_adds": 4_089_184_256}


@pytest.mark.slow
def test_bench_refuses_a_same_architecture_peer_with_other_counts():
    # A stand-in "same-architecture" peer that is really ResNet50V2: refused before timing.
    builders = dict(peers.BUILDERS, keras_hub=peers.build_resnet50v2)
    with pytest.raises(peers.ArchitectureMismatch, match="refusing to compare"):
        model.bench_model(
            image_size=32,
            batch=2,
            classes=10,
            rounds=1,
            peers=("keras_hub",),
            builders=builders,
            quiet=True,
        )


# ------------------------------------------------------------------------ reports
def _fake_model_result():
    per_round = {
        "ours": [3.0, 3.2, 2.9, 3.1, 3.0, 3.0],
        "keras_hub": [3.0, 3.0, 3.0, 3.0, 3.0, 3.0],
        "resnet50v2": [4.0, 4.0, 4.0, 4.0, 4.0, 4.0],
    }
    macs = {"ours": 4_000_000_000, "keras_hub": 4_000_000_000, "resnet50v2": 3_000_000_000}
    sides = ["ours", "keras_hub", "resnet50v2"]
    return {
        "backend": "tensorflow",
        "device": "cpu",
        "image_size": 224,
        "batch": 8,
        "precision": "float32",
        "jit_compile": "auto",
        "min_rounds": 6,
        "max_rounds": 40,
        "stable_within": 0.03,
        "steps_per_round": 2,
        "sides": sides,
        "main_peer": "keras_hub",
        "labels": {side: side for side in sides},
        "params": {"ours": 25_594_792, "keras_hub": 25_594_792, "resnet50v2": 25_613_800},
        "multiply_adds": macs,
        "modes": {
            "train": {
                "images_per_s": {side: stats.median(v) for side, v in per_round.items()},
                "rounds": per_round,
                "rounds_run": 6,
                "peers": model.compare(per_round, ("keras_hub", "resnet50v2"), macs),
                "load_average": {"before": [0.5, 0.4, 0.3], "after": [0.7, 0.5, 0.3]},
            }
        },
    }


def test_model_report_has_ratio_spread_and_count_lines():
    text = model.format_model(_fake_model_result())
    assert "ratio train throughput (ours/keras_hub, same architecture): 1.000" in text
    assert "per round: median 1.00 (middle half 1.00-" in text
    assert "all 0.97-1.07, 6 rounds; 95% interval of the median 0.97-1.07" in text
    assert "ratio train throughput (ours/resnet50v2) per multiply-add: 1.000" in text
    assert "plain ratio 0.750" in text
    assert "keras_hub: 25,594,792 parameters, 4.00 G multiply-adds per image" in text
    assert "load average 0.50 -> 0.70" in text


def test_floor_notebook_has_exactly_one_graded_cell():
    nb = grading.floor_notebook()
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == 1
    assert graded[0].metadata["nbgrader"]["points"] == 1


def test_grading_report_has_ratio_lines():
    result = {
        "rounds": 2,
        "method": "resnet-lesson grade",
        "chapter": "ch06_regular_block",
        "chapters": ["ch06_regular_block", "ch07_bottleneck"],
        "seconds": {"floor": 4.0, "chapter": 10.0, "course": 22.0},
        "ratio_chapter": 2.5,
        "ratio_course": 5.5,
        "chapter_above_floor_s": 6.25,
        "scores": {"ch06_regular_block": [6.0, 6.0]},
    }
    text = grading.format_grading(result)
    assert "ratio grade one chapter / floor: 2.50" in text
    assert "ratio grade whole course / floor: 5.50" in text
    assert "one chapter above the floor: +6.25 s" in text
    assert "ch06_regular_block 6/6" in text


@pytest.mark.slow
def test_quick_model_bench_prints_ratio_lines(tmp_path):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("KERAS_BACKEND", None)
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "resnet_lesson.bench",
            "--quick",
            "--only",
            "model",
            "--rounds",
            "1",
            "--image-size",
            "32",
            "--json-out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ratio train throughput (ours/resnet50v2) per multiply-add:" in done.stdout
    assert "ratio infer throughput (ours/resnet50v2) per multiply-add:" in done.stdout
    report = json.loads(out.read_text())
    assert set(report["model"]["modes"]) == {"train", "infer"}
    assert report["model"]["params"]["ours"] > 0
    assert report["load_average_at_start"] is None or len(report["load_average_at_start"]) == 3
    if "keras_hub" in report["model"]["sides"]:
        assert "ratio train throughput (ours/keras_hub, same architecture):" in done.stdout


# ------------------------------------------------------------------------ class part
def _fake_class_result():
    return {
        "chapters": ["ch03_custom_padding", "ch05_shortcut"],
        "submissions": 4,
        "kinds": {"correct": 2, "untouched": 2, "code only": 0},
        "jobs": 2,
        "seconds": {"stock": 40.0, "grade_class": 20.0},
        "per_submission_s": {"stock": 10.0, "grade_class": 5.0},
        "throughput_ratio": 2.0,
        "sandbox": "each submission runs without network",
        "scores_equal": True,
        "scores_differ": [],
        "single_grading_s": {"ch03_custom_padding": 4.0, "ch05_shortcut": 6.0},
        "projection": {"learners": 300, "chapters": 2, "stock_s": 7200.0, "grade_class_s": 3600.0},
        "load_average_at_start": [0.5, 0.4, 0.3],
        "load_average_at_end": [1.5, 0.6, 0.4],
    }


def test_class_report_has_ratio_projection_and_score_lines():
    from resnet_lesson.bench import class_grading

    text = class_grading.format_class(_fake_class_result())
    assert "throughput ratio grade-class / stock: 2.00x" in text
    assert "same scores in both gradebooks: yes" in text
    assert "load average 0.50 -> 1.50" in text
    assert "projection, 300 learners x 2 chapters: stock 2.0 h, grade-class --jobs 2 1.0 h" in text
    differ = {**_fake_class_result(), "scores_equal": False, "scores_differ": ["l1/ch03"]}
    assert "same scores in both gradebooks: NO: l1/ch03" in class_grading.format_class(differ)


def test_class_projection_scales_by_single_grading_times():
    from resnet_lesson.bench.class_grading import project

    single = {"a": 2.0, "b": 8.0}
    rows = [("l0", "a", "correct"), ("l1", "a", "untouched")]  # 4 s of single grading
    # 6 s of wall for 4 s of single grading: 1.5 x (2 + 8) s per learner.
    assert project(6.0, rows, single, learners=10) == pytest.approx(150.0)


def test_class_rows_mix_kinds_and_notebooks_differ_by_kind():
    from resnet_lesson.bench import class_grading

    rows = class_grading.class_rows(["ch03_custom_padding"], 6)
    assert len({r[0] for r in rows}) == 6
    assert {r[2] for r in rows} == set(class_grading.KINDS)

    def answers(kind):
        nb = class_grading.learner_notebook("ch03_custom_padding", kind)
        return {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }

    correct, untouched, code = (answers(k) for k in class_grading.KINDS)
    assert correct["custom_padding"] == code["custom_padding"] != untouched["custom_padding"]
    assert correct["custom_padding_q1"] != code["custom_padding_q1"]
    assert code["custom_padding_q1"] == untouched["custom_padding_q1"]


def test_class_part_runs_only_when_asked():
    import argparse

    from resnet_lesson.bench import command

    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    args = parser.parse_args(["--only", "class", "--class-learners", "3"])
    assert args.only == ["class"] and args.class_learners == 3 and args.class_jobs == 2
    assert "class" not in command.PARTS  # the default run leaves it out
