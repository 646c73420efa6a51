"""Grading that stays fair (chapter 6 as the subject, through the command line).

A correct answer keeps its marks whatever else it prints or warns; a broken answer loses
only its own exercise's points, with one sentence; notebook mishaps are repaired with a
note; tampering with the checking code from the notebook does not buy marks.
"""

import textwrap

import nbformat
import pytest
from conftest import write_learner_notebook

from resnet_lesson.release.cells import QUESTION_POINTS

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]

CHAPTER = "ch06_regular_block"
QUIZ = ["regular_block_q1_test", "regular_block_q2_test", "regular_block_q3_test"]
QUIZ_POINTS = len(QUIZ) * QUESTION_POINTS
CHAPTER_POINTS = 3 + QUIZ_POINTS  # the regular_block check weighs 3

HEAD = """\
class ResNetModel(resnet_lesson.ResNetModel):
    def regular_block(self, inputs, filters, strides, is_training, index,
                      shortcut_filters=None):
        with keras.name_scope(f"regular_block{index}"):
            shortcut_params = (shortcut_filters, strides)
            pre_activated1, shortcut = self.pre_activation_with_shortcut(
                inputs, is_training, shortcut_params)
            conv1 = self.custom_conv2d(pre_activated1, filters, 3, strides)
"""


def answer(body, before=""):
    return textwrap.dedent(before) + HEAD + textwrap.indent(textwrap.dedent(body), " " * 12)


CORRECT = answer("""
    pre_activated2 = self.pre_activation(conv1, is_training)
    conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
    return conv2 + shortcut
    """)
WRONG = answer("""
    conv2 = self.custom_conv2d(conv1, filters, 3, 1)  # forgot to pre-activate conv1
    return conv2 + shortcut
    """)
WRONG_MESSAGE = "conv2 reads conv1 directly"


def notebook(tmp_path, block, edit=None, extra_cell=None):
    """ch06 with ``block`` as the exercise answer and the questions answered right."""

    def change(nb):
        if extra_cell is not None:
            index = next(
                i
                for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == "regular_block"
            )
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(textwrap.dedent(extra_cell)))
        if edit is not None:
            edit(nb)

    from conftest import solution_answers

    answers = solution_answers(CHAPTER)
    answers["regular_block"] = block
    return write_learner_notebook(tmp_path, CHAPTER, answers=answers, edit=change)


def cell_index(nb, grade_id):
    return next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def graded(grade, path, *options):
    code, result, err = grade(path, *options)
    assert code == 0, err
    return result, err


def assert_only_the_exercise_lost(result, *phrases):
    block = result["exercises"]["regular_block_tests"]
    assert block["score"] == 0.0, block
    for phrase in phrases:
        assert phrase in block["feedback"], block["feedback"]
    assert "\n" not in block["feedback"]
    for grade_id in QUIZ:
        question = result["exercises"][grade_id]
        assert question["score"] == QUESTION_POINTS, question
    assert result["score"] == QUIZ_POINTS


# -- a correct answer that is noisy keeps full marks --------------------------------------

NOISY = answer(
    """
    print("building block", index)
    print("a note on stderr", file=sys.stderr)
    warnings.warn("this block is experimental")
    for line in range(2000):
        print("debug line", line)
    pre_activated2 = self.pre_activation(conv1, is_training)
    conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
    return conv2 + shortcut
    """,
    before="""
    import sys
    import warnings
    print("x" * 200_000)
    print("the answer cell writes to stderr too", file=sys.stderr)
    warnings.warn("a warning from the answer cell")
    """,
)


def test_prints_stderr_and_warnings_do_not_cost_a_correct_answer(tmp_path, grade):
    result, _ = graded(grade, notebook(tmp_path, NOISY))
    assert result["score"] == result["max_score"] == CHAPTER_POINTS, result


def test_stderr_in_a_passing_graded_cell_does_not_cost_a_correct_answer(tmp_path, grade):
    # The check silences the learner's method, but not a constructor: this warning lands
    # in the graded cell's stderr, which alone makes stock nbgrader give 0.
    noisy_init = CORRECT + textwrap.indent(
        textwrap.dedent("""
        def __init__(self, *args, **kwargs):
            import sys, warnings
            warnings.warn("a constructor that warns")
            print("and writes to stderr", file=sys.stderr)
            super().__init__(*args, **kwargs)
        """),
        " " * 4,
    )
    result, _ = graded(grade, notebook(tmp_path, noisy_init))
    assert result["score"] == CHAPTER_POINTS, result


# -- a broken answer loses only its own points, with one sentence ------------------------


def test_syntax_error(tmp_path, grade):
    result, _ = graded(grade, notebook(tmp_path, CORRECT.replace("+ shortcut", "+ shortcut)")))
    assert_only_the_exercise_lost(result, "ResNetModel", "SyntaxError")


