"""The course part of ``resnet-lesson bench``: seconds to execute every solution notebook
and chapter 11's time to its target accuracy."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from resnet_lesson.bench.common import say, solution_notebooks
from resnet_lesson.bench.grading import nbgrader_env
from resnet_lesson.course import ROOT


def _execute(path, timeout=600):
    import nbformat
    from nbclient import NotebookClient

    from resnet_lesson.grading.kernel import KERNEL_ARGUMENTS

    nb = nbformat.read(path, as_version=4)
    # The kernel arguments grading uses: no ipykernel note about local TCP on stderr.
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        extra_arguments=list(KERNEL_ARGUMENTS),
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    errors = sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
        or (out.get("output_type") == "stream" and out.get("name") == "stderr")
    )
    return elapsed, errors


def bench_course(chapters=None, training=True, quiet=False):
    """Seconds to execute every solution notebook; chapter 11's time to target."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    notebooks = solution_notebooks()
    if chapters:
        notebooks = [p for p in notebooks if p.parent.name in chapters]
    per_chapter = {}
    for path in notebooks:
        elapsed, problems = _execute(path)
        per_chapter[path.parent.name] = {"seconds": elapsed, "stderr_or_errors": problems}
        say(f"  executed {path.parent.name}: {elapsed:.1f} s", quiet)
    result = {"chapters": per_chapter, "total_s": sum(c["seconds"] for c in per_chapter.values())}
    if training:
        result["training"] = _bench_training(quiet)
    return result


def _bench_training(quiet):
    """Chapter 11's training to the course's target (benchmarks/time_to_target.py)."""
    script = ROOT / "benchmarks" / "time_to_target.py"
    if not (ROOT / "resnet_lesson" / "training.py").exists() or not script.exists():
        return {
            "available": False,
            "why": "resnet_lesson/training.py or benchmarks/time_to_target.py is missing",
        }
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    wall = time.perf_counter() - start
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            data = json.loads(line[len("BENCH-JSON ") :])
            data.update(available=True, process_seconds=wall)
            say(f"  chapter 11 training: {data.get('reached')}", quiet)
            return data
    return {
        "available": False,
        "why": f"training run failed: {(done.stderr or done.stdout).strip()[-300:]}",
    }


def format_course(result):
    lines = [
        f"course: executed {len(result['chapters'])} solution notebook(s) in "
        f"{result['total_s']:.1f} s"
    ]
    for name, data in result["chapters"].items():
        flag = (
            ""
            if not data["stderr_or_errors"]
            else f"  ({data['stderr_or_errors']} error/stderr output(s)!)"
        )
        lines.append(f"  {name}: {data['seconds']:.1f} s{flag}")
    training = result.get("training")
    if training is not None:
        if training.get("available") and training.get("reached"):
            reached = training["reached"]
            lines.append(
                f"  chapter 11 time to target ({training['setup']}, test accuracy >= "
                f"{training['target']:.0%}): {reached['seconds']:.1f} s of training, "
                f"epoch {reached['epoch']} of {training['epoch_budget']} "
                f"(test accuracy {reached['test_accuracy']:.4f}; whole process "
                f"{training['process_seconds']:.1f} s)"
            )
        elif training.get("available"):
            last = training["curve"][-1] if training["curve"] else None
            lines.append(
                f"  chapter 11 time to target ({training['setup']}): target "
                f"{training['target']:.0%} NOT reached in {training['epoch_budget']}"
                f" epochs (last: {last})"
            )
        else:
            lines.append(f"  chapter 11 training: not measured ({training['why']})")
    return "\n".join(lines)
