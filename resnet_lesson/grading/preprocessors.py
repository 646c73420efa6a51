"""nbgrader preprocessors that keep autograding fair; nbgrader_config.py registers them.

They run in both grading paths: ``resnet-lesson grade`` and the stock ``nbgrader autograde``
an instructor runs from the repository root.

- ``GuardGradedCells`` puts one line at the top of every graded cell that re-loads the
  course's checking code from disk and stops when the notebook replaced functions the
  checks rely on (see ``resnet_lesson/grading/guard.py``); ``UnguardGradedCells`` takes
  it out again after the run, so the feedback shows the cells as written.
- ``ExecuteWithTimeoutBudget`` (``execute.py``) is nbgrader's Execute with the course's
  timeouts, its early kernel, recovery from a dead kernel, an output limit, and the
  ungraded experiments skipped.
- ``FairStderr``: nbgrader gives zero to a graded cell that wrote anything to stderr. Our
  checks say "wrong" by raising (``CheckFailed``), never by writing to stderr, so in a
  graded cell that raised nothing, stderr text (a warning from a correct answer, a
  library's log line) is kept, marked, as ordinary output instead of costing the points.
  A graded cell that raised keeps its stderr and its zero.
- ``StripHiddenTests`` (feedback, not grading): nbgrader's ``ClearHiddenTests`` applied to
  the graded test cells of an autograded notebook, so the feedback a learner gets shows
  each check as released, with its verdict and score, never the hidden tests or their
  markers (``GenerateFeedback.preprocessors`` in nbgrader_config.py, and ``resnet-lesson
  grade --graded-copy``).

Importing this module does not import TensorFlow.
"""

import json
import re
import sysconfig
from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

from resnet_lesson.grading.autograde import ANSI

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the resnet_lesson package
GUARD_FILE = PACKAGE_DIR / "grading" / "guard.py"
GUARD_MARK = "# [resnet-lesson grader]"
STDERR_NOTE = "[stderr from a passing check, not counted against it]\n"


def allowed_roots():
    """Folders whose code counts as a library's own: site-packages and the stdlib."""
    paths = sysconfig.get_paths()
    roots = {
        str(Path(paths[key]).resolve())
        for key in ("purelib", "platlib", "stdlib", "platstdlib")
        if key in paths
    }
    roots |= {paths[key] for key in ("purelib", "platlib", "stdlib", "platstdlib") if key in paths}
    return sorted(roots)


def guard_line():
    """The lines put at the top of each graded cell.

    They name nothing the notebook could have redefined: Python's own builtins are
    reached through the interpreter's import machinery (the first class named
    ``BuiltinImporter`` is the interpreter's, created before any notebook code), and
    ``exec``, ``compile`` and ``open`` must be the interpreter's built-in functions
    before the guard is run with them. A notebook that shadows or replaces them gets a
    cell that stops with a sentence, never a check that did not run.
    """
    names = {
        "PACKAGE_DIR": str(PACKAGE_DIR),
        "ALLOWED_ROOTS": allowed_roots(),
        "__name__": "_resnet_lesson_grading_guard",
    }
    guard = repr(str(GUARD_FILE))
    builtin = "[].append.__class__"  # the type of a built-in function, reached by no name
    return (
        f"{GUARD_MARK} fresh checking code from disk (docs/grading-threat-model.md)\n"
        "_resnet_lesson_builtins = [c for c in ().__class__.__base__.__subclasses__() if "
        'c.__name__ == "BuiltinImporter"][0].find_spec.__func__.__globals__["__builtins__"]\n'
        "if not (\n"
        + "".join(
            f'    _resnet_lesson_builtins["{name}"].__class__ is {builtin} and '
            f'_resnet_lesson_builtins["{name}"].__name__ == "{name}" and\n'
            for name in ("exec", "compile", "open")
        )
        + "    True):\n"
        '    raise _resnet_lesson_builtins["RuntimeError"]("grading stopped: code in this '
        "notebook replaced Python's exec, compile or open, which grading needs; this cell "
        'scores 0.")\n'
        '_resnet_lesson_builtins["exec"](_resnet_lesson_builtins["compile"]('
        f'_resnet_lesson_builtins["open"]({guard}, encoding="utf-8").read(), {guard}, "exec"), '
        f'{json.dumps(names)[:-1]}, "__builtins__": _resnet_lesson_builtins}})\n'
        "del _resnet_lesson_builtins\n"
    )


class GuardGradedCells(NbGraderPreprocessor):
    """Prepend the guard line to every graded code cell (autograde only)."""

    def preprocess_cell(self, cell, resources, index):
        if (
            cell.cell_type == "code"
            and utils.is_grade(cell)
            and not cell.source.startswith(GUARD_MARK)
        ):
            cell.source = guard_line() + cell.source
        return cell, resources


class UnguardGradedCells(NbGraderPreprocessor):
    """Take the guard line out again once the cells have run (autograde only): the
    autograded notebook and the feedback made from it show each cell as the course wrote
    it, not a line of the grading machine's paths. (A traceback's line numbers in such a
    cell still count the guard's lines.)"""

    def preprocess_cell(self, cell, resources, index):
        guard = guard_line()
        if cell.cell_type == "code" and cell.source.startswith(guard):
            cell.source = cell.source[len(guard) :]
        return cell, resources


class FairStderr(NbGraderPreprocessor):
    """In a graded cell without an error, turn stderr into marked ordinary output."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not utils.is_grade(cell):
            return cell, resources
        if any(output.output_type == "error" for output in cell.outputs):
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                output.name = "stdout"
                output.text = STDERR_NOTE + output.text
        return cell, resources


# How IPython's traceback numbers a cell's lines: "----> 7 code" at the failing line,
# "      8 code" around it.
LINE_NUMBER_GUTTER = re.compile(r"^(?:-*>\s*)?\d+\s")


class StripHiddenTests(ClearHiddenTests):
    """Remove the hidden-test region (markers included) from each graded test cell.

    For feedback: an autograded notebook holds the course's test cells in full (nbgrader
    restored them from the gradebook to run them). The learner's own cells are left as
    they are, even if they contain the markers. A check stopped inside the hidden part
    (a timeout) has a traceback that quotes the cell's lines around the failing one:
    those that quote a hidden line are dropped too; the error's last line stays.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            return cell, resources
        lines_before = {line.strip() for line in cell.source.split("\n")}
        if not self._remove_hidden_test_region(cell):
            return cell, resources
        hidden = lines_before - {line.strip() for line in cell.source.split("\n")} - {""}
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [
                    self._without_hidden_lines(entry, hidden) for entry in output.traceback
                ]
        return cell, resources

    def _without_hidden_lines(self, entry, hidden):
        """A traceback entry (one frame, several lines) without the lines that quote one
        of ``hidden`` or a marker (compared without colour codes or line numbers)."""
        kept = []
        for line in entry.split("\n"):
            text = ANSI.sub("", line).strip()
            quoted = {text, LINE_NUMBER_GUTTER.sub("", text).strip()}
            is_marker = self.begin_test_delimeter in text or self.end_test_delimeter in text
            if not (quoted & hidden or is_marker):
                kept.append(line)
        return "\n".join(kept)
