"""One sentence of feedback per graded cell, read from the autograded notebook."""

from resnet_lesson.grading.autograde import ANSI
from resnet_lesson.grading.submission import cell_meta


def clean(text):
    return ANSI.sub("", text).strip()


def first_error_line(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = [clean(line) for line in output.get("traceback", []) if clean(line)]
            last = lines[-1].splitlines()[-1].strip() if lines else ""
            name, value = output.get("ename", ""), output.get("evalue", "")
            return last if last.startswith(name) else f"{name}: {value}"
    return None


def explain_name_errors(graded, feedback):
    """Add the failing cell's error to a NameError in a later graded cell."""
    failing = None
    for cell in graded.cells:
        meta = cell_meta(cell) or {}
        if cell.cell_type != "code":
            continue
        if meta.get("grade") and meta["grade_id"] in feedback:
            text = feedback[meta["grade_id"]]
            if text.startswith("NameError") and failing is not None:
                where, error = failing
                feedback[meta["grade_id"]] = f"{text}: the earlier {where} failed with {error}"
            continue
        error = first_error_line(cell)
        if error is not None:
            where = f"cell '{meta['grade_id']}'" if meta else "cell"
            if error.startswith(("KeyboardInterrupt", "CellTimeoutError")):  # nbgrader's stop
                error = "a timeout: it ran past the time limit and was stopped (an endless loop?)"
            failing = (where, error)
    return feedback


GUARD_STOP = "\u274c grading stopped:"


def _guard_sentence(cell):
    """The guard's last words in ``cell``'s printed output, if it stopped the kernel."""
    for output in cell.get("outputs", []):
        for line in (output.get("text") or "").splitlines():
            if line.startswith(GUARD_STOP):
                return line.lstrip("\u274c ").strip()
    return None


def feedback_for(cell, timeout):
    """One sentence about a graded cell of the autograded notebook."""
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        name = output.get("ename", "")
        if name == "DeadKernelError":  # execute.ExecuteWithTimeoutBudget's note
            # The guard ends a kernel whose own machinery was replaced, saying why first.
            stopped = _guard_sentence(cell)
            return stopped or output.get("evalue") or "the kernel died while running this check."
        if name in ("CellTimeoutError", "KeyboardInterrupt"):
            return (
                f"stopped after {timeout} s without finishing: does your code loop "
                "forever (a `while` whose condition never becomes false)?"
            )
        lines = [clean(line) for line in output.get("traceback", []) if clean(line)]
        if name in ("CheckFailed", "CheckTampered", "GradingEnvironmentChanged") and lines:
            # The verdict alone, wrapped into lines for nbgrader's dialogs: one sentence.
            return " ".join(lines).lstrip("\u274c ").strip()
        last = lines[-1].splitlines()[-1].strip() if lines else ""
        if last.startswith(name):
            return last
        evalue = output.get("evalue", "")
        return f"{name}: {evalue}" if evalue else name
    texts = [
        clean(o.get("text", ""))
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    ]
    lines = [
        line
        for text in texts
        for line in text.splitlines()
        if line.strip() and not line.startswith("[stderr")
    ]
    successes = [line for line in lines if line.startswith("\u2705")]
    return (successes or ["passed"])[-1].lstrip("\u2705 ").strip()


def graded_cells(nb):
    for cell in nb.cells:
        meta = cell_meta(cell)
        if meta and meta.get("grade") and cell.cell_type == "code":
            yield meta["grade_id"], cell
