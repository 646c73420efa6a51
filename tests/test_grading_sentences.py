"""The grader's sentences, from small notebooks and cells: no kernel, no nbgrader run.

``grading/feedback.py`` turns a graded cell's outputs into one sentence;
``grading/class_command.py`` makes the result of a notebook that could not be graded.
The end-to-end tests (test_grading.py, test_grade_class.py) run the same code on real
gradings, slowly; these pin down each case.
"""

import json
import types

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from resnet_lesson import course
from resnet_lesson.grading.execute import error_output
from resnet_lesson.grading.feedback import (
    explain_name_errors,
    feedback_for,
    first_error_line,
    graded_cells,
)
from resnet_lesson.grading.grade_class import command as class_command

RED = "\x1b[0;31m"
RESET = "\x1b[0m"


def error(name, value, traceback=None):
    return new_output(
        "error",
        ename=name,
        evalue=value,
        traceback=[f"{name}: {value}"] if traceback is None else traceback,
    )


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def cell(outputs=(), grade_id=None, grade=False, solution=False, source=""):
    code = new_code_cell(source, outputs=list(outputs))
    if grade_id is not None:
        code.metadata["nbgrader"] = {"grade_id": grade_id, "grade": grade, "solution": solution}
    return code


# -- first_error_line ----------------------------------------------------------------


def test_first_error_line_is_none_without_an_error():
    assert first_error_line(cell()) is None
    assert first_error_line(cell([stdout("hello\n")])) is None


def test_first_error_line_is_the_tracebacks_last_line_without_colours():
    traceback = [
        f"{RED}---------------------------------------------------------------{RESET}",
        f'  File "<cell>", line 3\n    return x +\n{RED}ValueError{RESET}: bad shape (3, 4)',
    ]
    output = error("ValueError", "bad shape (3, 4)", traceback)
    assert first_error_line(cell([output])) == "ValueError: bad shape (3, 4)"


def test_first_error_line_falls_back_to_name_and_value():
    # The last line does not start with the error's name (or there is no traceback).
    assert first_error_line(cell([error("KeyError", "'x'", ["  something else"])])) == (
        "KeyError: 'x'"
    )
    assert first_error_line(cell([error("KeyError", "'x'", [])])) == "KeyError: 'x'"


def test_first_error_line_reads_the_first_error_only():
    outputs = [stdout("a\n"), error("TypeError", "first"), error("ValueError", "second")]
    assert first_error_line(cell(outputs)) == "TypeError: first"


# -- feedback_for ----------------------------------------------------------------------


def test_a_passing_cell_gives_its_last_tick_line():
    outputs = [stdout("\u2705 custom_padding is correct: same tensor.\nmore\n")]
    assert feedback_for(cell(outputs), 120) == "custom_padding is correct: same tensor."
    outputs = [stdout("\u2705 one\n"), stdout("\u2705 two\n")]
    assert feedback_for(cell(outputs), 120) == "two"


def test_a_passing_cell_without_a_tick_line_passed():
    assert feedback_for(cell(), 120) == "passed"
    assert feedback_for(cell([stdout("[stderr from a passing check]\n")]), 120) == "passed"


def test_a_failed_check_gives_its_verdict_as_one_sentence():
    traceback = [f"{RED}\u274c regular_block: the shortcut is not{RESET}", "added."]
    output = error("CheckFailed", "regular_block: the shortcut is not added.", traceback)
    assert feedback_for(cell([output]), 120) == "regular_block: the shortcut is not added."


def test_tampering_and_a_changed_environment_give_their_verdicts_too():
    for name in ("CheckTampered", "GradingEnvironmentChanged"):
        output = error(name, "x", ["\u274c x: changed", "what the check uses."])
        assert feedback_for(cell([output]), 120) == "x: changed what the check uses."


def test_a_timeout_says_how_long_and_suggests_a_loop():
    for name in ("CellTimeoutError", "KeyboardInterrupt"):
        sentence = feedback_for(cell([error(name, "")]), 45)
        assert sentence.startswith("stopped after 45 s without finishing")
        assert "loop forever" in sentence


def test_a_dead_kernel_gives_the_graders_note():
    note = "the kernel died while running this check (out of memory?)."
    assert feedback_for(cell([error("DeadKernelError", note)]), 120) == note
    assert feedback_for(cell([error("DeadKernelError", "")]), 120) == (
        "the kernel died while running this check."
    )


def test_a_kernel_the_guard_stopped_gives_the_guards_sentence():
    said = "\u274c grading stopped: code in this notebook replaced `x.run_code` (...)\n"
    dead = error("DeadKernelError", "the kernel died while running this cell")
    assert feedback_for(cell([stdout(said), dead]), 120).startswith(
        "grading stopped: code in this notebook replaced `x.run_code`"
    )


def test_any_other_error_gives_its_last_line_or_name_and_value():
    traceback = ["Traceback", f"{RED}NameError{RESET}: name 'ResNetModel' is not defined"]
    output = error("NameError", "name 'ResNetModel' is not defined", traceback)
    assert feedback_for(cell([output]), 120) == "NameError: name 'ResNetModel' is not defined"
    assert feedback_for(cell([error("AssertionError", "", [])]), 120) == "AssertionError"
    assert feedback_for(cell([error("ValueError", "v", ["x"])]), 120) == "ValueError: v"


