"""Regenerate the course: authoring/ scripts -> solutions/ -> notebooks/ (via nbgrader).

``resnet-lesson release`` (or ``make notebooks``) rewrites a solutions notebook only when
its script produces something different, then runs nbgrader's own
``generate_assignment`` into a temporary folder and copies the result into
``notebooks/``. A learner's work is never overwritten: a learner notebook that has been
run or answered stops the release unless ``--force``, and even then the file is first
copied to ``<name>.ipynb.bak``.
"""

import importlib.util
import shutil
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
AUTHORING = ROOT / "authoring"
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"


def chapter_scripts():
    return sorted(AUTHORING.glob("ch[0-9][0-9]_*.py"))


def build_source(script):
    """Run one authoring script's ``build()``; return (chapter_id, notebook)."""
    spec = importlib.util.spec_from_file_location(script.stem, script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return script.stem, module.build()


def source_path(chapter_id, root=ROOT):
    return root / "solutions" / chapter_id / f"{chapter_id}.ipynb"


def release_path(chapter_id, root=ROOT):
    return root / "notebooks" / chapter_id / f"{chapter_id}.ipynb"


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


def generate_release(chapter_id, source_root=ROOT):
    """nbgrader generate_assignment for one chapter, in a scratch course; return the text."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    with tempfile.TemporaryDirectory(prefix="resnet-lesson-release-") as scratch:
        scratch = Path(scratch)
        shutil.copytree(source_root / "solutions" / chapter_id,
                        scratch / "solutions" / chapter_id)
        config = Config(PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config())
        config.CourseDirectory.root = str(scratch)
        config.CourseDirectory.db_url = f"sqlite:///{scratch / 'gradebook.db'}"
        api = NbGraderAPI(config=config)
        result = api.generate_assignment(chapter_id)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {chapter_id}:\n{result['log']}")
        return release_path(chapter_id, scratch).read_text()


def release(force=False, only=None, root=ROOT):
    """Regenerate the chapters (all, or those in ``only``) under ``root``; return paths written."""
    changed = []
    for script in chapter_scripts():
        if only and script.stem not in only:
            continue
        chapter_id, nb = build_source(script)
        if write_if_changed(source_path(chapter_id, root), nbformat.writes(nb) + "\n"):
            changed.append(str(source_path(chapter_id, root).relative_to(root)))
        target = release_path(chapter_id, root)
        if learner_edited(target):
            if not force:
                raise SystemExit(
                    f"{target.relative_to(root)} holds your work (cells run or answers "
                    "written); nothing was overwritten. Copy your work elsewhere first, or "
                    "pass --force (your file is then kept as .ipynb.bak).")
            shutil.copy2(target, target.with_suffix(".ipynb.bak"))
        if write_if_changed(target, generate_release(chapter_id, root)):
            changed.append(str(target.relative_to(root)))
    return changed


def add_arguments(parser):
    parser.add_argument("chapters", nargs="*", help="chapter ids (default: all)")
    parser.add_argument("--force", action="store_true",
                        help="regenerate learner notebooks that hold work (kept as .ipynb.bak)")


def run(args):
    changed = release(force=args.force, only=set(args.chapters) or None)
    print("\n".join(f"wrote {path}" for path in changed) or "everything was up to date")
    return 0


if __name__ == "__main__":
    from resnet_lesson.cli import run_as_module

    run_as_module("release")
