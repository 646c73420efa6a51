"""``resnet-lesson grade NOTEBOOK [--json]``: grade a learner's notebook locally.

The notebook is graded by nbgrader's own autograde against the course's source notebook
of the same file name (``solutions/<chapter>/<chapter>.ipynb``), in a temporary course
folder with a temporary gradebook: the learner's file is only read, never written, and
nothing is left behind (an interrupted run leaves at most a folder in the system's
temporary directory, which the next run does not look at).

Before nbgrader sees the submission, a copy of it is tidied, with a note for each thing
found: a copied graded, test or read-only cell is graded once (the last copy, as nbgrader
does; the others run as ordinary cells), a deleted read-only or test cell is put back from
the course's copy, and an edited or emptied one is replaced by the course's version
(nbgrader's ``OverwriteCells`` does that last part). The preprocessors registered in
nbgrader_config.py keep the grading fair (``resnet_lesson/grading_preprocessors.py``).

Output: each graded cell's score and one sentence of feedback; with ``--json`` exactly one
JSON object ``{"notebook", "score", "max_score", "exercises": {grade_id: {"score",
"max_score", "feedback"}}}``, with one entry per graded cell (exercise checks such as
``regular_block_tests`` and the question tests such as ``regular_block_q1_test``). Notes
about the notebook go to stderr under ``--json``. The exit status is 0 whenever the
notebook was graded, whatever the score, and 2 when it could not be graded.

This module does not import TensorFlow or the model; the notebook's kernel does.
"""

import contextlib
import copy
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from resnet_lesson import grading_kernel

ROOT = Path(__file__).resolve().parent.parent
STUDENT = "learner"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class GradingError(Exception):
    """The notebook could not be graded; the message says why, in one line."""


@dataclass
class Result:
    notebook: str
    chapter: str
    exercises: dict = field(default_factory=dict)  # grade_id -> {score, max_score, feedback}
    notes: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self):
        return float(sum(e["score"] for e in self.exercises.values()))

    @property
    def max_score(self):
        return float(sum(e["max_score"] for e in self.exercises.values()))

    def as_json(self):
        return {"notebook": self.notebook, "score": self.score, "max_score": self.max_score,
                "exercises": self.exercises}


# -- finding and reading the notebooks ------------------------------------------------

def chapters(root=ROOT):
    """Chapter ids that have a source notebook in solutions/."""
    return sorted(p.parent.name for p in (root / "solutions").glob("*/*.ipynb")
                  if p.stem == p.parent.name)


def chapter_for(path, chapter=None, root=ROOT):
    known = chapters(root)
    if chapter is not None:
        if chapter not in known:
            raise GradingError(f"unknown chapter {chapter!r}; the course has: "
                               f"{', '.join(known)}")
        return chapter
    stem = Path(path).stem
    if stem in known:
        return stem
    # "ch06_regular_block (1).ipynb", "ch06_regular_block-Copy1.ipynb": a browser's copy
    prefixed = [c for c in known if stem.startswith(c)]
    if len(prefixed) == 1:
        return prefixed[0]
    raise GradingError(
        f"{Path(path).name}: no course notebook has this name, so there is nothing to grade "
        f"it against (expected one of: {', '.join(c + '.ipynb' for c in known)}; "
        "or pass --chapter)")


def read_notebook(path):
    """The learner's notebook as nbformat v4, or GradingError saying what is wrong."""
    import nbformat

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise GradingError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GradingError(f"{path}: is a folder, not a notebook") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GradingError(f"{path}: cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise GradingError(f"{path}: not a notebook: the file is not valid JSON "
                           f"({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) \
            or "nbformat" not in data:
        raise GradingError(f"{path}: not a Jupyter notebook (JSON without "
                           "'cells' and 'nbformat')")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises several kinds
        raise GradingError(f"{path}: not a readable Jupyter notebook ({error})") from None
    for cell in nb.cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise GradingError(f"{path}: not a readable Jupyter notebook (a cell of unknown "
                               "type)")
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        cell.setdefault("metadata", {})
        cell.setdefault("source", "")
    return nb


# -- tidying the submission ------------------------------------------------------------

def _meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) and meta.get("grade_id") else None


def _kind(meta):
    if meta.get("grade") and meta.get("locked"):
        return "test cell"
    if meta.get("solution"):
        return "answer cell"
    return "read-only cell"


