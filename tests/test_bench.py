"""``resnet-lesson bench``: the report's shape, never its timings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from resnet_lesson import bench

ROOT = Path(__file__).resolve().parent.parent


def test_alternate_runs_the_sides_in_turn():
    calls = []
    results = bench.alternate(("ours", "peer"), 3, lambda side: calls.append(side) or len(calls))
    assert calls == ["ours", "peer"] * 3
    assert results == {"ours": [1, 3, 5], "peer": [2, 4, 6]}


def test_floor_notebook_has_exactly_one_graded_cell():
    nb = bench.floor_notebook()
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == 1
    assert graded[0].metadata["nbgrader"]["points"] == 1


def test_model_report_has_ratio_and_parameter_lines():
    result = {
        "backend": "tensorflow", "device": "cpu", "image_size": 224, "batch": 8,
        "precision": "float32", "jit_compile": "auto", "rounds": 5, "steps_per_round": 2,
        "params": {"ours": 25_594_792, "peer": 25_613_800},
        "multiply_adds": {"ours": 4_000_000_000, "peer": 3_000_000_000},
        "modes": {"train": {"images_per_s": {"ours": 3.0, "peer": 4.0}, "ratio": 0.75},
                  "infer": {"images_per_s": {"ours": 12.0, "peer": 10.0}, "ratio": 1.2}},
    }
    text = bench.format_model(result)
    assert "ratio train throughput (ours/peer): 0.750" in text
    assert "ratio infer throughput (ours/peer): 1.200" in text
    assert "per multiply-add 1.000" in text      # 0.75 * 4/3
    assert "parameters: ours 25,594,792, peer 25,613,800" in text


def test_grading_report_has_ratio_lines():
    result = {"rounds": 2, "method": "resnet-lesson grade", "chapter": "ch06_regular_block",
              "chapters": ["ch06_regular_block", "ch07_bottleneck"],
              "seconds": {"floor": 4.0, "chapter": 10.0, "course": 22.0},
              "ratio_chapter": 2.5, "ratio_course": 5.5, "chapter_above_floor_s": 6.25,
              "scores": {"ch06_regular_block": [6.0, 6.0]}}
    text = bench.format_grading(result)
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
        [sys.executable, "-m", "resnet_lesson.cli", "bench", "--quick", "--only", "model",
         "--rounds", "1", "--image-size", "32", "--json-out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ratio train throughput (ours/peer):" in done.stdout
    assert "ratio infer throughput (ours/peer):" in done.stdout
    report = json.loads(out.read_text())
    assert set(report["model"]["modes"]) == {"train", "infer"}
    assert report["model"]["params"]["ours"] > 0