def test_exception(tmp_path, grade):
    result, _ = graded(
        grade,
        notebook(
            tmp_path,
            answer("""
        raise ValueError("I am not done")
        """),
        ),
    )
    assert_only_the_exercise_lost(result, "raised ValueError (I am not done)")


def test_returns_none(tmp_path, grade):
    result, _ = graded(
        grade,
        notebook(
            tmp_path,
            answer("""
        pre_activated2 = self.pre_activation(conv1, is_training)
        conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
        conv2 + shortcut
        """),
        ),
    )
    assert_only_the_exercise_lost(result, "forget to return")


def test_wrong_return_type(tmp_path, grade):
    result, _ = graded(
        grade,
        notebook(
            tmp_path,
            answer("""
        pre_activated2 = self.pre_activation(conv1, is_training)
        conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)
        return "conv2 + shortcut"
        """),
        ),
    )
    assert_only_the_exercise_lost(result, "not a Keras tensor")


def test_wrong_answer_is_named(tmp_path, grade):
    result, _ = graded(grade, notebook(tmp_path, WRONG))
    assert_only_the_exercise_lost(result, WRONG_MESSAGE)


def test_infinite_loop_is_stopped_and_the_rest_is_graded(tmp_path, grade):
    # The default is Execute.timeout = 120 s per cell (test_grading.py checks it);
    # --timeout keeps this test short.
    result, _ = graded(
        grade,
        notebook(
            tmp_path,
            answer("""
        while True:
            pass
        """),
        ),
        "--timeout",
        "8",
    )
    assert_only_the_exercise_lost(result, "stopped after 8 s")


# -- notebook mishaps ------------------------------------------------------------------------


def test_copied_test_and_answer_cells(tmp_path, grade):
    def copy_cells(nb):
        for grade_id in ("regular_block_tests", "regular_block"):
            index = cell_index(nb, grade_id)
            nb.cells.insert(index + 1, nbformat.from_dict(dict(nb.cells[index])))

    result, err = graded(grade, notebook(tmp_path, CORRECT, edit=copy_cells))
    assert result["score"] == result["max_score"] == CHAPTER_POINTS, (result, err)
    assert "test cell 'regular_block_tests' appears 2 times" in err
    assert "answer cell 'regular_block' appears 2 times" in err


def test_deleted_test_cell_is_put_back(tmp_path, grade):
    def delete(nb):
        del nb.cells[cell_index(nb, "regular_block_tests")]

    result, err = graded(grade, notebook(tmp_path, WRONG, edit=delete))
    assert_only_the_exercise_lost(result, WRONG_MESSAGE)
    assert "test cell 'regular_block_tests' was missing" in err


def test_emptied_test_cell_is_restored(tmp_path, grade):
    def empty(nb):
        nb.cells[cell_index(nb, "regular_block_tests")].source = ""

    result, err = graded(grade, notebook(tmp_path, WRONG, edit=empty))
    assert_only_the_exercise_lost(result, WRONG_MESSAGE)
    assert "test cell 'regular_block_tests' was emptied" in err


def test_edited_test_cell_is_restored(tmp_path, grade):
    def edit(nb):
        nb.cells[cell_index(nb, "regular_block_tests")].source = "pass"
        nb.cells[cell_index(nb, "regular_block_q1_test")].source = "pass"

    result, err = graded(grade, notebook(tmp_path, WRONG, edit=edit))
    assert_only_the_exercise_lost(result, WRONG_MESSAGE)
    assert "test cell 'regular_block_tests' was edited" in err


def test_a_stripped_test_cell_is_put_back(tmp_path, grade):
    def strip(nb):  # the learner removed the cell's nbgrader metadata and its code
        cell = nb.cells[cell_index(nb, "regular_block_tests")]
        cell.metadata = {}
        cell.source = "print('all good')"

    result, err = graded(grade, notebook(tmp_path, WRONG, edit=strip))
    assert_only_the_exercise_lost(result, WRONG_MESSAGE)
    assert "was missing" in err


# -- tampering from the notebook does not buy marks ---------------------------------------

TAMPERING = {
    "numpy allclose": """
        import numpy as np
        np.allclose = lambda *args, **kwargs: True
        """,
    "numpy testing": """
        import numpy
        numpy.testing.assert_allclose = lambda *args, **kwargs: None
        numpy.isclose = lambda a, b, **kwargs: numpy.ones_like(a, dtype=bool)
        """,
    "the check function": """
        from resnet_lesson.checks import regular_block as regular_block_check
        regular_block_check.check = lambda *args, **kwargs: None
        """,
    "the engine and CheckFailed": """
        from resnet_lesson.checks import engine, pieces
        engine.diagnose = lambda *args, **kwargs: []
        engine.CheckFailed = type("CheckFailed", (Exception,), {})
        pieces.same_outputs = lambda a, b, tolerance=1e-4: True
        """,
    "the reference model": """
        resnet_lesson.ResNetModel.regular_block = ResNetModel.regular_block
        """,
    "keras itself": """
        import keras
        keras.Model.__call__ = lambda self, *args, **kwargs: 0.0
        """,
}