def tidy(nb, release, source=None):
    """Return (notebook to grade, notes). ``release`` is the learner notebook as released.

    - a cell whose grade_id the course does not know (renamed) becomes an ordinary cell;
    - copies of a cell with the same grade_id: the last copy keeps its nbgrader role, the
      others lose it (they still run, as ordinary cells);
    - read-only and test cells missing from the submission are put back, after the
      course cell that precedes them;
    - edited or emptied read-only and test cells are noted here; nbgrader's OverwriteCells
      runs the course's version.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    notes = []
    released = {}
    order = []
    known_sources = {}
    for cell in (source.cells if source is not None else []):
        meta = _meta(cell)
        if meta:
            known_sources[meta["grade_id"]] = cell.source.strip()
    for cell in release.cells:
        meta = _meta(cell)
        if meta:
            released[meta["grade_id"]] = cell
            order.append(meta["grade_id"])

    for cell in nb.cells:
        meta = _meta(cell)
        if meta and meta["grade_id"] not in released:
            del cell.metadata["nbgrader"]
            notes.append(f"a cell has the unknown grade_id '{meta['grade_id']}' (renamed?): "
                         "it runs as an ordinary cell.")
        elif "nbgrader" in cell.get("metadata", {}) and not meta:
            del cell.metadata["nbgrader"]  # broken nbgrader metadata: an ordinary cell

    positions = {}
    for index, cell in enumerate(nb.cells):
        meta = _meta(cell)
        if meta:
            positions.setdefault(meta["grade_id"], []).append(index)
    for grade_id, indexes in positions.items():
        if len(indexes) > 1:
            for index in indexes[:-1]:
                del nb.cells[index].metadata["nbgrader"]
                for key in ("deletable", "editable"):
                    nb.cells[index].metadata.pop(key, None)
            kind = _kind(_meta(nb.cells[indexes[-1]]))
            notes.append(f"{kind} '{grade_id}' appears {len(indexes)} times (copied?): the "
                         "last copy counts, the others run as ordinary cells.")

    for grade_id in order:
        course_cell = released[grade_id]
        meta = course_cell.metadata["nbgrader"]
        kind = _kind(meta)
        found = [c for c in nb.cells if (_meta(c) or {}).get("grade_id") == grade_id]
        if found:
            cell = found[0]
            if meta.get("locked") and cell.source.strip() not in (
                    course_cell.source.strip(), known_sources.get(grade_id)):
                state = "emptied" if not cell.source.strip() else "edited"
                notes.append(f"{kind} '{grade_id}' was {state}: the course's version was "
                             "run instead.")
            elif meta.get("locked") and cell.cell_type != course_cell.cell_type:
                notes.append(f"{kind} '{grade_id}' was changed into a {cell.cell_type} cell: "
                             "the course's version was run instead.")
            continue
        if not meta.get("locked"):
            notes.append(f"{kind} '{grade_id}' is missing: its exercise is graded on "
                         "whatever the other cells define.")
            continue
        restored = nbformat.from_dict(copy.deepcopy(dict(course_cell)))
        if restored.cell_type == "code":
            restored.outputs = []
            restored.execution_count = None
        before = order[:order.index(grade_id)]
        index = 0
        for previous in reversed(before):
            hits = [i for i, c in enumerate(nb.cells)
                    if (_meta(c) or {}).get("grade_id") == previous]
            if hits:
                index = hits[-1] + 1
                break
        nb.cells.insert(index, restored)
        notes.append(f"{kind} '{grade_id}' was missing: the course's version was put back.")
    return nb, notes


# -- running nbgrader ------------------------------------------------------------------

def _config(course, timeout):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config(PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config())
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    # The kernel's own process output (TensorFlow's C++ start-up lines) is not part of
    # the grade; keep it out of the learner's terminal.
    config.Execute.kernel_output = str(_kernel_output(course))
    if timeout is not None:
        config.Execute.timeout = int(timeout)
        config.ExecuteWithTimeoutBudget.timeout_after_a_timeout = min(
            int(timeout),
            int(config.ExecuteWithTimeoutBudget.get("timeout_after_a_timeout", 30)))
    return config


def _kernel_output(course):
    return course / "kernel-output.log"


def nbgrader_environment(environ):
    """``environ`` as nbgrader needs it: this Python's bin first on PATH (nbgrader runs
    ``alembic`` from it), TensorFlow's C++ log quiet, and no pytest marker (ipykernel stops
    copying fd-level output into cells when it sees one; a grade must not depend on who
    started the grader)."""
    env = dict(environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


@contextlib.contextmanager
def _grading_environment():
    """This process in :func:`nbgrader_environment`, restored afterwards."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(nbgrader_environment(saved))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _last_error_line(log):
    lines = [line.strip() for line in ANSI.sub("", log or "").splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "Error" in line]
    return (errors or lines or ["(no log)"])[-1]


