"""``resnet-lesson grade-class``: a class of 20 submissions over chapters 3 and 4.

The class is graded twice: with 2 local workers, killed with ``kill -9`` part way and
started again, and on a Dask LocalCluster of 2 worker processes, uninterrupted. Both
gradebooks must be equal; the honest submissions must score what stock ``nbgrader
autograde`` gives them; each hostile one loses only the cells it broke, with a note.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import command_environment, run_nbgrader, solution_answers, write_learner_notebook

from resnet_lesson.course import nbgrader_config, solution_notebook

pytestmark = [pytest.mark.slow, pytest.mark.notebooks, pytest.mark.class_grading]

CH3, CH4 = "ch03_custom_padding", "ch04_pre_activation"
TIMEOUT = "30"  # seconds per cell: an honest cell of these chapters takes about 1 s
MEMORY = "3"  # GiB of address space per grader and kernel

WRONG = {
    CH3: "class ResNetModel(resnet_lesson.ResNetModel):\n"
    "    def custom_padding(self, inputs, kernel_size):\n"
    "        return inputs  # forgot to pad\n",
    CH4: "class ResNetModel(resnet_lesson.ResNetModel):\n"
    "    def pre_activation(self, inputs, is_training):\n"
    "        axis = 1 if self.data_format == 'channels_first' else 3\n"
    "        return keras.layers.BatchNormalization(axis=axis)(inputs, training=is_training)\n",
}
# Code put before a correct answer: each breaks that answer cell (so the exercise's test
# scores 0) and must leave every other cell and every other submission alone.
HOSTILE = {
    "mallory": ("memory", "hog = bytearray(64 << 30)  # 64 GiB\n"),
    "oscar": ("loop", "while True:\n    pass\n"),
    "frank": ("fork", "import os\nwhile True:\n    os.fork()\n"),
    "nina": (
        "network",
        "import urllib.request\nurllib.request.urlopen('http://93.184.216.34/', timeout=20)\n",
    ),
    "xavier": ("exit", "import os\nos._exit(1)\n"),
}
# What each one's exercise feedback must say (one of).
HOSTILE_NOTE = {
    "memory": ("MemoryError",),
    "loop": ("ran past the time limit",),
    # the fork fails in the kernel, or the cell is stopped at the time limit, or the kernel
    # stops answering and is replaced: which comes first depends on the machine's load
    "fork": ("Resource temporarily unavailable", "processes", "ran past the time limit"),
    # the kernel's output buffer outgrows the memory limit, or the cell is stopped
    "flood": ("MemoryError", "ran past the time limit", "stopped answering"),
    "network": ("Network is unreachable",),
    "exit": ("the kernel died",),
}
FLOOD = "while True:\n    print('x' * 1_000_000)  # a megabyte a line, without end\n"
HONEST = [("alice", "correct"), ("bob", "correct"), ("carol", "correct")]
HONEST += [("dave", "stub"), ("erin", "wrong")]
EXERCISE = {CH3: "custom_padding", CH4: "pre_activation"}


def answers_for(chapter, kind):
    answers = solution_answers(chapter)
    exercise = EXERCISE[chapter]
    if kind == "stub":
        return {}
    if kind == "wrong":
        answers[exercise] = WRONG[chapter]
        answers[f"{exercise}_q1"] = answers[f"{exercise}_q1"].replace('= "b"', '= "a"')
    elif kind == "flood":
        answers[exercise] = FLOOD + answers[exercise]
    elif kind != "correct":
        answers[exercise] = kind + answers[exercise]
    return answers


def class_submissions():
    """[(student, chapter, kind)]: 20 submissions, 10 per chapter."""
    rows = [(student, chapter, kind) for chapter in (CH3, CH4) for student, kind in HONEST]
    rows += [(s, CH3, code) for s, (_, code) in HOSTILE.items()]
    rows += [(s, CH4, code) for s, (name, code) in HOSTILE.items() if name != "loop"]
    rows += [("pete", CH4, "flood")]
    return rows


def make_course(path, rows):
    (path / "solutions").mkdir(parents=True)
    shutil.copy(nbgrader_config(), path)
    for chapter in (CH3, CH4):
        shutil.copytree(solution_notebook(chapter).parent, solution_notebook(chapter, path).parent)
    for student, chapter, kind in rows:
        folder = path / "submitted" / student / chapter
        folder.mkdir(parents=True)
        write_learner_notebook(folder, chapter, answers=answers_for(chapter, kind))
    return path


def grade_class(course, *options, timeout=1800):
    completed = subprocess.run(
        [sys.executable, "-m", "resnet_lesson.cli", "grade-class", CH3, CH4, "--json"]
        + ["--timeout", TIMEOUT, "--memory-limit", MEMORY, *options],
        cwd=course,
        env=command_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 1, completed.stdout
    return json.loads(lines[0]), completed.stderr


def gradebook_scores(course):
    from resnet_lesson.grading.grade_class import gradebook as class_gradebook

    return class_gradebook.scores(class_gradebook.course_config(course), [CH3, CH4])


nbgrader = run_nbgrader


def stored_results(course):
    return {p: p.stat().st_mtime_ns for p in Path(course, ".grade-class").rglob("*.json")}


@pytest.fixture(scope="module")
def on_dask(tmp_path_factory):
    """The class graded on a Dask LocalCluster of 2 worker processes, uninterrupted."""
    from distributed import LocalCluster

    course = make_course(tmp_path_factory.mktemp("dask") / "course", class_submissions())
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result, err = grade_class(course, "--scheduler", cluster.scheduler_address)
    return course, result, err


@pytest.fixture(scope="module")
def local_killed_and_resumed(tmp_path_factory):
    """The class graded by 2 local workers, killed with SIGKILL part way, then resumed."""
    course = make_course(tmp_path_factory.mktemp("local") / "course", class_submissions())
    process = subprocess.Popen(
        [sys.executable, "-m", "resnet_lesson.cli", "grade-class", CH3, CH4, "--jobs", "2"]
        + ["--timeout", TIMEOUT, "--memory-limit", MEMORY],
        cwd=course,
        env=command_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and len(stored_results(course)) < 4:
        time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = stored_results(course)
    assert 4 <= len(before) < 20
    at_kill = gradebook_scores(course)  # what an instructor would have seen then
    result, err = grade_class(course, "--jobs", "2")
    return course, result, err, before, at_kill


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    """Stock ``nbgrader autograde`` on the honest submissions of one student of each kind."""
    rows = [(s, c, k) for s, c, k in class_submissions() if s in ("alice", "dave", "erin")]
    course = make_course(tmp_path_factory.mktemp("stock") / "course", rows)
    for chapter in (CH3, CH4):
        nbgrader(course, "generate_assignment", chapter)
        nbgrader(course, "autograde", chapter)
    return gradebook_scores(course)


def by_submission(result):
    return {(s["student"], s["chapter"]): s for s in result["submissions"]}


def test_a_run_killed_part_way_and_resumed_equals_an_uninterrupted_one(
    local_killed_and_resumed, on_dask
):
    local, _, _, before, at_kill = local_killed_and_resumed
    dask_course, dask_result, _ = on_dask
    assert len(dask_result["submissions"]) == 20
    assert gradebook_scores(local) == gradebook_scores(dask_course)
    assert len(gradebook_scores(local)) == 20
    # No half-written grade: what the gradebook held when the run was killed were whole
    # submissions, each with the grades it ends with.
    final = gradebook_scores(local)
    assert {key: final[key] for key in at_kill} == at_kill
    # What was graded before the kill was kept, not graded again.
    after = stored_results(local)
    assert all(after.get(path) == mtime for path, mtime in before.items())


def test_honest_submissions_score_exactly_as_stock_nbgrader(local_killed_and_resumed, stock):
    local = gradebook_scores(local_killed_and_resumed[0])
    assert len(stock) == 6
    for key, scores in stock.items():
        assert local[key] == scores, key
    for chapter in (CH3, CH4):
        for student in ("alice", "bob", "carol"):
            assert set(local[(student, chapter)].values()) != {0.0}
            assert local[(student, chapter)] == local[("alice", chapter)]


def test_each_hostile_submission_loses_only_the_cells_it_broke(local_killed_and_resumed):
    result = by_submission(local_killed_and_resumed[1])
    for student, (name, _) in HOSTILE.items():
        for chapter in (CH3, CH4):
            if (student, chapter) not in result:
                continue
            exercises = result[(student, chapter)]["exercises"]
            test = exercises[f"{EXERCISE[chapter]}_tests"]
            assert test["score"] == 0, (student, chapter)
            assert any(n in test["feedback"] for n in HOSTILE_NOTE[name]), (student, test)
            questions = [e for g, e in exercises.items() if g.endswith("_test")]
            assert questions and all(e["score"] == e["max_score"] for e in questions), student
    flooded = result[("pete", CH4)]["exercises"]
    assert flooded["pre_activation_tests"]["score"] == 0
    feedback = flooded["pre_activation_tests"]["feedback"]
    assert any(n in feedback for n in HOSTILE_NOTE["flood"]), feedback
    assert all(e["score"] == e["max_score"] for g, e in flooded.items() if g.endswith("_test"))
    graded = local_killed_and_resumed[0] / "autograded" / "pete" / CH4 / f"{CH4}.ipynb"
    assert graded.stat().st_size < 30_000_000
    assert "dropped by the grader" in graded.read_text()


def test_feedback_and_export_work_on_the_results(local_killed_and_resumed):
    course = local_killed_and_resumed[0]
    nbgrader(course, "generate_feedback", CH3)
    assert (course / "feedback" / "xavier" / CH3 / f"{CH3}.html").exists()
    nbgrader(course, "export")
    import csv

    with open(course / "grades.csv", newline="") as handle:
        exported = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(handle)}
    graded = gradebook_scores(course)
    assert len(graded) == 20
    for key, scores in graded.items():
        assert float(exported[key]["score"]) == pytest.approx(sum(scores.values())), key


def test_an_unchanged_notebook_is_not_graded_again_and_a_changed_one_is(
    local_killed_and_resumed,
):
    course = local_killed_and_resumed[0]
    before = stored_results(course)
    resubmitted = course / "submitted" / "erin" / CH3
    write_learner_notebook(resubmitted, CH3)  # erin fixed her answer
    result, _ = grade_class(course, "--jobs", "2")
    after = stored_results(course)
    changed = {p for p in after if before.get(p) != after[p]}
    assert [p.parent.parent.name + "/" + p.parent.name for p in changed] == [f"erin/{CH3}"]
    erin = by_submission(result)[("erin", CH3)]
    assert erin["score"] == erin["max_score"]
    assert gradebook_scores(course)[("erin", CH3)] == gradebook_scores(course)[("alice", CH3)]


def test_an_import_stopped_part_way_leaves_no_half_written_grade(tmp_path, monkeypatch):
    """nbgrader commits each cell's grade on its own; grade-class commits a submission's
    grades together, so a run killed during an import leaves the old grades or none."""
    import nbformat
    from nbgrader.preprocessors import SaveAutoGrades

    from resnet_lesson.grading.execute import error_output
    from resnet_lesson.grading.grade_class import gradebook as class_gradebook

    course = make_course(tmp_path / "course", [("alice", CH3, "correct")])
    config = class_gradebook.course_config(course)
    class_gradebook.ensure_assignment(course, config, CH3)
    graded = nbformat.read(solution_notebook(CH3, course), as_version=4)
    tests = [c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(tests) >= 2
    full = nbformat.writes(graded)  # no error output: every graded cell scores its points
    tests[0].outputs = [error_output("CheckFailed", "wrong")]
    failing = nbformat.writes(graded)

    calls = []
    real_add_score = SaveAutoGrades._add_score

    def killed_at_the_second_cell(self, cell, resources):
        calls.append(cell)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a kill between two of nbgrader's commits
        real_add_score(self, cell, resources)

    monkeypatch.setattr(SaveAutoGrades, "_add_score", killed_at_the_second_cell)
    with pytest.raises(KeyboardInterrupt):
        class_gradebook.import_result(course, config, "alice", CH3, full)
    assert class_gradebook.scores(config, [CH3]) == {}  # no submission at all

    monkeypatch.setattr(SaveAutoGrades, "_add_score", real_add_score)
    class_gradebook.import_result(course, config, "alice", CH3, full)
    before = class_gradebook.scores(config, [CH3])
    assert set(before[("alice", CH3)].values()) != {0.0}

    calls.clear()
    monkeypatch.setattr(SaveAutoGrades, "_add_score", killed_at_the_second_cell)
    with pytest.raises(KeyboardInterrupt):
        class_gradebook.import_result(course, config, "alice", CH3, failing)
    assert class_gradebook.scores(config, [CH3]) == before  # the old grades, whole

    monkeypatch.setattr(SaveAutoGrades, "_add_score", real_add_score)
    class_gradebook.import_result(course, config, "alice", CH3, failing)
    after = class_gradebook.scores(config, [CH3])[("alice", CH3)]
    name = tests[0].metadata["nbgrader"]["grade_id"]
    assert after[name] == 0.0 and after == {**before[("alice", CH3)], name: 0.0}