# Before the check: the guard line and the guard (grading/guard.py).
TAMPERING.update(
    {
        "exec shadowed in the notebook": """
            exec = lambda *args, **kwargs: None
            from resnet_lesson.checks import regular_block as regular_block_check
            regular_block_check.check = lambda *args, **kwargs: None
            """,
        "builtins.exec skipping the guard": """
            import builtins
            real_exec = builtins.exec
            def exec_but_the_guard(code, *args, **kwargs):
                if "guard.py" in str(getattr(code, "co_filename", "")):
                    return None
                return real_exec(code, *args, **kwargs)
            builtins.exec = exec_but_the_guard
            from resnet_lesson.checks import regular_block as regular_block_check
            regular_block_check.check = lambda *args, **kwargs: None
            """,
        "IPython swallowing every error": """
            from IPython.core.interactiveshell import InteractiveShell
            async def run_code(self, code_obj, result=None, *, async_=False):
                try:
                    exec(code_obj, self.user_global_ns, self.user_ns)
                except BaseException:
                    pass
                return False
            InteractiveShell.run_code = run_code
            """,
    }
)

# While the check runs: the learner's method changes what the check uses next
# (checks/integrity.py; every route is in tests/test_checks_integrity.py).
INSIDE_THE_METHOD = {
    "the check's own functions": """
        from resnet_lesson.checks import pieces, session, regular_block as regular_block_check
        regular_block_check.check = lambda *args, **kwargs: None
        session.show_or_raise = lambda failure: None
        pieces.same_outputs = lambda *args, **kwargs: True
        """,
    "a builtin the comparison could use": """
        import builtins
        builtins.all = lambda values: True
        """,
    "a function's code": """
        from resnet_lesson.checks import pieces
        pieces._close.__code__ = (lambda x, y, tolerance: True).__code__
        """,
}


def tampering_answer(tamper, correct=False):
    ending = "return conv2 + shortcut" if correct else "return conv2  # drops the shortcut"
    rest = "pre_activated2 = self.pre_activation(conv1, is_training)\n"
    rest += "conv2 = self.custom_conv2d(pre_activated2, filters, 3, 1)\n"
    return answer(textwrap.dedent(tamper).strip() + "\n" + rest + ending + "\n")


@pytest.mark.parametrize("route", list(INSIDE_THE_METHOD))
def test_tampering_from_inside_the_method_does_not_buy_marks(tmp_path, grade, route):
    block = tampering_answer(INSIDE_THE_METHOD[route])
    result, _ = graded(grade, notebook(tmp_path, block))
    exercise = result["exercises"]["regular_block_tests"]
    assert exercise["score"] == 0.0, result
    assert "tampered with" in exercise["feedback"], exercise["feedback"]


def test_a_correct_answer_that_tampers_scores_zero_for_its_exercise(tmp_path, grade):
    block = tampering_answer(INSIDE_THE_METHOD["the check's own functions"], correct=True)
    result, _ = graded(grade, notebook(tmp_path, block))
    assert result["exercises"]["regular_block_tests"]["score"] == 0.0, result
    assert "tampered with" in result["exercises"]["regular_block_tests"]["feedback"]


@pytest.mark.parametrize("target", list(TAMPERING))
def test_tampering_does_not_buy_marks(tmp_path, grade, target):
    result, _ = graded(grade, notebook(tmp_path, WRONG, extra_cell=TAMPERING[target]))
    assert result["exercises"]["regular_block_tests"]["score"] == 0.0, result
    assert result["score"] <= QUIZ_POINTS


def test_answering_with_the_reference_itself_scores_nothing(tmp_path, grade):
    result, _ = graded(grade, notebook(tmp_path, "ResNetModel = resnet_lesson.ResNetModel\n"))
    assert_only_the_exercise_lost(result, "no regular_block of its own")


def test_a_patched_kernel_is_stopped_with_a_sentence(tmp_path, grade):
    # A run_code that swallows errors would swallow the guard's too: the guard ends the
    # kernel instead, and the feedback keeps the sentence it printed first.
    tamper = TAMPERING["IPython swallowing every error"]
    result, _ = graded(grade, notebook(tmp_path, WRONG, extra_cell=tamper))
    exercise = result["exercises"]["regular_block_tests"]
    assert exercise["score"] == 0.0, result
    assert "InteractiveShell.run_code" in exercise["feedback"], exercise["feedback"]
