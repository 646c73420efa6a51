"""Saved degradation studies run in pieces merge into one (scripts/merge_degradation_studies.py)."""

import copy
import json
import subprocess
import sys

import pytest

from resnet_lesson import course
from resnet_lesson.experiments.degradation import FASHION_DEEPEST_STUDY, load_study, merge_studies

DEPTHS = [8, 20, 56]


def _study_with_seed(study, seed, shift):
    other = copy.deepcopy(study)
    for run in other["runs"]:
        run["seed"] = seed
        for kind in ("plain", "residual"):
            run[kind]["final_train_error"] = [e + shift for e in run[kind]["final_train_error"]]
    other["settings"]["seeds"] = [seed]
    return other


def test_merged_runs_keep_their_depths_and_the_summary_is_computed_again():
    study = load_study(FASHION_DEEPEST_STUDY)
    first_seed = study["runs"][0]["seed"]
    other = _study_with_seed(study, first_seed + 100, shift=0.01)
    merged = merge_studies({"a.json": study, "b.json": other}, DEPTHS)
    assert merged["settings"]["depths"] == DEPTHS
    assert merged["settings"]["seeds"] == [first_seed, first_seed + 100]
    picks = [study["settings"]["depths"].index(d) for d in DEPTHS]
    for kind in ("plain", "residual"):
        errors = study["runs"][0][kind]["final_train_error"]
        expected = [errors[i] + 0.005 for i in picks]
        assert merged["summary"]["final_train_error"][kind]["mean"] == pytest.approx(expected)
        assert merged["summary"]["final_train_error"][kind]["max"] == pytest.approx(
            [errors[i] + 0.01 for i in picks]
        )
        assert len(merged["runs"][1][kind]["epoch_losses"]) == len(DEPTHS)


def test_studies_that_differ_or_repeat_a_seed_do_not_merge():
    study = load_study(FASHION_DEEPEST_STUDY)
    with pytest.raises(ValueError, match="seed comes twice"):
        merge_studies({"a.json": study, "b.json": copy.deepcopy(study)}, DEPTHS)
    longer = _study_with_seed(study, 100, shift=0)
    longer["settings"]["epochs"] += 1
    with pytest.raises(ValueError, match="differs in epochs"):
        merge_studies({"a.json": study, "b.json": longer}, DEPTHS)
    with pytest.raises(ValueError, match="no run at depths"):
        merge_studies({"a.json": study}, [8, 12])


def test_the_script_writes_the_merged_file(tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps(_study_with_seed(load_study(FASHION_DEEPEST_STUDY), 100, shift=0)))
    output = tmp_path / "merged.json"
    completed = subprocess.run(
        [
            sys.executable,
            "scripts/merge_degradation_studies.py",
            str(FASHION_DEEPEST_STUDY),
            str(other),
            "--depths",
            *map(str, DEPTHS),
            "-o",
            str(output),
        ],
        cwd=course.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(output.read_text())["merged_from"] == [
        FASHION_DEEPEST_STUDY.name,
        "other.json",
    ]


def test_the_saved_fashion_study_is_the_merge_of_its_pieces():
    # docs/results/degradation_fashion.json is what the script makes of the files it
    # names, so every number chapter 1 draws from it comes from a run on record.
    from resnet_lesson.experiments.degradation import FASHION_STUDY

    saved = load_study(FASHION_STUDY)
    pieces = {name: load_study(FASHION_STUDY.parent / name) for name in saved["merged_from"]}
    assert json.loads(json.dumps(merge_studies(pieces, saved["settings"]["depths"]))) == saved


def test_a_missing_study_file_is_named_not_a_traceback(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "scripts/merge_degradation_studies.py",
            str(tmp_path / "gone.json"),
            "--depths",
            "8",
            "-o",
            str(tmp_path / "merged.json"),
        ],
        cwd=course.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "no such study file" in completed.stderr and "Traceback" not in completed.stderr
