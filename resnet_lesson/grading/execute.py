"""nbgrader's Execute step as the course runs it: ``ExecuteWithTimeoutBudget``, the one
class nbgrader_config.py registers, made of one class per job:

- ``TimeoutBudget``: once a cell has run past the timeout (and was interrupted), the
  following cells get a shorter timeout, so a looping answer that the later cells call
  again costs one full timeout, not one per cell; named graded cells that train a
  network may get longer;
- ``EarlyKernel``: takes the kernel ``resnet-lesson grade`` started early, when there is
  one (``resnet_lesson/grading/kernel.py``), and writes the kernel process's own output
  to a file (``KernelOutputFile``);
- ``KernelRecovery``: when a cell ends the kernel (``os._exit``, out of memory or CPU
  time) or raises ``MemoryError`` (a kernel at its memory limit can stay full), that cell
  gets an error output, a fresh kernel re-runs the cells before it that ran without
  error (the graded test cells excepted), and grading goes on, so the other exercises
  keep their marks; in grade-class's sandbox it ends what a cell left running
  (``isolation.end_other_processes``);
- ``OutputLimit``: a cell's stream output beyond ``max_output_bytes`` is dropped with a
  note, so a notebook that prints gigabytes fills neither the grader's memory nor the
  autograded notebook;
- ``SkipExperiments``: a given cell tagged ``NOT_RUN_WHEN_GRADING`` (an experiment that
  trains networks: nothing graded uses it) is not run; its output says so, and the
  learner's own notebook runs it as usual.

They extend nbgrader's Execute (nbclient's ``NotebookClient``) by subclassing; where they
override an underscored method (``_get_timeout``, ``_async_handle_timeout``), nbclient
offers no public hook for it. Importing this module does not import TensorFlow.
"""

import copy
import os

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute as NbgraderExecute
from traitlets import Dict, Integer, Unicode

from resnet_lesson.grading import isolation
from resnet_lesson.grading import kernel as grading_kernel

KERNEL_DIED = "DeadKernelError"
# The tag a chapter source gives an ungraded experiment (release/chapter.py keeps it).
NOT_RUN_WHEN_GRADING = "not-run-when-grading"
NOT_RUN_NOTE = (
    "[not run by the grader: an experiment that nothing graded uses; "
    "it runs in your own notebook]\n"
)


def error_output(name, value):
    """A cell's error output, as a kernel would have written it."""
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


class TimeoutBudget(NbgraderExecute):
    """After a cell times out, later cells get a shorter timeout; named graded cells that
    train a network may get a longer one."""

    timeout_after_a_timeout = Integer(
        30, help="Seconds per cell for the cells that follow a cell that timed out."
    ).tag(config=True)

    graded_cell_timeouts = Dict(
        {},
        help="Seconds for named graded test cells ({grade_id: seconds}) that train a "
        "network: the course's code, so a longer run there is expected. Answer cells "
        "(the learner's code) always get Execute.timeout.",
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._had_a_timeout = False
        return super().preprocess(nb, resources, km=km)

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


class OutputLimit(NbgraderExecute):
    """A cell's stream output beyond ``max_output_bytes`` is dropped, with a note."""

    max_output_bytes = Integer(
        10_000_000, help="Characters of stream output kept per cell; the rest is dropped."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._output_sizes = {}
        return super().preprocess(nb, resources, km=km)

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


class KernelOutputFile(NbgraderExecute):
    """The kernel process's own stdout and stderr go to ``kernel_output`` when set."""

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


class KernelRecovery(KernelOutputFile):
    """A cell that ends the kernel (or fills its memory) gets an error output, and the
    cells after it run in a fresh kernel that has re-run the cells before it."""

    kernel_restarts = Integer(
        3, help="Fresh kernels started after a cell ended the kernel; then the rest is not run."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._kernel_deaths = 0
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        try:
            return self._run_cell(cell, resources, index)
        finally:
            kernel = getattr(getattr(self.km, "provisioner", None), "pid", None)
            if isolation.is_first_process() and kernel is not None:
                isolation.end_other_processes(keep=kernel)  # what a forking cell left

    def kernel_restarted(self):
        """Called in a fresh kernel before the earlier cells are re-run."""

    def _run_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
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
        if isolation.is_first_process():  # grade-class's sandbox: end what the old kernel left
            isolation.end_every_process()
        # The kernel's output file was closed after the first start (async_start_new_kernel
        # and kernel.start keep no handle open): give the restart a fresh one.
        with open(self.kernel_output or os.devnull, "ab") as handle:
            launch = getattr(self.km, "_launch_args", None) or {}
            for stream in ("stdout", "stderr"):
                if stream in launch:
                    launch[stream] = handle
            run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        self.kernel_restarted()
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


class EarlyKernel(KernelOutputFile):
    """Takes the kernel ``resnet-lesson grade`` started early (kernel.py), when it is the
    kernel this step would start, and moves it to where a cold kernel would start."""

    def preprocess(self, nb, resources=None, km=None):
        self._early_kernel_cwd = None
        return super().preprocess(nb, resources, km=km)

    def create_kernel_manager(self):
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

    def kernel_restarted(self):
        super().kernel_restarted()
        if self._early_kernel_cwd:  # the restarted kernel starts where the early one did
            self.wait_for_reply(self.kc.execute(grading_kernel.chdir_code(self._early_kernel_cwd)))


class SkipExperiments(NbgraderExecute):
    """A cell tagged ``NOT_RUN_WHEN_GRADING`` is not run; its output says so."""

    def preprocess_cell(self, cell, resources, index):
        if not_run_when_grading(cell):
            # Minutes of training per submission that no score depends on.
            cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=NOT_RUN_NOTE)]
            cell.execution_count = None
            return cell, self.resources
        return super().preprocess_cell(cell, resources, index)


class ExecuteWithTimeoutBudget(
    SkipExperiments, EarlyKernel, KernelRecovery, OutputLimit, TimeoutBudget
):
    """nbgrader's Execute with the course's jobs above (the name nbgrader_config.py and
    ``resnet-lesson grade`` configure)."""