# -- explain_name_errors -----------------------------------------------------------------


def _notebook(*cells):
    return new_notebook(cells=[new_markdown_cell("# Chapter"), *cells])


def test_a_name_error_is_explained_by_the_earlier_failing_cell():
    answer = cell([error("SyntaxError", "invalid syntax")], grade_id="regular_block", solution=True)
    test = cell([error("NameError", "x")], grade_id="regular_block_tests", grade=True)
    feedback = {"regular_block_tests": "NameError: name 'ResNetModel' is not defined"}
    explained = explain_name_errors(_notebook(answer, test), feedback)
    assert explained["regular_block_tests"] == (
        "NameError: name 'ResNetModel' is not defined: the earlier cell 'regular_block' "
        "failed with SyntaxError: invalid syntax"
    )


def test_an_ordinary_cell_that_failed_is_named_a_cell():
    ordinary = cell([error("ZeroDivisionError", "division by zero")])
    test = cell(grade_id="t", grade=True)
    explained = explain_name_errors(_notebook(ordinary, test), {"t": "NameError: name 'x'"})
    assert explained["t"] == (
        "NameError: name 'x': the earlier cell failed with ZeroDivisionError: division by zero"
    )


def test_a_stopped_cell_is_explained_as_a_timeout():
    stopped = cell([error("KeyboardInterrupt", "")], grade_id="answer", solution=True)
    test = cell(grade_id="t", grade=True)
    explained = explain_name_errors(_notebook(stopped, test), {"t": "NameError: y"})
    assert explained["t"] == (
        "NameError: y: the earlier cell 'answer' failed with a timeout: it ran past the "
        "time limit and was stopped (an endless loop?)"
    )


def test_other_feedback_and_name_errors_without_an_earlier_failure_are_kept():
    test = cell(grade_id="t", grade=True)
    assert explain_name_errors(_notebook(test), {"t": "NameError: y"}) == {"t": "NameError: y"}
    failing = cell([error("ValueError", "v")])
    feedback = {"t": "regular_block: the shortcut is not added."}
    assert explain_name_errors(_notebook(failing, test), dict(feedback)) == feedback


def test_graded_cells_are_the_graded_code_cells_in_order():
    cells = [
        cell(grade_id="a", solution=True),
        cell(grade_id="b_tests", grade=True),
        cell(),
        cell(grade_id="c_tests", grade=True),
    ]
    assert [grade_id for grade_id, _ in graded_cells(_notebook(*cells))] == ["b_tests", "c_tests"]


# -- a notebook that could not be graded -----------------------------------------------------


def _scratch_course(tmp_path, *cells):
    """A course whose one chapter's source notebook holds ``cells``."""
    path = course.solution_notebook("ch99_x", tmp_path)
    path.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=list(cells)), path)
    return tmp_path


def _points(grade_id, points):
    graded = cell(grade_id=grade_id, grade=True)
    graded.metadata["nbgrader"]["points"] = points
    return graded


def test_a_zero_result_scores_every_graded_cell_zero_and_says_why(tmp_path):
    root = _scratch_course(
        tmp_path, cell(grade_id="a", solution=True), _points("a_tests", 3), _points("q_test", 1)
    )
    submission = types.SimpleNamespace(chapter="ch99_x", path=root / "x.ipynb")
    result = class_command.not_graded(root, submission, "the sandbox ran out of memory").record()
    assert result == {
        "score": 0.0,
        "max_score": 4.0,
        "exercises": {
            "a_tests": {
                "score": 0.0,
                "max_score": 3.0,
                "feedback": "not graded: the sandbox ran out of memory",
            },
            "q_test": {
                "score": 0.0,
                "max_score": 1.0,
                "feedback": "not graded: the sandbox ran out of memory",
            },
        },
        "notes": ["the notebook could not be graded: the sandbox ran out of memory"],
        "notebook": str(root / "x.ipynb"),
        "seconds": 0.0,
    }


def test_a_failed_notebook_has_the_reason_in_each_graded_cell(tmp_path):
    answer = cell(grade_id="a", solution=True, source="x = 1")
    answer.outputs = [stdout("kept\n")]
    notebook = new_notebook(cells=[answer, _points("a_tests", 3), new_markdown_cell("prose")])
    path = tmp_path / "submitted.ipynb"
    nbformat.write(notebook, path)
    failed = nbformat.reads(class_command._failed_notebook(path, "timed out"), as_version=4)
    assert failed.cells[0].outputs == [stdout("kept\n")]  # not graded: left alone
    assert failed.cells[1].outputs == [error_output("NotGraded", "timed out")]
    assert feedback_for(failed.cells[1], 120) == "NotGraded: timed out"
    assert failed.cells[2].source == "prose"


def test_a_failed_notebook_that_was_no_notebook_is_an_empty_one(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ not json")
    failed = json.loads(class_command._failed_notebook(path, "unreadable"))
    assert failed["cells"] == [] and failed["nbformat"] == 4
