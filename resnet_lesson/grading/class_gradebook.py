"""Writing grade-class's results into nbgrader's gradebook and ``autograded/``.

Only the coordinating process calls this. It writes what ``nbgrader autograde`` writes,
through nbgrader's own API, so ``generate_feedback``, ``export`` and the formgrader work
unchanged on the results: the submission (``Gradebook.add_submission``, replacing an older
one as ``autograde --force`` does), the scores of the autograded notebook (nbgrader's
``SaveAutoGrades`` preprocessor on the notebook the worker's nbgrader produced) and the
file ``autograded/<student>/<chapter>/<chapter>.ipynb``.

nbgrader's steps each commit on their own (``SaveAutoGrades`` once per cell), so a run
killed between two of them would leave a submission with part of its grades; here they
all go into one database transaction, committed at the end: a reader (``nbgrader
export``, the formgrader, a resumed run) sees a submission's old grades or its new ones,
never a mixture.
"""

import contextlib
import io
import logging
import shutil
import tempfile
import warnings
from pathlib import Path

from resnet_lesson.grading.results_store import write_atomically
from resnet_lesson.grading.submission import GradingError


def course_config(course):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config_file = Path(course) / "nbgrader_config.py"
    if not config_file.exists():
        raise GradingError(
            f"{course}: no nbgrader_config.py here: run grade-class from the course root"
        )
    config = Config(PyFileConfigLoader(config_file.name, path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.setdefault("db_url", f"sqlite:///{Path(course) / 'gradebook.db'}")
    return config


def db_url(config):
    return config.CourseDirectory.db_url


@contextlib.contextmanager
def _quiet():
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's sessions
        yield


def ensure_assignment(course, config, chapter):
    """Put the chapter in the gradebook, as ``nbgrader generate_assignment`` does, unless it
    is there: generated in a scratch folder, so the course's release is not rewritten."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI

    with _quiet(), Gradebook(db_url(config), config.CourseDirectory.course_id) as gb:
        try:
            if gb.find_assignment(chapter).notebooks:
                return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory(prefix="resnet-lesson-assignment-") as scratch:
        source = Path(course) / config.CourseDirectory.source_directory / chapter
        shutil.copytree(source, Path(scratch) / config.CourseDirectory.source_directory / chapter)
        scratch_config = config.copy()
        scratch_config.CourseDirectory.root = scratch
        api = NbGraderAPI(config=scratch_config)
        api.log.setLevel(logging.ERROR)
        with _quiet():
            done = api.generate_assignment(chapter)
        if not done["success"]:
            raise GradingError(f"nbgrader could not add {chapter} to the gradebook")


class _Borrowed:
    """The caller's Gradebook for an nbgrader preprocessor that opens its own: the same
    session (so the same transaction), and leaving its ``with`` does not close it."""

    def __init__(self, gradebook):
        self._gradebook = gradebook

    def __getattr__(self, name):
        return getattr(self._gradebook, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False


@contextlib.contextmanager
def _one_transaction(gradebook):
    """Within: nbgrader's commits only flush; on leaving, one commit (or one rollback)."""
    from unittest import mock

    from nbgrader.preprocessors import latesubmissions, saveautogrades

    session = gradebook.db
    commit = session.commit
    session.commit = session.flush
    borrowed = _Borrowed(gradebook)
    try:
        with (
            mock.patch.object(saveautogrades, "Gradebook", lambda *a, **k: borrowed),
            mock.patch.object(latesubmissions, "Gradebook", lambda *a, **k: borrowed),
        ):
            yield
    except BaseException:
        del session.commit
        session.rollback()
        raise
    del session.commit
    commit()


def import_result(course, config, student, chapter, autograded_text):
    """Record one graded submission: gradebook rows, scores, and the autograded notebook."""
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    submitted = Path(course) / "submitted" / student / chapter
    timestamp_file = submitted / "timestamp.txt"
    extra = {"timestamp": timestamp_file.read_text().strip()} if timestamp_file.exists() else {}
    notebook = nbformat.reads(autograded_text, as_version=4)
    resources = {
        "nbgrader": {
            "db_url": db_url(config),
            "assignment": chapter,
            "notebook": chapter,
            "student": student,
        }
    }
    with (
        _quiet(),
        Gradebook(db_url(config), config.CourseDirectory.course_id) as gb,
        _one_transaction(gb),
    ):
        gb.update_or_create_student(student)
        try:
            gb.remove_submission(chapter, student)
        except MissingEntry:
            pass
        gb.add_submission(chapter, student, **extra)
        SaveAutoGrades(config=config).preprocess(notebook, resources)
        AssignLatePenalties(config=config).preprocess(notebook, resources)
    target = Path(course) / "autograded" / student / chapter
    target.mkdir(parents=True, exist_ok=True)
    for item in submitted.iterdir():  # what nbgrader copies along: timestamp.txt, data files
        if item.is_file() and item.suffix != ".ipynb":
            write_atomically(target / item.name, item.read_bytes())
    write_atomically(target / f"{chapter}.ipynb", nbformat.writes(notebook))


def scores(config, chapters):
    """{(student, chapter): {grade_id: score}} of every submission in the gradebook."""
    from nbgrader.api import Gradebook

    found = {}
    with _quiet(), Gradebook(db_url(config), config.CourseDirectory.course_id) as gb:
        for chapter in chapters:
            for submission in gb.find_assignment(chapter).submissions:
                for notebook in submission.notebooks:
                    found[(submission.student.id, chapter)] = {
                        grade.name: float(grade.score or 0.0) for grade in notebook.grades
                    }
    return found