def _alembic_head():
    """The gradebook schema version, found in-process.

    nbgrader asks for it by running ``alembic heads`` as a subprocess whenever it makes a
    new gradebook (a second Python start-up per grading); this reads the same value from
    nbgrader's own migration scripts.
    """
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = AlembicConfig()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def _autograde(course, chapter, timeout):
    import nbgrader.api
    from nbgrader.apps import NbGraderAPI

    try:
        head = _alembic_head()
    except Exception:  # another alembic layout: let nbgrader run its subprocess
        pass
    else:
        nbgrader.api.get_alembic_version = lambda: head

    config = _config(course, timeout)
    api = NbGraderAPI(config=config)
    api.log.setLevel(logging.ERROR)
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's sessions
        generated = api.generate_assignment(chapter)
        if not generated["success"]:
            raise GradingError(f"nbgrader could not prepare {chapter}: "
                               f"{_last_error_line(generated['log'])}")
        graded = api.autograde(chapter, STUDENT, force=True, create=True)
    if os.environ.get("RESNET_LESSON_GRADE_LOG"):  # for debugging the grader itself
        Path(os.environ["RESNET_LESSON_GRADE_LOG"]).write_text(graded["log"])
    if not graded["success"]:
        raise GradingError(f"nbgrader could not grade the notebook: "
                           f"{_last_error_line(graded['log'])}")
    return config


def _scores(config, chapter):
    from nbgrader.api import Gradebook

    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        notebook = gb.find_submission_notebook(chapter, chapter, STUDENT)
        return {grade.name: (float(grade.score or 0.0), float(grade.max_score))
                for grade in notebook.grades}


# -- feedback ---------------------------------------------------------------------------

def _clean(text):
    return ANSI.sub("", text).strip()


