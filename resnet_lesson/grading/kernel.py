"""A kernel started early, so TensorFlow loads while nbgrader prepares the grading.

Most of the time grading one chapter takes is the kernel importing TensorFlow in the
notebook's first cell (about 2.7 s on a 2-core machine), and nbgrader starts the kernel
only after loading its configuration, generating the assignment and sanitising the
submission (about 1 s). ``resnet-lesson grade`` therefore starts the kernel first
(:func:`start`), and nbgrader's Execute step (``ExecuteWithTimeoutBudget`` in
``execute.py``) takes it (:func:`take`) instead of starting a cold one, so
the two overlap (docs/benchmarks.md has the measurements). Nothing else changes:

- the kernel is the same ``python3`` kernel with the same arguments, environment
  (``NBGRADER_EXECUTION=autograde`` included), output file and working directory that
  nbgrader would have given it; when any of these cannot match, Execute starts a cold
  kernel as usual;
- its only head start is *importing* TensorFlow and Keras into ``sys.modules``, which
  every chapter's first cell does anyway. The notebook's namespace is untouched: a
  notebook that forgets ``import keras`` fails in grading exactly as it does for the
  learner;
- the stock ``nbgrader autograde`` an instructor runs never calls :func:`start`, so it
  always uses cold kernels.

Run as a module (``python -m resnet_lesson.grading.kernel -f CONNECTION_FILE ...``) this
file *is* that kernel: it does the imports, then hands over to ipykernel.
"""

import os
import sys
from pathlib import Path

# The kernel arguments nbgrader uses for this course (nbgrader_config.py reads them from
# here). capture_fd_output=False keeps fd-level output (TensorFlow's C++ log lines) out of
# the cells; log_level=ERROR drops ipykernel's note about unencrypted local TCP.
KERNEL_ARGUMENTS = ["--IPKernelApp.capture_fd_output=False", "--IPKernelApp.log_level=ERROR"]
# nbclient adds --HistoryManager.hist_file with its ``ipython_hist_file`` (this default).
HISTORY_FILE = ":memory:"
KERNEL_NAME = "python3"
LAUNCHER = "ipykernel_launcher"
THIS_MODULE = "resnet_lesson.grading.kernel"

_started = None  # (kernel manager, output file) that start() made, until shut_down()
_taken = False


def _manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class EarlyKernelManager(AsyncKernelManager):
        """The stock kernel, launched through this module so it imports TensorFlow first."""

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            cmd[cmd.index(LAUNCHER)] = THIS_MODULE
            return cmd

    return EarlyKernelManager


def _runs_this_python(argv):
    """Whether a kernel spec's command is ``<this Python> -m ipykernel_launcher ...``.

    A ``python3`` kernel spec installed for another Python may lack this package; then
    there is no early kernel and Execute starts that spec's kernel as usual.
    """
    if len(argv) < 3 or argv[1:3] != ["-m", LAUNCHER]:
        return False
    # jupyter_client runs a bare "python" (or python3, python3.11) as this Python.
    bare = {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}
    executable = sys.executable if argv[0] in bare else argv[0]
    try:
        return os.path.samefile(executable, sys.executable)
    except OSError:
        return False


def start(cwd, env, output_file):
    """Start the kernel now; return True if it started (grading goes on either way)."""
    global _started, _taken
    from jupyter_core.utils import run_sync

    shut_down()
    manager = _manager_class()(kernel_name=KERNEL_NAME)
    try:
        if not _runs_this_python(manager.kernel_spec.argv):
            return False
        arguments = [*KERNEL_ARGUMENTS, f"--HistoryManager.hist_file={HISTORY_FILE}"]
        with open(output_file, "ab") as output:  # the kernel keeps its own copy
            run_sync(manager.start_kernel)(
                extra_arguments=arguments, cwd=str(cwd), env=dict(env), stdout=output, stderr=output
            )
    except Exception:  # no head start, then: Execute starts a cold kernel
        _stop(manager)
        return False
    _started, _taken = (manager, str(output_file)), False
    return True


def take(kernel_name, extra_arguments, hist_file, output_file):
    """The started kernel's manager if it matches what Execute would start, else None."""
    global _taken
    if _started is None or _taken:
        return None
    manager, started_output = _started
    matches = (
        kernel_name == KERNEL_NAME
        and list(extra_arguments) == KERNEL_ARGUMENTS
        and hist_file == HISTORY_FILE
        and str(output_file) == started_output
    )
    if not matches:
        return None
    _taken = True
    return manager


def chdir_code(cwd):
    """What the kernel runs, silently, to work in nbgrader's folder: binds no name."""
    return f"__import__('os').chdir({str(cwd)!r})"


def shut_down():
    """Stop the started kernel if it still runs (Execute stops the one it took)."""
    global _started, _taken
    started, _started, _taken = _started, None, False
    if started is not None:
        _stop(started[0])


def _stop(manager):
    """Stop a kernel, whatever state it is in; never raises."""
    from jupyter_core.utils import run_sync

    try:
        if run_sync(manager.is_alive)():
            run_sync(manager.shutdown_kernel)(now=True)
        run_sync(manager.cleanup_resources)()
    except Exception:
        pass


def _limit_processes():
    """In grade-class's sandbox: a process limit below the grader's (isolation.py)."""
    limit = os.environ.get("RESNET_LESSON_KERNEL_PROCESSES")
    if limit:
        import resource

        hard = resource.getrlimit(resource.RLIMIT_NPROC)[1]
        resource.setrlimit(resource.RLIMIT_NPROC, (min(int(limit), hard), hard))


def _preload():
    """Import what every chapter's first cell imports, into sys.modules only."""
    try:
        import keras  # noqa: F401
        import tensorflow  # noqa: F401
    except Exception:  # the notebook's own import reports it, in its cell
        pass


if __name__ == "__main__":
    # As ipykernel_launcher does: nothing is imported from the working directory
    # (IPython puts it back on sys.path when the shell starts).
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    _limit_processes()
    _preload()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
