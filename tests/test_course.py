"""resnet_lesson.course: the one module that knows the course's layout and exercises."""

import importlib
import subprocess
import sys

from resnet_lesson import course


def test_every_chapter_has_its_source_solution_and_learner_notebook():
    chapters = course.chapter_ids()
    assert chapters and chapters[0] == "ch01_residual_learning"
    assert [path.stem for path in course.chapter_sources()] == chapters
    for chapter in chapters:
        assert course.chapter_source(chapter).is_file(), chapter
        assert course.solution_notebook(chapter).is_file(), chapter
        assert course.learner_notebook(chapter).is_file(), chapter
    assert course.nbgrader_config().is_file()


def test_a_scratch_course_has_the_same_layout(tmp_path):
    assert course.chapter_ids(tmp_path) == []
    path = course.solution_notebook("ch06_regular_block", tmp_path)
    assert path == tmp_path / "solutions" / "ch06_regular_block" / "ch06_regular_block.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    (path.parent / "notes.ipynb").write_text("{}")  # not the chapter's notebook
    assert course.chapter_ids(tmp_path) == ["ch06_regular_block"]
    assert course.learner_notebook("ch06_regular_block", tmp_path).relative_to(
        tmp_path
    ).as_posix() == ("notebooks/ch06_regular_block/ch06_regular_block.ipynb")


def test_the_course_module_imports_no_tensorflow():
    code = (
        "import sys, resnet_lesson.course; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_each_exercise_names_a_chapter_and_the_check_that_names_itself_so():
    chapters = course.chapter_ids()
    checks = [exercise.check for exercise in course.EXERCISES]
    assert len(set(checks)) == len(checks)
    for exercise in course.EXERCISES:
        assert exercise.chapter in chapters, exercise
        module = importlib.import_module(f"resnet_lesson.checks.{exercise.check}")
        assert module.EXERCISE == exercise.check
        # the chapter's graded test cells run that check
        text = course.chapter_source(exercise.chapter).read_text()
        assert f"from resnet_lesson.checks import {exercise.check} as" in text, exercise


def test_the_capstone_outline_is_the_exercise_table():
    from resnet_lesson import capstone
    from resnet_lesson.checks import capstone as capstone_check
    from resnet_lesson.model import ResNetModel

    methods = [e.method for e in course.EXERCISES if e.method is not None]
    assert list(capstone.OUTLINE_METHODS) == methods
    assert list(capstone_check.CHECK_MODULES) == methods
    for exercise in course.EXERCISES:
        if exercise.method is not None:
            assert callable(vars(ResNetModel).get(exercise.method)), exercise
            assert capstone.OUTLINE_METHODS[exercise.method] == exercise.chapter
            assert capstone_check.CHECK_MODULES[exercise.method] == exercise.check


def test_the_grading_course_layout_is_nbgraders(tmp_path):
    assert course.submitted_notebook("ch03_x", "ada", tmp_path) == (
        tmp_path / "submitted" / "ada" / "ch03_x" / "ch03_x.ipynb"
    )
    assert course.autograded_notebook("ch03_x", "ada", tmp_path) == (
        tmp_path / "autograded" / "ada" / "ch03_x" / "ch03_x.ipynb"
    )
    assert course.gradebook_url(tmp_path) == f"sqlite:///{tmp_path / 'gradebook.db'}"
