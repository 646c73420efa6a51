"""nbgrader preprocessors that keep autograding fair; nbgrader_config.py registers them.

They run in both grading paths: ``resnet-lesson grade`` and the stock ``nbgrader autograde``
an instructor runs from the repository root.

- ``GuardGradedCells`` puts one line at the top of every graded cell that re-loads the
  course's checking code from disk and stops when the notebook replaced functions the
  checks rely on (see ``resnet_lesson/grading/guard.py``); ``UnguardGradedCells`` takes
  it out again after the run, so the feedback shows the cells as written.
- ``ExecuteWithTimeoutBudget`` is nbgrader's Execute, plus: once a cell has run past the
  timeout (and was interrupted), the following cells get a shorter timeout, so a looping
  answer that the later cells call again costs one full timeout, not one per cell; and it
  takes the kernel ``resnet-lesson grade`` started early, when there is one
  (``resnet_lesson/grading/kernel.py``). When a cell ends the kernel (``os._exit``, out of
  memory or CPU time) or raises ``MemoryError`` (a kernel at its memory limit can stay
  full), that cell gets an error output, a fresh kernel re-runs the cells
  before it that ran without error (the graded test cells excepted), and grading goes on,
  so the other exercises keep their marks. A cell's stream output beyond
  ``max_output_bytes`` is dropped with a note, so a notebook that prints gigabytes neither
  fills the grader's memory nor the autograded notebook. A given cell tagged
  ``NOT_RUN_WHEN_GRADING`` (an experiment that trains networks: nothing graded uses it) is
  not run; its output says so, and the learner's own notebook runs it as usual.
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

import copy
import json
import os
import re
import signal
import sysconfig
from pathlib import Path

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from nbgrader.preprocessors import Execute as NbgraderExecute
from traitlets import Dict, Integer, Unicode

from resnet_lesson.grading import kernel as grading_kernel
from resnet_lesson.grading.autograde import ANSI

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the resnet_lesson package
GUARD_FILE = PACKAGE_DIR / "grading" / "guard.py"
GUARD_MARK = "# [resnet-lesson grader]"
STDERR_NOTE = "[stderr from a passing check, not counted against it]\n"
KERNEL_DIED = "DeadKernelError"
# The tag a chapter source gives an ungraded experiment (release/chapter.py keeps it).
NOT_RUN_WHEN_GRADING = "not-run-when-grading"
NOT_RUN_NOTE = (
    "[not run by the grader: an experiment that nothing graded uses; "
    "it runs in your own notebook]\n"
)


def _reap_orphans(keep=None, seconds=10):
    """As the PID namespace's first process, after killing: wait until the killed are gone
    and collect those handed to us (a dead process counts against the user's process
    limit until its parent collects it)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        alive = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in (1, keep):
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        state = stat.read().rsplit(")", 1)[1].split()[0]
                except OSError:
                    continue
                if state != "Z":
                    alive.append(entry)
        if not alive:
            return
        time.sleep(0.05)


def error_output(name, value):
    traceback = [f"{name}: {value}"]
    return NotebookNode(output_type="error", ename=name, evalue=value, traceback=traceback)


def _ran_out_of_memory(cell):
    return any(
        o.get("output_type") == "error" and o.get("ename") == "MemoryError"
        for o in cell.get("outputs", [])
    )


def not_run_when_grading(cell):
    """Whether grading skips ``cell``: a locked cell that is neither graded nor the learner's
    answer, tagged by the chapter (a tag on any other cell is ignored)."""
    meta = cell.metadata.get("nbgrader", {})
    return (
        cell.cell_type == "code"
        and NOT_RUN_WHEN_GRADING in cell.metadata.get("tags", [])
        and meta.get("locked")
        and not meta.get("grade")
        and not meta.get("solution")
    )


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


