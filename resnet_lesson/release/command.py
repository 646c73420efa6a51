"""``resnet-lesson release``: chapters/ -> solutions/ -> notebooks/ (via nbgrader).

Each chapter source (``chapters/chNN_*.py``, see ``resnet_lesson.release.chapter``)
becomes its nbgrader source notebook in ``solutions/``, rewritten only when it changes;
nbgrader's own ``generate_assignment`` then runs in a scratch course and its result is
copied into ``notebooks/``. A learner's work is never overwritten: a learner notebook
that has been run or answered stops the release unless ``--force``, and even then the
file is first copied to ``<name>.ipynb.bak``. ``--check`` writes nothing and lists the
generated notebooks that are out of date (for a pre-commit hook and CI).

solutions/ also stores the outputs nbval compares (``resnet_lesson.release.outputs``): a
release keeps them, ``--store-outputs`` runs the chapter and stores new ones, and
``--check`` ignores them but lists the compared cells that have none.
"""

import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from resnet_lesson import course
from resnet_lesson.release import outputs
from resnet_lesson.release.chapter import build_source


def _text(nb):
    return nbformat.writes(nb) + "\n"


def solution_text(chapter_source):
    """(chapter_id, the text of its nbgrader source notebook, without stored outputs)."""
    chapter_id, nb = build_source(chapter_source)
    return chapter_id, _text(nb)


def _committed(path):
    """The notebook at ``path``, or None when there is none."""
    return nbformat.read(str(path), as_version=4) if path.exists() else None


def solution_differs(path, solution):
    """Whether the solution notebook at ``path`` differs from the text ``solution``, its
    stored outputs aside."""
    committed = _committed(path)
    return committed is None or _text(outputs.without_outputs(committed)) != solution


def write_if_changed(path, text):
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True


def learner_edited(path):
    """True when the learner notebook at ``path`` holds a learner's work.

    A freshly generated release has no outputs and every answer cell still matches the
    checksum nbgrader recorded for its stub; anything else (a cell run, an answer typed,
    a file that no longer parses) counts as work to keep.
    """
    if not path.exists():
        return False
    from nbgrader.utils import compute_checksum

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:
        return True
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            return True
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("checksum") != compute_checksum(cell):
            return True
    return False


def generate_release(chapter_id, solution):
    """nbgrader generate_assignment on the source notebook text ``solution``, in a scratch
    course; return the learner notebook's text."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    with tempfile.TemporaryDirectory(prefix="resnet-lesson-release-") as scratch:
        scratch = Path(scratch)
        course.solution_notebook(chapter_id, scratch).parent.mkdir(parents=True)
        course.solution_notebook(chapter_id, scratch).write_text(solution)
        # The course's nbgrader settings, used for every release (also of a scratch course).
        config = Config(
            PyFileConfigLoader(course.NBGRADER_CONFIG, path=str(course.ROOT)).load_config()
        )
        config.CourseDirectory.root = str(scratch)
        config.CourseDirectory.db_url = course.gradebook_url(scratch)
        api = NbGraderAPI(config=config)
        result = api.generate_assignment(chapter_id)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {chapter_id}:\n{result['log']}")
        return course.learner_notebook(chapter_id, scratch).read_text()


def _chosen(root, only):
    return [path for path in course.chapter_sources(root) if not only or path.stem in only]


def release(force=False, only=None, root=None, store_outputs=False):
    """Regenerate the chapters (all, or those in ``only``) under ``root``; return paths written.

    The solutions keep their stored outputs; ``store_outputs`` runs each chosen chapter
    and stores the outputs nbval compares instead.
    """
    root = course.ROOT if root is None else root
    changed = []
    for chapter_source in _chosen(root, only):
        chapter_id, solution = solution_text(chapter_source)
        path = course.solution_notebook(chapter_id, root)
        built = nbformat.reads(solution, as_version=4)
        if store_outputs:
            print(f"running {chapter_id} to store its outputs", flush=True)
            with_outputs = outputs.refresh(built, path.parent)
        else:
            committed = _committed(path)
            with_outputs = built if committed is None else outputs.keep_stored(built, committed)
        if write_if_changed(path, _text(with_outputs)):
            changed.append(str(path.relative_to(root)))
        target = course.learner_notebook(chapter_id, root)
        if learner_edited(target):
            if not force:
                raise SystemExit(
                    f"{target.relative_to(root)} holds your work (cells run or answers "
                    "written); nothing was overwritten. Copy your work elsewhere first, or "
                    "pass --force (your file is then kept as .ipynb.bak)."
                )
            shutil.copy2(target, target.with_suffix(".ipynb.bak"))
        if write_if_changed(target, generate_release(chapter_id, solution)):
            changed.append(str(target.relative_to(root)))
    return changed


def out_of_date(only=None, root=None):
    """The generated notebooks (paths relative to ``root``) that differ from what their
    chapter sources give now (stored outputs aside); writes nothing."""
    root = course.ROOT if root is None else root
    stale = []
    for chapter_source in _chosen(root, only):
        chapter_id, solution = solution_text(chapter_source)
        path = course.solution_notebook(chapter_id, root)
        if solution_differs(path, solution):
            stale.append(str(path.relative_to(root)))
        target = course.learner_notebook(chapter_id, root)
        if not target.exists() or target.read_text() != generate_release(chapter_id, solution):
            stale.append(str(target.relative_to(root)))
    return stale


def without_stored_outputs(only=None, root=None):
    """{solution path relative to ``root``: ids of the cells nbval compares that have no
    stored output}, for the chapters whose solution is up to date."""
    root = course.ROOT if root is None else root
    lacking = {}
    for chapter_source in _chosen(root, only):
        chapter_id = chapter_source.stem
        committed = _committed(course.solution_notebook(chapter_id, root))
        if committed is not None and outputs.missing(committed):
            path = course.solution_notebook(chapter_id, root).relative_to(root)
            lacking[str(path)] = outputs.missing(committed)
    return lacking


def add_arguments(parser):
    parser.add_argument("chapters", nargs="*", help="chapter ids (default: all)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="regenerate learner notebooks that hold work (kept as .ipynb.bak)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing the generated notebooks that are out of date "
        "and the solutions' cells that nbval compares but that have no stored output",
    )
    parser.add_argument(
        "--store-outputs",
        action="store_true",
        help="run each chosen chapter's solution notebook (as nbval does in `make test`) "
        "and store the outputs nbval compares; after editing a chapter",
    )


def run(args):
    only = set(args.chapters) or None
    if args.check:
        stale = out_of_date(only=only)
        for path in stale:
            print(f"{path} is out of date: run `resnet-lesson release`", file=sys.stderr)
        lacking = without_stored_outputs(only=only)
        for path, cells in lacking.items():
            chapter_id = Path(path).parent.name
            print(
                f"{path}: no stored output for {', '.join(cells)}, so nbval would not compare "
                f"them: run `resnet-lesson release --store-outputs {chapter_id}`",
                file=sys.stderr,
            )
        return 1 if stale or lacking else 0
    changed = release(force=args.force, only=only, store_outputs=args.store_outputs)
    print("\n".join(f"wrote {path}" for path in changed) or "everything was up to date")
    return 0
