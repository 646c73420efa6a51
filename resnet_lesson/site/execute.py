"""Run each learner notebook once, top to bottom, into a folder of the site's build.

The site shows what a learner sees after Run All on the notebook as released: the
unanswered exercises fall back to the course's reference, so every figure is drawn, and
no solution is in the notebook to show. The notebook in ``notebooks/`` is only read.

A run is kept with the SHA-256 of what it depends on (the learner notebook and the
course package's code): ``make site`` runs again only the chapters that changed.
"""

import hashlib
import os
import time
from pathlib import Path

import nbformat

from resnet_lesson import course

# Chapters 1 and 11 train networks in single cells: minutes on a busy 2-core machine.
CELL_TIMEOUT_S = 1800
PACKAGE = Path(__file__).resolve().parent.parent
STAMP = "resnet_lesson_site"  # the notebook metadata key that records what a run used


def package_digest():
    """The SHA-256 of the course package's Python files that notebooks import (all but
    this website's own code)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] == "site":
            continue
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_key(chapter_id, root=course.ROOT):
    source = course.learner_notebook(chapter_id, root).read_bytes()
    return {"notebook_sha256": hashlib.sha256(source).hexdigest(), "package": package_digest()}


def kernel_environment():
    """The environment of a learner's kernel: TensorFlow's C++ start-up lines quiet, and
    no pytest marker (under it ipykernel stops copying fd-level output into cells)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    return env


def execute_chapter(chapter_id, folder, root=course.ROOT, log=print):
    """``folder/<chapter_id>.ipynb``: the chapter's learner notebook after Run All, run in
    ``folder`` (what a cell writes lands there). Reuses an earlier run with the same key.
    Raises ``nbclient``'s ``CellExecutionError`` when a cell fails: the site must not
    show a broken chapter."""
    import nbclient

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{chapter_id}.ipynb"
    key = run_key(chapter_id, root)
    if target.exists():
        kept = nbformat.read(target, as_version=4)
        if kept.metadata.get(STAMP) == key:
            log(f"{chapter_id}: unchanged, its earlier run is kept")
            return target
    nb = nbformat.read(course.learner_notebook(chapter_id, root), as_version=4)
    started = time.monotonic()
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        shutdown_kernel="immediate",
    )
    client.execute(env=kernel_environment())
    nb.metadata[STAMP] = key
    nbformat.write(nb, target)
    log(f"{chapter_id}: ran in {time.monotonic() - started:.0f} s")
    return target


def execute_all(folder, chapters=None, root=course.ROOT, log=print):
    """Every chapter (or ``chapters``), one after the other: each uses every core."""
    return [execute_chapter(c, folder, root, log) for c in (chapters or course.chapter_ids(root))]