class ExecuteWithTimeoutBudget(NbgraderExecute):
    """nbgrader's Execute; after a cell times out, later cells get a shorter timeout.

    It also takes the kernel ``resnet-lesson grade`` started early (kernel.py).
    """

    timeout_after_a_timeout = Integer(
        30, help="Seconds per cell for the cells that follow a cell that timed out."
    ).tag(config=True)

    kernel_output = Unicode(
        "",
        help="A file for the kernel process's own stdout and stderr (what never "
        "reaches a cell, such as TensorFlow's C++ log lines); empty: the terminal's.",
    ).tag(config=True)

    async def async_start_new_kernel(self, **kwargs):
        if not self.kernel_output:
            return await super().async_start_new_kernel(**kwargs)
        with open(self.kernel_output, "ab") as handle:  # the kernel keeps its own copy
            kwargs.setdefault("stdout", handle)
            kwargs.setdefault("stderr", handle)
            return await super().async_start_new_kernel(**kwargs)

    max_output_bytes = Integer(
        10_000_000, help="Characters of stream output kept per cell; the rest is dropped."
    ).tag(config=True)

    graded_cell_timeouts = Dict(
        {},
        help="Seconds for named graded test cells ({grade_id: seconds}) that train a "
        "network: the course's code, so a longer run there is expected. Answer cells "
        "(the learner's code) always get Execute.timeout.",
    ).tag(config=True)

    kernel_restarts = Integer(
        3, help="Fresh kernels started after a cell ended the kernel; then the rest is not run."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._had_a_timeout = False
        self._early_kernel_cwd = None
        self._output_sizes = {}
        self._kernel_deaths = 0
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        try:
            return self._run_cell(cell, resources, index)
        finally:
            self._end_strays()

    def _end_strays(self):
        """In grade-class's sandbox (this process is its PID namespace's first, with its own
        /proc): end every process but the kernel, e.g. what a forking cell left running."""
        kernel = getattr(getattr(self.km, "provisioner", None), "pid", None)
        if os.getpid() != 1 or kernel is None:
            return
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in (1, kernel):
                try:
                    os.kill(int(entry), signal.SIGKILL)
                except OSError:
                    pass
        _reap_orphans(keep=kernel)

    def _run_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if not_run_when_grading(cell):
            # Minutes of training per submission that no score depends on.
            cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=NOT_RUN_NOTE)]
            cell.execution_count = None
            return cell, self.resources
        if self._kernel_deaths > self.kernel_restarts:
            cell.outputs = [
                error_output(KERNEL_DIED, f"not run: the kernel died {self._kernel_deaths} times")
            ]
            return cell, self.resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, CellTimeoutError) as error:
            # CellTimeoutError here: the kernel stopped answering even after the interrupt
            # (nbclient raises it only then), e.g. a cell that forks without end.
            self._kernel_deaths += 1
            cell.outputs.append(
                error_output(
                    KERNEL_DIED,
                    "the kernel died while running this cell (it exited, or ran out of "
                    "memory, CPU time or processes)"
                    if isinstance(error, DeadKernelError)
                    else "the kernel stopped answering while running this cell (it ran out "
                    "of processes?) and was replaced",
                )
            )
            if self._kernel_deaths <= self.kernel_restarts:
                self._fresh_kernel(index)
            return cell, self.resources
        if _ran_out_of_memory(cell) and self._kernel_deaths < self.kernel_restarts:
            # A kernel that hit its memory limit can stay full (a cell that prints without
            # end fills its output queue): every later cell, imports included, would
            # raise MemoryError too. Go on in a fresh one, as after a kernel death.
            self._kernel_deaths += 1
            self._fresh_kernel(index)
        return cell, resources

    def _fresh_kernel(self, index):
        """A new kernel that has run the cells before ``index`` that ran without error."""
        if os.getpid() == 1:  # grade-class's sandbox: end what the old kernel left running
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            _reap_orphans()
        # The kernel's output file was closed after the first start (async_start_new_kernel
        # and kernel.start keep no handle open): give the restart a fresh one.
        with open(self.kernel_output or os.devnull, "ab") as handle:
            launch = getattr(self.km, "_launch_args", None) or {}
            for stream in ("stdout", "stderr"):
                if stream in launch:
                    launch[stream] = handle
            run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        if self._early_kernel_cwd:
            self.wait_for_reply(self.kc.execute(grading_kernel.chdir_code(self._early_kernel_cwd)))
        for earlier in self.nb.cells[:index]:
            meta = earlier.metadata.get("nbgrader", {})
            if (
                earlier.cell_type != "code"
                or not_run_when_grading(earlier)
                or (meta.get("grade") and not meta.get("solution"))  # a check: nothing to define
                or any(o.output_type == "error" for o in earlier.get("outputs", []))
            ):
                continue
            try:
                self.wait_for_reply(
                    self.kc.execute(earlier.source, silent=True), copy.deepcopy(earlier)
                )
            except Exception:  # the cells after it run in what the kernel has so far
                break

    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] == "stream":
            text = msg["content"].get("text", "")
            before = self._output_sizes.get(cell_index, 0)
            self._output_sizes[cell_index] = before + len(text)
            if before + len(text) > self.max_output_bytes:
                if before > self.max_output_bytes:
                    return None
                note = (
                    f"\n[output beyond {self.max_output_bytes} characters dropped by the grader]\n"
                )
                msg = {**msg, "content": {**msg["content"], "text": note}}
        return super().output(outs, msg, display_id, cell_index)

    def create_kernel_manager(self):
        # ``resnet-lesson grade`` may have started the kernel already (kernel.py);
        # take it when it is the kernel this step would start, else start one as usual.
        kernel_name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name")
        early = grading_kernel.take(
            kernel_name, self.extra_arguments, self.ipython_hist_file, self.kernel_output or None
        )
        if early is None:
            return super().create_kernel_manager()
        self.km = early
        # A cold kernel starts in the notebook's folder, or in ours when there is none.
        self._early_kernel_cwd = self.resources.get("metadata", {}).get("path") or os.getcwd()
        return self.km

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        if self._early_kernel_cwd:  # where a cold kernel would have started
            reply = await self.async_wait_for_reply(
                client.execute(
                    grading_kernel.chdir_code(self._early_kernel_cwd),
                    silent=True,
                    store_history=False,
                )
            )
            if reply is None or reply["content"]["status"] != "ok":
                raise RuntimeError(f"the grading kernel could not move to {self._early_kernel_cwd}")
        return client

    # nbconvert's preprocess calls the synchronous wrapper, which NotebookClient made
    # from its own coroutine: wrap ours instead.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        meta = cell.metadata.get("nbgrader", {}) if cell is not None else {}
        # Only a locked test cell (nbgrader restores its source from the gradebook) can
        # have a longer limit: never a cell the learner writes.
        if meta.get("grade") and not meta.get("solution") and timeout is not None:
            timeout = max(timeout, self.graded_cell_timeouts.get(meta.get("grade_id"), 0))
        if getattr(self, "_had_a_timeout", False) and timeout is not None:
            return min(timeout, self.timeout_after_a_timeout)
        return timeout

    async def _async_handle_timeout(self, timeout, cell=None):
        self._had_a_timeout = True
        return await super()._async_handle_timeout(timeout, cell)


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