def _first_error_line(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = [_clean(line) for line in output.get("traceback", []) if _clean(line)]
            last = lines[-1].splitlines()[-1].strip() if lines else ""
            name, value = output.get("ename", ""), output.get("evalue", "")
            return last if last.startswith(name) else f"{name}: {value}"
    return None


def explain_name_errors(graded, feedback):
    """Add the failing cell's error to a NameError in a later graded cell."""
    failing = None
    for cell in graded.cells:
        meta = _meta(cell) or {}
        if cell.cell_type != "code":
            continue
        if meta.get("grade") and meta["grade_id"] in feedback:
            text = feedback[meta["grade_id"]]
            if text.startswith("NameError") and failing is not None:
                where, error = failing
                feedback[meta["grade_id"]] = (f"{text}: the earlier {where} failed with "
                                              f"{error}")
            continue
        error = _first_error_line(cell)
        if error is not None:
            where = f"cell '{meta['grade_id']}'" if meta else "cell"
            failing = (where, error)
    return feedback


def feedback_for(cell, timeout):
    """One sentence about a graded cell of the autograded notebook."""
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        name = output.get("ename", "")
        if name in ("CellTimeoutError", "KeyboardInterrupt", "DeadKernelError"):
            return (f"stopped after {timeout} s without finishing: does your code loop "
                    "forever (a `while` whose condition never becomes false)?"
                    if name != "DeadKernelError" else
                    "the kernel died while running this check (out of memory?).")
        lines = [_clean(line) for line in output.get("traceback", []) if _clean(line)]
        if name in ("CheckFailed", "GradingEnvironmentChanged") and lines:
            return lines[-1].lstrip("\u274c ").strip()
        last = lines[-1].splitlines()[-1].strip() if lines else ""
        if last.startswith(name):
            return last
        evalue = output.get("evalue", "")
        return f"{name}: {evalue}" if evalue else name
    texts = [_clean(o.get("text", "")) for o in cell.get("outputs", [])
             if o.get("output_type") == "stream" and o.get("name") == "stdout"]
    lines = [line for text in texts for line in text.splitlines()
             if line.strip() and not line.startswith("[stderr")]
    successes = [line for line in lines if line.startswith("\u2705")]
    return (successes or ["passed"])[-1].lstrip("\u2705 ").strip()


def _graded_cells(nb):
    for cell in nb.cells:
        meta = _meta(cell)
        if meta and meta.get("grade") and cell.cell_type == "code":
            yield meta["grade_id"], cell


# -- the command -------------------------------------------------------------------------

def _skip_slow_optional_imports():
    """Keep jsonschema from loading ``rfc3987_syntax`` when nbformat is imported.

    jsonschema imports it, if installed, only to check the "iri" string format, which no
    notebook or nbgrader schema uses; it builds a grammar at import time and was the
    largest part of the grader's start-up (about 1 s of 2). Marking it absent makes
    jsonschema skip that one checker (its import is wrapped in ``suppress(ImportError)``).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def grade(notebook_path, chapter=None, timeout=None):
    """Grade one notebook; return a Result. Raises GradingError when it cannot."""
    started = time.perf_counter()
    config_timeout = timeout
    with tempfile.TemporaryDirectory(prefix="resnet-lesson-grade-") as scratch, \
            _grading_environment():
        course = Path(scratch)
        # The kernel starts first and imports TensorFlow while the submission is read and
        # nbgrader prepares (grading_kernel.py); bad input stops it again at once.
        grading_kernel.start(course, {**os.environ, "NBGRADER_EXECUTION": "autograde"},
                             _kernel_output(course))
        try:
            _skip_slow_optional_imports()
            import nbformat

            submission = read_notebook(notebook_path)
            chapter = chapter_for(notebook_path, chapter)
            source_file = ROOT / "solutions" / chapter / f"{chapter}.ipynb"
            release_file = ROOT / "notebooks" / chapter / f"{chapter}.ipynb"
            release = nbformat.read(release_file if release_file.exists() else source_file,
                                    as_version=4)
            tidied, notes = tidy(submission, release, nbformat.read(source_file, as_version=4))
            (course / "solutions" / chapter).mkdir(parents=True)
            shutil.copy2(source_file, course / "solutions" / chapter / source_file.name)
            submitted = course / "submitted" / STUDENT / chapter
            submitted.mkdir(parents=True)
            nbformat.write(tidied, submitted / f"{chapter}.ipynb")
            config = _autograde(course, chapter, timeout)
        finally:
            grading_kernel.shut_down()
        if config_timeout is None:
            config_timeout = config.Execute.get("timeout", 30)
        scores = _scores(config, chapter)
        graded_file = course / "autograded" / STUDENT / chapter / f"{chapter}.ipynb"
        graded = nbformat.read(graded_file, as_version=4)
    result = Result(notebook=str(notebook_path), chapter=chapter, notes=notes)
    cells = dict(_graded_cells(graded))
    source = nbformat.read(source_file, as_version=4)
    for grade_id, _ in _graded_cells(source):
        score, max_score = scores.get(grade_id, (0.0, 0.0))
        cell = cells.get(grade_id)
        feedback = feedback_for(cell, config_timeout) if cell is not None else "not graded"
        if score < max_score and cell is not None and _first_error_line(cell) is None:
            stderr = [_clean(o.get("text", "")) for o in cell.get("outputs", [])
                      if o.get("output_type") == "stream" and o.get("name") == "stderr"]
            stderr = [line for text in stderr for line in text.splitlines() if line.strip()]
            feedback = ("no points although the check raised nothing: the cell wrote to "
                        f"stderr ({stderr[0]})" if stderr else
                        "no points: the check did not pass.")
        result.exercises[grade_id] = {"score": score, "max_score": max_score,
                                      "feedback": feedback}
    explained = explain_name_errors(graded, {g: e["feedback"] for g, e in
                                             result.exercises.items()})
    for grade_id, text in explained.items():
        result.exercises[grade_id]["feedback"] = text
    result.seconds = time.perf_counter() - started
    return result


def format_text(result):
    width = max([len(g) for g in result.exercises] + [10])
    lines = [f"Graded {result.notebook} against solutions/{result.chapter}/"
             f"{result.chapter}.ipynb:"]
    lines += [f"note: {note}" for note in result.notes]
    for grade_id, entry in result.exercises.items():
        mark = "\u2713" if entry["score"] >= entry["max_score"] else "\u2717"
        lines.append(f"  {mark} {grade_id:<{width}} {entry['score']:g} / "
                     f"{entry['max_score']:g}  {entry['feedback']}")
    lines.append(f"Total: {result.score:g} / {result.max_score:g} "
                 f"({result.seconds:.1f} s)")
    return "\n".join(lines)


def add_arguments(parser):
    parser.add_argument("notebook", help="the learner's notebook, e.g. "
                        "notebooks/ch06_regular_block/ch06_regular_block.ipynb")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object with the scores and feedback")
    parser.add_argument("--chapter", help="grade against this chapter (default: the "
                        "chapter whose notebook has the same file name)")
    parser.add_argument("--timeout", type=int, default=None, metavar="SECONDS",
                        help="seconds a cell may run before it is stopped (default: "
                        "Execute.timeout in nbgrader_config.py, 120)")


def _stop_on_sigterm():
    """Turn SIGTERM into KeyboardInterrupt, so the kernel and the temporary folder go too."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        pass


def run(args):
    _stop_on_sigterm()
    try:
        result = grade(args.notebook, chapter=args.chapter, timeout=args.timeout)
    except GradingError as error:
        print(f"resnet-lesson grade: {error}", file=sys.stderr)
        return 2
    if args.json:
        for note in result.notes:
            print(f"note: {note}", file=sys.stderr)
        print(json.dumps(result.as_json()))
    else:
        print(format_text(result))
    return 0


if __name__ == "__main__":
    from resnet_lesson.cli import run_as_module

    run_as_module("grade")
