"""In a learner's own kernel a failed check prints its line instead of raising (so Run All
goes on), and later cells fall back to the course's code; under nbgrader it still raises."""

import pytest

import resnet_lesson
from resnet_lesson.checks import custom_padding as check_module
from resnet_lesson.checks import session
from resnet_lesson.checks.session import yours_or_course
from resnet_lesson.checks.verdict import CheckFailed


def stub(self, inputs, kernel_size):
    raise NotImplementedError()


def learner(method):
    return type("LearnerResNetModel", (resnet_lesson.ResNetModel,), {"custom_padding": method})


@pytest.fixture
def in_a_kernel(monkeypatch):
    monkeypatch.setattr(session, "interactive", lambda: True)


def test_interactive_failure_prints_its_line_and_does_not_raise(in_a_kernel, capsys):
    assert check_module.check(learner(stub)) is None
    out = capsys.readouterr().out
    assert out.startswith("\u274c custom_padding: not written yet")


def test_later_cells_get_the_course_method_and_say_so(in_a_kernel, capsys):
    unfinished = learner(stub)
    check_module.check(unfinished)
    capsys.readouterr()
    assert yours_or_course(unfinished, "custom_padding") is resnet_lesson.ResNetModel
    assert "your custom_padding does not pass its check yet" in capsys.readouterr().out


def test_a_class_whose_check_never_ran_is_checked_quietly(capsys):
    right = learner(resnet_lesson.ResNetModel.custom_padding)
    assert yours_or_course(right, "custom_padding") is right
    assert yours_or_course(learner(stub), "custom_padding") is resnet_lesson.ResNetModel
    assert "\u2705" not in capsys.readouterr().out


def test_make_dataset_falls_back_to_the_course_function(capsys):
    from resnet_lesson.training import make_dataset

    def unfinished(images, labels, preprocess, batch_size, is_training, seed=None):
        raise NotImplementedError()

    assert yours_or_course(unfinished, "make_dataset") is make_dataset


@pytest.mark.parametrize(
    "variable, value", [("NBGRADER_EXECUTION", "autograde"), ("NBGRADER_VALIDATING", "1")]
)
def test_under_nbgrader_a_failure_still_raises(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    assert session.graded() and not session.interactive()
    with pytest.raises(CheckFailed):
        check_module.check(learner(stub))


def test_outside_a_kernel_a_failure_raises():
    assert not session.interactive()
    with pytest.raises(CheckFailed):
        check_module.check(learner(stub))


def test_an_unanswered_question_stops_nothing_in_a_kernel(in_a_kernel, capsys):
    from resnet_lesson.checks import quiz

    with quiz.answering():
        raise NotImplementedError()
    assert quiz.check_form("q1_answer", None, "abcd") is None
    assert capsys.readouterr().out.startswith("\u274c q1_answer: not answered yet")


def test_an_unanswered_question_still_raises_under_nbgrader(monkeypatch):
    from resnet_lesson.checks import quiz

    monkeypatch.setenv("NBGRADER_VALIDATING", "1")
    with pytest.raises(NotImplementedError), quiz.answering():
        raise NotImplementedError()
    with pytest.raises(CheckFailed):
        quiz.check_form("q1_answer", None, "abcd")
    with pytest.raises(CheckFailed):
        quiz.check_answer("q1_answer", "a", "b", "Because.")


def test_a_check_after_a_failed_answer_cell_names_that_cell(in_a_kernel, capsys):
    from types import SimpleNamespace

    from resnet_lesson.checks import answer_cells

    source = "class M:\n    def custom_padding(self, inputs, kernel_size)\n        pass"
    try:
        compile(source, "<cell>", "exec")
    except SyntaxError as error:
        failed = SimpleNamespace(
            error_before_exec=error, error_in_exec=None, info=SimpleNamespace(raw_cell=source)
        )
    answer_cells.after_cell(failed)
    right = learner(resnet_lesson.ResNetModel.custom_padding)
    assert check_module.check(right) is None
    out = capsys.readouterr().out
    assert "custom_padding: your answer cell did not run: SyntaxError at line 2" in out
    answer_cells.after_cell(
        SimpleNamespace(error_before_exec=None, error_in_exec=None, info=failed.info)
    )
    check_module.check(right)
    assert "custom_padding is correct" in capsys.readouterr().out
